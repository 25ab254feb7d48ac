/*
 * session: a session's arenas, its template choice and root, the misuse it recorded, its
 * destroy hooks, the thread that owns it, and the app-facing helpers that read its request
 * (pn_session_arg) or allocate from it (pn_fmt, pn_alloc).
 *
 * Two arenas: `arena` holds the tree and whatever pn_app asked for, and lives as long as the
 * session; `scratch` holds what a callback asks for (pn_fmt, pn_session_arg) and is reset when
 * the callback returns (pn__session_leave). A setter copies its string into the node's own heap
 * storage, so `pn_number_set_name(n, pn_fmt(s, …))` in a timer is safe and costs nothing that
 * lasts: a session whose callbacks run forever stays flat. pn_alloc's blocks are the app's
 * state: each its own heap block (zeroed, possibly large, and NULL rather than an abort when
 * there is no memory), listed on the session and freed with it, after the destroy hooks.
 */
#include <stdio.h>
#include <stdlib.h>

#include "base/record.h"
#include "doc/doc.h"

#define SESSION_BLOCK 2048 /* small first block: most weather-sized sessions fit in one */
#define SCRATCH_BLOCK 1024 /* allocated on a callback's first pn_fmt, kept between callbacks */

/* The root: an unattached container holding the servables; never rendered itself. */
static const struct pn_kind root_kind = {.name = "Root", .css_class = "pn-root", .container = true};

pn_session *pn__session_new(const struct pn_session_init *init)
{
    pn_session *s = pn__xcalloc(1, sizeof *s);
    pn__arena_init(&s->arena, SESSION_BLOCK);
    pn__arena_init(&s->scratch, SCRATCH_BLOCK);
    s->owner = pthread_self();
    s->app_name = pn__arena_strdup_utf8(&s->arena, init->app_name ? init->app_name : "app");
    s->prefix = pn__arena_strdup(&s->arena, init->prefix ? init->prefix : "");
    s->query = pn__arena_strndup(&s->arena, init->query.ptr ? init->query.ptr : "",
                                 init->query.len);
    s->user = pn__arena_strdup(&s->arena, init->user);
    s->req = init->req;
    s->root = pn__arena_alloc(&s->arena, sizeof *s->root);
    s->root->desc = &root_kind;
    s->root->s = s;
    s->root->here = (pn_here){"<root>", 0};
    s->sidebar = pn__arena_alloc(&s->arena, sizeof *s->sidebar);
    s->sidebar->desc = &root_kind;
    s->sidebar->s = s;
    s->sidebar->here = (pn_here){"<sidebar>", 0};
    s->misuse_tail = &s->misuse;
    return s;
}

static void free_heap_values(pn_node *n, void *ud)
{
    (void)ud;
    if (!n)
        return; /* removed */
    for (size_t i = 0; n->heap_mask && i < n->desc->nprops; i++)
        if (n->heap_mask & (1u << i))
            free(*(char **)pn__prop_ptr(n, &n->desc->props[i]));
    n->heap_mask = 0;
    if (n->desc->fini)
        n->desc->fini(n);
}

bool pn__session_owned(const pn_session *s, pn_here here, const char *api)
{
    if (pthread_equal(s->owner, pthread_self()))
        return true;
    /* nothing of the session is touched: not even misuse can be recorded without a race */
    pn__error("%s:%d: %s called from another thread than its session's (app %s): ignored; "
              "pane calls are for pn_app and the session's callbacks only",
              here.file ? here.file : "?", here.line, api, s->app_name);
    return false;
}

void pn__session_enter(pn_session *s)
{
    s->in_callback++;
}

void pn__session_leave(pn_session *s)
{
    if (s->in_callback && --s->in_callback == 0)
        pn__arena_reset(&s->scratch);
}

void pn_on_session_destroyed_at(pn_session *s, pn_timer_fn fn, void *arg, pn_here here)
{
    if (!s || !fn || !pn__session_owned(s, here, "pn_on_session_destroyed"))
        return;
    if (s->ended) {
        pn__session_misuse(s, here, "pn_on_session_destroyed while the session ends: ignored");
        return;
    }
    struct pn_hook *h = pn__xmalloc(sizeof *h);
    h->fn = fn;
    h->arg = arg;
    h->next = s->hooks;
    s->hooks = h;
}

void pn__session_end(pn_session *s)
{
    if (!s || s->ended)
        return;
    s->ended = true;
    struct pn_hook *hooks = s->hooks;
    s->hooks = NULL;
    for (struct pn_hook *h = hooks; h; h = h->next) {
        pn__session_enter(s);
        pn__entry_enter(PN_ENTRY_DESTROY, s->app_name, 0, "a session's end");
        h->fn(s, h->arg);
        pn__entry_leave();
        pn__session_leave(s);
    }
    for (struct pn_hook *h = hooks, *next; h; h = next) {
        next = h->next;
        free(h);
    }
}

void pn__session_free(pn_session *s)
{
    if (!s)
        return;
    pn__session_end(s);
    /* nodes not attached to the page can hold heap values too: walk by id */
    for (uint32_t id = 1; id <= s->next_id; id++) {
        pn_node *n = s->by_id[id];
        free_heap_values(n, NULL);
        if (n && n->own) {
            pn__arena_fini(&n->mem);
            free(n);
        }
    }
    for (struct pn_block *b = s->blocks, *next; b; b = next) { /* after the hooks */
        next = b->next;
        free(b);
    }
    free(s->by_id);
    free(s->removed);
    free(s->title_heap);
    pn__arena_fini(&s->scratch);
    pn__arena_fini(&s->arena);
    free(s);
}

void pn__session_misuse(pn_session *s, pn_here here, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->nmisuse < PN_MISUSE_KEEP) {
        struct pn_misuse *m = pn__arena_alloc(&s->arena, sizeof *m);
        m->here = here;
        m->msg = pn__arena_strdup(&s->arena, msg);
        *s->misuse_tail = m;
        s->misuse_tail = &m->next;
    }
    s->nmisuse++;
    pn__warn("%s:%d: %s (app %s)", here.file ? here.file : "?", here.line, msg, s->app_name);
}

void *pn_alloc_at(pn_session *s, size_t size, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_alloc"))
        return NULL;
    struct pn_block *b =
        size <= SIZE_MAX - sizeof *b ? calloc(1, sizeof *b + size) : NULL; /* no overflow */
    if (!b) {
        pn__session_misuse(s, here, "pn_alloc: no memory for %zu bytes", size);
        return NULL;
    }
    b->next = s->blocks;
    s->blocks = b;
    return b->data;
}

/* Where what the app asks for goes: the session's arena in pn_app, the scratch arena in a
 * callback. */
static struct pn_arena *ask_arena(pn_session *s)
{
    return s->in_callback ? &s->scratch : &s->arena;
}

const char *pn_session_user(pn_session *s)
{
    return s ? s->user : NULL;
}

const char *pn_session_arg_at(pn_session *s, const char *name, const char *def, pn_here here)
{
    if (!s || !name || !pn__session_owned(s, here, "pn_session_arg"))
        return def;
    struct pn_buf v;
    pn__buf_init(&v, 64 * 1024);
    int rc = pn__query_get(pn__str(s->query), name, &v);
    struct pn_arena *a = ask_arena(s);
    const char *out = rc == 0 ? pn__arena_strndup(a, v.data ? v.data : "", v.len)
                              : pn__arena_strdup(a, def);
    pn__buf_fini(&v);
    return out;
}

const char *pn_fmt_at(pn_session *s, pn_here here, const char *fmt, ...)
{
    if (!s || !pn__session_owned(s, here, "pn_fmt"))
        return "";
    va_list ap;
    va_start(ap, fmt);
    const char *p = pn__arena_vfmt(ask_arena(s), fmt ? fmt : "", ap);
    va_end(ap);
    return p;
}

void pn_template_set(pn_session *s, const pn_template_opts *o, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_template"))
        return;
    pn_template_opts t = *o;
    t.name = pn__arena_strdup_utf8(&s->arena, t.name);
    t.title = pn__arena_strdup_utf8(&s->arena, t.title);
    t.header_background = pn__arena_strdup_utf8(&s->arena, t.header_background);
    t.header_color = pn__arena_strdup_utf8(&s->arena, t.header_color);
    t.theme = pn__arena_strdup_utf8(&s->arena, t.theme);
    if (t.theme && strcmp(t.theme, "auto") != 0 && strcmp(t.theme, "light") != 0 &&
        strcmp(t.theme, "dark") != 0) {
        pn__session_misuse(s, here, "template.theme: \"%.40s\" is not auto, light or dark",
                           t.theme);
        t.theme = NULL;
    }
    if (t.header_background && !pn__css_color_ok(t.header_background)) {
        pn__session_misuse(s, here, "template.header_background: \"%.60s\" is not a CSS colour",
                           t.header_background);
        t.header_background = NULL;
    }
    if (t.header_color && !pn__css_color_ok(t.header_color)) {
        pn__session_misuse(s, here, "template.header_color: \"%.60s\" is not a CSS colour",
                           t.header_color);
        t.header_color = NULL;
    }
    s->tmpl = t;
    s->tmpl_here = here;
}

/* RFC 6265 §4.1.1: cookie-name is a token, cookie-value is cookie-octets. */
static bool cookie_name_ok(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (*s <= 0x20 || *s >= 0x7f || strchr("()<>@,;:\\\"/[]?={}", *s))
            return false;
    return true;
}

static bool cookie_value_ok(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\')
            return false;
    }
    return true;
}

static bool attributes_ok(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return false; /* no CR/LF: nothing can start a new header */
    return true;
}

void pn_set_cookie_at(pn_session *s, const char *name, const char *value,
                      const char *attributes, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_set_cookie"))
        return;
    if (s->live && !s->req) {
        pn__session_misuse(s, here, "pn_set_cookie after the page was sent: ignored");
        return;
    }
    if (!name || !value || !cookie_name_ok(name) || !cookie_value_ok(value) ||
        (attributes && !attributes_ok(attributes))) {
        pn__session_misuse(s, here, "pn_set_cookie: name, value or attributes not allowed by "
                                    "RFC 6265: not sent");
        return;
    }
    s->cookies = pn__arena_fmt(&s->arena, "%sSet-Cookie: %s=%s%s%s\r\n",
                               s->cookies ? s->cookies : "", name, value,
                               attributes && *attributes ? "; " : "",
                               attributes ? attributes : "");
}
