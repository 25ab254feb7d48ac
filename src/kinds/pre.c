/*
 * Str: preformatted text, shown as it is (Panel's pn.pane.Str), escaped.
 *
 *     <pre class="pn-str" id="pn-N" data-pn-kind="Str">TEXT</pre>
 *
 * (with one more newline before a TEXT that starts with one, which the parser drops)
 *
 * Patches: {"text": TEXT} (the prop by name). Client: web/client/kinds/pre.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop pre_props[] = {
    PN_PROP(pn_pre_opts, text, PN_PROP_STR),
};

static int html(struct pn_buf *out, const pn_node *n)
{
    const char *t = PN_COPTS(n, pn_pre_opts)->text;
    int rc;
    /* a parser drops the newline right after <pre>: one more keeps the text's own */
    if ((rc = pn__html_open(out, "pre", "pn-str", n)) || (rc = PN_PUT(out, ">")) ||
        (t && *t == '\n' && (rc = PN_PUT(out, "\n"))) || (rc = pn__html_text(out, t)))
        return rc;
    return PN_PUT(out, "</pre>");
}

const struct pn_kind pn__kind_pre = {
    .name = "Str",
    .css_class = "pn-str",
    .opts_size = sizeof(pn_pre_opts),
    .props = pre_props,
    .nprops = PN_COUNT(pre_props),
    .html = html,
    /* patch: NULL, so {"text": TEXT} by the prop's name */
};

pn_node *pn_pre_new(pn_session *s, const pn_pre_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_pre, o, here);
}

static const struct pn_kind *const pres[] = {&pn__kind_pre, NULL};

void pn_pre_set_text_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, pres, "text", PN_STR(v), "pn_pre_set_text", here);
}
const char *pn_pre_text(const pn_node *n)
{
    const char *t = pn__is(n, &pn__kind_pre) ? PN_COPTS(n, pn_pre_opts)->text : NULL;
    return t ? t : "";
}
