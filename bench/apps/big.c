/* bench/miss.sh's app: a page of about 1 MB (a table of 16,000 rows as raw HTML, a mix of
   repeated markup and numbers, so that it compresses as real pages do), different for every
   ?k= (the key), so that every distinct key is a cache miss. */
#include <pane.h>
#include <stdio.h>
#include <stdlib.h>

void pn_app(pn_session *s)
{
    const char *k = pn_session_arg(s, "k", "0");
    unsigned seed = (unsigned)strtoul(k, NULL, 10);
    size_t cap = 1100 * 1000, len = 0;
    char *h = malloc(cap);
    len += (size_t)snprintf(h + len, cap - len, "<table><caption>key %s</caption>", k);
    for (unsigned i = 0; len + 100 < cap && len < 1000 * 1000; i++) {
        seed = seed * 1103515245u + 12345u;
        len += (size_t)snprintf(h + len, cap - len,
                                "<tr><td>%u</td><td>%u.%02u</td><td>%s</td></tr>\n", i,
                                (seed >> 8) % 1000, (seed >> 4) % 100,
                                seed % 3 ? "Paris" : "Lyon");
    }
    snprintf(h + len, cap - len, "</table>");
    pn_template(s, .title = "Big");
    pn_servable(s, pn_html(s, .html = h));
    free(h);
}
