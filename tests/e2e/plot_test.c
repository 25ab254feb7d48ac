/*
 * plot_test (e2e.plot): a Plot's data against a real `pane serve` (tests/apps/plot.c).
 *
 *   stream      after the doc, the window (op 2); then each tick's 3 points in one message
 *               (op 1), complete and in order, both series right
 *   resume      a reconnect with the token gets a doc and the whole window so far
 *   slow-reader a client that stops reading while 6.4 MB/s of points are appended: the server
 *               holds back (RSS bounded), the socket stays open, and when the client reads
 *               again it gets the window (op 2), never the backlog
 *   bad         bad plot calls are misuse lines naming the app's line; the page and a socket
 *               still work
 *   feed        (a server of its own, --num-threads 2, tests/apps/feed.c) sessions on both loops
 *               showing one feed that a session on either loop appends to: each gets every
 *               point, in order, and the same bytes after its record's header
 *
 *   plot_test PANE_BIN SOURCE_DIR [FILTER]
 *   PANE_WRAPPER="valgrind ..." PANE_TIMEOUT_SCALE=5 plot_test ...   the servers under valgrind
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "wsclient.h"

#define T 5000

static struct e2e_server S = {.name = "plot"}, F = {.name = "feed"};

/* Decodes a data message; false with e2e_why on any defect. */
static bool decode(const struct wsc_msg *m, struct e2e_rec *r, int max, int *nrec)
{
    return (*nrec = e2e_data_records(m, r, max)) >= 0;
}

/* The next data message within ms: 1, 0 on timeout, -1 on anything else (e2e_why). Text
 * messages (patches) are skipped. */
static int next_data(struct e2e_cl *c, int ms, struct wsc_msg *m)
{
    long long end = e2e_now_ms() + ms;
    for (;;) {
        long long left = end - e2e_now_ms();
        int rc = e2e_cl_next(c, left > 0 ? (int)left : 0, m);
        if (rc <= 0)
            return rc == 0 ? 0 : (e2e_fail("connection over"), -1);
        if (m->opcode == WSC_BINARY)
            return 1;
        if (m->opcode == WSC_CLOSE) {
            e2e_fail("close %u (%s)", m->code, m->data);
            wsc_msg_free(m);
            return -1;
        }
        wsc_msg_free(m);
    }
}

/* Checks a record of the stream app: x from `from` on, y0 = x, y1 = -x. */
static bool stream_rec_ok(const struct e2e_rec *r, double from)
{
    if (r->k != 2)
        return e2e_fail("%u series, want 2", r->k);
    for (unsigned i = 0; i < r->n; i++)
        if (r->x[i] != from + i || r->y[0][i] != r->x[i] || r->y[1][i] != -r->x[i])
            return e2e_fail("point %u: x %g y %g %g, want x %g", i, r->x[i], r->y[0][i], r->y[1][i],
                            from + i);
    return true;
}

static char token[160];

static bool case_stream(void)
{
    json_t *doc = NULL;
    struct e2e_cl *c = e2e_open_session(&S, "/plot/ws", "mode=stream", &doc);
    if (!c)
        return false;
    snprintf(token, sizeof token, "%s", e2e_jstr(doc, "token"));
    long plot = e2e_doc_id(doc, "Plot", NULL);
    json_decref(doc);
    struct wsc_msg m;
    struct e2e_rec r[4];
    int nrec, msgs = 0;
    double next = 0;
    bool ok = next_data(c, T, &m) == 1 && decode(&m, r, 4, &nrec);
    if (ok && (nrec != 1 || r[0].op != 2 || r[0].id != (unsigned)plot))
        ok = e2e_fail("after the doc: %d records, op %u for #%u; want the window of #%ld", nrec,
                      r[0].op, r[0].id, plot);
    if (ok && r[0].n) /* the window so far (the timer starts on connect: usually empty) */
        ok = stream_rec_ok(&r[0], 0), next = r[0].x[r[0].n - 1] + 1;
    if (msgs++, ok)
        wsc_msg_free(&m);
    long long end = e2e_now_ms() + 1500;
    while (ok && e2e_now_ms() < end) {
        if (next_data(c, T, &m) != 1) {
            ok = false;
            break;
        }
        ok = decode(&m, r, 4, &nrec);
        if (ok && (nrec != 1 || r[0].op != 1 || r[0].n != 3))
            ok = e2e_fail("message %d: %d records, op %u, %u points; want one append of a "
                          "tick's 3 points",
                          msgs, nrec, r[0].op, r[0].n);
        ok = ok && stream_rec_ok(&r[0], next);
        next += 3, msgs++;
        wsc_msg_free(&m);
    }
    if (ok && next < 60)
        ok = e2e_fail("%g points in 1.5 s (3 every 20 ms)", next);
    if (ok)
        fprintf(stderr, "stream: %d messages, %g points, in order\n", msgs, next);
    e2e_close_nicely(c);
    return ok;
}

static bool case_resume(void)
{
    struct e2e_cl *c = e2e_cl_open(&S, "/plot/ws");
    json_t *doc = c ? e2e_hello_doc(c, token, "mode=stream") : NULL;
    bool ok = doc && !strcmp(e2e_jstr(doc, "token"), token);
    if (doc && !ok)
        e2e_fail("the token did not resume its session");
    json_decref(doc);
    struct wsc_msg m;
    struct e2e_rec r[4];
    int nrec;
    ok = ok && next_data(c, T, &m) == 1;
    if (ok) {
        ok = decode(&m, r, 4, &nrec) && stream_rec_ok(&r[0], r[0].n ? r[0].x[0] : 0);
        if (ok && (r[0].op != 2 || r[0].n < 60 || r[0].x[0] != 0))
            ok = e2e_fail("resume: op %u with %u points from x %g; want the window from 0", r[0].op,
                          r[0].n, r[0].n ? r[0].x[0] : -1);
        wsc_msg_free(&m);
    }
    if (c)
        e2e_close_nicely(c);
    return ok;
}

static bool case_slow_reader(void)
{
    json_t *doc = NULL;
    struct e2e_cl *c = e2e_open_session(&S, "/plot/ws", "mode=flood", &doc);
    json_decref(doc);
    if (!c)
        return false;
    long rss0 = e2e_server_rss_kib(&S);
    c->silent = true;
    e2e_sleep_ms(4000); /* 25 MB of points appended meanwhile */
    long rss1 = e2e_server_rss_kib(&S);
    c->silent = false;
    fprintf(stderr, "slow-reader: RSS %ld KiB before, %ld KiB after 4 s unread\n", rss0, rss1);
    bool ok = e2e_server_alive(&S);
    if (ok && rss1 - rss0 > 48 * 1024)
        ok = e2e_fail("RSS grew by %ld KiB while the client did not read", rss1 - rss0);
    /* now read: appends contiguous, and at least one whole window after the first message */
    struct wsc_msg m;
    struct e2e_rec r[4];
    int nrec, windows = 0, msgs = 0;
    double next = -1;
    long long end = e2e_now_ms() + 3000;
    while (ok && e2e_now_ms() < end) {
        if (next_data(c, T, &m) != 1) {
            ok = false;
            break;
        }
        ok = decode(&m, r, 4, &nrec);
        for (int i = 0; ok && i < nrec; i++) {
            if (r[i].op == 2) {
                windows += msgs > 0;
                if (r[i].n > 20000)
                    ok = e2e_fail("a window of %u points (rollover 20000)", r[i].n);
            } else if (next >= 0 && r[i].n && r[i].x[0] != next) {
                ok = e2e_fail("an append from x %g after x %g: points lost", r[i].x[0], next - 1);
            }
            if (r[i].n)
                next = r[i].x[r[i].n - 1] + 1;
        }
        msgs++;
        wsc_msg_free(&m);
    }
    if (ok && !windows)
        ok = e2e_fail("%d messages after reading again, none a whole window", msgs);
    if (ok)
        fprintf(stderr, "slow-reader: %d messages, %d whole windows, last x %g\n", msgs, windows,
                next - 1);
    e2e_close_nicely(c);
    return ok;
}

static bool case_bad(void)
{
    size_t mark = e2e_log_mark(&S);
    struct e2e_page p;
    bool ok = e2e_get_page(&S, "/plot?mode=bad", &p);
    e2e_page_fini(&p);
    static const char *const lines[] = {
        "plot.c:42: Plot.rollover -5 is not in 2..",
        "plot.c:42: Plot.height 1 is not in 80..4000",
        "plot.c:45: pn_plot_push: 1 values for a Plot of 2 series",
        "plot.c:46: pn_plot_append: NULL x or y with 9 points",
        "plot.c:47: pn_plot_append: 1 of 2 points dropped",
        "plot.c:48: pn_plot_push called on a Number",
    };
    for (size_t i = 0; ok && i < sizeof lines / sizeof *lines; i++)
        if (!e2e_log_wait(&S, mark, lines[i], T))
            ok = e2e_fail("no misuse line with `%s`", lines[i]);
    json_t *doc = NULL;
    struct e2e_cl *c = ok ? e2e_open_session(&S, "/plot/ws", "mode=bad", &doc) : NULL;
    if (ok && !c)
        ok = false;
    struct wsc_msg m;
    struct e2e_rec r[4];
    int nrec;
    if (ok && next_data(c, T, &m) == 1) {
        ok = decode(&m, r, 4, &nrec);
        if (ok && (r[0].n != 2 || r[0].x[1] != 6 || r[0].y[0][1] == r[0].y[0][1]))
            ok = e2e_fail("window of %u points; want x 5 and 6, the second y a gap (NaN)", r[0].n);
        wsc_msg_free(&m);
    } else if (ok) {
        ok = false;
    }
    json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    return ok;
}

/* The loop a session's token names: the low byte of its id (base64url of id, then expiry). */
static int token_loop(const char *tok)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char raw[16];
    size_t n = 0;
    unsigned acc = 0;
    int bits = 0;
    for (const char *p = tok; *p && *p != '.' && n < sizeof raw; p++) {
        const char *c = strchr(b64, *p);
        if (!c)
            return -1;
        acc = acc << 6 | (unsigned)(c - b64), bits += 6;
        if (bits >= 8)
            raw[n++] = (unsigned char)(acc >> (bits -= 8));
    }
    return n >= 8 ? raw[7] : -1; /* the id is big-endian: its low byte is the 8th */
}

static bool case_feed(void)
{
    enum { W = 6 };
    struct e2e_cl *w[W] = {0}, *pub = NULL;
    json_t *doc = NULL;
    int loops[2] = {0, 0};
    bool ok = true;
    for (int i = 0; ok && i < W; i++) {
        ok = (w[i] = e2e_open_session(&F, "/feed/ws", "", &doc)) != NULL;
        int l = ok ? token_loop(e2e_jstr(doc, "token")) : -1;
        if (l == 0 || l == 1)
            loops[l]++;
        json_decref(doc);
        doc = NULL;
    }
    if (ok)
        fprintf(stderr, "feed: %d watchers on loop 0, %d on loop 1\n", loops[0], loops[1]);
    ok = ok && (pub = e2e_open_session(&F, "/feed/ws", "pub=1", &doc));
    json_decref(doc);
    /* every watcher: the window after its doc, then appends continuing it, same bytes */
    double next[W];
    char *first[W] = {0};
    size_t first_len[W] = {0};
    long long end = e2e_now_ms() + 1500;
    for (int i = 0; i < W; i++)
        next[i] = -1;
    while (ok && e2e_now_ms() < end)
        for (int i = 0; ok && i < W; i++) {
            struct wsc_msg m;
            struct e2e_rec r[4];
            int nrec;
            int got = next_data(w[i], 50, &m);
            if (got < 0) {
                ok = false;
                break;
            }
            if (!got)
                continue;
            ok = decode(&m, r, 4, &nrec);
            for (int j = 0; ok && j < nrec; j++) {
                if (r[j].op == 2) { /* the window: from 0, or empty before the publisher */
                    ok = r[j].n == 0 || stream_rec_ok(&r[j], r[j].x[0]);
                } else if (next[i] >= 0 && r[j].n && r[j].x[0] != next[i]) {
                    ok = e2e_fail("watcher %d: an append from x %g after %g", i, r[j].x[0],
                                  next[i] - 1);
                } else {
                    ok = stream_rec_ok(&r[j], r[j].x[0]);
                    if (ok && r[j].x[0] == 50) { /* one append all of them get: its bytes */
                        size_t body = 8 * r[j].n * 3;
                        first[i] = malloc(body);
                        memcpy(first[i], r[j].x, body);
                        first_len[i] = body;
                    }
                }
                if (r[j].n)
                    next[i] = r[j].x[r[j].n - 1] + 1;
            }
            wsc_msg_free(&m);
        }
    for (int i = 0; ok && i < W; i++)
        if (next[i] < 100)
            ok = e2e_fail("watcher %d got points up to %g in 1.5 s (250 a second)", i, next[i]);
    /* the same append (from x 50) in every watcher: the same bytes, unless one got it within a
     * window (then it has none) */
    for (int i = 1; ok && i < W; i++)
        if (first[i] && first[0] &&
            (first_len[i] != first_len[0] || memcmp(first[i], first[0], first_len[0])))
            ok = e2e_fail("watchers 0 and %d got different bytes for the append from x 50", i);
    for (int i = 0; i < W; i++) {
        free(first[i]);
        if (w[i])
            e2e_close_nicely(w[i]);
    }
    if (pub)
        e2e_close_nicely(pub);
    return ok;
}

int main(int argc, char **argv)
{
    e2e_init("plot", argc, argv, 120);
    signal(SIGPIPE, SIG_IGN);
    const char *args[] = {e2e_src("tests/apps/plot.c"), NULL};
    const char *wrapper = getenv("PANE_WRAPPER");
    if (!e2e_server_start(&S, &(struct e2e_spawn){.args = args, .wrapper = wrapper})) {
        e2e_report("start", false);
        return e2e_finish();
    }
    E2E_CASE("stream", case_stream);
    E2E_CASE("resume", case_resume);
    E2E_CASE("slow-reader", case_slow_reader);
    E2E_CASE("bad", case_bad);
    e2e_report("alive", e2e_server_alive(&S));
    e2e_report("sigterm", e2e_server_stop(&S, SIGTERM, 10000) == 0);
    if (e2e_selected("feed")) {
        const char *fargs[] = {"--num-threads", "2", e2e_src("tests/apps/feed.c"), NULL};
        if (!e2e_server_start(&F, &(struct e2e_spawn){.args = fargs, .wrapper = wrapper}))
            e2e_report("feed", false);
        else
            E2E_CASE("feed", case_feed);
        e2e_report("feed sigterm", e2e_server_stop(&F, SIGTERM, 10000) == 0);
        /* pn_app_init once in the worker (with 2 loops), pn_app_cleanup at its end */
        char line[256];
        bool init1 = e2e_log_line(&F, 0, "feed app: pn_app_init 1 of feed", line, sizeof line);
        bool init2 = e2e_log_has(&F, 0, "feed app: pn_app_init 2");
        bool cleanup = e2e_log_has(&F, 0, "feed app: pn_app_cleanup of feed");
        if (!init1 || init2 || !cleanup)
            e2e_fail("init once %d, twice %d, cleanup %d", init1, init2, cleanup);
        e2e_report("feed init-cleanup", init1 && !init2 && cleanup);
    }
    return e2e_finish();
}
