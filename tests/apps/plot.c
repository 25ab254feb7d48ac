/* Plots for tests/e2e/plot_test.c and tests/browser/plot.test.mjs, by ?mode=:
 *   stream  (default) two series (y = x and -x), 200 points at build (the first paint has a
 *           chart), then 3 points every 20 ms, x counting up by 1 from 0
 *   flood   one series in a 20,000-point window, 4,000 points every 10 ms (6.4 MB/s of data)
 *   bad     plot calls an app gets wrong (misuse, never a crash), then one good point
 */
#include <pane.h>
#include <string.h>

struct feed {
    pn_node *plot;
    double x;
    int per_tick;
};
static struct feed feeds[4096]; /* by session, round robin: the test holds a few at once */
static unsigned next;

static void tick(pn_session *s, void *arg)
{
    (void)s;
    struct feed *f = arg;
    static double x[4000], y[8000];
    int k = f->per_tick;
    for (int i = 0; i < k; i++) {
        x[i] = f->x + i;
        y[2 * i] = f->x + i, y[2 * i + 1] = -(f->x + i);
    }
    if (k <= 3)
        pn_plot_append(f->plot, x, y, (size_t)k); /* two series: y interleaved per point */
    else
        pn_plot_append(f->plot, x, x, (size_t)k);
    f->x += k;
}

void pn_app(pn_session *s)
{
    const char *mode = pn_session_arg(s, "mode", "stream");
    struct feed *f = &feeds[next++ % 4096];
    memset(f, 0, sizeof *f);
    pn_template(s, .name = "material", .title = "Plots");
    if (!strcmp(mode, "bad")) {
        pn_node *p = pn_plot(s, .rollover = -5, .height = 1, .series = PN_SERIES({"a"}, {"b"}));
        pn_node *n = pn_number(s, .name = "n");
        double back[2] = {5, 4}, ys[4] = {1, 2, 3, 4};
        pn_plot_push(p, 1, 2);             /* one y for two series */
        pn_plot_append(p, NULL, NULL, 9);  /* no arrays */
        pn_plot_append(p, back, ys, 2);    /* x goes back: the second point is dropped */
        pn_plot_push(n, 1, 2);             /* not a plot */
        pn_plot_push(p, 6, 1e308 * 10, 7); /* an infinite y: a gap */
        pn_servable(s, pn_column(s, p, n));
        return;
    }
    bool flood = !strcmp(mode, "flood");
    f->plot = flood ? pn_plot(s, .title = "Flood", .rollover = 20000)
                    : pn_plot(s, .title = "Stream", .rollover = 1000,
                              .series = PN_SERIES({"up", "#2ca02c"}, {"down"}));
    pn_servable(s, pn_card(s, .title = "Data", .items = PN_ITEMS(f->plot)));
    if (!flood)
        for (int i = 0; i < 200; i += 3)
            f->per_tick = i + 3 <= 200 ? 3 : 200 - i, tick(s, f);
    f->per_tick = flood ? 4000 : 3;
    pn_every(s, flood ? 10 : 20, tick, f);
}
