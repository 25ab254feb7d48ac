/*
 * test_net: the pure HTTP/1.x request parser (pn__http_parse and its incremental form
 * pn__http_parse_init/feed/fini). Complete and incomplete requests, every limit and the status
 * it maps to, pipelining, request-target forms, header handling, bodies (Content-Length and
 * chunked) and the framing errors that must be 400 (CL+TE, duplicate CL, obs-fold, controls).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "net/internal.h"

/* ---- helpers ---- */

struct fx {
    struct pn_arena arena;
    struct pn_http_limits lim; /* zero: defaults */
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    pn__arena_init(&f->arena, 1024);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    pn__arena_fini(&f->arena);
    free(f);
    return 0;
}

/* A NUL-terminated copy of a slice for assert_string_equal (a ring of static buffers, so a
 * failing assertion leaks nothing). */
static const char *z(pn_str s)
{
    static char ring[8][8192];
    static int next;
    char *b = ring[next++ % 8];
    size_t n = s.len < sizeof ring[0] - 1 ? s.len : sizeof ring[0] - 1;
    if (n)
        memcpy(b, s.ptr, n);
    b[n] = '\0';
    return b;
}

static int parse_n(struct fx *f, const char *buf, size_t len, struct pn_http_req *r,
                   size_t *consumed)
{
    return pn__http_parse(buf, len, &f->lim, &f->arena, r, consumed);
}

static int parse(struct fx *f, const char *buf, struct pn_http_req *r, size_t *consumed)
{
    return parse_n(f, buf, strlen(buf), r, consumed);
}

/* Builds "GET / HTTP/1.1\r\nHost: x\r\n" + headers "X-Pad-i: <pad>" + "\r\n" into a heap
 * buffer of about total bytes, with few (long) headers so that only the byte limit applies. */
static char *big_head(size_t total)
{
    char *b = calloc(1, total + 256);
    size_t len = (size_t)snprintf(b, total + 256, "GET / HTTP/1.1\r\nHost: x\r\n");
    int i = 0;
    while (len + 64 < total) {
        size_t pad = total - len - 32 < 500 ? total - len - 32 : 500;
        len += (size_t)snprintf(b + len, total + 256 - len, "X-Pad-%04d: %0*d\r\n", i++, (int)pad, 0);
    }
    memcpy(b + len, "\r\n", 3);
    return b;
}

/* ---- what a proxy says (--use-xheaders) ---- */

static struct pn_http_forwarded forwarded(struct fx *f, const char *headers)
{
    char buf[2048];
    snprintf(buf, sizeof buf, "GET / HTTP/1.1\r\nHost: pane.test\r\n%s\r\n", headers);
    struct pn_http_req r;
    size_t used;
    assert_int_equal(parse(f, buf, &r, &used), 0);
    struct pn_http_forwarded out;
    pn__http_forwarded(&r, &out);
    return out;
}

static void test_forwarded_headers_give_the_last_hops_client_scheme_and_host(void **state)
{
    struct fx *f = *state;
    struct pn_http_forwarded w = forwarded(f, "");
    assert_string_equal(w.client, "");
    assert_string_equal(w.proto, "");
    assert_null(w.host.ptr);
    /* the nearest proxy's header is the last one, its value the last item */
    w = forwarded(f, "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-For: 10.0.0.1, 192.0.2.9\r\n"
                     "X-Forwarded-Proto: http, https\r\nX-Forwarded-Host: dash.example:8443\r\n");
    assert_string_equal(w.client, "192.0.2.9");
    assert_string_equal(w.proto, "https");
    assert_string_equal(z(w.host), "dash.example:8443");
    w = forwarded(f, "X-Real-IP: 2001:db8::7\r\nX-Scheme: http\r\n");
    assert_string_equal(w.client, "2001:db8::7");
    assert_string_equal(w.proto, "http");
    /* RFC 7239 wins: its last element; quoted IPv6 with a port, names in any case */
    w = forwarded(f, "Forwarded: for=192.0.2.1, For=\"[2001:db8:cafe::17]:4711\";PROTO=https;"
                     "host=\"a.example\"\r\nX-Forwarded-For: 198.51.100.1\r\n");
    assert_string_equal(w.client, "2001:db8:cafe::17");
    assert_string_equal(w.proto, "https");
    assert_string_equal(z(w.host), "a.example");
    w = forwarded(f, "Forwarded: for=198.51.100.3:8080\r\n");
    assert_string_equal(w.client, "198.51.100.3");
    /* what is not an address, a scheme or a host is left out, never copied to a log */
    w = forwarded(f, "X-Forwarded-For: evil\" \"GET /admin\r\nX-Forwarded-Proto: gopher\r\n"
                     "X-Forwarded-Host: a<script>\r\n");
    assert_string_equal(w.client, "");
    assert_string_equal(w.proto, "");
    assert_null(w.host.ptr);
    w = forwarded(f, "Forwarded: for=unknown;for=_hidden\r\nX-Forwarded-For: 999.1.1.1\r\n");
    assert_string_equal(w.client, "");
    w = forwarded(f, "Forwarded: for=\"[::1\"\r\n");
    assert_string_equal(w.client, "");
}

/* ---- complete and incomplete ---- */

static void test_parse_complete_get_fills_every_field(void **state)
{
    struct fx *f = *state;
    const char *req = "GET /weather?city=Paris HTTP/1.1\r\n"
                      "Host: example.com\r\n"
                      "User-Agent: t\r\n"
                      "\r\n";
    struct pn_http_req r;
    size_t consumed = 0;
    assert_int_equal(parse(f, req, &r, &consumed), 0);
    assert_int_equal(consumed, strlen(req));
    assert_int_equal(r.method, HTTP_GET);
    assert_string_equal(z(r.method_name), "GET");
    assert_string_equal(z(r.url), "/weather?city=Paris");
    assert_string_equal(z(r.path), "/weather");
    assert_string_equal(z(r.query), "city=Paris");
    assert_int_equal(r.http_major, 1);
    assert_int_equal(r.http_minor, 1);
    assert_int_equal(r.nheaders, 2);
    assert_string_equal(z(r.headers[0].name), "Host");
    assert_string_equal(z(r.headers[0].value), "example.com");
    assert_string_equal(z(r.headers[1].name), "User-Agent");
    assert_int_equal(r.body.len, 0);
    assert_true(r.keep_alive);
    assert_false(r.upgrade);
    assert_false(r.accept_gzip);
}

static void test_parse_every_proper_prefix_is_eagain_and_leaves_out_untouched(void **state)
{
    struct fx *f = *state;
    const char *req = "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    size_t n = strlen(req);
    for (size_t i = 0; i < n; i++) {
        struct pn_http_req r, before;
        memset(&r, 0xA5, sizeof r);
        before = r;
        size_t consumed = 12345;
        int rc = parse_n(f, req, i, &r, &consumed);
        if (rc != PN_EAGAIN)
            fail_msg("prefix of %zu bytes: got %d (%s), want PN_EAGAIN", i, rc, pn__strerror(rc));
        assert_memory_equal(&r, &before, sizeof r);
        assert_int_equal(consumed, 12345);
    }
    struct pn_http_req r;
    size_t consumed = 0;
    assert_int_equal(parse_n(f, req, n, &r, &consumed), 0);
    assert_string_equal(z(r.body), "abc");
}

static void test_parse_garbage_is_parse_error_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, "\x01\x02garbage\r\n\r\n", &r, &c);
    assert_int_equal(rc, PN_EPARSE);
    assert_int_equal(pn__http_error_status(rc), 400);
}

static void test_parse_unknown_method_is_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "FROB / HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), PN_EPARSE);
}

/* ---- limits ---- */

static void test_parse_url_over_max_url_gives_414(void **state)
{
    struct fx *f = *state;
    f->lim.max_url = 32;
    char req[256];
    snprintf(req, sizeof req, "GET /%040d HTTP/1.1\r\nHost: x\r\n\r\n", 0);
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    assert_int_equal(rc, PN_EURI);
    assert_int_equal(pn__http_error_status(rc), 414);
}

static void test_parse_url_at_max_url_is_accepted(void **state)
{
    struct fx *f = *state;
    f->lim.max_url = 32;
    char url[33];
    memset(url, 'a', 32);
    url[0] = '/';
    url[32] = '\0';
    char req[256];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", url);
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), 0);
    assert_int_equal(r.url.len, 32);
}

static void test_parse_long_url_still_arriving_gives_414_early(void **state)
{
    struct fx *f = *state;
    f->lim.max_url = 32;
    char req[256];
    snprintf(req, sizeof req, "GET /%0100d", 0); /* no end of line yet */
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), PN_EURI);
}

static void test_parse_incomplete_head_over_max_header_bytes_gives_431(void **state)
{
    struct fx *f = *state;
    f->lim.max_header_bytes = 1024;
    char *req = big_head(4096);
    req[strlen(req) - 2] = '\0'; /* drop the final CRLF: the head is still arriving */
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    free(req);
    assert_int_equal(rc, PN_EHEADERS);
    assert_int_equal(pn__http_error_status(rc), 431);
}

/* The limit must hold however the bytes arrive: a client that sends an oversized head in one
 * write must get 431 just like one that trickles it. */
static void test_parse_complete_head_over_max_header_bytes_gives_431(void **state)
{
    struct fx *f = *state;
    f->lim.max_header_bytes = 1024;
    char *req = big_head(4096);
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    free(req);
    assert_int_equal(rc, PN_EHEADERS);
}

/* Once the head is complete the limit is no longer checked: with the body still to come the
 * parser asks for more bytes instead of answering 431. */
static void test_parse_oversized_head_with_body_still_arriving_gives_431(void **state)
{
    struct fx *f = *state;
    f->lim.max_header_bytes = 1024;
    char *head = big_head(4096);
    char *req = malloc(strlen(head) + 64);
    size_t n = strlen(head) - 2; /* before the final CRLF */
    memcpy(req, head, n);
    snprintf(req + n, 64, "Content-Length: 10\r\n\r\nabc");
    free(head);
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    free(req);
    assert_int_equal(rc, PN_EHEADERS);
}

static void test_parse_complete_head_over_default_16k_gives_431(void **state)
{
    struct fx *f = *state;
    char *req = big_head(20 * 1024); /* default max_header_bytes is 16 KiB */
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    free(req);
    assert_int_equal(rc, PN_EHEADERS);
}

static void test_parse_head_under_max_header_bytes_is_accepted(void **state)
{
    struct fx *f = *state;
    f->lim.max_header_bytes = 4096;
    char *req = big_head(2048);
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    free(req);
    assert_int_equal(rc, 0);
}

static void test_parse_too_many_headers_gives_431(void **state)
{
    struct fx *f = *state;
    f->lim.max_headers = 3;
    const char *req = "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), PN_EHEADERS);
    const char *ok = "GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\n\r\n";
    assert_int_equal(parse(f, ok, &r, &c), 0);
    assert_int_equal(r.nheaders, 3);
}

static void test_parse_content_length_over_max_body_gives_413_before_body(void **state)
{
    struct fx *f = *state;
    f->lim.max_body = 10;
    /* only the head: the body has not arrived, the declared length is enough */
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    assert_int_equal(rc, PN_EBODY);
    assert_int_equal(pn__http_error_status(rc), 413);
}

static void test_parse_body_at_max_body_is_accepted(void **state)
{
    struct fx *f = *state;
    f->lim.max_body = 10;
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), 0);
    assert_string_equal(z(r.body), "0123456789");
}

static void test_parse_chunked_body_over_max_body_gives_413(void **state)
{
    struct fx *f = *state;
    f->lim.max_body = 8;
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), PN_EBODY);
}

static void test_parse_http_2_0_gives_505(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, "GET / HTTP/2.0\r\nHost: x\r\n\r\n", &r, &c);
    assert_int_equal(rc, PN_EVERSION);
    assert_int_equal(pn__http_error_status(rc), 505);
}

static void test_parse_http_0_9_style_version_gives_505(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/0.9\r\n\r\n", &r, &c), PN_EVERSION);
}

/* ---- Host ---- */

static void test_parse_http_1_1_without_host_gives_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", &r, &c);
    assert_int_equal(rc, PN_EPARSE);
    assert_int_equal(pn__http_error_status(rc), 400);
}

static void test_parse_http_1_0_without_host_is_accepted(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.0\r\n\r\n", &r, &c), 0);
    assert_int_equal(r.http_minor, 0);
    assert_false(r.keep_alive);
}

static void test_parse_host_header_name_is_case_insensitive(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nhOsT: x\r\n\r\n", &r, &c), 0);
}

/* RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any HTTP/1.1
 * request message that lacks a Host header field and to any request message that contains
 * more than one Host header field line". */
static void test_parse_two_host_headers_give_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", &r, &c), PN_EPARSE);
}

/* ---- pipelining ---- */

static void test_parse_pipelined_second_request_is_not_consumed(void **state)
{
    struct fx *f = *state;
    const char *first = "GET /one HTTP/1.1\r\nHost: x\r\n\r\n";
    const char *both = "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n";
    struct pn_http_req r;
    size_t c = 0;
    assert_int_equal(parse(f, both, &r, &c), 0);
    assert_int_equal(c, strlen(first));
    assert_string_equal(z(r.path), "/one");
    size_t c2 = 0;
    assert_int_equal(parse(f, both + c, &r, &c2), 0);
    assert_int_equal(c + c2, strlen(both));
    assert_string_equal(z(r.path), "/two");
}

static void test_parse_pipelined_after_body_consumes_exactly_the_body(void **state)
{
    struct fx *f = *state;
    const char *first = "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi";
    char both[256];
    snprintf(both, sizeof both, "%sGET /b HTTP/1.1\r\nHost: x\r\n\r\n", first);
    struct pn_http_req r;
    size_t c = 0;
    assert_int_equal(parse(f, both, &r, &c), 0);
    assert_int_equal(c, strlen(first));
    assert_string_equal(z(r.body), "hi");
}

static void test_parse_pipelined_after_chunked_consumes_exactly_the_body(void **state)
{
    struct fx *f = *state;
    const char *first = "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "2\r\nhi\r\n0\r\n\r\n";
    char both[256];
    snprintf(both, sizeof both, "%sGET /b HTTP/1.1\r\nHost: x\r\n\r\n", first);
    struct pn_http_req r;
    size_t c = 0;
    assert_int_equal(parse(f, both, &r, &c), 0);
    assert_int_equal(c, strlen(first));
}

/* The incremental API as the connection uses it: feed, answer, compact, next. */
static void test_parse_feed_handles_pipelined_requests_after_compaction(void **state)
{
    struct fx *f = *state;
    struct pn_http_limits lim = {0};
    pn__http_limits_default(&lim);
    struct pn_http_parse st;
    pn__http_parse_init(&st, &lim);
    char buf[512];
    snprintf(buf, sizeof buf, "GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two?q=1 HTTP/1.1\r\nHo");
    size_t len = strlen(buf), parsed = 0;
    struct pn_http_req r;
    int rc = pn__http_parse_feed(&st, buf, len, &parsed, &f->arena, &r);
    if (rc != 0) {
        pn__http_parse_fini(&st);
        fail_msg("first feed: %d", rc);
    }
    bool one = pn__str_eq(r.path, PN_STRLIT("/one"));
    memmove(buf, buf + parsed, len - parsed);
    len -= parsed;
    parsed = 0;
    pn__http_parse_next(&st);
    int rc2 = pn__http_parse_feed(&st, buf, len, &parsed, &f->arena, &r);
    snprintf(buf + len, sizeof buf - len, "st: x\r\n\r\n");
    len += strlen("st: x\r\n\r\n");
    int rc3 = pn__http_parse_feed(&st, buf, len, &parsed, &f->arena, &r);
    pn__http_parse_fini(&st);
    assert_true(one);
    assert_int_equal(rc2, PN_EAGAIN);
    assert_int_equal(rc3, 0);
    assert_int_equal(parsed, len);
    assert_string_equal(z(r.path), "/two");
    assert_string_equal(z(r.query), "q=1");
}

static void test_parse_feed_byte_by_byte_matches_one_shot(void **state)
{
    struct fx *f = *state;
    const char *req = "POST /x/y?a=%20b HTTP/1.1\r\nHost: h\r\nX-Long-Header-Name: va lue \r\n"
                      "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\n\r\n";
    size_t n = strlen(req);
    struct pn_http_req one;
    size_t consumed = 0;
    assert_int_equal(parse_n(f, req, n, &one, &consumed), 0);

    struct pn_http_limits lim = {0};
    pn__http_limits_default(&lim);
    struct pn_http_parse st;
    pn__http_parse_init(&st, &lim);
    struct pn_http_req inc;
    size_t parsed = 0;
    int rc = PN_EAGAIN;
    size_t end = 0;
    while (rc == PN_EAGAIN && end < n)
        rc = pn__http_parse_feed(&st, req, ++end, &parsed, &f->arena, &inc);
    char body[64];
    snprintf(body, sizeof body, "%s", rc == 0 ? z(inc.body) : "");
    pn__http_parse_fini(&st);
    assert_int_equal(rc, 0);
    assert_int_equal(parsed, consumed);
    assert_string_equal(z(inc.url), z(one.url));
    assert_string_equal(z(inc.path), z(one.path));
    assert_string_equal(z(inc.query), z(one.query));
    assert_int_equal(inc.nheaders, one.nheaders);
    for (size_t i = 0; i < one.nheaders; i++) {
        assert_string_equal(z(inc.headers[i].name), z(one.headers[i].name));
        assert_string_equal(z(inc.headers[i].value), z(one.headers[i].value));
    }
    assert_string_equal(body, z(one.body));
    assert_string_equal(body, "abcde");
}

/* ---- request target ---- */

static void test_parse_absolute_form_url_gives_path_and_query(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(
        parse(f, "GET http://example.com:8080/a/b?x=1&y=2 HTTP/1.1\r\nHost: example.com\r\n\r\n",
              &r, &c),
        0);
    assert_string_equal(z(r.path), "/a/b");
    assert_string_equal(z(r.query), "x=1&y=2");
    assert_string_equal(z(r.url), "http://example.com:8080/a/b?x=1&y=2");
}

static void test_parse_absolute_form_without_path_gives_root(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET http://example.com HTTP/1.1\r\nHost: e\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(r.path), "/");
    assert_int_equal(r.query.len, 0);
    assert_int_equal(parse(f, "GET http://example.com?k=v HTTP/1.1\r\nHost: e\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(r.path), "/");
    assert_string_equal(z(r.query), "k=v");
}

static void test_parse_query_split_drops_fragment(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET /p?a=1&b=2#frag HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(r.path), "/p");
    assert_string_equal(z(r.query), "a=1&b=2");
    assert_int_equal(parse(f, "GET /p#f?notquery HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(r.path), "/p");
    assert_int_equal(r.query.len, 0);
}

static void test_parse_query_empty_after_question_mark(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET /p? HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(r.path), "/p");
    assert_int_equal(r.query.len, 0);
    assert_int_equal(parse(f, "GET /p HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), 0);
    assert_int_equal(r.query.len, 0);
    assert_non_null(r.query.ptr);
}

static void test_parse_path_is_not_decoded(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET /a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(r.path), "/a%2Fb");
}

/* ---- headers ---- */

static void test_parse_header_values_are_trimmed_both_sides(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f,
                           "GET / HTTP/1.1\r\nHost: x\r\nX-A: \t  v a l \t \r\nX-B:v\r\n"
                           "X-Empty:   \r\n\r\n",
                           &r, &c),
                     0);
    assert_string_equal(z(pn__http_header(&r, "x-a")), "v a l");
    assert_string_equal(z(pn__http_header(&r, "X-B")), "v");
    pn_str e = pn__http_header(&r, "x-empty");
    assert_non_null(e.ptr);
    assert_int_equal(e.len, 0);
}

static void test_parse_header_lookup_is_case_insensitive_and_first_wins(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(
        parse(f, "GET / HTTP/1.1\r\nHost: x\r\nX-Dup: one\r\nx-dup: two\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(pn__http_header(&r, "X-DUP")), "one");
    pn_str none = pn__http_header(&r, "x-absent");
    assert_null(none.ptr);
    assert_int_equal(none.len, 0);
}

static void test_parse_accept_encoding_gzip_sets_accept_gzip(void **state)
{
    struct fx *f = *state;
    static const struct {
        const char *ae;
        bool want;
    } cases[] = {
        {"gzip", true},       {"deflate, gzip", true}, {"gzip, deflate, br", true},
        {"GZIP", true},       {"gzip;q=0.5", true},    {"gzip;q=0", false},
        {"gzip; q=0", false}, {"gzip;q=0.000", false}, {"br, gzip;q=0, deflate", false},
        {"identity", false},  {"x-gzip", false},       {"", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char req[256];
        snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: x\r\nAccept-Encoding: %s\r\n\r\n",
                 cases[i].ae);
        struct pn_http_req r;
        size_t c;
        assert_int_equal(parse(f, req, &r, &c), 0);
        if (r.accept_gzip != cases[i].want)
            fail_msg("Accept-Encoding: %s: accept_gzip %d, want %d", cases[i].ae, r.accept_gzip,
                     cases[i].want);
    }
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", &r, &c), 0);
    assert_false(r.accept_gzip);
}

static void test_parse_nul_in_header_value_gives_400(void **state)
{
    struct fx *f = *state;
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse_n(f, req, sizeof req - 1, &r, &c), PN_EPARSE);
}

static void test_parse_control_bytes_in_header_value_give_400(void **state)
{
    struct fx *f = *state;
    static const char *const bad[] = {"a\x01z", "a\x1bz", "a\x7fz", "a\rz"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char req[128];
        snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: x\r\nX-A: %s\r\n\r\n", bad[i]);
        struct pn_http_req r;
        size_t c;
        int rc = parse(f, req, &r, &c);
        if (rc != PN_EPARSE)
            fail_msg("control byte 0x%02x in a header value: got %d, want PN_EPARSE",
                     (unsigned char)bad[i][1], rc);
    }
}

static void test_parse_tab_and_obs_text_in_header_value_are_accepted(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\tb\xc3\xa9\r\n\r\n", &r, &c), 0);
    assert_string_equal(z(pn__http_header(&r, "x-a")), "a\tb\xc3\xa9");
}

/* RFC 9112 §5.2: a server MUST reject obs-fold with 400 or replace it with SP. pane rejects. */
static void test_parse_obs_fold_gives_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n  two\r\n\r\n", &r, &c),
                     PN_EPARSE);
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nHost: x\r\nX-A: one\r\n\ttwo\r\n\r\n", &r, &c),
                     PN_EPARSE);
}

/* RFC 9112 §5.1: no whitespace is allowed between a field name and the colon, and a server
 * MUST reject such a request with 400 ("Content-Length : 5" is a request-smuggling vector:
 * a proxy in front may honour it while pane treats it as an unknown header). */
static void test_parse_whitespace_in_or_after_header_name_gives_400(void **state)
{
    struct fx *f = *state;
    static const char *const bad[] = {
        "GET / HTTP/1.1\r\nHost: x\r\nX A: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nhello",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct pn_http_req r;
        size_t c;
        int rc = parse(f, bad[i], &r, &c);
        if (rc != PN_EPARSE)
            fail_msg("case %zu: got %d (%s), want PN_EPARSE (400)", i, rc, pn__strerror(rc));
    }
}

/* ---- bodies and framing ---- */

static void test_parse_content_length_body_is_copied_to_arena(void **state)
{
    struct fx *f = *state;
    char req[128];
    snprintf(req, sizeof req, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), 0);
    memset(req, 'X', strlen(req)); /* the body must not point into the caller's buffer … */
    assert_string_equal(z(r.body), "hello"); /* … nor into freed parse state (ASan) */
}

static void test_parse_chunked_body_is_decoded(void **state)
{
    struct fx *f = *state;
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "5\r\nhello\r\n6;name=val\r\n world\r\nA\r\n 012345678\r\n0\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), 0);
    assert_int_equal(c, strlen(req));
    assert_string_equal(z(r.body), "hello world 012345678");
    assert_null(pn__http_header(&r, "content-length").ptr);
}

static void test_parse_chunked_with_bad_chunk_size_gives_400(void **state)
{
    struct fx *f = *state;
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "zz\r\nhello\r\n0\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), PN_EPARSE);
}

/* RFC 9110 §6.5.1: trailer fields must not be merged into the header section. */
static void test_parse_chunked_trailer_fields_are_not_request_headers(void **state)
{
    struct fx *f = *state;
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "2\r\nhi\r\n0\r\nCookie: session=forged\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    int rc = parse(f, req, &r, &c);
    if (rc == 0) {
        assert_string_equal(z(r.body), "hi");
        assert_null(pn__http_header(&r, "cookie").ptr);
        assert_int_equal(r.nheaders, 2);
    } else {
        assert_int_equal(rc, PN_EPARSE);
    }
}

/* Trailers skip the checks the header section gets: an obs-fold (or a NUL) in a trailer
 * reaches the app as a header value with CR LF in it — header injection for any app that
 * echoes a header. Reproducers: fuzz/corpus/http/crash-trailer-*. */
static void test_parse_trailer_never_yields_control_bytes_in_a_header_value(void **state)
{
    struct fx *f = *state;
    static const char fold[] = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "0\r\nX-Folded: one\r\n two\r\n\r\n";
    static const char nul[] = "GET / HTTP/1.1\nHost:\nTransfer-Encoding:chunked\n\n0\r\nd:\0\n\n";
    const char *reqs[] = {fold, nul};
    size_t lens[] = {sizeof fold - 1, sizeof nul - 1};
    for (size_t k = 0; k < 2; k++) {
        struct pn_http_req r;
        size_t c;
        int rc = parse_n(f, reqs[k], lens[k], &r, &c);
        if (rc != 0)
            continue; /* refusing the request is fine */
        for (size_t i = 0; i < r.nheaders; i++)
            for (size_t j = 0; j < r.headers[i].value.len; j++) {
                unsigned char ch = (unsigned char)r.headers[i].value.ptr[j];
                if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
                    fail_msg("request %zu: header \"%s\" has byte 0x%02x in its value", k,
                             z(r.headers[i].name), ch);
            }
    }
}

static void test_parse_content_length_with_transfer_encoding_gives_400(void **state)
{
    struct fx *f = *state;
    const char *req = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, req, &r, &c), PN_EPARSE);
    const char *req2 = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                       "Content-Length: 5\r\n\r\n0\r\n\r\n";
    assert_int_equal(parse(f, req2, &r, &c), PN_EPARSE);
}

static void test_parse_duplicate_content_length_gives_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f,
                           "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                           "Content-Length: 4\r\n\r\nabcd",
                           &r, &c),
                     PN_EPARSE);
    assert_int_equal(parse(f,
                           "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                           "Content-Length: 3\r\n\r\nabc",
                           &r, &c),
                     PN_EPARSE);
}

static void test_parse_non_numeric_content_length_gives_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\na", &r, &c),
                     PN_EPARSE);
    assert_int_equal(parse(f, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", &r, &c),
                     PN_EPARSE);
}

static void test_parse_transfer_encoding_not_ending_in_chunked_gives_400(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f,
                           "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n"
                           "\r\n0\r\n\r\n",
                           &r, &c),
                     PN_EPARSE);
}

/* ---- connection semantics ---- */

static void test_parse_connection_close_clears_keep_alive(void **state)
{
    struct fx *f = *state;
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &r, &c), 0);
    assert_false(r.keep_alive);
    assert_int_equal(parse(f, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &r, &c), 0);
    assert_true(r.keep_alive);
}

static void test_parse_websocket_upgrade_sets_upgrade(void **state)
{
    struct fx *f = *state;
    const char *req = "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                      "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "\r\n";
    char both[512];
    snprintf(both, sizeof both, "%s\x81\x85", req); /* a frame follows the head */
    struct pn_http_req r;
    size_t c;
    assert_int_equal(parse(f, both, &r, &c), 0);
    assert_true(r.upgrade);
    assert_int_equal(c, strlen(req));
}

/* ---- status table ---- */

static void test_error_status_maps_every_parse_error(void **state)
{
    (void)state;
    assert_int_equal(pn__http_error_status(PN_EPARSE), 400);
    assert_int_equal(pn__http_error_status(PN_EURI), 414);
    assert_int_equal(pn__http_error_status(PN_EHEADERS), 431);
    assert_int_equal(pn__http_error_status(PN_EBODY), 413);
    assert_int_equal(pn__http_error_status(PN_EVERSION), 505);
    assert_int_equal(pn__http_error_status(PN_EINVAL), 400);
}

static void test_reason_phrases_for_error_statuses(void **state)
{
    (void)state;
    assert_string_equal(pn__http_reason(400), "Bad Request");
    assert_string_equal(pn__http_reason(413), "Content Too Large");
    assert_string_equal(pn__http_reason(414), "URI Too Long");
    assert_string_equal(pn__http_reason(431), "Request Header Fields Too Large");
    assert_string_equal(pn__http_reason(505), "HTTP Version Not Supported");
    assert_string_equal(pn__http_reason(299), "Unknown");
}

static void test_limits_default_fills_only_zero_fields(void **state)
{
    (void)state;
    struct pn_http_limits l = {.max_url = 100};
    pn__http_limits_default(&l);
    assert_int_equal(l.max_url, 100);
    assert_int_equal(l.max_header_bytes, 16 * 1024);
    assert_int_equal(l.max_body, 1024 * 1024);
    assert_int_equal(l.max_headers, 100);
    assert_true(l.header_timeout_ms > 0);
    assert_true(l.idle_timeout_ms > 0);
}

/* ---- the response head writer (pn__http_fields) ---- */

static void test_fields_writes_every_part_and_the_blank_line(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    assert_int_equal(pn__http_fields(&b, &(struct pn_http_fields){
                                             .content_length = 42,
                                             .content_type = "text/html; charset=utf-8",
                                             .gzip = true,
                                             .vary = true,
                                             .etag = "W/\"abc\"",
                                             .cache_control = "no-cache",
                                             .extra = {"X-A: 1\r\n", NULL, "X-B: 2\r\nX-C: 3\r\n"}}),
                     0);
    assert_string_equal(b.data, "Content-Length: 42\r\n"
                                "Content-Type: text/html; charset=utf-8\r\n"
                                "Content-Encoding: gzip\r\n"
                                "Vary: Accept-Encoding\r\n"
                                "ETag: W/\"abc\"\r\n"
                                "Cache-Control: no-cache\r\n"
                                "X-A: 1\r\nX-B: 2\r\nX-C: 3\r\n"
                                "\r\n");
    pn__buf_reset(&b);
    assert_int_equal(pn__http_fields(&b, &(struct pn_http_fields){.no_length = true}), 0);
    assert_string_equal(b.data, "\r\n");
    pn__buf_fini(&b);
}

static void test_fields_over_the_bound_is_an_error_never_a_cut(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    pn__buf_puts(&b, "HTTP/1.1 200 OK\r\n");
    size_t before = b.len;
    /* one long header line, just over the bound: nothing of it is written */
    size_t n = PN_HTTP_MAX_HEAD;
    char *line = malloc(n + 8);
    memcpy(line, "X-L: ", 5);
    memset(line + 5, 'a', n - 5);
    memcpy(line + n, "\r\n", 3);
    assert_int_equal(pn__http_fields(&b, &(struct pn_http_fields){.extra = {line}}), PN_ETOOBIG);
    assert_int_equal(b.len, before);
    assert_string_equal(b.data, "HTTP/1.1 200 OK\r\n");
    /* a line that fits (a 791-character CSP, say) is written whole */
    line[900] = '\r', line[901] = '\n', line[902] = '\0';
    assert_int_equal(pn__http_fields(&b, &(struct pn_http_fields){.extra = {line}}), 0);
    assert_int_equal(b.len, before + strlen("Content-Length: 0\r\n") + 902 + 2);
    assert_memory_equal(b.data + b.len - 5, "a\r\n\r\n", 5);
    free(line);
    pn__buf_fini(&b);
    /* the buffer's own bound is an error too, the buffer left as it was */
    char mem[64];
    struct pn_buf f;
    pn__buf_init_fixed(&f, mem, sizeof mem);
    assert_int_equal(pn__http_fields(&f, &(struct pn_http_fields){
                                             .content_type = "text/html; charset=utf-8",
                                             .cache_control = "public, max-age=31536000"}),
                     PN_ETOOBIG);
    assert_int_equal(f.len, 0);
}

static void test_fields_refuse_extras_that_are_not_header_lines(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    const char *bad[] = {"X-A: 1", "X-A: 1\n", "X-A: 1\r\n\r\n", "X-A: 1\rX-B: 2\r\n",
                         "\r\n", "X-A: 1\r\nX-B\nC: 2\r\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(pn__http_fields(&b, &(struct pn_http_fields){.extra = {bad[i]}}),
                         PN_EINVAL);
        assert_int_equal(b.len, 0);
    }
    assert_int_equal(pn__http_fields(&b, &(struct pn_http_fields){.no_length = true,
                                                                    .extra = {""}}),
                     0);
    pn__buf_fini(&b);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_parse_complete_get_fills_every_field),
        T(test_forwarded_headers_give_the_last_hops_client_scheme_and_host),
        T(test_parse_every_proper_prefix_is_eagain_and_leaves_out_untouched),
        T(test_parse_garbage_is_parse_error_400),
        T(test_parse_unknown_method_is_400),
        T(test_parse_url_over_max_url_gives_414),
        T(test_parse_url_at_max_url_is_accepted),
        T(test_parse_long_url_still_arriving_gives_414_early),
        T(test_parse_incomplete_head_over_max_header_bytes_gives_431),
        T(test_parse_complete_head_over_max_header_bytes_gives_431),
        T(test_parse_oversized_head_with_body_still_arriving_gives_431),
        T(test_parse_complete_head_over_default_16k_gives_431),
        T(test_parse_head_under_max_header_bytes_is_accepted),
        T(test_parse_too_many_headers_gives_431),
        T(test_parse_content_length_over_max_body_gives_413_before_body),
        T(test_parse_body_at_max_body_is_accepted),
        T(test_parse_chunked_body_over_max_body_gives_413),
        T(test_parse_http_2_0_gives_505),
        T(test_parse_http_0_9_style_version_gives_505),
        T(test_parse_http_1_1_without_host_gives_400),
        T(test_parse_http_1_0_without_host_is_accepted),
        T(test_parse_host_header_name_is_case_insensitive),
        T(test_parse_two_host_headers_give_400),
        T(test_parse_pipelined_second_request_is_not_consumed),
        T(test_parse_pipelined_after_body_consumes_exactly_the_body),
        T(test_parse_pipelined_after_chunked_consumes_exactly_the_body),
        T(test_parse_feed_handles_pipelined_requests_after_compaction),
        T(test_parse_feed_byte_by_byte_matches_one_shot),
        T(test_parse_absolute_form_url_gives_path_and_query),
        T(test_parse_absolute_form_without_path_gives_root),
        T(test_parse_query_split_drops_fragment),
        T(test_parse_query_empty_after_question_mark),
        T(test_parse_path_is_not_decoded),
        T(test_parse_header_values_are_trimmed_both_sides),
        T(test_parse_header_lookup_is_case_insensitive_and_first_wins),
        T(test_parse_accept_encoding_gzip_sets_accept_gzip),
        T(test_parse_nul_in_header_value_gives_400),
        T(test_parse_control_bytes_in_header_value_give_400),
        T(test_parse_tab_and_obs_text_in_header_value_are_accepted),
        T(test_parse_obs_fold_gives_400),
        T(test_parse_whitespace_in_or_after_header_name_gives_400),
        T(test_parse_content_length_body_is_copied_to_arena),
        T(test_parse_chunked_body_is_decoded),
        T(test_parse_chunked_with_bad_chunk_size_gives_400),
        T(test_parse_chunked_trailer_fields_are_not_request_headers),
        T(test_parse_trailer_never_yields_control_bytes_in_a_header_value),
        T(test_parse_content_length_with_transfer_encoding_gives_400),
        T(test_parse_duplicate_content_length_gives_400),
        T(test_parse_non_numeric_content_length_gives_400),
        T(test_parse_transfer_encoding_not_ending_in_chunked_gives_400),
        T(test_parse_connection_close_clears_keep_alive),
        T(test_parse_websocket_upgrade_sets_upgrade),
        T(test_error_status_maps_every_parse_error),
        T(test_reason_phrases_for_error_statuses),
        T(test_limits_default_fills_only_zero_fields),
        T(test_fields_writes_every_part_and_the_blank_line),
        T(test_fields_over_the_bound_is_an_error_never_a_cut),
        T(test_fields_refuse_extras_that_are_not_header_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
