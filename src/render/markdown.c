/*
 * markdown: Markdown → HTML with md4c-html, GitHub's dialect (tables, strikethrough, task
 * lists, permissive autolinks) and raw HTML turned off, so `<script>` in the text shows as
 * text. md4c escapes text and URLs but keeps any URL scheme, and `[x](javascript:...)` would
 * still run script when clicked; so the output goes through one more pass that replaces the
 * URL of every link and image whose scheme is not http, https or mailto with "#". That pass
 * can find md4c's own `<a href="` and `<img src="` reliably because, with raw HTML off, a
 * literal '<' in the input always comes out as &lt;.
 *
 * md4c 0.4.8 (Debian 12) also reads past the end of its input when the input ends inside a
 * multi-byte UTF-8 sequence (found by fuzz_markdown: ")[](\xe1" makes it emit bytes from
 * beyond the buffer). So md4c only ever sees a copy made valid UTF-8 (pn__utf8_sanitize: one
 * U+FFFD per ill-formed subpart), followed by NUL padding.
 */
#include "render/internal.h"

#include <md4c-html.h>
#include <stdlib.h>

#define MD_FLAGS (MD_DIALECT_GITHUB | MD_FLAG_NOHTML)

struct md_sink {
    struct pn_buf *out;
    int rc;
};

static void md_write(const MD_CHAR *text, MD_SIZE size, void *userdata)
{
    struct md_sink *k = userdata;
    if (k->rc == 0)
        k->rc = pn__buf_append(k->out, text, size);
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True if the attribute value url[0..n) has a scheme (RFC 3986: ALPHA *(ALPHA/DIGIT/+-.)
 * before ':') other than http, https or mailto. No scheme means a relative URL: safe. */
static bool url_unsafe(const char *url, size_t n)
{
    size_t i = 0;
    while (i < n && url[i] != ':' && url[i] != '/' && url[i] != '?' && url[i] != '#')
        i++;
    if (i == n || url[i] != ':' || i == 0)
        return false;
    char scheme[8];
    for (size_t k = 0; k < i; k++) {
        char c = lower(url[k]);
        bool ok = (c >= 'a' && c <= 'z') ||
                  (k > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
        if (!ok)
            return false; /* not a scheme: the browser reads it as a relative path */
        if (k < sizeof scheme)
            scheme[k] = c;
    }
    if (i >= sizeof scheme)
        return true;
    pn_str s = {scheme, i};
    return !pn__str_eq(s, PN_STRLIT("http")) && !pn__str_eq(s, PN_STRLIT("https")) &&
           !pn__str_eq(s, PN_STRLIT("mailto"));
}

/* Copies html to out, replacing unsafe link and image URLs with "#". */
static int filter_urls(struct pn_buf *out, const char *html, size_t n)
{
    static const pn_str attrs[] = {PN_STRLIT("<a href=\""), PN_STRLIT("<img src=\"")};
    size_t run = 0, i = 0;
    while (i < n) {
        const char *lt = memchr(html + i, '<', n - i);
        if (!lt)
            break;
        i = (size_t)(lt - html);
        size_t skip = 0;
        for (size_t a = 0; a < sizeof attrs / sizeof *attrs; a++) {
            pn_str rest = {html + i, n - i};
            if (pn__str_has_prefix(rest, attrs[a]))
                skip = attrs[a].len;
        }
        if (!skip) {
            i++;
            continue;
        }
        size_t u = i + skip;
        const char *q = memchr(html + u, '"', n - u);
        size_t uend = q ? (size_t)(q - html) : n;
        if (url_unsafe(html + u, uend - u)) {
            int rc;
            if ((rc = pn__buf_append(out, html + run, u - run)) || (rc = pn__buf_putc(out, '#')))
                return rc;
            run = uend;
        }
        i = uend;
    }
    return pn__buf_append(out, html + run, n - run);
}

int pn__render_markdown(struct pn_buf *out, const char *md, size_t n)
{
    if (!md)
        md = "", n = 0;
    size_t len = pn__utf8_sanitize_len(md, n); /* at most 3n */
    if (len > (MD_SIZE)-1 - 4)
        return PN_ETOOBIG;
    /* md4c's copy: valid UTF-8, then NUL padding past the end */
    char *src = pn__xcalloc(1, len + 4);
    pn__utf8_sanitize(md, n, src);
    struct pn_buf raw;
    pn__buf_init(&raw, out->max);
    struct md_sink k = {&raw, 0};
    int mrc = md_html(src, (MD_SIZE)len, md_write, &k, MD_FLAGS, MD_HTML_FLAG_SKIP_UTF8_BOM);
    int rc = k.rc ? k.rc : mrc != 0 ? PN_ENOMEM : 0;
    if (rc == 0) {
        size_t start = out->len;
        rc = filter_urls(out, raw.data ? raw.data : "", raw.len);
        if (rc) {
            out->len = start;
            if (out->data)
                out->data[start] = '\0';
        }
    }
    free(src);
    pn__buf_fini(&raw);
    return rc;
}
