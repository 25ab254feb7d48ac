/*
 * test_panes: the panes and indicators (src/kinds/divider.c, spacer.c, progress.c, …) beyond
 * their markup (goldens are in test_render): what their builders refuse, at the app's line; what
 * their setters accept, adjust or refuse; and what their patches carry. Image: every misuse
 * (neither or both of data and path, no bytes, a cut header, unknown bytes, a .mime not served
 * or contradicted, 16 MiB + 1, a missing file, a folder, a FIFO, a sparse 16 MiB + 1 file, an
 * empty one) at the app's line, shown as the alt text; its setters' patches; its references in
 * the image store (1,000 sessions, one entry; pn_remove and the sessions' ends let go).
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

#include <sys/stat.h>
#include <unistd.h>

#include "base/images.h"
#include "kinds/kinds.h"

static pn_session *new_session(void)
{
    return pn__session_new(&(struct pn_session_init){.app_name = "t"});
}

/* The latest misuse (the list is most recent last: walk to the end). */
static const struct pn_misuse *last_misuse(pn_session *s)
{
    const struct pn_misuse *m = s->misuse;
    while (m && m->next)
        m = m->next;
    return m;
}

/* Asserts one more misuse than *count was recorded, at line of this file, containing text. */
static void assert_misuse_at(pn_session *s, unsigned *count, int line, const char *text)
{
    assert_int_equal(s->nmisuse, ++*count);
    const struct pn_misuse *m = last_misuse(s);
    assert_non_null(m);
    if (!strstr(m->msg, text))
        fail_msg("misuse \"%s\", want it to contain \"%s\"", m->msg, text);
    assert_non_null(strstr(m->here.file, "test_panes.c"));
    assert_int_equal(m->here.line, line);
}

/* The node's HTML. */
static char *html_of(const pn_node *n)
{
    struct pn_buf b;
    pn__buf_init(&b, 1 << 22);
    assert_int_equal(pn__render_node(&b, n), 0);
    return pn__buf_steal(&b, NULL);
}

static bool html_has(const pn_node *n, const char *text)
{
    char *h = html_of(n);
    bool has = strstr(h, text) != NULL;
    free(h);
    return has;
}

/* The changes of node n in the session's next patch (a new reference; NULL: none). */
static json_t *changes_of(pn_session *s, const pn_node *n)
{
    json_t *ops = json_array(), *found = NULL;
    assert_int_equal(pn__doc_patch_ops(s, ops), 0);
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op)
    {
        if (json_is_integer(json_array_get(op, 0)) &&
            json_integer_value(json_array_get(op, 0)) == (json_int_t)n->id)
            found = json_incref(json_array_get(op, 1));
    }
    json_decref(ops);
    return found;
}

static void test_divider_and_spacer_check_their_options(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *d = pn_divider(s, .color = "red;background:url(x)");
    assert_misuse_at(s, &m, __LINE__ - 1, "Divider.color");
    assert_false(html_has(d, "style="));
    pn_node *sp = pn_spacer(s, .width = -5, .height = 30);
    assert_misuse_at(s, &m, __LINE__ - 1, "Spacer.width");
    assert_true(html_has(sp, "pn-spacer pn-spacer-flex"));
    assert_true(html_has(sp, "style=\"height:30px;\""));
    pn_spacer(s, .height = 100001);
    assert_misuse_at(s, &m, __LINE__ - 1, "Spacer.height");
    assert_null(changes_of(s, d)); /* nothing to patch: neither has a setter */
    pn__session_free(s);
}

static void test_progress_checks_clamps_and_patches_its_value(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *p = pn_progress(s, .name = "Upload", .value = 250, .max = 200);
    assert_true(pn_progress_value(p) == 200); /* above max: full */
    pn_servable(s, p);
    pn_progress(s, .max = -3, .bar_color = "purple");
    m++; /* Progress.max, then: */
    assert_misuse_at(s, &m, __LINE__ - 2, "Progress.bar_color");
    pn_node *q = pn_progress(s, .value = NAN);
    assert_misuse_at(s, &m, __LINE__ - 1, "Progress.value");
    assert_true(html_has(q, "pn-progress-indeterminate"));
    assert_false(html_has(q, "aria-valuenow"));
    assert_null(changes_of(s, p));
    pn_progress_set_value(p, 50);
    json_t *c = changes_of(s, p);
    assert_non_null(c);
    assert_true(json_number_value(json_object_get(c, "value")) == 50);
    json_decref(c);
    assert_true(html_has(p, "aria-valuenow=\"50\""));
    assert_true(html_has(p, "width:25%"));
    pn_progress_set_value(p, 1e9); /* clamped, as a slider */
    assert_true(pn_progress_value(p) == 200);
    pn_progress_set_value(p, INFINITY);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_progress_set_value");
    pn_progress_set_max(p, 0);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_progress_set_max");
    pn_progress_set_bar_color(p, "red");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_progress_set_bar_color");
    pn_progress_set_value(p, -1);
    pn_progress_set_bar_color(p, "warning");
    pn_progress_set_name(p, "Bytes \xff");
    c = changes_of(s, p);
    assert_true(json_number_value(json_object_get(c, "value")) == -1);
    assert_string_equal(json_string_value(json_object_get(c, "bar_color")), "warning");
    assert_string_equal(json_string_value(json_object_get(c, "name")), "Bytes \xef\xbf\xbd");
    json_decref(c);
    assert_true(html_has(p, "pn-color-warning pn-progress-indeterminate"));
    pn_node *tenth = pn_progress(s, .value = 0.05, .max = 0.1); /* ARIA values as a Number */
    assert_true(html_has(tenth, "aria-valuemax=\"0.1\" aria-valuenow=\"0.05\""));
    pn_node *d = pn_divider(s);
    pn_progress_set_value(d, 1);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_progress_set_value");
    pn__session_free(s);
}

static void test_spinner_and_boolean_status_check_and_patch(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *sp = pn_loading_spinner(s, .size = 4, .color = "blue");
    assert_int_equal(s->nmisuse, m += 2);
    assert_true(html_has(sp, "width:40px;height:40px"));
    assert_true(html_has(sp, "pn-color-primary"));
    pn_node *b = pn_boolean_status(s, .color = "#0f0");
    assert_misuse_at(s, &m, __LINE__ - 1, "BooleanStatus.color");
    pn_servable(s, pn_row(s, sp, b));
    pn_loading_spinner_set_value(sp, true);
    pn_loading_spinner_set_name(sp, "Busy");
    json_t *c = changes_of(s, sp);
    assert_true(json_is_true(json_object_get(c, "value")));
    assert_string_equal(json_string_value(json_object_get(c, "name")), "Busy");
    json_decref(c);
    assert_true(html_has(sp, "pn-loading-spinner-on\" id="));
    assert_true(html_has(sp, "aria-busy=\"true\" aria-label=\"Busy\""));
    pn_boolean_status_set_value(b, true);
    pn_boolean_status_set_color(b, "success");
    c = changes_of(s, b);
    assert_true(json_is_true(json_object_get(c, "value")));
    assert_string_equal(json_string_value(json_object_get(c, "color")), "success");
    json_decref(c);
    assert_true(html_has(b, "aria-label=\"on\""));
    pn_boolean_status_set_color(b, "green");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_boolean_status_set_color");
    pn_boolean_status_set_value(sp, true);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_boolean_status_set_value");
    pn__session_free(s);
}

static void test_alert_checks_its_type_and_patches_rendered_markdown(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *a = pn_alert(s, .text = "*hi*", .alert_type = "error");
    assert_misuse_at(s, &m, __LINE__ - 1, "Alert.alert_type");
    assert_true(html_has(a, "class=\"pn-alert pn-color-primary\""));
    assert_true(html_has(a, "role=\"alert\"><p><em>hi</em></p>"));
    pn_servable(s, a);
    pn_alert_set_text(a, "<script>x</script> **bold**");
    json_t *c = changes_of(s, a);
    const char *h = json_string_value(json_object_get(c, "html"));
    assert_non_null(h);
    assert_null(strstr(h, "<script"));
    assert_non_null(strstr(h, "<strong>bold</strong>"));
    assert_null(json_object_get(c, "alert_type")); /* only what changed */
    assert_null(json_object_get(c, "text"));       /* the client never parses Markdown */
    json_decref(c);
    pn_alert_set_type(a, "success");
    c = changes_of(s, a);
    assert_string_equal(json_string_value(json_object_get(c, "alert_type")), "success");
    assert_null(json_object_get(c, "html"));
    json_decref(c);
    pn_alert_set_type(a, "green");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_alert_set_type");
    pn_alert_set_text(pn_pre(s), "x");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_alert_set_text");
    pn__session_free(s);
}

static void test_pre_escapes_and_patches_its_text(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_pre(s, .text = "</pre><script>");
    assert_true(html_has(p, ">&lt;/pre&gt;&lt;script&gt;</pre>"));
    pn_servable(s, p);
    pn_pre_set_text(p, "line 1\n  line \xc3");
    assert_string_equal(pn_pre_text(p), "line 1\n  line \xef\xbf\xbd"); /* repaired */
    json_t *c = changes_of(s, p);
    assert_string_equal(json_string_value(json_object_get(c, "text")), pn_pre_text(p));
    json_decref(c);
    assert_string_equal(pn_pre_text(pn_divider(s)), "");
    assert_int_equal(s->nmisuse, 0);
    pn__session_free(s);
}

/* n arrays nested: "[[[…1…]]]" (heap). */
static char *nested(int n)
{
    char *t = malloc((size_t)n * 2 + 2);
    assert_non_null(t);
    memset(t, '[', (size_t)n);
    t[n] = '1';
    memset(t + n + 1, ']', (size_t)n);
    t[2 * n + 1] = '\0';
    return t;
}

static size_t count_of(const char *h, const char *what)
{
    size_t k = 0;
    for (const char *p = h; (p = strstr(p, what)); p++)
        k++;
    return k;
}

static void test_json_misuse_is_at_the_apps_line_and_shown_as_text(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *j = pn_json(s, .json = "{\"a\": 1,}");
    assert_misuse_at(s, &m, __LINE__ - 1, "JSON: not JSON (line 1");
    assert_true(html_has(j, "<pre class=\"pn-json-invalid\">{&quot;a&quot;: 1,}</pre>"));
    pn_node *none = pn_json(s); /* nothing yet: no misuse, an empty box */
    assert_int_equal(s->nmisuse, m);
    assert_true(html_has(none, "data-pn-kind=\"JSON\"></div>"));
    pn_json_set_text(none, "");
    assert_int_equal(s->nmisuse, m);
    pn_json(s, .json = "[]", .depth = -2);
    assert_misuse_at(s, &m, __LINE__ - 1, "JSON.depth");
    pn_servable(s, j);
    pn_json_set_text(j, "{\"b\": \"<i>\"}");
    assert_int_equal(s->nmisuse, m);
    json_t *c = changes_of(s, j);
    const char *h = json_string_value(json_object_get(c, "html"));
    assert_non_null(strstr(h, "<span class=\"pn-json-string\">&quot;&lt;i&gt;&quot;</span>"));
    json_decref(c);
    pn_json_set_text(j, "nope");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_json_set_text: not JSON");
    assert_true(html_has(j, ">nope</pre>")); /* stored, shown as text */
    pn_json_set_depth(j, -5);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_json_set_depth");
    pn_json_set_depth(j, -1);
    assert_int_equal(s->nmisuse, m);
    pn_json_set_text(pn_pre(s), "{}");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_json_set_text");
    pn__session_free(s);
}

static void test_json_deeper_than_64_levels_is_cut_to_text(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    char *t = nested(64);
    pn_node *ok = pn_json(s, .json = t, .depth = -1);
    free(t);
    assert_int_equal(s->nmisuse, m);
    char *h = html_of(ok);
    assert_int_equal(count_of(h, "<details"), 64);
    assert_null(strstr(h, "pn-json-deep"));
    free(h);
    t = nested(65);
    pn_node *deep = pn_json(s, .json = t, .depth = -1);
    assert_misuse_at(s, &m, __LINE__ - 1, "deeper than 64 levels");
    free(t);
    h = html_of(deep);
    assert_int_equal(count_of(h, "<details"), 64);
    assert_non_null(strstr(h, "<span class=\"pn-json-deep\">[1]</span>"));
    free(h);
    t = nested(5000); /* past jansson's own bound: not JSON to it, shown as text */
    pn_node *far = pn_json(s, .json = t);
    assert_misuse_at(s, &m, __LINE__ - 1, "not JSON");
    free(t);
    assert_true(html_has(far, "pn-json-invalid"));
    /* a wide document: siblings do not count as levels */
    pn_json(s, .json = "[[1], [2], [3], {\"a\": [[[]]]}]");
    assert_int_equal(s->nmisuse, m);
    pn__session_free(s);
}

static void test_trend_copies_rolls_over_and_patches_its_body(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    double data[] = {1, 2, NAN, 4};
    pn_node *t = pn_trend(s, .name = "Rate", .data = data, .n = 4, .rollover = 3);
    assert_misuse_at(s, &m, __LINE__ - 1, "Trend.data: 1 value is not finite");
    data[3] = 99; /* copied: the app's array may change or go */
    assert_int_equal(pn_trend_len(t), 3);
    assert_true(html_has(t, "<div class=\"pn-trend-value\">4</div>"));
    assert_true(html_has(t, "pn-trend pn-trend-up"));
    assert_true(html_has(t, "▲ +100.00%"));
    pn_servable(s, t);
    pn_trend_push(t, 3);
    assert_int_equal(pn_trend_len(t), 3); /* the oldest went */
    json_t *c = changes_of(s, t);
    assert_string_equal(json_string_value(json_object_get(c, "dir")), "down");
    const char *h = json_string_value(json_object_get(c, "html"));
    assert_non_null(strstr(h, "▼ -25.00%"));
    assert_non_null(strstr(h, "the last 3 values"));
    json_decref(c);
    pn_trend_push(t, INFINITY);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_trend_push");
    assert_null(changes_of(s, t)); /* refused: nothing to send */
    pn_trend_push(pn_pre(s), 1);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_trend_push called on a Str");
    pn_trend(s, .rollover = 1, .format = "{v}");
    m++;
    assert_misuse_at(s, &m, __LINE__ - 2, "Trend.format");
    pn_trend(s, .n = 3);
    assert_misuse_at(s, &m, __LINE__ - 1, ".data is NULL");
    pn_node *z = pn_trend(s, .rollover = 10);
    pn_trend_push(z, 0), pn_trend_push(z, 5);
    assert_true(html_has(z, "▲ +5</div>")); /* from 0: the difference itself */
    for (int i = 0; i < 25; i++)
        pn_trend_push(z, i);
    assert_int_equal(pn_trend_len(z), 10);
    pn__session_free(s); /* frees the values (LeakSanitizer in the asan preset) */
}

static void test_gauge_checks_its_range_and_patches_value_and_drawing(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *g = pn_gauge(s, .name = "CPU", .value = 42, .format = "{value}%",
                          .colors = PN_COLORS({50, "green"}, {1e9, "red"}));
    assert_int_equal(s->nmisuse, m);
    assert_true(html_has(g, "role=\"meter\" aria-valuemin=\"0\" aria-valuemax=\"100\" "
                            "aria-valuenow=\"42\" aria-valuetext=\"42%\" aria-label=\"CPU\""));
    assert_true(html_has(g, "style=\"stroke:green\""));
    pn_servable(s, g);
    pn_gauge_set_value(g, 80);
    json_t *c = changes_of(s, g);
    assert_true(json_number_value(json_object_get(c, "value")) == 80);
    assert_string_equal(json_string_value(json_object_get(c, "text")), "80%");
    assert_non_null(strstr(json_string_value(json_object_get(c, "html")), "stroke:red"));
    assert_null(json_object_get(c, "name"));
    json_decref(c);
    pn_gauge_set_value(g, 1000); /* drawn at the end, announced as the max */
    pn_gauge_set_name(g, "Load");
    c = changes_of(s, g);
    assert_true(json_number_value(json_object_get(c, "value")) == 100);
    assert_string_equal(json_string_value(json_object_get(c, "name")), "Load");
    json_decref(c);
    pn_gauge_set_value(g, NAN);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_gauge_set_value");
    pn_gauge(s, .min = 5, .max = 5);
    assert_misuse_at(s, &m, __LINE__ - 1, "Gauge: min 5 is not below max 5");
    assert_true(html_has(pn_gauge(s, .value = 0.3, .min = 0.1, .max = 0.7),
                         "aria-valuemin=\"0.1\" aria-valuemax=\"0.7\" aria-valuenow=\"0.3\""));
    pn_node *low = pn_gauge(s, .value = -3);
    assert_false(html_has(low, "pn-gauge-bar")); /* nothing of the arc is filled */
    pn_gauge_set_value(low, 1);
    assert_int_equal(s->nmisuse, m);
    pn__session_free(s);
}

/* Every string option of these kinds is made valid UTF-8 where the builder copies it. */
static void test_builders_repair_utf8(void **state)
{
    (void)state;
    pn_session *s = new_session();
    const char *bad = "a\xff<b";
    const pn_node *nodes[] = {
        pn_progress(s, .name = bad),
        pn_loading_spinner(s, .name = bad),
        pn_boolean_status(s, .name = bad),
        pn_alert(s, .text = bad),
        pn_pre(s, .text = bad),
        pn_trend(s, .name = bad),
        pn_gauge(s, .name = bad),
        pn_json(s, .json = "[\"a\xff<b\"]"),
    };
    for (size_t i = 0; i < PN_COUNT(nodes); i++)
        if (!html_has(nodes[i], "a\xef\xbf\xbd&lt;b"))
            fail_msg("%s: no U+FFFD in %s", nodes[i]->desc->name, html_of(nodes[i]));
    assert_int_equal(s->nmisuse, 0);
    pn__session_free(s);
}

/* ---- Image (src/kinds/image.c) ---- */

/* A PNG's signature and IHDR of w×h: all pane reads of one. */
static void png_head(unsigned char *p, uint32_t w, uint32_t h)
{
    static const unsigned char head[16] = {0x89, 'P', 'N', 'G',  0x0d, 0x0a, 0x1a, 0x0a,
                                           0,    0,   0,   0x0d, 'I',  'H',  'D',  'R'};
    memcpy(p, head, 16);
    for (int i = 0; i < 4; i++) {
        p[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        p[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
}

static const char *image_src(pn_session *s, const pn_node *n, char *out, size_t outlen)
{
    (void)s;
    char *h = html_of(n);
    const char *src = strstr(h, " src=\"");
    out[0] = '\0';
    if (src) {
        src += 6;
        size_t k = (size_t)(strchr(src, '"') - src);
        snprintf(out, outlen, "%.*s", (int)(k < outlen ? k : outlen - 1), src);
    }
    free(h);
    return out;
}

static struct pn_images_stats image_stats(void)
{
    struct pn_images_stats st;
    pn__images_stats(&st);
    return st;
}

/* A file of this test's own with len bytes of p (NULL: a sparse file of len). */
static char *temp_file(const void *p, size_t len)
{
    char *path = strdup("/tmp/pane-test-image.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    if (p)
        assert_int_equal(write(fd, p, len), (ssize_t)len);
    else
        assert_int_equal(ftruncate(fd, (off_t)len), 0);
    close(fd);
    return path;
}

static void test_image_misuse_is_at_the_apps_line_and_shows_the_alt(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    char src[200];
    unsigned char png[24];
    png_head(png, 640, 480);
    pn_node *n = pn_image(s, .alt = "Sales \xff<chart>");
    assert_misuse_at(s, &m, __LINE__ - 1, "Image without .data or .path");
    assert_true(html_has(n, "<img alt=\"Sales \xef\xbf\xbd&lt;chart&gt;\"></figure>"));
    n = pn_image(s, .data = png, .len = sizeof png, .path = "x.png");
    assert_misuse_at(s, &m, __LINE__ - 1, "both .data and .path");
    assert_string_equal(image_src(s, n, src, sizeof src), "");
    pn_image(s, .data = png, .len = 0);
    assert_misuse_at(s, &m, __LINE__ - 1, "no bytes");
    pn_image(s, .len = 5);
    assert_misuse_at(s, &m, __LINE__ - 1, "NULL bytes");
    pn_image(s, .data = "hello", .len = 5);
    assert_misuse_at(s, &m, __LINE__ - 1, "not a PNG, JPEG, GIF, WebP or SVG");
    pn_image(s, .data = png, .len = 20); /* a cut header */
    assert_misuse_at(s, &m, __LINE__ - 1, "not a PNG");
    /* .mime names what pane cannot recognise; one it does not serve, or that the bytes
     * contradict, is misuse (the bytes win) */
    n = pn_image(s, .data = "BM\x1e\0\0\0", .len = 6, .mime = "image/bmp");
    assert_int_equal(s->nmisuse, m);
    assert_non_null(strstr(image_src(s, n, src, sizeof src), ".bmp"));
    assert_false(html_has(n, "width="));
    n = pn_image(s, .data = png, .len = sizeof png, .mime = "text/html");
    assert_misuse_at(s, &m, __LINE__ - 1, "Image.mime: \"text/html\" is not a type");
    assert_non_null(strstr(image_src(s, n, src, sizeof src), ".png"));
    n = pn_image(s, .data = png, .len = sizeof png, .mime = "image/jpeg");
    assert_misuse_at(s, &m, __LINE__ - 1, ".mime is image/jpeg but the bytes are image/png");
    assert_true(html_has(n, ".png\" width=\"640\" height=\"480\" alt=\"\">"));
    /* 16 MiB is the most */
    unsigned char *big = calloc(1, PN_IMAGE_MAX + 1);
    png_head(big, 1, 1);
    pn_image(s, .data = big, .len = PN_IMAGE_MAX + 1);
    assert_misuse_at(s, &m, __LINE__ - 1, "16777217 bytes, over the 16 MiB");
    n = pn_image(s, .data = big, .len = PN_IMAGE_MAX);
    assert_int_equal(s->nmisuse, m);
    assert_non_null(strstr(image_src(s, n, src, sizeof src), ".png"));
    free(big);
    /* files */
    pn_image(s, .path = "/nonexistent/pane/logo.png");
    assert_misuse_at(s, &m, __LINE__ - 1,
                     "Image.path: \"/nonexistent/pane/logo.png\": No such file or directory");
    pn_image(s, .path = "/tmp");
    assert_misuse_at(s, &m, __LINE__ - 1, "not a regular file");
    char fifo[] = "/tmp/pane-test-fifo.XXXXXX";
    int fd = mkstemp(fifo);
    close(fd), unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pn_image(s, .path = fifo); /* opened without blocking, then refused */
    assert_misuse_at(s, &m, __LINE__ - 1, "not a regular file");
    unlink(fifo);
    char *sparse = temp_file(NULL, PN_IMAGE_MAX + 1);
    pn_image(s, .path = sparse);
    assert_misuse_at(s, &m, __LINE__ - 1, "over the 16 MiB");
    unlink(sparse), free(sparse);
    char *empty = temp_file("", 0);
    pn_image(s, .path = empty);
    assert_misuse_at(s, &m, __LINE__ - 1, "an empty file");
    unlink(empty), free(empty);
    char *file = temp_file(png, sizeof png);
    n = pn_image(s, .path = file, .alt = "from a file");
    assert_int_equal(s->nmisuse, m);
    assert_true(html_has(n, "width=\"640\" height=\"480\" alt=\"from a file\">"));
    unlink(file), free(file);
    assert_null(PN_COPTS(n, pn_image_opts)->path); /* the app's pointers are not kept */
    assert_null(PN_COPTS(n, pn_image_opts)->data);
    pn__session_free(s);
    assert_int_equal(image_stats().held, 0);
}

static void test_image_setters_patch_the_picture_and_its_texts(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t", .prefix = "/p"});
    unsigned m = 0;
    unsigned char png[24];
    png_head(png, 16, 8);
    static const char svg[] = "<svg width='30' height='20'/>";
    pn_node *n = pn_image(s, .data = png, .len = sizeof png, .alt = "a", .caption = "c");
    pn_servable(s, n);
    json_t *tree = pn__doc_tree_json(s->root),
           *props = json_object_get(json_array_get(tree, 0), "props");
    assert_non_null(strstr(json_string_value(json_object_get(props, "src")), "/p/_pane/img/"));
    assert_int_equal(json_integer_value(json_object_get(props, "width")), 16);
    assert_string_equal(json_string_value(json_object_get(props, "alt")), "a");
    assert_null(json_object_get(props, "mime")); /* inputs, not shown */
    assert_null(json_object_get(props, "path"));
    json_decref(tree);
    assert_null(changes_of(s, n));

    pn_image_set(n, svg, strlen(svg));
    json_t *c = changes_of(s, n);
    const char *src = json_string_value(json_object_get(c, "src"));
    assert_true(strncmp(src, "/p/_pane/img/", 13) == 0 && strlen(src) == 13 + 64 + 4);
    assert_string_equal(src + 13 + 64, ".svg");
    assert_int_equal(json_integer_value(json_object_get(c, "width")), 30);
    assert_int_equal(json_integer_value(json_object_get(c, "height")), 20);
    assert_null(json_object_get(c, "alt"));
    json_decref(c);
    pn_image_set(n, svg, strlen(svg)); /* the same picture: nothing to send */
    assert_null(changes_of(s, n));
    assert_int_equal(image_stats().refs, 1); /* the PNG let go */

    pn_image_set(n, "junk", 4);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_image_set: the bytes are not");
    assert_null(changes_of(s, n)); /* kept */
    pn_image_set(n, NULL, 3);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_image_set: NULL bytes");
    pn_image_set_path(n, "/nonexistent.png");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_image_set_path: \"/nonexistent.png\"");
    pn_image_set_path(n, NULL);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_image_set_path: NULL path");
    pn_image_set(pn_pre(s), png, sizeof png);
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_image_set called on a Str");
    pn_image_set_alt(pn_pre(s), "x");
    assert_misuse_at(s, &m, __LINE__ - 1, "pn_image_set_alt called on a Str");
    assert_null(changes_of(s, n));

    char *file = temp_file(png, sizeof png);
    pn_image_set_path(n, file);
    unlink(file), free(file);
    c = changes_of(s, n);
    assert_non_null(strstr(json_string_value(json_object_get(c, "src")), ".png"));
    assert_int_equal(json_integer_value(json_object_get(c, "width")), 16);
    json_decref(c);

    pn_image_set(n, NULL, 0); /* none: the alt text */
    c = changes_of(s, n);
    assert_string_equal(json_string_value(json_object_get(c, "src")), "");
    assert_int_equal(json_integer_value(json_object_get(c, "width")), 0);
    json_decref(c);
    assert_true(html_has(n, "<img alt=\"a\"><figcaption"));
    assert_int_equal(image_stats().refs, 0);

    pn_image_set_alt(n, "<new> alt");
    pn_image_set_caption(n, "");
    c = changes_of(s, n);
    assert_string_equal(json_string_value(json_object_get(c, "alt")), "<new> alt");
    assert_string_equal(json_string_value(json_object_get(c, "caption")), "");
    assert_null(json_object_get(c, "src"));
    json_decref(c);
    assert_true(html_has(n, "<img alt=\"&lt;new&gt; alt\"></figure>")); /* no empty caption */
    pn__session_free(s);
}

/* 1,000 sessions showing one picture hold one entry; pn_remove and the sessions' ends let go. */
static void test_image_in_many_sessions_is_stored_once(void **state)
{
    (void)state;
    unsigned char png[24];
    png_head(png, 2, 2);
    size_t entries = image_stats().entries;
    pn_session *ss[1000];
    pn_node *first = NULL;
    for (int i = 0; i < 1000; i++) {
        ss[i] = new_session();
        pn_node *n = pn_image(ss[i], .data = png, .len = sizeof png);
        pn_servable(ss[i], n);
        if (i == 0)
            first = n;
    }
    struct pn_images_stats st = image_stats();
    assert_int_equal(st.entries, entries + 1);
    assert_int_equal(st.refs, 1000);
    pn_remove(first);
    assert_int_equal(image_stats().refs, 999);
    for (int i = 0; i < 1000; i++)
        pn__session_free(ss[i]);
    assert_int_equal(image_stats().held, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_divider_and_spacer_check_their_options),
        cmocka_unit_test(test_progress_checks_clamps_and_patches_its_value),
        cmocka_unit_test(test_spinner_and_boolean_status_check_and_patch),
        cmocka_unit_test(test_alert_checks_its_type_and_patches_rendered_markdown),
        cmocka_unit_test(test_pre_escapes_and_patches_its_text),
        cmocka_unit_test(test_json_misuse_is_at_the_apps_line_and_shown_as_text),
        cmocka_unit_test(test_json_deeper_than_64_levels_is_cut_to_text),
        cmocka_unit_test(test_trend_copies_rolls_over_and_patches_its_body),
        cmocka_unit_test(test_gauge_checks_its_range_and_patches_value_and_drawing),
        cmocka_unit_test(test_builders_repair_utf8),
        cmocka_unit_test(test_image_misuse_is_at_the_apps_line_and_shows_the_alt),
        cmocka_unit_test(test_image_setters_patch_the_picture_and_its_texts),
        cmocka_unit_test(test_image_in_many_sessions_is_stored_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
