/*
 * ws_echo: a tiny WebSocket echo server built from pane_core (pn__http_server_start and
 * pn__ws_upgrade), for tests/e2e/ws_test.c and for measuring a WebSocket's memory.
 *
 *     ws_echo [--max-message N] [--max-outbuf N] [--ping-ms N] [--pong-ms N] [--handoff 1]
 *
 * Listens on 127.0.0.1, an ephemeral port, and prints `listening PORT`. GET /ws upgrades;
 * anything else is 404. Text messages are echoed, except these commands:
 *   flood:COUNT:SIZE   sends up to COUNT messages of SIZE bytes at once, stopping at the
 *                      first error (a peer that does not read meets max_outbuf)
 *   close              closes with 1000 "bye"
 *   stats              answers "opens=N closes=N last=CODE live=N"
 *   rss                answers "rss=KB" (VmRSS of this process)
 * With --handoff 1, a second loop runs in a second thread with a server of its own (listening
 * on another port, unused): the first loop's handler detaches every /ws request
 * (pn__http_conn_detach) and hands it over with uv_async_send; the second loop adopts it
 * (pn__http_server_adopt), which answers the upgrade there — the path --num-threads takes to
 * bring a socket to the loop that owns its session. All WebSockets then live on the second loop.
 * SIGTERM stops the server(s), lets every connection close (on_close runs for each) and exits 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "net/net.h"

static struct pn_ws_opts wsopts;
static unsigned opens, closes, last_code; /* touched by the loop that upgrades only */
static struct pn_http_server *srv;
static uv_signal_t sigterm;

/* ---- the second loop, for --handoff ---- */

struct handoff {
    struct handoff *next;
    struct pn_net_sock sock;
    char *bytes;
    size_t len;
};
static bool handoff;
static uv_loop_t loop_b;
static struct pn_http_server *srv_b;
static uv_async_t async_b, stop_b;
static uv_mutex_t mu;
static struct handoff *queue; /* under mu */
static uv_thread_t thread_b;
static unsigned adopted, adopt_failed;

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

static void on_message(struct pn_ws *ws, const char *data, size_t len, void *ud)
{
    (void)ud;
    char reply[128];
    unsigned long count, size;
    if (sscanf(data, "flood:%lu:%lu", &count, &size) == 2) {
        if (size > (1u << 20))
            size = 1u << 20;
        char *blob = malloc(size ? size : 1);
        memset(blob, 'x', size);
        for (unsigned long i = 0; i < count && i < 100000; i++)
            if (pn__ws_send(ws, blob, size) != 0)
                break;
        free(blob);
    } else if (strcmp(data, "close") == 0) {
        pn__ws_close(ws, 1000, "bye");
    } else if (strcmp(data, "stats") == 0) {
        int n = snprintf(reply, sizeof reply, "opens=%u closes=%u last=%u live=%u", opens, closes,
                         last_code, opens - closes);
        pn__ws_send(ws, reply, (size_t)n);
    } else if (strcmp(data, "rss") == 0) {
        int n = snprintf(reply, sizeof reply, "rss=%ld", rss_kb());
        pn__ws_send(ws, reply, (size_t)n);
    } else {
        pn__ws_send(ws, data, len);
    }
}

static void on_close(struct pn_ws *ws, uint16_t code, void *ud)
{
    (void)ws;
    (void)ud;
    closes++;
    last_code = code;
}

static const struct pn_ws_handler handler = {on_message, on_close};

static void on_request(struct pn_http_conn *c, const struct pn_http_req *r, void *ud)
{
    (void)ud;
    if (pn__str_eq(r->path, PN_STRLIT("/ws"))) {
        struct pn_ws *ws;
        if (pn__ws_upgrade(c, r, &wsopts, &handler, NULL, &ws) == 0)
            opens++;
        return;
    }
    pn__http_respond_text(c, 404, NULL);
}

static void on_request_a(struct pn_http_conn *c, const struct pn_http_req *r, void *ud)
{
    (void)ud;
    if (!pn__str_eq(r->path, PN_STRLIT("/ws"))) {
        pn__http_respond_text(c, 404, NULL);
        return;
    }
    struct handoff *h = calloc(1, sizeof *h);
    if (pn__http_conn_detach(c, &h->sock, &h->bytes, &h->len) != 0) {
        free(h);
        pn__http_respond_text(c, 500, NULL);
        return;
    }
    uv_mutex_lock(&mu);
    h->next = queue;
    queue = h;
    uv_mutex_unlock(&mu);
    uv_async_send(&async_b);
}

static void on_async_b(uv_async_t *a)
{
    (void)a;
    uv_mutex_lock(&mu);
    struct handoff *h = queue;
    queue = NULL;
    uv_mutex_unlock(&mu);
    while (h) {
        struct handoff *next = h->next;
        if (pn__http_server_adopt(srv_b, &h->sock, h->bytes, h->len) == 0)
            adopted++;
        else
            adopt_failed++;
        free(h->bytes);
        free(h);
        h = next;
    }
}

static void on_stop_b(uv_async_t *a)
{
    (void)a;
    on_async_b(&async_b); /* nothing may stay in the queue */
    pn__http_server_stop(srv_b);
    uv_close((uv_handle_t *)&async_b, NULL);
    uv_close((uv_handle_t *)&stop_b, NULL);
}

static void run_b(void *arg)
{
    (void)arg;
    uv_run(&loop_b, UV_RUN_DEFAULT);
}

static void on_sigterm(uv_signal_t *s, int signum)
{
    (void)signum;
    pn__http_server_stop(srv);
    uv_close((uv_handle_t *)s, NULL);
    if (handoff)
        uv_async_send(&stop_b);
}

static unsigned long long num_arg(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end) {
        fprintf(stderr, "ws_echo: not a number: %s\n", s);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--max-message") == 0)
            wsopts.max_message = num_arg(argv[i + 1]);
        else if (strcmp(argv[i], "--max-outbuf") == 0)
            wsopts.max_outbuf = num_arg(argv[i + 1]);
        else if (strcmp(argv[i], "--ping-ms") == 0)
            wsopts.ping_interval_ms = num_arg(argv[i + 1]);
        else if (strcmp(argv[i], "--pong-ms") == 0)
            wsopts.pong_timeout_ms = num_arg(argv[i + 1]);
        else if (strcmp(argv[i], "--handoff") == 0)
            handoff = num_arg(argv[i + 1]) != 0;
        else {
            fprintf(stderr, "ws_echo: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max; /* the memory measurement opens thousands of sockets */
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    pn__log_level = PN_LOG_WARN;
    const char *lvl = getenv("PANE_LOG_LEVEL");
    if (lvl)
        pn__log_level_parse(lvl, &pn__log_level);
    uv_loop_t loop;
    uv_loop_init(&loop);
    char err[256];
    struct pn_http_server_opts o = {
        .address = "127.0.0.1", .port = 0, .handler = handoff ? on_request_a : on_request};
    if (pn__http_server_start(&loop, &o, &srv, err, sizeof err) != 0) {
        fprintf(stderr, "ws_echo: %s\n", err);
        return 1;
    }
    if (handoff) {
        uv_loop_init(&loop_b);
        uv_mutex_init(&mu);
        struct pn_http_server_opts ob = {.address = "127.0.0.1", .port = 0, .handler = on_request};
        if (pn__http_server_start(&loop_b, &ob, &srv_b, err, sizeof err) != 0) {
            fprintf(stderr, "ws_echo: %s\n", err);
            return 1;
        }
        uv_async_init(&loop_b, &async_b, on_async_b);
        uv_async_init(&loop_b, &stop_b, on_stop_b);
        uv_thread_create(&thread_b, run_b, NULL);
    }
    uv_signal_init(&loop, &sigterm);
    uv_signal_start(&sigterm, on_sigterm, SIGTERM);
    printf("listening %d\n", pn__http_server_port(srv));
    fflush(stdout);
    uv_run(&loop, UV_RUN_DEFAULT);
    if (handoff) {
        uv_thread_join(&thread_b);
        if (uv_loop_close(&loop_b) != 0) {
            fprintf(stderr, "ws_echo: the second loop is not empty at exit\n");
            return 1;
        }
        uv_mutex_destroy(&mu);
        if (adopt_failed || adopted < opens) {
            fprintf(stderr, "ws_echo: %u adopted, %u failed, %u upgraded\n", adopted, adopt_failed,
                    opens);
            return 1;
        }
    }
    int rc = uv_loop_close(&loop);
    if (rc != 0) {
        fprintf(stderr, "ws_echo: loop not empty at exit: %s\n", uv_strerror(rc));
        return 1;
    }
    if (opens != closes) {
        fprintf(stderr, "ws_echo: %u opened, %u closed\n", opens, closes);
        return 1;
    }
    return 0;
}
