/* Tutorial step 12: a machine monitor. A thread started by pn_app_init samples /proc every
 * second into feeds (three numbers and a five-minute chart every tab shares); each tab keeps
 * its own table of processes, scanned every 2 s, with the selected one's details. */
#include <glob.h>
#include <pane.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pn_feed *chart, *load, *cpu, *mem;
static pthread_t sampler;
static atomic_bool running;

static void sample(void) /* /proc/stat, /proc/meminfo and /proc/loadavg into the feeds */
{
    static long long busy0, all0;
    long long v[8] = {0}, busy = 0, all = 0;
    double total = 1, avail = 0, l = 0;
    FILE *f;
    if ((f = fopen("/proc/stat", "r")))
        fscanf(f, "cpu %lld %lld %lld %lld %lld %lld %lld %lld", v, v + 1, v + 2, v + 3, v + 4,
               v + 5, v + 6, v + 7), fclose(f);
    for (int k = 0; k < 8; k++)
        all += v[k], busy += k == 3 || k == 4 ? 0 : v[k]; /* all but idle and iowait */
    if ((f = fopen("/proc/meminfo", "r")))
        fscanf(f, "MemTotal: %lf kB MemFree: %*f kB MemAvailable: %lf", &total, &avail), fclose(f);
    if ((f = fopen("/proc/loadavg", "r")))
        fscanf(f, "%lf", &l), fclose(f);
    double c = all > all0 ? 100.0 * (double)(busy - busy0) / (double)(all - all0) : 0;
    double m = 100 * (1 - avail / total);
    busy0 = busy, all0 = all;
    pn_feed_set(load, l), pn_feed_set(cpu, c), pn_feed_set(mem, m);
    pn_feed_push(chart, (double)time(NULL), c, m);
}

static void *sampling(void *arg) /* a sample a second; notices the stop within 0.1 s */
{
    for (int tick = 1; atomic_load(&running); tick++, usleep(100000))
        if (tick % 10 == 0)
            sample();
    return arg;
}

void pn_app_init(pn_app_ctx *ctx)
{
    chart = pn_feed_series("tutorial-monitor", 2, 300); /* the last 300 seconds */
    load = pn_feed_number("tutorial-load");
    cpu = pn_feed_number("tutorial-cpu");
    mem = pn_feed_number("tutorial-mem");
    sample(), atomic_store(&running, true), pthread_create(&sampler, NULL, sampling, ctx);
}

void pn_app_cleanup(pn_app_ctx *ctx)
{
    (void)ctx, atomic_store(&running, false), pthread_join(sampler, NULL);
}

/* The processes: each tab's own array, read by its table cell by cell. */
struct proc { double pid, mb, threads; char name[32]; };
struct top { struct proc p[4096]; size_t n; pn_node *table, *details; };

static void cell(void *top, size_t row, int col, pn_cell *c)
{
    const struct proc *p = &((struct top *)top)->p[row];
    c->num = col == 0 ? p->pid : col == 2 ? p->mb : p->threads;
    c->text = p->name;
}

static void details(pn_session *s, pn_node *table, void *top)
{
    struct top *t = top;
    size_t row = pn_table_selected(table);
    if (row == PN_NO_ROW)
        return;
    const struct proc *p = &t->p[row];
    pn_markdown_set_text(t->details, pn_fmt(s, "**%s** (PID %.0f): %.1f MB, %.0f threads",
                                            p->name, p->pid, p->mb, p->threads));
}

static void scan(pn_session *s, void *top) /* fields 1, 2, 20 and 24 of /proc/PID/stat */
{
    struct top *t = top;
    glob_t g = {0};
    glob("/proc/[0-9]*/stat", 0, NULL, &g);
    for (size_t i = t->n = 0; i < g.gl_pathc && t->n < 4096; i++) {
        FILE *f = fopen(g.gl_pathv[i], "r");
        struct proc *p = &t->p[t->n];
        if (f && fscanf(f, "%lf (%31[^)]) %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s %*s"
            " %*s %*s %*s %lf %*s %*s %*s %lf", &p->pid, p->name, &p->threads, &p->mb) == 4)
            t->p[t->n++].mb *= sysconf(_SC_PAGESIZE) / 1048576.0; /* resident pages to MB */
        if (f)
            fclose(f);
    }
    globfree(&g);
    pn_table_set_rows(t->table, t->n, NULL);
    details(s, t->table, t);
}

/* a card around one number, sharing its row's width with the others */
#define TILE(n) pn_size(pn_card(s, .hide_header = true, .items = PN_ITEMS(n)), \
                        .stretch_width = true)

void pn_app(pn_session *s)
{
    struct top *t = pn_alloc(s, sizeof *t);
    pn_template(s, .name = "material", .title = "Machine monitor");
    pn_node *numbers = pn_row(s, /* stretched below, so that its cards share the width */
        TILE(pn_number(s, .name = "Load (1 min)", .format = "{value:.2f}", .feed = load)),
        TILE(pn_number(s, .name = "CPU", .format = "{value:.0f}%", .feed = cpu,
                       .colors = PN_COLORS({60, "#2ca02c"}, {85, "#ff7f0e"}, {1e9, "#d62728"}))),
        TILE(pn_number(s, .name = "Memory", .format = "{value:.0f}%", .feed = mem)));
    pn_node *plot = pn_plot(s, .title = "The last five minutes", .time_x = true, .y_min = 0,
                            .y_max = 100, .y_label = "%", .feed = chart,
                            .series = PN_SERIES({"CPU"}, {"Memory"}));
    t->details = pn_markdown(s, .text = "Select a process to see its details.");
    t->table = pn_table(s, .columns = PN_COLUMNS({"PID", PN_NUMBER, .width = 90}, {"Command"},
        {"Memory", PN_NUMBER, "{value:.1f} MB", 130}, {"Threads", PN_NUMBER, .width = 100}),
        .cell = cell, .data = t, .sort = -3, .filter = true, .key_column = 1,
        .on_select = details, .arg = t);
    pn_servable(s, pn_size(numbers, .stretch_width = true));
    pn_servable(s, pn_tabs(s, .titles = PN_OPTIONS("Chart", "Processes"), .items = PN_ITEMS(
        pn_card(s, .hide_header = true, .items = PN_ITEMS(plot)),
        pn_card(s, .hide_header = true, .items = PN_ITEMS(t->table, t->details)))));
    pn_every_now(s, 2000, scan, t); /* the first scan now, for the first page */
}
