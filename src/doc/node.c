/*
 * node: making a node of any kind. pn__node_new (which every kind's builder in src/kinds calls)
 * copies the options into the session's arena (strings deep-copied, as lvgl's setters do, and
 * made valid UTF-8: an app's cut multibyte character or Latin-1 byte becomes U+FFFD), checks
 * what the prop types say (colours), links the children given in .items and hands the node to
 * its kind's init for defaults and the kind's own checks — misuse is recorded with the app's
 * file and line and the default used. Builders never fail.
 */
#include <stdlib.h>

#include "doc/doc.h"

const char pn_items_end; /* its address ends PN_ITEMS lists (pane.h) */

const struct pn_kind *pn__kind_find(pn_str name)
{
    for (size_t i = 0; i < pn__kind_count; i++)
        if (pn__str_eq(pn__str(pn__kind_list[i]->name), name))
            return pn__kind_list[i];
    return NULL;
}

bool pn__kind_is_widget(const struct pn_kind *k)
{
    for (size_t i = 0; i < k->nprops; i++)
        if (k->props[i].type == PN_PROP_FN)
            return true;
    return k->event != NULL;
}

static bool is_ancestor(const pn_node *maybe, const pn_node *n)
{
    for (; n; n = n->parent)
        if (n == maybe)
            return true;
    return false;
}

/* Links child under parent, or records why it cannot. */
/* Whether n is in the page: its topmost ancestor is the session's root. */
static bool connected(const pn_node *n)
{
    while (n->parent)
        n = n->parent;
    return pn__is_root(n);
}

static void attach(pn_node *parent, pn_node *child, size_t index, pn_here here)
{
    pn_session *s = parent->s;
    if (!child) {
        pn__session_misuse(s, here, "NULL child given to %s", parent->desc->name);
        return;
    }
    if (child->s != s) {
        pn__session_misuse(s, here, "%s made in another session cannot be added here",
                           child->desc->name);
        return;
    }
    if (child->parent || pn__is_root(child)) {
        pn__session_misuse(s, here, "%s (made at %s:%d) already has a parent", child->desc->name,
                           child->here.file, child->here.line);
        return;
    }
    if (is_ancestor(child, parent)) {
        pn__session_misuse(s, here, "%s cannot contain itself", child->desc->name);
        return;
    }
    /* the level parent is (or will be, once its topmost ancestor is a servable) at */
    unsigned level = 0;
    const pn_node *top = parent;
    for (; top->parent; top = top->parent)
        level++;
    level += !pn__is_root(top);
    if (level + 1u + child->height > PN_MAX_DEPTH) {
        pn__session_misuse(s, here,
                           "%s (made at %s:%d) not added: the tree would be deeper "
                           "than %d levels",
                           child->desc->name, child->here.file, child->here.line, PN_MAX_DEPTH);
        return;
    }
    unsigned h = child->height + 1u;
    for (pn_node *a = parent; a && a->height < h; a = a->parent, h++)
        a->height = (uint16_t)h;
    child->parent = parent;
    pn_node **at = &parent->first;
    for (size_t i = 0; *at && i < index; i++)
        at = &(*at)->next;
    child->next = *at;
    *at = child;
    if (!child->next)
        parent->last = child;
    if (s->shown && connected(parent)) { /* the client has the page: an insert op follows */
        child->inserted = true;
        pn__node_mark(child, 29);
        if (parent->desc->children_changed)
            parent->desc->children_changed(parent);
    }
}

/* Copies the options into the arena and validates them. */
static void copy_opts(pn_node *n, const void *opts)
{
    pn_session *s = n->s;
    const struct pn_kind *d = n->desc;
    if (opts)
        memcpy(n->o, opts, d->opts_size);
    unsigned char *base = n->o;
    for (size_t i = 0; i < d->nprops; i++) {
        const struct pn_prop *p = &d->props[i];
        void *field = base + p->offset;
        switch (p->type) {
        case PN_PROP_STR:
        case PN_PROP_RAW: {
            const char **sp = field;
            *sp = pn__arena_strdup_utf8(pn__node_arena(n), *sp);
            break;
        }
        case PN_PROP_COLORS: {
            const pn_color_stop **cp = field;
            if (!*cp)
                break;
            size_t k = 0;
            while ((*cp)[k].color)
                k++;
            pn_color_stop *copy = pn__arena_alloc(pn__node_arena(n), (k + 1) * sizeof *copy);
            size_t m = 0;
            for (size_t j = 0; j < k; j++) {
                if (!pn__css_color_ok((*cp)[j].color)) {
                    pn__session_misuse(s, n->here, "%s.colors: \"%.60s\" is not a CSS colour",
                                       d->name, (*cp)[j].color);
                    continue;
                }
                copy[m].below = (*cp)[j].below;
                copy[m++].color = pn__arena_strdup_utf8(pn__node_arena(n), (*cp)[j].color);
            }
            *cp = copy;
            break;
        }
        case PN_PROP_ITEMS: {
            pn_node *const **ip = field;
            pn_node *const *items = *ip;
            *ip = NULL; /* the children list is the truth from now on */
            for (size_t j = 0; items && items[j] != PN_ITEMS_END; j++)
                attach(n, items[j], SIZE_MAX, n->here); /* attach records a NULL child */
            break;
        }
        case PN_PROP_STRS: {
            const char *const **lp = field;
            if (!*lp)
                break;
            size_t k = 0;
            while ((*lp)[k])
                k++;
            const char **copy = pn__arena_alloc(pn__node_arena(n), (k + 1) * sizeof *copy);
            for (size_t j = 0; j < k; j++)
                copy[j] = pn__arena_strdup_utf8(pn__node_arena(n), (*lp)[j]);
            *lp = copy;
            break;
        }
        case PN_PROP_BOOL:
        case PN_PROP_DOUBLE:
        case PN_PROP_LONG:
        case PN_PROP_INT:
        case PN_PROP_FN:
        case PN_PROP_ARG:
            break;
        }
    }
}

pn_node *pn__node_new(pn_session *s, const struct pn_kind *k, const void *opts, pn_here here)
{
    if (!s || !pn__session_owned(s, here, k->name))
        return NULL;
    size_t a = _Alignof(max_align_t);
    size_t size = sizeof(pn_node) + (k->opts_size + a - 1) / a * a + k->state_size;
    /* a node made once the page is shown may be removed again (a log that keeps its last 100
     * lines): it gets memory of its own, so that removing it gives it back */
    pn_node *n = s->shown ? pn__xcalloc(1, size) : pn__arena_alloc(&s->arena, size); /* zeroed */
    if (s->shown) {
        n->own = true;
        pn__arena_init(&n->mem, 512);
    }
    n->desc = k;
    n->id = ++s->next_id;
    n->s = s;
    if (n->id >= s->by_id_cap) {
        s->by_id_cap = s->by_id_cap ? s->by_id_cap * 2 : 16;
        s->by_id = pn__xrealloc(s->by_id, s->by_id_cap * sizeof *s->by_id);
    }
    s->by_id[n->id] = n;
    n->here = here;
    copy_opts(n, opts);
    if (k->data) {
        n->data_next = s->data_nodes;
        s->data_nodes = n;
    }
    for (size_t i = 0; k->lib && i < PN_COUNT(s->libs); i++)
        if (!s->libs[i] || strcmp(s->libs[i], k->lib) == 0) {
            s->libs[i] = k->lib;
            break;
        }
    if (k->init)
        k->init(n, opts, here);
    return n;
}

void pn_append_at(pn_node *parent, pn_node *child, pn_here here)
{
    pn_session *owner = parent ? parent->s : child ? child->s : NULL;
    if (owner && !pn__session_owned(owner, here, "pn_append"))
        return;
    if (!parent) {
        if (child)
            pn__session_misuse(child->s, here, "pn_append: NULL parent");
        return;
    }
    if (!parent->desc->container) {
        pn__session_misuse(parent->s, here, "pn_append: %s has no children", parent->desc->name);
        return;
    }
    attach(parent, child, SIZE_MAX, here);
}

void pn_insert_at(pn_node *parent, size_t index, pn_node *child, pn_here here)
{
    pn_session *owner = parent ? parent->s : child ? child->s : NULL;
    if (owner && !pn__session_owned(owner, here, "pn_insert"))
        return;
    if (!parent) {
        if (child)
            pn__session_misuse(child->s, here, "pn_insert: NULL parent");
        return;
    }
    if (!parent->desc->container) {
        pn__session_misuse(parent->s, here, "pn_insert: %s has no children", parent->desc->name);
        return;
    }
    attach(parent, child, index, here);
}

bool pn__is_root(const pn_node *n)
{
    return n == n->s->root || n == n->s->sidebar;
}

struct pn_arena *pn__node_arena(pn_node *n)
{
    return n->own ? &n->mem : &n->s->arena;
}

/* Whether the client has n: the page was shown, n is in it, and neither n nor an ancestor waits
 * for its insert op. */
static bool on_client(const pn_node *n)
{
    if (!n->s->shown)
        return false;
    for (; n->parent; n = n->parent)
        if (n->inserted)
            return false;
    return pn__is_root(n);
}

/* n leaves every list of the session and gives back what it holds. */
static void destroy(pn_node *n)
{
    pn_session *s = n->s;
    if (n->dirty_listed)
        for (pn_node **p = &s->dirty; *p; p = &(*p)->dirty_next)
            if (*p == n) {
                *p = n->dirty_next;
                break;
            }
    if (n->desc->data)
        for (pn_node **p = &s->data_nodes; *p; p = &(*p)->data_next)
            if (*p == n) {
                *p = n->data_next;
                break;
            }
    if (s->unwatch_node)
        s->unwatch_node(s, n);
    for (size_t i = 0; n->heap_mask && i < n->desc->nprops; i++)
        if (n->heap_mask & (1u << i))
            free(*(char **)pn__prop_ptr(n, &n->desc->props[i]));
    if (n->desc->fini)
        n->desc->fini(n);
    s->by_id[n->id] = NULL; /* an event for it now: unknown-id */
    if (n->own) {
        pn__arena_fini(&n->mem);
        free(n);
    }
}

void pn_remove_at(pn_node *n, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_remove"))
        return;
    pn_session *s = n->s;
    if (pn__is_root(n))
        return;
    if (on_client(n)) { /* the client removes it (and its subtree) */
        if (s->nremoved == s->removed_cap) {
            s->removed_cap = s->removed_cap ? s->removed_cap * 2 : 8;
            s->removed = pn__xrealloc(s->removed, s->removed_cap * sizeof *s->removed);
        }
        s->removed[s->nremoved++] = n->id;
        if (!s->dirty && !s->title_dirty && s->on_dirty)
            s->on_dirty(s); /* a patch must go out */
    }
    pn_node *was_in = on_client(n) ? n->parent : NULL;
    if (n->parent) {
        pn_node **p = &n->parent->first, *prev = NULL;
        while (*p != n)
            prev = *p, p = &(*p)->next;
        *p = n->next;
        if (n->parent->last == n)
            n->parent->last = prev;
        n->parent = n->next = NULL;
    }
    if (was_in && was_in->desc->children_changed)
        was_in->desc->children_changed(was_in);
    /* the subtree, children before their parent (post-order by the links, no recursion) */
    pn_node *m = n;
    while (m->first)
        m = m->first;
    for (;;) {
        pn_node *next = m == n ? NULL : m->next, *up = m->parent;
        destroy(m);
        if (!next && m == n)
            break;
        if (next) {
            m = next;
            while (m->first)
                m = m->first;
        } else {
            up->first = NULL; /* its children are gone */
            m = up;
        }
    }
}

void pn_replace_at(pn_node *old, pn_node *by, pn_here here)
{
    if (!old || !pn__session_owned(old->s, here, "pn_replace"))
        return;
    pn_node *parent = old->parent;
    if (!parent) {
        pn__session_misuse(old->s, here, "pn_replace: the %s (made at %s:%d) is not in the page",
                           old->desc->name, old->here.file ? old->here.file : "?", old->here.line);
        return;
    }
    if (!by || by->parent || by == old) {
        pn__session_misuse(old->s, here, "pn_replace: %s",
                           !by         ? "NULL replacement"
                           : by == old ? "a node by itself"
                                       : "the replacement has a "
                                         "parent already");
        return;
    }
    size_t index = 0;
    for (pn_node *c = parent->first; c != old; c = c->next)
        index++;
    pn_remove_at(old, here);
    attach(parent, by, index, here);
}

pn_node *pn_size_set(pn_node *n, const pn_size_opts *o, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_size"))
        return n;
    pn_size_opts z = o ? *o : (pn_size_opts){0};
    int *px[] = {&z.width, &z.height, &z.min_width, &z.max_width, &z.min_height, &z.max_height};
    for (size_t i = 0; i < sizeof px / sizeof *px; i++)
        if (*px[i] < 0 || *px[i] > 100000) {
            pn__session_misuse(n->s, here, "pn_size: %d px is not in 0..100000; ignored", *px[i]);
            *px[i] = 0;
        }
    if (z.col_span < 0 || z.col_span > 64 || z.row_span < 0 || z.row_span > 64) {
        pn__session_misuse(n->s, here, "pn_size: spans are 1..64; ignored");
        z.col_span = z.row_span = 0;
    }
    pn_size_opts *copy = n->size ? (pn_size_opts *)(uintptr_t)n->size /* its own copy */
                                 : pn__arena_alloc(pn__node_arena(n), sizeof *copy);
    *copy = z;
    n->size = copy;
    pn__node_mark(n, 28);
    return n;
}

void pn_set_visible_at(pn_node *n, bool visible, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_set_visible") || n->hidden == !visible)
        return;
    n->hidden = !visible;
    pn__node_mark(n, 30);
    if (n->parent && n->parent->desc->children_changed)
        n->parent->desc->children_changed(n->parent); /* Tabs: its tab follows */
}

bool pn_visible(const pn_node *n)
{
    return n && !n->hidden;
}

void pn_servable_add(pn_session *s, pn_node *node, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_servable"))
        return;
    attach(s->root, node, SIZE_MAX, here);
}

void pn_sidebar_add(pn_session *s, pn_node *node, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_sidebar"))
        return;
    attach(s->sidebar, node, SIZE_MAX, here);
}
