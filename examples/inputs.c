/* Inputs: a trip planner whose summary follows every field (number fields, a text area, radio
   buttons, checkboxes, a list box, a range slider, a date and a colour). */
#include <math.h>
#include <pane.h>
#include <stdlib.h>

struct trip {
    pn_node *summary, *day, *nights, *budget, *party, *likes, *cities, *hours, *color, *notes;
};

/* "a, b" of a list widget's value ("nothing" when empty). */
static const char *list(pn_session *s, size_t (*get)(const pn_node *, const char **, size_t),
                        const pn_node *n)
{
    const char *items[16];
    size_t k = get(n, items, 16);
    const char *out = k ? items[0] : "nothing";
    for (size_t i = 1; i < k && i < 16; i++)
        out = pn_fmt(s, "%s, %s", out, items[i]);
    return out;
}

static void update(pn_session *s, pn_node *changed, void *arg)
{
    (void)changed;
    struct trip *t = arg;
    pn_markdown_set_text(
        t->summary,
        pn_fmt(s,
               "**%ld nights** from %s for %s, about **%.0f €**.\n\n"
               "Seeing %s; liking %s; out from %.0f:00 to %.0f:00. Tag colour `%s`.\n\n%s",
               pn_int_input_value(t->nights), pn_date_picker_value(t->day),
               pn_radio_group_value(t->party), pn_float_input_value(t->budget),
               list(s, pn_multi_select_value, t->cities),
               list(s, pn_checkbox_group_value, t->likes), pn_range_slider_value_start(t->hours),
               pn_range_slider_value_end(t->hours), pn_color_picker_value(t->color),
               pn_text_area_input_value(t->notes)));
}

static void forget(pn_session *s, void *t)
{
    (void)s;
    free(t);
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Trip planner");
    struct trip *t = calloc(1, sizeof *t);
    if (!t)
        return;
    pn_on_session_destroyed(s, forget, t);
    t->summary = pn_markdown(s, .text = "");
    t->day = pn_date_picker(s, .name = "Leaving on", .value = "2026-12-20",
                            .start = "2026-12-01", .on_change = update, .arg = t);
    t->nights = pn_int_input(s, .name = "Nights", .value = 3, .start = 1, .end = 30,
                             .on_change = update, .arg = t);
    t->budget = pn_float_input(s, .name = "Budget (€)", .value = 800, .start = 0,
                               .end = INFINITY, .step = 50, .on_change = update, .arg = t);
    t->party = pn_radio_group(s, .name = "Travelling", .options = PN_OPTIONS("alone", "as two",
                              "as a family"), .horizontal = true, .on_change = update, .arg = t);
    t->likes = pn_checkbox_group(s, .name = "Likes", .options = PN_OPTIONS("museums", "food",
                                 "hiking", "beaches"), .value = PN_OPTIONS("food"),
                                 .horizontal = true, .on_change = update, .arg = t);
    t->cities = pn_multi_select(s, .name = "Cities", .options = PN_OPTIONS("Lisbon", "Porto",
                                "Seville", "Granada", "Valencia"), .value = PN_OPTIONS("Lisbon"),
                                .on_change = update, .arg = t);
    t->hours = pn_range_slider(s, .name = "Out", .start = 6, .end = 24, .step = 1,
                               .value_start = 9, .value_end = 22, .format = "{value}:00",
                               .on_change = update, .arg = t);
    t->color = pn_color_picker(s, .name = "Tag colour", .value = "#43a047", .on_change = update,
                               .arg = t);
    t->notes = pn_text_area_input(s, .name = "Notes", .rows = 3, .placeholder = "Anything else",
                                  .on_change = update, .arg = t);
    update(s, NULL, t);
    pn_servable(s, pn_row(s,
        pn_card(s, .title = "Trip", .items = PN_ITEMS(t->day, t->nights, t->budget, t->party,
                                                     t->hours, t->color)),
        pn_card(s, .title = "Wishes", .items = PN_ITEMS(t->likes, t->cities, t->notes)),
        pn_card(s, .title = "Summary", .items = PN_ITEMS(t->summary))));
}
