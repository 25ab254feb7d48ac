/*
 * Plot: series over a shared x, kept in a window of the last `rollover` points per series.
 *
 * The server holds the window in a ring buffer (x, then each series' y, one array each) bounded
 * by the rollover. Appends travel as binary data messages (protocol.md, "Data messages"): only
 * the points the client has not got, all appends of one callback in one message; a client that
 * missed some (its socket was behind, or it just got a doc) gets the whole window instead, never
 * a backlog. The page draws the window as SVG, so the plot is in the first paint, in a cached
 * page and without JavaScript; web/client/kinds/plot.js then draws it with uPlot in the same box:
 *
 *     <div class="pn-plot pn-plot-line" id="pn-N" data-pn-kind="Plot" style="height:300px">
 *       <div class="pn-plot-title">TITLE</div>                                    (when titled)
 *       <div class="pn-plot-body"><div class="pn-plot-y"><span>YMAX</span><span
 *         class="pn-plot-label">Y_LABEL</span><span>YMIN</span></div>
 *         <svg class="pn-plot-svg" viewBox="0 0 1000 1000" preserveAspectRatio="none" role="img"
 *           aria-label="…"><path class="pn-plot-s0" d="…" stroke="C"/>…</svg></div>
 *       <div class="pn-plot-x"><span>XMIN</span><span class="pn-plot-label">X_LABEL</span>
 *         <span>XMAX</span></div>
 *       <div class="pn-plot-legend"><span class="pn-plot-key"><i style="background:C"></i>
 *         LABEL</span>…</div></div>                                          (unless hidden)
 *
 * The SVG has at most two points per pixel column of a 1000-wide box per series (the min and
 * max of each column, in order), so a page's size does not grow with the window.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "kinds/kinds.h"

#define MAX_SERIES 16
#define MAX_ROLLOVER 1000000
#define MAX_DOUBLES 2000000 /* rollover x (1 + series): a whole window is at most 16 MB */
#define BOX 1000            /* the SVG's viewBox is BOX x BOX, stretched to the element */
#define SVG_ALL 2000        /* up to this many points a series is drawn point by point */

_Static_assert(sizeof(pn_plot_type) == sizeof(int), "pn_plot_type is an int-sized prop");

const char pn_series_end; /* its address ends PN_SERIES lists (pane.h) */

static const struct pn_prop plot_props[] = {
    PN_PROP(pn_plot_opts, title, PN_PROP_STR),    PN_PROP(pn_plot_opts, type, PN_PROP_INT),
    PN_PROP(pn_plot_opts, time_x, PN_PROP_BOOL),  PN_PROP(pn_plot_opts, x_label, PN_PROP_STR),
    PN_PROP(pn_plot_opts, y_label, PN_PROP_STR),  PN_PROP(pn_plot_opts, y_min, PN_PROP_DOUBLE),
    PN_PROP(pn_plot_opts, y_max, PN_PROP_DOUBLE), PN_PROP(pn_plot_opts, rollover, PN_PROP_INT),
    PN_PROP(pn_plot_opts, height, PN_PROP_INT),   PN_PROP(pn_plot_opts, hide_legend, PN_PROP_BOOL),
};

/* Panel's (Bokeh's) Category10. */
static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                      "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
static const char *const type_names[] = {"line", "area", "scatter", "bar", "step"};

struct state {
    pn_series *series; /* nseries, in the arena: labels valid UTF-8, colours valid */
    int nseries;
    pn_feed *feed;         /* bound to a feed: its window, not the arrays below */
    double *x, *y;         /* heap: cap, and cap per series (series k at y + k * cap) */
    size_t cap, len, head; /* the window: len points from index head on, wrapping */
    uint64_t seq, sent;    /* points appended in all; how many of them the client has */
    bool reset;            /* the window was replaced: the client needs it whole */
};

static struct state *st(const pn_node *n)
{
    return pn__node_state(n);
}

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_plot_opts *g = given;
    pn_plot_opts *o = PN_OPTS(n, pn_plot_opts);
    struct state *t = st(n);
    pn_session *s = n->s;
    if ((unsigned)o->type >= PN_COUNT(type_names)) {
        pn__session_misuse(s, here, "Plot.type %d is not a pn_plot_type; using PN_LINE",
                           (int)o->type);
        o->type = PN_LINE;
    }
    size_t k = 0;
    while (g && g->series && g->series[k].label != &pn_series_end && k <= MAX_SERIES)
        k++;
    if (k > MAX_SERIES) {
        pn__session_misuse(s, here, "Plot: more than %d series; the first %d are kept", MAX_SERIES,
                           MAX_SERIES);
        k = MAX_SERIES;
    }
    t->feed = o->feed;
    if (t->feed && pn__feed_type(t->feed) != PN_FEED_SERIES) {
        pn__session_misuse(s, here, "Plot: feed \"%s\" is not a series feed (pn_feed_series); "
                           "the plot shows its own data", pn__feed_name(t->feed));
        t->feed = o->feed = NULL;
    }
    if (t->feed && k && k != (size_t)pn__feed_nseries(t->feed)) {
        pn__session_misuse(s, here,
                           "Plot: %zu series named for feed \"%s\" of %d series; "
                           "using its default names",
                           k, pn__feed_name(t->feed), pn__feed_nseries(t->feed));
        k = 0;
    }
    t->nseries = t->feed ? pn__feed_nseries(t->feed) : k ? (int)k : 1;
    t->series = pn__arena_alloc(pn__node_arena(n), (size_t)t->nseries * sizeof *t->series);
    for (int i = 0; i < t->nseries; i++) {
        const pn_series *in = k ? &g->series[i] : NULL;
        char def[16];
        snprintf(def, sizeof def, "y%d", i + 1);
        t->series[i].label = pn__arena_strdup_utf8(pn__node_arena(n), in && in->label ? in->label : def);
        const char *c =
            in ? pn__kind_check_str(s, here, "Plot", "series.color", in->color, pn__css_color_ok)
               : NULL;
        t->series[i].color =
            pn__arena_strdup_utf8(pn__node_arena(n), c ? c : palette[i % PN_COUNT(palette)]);
    }
    if (t->feed)
        o->rollover = (int)pn__feed_cap(t->feed);
    if (o->rollover == 0)
        o->rollover = 1000;
    if (o->rollover < 2 || o->rollover > MAX_ROLLOVER ||
        (size_t)o->rollover * (size_t)(1 + t->nseries) > MAX_DOUBLES) {
        int fit = MAX_DOUBLES / (1 + t->nseries);
        int r = o->rollover < 2 ? 2 : fit < MAX_ROLLOVER ? fit : MAX_ROLLOVER;
        pn__session_misuse(s, here, "Plot.rollover %d is not in 2..%d for %d series; using %d",
                           o->rollover, fit < MAX_ROLLOVER ? fit : MAX_ROLLOVER, t->nseries, r);
        o->rollover = r;
    }
    if (o->height == 0)
        o->height = 300;
    if (o->height < 80 || o->height > 4000) {
        pn__session_misuse(s, here, "Plot.height %d is not in 80..4000 pixels; using 300",
                           o->height);
        o->height = 300;
    }
    if (!(isfinite(o->y_min) && isfinite(o->y_max))) {
        pn__session_misuse(s, here, "Plot: y_min and y_max must be finite; the range is automatic");
        o->y_min = o->y_max = 0;
    }
    if (t->feed) { /* its window is the feed's; the server flushes this session on appends */
        pn__session_watch_feed(s, t->feed, n);
        return;
    }
    t->cap = (size_t)o->rollover;
    t->x = pn__xmalloc(t->cap * sizeof *t->x);
    t->y = pn__xmalloc(t->cap * (size_t)t->nseries * sizeof *t->y);
}

static void fini(pn_node *n)
{
    struct state *t = st(n);
    free(t->x);
    free(t->y);
    t->x = t->y = NULL;
}

/* The i-th point of the window (0: the oldest). */
static size_t at(const struct state *t, size_t i)
{
    return (t->head + i) % t->cap;
}

/* ---- data ---- */

static void put(struct state *t, double x, const double *y)
{
    size_t i;
    if (t->len < t->cap) {
        i = at(t, t->len);
        t->len++;
    } else { /* full: the oldest goes */
        i = t->head;
        t->head = (t->head + 1) % t->cap;
    }
    t->x[i] = x;
    for (int k = 0; k < t->nseries; k++)
        t->y[(size_t)k * t->cap + i] = isfinite(y[k]) ? y[k] : NAN;
}

/* A Plot node of the caller's session, or NULL after recording why not. */
static pn_node *plot_of(pn_node *n, const char *api, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, api))
        return NULL;
    if (!pn__is(n, &pn__kind_plot)) {
        pn__session_misuse(n->s, here, "%s called on a %s (made at %s:%d)", api, n->desc->name,
                           n->here.file ? n->here.file : "?", n->here.line);
        return NULL;
    }
    if (st(n)->feed) {
        pn__session_misuse(n->s, here,
                           "%s: the Plot (made at %s:%d) shows feed \"%s\"; append "
                           "to the feed",
                           api, n->here.file ? n->here.file : "?", n->here.line,
                           pn__feed_name(st(n)->feed));
        return NULL;
    }
    return n;
}

static void append(pn_node *n, const double *x, const double *y, size_t np, const char *api,
                   pn_here here)
{
    struct state *t = st(n);
    if (np && (!x || !y)) {
        pn__session_misuse(n->s, here, "%s: NULL x or y with %zu points", api, np);
        return;
    }
    size_t skip = np > t->cap ? np - t->cap : 0; /* only the last cap can stay */
    size_t dropped = 0;
    double last = t->len ? t->x[at(t, t->len - 1)] : -INFINITY;
    for (size_t i = 0; i < np; i++) {
        if (!isfinite(x[i]) || x[i] < last) {
            dropped++;
            continue;
        }
        last = x[i];
        if (i >= skip)
            put(t, x[i], y + i * (size_t)t->nseries);
        t->seq++;
    }
    if (dropped)
        pn__session_misuse(n->s, here,
                           "%s: %zu of %zu points dropped: x must be finite and "
                           "must not go back",
                           api, dropped, np);
    if (np > dropped)
        pn__node_touch(n);
}

void pn_plot_append_at(pn_node *n, const double *x, const double *y, size_t np, pn_here here)
{
    if ((n = plot_of(n, "pn_plot_append", here)))
        append(n, x, y, np, "pn_plot_append", here);
}

void pn_plot_push_at(pn_node *n, double x, const double *y, size_t ny, pn_here here)
{
    if (!(n = plot_of(n, "pn_plot_push", here)))
        return;
    if (ny != (size_t)st(n)->nseries) {
        pn__session_misuse(n->s, here, "pn_plot_push: %zu values for a Plot of %d series", ny,
                           st(n)->nseries);
        return;
    }
    append(n, &x, y, 1, "pn_plot_push", here);
}

void pn_plot_set_data_at(pn_node *n, const double *x, const double *y, size_t np, pn_here here)
{
    if (!(n = plot_of(n, "pn_plot_set_data", here)))
        return;
    struct state *t = st(n);
    t->len = t->head = 0;
    t->reset = true;
    append(n, x, y, np, "pn_plot_set_data", here);
    pn__node_touch(n); /* even when emptied */
}

size_t pn_plot_len(const pn_node *n)
{
    if (!pn__is(n, &pn__kind_plot))
        return 0;
    if (!st(n)->feed)
        return st(n)->len;
    uint64_t seq = pn__feed_seq(st(n)->feed);
    size_t cap = pn__feed_cap(st(n)->feed);
    return seq < cap ? (size_t)seq : cap;
}

/* One record: {u32 id, u8 op, u8 series, u16 0, u32 n, u32 0}, then x[n] and each series'
 * y[n], little-endian doubles (8-byte aligned: the message header and records keep it). */
static int record(const pn_node *n, uint8_t op, size_t from, struct pn_buf *bin)
{
    const struct state *t = st(n);
    size_t np = t->len - from;
    uint32_t head[4] = {n->id, (uint32_t)op | (uint32_t)t->nseries << 8, (uint32_t)np, 0};
    size_t need = sizeof head + np * 8 * (size_t)(1 + t->nseries);
    if (bin->len + need > bin->max)
        return PN_ETOOBIG;
    int rc = pn__buf_append(bin, head, sizeof head);
    for (int k = -1; rc == 0 && k < t->nseries; k++) {
        const double *col = k < 0 ? t->x : t->y + (size_t)k * t->cap;
        size_t a = at(t, from), m = np;
        size_t first = a + m > t->cap ? t->cap - a : m; /* up to the ring's end, then its start */
        rc = pn__buf_append(bin, col + a, first * sizeof *col);
        if (rc == 0 && m > first)
            rc = pn__buf_append(bin, col, (m - first) * sizeof *col);
    }
    return rc;
}

enum { OP_APPEND = 1, OP_WINDOW = 2 };

static int data(pn_node *n, int mode, struct pn_buf *bin)
{
    struct state *t = st(n);
    if (t->feed) { /* the feed's chunks, or its window */
        if (mode == PN_DATA_DROP) {
            t->sent = pn__feed_seq(t->feed);
            return 0;
        }
        int rc =
            pn__feed_record(t->feed, n->id, mode == PN_DATA_SNAPSHOT || t->reset, &t->sent, bin);
        t->reset = rc != 0 && t->reset;
        return rc;
    }
    uint64_t pending = t->seq - t->sent;
    int rc = 0;
    if (mode == PN_DATA_SNAPSHOT || (mode == PN_DATA_SEND && (t->reset || pending > t->len)))
        rc = record(n, OP_WINDOW, 0, bin);
    else if (mode == PN_DATA_SEND && pending)
        rc = record(n, OP_APPEND, t->len - (size_t)pending, bin);
    if (rc == 0) {
        t->sent = t->seq;
        t->reset = false;
    }
    return rc;
}

/* ---- HTML ---- */

static void range(const pn_node *n, const struct state *t, double *xmin, double *xmax, double *ymin,
                  double *ymax)
{
    const pn_plot_opts *o = PN_COPTS(n, pn_plot_opts);
    *xmin = t->len ? t->x[at(t, 0)] : 0;
    *xmax = t->len ? t->x[at(t, t->len - 1)] : 1;
    *ymin = INFINITY, *ymax = -INFINITY;
    if (o->y_min < o->y_max) {
        *ymin = o->y_min, *ymax = o->y_max;
    } else {
        for (int k = 0; k < t->nseries; k++)
            for (size_t i = 0; i < t->len; i++) {
                double v = t->y[(size_t)k * t->cap + at(t, i)];
                if (v < *ymin)
                    *ymin = v;
                if (v > *ymax)
                    *ymax = v;
            }
        if (o->type == PN_AREA || o->type == PN_BAR) { /* drawn from zero */
            *ymin = *ymin > 0 ? 0 : *ymin;
            *ymax = *ymax < 0 ? 0 : *ymax;
        }
    }
    if (!(*ymin <= *ymax))
        *ymin = 0, *ymax = 1;
    if (*ymin == *ymax)
        *ymin -= 1, *ymax += 1;
    if (*xmin == *xmax)
        *xmin -= 1, *xmax += 1;
}

static int tick(struct pn_buf *out, double v, bool time)
{
    char b[48];
    if (time && isfinite(v) && fabs(v) < 1e12) {
        time_t tt = (time_t)v;
        struct tm tm;
        gmtime_r(&tt, &tm);
        strftime(b, sizeof b, "%H:%M:%S", &tm);
    } else {
        snprintf(b, sizeof b, "%.4g", v);
    }
    return pn__html_text(out, b);
}

/* The d of one series' path in the BOX x BOX viewBox: point by point up to SVG_ALL points,
 * else one vertical stroke from the min to the max of each pixel column. A gap (NaN) starts a
 * new subpath; an area's subpaths are closed down to y = 0. */
static int path(struct pn_buf *out, const pn_node *n, const struct state *t, int k,
                const double r[4])
{
    const pn_plot_type type = PN_COPTS(n, pn_plot_opts)->type;
    const double *y = t->y + (size_t)k * t->cap;
    double sx = BOX / (r[1] - r[0]), sy = BOX / (r[3] - r[2]);
    double base = BOX - (fmin(fmax(0, r[2]), r[3]) - r[2]) * sy; /* y = 0, inside the box */
    bool joined = type == PN_LINE || type == PN_AREA || type == PN_STEP;
    bool pen = false, columns = t->len > SVG_ALL;
    double x0 = 0, xl = 0; /* the current subpath's first and last X */
    int rc = 0;
    for (size_t i = 0; rc == 0 && i <= t->len; i++) {
        double v = i < t->len ? y[at(t, i)] : NAN;
        if (isnan(v)) { /* a gap, or the end */
            if (pen && type == PN_AREA)
                rc = pn__buf_printf(out, "L%.1f %.1fL%.1f %.1fZ", xl, base, x0, base);
            pen = false;
            continue;
        }
        double X = (t->x[at(t, i)] - r[0]) * sx, Y = BOX - (v - r[2]) * sy;
        if (columns) {
            double col = floor(X), lo = Y, hi = Y;
            for (; i + 1 < t->len && floor((t->x[at(t, i + 1)] - r[0]) * sx) == col; i++) {
                double w = y[at(t, i + 1)];
                if (isnan(w))
                    break;
                double Yw = BOX - (w - r[2]) * sy;
                lo = Yw < lo ? Yw : lo;
                hi = Yw > hi ? Yw : hi;
            }
            rc = pn__buf_printf(out, "%s%.1f %.1fV%.1f", pen && joined ? "L" : "M", col, lo, hi);
            X = col;
        } else if (type == PN_SCATTER) {
            rc = pn__buf_printf(out, "M%.1f %.1fh0", X, Y);
        } else if (type == PN_BAR) {
            rc = pn__buf_printf(out, "M%.1f %.1fV%.1f", X, base, Y);
        } else if (type == PN_STEP && pen) {
            rc = pn__buf_printf(out, "H%.1fV%.1f", X, Y);
        } else {
            rc = pn__buf_printf(out, "%s%.1f %.1f", pen ? "L" : "M", X, Y);
        }
        if (!pen)
            x0 = X;
        pen = joined, xl = X;
    }
    return rc;
}

static int draw(struct pn_buf *out, const pn_node *n, const struct state *t);

static int html(struct pn_buf *out, const pn_node *n)
{
    const struct state *t = st(n);
    if (!t->feed)
        return draw(out, n, t);
    struct state w = *t; /* the feed's window, copied: the drawing takes no lock */
    w.len = w.cap = pn__feed_copy(t->feed, &w.x, &w.y);
    w.head = 0;
    w.cap = w.cap ? w.cap : 1;
    int rc = draw(out, n, &w);
    free(w.x);
    free(w.y);
    return rc;
}

static int draw(struct pn_buf *out, const pn_node *n, const struct state *t)
{
    const pn_plot_opts *o = PN_COPTS(n, pn_plot_opts);
    double r[4];
    range(n, t, &r[0], &r[1], &r[2], &r[3]);
    char cls[48];
    snprintf(cls, sizeof cls, "pn-plot pn-plot-%s", type_names[o->type]);
    char height[32];
    snprintf(height, sizeof height, "height:%dpx", o->height);
    int rc;
    if ((rc = pn__html_open_style(out, "div", cls, n, height)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->title && *o->title &&
        ((rc = PN_PUT(out, "<div class=\"pn-plot-title\">")) ||
         (rc = pn__html_text(out, o->title)) || (rc = PN_PUT(out, "</div>"))))
        return rc;
    if ((rc = PN_PUT(out, "<div class=\"pn-plot-body\"><div class=\"pn-plot-y\"><span>")) ||
        (rc = tick(out, r[3], false)) ||
        (rc = PN_PUT(out, "</span><span class=\"pn-plot-label\">")) ||
        (rc = pn__html_text(out, o->y_label)) || (rc = PN_PUT(out, "</span><span>")) ||
        (rc = tick(out, r[2], false)) || (rc = PN_PUT(out, "</span></div>")))
        return rc;
    if ((rc = pn__buf_printf(out,
                             "<svg class=\"pn-plot-svg\" viewBox=\"0 0 %d %d\" "
                             "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"",
                             BOX, BOX)) ||
        (rc = pn__html_text(out, o->title && *o->title ? o->title : "Plot")) ||
        (rc = pn__buf_printf(out, ": %zu points of %d series\">", t->len, t->nseries)))
        return rc;
    for (int k = 0; k < t->nseries; k++) {
        if ((rc = pn__buf_printf(out, "<path class=\"pn-plot-s\" d=\"")) ||
            (rc = path(out, n, t, k, r)) || (rc = PN_PUT(out, "\" stroke=\"")) ||
            (rc = pn__html_text(out, t->series[k].color)))
            return rc;
        if (o->type == PN_AREA &&
            ((rc = PN_PUT(out, "\" fill=\"")) || (rc = pn__html_text(out, t->series[k].color))))
            return rc;
        if ((rc = PN_PUT(out, "\"/>")))
            return rc;
    }
    if ((rc = PN_PUT(out, "</svg></div><div class=\"pn-plot-x\"><span>")) ||
        (rc = tick(out, r[0], o->time_x)) ||
        (rc = PN_PUT(out, "</span><span class=\"pn-plot-label\">")) ||
        (rc = pn__html_text(out, o->x_label)) || (rc = PN_PUT(out, "</span><span>")) ||
        (rc = tick(out, r[1], o->time_x)) || (rc = PN_PUT(out, "</span></div>")))
        return rc;
    if (!o->hide_legend) {
        if ((rc = PN_PUT(out, "<div class=\"pn-plot-legend\">")))
            return rc;
        for (int k = 0; k < t->nseries; k++)
            if ((rc = PN_PUT(out, "<span class=\"pn-plot-key\"><i style=\"background:")) ||
                (rc = pn__html_text(out, t->series[k].color)) || (rc = PN_PUT(out, "\"></i>")) ||
                (rc = pn__html_text(out, t->series[k].label)) || (rc = PN_PUT(out, "</span>")))
                return rc;
        if ((rc = PN_PUT(out, "</div>")))
            return rc;
    }
    return PN_PUT(out, "</div>");
}

/* ---- doc and patches ---- */

static int doc(const pn_node *n, void *props)
{
    const struct state *t = st(n);
    json_t *a = json_array();
    for (int k = 0; a && k < t->nseries; k++)
        if (json_array_append_new(
                a, json_pack("{ssss}", "label", t->series[k].label, "color", t->series[k].color)))
            return json_decref(a), PN_EINVAL;
    return pn__json_set(props, "series", a) ? PN_EINVAL : 0;
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    (void)n, (void)mask, (void)changes; /* its data goes in data messages; no prop has a setter */
    return 0;
}

const struct pn_kind pn__kind_plot = {
    .name = "Plot",
    .css_class = "pn-plot",
    .opts_size = sizeof(pn_plot_opts),
    .state_size = sizeof(struct state),
    .props = plot_props,
    .nprops = PN_COUNT(plot_props),
    .init = init,
    .html = html,
    .patch = patch,
    .doc = doc,
    .data = data,
    .fini = fini,
    .lib = "plot",
};

pn_node *pn_plot_new(pn_session *s, const pn_plot_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_plot, o, here);
}
