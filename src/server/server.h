/*
 * server: what pane serves. The router maps a request to an app's page, an embedded asset, a
 * static directory or the index; pages are made by running the app on a fresh session and
 * rendering it. server is the only module that knows both net and doc.
 */
#ifndef PN_SERVER_H
#define PN_SERVER_H

#include <uv.h>

#include "app/app.h"
#include "base/base.h"
#include "net/net.h"

#define PN_MAX_STATIC_DIRS 16

struct pn_static_dir {
    const char *name; /* URL segment: /NAME/... */
    const char *path; /* directory on disk */
};

struct pn_server_opts {
    const char *address; /* default: all interfaces ("0.0.0.0"), as panel serve */
    int port;            /* default 5006 (0: any free port) */
    const char *prefix;  /* URL prefix, "" or "/app-root" (no trailing slash) */
    /* --root-path: what a proxy in front strips ("/dash": it forwards /dash/weather as
     * /weather). Routes stay as they are; every URL a page holds starts with it */
    const char *root_path;
    bool use_xheaders; /* --use-xheaders: the client's address (logs) and the host it asked for
                          (the WebSocket origin check) from Forwarded / X-Forwarded-* */
    const char *index;   /* app name served at "/" (default: the only app, else a list) */
    struct pn_static_dir static_dirs[PN_MAX_STATIC_DIRS];
    int nstatic;
    struct pn_http_limits limits;
    struct pn_app *apps;
    int napps;
    /* --allow-websocket-origin: host[:port] entries ("*" allows any); none: the Host the
     * request was sent to */
    const char *const *allowed_origins;
    int norigins;
    const char *secret_key;             /* --secret-key / PANE_SECRET_KEY; NULL: random */
    uint64_t unused_session_lifetime_ms; /* 0: defaults (see live.h) */
    uint64_t check_unused_sessions_ms;
    size_t max_unused_sessions; /* per loop; 0: default (see live.h) */
    uint64_t token_expiration_s;
    size_t websocket_max_message_size;
    uint64_t keep_alive_ms;
    bool reuseport; /* several loops share the port */
    const int *listen_fd; /* non-NULL: accept on this listening socket (a worker's, inherited
                             from its supervisor) instead of opening one */
    /* --reuse-sessions: serve first pages from the page cache */
    bool reuse_sessions;
    /* --reuse-sessions warm: a cache hit also makes the visitor's live session, right after
     * the page is sent; its token goes in a cookie (PN_WARM_COOKIE) the page's socket sends */
    bool reuse_sessions_warm;
    size_t reuse_sessions_max;       /* entries. default 1000 */
    size_t reuse_sessions_max_bytes; /* default 64 MiB */
    const struct pn_key_spec *session_key; /* --session-key, or NULL */
    bool global_loading_spinner;
    bool admin; /* --admin: GET PREFIX/_pane/stats */
    bool dev;   /* --dev: pages show the supervisor's compile errors (dev.c); pages say so */
    size_t max_connections;      /* --max-connections: more get 503 (linked servers: their
                                    sum). default 0: no limit */
    const char *frame_ancestors; /* CSP frame-ancestors of pages. default 'self' */
    /* --basic-auth: who may log in (auth.h; shared by the loops, read-only), or NULL: no login.
     * Every page, WebSocket and static-directory request then needs the login cookie */
    const struct pn_auth_users *auth;
    const char *cookie_secret;   /* --cookie-secret; NULL: derived from secret_key */
    uint64_t login_expiration_s; /* --login-expiration. default 7 days */
    /* --ssl-certfile, --ssl-keyfile: PEM files; both set: TLS on every connection (the
     * runtime makes the context from them, into tls) */
    const char *ssl_certfile, *ssl_keyfile;
    struct pn_tls_ctx *tls; /* the TLS context the servers use (held, not owned), or NULL */
    unsigned group; /* the process's number for this server's group of loops (0..255): bits
                       8..15 of its session ids, so that a post finds it (runtime.c) */
};

struct pn_server;

/* A function posted to a session (pane.h's pn_post) or to every session of an app. */
struct pn_post_all { /* what the posts of one pn_post_app share */
    _Atomic int left;  /* posts (and the posting call) not yet run or dropped */
    void *data;
    void (*done)(void *data);
};
/* Counts one off; the last runs done(data) and frees all. Thread: any. */
void pn__post_all_release(struct pn_post_all *all);
struct pn_post {
    struct pn_post *next;
    uint64_t sid;    /* the session, or 0 with app */
    const char *app; /* every session of this app (pn_post_app), or NULL */
    pn_post_fn fn;
    void *data;
    void (*fallback)(void *data); /* the session is gone: instead of fn (pn_post) */
    struct pn_post_all *all;      /* pn_post_app: counted down after this loop ran it */
};
/* Queues p for srv's loop (FIFO) and wakes it. Thread: any. PN_ECLOSED when the server stops
 * (p is left to the caller). */
int pn__server_post(struct pn_server *srv, struct pn_post *p);
/* Runs a post on the loop (fn, or its fallback) and frees it (loops.c, live.c). */
void pn__post_run(struct pn_server *srv, struct pn_post *p);
/* The end of a post that never ran: fallback (pn_post) or the count of its pn_post_app. */
void pn__post_drop(struct pn_post *p);

/* Starts serving on loop. Returns 0, or an error with a message. */
int pn__server_start(uv_loop_t *loop, const struct pn_server_opts *o, struct pn_server **out,
                     char *err, size_t errlen);
int pn__server_port(const struct pn_server *srv);
/* Stops serving: closes the listener, every connection and session; freed when all closed
 * (a linked server: once every server it is linked with has stopped too, since until then one
 * of them may still hand it a connection, which it closes). Thread: the server's loop. */
void pn__server_stop(struct pn_server *srv);

/*
 * --num-threads: one server per loop, all listening on one port (SO_REUSEPORT). Link them once
 * all are started, before their loops run: a WebSocket for a session of loop i that lands on
 * loop j is handed over to loop i (by its URL's loop, or by its hello's token), and
 * max_connections bounds their sum. all is copied. Thread: before the loops run.
 */
void pn__server_link(struct pn_server *const *all, int n);
/* --warm / --warm-url: renders url's page into the cache before the port opens. */
int pn__server_warm(struct pn_server *srv, const char *url, char *err, size_t errlen);
/*
 * A graceful stop (SIGTERM, a reload): stops accepting, lets the requests under way finish
 * (with Connection: close) for at most PN_DRAIN_MS, then pn__server_stop (WebSockets get
 * 1001). pn__server_request_shutdown asks for it from any thread, like pn__server_request_stop.
 */
#define PN_DRAIN_MS 5000
void pn__server_shutdown(struct pn_server *srv);
void pn__server_request_shutdown(struct pn_server *srv);
/* Asks the server to stop from any thread (it stops on its own loop; nothing if it is
 * stopping already). Thread: any, until every server it is linked with has stopped. */
void pn__server_request_stop(struct pn_server *srv);

/* ---- page heads (page.c) ---- */

/*
 * The parts of a page's response head. Every page (the reuse cache's hit, miss and bypass, the
 * non-reuse page, the index) gets its head from pn__page_head, so that no path formats its
 * own or cuts one short.
 */
struct pn_page_head {
    const char *security;      /* the security lines every page carries (pn__page_security) */
    const char *cache;         /* X-Pane-Cache value ("hit", "miss", "bypass"); NULL: none */
    const char *cookies;       /* Set-Cookie lines of the session, or NULL */
    const char *cache_control; /* "no-cache" (cached pages, their ETag checked), "no-store" */
    const char *etag;          /* or NULL */
    size_t length;             /* of the body as sent */
    bool gzip;                 /* the body is gzip */
};
/* Appends the head's fields and blank line to out: 0, or PN_ETOOBIG when they are over
 * PN_HTTP_MAX_HEAD (out unchanged), PN_EINVAL for parts that are not header lines. */
int pn__page_head(struct pn_buf *out, const struct pn_page_head *h);
/* The security lines of every page, with frame-ancestors (NULL: 'self'). Heap; free(). */
char *pn__page_security(const char *frame_ancestors);

/* ---- static directories (static.c) ---- */

/* Serves the file rel (the URL's rest, not decoded) under the directory whose realpath is root:
 * regular files only, streamed, with ETag/Last-Modified (304), HEAD and a single Range. */
void pn__static_serve(struct pn_http_conn *c, const struct pn_http_req *r, const char *root,
                      pn_str rel);
/* Serves the picture named key (the URL's rest after /_pane/img/: "<sha256 hex>.<ext>") from
 * the image store's memory or folder (base/images.h), immutable; 404 for any other name. */
void pn__static_serve_image(struct pn_http_conn *c, pn_str key);

/* The app-facing view of an HTTP request (pn_request in pane.h). */
struct pn_request {
    const struct pn_http_req *http;
    struct pn_arena *arena; /* decoded values live here, as long as the request */
};

/* Calls fn with the value of every cookie called name in r's Cookie headers (blanks and one
 * pair of quotes taken off), in order, until fn returns true: then true. */
bool pn__cookie_each(const struct pn_http_req *r, const char *name,
                     bool (*fn)(void *ud, pn_str value), void *ud);

/* ---- tokens (token.c) ---- */

struct pn_token_key {
    unsigned char key[32];
    struct evp_mac_ctx_st *mac; /* HMAC-SHA256 keyed with key (pn__mac_new) */
};
/* 22 chars of base64url body, '.', 43 chars of base64url HMAC-SHA256 */
#define PN_TOKEN_LEN 66
/* From --secret-key / PANE_SECRET_KEY (at least 32 characters), or random when secret is NULL.
 * A key is used by one loop (its HMAC context is not shared); pn__token_key_fini frees it. */
int pn__token_key_init(struct pn_token_key *k, const char *secret, char *err, size_t errlen);
void pn__token_key_fini(struct pn_token_key *k);
void pn__token_make(const struct pn_token_key *k, uint64_t sid, uint64_t expiry,
                    char out[PN_TOKEN_LEN + 1]);
/* 0 with *sid set; PN_EPARSE for a malformed or forged token; PN_ETIMEDOUT when expired
 * (expiry <= now, Unix seconds). */
int pn__token_check(const struct pn_token_key *k, pn_str token, uint64_t now, uint64_t *sid);
/* base64url without padding (RFC 4648 §5) into out: (4n+2)/3 chars and a NUL. */
size_t pn__b64url_encode(const unsigned char *in, size_t n, char *out);
/* Decodes s (canonical: the last character's unused bits zero) into at most max bytes, with
 * *n set; false for a bad length or character. */
bool pn__b64url_decode(pn_str s, unsigned char *out, size_t max, size_t *n);
uint64_t pn__random_u64(void);
/* A random secret key (64 hex digits) for processes or loops that must accept each other's
 * tokens when no --secret-key was given. */
void pn__secret_random(char out[65]);

/* ---- protocol messages (protocol.c) ---- */

#include "doc/doc.h"

enum pn_msg_type { PN_MSG_HELLO = 1, PN_MSG_EVENT, PN_MSG_PING };
struct pn_msg {
    enum pn_msg_type type;
    long long version; /* hello */
    pn_str token;      /* hello; {NULL,0} for null or absent */
    pn_str query;      /* hello */
    uint32_t id;       /* event */
    pn_str prop;       /* event */
    struct pn_value value; /* event */
    const struct json_t *ping; /* ping's "n", borrowed from json */
    struct json_t *json; /* owns every slice above */
    void *list;          /* a list value's array (heap): value.strs or value.nums */
};
/* The protocol version of docs/internals/protocol.md: the hello's "v" and the doc's. */
#define PN_PROTOCOL_VERSION 2
#define PN_STR_OF_(x) #x
#define PN_STR_OF(x) PN_STR_OF_(x)

/* Parses and type-checks one client message (pure; fuzzed). On error *why says what is wrong.
 * Always call pn__msg_free afterwards. */
int pn__msg_parse(const char *data, size_t len, struct pn_msg *m, const char **why);
void pn__msg_free(struct pn_msg *m);
/*
 * The largest page, live doc or patch pane sends (16 MiB): a page whose HTML is bigger is not
 * served (500), a doc or patch that is bigger is not sent (the socket gets an error "too-big"
 * and close PN_CLOSE_TOO_BIG, which the client shows and does not retry). A live socket's
 * output bound is PN_MAX_DOC + 1 MiB, so a doc that passes this bound is never what makes the
 * socket drop as a peer that does not read. (PN_MAX_DOC itself is in doc.h.)
 */
#define PN_CLOSE_TOO_BIG 4413 /* private close code: the live document is over PN_MAX_DOC */
/* Encoders of the session's messages: 0 with *out (heap, free()) and *len; PN_ETOOBIG when it
 * would pass max bytes; PN_EINVAL when a value could not be encoded. Never abort. */
int pn__msg_doc(pn_session *s, const char *token, size_t max, char **out, size_t *len);
/* The patch for everything dirty (then clean); *out is NULL when nothing is. */
int pn__msg_patch(pn_session *s, size_t max, char **out, size_t *len);
/* Small messages: a heap string, or NULL only when out of memory. */
char *pn__msg_error(const char *code, const char *msg, uint32_t id, size_t *len);
char *pn__msg_pong(const struct json_t *n, size_t *len);
/* --dev: {"t":"dev","error":TEXT} (the last compile's messages; the page shows them over
 * everything) or {"t":"dev","error":null} (they are gone). */
char *pn__msg_dev(const char *error, size_t *len);
/* Forgets every pending change (after a build, or with no socket to send to). */
void pn__session_clear_dirty(pn_session *s);

/* A session key under construction (pn_key in pane.h). */
struct pn_key {
    struct pn_buf buf;
    bool overflow; /* a part did not fit: the key is unusable (the request bypasses the cache) */
    bool shared;   /* pn_key_shared: the same page for every user (no user part) */
};

/* ---- session keys (key.c) ---- */

#define PN_KEY_MAX_PARTS 16
enum pn_key_part_kind { PN_KEY_ARG, PN_KEY_COOKIE, PN_KEY_HEADER, PN_KEY_PATH, PN_KEY_SHARED };
struct pn_key_part {
    enum pn_key_part_kind kind;
    char name[64];
};
/* --session-key SPEC: "arg:city,cookie:lang,header:Accept-Language,path" (and "shared":
 * pn_key_shared) */
struct pn_key_spec {
    struct pn_key_part parts[PN_KEY_MAX_PARTS];
    int n;
};
/* Parses a spec (pure; fuzzed). PN_EPARSE with a message naming the bad part. */
int pn__key_spec_parse(const char *spec, size_t len, struct pn_key_spec *out, char *err,
                       size_t errlen);
/* The key of request r for app: the app's name, then pn_session_key's parts if the app has
 * one, else the spec's parts (spec may be NULL: the app's path alone), then, with login on
 * (user not NULL), the user unless the key said it is shared. k->buf is reset. */
void pn__key_compute(const struct pn_app *app, const struct pn_key_spec *spec, const pn_request *r,
                     const char *user, pn_key *k);

#endif
