/*
 * FloatSlider: a slider over real numbers, its value shown through a format as Number's.
 *
 *     <div class="pn-slider" id="pn-N" data-pn-kind="FloatSlider"> … as IntSlider, numbers %.17g
 *
 * Values from setters and events are clamped to start..end. Events: {"prop": "value"}.
 * Patches: props by name. Client: web/client/kinds/slider.js (with IntSlider).
 */
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop float_slider_props[] = {
    PN_PROP(pn_float_slider_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_float_slider_opts, value, PN_PROP_DOUBLE),
    PN_PROP(pn_float_slider_opts, start, PN_PROP_DOUBLE),
    PN_PROP(pn_float_slider_opts, end, PN_PROP_DOUBLE),
    PN_PROP(pn_float_slider_opts, step, PN_PROP_DOUBLE),
    PN_PROP(pn_float_slider_opts, format, PN_PROP_STR),
    PN_PROP(pn_float_slider_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_float_slider_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_float_slider_opts *g = given;
    pn_float_slider_opts *t = PN_OPTS(n, pn_float_slider_opts);
    if (!(t->start == t->start) || !(t->end == t->end) || !(t->value == t->value)) {
        pn__session_misuse(n->s, here, "FloatSlider: NaN in start, end or value");
        t->start = 0, t->end = 1, t->value = 0;
    }
    if (t->start == 0 && t->end == 0)
        t->end = 1;
    if (t->end < t->start) {
        pn__session_misuse(n->s, here, "FloatSlider: end %g is below start %g", t->end, t->start);
        t->end = t->start;
    }
    if (!(t->step > 0))
        t->step = t->end > t->start ? (t->end - t->start) / 100 : 1;
    t->format = pn__kind_check_format(n->s, here, "FloatSlider", t->format);
    if (t->value < t->start || t->value > t->end) {
        if (g && g->value != 0)
            pn__session_misuse(n->s, here, "FloatSlider: value %g is outside %g..%g", t->value,
                               t->start, t->end);
        t->value = t->value < t->start ? t->start : t->end;
    }
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    const pn_float_slider_opts *o = PN_COPTS(n, pn_float_slider_opts);
    if (pn__prop_is(p, "value")) /* clamped to the range */
        v->num = v->num < o->start ? o->start : v->num > o->end ? o->end : v->num;
    if (pn__prop_is(p, "format") && (*why = pn__number_format_check(v->str)))
        return PN_EINVAL;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_float_slider_opts *o = PN_COPTS(n, pn_float_slider_opts);
    char v[40], mn[40], mx[40], st[40];
    snprintf(v, sizeof v, "%.17g", o->value);
    snprintf(mn, sizeof mn, "%.17g", o->start);
    snprintf(mx, sizeof mx, "%.17g", o->end);
    snprintf(st, sizeof st, "%.17g", o->step);
    struct pn_buf shown;
    pn__buf_init(&shown, 4096);
    int rc = pn__value_format(o->format, o->value, &shown);
    if (rc == 0)
        rc = pn__kind_slider_html(out, n, o->name, shown.data ? shown.data : "", mn, mx, st, v,
                                  o->disabled);
    pn__buf_fini(&shown);
    return rc;
}

const struct pn_kind pn__kind_float_slider = {
    .name = "FloatSlider",
    .css_class = "pn-slider",
    .opts_size = sizeof(pn_float_slider_opts),
    .props = float_slider_props,
    .nprops = PN_COUNT(float_slider_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_float_slider_new(pn_session *s, const pn_float_slider_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_float_slider, o, here);
}

double pn_float_slider_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_float_slider) ? PN_COPTS(n, pn_float_slider_opts)->value : 0;
}

static const struct pn_kind *const sliders[] = {&pn__kind_float_slider, NULL};

void pn_float_slider_set_value_at(pn_node *n, double v, pn_here here)
{
    pn__setter(n, sliders, "value", PN_NUM(v), "pn_float_slider_set_value", here);
}
