/* Tutorial step 7: plots. A live chart over time that keeps its last 150 points (pn_plot_push
 * from a timer), a batch of points at once (pn_plot_append), and a bar chart a slider redraws
 * whole (pn_plot_set_data). */
#include <math.h>
#include <pane.h>
#include <sys/time.h>

struct plots { pn_node *live, *bars, *held; double phase, x; };

/* The next x: Unix time in seconds, with its fraction (a time_x plot's x), and never before the
 * last one: a point whose x goes back is dropped, and pane logs the line that pushed it. */
static double next_x(struct plots *p)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return p->x = fmax(tv.tv_sec + tv.tv_usec / 1e6, p->x + 0.001);
}

static void tick(pn_session *s, void *arg) /* a point every 200 ms: x, then a y per series */
{
    struct plots *p = arg;
    p->phase += 0.2;
    pn_plot_push(p->live, next_x(p), sin(p->phase), 0.5 * cos(p->phase / 3));
    pn_number_set_value(p->held, (double)pn_plot_len(p->live)); /* grows to 150, then stays */
    (void)s;
}

static void burst(pn_session *s, pn_node *button, void *arg) /* 20 points in one message */
{
    struct plots *p = arg;
    double x[20], y[20][2]; /* y[i][k]: series k at x[i] */
    for (int i = 0; i < 20; i++)
        x[i] = next_x(p), y[i][0] = 1.2, y[i][1] = -1.2;
    pn_plot_append(p->live, x, &y[0][0], 20);
    (void)s, (void)button;
}

static void redraw(pn_session *s, pn_node *slider, void *arg) /* bars of x^k for x = 1..10 */
{
    struct plots *p = arg;
    double x[10], y[10], k = pn_float_slider_value(slider);
    for (int i = 0; i < 10; i++)
        x[i] = i + 1, y[i] = pow(i + 1, k);
    pn_plot_set_data(p->bars, x, y, 10); /* replaces every point */
    (void)s;
}

void pn_app(pn_session *s)
{
    struct plots *p = pn_alloc(s, sizeof *p);
    pn_template(s, .name = "material", .title = "Plots");
    p->live = pn_plot(s, .title = "Live", .time_x = true, .rollover = 150, .y_min = -1.5,
                      .y_max = 1.5, .series = PN_SERIES({"sin", "#1e88e5"}, {"cos"}));
    p->bars = pn_plot(s, .title = "Powers", .type = PN_BAR, .x_label = "x", .y_label = "x^k",
                      .hide_legend = true, .height = 240);
    p->held = pn_number(s, .name = "Points held", .font_size = "28pt");
    pn_node *k = pn_float_slider(s, .name = "k", .start = 0, .end = 3, .value = 2, .step = 0.1,
                                 .format = "{value:.1f}", .on_change = redraw, .arg = p);
    redraw(s, k, p); /* the first page already has the bars */
    pn_servable(s, pn_card(s, .title = "Over time", .items = PN_ITEMS(p->live,
        pn_row(s, p->held, pn_button(s, .label = "Burst", .on_click = burst, .arg = p)))));
    pn_servable(s, pn_card(s, .title = "Set whole", .items = PN_ITEMS(k, p->bars)));
    pn_every(s, 200, tick, p);
}
