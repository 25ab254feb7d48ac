/*
 * A page for a logged-in user: `pane serve examples/hello.c --basic-auth users.txt` (or
 * `--basic-auth PASSWORD`). It greets the user pn_session_user names, counts the seconds the
 * session has lived, and has a button that logs out (a form posting to PREFIX/logout).
 * Without --basic-auth pn_session_user is NULL and the page greets a guest.
 */
#include <pane.h>

struct here {
    pn_node *secs;
    int n;
};

static void tick(pn_session *s, void *arg)
{
    (void)s;
    struct here *h = arg;
    pn_number_set_value(h->secs, ++h->n);
}

void pn_app(pn_session *s)
{
    const char *user = pn_session_user(s); /* NULL without --basic-auth */
    pn_template(s, .title = user ? pn_fmt(s, "Hello, %s", user) : "Hello");
    struct here *h = pn_alloc(s, sizeof *h);
    pn_node *secs = h->secs =
        pn_number(s, .name = "Seconds here", .value = 0, .format = "{value} s");
    /* "logout" is relative: PREFIX/logout next to the app's PREFIX/login */
    pn_node *out = pn_html(s, .html = "<form method=\"post\" action=\"logout\">"
                                      "<button class=\"pn-button pn-button-light\" type=\"submit\">"
                                      "Log out</button></form>");
    pn_servable(s, pn_card(s, .title = user ? pn_fmt(s, "Hello, %s", user) : "Hello, guest",
                           .items = user ? PN_ITEMS(secs, out) : PN_ITEMS(secs)));
    pn_every(s, 1000, tick, h);
}
