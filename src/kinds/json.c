/*
 * JSON: a JSON document as a tree to open and close (Panel's pn.pane.JSON), rendered on the
 * server from the app's JSON text (parsed with jansson): objects and arrays are <details>,
 * the first .depth levels open, keys and typed values coloured by pane.css.
 *
 *     <div class="pn-json" id="pn-N" data-pn-kind="JSON">TREE</div>
 *
 * TREE, for a value under KEY (the top value has no key; an array's items have their index):
 *
 *     <details class="pn-json-node"[ open]><summary><span class="pn-json-key">KEY</span>:
 *       <span class="pn-json-type">Object</span> <span class="pn-json-count">{2}</span>
 *       </summary><div class="pn-json-items">TREE…</div></details>    (an object; an array:
 *                                                                  Array and [3])
 *     <div class="pn-json-leaf"><span class="pn-json-key">KEY</span>:
 *       <span class="pn-json-T">VALUE</span></div>    (T: string, number, boolean, null,
 *                                                     empty; a string in quotes, escaped)
 *
 * No text (NULL or "") shows nothing. Text that is not JSON is misuse (at the builder's or the
 * setter's line) and is shown as it is, <pre class="pn-json-invalid">TEXT</pre>. Levels deeper than
 * 64 are misuse too; below the 64th the values are shown as their compact JSON text (<span
 * class="pn-json-deep">), so the walk never goes deeper than that whatever the app's data. Patches:
 * {"html": TREE} when the JSON or the depth changed. Client: web/client/kinds/json.js.
 */
#include <math.h>
#include <stdio.h>

#include "kinds/kinds.h"

static const struct pn_prop json_props[] = {
    PN_PROP(pn_json_opts, json, PN_PROP_STR),
    PN_PROP(pn_json_opts, depth, PN_PROP_INT),
};

#define MAX_LEVELS 64

/* The app's text as a JSON value (a new reference), or NULL with jansson's error in *err. */
static json_t *parse(const pn_json_opts *o, json_error_t *err)
{
    const char *t = o->json ? o->json : "";
    return json_loadb(t, strlen(t), JSON_DECODE_ANY, err);
}

/* Levels of v below it, counted up to limit + 1 (so that a deep value is not walked whole). */
static int levels(const json_t *v, int limit)
{
    if (limit < 0 || !(json_is_object(v) || json_is_array(v)))
        return 0;
    int most = 0;
    if (json_is_object(v)) {
        const char *k;
        const json_t *c;
        json_object_foreach((json_t *)(uintptr_t)v, k, c)
        {
            int d = levels(c, limit - 1);
            most = d > most ? d : most;
            if (most > limit)
                break;
        }
    } else {
        for (size_t i = 0; i < json_array_size(v) && most <= limit; i++) {
            int d = levels(json_array_get(v, i), limit - 1);
            most = d > most ? d : most;
        }
    }
    return most + 1;
}

/* Misuse for text that is not JSON or is nested too deep: api is the builder's or setter's. */
static void check_text(pn_node *n, const char *api, pn_here here)
{
    const pn_json_opts *o = PN_COPTS(n, pn_json_opts);
    if (!o->json || !*o->json)
        return; /* nothing yet: shown as nothing */
    json_error_t err;
    json_t *v = parse(o, &err);
    if (!v)
        pn__session_misuse(n->s, here, "%s: not JSON (line %d, column %d: %.80s); shown as text",
                           api, err.line, err.column, err.text);
    else if (levels(v, MAX_LEVELS) > MAX_LEVELS)
        pn__session_misuse(n->s, here,
                           "%s: nested deeper than %d levels; what is below is shown as text", api,
                           MAX_LEVELS);
    json_decref(v);
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_json_opts *o = PN_OPTS(n, pn_json_opts);
    if (o->depth == 0) {
        o->depth = 1;
    } else if (o->depth < -1) {
        pn__session_misuse(n->s, here, "JSON.depth: %d is not -1 (every level) or above; using 1",
                           o->depth);
        o->depth = 1;
    }
    check_text(n, "JSON", here);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)n;
    if (pn__prop_is(p, "depth") && v->num < -1)
        return *why = "depth is -1 (every level) or above", PN_EINVAL;
    return 0;
}

static int put_number(struct pn_buf *out, const json_t *v)
{
    if (json_is_integer(v))
        return pn__buf_printf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    double d = json_real_value(v);
    char s[40];
    snprintf(s, sizeof s, "%.15g", d);
    if (strtod(s, NULL) != d)
        snprintf(s, sizeof s, "%.17g", d);
    /* a real keeps a sign of being one: 2.0 is shown as 2.0, as it was written */
    int rc = pn__buf_puts(out, s);
    if (rc == 0 && isfinite(d) && !strpbrk(s, ".eEn"))
        rc = PN_PUT(out, ".0");
    return rc;
}

static int put_key(struct pn_buf *out, const char *key, size_t len, long index)
{
    int rc;
    if (key)
        rc = PN_PUT(out, "<span class=\"pn-json-key\">") || pn__html_escape(out, key, len);
    else if (index >= 0)
        rc = pn__buf_printf(out, "<span class=\"pn-json-key pn-json-index\">%ld", index);
    else
        return 0;
    return rc ? PN_ETOOBIG : PN_PUT(out, "</span>: ");
}

/* A value that is not an object or array, or an empty one, or one below the last level. */
static int put_leaf_value(struct pn_buf *out, const json_t *v, bool deep)
{
    int rc = 0;
    if (deep) {
        char *text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!text)
            return PN_ENOMEM;
        rc = PN_PUT(out, "<span class=\"pn-json-deep\">") || pn__html_text(out, text) ||
             PN_PUT(out, "</span>");
        free(text);
        return rc ? PN_ETOOBIG : 0;
    }
    switch (json_typeof(v)) {
    case JSON_STRING:
        return PN_PUT(out, "<span class=\"pn-json-string\">&quot;") ||
                       pn__html_escape(out, json_string_value(v), json_string_length(v)) ||
                       PN_PUT(out, "&quot;</span>")
                   ? PN_ETOOBIG
                   : 0;
    case JSON_INTEGER:
    case JSON_REAL:
        return PN_PUT(out, "<span class=\"pn-json-number\">") || put_number(out, v) ||
                       PN_PUT(out, "</span>")
                   ? PN_ETOOBIG
                   : 0;
    case JSON_TRUE:
        return PN_PUT(out, "<span class=\"pn-json-boolean\">true</span>");
    case JSON_FALSE:
        return PN_PUT(out, "<span class=\"pn-json-boolean\">false</span>");
    case JSON_NULL:
        return PN_PUT(out, "<span class=\"pn-json-null\">null</span>");
    case JSON_OBJECT:
        return PN_PUT(out, "<span class=\"pn-json-empty\">{}</span>");
    case JSON_ARRAY:
        return PN_PUT(out, "<span class=\"pn-json-empty\">[]</span>");
    }
    return 0;
}

/* v under key (or index; neither for the top) at level (0: the top), open while level < depth
 * (depth -1: every level). Recursion is bounded by MAX_LEVELS. */
static int tree(struct pn_buf *out, const json_t *v, const char *key, size_t key_len, long index,
                int level, int depth)
{
    const bool object = json_is_object(v), array = json_is_array(v);
    const size_t count = object ? json_object_size(v) : array ? json_array_size(v) : 0;
    int rc;
    if (count == 0 || level >= MAX_LEVELS) {
        if ((rc = PN_PUT(out, "<div class=\"pn-json-leaf\">")) ||
            (rc = put_key(out, key, key_len, index)) || (rc = put_leaf_value(out, v, count > 0)))
            return rc;
        return PN_PUT(out, "</div>");
    }
    const bool open = depth < 0 || level < depth;
    if ((rc = pn__buf_printf(out, "<details class=\"pn-json-node\"%s><summary>",
                             open ? " open" : "")) ||
        (rc = put_key(out, key, key_len, index)) ||
        (rc = pn__buf_printf(out,
                             "<span class=\"pn-json-type\">%s</span> "
                             "<span class=\"pn-json-count\">%s%zu%s</span></summary>"
                             "<div class=\"pn-json-items\">",
                             object ? "Object" : "Array", object ? "{" : "[", count,
                             object ? "}" : "]")))
        return rc;
    if (object) {
        const char *k;
        size_t klen;
        json_t *c;
        json_object_keylen_foreach((json_t *)(uintptr_t)v, k, klen, c)
        {
            if ((rc = tree(out, c, k, klen, -1, level + 1, depth)))
                return rc;
        }
    } else {
        for (size_t i = 0; i < count; i++)
            if ((rc = tree(out, json_array_get(v, i), NULL, 0, (long)i, level + 1, depth)))
                return rc;
    }
    return PN_PUT(out, "</div></details>");
}

static int body(struct pn_buf *out, const pn_node *n)
{
    const pn_json_opts *o = PN_COPTS(n, pn_json_opts);
    if (!o->json || !*o->json)
        return 0;
    json_error_t err;
    json_t *v = parse(o, &err);
    int rc;
    if (!v) {
        rc = PN_PUT(out, "<pre class=\"pn-json-invalid\">");
        if (rc == 0)
            rc = pn__html_text(out, o->json);
        return rc ? rc : PN_PUT(out, "</pre>");
    }
    size_t mark = out->len;
    rc = tree(out, v, NULL, 0, -1, 0, o->depth);
    json_decref(v);
    if (rc)
        out->len = mark; /* as it was */
    return rc;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-json", n)) || (rc = PN_PUT(out, ">")) ||
        (rc = body(out, n)))
        return rc;
    return PN_PUT(out, "</div>");
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    (void)mask; /* json and depth both change the tree */
    struct pn_buf b;
    pn__buf_init(&b, 1u << 24);
    int rc = body(&b, n);
    if (rc == 0 && pn__json_set(changes, "html", json_stringn(b.data ? b.data : "", b.len)))
        rc = PN_EINVAL;
    pn__buf_fini(&b);
    return rc;
}

const struct pn_kind pn__kind_json = {
    .name = "JSON",
    .css_class = "pn-json",
    .opts_size = sizeof(pn_json_opts),
    .props = json_props,
    .nprops = PN_COUNT(json_props),
    .init = init,
    .check = check,
    .html = html,
    .patch = patch,
};

pn_node *pn_json_new(pn_session *s, const pn_json_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_json, o, here);
}

static const struct pn_kind *const jsons[] = {&pn__kind_json, NULL};

void pn_json_set_text_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, jsons, "json", PN_STR(v), "pn_json_set_text", here);
    /* the setter refused another thread or kind (and said so); otherwise the text is stored,
     * JSON or not, and what is wrong with it is said at this line */
    if (pn__is(n, &pn__kind_json) && pthread_equal(n->s->owner, pthread_self()))
        check_text(n, "pn_json_set_text", here);
}
void pn_json_set_depth_at(pn_node *n, int v, pn_here here)
{
    pn__setter(n, jsons, "depth", PN_NUM(v), "pn_json_set_depth", here);
}
