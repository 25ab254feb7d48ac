/*
 * node: server-side rendering of one component and its subtree, so the first HTML a browser
 * gets already shows every value. Each node's outer element is
 *
 *     <TAG class="pn-<kind>..." id="pn-<id>" data-pn-kind="<Kind>" ...>
 *
 * which is what the client and the tests find nodes by. Every string option is HTML-escaped;
 * the only raw inputs are pn_html's .html and md4c's output (which has raw HTML turned off).
 * CSS values that go into a style attribute are checked again with doc's validators and
 * fall back to the default when they fail, so no value can open a new declaration.
 * docs/internals/render.md has the markup of every kind.
 */
#include "render/render.h"

#define PUT(out, lit) pn__buf_append((out), (lit), sizeof(lit) - 1)

static int put_text(struct pn_buf *out, const char *s)
{
    return s ? pn__html_escape(out, s, strlen(s)) : 0;
}

/* `<tag class="cls" id="pn-N" data-pn-kind="Kind"` — the caller closes the tag. */
static int open_tag(struct pn_buf *out, const char *tag, const char *cls, const pn_node *n)
{
    return pn__buf_printf(out, "<%s class=\"%s\" id=\"pn-%u\" data-pn-kind=\"%s\"", tag, cls,
                          (unsigned)n->id, n->desc->name);
}

/* A container is rendered in two parts, around its children: what comes before them (open)
 * and after (close). */
static int render_open(struct pn_buf *out, const pn_node *n)
{
    int rc;
    if (n->desc->kind != PN_KIND_CARD) { /* Row, Column */
        if ((rc = open_tag(out, "div", n->desc->css_class, n)))
            return rc;
        return PUT(out, ">");
    }
    const pn_card_opts *o = &n->o.card;
    if (o->hide_header) {
        if ((rc = open_tag(out, "div", "pn-card pn-card-noheader", n)))
            return rc;
        return PUT(out, "><div class=\"pn-card-body\">");
    }
    if ((rc = open_tag(out, "details", "pn-card", n)) ||
        (rc = o->collapsed ? PUT(out, ">") : PUT(out, " open>")) ||
        (rc = PUT(out, "<summary class=\"pn-card-header\"><span class=\"pn-card-title\">")) ||
        (rc = put_text(out, o->title)))
        return rc;
    return PUT(out, "</span></summary><div class=\"pn-card-body\">");
}

static int render_close(struct pn_buf *out, const pn_node *n)
{
    if (n->desc->kind != PN_KIND_CARD)
        return PUT(out, "</div>");
    return n->o.card.hide_header ? PUT(out, "</div></div>") : PUT(out, "</div></details>");
}

static const char *css_length(const char *v, const char *def)
{
    return v && *v && pn__css_length_ok(v) ? v : def;
}

static int render_number(struct pn_buf *out, const pn_node *n)
{
    const pn_number_opts *o = &n->o.number;
    int rc;
    if ((rc = open_tag(out, "div", "pn-number", n)) || (rc = PUT(out, ">")))
        return rc;
    if (o->name && *o->name) {
        if ((rc = PUT(out, "<div class=\"pn-number-name\" style=\"font-size:")) ||
            (rc = put_text(out, css_length(o->title_size, "18pt"))) || (rc = PUT(out, "\">")) ||
            (rc = put_text(out, o->name)) || (rc = PUT(out, "</div>")))
            return rc;
    }
    if ((rc = PUT(out, "<div class=\"pn-number-value\" style=\"font-size:")) ||
        (rc = put_text(out, css_length(o->font_size, "54pt"))))
        return rc;
    const char *color = pn__number_color(o);
    if (color && *color && pn__css_color_ok(color)) {
        if ((rc = PUT(out, ";color:")) || (rc = put_text(out, color)))
            return rc;
    }
    if ((rc = PUT(out, "\">")))
        return rc;
    struct pn_buf val;
    pn__buf_init(&val, out->max);
    rc = pn__number_format(o, o->value, &val);
    if (rc == 0)
        rc = pn__html_escape(out, val.data ? val.data : "", val.len);
    pn__buf_fini(&val);
    if (rc)
        return PN_ETOOBIG;
    return PUT(out, "</div></div>");
}

static int render_markdown(struct pn_buf *out, const pn_node *n)
{
    const char *text = n->o.markdown.text ? n->o.markdown.text : "";
    int rc;
    if ((rc = open_tag(out, "div", "pn-markdown", n)) || (rc = PUT(out, ">")) ||
        (rc = pn__render_markdown(out, text, strlen(text))))
        return rc;
    return PUT(out, "</div>");
}

static int render_html(struct pn_buf *out, const pn_node *n)
{
    const char *html = n->o.html.html;
    int rc;
    if ((rc = open_tag(out, "div", "pn-html", n)) || (rc = PUT(out, ">")) ||
        (html && (rc = pn__buf_puts(out, html))))
        return rc;
    return PUT(out, "</div>");
}

/* A component without children. */
static int render_leaf(struct pn_buf *out, const pn_node *n)
{
    switch (n->desc->kind) { /* no default: a new kind in PN_KIND_MAP must be handled here */
    case PN_KIND_NUMBER:
        return render_number(out, n);
    case PN_KIND_MARKDOWN:
        return render_markdown(out, n);
    case PN_KIND_HTML:
        return render_html(out, n);
    case PN_KIND_BUTTON:
    case PN_KIND_TOGGLE:
    case PN_KIND_CHECKBOX:
    case PN_KIND_TEXT_INPUT:
    case PN_KIND_INT_SLIDER:
    case PN_KIND_FLOAT_SLIDER:
    case PN_KIND_SELECT:
        return pn__render_widget(out, n);
    case PN_KIND_ROW:
    case PN_KIND_COLUMN:
    case PN_KIND_CARD:
    case PN_KIND_COUNT:
        break;
    }
    return PN_EINVAL;
}

/* Pre-order over the subtree by the parent links, closing each container after its last child:
 * no recursion, so the stack does not grow with the tree's depth. */
int pn__render_node(struct pn_buf *out, const pn_node *top)
{
    size_t start = out->len;
    const pn_node *n = top;
    int rc = 0;
    while (rc == 0) {
        if (n->desc->container) {
            rc = render_open(out, n);
            if (rc == 0 && n->first) {
                n = n->first;
                continue;
            }
            if (rc == 0)
                rc = render_close(out, n);
        } else {
            rc = render_leaf(out, n);
        }
        while (rc == 0 && n != top && !n->next) {
            n = n->parent;
            rc = render_close(out, n);
        }
        if (n == top)
            break;
        n = n->next;
    }
    if (rc) {
        out->len = start;
        if (out->data)
            out->data[start] = '\0';
    }
    return rc;
}
