/*
 * setters: how a live session's tree changes. Every change — a setter the app calls, or a
 * widget event from the browser — goes through pn__node_set, which validates the value against
 * the property's descriptor, stores it (strings on the heap, owned by the node, the previous
 * copy freed), and marks the property dirty so the server can send a patch. The public setters
 * and getters of pane.h are thin wrappers around it.
 */
#include <math.h>
#include <stdlib.h>

#include "doc/doc.h"

const struct pn_prop *pn__prop_find(const struct pn_kind_desc *d, pn_str name)
{
    for (size_t i = 0; i < d->nprops; i++)
        if (pn__str_eq(pn__str(d->props[i].name), name))
            return &d->props[i];
    return NULL;
}

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void mark(pn_node *n, unsigned idx)
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

static void set_heap_str(pn_node *n, unsigned idx, const char **field, const char *v)
{
    if (n->heap_mask & (1u << idx))
        free((char *)(uintptr_t)*field);
    *field = pn__xstrdup(v);
    n->heap_mask |= 1u << idx;
}

int pn__node_set(pn_node *n, const struct pn_prop *p, const struct pn_value *v, const char **why)
{
    unsigned idx = pn__prop_index(n->desc, p);
    void *field = pn__prop_ptr(n, p);
    enum pn_kind k = n->desc->kind;
    switch (p->type) {
    case PN_PROP_BOOL:
        if (v->type != PN_V_BOOL)
            return *why = "expected true or false", PN_EINVAL;
        if (*(bool *)field == v->b)
            return 0;
        *(bool *)field = v->b;
        break;
    case PN_PROP_DOUBLE: {
        if (v->type != PN_V_NUM || !isfinite(v->num))
            return *why = "expected a finite number", PN_EINVAL;
        double x = v->num;
        if (k == PN_KIND_FLOAT_SLIDER) {
            const pn_float_slider_opts *o = &n->o.float_slider;
            x = x < o->start ? o->start : x > o->end ? o->end : x;
        }
        if (*(double *)field == x)
            return 0;
        *(double *)field = x;
        break;
    }
    case PN_PROP_LONG:
    case PN_PROP_INT: {
        if (v->type != PN_V_NUM || !isfinite(v->num) || v->num != floor(v->num))
            return *why = "expected a whole number", PN_EINVAL;
        if (v->num < -9.0e15 || v->num > 9.0e15)
            return *why = "number out of range", PN_EINVAL;
        long x = (long)v->num;
        if (k == PN_KIND_INT_SLIDER) {
            const pn_int_slider_opts *o = &n->o.int_slider;
            x = x < o->start ? o->start : x > o->end ? o->end : x;
        }
        if (p->type == PN_PROP_INT) {
            if (x < -2147483647L || x > 2147483647L)
                return *why = "number out of range", PN_EINVAL;
            if (*(int *)field == (int)x)
                return 0;
            *(int *)field = (int)x;
        } else {
            if (*(long *)field == x)
                return 0;
            *(long *)field = x;
        }
        break;
    }
    case PN_PROP_STR:
    case PN_PROP_RAW: {
        if (v->type != PN_V_STR || !v->str)
            return *why = "expected a string", PN_EINVAL;
        size_t len = strlen(v->str);
        if (pn__utf8_valid_prefix(v->str, len) != len) {
            /* strings enter the tree as valid UTF-8 (U+FFFD), and are compared as such */
            struct pn_value fixed = *v;
            fixed.str = pn__xstrdup_utf8(v->str);
            int rc = pn__node_set(n, p, &fixed, why);
            free((char *)(uintptr_t)fixed.str);
            return rc;
        }
        const char **sp = field;
        if (*sp && strcmp(*sp, v->str) == 0)
            return 0;
        if (k == PN_KIND_SELECT && strcmp(p->name, "value") == 0) {
            const char *match = NULL;
            for (const char *const *o = n->o.select.options; o && *o; o++)
                if (strcmp(*o, v->str) == 0)
                    match = *o;
            if (!match)
                return *why = "not one of the options", PN_EINVAL;
            *sp = match; /* the arena's copy: nothing to own */
            break;
        }
        if (k == PN_KIND_TEXT_INPUT && strcmp(p->name, "value") == 0 &&
            utf8_chars(v->str) > (size_t)n->o.text_input.max_length)
            return *why = "longer than max_length", PN_EINVAL;
        if (strcmp(p->name, "default_color") == 0 && !pn__css_color_ok(v->str))
            return *why = "not a CSS colour", PN_EINVAL;
        if (strcmp(p->name, "format") == 0 && (*why = pn__number_format_check(v->str)))
            return PN_EINVAL;
        set_heap_str(n, idx, sp, v->str);
        break;
    }
    default:
        return *why = "not settable", PN_EINVAL;
    }
    mark(n, idx);
    return 0;
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
    pn_node *root = &s->root, *n = root->first;
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

/* ---- the public setters and getters ---- */

/* Sets prop `name` of n if n is of one of the kinds (a mask of 1 << kind) and the caller is
 * n's session's thread; misuse (at here, the setter's call) otherwise. */
static void set(pn_node *n, unsigned kinds, const char *name, struct pn_value v, const char *api,
                pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, api))
        return;
    if (!(kinds & (1u << n->desc->kind))) {
        pn__session_misuse(n->s, here, "%s called on a %s (made at %s:%d)", api, n->desc->name,
                           n->here.file ? n->here.file : "?", n->here.line);
        return;
    }
    const struct pn_prop *p = pn__prop_find(n->desc, pn__str(name));
    const char *why = NULL;
    if (pn__node_set(n, p, &v, &why) != 0)
        pn__session_misuse(n->s, here, "%s: %s; the %s made at %s:%d keeps its value", api, why,
                           n->desc->name, n->here.file ? n->here.file : "?", n->here.line);
}

#define K(kind) (1u << PN_KIND_##kind)
#define NUM(x) ((struct pn_value){.type = PN_V_NUM, .num = (x)})
#define STR(x) ((struct pn_value){.type = PN_V_STR, .str = (x) ? (x) : ""})
#define BOOL(x) ((struct pn_value){.type = PN_V_BOOL, .b = (x)})
#define WIDGETS                                                                                 \
    (K(BUTTON) | K(TOGGLE) | K(CHECKBOX) | K(TEXT_INPUT) | K(INT_SLIDER) | K(FLOAT_SLIDER) |   \
     K(SELECT))

void pn_number_set_value_at(pn_node *n, double v, pn_here here)
{
    set(n, K(NUMBER), "value", NUM(v), "pn_number_set_value", here);
}
void pn_number_set_name_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(NUMBER), "name", STR(v), "pn_number_set_name", here);
}
void pn_number_set_format_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(NUMBER), "format", STR(v), "pn_number_set_format", here);
}
void pn_markdown_set_text_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(MARKDOWN), "text", STR(v), "pn_markdown_set_text", here);
}
void pn_html_set_html_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(HTML), "html", STR(v), "pn_html_set_html", here);
}
void pn_card_set_title_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(CARD), "title", STR(v), "pn_card_set_title", here);
}
void pn_card_set_collapsed_at(pn_node *n, bool v, pn_here here)
{
    set(n, K(CARD), "collapsed", BOOL(v), "pn_card_set_collapsed", here);
}
void pn_button_set_label_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(BUTTON) | K(TOGGLE), "label", STR(v), "pn_button_set_label", here);
}
void pn_widget_set_disabled_at(pn_node *n, bool v, pn_here here)
{
    set(n, WIDGETS, "disabled", BOOL(v), "pn_widget_set_disabled", here);
}
void pn_toggle_set_value_at(pn_node *n, bool v, pn_here here)
{
    set(n, K(TOGGLE) | K(CHECKBOX), "value", BOOL(v), "pn_toggle_set_value", here);
}
void pn_text_input_set_value_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(TEXT_INPUT), "value", STR(v), "pn_text_input_set_value", here);
}
void pn_int_slider_set_value_at(pn_node *n, long v, pn_here here)
{
    set(n, K(INT_SLIDER), "value", NUM((double)v), "pn_int_slider_set_value", here);
}
void pn_float_slider_set_value_at(pn_node *n, double v, pn_here here)
{
    set(n, K(FLOAT_SLIDER), "value", NUM(v), "pn_float_slider_set_value", here);
}
void pn_select_set_value_at(pn_node *n, const char *v, pn_here here)
{
    set(n, K(SELECT), "value", STR(v), "pn_select_set_value", here);
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

long pn_button_clicks(const pn_node *n)
{
    return n && n->desc->kind == PN_KIND_BUTTON ? n->clicks : 0;
}
bool pn_toggle_value(const pn_node *n)
{
    if (n && n->desc->kind == PN_KIND_TOGGLE)
        return n->o.toggle.value;
    return n && n->desc->kind == PN_KIND_CHECKBOX ? n->o.checkbox.value : false;
}
const char *pn_text_input_value(const pn_node *n)
{
    return n && n->desc->kind == PN_KIND_TEXT_INPUT ? n->o.text_input.value : "";
}
long pn_int_slider_value(const pn_node *n)
{
    return n && n->desc->kind == PN_KIND_INT_SLIDER ? n->o.int_slider.value : 0;
}
double pn_float_slider_value(const pn_node *n)
{
    return n && n->desc->kind == PN_KIND_FLOAT_SLIDER ? n->o.float_slider.value : 0;
}
const char *pn_select_value(const pn_node *n)
{
    return n && n->desc->kind == PN_KIND_SELECT && n->o.select.value ? n->o.select.value : "";
}
