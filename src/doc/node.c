/*
 * node: the component kinds' descriptor tables and the builders of pane.h. A builder copies
 * its options into the session's arena (strings deep-copied, as lvgl's setters do, and made
 * valid UTF-8: an app's cut multibyte character or Latin-1 byte becomes U+FFFD), validates
 * them — recording misuse with the app's file and line and falling back to the default — and
 * links the children given in .items. Builders never fail.
 */
#include "doc/doc.h"

#define PROP(T, field, type) {#field, type, offsetof(T, field), 0}
#define EVENT(T, field, type) {#field, type, offsetof(T, field), PN_PF_EVENT}
#define HIDDEN(T, field, type) {#field, type, offsetof(T, field), PN_PF_HIDDEN}
#define CALLBACK(T, fn) HIDDEN(T, fn, PN_PROP_FN), HIDDEN(T, arg, PN_PROP_ARG)

static const struct pn_prop row_props[] = {
    PROP(pn_row_opts, items, PN_PROP_ITEMS),
};
static const struct pn_prop card_props[] = {
    PROP(pn_card_opts, items, PN_PROP_ITEMS),
    PROP(pn_card_opts, title, PN_PROP_STR),
    PROP(pn_card_opts, hide_header, PN_PROP_BOOL),
    PROP(pn_card_opts, collapsed, PN_PROP_BOOL),
};
static const struct pn_prop number_props[] = {
    PROP(pn_number_opts, name, PN_PROP_STR),
    PROP(pn_number_opts, value, PN_PROP_DOUBLE),
    PROP(pn_number_opts, format, PN_PROP_STR),
    PROP(pn_number_opts, colors, PN_PROP_COLORS),
    PROP(pn_number_opts, default_color, PN_PROP_STR),
    PROP(pn_number_opts, font_size, PN_PROP_STR),
    PROP(pn_number_opts, title_size, PN_PROP_STR),
};
static const struct pn_prop markdown_props[] = {
    PROP(pn_markdown_opts, text, PN_PROP_STR),
};
static const struct pn_prop html_props[] = {
    PROP(pn_html_opts, html, PN_PROP_RAW),
};
static const struct pn_prop button_props[] = {
    PROP(pn_button_opts, label, PN_PROP_STR),
    PROP(pn_button_opts, button_type, PN_PROP_STR),
    PROP(pn_button_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_button_opts, on_click),
};
static const struct pn_prop toggle_props[] = {
    PROP(pn_toggle_opts, label, PN_PROP_STR),
    EVENT(pn_toggle_opts, value, PN_PROP_BOOL),
    PROP(pn_toggle_opts, button_type, PN_PROP_STR),
    PROP(pn_toggle_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_toggle_opts, on_change),
};
static const struct pn_prop checkbox_props[] = {
    PROP(pn_checkbox_opts, label, PN_PROP_STR),
    EVENT(pn_checkbox_opts, value, PN_PROP_BOOL),
    PROP(pn_checkbox_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_checkbox_opts, on_change),
};
static const struct pn_prop text_input_props[] = {
    PROP(pn_text_input_opts, name, PN_PROP_STR),
    EVENT(pn_text_input_opts, value, PN_PROP_STR),
    PROP(pn_text_input_opts, placeholder, PN_PROP_STR),
    PROP(pn_text_input_opts, max_length, PN_PROP_INT),
    PROP(pn_text_input_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_text_input_opts, on_change),
};
static const struct pn_prop int_slider_props[] = {
    PROP(pn_int_slider_opts, name, PN_PROP_STR),
    EVENT(pn_int_slider_opts, value, PN_PROP_LONG),
    PROP(pn_int_slider_opts, start, PN_PROP_LONG),
    PROP(pn_int_slider_opts, end, PN_PROP_LONG),
    PROP(pn_int_slider_opts, step, PN_PROP_LONG),
    PROP(pn_int_slider_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_int_slider_opts, on_change),
};
static const struct pn_prop float_slider_props[] = {
    PROP(pn_float_slider_opts, name, PN_PROP_STR),
    EVENT(pn_float_slider_opts, value, PN_PROP_DOUBLE),
    PROP(pn_float_slider_opts, start, PN_PROP_DOUBLE),
    PROP(pn_float_slider_opts, end, PN_PROP_DOUBLE),
    PROP(pn_float_slider_opts, step, PN_PROP_DOUBLE),
    PROP(pn_float_slider_opts, format, PN_PROP_STR),
    PROP(pn_float_slider_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_float_slider_opts, on_change),
};
static const struct pn_prop select_props[] = {
    PROP(pn_select_opts, name, PN_PROP_STR),
    PROP(pn_select_opts, options, PN_PROP_STRS),
    EVENT(pn_select_opts, value, PN_PROP_STR),
    PROP(pn_select_opts, disabled, PN_PROP_BOOL),
    CALLBACK(pn_select_opts, on_change),
};
#define column_props row_props

#define COUNT(a) (sizeof(a) / sizeof *(a))

const struct pn_kind_desc pn__kinds[PN_KIND_COUNT] = {
#define XX(E, c, n, T, kids)                                                                   \
    [PN_KIND_##E] = {PN_KIND_##E, n, "pn-" #c, sizeof(T), c##_props, COUNT(c##_props), kids},
    PN_KIND_MAP(XX)
#undef XX
};

const char pn_items_end; /* its address ends PN_ITEMS lists (pane.h) */

const struct pn_kind_desc *pn__kind_find(pn_str name)
{
    for (size_t i = 0; i < PN_KIND_COUNT; i++)
        if (pn__str_eq(pn__str(pn__kinds[i].name), name))
            return &pn__kinds[i];
    return NULL;
}

static bool is_ancestor(const pn_node *maybe, const pn_node *n)
{
    for (; n; n = n->parent)
        if (n == maybe)
            return true;
    return false;
}

/* Links child under parent, or records why it cannot. */
static void attach(pn_node *parent, pn_node *child, pn_here here)
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
    if (child->parent || child == &s->root) {
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
    level += top != &s->root;
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
    if (parent->last)
        parent->last->next = child;
    else
        parent->first = child;
    parent->last = child;
}

static const char *check_str(pn_session *s, pn_here here, const char *kind, const char *field,
                             const char *val, bool (*ok)(const char *))
{
    if (!val || ok(val))
        return val;
    pn__session_misuse(s, here, "%s.%s: \"%.60s\" is not valid; using the default", kind, field,
                       val);
    return NULL;
}

/* A format with a placeholder pane does not know ("{val:.2f}") would show as text: misuse. */
static const char *check_format(pn_session *s, pn_here here, const char *kind, const char *f)
{
    const char *why = pn__number_format_check(f);
    if (!why)
        return f;
    pn__session_misuse(s, here, "%s.format: \"%.60s\": %s; using \"{value}\"", kind, f, why);
    return NULL;
}

/* Copies the options into the arena and validates them. */
static void copy_opts(pn_node *n, const void *opts)
{
    pn_session *s = n->s;
    const struct pn_kind_desc *d = n->desc;
    if (opts)
        memcpy(&n->o, opts, d->opts_size);
    unsigned char *base = (unsigned char *)&n->o;
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
                attach(n, items[j], n->here); /* attach records a NULL child */
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

/* A new node in s's arena with its options copied; NULL (nothing touched) when called from
 * another thread than the session's, the one way a builder returns NULL. */
static pn_node *node_new(pn_session *s, enum pn_kind kind, const void *opts, pn_here here)
{
    if (!s || !pn__session_owned(s, here, pn__kinds[kind].name))
        return NULL;
    pn_node *n = pn__arena_alloc(&s->arena, sizeof *n);
    n->desc = &pn__kinds[kind];
    n->id = ++s->next_id;
    n->s = s;
    if (n->id >= s->by_id_cap) {
        s->by_id_cap = s->by_id_cap ? s->by_id_cap * 2 : 16;
        s->by_id = pn__xrealloc(s->by_id, s->by_id_cap * sizeof *s->by_id);
    }
    s->by_id[n->id] = n;
    n->here = here;
    copy_opts(n, opts);
    return n;
}

pn_node *pn_row_new(pn_session *s, const pn_row_opts *o, pn_here here)
{
    return node_new(s, PN_KIND_ROW, o, here);
}

pn_node *pn_column_new(pn_session *s, const pn_column_opts *o, pn_here here)
{
    return node_new(s, PN_KIND_COLUMN, o, here);
}

pn_node *pn_card_new(pn_session *s, const pn_card_opts *o, pn_here here)
{
    return node_new(s, PN_KIND_CARD, o, here);
}

pn_node *pn_number_new(pn_session *s, const pn_number_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_NUMBER, o, here);
    if (!n)
        return NULL;
    pn_number_opts *no = &n->o.number;
    no->default_color =
        check_str(s, here, "Number", "default_color", no->default_color, pn__css_color_ok);
    no->font_size = check_str(s, here, "Number", "font_size", no->font_size, pn__css_length_ok);
    no->title_size = check_str(s, here, "Number", "title_size", no->title_size, pn__css_length_ok);
    no->format = check_format(s, here, "Number", no->format);
    return n;
}

static const char *button_type_ok(pn_session *s, pn_here here, const char *t)
{
    static const char *const types[] = {"default", "primary", "success", "warning", "danger",
                                        "light"};
    if (!t)
        return "default";
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(t, types[i]) == 0)
            return t;
    pn__session_misuse(s, here, "button_type \"%.40s\" is not one of default, primary, success, "
                       "warning, danger, light", t);
    return "default";
}

pn_node *pn_button_new(pn_session *s, const pn_button_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_BUTTON, o, here);
    if (!n)
        return NULL;
    if (!n->o.button.label)
        n->o.button.label = "Button";
    n->o.button.button_type = button_type_ok(s, here, n->o.button.button_type);
    return n;
}

pn_node *pn_toggle_new(pn_session *s, const pn_toggle_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_TOGGLE, o, here);
    if (!n)
        return NULL;
    if (!n->o.toggle.label)
        n->o.toggle.label = "Toggle";
    n->o.toggle.button_type = button_type_ok(s, here, n->o.toggle.button_type);
    return n;
}

pn_node *pn_checkbox_new(pn_session *s, const pn_checkbox_opts *o, pn_here here)
{
    return node_new(s, PN_KIND_CHECKBOX, o, here);
}

#define TEXT_MAX 100000

pn_node *pn_text_input_new(pn_session *s, const pn_text_input_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_TEXT_INPUT, o, here);
    if (!n)
        return NULL;
    pn_text_input_opts *t = &n->o.text_input;
    if (t->max_length <= 0 || t->max_length > TEXT_MAX) {
        if (t->max_length)
            pn__session_misuse(s, here, "TextInput.max_length %d is not in 1..%d", t->max_length,
                               TEXT_MAX);
        t->max_length = 1000;
    }
    if (!t->value)
        t->value = "";
    return n;
}

pn_node *pn_int_slider_new(pn_session *s, const pn_int_slider_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_INT_SLIDER, o, here);
    if (!n)
        return NULL;
    pn_int_slider_opts *t = &n->o.int_slider;
    if (t->start == 0 && t->end == 0)
        t->end = 100;
    if (t->end < t->start) {
        pn__session_misuse(s, here, "IntSlider: end %ld is below start %ld", t->end, t->start);
        t->end = t->start;
    }
    if (t->step <= 0)
        t->step = 1;
    if (t->value < t->start || t->value > t->end) {
        if (o->value)
            pn__session_misuse(s, here, "IntSlider: value %ld is outside %ld..%ld", t->value,
                               t->start, t->end);
        t->value = t->value < t->start ? t->start : t->end;
    }
    return n;
}

pn_node *pn_float_slider_new(pn_session *s, const pn_float_slider_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_FLOAT_SLIDER, o, here);
    if (!n)
        return NULL;
    pn_float_slider_opts *t = &n->o.float_slider;
    if (!(t->start == t->start) || !(t->end == t->end) || !(t->value == t->value)) {
        pn__session_misuse(s, here, "FloatSlider: NaN in start, end or value");
        t->start = 0, t->end = 1, t->value = 0;
    }
    if (t->start == 0 && t->end == 0)
        t->end = 1;
    if (t->end < t->start) {
        pn__session_misuse(s, here, "FloatSlider: end %g is below start %g", t->end, t->start);
        t->end = t->start;
    }
    if (!(t->step > 0))
        t->step = t->end > t->start ? (t->end - t->start) / 100 : 1;
    t->format = check_format(s, here, "FloatSlider", t->format);
    if (t->value < t->start || t->value > t->end) {
        if (o->value != 0)
            pn__session_misuse(s, here, "FloatSlider: value %g is outside %g..%g", t->value,
                               t->start, t->end);
        t->value = t->value < t->start ? t->start : t->end;
    }
    return n;
}

pn_node *pn_select_new(pn_session *s, const pn_select_opts *o, pn_here here)
{
    pn_node *n = node_new(s, PN_KIND_SELECT, o, here);
    if (!n)
        return NULL;
    pn_select_opts *t = &n->o.select;
    if (!t->options) {
        pn__session_misuse(s, here, "Select without options");
        static const char *const none[] = {NULL};
        t->options = none;
    }
    const char *match = NULL;
    for (size_t i = 0; t->options[i]; i++)
        if (t->value && strcmp(t->options[i], t->value) == 0)
            match = t->options[i];
    if (t->value && !match)
        pn__session_misuse(s, here, "Select: value \"%.40s\" is not one of the options", t->value);
    t->value = match ? match : t->options[0];
    return n;
}

pn_node *pn_markdown_new(pn_session *s, const pn_markdown_opts *o, pn_here here)
{
    return node_new(s, PN_KIND_MARKDOWN, o, here);
}

pn_node *pn_html_new(pn_session *s, const pn_html_opts *o, pn_here here)
{
    return node_new(s, PN_KIND_HTML, o, here);
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
    attach(parent, child, here);
}

void pn_servable_add(pn_session *s, pn_node *node, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_servable"))
        return;
    attach(&s->root, node, here);
}
