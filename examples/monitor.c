/* This machine's load, CPU and memory from /proc every second: numbers, and a five-minute chart
 * every tab shares (a feed: each sample is encoded once and goes to every open tab). */
#include <pane.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* the loops (--num-threads) share it */
static double last, load, cpu, mem;                     /* the latest sample and its time */

static void sample(pn_feed *chart) /* at most once a second, by the first tab that asks */
{
    static long long busy0, all0;
    long long v[8] = {0}, busy = 0, all = 0;
    double total = 1, avail = 0, now = (double)time(NULL);
    FILE *f;
    if (now <= last) return;
    if ((f = fopen("/proc/stat", "r")))
        fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", v, v + 1, v + 2, v + 3, v + 4,
               v + 5, v + 6, v + 7), fclose(f);
    for (int k = 0; k < 8; k++) all += v[k], busy += k == 3 || k == 4 ? 0 : v[k]; /* not idle */
    if ((f = fopen("/proc/meminfo", "r")))
        fscanf(f, "MemTotal: %lf kB MemFree: %*f kB MemAvailable: %lf", &total, &avail), fclose(f);
    if ((f = fopen("/proc/loadavg", "r"))) fscanf(f, "%lf", &load), fclose(f);
    cpu = all > all0 ? 100.0 * (double)(busy - busy0) / (double)(all - all0) : 0; /* 1st: since boot */
    mem = 100 * (1 - avail / total), last = now, busy0 = busy, all0 = all;
    pn_feed_push(chart, now, cpu, mem);
}

struct tab { pn_node *load, *cpu, *mem; };

static void tick(pn_session *s, void *arg)
{
    struct tab *t = arg;
    pthread_mutex_lock(&mu);
    sample(pn_feed_series("monitor", 2, 300)); /* the last 300 seconds */
    pn_number_set_value(t->load, load);
    pn_number_set_value(t->cpu, cpu);
    pn_number_set_value(t->mem, mem);
    pthread_mutex_unlock(&mu);
    (void)s;
}

static void bye(pn_session *s, void *t) { (void)s, free(t); }
#define CARD(node) pn_card(s, .hide_header = true, .items = PN_ITEMS(node))

void pn_app(pn_session *s)
{
    struct tab *t = calloc(1, sizeof *t);
    pn_on_session_destroyed(s, bye, t);
    pn_template(s, .name = "material", .title = "Machine monitor");
    t->load = pn_number(s, .name = "Load (1 min)", .format = "{value:.2f}");
    t->cpu = pn_number(s, .name = "CPU", .format = "{value:.0f}%",
                       .colors = PN_COLORS({60, "#2ca02c"}, {85, "#ff7f0e"}, {1e9, "#d62728"}));
    t->mem = pn_number(s, .name = "Memory", .format = "{value:.0f}%");
    tick(s, t); /* the first paint shows the numbers and the chart so far */
    pn_node *chart = pn_plot(s, .title = "The last five minutes", .time_x = true, .y_min = 0,
                             .y_max = 100, .y_label = "%", .series = PN_SERIES({"CPU"}, {"Memory"}),
                             .feed = pn_feed_series("monitor", 2, 300));
    pn_servable(s, pn_row(s, CARD(t->load), CARD(t->cpu), CARD(t->mem)));
    pn_servable(s, CARD(chart));
    pn_every(s, 1000, tick, t);
}
