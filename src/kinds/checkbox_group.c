/*
 * CheckBoxGroup: any number of a list of strings, as a group of checkboxes.
 *
 *     <div class="pn-checkbox-group" id="pn-N" data-pn-kind="CheckBoxGroup" role="group"
 *       [aria-labelledby="pn-N-label"]>
 *       <div class="pn-widget-label" id="pn-N-label">NAME</div>                  (when named)
 *       <div class="pn-choices[ pn-inline]"><label class="pn-choice"><input type="checkbox"
 *         value="O" [checked] [disabled]> <span>O</span></label>…</div></div>
 *
 * Its value is a list: from a setter or an event, each item one of the options, none twice
 * (so at most as many as the options); the node keeps it as its own options, in their order.
 * Events: {"prop": "value", "value": [OPTION, …]}. Patches: props by name (value a list).
 * Client: web/client/kinds/checkbox_group.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop checkbox_group_props[] = {
    PN_PROP(pn_checkbox_group_opts, name, PN_PROP_STR),
    PN_PROP(pn_checkbox_group_opts, options, PN_PROP_STRS),
    PN_EVENT_PROP(pn_checkbox_group_opts, value, PN_PROP_STRS),
    PN_PROP(pn_checkbox_group_opts, horizontal, PN_PROP_BOOL),
    PN_PROP(pn_checkbox_group_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_checkbox_group_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_checkbox_group_opts *t = PN_OPTS(n, pn_checkbox_group_opts);
    pn__kind_init_choices(n, here, &t->options, &t->value);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (!pn__prop_is(p, "value"))
        return 0;
    return pn__kind_check_choices(PN_COPTS(n, pn_checkbox_group_opts)->options, v, why);
}

static bool in(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (*list == s || strcmp(*list, s) == 0)
            return true;
    return false;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_checkbox_group_opts *o = PN_COPTS(n, pn_checkbox_group_opts);
    int rc;
    if ((rc = pn__kind_choices_open(out, n, "pn-checkbox-group", "group", o->name, o->horizontal)))
        return rc;
    for (const char *const *opt = o->options; opt && *opt; opt++) {
        if ((rc = PN_PUT(out, "<label class=\"pn-choice\"><input type=\"checkbox\" value=\"")) ||
            (rc = pn__html_text(out, *opt)) ||
            (rc = pn__buf_printf(out, "\"%s%s> <span>", in(o->value, *opt) ? " checked" : "",
                                 o->disabled ? " disabled" : "")) ||
            (rc = pn__html_text(out, *opt)) || (rc = PN_PUT(out, "</span></label>")))
            return rc;
    }
    return PN_PUT(out, "</div></div>");
}

const struct pn_kind pn__kind_checkbox_group = {
    .name = "CheckBoxGroup",
    .css_class = "pn-checkbox-group",
    .opts_size = sizeof(pn_checkbox_group_opts),
    .props = checkbox_group_props,
    .nprops = PN_COUNT(checkbox_group_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_checkbox_group_new(pn_session *s, const pn_checkbox_group_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_checkbox_group, o, here);
}

size_t pn_checkbox_group_value(const pn_node *n, const char **out, size_t max)
{
    if (!pn__is(n, &pn__kind_checkbox_group))
        return 0;
    return pn__kind_list_copy(PN_COPTS(n, pn_checkbox_group_opts)->value, out, max);
}

static const struct pn_kind *const groups[] = {&pn__kind_checkbox_group, NULL};

void pn_checkbox_group_set_value_at(pn_node *n, const char *const *v, pn_here here)
{
    pn__setter(n, groups, "value", pn__value_strs(v), "pn_checkbox_group_set_value", here);
}
