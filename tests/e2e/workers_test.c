/*
 * workers_test: end-to-end checks of `pane serve --num-procs N` — a supervisor process and N
 * worker processes that accept on the same port (docs/internals/workers.md) — against the real
 * binary, on the e2e library, with tests/apps/crash.c (an app that crashes, exits or holds its
 * loop on demand, from each place where pane calls app code).
 *
 *     workers_test PANE_BIN SOURCE_DIR [FILTER]      run the cases whose name contains FILTER
 *
 * Why: an app is C loaded into pane's process. With one process, a NULL store in one visitor's
 * callback ends every session of every visitor, and an endless loop in one freezes them all.
 * With workers under a supervisor, a crash costs only the sessions of the worker that crashed
 * (the others keep receiving their patches), the supervisor names the app code that crashed
 * (which app, which entry point, which node, which session or request) so that it can be found,
 * restarts the worker (with backoff when it keeps crashing at once) and keeps the port, so that
 * no connection is refused. Each case has a server of its own:
 *   isolation  2 workers: a session on each (the Markdown shows the pid of the worker that
 *              holds it); Crash in one: its worker is reported killed by SIGSEGV in the callback
 *              of that node of that session; its socket ends; the other session keeps ticking;
 *              the dead session's token gets a fresh session elsewhere (one secret for all);
 *              the worker is restarted with a new pid and there are 3 processes again
 *   request    pn_app crashes on a page request (?crash=1): the log names the request, the
 *              client's connection is closed without a response, the next GET is served
 *   backoff    1 worker crashed 3 times in a row: restarted now, in 1 s, in 2 s (the delays
 *              measured), and a GET sent while it is down waits and gets its 200
 *   sigkill    a worker killed from outside (SIGKILL, no app code running): reported as such
 *              and restarted
 *   watchdog   a callback that holds its loop 800 ms: the supervisor's watchdog names it after
 *              500 ms, the worker reports how long it blocked (>= 700 ms), nobody is killed
 *   entries.*  one server with --reuse-sessions: the death line names pn_app run by a socket's
 *              hello (with its session), a timer, a destroy hook, pn_session_key (with the
 *              request), and an _exit(3) from an app's thread while its loop is idle (`exited
 *              with status 3 outside app code`)
 *   sigterm    SIGTERM to the supervisor with a live socket on each worker: close 1001 on
 *              both, exit 0 within 5 s, no worker left
 *   reload     SIGHUP with a changed app.c while GETs keep coming: none fails, the new code is
 *              served, the old workers are gone; an app.c that does not compile: the reload
 *              fails and the running workers go on
 *   stats      --admin: /_pane/stats lists every worker with its loops, and the top-level
 *              cache and sessions counters are the loops' sums
 *   warm       --reuse-sessions --warm: every worker's cache is filled before the URL line,
 *              so every first page is a hit
 *   procs0     --num-procs 0: one worker per online CPU; SIGINT stops them all
 * Every start checks that each worker's `ready` line comes before the URL line and that the
 * server has N + 1 processes. Servers that crash on purpose run with
 * ASAN_OPTIONS=handle_segv=0:detect_leaks=0, so that a SEGV reaches the supervisor as a signal
 * in the ASan build too. Every wait has a timeout, the run one alarm (GLOBAL_TIMEOUT_S) that
 * kills the servers; a worker still running after its supervisor stopped is a failure (and is
 * killed by its pid).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "e2e.h"

#define GLOBAL_TIMEOUT_S 240
#define MAXW 64
#define MS(ms) ((ms)*e2e.tscale)

/* for servers whose workers crash on purpose: the SEGV must reach the supervisor as a signal */
static const char *const crash_env[] = {"ASAN_OPTIONS=handle_segv=0:detect_leaks=0", NULL};

/* every worker pid seen in a log, to find the ones left running at the end */
static pid_t seen[1024];
static int nseen;

/* ---- the log ------------------------------------------------------------------------------- */

/* "worker K (pid P)" in a log line. */
static bool parse_worker(const char *line, int *k, pid_t *pid)
{
    const char *w = strstr(line, "worker ");
    int kk, pp;
    if (!w || sscanf(w, "worker %d (pid %d)", &kk, &pp) != 2)
        return false;
    *k = kk;
    *pid = (pid_t)pp;
    return true;
}

/* Is the line's level (`<time> pane <level>: <message>`) this one? */
static bool level_is(const char *line, const char *level)
{
    char want[32];
    snprintf(want, sizeof want, " pane %s: ", level);
    return strstr(line, want) != NULL;
}

struct workers {
    int n;
    int k[MAXW];
    pid_t pid[MAXW];
    size_t end[MAXW]; /* the log offset just past its ready line */
};

static void remember(pid_t pid)
{
    for (int i = 0; i < nseen; i++)
        if (seen[i] == pid)
            return;
    if (nseen < (int)(sizeof seen / sizeof *seen))
        seen[nseen++] = pid;
}

/* The `worker K (pid P) ready` lines after mark; a K seen again keeps its last pid. */
static void ready_lines(const struct e2e_server *s, size_t mark, struct workers *w)
{
    w->n = 0;
    char line[512];
    for (size_t m = mark; (m = e2e_log_next_line(s, m, ") ready", line, sizeof line)) != 0;) {
        int k;
        pid_t pid;
        size_t n = strlen(line);
        if (!parse_worker(line, &k, &pid) || n < 6 || strcmp(line + n - 6, " ready"))
            continue;
        remember(pid);
        int i = 0;
        while (i < w->n && w->k[i] != k)
            i++;
        if (i == MAXW)
            continue;
        if (i == w->n)
            w->n++;
        w->k[i] = k;
        w->pid[i] = pid;
        w->end[i] = m;
    }
}

/* Waits for a ready line of worker k with a pid other than old. */
static bool wait_restarted(const struct e2e_server *s, size_t mark, int k, pid_t old, pid_t *pid,
                           int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    struct workers w;
    for (int i = 0; i < 1000000; i++) {
        ready_lines(s, mark, &w);
        for (int j = 0; j < w.n; j++)
            if (w.k[j] == k && w.pid[j] != old) {
                if (pid)
                    *pid = w.pid[j];
                return true;
            }
        if (e2e_now_ms() > deadline)
            break;
        e2e_idle(10);
    }
    return e2e_fail("%s: no `worker %d (pid P) ready` with a new pid within %d ms", s->name, k,
                    timeout_ms);
}

/* The number of the worker whose ready line (any since the start) names pid, or -1. */
static int worker_num(const struct e2e_server *s, pid_t pid)
{
    char line[512];
    for (size_t m = 0; (m = e2e_log_next_line(s, m, ") ready", line, sizeof line)) != 0;) {
        int k;
        pid_t p;
        if (parse_worker(line, &k, &p) && p == pid)
            return k;
    }
    return -1;
}

/* The worker number of pid in w, or -1. */
static int worker_of(const struct workers *w, pid_t pid)
{
    for (int i = 0; i < w->n; i++)
        if (w->pid[i] == pid)
            return w->k[i];
    return -1;
}

/* Waits for a complete log line after mark that contains needle, into line. On failure, e2e_why
 * quotes the first line containing near (if any) as what came instead. The open sockets are
 * read meanwhile. */
static bool wait_line(const struct e2e_server *s, size_t mark, const char *needle, const char *near,
                      char *line, size_t len, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    for (int i = 0; i < 1000000; i++) {
        if (e2e_log_next_line(s, mark, needle, line, len))
            return true;
        if (e2e_now_ms() > deadline)
            break;
        e2e_idle(10);
    }
    char got[512] = "";
    if (near && e2e_log_next_line(s, mark, near, got, sizeof got))
        return e2e_fail("%s: no line with `%s` within %d ms; the log has `%s`", s->name, needle,
                        timeout_ms, got);
    return e2e_fail("%s: no line with `%s` within %d ms", s->name, needle, timeout_ms);
}

/* Waits for "restarting worker k now" after mark, then for worker k's ready line with a pid
 * other than old (into *fresh). */
static bool wait_restarted_now(const struct e2e_server *s, size_t mark, int k, pid_t old,
                               pid_t *fresh)
{
    char want[64], line[512];
    snprintf(want, sizeof want, "restarting worker %d now", k);
    return wait_line(s, mark, want, "restarting", line, sizeof line, MS(5000)) &&
           wait_restarted(s, mark, k, old, fresh, MS(10000));
}

/* ---- processes ----------------------------------------------------------------------------- */

/* Is pid gone (kill → ESRCH)? Otherwise why in buf: its state and parent. */
static bool proc_gone(pid_t pid, char *why, size_t len)
{
    if (kill(pid, 0) != 0 && errno == ESRCH)
        return true;
    char path[64], stat[512] = "";
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(stat, sizeof stat, f))
            stat[0] = '\0';
        fclose(f);
    }
    const char *rp = strrchr(stat, ')');
    char state = '?';
    int ppid = -1;
    if (rp)
        sscanf(rp + 1, " %c %d", &state, &ppid);
    snprintf(why, len, "pid %d still exists (state %c, parent %d%s)", (int)pid, state, ppid,
             state == 'Z' ? ": a zombie nobody reaped, so it outlived its supervisor" : "");
    return false;
}

/* Waits until every pid in pids is gone. */
static bool wait_gone(const pid_t *pids, int n, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    char why[256] = "";
    for (int i = 0; i < 1000000; i++) {
        bool all = true;
        for (int j = 0; j < n && all; j++)
            all = proc_gone(pids[j], why, sizeof why);
        if (all)
            return true;
        if (e2e_now_ms() > deadline)
            break;
        e2e_idle(20);
    }
    return e2e_fail("after %d ms: %s", timeout_ms, why);
}

/* Waits until the server has want processes (itself and its children); the pids in out. */
static bool wait_nprocs(const struct e2e_server *s, int want, pid_t *out, int max, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    int n = 0;
    for (int i = 0; i < 1000000; i++) {
        n = e2e_server_pids(s, out, max);
        if (n == want)
            return true;
        if (e2e_now_ms() > deadline)
            break;
        e2e_idle(20);
    }
    return e2e_fail("%s: %d processes (itself and its children), want %d", s->name, n, want);
}

static bool has_pid(const pid_t *pids, int n, pid_t pid)
{
    for (int i = 0; i < n; i++)
        if (pids[i] == pid)
            return true;
    return false;
}

/* Starts a server of n workers (args after the app): its URL lines come after a ready line of
 * every worker 1..n, and it has n + 1 processes, whose children are those workers. */
static bool start(struct e2e_server *s, const char *app, int n, const char *const *more,
                  bool crashes, struct workers *w)
{
    char num[16];
    snprintf(num, sizeof num, "%d", n);
    const char *args[32] = {app, "--num-procs", num};
    int na = 3;
    for (int i = 0; more && more[i] && na < 31; i++)
        args[na++] = more[i];
    args[na] = NULL;
    if (!e2e_server_start(s, &(struct e2e_spawn){.args = args, .env = crashes ? crash_env : NULL}))
        return false;
    int want = n > 0 ? n : (int)sysconf(_SC_NPROCESSORS_ONLN);
    size_t url = e2e_log_next_line(s, 0, "serving http://", NULL, 0);
    ready_lines(s, 0, w);
    for (int k = 1; k <= want; k++) {
        int i = 0;
        while (i < w->n && w->k[i] != k)
            i++;
        if (i == w->n)
            return e2e_fail("%s: no `worker %d (pid P) ready` line before its URL line", s->name,
                            k);
        if (w->end[i] > url)
            return e2e_fail("%s: `worker %d (pid %d) ready` came after its URL line", s->name, k,
                            (int)w->pid[i]);
    }
    if (w->n != want)
        return e2e_fail("%s: ready lines of %d workers, want %d", s->name, w->n, want);
    pid_t pids[MAXW + 1];
    if (!wait_nprocs(s, want + 1, pids, MAXW + 1, MS(3000)))
        return false;
    for (int i = 0; i < w->n; i++)
        if (!has_pid(pids, want + 1, w->pid[i]))
            return e2e_fail("%s: worker %d's pid %d (its ready line) is not a child of pid %d",
                            s->name, w->k[i], (int)w->pid[i], (int)s->pid);
    return true;
}

/* SIGTERM: the server must exit 0. ok stays false if it was. */
static bool stop(struct e2e_server *s, bool ok)
{
    if (s->pid <= 0)
        return ok;
    int st = e2e_server_stop(s, SIGTERM, MS(10000));
    if (ok && st != 0)
        return e2e_fail("%s: exit status %d after SIGTERM (256+N: signal N, -1: killed after 10 s)",
                        s->name, st);
    return ok;
}

/* Kills, by pid, every worker seen that still runs pane (argv[0] or the executable is
 * PANE_BIN; a zombie has neither). Their supervisors are stopped by now. */
static int kill_leftovers(void)
{
    int left = 0;
    char bin[PATH_MAX];
    if (!realpath(e2e.pane_bin, bin))
        snprintf(bin, sizeof bin, "%s", e2e.pane_bin);
    for (int i = 0; i < nseen; i++) {
        char path[64], arg0[PATH_MAX] = "", exe[PATH_MAX] = "";
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)seen[i]);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(arg0, 1, sizeof arg0 - 1, f);
        fclose(f);
        arg0[n] = '\0'; /* up to the first NUL: argv[0] */
        snprintf(path, sizeof path, "/proc/%d/exe", (int)seen[i]);
        ssize_t e = readlink(path, exe, sizeof exe - 1);
        exe[e > 0 ? e : 0] = '\0';
        bool pane = n > 0 && (!strcmp(arg0, e2e.pane_bin) || !strcmp(exe, bin));
        if (pane && kill(seen[i], SIGKILL) == 0) {
            fprintf(stderr, "workers: pid %d was still running; killed\n", (int)seen[i]);
            left++;
        }
    }
    return left;
}

/* ---- HTTP and sessions --------------------------------------------------------------------- */

/* The pid an app page or doc shows ("pid 12345"), or -1. */
static pid_t pid_in(const char *html)
{
    const char *p = html ? strstr(html, "pid ") : NULL;
    long v = p ? strtol(p + 4, NULL, 10) : -1;
    return v > 0 ? (pid_t)v : -1;
}

/* The session id in a token: bytes 0..7 (big-endian) of its 22-character base64url body. */
static unsigned long long token_sid(const char *tok)
{
    static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[16] = {0};
    unsigned acc = 0;
    int bits = 0, o = 0;
    for (int i = 0; i < 22 && o < 16; i++) {
        const char *p = tok[i] ? strchr(a, tok[i]) : NULL;
        if (!p)
            return 0;
        acc = (acc << 6) | (unsigned)(p - a);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            raw[o++] = (unsigned char)(acc >> bits);
        }
    }
    unsigned long long sid = 0;
    for (int i = 0; i < 8; i++)
        sid = sid << 8 | raw[i];
    return sid;
}

/* A live session of crash.c: its socket, doc, token, session id, the pid of the worker that
 * holds it and the ids of its nodes. */
struct sess {
    struct e2e_cl *c;
    json_t *doc;
    char ws[160], token[160];
    unsigned long long sid;
    pid_t pid;
    long crash, slow, later, atend, ticks;
};

static void sess_close(struct sess *x)
{
    e2e_cl_free(x->c);
    json_decref(x->doc);
    memset(x, 0, sizeof *x);
}

/* GET the page, open its socket and say hello with the page's token (null for a cached page). */
static bool sess_open(const struct e2e_server *s, struct sess *x)
{
    memset(x, 0, sizeof *x);
    struct e2e_page p;
    bool ok = e2e_get_page(s, s->path, &p) && (x->c = e2e_cl_open(s, p.ws)) &&
              (x->doc = e2e_hello_doc(x->c, p.token[0] ? p.token : NULL, ""));
    snprintf(x->ws, sizeof x->ws, "%s", p.ws);
    e2e_page_fini(&p);
    if (!ok) {
        sess_close(x);
        return false;
    }
    snprintf(x->token, sizeof x->token, "%s", e2e_jstr(x->doc, "token"));
    x->sid = token_sid(x->token);
    x->pid = pid_in(e2e_jstr(x->doc, "html"));
    x->crash = e2e_doc_id(x->doc, "Button", "Crash");
    x->slow = e2e_doc_id(x->doc, "Button", "Slow");
    x->later = e2e_doc_id(x->doc, "Button", "Fault in a timer");
    x->atend = e2e_doc_id(x->doc, "Button", "Fault at the end");
    x->ticks = e2e_doc_id(x->doc, "Number", "Ticks");
    if (x->pid <= 0 || !x->sid || x->crash < 0 || x->slow < 0 || x->later < 0 || x->atend < 0 ||
        x->ticks < 0) {
        e2e_fail("crash.c doc without a pid, a token or its nodes: token %s, %s", x->token,
                 e2e_dumps(x->doc));
        sess_close(x);
        return false;
    }
    return true;
}

static bool click(struct sess *x, long id)
{
    return e2e_sendf(x->c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", id);
}

/* Sessions until two are held by different workers (40 tries at most): *A and *B. */
static bool two_sessions(const struct e2e_server *s, const struct workers *w, struct sess *A,
                         struct sess *B)
{
    enum { TRIES = 40 };
    struct sess x[TRIES];
    int a = -1, b = -1, n = 0;
    bool ok = true;
    for (; ok && n < TRIES && b < 0; n++) {
        ok = sess_open(s, &x[n]);
        if (ok && worker_of(w, x[n].pid) < 0)
            ok = e2e_fail("the doc shows pid %d, not one of the workers' (%d, %d)", (int)x[n].pid,
                          (int)w->pid[0], (int)w->pid[1]);
        if (ok && a < 0)
            a = n;
        else if (ok && x[n].pid != x[a].pid)
            b = n;
    }
    if (ok && b < 0)
        ok = e2e_fail("all %d sessions landed on worker pid %d: connections never reach the other",
                      TRIES, (int)x[a].pid);
    if (ok) {
        *A = x[a];
        *B = x[b];
        memset(&x[a], 0, sizeof x[a]);
        memset(&x[b], 0, sizeof x[b]);
    }
    for (int i = 0; i < n; i++)
        sess_close(&x[i]);
    return ok;
}

/* The value a patch sets on node id, or -1 if it sets none. */
static double patch_value(json_t *patch, long id)
{
    double v = e2e_patch_number(patch, id, NULL);
    return isnan(v) ? -1 : v;
}

/* Drops what c has received so far. */
static void drop_queued(struct e2e_cl *c)
{
    for (; c->qn; c->qn--, c->qh = (c->qh + 1) % E2E_QCAP)
        wsc_msg_free(&c->q[c->qh]);
}

/* GET target on a connection of its own: the server must close it without a byte. */
static bool get_cut(const struct e2e_server *s, const char *target)
{
    struct e2e_conn c;
    if (e2e_conn_open(&c, s->port) != 0)
        return e2e_fail("connect to port %d: %s", s->port, strerror(errno));
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", target, s->port);
    struct e2e_resp r = {0}; /* e2e_read_response initialises it; freeing zeroes is harmless */
    bool ok = e2e_conn_send_str(&c, req) == 0;
    if (!ok)
        e2e_fail("send: %s", strerror(errno));
    else if (e2e_read_response(&c, false, &r, MS(5000)) != 0)
        ok = e2e_failw("GET %s", target);
    else if (r.status != 0)
        ok = e2e_fail("GET %s: status %d, want the connection closed without a response", target,
                      r.status);
    e2e_resp_fini(&r);
    e2e_conn_close(&c);
    return ok;
}

/* GET target until a 200 within timeout_ms; *pid (if not NULL) the pid its page shows. */
static bool get_200(const struct e2e_server *s, const char *target, int timeout_ms, pid_t *pid)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    int status = -1;
    for (int i = 0; i < 1000; i++) {
        struct e2e_resp r;
        if (e2e_get(s->port, target, NULL, &r)) {
            status = r.status;
            if (pid)
                *pid = pid_in(r.body.data);
        }
        e2e_resp_fini(&r);
        if (status == 200)
            return true;
        if (e2e_now_ms() > deadline)
            break;
        e2e_idle(50);
    }
    if (status >= 0)
        return e2e_fail("GET %s: status %d, no 200 within %d ms", target, status, timeout_ms);
    return e2e_failw("no 200 within %d ms", timeout_ms);
}

/* ---- the cases ----------------------------------------------------------------------------- */

static bool case_isolation(void)
{
    static struct e2e_server s = {.name = "isolation"};
    struct workers w;
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, NULL, true, &w))
        return stop(&s, false);
    struct sess xa, xb, *A = &xa, *B = &xb;
    if (!two_sessions(&s, &w, A, B))
        return stop(&s, false);
    bool ok = true;
    int ka = worker_of(&w, A->pid);
    char want[512], line[512];
    json_t *p = NULL, *doc = NULL;
    struct e2e_cl *c = NULL;
    pid_t pids[8], fresh = -1;

    /* B ticks before the crash */
    ok = (p = e2e_expect_msg(B->c, "patch", NULL, MS(2000))) != NULL;
    json_decref(p);
    size_t mark = e2e_log_mark(&s);
    ok = ok && click(A, A->crash);
    snprintf(want, sizeof want,
             "worker %d (pid %d) killed by signal 11 (SIGSEGV) in app crash: callback of node %ld "
             "(session %016llx)",
             ka, (int)A->pid, A->crash, A->sid);
    ok = ok && wait_line(&s, mark, want, "killed by", line, sizeof line, MS(5000));
    if (ok && !level_is(line, "error"))
        ok = e2e_fail("not an error: %s", line);
    long long t0 = e2e_now_ms();
    /* the crashed worker's socket ends */
    struct wsc_msg m;
    for (int i = 0; ok && i < 1000; i++) {
        int rc = e2e_cl_next(A->c, MS(3000), &m);
        if (rc == 0)
            ok = e2e_fail("the socket of the crashed worker's session is still open after 3 s");
        if (rc <= 0)
            break;
        wsc_msg_free(&m);
    }
    /* B's worker goes on: Ticks patches for at least 1 s after the crash, none 500 ms apart */
    if (ok)
        drop_queued(B->c);
    int ticks = 0;
    double first = -1, last = -1;
    while (ok && e2e_now_ms() - t0 < 1100) {
        p = e2e_expect_msg(B->c, "patch", NULL, MS(500));
        if (!p) {
            ok = e2e_failw("session on the other worker (pid %d), %lld ms after the crash",
                           (int)B->pid, e2e_now_ms() - t0);
            break;
        }
        double v = patch_value(p, B->ticks);
        json_decref(p);
        if (v < 0)
            continue;
        if (first < 0)
            first = v;
        if (last >= 0 && v <= last)
            ok = e2e_fail("Ticks went from %g to %g", last, v);
        last = v;
        ticks++;
    }
    if (ok && ticks < 5)
        ok = e2e_fail("%d Ticks patches in 1.1 s after the crash on the other worker, want >= 5",
                      ticks);
    /* the dead session's token: a fresh session from a live worker (the key is shared) */
    long long t1 = e2e_now_ms();
    ok = ok && (c = e2e_cl_open(&s, A->ws)) && e2e_send_hello(c, A->token, "") &&
         (doc = e2e_expect_msg(c, "doc", NULL, MS(2000)));
    if (ok && !strcmp(e2e_jstr(doc, "token"), A->token))
        ok = e2e_fail("the dead session's token resumed a session (doc with the same token)");
    if (ok && pid_in(e2e_jstr(doc, "html")) == A->pid)
        ok = e2e_fail("a doc from the dead worker's pid %d", (int)A->pid);
    if (ok)
        fprintf(stderr, "isolation: the dead session's token got a doc from pid %d in %lld ms\n",
                (int)pid_in(e2e_jstr(doc, "html")), e2e_now_ms() - t1);
    /* restarted */
    ok = ok && wait_restarted_now(&s, mark, ka, A->pid, &fresh);
    if (ok && !e2e_server_alive(&s))
        ok = e2e_failw("the supervisor after a worker's crash");
    ok = ok && wait_nprocs(&s, 3, pids, 8, MS(3000));
    if (ok && (!has_pid(pids, 3, B->pid) || !has_pid(pids, 3, fresh)))
        ok =
            e2e_fail("processes %d %d %d, want the supervisor %d, the survivor %d and the new %d",
                     (int)pids[0], (int)pids[1], (int)pids[2], (int)s.pid, (int)B->pid, (int)fresh);
    json_decref(doc);
    e2e_cl_free(c);
    sess_close(A);
    sess_close(B);
    return stop(&s, ok);
}

static bool case_request(void)
{
    static struct e2e_server s = {.name = "request"};
    struct workers w;
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, NULL, true, &w))
        return stop(&s, false);
    size_t mark = e2e_log_mark(&s);
    char line[512];
    int k = -1;
    pid_t dead = -1, fresh = -1, served = -1;
    bool ok = get_cut(&s, "/crash?crash=1") &&
              wait_line(&s, mark,
                        "killed by signal 11 (SIGSEGV) in app crash: pn_app for request \"GET "
                        "/crash?crash=1\"",
                        "killed by", line, sizeof line, MS(5000));
    if (ok && (!parse_worker(line, &k, &dead) || worker_num(&s, dead) != k))
        ok = e2e_fail("not `worker K (pid P)` of a worker: %s", line);
    if (ok && !level_is(line, "error"))
        ok = e2e_fail("not an error: %s", line);
    long long t0 = e2e_now_ms();
    ok = ok && get_200(&s, "/crash", MS(5000), &served);
    if (ok)
        fprintf(stderr, "request: GET /crash served by pid %d %lld ms after the crash\n",
                (int)served, e2e_now_ms() - t0);
    if (ok && served == dead)
        ok = e2e_fail("GET /crash served by the dead worker's pid %d", (int)dead);
    ok = ok && wait_restarted_now(&s, mark, k, dead, &fresh) &&
         get_200(&s, "/crash", MS(5000), NULL);
    return stop(&s, ok);
}

static bool case_backoff(void)
{
    static struct e2e_server s = {.name = "backoff"};
    struct workers w;
    if (!start(&s, e2e_src("tests/apps/crash.c"), 1, NULL, true, &w))
        return stop(&s, false);
    static const char *const restart[] = {
        "restarting worker 1 now",
        "restarting worker 1 in 1 s (crashed 2 times in a row, each within 10 s of its start)",
        "restarting worker 1 in 2 s (crashed 3 times in a row, each within 10 s of its start)"};
    static const int delay[] = {0, 1000, 2000};
    pid_t pid = w.pid[0];
    bool ok = true;
    char line[512];
    for (int i = 0; ok && i < 3; i++) {
        size_t mark = e2e_log_mark(&s);
        char want[128];
        snprintf(want, sizeof want, "worker 1 (pid %d) killed by signal 11 (SIGSEGV)", (int)pid);
        ok = get_cut(&s, "/crash?crash=1") &&
             wait_line(&s, mark, want, "killed by", line, sizeof line, MS(5000)) &&
             wait_line(&s, mark, restart[i], "restarting", line, sizeof line, MS(5000));
        if (!ok) {
            e2e_failw("crash %d", i + 1);
            break;
        }
        long long t0 = e2e_now_ms();
        if (i == 2) { /* a GET while the worker is down: it waits in the backlog */
            pid_t by = -1;
            struct e2e_resp r;
            bool got = e2e_get(s.port, "/crash", NULL, &r);
            if (got && r.status == 200)
                by = pid_in(r.body.data);
            else if (got)
                ok = e2e_fail("GET /crash while the worker is down: status %d", r.status);
            else
                ok = e2e_failw("GET /crash while the worker is down");
            e2e_resp_fini(&r);
            if (ok)
                fprintf(stderr,
                        "backoff: GET /crash answered by pid %d %lld ms after the "
                        "restart was announced\n",
                        (int)by, e2e_now_ms() - t0);
        }
        pid_t fresh = -1;
        ok = ok && wait_restarted(&s, mark, 1, pid, &fresh, MS(delay[i] + 10000));
        long long took = e2e_now_ms() - t0;
        fprintf(stderr, "backoff: crash %d, worker 1 ready again %lld ms after `%s`\n", i + 1, took,
                restart[i]);
        if (ok && took < delay[i] * 8 / 10)
            ok = e2e_fail("crash %d: worker 1 ready again %lld ms after `%s`", i + 1, took,
                          restart[i]);
        pid = fresh;
    }
    ok = ok && get_200(&s, "/crash", MS(5000), NULL);
    return stop(&s, ok);
}

static bool case_sigkill(void)
{
    static struct e2e_server s = {.name = "sigkill"};
    struct workers w;
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, NULL, true, &w))
        return stop(&s, false);
    int k = w.k[0];
    pid_t victim = w.pid[0], fresh = -1;
    size_t mark = e2e_log_mark(&s);
    char want[256], line[512];
    kill(victim, SIGKILL); /* a worker of the server this test started, by its pid */
    snprintf(want, sizeof want, "worker %d (pid %d) killed by signal 9 (SIGKILL) outside app code",
             k, (int)victim);
    bool ok = wait_line(&s, mark, want, "killed by", line, sizeof line, MS(5000));
    if (ok && !level_is(line, "error"))
        ok = e2e_fail("not an error: %s", line);
    ok = ok && wait_restarted_now(&s, mark, k, victim, &fresh) &&
         get_200(&s, "/crash", MS(5000), NULL);
    return stop(&s, ok);
}

static bool case_watchdog(void)
{
    static struct e2e_server s = {.name = "watchdog"};
    struct workers w;
    if (!start(&s, e2e_src("tests/apps/crash.c"), 1, NULL, false, &w))
        return stop(&s, false);
    struct sess x;
    if (!sess_open(&s, &x))
        return stop(&s, false);
    int k = worker_of(&w, x.pid);
    size_t mark = e2e_log_mark(&s);
    char pre[256], post[256], line[512];
    snprintf(pre, sizeof pre, "watchdog: worker %d (pid %d) loop 0 has been in app crash for ", k,
             (int)x.pid);
    snprintf(post, sizeof post,
             " ms: callback of node %ld (session %016llx); every session on that loop waits",
             x.slow, x.sid);
    bool ok = k > 0 ? click(&x, x.slow) : e2e_fail("pid %d is not a worker's", (int)x.pid);
    ok = ok && wait_line(&s, mark, pre, "watchdog", line, sizeof line, MS(3000));
    const char *at = ok ? strstr(line, pre) : NULL;
    char *end = NULL;
    long stalled = at ? strtol(at + strlen(pre), &end, 10) : -1;
    /* at 500 ms, give or take the watchdog's period; the note is gone once the callback returns */
    if (ok && (!end || strcmp(end, post) || stalled < 500 || stalled > 1000))
        ok = e2e_fail("want `%s<500..1000>%s`, got `%s`", pre, post, line);
    if (ok && !level_is(line, "warning"))
        ok = e2e_fail("not a warning: %s", line);
    /* the worker's own line once the callback returned */
    snprintf(pre, sizeof pre,
             "app crash: callback of node %ld (session %016llx) blocked its loop for ", x.slow,
             x.sid);
    ok = ok && wait_line(&s, mark, pre, "blocked its loop", line, sizeof line, MS(3000));
    at = ok ? strstr(line, pre) : NULL;
    long blocked = at ? strtol(at + strlen(pre), &end, 10) : -1;
    if (ok && (!end || strcmp(end, " ms") || blocked < 700))
        ok = e2e_fail("want `%s<700 or more> ms`, got `%s`", pre, line);
    if (ok && !level_is(line, "warning"))
        ok = e2e_fail("not a warning: %s", line);
    if (ok)
        fprintf(stderr, "watchdog: named after %ld ms, blocked %ld ms\n", stalled, blocked);
    /* nobody was killed: the session goes on ticking */
    json_t *p = NULL;
    if (ok)
        drop_queued(x.c);
    ok = ok && (p = e2e_expect_msg(x.c, "patch", NULL, MS(2000)));
    json_decref(p);
    if (ok && e2e_log_has(&s, mark, "killed by"))
        ok = e2e_fail("a worker was killed for a slow callback");
    sess_close(&x);
    return stop(&s, ok);
}

static bool case_sigterm(void)
{
    static struct e2e_server s = {.name = "sigterm"};
    struct workers w;
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, NULL, false, &w))
        return stop(&s, false);
    struct sess x[2];
    pid_t pids[8];
    int n = e2e_server_pids(&s, pids, 8);
    if (!two_sessions(&s, &w, &x[0], &x[1])) /* a live socket on each worker */
        return stop(&s, false);
    size_t mark = e2e_log_mark(&s);
    long long t0 = e2e_now_ms();
    kill(s.pid, SIGTERM);
    bool ok = true;
    for (int i = 0; ok && i < 2; i++)
        if (!e2e_expect_close(x[i].c, 1001, "patch", MS(5000)))
            ok = e2e_failw("the live socket on worker pid %d", (int)x[i].pid);
    /* the sockets stay open, as a browser's would, until the server closes them */
    long long left = MS(5000) - (e2e_now_ms() - t0);
    int st = e2e_server_stop(&s, 0, left > 0 ? (int)left : 0);
    long long took = e2e_now_ms() - t0;
    if (ok && st != 0)
        ok = e2e_fail("exit status %d after SIGTERM (256+N: signal N, -1: still running after 5 s)",
                      st);
    if (ok && !e2e_log_has(&s, mark, "signal 15: stopping 2 workers"))
        ok = e2e_fail("no `signal 15: stopping 2 workers` in the log");
    if (ok)
        fprintf(stderr, "sigterm: exit %d after %lld ms\n", st, took);
    /* no worker is left (pids[0] is the supervisor, reaped above) */
    if (ok && !wait_gone(pids + 1, n - 1, MS(3000)))
        ok = e2e_failw("a worker after its supervisor exited");
    sess_close(&x[0]);
    sess_close(&x[1]);
    return ok;
}

/* ---- where app code was entered: pn_app by a hello, a timer, a destroy hook, the key ---- */

/* A `worker K (pid P) ...` line after mark with what (the rest of the line, exactly): P one of
 * the server's workers (a ready line named it), K its number, level error. */
static bool death_line(const struct e2e_server *s, size_t mark, const char *what, pid_t pid,
                       char *line, size_t len)
{
    if (!wait_line(s, mark, what, "worker ", line, len, MS(5000)))
        return false;
    int k;
    pid_t p;
    /* P is a worker its ready line named; or, without one, a restarted worker that accepted
     * (the port is shared) and died before the supervisor read its ready pipe */
    bool parsed = parse_worker(line, &k, &p);
    int named = parsed ? worker_num(s, p) : -1;
    if (!parsed || (named != k && (named != -1 || k < 1 || k > MAXW)))
        return e2e_fail("not `worker K (pid P)` of one of the workers: %s", line);
    if (pid > 0 && p != pid)
        return e2e_fail("pid %d, want %d (where the session lived): %s", (int)p, (int)pid, line);
    char tail[300];
    snprintf(tail, sizeof tail, "worker %d (pid %d) %s", k, (int)p, what);
    size_t n = strlen(line), m = strlen(tail);
    if (n < m || strcmp(line + n - m, tail))
        return e2e_fail("want a line ending in `%s`, got `%s`", tail, line);
    if (!level_is(line, "error"))
        return e2e_fail("not an error: %s", line);
    return true;
}

static struct e2e_server S_ENTRIES = {.name = "entries"};

static bool entry_hello(void)
{
    size_t mark = e2e_log_mark(&S_ENTRIES);
    struct e2e_cl *c = e2e_cl_open(&S_ENTRIES, "/crash/ws");
    char line[512];
    bool ok =
        c && e2e_send_hello(c, NULL, "crash=1") &&
        wait_line(&S_ENTRIES, mark, "killed by signal 11 (SIGSEGV) in app crash: pn_app (session ",
                  "killed by", line, sizeof line, MS(5000));
    /* ... (session <16 hex digits>) at the end of the line */
    const char *id = ok ? strstr(line, "pn_app (session ") + strlen("pn_app (session ") : NULL;
    if (ok && (strspn(id, "0123456789abcdef") != 16 || strcmp(id + 16, ")")))
        ok = e2e_fail("want `pn_app (session <16 hex digits>)` at the end: %s", line);
    if (ok && !level_is(line, "error"))
        ok = e2e_fail("not an error: %s", line);
    struct wsc_msg m;
    int rc = ok ? e2e_cl_next(c, MS(3000), &m) : -1;
    if (rc == 1) {
        ok = e2e_fail("the hello's socket got %.200s after its worker died", m.data);
        wsc_msg_free(&m);
    } else if (ok && rc == 0) {
        ok = e2e_fail("the hello's socket is still open 3 s after its worker died");
    }
    e2e_cl_free(c);
    return ok;
}

static bool entry_timer(void)
{
    struct sess x;
    if (!sess_open(&S_ENTRIES, &x))
        return false;
    size_t mark = e2e_log_mark(&S_ENTRIES);
    char what[200], line[512];
    snprintf(what, sizeof what,
             "killed by signal 11 (SIGSEGV) in app crash: a timer (session %016llx)", x.sid);
    bool ok = click(&x, x.later) && death_line(&S_ENTRIES, mark, what, x.pid, line, sizeof line);
    sess_close(&x);
    return ok;
}

static bool entry_destroy(void)
{
    struct sess x;
    if (!sess_open(&S_ENTRIES, &x))
        return false;
    bool ok = click(&x, x.atend), armed = false;
    for (int i = 0; ok && !armed && i < 100; i++) { /* the callback ran: the label says so */
        json_t *p = e2e_expect_msg(x.c, "patch", NULL, MS(3000));
        const char *label =
            json_string_value(json_object_get(e2e_patch_changes(p, x.atend), "label"));
        armed = label && !strcmp(label, "Armed");
        ok = p != NULL;
        json_decref(p);
    }
    if (ok && !armed)
        ok = e2e_fail("no patch relabelling \"Fault at the end\"");
    /* the visitor leaves; the sweep ends the session (lifetime 300 ms) and runs its hook */
    size_t mark = e2e_log_mark(&S_ENTRIES);
    e2e_close_nicely(x.c);
    x.c = NULL;
    char what[200], line[512];
    snprintf(what, sizeof what,
             "killed by signal 11 (SIGSEGV) in app crash: a destroy hook (session %016llx)", x.sid);
    ok = ok && death_line(&S_ENTRIES, mark, what, x.pid, line, sizeof line);
    sess_close(&x);
    return ok;
}

static bool entry_key(void)
{
    size_t mark = e2e_log_mark(&S_ENTRIES);
    char line[512];
    return get_cut(&S_ENTRIES, "/crash?crashkey=1") &&
           death_line(&S_ENTRIES, mark,
                      "killed by signal 11 (SIGSEGV) in app crash: pn_session_key for request "
                      "\"GET /crash?crashkey=1\"",
                      -1, line, sizeof line);
}

static bool entry_exit(void)
{
    size_t mark = e2e_log_mark(&S_ENTRIES);
    char line[512];
    pid_t pid = -1;
    /* the page is served; 300 ms later a thread of the app calls _exit(3), the loop idle */
    return get_200(&S_ENTRIES, "/crash?exit=3", MS(5000), &pid) &&
           death_line(&S_ENTRIES, mark, "exited with status 3 outside app code", pid, line,
                      sizeof line);
}

/* One server, --reuse-sessions (so that pn_session_key runs) and a 300 ms lifetime swept every
 * 100 ms (so that a destroy hook runs soon after its socket closes); each kind of entry is a
 * result of its own. */
static void case_entries(void)
{
    static const struct {
        const char *name;
        bool (*fn)(void);
    } steps[] = {{"entries.hello-pn_app", entry_hello},
                 {"entries.timer", entry_timer},
                 {"entries.destroy-hook", entry_destroy},
                 {"entries.session-key", entry_key},
                 {"entries.exit", entry_exit}};
    bool any = false;
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        any |= e2e_selected(steps[i].name);
    if (!any)
        return;
    const char *more[] = {"--reuse-sessions",
                          "--unused-session-lifetime",
                          "300",
                          "--check-unused-sessions",
                          "100",
                          NULL};
    struct workers w;
    if (!start(&S_ENTRIES, e2e_src("tests/apps/crash.c"), 2, more, true, &w)) {
        e2e_report("entries.start", stop(&S_ENTRIES, false));
        return;
    }
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++)
        if (e2e_selected(steps[i].name))
            e2e_report(steps[i].name, steps[i].fn());
    e2e_report("entries.stop", stop(&S_ENTRIES, e2e_server_alive(&S_ENTRIES)));
}

/* ---- reload ---- */

static char dir[] = "/tmp/pane-workers-test.XXXXXX";
static char app_path[sizeof dir + 16];

static bool write_app(const char *text)
{
    char tmp[sizeof app_path + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", app_path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return e2e_fail("%s: %s", tmp, strerror(errno));
    bool ok = fputs(text, f) >= 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, app_path) != 0)
        return e2e_fail("writing %s: %s", app_path, strerror(errno));
    return true;
}

static const char app_v1[] = "#include <pane.h>\n"
                             "void pn_app(pn_session *s)\n"
                             "{\n"
                             "    pn_servable(s, pn_markdown(s, .text = \"version 1\"));\n"
                             "}\n";
static const char app_v2[] = "#include <pane.h>\n"
                             "void pn_app(pn_session *s)\n"
                             "{\n"
                             "    pn_servable(s, pn_markdown(s, .text = \"version 2\"));\n"
                             "}\n";
static const char app_bad[] = "#include <pane.h>\n"
                              "void pn_app(pn_session *s)\n"
                              "{\n"
                              "    this does not compile\n"
                              "}\n";

/* One GET on a connection of its own (Connection: close, read to the end), thread-safe (no
 * e2e_why): the version its page shows (1, 2), 0 for a 200 without one, or -1 with what went
 * wrong in err. */
static int version_get(int port, const char *path, char *err, size_t errlen)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return snprintf(err, errlen, "socket: %s", strerror(errno)), -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {5, 0};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    char req[256];
    int n =
        snprintf(req, sizeof req,
                 "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n", path, port);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
        send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        snprintf(err, errlen, "connect/send: %s", strerror(errno));
        close(fd);
        return -1;
    }
    size_t cap = 1u << 20, len = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory");
        close(fd);
        return -1;
    }
    long long deadline = e2e_now_ms() + MS(5000);
    int rc = -1;
    for (;;) {
        long long wait = deadline - e2e_now_ms();
        struct pollfd p = {fd, POLLIN, 0};
        int r = wait > 0 ? poll(&p, 1, (int)wait) : 0;
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            snprintf(err, errlen, "no end of the response within 5 s (%zu bytes)", len);
            goto out;
        }
        ssize_t k = recv(fd, buf + len, cap - len, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            snprintf(err, errlen, "recv after %zu bytes: %s", len, strerror(errno));
            goto out;
        }
        if (k == 0)
            break;
        len += (size_t)k;
        if (len == cap) {
            snprintf(err, errlen, "response over 1 MiB");
            goto out;
        }
    }
    buf[len] = '\0';
    if (len == 0)
        snprintf(err, errlen, "closed without a response");
    else if (strncmp(buf, "HTTP/1.1 200 ", 13))
        snprintf(err, errlen, "status line %.40s", buf);
    else
        rc = strstr(buf, "version 1") ? 1 : strstr(buf, "version 2") ? 2 : 0;
    if (rc == 0)
        snprintf(err, errlen, "200 without a version in its page");
out:
    free(buf);
    close(fd);
    return rc;
}

/* The thread that GETs the page while the server reloads. */
struct loop {
    int port;
    const char *path;
    atomic_int stop;
    int requests, failed, v1, v2;
    char first_error[320];
};

static void *loop_run(void *arg)
{
    struct loop *l = arg;
    long long deadline = e2e_now_ms() + MS(10000);
    for (int i = 0; i < 3000 && !atomic_load(&l->stop) && e2e_now_ms() < deadline; i++) {
        char err[256] = "";
        int v = version_get(l->port, l->path, err, sizeof err);
        l->requests++;
        if (v == 1)
            l->v1++;
        else if (v == 2)
            l->v2++;
        else if (l->failed++ == 0)
            snprintf(l->first_error, sizeof l->first_error, "request %d: %s", i + 1, err);
        e2e_sleep_ms(3);
    }
    return NULL;
}

/* GET the page: it must show version v. */
static bool shows(const struct e2e_server *s, int v)
{
    char err[256] = "";
    int got = version_get(s->port, s->path, err, sizeof err);
    if (got < 0)
        return e2e_fail("GET %s: %s", s->path, err);
    if (got != v)
        return e2e_fail("GET %s shows version %d, want %d", s->path, got, v);
    return true;
}

static bool case_reload(void)
{
    static struct e2e_server s = {.name = "reload"};
    if (!mkdtemp(dir))
        return e2e_fail("mkdtemp: %s", strerror(errno));
    snprintf(app_path, sizeof app_path, "%s/reload.c", dir);
    struct workers w;
    bool ok = write_app(app_v1) && start(&s, app_path, 2, NULL, false, &w) && shows(&s, 1) &&
              write_app(app_v2);
    pid_t old[MAXW];
    int nold = ok ? w.n : 0;
    memcpy(old, w.pid, sizeof(pid_t) * (size_t)nold);
    /* SIGHUP while GETs keep coming on fresh connections */
    struct loop l = {.port = s.port, .path = s.path};
    pthread_t th;
    bool running = ok && pthread_create(&th, NULL, loop_run, &l) == 0;
    if (ok && !running)
        ok = e2e_fail("pthread_create failed");
    char line[512];
    /* a keep-alive connection left idle after a request, and one that never sent anything (a
     * browser's preconnect): the old workers close both at once when they drain, rather than
     * holding their drain (and their pages' sockets) to its 5 s deadline */
    struct e2e_conn idle = {.fd = -1}, quiet = {.fd = -1};
    struct e2e_resp ir;
    char req[300];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", s.path);
    ok = ok && (e2e_conn_open(&idle, s.port) == 0 || e2e_fail("connect")) &&
         (e2e_conn_open(&quiet, s.port) == 0 || e2e_fail("connect")) &&
         (e2e_conn_send_str(&idle, req) == 0 || e2e_fail("send")) &&
         e2e_read_response(&idle, false, &ir, MS(3000)) == 0 &&
         (ir.status == 200 || e2e_fail("GET %s: %d", s.path, ir.status));
    e2e_resp_fini(&ir);
    size_t mark = e2e_log_mark(&s);
    if (ok) {
        e2e_sleep_ms(200);
        kill(s.pid, SIGHUP);
    }
    long long t0 = e2e_now_ms();
    ok = ok && wait_line(&s, mark, "signal 1: reloading", NULL, line, sizeof line, MS(3000)) &&
         wait_line(&s, mark, "reloaded: 2 new workers serving, the old ones finish and stop",
                   "reload", line, sizeof line, MS(30000));
    long long took = e2e_now_ms() - t0;
    ok = ok && (e2e_wait_closed(&idle, MS(2000)) == 1 ||
                e2e_fail("an idle keep-alive connection still open 2 s into the drain"));
    ok = ok && (e2e_wait_closed(&quiet, MS(2000)) == 1 ||
                e2e_fail("a connection that sent nothing still open 2 s into the drain"));
    e2e_conn_close(&idle);
    e2e_conn_close(&quiet);
    if (running) {
        e2e_sleep_ms(300); /* and on a little after it */
        atomic_store(&l.stop, 1);
        pthread_join(th, NULL);
    }
    fprintf(stderr,
            "reload: reloaded after %lld ms; %d GETs meanwhile: %d version 1, %d version 2, "
            "%d failed\n",
            took, l.requests, l.v1, l.v2, l.failed);
    if (ok && l.failed)
        ok = e2e_fail("%d of %d GETs during the reload failed; the first: %s", l.failed, l.requests,
                      l.first_error);
    struct workers nw;
    ready_lines(&s, mark, &nw);
    if (ok && nw.n != 2)
        ok = e2e_fail("%d ready lines after SIGHUP, want 2", nw.n);
    for (int i = 0; ok && i < nw.n; i++)
        if (has_pid(old, nold, nw.pid[i]))
            ok = e2e_fail("a ready line after SIGHUP names an old worker's pid %d", (int)nw.pid[i]);
    if (ok && !wait_gone(old, nold, MS(5000)))
        ok = e2e_failw("an old worker after the reload");
    pid_t pids[8];
    ok =
        ok && shows(&s, 2) && shows(&s, 2) && shows(&s, 2) && wait_nprocs(&s, 3, pids, 8, MS(3000));

    /* an app.c that does not compile: the running workers go on */
    mark = e2e_log_mark(&s);
    ok = ok && write_app(app_bad);
    if (ok)
        kill(s.pid, SIGHUP);
    ok = ok && wait_line(&s, mark, "reload failed: ", "reload", line, sizeof line, MS(30000));
    if (ok && !strstr(line, "; the running workers go on"))
        ok = e2e_fail("want `reload failed: ...; the running workers go on`, got `%s`", line);
    pid_t after[8];
    ok = ok && shows(&s, 2) && e2e_server_alive(&s) && wait_nprocs(&s, 3, after, 8, MS(3000));
    for (int i = 0; ok && i < 3; i++)
        if (!has_pid(pids, 3, after[i]))
            ok = e2e_fail("after a failed reload, pid %d is not one of the running ones",
                          (int)after[i]);
    ok = stop(&s, ok);
    remove(app_path);
    rmdir(dir);
    return ok;
}

/* ---- stats ---- */

static long long jint(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_integer(v) ? json_integer_value(v) : -1;
}

/* Do the integer members of top-level obj ("cache" or "sessions") equal the sums of the same
 * members over every loop of every worker? If not, why in e2e_why. */
static bool totals(json_t *j, const char *obj)
{
    json_t *top = json_object_get(j, obj), *ws = json_object_get(j, "workers"), *v;
    const char *key;
    json_object_foreach(top, key, v)
    {
        if (!json_is_integer(v))
            continue;
        long long sum = 0;
        for (size_t i = 0; i < json_array_size(ws); i++) {
            json_t *loops = json_object_get(json_array_get(ws, i), "loops");
            for (size_t l = 0; l < json_array_size(loops); l++)
                sum += jint(json_object_get(json_array_get(loops, l), obj), key);
        }
        if (sum != json_integer_value(v))
            return e2e_fail("%s.%s is %lld, the loops' sum %lld", obj, key,
                            (long long)json_integer_value(v), sum);
    }
    return true;
}

/* /_pane/stats of a server of 2 workers: "workers" has an entry for each (the log's numbers and
 * pids) with its loops (loop, cache, sessions). The JSON (json_decref it), or NULL with e2e_why;
 * *adds_up: the top-level cache and sessions are the loops' sums. */
static json_t *stats_get(const struct e2e_server *s, const struct workers *w, bool *adds_up)
{
    struct e2e_resp r;
    if (!e2e_get(s->port, "/_pane/stats", NULL, &r))
        return NULL;
    json_error_t je;
    json_t *j = r.status == 200 ? json_loads(r.body.data, 0, &je) : NULL;
    bool ok = j != NULL;
    if (!ok)
        e2e_fail("GET /_pane/stats: status %d, %.200s", r.status, r.body.data);
    json_t *ws = json_object_get(j, "workers");
    if (ok && (!json_is_object(json_object_get(j, "cache")) ||
               !json_is_object(json_object_get(j, "sessions"))))
        ok = e2e_fail("no top-level cache and sessions: %.300s", r.body.data);
    if (ok && json_array_size(ws) != 2)
        ok = e2e_fail("\"workers\" has %zu entries, want 2: %.300s", json_array_size(ws),
                      r.body.data);
    pid_t got[2] = {-1, -1};
    for (size_t i = 0; ok && i < json_array_size(ws); i++) {
        json_t *e = json_array_get(ws, i), *loops = json_object_get(e, "loops");
        got[i] = (pid_t)jint(e, "pid");
        int k = (int)jint(e, "worker");
        if (worker_of(w, got[i]) != k)
            ok = e2e_fail("workers[%zu]: worker %d pid %d, not a worker of the log's", i, k,
                          (int)got[i]);
        if (ok && json_array_size(loops) < 1)
            ok = e2e_fail("workers[%zu] has no loops", i);
        for (size_t l = 0; ok && l < json_array_size(loops); l++) {
            json_t *lp = json_array_get(loops, l);
            if (jint(lp, "loop") != (long long)l || !json_is_object(json_object_get(lp, "cache")) ||
                !json_is_object(json_object_get(lp, "sessions")))
                ok = e2e_fail("workers[%zu].loops[%zu]: %s", i, l, e2e_dumps(lp));
        }
    }
    if (ok && got[0] == got[1])
        ok = e2e_fail("both entries of \"workers\" have pid %d", (int)got[0]);
    *adds_up = ok && totals(j, "sessions") && totals(j, "cache");
    e2e_resp_fini(&r);
    if (!ok) {
        json_decref(j);
        return NULL;
    }
    return j;
}

static bool case_stats(void)
{
    static struct e2e_server s = {.name = "stats"};
    struct workers w;
    const char *more[] = {"--admin", NULL};
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, more, false, &w))
        return stop(&s, false);
    bool ok = true;
    for (int i = 0; ok && i < 6; i++)
        ok = get_200(&s, "/crash", MS(3000), NULL);
    bool adds_up = false;
    for (int i = 0; ok && !adds_up && i < 10; i++) {
        e2e_idle(200); /* a quiet moment: every loop has published its counters */
        json_t *j = stats_get(&s, &w, &adds_up);
        long long created = jint(json_object_get(j, "sessions"), "created");
        if (!j)
            ok = false;
        else if (created < 6)
            ok = e2e_fail("sessions.created %lld after 6 pages", created);
        json_decref(j);
    }
    if (ok && !adds_up)
        ok = e2e_failw("10 tries");
    return stop(&s, ok);
}

/* The value of the sample `name` (with its labels, as printed) in a /metrics body, or NAN. */
static double metric(const char *body, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = body; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (!strncmp(p, name, n) && p[n] == ' ')
            return strtod(p + n + 1, NULL);
    return NAN;
}

/* `promtool check metrics` (Debian's prometheus package; CI installs it) on body. */
static bool promtool_ok(const char *body, size_t len)
{
    if (system("command -v promtool >/dev/null 2>&1") != 0) {
        fprintf(stderr, "# promtool is not installed: the format check is skipped\n");
        return true;
    }
    char path[] = "/tmp/pane-metrics-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return e2e_fail("mkstemp: %s", strerror(errno));
    bool wrote = write(fd, body, len) == (ssize_t)len;
    close(fd);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "promtool check metrics < %s 1>&2", path);
    int rc = wrote ? system(cmd) : -1;
    unlink(path);
    return rc == 0 || e2e_fail("promtool check metrics: exit %d", rc);
}

/* --admin's /metrics: Prometheus's text format (promtool checks it), counting over both
 * workers what was served (pages, a 404, a socket and its messages, sessions), and across a
 * crash: the restart is counted, the dead worker's counts stay in the totals. */
static bool case_metrics(void)
{
    static struct e2e_server s = {.name = "metrics"};
    struct workers w;
    const char *more[] = {"--admin", NULL};
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, more, true, &w))
        return stop(&s, false);
    bool ok = true;
    for (int i = 0; ok && i < 6; i++)
        ok = get_200(&s, "/crash", MS(3000), NULL);
    struct e2e_resp r;
    ok = ok && e2e_get(s.port, "/nothing-here", NULL, &r) &&
         (r.status == 404 || e2e_fail("GET /nothing-here: %d", r.status));
    e2e_resp_fini(&r);
    json_t *doc = NULL;
    struct e2e_cl *c = ok ? e2e_open_session(&s, "/crash/ws", "", &doc) : NULL;
    ok = ok && c;
    json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    size_t mark = e2e_log_mark(&s);
    char line[512];
    pid_t dead = -1, fresh = -1;
    int k = -1;
    ok = ok && get_cut(&s, "/crash?crash=1") &&
         wait_line(&s, mark, "killed by signal 11", "killed by", line, sizeof line, MS(5000)) &&
         (parse_worker(line, &k, &dead) || e2e_fail("not a worker's line: %s", line)) &&
         wait_restarted_now(&s, mark, k, dead, &fresh);
    e2e_idle(300); /* every loop has published its counters */
    ok = ok && e2e_get(s.port, "/metrics", NULL, &r) &&
         (r.status == 200 || e2e_fail("GET /metrics: %d", r.status)) &&
         (e2e_header_has(&r, "content-type", "text/plain; version=0.0.4") ||
          e2e_fail("not Prometheus's text format"));
    const char *b = ok ? r.body.data : "";
    struct {
        const char *name;
        double min, max;
    } want[] = {
        {"pane_http_requests_total{code=\"200\"}", 6, 1e9},
        {"pane_http_requests_total{code=\"404\"}", 1, 1e9},
        {"pane_http_requests_total{code=\"101\"}", 1, 1e9},
        {"pane_http_request_duration_seconds_count", 7, 1e9},
        {"pane_websocket_messages_received_total", 1, 1e9}, /* the hello */
        {"pane_websocket_messages_sent_total", 1, 1e9},     /* the doc */
        {"pane_sessions_created_total", 7, 1e9},
        {"pane_workers", 2, 2},
        {"pane_worker_restarts_total", 1, 1},
        {"pane_worker_resident_memory_bytes{worker=\"1\"}", 1e6, 1e10},
        {"pane_worker_resident_memory_bytes{worker=\"2\"}", 1e6, 1e10},
        {"pane_build_info{version=\"" PANE_VERSION_STRING "\"}", 1, 1},
    };
    for (size_t i = 0; ok && i < sizeof want / sizeof *want; i++) {
        double v = metric(b, want[i].name);
        if (!(v >= want[i].min && v <= want[i].max))
            ok = e2e_fail("%s is %g, want %g..%g", want[i].name, v, want[i].min, want[i].max);
    }
    ok = ok && promtool_ok(r.body.data, r.body.len);
    e2e_resp_fini(&r);
    /* the admin page: the same figures, live, never cached */
    ok = ok && e2e_get(s.port, "/admin", NULL, &r) &&
         (r.status == 200 || e2e_fail("GET /admin: %d", r.status)) &&
         (e2e_header_has(&r, "cache-control", "no-store") || e2e_fail("/admin is cacheable"));
    e2e_resp_fini(&r);
    c = ok ? e2e_open_session(&s, "/admin/ws", "", &doc) : NULL;
    ok = ok && c;
    double workers = ok ? json_number_value(e2e_doc_prop(doc, "Number", "Workers", "value")) : 0;
    ok = ok && (workers == 2 || e2e_fail("the admin page shows %g workers, not 2", workers));
    bool patched = false, data = false; /* its Numbers' patch and its Plots' points */
    for (long long end = e2e_now_ms() + MS(3000); ok && !(patched && data) && e2e_now_ms() < end;) {
        struct wsc_msg m;
        if (e2e_cl_next(c, 100, &m) <= 0)
            continue;
        data = data || m.opcode == WSC_BINARY;
        patched = patched || (m.opcode == WSC_TEXT && strstr(m.data, "\"t\":\"patch\""));
        wsc_msg_free(&m);
    }
    ok = ok && ((patched && data) || e2e_fail("the admin page did not refresh in 3 s"));
    json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    return stop(&s, ok);
}

/* Reads path's lines into a NUL-terminated heap buffer; NULL if it cannot. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    struct pn_buf b;
    pn__buf_init(&b, 64u << 20);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        pn__buf_append(&b, chunk, n);
    fclose(f);
    pn__buf_append(&b, "", 0);
    return pn__buf_steal(&b, NULL);
}

/* Every line of a --log-format json file is one object {time, level, pid, msg}; counts the
 * lines whose msg contains needle and the distinct pids. */
static bool json_lines(const char *text, const char *needle, int *hits, int *npids)
{
    pid_t pids[16];
    *hits = *npids = 0;
    int lineno = 0;
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            return e2e_fail("line %d has no newline: %s", lineno + 1, e2e_shown(p, strlen(p)));
        json_error_t je;
        json_t *j = json_loadb(p, (size_t)(nl - p), 0, &je);
        lineno++;
        const char *t = e2e_jstr(j, "time"), *lvl = e2e_jstr(j, "level"), *m = e2e_jstr(j, "msg");
        json_t *pid = json_object_get(j, "pid");
        bool good = j && json_object_size(j) == 4 && strlen(t) == 24 && t[23] == 'Z' &&
                    (!strcmp(lvl, "info") || !strcmp(lvl, "warning") || !strcmp(lvl, "error")) &&
                    json_is_integer(pid) && *m;
        if (good) {
            *hits += strstr(m, needle) != NULL;
            int i = 0;
            while (i < *npids && pids[i] != (pid_t)json_integer_value(pid))
                i++;
            if (i == *npids && *npids < 16)
                pids[(*npids)++] = (pid_t)json_integer_value(pid);
        }
        json_decref(j);
        if (!good)
            return e2e_fail("line %d is not {time, level, pid, msg}: %s", lineno,
                            e2e_shown(p, (size_t)(nl - p)));
        p = nl + 1;
    }
    return lineno > 0 || e2e_fail("an empty log file");
}

/* --log-format json --log-file: the supervisor's and both workers' lines, each one JSON object,
 * a request's odd bytes escaped, nothing on stderr; SIGHUP after the file was moved away (log
 * rotation) opens a new one, where the new workers' lines go. */
static bool case_log_file(void)
{
    static struct e2e_server s = {.name = "log-file"};
    char path[256], moved[272];
    snprintf(path, sizeof path, "%s/pane-log-%d.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    snprintf(moved, sizeof moved, "%s.1", path);
    unlink(path);
    unlink(moved);
    const char *args[] = {e2e_src("tests/apps/crash.c"),
                          "--num-procs",
                          "2",
                          "--log-format",
                          "json",
                          "--log-file",
                          path,
                          NULL};
    bool ok =
        e2e_server_start(&s, &(struct e2e_spawn){.args = args}); /* (ready lines: the file's) */
    /* enough connections that the kernel's spread (SO_REUSEPORT, by address and port) gives
     * both workers some: 24 on one of two has a chance of 2^-23 */
    for (int i = 0; ok && i < 24; i++)
        ok = get_200(&s, "/crash?q=%22%5C%0A", MS(3000), NULL);
    struct e2e_resp r;
    ok = ok && e2e_fetch(s.port, "GET /crash?x=\"\\\x01\xff HTTP/1.1\r\nHost: a\r\n\r\n", &r) == 0;
    e2e_resp_fini(&r);
    e2e_idle(200);
    char *text = ok ? slurp(path) : NULL;
    int hits = 0, npids = 0;
    ok =
        ok && (text || e2e_fail("no %s", path)) &&
        json_lines(text, "\"GET /crash?q=%22%5C%0A\" 200", &hits, &npids) &&
        (hits >= 24 || e2e_fail("%d of 24 requests logged", hits)) &&
        (npids == 3 || e2e_fail("lines of %d processes, want the supervisor and 2 workers", npids));
    free(text);
    if (ok && e2e_log_has(&s, 0, " pane info:"))
        ok = e2e_fail("log lines on stderr with --log-file");
    ok = ok && (rename(path, moved) == 0 || e2e_fail("rename: %s", strerror(errno)));
    if (ok)
        kill(s.pid, SIGHUP);
    for (int i = 0; ok && i < MS(10000) / 100; i++) { /* the reload is done when it says so */
        text = slurp(path);
        bool done = text && strstr(text, "reloaded: 2 new workers serving");
        free(text);
        if (done)
            break;
        e2e_idle(100);
    }
    for (int i = 0; ok && i < 4; i++)
        ok = get_200(&s, "/crash?after=rotation", MS(3000), NULL);
    e2e_idle(200);
    text = ok ? slurp(path) : NULL;
    ok = ok && (text || e2e_fail("no new %s after SIGHUP", path)) &&
         json_lines(text, "GET /crash?after=rotation", &hits, &npids) &&
         (hits >= 1 || e2e_fail("the new workers' requests are not in the new file"));
    free(text);
    text = ok ? slurp(moved) : NULL;
    ok = ok && json_lines(text ? text : "", "GET /crash?after=rotation", &hits, &npids) &&
         (hits == 0 || e2e_fail("the moved file got lines after the reopen"));
    free(text);
    unlink(path);
    unlink(moved);
    return stop(&s, ok);
}

/* --warm fills every worker's cache before the URL lines: every first page is a hit, from
 * whichever worker, and each worker's loop holds an entry. */
static bool case_warm(void)
{
    static struct e2e_server s = {.name = "warm"};
    struct workers w;
    const char *more[] = {"--reuse-sessions", "--warm", "--admin", NULL};
    if (!start(&s, e2e_src("tests/apps/crash.c"), 2, more, false, &w))
        return stop(&s, false);
    bool ok = true;
    pid_t by[2] = {-1, -1};
    for (int i = 0; ok && i < 20; i++) {
        struct e2e_resp r;
        ok = e2e_get(s.port, "/crash", NULL, &r);
        char cache[32] = "";
        e2e_header_copy(&r, "X-Pane-Cache", cache, sizeof cache);
        pid_t pid = pid_in(r.body.data);
        if (ok && (r.status != 200 || strcmp(cache, "hit")))
            ok = e2e_fail("GET /crash %d: status %d, X-Pane-Cache %s, want a hit", i + 1, r.status,
                          cache);
        else if (ok && worker_of(&w, pid) < 0)
            ok = e2e_fail("GET /crash %d shows pid %d, not a worker's", i + 1, (int)pid);
        else if (ok && pid != by[0])
            by[by[0] < 0 ? 0 : 1] = pid;
        e2e_resp_fini(&r);
    }
    fprintf(stderr, "warm: 20 hits, served by pids %d and %d\n", (int)by[0], (int)by[1]);
    bool adds_up = false;
    for (int i = 0; ok && !adds_up && i < 10; i++) {
        e2e_idle(i ? 200 : 0);
        json_t *j = stats_get(&s, &w, &adds_up), *ws = json_object_get(j, "workers");
        ok = j != NULL;
        for (size_t k = 0; ok && k < json_array_size(ws); k++) {
            json_t *lp = json_array_get(json_object_get(json_array_get(ws, k), "loops"), 0);
            if (jint(json_object_get(lp, "cache"), "entries") < 1)
                ok = e2e_fail("workers[%zu] loop 0 has no cache entry: %s", k, e2e_dumps(lp));
        }
        json_decref(j);
    }
    if (ok && !adds_up)
        ok = e2e_failw("10 tries");
    return stop(&s, ok);
}

static bool case_procs0(void)
{
    static struct e2e_server s = {.name = "procs0"};
    struct workers w;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (ncpu < 1 || ncpu >= MAXW)
        return e2e_fail("sysconf(_SC_NPROCESSORS_ONLN) = %ld", ncpu);
    if (!start(&s, e2e_src("tests/apps/crash.c"), 0, NULL, false, &w))
        return stop(&s, false);
    fprintf(stderr, "procs0: %ld CPUs, %d workers\n", ncpu, w.n);
    pid_t pids[MAXW + 1];
    int n = e2e_server_pids(&s, pids, MAXW + 1);
    size_t mark = e2e_log_mark(&s);
    int st = e2e_server_stop(&s, SIGINT, MS(10000));
    char want[64];
    snprintf(want, sizeof want, "signal 2: stopping %ld worker%s", ncpu, ncpu == 1 ? "" : "s");
    bool ok = true;
    if (st != 0)
        ok = e2e_fail("exit status %d after SIGINT", st);
    else if (!e2e_log_has(&s, mark, want))
        ok = e2e_fail("no `%s` in the log", want);
    else if (!wait_gone(pids + 1, n - 1, MS(3000)))
        ok = e2e_failw("a worker after its supervisor exited");
    return ok;
}

/* ---- the run ------------------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    e2e_init("workers", argc, argv, GLOBAL_TIMEOUT_S);
    setvbuf(stdout, NULL, _IOLBF, 0);
    E2E_CASE("isolation", case_isolation);
    E2E_CASE("request", case_request);
    E2E_CASE("backoff", case_backoff);
    E2E_CASE("sigkill", case_sigkill);
    E2E_CASE("watchdog", case_watchdog);
    case_entries();
    E2E_CASE("sigterm", case_sigterm);
    E2E_CASE("reload", case_reload);
    E2E_CASE("stats", case_stats);
    E2E_CASE("metrics", case_metrics);
    E2E_CASE("log-file", case_log_file);
    E2E_CASE("warm", case_warm);
    E2E_CASE("procs0", case_procs0);
    int left = kill_leftovers();
    if (left)
        e2e_fail("%d worker processes still ran after their supervisor stopped (killed now)", left);
    e2e_report("no-workers-left", left == 0);
    return e2e_finish();
}
