/*
 * protocol: the JSON messages of docs/internals/protocol.md. Parsing client messages is a pure
 * function (fuzzed: fuzz/fuzz_message.c) that bounds nesting before jansson sees the bytes and
 * checks every field's type; `doc` and `patch` messages wrap what doc encodes of a session's
 * tree (doc/json.c, through the kinds) with the server's fields.
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
    free(m->list);
    m->list = NULL;
}

/* An event's list value: all strings (PN_V_STRS; [] too) or all numbers (PN_V_NUMS), at most
 * PN_MAX_LIST items; the array is m->list's, the strings the JSON's. */
static int parse_list(json_t *v, struct pn_msg *m, const char **why)
{
    size_t n = json_array_size(v);
    if (n > PN_MAX_LIST)
        return *why = "event: more than " PN_STR_OF(PN_MAX_LIST) " items in \"value\"", PN_EPARSE;
    bool nums = n > 0 && json_is_number(json_array_get(v, 0));
    m->list = pn__xmalloc((n ? n : 1) * (nums ? sizeof(double) : sizeof(char *)));
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(v, i);
        if (nums ? !json_is_number(e) : !json_is_string(e))
            return *why = "event: a list \"value\" holds only strings or only numbers",
                   PN_EPARSE;
        if (nums) {
            ((double *)m->list)[i] = json_number_value(e);
        } else {
            if (memchr(json_string_value(e), '\0', json_string_length(e)))
                return *why = "event: NUL in value", PN_EPARSE;
            ((const char **)m->list)[i] = json_string_value(e);
        }
    }
    m->value = nums ? (struct pn_value){.type = PN_V_NUMS, .nums = m->list, .n = n}
                    : (struct pn_value){.type = PN_V_STRS, .strs = m->list, .n = n};
    return 0;
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
        } else if (json_is_array(v)) {
            return parse_list(v, m, why);
        } else {
            return *why = "event: \"value\" must be a boolean, number, string or list",
                   PN_EPARSE;
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
    pn__doc_shown(s);
    struct pn_buf html;
    pn__buf_init(&html, max);
    for (const pn_node *c = s->root->first; c; c = c->next) {
        int rc = pn__render_node(&html, c);
        if (rc) {
            pn__buf_fini(&html);
            return rc;
        }
    }
    json_t *kids = pn__doc_tree_json(s->root);
    json_t *h = json_stringn(html.data ? html.data : "", html.len);
    pn__buf_fini(&html);
    json_t *side = NULL, *side_kids = NULL; /* the sidebar: only when it has nodes */
    if (s->sidebar->first) {
        pn__buf_init(&html, max);
        int rc = 0;
        for (const pn_node *c = s->sidebar->first; rc == 0 && c; c = c->next)
            rc = pn__render_node(&html, c);
        side = rc ? NULL : json_stringn(html.data ? html.data : "", html.len);
        side_kids = pn__doc_tree_json(s->sidebar);
        pn__buf_fini(&html);
        if (!side || !side_kids) {
            json_decref(side), json_decref(side_kids), json_decref(kids), json_decref(h);
            return rc ? rc : PN_EINVAL;
        }
    }
    if (!kids || !h) {
        json_decref(kids);
        json_decref(h);
        return PN_EINVAL;
    }
    json_t *doc = json_pack("{sssisosssssoso}", "t", "doc", "v", PN_PROTOCOL_VERSION, "token",
                            token ? json_string(token) : json_null(), "title",
                            pn__session_title(s), "template",
                            s->tmpl.name ? s->tmpl.name : "default", "html", h, "root", kids);
    if (doc && side &&
        (json_object_set_new(doc, "sidebar", side) || json_object_set_new(doc, "sidebar_root",
                                                                          side_kids))) {
        json_decref(doc);
        return PN_EINVAL;
    }
    return dump(doc, max, out, len);
}

int pn__msg_patch(pn_session *s, size_t max, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    json_t *ops = json_array();
    if (!ops) {
        pn__session_clear_dirty(s);
        return PN_EINVAL;
    }
    int rc = pn__doc_patch_ops_r(s, ops, pn__render_node);
    if (rc || json_array_size(ops) == 0) {
        json_decref(ops);
        return rc;
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

char *pn__msg_dev(const char *error, size_t *len)
{
    char *clean = error && *error ? pn__xstrdup_utf8(error) : NULL;
    json_t *d = json_pack("{ss so}", "t", "dev", "error", clean ? json_string(clean) : json_null());
    free(clean);
    return dump_small(d, len);
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
        n->inserted = false;
        n->dirty_next = NULL;
        n->dirty_listed = false;
    }
    s->title_dirty = false;
    s->nremoved = 0;
    pn__doc_data(s, PN_DATA_DROP, NULL); /* nobody has it: a doc's snapshot will carry it */
}
