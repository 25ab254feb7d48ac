/*
 * e2e: the shared part of the end-to-end test programs (see e2e.h).
 */
#include "e2e.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>

struct e2e_run e2e = {.tscale = 1};
static char own_cache[64]; /* XDG_CACHE_HOME made by e2e_init, removed by e2e_finish */
char e2e_why[2048];

#define MAX_SERVERS 32
#define MAX_LOG (8u << 20)
static struct e2e_server *started[MAX_SERVERS]; /* every server ever started, for the alarm */
static int nstarted;

/* ---- the run ------------------------------------------------------------------------------- */

static void on_alarm(int sig)
{
    (void)sig;
    for (int i = 0; i < nstarted; i++)
        if (started[i]->pid > 0)
            kill(started[i]->pid, SIGKILL);
    static const char msg[] = "FAIL e2e: global timeout, servers killed\n";
    (void)!write(1, msg, sizeof msg - 1);
    _exit(1);
}

void e2e_init(const char *name, int argc, char **argv, int global_timeout_s)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s PANE_BIN SOURCE_DIR [FILTER]\n", argv[0]);
        exit(2);
    }
    e2e.name = name;
    e2e.pane_bin = argv[1];
    e2e.source_dir = argv[2];
    e2e.filter = argc > 3 && argv[3][0] ? argv[3] : NULL;
    const char *scale = getenv("PANE_TIMEOUT_SCALE");
    long v = scale ? strtol(scale, NULL, 10) : (getenv("PANE_WRAPPER") ? 10 : 1);
    e2e.tscale = v >= 1 && v <= 100 ? (int)v : 1;
    if (!getenv("XDG_CACHE_HOME")) { /* the apps' compiled .so never lands in the user's cache */
        snprintf(own_cache, sizeof own_cache, "/tmp/pane-%s-XXXXXX", name);
        if (!mkdtemp(own_cache)) {
            perror("mkdtemp");
            exit(2);
        }
        setenv("XDG_CACHE_HOME", own_cache, 1);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm((unsigned)(global_timeout_s * e2e.tscale));
}

bool e2e_selected(const char *case_name)
{
    return !e2e.filter || strstr(case_name, e2e.filter);
}

void e2e_report(const char *case_name, bool ok)
{
    if (ok) {
        printf("ok %s\n", case_name);
        e2e.n_pass++;
    } else {
        printf("FAIL %s: %s\n", case_name, e2e_why[0] ? e2e_why : "(no reason given)");
        e2e.n_fail++;
    }
    fflush(stdout);
    e2e_why[0] = '\0';
}

static void log_free(struct e2e_log *l);

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

int e2e_finish(void)
{
    if (own_cache[0])
        nftw(own_cache, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    for (int i = 0; i < nstarted; i++) {
        if (started[i]->pid > 0)
            e2e_server_stop(started[i], SIGKILL, 5000);
        log_free(started[i]->log);
        started[i]->log = NULL;
    }
    printf("%s: %d passed, %d failed\n", e2e.name, e2e.n_pass, e2e.n_fail);
    fflush(stdout);
    return e2e.n_fail ? 1 : 0;
}

bool e2e_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e2e_why, sizeof e2e_why, fmt, ap);
    va_end(ap);
    return false;
}

bool e2e_failw(const char *fmt, ...)
{
    char ctx[512], old[sizeof e2e_why];
    snprintf(old, sizeof old, "%s", e2e_why);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx, sizeof ctx, fmt, ap);
    va_end(ap);
    size_t n = strlen(ctx), m = strlen(old);
    if (n > sizeof e2e_why - 3)
        n = sizeof e2e_why - 3;
    memcpy(e2e_why, ctx, n);
    e2e_why[n++] = ':';
    e2e_why[n++] = ' ';
    if (m > sizeof e2e_why - 1 - n)
        m = sizeof e2e_why - 1 - n;
    memcpy(e2e_why + n, old, m);
    e2e_why[n + m] = '\0';
    return false;
}

long long e2e_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void e2e_sleep_ms(int ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

const char *e2e_src(const char *rel)
{
    static char pool[64][1024];
    static int n;
    char *p = pool[n++ % 64];
    snprintf(p, sizeof pool[0], "%s/%s", e2e.source_dir, rel);
    return p;
}

const char *e2e_find(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return hay;
    if (!hay || n < m)
        return NULL;
    return memmem(hay, n, needle, m);
}

const char *e2e_find_ci(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return hay;
    if (!hay)
        return NULL;
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(hay + i, needle, m) == 0)
            return hay + i;
    return NULL;
}

const char *e2e_shown(const char *s, size_t n)
{
    static char out[4][256];
    static int k;
    char *o = out[k++ & 3];
    size_t j = 0;
    for (size_t i = 0; i < n && i < 60 && j + 5 < sizeof out[0]; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 32 && c < 127 && c != '\\')
            o[j++] = (char)c;
        else
            j += (size_t)snprintf(o + j, sizeof out[0] - j, "\\x%02x", c);
    }
    if (n > 60 && j + 4 < sizeof out[0]) {
        memcpy(o + j, "...", 3);
        j += 3;
    }
    o[j] = 0;
    return o;
}

/* ---- a server's log: a thread copies its output to our stderr and keeps it ----------------- */

struct e2e_log {
    int fd;
    pthread_t thread;
    pthread_mutex_t mu;
    struct pn_buf buf; /* under mu */
    atomic_int stop;   /* set once the process is reaped: drain what is there, then end */
    char prefix[64];
};

static void *log_run(void *arg)
{
    struct e2e_log *l = arg;
    char b[8192];
    for (long i = 0; i < 100000000L; i++) {
        struct pollfd p = {l->fd, POLLIN, 0};
        int r = poll(&p, 1, l->stop ? 0 : 100);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0) {
            if (l->stop)
                break;
            continue;
        }
        ssize_t n = read(l->fd, b, sizeof b);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        (void)!write(2, b, (size_t)n); /* the server's output goes to our stderr */
        pthread_mutex_lock(&l->mu);
        if (l->buf.len + (size_t)n <= MAX_LOG)
            pn__buf_append(&l->buf, b, (size_t)n);
        pthread_mutex_unlock(&l->mu);
    }
    return NULL;
}

static void log_end(struct e2e_log *l)
{
    if (!l || l->stop)
        return;
    l->stop = 1;
    pthread_join(l->thread, NULL);
    close(l->fd);
}

static void log_free(struct e2e_log *l)
{
    if (!l)
        return;
    log_end(l);
    pthread_mutex_destroy(&l->mu);
    pn__buf_fini(&l->buf);
    free(l);
}

size_t e2e_log_mark(const struct e2e_server *s)
{
    if (!s->log)
        return 0;
    pthread_mutex_lock(&s->log->mu);
    size_t n = s->log->buf.len;
    pthread_mutex_unlock(&s->log->mu);
    return n;
}

bool e2e_log_line(const struct e2e_server *s, size_t mark, const char *needle, char *out,
                  size_t outlen)
{
    struct e2e_log *l = s->log;
    if (!l)
        return false;
    pthread_mutex_lock(&l->mu);
    bool found = false;
    if (mark < l->buf.len) {
        const char *base = l->buf.data;
        const char *hit = e2e_find(base + mark, l->buf.len - mark, needle);
        if (hit) {
            found = true;
            const char *a = hit, *e = hit;
            while (a > base + mark && a[-1] != '\n')
                a--;
            while (e < base + l->buf.len && *e != '\n')
                e++;
            if (out)
                snprintf(out, outlen, "%.*s", (int)(e - a), a);
        }
    }
    pthread_mutex_unlock(&l->mu);
    return found;
}

size_t e2e_log_next_line(const struct e2e_server *s, size_t mark, const char *needle, char *out,
                         size_t outlen)
{
    struct e2e_log *l = s->log;
    if (!l)
        return 0;
    pthread_mutex_lock(&l->mu);
    size_t next = 0;
    if (mark < l->buf.len) {
        const char *base = l->buf.data, *end = base + l->buf.len;
        const char *hit = e2e_find(base + mark, l->buf.len - mark, needle);
        const char *e = hit ? memchr(hit, '\n', (size_t)(end - hit)) : NULL;
        if (e) { /* a line still being written is not returned */
            const char *a = hit;
            while (a > base + mark && a[-1] != '\n')
                a--;
            if (out)
                snprintf(out, outlen, "%.*s", (int)(e - a), a);
            next = (size_t)(e + 1 - base);
        }
    }
    pthread_mutex_unlock(&l->mu);
    return next;
}

bool e2e_log_has(const struct e2e_server *s, size_t mark, const char *needle)
{
    return e2e_log_line(s, mark, needle, NULL, 0);
}

bool e2e_log_wait(const struct e2e_server *s, size_t mark, const char *needle, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    for (int i = 0; i < 1000000; i++) {
        if (e2e_log_has(s, mark, needle))
            return true;
        if (e2e_now_ms() > deadline)
            break;
        e2e_sleep_ms(10);
    }
    return e2e_fail("%s: no \"%s\" in its log within %d ms", s->name, needle, timeout_ms);
}

/* ---- servers ------------------------------------------------------------------------------- */

static void child_exec(const struct e2e_spawn *sp, int out)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test, even if it crashes */
    if (getppid() == 1)
        _exit(127);
    dup2(out, 1);
    dup2(out, 2);
    if (out > 2)
        close(out);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGALRM, SIG_DFL);
    if (sp->nofile > 0) {
        struct rlimit rl = {(rlim_t)sp->nofile, (rlim_t)sp->nofile};
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            _exit(126);
    }
    for (int i = 0; sp->env && sp->env[i]; i++)
        putenv((char *)sp->env[i]);
    if (sp->command) {
        execvp(sp->command[0], (char *const *)sp->command);
        fprintf(stderr, "exec %s: %s\n", sp->command[0], strerror(errno));
        _exit(127);
    }
    const char *argv[128];
    int n = 0;
    char wrap[1024];
    snprintf(wrap, sizeof wrap, "%s", sp->wrapper ? sp->wrapper : "");
    char *save = NULL;
    for (char *t = strtok_r(wrap, " \t", &save); t && n < 40; t = strtok_r(NULL, " \t", &save))
        argv[n++] = t;
    const char *fixed[] = {e2e.pane_bin, "serve", "--port", "0", "--address", "127.0.0.1"};
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        argv[n++] = fixed[i];
    for (int i = 0; sp->args && sp->args[i] && n < 127; i++)
        argv[n++] = sp->args[i];
    argv[n] = NULL;
    execvp(argv[0], (char *const *)argv);
    fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
    _exit(127);
}

/* The n-th "serving http://127.0.0.1:PORT/PATH" line of the log (counting from 0), or false. */
static bool url_line(const struct e2e_server *s, int nth, int *port, char *path, size_t pathlen)
{
    static const char pre[] = "serving http";
    struct e2e_log *l = s->log;
    pthread_mutex_lock(&l->mu);
    const char *p = l->buf.data, *end = l->buf.data + l->buf.len;
    bool found = false;
    for (int k = 0; p && p < end; k++) {
        const char *hit = e2e_find(p, (size_t)(end - p), pre);
        const char *eol = hit ? memchr(hit, '\n', (size_t)(end - hit)) : NULL;
        if (!eol)
            break;
        if (k == nth) {
            const char *u = hit + sizeof pre - 1;
            u += *u == 's'; /* https */
            u += strlen("://127.0.0.1:");
            *port = (int)strtol(u, NULL, 10);
            const char *slash = memchr(u, '/', (size_t)(eol - u));
            snprintf(path, pathlen, "%.*s", slash ? (int)(eol - slash) : 0, slash ? slash : "");
            found = true;
            break;
        }
        p = eol + 1;
    }
    pthread_mutex_unlock(&l->mu);
    return found;
}

int e2e_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    int port = 0;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}

/* A service other than pane: ready when its port accepts, within 10 s. */
static bool service_ready(struct e2e_server *s, int port)
{
    long long deadline = e2e_now_ms() + 10000LL * e2e.tscale;
    for (;;) {
        struct e2e_conn c;
        if (e2e_conn_open(&c, port) == 0) {
            e2e_conn_close(&c);
            break;
        }
        if (!e2e_server_alive(s))
            return e2e_failw("%s exited before it listened on %d", s->name, port);
        if (e2e_now_ms() > deadline) {
            e2e_server_stop(s, SIGKILL, 5000);
            return e2e_fail("%s: nothing listens on %d after 10 s", s->name, port);
        }
        e2e_sleep_ms(20);
    }
    s->port = port;
    s->path[0] = '\0';
    if (!s->origin[0])
        snprintf(s->origin, sizeof s->origin, "Origin: http://127.0.0.1:%d\r\n", port);
    return true;
}

bool e2e_server_start(struct e2e_server *s, const struct e2e_spawn *sp)
{
    bool known = false;
    for (int i = 0; i < nstarted; i++)
        known |= started[i] == s;
    if (!known && nstarted == MAX_SERVERS)
        return e2e_fail("too many servers");
    if (!known)
        started[nstarted++] = s;
    if (!s->name)
        s->name = "pane";
    log_free(s->log);
    s->log = NULL;
    s->pid = -1;
    s->port = 0;
    int p[2];
    if (pipe(p) != 0)
        return e2e_fail("%s: pipe: %s", s->name, strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return e2e_fail("%s: fork: %s", s->name, strerror(errno));
    }
    if (pid == 0) {
        close(p[0]);
        child_exec(sp, p[1]);
    }
    close(p[1]);
    s->pid = pid;
    struct e2e_log *l = pn__xcalloc(1, sizeof *l);
    l->fd = p[0];
    pthread_mutex_init(&l->mu, NULL);
    pn__buf_init(&l->buf, MAX_LOG);
    pn__buf_append(&l->buf, "", 0);
    if (pthread_create(&l->thread, NULL, log_run, l) != 0) {
        close(p[0]);
        pthread_mutex_destroy(&l->mu);
        pn__buf_fini(&l->buf);
        free(l);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        s->pid = -1;
        return e2e_fail("%s: pthread_create failed", s->name);
    }
    s->log = l;

    if (sp->command)
        return service_ready(s, sp->ready_port);
    int want = sp->napps > 0 ? sp->napps : 1;
    long long deadline = e2e_now_ms() + 60000LL * e2e.tscale; /* the first start compiles */
    char path[128];
    int port;
    for (int i = 0;; i++) {
        if (url_line(s, want - 1, &port, path, sizeof path))
            break;
        if (!e2e_server_alive(s))
            return e2e_failw("%s exited before printing its URL", s->name);
        if (e2e_now_ms() > deadline || i > 10000000) {
            e2e_server_stop(s, SIGKILL, 5000);
            return e2e_fail("%s: no URL line within %d s", s->name, 60 * e2e.tscale);
        }
        e2e_sleep_ms(5);
    }
    url_line(s, 0, &port, path, sizeof path);
    if (port <= 0 || port > 65535) {
        e2e_server_stop(s, SIGKILL, 5000);
        return e2e_fail("%s: bad port in its URL line", s->name);
    }
    s->port = port;
    snprintf(s->path, sizeof s->path, "%s", path);
    s->tls = e2e_log_has(s, 0, "serving https://");
    e2e_tls_port(port, s->tls);
    if (!s->origin[0] || !strncmp(s->origin, "Origin: http://127.0.0.1:", 25) ||
        !strncmp(s->origin, "Origin: https://127.0.0.1:", 26)) /* not set by the test */
        snprintf(s->origin, sizeof s->origin, "Origin: %s://127.0.0.1:%d\r\n",
                 s->tls ? "https" : "http", port);
    return true;
}

static int exit_code(int st)
{
    return WIFEXITED(st) ? WEXITSTATUS(st) : 256 + WTERMSIG(st);
}

int e2e_server_stop(struct e2e_server *s, int sig, int timeout_ms)
{
    if (s->pid <= 0)
        return -2;
    if (sig)
        kill(s->pid, sig);
    long long deadline = e2e_now_ms() + timeout_ms;
    int st = 0, rc;
    for (;;) {
        pid_t r = waitpid(s->pid, &st, WNOHANG);
        if (r == s->pid) {
            rc = exit_code(st);
            break;
        }
        if (r < 0 && errno != EINTR) {
            rc = -2;
            break;
        }
        if (e2e_now_ms() > deadline) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &st, 0);
            rc = -1;
            break;
        }
        e2e_sleep_ms(10);
    }
    s->pid = -1;
    log_end(s->log); /* whatever it printed last is in the log now */
    return rc;
}

bool e2e_server_alive(struct e2e_server *s)
{
    if (s->pid <= 0)
        return e2e_fail("%s is not running", s->name);
    int st;
    pid_t r = waitpid(s->pid, &st, WNOHANG);
    if (r == 0)
        return true;
    s->pid = -1;
    log_end(s->log);
    if (r < 0)
        return e2e_fail("%s: waitpid: %s", s->name, strerror(errno));
    if (WIFSIGNALED(st))
        return e2e_fail("%s died with signal %d (%s)", s->name, WTERMSIG(st),
                        strsignal(WTERMSIG(st)));
    return e2e_fail("%s exited with status %d", s->name, WEXITSTATUS(st));
}

int e2e_server_pids(const struct e2e_server *s, pid_t *out, int max)
{
    if (s->pid <= 0 || max < 1)
        return 0;
    int n = 0;
    out[n++] = s->pid;
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)s->pid);
    DIR *d = opendir(dir);
    if (!d)
        return n;
    struct dirent *e;
    while ((e = readdir(d)) && n < max) {
        if (e->d_name[0] == '.')
            continue;
        char path[400];
        snprintf(path, sizeof path, "%s/%.255s/children", dir, e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        long v;
        while (n < max && fscanf(f, "%ld", &v) == 1)
            out[n++] = (pid_t)v;
        fclose(f);
    }
    closedir(d);
    return n;
}

static long proc_rss_kib(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

static long proc_fds(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static long sum_tree(const struct e2e_server *s, long (*f)(pid_t))
{
    pid_t pids[64];
    int n = e2e_server_pids(s, pids, 64);
    long total = -1;
    for (int i = 0; i < n; i++) {
        long v = f(pids[i]);
        if (v >= 0)
            total = (total < 0 ? 0 : total) + v;
    }
    return total;
}

long e2e_server_rss_kib(const struct e2e_server *s)
{
    return sum_tree(s, proc_rss_kib);
}

long e2e_server_fds(const struct e2e_server *s)
{
    return sum_tree(s, proc_fds);
}

/* ---- connections --------------------------------------------------------------------------- */

static int tls_ports[16];

void e2e_tls_port(int port, bool on)
{
    for (int i = 0; i < 16; i++)
        if (tls_ports[i] == port)
            tls_ports[i] = 0;
    for (int i = 0; on && i < 16; i++)
        if (!tls_ports[i]) {
            tls_ports[i] = port;
            return;
        }
}

bool e2e_is_tls_port(int port)
{
    for (int i = 0; port > 0 && i < 16; i++)
        if (tls_ports[i] == port)
            return true;
    return false;
}

int e2e_conn_open(struct e2e_conn *c, int port)
{
    memset(c, 0, sizeof *c);
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {5 * e2e.tscale, 0};
    setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); /* bounds blocking sends */
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&a, sizeof a) != 0) {
        int e = errno;
        close(c->fd);
        c->fd = -1;
        errno = e;
        return -1;
    }
    if (e2e_is_tls_port(port)) {
        setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv); /* bounds the handshake */
        char err[256];
        c->ssl = wsc_tls_connect(c->fd, 5000 * e2e.tscale, err, sizeof err);
        if (!c->ssl) {
            e2e_fail("port %d: %s", port, err);
            close(c->fd);
            c->fd = -1;
            errno = ECONNREFUSED;
            return -1;
        }
    }
    pn__buf_init(&c->in, E2E_MAX_RESPONSE);
    return 0;
}

void e2e_conn_close(struct e2e_conn *c)
{
    wsc_tls_free(c->ssl);
    c->ssl = NULL;
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    pn__buf_fini(&c->in);
}

int e2e_conn_send(struct e2e_conn *c, const void *p, size_t n)
{
    const char *s = p;
    if (c->ssl) {
        if (wsc_io_send_all(c->fd, c->ssl, p, n) != 0) {
            c->send_failed = true;
            return -1;
        }
        return 0;
    }
    while (n > 0) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            c->send_failed = true;
            return -1;
        }
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int e2e_conn_send_str(struct e2e_conn *c, const char *s)
{
    return e2e_conn_send(c, s, strlen(s));
}

int e2e_conn_fill(struct e2e_conn *c, long long deadline)
{
    if (c->eof)
        return 0;
    if (c->off > 0 && c->off == c->in.len) { /* everything consumed: start over */
        pn__buf_reset(&c->in);
        c->off = 0;
    }
    for (;;) {
        long long left = deadline - e2e_now_ms();
        if (left < 0)
            left = 0;
        struct pollfd pfd = {c->fd, POLLIN, 0};
        int r = wsc_io_pending(c->ssl) ? 1 : poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            return -1;
        char b[65536];
        ssize_t n = wsc_io_recv(c->fd, c->ssl, b, sizeof b);
        if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
            continue;
        if (n <= 0) {
            c->eof = true;
            c->reset = n < 0;
            return 0;
        }
        if (pn__buf_append(&c->in, b, (size_t)n) != 0)
            return -2;
        return 1;
    }
}

/* ---- responses ----------------------------------------------------------------------------- */

void e2e_resp_init(struct e2e_resp *r)
{
    memset(r, 0, sizeof *r);
    pn__buf_init(&r->head, E2E_MAX_RESPONSE);
    pn__buf_init(&r->body, E2E_MAX_RESPONSE);
    pn__buf_init(&r->all, 2 * (size_t)E2E_MAX_RESPONSE);
    /* never NULL: strstr on an empty response is fine */
    pn__buf_append(&r->head, "", 0);
    pn__buf_append(&r->body, "", 0);
    pn__buf_append(&r->all, "", 0);
}

void e2e_resp_fini(struct e2e_resp *r)
{
    pn__buf_fini(&r->head);
    pn__buf_fini(&r->body);
    pn__buf_fini(&r->all);
}

const char *e2e_resp_header(const struct e2e_resp *r, const char *name, size_t *len)
{
    const char *p = r->head.data, *end = r->head.data + r->head.len;
    const char *eol = e2e_find(p, r->head.len, "\r\n"); /* skip the status line */
    if (!eol)
        return NULL;
    p = eol + 2;
    size_t nl = strlen(name);
    while (p < end) {
        eol = e2e_find(p, (size_t)(end - p), "\r\n");
        if (!eol || eol == p)
            break;
        if ((size_t)(eol - p) > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
            const char *v = p + nl + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            const char *e = eol;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            if (len)
                *len = (size_t)(e - v);
            return v;
        }
        p = eol + 2;
    }
    return NULL;
}

bool e2e_header_has(const struct e2e_resp *r, const char *name, const char *value_part)
{
    size_t n;
    const char *v = e2e_resp_header(r, name, &n);
    return v && (!value_part || e2e_find_ci(v, n, value_part));
}

bool e2e_header_copy(const struct e2e_resp *r, const char *name, char *out, size_t outlen)
{
    size_t n;
    const char *v = e2e_resp_header(r, name, &n);
    if (!v)
        return false;
    snprintf(out, outlen, "%.*s", (int)n, v);
    return true;
}

int e2e_header_count(const struct e2e_resp *r, const char *name)
{
    int n = 0;
    size_t nl = strlen(name);
    const char *p = r->head.data, *end = r->head.data + r->head.len;
    for (const char *eol = e2e_find(p, r->head.len, "\r\n"); eol && eol + 2 < end;
         eol = e2e_find(eol + 2, (size_t)(end - eol - 2), "\r\n"))
        if ((size_t)(end - eol - 2) > nl && eol[2 + nl] == ':' && !strncasecmp(eol + 2, name, nl))
            n++;
    return n;
}

/* The body up to the connection's end. */
static int read_until_close(struct e2e_conn *c, struct e2e_resp *r, long long deadline)
{
    for (;;) {
        int f = e2e_conn_fill(c, deadline);
        if (f == 0)
            break;
        if (f < 0)
            return e2e_fail("response without length and the connection was not closed "
                            "within the timeout"),
                   -1;
    }
    pn__buf_append(&r->body, c->in.data + c->off, c->in.len - c->off);
    c->off = c->in.len;
    return 0;
}

/* chunk-size [ext] CRLF data CRLF ... 0 CRLF [trailers] CRLF */
static int read_chunked(struct e2e_conn *c, struct e2e_resp *r, long long deadline)
{
    for (int chunks = 0; chunks < 10000000; chunks++) {
        const char *eol;
        while (!(eol = e2e_find(c->in.data + c->off, c->in.len - c->off, "\r\n")))
            if (e2e_conn_fill(c, deadline) <= 0)
                return e2e_fail("truncated chunked body"), -1;
        char *e;
        unsigned long long sz = strtoull(c->in.data + c->off, &e, 16);
        if (e == c->in.data + c->off || sz > E2E_MAX_RESPONSE)
            return e2e_fail("bad chunk size line"), -1;
        c->off = (size_t)(eol + 2 - c->in.data);
        if (sz == 0) { /* trailers until an empty line */
            for (;;) {
                while (!(eol = e2e_find(c->in.data + c->off, c->in.len - c->off, "\r\n")))
                    if (e2e_conn_fill(c, deadline) <= 0)
                        return e2e_fail("truncated chunked trailer"), -1;
                bool empty = eol == c->in.data + c->off;
                c->off = (size_t)(eol + 2 - c->in.data);
                if (empty)
                    return 0;
            }
        }
        while (c->in.len - c->off < sz + 2)
            if (e2e_conn_fill(c, deadline) <= 0)
                return e2e_fail("truncated chunk"), -1;
        pn__buf_append(&r->body, c->in.data + c->off, (size_t)sz);
        c->off += (size_t)sz + 2;
    }
    return e2e_fail("too many chunks"), -1;
}

int e2e_read_response(struct e2e_conn *c, bool is_head, struct e2e_resp *r, int timeout_ms)
{
    e2e_resp_init(r);
    long long deadline = e2e_now_ms() + timeout_ms;
    const char *hend;
    for (;;) {
        hend = e2e_find(c->in.data + c->off, c->in.len - c->off, "\r\n\r\n");
        if (hend)
            break;
        int f = e2e_conn_fill(c, deadline);
        if (f == 0) {
            if (c->in.len == c->off) {
                r->status = 0;
                return 0;
            }
            return e2e_fail("connection closed in the middle of the headers: '%s'",
                            e2e_shown(c->in.data + c->off, c->in.len - c->off)),
                   -1;
        }
        if (f < 0)
            return e2e_fail("%s waiting for response headers (have %zu bytes: '%s')",
                            f == -1 ? "timeout" : "buffer full", c->in.len - c->off,
                            e2e_shown(c->in.data + c->off, c->in.len - c->off)),
                   -1;
    }
    const char *start = c->in.data + c->off;
    size_t hlen = (size_t)(hend + 4 - start);
    pn__buf_append(&r->head, start, hlen);
    c->off += hlen;
    if (hlen < 12 || strncmp(start, "HTTP/1.", 7) != 0 || start[8] != ' ' ||
        !isdigit((unsigned char)start[9]) || !isdigit((unsigned char)start[10]) ||
        !isdigit((unsigned char)start[11]))
        return e2e_fail("bad status line '%s'", e2e_shown(start, hlen)), -1;
    r->status = (start[9] - '0') * 100 + (start[10] - '0') * 10 + (start[11] - '0');

    size_t n;
    const char *te = e2e_resp_header(r, "transfer-encoding", &n);
    const char *cl = e2e_resp_header(r, "content-length", NULL);
    bool no_body = is_head || r->status / 100 == 1 || r->status == 204 || r->status == 304;
    int rc = 0;
    if (no_body) {
        /* nothing */
    } else if (te && e2e_find_ci(te, n, "chunked")) {
        r->has_body_framing = true;
        rc = read_chunked(c, r, deadline);
    } else if (cl) {
        r->has_body_framing = true;
        char *e;
        unsigned long long want = strtoull(cl, &e, 10);
        if (e == cl || want > E2E_MAX_RESPONSE)
            return e2e_fail("bad Content-Length '%s'", e2e_shown(cl, strcspn(cl, "\r"))), -1;
        while (c->in.len - c->off < want) {
            int f = e2e_conn_fill(c, deadline);
            if (f <= 0)
                return e2e_fail("%s after %zu of %llu body bytes",
                                f == 0 ? "connection closed" : "timeout", c->in.len - c->off, want),
                       -1;
        }
        pn__buf_append(&r->body, c->in.data + c->off, (size_t)want);
        c->off += (size_t)want;
    } else {
        rc = read_until_close(c, r, deadline);
    }
    if (rc != 0)
        return rc;
    pn__buf_append(&r->all, r->head.data, r->head.len);
    pn__buf_append(&r->all, r->body.data, r->body.len);
    return 0;
}

int e2e_wait_closed(struct e2e_conn *c, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    for (;;) {
        if (c->in.len > c->off)
            return e2e_fail("unexpected bytes after the response: '%s'",
                            e2e_shown(c->in.data + c->off, c->in.len - c->off)),
                   -1;
        int f = e2e_conn_fill(c, deadline);
        if (f == 0)
            return 1;
        if (f == -1)
            return 0;
        if (f == -2)
            return -1;
    }
}

int e2e_fetch(int port, const char *request, struct e2e_resp *r)
{
    memset(r, 0, sizeof *r); /* e2e_read_response initialises it; freeing zeroes is harmless */
    struct e2e_conn c;
    if (e2e_conn_open(&c, port) != 0) {
        e2e_fail("connect to port %d: %s", port, strerror(errno));
        e2e_resp_fini(r);
        return -1;
    }
    int rc = e2e_conn_send_str(&c, request);
    if (rc != 0)
        e2e_fail("send: %s", strerror(errno));
    else
        rc = e2e_read_response(&c, strncmp(request, "HEAD ", 5) == 0, r, 5000 * e2e.tscale);
    if (rc == 0 && r->status == 0)
        rc = (e2e_fail("connection closed without a response"), -1);
    e2e_conn_close(&c);
    if (rc != 0)
        e2e_resp_fini(r); /* freeing it again is harmless */
    return rc;
}

bool e2e_request(int port, const char *method, const char *target, const char *headers,
                 struct e2e_resp *r)
{
    struct pn_buf req;
    pn__buf_init(&req, 1u << 24);
    pn__buf_printf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n", method, target, port,
                   headers ? headers : "");
    int rc = e2e_fetch(port, req.data ? req.data : "", r);
    pn__buf_fini(&req);
    if (rc != 0)
        return e2e_failw("%s %.200s", method, target);
    return true;
}

bool e2e_get(int port, const char *target, const char *headers, struct e2e_resp *r)
{
    return e2e_request(port, "GET", target, headers, r);
}

/* ---- login (--basic-auth) ------------------------------------------------------------------ */

static void form_encode(struct pn_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            strchr("-._~", ch))
            pn__buf_putc(b, (char)ch);
        else
            pn__buf_printf(b, "%%%02X", ch);
    }
}

bool e2e_login(int port, const char *prefix, const char *user, const char *password,
               const char *next, const char *headers, struct e2e_resp *r)
{
    struct pn_buf body, req;
    pn__buf_init(&body, 1u << 20);
    pn__buf_init(&req, 1u << 21);
    pn__buf_puts(&body, "user=");
    form_encode(&body, user);
    pn__buf_puts(&body, "&password=");
    form_encode(&body, password);
    if (next) {
        pn__buf_puts(&body, "&next=");
        form_encode(&body, next);
    }
    char origin[64];
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%d\r\n", port);
    pn__buf_printf(&req,
                   "POST %s/login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s"
                   "Content-Type: application/x-www-form-urlencoded\r\n"
                   "Content-Length: %zu\r\n\r\n%s",
                   prefix ? prefix : "", port, headers ? headers : origin, body.len,
                   body.data ? body.data : "");
    int rc = e2e_fetch(port, req.data, r);
    pn__buf_fini(&body);
    pn__buf_fini(&req);
    return rc == 0 || e2e_failw("login as %s", e2e_shown(user, strlen(user)));
}

bool e2e_login_cookie(const struct e2e_resp *r, char *out, size_t outlen)
{
    const char *h = r->head.data ? r->head.data : "";
    static const char line[] = "\r\nSet-Cookie: pane_login=";
    for (const char *p = h; (p = e2e_find_ci(p, strlen(p), line)); p += sizeof line - 1) {
        const char *v = p + 14; /* "pane_login=..." */
        size_t n = strcspn(v, ";\r");
        if (n > strlen("pane_login=") && n < outlen) {
            snprintf(out, outlen, "%.*s", (int)n, v);
            return true;
        }
    }
    return false;
}

/* ---- live sessions ------------------------------------------------------------------------- */

bool e2e_ws_verbose;

void e2e_page_fini(struct e2e_page *p)
{
    free(p->main);
    p->main = NULL;
}

/* The text after open up to close in body, or NULL. */
static const char *between(const char *body, const char *open, const char *close, int *len)
{
    const char *b = strstr(body, open), *e = b ? strstr(b + strlen(open), close) : NULL;
    if (!e)
        return NULL;
    b += strlen(open);
    *len = (int)(e - b);
    return b;
}

bool e2e_get_page(const struct e2e_server *s, const char *path, struct e2e_page *p)
{
    return e2e_get_page_ex(s, path, NULL, p);
}

bool e2e_get_page_ex(const struct e2e_server *s, const char *path, const char *headers,
                     struct e2e_page *p)
{
    memset(p, 0, sizeof *p);
    struct e2e_resp r;
    if (!e2e_get(s->port, path, headers, &r)) {
        e2e_resp_fini(&r);
        return false;
    }
    bool ok = false;
    const char *body = r.body.data ? r.body.data : "";
    int dn = 0, tn = 0, mn = 0;
    const char *d = between(body, "id=\"pn-data\">", "</script>", &dn);
    const char *t = between(body, "<title>", "</title>", &tn);
    const char *m = between(body, "id=\"pn-main\">", "</main>", &mn);
    json_error_t je;
    json_t *j = d ? json_loadb(d, (size_t)dn, 0, &je) : NULL;
    if (r.status != 200 || !j || !m) {
        e2e_fail("GET %s: status %d, #pn-data %s, #pn-main %s", path, r.status,
                 j   ? "found"
                 : d ? je.text
                     : "missing",
                 m ? "found" : "missing");
        json_decref(j);
        goto out;
    }
    const char *tok = json_string_value(json_object_get(j, "token"));
    const char *ws = json_string_value(json_object_get(j, "ws"));
    snprintf(p->token, sizeof p->token, "%s", tok ? tok : "");
    snprintf(p->ws, sizeof p->ws, "%s", ws ? ws : "");
    json_decref(j);
    if (t)
        snprintf(p->title, sizeof p->title, "%.*s", tn, t);
    p->main = strndup(m, (size_t)mn);
    ok = true;
out:
    e2e_resp_fini(&r);
    return ok;
}

#define MAX_CL 128
static struct e2e_cl *reg[MAX_CL]; /* the open sockets, read while another is waited on */

void e2e_cl_free(struct e2e_cl *c)
{
    if (!c)
        return;
    for (int i = 0; i < MAX_CL; i++)
        if (reg[i] == c)
            reg[i] = NULL;
    for (; c->qn; c->qn--, c->qh = (c->qh + 1) % E2E_QCAP)
        wsc_msg_free(&c->q[c->qh]);
    wsc_free(c->w);
    free(c);
}

struct e2e_cl *e2e_cl_open_ex(const struct e2e_server *s, const char *path, const char *headers,
                              const void *early, size_t early_len, int *status)
{
    char err[256];
    int st = -1;
    struct wsc *w = wsc_connect(&(struct wsc_opts){.port = s->port,
                                                   .path = path,
                                                   .headers = headers ? headers : s->origin,
                                                   .early = early,
                                                   .early_len = early_len,
                                                   .timeout_ms = 5000,
                                                   .tls = s->tls},
                                &st, err, sizeof err);
    if (status)
        *status = st;
    if (!w) {
        e2e_fail("connect %s%s: %s", s->name, path, err);
        return NULL;
    }
    struct e2e_cl *c = pn__xcalloc(1, sizeof *c);
    c->w = w;
    c->srv = s;
    for (int i = 0; i < MAX_CL; i++)
        if (!reg[i]) {
            reg[i] = c;
            break;
        }
    return c;
}

struct e2e_cl *e2e_cl_open(const struct e2e_server *s, const char *path)
{
    return e2e_cl_open_ex(s, path, NULL, NULL, 0, NULL);
}

int e2e_pump_one(struct e2e_cl *c, int timeout_ms)
{
    if (c->ended)
        return -1;
    if (c->qn == E2E_QCAP)
        return 0;
    struct wsc_msg m;
    int rc = wsc_recv(c->w, timeout_ms, &m);
    if (rc == 1) {
        if (e2e_ws_verbose)
            fprintf(stderr, "  [%s %p] <- %s%.300s\n", c->srv->name, (void *)c,
                    m.opcode == WSC_CLOSE ? "close " : "", m.data);
        c->q[(c->qh + c->qn++) % E2E_QCAP] = m;
        if (m.opcode == WSC_CLOSE) {
            c->ended = true;
            c->close_at = e2e_now_ms();
        }
    } else if (rc < 0) {
        c->ended = true;
    }
    return rc;
}

void e2e_pump_others(const struct e2e_cl *self)
{
    for (int i = 0; i < MAX_CL; i++)
        if (reg[i] && reg[i] != self && !reg[i]->silent)
            for (int k = 0; k < 64 && e2e_pump_one(reg[i], 0) == 1; k++) {
            }
}

void e2e_idle(int ms)
{
    long long deadline = e2e_now_ms() + ms;
    for (int i = 0; i < 100000 && e2e_now_ms() < deadline; i++) {
        e2e_pump_others(NULL);
        long long left = deadline - e2e_now_ms();
        e2e_sleep_ms(left > 20 ? 20 : (int)(left > 0 ? left : 0));
    }
}

int e2e_cl_next(struct e2e_cl *c, int timeout_ms, struct wsc_msg *m)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    for (int i = 0; i < 1000000; i++) {
        if (c->qn) {
            *m = c->q[c->qh];
            c->qh = (c->qh + 1) % E2E_QCAP;
            c->qn--;
            return 1;
        }
        if (c->ended)
            return -1;
        long long left = deadline - e2e_now_ms();
        if (left <= 0)
            return 0;
        e2e_pump_others(c);
        e2e_pump_one(c, left > 50 ? 50 : (int)left);
    }
    return 0;
}

bool e2e_sendf(struct e2e_cl *c, const char *fmt, ...)
{
    char buf[16384];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof buf)
        return e2e_fail("message too long for e2e_sendf");
    if (e2e_ws_verbose)
        fprintf(stderr, "  [%s %p] -> %.300s\n", c->srv->name, (void *)c, buf);
    if (wsc_send_text(c->w, buf, (size_t)n) != 0)
        return e2e_fail("send failed: %.100s", buf);
    return true;
}

const char *e2e_msg_type(json_t *j)
{
    const char *t = json_string_value(json_object_get(j, "t"));
    return t ? t : "?";
}

json_t *e2e_expect_msg(struct e2e_cl *c, const char *type, const char *skip, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    for (int i = 0; i < 10000; i++) {
        struct wsc_msg m;
        long long left = deadline - e2e_now_ms();
        int rc = e2e_cl_next(c, left > 0 ? (int)left : 0, &m);
        if (rc == 0)
            return e2e_fail("no \"%s\" within %d ms", type, timeout_ms), NULL;
        if (rc < 0)
            return e2e_fail("connection over, waiting for \"%s\"", type), NULL;
        if (m.opcode == WSC_CLOSE) {
            e2e_fail("close %u (%s) instead of \"%s\"", m.code, m.data, type);
            wsc_msg_free(&m);
            return NULL;
        }
        if (m.opcode == WSC_BINARY) { /* a data message (a Plot's points): type "data" */
            bool skip_data = skip && strstr(skip, "data");
            if (!skip_data)
                e2e_fail("a data message (%zu bytes) instead of \"%s\"", m.len, type);
            wsc_msg_free(&m);
            if (!skip_data)
                return NULL;
            continue;
        }
        json_error_t je;
        json_t *j = json_loadb(m.data, m.len, 0, &je);
        if (!j) {
            e2e_fail("not JSON from the server: %.200s", m.data);
            wsc_msg_free(&m);
            return NULL;
        }
        const char *t = e2e_msg_type(j);
        if (!strcmp(t, type)) {
            wsc_msg_free(&m);
            return j;
        }
        bool skipped = false;
        if (skip) {
            const char *p = strstr(skip, t);
            size_t tl = strlen(t);
            skipped = p && (p == skip || p[-1] == ',') && (p[tl] == ',' || p[tl] == '\0');
        }
        if (!skipped) {
            e2e_fail("got %.300s instead of \"%s\"", m.data, type);
            wsc_msg_free(&m);
            json_decref(j);
            return NULL;
        }
        wsc_msg_free(&m);
        json_decref(j);
    }
    return e2e_fail("too many messages skipped"), NULL;
}

bool e2e_expect_close(struct e2e_cl *c, int want, const char *skip, int timeout_ms)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    for (int i = 0; i < 10000; i++) {
        struct wsc_msg m;
        long long left = deadline - e2e_now_ms();
        int rc = e2e_cl_next(c, left > 0 ? (int)left : 0, &m);
        if (rc == 0)
            return e2e_fail("no close %d within %d ms", want, timeout_ms);
        if (rc < 0)
            return e2e_fail("connection ended without a close frame (want %d)", want);
        if (m.opcode == WSC_CLOSE) {
            bool ok = m.code == want;
            if (!ok)
                e2e_fail("close %u (%s), want %d", m.code, m.data, want);
            wsc_msg_free(&m);
            return ok;
        }
        json_t *j = json_loadb(m.data, m.len, 0, NULL);
        const char *t = e2e_msg_type(j);
        bool skipped = skip && j && strstr(skip, t);
        if (!skipped)
            e2e_fail("got %.300s, want close %d", m.data, want);
        json_decref(j);
        wsc_msg_free(&m);
        if (!skipped)
            return false;
    }
    return e2e_fail("too many messages before the close");
}

bool e2e_expect_quiet(struct e2e_cl *c, int ms, const char *skip)
{
    long long deadline = e2e_now_ms() + ms;
    for (int i = 0; i < 10000; i++) {
        struct wsc_msg m;
        long long left = deadline - e2e_now_ms();
        if (left <= 0)
            return true;
        int rc = e2e_cl_next(c, (int)left, &m);
        if (rc == 0)
            return true;
        if (rc < 0)
            return e2e_fail("connection ended while it should be quiet");
        json_t *j = json_loadb(m.data, m.len, 0, NULL);
        bool skipped = skip && j && strstr(skip, e2e_msg_type(j));
        if (!skipped)
            e2e_fail("expected nothing, got %.300s", m.data);
        json_decref(j);
        wsc_msg_free(&m);
        if (!skipped)
            return false;
    }
    return true;
}

bool e2e_send_hello(struct e2e_cl *c, const char *token, const char *query)
{
    char tok[200];
    if (token)
        snprintf(tok, sizeof tok, "\"%s\"", token);
    else
        snprintf(tok, sizeof tok, "null");
    return e2e_sendf(c, "{\"t\":\"hello\",\"v\":2,\"token\":%s,\"query\":\"%s\"}", tok,
                     query ? query : "");
}

json_t *e2e_hello_doc(struct e2e_cl *c, const char *token, const char *query)
{
    if (!e2e_send_hello(c, token, query))
        return NULL;
    return e2e_expect_msg(c, "doc", NULL, 3000 * e2e.tscale);
}

struct e2e_cl *e2e_open_session(const struct e2e_server *s, const char *path, const char *query,
                                json_t **doc)
{
    struct e2e_cl *c = e2e_cl_open(s, path);
    if (!c)
        return NULL;
    *doc = e2e_hello_doc(c, NULL, query);
    if (!*doc) {
        e2e_cl_free(c);
        return NULL;
    }
    return c;
}

void e2e_close_nicely(struct e2e_cl *c)
{
    if (!c)
        return;
    if (!c->ended && wsc_send_close(c->w, 1000, "bye") == 0)
        e2e_expect_close(c, 1000, "patch,pong,error", 2000);
    e2e_cl_free(c);
}

const char *e2e_jstr(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

json_t *e2e_tree_find(json_t *nodes, const char *kind, const char *name)
{
    size_t i;
    json_t *n;
    json_array_foreach(nodes, i, n)
    {
        json_t *props = json_object_get(n, "props");
        const char *nm = json_string_value(json_object_get(props, "name"));
        const char *lb = json_string_value(json_object_get(props, "label"));
        if (!strcmp(e2e_jstr(n, "kind"), kind) &&
            (!name || (nm && !strcmp(nm, name)) || (lb && !strcmp(lb, name))))
            return n;
        json_t *f = e2e_tree_find(json_object_get(n, "children"), kind, name);
        if (f)
            return f;
    }
    return NULL;
}

long e2e_doc_id(json_t *doc, const char *kind, const char *name)
{
    json_t *n = e2e_tree_find(json_object_get(doc, "root"), kind, name);
    return n ? (long)json_integer_value(json_object_get(n, "id")) : -1;
}

json_t *e2e_doc_prop(json_t *doc, const char *kind, const char *name, const char *prop)
{
    json_t *n = e2e_tree_find(json_object_get(doc, "root"), kind, name);
    return json_object_get(json_object_get(n, "props"), prop);
}

json_t *e2e_patch_changes(json_t *patch, long id)
{
    size_t i;
    json_t *op;
    json_array_foreach(json_object_get(patch, "ops"), i, op)
    {
        json_t *first = json_array_get(op, 0);
        if (json_is_integer(first) && json_integer_value(first) == id)
            return json_array_get(op, 1);
    }
    return NULL;
}

int e2e_data_records(const struct wsc_msg *m, struct e2e_rec *recs, int max)
{
    if (m->opcode != WSC_BINARY || m->len < 8 || (unsigned char)m->data[0] != 1)
        return e2e_fail("not a data message (opcode %d, %zu bytes)", m->opcode, m->len), -1;
    int n = 0;
    for (size_t off = 8; off < m->len;) {
        if (n == max || off + 16 > m->len)
            return e2e_fail("a record past the message (%zu of %zu)", off, m->len), -1;
        unsigned h[4];
        memcpy(h, m->data + off, sizeof h);
        struct e2e_rec *r = &recs[n++];
        r->id = h[0], r->op = h[1] & 0xff, r->k = h[1] >> 8 & 0xff, r->n = h[2];
        size_t need = 16 + 8 * (size_t)r->n * (1 + r->k);
        if (r->k > 16 || off + need > m->len)
            return e2e_fail("a record of %u points and %u series past the message", r->n, r->k), -1;
        r->x = (const double *)(const void *)(m->data + off + 16);
        for (unsigned i = 0; i < r->k; i++)
            r->y[i] = r->x + (size_t)r->n * (1 + i);
        off += need;
    }
    return n;
}

double e2e_patch_number(json_t *patch, long id, const char **text)
{
    const char *t = json_string_value(json_object_get(e2e_patch_changes(patch, id), "text"));
    if (text)
        *text = t ? t : "";
    char *end;
    double v = t ? strtod(t, &end) : 0;
    return t && end != t ? v : NAN;
}

size_t e2e_patch_nops(json_t *patch)
{
    return json_array_size(json_object_get(patch, "ops"));
}

char *e2e_dumps(json_t *j)
{
    static char buf[4][600];
    static int k;
    char *o = buf[k++ & 3];
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    snprintf(o, sizeof buf[0], "%s", s ? s : "(null)");
    free(s);
    return o;
}
