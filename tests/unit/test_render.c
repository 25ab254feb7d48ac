/*
 * test_render: escaping, the template compiler and renderer, server-side rendering of every
 * component (compared with tests/golden/<name>.html; PANE_UPDATE_GOLDEN=1 rewrites them, and
 * the diff is reviewed), whole pages, the index page, Markdown, and the promise that text from
 * outside (a title from ?city=, a number's name or format, a card title) comes out as text.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "render/render.h"

#define MAX_OUT (1 << 20)

static const struct pn_page_ctx page_ctx = {
    .css_url = "/static/0123456789abcdef/pane.css",
    .js_url = "/static/fedcba9876543210/pane.js",
    .app_path = "/weather",
    .prefix = "",
};

static pn_session *new_session(void)
{
    return pn__session_new(&(struct pn_session_init){.app_name = "weather"});
}

static const char *html_escaped(struct pn_buf *b, const char *s, size_t n)
{
    pn__buf_reset(b);
    assert_int_equal(pn__html_escape(b, s, n), 0);
    return b->data ? b->data : "";
}

static const char *json_escaped(struct pn_buf *b, const char *s, size_t n)
{
    pn__buf_reset(b);
    assert_int_equal(pn__json_escape_script(b, s, n), 0);
    return b->data ? b->data : "";
}

/* Compares got with tests/golden/<name>.html, or rewrites it when PANE_UPDATE_GOLDEN=1. */
static void check_golden(const char *name, const char *got, size_t got_len)
{
    const char *dir = getenv("PANE_SOURCE_DIR");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/golden/%s.html", dir, name);
    const char *update = getenv("PANE_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        assert_int_equal(fwrite(got, 1, got_len, f), got_len);
        assert_int_equal(fclose(f), 0);
        print_message("golden: rewrote %s\n", path);
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("golden: %s is missing; run with PANE_UPDATE_GOLDEN=1 and review it", path);
    static char want[1 << 16];
    size_t want_len = fread(want, 1, sizeof want, f);
    fclose(f);
    size_t i = 0;
    while (i < want_len && i < got_len && want[i] == got[i])
        i++;
    if (i == want_len && i == got_len)
        return;
    size_t line = 1, from = i > 60 ? i - 60 : 0;
    for (size_t k = 0; k < i; k++)
        line += want[k] == '\n';
    print_error("golden: %s differs at byte %zu (line %zu)\n"
                "  want: ...%.*s\n"
                "  got:  ...%.*s\n"
                "  (PANE_UPDATE_GOLDEN=1 rewrites the file; review the diff)\n",
                path, i, line, (int)((want_len - from) < 140 ? want_len - from : 140), want + from,
                (int)((got_len - from) < 140 ? got_len - from : 140), got + from);
    fail();
}

static void check_node_golden(const char *name, const pn_node *n)
{
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_int_equal(pn__render_node(&b, n), 0);
    check_golden(name, b.data, b.len);
    pn__buf_fini(&b);
}

static char *render_page(const pn_session *s, const struct pn_page_ctx *ctx)
{
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_int_equal(pn__render_page(&b, s, ctx), 0);
    return pn__buf_steal(&b, NULL);
}

/* ---- escaping ---------------------------------------------------------------------------- */

static void test_html_escape_escapes_every_dangerous_byte(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(html_escaped(&b, "<>&\"'", 5), "&lt;&gt;&amp;&quot;&#39;");
    assert_string_equal(html_escaped(&b, "a<b>c", 5), "a&lt;b&gt;c");
    assert_string_equal(html_escaped(&b, "plain text, 21 °C", strlen("plain text, 21 °C")),
                        "plain text, 21 °C");
    assert_string_equal(html_escaped(&b, "&amp;", 5), "&amp;amp;"); /* no double-decoding */
    /* every byte survives: an embedded NUL is kept, not a terminator */
    html_escaped(&b, "a\0<", 3);
    assert_int_equal(b.len, 6);
    assert_memory_equal(b.data, "a\0&lt;", 6);
    pn__buf_fini(&b);
}

static void test_html_escape_leaves_buffer_as_it_was_when_too_big(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 10);
    assert_int_equal(pn__buf_puts(&b, "ok:"), 0);
    assert_int_equal(pn__html_escape(&b, "<<<<", 4), PN_ETOOBIG);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "ok:");
    pn__buf_fini(&b);
}

static void test_json_escape_script_cannot_close_script_or_open_comment(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    const char *in = "</script><!-- x --><script>alert(1)</script>&";
    const char *out = json_escaped(&b, in, strlen(in));
    assert_null(strstr(out, "</script"));
    assert_null(strstr(out, "<!--"));
    assert_null(strchr(out, '<'));
    assert_null(strchr(out, '>'));
    assert_null(strchr(out, '&'));
    assert_string_equal(json_escaped(&b, "</script>", 9), "\\u003c/script\\u003e");
    assert_string_equal(json_escaped(&b, "<!--", 4), "\\u003c!--");
    assert_string_equal(json_escaped(&b, "a&b", 3), "a\\u0026b");
    pn__buf_fini(&b);
}

static void test_json_escape_script_escapes_quotes_controls_and_line_separators(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(json_escaped(&b, "\"\\", 2), "\\\"\\\\");
    assert_string_equal(json_escaped(&b, "\n\r\t\b\f", 5), "\\n\\r\\t\\b\\f");
    assert_string_equal(json_escaped(&b, "\x01\x1f", 2), "\\u0001\\u001f");
    json_escaped(&b, "\0", 1);
    assert_string_equal(b.data, "\\u0000");
    /* U+2028 and U+2029 end a line in older JavaScript */
    assert_string_equal(json_escaped(&b,
                                     "a\xe2\x80\xa8"
                                     "b\xe2\x80\xa9",
                                     8),
                        "a\\u2028b\\u2029");
    /* other UTF-8 passes through as is */
    assert_string_equal(json_escaped(&b, "21 °C €", strlen("21 °C €")), "21 °C €");
    pn__buf_fini(&b);
}

static void test_json_escape_script_replaces_invalid_utf8(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(json_escaped(&b,
                                     "a\xff"
                                     "b",
                                     3),
                        "a\\ufffdb");
    assert_string_equal(json_escaped(&b, "\xc0\xaf", 2), "\\ufffd\\ufffd"); /* overlong */
    assert_string_equal(json_escaped(&b, "\xed\xa0\x80", 3), "\\ufffd\\ufffd\\ufffd"); /* UTF-16 */
    assert_string_equal(json_escaped(&b, "x\xe2\x82", 3), "x\\ufffd\\ufffd"); /* truncated */
    pn__buf_fini(&b);
}

/* ---- templates --------------------------------------------------------------------------- */

static void expect_compile_error(const char *src, const char *line, const char *what)
{
    struct pn_template t;
    char err[200];
    assert_int_equal(pn__template_compile(pn__str(src), &t, err, sizeof err), PN_EPARSE);
    if (!strstr(err, line) || !strstr(err, what))
        fail_msg("compiling \"%s\": got \"%s\", want \"%s\" and \"%s\"", src, err, line, what);
}

static void test_template_compile_rejects_unterminated_slot_naming_its_line(void **state)
{
    (void)state;
    expect_compile_error("<p>\n</p>\n<b>{{ title</b>", "line 3", "unterminated");
    expect_compile_error("<b>{{ title</b> }}", "line 1", "bad slot name");
    expect_compile_error("a\nb\n{{ title", "line 3", "unterminated");
    expect_compile_error("{{{ body", "line 1", "unterminated");
    expect_compile_error("x\n{{ a\n}}", "line 2", "unterminated");
}

static void test_template_compile_rejects_empty_slot(void **state)
{
    (void)state;
    expect_compile_error("{{}}", "line 1", "empty slot");
    expect_compile_error("a\n\n{{  }}", "line 3", "empty slot");
    expect_compile_error("{{{ }}}", "line 1", "empty slot");
}

static void test_template_compile_rejects_bad_slot_name(void **state)
{
    (void)state;
    expect_compile_error("x\n{{ Title }}", "line 2", "bad slot name");
    expect_compile_error("{{ a-b }}", "line 1", "bad slot name");
    expect_compile_error("{{ a b }}", "line 1", "bad slot name");
    expect_compile_error("{{ <script> }}", "line 1", "bad slot name");
}

static void test_template_compile_rejects_mismatched_braces(void **state)
{
    (void)state;
    expect_compile_error("{{{ body }}", "line 1", "closed with '}}'");
    expect_compile_error("\n{{ body }}}", "line 2", "closed with '}}}'");
}

static void test_template_render_escapes_slots_and_keeps_raw_slots_raw(void **state)
{
    (void)state;
    struct pn_template t;
    char err[200];
    const char *src = "<title>{{title}}</title><main>{{{ body }}}</main>{{ title }}";
    assert_int_equal(pn__template_compile(pn__str(src), &t, err, sizeof err), 0);
    const struct pn_tpl_var vars[] = {
        {"title", PN_STRLIT("<b>&\"x\"")},
        {"body", PN_STRLIT("<p>hi</p>")},
    };
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(pn__template_render(&t, vars, 2, &b), 0);
    assert_string_equal(b.data, "<title>&lt;b&gt;&amp;&quot;x&quot;</title><main><p>hi</p></main>"
                                "&lt;b&gt;&amp;&quot;x&quot;");
    pn__buf_fini(&b);
    pn__template_fini(&t);
}

static void test_template_render_leaves_missing_vars_empty(void **state)
{
    (void)state;
    struct pn_template t;
    char err[200];
    assert_int_equal(
        pn__template_compile(PN_STRLIT("[{{ a }}|{{{ b }}}|{{ c }}]"), &t, err, sizeof err), 0);
    const struct pn_tpl_var vars[] = {{"c", PN_STRLIT("C")}};
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(pn__template_render(&t, vars, 1, &b), 0);
    assert_string_equal(b.data, "[||C]");
    pn__buf_reset(&b);
    assert_int_equal(pn__template_render(&t, NULL, 0, &b), 0);
    assert_string_equal(b.data, "[||]");
    pn__buf_fini(&b);
    pn__template_fini(&t);
}

static void test_template_copies_single_braces_and_empty_source(void **state)
{
    (void)state;
    struct pn_template t;
    char err[200];
    const char *src = "a { color: red } {x} } {";
    assert_int_equal(pn__template_compile(pn__str(src), &t, err, sizeof err), 0);
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_int_equal(pn__template_render(&t, NULL, 0, &b), 0);
    assert_string_equal(b.data, src);
    pn__template_fini(&t);
    assert_int_equal(pn__template_compile(PN_STRLIT(""), &t, err, sizeof err), 0);
    pn__buf_reset(&b);
    assert_int_equal(pn__template_render(&t, NULL, 0, &b), 0);
    assert_int_equal(b.len, 0);
    pn__template_fini(&t);
    pn__buf_fini(&b);
}

static void test_template_render_restores_buffer_when_too_big(void **state)
{
    (void)state;
    struct pn_template t;
    char err[200];
    assert_int_equal(pn__template_compile(PN_STRLIT("0123456789{{ a }}"), &t, err, sizeof err), 0);
    const struct pn_tpl_var vars[] = {{"a", PN_STRLIT("<<<<<<<<")}};
    struct pn_buf b;
    pn__buf_init(&b, 20);
    assert_int_equal(pn__buf_puts(&b, "x"), 0);
    assert_int_equal(pn__template_render(&t, vars, 1, &b), PN_ETOOBIG);
    assert_string_equal(b.data, "x");
    pn__buf_fini(&b);
    pn__template_fini(&t);
}

static void test_render_init_compiles_every_embedded_template(void **state)
{
    (void)state;
    size_t found = 0;
    for (size_t i = 0; i < pn__assets_count; i++) {
        const char *p = pn__assets[i].path;
        size_t n = strlen(p);
        if (strncmp(p, "templates/", 10) != 0 || n < 16 || strcmp(p + n - 5, ".html") != 0)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(n - 15), p + 10);
        if (!pn__render_has_template(name))
            fail_msg("template %s (web/%s) was not compiled", name, p);
        found++;
    }
    assert_true(found >= 2);
    assert_true(pn__render_has_template("default"));
    assert_true(pn__render_has_template("material"));
    assert_false(pn__render_has_template("nope"));
    assert_false(pn__render_has_template(""));
}

static void test_asset_find_finds_embedded_files_by_path(void **state)
{
    (void)state;
    const struct pn_asset *a = pn__asset_find(PN_STRLIT("client/pane.css"));
    assert_non_null(a);
    assert_string_equal(a->mime, "text/css; charset=utf-8");
    assert_int_equal(strlen(a->etag), 16);
    assert_int_equal(a->data[a->len], 0); /* text assets are NUL-terminated */
    assert_true(a->gz_len > 10 && a->gz[0] == 0x1f && a->gz[1] == 0x8b);
    assert_non_null(pn__asset_find(PN_STRLIT("templates/material.html")));
    assert_non_null(pn__asset_find(PN_STRLIT("include/pane.h")));
    assert_null(pn__asset_find(PN_STRLIT("client/pane.cs")));
    assert_null(pn__asset_find(PN_STRLIT("client/pane.css2")));
    assert_null(pn__asset_find(PN_STRLIT("")));
    for (size_t i = 1; i < pn__assets_count; i++)
        assert_true(strcmp(pn__assets[i - 1].path, pn__assets[i].path) < 0);
}

/* ---- components (golden) ----------------------------------------------------------------- */

static void test_number_renders_name_value_and_default_sizes(void **state)
{
    (void)state;
    pn_session *s = new_session();
    check_node_golden("number",
                      pn_number(s, .name = "Humidity", .value = 21, .format = "{value}%"));
    pn__session_free(s);
}

static void test_number_renders_colour_sizes_and_precision(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *n = pn_number(s, .name = "Temperature", .value = 3.14159, .format = "{value:.1f} °C",
                           .colors = PN_COLORS({0, "#1e88e5"}, {30, "green"}, {1e9, "red"}),
                           .font_size = "40px", .title_size = "12pt");
    check_node_golden("number_colors", n);
    pn__session_free(s);
}

static void test_number_without_name_omits_the_name_div(void **state)
{
    (void)state;
    pn_session *s = new_session();
    check_node_golden("number_noname", pn_number(s, .value = -7.5));
    pn__session_free(s);
}

static void test_card_with_title_is_an_open_details(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *c = pn_card(s, .title = "Sensors",
                         .items = PN_ITEMS(pn_number(s, .name = "Humidity", .value = 21)));
    check_node_golden("card", c);
    pn__session_free(s);
}

static void test_collapsed_card_has_no_open_attribute(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *c = pn_card(s, .title = "Details", .collapsed = true,
                         .items = PN_ITEMS(pn_markdown(s, .text = "Hidden *until* opened.")));
    check_node_golden("card_collapsed", c);
    pn__session_free(s);
}

static void test_card_with_hidden_header_is_a_plain_box(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *c = pn_card(
        s, .hide_header = true, .title = "ignored",
        .items = PN_ITEMS(pn_number(s, .name = "Temperature", .value = 3, .format = "{value} °C")));
    check_node_golden("card_noheader", c);
    pn__session_free(s);
}

static void test_row_and_column_nest_their_children_in_order(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *a = pn_number(s, .name = "A", .value = 1);
    pn_node *b = pn_number(s, .name = "B", .value = 2);
    pn_node *c = pn_number(s, .name = "C", .value = 3);
    pn_node *row = pn_row(s, pn_column(s, a, b), c);
    check_node_golden("row_column", row);
    pn__session_free(s);
}

static void test_markdown_renders_gfm_with_raw_html_as_text(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *m = pn_markdown(s, .text = "# Status\n\nAll **good**, ~~bad~~ `code`.\n\n"
                                        "| a | b |\n|---|--:|\n| 1 | 2 |\n\n"
                                        "See https://example.com and <b>bold</b>.\n");
    check_node_golden("markdown", m);
    pn__session_free(s);
}

static void test_html_is_inserted_raw(void **state)
{
    (void)state;
    pn_session *s = new_session();
    check_node_golden("html", pn_html(s, .html = "<hr><em>raw</em>"));
    pn__session_free(s);
}

/* Panes and indicators (src/kinds/divider.c, spacer.c, …): their markup, as pane.css, their
 * client modules and the browser test (tests/browser/panes.test.mjs) rely on it. */
static void test_panes_golden(void **state)
{
    (void)state;
    pn_session *s = new_session();
    check_node_golden("divider", pn_column(s, pn_divider(s), pn_divider(s, .color = "#ccc")));
    check_node_golden("spacer", pn_row(s, pn_spacer(s), pn_spacer(s, .width = 40),
                                       pn_spacer(s, .width = 10, .height = 20)));
    check_node_golden("progress",
                      pn_column(s, pn_progress(s, .name = "Upload", .value = 40),
                                pn_progress(s, .value = 3, .max = 12, .bar_color = "success"),
                                pn_progress(s, .name = "Waiting", .value = -1)));
    check_node_golden("loading_spinner",
                      pn_row(s, pn_loading_spinner(s, .value = true),
                             pn_loading_spinner(s, .name = "Fetching <data>", .size = 24,
                                                .color = "danger")));
    check_node_golden("boolean_status",
                      pn_row(s, pn_boolean_status(s, .value = true, .color = "success"),
                             pn_boolean_status(s, .name = "Database")));
    check_node_golden("alert",
                      pn_column(s, pn_alert(s, .text = "**Careful**: <b>raw</b> [x](javascript:1)"),
                                pn_alert(s, .text = "- one\n- two", .alert_type = "danger")));
    check_node_golden("str", pn_column(s, pn_pre(s, .text = "a  <b>\n  c & d"),
                                       pn_pre(s, .text = "\nleading newline"), pn_pre(s)));
    check_node_golden("json", pn_json(s, .json = "{\"city\": \"Ber<lin>\", \"temp\": [3.5, 4, 2.0],"
                                                 " \"ok\": true, \"none\": null, \"deep\": "
                                                 "{\"a\": {\"b\": []}}, \"e\": {}}"));
    const double rate[] = {12, 14, 13, 17.5};
    check_node_golden("trend", pn_column(s, pn_trend(s, .name = "Requests", .data = rate, .n = 4,
                                                     .format = "{value:.1f}/s"),
                                         pn_trend(s, .data = rate, .n = 1), pn_trend(s)));
    check_node_golden("gauge",
                      pn_row(s, pn_gauge(s, .name = "CPU", .value = 42, .format = "{value}%"),
                             pn_gauge(s, .value = 90, .min = 50, .max = 100,
                                      .colors = PN_COLORS({60, "green"}, {1e9, "red"})),
                             pn_gauge(s, .value = -5)));
    check_node_golden("json_open", pn_column(s, pn_json(s, .json = "[1, [2, [3]]]", .depth = -1),
                                             pn_json(s, .json = "\"just a string\"")));
    assert_int_equal(s->nmisuse, 0);
    check_node_golden("json_invalid", pn_json(s, .json = "{\"a\": <b>}"));
    assert_int_equal(s->nmisuse, 1);
    pn__session_free(s);
}

/* Image (src/kinds/image.c): a PNG with its size, alt and caption under a prefix; an SVG
 * without a size; one whose bytes are misuse shows its alt alone. The src is the picture's
 * SHA-256, so the golden file also pins the key. */
static void test_image_golden(void **state)
{
    (void)state;
    pn_session *s =
        pn__session_new(&(struct pn_session_init){.app_name = "weather", .prefix = "/dash<\"x\">"});
    static const unsigned char png[] = {0x89, 'P', 'N',  'G',  0x0d, 0x0a, 0x1a, 0x0a,
                                        0,    0,   0,    0x0d, 'I',  'H',  'D',  'R',
                                        0,    0,   0x02, 0x80, 0,    0,    0x01, 0xe0};
    static const char svg[] = "<svg xmlns='http://www.w3.org/2000/svg'><circle r='4'/></svg>";
    check_node_golden(
        "image",
        pn_column(s,
                  pn_image(s, .data = png, .len = sizeof png, .alt = "Sales <2024> & \"more\"",
                           .caption = "Figure 1: <b>sales</b>"),
                  pn_size(pn_image(s, .data = svg, .len = strlen(svg)), .width = 200),
                  pn_image(s, .data = "plain text", .len = 10, .alt = "none")));
    assert_int_equal(s->nmisuse, 1);
    pn__session_free(s);
}

/* Every widget kind's markup, as pane.js and the browser tests rely on it (the kinds' headers). */
static void test_widgets_golden(void **state)
{
    (void)state;
    pn_session *s = new_session();
    check_node_golden("button", pn_button(s, .label = "Add <one>", .button_type = "primary"));
    check_node_golden("toggle", pn_toggle(s, .label = "Lock", .value = true, .disabled = true));
    check_node_golden("checkbox", pn_checkbox(s, .label = "Check & go", .value = true));
    check_node_golden("text_input", pn_text_input(s, .name = "Name", .value = "Bob \"B\"",
                                                  .placeholder = "your name", .max_length = 8));
    check_node_golden("int_slider",
                      pn_int_slider(s, .name = "Tens", .start = -10, .end = 90, .step = 10,
                                    .value = 40));
    check_node_golden("float_slider", pn_float_slider(s, .name = "Ratio", .end = 1, .step = 0.05,
                                                      .value = 0.25, .format = "{value:.2f}"));
    check_node_golden("select", pn_select(s, .name = "City", .value = "Paris",
                                          .options = PN_OPTIONS("Berlin", "Paris", "Z<rich")));
    check_node_golden("int_input", pn_int_input(s, .name = "Copies", .value = 3, .start = 1,
                                                .end = 99, .step = 2));
    check_node_golden("int_input_unbounded", pn_int_input(s, .value = -7, .disabled = true));
    check_node_golden("float_input", pn_float_input(s, .name = "Gain", .value = 0.25,
                                                    .start = -INFINITY, .end = 2, .step = 0.05));
    check_node_golden("text_area_input",
                      pn_text_area_input(s, .name = "Notes", .value = "\nline <1>\nline \"2\"",
                                         .placeholder = "a & b", .rows = 4, .max_length = 50));
    check_node_golden("radio_group",
                      pn_radio_group(s, .name = "Unit", .value = "°F", .horizontal = true,
                                     .options = PN_OPTIONS("°C", "°F", "K<\"")));
    check_node_golden("radio_group_plain",
                      pn_radio_group(s, .options = PN_OPTIONS("a", "b"), .disabled = true));
    check_node_golden("checkbox_group",
                      pn_checkbox_group(s, .name = "Days",
                                        .options = PN_OPTIONS("Mon", "T&e", "Wed"),
                                        .value = PN_OPTIONS("Wed", "T&e"), .horizontal = true));
    check_node_golden("multi_select",
                      pn_multi_select(s, .name = "Cities", .disabled = true,
                                      .options = PN_OPTIONS("Berlin", "<Paris>", "Rome"),
                                      .value = PN_OPTIONS("<Paris>")));
    check_node_golden("range_slider",
                      pn_range_slider(s, .name = "Hours <h>", .start = 0, .end = 24, .step = 0.5,
                                      .value_start = 9, .value_end = 17.5,
                                      .format = "{value:.1f} h"));
    check_node_golden("range_slider_plain", pn_range_slider(s, .disabled = true));
    check_node_golden("date_picker", pn_date_picker(s, .name = "Day", .value = "2024-02-29",
                                                    .start = "2024-01-01", .end = "2024-12-31"));
    check_node_golden("date_picker_empty", pn_date_picker(s, .disabled = true));
    check_node_golden("color_picker",
                      pn_color_picker(s, .name = "Line & fill", .value = "#1E88e5"));
    assert_int_equal(s->nmisuse, 0);
    pn__session_free(s);
}

/* A Plot's first paint: its window as SVG, per type, with a gap (NaN) and a fixed range. */
/* A Table's cells: row i is "item <i>" and a value with ties and a NaN; "<b>" shows escaped. */
static void golden_cell(void *data, size_t row, int col, pn_cell *c)
{
    static char text[32];
    (void)data;
    snprintf(text, sizeof text, row == 2 ? "<b>%zu</b>" : "item %zu", row);
    c->text = text;
    c->num = row == 3 ? NAN : (double)(row % 3) * 1.5;
    (void)col;
}

static void make_nothing(pn_session *s, pn_node *n, pn_download *d, void *arg)
{
    (void)s, (void)n, (void)d, (void)arg;
}

static void test_table_golden(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *t = pn_table(s, .columns = PN_COLUMNS({"Name"}, {"Value", PN_NUMBER, "{value:.2f} u",
                                                               80}),
                          .rows = 7, .cell = golden_cell, .page_size = 4, .sort = -2,
                          .filter = true, .on_select = NULL);
    assert_int_equal(s->nmisuse, 0);
    check_node_golden("table", t);
    pn_node *dl = pn_file_download(s, .label = "Export <csv>", .button_type = "primary",
                                   .make = make_nothing);
    check_node_golden("file_download", dl);
    pn__session_free(s);
}

/* Grid with a span, Tabs (the second active, the third hidden), a stretched and sized Card, a
 * hidden node. */
static void test_layouts_golden(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *hidden = pn_markdown(s, .text = "not shown");
    pn_set_visible(hidden, false);
    pn_node *grid = pn_grid(s, .columns = 3, .row_height = 120,
                            .items = PN_ITEMS(pn_size(pn_number(s, .name = "wide", .value = 1),
                                                      .col_span = 2, .row_span = 2),
                                              pn_number(s, .name = "b", .value = 2), hidden));
    pn_node *card = pn_card(s, .title = "second",
                            .items = PN_ITEMS(pn_html(s, .html = "<i>x</i>")));
    pn_size(card, .stretch_width = true, .min_width = 200, .max_width = 900);
    pn_node *tabs = pn_tabs(s, .titles = PN_OPTIONS("One", "Two <2>"), .active = 1,
                            .items = PN_ITEMS(pn_markdown(s, .text = "first"), card));
    pn_node *acc = pn_accordion(s, .titles = PN_OPTIONS("Disks <sd>"), .active = 1,
                                .items = PN_ITEMS(pn_markdown(s, .text = "one"),
                                                  pn_markdown(s, .text = "two")));
    pn_node *gone = pn_markdown(s, .text = "a hidden panel: its tab is hidden too");
    pn_set_visible(gone, false);
    pn_append(tabs, gone);
    assert_int_equal(s->nmisuse, 1); /* 1 title for 2 items */
    pn_servable(s, grid);
    pn_servable(s, tabs);
    pn_servable(s, acc);
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_int_equal(pn__render_node(&b, grid), 0);
    assert_int_equal(pn__render_node(&b, tabs), 0);
    assert_int_equal(pn__render_node(&b, acc), 0);
    assert_int_equal(pn__render_node(&b, acc->last), 0); /* a child alone comes in its wrapper */
    check_golden("layouts", b.data, b.len);
    pn__buf_fini(&b);
    unsigned m = s->nmisuse;
    pn_grid(s, .columns = 30);
    pn_tabs(s, .titles = PN_OPTIONS("only one title"), .active = 5,
            .items = PN_ITEMS(pn_markdown(s, .text = "a"), pn_markdown(s, .text = "b")));
    pn_size(hidden, .width = -5, .col_span = 100);
    pn_accordion(s, .active = 3, .items = PN_ITEMS(pn_markdown(s, .text = "a")));
    assert_int_equal(s->nmisuse, m + 6);
    pn__session_free(s);
}

static void test_plot_golden(void **state)
{
    (void)state;
    static const char *const names[] = {"plot_line", "plot_area", "plot_scatter", "plot_bar",
                                        "plot_step"};
    for (int t = PN_LINE; t <= PN_STEP; t++) {
        pn_session *s = new_session();
        pn_node *p = pn_plot(s, .title = "Load <now>", .type = (pn_plot_type)t, .time_x = t == 0,
                             .x_label = "time", .y_label = "%", .height = 240,
                             .series = PN_SERIES({"CPU", "#1e88e5"}, {"Memory"}),
                             .y_min = t == PN_STEP ? -10 : 0, .y_max = t == PN_STEP ? 110 : 0);
        double x[6] = {1796170000, 1796170001, 1796170002, 1796170003, 1796170004, 1796170005};
        double y[6][2] = {{10, 50}, {20, 52}, {NAN, 55}, {40, 53}, {35, 60}, {90, 58}};
        pn_plot_append(p, x, &y[0][0], 6);
        check_node_golden(names[t], p);
        assert_int_equal(s->nmisuse, 0);
        pn__session_free(s);
    }
    pn_session *s = new_session();
    check_node_golden("plot_empty", pn_plot(s, .hide_legend = true));
    pn__session_free(s);
}

/* A window of 200,000 points is drawn as at most two points per pixel column: the page does not
 * grow with the data. */
static void test_plot_svg_is_bounded_by_columns(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_node *p = pn_plot(s, .rollover = 200000);
    for (int i = 0; i < 200000; i++)
        pn_plot_push(p, i, sin(i / 1000.0) + (i % 7) * 0.01);
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_int_equal(pn__render_node(&b, p), 0);
    assert_true(b.len < 40000); /* ~1000 columns x "L123.0 456.7V456.9" */
    assert_non_null(strstr(b.data, "200000 points of 1 series"));
    pn__buf_fini(&b);
    pn__session_free(s);
}

/* ---- markdown safety --------------------------------------------------------------------- */

static const char *md(struct pn_buf *b, const char *text)
{
    pn__buf_reset(b);
    assert_int_equal(pn__render_markdown(b, text, strlen(text)), 0);
    return b->data ? b->data : "";
}

static void test_markdown_shows_script_tags_as_text(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    const char *out = md(&b, "<script>alert(1)</script>\n\nhi <img src=x onerror=alert(1)>");
    assert_null(strstr(out, "<script"));
    assert_null(strstr(out, "<img"));
    assert_non_null(strstr(out, "&lt;script&gt;"));
    pn__buf_fini(&b);
}

static void test_markdown_neutralises_script_urls_in_links_and_images(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_null(strstr(md(&b, "[x](javascript:alert(1))"), "javascript"));
    assert_non_null(strstr(b.data, "<a href=\"#\">x</a>"));
    assert_null(strstr(md(&b, "[x](JaVaScRiPt:alert(1))"), "aScRiPt:"));
    assert_null(strstr(md(&b, "[x](jav&#x61;script:alert(1))"), "script:"));
    assert_null(strstr(md(&b, "<javascript:alert(1)>"), "href=\"javascript"));
    assert_null(strstr(md(&b, "![i](data:text/html,x)"), "data:"));
    assert_null(strstr(md(&b, "[x](vbscript:msgbox)"), "vbscript:"));
    /* ordinary links stay */
    assert_non_null(
        strstr(md(&b, "[x](https://example.com/a?b=1)"), "href=\"https://example.com/a?b=1\""));
    assert_non_null(strstr(md(&b, "[x](/weather?city=Rome)"), "href=\"/weather?city=Rome\""));
    assert_non_null(strstr(md(&b, "[x](mailto:a@b.c)"), "href=\"mailto:a@b.c\""));
    assert_non_null(strstr(md(&b, "[x](docs/a:b)"), "href=\"docs/a:b\""));
    pn__buf_fini(&b);
}

static void test_markdown_never_reads_past_its_input(void **state)
{
    (void)state;
    /* md4c 0.4.8 reads past the end of a link destination or of a truncated UTF-8 sequence at
     * the end of its input; what follows the input here would crash it or leak into the page */
    static const char *const inputs[] = {")[]([", ")[](\xe1", "[x](", "a\xe2\x82"};
    char *mem = malloc(4096);
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        size_t n = strlen(inputs[i]);
        memset(mem, ')', 4096);
        memcpy(mem, inputs[i], n);
        pn__buf_reset(&b);
        assert_int_equal(pn__render_markdown(&b, mem, n), 0);
        assert_true(b.len < 64);
        assert_null(strstr(b.data, "))"));
    }
    pn__buf_fini(&b);
    free(mem);
}

/* ---- pages ------------------------------------------------------------------------------- */

static pn_session *weather(const char *tmpl, const char *title)
{
    pn_session *s = new_session();
    if (tmpl)
        pn_template(s, .name = tmpl, .title = title);
    pn_servable(s, pn_row(s,
                          pn_card(s, .hide_header = true,
                                  .items = PN_ITEMS(pn_number(s, .name = "Temperature", .value = 3,
                                                              .format = "{value} °C"))),
                          pn_card(s, .hide_header = true,
                                  .items = PN_ITEMS(pn_number(s, .name = "Humidity", .value = 21,
                                                              .format = "{value}%")))));
    return s;
}

static void test_material_page_has_header_title_and_versioned_assets(void **state)
{
    (void)state;
    pn_session *s = weather("material", "Berlin Weather");
    char *page = render_page(s, &page_ctx);
    check_golden("page_material", page, strlen(page));
    free(page);
    pn__session_free(s);
}

static void test_default_page_has_no_header_and_title_defaults_to_app_name(void **state)
{
    (void)state;
    pn_session *s = weather(NULL, NULL);
    char *page = render_page(s, &page_ctx);
    check_golden("page_default", page, strlen(page));
    assert_non_null(strstr(page, "<title>weather</title>"));
    assert_null(strstr(page, "pn-header"));
    free(page);
    pn__session_free(s);
}

static void test_page_has_script_tag_only_with_js_url(void **state)
{
    (void)state;
    pn_session *s = weather("material", "T");
    struct pn_page_ctx ctx = page_ctx;
    ctx.js_url = NULL;
    char *page = render_page(s, &ctx);
    assert_null(strstr(page, "<script"));
    free(page);
    page = render_page(s, &page_ctx);
    assert_non_null(strstr(page, "<script src=\"/static/fedcba9876543210/pane.js\" defer>"
                                 "</script>"));
    free(page);
    pn__session_free(s);
}

static void test_page_header_colours_default_and_follow_the_template(void **state)
{
    (void)state;
    pn_session *s = new_session();
    pn_template(s, .name = "material");
    char *page = render_page(s, &page_ctx);
    assert_non_null(strstr(page, "style=\"background:var(--pn-header-bg);"
                                 "color:var(--pn-header-fg)\""));
    assert_non_null(strstr(page, "<h1 class=\"pn-header-title\">weather</h1>"));
    free(page);
    pn_template(s, .name = "material", .header_background = "#222", .header_color = "rgb(1,2,3)");
    page = render_page(s, &page_ctx);
    assert_non_null(strstr(page, "style=\"background:#222;color:rgb(1,2,3)\""));
    free(page);
    pn__session_free(s);
}

/* Every template in light, dark and auto: the theme on <html>, the switch in the header (and
 * not in default's, which has none), or no switch when the app hides it. */
static void test_templates_and_themes(void **state)
{
    (void)state;
    const char *names[] = {"default", "material", "bootstrap", "fast"};
    for (size_t i = 0; i < PN_COUNT(names); i++) {
        pn_session *s = weather(names[i], "Themes");
        char *page = render_page(s, &page_ctx);
        char golden[64], want[96];
        snprintf(golden, sizeof golden, "page_%s", names[i]);
        if (i > 1) /* default and material have their own tests */
            check_golden(golden, page, strlen(page));
        snprintf(want, sizeof want, "<html lang=\"en\" class=\"pn-template-%s\" "
                 "data-pn-theme=\"auto\">", names[i]);
        assert_non_null(strstr(page, want));
        assert_true((strstr(page, "id=\"pn-theme-toggle\" hidden") != NULL) == (i > 0));
        free(page);
        const char *themes[] = {"light", "dark", "auto"};
        for (size_t t = 0; t < PN_COUNT(themes); t++) {
            pn_template(s, .name = names[i], .theme = themes[t], .hide_theme_toggle = true);
            page = render_page(s, &page_ctx);
            snprintf(want, sizeof want, "data-pn-theme=\"%s\"", themes[t]);
            assert_non_null(strstr(page, want));
            assert_null(strstr(page, "pn-theme-toggle"));
            free(page);
        }
        assert_int_equal(s->nmisuse, 0);
        pn__session_free(s);
    }
    pn_session *s = new_session();
    pn_template(s, .name = "fast", .theme = "Dark\" onload=\"x");
    assert_int_equal(s->nmisuse, 1);
    char *page = render_page(s, &page_ctx);
    assert_non_null(strstr(page, "data-pn-theme=\"auto\""));
    assert_null(strstr(page, "onload"));
    free(page);
    pn__session_free(s);
}

static void test_page_with_unknown_template_uses_default(void **state)
{
    (void)state;
    pn_session *s = weather("no-such-template", "X");
    char *page = render_page(s, &page_ctx);
    assert_non_null(strstr(page, "class=\"pn-template-default\" data-pn-theme=\"auto\""));
    assert_non_null(strstr(page, "<title>X</title>"));
    free(page);
    pn__session_free(s);
}

static void test_index_lists_every_app_under_the_prefix(void **state)
{
    (void)state;
    const char *const apps[] = {"weather", "gallery"};
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_int_equal(pn__render_index(&b, apps, 2, "/dash", "/static/0123456789abcdef/pane.css"),
                     0);
    check_golden("index", b.data, b.len);
    assert_non_null(strstr(b.data, "<a href=\"/dash/weather\">weather</a>"));
    assert_non_null(strstr(b.data, "<title>pane</title>"));
    pn__buf_reset(&b);
    assert_int_equal(pn__render_index(&b, apps, 1, NULL, "/c.css"), 0);
    assert_non_null(strstr(b.data, "<a href=\"/weather\">weather</a>"));
    pn__buf_fini(&b);
}

static void test_render_page_fails_cleanly_when_over_the_limit(void **state)
{
    (void)state;
    pn_session *s = weather("material", "T");
    struct pn_buf b;
    pn__buf_init(&b, 300);
    assert_int_equal(pn__render_page(&b, s, &page_ctx), PN_ETOOBIG);
    assert_int_equal(b.len, 0);
    pn__buf_fini(&b);
    pn__session_free(s);
}

/* ---- outside text stays text ------------------------------------------------------------- */

static void check_no_payload(const char *page, const char *where)
{
    if (strstr(page, "<script>alert(1)") || strstr(page, "<img src=x") || strstr(page, "\"><img"))
        fail_msg("payload survived in %s:\n%s", where, page);
}

static void test_xss_payloads_in_title_name_format_and_card_title_come_out_escaped(void **state)
{
    (void)state;
    static const char *const payloads[] = {"<script>alert(1)</script>",
                                           "\"><img src=x onerror=alert(1)>"};
    for (size_t i = 0; i < 2; i++) {
        const char *p = payloads[i];
        pn_session *s = new_session();
        pn_template(s, .name = "material", .title = pn_fmt(s, "%s Weather", p));
        pn_servable(s, pn_card(s, .title = p,
                               .items = PN_ITEMS(pn_number(s, .name = p, .value = 1,
                                                           .format = pn_fmt(s, "{value}%s", p)))));
        char *page = render_page(s, &page_ctx);
        check_no_payload(page, p);
        struct pn_buf e;
        pn__buf_init(&e, 4096);
        assert_int_equal(pn__html_escape(&e, p, strlen(p)), 0);
        /* title, header, card title, number name and number value: five escaped copies */
        size_t count = 0;
        for (const char *q = page; (q = strstr(q, e.data)); q++)
            count++;
        assert_int_equal(count, 5);
        pn__buf_fini(&e);
        free(page);
        pn__session_free(s);
    }
}

static void test_xss_payloads_in_css_urls_and_app_names_come_out_escaped(void **state)
{
    (void)state;
    const char *p = "\"><img src=x onerror=alert(1)>";
    pn_session *s = weather("material", "T");
    struct pn_page_ctx ctx = {.css_url = p, .js_url = p, .app_path = p, .prefix = p};
    char *page = render_page(s, &ctx);
    check_no_payload(page, "page ctx");
    free(page);
    pn__session_free(s);

    const char *const apps[] = {p};
    struct pn_buf b;
    pn__buf_init(&b, MAX_OUT);
    assert_int_equal(pn__render_index(&b, apps, 1, p, p), 0);
    check_no_payload(b.data, "index");
    pn__buf_fini(&b);
}

static int setup(void **state)
{
    (void)state;
    char err[256];
    if (pn__render_init(err, sizeof err) != 0) {
        print_error("pn__render_init: %s\n", err);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pn__render_fini();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html_escape_escapes_every_dangerous_byte),
        cmocka_unit_test(test_html_escape_leaves_buffer_as_it_was_when_too_big),
        cmocka_unit_test(test_json_escape_script_cannot_close_script_or_open_comment),
        cmocka_unit_test(test_json_escape_script_escapes_quotes_controls_and_line_separators),
        cmocka_unit_test(test_json_escape_script_replaces_invalid_utf8),
        cmocka_unit_test(test_template_compile_rejects_unterminated_slot_naming_its_line),
        cmocka_unit_test(test_template_compile_rejects_empty_slot),
        cmocka_unit_test(test_template_compile_rejects_bad_slot_name),
        cmocka_unit_test(test_template_compile_rejects_mismatched_braces),
        cmocka_unit_test(test_template_render_escapes_slots_and_keeps_raw_slots_raw),
        cmocka_unit_test(test_template_render_leaves_missing_vars_empty),
        cmocka_unit_test(test_template_copies_single_braces_and_empty_source),
        cmocka_unit_test(test_template_render_restores_buffer_when_too_big),
        cmocka_unit_test(test_render_init_compiles_every_embedded_template),
        cmocka_unit_test(test_asset_find_finds_embedded_files_by_path),
        cmocka_unit_test(test_number_renders_name_value_and_default_sizes),
        cmocka_unit_test(test_number_renders_colour_sizes_and_precision),
        cmocka_unit_test(test_number_without_name_omits_the_name_div),
        cmocka_unit_test(test_card_with_title_is_an_open_details),
        cmocka_unit_test(test_collapsed_card_has_no_open_attribute),
        cmocka_unit_test(test_card_with_hidden_header_is_a_plain_box),
        cmocka_unit_test(test_row_and_column_nest_their_children_in_order),
        cmocka_unit_test(test_markdown_renders_gfm_with_raw_html_as_text),
        cmocka_unit_test(test_html_is_inserted_raw),
        cmocka_unit_test(test_widgets_golden),
        cmocka_unit_test(test_table_golden),
        cmocka_unit_test(test_layouts_golden),
        cmocka_unit_test(test_panes_golden),
        cmocka_unit_test(test_image_golden),
        cmocka_unit_test(test_plot_golden),
        cmocka_unit_test(test_plot_svg_is_bounded_by_columns),
        cmocka_unit_test(test_markdown_shows_script_tags_as_text),
        cmocka_unit_test(test_markdown_neutralises_script_urls_in_links_and_images),
        cmocka_unit_test(test_markdown_never_reads_past_its_input),
        cmocka_unit_test(test_material_page_has_header_title_and_versioned_assets),
        cmocka_unit_test(test_default_page_has_no_header_and_title_defaults_to_app_name),
        cmocka_unit_test(test_page_has_script_tag_only_with_js_url),
        cmocka_unit_test(test_page_header_colours_default_and_follow_the_template),
        cmocka_unit_test(test_templates_and_themes),
        cmocka_unit_test(test_page_with_unknown_template_uses_default),
        cmocka_unit_test(test_index_lists_every_app_under_the_prefix),
        cmocka_unit_test(test_render_page_fails_cleanly_when_over_the_limit),
        cmocka_unit_test(test_xss_payloads_in_title_name_format_and_card_title_come_out_escaped),
        cmocka_unit_test(test_xss_payloads_in_css_urls_and_app_names_come_out_escaped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
