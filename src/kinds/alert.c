/*
 * Alert: a coloured box of Markdown (Panel's pn.pane.Alert), rendered on the server by md4c
 * with raw HTML turned off, as a Markdown's.
 *
 *     <div class="pn-alert pn-color-TYPE" id="pn-N" data-pn-kind="Alert" role="alert">HTML</div>
 *
 * TYPE is .alert_type: primary, secondary, success, info, warning, danger, light or dark
 * (pane.css colours the box from pn-color-TYPE). Patches: {"html": HTML} when the text
 * changed (the client never parses Markdown), {"alert_type": TYPE} when the type did.
 * Client: web/client/kinds/alert.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop alert_props[] = {
    PN_PROP(pn_alert_opts, text, PN_PROP_STR),
    PN_PROP(pn_alert_opts, alert_type, PN_PROP_STR),
};
enum { P_TEXT, P_TYPE };
#define BIT(p) (1u << (p))

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_alert_opts *o = PN_OPTS(n, pn_alert_opts);
    o->alert_type =
        pn__kind_theme_color(n->s, here, "Alert", "alert_type", o->alert_type, "primary");
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)n;
    if (pn__prop_is(p, "alert_type") && !pn__kind_theme_color_ok(v->str))
        return *why = "not one of primary, secondary, success, info, warning, danger, light, dark",
               PN_EINVAL;
    return 0;
}

static int body(struct pn_buf *out, const pn_node *n)
{
    const char *t = PN_COPTS(n, pn_alert_opts)->text;
    return t ? pn__render_markdown(out, t, strlen(t)) : 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_alert_opts *o = PN_COPTS(n, pn_alert_opts);
    int rc;
    if ((rc = pn__buf_printf(out,
                             "<div class=\"pn-alert pn-color-%s\" id=\"pn-%u\" "
                             "data-pn-kind=\"Alert\" role=\"alert\">",
                             pn__kind_theme_color_ok(o->alert_type) ? o->alert_type : "primary",
                             (unsigned)n->id)) ||
        (rc = body(out, n)))
        return rc;
    return PN_PUT(out, "</div>");
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    const pn_alert_opts *o = PN_COPTS(n, pn_alert_opts);
    int rc = 0;
    if (mask & BIT(P_TEXT)) {
        struct pn_buf b;
        pn__buf_init(&b, 1u << 24);
        rc = body(&b, n);
        if (rc == 0 && pn__json_set(changes, "html", json_stringn(b.data ? b.data : "", b.len)))
            rc = PN_EINVAL;
        pn__buf_fini(&b);
    }
    if (rc == 0 && (mask & BIT(P_TYPE)) &&
        pn__json_set(changes, "alert_type", json_string(o->alert_type)))
        rc = PN_EINVAL;
    return rc;
}

const struct pn_kind pn__kind_alert = {
    .name = "Alert",
    .css_class = "pn-alert",
    .opts_size = sizeof(pn_alert_opts),
    .props = alert_props,
    .nprops = PN_COUNT(alert_props),
    .init = init,
    .check = check,
    .html = html,
    .patch = patch,
};

pn_node *pn_alert_new(pn_session *s, const pn_alert_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_alert, o, here);
}

static const struct pn_kind *const alerts[] = {&pn__kind_alert, NULL};

void pn_alert_set_text_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, alerts, "text", PN_STR(v), "pn_alert_set_text", here);
}
void pn_alert_set_type_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, alerts, "alert_type", PN_STR(v), "pn_alert_set_type", here);
}
