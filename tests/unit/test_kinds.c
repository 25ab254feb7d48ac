/*
 * test_kinds: what a kind does beyond its markup (goldens are in test_render): the Plot's window
 * (a ring buffer bounded by its rollover), its data messages (only new points, coalesced, the
 * whole window when the client missed some or got a new doc), the misuse of bad plot calls, and
 * that a session frees what its plots hold (LeakSanitizer in the asan preset).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kinds/kinds.h"

static pn_session *new_session(void)
{
    return pn__session_new(&(struct pn_session_init){.app_name = "t"});
}

/* One record of a data message, decoded as the client does (pane.js: data()). */
struct rec {
    uint32_t id;
    int op, k;
    uint32_t n;
    const double *x, *y[16];
};

/* Decodes a whole message into recs (at most max); returns how many, failing on any defect. */
static int decode(const struct pn_buf *b, struct rec *recs, int max)
{
    assert_true(b->len >= 8);
    assert_int_equal((unsigned char)b->data[0], 1);
    int nrec = 0;
    size_t off = 8;
    while (off < b->len) {
        assert_true(nrec < max);
        assert_true(off + 16 <= b->len);
        assert_int_equal(off % 8, 0); /* the client's Float64Arrays need it */
        uint32_t h[4];
        memcpy(h, b->data + off, sizeof h);
        struct rec *r = &recs[nrec++];
        r->id = h[0], r->op = (int)(h[1] & 0xff), r->k = (int)(h[1] >> 8 & 0xff), r->n = h[2];
        assert_int_equal(h[1] >> 16, 0);
        assert_int_equal(h[3], 0);
        r->x = (const double *)(const void *)(b->data + off + 16);
        for (int i = 0; i < r->k; i++)
            r->y[i] = r->x + (size_t)r->n * (size_t)(1 + i);
        off += 16 + 8 * (size_t)r->n * (size_t)(1 + r->k);
        assert_true(off <= b->len);
    }
    return nrec;
}

/* The data message the session would send now (mode as pn__doc_data). */
static int data_now(pn_session *s, int mode, struct pn_buf *b, struct rec *recs, int max)
{
    pn__buf_reset(b);
    assert_int_equal(pn__doc_data(s, mode, b), 0);
    return b->len ? decode(b, recs, max) : 0;
}

static void test_plot_window_keeps_the_last_rollover_points(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_plot(s, .rollover = 5, .series = PN_SERIES({"a"}, {"b"}));
    pn_servable(s, p);
    for (int i = 0; i < 8; i++)
        pn_plot_push(p, i, 10 * i, -i);
    assert_int_equal(pn_plot_len(p), 5);
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    struct rec r[4];
    assert_int_equal(data_now(s, PN_DATA_SNAPSHOT, &b, r, 4), 1);
    assert_int_equal(r[0].id, p->id);
    assert_int_equal(r[0].op, 2);
    assert_int_equal(r[0].k, 2);
    assert_int_equal(r[0].n, 5);
    for (int i = 0; i < 5; i++) { /* the oldest three went, in order */
        assert_true(r[0].x[i] == 3 + i);
        assert_true(r[0].y[0][i] == 10 * (3 + i));
        assert_true(r[0].y[1][i] == -(3 + i));
    }
    pn__buf_fini(&b);
    assert_int_equal(s->nmisuse, 0);
    pn__session_free(s);
}

static void test_plot_sends_only_new_points_coalesced(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_plot(s, .rollover = 100);
    pn_node *q = pn_plot(s, .rollover = 100, .series = PN_SERIES({"u"}, {"v"}, {"w"}));
    pn_servable(s, pn_column(s, p, q));
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    struct rec r[4];
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 4), 0); /* nothing yet */
    double x[3] = {1, 2, 3}, y[3] = {4, 5, 6};
    pn_plot_append(p, x, y, 3);
    pn_plot_push(p, 4, 7);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 4), 1); /* both appends, one record */
    assert_int_equal(r[0].op, 1);
    assert_int_equal(r[0].n, 4);
    assert_true(r[0].x[0] == 1 && r[0].x[3] == 4 && r[0].y[0][3] == 7);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 4), 0); /* sent: nothing more */
    pn_plot_push(p, 5, 8);
    pn_plot_push(q, 5, 1, 2, 3);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 4), 2); /* one message for both plots */
    int iq = r[0].id == q->id ? 0 : 1;
    assert_int_equal(r[iq].k, 3);
    assert_int_equal(r[iq].n, 1);
    assert_true(r[iq].y[2][0] == 3);
    assert_int_equal(r[1 - iq].n, 1);
    assert_true(r[1 - iq].x[0] == 5);
    /* bytes per (x, y) point: 16 for one series, less for more */
    assert_int_equal(b.len, 8 + (16 + 8 * 2) + (16 + 8 * 4));
    pn__buf_fini(&b);
    pn__session_free(s);
}

static void test_plot_client_that_missed_points_gets_the_window(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_plot(s, .rollover = 10);
    pn_servable(s, p);
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    struct rec r[2];
    for (int i = 0; i < 25; i++) /* more than the window while nothing was sent */
        pn_plot_push(p, i, i);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 2); /* the window, not 25 points */
    assert_int_equal(r[0].n, 10);
    assert_true(r[0].x[0] == 15 && r[0].x[9] == 24);
    for (int i = 25; i < 30; i++)
        pn_plot_push(p, i, i);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 1); /* fewer than the window: an append (the ring wrapped) */
    assert_int_equal(r[0].n, 5);
    assert_true(r[0].x[0] == 25 && r[0].x[4] == 29);
    /* nobody listens: dropped, and the next doc's snapshot carries the window */
    pn_plot_push(p, 30, 30);
    assert_int_equal(pn__doc_data(s, PN_DATA_DROP, NULL), 0);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 0);
    assert_int_equal(data_now(s, PN_DATA_SNAPSHOT, &b, r, 2), 1);
    assert_int_equal(r[0].op, 2);
    assert_true(r[0].x[9] == 30);
    /* replaced: the whole (new) window, even if small */
    double x[2] = {100, 101}, y[2] = {1, 2};
    pn_plot_set_data(p, x, y, 2);
    assert_int_equal(pn_plot_len(p), 2);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 2);
    assert_int_equal(r[0].n, 2);
    pn_plot_set_data(p, NULL, NULL, 0); /* cleared */
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].n, 0);
    pn__buf_fini(&b);
    assert_int_equal(s->nmisuse, 0);
    pn__session_free(s);
}

static void test_plot_append_marks_the_session_for_a_flush(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_plot(s);
    pn_servable(s, p);
    json_t *ops = json_array();
    assert_int_equal(pn__doc_patch_ops(s, ops), 0); /* as a flush: the session is clean */
    assert_null(s->dirty);
    pn_plot_push(p, 1, 2);
    assert_ptr_equal(s->dirty, p); /* the server flushes; the JSON patch has nothing for it */
    assert_true(p->dirty_mask & PN_DIRTY_DATA);
    assert_int_equal(pn__doc_patch_ops(s, ops), 0);
    assert_int_equal(json_array_size(ops), 0); /* no JSON op: the data goes in binary */
    json_decref(ops);
    pn__session_free(s);
}

static void test_bad_plot_calls_are_misuse(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_plot(s, .series = PN_SERIES({"a"}, {"b"}));
    pn_node *num = pn_number(s, .value = 1);
    unsigned m = s->nmisuse;
    pn_plot_push(p, 1, 2); /* one y for two series */
    assert_int_equal(s->nmisuse, ++m);
    assert_int_equal(pn_plot_len(p), 0);
    pn_plot_push(num, 1, 2); /* not a plot */
    assert_int_equal(s->nmisuse, ++m);
    pn_plot_append(p, NULL, NULL, 3);
    assert_int_equal(s->nmisuse, ++m);
    double x[4] = {1, 3, 2, NAN}, y[8] = {0};
    pn_plot_append(p, x, y, 4); /* 2 goes back, NaN is no x: both dropped, one misuse */
    assert_int_equal(s->nmisuse, ++m);
    assert_int_equal(pn_plot_len(p), 2);
    pn_plot_push(p, 2.5, 1, 1); /* behind the last x (3) */
    assert_int_equal(s->nmisuse, ++m);
    pn_plot_push(p, 4, NAN, INFINITY); /* a gap: kept */
    assert_int_equal(s->nmisuse, m);
    assert_int_equal(pn_plot_len(p), 3);
    pn_plot_push(NULL, 1, 2); /* nothing to record it on: ignored */
    /* options: rollover, height, type, series count, range */
    pn_node *q =
        pn_plot(s, .rollover = -3, .height = 5, .type = (pn_plot_type)42, .y_min = NAN, .y_max = 1);
    assert_int_equal(s->nmisuse, m + 4);
    assert_int_equal(PN_COPTS(q, pn_plot_opts)->rollover, 2);
    assert_int_equal(PN_COPTS(q, pn_plot_opts)->height, 300);
    assert_int_equal(PN_COPTS(q, pn_plot_opts)->type, PN_LINE);
    m = s->nmisuse;
    pn_node *big = pn_plot(s, .rollover = 1000000, .series = PN_SERIES({"a"}, {"b"}, {"c"}));
    assert_int_equal(s->nmisuse, ++m);
    assert_int_equal(PN_COPTS(big, pn_plot_opts)->rollover, 500000); /* 16 MB of doubles */
    pn_series many[20];
    for (int i = 0; i < 19; i++)
        many[i] = (pn_series){"s", NULL};
    many[19] = (pn_series){&pn_series_end, NULL};
    pn_node *wide = pn_plot(s, .series = many);
    assert_int_equal(s->nmisuse, ++m);
    double one[17] = {0};
    pn_plot_push_at(wide, 1, one, 16, PN_HERE); /* 16 series kept */
    assert_int_equal(s->nmisuse, m);
    pn_node *colors = pn_plot(s, .series = PN_SERIES({"a", "red; x: y"}));
    assert_int_equal(s->nmisuse, ++m);
    (void)colors;
    pn__session_free(s); /* every window freed: LeakSanitizer */
}

/* ---- feeds ---- */

static int woken;
static void count_wake(void *ud)
{
    (void)ud;
    woken++;
}

/* Two sessions' plots of one feed: the same bytes after their own headers; a watcher is told of
 * each append; the sessions keep nothing of the data themselves. */
static void test_feed_appends_are_encoded_once_for_every_plot(void **state)
{
    (void)state;
    pn_feed *f = pn_feed_series("t-shared", 2, 50);
    assert_non_null(f);
    assert_ptr_equal(pn_feed_series("t-shared", 2, 50), f);
    assert_null(pn_feed_series("t-shared", 3, 50)); /* another shape */
    assert_null(pn_feed_series("", 1, 50));
    assert_null(pn_feed_series("t-bad", 1, 1));
    pn__feed_watch(f, count_wake, NULL);
    pn_session *a = new_session(), *b = new_session();
    pn_node *pa = pn_plot(a, .feed = f, .series = PN_SERIES({"u"}, {"v"}));
    pn_node *pb = pn_plot(b, .title = "other", .feed = f);
    pn_node *px = pn_plot(b, .feed = f, .series = PN_SERIES({"one"})); /* 1 name, 2 series */
    assert_int_equal(a->nmisuse, 0);
    assert_int_equal(b->nmisuse, 1);
    pn_servable(a, pa);
    pn_servable(b, pn_column(b, pb, px));
    struct pn_buf ba, bb;
    pn__buf_init(&ba, 1 << 20);
    pn__buf_init(&bb, 1 << 20);
    struct rec ra[4], rb[4];
    assert_int_equal(data_now(a, PN_DATA_SNAPSHOT, &ba, ra, 4), 1); /* the empty window */
    assert_int_equal(ra[0].n, 0);
    assert_int_equal(pn__doc_data(b, PN_DATA_DROP, NULL), 0);
    double x[3] = {1, 2, 3}, y[6] = {10, -10, 20, -20, 30, -30};
    pn_feed_append(f, x, y, 3);
    pn_feed_push(f, 4, 40, -40);
    assert_int_equal(woken, 2);
    assert_int_equal(pn_plot_len(pa), 4);
    assert_int_equal(data_now(a, PN_DATA_SEND, &ba, ra, 4), 1);
    assert_int_equal(data_now(b, PN_DATA_SEND, &bb, rb, 4), 2); /* both plots of b */
    assert_int_equal(ra[0].op, 1);
    assert_int_equal(ra[0].n, 4);
    assert_true(ra[0].x[3] == 4 && ra[0].y[0][3] == 40 && ra[0].y[1][3] == -40);
    size_t body = 8 * 4 * 3;
    assert_int_equal(ba.len, 8 + 16 + body);
    assert_memory_equal(ba.data + 24, bb.data + 24, body); /* the same encoded bytes */
    assert_memory_equal(ba.data + 24, bb.data + 24 + 16 + body, body);
    assert_int_equal(data_now(a, PN_DATA_SEND, &ba, ra, 4), 0); /* nothing new */
    /* a plot of a feed takes no data of its own */
    unsigned m = a->nmisuse;
    pn_plot_push(pa, 5, 1, 2);
    assert_int_equal(a->nmisuse, m + 1);
    pn__buf_fini(&ba);
    pn__buf_fini(&bb);
    pn__session_free(a);
    pn__session_free(b);
    pn__feed_unwatch(f, count_wake, NULL);
}

/* A client further behind than the chunks kept, or an append past the window in one call, gets
 * the window; the feed's memory stays bounded by its rollover. */
static void test_feed_client_behind_gets_the_window(void **state)
{
    (void)state;
    pn_feed *f = pn_feed_series("t-behind", 1, 10);
    pn_session *s = new_session();
    pn_node *p = pn_plot(s, .feed = f);
    pn_servable(s, p);
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    struct rec r[2];
    assert_int_equal(pn__doc_data(s, PN_DATA_DROP, NULL), 0);
    for (int i = 0; i < 3; i++)
        pn_feed_push(f, i, i);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 1);
    assert_int_equal(r[0].n, 3);
    for (int i = 3; i < 40; i++) /* 37 points while this session sent nothing */
        pn_feed_push(f, i, i);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 2);
    assert_int_equal(r[0].n, 10);
    assert_true(r[0].x[0] == 30 && r[0].x[9] == 39);
    for (int i = 40; i < 45; i++) /* 5 one by one: from the chunks */
        pn_feed_push(f, i, i);
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 1);
    assert_true(r[0].n == 5 && r[0].x[0] == 40 && r[0].x[4] == 44);
    double x[25], y[25];
    for (int i = 0; i < 25; i++)
        x[i] = 100 + i, y[i] = -i;
    pn_feed_append(f, x, y, 25); /* more than the window at once */
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 1);
    assert_int_equal(r[0].op, 2);
    assert_true(r[0].n == 10 && r[0].x[0] == 115 && r[0].y[0][9] == -24);
    double back = 50, yb = 0;
    pn_feed_append(f, &back, &yb, 1); /* x went back: dropped */
    assert_int_equal(data_now(s, PN_DATA_SEND, &b, r, 2), 0);
    /* its page draws the feed's window */
    struct pn_buf h;
    pn__buf_init(&h, 1 << 20);
    assert_int_equal(pn__render_node(&h, p), 0);
    assert_non_null(strstr(h.data, ": 10 points of 1 series"));
    pn__buf_fini(&h);
    pn__buf_fini(&b);
    pn__session_free(s);
}

/* Number and text feeds: Numbers and Markdowns bound to them show the value in their HTML;
 * each version is encoded once per key (format and colours), whatever the number of nodes;
 * their own value is refused; a feed of the wrong type is misuse. */
static void test_value_feeds_encode_once_per_key(void **state)
{
    (void)state;
    pn_feed *t = pn_feed_number("t-temp"), *md = pn_feed_text("t-status");
    assert_non_null(t);
    assert_non_null(md);
    assert_ptr_equal(pn_feed_number("t-temp"), t);
    assert_null(pn_feed_text("t-temp"));   /* the name is a number feed's */
    assert_null(pn_feed_number("t-shared")); /* and that one a series feed's */
    assert_null(pn_feed_number(""));
    assert_true(pn_feed_get(t) == 0);
    pn_feed_set(t, 21.5);
    assert_true(pn_feed_get(t) == 21.5);
    pn_feed_set_text(md, "all **good** \xff"); /* invalid UTF-8 is repaired */
    pn_feed_set(md, 3);                         /* the wrong type: nothing published */
    pn_feed_set_text(t, "x");
    pn_feed_push(t, 1, 2);
    assert_true(pn_feed_get(t) == 21.5);

    pn_session *a = new_session(), *b = new_session();
    pn_node *na = pn_number(a, .format = "{value:.1f} °C", .feed = t);
    pn_node *nb = pn_number(b, .format = "{value:.1f} °C", .feed = t);
    pn_node *nc = pn_number(b, .format = "{value:.0f}", .feed = t,
                            .colors = PN_COLORS({30, "blue"}, {1e9, "red"}));
    pn_node *ma = pn_markdown(a, .text = "ignored", .feed = md);
    assert_int_equal(a->nmisuse + b->nmisuse, 0);
    struct pn_buf h;
    pn__buf_init(&h, 1 << 20);
    assert_int_equal(pn__render_node(&h, na), 0);
    assert_non_null(strstr(h.data, ">21.5 °C</div>"));
    h.len = 0;
    assert_int_equal(pn__render_node(&h, ma), 0);
    assert_non_null(strstr(h.data, "<p>all <strong>good</strong> \xef\xbf\xbd</p>"));

    uint64_t before = pn__feed_encodings();
    struct pn_feed_snap s1, s2, sm;
    pn__feed_snap(t, &s1);
    const char *ka = na->desc->feed_key(na), *kb = nb->desc->feed_key(nb),
               *kc = nc->desc->feed_key(nc);
    assert_string_equal(ka, kb);
    assert_string_not_equal(ka, kc);
    struct pn_blob *ea = pn__feed_encoded(t, &s1, ka, na);
    pn_feed_set(t, 99); /* published meanwhile: this round still shows s1's value */
    struct pn_blob *eb = pn__feed_encoded(t, &s1, kb, nb);
    struct pn_blob *ec = pn__feed_encoded(t, &s1, kc, nc);
    assert_ptr_equal(ea, eb); /* one encoding for both sessions */
    assert_string_equal(ea->data, "{\"text\":\"21.5 °C\"}");
    assert_string_equal(ec->data, "{\"text\":\"22\",\"color\":\"blue\"}");
    assert_int_equal(pn__feed_encodings() - before, 2);
    pn__blob_unref(ea), pn__blob_unref(eb), pn__blob_unref(ec);
    for (int i = 0; i < 100; i++) /* published, never asked for: never encoded */
        pn_feed_set(t, 40 + i);
    pn__feed_snap(t, &s2);
    assert_int_equal(s2.version, s1.version + 101);
    ea = pn__feed_encoded(t, &s2, ka, na);
    assert_string_equal(ea->data, "{\"text\":\"139.0 °C\"}");
    assert_int_equal(pn__feed_encodings() - before, 3);
    pn__blob_unref(ea);
    pn__feed_snap(md, &sm);
    struct pn_blob *em = pn__feed_encoded(md, &sm, ma->desc->feed_key(ma), ma);
    assert_string_equal(em->data, "{\"html\":\"<p>all <strong>good</strong> \xef\xbf\xbd</p>\\n\"}");
    pn__blob_unref(em);
    pn__feed_snap_fini(&s1), pn__feed_snap_fini(&s2), pn__feed_snap_fini(&sm);

    /* a format change makes another key */
    pn_number_set_format(nb, "{value}");
    assert_string_not_equal(nb->desc->feed_key(nb), ka);
    /* the node's own value is refused while it shows a feed */
    unsigned m = b->nmisuse;
    pn_number_set_value(nb, 3);
    pn_markdown_set_text(ma, "no");
    assert_int_equal(b->nmisuse, m + 1);
    assert_int_equal(a->nmisuse, 1);
    /* feeds of the wrong type */
    pn_number(a, .feed = md);
    pn_markdown(a, .feed = t);
    pn_plot(a, .feed = t);
    assert_int_equal(a->nmisuse, 4);
    pn__buf_fini(&h);
    pn__session_free(a);
    pn__session_free(b);
}

/* ---- Table ---- */

/* 1,000 rows: "row <i>" (text), i % 10 (number), a third column of names with one "Needle". */
static void table_cell(void *data, size_t row, int col, pn_cell *c)
{
    static char text[32];
    (void)data;
    if (col == 2)
        snprintf(text, sizeof text, row == 777 ? "a NeedLe here" : "hay %zu", row);
    else
        snprintf(text, sizeof text, "row %zu", row);
    c->text = text;
    c->num = (double)(row % 10);
}

static const char *send_event(pn_node *n, const char *prop, struct pn_value v, struct pn_call *c)
{
    const char *why = NULL;
    *c = (struct pn_call){0};
    return pn__node_event(n, (pn_str){prop, strlen(prop)}, &v, c, &why);
}

/* The patch the session would send now for n ({"rows": …} etc.), as a JSON object. */
static json_t *table_patch(pn_session *s)
{
    json_t *ops = json_array();
    assert_int_equal(pn__doc_patch_ops(s, ops), 0);
    json_t *changes = json_array_size(ops) ? json_incref(json_array_get(json_array_get(ops, 0), 1))
                                           : NULL;
    json_decref(ops);
    return changes;
}

static int selected_calls;
static void on_select(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)n, (void)arg;
    selected_calls++;
}

/* Events: view sends the rows around the first row shown; sort is stable both ways; filter
 * (any case, text columns); select runs the callback and follows its key across set_rows; bad
 * values are refused with their codes. */
static void test_table_viewport_sort_filter_select(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *t = pn_table(s, .columns = PN_COLUMNS({"Name"}, {"Mod", PN_NUMBER}, {"Tag"}),
                          .rows = 1000, .cell = table_cell, .page_size = 10, .filter = true,
                          .key_column = 1, .on_select = on_select);
    assert_int_equal(s->nmisuse, 0);
    pn_servable(s, t);
    json_decref(table_patch(s)); /* what building marked */
    struct pn_call call;
    /* view: rows 480..530 around 500 (2 pages each side), total 1000 */
    assert_null(send_event(t, "view", (struct pn_value){.type = PN_V_NUM, .num = 500}, &call));
    json_t *p = table_patch(s), *rows = json_object_get(p, "rows");
    assert_int_equal(json_integer_value(json_object_get(rows, "from")), 480);
    assert_int_equal(json_integer_value(json_object_get(rows, "total")), 1000);
    json_t *list = json_object_get(rows, "rows");
    assert_int_equal(json_array_size(list), 50);
    assert_string_equal(json_string_value(json_array_get(json_array_get(list, 20), 1)), "row 500");
    assert_string_equal(json_string_value(json_object_get(rows, "count")), "501–510 of 1,000");
    json_decref(p);
    /* sort by Mod descending: 9s first, in the app's order (stable) */
    assert_null(send_event(t, "sort", (struct pn_value){.type = PN_V_NUM, .num = -2}, &call));
    p = table_patch(s);
    list = json_object_get(json_object_get(p, "rows"), "rows");
    assert_int_equal(json_integer_value(json_object_get(p, "sort")), -2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(p, "rows"), "first")), 0);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(list, 0), 0)), 9);
    assert_int_equal(json_integer_value(json_array_get(json_array_get(list, 1), 0)), 19);
    json_decref(p);
    /* filter: any case, over the text columns */
    assert_null(send_event(t, "filter", (struct pn_value){.type = PN_V_STR, .str = "needle"},
                           &call));
    p = table_patch(s);
    rows = json_object_get(p, "rows");
    assert_int_equal(json_integer_value(json_object_get(rows, "total")), 1);
    assert_string_equal(json_string_value(json_object_get(rows, "count")),
                        "1–1 of 1 (filtered from 1,000)");
    json_decref(p);
    /* select: only a row shown; the callback runs */
    assert_string_equal(send_event(t, "select", (struct pn_value){.type = PN_V_NUM, .num = 5},
                                   &call),
                        "bad-value");
    assert_null(send_event(t, "select", (struct pn_value){.type = PN_V_NUM, .num = 777}, &call));
    assert_ptr_equal(call.fn, on_select);
    assert_int_equal(pn_table_selected(t), 777);
    json_decref(table_patch(s));
    /* the data moves: the key ("row 777") is found at its new place */
    assert_null(send_event(t, "filter", (struct pn_value){.type = PN_V_STR, .str = ""}, &call));
    json_decref(table_patch(s));
    pn_table_set_rows(t, 500, NULL); /* row 777 is gone: no selection */
    assert_int_equal(pn_table_selected(t), PN_NO_ROW);
    p = table_patch(s);
    assert_true(json_is_null(json_object_get(p, "selected")));
    json_decref(p);
    /* bad events: their codes, nothing changed */
    struct {
        const char *prop;
        struct pn_value v;
        const char *code;
    } bad[] = {
        {"view", {.type = PN_V_NUM, .num = -1}, "bad-value"},
        {"view", {.type = PN_V_NUM, .num = 1.5}, "bad-value"},
        {"view", {.type = PN_V_STR, .str = "1"}, "bad-value"},
        {"sort", {.type = PN_V_NUM, .num = 4}, "bad-value"},
        {"filter", {.type = PN_V_NUM, .num = 1}, "bad-value"},
        {"select", {.type = PN_V_NUM, .num = 1e12}, "bad-value"},
        {"rows", {.type = PN_V_NUM, .num = 1}, "bad-prop"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_string_equal(send_event(t, bad[i].prop, bad[i].v, &call), bad[i].code);
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_string_equal(send_event(t, "filter", (struct pn_value){.type = PN_V_STR, .str = big},
                                   &call),
                        "bad-value");
    assert_int_equal(s->nmisuse, 0);
    pn__session_free(s);
}

/* A million rows: sorting costs 4 bytes a row (the view), the first page renders, and bad
 * builder calls are misuse at the app's line. */
static void test_table_million_rows_and_misuse(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *t = pn_table(s, .columns = PN_COLUMNS({"Name"}, {"Mod", PN_NUMBER}), .rows = 1000000,
                          .cell = table_cell, .sort = 2);
    struct pn_buf h;
    pn__buf_init(&h, 1 << 20);
    assert_int_equal(pn__render_node(&h, t), 0);
    assert_non_null(strstr(h.data, "1–15 of 1,000,000"));
    assert_non_null(strstr(h.data, "data-row=\"10\"")); /* mod 0: rows 0, 10, 20 … first */
    pn__buf_fini(&h);
    unsigned m = s->nmisuse;
    pn_table(s, .rows = 3, .cell = table_cell);                       /* no columns */
    pn_table(s, .columns = PN_COLUMNS({"A"}), .rows = 3);             /* no cell function */
    pn_table(s, .columns = PN_COLUMNS({"A"}), .page_size = 1000);     /* page size */
    pn_table(s, .columns = PN_COLUMNS({"A"}), .sort = 3);             /* no such column */
    pn_table(s, .columns = PN_COLUMNS({"A"}), .key_column = -1);      /* no such column */
    pn_table_set_rows(pn_markdown(s, .text = "x"), 3, NULL);          /* not a table */
    assert_int_equal(s->nmisuse, m + 6);
    assert_int_equal(pn_table_selected(NULL), PN_NO_ROW);
    pn__session_free(s);
}

/* ---- FileDownload ---- */

static size_t make_size;
static void make_bytes(pn_session *s, pn_node *n, pn_download *d, void *arg)
{
    (void)s, (void)n, (void)arg;
    static char chunk[1 << 16];
    memset(chunk, 'a', sizeof chunk);
    for (size_t left = make_size; left;) {
        size_t k = left < sizeof chunk ? left : sizeof chunk;
        pn_download_write(d, chunk, k);
        left -= k;
    }
}

/* A click runs make, whose bytes the next patch carries in base64 (once); over 8 MiB the
 * download fails as misuse and nothing is carried; no make is misuse at the builder. */
static void test_file_download_carries_what_make_wrote(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *f = pn_file_download(s, .filename = "a.txt", .mime = "text/plain",
                                  .make = make_bytes);
    pn_servable(s, f);
    json_decref(table_patch(s));
    struct pn_call call;
    make_size = 4;
    assert_null(send_event(f, "clicks", (struct pn_value){0}, &call));
    assert_non_null(call.fn);
    call.fn(s, f, call.arg);
    json_t *p = table_patch(s), *file = json_object_get(p, "file");
    assert_string_equal(json_string_value(json_object_get(file, "name")), "a.txt");
    assert_string_equal(json_string_value(json_object_get(file, "mime")), "text/plain");
    assert_string_equal(json_string_value(json_object_get(file, "data")), "YWFhYQ==");
    json_decref(p);
    assert_null(table_patch(s)); /* once */
    unsigned m = s->nmisuse;
    make_size = (8u << 20) + 1;
    call.fn(s, f, call.arg);
    assert_int_equal(s->nmisuse, m + 1);
    assert_null(table_patch(s)); /* nothing saved */
    assert_string_equal(send_event(f, "value", (struct pn_value){0}, &call), "bad-prop");
    pn_file_download(s, .label = "no make");
    assert_int_equal(s->nmisuse, m + 2);
    pn__session_free(s);
}

static int free_feeds(void **state)
{
    (void)state;
    pn__feeds_free(); /* LeakSanitizer: every feed, chunk and watcher */
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plot_window_keeps_the_last_rollover_points),
        cmocka_unit_test(test_plot_sends_only_new_points_coalesced),
        cmocka_unit_test(test_plot_client_that_missed_points_gets_the_window),
        cmocka_unit_test(test_plot_append_marks_the_session_for_a_flush),
        cmocka_unit_test(test_bad_plot_calls_are_misuse),
        cmocka_unit_test(test_feed_appends_are_encoded_once_for_every_plot),
        cmocka_unit_test(test_feed_client_behind_gets_the_window),
        cmocka_unit_test(test_value_feeds_encode_once_per_key),
        cmocka_unit_test(test_table_viewport_sort_filter_select),
        cmocka_unit_test(test_table_million_rows_and_misuse),
        cmocka_unit_test(test_file_download_carries_what_make_wrote),
    };
    return cmocka_run_group_tests(tests, NULL, free_feeds);
}
