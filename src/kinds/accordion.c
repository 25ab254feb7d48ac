/*
 * Accordion: its children one below the other, each behind a title that opens and closes it
 * (Panel's Accordion), as native <details>: keyboard and screen readers work without script.
 *
 *     <div class="pn-accordion" id="pn-N" data-pn-kind="Accordion">
 *       <details class="pn-accordion-item" data-pn-wrap [open]><summary
 *         class="pn-accordion-title">TITLE</summary>CHILD</details>…</div>
 *
 * Which items are open is the visitor's (the browser keeps it); .active opens one at first.
 * The titles belong to the items given when it was built (kept by node id); an item added later
 * is "Item N" after its place.
 * No events, no patches. Client: web/client/kinds/accordion.js (nothing but where its
 * children go).
 */
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop accordion_props[] = {
    PN_PROP(pn_accordion_opts, items, PN_PROP_ITEMS),
    PN_PROP(pn_accordion_opts, titles, PN_PROP_STRS),
    PN_PROP(pn_accordion_opts, active, PN_PROP_INT),
};

struct state {
    uint32_t *ids; /* the items given when built, in order: titles[i] is ids[i]'s */
    int nids;
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_accordion_opts *o = PN_OPTS(n, pn_accordion_opts);
    struct state *st = pn__node_state(n);
    int k = 0, t = 0;
    for (const pn_node *c = n->first; c; c = c->next)
        k++;
    st->ids = pn__arena_alloc(pn__node_arena(n), (size_t)(k ? k : 1) * sizeof *st->ids);
    for (const pn_node *c = n->first; c; c = c->next)
        st->ids[st->nids++] = c->id;
    while (o->titles && o->titles[t])
        t++;
    if (o->titles && t != k)
        pn__session_misuse(n->s, here, "Accordion: %d titles for %d items", t, k);
    if (o->active < -1 || o->active >= (k ? k : 1)) {
        pn__session_misuse(n->s, here, "Accordion.active %d: there are %d items; none open",
                           o->active, k);
        o->active = -1;
    }
}

static int html(struct pn_buf *out, const pn_node *n)
{
    int rc = pn__html_open(out, "div", "pn-accordion", n);
    return rc ? rc : PN_PUT(out, ">");
}

static int html_close(struct pn_buf *out, const pn_node *n)
{
    (void)n;
    return PN_PUT(out, "</div>");
}

static int child_open(struct pn_buf *out, const pn_node *n, const pn_node *child)
{
    const pn_accordion_opts *o = PN_COPTS(n, pn_accordion_opts);
    const struct state *st = pn__node_state(n);
    int i = 0, given = -1;
    for (const pn_node *c = n->first; c && c != child; c = c->next)
        i++;
    for (int k = 0; k < st->nids; k++)
        if (st->ids[k] == child->id)
            given = k;
    const char *title = NULL;
    for (int t = 0; o->titles && o->titles[t] && given >= 0; t++)
        if (t == given)
            title = o->titles[t];
    char def[32];
    snprintf(def, sizeof def, "Item %d", i + 1);
    int rc = pn__buf_printf(out,
                            "<details class=\"pn-accordion-item\" data-pn-wrap%s>"
                            "<summary class=\"pn-accordion-title\">",
                            given >= 0 && given == o->active ? " open" : "");
    if (rc == 0)
        rc = pn__html_text(out, title ? title : def);
    return rc ? rc : PN_PUT(out, "</summary>");
}

static int child_close(struct pn_buf *out, const pn_node *n, const pn_node *child)
{
    (void)n, (void)child;
    return PN_PUT(out, "</details>");
}

const struct pn_kind pn__kind_accordion = {
    .name = "Accordion",
    .css_class = "pn-accordion",
    .opts_size = sizeof(pn_accordion_opts),
    .state_size = sizeof(struct state),
    .props = accordion_props,
    .nprops = PN_COUNT(accordion_props),
    .container = true,
    .init = init,
    .html = html,
    .html_close = html_close,
    .child_open = child_open,
    .child_close = child_close,
};

pn_node *pn_accordion_new(pn_session *s, const pn_accordion_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_accordion, o, here);
}
