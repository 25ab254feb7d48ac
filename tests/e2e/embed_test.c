/*
 * embed_test (e2e.embed): pane inside a program of its own (pane.h, "embedding"). This program
 * is that program: it starts servers with pn_server_start, publishes to a feed from a thread of
 * its own, and talks to its servers over 127.0.0.1 with the e2e library.
 *
 *   serve       PN_ANY_PORT: pn_server_url names the port; the page and a live doc come
 *   publish     a thread of the program appends 300 points at 1 kHz; a session's plot gets
 *               every one, in order
 *   callback    a Button's callback (on a loop thread) pauses the publisher through an atomic;
 *               no point arrives after the pause has been seen
 *   two         two servers in one process at once (4 loops in all), both serve; stop one, the
 *               other still serves; start a third
 *   stop-open   pn_server_stop with a socket open: the socket gets 1001, the call returns
 *   post        100 pn_post calls from a thread of the program set a session's Number in order;
 *               a post to an id no session has runs its fallback; pn_post_app reaches every
 *               session of the app (on both loops) and runs done once
 *   four        4 threads of the program publish 200 points each to a feed of their own while
 *               a thread posts to the page's session: every plot gets every point, in order
 *               (the tsan preset runs this under ThreadSanitizer: no report)
 *   values      a number feed and a text feed shown by 4 sessions on both loops (3 Numbers, 2
 *               of them with the same format, and a Markdown each): a new session's doc shows
 *               the current value; 300 publishes from a thread reach every session in order,
 *               the three Numbers in one patch; with both loops held by a post, 1,000 publishes
 *               reach each session as one patch of the last value, encoded once per format
 *               and loop at most
 *   tls         ssl_certfile and ssl_keyfile (a certificate made by openssl(1)): pn_server_url
 *               says https, a page and a live doc over TLS; a key that is not the
 *               certificate's: NULL
 *   login       .basic_auth (one shared password) and .cookie_secret: a page without a login
 *               is a redirect to the login page, a login's cookie opens it, and the app's
 *               pn_session_user names the user; a .basic_auth file with a plaintext password:
 *               NULL, nothing started
 *   bad         no apps, a name with '/', a port in use: NULL and a log line, nothing started
 *
 *   embed_test PANE_BIN SOURCE_DIR [FILTER]       (PANE_BIN is not used: no pane process)
 */
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"
#include "wsclient.h"

#define T 5000

static pn_feed *feed;
static atomic_bool paused, publishing;
static atomic_long published;

static void *publisher(void *arg)
{
    (void)arg;
    for (long i = 0; i < 300 && atomic_load(&publishing); i++) {
        while (atomic_load(&paused) && atomic_load(&publishing))
            usleep(1000);
        pn_feed_push(feed, (double)i, (double)i, -(double)i);
        atomic_fetch_add(&published, 1);
        usleep(1000);
    }
    return NULL;
}

static void pause_it(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)n, (void)arg;
    atomic_store(&paused, true);
}

static _Atomic pn_session_id last_id; /* the last dash session built */
static pn_node *posted_of[4096];      /* by the session id's low bits: the test's few */

static void dash(pn_session *s)
{
    pn_template(s, .title = "Embedded");
    pn_node *n = pn_number(s, .name = "Posted", .value = -1);
    pn_servable(s, pn_column(s, pn_button(s, .label = "Pause", .on_click = pause_it), n,
                             pn_plot(s, .feed = feed, .series = PN_SERIES({"x"}, {"y"}))));
    posted_of[(pn_session_id_of(s) >> 16) % 4096] = n;
    atomic_store(&last_id, pn_session_id_of(s));
}

/* A post: the Number of its session shows the value given (a pointer to a heap long). */
static atomic_int ran, fell_back, done_calls;
static void show_posted(pn_session *s, void *data)
{
    pn_number_set_value(posted_of[(pn_session_id_of(s) >> 16) % 4096], (double)*(long *)data);
    free(data);
    atomic_fetch_add(&ran, 1);
}

static void fallback_free(void *data)
{
    free(data);
    atomic_fetch_add(&fell_back, 1);
}

static void count_done(void *data)
{
    (void)data;
    atomic_fetch_add(&done_calls, 1);
}

static void show_app(pn_session *s, void *data)
{
    pn_number_set_value(posted_of[(pn_session_id_of(s) >> 16) % 4096], (double)*(long *)data);
    atomic_fetch_add(&ran, 1);
}

struct poster {
    pn_session_id id;
    int n;
};

static void *poster(void *arg)
{
    struct poster *p = arg;
    for (long i = 0; i < p->n; i++) {
        long *v = malloc(sizeof *v);
        *v = i;
        pn_post(p->id, show_posted, v, fallback_free);
    }
    return NULL;
}

static pn_feed *feeds4[4];

static void four(pn_session *s)
{
    pn_template(s, .title = "Four");
    pn_node *n = pn_number(s, .name = "Posted", .value = -1);
    pn_servable(s, n);
    for (int i = 0; i < 4; i++)
        pn_servable(s, pn_plot(s, .feed = feeds4[i], .series = PN_SERIES({"x"}, {"y"})));
    posted_of[(pn_session_id_of(s) >> 16) % 4096] = n;
    atomic_store(&last_id, pn_session_id_of(s));
}

static pn_feed *temp, *status;
static _Atomic pn_session_id vals_ids[16];
static atomic_int nvals;
static pn_node *vals_t[16]; /* each vals session's Number "t", beside its id in vals_ids */

static void vals(pn_session *s)
{
    int i = atomic_fetch_add(&nvals, 1);
    pn_node *t = pn_number(s, .name = "t", .format = "{value:.0f}", .feed = temp);
    if (i < 16) {
        vals_t[i] = t; /* read by the session's own loop, after a post that comes later */
        atomic_store(&vals_ids[i], pn_session_id_of(s));
    }
    pn_template(s, .title = "Values");
    pn_servable(s, pn_column(s, t,
                             pn_number(s, .name = "t2", .format = "{value:.0f}", .feed = temp),
                             pn_number(s, .name = "c", .format = "{value:.1f}", .feed = temp,
                                       .colors = PN_COLORS({100, "blue"}, {1e9, "red"})),
                             pn_markdown(s, .feed = status)));
}

static void *publish4(void *arg)
{
    pn_feed *f = arg;
    for (int i = 0; i < 200; i++) {
        pn_feed_push(f, i, i, -i);
        usleep(500);
    }
    return NULL;
}

static void other(pn_session *s)
{
    pn_template(s, .title = "Other");
    pn_servable(s, pn_number(s, .name = "n", .value = 7));
}

/* The port of a server's URL ("http://127.0.0.1:PORT"). */
static int atoi_port(const char *url)
{
    const char *colon = strrchr(url, ':');
    return colon ? (int)strtol(colon + 1, NULL, 10) : -1;
}

/* An e2e_server for a server of this process (the e2e library speaks to it by port). */
static void as_e2e(struct e2e_server *e, const char *name, pn_server *srv)
{
    memset(e, 0, sizeof *e);
    e->name = name;
    e->pid = -1;
    e->port = atoi_port(pn_server_url(srv));
    snprintf(e->origin, sizeof e->origin, "Origin: http://127.0.0.1:%d\r\n", e->port);
}

static pn_server *start(pn_server_options o)
{
    o.port = PN_ANY_PORT;
    o.address = "127.0.0.1";
    return pn_server_start(&o);
}

static bool page_ok(const struct e2e_server *e, const char *path, const char *title)
{
    struct e2e_page p;
    bool ok = e2e_get_page(e, path, &p) && !strcmp(p.title, title);
    if (ok == false && !e2e_why[0])
        e2e_fail("GET %s: title \"%s\", want \"%s\"", path, p.title, title);
    e2e_page_fini(&p);
    return ok;
}

/* Reads data messages on c for ms: the points of the record for plot id, checked in order from
 * *next on (a window restarts from its first x). False with e2e_why on a gap. */
static bool read_points(struct e2e_cl *c, int ms, double *next)
{
    long long end = e2e_now_ms() + ms;
    while (e2e_now_ms() < end) {
        struct wsc_msg m;
        int rc = e2e_cl_next(c, 20, &m);
        if (rc < 0)
            return e2e_fail("connection over");
        if (rc == 0 || m.opcode != WSC_BINARY) {
            if (rc > 0)
                wsc_msg_free(&m);
            continue;
        }
        struct e2e_rec r[8]; /* pointing into m: freed after */
        int nrec = e2e_data_records(&m, r, 8);
        bool ok = nrec >= 0;
        for (int j = 0; ok && j < nrec; j++)
            for (unsigned i = 0; ok && i < r[j].n; i++) {
                if (r[j].op == 1 && *next >= 0 && r[j].x[i] != *next)
                    ok = e2e_fail("point x %g after %g", r[j].x[i], *next - 1);
                else if (r[j].k != 2 || r[j].y[0][i] != r[j].x[i] || r[j].y[1][i] != -r[j].x[i])
                    ok = e2e_fail("point %g: %u series", r[j].x[i], r[j].k);
                *next = r[j].x[i] + 1;
            }
        wsc_msg_free(&m);
        if (!ok)
            return false;
    }
    return true;
}

static pn_server *A;
static struct e2e_server EA;

static bool case_serve(void)
{
    A = start((pn_server_options){.apps = PN_APPS({"dash", dash}, {"other", other}, {"four", four},
                                                  {"vals", vals}),
                                  .num_threads = 2});
    if (!A)
        return e2e_fail("pn_server_start returned NULL");
    as_e2e(&EA, "embedded", A);
    fprintf(stderr, "serve: %s\n", pn_server_url(A));
    if (strncmp(pn_server_url(A), "http://127.0.0.1:", 17) || EA.port <= 0)
        return e2e_fail("url %s", pn_server_url(A));
    json_t *doc = NULL;
    struct e2e_cl *c = page_ok(&EA, "/other", "Other") && page_ok(&EA, "/dash", "Embedded")
                           ? e2e_open_session(&EA, "/other/ws", "", &doc)
                           : NULL;
    bool ok = c && doc && e2e_doc_id(doc, "Number", "n") > 0;
    json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    return ok;
}

static bool case_publish_and_callback(void)
{
    json_t *doc = NULL;
    struct e2e_cl *c = e2e_open_session(&EA, "/dash/ws", "", &doc);
    if (!c)
        return false;
    long button = e2e_doc_id(doc, "Button", "Pause");
    json_decref(doc);
    atomic_store(&publishing, true);
    pthread_t th;
    pthread_create(&th, NULL, publisher, NULL);
    double next = -1;
    bool ok = read_points(c, 150, &next);
    /* pause from the page: the callback runs on a loop thread, the publisher sees the flag */
    ok = ok && e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", button);
    long long t0 = e2e_now_ms();
    while (ok && !atomic_load(&paused) && e2e_now_ms() - t0 < T)
        e2e_idle(5);
    if (ok && !atomic_load(&paused))
        ok = e2e_fail("the Pause callback did not run");
    e2e_sleep_ms(20); /* the publisher's point under way, if any */
    long at_pause = atomic_load(&published);
    ok = ok && read_points(c, 300, &next);
    if (ok && (next != (double)at_pause || atomic_load(&published) != at_pause))
        ok = e2e_fail("paused at %ld points, got up to x %g, %ld published", at_pause, next - 1,
                      atomic_load(&published));
    atomic_store(&paused, false);
    ok = ok && read_points(c, 800, &next);
    atomic_store(&publishing, false);
    pthread_join(th, NULL);
    ok = ok && read_points(c, 200, &next);
    if (ok && next != 300)
        ok = e2e_fail("got points up to x %g of 300", next - 1);
    if (ok)
        fprintf(stderr, "publish: 300 points in order, none while paused (at %ld)\n", at_pause);
    e2e_close_nicely(c);
    return ok;
}

static atomic_int inits, cleanups;
static void other_init(pn_app_ctx *ctx)
{
    if (!strcmp(ctx->name, "other"))
        atomic_fetch_add(&inits, 1);
}
static void other_cleanup(pn_app_ctx *ctx)
{
    if (!strcmp(ctx->name, "other"))
        atomic_fetch_add(&cleanups, 1);
}

static bool case_two(void)
{
    pn_server *b = start((pn_server_options){
        .apps = PN_APPS({"other", other, NULL, other_init, other_cleanup}), .num_threads = 2});
    if (!b)
        return e2e_fail("a second server: NULL");
    struct e2e_server eb;
    as_e2e(&eb, "second", b);
    bool ok =
        eb.port != EA.port && page_ok(&eb, "/other", "Other") && page_ok(&EA, "/dash", "Embedded");
    if (ok && (atomic_load(&inits) != 1 || atomic_load(&cleanups) != 0))
        ok = e2e_fail("init %d, cleanup %d while serving", atomic_load(&inits),
                      atomic_load(&cleanups));
    pn_server_stop(b);
    if (ok && atomic_load(&cleanups) != 1)
        ok = e2e_fail("cleanup %d after stop", atomic_load(&cleanups));
    ok = ok && page_ok(&EA, "/other", "Other"); /* the first still serves: tables kept */
    pn_server *c = start((pn_server_options){.apps = PN_APPS({"other", other})});
    struct e2e_server ec;
    if (c)
        as_e2e(&ec, "third", c);
    ok = ok && c && page_ok(&ec, "/other", "Other");
    if (c)
        pn_server_stop(c);
    return ok;
}

static bool case_stop_open(void)
{
    json_t *doc = NULL;
    struct e2e_cl *c = e2e_open_session(&EA, "/other/ws", "", &doc);
    json_decref(doc);
    if (!c)
        return false;
    long long t0 = e2e_now_ms();
    pn_server_stop(A); /* returns once the loops are done: the socket was told 1001 */
    A = NULL;
    bool ok = e2e_expect_close(c, 1001, "patch,data", T);
    fprintf(stderr, "stop-open: pn_server_stop took %lld ms\n", e2e_now_ms() - t0);
    e2e_cl_free(c);
    return ok;
}

static bool case_post(void)
{
    json_t *doc = NULL;
    struct e2e_cl *c = e2e_open_session(&EA, "/dash/ws", "", &doc);
    if (!c)
        return false;
    long num = e2e_doc_id(doc, "Number", "Posted");
    json_decref(doc);
    struct poster p = {atomic_load(&last_id), 100};
    pthread_t th;
    pthread_create(&th, NULL, poster, &p);
    pthread_join(th, NULL);
    double last = -1;
    bool ok = true;
    for (int i = 0; ok && last < 99 && i < 200; i++) {
        json_t *patch = e2e_expect_msg(c, "patch", "data", T);
        double v = patch ? e2e_patch_number(patch, num, NULL) : NAN;
        json_decref(patch);
        if (!patch)
            ok = false;
        else if (!isnan(v) && v < last)
            ok = e2e_fail("posted %g after %g: out of order", v, last);
        else if (!isnan(v))
            last = v;
    }
    if (ok && (last != 99 || atomic_load(&ran) != 100 || atomic_load(&fell_back) != 0))
        ok = e2e_fail("last %g, %d ran, %d fell back", last, atomic_load(&ran),
                      atomic_load(&fell_back));
    /* an id no session has (this group's and loop's bits, other random ones) */
    long *v = malloc(sizeof *v);
    *v = 1;
    bool queued = pn_post((atomic_load(&last_id) & 0xffff) | 0x7777000000000000ull, show_posted, v,
                          fallback_free);
    for (int i = 0; ok && atomic_load(&fell_back) == 0 && i < 500; i++)
        e2e_sleep_ms(2);
    if (ok && (!queued || atomic_load(&fell_back) != 1))
        ok = e2e_fail("a post to an unknown session: queued %d, %d fell back", queued,
                      atomic_load(&fell_back));
    /* every session of the app: this one and three more, on both loops */
    struct e2e_cl *more[3] = {0};
    for (int i = 0; ok && i < 3; i++) {
        ok = (more[i] = e2e_open_session(&EA, "/dash/ws", "", &doc)) != NULL;
        json_decref(doc);
    }
    static long seven = 7;
    int ran0 = atomic_load(&ran);
    pn_post_app("dash", show_app, &seven, count_done);
    for (int i = 0; ok && atomic_load(&done_calls) == 0 && i < 1000; i++)
        e2e_idle(2);
    if (ok && (atomic_load(&done_calls) != 1 || atomic_load(&ran) - ran0 < 4))
        ok = e2e_fail("pn_post_app: done %d times, ran on %d sessions (want 1, >= 4)",
                      atomic_load(&done_calls), atomic_load(&ran) - ran0);
    if (ok)
        fprintf(stderr, "post: 100 in order; pn_post_app on %d sessions\n",
                atomic_load(&ran) - ran0);
    for (int i = 0; i < 3; i++)
        if (more[i])
            e2e_close_nicely(more[i]);
    e2e_close_nicely(c);
    return ok;
}

static bool case_four(void)
{
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "four-%d", i);
        feeds4[i] = pn_feed_series(name, 2, 500);
    }
    json_t *doc = NULL;
    struct e2e_cl *c = e2e_open_session(&EA, "/four/ws", "", &doc);
    if (!c)
        return false;
    long ids[4], k = 0;
    json_t *root = json_object_get(doc, "root"), *n;
    size_t i;
    json_array_foreach(root, i, n) if (!strcmp(e2e_jstr(n, "kind"), "Plot") && k < 4) ids[k++] =
        (long)json_integer_value(json_object_get(n, "id"));
    json_decref(doc);
    pthread_t th[5];
    struct poster p = {atomic_load(&last_id), 50};
    for (int t = 0; t < 4; t++)
        pthread_create(&th[t], NULL, publish4, feeds4[t]);
    pthread_create(&th[4], NULL, poster, &p);
    double next[4] = {-1, -1, -1, -1};
    bool ok = k == 4;
    long long end = e2e_now_ms() + 3000;
    while (ok && e2e_now_ms() < end &&
           (next[0] < 200 || next[1] < 200 || next[2] < 200 || next[3] < 200)) {
        struct wsc_msg m;
        int rc = e2e_cl_next(c, 50, &m);
        if (rc < 0)
            ok = e2e_fail("connection over");
        if (rc <= 0 || m.opcode != WSC_BINARY) {
            if (rc > 0)
                wsc_msg_free(&m);
            continue;
        }
        struct e2e_rec r[8]; /* pointing into m: freed after */
        int nrec = e2e_data_records(&m, r, 8);
        ok = nrec >= 0;
        for (int q = 0; ok && q < nrec; q++) {
            int which = -1;
            for (int t = 0; t < 4; t++)
                which = ids[t] == (long)r[q].id ? t : which;
            for (unsigned j = 0; ok && which >= 0 && j < r[q].n; j++) {
                if (r[q].op == 1 && next[which] >= 0 && r[q].x[j] != next[which])
                    ok = e2e_fail("feed %d: x %g after %g", which, r[q].x[j], next[which] - 1);
                next[which] = r[q].x[j] + 1;
            }
        }
        wsc_msg_free(&m);
    }
    for (int t = 0; t < 5; t++)
        pthread_join(th[t], NULL);
    for (int t = 0; ok && t < 4; t++)
        if (next[t] != 200)
            ok = e2e_fail("feed %d: points up to x %g of 200", t, next[t] - 1);
    e2e_close_nicely(c);
    return ok;
}

uint64_t pn__feed_encodings(void); /* libpane's own count (linked statically here) */

#define NV 8
static atomic_bool release_loops;
static atomic_int held;

/* A post that holds its loop until release_loops (at most 3 s). */
static void hold_loop(pn_session *s, void *data)
{
    (void)s, (void)data;
    atomic_fetch_add(&held, 1);
    for (int i = 0; i < 3000 && !atomic_load(&release_loops); i++)
        usleep(1000);
}

static void remove_t(pn_session *s, void *data)
{
    (void)data;
    for (int i = 0; i < 16; i++)
        if (atomic_load(&vals_ids[i]) == pn_session_id_of(s))
            pn_remove(vals_t[i]);
    atomic_fetch_add(&ran, 1);
}

static void *publish_values(void *arg)
{
    (void)arg;
    for (int i = 1; i <= 300; i++) {
        pn_feed_set(temp, i);
        if (i % 100 == 0) {
            char md[64];
            snprintf(md, sizeof md, "step **%d**", i);
            pn_feed_set_text(status, md);
        }
        usleep(300);
    }
    return NULL;
}

/* The session's ids of t, t2, c and the Markdown. */
struct vals_ids {
    long t, t2, c, md;
};

static bool vals_doc(json_t *doc, struct vals_ids *id, const char *want_t, const char *want_md)
{
    id->t = e2e_doc_id(doc, "Number", "t");
    id->t2 = e2e_doc_id(doc, "Number", "t2");
    id->c = e2e_doc_id(doc, "Number", "c");
    id->md = e2e_doc_id(doc, "Markdown", NULL);
    const char *html = e2e_jstr(doc, "html");
    if (id->t < 0 || id->t2 < 0 || id->c < 0 || id->md < 0)
        return e2e_fail("vals doc: ids %ld %ld %ld %ld", id->t, id->t2, id->c, id->md);
    if (!strstr(html, want_t) || !strstr(html, want_md))
        return e2e_fail("vals doc: no %s or %s in %.300s", want_t, want_md, html);
    return true;
}

/* Reads c's patches until t shows `last` and the Markdown `md_last`: t strictly increasing,
 * t2 and c in the same patch as t with the same value, c's colour right. *patches counts them. */
static bool read_values(struct e2e_cl *c, const struct vals_ids *id, double last,
                        const char *md_last, int *patches)
{
    double prev = -1;
    bool md_seen = false;
    long long end = e2e_now_ms() + T;
    while (e2e_now_ms() < end && !(prev == last && md_seen)) {
        json_t *p = e2e_expect_msg(c, "patch", "pong", 1000);
        if (!p)
            return e2e_fail("no patch after t=%g", prev);
        double t = e2e_patch_number(p, id->t, NULL), t2 = e2e_patch_number(p, id->t2, NULL);
        double v = e2e_patch_number(p, id->c, NULL);
        json_t *mc = e2e_patch_changes(p, id->md), *cc = e2e_patch_changes(p, id->c);
        bool ok = true;
        if (!isnan(t)) {
            const char *color = e2e_jstr(cc, "color");
            if (!(t > prev))
                ok = e2e_fail("t=%g after %g", t, prev);
            else if (t2 != t || v != t)
                ok = e2e_fail("t=%g but t2=%g and c=%g in its patch", t, t2, v);
            else if (strcmp(color, t < 100 ? "blue" : "red"))
                ok = e2e_fail("t=%g: colour %s", t, color);
            prev = isnan(t) ? prev : t;
            (*patches)++;
        }
        if (mc && strstr(e2e_jstr(mc, "html"), md_last))
            md_seen = true;
        json_decref(p);
        if (!ok)
            return false;
    }
    if (prev != last || !md_seen)
        return e2e_fail("t=%g (want %g), markdown %s seen: %d", prev, last, md_last, md_seen);
    return true;
}

static bool case_values(void)
{
    temp = pn_feed_number("temp");
    status = pn_feed_text("status");
    pn_feed_set(temp, 5);
    pn_feed_set_text(status, "*start*");
    struct e2e_cl *c[NV + 1] = {0};
    struct vals_ids id[NV + 1];
    bool ok = true;
    atomic_store(&nvals, 0);
    for (int i = 0; ok && i < NV; i++) { /* late joiners: the current value in the doc */
        json_t *doc = NULL;
        c[i] = e2e_open_session(&EA, "/vals/ws", "", &doc);
        ok = c[i] && vals_doc(doc, &id[i], ">5</div>", "<em>start</em>");
        json_decref(doc);
    }
    /* in order, to every session */
    pthread_t th;
    if (ok)
        pthread_create(&th, NULL, publish_values, NULL);
    int patches[NV] = {0};
    for (int i = 0; ok && i < NV; i++)
        ok = read_values(c[i], &id[i], 300, "<strong>300</strong>", &patches[i]);
    if (ok) {
        pthread_join(th, NULL);
        fprintf(stderr, "values: 300 publishes: %d, %d, %d, %d patches\n", patches[0],
                patches[1], patches[2], patches[3]);
    }
    /* coalescing: both loops held by a post while 1,000 values are published */
    unsigned loops_used = 0;
    for (int i = 0; i < NV; i++)
        loops_used |= 1u << (atomic_load(&vals_ids[i]) & 0xff);
    int nheld = 0;
    atomic_store(&held, 0);
    atomic_store(&release_loops, false);
    for (int i = 0; ok && i < NV; i++) {
        unsigned bit = 1u << (atomic_load(&vals_ids[i]) & 0xff);
        if (loops_used & bit) {
            loops_used &= ~bit;
            nheld++;
            ok = pn_post(atomic_load(&vals_ids[i]), hold_loop, NULL, NULL);
        }
    }
    long long end = e2e_now_ms() + T;
    while (ok && atomic_load(&held) < nheld && e2e_now_ms() < end)
        e2e_sleep_ms(2);
    uint64_t enc0 = pn__feed_encodings();
    for (int v = 1001; ok && v <= 2000; v++)
        pn_feed_set(temp, v);
    atomic_store(&release_loops, true);
    for (int i = 0; ok && i < NV; i++) {
        json_t *p = e2e_expect_msg(c[i], "patch", "pong", T);
        double t = p ? e2e_patch_number(p, id[i].t, NULL) : NAN;
        if (t != 2000)
            ok = e2e_fail("session %d: after 1,000 held publishes t=%g, want one patch of 2000", i,
                          t);
        json_decref(p);
    }
    for (int i = 0; ok && i < NV; i++)
        ok = e2e_expect_quiet(c[i], i == 0 ? 300 : 20, "pong");
    uint64_t encodings = pn__feed_encodings() - enc0;
    fprintf(stderr, "values: 1,000 held publishes on %d loops: 1 patch per session, %llu "
            "encodings\n", nheld, (unsigned long long)encodings);
    if (ok && (encodings < 2 || encodings > 2 * (uint64_t)nheld)) /* 2 formats */
        ok = e2e_fail("%llu encodings for 2 formats on %d loops", (unsigned long long)encodings,
                      nheld);
    /* a Number bound to the feed is removed (a post per session): the others go on, and the
       feed no longer writes to what is gone (ASan, TSan) */
    atomic_store(&ran, 0);
    for (int i = 0; ok && i < NV; i++)
        ok = pn_post(atomic_load(&vals_ids[i]), remove_t, NULL, NULL);
    end = e2e_now_ms() + T;
    while (ok && atomic_load(&ran) < NV && e2e_now_ms() < end)
        e2e_sleep_ms(2);
    for (int i = 0; ok && i < NV; i++) { /* its remove op */
        json_t *p = e2e_expect_msg(c[i], "patch", "pong", T);
        json_t *op = json_array_get(json_object_get(p, "ops"), 0);
        const char *what = json_string_value(json_array_get(op, 0));
        if (!what || strcmp(what, "remove") || json_integer_value(json_array_get(op, 1)) != id[i].t)
            ok = e2e_fail("session %d: no remove op for t", i);
        json_decref(p);
    }
    pn_feed_set(temp, 2001);
    for (int i = 0; ok && i < NV; i++) {
        json_t *p = e2e_expect_msg(c[i], "patch", "pong", T);
        if (!p || !isnan(e2e_patch_number(p, id[i].t, NULL)) ||
            e2e_patch_number(p, id[i].t2, NULL) != 2001)
            ok = e2e_fail("session %d: after the remove, 2001 for t2 only", i);
        json_decref(p);
    }
    if (ok) { /* a late joiner again */
        json_t *doc = NULL;
        c[NV] = e2e_open_session(&EA, "/vals/ws", "", &doc);
        ok = c[NV] && vals_doc(doc, &id[NV], ">2001</div>", "<strong>300</strong>");
        json_decref(doc);
    }
    for (int i = 0; i <= NV; i++)
        if (c[i])
            e2e_close_nicely(c[i]);
    return ok;
}

static bool case_tls(void)
{
    char dir[] = "/tmp/pane-embed-tls-XXXXXX", cmd[2048], cert[300], key[300], key2[300];
    if (!mkdtemp(dir))
        return e2e_fail("mkdtemp failed");
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(key2, sizeof key2, "%s/key2.pem", dir);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
             "-subj /CN=localhost -keyout %s -out %s >/dev/null 2>&1 && "
             "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out %s 2>/dev/null",
             key, cert, key2);
    bool ok = system(cmd) == 0 || e2e_fail("openssl failed");
    pn_server *t =
        ok ? start((pn_server_options){
                 .apps = PN_APPS({"other", other}), .ssl_certfile = cert, .ssl_keyfile = key})
           : NULL;
    if (ok && !t)
        ok = e2e_fail("pn_server_start with a certificate returned NULL");
    struct e2e_server et;
    if (ok) {
        as_e2e(&et, "embedded-tls", t);
        et.tls = true;
        e2e_tls_port(et.port, true);
        snprintf(et.origin, sizeof et.origin, "Origin: https://127.0.0.1:%d\r\n", et.port);
        if (strncmp(pn_server_url(t), "https://127.0.0.1:", 18))
            ok = e2e_fail("url %s", pn_server_url(t));
    }
    json_t *doc = NULL;
    struct e2e_cl *c =
        ok && page_ok(&et, "/other", "Other") ? e2e_open_session(&et, "/other/ws", "", &doc) : NULL;
    ok = ok && c && doc && e2e_doc_id(doc, "Number", "n") > 0;
    json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    if (t) {
        e2e_tls_port(et.port, false);
        pn_server_stop(t);
    }
    pn_server *bad =
        ok ? start((pn_server_options){
                 .apps = PN_APPS({"other", other}), .ssl_certfile = cert, .ssl_keyfile = key2})
           : NULL;
    if (bad) {
        ok = e2e_fail("a key that is not the certificate's: a server");
        pn_server_stop(bad);
    }
    remove(cert);
    remove(key);
    remove(key2);
    rmdir(dir);
    return ok;
}

static void whoami(pn_session *s)
{
    const char *user = pn_session_user(s);
    pn_template(s, .title = user ? pn_fmt(s, "user %s", user) : "nobody");
    pn_servable(s, pn_number(s, .name = "n", .value = 1));
}

static bool case_login(void)
{
    pn_server *a = start((pn_server_options){.apps = PN_APPS({"who", whoami}),
                                             .basic_auth = "embedded password",
                                             .cookie_secret = "a cookie secret of 32 characters!",
                                             .login_expiration_s = 60});
    if (!a)
        return e2e_fail("pn_server_start with .basic_auth: NULL");
    struct e2e_server e;
    as_e2e(&e, "login", a);
    struct e2e_resp r;
    bool ok = e2e_get(e.port, "/who", NULL, &r) &&
              (r.status == 302 || e2e_fail("no login: %d, want 302", r.status));
    e2e_resp_fini(&r);
    char cookie[300] = "", hdr[400];
    ok = ok && e2e_login(e.port, NULL, "ada", "embedded password", "/who", NULL, &r) &&
         (e2e_login_cookie(&r, cookie, sizeof cookie) || e2e_fail("login: %d", r.status)) &&
         (e2e_header_has(&r, "Set-Cookie", "Max-Age=60") || e2e_fail("not .login_expiration_s"));
    e2e_resp_fini(&r);
    snprintf(hdr, sizeof hdr, "Cookie: %s\r\n", cookie);
    struct e2e_page p;
    ok = ok && e2e_get_page_ex(&e, "/who", hdr, &p) &&
         (!strcmp(p.title, "user ada") || e2e_fail("title \"%s\"", p.title));
    e2e_page_fini(&p);
    pn_server_stop(a);
    char path[] = "/tmp/pane-embed-users-XXXXXX";
    int fd = ok ? mkstemp(path) : -1;
    if (fd >= 0) {
        ok = write(fd, "ada:plaintext\n", 14) == 14;
        close(fd);
        pn_server *b =
            start((pn_server_options){.apps = PN_APPS({"who", whoami}), .basic_auth = path});
        if (b) {
            pn_server_stop(b);
            ok = e2e_fail("a plaintext users file: a server");
        }
        unlink(path);
    }
    return ok;
}

static bool case_bad(void)
{
    bool ok = true;
    if (pn_server_start(&(pn_server_options){0}) != NULL)
        ok = e2e_fail("no apps: a server");
    if (ok && pn_server_start(&(pn_server_options){.apps = PN_APPS({"a/b", other})}) != NULL)
        ok = e2e_fail("a name with '/': a server");
    pn_server *a = ok ? start((pn_server_options){.apps = PN_APPS({"other", other})}) : NULL;
    if (ok && !a)
        ok = e2e_fail("a plain server: NULL");
    if (ok) { /* its port again, without SO_REUSEPORT (one loop): in use */
        int port = atoi_port(pn_server_url(a));
        pn_server *b = pn_server_start(&(pn_server_options){
            .apps = PN_APPS({"other", other}), .address = "127.0.0.1", .port = port});
        if (b) {
            ok = e2e_fail("port %d twice", port);
            pn_server_stop(b);
        }
    }
    if (a)
        pn_server_stop(a);
    return ok;
}

int main(int argc, char **argv)
{
    e2e_init("embed", argc, argv, 120);
    signal(SIGPIPE, SIG_IGN);
    feed = pn_feed_series("embed-test", 2, 1000);
    E2E_CASE("serve", case_serve);
    if (A) {
        E2E_CASE("publish", case_publish_and_callback);
        E2E_CASE("two", case_two);
        E2E_CASE("post", case_post);
        E2E_CASE("four", case_four);
        E2E_CASE("values", case_values);
        E2E_CASE("stop-open", case_stop_open);
    }
    E2E_CASE("tls", case_tls);
    if (A)
        pn_server_stop(A);
    long *v = malloc(sizeof *v);
    *v = 0;
    int fb = atomic_load(&fell_back);
    e2e_report("post after stop", !pn_post(atomic_load(&last_id), show_posted, v, fallback_free) &&
                                      atomic_load(&fell_back) == fb + 1);
    E2E_CASE("login", case_login);
    E2E_CASE("bad", case_bad);
    return e2e_finish();
}
