/*
 * RadioBoxGroup (Panel's RadioBoxGroup and RadioButtonGroup): one of a list of strings, as a
 * group of radio buttons; the browser gives it its keyboard (arrows move and select, Tab
 * leaves the group).
 *
 *     <div class="pn-radio-group" id="pn-N" data-pn-kind="RadioBoxGroup" role="radiogroup"
 *       [aria-labelledby="pn-N-label"]>
 *       <div class="pn-widget-label" id="pn-N-label">NAME</div>                  (when named)
 *       <div class="pn-choices[ pn-inline]"><label class="pn-choice"><input type="radio"
 *         name="pn-N" value="O" [checked] [disabled]> <span>O</span></label>…</div></div>
 *
 * A value from a setter or an event must be one of the options (the node keeps its own copy).
 * Events: {"prop": "value", "value": OPTION}. Patches: props by name. Client:
 * web/client/kinds/radio_group.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop radio_group_props[] = {
    PN_PROP(pn_radio_group_opts, name, PN_PROP_STR),
    PN_PROP(pn_radio_group_opts, options, PN_PROP_STRS),
    PN_EVENT_PROP(pn_radio_group_opts, value, PN_PROP_STR),
    PN_PROP(pn_radio_group_opts, horizontal, PN_PROP_BOOL),
    PN_PROP(pn_radio_group_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_radio_group_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_radio_group_opts *t = PN_OPTS(n, pn_radio_group_opts);
    if (!t->options || !t->options[0]) {
        pn__session_misuse(n->s, here, "RadioBoxGroup without options");
        static const char *const none[] = {NULL};
        t->options = none;
    }
    const char *match = pn__kind_option(t->options, t->value);
    if (t->value && !match)
        pn__session_misuse(n->s, here, "RadioBoxGroup: value \"%.40s\" is not one of the options",
                           t->value);
    t->value = match ? match : t->options[0] ? t->options[0] : "";
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (!pn__prop_is(p, "value"))
        return 0;
    const char *match = pn__kind_option(PN_COPTS(n, pn_radio_group_opts)->options, v->str);
    if (!match)
        return *why = "not one of the options", PN_EINVAL;
    v->str = match; /* the node's own copy: nothing to own */
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_radio_group_opts *o = PN_COPTS(n, pn_radio_group_opts);
    int rc;
    if ((rc =
             pn__kind_choices_open(out, n, "pn-radio-group", "radiogroup", o->name, o->horizontal)))
        return rc;
    for (const char *const *opt = o->options; opt && *opt; opt++) {
        bool sel = o->value && strcmp(*opt, o->value) == 0;
        if ((rc = pn__buf_printf(out,
                                 "<label class=\"pn-choice\"><input type=\"radio\" name=\"pn-%u\" "
                                 "value=\"",
                                 (unsigned)n->id)) ||
            (rc = pn__html_text(out, *opt)) ||
            (rc = pn__buf_printf(out, "\"%s%s> <span>", sel ? " checked" : "",
                                 o->disabled ? " disabled" : "")) ||
            (rc = pn__html_text(out, *opt)) || (rc = PN_PUT(out, "</span></label>")))
            return rc;
    }
    return PN_PUT(out, "</div></div>");
}

const struct pn_kind pn__kind_radio_group = {
    .name = "RadioBoxGroup",
    .css_class = "pn-radio-group",
    .opts_size = sizeof(pn_radio_group_opts),
    .props = radio_group_props,
    .nprops = PN_COUNT(radio_group_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_radio_group_new(pn_session *s, const pn_radio_group_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_radio_group, o, here);
}

const char *pn_radio_group_value(const pn_node *n)
{
    const pn_radio_group_opts *o =
        pn__is(n, &pn__kind_radio_group) ? PN_COPTS(n, pn_radio_group_opts) : NULL;
    return o && o->value ? o->value : "";
}

static const struct pn_kind *const groups[] = {&pn__kind_radio_group, NULL};

void pn_radio_group_set_value_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, groups, "value", PN_STR(v), "pn_radio_group_set_value", here);
}
