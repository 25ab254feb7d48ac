/* Widgets: a button that counts its clicks and a slider that drives a number. */
#include <pane.h>

static void add_one(pn_session *s, pn_node *button, void *count)
{
    (void)s;
    pn_number_set_value(count, (double)pn_button_clicks(button));
}

static void follow(pn_session *s, pn_node *slider, void *number)
{
    (void)s;
    pn_number_set_value(number, (double)pn_int_slider_value(slider));
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Widgets");
    pn_node *count = pn_number(s, .name = "Clicks", .value = 0);
    pn_node *level = pn_number(s, .name = "Level", .value = 50, .format = "{value}%");
    pn_servable(s, pn_row(s,
        pn_card(s, .title = "Counter", .items = PN_ITEMS(count,
                   pn_button(s, .label = "Add one", .button_type = "primary",
                             .on_click = add_one, .arg = count))),
        pn_card(s, .title = "Level", .items = PN_ITEMS(level,
                   pn_int_slider(s, .name = "Level", .value = 50, .start = 0, .end = 100,
                                 .on_change = follow, .arg = level)))));
}
