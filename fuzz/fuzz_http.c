/*
 * fuzz_http: the HTTP/1.x request parser on arbitrary bytes. Each input is parsed twice with
 * each of two sets of limits (the defaults, and tight ones that make every limit reachable
 * within libFuzzer's input sizes): once in one piece by pn__http_parse, and once through the
 * incremental pn__http_parse_init/feed/fini with the bytes arriving 7 at a time, as a slow
 * client would send them. Both must agree on the result (success, incomplete or an error), the
 * bytes consumed and every field.
 * A parsed request must also satisfy what the rest of pane relies on: slices inside the input,
 * a path that starts with '/' (or is "*") and holds no '?' or '#', header values without
 * control bytes, Host present for HTTP/1.1, and every limit respected.
 */
#include <stdint.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_http: check failed: %s (line %d)\n", #cond, __LINE__);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static bool inside(pn_str s, const char *base, size_t len)
{
    return s.len == 0 || (s.ptr >= base && s.ptr + s.len <= base + len);
}

static bool slice_eq(pn_str a, pn_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

static void check_request(const struct pn_http_req *r, const char *buf, size_t len, size_t consumed,
                          const struct pn_http_limits *lim)
{
    CHECK(consumed > 0 && consumed <= len);
    CHECK(r->http_major == 1);
    CHECK(inside(r->url, buf, consumed));
    CHECK(r->url.len > 0 && r->url.len <= lim->max_url);
    CHECK(r->path.len > 0);
    CHECK(inside(r->path, buf, consumed) || pn__str_eq(r->path, PN_STRLIT("/")));
    CHECK(r->path.ptr[0] == '/' || pn__str_eq(r->path, PN_STRLIT("*")));
    CHECK(!memchr(r->path.ptr, '?', r->path.len) && !memchr(r->path.ptr, '#', r->path.len));
    CHECK(inside(r->query, buf, consumed));
    CHECK(!memchr(r->query.ptr, '#', r->query.len));
    CHECK(r->nheaders <= lim->max_headers);
    for (size_t i = 0; i < r->nheaders; i++) {
        const struct pn_http_header *h = &r->headers[i];
        CHECK(h->name.len > 0);
        CHECK(inside(h->name, buf, consumed));
        CHECK(inside(h->value, buf, consumed));
        for (size_t k = 0; k < h->value.len; k++) {
            unsigned char c = (unsigned char)h->value.ptr[k];
            CHECK(c == '\t' || (c >= 0x20 && c != 0x7f));
        }
        if (h->value.len) /* trimmed */
            CHECK(h->value.ptr[0] != ' ' && h->value.ptr[h->value.len - 1] != ' ' &&
                  h->value.ptr[h->value.len - 1] != '\t');
    }
    if (r->http_minor >= 1)
        CHECK(pn__http_header(r, "host").ptr != NULL);
    CHECK(r->body.len <= lim->max_body);
    CHECK(r->body.len <= consumed);
    pn_str ae = pn__http_header(r, "accept-encoding");
    CHECK(r->accept_gzip == (ae.ptr && pn__str_list_has(ae, PN_STRLIT("gzip"))));
    CHECK(pn__str_eq(r->method_name, pn__str(http_method_str((enum http_method)r->method))));
    /* --use-xheaders: what a proxy's headers say is an address, a scheme and a host, or none */
    struct pn_http_forwarded f;
    pn__http_forwarded(r, &f);
    unsigned char bin[16];
    CHECK(!f.client[0] || inet_pton(AF_INET, f.client, bin) == 1 ||
          inet_pton(AF_INET6, f.client, bin) == 1);
    CHECK(!f.proto[0] || !strcmp(f.proto, "http") || !strcmp(f.proto, "https"));
    CHECK(!f.host.ptr || (f.host.len > 0 && f.host.len <= 255 && inside(f.host, buf, consumed)));
    for (size_t k = 0; f.host.ptr && k < f.host.len; k++)
        CHECK(f.host.ptr[k] > 0x20 && f.host.ptr[k] != '"' && f.host.ptr[k] != '<');
}

static void check_error(int rc)
{
    CHECK(rc == PN_EPARSE || rc == PN_EURI || rc == PN_EHEADERS || rc == PN_EBODY ||
          rc == PN_EVERSION || rc == PN_EEXPECT);
    int st = pn__http_error_status(rc);
    CHECK(st == 400 || st == 413 || st == 414 || st == 417 || st == 431 || st == 505);
    CHECK(strcmp(pn__http_reason(st), "Unknown") != 0);
}

static void run(const char *buf, size_t len, const struct pn_http_limits *given)
{
    struct pn_http_limits lim = *given;
    pn__http_limits_default(&lim);

    /* one piece */
    struct pn_arena arena;
    pn__arena_init(&arena, 1024);
    struct pn_http_req one;
    size_t consumed = 0;
    int rc = pn__http_parse(buf, len, given, &arena, &one, &consumed);
    if (rc == 0)
        check_request(&one, buf, len, consumed, &lim);
    else if (rc != PN_EAGAIN)
        check_error(rc);

    /* 7 bytes at a time */
    struct pn_http_parse st;
    pn__http_parse_init(&st, &lim);
    struct pn_http_req inc;
    size_t parsed = 0, end = 0;
    int rc2 = PN_EAGAIN;
    while (rc2 == PN_EAGAIN && end < len) {
        end = end + 7 < len ? end + 7 : len;
        rc2 = pn__http_parse_feed(&st, buf, end, &parsed, &arena, &inc);
    }
    if (len == 0)
        rc2 = pn__http_parse_feed(&st, buf, 0, &parsed, &arena, &inc);
    /* Both must accept the same requests and wait for the same prefixes. Two errors may
     * differ: a URL that is both too long and malformed is 414 when its bytes trickle in
     * (the length is checked per piece) and 400 when it arrives in one piece. */
    bool both_errors = rc != 0 && rc != PN_EAGAIN && rc2 != 0 && rc2 != PN_EAGAIN;
    if (rc != rc2 && !both_errors) {
        fprintf(stderr,
                "fuzz_http: one piece gave %d (%s), 7-byte feeds gave %d (%s) "
                "[limits: header bytes %zu, url %zu, body %zu, headers %u]\n",
                rc, pn__strerror(rc), rc2, pn__strerror(rc2), lim.max_header_bytes, lim.max_url,
                lim.max_body, lim.max_headers);
        abort();
    }
    if (rc == 0) {
        CHECK(parsed == consumed);
        CHECK(inc.method == one.method);
        CHECK(slice_eq(inc.url, one.url));
        CHECK(slice_eq(inc.path, one.path));
        CHECK(slice_eq(inc.query, one.query));
        CHECK(inc.http_minor == one.http_minor);
        CHECK(inc.nheaders == one.nheaders);
        for (size_t i = 0; i < one.nheaders; i++) {
            CHECK(slice_eq(inc.headers[i].name, one.headers[i].name));
            CHECK(slice_eq(inc.headers[i].value, one.headers[i].value));
        }
        CHECK(slice_eq(inc.body, one.body));
        CHECK(inc.keep_alive == one.keep_alive);
        CHECK(inc.upgrade == one.upgrade);
        CHECK(inc.accept_gzip == one.accept_gzip);
    }
    pn__http_parse_fini(&st);
    pn__arena_fini(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* an exact-size heap copy, so ASan sees any read past the end */
    char *buf = malloc(size ? size : 1);
    if (size)
        memcpy(buf, data, size);
    const struct pn_http_limits defaults = {0};
    run(buf, size, &defaults);
    const struct pn_http_limits tight = {
        .max_header_bytes = 512, .max_url = 128, .max_body = 256, .max_headers = 8};
    run(buf, size, &tight);
    free(buf);
    return 0;
}
