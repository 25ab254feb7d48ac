/* Tutorial step 10: data from a thread. pn_app_init starts a sensor thread once per process;
 * it publishes to feeds that every tab shows (each update encoded once for all), and reaches
 * sessions with posts: every session of the app (pn_post_app), or one by its id (pn_post).
 * With `pane serve --redis URL`, the feeds are shared by every pane process of that Redis. */
#include <math.h>
#include <pane.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

static pn_feed *series, *temperature, *status;
static pthread_t sensor;
static atomic_bool running;
static char app[64]; /* this app's name, for pn_post_app */

/* A question from a session to the sensor thread, and then its answer back. The thread never
 * touches .answer: it only carries it back to the session's loop with the session's id. */
struct ask { pn_session_id id; pn_node *answer; char text[96]; };
static _Atomic(struct ask *) question; /* one at a time: the latest wins */

static double now(void) /* Unix time in seconds, with its fraction */
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return tv.tv_sec + tv.tv_usec / 1e6;
}

static double reading(double t) { return 20 + 3 * sin(t / 30) + (rand() % 100) / 100.0; }

static void answer(pn_session *s, void *data) /* on the session's loop, if it still lives */
{
    struct ask *a = data;
    pn_markdown_set_text(a->answer, a->text);
    free(a);
    (void)s;
}

static void retitle(pn_session *s, void *data) /* posted to every session of the app */
{
    pn_title_set(s, pn_fmt(s, "Sensor %.1f °C", *(double *)data));
}

static void *sensing(void *arg) /* the sensor thread: a reading every 500 ms */
{
    for (int n = 0; atomic_load(&running); n++, usleep(500000)) {
        double t = now(), c = reading(t), rh = 50 + 10 * cos(t / 40);
        pn_feed_push(series, t, c, rh);      /* x, then a y per series */
        pn_feed_set(temperature, c);
        pn_feed_set_text(status, c > 22 ? "**Warm.** Open a window." : "**Fine.**");
        struct ask *a = atomic_exchange(&question, NULL);
        if (a) {
            double shown = pn_feed_get(temperature); /* what was published last */
            snprintf(a->text, sizeof a->text, "The sensor says %.2f °C.", shown);
            pn_post(a->id, answer, a, free); /* session gone: free(a) instead */
        }
        double *title = n % 10 ? NULL : malloc(sizeof *title);
        if (title) { /* every 5 s; free runs once, after the last session used it */
            *title = c;
            pn_post_app(app, retitle, title, free);
        }
    }
    return arg;
}

void pn_app_init(pn_app_ctx *ctx) /* once per process, before the first session */
{
    snprintf(app, sizeof app, "%s", ctx->name);
    series = pn_feed_series("tutorial-sensor", 2, 600); /* two series, the last 600 points */
    temperature = pn_feed_number("tutorial-temperature");
    status = pn_feed_text("tutorial-status");
    pn_feed_redis(series), pn_feed_redis(temperature), pn_feed_redis(status); /* --redis */
    double x[60], y[60][2], t = now(); /* a minute of history, in one append */
    for (int i = 0; i < 60; i++)
        x[i] = t - 60 + i, y[i][0] = reading(x[i]), y[i][1] = 50 + 10 * cos(x[i] / 40);
    pn_feed_append(series, x, &y[0][0], 60);
    atomic_store(&running, true);
    pthread_create(&sensor, NULL, sensing, NULL);
}

void pn_app_cleanup(pn_app_ctx *ctx) /* once, after the last session, when the server stops */
{
    atomic_store(&running, false);
    pthread_join(sensor, NULL);
    free(atomic_exchange(&question, NULL));
    (void)ctx;
}

static void ask(pn_session *s, pn_node *button, void *answer_node)
{
    struct ask *a = calloc(1, sizeof *a);
    if (!a)
        return;
    a->id = pn_session_id_of(s), a->answer = answer_node;
    free(atomic_exchange(&question, a)); /* an unanswered older question is dropped */
    pn_markdown_set_text(answer_node, "Asking…");
    (void)button;
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Sensor");
    pn_node *said = pn_markdown(s, .text = "");
    pn_servable(s, pn_row(s,
        pn_card(s, .hide_header = true, .items = PN_ITEMS(
            pn_number(s, .name = "Temperature", .format = "{value:.1f} °C", .feed = temperature),
            pn_markdown(s, .feed = status))),
        pn_card(s, .title = "Ask", .items = PN_ITEMS(
            pn_button(s, .label = "Ask the sensor", .on_click = ask, .arg = said), said))));
    pn_servable(s, pn_plot(s, .title = "The last five minutes", .time_x = true, .feed = series,
                           .series = PN_SERIES({"°C"}, {"% humidity"})));
}
