/*
 * page: the one writer of a page's response head. The reuse cache's prepared entries (hit),
 * its miss and bypass responses, the non-reuse page and the index all build their heads here
 * from the same parts, through net's field writer (pn__http_fields) into a bounded buffer: a
 * head that does not fit is an error, never a truncation.
 */
#include <stdio.h>
#include <stdlib.h>

#include "server/server.h"

/* Every page: scripts only from this origin (pane.js; the page's data is a JSON block, which
 * is never executed), styles from this origin plus the style attributes components use, the
 * socket back to this origin, and no framing by other sites. */
#define PAGE_SECURITY                                                                          \
    "X-Content-Type-Options: nosniff\r\n"                                                      \
    "Referrer-Policy: strict-origin-when-cross-origin\r\n"                                     \
    "Content-Security-Policy: default-src 'self'; script-src 'self'; "                         \
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; "      \
    "base-uri 'self'; form-action 'self'; frame-ancestors %s\r\n"

char *pn__page_security(const char *frame_ancestors)
{
    struct pn_buf b;
    pn__buf_init(&b, SIZE_MAX / 2);
    pn__buf_printf(&b, PAGE_SECURITY, frame_ancestors ? frame_ancestors : "'self'");
    return pn__buf_steal(&b, NULL);
}

int pn__page_head(struct pn_buf *out, const struct pn_page_head *h)
{
    char cache[64] = "";
    if (h->cache) {
        int n = snprintf(cache, sizeof cache, "X-Pane-Cache: %s\r\n", h->cache);
        if (n < 0 || (size_t)n >= sizeof cache)
            return PN_EINVAL;
    }
    return pn__http_fields(out, &(struct pn_http_fields){
                                    .content_length = h->length,
                                    .content_type = "text/html; charset=utf-8",
                                    .gzip = h->gzip,
                                    .vary = true,
                                    .etag = h->etag,
                                    .cache_control = h->cache_control,
                                    .extra = {h->cache ? cache : NULL, h->security, h->cookies}});
}
