/*
 * Markdown: text rendered to HTML on the server by md4c, raw HTML turned off.
 *
 *     <div class="pn-markdown" id="pn-N" data-pn-kind="Markdown">HTML</div>
 *
 * Patches: {"html": HTML}, the rendered body (the client never parses Markdown).
 * Client: web/client/kinds/markdown.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop markdown_props[] = {
    PN_PROP(pn_markdown_opts, text, PN_PROP_STR),
};

static int body(struct pn_buf *out, const pn_node *n)
{
    const char *text = PN_COPTS(n, pn_markdown_opts)->text;
    return text ? pn__render_markdown(out, text, strlen(text)) : 0;
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

const struct pn_kind pn__kind_markdown = {
    .name = "Markdown",
    .css_class = "pn-markdown",
    .opts_size = sizeof(pn_markdown_opts),
    .props = markdown_props,
    .nprops = PN_COUNT(markdown_props),
    .html = html,
    .patch = patch,
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
