/*
 * ColorPicker: a colour swatch that opens the browser's colour chooser; on_change runs when
 * the visitor closes it with a new colour.
 *
 *     <div class="pn-color-picker" id="pn-N" data-pn-kind="ColorPicker">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <div class="pn-color-row"><input type="color" id="pn-N-input" value="#rrggbb"
 *         [disabled]><span class="pn-color-value">#rrggbb</span></div></div>
 *
 * A value is "#rrggbb" (six hex digits; stored as given, shown as given). Events:
 * {"prop": "value", "value": "#rrggbb"}. Patches: props by name. Client:
 * web/client/kinds/color_picker.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop color_picker_props[] = {
    PN_PROP(pn_color_picker_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_color_picker_opts, value, PN_PROP_STR),
    PN_PROP(pn_color_picker_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_color_picker_opts, on_change),
};

static bool is_hex6(const char *s)
{
    if (strlen(s) != 7 || s[0] != '#')
        return false;
    for (int i = 1; i < 7; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
            return false;
    return true;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_color_picker_opts *t = PN_OPTS(n, pn_color_picker_opts);
    t->value = pn__kind_check_str(n->s, here, "ColorPicker", "value", t->value, is_hex6);
    if (!t->value)
        t->value = "#000000";
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)n;
    if (pn__prop_is(p, "value") && !is_hex6(v->str))
        return *why = "not a colour #rrggbb", PN_EINVAL;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_color_picker_opts *o = PN_COPTS(n, pn_color_picker_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-color-picker", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && ((rc = pn__kind_label(out, n, o->name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    /* the value passed is_hex6: nothing to escape */
    return pn__buf_printf(out,
                          "<div class=\"pn-color-row\"><input type=\"color\" id=\"pn-%u-input\" "
                          "value=\"%s\"%s><span class=\"pn-color-value\">%s</span></div></div>",
                          (unsigned)n->id, o->value, o->disabled ? " disabled" : "", o->value);
}

const struct pn_kind pn__kind_color_picker = {
    .name = "ColorPicker",
    .css_class = "pn-color-picker",
    .opts_size = sizeof(pn_color_picker_opts),
    .props = color_picker_props,
    .nprops = PN_COUNT(color_picker_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_color_picker_new(pn_session *s, const pn_color_picker_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_color_picker, o, here);
}

const char *pn_color_picker_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_color_picker) ? PN_COPTS(n, pn_color_picker_opts)->value : "#000000";
}

static const struct pn_kind *const pickers[] = {&pn__kind_color_picker, NULL};

void pn_color_picker_set_value_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, pickers, "value", PN_STR(v), "pn_color_picker_set_value", here);
}
