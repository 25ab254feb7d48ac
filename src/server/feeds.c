/*
 * feeds: a loop's side of the feeds its sessions show (doc/feed.c is the feed itself).
 *
 * A loop keeps one subscription per feed that one of its sessions shows: the feed's watcher
 * (called by the publishing thread, under the feed's lock) sets its pending flag and wakes the
 * loop through one uv_async for all feeds, so a burst of publishes costs one wake-up. Awake,
 * the loop goes through the sessions of each pending feed:
 *   - a series feed: each session's data flush (its plots' records, the feed's bytes);
 *   - a value feed: each bound node whose client has not got the current version gets one
 *     patch op [ID, CHANGES], where CHANGES are the bytes pn__feed_encoded made once for the
 *     node's key: the loop asks for them once per wake-up and key, not once per session.
 * A socket more than PN_DATA_BEHIND behind gets nothing until it drains, and then only the
 * latest: a slow client or a slow loop sees the last value, never a backlog.
 *
 * A session's binds (struct pn_feed_bind, on the session) say which node shows which
 * subscription and what its client has; the session is in each subscription's list once,
 * where its first bind of that subscription says (at), so that leaving is O(1).
 */
#include <stdio.h>
#include <stdlib.h>

#include "server/live.h"

struct feed_sub {
    struct feed_sub *next;
    pn_feed *feed;
    bool value; /* a number or text feed (else series) */
    struct pn_live_table *t;
    atomic_bool pending; /* published since the loop last looked (set from any thread) */
    struct pn_live **lives;
    size_t n, cap;
};

struct pn_feed_bind {
    struct feed_sub *sub;
    size_t at;     /* the session's index in sub->lives; NO_AT on its later binds of sub */
    pn_node *node; /* value feeds: the node that shows it */
    uint64_t sent; /* value feeds: the version its client has */
};
#define NO_AT ((size_t)-1)

/* pn__feed_watch's callback: the publishing thread, under the feed's lock. */
static void on_publish(void *ud)
{
    struct feed_sub *sub = ud;
    if (!atomic_exchange(&sub->pending, true))
        uv_async_send(&sub->t->feed_wake); /* closed only after every sub is unwatched */
}

/* A value feed's version as one wake-up sends it, with its encodings by key (most sessions
 * share one key; a few keys are kept, then the oldest is replaced). */
#define KEYS 4
struct enc_cache {
    struct pn_feed_snap snap;
    struct {
        const char *key;
        struct pn_blob *bytes;
    } k[KEYS];
    unsigned next;
};

static void enc_cache_init(struct enc_cache *c, pn_feed *f)
{
    *c = (struct enc_cache){0};
    pn__feed_snap(f, &c->snap);
}

static void enc_cache_fini(struct enc_cache *c)
{
    for (int i = 0; i < KEYS; i++)
        pn__blob_unref(c->k[i].bytes);
    pn__feed_snap_fini(&c->snap);
}

static struct pn_blob *enc_cache_get(struct enc_cache *c, pn_feed *f, const pn_node *n)
{
    const char *key = n->desc->feed_key(n);
    for (int i = 0; i < KEYS; i++)
        if (c->k[i].bytes && strcmp(c->k[i].key, key) == 0)
            return c->k[i].bytes;
    struct pn_blob *b = pn__feed_encoded(f, &c->snap, key, n);
    if (b) {
        unsigned i = c->next++ % KEYS;
        pn__blob_unref(c->k[i].bytes);
        c->k[i].key = key;
        c->k[i].bytes = b;
    }
    return b;
}

/* Sends the session's nodes bound to sub the version in c their clients have not got, as one
 * patch; nothing while the socket is behind (it asks for a drain). */
static void send_values(struct pn_live *live, struct feed_sub *sub, struct enc_cache *c)
{
    if (pn__ws_outbuf(live->ws) > PN_DATA_BEHIND) {
        live->data_behind = true;
        pn__ws_want_drain(live->ws);
        return;
    }
    struct pn_buf m;
    pn__buf_init(&m, PN_MAX_DOC);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < live->nbinds; i++) {
        struct pn_feed_bind *b = &live->binds[i];
        if (b->sub != sub || !b->node || b->sent >= c->snap.version)
            continue;
        struct pn_blob *bytes = enc_cache_get(c, sub->feed, b->node);
        if (!bytes) {
            rc = PN_EINVAL;
            break;
        }
        rc = pn__buf_printf(&m, "%s[%u,", m.len ? "," : "{\"t\":\"patch\",\"ops\":[",
                            (unsigned)b->node->id);
        if (rc == 0)
            rc = pn__buf_append(&m, bytes->data, bytes->len);
        if (rc == 0)
            rc = pn__buf_append(&m, "]", 1);
        b->sent = c->snap.version;
    }
    if (rc == 0 && m.len)
        rc = pn__buf_append(&m, "]}", 2);
    if (rc)
        pn__live_send_failed(live, "feed value", rc);
    else if (m.len) {
        pn__ws_send(live->ws, m.data, m.len); /* written now unless the socket is behind */
        uint64_t now = uv_hrtime();
        live->tab->feed_sent++;
        pn__hist_add(live->tab->feed_delay,
                     now > c->snap.published_ns ? (now - c->snap.published_ns) / 1000 : 0);
    }
    pn__buf_fini(&m);
}

static void on_wake(uv_async_t *a)
{
    struct pn_live_table *t = a->data;
    for (struct feed_sub *sub = t->feeds; sub; sub = sub->next) {
        if (!atomic_exchange(&sub->pending, false))
            continue;
        struct enc_cache c = {0};
        if (sub->value)
            enc_cache_init(&c, sub->feed);
        for (size_t i = 0; i < sub->n; i++) {
            struct pn_live *live = sub->lives[i];
            if (!live->ws || live->data_behind || live->destroying)
                continue;
            if (sub->value)
                send_values(live, sub, &c);
            else
                pn__live_flush_data(live, PN_DATA_SEND);
        }
        enc_cache_fini(&c);
    }
}

/* The session's watch_feed hook: node n of it shows feed f. */
static void watch(pn_session *s, pn_feed *f, pn_node *n)
{
    struct pn_live *live = s->live;
    struct pn_live_table *t = live->tab;
    struct feed_sub *sub = t->feeds;
    while (sub && sub->feed != f)
        sub = sub->next;
    if (!sub) {
        sub = pn__xcalloc(1, sizeof *sub);
        sub->feed = f;
        sub->value = pn__feed_type(f) != PN_FEED_SERIES;
        sub->t = t;
        atomic_init(&sub->pending, false);
        sub->next = t->feeds;
        t->feeds = sub;
        pn__feed_watch(f, on_publish, sub);
    }
    bool listed = false;
    for (size_t i = 0; i < live->nbinds; i++)
        if (live->binds[i].sub == sub) {
            if (!sub->value)
                return; /* a second plot of the same feed: the session's flush sends both */
            listed = true;
        }
    live->binds = pn__xrealloc(live->binds, (live->nbinds + 1) * sizeof *live->binds);
    struct pn_feed_bind *b = &live->binds[live->nbinds++];
    *b = (struct pn_feed_bind){.sub = sub, .at = NO_AT, .node = sub->value ? n : NULL};
    if (listed)
        return;
    if (sub->n == sub->cap) {
        sub->cap = sub->cap ? sub->cap * 2 : 8;
        sub->lives = pn__xrealloc(sub->lives, sub->cap * sizeof *sub->lives);
    }
    b->at = sub->n;
    sub->lives[sub->n++] = live;
}

/* The session's unwatch_node hook: node n is being removed; its value binds go (a removed Plot's
 * series bind stays: the session's flush no longer has the plot to send to). */
static void unwatch(pn_session *s, pn_node *n)
{
    struct pn_live *live = s->live;
    for (size_t i = 0; i < live->nbinds;) {
        if (live->binds[i].node != n) {
            i++;
            continue;
        }
        struct feed_sub *sub = live->binds[i].sub;
        size_t at = live->binds[i].at;
        live->binds[i] = live->binds[--live->nbinds];
        if (at == NO_AT)
            continue;
        size_t j = 0; /* another bind of the same feed keeps the session listed */
        while (j < live->nbinds && live->binds[j].sub != sub)
            j++;
        if (j < live->nbinds) {
            live->binds[j].at = at;
            continue;
        }
        struct pn_live *moved = sub->lives[--sub->n]; /* the session leaves the feed's list */
        sub->lives[at] = moved;
        if (moved != live)
            for (size_t k = 0; k < moved->nbinds; k++)
                if (moved->binds[k].sub == sub && moved->binds[k].at != NO_AT)
                    moved->binds[k].at = at;
    }
}

void pn__feeds_session(struct pn_live *live)
{
    live->s->watch_feed = watch;
    live->s->unwatch_node = unwatch;
}

void pn__feeds_leave(struct pn_live *live)
{
    for (size_t i = 0; i < live->nbinds; i++) {
        struct pn_feed_bind *b = &live->binds[i];
        if (b->at == NO_AT)
            continue;
        struct feed_sub *sub = b->sub;
        struct pn_live *moved = sub->lives[--sub->n];
        sub->lives[b->at] = moved;
        if (moved != live)
            for (size_t j = 0; j < moved->nbinds; j++)
                if (moved->binds[j].sub == sub && moved->binds[j].at != NO_AT)
                    moved->binds[j].at = b->at;
    }
    free(live->binds);
    live->binds = NULL;
    live->nbinds = 0;
}

void pn__feeds_attached(struct pn_live *live)
{
    for (size_t i = 0; i < live->nbinds; i++)
        if (live->binds[i].node) /* the doc about to be sent shows at least this version */
            live->binds[i].sent = pn__feed_version(live->binds[i].sub->feed);
}

void pn__feeds_drained(struct pn_live *live)
{
    for (size_t i = 0; i < live->nbinds && live->ws && !live->data_behind; i++) {
        struct pn_feed_bind *b = &live->binds[i];
        if (b->at == NO_AT || !b->sub->value)
            continue;
        struct enc_cache c;
        enc_cache_init(&c, b->sub->feed);
        send_values(live, b->sub, &c);
        enc_cache_fini(&c);
    }
}

void pn__feeds_init(struct pn_live_table *t)
{
    uv_async_init(t->loop, &t->feed_wake, on_wake);
    t->feed_wake.data = t;
}

void pn__feeds_fini(struct pn_live_table *t, uv_close_cb closed)
{
    while (t->feeds) { /* after this no publishing thread can reach feed_wake */
        struct feed_sub *sub = t->feeds;
        t->feeds = sub->next;
        pn__feed_unwatch(sub->feed, on_publish, sub);
        free(sub->lives);
        free(sub);
    }
    uv_close((uv_handle_t *)&t->feed_wake, closed);
}
