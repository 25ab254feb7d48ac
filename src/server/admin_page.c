/*
 * admin_page: PREFIX/admin with --admin, a live page made of pane's own components, as an app
 * author would make it (pane.h only, plus the counters of admin.c): what the whole `pane serve`
 * serves (every worker, through the record), refreshed every second.
 *
 *   Sessions, Connected, Requests/s, Cache hits, Workers (restarts), Memory    Numbers
 *   Sessions and Traffic over the last five minutes (since the page opened)     Plots
 *   Workers: worker, PID, loops, sessions, connected, requests, 5xx, memory     Table
 *   Responses by status                                                          Table
 *
 * It is never served from the reuse cache (its first paint is this second's). Like /metrics
 * and /_pane/stats it is for operators: put it behind the proxy's access rules or --basic-auth.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/internal.h"

#define HISTORY 300 /* points kept by the plots: five minutes at one a second */

struct admin {
    pn_node *sessions, *connected, *rate, *hits, *hits_card, *workers, *memory, *note;
    pn_node *sessions_plot, *traffic_plot, *worker_table, *status_table;
    struct pn_admin_view v;
    long long rss[PN_ADMIN_MAX_WORKERS];
    double prev_requests, prev_messages, prev_t; /* the last refresh's totals */
    int nstatus;
    struct {
        char code[8];
        double count;
    } status[PN_HTTP_NSTATUS];
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double requests_of(const struct pn_loop_stats *st)
{
    double n = 0;
    for (int i = 0; i < PN_HTTP_NSTATUS; i++)
        n += (double)st->http.status[i];
    return n;
}

static double errors_of(const struct pn_loop_stats *st)
{
    double n = 0;
    for (int i = 0; i < PN_HTTP_NSTATUS; i++)
        if (pn__http_count_statuses[i] >= 500)
            n += (double)st->http.status[i];
    return n;
}

static void worker_cell(void *data, size_t row, int col, pn_cell *c)
{
    const struct admin *a = data;
    const struct pn_admin_worker *w = &a->v.workers[row];
    switch (col) {
    case 0:
        c->num = w->worker;
        break;
    case 1:
        c->num = w->pid;
        break;
    case 2:
        c->num = w->loops;
        break;
    case 3:
        c->num = (double)w->st.live;
        break;
    case 4:
        c->num = (double)w->st.sockets;
        break;
    case 5:
        c->num = requests_of(&w->st);
        break;
    case 6:
        c->num = errors_of(&w->st);
        break;
    default:
        c->num = a->rss[row] < 0 ? 0 : (double)a->rss[row] / 1048576.0;
        break;
    }
}

static void status_cell(void *data, size_t row, int col, pn_cell *c)
{
    const struct admin *a = data;
    if (col == 0)
        c->text = a->status[row].code;
    else
        c->num = a->status[row].count;
}

static void refresh(pn_session *s, void *arg)
{
    (void)s;
    struct admin *a = arg;
    pn__admin_view(NULL, &a->v);
    const struct pn_loop_stats *t = &a->v.total;
    double mem = 0, t_now = now_s();
    for (int i = 0; i < a->v.nworkers; i++)
        if ((a->rss[i] = pn__admin_rss_bytes(a->v.workers[i].pid)) > 0)
            mem += (double)a->rss[i];
    double requests = requests_of(t);
    double messages = (double)(t->http.ws_received + t->http.ws_sent);
    double dt = t_now - a->prev_t, rate = 0, mrate = 0;
    if (a->prev_t > 0 && dt > 0.2) {
        rate = (requests - a->prev_requests) / dt;
        mrate = (messages - a->prev_messages) / dt;
    }
    a->prev_requests = requests, a->prev_messages = messages, a->prev_t = t_now;
    double looked = (double)(t->hits + t->misses + t->bypasses);

    pn_number_set_value(a->sessions, (double)t->live);
    pn_number_set_value(a->connected, (double)t->sockets);
    pn_number_set_value(a->rate, rate);
    pn_number_set_value(a->hits, looked > 0 ? 100.0 * (double)t->hits / looked : 0);
    pn_set_visible(a->hits_card, t->cache_enabled != 0); /* --reuse-sessions */
    pn_number_set_value(a->workers, a->v.nworkers);
    pn_number_set_value(a->memory, mem / 1048576.0);
    pn_plot_push(a->sessions_plot, t_now, (double)t->live, (double)t->sockets);
    pn_plot_push(a->traffic_plot, t_now, rate, mrate);

    a->nstatus = 0;
    for (int i = 0; i < PN_HTTP_NSTATUS; i++) {
        if (!t->http.status[i])
            continue;
        int code = pn__http_count_statuses[i];
        snprintf(a->status[a->nstatus].code, sizeof a->status[a->nstatus].code, "%s",
                 code ? "" : "other");
        if (code)
            snprintf(a->status[a->nstatus].code, sizeof a->status[a->nstatus].code, "%d", code);
        a->status[a->nstatus++].count = (double)t->http.status[i];
    }
    pn_table_set_rows(a->worker_table, (size_t)a->v.nworkers, NULL);
    pn_table_set_rows(a->status_table, (size_t)a->nstatus, NULL);
    pn_markdown_set_text(a->note,
                         pn_fmt(s,
                                "pane %s · %d worker%s, %d loop%s · %llu restart%s after a crash · "
                                "%llu sessions so far · cache: %llu page%s, %.1f MiB · "
                                "[/metrics](metrics) for Prometheus",
                                PANE_VERSION_STRING, a->v.nworkers, a->v.nworkers == 1 ? "" : "s",
                                a->v.loops, a->v.loops == 1 ? "" : "s",
                                (unsigned long long)pn__admin_restarts(),
                                pn__admin_restarts() == 1 ? "" : "s",
                                (unsigned long long)t->created, (unsigned long long)t->entries,
                                t->entries == 1 ? "" : "s", (double)t->bytes / 1048576.0));
}

#define CARD(node) pn_card(s, .hide_header = true, .items = PN_ITEMS(node))
#define NUMBER_SIZES .font_size = "30pt", .title_size = "13pt" /* six in a row */

static void admin_build(pn_session *s)
{
    struct admin *a = pn_alloc(s, sizeof *a);
    if (!a)
        return;
    pn_template(s, .name = "material", .title = "pane admin");
    a->sessions = pn_number(s, .name = "Sessions", .format = "{value:.0f}", NUMBER_SIZES);
    a->connected = pn_number(s, .name = "Connected", .format = "{value:.0f}", NUMBER_SIZES);
    a->rate = pn_number(s, .name = "Requests/s", .format = "{value:.1f}", NUMBER_SIZES);
    a->hits = pn_number(s, .name = "Cache hits", .format = "{value:.0f}%", NUMBER_SIZES);
    a->workers = pn_number(s, .name = "Workers", .format = "{value:.0f}", NUMBER_SIZES);
    a->memory = pn_number(s, .name = "Memory", .format = "{value:.1f} MiB", NUMBER_SIZES);
    pn_servable(s, pn_grid(s, .columns = 6,
                           .items = PN_ITEMS(CARD(a->sessions), CARD(a->connected), CARD(a->rate),
                                             a->hits_card = CARD(a->hits), CARD(a->workers),
                                             CARD(a->memory))));
    a->sessions_plot =
        pn_plot(s, .title = "Sessions", .time_x = true, .rollover = HISTORY, .y_min = 0,
                .height = 260, .series = PN_SERIES({"Live"}, {"Connected"}));
    a->traffic_plot =
        pn_plot(s, .title = "Traffic", .time_x = true, .rollover = HISTORY, .y_min = 0,
                .height = 260, .series = PN_SERIES({"Requests/s"}, {"WebSocket messages/s"}));
    pn_servable(s, pn_grid(s, .columns = 2,
                           .items = PN_ITEMS(CARD(a->sessions_plot), CARD(a->traffic_plot))));
    a->worker_table =
        pn_table(s,
                 .columns = PN_COLUMNS(
                     {"Worker", PN_NUMBER, .width = 80}, {"PID", PN_NUMBER, .width = 90},
                     {"Loops", PN_NUMBER, .width = 70}, {"Sessions", PN_NUMBER},
                     {"Connected", PN_NUMBER}, {"Requests", PN_NUMBER},
                     {"5xx", PN_NUMBER, .width = 70}, {"Memory", PN_NUMBER, "{value:.1f} MiB"}),
                 .cell = worker_cell, .data = a, .page_size = 8, .key_column = 2);
    a->status_table = pn_table(s, .columns = PN_COLUMNS({"Status"}, {"Responses", PN_NUMBER}),
                               .cell = status_cell, .data = a, .page_size = 8);
    pn_node *workers = pn_card(s, .title = "Workers", .items = PN_ITEMS(a->worker_table));
    pn_size(workers, .col_span = 2);
    pn_servable(s,
                pn_grid(s, .columns = 3,
                        .items = PN_ITEMS(workers, pn_card(s, .title = "Responses",
                                                           .items = PN_ITEMS(a->status_table)))));
    a->note = pn_markdown(s, .text = "");
    pn_servable(s, a->note);
    pn_every_now(s, 1000, refresh, a);
}

static struct pn_app app;
static pthread_once_t app_once = PTHREAD_ONCE_INIT;

static void app_make(void)
{
    pn__app_builtin(&app, "admin", admin_build, NULL);
}

struct pn_app *pn__admin_app(void)
{
    pthread_once(&app_once, app_make);
    return &app;
}
