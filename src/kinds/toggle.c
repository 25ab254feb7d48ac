/*
 * Toggle: a button that stays pressed.
 *
 *     <button type="button" class="pn-toggle pn-button-TYPE" id="pn-N" data-pn-kind="Toggle"
 *       aria-pressed="true|false" [disabled]>LABEL</button>
 *
 * Events: {"prop": "value", "value": BOOL}. Patches: label, value, button_type, disabled by
 * name. Client: web/client/kinds/button.js (with Button).
 */
#include "kinds/kinds.h"

static const struct pn_prop toggle_props[] = {
    PN_PROP(pn_toggle_opts, label, PN_PROP_STR),
    PN_EVENT_PROP(pn_toggle_opts, value, PN_PROP_BOOL),
    PN_PROP(pn_toggle_opts, button_type, PN_PROP_STR),
    PN_PROP(pn_toggle_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_toggle_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_toggle_opts *o = PN_OPTS(n, pn_toggle_opts);
    if (!o->label)
        o->label = "Toggle";
    o->button_type = pn__kind_button_type(n->s, here, o->button_type);
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_toggle_opts *o = PN_COPTS(n, pn_toggle_opts);
    return pn__kind_button_html(out, n, "pn-toggle", o->button_type, o->label, o->disabled,
                                o->value);
}

const struct pn_kind pn__kind_toggle = {
    .name = "Toggle",
    .css_class = "pn-toggle",
    .opts_size = sizeof(pn_toggle_opts),
    .props = toggle_props,
    .nprops = PN_COUNT(toggle_props),
    .init = init,
    .html = html,
};

pn_node *pn_toggle_new(pn_session *s, const pn_toggle_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_toggle, o, here);
}

bool pn_toggle_value(const pn_node *n)
{
    if (pn__is(n, &pn__kind_toggle))
        return PN_COPTS(n, pn_toggle_opts)->value;
    return pn__is(n, &pn__kind_checkbox) ? PN_COPTS(n, pn_checkbox_opts)->value : false;
}

static const struct pn_kind *const toggles[] = {&pn__kind_toggle, &pn__kind_checkbox, NULL};

void pn_toggle_set_value_at(pn_node *n, bool v, pn_here here)
{
    pn__setter(n, toggles, "value", PN_BOOL(v), "pn_toggle_set_value", here);
}
