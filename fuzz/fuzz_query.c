/*
 * fuzz_query: the query-string and cookie helpers on arbitrary bytes. The input is used as a
 * query string (pn__query_get for a few names, into a small bounded buffer that already holds
 * something), as percent-encoded text (pn__url_decode), as a header token list
 * (pn__str_list_has), and as the value of a Cookie header of a real parsed request
 * (pn_request_cookie, pn_request_arg). Checked: the buffer contract (a failed call leaves the
 * buffer exactly as it was, NUL-terminated; a successful one only appends), decoded bytes are
 * strict UTF-8 without NUL, and a cookie value is a NUL-terminated piece of the header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_query: check failed: %s (line %d)\n", #cond, __LINE__);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* An independent strict UTF-8 check (RFC 3629), with NUL refused. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
            need = 1;
        else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            if (c == 0xe0)
                lo = 0xa0;
            if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            if (c == 0xf0)
                lo = 0x90;
            if (c == 0xf4)
                hi = 0x8f;
        } else
            return false;
        if (n - i <= need)
            return false;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return false;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
        i += need + 1;
    }
    return true;
}

static const char prefix[] = "pre";

static void buf_prime(struct pn_buf *b)
{
    pn__buf_reset(b);
    CHECK(pn__buf_puts(b, prefix) == 0);
}

/* After a call that appended to a primed buffer: the prefix is intact, the buffer is
 * NUL-terminated at len, and on failure nothing was added. */
static void buf_check(const struct pn_buf *b, int rc)
{
    CHECK(b->data != NULL);
    CHECK(b->len >= 3 && memcmp(b->data, prefix, 3) == 0);
    CHECK(b->len <= b->max);
    CHECK(b->data[b->len] == '\0');
    if (rc != 0)
        CHECK(b->len == 3);
    else
        CHECK(utf8_valid((const unsigned char *)b->data + 3, b->len - 3));
}

static void fuzz_query_get(pn_str q)
{
    static const char *const names[] = {"a", "city", "", "a b", "\xc3\xa9", "x=y"};
    struct pn_buf small, big;
    pn__buf_init(&small, 24);
    pn__buf_init(&big, 1 << 16);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        buf_prime(&small);
        int rc = pn__query_get(q, names[i], &small);
        CHECK(rc == 0 || rc == PN_ENOTFOUND || rc == PN_EPARSE || rc == PN_ETOOBIG);
        buf_check(&small, rc);

        buf_prime(&big);
        int rc2 = pn__query_get(q, names[i], &big);
        CHECK(rc2 == 0 || rc2 == PN_ENOTFOUND || rc2 == PN_EPARSE);
        buf_check(&big, rc2);
        /* the small buffer finds the same value; it can only differ by running out of room
         * (which may happen before a bad escape or a bad byte further on is seen) */
        if (rc != rc2)
            CHECK(rc == PN_ETOOBIG && rc2 != PN_ENOTFOUND);
        if (rc == 0)
            CHECK(small.len == big.len && memcmp(small.data, big.data, big.len) == 0);
    }
    pn__buf_fini(&small);
    pn__buf_fini(&big);
}

static void fuzz_url_decode(const char *s, size_t n)
{
    struct pn_buf b;
    pn__buf_init(&b, 1 << 16);
    buf_prime(&b);
    int rc = pn__url_decode(s, n, &b);
    CHECK(rc == 0 || rc == PN_EPARSE);
    buf_check(&b, rc);
    if (rc == 0) {
        CHECK(b.len - 3 <= n);
        if (!memchr(s, '%', n) && !memchr(s, '+', n))
            CHECK(b.len - 3 == n && memcmp(b.data + 3, s, n) == 0);
    }
    pn__buf_fini(&b);

    struct pn_buf tiny;
    pn__buf_init(&tiny, 8);
    buf_prime(&tiny);
    int rc2 = pn__url_decode(s, n, &tiny);
    CHECK(rc2 == 0 || rc2 == PN_EPARSE || rc2 == PN_ETOOBIG);
    buf_check(&tiny, rc2);
    pn__buf_fini(&tiny);
}

static bool contains_ci(const char *s, size_t n, const char *word)
{
    size_t m = strlen(word);
    for (size_t i = 0; i + m <= n; i++)
        if (pn__str_ieq((pn_str){s + i, m}, (pn_str){word, m}))
            return true;
    return false;
}

static void fuzz_list(pn_str list)
{
    static const char *const tokens[] = {"gzip", "keep-alive", "upgrade", ""};
    for (size_t i = 0; i < sizeof tokens / sizeof *tokens; i++) {
        bool has = pn__str_list_has(list, pn__str(tokens[i]));
        if (has && tokens[i][0])
            CHECK(contains_ci(list.ptr, list.len, tokens[i]));
    }
}

static void fuzz_cookie(const char *s, size_t n)
{
    char *raw = malloc(n + 128);
    int head = snprintf(raw, n + 128, "GET /p HTTP/1.1\r\nHost: x\r\nCookie: ");
    memcpy(raw + head, s, n);
    memcpy(raw + head + n, "\r\n\r\n", 4);
    size_t len = (size_t)head + n + 4;
    struct pn_arena arena;
    pn__arena_init(&arena, 1024);
    struct pn_http_req http;
    struct pn_http_limits lim = {0};
    size_t consumed;
    if (pn__http_parse(raw, len, &lim, &arena, &http, &consumed) == 0) {
        pn_request req = {.http = &http, .arena = &arena};
        pn_str hv = pn__http_header(&http, "cookie");
        static const char *const names[] = {"a", "session", "", "b"};
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            const char *def = "\x01"
                              "def";
            const char *v = pn_request_cookie(&req, names[i], def);
            CHECK(v != NULL);
            if (v != def) {
                size_t vl = strlen(v);
                CHECK(hv.ptr != NULL && vl <= hv.len);
                bool found = false;
                for (size_t k = 0; !found && k + vl <= hv.len; k++)
                    found = memcmp(hv.ptr + k, v, vl) == 0;
                CHECK(found);
                CHECK(!memchr(v, ';', vl));
            }
        }
        CHECK(strcmp(pn_request_path(&req), "/p") == 0);
    }
    pn__arena_fini(&arena);
    free(raw);
}

static void fuzz_request_arg(const char *s, size_t n)
{
    /* the input as the query of a parsed request (when it is a valid request target) */
    char *raw = malloc(n + 64);
    int head = snprintf(raw, n + 64, "GET /p?");
    memcpy(raw + head, s, n);
    static const char tail[] = " HTTP/1.1\r\nHost: x\r\n\r\n";
    memcpy(raw + head + n, tail, sizeof tail - 1);
    size_t len = (size_t)head + n + sizeof tail - 1;
    struct pn_arena arena;
    pn__arena_init(&arena, 1024);
    struct pn_http_req http;
    struct pn_http_limits lim = {0};
    size_t consumed;
    if (pn__http_parse(raw, len, &lim, &arena, &http, &consumed) == 0) {
        pn_request req = {.http = &http, .arena = &arena};
        const char *def = "\x01"
                          "def";
        const char *v = pn_request_arg(&req, "a", def);
        CHECK(v != NULL);
        if (v != def)
            CHECK(utf8_valid((const unsigned char *)v, strlen(v)));
    }
    pn__arena_fini(&arena);
    free(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size ? size : 1); /* exact size: ASan sees reads past the end */
    if (size)
        memcpy(s, data, size);
    pn_str q = {s, size};
    fuzz_query_get(q);
    fuzz_url_decode(s, size);
    fuzz_list(q);
    fuzz_cookie(s, size);
    fuzz_request_arg(s, size);
    free(s);
    return 0;
}
