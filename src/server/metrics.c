/*
 * metrics: GET PREFIX/metrics (with --admin), Prometheus's text exposition format 0.0.4. The
 * same counters as /_pane/stats (admin.c: every loop of every worker, through the record),
 * summed over the whole `pane serve`, in base units and Prometheus's names:
 *
 *   pane_http_requests_total{code}            responses sent, by status ("other": the rest)
 *   pane_http_request_duration_seconds        histogram: request to response head (not 101)
 *   pane_websocket_messages_{received,sent}_total
 *   pane_sessions, pane_sessions_connected, pane_sessions_waiting          gauges
 *   pane_sessions_{created,ended,resumed,dropped}_total
 *   pane_page_cache_{hits,misses,bypasses,inserts,evictions,too_big}_total
 *   pane_page_cache_entries, pane_page_cache_bytes, pane_page_cache_max_bytes  gauges
 *   pane_feed_encodings_total, pane_feed_updates_sent_total
 *   pane_feed_delay_seconds                   histogram: a publish to its write
 *   pane_workers, pane_loops                  gauges
 *   pane_worker_restarts_total
 *   pane_worker_resident_memory_bytes{worker} gauge, from /proc/PID/statm
 *   pane_build_info{version}                  1
 *
 * tests/e2e/http_test.c checks the output with `promtool check metrics`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/record.h"
#include "server/internal.h"

static void head(struct pn_buf *b, const char *name, const char *type, const char *help)
{
    pn__buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void one(struct pn_buf *b, const char *name, const char *type, const char *help, uint64_t v)
{
    head(b, name, type, help);
    pn__buf_printf(b, "%s %llu\n", name, (unsigned long long)v);
}

/* A histogram from per-bucket counts (not cumulative) under upper bounds le[] in seconds. */
static void histogram(struct pn_buf *b, const char *name, const char *help, const uint64_t *n,
                      const double *le, int nb, double sum_s)
{
    head(b, name, "histogram", help);
    uint64_t acc = 0;
    for (int i = 0; i < nb; i++) {
        acc += n[i];
        if (isinf(le[i]))
            pn__buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)acc);
        else
            pn__buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", name, le[i], (unsigned long long)acc);
    }
    pn__buf_printf(b, "%s_sum %.6f\n%s_count %llu\n", name, sum_s, name, (unsigned long long)acc);
}

/* The feed delay's log-linear buckets (µs) folded into Prometheus's fixed ones. */
static void feed_delay(struct pn_buf *b, const uint64_t *h)
{
    static const double le[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                0.025,  0.05,    0.1,    0.25,  0.5,    1,     INFINITY};
    enum { NB = sizeof le / sizeof *le };
    uint64_t n[NB] = {0};
    double sum = 0;
    for (int k = 0; k < PN_HIST_BUCKETS; k++) {
        if (!h[k])
            continue;
        double upper = (double)pn__hist_upper(k) / 1e6; /* a bucket's values are below it */
        int i = 0;
        while (i < NB - 1 && upper > le[i] * 1.0000001)
            i++;
        n[i] += h[k];
        sum += (double)h[k] * upper; /* an upper estimate: within 25 % */
    }
    histogram(b, "pane_feed_delay_seconds",
              "Time from a feed's publish to its update written to a socket (upper estimate).", n,
              le, NB, sum);
}

static void render(struct pn_buf *b, const struct pn_admin_view *w)
{
    const struct pn_loop_stats *t = &w->total;
    const struct pn_http_counts *h = &t->http;
    head(b, "pane_http_requests_total", "counter", "HTTP responses sent, by status code.");
    for (int i = 0; i < PN_HTTP_NSTATUS; i++) {
        int code = pn__http_count_statuses[i];
        if (code)
            pn__buf_printf(b, "pane_http_requests_total{code=\"%d\"} %llu\n", code,
                           (unsigned long long)h->status[i]);
        else
            pn__buf_printf(b, "pane_http_requests_total{code=\"other\"} %llu\n",
                           (unsigned long long)h->status[i]);
    }
    histogram(b, "pane_http_request_duration_seconds",
              "Time from a request to its response head (WebSocket upgrades left out).",
              h->duration, pn__http_count_le, PN_HTTP_NDURATION, (double)h->duration_us / 1e6);
    one(b, "pane_websocket_messages_received_total", "counter",
        "WebSocket text and binary messages received from browsers.", h->ws_received);
    one(b, "pane_websocket_messages_sent_total", "counter",
        "WebSocket text and binary messages queued to browsers.", h->ws_sent);

    one(b, "pane_sessions", "gauge", "Live sessions.", t->live);
    one(b, "pane_sessions_connected", "gauge", "Live sessions with a socket.", t->sockets);
    one(b, "pane_sessions_waiting", "gauge",
        "Live sessions without a socket: pages not connected yet, visitors gone.", t->unused);
    one(b, "pane_sessions_created_total", "counter", "Sessions created.", t->created);
    one(b, "pane_sessions_ended_total", "counter", "Sessions ended.", t->destroyed);
    one(b, "pane_sessions_resumed_total", "counter", "Sockets that resumed their page's session.",
        t->resumed);
    one(b, "pane_sessions_dropped_total", "counter",
        "Sessions dropped past --max-unused-sessions before their socket came.", t->dropped);

    one(b, "pane_page_cache_hits_total", "counter", "First pages served from the reuse cache.",
        t->hits);
    one(b, "pane_page_cache_misses_total", "counter", "First pages rendered for the cache.",
        t->misses);
    one(b, "pane_page_cache_bypasses_total", "counter",
        "First pages that could not be cached (cookies set, misuse, over the bounds).",
        t->bypasses);
    one(b, "pane_page_cache_inserts_total", "counter", "Pages put in the reuse cache.", t->inserts);
    one(b, "pane_page_cache_evictions_total", "counter",
        "Pages dropped from the reuse cache to make room.", t->evictions);
    one(b, "pane_page_cache_too_big_total", "counter", "Pages too big for the reuse cache.",
        t->too_big);
    one(b, "pane_page_cache_entries", "gauge", "Pages in the reuse cache.", t->entries);
    one(b, "pane_page_cache_bytes", "gauge", "Bytes of pages in the reuse cache.", t->bytes);
    one(b, "pane_page_cache_max_bytes", "gauge",
        "The reuse cache's bound in bytes, over every loop.", t->max_bytes);

    one(b, "pane_feed_encodings_total", "counter",
        "Value feed publishes encoded (once per publish and format).", t->feed_encodings);
    one(b, "pane_feed_updates_sent_total", "counter", "Value feed updates written to sockets.",
        t->feed_sent);
    feed_delay(b, t->feed_delay);

    one(b, "pane_workers", "gauge", "Worker processes serving.", (uint64_t)w->nworkers);
    one(b, "pane_loops", "gauge", "Event loops serving, over every worker.", (uint64_t)w->loops);
    one(b, "pane_worker_restarts_total", "counter", "Workers started again after they died.",
        pn__admin_restarts());
    head(b, "pane_worker_resident_memory_bytes", "gauge", "Resident memory of each worker.");
    for (int i = 0; i < w->nworkers; i++) {
        long long rss = pn__admin_rss_bytes(w->workers[i].pid);
        if (rss >= 0)
            pn__buf_printf(b, "pane_worker_resident_memory_bytes{worker=\"%d\"} %lld\n",
                           w->workers[i].worker, rss);
    }
    head(b, "pane_build_info", "gauge", "pane's version, as a label.");
    pn__buf_printf(b, "pane_build_info{version=\"%s\"} 1\n", PANE_VERSION_STRING);
}

static void free_body(void *p)
{
    free(p);
}

void pn__metrics_serve(struct pn_server *srv, struct pn_http_conn *c)
{
    struct pn_admin_view *w = pn__xmalloc(sizeof *w);
    pn__admin_view(srv, w);
    struct pn_buf b;
    pn__buf_init(&b, 1u << 20);
    render(&b, w);
    free(w);
    size_t len;
    char *body = pn__buf_steal(&b, &len);
    pn__http_respond(
        c, &(struct pn_http_resp){.status = 200,
                                  .content_type = "text/plain; version=0.0.4; charset=utf-8",
                                  .body = body,
                                  .body_len = len,
                                  .cache_control = "no-store",
                                  .release = free_body,
                                  .release_ud = body});
}
