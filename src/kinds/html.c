/*
 * HTML: raw HTML from the app, the one way to put markup on the page unescaped.
 *
 *     <div class="pn-html" id="pn-N" data-pn-kind="HTML">HTML</div>
 *
 * Patches: {"html": HTML}. Client: web/client/kinds/markdown.js (the same body swap).
 */
#include "kinds/kinds.h"

static const struct pn_prop html_props[] = {
    PN_PROP(pn_html_opts, html, PN_PROP_RAW),
};

static int html(struct pn_buf *out, const pn_node *n)
{
    const char *h = PN_COPTS(n, pn_html_opts)->html;
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-html", n)) || (rc = PN_PUT(out, ">")) ||
        (h && (rc = pn__buf_puts(out, h))))
        return rc;
    return PN_PUT(out, "</div>");
}

const struct pn_kind pn__kind_html = {
    .name = "HTML",
    .css_class = "pn-html",
    .opts_size = sizeof(pn_html_opts),
    .props = html_props,
    .nprops = PN_COUNT(html_props),
    .html = html,
    /* patch: NULL, so {"html": HTML} by the prop's name */
};

pn_node *pn_html_new(pn_session *s, const pn_html_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_html, o, here);
}

static const struct pn_kind *const htmls[] = {&pn__kind_html, NULL};

void pn_html_set_html_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, htmls, "html", PN_STR(v), "pn_html_set_html", here);
}
