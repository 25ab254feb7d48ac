/*
 * loops: the servers of one process's loops (--num-threads) as a group. A connection that
 * belongs to another loop (a socket whose URL or hello names a session there) is handed over
 * through that server's inbox; a stop or a graceful shutdown is asked for from any thread the
 * same way. The inbox is under the server's mutex, and the wake handle is closed only after
 * the inbox is: whoever holds the mutex while the box is open may still wake the loop.
 */
#include <stdlib.h>
#include <unistd.h>

#include "server/internal.h"

static void handoff_free(struct handoff *h)
{
    free(h->bytes);
    free(h->hello);
    free(h->user);
    free(h);
}

/* Puts h into the inbox of loop `to` and wakes it; closes the connection if that loop is
 * stopping (the process is going down). Thread: any loop of the group. */
static void post(struct pn_server *srv, int to, struct handoff *h)
{
    struct pn_server *dst = srv->group->srv[to];
    uv_mutex_lock(&dst->mu);
    bool open = dst->box_open;
    if (open) {
        h->next = dst->inbox;
        dst->inbox = h;
        uv_async_send(&dst->wake); /* under mu: dst closes wake only after closing its box */
    }
    uv_mutex_unlock(&dst->mu);
    if (!open) {
        pn__net_sock_close(&h->sock);
        handoff_free(h);
    }
}

void pn__loops_hand_over(struct pn_server *srv, struct pn_http_conn *c, int to)
{
    struct handoff *h = pn__xcalloc(1, sizeof *h);
    const char *peer = pn__http_conn_peer(c);
    pn__debug("%s: WebSocket handed from loop %d to loop %d", peer, srv->index, to);
    if (pn__http_conn_detach(c, &h->sock, &h->bytes, &h->len) != 0) {
        free(h);
        pn__http_respond_text(c, 503, NULL);
        return;
    }
    post(srv, to, h);
}

/* The live table's route (pn_live_route_fn): a socket whose hello names a session of loop
 * `to` moves there with the hello, whatever URL it came by (a cached page names no loop). */
static bool route_ws(void *ud, unsigned to, struct pn_app *app, const char *user, struct pn_ws *ws,
                     const char *hello, size_t len)
{
    struct pn_server *srv = ud;
    if ((int)to >= srv->npeers || (int)to == srv->index)
        return false;
    struct handoff *h = pn__xcalloc(1, sizeof *h);
    pn__debug("%s: WebSocket handed from loop %d to loop %u after its hello", pn__ws_peer(ws),
              srv->index, to);
    if (pn__ws_detach(ws, &h->sock, &h->bytes, &h->len) != 0) {
        free(h);
        return false; /* a session of its own here */
    }
    h->hello = pn__xmalloc(len + 1);
    memcpy(h->hello, hello, len);
    h->hello[len] = '\0';
    h->hello_len = len;
    h->app = app;
    h->user = user ? pn__xstrdup(user) : NULL; /* the login goes with the socket */
    post(srv, (int)to, h);
    return true;
}

static void on_wake_closed(uv_handle_t *h)
{
    struct pn_server *srv = h->data;
    struct pn_server_group *g = srv->group;
    if (!g) {
        uv_mutex_destroy(&srv->mu);
        free(srv);
        return;
    }
    /* the last of the group: no loop can reach any of its servers any more */
    if (atomic_fetch_sub(&g->refs, 1) != 1)
        return;
    for (int i = 0; i < g->n; i++) {
        uv_mutex_destroy(&g->srv[i]->mu);
        free(g->srv[i]);
    }
    free(g);
}

static void on_wake(uv_async_t *a)
{
    struct pn_server *srv = a->data;
    uv_mutex_lock(&srv->mu);
    struct handoff *list = srv->inbox;
    srv->inbox = NULL;
    bool stop = srv->stop_requested, drain = srv->drain_requested;
    struct pn_post *posts = srv->posts;
    srv->posts = NULL;
    srv->posts_tail = &srv->posts;
    uv_mutex_unlock(&srv->mu);
    for (struct pn_post *p = posts, *next; p; p = next) {
        next = p->next;
        if (srv->stopped)
            pn__post_drop(p);
        else
            pn__post_run(srv, p);
    }
    for (struct handoff *h = list, *next; h; h = next) {
        next = h->next;
        if (srv->stopped)
            pn__net_sock_close(&h->sock);
        else if (h->hello)
            pn__live_adopt(srv->live, srv->http, h->app, h->user, &h->sock, h->bytes, h->len, h->hello,
                           h->hello_len);
        else
            pn__http_server_adopt(srv->http, &h->sock, h->bytes, h->len);
        handoff_free(h);
    }
    if (stop)
        pn__server_stop(srv);
    else if (drain)
        pn__server_shutdown(srv);
}

void pn__loops_init(struct pn_server *srv, uv_loop_t *loop)
{
    uv_mutex_init(&srv->mu);
    uv_async_init(loop, &srv->wake, on_wake);
    srv->wake.data = srv;
    srv->box_open = true;
    srv->posts_tail = &srv->posts;
}

void pn__loops_close_inbox(struct pn_server *srv)
{
    uv_mutex_lock(&srv->mu);
    srv->box_open = false;
    struct handoff *list = srv->inbox;
    srv->inbox = NULL;
    struct pn_post *posts = srv->posts;
    srv->posts = NULL;
    srv->posts_tail = &srv->posts;
    uv_mutex_unlock(&srv->mu);
    for (struct handoff *h = list, *next; h; h = next) {
        next = h->next;
        pn__net_sock_close(&h->sock);
        handoff_free(h);
    }
    for (struct pn_post *p = posts, *next; p; p = next) { /* their sessions are ending */
        next = p->next;
        pn__post_drop(p);
    }
}

void pn__post_run(struct pn_server *srv, struct pn_post *p)
{
    pn__live_post(srv->live, p);
}

int pn__server_post(struct pn_server *srv, struct pn_post *p)
{
    p->next = NULL;
    uv_mutex_lock(&srv->mu);
    bool open = srv->box_open;
    if (open) {
        *srv->posts_tail = p;
        srv->posts_tail = &p->next;
        uv_async_send(&srv->wake); /* under mu: see post() */
    }
    uv_mutex_unlock(&srv->mu);
    return open ? 0 : PN_ECLOSED;
}

void pn__loops_release(struct pn_server *srv)
{
    uv_close((uv_handle_t *)&srv->wake, on_wake_closed);
}

void pn__server_request_shutdown(struct pn_server *srv)
{
    uv_mutex_lock(&srv->mu);
    if (srv->box_open) {
        srv->drain_requested = true;
        uv_async_send(&srv->wake);
    }
    uv_mutex_unlock(&srv->mu);
}

void pn__server_request_stop(struct pn_server *srv)
{
    uv_mutex_lock(&srv->mu);
    if (srv->box_open) { /* else it is stopping already */
        srv->stop_requested = true;
        uv_async_send(&srv->wake);
    }
    uv_mutex_unlock(&srv->mu);
}

void pn__server_link(struct pn_server *const *all, int n)
{
    struct pn_server_group *g = pn__xcalloc(1, sizeof *g + (size_t)n * sizeof *g->srv);
    g->n = n;
    atomic_init(&g->refs, n);
    atomic_init(&g->conns.open, 0);
    for (int i = 0; i < n; i++) {
        struct pn_server *srv = all[i];
        g->srv[i] = srv;
        srv->group = g;
        srv->npeers = n;
        srv->index = i;
        srv->live->loop_index = (unsigned)i;
        srv->live->nloops = (unsigned)n;
        srv->live->route = route_ws;
        srv->live->route_ud = srv;
        pn__http_server_share_count(srv->http, &g->conns);
    }
}
