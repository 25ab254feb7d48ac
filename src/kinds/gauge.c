/*
 * Gauge: a value on a 270° arc between .min and .max (Panel's pn.indicators.Gauge), an SVG
 * the server draws.
 *
 *     <div class="pn-gauge" id="pn-N" data-pn-kind="Gauge" role="meter" aria-valuemin="MIN"
 *       aria-valuemax="MAX" aria-valuenow="VALUE" aria-valuetext="TEXT"
 *       aria-label="NAME|Gauge">BODY</div>
 *
 *     BODY: <svg class="pn-gauge-svg" viewBox="0 0 200 184" aria-hidden="true">
 *             <path class="pn-gauge-track" d="…"/>
 *             <path class="pn-gauge-bar" d="…"[ style="stroke:C"]/>       (when above min)
 *             <text class="pn-gauge-value" …>TEXT</text>
 *             <text class="pn-gauge-bound" …>MIN</text>
 *             <text class="pn-gauge-bound" …>MAX</text>
 *           </svg><div class="pn-gauge-name">NAME</div>                       (when named)
 *
 * TEXT is the value through .format, C the colour of the first stop the value is below (as a
 * Number's; else the theme's accent). A value outside min..max is drawn at the nearer end.
 * Patches: {"html": BODY, "value": VALUE, "text": TEXT}, and {"name": NAME or null} when it
 * changed (the client sets the ARIA values and label from them).
 * Client: web/client/kinds/gauge.js.
 */
#include <math.h>

#include "kinds/kinds.h"

static const struct pn_prop gauge_props[] = {
    PN_PROP(pn_gauge_opts, name, PN_PROP_STR),   PN_PROP(pn_gauge_opts, value, PN_PROP_DOUBLE),
    PN_PROP(pn_gauge_opts, min, PN_PROP_DOUBLE), PN_PROP(pn_gauge_opts, max, PN_PROP_DOUBLE),
    PN_PROP(pn_gauge_opts, format, PN_PROP_STR), PN_PROP(pn_gauge_opts, colors, PN_PROP_COLORS),
};

#define CX 100.0
#define CY 100.0
#define R 80.0
#define START 225.0 /* degrees, counter-clockwise from 3 o'clock; the arc turns clockwise */
#define SWEEP 270.0

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_gauge_opts *o = PN_OPTS(n, pn_gauge_opts);
    if (o->min == 0 && o->max == 0)
        o->max = 100;
    if (!isfinite(o->min) || !isfinite(o->max) || !(o->min < o->max)) {
        pn__session_misuse(n->s, here, "Gauge: min %g is not below max %g; using 0..100", o->min,
                           o->max);
        o->min = 0, o->max = 100;
    }
    if (!isfinite(o->value)) {
        pn__session_misuse(n->s, here, "Gauge.value: %g is not finite; using min", o->value);
        o->value = o->min;
    }
    o->format = pn__kind_check_format(n->s, here, "Gauge", o->format);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    const pn_gauge_opts *o = PN_COPTS(n, pn_gauge_opts);
    if (pn__prop_is(p, "format") && (*why = pn__number_format_check(v->str)))
        return PN_EINVAL;
    if (pn__prop_is(p, "min") && !(v->num < o->max))
        return *why = "min must be below max", PN_EINVAL;
    if (pn__prop_is(p, "max") && !(v->num > o->min))
        return *why = "max must be above min", PN_EINVAL;
    return 0;
}

static const char *color_of(const pn_gauge_opts *o)
{
    for (const pn_color_stop *c = o->colors; c && c->color; c++)
        if (o->value < c->below)
            return pn__css_color_ok(c->color) ? c->color : NULL;
    return NULL;
}

/* The arc from the start to fraction f (0..1] of the sweep. */
static int arc(struct pn_buf *out, double f)
{
    const double rad = M_PI / 180, a0 = START * rad, a1 = (START - SWEEP * f) * rad;
    return pn__buf_printf(out, "M%.2f %.2fA%.0f %.0f 0 %d 1 %.2f %.2f", CX + R * cos(a0),
                          CY - R * sin(a0), R, R, SWEEP * f > 180 ? 1 : 0, CX + R * cos(a1),
                          CY - R * sin(a1));
}

static int text_of(const pn_gauge_opts *o, double v, struct pn_buf *t)
{
    return pn__value_format(o->format, v, t);
}

static int body(struct pn_buf *out, const pn_node *n)
{
    const pn_gauge_opts *o = PN_COPTS(n, pn_gauge_opts);
    double f = (o->value - o->min) / (o->max - o->min);
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    int rc;
    if ((rc = PN_PUT(out, "<svg class=\"pn-gauge-svg\" viewBox=\"0 0 200 184\" "
                          "aria-hidden=\"true\"><path class=\"pn-gauge-track\" d=\"")) ||
        (rc = arc(out, 1)) || (rc = PN_PUT(out, "\"/>")))
        return rc;
    if (f > 0) {
        const char *c = color_of(o);
        if ((rc = PN_PUT(out, "<path class=\"pn-gauge-bar\" d=\"")) || (rc = arc(out, f)) ||
            (rc = PN_PUT(out, "\"")) ||
            (c && ((rc = PN_PUT(out, " style=\"stroke:")) || (rc = pn__html_text(out, c)) ||
                   (rc = PN_PUT(out, "\"")))) ||
            (rc = PN_PUT(out, "/>")))
            return rc;
    }
    struct pn_buf t;
    pn__buf_init(&t, 1u << 16);
    rc = PN_PUT(out, "<text class=\"pn-gauge-value\" x=\"100\" y=\"112\">");
    if (rc == 0 && (rc = text_of(o, o->value, &t)) == 0)
        rc = pn__html_escape(out, t.data ? t.data : "", t.len);
    for (int i = 0; i < 2 && rc == 0; i++) { /* min at the left end, max at the right */
        const double a = (START - SWEEP * i) * M_PI / 180;
        pn__buf_reset(&t);
        rc = pn__buf_printf(out, "</text><text class=\"pn-gauge-bound\" x=\"%.1f\" y=\"%.1f\">",
                            CX + R * cos(a), CY - R * sin(a) + 22);
        if (rc == 0 && (rc = pn__value_format(NULL, i ? o->max : o->min, &t)) == 0)
            rc = pn__html_escape(out, t.data ? t.data : "", t.len);
    }
    pn__buf_fini(&t);
    if (rc || (rc = PN_PUT(out, "</text></svg>")))
        return rc;
    if (o->name && *o->name &&
        ((rc = PN_PUT(out, "<div class=\"pn-gauge-name\">")) ||
         (rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, "</div>"))))
        return rc;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_gauge_opts *o = PN_COPTS(n, pn_gauge_opts);
    struct pn_buf t;
    pn__buf_init(&t, 1u << 16);
    int rc = text_of(o, o->value, &t);
    const double now = o->value < o->min ? o->min : o->value > o->max ? o->max : o->value;
    if (rc == 0)
        rc = pn__buf_printf(out,
                            "<div class=\"pn-gauge\" id=\"pn-%u\" data-pn-kind=\"Gauge\" "
                            "role=\"meter\"",
                            (unsigned)n->id);
    if (rc == 0)
        rc = pn__kind_attr_number(out, "aria-valuemin", o->min);
    if (rc == 0)
        rc = pn__kind_attr_number(out, "aria-valuemax", o->max);
    if (rc == 0)
        rc = pn__kind_attr_number(out, "aria-valuenow", now);
    if (rc == 0)
        rc = PN_PUT(out, " aria-valuetext=\"");
    if (rc == 0)
        rc = pn__html_escape(out, t.data ? t.data : "", t.len);
    pn__buf_fini(&t);
    if (rc || (rc = PN_PUT(out, "\" aria-label=\"")) ||
        (rc = pn__html_text(out, o->name && *o->name ? o->name : "Gauge")) ||
        (rc = PN_PUT(out, "\">")) || (rc = body(out, n)))
        return rc;
    return PN_PUT(out, "</div>");
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    /* every prop changes the drawing; the name the label too */
    const pn_gauge_opts *o = PN_COPTS(n, pn_gauge_opts);
    struct pn_buf b, t;
    pn__buf_init(&b, 1u << 20);
    pn__buf_init(&t, 1u << 16);
    int rc = body(&b, n);
    if (rc == 0)
        rc = text_of(o, o->value, &t);
    const double now = o->value < o->min ? o->min : o->value > o->max ? o->max : o->value;
    if (rc == 0 && (pn__json_set(changes, "html", json_stringn(b.data ? b.data : "", b.len)) ||
                    pn__json_set(changes, "value", json_real(now)) ||
                    pn__json_set(changes, "text", json_stringn(t.data ? t.data : "", t.len))))
        rc = PN_EINVAL;
    if (rc == 0 && (mask & 1u) /* name, the first prop */ &&
        pn__json_set(changes, "name", o->name && *o->name ? json_string(o->name) : json_null()))
        rc = PN_EINVAL;
    pn__buf_fini(&t);
    pn__buf_fini(&b);
    return rc;
}

const struct pn_kind pn__kind_gauge = {
    .name = "Gauge",
    .css_class = "pn-gauge",
    .opts_size = sizeof(pn_gauge_opts),
    .props = gauge_props,
    .nprops = PN_COUNT(gauge_props),
    .init = init,
    .check = check,
    .html = html,
    .patch = patch,
};

pn_node *pn_gauge_new(pn_session *s, const pn_gauge_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_gauge, o, here);
}

static const struct pn_kind *const gauges[] = {&pn__kind_gauge, NULL};

void pn_gauge_set_value_at(pn_node *n, double v, pn_here here)
{
    pn__setter(n, gauges, "value", PN_NUM(v), "pn_gauge_set_value", here);
}
void pn_gauge_set_name_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, gauges, "name", PN_STR(v), "pn_gauge_set_name", here);
}
