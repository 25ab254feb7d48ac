/*
 * doc: the component tree of a session. A session owns an arena; every node and every value
 * given at build time lives in it. Each component kind has a descriptor table — its name and,
 * for each property, the name, type and offset in the kind's option struct — that drives
 * rendering, JSON encoding and (later) patch validation. doc knows nothing of sockets or HTTP.
 */
#ifndef PN_DOC_H
#define PN_DOC_H

#include "base/base.h"

/* XX(ENUM, c_name, "PanelName", opts type, has children) — one line per component kind. */
#define PN_KIND_MAP(XX)                                                                        \
    XX(ROW, row, "Row", pn_row_opts, true)                                                     \
    XX(COLUMN, column, "Column", pn_column_opts, true)                                         \
    XX(CARD, card, "Card", pn_card_opts, true)                                                 \
    XX(NUMBER, number, "Number", pn_number_opts, false)                                        \
    XX(MARKDOWN, markdown, "Markdown", pn_markdown_opts, false)                                \
    XX(HTML, html, "HTML", pn_html_opts, false)

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
};

struct pn_prop {
    const char *name; /* as in the opts struct and in JSON */
    enum pn_prop_type type;
    size_t offset; /* offsetof(opts, field) */
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
    } o; /* the options, deep-copied into the arena; .items is cleared (use the children) */
};

/* Misuse recorded while building: shown in logs (and, later, as an error card in --dev). */
struct pn_misuse {
    struct pn_misuse *next;
    pn_here here;
    const char *msg;
};

/* The inputs a session is built from, copied into its arena. */
struct pn_session_init {
    const char *app_name; /* "weather" */
    pn_str query;         /* raw query string, no '?' */
    const pn_request *req; /* during pn_app only; may be NULL (tests) */
};

struct pn_session {
    struct pn_arena arena;
    const char *app_name;
    const char *query; /* raw, NUL-terminated copy */
    const pn_request *req;
    pn_template_opts tmpl; /* strings in the arena; NULL fields mean the defaults */
    pn_here tmpl_here;     /* where pn_template was called (the server checks the name) */
    pn_node root;          /* an unattached Column holding the servables */
    uint32_t next_id;
    struct pn_misuse *misuse, **misuse_tail;
    unsigned nmisuse;
};

/* Creates an empty session (no pn_app run yet). Never fails. */
pn_session *pn__session_new(const struct pn_session_init *init);
void pn__session_free(pn_session *s);
/* Records misuse on the session and logs it at warn level with file:line. */
void pn__session_misuse(pn_session *s, pn_here here, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Looks a kind up by its Panel name ("Number"); NULL if unknown. */
const struct pn_kind_desc *pn__kind_find(pn_str name);
/* Formats a number's value with its format string ("{value}", "{value:.1f}") into out.
 * Unknown placeholders are copied as text. Returns 0 or PN_ETOOBIG. */
int pn__number_format(const pn_number_opts *o, double value, struct pn_buf *out);
/* The colour a Number shows for its current value (stops, then default_color); NULL if none. */
const char *pn__number_color(const pn_number_opts *o);
/* Validation shared by builders and (later) patches. */
bool pn__css_color_ok(const char *s);  /* #rgb, #rrggbb, #rrggbbaa, named, rgb()/hsl() */
bool pn__css_length_ok(const char *s); /* 12px, 1.5em, 54pt, 80%, 2rem, 0 */

#endif
