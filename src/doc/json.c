/*
 * json: a session's tree and its changes as JSON, through the kinds' tables and hooks. The doc
 * message's "root" is every node with its encoded props; a patch is a list of ops, each the
 * changes of one node as its kind puts them on the wire (docs/internals/protocol.md):
 *
 *     ["title", "Paris Weather"]              the page title
 *     [7, {"text": "21 °C"}]                  node 7: a slot the server rendered, or props
 *
 * The server wraps these in messages and sends them; it knows no kind.
 */
#include <jansson.h>
#include <math.h>

#include "doc/doc.h"

int pn__json_set(void *obj, const char *name, void *value)
{
    if (!value)
        return -1;
    return json_object_set_new(obj, name, value) == 0 ? 0 : -1;
}

struct dump {
    struct pn_buf *out;
    int rc;
};

static int dump_to_buf(const char *data, size_t len, void *ud)
{
    struct dump *d = ud;
    return (d->rc = pn__buf_append(d->out, data, len)) ? -1 : 0;
}

int pn__json_dump(void *j, struct pn_buf *out)
{
    size_t before = out->len;
    struct dump d = {out, 0};
    if (json_dump_callback(j, dump_to_buf, &d, JSON_COMPACT) == 0)
        return 0;
    out->len = before;
    return d.rc ? d.rc : PN_EINVAL;
}

void *pn__prop_json(const pn_node *n, const struct pn_prop *p)
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
        for (const pn_color_stop *c = *(const pn_color_stop *const *)f; a && c && c->color; c++)
            json_array_append_new(a, json_pack("[fs]", c->below, c->color));
        return a;
    }
    case PN_PROP_STRS: {
        json_t *a = json_array();
        for (const char *const *s = *(const char *const *const *)f; a && s && *s; s++)
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

/* One node without its children: {"id", "kind", "props"} (+ "children": [] for a container,
 * filled by the caller). NULL when a value could not be encoded. */
static json_t *node_json(const pn_node *n)
{
    json_t *props = json_object();
    bool ok = props != NULL;
    for (size_t i = 0; ok && i < n->desc->nprops; i++)
        if (encoded(&n->desc->props[i]))
            ok = pn__json_set(props, n->desc->props[i].name,
                              pn__prop_json(n, &n->desc->props[i])) == 0;
    if (ok && n->desc->doc)
        ok = n->desc->doc(n, props) == 0;
    if (!ok) {
        json_decref(props);
        return NULL;
    }
    json_t *o =
        json_pack("{sIssso}", "id", (json_int_t)n->id, "kind", n->desc->name, "props", props);
    if (o && n->desc->container && pn__json_set(o, "children", json_array()) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* A pre-order walk by the parent links (the depth is bounded by PN_MAX_DEPTH, but no stack
 * frame is spent per level), keeping each open container's "children" array by depth: root's
 * children, or (only set) only that one of them and its subtree. */
static json_t *tree_json(const pn_node *root, const pn_node *only)
{
    json_t *kids[PN_MAX_DEPTH + 2];
    int depth = 0;
    kids[0] = json_array();
    if (!kids[0])
        return NULL;
    const pn_node *n = only ? only : root->first;
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
        while (n != root && n != only && !n->next) {
            n = n->parent;
            depth--;
        }
        n = n == root || n == only ? NULL : n->next;
    }
    return kids[0];
}

void *pn__doc_tree_json(const pn_node *root)
{
    return tree_json(root, NULL);
}

/* Whether n came in an insert op of this patch already: itself or an ancestor. */
static bool carried(const pn_node *n, uint32_t batch)
{
    for (; n; n = n->parent)
        if (n->insert_batch == batch)
            return true;
    return false;
}

/* ["insert", PARENT, BEFORE, HTML, [NODE]]: n rendered whole, under PARENT (0: the page's
 * main area), before the sibling BEFORE (0: last) the client already has. */
static int insert_op(pn_session *s, pn_node *n, json_t *ops,
                     int (*render)(struct pn_buf *out, const pn_node *n))
{
    const pn_node *before = n->next;
    while (before && before->inserted)
        before = before->next;
    struct pn_buf html;
    pn__buf_init(&html, PN_MAX_DOC);
    int rc = render(&html, n);
    json_t *tree = rc ? NULL : tree_json(n->parent, n);
    json_t *op = tree ? json_pack("[sIIs#o]", "insert",
                                  n->parent == s->root      ? (json_int_t)0
                                  : n->parent == s->sidebar ? (json_int_t)-1
                                                            : (json_int_t)n->parent->id,
                                  (json_int_t)(before ? before->id : 0), html.data ? html.data : "",
                                  (int)html.len, tree)
                      : NULL;
    pn__buf_fini(&html);
    if (!op || json_array_append_new(ops, op) != 0)
        return rc ? rc : PN_EINVAL;
    n->insert_batch = s->patches;
    n->inserted = false;
    return 0;
}

/* The generic patch encoding: each changed prop that is sent at all, by name. */
static int changed_props(const pn_node *n, uint32_t mask, json_t *changes)
{
    for (size_t i = 0; i < n->desc->nprops; i++)
        if ((mask & (1u << i)) && encoded(&n->desc->props[i]) &&
            pn__json_set(changes, n->desc->props[i].name, pn__prop_json(n, &n->desc->props[i])))
            return PN_EINVAL;
    return 0;
}

static const char *const size_props[] = {"width",     "height",     "min-width", "max-width",
                                         "min-height", "max-height", "grid-column", "grid-row"};

/* The CSS value of size property i of z ("300px", "span 2"), into v; false: not set. */
static bool size_value(const pn_size_opts *z, int i, char *v, size_t len)
{
    int px[] = {z->width, z->height, z->min_width, z->max_width, z->min_height, z->max_height};
    if (i < 6) {
        if (px[i] <= 0)
            return false;
        snprintf(v, len, "%dpx", px[i]);
        return true;
    }
    int span = i == 6 ? z->col_span : z->row_span;
    if (span <= 1)
        return false;
    snprintf(v, len, "span %d", span);
    return true;
}

int pn__size_css(const pn_node *n, struct pn_buf *out)
{
    int rc = 0;
    char v[32];
    for (int i = 0; rc == 0 && n->size && i < 8; i++)
        if (size_value(n->size, i, v, sizeof v))
            rc = pn__buf_printf(out, "%s:%s;", size_props[i], v);
    return rc;
}

const char *pn__size_stretch(const pn_node *n)
{
    const pn_size_opts *z = n->size;
    if (!z || (!z->stretch_width && !z->stretch_height))
        return "";
    return z->stretch_width && z->stretch_height ? "w h" : z->stretch_width ? "w" : "h";
}

/* {"size": {"width": "300px" or null, …, "stretch": "w" or null}}: every property, so that what
 * an earlier pn_size set and this one does not is taken away. */
static json_t *size_json(const pn_node *n)
{
    json_t *o = json_object();
    char v[32];
    for (int i = 0; i < 8; i++)
        json_object_set_new(o, size_props[i],
                            n->size && size_value(n->size, i, v, sizeof v) ? json_string(v)
                                                                           : json_null());
    const char *st = pn__size_stretch(n);
    json_object_set_new(o, "stretch", *st ? json_string(st) : json_null());
    return o;
}

void pn__doc_shown(pn_session *s)
{
    s->shown = true;
    s->nremoved = 0; /* the doc has the tree as it is */
    for (pn_node *n = s->dirty; n; n = n->dirty_next) {
        n->inserted = false;
        n->dirty_mask &= ~(uint32_t)PN_DIRTY_INSERT;
    }
}

int pn__doc_patch_ops(pn_session *s, void *ops)
{
    return pn__doc_patch_ops_r(s, ops, NULL);
}

int pn__doc_patch_ops_r(pn_session *s, void *ops,
                        int (*render)(struct pn_buf *out, const pn_node *n))
{
    int rc = 0;
    /* removals first: the inserts below name siblings the client has after them */
    for (size_t i = 0; rc == 0 && i < s->nremoved; i++)
        if (json_array_append_new(ops, json_pack("[sI]", "remove", (json_int_t)s->removed[i])))
            rc = PN_EINVAL;
    s->nremoved = 0;
    if (s->title_dirty) {
        if (json_array_append_new(ops, json_pack("[ss]", "title", pn__session_title(s))) != 0)
            rc = PN_EINVAL;
        s->title_dirty = false;
    }
    /* the list is most-recent-first: walk it in reverse so ops follow the order of changes */
    pn_node *rev = NULL;
    for (pn_node *n = pn__session_take_dirty(s), *next; n; n = next) {
        next = n->dirty_next;
        n->dirty_next = rev;
        rev = n;
    }
    s->patches++;
    for (pn_node *n = rev; n; n = n->dirty_next) {
        uint32_t mask = n->dirty_mask;
        n->dirty_mask = 0;
        if (!mask || rc)
            continue; /* its only change came from this client (not echoed), or we failed */
        if (carried(n, s->patches))
            continue; /* an insert op of this patch has it as it is now */
        if (mask & PN_DIRTY_INSERT) {
            rc = n->inserted && render ? insert_op(s, n, ops, render) : 0;
            n->inserted = false;
            continue;
        }
        json_t *changes = json_object();
        if (changes && (mask & PN_DIRTY_HIDDEN) &&
            pn__json_set(changes, "hidden", json_boolean(n->hidden)))
            rc = PN_EINVAL;
        if (changes && (mask & PN_DIRTY_SIZE) && pn__json_set(changes, "size", size_json(n)))
            rc = PN_EINVAL;
        mask &= ~(uint32_t)(PN_DIRTY_HIDDEN | PN_DIRTY_SIZE);
        int r = !changes || rc   ? PN_EINVAL
                : !mask          ? 0
                : n->desc->patch ? n->desc->patch(n, mask, changes)
                                 : changed_props(n, mask, changes);
        if (r == 0 && json_object_size(changes) == 0) {
            json_decref(changes); /* nothing the client sees changed */
            continue;
        }
        json_t *op = r == 0 ? json_pack("[Io]", (json_int_t)n->id, changes) : NULL;
        if (r == 0 && (!op || json_array_append_new(ops, op) != 0))
            r = PN_EINVAL;
        else if (r != 0)
            json_decref(changes);
        rc = r;
    }
    for (pn_node *n = rev, *next; n; n = next) {
        next = n->dirty_next;
        n->dirty_next = NULL;
        n->dirty_listed = false;
    }
    return rc;
}

int pn__doc_data(pn_session *s, int mode, struct pn_buf *bin)
{
    /* the message's header: a version byte and 7 bytes of padding, so that every record (and
     * the doubles in it) stays 8-byte aligned */
    static const char header[8] = {1};
    if (mode == PN_DATA_DROP) { /* bin may be NULL */
        for (pn_node *n = s->data_nodes; n; n = n->data_next)
            n->desc->data(n, mode, NULL);
        return 0;
    }
    size_t start = bin->len;
    int rc = 0;
    for (pn_node *n = s->data_nodes; rc == 0 && n; n = n->data_next)
        rc = n->desc->data(n, mode, bin);
    if (rc == 0 && bin->len > start) { /* the header goes in front only when there are records:
                                          a flush with nothing new allocates nothing */
        size_t body = bin->len - start;
        rc = pn__buf_append(bin, header, sizeof header);
        if (rc == 0) {
            memmove(bin->data + start + sizeof header, bin->data + start, body);
            memcpy(bin->data + start, header, sizeof header);
        }
    }
    if (rc)
        bin->len = start; /* not all of it */
    return rc;
}
