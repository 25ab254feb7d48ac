/*
 * Tabs: its children as panels, one shown at a time behind a row of tabs (the WAI-ARIA tabs
 * pattern; Panel's Tabs).
 *
 *     <div class="pn-tabs" id="pn-N" data-pn-kind="Tabs"><div class="pn-tabs-list" role="tablist">
 *       <button type="button" role="tab" class="pn-tab" id="pn-N-tab-I" aria-controls="pn-C"
 *         aria-selected="true|false" tabindex="0|-1">TITLE</button>…</div>
 *       <div class="pn-tabs-panels">CHILDREN</div></div>
 *
 * Each child's outer element gets role="tabpanel", aria-labelledby its tab, and
 * data-pn-inactive unless it is the active one (child_attrs). A hidden panel (pn_set_visible)
 * has a hidden tab (the button has the hidden attribute), and the tab shown is never a hidden
 * one while another is visible: hiding it shows the first visible tab, and active says so.
 * Events: {"prop": "active", "value": I} (the client already shows it: not echoed; on_change
 * runs). Patches: {"active": I}, and {"tabs": [{"title", "panel": ID, "hidden"}…], "active": I}
 * when a panel was added, removed, shown or hidden on the shown page (the titles belong to the
 * panels given when built, kept by node id; a panel added later is "Tab N" after its place).
 * Client: web/client/kinds/tabs.js.
 */
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop tabs_props[] = {
    PN_PROP(pn_tabs_opts, items, PN_PROP_ITEMS),
    PN_PROP(pn_tabs_opts, titles, PN_PROP_STRS),
    PN_EVENT_PROP(pn_tabs_opts, active, PN_PROP_INT),
    PN_CALLBACK_PROPS(pn_tabs_opts, on_change),
};

struct state {
    uint32_t *ids; /* the panels given when built: titles[i] is ids[i]'s */
    int nids;
    bool changed; /* panels added or removed since the last patch */
};

static int count(const pn_node *n)
{
    int k = 0;
    for (const pn_node *c = n->first; c; c = c->next)
        k++;
    return k;
}

/* The i-th panel, or NULL. */
static const pn_node *panel(const pn_node *n, int i)
{
    const pn_node *c = n->first;
    for (; c && i > 0; c = c->next)
        i--;
    return i == 0 ? c : NULL;
}

/* The tab shown is within the panels (the last one if it was past the end) and a visible one
 * if any is: a hidden active tab gives way to the first visible one. */
static void show_visible(pn_node *n)
{
    pn_tabs_opts *o = PN_OPTS(n, pn_tabs_opts);
    int k = count(n), i = 0;
    if (o->active >= k)
        o->active = k ? k - 1 : 0;
    const pn_node *at = panel(n, o->active);
    if (!at || !at->hidden)
        return;
    for (const pn_node *c = n->first; c; c = c->next, i++)
        if (!c->hidden) {
            o->active = i;
            return;
        }
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_tabs_opts *o = PN_OPTS(n, pn_tabs_opts);
    int k = count(n), t = 0;
    while (o->titles && o->titles[t])
        t++;
    if (o->titles && t != k)
        pn__session_misuse(n->s, here, "Tabs: %d titles for %d panels", t, k);
    struct state *st = pn__node_state(n);
    st->ids = pn__arena_alloc(pn__node_arena(n), (size_t)(k ? k : 1) * sizeof *st->ids);
    for (const pn_node *c = n->first; c; c = c->next)
        st->ids[st->nids++] = c->id;
    if (o->active < 0 || (o->active >= k && k > 0)) {
        pn__session_misuse(n->s, here, "Tabs.active %d: there are %d panels; showing the first",
                           o->active, k);
        o->active = 0;
    }
    show_visible(n);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (!pn__prop_is(p, "active"))
        return 0;
    if (v->num < 0 || v->num >= count(n) || v->num != (int)v->num)
        return *why = "not a tab", PN_EINVAL;
    if (panel(n, (int)v->num)->hidden)
        return *why = "a hidden tab", PN_EINVAL;
    return 0;
}

/* Child c's title (c is the i-th panel now). */
static const char *title(const pn_node *n, const pn_node *c, int i, char *buf, size_t len)
{
    const pn_tabs_opts *o = PN_COPTS(n, pn_tabs_opts);
    const struct state *st = pn__node_state(n);
    for (int k = 0; k < st->nids; k++)
        if (st->ids[k] == c->id)
            for (int t = 0; o->titles && o->titles[t]; t++)
                if (t == k)
                    return o->titles[t];
    snprintf(buf, len, "Tab %d", i + 1);
    return buf;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_tabs_opts *o = PN_COPTS(n, pn_tabs_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-tabs", n)) ||
        (rc = PN_PUT(out, "><div class=\"pn-tabs-list\" role=\"tablist\">")))
        return rc;
    int i = 0;
    for (const pn_node *c = n->first; rc == 0 && c; c = c->next, i++) {
        char buf[32];
        bool on = i == o->active;
        rc = pn__buf_printf(out,
                            "<button type=\"button\" role=\"tab\" class=\"pn-tab\" "
                            "id=\"pn-%u-tab-%d\" aria-controls=\"pn-%u\" aria-selected=\"%s\" "
                            "tabindex=\"%s\"%s>",
                            (unsigned)n->id, i, (unsigned)c->id, on ? "true" : "false",
                            on ? "0" : "-1", c->hidden ? " hidden" : "");
        if (rc == 0)
            rc = pn__html_text(out, title(n, c, i, buf, sizeof buf));
        if (rc == 0)
            rc = PN_PUT(out, "</button>");
    }
    return rc ? rc : PN_PUT(out, "</div><div class=\"pn-tabs-panels\">");
}

static int html_close(struct pn_buf *out, const pn_node *n)
{
    (void)n;
    return PN_PUT(out, "</div></div>");
}

static const char *child_attrs(const pn_node *n, const pn_node *child)
{
    static _Thread_local char buf[96];
    int i = 0;
    for (const pn_node *c = n->first; c && c != child; c = c->next)
        i++;
    snprintf(buf, sizeof buf, " role=\"tabpanel\" aria-labelledby=\"pn-%u-tab-%d\"%s",
             (unsigned)n->id, i, i == PN_COPTS(n, pn_tabs_opts)->active ? "" : " data-pn-inactive");
    return buf;
}

static void children_changed(pn_node *n)
{
    show_visible(n);
    if (!n->s->shown)
        return; /* not on a page yet: its HTML will show it as it is */
    ((struct state *)pn__node_state(n))->changed = true;
    pn__node_touch(n);
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    struct state *st = pn__node_state(n);
    const pn_tabs_opts *o = PN_COPTS(n, pn_tabs_opts);
    bool active = (mask & (1u << 2)) != 0; /* tabs_props[2] */
    if (st->changed) {
        json_t *tabs = json_array();
        int i = 0;
        for (const pn_node *c = n->first; c; c = c->next, i++) {
            char buf[32];
            json_array_append_new(tabs,
                                  json_pack("{sssIsb}", "title", title(n, c, i, buf, sizeof buf),
                                            "panel", (json_int_t)c->id, "hidden", c->hidden));
        }
        if (pn__json_set(changes, "tabs", tabs))
            return PN_EINVAL;
        st->changed = false;
        active = true;
    }
    if (active && pn__json_set(changes, "active", json_integer(o->active)))
        return PN_EINVAL;
    return 0;
}

const struct pn_kind pn__kind_tabs = {
    .name = "Tabs",
    .css_class = "pn-tabs",
    .opts_size = sizeof(pn_tabs_opts),
    .state_size = sizeof(struct state),
    .props = tabs_props,
    .nprops = PN_COUNT(tabs_props),
    .container = true,
    .init = init,
    .check = check,
    .html = html,
    .html_close = html_close,
    .child_attrs = child_attrs,
    .children_changed = children_changed,
    .patch = patch,
};

pn_node *pn_tabs_new(pn_session *s, const pn_tabs_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_tabs, o, here);
}

int pn_tabs_active(const pn_node *n)
{
    return n && pn__is(n, &pn__kind_tabs) ? PN_COPTS(n, pn_tabs_opts)->active : 0;
}

static const struct pn_kind *const tabs[] = {&pn__kind_tabs, NULL};

void pn_tabs_set_active_at(pn_node *n, int i, pn_here here)
{
    pn__setter(n, tabs, "active", PN_NUM(i), "pn_tabs_set_active", here);
}
