/*
 * test_base: the building blocks — the error table, string slices and header token lists,
 * the arena, the bounded buffer (curl's dynbuf: a hard maximum, failed appends change
 * nothing), percent-decoding with strict UTF-8, query lookup, hashing, hex, gzip, the log
 * level names and the embedded asset table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <zlib.h>

#include "base/base.h"

/* ---- error table ---- */

static void test_strerror_gives_distinct_text_for_every_code(void **state)
{
    (void)state;
    static const int codes[] = {
#define XX(name, val, text) PN_##name,
        PN_ERRNO_MAP(XX)
#undef XX
    };
    size_t n = sizeof codes / sizeof *codes;
    for (size_t i = 0; i < n; i++) {
        assert_true(codes[i] < 0);
        const char *t = pn__strerror(codes[i]);
        assert_string_not_equal(t, "unknown error");
        for (size_t j = 0; j < i; j++) {
            assert_int_not_equal(codes[i], codes[j]);
            assert_string_not_equal(t, pn__strerror(codes[j]));
        }
    }
    assert_string_equal(pn__strerror(PN_OK), "ok");
    assert_string_equal(pn__strerror(PN_EAGAIN), "incomplete");
    assert_true(PN_EAGAIN > 0);
    assert_string_equal(pn__strerror(-9999), "unknown error");
    assert_string_equal(pn__strerror(PN_ETOOBIG), "limit exceeded");
}

/* ---- slices ---- */

static void test_str_eq_compares_length_and_bytes(void **state)
{
    (void)state;
    assert_true(pn__str_eq(PN_STRLIT("abc"), pn__str("abc")));
    assert_false(pn__str_eq(PN_STRLIT("abc"), PN_STRLIT("abd")));
    assert_false(pn__str_eq(PN_STRLIT("ab"), PN_STRLIT("abc")));
    assert_true(pn__str_eq((pn_str){NULL, 0}, PN_STRLIT("")));
    pn_str n = pn__str(NULL);
    assert_null(n.ptr);
    assert_int_equal(n.len, 0);
}

static void test_str_ieq_ignores_ascii_case_only(void **state)
{
    (void)state;
    assert_true(pn__str_ieq(PN_STRLIT("Content-Length"), PN_STRLIT("content-LENGTH")));
    assert_false(pn__str_ieq(PN_STRLIT("abc"), PN_STRLIT("abcd")));
    assert_false(pn__str_ieq(PN_STRLIT("\xc3\xa9"), PN_STRLIT("\xc3\x89"))); /* é vs É */
    assert_true(pn__str_ieq(PN_STRLIT(""), PN_STRLIT("")));
}

static void test_str_has_prefix(void **state)
{
    (void)state;
    assert_true(pn__str_has_prefix(PN_STRLIT("/static/x"), PN_STRLIT("/static/")));
    assert_true(pn__str_has_prefix(PN_STRLIT("abc"), PN_STRLIT("")));
    assert_false(pn__str_has_prefix(PN_STRLIT("/sta"), PN_STRLIT("/static/")));
    assert_false(pn__str_has_prefix(PN_STRLIT("/Static/x"), PN_STRLIT("/static/")));
}

static void test_str_list_has_finds_tokens_and_honours_q_zero(void **state)
{
    (void)state;
    static const struct {
        const char *list, *token;
        bool want;
    } cases[] = {
        {"gzip", "gzip", true},         {"deflate, gzip, br", "gzip", true},
        {"deflate,gzip", "gzip", true}, {"  gzip  ", "gzip", true},
        {"GZip", "gzip", true},         {"keep-alive, Upgrade", "upgrade", true},
        {"gzip;q=1.0", "gzip", true},   {"gzip;q=0.5", "gzip", true},
        {"gzip;q=0.001", "gzip", true}, {"gzip;q=0", "gzip", false},
        {"gzip;Q=0", "gzip", false},    {"gzip; q=0", "gzip", false},
        {"gzip ;q=0.0", "gzip", false}, {"gzip;q=0.000", "gzip", false},
        {"br;q=0, gzip", "gzip", true}, {"gzip;level=1", "gzip", true},
        {"x-gzip", "gzip", false},      {"gzipx", "gzip", false},
        {"gz", "gzip", false},          {"", "gzip", false},
        {",,,", "gzip", false},         {"identity", "gzip", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        bool got = pn__str_list_has(pn__str(cases[i].list), pn__str(cases[i].token));
        if (got != cases[i].want)
            fail_msg("list \"%s\" has \"%s\": got %d, want %d", cases[i].list, cases[i].token, got,
                     cases[i].want);
    }
}

static void test_str_list_has_reads_only_the_slice(void **state)
{
    (void)state;
    const char *s = "deflate, gzip";
    assert_false(pn__str_list_has((pn_str){s, 7}, PN_STRLIT("gzip"))); /* "deflate" */
    assert_true(pn__str_list_has((pn_str){s, 13}, PN_STRLIT("gzip")));
    const char *q = "gzip;q=0";
    assert_false(pn__str_list_has((pn_str){q, 8}, PN_STRLIT("gzip")));
    assert_true(pn__str_list_has((pn_str){q, 4}, PN_STRLIT("gzip"))); /* "gzip" alone */
}

/* ---- arena ---- */

/* ---- UTF-8 repair (string intake) ---- */

#define FFFD "\xef\xbf\xbd"

/* Markus Kuhn's UTF-8 decoder stress test, section by section, and Unicode's example of
 * "U+FFFD substitution of maximal subparts" (Table 3-8), which WHATWG's decoder follows. */
static void test_utf8_sanitize_replaces_each_maximal_subpart(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t n;
        const char *want;
    } rows[] = {
        {"", 0, ""},
        {"plain", 5, "plain"},
        {"nul\0in", 6, "nul\0in"},
        /* 1, 2: correct text and the boundaries of every length */
        {"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 11,
         "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"},
        {"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 18,
         "\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"},
        {"\xed\x9f\xbf\xee\x80\x80", 6, "\xed\x9f\xbf\xee\x80\x80"}, /* around the surrogates */
        /* 3.1: unexpected continuation bytes, one U+FFFD each */
        {"\x80", 1, FFFD},
        {"\x80\xbf", 2, FFFD FFFD},
        {"a\x80\xbf\x80z", 5, "a" FFFD FFFD FFFD "z"},
        /* 3.2: lonely start characters */
        {"\xc0 \xe0 \xf0 \xf8 \xfc ", 10, FFFD " " FFFD " " FFFD " " FFFD " " FFFD " "},
        /* 3.3: sequences with the last byte missing: one U+FFFD for the whole cut sequence */
        {"\xc2", 1, FFFD},
        {"\xe2\x82", 2, FFFD},
        {"\xf0\x9f\x98", 3, FFFD},
        {"\xe2\x82" "b", 3, FFFD "b"},
        {"\xf0\x9f\x98" "A", 4, FFFD "A"},
        /* 3.4: their concatenation */
        {"\xc2\xe2\x82\xf0\x9f\x98", 6, FFFD FFFD FFFD},
        /* 3.5: impossible bytes */
        {"\xfe\xff\xfe\xfe\xff\xff", 6, FFFD FFFD FFFD FFFD FFFD FFFD},
        /* 4: overlong forms: the lead cannot start one, so every byte is its own subpart */
        {"\xc0\xaf", 2, FFFD FFFD},
        {"\xc1\xbf", 2, FFFD FFFD},
        {"\xe0\x80\xaf", 3, FFFD FFFD FFFD},
        {"\xe0\x9f\xbf", 3, FFFD FFFD FFFD},
        {"\xf0\x80\x80\xaf", 4, FFFD FFFD FFFD FFFD},
        {"\xf0\x8f\xbf\xbf", 4, FFFD FFFD FFFD FFFD},
        {"\xf8\x80\x80\x80\xaf", 5, FFFD FFFD FFFD FFFD FFFD},
        /* 5: UTF-16 surrogates, single and paired */
        {"\xed\xa0\x80", 3, FFFD FFFD FFFD},
        {"\xed\xbf\xbf", 3, FFFD FFFD FFFD},
        {"\xed\xa0\x80\xed\xb0\x80", 6, FFFD FFFD FFFD FFFD FFFD FFFD},
        /* above U+10FFFF */
        {"\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD},
        {"\xf5\x80\x80\x80", 4, FFFD FFFD FFFD FFFD},
        /* a valid lead whose sequence is broken by a byte that starts the next one */
        {"\xe2\x28\xa1", 3, FFFD "(" FFFD},
        {"\xf0\x9f\x98\xc3\xa9", 5, FFFD "\xc3\xa9"},
        /* Unicode 15, Table 3-8 */
        {"\x61\xf1\x80\x80\xe1\x80\xc2\x62\x80\x63\x80\xbf\x64", 13,
         "a" FFFD FFFD FFFD "b" FFFD "c" FFFD FFFD "d"},
        /* what apps do: Latin-1 data, and "%.12s" cutting an é of "aéééééé" */
        {"caf\xe9 cr\xe8me", 10, "caf" FFFD " cr" FFFD "me"},
        {"a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3", 12,
         "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" FFFD},
    };
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        size_t want_len = i == 2 ? 6 : strlen(rows[i].want); /* row 2 holds a NUL */
        size_t len = pn__utf8_sanitize_len(rows[i].in, rows[i].n);
        char *out = malloc(3 * rows[i].n + 1);
        size_t got = pn__utf8_sanitize(rows[i].in, rows[i].n, out);
        if (got != len || got != want_len || memcmp(out, rows[i].want, got) != 0)
            fail_msg("row %zu: got %zu bytes (len says %zu), want %zu", i, got, len, want_len);
        assert_true(got <= 3 * rows[i].n);
        assert_true(pn__utf8_valid(out, got));
        /* valid input comes back unchanged; repaired output is a fixed point */
        assert_int_equal(pn__utf8_valid(rows[i].in, rows[i].n), got == rows[i].n &&
                                                                   memcmp(out, rows[i].in, got) == 0);
        char *again = malloc(3 * got + 1);
        assert_int_equal(pn__utf8_sanitize(out, got, again), got);
        assert_memory_equal(again, out, got);
        free(again);
        free(out);
    }
}

static void test_utf8_valid_prefix_stops_at_the_first_bad_byte(void **state)
{
    (void)state;
    assert_int_equal(pn__utf8_valid_prefix("abc", 3), 3);
    assert_int_equal(pn__utf8_valid_prefix("ab\xc3", 3), 2);
    assert_int_equal(pn__utf8_valid_prefix("\xc3\xa9\xed\xa0\x80", 5), 2);
    assert_int_equal(pn__utf8_valid_prefix("\x80", 1), 0);
}

static void test_utf8_strdups_repair_and_keep_valid_strings(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 0);
    assert_null(pn__arena_strdup_utf8(&a, NULL));
    assert_string_equal(pn__arena_strdup_utf8(&a, "Z\xc3\xbcrich"), "Z\xc3\xbcrich");
    assert_string_equal(pn__arena_strdup_utf8(&a, "Z\xfcrich"), "Z" FFFD "rich");
    assert_string_equal(pn__arena_strdup_utf8(&a, "\xff\xfe"), FFFD FFFD);
    pn__arena_fini(&a);
    char *h = pn__xstrdup_utf8("end \xe2\x82");
    assert_string_equal(h, "end " FFFD);
    free(h);
    h = pn__xstrdup_utf8("");
    assert_string_equal(h, "");
    free(h);
}

static void test_arena_alloc_is_zeroed_and_16_byte_aligned(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 256);
    for (size_t n = 0; n < 300; n += 7) {
        unsigned char *p = pn__arena_alloc(&a, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 16, 0);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xee, n);
    }
    pn__arena_fini(&a);
}

static void test_arena_allocations_never_overlap(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 128);
    unsigned char *ptrs[200];
    size_t sizes[200];
    for (size_t i = 0; i < 200; i++) {
        sizes[i] = (i * 37) % 150 + 1; /* mixes small and "big" (> block/2) allocations */
        ptrs[i] = pn__arena_alloc(&a, sizes[i]);
        memset(ptrs[i], (int)(i & 0xff), sizes[i]);
    }
    for (size_t i = 0; i < 200; i++)
        for (size_t k = 0; k < sizes[i]; k++)
            if (ptrs[i][k] != (unsigned char)(i & 0xff))
                fail_msg("allocation %zu byte %zu was overwritten", i, k);
    pn__arena_fini(&a);
}

static void test_arena_total_counts_rounded_bytes(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 0);
    assert_int_equal(a.block_size, 4096);
    pn__arena_alloc(&a, 1);
    assert_int_equal(a.total, 16);
    pn__arena_alloc(&a, 16);
    assert_int_equal(a.total, 32);
    pn__arena_alloc(&a, 10000); /* bigger than a block */
    assert_int_equal(a.total, 32 + 10000);
    pn__arena_fini(&a);
    assert_int_equal(a.total, 0);
    assert_null(a.head);
}

static void test_arena_big_allocation_keeps_current_block_open(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 1024);
    char *x = pn__arena_alloc(&a, 16);
    char *big = pn__arena_alloc(&a, 4000);
    char *y = pn__arena_alloc(&a, 16);
    /* y comes from the same block as x: right behind it */
    assert_ptr_equal(y, x + 16);
    memset(big, 1, 4000);
    pn__arena_fini(&a);
}

static void test_arena_reset_frees_all_but_one_block_and_is_reusable(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 256);
    for (int i = 0; i < 50; i++)
        pn__arena_alloc(&a, 100);
    pn__arena_alloc(&a, 5000);
    pn__arena_reset(&a);
    assert_int_equal(a.total, 0);
    assert_non_null(a.head);
    char *p = pn__arena_alloc(&a, 32);
    assert_non_null(p);
    assert_int_equal(p[0], 0);
    pn__arena_reset(&a);
    pn__arena_reset(&a);
    pn__arena_fini(&a);
    struct pn_arena empty;
    pn__arena_init(&empty, 0);
    pn__arena_reset(&empty); /* nothing allocated yet: a no-op */
    assert_null(empty.head);
    pn__arena_fini(&empty);
}

static void test_arena_strdup_copies_and_keeps_null(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 0);
    char src[] = "hello";
    char *c = pn__arena_strdup(&a, src);
    src[0] = 'J';
    assert_string_equal(c, "hello");
    assert_null(pn__arena_strdup(&a, NULL));
    char *n = pn__arena_strndup(&a, "abcdef", 3);
    assert_string_equal(n, "abc");
    char *e = pn__arena_strndup(&a, "abc", 0);
    assert_string_equal(e, "");
    pn__arena_fini(&a);
}

static void test_arena_fmt_formats_any_length(void **state)
{
    (void)state;
    struct pn_arena a;
    pn__arena_init(&a, 64);
    assert_string_equal(pn__arena_fmt(&a, "%s-%d", "x", 42), "x-42");
    char *long_ = pn__arena_fmt(&a, "%0500d|", 7);
    assert_int_equal(strlen(long_), 501);
    assert_int_equal(long_[499], '7');
    assert_string_equal(pn__arena_fmt(&a, "%s", ""), "");
    pn__arena_fini(&a);
}

/* ---- bounded buffer ---- */

static void test_buf_starts_empty_without_allocating(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 100);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.max, 100);
    pn__buf_fini(&b);
}

static void test_buf_append_keeps_data_nul_terminated(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1000);
    assert_int_equal(pn__buf_append(&b, "abc", 3), 0);
    assert_int_equal(pn__buf_putc(&b, 'd'), 0);
    assert_int_equal(pn__buf_puts(&b, "ef"), 0);
    assert_int_equal(b.len, 6);
    assert_string_equal(b.data, "abcdef");
    assert_true(b.cap > b.len);
    assert_int_equal(pn__buf_append(&b, NULL, 0), 0);
    assert_int_equal(b.len, 6);
    pn__buf_fini(&b);
}

static void test_buf_append_up_to_max_succeeds(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 10);
    assert_int_equal(pn__buf_append(&b, "0123456789", 10), 0);
    assert_string_equal(b.data, "0123456789");
    assert_int_equal(pn__buf_append(&b, "", 0), 0);
    pn__buf_fini(&b);
}

static void test_buf_append_past_max_fails_and_keeps_contents(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 10);
    assert_int_equal(pn__buf_puts(&b, "01234"), 0);
    assert_int_equal(pn__buf_puts(&b, "567890"), PN_ETOOBIG);
    assert_int_equal(b.len, 5);
    assert_string_equal(b.data, "01234");
    assert_int_equal(pn__buf_putc(&b, 'x'), 0);
    assert_int_equal(pn__buf_append(&b, "abcd", 4), 0);
    assert_int_equal(pn__buf_putc(&b, 'y'), PN_ETOOBIG);
    assert_string_equal(b.data, "01234xabcd");
    /* a length that would overflow len + n */
    assert_int_equal(pn__buf_append(&b, "z", SIZE_MAX), PN_ETOOBIG);
    assert_int_equal(b.len, 10);
    pn__buf_fini(&b);
}

static void test_buf_with_zero_max_refuses_everything_but_empty(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 0);
    assert_int_equal(pn__buf_putc(&b, 'a'), PN_ETOOBIG);
    assert_int_equal(pn__buf_append(&b, "", 0), 0);
    assert_string_equal(b.data, "");
    pn__buf_fini(&b);
}

/* A buffer with max = SIZE_MAX ("no limit") must still allocate room for what it holds:
 * cap = max + 1 must not wrap to 0. (Checked through cap, before writing, so the failure is
 * an assertion and not a heap overflow.) */
static void test_buf_with_size_max_limit_allocates_room(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, SIZE_MAX);
    assert_int_equal(pn__buf_append(&b, "", 0), 0);
    size_t cap = b.cap;
    pn__buf_fini(&b);
    assert_true(cap >= 1);
    assert_true(cap >= 256); /* the buffer's usual first allocation */
}

static void test_buf_printf_formats_short_and_long_output(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 4096);
    assert_int_equal(pn__buf_printf(&b, "%d-%s", 7, "x"), 0);
    assert_string_equal(b.data, "7-x");
    assert_int_equal(pn__buf_printf(&b, "%0300d", 1), 0); /* past the 256-byte fast path */
    assert_int_equal(b.len, 303);
    assert_int_equal(b.data[302], '1');
    assert_int_equal(b.data[303], '\0');
    pn__buf_fini(&b);
}

static void test_buf_printf_past_max_fails_and_keeps_contents(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 300);
    assert_int_equal(pn__buf_puts(&b, "keep"), 0);
    assert_int_equal(pn__buf_printf(&b, "%0400d", 1), PN_ETOOBIG);
    assert_int_equal(pn__buf_printf(&b, "%0297d", 1), PN_ETOOBIG);
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "keep");
    assert_int_equal(pn__buf_printf(&b, "%0296d", 1), 0);
    assert_int_equal(b.len, 300);
    pn__buf_fini(&b);
}

static void test_buf_reset_empties_but_keeps_memory(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 100);
    pn__buf_puts(&b, "hello");
    char *data = b.data;
    pn__buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_ptr_equal(b.data, data);
    assert_string_equal(b.data, "");
    pn__buf_fini(&b);
    struct pn_buf e;
    pn__buf_init(&e, 100);
    pn__buf_reset(&e); /* never allocated */
    assert_null(e.data);
    pn__buf_fini(&e);
}

static void test_buf_steal_hands_over_the_bytes_and_empties(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 100);
    pn__buf_puts(&b, "owned");
    size_t len = 0;
    char *p = pn__buf_steal(&b, &len);
    assert_int_equal(len, 5);
    assert_string_equal(p, "owned");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(pn__buf_puts(&b, "again"), 0); /* still usable, same max */
    assert_string_equal(b.data, "again");
    free(p);
    pn__buf_fini(&b);

    struct pn_buf e;
    pn__buf_init(&e, 100);
    char *q = pn__buf_steal(&e, NULL);
    assert_non_null(q);
    assert_string_equal(q, "");
    free(q);
    pn__buf_fini(&e);
}

/* ---- percent-decoding ---- */

static int decode(struct pn_buf *b, const char *in)
{
    pn__buf_reset(b);
    return pn__url_decode(in, strlen(in), b);
}

static void test_url_decode_turns_escapes_and_plus_into_bytes(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(decode(&b, "a%20b+c%2Bd%2fe"), 0);
    assert_string_equal(b.data, "a b c+d/e");
    assert_int_equal(decode(&b, "%C3%A9t%c3%a9"), 0);
    assert_string_equal(b.data, "\xc3\xa9t\xc3\xa9");
    assert_int_equal(decode(&b, "%F0%9F%98%80"), 0); /* U+1F600, 4 bytes */
    assert_int_equal(b.len, 4);
    assert_int_equal(decode(&b, "%EF%BF%BF"), 0);    /* U+FFFF is not a surrogate */
    assert_int_equal(decode(&b, "%F4%8F%BF%BF"), 0); /* U+10FFFF, the last code point */
    pn__buf_fini(&b);
}

static void test_url_decode_rejects_bad_escapes(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    static const char *const bad[] = {"%", "a%", "%4", "a%4", "%zz", "%4g", "%g4", "%%41"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (decode(&b, bad[i]) != PN_EPARSE)
            fail_msg("\"%s\" decoded", bad[i]);
    assert_int_equal(decode(&b, "%41"), 0); /* an escape that ends the input exactly */
    assert_string_equal(b.data, "A");
    pn__buf_fini(&b);
}

static void test_url_decode_rejects_nul_and_invalid_utf8(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    static const char *const bad[] = {
        "%00",
        "a%00b",
        "%FF",
        "%C3",
        "%C3%28",
        "%C0%AF",       /* overlong '/' */
        "%E0%80%AF",    /* overlong, 3 bytes */
        "%F0%80%80%AF", /* overlong, 4 bytes */
        "%ED%A0%80",    /* surrogate U+D800 */
        "%ED%BF%BF",    /* surrogate U+DFFF */
        "%F4%90%80%80", /* U+110000 */
        "%F8%88%80%80%80",
        "%80",
        "%E2%82",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (decode(&b, bad[i]) != PN_EPARSE)
            fail_msg("\"%s\" decoded", bad[i]);
    static const char raw[] = {'a', (char)0xff, 'b'};
    pn__buf_reset(&b);
    assert_int_equal(pn__url_decode(raw, 3, &b), PN_EPARSE); /* raw bytes are checked too */
    static const char nul[] = {'a', '\0', 'b'};
    assert_int_equal(pn__url_decode(nul, 3, &b), PN_EPARSE);
    pn__buf_fini(&b);
}

/* The buffer contract: a failed call leaves the buffer as it was — same length, and still
 * NUL-terminated at that length. */
static void test_url_decode_failure_leaves_buffer_as_it_was(void **state)
{
    (void)state;
    static const char *const bad[] = {"xy%zz", "xy%4", "xy%FF", "xy%00"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct pn_buf b;
        pn__buf_init(&b, 1024);
        pn__buf_puts(&b, "pre");
        int rc = pn__url_decode(bad[i], strlen(bad[i]), &b);
        char got[64];
        snprintf(got, sizeof got, "%s", b.data);
        size_t len = b.len;
        pn__buf_fini(&b);
        assert_int_equal(rc, PN_EPARSE);
        assert_int_equal(len, 3);
        if (strcmp(got, "pre") != 0)
            fail_msg("after a failed decode of \"%s\" the buffer reads \"%s\", want \"pre\"",
                     bad[i], got);
    }
}

static void test_url_decode_past_max_fails_and_leaves_buffer(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 6);
    pn__buf_puts(&b, "ab");
    int rc = pn__url_decode("cdefg", 5, &b);
    char got[16];
    snprintf(got, sizeof got, "%s", b.data);
    size_t len = b.len;
    pn__buf_fini(&b);
    assert_int_equal(rc, PN_ETOOBIG);
    assert_int_equal(len, 2);
    assert_string_equal(got, "ab");
}

static void test_url_decode_appends_after_existing_contents(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 100);
    pn__buf_puts(&b, "k=");
    assert_int_equal(pn__url_decode("v%21", 4, &b), 0);
    assert_string_equal(b.data, "k=v!");
    pn__buf_fini(&b);
}

/* ---- query lookup ---- */

static int query(struct pn_buf *b, const char *q, const char *name)
{
    pn__buf_reset(b);
    return pn__query_get(pn__str(q), name, b);
}

static void test_query_get_finds_first_value_decoded(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(query(&b, "a=1&city=New+York&city=Rome", "city"), 0);
    assert_string_equal(b.data, "New York");
    assert_int_equal(query(&b, "a=1;b=%C3%A9", "b"), 0); /* ';' separates too */
    assert_string_equal(b.data, "\xc3\xa9");
    assert_int_equal(query(&b, "x=1&a%20b=2", "a b"), 0); /* keys are decoded */
    assert_string_equal(b.data, "2");
    assert_int_equal(query(&b, "a=b=c", "a"), 0); /* only the first '=' splits */
    assert_string_equal(b.data, "b=c");
    pn__buf_fini(&b);
}

static void test_query_get_missing_name_is_not_found(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(query(&b, "", "a"), PN_ENOTFOUND);
    assert_int_equal(query(&b, "ab=1&ba=2&A=3", "a"), PN_ENOTFOUND);
    assert_int_equal(query(&b, "&&&", "a"), PN_ENOTFOUND);
    assert_int_equal(query(&b, "b=a", "a"), PN_ENOTFOUND);
    pn__buf_fini(&b);
}

static void test_query_get_name_without_value_is_empty(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(query(&b, "x=1&flag&y=2", "flag"), 0);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    assert_int_equal(query(&b, "flag=", "flag"), 0);
    assert_int_equal(b.len, 0);
    pn__buf_fini(&b);
}

static void test_query_get_bad_value_is_parse_error_and_leaves_out(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    pn__buf_puts(&b, "keep");
    int rc = pn__query_get(PN_STRLIT("a=ok%zz"), "a", &b);
    char got[16];
    snprintf(got, sizeof got, "%s", b.data);
    size_t len = b.len;
    int rc2 = query(&b, "a=%FF", "a");
    pn__buf_fini(&b);
    assert_int_equal(rc, PN_EPARSE);
    assert_int_equal(len, 4);
    assert_string_equal(got, "keep");
    assert_int_equal(rc2, PN_EPARSE);
}

static void test_query_get_value_past_max_is_too_big(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 4);
    assert_int_equal(query(&b, "a=12345", "a"), PN_ETOOBIG);
    assert_int_equal(b.len, 0);
    assert_int_equal(query(&b, "a=1234", "a"), 0);
    pn__buf_fini(&b);
}

static void test_query_get_reads_only_the_slice(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 100);
    const char *q = "a=12&b=34";
    assert_int_equal(pn__query_get((pn_str){q, 3}, "a", &b), 0);
    assert_string_equal(b.data, "1");
    pn__buf_reset(&b);
    assert_int_equal(pn__query_get((pn_str){q, 4}, "b", &b), PN_ENOTFOUND);
    pn__buf_fini(&b);
}

/* ---- hashing, hex, gzip ---- */

static void test_fnv1a_matches_reference_values(void **state)
{
    (void)state;
    assert_true(pn__hash_fnv1a("", 0) == 0xcbf29ce484222325ull);
    assert_true(pn__hash_fnv1a("a", 1) == 0xaf63dc4c8601ec8cull);
    assert_true(pn__hash_fnv1a("foobar", 6) == 0x85944171f73967e8ull);
}

static void test_hex_encodes_lower_case(void **state)
{
    (void)state;
    char out[9];
    pn__hex((const unsigned char *)"\x00\x0f\xab\xff", 4, out);
    assert_string_equal(out, "000fabff");
    pn__hex(NULL, 0, out);
    assert_string_equal(out, "");
}

static void test_sha256_hex_matches_fips_vectors(void **state)
{
    (void)state;
    char out[65];
    pn__sha256_hex("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    pn__sha256_hex("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_gzip_output_is_gzip_and_inflates_back(void **state)
{
    (void)state;
    char in[5000];
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = "pane pane data app "[i % 19];
    char *gz = NULL;
    size_t gz_len = 0;
    for (int level = 1; level <= 12; level += 11) { /* the per-request and the cache level */
        assert_int_equal(pn__gzip(in, sizeof in, level, &gz, &gz_len), 0);
        assert_non_null(gz);
        assert_true(gz_len > 18 && gz_len < sizeof in);
        assert_int_equal((unsigned char)gz[0], 0x1f);
        assert_int_equal((unsigned char)gz[1], 0x8b);
        char back[6000];
        z_stream z;
        memset(&z, 0, sizeof z);
        assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
        z.next_in = (unsigned char *)gz;
        z.avail_in = (uInt)gz_len;
        z.next_out = (unsigned char *)back;
        z.avail_out = sizeof back;
        int rc = inflate(&z, Z_FINISH);
        size_t out_len = sizeof back - z.avail_out;
        inflateEnd(&z);
        free(gz);
        assert_int_equal(rc, Z_STREAM_END);
        assert_int_equal(out_len, sizeof in);
        assert_memory_equal(back, in, sizeof in);
    }
}

static void test_gzip_of_empty_input_is_a_valid_stream(void **state)
{
    (void)state;
    char *gz = NULL;
    size_t gz_len = 0;
    assert_int_equal(pn__gzip("", 0, 9, &gz, &gz_len), 0);
    assert_true(gz_len >= 20);
    free(gz);
}

static void test_gzip_with_bad_level_fails_and_leaves_out(void **state)
{
    (void)state;
    char *gz = (char *)"untouched";
    size_t gz_len = 77;
    int rc = pn__gzip("abc", 3, 42, &gz, &gz_len);
    assert_true(rc < 0);
    assert_true(pn__gzip("abc", 3, 0, &gz, &gz_len) < 0);
    assert_string_equal(gz, "untouched");
    assert_int_equal(gz_len, 77);
}

/* ---- log ---- */

static void test_log_level_parse_accepts_names_case_insensitively(void **state)
{
    (void)state;
    enum pn_log_level l = PN_LOG_CRITICAL;
    assert_int_equal(pn__log_level_parse("debug", &l), 0);
    assert_int_equal(l, PN_LOG_DEBUG);
    assert_int_equal(pn__log_level_parse("WARNING", &l), 0);
    assert_int_equal(l, PN_LOG_WARN);
    assert_int_equal(pn__log_level_parse("warn", &l), 0);
    assert_int_equal(l, PN_LOG_WARN);
    assert_int_equal(pn__log_level_parse("Critical", &l), 0);
    assert_int_equal(l, PN_LOG_CRITICAL);
    l = PN_LOG_INFO;
    assert_int_equal(pn__log_level_parse("verbose", &l), PN_EINVAL);
    assert_int_equal(l, PN_LOG_INFO); /* untouched on failure */
    assert_int_equal(pn__log_level_parse("", &l), PN_EINVAL);
}

/* ---- embedded assets ---- */

/* Latency histograms: quantiles within 25 % above the true value, exact below 4 µs, everything
 * past the last bucket in it, empty: 0. */
static void test_hist_quantiles_are_within_a_quarter(void **state)
{
    (void)state;
    uint64_t h[PN_HIST_BUCKETS] = {0};
    assert_int_equal(pn__hist_quantile(h, 0.5), 0);
    for (uint64_t v = 1; v <= 1000; v++)
        pn__hist_add(h, v);
    uint64_t p50 = pn__hist_quantile(h, 0.5), p99 = pn__hist_quantile(h, 0.99);
    assert_true(p50 >= 500 && p50 <= 625);
    assert_true(p99 >= 990 && p99 <= 1238);
    assert_true(pn__hist_quantile(h, 1) >= 1000 && pn__hist_quantile(h, 1) <= 1250);
    uint64_t small[PN_HIST_BUCKETS] = {0};
    pn__hist_add(small, 0), pn__hist_add(small, 2);
    assert_int_equal(pn__hist_quantile(small, 0.5), 1);
    assert_int_equal(pn__hist_quantile(small, 1), 3);
    for (uint64_t v = 4; v < (1u << 21); v = v * 5 / 4 + 1) { /* every bucket bounds its value */
        uint64_t one[PN_HIST_BUCKETS] = {0};
        pn__hist_add(one, v);
        uint64_t q = pn__hist_quantile(one, 1);
        assert_true(q > v && q <= v + v / 4 + 1);
    }
    uint64_t big[PN_HIST_BUCKETS] = {0};
    pn__hist_add(big, UINT64_MAX);
    assert_true(pn__hist_quantile(big, 1) > 2000000);
}

static void test_assets_are_sorted_and_findable_by_slice(void **state)
{
    (void)state;
    assert_true(pn__assets_count > 0);
    for (size_t i = 1; i < pn__assets_count; i++)
        if (strcmp(pn__assets[i - 1].path, pn__assets[i].path) >= 0)
            fail_msg("assets out of order: %s, %s", pn__assets[i - 1].path, pn__assets[i].path);
    for (size_t i = 0; i < pn__assets_count; i++) {
        const struct pn_asset *a = pn__assets + i;
        char key[512];
        snprintf(key, sizeof key, "%sXYZ", a->path); /* not NUL-terminated at the path's end */
        assert_ptr_equal(pn__asset_find((pn_str){key, strlen(a->path)}), a);
        assert_int_equal(strlen(a->etag), 16);
        assert_non_null(a->gz);
    }
    const struct pn_asset *h = pn__asset_find(PN_STRLIT("include/pane.h"));
    assert_non_null(h);
    assert_non_null(memmem(h->data, h->len, "#define PANE_H", 14));
    assert_null(pn__asset_find(PN_STRLIT("include/pane")));
    assert_null(pn__asset_find(PN_STRLIT("include/pane.hh")));
    assert_null(pn__asset_find(PN_STRLIT("")));
    assert_null(pn__asset_find(PN_STRLIT("../include/pane.h")));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_gives_distinct_text_for_every_code),
        cmocka_unit_test(test_str_eq_compares_length_and_bytes),
        cmocka_unit_test(test_str_ieq_ignores_ascii_case_only),
        cmocka_unit_test(test_str_has_prefix),
        cmocka_unit_test(test_str_list_has_finds_tokens_and_honours_q_zero),
        cmocka_unit_test(test_str_list_has_reads_only_the_slice),
        cmocka_unit_test(test_utf8_sanitize_replaces_each_maximal_subpart),
        cmocka_unit_test(test_utf8_valid_prefix_stops_at_the_first_bad_byte),
        cmocka_unit_test(test_utf8_strdups_repair_and_keep_valid_strings),
        cmocka_unit_test(test_arena_alloc_is_zeroed_and_16_byte_aligned),
        cmocka_unit_test(test_arena_allocations_never_overlap),
        cmocka_unit_test(test_arena_total_counts_rounded_bytes),
        cmocka_unit_test(test_arena_big_allocation_keeps_current_block_open),
        cmocka_unit_test(test_arena_reset_frees_all_but_one_block_and_is_reusable),
        cmocka_unit_test(test_arena_strdup_copies_and_keeps_null),
        cmocka_unit_test(test_arena_fmt_formats_any_length),
        cmocka_unit_test(test_buf_starts_empty_without_allocating),
        cmocka_unit_test(test_buf_append_keeps_data_nul_terminated),
        cmocka_unit_test(test_buf_append_up_to_max_succeeds),
        cmocka_unit_test(test_buf_append_past_max_fails_and_keeps_contents),
        cmocka_unit_test(test_buf_with_zero_max_refuses_everything_but_empty),
        cmocka_unit_test(test_buf_with_size_max_limit_allocates_room),
        cmocka_unit_test(test_buf_printf_formats_short_and_long_output),
        cmocka_unit_test(test_buf_printf_past_max_fails_and_keeps_contents),
        cmocka_unit_test(test_buf_reset_empties_but_keeps_memory),
        cmocka_unit_test(test_buf_steal_hands_over_the_bytes_and_empties),
        cmocka_unit_test(test_url_decode_turns_escapes_and_plus_into_bytes),
        cmocka_unit_test(test_url_decode_rejects_bad_escapes),
        cmocka_unit_test(test_url_decode_rejects_nul_and_invalid_utf8),
        cmocka_unit_test(test_url_decode_failure_leaves_buffer_as_it_was),
        cmocka_unit_test(test_url_decode_past_max_fails_and_leaves_buffer),
        cmocka_unit_test(test_url_decode_appends_after_existing_contents),
        cmocka_unit_test(test_query_get_finds_first_value_decoded),
        cmocka_unit_test(test_query_get_missing_name_is_not_found),
        cmocka_unit_test(test_query_get_name_without_value_is_empty),
        cmocka_unit_test(test_query_get_bad_value_is_parse_error_and_leaves_out),
        cmocka_unit_test(test_query_get_value_past_max_is_too_big),
        cmocka_unit_test(test_query_get_reads_only_the_slice),
        cmocka_unit_test(test_fnv1a_matches_reference_values),
        cmocka_unit_test(test_hex_encodes_lower_case),
        cmocka_unit_test(test_sha256_hex_matches_fips_vectors),
        cmocka_unit_test(test_gzip_output_is_gzip_and_inflates_back),
        cmocka_unit_test(test_gzip_of_empty_input_is_a_valid_stream),
        cmocka_unit_test(test_gzip_with_bad_level_fails_and_leaves_out),
        cmocka_unit_test(test_log_level_parse_accepts_names_case_insensitively),
        cmocka_unit_test(test_assets_are_sorted_and_findable_by_slice),
        cmocka_unit_test(test_hist_quantiles_are_within_a_quarter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
