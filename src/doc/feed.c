/*
 * feed: a series of points the process shares: every Plot bound to it, in any session on any
 * loop, shows its window. Appends come from any thread. Each append is encoded once, into a
 * chunk of packed doubles (x, then each series' y: a data record's body, protocol.md); a loop
 * sends a session's plot the chunks its client has not got, behind a 16-byte header of that
 * plot's own, or the window when the client is further behind than the chunks kept. The feed
 * keeps its window in a ring buffer and chunks covering at least the window's points, so its
 * memory is bounded by the rollover whatever the rate.
 *
 * Everything of a feed is under its mutex. Watchers (the server's loops) are called under it
 * after each append and must only note it and wake their loop (uv_async_send); a watcher is
 * never called again once pn__feed_unwatch has returned. Feeds live until pn__feeds_free.
 */
#include <math.h>
#include <stdlib.h>

#include "doc/doc.h"

#define MAX_SERIES 16
#define MAX_DOUBLES 2000000 /* rollover x (1 + series), as a Plot's own window */

struct chunk {
    struct chunk *next;
    uint64_t from; /* the feed's sequence number of its first point */
    size_t n;
    double data[]; /* x[n], then y[n] for each series */
};

struct watch {
    struct watch *next;
    void (*fn)(void *ud);
    void *ud;
};

struct pn_feed {
    struct pn_feed *next; /* the registry */
    char *name;
    int nseries;
    size_t cap;
    pthread_mutex_t mu;
    double *x, *y; /* the window: cap points, series k at y + k * cap */
    size_t len, head;
    uint64_t seq; /* points appended in all */
    struct chunk *first, *last;
    size_t kept; /* points in the chunks */
    struct watch *watchers;
};

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pn_feed *registry;

pn_feed *pn_feed_series(const char *name, int nseries, int rollover)
{
    if (!name || !*name || nseries < 1 || nseries > MAX_SERIES || rollover < 2 ||
        (size_t)rollover * (size_t)(1 + nseries) > MAX_DOUBLES) {
        pn__warn("pn_feed_series(\"%.60s\", %d, %d): a name, 1..%d series and a rollover of 2 "
                 "or more (at most %d doubles in all) are needed: no feed",
                 name ? name : "(null)", nseries, rollover, MAX_SERIES, MAX_DOUBLES);
        return NULL;
    }
    pthread_mutex_lock(&registry_mu);
    pn_feed *f = registry;
    while (f && strcmp(f->name, name) != 0)
        f = f->next;
    if (f && (f->nseries != nseries || f->cap != (size_t)rollover)) {
        pn__warn("pn_feed_series(\"%.60s\", %d, %d): the feed has %d series and a rollover of "
                 "%zu",
                 name, nseries, rollover, f->nseries, f->cap);
        f = NULL;
    } else if (!f) {
        f = pn__xcalloc(1, sizeof *f);
        f->name = pn__xstrdup_utf8(name);
        f->nseries = nseries;
        f->cap = (size_t)rollover;
        f->x = pn__xmalloc(f->cap * sizeof *f->x);
        f->y = pn__xmalloc(f->cap * (size_t)nseries * sizeof *f->y);
        pthread_mutex_init(&f->mu, NULL);
        f->next = registry;
        registry = f;
    }
    pthread_mutex_unlock(&registry_mu);
    return f;
}

void pn__feeds_free(void)
{
    pthread_mutex_lock(&registry_mu);
    while (registry) {
        pn_feed *f = registry;
        registry = f->next;
        for (struct chunk *c = f->first, *next; c; c = next)
            next = c->next, free(c);
        for (struct watch *w = f->watchers, *next; w; w = next)
            next = w->next, free(w);
        pthread_mutex_destroy(&f->mu);
        free(f->x);
        free(f->y);
        free(f->name);
        free(f);
    }
    pthread_mutex_unlock(&registry_mu);
}

const char *pn__feed_name(const pn_feed *f)
{
    return f->name; /* set once at creation */
}

int pn__feed_nseries(const pn_feed *f)
{
    return f->nseries;
}

size_t pn__feed_cap(const pn_feed *f)
{
    return f->cap;
}

void pn_feed_append(pn_feed *f, const double *x, const double *y, size_t n)
{
    if (!f || !n)
        return;
    if (!x || !y) {
        pn__warn("pn_feed_append(\"%s\"): NULL x or y with %zu points", f->name, n);
        return;
    }
    const size_t k = (size_t)f->nseries;
    size_t *ok = pn__xmalloc(n * sizeof *ok); /* the points taken, by index */
    pthread_mutex_lock(&f->mu);
    double last = f->len ? f->x[(f->head + f->len - 1) % f->cap] : -INFINITY;
    size_t taken = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && x[i] >= last)
            last = x[i], ok[taken++] = i;
    size_t keep = taken < f->cap ? taken : f->cap, first = taken - keep; /* the last cap stay */
    struct chunk *c = keep ? pn__xmalloc(sizeof *c + keep * (1 + k) * sizeof(double)) : NULL;
    for (size_t j = 0; j < keep; j++) {
        size_t i = ok[first + j], at;
        if (f->len < f->cap) {
            at = (f->head + f->len++) % f->cap;
        } else { /* full: the oldest goes */
            at = f->head;
            f->head = (f->head + 1) % f->cap;
        }
        f->x[at] = c->data[j] = x[i];
        for (size_t s = 0; s < k; s++) {
            double v = isfinite(y[i * k + s]) ? y[i * k + s] : NAN;
            f->y[s * f->cap + at] = c->data[(1 + s) * keep + j] = v;
        }
    }
    if (c && first) { /* points were appended past the chunks: they no longer run on */
        for (struct chunk *o = f->first, *next; o; o = next)
            next = o->next, free(o);
        f->first = f->last = NULL;
        f->kept = 0;
    }
    if (c) {
        c->next = NULL;
        c->from = f->seq + first;
        c->n = keep;
        if (f->last)
            f->last->next = c;
        else
            f->first = c;
        f->last = c;
        f->kept += keep;
        while (f->first != f->last && f->kept - f->first->n >= f->cap) { /* the rest still
                                                                             covers the window */
            struct chunk *old = f->first;
            f->first = old->next;
            f->kept -= old->n;
            free(old);
        }
    }
    f->seq += taken;
    if (taken)
        for (struct watch *w = f->watchers; w; w = w->next)
            w->fn(w->ud);
    pthread_mutex_unlock(&f->mu);
    free(ok);
    if (taken < n)
        pn__warn("pn_feed_append(\"%s\"): %zu of %zu points dropped: x must be finite and must "
                 "not go back",
                 f->name, n - taken, n);
}

void pn_feed_push_n(pn_feed *f, double x, const double *y, size_t ny)
{
    if (f && ny != (size_t)f->nseries) {
        pn__warn("pn_feed_push(\"%s\"): %zu values for a feed of %d series", f->name, ny,
                 f->nseries);
        return;
    }
    pn_feed_append(f, &x, y, 1);
}

void pn__feed_watch(pn_feed *f, void (*fn)(void *ud), void *ud)
{
    struct watch *w = pn__xmalloc(sizeof *w);
    w->fn = fn;
    w->ud = ud;
    pthread_mutex_lock(&f->mu);
    w->next = f->watchers;
    f->watchers = w;
    pthread_mutex_unlock(&f->mu);
}

void pn__feed_unwatch(pn_feed *f, void (*fn)(void *ud), void *ud)
{
    pthread_mutex_lock(&f->mu);
    for (struct watch **p = &f->watchers; *p; p = &(*p)->next)
        if ((*p)->fn == fn && (*p)->ud == ud) {
            struct watch *w = *p;
            *p = w->next;
            free(w);
            break;
        }
    pthread_mutex_unlock(&f->mu);
}

uint64_t pn__feed_seq(pn_feed *f)
{
    pthread_mutex_lock(&f->mu);
    uint64_t seq = f->seq;
    pthread_mutex_unlock(&f->mu);
    return seq;
}

/* A record's header: {u32 id, u8 op, u8 series, u16 0, u32 n, u32 0} (protocol.md). */
static int header(struct pn_buf *bin, uint32_t id, unsigned op, int k, size_t n)
{
    uint32_t h[4] = {id, (uint32_t)op | (uint32_t)k << 8, (uint32_t)n, 0};
    return pn__buf_append(bin, h, sizeof h);
}

int pn__feed_record(pn_feed *f, uint32_t id, bool whole, uint64_t *sent, struct pn_buf *bin)
{
    const size_t k = (size_t)f->nseries;
    int rc = 0;
    pthread_mutex_lock(&f->mu);
    uint64_t pending = f->seq - *sent;
    bool covered = f->first && f->first->from <= *sent && pending <= f->len;
    if (!whole && pending == 0) {
        /* nothing new */
    } else if (!whole && covered) { /* the chunks' bytes, as they were encoded */
        if (bin->len + 16 + 8 * pending * (1 + k) > bin->max) {
            rc = PN_ETOOBIG;
        } else {
            rc = header(bin, id, 1, f->nseries, (size_t)pending);
            for (size_t col = 0; rc == 0 && col <= k; col++)
                for (const struct chunk *c = f->first; rc == 0 && c; c = c->next) {
                    if (c->from + c->n <= *sent)
                        continue;
                    size_t from = *sent > c->from ? (size_t)(*sent - c->from) : 0;
                    rc = pn__buf_append(bin, c->data + col * c->n + from,
                                        (c->n - from) * sizeof(double));
                }
        }
    } else { /* the window */
        if (bin->len + 16 + 8 * f->len * (1 + k) > bin->max) {
            rc = PN_ETOOBIG;
        } else {
            rc = header(bin, id, 2, f->nseries, f->len);
            for (size_t col = 0; rc == 0 && col <= k; col++) {
                const double *a = col ? f->y + (col - 1) * f->cap : f->x;
                size_t one = f->head + f->len > f->cap ? f->cap - f->head : f->len;
                rc = pn__buf_append(bin, a + f->head, one * sizeof(double));
                if (rc == 0 && one < f->len)
                    rc = pn__buf_append(bin, a, (f->len - one) * sizeof(double));
            }
        }
    }
    if (rc == 0)
        *sent = f->seq;
    pthread_mutex_unlock(&f->mu);
    return rc;
}

size_t pn__feed_copy(pn_feed *f, double **x, double **y)
{
    pthread_mutex_lock(&f->mu);
    size_t n = f->len, k = (size_t)f->nseries;
    *x = pn__xmalloc((n ? n : 1) * sizeof **x);
    *y = pn__xmalloc((n ? n : 1) * k * sizeof **y);
    for (size_t i = 0; i < n; i++) {
        size_t at = (f->head + i) % f->cap;
        (*x)[i] = f->x[at];
        for (size_t s = 0; s < k; s++)
            (*y)[s * n + i] = f->y[s * f->cap + at];
    }
    pthread_mutex_unlock(&f->mu);
    return n;
}
