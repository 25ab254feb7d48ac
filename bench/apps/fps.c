/* bench/plot-fps.mjs's app: one Plot of 3 series with a 100,000-point window, full from the
   start, to which 100 points are appended ten times a second. */
#include <math.h>
#include <pane.h>
#include <stdlib.h>

#define WINDOW 100000
#define BATCH 100

struct feed { pn_node *plot; double x; };

static void append(struct feed *f, int n)
{
    static double x[WINDOW], y[WINDOW][3];
    for (int i = 0; i < n; i++, f->x++) {
        x[i] = f->x;
        y[i][0] = sin(f->x / 5000) + 0.1 * sin(f->x / 50);
        y[i][1] = cos(f->x / 7000) * 0.8;
        y[i][2] = 0.5 * sin(f->x / 900) - 0.3;
    }
    pn_plot_append(f->plot, x, &y[0][0], (size_t)n);
}

static void tick(pn_session *s, void *f) { (void)s, append(f, BATCH); }
static void bye(pn_session *s, void *f) { (void)s, free(f); }

void pn_app(pn_session *s)
{
    struct feed *f = calloc(1, sizeof *f);
    pn_on_session_destroyed(s, bye, f);
    pn_template(s, .name = "material", .title = "100,000 points x 3");
    f->plot = pn_plot(s, .title = "Three series, 100,000 points each", .rollover = WINDOW,
                      .height = 420, .series = PN_SERIES({"a"}, {"b"}, {"c"}));
    pn_servable(s, pn_card(s, .hide_header = true, .items = PN_ITEMS(f->plot)));
    append(f, WINDOW);
    pn_every(s, 100, tick, f);
}
