/*
 * TextAreaInput: a text field of several lines; on_change runs when the visitor commits
 * (leaving the field, or Ctrl+Enter), not on every key.
 *
 *     <div class="pn-text-area-input" id="pn-N" data-pn-kind="TextAreaInput">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <textarea id="pn-N-input" rows="R" maxlength="M" [placeholder] [disabled]>V</textarea>
 *     </div>
 *
 * Events: {"prop": "value", "value": TEXT} (at most max_length characters). Patches: name,
 * value, placeholder, rows, max_length, disabled by name. Client:
 * web/client/kinds/text_area_input.js.
 */
#include "kinds/kinds.h"

#define ROWS_MAX 100

static const struct pn_prop text_area_input_props[] = {
    PN_PROP(pn_text_area_input_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_text_area_input_opts, value, PN_PROP_STR),
    PN_PROP(pn_text_area_input_opts, placeholder, PN_PROP_STR),
    PN_PROP(pn_text_area_input_opts, rows, PN_PROP_INT),
    PN_PROP(pn_text_area_input_opts, max_length, PN_PROP_INT),
    PN_PROP(pn_text_area_input_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_text_area_input_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_text_area_input_opts *t = PN_OPTS(n, pn_text_area_input_opts);
    if (t->rows <= 0 || t->rows > ROWS_MAX) {
        if (t->rows)
            pn__session_misuse(n->s, here, "TextAreaInput.rows %d is not in 1..%d", t->rows,
                               ROWS_MAX);
        t->rows = 2;
    }
    pn__kind_text_init(n, here, "TextAreaInput", &t->max_length, 5000, &t->value);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    const pn_text_area_input_opts *o = PN_COPTS(n, pn_text_area_input_opts);
    return pn__prop_is(p, "value") ? pn__kind_text_fits(v->str, o->max_length, why) : 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_text_area_input_opts *o = PN_COPTS(n, pn_text_area_input_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-text-area-input", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && ((rc = pn__kind_label(out, n, o->name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out, "<textarea id=\"pn-%u-input\" rows=\"%d\" maxlength=\"%d\"",
                             (unsigned)n->id, o->rows, o->max_length)))
        return rc;
    if (o->placeholder && ((rc = PN_PUT(out, " placeholder=\"")) ||
                           (rc = pn__html_text(out, o->placeholder)) || (rc = PN_PUT(out, "\""))))
        return rc;
    /* the parser drops a newline right after <textarea>: a value starting with one gets an
     * extra one (only then, so that the page's HTML is what the browser serialises back) */
    if ((o->disabled && (rc = PN_PUT(out, " disabled"))) || (rc = PN_PUT(out, ">")) ||
        (o->value[0] == '\n' && (rc = PN_PUT(out, "\n"))) || (rc = pn__html_text(out, o->value)))
        return rc;
    return PN_PUT(out, "</textarea></div>");
}

const struct pn_kind pn__kind_text_area_input = {
    .name = "TextAreaInput",
    .css_class = "pn-text-area-input",
    .opts_size = sizeof(pn_text_area_input_opts),
    .props = text_area_input_props,
    .nprops = PN_COUNT(text_area_input_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_text_area_input_new(pn_session *s, const pn_text_area_input_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_text_area_input, o, here);
}

const char *pn_text_area_input_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_text_area_input) ? PN_COPTS(n, pn_text_area_input_opts)->value : "";
}

static const struct pn_kind *const inputs[] = {&pn__kind_text_area_input, NULL};

void pn_text_area_input_set_value_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, inputs, "value", PN_STR(v), "pn_text_area_input_set_value", here);
}
