/* A feed for tests/e2e/plot_test.c: every session shows feed "e2e" (2 series, 1000 points);
 * a session opened with ?pub=1 appends 5 points to it every 20 ms, x counting up by 1 from 0 and
 * y = x and -x, from whichever loop it is on. pn_app_init and pn_app_cleanup log a line each. */
#include <pane.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_long next_x; /* the one publisher's count (one ?pub=1 session at a time) */

static void publish(pn_session *s, void *f)
{
    (void)s;
    double x[5], y[10];
    for (int i = 0; i < 5; i++) {
        x[i] = (double)atomic_fetch_add(&next_x, 1);
        y[2 * i] = x[i], y[2 * i + 1] = -x[i];
    }
    pn_feed_append(f, x, y, 5);
}

static atomic_int inits;

void pn_app_init(pn_app_ctx *ctx) /* once per process: plot_test counts the lines */
{
    fprintf(stderr, "feed app: pn_app_init %d of %s in pid %d\n", atomic_fetch_add(&inits, 1) + 1,
            ctx->name, (int)getpid());
}

void pn_app_cleanup(pn_app_ctx *ctx)
{
    fprintf(stderr, "feed app: pn_app_cleanup of %s in pid %d\n", ctx->name, (int)getpid());
}

void pn_app(pn_session *s)
{
    pn_feed *f = pn_feed_series("e2e", 2, 1000);
    pn_template(s, .title = "Feed");
    pn_servable(s, pn_plot(s, .title = "Shared", .feed = f, .series = PN_SERIES({"up"}, {"down"})));
    if (*pn_session_arg(s, "pub", ""))
        pn_every(s, 20, publish, f);
}
