/* The reuse-sessions page cache (cache.c; docs/internals/page-cache.md). */
#ifndef PN_CACHE_H
#define PN_CACHE_H

#include "server/server.h"

#define PN_CACHE_DEFAULT_ENTRIES 1000
#define PN_CACHE_DEFAULT_BYTES (64u << 20)

struct json_t;
struct evp_mac_ctx_st;

/* One variant of a page on the wire, refcounted on its own (a response being written holds
 * the variant it writes, so the gzip variant can be swapped under it): the header fields after
 * Date/Connection (pn__page_head), the blank line, then the body. */
struct pn_cache_blob {
    int refs;
    size_t len; /* head + body */
    size_t hdr; /* head, blank line included: the body starts at data + hdr */
    char data[];
};
void pn__cache_blob_ref(struct pn_cache_blob *b);
void pn__cache_blob_unref(void *blob); /* void * so it can be a release callback */

struct pn_cache_entry {
    int refs;
    uint64_t hash;
    char *key;
    size_t key_len;
    char etag[24]; /* weak and quoted: W/"…" */
    bool stored;   /* false for a page too big to keep (served once, then freed) */
    struct pn_cache *cache; /* the cache whose table holds it; NULL once removed */
    struct pn_cache_blob *plain, *gz; /* gz: NULL if compressing failed */
    int gz_level; /* libdeflate level of gz: 1 when stored, 12 once recompressed */
    size_t bytes;
    struct pn_cache_entry *hnext, *lprev, *lnext;
    struct pn_cache_entry *pprev, *pnext; /* on the cache's list of entries to recompress */
    bool pending;
};

/* A page to store: its HTML and the security header lines every page carries (each ending in
 * \r\n; see pn__page_head). */
struct pn_cache_page {
    const char *html;
    size_t html_len;
    const char *extra_headers;
};

struct pn_cache {
    struct pn_cache_entry **buckets;
    size_t nbuckets;
    struct pn_cache_entry *lru_head, *lru_tail;
    size_t entries, bytes, max_entries, max_bytes;
    struct evp_mac_ctx_st *mac;
    uv_loop_t *loop; /* recompression runs on its thread pool; NULL: at once, on the caller */
    char *security;  /* the security lines of recompressed variants */
    /* Cache-Control of stored pages: NULL "no-cache"; with --basic-auth "private, no-cache"
     * (a page is a user's: no shared cache in between may keep it) */
    const char *cache_control;
    /* stored entries still at level 1, oldest first (evicted ones leave it), and whether one is
     * being recompressed: one at a time, so a flood of new keys queues nothing but this list
     * (bounded by the cache) and keeps no evicted entry alive */
    struct pn_cache_entry *pending_head, *pending_tail;
    bool busy;
    bool freed; /* pn__cache_free was called while busy: the work's end frees the rest */
    /* counters: X-Pane-Cache outcomes, what the LRU did, the recompressions done */
    uint64_t hits, misses, bypasses, inserts, evictions, too_big, recompressed;
};

struct pn_cache *pn__cache_new(size_t max_entries, size_t max_bytes);
/* From now on a stored page's gzip variant is made at level 1 by pn__cache_put (as cheap as a
 * fresh page's) and made again at level 12 on loop's thread pool, one entry at a time, swapped
 * in when done (with security as its head's security lines: the pages' own). */
static inline const char *pn__cache_control(const struct pn_cache *c)
{
    return c && c->cache_control ? c->cache_control : "no-cache";
}
void pn__cache_recompress_on(struct pn_cache *c, uv_loop_t *loop, const char *security);
void pn__cache_free(struct pn_cache *c);
/* SipHash-2-4 of the key under the cache's secret key. */
uint64_t pn__cache_hash(struct pn_cache *c, pn_str key);
/* The entry for key (most recently used from now on), or NULL. Borrowed: take a reference
 * with pn__cache_ref for as long as its bytes are being written. */
struct pn_cache_entry *pn__cache_get(struct pn_cache *c, pn_str key, uint64_t hash);
/* Prepares and stores a page, evicting least recently used entries to stay within the bounds;
 * replaces an entry with the same key. Returns the entry with a reference for the caller
 * (release it with pn__cache_unref); a page bigger than max_bytes is returned but not stored.
 * NULL when the page's head is over PN_HTTP_MAX_HEAD (security headers too long). */
struct pn_cache_entry *pn__cache_put(struct pn_cache *c, pn_str key, uint64_t hash,
                                     const struct pn_cache_page *page);
void pn__cache_ref(struct pn_cache_entry *e);
void pn__cache_unref(void *entry); /* void * so it can be a release callback */

#endif
