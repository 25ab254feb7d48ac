/* Every widget kind once, for tests/e2e/live_test.c: each callback shows what it saw; "Shout"
   and "Tens" change the widget that sent the event (those changes must be echoed: only the
   event's own change is not), and "Lock" disables the name field and the Count button. */
#include <ctype.h>
#include <pane.h>
#include <stdio.h>
#include <stdlib.h>

struct form {
    pn_node *name, *hello, *shout, *city, *ratio, *percent, *tens, *lock, *count, *count_n,
        *later_n, *submitted, *check_n;
};

static void on_name(pn_session *s, pn_node *n, void *arg)
{
    struct form *f = arg;
    pn_markdown_set_text(f->hello, pn_fmt(s, "Hello, %s", pn_text_input_value(n)));
}

static void on_shout(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)arg;
    char up[128];
    const char *v = pn_text_input_value(n);
    size_t i = 0;
    for (; v[i] && i + 1 < sizeof up; i++)
        up[i] = (char)toupper((unsigned char)v[i]);
    up[i] = '\0';
    pn_text_input_set_value(n, up); /* the callback's change: echoed */
}

static void on_city(pn_session *s, pn_node *n, void *arg)
{
    (void)arg;
    pn_title_set(s, pn_fmt(s, "%s form", pn_select_value(n)));
}

static void on_ratio(pn_session *s, pn_node *n, void *arg)
{
    (void)s;
    struct form *f = arg;
    pn_number_set_value(f->percent, pn_float_slider_value(n) * 100);
}

static void on_tens(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)arg;
    pn_int_slider_set_value(n, pn_int_slider_value(n) / 10 * 10); /* snaps: echoed if moved */
}

static void on_lock(pn_session *s, pn_node *n, void *arg)
{
    (void)s;
    struct form *f = arg;
    bool locked = pn_toggle_value(n);
    pn_widget_set_disabled(f->name, locked);
    pn_widget_set_disabled(f->count, locked);
}

static void on_count(pn_session *s, pn_node *n, void *arg)
{
    (void)s;
    struct form *f = arg;
    pn_number_set_value(f->count_n, (double)pn_button_clicks(n));
}

static void later_fired(pn_session *s, void *arg)
{
    (void)s;
    struct form *f = arg;
    pn_number_set_value(f->later_n, 1);
}

static void on_later(pn_session *s, pn_node *n, void *arg)
{
    (void)n;
    pn_timeout(s, 200, later_fired, arg);
}

static void on_submit(pn_session *s, pn_node *n, void *arg)
{
    (void)n;
    struct form *f = arg;
    pn_markdown_set_text(f->submitted, pn_fmt(s, "Submitted: %s", pn_text_input_value(f->name)));
}

static void on_check(pn_session *s, pn_node *n, void *arg)
{
    (void)s;
    struct form *f = arg;
    pn_number_set_value(f->check_n, pn_checkbox_value(n) ? 1 : 0);
}

static void free_form(pn_session *s, void *f)
{
    (void)s;
    free(f); /* LeakSanitizer checks that this destroy hook runs for every session */
}

void pn_app(pn_session *s)
{
    struct form *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    pn_on_session_destroyed(s, free_form, f);
    pn_template(s, .title = "Form");
    f->name = pn_text_input(s, .name = "Name", .max_length = 8, .on_change = on_name, .arg = f);
    f->hello = pn_markdown(s, .text = "Hello");
    f->shout = pn_text_input(s, .name = "Shout", .on_change = on_shout, .arg = f);
    f->city = pn_select(s, .name = "City", .options = PN_OPTIONS("Berlin", "Paris", "Tokyo"),
                        .on_change = on_city, .arg = f);
    f->ratio = pn_float_slider(s, .name = "Ratio", .start = 0, .end = 1, .value = 0.5,
                               .on_change = on_ratio, .arg = f);
    f->percent = pn_number(s, .name = "Percent", .value = 50);
    f->tens = pn_int_slider(s, .name = "Tens", .start = 0, .end = 100, .value = 50,
                            .on_change = on_tens, .arg = f);
    f->lock = pn_toggle(s, .label = "Lock", .on_change = on_lock, .arg = f);
    f->count = pn_button(s, .label = "Count", .on_click = on_count, .arg = f);
    f->count_n = pn_number(s, .name = "Count", .value = 0);
    pn_node *later = pn_button(s, .label = "Later", .on_click = on_later, .arg = f);
    f->later_n = pn_number(s, .name = "Later", .value = 0);
    pn_node *submit = pn_button(s, .label = "Submit", .on_click = on_submit, .arg = f);
    f->submitted = pn_markdown(s, .text = "Nothing yet");
    pn_node *check = pn_checkbox(s, .label = "Check", .on_change = on_check, .arg = f);
    f->check_n = pn_number(s, .name = "Checked", .value = 0);
    pn_servable(s, pn_column(s, f->name, f->hello, f->shout, f->city, f->ratio, f->percent, f->tens,
                             f->lock, f->count, f->count_n, later, f->later_n, submit, f->submitted,
                             check, f->check_n));
}
