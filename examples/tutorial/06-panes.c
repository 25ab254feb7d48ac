/* Tutorial step 6: showing what the app computes. A gauge and a trend moved by a timer, text
 * as it is (pn_pre) that grows, JSON as a tree, raw HTML, and a picture swapped live.
 * Run it from the repository's root: the second picture is read from examples/tutorial/. */
#include <math.h>
#include <pane.h>
#include <string.h>

static const char dot_svg[] =
    "<svg xmlns='http://www.w3.org/2000/svg' width='64' height='64' viewBox='0 0 64 64'>"
    "<circle cx='32' cy='32' r='28' fill='#0072b5'/></svg>";

struct panes { pn_node *gauge, *trend, *log, *json, *html, *image; int n; };

static void sample(pn_session *s, void *arg)
{
    struct panes *p = arg;
    double v = 50 + 40 * sin(++p->n / 5.0);
    pn_gauge_set_value(p->gauge, v);
    pn_trend_push(p->trend, v);
    pn_trend_set_name(p->trend, pn_fmt(s, "Load (%zu samples)", pn_trend_len(p->trend)));
    if (p->n % 5 == 0 && strlen(pn_pre_text(p->log)) < 2000) /* the log grows by a line */
        pn_pre_set_text(p->log, pn_fmt(s, "%s%4d  %5.1f\n", pn_pre_text(p->log), p->n, v));
    pn_json_set_text(p->json, pn_fmt(s, "{\"sample\": %d, \"load\": %.1f, \"ok\": %s}", p->n, v,
                                     v < 80 ? "true" : "false"));
    pn_html_set_html(p->html, pn_fmt(s, "<meter min='0' max='100' value='%.0f'></meter>", v));
}

static void open_all(pn_session *s, pn_node *toggle, void *arg)
{
    struct panes *p = arg;
    pn_json_set_depth(p->json, pn_toggle_value(toggle) ? -1 : 1);
    pn_gauge_set_name(p->gauge, pn_toggle_value(toggle) ? "Load (all open)" : "Load");
    (void)s;
}

static void swap(pn_session *s, pn_node *button, void *arg)
{
    struct panes *p = arg;
    if (pn_button_clicks(button) % 2) {
        pn_image_set_path(p->image, "examples/tutorial/logo.svg"); /* from a file */
        pn_image_set_alt(p->image, "pane's logo");
        pn_image_set_caption(p->image, "Read from a file");
    } else {
        pn_image_set(p->image, dot_svg, strlen(dot_svg)); /* from bytes */
        pn_image_set_alt(p->image, "A blue dot");
        pn_image_set_caption(p->image, "Made from bytes");
    }
    (void)s;
}

void pn_app(pn_session *s)
{
    struct panes *p = pn_alloc(s, sizeof *p);
    static const double first[] = {50, 55, 61, 58};
    pn_template(s, .name = "material", .title = "Panes");
    p->gauge = pn_gauge(s, .name = "Load", .value = 50, .format = "{value:.0f}%",
                        .colors = PN_COLORS({60, "#2e7d32"}, {85, "#ed6c02"}, {1e9, "#c62828"}));
    p->trend = pn_trend(s, .name = "Load", .data = first, .n = 4, .rollover = 30,
                        .format = "{value:.1f}");
    p->log = pn_pre(s, .text = "step   load\n");
    p->json = pn_json(s, .json = "{}", .depth = 1);
    p->html = pn_html(s, .html = "<meter min='0' max='100' value='50'></meter>");
    p->image = pn_image(s, .data = dot_svg, .len = strlen(dot_svg), .alt = "A blue dot",
                        .caption = "Made from bytes");
    pn_servable(s, pn_row(s,
        pn_card(s, .title = "Indicators", .items = PN_ITEMS(pn_row(s, p->gauge, p->trend),
                                                           p->html)),
        pn_card(s, .title = "Text and JSON", .items = PN_ITEMS(p->log, p->json,
            pn_checkbox(s, .label = "Open every level", .on_change = open_all, .arg = p))),
        pn_card(s, .title = "Picture", .items = PN_ITEMS(p->image,
            pn_button(s, .label = "Swap", .on_click = swap, .arg = p)))));
    pn_every(s, 500, sample, p);
}
