/* Tutorial step 5: layout. Rows, columns, cards, a grid, tabs, an accordion and a sidebar;
 * sizes with pn_size; the template and its theme from the URL (?template=fast&theme=dark). */
#include <pane.h>

struct page { pn_node *tabs, *said, *details; };

static pn_node *tile(pn_session *s, const char *name, double v) /* a card with one number */
{
    return pn_card(s, .hide_header = true, .items = PN_ITEMS(
        pn_number(s, .name = name, .value = v, .font_size = "32pt", .title_size = "12pt")));
}

static void tab_picked(pn_session *s, pn_node *tabs, void *arg) /* the visitor picked a tab */
{
    struct page *p = arg;
    pn_markdown_set_text(p->said, pn_fmt(s, "You are on tab %d.", pn_tabs_active(tabs) + 1));
}

static void go_to(pn_session *s, pn_node *select, void *arg) /* the app picks a tab */
{
    struct page *p = arg;
    const char *v = pn_select_value(select);
    pn_tabs_set_active(p->tabs, v[0] == 'O' ? 0 : v[0] == 'G' ? 1 : 2);
    tab_picked(s, p->tabs, p); /* pn_tabs_set_active runs no on_change */
}

static void retitle(pn_session *s, pn_node *input, void *arg)
{
    struct page *p = arg;
    pn_title_set(s, pn_text_input_value(input));  /* <title> and the header bar */
    pn_card_set_title(p->details, pn_fmt(s, "Details of %s", pn_text_input_value(input)));
}

static void fold(pn_session *s, pn_node *toggle, void *arg)
{
    struct page *p = arg;
    pn_card_set_collapsed(p->details, pn_toggle_value(toggle));
    (void)s;
}

void pn_app(pn_session *s)
{
    struct page *p = pn_alloc(s, sizeof *p);
    pn_template(s, .name = pn_session_arg(s, "template", "material"), .title = "Layout",
                .theme = pn_session_arg(s, "theme", "auto"), .header_background = "#37474f");

    /* the sidebar: a column left of the main area */
    pn_sidebar(s, pn_markdown(s, .text = "Try [fast](?template=fast), "
                                         "[bootstrap](?template=bootstrap&theme=dark) or "
                                         "[default](?template=default)."));
    pn_sidebar(s, pn_select(s, .name = "Go to tab", .on_change = go_to, .arg = p,
                            .options = PN_OPTIONS("Overview", "Grid", "Accordion")));
    pn_sidebar(s, pn_text_input(s, .name = "Title", .value = "Layout", .on_change = retitle,
                                .arg = p));
    pn_sidebar(s, pn_toggle(s, .label = "Fold details", .on_change = fold, .arg = p));

    /* three cards that share a row's width, and a button pushed to the right end: a row is
     * as wide as its content unless it is stretched too */
    pn_node *overview = pn_column(s,
        pn_size(pn_row(s, pn_size(tile(s, "CPU", 12), .stretch_width = true),
                          pn_size(tile(s, "Memory", 48), .stretch_width = true),
                          pn_size(tile(s, "Disk", 71), .stretch_width = true)),
                .stretch_width = true),
        pn_divider(s),
        pn_size(pn_row(s, pn_markdown(s, .text = "A spacer pushes the button right:"),
                       pn_spacer(s), pn_button(s, .label = "Right")), .stretch_width = true));
    /* a grid of 3 equal columns: the first cell covers two */
    pn_node *grid = pn_grid(s, .columns = 3, .items = PN_ITEMS(
        pn_size(tile(s, "Wide", 1), .col_span = 2), tile(s, "B", 2), tile(s, "C", 3),
        tile(s, "D", 4), tile(s, "E", 5)));
    pn_node *accordion = pn_accordion(s, .titles = PN_OPTIONS("Disks", "Network"),
        .items = PN_ITEMS(pn_markdown(s, .text = "sda: 71 %"), pn_markdown(s, .text = "eth0: up")));
    p->said = pn_markdown(s, .text = "You are on tab 1.");
    p->tabs = pn_tabs(s, .titles = PN_OPTIONS("Overview", "Grid", "Accordion"),
                      .items = PN_ITEMS(overview, grid, accordion), .on_change = tab_picked,
                      .arg = p);
    p->details = pn_card(s, .title = "Details of Layout", .items = PN_ITEMS(p->said,
        pn_spacer(s, .height = 24),
        pn_size(pn_markdown(s, .text = "At least 200 px wide, at most 400."), .min_width = 200,
                .max_width = 400)));
    pn_servable(s, pn_size(p->tabs, .stretch_width = true));
    pn_servable(s, p->details);
}
