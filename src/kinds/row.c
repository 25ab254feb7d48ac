/*
 * Row and Column: lay children out side by side / one below the other (CSS flex in pane.css).
 *
 *     <div class="pn-row" id="pn-N" data-pn-kind="Row">CHILDREN</div>
 *
 * No props besides the children. Client: web/client/kinds/layout.js (nothing to patch).
 */
#include "kinds/kinds.h"

static const struct pn_prop row_props[] = {
    PN_PROP(pn_row_opts, items, PN_PROP_ITEMS),
};

static int html(struct pn_buf *out, const pn_node *n)
{
    int rc = pn__html_open(out, "div", n->desc->css_class, n);
    return rc ? rc : PN_PUT(out, ">");
}

static int html_close(struct pn_buf *out, const pn_node *n)
{
    (void)n;
    return PN_PUT(out, "</div>");
}

const struct pn_kind pn__kind_row = {
    .name = "Row",
    .css_class = "pn-row",
    .opts_size = sizeof(pn_row_opts),
    .props = row_props,
    .nprops = PN_COUNT(row_props),
    .container = true,
    .html = html,
    .html_close = html_close,
};

const struct pn_kind pn__kind_column = {
    .name = "Column",
    .css_class = "pn-column",
    .opts_size = sizeof(pn_column_opts),
    .props = row_props,
    .nprops = PN_COUNT(row_props),
    .container = true,
    .html = html,
    .html_close = html_close,
};

pn_node *pn_row_new(pn_session *s, const pn_row_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_row, o, here);
}

pn_node *pn_column_new(pn_session *s, const pn_column_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_column, o, here);
}
