/* The reuse-sessions page cache (cache.c; docs/internals/page-cache.md). */
#ifndef PN_CACHE_H
#define PN_CACHE_H

#include "server/server.h"

#define PN_CACHE_DEFAULT_ENTRIES 1000
#define PN_CACHE_DEFAULT_BYTES (64u << 20)

struct json_t;
struct evp_mac_ctx_st;

struct pn_cache_entry {
    int refs;
    uint64_t hash;
    char *key;
    size_t key_len;
    char etag[24]; /* weak and quoted: W/"…" */
    bool stored;   /* false for a page too big to keep (served once, then freed) */
    /* wire form: header lines after Date/Connection, the blank line, then the body */
    char *plain, *gz;
    size_t plain_len, plain_hdr, gz_len, gz_hdr;
    size_t bytes;
    struct pn_cache_entry *hnext, *lprev, *lnext;
};

/* A page to store: its HTML and extra header lines (each ending in \r\n). */
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
    /* counters: X-Pane-Cache outcomes and what the LRU did */
    uint64_t hits, misses, bypasses, inserts, evictions, too_big;
};

struct pn_cache *pn__cache_new(size_t max_entries, size_t max_bytes);
void pn__cache_free(struct pn_cache *c);
/* SipHash-2-4 of the key under the cache's secret key. */
uint64_t pn__cache_hash(struct pn_cache *c, pn_str key);
/* The entry for key (most recently used from now on), or NULL. Borrowed: take a reference
 * with pn__cache_ref for as long as its bytes are being written. */
struct pn_cache_entry *pn__cache_get(struct pn_cache *c, pn_str key, uint64_t hash);
/* Prepares and stores a page, evicting least recently used entries to stay within the bounds;
 * replaces an entry with the same key. Returns the entry with a reference for the caller
 * (release it with pn__cache_unref); a page bigger than max_bytes is returned but not stored. */
struct pn_cache_entry *pn__cache_put(struct pn_cache *c, pn_str key, uint64_t hash,
                                     const struct pn_cache_page *page);
void pn__cache_ref(struct pn_cache_entry *e);
void pn__cache_unref(void *entry); /* void * so it can be a release callback */

#endif
