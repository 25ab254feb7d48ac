/*
 * e2e.redis: feeds shared through a real redis-server (Debian's), as an operator runs pane on
 * several machines: three `pane serve --redis` processes (one of them with two loops) show
 * tests/apps/shared.c, whose number, text and series feeds are pn_feed_redis. A publish in one
 * process reaches the sessions of every process, one subscription per process; a process that
 * starts later shows the latest state in its first page; Redis stopped: every session carries
 * on, a process's own publishes are shown by its own sessions, the failure is logged once, and
 * when Redis is back the process reconnects and sends what it published meanwhile, which the
 * others then show; a Redis that never answers at start is no reason not to serve.
 *
 *     redis_test PANE_BIN SOURCE_DIR [FILTER]
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "e2e.h"

#define NPANE 3

static struct e2e_server redis = {.name = "redis"};
static struct e2e_server panes[NPANE + 1] = {
    {.name = "pane-1"}, {.name = "pane-2"}, {.name = "pane-3"}, {.name = "pane-late"}};
static char redis_url[64];
static int redis_port;

static bool start_redis(void)
{
    char port[16];
    snprintf(port, sizeof port, "%d", redis_port);
    const char *argv[] = {
        "redis-server", "--port",     port,           "--bind", "127.0.0.1",
        "--save",       "",           "--appendonly", "no",     "--protected-mode",
        "no",           "--loglevel", "warning",      NULL};
    return e2e_server_start(&redis, &(struct e2e_spawn){.command = argv, .ready_port = redis_port});
}

static bool start_pane(int i, const char *url, const char *extra)
{
    const char *args[] = {e2e_src("tests/apps/shared.c"), "--redis", url, extra, NULL};
    return e2e_server_start(&panes[i], &(struct e2e_spawn){.args = args}) ||
           e2e_failw("%s", panes[i].name);
}

/* What a session shows of the three feeds, as its messages say. */
struct sess {
    struct e2e_cl *c;
    json_t *doc;
    long num, md, slider;
    double n;      /* the Number's value */
    char text[64]; /* the Markdown's text, tags dropped */
    double last_x; /* the Plot's last point */
    size_t points; /* in its window */
};

static void strip_tags(const char *html, char *out, size_t outlen)
{
    size_t o = 0;
    for (bool tag = false; *html && o + 1 < outlen; html++) {
        if (*html == '<')
            tag = true;
        else if (*html == '>')
            tag = false;
        else if (!tag && *html != '\n')
            out[o++] = *html;
    }
    out[o] = '\0';
}

static void sess_free(struct sess *x)
{
    json_decref(x->doc);
    e2e_cl_free(x->c);
    memset(x, 0, sizeof *x);
}

static bool sess_open(struct sess *x, const struct e2e_server *s)
{
    memset(x, 0, sizeof *x);
    x->n = x->last_x = NAN;
    x->c = e2e_open_session(s, "/shared/ws", "", &x->doc);
    if (!x->c)
        return e2e_failw("%s: a session", s->name);
    x->num = e2e_doc_id(x->doc, "Number", "n");
    x->md = e2e_doc_id(x->doc, "Markdown", NULL);
    x->slider = e2e_doc_id(x->doc, "IntSlider", "Publish");
    if (x->num < 0 || x->md < 0 || x->slider < 0)
        return e2e_fail("%s: the doc has no Number n, Markdown or slider", s->name);
    return true;
}

/* Reads what comes for up to ms, noting what the session shows. False when the socket ends. */
static bool pump(struct sess *x, int ms)
{
    long long end = e2e_now_ms() + ms;
    for (;;) {
        long long left = end - e2e_now_ms();
        struct wsc_msg m;
        int rc = e2e_cl_next(x->c, left > 0 ? (int)left : 0, &m);
        if (rc == 0)
            return true;
        if (rc < 0)
            return e2e_fail("the socket ended");
        if (m.opcode == WSC_BINARY) {
            struct e2e_rec r[8];
            int nr = e2e_data_records(&m, r, 8);
            for (int i = 0; i < nr; i++) {
                if (r[i].n)
                    x->last_x = r[i].x[r[i].n - 1];
                x->points = r[i].op == 2 ? r[i].n : x->points + r[i].n;
            }
        } else if (m.opcode == WSC_TEXT) {
            json_t *j = json_loads(m.data, 0, NULL);
            if (j && strcmp(e2e_msg_type(j), "patch") == 0) {
                double v = e2e_patch_number(j, x->num, NULL);
                if (!isnan(v))
                    x->n = v;
                json_t *ch = e2e_patch_changes(j, x->md);
                const char *html = ch ? e2e_jstr(ch, "html") : "";
                if (*html)
                    strip_tags(html, x->text, sizeof x->text);
            }
            json_decref(j);
        }
        wsc_msg_free(&m);
    }
}

/* Until the session shows v in all three feeds (or ms pass). */
static bool shows(struct sess *x, const char *who, double v, int ms)
{
    char want[64];
    snprintf(want, sizeof want, "v=%.0f", v);
    long long end = e2e_now_ms() + ms;
    while (!(x->n == v && strcmp(x->text, want) == 0 && x->last_x == v)) {
        if (e2e_now_ms() > end)
            return e2e_fail("%s shows n=%g, text \"%s\", last x %g; not %g", who, x->n, x->text,
                            x->last_x, v);
        if (!pump(x, 50))
            return e2e_failw("%s", who);
    }
    return true;
}

static bool publish(struct sess *x, double v)
{
    return e2e_sendf(x->c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":%.0f}",
                     x->slider, v);
}

/* How many subscribers a feed's channel has, from redis-cli. */
static int subscribers(const char *channel)
{
    char cmd[256], line[128];
    snprintf(cmd, sizeof cmd, "redis-cli -p %d PUBSUB NUMSUB '%s' 2>&1", redis_port, channel);
    FILE *p = popen(cmd, "r");
    int n = -1;
    for (int i = 0; p && fgets(line, sizeof line, p); i++)
        if (i == 1)
            n = (int)strtol(line, NULL, 10);
    if (p)
        pclose(p);
    return n;
}

static struct sess a, b, b2, c;

static bool case_fanout(void)
{
    if (!sess_open(&a, &panes[0]) || !sess_open(&b, &panes[1]) || !sess_open(&b2, &panes[1]) ||
        !sess_open(&c, &panes[2]))
        return false;
    if (!publish(&a, 11) || !shows(&a, "pane-1", 11, 5000) || !shows(&b, "pane-2", 11, 5000) ||
        !shows(&b2, "pane-2 (second session)", 11, 5000) || !shows(&c, "pane-3", 11, 5000))
        return false;
    if (!publish(&c, 12) || !shows(&a, "pane-1", 12, 5000) || !shows(&b, "pane-2", 12, 5000) ||
        !shows(&c, "pane-3", 12, 5000))
        return false;
    int subs[3] = {subscribers("pane:{shared-n}"), subscribers("pane:{shared-t}"),
                   subscribers("pane:{shared-s}")};
    for (int i = 0; i < 3; i++)
        if (subs[i] != NPANE)
            return e2e_fail("feed %d has %d subscribers in Redis, not one per process (%d)", i,
                            subs[i], NPANE);
    /* a burst from two processes: every process ends on the same value */
    for (int v = 100; v < 140; v++)
        if (!publish(v % 2 ? &a : &c, v))
            return false;
    long long end = e2e_now_ms() + 5000; /* the last in Redis' order: 138 or 139 */
    for (;;) {
        pump(&a, 20), pump(&b, 20), pump(&b2, 20), pump(&c, 20);
        if (a.n >= 138 && a.n == b.n && a.n == b2.n && a.n == c.n && a.last_x == 139 &&
            b.last_x == 139 && c.last_x == 139 && a.points == b.points && a.points == c.points &&
            e2e_expect_quiet(a.c, 100, "pong"))
            break;
        if (e2e_now_ms() > end)
            return e2e_fail("after a burst from two processes: %g %g %g %g (last x %g %g %g, "
                            "%zu %zu %zu points), not the same everywhere",
                            a.n, b.n, b2.n, c.n, a.last_x, b.last_x, c.last_x, a.points, b.points,
                            c.points);
    }
    return true;
}

/* The value a page shows in its server-rendered HTML: "v=V" of the Markdown, or -1. */
static double page_shows(const struct e2e_server *s)
{
    struct e2e_page p;
    double v = -1;
    if (e2e_get_page(s, "/shared", &p)) {
        const char *at = strstr(p.main, "v=");
        if (at)
            v = strtod(at + 2, NULL);
    }
    e2e_page_fini(&p);
    return v;
}

static bool case_late(void)
{
    double want = a.n; /* where the burst ended, everywhere */
    if (!start_pane(3, redis_url, NULL))
        return false;
    /* its first pages show the state Redis keeps as soon as it has read it, no publish needed */
    long long end = e2e_now_ms() + 5000;
    double v;
    while ((v = page_shows(&panes[3])) != want) {
        if (e2e_now_ms() > end)
            return e2e_fail("a process started later: its page shows v=%g, not %g", v, want);
        e2e_sleep_ms(50);
    }
    struct sess l;
    bool ok = sess_open(&l, &panes[3]) && pump(&l, 300);
    ok = ok && ((l.points == a.points && l.last_x == a.last_x) ||
                e2e_fail("its plot has %zu points up to %g, pane-1's %zu up to %g", l.points,
                         l.last_x, a.points, a.last_x));
    ok = ok && publish(&l, 150) && shows(&l, "a process started later", 150, 5000) &&
         shows(&a, "pane-1", 150, 5000);
    sess_free(&l);
    return ok && e2e_server_stop(&panes[3], SIGTERM, 10000) == 0;
}

static bool case_outage(void)
{
    size_t mark[NPANE];
    for (int i = 0; i < NPANE; i++)
        mark[i] = e2e_log_mark(&panes[i]);
    if (e2e_server_stop(&redis, SIGTERM, 10000) != 0)
        return e2e_fail("redis-server did not stop");
    for (int i = 0; i < NPANE; i++)
        if (!e2e_log_wait(&panes[i], mark[i], "redis: lost the connection", 5000))
            return e2e_failw("%s", panes[i].name);
    /* own publishes shown here, not elsewhere; the sessions stay */
    if (!publish(&a, 201) || !shows(&a, "pane-1 without Redis", 201, 5000) || !pump(&b, 300) ||
        !pump(&c, 10))
        return false;
    if (b.n != 150)
        return e2e_fail("pane-2 shows %g without Redis, not the last value 150", b.n);
    e2e_sleep_ms(1500); /* several attempts to reconnect: still one line */
    char line[512];
    for (int i = 0; i < NPANE; i++)
        if (e2e_log_has(&panes[i],
                        e2e_log_next_line(&panes[i], mark[i], "redis: lost", line, sizeof line),
                        "redis: "))
            return e2e_fail("%s logged more than one line about Redis being away", panes[i].name);
    if (!start_redis())
        return e2e_failw("redis-server again");
    for (int i = 0; i < NPANE; i++)
        if (!e2e_log_wait(&panes[i], mark[i], "redis: connected to", 10000))
            return e2e_failw("%s", panes[i].name);
    /* pane-1's publish made while Redis was away reaches the others when it is back */
    if (!shows(&b, "pane-2 after Redis came back", 201, 5000) ||
        !shows(&c, "pane-3 after Redis came back", 201, 5000) ||
        !shows(&a, "pane-1 after Redis came back", 201, 5000))
        return false;
    if (!publish(&b, 202) || !shows(&a, "pane-1", 202, 5000) || !shows(&c, "pane-3", 202, 5000))
        return false;
    for (int i = 0; i < NPANE; i++)
        if (!e2e_server_alive(&panes[i]))
            return e2e_failw("%s", panes[i].name);
    return true;
}

static bool case_unreachable(void)
{
    int port = e2e_free_port(); /* nothing listens there */
    char url[64];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", port);
    if (!start_pane(3, url, NULL))
        return false;
    struct sess l;
    bool ok = e2e_log_wait(&panes[3], 0, "redis: cannot reach", 5000) && sess_open(&l, &panes[3]);
    ok = ok && publish(&l, 7) && shows(&l, "a process without its Redis", 7, 5000);
    if (l.c)
        sess_free(&l);
    return ok && e2e_server_stop(&panes[3], SIGTERM, 10000) == 0;
}

static bool case_bad_url(void)
{
    const char *urls[] = {"http://127.0.0.1", "redis://", "redis://h:99999", "redis://h/x",
                          "unix:relative"};
    for (size_t i = 0; i < sizeof urls / sizeof *urls; i++) {
        char cmd[512];
        snprintf(cmd, sizeof cmd, "%s serve %s --redis '%s' >/dev/null 2>&1", e2e.pane_bin,
                 e2e_src("tests/apps/shared.c"), urls[i]);
        int rc = system(cmd);
        if (!WIFEXITED(rc) || WEXITSTATUS(rc) != 2)
            return e2e_fail("--redis %s: exit %d, not 2 (a usage error)", urls[i], rc);
    }
    return true;
}

int main(int argc, char **argv)
{
    e2e_init("redis", argc, argv, 240);
    redis_port = e2e_free_port();
    snprintf(redis_url, sizeof redis_url, "redis://127.0.0.1:%d/0", redis_port);
    bool up = start_redis();
    e2e_report("redis-server", up);
    for (int i = 0; up && i < NPANE; i++)
        up = start_pane(i, redis_url, i == 1 ? "--num-threads=2" : NULL);
    e2e_report("start", up);
    if (up) {
        E2E_CASE("fanout", case_fanout);
        E2E_CASE("late", case_late);
        E2E_CASE("outage", case_outage);
    }
    sess_free(&a), sess_free(&b), sess_free(&b2), sess_free(&c);
    E2E_CASE("unreachable", case_unreachable);
    E2E_CASE("bad-url", case_bad_url);
    for (int i = 0; i < NPANE; i++)
        if (panes[i].pid > 0)
            e2e_report(panes[i].name, e2e_server_stop(&panes[i], SIGTERM, 10000) == 0);
    if (redis.pid > 0)
        e2e_server_stop(&redis, SIGTERM, 10000);
    return e2e_finish();
}
