/*
 * cli: the `pane` command. `pane serve APP...` reads its options here and hands them to the
 * supervisor (supervisor.c), which compiles the apps, opens the port and runs the worker
 * processes (worker.c) until SIGINT or SIGTERM. Flags follow `panel serve` where it has one
 * for the same thing.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "runtime/redis.h"
#include "server/auth.h"

static const char usage[] =
    "usage: pane serve APP... [options]\n"
    "\n"
    "Serves each APP (an app.c file, compiled and cached, or a prebuilt .so) at /<name>.\n"
    "\n"
    "options:\n"
    "  --port N              port to listen on (default 5006; 0 picks a free port)\n"
    "  --address ADDR        address to listen on (default: all interfaces)\n"
    "  --prefix PATH         URL prefix for every route, e.g. /dash (default none)\n"
    "  --root-path PATH      the path a reverse proxy serves pane under and strips before\n"
    "                        forwarding, e.g. /dash: pages' URLs start with it, routes do not\n"
    "  --use-xheaders        behind a reverse proxy: the client's address (logs) and the host\n"
    "                        it asked for (WebSocket origin check) from Forwarded or\n"
    "                        X-Forwarded-For/-Proto/-Host (only if every request comes\n"
    "                        through a proxy that sets them)\n"
    "  --index NAME          the app served at / (default: the only app, else a list)\n"
    "  --show                open the first app in the desktop's browser once it serves\n"
    "  --args ARG...         the rest of the command line goes to the apps (pn_app_ctx's argc\n"
    "                        and argv in pn_app_init), e.g. --args --device /dev/ttyUSB0\n"
    "  --dev, --autoreload   watch the apps and the headers they include; on a save compile\n"
    "                        again and update every open tab (a compile error is shown in the\n"
    "                        page); one worker\n"
    "  --redis URL           the Redis through which feeds an app shares (pn_feed_redis) reach\n"
    "                        every process: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB] or\n"
    "                        unix:PATH\n"
    "  --ssl-certfile FILE   serve HTTPS (TLS 1.2/1.3) with this PEM certificate chain; with\n"
    "  --ssl-keyfile FILE    its private key (PEM). Both are read again on SIGHUP\n"
    "  --static-dirs N=PATH  serve directory PATH at /N/ (repeatable)\n"
    "  --cflags FLAGS        compile the apps with these flags too (split on spaces; also\n"
    "                        $PANE_CFLAGS), e.g. --cflags \"-DFAST -I/opt/dev/include\"\n"
    "  --libs FLAGS          link the apps with these (also $PANE_LIBS), e.g. --libs \"-lz\"\n"
    "  --pkg NAMES           both from pkg-config for these packages, e.g. --pkg zlib,libpng\n"
    "  --allow-websocket-origin HOST[:PORT]\n"
    "                        an origin allowed to open the live socket (repeatable; '*' for\n"
    "                        any). default: the host and port the page was requested from\n"
    "  --secret-key KEY      signs session tokens (>= 32 chars; or PANE_SECRET_KEY). default:\n"
    "                        random per process (tokens from other processes are not trusted)\n"
    "  --basic-auth VALUE    a login in front of every page and socket: VALUE is a users file\n"
    "                        (user:HASH a line, HASH from `mkpasswd` or `openssl passwd -6`)\n"
    "                        or, if no such file exists, one password for any user name\n"
    "  --cookie-secret KEY   signs the login cookie (>= 32 chars; or PANE_COOKIE_SECRET).\n"
    "                        default: derived from the secret key\n"
    "  --login-expiration S  seconds a login lasts (default 604800: 7 days)\n"
    "  --session-token-expiration S   seconds a page's token is accepted (default 300)\n"
    "  --unused-session-lifetime MS   a session without a socket lives this long (default 15000)\n"
    "  --check-unused-sessions MS     how often unused sessions are swept (default 17000)\n"
    "  --max-unused-sessions N        sessions waiting for their page's socket, per loop; past\n"
    "                                 it the oldest is dropped (default 10000)\n"
    "  --websocket-max-message-size B largest message a client may send (default 20971520)\n"
    "  --keep-alive MS       ping idle sockets this often (default 37000)\n"
    "  --reuse-sessions      serve first pages from a cache of rendered pages, keyed by the\n"
    "                        session key (the app's pn_session_key, --session-key, or its path)\n"
    "  --reuse-sessions warm the same, and each visitor's own live session is made while the\n"
    "                        cached page loads (its socket's first document comes at once)\n"
    "  --global-loading-spinner  a full-page spinner until the live session has rendered\n"
    "  --warm                render every app's default page into the cache before serving\n"
    "  --warm-url URL        also warm this page, e.g. /weather?city=Paris (repeatable)\n"
    "  --session-key SPEC    key without code: arg:NAME,cookie:NAME,header:NAME,path\n"
    "  --reuse-sessions-max N        cached pages per loop (default 1000)\n"
    "  --reuse-sessions-max-bytes B  bytes of cached pages per loop (default 67108864)\n"
    "  --admin               a live page of what every worker serves at PREFIX/admin, its\n"
    "                        counters at PREFIX/metrics (Prometheus) and PREFIX/_pane/stats\n"
    "  --max-connections N   more open connections than this (all loops together) get 503\n"
    "                        (default: no limit)\n"
    "  --frame-ancestors SRC who may frame the pages (CSP), e.g. \"'none'\" or\n"
    "                        \"https://intranet.example\" (default 'self')\n"
    "  --num-procs N         worker processes under a supervisor that restarts any that dies\n"
    "                        (logging what it was running) and reloads them all on SIGHUP\n"
    "                        (default 1; 0: one per core)\n"
    "  --num-threads N       event loops per worker, all accepting on the port (default 1)\n"
    "  --log-level LEVEL     debug, info, warning, error, critical (default info)\n"
    "  --log-format FORMAT   text (default) or json: one object a line, {time, level, pid, msg}\n"
    "  --log-file PATH       append the log to PATH instead of stderr (reopened on SIGHUP,\n"
    "                        for log rotation)\n"
    "  --header-timeout MS   time a client has to send a request head (default 10000)\n"
    "  --idle-timeout MS     how long a keep-alive connection may idle, and a response may\n"
    "                        go unread (counted from the last bytes the client took)\n"
    "                        (default 30000)\n"
    "  --help                this text\n"
    "  --version             pane's version\n"
    "\n"
    "signals: SIGTERM, SIGINT stop gracefully (exit 0); SIGHUP recompiles changed apps and\n"
    "         replaces every worker without refusing a connection\n"
    "\n"
    "environment: CC (the compiler for apps, default cc), XDG_CACHE_HOME (compiled apps),\n"
    "             PANE_SECRET_KEY (as --secret-key), PANE_COOKIE_SECRET (as --cookie-secret)\n";

/* An option `pane serve` does not know: said, with the nearest it does know. */
static int unknown_option(const char *name)
{
    static char opts[128][64];
    const char *known[128];
    size_t n = pn__cli_options(usage, opts, 128);
    for (size_t i = 0; i < n; i++)
        known[i] = opts[i];
    const char *near = pn__cli_nearest(name, known, n);
    if (near)
        fprintf(stderr, "pane: unknown option %s: did you mean %s?\n(see pane serve --help)\n",
                name, near);
    else
        fprintf(stderr, "pane: unknown option %s\n(see pane serve --help)\n", name);
    return 2;
}

static int die_usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "pane: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n(see pane serve --help)\n");
    return 2;
}

static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Parses `serve` arguments. Returns 0, or an exit status. */
static int parse_serve(int argc, char **argv, struct cli *cli)
{
    cli->o.port = 5006;
    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];
        if (!strcmp(arg, "--args")) { /* the rest is the apps' (pn_app_ctx argc/argv) */
            static char *args[256];
            int n = 0;
            args[n++] = (char *)(cli->napps ? cli->app_paths[0] : "app");
            for (i++; i < argc && n < 255; i++)
                args[n++] = argv[i];
            if (i < argc)
                return die_usage("--args: at most %s arguments", "254");
            args[n] = NULL;
            cli->app_argc = n;
            cli->app_argv = args;
            break;
        }
        if (strncmp(arg, "--", 2) != 0) {
            if (cli->napps == PN_MAX_APPS)
                return die_usage("too many apps (at most %s)", "64");
            cli->app_paths[cli->napps++] = arg;
            continue;
        }
        char *val = strchr(arg, '=');
        char name[64];
        size_t nlen = val ? (size_t)(val - arg) : strlen(arg);
        if (nlen >= sizeof name)
            return unknown_option(arg);
        memcpy(name, arg, nlen);
        name[nlen] = '\0';
        if (val)
            val++;
        if (!strcmp(name, "--help")) {
            fputs(usage, stdout);
            exit(0);
        }
#define NEED_VALUE()                                                                           \
    do {                                                                                       \
        if (!val) {                                                                            \
            if (i + 1 >= argc)                                                                 \
                return die_usage("%s needs a value", name);                                    \
            val = argv[++i];                                                                   \
        }                                                                                      \
    } while (0)
        unsigned long n;
        if (!strcmp(name, "--port")) {
            NEED_VALUE();
            if (!parse_uint(val, 65535, &n))
                return die_usage("--port: not a port number: %s", val);
            cli->o.port = (int)n;
        } else if (!strcmp(name, "--address")) {
            NEED_VALUE();
            cli->o.address = val;
        } else if (!strcmp(name, "--prefix") || !strcmp(name, "--root-path")) {
            NEED_VALUE();
            while (*val == '/' && val[1] == '/')
                val++;
            size_t len = strlen(val);
            while (len && val[len - 1] == '/')
                val[--len] = '\0';
            if (len && val[0] != '/')
                return die_usage(name[2] == 'p' ? "--prefix must start with '/': %s"
                                                : "--root-path must start with '/': %s",
                                 val);
            for (const char *p = val; *p; p++)
                if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\'' ||
                    *p == '<' || *p == '>' || *p == '\\' || *p == '?' || *p == '#')
                    return die_usage("a URL path without spaces, quotes, '?' or '#': %s", val);
            if (name[2] == 'p')
                cli->o.prefix = val;
            else
                cli->o.root_path = val;
        } else if (!strcmp(name, "--use-xheaders")) {
            if (val)
                return die_usage("%s takes no value", name);
            cli->o.use_xheaders = true;
        } else if (!strcmp(name, "--show")) {
            if (val)
                return die_usage("%s takes no value", name);
            cli->show = true;
        } else if (!strcmp(name, "--dev") || !strcmp(name, "--autoreload")) {
            if (val)
                return die_usage("%s takes no value", name);
            cli->o.dev = true;
        } else if (!strcmp(name, "--redis")) {
            NEED_VALUE();
            struct pn_redis_url u;
            char err[300];
            if (pn__redis_parse_url(val, &u, err, sizeof err) != 0)
                return die_usage("%s", err);
            cli->redis = val;
        } else if (!strcmp(name, "--ssl-certfile")) {
            NEED_VALUE();
            cli->o.ssl_certfile = val;
        } else if (!strcmp(name, "--ssl-keyfile")) {
            NEED_VALUE();
            cli->o.ssl_keyfile = val;
        } else if (!strcmp(name, "--index")) {
            NEED_VALUE();
            cli->o.index = val;
        } else if (!strcmp(name, "--static-dirs")) {
            NEED_VALUE();
            char *eq = strchr(val, '=');
            if (!eq || eq == val || !eq[1] || memchr(val, '/', (size_t)(eq - val)))
                return die_usage("--static-dirs takes NAME=PATH: %s", val);
            if (cli->o.nstatic == PN_MAX_STATIC_DIRS)
                return die_usage("too many --static-dirs (at most %s)", "16");
            *eq = '\0';
            cli->o.static_dirs[cli->o.nstatic++] = (struct pn_static_dir){val, eq + 1};
        } else if (!strcmp(name, "--log-format")) {
            NEED_VALUE();
            if (strcmp(val, "text") && strcmp(val, "json"))
                return die_usage("--log-format: text or json, not %s", val);
            cli->log_format = strcmp(val, "json") ? PN_LOG_TEXT : PN_LOG_JSON;
        } else if (!strcmp(name, "--log-file")) {
            NEED_VALUE();
            if (!*val)
                return die_usage("%s", "--log-file: a path");
            cli->log_file = val;
        } else if (!strcmp(name, "--log-level")) {
            NEED_VALUE();
            if (pn__log_level_parse(val, &pn__log_level) != 0)
                return die_usage("--log-level: debug, info, warning, error or critical, not %s",
                                 val);
        } else if (!strcmp(name, "--allow-websocket-origin")) {
            NEED_VALUE();
            if (cli->o.norigins == 64)
                return die_usage("too many --allow-websocket-origin (at most %s)", "64");
            cli->origins[cli->o.norigins++] = val;
            cli->o.allowed_origins = cli->origins;
        } else if (!strcmp(name, "--reuse-sessions") &&
                   ((val && !strcmp(val, "warm")) ||
                    (!val && i + 1 < argc && !strcmp(argv[i + 1], "warm")))) {
            if (!val)
                i++;
            cli->o.reuse_sessions = cli->o.reuse_sessions_warm = true;
        } else if (!strcmp(name, "--reuse-sessions") || !strcmp(name, "--global-loading-spinner") ||
                   !strcmp(name, "--warm") || !strcmp(name, "--admin")) {
            if (val)
                return die_usage(!strcmp(name, "--reuse-sessions")
                                     ? "%s takes no value but warm (--reuse-sessions warm)"
                                     : "%s takes no value",
                                 name);
            if (!strcmp(name, "--reuse-sessions"))
                cli->o.reuse_sessions = true;
            else if (!strcmp(name, "--global-loading-spinner"))
                cli->o.global_loading_spinner = true;
            else if (!strcmp(name, "--warm"))
                cli->warm = true;
            else
                cli->o.admin = true;
        } else if (!strcmp(name, "--warm-url")) {
            NEED_VALUE();
            if (cli->nwarm == 64)
                return die_usage("too many --warm-url (at most %s)", "64");
            if (val[0] != '/')
                return die_usage("--warm-url takes a path such as /weather?city=Paris, not %s", val);
            cli->warm_urls[cli->nwarm++] = val;
        } else if (!strcmp(name, "--session-key")) {
            NEED_VALUE();
            char err[256];
            if (pn__key_spec_parse(val, strlen(val), &cli->key_spec, err, sizeof err) != 0) {
                fprintf(stderr, "pane: %s\n", err);
                return 2;
            }
            cli->o.session_key = &cli->key_spec;
        } else if (!strcmp(name, "--reuse-sessions-max") ||
                   !strcmp(name, "--reuse-sessions-max-bytes")) {
            NEED_VALUE();
            if (!parse_uint(val, 1ul << 40, &n) || n == 0)
                return die_usage("%s: a positive number", name);
            if (!strcmp(name, "--reuse-sessions-max"))
                cli->o.reuse_sessions_max = n;
            else
                cli->o.reuse_sessions_max_bytes = n;
        } else if (!strcmp(name, "--max-unused-sessions")) {
            NEED_VALUE();
            if (!parse_uint(val, 100000000, &n) || n == 0)
                return die_usage("--max-unused-sessions: a positive number, not %s", val);
            cli->o.max_unused_sessions = n;
        } else if (!strcmp(name, "--max-connections")) {
            NEED_VALUE();
            if (!parse_uint(val, 10000000, &n) || n == 0)
                return die_usage("--max-connections: a positive number, not %s", val);
            cli->o.max_connections = n;
        } else if (!strcmp(name, "--frame-ancestors")) {
            NEED_VALUE();
            for (const char *p = val; *p; p++)
                if ((unsigned char)*p < 0x20 || *p == ';' || *p == ',' || *p == 0x7f)
                    return die_usage("--frame-ancestors: CSP sources separated by spaces, not %s",
                                     val);
            if (!*val)
                return die_usage("%s", "--frame-ancestors: empty (use 'none' to forbid framing)");
            cli->o.frame_ancestors = val;
        } else if (!strcmp(name, "--num-threads")) {
            NEED_VALUE();
            if (!parse_uint(val, 64, &n) || n == 0)
                return die_usage("--num-threads: 1 to 64, not %s", val);
            cli->nthreads = (int)n;
        } else if (!strcmp(name, "--num-procs")) {
            NEED_VALUE();
            if (!parse_uint(val, PN_MAX_PROCS, &n))
                return die_usage("--num-procs: 0 (one per core) to 64, not %s", val);
            cli->nprocs = (int)n;
        } else if (!strcmp(name, "--secret-key")) {
            NEED_VALUE();
            cli->o.secret_key = val;
        } else if (!strcmp(name, "--basic-auth")) {
            NEED_VALUE();
            if (!*val)
                return die_usage("%s", "--basic-auth: a password or a users file");
            cli->basic_auth = val;
        } else if (!strcmp(name, "--cookie-secret")) {
            NEED_VALUE();
            if (strlen(val) < 32)
                return die_usage("--cookie-secret: at least 32 characters, not %s",
                                 "a shorter one");
            cli->o.cookie_secret = val;
        } else if (!strcmp(name, "--login-expiration")) {
            NEED_VALUE();
            if (!parse_uint(val, 10ul * 365 * 24 * 3600, &n) || n == 0)
                return die_usage("--login-expiration: a positive number of seconds, not %s", val);
            cli->o.login_expiration_s = n;
        } else if (!strcmp(name, "--cflags")) {
            NEED_VALUE();
            cli->cflags = val;
        } else if (!strcmp(name, "--libs")) {
            NEED_VALUE();
            cli->libs = val;
        } else if (!strcmp(name, "--pkg")) {
            NEED_VALUE();
            cli->pkgs = val;
        } else if (!strcmp(name, "--session-token-expiration")) {
            NEED_VALUE();
            if (!parse_uint(val, 10ul * 365 * 24 * 3600, &n) || n == 0)
                return die_usage("--session-token-expiration: a positive number of seconds, not %s",
                                 val);
            cli->o.token_expiration_s = n;
        } else if (!strcmp(name, "--unused-session-lifetime") ||
                   !strcmp(name, "--check-unused-sessions") || !strcmp(name, "--keep-alive")) {
            NEED_VALUE();
            if (!parse_uint(val, 24ul * 3600 * 1000, &n) || n == 0)
                return die_usage("%s: a positive number of milliseconds", name);
            if (!strcmp(name, "--unused-session-lifetime"))
                cli->o.unused_session_lifetime_ms = n;
            else if (!strcmp(name, "--check-unused-sessions"))
                cli->o.check_unused_sessions_ms = n;
            else
                cli->o.keep_alive_ms = n;
        } else if (!strcmp(name, "--websocket-max-message-size")) {
            NEED_VALUE();
            if (!parse_uint(val, 1ul << 31, &n) || n < 1024)
                return die_usage("--websocket-max-message-size: bytes, at least 1024, not %s", val);
            cli->o.websocket_max_message_size = n;
        } else if (!strcmp(name, "--header-timeout") || !strcmp(name, "--idle-timeout")) {
            NEED_VALUE();
            if (!parse_uint(val, 24ul * 3600 * 1000, &n) || n == 0)
                return die_usage("%s: a positive number of milliseconds", name);
            if (!strcmp(name, "--header-timeout"))
                cli->o.limits.header_timeout_ms = n;
            else
                cli->o.limits.idle_timeout_ms = n;
        } else {
            return unknown_option(name);
        }
#undef NEED_VALUE
    }
    if (cli->napps == 0)
        return die_usage("%s", "no app given: pane serve app.c");
    if (!cli->o.ssl_certfile != !cli->o.ssl_keyfile)
        return die_usage("%s", "--ssl-certfile and --ssl-keyfile go together");
    if ((cli->warm || cli->nwarm) && !cli->o.reuse_sessions)
        return die_usage("%s", "--warm and --warm-url need --reuse-sessions");
    if (cli->o.dev && cli->nprocs != 1) { /* one worker: a save reaches every tab at once */
        if (cli->nprocs > 1)
            pn__info("--dev: one worker (--num-procs %d is for serving, not developing)",
                     cli->nprocs);
        cli->nprocs = 1;
    }
    if (cli->nprocs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        cli->nprocs = cores < 1 ? 1 : cores > PN_MAX_PROCS ? PN_MAX_PROCS : (int)cores;
    }
    if (!cli->o.secret_key) {
        const char *env = getenv("PANE_SECRET_KEY");
        if (env && *env)
            cli->o.secret_key = env;
    }
    if (!cli->o.cookie_secret) {
        const char *env = getenv("PANE_COOKIE_SECRET");
        if (env && *env) {
            if (strlen(env) < 32)
                return die_usage("PANE_COOKIE_SECRET: at least 32 characters, not %s",
                                 "a shorter one");
            cli->o.cookie_secret = env;
        }
    }
    if ((cli->o.cookie_secret || cli->o.login_expiration_s) && !cli->basic_auth)
        return die_usage("%s", "--cookie-secret and --login-expiration need --basic-auth");
    return 0;
}

/* Every connection is a descriptor: raise the soft open-files limit to the hard one, as redis
 * and Go's runtime do, so that pane is not capped at the shell's 1024 by default. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= rl.rlim_max)
        return;
    rlim_t was = rl.rlim_cur;
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0)
        pn__debug("open files limit raised from %llu to %llu", (unsigned long long)was,
                  (unsigned long long)rl.rlim_max);
}

static int serve(int argc, char **argv)
{
    struct cli cli = {.nthreads = 1, .nprocs = 1};
    int rc = parse_serve(argc, argv, &cli);
    if (rc)
        return rc;
    char err[1024];
    if (pn__log_setup(cli.log_format, cli.log_file, err, sizeof err) != 0) {
        fprintf(stderr, "pane: %s\n", err);
        return 1;
    }
    /* read before any worker starts (they inherit it), and again on SIGHUP (supervisor.c) */
    if (cli.basic_auth && pn__auth_users_load(cli.basic_auth, &cli.auth, err, sizeof err) != 0) {
        fprintf(stderr, "pane: %s\n", err);
        return 1;
    }
    cli.o.auth = cli.auth;
    if (cli.auth)
        pn__info("login required (--basic-auth: %s)",
                 cli.auth->shared ? "one shared password" : "a users file");
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    if (pn__app_set_build(cli.cflags, cli.libs, cli.pkgs, err, sizeof err) != 0) {
        fprintf(stderr, "pane: %s\n", err);
        return 1;
    }
    rc = pn__supervise(&cli);
    pn__auth_users_free(cli.auth);
    return rc;
}

int main(int argc, char **argv)
{
    const char *cmd = argc >= 2 ? argv[1] : NULL;
    if (cmd && (!strcmp(cmd, "--version") || !strcmp(cmd, "version"))) {
        printf("pane %s\n", PANE_VERSION_STRING);
        return 0;
    }
    /* pane -h, pane --help, pane help, pane help serve */
    if (cmd && (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help"))) {
        if (argc >= 3 && strcmp(argv[2], "serve") != 0) {
            fprintf(stderr, "pane: no help for %s: the commands are serve, help and version\n",
                    argv[2]);
            return 2;
        }
        fputs(usage, stdout);
        return 0;
    }
    if (cmd && !strcmp(cmd, "serve"))
        return serve(argc - 2, argv + 2);
    if (cmd) {
        const char *known[] = {"serve", "help", "version"};
        const char *near = cmd[0] == '-' ? NULL : pn__cli_nearest(cmd, known, 3);
        if (near)
            fprintf(stderr, "pane: unknown command %s: did you mean %s?\n", cmd, near);
        else if (strchr(cmd, '.') || cmd[0] == '-') /* pane app.c, pane --port 1 */
            fprintf(stderr, "pane: %s: the command comes first: pane serve %s ...\n", cmd, cmd);
        else
            fprintf(stderr, "pane: unknown command %s: the commands are serve, help and "
                    "version\n",
                    cmd);
        return 2;
    }
    fputs(usage, stderr);
    return 2;
}
