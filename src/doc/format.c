/*
 * format: a value through a format string ("{value}", "{value:.1f}"), as Number and
 * FloatSlider show it, and the CSS value checks that keep app-given colours and sizes from
 * breaking out of a style attribute.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "doc/doc.h"

/* The shortest %g form that reads back as the same double (Python's repr does the same). */
static int format_shortest(struct pn_buf *out, double v)
{
    char tmp[64];
    if (v == 0)
        v = 0; /* no "-0" */
    if (isfinite(v) && fabs(v) < 1e15 && v == (double)(long long)v) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)v);
        return pn__buf_puts(out, tmp);
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v || !isfinite(v))
            break;
    }
    return pn__buf_puts(out, tmp);
}

static int format_into(const char *f, double value, struct pn_buf *out);

/* STYLE §3.5: on failure out is left as it was (no half-formatted value). */
int pn__value_format(const char *format, double value, struct pn_buf *out)
{
    size_t start = out->len;
    int rc = format_into(format ? format : "{value}", value, out);
    if (rc) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return rc;
}

static int format_into(const char *f, double value, struct pn_buf *out)
{
    static const char tag[] = "{value";
    while (*f) {
        const char *open = strstr(f, tag);
        if (!open)
            return pn__buf_puts(out, f);
        int rc = pn__buf_append(out, f, (size_t)(open - f));
        if (rc)
            return rc;
        const char *p = open + sizeof tag - 1;
        if (*p == '}') {
            rc = format_shortest(out, value);
            f = p + 1;
        } else if (p[0] == ':' && p[1] == '.' && isdigit((unsigned char)p[2])) {
            /* {value:.Nf} with N in 0..20 */
            char *end;
            long prec = strtol(p + 2, &end, 10);
            if (prec <= 20 && end[0] == 'f' && end[1] == '}') {
                char tmp[400];
                snprintf(tmp, sizeof tmp, "%.*f", (int)prec, value == 0 ? 0.0 : value);
                rc = pn__buf_puts(out, tmp);
                f = end + 2;
            } else {
                rc = pn__buf_append(out, open, sizeof tag - 1);
                f = p;
            }
        } else {
            rc = pn__buf_append(out, open, sizeof tag - 1); /* not a placeholder: text */
            f = p;
        }
        if (rc)
            return rc;
    }
    return 0;
}

/* Length of the valid placeholder at p ("{value}", "{value:.Nf}" with N 0..20), or 0. The same
 * grammar as format_into. */
static size_t placeholder_len(const char *p)
{
    static const char tag[] = "{value";
    if (strncmp(p, tag, sizeof tag - 1) != 0)
        return 0;
    const char *q = p + sizeof tag - 1;
    if (*q == '}')
        return (size_t)(q + 1 - p);
    if (q[0] != ':' || q[1] != '.' || !isdigit((unsigned char)q[2]))
        return 0;
    char *end;
    long prec = strtol(q + 2, &end, 10);
    return prec <= 20 && end[0] == 'f' && end[1] == '}' ? (size_t)(end + 2 - p) : 0;
}

const char *pn__number_format_check(const char *f)
{
    for (const char *p = f ? strchr(f, '{') : NULL; p; p = strchr(p, '{')) {
        size_t n = placeholder_len(p);
        if (n) {
            p += n;
            continue;
        }
        /* "{name}", "{name:spec}", "{}", "{0:.2f}": meant as a placeholder, but not one pane
         * knows (it would be shown as text). Anything else ("{{", "{ x", a lone "{") is text. */
        const char *q = p + 1;
        while (isalnum((unsigned char)*q) || *q == '_')
            q++;
        if (*q == '}' || *q == ':')
            return "only {value} and {value:.Nf} (N 0..20) are placeholders";
        p++;
    }
    return NULL;
}

bool pn__css_color_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return false;
    if (s[0] == '#') {
        if (n != 4 && n != 5 && n != 7 && n != 9)
            return false;
        for (size_t i = 1; i < n; i++)
            if (!isxdigit((unsigned char)s[i]))
                return false;
        return true;
    }
    size_t i = 0;
    while (i < n && isalpha((unsigned char)s[i]))
        i++;
    if (i == n)
        return true; /* a named colour: letters only */
    if (i == 0 || s[i] != '(' || s[n - 1] != ')')
        return false;
    static const char *const fns[] = {"rgb", "rgba", "hsl", "hsla"};
    bool known = false;
    for (size_t k = 0; k < sizeof fns / sizeof *fns; k++)
        if (strlen(fns[k]) == i && strncmp(s, fns[k], i) == 0)
            known = true;
    if (!known)
        return false;
    for (size_t k = i + 1; k < n - 1; k++) {
        char c = s[k];
        if (!isdigit((unsigned char)c) && !strchr(" .,%/-+degrad", c))
            return false;
    }
    return true;
}

bool pn__css_length_ok(const char *s)
{
    size_t i = 0, digits = 0;
    while (isdigit((unsigned char)s[i]))
        i++, digits++;
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i]))
            i++, digits++;
    }
    if (digits == 0 || i > 12)
        return false;
    const char *unit = s + i;
    static const char *const units[] = {"px", "pt", "em", "rem", "%", "vw", "vh", "ex", "ch"};
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strcmp(unit, units[k]) == 0)
            return true;
    return *unit == '\0' && strspn(s, "0.") == strlen(s); /* a bare zero */
}
