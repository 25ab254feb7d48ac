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
    "  --session-token-expiration S   seconds a page's token is accepted (default 300)\n"
    "  --unused-session-lifetime MS   a session without a socket lives this long (default 15000)\n"
    "  --check-unused-sessions MS     how often unused sessions are swept (default 17000)\n"
    "  --max-unused-sessions N        sessions waiting for their page's socket, per loop; past\n"
    "                                 it the oldest is dropped (default 10000)\n"
    "  --websocket-max-message-size B largest message a client may send (default 20971520)\n"
    "  --keep-alive MS       ping idle sockets this often (default 37000)\n"
    "  --reuse-sessions      serve first pages from a cache of rendered pages, keyed by the\n"
    "                        session key (the app's pn_session_key, --session-key, or its path)\n"
    "  --global-loading-spinner  a full-page spinner until the live session has rendered\n"
    "  --warm                render every app's default page into the cache before serving\n"
    "  --warm-url URL        also warm this page, e.g. /weather?city=Paris (repeatable)\n"
    "  --session-key SPEC    key without code: arg:NAME,cookie:NAME,header:NAME,path\n"
    "  --reuse-sessions-max N        cached pages per loop (default 1000)\n"
    "  --reuse-sessions-max-bytes B  bytes of cached pages per loop (default 67108864)\n"
    "  --admin               counters at PREFIX/_pane/stats (JSON) and PREFIX/metrics\n"
  "                        (Prometheus)\n"
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
    "             PANE_SECRET_KEY (as --secret-key)\n";

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
            return die_usage("unknown option %s", arg);
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
        } else if (!strcmp(name, "--reuse-sessions") || !strcmp(name, "--global-loading-spinner") ||
                   !strcmp(name, "--warm") || !strcmp(name, "--admin")) {
            if (val)
                return die_usage("%s takes no value", name);
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
            return die_usage("unknown option %s", name);
        }
#undef NEED_VALUE
    }
    if (cli->napps == 0)
        return die_usage("%s", "no app given: pane serve app.c");
    if (!cli->o.ssl_certfile != !cli->o.ssl_keyfile)
        return die_usage("%s", "--ssl-certfile and --ssl-keyfile go together");
    if ((cli->warm || cli->nwarm) && !cli->o.reuse_sessions)
        return die_usage("%s", "--warm and --warm-url need --reuse-sessions");
    if (cli->nprocs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        cli->nprocs = cores < 1 ? 1 : cores > PN_MAX_PROCS ? PN_MAX_PROCS : (int)cores;
    }
    if (!cli->o.secret_key) {
        const char *env = getenv("PANE_SECRET_KEY");
        if (env && *env)
            cli->o.secret_key = env;
    }
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
    signal(SIGPIPE, SIG_IGN);
    raise_nofile();
    if (pn__app_set_build(cli.cflags, cli.libs, cli.pkgs, err, sizeof err) != 0) {
        fprintf(stderr, "pane: %s\n", err);
        return 1;
    }
    return pn__supervise(&cli);
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
        printf("pane %s\n", PANE_VERSION_STRING);
        return 0;
    }
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc >= 2 && !strcmp(argv[1], "serve"))
        return serve(argc - 2, argv + 2);
    fputs(usage, stderr);
    return 2;
}
