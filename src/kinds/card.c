/*
 * Card: a box with an optional header, holding its children in a column.
 *
 *     <details class="pn-card" id="pn-N" data-pn-kind="Card" open>
 *       <summary class="pn-card-header"><span class="pn-card-title">TITLE</span></summary>
 *       <div class="pn-card-body">CHILDREN</div></details>
 *     hide_header: <div class="pn-card pn-card-noheader" …><div class="pn-card-body">…</div></div>
 *
 * Patches: title and collapsed, by name. Client: web/client/kinds/card.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop card_props[] = {
    PN_PROP(pn_card_opts, items, PN_PROP_ITEMS),
    PN_PROP(pn_card_opts, title, PN_PROP_STR),
    PN_PROP(pn_card_opts, hide_header, PN_PROP_BOOL),
    PN_PROP(pn_card_opts, collapsed, PN_PROP_BOOL),
};

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_card_opts *o = PN_COPTS(n, pn_card_opts);
    int rc;
    if (o->hide_header) {
        if ((rc = pn__html_open(out, "div", "pn-card pn-card-noheader", n)))
            return rc;
        return PN_PUT(out, "><div class=\"pn-card-body\">");
    }
    if ((rc = pn__html_open(out, "details", "pn-card", n)) ||
        (rc = o->collapsed ? PN_PUT(out, ">") : PN_PUT(out, " open>")) ||
        (rc = PN_PUT(out, "<summary class=\"pn-card-header\"><span class=\"pn-card-title\">")) ||
        (rc = pn__html_text(out, o->title)))
        return rc;
    return PN_PUT(out, "</span></summary><div class=\"pn-card-body\">");
}

static int html_close(struct pn_buf *out, const pn_node *n)
{
    return PN_COPTS(n, pn_card_opts)->hide_header ? PN_PUT(out, "</div></div>")
                                                  : PN_PUT(out, "</div></details>");
}

const struct pn_kind pn__kind_card = {
    .name = "Card",
    .css_class = "pn-card",
    .opts_size = sizeof(pn_card_opts),
    .props = card_props,
    .nprops = PN_COUNT(card_props),
    .container = true,
    .html = html,
    .html_close = html_close,
};

pn_node *pn_card_new(pn_session *s, const pn_card_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_card, o, here);
}

static const struct pn_kind *const cards[] = {&pn__kind_card, NULL};

void pn_card_set_title_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, cards, "title", PN_STR(v), "pn_card_set_title", here);
}

void pn_card_set_collapsed_at(pn_node *n, bool v, pn_here here)
{
    pn__setter(n, cards, "collapsed", PN_BOOL(v), "pn_card_set_collapsed", here);
}
