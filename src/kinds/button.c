/*
 * Button: a push button; on_click runs on every click.
 *
 *     <button type="button" class="pn-button pn-button-TYPE" id="pn-N" data-pn-kind="Button"
 *       [disabled]>LABEL</button>
 *
 * Events: {"prop": "clicks"} counts a click (the count is kept here, not sent by the client).
 * Patches: label, button_type, disabled by name. Client: web/client/kinds/button.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop button_props[] = {
    PN_PROP(pn_button_opts, label, PN_PROP_STR),
    PN_PROP(pn_button_opts, button_type, PN_PROP_STR),
    PN_PROP(pn_button_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_button_opts, on_click),
};

struct state {
    long clicks;
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_button_opts *o = PN_OPTS(n, pn_button_opts);
    if (!o->label)
        o->label = "Button";
    o->button_type = pn__kind_button_type(n->s, here, o->button_type);
}

static const char *event(pn_node *n, pn_str prop, const struct pn_value *v, struct pn_call *call,
                         const char **why)
{
    (void)v;
    if (!pn__str_eq(prop, PN_STRLIT("clicks")))
        return *why = "a Button sends \"clicks\"", "bad-prop";
    if (PN_COPTS(n, pn_button_opts)->disabled)
        return NULL;
    ((struct state *)pn__node_state(n))->clicks++;
    *call = pn__node_callback(n);
    return NULL;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_button_opts *o = PN_COPTS(n, pn_button_opts);
    return pn__kind_button_html(out, n, "pn-button", o->button_type, o->label, o->disabled, -1);
}

static int doc(const pn_node *n, void *props)
{
    return pn__json_set(props, "clicks",
                        json_integer(((const struct state *)pn__node_state(n))->clicks));
}

const struct pn_kind pn__kind_button = {
    .name = "Button",
    .css_class = "pn-button",
    .opts_size = sizeof(pn_button_opts),
    .state_size = sizeof(struct state),
    .props = button_props,
    .nprops = PN_COUNT(button_props),
    .init = init,
    .event = event,
    .html = html,
    .doc = doc,
};

pn_node *pn_button_new(pn_session *s, const pn_button_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_button, o, here);
}

long pn_button_clicks(const pn_node *n)
{
    return pn__is(n, &pn__kind_button) ? ((const struct state *)pn__node_state(n))->clicks : 0;
}

static const struct pn_kind *const buttons[] = {&pn__kind_button, &pn__kind_toggle, NULL};

void pn_button_set_label_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, buttons, "label", PN_STR(v), "pn_button_set_label", here);
}
