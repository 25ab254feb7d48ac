/*
 * net: HTTP/1.1 over libuv, requests parsed by libhttp-parser. net knows nothing of sessions,
 * documents or pages: it hands each complete request to a handler and writes the response the
 * handler gives back (now or later). Every size a peer chooses is bounded, slow and idle peers
 * time out, and malformed input gets an explicit status before the connection is closed.
 */
#ifndef PN_NET_H
#define PN_NET_H

#include <http_parser.h>
#include <uv.h>

#include "base/base.h"

struct pn_http_limits {
    size_t max_header_bytes;    /* request line + headers; over it: 431. default 16 KiB */
    size_t max_url;             /* over it: 414. default 8 KiB */
    size_t max_body;            /* over it: 413. default 1 MiB */
    unsigned max_headers;       /* over it: 431. default 100 */
    uint64_t header_timeout_ms; /* a request head must arrive within this. default 10 s */
    uint64_t idle_timeout_ms;   /* keep-alive idle, and the longest a response being written may
                                   make no progress (nginx's send_timeout). default 30 s */
};
void pn__http_limits_default(struct pn_http_limits *l);

struct pn_http_header {
    pn_str name, value;
};

/* A parsed request. Slices point into the connection's read buffer and stay valid until the
 * response to this request has been given (pn__http_respond). */
struct pn_http_req {
    int method;         /* enum http_method of http_parser.h */
    pn_str method_name; /* "GET" */
    pn_str url;         /* as sent: "/weather?city=Paris" */
    pn_str path;        /* "/weather" (not decoded) */
    pn_str query;       /* "city=Paris" (no '?'), empty if none */
    unsigned short http_major, http_minor;
    struct pn_http_header *headers;
    size_t nheaders;
    pn_str body;
    bool keep_alive;
    bool upgrade;
    bool accept_gzip; /* Accept-Encoding lists gzip with q > 0 */
    bool secure;      /* it came over TLS (to pane itself: a proxy's says nothing of it) */
};
/* The value of a header (case-insensitive name); {NULL, 0} if absent. */
pn_str pn__http_header(const struct pn_http_req *r, const char *name);

/*
 * Parses one request from buf (a pure function, for tests and fuzzing). Returns 0 with *out
 * filled and *consumed set, PN_EAGAIN if more bytes are needed, or an error that maps to a
 * status with pn__http_error_status: PN_EPARSE (400), PN_EURI (414), PN_EHEADERS (431),
 * PN_EBODY (413), PN_EVERSION (505). headers/body storage comes from arena.
 */
int pn__http_parse(const char *buf, size_t len, const struct pn_http_limits *limits,
                   struct pn_arena *arena, struct pn_http_req *out, size_t *consumed);
int pn__http_error_status(int err);

/* What a reverse proxy in front says about the request (--use-xheaders): only to be believed
 * when every request comes through a proxy that sets these headers itself. */
struct pn_http_forwarded {
    char client[48]; /* the client's address (IPv4 or IPv6, checked), or "" */
    char proto[8];   /* "http" or "https", or "" */
    pn_str host;     /* the Host the client asked for, or {NULL, 0} */
};
/* From the last hop of RFC 7239 Forwarded (for=, proto=, host=), else X-Forwarded-For's last
 * address (or X-Real-IP), X-Forwarded-Proto (or X-Scheme) and X-Forwarded-Host: the last value
 * of the last such header, the one the nearest proxy added. A value that is not an address, a
 * known scheme or a plausible host is left out. Pure: for tests and fuzzing. */
void pn__http_forwarded(const struct pn_http_req *r, struct pn_http_forwarded *out);
const char *pn__http_reason(int status);

/* The most bytes of header fields a response may carry (status line excluded). A head that does
 * not fit is an error (PN_ETOOBIG), never cut. */
#define PN_HTTP_MAX_HEAD (32 * 1024)

/*
 * The header fields of a response after its status line, Server, Date and Connection, ending
 * with the blank line: the one writer of response heads (pn__http_respond, the page heads of
 * server/, the cache's prepared heads). Fields: Content-Length (unless no_length), Content-Type,
 * Content-Encoding: gzip, Vary: Accept-Encoding, ETag, Cache-Control, then the extra lines.
 */
struct pn_http_fields {
    size_t content_length;
    bool no_length;           /* 304, 204: no Content-Length */
    const char *content_type; /* NULL: none */
    bool gzip;                /* Content-Encoding: gzip */
    bool vary;                /* Vary: Accept-Encoding */
    const char *etag;         /* quoted */
    const char *cache_control;
    const char *extra[6]; /* more header lines, each ending in \r\n (NULL entries skipped) */
};
/* Appends f's lines and the blank line to b. PN_ETOOBIG when they are over PN_HTTP_MAX_HEAD
 * or over b's own bound (b is then left as it was); PN_EINVAL for an extra that is not whole
 * header lines (empty lines, bare CR or LF). */
int pn__http_fields(struct pn_buf *b, const struct pn_http_fields *f);

/* A file streamed as a response body: length bytes from offset, read in bounded chunks on the
 * thread pool (uv_fs_read) as the client reads, so memory does not depend on the file's size.
 * net owns fd from the call on and closes it. */
struct pn_http_file {
    int fd;
    uint64_t offset, length;
};

struct pn_http_resp {
    int status;
    const char *content_type; /* NULL: no Content-Type */
    const char *headers;      /* extra header lines, each ending in \r\n; may be NULL */
    const void *body;
    size_t body_len;
    const void *body_gz; /* optional gzip of body, sent when the client accepts gzip */
    size_t body_gz_len;
    const char *etag;     /* quoted; a matching If-None-Match gets 304 */
    const char *cache_control;
    bool close; /* Connection: close after this response */
    /* the body comes from a file instead (body, body_gz ignored); HEAD and 304 close it
     * unread */
    const struct pn_http_file *file;
    /* Called once the body bytes are no longer needed (written, or the connection died). */
    void (*release)(void *ud);
    void *release_ud;
};

/* ---- TLS (tls.c) --------------------------------------------------------------------------- */

/* A TLS server context (OpenSSL 3): TLS 1.2 and 1.3 only, ECDHE with AEAD ciphers for 1.2,
 * ALPN http/1.1, no renegotiation, no compression, session tickets. Refcounted: every
 * connection holds it. */
struct pn_tls_ctx;
/* Loads a PEM certificate chain and its private key (checked to match): the context, or NULL
 * with a message in err. */
struct pn_tls_ctx *pn__tls_ctx_new(const char *certfile, const char *keyfile, char *err,
                                   size_t errlen);
void pn__tls_ctx_free(struct pn_tls_ctx *t);
/* The SHA-256 fingerprint of a context's certificate, hex with colons (for logs). */
void pn__tls_ctx_fingerprint(const struct pn_tls_ctx *t, char *out, size_t len);

/* A connection's socket on its way to another loop (--num-threads): its descriptor and, on a
 * TLS server, its TLS session (handshake done, records already read along). */
struct pn_net_sock {
    int fd;
    void *tls; /* SSL *, or NULL */
};
/* Closes a socket that never arrived: the descriptor and the TLS session. */
void pn__net_sock_close(struct pn_net_sock *s);

struct pn_http_conn;
struct pn_http_server;

/* Called for every complete request. The handler must call pn__http_respond exactly once,
 * now or later (the connection reads nothing more until then). */
typedef void (*pn_http_handler)(struct pn_http_conn *c, const struct pn_http_req *r, void *ud);

/* Open connections, counted across several servers that share one --max-connections bound
 * (the loops of a process). */
struct pn_http_counter {
    _Atomic size_t open;
};

struct pn_http_server_opts {
    const char *address; /* default "127.0.0.1" */
    int port;            /* 0: any free port */
    struct pn_http_limits limits;
    pn_http_handler handler;
    void *ud;
    bool reuseport; /* SO_REUSEPORT, for several loops on one port */
    /* non-NULL: accept on this listening socket (a copy of it) instead of opening one; address,
     * port and reuseport are then not used */
    const int *listen_fd;
    size_t max_connections; /* more open at once get 503 and are closed. default 0: no limit */
    bool use_xheaders; /* the access log and pn__http_conn_peer name the client a proxy
                          forwards for (pn__http_forwarded), not the proxy */
    struct pn_tls_ctx *tls; /* non-NULL: every connection speaks TLS (held, not owned) */
};

/*
 * Listens on o->address:o->port and accepts on loop. Accepting pauses for half a second when
 * the process is out of descriptors (EMFILE, ENFILE, ENOBUFS, ENOMEM: what nginx does),
 * instead of retrying at once; the log says so once a second at most, with a count.
 */
/* A non-blocking listening socket on address:port (CLOEXEC): the descriptor (and the port it
 * got in *port_out), or a negative error with a message. */
int pn__http_listen(const char *address, int port, bool reuseport, int *port_out, char *err,
                    size_t errlen);
int pn__http_server_start(uv_loop_t *loop, const struct pn_http_server_opts *o,
                          struct pn_http_server **out, char *err, size_t errlen);
int pn__http_server_port(const struct pn_http_server *srv);
/* What srv has answered so far (base.h). Thread: its loop. */
const struct pn_http_counts *pn__http_server_counts(const struct pn_http_server *srv);
/* Counts srv's connections in count (shared by several servers, all with the same
 * max_connections) instead of its own counter: the bound is then on their sum. Call before the
 * loop runs, while srv has no connection. */
void pn__http_server_share_count(struct pn_http_server *srv, struct pn_http_counter *count);
/*
 * A graceful end: stops accepting (the listening socket stays with whoever else accepts on it),
 * answers every further request with Connection: close, gives idle keep-alive connections a
 * moment for one more request, and calls done(ud) once no HTTP connection is left (WebSockets
 * are not waited for) or after max_ms. done then calls pn__http_server_stop. Thread: its loop.
 */
void pn__http_server_drain(struct pn_http_server *srv, uint64_t max_ms, void (*done)(void *ud),
                           void *ud);
/* Stops listening and closes every connection; the server is freed once all are closed. */
void pn__http_server_stop(struct pn_http_server *srv);

void pn__http_respond(struct pn_http_conn *c, const struct pn_http_resp *r);
/*
 * A response whose header fields were written ahead (pn__http_fields: the page heads, the
 * reuse cache's prepared entries). net writes the status line, Server, Date and Connection as
 * this request needs, then head[0, head_len) as is (its fields and the blank line), then the
 * body. HEAD gets the head only. If etag matches If-None-Match, a 304 with that ETag and the
 * head's Vary and Cache-Control lines instead. No copy, no allocation but the write request.
 * release(release_ud) runs once the bytes are no longer needed (written or not).
 */
struct pn_http_prepared {
    int status;
    const char *head;
    size_t head_len;
    const void *body;
    size_t body_len;
    const char *etag;
    void (*release)(void *ud);
    void *release_ud;
};
void pn__http_respond_prepared(struct pn_http_conn *c, const struct pn_http_prepared *p);
/* Convenience: a short text/plain response ("Not Found\n"). */
void pn__http_respond_text(struct pn_http_conn *c, int status, const char *extra_headers);
/* The connection's peer address as text, for logs. */
const char *pn__http_conn_peer(const struct pn_http_conn *c);

/* ---- WebSocket (RFC 6455; the handshake is ours, framing is wslay's) --------------------- */

struct pn_ws;

struct pn_ws_opts {
    size_t max_message;        /* a bigger frame or message: close 1009. default 20 MiB */
    uint64_t ping_interval_ms; /* ping an idle peer this often. default 10 s */
    uint64_t pong_timeout_ms;  /* no pong (or any frame) for this long after a ping: closed.
                                  default 2 × ping_interval_ms */
    size_t max_outbuf;         /* bytes queued for a peer that does not read: over it the
                                  socket is closed (1008). default 16 MiB */
};

struct pn_ws_handler {
    /* A complete text message (valid UTF-8; invalid UTF-8 closes 1007 before this). data is
     * NUL-terminated and valid during the call only. Binary messages are refused (1003). */
    void (*on_message)(struct pn_ws *ws, const char *data, size_t len, void *ud);
    /* The socket is gone (closed by either side, an error or a timeout); ws is freed right
     * after this returns. Called exactly once, from a uv_close callback (never from inside
     * another pn__ws_* call). code: the peer's close code if it closed first (1005: none in
     * its frame), else the code we closed with (1002/1003/1007/1009 for the peer's errors,
     * 1008 over max_outbuf, pn__ws_close's), else 1006 (EOF, reset, keep-alive timeout). */
    void (*on_close)(struct pn_ws *ws, uint16_t code, void *ud);
    /* Everything queued has been written (after pn__ws_want_drain; once per call). Optional. */
    void (*on_drain)(struct pn_ws *ws, void *ud);
};

/*
 * Answers the upgrade request r on c. If r is a valid RFC 6455 handshake (GET, HTTP/1.1,
 * Upgrade: websocket, Connection: upgrade, Sec-WebSocket-Version: 13, a Sec-WebSocket-Key of
 * 16 base64 bytes), writes 101, turns c into a WebSocket and returns 0 with *out set; bytes the
 * client sent after the request are handled as frames. Otherwise responds itself (400, or 426
 * with Sec-WebSocket-Version: 13 for a wrong version) and returns PN_EPARSE. The origin check
 * is the caller's, before this call.
 */
int pn__ws_upgrade(struct pn_http_conn *c, const struct pn_http_req *r,
                   const struct pn_ws_opts *o, const struct pn_ws_handler *h, void *ud,
                   struct pn_ws **out);
/* Queues a text message (data is copied; it goes out in the order of the calls). PN_ECLOSED if
 * the socket is closing; PN_ETOOBIG if the outgoing bound was exceeded (the socket is then
 * dropped at once, without a close frame since the peer reads nothing, and on_close gets
 * 1008). Safe to call from on_message. */
int pn__ws_send(struct pn_ws *ws, const char *data, size_t len);
/* The same for a binary message (server to client only: the peer's binary messages are still
 * refused). */
int pn__ws_send_binary(struct pn_ws *ws, const void *data, size_t len);
/* Asks for one on_drain call when the writes under way have emptied the output queue (call it
 * while pn__ws_outbuf is not 0): a sender that held data back while the peer was behind sends
 * it then. */
void pn__ws_want_drain(struct pn_ws *ws);
/* Sends a close frame with code and reason (at most 123 bytes, cut at a character boundary;
 * a code that may not be sent, such as 1005, becomes 1000) after whatever was queued, then
 * waits up to 2 s for the peer's close and closes; on_close follows. No message is delivered
 * after it. */
void pn__ws_close(struct pn_ws *ws, uint16_t code, const char *reason);
void pn__ws_set_ud(struct pn_ws *ws, void *ud);
const char *pn__ws_peer(const struct pn_ws *ws);
/* Bytes queued for sending and not yet written (for tests and metrics). */
size_t pn__ws_outbuf(const struct pn_ws *ws);

/* The Sec-WebSocket-Accept value for a key: base64(SHA-1(key + GUID)); out has 29 bytes. */
void pn__ws_accept_key(pn_str key, char out[29]);

/* ---- moving a connection to another loop (--num-threads) --------------------------------- */

/*
 * Takes c off its loop before it was answered (from the handler, or later, but before any
 * pn__http_respond; PN_EINVAL otherwise, or while bytes of its TLS session are still queued
 * for writing here): returns its socket in *sock (a dup, close-on-exec, with its TLS state)
 * and the bytes of the current request plus anything read after it (heap, NUL-terminated; the
 * caller frees), and closes c here without writing anything. pn__http_server_adopt on the other
 * loop's server (called on that loop's thread) then processes them as if just read and reads
 * on; it owns sock from then on, also when it fails (PN_EIO, PN_ETOOBIG: sock is closed).
 */
int pn__http_conn_detach(struct pn_http_conn *c, struct pn_net_sock *sock, char **bytes,
                         size_t *len);
int pn__http_server_adopt(struct pn_http_server *srv, struct pn_net_sock *sock, const char *bytes,
                          size_t len);

/*
 * The same for a WebSocket, right after its first message (the hello that names the loop its
 * session lives on): called from on_message of the socket's first text message, returns the
 * socket in *sock (a dup, close-on-exec, with its TLS state) and the bytes the peer sent after that
 * message (heap, NUL-terminated; the caller frees), and closes ws here without a close frame
 * (on_close follows, code 1001). PN_EINVAL when the socket cannot move: not the first message, a
 * close under way, or something of ours still to write (such as the pong of a ping sent before the
 * message). Until the first message is delivered, ws reads it byte by byte so that nothing
 * after it is consumed.
 */
int pn__ws_detach(struct pn_ws *ws, struct pn_net_sock *sock, char **rest, size_t *rest_len);
/* Takes over a socket from pn__ws_detach on srv's loop (its thread): a WebSocket whose
 * handshake is done; rest is fed as frames on the next loop turn. The caller delivers the
 * first message itself. Owns sock from then on (closed on PN_EIO). Counted in srv's connections,
 * never refused for max_connections. */
int pn__ws_adopt(struct pn_http_server *srv, struct pn_net_sock *sock, const char *rest,
                 size_t rest_len, const struct pn_ws_opts *o, const struct pn_ws_handler *h,
                 void *ud, struct pn_ws **out);

/* The current IMF-fixdate for the Date header, refreshed at most once a second. */
const char *pn__http_date(void);

#endif
