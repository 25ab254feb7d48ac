/* Feeds shared through Redis, for tests/e2e/redis_test.c and bench/redis.sh: every session
 * shows number feed "shared-n" (a Number), text feed "shared-t" (Markdown) and series feed
 * "shared-s" (a Plot: 1 series, rollover 50), all three pn_feed_redis. A session's slider
 * "Publish" publishes its value v: n = v, t = "v=V", and the point (v, -v). With ?clock=1 a
 * session publishes the wall-clock milliseconds (to the microsecond) to n every 100 ms (the
 * bench). */
#include <pane.h>
#include <stdio.h>
#include <sys/time.h>

static pn_feed *n, *t, *series;

void pn_app_init(pn_app_ctx *ctx)
{
    (void)ctx;
    pn_feed_redis(n = pn_feed_number("shared-n"));
    pn_feed_redis(t = pn_feed_text("shared-t"));
    pn_feed_redis(series = pn_feed_series("shared-s", 1, 50));
}

static void publish(pn_session *s, pn_node *slider, void *arg)
{
    (void)s, (void)arg;
    int v = pn_int_slider_value(slider);
    char text[64];
    snprintf(text, sizeof text, "v=%d", v);
    pn_feed_set(n, v);
    pn_feed_set_text(t, text);
    pn_feed_push(series, v, -v);
}

static void clock_ms(pn_session *s, void *arg)
{
    (void)s, (void)arg;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    pn_feed_set(n, (double)tv.tv_sec * 1000 + tv.tv_usec / 1000.0);
}

void pn_app(pn_session *s)
{
    pn_template(s, .title = "Shared");
    pn_servable(s, pn_number(s, .name = "n", .feed = n, .format = "{value:.3f}"));
    pn_servable(s, pn_markdown(s, .feed = t));
    pn_servable(s, pn_plot(s, .title = "s", .feed = series, .series = PN_SERIES({"y"})));
    pn_servable(s, pn_int_slider(s, .name = "Publish", .start = 0, .end = 1000000,
                                 .on_change = publish));
    if (*pn_session_arg(s, "clock", ""))
        pn_every(s, 100, clock_ms, NULL);
}
