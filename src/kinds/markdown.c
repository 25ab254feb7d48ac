/*
 * Markdown: text rendered to HTML on the server by md4c, raw HTML turned off.
 *
 *     <div class="pn-markdown" id="pn-N" data-pn-kind="Markdown">HTML</div>
 *
 * Patches: {"html": HTML}, the rendered body (the client never parses Markdown).
 * Client: web/client/kinds/markdown.js.
 *
 * Bound to a text feed (.feed), it shows the feed's text; each publish is rendered once for
 * every Markdown bound to it and reaches the clients as {"html": HTML}.
 */
#include "kinds/kinds.h"

static const struct pn_prop markdown_props[] = {
    PN_PROP(pn_markdown_opts, text, PN_PROP_STR),
};

static int body(struct pn_buf *out, const pn_node *n)
{
    const pn_markdown_opts *o = PN_COPTS(n, pn_markdown_opts);
    if (o->feed) {
        struct pn_blob *text;
        pn__feed_value(o->feed, NULL, &text);
        int rc = pn__render_markdown(out, text->data, text->len);
        pn__blob_unref(text);
        return rc;
    }
    return o->text ? pn__render_markdown(out, o->text, strlen(o->text)) : 0;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_markdown_opts *o = PN_OPTS(n, pn_markdown_opts);
    if (o->feed && pn__feed_type(o->feed) != PN_FEED_TEXT) {
        pn__session_misuse(n->s, here,
                           "Markdown: feed \"%s\" is not a text feed "
                           "(pn_feed_text); the Markdown shows its own text",
                           pn__feed_name(o->feed));
        o->feed = NULL;
    }
    if (o->feed)
        pn__session_watch_feed(n->s, o->feed, n);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    (void)p, (void)v;
    if (PN_COPTS(n, pn_markdown_opts)->feed)
        return *why = "the Markdown shows a feed; publish with pn_feed_set_text", PN_EINVAL;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-markdown", n)) || (rc = PN_PUT(out, ">")) ||
        (rc = body(out, n)))
        return rc;
    return PN_PUT(out, "</div>");
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    (void)mask; /* text is its only prop */
    struct pn_buf b;
    pn__buf_init(&b, 1u << 24);
    int rc = body(&b, n);
    if (rc == 0 && pn__json_set(changes, "html", json_stringn(b.data ? b.data : "", b.len)))
        rc = PN_EINVAL;
    pn__buf_fini(&b);
    return rc;
}

static const char *feed_key(const pn_node *n)
{
    (void)n;
    return ""; /* the rendering depends on the text only */
}

static int feed_encode(const pn_node *n, double num, const struct pn_blob *text, struct pn_buf *out)
{
    (void)n, (void)num;
    struct pn_buf b;
    pn__buf_init(&b, PN_MAX_DOC);
    int rc = pn__render_markdown(&b, text->data, text->len);
    json_t *changes = json_object();
    if (rc == 0 && pn__json_set(changes, "html", json_stringn(b.data ? b.data : "", b.len)))
        rc = PN_EINVAL;
    if (rc == 0)
        rc = pn__json_dump(changes, out);
    json_decref(changes);
    pn__buf_fini(&b);
    return rc;
}

const struct pn_kind pn__kind_markdown = {
    .name = "Markdown",
    .css_class = "pn-markdown",
    .opts_size = sizeof(pn_markdown_opts),
    .props = markdown_props,
    .nprops = PN_COUNT(markdown_props),
    .init = init,
    .check = check,
    .html = html,
    .patch = patch,
    .feed_key = feed_key,
    .feed_encode = feed_encode,
};

pn_node *pn_markdown_new(pn_session *s, const pn_markdown_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_markdown, o, here);
}

static const struct pn_kind *const markdowns[] = {&pn__kind_markdown, NULL};

void pn_markdown_set_text_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, markdowns, "text", PN_STR(v), "pn_markdown_set_text", here);
}
