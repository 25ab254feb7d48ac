/* This machine's load, CPU and memory: a thread samples /proc every second into a feed (a
 * five-minute chart every tab shares: each sample is encoded once for all) and the numbers. */
#include <pane.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static _Atomic double load, cpu, mem; /* the latest sample */
static pn_feed *chart;
static pthread_t sampler;
static atomic_bool running;

static void sample(void)
{
    static long long busy0, all0;
    long long v[8] = {0}, busy = 0, all = 0;
    double total = 1, avail = 0, l = 0;
    FILE *f;
    if ((f = fopen("/proc/stat", "r")))
        fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", v, v + 1, v + 2, v + 3, v + 4,
               v + 5, v + 6, v + 7), fclose(f);
    for (int k = 0; k < 8; k++) all += v[k], busy += k == 3 || k == 4 ? 0 : v[k]; /* not idle */
    if ((f = fopen("/proc/meminfo", "r")))
        fscanf(f, "MemTotal: %lf kB MemFree: %*f kB MemAvailable: %lf", &total, &avail), fclose(f);
    if ((f = fopen("/proc/loadavg", "r"))) fscanf(f, "%lf", &l), fclose(f);
    load = l; /* (separate statements: an _Atomic store is no operand of a comma) */
    mem = 100 * (1 - avail / total); /* the first CPU figure: the average since boot */
    cpu = all > all0 ? 100.0 * (double)(busy - busy0) / (double)(all - all0) : 0;
    busy0 = busy, all0 = all;
    pn_feed_push(chart, (double)time(NULL), cpu, mem);
}

static void *sampling(void *arg) /* a sample a second; stops within 0.1 s */
{
    for (int tick = 1; atomic_load(&running); tick++, usleep(100000)) if (tick % 10 == 0) sample();
    return arg;
}

void pn_app_init(pn_app_ctx *ctx) /* once per process, before the first tab */
{
    chart = pn_feed_series("monitor", 2, 300); /* the last 300 seconds */
    sample(), atomic_store(&running, true), pthread_create(&sampler, NULL, sampling, ctx);
}

void pn_app_cleanup(pn_app_ctx *ctx) /* after the last tab, when the server stops */
{
    (void)ctx, atomic_store(&running, false), pthread_join(sampler, NULL);
}

static void show(pn_session *s, void *arg) /* a tab's numbers, every second */
{
    pn_node **n = arg;
    pn_number_set_value(n[0], load), pn_number_set_value(n[1], cpu), pn_number_set_value(n[2], mem);
    (void)s;
}

static void bye(pn_session *s, void *n) { (void)s, free(n); }
#define CARD(node) pn_card(s, .hide_header = true, .items = PN_ITEMS(node))

void pn_app(pn_session *s)
{
    pn_node **n = calloc(3, sizeof *n);
    pn_on_session_destroyed(s, bye, n);
    pn_template(s, .name = "material", .title = "Machine monitor");
    n[0] = pn_number(s, .name = "Load (1 min)", .format = "{value:.2f}", .value = load);
    n[1] = pn_number(s, .name = "CPU", .format = "{value:.0f}%", .value = cpu,
                     .colors = PN_COLORS({60, "#2ca02c"}, {85, "#ff7f0e"}, {1e9, "#d62728"}));
    n[2] = pn_number(s, .name = "Memory", .format = "{value:.0f}%", .value = mem);
    pn_servable(s, pn_row(s, CARD(n[0]), CARD(n[1]), CARD(n[2])));
    pn_servable(s, CARD(pn_plot(s, .title = "The last five minutes", .time_x = true, .y_min = 0,
                                .y_max = 100, .y_label = "%", .feed = chart,
                                .series = PN_SERIES({"CPU"}, {"Memory"}))));
    pn_every(s, 1000, show, n);
}
