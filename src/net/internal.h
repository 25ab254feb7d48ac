/* net's private declarations, shared by parse.c, http.c and ws.c (and net's tests and fuzzers). */
#ifndef PN_NET_INTERNAL_H
#define PN_NET_INTERNAL_H

#include <http_parser.h>
#include <openssl/ssl.h>
#include <stdlib.h>

#include "net/net.h"

struct pn_http_hdr_off {
    size_t name_off, name_len, val_off, val_len;
};

/* Incremental parse state of one connection (or one pn__http_parse call). */
struct pn_http_parse {
    http_parser p;
    const struct pn_http_limits *lim;
    const char *base; /* the buffer the offsets are relative to, during feed */
    size_t msg_start; /* offset where the current message began */
    size_t url_off, url_len;
    struct pn_http_hdr_off *hdr; /* max_headers + 1 entries */
    size_t nhdr;
    bool in_value, headers_done, complete;
    bool expect_continue; /* Expect: 100-continue and a body still to come */
    bool sent_continue;   /* the interim 100 was written */
    int err; /* a limit we enforced (PN_EURI …), or 0 */
    struct pn_buf body;
};

void pn__http_parse_init(struct pn_http_parse *st, const struct pn_http_limits *lim);
void pn__http_parse_fini(struct pn_http_parse *st);
/* Feeds base[*parsed, len) to the parser. 0: a complete request in *out; PN_EAGAIN; or an
 * error (see pn__http_error_status). */
int pn__http_parse_feed(struct pn_http_parse *st, const char *base, size_t len, size_t *parsed,
                        struct pn_arena *arena, struct pn_http_req *out);
/* Readies the state for the next pipelined request (after the buffer was compacted). */
void pn__http_parse_next(struct pn_http_parse *st);

/* ---- the transport (transport.c): a connection's socket, plain TCP or TLS ----------------- */

/*
 * What http.c and ws.c read from and write to: it owns the TCP handle, its reading, writing,
 * shutdown and close, and on a TLS server the SSL object between them (memory BIOs: libuv
 * reads ciphertext into the transport, SSL turns it into plaintext for the reader; writes are
 * encrypted as they are queued). The callbacks follow libuv's stream API: a read callback gets
 * n > 0 bytes, 0 (nothing for now; on TLS: the handshake just finished), UV_ENOBUFS (the
 * alloc callback gave no room), UV_EOF or another negative error (on TLS, UV_EPROTO: the
 * handshake or a record failed). It reads nothing while the reader is not reading (plaintext
 * already decrypted waits in SSL's buffer and is delivered when reading starts again, on the
 * next loop turn), so what it buffers is bounded by one read.
 */
struct pn_tls_ctx {
    SSL_CTX *ctx;
};

struct pn_tp;
struct pn_tp_write;
typedef void (*pn_tp_alloc_cb)(struct pn_tp *t, uv_buf_t *buf);
typedef void (*pn_tp_read_cb)(struct pn_tp *t, ssize_t n, const uv_buf_t *buf);
typedef void (*pn_tp_write_cb)(struct pn_tp_write *w, int status);
typedef void (*pn_tp_shutdown_cb)(struct pn_tp *t, int status);
typedef void (*pn_tp_close_cb)(struct pn_tp *t);

/* One write under way (the caller's storage, alive until cb). */
struct pn_tp_write {
    uv_write_t w;
    struct pn_tp *t;
    pn_tp_write_cb cb;
    char *cipher; /* TLS: the encrypted bytes being written */
    void *data;   /* the caller's */
};

struct pn_tp {
    uv_tcp_t tcp;
    uv_idle_t pump; /* TLS: delivers buffered plaintext when reading (re)starts */
    void *data;     /* the owner's */
    SSL *ssl;       /* NULL: plain TCP */
    int open_handles;
    pn_tp_alloc_cb alloc_cb;
    pn_tp_read_cb read_cb;
    pn_tp_close_cb close_cb;
    pn_tp_shutdown_cb shutdown_cb;
    uv_shutdown_t sreq;
    int eof;      /* TLS: the socket's end (UV_EOF or an error) not yet delivered, or 0 */
    bool reading; /* the reader wants bytes */
    bool closing;
    bool ready;    /* plain, or the TLS handshake is done */
    bool failed;   /* TLS: the session cannot go on (an error was delivered) */
    bool eof_told; /* TLS: the end was delivered */
};

/* Readies t's handles on loop for a server that is plain (tls NULL) or TLS. Then pn__tp_open
 * (a new socket) or pn__tp_close (never opened). */
void pn__tp_init(struct pn_tp *t, uv_loop_t *loop, struct pn_tls_ctx *tls);
/* Takes the socket in sock (with its TLS state, when it comes from another loop's
 * pn__tp_detach; else a new TLS session in the server's context). 0, or a libuv error with
 * sock closed. */
int pn__tp_open(struct pn_tp *t, struct pn_net_sock *sock);
int pn__tp_read_start(struct pn_tp *t, pn_tp_alloc_cb alloc, pn_tp_read_cb read);
void pn__tp_read_stop(struct pn_tp *t);
/* Queues bufs (encrypted now on TLS: they may go once this returns; cb follows when the bytes
 * are handed to the kernel). 0, or an error (then cb is not called): on TLS before the
 * handshake is done or after it failed. */
int pn__tp_write(struct pn_tp *t, struct pn_tp_write *w, const uv_buf_t *bufs, unsigned nbufs,
                 pn_tp_write_cb cb);
/* Writes buf at once if the socket takes it all (plain), or queues it (TLS): 0, or an error. */
int pn__tp_try_write(struct pn_tp *t, const char *buf, size_t len);
/* Bytes queued and not yet handed to the kernel (ciphertext on TLS): write backpressure. */
size_t pn__tp_write_queued(const struct pn_tp *t);
/* After the queued writes (TLS: a close_notify first), a FIN. Once per transport. */
int pn__tp_shutdown(struct pn_tp *t, pn_tp_shutdown_cb cb);
/* Closes the socket; cb(t) once every handle is closed (the SSL object is freed before). */
void pn__tp_close(struct pn_tp *t, pn_tp_close_cb cb);
/* A dup of the socket (close-on-exec) and the TLS state, for another loop (pn__tp_open): t's
 * own descriptor is closed with t. PN_EIO if the socket cannot be duplicated. */
int pn__tp_detach(struct pn_tp *t, struct pn_net_sock *out);
/* The peer's address:port ("?" if unknown). */
void pn__tp_peer(const struct pn_tp *t, char *out, size_t len);
static inline uv_loop_t *pn__tp_loop(const struct pn_tp *t)
{
    return t->tcp.loop;
}
static inline bool pn__tp_secure(const struct pn_tp *t)
{
    return t->ssl != NULL;
}

/* ---- connections (http.c), shared with ws.c ---------------------------------------------- */

enum pn_http_timer_mode { PN_T_NONE, PN_T_IDLE, PN_T_HEADER, PN_T_WRITE, PN_T_LINGER };

struct pn_http_server {
    uv_loop_t *loop;
    /* the listening socket is ours, watched by a poll handle and accepted from by us (not
     * uv_listen), so that accepting can pause when descriptors run out (see on_listener) */
    int listen_fd;
    uv_poll_t listener;
    uv_timer_t pause;  /* accepting paused (EMFILE …): restarts the listener when it fires */
    int open_handles;  /* listener and pause: freed when both are closed */
    bool stopping;
    /* draining (pn__http_server_drain): not accepting, answering with Connection: close,
     * drained() called once no HTTP connection is left or at drain_deadline (uv_now) */
    bool draining;
    uint64_t drain_deadline;
    void (*drained)(void *ud);
    void *drained_ud;
    struct pn_http_server_opts o;
    struct pn_http_conn *conns; /* doubly linked */
    size_t nconns;              /* open connections of this server, HTTP and WebSocket */
    /* open connections counted against max_connections: own_count, or one shared by several
     * servers (pn__http_server_share_count) */
    struct pn_http_counter own_count, *count;
    int port;
    uint64_t accept_warned;     /* uv_now of the last accept warning (one a second at most) */
    uint64_t accept_failed;     /* accept errors since that warning */
    struct pn_http_counts counts; /* what it answered: pn__http_server_counts */
};

/* An open connection of srv from a socket (accepted here, or adopted from another loop),
 * counted and linked but not reading yet; NULL (sock closed) if libuv refuses it. */
struct pn_http_conn *pn__http_conn_open(struct pn_http_server *srv, struct pn_net_sock *sock);

struct pn_http_conn {
    struct pn_tp tp; /* the socket; tp.data and timer.data point back to the connection */
    uv_timer_t timer;
    int open_handles;
    struct pn_http_server *srv;
    struct pn_http_conn *prev, *next;
    struct pn_http_parse ps;
    struct pn_buf in;
    size_t parsed;
    struct pn_arena arena; /* per request, reset between requests */
    struct pn_http_req req;
    enum pn_http_timer_mode tmode;
    bool reading, busy, writing, closing, lingering, peer_eof;
    bool counted; /* in srv->nconns and *srv->count */
    char peer[64];      /* who the log names: the socket's peer, or with use_xheaders the
                           client the request's proxy forwards for */
    char sock_peer[64]; /* the socket's peer, address:port */
    uint64_t t_start; /* uv_hrtime when the request was handed over: its time in the log */
    /* the write timeout counts from the last progress (nginx's send_timeout): the bytes still
     * queued when it was last seen to shrink, and when (uv_now) */
    size_t write_queued;
    uint64_t write_progress_at;
    struct pn_http_file_body *file; /* a file body being streamed (pn_http_resp.file) */
    /* Set once the connection was upgraded: ws.c owns reading, writing and the timer from
     * then on (until pn__http_conn_finish lingers), and is freed with the connection. */
    struct pn_ws *ws;
};

/* Closes c now: uv_close of both handles, freed (and c->ws with it) in the close callback.
 * Safe to call more than once and from inside any callback of c. */
void pn__http_conn_close(struct pn_http_conn *c);
/* Closes c gracefully once everything is written: FIN, then read and drop what the peer still
 * sends until it closes, at most a short linger, then pn__http_conn_close. */
void pn__http_conn_finish(struct pn_http_conn *c);
/* Hands c to ws (c->busy must be set: r is its current request): stops the HTTP reader and
 * timer, frees the parse state, read buffer and arena, and returns a heap copy of the bytes
 * the client sent after the request (*rest NULL and *rest_len 0 if none). */
void pn__http_conn_upgrade(struct pn_http_conn *c, struct pn_ws *ws, char **rest, size_t *rest_len);

/* ---- WebSocket internals (ws.c) ---------------------------------------------------------- */

/* Called by http.c once both handles of an upgraded connection are closed: calls on_close
 * (exactly once) and frees ws. */
void pn__ws_conn_gone(struct pn_ws *ws);

/* The RFC 6455 §4.2.1 checks of an upgrade request (a pure function, for tests): returns 0
 * with *key set to the Sec-WebSocket-Key, or the status to answer with: 400 (not GET, not
 * HTTP/1.1, no "Upgrade: websocket", no "Connection: upgrade", a body, a key that is not the
 * base64 of 16 bytes, a key or version header given twice) or 426 (Sec-WebSocket-Version
 * absent or not 13; the response carries "Sec-WebSocket-Version: 13"). */
int pn__ws_check_handshake(const struct pn_http_req *r, pn_str *key);

/*
 * Feeds a client's bytes to a server-side WebSocket with no socket (tests and fuzzing; the
 * lwan-style pure entry point): the same wslay context, callbacks, limits and UTF-8 check as
 * a live connection, in reads of at most chunk bytes (0: all at once). h->on_message is called
 * for each message (it may call pn__ws_send / pn__ws_close), h->on_close once at the end.
 * Everything the server would have written (101 excluded) is appended to out if not NULL
 * (bounded by out's own maximum). Returns the close code the connection ended with, or 0 if
 * it is still open after the last byte. Keep-alive timers do not run.
 */
uint16_t pn__ws_feed_for_fuzz(const struct pn_ws_opts *o, const struct pn_ws_handler *h, void *ud,
                              const uint8_t *data, size_t len, size_t chunk, struct pn_buf *out);

#endif
