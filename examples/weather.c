/* The seed's weather app: a title from ?city=, two cards with large numbers, live temperature. */
#include <pane.h>
#include <stdlib.h>

void pn_session_key(const pn_request *r, pn_key *k) /* one cached page per city */
{
    pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
    pn_key_shared(k); /* with --basic-auth too: the city's page names no user */
}

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
