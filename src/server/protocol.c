/*
 * protocol: the JSON messages of docs/internals/protocol.md. Parsing client messages is a pure
 * function (fuzzed: fuzz/fuzz_message.c) that bounds nesting before jansson sees the bytes and
 * checks every field's type; encoding turns a session's tree (through the kind descriptors)
 * and its dirty properties into `doc` and `patch` messages.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "doc/doc.h"
#include "render/render.h"
#include "server/server.h"

#define MAX_DEPTH 32
#define MAX_QUERY 8192

/* Deepest nesting of [ and { outside strings; a cheap guard against stack-hungry input. */
static int json_depth(const char *p, size_t n)
{
    int depth = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max)
                max = depth;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return max;
}

void pn__msg_free(struct pn_msg *m)
{
    if (m->json)
        json_decref(m->json);
    m->json = NULL;
}

int pn__msg_parse(const char *data, size_t len, struct pn_msg *m, const char **why)
{
    memset(m, 0, sizeof *m);
    if (json_depth(data, len) > MAX_DEPTH)
        return *why = "nested too deep", PN_EPARSE;
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return *why = "not JSON", PN_EPARSE;
    m->json = root;
    if (!json_is_object(root))
        return *why = "not a JSON object", PN_EPARSE;
    const char *t = json_string_value(json_object_get(root, "t"));
    if (!t)
        return *why = "missing \"t\"", PN_EPARSE;
    if (!strcmp(t, "hello")) {
        m->type = PN_MSG_HELLO;
        json_t *v = json_object_get(root, "v");
        if (!json_is_integer(v))
            return *why = "hello: \"v\" must be an integer", PN_EPARSE;
        m->version = json_integer_value(v);
        json_t *tok = json_object_get(root, "token");
        if (tok && !json_is_null(tok) && !json_is_string(tok))
            return *why = "hello: \"token\" must be a string or null", PN_EPARSE;
        if (json_is_string(tok))
            m->token = (pn_str){json_string_value(tok), json_string_length(tok)};
        json_t *q = json_object_get(root, "query");
        if (q && !json_is_string(q))
            return *why = "hello: \"query\" must be a string", PN_EPARSE;
        if (q) {
            m->query = (pn_str){json_string_value(q), json_string_length(q)};
            if (m->query.len > MAX_QUERY)
                return *why = "hello: query too long", PN_EPARSE;
            if (memchr(m->query.ptr, '\0', m->query.len))
                return *why = "hello: NUL in query", PN_EPARSE;
        }
        return 0;
    }
    if (!strcmp(t, "event")) {
        m->type = PN_MSG_EVENT;
        json_t *id = json_object_get(root, "id");
        if (!json_is_integer(id) || json_integer_value(id) < 1 ||
            json_integer_value(id) > UINT32_MAX)
            return *why = "event: \"id\" must be a positive integer", PN_EPARSE;
        m->id = (uint32_t)json_integer_value(id);
        json_t *prop = json_object_get(root, "prop");
        if (!json_is_string(prop))
            return *why = "event: \"prop\" must be a string", PN_EPARSE;
        m->prop = (pn_str){json_string_value(prop), json_string_length(prop)};
        json_t *v = json_object_get(root, "value");
        if (!v || json_is_null(v)) {
            m->value.type = PN_V_NONE;
        } else if (json_is_boolean(v)) {
            m->value = (struct pn_value){.type = PN_V_BOOL, .b = json_is_true(v)};
        } else if (json_is_number(v)) {
            m->value = (struct pn_value){.type = PN_V_NUM, .num = json_number_value(v)};
        } else if (json_is_string(v)) {
            if (memchr(json_string_value(v), '\0', json_string_length(v)))
                return *why = "event: NUL in value", PN_EPARSE;
            m->value = (struct pn_value){.type = PN_V_STR, .str = json_string_value(v)};
        } else {
            return *why = "event: \"value\" must be a boolean, number or string", PN_EPARSE;
        }
        return 0;
    }
    if (!strcmp(t, "ping")) {
        m->type = PN_MSG_PING;
        m->ping = json_object_get(root, "n");
        return 0;
    }
    return *why = "unknown message type", PN_EPARSE;
}

/* ---- encoding ---- */

static json_t *prop_json(const pn_node *n, const struct pn_prop *p)
{
    const void *f = pn__prop_cptr(n, p);
    switch (p->type) {
    case PN_PROP_STR:
    case PN_PROP_RAW: {
        const char *s = *(const char *const *)f;
        return s ? json_string(s) : json_null();
    }
    case PN_PROP_BOOL:
        return json_boolean(*(const bool *)f);
    case PN_PROP_DOUBLE: {
        double d = *(const double *)f;
        return isfinite(d) ? json_real(d) : json_null();
    }
    case PN_PROP_LONG:
        return json_integer(*(const long *)f);
    case PN_PROP_INT:
        return json_integer(*(const int *)f);
    case PN_PROP_COLORS: {
        json_t *a = json_array();
        for (const pn_color_stop *c = *(const pn_color_stop *const *)f; c && c->color; c++)
            json_array_append_new(a, json_pack("[fs]", c->below, c->color));
        return a;
    }
    case PN_PROP_STRS: {
        json_t *a = json_array();
        for (const char *const *s = *(const char *const *const *)f; s && *s; s++)
            json_array_append_new(a, json_string(*s));
        return a;
    }
    case PN_PROP_ITEMS:
    case PN_PROP_FN:
    case PN_PROP_ARG:
        break;
    }
    return NULL;
}

static bool encoded(const struct pn_prop *p)
{
    return !(p->flags & PN_PF_HIDDEN) && p->type != PN_PROP_ITEMS;
}

/* Sets props[name] = value; false when value is NULL (jansson refused it: a string that is not
 * UTF-8, which string intake makes impossible, or no memory) or could not be set. */
static bool set_new(json_t *obj, const char *name, json_t *value)
{
    return value && json_object_set_new(obj, name, value) == 0;
}

/* One node without its children: {"id", "kind", "props"} (+ "children": [] for a container,
 * filled by the caller). NULL when a value could not be encoded. */
static json_t *node_json(const pn_node *n)
{
    json_t *props = json_object();
    bool ok = props != NULL;
    for (size_t i = 0; ok && i < n->desc->nprops; i++)
        if (encoded(&n->desc->props[i]))
            ok = set_new(props, n->desc->props[i].name, prop_json(n, &n->desc->props[i]));
    if (ok && n->desc->kind == PN_KIND_BUTTON)
        ok = set_new(props, "clicks", json_integer(n->clicks));
    if (!ok) {
        json_decref(props);
        return NULL;
    }
    json_t *o = json_pack("{sIssso}", "id", (json_int_t)n->id, "kind", n->desc->name, "props", props);
    if (o && n->desc->container && !set_new(o, "children", json_array())) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The JSON tree of root's children, built without recursion (the tree's depth is bounded by
 * PN_MAX_DEPTH, but no stack frame is spent per level): a pre-order walk by the parent links,
 * keeping each open container's "children" array by depth. NULL when a node failed. */
static json_t *tree_json(const pn_node *root)
{
    json_t *kids[PN_MAX_DEPTH + 2];
    int depth = 0;
    kids[0] = json_array();
    if (!kids[0])
        return NULL;
    const pn_node *n = root->first;
    while (n) {
        json_t *o = node_json(n);
        if (!o || json_array_append_new(kids[depth], o) != 0) {
            json_decref(kids[0]);
            return NULL;
        }
        if (n->first && depth + 1 < PN_MAX_DEPTH + 1) { /* always true: attach bounds depth */
            kids[++depth] = json_object_get(o, "children");
            n = n->first;
            continue;
        }
        while (n != root && !n->next) {
            n = n->parent;
            depth--;
        }
        n = n == root ? NULL : n->next;
    }
    return kids[0];
}

/* Serialises j (taking it) into a heap string of at most max bytes. */
static int dump(json_t *j, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!j)
        return PN_EINVAL;
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s)
        return PN_EINVAL;
    size_t n = strlen(s);
    if (n > max) {
        free(s);
        return PN_ETOOBIG;
    }
    *out = s;
    *len = n;
    return 0;
}

int pn__msg_doc(pn_session *s, const char *token, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    struct pn_buf html;
    pn__buf_init(&html, max);
    for (const pn_node *c = s->root.first; c; c = c->next) {
        int rc = pn__render_node(&html, c);
        if (rc) {
            pn__buf_fini(&html);
            return rc;
        }
    }
    json_t *kids = tree_json(&s->root);
    json_t *h = json_stringn(html.data ? html.data : "", html.len);
    pn__buf_fini(&html);
    if (!kids || !h) {
        json_decref(kids);
        json_decref(h);
        return PN_EINVAL;
    }
    json_t *doc = json_pack("{sssisosssssoso}", "t", "doc", "v", 1, "token",
                            token ? json_string(token) : json_null(), "title",
                            pn__session_title(s), "template",
                            s->tmpl.name ? s->tmpl.name : "default", "html", h, "root", kids);
    return dump(doc, max, out, len);
}

static bool is_leaf_html(const pn_node *n)
{
    enum pn_kind k = n->desc->kind;
    return k == PN_KIND_NUMBER || k == PN_KIND_MARKDOWN || k == PN_KIND_HTML;
}

int pn__msg_patch(pn_session *s, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    pn_node *list = pn__session_take_dirty(s);
    json_t *ops = json_array();
    bool ok = ops != NULL;
    int rc = 0;
    if (s->title_dirty) {
        ok = ok && json_array_append_new(ops, json_pack("{ssss}", "op", "title", "title",
                                                        pn__session_title(s))) == 0;
        s->title_dirty = false;
    }
    /* the list is most-recent-first: walk it in reverse so ops follow the order of changes */
    pn_node *rev = NULL;
    while (list) {
        pn_node *next = list->dirty_next;
        list->dirty_next = rev;
        rev = list;
        list = next;
    }
    for (pn_node *n = rev; n; n = n->dirty_next) {
        if (!n->dirty_mask)
            continue; /* its only change came from this client (not echoed) */
        json_t *props = json_object();
        ok = ok && props;
        for (size_t i = 0; ok && i < n->desc->nprops; i++)
            if ((n->dirty_mask & (1u << i)) && encoded(&n->desc->props[i]))
                ok = set_new(props, n->desc->props[i].name, prop_json(n, &n->desc->props[i]));
        n->dirty_mask = 0;
        if (!ok) {
            json_decref(props);
            continue; /* the list is still unlinked below */
        }
        json_t *op = json_pack("{sssIso}", "op", "set", "id", (json_int_t)n->id, "props", props);
        ok = op != NULL;
        if (ok && is_leaf_html(n)) {
            struct pn_buf html;
            pn__buf_init(&html, max);
            int r = pn__render_node(&html, n);
            if (r == 0)
                ok = set_new(op, "html", json_stringn(html.data ? html.data : "", html.len));
            else
                rc = r;
            pn__buf_fini(&html);
        }
        if (op && json_array_append_new(ops, op) != 0)
            ok = false;
    }
    for (pn_node *n = rev, *next; n; n = next) {
        next = n->dirty_next;
        n->dirty_next = NULL;
        n->dirty_listed = false;
    }
    if (rc || !ok) {
        json_decref(ops);
        return rc ? rc : PN_EINVAL;
    }
    if (json_array_size(ops) == 0) {
        json_decref(ops);
        return 0;
    }
    return dump(json_pack("{ssso}", "t", "patch", "ops", ops), max, out, len);
}

/* Small messages of our own making: NULL only when out of memory. */
static char *dump_small(json_t *j, size_t *len)
{
    char *out;
    return dump(j, SIZE_MAX, &out, len) == 0 ? out : NULL;
}

char *pn__msg_error(const char *code, const char *msg, uint32_t id, size_t *len)
{
    json_t *e = json_pack("{ssssss}", "t", "error", "code", code, "msg", msg);
    if (e && id)
        json_object_set_new(e, "id", json_integer(id));
    return dump_small(e, len);
}

char *pn__msg_pong(const json_t *n, size_t *len)
{
    json_t *p = json_pack("{ss}", "t", "pong");
    if (p && n)
        json_object_set(p, "n", (json_t *)(uintptr_t)n);
    return dump_small(p, len);
}

void pn__session_clear_dirty(pn_session *s)
{
    for (pn_node *n = pn__session_take_dirty(s), *next; n; n = next) {
        next = n->dirty_next;
        n->dirty_mask = 0;
        n->dirty_next = NULL;
        n->dirty_listed = false;
    }
    s->title_dirty = false;
}
