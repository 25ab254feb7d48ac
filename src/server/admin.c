/*
 * admin: --admin's counters. Each loop publishes its page cache and session counters to its
 * line of the supervisor's record after every loop iteration (a uv_check handle), so that
 * GET PREFIX/_pane/stats, on whichever loop of whichever worker, adds up all of them
 * (docs/internals/workers.md). metrics.c exports the same for Prometheus.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/record.h"
#include "server/internal.h"

static void free_body(void *p)
{
    free(p);
}

static void free_handle(uv_handle_t *h)
{
    free(h);
}

static void stats_of(const struct pn_server *srv, struct pn_loop_stats *st)
{
    const struct pn_cache *k = srv->cache;
    const struct pn_live_table *t = srv->live;
    *st = (struct pn_loop_stats){0};
    if (k)
        *st = (struct pn_loop_stats){.cache_enabled = 1,
                                     .hits = k->hits,
                                     .misses = k->misses,
                                     .bypasses = k->bypasses,
                                     .inserts = k->inserts,
                                     .evictions = k->evictions,
                                     .too_big = k->too_big,
                                     .entries = k->entries,
                                     .bytes = k->bytes,
                                     .max_entries = k->max_entries,
                                     .max_bytes = k->max_bytes};
    st->live = t->count;
    st->sockets = t->sockets;
    st->unused = t->unused;
    st->max_unused = t->o->max_unused_sessions;
    st->created = t->created;
    st->destroyed = t->destroyed;
    st->resumed = t->resumed;
    st->dropped = t->dropped;
    st->feed_encodings = srv->index == 0 ? pn__feed_encodings() : 0; /* process-wide */
    st->feed_sent = t->feed_sent;
    memcpy(st->feed_delay, t->feed_delay, sizeof st->feed_delay);
    if (srv->http)
        st->http = *pn__http_server_counts(srv->http);
}

/* This loop's line of the record (worker processes), or NULL. */
static struct pn_record_line *record_line(const struct pn_server *srv)
{
    int slot;
    struct pn_record *rec = pn__record_current(&slot);
    if (!rec || srv->index >= pn__record_loops(rec))
        return NULL;
    return pn__record_line(rec, slot, srv->index);
}

/* Without a record (a program that embeds pane): each admin loop's counters, process-wide,
 * for app code (the admin page), which runs on some loop and cannot read the others'. */
#define LOCAL_MAX 64
static pthread_mutex_t local_mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    const struct pn_server *srv;
    struct pn_loop_stats st;
} local[LOCAL_MAX];

static void on_publish(uv_check_t *h)
{
    struct pn_server *srv = h->data;
    struct pn_record_line *l = record_line(srv);
    struct pn_loop_stats st;
    stats_of(srv, &st);
    if (l) {
        pn__stats_publish(l, &st);
        return;
    }
    pthread_mutex_lock(&local_mu);
    for (int i = 0; i < LOCAL_MAX; i++)
        if (local[i].srv == srv) {
            local[i].st = st;
            break;
        }
    pthread_mutex_unlock(&local_mu);
}

static void local_use(const struct pn_server *srv, bool on)
{
    pthread_mutex_lock(&local_mu);
    for (int i = 0; i < LOCAL_MAX; i++)
        if (on ? local[i].srv == NULL : local[i].srv == srv) {
            local[i].srv = on ? srv : NULL;
            local[i].st = (struct pn_loop_stats){0};
            break;
        }
    pthread_mutex_unlock(&local_mu);
}

static void stats_json(struct pn_buf *b, const struct pn_loop_stats *st)
{
    pn__buf_printf(b,
                   "\"cache\":{\"enabled\":%s,\"hits\":%llu,\"misses\":%llu,\"bypasses\":%llu,"
                   "\"inserts\":%llu,\"evictions\":%llu,\"too_big\":%llu,\"entries\":%llu,"
                   "\"bytes\":%llu,\"max_entries\":%llu,\"max_bytes\":%llu},"
                   "\"sessions\":{\"live\":%llu,\"sockets\":%llu,\"unused\":%llu,"
                   "\"max_unused\":%llu,\"created\":%llu,\"destroyed\":%llu,\"resumed\":%llu,"
                   "\"dropped\":%llu},\"feeds\":{\"encodings\":%llu,\"sent\":%llu,"
                   "\"delay_us\":{\"p50\":%llu,\"p99\":%llu,\"max\":%llu}}",
                   st->cache_enabled ? "true" : "false", (unsigned long long)st->hits,
                   (unsigned long long)st->misses, (unsigned long long)st->bypasses,
                   (unsigned long long)st->inserts, (unsigned long long)st->evictions,
                   (unsigned long long)st->too_big, (unsigned long long)st->entries,
                   (unsigned long long)st->bytes, (unsigned long long)st->max_entries,
                   (unsigned long long)st->max_bytes, (unsigned long long)st->live,
                   (unsigned long long)st->sockets, (unsigned long long)st->unused,
                   (unsigned long long)st->max_unused, (unsigned long long)st->created,
                   (unsigned long long)st->destroyed, (unsigned long long)st->resumed,
                   (unsigned long long)st->dropped, (unsigned long long)st->feed_encodings,
                   (unsigned long long)st->feed_sent,
                   (unsigned long long)pn__hist_quantile(st->feed_delay, 0.5),
                   (unsigned long long)pn__hist_quantile(st->feed_delay, 0.99),
                   (unsigned long long)pn__hist_quantile(st->feed_delay, 1));
}

void pn__admin_each(struct pn_server *srv, pn_admin_line_fn fn, void *ud)
{
    int slot_here;
    struct pn_record *rec = pn__record_current(&slot_here);
    if (srv && srv->publish)
        on_publish(srv->publish); /* this loop's are fresh */
    struct pn_loop_stats st;
    if (!rec && srv && !srv->publish) {
        stats_of(srv, &st);
        fn(ud, 0, getpid(), srv->index, &st);
        return;
    }
    if (!rec) {
        pthread_mutex_lock(&local_mu);
        for (int i = 0; i < LOCAL_MAX; i++)
            if (local[i].srv)
                fn(ud, 0, getpid(), local[i].srv->index, &local[i].st);
        pthread_mutex_unlock(&local_mu);
        return;
    }
    for (int slot = 0; slot < pn__record_slots(rec); slot++) {
        int worker;
        pid_t pid = pn__record_pid(rec, slot, &worker);
        for (int l = 0; pid && l < pn__record_loops(rec); l++) {
            struct pn_record_line *line = pn__record_line(rec, slot, l);
            if (!atomic_load(&line->used))
                continue;
            pn__stats_read(line, &st);
            fn(ud, worker, pid, l, &st);
        }
    }
}

void pn__admin_retired(struct pn_loop_stats *out)
{
    int slot;
    struct pn_record *rec = pn__record_current(&slot);
    *out = (struct pn_loop_stats){0};
    if (rec)
        pn__record_retired(rec, out);
}

uint64_t pn__admin_restarts(void)
{
    int slot;
    struct pn_record *rec = pn__record_current(&slot);
    return rec ? pn__record_restarts(rec) : 0;
}

struct stats_walk {
    struct pn_loop_stats total;
    struct pn_buf *workers;
    pid_t pid; /* the worker whose loops are being listed, 0 before the first */
};

static void stats_line(void *ud, int worker, pid_t pid, int loop, const struct pn_loop_stats *st)
{
    struct stats_walk *w = ud;
    pn__stats_add(&w->total, st);
    if (pid != w->pid) {
        pn__buf_printf(w->workers, "%s{\"worker\":%d,\"pid\":%d,\"loops\":[", w->pid ? "]}," : "",
                       worker, (int)pid);
        w->pid = pid;
    } else {
        pn__buf_putc(w->workers, ',');
    }
    pn__buf_printf(w->workers, "{\"loop\":%d,", loop);
    stats_json(w->workers, st);
    pn__buf_putc(w->workers, '}');
}

/*
 * GET /_pane/stats: the counters of every loop of every worker (each loop publishes its own
 * to the record after every iteration; this loop's are fresh), summed at the top level and
 * listed per worker with its pid. Without a record (a single process): this process's loops.
 */
void pn__admin_serve_stats(struct pn_server *srv, struct pn_http_conn *c)
{
    struct pn_buf b, workers;
    pn__buf_init(&b, 1u << 20);
    pn__buf_init(&workers, 1u << 20);
    struct stats_walk w = {.workers = &workers};
    pn__admin_retired(&w.total); /* workers gone count in the totals */
    pn__admin_each(srv, stats_line, &w);
    if (w.pid)
        pn__buf_puts(&workers, "]}");
    pn__buf_printf(&b, "{\"pid\":%d,\"loop\":%d,", (int)getpid(), srv->index);
    stats_json(&b, &w.total);
    pn__buf_puts(&b, ",\"workers\":[");
    pn__buf_append(&b, workers.data, workers.len);
    pn__buf_puts(&b, "]}\n");
    pn__buf_fini(&workers);
    size_t len;
    char *body = pn__buf_steal(&b, &len);
    pn__http_respond(c, &(struct pn_http_resp){.status = 200,
                                               .content_type = "application/json",
                                               .body = body,
                                               .body_len = len,
                                               .cache_control = "no-store",
                                               .release = free_body,
                                               .release_ud = body});
}

static void view_line(void *ud, int worker, pid_t pid, int loop, const struct pn_loop_stats *st)
{
    (void)loop;
    struct pn_admin_view *v = ud;
    pn__stats_add(&v->total, st);
    v->loops++;
    int i = 0;
    while (i < v->nworkers && v->workers[i].pid != pid)
        i++;
    if (i == v->nworkers) {
        if (i == PN_ADMIN_MAX_WORKERS)
            return;
        v->workers[v->nworkers++] = (struct pn_admin_worker){.worker = worker, .pid = pid};
    }
    v->workers[i].loops++;
    pn__stats_add(&v->workers[i].st, st);
}

void pn__admin_view(struct pn_server *srv, struct pn_admin_view *v)
{
    memset(v, 0, sizeof *v);
    pn__admin_retired(&v->total); /* counters never go down when a worker is replaced */
    pn__admin_each(srv, view_line, v);
}

long long pn__admin_rss_bytes(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
    FILE *f = fopen(path, "r");
    long size = 0, rss = -1;
    if (f && fscanf(f, "%ld %ld", &size, &rss) != 2)
        rss = -1;
    if (f)
        fclose(f);
    return rss < 0 ? -1 : (long long)rss * sysconf(_SC_PAGESIZE);
}

void pn__admin_start(struct pn_server *srv, uv_loop_t *loop)
{
    local_use(srv, true);
    srv->publish = pn__xmalloc(sizeof *srv->publish);
    uv_check_init(loop, srv->publish);
    srv->publish->data = srv;
    uv_check_start(srv->publish, on_publish);
    uv_unref((uv_handle_t *)srv->publish);
}

void pn__admin_stop(struct pn_server *srv)
{
    if (srv->publish)
        local_use(srv, false);
    if (srv->publish)
        uv_close((uv_handle_t *)srv->publish, free_handle);
    srv->publish = NULL;
}
