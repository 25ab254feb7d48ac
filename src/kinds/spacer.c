/*
 * Spacer: empty space (Panel's pn.Spacer and pn.HSpacer): a fixed box of .width × .height
 * pixels, or, where one is 0, a box that grows to fill its Row (width) or Column (height).
 *
 *     <div class="pn-spacer[ pn-spacer-flex]" id="pn-N" data-pn-kind="Spacer"
 *       aria-hidden="true" style="width:Wpx;height:Hpx"></div>
 *
 * The style has only the sides given (> 0); pn-spacer-flex when either is 0 (pane.css: flex
 * 1 1 0). No patches: it has no setters. No client module.
 */
#include "kinds/kinds.h"

static const struct pn_prop spacer_props[] = {
    PN_PROP(pn_spacer_opts, width, PN_PROP_INT),
    PN_PROP(pn_spacer_opts, height, PN_PROP_INT),
};

#define MAX_PX 100000

static int px(pn_session *s, pn_here here, const char *field, int v)
{
    if (v >= 0 && v <= MAX_PX)
        return v;
    pn__session_misuse(s, here, "Spacer.%s: %d is not 0..%d pixels; using 0 (flexible)", field, v,
                       MAX_PX);
    return 0;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_spacer_opts *o = PN_OPTS(n, pn_spacer_opts);
    o->width = px(n->s, here, "width", o->width);
    o->height = px(n->s, here, "height", o->height);
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_spacer_opts *o = PN_COPTS(n, pn_spacer_opts);
    const bool flex = o->width <= 0 || o->height <= 0;
    int rc;
    if ((rc = pn__html_open(out, "div", flex ? "pn-spacer pn-spacer-flex" : "pn-spacer", n)) ||
        (rc = PN_PUT(out, " aria-hidden=\"true\"")))
        return rc;
    if (o->width > 0 || o->height > 0) {
        if ((rc = PN_PUT(out, " style=\"")) ||
            (o->width > 0 && (rc = pn__buf_printf(out, "width:%dpx;", o->width))) ||
            (o->height > 0 && (rc = pn__buf_printf(out, "height:%dpx;", o->height))) ||
            (rc = PN_PUT(out, "\"")))
            return rc;
    }
    return PN_PUT(out, "></div>");
}

const struct pn_kind pn__kind_spacer = {
    .name = "Spacer",
    .css_class = "pn-spacer",
    .opts_size = sizeof(pn_spacer_opts),
    .props = spacer_props,
    .nprops = PN_COUNT(spacer_props),
    .init = init,
    .html = html,
};

pn_node *pn_spacer_new(pn_session *s, const pn_spacer_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_spacer, o, here);
}
