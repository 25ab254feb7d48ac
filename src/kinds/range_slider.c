/*
 * RangeSlider: two handles on one track, a range of real numbers; on_change runs as either
 * moves (throttled by the client).
 *
 *     <div class="pn-range-slider" id="pn-N" data-pn-kind="RangeSlider" role="group"
 *       aria-labelledby="pn-N-label">
 *       <div class="pn-widget-label" id="pn-N-label">NAME: <span class="pn-slider-value">A …
 *       B</span></div>                                      (without a name: the values only)
 *       <div class="pn-range-track" style="--lo:P;--hi:Q">      (the handles, 0..1 of the track)
 *         <input type="range" id="pn-N-input" aria-label="NAME start" min max step value=A
 *           [disabled]><input type="range" id="pn-N-end" aria-label="NAME end" … value=B>
 *       </div></div>
 *
 * Numbers are written as the shortest text that reads back, the values shown through format
 * as FloatSlider's. value_start <= value_end, both in start..end: a setter's or an event's pair
 * is put in order and clamped. Events: {"prop": "value", "value": [A, B]} (its own event hook:
 * the pair is one change). Patches: props by name. Client: web/client/kinds/range_slider.js.
 */
#include <math.h>
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop range_slider_props[] = {
    PN_PROP(pn_range_slider_opts, name, PN_PROP_STR),
    PN_PROP(pn_range_slider_opts, value_start, PN_PROP_DOUBLE),
    PN_PROP(pn_range_slider_opts, value_end, PN_PROP_DOUBLE),
    PN_PROP(pn_range_slider_opts, start, PN_PROP_DOUBLE),
    PN_PROP(pn_range_slider_opts, end, PN_PROP_DOUBLE),
    PN_PROP(pn_range_slider_opts, step, PN_PROP_DOUBLE),
    PN_PROP(pn_range_slider_opts, format, PN_PROP_STR),
    PN_PROP(pn_range_slider_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_range_slider_opts, on_change),
};

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_range_slider_opts *g = given;
    pn_range_slider_opts *t = PN_OPTS(n, pn_range_slider_opts);
    if (!isfinite(t->start) || !isfinite(t->end) || !isfinite(t->value_start) ||
        !isfinite(t->value_end)) {
        pn__session_misuse(n->s, here, "RangeSlider: start, end and values must be finite");
        t->start = t->end = t->value_start = t->value_end = 0;
    }
    if (t->start == 0 && t->end == 0)
        t->end = 1;
    if (t->end < t->start) {
        pn__session_misuse(n->s, here, "RangeSlider: end %g is below start %g", t->end, t->start);
        t->end = t->start;
    }
    if (!(t->step > 0) || !isfinite(t->step))
        t->step = t->end > t->start ? (t->end - t->start) / 100 : 1;
    t->format = pn__kind_check_format(n->s, here, "RangeSlider", t->format);
    if (t->value_start == 0 && t->value_end == 0) { /* default: the whole range */
        t->value_start = t->start, t->value_end = t->end;
        return;
    }
    if (t->value_end < t->value_start) {
        pn__session_misuse(n->s, here, "RangeSlider: value_end %g is below value_start %g",
                           t->value_end, t->value_start);
        double v = t->value_start;
        t->value_start = t->value_end, t->value_end = v;
    }
    double lo = clamp(t->value_start, t->start, t->end), hi = clamp(t->value_end, t->start, t->end);
    if ((lo != t->value_start || hi != t->value_end) && g)
        pn__session_misuse(n->s, here, "RangeSlider: values %g..%g are outside %g..%g",
                           t->value_start, t->value_end, t->start, t->end);
    t->value_start = lo, t->value_end = hi;
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    const pn_range_slider_opts *o = PN_COPTS(n, pn_range_slider_opts);
    if (pn__prop_is(p, "value_start")) /* in start..value_end */
        v->num = clamp(v->num, o->start, o->value_end);
    else if (pn__prop_is(p, "value_end")) /* in value_start..end */
        v->num = clamp(v->num, o->value_start, o->end);
    else if (pn__prop_is(p, "format") && (*why = pn__number_format_check(v->str)))
        return PN_EINVAL;
    return 0;
}

/* Sets the pair (finite numbers) in order and clamped, each prop changed by itself so that
 * neither is clamped by the other's old value. 0, or PN_EINVAL with why. */
static int set_pair(pn_node *n, double a, double b, const char **why)
{
    const pn_range_slider_opts *o = PN_COPTS(n, pn_range_slider_opts);
    const struct pn_prop *ps = pn__prop_find(n->desc, PN_STRLIT("value_start"));
    const struct pn_prop *pe = pn__prop_find(n->desc, PN_STRLIT("value_end"));
    double lo = clamp(fmin(a, b), o->start, o->end), hi = clamp(fmax(a, b), o->start, o->end);
    struct pn_value vs = PN_NUM(lo), ve = PN_NUM(hi);
    if (lo > o->value_end) /* moving up past the old end: the end first */
        return pn__node_set(n, pe, &ve, why) || pn__node_set(n, ps, &vs, why) ? PN_EINVAL : 0;
    return pn__node_set(n, ps, &vs, why) || pn__node_set(n, pe, &ve, why) ? PN_EINVAL : 0;
}

static const char *event(pn_node *n, pn_str prop, const struct pn_value *v, struct pn_call *call,
                         const char **why)
{
    if (!pn__str_eq(prop, PN_STRLIT("value")))
        return *why = "a RangeSlider sends \"value\"", "bad-prop";
    if (v->type != PN_V_NUMS || v->n != 2)
        return *why = "expected a list of two numbers", "bad-value";
    if (!isfinite(v->nums[0]) || !isfinite(v->nums[1]))
        return *why = "expected finite numbers", "bad-value";
    if (pn__node_disabled(n))
        return NULL; /* a disabled widget takes no value (and runs no callback) */
    const pn_range_slider_opts *o = PN_COPTS(n, pn_range_slider_opts);
    uint32_t was = n->dirty_mask;
    if (set_pair(n, v->nums[0], v->nums[1], why) != 0)
        return "bad-value";
    /* the client shows what it sent: echo only what the server changed (order, range) */
    unsigned bs = 1u << pn__prop_index(n->desc, pn__prop_find(n->desc, PN_STRLIT("value_start")));
    unsigned be = 1u << pn__prop_index(n->desc, pn__prop_find(n->desc, PN_STRLIT("value_end")));
    if (o->value_start == v->nums[0] && o->value_end == v->nums[1]) {
        if (!(was & bs))
            n->dirty_mask &= ~bs;
        if (!(was & be))
            n->dirty_mask &= ~be;
    } else { /* both go back; touch lists the node for the flush even when neither changed
                (its data bit means nothing to a kind without a data hook) */
        pn__node_touch(n);
        n->dirty_mask |= bs | be;
    }
    *call = pn__node_callback(n);
    return NULL;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_range_slider_opts *o = PN_COPTS(n, pn_range_slider_opts);
    unsigned id = (unsigned)n->id;
    char a[40], b[40], mn[40], mx[40], st[40];
    pn__kind_num_str(a, sizeof a, o->value_start);
    pn__kind_num_str(b, sizeof b, o->value_end);
    pn__kind_num_str(mn, sizeof mn, o->start);
    pn__kind_num_str(mx, sizeof mx, o->end);
    pn__kind_num_str(st, sizeof st, o->step);
    double span = o->end - o->start;
    double lo = span > 0 ? (o->value_start - o->start) / span : 0;
    double hi = span > 0 ? (o->value_end - o->start) / span : 1;
    struct pn_buf shown;
    pn__buf_init(&shown, 4096);
    int rc = pn__value_format(o->format, o->value_start, &shown);
    if (rc == 0 && (rc = PN_PUT(&shown, " … ")) == 0)
        rc = pn__value_format(o->format, o->value_end, &shown);
    if (rc == 0)
        rc = pn__html_open(out, "div", "pn-range-slider", n);
    if (rc == 0)
        rc = pn__buf_printf(out,
                            " role=\"group\" aria-labelledby=\"pn-%u-label\"><div "
                            "class=\"pn-widget-label\" id=\"pn-%u-label\">",
                            id, id);
    if (rc == 0 && o->name && !(rc = pn__html_text(out, o->name)))
        rc = PN_PUT(out, ": ");
    if (rc == 0 && !(rc = PN_PUT(out, "<span class=\"pn-slider-value\">")) &&
        !(rc = pn__html_text(out, shown.data ? shown.data : "")))
        rc = pn__buf_printf(out,
                            "</span></div><div class=\"pn-range-track\" "
                            "style=\"--lo:%.4f;--hi:%.4f\">",
                            lo, hi);
    for (int i = 0; i < 2 && rc == 0; i++) {
        if ((rc = pn__buf_printf(out, "<input type=\"range\" id=\"pn-%u-%s\" aria-label=\"", id,
                                 i ? "end" : "input")) ||
            (o->name && ((rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, " ")))))
            break;
        rc = pn__buf_printf(out, "%s\" min=\"%s\" max=\"%s\" step=\"%s\" value=\"%s\"%s>",
                            i ? "end" : "start", mn, mx, st, i ? b : a,
                            o->disabled ? " disabled" : "");
    }
    if (rc == 0)
        rc = PN_PUT(out, "</div></div>");
    pn__buf_fini(&shown);
    return rc;
}

const struct pn_kind pn__kind_range_slider = {
    .name = "RangeSlider",
    .css_class = "pn-range-slider",
    .opts_size = sizeof(pn_range_slider_opts),
    .props = range_slider_props,
    .nprops = PN_COUNT(range_slider_props),
    .init = init,
    .check = check,
    .event = event,
    .html = html,
};

pn_node *pn_range_slider_new(pn_session *s, const pn_range_slider_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_range_slider, o, here);
}

double pn_range_slider_value_start(const pn_node *n)
{
    return pn__is(n, &pn__kind_range_slider) ? PN_COPTS(n, pn_range_slider_opts)->value_start : 0;
}

double pn_range_slider_value_end(const pn_node *n)
{
    return pn__is(n, &pn__kind_range_slider) ? PN_COPTS(n, pn_range_slider_opts)->value_end : 0;
}

void pn_range_slider_set_value_at(pn_node *n, double lo, double hi, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_range_slider_set_value"))
        return;
    const char *why = "not a RangeSlider";
    if (!pn__is(n, &pn__kind_range_slider) ||
        (!isfinite(lo) || !isfinite(hi) ? (why = "expected finite numbers", true)
                                        : set_pair(n, lo, hi, &why) != 0))
        pn__session_misuse(n->s, here,
                           "pn_range_slider_set_value: %s; the %s made at %s:%d keeps "
                           "its value",
                           why, n->desc->name, n->here.file ? n->here.file : "?", n->here.line);
}
