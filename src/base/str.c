/*
 * str: string slices, the error table, and the query-string helpers every parser of outside
 * input shares (percent-decoding with UTF-8 validation, query lookup, header token lists).
 */
#include <ctype.h>

#include "base/base.h"

const char *pn__strerror(int err)
{
    switch (err) {
    case PN_OK:
        return "ok";
    case PN_EAGAIN:
        return "incomplete";
#define XX(name, val, text)                                                                    \
    case PN_##name:                                                                            \
        return text;
        PN_ERRNO_MAP(XX)
#undef XX
    }
    return "unknown error";
}

bool pn__str_ieq(pn_str a, pn_str b)
{
    if (a.len != b.len)
        return false;
    for (size_t i = 0; i < a.len; i++)
        if (tolower((unsigned char)a.ptr[i]) != tolower((unsigned char)b.ptr[i]))
            return false;
    return true;
}

bool pn__str_has_prefix(pn_str s, pn_str prefix)
{
    return s.len >= prefix.len && memcmp(s.ptr, prefix.ptr, prefix.len) == 0;
}

static pn_str trim(pn_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
        s.ptr++, s.len--;
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

bool pn__str_list_has(pn_str list, pn_str token)
{
    size_t i = 0;
    while (i <= list.len) {
        size_t j = i;
        while (j < list.len && list.ptr[j] != ',')
            j++;
        pn_str item = {list.ptr + i, j - i};
        /* split off parameters: "gzip;q=0.5" */
        size_t k = 0;
        while (k < item.len && item.ptr[k] != ';')
            k++;
        pn_str name = trim((pn_str){item.ptr, k});
        if (pn__str_ieq(name, token)) {
            pn_str params = trim((pn_str){item.ptr + k, item.len - k});
            /* q=0 (and 0.0, 0.00 …) means "not acceptable" */
            const char *q = NULL;
            for (size_t p = 0; p + 1 < params.len; p++)
                if ((params.ptr[p] == 'q' || params.ptr[p] == 'Q') && params.ptr[p + 1] == '=') {
                    q = params.ptr + p + 2;
                    break;
                }
            if (!q)
                return true;
            const char *end = params.ptr + params.len;
            bool zero = q < end && *q == '0';
            for (const char *c = q + 1; zero && c < end && *c != ';' && *c != ' '; c++)
                if (*c != '.' && *c != '0')
                    zero = false;
            return !zero;
        }
        i = j + 1;
    }
    return false;
}

/* ---- percent-decoding ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The UTF-8 sequence at s[0, n) (n > 0), by the table of Unicode §3.9 (D92) that WHATWG's
 * decoder follows: returns its length (1..4) when it is a valid sequence, else 0 with *bad set
 * to the length of its maximal subpart (1..3): the bytes one U+FFFD replaces. */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t need;
    unsigned lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf)
        need = 1;
    else if (c >= 0xe0 && c <= 0xef)
        need = 2, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
        need = 3, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
        return *bad = 1, 0; /* a continuation byte, C0/C1 (overlong), F5..FF (> U+10FFFF) */
    size_t k = 1;
    for (; k <= need && k < n; k++) {
        unsigned b = s[k];
        if (b < lo || b > hi)
            return *bad = k, 0; /* b starts the next sequence */
        lo = 0x80, hi = 0xbf;
    }
    if (k <= need)
        return *bad = k, 0; /* truncated by the end */
    return need + 1;
}

size_t pn__utf8_seq_len(const unsigned char *p, size_t n)
{
    size_t bad;
    return utf8_seq(p, n, &bad);
}

bool pn__utf8_valid(const void *p, size_t n)
{
    return pn__utf8_valid_prefix(p, n) == n;
}

size_t pn__utf8_valid_prefix(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = 0, bad;
    while (i < n) {
        if (s[i] < 0x80) { /* ASCII runs are the common case */
            i++;
            continue;
        }
        size_t len = utf8_seq(s + i, n - i, &bad);
        if (!len)
            break;
        i += len;
    }
    return i;
}

#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

size_t pn__utf8_sanitize_len(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = pn__utf8_valid_prefix(s, n), out = i, bad;
    while (i < n) {
        size_t len = utf8_seq(s + i, n - i, &bad);
        if (len)
            i += len, out += len;
        else
            i += bad, out += 3;
    }
    return out;
}

size_t pn__utf8_sanitize(const void *p, size_t n, char *out)
{
    const unsigned char *s = p;
    size_t i = 0, o = 0, bad;
    while (i < n) {
        size_t len = utf8_seq(s + i, n - i, &bad);
        if (len) {
            memcpy(out + o, s + i, len);
            i += len, o += len;
        } else {
            memcpy(out + o, REPLACEMENT, 3);
            i += bad, o += 3;
        }
    }
    return o;
}

char *pn__arena_strdup_utf8(struct pn_arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s), valid = pn__utf8_valid_prefix(s, n);
    if (valid == n)
        return pn__arena_strndup(a, s, n);
    size_t len = valid + pn__utf8_sanitize_len(s + valid, n - valid);
    char *p = pn__arena_alloc(a, len + 1); /* zeroed: NUL-terminated */
    memcpy(p, s, valid);
    pn__utf8_sanitize(s + valid, n - valid, p + valid);
    return p;
}

char *pn__xstrdup_utf8(const char *s)
{
    size_t n = strlen(s), valid = pn__utf8_valid_prefix(s, n);
    if (valid == n)
        return pn__xstrndup(s, n);
    size_t len = valid + pn__utf8_sanitize_len(s + valid, n - valid);
    char *p = pn__xmalloc(len + 1);
    memcpy(p, s, valid);
    pn__utf8_sanitize(s + valid, n - valid, p + valid);
    p[len] = '\0';
    return p;
}

/* Puts the buffer back as it was before a failed decode: same length, NUL-terminated. */
static int decode_fail(struct pn_buf *out, size_t start, int rc)
{
    out->len = start;
    if (out->data)
        out->data[start] = '\0';
    return rc;
}

int pn__url_decode(const char *in, size_t n, struct pn_buf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        char c = in[i];
        int rc;
        if (c == '%') {
            if (i + 2 >= n)
                return decode_fail(out, start, PN_EPARSE);
            int h = hexval((unsigned char)in[i + 1]), l = hexval((unsigned char)in[i + 2]);
            if (h < 0 || l < 0)
                return decode_fail(out, start, PN_EPARSE);
            rc = pn__buf_putc(out, (char)(h * 16 + l));
            i += 2;
        } else {
            rc = pn__buf_putc(out, c == '+' ? ' ' : c);
        }
        if (rc)
            return decode_fail(out, start, rc);
    }
    size_t got = out->len - start; /* no NUL either: decoded values become C strings */
    if (got && (memchr(out->data + start, 0, got) || !pn__utf8_valid(out->data + start, got))) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
        return PN_EPARSE;
    }
    return 0;
}

/* Does the raw (still encoded) key decode to name? Decodes as it compares: no allocation. */
static bool key_equals(const char *raw, size_t n, const char *name, size_t nlen)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        int c = (unsigned char)raw[i];
        if (c == '%') {
            if (i + 2 >= n)
                return false;
            int h = hexval((unsigned char)raw[i + 1]), l = hexval((unsigned char)raw[i + 2]);
            if (h < 0 || l < 0)
                return false;
            c = h * 16 + l;
            i += 2;
        } else if (c == '+') {
            c = ' ';
        }
        if (k >= nlen || (unsigned char)name[k] != c)
            return false;
    }
    return k == nlen;
}

int pn__query_find(pn_str query, const char *name, pn_str *raw_value)
{
    size_t nlen = strlen(name);
    size_t i = 0;
    while (i < query.len) {
        size_t j = i;
        while (j < query.len && query.ptr[j] != '&' && query.ptr[j] != ';')
            j++;
        const char *eq = memchr(query.ptr + i, '=', j - i);
        size_t klen = eq ? (size_t)(eq - (query.ptr + i)) : j - i;
        if (key_equals(query.ptr + i, klen, name, nlen)) {
            *raw_value = eq ? (pn_str){eq + 1, (size_t)(query.ptr + j - (eq + 1))}
                            : (pn_str){query.ptr + j, 0};
            return 0;
        }
        i = j + 1;
    }
    return PN_ENOTFOUND;
}

int pn__query_get(pn_str query, const char *name, struct pn_buf *out)
{
    pn_str raw;
    int rc = pn__query_find(query, name, &raw);
    if (rc)
        return rc;
    return raw.len ? pn__url_decode(raw.ptr, raw.len, out) : pn__buf_append(out, "", 0);
}
