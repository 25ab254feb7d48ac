/*
 * node: making a node of any kind. pn__node_new (which every kind's builder in src/kinds calls)
 * copies the options into the session's arena (strings deep-copied, as lvgl's setters do, and
 * made valid UTF-8: an app's cut multibyte character or Latin-1 byte becomes U+FFFD), checks
 * what the prop types say (colours), links the children given in .items and hands the node to
 * its kind's init for defaults and the kind's own checks — misuse is recorded with the app's
 * file and line and the default used. Builders never fail.
 */
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
    return n == n->s->root;
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
    if (child->parent || child == s->root) {
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
    level += top != s->root;
    if (level + 1u + child->height > PN_MAX_DEPTH) {
        pn__session_misuse(s, here, "%s (made at %s:%d) not added: the tree would be deeper "
                           "than %d levels", child->desc->name, child->here.file,
                           child->here.line, PN_MAX_DEPTH);
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
            *sp = pn__arena_strdup_utf8(&s->arena, *sp);
            break;
        }
        case PN_PROP_COLORS: {
            const pn_color_stop **cp = field;
            if (!*cp)
                break;
            size_t k = 0;
            while ((*cp)[k].color)
                k++;
            pn_color_stop *copy = pn__arena_alloc(&s->arena, (k + 1) * sizeof *copy);
            size_t m = 0;
            for (size_t j = 0; j < k; j++) {
                if (!pn__css_color_ok((*cp)[j].color)) {
                    pn__session_misuse(s, n->here, "%s.colors: \"%.60s\" is not a CSS colour",
                                       d->name, (*cp)[j].color);
                    continue;
                }
                copy[m].below = (*cp)[j].below;
                copy[m++].color = pn__arena_strdup_utf8(&s->arena, (*cp)[j].color);
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
            const char **copy = pn__arena_alloc(&s->arena, (k + 1) * sizeof *copy);
            for (size_t j = 0; j < k; j++)
                copy[j] = pn__arena_strdup_utf8(&s->arena, (*lp)[j]);
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
    pn_node *n = pn__arena_alloc(&s->arena, size); /* zeroed */
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
        pn__session_misuse(parent->s, here, "pn_append: %s has no children",
                           parent->desc->name);
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
        pn__session_misuse(parent->s, here, "pn_insert: %s has no children",
                           parent->desc->name);
        return;
    }
    attach(parent, child, index, here);
}

void pn_set_visible_at(pn_node *n, bool visible, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_set_visible") || n->hidden == !visible)
        return;
    n->hidden = !visible;
    pn__node_mark(n, 30);
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
