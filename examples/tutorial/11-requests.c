/* Tutorial step 11: the request. The page depends on query arguments (?city=Oslo&unit=F), so
 * the app exports pn_session_key: under `pane serve --reuse-sessions` it gets one cached first
 * page per city and unit. ?remember=1 sets a cookie, and a page that sets one is never cached.
 *     pane serve examples/tutorial/11-requests.c --reuse-sessions
 *     curl -si 'http://localhost:5006/11-requests?city=Oslo' | grep X-Pane-Cache */
#include <pane.h>
#include <string.h>

/* What the page depends on, and nothing else: every part added here splits the cache. Runs on
 * the loop for every request, before any session exists: keep it cheap. */
void pn_session_key(const pn_request *r, pn_key *k)
{
    pn_key_add(k, pn_request_path(r)); /* the default key: the app's path */
    pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
    pn_key_add(k, pn_request_arg(r, "unit", "C"));
    pn_key_add(k, pn_request_arg(r, "remember", "0")); /* or a cached page would set no cookie */
}

static double temperature_of(const char *city) /* a pretend lookup, the same for a city */
{
    unsigned h = 0;
    for (const char *c = city; *c; c++)
        h = h * 31 + (unsigned char)*c;
    return (double)(h % 35) - 5;
}

void pn_app(pn_session *s)
{
    const char *city = pn_session_arg(s, "city", "Berlin"); /* plain text: pane escapes it */
    bool fahrenheit = strcmp(pn_session_arg(s, "unit", "C"), "F") == 0;
    double c = temperature_of(city);
    if (strcmp(pn_session_arg(s, "remember", "0"), "1") == 0)
        pn_set_cookie(s, "city", city, "Path=/; Max-Age=86400; SameSite=Lax");
    pn_template(s, .name = "material", .title = pn_fmt(s, "%s weather", city));
    pn_servable(s, pn_card(s, .title = city, .items = PN_ITEMS(
        pn_number(s, .name = "Temperature", .value = fahrenheit ? c * 9 / 5 + 32 : c,
                  .format = fahrenheit ? "{value:.0f} °F" : "{value:.0f} °C"),
        pn_markdown(s, .text = "[Oslo](?city=Oslo) · [Lima in °F](?city=Lima&unit=F) · "
                               "[Oslo, remembered](?city=Oslo&remember=1)"))));
}
