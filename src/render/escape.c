/*
 * escape: the two ways render puts outside text into a page. pn__html_escape makes text safe
 * for element content and for double- or single-quoted attribute values (& < > " ' become
 * entities; every other byte is copied). pn__json_escape_script makes a JSON string body that
 * is safe inside <script>: besides JSON's own escapes, < > & become \u003c \u003e \u0026 (so
 * neither "</script>" nor "<!--" can appear), U+2028/U+2029 become \u2028/\u2029 (they end
 * lines in older JavaScript), and bytes that are not valid UTF-8 become \ufffd, so the result
 * is always valid JSON text. Both scan for runs of safe bytes and append them in one go. On
 * PN_ETOOBIG the buffer is left as it was before the call.
 */
#include "render/internal.h"

#include <stdio.h>

/* Undo a partial append: back to len bytes, still NUL-terminated. */
static int fail_at(struct pn_buf *out, size_t len, int rc)
{
    out->len = len;
    if (out->data)
        out->data[len] = '\0';
    return rc;
}

int pn__html_escape(struct pn_buf *out, const char *s, size_t n)
{
    size_t start = out->len, run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *ent;
        switch (s[i]) {
        case '&':
            ent = "&amp;";
            break;
        case '<':
            ent = "&lt;";
            break;
        case '>':
            ent = "&gt;";
            break;
        case '"':
            ent = "&quot;";
            break;
        case '\'':
            ent = "&#39;";
            break;
        default:
            continue;
        }
        if (pn__buf_append(out, s + run, i - run) != 0 || pn__buf_puts(out, ent) != 0)
            return fail_at(out, start, PN_ETOOBIG);
        run = i + 1;
    }
    if (pn__buf_append(out, s + run, n - run) != 0)
        return fail_at(out, start, PN_ETOOBIG);
    return 0;
}

int pn__json_escape_script(struct pn_buf *out, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = out->len, run = 0, i = 0;
    while (i < n) {
        char esc[8];
        const char *rep = NULL;
        size_t adv = 1;
        unsigned c = u[i];
        switch (c) {
        case '"':
            rep = "\\\"";
            break;
        case '\\':
            rep = "\\\\";
            break;
        case '\n':
            rep = "\\n";
            break;
        case '\r':
            rep = "\\r";
            break;
        case '\t':
            rep = "\\t";
            break;
        case '\b':
            rep = "\\b";
            break;
        case '\f':
            rep = "\\f";
            break;
        case '<':
            rep = "\\u003c";
            break;
        case '>':
            rep = "\\u003e";
            break;
        case '&':
            rep = "\\u0026";
            break;
        default:
            if (c < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                rep = esc;
            } else if (c >= 0x80) {
                adv = pn__utf8_seq_len(u + i, n - i);
                if (adv == 0) {
                    rep = "\\ufffd";
                    adv = 1;
                } else if (adv == 3 && c == 0xe2 && u[i + 1] == 0x80 &&
                           (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) {
                    rep = u[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
                }
            }
        }
        if (rep) {
            if (pn__buf_append(out, s + run, i - run) != 0 || pn__buf_puts(out, rep) != 0)
                return fail_at(out, start, PN_ETOOBIG);
            run = i + adv;
        }
        i += adv;
    }
    if (pn__buf_append(out, s + run, n - run) != 0)
        return fail_at(out, start, PN_ETOOBIG);
    return 0;
}
