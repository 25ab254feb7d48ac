/*
 * wsclient: the e2e tests' WebSocket client (see wsclient.h). Blocking sockets; every read is
 * preceded by a poll() bounded by the caller's deadline, so nothing here waits forever. wslay's
 * client context does the framing: its recv callback hands over bytes left from the handshake
 * first, then reads the socket, and reports "would block" as soon as a message is waiting, so
 * wslay_event_recv never blocks past a complete message.
 */
#include "wsclient.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <wslay/wslay.h>

#define HEAD_MAX 16384
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct wsc {
    int fd;
    SSL *ssl; /* TLS (wsc_opts.tls), or NULL */
    wslay_event_context_ptr ctx;
    int timeout_ms;
    char *pending; /* bytes read past the 101 head, handed to wslay first */
    size_t pending_len, pending_off;
    int64_t deadline; /* of the current wsc_recv, in ms */
    bool timed_out, eof, answer_now;
    /* messages received and not yet returned: one read can bring several */
    struct queued {
        struct queued *next;
        struct wsc_msg m;
    } * head, **tail;
    unsigned pings;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(int64_t deadline)
{
    int64_t left = deadline - now_ms();
    return left > 0 ? (int)(left > 60000 ? 60000 : left) : 0;
}

/* 1: readable (or EOF/error pending), 0: timeout, -1: poll failed. */
static int wait_readable(int fd, int64_t deadline)
{
    for (int tries = 0; tries < 1000; tries++) {
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int rc = poll(&p, 1, remaining(deadline));
        if (rc > 0)
            return 1;
        if (rc == 0)
            return 0;
        if (errno != EINTR)
            return -1;
    }
    return -1;
}

static int send_all(int fd, const void *p, size_t n)
{
    const char *b = p;
    if (n == 0)
        return 0;
    while (n > 0) {
        ssize_t k = send(fd, b, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        b += k;
        n -= (size_t)k;
    }
    return 0;
}

/* ---- TLS ---- */

void *wsc_tls_connect(int fd, int timeout_ms, char *err, size_t errlen)
{
    (void)timeout_ms; /* the socket's SO_RCVTIMEO and SO_SNDTIMEO bound the handshake */
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = ctx ? SSL_new(ctx) : NULL;
    SSL_CTX_free(ctx); /* ssl holds it */
    if (!ssl) {
        snprintf(err, errlen, "SSL_new failed");
        return NULL;
    }
    SSL_set_alpn_protos(ssl, (const unsigned char *)"\x08http/1.1", 9);
    SSL_set_tlsext_host_name(ssl, "localhost");
    SSL_set_fd(ssl, fd);
    if (SSL_connect(ssl) != 1) {
        unsigned long e = ERR_get_error();
        snprintf(err, errlen, "TLS handshake failed: %s",
                 e ? ERR_reason_error_string(e) : "connection closed");
        ERR_clear_error();
        SSL_free(ssl);
        return NULL;
    }
    return ssl;
}

void wsc_tls_free(void *ssl)
{
    SSL_free(ssl);
}

ssize_t wsc_io_recv(int fd, void *ssl, void *buf, size_t len)
{
    if (!ssl)
        return recv(fd, buf, len, 0);
    size_t got = 0;
    if (SSL_read_ex(ssl, buf, len, &got) == 1)
        return (ssize_t)got;
    int e = SSL_get_error(ssl, 0);
    ERR_clear_error();
    if (e == SSL_ERROR_ZERO_RETURN)
        return 0;
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        errno = EAGAIN;
        return -1;
    }
    if (e == SSL_ERROR_SYSCALL && errno == 0)
        return 0; /* EOF without close_notify */
    errno = errno ? errno : EIO;
    return -1;
}

int wsc_io_send_all(int fd, void *ssl, const void *p, size_t n)
{
    if (!ssl)
        return send_all(fd, p, n);
    size_t done;
    if (n && SSL_write_ex(ssl, p, n, &done) != 1) {
        ERR_clear_error();
        return -1;
    }
    return 0;
}

bool wsc_io_pending(void *ssl)
{
    return ssl && SSL_pending(ssl) > 0;
}

int wsc_tcp_connect(const char *host, int port, int timeout_ms)
{
    char ports[16];
    snprintf(ports, sizeof ports, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    if (getaddrinfo(host ? host : "127.0.0.1", ports, &hints, &ai) != 0 || !ai)
        return -1;
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
        freeaddrinfo(ai);
        return -1;
    }
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv); /* bounds connect and send */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int rc = connect(fd, ai->ai_addr, ai->ai_addrlen);
    freeaddrinfo(ai);
    if (rc != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* Reads a response head (up to the blank line) into buf; extra bytes past it are left in buf
 * after the head, their count in *extra. Returns the head's length, or -1. */
static int read_head(int fd, SSL *ssl, char *buf, size_t cap, int64_t deadline, size_t *extra)
{
    size_t len = 0;
    while (len + 1 < cap) {
        if (!wsc_io_pending(ssl) && wait_readable(fd, deadline) != 1)
            return -1;
        ssize_t n = wsc_io_recv(fd, ssl, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end) {
            size_t head = (size_t)(end + 4 - buf);
            *extra = len - head;
            return (int)head;
        }
    }
    return -1;
}

static int parse_status(const char *head)
{
    int major, minor, status;
    char sp;
    if (sscanf(head, "HTTP/%d.%d%c%d", &major, &minor, &sp, &status) != 4 || sp != ' ')
        return -1;
    return status;
}

int wsc_http(const char *host, int port, const void *request, size_t len, int timeout_ms,
             char *head, size_t headlen)
{
    int64_t deadline = now_ms() + timeout_ms;
    int fd = wsc_tcp_connect(host, port, timeout_ms);
    if (fd < 0)
        return -1;
    char *buf = malloc(HEAD_MAX);
    size_t extra = 0;
    int status = -1;
    if (buf && send_all(fd, request, len) == 0 &&
        read_head(fd, NULL, buf, HEAD_MAX, deadline, &extra) > 0) {
        status = parse_status(buf);
        if (head && headlen) {
            snprintf(head, headlen, "%s", buf);
            char *end = strstr(head, "\r\n\r\n");
            if (end)
                end[4] = '\0';
        }
    }
    free(buf);
    close(fd);
    return status;
}

/* The value of header name in a response head (case-insensitive), copied into out. */
static bool head_value(const char *head, const char *name, char *out, size_t outlen)
{
    size_t nl = strlen(name);
    for (const char *line = strstr(head, "\r\n"); line && line[2] != '\r';
         line = strstr(line + 2, "\r\n")) {
        const char *h = line + 2;
        if (strncasecmp(h, name, nl) == 0 && h[nl] == ':') {
            const char *v = h + nl + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            const char *e = strstr(v, "\r\n");
            size_t n = e ? (size_t)(e - v) : strlen(v);
            while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
                n--;
            snprintf(out, outlen, "%.*s", (int)n, v);
            return true;
        }
    }
    return false;
}

/* ---- wslay callbacks ---- */

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *user)
{
    (void)flags;
    struct wsc *w = user;
    if (w->head || w->answer_now) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    if (w->pending_off < w->pending_len) {
        size_t n = w->pending_len - w->pending_off;
        if (n > len)
            n = len;
        memcpy(buf, w->pending + w->pending_off, n);
        w->pending_off += n;
        return (ssize_t)n;
    }
    int r = wsc_io_pending(w->ssl) ? 1 : wait_readable(w->fd, w->deadline);
    if (r == 0) {
        w->timed_out = true;
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    ssize_t n = r < 0 ? -1 : wsc_io_recv(w->fd, w->ssl, buf, len);
    if (n > 0)
        return n;
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    w->eof = true;
    wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
    return -1;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *user)
{
    (void)flags;
    struct wsc *w = user;
    if (wsc_io_send_all(w->fd, w->ssl, data, len) != 0) {
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)len;
}

static int genmask_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, void *user)
{
    (void)ctx;
    (void)user;
    return getrandom(buf, len, 0) == (ssize_t)len ? 0 : -1;
}

static void msg_cb(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *a,
                   void *user)
{
    (void)ctx;
    struct wsc *w = user;
    if (a->opcode == WSLAY_PING) {
        w->pings++;
        w->answer_now = true; /* return from wslay_event_recv, so that the pong goes out */
        return;
    }
    const uint8_t *p = a->msg;
    size_t n = a->msg_length;
    if (a->opcode == WSLAY_CONNECTION_CLOSE) {
        p = n >= 2 ? p + 2 : p;
        n = n >= 2 ? n - 2 : 0;
    }
    struct queued *q = calloc(1, sizeof *q);
    char *data = malloc(n + 1);
    if (!q || !data) {
        free(q);
        free(data);
        return;
    }
    if (n)
        memcpy(data, p, n);
    data[n] = '\0';
    q->m = (struct wsc_msg){
        .opcode = a->opcode,
        .data = data,
        .len = n,
        .code = a->opcode == WSLAY_CONNECTION_CLOSE ? (a->status_code ? a->status_code : 1005) : 0};
    *w->tail = q;
    w->tail = &q->next;
}

static const struct wslay_event_callbacks callbacks = {
    .recv_callback = recv_cb,
    .send_callback = send_cb,
    .genmask_callback = genmask_cb,
    .on_msg_recv_callback = msg_cb,
};

/* ---- connecting ---- */

static void accept_for(const char *key, char out[29])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    EVP_DigestInit_ex(m, EVP_sha1(), NULL);
    EVP_DigestUpdate(m, key, strlen(key));
    EVP_DigestUpdate(m, WS_GUID, strlen(WS_GUID));
    EVP_DigestFinal_ex(m, md, &mdlen);
    EVP_MD_CTX_free(m);
    EVP_EncodeBlock((unsigned char *)out, md, 20);
}

struct wsc *wsc_connect(const struct wsc_opts *o, int *status, char *err, size_t errlen)
{
    int timeout = o->timeout_ms > 0 ? o->timeout_ms : 5000;
    const char *host = o->host ? o->host : "127.0.0.1";
    if (status)
        *status = -1;
    int64_t deadline = now_ms() + timeout;
    int fd = wsc_tcp_connect(host, o->port, timeout);
    if (fd < 0) {
        snprintf(err, errlen, "cannot connect to %s:%d", host, o->port);
        return NULL;
    }
    SSL *ssl = NULL;
    if (o->tls && !(ssl = wsc_tls_connect(fd, timeout, err, errlen))) {
        close(fd);
        return NULL;
    }
    unsigned char raw[16];
    char key[32];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        snprintf(err, errlen, "getrandom failed");
        SSL_free(ssl);
        close(fd);
        return NULL;
    }
    EVP_EncodeBlock((unsigned char *)key, raw, sizeof raw);
    size_t early = o->early ? o->early_len : 0;
    size_t cap =
        1024 + strlen(o->path ? o->path : "/") + (o->headers ? strlen(o->headers) : 0) + early;
    char *req = malloc(cap);
    char *buf = malloc(HEAD_MAX);
    struct wsc *w = calloc(1, sizeof *w);
    if (!req || !buf || !w) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    int n =
        snprintf(req, cap,
                 "GET %s HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
                 o->path ? o->path : "/", host, o->port, key, o->headers ? o->headers : "");
    if (n < 0 || (size_t)n + early >= cap) {
        snprintf(err, errlen, "request too long");
        goto fail;
    }
    if (early)
        memcpy(req + n, o->early, early);
    if (wsc_io_send_all(fd, ssl, req, (size_t)n + early) != 0) {
        snprintf(err, errlen, "cannot send the handshake");
        goto fail;
    }
    size_t extra = 0;
    int hl = read_head(fd, ssl, buf, HEAD_MAX, deadline, &extra);
    if (hl < 0) {
        snprintf(err, errlen, "no response head within %d ms", timeout);
        goto fail;
    }
    int st = parse_status(buf);
    if (status)
        *status = st;
    char acc[64], want[29];
    accept_for(key, want);
    if (st != 101) {
        snprintf(err, errlen, "status %d, not 101", st);
        goto fail;
    }
    if (!head_value(buf, "sec-websocket-accept", acc, sizeof acc) || strcmp(acc, want) != 0) {
        snprintf(err, errlen, "bad Sec-WebSocket-Accept (want %s)", want);
        goto fail;
    }
    char v[64];
    if (!head_value(buf, "upgrade", v, sizeof v) || strcasecmp(v, "websocket") != 0 ||
        !head_value(buf, "connection", v, sizeof v) || strcasecmp(v, "upgrade") != 0) {
        snprintf(err, errlen, "101 without Upgrade: websocket / Connection: Upgrade");
        goto fail;
    }
    w->fd = fd;
    w->ssl = ssl;
    w->timeout_ms = timeout;
    w->tail = &w->head;
    if (extra) {
        w->pending = malloc(extra);
        if (!w->pending) {
            snprintf(err, errlen, "out of memory");
            goto fail;
        }
        memcpy(w->pending, buf + hl, extra);
        w->pending_len = extra;
    }
    if (wslay_event_context_client_init(&w->ctx, &callbacks, w) != 0) {
        snprintf(err, errlen, "wslay init failed");
        goto fail;
    }
    free(req);
    free(buf);
    return w;
fail:
    if (w)
        free(w->pending);
    free(w);
    free(req);
    free(buf);
    SSL_free(ssl);
    close(fd);
    return NULL;
}

void wsc_free(struct wsc *w)
{
    if (!w)
        return;
    if (w->ctx)
        wslay_event_context_free(w->ctx);
    for (struct queued *q = w->head, *next; q; q = next) {
        next = q->next;
        wsc_msg_free(&q->m);
        free(q);
    }
    free(w->pending);
    SSL_free(w->ssl);
    close(w->fd);
    free(w);
}

int wsc_fd(const struct wsc *w)
{
    return w->fd;
}

/* ---- sending ---- */

static int queue_and_send(struct wsc *w, uint8_t opcode, const void *data, size_t len)
{
    struct wslay_event_msg m = {opcode, data, len};
    if (wslay_event_queue_msg(w->ctx, &m) != 0)
        return -1;
    return wslay_event_send(w->ctx) == 0 ? 0 : -1;
}

int wsc_send_text(struct wsc *w, const char *data, size_t len)
{
    return queue_and_send(w, WSLAY_TEXT_FRAME, data, len);
}

int wsc_send_ping(struct wsc *w, const void *data, size_t len)
{
    return queue_and_send(w, WSLAY_PING, data, len);
}

int wsc_send_close(struct wsc *w, uint16_t code, const char *reason)
{
    size_t n = reason ? strlen(reason) : 0;
    if (wslay_event_queue_close(w->ctx, code, (const uint8_t *)reason, n) != 0)
        return -1;
    return wslay_event_send(w->ctx) == 0 ? 0 : -1;
}

int wsc_send_raw(struct wsc *w, const void *bytes, size_t len)
{
    return wsc_io_send_all(w->fd, w->ssl, bytes, len);
}

size_t wsc_frame(uint8_t *out, bool fin, unsigned rsv, unsigned opcode, bool mask,
                 const void *payload, size_t len)
{
    size_t n = 0;
    out[n++] = (uint8_t)((fin ? 0x80 : 0) | ((rsv & 7) << 4) | (opcode & 0xf));
    uint8_t m = mask ? 0x80 : 0;
    if (len < 126) {
        out[n++] = (uint8_t)(m | len);
    } else if (len < 65536) {
        out[n++] = m | 126;
        out[n++] = (uint8_t)(len >> 8);
        out[n++] = (uint8_t)len;
    } else {
        out[n++] = m | 127;
        for (int i = 7; i >= 0; i--)
            out[n++] = (uint8_t)((uint64_t)len >> (8 * i));
    }
    uint8_t key[4] = {0};
    if (mask) {
        if (getrandom(key, sizeof key, 0) != (ssize_t)sizeof key)
            key[0] = 0x5a;
        memcpy(out + n, key, 4);
        n += 4;
    }
    const uint8_t *p = payload;
    for (size_t i = 0; i < len; i++)
        out[n + i] = p[i] ^ key[i % 4];
    return n + len;
}

/* ---- receiving ---- */

void wsc_msg_free(struct wsc_msg *m)
{
    free(m->data);
    m->data = NULL;
    m->len = 0;
}

int wsc_recv(struct wsc *w, int timeout_ms, struct wsc_msg *m)
{
    w->deadline = now_ms() + (timeout_ms >= 0 ? timeout_ms : w->timeout_ms);
    w->timed_out = false;
    /* each turn reads at least one byte, or ends on the deadline, EOF or an error */
    for (int turns = 0; turns < 1000000; turns++) {
        if (w->head) {
            struct queued *q = w->head;
            *m = q->m;
            w->head = q->next;
            if (!w->head)
                w->tail = &w->head;
            free(q);
            wslay_event_send(w->ctx); /* answers pings and the close */
            return 1;
        }
        if (w->eof || !wslay_event_get_read_enabled(w->ctx))
            return -1; /* after the close frame was returned, or EOF */
        if (w->timed_out)
            return 0;
        int rc = wslay_event_recv(w->ctx);
        w->answer_now = false;
        wslay_event_send(w->ctx);
        if (rc != 0 && !w->head)
            return -1;
    }
    return 0;
}

int wsc_expect_close(struct wsc *w, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    for (int i = 0; i < 100000; i++) {
        struct wsc_msg m;
        int rc = wsc_recv(w, remaining(deadline), &m);
        if (rc != 1)
            return -1;
        int op = m.opcode, code = m.code;
        wsc_msg_free(&m);
        if (op == WSC_CLOSE)
            return code;
    }
    return -1;
}

int wsc_drain(struct wsc *w, int timeout_ms, size_t *total)
{
    int64_t deadline = now_ms() + timeout_ms;
    size_t got = w->pending_len - w->pending_off;
    w->pending_off = w->pending_len;
    char *sink = malloc(65536); /* not static: the harness may use threads */
    if (!sink)
        return -1;
    while (now_ms() < deadline) {
        int r = wsc_io_pending(w->ssl) ? 1 : wait_readable(w->fd, deadline);
        if (r != 1)
            break;
        ssize_t n = wsc_io_recv(w->fd, w->ssl, sink, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            free(sink);
            if (total)
                *total = got;
            return 0;
        }
        got += (size_t)n;
    }
    free(sink);
    if (total)
        *total = got;
    return -1;
}

unsigned wsc_pings(const struct wsc *w)
{
    return w->pings;
}
