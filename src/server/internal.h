/*
 * server internals: what the router (server.c), the loops' handoffs and stop requests
 * (loops.c) and the counters (admin.c) share. Not for other modules: they see server.h.
 */
#ifndef PN_SERVER_INTERNAL_H
#define PN_SERVER_INTERNAL_H

#include <stdatomic.h>

#include "base/record.h"
#include "server/auth.h"
#include "server/cache.h"
#include "server/live.h"
#include "server/server.h"

/* A connection moving to this server's loop (--num-threads): an HTTP request not yet
 * answered (the upgrade of a socket whose URL names this loop), or a WebSocket whose hello
 * names a session of this loop (hello set). */
struct handoff {
    struct handoff *next;
    struct pn_net_sock sock; /* the socket (and its TLS session) */
    char *bytes; /* HTTP: the request and what followed; WebSocket: what followed the hello */
    size_t len;
    char *hello; /* WebSocket: the hello message */
    size_t hello_len;
    struct pn_app *app; /* WebSocket: the app the socket is for */
    char *user;         /* WebSocket: who logged in (--basic-auth), or NULL */
};

/*
 * The servers of one process's loops (--num-threads), linked by pn__server_link. A loop hands
 * a connection to another by putting it into that server's inbox (under its mu) and waking
 * its loop. Stopping: a server closes its inbox first (box_open, under mu; what is in it or
 * comes later is closed), then drains its connections and sessions and closes its wake
 * handle; its struct is not freed then, since a peer may still be about to take its mu, but
 * by the last server of the group whose wake handle closes (refs), when no loop of the group
 * can hand anything to anyone any more.
 */
struct pn_server_group {
    atomic_int refs; /* servers whose wake handle is not closed yet */
    int n;
    struct pn_http_counter conns; /* --max-connections: the process's open connections */
    struct pn_server *srv[];
};

struct pn_server {
    struct pn_server_opts o;
    struct pn_http_server *http;
    /* --num-threads: the servers of all loops, this one's index, and its inbox */
    struct pn_server_group *group; /* NULL while not linked */
    int npeers, index;
    uv_async_t wake;
    uv_mutex_t mu;
    struct handoff *inbox; /* under mu */
    struct pn_post *posts, **posts_tail; /* under mu: FIFO */
    bool box_open;         /* under mu: handoffs and stop requests are taken */
    bool stop_requested;   /* under mu */
    bool drain_requested;  /* under mu */
    bool draining, stopped;
    uv_check_t *publish;   /* --admin: the loop's counters to the record, each iteration */
    uv_timer_t *dev_poll;  /* --dev: looks for the supervisor's compile messages (dev.c) */
    uint32_t dev_seen;     /* the record's dev count it last saw */
    /* --reuse-sessions */
    struct pn_cache *cache;
    const struct pn_key_spec *key_spec;
    struct pn_key key;          /* reused for every request */
    struct pn_arena req_arena;  /* values pn_request_* return, reset per request */
    pn_request req;
    struct pn_live_table *live;
    char *css_url, *js_url;
    char *url_prefix; /* root_path + prefix: what every URL in a page starts with */
    struct pn_app *admin_app; /* --admin: the admin page's app (admin_page.c), else NULL */
    char *page_headers; /* security lines of every page (pn__page_security) */
    char *static_real[PN_MAX_STATIC_DIRS]; /* realpath of each static dir */
    /* --basic-auth */
    struct pn_auth_key auth_key;
    struct pn_auth_fails *fails; /* failed logins by address (this loop's) */
    char login_buf[PN_AUTH_MAX_USER + 1];
    const char *login; /* the user of the request being handled (login_buf), or NULL */
    struct login_guard *login_guard; /* server.c: logins being checked see whether it stopped */
    unsigned logins_pending;
};

/* ---- loops.c: --num-threads handoffs and requests from other threads ---- */

/* The inbox and wake handle of a server (before its loop runs). */
void pn__loops_init(struct pn_server *srv, uv_loop_t *loop);
/* Moves c to loop `to` (its session lives there). */
void pn__loops_hand_over(struct pn_server *srv, struct pn_http_conn *c, int to);
/* Stopping, first: nothing more comes in (what is in the inbox, or comes later, is closed). */
void pn__loops_close_inbox(struct pn_server *srv);
/* Stopping, last: closes the wake handle, whose close callback frees srv (and the group's
 * servers with the last of them). */
void pn__loops_release(struct pn_server *srv);

/* ---- dev.c: --dev ---- */
void pn__dev_start(struct pn_server *srv, uv_loop_t *loop);
void pn__dev_stop(struct pn_server *srv);

/* ---- admin.c: --admin counters ---- */

/* Publishes the loop's counters to the record after every iteration (a worker's). */
void pn__admin_start(struct pn_server *srv, uv_loop_t *loop);
void pn__admin_stop(struct pn_server *srv);
/* GET PREFIX/_pane/stats */
void pn__admin_serve_stats(struct pn_server *srv, struct pn_http_conn *c);

/* Every loop's counters (of every worker through the record, else this process's): fn for
 * each, this loop's fresh. Thread: srv's loop. */
typedef void (*pn_admin_line_fn)(void *ud, int worker, pid_t pid, int loop,
                                 const struct pn_loop_stats *st);
void pn__admin_each(struct pn_server *srv, pn_admin_line_fn fn, void *ud);
/* The counts of workers that are gone (the record's), to add to totals. */
void pn__admin_retired(struct pn_loop_stats *out);
uint64_t pn__admin_restarts(void); /* workers restarted after dying (0 without a record) */
/* What every worker serves, summed per worker and in all (the workers gone included): what
 * /metrics and the admin page show. srv: the calling loop's server (its counters fresh), or
 * NULL from app code (admin_page.c), which reads what each loop published after its last
 * iteration. Thread: a loop's. */
#define PN_ADMIN_MAX_WORKERS 64
struct pn_admin_view {
    struct pn_loop_stats total;
    int loops, nworkers;
    struct pn_admin_worker {
        int worker; /* its number (1..), 0 for a process without a supervisor */
        pid_t pid;
        int loops;
        struct pn_loop_stats st;
    } workers[PN_ADMIN_MAX_WORKERS];
};
void pn__admin_view(struct pn_server *srv, struct pn_admin_view *v);
/* A process's resident memory in bytes (/proc/PID/statm), or -1. */
long long pn__admin_rss_bytes(pid_t pid);
/* The admin page (--admin, PREFIX/admin): an app built of pane's own components
 * (admin_page.c), one for the process. */
struct pn_app *pn__admin_app(void);
/* GET PREFIX/metrics (--admin): Prometheus text format 0.0.4 (metrics.c). */
void pn__metrics_serve(struct pn_server *srv, struct pn_http_conn *c);

#endif
