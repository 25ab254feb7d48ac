/* Tutorial step 2: widgets call back. A callback runs on the session's thread, one at a time,
 * and what it changes with setters reaches the browser as a patch. */
#include <pane.h>

struct counter { pn_node *count, *step, *unit, *button, *lock, *clicks; long total; };

static void add(pn_session *s, pn_node *button, void *arg)
{
    struct counter *c = arg;
    c->total += pn_int_slider_value(c->step);
    pn_number_set_value(c->count, (double)c->total);
    pn_markdown_set_text(c->clicks, pn_fmt(s, "%ld clicks", pn_button_clicks(button)));
}

static void step_changed(pn_session *s, pn_node *slider, void *arg)
{
    struct counter *c = arg;
    pn_button_set_label(c->button, pn_fmt(s, "Add %ld", pn_int_slider_value(slider)));
}

static void unit_changed(pn_session *s, pn_node *select, void *arg)
{
    struct counter *c = arg;
    pn_number_set_format(c->count, pn_fmt(s, "{value} %s", pn_select_value(select)));
    pn_number_set_name(c->count, pn_fmt(s, "Total in %s", pn_select_value(select)));
}

static void lock_changed(pn_session *s, pn_node *lock, void *arg)
{
    struct counter *c = arg;
    bool locked = pn_checkbox_value(lock); /* a Checkbox reads as a Toggle */
    pn_widget_set_disabled(c->button, locked);
    pn_widget_set_disabled(c->step, locked);
    (void)s;
}

static void reset(pn_session *s, pn_node *button, void *arg)
{
    struct counter *c = arg;
    pn_int_slider_set_value(c->step, 1);     /* setters of widgets run no on_change */
    pn_select_set_value(c->unit, "apples");
    pn_checkbox_set_value(c->lock, false);
    pn_widget_set_disabled(c->button, false), pn_widget_set_disabled(c->step, false);
    unit_changed(s, c->unit, c), step_changed(s, c->step, c);
    (void)button;
}

void pn_app(pn_session *s)
{
    struct counter *c = pn_alloc(s, sizeof *c); /* this session's state, freed with it */
    pn_template(s, .name = "material", .title = "Callbacks");
    c->count = pn_number(s, .name = "Total in apples", .format = "{value} apples");
    c->step = pn_int_slider(s, .name = "Step", .value = 1, .start = 1, .end = 10,
                            .on_change = step_changed, .arg = c);
    c->unit = pn_select(s, .name = "Unit", .options = PN_OPTIONS("apples", "pears", "plums"),
                        .on_change = unit_changed, .arg = c);
    c->clicks = pn_markdown(s, .text = "No clicks yet");
    c->lock = pn_checkbox(s, .label = "Lock", .on_change = lock_changed, .arg = c);
    c->button = pn_button(s, .label = "Add 1", .button_type = "primary", .on_click = add,
                          .arg = c);
    pn_servable(s, pn_row(s,
        pn_card(s, .title = "Counter", .items = PN_ITEMS(c->count, c->button, c->clicks)),
        pn_card(s, .title = "Settings", .items = PN_ITEMS(c->step, c->unit, c->lock,
            pn_button(s, .label = "Reset", .on_click = reset, .arg = c)))));
}
