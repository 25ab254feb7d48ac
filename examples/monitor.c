/* This machine's load, CPU and memory from /proc every second: numbers, and a five-minute chart
 * every tab shares (the samples are the process's; each tab's plot streams the new ones). */
#include <pane.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 300                           /* seconds kept */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* the samples are the loops' to share */
static double when[N], pct[N][2], load; /* sample i is at i % N: its time; CPU %, memory % */
static long n, busy0, all0;             /* samples taken; the CPU counters at the last one */

static void sample(void) /* at most once a second, by the first tab that asks */
{
    long v[8] = {0}, busy = 0, all = 0, i = n % N;
    double total = 1, avail = 0;
    FILE *f;
    if (n && when[(n - 1) % N] >= (double)time(NULL)) return;
    if ((f = fopen("/proc/stat", "r")) && fscanf(f, "cpu %ld %ld %ld %ld %ld %ld %ld %ld", v,
                                                 v + 1, v + 2, v + 3, v + 4, v + 5, v + 6, v + 7) == 8)
        for (int k = 0; k < 8; k++) all += v[k], busy += k == 3 || k == 4 ? 0 : v[k];
    if (f) fclose(f);
    if ((f = fopen("/proc/meminfo", "r")))
        fscanf(f, "MemTotal: %lf kB MemFree: %*f kB MemAvailable: %lf", &total, &avail), fclose(f);
    if ((f = fopen("/proc/loadavg", "r"))) fscanf(f, "%lf", &load), fclose(f);
    when[i] = (double)time(NULL), pct[i][1] = 100 * (1 - avail / total);
    pct[i][0] = n && all > all0 ? 100.0 * (double)(busy - busy0) / (double)(all - all0) : 0;
    busy0 = busy, all0 = all, n++;
}

struct tab { pn_node *load, *cpu, *mem, *plot; long shown; }; /* shown: samples it has */

static void tick(pn_session *s, void *arg)
{
    struct tab *t = arg;
    pthread_mutex_lock(&mu);
    sample();
    for (t->shown = t->shown < n - N ? n - N : t->shown; t->shown < n; t->shown++)
        pn_plot_push(t->plot, when[t->shown % N], pct[t->shown % N][0], pct[t->shown % N][1]);
    pn_number_set_value(t->load, load);
    pn_number_set_value(t->cpu, pct[(n - 1) % N][0]);
    pn_number_set_value(t->mem, pct[(n - 1) % N][1]);
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
    t->plot = pn_plot(s, .title = "The last five minutes", .time_x = true, .rollover = N,
                      .y_min = 0, .y_max = 100, .y_label = "%", .series = PN_SERIES({"CPU"}, {"Memory"}));
    pn_servable(s, pn_row(s, CARD(t->load), CARD(t->cpu), CARD(t->mem)));
    pn_servable(s, CARD(t->plot));
    tick(s, t); /* the first paint shows the numbers and the chart so far */
    pn_every(s, 1000, tick, t);
}
