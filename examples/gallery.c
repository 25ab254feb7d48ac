/* Every pane component on one page: indicators, data, panes (pictures too), widgets and layouts,
 * each in a card of its kind; a widget's value shows under the widgets, and "Tick" moves the
 * indicators. */
#include <math.h>
#include <pane.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

static atomic_int changes; /* all sessions' (a callback runs on its session's loop) */

static void echo(pn_session *s, pn_node *w, void *said)
{
    (void)w;
    pn_markdown_set_text(said, pn_fmt(s, "%d widget changes so far.", ++changes));
}

static void cell(void *data, size_t row, int col, pn_cell *c)
{
    static const char *const city[] = {"Berlin", "Lisbon", "Oslo", "Rome", "Tokyo", "Lima"};
    (void)data;
    c->text = city[row % 6], c->num = col == 1 ? 10 + (double)(row * 7 % 23) : (double)row;
}

struct tick { pn_node *progress, *gauge, *trend, *plot; int n; };

static void tick(pn_session *s, pn_node *b, void *t_)
{
    struct tick *t = t_;
    t->n++;
    pn_progress_set_value(t->progress, (t->n * 17) % 100);
    pn_gauge_set_value(t->gauge, 30 + (t->n * 23) % 60);
    pn_trend_push(t->trend, 15 + 5 * sin(t->n));
    pn_plot_push(t->plot, 60 + t->n, sin((60 + t->n) / 6.0), cos((60 + t->n) / 6.0));
    (void)s, (void)b;
}

static void csv(pn_session *s, pn_node *n, pn_download *d, void *arg) /* the table as CSV */
{
    pn_download_write(d, "row,value,city\n", 15);
    for (size_t r = 0; r < 1000; r++) {
        pn_cell v, c;
        cell(NULL, r, 1, &v), cell(NULL, r, 2, &c);
        const char *line = pn_fmt(s, "%zu,%.0f,%s\n", r, v.num, c.text);
        pn_download_write(d, line, strlen(line));
    }
    (void)n, (void)arg;
}

/* Pictures (pn_image) from bytes: an SVG written as text and a 32×32 PNG (129 bytes). Each is
 * served once by its hash, however many sessions show it. */
static const char chart_svg[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='160' height='64' viewBox='0 0 160 64'>"
    "<rect width='160' height='64' rx='6' fill='#e3f0f9'/>"
    "<polyline points='8,52 32,40 56,44 80,24 104,30 128,14 152,20' fill='none' "
    "stroke='#0072b5' stroke-width='3' stroke-linejoin='round'/></svg>";
static const unsigned char bars_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20, 0x08, 0x06, 0x00, 0x00, 0x00, 0x73, 0x7a, 0x7a,
    0xf4, 0x00, 0x00, 0x00, 0x48, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x18, 0x05, 0x74,
    0x02, 0x6f, 0x73, 0x98, 0xfe, 0x23, 0xe3, 0x51, 0x07, 0x0c, 0x23, 0x07, 0x14, 0x6d, 0xfd, 0x8f,
    0x82, 0x47, 0x1d, 0x30, 0xea, 0x00, 0x1c, 0x62, 0x43, 0xd0, 0x01, 0x44, 0x06, 0xed, 0xa8, 0x03,
    0x46, 0x98, 0x03, 0x28, 0x10, 0x1b, 0x75, 0xc0, 0x20, 0x77, 0x00, 0x95, 0x2d, 0x1b, 0x75, 0xc0,
    0xa8, 0x03, 0x46, 0x1d, 0x30, 0xea, 0x80, 0x21, 0xe8, 0x80, 0x91, 0x0c, 0x00, 0x29, 0x0d, 0xea,
    0x9e, 0xb6, 0x8a, 0x56, 0x75, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60,
    0x82};

static void drop(pn_session *s, void *t)
{
    (void)s, free(t);
}

void pn_app(pn_session *s)
{
    struct tick *t = calloc(1, sizeof *t);
    if (!t)
        return;
    pn_on_session_destroyed(s, drop, t);
    /* ?template=default|material|bootstrap|fast; the header's switch picks light or dark */
    pn_template(s, .name = pn_session_arg(s, "template", "material"), .title = "pane gallery");
    pn_sidebar(s, pn_markdown(s, .text = "Every component pane has, on one page.\n\n"
        "**Templates:** [default](?template=default), [material](?template=material), "
        "[bootstrap](?template=bootstrap), [fast](?template=fast).\n\n"
        "**Themes:** the switch in the header, or [light](?theme=light) and [dark](?theme=dark) "
        "for one visit."));
    static const double rate[] = {12, 14, 13, 15, 14, 16, 15, 18, 17, 19};
    t->progress = pn_progress(s, .name = "Progress", .value = 40);
    t->gauge = pn_gauge(s, .name = "CPU", .value = 42, .format = "{value}%",
                        .colors = PN_COLORS({60, "#2e7d32"}, {85, "#ed6c02"}, {1e9, "#c62828"}));
    t->trend = pn_trend(s, .name = "Requests", .data = rate, .n = 10, .format = "{value:.1f}/s");
    pn_node *indicators = pn_card(s, .title = "Indicators", .items = PN_ITEMS(
        pn_row(s, pn_number(s, .name = "Temperature", .value = 21.5, .format = "{value:.1f} °C",
                            .colors = PN_COLORS({10, "#1e88e5"}, {25, "#43a047"}, {1e9, "#e53935"})),
               t->gauge, t->trend),
        t->progress, pn_progress(s, .name = "Working", .value = -1, .bar_color = "info"),
        pn_row(s, pn_loading_spinner(s, .name = "Loading", .value = true),
               pn_boolean_status(s, .name = "Online", .value = true, .color = "success"),
               pn_boolean_status(s, .name = "Degraded", .color = "warning")),
        pn_button(s, .label = "Tick", .button_type = "primary", .on_click = tick, .arg = t)));

    t->plot = pn_plot(s, .title = "Two signals", .height = 240, .series = PN_SERIES({"sin"}, {"cos"}));
    for (int i = 0; i < 60; i++)
        pn_plot_push(t->plot, i, sin(i / 6.0), cos(i / 6.0));
    pn_node *data = pn_card(s, .title = "Data", .items = PN_ITEMS(t->plot,
        pn_table(s, .columns = PN_COLUMNS({"#", PN_NUMBER, .width = 60}, {"Value", PN_NUMBER,
                 "{value:.0f} units", 120}, {"City"}), .rows = 1000, .cell = cell, .page_size = 6,
                 .filter = true, .sort = -2),
        pn_file_download(s, .label = "Export CSV", .filename = "cities.csv", .mime = "text/csv",
                         .make = csv)));
    pn_servable(s, pn_grid(s, .columns = 2, .items = PN_ITEMS(indicators, data)));

    pn_node *said = pn_markdown(s, .text = "Change a widget.");
    pn_node *widgets = pn_card(s, .title = "Widgets", .items = PN_ITEMS(pn_grid(s, .columns = 3,
        .items = PN_ITEMS(
            pn_text_input(s, .name = "Text", .placeholder = "type", .on_change = echo, .arg = said),
            pn_int_input(s, .name = "Integer", .value = 3, .start = 0, .end = 10,
                         .on_change = echo, .arg = said),
            pn_float_input(s, .name = "Float", .value = 2.5, .on_change = echo, .arg = said),
            pn_int_slider(s, .name = "Slider", .value = 4, .start = 0, .end = 10,
                          .on_change = echo, .arg = said),
            pn_float_slider(s, .name = "Float slider", .value = 0.5, .start = 0, .end = 1,
                            .step = 0.1, .on_change = echo, .arg = said),
            pn_range_slider(s, .name = "Range", .start = 0, .end = 100, .value_start = 20,
                            .value_end = 60, .on_change = echo, .arg = said),
            pn_select(s, .name = "Select", .options = PN_OPTIONS("one", "two", "three"),
                      .on_change = echo, .arg = said),
            pn_multi_select(s, .name = "Multi-select", .options = PN_OPTIONS("red", "green",
                            "blue"), .on_change = echo, .arg = said),
            pn_radio_group(s, .name = "Radio", .options = PN_OPTIONS("small", "large"),
                           .on_change = echo, .arg = said),
            pn_checkbox_group(s, .name = "Checkboxes", .options = PN_OPTIONS("a", "b", "c"),
                              .on_change = echo, .arg = said),
            pn_date_picker(s, .name = "Date", .value = "2026-12-24", .on_change = echo, .arg = said),
            pn_color_picker(s, .name = "Colour", .value = "#1e88e5", .on_change = echo, .arg = said),
            pn_text_area_input(s, .name = "Notes", .rows = 2, .on_change = echo, .arg = said),
            pn_column(s, pn_toggle(s, .label = "Toggle", .on_change = echo, .arg = said),
                      pn_checkbox(s, .label = "Checkbox", .on_change = echo, .arg = said),
                      pn_button(s, .label = "Button", .on_click = echo, .arg = said)))),
        said));

    pn_node *panes = pn_card(s, .title = "Panes", .items = PN_ITEMS(
        pn_tabs(s, .titles = PN_OPTIONS("Markdown", "Alerts", "Text", "JSON"), .items = PN_ITEMS(
            pn_markdown(s, .text = "## Markdown\nRendered on the server: **bold**, `code`, "
                                  "[links](https://panel.holoviz.org) and\n\n| a | b |\n|---|---|\n"
                                  "| 1 | 2 |"),
            pn_column(s, pn_alert(s, .text = "All **good**.", .alert_type = "success"),
                      pn_alert(s, .text = "Disk almost *full*.", .alert_type = "warning")),
            pn_column(s, pn_pre(s, .text = "$ pane serve app.c\npane: serving http://…"),
                      pn_html(s, .html = "<em>raw HTML</em>, from the app")),
            pn_json(s, .json = "{\"city\": \"Berlin\", \"sensors\": [1, 2], \"ok\": true}",
                    .depth = 2))),
        pn_divider(s),
        pn_accordion(s, .titles = PN_OPTIONS("An accordion", "Another item"), .items = PN_ITEMS(
            pn_markdown(s, .text = "Items open and close."), pn_spacer(s, .height = 20))),
        pn_row(s, pn_image(s, .data = chart_svg, .len = strlen(chart_svg), .alt = "A line chart",
                           .caption = "An SVG from bytes"),
               pn_image(s, .data = bars_png, .len = sizeof bars_png, .alt = "A bar chart",
                        .caption = "A PNG"))));
    pn_servable(s, pn_grid(s, .columns = 2, .items = PN_ITEMS(widgets, panes)));
}
