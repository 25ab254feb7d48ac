// pane.h from C++ (ctest cxx.pane_h): every macro of pane.h written as its C documentation shows
// it (designated initialisers in the order of the fields), built with -std=c++20 -Wall -Wextra
// -Werror -pedantic. The program then serves the page those macros build on a server of its own
// and fetches it once, so the temporaries behind the C++ macros are read while alive (the asan
// preset would see one that dangles), and checks that what the lists carried reached the page.
#include <pane.h>

#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <unistd.h>

static void on_event(pn_session *, pn_node *, void *) {}
static void on_timer(pn_session *, void *) {}
static void make_file(pn_session *, pn_node *, pn_download *d, void *)
{
    pn_download_write(d, "x", 1);
}
static void cell(void *, size_t row, int, pn_cell *c)
{
    c->text = "cxx-cell", c->num = static_cast<double>(row);
}

static pn_feed *load = pn_feed_series("cxx-load", 2, 100);
static pn_feed *temp = pn_feed_number("cxx-temp");
static pn_feed *status = pn_feed_text("cxx-status");

static void cxx_app(pn_session *s)
{
    const char *who = pn_session_arg(s, "who", "C++");
    pn_template(s, .name = "material", .title = pn_fmt(s, "Hello %s", who),
                .header_background = "#123456");
    pn_set_cookie(s, "lang", "cxx", "Path=/; SameSite=Lax");
    pn_node *n = pn_number(s, .name = "Answer", .value = 42, .format = "{value} units",
                           .colors = PN_COLORS({0, "blue"}, {100, "rgb(1, 2, 3)"}));
    pn_node *t = pn_number(s, .name = "Temperature", .format = "{value:.1f} C", .feed = temp);
    pn_node *p = pn_plot(s, .title = "Load", .type = PN_AREA,
                         .series = PN_SERIES({.label = "cxx-one"}, {"cxx-two", "#1e88e5"}),
                         .rollover = 50, .height = 200);
    int k = 3;
    pn_plot_push(p, 1, k, 2.5);
    const double x[] = {2, 3}, y[] = {1, 2, 3, 4};
    pn_plot_append(p, x, y, 2);
    pn_plot_set_data(p, x, y, 2);
    pn_node *const by_hand[] = {n, t, PN_ITEMS_END}; // a list without PN_ITEMS
    pn_node *card = pn_card(s, .items = by_hand, .title = "Numbers", .collapsed = false);
    pn_append(card, pn_html(s, .html = "<hr>"));
    pn_append(card, pn_divider(s, .color = "#ccc"));
    pn_append(card, pn_spacer(s, .width = 17, .height = 23));
    pn_node *bar = pn_progress(s, .name = "cxx-progress", .value = 40, .bar_color = "success");
    pn_node *spin = pn_loading_spinner(s, .name = "cxx-spinner", .value = true, .size = 24);
    pn_node *dot = pn_boolean_status(s, .name = "cxx-dot", .value = true, .color = "info");
    pn_servable(s, pn_row(s, bar, spin, dot));
    pn_progress_set_value(bar, 50), pn_progress_set_max(bar, 200), (void)pn_progress_value(bar);
    pn_progress_set_name(bar, "cxx-progress"), pn_progress_set_bar_color(bar, "success");
    pn_loading_spinner_set_value(spin, true), pn_loading_spinner_set_name(spin, "cxx-spinner");
    pn_boolean_status_set_value(dot, true), pn_boolean_status_set_color(dot, "info");
    pn_node *alert = pn_alert(s, .text = "cxx-*alert*", .alert_type = "warning");
    pn_node *pre = pn_pre(s, .text = "cxx-pre <1>");
    pn_servable(s, pn_column(s, alert, pre));
    pn_alert_set_text(alert, "cxx-*alert*"), pn_alert_set_type(alert, "warning");
    pn_pre_set_text(pre, pn_pre_text(pre));
    pn_node *tree = pn_json(s, .json = "{\"cxx-key\": [1, true]}", .depth = -1);
    pn_servable(s, tree);
    pn_json_set_text(tree, "{\"cxx-key\": [1, true]}"), pn_json_set_depth(tree, -1);
    static const char svg[] = "<svg width='8' height='4'/>";
    pn_node *picture = pn_image(s, .data = svg, .len = sizeof svg - 1, .alt = "cxx-picture",
                                .caption = "cxx-caption");
    pn_servable(s, picture);
    pn_image_set(picture, svg, sizeof svg - 1), pn_image_set_alt(picture, "cxx-picture");
    pn_image_set_caption(picture, "cxx-caption");
    const double rate[] = {1, 2, 4};
    pn_node *trend = pn_trend(s, .name = "cxx-trend", .data = rate, .n = 3, .rollover = 10);
    pn_node *gauge = pn_gauge(s, .name = "cxx-gauge", .value = 42, .min = 0, .max = 50,
                              .format = "{value} u",
                              .colors = PN_COLORS({40, "green"}, {60, "red"}));
    pn_servable(s, pn_row(s, trend, gauge));
    pn_trend_push(trend, 5), pn_trend_set_name(trend, "cxx-trend"), (void)pn_trend_len(trend);
    pn_gauge_set_value(gauge, 42), pn_gauge_set_name(gauge, "cxx-gauge");
    pn_servable(s, pn_row(s, card, p));
    pn_servable(s, pn_row_ex(s, .items = PN_ITEMS(pn_markdown(s, .text = "**cxx-bold**"),
                                                  pn_markdown(s, .feed = status))));
    pn_node *toggle = pn_toggle(s, .label = "On", .value = true, .on_change = on_event);
    pn_node *box = pn_checkbox(s, .label = "Box", .on_change = on_event, .arg = nullptr);
    pn_node *in = pn_text_input(s, .name = "Name", .placeholder = "you", .max_length = 20);
    pn_node *is = pn_int_slider(s, .name = "N", .value = 5, .start = 0, .end = 10, .step = 1);
    pn_node *fs = pn_float_slider(s, .name = "F", .start = 0, .end = 1, .format = "{value:.2f}");
    pn_node *sel = pn_select(s, .name = "City", .options = PN_OPTIONS("cxx-Berlin", "cxx-Paris"),
                             .value = "cxx-Paris", .on_change = on_event);
    pn_node *button = pn_button(s, .label = "Go", .button_type = "primary", .on_click = on_event);
    pn_servable(s, pn_column(s, toggle, box, in, is, fs, sel, button));
    pn_node *ii = pn_int_input(s, .name = "Copies", .value = 2, .start = 1, .end = 9);
    pn_node *fi = pn_float_input(s, .name = "Gain", .value = 0.5, .step = 0.25);
    pn_node *ta = pn_text_area_input(s, .name = "Notes", .value = "cxx-notes", .rows = 3);
    pn_node *rg = pn_radio_group(s, .name = "Unit", .options = PN_OPTIONS("cxx-C", "cxx-F"),
                                 .horizontal = true, .on_change = on_event);
    pn_node *cg = pn_checkbox_group(s, .name = "Days", .options = PN_OPTIONS("cxx-Mon", "cxx-Tue"),
                                    .value = PN_OPTIONS("cxx-Tue"), .horizontal = true);
    pn_node *ms = pn_multi_select(s, .name = "Cities", .options = PN_OPTIONS("cxx-A", "cxx-B"),
                                  .value = PN_OPTIONS("cxx-A", "cxx-B"), .size = 3);
    pn_servable(s, pn_column(s, ii, fi, ta, rg, cg, ms));
    const char *picked[2];
    pn_checkbox_group_set_value(cg, PN_OPTIONS("cxx-Mon"));
    size_t npicked = pn_multi_select_value(ms, picked, 2);
    (void)pn_checkbox_group_value(cg, picked, npicked);
    pn_multi_select_set_value(ms, PN_OPTIONS("cxx-B"));
    pn_node *rs = pn_range_slider(s, .name = "Hours", .value_start = 9, .value_end = 17,
                                  .start = 0, .end = 24, .step = 1, .format = "{value:.0f} h");
    pn_node *dp = pn_date_picker(s, .name = "Day", .value = "2026-12-02", .start = "2026-01-01");
    pn_node *cp = pn_color_picker(s, .name = "Colour", .value = "#1e88e5");
    pn_servable(s, pn_row(s, rs, dp, cp));
    pn_range_slider_set_value(rs, pn_range_slider_value_start(rs), pn_range_slider_value_end(rs));
    pn_date_picker_set_value(dp, pn_date_picker_value(dp));
    pn_color_picker_set_value(cp, pn_color_picker_value(cp));
    pn_int_input_set_value(ii, pn_int_input_value(ii) + 1);
    pn_float_input_set_value(fi, pn_float_input_value(fi) * 2);
    pn_text_area_input_set_value(ta, pn_text_area_input_value(ta));
    pn_radio_group_set_value(rg, pn_radio_group_value(rg));
    pn_servable(s, pn_column_ex(s, .items = PN_ITEMS(pn_html(s, .html = "<i>cxx-html</i>"))));
    pn_node *tab = pn_table(s, .columns = PN_COLUMNS({"cxx-col"}, {"N", PN_NUMBER, "{value}", 80}),
                            .rows = 2, .cell = cell, .page_size = 5, .sort = -2);
    pn_node *col = pn_column(s, pn_html(s, .html = "<hr>"));
    pn_node *grid = pn_grid(s, .items = PN_ITEMS(pn_size(pn_html(s, .html = "<b>g</b>"),
                                                         .width = 100, .col_span = 2)),
                            .columns = 3);
    pn_node *tabs = pn_tabs(s, .items = PN_ITEMS(grid), .titles = PN_OPTIONS("cxx-tab"),
                            .on_change = on_event);
    pn_tabs_set_active(tabs, pn_tabs_active(tabs));
    pn_servable(s, pn_file_download(s, .label = "cxx-dl", .make = make_file));
    pn_servable(s, pn_accordion(s, .items = PN_ITEMS(pn_html(s, .html = "<i>acc</i>")),
                                .titles = PN_OPTIONS("cxx-acc"), .active = -1));
    pn_servable(s, tabs);
    pn_insert(col, 0, tab), pn_table_set_rows(tab, 3, nullptr);
    pn_set_visible(tab, pn_visible(tab) && pn_table_selected(tab) == PN_NO_ROW);
    pn_servable(s, col);
    pn_servable_add(s, pn_html(s, .html = "<b>cxx-here</b>"), PN_HERE); // an _at function
    pn_number_set_value(n, 43), pn_number_set_name(n, "Answer"), pn_number_set_format(n, "{value}");
    pn_card_set_title(card, "cxx-card"), pn_card_set_collapsed(card, false);
    pn_button_set_label(button, "Go!"), pn_widget_set_disabled(button, false);
    pn_toggle_set_value(toggle, pn_toggle_value(toggle)), pn_checkbox_set_value(box, true);
    pn_text_input_set_value(in, pn_text_input_value(in));
    pn_int_slider_set_value(is, pn_int_slider_value(is) + 1);
    pn_float_slider_set_value(fs, pn_float_slider_value(fs) + 0.5);
    pn_select_set_value(sel, pn_select_value(sel)), (void)pn_checkbox_value(box);
    pn_title_set(s, pn_fmt(s, "cxx-title %ld %zu", pn_button_clicks(button), pn_plot_len(p)));
    pn_timer_cancel(pn_timeout(s, 1000, on_timer, nullptr));
    pn_every(s, 1000, on_timer, nullptr);
    pn_every_now(s, 1000, on_timer, static_cast<long *>(pn_alloc(s, sizeof(long))));
    pn_on_session_destroyed(s, on_timer, nullptr);
}

static std::string get(int port, const char *path) // HTTP/1.0: the body runs to the close
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET, a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string r, req = std::string("GET ") + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (fd >= 0 && connect(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 &&
        write(fd, req.data(), req.size()) == static_cast<ssize_t>(req.size())) {
        char buf[4096];
        for (ssize_t k; (k = read(fd, buf, sizeof buf)) > 0;) r.append(buf, static_cast<size_t>(k));
    }
    if (fd >= 0) close(fd);
    return r;
}

int main()
{
    pn_feed_push(load, 1, 2, 3);
    pn_feed_set(temp, 21.5), pn_feed_set_text(status, "cxx-*status*");
    if (pn_feed_get(temp) != 21.5) return std::puts("pn_feed_get"), 1;
    // the options in the call: PN_APPS's array lives until the end of the statement. g++ (-Wextra)
    // warns of the fields an initialiser in your own code leaves out; pane's macros are exempt
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
    pn_server *srv = pn_server_start({.apps = PN_APPS({.name = "cxx", .app = cxx_app}),
                                      .address = "127.0.0.1", .port = PN_ANY_PORT});
#pragma GCC diagnostic pop
    if (!srv) return std::puts("pn_server_start failed"), 1;
    const char *url = pn_server_url(srv), *colon = std::strrchr(url, ':');
    int port = colon ? static_cast<int>(std::strtol(colon + 1, nullptr, 10)) : 0;
    std::string page = get(port, "/cxx?who=cxx");
    pn_server_stop(srv);
    int bad = 0;
    for (const char *want : {" 200 ", "lang=cxx", "<title>Hello cxx<", "Answer", "rgb(1, 2, 3)",
                             "21.5 C", "cxx-one", "cxx-two", "<strong>cxx-bold</strong>",
                             "<em>status</em>", "cxx-Berlin", "cxx-Paris", "cxx-card", "Go!",
                             "<i>cxx-html</i>", "<b>cxx-here</b>",
                             "border-top-color:#ccc", "width:17px;height:23px",
                             "cxx-progress", "aria-valuenow=\"50\"", "cxx-spinner",
                             "cxx-dot: on", "cxx-<em>alert</em>", "pn-color-warning",
                             "cxx-pre &lt;1&gt;", "cxx-key", "cxx-trend", "+25.00%",
                             ".svg\" width=\"8\" height=\"4\" alt=\"cxx-picture\"", "cxx-caption",
                             "cxx-gauge", "42 u", "stroke:red"})
        if (page.find(want) == std::string::npos) std::printf("not on the page: %s\n", want), bad++;
    if (bad) std::printf("the page:\n%s\n", page.c_str());
    else std::printf("ok: pane.h from C++, every macro, and the page they built (%zu bytes)\n",
                     page.size());
    return bad != 0;
}
