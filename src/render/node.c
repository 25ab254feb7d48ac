/*
 * node: server-side rendering of one component and its subtree, so the first HTML a browser
 * gets already shows every value. Each kind writes its own markup (its html hook, in
 * src/kinds/NAME.c); this walks the tree and gives the kinds the helpers every one uses. Each
 * node's outer element is
 *
 *     <TAG class="pn-<kind>..." id="pn-<id>" data-pn-kind="<Kind>" ...>
 *
 * which is what the client and the tests find nodes by. docs/internals/render.md has the
 * markup of every kind.
 */
#include "render/render.h"

int pn__html_text(struct pn_buf *out, const char *s)
{
    return s ? pn__html_escape(out, s, strlen(s)) : 0;
}

int pn__html_open(struct pn_buf *out, const char *tag, const char *cls, const pn_node *n)
{
    return pn__html_open_style(out, tag, cls, n, NULL);
}

int pn__html_open_style(struct pn_buf *out, const char *tag, const char *cls, const pn_node *n,
                        const char *style)
{
    const char *stretch = pn__size_stretch(n);
    const char *extra = n->parent && n->parent->desc->child_attrs
                            ? n->parent->desc->child_attrs(n->parent, n)
                            : "";
    int rc = pn__buf_printf(out, "<%s class=\"%s\" id=\"pn-%u\" data-pn-kind=\"%s\"%s%s%s%s%s",
                            tag, cls, (unsigned)n->id, n->desc->name, n->hidden ? " hidden" : "",
                            *stretch ? " data-pn-stretch=\"" : "", stretch, *stretch ? "\"" : "",
                            extra ? extra : "");
    size_t at = out->len;
    if (rc == 0)
        rc = PN_PUT(out, " style=\"");
    size_t body = out->len;
    if (rc == 0 && style) /* the kind's own, then the size: pn_size wins (a Plot's height) */
        rc = pn__html_text(out, style);
    if (rc == 0 && style && n->size)
        rc = PN_PUT(out, ";");
    if (rc == 0)
        rc = pn__size_css(n, out);
    if (rc == 0 && out->len == body)
        out->len = at; /* nothing to say: no style attribute */
    else if (rc == 0)
        rc = PN_PUT(out, "\"");
    return rc;
}

static int render_open(struct pn_buf *out, const pn_node *n)
{
    return n->desc->html ? n->desc->html(out, n) : PN_EINVAL;
}

static int render_close(struct pn_buf *out, const pn_node *n)
{
    return n->desc->html_close ? n->desc->html_close(out, n) : 0;
}

/* A container's wrapper around one child (Accordion: the child's <details> and title), if its
 * kind has one: around the top node too, so that an insert op carries it. */
static int wrap_open(struct pn_buf *out, const pn_node *n)
{
    const pn_node *p = n->parent;
    return p && p->desc->child_open ? p->desc->child_open(out, p, n) : 0;
}

static int wrap_close(struct pn_buf *out, const pn_node *n)
{
    const pn_node *p = n->parent;
    return p && p->desc->child_close ? p->desc->child_close(out, p, n) : 0;
}

/* Pre-order over the subtree by the parent links, closing each container after its last child:
 * no recursion, so the stack does not grow with the tree's depth. */
int pn__render_node(struct pn_buf *out, const pn_node *top)
{
    size_t start = out->len;
    const pn_node *n = top;
    int rc = 0;
    while (rc == 0) {
        if ((rc = wrap_open(out, n)))
            break;
        if (n->desc->container) {
            rc = render_open(out, n);
            if (rc == 0 && n->first) {
                n = n->first;
                continue;
            }
            if (rc == 0)
                rc = render_close(out, n);
        } else {
            rc = render_open(out, n);
        }
        if (rc == 0)
            rc = wrap_close(out, n);
        while (rc == 0 && n != top && !n->next) {
            n = n->parent;
            rc = render_close(out, n);
            if (rc == 0)
                rc = wrap_close(out, n);
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
