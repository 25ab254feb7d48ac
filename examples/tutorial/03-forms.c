/* Tutorial step 3: a form. Every input widget, one callback that reads them all with their
 * getters, and a Reset button that puts them back with their setters (no on_change runs). */
#include <math.h>
#include <pane.h>

struct form {
    pn_node *name, *notes, *copies, *gain, *level, *mix, *hours, *unit, *days, *cities, *day;
    pn_node *color, *loud, *summary;
};

static const char *joined(pn_session *s, const char *const *items, size_t n)
{
    const char *out = n ? items[0] : "none";
    for (size_t i = 1; i < n; i++)
        out = pn_fmt(s, "%s, %s", out, items[i]);
    return out;
}

static void summarise(pn_session *s, pn_node *changed, void *arg)
{
    struct form *f = arg;
    const char *days[7], *cities[8];
    size_t nd = pn_checkbox_group_value(f->days, days, 7);
    size_t nc = pn_multi_select_value(f->cities, cities, 8);
    pn_markdown_set_text(f->summary, pn_fmt(s,
        "**%s** wants %ld copies at gain %.2f, level %.1f, mix %.0f %%, %s, from %.0f:00 to "
        "%.0f:00 on %s, in %s, from %s, colour `%s`%s.\n\n%s",
        pn_text_input_value(f->name), pn_int_input_value(f->copies), pn_float_input_value(f->gain),
        pn_float_slider_value(f->level), (double)pn_int_slider_value(f->mix),
        pn_radio_group_value(f->unit), pn_range_slider_value_start(f->hours),
        pn_range_slider_value_end(f->hours), joined(s, days, nd), joined(s, cities, nc),
        pn_date_picker_value(f->day), pn_color_picker_value(f->color),
        pn_toggle_value(f->loud) ? ", loudly" : "", pn_text_area_input_value(f->notes)));
    (void)changed;
}

static void reset(pn_session *s, pn_node *button, void *arg)
{
    struct form *f = arg;
    pn_text_input_set_value(f->name, "Ada");
    pn_text_area_input_set_value(f->notes, "");
    pn_int_input_set_value(f->copies, 1);
    pn_float_input_set_value(f->gain, 0.5);
    pn_float_slider_set_value(f->level, 0.3);
    pn_int_slider_set_value(f->mix, 50);
    pn_range_slider_set_value(f->hours, 9, 17);
    pn_radio_group_set_value(f->unit, "metric");
    pn_checkbox_group_set_value(f->days, PN_OPTIONS("Mon"));
    pn_multi_select_set_value(f->cities, PN_OPTIONS("Paris"));
    pn_date_picker_set_value(f->day, "2026-12-24");
    pn_color_picker_set_value(f->color, "#1e88e5");
    pn_toggle_set_value(f->loud, false);
    summarise(s, button, f); /* setters run no on_change: say it ourselves */
}

void pn_app(pn_session *s)
{
    struct form *f = pn_alloc(s, sizeof *f);
    pn_template(s, .name = "material", .title = "A form");
#define ON .on_change = summarise, .arg = f /* every widget below reports to summarise */
    f->name = pn_text_input(s, .name = "Name", .value = "Ada", .placeholder = "Your name", ON);
    f->notes = pn_text_area_input(s, .name = "Notes", .rows = 3, ON);
    f->copies = pn_int_input(s, .name = "Copies", .value = 1, .start = 1, .end = 99, ON);
    f->gain = pn_float_input(s, .name = "Gain", .value = 0.5, .start = 0, .end = INFINITY,
                             .step = 0.05, ON);
    f->level = pn_float_slider(s, .name = "Level", .value = 0.3, .format = "{value:.1f}", ON);
    f->mix = pn_int_slider(s, .name = "Mix", .value = 50, ON);
    f->hours = pn_range_slider(s, .name = "Hours", .start = 0, .end = 24, .step = 1,
                               .value_start = 9, .value_end = 17, ON);
    f->unit = pn_radio_group(s, .name = "Units", .options = PN_OPTIONS("metric", "imperial"),
                             .horizontal = true, ON);
    f->days = pn_checkbox_group(s, .name = "Days", .options = PN_OPTIONS("Mon", "Tue", "Wed"),
                                .value = PN_OPTIONS("Mon"), .horizontal = true, ON);
    f->cities = pn_multi_select(s, .name = "Cities", .value = PN_OPTIONS("Paris"),
                                .options = PN_OPTIONS("Berlin", "Paris", "Rome"), ON);
    f->day = pn_date_picker(s, .name = "From", .value = "2026-12-24", .start = "2026-01-01", ON);
    f->color = pn_color_picker(s, .name = "Colour", .value = "#1e88e5", ON);
    f->loud = pn_toggle(s, .label = "Loud", ON);
#undef ON
    f->summary = pn_markdown(s, .text = "");
    summarise(s, NULL, f); /* the first page shows the summary too */
    pn_servable(s, pn_row(s,
        pn_card(s, .title = "Form", .items = PN_ITEMS(f->name, f->notes, f->copies, f->gain,
            f->level, f->mix, f->hours)),
        pn_card(s, .title = "More", .items = PN_ITEMS(f->unit, f->days, f->cities, f->day,
            f->color, f->loud, pn_button(s, .label = "Reset", .on_click = reset, .arg = f))),
        pn_card(s, .title = "Summary", .items = PN_ITEMS(f->summary))));
}
