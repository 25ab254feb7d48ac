/*
 * runtime: see runtime.h. Every loop is one of ours (never libuv's default loop, which an
 * embedding program may use for itself).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/images.h"
#include "base/record.h"
#include "render/render.h"
#include "runtime/redis.h"
#include "runtime/runtime.h"

struct pn_runtime {
    struct pn_server_opts o;
    struct pn_tls_ctx *tls; /* --ssl-certfile: made here, once for every loop */
    struct pn_app *apps;
    int napps;
    int n; /* loops started */
    uv_loop_t *loops[PN_MAX_LOOPS];
    struct pn_server *servers[PN_MAX_LOOPS];
    uv_thread_t threads[PN_MAX_LOOPS];
    bool threaded[PN_MAX_LOOPS]; /* runs on a thread of ours */
    struct loop_arg {
        struct pn_runtime *rt;
        int index;
    } args[PN_MAX_LOOPS]; /* a loop's thread's argument */
    bool redis;           /* a user of the process's Redis bridge */
};

/* What the process shares between runtimes (an embedding program may start several): the
 * render tables and the image store's folder, made by the first and freed with the last. (Feeds
 * live as long as the process: a program's thread may still publish after its server stopped.) */
static uv_mutex_t users_mu;
static uv_once_t users_once = UV_ONCE_INIT;
static int users;

static void users_init(void)
{
    uv_mutex_init(&users_mu);
}

/* The image store writes every picture to <cache>/img, where each worker process finds what
 * another one made; without it (a cache folder that is not safe to use, say) pictures are
 * served from the memory of the process that made them only. */
static void images_use(void)
{
    char dir[4200], err[4400];
    if (pn__app_cache_subdir("img", dir, sizeof dir, err, sizeof err) != 0) {
        pn__warn("%s: pictures (pn_image) are kept in memory only, where another worker "
                 "process cannot find them",
                 err);
        pn__images_init(&(struct pn_images_opts){0});
        return;
    }
    pn__images_init(&(struct pn_images_opts){.dir = dir});
}

static int process_use(char *err, size_t errlen)
{
    uv_once(&users_once, users_init);
    uv_mutex_lock(&users_mu);
    int rc = 0;
    if (users++ == 0 && (rc = pn__render_init(err, errlen)) == 0)
        images_use();
    if (rc)
        users--;
    uv_mutex_unlock(&users_mu);
    return rc;
}

static void process_release(void)
{
    uv_mutex_lock(&users_mu);
    if (--users == 0) {
        pn__render_fini();
        pn__images_fini(); /* the writes under way finish first */
    }
    uv_mutex_unlock(&users_mu);
}

/* The process's runtimes by group number (bits 8..15 of their session ids): where a post goes.
 * A runtime leaves the table when it is asked to stop, before its servers can be freed. */
static struct pn_runtime *groups[256];

static int group_add(struct pn_runtime *rt)
{
    uv_mutex_lock(&users_mu);
    int g = 0;
    while (g < 256 && groups[g])
        g++;
    if (g < 256)
        groups[g] = rt;
    uv_mutex_unlock(&users_mu);
    return g < 256 ? g : -1;
}

static void group_remove(struct pn_runtime *rt)
{
    uv_mutex_lock(&users_mu);
    for (int g = 0; g < 256; g++)
        if (groups[g] == rt)
            groups[g] = NULL;
    uv_mutex_unlock(&users_mu);
}

static void run_loop(void *arg)
{
    struct loop_arg *a = arg;
    pn__record_bind_thread(a->index);
    uv_run(a->rt->loops[a->index], UV_RUN_DEFAULT);
    pn__gzip_thread_fini();
}

int pn__runtime_start(const struct pn_runtime_opts *o, struct pn_runtime **out, char *err,
                      size_t errlen)
{
    *out = NULL;
    if (o->nloops < 1 || o->nloops > PN_MAX_LOOPS) {
        snprintf(err, errlen, "%d loops: 1..%d", o->nloops, PN_MAX_LOOPS);
        return PN_EINVAL;
    }
    if (process_use(err, errlen) != 0)
        return PN_EINVAL;
    if (o->redis && pn__redis_start(o->redis, err, errlen) != 0) {
        process_release();
        return PN_EINVAL;
    }
    struct pn_runtime *rt = pn__xcalloc(1, sizeof *rt);
    rt->redis = o->redis != NULL;
    rt->o = o->server;
    rt->apps = o->server.apps;
    rt->napps = (int)o->server.napps;
    for (int i = 0; i < rt->napps; i++)
        if (pn__app_open(&rt->apps[i], err, errlen) != 0) {
            for (int j = 0; j < i; j++)
                pn__app_unload(&rt->apps[j]);
            if (rt->redis)
                pn__redis_stop();
            free(rt);
            process_release();
            return PN_EINVAL;
        }
    struct pn_server_opts so = o->server;
    so.reuseport = o->listen_fds == NULL && o->nloops > 1;
    if (so.ssl_certfile || so.ssl_keyfile) {
        /* read from the files now: a reload's new workers read them again */
        rt->tls = pn__tls_ctx_new(so.ssl_certfile, so.ssl_keyfile, err, errlen);
        if (!rt->tls) {
            for (int j = 0; j < rt->napps; j++)
                pn__app_unload(&rt->apps[j]);
            free(rt);
            process_release();
            return PN_EINVAL;
        }
        char fp[100];
        pn__tls_ctx_fingerprint(rt->tls, fp, sizeof fp);
        pn__debug("TLS certificate %s (SHA-256 %s)", so.ssl_certfile, fp);
    }
    so.tls = rt->tls;
    int g = group_add(rt);
    if (g < 0) {
        snprintf(err, errlen, "more than 256 servers in one process");
        pn__tls_ctx_free(rt->tls);
        for (int j = 0; j < rt->napps; j++)
            pn__app_unload(&rt->apps[j]);
        free(rt);
        process_release();
        return PN_EINVAL;
    }
    so.group = (unsigned)g;
    for (int i = 0; i < rt->napps; i++)
        pn__app_init(&rt->apps[i]); /* once per process, before the first session */
    for (int i = 0; i < o->nloops; i++) {
        rt->args[i] = (struct loop_arg){rt, i};
        rt->loops[i] = pn__xmalloc(sizeof(uv_loop_t));
        uv_loop_init(rt->loops[i]);
        so.listen_fd = o->listen_fds ? &o->listen_fds[i] : NULL;
        if (i > 0 && !o->listen_fds && rt->servers[0]) /* the rest join the first's port */
            so.port = pn__server_port(rt->servers[0]);
        int rc = pn__server_start(rt->loops[i], &so, &rt->servers[i], err, errlen);
        if (rc != 0) { /* the servers started so far stop; every loop, this one too (the
                          failed server closes what it made), runs until its handles closed */
            pn__runtime_stop(rt);
            pn__runtime_free(rt);
            return rc;
        }
        rt->n = i + 1;
    }
    if (o->listen_fds)
        for (int i = 0; i < rt->n; i++)
            close(o->listen_fds[i]); /* every server has its own copy */
    pn__server_link(rt->servers, rt->n);
    for (int i = 0; i < rt->n && (o->warm || o->nwarm); i++) {
        for (int a = 0; o->warm && a < rt->napps; a++) {
            char url[600];
            snprintf(url, sizeof url, "%s/%s", so.prefix ? so.prefix : "", rt->apps[a].name);
            if (pn__server_warm(rt->servers[i], url, err, errlen) != 0)
                pn__warn("%s", err);
        }
        for (int u = 0; u < o->nwarm; u++)
            if (pn__server_warm(rt->servers[i], o->warm_urls[u], err, errlen) != 0) {
                pn__runtime_stop(rt);
                pn__runtime_free(rt); /* runs each loop until its server has closed */
                return PN_EINVAL;
            }
    }
    *out = rt;
    return 0;
}

static int start_threads(struct pn_runtime *rt, int from)
{
    for (int i = from; i < rt->n; i++) {
        if (uv_thread_create(&rt->threads[i], run_loop, &rt->args[i]) != 0)
            return PN_EINVAL;
        rt->threaded[i] = true;
    }
    return 0;
}

void pn__runtime_run(struct pn_runtime *rt)
{
    if (start_threads(rt, 1) != 0)
        pn__runtime_stop(rt);
    pn__record_bind_thread(0);
    uv_run(rt->loops[0], UV_RUN_DEFAULT);
}

int pn__runtime_run_in_background(struct pn_runtime *rt)
{
    int rc = start_threads(rt, 0);
    if (rc != 0)
        pn__runtime_stop(rt);
    return rc;
}

void pn__runtime_stop(struct pn_runtime *rt)
{
    group_remove(rt); /* no post reaches it any more */
    for (int i = 0; i < rt->n; i++)
        pn__server_request_shutdown(rt->servers[i]);
}

bool pn_post(pn_session_id id, pn_post_fn fn, void *data, void (*fallback)(void *data))
{
    struct pn_post *p = pn__xcalloc(1, sizeof *p);
    *p = (struct pn_post){.sid = id, .fn = fn, .data = data, .fallback = fallback};
    int rc = PN_ECLOSED;
    uv_once(&users_once, users_init);
    uv_mutex_lock(&users_mu); /* the runtime and its servers stay while it is in the table */
    struct pn_runtime *rt = fn && id ? groups[(id >> 8) & 0xff] : NULL;
    if (rt && (int)(id & 0xff) < rt->n)
        rc = pn__server_post(rt->servers[id & 0xff], p);
    uv_mutex_unlock(&users_mu);
    if (rc != 0)
        pn__post_drop(p); /* its fallback, here */
    return rc == 0;
}

void pn_post_app(const char *app, pn_post_fn fn, void *data, void (*done)(void *data))
{
    struct pn_post_all *all = pn__xcalloc(1, sizeof *all);
    all->data = data;
    all->done = done;
    atomic_init(&all->left, 1); /* this call's own, dropped at the end */
    uv_once(&users_once, users_init);
    uv_mutex_lock(&users_mu);
    for (int g = 0; app && fn && g < 256; g++)
        for (int i = 0; groups[g] && i < groups[g]->n; i++) {
            struct pn_post *p = pn__xcalloc(1, sizeof *p);
            *p = (struct pn_post){.app = app, .fn = fn, .data = data, .all = all};
            atomic_fetch_add(&all->left, 1);
            if (pn__server_post(groups[g]->servers[i], p) != 0)
                pn__post_drop(p);
        }
    uv_mutex_unlock(&users_mu);
    pn__post_all_release(all); /* this call's count */
}

uv_loop_t *pn__runtime_loop(struct pn_runtime *rt)
{
    return rt->loops[0];
}

int pn__runtime_port(const struct pn_runtime *rt)
{
    return rt->n ? pn__server_port(rt->servers[0]) : 0;
}

void pn__runtime_wait(struct pn_runtime *rt)
{
    for (int i = 0; i < rt->n; i++)
        if (rt->threaded[i])
            uv_thread_join(&rt->threads[i]);
    pn__runtime_free(rt);
}

void pn__runtime_free(struct pn_runtime *rt)
{
    for (int i = 0; i < PN_MAX_LOOPS; i++) {
        if (!rt->loops[i])
            continue;
        if (uv_loop_close(rt->loops[i]) == UV_EBUSY) { /* stopped but never run: close now */
            uv_run(rt->loops[i], UV_RUN_DEFAULT);
            uv_loop_close(rt->loops[i]);
        }
        free(rt->loops[i]);
    }
    if (rt->redis)
        pn__redis_stop(); /* no session shows a feed any more */
    for (int i = 0; i < rt->napps; i++) {
        pn__app_cleanup(&rt->apps[i]); /* every session has ended, no loop runs */
        pn__app_unload(&rt->apps[i]);
    }
    process_release();
    pn__gzip_thread_fini();
    pn__tls_ctx_free(rt->tls); /* every connection is closed: none holds it any more */
    free(rt);
}
