/* Strings that are not valid UTF-8, as apps make them: "%.12s" cuts the é of ?city=aéééééé in
   half, and a Latin-1 byte string from old data. tests/e2e/strings_test.c checks that the page
   is served and the live doc arrives with U+FFFD in their place (pane used to abort encoding
   it). */
#include <pane.h>

void pn_app(pn_session *s)
{
    const char *city = pn_session_arg(s, "city", "Berlin");
    const char *cut = pn_fmt(s, "%.12s", city);
    static const char latin1[] = "Z\xfcrich caf\xe9";
    static const char *const options[] = {latin1, "Paris", NULL};
    pn_template(s, .title = cut);
    pn_servable(s, pn_card(s, .title = latin1,
                           .items = PN_ITEMS(pn_markdown(s, .text = cut),
                                             pn_number(s, .name = latin1, .value = 1),
                                             pn_select(s, .name = cut, .options = options))));
}
