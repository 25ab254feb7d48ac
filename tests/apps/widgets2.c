/* The input widgets of the second set, each with a callback that writes what it received into
   the Markdown beside it ("int: 7"), for tests/browser/widgets2.test.mjs and its screenshot. */
#include <limits.h>
#include <pane.h>
#include <stdlib.h>
#include <string.h>

static void on_int(pn_session *s, pn_node *n, void *echo)
{
    pn_markdown_set_text(echo, pn_fmt(s, "int: %ld", pn_int_input_value(n)));
}

static void on_float(pn_session *s, pn_node *n, void *echo)
{
    pn_markdown_set_text(echo, pn_fmt(s, "float: %g", pn_float_input_value(n)));
}

/* Text with its line breaks shown as ⏎ (Markdown would join the lines). */
static void on_text(pn_session *s, pn_node *n, void *echo)
{
    const char *v = pn_text_area_input_value(n);
    size_t len = strlen(v), k = 0;
    char *out = malloc(len * 3 + 1);
    if (!out)
        return;
    for (size_t i = 0; i < len; i++) {
        if (v[i] == '\n')
            memcpy(out + k, "⏎", 3), k += 3;
        else
            out[k++] = v[i];
    }
    out[k] = '\0';
    pn_markdown_set_text(echo, pn_fmt(s, "text: %s", out));
    free(out);
}

static void on_radio(pn_session *s, pn_node *n, void *echo)
{
    pn_markdown_set_text(echo, pn_fmt(s, "radio: %s", pn_radio_group_value(n)));
}

/* A list as "a, b" ("none" when empty). */
static const char *joined(pn_session *s, const char *const *items, size_t n)
{
    const char *out = n ? items[0] : "none";
    for (size_t i = 1; i < n; i++)
        out = pn_fmt(s, "%s, %s", out, items[i]);
    return out;
}

static void on_days(pn_session *s, pn_node *n, void *echo)
{
    const char *days[7];
    size_t k = pn_checkbox_group_value(n, days, 7);
    pn_markdown_set_text(echo, pn_fmt(s, "days: %s", joined(s, days, k < 7 ? k : 7)));
}

static void on_cities(pn_session *s, pn_node *n, void *echo)
{
    const char *cities[8];
    size_t k = pn_multi_select_value(n, cities, 8);
    pn_markdown_set_text(echo, pn_fmt(s, "cities: %s", joined(s, cities, k < 8 ? k : 8)));
}

static void on_range(pn_session *s, pn_node *n, void *echo)
{
    pn_markdown_set_text(echo, pn_fmt(s, "range: %g to %g", pn_range_slider_value_start(n),
                                      pn_range_slider_value_end(n)));
}

static void on_date(pn_session *s, pn_node *n, void *echo)
{
    const char *d = pn_date_picker_value(n);
    pn_markdown_set_text(echo, pn_fmt(s, "date: %s", *d ? d : "none"));
}

static void on_color(pn_session *s, pn_node *n, void *echo)
{
    pn_markdown_set_text(echo, pn_fmt(s, "color: %s", pn_color_picker_value(n)));
}

/* A widget and its echo, side by side. */
static pn_node *pair(pn_session *s, pn_node *w, pn_node *echo)
{
    return pn_row(s, w, echo);
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Widgets 2");
    pn_node *e[9];
    for (int i = 0; i < 9; i++)
        e[i] = pn_markdown(s, .text = "–");
    pn_node *inputs = pn_card(
        s, .title = "Inputs",
        .items = PN_ITEMS(
            pair(s,
                 pn_int_input(s, .name = "Copies", .value = 2, .start = 1, .end = 99,
                              .on_change = on_int, .arg = e[0]),
                 e[0]),
            pair(s,
                 pn_float_input(s, .name = "Gain", .value = 0.5, .start = 0, .end = 10,
                                .step = 0.25, .on_change = on_float, .arg = e[1]),
                 e[1]),
            pair(s,
                 pn_text_area_input(s, .name = "Notes", .rows = 3,
                                    .placeholder = "Write, then leave the field",
                                    .on_change = on_text, .arg = e[2]),
                 e[2])));
    pn_node *choices = pn_card(
        s, .title = "Choices",
        .items = PN_ITEMS(pair(s,
                               pn_radio_group(s, .name = "Unit",
                                              .options = PN_OPTIONS("Celsius", "Fahrenheit",
                                                                    "Kelvin"),
                                              .horizontal = true, .on_change = on_radio,
                                              .arg = e[3]),
                               e[3]),
                          pn_radio_group(s, .name = "Disabled",
                                         .options = PN_OPTIONS("One", "Two"), .value = "Two",
                                         .disabled = true),
                          pair(s,
                               pn_checkbox_group(s, .name = "Days",
                                                 .options = PN_OPTIONS("Mon", "Tue", "Wed",
                                                                       "Thu", "Fri"),
                                                 .value = PN_OPTIONS("Mon"), .horizontal = true,
                                                 .on_change = on_days, .arg = e[4]),
                               e[4]),
                          pair(s,
                               pn_multi_select(s, .name = "Cities",
                                               .options = PN_OPTIONS("Berlin", "Lisbon", "Paris",
                                                                     "Rome", "Vienna"),
                                               .on_change = on_cities, .arg = e[5]),
                               e[5])));
    pn_node *ranges = pn_card(
        s, .title = "Ranges and pickers",
        .items = PN_ITEMS(pair(s,
                               pn_range_slider(s, .name = "Hours", .start = 0, .end = 24,
                                               .step = 0.5, .value_start = 9, .value_end = 17,
                                               .format = "{value:.1f} h", .on_change = on_range,
                                               .arg = e[6]),
                               e[6]),
                          pair(s,
                               pn_date_picker(s, .name = "Day", .value = "2026-12-02",
                                              .start = "2026-01-01", .end = "2027-12-31",
                                              .on_change = on_date, .arg = e[7]),
                               e[7]),
                          pair(s,
                               pn_color_picker(s, .name = "Line colour", .value = "#1e88e5",
                                               .on_change = on_color, .arg = e[8]),
                               e[8])));
    pn_servable(s, pn_row(s, inputs, choices, ranges));
}
