/*
 * IntSlider: a slider over whole numbers; on_change runs as it moves (throttled by the client).
 *
 *     <div class="pn-slider" id="pn-N" data-pn-kind="IntSlider">
 *       <label class="pn-widget-label" for="pn-N-input">NAME: <span class="pn-slider-value">V
 *       </span></label><input type="range" id="pn-N-input" min max step value [disabled]></div>
 *
 * Values from setters and events are clamped to start..end. Events: {"prop": "value"}.
 * Patches: props by name. Client: web/client/kinds/slider.js (with FloatSlider).
 */
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop int_slider_props[] = {
    PN_PROP(pn_int_slider_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_int_slider_opts, value, PN_PROP_LONG),
    PN_PROP(pn_int_slider_opts, start, PN_PROP_LONG),
    PN_PROP(pn_int_slider_opts, end, PN_PROP_LONG),
    PN_PROP(pn_int_slider_opts, step, PN_PROP_LONG),
    PN_PROP(pn_int_slider_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_int_slider_opts, on_change),
};

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_int_slider_opts *g = given;
    pn_int_slider_opts *t = PN_OPTS(n, pn_int_slider_opts);
    if (t->start == 0 && t->end == 0)
        t->end = 100;
    if (t->end < t->start) {
        pn__session_misuse(n->s, here, "IntSlider: end %ld is below start %ld", t->end, t->start);
        t->end = t->start;
    }
    if (t->step <= 0)
        t->step = 1;
    if (t->value < t->start || t->value > t->end) {
        if (g && g->value)
            pn__session_misuse(n->s, here, "IntSlider: value %ld is outside %ld..%ld", t->value,
                               t->start, t->end);
        t->value = t->value < t->start ? t->start : t->end;
    }
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)why;
    const pn_int_slider_opts *o = PN_COPTS(n, pn_int_slider_opts);
    if (pn__prop_is(p, "value")) /* clamped to the range */
        v->num = v->num < (double)o->start ? (double)o->start
                 : v->num > (double)o->end ? (double)o->end
                                           : v->num;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_int_slider_opts *o = PN_COPTS(n, pn_int_slider_opts);
    char v[32], mn[32], mx[32], st[32];
    snprintf(v, sizeof v, "%ld", o->value);
    snprintf(mn, sizeof mn, "%ld", o->start);
    snprintf(mx, sizeof mx, "%ld", o->end);
    snprintf(st, sizeof st, "%ld", o->step);
    return pn__kind_slider_html(out, n, o->name, v, mn, mx, st, v, o->disabled);
}

const struct pn_kind pn__kind_int_slider = {
    .name = "IntSlider",
    .css_class = "pn-slider",
    .opts_size = sizeof(pn_int_slider_opts),
    .props = int_slider_props,
    .nprops = PN_COUNT(int_slider_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_int_slider_new(pn_session *s, const pn_int_slider_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_int_slider, o, here);
}

long pn_int_slider_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_int_slider) ? PN_COPTS(n, pn_int_slider_opts)->value : 0;
}

static const struct pn_kind *const sliders[] = {&pn__kind_int_slider, NULL};

void pn_int_slider_set_value_at(pn_node *n, long v, pn_here here)
{
    pn__setter(n, sliders, "value", PN_NUM((double)v), "pn_int_slider_set_value", here);
}
