/*
 * Checkbox: a labelled checkbox.
 *
 *     <label class="pn-checkbox" id="pn-N" data-pn-kind="Checkbox"><input type="checkbox"
 *       id="pn-N-input" [checked] [disabled]> <span>LABEL</span></label>
 *
 * Events: {"prop": "value", "value": BOOL}. Patches: label, value, disabled by name. Its getter
 * and setter are Toggle's (pn_toggle_value, pn_toggle_set_value). Client:
 * web/client/kinds/checkbox.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop checkbox_props[] = {
    PN_PROP(pn_checkbox_opts, label, PN_PROP_STR),
    PN_EVENT_PROP(pn_checkbox_opts, value, PN_PROP_BOOL),
    PN_PROP(pn_checkbox_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_checkbox_opts, on_change),
};

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_checkbox_opts *o = PN_COPTS(n, pn_checkbox_opts);
    int rc;
    if ((rc = pn__html_open(out, "label", "pn-checkbox", n)) ||
        (rc = pn__buf_printf(out, "><input type=\"checkbox\" id=\"pn-%u-input\"%s%s> <span>",
                             (unsigned)n->id, o->value ? " checked" : "",
                             o->disabled ? " disabled" : "")) ||
        (rc = pn__html_text(out, o->label)))
        return rc;
    return PN_PUT(out, "</span></label>");
}

const struct pn_kind pn__kind_checkbox = {
    .name = "Checkbox",
    .css_class = "pn-checkbox",
    .opts_size = sizeof(pn_checkbox_opts),
    .props = checkbox_props,
    .nprops = PN_COUNT(checkbox_props),
    .html = html,
};

pn_node *pn_checkbox_new(pn_session *s, const pn_checkbox_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_checkbox, o, here);
}
