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
 *   bad         no apps, a name with '/', a port in use: NULL and a log line, nothing started
 *
 *   embed_test PANE_BIN SOURCE_DIR [FILTER]       (PANE_BIN is not used: no pane process)
 */
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

static void dash(pn_session *s)
{
    pn_template(s, .title = "Embedded");
    pn_servable(s, pn_column(s, pn_button(s, .label = "Pause", .on_click = pause_it),
                             pn_plot(s, .feed = feed, .series = PN_SERIES({"x"}, {"y"}))));
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
        for (size_t off = 8; off + 16 <= m.len;) {
            unsigned h[4];
            memcpy(h, m.data + off, sizeof h);
            unsigned op = h[1] & 0xff, k = h[1] >> 8 & 0xff, n = h[2];
            const double *x = (const double *)(const void *)(m.data + off + 16);
            for (unsigned i = 0; i < n; i++) {
                if (op == 1 && *next >= 0 && x[i] != *next) {
                    wsc_msg_free(&m);
                    return e2e_fail("point x %g after %g", x[i], *next - 1);
                }
                if (x[i + n] != x[i] || x[i + 2 * n] != -x[i]) {
                    wsc_msg_free(&m);
                    return e2e_fail("point %g: y %g %g", x[i], x[i + n], x[i + 2 * n]);
                }
                *next = x[i] + 1;
            }
            off += 16 + 8 * (size_t)n * (1 + k);
        }
        wsc_msg_free(&m);
    }
    return true;
}

static pn_server *A;
static struct e2e_server EA;

static bool case_serve(void)
{
    A = start((pn_server_options){.apps = PN_APPS({"dash", dash}, {"other", other}),
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

static bool case_two(void)
{
    pn_server *b = start((pn_server_options){.apps = PN_APPS({"other", other}), .num_threads = 2});
    if (!b)
        return e2e_fail("a second server: NULL");
    struct e2e_server eb;
    as_e2e(&eb, "second", b);
    bool ok = eb.port != EA.port && page_ok(&eb, "/other", "Other") &&
              page_ok(&EA, "/dash", "Embedded");
    pn_server_stop(b);
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
        E2E_CASE("stop-open", case_stop_open);
    }
    if (A)
        pn_server_stop(A);
    E2E_CASE("bad", case_bad);
    return e2e_finish();
}
