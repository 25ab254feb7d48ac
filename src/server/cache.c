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
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/cache.h"

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

void pn__cache_unref(void *entry)
{
    struct pn_cache_entry *e = entry;
    if (--e->refs > 0)
        return;
    free(e->key);
    free(e->plain);
    free(e->gz);
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

static void remove_entry(struct pn_cache *c, struct pn_cache_entry *e)
{
    struct pn_cache_entry **pp = &c->buckets[e->hash & (c->nbuckets - 1)];
    while (*pp != e)
        pp = &(*pp)->hnext;
    *pp = e->hnext;
    lru_unlink(c, e);
    c->entries--;
    c->bytes -= e->bytes;
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

/* Builds the wire form of one variant: header tail + body in one block. */
static char *prepare(const struct pn_cache_page *p, const char *etag, const void *body,
                     size_t body_len, bool gz, size_t *hdr_len, size_t *len)
{
    struct pn_buf b;
    pn__buf_init(&b, body_len + 4096);
    pn__buf_printf(&b,
                   "Content-Type: text/html; charset=utf-8\r\n"
                   "Content-Length: %zu\r\n"
                   "%s"
                   "Vary: Accept-Encoding\r\n"
                   "ETag: %s\r\n"
                   "Cache-Control: no-cache\r\n"
                   "X-Pane-Cache: hit\r\n"
                   "%s\r\n",
                   body_len, gz ? "Content-Encoding: gzip\r\n" : "", etag,
                   p->extra_headers ? p->extra_headers : "");
    *hdr_len = b.len;
    pn__buf_append(&b, body, body_len);
    return pn__buf_steal(&b, len);
}

struct pn_cache_entry *pn__cache_put(struct pn_cache *c, pn_str key, uint64_t hash,
                                     const struct pn_cache_page *page)
{
    struct pn_cache_entry *old = NULL;
    for (struct pn_cache_entry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->hnext)
        if (e->hash == hash && e->key_len == key.len && memcmp(e->key, key.ptr, key.len) == 0)
            old = e;
    if (old)
        remove_entry(c, old);

    struct pn_cache_entry *e = pn__xcalloc(1, sizeof *e);
    e->refs = 1; /* the cache's own */
    e->hash = hash;
    e->key = pn__xstrndup(key.ptr, key.len);
    e->key_len = key.len;
    char sha[65];
    pn__sha256_hex(page->html, page->html_len, sha);
    /* weak: the plain and the gzip bytes are one page (RFC 9110 §8.8.1) */
    snprintf(e->etag, sizeof e->etag, "W/\"%.16s\"", sha);
    e->plain = prepare(page, e->etag, page->html, page->html_len, false, &e->plain_hdr,
                       &e->plain_len);
    char *gz = NULL;
    size_t gz_len = 0;
    if (pn__gzip(page->html, page->html_len, 12, &gz, &gz_len) == 0) {
        e->gz = prepare(page, e->etag, gz, gz_len, true, &e->gz_hdr, &e->gz_len);
        free(gz);
    }
    e->bytes = sizeof *e + e->key_len + e->plain_len + e->gz_len;
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
    e->refs++; /* and the caller's */
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
    free(c);
}
