/*
 * embed: the public face of the runtime for a program with its own main (pane.h,
 * "embedding"): its apps are functions, its options a struct; the runtime runs every loop on
 * threads of its own.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/runtime.h"
#include "server/auth.h"

#define MAX_ORIGINS 64

/* What a started server keeps besides its runtime: the apps, the origins, its URL. */
struct embed {
    struct pn_runtime *rt;
    struct pn_app apps[64];
    const char *origins[MAX_ORIGINS];
    char secret[65];
    char url[300];
    struct pn_auth_users *auth; /* --basic-auth's users, or NULL */
};

static struct embed *embeds[64]; /* by runtime: a small table, as a program starts few */
static uv_mutex_t embeds_mu;
static uv_once_t embeds_once = UV_ONCE_INIT;

static void embeds_init(void)
{
    uv_mutex_init(&embeds_mu);
}

static struct embed *embed_of(const pn_server *srv, bool take)
{
    struct embed *e = NULL;
    uv_mutex_lock(&embeds_mu);
    for (size_t i = 0; i < sizeof embeds / sizeof *embeds && !e; i++)
        if (embeds[i] && embeds[i]->rt == srv) {
            e = embeds[i];
            if (take)
                embeds[i] = NULL;
        }
    uv_mutex_unlock(&embeds_mu);
    return e;
}

pn_server *pn_server_start(const pn_server_options *o)
{
    uv_once(&embeds_once, embeds_init);
    if (!o || !o->apps || !o->apps[0].name) {
        pn__error("pn_server_start: no apps (.apps = PN_APPS({\"name\", app_function}))");
        return NULL;
    }
    struct embed *e = pn__xcalloc(1, sizeof *e);
    struct pn_runtime_opts ro = {
        .nloops = o->num_threads ? o->num_threads : 1, .warm = o->warm, .redis = o->redis};
    struct pn_server_opts *so = &ro.server;
    int napps = 0;
    for (; o->apps[napps].name; napps++) {
        const pn_app_def *d = &o->apps[napps];
        if (napps == (int)(sizeof e->apps / sizeof *e->apps) || !d->app || !*d->name ||
            strchr(d->name, '/')) {
            pn__error("pn_server_start: app %d (\"%.60s\"): a name without '/' and a function, "
                      "at most %zu apps",
                      napps + 1, d->name, sizeof e->apps / sizeof *e->apps);
            for (int i = 0; i < napps; i++)
                pn__app_unload(&e->apps[i]);
            free(e);
            return NULL;
        }
        pn__app_builtin(&e->apps[napps], d->name, d->app, d->session_key);
        e->apps[napps].init = d->init;
        e->apps[napps].cleanup = d->cleanup;
    }
    so->apps = e->apps;
    so->napps = napps;
    so->address = o->address;
    so->port = o->port == PN_ANY_PORT ? 0 : o->port ? o->port : 5006;
    so->prefix = o->prefix ? o->prefix : "";
    so->root_path = o->root_path;
    so->use_xheaders = o->use_xheaders;
    so->index = o->index;
    so->reuse_sessions = o->reuse_sessions;
    so->reuse_sessions_warm = o->reuse_sessions && o->reuse_sessions_warm;
    so->global_loading_spinner = o->global_loading_spinner;
    so->admin = o->admin;
    so->ssl_certfile = o->ssl_certfile;
    so->ssl_keyfile = o->ssl_keyfile;
    so->max_connections = o->max_connections > 0 ? (size_t)o->max_connections : 0;
    so->unused_session_lifetime_ms =
        o->unused_session_lifetime_ms > 0 ? (uint64_t)o->unused_session_lifetime_ms : 0;
    for (int i = 0;
         o->allow_websocket_origin && o->allow_websocket_origin[i] && so->norigins < MAX_ORIGINS;
         i++)
        e->origins[so->norigins++] = o->allow_websocket_origin[i];
    so->allowed_origins = e->origins;
    char err[1024];
    if (o->basic_auth) {
        if (pn__auth_users_load(o->basic_auth, &e->auth, err, sizeof err) != 0) {
            pn__error("pn_server_start: %s", err);
            for (int i = 0; i < napps; i++)
                pn__app_unload(&e->apps[i]);
            free(e);
            return NULL;
        }
        so->auth = e->auth;
        so->cookie_secret = o->cookie_secret;
        so->login_expiration_s = o->login_expiration_s > 0 ? (uint64_t)o->login_expiration_s : 0;
    }
    if (o->secret_key) {
        so->secret_key = o->secret_key;
    } else { /* one for every loop: a socket's hello may name a session of another loop */
        pn__secret_random(e->secret);
        so->secret_key = e->secret;
    }
    struct sigaction sa;
    if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN); /* a peer gone mid-write is an error code, not a death */
    if (pn__runtime_start(&ro, &e->rt, err, sizeof err) != 0) {
        pn__error("pn_server_start: %s", err);
        pn__auth_users_free(e->auth);
        free(e);
        return NULL;
    }
    if (pn__runtime_run_in_background(e->rt) != 0) {
        pn__error("pn_server_start: cannot start the loops' threads");
        pn__runtime_stop(e->rt);
        pn__runtime_free(e->rt);
        pn__auth_users_free(e->auth);
        free(e);
        return NULL;
    }
    const char *host = o->address && strcmp(o->address, "0.0.0.0") ? o->address : "127.0.0.1";
    const char *scheme = o->ssl_certfile ? "https" : "http";
    snprintf(e->url, sizeof e->url, strchr(host, ':') ? "%s://[%s]:%d%s" : "%s://%s:%d%s", scheme,
             host, pn__runtime_port(e->rt), so->prefix);
    uv_mutex_lock(&embeds_mu);
    size_t i = 0;
    while (i < sizeof embeds / sizeof *embeds && embeds[i])
        i++;
    if (i < sizeof embeds / sizeof *embeds)
        embeds[i] = e;
    uv_mutex_unlock(&embeds_mu);
    if (i == sizeof embeds / sizeof *embeds) {
        pn__error("pn_server_start: more than %zu servers in one process", i);
        pn__runtime_stop(e->rt);
        pn__runtime_wait(e->rt);
        pn__auth_users_free(e->auth);
        free(e);
        return NULL;
    }
    pn__info("serving %s", e->url);
    return e->rt;
}

const char *pn_server_url(const pn_server *srv)
{
    struct embed *e = srv ? embed_of(srv, false) : NULL;
    return e ? e->url : "";
}

void pn_server_stop(pn_server *srv)
{
    struct embed *e = srv ? embed_of(srv, true) : NULL;
    if (!e)
        return;
    pn__runtime_stop(e->rt);
    pn__runtime_wait(e->rt); /* joins the loops' threads, unloads (frees) the apps */
    pn__auth_users_free(e->auth);
    free(e);
}
