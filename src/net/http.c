/*
 * http: the HTTP/1.1 server on a libuv loop. A connection reads into one bounded buffer,
 * parses one request at a time (pipelined requests wait in the buffer), hands it to the
 * handler and stops reading until the handler has responded — backpressure for free. A
 * connection has one timer: the header timeout while a request head is arriving (slowloris),
 * the idle timeout between requests and while a response is being written (counted from the
 * last write progress, as nginx's send_timeout: a slow but steady reader is never cut), and a
 * short linger after an error response so the client reads it instead of a reset. Every head
 * is written by pn__http_fields, bounded (PN_HTTP_MAX_HEAD); a file body is streamed in
 * FILE_CHUNK pieces read on the thread pool, one at a time, as the client reads. Connections are
 * closed by uv_close and freed in its callback, never inside their own read callback.
 * A connection can also leave: upgraded to a WebSocket (ws.c takes over its reading, writing
 * and timer), or detached before it was answered and adopted by another loop's server (its
 * socket dup'ed, its unparsed bytes carried along).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/internal.h"

#define LINGER_MS 2000
#define READ_CHUNK 4096
#define PIPELINE_AHEAD (16 * 1024) /* bytes read ahead while a response is in flight */
#define ACCEPT_BATCH 64            /* connections accepted per readable event of the listener */
#define ACCEPT_PAUSE_MS 500        /* out of descriptors: how long accepting pauses (nginx's) */
#define FILE_CHUNK (64 * 1024)     /* a file body is read and written this much at a time */
#define DRAIN_IDLE_MS                                                                              \
    250                  /* draining: how long an idle keep-alive connection may still             \
                            send one more request (answered with Connection: close) */
#define DRAIN_TICK_MS 20 /* draining: how often the connections left are counted */

struct write_req {
    struct pn_tp_write w;
    struct pn_http_conn *c;
    char *head;
    void (*release)(void *ud);
    void *release_ud;
    bool close;
    char line[256]; /* status line, Server, Date, Connection of a prepared response */
};

/* A file body being streamed: one chunk read (thread pool), then written, then the next. */
struct pn_http_file_body {
    uv_fs_t fs;
    struct pn_tp_write w;
    struct pn_http_conn *c; /* NULL once the connection is gone while a read was in flight */
    int fd;
    uint64_t off, left;
    size_t chunk; /* bytes of buf being written */
    bool reading, close;
    char buf[FILE_CHUNK];
};

static void process(struct pn_http_conn *c);
static void conn_close(struct pn_http_conn *c);
static void file_body_free(struct pn_http_file_body *f);

/* ---- Date header ---- */

const char *pn__http_date(void)
{
    static _Thread_local char buf[40];
    static _Thread_local time_t last;
    time_t now = time(NULL);
    if (now != last) {
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
        last = now;
    }
    return buf;
}

/* ---- timers ---- */

static void timer_set(struct pn_http_conn *c, enum pn_http_timer_mode m, uint64_t ms);

/* How often a response being written is checked for progress: a quarter of the timeout, so a
 * client that stops reading is cut between 1 and 1.25 timeouts after its last read. */
static uint64_t write_tick(uint64_t timeout_ms)
{
    return timeout_ms >= 4 ? timeout_ms / 4 : 1;
}

static void on_timer(uv_timer_t *t)
{
    struct pn_http_conn *c = t->data;
    enum pn_http_timer_mode m = c->tmode;
    c->tmode = PN_T_NONE;
    if (m == PN_T_HEADER && !c->busy && !c->writing) {
        pn__info("%s: request head not complete within %llu ms, closing", c->peer,
                 (unsigned long long)c->srv->o.limits.header_timeout_ms);
        pn__http_respond_text(c, 408, NULL);
        return;
    }
    if (m == PN_T_WRITE) {
        /* libuv reports no partial writes: the bytes still queued shrinking is the progress */
        uint64_t timeout = c->srv->o.limits.idle_timeout_ms, now = uv_now(c->srv->loop);
        size_t queued = pn__tp_write_queued(&c->tp);
        if (queued < c->write_queued) {
            c->write_queued = queued;
            c->write_progress_at = now;
        }
        uint64_t quiet = now - c->write_progress_at;
        if (quiet < timeout) {
            uint64_t left = timeout - quiet, tick = write_tick(timeout);
            c->tmode = PN_T_WRITE;
            uv_timer_start(&c->timer, on_timer, left < tick ? left : tick, 0);
            return;
        }
        pn__info("%s: response not read for %llu ms, closing", c->peer,
                 (unsigned long long)timeout);
    }
    conn_close(c);
}

/* PN_T_WRITE: ms is the longest time without write progress (checked every write_tick). */
static void timer_set(struct pn_http_conn *c, enum pn_http_timer_mode m, uint64_t ms)
{
    if (c->closing)
        return;
    if (m == c->tmode && m != PN_T_WRITE)
        return; /* the header timeout is not extended by trickled bytes */
    c->tmode = m;
    if (m == PN_T_NONE) {
        uv_timer_stop(&c->timer);
        return;
    }
    if (m == PN_T_WRITE) {
        /* a handler may have run long: the loop's cached time would start the clock early */
        uv_update_time(c->srv->loop);
        c->write_queued = pn__tp_write_queued(&c->tp);
        c->write_progress_at = uv_now(c->srv->loop);
        ms = write_tick(ms);
    }
    uv_timer_start(&c->timer, on_timer, ms, 0);
}

/* ---- closing ---- */

static void conn_gone(struct pn_http_conn *c)
{
    if (--c->open_handles > 0)
        return;
    if (c->ws)
        pn__ws_conn_gone(c->ws); /* on_close, then ws is freed; c stays valid until here */
    if (c->file) {
        if (c->file->reading)
            c->file->c = NULL; /* the read's callback frees it */
        else
            file_body_free(c->file);
    }
    pn__http_parse_fini(&c->ps);
    pn__buf_fini(&c->in);
    pn__arena_fini(&c->arena);
    free(c);
}

static void on_handle_closed(uv_handle_t *h)
{
    conn_gone(h->data);
}

static void on_tp_closed(struct pn_tp *t)
{
    conn_gone(t->data);
}

static void conn_close(struct pn_http_conn *c)
{
    if (c->closing)
        return;
    c->closing = true;
    struct pn_http_server *srv = c->srv;
    if (c->counted) {
        srv->nconns--;
        atomic_fetch_sub(&srv->count->open, 1);
        c->counted = false;
    }
    if (c->prev)
        c->prev->next = c->next;
    else if (srv && srv->conns == c)
        srv->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
    uv_timer_stop(&c->timer);
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
    pn__tp_close(&c->tp, on_tp_closed);
}

void pn__http_conn_close(struct pn_http_conn *c)
{
    conn_close(c);
}

static void on_linger_read(struct pn_tp *t, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    if (n < 0)
        conn_close(t->data);
}

static void linger_alloc(struct pn_tp *t, uv_buf_t *buf)
{
    static _Thread_local char sink[READ_CHUNK];
    (void)t;
    *buf = uv_buf_init(sink, sizeof sink);
}

static void on_shutdown(struct pn_tp *t, int status)
{
    struct pn_http_conn *c = t->data;
    if (status < 0 || c->closing) {
        conn_close(c);
        return;
    }
    /* read and drop whatever the client still sends until it closes, at most LINGER_MS */
    c->tmode = PN_T_NONE;
    timer_set(c, PN_T_LINGER, LINGER_MS);
    pn__tp_read_stop(&c->tp);
    if (c->peer_eof || pn__tp_read_start(&c->tp, linger_alloc, on_linger_read) != 0)
        conn_close(c);
}

static void conn_finish(struct pn_http_conn *c)
{
    if (c->closing || c->lingering)
        return;
    c->lingering = true;
    if (pn__tp_shutdown(&c->tp, on_shutdown) != 0)
        conn_close(c);
}

void pn__http_conn_finish(struct pn_http_conn *c)
{
    conn_finish(c);
}

/* ---- reading ---- */

static void on_alloc(struct pn_tp *t, uv_buf_t *buf)
{
    struct pn_http_conn *c = t->data;
    size_t room = c->in.max - c->in.len;
    if (room > READ_CHUNK)
        room = READ_CHUNK;
    if (c->busy || c->writing) {
        /* pipelined bytes behind the request being answered: read ahead a little (saves the
         * epoll_ctl of stopping and restarting), but not up to the buffer's maximum (a request
         * with its body): a client that pipelines and never reads its responses must not make
         * every connection hold a megabyte */
        size_t ahead = c->in.len - c->parsed;
        size_t left = ahead < PIPELINE_AHEAD ? PIPELINE_AHEAD - ahead : 0;
        if (room > left)
            room = left;
    }
    if (room == 0 || pn__buf_append(&c->in, NULL, 0) != 0) {
        *buf = uv_buf_init(NULL, 0);
        return;
    }
    /* grow the buffer, then hand out its free tail */
    if (c->in.cap < c->in.len + room + 1) {
        size_t cap = c->in.cap ? c->in.cap : READ_CHUNK;
        while (cap < c->in.len + room + 1)
            cap *= 2;
        if (cap > c->in.max + 1)
            cap = c->in.max + 1;
        c->in.data = pn__xrealloc(c->in.data, cap);
        c->in.cap = cap;
    }
    *buf = uv_buf_init(c->in.data + c->in.len, (unsigned)room);
}

static void read_stop(struct pn_http_conn *c)
{
    if (c->reading) {
        pn__tp_read_stop(&c->tp);
        c->reading = false;
    }
}

static void on_read(struct pn_tp *t, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    struct pn_http_conn *c = t->data;
    if (n == 0) { /* nothing read (TLS: the handshake is done, the idle timeout counts) */
        process(c);
        return;
    }
    if (n == UV_ENOBUFS) {
        read_stop(c);
        if (c->busy || c->writing)
            return; /* pipelined bytes fill the buffer: wait until this response is written */
        /* the buffer is at its maximum and still no complete request */
        pn__http_respond_text(c, c->ps.headers_done ? 413 : 431, NULL);
        return;
    }
    if (n < 0) {
        read_stop(c);
        c->peer_eof = true;
        if (!c->busy && !c->writing)
            conn_close(c);
        return;
    }
    c->in.len += (size_t)n;
    c->in.data[c->in.len] = '\0';
    process(c);
}

static void read_start(struct pn_http_conn *c)
{
    if (c->reading || c->closing || c->peer_eof)
        return;
    if (pn__tp_read_start(&c->tp, on_alloc, on_read) == 0)
        c->reading = true;
    else
        conn_close(c);
}

/* Parses what is buffered; dispatches a complete request or waits for more bytes. */
static void process(struct pn_http_conn *c)
{
    if (c->busy || c->writing || c->closing || c->lingering)
        return;
    if (c->parsed == c->in.len) {
        if (c->peer_eof) {
            conn_close(c);
            return;
        }
        uint64_t idle = c->srv->o.limits.idle_timeout_ms;
        if (c->srv->draining && idle > DRAIN_IDLE_MS)
            idle = DRAIN_IDLE_MS;
        /* a TLS handshake under way counts against the header timeout, as the head does */
        bool head = c->in.len || !c->tp.ready;
        timer_set(c, head ? PN_T_HEADER : PN_T_IDLE,
                  head ? c->srv->o.limits.header_timeout_ms : idle);
        read_start(c);
        return;
    }
    int rc = pn__http_parse_feed(&c->ps, c->in.data, c->in.len, &c->parsed, &c->arena, &c->req);
    if (rc == PN_EAGAIN && c->ps.expect_continue && !c->ps.sent_continue) {
        /* RFC 9110 §10.1.1: the client waits for this before it sends the body */
        static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
        c->ps.sent_continue = true;
        if (pn__tp_try_write(&c->tp, cont, sizeof cont - 1) != 0) {
            pn__http_conn_close(c);
            return;
        }
    }
    if (rc == PN_EAGAIN) {
        timer_set(c, PN_T_HEADER, c->srv->o.limits.header_timeout_ms);
        read_start(c);
        return;
    }
    /* reading goes on while the request is answered: what arrives meanwhile waits in the
     * buffer (bounded; a full buffer pauses reading until the response is written), which
     * saves two epoll_ctl calls per request on keep-alive connections */
    if (rc != 0) {
        read_stop(c);
        pn__info("%s: bad request (%s)", c->peer, pn__strerror(rc));
        pn__http_respond_text(c, pn__http_error_status(rc), NULL);
        return;
    }
    if (c->srv->o.use_xheaders) { /* per request: a proxy sends many clients' on one socket */
        struct pn_http_forwarded f;
        pn__http_forwarded(&c->req, &f);
        snprintf(c->peer, sizeof c->peer, "%s", f.client[0] ? f.client : c->sock_peer);
    }
    c->req.secure = pn__tp_secure(&c->tp);
    c->busy = true;
    c->t_start = uv_hrtime(); /* not uv_now: a handler's own time is what is measured */
    timer_set(c, PN_T_NONE, 0);
    c->srv->o.handler(c, &c->req, c->srv->o.ud);
}

/* ---- writing ---- */

static uint64_t elapsed_ms(const struct pn_http_conn *c)
{
    return (uv_hrtime() - c->t_start) / 1000000;
}

/* For /metrics: a response of status, timed from its request when there was one. */
static void count_response(struct pn_http_conn *c, int status, bool timed)
{
    if (c->srv)
        pn__http_count(&c->srv->counts, status, timed ? (uv_hrtime() - c->t_start) / 1000 : 0);
}

const struct pn_http_counts *pn__http_server_counts(const struct pn_http_server *srv)
{
    return &srv->counts;
}

/* The response is written: the next request, or the end of the connection. */
static void response_done(struct pn_http_conn *c, bool close)
{
    c->writing = false;
    if (close) {
        conn_finish(c);
        return;
    }
    /* after a client's EOF, requests it pipelined before it are still answered (process) */
    /* drop the request just answered, keep what was pipelined behind it */
    memmove(c->in.data, c->in.data + c->parsed, c->in.len - c->parsed);
    c->in.len -= c->parsed;
    c->in.data[c->in.len] = '\0';
    c->parsed = 0;
    pn__arena_reset(&c->arena);
    pn__http_parse_next(&c->ps);
    timer_set(c, PN_T_NONE, 0);
    process(c);
}

static void file_body_free(struct pn_http_file_body *f)
{
    if (f->c)
        f->c->file = NULL;
    close(f->fd);
    free(f);
}

static void file_next(struct pn_http_conn *c);

static void on_file_written(struct pn_tp_write *w, int status)
{
    struct pn_http_file_body *f =
        (struct pn_http_file_body *)((char *)w - offsetof(struct pn_http_file_body, w));
    struct pn_http_conn *c = f->c;
    if (c->closing)
        return; /* freed with the connection */
    if (status < 0) {
        conn_close(c);
        return;
    }
    f->off += f->chunk;
    f->left -= f->chunk;
    if (f->left > 0) {
        file_next(c);
        return;
    }
    bool close = f->close;
    file_body_free(f);
    response_done(c, close);
}

static void on_file_read(uv_fs_t *req)
{
    struct pn_http_file_body *f = (struct pn_http_file_body *)req;
    ssize_t n = req->result;
    uv_fs_req_cleanup(req);
    f->reading = false;
    struct pn_http_conn *c = f->c;
    if (!c) {
        file_body_free(f); /* the connection went while we read */
        return;
    }
    if (c->closing)
        return; /* freed with the connection */
    if (n <= 0) {
        /* an error, or the file shrank under us: the promised length cannot be sent */
        pn__warn("%s: reading the file being sent: %s", c->peer,
                 n < 0 ? uv_strerror((int)n) : "it ended early");
        conn_close(c);
        return;
    }
    f->chunk = (uint64_t)n < f->left ? (size_t)n : (size_t)f->left;
    uv_buf_t b = uv_buf_init(f->buf, (unsigned)f->chunk);
    if (pn__tp_write(&c->tp, &f->w, &b, 1, on_file_written) != 0) {
        conn_close(c);
        return;
    }
    timer_set(c, PN_T_WRITE, c->srv->o.limits.idle_timeout_ms);
}

/* Reads the next chunk of c's file body; on_file_read writes it. */
static void file_next(struct pn_http_conn *c)
{
    struct pn_http_file_body *f = c->file;
    size_t want = f->left < FILE_CHUNK ? (size_t)f->left : FILE_CHUNK;
    uv_buf_t b = uv_buf_init(f->buf, (unsigned)want);
    f->reading = true;
    int rc = uv_fs_read(c->srv->loop, &f->fs, f->fd, &b, 1, (int64_t)f->off, on_file_read);
    if (rc != 0) {
        f->reading = false;
        pn__warn("%s: reading the file being sent: %s", c->peer, uv_strerror(rc));
        conn_close(c);
    }
}

static void on_write(struct pn_tp_write *w, int status)
{
    struct write_req *wr = (struct write_req *)w;
    struct pn_http_conn *c = wr->c;
    if (wr->release)
        wr->release(wr->release_ud);
    free(wr->head);
    bool close = wr->close;
    free(wr);
    if (c->closing)
        return;
    if (status < 0) {
        conn_close(c);
        return;
    }
    if (c->file) {
        c->file->close = close;
        file_next(c); /* the head is out: now the file, chunk by chunk */
        return;
    }
    response_done(c, close);
}

static bool etag_matches(const struct pn_http_req *r, const char *etag)
{
    pn_str inm = pn__http_header(r, "if-none-match");
    if (!inm.ptr)
        return false;
    pn_str tag = pn__str(etag);
    for (size_t i = 0; i + tag.len <= inm.len; i++)
        if (memcmp(inm.ptr + i, tag.ptr, tag.len) == 0)
            return true;
    return inm.len == 1 && inm.ptr[0] == '*';
}

/* Whole header lines: "Name: value\r\n"..., no empty line, no bare CR or LF. */
static bool header_lines_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return true;
    if (n < 3 || s[n - 2] != '\r' || s[n - 1] != '\n')
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && (s[i + 1] != '\n' || i == 0 || s[i - 1] == '\n'))
            return false;
        if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
            return false;
    }
    return true;
}

int pn__http_fields(struct pn_buf *b, const struct pn_http_fields *f)
{
    for (size_t i = 0; i < sizeof f->extra / sizeof *f->extra; i++)
        if (f->extra[i] && !header_lines_ok(f->extra[i]))
            return PN_EINVAL;
    size_t start = b->len;
    int rc = 0;
    if (!f->no_length)
        rc |= pn__buf_printf(b, "Content-Length: %zu\r\n", f->content_length);
    if (f->content_type)
        rc |= pn__buf_printf(b, "Content-Type: %s\r\n", f->content_type);
    if (f->gzip)
        rc |= pn__buf_puts(b, "Content-Encoding: gzip\r\n");
    if (f->vary)
        rc |= pn__buf_puts(b, "Vary: Accept-Encoding\r\n");
    if (f->etag)
        rc |= pn__buf_printf(b, "ETag: %s\r\n", f->etag);
    if (f->cache_control)
        rc |= pn__buf_printf(b, "Cache-Control: %s\r\n", f->cache_control);
    for (size_t i = 0; i < sizeof f->extra / sizeof *f->extra; i++)
        if (f->extra[i])
            rc |= pn__buf_puts(b, f->extra[i]);
    rc |= pn__buf_puts(b, "\r\n");
    if (rc != 0 || b->len - start > PN_HTTP_MAX_HEAD) {
        b->len = start; /* never a cut head */
        if (b->data)
            b->data[start] = '\0';
        return PN_ETOOBIG;
    }
    return 0;
}

/* The status line, Server, Date and Connection of a response to req (NULL: none, closing). */
static int status_lines(struct pn_buf *h, int status, const struct pn_http_req *req, bool close)
{
    return pn__buf_printf(h, "HTTP/1.1 %d %s\r\nServer: pane\r\nDate: %s\r\n%s", status,
                          pn__http_reason(status), pn__http_date(),
                          close                         ? "Connection: close\r\n"
                          : req && req->http_minor == 0 ? "Connection: keep-alive\r\n"
                                                        : "");
}

static void release_file(const struct pn_http_resp *r)
{
    if (r->file)
        close(r->file->fd);
}

void pn__http_respond(struct pn_http_conn *c, const struct pn_http_resp *r)
{
    const struct pn_http_req *req = c->busy ? &c->req : NULL;
    c->busy = false;
    if (c->closing) {
        if (r->release)
            r->release(r->release_ud);
        release_file(r);
        return;
    }
    struct pn_http_resp stripped; /* r without its body, when none is sent after all */
    int status = r->status;
    const void *body = r->body;
    size_t body_len = r->file ? (size_t)r->file->length : r->body_len;
    bool gz = false, vary = false;
    bool compressible = !r->file && r->body_gz;
    if (r->etag && req && (status == 200) && etag_matches(req, r->etag)) {
        status = 304;
        body_len = 0;
        vary = compressible; /* a 304 repeats the 200's Vary (RFC 9110 15.4.5) */
    } else if (req && status != 304 && compressible) {
        vary = true;
        if (req->accept_gzip) {
            body = r->body_gz;
            body_len = r->body_gz_len;
            gz = true;
        }
    }
    bool head_only = req && req->method == HTTP_HEAD;
    bool close = r->close || !req || !req->keep_alive || (c->srv && c->srv->draining);
    bool bodyless = status == 304 || status == 204;

    struct pn_buf h;
    pn__buf_init(&h, PN_HTTP_MAX_HEAD + 1024);
    int rc = status_lines(&h, status, req, close);
    if (rc == 0)
        rc = pn__http_fields(
            &h, &(struct pn_http_fields){.content_length = body_len,
                                         .no_length = bodyless,
                                         .content_type = bodyless ? NULL : r->content_type,
                                         .gzip = gz,
                                         .vary = vary,
                                         .etag = r->etag,
                                         .cache_control = r->cache_control,
                                         .extra = {bodyless ? NULL : r->headers}});
    if (rc != 0) {
        /* a bug of the caller's (headers over the bound or not lines): said, and a bare 500 */
        pn__error("%s: response head for %d not written: %s", c->peer, status, pn__strerror(rc));
        pn__buf_reset(&h);
        status = 500;
        body = "Internal Server Error\n";
        body_len = strlen(body);
        close = true;
        bodyless = false;
        pn__buf_printf(&h,
                       "HTTP/1.1 500 Internal Server Error\r\nServer: pane\r\nDate: %s\r\n"
                       "Connection: close\r\nContent-Length: %zu\r\n"
                       "Content-Type: text/plain; charset=utf-8\r\n\r\n",
                       pn__http_date(), body_len);
        release_file(r);
        stripped = (struct pn_http_resp){.release = r->release, .release_ud = r->release_ud};
        r = &stripped;
    }

    count_response(c, status, req != NULL);
    if (req)
        pn__info("%s \"%.*s %.*s\" %d %zu %llums", c->peer, (int)req->method_name.len,
                 req->method_name.ptr, (int)(req->url.len > 200 ? 200 : req->url.len), req->url.ptr,
                 status, body_len, (unsigned long long)elapsed_ms(c));

    bool send_body = !head_only && !bodyless && body_len > 0;
    if (r->file && !send_body) {
        release_file(r);
        stripped = (struct pn_http_resp){.release = r->release, .release_ud = r->release_ud};
        r = &stripped;
    }
    struct write_req *wr = pn__xcalloc(1, sizeof *wr);
    wr->c = c;
    size_t head_len;
    wr->head = pn__buf_steal(&h, &head_len);
    wr->release = r->release;
    wr->release_ud = r->release_ud;
    wr->close = close;
    uv_buf_t bufs[2] = {uv_buf_init(wr->head, (unsigned)head_len),
                        uv_buf_init((char *)(uintptr_t)body, (unsigned)body_len)};
    unsigned nbufs = send_body && !r->file ? 2 : 1;
    if (r->file) {
        struct pn_http_file_body *f = pn__xmalloc(sizeof *f);
        *f = (struct pn_http_file_body){
            .c = c, .fd = r->file->fd, .off = r->file->offset, .left = r->file->length};
        c->file = f;
    }
    c->writing = true;
    if (close)
        read_stop(c);
    if (pn__tp_write(&c->tp, &wr->w, bufs, nbufs, on_write) != 0) {
        c->writing = false;
        if (wr->release)
            wr->release(wr->release_ud);
        free(wr->head);
        free(wr);
        conn_close(c); /* and c->file with it */
        return;
    }
    timer_set(c, PN_T_WRITE, c->srv->o.limits.idle_timeout_ms);
}

void pn__http_respond_text(struct pn_http_conn *c, int status, const char *extra_headers)
{
    char *body = pn__xmalloc(64); /* alive until written: freed by release */
    int n = snprintf(body, 64, "%s\n", pn__http_reason(status));
    pn__http_respond(
        c, &(struct pn_http_resp){.status = status,
                                  .content_type = "text/plain; charset=utf-8",
                                  .headers = extra_headers,
                                  .body = body,
                                  .body_len = (size_t)n,
                                  .close = status >= 400 && status != 404 && status != 405,
                                  .release = free,
                                  .release_ud = body});
}

const char *pn__http_conn_peer(const struct pn_http_conn *c)
{
    return c->peer;
}

/* ---- accepting ---- */

static void set_peer(struct pn_http_conn *c)
{
    pn__tp_peer(&c->tp, c->peer, sizeof c->peer);
    memcpy(c->sock_peer, c->peer, sizeof c->peer);
}

/* A connection with both handles initialised but not yet open nor linked. */
static struct pn_http_conn *conn_new(struct pn_http_server *srv)
{
    struct pn_http_conn *c = pn__xcalloc(1, sizeof *c);
    c->srv = srv;
    pn__tp_init(&c->tp, srv->loop, srv->o.tls);
    uv_timer_init(srv->loop, &c->timer);
    c->tp.data = c->timer.data = c;
    c->open_handles = 2;
    return c;
}

/* Discards a connection from conn_new that never became live. */
static void conn_discard(struct pn_http_conn *c)
{
    c->closing = true;
    uv_close((uv_handle_t *)&c->timer, on_handle_closed);
    pn__tp_close(&c->tp, on_tp_closed);
}

/* Readies an open connection for requests and links it into its server. Returns the open
 * connections counted against max_connections, this one included. */
static size_t conn_start(struct pn_http_conn *c)
{
    struct pn_http_server *srv = c->srv;
    set_peer(c);
    pn__http_parse_init(&c->ps, &srv->o.limits);
    pn__buf_init(&c->in, srv->o.limits.max_header_bytes + srv->o.limits.max_body + READ_CHUNK);
    pn__arena_init(&c->arena, 2048);
    c->next = srv->conns;
    if (srv->conns)
        srv->conns->prev = c;
    srv->conns = c;
    srv->nconns++;
    c->counted = true;
    return atomic_fetch_add(&srv->count->open, 1) + 1;
}

/* pn__http_conn_open, with the count conn_start returns in *open. */
static struct pn_http_conn *conn_open(struct pn_http_server *srv, struct pn_net_sock *sock,
                                      size_t *open)
{
    struct pn_http_conn *c = conn_new(srv);
    int rc = pn__tp_open(&c->tp, sock);
    if (rc != 0) {
        pn__warn("cannot open a socket on the loop: %s", uv_strerror(rc));
        pn__net_sock_close(sock);
        conn_discard(c);
        return NULL;
    }
    *open = conn_start(c);
    return c;
}

struct pn_http_conn *pn__http_conn_open(struct pn_http_server *srv, struct pn_net_sock *sock)
{
    size_t open;
    return conn_open(srv, sock, &open);
}

/* An accept error: said once a second at most, with how many there were, so that a flood
 * cannot flood the log too. */
static void accept_warn(struct pn_http_server *srv, int err, bool paused)
{
    srv->accept_failed++;
    uint64_t now = uv_now(srv->loop);
    if (srv->accept_warned && now - srv->accept_warned < 1000)
        return;
    pn__warn("accept: %s (%llu time%s since the last warning; open connections %zu)%s",
             uv_strerror(err), (unsigned long long)srv->accept_failed,
             srv->accept_failed == 1 ? "" : "s", srv->nconns,
             paused ? ": accepting paused for 500 ms; raise the open files limit (ulimit -n) or "
                      "set --max-connections"
                    : "");
    srv->accept_warned = now;
    srv->accept_failed = 0;
}

static void on_listener(uv_poll_t *p, int status, int events);

static void on_pause_end(uv_timer_t *t)
{
    struct pn_http_server *srv = t->data;
    if (!srv->stopping && !srv->draining)
        uv_poll_start(&srv->listener, UV_READABLE, on_listener);
}

/* A new connection: counted, then answered 503 if over max_connections (whichever loop took
 * it: the count is the process's when the loops share it), else read. */
static void accepted(struct pn_http_server *srv, int fd)
{
    size_t open;
    struct pn_http_conn *c = conn_open(srv, &(struct pn_net_sock){.fd = fd}, &open);
    if (!c)
        return;
    if (srv->o.max_connections && open > srv->o.max_connections) {
        /* over --max-connections: a clear answer, then the connection goes */
        pn__info("%s: over --max-connections (%zu), 503", c->peer, srv->o.max_connections);
        pn__http_respond_text(c, 503, "Retry-After: 1\r\n");
        return;
    }
    process(c);
}

/*
 * The listener is readable: accept up to ACCEPT_BATCH connections. We accept ourselves rather
 * than through uv_listen because libuv retries a failing accept at once, in a loop inside its
 * callback: out of descriptors (EMFILE) with its reserve descriptor gone (taken by another
 * loop's thread the moment libuv freed it) that loop never ends, and the loop never gets to
 * close the connections that would free descriptors. Here, as nginx does, accepting pauses
 * for ACCEPT_PAUSE_MS instead (the connections wait in the backlog) and the loop goes on.
 */
static void on_listener(uv_poll_t *p, int status, int events)
{
    (void)events;
    struct pn_http_server *srv = p->data;
    if (status < 0) {
        accept_warn(srv, status, true);
        uv_poll_stop(&srv->listener);
        uv_timer_start(&srv->pause, on_pause_end, ACCEPT_PAUSE_MS, 0);
        return;
    }
    for (int i = 0; i < ACCEPT_BATCH && !srv->stopping; i++) {
        int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            accepted(srv, fd);
            continue;
        }
        int e = errno;
        if (e == EAGAIN || e == EWOULDBLOCK)
            return;
        if (e == EINTR || e == ECONNABORTED || e == EPROTO || e == ENETDOWN || e == ENOPROTOOPT ||
            e == EHOSTDOWN || e == ENONET || e == EHOSTUNREACH || e == ENETUNREACH || e == EPERM ||
            e == ETIMEDOUT) {
            /* that connection's own trouble (accept(2) says to retry): the next one */
            accept_warn(srv, -e, false);
            continue;
        }
        /* EMFILE, ENFILE, ENOBUFS, ENOMEM or anything unexpected: retrying now would spin */
        accept_warn(srv, -e, true);
        uv_poll_stop(&srv->listener);
        uv_timer_start(&srv->pause, on_pause_end, ACCEPT_PAUSE_MS, 0);
        return;
    }
}

/* ---- upgrading, detaching, adopting ---- */

void pn__http_conn_upgrade(struct pn_http_conn *c, struct pn_ws *ws, char **rest, size_t *rest_len)
{
    read_stop(c);
    uv_timer_stop(&c->timer);
    c->tmode = PN_T_NONE;
    c->busy = false;
    c->ws = ws;
    *rest = NULL;
    *rest_len = 0;
    if (c->in.len > c->parsed) {
        *rest_len = c->in.len - c->parsed;
        *rest = pn__xmalloc(*rest_len);
        memcpy(*rest, c->in.data + c->parsed, *rest_len);
    }
    /* nothing of HTTP is needed any more: an idle WebSocket keeps none of it */
    memset(&c->req, 0, sizeof c->req);
    pn__http_parse_fini(&c->ps);
    c->ps.hdr = NULL; /* on_handle_closed finalises it again */
    pn__buf_fini(&c->in);
    c->parsed = 0;
    pn__arena_fini(&c->arena);
}

int pn__http_conn_detach(struct pn_http_conn *c, struct pn_net_sock *sock, char **bytes,
                         size_t *len)
{
    if (!c->busy || c->closing || c->lingering || c->writing || c->ws ||
        pn__tp_write_queued(&c->tp) != 0) /* (TLS: its own records, still to go out here) */
        return PN_EINVAL;
    if (pn__tp_detach(&c->tp, sock) != 0) {
        pn__warn("%s: cannot dup the socket to move it: %s", c->peer, uv_strerror(-errno));
        return PN_EIO;
    }
    c->reading = false;
    /* the current request starts the buffer (answered ones were compacted away) */
    *bytes = pn__xmalloc(c->in.len + 1);
    if (c->in.len)
        memcpy(*bytes, c->in.data, c->in.len);
    (*bytes)[c->in.len] = '\0';
    *len = c->in.len;
    c->busy = false;
    conn_close(c); /* closes our descriptor only: the socket lives on in the dup */
    return 0;
}

int pn__http_server_adopt(struct pn_http_server *srv, struct pn_net_sock *sock, const char *bytes,
                          size_t len)
{
    /* counted, never refused for max_connections: it was admitted on the loop it came from */
    struct pn_http_conn *c = pn__http_conn_open(srv, sock);
    if (!c)
        return PN_EIO;
    if (len > c->in.max || pn__buf_append(&c->in, bytes, len) != 0) {
        pn__warn("%s: %zu adopted bytes are over the request limits, closing", c->peer, len);
        conn_close(c);
        return PN_ETOOBIG;
    }
    process(c);
    return 0;
}

/* A non-blocking listening socket on ss (SO_REUSEADDR as libuv sets it; SO_REUSEPORT for
 * several loops on one port). Returns the descriptor or a negative libuv error. */
static int listen_socket(const struct sockaddr_storage *ss, bool reuseport)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    socklen_t len =
        ss->ss_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
    if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        (reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) ||
        bind(fd, (const struct sockaddr *)ss, len) != 0 || listen(fd, 1024) != 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    return fd;
}

static int local_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    return ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                          : ((struct sockaddr_in *)&ss)->sin_port);
}

int pn__http_listen(const char *address, int port, bool reuseport, int *port_out, char *err,
                    size_t errlen)
{
    const char *addr = address ? address : "127.0.0.1";
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    int rc = strchr(addr, ':') ? uv_ip6_addr(addr, port, (struct sockaddr_in6 *)&ss)
                               : uv_ip4_addr(addr, port, (struct sockaddr_in *)&ss);
    if (rc != 0) {
        snprintf(err, errlen, "invalid address %s", addr);
        return PN_EINVAL;
    }
    int fd = listen_socket(&ss, reuseport);
    if (fd < 0) {
        snprintf(err, errlen, "cannot listen on %s:%d: %s", addr, port, uv_strerror(fd));
        return PN_EIO;
    }
    if (port_out)
        *port_out = local_port(fd);
    return fd;
}

int pn__http_server_start(uv_loop_t *loop, const struct pn_http_server_opts *o,
                          struct pn_http_server **out, char *err, size_t errlen)
{
    struct pn_http_server *srv = pn__xcalloc(1, sizeof *srv);
    srv->loop = loop;
    srv->o = *o;
    srv->count = &srv->own_count;
    pn__http_limits_default(&srv->o.limits);
    if (o->listen_fd) {
        /* a socket someone else listens on too (a supervisor's, shared by its workers): our
         * own copy, closed when we stop */
        srv->listen_fd = fcntl(*o->listen_fd, F_DUPFD_CLOEXEC, 3);
        if (srv->listen_fd < 0) {
            snprintf(err, errlen, "cannot use the listening socket: %s", strerror(errno));
            free(srv);
            return PN_EIO;
        }
    } else {
        srv->listen_fd = pn__http_listen(o->address, o->port, o->reuseport, NULL, err, errlen);
        if (srv->listen_fd < 0) {
            int e = srv->listen_fd;
            free(srv);
            return e;
        }
    }
    int rc = uv_poll_init_socket(loop, &srv->listener, srv->listen_fd);
    if (rc != 0) {
        snprintf(err, errlen, "cannot watch the listening socket: %s", uv_strerror(rc));
        close(srv->listen_fd);
        free(srv);
        return PN_EIO;
    }
    srv->listener.data = srv;
    uv_timer_init(loop, &srv->pause);
    srv->pause.data = srv;
    srv->open_handles = 2;
    uv_poll_start(&srv->listener, UV_READABLE, on_listener);
    srv->port = local_port(srv->listen_fd);
    *out = srv;
    return 0;
}

int pn__http_server_port(const struct pn_http_server *srv)
{
    return srv->port;
}

void pn__http_server_share_count(struct pn_http_server *srv, struct pn_http_counter *count)
{
    srv->count = count;
}

static void on_listener_closed(uv_handle_t *h)
{
    struct pn_http_server *srv = h->data;
    if (--srv->open_handles > 0)
        return;
    close(srv->listen_fd); /* only now: libuv no longer watches it */
    free(srv);
}

/* Draining: done once no HTTP connection is left (WebSockets do not count) or at the deadline. */
static void on_drain_tick(uv_timer_t *t)
{
    struct pn_http_server *srv = t->data;
    bool left = false;
    for (struct pn_http_conn *c = srv->conns; c && !left; c = c->next)
        left = !c->ws && !c->closing;
    if (left && uv_now(srv->loop) < srv->drain_deadline)
        return;
    uv_timer_stop(&srv->pause);
    srv->drained(srv->drained_ud);
}

void pn__http_server_drain(struct pn_http_server *srv, uint64_t max_ms, void (*done)(void *ud),
                           void *ud)
{
    if (srv->stopping || srv->draining)
        return;
    srv->draining = true;
    srv->drained = done;
    srv->drained_ud = ud;
    srv->drain_deadline = uv_now(srv->loop) + max_ms;
    uv_poll_stop(&srv->listener);
    /* Let go of the listening socket now, not when the poll handle closes: while any process
     * holds it, the kernel queues connections in its backlog (SO_REUSEPORT spreads them over
     * the port's sockets), where nobody accepts them any more. The descriptor number stays
     * valid (/dev/null over it) for libuv until the handle is closed. Others that hold the
     * same socket (the next generation's worker on a reload) go on accepting on it. */
    int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (nul >= 0) {
        dup2(nul, srv->listen_fd);
        close(nul);
    }
    /* the idle ones get DRAIN_IDLE_MS for one more request (process sets the shorter timer),
     * and so do those that have sent nothing yet: a browser opens sockets ahead of the
     * requests it may make (preconnects), which would otherwise hold the drain to its deadline
     * (and a reload's pages to their old worker) */
    for (struct pn_http_conn *c = srv->conns; c; c = c->next)
        if (!c->ws && !c->closing &&
            (c->tmode == PN_T_IDLE || (c->tmode == PN_T_HEADER && c->in.len == 0 && c->tp.ready &&
                                       !c->busy && !c->writing))) {
            c->tmode = PN_T_NONE; /* timer_set keeps a running timer of the same mode */
            timer_set(c, PN_T_IDLE, DRAIN_IDLE_MS); /* then closed without a word, as idle */
        }
    uv_timer_stop(&srv->pause);
    uv_timer_start(&srv->pause, on_drain_tick, 0, DRAIN_TICK_MS);
}

void pn__http_server_stop(struct pn_http_server *srv)
{
    srv->stopping = true;
    /* WebSockets get a proper 1001 close: they leave the server's list (it is freed below) and
     * end on their own after the close handshake (ws.c bounds it to a couple of seconds) */
    for (struct pn_http_conn *c = srv->conns, *next; c; c = next) {
        next = c->next;
        if (!c->ws || c->closing)
            continue;
        if (c->prev)
            c->prev->next = c->next;
        else
            srv->conns = c->next;
        if (c->next)
            c->next->prev = c->prev;
        c->prev = c->next = NULL;
        if (c->counted) {
            srv->nconns--;
            atomic_fetch_sub(&srv->count->open, 1);
            c->counted = false;
        }
        c->srv = NULL;
        pn__ws_close(c->ws, 1001, "server stopping");
    }
    while (srv->conns)
        conn_close(srv->conns);
    uv_timer_stop(&srv->pause);
    uv_close((uv_handle_t *)&srv->pause, on_listener_closed);
    uv_close((uv_handle_t *)&srv->listener, on_listener_closed);
}

/* The Vary and Cache-Control lines of a prepared head, which a 304 must repeat (RFC 9110
 * 15.4.5; the ETag line is written from etag), appended to out. */
static int lines_for_304(const char *p, size_t n, struct pn_buf *out)
{
    int rc = 0;
    for (size_t i = 0; i < n;) {
        const char *eol = memmem(p + i, n - i, "\r\n", 2);
        if (!eol || eol == p + i)
            break;
        size_t len = (size_t)(eol - (p + i)) + 2;
        pn_str name = {p + i, len > 14 ? 14 : len};
        if (pn__str_ieq((pn_str){p + i, len > 5 ? 5 : len}, PN_STRLIT("vary:")) ||
            pn__str_ieq(name, PN_STRLIT("cache-control:")))
            rc |= pn__buf_append(out, p + i, len);
        i += len;
    }
    return rc;
}

void pn__http_respond_prepared(struct pn_http_conn *c, const struct pn_http_prepared *p)
{
    const struct pn_http_req *req = c->busy ? &c->req : NULL;
    c->busy = false;
    if (c->closing || !req) {
        if (p->release)
            p->release(p->release_ud);
        if (!c->closing)
            conn_close(c);
        return;
    }
    bool not_modified = p->etag && p->status == 200 && etag_matches(req, p->etag);
    bool close = !req->keep_alive || (c->srv && c->srv->draining);
    struct write_req *wr = pn__xmalloc(sizeof *wr);
    wr->c = c;
    wr->head = NULL;
    wr->release = p->release;
    wr->release_ud = p->release_ud;
    wr->close = close;
    uv_buf_t bufs[3];
    unsigned nbufs = 1;
    int status = not_modified ? 304 : p->status;
    if (not_modified) {
        struct pn_buf h;
        pn__buf_init(&h, PN_HTTP_MAX_HEAD + 1024);
        int rc = status_lines(&h, 304, req, close);
        rc |= pn__buf_printf(&h, "ETag: %s\r\n", p->etag);
        rc |= lines_for_304(p->head, p->head_len, &h);
        rc |= pn__buf_puts(&h, "\r\n");
        size_t n;
        wr->head = pn__buf_steal(&h, &n);
        if (rc != 0) { /* not reached: the lines come from a head within the bound */
            pn__error("%s: 304 head not written: %s", c->peer, pn__strerror(rc));
            if (p->release)
                p->release(p->release_ud);
            free(wr->head);
            free(wr);
            conn_close(c);
            return;
        }
        bufs[0] = uv_buf_init(wr->head, (unsigned)n);
    } else {
        int n;
        if (status == 200) {
            /* the hot path: copy a status line and Date formatted once a second */
            static _Thread_local char head[96], head_for[40];
            static _Thread_local size_t head_len;
            const char *date = pn__http_date();
            if (strcmp(head_for, date) != 0) {
                head_len = (size_t)snprintf(
                    head, sizeof head, "HTTP/1.1 200 OK\r\nServer: pane\r\nDate: %s\r\n", date);
                snprintf(head_for, sizeof head_for, "%s", date);
            }
            const char *conn = close                  ? "Connection: close\r\n"
                               : req->http_minor == 0 ? "Connection: keep-alive\r\n"
                                                      : "";
            size_t clen = strlen(conn);
            memcpy(wr->line, head, head_len);
            memcpy(wr->line + head_len, conn, clen);
            n = (int)(head_len + clen);
        } else {
            struct pn_buf h;
            pn__buf_init_fixed(&h, wr->line, sizeof wr->line);
            n = status_lines(&h, status, req, close) == 0 ? (int)h.len : 0;
        }
        bufs[0] = uv_buf_init(wr->line, (unsigned)n);
        bufs[nbufs++] = uv_buf_init((char *)(uintptr_t)p->head, (unsigned)p->head_len);
        if (req->method != HTTP_HEAD && p->body_len)
            bufs[nbufs++] = uv_buf_init((char *)(uintptr_t)p->body, (unsigned)p->body_len);
    }
    count_response(c, status, true);
    if (pn__log_level <= PN_LOG_INFO)
        pn__info("%s \"%.*s %.*s\" %d %zu %llums", c->peer, (int)req->method_name.len,
                 req->method_name.ptr, (int)(req->url.len > 200 ? 200 : req->url.len), req->url.ptr,
                 status, not_modified ? (size_t)0 : p->body_len, (unsigned long long)elapsed_ms(c));
    c->writing = true;
    if (close)
        read_stop(c);
    if (pn__tp_write(&c->tp, &wr->w, bufs, nbufs, on_write) != 0) {
        c->writing = false;
        if (p->release)
            p->release(p->release_ud);
        free(wr->head);
        free(wr);
        conn_close(c);
        return;
    }
    timer_set(c, PN_T_WRITE, c->srv->o.limits.idle_timeout_ms);
}
