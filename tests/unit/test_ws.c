/*
 * test_ws: the WebSocket module without sockets — the accept key (RFC 6455 vectors), the
 * handshake checks of §4.2.1 as a table, the strict UTF-8 validator, and framing through
 * pn__ws_feed_for_fuzz (the same wslay context and callbacks as a live socket): echo, pings,
 * closes, every limit and protocol error with its close code, the order of what goes out, and
 * on_close exactly once.
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

/* A masked client frame (fixed key) into out; returns its size. */
static size_t frame(uint8_t *out, bool fin, unsigned rsv, unsigned op, const void *payload,
                    size_t len)
{
    static const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
    size_t n = 0;
    out[n++] = (uint8_t)((fin ? 0x80 : 0) | (rsv << 4) | op);
    if (len < 126) {
        out[n++] = (uint8_t)(0x80 | len);
    } else if (len < 65536) {
        out[n++] = 0x80 | 126;
        out[n++] = (uint8_t)(len >> 8);
        out[n++] = (uint8_t)len;
    } else {
        out[n++] = 0x80 | 127;
        for (int i = 7; i >= 0; i--)
            out[n++] = (uint8_t)((uint64_t)len >> (8 * i));
    }
    memcpy(out + n, key, 4);
    n += 4;
    const uint8_t *p = payload;
    for (size_t i = 0; i < len; i++)
        out[n + i] = p[i] ^ key[i % 4];
    return n + len;
}

struct rec {
    int messages, closes;
    uint16_t close_code;
    char last[256];
    size_t last_len;
    bool last_nul_terminated;
    int echo;            /* echo each message back */
    int send_then_close; /* on a message: send "a", then pn__ws_close(1000, "bye") */
    int send_big;        /* on a message: send this many bytes */
    int send_rc;
};

static void on_message(struct pn_ws *ws, const char *data, size_t len, void *ud)
{
    struct rec *r = ud;
    r->messages++;
    r->last_len = len;
    r->last_nul_terminated = data[len] == '\0';
    snprintf(r->last, sizeof r->last, "%.*s", (int)len, data);
    if (r->echo)
        r->send_rc = pn__ws_send(ws, data, len);
    if (r->send_then_close) {
        r->send_rc = pn__ws_send(ws, "a", 1);
        pn__ws_close(ws, 1000, "bye");
    }
    if (r->send_big) {
        char *big = calloc(1, (size_t)r->send_big);
        r->send_rc = pn__ws_send(ws, big, (size_t)r->send_big);
        free(big);
    }
}

static void on_close(struct pn_ws *ws, uint16_t code, void *ud)
{
    (void)ws;
    struct rec *r = ud;
    r->closes++;
    r->close_code = code;
}

static const struct pn_ws_handler handler = {on_message, on_close};

/* Feeds bytes in reads of chunk bytes; out gets what the server wrote. */
static uint16_t feed(struct rec *r, const struct pn_ws_opts *o, const void *data, size_t len,
                     size_t chunk, struct pn_buf *out)
{
    static const struct pn_ws_opts none;
    uint16_t code = pn__ws_feed_for_fuzz(o ? o : &none, &handler, r, data, len, chunk, out);
    assert_int_equal(r->closes, 1);
    return code;
}

static bool out_is(const struct pn_buf *out, const void *want, size_t n)
{
    return out->len == n && memcmp(out->data, want, n) == 0;
}

/* ---- accept key ---- */

static void test_accept_key_matches_rfc6455_section_1_3(void **state)
{
    (void)state;
    char out[29];
    pn__ws_accept_key(PN_STRLIT("dGhlIHNhbXBsZSBub25jZQ=="), out);
    assert_string_equal(out, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static void test_accept_key_matches_rfc6455_section_1_2(void **state)
{
    (void)state;
    char out[29];
    pn__ws_accept_key(PN_STRLIT("x3JJHMbDL1EzLkh9GBhXDw=="), out);
    assert_string_equal(out, "HSmrc0sMlYUkAGmm5OPpG2HaGWk=");
}

/* ---- handshake checks ---- */

#define UPG "Upgrade: websocket\r\nConnection: Upgrade\r\n"
#define KEY "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
#define V13 "Sec-WebSocket-Version: 13\r\n"
#define GET "GET /app/ws?city=Rome HTTP/1.1\r\nHost: example.com\r\n"

static void test_handshake_checks_follow_rfc6455_4_2_1(void **state)
{
    (void)state;
    static const struct {
        const char *req;
        int want;
    } rows[] = {
        {GET UPG KEY V13 "\r\n", 0},
        {GET "Upgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n" KEY V13 "\r\n", 0},
        {GET "Upgrade: websocket\r\nConnection: UPGRADE\r\nOrigin: http://x\r\n" KEY V13 "\r\n", 0},
        {"POST /app/ws HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n" UPG KEY V13 "\r\n", 400},
        {"GET /app/ws HTTP/1.0\r\n" UPG KEY V13 "\r\n", 400},
        {GET "Connection: Upgrade\r\n" KEY V13 "\r\n", 400},
        {GET "Upgrade: h2c\r\nConnection: Upgrade\r\n" KEY V13 "\r\n", 400},
        {GET "Upgrade: websocket\r\n" KEY V13 "\r\n", 400},
        {GET "Upgrade: websocket\r\nConnection: keep-alive\r\n" KEY V13 "\r\n", 400},
        {GET UPG KEY "Sec-WebSocket-Version: 8\r\n\r\n", 426},
        {GET UPG KEY "\r\n", 426},
        {GET UPG KEY "Sec-WebSocket-Version: 13, 8\r\n\r\n", 426},
        {GET UPG KEY V13 V13 "\r\n", 400},
        {GET UPG V13 "\r\n", 400},
        {GET UPG "Sec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\n" V13 "\r\n", 400},
        {GET UPG "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ\r\n" V13 "\r\n", 400},
        {GET UPG "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j*Q==\r\n" V13 "\r\n", 400},
        {GET UPG "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=A\r\n" V13 "\r\n", 400},
        {GET UPG "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==dGhl\r\n" V13 "\r\n", 400},
        {GET UPG KEY KEY V13 "\r\n", 400},
        {GET UPG KEY V13 "Content-Length: 5\r\n\r\nhello", 400},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        struct pn_arena a;
        pn__arena_init(&a, 0);
        struct pn_http_req r;
        size_t used;
        const struct pn_http_limits lim = {0};
        int rc = pn__http_parse(rows[i].req, strlen(rows[i].req), &lim, &a, &r, &used);
        if (rc != 0)
            fail_msg("row %zu: does not parse (%d)", i, rc);
        pn_str key = {0};
        int got = pn__ws_check_handshake(&r, &key);
        if (got != rows[i].want)
            fail_msg("row %zu: got %d, want %d", i, got, rows[i].want);
        if (got == 0)
            assert_true(pn__str_eq(key, PN_STRLIT("dGhlIHNhbXBsZSBub25jZQ==")));
        pn__arena_fini(&a);
    }
}

/* ---- UTF-8 ---- */

static void test_utf8_valid_is_strict_rfc3629(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t n;
        bool ok;
    } rows[] = {
        {"", 0, true},
        {"plain ascii", 11, true},
        {"nul\0inside", 10, true},
        {"\xc2\x80", 2, true},         /* U+0080, the first 2-byte */
        {"\xdf\xbf", 2, true},         /* U+07FF */
        {"\xe0\xa0\x80", 3, true},     /* U+0800 */
        {"\xed\x9f\xbf", 3, true},     /* U+D7FF, just below the surrogates */
        {"\xee\x80\x80", 3, true},     /* U+E000, just above */
        {"\xef\xbf\xbf", 3, true},     /* U+FFFF */
        {"\xf0\x90\x80\x80", 4, true}, /* U+10000 */
        {"\xf4\x8f\xbf\xbf", 4, true}, /* U+10FFFF, the last */
        {"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 11, true},
        {"\x80", 1, false}, /* a lone continuation byte */
        {"\xbf", 1, false},
        {"\xc0\x80", 2, false}, /* overlong NUL */
        {"\xc1\xbf", 2, false}, /* overlong */
        {"\xe0\x80\x80", 3, false},
        {"\xe0\x9f\xbf", 3, false},     /* overlong U+07FF */
        {"\xf0\x8f\xbf\xbf", 4, false}, /* overlong U+FFFF */
        {"\xed\xa0\x80", 3, false},     /* U+D800 */
        {"\xed\xbf\xbf", 3, false},     /* U+DFFF */
        {"\xf4\x90\x80\x80", 4, false}, /* U+110000 */
        {"\xf5\x80\x80\x80", 4, false},
        {"\xf8\x88\x80\x80\x80", 5, false},
        {"\xfe", 1, false},
        {"\xff", 1, false},
        {"\xe2\x82", 2, false}, /* truncated */
        {"\xf0\x9f\x98", 3, false},
        {"\xe2\x28\xa1", 3, false}, /* a bad continuation */
        {"ok\xc3", 3, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        if (pn__utf8_valid(rows[i].s, rows[i].n) != rows[i].ok)
            fail_msg("row %zu: want %s", i, rows[i].ok ? "valid" : "invalid");
}

static void test_url_decode_still_refuses_nul_and_bad_utf8(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 64);
    assert_int_equal(pn__url_decode("a%00b", 5, &b), PN_EPARSE);
    assert_int_equal(b.len, 0);
    assert_int_equal(pn__url_decode("%C0%AF", 6, &b), PN_EPARSE);
    assert_int_equal(pn__url_decode("caf%C3%A9", 9, &b), 0);
    assert_string_equal(b.data, "caf\xc3\xa9");
    pn__buf_fini(&b);
}

/* ---- framing without a socket ---- */

static void test_rfc6455_masked_hello_is_delivered_nul_terminated(void **state)
{
    (void)state;
    /* RFC 6455 §5.7: a single-frame masked text message containing "Hello" */
    static const uint8_t f[] = {0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58};
    struct rec r = {0};
    assert_int_equal(feed(&r, NULL, f, sizeof f, 0, NULL), 0);
    assert_int_equal(r.messages, 1);
    assert_string_equal(r.last, "Hello");
    assert_true(r.last_nul_terminated);
    assert_int_equal(r.close_code, 1006); /* still open when the bytes ran out */
}

static void test_echo_goes_out_unmasked(void **state)
{
    (void)state;
    uint8_t f[64];
    size_t n = frame(f, true, 0, 1, "Hello", 5);
    struct rec r = {.echo = 1};
    struct pn_buf out;
    pn__buf_init(&out, 1 << 20);
    feed(&r, NULL, f, n, 0, &out);
    assert_int_equal(r.send_rc, 0);
    assert_true(out_is(&out, "\x81\x05Hello", 7));
    pn__buf_fini(&out);
}

static void test_byte_by_byte_reads_give_the_same_messages(void **state)
{
    (void)state;
    uint8_t f[256];
    size_t n;
    n = frame(f, false, 0, 1, "Hel", 3);
    n += frame(f + n, true, 0, 9, "p", 1);
    n += frame(f + n, true, 0, 0, "lo w\xc3\xa9", 6);
    struct rec r1 = {0}, r2 = {0};
    struct pn_buf o1, o2;
    pn__buf_init(&o1, 1024);
    pn__buf_init(&o2, 1024);
    feed(&r1, NULL, f, n, 0, &o1);
    feed(&r2, NULL, f, n, 1, &o2);
    assert_int_equal(r1.messages, 1);
    assert_int_equal(r2.messages, 1);
    assert_string_equal(r1.last, "Hello w\xc3\xa9");
    assert_string_equal(r2.last, "Hello w\xc3\xa9");
    assert_true(out_is(&o1, "\x8a\x01p", 3)); /* the pong */
    assert_true(out_is(&o2, "\x8a\x01p", 3));
    pn__buf_fini(&o1);
    pn__buf_fini(&o2);
}

/* The first message is read a frame at a time (so that a socket can still move to another loop
 * after it, pn__ws_detach): with what follows it in the same read, every message still comes,
 * whatever the length encodings (7-bit, 16-bit, 64-bit) and however the bytes are split. */
static void test_first_message_and_what_follows_in_one_read(void **state)
{
    (void)state;
    enum { MID = 300, BIG = 70000 };
    uint8_t *f = malloc(BIG + MID + 256);
    char *mid = malloc(MID), *big = malloc(BIG);
    memset(mid, 'm', MID);
    memset(big, 'b', BIG);
    big[BIG - 1] = 'z';
    size_t n = frame(f, false, 0, 1, "hel", 3);
    n += frame(f + n, true, 0, 0, mid, MID); /* first message: "hel" + 300 'm' */
    n += frame(f + n, true, 0, 1, "two", 3);
    n += frame(f + n, true, 0, 1, big, BIG);
    for (size_t chunk = 0; chunk < 8; chunk += 7) { /* all at once, then 7 bytes a read */
        struct rec r = {0};
        feed(&r, NULL, f, n, chunk, NULL);
        assert_int_equal(r.messages, 3);
        assert_int_equal(r.last_len, BIG);
        assert_int_equal(r.last[0], 'b');
    }
    free(f);
    free(mid);
    free(big);
}

static void test_ping_is_answered_with_the_same_payload(void **state)
{
    (void)state;
    uint8_t f[64];
    size_t n = frame(f, true, 0, 9, "abc", 3);
    struct rec r = {0};
    struct pn_buf out;
    pn__buf_init(&out, 1024);
    assert_int_equal(feed(&r, NULL, f, n, 0, &out), 0);
    assert_true(out_is(&out,
                       "\x8a\x03"
                       "abc",
                       5));
    assert_int_equal(r.messages, 0);
    pn__buf_fini(&out);
}

static void test_close_is_echoed_and_reported(void **state)
{
    (void)state;
    uint8_t f[64];
    size_t n = frame(f, true, 0, 8,
                     "\x03\xe8"
                     "done",
                     6);
    n += frame(f + n, true, 0, 1, "late", 4); /* after the close: dropped */
    struct rec r = {0};
    struct pn_buf out;
    pn__buf_init(&out, 1024);
    assert_int_equal(feed(&r, NULL, f, n, 0, &out), 1000);
    assert_int_equal(r.close_code, 1000);
    assert_int_equal(r.messages, 0);
    assert_true(out_is(&out,
                       "\x88\x06\x03\xe8"
                       "done",
                       8));
    pn__buf_fini(&out);
}

static void test_empty_close_is_answered_empty_and_reported_1005(void **state)
{
    (void)state;
    uint8_t f[16];
    size_t n = frame(f, true, 0, 8, "", 0);
    struct rec r = {0};
    struct pn_buf out;
    pn__buf_init(&out, 1024);
    assert_int_equal(feed(&r, NULL, f, n, 0, &out), 1005);
    assert_true(out_is(&out, "\x88\x00", 2));
    pn__buf_fini(&out);
}

/* Each protocol error gives its close code, on the wire and to on_close. */
static void test_protocol_errors_give_their_close_codes(void **state)
{
    (void)state;
    char big[200];
    memset(big, 'x', sizeof big);
    struct {
        uint8_t f[512];
        size_t n;
        uint16_t want;
    } rows[24];
    size_t k = 0;
    rows[k].n = frame(rows[k].f, true, 0, 1, "\xff", 1), rows[k++].want = 1007;
    rows[k].n = frame(rows[k].f, true, 0, 1, "\xed\xa0\x80", 3), rows[k++].want = 1007;
    rows[k].n = frame(rows[k].f, false, 0, 1, "\xe2\x82", 2);
    rows[k].n += frame(rows[k].f + rows[k].n, true, 0, 0, "(", 1), rows[k++].want = 1007;
    rows[k].n = frame(rows[k].f, true, 0, 2, "\x01", 1), rows[k++].want = 1003;
    rows[k].n = frame(rows[k].f, true, 4, 1, "a", 1), rows[k++].want = 1002; /* RSV1 */
    rows[k].n = frame(rows[k].f, true, 1, 1, "a", 1), rows[k++].want = 1002; /* RSV3 */
    rows[k].n = frame(rows[k].f, false, 0, 9, "a", 1), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, true, 0, 9, big, 126), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, true, 0, 3, "a", 1), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, true, 0, 0xb, "a", 1), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, true, 0, 0, "a", 1), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, false, 0, 1, "a", 1);
    rows[k].n += frame(rows[k].f + rows[k].n, true, 0, 1, "b", 1), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, true, 0, 8, "\x03", 1), rows[k++].want = 1002;
    rows[k].n = frame(rows[k].f, true, 0, 8, "\x03\xe7", 2), rows[k++].want = 1002; /* 999 */
    rows[k].n = frame(rows[k].f, true, 0, 8, "\x03\xed", 2), rows[k++].want = 1002; /* 1005 */
    rows[k].n = frame(rows[k].f, true, 0, 8, "\x13\x88", 2), rows[k++].want = 1002; /* 5000 */
    rows[k].n = frame(rows[k].f, true, 0, 8, "\x03\xe8\xff", 3), rows[k++].want = 1007;
    /* unmasked */
    memcpy(rows[k].f, "\x81\x02hi", 4), rows[k].n = 4, rows[k++].want = 1002;
    /* a non-minimal length: 5 in the 16-bit form */
    memcpy(rows[k].f, "\x81\xfe\x00\x05\x00\x00\x00\x00hello", 13), rows[k].n = 13;
    rows[k++].want = 1002;
    for (size_t i = 0; i < k; i++) {
        struct rec r = {0};
        struct pn_buf out;
        pn__buf_init(&out, 1024);
        uint16_t code = feed(&r, NULL, rows[i].f, rows[i].n, 0, &out);
        if (code != rows[i].want || r.close_code != rows[i].want)
            fail_msg("row %zu: code %u (on_close %u), want %u", i, code, r.close_code,
                     rows[i].want);
        uint8_t want[4] = {0x88, 2, (uint8_t)(rows[i].want >> 8), (uint8_t)rows[i].want};
        if (out.len < 4 || memcmp(out.data + out.len - 4, want, 4) != 0)
            fail_msg("row %zu: the output does not end in a close frame with %u", i, rows[i].want);
        assert_int_equal(r.messages, 0);
        pn__buf_fini(&out);
    }
}

static void test_close_reason_that_is_not_utf8_is_1007_however_it_is_split(void **state)
{
    (void)state;
    uint8_t f[64];
    size_t n = frame(f, true, 0, 8,
                     "\x03\xe8"
                     "d\xa9\xa3n",
                     6);
    for (size_t chunk = 0; chunk <= 7; chunk++) {
        struct rec r = {0};
        struct pn_buf out;
        pn__buf_init(&out, 1024);
        uint16_t code = feed(&r, NULL, f, n, chunk, &out);
        if (code != 1007 || !out_is(&out, "\x88\x02\x03\xef", 4))
            fail_msg("reads of %zu bytes: code %u, %zu bytes out", chunk, code, out.len);
        pn__buf_fini(&out);
    }
}

static void test_message_over_max_message_is_1009_frame_or_fragments(void **state)
{
    (void)state;
    const struct pn_ws_opts o = {.max_message = 10};
    uint8_t f[128];
    struct rec r = {0};
    size_t n = frame(f, true, 0, 1, "0123456789", 10);
    assert_int_equal(feed(&r, &o, f, n, 0, NULL), 0); /* exactly max_message is fine */
    assert_int_equal(r.messages, 1);

    struct rec r2 = {0};
    n = frame(f, true, 0, 1, "0123456789a", 11);
    assert_int_equal(feed(&r2, &o, f, n, 0, NULL), 1009);

    struct rec r3 = {0};
    n = frame(f, false, 0, 1, "012345", 6);
    n += frame(f + n, true, 0, 0, "6789a", 5);
    assert_int_equal(feed(&r3, &o, f, n, 3, NULL), 1009);
    assert_int_equal(r3.messages, 0);

    /* a 2^62-byte frame is refused from its header and first byte */
    struct rec r4 = {0};
    static const uint8_t huge[] = {0x81, 0xff, 0x40, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 'x'};
    assert_int_equal(feed(&r4, NULL, huge, sizeof huge, 0, NULL), 1009);
}

static void test_send_over_max_outbuf_is_etoobig_and_1008(void **state)
{
    (void)state;
    const struct pn_ws_opts o = {.max_outbuf = 1000};
    uint8_t f[64];
    size_t n = frame(f, true, 0, 1, "go", 2);
    struct rec r = {.send_big = 2000};
    assert_int_equal(feed(&r, &o, f, n, 0, NULL), 1008);
    assert_int_equal(r.send_rc, PN_ETOOBIG);
    assert_int_equal(r.close_code, 1008);
}

static void test_data_sent_before_close_goes_out_before_the_close_frame(void **state)
{
    (void)state;
    uint8_t f[64];
    size_t n = frame(f, true, 0, 1, "x", 1);
    n += frame(f + n, true, 0, 1, "y", 1); /* after pn__ws_close: not delivered */
    struct rec r = {.send_then_close = 1};
    struct pn_buf out;
    pn__buf_init(&out, 1024);
    feed(&r, NULL, f, n, 0, &out);
    assert_int_equal(r.send_rc, 0);
    assert_int_equal(r.messages, 1);
    assert_true(out_is(&out,
                       "\x81\x01"
                       "a"
                       "\x88\x05\x03\xe8"
                       "bye",
                       10));
    assert_int_equal(r.close_code, 1000);
    pn__buf_fini(&out);
}

static void test_no_input_reports_1006_once(void **state)
{
    (void)state;
    struct rec r = {0};
    assert_int_equal(feed(&r, NULL, "", 0, 0, NULL), 0);
    assert_int_equal(r.close_code, 1006);
}

int main(void)
{
    pn__log_level = PN_LOG_WARN;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accept_key_matches_rfc6455_section_1_3),
        cmocka_unit_test(test_accept_key_matches_rfc6455_section_1_2),
        cmocka_unit_test(test_handshake_checks_follow_rfc6455_4_2_1),
        cmocka_unit_test(test_utf8_valid_is_strict_rfc3629),
        cmocka_unit_test(test_url_decode_still_refuses_nul_and_bad_utf8),
        cmocka_unit_test(test_rfc6455_masked_hello_is_delivered_nul_terminated),
        cmocka_unit_test(test_echo_goes_out_unmasked),
        cmocka_unit_test(test_byte_by_byte_reads_give_the_same_messages),
        cmocka_unit_test(test_first_message_and_what_follows_in_one_read),
        cmocka_unit_test(test_ping_is_answered_with_the_same_payload),
        cmocka_unit_test(test_close_is_echoed_and_reported),
        cmocka_unit_test(test_empty_close_is_answered_empty_and_reported_1005),
        cmocka_unit_test(test_protocol_errors_give_their_close_codes),
        cmocka_unit_test(test_close_reason_that_is_not_utf8_is_1007_however_it_is_split),
        cmocka_unit_test(test_message_over_max_message_is_1009_frame_or_fragments),
        cmocka_unit_test(test_send_over_max_outbuf_is_etoobig_and_1008),
        cmocka_unit_test(test_data_sent_before_close_goes_out_before_the_close_frame),
        cmocka_unit_test(test_no_input_reports_1006_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
