/* live sessions: the per-loop table, and the WebSocket endpoint that attaches to it. */
#ifndef PN_LIVE_H
#define PN_LIVE_H

#include "server/server.h"

struct pn_live_opts {
    uint64_t unused_session_lifetime_ms; /* default 15000 (panel) */
    uint64_t check_unused_sessions_ms;   /* sweep period. default 17000 (panel) */
    uint64_t token_expiration_s;         /* default 300 (panel) */
    size_t max_unused_sessions;          /* sessions without a socket, per loop. default 10000 */
    const char *prefix; /* what URLs in its pages start with: --root-path and --prefix */
    struct pn_token_key key;
    struct pn_ws_opts ws; /* max_message default 20 MiB, ping every 37 s (panel's keep-alive) */
};
void pn__live_opts_default(struct pn_live_opts *o);

struct pn_live {
    pn_session *s;
    uint64_t sid;
    struct pn_app *app;
    struct pn_live_table *tab;
    struct pn_ws *ws;         /* the attached socket, or NULL */
    struct wsconn *wc;        /* its connection state */
    uint64_t idle_since;      /* uv_now when it last had no socket */
    unsigned refs;            /* the table's (until destroyed), one per open timer handle, one
                                 per app callback running: freed at 0 (pn__live_unref) */
    bool destroying;
    bool connected_once; /* a socket has attached: its timers run */
    bool data_behind;    /* data held back while the socket was behind (sent on its drain) */
    struct pn_live *hnext;
    struct pn_live *uprev, *unext; /* the table's unused list, while it has no socket */
    struct pn_timer *timers; /* timers.c */
    struct pn_feed_bind *binds; /* feeds.c: the feeds its nodes show */
    size_t nbinds;
    char token[PN_TOKEN_LEN + 1];
};

/* --num-threads: moves a socket whose hello names a session of loop `to` there (server.c).
 * Returns true if the socket left (it is closed here, on_close follows). */
typedef bool (*pn_live_route_fn)(void *ud, unsigned to, struct pn_app *app, const char *user,
                                 struct pn_ws *ws, const char *hello, size_t len);

struct pn_live_table {
    uv_loop_t *loop;
    unsigned loop_index; /* the low byte of every sid made here (--num-threads routing) */
    unsigned group;      /* the next byte: the process's number for this group of loops */
    unsigned nloops;     /* loops of the process (1 unless linked) */
    pn_live_route_fn route;
    void *route_ud;
    struct pn_live_opts opts;
    const struct pn_live_opts *o; /* &opts */
    bool closing, sweep_closed; /* freed once both closed and no socket is left */
    struct pn_live **buckets;
    size_t nbuckets, count;
    uv_timer_t sweep;
    size_t sockets;                       /* open WebSockets */
    /* sessions without a socket, oldest first (so by idle_since): the sweep ends them from the
     * head, and past max_unused_sessions the oldest is dropped */
    struct pn_live *unused_head, *unused_tail;
    size_t unused;
    uint64_t created, destroyed, resumed, dropped; /* counters */
    uint64_t feed_sent, feed_delay[PN_HIST_BUCKETS]; /* value feed patches: publish -> write */
    char *dev_msg; /* --dev: the current {"t":"dev"} message with an error, sent after each doc;
                      NULL: none (dev.c) */
    size_t dev_len;
    /* feeds shown by this loop's sessions (feeds.c): a publish anywhere wakes the loop, which
     * sends each of those sessions what is new */
    struct feed_sub *feeds;
    uv_async_t feed_wake;
    bool feed_wake_closed;
};

struct pn_live_table *pn__live_table_new(uv_loop_t *loop, const struct pn_live_opts *o);
/* Destroys every session (closing their sockets) and stops the sweep; the table frees itself
 * once its last socket has closed. */
void pn__live_table_free(struct pn_live_table *t);
/* Creates a session for a page, runs the app's pn_app on it and registers it as waiting for
 * its socket (which may drop the oldest such session, see --max-unused-sessions). user: the
 * logged-in user (--basic-auth) or NULL; only a socket of the same user resumes it. */
struct pn_live *pn__live_create(struct pn_live_table *t, struct pn_app *app, pn_str query,
                                const pn_request *req, const char *user);
/* --reuse-sessions warm: the cookie a cached page names its session with, for its socket. */
#define PN_WARM_COOKIE "pane_warm"
/* --reuse-sessions warm: a session made in two steps, so that its token can go out with the
 * cached page before its pn_app runs (without the request: what it reads is its query). */
struct pn_live *pn__live_open(struct pn_live_table *t, struct pn_app *app, pn_str query,
                              const char *user);
void pn__live_build(struct pn_live *live);
struct pn_live *pn__live_find(struct pn_live_table *t, uint64_t sid);
/* The loop a session id was made on. */
static inline unsigned pn__sid_loop(uint64_t sid)
{
    return (unsigned)(sid & 0xff);
}
/* Ends a session: its destroy hooks run, its timers' handles close, its socket (if the server
 * stops) closes and it leaves the table; its memory is freed once the last of its handles'
 * close callbacks has run (see pn__live_ref). */
void pn__live_destroy(struct pn_live *live);
/* Runs a post on this loop (the session of p->sid, or every session of p->app) and frees p. */
void pn__live_post(struct pn_live_table *t, struct pn_post *p);
/* References on a session's memory (struct pn_live and its pn_session): every open uv handle
 * the session owns holds one, dropped in the handle's close callback. */
void pn__live_ref(struct pn_live *live);
void pn__live_unref(struct pn_live *live);
/* Bracket every app callback on a live session: the session stays allocated during it, the
 * callback's scratch memory is freed after it, and what it changed goes out as a patch. */
void pn__live_run_begin(struct pn_live *live);
void pn__live_run_end(struct pn_live *live);

/* Sends the data (a Plot's points) the client has not got, in one binary message: what is new,
 * or the whole window of a node whose client missed some (mode: PN_DATA_*). While the socket
 * is behind (more than PN_DATA_BEHIND bytes queued) nothing is sent and the socket's drain
 * sends it later, as whole windows: a slow client never makes a backlog. */
#define PN_DATA_BEHIND (1u << 20)
void pn__live_flush_data(struct pn_live *live, int mode);
/* A message that could not be made (rc): logged, told to the client, the socket closed. */
void pn__live_send_failed(struct pn_live *live, const char *what, int rc);

/* feeds.c: the loop's subscriptions to the feeds its sessions show. pn__feeds_session lets a
 * new session's nodes bind; pn__feeds_leave unbinds an ending one; pn__feeds_attached notes
 * that a doc showing the feeds' current values is about to be sent; pn__feeds_drained sends
 * the values held back while the socket was behind. init and fini (closed: the wake handle's
 * close callback) bracket the table. */
void pn__feeds_session(struct pn_live *live);
void pn__feeds_leave(struct pn_live *live);
void pn__feeds_attached(struct pn_live *live);
void pn__feeds_drained(struct pn_live *live);
void pn__feeds_init(struct pn_live_table *t);
void pn__feeds_fini(struct pn_live_table *t, uv_close_cb closed);

/* timers.c: starts the timers made before the first socket; closes every timer handle (at
 * destroy: the records are freed in their close callbacks). */
void pn__timers_start(struct pn_live *live);
void pn__timers_close(struct pn_live *live);
/* Upgrades r on c to a WebSocket of app's sessions (the origin and the login were checked by
 * the caller; user: who logged in, or NULL). On a bad handshake net has already responded;
 * returns its error. */
int pn__live_accept(struct pn_live_table *t, struct pn_app *app, const char *user,
                    struct pn_http_conn *c, const struct pn_http_req *r);
/* Takes over a socket of app's sessions that another loop routed here after its hello
 * (pn__ws_detach): adopts fd into http (rest: what the peer sent after the hello) and handles
 * the hello as if it had come here. Thread: t's loop. */
void pn__live_adopt(struct pn_live_table *t, struct pn_http_server *http, struct pn_app *app,
                    const char *user, struct pn_net_sock *sock, const char *rest, size_t rest_len, const char *hello,
                    size_t len);

/* Sends msg (a text message) to every session of the table that has a socket. */
void pn__live_broadcast(struct pn_live_table *t, const char *msg, size_t len);

#endif
