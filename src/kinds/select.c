/*
 * Select: a drop-down of strings.
 *
 *     <div class="pn-select" id="pn-N" data-pn-kind="Select">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <select id="pn-N-input" [disabled]><option value="O" [selected]>O</option>…</select></div>
 *
 * A value from a setter or an event must be one of the options (the node keeps its own copy).
 * Events: {"prop": "value"}. Patches: props by name. Client: web/client/kinds/select.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop select_props[] = {
    PN_PROP(pn_select_opts, name, PN_PROP_STR),
    PN_PROP(pn_select_opts, options, PN_PROP_STRS),
    PN_EVENT_PROP(pn_select_opts, value, PN_PROP_STR),
    PN_PROP(pn_select_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_select_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_select_opts *t = PN_OPTS(n, pn_select_opts);
    if (!t->options) {
        pn__session_misuse(n->s, here, "Select without options");
        static const char *const none[] = {NULL};
        t->options = none;
    }
    const char *match = pn__kind_option(t->options, t->value);
    if (t->value && !match)
        pn__session_misuse(n->s, here, "Select: value \"%.40s\" is not one of the options",
                           t->value);
    t->value = match ? match : t->options[0];
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (!pn__prop_is(p, "value"))
        return 0;
    const char *match = pn__kind_option(PN_COPTS(n, pn_select_opts)->options, v->str);
    if (!match)
        return *why = "not one of the options", PN_EINVAL;
    v->str = match; /* the node's own copy: nothing to own */
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_select_opts *o = PN_COPTS(n, pn_select_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-select", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && ((rc = pn__kind_label(out, n, o->name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out, "<select id=\"pn-%u-input\"%s>", (unsigned)n->id,
                             o->disabled ? " disabled" : "")))
        return rc;
    for (const char *const *opt = o->options; opt && *opt; opt++) {
        bool sel = o->value && strcmp(*opt, o->value) == 0;
        if ((rc = PN_PUT(out, "<option value=\"")) || (rc = pn__html_text(out, *opt)) ||
            (rc = sel ? PN_PUT(out, "\" selected>") : PN_PUT(out, "\">")) ||
            (rc = pn__html_text(out, *opt)) || (rc = PN_PUT(out, "</option>")))
            return rc;
    }
    return PN_PUT(out, "</select></div>");
}

const struct pn_kind pn__kind_select = {
    .name = "Select",
    .css_class = "pn-select",
    .opts_size = sizeof(pn_select_opts),
    .props = select_props,
    .nprops = PN_COUNT(select_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_select_new(pn_session *s, const pn_select_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_select, o, here);
}

const char *pn_select_value(const pn_node *n)
{
    const pn_select_opts *o = pn__is(n, &pn__kind_select) ? PN_COPTS(n, pn_select_opts) : NULL;
    return o && o->value ? o->value : "";
}

static const struct pn_kind *const selects[] = {&pn__kind_select, NULL};

void pn_select_set_value_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, selects, "value", PN_STR(v), "pn_select_set_value", here);
}
