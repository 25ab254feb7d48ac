/*
 * TextInput: a one-line text field; on_change runs when the visitor commits (Enter or leaving
 * the field).
 *
 *     <div class="pn-text-input" id="pn-N" data-pn-kind="TextInput">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <input type="text" id="pn-N-input" maxlength="M" value="V" [placeholder] [disabled]></div>
 *
 * Events: {"prop": "value", "value": TEXT} (at most max_length characters). Patches: name,
 * value, placeholder, max_length, disabled by name. Client: web/client/kinds/text_input.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop text_input_props[] = {
    PN_PROP(pn_text_input_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_text_input_opts, value, PN_PROP_STR),
    PN_PROP(pn_text_input_opts, placeholder, PN_PROP_STR),
    PN_PROP(pn_text_input_opts, max_length, PN_PROP_INT),
    PN_PROP(pn_text_input_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_text_input_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_text_input_opts *t = PN_OPTS(n, pn_text_input_opts);
    pn__kind_text_init(n, here, "TextInput", &t->max_length, 1000, &t->value);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (pn__prop_is(p, "value"))
        return pn__kind_text_fits(v->str, PN_COPTS(n, pn_text_input_opts)->max_length, why);
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_text_input_opts *o = PN_COPTS(n, pn_text_input_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-text-input", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && ((rc = pn__kind_label(out, n, o->name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out,
                             "<input type=\"text\" id=\"pn-%u-input\" maxlength=\"%d\" value=\"",
                             (unsigned)n->id, o->max_length)) ||
        (rc = pn__html_text(out, o->value)) || (rc = PN_PUT(out, "\"")))
        return rc;
    if (o->placeholder && ((rc = PN_PUT(out, " placeholder=\"")) ||
                           (rc = pn__html_text(out, o->placeholder)) || (rc = PN_PUT(out, "\""))))
        return rc;
    if (o->disabled && (rc = PN_PUT(out, " disabled")))
        return rc;
    return PN_PUT(out, "></div>");
}

const struct pn_kind pn__kind_text_input = {
    .name = "TextInput",
    .css_class = "pn-text-input",
    .opts_size = sizeof(pn_text_input_opts),
    .props = text_input_props,
    .nprops = PN_COUNT(text_input_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_text_input_new(pn_session *s, const pn_text_input_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_text_input, o, here);
}

const char *pn_text_input_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_text_input) ? PN_COPTS(n, pn_text_input_opts)->value : "";
}

static const struct pn_kind *const inputs[] = {&pn__kind_text_input, NULL};

void pn_text_input_set_value_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, inputs, "value", PN_STR(v), "pn_text_input_set_value", here);
}
