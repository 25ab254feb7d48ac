/* A Table of 1,000,000 computed rows for tests/browser/table.test.mjs and bench/table-jump.mjs:
 * row i is "item-0000123" (zero-padded i), a value (i * 7919) % 1000 and a word from a list of
 * eight; rows are selectable and the selection is shown in a Markdown below; ?rows=N sets the
 * count. */
#include <pane.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const words[] = {"alpha", "bravo", "charlie", "delta",
                                    "echo",  "foxtrot", "golf", "hotel"};

static void cell(void *data, size_t row, int col, pn_cell *c)
{
    static char name[32];
    (void)data;
    snprintf(name, sizeof name, "item-%07zu", row);
    c->text = col == 0 ? name : words[row % 8];
    c->num = (double)((row * 7919) % 1000);
}

static void picked(pn_session *s, pn_node *table, void *md)
{
    size_t r = pn_table_selected(table);
    pn_markdown_set_text(md, pn_fmt(s, "Selected **item-%07zu**", r));
}

void pn_app(pn_session *s)
{
    size_t rows = (size_t)strtoull(pn_session_arg(s, "rows", "1000000"), NULL, 10);
    pn_template(s, .name = "material", .title = "Table");
    pn_node *md = pn_markdown(s, .text = "Nothing selected");
    pn_node *t = pn_table(s, .columns = PN_COLUMNS({"Name"}, {"Value", PN_NUMBER, "{value}", 120},
                                                   {"Word", .width = 140}),
                          .rows = rows, .cell = cell, .page_size = 20, .filter = true,
                          .on_select = picked, .arg = md);
    pn_servable(s, pn_card(s, .title = "A million rows", .items = PN_ITEMS(t, md)));
}
