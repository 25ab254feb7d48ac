/* This machine's load, CPU and memory from /proc every second: numbers and a five-minute chart,
 * the same in every tab (the samples are the process's; each tab's plot streams the new ones). */
#include <pane.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define N 300                                           /* seconds kept */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER; /* loops (--num-threads) share them */
static double when[N], cpu[N], mem[N], load;            /* sample i is at i % N */
static long n;                                          /* samples taken */

static void sample(void) /* at most once a second, by the first tab that asks */
{
    static long long busy0, all0;
    long long v[8] = {0}, busy = 0, all = 0;
    double total = 1, avail = 0, now = (double)time(NULL);
    FILE *f;
    if (n && when[(n - 1) % N] >= now) return;
    if ((f = fopen("/proc/stat", "r")))
        fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", v, v + 1, v + 2, v + 3, v + 4,
               v + 5, v + 6, v + 7), fclose(f);
    for (int k = 0; k < 8; k++) all += v[k], busy += k == 3 || k == 4 ? 0 : v[k]; /* not idle */
    if ((f = fopen("/proc/meminfo", "r")))
        fscanf(f, "MemTotal: %lf kB MemFree: %*f kB MemAvailable: %lf", &total, &avail), fclose(f);
    if ((f = fopen("/proc/loadavg", "r"))) fscanf(f, "%lf", &load), fclose(f);
    long i = n++ % N; /* the first CPU figure is the average since boot */
    when[i] = now, mem[i] = 100 * (1 - avail / total);
    cpu[i] = all > all0 ? 100.0 * (double)(busy - busy0) / (double)(all - all0) : 0;
    busy0 = busy, all0 = all;
}

struct tab { pn_node *load, *cpu, *mem, *plot; long shown; }; /* shown: samples it has */

static void tick(pn_session *s, void *arg)
{
    struct tab *t = arg;
    pthread_mutex_lock(&mu);
    sample();
    for (t->shown = t->shown > n - N ? t->shown : n - N; t->shown < n; t->shown++)
        pn_plot_push(t->plot, when[t->shown % N], cpu[t->shown % N], mem[t->shown % N]);
    pn_number_set_value(t->load, load);
    pn_number_set_value(t->cpu, cpu[(n - 1) % N]);
    pn_number_set_value(t->mem, mem[(n - 1) % N]);
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
                      .y_min = 0, .y_max = 100, .y_label = "%",
                      .series = PN_SERIES({"CPU"}, {"Memory"}));
    pn_servable(s, pn_row(s, CARD(t->load), CARD(t->cpu), CARD(t->mem)));
    pn_servable(s, CARD(t->plot));
    tick(s, t); /* the first paint shows the numbers and the chart so far */
    pn_every(s, 1000, tick, t);
}
