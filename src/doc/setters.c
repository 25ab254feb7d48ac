/*
 * setters: how a live session's tree changes. Every change — a setter the app calls, or a
 * widget event from the browser — goes through pn__node_set, which validates the value against
 * the property's type and its kind's check, stores it (strings on the heap, owned by the node,
 * the previous copy freed), and marks the property dirty so the server can send a patch. The
 * public setters of pane.h (in each kind's file) are pn__setter calls; events come through
 * pn__node_event.
 */
#include <math.h>
#include <stdlib.h>

#include "doc/doc.h"

const struct pn_prop *pn__prop_find(const struct pn_kind *d, pn_str name)
{
    for (size_t i = 0; i < d->nprops; i++)
        if (pn__str_eq(pn__str(d->props[i].name), name))
            return &d->props[i];
    return NULL;
}

void pn__node_mark(pn_node *n, unsigned idx)
{
    pn_session *s = n->s;
    if (!n->dirty_listed) {
        n->dirty_listed = true;
        bool first = s->dirty == NULL && !s->title_dirty;
        n->dirty_next = s->dirty;
        s->dirty = n;
        n->dirty_mask = 1u << idx;
        if (first && s->on_dirty)
            s->on_dirty(s);
        return;
    }
    n->dirty_mask |= 1u << idx;
}

void pn__node_touch(pn_node *n)
{
    pn__node_mark(n, 31);
}

static void set_heap_str(pn_node *n, unsigned idx, const char **field, const char *v)
{
    if (n->heap_mask & (1u << idx))
        free((char *)(uintptr_t)*field);
    *field = pn__xstrdup(v);
    n->heap_mask |= 1u << idx;
}

int pn__node_set(pn_node *n, const struct pn_prop *p, const struct pn_value *given,
                 const char **why)
{
    if (!p)
        return *why = "no such property", PN_EINVAL;
    unsigned idx = pn__prop_index(n->desc, p);
    void *field = pn__prop_ptr(n, p);
    struct pn_value v = *given;
    char *fixed = NULL; /* a string made valid UTF-8 (U+FFFD), compared and stored as such */
    const char **list = NULL; /* a PN_PROP_STRS value: the heap copy the check rewrites */
    int rc = 0;
    switch (p->type) {
    case PN_PROP_BOOL:
        if (v.type != PN_V_BOOL)
            return *why = "expected true or false", PN_EINVAL;
        break;
    case PN_PROP_DOUBLE:
        if (v.type != PN_V_NUM || !isfinite(v.num))
            return *why = "expected a finite number", PN_EINVAL;
        break;
    case PN_PROP_LONG:
    case PN_PROP_INT:
        if (v.type != PN_V_NUM || !isfinite(v.num) || v.num != floor(v.num))
            return *why = "expected a whole number", PN_EINVAL;
        if (v.num < -9.0e15 || v.num > 9.0e15 ||
            (p->type == PN_PROP_INT && (v.num < -2147483647.0 || v.num > 2147483647.0)))
            return *why = "number out of range", PN_EINVAL;
        break;
    case PN_PROP_STR:
    case PN_PROP_RAW: {
        if (v.type != PN_V_STR || !v.str)
            return *why = "expected a string", PN_EINVAL;
        size_t len = strlen(v.str);
        if (pn__utf8_valid_prefix(v.str, len) != len)
            v.str = fixed = pn__xstrdup_utf8(v.str);
        break;
    }
    case PN_PROP_STRS:
        if (v.type != PN_V_STRS)
            return *why = "expected a list of strings", PN_EINVAL;
        if (v.n > PN_MAX_LIST)
            return *why = "too many items", PN_EINVAL;
        if (!n->desc->check || !(p->flags & PN_PF_EVENT)) /* options are fixed at build */
            return *why = "not settable", PN_EINVAL;
        /* the check's own copy, NULL-terminated: it makes each item one of the node's */
        list = pn__xmalloc((v.n + 1) * sizeof *list);
        for (size_t i = 0; i < v.n; i++)
            list[i] = v.strs[i];
        v.strs = list;
        break;
    default:
        return *why = "not settable", PN_EINVAL;
    }
    if (n->desc->check && (rc = n->desc->check(n, p, &v, why)) != 0)
        goto out;
    rc = 1; /* unchanged, unless a case below stores it */
    switch (p->type) {
    case PN_PROP_BOOL:
        if (*(bool *)field != v.b)
            *(bool *)field = v.b, rc = 0;
        break;
    case PN_PROP_DOUBLE:
        if (*(double *)field != v.num)
            *(double *)field = v.num, rc = 0;
        break;
    case PN_PROP_LONG:
        if (*(long *)field != (long)v.num)
            *(long *)field = (long)v.num, rc = 0;
        break;
    case PN_PROP_INT:
        if (*(int *)field != (int)v.num)
            *(int *)field = (int)v.num, rc = 0;
        break;
    case PN_PROP_STRS: {
        const char ***lp = field;
        list[v.n] = NULL;
        size_t k = 0;
        while (*lp && (*lp)[k] && k < v.n && strcmp((*lp)[k], list[k]) == 0)
            k++;
        if (k == v.n && (!*lp || !(*lp)[k]))
            break; /* the same list */
        if (n->heap_mask & (1u << idx))
            free(*lp);
        *lp = list, list = NULL; /* the node's now */
        n->heap_mask |= 1u << idx;
        rc = 0;
        break;
    }
    default: { /* strings */
        const char **sp = field;
        if (*sp && strcmp(*sp, v.str) == 0)
            break;
        if (v.str == given->str || v.str == fixed) {
            set_heap_str(n, idx, sp, v.str);
        } else { /* the check gave a string of the node's own (Select: one of its options) */
            if (n->heap_mask & (1u << idx))
                free((char *)(uintptr_t)*sp);
            n->heap_mask &= ~(1u << idx);
            *sp = v.str;
        }
        rc = 0;
    }
    }
    if (rc == 0)
        pn__node_mark(n, idx);
    rc = rc == 1 ? 0 : rc;
out:
    free(fixed);
    free(list);
    return rc;
}

pn_node *pn__session_take_dirty(pn_session *s)
{
    pn_node *list = s->dirty;
    s->dirty = NULL;
    return list;
}

void pn__session_walk(pn_session *s, void (*fn)(pn_node *n, void *ud), void *ud)
{
    /* pre-order by the parent links: no recursion, whatever the tree's depth */
    pn_node *root = s->root, *n = root->first;
    while (n) {
        fn(n, ud);
        if (n->first) {
            n = n->first;
            continue;
        }
        while (n != root && !n->next)
            n = n->parent;
        n = n == root ? NULL : n->next;
    }
}

pn_node *pn__session_find(pn_session *s, uint32_t id)
{
    return id >= 1 && id <= s->next_id ? s->by_id[id] : NULL;
}

const char *pn__session_title(const pn_session *s)
{
    if (s->title_heap)
        return s->title_heap;
    return s->tmpl.title ? s->tmpl.title : s->app_name;
}

/* ---- the public setters and events ---- */

void pn__setter(pn_node *n, const struct pn_kind *const *kinds, const char *name,
                struct pn_value v, const char *api, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, api))
        return;
    const struct pn_prop *p = pn__prop_find(n->desc, pn__str(name));
    bool ok = p != NULL && !(p->flags & PN_PF_HIDDEN);
    if (ok && kinds) {
        ok = false;
        for (const struct pn_kind *const *k = kinds; *k; k++)
            ok |= n->desc == *k;
    }
    if (!ok) {
        pn__session_misuse(n->s, here, "%s called on a %s (made at %s:%d)", api, n->desc->name,
                           n->here.file ? n->here.file : "?", n->here.line);
        return;
    }
    const char *why = NULL;
    if (pn__node_set(n, p, &v, &why) != 0)
        pn__session_misuse(n->s, here, "%s: %s; the %s made at %s:%d keeps its value", api, why,
                           n->desc->name, n->here.file ? n->here.file : "?", n->here.line);
}

bool pn__node_disabled(pn_node *n)
{
    const struct pn_prop *dp = pn__prop_find(n->desc, PN_STRLIT("disabled"));
    return dp && dp->type == PN_PROP_BOOL && *(bool *)pn__prop_ptr(n, dp);
}

struct pn_call pn__node_callback(pn_node *n)
{
    struct pn_call c = {0};
    for (size_t i = 0; i < n->desc->nprops; i++) {
        const struct pn_prop *q = &n->desc->props[i];
        if (q->type == PN_PROP_FN)
            c.fn = *(pn_callback *)pn__prop_ptr(n, q);
        else if (q->type == PN_PROP_ARG)
            c.arg = *(void **)pn__prop_ptr(n, q);
    }
    return c;
}

const char *pn__node_event(pn_node *n, pn_str prop, const struct pn_value *v,
                           struct pn_call *call, const char **why)
{
    *call = (struct pn_call){0};
    if (!pn__kind_is_widget(n->desc))
        return *why = "this component takes no events", "not-a-widget";
    if (n->desc->event)
        return n->desc->event(n, prop, v, call, why);
    const struct pn_prop *p = pn__prop_find(n->desc, prop);
    if (!p || !(p->flags & PN_PF_EVENT))
        return *why = "this property cannot be set by the client", "bad-prop";
    if (pn__node_disabled(n))
        return NULL; /* a disabled widget takes no value (and runs no callback) */
    uint32_t was_dirty = n->dirty_mask;
    if (pn__node_set(n, p, v, why) != 0)
        return "bad-value";
    /* the client already shows its own change: do not echo it back */
    unsigned bit = 1u << pn__prop_index(n->desc, p);
    if (!(was_dirty & bit))
        n->dirty_mask &= ~bit;
    *call = pn__node_callback(n);
    return NULL;
}

void pn_title_set_at(pn_session *s, const char *title, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_title_set"))
        return;
    char *t = pn__xstrdup_utf8(title ? title : ""); /* valid UTF-8 (U+FFFD) */
    if (strcmp(pn__session_title(s), t) == 0) {
        free(t);
        return;
    }
    free(s->title_heap);
    s->title_heap = t;
    bool first = s->dirty == NULL && !s->title_dirty;
    s->title_dirty = true;
    if (first && s->on_dirty)
        s->on_dirty(s);
}

