/*
 * doc: the component tree of a session. A session owns an arena; every node and every value
 * given at build time lives in it. Each component kind has a descriptor table — its name and,
 * for each property, the name, type and offset in the kind's option struct — that drives
 * rendering, JSON encoding and (later) patch validation. doc knows nothing of sockets or HTTP.
 */
#ifndef PN_DOC_H
#define PN_DOC_H

#include <pthread.h>

#include "base/base.h"

/* XX(ENUM, c_name, "PanelName", opts type, has children) — one line per component kind. */
#define PN_KIND_MAP(XX)                                                                        \
    XX(ROW, row, "Row", pn_row_opts, true)                                                     \
    XX(COLUMN, column, "Column", pn_column_opts, true)                                         \
    XX(CARD, card, "Card", pn_card_opts, true)                                                 \
    XX(NUMBER, number, "Number", pn_number_opts, false)                                        \
    XX(MARKDOWN, markdown, "Markdown", pn_markdown_opts, false)                                \
    XX(HTML, html, "HTML", pn_html_opts, false)                                                \
    XX(BUTTON, button, "Button", pn_button_opts, false)                                        \
    XX(TOGGLE, toggle, "Toggle", pn_toggle_opts, false)                                        \
    XX(CHECKBOX, checkbox, "Checkbox", pn_checkbox_opts, false)                                \
    XX(TEXT_INPUT, text_input, "TextInput", pn_text_input_opts, false)                         \
    XX(INT_SLIDER, int_slider, "IntSlider", pn_int_slider_opts, false)                         \
    XX(FLOAT_SLIDER, float_slider, "FloatSlider", pn_float_slider_opts, false)                 \
    XX(SELECT, select, "Select", pn_select_opts, false)

enum pn_kind {
#define XX(E, c, n, t, kids) PN_KIND_##E,
    PN_KIND_MAP(XX)
#undef XX
    PN_KIND_COUNT
};

enum pn_prop_type {
    PN_PROP_STR,    /* const char *, escaped wherever rendered */
    PN_PROP_RAW,    /* const char *, raw HTML (pn_html only) */
    PN_PROP_BOOL,   /* bool */
    PN_PROP_DOUBLE, /* double */
    PN_PROP_COLORS, /* const pn_color_stop *, {0, NULL}-terminated */
    PN_PROP_ITEMS,  /* pn_node *const *, NULL-terminated: becomes the node's children */
    PN_PROP_LONG,   /* long */
    PN_PROP_INT,    /* int */
    PN_PROP_STRS,   /* const char *const *, NULL-terminated (Select options) */
    PN_PROP_FN,     /* a callback: never encoded, never set from outside */
    PN_PROP_ARG,    /* the callback's void *arg: never encoded */
};

/* Property flags. */
enum {
    PN_PF_EVENT = 1 << 0, /* the client may send it in an "event" message */
    PN_PF_HIDDEN = 1 << 1 /* not sent to the client (callbacks, args) */
};

struct pn_prop {
    const char *name; /* as in the opts struct and in JSON */
    enum pn_prop_type type;
    size_t offset; /* offsetof(opts, field) */
    unsigned flags;
};

struct pn_kind_desc {
    enum pn_kind kind;
    const char *name;      /* Panel's name: "Number" */
    const char *css_class; /* "pn-number" */
    size_t opts_size;
    const struct pn_prop *props;
    size_t nprops;
    bool container; /* has children */
};
extern const struct pn_kind_desc pn__kinds[PN_KIND_COUNT];

/* The deepest a tree may be: the session's servables are level 1, their children 2, and so
 * on. A child that would go deeper is refused (misuse with the caller's file and line), so no
 * walk over the tree ever depends on a depth the app's data controls. */
#define PN_MAX_DEPTH 256

struct pn_node {
    const struct pn_kind_desc *desc;
    uint32_t id; /* unique within the session, 1-based, in creation order */
    pn_session *s;
    pn_node *parent, *first, *last, *next; /* children list */
    pn_here here;                          /* where the app made it */
    union {
        pn_row_opts row;
        pn_column_opts column;
        pn_card_opts card;
        pn_number_opts number;
        pn_markdown_opts markdown;
        pn_html_opts html;
        pn_button_opts button;
        pn_toggle_opts toggle;
        pn_checkbox_opts checkbox;
        pn_text_input_opts text_input;
        pn_int_slider_opts int_slider;
        pn_float_slider_opts float_slider;
        pn_select_opts select;
    } o; /* the current options: copied into the arena at build time; .items is cleared (use
            the children); a string a setter changed is on the heap (heap_mask) */
    uint32_t heap_mask;  /* bit i: string prop i is heap-owned by this node */
    uint32_t dirty_mask; /* bit i: prop i changed since the last patch */
    pn_node *dirty_next; /* in the session's dirty list while dirty_mask != 0 */
    bool dirty_listed;   /* on the session's dirty list (even if its mask was cleared since) */
    long clicks;         /* Button */
    uint16_t height;     /* levels in this node's subtree below it (0: no children) */
};

/* Misuse recorded while building: shown in logs (and, later, as an error card in --dev). */
struct pn_misuse {
    struct pn_misuse *next;
    pn_here here;
    const char *msg;
};

/* A destroy hook (pn_on_session_destroyed). */
struct pn_hook {
    struct pn_hook *next;
    void (*fn)(pn_session *s, void *arg);
    void *arg;
};

/* Misuse records kept per session (all are counted and logged): a callback that misuses on
 * every tick must not grow the session. */
#define PN_MISUSE_KEEP 64

/* The inputs a session is built from, copied into its arena. */
struct pn_session_init {
    const char *app_name; /* "weather" */
    pn_str query;         /* raw query string, no '?' */
    const pn_request *req; /* during pn_app only; may be NULL (tests) */
};

struct pn_session {
    struct pn_arena arena;   /* the tree and what pn_app asked for: freed with the session */
    struct pn_arena scratch; /* what a callback asks for (pn_fmt …): reset after each callback */
    unsigned in_callback;    /* depth of pn__session_enter */
    pthread_t owner;         /* the thread that made it (its loop's): the only one that may
                                change it */
    const char *app_name;
    const char *query; /* raw, NUL-terminated copy */
    const pn_request *req;
    pn_template_opts tmpl; /* strings in the arena; NULL fields mean the defaults */
    pn_here tmpl_here;     /* where pn_template was called (the server checks the name) */
    pn_node root;          /* an unattached Column holding the servables */
    uint32_t next_id;
    struct pn_misuse *misuse, **misuse_tail;
    unsigned nmisuse;
    pn_node *dirty;      /* nodes changed since the last patch, most recent first */
    bool title_dirty;    /* pn_title_set since the last patch */
    char *title_heap;    /* the title a setter gave (heap) */
    /* Set by the server for a live session: called when a node first becomes dirty, so the
     * server can schedule a patch. NULL while building or for a page-only session. */
    void (*on_dirty)(pn_session *s);
    void *live; /* the server's per-session state (timers, socket); doc never looks inside */
    const char *cookies; /* "Set-Cookie: …\r\n" lines from pn_set_cookie (arena), or NULL */
    pn_node **by_id; /* heap array, index = id */
    size_t by_id_cap;
    struct pn_hook *hooks; /* pn_on_session_destroyed, most recent first (heap) */
    bool ended;            /* pn__session_end ran */
};

/* Creates an empty session (no pn_app run yet), owned by the calling thread. Never fails. */
pn_session *pn__session_new(const struct pn_session_init *init);
/* Runs the destroy hooks (once; later calls do nothing). Every session that ran pn_app ends:
 * the server calls it when a live session is destroyed, and pn__session_free calls it for a
 * page-only one. After it, pn_on_session_destroyed does nothing. */
void pn__session_end(pn_session *s);
/* Ends the session (if not yet) and frees it with every heap value. */
void pn__session_free(pn_session *s);
/* Brackets every app callback the server runs on a session (timer, widget, destroy hook):
 * what the callback asked for from the scratch arena (pn_fmt, pn_session_arg) is freed when
 * the outermost callback leaves, so a long-lived session does not grow with its callbacks. */
void pn__session_enter(pn_session *s);
void pn__session_leave(pn_session *s);
/* True when the caller is s's thread. Otherwise logs an error naming here and api and returns
 * false: the caller must then not touch the session (not even to record misuse). */
bool pn__session_owned(const pn_session *s, pn_here here, const char *api);
/* Records misuse on the session and logs it at warn level with file:line. */
void pn__session_misuse(pn_session *s, pn_here here, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The property of n's kind named name; NULL if none. */
const struct pn_prop *pn__prop_find(const struct pn_kind_desc *d, pn_str name);
/* Index of a prop in its kind's table (for the masks). */
static inline unsigned pn__prop_index(const struct pn_kind_desc *d, const struct pn_prop *p)
{
    return (unsigned)(p - d->props);
}
/* Address of a prop's value in a node. */
static inline void *pn__prop_ptr(pn_node *n, const struct pn_prop *p)
{
    return (unsigned char *)&n->o + p->offset;
}
static inline const void *pn__prop_cptr(const pn_node *n, const struct pn_prop *p)
{
    return (const unsigned char *)&n->o + p->offset;
}

/* A value from outside (an event) or a setter, before validation. */
struct pn_value {
    enum { PN_V_NONE, PN_V_BOOL, PN_V_NUM, PN_V_STR } type;
    bool b;
    double num;
    const char *str; /* NUL-terminated; copied by pn__node_set */
};
/* Validates v for prop and, if it is acceptable, sets it (strings copied to the heap), marks
 * the prop dirty and notifies the session. Returns 0, or PN_EINVAL with a reason in *why.
 * Sliders clamp to their range; Select requires one of its options. */
int pn__node_set(pn_node *n, const struct pn_prop *p, const struct pn_value *v,
                 const char **why);
/* Takes the session's dirty list (linked by dirty_next) and empties it. The caller encodes
 * each node's dirty_mask and then clears it. */
pn_node *pn__session_take_dirty(pn_session *s);

/* Every node of the session: calls fn on each, depth first, root's children first. */
void pn__session_walk(pn_session *s, void (*fn)(pn_node *n, void *ud), void *ud);
/* Finds a node by id; NULL if none (ids come from outside: never trust them). */
pn_node *pn__session_find(pn_session *s, uint32_t id);
/* The page title in effect (setter, template, app name). */
const char *pn__session_title(const pn_session *s);

/* Looks a kind up by its Panel name ("Number"); NULL if unknown. */
const struct pn_kind_desc *pn__kind_find(pn_str name);
/* Formats a number's value with its format string ("{value}", "{value:.1f}") into out.
 * Unknown placeholders are copied as text. Returns 0 or PN_ETOOBIG. */
/* Checks a Number/FloatSlider format: every "{…}" must be {value} or {value:.Nf} (N 0..20);
 * "{{" and "}}" stand for literal braces. Returns NULL, or why not (static text). */
const char *pn__number_format_check(const char *format);
int pn__number_format(const pn_number_opts *o, double value, struct pn_buf *out);
/* The colour a Number shows for its current value (stops, then default_color); NULL if none. */
const char *pn__number_color(const pn_number_opts *o);
/* Validation shared by builders and (later) patches. */
bool pn__css_color_ok(const char *s);  /* #rgb, #rrggbb, #rrggbbaa, named, rgb()/hsl() */
bool pn__css_length_ok(const char *s); /* 12px, 1.5em, 54pt, 80%, 2rem, 0 */

#endif
