/*
 * e2e.cli: the command line as a user meets it. A mistyped command or option is named with the
 * nearest one pane knows (`pane server` → serve, `--prot` → --port, a swap of two letters, a
 * missing s), and nothing is suggested for what is near nothing; `pane -h`, `pane help`, `pane
 * help serve` and `pane serve --help` print the usage and exit 0; `--args` hands the rest of
 * the line to the apps' pn_app_init; `--show` without a browser to open says so and serves.
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

int main(int argc, char **argv)
{
    e2e_init("cli", argc, argv, 120);
    E2E_CASE("suggest", case_suggest);
    E2E_CASE("help", case_help);
    E2E_CASE("args", case_args);
    E2E_CASE("show", case_show);
    return e2e_finish();
}
