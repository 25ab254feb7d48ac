/*
 * LoadingSpinner: a ring that spins while .value is true (Panel's
 * pn.indicators.LoadingSpinner).
 *
 *     <div class="pn-loading-spinner pn-color-C[ pn-loading-spinner-on]" id="pn-N"
 *       data-pn-kind="LoadingSpinner" role="status" aria-busy="true|false"
 *       aria-label="NAME|Loading">
 *       <span class="pn-loading-spinner-ring" aria-hidden="true"
 *         style="width:Spx;height:Spx;border-width:Bpx"></span>
 *       <span class="pn-loading-spinner-name">NAME</span></div>                 (when named)
 *
 * C is .color (a theme colour name), S .size, B a tenth of it (at least 3). The ring turns by a CSS
 * animation while on (a slow fade instead under prefers-reduced-motion) and shows a still, faint
 * ring while off. Patches: the changed props by name ("value", "name");
 * web/client/kinds/loading_spinner.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop spinner_props[] = {
    PN_PROP(pn_loading_spinner_opts, name, PN_PROP_STR),
    PN_PROP(pn_loading_spinner_opts, value, PN_PROP_BOOL),
    PN_PROP(pn_loading_spinner_opts, size, PN_PROP_INT),
    PN_PROP(pn_loading_spinner_opts, color, PN_PROP_STR),
};

#define DEFAULT_SIZE 40
#define MIN_SIZE 8
#define MAX_SIZE 1000

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_loading_spinner_opts *o = PN_OPTS(n, pn_loading_spinner_opts);
    if (o->size == 0) {
        o->size = DEFAULT_SIZE;
    } else if (o->size < MIN_SIZE || o->size > MAX_SIZE) {
        pn__session_misuse(n->s, here, "LoadingSpinner.size: %d is not %d..%d pixels; using %d",
                           o->size, MIN_SIZE, MAX_SIZE, DEFAULT_SIZE);
        o->size = DEFAULT_SIZE;
    }
    o->color = pn__kind_theme_color(n->s, here, "LoadingSpinner", "color", o->color, "primary");
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_loading_spinner_opts *o = PN_COPTS(n, pn_loading_spinner_opts);
    const bool named = o->name && *o->name;
    int rc;
    if ((rc = pn__buf_printf(out,
                             "<div class=\"pn-loading-spinner pn-color-%s%s\" id=\"pn-%u\" "
                             "data-pn-kind=\"LoadingSpinner\" role=\"status\" aria-busy=\"%s\" "
                             "aria-label=\"",
                             pn__kind_theme_color_ok(o->color) ? o->color : "primary",
                             o->value ? " pn-loading-spinner-on" : "", (unsigned)n->id,
                             o->value ? "true" : "false")) ||
        (rc = pn__html_text(out, named ? o->name : "Loading")) ||
        (rc = pn__buf_printf(out,
                             "\"><span class=\"pn-loading-spinner-ring\" aria-hidden=\"true\" "
                             "style=\"width:%dpx;height:%dpx;border-width:%dpx\"></span>",
                             o->size, o->size, o->size < 30 ? 3 : o->size / 10)))
        return rc;
    if (named && ((rc = PN_PUT(out, "<span class=\"pn-loading-spinner-name\">")) ||
                  (rc = pn__html_text(out, o->name)) || (rc = PN_PUT(out, "</span>"))))
        return rc;
    return PN_PUT(out, "</div>");
}

const struct pn_kind pn__kind_loading_spinner = {
    .name = "LoadingSpinner",
    .css_class = "pn-loading-spinner",
    .opts_size = sizeof(pn_loading_spinner_opts),
    .props = spinner_props,
    .nprops = PN_COUNT(spinner_props),
    .init = init,
    .html = html,
    /* patch: NULL, so the changed props by name */
};

pn_node *pn_loading_spinner_new(pn_session *s, const pn_loading_spinner_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_loading_spinner, o, here);
}

static const struct pn_kind *const spinners[] = {&pn__kind_loading_spinner, NULL};

void pn_loading_spinner_set_value_at(pn_node *n, bool v, pn_here here)
{
    pn__setter(n, spinners, "value", PN_BOOL(v), "pn_loading_spinner_set_value", here);
}
void pn_loading_spinner_set_name_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, spinners, "name", PN_STR(v), "pn_loading_spinner_set_name", here);
}
