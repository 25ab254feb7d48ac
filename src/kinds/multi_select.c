/*
 * MultiSelect: any number of a list of strings, as a list box (Ctrl/Shift+click, Shift+arrows).
 *
 *     <div class="pn-multi-select" id="pn-N" data-pn-kind="MultiSelect">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <select id="pn-N-input" multiple size="S" [disabled]><option value="O" [selected]>O
 *       </option>…</select></div>
 *
 * Its value is a list, checked as CheckBoxGroup's (src/kinds/checkbox_group.c). Events:
 * {"prop": "value", "value": [OPTION, …]}. Patches: props by name (value a list). Client:
 * web/client/kinds/multi_select.js.
 */
#include "kinds/kinds.h"

#define SIZE_MAX_ROWS 100

static const struct pn_prop multi_select_props[] = {
    PN_PROP(pn_multi_select_opts, name, PN_PROP_STR),
    PN_PROP(pn_multi_select_opts, options, PN_PROP_STRS),
    PN_EVENT_PROP(pn_multi_select_opts, value, PN_PROP_STRS),
    PN_PROP(pn_multi_select_opts, size, PN_PROP_INT),
    PN_PROP(pn_multi_select_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_multi_select_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_multi_select_opts *t = PN_OPTS(n, pn_multi_select_opts);
    pn__kind_init_choices(n, here, &t->options, &t->value);
    if (t->size < 0 || t->size > SIZE_MAX_ROWS) {
        pn__session_misuse(n->s, here, "MultiSelect.size %d is not in 1..%d", t->size,
                           SIZE_MAX_ROWS);
        t->size = 0;
    }
    if (t->size == 0) { /* every option, up to 10 */
        int k = 0;
        while (t->options[k] && k < 10)
            k++;
        t->size = k < 2 ? 2 : k;
    }
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (!pn__prop_is(p, "value"))
        return 0;
    return pn__kind_check_choices(PN_COPTS(n, pn_multi_select_opts)->options, v, why);
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
    const pn_multi_select_opts *o = PN_COPTS(n, pn_multi_select_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-multi-select", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && ((rc = pn__kind_label(out, n, o->name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out, "<select id=\"pn-%u-input\" multiple size=\"%d\"%s>",
                             (unsigned)n->id, o->size, o->disabled ? " disabled" : "")))
        return rc;
    for (const char *const *opt = o->options; opt && *opt; opt++) {
        if ((rc = PN_PUT(out, "<option value=\"")) || (rc = pn__html_text(out, *opt)) ||
            (rc = in(o->value, *opt) ? PN_PUT(out, "\" selected>") : PN_PUT(out, "\">")) ||
            (rc = pn__html_text(out, *opt)) || (rc = PN_PUT(out, "</option>")))
            return rc;
    }
    return PN_PUT(out, "</select></div>");
}

const struct pn_kind pn__kind_multi_select = {
    .name = "MultiSelect",
    .css_class = "pn-multi-select",
    .opts_size = sizeof(pn_multi_select_opts),
    .props = multi_select_props,
    .nprops = PN_COUNT(multi_select_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_multi_select_new(pn_session *s, const pn_multi_select_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_multi_select, o, here);
}

size_t pn_multi_select_value(const pn_node *n, const char **out, size_t max)
{
    if (!pn__is(n, &pn__kind_multi_select))
        return 0;
    return pn__kind_list_copy(PN_COPTS(n, pn_multi_select_opts)->value, out, max);
}

static const struct pn_kind *const selects[] = {&pn__kind_multi_select, NULL};

void pn_multi_select_set_value_at(pn_node *n, const char *const *v, pn_here here)
{
    pn__setter(n, selects, "value", pn__value_strs(v), "pn_multi_select_set_value", here);
}
