/*
 * BooleanStatus: a coloured dot, filled when .value is true (Panel's
 * pn.indicators.BooleanStatus).
 *
 *     <div class="pn-boolean-status pn-color-C[ pn-boolean-status-on]" id="pn-N"
 *       data-pn-kind="BooleanStatus">
 *       <span class="pn-boolean-status-dot" role="img" aria-label="NAME: on|off"></span>
 *       <span class="pn-boolean-status-name">NAME</span></div>                    (when named)
 *
 * C is .color (a theme colour name). Without a name the dot's label is "on" or "off".
 * Patches: the changed props by name ("value", "color", "name");
 * web/client/kinds/boolean_status.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop boolean_status_props[] = {
    PN_PROP(pn_boolean_status_opts, name, PN_PROP_STR),
    PN_PROP(pn_boolean_status_opts, value, PN_PROP_BOOL),
    PN_PROP(pn_boolean_status_opts, color, PN_PROP_STR),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_boolean_status_opts *o = PN_OPTS(n, pn_boolean_status_opts);
    o->color = pn__kind_theme_color(n->s, here, "BooleanStatus", "color", o->color, "dark");
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)n;
    if (pn__prop_is(p, "color") && !pn__kind_theme_color_ok(v->str))
        return *why = "not one of primary, secondary, success, info, warning, danger, light, dark",
               PN_EINVAL;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_boolean_status_opts *o = PN_COPTS(n, pn_boolean_status_opts);
    const bool named = o->name && *o->name;
    int rc;
    if ((rc = pn__buf_printf(out,
                             "<div class=\"pn-boolean-status pn-color-%s%s\" id=\"pn-%u\" "
                             "data-pn-kind=\"BooleanStatus\"><span class=\"pn-boolean-status-dot\" "
                             "role=\"img\" aria-label=\"",
                             pn__kind_theme_color_ok(o->color) ? o->color : "dark",
                             o->value ? " pn-boolean-status-on" : "", (unsigned)n->id)) ||
        (named && ((rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, ": ")))) ||
        (rc = pn__html_text(out, o->value ? "on" : "off")) || (rc = PN_PUT(out, "\"></span>")))
        return rc;
    if (named && ((rc = PN_PUT(out, "<span class=\"pn-boolean-status-name\">")) ||
                  (rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, "</span>"))))
        return rc;
    return PN_PUT(out, "</div>");
}

const struct pn_kind pn__kind_boolean_status = {
    .name = "BooleanStatus",
    .css_class = "pn-boolean-status",
    .opts_size = sizeof(pn_boolean_status_opts),
    .props = boolean_status_props,
    .nprops = PN_COUNT(boolean_status_props),
    .init = init,
    .check = check,
    .html = html,
    /* patch: NULL, so the changed props by name */
};

pn_node *pn_boolean_status_new(pn_session *s, const pn_boolean_status_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_boolean_status, o, here);
}

static const struct pn_kind *const statuses[] = {&pn__kind_boolean_status, NULL};

void pn_boolean_status_set_value_at(pn_node *n, bool v, pn_here here)
{
    pn__setter(n, statuses, "value", PN_BOOL(v), "pn_boolean_status_set_value", here);
}
void pn_boolean_status_set_color_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, statuses, "color", PN_STR(v), "pn_boolean_status_set_color", here);
}
