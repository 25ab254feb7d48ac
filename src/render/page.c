/*
 * page: whole pages. pn__render_init compiles every embedded web/templates/<name>.html once
 * at start (a broken template is a start-up error, and a unit test compiles them all); after
 * that the table is read-only, so every loop thread can render pages without locks.
 *
 * A page is its template with these slots filled (docs/internals/render.md):
 *   {{ title }} {{ css_url }} {{ app_path }} {{ prefix }}        text, escaped
 *   {{ header_background }} {{ header_color }}                     checked CSS colours, escaped
 *   {{{ script }}}  the whole <script src=... defer> tag, or nothing
 *   {{{ body }}}    the server-side rendered servables
 *   {{{ sidebar }}} <aside class="pn-sidebar" id="pn-sidebar"> with the sidebar's nodes, or
 *                   nothing when it has none
 *   {{ theme }}     auto, light or dark: <html data-pn-theme>
 *   {{{ theme_toggle }}} the header's light/dark switch (hidden until theme.js runs), or
 *                   nothing with .hide_theme_toggle
 * Defaults: template "default", title the app's name, theme "auto", header colours from
 * pane.css's variables. An unknown
 * template name (already reported as misuse when the app set it) renders with "default".
 * The index page (several apps) is the default template around a list of links.
 */
#include "render/render.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_TEMPLATES 16
#define DEFAULT_HEADER_BG "var(--pn-header-bg)" /* pane.css: the theme's */
#define DEFAULT_HEADER_FG "var(--pn-header-fg)"

struct named_template {
    char name[32];
    struct pn_template t;
};
static struct named_template templates[MAX_TEMPLATES];
static size_t ntemplates;

static const struct pn_template *find_template(const char *name)
{
    for (size_t i = 0; name && i < ntemplates; i++)
        if (strcmp(templates[i].name, name) == 0)
            return &templates[i].t;
    return NULL;
}

bool pn__render_has_template(const char *name)
{
    return find_template(name) != NULL;
}

void pn__render_fini(void)
{
    for (size_t i = 0; i < ntemplates; i++)
        pn__template_fini(&templates[i].t);
    ntemplates = 0;
}

int pn__render_init(char *err, size_t errlen)
{
    static const pn_str dir = PN_STRLIT("templates/"), ext = PN_STRLIT(".html");
    pn__render_fini();
    if (err && errlen)
        err[0] = '\0';
    for (size_t i = 0; i < pn__assets_count; i++) {
        const struct pn_asset *a = &pn__assets[i];
        pn_str path = pn__str(a->path);
        if (!pn__str_has_prefix(path, dir) || path.len <= dir.len + ext.len ||
            memcmp(path.ptr + path.len - ext.len, ext.ptr, ext.len) != 0)
            continue;
        size_t nlen = path.len - dir.len - ext.len;
        if (ntemplates == MAX_TEMPLATES || nlen >= sizeof templates[0].name) {
            snprintf(err, errlen, "%s: too many templates or name too long", a->path);
            pn__render_fini();
            return PN_ETOOBIG;
        }
        struct named_template *nt = &templates[ntemplates];
        char msg[200];
        int rc =
            pn__template_compile((pn_str){(const char *)a->data, a->len}, &nt->t, msg, sizeof msg);
        if (rc) {
            snprintf(err, errlen, "web/%s: %s", a->path, msg);
            pn__render_fini();
            return rc;
        }
        memcpy(nt->name, path.ptr + dir.len, nlen);
        nt->name[nlen] = '\0';
        ntemplates++;
    }
    if (!find_template("default")) {
        snprintf(err, errlen, "web/templates/default.html is not embedded");
        pn__render_fini();
        return PN_ENOTFOUND;
    }
    return 0;
}

/* --global-loading-spinner: an overlay drawn by CSS alone (so it shows before any script
 * runs), removed by pane.js once the live document is on the page. Without JavaScript it would
 * never go away, so <noscript> hides it and the server-rendered page stays usable. */
#define SPINNER                                                                                \
    "<div class=\"pn-loading\" id=\"pn-loading\" role=\"status\" aria-busy=\"true\" "          \
    "aria-live=\"polite\"><span class=\"pn-spinner\" aria-hidden=\"true\"></span>"              \
    "<span class=\"pn-visually-hidden\">Loading…</span></div>"
/* The switch: a button theme.js shows and drives; hidden without JavaScript, where it could
 * not work. */
#define THEME_TOGGLE                                                                           \
    "<button type=\"button\" class=\"pn-theme-toggle\" id=\"pn-theme-toggle\" hidden "         \
    "aria-pressed=\"false\" aria-label=\"Dark theme\" title=\"Dark theme\">"                    \
    "<svg class=\"pn-icon-moon\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">"                 \
    "<path d=\"M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z\"/></svg>"                       \
    "<svg class=\"pn-icon-sun\" viewBox=\"0 0 24 24\" aria-hidden=\"true\">"                  \
    "<circle cx=\"12\" cy=\"12\" r=\"4\"/><path d=\"M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 "     \
    "17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4\"/></svg></button>"
#define SPINNER_HEAD "<noscript><style>.pn-loading{display:none}</style></noscript>"

static pn_str text_or(const char *s, const char *def)
{
    return pn__str(s && *s ? s : def);
}

static pn_str color_or(const char *s, const char *def)
{
    return pn__str(s && *s && pn__css_color_ok(s) ? s : def);
}

/* A JSON string literal safe inside <script>: "…" with </script> and <!-- escaped away. */
static int json_str(struct pn_buf *out, const char *s)
{
    int rc;
    if (!s)
        return pn__buf_puts(out, "null");
    if ((rc = pn__buf_putc(out, '"')) || (rc = pn__json_escape_script(out, s, strlen(s))))
        return rc;
    return pn__buf_putc(out, '"');
}

/* The stylesheet and script of a client library a kind needs (struct pn_kind.lib: "plot" is
 * client/plot.css and client/plot.js), versioned like pane.js. */
static int lib_tags(struct pn_buf *tag, const char *lib, const struct pn_page_ctx *ctx)
{
    const char *prefix = ctx->prefix ? ctx->prefix : "";
    char path[64];
    int rc = 0;
    for (int i = 0; rc == 0 && i < 2; i++) {
        snprintf(path, sizeof path, "client/%s.%s", lib, i ? "js" : "css");
        const struct pn_asset *a = pn__asset_find(pn__str(path));
        if (!a)
            continue; /* not embedded: the page works without it, as drawn by the server */
        rc = pn__buf_printf(tag, i ? "<script src=\"" : "<link rel=\"stylesheet\" href=\"");
        if (rc == 0)
            rc = pn__html_escape(tag, prefix, strlen(prefix));
        if (rc == 0)
            rc = pn__buf_printf(tag, "/static/%s/%s.%s\"%s\n", a->etag, lib, i ? "js" : "css",
                                i ? " defer></script>" : ">");
    }
    return rc;
}

/* "libs":{"Plot":["…/plot.css","…/plot.js"]}: the client library of every kind that has one,
 * for a kind that arrives in an insert op on a page that did not load its library. */
static int libs_json(struct pn_buf *tag, const struct pn_page_ctx *ctx)
{
    const char *prefix = ctx->prefix ? ctx->prefix : "";
    int rc = pn__buf_puts(tag, ",\"libs\":{");
    bool first = true;
    for (size_t k = 0; rc == 0 && k < pn__kind_count; k++) {
        const struct pn_kind *kind = pn__kind_list[k];
        if (!kind->lib)
            continue;
        rc = pn__buf_printf(tag, "%s", first ? "" : ",");
        if (rc == 0)
            rc = json_str(tag, kind->name);
        if (rc == 0)
            rc = pn__buf_puts(tag, ":[");
        for (int i = 0; rc == 0 && i < 2; i++) {
            char path[64], url[512];
            snprintf(path, sizeof path, "client/%s.%s", kind->lib, i ? "js" : "css");
            const struct pn_asset *a = pn__asset_find(pn__str(path));
            snprintf(url, sizeof url, "%.300s/static/%s/%s.%s", prefix, a ? a->etag : "", kind->lib,
                     i ? "js" : "css");
            rc = pn__buf_printf(tag, "%s", i ? "," : "");
            if (rc == 0)
                rc = json_str(tag, a ? url : "");
        }
        if (rc == 0)
            rc = pn__buf_puts(tag, "]");
        first = false;
    }
    return rc ? rc : pn__buf_puts(tag, "}");
}

/* The page's bootstrap data for the client (docs/internals/protocol.md), the libraries its
 * kinds need, then the <script> tag for js_url; nothing without a script. */
static int script_tag(struct pn_buf *tag, const char *js_url, const pn_session *s,
                      const struct pn_page_ctx *ctx)
{
    int rc;
    if (!js_url || !*js_url)
        return 0;
    for (size_t i = 0; i < sizeof s->libs / sizeof *s->libs && s->libs[i]; i++)
        if ((rc = lib_tags(tag, s->libs[i], ctx)))
            return rc;
    if (ctx->ws_path &&
        ((rc = pn__buf_puts(tag,
                            "<script type=\"application/json\" id=\"pn-data\">{\"v\":2,\"ws\":")) ||
         (rc = json_str(tag, ctx->ws_path)) || (rc = pn__buf_puts(tag, ",\"token\":")) ||
         (rc = json_str(tag, ctx->token)) || (rc = libs_json(tag, ctx)) ||
         (ctx->dev && (rc = pn__buf_puts(tag, ",\"dev\":true"))) ||
         (rc = pn__buf_puts(tag, "}</script>\n"))))
        return rc;
    if ((rc = pn__buf_puts(tag, "<script src=\"")) ||
        (rc = pn__html_escape(tag, js_url, strlen(js_url))))
        return rc;
    return pn__buf_puts(tag, "\" defer></script>");
}

static pn_str buf_str(const struct pn_buf *b)
{
    return (pn_str){b->data ? b->data : "", b->len};
}

int pn__render_page(struct pn_buf *out, const pn_session *s, const struct pn_page_ctx *ctx)
{
    const pn_template_opts *o = &s->tmpl;
    const struct pn_template *t = find_template(o->name ? o->name : "default");
    if (!t)
        t = find_template("default");
    if (!t)
        return PN_ENOTFOUND; /* pn__render_init was not called */

    struct pn_buf body, script, side;
    pn__buf_init(&body, out->max);
    pn__buf_init(&script, 4096);
    pn__buf_init(&side, out->max);
    int rc = script_tag(&script, ctx->js_url, s, ctx);
    for (const pn_node *n = s->root->first; rc == 0 && n; n = n->next)
        rc = pn__render_node(&body, n);
    if (rc == 0 && s->sidebar->first)
        rc = pn__buf_puts(&side, "<aside class=\"pn-sidebar\" id=\"pn-sidebar\">");
    for (const pn_node *n = s->sidebar->first; rc == 0 && n; n = n->next)
        rc = pn__render_node(&side, n);
    if (rc == 0 && s->sidebar->first)
        rc = pn__buf_puts(&side, "</aside>");
    if (rc == 0) {
        const struct pn_tpl_var vars[] = {
            {"title", text_or(o->title, s->app_name ? s->app_name : "pane")},
            {"css_url", text_or(ctx->css_url, "")},
            {"app_path", text_or(ctx->app_path, "")},
            {"prefix", text_or(ctx->prefix, "")},
            {"header_background", color_or(o->header_background, DEFAULT_HEADER_BG)},
            {"header_color", color_or(o->header_color, DEFAULT_HEADER_FG)},
            {"script", buf_str(&script)},
            {"spinner_head", ctx->spinner ? PN_STRLIT(SPINNER_HEAD) : PN_STRLIT("")},
            {"spinner", ctx->spinner ? PN_STRLIT(SPINNER) : PN_STRLIT("")},
            {"body", buf_str(&body)},
            {"sidebar", buf_str(&side)},
            {"theme", text_or(o->theme, "auto")},
            {"theme_toggle", o->hide_theme_toggle ? PN_STRLIT("") : PN_STRLIT(THEME_TOGGLE)},
        };
        rc = pn__template_render(t, vars, sizeof vars / sizeof *vars, out);
    }
    pn__buf_fini(&body);
    pn__buf_fini(&script);
    pn__buf_fini(&side);
    return rc;
}

int pn__render_index(struct pn_buf *out, const char *const *app_names, size_t n, const char *prefix,
                     const char *css_url)
{
    const struct pn_template *t = find_template("default");
    if (!t)
        return PN_ENOTFOUND;
    if (!prefix)
        prefix = "";
    struct pn_buf body;
    pn__buf_init(&body, out->max);
    int rc = pn__buf_puts(&body, "<h1 class=\"pn-index-title\">pane</h1><ul class=\"pn-index\">");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *name = app_names[i] ? app_names[i] : "";
        if ((rc = pn__buf_puts(&body, "<li><a href=\"")) ||
            (rc = pn__html_escape(&body, prefix, strlen(prefix))) ||
            (rc = pn__buf_putc(&body, '/')) || (rc = pn__html_escape(&body, name, strlen(name))) ||
            (rc = pn__buf_puts(&body, "\">")) ||
            (rc = pn__html_escape(&body, name, strlen(name))) ||
            (rc = pn__buf_puts(&body, "</a></li>")))
            break;
    }
    if (rc == 0)
        rc = pn__buf_puts(&body, "</ul>");
    if (rc == 0) {
        const struct pn_tpl_var vars[] = {
            {"title", PN_STRLIT("pane")},
            {"css_url", text_or(css_url, "")},
            {"prefix", pn__str(prefix)},
            {"body", buf_str(&body)},
            {"theme", PN_STRLIT("auto")},
        };
        rc = pn__template_render(t, vars, sizeof vars / sizeof *vars, out);
    }
    pn__buf_fini(&body);
    return rc;
}

static int puts_escaped(struct pn_buf *b, const char *s)
{
    return pn__html_escape(b, s, strlen(s));
}

int pn__render_login(struct pn_buf *out, const struct pn_login_page *p)
{
    const struct pn_template *t = find_template("default");
    if (!t)
        return PN_ENOTFOUND;
    const char *prefix = p->prefix ? p->prefix : "";
    struct pn_buf body;
    pn__buf_init(&body, out->max);
    int rc = pn__buf_puts(&body, "<div class=\"pn-login\"><form class=\"pn-login-card\" "
                                 "method=\"post\" action=\"");
    if (rc == 0)
        rc = puts_escaped(&body, prefix);
    if (rc == 0)
        rc = pn__buf_puts(&body, "/login\"><h1 class=\"pn-login-title\">Log in</h1>");
    if (rc == 0 && p->message)
        if ((rc = pn__buf_puts(&body, "<p class=\"pn-login-error\" role=\"alert\">")) ||
            (rc = puts_escaped(&body, p->message)) || (rc = pn__buf_puts(&body, "</p>")))
            goto done;
    if (rc == 0 && p->notice)
        if ((rc = pn__buf_puts(&body, "<p class=\"pn-login-notice\" role=\"status\">")) ||
            (rc = puts_escaped(&body, p->notice)) || (rc = pn__buf_puts(&body, "</p>")))
            goto done;
    if (rc == 0)
        rc = pn__buf_puts(&body, "<label class=\"pn-text-input pn-login-field\">"
                                 "<span class=\"pn-widget-label\">User</span>"
                                 "<input name=\"user\" autocomplete=\"username\" "
                                 "autocapitalize=\"none\" spellcheck=\"false\" required "
                                 "maxlength=\"64\" value=\"");
    if (rc == 0 && p->user)
        rc = puts_escaped(&body, p->user);
    if (rc == 0)
        rc = pn__buf_puts(&body, p->user ? "\"></label>" : "\" autofocus></label>");
    if (rc == 0)
        rc = pn__buf_puts(&body, "<label class=\"pn-text-input pn-login-field\">"
                                 "<span class=\"pn-widget-label\">Password</span>"
                                 "<input type=\"password\" name=\"password\" "
                                 "autocomplete=\"current-password\" required");
    if (rc == 0)
        rc = pn__buf_puts(&body, p->user ? " autofocus></label>" : "></label>");
    if (rc == 0)
        rc = pn__buf_puts(&body, "<input type=\"hidden\" name=\"next\" value=\"");
    if (rc == 0)
        rc = puts_escaped(&body, p->next ? p->next : "/");
    if (rc == 0)
        rc = pn__buf_puts(&body, "\"><button class=\"pn-button pn-button-primary "
                                 "pn-login-button\" type=\"submit\">Log in</button></form></div>");
    if (rc == 0) {
        const struct pn_tpl_var vars[] = {
            {"title", PN_STRLIT("Log in")}, {"css_url", text_or(p->css_url, "")},
            {"prefix", pn__str(prefix)},    {"body", buf_str(&body)},
            {"theme", PN_STRLIT("auto")},
        };
        rc = pn__template_render(t, vars, sizeof vars / sizeof *vars, out);
    }
done:
    pn__buf_fini(&body);
    return rc;
}
