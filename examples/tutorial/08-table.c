/* Tutorial step 8: a table over the app's own data. pane reads it cell by cell and sends only
 * the rows the visitor sees; sorting and the filter run on the server. A row picked shows its
 * details, a button changes the data, and the data can be downloaded as CSV. */
#include <pane.h>
#include <stdio.h>
#include <string.h>

struct city { char name[16]; double people, area; };
struct book { struct city c[64]; size_t n; pn_node *table, *details; };

static const struct city start[] = {
    {"Berlin", 3.7, 891}, {"Paris", 2.1, 105}, {"Rome", 2.8, 1285}, {"Lisbon", 0.5, 100},
    {"Oslo", 0.7, 454},   {"Madrid", 3.3, 604}, {"Vienna", 2.0, 415}, {"Prague", 1.3, 496},
};

static void cell(void *data, size_t row, int col, pn_cell *c) /* must not call pane */
{
    const struct city *city = &((struct book *)data)->c[row];
    if (col == 0)
        c->text = city->name;
    else
        c->num = col == 1 ? city->people : col == 2 ? city->area : city->people * 1e6 / city->area;
}

static void picked(pn_session *s, pn_node *table, void *arg)
{
    struct book *b = arg;
    size_t row = pn_table_selected(table);
    if (row == PN_NO_ROW)
        return;
    pn_markdown_set_text(b->details, pn_fmt(s, "**%s**: %.1f million people on %.0f km².",
                                            b->c[row].name, b->c[row].people, b->c[row].area));
}

static void grow(pn_session *s, pn_node *button, void *arg) /* the data changes: tell the table */
{
    struct book *b = arg;
    for (size_t i = 0; i < b->n; i++)
        b->c[i].people *= 1.1;
    if (b->n < 64) {
        snprintf(b->c[b->n].name, sizeof b->c[b->n].name, "New town %ld", pn_button_clicks(button));
        b->c[b->n].people = 0.1, b->c[b->n++].area = 50;
    }
    pn_table_set_rows(b->table, b->n, NULL); /* sort, filter and selection stay */
    picked(s, b->table, b);
}

static void csv(pn_session *s, pn_node *n, pn_download *d, void *arg) /* made on each click */
{
    struct book *b = arg;
    pn_download_write(d, "city,people,area\n", 17);
    for (size_t i = 0; i < b->n; i++) {
        const char *line = pn_fmt(s, "%s,%.2f,%.0f\n", b->c[i].name, b->c[i].people, b->c[i].area);
        pn_download_write(d, line, strlen(line));
    }
    (void)n;
}

void pn_app(pn_session *s)
{
    struct book *b = pn_alloc(s, sizeof *b); /* each visitor has a book of their own */
    memcpy(b->c, start, sizeof start), b->n = sizeof start / sizeof start[0];
    pn_template(s, .name = "material", .title = "Cities");
    b->details = pn_markdown(s, .text = "Pick a city.");
    b->table = pn_table(s, .columns = PN_COLUMNS({"City"},
                                                 {"People", PN_NUMBER, "{value:.1f} M"},
                                                 {"Area", PN_NUMBER, "{value:.0f} km²"},
                                                 {"Density", PN_NUMBER, "{value:.0f}/km²"}),
                        .rows = b->n, .cell = cell, .data = b, .page_size = 6, .sort = -2,
                        .filter = true, .key_column = 1, .on_select = picked, .arg = b);
    pn_servable(s, pn_card(s, .title = "European cities", .items = PN_ITEMS(b->table, b->details,
        pn_row(s, pn_button(s, .label = "Grow", .on_click = grow, .arg = b),
               pn_file_download(s, .label = "Export CSV", .filename = "cities.csv",
                                .mime = "text/csv", .make = csv, .arg = b)))));
}
