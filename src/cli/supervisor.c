/*
 * supervisor: `pane serve` as nginx's master process. It compiles the apps (it never loads
 * them: no app code runs here, so no app bug can take it down), makes the secret key once,
 * opens the listening socket once, and forks --num-procs workers that inherit all three. Then
 * it waits on a signalfd and the workers' ready pipes.
 *
 * The port: one SO_REUSEPORT listening socket per worker number and loop, so that the kernel
 * spreads connections over the workers (a socket shared by all would wake all of them, and the
 * same one would win almost every time). The sockets belong to the supervisor and outlive the
 * workers: a worker restarted, or the next generation's worker of the same number, accepts on
 * the same ones, so what waits in their backlogs is served, not refused. Only while a worker
 * waits out a backoff with other workers serving are its sockets closed (the kernel then gives
 * new connections to the others) and opened again when it starts.
 *
 *   - a worker that dies (a signal, or an exit it was not asked for) is reported with what its
 *     slot of the shared record says it was running (app, entry point, request or session),
 *     and started again at once; one that keeps dying within RESTART_WINDOW_MS of its start is
 *     started again after 1 s, doubling up to 30 s, while the others serve;
 *   - a note older than PN_STALL_MS is reported by the watchdog while the loop is still stuck;
 *   - SIGTERM or SIGINT: every worker gets SIGTERM (a graceful stop), and once all have exited
 *     the supervisor exits 0;
 *   - SIGHUP: the apps are compiled again (changed ones get their new code), --basic-auth's
 *     users file is read again and the TLS certificate and key are checked again (each worker
 *     reads them itself when it starts), a new generation of workers starts, and once all of
 *     it is ready the old one gets SIGTERM; an app that does not compile, a users file or a
 *     certificate that does not load fails the reload. Connections wait in the shared
 *     socket's backlog, so none is refused while the generations change.
 * The supervisor is one thread with no event loop: forking from it is safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "server/auth.h"

#define RESTART_WINDOW_MS 10000 /* a worker dying sooner than this after its start "keeps dying"   \
                                 */
#define BACKOFF_MAX_MS 30000
#define WATCHDOG_TICK_MS 100
#define STOP_GRACE_MS (PN_DRAIN_MS + 5000) /* then SIGKILL */
#define MAX_WORKERS (2 * PN_MAX_PROCS)     /* two generations during a reload */

struct worker {
    pid_t pid; /* 0: not running */
    int num;   /* 1..nprocs within its generation */
    int gen;
    int slot;     /* in the record; -1: none */
    int ready_fd; /* read end of its ready pipe until it is ready, else -1 */
    bool ready;
    bool asked_to_stop;
    uint64_t started_ms;
    int crashes;         /* deaths in a row, each within RESTART_WINDOW_MS of its start */
    uint64_t restart_at; /* > 0: start again at this time (backoff) */
    uint32_t reported[PN_MAX_LOOPS]; /* the watchdog's last note reported, per loop */
};

struct sup {
    struct cli *cli;
    struct pn_app *apps; /* compiled apps of the current generation */
    int port;
    int socks[PN_MAX_PROCS][PN_MAX_LOOPS]; /* by worker number - 1 and loop; -1: closed */
    int signal_fd;
    struct pn_record *rec;
    struct worker w[MAX_WORKERS];
    int gen;         /* the current generation: the one restarted when it dies */
    int pending_gen; /* > gen while a reload's workers start */
    bool serving;    /* the first generation was ready */
    bool failed;     /* ... or one of it died first */
    bool unclean;    /* a worker asked to stop did not exit 0 (ASan, LSan: a leak) */
    bool stopping;
    uint64_t stop_deadline;
    /* --dev: the apps' files watched (inotify on their folders: editors save by renaming a
     * new file over the old), and a compile due once saves have settled */
    int inotify_fd;
    char **watched;   /* real paths, NULL-terminated */
    uint64_t dev_due; /* > 0: compile again at this time */
    bool dev_again;   /* a save came while a reload was under way */
};

#define DEV_SETTLE_MS 20 /* an editor's save is several writes: compile after the last */

static uint64_t now_ms(void)
{
    return pn__mono_ns() / 1000000u;
}

static const char *signame(int sig)
{
    static char buf[32];
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, sizeof buf, "SIG%s", abbrev);
    else
        snprintf(buf, sizeof buf, "signal %d", sig);
    return buf;
}

static void unload(struct pn_app *apps, int n)
{
    for (int i = 0; apps && i < n; i++)
        pn__app_unload(&apps[i]);
    free(apps);
}

/* --ssl-certfile and --ssl-keyfile load and match (the workers load them again): 0, or an
 * error in err. The supervisor itself serves nothing: the context is only a check. */
static int check_tls(const struct cli *cli, char *err, size_t errlen)
{
    if (!cli->o.ssl_certfile)
        return 0;
    struct pn_tls_ctx *t = pn__tls_ctx_new(cli->o.ssl_certfile, cli->o.ssl_keyfile, err, errlen);
    if (!t)
        return PN_EINVAL;
    char fp[100];
    pn__tls_ctx_fingerprint(t, fp, sizeof fp);
    pn__info("TLS certificate %s, SHA-256 fingerprint %s", cli->o.ssl_certfile, fp);
    pn__tls_ctx_free(t);
    return 0;
}

/* Compiles every app given: the array, or NULL with a message in err. */
static struct pn_app *compile_all(const struct cli *cli, char *err, size_t errlen)
{
    struct pn_app *apps = pn__xcalloc((size_t)cli->napps, sizeof *apps);
    for (int i = 0; i < cli->napps; i++) {
        if (pn__app_compile(cli->app_paths[i], &apps[i], err, errlen) != 0) {
            unload(apps, i);
            return NULL;
        }
        apps[i].argc = cli->app_argc;
        apps[i].argv = cli->app_argv;
        for (int j = 0; j < i; j++)
            if (!strcmp(apps[j].name, apps[i].name)) {
                snprintf(err, errlen, "two apps are named %s (%s and %s)", apps[i].name,
                         apps[j].source, apps[i].source);
                unload(apps, i + 1);
                return NULL;
            }
    }
    if (cli->o.index) {
        bool found = false;
        for (int i = 0; i < cli->napps; i++)
            found |= !strcmp(apps[i].name, cli->o.index);
        if (!found) {
            snprintf(err, errlen, "--index %s: no app of that name", cli->o.index);
            unload(apps, cli->napps);
            return NULL;
        }
    }
    return apps;
}

static int free_slot(struct sup *s)
{
    for (int slot = 0; slot < pn__record_slots(s->rec); slot++) {
        bool taken = false;
        for (int i = 0; i < MAX_WORKERS && !taken; i++)
            taken = s->w[i].pid && s->w[i].slot == slot;
        if (!taken)
            return slot;
    }
    return -1;
}

/* Opens worker number k's sockets where they are closed: false (with a log line) if one
 * cannot be. */
static bool open_socks(struct sup *s, int k, char *err, size_t errlen)
{
    const struct cli *cli = s->cli;
    for (int l = 0; l < cli->nthreads; l++) {
        if (s->socks[k - 1][l] >= 0)
            continue;
        int port = s->port;
        int fd = pn__http_listen(cli->o.address ? cli->o.address : "0.0.0.0", s->port, true, &port,
                                 err, errlen);
        if (fd < 0)
            return false;
        s->socks[k - 1][l] = fd;
        s->port = port; /* --port 0: the first socket's port is everyone's */
    }
    return true;
}

static void close_socks(struct sup *s, int k)
{
    for (int l = 0; l < s->cli->nthreads; l++)
        if (s->socks[k - 1][l] >= 0) {
            close(s->socks[k - 1][l]);
            s->socks[k - 1][l] = -1;
        }
}

/* Forks worker w (its num and gen set). False if it could not be started. */
static bool spawn(struct sup *s, struct worker *w)
{
    char err[512];
    if (!open_socks(s, w->num, err, sizeof err)) {
        pn__error("cannot start worker %d: %s", w->num, err);
        return false;
    }
    int slot = free_slot(s);
    int pipefd[2];
    if (slot < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        pn__error("cannot start worker %d: %s", w->num,
                  slot < 0 ? "no free slot" : strerror(errno));
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        pn__error("cannot start worker %d: fork: %s", w->num, strerror(errno));
        close(pipefd[0]);
        close(pipefd[1]);
        return false;
    }
    if (pid == 0) {
        close(pipefd[0]);
        close(s->signal_fd);
        /* another worker's sockets stay open in no process of ours but the supervisor, so that
         * closing them there (a backoff) really takes them out of the port */
        for (int k = 0; k < s->cli->nprocs; k++)
            for (int l = 0; k != w->num - 1 && l < s->cli->nthreads; l++)
                if (s->socks[k][l] >= 0)
                    close(s->socks[k][l]);
        for (int i = 0; i < MAX_WORKERS; i++) /* the other workers' pipes are not ours */
            if (s->w[i].ready_fd >= 0)
                close(s->w[i].ready_fd);
        struct pn_worker_args a = {.cli = s->cli,
                                   .apps = s->apps,
                                   .listen_fds = s->socks[w->num - 1],
                                   .record = s->rec,
                                   .slot = slot,
                                   .ready_fd = pipefd[1],
                                   .supervisor = getppid()};
        pn__worker_main(&a);
    }
    close(pipefd[1]);
    pn__record_claim(s->rec, slot, pid, w->num);
    w->pid = pid;
    w->slot = slot;
    w->ready_fd = pipefd[0];
    w->ready = false;
    w->asked_to_stop = false;
    w->started_ms = now_ms();
    w->restart_at = 0;
    memset(w->reported, 0, sizeof w->reported);
    return true;
}

static struct worker *new_worker(struct sup *s, int num, int gen)
{
    for (int i = 0; i < MAX_WORKERS; i++)
        if (!s->w[i].pid && !s->w[i].restart_at) {
            s->w[i] = (struct worker){.num = num, .gen = gen, .slot = -1, .ready_fd = -1};
            return &s->w[i];
        }
    return NULL;
}

static int count(const struct sup *s, int gen, bool ready_only)
{
    int n = 0;
    for (int i = 0; i < MAX_WORKERS; i++)
        if (s->w[i].pid && (gen < 0 || s->w[i].gen == gen) && (!ready_only || s->w[i].ready))
            n++;
    return n;
}

static void stop_gen(struct sup *s, int gen)
{
    for (int i = 0; i < MAX_WORKERS; i++) {
        struct worker *w = &s->w[i];
        if (w->gen != gen)
            continue;
        w->restart_at = 0;
        if (w->pid && !w->asked_to_stop) {
            w->asked_to_stop = true;
            kill(w->pid, SIGTERM);
        }
    }
}

/* What a dead worker's record slot says it was running, for its log line. */
static void last_note(struct sup *s, const struct worker *w, char *out, size_t outlen)
{
    snprintf(out, outlen, "outside app code");
    for (int l = 0; l < pn__record_loops(s->rec); l++) {
        struct pn_note n;
        pn__note_read(pn__record_line(s->rec, w->slot, l), &n);
        if (n.kind == PN_ENTRY_NONE)
            continue;
        char what[300];
        pn__note_describe(&n, what, sizeof what);
        snprintf(out, outlen, "in app %s: %s", n.app, what);
        return;
    }
}

static void reap(struct sup *s, pid_t pid, int status)
{
    struct worker *w = NULL;
    for (int i = 0; i < MAX_WORKERS && !w; i++)
        if (s->w[i].pid == pid)
            w = &s->w[i];
    if (!w)
        return;
    char note[400], how[64];
    last_note(s, w, note, sizeof note);
    if (WIFSIGNALED(status))
        snprintf(how, sizeof how, "killed by signal %d (%s)", WTERMSIG(status),
                 signame(WTERMSIG(status)));
    else
        snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
    pn__record_release(s->rec, w->slot);
    w->pid = 0;
    w->slot = -1;
    if (w->ready_fd >= 0) {
        close(w->ready_fd);
        w->ready_fd = -1;
    }
    bool clean = w->asked_to_stop && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (clean) {
        pn__debug("worker %d (pid %d) stopped", w->num, (int)pid);
        return;
    }
    pn__error("worker %d (pid %d) %s %s", w->num, (int)pid, how, note);
    if (s->stopping || w->asked_to_stop) {
        s->unclean = true;
        return;
    }
    if (w->gen == s->pending_gen && w->gen != s->gen) {
        /* a reload's worker that died before the reload was done: the reload is off */
        pn__error("reload failed: worker %d of the new generation died; the running workers go "
                  "on",
                  w->num);
        stop_gen(s, s->pending_gen);
        s->pending_gen = s->gen;
        return;
    }
    if (w->gen != s->gen)
        return;
    if (!s->serving) {
        s->failed = true; /* the first generation: pn__supervise gives up */
        return;
    }
    uint64_t now = now_ms();
    w->crashes = now - w->started_ms < RESTART_WINDOW_MS ? w->crashes + 1 : 1;
    uint64_t delay = 0;
    if (w->crashes > 1) {
        delay = 1000;
        for (int i = 2; i < w->crashes && delay < BACKOFF_MAX_MS; i++)
            delay *= 2;
        if (delay > BACKOFF_MAX_MS)
            delay = BACKOFF_MAX_MS;
    }
    if (s->rec)
        pn__record_restarted(s->rec);
    if (delay == 0) {
        pn__info("restarting worker %d now", w->num);
        w->restart_at = now; /* started by the main loop, right away */
    } else {
        pn__warn("restarting worker %d in %llu s (crashed %d times in a row, each within %d s of "
                 "its start)",
                 w->num, (unsigned long long)(delay / 1000), w->crashes, RESTART_WINDOW_MS / 1000);
        w->restart_at = now + delay;
        /* meanwhile the others take its share of the port; alone, it keeps the connections
         * waiting in its backlog rather than have them refused */
        bool others = false;
        for (int i = 0; i < MAX_WORKERS; i++)
            others |= s->w[i].pid && s->w[i].ready && s->w[i].num != w->num;
        if (others)
            close_socks(s, w->num);
    }
}

static void restart_due(struct sup *s)
{
    uint64_t now = now_ms();
    for (int i = 0; i < MAX_WORKERS; i++) {
        struct worker *w = &s->w[i];
        if (w->pid || !w->restart_at || w->restart_at > now)
            continue;
        if (w->gen != s->gen || s->stopping) {
            w->restart_at = 0;
            continue;
        }
        int crashes = w->crashes;
        if (!spawn(s, w))
            w->restart_at = now + 1000;
        w->crashes = crashes;
    }
}

/* A ready byte (or the end of the pipe, when the worker died first). */
static void on_ready(struct sup *s, struct worker *w)
{
    char c;
    ssize_t n = read(w->ready_fd, &c, 1);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    close(w->ready_fd);
    w->ready_fd = -1;
    if (n != 1)
        return; /* died before it was ready: reap says so */
    w->ready = true;
    pn__info("worker %d (pid %d) ready", w->num, (int)w->pid);
    if (s->pending_gen != s->gen && w->gen == s->pending_gen &&
        count(s, s->pending_gen, true) == s->cli->nprocs) {
        int old = s->gen;
        s->gen = s->pending_gen;
        stop_gen(s, old);
        pn__info("reloaded: %d new worker%s serving, the old ones finish and stop", s->cli->nprocs,
                 s->cli->nprocs == 1 ? "" : "s");
    }
}

/* --dev: watches the folders of every app's files (the sources and the local headers they
 * include, as their last compile listed them). */
static void dev_watch(struct sup *s)
{
    if (s->inotify_fd >= 0)
        close(s->inotify_fd);
    for (char **w = s->watched; w && *w; w++)
        free(*w);
    free(s->watched);
    s->watched = NULL;
    s->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (s->inotify_fd < 0) {
        pn__warn("--dev: cannot watch files: %s", strerror(errno));
        return;
    }
    size_t n = 0, cap = 8;
    s->watched = pn__xmalloc(cap * sizeof *s->watched);
    for (int i = 0; i < s->cli->napps; i++)
        for (char **d = s->apps[i].deps; d && *d; d++) {
            if (n + 2 > cap)
                s->watched = pn__xrealloc(s->watched, (cap *= 2) * sizeof *s->watched);
            s->watched[n++] = pn__xstrdup(*d);
            char *dir = pn__xstrdup(*d), *slash = strrchr(dir, '/');
            if (slash)
                *(slash == dir ? slash + 1 : slash) = '\0';
            if (inotify_add_watch(s->inotify_fd, slash ? dir : ".",
                                  IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE) < 0)
                pn__warn("--dev: cannot watch %s: %s", dir, strerror(errno));
            free(dir);
        }
    s->watched[n] = NULL;
}

/* --dev: the watched folders changed; a save of a watched file makes a compile due. */
static void dev_events(struct sup *s)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    ssize_t len;
    while ((len = read(s->inotify_fd, buf, sizeof buf)) > 0) {
        for (char *p = buf; p < buf + len;) {
            const struct inotify_event *e = (const struct inotify_event *)(void *)p;
            p += sizeof *e + e->len;
            if (!e->len)
                continue;
            for (char **w = s->watched; w && *w; w++) {
                const char *base = strrchr(*w, '/');
                if (base && !strcmp(base + 1, e->name)) {
                    s->dev_due = now_ms() + DEV_SETTLE_MS;
                    break;
                }
            }
        }
    }
}

static void reload(struct sup *s)
{
    pn__log_reopen(); /* log rotation: the file is opened again, the new workers inherit it */
    if (s->pending_gen != s->gen) {
        pn__warn("a reload is under way already: SIGHUP ignored");
        return;
    }
    char err[1024];
    if (check_tls(s->cli, err, sizeof err) != 0) {
        pn__error("reload failed: %s; the running workers go on", err);
        return;
    }
    /* --basic-auth's users file again: a changed password ends that user's old logins (the
     * cookie is bound to it), a removed user has none, a new one can log in */
    struct pn_auth_users *users = NULL;
    if (s->cli->basic_auth &&
        pn__auth_users_load(s->cli->basic_auth, &users, err, sizeof err) != 0) {
        pn__error("reload failed: %s; the running workers go on", err);
        return;
    }
    struct pn_app *apps = compile_all(s->cli, err, sizeof err);
    if (!apps) {
        pn__error("reload failed: %s; the running workers go on", err);
        if (s->cli->o.dev) /* the pages show why */
            pn__record_dev_set(s->rec,
                               *pn__app_compile_messages() ? pn__app_compile_messages() : err);
        pn__auth_users_free(users);
        return;
    }
    if (s->cli->o.dev)
        pn__record_dev_set(s->rec, "");
    if (users) { /* the old generation has its own copy (fork) */
        pn__auth_users_free(s->cli->auth);
        s->cli->auth = users;
        s->cli->o.auth = users;
    }
    /* the old generation keeps its apps (its workers inherited them); restarts use the new */
    unload(s->apps, s->cli->napps);
    s->apps = apps;
    if (s->cli->o.dev)
        dev_watch(s); /* the headers it includes may be others now */
    s->pending_gen = s->gen + 1;
    for (int k = 1; k <= s->cli->nprocs; k++) {
        struct worker *w = new_worker(s, k, s->pending_gen);
        if (!w || !spawn(s, w)) {
            pn__error("reload failed: cannot start worker %d; the running workers go on", k);
            stop_gen(s, s->pending_gen);
            s->pending_gen = s->gen;
            return;
        }
    }
}

static void watchdog(struct sup *s)
{
    uint64_t now = pn__mono_ns();
    for (int i = 0; i < MAX_WORKERS; i++) {
        struct worker *w = &s->w[i];
        if (!w->pid || !w->ready)
            continue;
        for (int l = 0; l < pn__record_loops(s->rec); l++) {
            struct pn_record_line *line = pn__record_line(s->rec, w->slot, l);
            uint32_t seq = atomic_load(&line->note_seq);
            if (seq == w->reported[l])
                continue;
            struct pn_note n;
            if (!pn__note_read(line, &n) || n.kind == PN_ENTRY_NONE ||
                now - n.since_ns < (uint64_t)PN_STALL_MS * 1000000u)
                continue;
            w->reported[l] = seq;
            char what[300];
            pn__note_describe(&n, what, sizeof what);
            pn__warn("watchdog: worker %d (pid %d) loop %d has been in app %s for %llu ms: %s; "
                     "every session on that loop waits",
                     w->num, (int)w->pid, l, n.app,
                     (unsigned long long)((now - n.since_ns) / 1000000u), what);
        }
    }
}

static void begin_stop(struct sup *s, int signum)
{
    if (s->stopping)
        return;
    s->stopping = true;
    s->stop_deadline = now_ms() + STOP_GRACE_MS;
    if (signum)
        pn__info("signal %d: stopping %d worker%s", signum, count(s, -1, false),
                 count(s, -1, false) == 1 ? "" : "s");
    for (int i = 0; i < MAX_WORKERS; i++) {
        struct worker *w = &s->w[i];
        w->restart_at = 0;
        if (w->pid && !w->asked_to_stop) {
            w->asked_to_stop = true;
            kill(w->pid, SIGTERM);
        }
    }
    /* our copies of the port go now, the workers' as they begin to drain: once no process
     * holds a socket it leaves the port, and a connection that would have waited in its
     * backlog for an accept that never comes is refused at once (a balancer tries another) */
    for (int k = 1; k <= s->cli->nprocs && k <= PN_MAX_PROCS; k++)
        close_socks(s, k);
}

static void on_signals(struct sup *s, int sfd)
{
    struct signalfd_siginfo si;
    while (read(sfd, &si, sizeof si) == sizeof si) {
        switch (si.ssi_signo) {
        case SIGTERM:
        case SIGINT:
            begin_stop(s, (int)si.ssi_signo);
            break;
        case SIGHUP:
            if (!s->stopping) {
                pn__info("signal %d: reloading", (int)si.ssi_signo);
                reload(s);
            }
            break;
        default:
            break;
        }
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        reap(s, pid, status);
}

/* One pass of the supervisor's loop: signals, ready pipes, restarts, the watchdog. */
static void tick(struct sup *s, int sfd)
{
    struct pollfd pfd[2 + MAX_WORKERS];
    struct worker *of[2 + MAX_WORKERS];
    int n = 0;
    pfd[n++] = (struct pollfd){.fd = sfd, .events = POLLIN};
    int ino = -1;
    if (s->inotify_fd >= 0) {
        ino = n;
        of[n] = NULL;
        pfd[n++] = (struct pollfd){.fd = s->inotify_fd, .events = POLLIN};
    }
    for (int i = 0; i < MAX_WORKERS; i++)
        if (s->w[i].ready_fd >= 0) {
            of[n] = &s->w[i];
            pfd[n++] = (struct pollfd){.fd = s->w[i].ready_fd, .events = POLLIN};
        }
    int timeout = WATCHDOG_TICK_MS;
    uint64_t now = now_ms();
    for (int i = 0; i < MAX_WORKERS; i++)
        if (!s->w[i].pid && s->w[i].restart_at) {
            uint64_t in = s->w[i].restart_at > now ? s->w[i].restart_at - now : 0;
            if (in < (uint64_t)timeout)
                timeout = (int)in;
        }
    if (s->dev_due)
        timeout = s->dev_due > now ? (int)(s->dev_due - now) : 0;
    int rc = poll(pfd, (nfds_t)n, timeout);
    if (rc > 0) {
        /* signals (and so deaths) first: a pipe's end is then known to be a death */
        if (pfd[0].revents)
            on_signals(s, sfd);
        for (int i = 1; i < n; i++)
            if (i != ino && pfd[i].revents && of[i]->ready_fd == pfd[i].fd)
                on_ready(s, of[i]);
        if (ino >= 0 && pfd[ino].revents)
            dev_events(s);
    }
    if (s->dev_due && now_ms() >= s->dev_due && !s->stopping) {
        if (s->pending_gen != s->gen) { /* a reload under way: this one after it */
            s->dev_again = true;
            s->dev_due = 0;
        } else {
            s->dev_due = 0;
            pn__info("--dev: a file changed: compiling again");
            reload(s);
        }
    }
    if (s->dev_again && s->pending_gen == s->gen) {
        s->dev_again = false;
        s->dev_due = now_ms();
    }
    restart_due(s);
    watchdog(s);
}

static int signal_fd(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

static void print_urls(const struct sup *s, int port)
{
    const struct cli *cli = s->cli;
    const char *host =
        cli->o.address && strcmp(cli->o.address, "0.0.0.0") && strcmp(cli->o.address, "::")
            ? cli->o.address
            : "localhost";
    bool v6 = strchr(host, ':') != NULL;
    for (int i = 0; i < cli->napps; i++)
        printf("pane: serving %s://%s%s%s:%d%s/%s\n", cli->o.ssl_certfile ? "https" : "http",
               v6 ? "[" : "", host, v6 ? "]" : "", port, cli->o.prefix ? cli->o.prefix : "",
               s->apps[i].name);
    fflush(stdout);
}

/* --show: the first app's page in the desktop's browser (xdg-open), if there is one. */
static void show(const struct sup *s)
{
    const struct cli *cli = s->cli;
    char url[700];
    const char *host = cli->o.address && strcmp(cli->o.address, "0.0.0.0") &&
                               strcmp(cli->o.address, "::") && !strchr(cli->o.address, ':')
                           ? cli->o.address
                           : "localhost";
    snprintf(url, sizeof url, "http://%s:%d%s/%s", host, s->port,
             cli->o.prefix ? cli->o.prefix : "", s->apps[0].name);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"xdg-open", url, NULL};
    pid_t pid; /* reaped with the workers (waitpid(-1)); not one of them */
    if (posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ) != 0)
        pn__warn("--show: no browser to open (xdg-open is not installed): the URL is above");
    posix_spawn_file_actions_destroy(&fa);
}

int pn__supervise(struct cli *cli)
{
    static struct sup sup; /* large: not on the stack */
    struct sup *s = &sup;
    s->cli = cli;
    s->inotify_fd = -1;
    for (int i = 0; i < MAX_WORKERS; i++)
        s->w[i].ready_fd = -1;
    char err[1024];
    if (check_tls(cli, err, sizeof err) != 0) { /* before any worker starts */
        fprintf(stderr, "pane: %s\n", err);
        return 1;
    }
    s->apps = compile_all(cli, err, sizeof err);
    if (!s->apps) {
        fprintf(stderr, "pane: %s\n", err);
        return 1;
    }
    if (!cli->o.secret_key) {
        /* every worker, and every worker started later, must accept every other's tokens */
        static char key[65];
        pn__secret_random(key);
        cli->o.secret_key = key;
    }
    memset(s->socks, -1, sizeof s->socks);
    /* SO_REUSEPORT would let us join a port another server (of this user) listens on, and
     * share its connections without a word: a plain socket first, to fail as any server does
     * when the port is taken (and to pick the free port for --port 0) */
    int probe = pn__http_listen(cli->o.address ? cli->o.address : "0.0.0.0", cli->o.port, false,
                                &s->port, err, sizeof err);
    if (probe < 0) {
        fprintf(stderr, "pane: %s\n", err);
        unload(s->apps, cli->napps);
        return 1;
    }
    close(probe);
    for (int k = 1; k <= cli->nprocs; k++)
        if (!open_socks(s, k, err, sizeof err)) {
            fprintf(stderr, "pane: %s\n", err);
            unload(s->apps, cli->napps);
            return 1;
        }
    s->rec = pn__record_new(2 * cli->nprocs, cli->nthreads);
    int sfd = s->signal_fd = signal_fd();
    if (!s->rec || sfd < 0) {
        fprintf(stderr, "pane: cannot set the supervisor up: %s\n", strerror(errno));
        return 1;
    }
    s->gen = s->pending_gen = 1;
    if (cli->o.dev)
        dev_watch(s);
    for (int k = 1; k <= cli->nprocs; k++) {
        struct worker *w = new_worker(s, k, 1);
        if (!spawn(s, w)) {
            s->failed = true;
            begin_stop(s, 0);
        }
    }
    /* the first generation: every worker ready, or the command fails (an app that does not
     * load fails the same way in every worker, and said why on stderr) */
    while (!s->stopping && count(s, 1, true) < cli->nprocs) {
        tick(s, sfd);
        if (s->failed) {
            fprintf(stderr, "pane: a worker could not start (its error is above)\n");
            begin_stop(s, 0);
        }
    }
    bool started = !s->stopping;
    s->serving = started;
    if (started)
        print_urls(s, s->port);
    if (started && cli->show)
        show(s);
    while (!s->stopping || count(s, -1, false) > 0) {
        tick(s, sfd);
        if (s->stopping && now_ms() > s->stop_deadline) {
            for (int i = 0; i < MAX_WORKERS; i++)
                if (s->w[i].pid) {
                    pn__error("worker %d (pid %d) did not stop within %d s: killed", s->w[i].num,
                              (int)s->w[i].pid, STOP_GRACE_MS / 1000);
                    kill(s->w[i].pid, SIGKILL);
                }
            s->stop_deadline = UINT64_MAX;
        }
    }
    for (int k = 1; k <= cli->nprocs; k++)
        close_socks(s, k);
    close(sfd);
    if (s->inotify_fd >= 0)
        close(s->inotify_fd);
    for (char **w = s->watched; w && *w; w++)
        free(*w);
    free(s->watched);
    unload(s->apps, cli->napps);
    /* a SIGTERM while the workers start is a clean stop too; a worker that did not stop
     * cleanly makes the exit status say so */
    return s->failed || s->unclean ? 1 : 0;
}
