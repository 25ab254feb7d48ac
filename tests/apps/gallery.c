/* Every widget once, for the browser tests' screenshots and the client's prop patches
   (tests/browser/widgets.test.mjs). The "Set all" button changes each widget from the app. */
#include <pane.h>

static pn_node *w[12];

static void set_all(pn_session *s, pn_node *button, void *arg)
{
    (void)button, (void)arg;
    pn_toggle_set_value(w[0], true);
    pn_checkbox_set_value(w[1], true);
    pn_text_input_set_value(w[2], "from the app");
    pn_int_slider_set_value(w[3], 7);
    pn_float_slider_set_value(w[4], 0.25);
    pn_select_set_value(w[5], "Paris");
    pn_button_set_label(w[6], "Renamed");
    pn_widget_set_disabled(w[7], true);
    pn_card_set_title(w[8], "Changed title");
    pn_number_set_value(w[9], 99);
    pn_title_set(s, "Gallery (set)");
}

static void echo(pn_session *s, pn_node *n, void *arg)
{
    (void)n, (void)arg;
    pn_number_set_value(w[9], pn_float_slider_value(w[4]) * 100);
    pn_text_input_set_value(w[10], pn_select_value(w[5]));
    (void)s;
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Gallery");
    pn_node *buttons = pn_row(s,
        pn_button(s, .label = "Default"),
        pn_button(s, .label = "Primary", .button_type = "primary"),
        pn_button(s, .label = "Success", .button_type = "success"),
        pn_button(s, .label = "Warning", .button_type = "warning"),
        pn_button(s, .label = "Danger", .button_type = "danger"),
        pn_button(s, .label = "Light", .button_type = "light"),
        pn_button(s, .label = "Disabled", .button_type = "primary", .disabled = true));
    w[0] = pn_toggle(s, .label = "Toggle", .button_type = "primary");
    w[1] = pn_checkbox(s, .label = "Checkbox");
    w[2] = pn_text_input(s, .name = "Text input", .placeholder = "Type and press Enter");
    w[3] = pn_int_slider(s, .name = "Int slider", .start = 0, .end = 10, .value = 3);
    w[4] = pn_float_slider(s, .name = "Float slider", .start = 0, .end = 1, .step = 0.01,
                           .value = 0.5, .format = "{value:.2f}", .on_change = echo);
    w[5] = pn_select(s, .name = "Select", .options = PN_OPTIONS("Berlin", "Paris", "Tokyo"),
                     .on_change = echo);
    w[6] = pn_button(s, .label = "Set all", .button_type = "success", .on_click = set_all);
    w[7] = pn_toggle(s, .label = "Pressed", .value = true);
    w[9] = pn_number(s, .name = "Echo", .value = 50);
    w[10] = pn_text_input(s, .name = "Selected");
    w[8] = pn_card(s, .title = "Inputs", .items = PN_ITEMS(w[0], w[7], w[1], w[2], w[3], w[4],
                                                         w[5], w[6]));
    pn_servable(s, pn_card(s, .title = "Buttons", .items = PN_ITEMS(buttons)));
    pn_servable(s, pn_row(s, w[8], pn_card(s, .title = "Output", .items = PN_ITEMS(w[9], w[10]))));
}
