/* bench/plot.sh's shared stream: every session shows one feed of 3 series, to which one point is
   appended ten times a second (x = the wall-clock ms of the append) by the first session's
   timer alone: the same appends per session as bench/apps/stream.c, made once for all of them,
   and no timer in the other sessions (they only watch, as a dashboard's tabs do). */
#include <math.h>
#include <pane.h>
#include <stdatomic.h>
#include <time.h>

static atomic_flag claimed = ATOMIC_FLAG_INIT;

static void tick(pn_session *s, void *f)
{
    (void)s;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double t = (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    pn_feed_push(f, t, sin(t / 1000), cos(t / 1000), sin(t / 300));
}

void pn_app(pn_session *s)
{
    pn_feed *f = pn_feed_series("stream", 3, 600);
    pn_template(s, .title = "Stream");
    pn_servable(s, pn_plot(s, .title = "Three signals", .feed = f,
                           .series = PN_SERIES({"a"}, {"b"}, {"c"})));
    if (!atomic_flag_test_and_set(&claimed)) /* the first session publishes */
        pn_every(s, 100, tick, f);
}
