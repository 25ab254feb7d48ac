/*
 * worker: one worker process of `pane serve`, forked by the supervisor. It hands the runtime
 * (src/runtime) the apps the supervisor compiled and its listening sockets (one per loop,
 * --num-threads), which loads them, starts the servers and fills their caches (--warm); tells
 * the supervisor it is ready and serves until SIGTERM, which it answers with a graceful stop:
 * no more accepting, the requests under way finish, the WebSockets get 1001. Before it runs app code a loop notes what it enters in the
 * worker's slot of the shared record (base/record.h), which is what the supervisor reports
 * when this process dies.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "runtime/runtime.h"

static uv_signal_t sigterm;

static void on_sigterm(uv_signal_t *h, int signum)
{
    pn__debug("signal %d: worker %d stopping", signum, (int)getpid());
    pn__runtime_stop(h->data);
    uv_close((uv_handle_t *)h, NULL);
}

static _Noreturn void fail(const char *what, const char *err)
{
    fprintf(stderr, "pane: %s%s\n", what, err);
    fflush(stderr);
    _exit(3);
}

/* The signals the supervisor blocked (it reads them from a signalfd) are the worker's again;
 * SIGINT (a terminal's Ctrl-C reaches the whole group) is the supervisor's to act on. */
static void signals_reset(pid_t supervisor)
{
    sigset_t none;
    sigemptyset(&none);
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* a supervisor that is killed takes its workers with it */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != supervisor)
        _exit(0);
}

_Noreturn void pn__worker_main(const struct pn_worker_args *w)
{
    const struct cli *cli = w->cli;
    signals_reset(w->supervisor);
    srand((unsigned)time(NULL) ^ (unsigned)getpid()); /* apps' rand() varies per worker */
    pn__record_use(w->record, w->slot);
    pn__record_bind_thread(0);

    char err[1024];
    struct pn_runtime_opts o = {
        .server = cli->o,
        .nloops = cli->nthreads,
        .listen_fds = w->listen_fds,
        .warm = cli->warm,
        .warm_urls = cli->warm_urls,
        .nwarm = cli->nwarm,
        .redis = cli->redis,
    };
    o.server.apps = w->apps;
    o.server.napps = cli->napps;
    o.server.reuseport = false;
    struct pn_runtime *rt;
    if (pn__runtime_start(&o, &rt, err, sizeof err) != 0)
        fail("", err); /* exiting: what was started goes with the process */
    uv_signal_init(pn__runtime_loop(rt), &sigterm);
    sigterm.data = rt;
    uv_signal_start(&sigterm, on_sigterm, SIGTERM);
    ssize_t wr;
    do
        wr = write(w->ready_fd, "R", 1);
    while (wr < 0 && errno == EINTR);
    close(w->ready_fd);

    pn__runtime_run(rt);
    pn__runtime_wait(rt); /* the threads, the loops, the feeds, the apps */
    fflush(stdout);
    fflush(stderr);
    exit(0);
}
