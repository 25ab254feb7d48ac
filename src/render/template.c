/*
 * template: compiles a template into byte runs and named slots, and fills the slots.
 *
 *     <title>{{ title }}</title> ... <main>{{{ body }}}</main>
 *
 * `{{ name }}` is a slot that is HTML-escaped when filled; `{{{ name }}}` is a raw slot, for
 * HTML that render/ itself produced (the SSR body, a whole <script> tag). Names are
 * [a-z0-9_]+ with optional spaces or tabs around them. An unterminated slot, an empty one, a
 * bad name or a mismatched brace count is a compile error whose message names the line.
 * Everything else, including single braces, is copied as is. Compilation copies the source;
 * segments point into the copy, so a compiled template does not depend on its input.
 */
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>

static int compile_error(char *err, size_t errlen, const char *src, const char *at, const char *msg)
{
    unsigned line = 1;
    for (const char *p = src; p < at; p++)
        line += *p == '\n';
    if (err && errlen)
        snprintf(err, errlen, "line %u: %s", line, msg);
    return PN_EPARSE;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static const char *find2(const char *p, const char *end, char a, char b)
{
    for (; p + 1 < end; p++)
        if (p[0] == a && p[1] == b)
            return p;
    return NULL;
}

int pn__template_compile(pn_str src, struct pn_template *out, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = '\0';
    char *copy = pn__xmalloc(src.len + 1);
    if (src.len)
        memcpy(copy, src.ptr, src.len);
    copy[src.len] = '\0';

    const char *p = copy, *end = copy + src.len, *text = copy;
    size_t nsegs = 0, cap = 8;
    struct pn_tpl_seg *segs = pn__xmalloc(cap * sizeof *segs);
    const char *bad = NULL, *why = NULL;

    while ((p = find2(p, end, '{', '{')) != NULL) {
        const char *open = p;
        bool raw = p + 2 < end && p[2] == '{';
        p += raw ? 3 : 2;
        const char *close = find2(p, end, '}', '}');
        if (!close) {
            bad = open, why = raw ? "unterminated raw slot: '{{{' without '}}}'"
                                  : "unterminated slot: '{{' without '}}'";
            break;
        }
        const char *a = p, *b = close;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (a == b) {
            bad = open, why = "empty slot";
            break;
        }
        for (const char *c = a; c < b; c++) {
            if (!name_char(*c)) {
                bad = c, why = *c == '\n' ? "unterminated slot: newline inside '{{ }}'"
                                          : "bad slot name: use [a-z0-9_]";
                break;
            }
        }
        if (bad)
            break;
        bool closes_raw = close + 2 < end && close[2] == '}';
        if (raw && !closes_raw) {
            bad = open, why = "raw slot opened with '{{{' but closed with '}}'";
            break;
        }
        if (!raw && closes_raw) {
            bad = open, why = "slot opened with '{{' but closed with '}}}'";
            break;
        }
        if (nsegs + 2 > cap) {
            cap *= 2;
            segs = pn__xrealloc(segs, cap * sizeof *segs);
        }
        segs[nsegs++] = (struct pn_tpl_seg){
            .text = {text, (size_t)(open - text)},
            .slot = {a, (size_t)(b - a)},
            .raw = raw,
        };
        p = close + (raw ? 3 : 2);
        text = p;
    }
    if (bad) {
        int rc = compile_error(err, errlen, copy, bad, why);
        free(segs);
        free(copy);
        return rc;
    }
    segs[nsegs++] = (struct pn_tpl_seg){.text = {text, (size_t)(end - text)}};
    *out = (struct pn_template){.src = copy, .segs = segs, .nsegs = nsegs};
    return 0;
}

void pn__template_fini(struct pn_template *t)
{
    if (!t)
        return;
    free(t->segs);
    free(t->src);
    *t = (struct pn_template){0};
}

int pn__template_render(const struct pn_template *t, const struct pn_tpl_var *vars, size_t nvars,
                        struct pn_buf *out)
{
    size_t start = out->len;
    for (size_t i = 0; i < t->nsegs; i++) {
        const struct pn_tpl_seg *g = &t->segs[i];
        if (pn__buf_append(out, g->text.ptr, g->text.len) != 0)
            goto toobig;
        if (g->slot.len == 0)
            continue;
        for (size_t v = 0; v < nvars; v++) {
            if (!pn__str_eq(pn__str(vars[v].name), g->slot))
                continue;
            pn_str val = vars[v].value;
            if (val.len && (g->raw ? pn__buf_append(out, val.ptr, val.len)
                                   : pn__html_escape(out, val.ptr, val.len)) != 0)
                goto toobig;
            break;
        }
    }
    return 0;
toobig:
    out->len = start;
    if (out->data)
        out->data[start] = '\0';
    return PN_ETOOBIG;
}
