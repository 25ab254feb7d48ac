/* An app whose cookies do not fit in a response head (tests/e2e/http_test.c): 9 cookies of
   4,000 characters, 36 KB of Set-Cookie lines over pane's 32 KiB bound: the page is a 500 and an
   error line, never a head cut short. */
#include <pane.h>
#include <string.h>

void pn_app(pn_session *s)
{
    static char v[4001];
    memset(v, 'v', 4000);
    for (int i = 0; i < 9; i++)
        pn_set_cookie(s, pn_fmt(s, "c%d", i), v, "Path=/");
    pn_template(s, .title = "Big cookie");
    pn_servable(s, pn_markdown(s, .text = "cookies"));
}
