/*
 * PLACEHOLDER so the tree links while the WebSocket implementation is being written: every
 * upgrade is refused with 501. This whole file is to be REPLACED by the real ws.c.
 */
#include "net/internal.h"

int pn__ws_upgrade(struct pn_http_conn *c, const struct pn_http_req *r,
                   const struct pn_ws_opts *o, const struct pn_ws_handler *h, void *ud,
                   struct pn_ws **out)
{
    (void)r, (void)o, (void)h, (void)ud, (void)out;
    pn__http_respond_text(c, 501, NULL);
    return PN_EPARSE;
}
int pn__ws_send(struct pn_ws *ws, const char *data, size_t len)
{
    (void)ws, (void)data, (void)len;
    return PN_ECLOSED;
}
void pn__ws_close(struct pn_ws *ws, uint16_t code, const char *reason)
{
    (void)ws, (void)code, (void)reason;
}
void pn__ws_set_ud(struct pn_ws *ws, void *ud)
{
    (void)ws, (void)ud;
}
const char *pn__ws_peer(const struct pn_ws *ws)
{
    (void)ws;
    return "?";
}
