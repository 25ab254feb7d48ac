/*
 * IntInput: a number field for whole numbers, with optional bounds; on_change runs when the
 * visitor commits a value (Enter, leaving the field, or the field's arrows).
 *
 *     <div class="pn-number-input" id="pn-N" data-pn-kind="IntInput">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <input type="number" id="pn-N-input" value="V" [min="A"] [max="B"] step="S"
 *         [disabled]></div>
 *
 * Unbounded sides are LONG_MIN / LONG_MAX and have no min / max attribute. Values from setters
 * and events must be whole numbers and are clamped to start..end. Events: {"prop": "value",
 * "value": INTEGER}. Patches: props by name. Client: web/client/kinds/number_input.js (with
 * FloatInput).
 */
#include <limits.h>
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop int_input_props[] = {
    PN_PROP(pn_int_input_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_int_input_opts, value, PN_PROP_LONG),
    PN_PROP(pn_int_input_opts, start, PN_PROP_LONG),
    PN_PROP(pn_int_input_opts, end, PN_PROP_LONG),
    PN_PROP(pn_int_input_opts, step, PN_PROP_LONG),
    PN_PROP(pn_int_input_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_int_input_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_int_input_opts *g = given;
    pn_int_input_opts *t = PN_OPTS(n, pn_int_input_opts);
    if (t->start == 0 && t->end == 0)
        t->start = LONG_MIN, t->end = LONG_MAX;
    if (t->end < t->start) {
        pn__session_misuse(n->s, here, "IntInput: end %ld is below start %ld", t->end, t->start);
        t->end = t->start;
    }
    if (t->step <= 0) {
        if (t->step)
            pn__session_misuse(n->s, here, "IntInput: step %ld is not positive", t->step);
        t->step = 1;
    }
    if (t->value < t->start || t->value > t->end) {
        if (g && g->value != 0)
            pn__session_misuse(n->s, here, "IntInput: value %ld is outside %ld..%ld", t->value,
                               t->start, t->end);
        t->value = t->value < t->start ? t->start : t->end;
    }
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)why;
    const pn_int_input_opts *o = PN_COPTS(n, pn_int_input_opts);
    if (pn__prop_is(p, "value")) /* clamped to the bounds */
        v->num = v->num < (double)o->start ? (double)o->start
                 : v->num > (double)o->end ? (double)o->end
                                           : v->num;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_int_input_opts *o = PN_COPTS(n, pn_int_input_opts);
    char v[32], mn[32], mx[32], st[32];
    snprintf(v, sizeof v, "%ld", o->value);
    snprintf(mn, sizeof mn, "%ld", o->start);
    snprintf(mx, sizeof mx, "%ld", o->end);
    snprintf(st, sizeof st, "%ld", o->step);
    return pn__kind_number_input_html(out, n, o->name, v, o->start == LONG_MIN ? NULL : mn,
                                      o->end == LONG_MAX ? NULL : mx, st, o->disabled);
}

const struct pn_kind pn__kind_int_input = {
    .name = "IntInput",
    .css_class = "pn-number-input",
    .opts_size = sizeof(pn_int_input_opts),
    .props = int_input_props,
    .nprops = PN_COUNT(int_input_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_int_input_new(pn_session *s, const pn_int_input_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_int_input, o, here);
}

long pn_int_input_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_int_input) ? PN_COPTS(n, pn_int_input_opts)->value : 0;
}

static const struct pn_kind *const inputs[] = {&pn__kind_int_input, NULL};

void pn_int_input_set_value_at(pn_node *n, long v, pn_here here)
{
    pn__setter(n, inputs, "value", PN_NUM((double)v), "pn_int_input_set_value", here);
}
