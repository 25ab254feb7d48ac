/* net's private declarations, shared by parse.c and http.c. */
#ifndef PN_NET_INTERNAL_H
#define PN_NET_INTERNAL_H

#include <http_parser.h>
#include <stdlib.h>

#include "net/net.h"

struct pn_http_hdr_off {
    size_t name_off, name_len, val_off, val_len;
};

/* Incremental parse state of one connection (or one pn__http_parse call). */
struct pn_http_parse {
    http_parser p;
    const struct pn_http_limits *lim;
    const char *base; /* the buffer the offsets are relative to, during feed */
    size_t msg_start; /* offset where the current message began */
    size_t url_off, url_len;
    struct pn_http_hdr_off *hdr; /* max_headers + 1 entries */
    size_t nhdr;
    bool in_value, headers_done, complete;
    int err; /* a limit we enforced (PN_EURI …), or 0 */
    struct pn_buf body;
};

void pn__http_parse_init(struct pn_http_parse *st, const struct pn_http_limits *lim);
void pn__http_parse_fini(struct pn_http_parse *st);
/* Feeds base[*parsed, len) to the parser. 0: a complete request in *out; PN_EAGAIN; or an
 * error (see pn__http_error_status). */
int pn__http_parse_feed(struct pn_http_parse *st, const char *base, size_t len, size_t *parsed,
                        struct pn_arena *arena, struct pn_http_req *out);
/* Readies the state for the next pipelined request (after the buffer was compacted). */
void pn__http_parse_next(struct pn_http_parse *st);

#endif
