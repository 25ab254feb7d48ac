/* bench/plot.sh's streaming app: a Plot of 3 series to which each session appends one point
   ten times a second, its x the wall-clock time (ms) at which the pn_every callback ran; the
   load client (bench/sessions.c --mode latency) subtracts it from the time the data message
   arrives. */
#include <math.h>
#include <pane.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void tick(pn_session *s, void *p)
{
    (void)s;
    double t = now_ms();
    pn_plot_push(p, t, sin(t / 1000), cos(t / 1000), sin(t / 300));
}

void pn_app(pn_session *s)
{
    pn_template(s, .title = "Stream");
    pn_node *p = pn_plot(s, .title = "Three signals", .rollover = 600,
                         .series = PN_SERIES({"a"}, {"b"}, {"c"}));
    pn_servable(s, p);
    pn_every(s, 100, tick, p);
}
