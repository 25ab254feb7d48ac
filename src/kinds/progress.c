/*
 * Progress: a progress bar (Panel's pn.indicators.Progress).
 *
 *     <div class="pn-progress pn-color-C[ pn-progress-indeterminate]" id="pn-N"
 *       data-pn-kind="Progress">
 *       <div class="pn-progress-name" id="pn-N-name">NAME</div>                 (when named)
 *       <div class="pn-progress-track" role="progressbar" aria-valuemin="0" aria-valuemax="MAX"
 *         aria-valuenow="VALUE" aria-labelledby="pn-N-name"|aria-label="Progress">
 *         <div class="pn-progress-bar" style="width:P%"></div></div></div>
 *
 * C is .bar_color (a theme colour name: pn-color-C in pane.css), P the value as a percentage
 * of .max. A value < 0 is indeterminate: no aria-valuenow, no width, and the bar slides (CSS,
 * still under prefers-reduced-motion). Patches: the changed props by name ({"value": 40},
 * "max", "bar_color", "name"); the client module (web/client/kinds/progress.js) redraws from
 * its merged props.
 */
#include <math.h>

#include "kinds/kinds.h"

static const struct pn_prop progress_props[] = {
    PN_PROP(pn_progress_opts, name, PN_PROP_STR),
    PN_PROP(pn_progress_opts, value, PN_PROP_DOUBLE),
    PN_PROP(pn_progress_opts, max, PN_PROP_DOUBLE),
    PN_PROP(pn_progress_opts, bar_color, PN_PROP_STR),
};

#define DEFAULT_MAX 100.0

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_progress_opts *o = PN_OPTS(n, pn_progress_opts);
    if (o->max == 0) {
        o->max = DEFAULT_MAX;
    } else if (!isfinite(o->max) || o->max < 0) {
        pn__session_misuse(n->s, here, "Progress.max: %g is not a positive number; using 100",
                           o->max);
        o->max = DEFAULT_MAX;
    }
    if (!isfinite(o->value)) {
        pn__session_misuse(n->s, here, "Progress.value: %g is not a number; indeterminate",
                           o->value);
        o->value = -1;
    } else if (o->value > o->max) {
        o->value = o->max;
    }
    o->bar_color =
        pn__kind_theme_color(n->s, here, "Progress", "bar_color", o->bar_color, "primary");
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    const pn_progress_opts *o = PN_COPTS(n, pn_progress_opts);
    if (pn__prop_is(p, "value") && v->num > o->max)
        v->num = o->max; /* full, as a slider clamps */
    if (pn__prop_is(p, "max") && !(v->num > 0))
        return *why = "max must be above 0", PN_EINVAL;
    if (pn__prop_is(p, "bar_color") && !pn__kind_theme_color_ok(v->str))
        return *why = "not one of primary, secondary, success, info, warning, danger, light, dark",
               PN_EINVAL;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_progress_opts *o = PN_COPTS(n, pn_progress_opts);
    const bool busy = o->value < 0;
    const bool named = o->name && *o->name;
    int rc;
    if ((rc = pn__buf_printf(out,
                             "<div class=\"pn-progress pn-color-%s%s\" id=\"pn-%u\" "
                             "data-pn-kind=\"Progress\">",
                             pn__kind_theme_color_ok(o->bar_color) ? o->bar_color : "primary",
                             busy ? " pn-progress-indeterminate" : "", (unsigned)n->id)))
        return rc;
    if (named && ((rc = pn__buf_printf(out, "<div class=\"pn-progress-name\" id=\"pn-%u-name\">",
                                       (unsigned)n->id)) ||
                  (rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, "</div>"))))
        return rc;
    if ((rc = PN_PUT(out, "<div class=\"pn-progress-track\" role=\"progressbar\" "
                          "aria-valuemin=\"0\"")) ||
        (rc = pn__kind_attr_number(out, "aria-valuemax", o->max)) ||
        (!busy && (rc = pn__kind_attr_number(out, "aria-valuenow", o->value))))
        return rc;
    rc = named ? pn__buf_printf(out, " aria-labelledby=\"pn-%u-name\">", (unsigned)n->id)
               : PN_PUT(out, " aria-label=\"Progress\">");
    if (rc)
        return rc;
    if (busy)
        return PN_PUT(out, "<div class=\"pn-progress-bar\"></div></div></div>");
    double pct = o->max > 0 ? 100 * (o->value > o->max ? o->max : o->value) / o->max : 0;
    return pn__buf_printf(out,
                          "<div class=\"pn-progress-bar\" style=\"width:%.4g%%\"></div></div>"
                          "</div>",
                          pct);
}

const struct pn_kind pn__kind_progress = {
    .name = "Progress",
    .css_class = "pn-progress",
    .opts_size = sizeof(pn_progress_opts),
    .props = progress_props,
    .nprops = PN_COUNT(progress_props),
    .init = init,
    .check = check,
    .html = html,
    /* patch: NULL, so the changed props by name */
};

pn_node *pn_progress_new(pn_session *s, const pn_progress_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_progress, o, here);
}

static const struct pn_kind *const progresses[] = {&pn__kind_progress, NULL};

void pn_progress_set_value_at(pn_node *n, double v, pn_here here)
{
    pn__setter(n, progresses, "value", PN_NUM(v), "pn_progress_set_value", here);
}
void pn_progress_set_max_at(pn_node *n, double v, pn_here here)
{
    pn__setter(n, progresses, "max", PN_NUM(v), "pn_progress_set_max", here);
}
void pn_progress_set_name_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, progresses, "name", PN_STR(v), "pn_progress_set_name", here);
}
void pn_progress_set_bar_color_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, progresses, "bar_color", PN_STR(v), "pn_progress_set_bar_color", here);
}
double pn_progress_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_progress) ? PN_COPTS(n, pn_progress_opts)->value : 0;
}
