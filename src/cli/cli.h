/*
 * cli: the `pane` command. main.c reads the command line; supervisor.c compiles the apps,
 * opens the port and runs the worker processes (restarting the ones that die, reloading on
 * SIGHUP); worker.c is one worker: it loads the apps and serves on its loops.
 */
#ifndef PN_CLI_H
#define PN_CLI_H

#include "app/app.h"
#include "base/record.h"
#include "runtime/runtime.h"

#define PN_MAX_APPS 64
#define PN_MAX_PROCS 64

struct cli {
    struct pn_server_opts o;
    int nthreads; /* --num-threads: loops per worker */
    int nprocs;   /* --num-procs: workers (0 on the command line: one per core) */
    bool warm;
    const char *warm_urls[64];
    int nwarm;
    struct pn_key_spec key_spec;
    const char *origins[64];
    const char *app_paths[PN_MAX_APPS];
    int napps;
    const char *cflags, *libs, *pkgs; /* --cflags, --libs, --pkg */
    enum pn_log_format log_format;    /* --log-format */
    const char *log_file;             /* --log-file, or NULL: stderr */
    const char *redis;                /* --redis */
    bool show;                        /* --show */
    int app_argc;                     /* --args ARG...: the apps' pn_app_ctx argc/argv */
    char **app_argv;
    const char *basic_auth;           /* --basic-auth: a password or a users file */
    struct pn_auth_users *auth;       /* what it holds (o.auth), read at start and on SIGHUP */
};

/* The nearest of the known words to word (suggest.c), or NULL when none is near. */
const char *pn__cli_nearest(const char *word, const char *const *known, size_t nknown);
/* The --options a usage text names, each once (at most max, 64 bytes each). */
size_t pn__cli_options(const char *usage, char out[][64], size_t max);

/* Runs `pane serve` as parsed: returns the process's exit status. */
int pn__supervise(struct cli *cli);

/* What a worker is given by its supervisor (everything is inherited through fork). */
struct pn_worker_args {
    const struct cli *cli;
    struct pn_app *apps; /* compiled, not loaded (pn__app_compile) */
    const int *listen_fds; /* this worker's listening sockets, one per loop (SO_REUSEPORT) */
    struct pn_record *record;
    int slot;     /* this worker's slot in the record */
    int ready_fd; /* one byte written here once it serves; then closed */
    pid_t supervisor;
};
/* The worker process's life: load the apps, serve until SIGTERM, exit. Never returns. */
_Noreturn void pn__worker_main(const struct pn_worker_args *w);

#endif
