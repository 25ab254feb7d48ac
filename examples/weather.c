/* The seed's weather app: a title from ?city= and two cards with large numbers. */
#include <pane.h>
#include <stdlib.h>

/* One cached first page per city (pane serve --reuse-sessions). */
void pn_session_key(const pn_request *r, pn_key *k)
{
    pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
}

void pn_app(pn_session *s)
{
    const char *city = pn_session_arg(s, "city", "Berlin");
    pn_template(s, .name = "material", .title = pn_fmt(s, "%s Weather", city));
    pn_servable(s, pn_row(s,
        pn_card(s, .hide_header = true, .items = PN_ITEMS(pn_number(s, .name = "Temperature",
                   .value = rand() % 66 - 20, .format = "{value} °C"))),
        pn_card(s, .hide_header = true, .items = PN_ITEMS(pn_number(s, .name = "Humidity",
                   .value = rand() % 101, .format = "{value}%")))));
}
