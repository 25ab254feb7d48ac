/*
 * ws: WebSocket connections (RFC 6455) on top of http.c's connections. The handshake is ours
 * (§4.2.1 checks, the accept key from OpenSSL's SHA-1); framing, masking, control frames and
 * close codes are wslay's event API, with its message buffering turned off so that a data
 * message is gathered once, into one buffer of ours bounded by max_message.
 *
 * Reading: the socket reads into a per-thread buffer and wslay_event_recv pulls every byte of
 * it through recv_cb before the read callback returns, so an idle socket holds no read buffer
 * of ours (wslay's own contexts, about 8 KiB, are the bulk of an idle WebSocket). Writing:
 * wslay_event_send hands whole frames to send_cb, which appends them to an outgoing buffer;
 * one uv_write at a time takes that buffer whole, and the bytes waiting in total (wslay's
 * queue, our buffer and the write in flight) are bounded by max_outbuf, over which the socket
 * is dropped (1008). Keep-alive: the connection's one timer pings a peer that has been silent
 * for ping_interval_ms and drops it if nothing comes back within pong_timeout_ms.
 *
 * Closing: a close frame is sent through wslay (or, after a framing error that leaves wslay
 * unusable, written raw: 1002); once it is on the wire the connection is shut down, at once if
 * the peer's close arrived or the connection failed, else after the peer's close or a short
 * wait. The connection is freed by http.c's uv_close callback, which calls pn__ws_conn_gone:
 * on_close runs there, exactly once, never inside a wslay callback.
 */
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <unistd.h>
#include <wslay/wslay.h>

#include "net/internal.h"

#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define READ_BUF (64 * 1024) /* per thread, shared by every WebSocket of the loop */
#define CLOSE_WAIT_MS 2000   /* after our close frame, how long the peer has to answer it */
#define FRAME_OVERHEAD 14    /* the biggest frame header */

struct pn_ws {
    struct pn_http_conn *c; /* NULL when fed without a socket (pn__ws_feed_for_fuzz) */
    wslay_event_context_ptr ctx;
    struct pn_ws_opts o;
    struct pn_ws_handler h;
    void *ud;
    bool want_drain; /* pn__ws_want_drain: call h.on_drain once everything queued is written */
    /* input: the bytes wslay_event_recv is consuming now, and bytes that came with the
     * upgrade request, fed before anything read later */
    const char *in;
    size_t in_len;
    char *early;
    size_t early_len;
    struct pn_buf msg; /* the data message being gathered; freed once delivered */
    /* output */
    struct pn_buf out;   /* frames not yet handed to uv_write */
    struct pn_buf wbuf;  /* the bytes of the uv_write in flight */
    struct pn_buf *sink; /* without a socket: where the output goes */
    struct pn_tp_write wreq;
    /* keep-alive and close timing, in uv_now milliseconds */
    uint64_t last_rx, ping_at, write_at, close_wait_at;
    uint16_t code; /* the close code on_close reports; 0 while none was decided */
    bool rx_ctrl;  /* the frame being received is a control frame */
    bool in_recv;  /* inside wslay_event_recv: writing and closing wait until it returns */
    bool writing, ping_out, overflow;
    bool bad_close; /* the peer's close frame has a reason that is not UTF-8 */
    bool closing;   /* pn__ws_close was called: no more messages either way */
    bool failed;    /* we failed the connection (close queued, reading shut) */
    bool broken;    /* wslay must not be called again; a raw close frame may follow */
    bool gone;      /* the connection is closed (or, without a socket, over) */
    /* until the first text message has been delivered, wslay gets no byte past the end of
     * the frame it is reading (headers a byte at a time, payloads up to their end), so that
     * when on_message has it, wslay holds nothing of what follows: the socket can still move
     * to another loop (pn__ws_detach) with every unread byte */
    bool first;
    unsigned char first_hdr[14]; /* the header being given to wslay */
    unsigned char first_have;
    uint64_t first_left; /* payload bytes of the frame being given */
    /* frame headers followed by us (see track_frames) */
    uint64_t fr_left;          /* payload bytes of the current frame still to come */
    unsigned char fr_hdr[14];  /* the frame header being gathered */
    unsigned char fr_have;
};

static void flush(struct pn_ws *ws);
static void arm_timer(struct pn_ws *ws);

/* Pings are for open connections: once a close is under way, only its own wait counts. */
static bool keepalive_on(const struct pn_ws *ws)
{
    return !ws->closing && !ws->failed && !ws->broken && !ws->close_wait_at &&
           !wslay_event_get_close_sent(ws->ctx) && !wslay_event_get_close_received(ws->ctx);
}

/* ---- handshake ---- */

void pn__ws_accept_key(pn_str key, char out[29])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!m || EVP_DigestInit_ex(m, EVP_sha1(), NULL) != 1 ||
        EVP_DigestUpdate(m, key.ptr ? key.ptr : "", key.len) != 1 ||
        EVP_DigestUpdate(m, WS_GUID, sizeof WS_GUID - 1) != 1 ||
        EVP_DigestFinal_ex(m, md, &mdlen) != 1 || mdlen != 20) {
        pn__error("ws: SHA-1 unavailable");
        abort();
    }
    EVP_MD_CTX_free(m);
    EVP_EncodeBlock((unsigned char *)out, md, 20); /* 28 characters and a NUL */
}

static bool b64_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '+' || ch == '/';
}

/* The base64 of exactly 16 bytes: 22 alphabet characters and "==". */
static bool key_ok(pn_str k)
{
    if (k.len != 24 || k.ptr[22] != '=' || k.ptr[23] != '=')
        return false;
    for (size_t i = 0; i < 22; i++)
        if (!b64_char(k.ptr[i]))
            return false;
    return true;
}

static size_t header_count(const struct pn_http_req *r, pn_str name)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nheaders; i++)
        if (pn__str_ieq(r->headers[i].name, name))
            n++;
    return n;
}

int pn__ws_check_handshake(const struct pn_http_req *r, pn_str *key)
{
    if (r->method != HTTP_GET || r->http_major != 1 || r->http_minor < 1 || r->body.len)
        return 400;
    pn_str up = pn__http_header(r, "upgrade"), conn = pn__http_header(r, "connection");
    if (!up.ptr || !pn__str_list_has(up, PN_STRLIT("websocket")) || !conn.ptr ||
        !pn__str_list_has(conn, PN_STRLIT("upgrade")))
        return 400;
    size_t nver = header_count(r, PN_STRLIT("sec-websocket-version"));
    pn_str ver = pn__http_header(r, "sec-websocket-version");
    if (nver > 1)
        return 400;
    if (nver == 0 || !pn__str_eq(ver, PN_STRLIT("13")))
        return 426;
    pn_str k = pn__http_header(r, "sec-websocket-key");
    if (header_count(r, PN_STRLIT("sec-websocket-key")) != 1 || !key_ok(k))
        return 400;
    *key = k;
    return 0;
}

/* ---- small helpers ---- */

static uint64_t now_ms(const struct pn_ws *ws)
{
    return ws->c ? uv_now(pn__tp_loop(&ws->c->tp)) : 0;
}

static const char *peer(const struct pn_ws *ws)
{
    return ws->c ? ws->c->peer : "-";
}

static bool sendable_code(uint16_t code)
{
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) ||
           (code >= 3000 && code <= 4999);
}

/* Ends the connection now, without a close handshake. */
static void drop(struct pn_ws *ws, uint16_t code)
{
    if (!ws->code)
        ws->code = code;
    ws->broken = true;
    if (ws->gone)
        return;
    ws->gone = true;
    if (ws->c)
        pn__http_conn_close(ws->c);
}

/* Fails the connection from inside a wslay callback: queues a close frame with code and
 * stops reading; the frame goes out when wslay_event_recv returns. */
static void fail(struct pn_ws *ws, uint16_t code, const char *why)
{
    if (ws->failed || ws->broken)
        return;
    pn__info("%s: websocket: %s, closing %u", peer(ws), why, code);
    ws->failed = true;
    if (!ws->code)
        ws->code = code;
    wslay_event_shutdown_read(ws->ctx);
    wslay_event_queue_close(ws->ctx, code, NULL, 0); /* fails only if a close is queued */
    pn__buf_fini(&ws->msg);
}

/* wslay cannot go on (a framing error its frame layer reports without a close code, or no
 * memory): write a close frame ourselves. Our output always ends on a frame boundary, since
 * send_cb takes whole frames or fails the connection. */
static void fail_raw(struct pn_ws *ws, uint16_t code, const char *why)
{
    pn__info("%s: websocket: %s, closing %u", peer(ws), why, code);
    bool close_sent = wslay_event_get_close_sent(ws->ctx);
    ws->broken = true;
    ws->failed = true;
    if (close_sent)
        return; /* ours is out already: nothing may follow it */
    if (!ws->code)
        ws->code = code;
    unsigned char f[4] = {0x88, 0x02, (unsigned char)(code >> 8), (unsigned char)(code & 0xff)};
    if (ws->out.len + ws->wbuf.len + sizeof f > ws->o.max_outbuf ||
        pn__buf_append(&ws->out, f, sizeof f) != 0)
        drop(ws, code);
}

/* ---- frame headers (RFC 6455 §5.2), followed by us ---- */

/* The size of a frame header whose first `have` bytes are h; 0 while fewer than 2 are known. */
static size_t header_size(const unsigned char *h, size_t have)
{
    if (have < 2)
        return 0;
    unsigned len7 = h[1] & 0x7f;
    return 2u + (len7 == 126 ? 2u : len7 == 127 ? 8u : 0u) + ((h[1] & 0x80) ? 4u : 0u);
}

/* The payload length of a complete frame header. */
static uint64_t header_payload(const unsigned char *h)
{
    unsigned len7 = h[1] & 0x7f;
    uint64_t len = len7;
    if (len7 == 126)
        len = ((uint64_t)h[2] << 8) | h[3];
    else if (len7 == 127)
        for (int k = 0, j = 2; k < 8; k++, j++)
            len = (k ? len << 8 : 0) | h[j];
    return len;
}

/* How many of the n bytes at p may go to wslay while ws->first: not past the current frame. */
static size_t first_take(struct pn_ws *ws, const unsigned char *p, size_t n)
{
    if (ws->first_left) {
        size_t k = n < ws->first_left ? n : (size_t)ws->first_left;
        ws->first_left -= k;
        return k;
    }
    ws->first_hdr[ws->first_have++] = p[0];
    size_t need = header_size(ws->first_hdr, ws->first_have);
    if (need && ws->first_have == need) {
        ws->first_left = header_payload(ws->first_hdr);
        ws->first_have = 0;
    }
    return 1;
}

/* ---- wslay callbacks ---- */

static ssize_t recv_cb(wslay_event_context_ptr ctx, uint8_t *buf, size_t len, int flags, void *user)
{
    (void)flags;
    struct pn_ws *ws = user;
    if (ws->in_len == 0 || ws->gone) {
        wslay_event_set_error(ctx, WSLAY_ERR_WOULDBLOCK);
        return -1;
    }
    size_t n = len < ws->in_len ? len : ws->in_len;
    if (ws->first)
        n = first_take(ws, (const unsigned char *)ws->in, n);
    memcpy(buf, ws->in, n);
    ws->in += n;
    ws->in_len -= n;
    return (ssize_t)n;
}

static ssize_t send_cb(wslay_event_context_ptr ctx, const uint8_t *data, size_t len, int flags,
                       void *user)
{
    (void)flags;
    struct pn_ws *ws = user;
    if (ws->gone || ws->out.len + ws->wbuf.len + len > ws->o.max_outbuf ||
        pn__buf_append(&ws->out, data, len) != 0) {
        ws->overflow = !ws->gone;
        wslay_event_set_error(ctx, WSLAY_ERR_CALLBACK_FAILURE);
        return -1;
    }
    return (ssize_t)len;
}

static void frame_start_cb(wslay_event_context_ptr ctx,
                           const struct wslay_event_on_frame_recv_start_arg *a, void *user)
{
    (void)ctx;
    struct pn_ws *ws = user;
    ws->rx_ctrl = wslay_is_ctrl_frame(a->opcode);
    if (ws->failed)
        return;
    if (a->opcode == WSLAY_BINARY_FRAME)
        fail(ws, WSLAY_CODE_UNSUPPORTED_DATA, "binary message");
    else if (a->opcode == WSLAY_CONNECTION_CLOSE && a->payload_length == 1)
        fail(ws, WSLAY_CODE_PROTOCOL_ERROR, "close frame with a 1-byte payload");
    else if (!ws->rx_ctrl && a->payload_length > ws->o.max_message - ws->msg.len)
        /* wslay checks single frames; with buffering off, the sum of fragments is ours */
        fail(ws, WSLAY_CODE_MESSAGE_TOO_BIG, "message over max_message");
}

static void frame_chunk_cb(wslay_event_context_ptr ctx,
                           const struct wslay_event_on_frame_recv_chunk_arg *a, void *user)
{
    (void)ctx;
    struct pn_ws *ws = user;
    if (ws->failed || ws->rx_ctrl || a->data_length == 0)
        return;
    if (pn__buf_append(&ws->msg, a->data, a->data_length) != 0)
        fail(ws, WSLAY_CODE_MESSAGE_TOO_BIG, "message over max_message");
}

static void msg_cb(wslay_event_context_ptr ctx, const struct wslay_event_on_msg_recv_arg *a,
                   void *user)
{
    (void)ctx;
    struct pn_ws *ws = user;
    if (ws->failed)
        return;
    if (a->opcode == WSLAY_CONNECTION_CLOSE) {
        /* wslay has checked the code and queued its answer (the same code and reason). It
         * checks the reason's UTF-8 only per chunk of the frame, from the chunk's third byte
         * on, so a reason split across reads slips through: check it whole here, and if it is
         * bad, feed discards wslay's answer for a close 1007 of its own. */
        if (a->msg_length > 2 && !pn__utf8_valid(a->msg + 2, a->msg_length - 2)) {
            ws->bad_close = true;
            return;
        }
        if (!ws->code)
            ws->code = a->status_code ? a->status_code : WSLAY_CODE_NO_STATUS_RCVD;
        return;
    }
    if ((a->opcode == WSLAY_TEXT_FRAME || a->opcode == WSLAY_BINARY_FRAME) && ws->c &&
        ws->c->srv) /* (a server that has stopped lets go of its connections) */
        ws->c->srv->counts.ws_received++;
    if (a->opcode != WSLAY_TEXT_FRAME)
        return; /* ping (wslay answers it) or pong: the keep-alive saw the bytes */
    size_t len;
    char *data = pn__buf_steal(&ws->msg, &len); /* NUL-terminated */
    if (!pn__utf8_valid(data, len)) {
        free(data);
        fail(ws, WSLAY_CODE_INVALID_FRAME_PAYLOAD_DATA, "invalid UTF-8 in a text message");
        return;
    }
    if (!ws->closing && !ws->gone && ws->h.on_message)
        ws->h.on_message(ws, data, len, ws->ud);
    ws->first = false;
    free(data);
}

static const struct wslay_event_callbacks callbacks = {
    .recv_callback = recv_cb,
    .send_callback = send_cb,
    .on_frame_recv_start_callback = frame_start_cb,
    .on_frame_recv_chunk_callback = frame_chunk_cb,
    .on_msg_recv_callback = msg_cb,
};

/* ---- the state machine ---- */

static struct pn_ws *ws_new(struct pn_http_conn *c, const struct pn_ws_opts *o,
                            const struct pn_ws_handler *h, void *ud)
{
    struct pn_ws *ws = pn__xcalloc(1, sizeof *ws);
    ws->c = c;
    ws->o = *o;
    if (!ws->o.max_message)
        ws->o.max_message = 20u << 20;
    if (!ws->o.ping_interval_ms)
        ws->o.ping_interval_ms = 10 * 1000;
    if (!ws->o.pong_timeout_ms)
        ws->o.pong_timeout_ms = 2 * ws->o.ping_interval_ms;
    if (!ws->o.max_outbuf)
        ws->o.max_outbuf = 16u << 20;
    if (ws->o.max_outbuf > 1u << 30) /* one uv_buf_t holds it all */
        ws->o.max_outbuf = 1u << 30;
    if (ws->o.max_outbuf < 256) /* room for a close frame and a pong, at least */
        ws->o.max_outbuf = 256;
    ws->h = *h;
    ws->ud = ud;
    if (wslay_event_context_server_init(&ws->ctx, &callbacks, ws) != 0) {
        pn__error("ws: out of memory");
        abort();
    }
    wslay_event_config_set_no_buffering(ws->ctx, 1);
    wslay_event_config_set_max_recv_msg_length(ws->ctx, ws->o.max_message);
    pn__buf_init(&ws->msg, ws->o.max_message);
    pn__buf_init(&ws->out, ws->o.max_outbuf);
    pn__buf_init(&ws->wbuf, ws->o.max_outbuf);
    ws->last_rx = now_ms(ws);
    ws->first = true;
    return ws;
}

static void ws_free(struct pn_ws *ws)
{
    ws->gone = true;
    if (ws->h.on_close)
        ws->h.on_close(ws, ws->code ? ws->code : WSLAY_CODE_ABNORMAL_CLOSURE, ws->ud);
    wslay_event_context_free(ws->ctx);
    pn__buf_fini(&ws->msg);
    pn__buf_fini(&ws->out);
    pn__buf_fini(&ws->wbuf);
    free(ws->early);
    free(ws);
}

void pn__ws_conn_gone(struct pn_ws *ws)
{
    ws_free(ws);
}

/* Closes the TCP connection once our close frame is on the wire, or once the peer is gone
 * and everything was written. */
static void check_done(struct pn_ws *ws)
{
    if (ws->gone)
        return;
    bool drained = !ws->writing && ws->out.len == 0;
    bool close_sent = ws->broken || wslay_event_get_close_sent(ws->ctx);
    if (!drained)
        return;
    if (!ws->c) {
        if (close_sent)
            ws->gone = true;
        return;
    }
    if (ws->c->peer_eof) {
        drop(ws, WSLAY_CODE_ABNORMAL_CLOSURE);
        return;
    }
    if (!close_sent)
        return;
    if (ws->failed || wslay_event_get_close_received(ws->ctx) ||
        !wslay_event_get_read_enabled(ws->ctx)) {
        ws->gone = true;
        pn__http_conn_finish(ws->c); /* FIN, drain the peer briefly, close */
    } else if (!ws->close_wait_at) {
        ws->close_wait_at = now_ms(ws) + CLOSE_WAIT_MS;
        arm_timer(ws);
    }
}

static void on_write(struct pn_tp_write *w, int status)
{
    struct pn_ws *ws = w->data;
    ws->writing = false;
    pn__buf_fini(&ws->wbuf);
    if (ws->gone || ws->c->closing)
        return;
    if (status < 0) {
        pn__info("%s: websocket write: %s", peer(ws), uv_strerror(status));
        drop(ws, WSLAY_CODE_ABNORMAL_CLOSURE);
        return;
    }
    flush(ws);
    if (ws->want_drain && !ws->gone && !ws->writing && pn__ws_outbuf(ws) == 0 && ws->h.on_drain) {
        ws->want_drain = false;
        ws->h.on_drain(ws, ws->ud);
    }
}

static void start_write(struct pn_ws *ws)
{
    if (ws->writing || ws->out.len == 0 || ws->gone)
        return;
    if (!ws->c) {
        if (ws->sink)
            pn__buf_append(ws->sink, ws->out.data, ws->out.len); /* bounded by the sink */
        pn__buf_fini(&ws->out);
        return;
    }
    struct pn_buf t = ws->wbuf;
    ws->wbuf = ws->out;
    ws->out = t;
    uv_buf_t b = uv_buf_init(ws->wbuf.data, (unsigned)ws->wbuf.len);
    ws->wreq.data = ws;
    ws->writing = true;
    ws->write_at = now_ms(ws);
    int rc = pn__tp_write(&ws->c->tp, &ws->wreq, &b, 1, on_write);
    if (rc != 0) {
        ws->writing = false;
        pn__info("%s: websocket write: %s", peer(ws), uv_strerror(rc));
        drop(ws, WSLAY_CODE_ABNORMAL_CLOSURE);
    }
}

/* Moves what wslay has queued into the outgoing buffer at once, so that frames leave in the
 * order they were queued (wslay would send a queued control frame, a close included, before
 * queued data); then, unless inside wslay_event_recv (feed does it after), writes and closes
 * when done. */
static void flush(struct pn_ws *ws)
{
    if (ws->gone)
        return;
    if (!ws->broken && wslay_event_want_write(ws->ctx) && wslay_event_send(ws->ctx) != 0) {
        if (ws->overflow)
            pn__info("%s: websocket: more than %zu bytes queued for a peer that does not read, "
                     "closing",
                     peer(ws), ws->o.max_outbuf);
        drop(ws, ws->overflow ? WSLAY_CODE_POLICY_VIOLATION : WSLAY_CODE_ABNORMAL_CLOSURE);
        return;
    }
    if (!ws->broken && !ws->code && wslay_event_get_close_sent(ws->ctx))
        ws->code = wslay_event_get_status_code_sent(ws->ctx);
    if (ws->in_recv)
        return;
    start_write(ws);
    check_done(ws);
}

/* Runs bytes from the peer through wslay; every byte is consumed before this returns. */
/* wslay calls on_frame_recv_start only once a payload byte has arrived, so a data frame that
 * announces an oversized length and sends nothing more would just sit there. Follow the frame
 * headers in the bytes wslay consumed and refuse such a frame (1009) at its header. */
static void track_frames(struct pn_ws *ws, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (ws->fr_left) {
            uint64_t k = n - i < ws->fr_left ? n - i : ws->fr_left;
            ws->fr_left -= k;
            i += (size_t)k;
            continue;
        }
        ws->fr_hdr[ws->fr_have++] = p[i++];
        size_t need = header_size(ws->fr_hdr, ws->fr_have);
        if (!need || ws->fr_have < need)
            continue;
        uint64_t len = header_payload(ws->fr_hdr);
        ws->fr_have = 0;
        ws->fr_left = len;
        bool control = ws->fr_hdr[0] & 0x08;
        if (!control && len > ws->o.max_message) {
            fail(ws, WSLAY_CODE_MESSAGE_TOO_BIG, "frame over max_message");
            return;
        }
    }
}

static void feed(struct pn_ws *ws, const char *p, size_t n)
{
    if (ws->gone || ws->broken || !wslay_event_get_read_enabled(ws->ctx))
        return; /* after a close or a failure, what the peer sends is dropped */
    ws->last_rx = now_ms(ws);
    ws->ping_out = false;
    ws->in = p;
    ws->in_len = n;
    ws->in_recv = true;
    int rc;
    do { /* once, or while wslay is fed a frame at a time (ws->first): until all is used */
        size_t before = ws->in_len;
        rc = wslay_event_recv(ws->ctx);
        if (ws->in_len == before)
            break;
    } while (rc == 0 && ws->in_len && !ws->gone && wslay_event_get_read_enabled(ws->ctx));
    size_t used = n - ws->in_len;
    ws->in_recv = false;
    ws->in = NULL;
    ws->in_len = 0;
    if (ws->gone)
        return; /* dropped from a callback (pn__ws_send over max_outbuf), or detached */
    /* (not after wslay itself refused the stream: it has queued its own close) */
    if (!ws->failed && !ws->broken && rc == 0 && wslay_event_get_read_enabled(ws->ctx))
        track_frames(ws, (const unsigned char *)p, used);
    if (ws->bad_close)
        fail_raw(ws, WSLAY_CODE_INVALID_FRAME_PAYLOAD_DATA, "close reason not UTF-8");
    else if (rc == WSLAY_ERR_CALLBACK_FAILURE)
        /* our recv_cb never fails: this is a framing error of wslay's frame layer (a
         * fragmented or oversized control frame, a non-minimal length) */
        fail_raw(ws, WSLAY_CODE_PROTOCOL_ERROR, "malformed frame");
    else if (rc != 0)
        fail_raw(ws, WSLAY_CODE_INTERNAL_SERVER_ERROR, "out of memory");
    flush(ws);
}

static void feed_early(struct pn_ws *ws)
{
    if (!ws->early)
        return;
    char *p = ws->early;
    size_t n = ws->early_len;
    ws->early = NULL;
    ws->early_len = 0;
    feed(ws, p, n);
    free(p);
}

/* ---- the socket: reading and the timer ---- */

static void on_alloc(struct pn_tp *t, uv_buf_t *buf)
{
    (void)t;
    static _Thread_local char rbuf[READ_BUF];
    *buf = uv_buf_init(rbuf, sizeof rbuf);
}

static void on_read(struct pn_tp *t, ssize_t n, const uv_buf_t *buf)
{
    struct pn_http_conn *c = t->data;
    struct pn_ws *ws = c->ws;
    if (c->closing || c->lingering || ws->gone)
        return;
    if (n > 0 && ws->early) {
        /* one feed for both, so that a detach after the first message carries them all */
        ws->early = pn__xrealloc(ws->early, ws->early_len + (size_t)n);
        memcpy(ws->early + ws->early_len, buf->base, (size_t)n);
        ws->early_len += (size_t)n;
        feed_early(ws);
        return;
    }
    feed_early(ws);
    if (n > 0) {
        feed(ws, buf->base, (size_t)n);
        return;
    }
    if (n == 0)
        return;
    pn__tp_read_stop(t);
    c->peer_eof = true;
    if (!ws->code)
        ws->code = WSLAY_CODE_ABNORMAL_CLOSURE;
    check_done(ws); /* closes now, or once the pending write is done */
}

static void on_timer(uv_timer_t *t)
{
    struct pn_http_conn *c = t->data;
    struct pn_ws *ws = c->ws;
    if (c->closing || c->lingering || ws->gone)
        return;
    if (ws->early) {
        feed_early(ws);
        if (!ws->gone)
            arm_timer(ws);
        return;
    }
    uint64_t now = now_ms(ws);
    if (ws->close_wait_at && now >= ws->close_wait_at) {
        /* the peer did not answer our close frame: it reads nothing, so it sends nothing either
         * that a linger would save from a reset; a plain close (FIN) ends it now */
        ws->gone = true;
        pn__http_conn_close(c);
        return;
    }
    if (ws->writing && now - ws->write_at >= ws->o.pong_timeout_ms) {
        pn__info("%s: websocket: a write is stuck for %llu ms, closing", c->peer,
                 (unsigned long long)(now - ws->write_at));
        drop(ws, WSLAY_CODE_ABNORMAL_CLOSURE);
        return;
    }
    if (ws->ping_out && keepalive_on(ws) && now - ws->ping_at >= ws->o.pong_timeout_ms) {
        pn__info("%s: websocket: no pong within %llu ms, closing", c->peer,
                 (unsigned long long)ws->o.pong_timeout_ms);
        drop(ws, WSLAY_CODE_ABNORMAL_CLOSURE);
        return;
    }
    if (!ws->ping_out && keepalive_on(ws) && now - ws->last_rx >= ws->o.ping_interval_ms) {
        if (wslay_event_queue_msg(ws->ctx, &(struct wslay_event_msg){WSLAY_PING, NULL, 0}) != 0) {
            ws->last_rx = now; /* cannot ping now (never expected): try again a period later */
        } else {
            ws->ping_out = true;
            ws->ping_at = now;
            flush(ws);
            if (ws->gone)
                return;
        }
    }
    arm_timer(ws);
}

static void arm_timer(struct pn_ws *ws)
{
    if (!ws->c || ws->gone)
        return;
    uint64_t now = now_ms(ws);
    uint64_t due = now + ws->o.ping_interval_ms; /* a close under way: only its deadlines */
    if (keepalive_on(ws))
        due = ws->ping_out ? ws->ping_at + ws->o.pong_timeout_ms
                           : ws->last_rx + ws->o.ping_interval_ms;
    if (ws->writing && ws->write_at + ws->o.pong_timeout_ms < due)
        due = ws->write_at + ws->o.pong_timeout_ms;
    if (ws->close_wait_at && ws->close_wait_at < due)
        due = ws->close_wait_at;
    uv_timer_start(&ws->c->timer, on_timer, due > now ? due - now : 1, 0);
}

/* ---- the API ---- */

/* Writes what is queued (the 101), starts reading and the timer. */
static void ws_start(struct pn_ws *ws)
{
    struct pn_http_conn *c = ws->c;
    start_write(ws);
    if (ws->gone)
        return; /* on_close follows from the uv_close callback */
    if (pn__tp_read_start(&c->tp, on_alloc, on_read) != 0) {
        drop(ws, WSLAY_CODE_ABNORMAL_CLOSURE);
    } else if (ws->early) {
        /* frames sent along with the request are handled on the next loop turn, after the
         * caller has *out (or on the next read, whichever comes first) */
        uv_timer_start(&c->timer, on_timer, 0, 0);
    } else {
        arm_timer(ws);
    }
}

int pn__ws_upgrade(struct pn_http_conn *c, const struct pn_http_req *r, const struct pn_ws_opts *o,
                   const struct pn_ws_handler *h, void *ud, struct pn_ws **out)
{
    pn_str key = {0};
    int status = pn__ws_check_handshake(r, &key);
    if (status != 0) {
        pn__info("%s: bad websocket handshake for %.*s, answering %d", c->peer,
                 (int)(r->path.len > 200 ? 200 : r->path.len), r->path.ptr, status);
        pn__http_respond_text(c, status, status == 426 ? "Sec-WebSocket-Version: 13\r\n" : NULL);
        return PN_EPARSE;
    }
    char accept[29];
    pn__ws_accept_key(key, accept);
    pn__http_count(&c->srv->counts, 101, 0);
    pn__info("%s \"GET %.*s\" 101 websocket", c->peer, (int)(r->url.len > 200 ? 200 : r->url.len),
             r->url.ptr);
    struct pn_ws *ws = ws_new(c, o, h, ud);
    pn__buf_printf(&ws->out,
                   "HTTP/1.1 101 Switching Protocols\r\nServer: pane\r\nDate: %s\r\n"
                   "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
                   pn__http_date(), accept);
    /* r points into c's read buffer: nothing of it is used past this line */
    pn__http_conn_upgrade(c, ws, &ws->early, &ws->early_len);
    ws_start(ws);
    *out = ws;
    return 0;
}

static int send_msg(struct pn_ws *ws, uint8_t opcode, const char *data, size_t len);

int pn__ws_send(struct pn_ws *ws, const char *data, size_t len)
{
    return send_msg(ws, WSLAY_TEXT_FRAME, data, len);
}

int pn__ws_send_binary(struct pn_ws *ws, const void *data, size_t len)
{
    return send_msg(ws, WSLAY_BINARY_FRAME, data, len);
}

void pn__ws_want_drain(struct pn_ws *ws)
{
    ws->want_drain = true;
}

static int send_msg(struct pn_ws *ws, uint8_t opcode, const char *data, size_t len)
{
    if (ws->gone || ws->broken || ws->closing || ws->failed ||
        !wslay_event_get_write_enabled(ws->ctx) || wslay_event_get_close_received(ws->ctx))
        return PN_ECLOSED;
    size_t pending = pn__ws_outbuf(ws);
    if (len > ws->o.max_outbuf - FRAME_OVERHEAD ||
        pending > ws->o.max_outbuf - FRAME_OVERHEAD - len) {
        pn__info("%s: websocket: more than %zu bytes queued for a peer that does not read, "
                 "closing",
                 peer(ws), ws->o.max_outbuf);
        drop(ws, WSLAY_CODE_POLICY_VIOLATION);
        return PN_ETOOBIG;
    }
    int rc = wslay_event_queue_msg(
        ws->ctx, &(struct wslay_event_msg){opcode, (const uint8_t *)data, len});
    if (rc == 0 && ws->c && ws->c->srv)
        ws->c->srv->counts.ws_sent++;
    if (rc == WSLAY_ERR_NOMEM) {
        pn__error("ws: out of memory");
        abort();
    }
    if (rc != 0)
        return PN_ECLOSED;
    flush(ws);
    return ws->gone && ws->code == WSLAY_CODE_POLICY_VIOLATION ? PN_ETOOBIG : 0;
}

void pn__ws_close(struct pn_ws *ws, uint16_t code, const char *reason)
{
    if (ws->gone || ws->broken || ws->closing)
        return;
    ws->closing = true;
    if (!sendable_code(code))
        code = WSLAY_CODE_NORMAL_CLOSURE;
    if (!ws->code)
        ws->code = code;
    size_t rlen = reason ? strlen(reason) : 0;
    if (rlen > 123)
        rlen = 123;
    while (rlen && !pn__utf8_valid(reason, rlen)) /* cut at a character boundary */
        rlen--;
    wslay_event_queue_close(ws->ctx, code, (const uint8_t *)reason, rlen);
    flush(ws);
}

int pn__ws_detach(struct pn_ws *ws, struct pn_net_sock *sock, char **rest, size_t *rest_len)
{
    struct pn_http_conn *c = ws->c;
    /* only from on_message of the first message (wslay holds nothing after it), with nothing
     * of ours left to write: the 101 wholly handed to the kernel, no pong queued */
    if (!c || !ws->in_recv || !ws->first || ws->gone || ws->broken || ws->failed || ws->closing ||
        c->closing || c->lingering || ws->out.len || wslay_event_want_write(ws->ctx) ||
        pn__tp_write_queued(&c->tp) != 0)
        return PN_EINVAL;
    if (pn__tp_detach(&c->tp, sock) != 0) {
        pn__warn("%s: cannot dup the socket to move it: %s", c->peer, uv_strerror(-errno));
        return PN_EIO;
    }
    /* what the peer sent after this message: the rest of this read, then early bytes not fed */
    *rest_len = ws->in_len + (ws->early ? ws->early_len : 0);
    *rest = pn__xmalloc(*rest_len + 1);
    if (ws->in_len)
        memcpy(*rest, ws->in, ws->in_len);
    if (ws->early && ws->early_len)
        memcpy(*rest + ws->in_len, ws->early, ws->early_len);
    (*rest)[*rest_len] = '\0';
    ws->in_len = 0;
    drop(ws, WSLAY_CODE_GOING_AWAY); /* closes our descriptor only: no close frame */
    return 0;
}

int pn__ws_adopt(struct pn_http_server *srv, struct pn_net_sock *sock, const char *rest,
                 size_t rest_len, const struct pn_ws_opts *o, const struct pn_ws_handler *h,
                 void *ud, struct pn_ws **out)
{
    struct pn_http_conn *c = pn__http_conn_open(srv, sock);
    if (!c)
        return PN_EIO;
    struct pn_ws *ws = ws_new(c, o, h, ud);
    ws->first = false; /* its first message was read on the loop it came from */
    c->busy = true;     /* what pn__http_conn_upgrade expects: no HTTP request is pending */
    char *none;
    size_t none_len;
    pn__http_conn_upgrade(c, ws, &none, &none_len);
    free(none);
    if (rest_len) {
        ws->early = pn__xmalloc(rest_len);
        memcpy(ws->early, rest, rest_len);
        ws->early_len = rest_len;
    }
    pn__info("%s: websocket adopted", c->peer);
    ws_start(ws);
    *out = ws;
    return 0;
}

void pn__ws_set_ud(struct pn_ws *ws, void *ud)
{
    ws->ud = ud;
}

const char *pn__ws_peer(const struct pn_ws *ws)
{
    return peer(ws);
}

size_t pn__ws_outbuf(const struct pn_ws *ws)
{
    return ws->out.len + ws->wbuf.len + wslay_event_get_queued_msg_length(ws->ctx);
}

/* ---- without a socket ---- */

uint16_t pn__ws_feed_for_fuzz(const struct pn_ws_opts *o, const struct pn_ws_handler *h, void *ud,
                              const uint8_t *data, size_t len, size_t chunk, struct pn_buf *out)
{
    struct pn_ws *ws = ws_new(NULL, o, h, ud);
    ws->sink = out;
    size_t off = 0;
    while (off < len && !ws->gone && !ws->broken && wslay_event_get_read_enabled(ws->ctx)) {
        size_t n = chunk && chunk < len - off ? chunk : len - off;
        feed(ws, (const char *)data + off, n);
        off += n;
    }
    uint16_t code = ws->code;
    ws_free(ws);
    return code;
}
