/* examples/weather.c without pn_session_key: with --reuse-sessions every city shares the app's
   one cached page (the key is the app's name) unless --session-key arg:city is given; the live
   session then converges the page to the visitor's city in the browser (tests/e2e/reuse_test.c,
   tests/browser/reuse.test.mjs). */
#include <pane.h>
#include <stdlib.h>

static void tick(pn_session *s, void *t) { (void)s; pn_number_set_value(t, rand() % 66 - 20); }

void pn_app(pn_session *s)
{
    const char *city = pn_session_arg(s, "city", "Berlin");
    pn_template(s, .name = "material", .title = pn_fmt(s, "%s Weather", city));
    pn_node *t = pn_number(s, .name = "Temperature", .value = rand() % 66 - 20, .format = "{value} °C");
    pn_node *h = pn_number(s, .name = "Humidity", .value = rand() % 101, .format = "{value}%");
    pn_servable(s, pn_row(s, pn_card(s, .hide_header = true, .items = PN_ITEMS(t)),
                             pn_card(s, .hide_header = true, .items = PN_ITEMS(h))));
    pn_every(s, 2000, tick, t);
}
