/*
 * dev: the loop's side of `pane serve --dev`. The supervisor watches the apps' files, compiles
 * again on a save and, when that fails, writes the compiler's messages to the shared record
 * (a good compile starts new workers instead, whose sockets get fresh sessions and their docs,
 * and clears them). Every loop looks at the record ten times a second; when the messages
 * change it sends {"t":"dev","error":TEXT|null} to each of its sockets, and after each doc a
 * socket gets while they stand. The page shows them over everything (pane.js) until they go.
 */
#include <stdlib.h>

#include "base/record.h"
#include "server/internal.h"

#define DEV_POLL_MS 100

static void free_timer(uv_handle_t *h)
{
    free(h);
}

static void on_poll(uv_timer_t *h)
{
    struct pn_server *srv = h->data;
    int slot;
    struct pn_record *rec = pn__record_current(&slot);
    if (!rec)
        return;
    static _Thread_local char text[PN_DEV_ERROR_MAX]; /* the loop's: no allocation a tick */
    if (pn__record_dev_get(rec, &srv->dev_seen, text, sizeof text)) {
        struct pn_live_table *t = srv->live;
        free(t->dev_msg);
        t->dev_msg = NULL;
        t->dev_len = 0;
        size_t len;
        char *msg = pn__msg_dev(text, &len);
        if (msg)
            pn__live_broadcast(t, msg, len);
        if (msg && *text) {
            t->dev_msg = msg;
            t->dev_len = len;
        } else {
            free(msg);
        }
    }
}

void pn__dev_start(struct pn_server *srv, uv_loop_t *loop)
{
    srv->dev_poll = pn__xmalloc(sizeof *srv->dev_poll);
    uv_timer_init(loop, srv->dev_poll);
    srv->dev_poll->data = srv;
    uv_timer_start(srv->dev_poll, on_poll, 0, DEV_POLL_MS);
    uv_unref((uv_handle_t *)srv->dev_poll);
}

void pn__dev_stop(struct pn_server *srv)
{
    if (srv->dev_poll)
        uv_close((uv_handle_t *)srv->dev_poll, free_timer);
    srv->dev_poll = NULL;
}
