/* A page of about 10 MB whose live doc (its HTML and the text again in the tree) is about
   20 MB, over the 16 MiB bound: the page is served, and the socket gets an error "too-big" and
   a close 4413 that the client shows and does not retry (tests/e2e/strings_test.c,
   tests/browser/toobig.test.mjs). */
#include <pane.h>
#include <stdlib.h>
#include <string.h>

#define SIZE (10u << 20)

void pn_app(pn_session *s)
{
    char *text = malloc(SIZE + 1);
    if (!text)
        abort();
    for (size_t i = 0; i < SIZE; i++)
        text[i] = i % 64 == 63 ? '\n' : "pane "[i % 5];
    text[SIZE] = '\0';
    pn_template(s, .title = "Big");
    pn_servable(s, pn_markdown(s, .text = text)); /* copied into the session */
    free(text);
}
