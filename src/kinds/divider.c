/*
 * Divider: a horizontal rule across its container (Panel's pn.layout.Divider).
 *
 *     <hr class="pn-divider" id="pn-N" data-pn-kind="Divider" role="separator"
 *       [style="border-top-color:C"]>
 *
 * C is .color (a CSS colour; default: the theme's line colour, from pane.css). No patches:
 * it has no setters. No client module.
 */
#include "kinds/kinds.h"

static const struct pn_prop divider_props[] = {
    PN_PROP(pn_divider_opts, color, PN_PROP_STR),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_divider_opts *o = PN_OPTS(n, pn_divider_opts);
    o->color = pn__kind_check_str(n->s, here, "Divider", "color", o->color, pn__css_color_ok);
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_divider_opts *o = PN_COPTS(n, pn_divider_opts);
    int rc;
    if ((rc = pn__html_open(out, "hr", "pn-divider", n)) ||
        (rc = PN_PUT(out, " role=\"separator\"")))
        return rc;
    if (o->color && *o->color && pn__css_color_ok(o->color) &&
        ((rc = PN_PUT(out, " style=\"border-top-color:")) || (rc = pn__html_text(out, o->color)) ||
         (rc = PN_PUT(out, "\""))))
        return rc;
    return PN_PUT(out, ">");
}

const struct pn_kind pn__kind_divider = {
    .name = "Divider",
    .css_class = "pn-divider",
    .opts_size = sizeof(pn_divider_opts),
    .props = divider_props,
    .nprops = PN_COUNT(divider_props),
    .init = init,
    .html = html,
};

pn_node *pn_divider_new(pn_session *s, const pn_divider_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_divider, o, here);
}
