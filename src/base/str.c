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

bool pn__utf8_valid(const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        unsigned min, cp;
        if ((c & 0xe0) == 0xc0)
            len = 2, min = 0x80, cp = c & 0x1f;
        else if ((c & 0xf0) == 0xe0)
            len = 3, min = 0x800, cp = c & 0x0f;
        else if ((c & 0xf8) == 0xf0)
            len = 4, min = 0x10000, cp = c & 0x07;
        else
            return false;
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
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
