/* Sizing, Grid and Tabs for tests/browser/sizing.test.mjs: two stretched Cards share a Row
 * equally whatever their content; a Grid of 3 columns with a plot spanning 2; Tabs whose
 * callback writes the tab picked into a Markdown; "Resize" gives the first Number a width live,
 * "Second tab" switches tabs from the app, and "Hide details" / "Show details" hide and show the
 * second panel (and so its tab), writing the tab shown as the app then reads it. */
#include <pane.h>

static pn_node *picked, *first_number, *tabs, *details, *acc, *added;

static void on_tab(pn_session *s, pn_node *t, void *arg)
{
    pn_markdown_set_text(picked, pn_fmt(s, "tab **%d**", pn_tabs_active(t)));
    (void)arg;
}

static void resize(pn_session *s, pn_node *b, void *arg)
{
    pn_size(first_number, .width = 333, .stretch_width = false);
    (void)s, (void)b, (void)arg;
}

static void second(pn_session *s, pn_node *b, void *arg)
{
    pn_tabs_set_active(tabs, 1);
    (void)s, (void)b, (void)arg;
}

static void show_details(pn_session *s, pn_node *b, void *show) /* show: NULL to hide */
{
    pn_set_visible(details, show != NULL);
    pn_markdown_set_text(
        picked, pn_fmt(s, "%s, tab **%d**", show ? "shown" : "hidden", pn_tabs_active(tabs)));
    (void)b;
}

static void city(pn_session *s, pn_node *sel, void *arg)
{
    pn_markdown_set_text(picked, pn_fmt(s, "city **%s**", pn_select_value(sel)));
    (void)arg;
}

static void add_tab(pn_session *s, pn_node *b, void *arg) /* live, a fourth tab */
{
    pn_append(tabs, pn_markdown(s, .text = "a tab added live"));
    (void)b, (void)arg;
}

static void add_side(pn_session *s, pn_node *b, void *arg) /* live, into the sidebar */
{
    pn_sidebar(s, pn_markdown(s, .text = "added to the sidebar"));
    (void)b, (void)arg;
}

static void add_item(pn_session *s, pn_node *b, void *arg) /* live, into the Accordion */
{
    if (!added)
        pn_insert(acc, 1, added = pn_markdown(s, .text = "an item added *live*"));
    (void)b, (void)arg;
}

static void remove_item(pn_session *s, pn_node *b, void *arg)
{
    if (added)
        pn_remove(added), added = NULL;
    (void)s, (void)b, (void)arg;
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Sizing");
    pn_node *short_card = pn_card(s, .title = "Short", .items = PN_ITEMS(pn_markdown(s,
        .text = "x")));
    pn_node *long_card = pn_card(s, .title = "Long", .items = PN_ITEMS(pn_markdown(s,
        .text = "a much longer text that would make this card wider than the other one")));
    pn_servable(s, pn_size(pn_row(s, pn_size(short_card, .stretch_width = true),
                                  pn_size(long_card, .stretch_width = true)),
                           .stretch_width = true));
    pn_node *plot = pn_plot(s, .title = "Wide", .height = 200);
    for (int i = 0; i < 20; i++)
        pn_plot_push(plot, i, i % 7);
    first_number = pn_number(s, .name = "one", .value = 1);
    pn_servable(s, pn_grid(s, .columns = 3, .items = PN_ITEMS(pn_size(plot, .col_span = 2),
        first_number, pn_number(s, .name = "two", .value = 2),
        pn_number(s, .name = "three", .value = 3), pn_number(s, .name = "four", .value = 4))));
    picked = pn_markdown(s, .text = "no tab picked");
    tabs = pn_tabs(s, .titles = PN_OPTIONS("Overview", "Details", "Log"), .on_change = on_tab,
                   .items = PN_ITEMS(pn_markdown(s, .text = "the overview"),
                                     details = pn_markdown(s, .text = "the details"),
                                     pn_markdown(s, .text = "the log")));
    pn_servable(s, tabs);
    pn_servable(
        s, pn_row(s, picked, pn_button(s, .label = "Resize", .on_click = resize),
                  pn_button(s, .label = "Second tab", .on_click = second),
                  pn_button(s, .label = "Add item", .on_click = add_item),
                  pn_button(s, .label = "Remove item", .on_click = remove_item),
                  pn_button(s, .label = "Add to sidebar", .on_click = add_side),
                  pn_button(s, .label = "Add a tab", .on_click = add_tab),
                  pn_button(s, .label = "Hide details", .on_click = show_details),
                  pn_button(s, .label = "Show details", .on_click = show_details, .arg = details)));
    pn_sidebar(s, pn_markdown(s, .text = "**Filters**"));
    pn_sidebar(s, pn_select(s, .name = "City", .options = PN_OPTIONS("Berlin", "Paris", "Rome"),
                            .on_change = city));
    added = NULL;
    acc = pn_accordion(s, .titles = PN_OPTIONS("Disks", "Network"),
                       .items = PN_ITEMS(pn_markdown(s, .text = "sda: 40 %"),
                                         pn_markdown(s, .text = "eth0: 2 MB/s")));
    pn_servable(s, acc);
}
