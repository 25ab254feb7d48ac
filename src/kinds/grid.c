/*
 * Grid: children in a CSS grid of equal columns, row by row; pn_size's col_span and row_span
 * make a child cover more cells (Panel's GridSpec).
 *
 *     <div class="pn-grid" id="pn-N" data-pn-kind="Grid"
 *       style="grid-template-columns:repeat(C,minmax(0,1fr))[;grid-auto-rows:Hpx]">CHILDREN</div>
 *
 * No patches (its options are fixed when built). Client: none.
 */
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop grid_props[] = {
    PN_PROP(pn_grid_opts, items, PN_PROP_ITEMS),
    PN_PROP(pn_grid_opts, columns, PN_PROP_INT),
    PN_PROP(pn_grid_opts, row_height, PN_PROP_INT),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_grid_opts *o = PN_OPTS(n, pn_grid_opts);
    if (o->columns == 0)
        o->columns = 2;
    if (o->columns < 1 || o->columns > 24) {
        pn__session_misuse(n->s, here, "Grid.columns %d is not in 1..24; using 2", o->columns);
        o->columns = 2;
    }
    if (o->row_height < 0 || o->row_height > 10000) {
        pn__session_misuse(n->s, here, "Grid.row_height %d is not in 0..10000 px; using 0",
                           o->row_height);
        o->row_height = 0;
    }
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_grid_opts *o = PN_COPTS(n, pn_grid_opts);
    char style[96];
    int k =
        snprintf(style, sizeof style, "grid-template-columns:repeat(%d,minmax(0,1fr))", o->columns);
    if (o->row_height)
        snprintf(style + k, sizeof style - (size_t)k, ";grid-auto-rows:%dpx", o->row_height);
    int rc = pn__html_open_style(out, "div", "pn-grid", n, style);
    return rc ? rc : PN_PUT(out, ">");
}

static int html_close(struct pn_buf *out, const pn_node *n)
{
    (void)n;
    return PN_PUT(out, "</div>");
}

const struct pn_kind pn__kind_grid = {
    .name = "Grid",
    .css_class = "pn-grid",
    .opts_size = sizeof(pn_grid_opts),
    .props = grid_props,
    .nprops = PN_COUNT(grid_props),
    .container = true,
    .init = init,
    .html = html,
    .html_close = html_close,
};

pn_node *pn_grid_new(pn_session *s, const pn_grid_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_grid, o, here);
}
