/*
 * Trend: a value, its change since the previous one, and a sparkline of the last values
 * (Panel's pn.indicators.Trend), all rendered on the server.
 *
 *     <div class="pn-trend pn-trend-DIR" id="pn-N" data-pn-kind="Trend">BODY</div>
 *
 *     BODY: <div class="pn-trend-name">NAME</div>                              (when named)
 *           <div class="pn-trend-value">TEXT</div>
 *           <div class="pn-trend-change">ARROW CHANGE</div>          (with two values or more)
 *           <svg class="pn-trend-plot" viewBox="0 0 200 60" preserveAspectRatio="none"
 *             role="img" aria-label="…"><path class="pn-trend-area" d="…"/>
 *             <path class="pn-trend-line" d="…"/></svg>                 (with two values or more)
 *
 * TEXT is the last value through .format, CHANGE the difference to the one before as a
 * percentage of it ("+2.5%"; the difference itself when that one was 0), DIR up, down or flat
 * (pane.css colours the change and the line). The node keeps the last .rollover values (heap,
 * freed with the session). Patches: {"html": BODY} after a push or a change of name or format;
 * the wrapper's class follows in {"dir": DIR}. Client: web/client/kinds/trend.js.
 */
#include <math.h>
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop trend_props[] = {
    PN_PROP(pn_trend_opts, name, PN_PROP_STR),
    PN_PROP(pn_trend_opts, format, PN_PROP_STR),
    PN_PROP(pn_trend_opts, rollover, PN_PROP_INT),
};

#define DEFAULT_ROLLOVER 50
#define MAX_ROLLOVER 10000
#define W 200 /* the sparkline's viewBox */
#define H 60

struct state {
    double *v; /* the last n values, oldest first (heap) */
    size_t n;
};

static void keep(struct state *st, int rollover, const double *v, size_t n)
{
    size_t cap = (size_t)rollover;
    if (n > cap) { /* only the last rollover of them stay */
        v += n - cap;
        n = cap;
    }
    if (!st->v)
        st->v = pn__xmalloc(cap * sizeof *st->v);
    if (st->n + n > cap) {
        size_t drop = st->n + n - cap;
        memmove(st->v, st->v + drop, (st->n - drop) * sizeof *st->v);
        st->n -= drop;
    }
    memcpy(st->v + st->n, v, n * sizeof *v);
    st->n += n;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_trend_opts *g = given;
    pn_trend_opts *o = PN_OPTS(n, pn_trend_opts);
    struct state *st = pn__node_state(n);
    if (o->rollover == 0) {
        o->rollover = DEFAULT_ROLLOVER;
    } else if (o->rollover < 2 || o->rollover > MAX_ROLLOVER) {
        pn__session_misuse(n->s, here, "Trend.rollover: %d is not 2..%d; using %d", o->rollover,
                           MAX_ROLLOVER, DEFAULT_ROLLOVER);
        o->rollover = DEFAULT_ROLLOVER;
    }
    o->format = pn__kind_check_format(n->s, here, "Trend", o->format);
    o->data = NULL; /* copied into the state: the app's array may go */
    if (!g || !g->data || g->n == 0) {
        if (g && !g->data && g->n)
            pn__session_misuse(n->s, here, "Trend: .n is %zu but .data is NULL", g->n);
        return;
    }
    size_t bad = 0;
    for (size_t i = 0; i < g->n; i++) {
        if (isfinite(g->data[i]))
            keep(st, o->rollover, &g->data[i], 1);
        else
            bad++;
    }
    if (bad)
        pn__session_misuse(n->s, here, "Trend.data: %zu value%s not finite, left out", bad,
                           bad == 1 ? " is" : "s are");
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)n;
    if (pn__prop_is(p, "format") && (*why = pn__number_format_check(v->str)))
        return PN_EINVAL;
    if (pn__prop_is(p, "rollover"))
        return *why = "the rollover is fixed when the Trend is made", PN_EINVAL;
    return 0;
}

static const char *dir_of(const struct state *st)
{
    if (st->n < 2 || st->v[st->n - 1] == st->v[st->n - 2])
        return "flat";
    return st->v[st->n - 1] > st->v[st->n - 2] ? "up" : "down";
}

/* The sparkline's line (area: closed down to the bottom) in the W x H viewBox. */
static int path(struct pn_buf *out, const struct state *st, bool area)
{
    double lo = st->v[0], hi = st->v[0];
    for (size_t i = 1; i < st->n; i++) {
        lo = st->v[i] < lo ? st->v[i] : lo;
        hi = st->v[i] > hi ? st->v[i] : hi;
    }
    const double span = hi - lo > 0 ? hi - lo : 1, step = (double)W / (double)(st->n - 1);
    int rc = 0;
    for (size_t i = 0; i < st->n && rc == 0; i++) {
        /* 3 px margins keep the line's stroke inside the box */
        double y = hi - lo > 0 ? 3 + (H - 6) * (hi - st->v[i]) / span : H / 2.0;
        rc = pn__buf_printf(out, "%c%.1f %.1f", i ? 'L' : 'M', step * (double)i, y);
    }
    if (rc == 0 && area)
        rc = pn__buf_printf(out, "L%d %dL0 %dZ", W, H, H);
    return rc;
}

static int body(struct pn_buf *out, const pn_node *n)
{
    const pn_trend_opts *o = PN_COPTS(n, pn_trend_opts);
    const struct state *st = pn__node_state(n);
    const bool named = o->name && *o->name;
    int rc;
    if (named && ((rc = PN_PUT(out, "<div class=\"pn-trend-name\">")) ||
                  (rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, "</div>"))))
        return rc;
    if ((rc = PN_PUT(out, "<div class=\"pn-trend-value\">")))
        return rc;
    if (st->n) {
        struct pn_buf val;
        pn__buf_init(&val, 1u << 16);
        rc = pn__value_format(o->format, st->v[st->n - 1], &val);
        if (rc == 0)
            rc = pn__html_escape(out, val.data ? val.data : "", val.len);
        pn__buf_fini(&val);
    } else {
        rc = PN_PUT(out, "–");
    }
    if (rc || (rc = PN_PUT(out, "</div>")) || st->n < 2)
        return rc;
    const double last = st->v[st->n - 1], prev = st->v[st->n - 2];
    const char *dir = dir_of(st);
    const char *arrow = dir[0] == 'u' ? "▲" : dir[0] == 'd' ? "▼" : "■";
    rc = prev != 0 ? pn__buf_printf(out, "<div class=\"pn-trend-change\">%s %+.2f%%</div>", arrow,
                                    100 * (last - prev) / fabs(prev))
                   : pn__buf_printf(out, "<div class=\"pn-trend-change\">%s %+.4g</div>", arrow,
                                    last - prev);
    if (rc ||
        (rc = pn__buf_printf(out,
                             "<svg class=\"pn-trend-plot\" viewBox=\"0 0 %d %d\" "
                             "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"",
                             W, H)) ||
        (named && ((rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, ": ")))) ||
        (rc = pn__buf_printf(out, "the last %zu values\"><path class=\"pn-trend-area\" d=\"",
                             st->n)) ||
        (rc = path(out, st, true)) ||
        (rc = PN_PUT(out, "\"/><path class=\"pn-trend-line\" d=\"")) || (rc = path(out, st, false)))
        return rc;
    return PN_PUT(out, "\"/></svg>");
}

static int html(struct pn_buf *out, const pn_node *n)
{
    int rc;
    if ((rc = pn__buf_printf(out,
                             "<div class=\"pn-trend pn-trend-%s\" id=\"pn-%u\" "
                             "data-pn-kind=\"Trend\">",
                             dir_of(pn__node_state(n)), (unsigned)n->id)) ||
        (rc = body(out, n)))
        return rc;
    return PN_PUT(out, "</div>");
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    (void)mask; /* a push, the name or the format: the body is made again */
    struct pn_buf b;
    pn__buf_init(&b, 1u << 24);
    int rc = body(&b, n);
    if (rc == 0 && (pn__json_set(changes, "html", json_stringn(b.data ? b.data : "", b.len)) ||
                    pn__json_set(changes, "dir", json_string(dir_of(pn__node_state(n))))))
        rc = PN_EINVAL;
    pn__buf_fini(&b);
    return rc;
}

static void fini(pn_node *n)
{
    free(((struct state *)pn__node_state(n))->v);
}

const struct pn_kind pn__kind_trend = {
    .name = "Trend",
    .css_class = "pn-trend",
    .opts_size = sizeof(pn_trend_opts),
    .state_size = sizeof(struct state),
    .props = trend_props,
    .nprops = PN_COUNT(trend_props),
    .init = init,
    .check = check,
    .html = html,
    .patch = patch,
    .fini = fini,
};

pn_node *pn_trend_new(pn_session *s, const pn_trend_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_trend, o, here);
}

static const struct pn_kind *const trends[] = {&pn__kind_trend, NULL};

void pn_trend_push_at(pn_node *n, double v, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_trend_push"))
        return;
    if (!pn__is(n, &pn__kind_trend)) {
        pn__session_misuse(n->s, here, "pn_trend_push called on a %s (made at %s:%d)",
                           n->desc->name, n->here.file, n->here.line);
        return;
    }
    if (!isfinite(v)) {
        pn__session_misuse(n->s, here, "pn_trend_push: %g is not finite; the Trend keeps its data",
                           v);
        return;
    }
    keep(pn__node_state(n), PN_COPTS(n, pn_trend_opts)->rollover, &v, 1);
    pn__node_touch(n);
}
void pn_trend_set_name_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, trends, "name", PN_STR(v), "pn_trend_set_name", here);
}
size_t pn_trend_len(const pn_node *n)
{
    return pn__is(n, &pn__kind_trend) ? ((const struct state *)pn__node_state(n))->n : 0;
}
