/* Rows nested 30,000 deep (a recursive data structure shown as rows): pane bounds the tree at
   256 levels, records the misuse, and still serves the page and the live doc
   (tests/e2e/strings_test.c); it used to overflow the stack encoding them. */
#include <pane.h>

void pn_app(pn_session *s)
{
    pn_template(s, .title = "Deep");
    pn_node *n = pn_number(s, .name = "leaf", .value = 1);
    for (int i = 0; i < 30000; i++)
        n = pn_row(s, n);
    pn_servable(s, n);
    pn_servable(s, pn_markdown(s, .text = "after the rows"));
}
