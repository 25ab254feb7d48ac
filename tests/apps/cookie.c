/* An app that sets cookies (tests/e2e/reuse_test.c): a page that sets one is private to its
   visitor, so --reuse-sessions serves it (X-Pane-Cache: bypass) and never stores it. It always
   sets `visited=1`, and `lang=<?lang>` when the query has a (cookie-safe) lang. */
#include <pane.h>

void pn_app(pn_session *s)
{
    const char *lang = pn_session_arg(s, "lang", NULL);
    pn_set_cookie(s, "visited", "1", "Path=/; SameSite=Lax");
    if (lang)
        pn_set_cookie(s, "lang", lang, "Path=/; Max-Age=3600; SameSite=Lax");
    pn_template(s, .title = "Cookie");
    pn_servable(s, pn_markdown(s, .text = lang ? pn_fmt(s, "Language: %s", lang) : "No language"));
}
