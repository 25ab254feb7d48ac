/*
 * test_cache: the reuse-sessions page cache (server/cache.c) and session keys (server/key.c).
 *
 * Cache: the same key finds the same entry, different keys different entries, and the full key
 * bytes are compared (colliding hashes are forced by passing equal hash values explicitly, so
 * every entry lands in one bucket); the LRU evicts the least recently USED entry (a get
 * refreshes) when the entry bound or the byte bound is reached; a page bigger than the whole
 * cache is returned but not stored (and evicts nothing); an entry evicted while a response
 * still holds a reference stays readable until pn__cache_unref (run this under ASan: the
 * build/…-asan tree); replacing an entry under the same key; the counters; the prepared wire
 * form (headers + body, plain and gzip) and the ETag.
 *
 * Keys: pn__key_spec_parse on good and bad specs, with the message it gives; pn__key_compute's
 * precedence (the app's key function wins over the spec, the spec's parts in order, no spec:
 * the app's name alone), absent and empty values differ, and parts are length-delimited.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <zlib.h>

#include "server/cache.h"
#include "server/server.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static pn_str S(const char *z)
{
    return pn__str(z);
}

/* A page whose HTML is "<p>TEXT</p>" padded to n bytes with a deterministic, not very
 * compressible filler (so that plain and gzip sizes of equal-length pages are close). */
static char *html_of(const char *text, size_t n)
{
    char *h = malloc(n + 1);
    int m = snprintf(h, n + 1, "<p>%s</p>", text);
    uint32_t x = 2463534242u;
    for (size_t i = (size_t)m; i < n; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        h[i] = (char)('a' + x % 26);
    }
    h[n] = 0;
    return h;
}

/* Puts key -> a page with TEXT (n bytes) under hash h; drops the caller's reference. Returns
 * the entry's size in bytes as the cache counts it. */
static size_t put(struct pn_cache *c, const char *key, uint64_t h, const char *text, size_t n)
{
    char *html = html_of(text, n);
    struct pn_cache_entry *e =
        pn__cache_put(c, S(key), h, &(struct pn_cache_page){html, strlen(html), NULL});
    assert_non_null(e);
    size_t bytes = e->bytes;
    pn__cache_unref(e);
    free(html);
    return bytes;
}

static struct pn_cache_entry *get(struct pn_cache *c, const char *key)
{
    return pn__cache_get(c, S(key), pn__cache_hash(c, S(key)));
}

static void put_k(struct pn_cache *c, const char *key, const char *text)
{
    put(c, key, pn__cache_hash(c, S(key)), text, 200);
}

/* The body of an entry's plain variant, NUL-terminated copy. */
static char *body_of(const struct pn_cache_entry *e)
{
    size_t n = e->plain->len - e->plain->hdr;
    char *b = malloc(n + 1);
    memcpy(b, e->plain->data + e->plain->hdr, n);
    b[n] = 0;
    return b;
}

static bool body_has(const struct pn_cache_entry *e, const char *text)
{
    char *b = body_of(e);
    bool r = strstr(b, text) != NULL;
    free(b);
    return r;
}

/* Walks the LRU list from the head and checks it against the hash chains and the counters. */
static void check_invariants(const struct pn_cache *c)
{
    size_t n = 0, bytes = 0;
    const struct pn_cache_entry *prev = NULL;
    for (const struct pn_cache_entry *e = c->lru_head; e; e = e->lnext) {
        assert_ptr_equal(e->lprev, prev);
        assert_true(e->refs >= 1);
        n++;
        bytes += e->bytes;
        bool found = false;
        for (const struct pn_cache_entry *b = c->buckets[e->hash & (c->nbuckets - 1)]; b;
             b = b->hnext)
            found |= b == e;
        assert_true(found);
        prev = e;
    }
    assert_ptr_equal(c->lru_tail, prev);
    assert_int_equal(n, c->entries);
    assert_int_equal(bytes, c->bytes);
    assert_true(c->entries <= c->max_entries);
    assert_true(c->bytes <= c->max_bytes);
    size_t chained = 0;
    for (size_t i = 0; i < c->nbuckets; i++)
        for (const struct pn_cache_entry *b = c->buckets[i]; b; b = b->hnext)
            chained++;
    assert_int_equal(chained, c->entries);
}

/* ---- the hash ----------------------------------------------------------------------------- */

static void test_hash_is_stable_per_cache_and_keyed(void **state)
{
    (void)state;
    struct pn_cache *a = pn__cache_new(0, 0), *b = pn__cache_new(0, 0);
    assert_int_equal(a->max_entries, PN_CACHE_DEFAULT_ENTRIES);
    assert_int_equal(a->max_bytes, PN_CACHE_DEFAULT_BYTES);
    uint64_t h1 = pn__cache_hash(a, S("7:weather6:Berlin"));
    /* the MAC is restarted for every hash: the same key gives the same value every time */
    for (int i = 0; i < 100; i++)
        assert_true(pn__cache_hash(a, S("7:weather6:Berlin")) == h1);
    assert_true(pn__cache_hash(a, S("7:weather5:Paris")) !=
                pn__cache_hash(a, S("7:weather6:Berlin")));
    assert_true(pn__cache_hash(a, (pn_str){"", 0}) == pn__cache_hash(a, (pn_str){"", 0}));
    /* a random secret per cache: another cache hashes the same key differently (2^-64 odds) */
    assert_true(pn__cache_hash(b, S("7:weather6:Berlin")) !=
                pn__cache_hash(a, S("7:weather6:Berlin")));
    pn__cache_free(a);
    pn__cache_free(b);
}

/* ---- lookups ------------------------------------------------------------------------------ */

static void test_same_key_same_entry(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(10, 0);
    assert_null(get(c, "k1"));
    put_k(c, "k1", "one");
    struct pn_cache_entry *e1 = get(c, "k1");
    assert_non_null(e1);
    assert_ptr_equal(get(c, "k1"), e1);
    assert_true(body_has(e1, "<p>one</p>"));
    assert_int_equal(e1->key_len, 2);
    assert_memory_equal(e1->key, "k1", 2);
    /* a key given in another buffer with the same bytes finds it too */
    char other[8] = "k1";
    assert_ptr_equal(pn__cache_get(c, (pn_str){other, 2}, pn__cache_hash(c, (pn_str){other, 2})),
                     e1);
    check_invariants(c);
    pn__cache_free(c);
}

static void test_different_keys_different_entries(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(10, 0);
    put_k(c, "berlin", "Berlin Weather");
    put_k(c, "paris", "Paris Weather");
    struct pn_cache_entry *b = get(c, "berlin"), *p = get(c, "paris");
    assert_non_null(b);
    assert_non_null(p);
    assert_ptr_not_equal(b, p);
    assert_true(body_has(b, "Berlin Weather"));
    assert_true(body_has(p, "Paris Weather"));
    assert_null(get(c, "rome"));
    assert_null(get(c, "berli"));   /* a prefix is another key */
    assert_null(get(c, "berlinx")); /* so is an extension */
    assert_int_equal(c->entries, 2);
    check_invariants(c);
    pn__cache_free(c);
}

/* Equal hash values passed explicitly: all keys share one bucket and one hash; only the full
 * key comparison tells them apart — including keys of equal length and keys with NUL bytes. */
static void test_full_key_compare_on_equal_hashes(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(100, 0);
    const uint64_t H = 0x1234;
    put(c, "aaaa", H, "A", 200);
    put(c, "aaab", H, "B", 200);
    put(c, "aaa", H, "C", 200);
    char nul1[] = {'a', 0, 'b'}, nul2[] = {'a', 0, 'c'};
    char *h1 = html_of("N1", 200), *h2 = html_of("N2", 200);
    pn__cache_unref(pn__cache_put(c, (pn_str){nul1, 3}, H, &(struct pn_cache_page){h1, 200, NULL}));
    pn__cache_unref(pn__cache_put(c, (pn_str){nul2, 3}, H, &(struct pn_cache_page){h2, 200, NULL}));
    free(h1);
    free(h2);
    assert_int_equal(c->entries, 5);
    assert_true(body_has(pn__cache_get(c, S("aaaa"), H), "<p>A</p>"));
    assert_true(body_has(pn__cache_get(c, S("aaab"), H), "<p>B</p>"));
    assert_true(body_has(pn__cache_get(c, S("aaa"), H), "<p>C</p>"));
    assert_true(body_has(pn__cache_get(c, (pn_str){nul1, 3}, H), "<p>N1</p>"));
    assert_true(body_has(pn__cache_get(c, (pn_str){nul2, 3}, H), "<p>N2</p>"));
    assert_null(pn__cache_get(c, S("aaac"), H));
    assert_null(pn__cache_get(c, S("aa"), H));
    assert_null(pn__cache_get(c, (pn_str){nul1, 2}, H));
    /* the right key under the wrong hash is not found either (the hash picks the bucket and
     * is compared before the bytes) */
    assert_null(pn__cache_get(c, S("aaaa"), H + 1));
    /* a bucket chain: all five are in bucket H & (nbuckets - 1) */
    size_t chain = 0;
    for (struct pn_cache_entry *e = c->buckets[H & (c->nbuckets - 1)]; e; e = e->hnext)
        chain++;
    assert_int_equal(chain, 5);
    check_invariants(c);
    pn__cache_free(c);
}

/* Many entries: the table grows and everything is still found. */
static void test_table_grows(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(5000, 0);
    size_t nb0 = c->nbuckets;
    char key[32], text[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(key, sizeof key, "key-%d", i);
        snprintf(text, sizeof text, "v%d", i);
        put(c, key, pn__cache_hash(c, S(key)), text, 40);
    }
    assert_true(c->nbuckets > nb0);
    assert_true(c->nbuckets >= c->entries);
    for (int i = 0; i < 3000; i += 7) {
        snprintf(key, sizeof key, "key-%d", i);
        snprintf(text, sizeof text, "<p>v%d</p>", i);
        struct pn_cache_entry *e = get(c, key);
        assert_non_null(e);
        assert_true(body_has(e, text));
    }
    check_invariants(c);
    pn__cache_free(c);
}

/* ---- LRU ---------------------------------------------------------------------------------- */

static void test_lru_evicts_least_recently_used_by_entries(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(3, 0);
    put_k(c, "a", "A");
    put_k(c, "b", "B");
    put_k(c, "c", "C");
    assert_int_equal(c->entries, 3);
    assert_int_equal(c->evictions, 0);
    /* a was inserted first but is used now: b becomes the least recently used */
    assert_non_null(get(c, "a"));
    put_k(c, "d", "D");
    assert_int_equal(c->entries, 3);
    assert_int_equal(c->evictions, 1);
    assert_null(get(c, "b"));
    assert_non_null(get(c, "a"));
    assert_non_null(get(c, "c"));
    assert_non_null(get(c, "d"));
    /* order now (most recent first): d c a — so e evicts a */
    put_k(c, "e", "E");
    assert_null(get(c, "a"));
    assert_non_null(get(c, "c"));
    assert_non_null(get(c, "d"));
    assert_non_null(get(c, "e"));
    assert_int_equal(c->evictions, 2);
    check_invariants(c);
    /* a one-entry cache keeps only the last */
    struct pn_cache *one = pn__cache_new(1, 0);
    put_k(one, "x", "X");
    put_k(one, "y", "Y");
    assert_null(get(one, "x"));
    assert_non_null(get(one, "y"));
    assert_int_equal(one->entries, 1);
    check_invariants(one);
    pn__cache_free(one);
    pn__cache_free(c);
}

static void test_lru_evicts_by_bytes(void **state)
{
    (void)state;
    /* measure one entry of this size first */
    struct pn_cache *probe = pn__cache_new(10, 0);
    size_t one = put(probe, "p", 1, "P", 4000);
    pn__cache_free(probe);
    assert_true(one > 4000); /* plain + gzip + key + the entry itself */

    /* room for 3 such entries, not 4; plenty of entries allowed */
    struct pn_cache *c = pn__cache_new(1000, one * 3 + one / 2);
    put(c, "a", pn__cache_hash(c, S("a")), "A", 4000);
    put(c, "b", pn__cache_hash(c, S("b")), "B", 4000);
    put(c, "c", pn__cache_hash(c, S("c")), "C", 4000);
    assert_int_equal(c->entries, 3);
    assert_int_equal(c->evictions, 0);
    assert_non_null(get(c, "a")); /* refresh a: b is the LRU now */
    put(c, "d", pn__cache_hash(c, S("d")), "D", 4000);
    assert_int_equal(c->entries, 3);
    assert_int_equal(c->evictions, 1);
    assert_null(get(c, "b"));
    assert_non_null(get(c, "a"));
    check_invariants(c);
    /* one big page (2.5 times the others' HTML, below max_bytes) pushes out as many as
     * needed, least recently used first */
    size_t big = put(c, "big", pn__cache_hash(c, S("big")), "BIG", 10000);
    assert_true(big > 2 * one);
    assert_true(big <= c->max_bytes);
    assert_non_null(get(c, "big"));
    assert_true(c->bytes <= c->max_bytes);
    assert_int_equal(c->entries, 2); /* big and the most recently used of the others */
    assert_non_null(get(c, "a"));    /* a was used last before big came */
    assert_null(get(c, "c"));
    assert_null(get(c, "d"));
    assert_int_equal(c->evictions, 3);
    check_invariants(c);
    pn__cache_free(c);
}

static void test_bigger_than_max_bytes_is_returned_not_stored(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(10, 3000);
    put(c, "small", pn__cache_hash(c, S("small")), "S", 300);
    size_t before_bytes = c->bytes;
    char *html = html_of("HUGE", 20000);
    pn_str k = S("huge");
    struct pn_cache_entry *e =
        pn__cache_put(c, k, pn__cache_hash(c, k), &(struct pn_cache_page){html, 20000, NULL});
    free(html);
    assert_non_null(e);
    assert_int_equal(e->refs, 1); /* the caller's only */
    assert_true(e->bytes > c->max_bytes);
    assert_true(body_has(e, "<p>HUGE</p>")); /* usable for this response */
    assert_int_equal(e->plain->len - e->plain->hdr, 20000);
    assert_int_equal(c->too_big, 1);
    assert_int_equal(c->inserts, 1);   /* only "small" */
    assert_int_equal(c->evictions, 0); /* nothing was pushed out for it */
    assert_int_equal(c->entries, 1);
    assert_int_equal(c->bytes, before_bytes);
    assert_null(get(c, "huge"));
    assert_non_null(get(c, "small"));
    pn__cache_unref(e); /* frees it (ASan/LSan: no leak, no double free) */
    check_invariants(c);
    pn__cache_free(c);
}

/* ---- references --------------------------------------------------------------------------- */

static void test_evicted_entry_with_reference_stays_readable(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(1, 0);
    char *html = html_of("FIRST", 500);
    /* as serve_page's miss path: the reference put returns is held by the response */
    struct pn_cache_entry *first = pn__cache_put(c, S("first"), pn__cache_hash(c, S("first")),
                                                 &(struct pn_cache_page){html, 500, NULL});
    assert_int_equal(first->refs, 2);
    /* as the hit path: a second response takes a reference of its own */
    struct pn_cache_entry *hit = get(c, "first");
    assert_ptr_equal(hit, first);
    pn__cache_ref(hit);
    assert_int_equal(first->refs, 3);
    /* evicted while both responses are "being written" */
    put_k(c, "second", "SECOND");
    assert_null(get(c, "first"));
    assert_int_equal(c->evictions, 1);
    assert_int_equal(first->refs, 2);
    /* still readable (ASan would report a use after free here) */
    assert_memory_equal(first->plain->data + first->plain->hdr, html, 500);
    assert_non_null(first->gz);
    assert_memory_equal(first->key, "first", 5);
    pn__cache_unref(hit);
    assert_memory_equal(first->plain->data + first->plain->hdr, html, 500);
    pn__cache_unref(first); /* the last one frees it */
    free(html);
    /* freeing the cache with an outstanding reference: the entry outlives the cache */
    struct pn_cache_entry *held = get(c, "second");
    pn__cache_ref(held);
    pn__cache_free(c);
    assert_true(strstr(held->plain->data, "X-Pane-Cache: hit") != NULL);
    assert_int_equal(held->refs, 1);
    pn__cache_unref(held);
}

static void test_replace_same_key(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(10, 0);
    char *h1 = html_of("OLD", 300);
    struct pn_cache_entry *old =
        pn__cache_put(c, S("k"), pn__cache_hash(c, S("k")), &(struct pn_cache_page){h1, 300, NULL});
    free(h1);
    put_k(c, "other", "OTHER");
    size_t bytes_before = c->bytes;
    char old_etag[sizeof old->etag];
    memcpy(old_etag, old->etag, sizeof old_etag);
    char *h2 = html_of("NEW", 300);
    struct pn_cache_entry *neu =
        pn__cache_put(c, S("k"), pn__cache_hash(c, S("k")), &(struct pn_cache_page){h2, 300, NULL});
    free(h2);
    assert_ptr_not_equal(neu, old);
    assert_int_equal(c->entries, 2); /* replaced, not added */
    assert_ptr_equal(get(c, "k"), neu);
    assert_true(body_has(neu, "<p>NEW</p>"));
    assert_string_not_equal(neu->etag, old_etag);
    /* the old one is out of the cache but still held by its response */
    assert_int_equal(old->refs, 1);
    assert_true(body_has(old, "<p>OLD</p>"));
    /* equal sizes: the byte count is that of two entries, not three */
    assert_true(c->bytes < bytes_before + neu->bytes);
    assert_int_equal(c->evictions, 0); /* a replacement is not an eviction */
    assert_int_equal(c->inserts, 3);
    /* the replaced entry became the most recently used */
    assert_ptr_equal(c->lru_head, neu);
    check_invariants(c);
    pn__cache_unref(old);
    pn__cache_unref(neu);
    pn__cache_free(c);
}

/* ---- the prepared wire form and the counters ---------------------------------------------- */

static void test_prepared_headers_body_and_gzip(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(10, 0);
    const char *html = "<!doctype html><title>Paris Weather</title><p>Paris</p>";
    struct pn_cache_entry *e =
        pn__cache_put(c, S("k"), 7, &(struct pn_cache_page){html, strlen(html), "X-Extra: 1\r\n"});
    /* plain: header tail, blank line, body */
    assert_true(e->plain->hdr < e->plain->len);
    assert_memory_equal(e->plain->data + e->plain->hdr - 4, "\r\n\r\n", 4);
    assert_memory_equal(e->plain->data + e->plain->hdr, html, strlen(html));
    char *head = pn__xstrndup(e->plain->data, e->plain->hdr);
    char cl[64];
    snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", strlen(html));
    assert_non_null(strstr(head, cl));
    assert_non_null(strstr(head, "Content-Type: text/html; charset=utf-8\r\n"));
    assert_non_null(strstr(head, "X-Pane-Cache: hit\r\n"));
    assert_non_null(strstr(head, "X-Extra: 1\r\n"));
    assert_non_null(strstr(head, "Vary: Accept-Encoding\r\n"));
    assert_non_null(strstr(head, "Cache-Control: no-cache\r\n"));
    assert_null(strstr(head, "Content-Encoding"));
    assert_null(strstr(head, "Set-Cookie"));
    char etag_line[64];
    snprintf(etag_line, sizeof etag_line, "ETag: %s\r\n", e->etag);
    assert_non_null(strstr(head, etag_line));
    free(head);
    /* the ETag: weak (shared by the plain and gzip bytes), 16 hex digits of the SHA-256 */
    char sha[65];
    pn__sha256_hex(html, strlen(html), sha);
    char want[24];
    snprintf(want, sizeof want, "W/\"%.16s\"", sha);
    assert_string_equal(e->etag, want);
    /* gzip: its own Content-Length and Content-Encoding; inflates to the body */
    assert_non_null(e->gz);
    char *gzhead = pn__xstrndup(e->gz->data, e->gz->hdr);
    assert_non_null(strstr(gzhead, "Content-Encoding: gzip\r\n"));
    snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", e->gz->len - e->gz->hdr);
    assert_non_null(strstr(gzhead, cl));
    free(gzhead);
    unsigned char out[1024];
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = (unsigned char *)e->gz->data + e->gz->hdr;
    z.avail_in = (unsigned)(e->gz->len - e->gz->hdr);
    z.next_out = out;
    z.avail_out = sizeof out;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, strlen(html));
    assert_memory_equal(out, html, strlen(html));
    inflateEnd(&z);
    assert_int_equal(e->bytes, sizeof *e + e->key_len + e->plain->len + e->gz->len);
    pn__cache_unref(e);
    pn__cache_free(c);
}

static void test_counters(void **state)
{
    (void)state;
    struct pn_cache *c = pn__cache_new(2, 0);
    assert_int_equal(c->hits + c->misses + c->bypasses + c->inserts + c->evictions + c->too_big, 0);
    put_k(c, "a", "A");
    put_k(c, "b", "B");
    assert_int_equal(c->inserts, 2);
    assert_non_null(get(c, "a"));
    assert_non_null(get(c, "a"));
    assert_null(get(c, "zz"));
    assert_int_equal(c->hits, 2); /* get counts hits; a NULL is left to the caller */
    /* misses and bypasses are the server's to count (serve_page) */
    assert_int_equal(c->misses, 0);
    assert_int_equal(c->bypasses, 0);
    put_k(c, "c", "C");
    assert_int_equal(c->evictions, 1);
    put_k(c, "c", "C2"); /* replacement */
    assert_int_equal(c->evictions, 1);
    assert_int_equal(c->inserts, 4);
    assert_int_equal(c->entries, 2);
    assert_int_equal(c->too_big, 0);
    check_invariants(c);
    pn__cache_free(c);
}

/* A pseudo-random workload against a simple model: the cache holds exactly the model's most
 * recently used keys within both bounds. */
static void test_lru_matches_a_model(void **state)
{
    (void)state;
    enum { MAXE = 8, NKEYS = 20, STEPS = 4000 };
    struct pn_cache *c = pn__cache_new(MAXE, 0);
    int order[NKEYS]; /* model: most recent first */
    int n = 0;
    uint32_t x = 12345;
    char key[16];
    for (int step = 0; step < STEPS; step++) {
        x = x * 1103515245u + 12345u;
        int k = (int)((x >> 8) % NKEYS);
        snprintf(key, sizeof key, "k%d", k);
        bool in_model = false;
        for (int i = 0; i < n; i++)
            in_model |= order[i] == k;
        struct pn_cache_entry *e = get(c, key);
        assert_int_equal(e != NULL, in_model);
        if (!e)
            put_k(c, key, key);
        /* model: move k to the front, cut to MAXE */
        int j = 0;
        for (int i = 0; i < n; i++)
            if (order[i] != k)
                order[j++] = order[i];
        n = j < MAXE ? j : MAXE - 1;
        memmove(order + 1, order, (size_t)n * sizeof *order);
        order[0] = k;
        n++;
        if (n > MAXE)
            n = MAXE;
        /* the LRU list, head to tail, is the model's order */
        int i = 0;
        for (struct pn_cache_entry *l = c->lru_head; l; l = l->lnext, i++) {
            snprintf(key, sizeof key, "k%d", order[i]);
            assert_int_equal(l->key_len, strlen(key));
            assert_memory_equal(l->key, key, l->key_len);
        }
        assert_int_equal(i, n);
    }
    check_invariants(c);
    pn__cache_free(c);
}

/* ---- pn__key_spec_parse ------------------------------------------------------------------- */

static int parse(const char *spec, struct pn_key_spec *s, char *err, size_t errlen)
{
    memset(s, 0x5a, sizeof *s);
    err[0] = 0;
    return pn__key_spec_parse(spec, strlen(spec), s, err, errlen);
}

static void test_spec_good(void **state)
{
    (void)state;
    struct pn_key_spec s;
    char err[256];
    assert_int_equal(parse("arg:city", &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.parts[0].kind, PN_KEY_ARG);
    assert_string_equal(s.parts[0].name, "city");

    assert_int_equal(parse("arg:city,cookie:lang,header:Accept-Language,path", &s, err, sizeof err),
                     0);
    assert_int_equal(s.n, 4);
    assert_int_equal(s.parts[0].kind, PN_KEY_ARG);
    assert_int_equal(s.parts[1].kind, PN_KEY_COOKIE);
    assert_string_equal(s.parts[1].name, "lang");
    assert_int_equal(s.parts[2].kind, PN_KEY_HEADER);
    assert_string_equal(s.parts[2].name, "Accept-Language");
    assert_int_equal(s.parts[3].kind, PN_KEY_PATH);

    /* spaces around the commas (and at the ends) are trimmed */
    assert_int_equal(parse(" arg:city , cookie:lang ,path ", &s, err, sizeof err), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.parts[0].name, "city");
    assert_string_equal(s.parts[1].name, "lang");
    assert_int_equal(s.parts[2].kind, PN_KEY_PATH);

    /* token characters, brackets (PHP-style arg names), 63 characters */
    assert_int_equal(parse("arg:a[]_.-~!#$%&'*+^`|9", &s, err, sizeof err), 0);
    assert_string_equal(s.parts[0].name, "a[]_.-~!#$%&'*+^`|9");
    char name63[128];
    snprintf(name63, sizeof name63, "header:%063d", 7);
    assert_int_equal(parse(name63, &s, err, sizeof err), 0);
    assert_int_equal(strlen(s.parts[0].name), 63);

    /* exactly 16 parts */
    char sixteen[512] = "";
    for (int i = 0; i < 16; i++)
        snprintf(sixteen + strlen(sixteen), sizeof sixteen - strlen(sixteen), "%sarg:a%d",
                 i ? "," : "", i);
    assert_int_equal(parse(sixteen, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 16);
    assert_string_equal(s.parts[15].name, "a15");

    /* the same part twice is allowed (it adds the value twice) */
    assert_int_equal(parse("path,path", &s, err, sizeof err), 0);
    assert_int_equal(s.n, 2);
}

/* A bad spec: PN_EPARSE, the output untouched, and a message that contains want. */
static void bad(const char *spec, const char *want)
{
    struct pn_key_spec s;
    memset(&s, 0x5a, sizeof s);
    struct pn_key_spec before = s;
    char err[256] = "";
    int rc = pn__key_spec_parse(spec, strlen(spec), &s, err, sizeof err);
    if (rc != PN_EPARSE)
        fail_msg("spec \"%s\": want PN_EPARSE, got %d", spec, rc);
    if (!strstr(err, want))
        fail_msg("spec \"%s\": message \"%s\" does not contain \"%s\"", spec, err, want);
    assert_true(strncmp(err, "--session-key: ", 15) == 0);
    assert_memory_equal(&s, &before, sizeof s);
}

static void test_spec_bad(void **state)
{
    (void)state;
    bad("", "empty");
    bad("arg:", "\"arg:\" needs a name of 1 to 63 characters");
    bad("cookie:", "\"cookie:\" needs a name");
    bad("header:", "\"header:\" needs a name");
    bad("foo:x", "\"foo:x\" is not arg:NAME, cookie:NAME, header:NAME, path or shared");
    bad("city", "\"city\" is not arg:NAME");
    bad("ARG:city", "\"ARG:city\" is not"); /* kinds are lower case */
    bad("path:x", "\"path:x\" is not");     /* path takes no name */
    bad("arg:ci ty", "bad character in \"arg:ci ty\"");
    bad("arg: city", "bad character in \"arg: city\"");
    bad("arg:city;x", "bad character");
    bad("header:X-A\r\nB", "bad character");
    bad("cookie:a=b", "bad character");
    bad("arg:caf\xc3\xa9", "bad character");
    bad("arg:\"q\"", "bad character");
    bad("arg:a/b", "bad character");
    bad("arg:city,", "\"\" is not arg:NAME"); /* an empty part */
    bad(",arg:city", "\"\" is not");
    bad("arg:city,,path", "\"\" is not");
    bad(" ", "\"\" is not");
    char name64[128];
    snprintf(name64, sizeof name64, "arg:%064d", 7);
    bad(name64, "needs a name of 1 to 63 characters");
    char seventeen[512] = "";
    for (int i = 0; i < 17; i++)
        snprintf(seventeen + strlen(seventeen), sizeof seventeen - strlen(seventeen), "%sarg:a%d",
                 i ? "," : "", i);
    bad(seventeen, "more than 16 parts");
    /* the first bad part is the one named */
    bad("arg:city,foo:x,bar:y", "\"foo:x\"");
    /* a long bad part is shown cut, the message stays within its buffer */
    char longpart[600];
    memset(longpart, 'z', sizeof longpart - 1);
    longpart[sizeof longpart - 1] = 0;
    bad(longpart, "is not arg:NAME");
    char small[16];
    struct pn_key_spec s;
    assert_int_equal(pn__key_spec_parse("foo:x", 5, &s, small, sizeof small), PN_EPARSE);
    assert_true(strlen(small) < sizeof small);
}

/* The spec is length-delimited input: bytes after len are never read, and a NUL inside it is
 * not a name character. */
static void test_spec_len_and_nul(void **state)
{
    (void)state;
    struct pn_key_spec s;
    char err[256];
    assert_int_equal(pn__key_spec_parse("arg:cityXXX", 8, &s, err, sizeof err), 0);
    assert_string_equal(s.parts[0].name, "city");
    assert_int_equal(pn__key_spec_parse("path,garbage", 4, &s, err, sizeof err), 0);
    assert_int_equal(s.n, 1);
    /* "arg:ci\0ty": the NUL must be refused like any other non-token byte, else the name is
     * silently cut to "ci" */
    int rc = pn__key_spec_parse("arg:ci\0ty", 9, &s, err, sizeof err);
    if (rc == 0)
        fail_msg("a NUL byte inside a name was accepted (name parsed as \"%s\"): name_char() in "
                 "key.c uses strchr, which finds the terminator",
                 s.parts[0].name);
    assert_int_equal(rc, PN_EPARSE);
}

/* ---- pn__key_compute ---------------------------------------------------------------------- */

struct kfx {
    struct pn_arena arena;
    struct pn_http_req http;
    pn_request req;
    char raw[4096];
    pn_key k;
};

static const pn_request *mkreq(struct kfx *f, const char *target, const char *headers)
{
    snprintf(f->raw, sizeof f->raw, "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n", target,
             headers ? headers : "");
    struct pn_http_limits lim = {0};
    size_t used;
    int rc = pn__http_parse(f->raw, strlen(f->raw), &lim, &f->arena, &f->http, &used);
    if (rc != 0)
        fail_msg("request did not parse: %s", pn__strerror(rc));
    f->req = (pn_request){.http = &f->http, .arena = &f->arena};
    return &f->req;
}

static int kfx_setup(void **state)
{
    struct kfx *f = calloc(1, sizeof *f);
    pn__arena_init(&f->arena, 1024);
    pn__buf_init(&f->k.buf, 16 * 1024);
    *state = f;
    return 0;
}

static int kfx_teardown(void **state)
{
    struct kfx *f = *state;
    pn__arena_fini(&f->arena);
    pn__buf_fini(&f->k.buf);
    free(f);
    return 0;
}

/* The computed key as a heap copy of its bytes (with its length in *n). */
static char *key_of(struct kfx *f, const struct pn_app *app, const struct pn_key_spec *spec,
                    const char *target, const char *headers, size_t *n)
{
    pn__key_compute(app, spec, mkreq(f, target, headers), NULL, &f->k);
    assert_false(f->k.overflow);
    *n = f->k.buf.len;
    char *out = malloc(*n + 1);
    memcpy(out, f->k.buf.data, *n);
    out[*n] = 0;
    return out;
}

static void assert_key(struct kfx *f, const struct pn_app *app, const struct pn_key_spec *spec,
                       const char *target, const char *headers, const char *want, size_t wantlen)
{
    size_t n;
    char *k = key_of(f, app, spec, target, headers, &n);
    if (n != wantlen || memcmp(k, want, n) != 0)
        fail_msg("key of %s: got \"%s\" (%zu bytes), want \"%s\" (%zu)", target, k, n, want,
                 wantlen);
    free(k);
}
#define ASSERT_KEY(f, app, spec, target, headers, lit)                                             \
    assert_key((f), (app), (spec), (target), (headers), (lit), sizeof(lit) - 1)

static void city_key(const pn_request *r, pn_key *k)
{
    pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
}

static void two_parts_key(const pn_request *r, pn_key *k)
{
    pn_key_add(k, pn_request_arg(r, "a", NULL));
    pn_key_add(k, pn_request_arg(r, "b", NULL));
}

static struct pn_key_spec spec_of(const char *text)
{
    struct pn_key_spec s;
    char err[256];
    if (pn__key_spec_parse(text, strlen(text), &s, err, sizeof err) != 0)
        fail_msg("%s", err);
    return s;
}

static void test_key_default_is_the_app_name(void **state)
{
    struct kfx *f = *state;
    struct pn_app app = {.name = "weather"};
    ASSERT_KEY(f, &app, NULL, "/weather", NULL, "7:weather");
    ASSERT_KEY(f, &app, NULL, "/weather?city=Paris", "Cookie: a=b\r\n", "7:weather");
    struct pn_key_spec empty = {0};
    ASSERT_KEY(f, &app, &empty, "/weather?city=Paris", NULL, "7:weather");
    struct pn_app other = {.name = "weathe"};
    ASSERT_KEY(f, &other, NULL, "/weathe", NULL, "6:weathe");
}

static void test_key_spec_parts(void **state)
{
    struct kfx *f = *state;
    struct pn_app app = {.name = "w"};
    struct pn_key_spec s = spec_of("arg:city,cookie:lang,header:X-Tenant,path");
    ASSERT_KEY(f, &app, &s, "/w?city=Paris", "Cookie: x=1; lang=de\r\nX-Tenant: acme\r\n",
               "1:w5:Paris2:de4:acme2:/w");
    /* header names are case-insensitive; argument values are decoded */
    ASSERT_KEY(f, &app, &s, "/w/?city=New%20York", "x-tenant: acme\r\nCookie: lang=\"fr\"\r\n",
               "1:w8:New York2:fr4:acme3:/w/");
    /* absent parts are \xff, distinct from "" (0:) */
    ASSERT_KEY(f, &app, &s, "/w", NULL,
               "1:w\xff\xff\xff"
               "2:/w");
    ASSERT_KEY(f, &app, &s, "/w?city=", "Cookie: lang=\r\nX-Tenant:\r\n", "1:w0:0:0:2:/w");
    ASSERT_KEY(f, &app, &s, "/w?city", NULL,
               "1:w0:\xff\xff"
               "2:/w");
    /* the spec's order is the key's order */
    struct pn_key_spec rev = spec_of("path,arg:city");
    ASSERT_KEY(f, &app, &rev, "/w?city=Paris", NULL, "1:w2:/w5:Paris");
    /* only the first value of a repeated argument counts (as pn_session_arg reads it) */
    struct pn_key_spec city = spec_of("arg:city");
    ASSERT_KEY(f, &app, &city, "/w?city=Paris&city=Rome", NULL, "1:w5:Paris");
    /* an invalid escape or invalid UTF-8 reads as absent */
    ASSERT_KEY(f, &app, &city, "/w?city=%ff", NULL, "1:w\xff");
}

static void test_key_function_wins_over_spec(void **state)
{
    struct kfx *f = *state;
    struct pn_app app = {.name = "weather", .key = city_key};
    struct pn_key_spec s = spec_of("cookie:lang,path");
    ASSERT_KEY(f, &app, &s, "/weather?city=Paris", "Cookie: lang=de\r\n", "7:weather5:Paris");
    ASSERT_KEY(f, &app, NULL, "/weather", NULL, "7:weather6:Berlin");
    /* the key function's default makes "no city" and "city=Berlin" one key: one page */
    size_t n1, n2;
    char *a = key_of(f, &app, NULL, "/weather", NULL, &n1);
    char *b = key_of(f, &app, NULL, "/weather?city=Berlin", NULL, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
}

static void noop_key(const pn_request *r, pn_key *k)
{
    (void)r, (void)k;
}

/* --basic-auth: the user ends the key unless it is shared, after a byte no part begins with */
static size_t user_key(struct kfx *f, const struct pn_app *app, const struct pn_key_spec *spec,
                       const char *target, const char *user, char *out)
{
    pn__key_compute(app, spec, mkreq(f, target, NULL), user, &f->k);
    assert_false(f->k.overflow);
    memcpy(out, f->k.buf.data, f->k.buf.len);
    return f->k.buf.len;
}

static void shared_city_key(const pn_request *r, pn_key *k)
{
    pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
    pn_key_shared(k);
}

static void user_as_part_key(const pn_request *r, pn_key *k)
{
    (void)r;
    pn_key_add(k, "x");
    pn_key_add(k, "5:alice"); /* an app cannot forge another user's key with parts */
}

static void test_key_has_the_user_unless_shared(void **state)
{
    struct kfx *f = *state;
    char k[256];
    struct pn_app app = {.name = "w", .key = city_key};
    size_t n = user_key(f, &app, NULL, "/w?city=Paris", "alice", k);
    assert_int_equal(n, sizeof("1:w5:Paris\3765:alice") - 1);
    assert_memory_equal(k, "1:w5:Paris\3765:alice", n);
    n = user_key(f, &app, NULL, "/w?city=Paris", "bob", k);
    assert_memory_equal(k, "1:w5:Paris\3763:bob", n);
    n = user_key(f, &app, NULL, "/w?city=Paris", NULL, k); /* no login: no user part */
    assert_memory_equal(k, "1:w5:Paris", n);
    struct pn_app shared = {.name = "w", .key = shared_city_key};
    n = user_key(f, &shared, NULL, "/w?city=Paris", "alice", k);
    assert_int_equal(n, 10);
    assert_memory_equal(k, "1:w5:Paris", n);
    assert_true(f->k.shared);
    /* the spec: path alone is per user, `shared` makes it one page for all */
    struct pn_app plain = {.name = "w"};
    struct pn_key_spec s = spec_of("arg:city");
    n = user_key(f, &plain, &s, "/w?city=Rome", "alice", k);
    assert_memory_equal(k, "1:w4:Rome\3765:alice", n);
    s = spec_of("arg:city,shared");
    n = user_key(f, &plain, &s, "/w?city=Rome", "alice", k);
    assert_memory_equal(k, "1:w4:Rome", n);
    n = user_key(f, &plain, NULL, "/w", "alice", k);
    assert_memory_equal(k, "1:w\3765:alice", n);
    /* the next request starts unshared again */
    n = user_key(f, &app, NULL, "/w", "alice", k);
    assert_false(f->k.shared);
    /* parts that spell a user are not a user */
    struct pn_app forge = {.name = "w", .key = user_as_part_key};
    char k2[256];
    size_t n2 = user_key(f, &forge, NULL, "/w", NULL, k2);
    n = user_key(f, &plain, NULL, "/w", "alice", k);
    assert_false(n == n2 && memcmp(k, k2, n) == 0);
}

static void test_key_function_adding_nothing_ignores_spec(void **state)
{
    struct kfx *f = *state;
    struct pn_app app = {.name = "weather", .key = noop_key};
    struct pn_key_spec s = spec_of("arg:city");
    ASSERT_KEY(f, &app, &s, "/weather?city=Paris", NULL, "7:weather");
}

static void test_key_parts_are_length_delimited(void **state)
{
    struct kfx *f = *state;
    struct pn_app app = {.name = "w", .key = two_parts_key};
    size_t n1, n2, n3, n4;
    char *k1 = key_of(f, &app, NULL, "/w?a=ab&b=c", NULL, &n1);
    char *k2 = key_of(f, &app, NULL, "/w?a=a&b=bc", NULL, &n2);
    char *k3 = key_of(f, &app, NULL, "/w?a=&b=abc", NULL, &n3);
    char *k4 = key_of(f, &app, NULL, "/w?b=abc", NULL, &n4);
    assert_false(n1 == n2 && memcmp(k1, k2, n1) == 0);
    assert_false(n2 == n3 && memcmp(k2, k3, n2) == 0);
    assert_false(n3 == n4 && memcmp(k3, k4, n3) == 0); /* "" vs absent */
    /* a value that looks like a length prefix cannot fake a second part */
    char *k5 = key_of(f, &app, NULL, "/w?a=1:x", NULL, &n1);  /* a="1:x", b absent */
    char *k6 = key_of(f, &app, NULL, "/w?a=&b=x", NULL, &n2); /* a="",  b="x" */
    assert_false(n1 == n2 && memcmp(k5, k6, n1) == 0);
    /* the app name is a part too: app "w1" with a="" vs app "w" with a="1..." */
    struct pn_app w1 = {.name = "w1", .key = two_parts_key};
    char *k7 = key_of(f, &w1, NULL, "/w1?a=x", NULL, &n3);
    char *k8 = key_of(f, &app, NULL, "/w?a=1x", NULL, &n4);
    assert_false(n3 == n4 && memcmp(k7, k8, n3) == 0);
    free(k1), free(k2), free(k3), free(k4), free(k5), free(k6), free(k7), free(k8);
}

static void test_key_is_reset_between_requests(void **state)
{
    struct kfx *f = *state;
    struct pn_app app = {.name = "weather", .key = city_key};
    ASSERT_KEY(f, &app, NULL, "/weather?city=Paris", NULL, "7:weather5:Paris");
    ASSERT_KEY(f, &app, NULL, "/weather?city=Rome", NULL, "7:weather4:Rome");
    /* an overflowing key is flagged, and the flag is cleared for the next request */
    char target[3000];
    int n = snprintf(target, sizeof target, "/weather?city=");
    memset(target + n, 'x', 2000);
    target[n + 2000] = 0;
    struct pn_key small;
    pn__buf_init(&small.buf, 64);
    pn__key_compute(&app, NULL, mkreq(f, target, NULL), NULL, &small);
    assert_true(small.overflow);
    pn__key_compute(&app, NULL, mkreq(f, "/weather?city=Rome", NULL), NULL, &small);
    assert_false(small.overflow);
    assert_int_equal(small.buf.len, strlen("7:weather4:Rome"));
    pn__buf_fini(&small.buf);
}

/* ---- one head writer: long security lines, and level 12 off the loop ---------------------- */

/* A valid frame-ancestors list of 791 characters (the one that was cut on the miss path). */
static char *long_frame_ancestors(void)
{
    struct pn_buf b;
    pn__buf_init(&b, 4096);
    for (int i = 0; b.len < 791; i++)
        pn__buf_printf(&b, "%shttps://app%03d.example.com", i ? " " : "", i);
    b.len = 791;
    b.data[791] = '\0';
    if (b.data[790] == ' ')
        b.data[790] = 'x';
    return pn__buf_steal(&b, NULL);
}

/* Inflates a gzip body; returns the bytes (heap) and their count. */
static char *gunzip_of(const char *p, size_t n, size_t *out_len)
{
    size_t cap = 1 << 22;
    char *out = malloc(cap);
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 16 + MAX_WBITS), Z_OK);
    z.next_in = (unsigned char *)p;
    z.avail_in = (unsigned)n;
    z.next_out = (unsigned char *)out;
    z.avail_out = (unsigned)cap;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    inflateEnd(&z);
    return out;
}

static void test_page_head_carries_every_part_whole(void **state)
{
    (void)state;
    char *fa = long_frame_ancestors();
    char *sec = pn__page_security(fa);
    struct pn_buf h;
    pn__buf_init(&h, PN_HTTP_MAX_HEAD);
    const char *outcomes[] = {"hit", "miss", "bypass", NULL};
    for (size_t i = 0; i < 4; i++) {
        pn__buf_reset(&h);
        assert_int_equal(pn__page_head(&h, &(struct pn_page_head){
                                               .security = sec,
                                               .cache = outcomes[i],
                                               .cookies = "Set-Cookie: a=1\r\n",
                                               .cache_control = "no-cache",
                                               .etag = "W/\"0011223344556677\"",
                                               .length = 1234,
                                               .gzip = i % 2}),
                         0);
        /* the whole CSP on one line, then the head goes on and ends with the blank line */
        char *csp = strstr(h.data, "Content-Security-Policy: ");
        assert_non_null(csp);
        char *eol = strstr(csp, "\r\n");
        assert_true(eol - csp > 791);
        assert_memory_equal(eol - 791, fa, 791);
        assert_non_null(strstr(h.data, "Content-Length: 1234\r\n"));
        assert_non_null(strstr(h.data, "Set-Cookie: a=1\r\n"));
        assert_non_null(strstr(h.data, "ETag: W/\"0011223344556677\"\r\n"));
        assert_non_null(strstr(h.data, "Vary: Accept-Encoding\r\n"));
        assert_int_equal(strstr(h.data, "Content-Encoding: gzip\r\n") != NULL, i % 2);
        assert_int_equal(strstr(h.data, "X-Pane-Cache:") != NULL, outcomes[i] != NULL);
        assert_memory_equal(h.data + h.len - 4, "\r\n\r\n", 4);
        assert_int_equal(strstr(h.data, "\r\n\r\n") - h.data, h.len - 4);
    }
    /* cookies that would make the head too long: an error, the buffer untouched */
    pn__buf_reset(&h);
    struct pn_buf ck;
    pn__buf_init(&ck, 1 << 20);
    while (ck.len < PN_HTTP_MAX_HEAD)
        pn__buf_puts(&ck, "Set-Cookie: k=vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\r\n");
    assert_int_equal(pn__page_head(&h, &(struct pn_page_head){.security = sec,
                                                               .cookies = ck.data,
                                                               .cache_control = "no-store"}),
                     PN_ETOOBIG);
    assert_int_equal(h.len, 0);
    pn__buf_fini(&ck);
    pn__buf_fini(&h);
    free(sec);
    free(fa);
}

static void test_prepared_heads_carry_a_long_csp_whole(void **state)
{
    (void)state;
    char *fa = long_frame_ancestors();
    char *sec = pn__page_security(fa);
    struct pn_cache *c = pn__cache_new(10, 0);
    char *html = html_of("long csp", 3000);
    struct pn_cache_entry *e =
        pn__cache_put(c, S("k"), 1, &(struct pn_cache_page){html, strlen(html), sec});
    assert_non_null(e);
    struct pn_cache_blob *variants[] = {e->plain, e->gz};
    for (size_t i = 0; i < 2; i++) {
        char *head = pn__xstrndup(variants[i]->data, variants[i]->hdr);
        assert_non_null(strstr(head, sec));
        assert_non_null(strstr(head, "X-Pane-Cache: hit\r\n"));
        assert_memory_equal(head + variants[i]->hdr - 4, "\r\n\r\n", 4);
        free(head);
    }
    pn__cache_unref(e);
    pn__cache_free(c);
    free(html);
    free(sec);
    free(fa);
}

static void test_recompression_runs_off_the_loop_and_swaps_the_gzip(void **state)
{
    (void)state;
    uv_loop_t loop;
    uv_loop_init(&loop);
    struct pn_cache *c = pn__cache_new(10, 0);
    pn__cache_recompress_on(c, &loop, NULL);
    /* compressible enough that level 12 beats level 1 */
    struct pn_buf page;
    pn__buf_init(&page, 1 << 22);
    for (int i = 0; page.len < 200000; i++)
        pn__buf_printf(&page, "<tr><td>row %d</td><td>%d.%02d</td><td>%s</td></tr>\n", i,
                       (i * 7919) % 1000, i % 100, i % 3 ? "Paris" : "Lyon");
    struct pn_cache_entry *e =
        pn__cache_put(c, S("big"), 9, &(struct pn_cache_page){page.data, page.len, NULL});
    assert_non_null(e);
    /* served at once with a level-1 gzip, which inflates to the page */
    assert_int_equal(e->gz_level, 1);
    struct pn_cache_blob *fast = e->gz;
    pn__cache_blob_ref(fast); /* a response still writing it */
    size_t n;
    char *back = gunzip_of(fast->data + fast->hdr, fast->len - fast->hdr, &n);
    assert_int_equal(n, page.len);
    assert_memory_equal(back, page.data, n);
    free(back);
    assert_int_equal(c->recompressed, 0);
    /* an entry evicted before its recompression ends is not touched by it */
    struct pn_cache *c2 = pn__cache_new(1, 0);
    pn__cache_recompress_on(c2, &loop, NULL);
    struct pn_cache_entry *gone =
        pn__cache_put(c2, S("a"), 1, &(struct pn_cache_page){page.data, page.len, NULL});
    pn__cache_unref(gone);
    put_k(c2, "b", "B"); /* evicts "a" while its work is queued */

    uv_run(&loop, UV_RUN_DEFAULT); /* the pool's work, then its completion on the loop */
    assert_int_equal(c->recompressed, 1);
    assert_int_equal(e->gz_level, 12);
    assert_ptr_not_equal(e->gz, fast);
    assert_true(e->gz->len < fast->len);
    back = gunzip_of(e->gz->data + e->gz->hdr, e->gz->len - e->gz->hdr, &n);
    assert_int_equal(n, page.len);
    assert_memory_equal(back, page.data, n);
    free(back);
    char cl[64];
    snprintf(cl, sizeof cl, "Content-Length: %zu\r\n", e->gz->len - e->gz->hdr);
    char *head = pn__xstrndup(e->gz->data, e->gz->hdr);
    assert_non_null(strstr(head, cl));
    assert_non_null(strstr(head, "Content-Encoding: gzip\r\n"));
    free(head);
    check_invariants(c); /* the byte count follows the smaller variant */
    /* the old variant is still whole for the response that holds it (ASan checks) */
    back = gunzip_of(fast->data + fast->hdr, fast->len - fast->hdr, &n);
    assert_int_equal(n, page.len);
    free(back);
    pn__cache_blob_unref(fast);
    assert_int_equal(c2->recompressed, 1); /* "b" only: "a" had left the cache */
    check_invariants(c2);
    pn__cache_unref(e);
    pn__cache_free(c);
    pn__cache_free(c2);
    /* a cache freed while a recompression runs (a server stopping): the work's end frees it */
    struct pn_cache *c3 = pn__cache_new(10, 0);
    pn__cache_recompress_on(c3, &loop, "X-A: 1\r\n");
    put_k(c3, "x", "X");
    put_k(c3, "y", "Y"); /* pending behind x */
    assert_true(c3->busy);
    pn__cache_free(c3);
    uv_run(&loop, UV_RUN_DEFAULT);
    pn__buf_fini(&page);
    assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_is_stable_per_cache_and_keyed),
        cmocka_unit_test(test_same_key_same_entry),
        cmocka_unit_test(test_different_keys_different_entries),
        cmocka_unit_test(test_full_key_compare_on_equal_hashes),
        cmocka_unit_test(test_table_grows),
        cmocka_unit_test(test_lru_evicts_least_recently_used_by_entries),
        cmocka_unit_test(test_lru_evicts_by_bytes),
        cmocka_unit_test(test_bigger_than_max_bytes_is_returned_not_stored),
        cmocka_unit_test(test_evicted_entry_with_reference_stays_readable),
        cmocka_unit_test(test_replace_same_key),
        cmocka_unit_test(test_prepared_headers_body_and_gzip),
        cmocka_unit_test(test_counters),
        cmocka_unit_test(test_lru_matches_a_model),
        cmocka_unit_test(test_page_head_carries_every_part_whole),
        cmocka_unit_test(test_prepared_heads_carry_a_long_csp_whole),
        cmocka_unit_test(test_recompression_runs_off_the_loop_and_swaps_the_gzip),
        cmocka_unit_test(test_spec_good),
        cmocka_unit_test(test_spec_bad),
        cmocka_unit_test(test_spec_len_and_nul),
        cmocka_unit_test_setup_teardown(test_key_default_is_the_app_name, kfx_setup, kfx_teardown),
        cmocka_unit_test_setup_teardown(test_key_spec_parts, kfx_setup, kfx_teardown),
        cmocka_unit_test_setup_teardown(test_key_function_wins_over_spec, kfx_setup, kfx_teardown),
        cmocka_unit_test_setup_teardown(test_key_function_adding_nothing_ignores_spec, kfx_setup,
                                        kfx_teardown),
        cmocka_unit_test_setup_teardown(test_key_has_the_user_unless_shared, kfx_setup,
                                        kfx_teardown),
        cmocka_unit_test_setup_teardown(test_key_parts_are_length_delimited, kfx_setup,
                                        kfx_teardown),
        cmocka_unit_test_setup_teardown(test_key_is_reset_between_requests, kfx_setup,
                                        kfx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
