/*
 * server: what pane serves. The router maps a request to an app's page, an embedded asset, a
 * static directory or the index; pages are made by running the app on a fresh session and
 * rendering it. server is the only module that knows both net and doc.
 */
#ifndef PN_SERVER_H
#define PN_SERVER_H

#include <uv.h>

#include "app/app.h"
#include "base/base.h"
#include "net/net.h"

#define PN_MAX_STATIC_DIRS 16

struct pn_static_dir {
    const char *name; /* URL segment: /NAME/... */
    const char *path; /* directory on disk */
};

struct pn_server_opts {
    const char *address; /* default: all interfaces ("0.0.0.0"), as panel serve */
    int port;            /* default 5006 (0: any free port) */
    const char *prefix;  /* URL prefix, "" or "/app-root" (no trailing slash) */
    const char *index;   /* app name served at "/" (default: the only app, else a list) */
    struct pn_static_dir static_dirs[PN_MAX_STATIC_DIRS];
    int nstatic;
    struct pn_http_limits limits;
    struct pn_app *apps;
    int napps;
};

struct pn_server;

/* Starts serving on loop. Returns 0, or an error with a message. */
int pn__server_start(uv_loop_t *loop, const struct pn_server_opts *o, struct pn_server **out,
                     char *err, size_t errlen);
int pn__server_port(const struct pn_server *srv);
void pn__server_stop(struct pn_server *srv);

/* The app-facing view of an HTTP request (pn_request in pane.h). */
struct pn_request {
    const struct pn_http_req *http;
    struct pn_arena *arena; /* decoded values live here, as long as the request */
};

/* A session key under construction (pn_key in pane.h). */
struct pn_key {
    struct pn_buf buf;
};

#endif
