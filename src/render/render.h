/*
 * render: HTML out of a session. Templates (web/templates/NAME.html, embedded at build time) are
 * compiled once at start into byte runs and named slots; rendering a page is filling the slots.
 * Slots escape by default. Every component is rendered on the server, so the first HTML a
 * browser gets already shows the numbers.
 */
#ifndef PN_RENDER_H
#define PN_RENDER_H

#include "base/base.h"
#include "doc/doc.h"

/* ---- escaping ---------------------------------------------------------------------------- */

/* HTML-escapes text for element content and double-quoted attributes: & < > " ' and also
 * strips nothing — every byte survives, escaped. Returns 0 or PN_ETOOBIG. */
int pn__html_escape(struct pn_buf *out, const char *s, size_t n);
/* Escapes a string for a JSON string literal embedded in <script> ("</script>" and "<!--"
 * cannot occur in the output: <, >, & and U+2028/2029 become \u escapes). No quotes added. */
int pn__json_escape_script(struct pn_buf *out, const char *s, size_t n);

/* ---- templates --------------------------------------------------------------------------- */

/*
 * Template syntax:
 *   {{ name }}     a slot, HTML-escaped when filled
 *   {{{ name }}}   a raw slot: only for HTML that render/ itself produced
 *   everything else is copied as is.
 * Slot names are [a-z0-9_]+. An unterminated or empty slot is a compile error.
 */
struct pn_tpl_seg {
    pn_str text; /* bytes before the slot (may be empty) */
    pn_str slot; /* slot name; len 0 on the last segment (no slot) */
    bool raw;
};
struct pn_template {
    char *src; /* owned copy of the source; segments point into it */
    struct pn_tpl_seg *segs;
    size_t nsegs;
};
/* Compiles src. On error returns PN_EPARSE and writes a message with the line number. */
int pn__template_compile(pn_str src, struct pn_template *out, char *err, size_t errlen);
void pn__template_fini(struct pn_template *t);

/* A value for a slot: text for escaped slots, HTML for raw ones. */
struct pn_tpl_var {
    const char *name;
    pn_str value;
};
/* Renders t with vars into out. A slot with no var renders as empty. Returns 0 or PN_ETOOBIG. */
int pn__template_render(const struct pn_template *t, const struct pn_tpl_var *vars, size_t nvars,
                        struct pn_buf *out);

/* ---- components and pages --------------------------------------------------------------- */

/* Server-side HTML of one node and its subtree. Every node's outer element carries
 * id="pn-<id>" and data-pn-kind="<Kind>" so the client can find it. Returns 0 or PN_ETOOBIG. */
int pn__render_node(struct pn_buf *out, const pn_node *n);

/* For the kinds' html hooks: `<tag class="cls" id="pn-N" data-pn-kind="Kind"` (the caller
 * closes the tag), and text HTML-escaped (NULL: nothing). 0 or PN_ETOOBIG. Every string option
 * is written through pn__html_text; the only raw inputs are pn_html's .html and md4c's output
 * (which has raw HTML turned off). CSS values that go into a style attribute are checked again
 * with doc's validators and fall back to the default, so no value can open a new declaration. */
/* The same with declarations of the kind's own (a CSS variable, a height) in its style
 * attribute, before pn_size's (which win). */
int pn__html_open_style(struct pn_buf *out, const char *tag, const char *cls, const pn_node *n,
                        const char *style);
int pn__html_open(struct pn_buf *out, const char *tag, const char *cls, const pn_node *n);
int pn__html_text(struct pn_buf *out, const char *s);
#define PN_PUT(out, lit) pn__buf_append((out), (lit), sizeof(lit) - 1)

/* What a page needs besides the session. */
struct pn_page_ctx {
    const char *css_url;  /* versioned URL of pane.css, e.g. "/static/<etag>/pane.css" */
    const char *js_url;   /* versioned URL of pane.js (may be NULL: no script tag) */
    const char *app_path; /* "/weather" */
    const char *prefix;   /* --prefix, "" by default */
    const char *ws_path;  /* "/weather/ws": the live session's socket (NULL: no live data) */
    const char *token;    /* the session's token; NULL for a page that is cached for many */
    bool spinner;         /* --global-loading-spinner: a full-page overlay until the live doc */
    bool dev;             /* --dev: the client reconnects at once when its server goes away */
};

/* Loads and compiles every embedded template (web/templates/NAME.html). Call once at start;
 * returns 0 or an error with a message (a broken template is a start-up error). */
int pn__render_init(char *err, size_t errlen);
void pn__render_fini(void);
/* True if a template of that name exists ("default", "material"). */
bool pn__render_has_template(const char *name);
/* Renders the whole page of a built session into out (HTML, UTF-8). */
int pn__render_page(struct pn_buf *out, const pn_session *s, const struct pn_page_ctx *ctx);

/* The index page listing several apps (pane serve a.c b.c): a link to prefix + "/" + name for
 * each, in the default template's look. */
int pn__render_index(struct pn_buf *out, const char *const *app_names, size_t n,
                     const char *prefix, const char *css_url);

/* The login page (--basic-auth): a form posting user, password and next to PREFIX/login, in the
 * default template with pane.css. Every string is escaped. */
struct pn_login_page {
    const char *prefix; /* what URLs start with (--root-path and --prefix), or "" */
    const char *css_url;
    const char *next;    /* where a login goes (checked by the caller) */
    const char *user;    /* to fill the user field with (a failed login's), or NULL */
    const char *message; /* an error to show, or NULL */
    const char *notice;  /* a neutral line ("You have logged out."), or NULL */
};
int pn__render_login(struct pn_buf *out, const struct pn_login_page *p);

/* Markdown → HTML by md4c, raw HTML disabled (it shows as text). Returns 0 or PN_ETOOBIG. */
int pn__render_markdown(struct pn_buf *out, const char *md, size_t n);

#endif
