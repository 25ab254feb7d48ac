/* A page of about 12 MB (tests/e2e/http_test.c): more than the socket buffers hold, so that a
   slow reader keeps the response being written for several idle timeouts. */
#include <pane.h>
#include <stdlib.h>
#include <string.h>

#define SIZE (12u << 20)

void pn_app(pn_session *s)
{
    static const char row[] = "<p>pane big page row</p>\n";
    char *h = malloc(SIZE + 1);
    size_t n = 0;
    while (n + sizeof row - 1 <= SIZE) {
        memcpy(h + n, row, sizeof row - 1);
        n += sizeof row - 1;
    }
    h[n] = '\0';
    pn_template(s, .title = "Big page");
    pn_servable(s, pn_html(s, .html = h));
    free(h);
}
