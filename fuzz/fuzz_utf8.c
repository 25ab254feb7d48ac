/*
 * fuzz_utf8: the UTF-8 repair every string entering a session's tree goes through
 * (pn__utf8_sanitize and friends, src/base/str.c) on arbitrary bytes, against an independent
 * decoder written as WHATWG's Encoding standard states it (bytes needed, bytes seen, lower and
 * upper boundary; a byte outside the boundaries is an error and is read again). Checked: the
 * repair equals that decoder's output re-encoded; its length is pn__utf8_sanitize_len's and at
 * most 3n; it is valid, and a fixed point; pn__utf8_valid, pn__utf8_valid_prefix and
 * pn__utf8_seq_len agree with the decoder; the arena and heap copies of a C string match.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/base.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_utf8: check failed: %s (line %d)\n", #cond, __LINE__);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static size_t put_cp(unsigned char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    static const unsigned char lead[] = {0, 0, 0xc0, 0xe0, 0xf0};
    for (size_t i = n - 1; i > 0; i--, cp >>= 6)
        out[i] = (unsigned char)(0x80 | (cp & 0x3f));
    out[0] = (unsigned char)(lead[n] | cp);
    return n;
}

/* WHATWG Encoding §10.1.1 (UTF-8 decoder), re-encoded. *first_error: the offset of the first
 * byte that is part of an error (size when none). */
static size_t whatwg(const uint8_t *in, size_t n, unsigned char *out, size_t *first_error)
{
    uint32_t cp = 0;
    unsigned needed = 0, seen = 0, lower = 0x80, upper = 0xbf;
    size_t o = 0, start = 0; /* start: the offset of the sequence being read */
    *first_error = n;
#define ERROR_AT(at)                                                                               \
    (*first_error = *first_error < (at) ? *first_error : (at), o += put_cp(out + o, 0xfffd))
    for (size_t i = 0; i < n; i++) {
        unsigned b = in[i];
        if (needed == 0) {
            start = i;
            if (b <= 0x7f)
                o += put_cp(out + o, b);
            else if (b >= 0xc2 && b <= 0xdf)
                needed = 1, cp = b & 0x1f;
            else if (b >= 0xe0 && b <= 0xef) {
                if (b == 0xe0)
                    lower = 0xa0;
                if (b == 0xed)
                    upper = 0x9f;
                needed = 2, cp = b & 0xf;
            } else if (b >= 0xf0 && b <= 0xf4) {
                if (b == 0xf0)
                    lower = 0x90;
                if (b == 0xf4)
                    upper = 0x8f;
                needed = 3, cp = b & 0x7;
            } else
                ERROR_AT(i);
            continue;
        }
        if (b < lower || b > upper) {
            cp = needed = seen = 0, lower = 0x80, upper = 0xbf;
            ERROR_AT(start);
            i--; /* prepend b to the stream */
            continue;
        }
        lower = 0x80, upper = 0xbf;
        cp = (cp << 6) | (b & 0x3f);
        if (++seen == needed) {
            o += put_cp(out + o, cp);
            cp = needed = seen = 0;
        }
    }
    if (needed)
        ERROR_AT(start);
#undef ERROR_AT
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size ? size : 1); /* exact size: ASan sees reads past the end */
    if (size)
        memcpy(in, data, size);
    unsigned char *want = malloc(3 * size + 1);
    char *got = malloc(3 * size + 1);
    size_t first_error;
    size_t want_len = whatwg(data, size, want, &first_error);

    size_t len = pn__utf8_sanitize(in, size, got);
    CHECK(len == want_len && memcmp(got, want, len) == 0);
    CHECK(len == pn__utf8_sanitize_len(in, size));
    CHECK(len <= 3 * size);
    CHECK(pn__utf8_valid(got, len));
    CHECK(pn__utf8_valid(in, size) == (first_error == size));
    CHECK(pn__utf8_valid_prefix(in, size) == first_error);
    if (first_error == size)
        CHECK(len == size && memcmp(got, in, size) == 0);
    if (size) /* the first sequence is valid exactly when the first error is further on */
        CHECK((pn__utf8_seq_len((const unsigned char *)in, size) != 0) == (first_error != 0));

    char *again = malloc(3 * len + 1);
    CHECK(pn__utf8_sanitize(got, len, again) == len && memcmp(again, got, len) == 0);
    free(again);

    /* the C-string copies: up to the first NUL */
    char *z = malloc(size + 1);
    memcpy(z, data, size);
    z[size] = '\0';
    size_t zn = strlen(z);
    char *zw = malloc(3 * zn + 1);
    size_t zl = pn__utf8_sanitize(z, zn, zw);
    struct pn_arena a;
    pn__arena_init(&a, 256);
    const char *ac = pn__arena_strdup_utf8(&a, z);
    CHECK(strlen(ac) == zl && memcmp(ac, zw, zl) == 0);
    char *hc = pn__xstrdup_utf8(z);
    CHECK(strlen(hc) == zl && memcmp(hc, zw, zl) == 0);
    free(hc);
    pn__arena_fini(&a);
    free(zw);
    free(z);

    free(got);
    free(want);
    free(in);
    return 0;
}
