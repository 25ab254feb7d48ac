/*
 * feed: a value or a series of points the process shares, published from any thread.
 *
 * Value feeds (a number or a text): every Number or Markdown bound to one, in any session on
 * any loop, shows its value. A publish stores the value, counts a version and wakes the loops;
 * a loop asks for the encoding of the current version under the bound node's key (what of its
 * options the bytes depend on: a Number's format and colours) and gets the bytes the first
 * loop to ask made, so a publish is encoded once per key, not once per session. A loop that
 * was slower than the publisher only ever sees the latest version: publishes coalesce.
 *
 * Series feeds: every Plot bound to one, in any session on any
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
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

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

/* An encoding of a value feed's version under a key (at most MAX_ENCS kept, newest first). */
struct enc {
    struct enc *next;
    char *key;
    uint64_t version;
    struct pn_blob *bytes;
};
#define MAX_ENCS 32

struct pn_feed {
    struct pn_feed *next; /* the registry */
    char *name;
    int type;    /* PN_FEED_* */
    int nseries; /* series feeds: */
    size_t cap;
    pthread_mutex_t mu;
    double *x, *y; /* the window: cap points, series k at y + k * cap */
    size_t len, head;
    uint64_t seq; /* points appended in all */
    struct chunk *first, *last;
    size_t kept; /* points in the chunks */
    struct watch *watchers;
    /* value feeds: */
    uint64_t version;      /* publishes */
    uint64_t published_ns; /* CLOCK_MONOTONIC of the last (uv_hrtime's clock) */
    double num;
    struct pn_blob *text; /* never NULL */
    struct enc *encs;
    bool shared; /* pn_feed_redis: publishes go through the mirror while one is set */
    void *link;  /* the mirror's, for this feed */
};

static pthread_mutex_t mirror_mu = PTHREAD_MUTEX_INITIALIZER; /* before any feed's lock */
static const struct pn_feed_mirror *mirror;

static atomic_uint_fast64_t encodings; /* value encodings made, process-wide */

struct pn_blob *pn__blob_new(const char *data, size_t len)
{
    struct pn_blob *b = pn__xmalloc(sizeof *b + len + 1);
    atomic_init(&b->refs, 1);
    b->len = len;
    if (len)
        memcpy(b->data, data, len);
    b->data[len] = '\0';
    return b;
}

struct pn_blob *pn__blob_ref(struct pn_blob *b)
{
    if (b)
        atomic_fetch_add_explicit(&b->refs, 1, memory_order_relaxed);
    return b;
}

void pn__blob_unref(struct pn_blob *b)
{
    if (b && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
        free(b);
}

static pthread_mutex_t registry_mu = PTHREAD_MUTEX_INITIALIZER;
static struct pn_feed *registry;

static const char *const type_names[] = {"series", "number", "text"};

/* The feed called name, made with this type and shape on the first call; NULL with a warning
 * (naming who) when name is taken by a feed of another type or shape. */
static pn_feed *lookup(const char *who, const char *name, int type, int nseries, size_t cap)
{
    pthread_mutex_lock(&registry_mu);
    pn_feed *f = registry;
    while (f && strcmp(f->name, name) != 0)
        f = f->next;
    if (f && (f->type != type || f->nseries != nseries || f->cap != cap)) {
        if (f->type != type)
            pn__warn("%s(\"%.60s\"): the name is taken by a %s feed", who, name,
                     type_names[f->type]);
        else
            pn__warn("%s(\"%.60s\", %d, %zu): the feed has %d series and a rollover of %zu", who,
                     name, nseries, cap, f->nseries, f->cap);
        f = NULL;
    } else if (!f) {
        f = pn__xcalloc(1, sizeof *f);
        f->name = pn__xstrdup_utf8(name);
        f->type = type;
        f->nseries = nseries;
        f->cap = cap;
        if (type == PN_FEED_SERIES) {
            f->x = pn__xmalloc(f->cap * sizeof *f->x);
            f->y = pn__xmalloc(f->cap * (size_t)nseries * sizeof *f->y);
        }
        f->text = pn__blob_new("", 0);
        pthread_mutex_init(&f->mu, NULL);
        f->next = registry;
        registry = f;
    }
    pthread_mutex_unlock(&registry_mu);
    return f;
}

pn_feed *pn_feed_series(const char *name, int nseries, int rollover)
{
    if (!name || !*name || nseries < 1 || nseries > MAX_SERIES || rollover < 2 ||
        (size_t)rollover * (size_t)(1 + nseries) > MAX_DOUBLES) {
        pn__warn("pn_feed_series(\"%.60s\", %d, %d): a name, 1..%d series and a rollover of 2 "
                 "or more (at most %d doubles in all) are needed: no feed",
                 name ? name : "(null)", nseries, rollover, MAX_SERIES, MAX_DOUBLES);
        return NULL;
    }
    return lookup("pn_feed_series", name, PN_FEED_SERIES, nseries, (size_t)rollover);
}

static pn_feed *value_feed(const char *who, const char *name, int type)
{
    if (!name || !*name) {
        pn__warn("%s(NULL or \"\"): a feed needs a name: no feed", who);
        return NULL;
    }
    return lookup(who, name, type, 0, 0);
}

pn_feed *pn_feed_number(const char *name)
{
    return value_feed("pn_feed_number", name, PN_FEED_NUMBER);
}

pn_feed *pn_feed_text(const char *name)
{
    return value_feed("pn_feed_text", name, PN_FEED_TEXT);
}

int pn__feed_type(const pn_feed *f)
{
    return f->type; /* set once at creation */
}

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void notify(pn_feed *f)
{
    for (struct watch *w = f->watchers; w; w = w->next)
        w->fn(w->ud);
}

static bool is_type(pn_feed *f, int type, const char *who)
{
    if (!f)
        return false;
    if (f->type == type)
        return true;
    pn__warn("%s(\"%s\"): a %s feed, not a %s feed: nothing published", who, f->name,
             type_names[f->type], type_names[type]);
    return false;
}

/* Under f->mu: hands an update of a shared feed to the mirror; true when it took it (the
 * update comes back through pn__feed_apply, in the order the mirror sees every process's). */
static bool mirrored(pn_feed *f, const void *update, size_t len)
{
    if (!f->shared)
        return false;
    const struct pn_feed_mirror *m = atomic_load_explicit(
        (_Atomic(const struct pn_feed_mirror *) *)&mirror, memory_order_acquire);
    return m && m->publish(f, f->link, update, len);
}

static void set_num_locked(pn_feed *f, double v)
{
    f->num = v;
    f->version++;
    f->published_ns = monotonic_ns();
    notify(f);
}

void pn_feed_set(pn_feed *f, double v)
{
    if (!is_type(f, PN_FEED_NUMBER, "pn_feed_set"))
        return;
    pthread_mutex_lock(&f->mu);
    if (!mirrored(f, &v, sizeof v))
        set_num_locked(f, v);
    pthread_mutex_unlock(&f->mu);
}

double pn_feed_get(pn_feed *f)
{
    if (!f || f->type != PN_FEED_NUMBER)
        return 0;
    pthread_mutex_lock(&f->mu);
    double v = f->num;
    pthread_mutex_unlock(&f->mu);
    return v;
}

/* Under f->mu: b (a reference, taken) becomes the text; the old one is returned to unref. */
static struct pn_blob *set_text_locked(pn_feed *f, struct pn_blob *b)
{
    struct pn_blob *old = f->text;
    f->text = b;
    f->version++;
    f->published_ns = monotonic_ns();
    notify(f);
    return old;
}

void pn_feed_set_text(pn_feed *f, const char *text)
{
    if (!is_type(f, PN_FEED_TEXT, "pn_feed_set_text"))
        return;
    char *clean = pn__xstrdup_utf8(text ? text : "");
    struct pn_blob *b = pn__blob_new(clean, strlen(clean)), *old = NULL;
    free(clean);
    pthread_mutex_lock(&f->mu);
    if (mirrored(f, b->data, b->len))
        old = b;
    else
        old = set_text_locked(f, b);
    pthread_mutex_unlock(&f->mu);
    pn__blob_unref(old);
}

uint64_t pn__feed_value(pn_feed *f, double *num, struct pn_blob **text)
{
    pthread_mutex_lock(&f->mu);
    uint64_t v = f->version;
    if (num)
        *num = f->num;
    if (text)
        *text = pn__blob_ref(f->text);
    pthread_mutex_unlock(&f->mu);
    return v;
}

uint64_t pn__feed_version(pn_feed *f)
{
    return pn__feed_value(f, NULL, NULL);
}

void pn__feed_snap(pn_feed *f, struct pn_feed_snap *snap)
{
    pthread_mutex_lock(&f->mu);
    snap->version = f->version;
    snap->published_ns = f->published_ns;
    snap->num = f->num;
    snap->text = pn__blob_ref(f->text);
    pthread_mutex_unlock(&f->mu);
}

void pn__feed_snap_fini(struct pn_feed_snap *snap)
{
    pn__blob_unref(snap->text);
    snap->text = NULL;
}

struct pn_blob *pn__feed_encoded(pn_feed *f, const struct pn_feed_snap *snap, const char *key,
                                 const pn_node *n)
{
    pthread_mutex_lock(&f->mu);
    struct enc *e = f->encs;
    while (e && strcmp(e->key, key) != 0)
        e = e->next;
    if (e && e->version == snap->version) {
        struct pn_blob *b = pn__blob_ref(e->bytes);
        pthread_mutex_unlock(&f->mu);
        return b;
    }
    pthread_mutex_unlock(&f->mu);

    /* encoded outside the lock: a publisher never waits for a Markdown render */
    struct pn_buf out;
    pn__buf_init(&out, PN_MAX_DOC);
    int rc = n->desc->feed_encode(n, snap->num, snap->text, &out);
    struct pn_blob *b = rc ? NULL : pn__blob_new(out.data ? out.data : "", out.len);
    pn__buf_fini(&out);
    if (!b)
        return NULL;
    atomic_fetch_add_explicit(&encodings, 1, memory_order_relaxed);

    pthread_mutex_lock(&f->mu);
    struct enc **p = &f->encs, *found = NULL;
    size_t count = 0;
    for (; *p; count++) {
        if (strcmp((*p)->key, key) == 0) {
            found = *p;
            *p = found->next; /* to the front */
            continue;
        }
        if (count + 1 >= MAX_ENCS && !(*p)->next) { /* the least recently made goes */
            struct enc *old = *p;
            *p = NULL;
            pn__blob_unref(old->bytes);
            free(old->key);
            free(old);
            break;
        }
        p = &(*p)->next;
    }
    if (!found) {
        found = pn__xcalloc(1, sizeof *found);
        found->key = pn__xstrdup(key);
    }
    if (!found->bytes || found->version < snap->version) {
        pn__blob_unref(found->bytes);
        found->bytes = pn__blob_ref(b);
        found->version = snap->version;
    }
    found->next = f->encs;
    f->encs = found;
    pthread_mutex_unlock(&f->mu);
    return b;
}

uint64_t pn__feed_encodings(void)
{
    return atomic_load_explicit(&encodings, memory_order_relaxed);
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
        for (struct enc *e = f->encs, *next; e; e = next) {
            next = e->next;
            pn__blob_unref(e->bytes);
            free(e->key);
            free(e);
        }
        pn__blob_unref(f->text);
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

/* Under f->mu: the points of x/y (y[i * k + s]) picked by ok[0..taken) go into the window
 * and a chunk. */
static void insert_locked(pn_feed *f, const double *x, const double *y, const size_t *ok,
                          size_t taken)
{
    const size_t k = (size_t)f->nseries;
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
        notify(f);
}

/* Under f->mu: which of the n points may follow the window (x finite, not going back). */
static size_t pick_locked(pn_feed *f, const double *x, size_t n, size_t *ok)
{
    double last = f->len ? f->x[(f->head + f->len - 1) % f->cap] : -INFINITY;
    size_t taken = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && x[i] >= last)
            last = x[i], ok[taken++] = i;
    return taken;
}

/* A series update as the mirror carries it: u32 n, u32 k, x[n], y[n * k] (host order). */
static void *series_update(const double *x, const double *y, const size_t *ok, size_t n, size_t k,
                           size_t *len)
{
    *len = 8 + n * (1 + k) * sizeof(double);
    unsigned char *u = pn__xmalloc(*len);
    uint32_t h[2] = {(uint32_t)n, (uint32_t)k};
    memcpy(u, h, 8);
    double *d = (double *)(void *)(u + 8);
    for (size_t j = 0; j < n; j++) {
        d[j] = x[ok[j]];
        for (size_t s = 0; s < k; s++)
            d[n + j * k + s] = y[ok[j] * k + s];
    }
    return u;
}

void pn_feed_append(pn_feed *f, const double *x, const double *y, size_t n)
{
    if (!n || !is_type(f, PN_FEED_SERIES, "pn_feed_append"))
        return;
    if (!x || !y) {
        pn__warn("pn_feed_append(\"%s\"): NULL x or y with %zu points", f->name, n);
        return;
    }
    size_t *ok = pn__xmalloc(n * sizeof *ok); /* the points taken, by index */
    pthread_mutex_lock(&f->mu);
    size_t taken = pick_locked(f, x, n, ok);
    bool sent = false;
    if (taken && f->shared) {
        size_t len;
        void *u = series_update(x, y, ok, taken, (size_t)f->nseries, &len);
        sent = mirrored(f, u, len);
        free(u);
    }
    if (!sent)
        insert_locked(f, x, y, ok, taken);
    pthread_mutex_unlock(&f->mu);
    free(ok);
    if (taken < n)
        pn__warn("pn_feed_append(\"%s\"): %zu of %zu points dropped: x must be finite and must "
                 "not go back",
                 f->name, n - taken, n);
}

void pn_feed_push_n(pn_feed *f, double x, const double *y, size_t ny)
{
    if (!is_type(f, PN_FEED_SERIES, "pn_feed_push"))
        return;
    if (ny != (size_t)f->nseries) {
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

/* ---- the mirror (runtime/redis.c) ---- */

void pn__feed_set_mirror(const struct pn_feed_mirror *m)
{
    pthread_mutex_lock(&mirror_mu);
    atomic_store_explicit((_Atomic(const struct pn_feed_mirror *) *)&mirror, m,
                          memory_order_release);
    if (m) /* the feeds shared before the mirror came */
        for (pn_feed *f = registry; f; f = f->next)
            if (f->shared)
                f->link = m->shared(f);
    pthread_mutex_unlock(&mirror_mu);
}

void pn_feed_redis(pn_feed *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&mirror_mu);
    pthread_mutex_lock(&f->mu);
    bool was = f->shared;
    f->shared = true;
    pthread_mutex_unlock(&f->mu);
    if (!was && mirror) {
        void *link = mirror->shared(f);
        pthread_mutex_lock(&f->mu);
        f->link = link;
        pthread_mutex_unlock(&f->mu);
    }
    pthread_mutex_unlock(&mirror_mu);
}

bool pn__feed_shared(const pn_feed *f)
{
    return f->shared;
}

int pn__feed_apply(pn_feed *f, const void *update, size_t len)
{
    if (f->type == PN_FEED_NUMBER) {
        if (len != sizeof(double))
            return PN_EINVAL;
        double v;
        memcpy(&v, update, sizeof v);
        pthread_mutex_lock(&f->mu);
        set_num_locked(f, v);
        pthread_mutex_unlock(&f->mu);
        return 0;
    }
    if (f->type == PN_FEED_TEXT) {
        const char *nul = memchr(update, '\0', len); /* as a C string published here */
        if (nul)
            len = (size_t)(nul - (const char *)update);
        char *clean = pn__xmalloc(pn__utf8_sanitize_len(update, len) + 1);
        struct pn_blob *b = pn__blob_new(clean, pn__utf8_sanitize(update, len, clean));
        free(clean);
        pthread_mutex_lock(&f->mu);
        struct pn_blob *old = set_text_locked(f, b);
        pthread_mutex_unlock(&f->mu);
        pn__blob_unref(old);
        return 0;
    }
    uint32_t h[2];
    const size_t k = (size_t)f->nseries;
    if (len < 8)
        return PN_EINVAL;
    memcpy(h, update, 8);
    if (h[1] != k || h[0] == 0 || h[0] > f->cap || len != 8 + (size_t)h[0] * (1 + k) * 8)
        return PN_EINVAL;
    size_t n = h[0];
    double *d = pn__xmalloc(n * (1 + k) * sizeof *d);
    memcpy(d, (const unsigned char *)update + 8, n * (1 + k) * sizeof *d);
    size_t *ok = pn__xmalloc(n * sizeof *ok);
    pthread_mutex_lock(&f->mu);
    size_t taken = pick_locked(f, d, n, ok);
    insert_locked(f, d, d + n, ok, taken);
    pthread_mutex_unlock(&f->mu);
    free(ok);
    free(d);
    return 0;
}

void pn__feed_reset(pn_feed *f)
{
    if (f->type != PN_FEED_SERIES)
        return;
    pthread_mutex_lock(&f->mu);
    for (struct chunk *c = f->first, *next; c; c = next)
        next = c->next, free(c);
    f->first = f->last = NULL;
    f->kept = 0;
    f->len = f->head = 0; /* seq goes on: every client is behind the chunks, gets the window */
    pthread_mutex_unlock(&f->mu);
}
