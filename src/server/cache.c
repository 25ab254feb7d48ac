/*
 * cache: the reuse-sessions page cache. An entry is a rendered page, immutable once inserted,
 * prepared for the wire: the response headers after Date/Connection (which net adds per
 * request) followed by the body, once plain and once gzip. A hit is a keyed hash, a table
 * lookup and a write of those bytes: no rendering and no allocation but the write itself.
 *
 * Keys are hashed with SipHash-2-4 (OpenSSL's EVP_MAC) under a random per-process key, so a
 * visitor cannot choose keys that collide; the full key bytes are compared on lookup. The
 * cache is an LRU bounded by entries and by bytes. Entries are refcounted (h2o's shared
 * chunks): the cache holds one reference and every response being written holds another, so
 * an evicted page is freed when its last write completes. One cache per loop: no locks.
 *
 * Compressing at libdeflate's level 12 costs about 20 times level 1 (a 1 MB page: ~120 ms
 * against ~6 ms), too long for the loop that serves everyone else. So a stored page's gzip
 * variant is made at level 1, the page is served, and level 12 runs on the loop's thread pool
 * (uv_queue_work, holding a reference to the entry); when it is done, on the loop, the new
 * variant is swapped in. Responses hold the variant (a refcounted blob) they write, not the
 * entry's pointer, so a swap never pulls bytes from under a write.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/cache.h"

#define BEST_LEVEL 12 /* the stored gzip variant, made off the loop */
#define FAST_LEVEL 1  /* the first gzip variant, as a fresh page's */

struct pn_cache *pn__cache_new(size_t max_entries, size_t max_bytes)
{
    struct pn_cache *c = pn__xcalloc(1, sizeof *c);
    c->max_entries = max_entries ? max_entries : PN_CACHE_DEFAULT_ENTRIES;
    c->max_bytes = max_bytes ? max_bytes : PN_CACHE_DEFAULT_BYTES;
    c->nbuckets = 64;
    c->buckets = pn__xcalloc(c->nbuckets, sizeof *c->buckets);
    unsigned char key[16];
    if (RAND_bytes(key, sizeof key) != 1) {
        pn__error("no randomness for the cache key");
        abort();
    }
    c->mac = pn__mac_new("SIPHASH", NULL, 8, key, sizeof key);
    return c;
}

uint64_t pn__cache_hash(struct pn_cache *c, pn_str key)
{
    unsigned char out[8];
    pn__mac(c->mac, key.ptr, key.len, out, sizeof out);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h;
}

void pn__cache_ref(struct pn_cache_entry *e)
{
    e->refs++;
}

void pn__cache_recompress_on(struct pn_cache *c, uv_loop_t *loop, const char *security)
{
    c->loop = loop;
    free(c->security);
    c->security = security ? pn__xstrdup(security) : NULL;
}

void pn__cache_blob_ref(struct pn_cache_blob *b)
{
    b->refs++;
}

void pn__cache_blob_unref(void *blob)
{
    struct pn_cache_blob *b = blob;
    if (b && --b->refs == 0)
        free(b);
}

void pn__cache_unref(void *entry)
{
    struct pn_cache_entry *e = entry;
    if (--e->refs > 0)
        return;
    free(e->key);
    pn__cache_blob_unref(e->plain);
    pn__cache_blob_unref(e->gz);
    free(e);
}

static void lru_unlink(struct pn_cache *c, struct pn_cache_entry *e)
{
    if (e->lprev)
        e->lprev->lnext = e->lnext;
    else
        c->lru_head = e->lnext;
    if (e->lnext)
        e->lnext->lprev = e->lprev;
    else
        c->lru_tail = e->lprev;
    e->lprev = e->lnext = NULL;
}

static void lru_push_front(struct pn_cache *c, struct pn_cache_entry *e)
{
    e->lprev = NULL;
    e->lnext = c->lru_head;
    if (c->lru_head)
        c->lru_head->lprev = e;
    c->lru_head = e;
    if (!c->lru_tail)
        c->lru_tail = e;
}

static void pending_unlink(struct pn_cache *c, struct pn_cache_entry *e)
{
    if (!e->pending)
        return;
    if (e->pprev)
        e->pprev->pnext = e->pnext;
    else
        c->pending_head = e->pnext;
    if (e->pnext)
        e->pnext->pprev = e->pprev;
    else
        c->pending_tail = e->pprev;
    e->pprev = e->pnext = NULL;
    e->pending = false;
}

static void pending_push(struct pn_cache *c, struct pn_cache_entry *e)
{
    e->pending = true;
    e->pnext = NULL;
    e->pprev = c->pending_tail;
    if (c->pending_tail)
        c->pending_tail->pnext = e;
    else
        c->pending_head = e;
    c->pending_tail = e;
}

static void remove_entry(struct pn_cache *c, struct pn_cache_entry *e)
{
    struct pn_cache_entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(c, e);
    pending_unlink(c, e);
    c->entries--;
    c->bytes -= e->bytes;
    e->cache = NULL;
    pn__cache_unref(e); /* freed now, or when its last write completes */
}

struct pn_cache_entry *pn__cache_get(struct pn_cache *c, pn_str key, uint64_t hash)
{
    for (struct pn_cache_entry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->hnext)
        if (e->hash == hash && e->key_len == key.len && memcmp(e->key, key.ptr, key.len) == 0) {
            if (c->lru_head != e) {
                lru_unlink(c, e);
                lru_push_front(c, e);
            }
            c->hits++;
            return e;
        }
    return NULL;
}

static void grow(struct pn_cache *c)
{
    size_t n = c->nbuckets * 2;
    struct pn_cache_entry **b = pn__xcalloc(n, sizeof *b);
    for (size_t i = 0; i < c->nbuckets; i++)
        for (struct pn_cache_entry *e = c->buckets[i], *next; e; e = next) {
            next = e->hnext;
            e->hnext = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

/* The wire form of one variant: its head (pn__page_head) and body in one blob, or NULL when
 * the head is over the bound. */
static struct pn_cache_blob *prepare(const struct pn_cache *c, const char *security,
                                     const char *etag, const void *body, size_t body_len, bool gz)
{
    struct pn_buf h;
    pn__buf_init(&h, PN_HTTP_MAX_HEAD);
    int rc = pn__page_head(&h, &(struct pn_page_head){.security = security,
                                                      .cache = "hit",
                                                      .cache_control = pn__cache_control(c),
                                                      .etag = etag,
                                                      .length = body_len,
                                                      .gzip = gz});
    if (rc != 0) {
        pn__buf_fini(&h);
        return NULL;
    }
    struct pn_cache_blob *b = pn__xmalloc(sizeof *b + h.len + body_len);
    b->refs = 1;
    b->hdr = h.len;
    b->len = h.len + body_len;
    memcpy(b->data, h.data, h.len);
    if (body_len)
        memcpy(b->data + h.len, body, body_len);
    pn__buf_fini(&h);
    return b;
}

static size_t blob_len(const struct pn_cache_blob *b)
{
    return b ? b->len : 0;
}

static void entry_size(struct pn_cache_entry *e)
{
    e->bytes = sizeof *e + e->key_len + blob_len(e->plain) + blob_len(e->gz);
}

/* The gzip variant of e at level, in a new blob (NULL if compressing failed). */
static struct pn_cache_blob *gzip_variant(const struct pn_cache *c, const struct pn_cache_entry *e,
                                          const char *security, int level)
{
    char *gz = NULL;
    size_t gz_len = 0;
    const struct pn_cache_blob *p = e->plain;
    if (pn__gzip(p->data + p->hdr, p->len - p->hdr, level, &gz, &gz_len) != 0)
        return NULL;
    struct pn_cache_blob *b = prepare(c, security, e->etag, gz, gz_len, true);
    free(gz);
    return b;
}

/* ---- level 12 off the loop ---- */

struct recompress {
    uv_work_t w;
    struct pn_cache *cache;
    struct pn_cache_entry *e; /* a reference: the entry outlives the work */
    char *gz;                 /* the result, made on the pool thread */
    size_t gz_len;
    int rc;
};

static void recompress_work(uv_work_t *w)
{
    struct recompress *r = w->data;
    const struct pn_cache_blob *p = r->e->plain; /* immutable: read-only on this thread */
    r->rc = pn__gzip(p->data + p->hdr, p->len - p->hdr, BEST_LEVEL, &r->gz, &r->gz_len);
    pn__gzip_thread_fini(); /* pool threads outlive us: keep no compressor on them */
}

static void recompress_next(struct pn_cache *c);

static void recompress_done(uv_work_t *w, int status)
{
    struct recompress *r = w->data;
    struct pn_cache *c = r->cache;
    struct pn_cache_entry *e = r->e;
    /* only an entry still in its cache is worth it (an evicted one is on its way out) */
    if (status == 0 && r->rc == 0 && e->cache == c && !c->freed) {
        struct pn_cache_blob *b = prepare(c, c->security, e->etag, r->gz, r->gz_len, true);
        if (b) {
            c->bytes -= e->bytes;
            pn__cache_blob_unref(e->gz); /* responses writing it hold their own reference */
            e->gz = b;
            e->gz_level = BEST_LEVEL;
            entry_size(e);
            c->bytes += e->bytes;
            c->recompressed++;
        }
    }
    free(r->gz);
    free(r);
    pn__cache_unref(e);
    c->busy = false;
    if (c->freed) {
        free(c);
        return;
    }
    recompress_next(c);
}

/* Starts recompressing the oldest pending entry, unless one is being done. */
static void recompress_next(struct pn_cache *c)
{
    while (!c->busy && c->pending_head) {
        struct pn_cache_entry *e = c->pending_head;
        pending_unlink(c, e);
        struct recompress *r = pn__xcalloc(1, sizeof *r);
        r->w.data = r;
        r->cache = c;
        r->e = e;
        e->refs++;
        if (uv_queue_work(c->loop, &r->w, recompress_work, recompress_done) != 0) {
            e->refs--;
            free(r);
            continue; /* stays at level 1 */
        }
        c->busy = true;
    }
}

struct pn_cache_entry *pn__cache_put(struct pn_cache *c, pn_str key, uint64_t hash,
                                     const struct pn_cache_page *page)
{
    struct pn_cache_entry *e = pn__xcalloc(1, sizeof *e);
    e->refs = 1; /* the cache's own */
    e->hash = hash;
    char sha[65];
    pn__sha256_hex(page->html, page->html_len, sha);
    /* weak: the plain and the gzip bytes are one page (RFC 9110 §8.8.1) */
    snprintf(e->etag, sizeof e->etag, "W/\"%.16s\"", sha);
    e->plain = prepare(c, page->extra_headers, e->etag, page->html, page->html_len, false);
    if (!e->plain) {
        free(e);
        return NULL;
    }
    e->key = pn__xstrndup(key.ptr, key.len);
    e->key_len = key.len;
    struct pn_cache_entry *old = NULL;
    for (struct pn_cache_entry *o = c->buckets[hash & (c->nbuckets - 1)]; o; o = o->hnext)
        if (o->hash == hash && o->key_len == key.len && memcmp(o->key, key.ptr, key.len) == 0)
            old = o;
    if (old)
        remove_entry(c, old);
    e->gz_level = c->loop ? FAST_LEVEL : BEST_LEVEL;
    e->gz = gzip_variant(c, e, page->extra_headers, e->gz_level);
    entry_size(e);
    if (e->bytes > c->max_bytes) { /* bigger than the whole cache: serve it, never store it */
        c->too_big++;
        return e;               /* the caller's reference is the only one; stored is false */
    }

    while (c->entries + 1 > c->max_entries || c->bytes + e->bytes > c->max_bytes) {
        c->evictions++;
        remove_entry(c, c->lru_tail);
    }
    if (c->entries + 1 > c->nbuckets)
        grow(c);
    struct pn_cache_entry **b = &c->buckets[hash & (c->nbuckets - 1)];
    e->hnext = *b;
    *b = e;
    lru_push_front(c, e);
    c->entries++;
    c->bytes += e->bytes;
    c->inserts++;
    e->stored = true;
    e->cache = c;
    e->refs++; /* and the caller's */
    if (c->loop && e->gz) {
        pending_push(c, e);
        recompress_next(c);
    }
    return e;
}

void pn__cache_free(struct pn_cache *c)
{
    if (!c)
        return;
    while (c->lru_head)
        remove_entry(c, c->lru_head);
    free(c->buckets);
    pn__mac_free(c->mac);
    free(c->security);
    if (c->busy) { /* a recompression still runs: its end frees the cache */
        c->freed = true;
        return;
    }
    free(c);
}
