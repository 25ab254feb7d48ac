/* Tutorial step 1: the smallest app. pane calls pn_app once for every page view (a session)
 * and shows what it builds.
 *     pane serve examples/tutorial/01-hello.c        then open http://localhost:5006/01-hello */
#include <pane.h>

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Hello");
    pn_servable(s, pn_card(s, .title = "Answer", .items = PN_ITEMS(
        pn_number(s, .name = "The answer", .value = 42),
        pn_markdown(s, .text = "Built by **pn_app**, for this page view only."))));
}
