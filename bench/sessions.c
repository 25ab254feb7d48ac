/*
 * sessions: the load client of bench/sessions.sh. Opens N live sessions on a running pane the
 * way a browser does (GET the page, take the token from #pn-data, upgrade on the same
 * connection, hello) and then either measures the server's memory per session or the delay of
 * the patches it pushes. One thread, epoll, non-blocking sockets, a WebSocket client of its own
 * (masked frames out, unmasked in; pings answered). Self-contained: no library beyond libc.
 *
 *     cc -O2 -o sessions bench/sessions.c
 *     sessions --port P --path /weather --n 10000 --pid PANE_PID --mode rss
 *     sessions --port P --path /tick --n 10000 --pid PANE_PID --mode latency --duration 20
 *
 *   --n N            sessions to open (1..60000)
 *   --warmup W       sessions opened before the baseline (default 16: the loop's first-use
 *                    allocations, e.g. its read buffer, are not counted per session)
 *   --concurrency C  set-ups in flight at once (default 256)
 *   --pid PID        the server: VmRSS and CPU time are read from /proc/PID, or from its child
 *                    when it has one (pane's worker under its supervisor)
 *   --mode rss       after the warm-up: VmRSS; after all N docs and --settle ms: VmRSS again;
 *                    prints (after - before) / N
 *   --mode latency   after all docs, for --duration s: every patch's receive time (CLOCK_REALTIME,
 *                    ms) minus the value it carries (the app's CLOCK_REALTIME in ms when its
 *                    pn_every callback ran): a Number's "text", or the last x of each Plot
 *                    record in a data message; p50, p90, p99, p99.9, max, messages/s; the
 *                    period between a session's consecutive values (pn_every's lateness); the
 *                    bytes on the wire per message (frame header included) and per data point
 *   --timeout S      the whole run's bound (default 300)
 *   --signal-ready   send SIGUSR1 to --pid when recording starts and again when it ends
 *                    (bench/apps/feed_embed.c publishes between the two)
 *   --protocol 1     speak version 1 (a pane from before issue 11), for before/after figures
 *
 * Output: one line of key=value pairs on stdout (for the script), a summary on stderr. Exit
 * status 0 when every session got its doc and nothing failed, 1 otherwise.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum state { S_CONNECTING, S_PAGE, S_UPGRADE, S_DOC, S_READY, S_DEAD };

struct conn {
    int fd;
    enum state st;
    char *in;
    size_t len, cap;
    char token[96];
    double last_sent; /* the previous patch's value (latency mode) */
};

static struct conn *conns;
static int port, n_total, warmup = 16, concurrency = 256, duration_s = 20, settle_ms = 2000;
static int timeout_s = 300;
static const char *path = "/weather", *mode = "rss";
static unsigned long long wire_bytes, wire_msgs, data_points; /* while recording */
static bool v1; /* --v1: protocol version 1 (pane before issue 11: patches with "value") */
static long server_pid;
static int ep;
static long n_ready, n_failed, n_closed, n_pings, n_patches, n_unparsed;
static bool recording, signal_ready;
static double *lat, *period;
static size_t nlat, caplat, nperiod;
static char fail_reason[256];

static double now_real_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static long long now_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long rss_kb(void)
{
    char p[64], line[256];
    snprintf(p, sizeof p, "/proc/%ld/status", server_pid);
    FILE *f = fopen(p, "r");
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmRSS:", 6))
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

/* The server's user + system CPU time in clock ticks. */
static long long cpu_ticks(void)
{
    char p[64], buf[4096];
    snprintf(p, sizeof p, "/proc/%ld/stat", server_pid);
    FILE *f = fopen(p, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *s = strrchr(buf, ')'); /* the fields after the command name */
    if (!s)
        return -1;
    long long ut = 0, stt = 0;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime */
    if (sscanf(s + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lld %lld", &ut, &stt) != 2)
        return -1;
    return ut + stt;
}

static void kill_conn(struct conn *c, const char *why)
{
    if (c->st == S_DEAD)
        return;
    if (c->st != S_READY) {
        n_failed++;
        if (!fail_reason[0])
            snprintf(fail_reason, sizeof fail_reason, "%s", why);
    } else {
        n_closed++;
        if (!fail_reason[0])
            snprintf(fail_reason, sizeof fail_reason, "ready session closed: %s", why);
    }
    c->st = S_DEAD;
    if (c->fd >= 0) {
        epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
    c->fd = -1;
    free(c->in);
    c->in = NULL;
    c->len = c->cap = 0;
}

static bool send_all(struct conn *c, const void *p, size_t n)
{
    /* small messages on a socket whose buffer is empty: a short write means trouble */
    ssize_t k = send(c->fd, p, n, MSG_NOSIGNAL);
    if (k != (ssize_t)n) {
        kill_conn(c, k < 0 ? strerror(errno) : "short write");
        return false;
    }
    return true;
}

/* A masked client frame (FIN set) into out; returns its size. len < 65536. */
static size_t frame(uint8_t *out, unsigned opcode, const void *payload, size_t len)
{
    size_t n = 0;
    out[n++] = (uint8_t)(0x80 | opcode);
    if (len < 126) {
        out[n++] = (uint8_t)(0x80 | len);
    } else {
        out[n++] = 0x80 | 126;
        out[n++] = (uint8_t)(len >> 8);
        out[n++] = (uint8_t)len;
    }
    uint32_t r = (uint32_t)rand();
    uint8_t key[4] = {(uint8_t)r, (uint8_t)(r >> 8), (uint8_t)(r >> 16), (uint8_t)(r >> 24)};
    memcpy(out + n, key, 4);
    n += 4;
    const uint8_t *p = payload;
    for (size_t i = 0; i < len; i++)
        out[n + i] = p[i] ^ key[i & 3];
    return n + len;
}

static bool start_conn(struct conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        c->st = S_CONNECTING;
        kill_conn(c, "socket() failed (ulimit -n?)");
        return false;
    }
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    c->st = S_CONNECTING;
    int rc = connect(c->fd, (struct sockaddr *)&a, sizeof a);
    if (rc != 0 && errno != EINPROGRESS) {
        kill_conn(c, "connect failed");
        return false;
    }
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) != 0) {
        kill_conn(c, "epoll_ctl failed");
        return false;
    }
    return true;
}

static void on_connected(struct conn *c)
{
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err) {
        kill_conn(c, strerror(err));
        return;
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    char req[512];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", path, port);
    c->st = S_PAGE;
    send_all(c, req, (size_t)n);
}

static void consume(struct conn *c, size_t n)
{
    memmove(c->in, c->in + n, c->len - n);
    c->len -= n;
}

/* The page: status 200, Content-Length, the token and ws path from #pn-data. Then the upgrade
 * request and the hello frame go out together. Returns false when the page is incomplete. */
static bool on_page(struct conn *c)
{
    char *end = memmem(c->in, c->len, "\r\n\r\n", 4);
    if (!end)
        return false;
    size_t head = (size_t)(end + 4 - c->in);
    *end = '\0';
    if (strncmp(c->in, "HTTP/1.1 200", 12) != 0) {
        kill_conn(c, "page status not 200");
        return false;
    }
    char *cl = strcasestr(c->in, "\r\ncontent-length:");
    *end = '\r';
    if (!cl) {
        kill_conn(c, "page without Content-Length");
        return false;
    }
    size_t body = (size_t)strtoul(cl + 17, NULL, 10);
    if (c->len < head + body)
        return false;
    char *b = c->in + head, *be = b + body;
    char save = *be;
    *be = '\0';
    char *t = strstr(b, "\"token\":\""), *w = strstr(b, "\"ws\":\"");
    char ws[128] = "";
    if (t) {
        t += 9;
        char *q = strchr(t, '"');
        snprintf(c->token, sizeof c->token, "%.*s", q ? (int)(q - t) : 0, t);
    }
    if (w) {
        w += 6;
        char *q = strchr(w, '"');
        snprintf(ws, sizeof ws, "%.*s", q ? (int)(q - w) : 0, w);
    }
    *be = save;
    consume(c, head + body);
    if (strlen(c->token) < 60 || !ws[0]) {
        kill_conn(c, "no token or ws path in #pn-data");
        return false;
    }
    char out[1024];
    int n = snprintf(out, sizeof out,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                     "Sec-WebSocket-Version: 13\r\n\r\n",
                     ws, port);
    char hello[256];
    int hl = snprintf(hello, sizeof hello,
                      "{\"t\":\"hello\",\"v\":%d,\"token\":\"%s\",\"query\":\"\"}", v1 ? 1 : 2,
                      c->token);
    n += (int)frame((uint8_t *)out + n, 1, hello, (size_t)hl);
    c->st = S_UPGRADE;
    return send_all(c, out, (size_t)n);
}

static void record(struct conn *c, double at, double sent);

static void on_text(struct conn *c, const char *p, size_t n)
{
    if (c->st == S_DOC) {
        if (n > 12 && !memcmp(p, "{\"t\":\"doc\"", 10) &&
            memmem(p, n, c->token, strlen(c->token))) {
            c->st = S_READY;
            n_ready++;
        } else {
            kill_conn(c, "first message not the doc of the page's session");
        }
        return;
    }
    if (n < 12 || memcmp(p, "{\"t\":\"patch\"", 12) != 0)
        return;
    n_patches += recording;
    if (!recording)
        return;
    double at = now_real_ms();
    /* a Number's text: "{value}" of the time (version 1: its "value" prop) */
    const char *key = v1 ? "\"value\":" : "\"text\":\"";
    const char *v = memmem(p, n, key, strlen(key));
    if (!v) {
        n_unparsed++;
        return;
    }
    record(c, at, strtod(v + strlen(key), NULL));
}

/* A data message (protocol.md): the last x of each record is the app's time of the append. */
static void on_binary(struct conn *c, const char *p, size_t n)
{
    if (c->st != S_READY || !recording)
        return;
    double at = now_real_ms();
    for (size_t off = 8; off + 16 <= n;) {
        uint32_t h[4];
        memcpy(h, p + off, sizeof h);
        unsigned k = h[1] >> 8 & 0xff, np = h[2];
        size_t need = 16 + 8 * (size_t)np * (1 + k);
        if (off + need > n || np == 0) {
            n_unparsed += np != 0;
            return;
        }
        double x;
        memcpy(&x, p + off + 16 + 8 * (size_t)(np - 1), sizeof x);
        data_points += np * k;
        record(c, at, x);
        off += need;
    }
}

static void record(struct conn *c, double at, double sent)
{
    if (c->last_sent > 0 && nperiod < caplat)
        period[nperiod++] = sent - c->last_sent; /* the timer's period as the app saw it */
    c->last_sent = sent;
    if (nlat == caplat) {
        n_unparsed++;
        return;
    }
    lat[nlat++] = at - sent;
}

/* Frames from the server (never masked). */
static void on_frames(struct conn *c)
{
    for (int guard = 0; guard < 100000 && c->st != S_DEAD; guard++) {
        if (c->len < 2)
            return;
        const uint8_t *b = (const uint8_t *)c->in;
        unsigned op = b[0] & 0x0f;
        uint64_t len = b[1] & 0x7f;
        size_t h = 2;
        if (len == 126) {
            if (c->len < 4)
                return;
            len = (uint64_t)b[2] << 8 | b[3];
            h = 4;
        } else if (len == 127) {
            if (c->len < 10)
                return;
            len = 0;
            for (int i = 0; i < 8; i++)
                len = len << 8 | b[2 + i];
            h = 10;
        }
        if (len > (64u << 20)) {
            kill_conn(c, "frame over 64 MiB");
            return;
        }
        if (c->len < h + len)
            return;
        const char *p = c->in + h;
        if (recording && c->st == S_READY && (op == 1 || op == 2))
            wire_bytes += h + len, wire_msgs++;
        if (op == 1) {
            on_text(c, p, (size_t)len);
        } else if (op == 2) {
            on_binary(c, p, (size_t)len);
        } else if (op == 9) { /* ping: pong with its payload */
            uint8_t out[200];
            if (len <= 125) {
                n_pings++;
                send_all(c, out, frame(out, 10, p, (size_t)len));
            }
        } else if (op == 8) {
            kill_conn(c, "the server closed the socket");
            return;
        }
        if (c->st != S_DEAD)
            consume(c, h + (size_t)len);
    }
}

static void on_readable(struct conn *c)
{
    for (int reads = 0; reads < 64 && c->st != S_DEAD; reads++) {
        if (c->cap - c->len < 16384) {
            size_t cap = c->cap ? c->cap * 2 : 32768;
            if (cap > (72u << 20)) {
                kill_conn(c, "input buffer over 72 MiB");
                return;
            }
            c->in = realloc(c->in, cap);
            if (!c->in) {
                fprintf(stderr, "sessions: out of memory\n");
                exit(1);
            }
            c->cap = cap;
        }
        size_t room = c->cap - c->len;
        ssize_t k = recv(c->fd, c->in + c->len, room, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (k <= 0) {
            kill_conn(c, k == 0 ? "EOF" : strerror(errno));
            return;
        }
        c->len += (size_t)k;
        if (c->st == S_PAGE && !on_page(c)) {
            if ((size_t)k < room)
                break;
            continue;
        }
        if (c->st == S_UPGRADE) {
            char *end = memmem(c->in, c->len, "\r\n\r\n", 4);
            if (!end) {
                if ((size_t)k < room)
                    break;
                continue;
            }
            if (strncmp(c->in, "HTTP/1.1 101", 12) != 0) {
                kill_conn(c, "upgrade not answered 101");
                return;
            }
            consume(c, (size_t)(end + 4 - c->in));
            c->st = S_DOC;
        }
        if (c->st == S_DOC || c->st == S_READY)
            on_frames(c);
        if ((size_t)k < room) /* a short read: nothing more waiting */
            break;
    }
    /* an idle ready session keeps no big buffer */
    if (c->st == S_READY && c->len == 0 && c->cap > 65536) {
        free(c->in);
        c->in = NULL;
        c->cap = 0;
    }
}

/* Runs the loop until done() or the deadline. */
static void run(long long deadline, bool (*done)(void), int *next, int upto)
{
    struct epoll_event evs[512];
    for (long turn = 0; turn < 100000000L; turn++) {
        /* keep up to `concurrency` set-ups in flight */
        while (*next < upto && *next - n_ready - n_failed - n_closed < concurrency)
            start_conn(&conns[(*next)++]);
        if (done() || now_mono_ms() >= deadline)
            return;
        int n = epoll_wait(ep, evs, 512, 50);
        for (int i = 0; i < n; i++) {
            struct conn *c = evs[i].data.ptr;
            if (c->st == S_DEAD)
                continue;
            if (c->st == S_CONNECTING) {
                if (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                    on_connected(c);
                continue;
            }
            if (evs[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                on_readable(c);
        }
    }
}

static int target;
static bool all_set_up(void)
{
    return n_ready + n_failed + n_closed >= target;
}
static bool never(void)
{
    return false;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct_of(const double *a, size_t n, double p)
{
    if (!n)
        return -1;
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return a[i < n ? i : n - 1];
}

static double pct(double p)
{
    return pct_of(lat, nlat, p);
}

static void usage(void)
{
    fprintf(stderr, "usage: sessions --port P --path /APP --n N --pid PID [--mode rss|latency] "
                    "[--warmup W] [--concurrency C] [--duration S] [--settle MS] [--timeout S]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--signal-ready")) {
            signal_ready = true;
            continue;
        }
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "--port"))
            port = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--path"))
            path = v;
        else if (!strcmp(a, "--n"))
            n_total = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--warmup"))
            warmup = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--concurrency"))
            concurrency = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--pid"))
            server_pid = strtol(v, NULL, 10);
        else if (!strcmp(a, "--mode"))
            mode = v;
        else if (!strcmp(a, "--duration"))
            duration_s = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--settle"))
            settle_ms = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--timeout"))
            timeout_s = (int)strtol(v, NULL, 10);
        else if (!strcmp(a, "--protocol"))
            v1 = !strcmp(v, "1");
        else
            usage();
    }
    bool latency = !strcmp(mode, "latency");
    if (port <= 0 || port > 65535 || n_total < 1 || n_total > 60000 || warmup < 0 ||
        warmup > 1000 || concurrency < 1 || concurrency > 4096 || duration_s < 1 ||
        duration_s > 120 || settle_ms < 0 || settle_ms > 60000 || timeout_s < 10 ||
        timeout_s > 1800 || server_pid <= 0 || (!latency && strcmp(mode, "rss")))
        usage();
    /* pane serve is a supervisor and its worker (--num-procs 1): the sessions live in the worker,
     * its child, whose memory and CPU are what is measured */
    char kids[64], kid_path[96];
    snprintf(kid_path, sizeof kid_path, "/proc/%ld/task/%ld/children", server_pid, server_pid);
    FILE *kf = fopen(kid_path, "r");
    if (kf && fgets(kids, sizeof kids, kf) && strtol(kids, NULL, 10) > 0)
        server_pid = strtol(kids, NULL, 10);
    if (kf)
        fclose(kf);
    srand((unsigned)getpid());
    long long deadline = now_mono_ms() + (long long)timeout_s * 1000;
    int all = warmup + n_total;
    conns = calloc((size_t)all, sizeof *conns);
    for (int i = 0; i < all; i++)
        conns[i].fd = -1;
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (!conns || ep < 0)
        return 1;

    int next = 0;
    target = warmup;
    run(deadline, all_set_up, &next, warmup);
    long rss0 = rss_kb();
    long long t0 = now_mono_ms();
    target = all;
    run(deadline, all_set_up, &next, all);
    long long setup_ms = now_mono_ms() - t0;
    long rss1 = rss_kb();
    if (n_ready < all)
        fprintf(stderr, "sessions: %ld of %d sessions ready, %ld failed (first: %s)\n", n_ready,
                all, n_failed + n_closed, fail_reason);
    int rc = n_ready == all ? 0 : 1;

    if (!latency) {
        run(now_mono_ms() + settle_ms < deadline ? now_mono_ms() + settle_ms : deadline, never,
            &next, all);
        long rss2 = rss_kb();
        double per = n_total ? (double)(rss2 - rss0) * 1024.0 / n_total : 0;
        printf("mode=rss sessions=%d ready=%ld failed=%ld setup_ms=%lld rss_before_kb=%ld "
               "rss_all_docs_kb=%ld rss_settled_kb=%ld bytes_per_session=%.0f\n",
               n_total, n_ready - warmup, n_failed + n_closed, setup_ms, rss0, rss1, rss2, per);
        fprintf(stderr,
                "sessions: %d sessions in %lld ms; VmRSS %ld kB before, %ld kB with all docs, %ld "
                "kB %d ms later: %.0f bytes (%.1f KiB) per session\n",
                n_total, setup_ms, rss0, rss1, rss2, settle_ms, per, per / 1024);
    } else {
        /* up to 12 messages a second per session (a plot appending ten times a second) */
        caplat = (size_t)n_total * (size_t)(duration_s + 2) * 12 + 1024;
        lat = malloc(caplat * sizeof *lat);
        period = malloc(caplat * sizeof *period);
        if (!lat || !period)
            return 1;
        /* a second to let the first ticks of the last sessions settle, then record */
        run(now_mono_ms() + 1000, never, &next, all);
        long long cpu0 = cpu_ticks(), r0 = now_mono_ms();
        long closed0 = n_closed;
        if (signal_ready)
            kill((pid_t)server_pid, SIGUSR1);
        recording = true;
        run(r0 + (long long)duration_s * 1000 < deadline ? r0 + (long long)duration_s * 1000
                                                         : deadline,
            never, &next, all);
        recording = false;
        if (signal_ready)
            kill((pid_t)server_pid, SIGUSR1);
        double secs = (double)(now_mono_ms() - r0) / 1000.0;
        long long cpu1 = cpu_ticks();
        double cpu = cpu0 >= 0 && cpu1 >= 0
                         ? (double)(cpu1 - cpu0) / (double)sysconf(_SC_CLK_TCK) / secs * 100
                         : -1;
        qsort(lat, nlat, sizeof *lat, cmp_double);
        qsort(period, nperiod, sizeof *period, cmp_double);
        long rss2 = rss_kb();
        printf("mode=latency sessions=%d ready=%ld failed=%ld setup_ms=%lld seconds=%.1f "
               "patches=%zu patches_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f "
               "max_ms=%.2f min_ms=%.2f server_cpu_pct=%.0f rss_kb=%ld closed_while_recording=%ld "
               "unparsed=%ld pings=%ld period_p50_ms=%.2f period_p99_ms=%.2f period_max_ms=%.2f "
               "wire_bytes_per_msg=%.1f data_points=%llu wire_bytes_per_point=%.2f\n",
               n_total, n_ready - warmup, n_failed + n_closed, setup_ms, secs, nlat,
               (double)nlat / secs, pct(50), pct(90), pct(99), pct(99.9), nlat ? lat[nlat - 1] : -1,
               nlat ? lat[0] : -1, cpu, rss2, n_closed - closed0, n_unparsed, n_pings,
               pct_of(period, nperiod, 50), pct_of(period, nperiod, 99),
               nperiod ? period[nperiod - 1] : -1,
               wire_msgs ? (double)wire_bytes / (double)wire_msgs : 0, data_points,
               data_points ? (double)wire_bytes / (double)data_points : 0);
        fprintf(
            stderr,
            "sessions: %d sessions; %zu patches in %.1f s (%.0f/s); delay p50 %.2f ms, p99 %.2f "
            "ms, max %.2f ms; server CPU %.0f%%\n",
            n_total, nlat, secs, (double)nlat / secs, pct(50), pct(99), nlat ? lat[nlat - 1] : -1,
            cpu);
        if (n_closed != closed0 || n_unparsed)
            rc = 1;
        free(lat);
        free(period);
    }
    for (int i = 0; i < all; i++)
        if (conns[i].fd >= 0) {
            close(conns[i].fd);
            free(conns[i].in);
        }
    free(conns);
    close(ep);
    return rc;
}
