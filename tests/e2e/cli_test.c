/*
 * e2e.cli: the command line as a user meets it. A mistyped command or option is named with the
 * nearest one pane knows (`pane server` → serve, `--prot` → --port, a swap of two letters, a
 * missing s), and nothing is suggested for what is near nothing; `pane -h`, `pane help`, `pane
 * help serve` and `pane serve --help` print the usage and exit 0; `--args` hands the rest of
 * the line to the apps' pn_app_init; `--show` without a browser to open says so and serves;
 * `--dev` serves the client's files from web/ on disk.
 *
 *     cli_test PANE_BIN SOURCE_DIR [FILTER]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "e2e.h"

/* Runs `pane ARGS` with stdin closed; its output (stdout and stderr) in out, its exit status. */
static int run(const char *args, char *out, size_t outlen)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s </dev/null 2>&1", e2e.pane_bin, args);
    FILE *p = popen(cmd, "r");
    size_t n = p ? fread(out, 1, outlen - 1, p) : 0;
    out[n] = '\0';
    int st = p ? pclose(p) : -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool says(const char *args, int want_status, const char *want, const char * not )
{
    static char out[65536];
    int st = run(args, out, sizeof out);
    if (st != want_status)
        return e2e_fail("pane %s: exit %d, not %d: %s", args, st, want_status,
                        e2e_shown(out, strlen(out)));
    if (want && !strstr(out, want))
        return e2e_fail("pane %s: no \"%s\" in: %s", args, want, e2e_shown(out, strlen(out)));
    if (not &&strstr(out, not ))
        return e2e_fail("pane %s: \"%s\" in: %s", args, not, e2e_shown(out, strlen(out)));
    return true;
}

static bool case_suggest(void)
{
    const char *app = e2e_src("tests/apps/args.c");
    char a[8][600];
    snprintf(a[0], sizeof a[0], "serve %s --prot 1", app);
    snprintf(a[1], sizeof a[1], "serve %s --reuse-session", app);
    snprintf(a[2], sizeof a[2], "serve %s --glboal-loading-spinner", app);
    snprintf(a[3], sizeof a[3], "serve %s --num-proc=2", app);
    snprintf(a[4], sizeof a[4], "serve %s --zzzzzz", app);
    return says("server x.c", 2, "unknown command server: did you mean serve?", NULL) &&
           says("hepl", 2, "did you mean help?", NULL) &&
           says("frobnicate", 2, "the commands are serve, help and version", "did you mean") &&
           says("weather.c", 2, "the command comes first: pane serve weather.c", NULL) &&
           says(a[0], 2, "unknown option --prot: did you mean --port?", NULL) &&
           says(a[1], 2, "did you mean --reuse-sessions?", NULL) &&
           says(a[2], 2, "did you mean --global-loading-spinner?", NULL) &&
           says(a[3], 2, "did you mean --num-procs?", NULL) &&
           says(a[4], 2, "unknown option --zzzzzz", "did you mean");
}

static bool case_help(void)
{
    return says("-h", 0, "usage: pane serve APP", NULL) &&
           says("--help", 0, "--reuse-sessions", NULL) && says("help", 0, "--dev", NULL) &&
           says("help serve", 0, "--args ARG", NULL) && says("serve --help", 0, "--show", NULL) &&
           says("help nothing", 2, "no help for nothing", NULL) &&
           says("", 2, "usage: pane serve", NULL);
}

static bool case_args(void)
{
    static struct e2e_server s = {.name = "args"};
    const char *args[] = {
        e2e_src("tests/apps/args.c"), "--args", "--device", "/dev/ttyUSB0", "two words", NULL};
    if (!e2e_server_start(&s, &(struct e2e_spawn){.args = args}))
        return false;
    bool ok = e2e_log_wait(&s, 0, "args app: argc 4: [--device] [/dev/ttyUSB0] [two words]", 5000);
    return e2e_server_stop(&s, SIGTERM, 10000) == 0 && ok;
}

static bool case_show(void)
{
    static struct e2e_server s = {.name = "show"};
    const char *args[] = {e2e_src("tests/apps/args.c"), "--show", NULL};
    if (!e2e_server_start(&s, &(struct e2e_spawn){.args = args}))
        return false;
    /* a desktop-less machine (CI): no xdg-open, a warning, and it serves */
    bool ok = system("command -v xdg-open >/dev/null 2>&1") == 0 ||
              e2e_log_wait(&s, 0, "--show: no browser to open", 5000);
    struct e2e_resp r;
    ok = ok && e2e_get(s.port, s.path, NULL, &r) && (r.status == 200 || e2e_fail("%d", r.status));
    e2e_resp_fini(&r);
    return e2e_server_stop(&s, SIGTERM, 10000) == 0 && ok;
}

/* The client file a page links to (".css" or ".js" of pane's own), as a path; "" if none. */
static void linked(const struct e2e_resp *r, const char *file, char *out, size_t outlen)
{
    const char *at = e2e_find(r->body.data, r->body.len, file);
    const char *from = at;
    while (from && from > r->body.data && from[-1] != '"')
        from--;
    snprintf(out, outlen, "%.*s", at ? (int)(at + strlen(file) - from) : 0, at ? from : "");
}

/* --dev serves the client's files from web/ on disk ($PANE_SOURCE_DIR, here a copy): an edit
 * shows on the next load, no-cache; without the sources, the built-in files. */
static bool case_dev_web(void)
{
    char root[] = "/tmp/pane-dev-web-XXXXXX", cmd[1200], env[300], css[4400];
    if (!mkdtemp(root))
        return e2e_fail("mkdtemp");
    snprintf(cmd, sizeof cmd, "cp -r '%s/web' '%s/' && ln -s '%s/node_modules' '%s/node_modules'",
             e2e.source_dir, root, e2e.source_dir, root);
    if (system(cmd) != 0)
        return e2e_fail("%s failed", cmd);
    snprintf(env, sizeof env, "PANE_SOURCE_DIR=%s", root);
    snprintf(css, sizeof css, "%s/web/client/pane.css", root);
    static struct e2e_server s = {.name = "dev-web"};
    const char *args[] = {e2e_src("tests/apps/args.c"), "--dev", NULL};
    const char *envs[] = {env, NULL};
    bool ok = e2e_server_start(&s, &(struct e2e_spawn){.args = args, .env = envs});
    struct e2e_resp r;
    char path[300] = "", js[300] = "";
    ok = ok && e2e_get(s.port, s.path, NULL, &r);
    if (ok) {
        linked(&r, "/pane.css", path, sizeof path);
        linked(&r, "/pane.js", js, sizeof js);
    }
    e2e_resp_fini(&r);
    ok = ok && ((*path && *js) || e2e_fail("no pane.css or pane.js in the page"));
    for (int round = 1; ok && round <= 2; round++) {
        FILE *f = fopen(css, "a");
        if (f)
            fprintf(f, "\n/* edited %d */\n", round), fclose(f);
        char want[40];
        snprintf(want, sizeof want, "/* edited %d */", round);
        ok = e2e_get(s.port, path, NULL, &r) && (r.status == 200 || e2e_fail("%d", r.status)) &&
             (e2e_find(r.body.data, r.body.len, want) || e2e_fail("%s not in %s", want, path)) &&
             (e2e_header_has(&r, "Cache-Control", "no-cache") || e2e_fail("cached"));
        e2e_resp_fini(&r);
    }
    /* the bundle is made of the files, in the build's order: theme.js first */
    ok = ok && e2e_get(s.port, js, NULL, &r) &&
         (e2e_find(r.body.data, r.body.len, "theme.js: light and dark") ||
          e2e_fail("pane.js from disk does not start with theme.js"));
    e2e_resp_fini(&r);
    ok = e2e_server_stop(&s, SIGTERM, 10000) == 0 && ok;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        ok = e2e_fail("%s failed", cmd);
    /* no sources there: a warning, and the built-in files */
    static struct e2e_server n = {.name = "dev-web-none"};
    const char *none[] = {"PANE_SOURCE_DIR=/nonexistent", NULL};
    ok = ok && e2e_server_start(&n, &(struct e2e_spawn){.args = args, .env = none});
    ok = ok && e2e_get(n.port, path, NULL, &r) && (r.status == 200 || e2e_fail("%d", r.status)) &&
         (e2e_header_has(&r, "Cache-Control", "immutable") || e2e_fail("not the built-in file"));
    e2e_resp_fini(&r);
    ok = ok && (e2e_log_wait(&n, 0, "--dev: cannot read", 3000) || e2e_failw("no warning"));
    return (n.pid <= 0 || e2e_server_stop(&n, SIGTERM, 10000) == 0) && ok;
}

int main(int argc, char **argv)
{
    e2e_init("cli", argc, argv, 120);
    E2E_CASE("suggest", case_suggest);
    E2E_CASE("help", case_help);
    E2E_CASE("args", case_args);
    E2E_CASE("show", case_show);
    E2E_CASE("dev-web", case_dev_web);
    return e2e_finish();
}
