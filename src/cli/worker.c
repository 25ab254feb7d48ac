/*
 * worker: one worker process of `pane serve`, forked by the supervisor. It loads the apps the
 * supervisor compiled, starts one server per loop (--num-threads) on the listening socket every
 * worker shares, fills their caches (--warm), tells the supervisor it is ready and serves until
 * SIGTERM, which it answers with a graceful stop: no more accepting, the requests under way
 * finish, the WebSockets get 1001. Before it runs app code a loop notes what it enters in the
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
#include "render/render.h"

static uv_signal_t sigterm;
static struct pn_server *servers[PN_MAX_LOOPS];
static int nservers;

static void on_sigterm(uv_signal_t *h, int signum)
{
    (void)h;
    pn__debug("signal %d: worker %d stopping", signum, (int)getpid());
    for (int i = 1; i < nservers; i++)
        pn__server_request_shutdown(servers[i]);
    pn__server_shutdown(servers[0]);
    uv_close((uv_handle_t *)&sigterm, NULL);
}

struct loop_thread {
    uv_loop_t *loop;
    int index;
};

static void run_loop(void *arg)
{
    struct loop_thread *t = arg;
    pn__record_bind_thread(t->index);
    uv_run(t->loop, UV_RUN_DEFAULT);
    pn__gzip_thread_fini();
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
    if (pn__render_init(err, sizeof err) != 0)
        fail("", err);
    for (int i = 0; i < cli->napps; i++)
        if (pn__app_open(&w->apps[i], err, sizeof err) != 0)
            fail("", err);

    struct pn_server_opts o = cli->o;
    o.apps = w->apps;
    o.napps = cli->napps;
    o.reuseport = false;
    uv_loop_t *loops[PN_MAX_LOOPS];
    for (int i = 0; i < cli->nthreads; i++) {
        loops[i] = i == 0 ? uv_default_loop() : pn__xmalloc(sizeof(uv_loop_t));
        if (i > 0)
            uv_loop_init(loops[i]);
        o.listen_fd = &w->listen_fds[i];
        if (pn__server_start(loops[i], &o, &servers[i], err, sizeof err) != 0)
            fail("", err); /* exiting: the servers started go with the process */
        nservers = i + 1;
    }
    for (int i = 0; i < nservers; i++)
        close(w->listen_fds[i]); /* every server has its own copy */
    pn__server_link(servers, nservers);
    /* --warm: fill every loop's cache before the worker says it is ready */
    for (int i = 0; i < nservers && (cli->warm || cli->nwarm); i++) {
        for (int a = 0; cli->warm && a < cli->napps; a++) {
            char url[600];
            snprintf(url, sizeof url, "%s/%s", o.prefix ? o.prefix : "", w->apps[a].name);
            if (pn__server_warm(servers[i], url, err, sizeof err) != 0)
                pn__warn("%s", err);
        }
        for (int u = 0; u < cli->nwarm; u++)
            if (pn__server_warm(servers[i], cli->warm_urls[u], err, sizeof err) != 0)
                fail("", err);
    }

    uv_signal_init(loops[0], &sigterm);
    uv_signal_start(&sigterm, on_sigterm, SIGTERM);
    uv_thread_t threads[PN_MAX_LOOPS];
    struct loop_thread lt[PN_MAX_LOOPS];
    for (int i = 1; i < nservers; i++) {
        lt[i] = (struct loop_thread){loops[i], i};
        uv_thread_create(&threads[i], run_loop, &lt[i]);
    }
    ssize_t wr;
    do
        wr = write(w->ready_fd, "R", 1);
    while (wr < 0 && errno == EINTR);
    close(w->ready_fd);

    uv_run(loops[0], UV_RUN_DEFAULT);
    for (int i = 1; i < nservers; i++) {
        uv_thread_join(&threads[i]);
        uv_loop_close(loops[i]);
        free(loops[i]);
    }
    uv_loop_close(loops[0]);
    pn__feeds_free(); /* no loop runs: no session shows a feed any more */
    for (int i = 0; i < cli->napps; i++)
        pn__app_unload(&w->apps[i]);
    pn__render_fini();
    pn__gzip_thread_fini();
    fflush(stdout);
    fflush(stderr);
    exit(0);
}
