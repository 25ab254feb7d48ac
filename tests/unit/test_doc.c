/*
 * test_doc: sessions and the builders of pane.h — strings copied into the arena, children
 * linked in order, misuse recorded with the app's file and line (never a failure), the page
 * template, Number formatting ("{value}", "{value:.Nf}"), colour stops, and the CSS colour and
 * length checks that keep app-given values from breaking out of a style attribute.
 */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "kinds/kinds.h"

static int setup(void **state)
{
    *state = pn__session_new(&(struct pn_session_init){
        .app_name = "weather", .query = PN_STRLIT("city=New+York&bad=%FF&empty=")});
    return 0;
}

static int teardown(void **state)
{
    pn__session_free(*state);
    return 0;
}

/* The n-th (0-based) misuse message, or NULL. */
static const struct pn_misuse *misuse_at(pn_session *s, unsigned n)
{
    const struct pn_misuse *m = s->misuse;
    while (m && n--)
        m = m->next;
    return m;
}

static void assert_misuse(pn_session *s, unsigned idx, int line, const char *contains)
{
    const struct pn_misuse *m = misuse_at(s, idx);
    if (!m)
        fail_msg("no misuse #%u recorded (want one containing \"%s\")", idx, contains);
    if (!strstr(m->msg, contains))
        fail_msg("misuse #%u is \"%s\", want it to contain \"%s\"", idx, m->msg, contains);
    assert_non_null(m->here.file);
    assert_non_null(strstr(m->here.file, "test_doc.c"));
    assert_int_equal(m->here.line, line);
}

static int nchildren(const pn_node *n)
{
    int k = 0;
    for (const pn_node *c = n->first; c; c = c->next)
        k++;
    return k;
}

/* ---- session ---- */

static void test_session_new_copies_its_inputs(void **state)
{
    (void)state;
    char name[] = "weather";
    char query[] = "a=1";
    pn_session *s = pn__session_new(
        &(struct pn_session_init){.app_name = name, .query = {query, strlen(query)}});
    name[0] = 'X';
    query[0] = 'X';
    assert_string_equal(s->app_name, "weather");
    assert_string_equal(s->query, "a=1");
    assert_int_equal(s->nmisuse, 0);
    assert_null(s->root->first);
    assert_string_equal(s->root->desc->name, "Root");
    assert_true(s->root->desc->container);
    pn__session_free(s);
    pn_session *d = pn__session_new(&(struct pn_session_init){0});
    assert_string_equal(d->app_name, "app");
    assert_string_equal(d->query, "");
    pn__session_free(d);
    pn__session_free(NULL);
}

static void test_session_arg_decodes_and_falls_back_to_default(void **state)
{
    pn_session *s = *state;
    assert_string_equal(pn_session_arg(s, "city", "Berlin"), "New York");
    assert_string_equal(pn_session_arg(s, "missing", "Berlin"), "Berlin");
    assert_string_equal(pn_session_arg(s, "bad", "Berlin"), "Berlin"); /* not UTF-8 */
    assert_string_equal(pn_session_arg(s, "empty", "Berlin"), "");
    assert_null(pn_session_arg(s, "missing", NULL));
    assert_string_equal(pn_session_arg(NULL, "city", "d"), "d");
    assert_string_equal(pn_session_arg(s, NULL, "d"), "d");
}

static void test_session_arg_result_lives_in_the_arena(void **state)
{
    pn_session *s = *state;
    char def[] = "Berlin";
    const char *v = pn_session_arg(s, "missing", def);
    def[0] = 'X';
    assert_string_equal(v, "Berlin"); /* a copy, not the caller's buffer */
}

static void test_fmt_formats_into_the_arena(void **state)
{
    pn_session *s = *state;
    assert_string_equal(pn_fmt(s, "%s Weather", "Rome"), "Rome Weather");
    assert_string_equal(pn_fmt(s, "%d%%", 21), "21%");
    size_t before = s->arena.total;
    const char *big = pn_fmt(s, "%05000d", 1);
    assert_int_equal(strlen(big), 5000);
    assert_true(s->arena.total >= before + 5001);
}

/* ---- builders ---- */

static void test_builders_copy_strings_into_the_arena(void **state)
{
    pn_session *s = *state;
    char name[] = "Temperature", fmt[] = "{value} C", title[] = "Sensors";
    pn_node *n = pn_number(s, .name = name, .format = fmt, .value = 21);
    pn_node *c = pn_card(s, .title = title, .items = PN_ITEMS(n));
    memset(name, 'X', sizeof name - 1);
    memset(fmt, 'X', sizeof fmt - 1);
    memset(title, 'X', sizeof title - 1);
    assert_string_equal(PN_OPTS(n, pn_number_opts)->name, "Temperature");
    assert_string_equal(PN_OPTS(n, pn_number_opts)->format, "{value} C");
    assert_string_equal(PN_OPTS(c, pn_card_opts)->title, "Sensors");
    assert_true(PN_OPTS(n, pn_number_opts)->value == 21);
    assert_int_equal(s->nmisuse, 0);
}

static void test_builders_give_ids_in_creation_order(void **state)
{
    pn_session *s = *state;
    pn_node *a = pn_html(s, .html = "<hr>");
    pn_node *b = pn_markdown(s, .text = "# x");
    pn_node *c = pn_row(s, a, b);
    assert_int_equal(a->id, 1);
    assert_int_equal(b->id, 2);
    assert_int_equal(c->id, 3);
    assert_ptr_equal(a->desc, &pn__kind_html);
    assert_ptr_equal(b->desc, &pn__kind_markdown);
    assert_ptr_equal(c->desc, &pn__kind_row);
    assert_ptr_equal(a->s, s);
}

static void test_builders_record_where_the_app_called_them(void **state)
{
    pn_session *s = *state;
    int line = __LINE__ + 1;
    pn_node *n = pn_number(s, .value = 1);
    assert_non_null(strstr(n->here.file, "test_doc.c"));
    assert_int_equal(n->here.line, line);
}

static void test_items_become_children_in_order(void **state)
{
    pn_session *s = *state;
    pn_node *a = pn_number(s, .value = 1);
    pn_node *b = pn_number(s, .value = 2);
    pn_node *c = pn_number(s, .value = 3);
    pn_node *card = pn_card(s, .title = "t", .items = PN_ITEMS(a, b, c));
    assert_int_equal(nchildren(card), 3);
    assert_ptr_equal(card->first, a);
    assert_ptr_equal(a->next, b);
    assert_ptr_equal(b->next, c);
    assert_ptr_equal(card->last, c);
    assert_null(c->next);
    assert_ptr_equal(a->parent, card);
    assert_ptr_equal(c->parent, card);
    assert_null(PN_OPTS(card, pn_card_opts)->items); /* the children list is the truth */
    assert_int_equal(s->nmisuse, 0);
}

static void test_row_and_column_short_and_full_forms_agree(void **state)
{
    pn_session *s = *state;
    pn_node *a = pn_html(s, .html = "a"), *b = pn_html(s, .html = "b");
    pn_node *c = pn_html(s, .html = "c"), *d = pn_html(s, .html = "d");
    pn_node *r1 = pn_row(s, a, b);
    pn_node *r2 = pn_row_ex(s, .items = PN_ITEMS(c, d));
    pn_node *col = pn_column(s, r1, r2);
    pn_node *empty = pn_column_ex(s);
    assert_int_equal(nchildren(r1), 2);
    assert_int_equal(nchildren(r2), 2);
    assert_int_equal(nchildren(col), 2);
    assert_int_equal(nchildren(empty), 0);
    assert_ptr_equal(col->desc, &pn__kind_column);
}

static void test_append_adds_children_after_construction(void **state)
{
    pn_session *s = *state;
    pn_node *col = pn_column_ex(s);
    pn_node *kids[5];
    for (int i = 0; i < 5; i++) {
        kids[i] = pn_number(s, .value = i);
        pn_append(col, kids[i]);
    }
    assert_int_equal(nchildren(col), 5);
    int i = 0;
    for (pn_node *c = col->first; c; c = c->next)
        assert_ptr_equal(c, kids[i++]);
    assert_int_equal(s->nmisuse, 0);
}

static void test_servable_adds_to_the_root_in_order(void **state)
{
    pn_session *s = *state;
    pn_node *a = pn_html(s, .html = "1"), *b = pn_html(s, .html = "2");
    pn_servable(s, a);
    pn_servable(s, b);
    assert_ptr_equal(s->root->first, a);
    assert_ptr_equal(s->root->last, b);
    assert_ptr_equal(a->parent, s->root);
}

/* ---- misuse ---- */

static void test_append_null_child_is_recorded_with_file_and_line(void **state)
{
    pn_session *s = *state;
    pn_node *col = pn_column_ex(s);
    int line = __LINE__ + 1;
    pn_append(col, NULL);
    assert_int_equal(s->nmisuse, 1);
    assert_misuse(s, 0, line, "NULL child");
    assert_int_equal(nchildren(col), 0);
}

static void test_servable_null_is_recorded(void **state)
{
    pn_session *s = *state;
    int line = __LINE__ + 1;
    pn_servable(s, NULL);
    assert_int_equal(s->nmisuse, 1);
    assert_misuse(s, 0, line, "NULL child");
    assert_null(s->root->first);
}

/* pane.h: "Misuse — a NULL child … — is recorded on the session". A child expression that
 * yields NULL inside PN_ITEMS must be recorded too, and must not silently drop the children
 * after it. */
static void test_items_with_null_child_is_recorded_and_keeps_later_children(void **state)
{
    pn_session *s = *state;
    pn_node *a = pn_html(s, .html = "a"), *missing = NULL, *b = pn_html(s, .html = "b");
    pn_node *row = pn_row(s, a, missing, b);
    assert_int_equal(s->nmisuse, 1);
    assert_ptr_equal(row->first, a);
    assert_ptr_equal(row->last, b);
}

static void test_items_with_only_a_null_child_is_recorded(void **state)
{
    pn_session *s = *state;
    pn_node *missing = NULL;
    pn_card(s, .title = "x", .items = PN_ITEMS(missing));
    assert_int_equal(s->nmisuse, 1);
}

static void test_child_with_a_parent_cannot_be_added_again(void **state)
{
    pn_session *s = *state;
    pn_node *n = pn_number(s, .value = 1);
    pn_node *c1 = pn_card(s, .items = PN_ITEMS(n));
    int line = __LINE__ + 1;
    pn_node *c2 = pn_card(s, .items = PN_ITEMS(n));
    assert_int_equal(s->nmisuse, 1);
    assert_misuse(s, 0, line, "already has a parent");
    assert_ptr_equal(n->parent, c1);
    assert_int_equal(nchildren(c2), 0);
    pn_servable(s, c1);
    pn_servable(s, c1);
    assert_int_equal(s->nmisuse, 2);
    assert_int_equal(nchildren(s->root), 1);
}

static void test_node_cannot_contain_itself(void **state)
{
    pn_session *s = *state;
    pn_node *outer = pn_column_ex(s);
    pn_node *inner = pn_column_ex(s);
    pn_append(outer, inner);
    int line = __LINE__ + 1;
    pn_append(inner, outer);
    assert_int_equal(s->nmisuse, 1);
    assert_misuse(s, 0, line, "cannot contain itself");
    assert_null(outer->parent);
    pn_append(outer, outer);
    assert_int_equal(s->nmisuse, 2);
    assert_int_equal(nchildren(outer), 1);
}

static void test_root_cannot_be_a_child(void **state)
{
    pn_session *s = *state;
    pn_node *col = pn_column_ex(s);
    pn_append(col, s->root);
    assert_int_equal(s->nmisuse, 1);
    assert_null(s->root->parent);
}

static void test_node_from_another_session_is_refused(void **state)
{
    pn_session *s = *state;
    pn_session *other = pn__session_new(&(struct pn_session_init){.app_name = "other"});
    pn_node *foreign = pn_number(other, .value = 1);
    pn_node *col = pn_column_ex(s);
    int line = __LINE__ + 1;
    pn_append(col, foreign);
    unsigned mine = s->nmisuse, theirs = other->nmisuse;
    bool attached = foreign->parent != NULL;
    pn__session_free(other);
    assert_int_equal(mine, 1);
    assert_int_equal(theirs, 0);
    assert_false(attached);
    assert_misuse(s, 0, line, "another session");
}

static void test_append_to_a_leaf_is_refused(void **state)
{
    pn_session *s = *state;
    pn_node *num = pn_number(s, .value = 1);
    pn_node *html = pn_html(s, .html = "x");
    int line = __LINE__ + 1;
    pn_append(num, html);
    assert_int_equal(s->nmisuse, 1);
    assert_misuse(s, 0, line, "has no children");
    assert_null(html->parent);
    assert_null(num->first);
}

static void test_append_with_null_parent_is_recorded_on_the_child(void **state)
{
    pn_session *s = *state;
    pn_node *html = pn_html(s, .html = "x");
    pn_append(NULL, html);
    assert_int_equal(s->nmisuse, 1);
    pn_append(NULL, NULL); /* nothing to record it on: must not crash */
    assert_int_equal(s->nmisuse, 1);
}

static void test_misuse_is_kept_in_order_and_counted(void **state)
{
    pn_session *s = *state;
    pn_node *leaf = pn_html(s, .html = "x");
    pn_append(leaf, NULL);
    pn_servable(s, NULL);
    pn_number(s, .font_size = "huge");
    assert_int_equal(s->nmisuse, 3);
    assert_non_null(strstr(misuse_at(s, 0)->msg, "has no children"));
    assert_non_null(strstr(misuse_at(s, 1)->msg, "NULL child"));
    assert_non_null(strstr(misuse_at(s, 2)->msg, "font_size"));
    assert_null(misuse_at(s, 3));
}

/* ---- template ---- */

static void test_template_copies_and_validates_colours(void **state)
{
    pn_session *s = *state;
    char title[] = "Rome Weather";
    pn_template(s, .name = "material", .title = title, .header_background = "#0072b5",
                .header_color = "white");
    title[0] = 'X';
    assert_string_equal(s->tmpl.name, "material");
    assert_string_equal(s->tmpl.title, "Rome Weather");
    assert_string_equal(s->tmpl.header_background, "#0072b5");
    assert_string_equal(s->tmpl.header_color, "white");
    assert_int_equal(s->nmisuse, 0);
    int line = __LINE__ + 1;
    pn_template(s, .header_background = "red;background:url(x)", .header_color = "\"><script>");
    assert_int_equal(s->nmisuse, 2);
    assert_misuse(s, 0, line, "header_background");
    assert_misuse(s, 1, line, "header_color");
    assert_null(s->tmpl.header_background);
    assert_null(s->tmpl.header_color);
    assert_null(s->tmpl.name); /* a later call replaces the earlier one */
    assert_int_equal(s->tmpl_here.line, line);
}

/* ---- Number ---- */

static void test_number_invalid_sizes_and_colour_are_recorded_and_defaulted(void **state)
{
    pn_session *s = *state;
    int line = __LINE__ + 1;
    pn_node *n = pn_number(s, .font_size = "54pt;color:red", .title_size = "big",
                           .default_color = "url(javascript:x)");
    assert_int_equal(s->nmisuse, 3);
    assert_misuse(s, 0, line, "default_color");
    assert_misuse(s, 1, line, "font_size");
    assert_misuse(s, 2, line, "title_size");
    assert_null(PN_OPTS(n, pn_number_opts)->font_size);
    assert_null(PN_OPTS(n, pn_number_opts)->title_size);
    assert_null(PN_OPTS(n, pn_number_opts)->default_color);
    pn_node *ok = pn_number(s, .font_size = "54pt", .title_size = "1.5em", .default_color = "#abc");
    assert_string_equal(PN_OPTS(ok, pn_number_opts)->font_size, "54pt");
    assert_string_equal(PN_OPTS(ok, pn_number_opts)->title_size, "1.5em");
    assert_string_equal(PN_OPTS(ok, pn_number_opts)->default_color, "#abc");
    assert_int_equal(s->nmisuse, 3);
}

static void test_number_colour_stops_are_copied_and_bad_ones_dropped(void **state)
{
    pn_session *s = *state;
    pn_color_stop stops[] = {{0, "blue"}, {30, "bad;colour"}, {1e9, "red"}, {0, NULL}};
    int line = __LINE__ + 1;
    pn_node *n = pn_number(s, .value = 10, .colors = stops);
    stops[0].color = "green";
    stops[0].below = 99;
    assert_int_equal(s->nmisuse, 1);
    assert_misuse(s, 0, line, "colors");
    const pn_color_stop *c = PN_OPTS(n, pn_number_opts)->colors;
    assert_string_equal(c[0].color, "blue");
    assert_true(c[0].below == 0);
    assert_string_equal(c[1].color, "red");
    assert_null(c[2].color);
}

/* The colour a Number with these stops shows for value, as its HTML says ("" for none). */
static const char *shown_color(double value, const char *default_color, char *buf, size_t len)
{
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *n = pn_number(s, .value = value, .default_color = default_color,
                           .colors = PN_COLORS({0, "blue"}, {30, "green"}, {1e9, "red"}));
    struct pn_buf b;
    pn__buf_init(&b, 1 << 16);
    assert_int_equal(pn__render_node(&b, n), 0);
    const char *c = strstr(b.data, ";color:");
    snprintf(buf, len, "%.*s", c ? (int)strcspn(c + 7, "\"") : 0, c ? c + 7 : "");
    pn__buf_fini(&b);
    pn__session_free(s);
    return buf;
}

static void test_number_color_picks_first_stop_below_then_default(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(shown_color(-5, "black", b, sizeof b), "blue");
    assert_string_equal(shown_color(0, "black", b, sizeof b), "green"); /* not below 0 */
    assert_string_equal(shown_color(29.9, "black", b, sizeof b), "green");
    assert_string_equal(shown_color(30, "black", b, sizeof b), "red");
    assert_string_equal(shown_color(2e9, "black", b, sizeof b), "black");
    assert_string_equal(shown_color(NAN, "black", b, sizeof b), "black");
    assert_string_equal(shown_color(2e9, NULL, b, sizeof b), "");
}

static const char *fmt_value(struct pn_buf *b, const char *format, double v)
{
    pn__buf_reset(b);
    int rc = pn__value_format(format, v, b);
    if (rc != 0)
        fail_msg("format \"%s\" of %g: %s", format ? format : "(default)", v, pn__strerror(rc));
    return b->data ? b->data : "";
}

static void test_number_format_default_is_shortest_round_trip(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(fmt_value(&b, NULL, 21), "21");
    assert_string_equal(fmt_value(&b, NULL, 3.5), "3.5");
    assert_string_equal(fmt_value(&b, NULL, -20), "-20");
    assert_string_equal(fmt_value(&b, NULL, 0.1), "0.1");
    assert_string_equal(fmt_value(&b, NULL, 1.0 / 3), "0.3333333333333333");
    assert_string_equal(fmt_value(&b, NULL, -0.0), "0");
    assert_string_equal(fmt_value(&b, NULL, 123456789012.0), "123456789012");
    double third = strtod(fmt_value(&b, NULL, 2.0 / 3), NULL);
    assert_true(third == 2.0 / 3);
    assert_string_equal(fmt_value(&b, "{value}", 1e20), "1e+20");
    assert_string_equal(fmt_value(&b, NULL, 1e-7), "1e-07");
    pn__buf_fini(&b);
}

static void test_number_format_fixed_decimals(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(fmt_value(&b, "{value:.1f}", 3.14159), "3.1");
    assert_string_equal(fmt_value(&b, "{value:.0f} °C", 21.7), "22 °C");
    assert_string_equal(fmt_value(&b, "{value:.3f}", 2), "2.000");
    assert_string_equal(fmt_value(&b, "{value:.2f}", -0.0), "0.00");
    assert_string_equal(fmt_value(&b, "{value:.2f}", -0.001), "-0.00");
    assert_string_equal(fmt_value(&b, "{value:.20f}", 0.5), "0.50000000000000000000");
    const char *huge = fmt_value(&b, "{value:.20f}", 1.7976931348623157e308);
    assert_int_equal(strlen(huge), 309 + 1 + 20);
    pn__buf_fini(&b);
}

static void test_number_format_keeps_surrounding_text(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(fmt_value(&b, "{value}%", 42), "42%");
    assert_string_equal(fmt_value(&b, "T = {value} C, {value:.1f}!", 1.25), "T = 1.25 C, 1.2!");
    assert_string_equal(fmt_value(&b, "no placeholder", 1), "no placeholder");
    assert_string_equal(fmt_value(&b, "", 1), "");
    assert_string_equal(fmt_value(&b, "%s%d%n", 1), "%s%d%n"); /* not a printf format */
    assert_string_equal(fmt_value(&b, "{{value}}", 7), "{7}");
    pn__buf_fini(&b);
}

static void test_number_format_unknown_placeholders_are_text(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_string_equal(fmt_value(&b, "{value", 1), "{value");
    assert_string_equal(fmt_value(&b, "{valuex}", 1), "{valuex}");
    assert_string_equal(fmt_value(&b, "{value:.21f}", 1), "{value:.21f}");
    assert_string_equal(fmt_value(&b, "{value:.99999999999999999999f}", 1),
                        "{value:.99999999999999999999f}");
    assert_string_equal(fmt_value(&b, "{value:.2e}", 1), "{value:.2e}");
    assert_string_equal(fmt_value(&b, "{value:.f}", 1), "{value:.f}");
    assert_string_equal(fmt_value(&b, "{value:.2f", 1), "{value:.2f");
    assert_string_equal(fmt_value(&b, "{value:.-2f}", 1), "{value:.-2f}");
    assert_string_equal(fmt_value(&b, "{VALUE}", 1), "{VALUE}");
    assert_string_equal(fmt_value(&b, "{value:.2f}{value", 1), "1.00{value");
    pn__buf_fini(&b);
}

static void test_number_format_non_finite_values(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 1024);
    assert_non_null(strstr(fmt_value(&b, NULL, INFINITY), "inf"));
    assert_non_null(strstr(fmt_value(&b, NULL, -INFINITY), "-inf"));
    assert_non_null(strstr(fmt_value(&b, NULL, NAN), "nan"));
    assert_non_null(strstr(fmt_value(&b, "{value:.2f}", INFINITY), "inf"));
    pn__buf_fini(&b);
}

static void test_number_format_past_max_is_too_big(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 5);
    assert_int_equal(pn__value_format("{value:.10f}", 1, &b), PN_ETOOBIG);
    pn__buf_fini(&b);
}

/* STYLE §3.5: out-params are untouched on failure. A format that fails half-way must not
 * leave half a value behind for the renderer to emit. */
static void test_number_format_failure_leaves_out_untouched(void **state)
{
    (void)state;
    struct pn_buf b;
    pn__buf_init(&b, 8);
    pn__buf_puts(&b, "<");
    int rc = pn__value_format("abc{value:.10f}", 1, &b);
    char got[16];
    snprintf(got, sizeof got, "%s", b.data);
    size_t len = b.len;
    pn__buf_fini(&b);
    assert_int_equal(rc, PN_ETOOBIG);
    assert_int_equal(len, 1);
    assert_string_equal(got, "<");
}

/* ---- CSS checks ---- */

static void test_css_color_accepts_hex_named_and_functions(void **state)
{
    (void)state;
    static const char *const good[] = {
        "#fff",
        "#FFFF",
        "#0072b5",
        "#0072b5cc",
        "red",
        "rebeccapurple",
        "transparent",
        "rgb(0, 114, 181)",
        "rgba(0,0,0,0.5)",
        "rgb(0 0 0 / 50%)",
        "hsl(120deg 50% 50%)",
        "hsla(120, 50%, 50%, .3)",
        "hsl(1rad,2%,3%)",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!pn__css_color_ok(good[i]))
            fail_msg("\"%s\" rejected", good[i]);
}

static void test_css_color_rejects_anything_that_could_escape_a_style(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "#",
        "#ff",
        "#fffff",
        "#fffffff",
        "#ggg",
        "#fff;",
        "red;",
        "red blue",
        " red",
        "red ",
        "rgb(1,2,3);x:y",
        "rgb(1,2,3)x",
        "url(x)",
        "expression(alert(1))",
        "rgb(\"1\")",
        "rgb(1,2,3",
        "rgb1,2,3)",
        "(1,2,3)",
        "rgb(1;2)",
        "rgb((1))",
        "\"red\"",
        "red}",
        "red<",
        "var(--x)",
        "calc(1+2)",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 letters */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (pn__css_color_ok(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
}

static void test_css_length_accepts_number_with_unit_or_bare_zero(void **state)
{
    (void)state;
    static const char *const good[] = {"12px", "1.5em", "54pt", "80%", "2rem", "0",    "0.0",
                                       ".5em", "10vw",  "10vh", "1ex", "2ch",  "18pt", "00"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!pn__css_length_ok(good[i]))
            fail_msg("\"%s\" rejected", good[i]);
}

static void test_css_length_rejects_everything_else(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",          "px",    "5",     "1.5",   "-1px",           "+1px",
        "12 px",     " 12px", "12px ", "12px;", "12px;color:red", "1e3px",
        ".px",       ".",     "12pxx", "12cm;", "12\"",           "1234567890123px",
        "calc(1px)", "12p",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (pn__css_length_ok(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
}

/* ---- kind table ---- */

static bool has_prop(const struct pn_kind *d, const char *name, enum pn_prop_type type,
                     size_t offset)
{
    for (size_t i = 0; i < d->nprops; i++)
        if (strcmp(d->props[i].name, name) == 0)
            return d->props[i].type == type && d->props[i].offset == offset;
    return false;
}

#define ASSERT_PROP(kind, T, field, type)                                                          \
    do {                                                                                           \
        if (!has_prop(&kind, #field, type, offsetof(T, field)))                                    \
            fail_msg("%s: no property " #field " of the right type and offset", kind.name);        \
    } while (0)

static void test_kind_table_describes_every_option_field(void **state)
{
    (void)state;
    ASSERT_PROP(pn__kind_row, pn_row_opts, items, PN_PROP_ITEMS);
    ASSERT_PROP(pn__kind_column, pn_column_opts, items, PN_PROP_ITEMS);
    ASSERT_PROP(pn__kind_card, pn_card_opts, items, PN_PROP_ITEMS);
    ASSERT_PROP(pn__kind_card, pn_card_opts, title, PN_PROP_STR);
    ASSERT_PROP(pn__kind_card, pn_card_opts, hide_header, PN_PROP_BOOL);
    ASSERT_PROP(pn__kind_card, pn_card_opts, collapsed, PN_PROP_BOOL);
    ASSERT_PROP(pn__kind_number, pn_number_opts, name, PN_PROP_STR);
    ASSERT_PROP(pn__kind_number, pn_number_opts, value, PN_PROP_DOUBLE);
    ASSERT_PROP(pn__kind_number, pn_number_opts, format, PN_PROP_STR);
    ASSERT_PROP(pn__kind_number, pn_number_opts, colors, PN_PROP_COLORS);
    ASSERT_PROP(pn__kind_number, pn_number_opts, default_color, PN_PROP_STR);
    ASSERT_PROP(pn__kind_number, pn_number_opts, font_size, PN_PROP_STR);
    ASSERT_PROP(pn__kind_number, pn_number_opts, title_size, PN_PROP_STR);
    ASSERT_PROP(pn__kind_markdown, pn_markdown_opts, text, PN_PROP_STR);
    ASSERT_PROP(pn__kind_html, pn_html_opts, html, PN_PROP_RAW);
    assert_int_equal(pn__kind_card.nprops, 4);
    assert_int_equal(pn__kind_number.nprops, 7);
}

static void test_kind_table_is_consistent(void **state)
{
    (void)state;
    assert_int_equal(pn__kind_count, 39); /* every kind of src/kinds/ is in kinds.c's list */
    for (size_t k = 0; k < pn__kind_count; k++) {
        const struct pn_kind *d = pn__kind_list[k];
        assert_non_null(d->html);
        assert_true(!d->container || d->html_close);
        assert_non_null(d->name);
        assert_true(strncmp(d->css_class, "pn-", 3) == 0);
        assert_true(d->opts_size > 0);
        assert_true(d->nprops > 0 && d->nprops < 28); /* bits 28..31 are PN_DIRTY_ ones */
        for (size_t i = 0; i < d->nprops; i++) {
            assert_true(d->props[i].offset < d->opts_size);
            for (size_t j = 0; j < i; j++) {
                assert_string_not_equal(d->props[i].name, d->props[j].name);
                assert_int_not_equal(d->props[i].offset, d->props[j].offset);
            }
            if (d->props[i].type == PN_PROP_ITEMS)
                assert_true(d->container);
        }
        assert_ptr_equal(pn__kind_find(pn__str(d->name)), d);
    }
    assert_true(pn__kind_row.container);
    assert_false(pn__kind_number.container);
    assert_null(pn__kind_find(PN_STRLIT("number"))); /* Panel's names are case-sensitive */
    assert_null(pn__kind_find(PN_STRLIT("Num")));
    assert_null(pn__kind_find(PN_STRLIT("")));
    assert_ptr_equal(pn__kind_find((pn_str){"NumberX", 6}), &pn__kind_number);
}

/* A session with many nodes frees everything it owns (LeakSanitizer checks in the asan
 * build), and its arena stays proportional to what was built. */
static void test_session_free_releases_a_large_tree(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "big"});
    pn_node *col = pn_column_ex(s);
    for (int i = 0; i < 2000; i++)
        pn_append(col, pn_card(s, .title = pn_fmt(s, "card %d", i),
                               .items = PN_ITEMS(pn_number(s, .value = i, .name = "n"))));
    pn_servable(s, col);
    assert_int_equal(nchildren(col), 2000);
    assert_int_equal(s->nmisuse, 0);
    assert_true(s->arena.total < 2000 * 1024);
    pn__session_free(s);
}

/* ---- lifetimes: callbacks, destroy hooks, threads (issue 10) ---- */

/* A timer's callback as the server runs it (pn__live_run_begin/end): formats strings and hands
 * them to setters. 100,000 runs must leave the session's arena where it was and the scratch
 * arena empty between callbacks (on main pn_fmt grew the arena by ~32 bytes per call). */
static void test_callbacks_that_format_do_not_grow_the_session(void **state)
{
    pn_session *s = *state;
    pn_node *n = pn_number(s, .name = "ticks", .value = 0);
    pn_node *md = pn_markdown(s, .text = "");
    pn_servable(s, pn_row(s, n, md));
    const char *in_app = pn_fmt(s, "made in %s", "pn_app");
    size_t arena = s->arena.total;
    for (int i = 0; i < 100000; i++) {
        pn__session_enter(s);
        pn_number_set_name(n, pn_fmt(s, "tick %d", i));
        pn_markdown_set_text(md, pn_fmt(s, "**%d** of %s", i, pn_session_arg(s, "city", "?")));
        pn_number_set_value(n, i);
        pn__session_leave(s);
        assert_int_equal(s->scratch.total, 0);
        for (pn_node *d = pn__session_take_dirty(s); d; d = d->dirty_next)
            d->dirty_mask = 0, d->dirty_listed = false; /* as a patch does */
    }
    assert_int_equal(s->arena.total, arena);
    assert_string_equal(PN_OPTS(n, pn_number_opts)->name, "tick 99999"); /* the setter kept its own copy */
    assert_string_equal(PN_OPTS(md, pn_markdown_opts)->text, "**99999** of New York");
    assert_string_equal(in_app, "made in pn_app"); /* pn_app's strings live with the session */
    assert_int_equal(s->nmisuse, 0);
}

/* A nested callback (a hook run from a callback) keeps the outer one's strings until the outer
 * one returns. */
static void test_scratch_lives_until_the_outermost_callback_returns(void **state)
{
    pn_session *s = *state;
    pn__session_enter(s);
    const char *outer = pn_fmt(s, "outer %d", 1);
    pn__session_enter(s);
    const char *inner = pn_fmt(s, "inner %d", 2);
    pn__session_leave(s);
    assert_string_equal(outer, "outer 1");
    assert_string_equal(inner, "inner 2");
    assert_true(s->scratch.total > 0);
    pn__session_leave(s);
    assert_int_equal(s->scratch.total, 0);
    pn__session_leave(s); /* unbalanced: harmless */
    assert_int_equal(s->in_callback, 0);
}

/* A callback that misuses on every tick is logged every time but kept PN_MISUSE_KEEP times. */
static void test_misuse_in_a_callback_does_not_grow_the_session(void **state)
{
    pn_session *s = *state;
    pn_node *n = pn_number(s, .value = 1);
    for (int i = 0; i < PN_MISUSE_KEEP; i++)
        pn_number_set_value(n, NAN);
    size_t arena = s->arena.total;
    pn__log_level = PN_LOG_CRITICAL;
    for (int i = 0; i < 100000; i++) {
        pn__session_enter(s);
        pn_number_set_value(n, NAN);
        pn__session_leave(s);
    }
    pn__log_level = PN_LOG_ERROR;
    assert_int_equal(s->arena.total, arena);
    assert_int_equal(s->nmisuse, 100000 + PN_MISUSE_KEEP);
}

static int hook_runs;
static void count_hook(pn_session *s, void *arg)
{
    assert_non_null(s);
    hook_runs += *(int *)arg;
    assert_string_equal(pn_fmt(s, "%s", "a hook runs as a callback"), "a hook runs as a callback");
    assert_int_equal(s->in_callback, 1);
}

/* Every session that ran pn_app ends: a page-only one (the reuse cache, --warm) has no live
 * state, and on main its hooks were never registered, so the documented "allocate in pn_app,
 * free in the hook" leaked on every cache miss. */
static void test_destroy_hooks_run_for_a_page_only_session(void **state)
{
    (void)state;
    int one = 1, ten = 10;
    hook_runs = 0;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "page"});
    pn_on_session_destroyed(s, count_hook, &one);
    pn_on_session_destroyed(s, count_hook, &ten);
    pn_on_session_destroyed(s, NULL, &ten); /* nothing to run: ignored */
    assert_int_equal(hook_runs, 0);
    pn__session_free(s);
    assert_int_equal(hook_runs, 11);
}

/* The server ends a live session first (hooks) and frees it later (after its handles closed):
 * hooks run once, and one registered while the session ends is refused. */
static void end_and_register(pn_session *s, void *arg)
{
    hook_runs++;
    pn_on_session_destroyed(s, count_hook, arg);
}

static void test_destroy_hooks_run_once(void **state)
{
    (void)state;
    int one = 1;
    hook_runs = 0;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "live"});
    pn_on_session_destroyed(s, end_and_register, &one);
    pn__session_end(s);
    assert_int_equal(hook_runs, 1);
    assert_int_equal(s->nmisuse, 1); /* the late registration */
    pn__session_end(s);
    pn__session_free(s);
    assert_int_equal(hook_runs, 1);
}

/* ---- pn_alloc ---- */

struct alloc_probe {
    unsigned char *in_app, *in_callback;
    int hook_saw; /* 1: the hook found both blocks as the app left them */
};

static void check_blocks(pn_session *s, void *arg)
{
    (void)s;
    struct alloc_probe *p = arg;
    p->hook_saw = p->in_app[0] == 0xab && p->in_app[4095] == 0xcd && p->in_callback[7] == 7;
}

/* The app's state without a calloc and destroy-hook pair: zeroed, aligned, outside the arena,
 * alive through the destroy hooks (they may still read it), freed after them (ASan's leak check
 * fails the asan run otherwise, and a use after free in the hook would show there too). One
 * asked for in a callback is the session's as well, not the callback's scratch. */
static void test_alloc_is_zeroed_and_outlives_the_destroy_hooks(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "alloc"});
    size_t arena = s->arena.total;
    struct alloc_probe p = {.in_app = pn_alloc(s, 4096)};
    assert_non_null(p.in_app);
    for (size_t i = 0; i < 4096; i++)
        assert_int_equal(p.in_app[i], 0);
    assert_int_equal((uintptr_t)p.in_app % _Alignof(max_align_t), 0);
    p.in_app[0] = 0xab, p.in_app[4095] = 0xcd;
    unsigned char *big = pn_alloc(s, 8u << 20), *none = pn_alloc(s, 0);
    assert_non_null(big);
    assert_int_equal(big[(8u << 20) - 1], 0);
    assert_non_null(none);
    assert_ptr_not_equal(none, big);
    pn__session_enter(s); /* as in a timer */
    p.in_callback = pn_alloc(s, 8);
    assert_non_null(p.in_callback);
    p.in_callback[7] = 7;
    pn__session_leave(s); /* the scratch arena is reset: the block stays */
    assert_int_equal(s->arena.total, arena);
    assert_int_equal(s->nmisuse, 0);
    pn_on_session_destroyed(s, check_blocks, &p);
    pn__session_free(s);
    assert_int_equal(p.hook_saw, 1);
}

/* A size no allocation can have: NULL, and misuse at the caller's line (nothing to crash on
 * later without a word). */
static void test_alloc_failure_is_misuse_at_the_callers_line(void **state)
{
    pn_session *s = *state;
    unsigned m = s->nmisuse;
    int line = __LINE__ + 1;
    assert_null(pn_alloc(s, SIZE_MAX));
    assert_null(pn_alloc(s, SIZE_MAX - 8));
    assert_int_equal(s->nmisuse, m + 2);
    assert_misuse(s, m, line, "pn_alloc: no memory for");
}

/* ---- calls from another thread ---- */

/* stderr into a temporary file while fn runs; returns what was logged (heap). */
static char *capture_stderr(void (*fn)(void *), void *arg)
{
    fflush(stderr);
    FILE *tmp = tmpfile();
    assert_non_null(tmp);
    int saved = dup(2);
    dup2(fileno(tmp), 2);
    fn(arg);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(tmp, 0, SEEK_END);
    long n = ftell(tmp);
    rewind(tmp);
    char *out = calloc(1, (size_t)n + 1);
    if (fread(out, 1, (size_t)n, tmp) != (size_t)n)
        fail_msg("reading the captured log");
    fclose(tmp);
    return out;
}

struct offthread {
    pn_session *s;
    pn_node *number, *built;
    const char *fmt;
    void *mem;
    int set_line, build_line, fmt_line, alloc_line;
};

static void *sampler(void *arg)
{
    struct offthread *o = arg;
    o->set_line = __LINE__ + 1;
    pn_number_set_value(o->number, 99);
    o->build_line = __LINE__ + 1;
    o->built = pn_number(o->s, .value = 1);
    o->fmt_line = __LINE__ + 1;
    o->fmt = pn_fmt(o->s, "%d", 5);
    o->alloc_line = __LINE__ + 1;
    o->mem = pn_alloc(o->s, 64);
    pn_title_set(o->s, "changed");
    pn_servable(o->s, o->number);
    return NULL;
}

static void run_sampler(void *arg)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, sampler, arg), 0);
    pthread_join(t, NULL);
}

/* What a user tries first for a sampler thread: on main the setter raced with the loop and its
 * patch was never scheduled. Now it is refused, names the caller's line and changes nothing. */
static void test_calls_from_another_thread_are_refused_with_the_callers_line(void **state)
{
    pn_session *s = *state;
    struct offthread o = {.s = s, .number = pn_number(s, .value = 7)};
    uint32_t ids = s->next_id;
    size_t arena = s->arena.total;
    char *log = capture_stderr(run_sampler, &o);
    assert_true(PN_OPTS(o.number, pn_number_opts)->value == 7);
    assert_int_equal(o.number->dirty_mask, 0);
    assert_null(s->dirty);
    assert_null(o.built);
    assert_string_equal(o.fmt, "");
    assert_int_equal(s->next_id, ids);
    assert_int_equal(s->arena.total, arena);
    assert_int_equal(s->nmisuse, 0); /* recording it would race too */
    assert_null(s->title_heap);
    assert_null(s->root->first);
    char want[128];
    snprintf(want, sizeof want, "test_doc.c:%d: pn_number_set_value called from another thread",
             o.set_line);
    if (!strstr(log, want))
        fail_msg("log does not name the setter's line (%s):\n%s", want, log);
    snprintf(want, sizeof want, "test_doc.c:%d: Number called from another thread", o.build_line);
    assert_non_null(strstr(log, want));
    snprintf(want, sizeof want, "test_doc.c:%d: pn_fmt", o.fmt_line);
    assert_non_null(strstr(log, want));
    snprintf(want, sizeof want, "test_doc.c:%d: pn_alloc called from another thread", o.alloc_line);
    assert_non_null(strstr(log, want));
    assert_null(o.mem);
    assert_null(s->blocks);
    assert_non_null(strstr(log, "pn_title_set"));
    assert_non_null(strstr(log, "pn_servable"));
    free(log);
    pn_number_set_value(o.number, 8); /* its own thread still can */
    assert_true(PN_OPTS(o.number, pn_number_opts)->value == 8);
}

/* ---- misuse names the line that misused ---- */

static void test_setter_misuse_names_the_setters_line(void **state)
{
    pn_session *s = *state;
    pn_node *n = pn_number(s, .value = 3);
    pn_node *md = pn_markdown(s, .text = "x");
    int line = __LINE__ + 1;
    pn_number_set_value(n, NAN);
    pn_number_set_value(n, INFINITY);
    pn_number_set_value(md, 1);
    pn_float_slider_set_value(pn_float_slider(s, .end = 2), -INFINITY);
    assert_misuse(s, 0, line, "finite");
    assert_misuse(s, 1, line + 1, "finite");
    assert_misuse(s, 2, line + 2, "called on a Markdown");
    assert_misuse(s, 3, line + 3, "finite");
    assert_true(PN_OPTS(n, pn_number_opts)->value == 3);
    char made[32];
    snprintf(made, sizeof made, "test_doc.c:%d", line - 3); /* and where the node was made */
    assert_non_null(strstr(misuse_at(s, 0)->msg, made));
}

static void test_number_format_check(void **state)
{
    (void)state;
    const char *ok[] = {"", "{value}", "{value:.1f} °C", "{value:.20f}", "T = {value}, {value:.0f}",
                        "{{value}}", "no placeholder", "{ value }", "a { b", "{value", "50% {",
                        "}", "%s%d"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (pn__number_format_check(ok[i]))
            fail_msg("\"%s\" refused", ok[i]);
    assert_null(pn__number_format_check(NULL));
    const char *bad[] = {"{val:.2f}", "{value:.2e}", "{value:.21f}", "{}", "{0}", "{VALUE}",
                         "{valuex}", "{value:2f}", "{value:.2f", "ok {value} then {x}",
                         "{value:.f}"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (!pn__number_format_check(bad[i]))
            fail_msg("\"%s\" accepted", bad[i]);
}

/* On main "{val:.2f}" was shown literally with no warning: now it is misuse at the line that
 * gave it, at build (the default format is used) and at set (the node keeps its format). */
static void test_misspelt_format_is_misuse_at_build_and_set(void **state)
{
    pn_session *s = *state;
    int line = __LINE__ + 1;
    pn_node *n = pn_number(s, .value = 2.5, .format = "{val:.2f} °C");
    pn_node *f = pn_float_slider(s, .format = "{value:.2e}");
    assert_misuse(s, 0, line, "{val:.2f}");
    assert_misuse(s, 1, line + 1, "{value:.2e}");
    assert_null(PN_OPTS(n, pn_number_opts)->format);
    assert_null(PN_OPTS(f, pn_float_slider_opts)->format);
    pn_number_set_format(n, "{value:.1f} °C");
    assert_int_equal(s->nmisuse, 2);
    assert_string_equal(PN_OPTS(n, pn_number_opts)->format, "{value:.1f} °C");
    line = __LINE__ + 1;
    pn_number_set_format(n, "{Value} °C");
    assert_misuse(s, 2, line, "placeholder");
    assert_string_equal(PN_OPTS(n, pn_number_opts)->format, "{value:.1f} °C");
    assert_int_equal(n->dirty_mask, 1u << 2); /* only the good set marked it */
}

/* ---- string intake: valid UTF-8 ---- */

#define FFFD "\xef\xbf\xbd"

static void test_strings_entering_the_tree_are_made_valid_utf8(void **state)
{
    pn_session *s = *state;
    /* an app that cuts a multibyte character, and one that shows Latin-1 data */
    const char *cut = pn_fmt(s, "%.12s", "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    pn_template(s, .title = cut);
    static const char *const opts[] = {"Z\xfcrich", "Paris", NULL};
    pn_node *md = pn_markdown(s, .text = "caf\xe9");
    pn_node *num = pn_number(s, .name = cut, .format = "{value} \xb0" "C");
    pn_node *card = pn_card(s, .title = "\xed\xa0\x80", .items = PN_ITEMS(md, num));
    pn_node *sel = pn_select(s, .options = opts, .value = "Z\xfcrich");
    pn_node *txt = pn_text_input(s, .value = "\xf4\x90\x80\x80");
    pn_servable(s, pn_column(s, card, sel, txt));
    const char *cut_fixed = "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" FFFD;
    assert_string_equal(s->tmpl.title, cut_fixed);
    assert_string_equal(PN_OPTS(md, pn_markdown_opts)->text, "caf" FFFD);
    assert_string_equal(PN_OPTS(num, pn_number_opts)->name, cut_fixed);
    assert_string_equal(PN_OPTS(num, pn_number_opts)->format, "{value} " FFFD "C");
    assert_string_equal(PN_OPTS(card, pn_card_opts)->title, FFFD FFFD FFFD);
    assert_string_equal(PN_OPTS(sel, pn_select_opts)->options[0], "Z" FFFD "rich");
    assert_string_equal(PN_OPTS(txt, pn_text_input_opts)->value, FFFD FFFD FFFD FFFD);
    /* setters too */
    pn_markdown_set_text(md, "cr\xe8me \xe2\x82");
    assert_string_equal(PN_OPTS(md, pn_markdown_opts)->text, "cr" FFFD "me " FFFD);
    pn_card_set_title(card, "\xc0\xaf");
    assert_string_equal(PN_OPTS(card, pn_card_opts)->title, FFFD FFFD);
    pn_title_set(s, "t\xff");
    assert_string_equal(pn__session_title(s), "t" FFFD);
    assert_string_equal(PN_OPTS(sel, pn_select_opts)->value, "Z" FFFD "rich"); /* matched as repaired */
    pn_select_set_value(sel, "Paris");
    pn_select_set_value(sel, "Z\xfcrich");
    assert_string_equal(pn_select_value(sel), "Z" FFFD "rich");
    /* setting the same bad bytes again is no change: nothing is marked to send */
    pn__session_take_dirty(s);
    md->dirty_mask = 0, md->dirty_listed = false, md->dirty_next = NULL;
    pn_markdown_set_text(md, "cr\xe8me \xe2\x82");
    assert_int_equal(md->dirty_mask, 0);
    unsigned before = s->nmisuse;
    /* a value already valid is kept byte for byte */
    pn_number_set_name(num, "\xf0\x9f\x98\x80 ok");
    assert_string_equal(PN_OPTS(num, pn_number_opts)->name, "\xf0\x9f\x98\x80 ok");
    assert_int_equal(s->nmisuse, before);
}

/* ---- depth ---- */

static unsigned depth_below(const pn_node *n) /* levels of n's subtree, by walking it */
{
    unsigned max = 0;
    const pn_node *c = n->first, *top = n;
    unsigned d = 1;
    while (c) {
        if (d > max)
            max = d;
        if (c->first) {
            c = c->first, d++;
            continue;
        }
        while (c != top && !c->next)
            c = c->parent, d--;
        c = c == top ? NULL : c->next;
    }
    return max;
}

static void count_node(pn_node *n, void *ud)
{
    (void)n;
    ++*(size_t *)ud;
}

static void test_rows_nested_30000_deep_bottom_up_stop_at_max_depth(void **state)
{
    pn_session *s = *state;
    pn_node *n = pn_number(s, .value = 1);
    int line = __LINE__ + 2;
    for (int i = 0; i < 30000; i++)
        n = pn_row(s, n); /* a recursive data structure turned into rows */
    pn_servable(s, n);
    assert_true(s->nmisuse >= 30000 / PN_MAX_DEPTH);
    assert_misuse(s, 0, line, "deeper than 256 levels");
    assert_true(depth_below(s->root) <= PN_MAX_DEPTH); /* the last chain, rebuilt after a refusal */
    size_t count = 0;
    pn__session_walk(s, count_node, &count); /* iterative: no stack per level */
    assert_int_equal(count, depth_below(s->root));
}

static void test_rows_nested_top_down_stop_at_max_depth(void **state)
{
    pn_session *s = *state;
    pn_node *top = pn_row_ex(s), *cur = top;
    pn_servable(s, top);
    int line = __LINE__ + 4;
    for (int i = 0; i < 30000; i++) {
        pn_node *child = pn_row_ex(s);
        if (i < PN_MAX_DEPTH + 10)
            pn_append(cur, child);
        if (child->parent)
            cur = child;
    }
    /* top is level 1: children 2..256 are taken (255), the next 11 refused */
    assert_int_equal(s->nmisuse, 11);
    assert_misuse(s, 0, line, "deeper than 256 levels");
    assert_int_equal(depth_below(s->root), PN_MAX_DEPTH);
    /* a subtree that fits where it goes is still taken */
    pn_node *mid = top;
    for (int i = 0; i < 100; i++)
        mid = mid->first;
    pn_node *deep = pn_row(s, pn_row(s, pn_row_ex(s)));
    pn_append(mid, deep);
    assert_ptr_equal(deep->parent, mid);
    assert_int_equal(s->nmisuse, 11);
    /* and one that does not, built first and added later, is refused */
    pn_node *tall = pn_row_ex(s);
    for (int i = 0; i < 200; i++)
        tall = pn_row(s, tall);
    pn_append(mid, tall);
    assert_null(tall->parent);
    assert_int_equal(s->nmisuse, 12);
}

/* ---- widget events (pn__node_event: what a client may send, and the error codes of
 * docs/internals/protocol.md) ---- */

static int calls;
static void count_call(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)n, (void)arg;
    calls++;
}

/* An event for prop of n: NULL (taken; its callback run) or the error code. */
static const char *event(pn_node *n, const char *prop, struct pn_value v)
{
    struct pn_call call;
    const char *why = NULL;
    const char *code = pn__node_event(n, pn__str(prop), &v, &call, &why);
    if (code)
        assert_non_null(why);
    else if (call.fn)
        call.fn(n->s, n, call.arg);
    return code;
}
#define EV_OK(n, prop, v) assert_null(event((n), (prop), (v)))
#define EV_ERR(n, prop, v, code) assert_string_equal(event((n), (prop), (v)), (code))

static void test_number_input_events_are_typed_and_clamped(void **state)
{
    pn_session *s = *state;
    calls = 0;
    pn_node *i = pn_int_input(s, .value = 5, .start = 1, .end = 10, .on_change = count_call);
    EV_OK(i, "value", PN_NUM(7));
    assert_int_equal(pn_int_input_value(i), 7);
    assert_int_equal(calls, 1);
    EV_OK(i, "value", PN_NUM(1e6)); /* clamped */
    assert_int_equal(pn_int_input_value(i), 10);
    EV_OK(i, "value", PN_NUM(-1e15));
    assert_int_equal(pn_int_input_value(i), 1);
    EV_ERR(i, "value", PN_NUM(2.5), "bad-value");   /* not whole */
    EV_ERR(i, "value", PN_NUM(1e300), "bad-value"); /* past what a long holds */
    EV_ERR(i, "value", PN_NUM(NAN), "bad-value");
    EV_ERR(i, "value", PN_STR("3"), "bad-value");
    EV_ERR(i, "value", PN_BOOL(true), "bad-value");
    EV_ERR(i, "value", (struct pn_value){.type = PN_V_NONE}, "bad-value");
    EV_ERR(i, "start", PN_NUM(0), "bad-prop");
    EV_ERR(i, "nope", PN_NUM(0), "bad-prop");
    assert_int_equal(pn_int_input_value(i), 1);
    assert_int_equal(calls, 3);
    pn_node *u = pn_int_input(s, .value = -3); /* unbounded */
    EV_OK(u, "value", PN_NUM(-9e15));
    assert_true(pn_int_input_value(u) == -9000000000000000L);

    pn_node *f = pn_float_input(s, .value = 0.5, .start = 0, .end = INFINITY);
    EV_OK(f, "value", PN_NUM(2.25));
    assert_true(pn_float_input_value(f) == 2.25);
    EV_OK(f, "value", PN_NUM(-4));
    assert_true(pn_float_input_value(f) == 0);
    EV_OK(f, "value", PN_NUM(1e300));
    assert_true(pn_float_input_value(f) == 1e300);
    EV_ERR(f, "value", PN_NUM(INFINITY), "bad-value");
    EV_ERR(f, "value", PN_NUM(NAN), "bad-value");
    EV_ERR(f, "value", PN_STR("1"), "bad-value");
    EV_ERR(f, "step", PN_NUM(1), "bad-prop");
    pn_float_input_set_value(f, -1); /* setters clamp too */
    assert_true(pn_float_input_value(f) == 0);
    pn_node *d = pn_float_input(s, .disabled = true, .on_change = count_call);
    calls = 0;
    EV_OK(d, "value", PN_NUM(3)); /* a disabled widget takes nothing */
    assert_true(pn_float_input_value(d) == 0);
    assert_int_equal(calls, 0);
    assert_int_equal(s->nmisuse, 0);
}

static void test_number_input_misuse_is_at_the_apps_line(void **state)
{
    pn_session *s = *state;
    int line = __LINE__ + 1;
    pn_node *i = pn_int_input(s, .value = 50, .start = 1, .end = 10);
    assert_int_equal(pn_int_input_value(i), 10);
    assert_misuse(s, 0, line, "outside 1..10");
    line = __LINE__ + 1;
    pn_node *f = pn_float_input(s, .start = 2, .end = 1, .value = NAN);
    assert_misuse(s, 1, line, "NaN");
    assert_true(pn_float_input_value(f) == 0);
    line = __LINE__ + 1;
    pn_int_input(s, .step = -2);
    assert_misuse(s, 2, line, "step -2");
    line = __LINE__ + 1;
    pn_float_input_set_value(f, NAN);
    assert_misuse(s, 3, line, "finite");
}

static void test_text_area_input_events(void **state)
{
    pn_session *s = *state;
    pn_node *t = pn_text_area_input(s, .max_length = 4, .on_change = count_call);
    calls = 0;
    EV_OK(t, "value", PN_STR("a\nb"));
    assert_string_equal(pn_text_area_input_value(t), "a\nb");
    EV_OK(t, "value", PN_STR("éééé")); /* characters, not bytes */
    EV_ERR(t, "value", PN_STR("abcde"), "bad-value");
    EV_ERR(t, "value", PN_NUM(1), "bad-value");
    EV_ERR(t, "rows", PN_NUM(3), "bad-prop");
    EV_ERR(t, "max_length", PN_NUM(100), "bad-prop");
    assert_string_equal(pn_text_area_input_value(t), "éééé");
    assert_int_equal(calls, 2);
    EV_OK(t, "value", PN_STR("\xff")); /* made valid UTF-8 */
    assert_string_equal(pn_text_area_input_value(t), "\xef\xbf\xbd");
    int line = __LINE__ + 1;
    pn_text_area_input(s, .rows = 1000, .value = "too long", .max_length = 3);
    assert_misuse(s, 0, line, "rows 1000");
    assert_misuse(s, 1, line, "longer than max_length");
}

static void test_radio_group_takes_only_its_options(void **state)
{
    pn_session *s = *state;
    static char opt[] = "Paris";
    pn_node *r = pn_radio_group(s, .options = PN_OPTIONS("Berlin", opt), .on_change = count_call);
    opt[0] = 'X'; /* the node has its own copies */
    assert_string_equal(pn_radio_group_value(r), "Berlin");
    calls = 0;
    EV_OK(r, "value", PN_STR("Paris"));
    assert_string_equal(pn_radio_group_value(r), "Paris");
    assert_int_equal(calls, 1);
    EV_ERR(r, "value", PN_STR("Xaris"), "bad-value");
    EV_ERR(r, "value", PN_STR(""), "bad-value");
    EV_ERR(r, "value", PN_NUM(0), "bad-value");
    EV_ERR(r, "value", PN_BOOL(true), "bad-value");
    EV_ERR(r, "options", PN_STR("Rome"), "bad-prop");
    EV_ERR(r, "horizontal", PN_BOOL(true), "bad-prop");
    assert_string_equal(pn_radio_group_value(r), "Paris");
    int line = __LINE__ + 1;
    pn_radio_group_set_value(r, "Rome");
    assert_misuse(s, 0, line, "not one of the options");
    line = __LINE__ + 1;
    pn_node *e = pn_radio_group(s, .value = "a");
    assert_misuse(s, 1, line, "without options");
    assert_string_equal(pn_radio_group_value(e), "");
    EV_ERR(e, "value", PN_STR(""), "bad-value");
}

/* A list value (PN_V_STRS) from an event, or a setter's NULL-terminated list. */
static struct pn_value strs(size_t n, const char **items)
{
    return (struct pn_value){.type = PN_V_STRS, .strs = items, .n = n};
}
#define STRS(...) strs(PN_COUNT(((const char *[]){__VA_ARGS__})), (const char *[]){__VA_ARGS__})

static void assert_list(size_t (*get)(const pn_node *, const char **, size_t), pn_node *n,
                        const char *want)
{
    const char *got[8];
    size_t k = get(n, got, 8);
    char joined[200] = "";
    for (size_t i = 0; i < k && i < 8; i++)
        snprintf(joined + strlen(joined), sizeof joined - strlen(joined), "%s%s", i ? "," : "",
                 got[i]);
    assert_string_equal(joined, want);
}

static void test_list_widgets_take_only_their_options_once(void **state)
{
    pn_session *s = *state;
    static char mon[] = "Mon";
    pn_node *g = pn_checkbox_group(s, .options = PN_OPTIONS(mon, "Tue", "Wed"),
                                   .value = PN_OPTIONS("Wed", mon), .on_change = count_call);
    mon[0] = 'X'; /* the node has its own copies */
    assert_list(pn_checkbox_group_value, g, "Mon,Wed"); /* the options' order */
    calls = 0;
    EV_OK(g, "value", STRS("Tue", "Mon"));
    assert_list(pn_checkbox_group_value, g, "Mon,Tue");
    EV_OK(g, "value", strs(0, NULL)); /* none */
    assert_list(pn_checkbox_group_value, g, "");
    assert_int_equal(calls, 2);
    EV_ERR(g, "value", STRS("Mon", "Sun"), "bad-value");              /* not an option */
    EV_ERR(g, "value", STRS("Mon", "Mon"), "bad-value");              /* twice */
    EV_ERR(g, "value", STRS("Mon", "Tue", "Wed", "Mon"), "bad-value"); /* more than options */
    EV_ERR(g, "value", PN_STR("Mon"), "bad-value");                   /* not a list */
    EV_ERR(g, "value", PN_BOOL(true), "bad-value");
    EV_ERR(g, "value", ((struct pn_value){.type = PN_V_NUMS, .nums = (double[]){1}, .n = 1}),
           "bad-value");
    EV_ERR(g, "options", STRS("x"), "bad-prop");
    assert_int_equal(calls, 2);
    assert_list(pn_checkbox_group_value, g, "");
    const char *one[1];
    EV_OK(g, "value", STRS("Wed", "Tue", "Mon"));
    assert_int_equal(pn_checkbox_group_value(g, one, 1), 3); /* the count; out holds 1 */
    assert_string_equal(one[0], "Mon");
    assert_int_equal(pn_checkbox_group_value(g, NULL, 0), 3);
    assert_int_equal(pn_checkbox_group_value(NULL, one, 1), 0);
    pn_checkbox_group_set_value(g, PN_OPTIONS("Tue"));
    assert_list(pn_checkbox_group_value, g, "Tue");
    pn_checkbox_group_set_value(g, NULL);
    assert_list(pn_checkbox_group_value, g, "");
    assert_int_equal(s->nmisuse, 0);

    pn_node *m = pn_multi_select(s, .options = PN_OPTIONS("a", "b", "c"));
    assert_list(pn_multi_select_value, m, "");
    EV_OK(m, "value", STRS("c", "a"));
    assert_list(pn_multi_select_value, m, "a,c");
    EV_ERR(m, "value", STRS(""), "bad-value");
    EV_ERR(m, "size", PN_NUM(3), "bad-prop");
    int line = __LINE__ + 1;
    pn_multi_select_set_value(m, PN_OPTIONS("a", "z"));
    assert_misuse(s, 0, line, "not one of the options");
    assert_list(pn_multi_select_value, m, "a,c");
    line = __LINE__ + 1;
    pn_node *bad = pn_multi_select(s, .options = PN_OPTIONS("a", "b"),
                                   .value = PN_OPTIONS("a", "a"), .size = 500);
    assert_misuse(s, 1, line, "twice");
    assert_misuse(s, 2, line, "size 500");
    assert_list(pn_multi_select_value, bad, "");
    /* options are fixed at build: no list reaches them, even past the kind's check */
    const char *why = NULL;
    struct pn_value opts = STRS("p", "q");
    assert_int_equal(pn__node_set(g, pn__prop_find(g->desc, PN_STRLIT("options")), &opts, &why),
                     PN_EINVAL);
    pn_node *sel = pn_select(s, .options = PN_OPTIONS("a"));
    assert_int_equal(
        pn__node_set(sel, pn__prop_find(sel->desc, PN_STRLIT("options")), &opts, &why),
        PN_EINVAL);
    assert_string_equal(PN_COPTS(g, pn_checkbox_group_opts)->options[0], "Mon");
    line = __LINE__ + 1;
    pn_node *none = pn_checkbox_group(s);
    assert_misuse(s, 3, line, "without options");
    EV_ERR(none, "value", STRS("a"), "bad-value");
    EV_OK(none, "value", strs(0, NULL));
}

static struct pn_value nums(double a, double b)
{
    static double pair[2];
    pair[0] = a, pair[1] = b;
    return (struct pn_value){.type = PN_V_NUMS, .nums = pair, .n = 2};
}

static void test_range_slider_takes_an_ordered_clamped_pair(void **state)
{
    pn_session *s = *state;
    pn_node *r = pn_range_slider(s, .start = 0, .end = 10, .value_start = 2, .value_end = 3,
                                 .on_change = count_call);
    calls = 0;
    EV_OK(r, "value", nums(5, 8)); /* past the old end: the end moves first */
    assert_true(pn_range_slider_value_start(r) == 5 && pn_range_slider_value_end(r) == 8);
    EV_OK(r, "value", nums(9, 1)); /* put in order */
    assert_true(pn_range_slider_value_start(r) == 1 && pn_range_slider_value_end(r) == 9);
    EV_OK(r, "value", nums(-50, 1e300)); /* clamped */
    assert_true(pn_range_slider_value_start(r) == 0 && pn_range_slider_value_end(r) == 10);
    EV_OK(r, "value", nums(4, 4));
    assert_true(pn_range_slider_value_start(r) == 4 && pn_range_slider_value_end(r) == 4);
    assert_int_equal(calls, 4);
    EV_ERR(r, "value", nums(NAN, 1), "bad-value");
    EV_ERR(r, "value", nums(1, INFINITY), "bad-value");
    EV_ERR(r, "value", ((struct pn_value){.type = PN_V_NUMS, .nums = (double[]){1}, .n = 1}),
           "bad-value");
    EV_ERR(r, "value", ((struct pn_value){.type = PN_V_NUMS, .nums = (double[]){1, 2, 3}, .n = 3}),
           "bad-value");
    EV_ERR(r, "value", PN_NUM(3), "bad-value");
    EV_ERR(r, "value", STRS("1", "2"), "bad-value");
    EV_ERR(r, "value_start", PN_NUM(3), "bad-prop");
    EV_ERR(r, "start", PN_NUM(3), "bad-prop");
    assert_int_equal(calls, 4);
    assert_true(pn_range_slider_value_start(r) == 4 && pn_range_slider_value_end(r) == 4);
    pn_range_slider_set_value(r, 7, 2);
    assert_true(pn_range_slider_value_start(r) == 2 && pn_range_slider_value_end(r) == 7);
    assert_int_equal(s->nmisuse, 0);
    int line = __LINE__ + 1;
    pn_range_slider_set_value(r, NAN, 2);
    assert_misuse(s, 0, line, "finite");
    line = __LINE__ + 1;
    pn_node *d = pn_range_slider(s, .value_start = 0.8, .value_end = 0.2, .disabled = true);
    assert_misuse(s, 1, line, "below value_start");
    assert_true(pn_range_slider_value_start(d) == 0.2 && pn_range_slider_value_end(d) == 0.8);
    EV_OK(d, "value", nums(0, 1)); /* disabled: taken, nothing changes */
    assert_true(pn_range_slider_value_start(d) == 0.2);
    pn_node *all = pn_range_slider(s, .start = -5, .end = 5);
    assert_true(pn_range_slider_value_start(all) == -5 && pn_range_slider_value_end(all) == 5);
}

static void test_date_picker_takes_real_dates_in_its_bounds(void **state)
{
    pn_session *s = *state;
    pn_node *d = pn_date_picker(s, .start = "2000-01-01", .end = "2030-12-31",
                                .on_change = count_call);
    assert_string_equal(pn_date_picker_value(d), "");
    calls = 0;
    EV_OK(d, "value", PN_STR("2024-02-29")); /* a leap day */
    assert_string_equal(pn_date_picker_value(d), "2024-02-29");
    EV_OK(d, "value", PN_STR("1999-05-01")); /* clamped */
    assert_string_equal(pn_date_picker_value(d), "2000-01-01");
    EV_OK(d, "value", PN_STR("2099-01-01"));
    assert_string_equal(pn_date_picker_value(d), "2030-12-31");
    EV_OK(d, "value", PN_STR("")); /* cleared */
    assert_string_equal(pn_date_picker_value(d), "");
    assert_int_equal(calls, 4);
    const char *bad[] = {"2023-02-29", "2000-13-01", "2000-00-10", "2000-04-31", "2000-1-01",
                         "20000-01-01", "0000-01-01", "2000-01-01x", "2000/01/01", "yesterday",
                         "2000-01-0a", " 2000-01-01"};
    for (size_t i = 0; i < PN_COUNT(bad); i++)
        if (event(d, "value", PN_STR(bad[i])) == NULL)
            fail_msg("accepted \"%s\"", bad[i]);
    EV_OK(d, "value", PN_STR("2000-02-29")); /* divisible by 400: a leap year */
    EV_ERR(d, "value", PN_STR("1900-02-29"), "bad-value");
    EV_ERR(d, "value", PN_NUM(20240101), "bad-value");
    EV_ERR(d, "start", PN_STR("2000-01-01"), "bad-prop");
    assert_string_equal(pn_date_picker_value(d), "2000-02-29");
    assert_int_equal(s->nmisuse, 0);
    int line = __LINE__ + 1;
    pn_node *e = pn_date_picker(s, .value = "2024-02-30", .start = "tomorrow");
    assert_misuse(s, 0, line, "DatePicker.start");
    assert_misuse(s, 1, line, "not a date");
    assert_string_equal(pn_date_picker_value(e), "");
    line = __LINE__ + 1;
    pn_date_picker_set_value(e, "2024-2-3");
    assert_misuse(s, 2, line, "not a date");
}

static void test_color_picker_takes_six_hex_digits(void **state)
{
    pn_session *s = *state;
    pn_node *c = pn_color_picker(s, .on_change = count_call);
    assert_string_equal(pn_color_picker_value(c), "#000000");
    calls = 0;
    EV_OK(c, "value", PN_STR("#1e88e5"));
    EV_OK(c, "value", PN_STR("#ABCDEF"));
    assert_string_equal(pn_color_picker_value(c), "#ABCDEF");
    assert_int_equal(calls, 2);
    const char *bad[] = {"", "#fff", "#12345g", "1e88e5", "#1e88e5ff", "red", "#1e88e", " #1e88e5",
                         "rgb(1,2,3)", "#\"><b>"};
    for (size_t i = 0; i < PN_COUNT(bad); i++)
        if (event(c, "value", PN_STR(bad[i])) == NULL)
            fail_msg("accepted \"%s\"", bad[i]);
    EV_ERR(c, "value", PN_BOOL(true), "bad-value");
    EV_ERR(c, "name", PN_STR("x"), "bad-prop");
    assert_string_equal(pn_color_picker_value(c), "#ABCDEF");
    assert_int_equal(calls, 2);
    int line = __LINE__ + 1;
    pn_node *d = pn_color_picker(s, .value = "blue");
    assert_misuse(s, 0, line, "ColorPicker.value");
    assert_string_equal(pn_color_picker_value(d), "#000000");
}

/* Every kind, built with no options, takes any event for any prop name: it is applied or
 * refused with one of protocol.md's codes, never a crash; the nodes still render and encode. */
static void test_every_kind_survives_any_event(void **state)
{
    pn_session *s = *state;
    static char big[200001];
    memset(big, 'a', sizeof big - 1);
    static const char *many[PN_MAX_LIST + 1];
    for (size_t i = 0; i < PN_COUNT(many); i++)
        many[i] = "x";
    static const char *two_a[] = {"a", "a"}, *one[] = {"value"};
    static const double pair[] = {1, 2}, rev[] = {2, 1}, nan1[] = {NAN, 1}, three[] = {1, 2, 3};
    const struct pn_value values[] = {
        {.type = PN_V_NONE}, PN_BOOL(true), PN_BOOL(false), PN_NUM(0), PN_NUM(-1), PN_NUM(2.5),
        PN_NUM(1e300), PN_NUM(-1e300), PN_NUM(NAN), PN_NUM(INFINITY), PN_NUM(9.1e15),
        PN_STR(""), PN_STR("value"), PN_STR("2024-02-29"), PN_STR("#123456"), PN_STR("\xff\xfe"),
        {.type = PN_V_STR, .str = big}, strs(0, NULL), strs(1, one), strs(2, two_a),
        strs(PN_COUNT(many), many),
        {.type = PN_V_NUMS, .nums = pair, .n = 1}, {.type = PN_V_NUMS, .nums = pair, .n = 2},
        {.type = PN_V_NUMS, .nums = rev, .n = 2}, {.type = PN_V_NUMS, .nums = nan1, .n = 2},
        {.type = PN_V_NUMS, .nums = three, .n = 3},
    };
    pn_node *nodes[64];
    assert_true(pn__kind_count <= PN_COUNT(nodes));
    for (size_t k = 0; k < pn__kind_count; k++) {
        pn_node *n = nodes[k] = pn__node_new(s, pn__kind_list[k], NULL, PN_HERE);
        assert_non_null(n);
        const struct pn_kind *d = n->desc;
        for (size_t i = 0; i < d->nprops + 4; i++) {
            static const char *const more[] = {"value", "clicks", "nope", ""};
            const char *prop = i < d->nprops ? d->props[i].name : more[i - d->nprops];
            for (size_t j = 0; j < PN_COUNT(values); j++) {
                struct pn_call call;
                const char *why = NULL;
                const char *code = pn__node_event(n, pn__str(prop), &values[j], &call, &why);
                if (code && strcmp(code, "bad-prop") && strcmp(code, "bad-value") &&
                    strcmp(code, "not-a-widget"))
                    fail_msg("%s.%s value #%zu: code %s", d->name, prop, j, code);
                if (code && !why)
                    fail_msg("%s.%s value #%zu: %s without why", d->name, prop, j, code);
            }
        }
    }
    for (size_t k = 0; k < pn__kind_count; k++) {
        struct pn_buf b;
        pn__buf_init(&b, 1u << 24);
        assert_int_equal(pn__render_node(&b, nodes[k]), 0);
        pn__buf_fini(&b);
    }
    json_t *ops = json_array();
    assert_int_equal(pn__doc_patch_ops(s, ops), 0);
    json_decref(ops);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    pn__log_level = PN_LOG_ERROR; /* misuse is logged at warn: keep the test output readable */
    const struct CMUnitTest tests[] = {
        T(test_session_new_copies_its_inputs),
        T(test_session_arg_decodes_and_falls_back_to_default),
        T(test_session_arg_result_lives_in_the_arena),
        T(test_fmt_formats_into_the_arena),
        T(test_builders_copy_strings_into_the_arena),
        T(test_builders_give_ids_in_creation_order),
        T(test_builders_record_where_the_app_called_them),
        T(test_items_become_children_in_order),
        T(test_row_and_column_short_and_full_forms_agree),
        T(test_append_adds_children_after_construction),
        T(test_servable_adds_to_the_root_in_order),
        T(test_append_null_child_is_recorded_with_file_and_line),
        T(test_servable_null_is_recorded),
        T(test_strings_entering_the_tree_are_made_valid_utf8),
        T(test_rows_nested_30000_deep_bottom_up_stop_at_max_depth),
        T(test_rows_nested_top_down_stop_at_max_depth),
        T(test_items_with_null_child_is_recorded_and_keeps_later_children),
        T(test_items_with_only_a_null_child_is_recorded),
        T(test_child_with_a_parent_cannot_be_added_again),
        T(test_node_cannot_contain_itself),
        T(test_root_cannot_be_a_child),
        T(test_node_from_another_session_is_refused),
        T(test_append_to_a_leaf_is_refused),
        T(test_append_with_null_parent_is_recorded_on_the_child),
        T(test_misuse_is_kept_in_order_and_counted),
        T(test_template_copies_and_validates_colours),
        T(test_number_invalid_sizes_and_colour_are_recorded_and_defaulted),
        T(test_number_colour_stops_are_copied_and_bad_ones_dropped),
        T(test_number_color_picks_first_stop_below_then_default),
        T(test_number_format_default_is_shortest_round_trip),
        T(test_number_format_fixed_decimals),
        T(test_number_format_keeps_surrounding_text),
        T(test_number_format_unknown_placeholders_are_text),
        T(test_number_format_non_finite_values),
        T(test_number_format_past_max_is_too_big),
        T(test_number_format_failure_leaves_out_untouched),
        T(test_css_color_accepts_hex_named_and_functions),
        T(test_css_color_rejects_anything_that_could_escape_a_style),
        T(test_css_length_accepts_number_with_unit_or_bare_zero),
        T(test_css_length_rejects_everything_else),
        T(test_kind_table_describes_every_option_field),
        T(test_kind_table_is_consistent),
        T(test_session_free_releases_a_large_tree),
        T(test_callbacks_that_format_do_not_grow_the_session),
        T(test_scratch_lives_until_the_outermost_callback_returns),
        T(test_misuse_in_a_callback_does_not_grow_the_session),
        T(test_destroy_hooks_run_for_a_page_only_session),
        T(test_destroy_hooks_run_once),
        T(test_alloc_is_zeroed_and_outlives_the_destroy_hooks),
        T(test_alloc_failure_is_misuse_at_the_callers_line),
        T(test_calls_from_another_thread_are_refused_with_the_callers_line),
        T(test_setter_misuse_names_the_setters_line),
        T(test_number_format_check),
        T(test_misspelt_format_is_misuse_at_build_and_set),
        T(test_number_input_events_are_typed_and_clamped),
        T(test_number_input_misuse_is_at_the_apps_line),
        T(test_text_area_input_events),
        T(test_radio_group_takes_only_its_options),
        T(test_list_widgets_take_only_their_options_once),
        T(test_range_slider_takes_an_ordered_clamped_pair),
        T(test_date_picker_takes_real_dates_in_its_bounds),
        T(test_color_picker_takes_six_hex_digits),
        T(test_every_kind_survives_any_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
