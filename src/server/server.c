/*
 * server: the router and the page path.
 *
 *   PREFIX/                      the index app (redirect), or a list of apps
 *   PREFIX/<app>, PREFIX/<app>/  a page: a fresh session runs pn_app and is rendered
 *   PREFIX/static/<etag>/<file>  an embedded client asset, immutable (the etag is in the URL)
 *   PREFIX/_pane/img/<hash.ext>  a picture of pn_image, immutable (its content's hash)
 *   PREFIX/<name>/<path>         a --static-dirs directory
 *
 * Pages and assets answer GET and HEAD; other methods get 405 with Allow. Anything else is
 * 404. The page path is the non-reuse path of DESIGN.md §1 step 3. A server's life (start,
 * graceful shutdown, stop) is here too; its handoffs to other loops are in loops.c, its
 * --admin counters in admin.c (what they share: internal.h).
 */
#include <errno.h>
#include <openssl/crypto.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/record.h"
#include "doc/doc.h"
#include "render/render.h"
#include "server/internal.h"

#define MAX_PAGE PN_MAX_DOC /* a page that is served can also be sent live */
#define GZIP_MIN 256        /* smaller pages are sent as they are */

static bool is_get_or_head(const struct pn_http_req *r)
{
    return r->method == HTTP_GET || r->method == HTTP_HEAD;
}

static void respond_405(struct pn_http_conn *c)
{
    pn__http_respond_text(c, 405, "Allow: GET, HEAD\r\n");
}

/* ---- pages ---- */

/* The pn_request of r, in the loop's request arena (reset for every request: no malloc once
 * warm). Valid until the next call. */
static pn_request *request_begin(struct pn_server *srv, const struct pn_http_req *r)
{
    pn__arena_reset(&srv->req_arena);
    srv->req = (pn_request){.http = r, .arena = &srv->req_arena};
    return &srv->req;
}

/* Builds app's page for request r into page (HTML). A live session (its token embedded) when
 * live is given, else a page-only session for the reuse cache (no token, no timers). Returns
 * the session's misuse count and its Set-Cookie lines (copied to *cookies, heap) or -1. */
static int build_page(struct pn_server *srv, const struct pn_http_req *r, struct pn_app *app,
                      bool live_session, struct pn_buf *page, char **cookies)
{
    pn_request *req = request_begin(srv, r);
    struct pn_live *live = NULL;
    pn_session *s;
    if (live_session) {
        live = pn__live_create(srv->live, app, r->query, req, srv->login);
        s = live->s;
    } else {
        s = pn__session_new(&(struct pn_session_init){.app_name = app->name,
                                                      .prefix = srv->url_prefix,
                                                      .query = r->query,
                                                      .req = req,
                                                      .user = srv->login});
        pn__entry_enter(PN_ENTRY_APP, app->name, 0, "request \"%.*s %.*s\"",
                        (int)r->method_name.len, r->method_name.ptr, (int)r->url.len, r->url.ptr);
        app->build(s);
        pn__entry_leave();
        s->req = NULL;
    }
    if (s->tmpl.name && !pn__render_has_template(s->tmpl.name)) {
        pn__session_misuse(s, s->tmpl_here,
                           "unknown template \"%.40s\" (default, material, bootstrap, fast)",
                           s->tmpl.name);
        s->tmpl.name = NULL;
    }
    char app_path[512], ws_path[520];
    snprintf(app_path, sizeof app_path, "%s/%s", srv->url_prefix, app->name);
    if (live && srv->npeers > 1) /* the socket names its session's loop, to be routed there */
        snprintf(ws_path, sizeof ws_path, "%s/ws/%d", app_path, srv->index);
    else
        snprintf(ws_path, sizeof ws_path, "%s/ws", app_path);
    struct pn_page_ctx ctx = {.css_url = srv->css_url,
                              .js_url = srv->js_url,
                              .app_path = app_path,
                              .prefix = srv->url_prefix,
                              .ws_path = ws_path,
                              .token = live ? live->token : NULL,
                              .spinner = srv->o.global_loading_spinner,
                              .dev = srv->o.dev};
    int rc = pn__render_page(page, s, &ctx);
    int misuse = (int)s->nmisuse;
    *cookies = s->cookies ? pn__xstrdup(s->cookies) : NULL;
    if (rc != 0) {
        pn__error("%s: rendering the page failed: %s", app->name, pn__strerror(rc));
        misuse = -1;
    }
    if (live && rc != 0)
        pn__live_destroy(live);
    if (!live)
        pn__session_free(s);
    return misuse;
}

/* The bytes of one page response, freed once written: its head, and its body in html, gz or
 * a cache variant. */
struct page_out {
    char *head;
    char *html, *gz;
    struct pn_cache_blob *blob;
};

static void page_out_free(void *ud)
{
    struct page_out *o = ud;
    free(o->head);
    free(o->html);
    free(o->gz);
    pn__cache_blob_unref(o->blob);
    free(o);
}

/* Writes a page: the head made from h's parts, then body (len bytes, owned by o). */
static void respond_page(struct pn_http_conn *c, const struct pn_page_head *h, struct page_out *o,
                         const void *body, size_t len)
{
    struct pn_buf head;
    pn__buf_init(&head, PN_HTTP_MAX_HEAD);
    int rc = pn__page_head(&head, h);
    if (rc != 0) {
        pn__error("%s: the page's response head was not made: %s (cookies over %d bytes?)",
                  pn__http_conn_peer(c), pn__strerror(rc), PN_HTTP_MAX_HEAD);
        pn__buf_fini(&head);
        page_out_free(o);
        pn__http_respond_text(c, 500, NULL);
        return;
    }
    size_t head_len;
    o->head = pn__buf_steal(&head, &head_len);
    pn__http_respond_prepared(c, &(struct pn_http_prepared){.status = 200,
                                                            .head = o->head,
                                                            .head_len = head_len,
                                                            .body = body,
                                                            .body_len = len,
                                                            .etag = h->etag,
                                                            .release = page_out_free,
                                                            .release_ud = o});
}

/* A page made for this request alone (the non-reuse path, the reuse path's bypass, the index):
 * gzip at level 1 when the client takes it, as the page is sent once. Takes page and cookies. */
static void serve_built(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r,
                        struct pn_buf *page, char *cookies, const char *cache,
                        const char *cache_control)
{
    struct page_out *o = pn__xcalloc(1, sizeof *o);
    size_t len, gz_len;
    o->html = pn__buf_steal(page, &len);
    const void *body = o->html;
    bool gz = false;
    if (r->accept_gzip && len >= GZIP_MIN && pn__gzip(o->html, len, 1, &o->gz, &gz_len) == 0) {
        body = o->gz;
        len = gz_len;
        gz = true;
    }
    respond_page(c,
                 &(struct pn_page_head){.security = srv->page_headers,
                                        .cache = cache,
                                        .cookies = cookies,
                                        .cache_control = cache_control,
                                        .length = len,
                                        .gzip = gz},
                 o, body, len);
    free(cookies);
}

/* A variant of cache entry e: "hit" bytes as prepared, or with the head of a miss. */
static void serve_cached(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r,
                         struct pn_cache_entry *e, const char *miss, const char *cookies)
{
    struct pn_cache_blob *b = r->accept_gzip && e->gz ? e->gz : e->plain;
    pn__cache_blob_ref(b); /* the entry may be evicted, its gzip swapped, while this is written */
    const char *body = b->data + b->hdr;
    size_t len = b->len - b->hdr;
    if (!miss && !cookies) { /* a hit: the head prepared with the page */
        pn__http_respond_prepared(c, &(struct pn_http_prepared){.status = 200,
                                                                .head = b->data,
                                                                .head_len = b->hdr,
                                                                .body = body,
                                                                .body_len = len,
                                                                .etag = e->etag,
                                                                .release = pn__cache_blob_unref,
                                                                .release_ud = b});
        return;
    }
    struct page_out *o = pn__xcalloc(1, sizeof *o);
    o->blob = b;
    /* a page with a visitor's cookie (--reuse-sessions warm) is that visitor's: no-store */
    respond_page(c,
                 &(struct pn_page_head){.security = srv->page_headers,
                                        .cache = miss ? miss : "hit",
                                        .cookies = cookies,
                                        .cache_control =
                                            cookies ? "no-store" : pn__cache_control(srv->cache),
                                        .etag = cookies ? NULL : e->etag,
                                        .length = len,
                                        .gzip = b == e->gz},
                 o, body, len);
}

static bool request_secure(const struct pn_server *srv, const struct pn_http_req *r);

/* --reuse-sessions warm: the cached page, and the visitor's own session made right after it
 * is sent (its pn_app runs while the page travels and its scripts load); its token goes with
 * the page in a cookie scoped to the app's path, which the page's socket sends with its
 * upgrade, so that its hello finds the session built. Such a page is the visitor's: no-store. */
static void serve_cached_warm(struct pn_server *srv, struct pn_http_conn *c,
                              const struct pn_http_req *r, struct pn_cache_entry *e,
                              struct pn_app *app)
{
    struct pn_live *live = pn__live_open(srv->live, app, r->query, srv->login);
    char cookie[600];
    snprintf(cookie, sizeof cookie,
             "Set-Cookie: " PN_WARM_COOKIE "=%s; Path=%s/%s; Max-Age=%llu; HttpOnly; "
             "SameSite=Strict%s\r\n",
             live->token, srv->url_prefix, app->name,
             (unsigned long long)(srv->live->o->unused_session_lifetime_ms / 1000 + 1),
             request_secure(srv, r) ? "; Secure" : "");
    serve_cached(srv, c, r, e, NULL, cookie);
    pn__live_build(live); /* the response is on its way (written, or queued) */
}

/* Fills the reuse cache: renders app's page for r in a page-only session (no token, no timers)
 * and stores it under key. Returns 0 with *out (a reference for the caller), 1 when the page
 * must not be stored (misuse, a cookie, a key that did not fit: page and cookies are left for
 * the caller to serve once), or -1 when rendering failed. */
static int cache_fill(struct pn_server *srv, const struct pn_http_req *r, struct pn_app *app,
                      pn_str key, uint64_t hash, struct pn_buf *page, char **cookies,
                      struct pn_cache_entry **out)
{
    int misuse = build_page(srv, r, app, false, page, cookies);
    if (misuse < 0)
        return -1;
    if (misuse > 0 || *cookies || srv->key.overflow)
        return 1;
    *out = pn__cache_put(srv->cache, key, hash,
                         &(struct pn_cache_page){page->data, page->len, srv->page_headers});
    if (!*out) {
        pn__error("%s: the page's head is over %d bytes", app->name, PN_HTTP_MAX_HEAD);
        return -1;
    }
    pn__buf_fini(page);
    return 0;
}

/* The app served at /NAME: one of the apps, or with --admin the admin page at /admin (an app
 * of that name comes first). NULL: none. */
static struct pn_app *app_named(struct pn_server *srv, pn_str name)
{
    for (int i = 0; i < srv->o.napps; i++)
        if (pn__str_eq(name, pn__str(srv->o.apps[i].name)))
            return &srv->o.apps[i];
    if (srv->admin_app && pn__str_eq(name, PN_STRLIT("admin")))
        return srv->admin_app;
    return NULL;
}

static void serve_page(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r,
                       struct pn_app *app)
{
    struct pn_buf page;
    pn__buf_init(&page, MAX_PAGE);
    char *cookies = NULL;
    if (!srv->cache || app == srv->admin_app) { /* the admin page: this second's figures */
        if (build_page(srv, r, app, true, &page, &cookies) < 0) {
            pn__buf_fini(&page);
            free(cookies);
            pn__http_respond_text(c, 500, NULL);
            return;
        }
        serve_built(srv, c, r, &page, cookies, NULL, "no-store");
        return;
    }

    /* --reuse-sessions: the cached page for this request's key */
    pn__key_compute(app, srv->key_spec, request_begin(srv, r), srv->login, &srv->key);
    pn_str key = {srv->key.buf.data, srv->key.buf.len};
    uint64_t hash = srv->key.overflow ? 0 : pn__cache_hash(srv->cache, key);
    struct pn_cache_entry *e = srv->key.overflow ? NULL : pn__cache_get(srv->cache, key, hash);
    if (e) {
        if (srv->o.reuse_sessions_warm)
            serve_cached_warm(srv, c, r, e, app);
        else
            serve_cached(srv, c, r, e, NULL, NULL);
        return;
    }
    int rc = cache_fill(srv, r, app, key, hash, &page, &cookies, &e);
    if (rc < 0) {
        pn__buf_fini(&page);
        free(cookies);
        pn__http_respond_text(c, 500, NULL);
        return;
    }
    if (rc > 0) {
        /* private to this visitor (a cookie) or not right (misuse): serve, never store */
        srv->cache->bypasses++;
        serve_built(srv, c, r, &page, cookies, "bypass", "no-store");
        return;
    }
    srv->cache->misses++;
    serve_cached(srv, c, r, e, e->stored ? "miss" : "bypass", NULL);
    pn__cache_unref(e);
}

/* Renders and stores the page of url ("/weather?city=Paris") before the port opens (--warm).
 * Returns 0, or PN_ENOTFOUND when url is not an app's page. */
int pn__server_warm(struct pn_server *srv, const char *url, char *err, size_t errlen)
{
    char raw[9000];
    int n = snprintf(raw, sizeof raw, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n", url);
    struct pn_arena arena;
    pn__arena_init(&arena, 1024);
    struct pn_http_req r;
    size_t used;
    struct pn_http_limits lim = {0};
    if (n < 0 || (size_t)n >= sizeof raw ||
        pn__http_parse(raw, (size_t)n, &lim, &arena, &r, &used) != 0) {
        snprintf(err, errlen, "--warm-url %s: not a valid URL path", url);
        pn__arena_fini(&arena);
        return PN_EINVAL;
    }
    pn_str path = r.path;
    pn_str prefix = pn__str(srv->o.prefix);
    struct pn_app *app = NULL;
    if (pn__str_has_prefix(path, prefix) && path.len > prefix.len + 1 &&
        path.ptr[prefix.len] == '/') {
        pn_str name = {path.ptr + prefix.len + 1, path.len - prefix.len - 1};
        if (name.len && name.ptr[name.len - 1] == '/')
            name.len--;
        for (int i = 0; i < srv->o.napps; i++)
            if (pn__str_eq(name, pn__str(srv->o.apps[i].name)))
                app = &srv->o.apps[i];
    }
    if (!app) {
        snprintf(err, errlen, "--warm-url %s: no app is served there", url);
        pn__arena_fini(&arena);
        return PN_ENOTFOUND;
    }
    srv->login = NULL; /* no one: with login on only a shared key's page is stored */
    pn__key_compute(app, srv->key_spec, request_begin(srv, &r), NULL, &srv->key);
    if (srv->o.auth && !srv->key.shared) {
        pn__info("--warm %s: not warmed, its key is per user with --basic-auth (pn_key_shared "
                 "or `shared` in --session-key makes it one page for all)",
                 url);
        pn__arena_fini(&arena);
        return 0;
    }
    pn_str key = {srv->key.buf.data, srv->key.buf.len};
    uint64_t hash = srv->key.overflow ? 0 : pn__cache_hash(srv->cache, key);
    struct pn_buf page;
    pn__buf_init(&page, MAX_PAGE);
    char *cookies = NULL;
    struct pn_cache_entry *e = NULL;
    int rc = cache_fill(srv, &r, app, key, hash, &page, &cookies, &e);
    if (rc != 0) {
        snprintf(err, errlen, "--warm %s: the page %s, so it is not cached", url,
                 rc < 0    ? "failed to render"
                 : cookies ? "sets a cookie"
                           : "recorded errors");
        rc = PN_EINVAL;
    } else {
        pn__cache_unref(e);
        pn__info("warmed %s", url);
    }
    free(cookies);
    pn__buf_fini(&page);
    pn__arena_fini(&arena);
    return rc;
}

/* host[:port] with a missing port made dflt (":80", ":443": the scheme's, as Bokeh does with
 * ":80" on both sides), so an Origin's host and a Host header compare as strings. */
static bool with_port(pn_str host, const char *dflt, char *out, size_t outlen)
{
    if (!host.ptr || host.len == 0 || memchr(host.ptr, '/', host.len))
        return false;
    bool has_port = host.ptr[host.len - 1] != ']' && memchr(host.ptr, ':', host.len) &&
                    (host.ptr[0] != '[' || memmem(host.ptr, host.len, "]:", 2));
    int n = snprintf(out, outlen, "%.*s%s", (int)host.len, host.ptr, has_port ? "" : dflt);
    return n > 0 && (size_t)n < outlen;
}

/* The host[:port] of an Origin ("https://example.com" → "example.com:443"), and its scheme's
 * default port in *dflt. */
static bool origin_host(pn_str origin, const char **dflt, char *out, size_t outlen)
{
    const char *sep = origin.ptr ? memmem(origin.ptr, origin.len, "://", 3) : NULL;
    if (!sep)
        return false;
    size_t skip = (size_t)(sep - origin.ptr) + 3;
    *dflt = pn__str_ieq((pn_str){origin.ptr, skip - 3}, PN_STRLIT("https")) ? ":443" : ":80";
    return with_port((pn_str){sep + 3, origin.len - skip}, *dflt, out, outlen);
}

static bool origin_allowed(struct pn_server *srv, const struct pn_http_req *r)
{
    pn_str origin = pn__http_header(r, "origin");
    if (!origin.ptr)
        return true; /* not a browser: Origin is a browser's CSRF defence, nothing to check */
    char have[300], want[300];
    const char *odflt;
    if (!origin_host(origin, &odflt, have, sizeof have))
        return false;
    if (srv->o.norigins == 0) {
        /* the page's own origin: its scheme (TLS here, or what the proxy says) and host */
        pn_str host = pn__http_header(r, "host");
        bool https = r->secure, known = r->secure;
        if (srv->o.use_xheaders) { /* the host the client asked the proxy for */
            struct pn_http_forwarded f;
            pn__http_forwarded(r, &f);
            if (f.host.ptr)
                host = f.host;
            if (f.proto[0] && !r->secure) {
                https = !strcmp(f.proto, "https");
                known = true;
            }
        }
        if (!known) {
            /* plain HTTP, maybe behind a proxy that terminates TLS and says nothing of it: the
             * scheme is not known, hosts compare with ":80" for a missing port on both sides */
            const char *sep = memmem(origin.ptr, origin.len, "://", 3); /* (checked above) */
            size_t skip = (size_t)(sep - origin.ptr) + 3;
            return with_port((pn_str){sep + 3, origin.len - skip}, ":80", have, sizeof have) &&
                   with_port(host, ":80", want, sizeof want) &&
                   pn__str_ieq(pn__str(have), pn__str(want));
        }
        /* the scheme is known: the same origin is the same scheme, host and port */
        bool origin_https = !strcmp(odflt, ":443");
        return origin_https == https &&
               with_port(host, https ? ":443" : ":80", want, sizeof want) &&
               pn__str_ieq(pn__str(have), pn__str(want));
    }
    for (int i = 0; i < srv->o.norigins; i++) {
        const char *a = srv->o.allowed_origins[i];
        if (!strcmp(a, "*"))
            return true;
        /* an entry without a port: the origin's scheme's default */
        if (with_port(pn__str(a), odflt, want, sizeof want) &&
            pn__str_ieq(pn__str(have), pn__str(want)))
            return true;
    }
    return false;
}

static void serve_ws(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r,
                     struct pn_app *app, pn_str loop_hint)
{
    if (loop_hint.len && srv->npeers > 1) {
        int to = 0;
        for (size_t i = 0; i < loop_hint.len && i < 4; i++)
            to = loop_hint.ptr[i] >= '0' && loop_hint.ptr[i] <= '9'
                     ? to * 10 + (loop_hint.ptr[i] - '0')
                     : -1000;
        if (to >= 0 && to < srv->npeers && to != srv->index && r->upgrade) {
            pn__loops_hand_over(srv, c, to);
            return;
        }
    }
    if (r->method != HTTP_GET) {
        respond_405(c);
        return;
    }
    if (!r->upgrade) {
        pn__http_respond_text(c, 426, "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n");
        return;
    }
    if (!origin_allowed(srv, r)) {
        pn_str o = pn__http_header(r, "origin");
        pn__warn("%s: WebSocket from origin %.*s refused (see --allow-websocket-origin)",
                 pn__http_conn_peer(c), (int)(o.len > 100 ? 100 : o.len), o.ptr);
        pn__http_respond_text(c, 403, NULL);
        return;
    }
    pn__live_accept(srv->live, app, srv->login, c, r);
}

static void serve_index(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r)
{
    const char *names[64];
    size_t n = 0;
    for (int i = 0; i < srv->o.napps && n < 64; i++)
        names[n++] = srv->o.apps[i].name;
    struct pn_buf page;
    pn__buf_init(&page, MAX_PAGE);
    if (pn__render_index(&page, names, n, srv->url_prefix, srv->css_url) != 0) {
        pn__buf_fini(&page);
        pn__http_respond_text(c, 500, NULL);
        return;
    }
    serve_built(srv, c, r, &page, NULL, NULL, srv->o.auth ? "private, no-cache" : "no-cache");
}

/* ---- embedded assets: PREFIX/static/<etag>/<file> ---- */

/* --dev: the client file `client/<file>` made anew from the files its build made it of, read
 * from disk under $PANE_SOURCE_DIR (default: the folder pane was built from), so that an edit
 * of web/ shows on the next load without building pane again. False (logged once) when this
 * build's sources are not there: the built-in file is served. */
static bool serve_asset_from_disk(struct pn_http_conn *c, const char *path,
                                  const struct pn_asset *a)
{
    static bool warned;
    char list[300];
    int n = snprintf(list, sizeof list, "sources/%s.txt", path);
    const struct pn_asset *m = pn__asset_find((pn_str){list, (size_t)n});
    if (!m)
        return false;
    const char *root = getenv("PANE_SOURCE_DIR");
    if (!root || !*root)
        root = PANE_SOURCE_DIR_DEFAULT;
    struct pn_buf out;
    pn__buf_init(&out, 64u << 20);
    bool ok = true;
    char *names = pn__xstrdup((const char *)m->data); /* NUL-terminated, as every asset */
    for (char *save = NULL, *f = strtok_r(names, "\n", &save); ok && f;
         f = strtok_r(NULL, "\n", &save)) {
        char full[4200];
        snprintf(full, sizeof full, "%s/%s", root, f);
        FILE *fp = fopen(full, "rb");
        char chunk[16384];
        size_t k;
        ok = fp != NULL;
        while (fp && (k = fread(chunk, 1, sizeof chunk, fp)) > 0)
            ok = ok && pn__buf_append(&out, chunk, k) == 0;
        if (fp)
            fclose(fp);
        if (!ok && !warned) {
            warned = true;
            pn__warn("--dev: cannot read %s (PANE_SOURCE_DIR): the client's built-in files are "
                     "served",
                     full);
        }
    }
    free(names);
    if (ok) {
        size_t len;
        char *body = pn__buf_steal(&out, &len);
        pn__http_respond(c, &(struct pn_http_resp){.status = 200,
                                                   .content_type = a->mime,
                                                   .headers = "X-Content-Type-Options: nosniff\r\n",
                                                   .body = body,
                                                   .body_len = len,
                                                   .cache_control = "no-cache",
                                                   .release = free,
                                                   .release_ud = body});
    }
    pn__buf_fini(&out);
    return ok;
}

static void serve_asset(struct pn_server *srv, struct pn_http_conn *c, pn_str rest)
{
    /* rest = "<etag>/<file>" */
    const char *slash = memchr(rest.ptr, '/', rest.len);
    if (!slash) {
        pn__http_respond_text(c, 404, NULL);
        return;
    }
    pn_str etag = {rest.ptr, (size_t)(slash - rest.ptr)};
    pn_str file = {slash + 1, rest.len - etag.len - 1};
    char path[256];
    if (file.len == 0 || file.len > 200 || memchr(file.ptr, '/', file.len)) {
        pn__http_respond_text(c, 404, NULL);
        return;
    }
    int n = snprintf(path, sizeof path, "client/%.*s", (int)file.len, file.ptr);
    const struct pn_asset *a = pn__asset_find((pn_str){path, (size_t)n});
    if (a && srv->o.dev && serve_asset_from_disk(c, path, a))
        return; /* any version in the URL: the page's is the built-in one's */
    if (!a || !pn__str_eq(etag, pn__str(a->etag))) {
        pn__http_respond_text(c, 404, NULL);
        return;
    }
    char quoted[40];
    snprintf(quoted, sizeof quoted, "\"%s\"", a->etag);
    pn__http_respond(
        c, &(struct pn_http_resp){.status = 200,
                                  .content_type = a->mime,
                                  .headers = "X-Content-Type-Options: nosniff\r\n",
                                  .body = a->data,
                                  .body_len = a->len,
                                  .body_gz = a->gz,
                                  .body_gz_len = a->gz_len,
                                  .etag = quoted,
                                  .cache_control = "public, max-age=31536000, immutable"});
}

/* ---- login (--basic-auth) ---- */

static bool first_segment(pn_str path, pn_str *seg, pn_str *rest, bool *has_rest);

/* Whether the request came over https: the proxy's word with --use-xheaders. TLS: the
 * request's own flag belongs here too (the login cookie is then Secure). */
static bool request_secure(const struct pn_server *srv, const struct pn_http_req *r)
{
    if (r->secure) /* TLS to pane itself */
        return true;
    if (srv->o.use_xheaders) {
        struct pn_http_forwarded f;
        pn__http_forwarded(r, &f);
        if (!strcmp(f.proto, "https"))
            return true;
    }
    return false;
}

static bool login_cookie(void *ud, pn_str value)
{
    struct pn_server *srv = ud;
    return pn__auth_cookie_check_for(&srv->auth_key, srv->o.auth, value, (uint64_t)time(NULL),
                                     srv->login_buf) == 0;
}

/* The logged-in user of r (in srv->login_buf), or NULL: the first login cookie that is signed
 * with this server's key for a user --basic-auth has with the same password, not expired. */
static const char *login_of(struct pn_server *srv, const struct pn_http_req *r)
{
    return pn__cookie_each(r, PN_AUTH_COOKIE, login_cookie, srv) ? srv->login_buf : NULL;
}

/* The client's address without its port, for the count of failed logins: the proxy's word
 * with --use-xheaders (as the log's), else the socket's peer less its ":port". */
static void client_addr(const struct pn_server *srv, struct pn_http_conn *c,
                        const struct pn_http_req *r, char out[48])
{
    if (srv->o.use_xheaders) {
        struct pn_http_forwarded f;
        pn__http_forwarded(r, &f);
        if (f.client[0]) {
            snprintf(out, 48, "%s", f.client);
            return;
        }
    }
    snprintf(out, 48, "%s", pn__http_conn_peer(c));
    char *colon = strrchr(out, ':');
    if (colon && colon != out)
        *colon = '\0';
}

/* A user name made safe for a log line: printable ASCII and valid UTF-8 kept, anything else
 * (controls, newlines, invalid bytes) as \xNN, at most 64 bytes of it. */
static void log_safe(const char *in, char *out, size_t outlen)
{
    size_t o = 0, n = strlen(in);
    size_t keep = pn__utf8_valid_prefix(in, n > PN_AUTH_MAX_USER ? PN_AUTH_MAX_USER : n);
    for (size_t i = 0; i < n && i < PN_AUTH_MAX_USER && o + 5 < outlen; i++) {
        unsigned char ch = (unsigned char)in[i];
        if ((ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') || (ch >= 0x80 && i < keep))
            out[o++] = (char)ch;
        else
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", ch);
    }
    out[o] = '\0';
}

/* Set-Cookie of the login cookie (value NULL: the one that removes it) into out. */
static void cookie_line(struct pn_server *srv, bool secure, const char *value, char *out,
                        size_t outlen)
{
    snprintf(out, outlen,
             "Set-Cookie: " PN_AUTH_COOKIE "=%s; Path=%s/; Max-Age=%llu; HttpOnly; "
             "SameSite=Lax%s\r\n",
             value ? value : "", srv->url_prefix,
             value ? (unsigned long long)srv->o.login_expiration_s : 0ull,
             secure ? "; Secure" : "");
}

/* A login page: never cached (no-store), with the security lines of every page. */
static void respond_login(struct pn_server *srv, struct pn_http_conn *c, int status,
                          const char *extra, struct pn_login_page p)
{
    p.prefix = srv->url_prefix;
    p.css_url = srv->css_url;
    struct pn_buf page;
    pn__buf_init(&page, 256 * 1024);
    if (pn__render_login(&page, &p) != 0) {
        pn__buf_fini(&page);
        pn__http_respond_text(c, 500, NULL);
        return;
    }
    size_t len;
    char *html = pn__buf_steal(&page, &len);
    struct pn_buf h;
    pn__buf_init(&h, PN_HTTP_MAX_HEAD);
    /* X-Pane-Login: what a live page's script asks when its socket is refused (pane.js) */
    pn__buf_printf(&h, "X-Pane-Login: required\r\n%s%s", srv->page_headers, extra ? extra : "");
    pn__http_respond(c, &(struct pn_http_resp){.status = status,
                                               .content_type = "text/html; charset=utf-8",
                                               .headers = h.data,
                                               .body = html,
                                               .body_len = len,
                                               .cache_control = "no-store",
                                               .release = free,
                                               .release_ud = html});
    pn__buf_fini(&h);
}

/* Where a login goes when the form names nowhere (or somewhere not local). */
static const char *default_next(struct pn_server *srv, char *buf, size_t n)
{
    snprintf(buf, n, "%s/", srv->url_prefix);
    return buf;
}

static void redirect(struct pn_http_conn *c, const char *cookie, const char *location)
{
    struct pn_buf h;
    pn__buf_init(&h, PN_HTTP_MAX_HEAD);
    pn__buf_printf(&h, "%sLocation: %s\r\nCache-Control: no-store\r\n", cookie ? cookie : "",
                   location);
    pn__http_respond_text(c, 302, h.data);
    pn__buf_fini(&h);
}

/* A login being checked: crypt(3) takes milliseconds (yescrypt's default tens), too long for
 * the loop that serves every other session, so it runs on the loop's thread pool and the
 * answer is given on the loop when it is done. The connection waits meanwhile (net reads no
 * further request and closes a busy connection only when the server stops, which the guard
 * tells: then nothing is answered and the job is only freed). */
struct login_guard {
    unsigned refs; /* the server's, one per job */
    bool alive;    /* the server has not stopped */
};

static void guard_unref(struct login_guard *g)
{
    if (g && --g->refs == 0)
        free(g);
}

#define MAX_LOGINS_PENDING 64 /* per loop: more at once get 503 (Retry-After: 1) */

struct login_job {
    uv_work_t w;
    struct login_guard *guard;
    struct pn_server *srv;
    struct pn_http_conn *c;
    const struct pn_auth_users *users;
    struct pn_auth_form f;
    char next[PN_AUTH_MAX_NEXT + 1];
    char addr[48];
    bool secure, valid, ok;
};

static void login_work(uv_work_t *w)
{
    struct login_job *j = w->data;
    j->ok = j->valid && pn__auth_users_check(j->users, j->f.user, j->f.password);
    OPENSSL_cleanse(j->f.password, sizeof j->f.password);
}

static void login_done(uv_work_t *w, int status)
{
    struct login_job *j = w->data;
    struct login_guard *g = j->guard;
    if (g->alive) {
        struct pn_server *srv = j->srv;
        struct pn_http_conn *c = j->c;
        srv->logins_pending--;
        bool ok = status == 0 && j->ok;
        char safe[PN_AUTH_MAX_USER * 4 + 8];
        log_safe(j->f.user, safe, sizeof safe);
        if (!ok) {
            pn__auth_fails_add(srv->fails, j->addr, uv_now(srv->live->loop));
            pn__warn("%s: login failed for user \"%s\"", pn__http_conn_peer(c), safe);
            respond_login(srv, c, 401, NULL,
                          (struct pn_login_page){.next = j->next,
                                                 .user = j->valid ? j->f.user : NULL,
                                                 .message = "Wrong user name or password."});
        } else {
            pn__auth_fails_clear(srv->fails, j->addr);
            pn__info("%s: user \"%s\" logged in", pn__http_conn_peer(c), safe);
            char value[PN_AUTH_MAX_COOKIE + 1], cookie[PN_AUTH_MAX_COOKIE + 700];
            pn__auth_cookie_make_for(&srv->auth_key, j->users, j->f.user,
                                     (uint64_t)time(NULL) + srv->o.login_expiration_s, value);
            cookie_line(srv, j->secure, value, cookie, sizeof cookie);
            redirect(c, cookie, j->next);
        }
    }
    OPENSSL_cleanse(&j->f, sizeof j->f);
    free(j);
    guard_unref(g);
}

static void login_post(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r)
{
    char defnext[600];
    if (!origin_allowed(srv, r)) { /* a login from another site's form (login CSRF) */
        pn__http_respond_text(c, 403, NULL);
        return;
    }
    if (r->body.len > PN_AUTH_MAX_FORM) {
        pn__http_respond_text(c, 413, NULL);
        return;
    }
    struct login_job *j = pn__xcalloc(1, sizeof *j);
    client_addr(srv, c, r, j->addr);
    uint64_t wait = pn__auth_fails_wait(srv->fails, j->addr, uv_now(srv->live->loop));
    if (wait) {
        char extra[64], msg[160];
        unsigned long long secs = (wait + 999) / 1000;
        snprintf(extra, sizeof extra, "Retry-After: %llu\r\n", secs);
        snprintf(msg, sizeof msg, "Too many failed logins from your address: try again in %llu s.",
                 secs);
        respond_login(srv, c, 429, extra,
                      (struct pn_login_page){.next = default_next(srv, defnext, sizeof defnext),
                                             .message = msg});
        free(j);
        return;
    }
    if (srv->logins_pending >= MAX_LOGINS_PENDING) {
        pn__warn("%s: more than %d logins being checked at once: 503", pn__http_conn_peer(c),
                 MAX_LOGINS_PENDING);
        pn__http_respond_text(c, 503, "Retry-After: 1\r\n");
        free(j);
        return;
    }
    if (pn__auth_form_parse(r->body, &j->f) != 0) {
        OPENSSL_cleanse(&j->f, sizeof j->f);
        free(j);
        respond_login(srv, c, 400, NULL,
                      (struct pn_login_page){.next = default_next(srv, defnext, sizeof defnext),
                                             .message = "The form could not be read."});
        return;
    }
    snprintf(j->next, sizeof j->next, "%s",
             pn__auth_next_ok(pn__str(j->f.next)) ? j->f.next
                                                  : default_next(srv, defnext, sizeof defnext));
    j->valid = pn__auth_user_valid(pn__str(j->f.user));
    j->secure = request_secure(srv, r);
    j->users = srv->o.auth;
    j->srv = srv;
    j->c = c;
    j->guard = srv->login_guard;
    j->guard->refs++;
    j->w.data = j;
    srv->logins_pending++;
    if (uv_queue_work(srv->live->loop, &j->w, login_work, login_done) != 0) {
        login_work(&j->w); /* cannot happen with a valid loop: checked here then */
        login_done(&j->w, 0);
    }
}

/* PREFIX/login: the form (GET; a visitor already logged in goes on to next), or a login
 * (POST). PREFIX/logout (GET or POST): the cookie removed, back to the login page. */
static void serve_login(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r)
{
    if (r->method == HTTP_POST) {
        login_post(srv, c, r);
        return;
    }
    if (!is_get_or_head(r)) {
        pn__http_respond_text(c, 405, "Allow: GET, HEAD, POST\r\n");
        return;
    }
    char next[PN_AUTH_MAX_NEXT + 1], defnext[600];
    struct pn_buf b;
    pn__buf_init_fixed(&b, next, sizeof next);
    if (pn__query_get(r->query, "next", &b) != 0 || !pn__auth_next_ok(pn__str(next)))
        snprintf(next, sizeof next, "%s", default_next(srv, defnext, sizeof defnext));
    if (login_of(srv, r)) {
        redirect(c, NULL, next);
        return;
    }
    pn_str out;
    bool logged_out = pn__query_find(r->query, "out", &out) == 0;
    respond_login(
        srv, c, 200, NULL,
        (struct pn_login_page){.next = next, .notice = logged_out ? "You have logged out." : NULL});
}

static void serve_logout(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r)
{
    if (!is_get_or_head(r) && r->method != HTTP_POST) {
        pn__http_respond_text(c, 405, "Allow: GET, HEAD, POST\r\n");
        return;
    }
    const char *user = login_of(srv, r);
    if (user) {
        char safe[PN_AUTH_MAX_USER * 4 + 8];
        log_safe(user, safe, sizeof safe);
        pn__info("%s: user \"%s\" logged out", pn__http_conn_peer(c), safe);
    }
    char cookie[700], location[600];
    cookie_line(srv, request_secure(srv, r), NULL, cookie, sizeof cookie);
    snprintf(location, sizeof location, "%s/login?out=1", srv->url_prefix);
    redirect(c, cookie, location);
}

/* The login in front of everything with --basic-auth: the login and logout routes, what stays
 * open (the embedded assets the login page needs, /liveness, /readiness), and for the rest a
 * valid login cookie (srv->login set) or: a page (GET of the index or an app) → 302 to the
 * login page with next, anything else (WebSocket, static directories, images, admin) → 401.
 * Returns true when the request goes on to the router. */
static bool auth_gate(struct pn_server *srv, struct pn_http_conn *c, const struct pn_http_req *r,
                      pn_str path)
{
    if (pn__str_eq(path, PN_STRLIT("/login"))) {
        serve_login(srv, c, r);
        return false;
    }
    if (pn__str_eq(path, PN_STRLIT("/logout"))) {
        serve_logout(srv, c, r);
        return false;
    }
    if (pn__str_eq(path, PN_STRLIT("/liveness")) || pn__str_eq(path, PN_STRLIT("/readiness")) ||
        pn__str_has_prefix(path, PN_STRLIT("/static/")))
        return true;
    srv->login = login_of(srv, r);
    if (srv->login)
        return true;
    bool page = path.len == 0 || pn__str_eq(path, PN_STRLIT("/"));
    pn_str seg, rest;
    bool has_rest;
    if (!page && first_segment(path, &seg, &rest, &has_rest) && rest.len == 0)
        for (int i = 0; i < srv->o.napps && !page; i++)
            page = pn__str_eq(seg, pn__str(srv->o.apps[i].name));
    if (!page || !is_get_or_head(r) || r->upgrade) {
        pn__http_respond_text(c, 401, "Cache-Control: no-store\r\n");
        return false;
    }
    /* PREFIX/login?next=<the URL asked for, with --root-path, percent-encoded> */
    struct pn_buf loc;
    pn__buf_init(&loc, PN_HTTP_MAX_HEAD / 2);
    pn__buf_printf(&loc, "%s/login?next=", srv->url_prefix);
    const char *root = srv->o.root_path ? srv->o.root_path : "";
    for (int part = 0; part < 2; part++) {
        pn_str u = part ? r->url : pn__str(root);
        for (size_t i = 0; i < u.len; i++) {
            unsigned char ch = (unsigned char)u.ptr[i];
            if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                strchr("-._~/", ch))
                pn__buf_putc(&loc, (char)ch);
            else
                pn__buf_printf(&loc, "%%%02X", ch);
        }
    }
    if (loc.len > PN_AUTH_MAX_NEXT) { /* too long to come back to: the login page alone */
        pn__buf_reset(&loc);
        pn__buf_printf(&loc, "%s/login", srv->url_prefix);
    }
    redirect(c, NULL, loc.data);
    pn__buf_fini(&loc);
    return false;
}

/* ---- routing ---- */

/* If path is "/<seg>" or "/<seg>/..." returns true with seg and the rest after "/<seg>/". */
static bool first_segment(pn_str path, pn_str *seg, pn_str *rest, bool *has_rest)
{
    if (path.len < 2 || path.ptr[0] != '/')
        return false;
    const char *slash = memchr(path.ptr + 1, '/', path.len - 1);
    *seg = (pn_str){path.ptr + 1, slash ? (size_t)(slash - path.ptr - 1) : path.len - 1};
    *has_rest = slash != NULL;
    *rest = slash ? (pn_str){slash + 1, (size_t)(path.ptr + path.len - slash - 1)}
                  : (pn_str){path.ptr + path.len, 0};
    return seg->len > 0;
}

static void handle(struct pn_http_conn *c, const struct pn_http_req *r, void *ud)
{
    struct pn_server *srv = ud;
    pn_str path = r->path;
    pn_str prefix = pn__str(srv->o.prefix);
    if (prefix.len) {
        if (!pn__str_has_prefix(path, prefix) ||
            (path.len > prefix.len && path.ptr[prefix.len] != '/')) {
            pn__http_respond_text(c, 404, NULL);
            return;
        }
        path.ptr += prefix.len;
        path.len -= prefix.len;
    }
    srv->login = NULL;
    if (srv->o.auth && !auth_gate(srv, c, r, path))
        return;
    if (path.len == 0 || (path.len == 1 && path.ptr[0] == '/')) {
        if (!is_get_or_head(r)) {
            respond_405(c);
            return;
        }
        const char *index = srv->o.index        ? srv->o.index
                            : srv->o.napps == 1 ? srv->o.apps[0].name
                                                : NULL;
        if (!index) {
            serve_index(srv, c, r);
            return;
        }
        char loc[600];
        snprintf(loc, sizeof loc, "Location: %s/%s\r\n", srv->url_prefix, index);
        pn__http_respond_text(c, 302, loc);
        return;
    }
    /* probes for a load balancer or an orchestrator: alive while a loop answers; ready until
     * a graceful stop or reload begins (then 503, so new visitors go elsewhere) */
    if (pn__str_eq(path, PN_STRLIT("/liveness")) || pn__str_eq(path, PN_STRLIT("/readiness"))) {
        bool ready = path.ptr[1] == 'l' || !srv->draining;
        if (!is_get_or_head(r))
            respond_405(c);
        else
            pn__http_respond(c, &(struct pn_http_resp){
                                    .status = ready ? 200 : 503,
                                    .content_type = "text/plain; charset=utf-8",
                                    .cache_control = "no-store",
                                    .body = ready ? "ok\n" : "draining\n",
                                    .body_len = ready ? 3 : 9,
                                });
        return;
    }
    if (srv->o.admin && pn__str_eq(path, PN_STRLIT("/metrics"))) {
        if (!is_get_or_head(r))
            respond_405(c);
        else
            pn__metrics_serve(srv, c);
        return;
    }
    if (srv->o.admin && pn__str_eq(path, PN_STRLIT("/_pane/stats"))) {
        pn__admin_serve_stats(srv, c);
        return;
    }
    if (pn__str_has_prefix(path, PN_STRLIT("/_pane/img/"))) {
        if (!is_get_or_head(r))
            respond_405(c);
        else
            pn__static_serve_image(c, (pn_str){path.ptr + 11, path.len - 11});
        return;
    }
    pn_str seg, rest;
    bool has_rest;
    if (!first_segment(path, &seg, &rest, &has_rest)) {
        pn__http_respond_text(c, 404, NULL);
        return;
    }
    struct pn_app *app = app_named(srv, seg);
    if (app && has_rest && pn__str_eq(rest, PN_STRLIT("ws"))) {
        serve_ws(srv, c, r, app, (pn_str){"", 0});
        return;
    }
    if (app && has_rest && pn__str_has_prefix(rest, PN_STRLIT("ws/")) && rest.len > 3 &&
        rest.len <= 6) { /* ws/<loop> */
        serve_ws(srv, c, r, app, (pn_str){rest.ptr + 3, rest.len - 3});
        return;
    }
    if (app && !(has_rest && rest.len)) { /* not /weather/x: nothing there */
        if (!is_get_or_head(r)) {
            respond_405(c);
            return;
        }
        serve_page(srv, c, r, app);
        return;
    }
    if (pn__str_eq(seg, PN_STRLIT("static")) && has_rest) {
        if (!is_get_or_head(r))
            respond_405(c);
        else
            serve_asset(srv, c, rest);
        return;
    }
    for (int i = 0; i < srv->o.nstatic; i++) {
        if (!pn__str_eq(seg, pn__str(srv->o.static_dirs[i].name)) || !has_rest)
            continue;
        if (!is_get_or_head(r))
            respond_405(c);
        else
            pn__static_serve(c, r, srv->static_real[i], rest);
        return;
    }
    pn__http_respond_text(c, 404, NULL);
}

int pn__server_start(uv_loop_t *loop, const struct pn_server_opts *o, struct pn_server **out,
                     char *err, size_t errlen)
{
    struct pn_server *srv = pn__xcalloc(1, sizeof *srv);
    srv->o = *o;
    if (!srv->o.prefix)
        srv->o.prefix = "";
    const struct pn_asset *css = pn__asset_find(PN_STRLIT("client/pane.css"));
    if (!css) {
        snprintf(err, errlen, "client/pane.css is not embedded");
        free(srv);
        return PN_ENOTFOUND;
    }
    const struct pn_asset *js = pn__asset_find(PN_STRLIT("client/pane.js"));
    size_t n = strlen(srv->o.prefix) + (o->root_path ? strlen(o->root_path) : 0) + 64;
    srv->url_prefix = pn__xmalloc(n);
    snprintf(srv->url_prefix, n, "%s%s", o->root_path ? o->root_path : "", srv->o.prefix);
    srv->page_headers = pn__page_security(o->frame_ancestors);
    struct pn_buf probe; /* a page's head must fit, cookies aside: said now, not per request */
    pn__buf_init(&probe, PN_HTTP_MAX_HEAD);
    int hrc = pn__page_head(&probe, &(struct pn_page_head){.security = srv->page_headers,
                                                           .cache = "bypass",
                                                           .cache_control = "private, no-cache",
                                                           .etag = "W/\"0123456789abcdef\"",
                                                           .length = MAX_PAGE,
                                                           .gzip = true});
    pn__buf_fini(&probe);
    if (hrc != 0) {
        snprintf(err, errlen, "--frame-ancestors: too long for a response head (%d bytes)",
                 PN_HTTP_MAX_HEAD);
        free(srv->page_headers);
        free(srv->url_prefix);
        free(srv);
        return PN_EINVAL;
    }
    srv->css_url = pn__xmalloc(n);
    snprintf(srv->css_url, n, "%s/static/%s/pane.css", srv->url_prefix, css->etag);
    if (js) {
        srv->js_url = pn__xmalloc(n);
        snprintf(srv->js_url, n, "%s/static/%s/pane.js", srv->url_prefix, js->etag);
    }
    struct pn_live_opts lo = {
        .unused_session_lifetime_ms = o->unused_session_lifetime_ms,
        .check_unused_sessions_ms = o->check_unused_sessions_ms,
        .max_unused_sessions = o->max_unused_sessions,
        .token_expiration_s = o->token_expiration_s,
        .prefix = srv->url_prefix,
        .ws = {.max_message = o->websocket_max_message_size, .ping_interval_ms = o->keep_alive_ms},
    };
    pn__live_opts_default(&lo);
    int krc = pn__token_key_init(&lo.key, o->secret_key, err, errlen);
    if (krc) {
        pn__server_stop(srv);
        return krc;
    }
    if (o->auth) {
        for (int i = 0; i < o->napps; i++)
            if (!strcmp(o->apps[i].name, "login") || !strcmp(o->apps[i].name, "logout")) {
                snprintf(err, errlen, "app \"%s\": with --basic-auth PREFIX/%s is the %s page",
                         o->apps[i].name, o->apps[i].name, o->apps[i].name);
                pn__token_key_fini(&lo.key);
                pn__server_stop(srv);
                return PN_EINVAL;
            }
        krc = pn__auth_key_init(&srv->auth_key, o->cookie_secret, o->secret_key, err, errlen);
        if (krc) {
            pn__token_key_fini(&lo.key);
            pn__server_stop(srv);
            return krc;
        }
        srv->fails = pn__xcalloc(1, sizeof *srv->fails);
        srv->login_guard = pn__xcalloc(1, sizeof *srv->login_guard);
        *srv->login_guard = (struct login_guard){.refs = 1, .alive = true};
        srv->fails->seed = pn__random_u64();
        if (!srv->o.login_expiration_s)
            srv->o.login_expiration_s = PN_AUTH_DEFAULT_EXPIRATION;
    }
    srv->live = pn__live_table_new(loop, &lo);
    srv->live->group = o->group & 0xff;
    pn__arena_init(&srv->req_arena, 2048);
    pn__buf_init(&srv->key.buf, 16 * 1024);
    srv->key_spec = o->session_key;
    if (o->reuse_sessions) {
        srv->cache = pn__cache_new(o->reuse_sessions_max, o->reuse_sessions_max_bytes);
        pn__cache_recompress_on(srv->cache, loop, srv->page_headers);
        if (o->auth) /* a page is one user's: no shared cache in between may keep it */
            srv->cache->cache_control = "private, no-cache";
    }
    pn__loops_init(srv, loop);
    for (int i = 0; i < o->nstatic; i++) {
        srv->static_real[i] = realpath(o->static_dirs[i].path, NULL);
        if (!srv->static_real[i]) {
            snprintf(err, errlen, "--static-dirs %s=%s: %s", o->static_dirs[i].name,
                     o->static_dirs[i].path, strerror(errno));
            pn__server_stop(srv);
            return PN_ENOTFOUND;
        }
    }
    struct pn_http_server_opts ho = {
        .address = o->address ? o->address : "0.0.0.0",
        .port = o->port,
        .limits = o->limits,
        .handler = handle,
        .ud = srv,
        .reuseport = o->reuseport,
        .listen_fd = o->listen_fd,
        .max_connections = o->max_connections,
        .use_xheaders = o->use_xheaders,
        .tls = o->tls,
    };
    int rc = pn__http_server_start(loop, &ho, &srv->http, err, errlen);
    if (rc) {
        pn__server_stop(srv);
        return rc;
    }
    if (o->admin) {
        pn__admin_start(srv, loop);
        srv->admin_app = pn__admin_app();
    }
    if (o->dev)
        pn__dev_start(srv, loop);
    *out = srv;
    return 0;
}

int pn__server_port(const struct pn_server *srv)
{
    return pn__http_server_port(srv->http);
}

static void free_server(struct pn_server *srv)
{
    if (srv->login_guard) { /* logins still being checked answer nobody */
        srv->login_guard->alive = false;
        guard_unref(srv->login_guard);
    }
    pn__auth_key_fini(&srv->auth_key);
    free(srv->fails);
    pn__cache_free(srv->cache); /* entries still being written go when their writes end */
    pn__arena_fini(&srv->req_arena);
    pn__buf_fini(&srv->key.buf);
    for (int i = 0; i < PN_MAX_STATIC_DIRS; i++)
        free(srv->static_real[i]);
    free(srv->css_url);
    free(srv->js_url);
    free(srv->url_prefix);
    free(srv->page_headers);
    if (srv->live)
        pn__loops_release(srv);
    else
        free(srv);
}

void pn__server_stop(struct pn_server *srv)
{
    if (srv->stopped)
        return;
    srv->stopped = true;
    pn__admin_stop(srv);
    pn__dev_stop(srv);
    if (srv->live) /* first the inbox: nothing more comes in (a peer's handoff is closed there) */
        pn__loops_close_inbox(srv);
    if (srv->http)
        pn__http_server_stop(srv->http);
    if (srv->live)
        pn__live_table_free(srv->live);
    free_server(srv);
}

static void on_drained(void *ud)
{
    pn__server_stop(ud);
}

void pn__server_shutdown(struct pn_server *srv)
{
    if (srv->stopped || srv->draining)
        return;
    srv->draining = true;
    /* --dev: a save's new worker is serving; the pages go to it at once (nothing to finish
     * but a developer's own requests) */
    pn__http_server_drain(srv->http, srv->o.dev ? 0 : PN_DRAIN_MS, on_drained, srv);
}
