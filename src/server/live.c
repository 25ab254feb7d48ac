/*
 * live: live sessions. Each loop has a table of the sessions it runs (keyed by a random
 * 64-bit id that the page's signed token names). A session is created for a page request or,
 * for a page that carried no usable token, for a socket's hello; a socket attaches to it,
 * events go to the app's callbacks and what they change goes back as patches. A session with
 * no socket is destroyed by the sweep once --unused-session-lifetime has passed, so a reload
 * within it resumes the same session.
 *
 * Sessions without a socket are also bounded in number (--max-unused-sessions): a page whose
 * socket never comes (a crawler, curl, a flood) must not hold memory for the whole lifetime at
 * any request rate. Past the bound the oldest is dropped; a socket that comes for it later gets a
 * new session (hello with an unknown token), so a slow visitor still gets a live page. And a
 * session's timers start when its first socket attaches: until someone watches, it costs no
 * CPU and no timer-heap operations.
 *
 * Everything here runs on the session's loop; app callbacks run one at a time per session
 * (a loop runs one callback at a time), and a patch is flushed right after each one.
 *
 * A session's timers are in timers.c. Its memory (struct pn_live and its pn_session) is
 * reference-counted: the table holds it until pn__live_destroy, each open timer handle until
 * its close callback, each running app callback until it returns. So destroying a session
 * ends it at once, and frees it only after libuv has let go of its last handle.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <time.h>

#include "base/record.h"
#include "server/live.h"

#define HELLO_TIMEOUT_MS 10000
#define RATE_WINDOW_MS 1000
#define RATE_MAX 100

/* One WebSocket: before hello it has no session. */
struct wsconn {
    struct pn_ws *ws;
    struct pn_live_table *tab;
    struct pn_app *app;
    char *user;                  /* who logged in (--basic-auth), or NULL */
    char warm[PN_TOKEN_LEN + 1]; /* --reuse-sessions warm: the token of the session made with
                                    its cached page (the upgrade's cookie), or "" */
    struct pn_live *live;
    uv_timer_t hello_timer;
    uint64_t rate_start;
    unsigned rate_count;
};

/* ---- the table ---- */

static size_t bucket_of(const struct pn_live_table *t, uint64_t sid)
{
    return (size_t)((sid * 0x9e3779b97f4a7c15ull) >> 32) & (t->nbuckets - 1);
}

static void table_grow(struct pn_live_table *t)
{
    size_t n = t->nbuckets ? t->nbuckets * 2 : 64;
    struct pn_live **b = pn__xcalloc(n, sizeof *b);
    for (size_t i = 0; i < t->nbuckets; i++)
        for (struct pn_live *l = t->buckets[i], *next; l; l = next) {
            next = l->hnext;
            size_t k = (size_t)((l->sid * 0x9e3779b97f4a7c15ull) >> 32) & (n - 1);
            l->hnext = b[k];
            b[k] = l;
        }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
}

struct pn_live *pn__live_find(struct pn_live_table *t, uint64_t sid)
{
    if (!t->nbuckets)
        return NULL;
    for (struct pn_live *l = t->buckets[bucket_of(t, sid)]; l; l = l->hnext)
        if (l->sid == sid)
            return l;
    return NULL;
}

static void table_remove(struct pn_live_table *t, struct pn_live *live)
{
    struct pn_live **pp = &t->buckets[bucket_of(t, live->sid)];
    while (*pp && *pp != live)
        pp = &(*pp)->hnext;
    if (*pp) {
        *pp = live->hnext;
        t->count--;
    }
}

/* The unused list: appended when a session loses (or never had) its socket, so it stays in
 * idle_since order. */
static void unused_add(struct pn_live_table *t, struct pn_live *live)
{
    live->unext = NULL;
    live->uprev = t->unused_tail;
    if (t->unused_tail)
        t->unused_tail->unext = live;
    else
        t->unused_head = live;
    t->unused_tail = live;
    t->unused++;
}

static void unused_remove(struct pn_live_table *t, struct pn_live *live)
{
    if (!live->uprev && t->unused_head != live)
        return; /* not listed */
    if (live->uprev)
        live->uprev->unext = live->unext;
    else
        t->unused_head = live->unext;
    if (live->unext)
        live->unext->uprev = live->uprev;
    else
        t->unused_tail = live->uprev;
    live->uprev = live->unext = NULL;
    t->unused--;
}

/* Drops the oldest sessions without a socket while there are more than the bound. */
static void unused_bound(struct pn_live_table *t)
{
    while (t->unused > t->o->max_unused_sessions && t->unused_head) {
        if (!t->dropped)
            pn__warn("more than %zu sessions without a socket (pages whose socket has not come): "
                     "dropping the oldest; a socket that comes for one gets a new session "
                     "(--max-unused-sessions)",
                     t->o->max_unused_sessions);
        t->dropped++;
        pn__live_destroy(t->unused_head);
    }
}

/* ---- sending ---- */

static void send_owned(struct pn_ws *ws, char *msg, size_t len)
{
    if (ws && msg)
        pn__ws_send(ws, msg, len);
    free(msg);
}

static void send_error(struct pn_ws *ws, const char *code, const char *msg, uint32_t id)
{
    size_t len;
    char *m = pn__msg_error(code, msg, id, &len);
    send_owned(ws, m, len);
}

/* A doc or patch that cannot be sent (over PN_MAX_DOC, or a value jansson refused): logged
 * with the app, told to the client (which shows it and does not retry) and the socket closed. */
static void send_failed(struct pn_live *live, struct pn_ws *ws, const char *what, int rc)
{
    if (rc == PN_ETOOBIG) {
        pn__error("app %s: its live %s is larger than %u MiB: not sent, socket closed %d (%s)",
                  live->app->name, what, PN_MAX_DOC >> 20, PN_CLOSE_TOO_BIG, pn__ws_peer(ws));
        send_error(ws, "too-big", "this page is too large to stay live", 0);
        pn__ws_close(ws, PN_CLOSE_TOO_BIG, "document too large");
    } else {
        pn__error("app %s: its live %s could not be encoded (%s): socket closed 1011 (%s)",
                  live->app->name, what, pn__strerror(rc), pn__ws_peer(ws));
        send_error(ws, "internal", "the server could not encode this page", 0);
        pn__ws_close(ws, 1011, "cannot encode");
    }
}

void pn__live_send_failed(struct pn_live *live, const char *what, int rc)
{
    send_failed(live, live->ws, what, rc);
}

void pn__live_flush_data(struct pn_live *live, int mode)
{
    if (!live->s->data_nodes || !live->ws)
        return;
    if (mode == PN_DATA_SEND && pn__ws_outbuf(live->ws) > PN_DATA_BEHIND) {
        live->data_behind = true;
        pn__ws_want_drain(live->ws);
        return;
    }
    struct pn_buf bin;
    pn__buf_init(&bin, PN_MAX_DOC);
    int rc = pn__doc_data(live->s, mode, &bin);
    if (rc)
        send_failed(live, live->ws, "data", rc);
    else if (bin.len)
        pn__ws_send_binary(live->ws, bin.data, bin.len);
    pn__buf_fini(&bin);
}

/* Sends what the last callback changed (or forgets it when no socket listens). */
static void flush(struct pn_live *live)
{
    if (live->destroying)
        return;
    if (!live->ws) {
        pn__session_clear_dirty(live->s);
        return;
    }
    size_t len;
    char *m;
    int rc = pn__msg_patch(live->s, PN_MAX_DOC, &m, &len);
    if (rc) {
        send_failed(live, live->ws, "patch", rc);
        return;
    }
    send_owned(live->ws, m, len);
    if (!live->data_behind && live->ws)
        pn__live_flush_data(live, PN_DATA_SEND);
}

/* ---- sessions ---- */

/* for_page: the session waits for its page's socket (listed as unused, bounded); otherwise a
 * socket attaches right away. */
/* A session in the table with its token and an empty document: build runs its pn_app. */
static struct pn_live *open_session(struct pn_live_table *t, struct pn_app *app, pn_str query,
                                    const pn_request *req, const char *user, bool for_page)
{
    struct pn_live *live = pn__xcalloc(1, sizeof *live);
    live->refs = 1; /* the table's, dropped by pn__live_destroy */
    do
        live->sid =
            (pn__random_u64() & ~(uint64_t)0xffff) | (uint64_t)t->group << 8 | t->loop_index;
    while ((live->sid >> 16) == 0 || pn__live_find(t, live->sid));
    live->tab = t;
    live->app = app;
    live->idle_since = uv_now(t->loop);
    pn__token_make(&t->o->key, live->sid, (uint64_t)time(NULL) + t->o->token_expiration_s,
                   live->token);
    live->s = pn__session_new(&(struct pn_session_init){
        .app_name = app->name, .prefix = t->o->prefix, .query = query, .req = req, .user = user});
    live->s->live = live;
    pn__feeds_session(live);
    if (t->count + 1 > t->nbuckets)
        table_grow(t);
    size_t b = bucket_of(t, live->sid);
    live->hnext = t->buckets[b];
    t->buckets[b] = live;
    t->count++;
    t->created++;
    if (for_page)
        unused_add(t, live);
    return live;
}

static void build(struct pn_live *live, const pn_request *req, bool for_page)
{
    struct pn_live_table *t = live->tab;
    struct pn_app *app = live->app;
    if (req)
        pn__entry_enter(PN_ENTRY_APP, app->name, 0, "request \"%.*s %.*s\"",
                        (int)req->http->method_name.len, req->http->method_name.ptr,
                        (int)req->http->url.len, req->http->url.ptr);
    else
        pn__entry_enter(PN_ENTRY_APP, app->name, 0, "session %016llx",
                        (unsigned long long)live->sid);
    app->build(live->s);
    pn__entry_leave();
    live->s->req = NULL;
    pn__session_clear_dirty(live->s); /* the first render shows everything */
    if (for_page)
        unused_bound(t); /* after build: the new session is the newest, never the one dropped */
}

static struct pn_live *create(struct pn_live_table *t, struct pn_app *app, pn_str query,
                              const pn_request *req, const char *user, bool for_page)
{
    struct pn_live *live = open_session(t, app, query, req, user, for_page);
    build(live, req, for_page);
    return live;
}

struct pn_live *pn__live_open(struct pn_live_table *t, struct pn_app *app, pn_str query,
                              const char *user)
{
    return open_session(t, app, query, NULL, user, true);
}

void pn__live_build(struct pn_live *live)
{
    if (live->tab && !live->destroying)
        build(live, NULL, true);
}

struct pn_live *pn__live_create(struct pn_live_table *t, struct pn_app *app, pn_str query,
                                const pn_request *req, const char *user)
{
    return create(t, app, query, req, user, true);
}

/* ---- the session's memory: freed after its last handle's close callback ---- */

void pn__live_ref(struct pn_live *live)
{
    live->refs++;
}

void pn__live_unref(struct pn_live *live)
{
    if (--live->refs == 0) {
        pn__session_free(live->s); /* its hooks ran in pn__live_destroy */
        free(live);
    }
}

void pn__live_run_begin(struct pn_live *live)
{
    pn__live_ref(live);
    pn__session_enter(live->s);
}

void pn__live_run_end(struct pn_live *live)
{
    pn__session_leave(live->s);
    flush(live);
    pn__live_unref(live);
}

/* Ends the session now (hooks, timers, socket, table); its memory goes with the last
 * reference: at once when no handle is open and no callback runs on it, else later. Nothing
 * after this touches the table. */
void pn__live_destroy(struct pn_live *live)
{
    if (live->destroying)
        return;
    live->destroying = true;
    pn__entry_enter(PN_ENTRY_DESTROY, live->app->name, 0, "session %016llx",
                    (unsigned long long)live->sid);
    pn__session_end(live->s); /* hooks first: they may still cancel their timers */
    pn__entry_leave();
    pn__timers_close(live);
    pn__feeds_leave(live);
    if (live->wc) { /* the server is stopping: let the socket go */
        live->wc->live = NULL;
        pn__ws_close(live->ws, 1001, "server stopping");
    }
    live->ws = NULL;
    live->wc = NULL;
    table_remove(live->tab, live);
    unused_remove(live->tab, live);
    live->tab->destroyed++;
    live->tab = NULL;
    pn__live_unref(live); /* the table's reference */
}

/* Attaches a socket; the session stops counting as unused, and its timers start on the first. */
static void attach(struct pn_live *live, struct wsconn *wc)
{
    unused_remove(live->tab, live);
    live->ws = wc->ws;
    live->wc = wc;
    wc->live = live;
    if (!live->connected_once) {
        live->connected_once = true;
        pn__timers_start(live);
    }
    size_t len;
    char *doc;
    pn__feeds_attached(live); /* before the doc is made: it shows at least those versions */
    int rc = pn__msg_doc(live->s, live->token, PN_MAX_DOC, &doc, &len);
    if (rc) {
        send_failed(live, wc->ws, "document", rc);
        return;
    }
    send_owned(wc->ws, doc, len);
    if (live->tab->dev_msg) /* --dev: the last compile failed; the page shows why */
        pn__ws_send(wc->ws, live->tab->dev_msg, live->tab->dev_len);
    live->data_behind = false;
    pn__live_flush_data(live,
                        PN_DATA_SNAPSHOT); /* the doc's plots have their SVG; now their data */
}

void pn__live_broadcast(struct pn_live_table *t, const char *msg, size_t len)
{
    for (size_t i = 0; i < t->nbuckets; i++)
        for (struct pn_live *l = t->buckets[i]; l; l = l->hnext)
            if (l->ws && !l->destroying)
                pn__ws_send(l->ws, msg, len);
}

/* ---- the WebSocket side ---- */

static void on_hello_timeout(uv_timer_t *t)
{
    struct wsconn *wc = t->data;
    if (!wc->live) {
        send_error(wc->ws, "bad-message", "no hello within 10 s", 0);
        pn__ws_close(wc->ws, 1008, "no hello");
    }
}

/* A hello like m's with token in it (heap), for the loop the token's session is on. */
static char *hello_with_token(const struct pn_msg *m, pn_str token)
{
    json_t *h =
        json_pack("{s:s, s:I, s:s#, s:s#}", "t", "hello", "v", (json_int_t)m->version, "token",
                  token.ptr, token.len, "query", m->query.ptr ? m->query.ptr : "", m->query.len);
    char *out = h ? json_dumps(h, JSON_COMPACT) : NULL;
    json_decref(h);
    return out;
}

static void handle_hello(struct wsconn *wc, const struct pn_msg *m, const char *raw, size_t rawlen)
{
    struct pn_live_table *t = wc->tab;
    if (wc->live) {
        send_error(wc->ws, "bad-message", "hello was already sent", 0);
        return;
    }
    if (m->version != PN_PROTOCOL_VERSION) {
        send_error(wc->ws, "version",
                   "this server speaks protocol version " PN_STR_OF(PN_PROTOCOL_VERSION), 0);
        pn__ws_close(wc->ws, 1008, "protocol version");
        return;
    }
    uv_timer_stop(&wc->hello_timer);
    /* a cached page's hello has no token; its session, made while the page loaded, is named
     * by the page's cookie (--reuse-sessions warm) */
    pn_str token = m->token;
    bool warm = !token.ptr && wc->warm[0];
    if (warm)
        token = (pn_str){wc->warm, strlen(wc->warm)};
    if (token.ptr) {
        uint64_t sid = 0;
        int rc = pn__token_check(&t->o->key, token, (uint64_t)time(NULL), &sid);
        if (rc != 0 && warm)
            goto fresh; /* a stale cookie: its page is not this one */
        if (rc == PN_ETIMEDOUT) {
            send_error(wc->ws, "expired-token", "the session token has expired; reload", 0);
            pn__ws_close(wc->ws, 1008, "expired token");
            return;
        }
        if (rc != 0) {
            pn__info("%s: a page from before pane was restarted, or from a process with "
                     "another --secret-key (its session token is signed with another key; "
                     "without --secret-key each start makes a new one): it gets a fresh session",
                     pn__ws_peer(wc->ws));
            send_error(wc->ws, "bad-token", "invalid session token", 0);
            pn__ws_close(wc->ws, 1008, "bad token");
            return;
        }
        /* a session of another loop (a page from the reuse cache names no loop, so its socket
         * lands on any): the socket goes there, with this hello */
        unsigned owner = pn__sid_loop(sid);
        if (owner != t->loop_index && owner < t->nloops && t->route) {
            char *with = warm ? hello_with_token(m, token) : NULL; /* the cookie's, in it */
            bool routed = t->route(t->route_ud, owner, wc->app, wc->user, wc->ws, with ? with : raw,
                                   with ? strlen(with) : rawlen);
            free(with);
            if (routed)
                return;
        }
        struct pn_live *live = pn__live_find(t, sid);
        /* resume only a session of this app that no other socket holds, made for the same
         * user: a copied token (a duplicated tab, a replay, another user's page) gets a
         * session of its own instead */
        bool same_user = !live || (live->s->user && wc->user ? !strcmp(live->s->user, wc->user)
                                                             : live->s->user == wc->user);
        if (live && !live->ws && live->app == wc->app && !live->destroying && same_user) {
            t->resumed++;
            attach(live, wc);
            return;
        }
    }
fresh:;
    struct pn_live *live = create(t, wc->app, m->query, NULL, wc->user, false);
    attach(live, wc);
}

static void handle_event(struct wsconn *wc, const struct pn_msg *m)
{
    struct pn_live *live = wc->live;
    if (!live) {
        send_error(wc->ws, "no-session", "send hello first", m->id);
        return;
    }
    pn_node *n = pn__session_find(live->s, m->id);
    if (!n) {
        send_error(wc->ws, "unknown-id", "no component with this id", m->id);
        return;
    }
    struct pn_call call;
    const char *why = NULL;
    const char *code = pn__node_event(n, m->prop, &m->value, &call, &why);
    if (code) {
        send_error(wc->ws, code, why, m->id);
        return;
    }
    pn_callback cb = call.fn;
    void *arg = call.arg;
    pn__live_run_begin(live);
    if (cb) {
        pn__entry_enter(PN_ENTRY_CALLBACK, live->app->name, n->id, "session %016llx",
                        (unsigned long long)live->sid);
        cb(live->s, n, arg);
        pn__entry_leave();
    }
    pn__live_run_end(live);
}

static void on_ws_message(struct pn_ws *ws, const char *data, size_t len, void *ud)
{
    struct wsconn *wc = ud;
    uint64_t now = uv_now(wc->tab->loop);
    if (now - wc->rate_start >= RATE_WINDOW_MS) {
        wc->rate_start = now;
        wc->rate_count = 0;
    }
    if (++wc->rate_count > RATE_MAX) {
        pn__info("%s: more than %d messages a second, closing", pn__ws_peer(ws), RATE_MAX);
        send_error(ws, "rate", "too many messages", 0);
        pn__ws_close(ws, 1008, "message rate");
        return;
    }
    struct pn_msg m;
    const char *why = NULL;
    if (pn__msg_parse(data, len, &m, &why) != 0) {
        send_error(ws, "bad-message", why, 0);
        pn__msg_free(&m);
        return;
    }
    switch (m.type) {
    case PN_MSG_HELLO:
        handle_hello(wc, &m, data, len);
        break;
    case PN_MSG_EVENT:
        handle_event(wc, &m);
        break;
    case PN_MSG_PING: {
        size_t n;
        char *pong = pn__msg_pong(m.ping, &n);
        send_owned(ws, pong, n);
        break;
    }
    }
    pn__msg_free(&m);
}

static void on_wsconn_timer_closed(uv_handle_t *h)
{
    struct wsconn *wc = h->data;
    free(wc->user);
    free(wc);
}

static void table_release(struct pn_live_table *t);

static void on_ws_close(struct pn_ws *ws, uint16_t code, void *ud)
{
    (void)ws;
    (void)code;
    struct wsconn *wc = ud;
    if (wc->live) {
        wc->live->ws = NULL;
        wc->live->wc = NULL;
        wc->live->idle_since = uv_now(wc->tab->loop);
        unused_add(wc->tab, wc->live);
        unused_bound(wc->tab);
    }
    struct pn_live_table *t = wc->tab;
    t->sockets--;
    uv_close((uv_handle_t *)&wc->hello_timer, on_wsconn_timer_closed);
    table_release(t);
}

/* The socket wrote everything it had queued: send the data held back while it was behind. */
static void on_ws_drain(struct pn_ws *ws, void *ud)
{
    (void)ws;
    struct wsconn *wc = ud;
    struct pn_live *live = wc->live;
    if (live && live->data_behind && !live->destroying) {
        live->data_behind = false;
        pn__live_flush_data(live, PN_DATA_SEND);
        pn__feeds_drained(live);
    }
}

static const struct pn_ws_handler ws_handler = {on_ws_message, on_ws_close, on_ws_drain};

static bool take_warm(void *ud, pn_str value)
{
    struct wsconn *wc = ud;
    if (value.len == PN_TOKEN_LEN) {
        memcpy(wc->warm, value.ptr, value.len);
        wc->warm[value.len] = '\0';
    }
    return true; /* the first is the most specific path's */
}

int pn__live_accept(struct pn_live_table *t, struct pn_app *app, const char *user,
                    struct pn_http_conn *c, const struct pn_http_req *r)
{
    struct wsconn *wc = pn__xcalloc(1, sizeof *wc);
    wc->tab = t;
    wc->app = app;
    wc->user = user ? pn__xstrdup(user) : NULL;
    pn__cookie_each(r, PN_WARM_COOKIE, take_warm, wc);
    int rc = pn__ws_upgrade(c, r, &t->o->ws, &ws_handler, wc, &wc->ws);
    if (rc != 0) {
        free(wc->user);
        free(wc);
        return rc;
    }
    t->sockets++;
    uv_timer_init(t->loop, &wc->hello_timer);
    wc->hello_timer.data = wc;
    uv_timer_start(&wc->hello_timer, on_hello_timeout, HELLO_TIMEOUT_MS, 0);
    return 0;
}

void pn__live_adopt(struct pn_live_table *t, struct pn_http_server *http, struct pn_app *app,
                    const char *user, struct pn_net_sock *sock, const char *rest, size_t rest_len,
                    const char *hello, size_t len)
{
    struct wsconn *wc = pn__xcalloc(1, sizeof *wc);
    wc->tab = t;
    wc->app = app;
    wc->user = user ? pn__xstrdup(user) : NULL;
    if (pn__ws_adopt(http, sock, rest, rest_len, &t->o->ws, &ws_handler, wc, &wc->ws) != 0) {
        free(wc->user);
        free(wc);
        return;
    }
    t->sockets++;
    uv_timer_init(t->loop, &wc->hello_timer);
    wc->hello_timer.data = wc;
    on_ws_message(wc->ws, hello, len, wc);
}

/* ---- the table's life ---- */

static void on_sweep(uv_timer_t *timer)
{
    struct pn_live_table *t = timer->data;
    uint64_t now = uv_now(t->loop);
    while (t->unused_head && now - t->unused_head->idle_since >= t->o->unused_session_lifetime_ms)
        pn__live_destroy(t->unused_head);
}

struct pn_live_table *pn__live_table_new(uv_loop_t *loop, const struct pn_live_opts *o)
{
    struct pn_live_table *t = pn__xcalloc(1, sizeof *t);
    t->loop = loop;
    t->opts = *o;
    t->o = &t->opts;
    table_grow(t);
    uv_timer_init(loop, &t->sweep);
    t->sweep.data = t;
    uv_timer_start(&t->sweep, on_sweep, o->check_unused_sessions_ms, o->check_unused_sessions_ms);
    pn__feeds_init(t);
    return t;
}

static void table_release(struct pn_live_table *t)
{
    if (t->closing && t->sweep_closed && t->feed_wake_closed && t->sockets == 0) {
        pn__token_key_fini(&t->opts.key);
        free(t->buckets);
        free(t->dev_msg);
        free(t);
    }
}

static void on_sweep_closed(uv_handle_t *h)
{
    struct pn_live_table *t = h->data;
    t->sweep_closed = true;
    table_release(t);
}

static void on_feed_wake_closed(uv_handle_t *h)
{
    struct pn_live_table *t = h->data;
    t->feed_wake_closed = true;
    table_release(t);
}

void pn__live_table_free(struct pn_live_table *t)
{
    t->closing = true;
    for (size_t b = 0; b < t->nbuckets; b++)
        while (t->buckets[b])
            pn__live_destroy(t->buckets[b]);
    uv_close((uv_handle_t *)&t->sweep, on_sweep_closed);
    pn__feeds_fini(t, on_feed_wake_closed);
}

void pn__live_opts_default(struct pn_live_opts *o)
{
    if (!o->unused_session_lifetime_ms)
        o->unused_session_lifetime_ms = 15000; /* panel's defaults */
    if (!o->check_unused_sessions_ms)
        o->check_unused_sessions_ms = 17000;
    if (!o->token_expiration_s)
        o->token_expiration_s = 300;
    if (!o->max_unused_sessions)
        o->max_unused_sessions = 10000;
    if (!o->ws.max_message)
        o->ws.max_message = 20u << 20;
    if (!o->ws.max_outbuf) /* one whole doc (PN_MAX_DOC) and 1 MiB of what follows it */
        o->ws.max_outbuf = PN_MAX_DOC + (1u << 20);
    if (!o->ws.ping_interval_ms)
        o->ws.ping_interval_ms = 37000;
}

/* ---- posts (pn_post, pn_post_app) ---- */

pn_session_id pn_session_id_of(pn_session *s)
{
    struct pn_live *live = s ? s->live : NULL;
    return live ? live->sid : 0;
}

static void run_post(struct pn_live *live, const struct pn_post *p)
{
    pn__live_run_begin(live);
    pn__entry_enter(PN_ENTRY_POST, live->app->name, 0, "session %016llx",
                    (unsigned long long)live->sid);
    p->fn(live->s, p->data);
    pn__entry_leave();
    pn__live_run_end(live);
}

void pn__post_all_release(struct pn_post_all *all)
{
    if (atomic_fetch_sub(&all->left, 1) == 1) {
        if (all->done)
            all->done(all->data);
        free(all);
    }
}

void pn__post_drop(struct pn_post *p)
{
    if (p->all) {
        pn__post_all_release(p->all);
    } else if (p->fallback) {
        p->fallback(p->data);
    }
    free(p);
}

void pn__live_post(struct pn_live_table *t, struct pn_post *p)
{
    if (!p->app) {
        struct pn_live *live = pn__live_find(t, p->sid);
        if (!live || live->destroying) {
            pn__post_drop(p); /* ended: its fallback */
            return;
        }
        run_post(live, p);
        free(p);
        return;
    }
    /* every session of the app, collected first and held: the table is not walked while app
     * code runs */
    size_t n = 0, cap = 0;
    struct pn_live **all = NULL;
    for (size_t b = 0; b < t->nbuckets; b++)
        for (struct pn_live *l = t->buckets[b]; l; l = l->hnext)
            if (!l->destroying && !strcmp(l->app->name, p->app)) {
                if (n == cap)
                    all = pn__xrealloc(all, (cap = cap ? cap * 2 : 16) * sizeof *all);
                pn__live_ref(all[n++] = l);
            }
    for (size_t i = 0; i < n; i++) {
        if (!all[i]->destroying)
            run_post(all[i], p);
        pn__live_unref(all[i]);
    }
    free(all);
    p->fallback = NULL;
    pn__post_drop(p); /* counts this loop off */
}
