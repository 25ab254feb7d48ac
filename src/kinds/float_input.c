/*
 * FloatInput: a number field for real numbers, with optional bounds; on_change runs when the
 * visitor commits a value (Enter, leaving the field, or the field's arrows).
 *
 *     <div class="pn-number-input" id="pn-N" data-pn-kind="FloatInput"> … as IntInput, numbers
 *       in the shortest %g that reads back
 *
 * Unbounded sides are -inf / +inf (null in the doc's props) and have no min / max attribute.
 * Values from setters and events must be finite and are clamped to start..end. Events:
 * {"prop": "value", "value": NUMBER}. Patches: props by name. Client:
 * web/client/kinds/number_input.js (with IntInput).
 */
#include <math.h>

#include "kinds/kinds.h"

static const struct pn_prop float_input_props[] = {
    PN_PROP(pn_float_input_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_float_input_opts, value, PN_PROP_DOUBLE),
    PN_PROP(pn_float_input_opts, start, PN_PROP_DOUBLE),
    PN_PROP(pn_float_input_opts, end, PN_PROP_DOUBLE),
    PN_PROP(pn_float_input_opts, step, PN_PROP_DOUBLE),
    PN_PROP(pn_float_input_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_float_input_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_float_input_opts *g = given;
    pn_float_input_opts *t = PN_OPTS(n, pn_float_input_opts);
    if (isnan(t->start) || isnan(t->end) || !isfinite(t->value)) {
        pn__session_misuse(n->s, here, "FloatInput: NaN in start or end, or a value not finite");
        t->start = t->end = t->value = 0;
    }
    if (t->start == 0 && t->end == 0)
        t->start = -INFINITY, t->end = INFINITY;
    if (t->end < t->start) {
        pn__session_misuse(n->s, here, "FloatInput: end %g is below start %g", t->end, t->start);
        t->end = t->start;
    }
    if (!(t->step > 0) || !isfinite(t->step)) {
        if (t->step != 0)
            pn__session_misuse(n->s, here, "FloatInput: step %g is not a positive number", t->step);
        t->step = 0.1;
    }
    if (t->value < t->start || t->value > t->end) {
        if (g && g->value != 0)
            pn__session_misuse(n->s, here, "FloatInput: value %g is outside %g..%g", t->value,
                               t->start, t->end);
        t->value = t->value < t->start ? t->start : t->end;
    }
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)why;
    const pn_float_input_opts *o = PN_COPTS(n, pn_float_input_opts);
    if (pn__prop_is(p, "value")) /* clamped to the bounds */
        v->num = v->num < o->start ? o->start : v->num > o->end ? o->end : v->num;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_float_input_opts *o = PN_COPTS(n, pn_float_input_opts);
    char v[40], mn[40], mx[40], st[40];
    pn__kind_num_str(v, sizeof v, o->value);
    pn__kind_num_str(mn, sizeof mn, o->start);
    pn__kind_num_str(mx, sizeof mx, o->end);
    pn__kind_num_str(st, sizeof st, o->step);
    return pn__kind_number_input_html(out, n, o->name, v, isfinite(o->start) ? mn : NULL,
                                      isfinite(o->end) ? mx : NULL, st, o->disabled);
}

const struct pn_kind pn__kind_float_input = {
    .name = "FloatInput",
    .css_class = "pn-number-input",
    .opts_size = sizeof(pn_float_input_opts),
    .props = float_input_props,
    .nprops = PN_COUNT(float_input_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_float_input_new(pn_session *s, const pn_float_input_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_float_input, o, here);
}

double pn_float_input_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_float_input) ? PN_COPTS(n, pn_float_input_opts)->value : 0;
}

static const struct pn_kind *const inputs[] = {&pn__kind_float_input, NULL};

void pn_float_input_set_value_at(pn_node *n, double v, pn_here here)
{
    pn__setter(n, inputs, "value", PN_NUM(v), "pn_float_input_set_value", here);
}
