/* Layouts that change live, for tests/browser/layout.test.mjs: "Add" appends a line to the log
 * (a Column), "Insert first" puts one at its top, "Add a card" appends a Card holding a Number
 * and a Plot with points, "Hide" hides (and shows again) the log; a TextInput must keep its
 * focus and what is typed in it through all of that. */
#include <pane.h>
#include <stdlib.h>

struct page { pn_node *log, *area, *hide, *card, *lines_made[64]; int lines, cards, first; };

static void add(pn_session *s, pn_node *b, void *p)
{
    struct page *pg = p;
    pn_node *line = pn_markdown(s, .text = pn_fmt(s, "line **%d**", ++pg->lines));
    pn_append(pg->log, line);
    if (pg->lines < 64)
        pg->lines_made[pg->lines] = line;
    (void)b;
}

static void first(pn_session *s, pn_node *b, void *p)
{
    struct page *pg = p;
    pn_insert(pg->log, 0, pn_markdown(s, .text = pn_fmt(s, "first **%d**", ++pg->lines)));
    (void)b;
}

static void card(pn_session *s, pn_node *b, void *p)
{
    struct page *pg = p;
    pn_node *plot = pn_plot(s, .title = "Inserted", .height = 160);
    for (int i = 0; i < 50; i++)
        pn_plot_push(plot, i, i * i);
    pg->cards++;
    pn_append(pg->area, pg->card = pn_card(s, .title = pn_fmt(s, "Card %d", pg->cards),
                                .items = PN_ITEMS(pn_number(s, .name = "n", .value = pg->cards),
                                                  plot)));
    (void)b;
}

static void remove_line(pn_session *s, pn_node *b, void *p) /* the oldest "line N" left */
{
    struct page *pg = p;
    while (pg->first < 63 && !pg->lines_made[++pg->first])
        ;
    if (pg->first < 64 && pg->lines_made[pg->first])
        pn_remove(pg->lines_made[pg->first]), pg->lines_made[pg->first] = NULL;
    (void)s, (void)b;
}

static void replace(pn_session *s, pn_node *b, void *p)
{
    struct page *pg = p;
    if (pg->card)
        pn_replace(pg->card, pn_markdown(s, .text = "the card was *replaced*"));
    pg->card = NULL;
    (void)b;
}

static void hide(pn_session *s, pn_node *b, void *p)
{
    struct page *pg = p;
    pn_set_visible(pg->log, !pn_visible(pg->log));
    pn_button_set_label(b, pn_visible(pg->log) ? "Hide" : "Show");
    (void)s;
}

static void drop(pn_session *s, void *p)
{
    (void)s, free(p);
}

void pn_app(pn_session *s)
{
    struct page *pg = calloc(1, sizeof *pg);
    pn_on_session_destroyed(s, drop, pg);
    pn_template(s, .title = "Layout");
    pg->log = pn_column(s, pn_markdown(s, .text = "the log"));
    pg->area = pn_row(s, pn_text_input(s, .name = "Note"));
    pn_servable(s, pn_row(s, pn_button(s, .label = "Add", .on_click = add, .arg = pg),
                          pn_button(s, .label = "Insert first", .on_click = first, .arg = pg),
                          pn_button(s, .label = "Add a card", .on_click = card, .arg = pg),
                          pn_button(s, .label = "Hide", .on_click = hide, .arg = pg),
                          pn_button(s, .label = "Remove a line", .on_click = remove_line,
                                    .arg = pg),
                          pn_button(s, .label = "Replace the card", .on_click = replace,
                                    .arg = pg)));
    pn_servable(s, pg->log);
    pn_servable(s, pg->area);
}
