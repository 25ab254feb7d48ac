/* Tutorial step 9: the page changes shape. A to-do list whose items are appended, inserted,
 * replaced and removed from callbacks, a log that keeps its last five lines, and a card shown
 * and hidden. Nothing else on the page is re-rendered: what the visitor typed stays. */
#include <pane.h>

#define ITEMS 32
#define LINES 5

struct todo;
struct item { struct todo *t; pn_node *row, *text; bool used; };
struct todo {
    struct item item[ITEMS];
    pn_node *list, *card, *input, *log, *line[LINES];
    long lines;
};

static void note(pn_session *s, struct todo *t, const char *what)
{
    pn_node *line = pn_markdown(s, .text = pn_fmt(s, "%ld. %s", t->lines + 1, what));
    if (t->lines >= LINES)
        pn_remove(t->line[t->lines % LINES]); /* the oldest line goes: the log stays short */
    pn_append(t->log, line);
    t->line[t->lines++ % LINES] = line;
}

static void done(pn_session *s, pn_node *button, void *arg)
{
    struct item *it = arg;
    pn_node *struck = pn_markdown(s, .text = pn_fmt(s, "~~%s~~", pn_text_input_value(it->text)));
    pn_replace(it->text, struck); /* struck takes the field's place; the field is freed */
    it->text = struck;
    pn_widget_set_disabled(button, true);
    note(s, it->t, "done");
}

static void drop(pn_session *s, pn_node *button, void *arg)
{
    struct item *it = arg;
    pn_remove(it->row); /* frees the row, its text and this very button: use none of them */
    it->used = false;
    note(s, it->t, "removed an item");
    (void)button;
}

static void add(pn_session *s, struct todo *t, bool on_top)
{
    struct item *it = NULL;
    for (int i = 0; i < ITEMS && !it; i++)
        if (!t->item[i].used)
            it = &t->item[i];
    if (!it) {
        note(s, t, "the list is full");
        return;
    }
    *it = (struct item){.t = t, .used = true};
    it->text = pn_text_input(s, .value = pn_text_input_value(t->input));
    it->row = pn_row(s, it->text, pn_button(s, .label = "Done", .on_click = done, .arg = it),
                     pn_button(s, .label = "Remove", .button_type = "danger", .on_click = drop,
                               .arg = it));
    if (on_top)
        pn_insert(t->list, 0, it->row);
    else
        pn_append(t->list, it->row);
    note(s, t, pn_fmt(s, "added \"%s\"", pn_text_input_value(t->input)));
    pn_text_input_set_value(t->input, "");
}

static void add_last(pn_session *s, pn_node *b, void *t) { add(s, t, false), (void)b; }
static void add_first(pn_session *s, pn_node *b, void *t) { add(s, t, true), (void)b; }

static void show(pn_session *s, pn_node *toggle, void *arg)
{
    struct todo *t = arg;
    pn_set_visible(t->card, pn_toggle_value(toggle)); /* hidden: keeps its place and state */
    note(s, t, pn_visible(t->card) ? "list shown" : "list hidden");
}

void pn_app(pn_session *s)
{
    struct todo *t = pn_alloc(s, sizeof *t);
    pn_template(s, .name = "material", .title = "To do");
    t->input = pn_text_input(s, .placeholder = "Something to do");
    t->list = pn_column_ex(s, .items = NULL); /* empty: items arrive later */
    t->log = pn_column_ex(s, .items = NULL);
    t->card = pn_card(s, .title = "List", .items = PN_ITEMS(t->list));
    pn_servable(s, pn_card(s, .title = "New", .items = PN_ITEMS(t->input,
        pn_row(s, pn_button(s, .label = "Add", .button_type = "primary", .on_click = add_last,
                            .arg = t),
               pn_button(s, .label = "On top", .on_click = add_first, .arg = t),
               pn_toggle(s, .label = "Show the list", .value = true, .on_change = show,
                         .arg = t)))));
    pn_servable(s, pn_row(s, pn_size(t->card, .stretch_width = true),
                          pn_size(pn_card(s, .title = "Log", .items = PN_ITEMS(t->log)),
                                  .width = 300)));
}
