/*
 * doc: the component tree of a session. A session owns an arena; every node and every value
 * given at build time lives in it. Each component kind has a descriptor table — its name and,
 * for each property, the name, type and offset in the kind's option struct — that drives
 * rendering, JSON encoding and (later) patch validation. doc knows nothing of sockets or HTTP.
 */
#ifndef PN_DOC_H
#define PN_DOC_H

#include <pthread.h>
#include <stdatomic.h>

#include "base/base.h"

struct pn_blob;

/* The largest page, live doc or patch pane sends (server.h says what happens past it). */
#define PN_MAX_DOC (16u << 20)

/* A property's type in a kind's option struct. */
enum pn_prop_type {
    PN_PROP_STR,    /* const char *, escaped wherever rendered */
    PN_PROP_RAW,    /* const char *, raw HTML (pn_html only) */
    PN_PROP_BOOL,   /* bool */
    PN_PROP_DOUBLE, /* double */
    PN_PROP_COLORS, /* const pn_color_stop *, {0, NULL}-terminated */
    PN_PROP_ITEMS,  /* pn_node *const *, NULL-terminated: becomes the node's children */
    PN_PROP_LONG,   /* long */
    PN_PROP_INT,    /* int */
    PN_PROP_STRS,   /* const char *const *, NULL-terminated (Select options); settable only
                       when a PN_EVENT_PROP (CheckBoxGroup's value), through the kind's check,
                       which makes it the node's own strings */
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

#define PN_PROP(T, field, type) {#field, type, offsetof(T, field), 0}
#define PN_EVENT_PROP(T, field, type) {#field, type, offsetof(T, field), PN_PF_EVENT}
#define PN_HIDDEN_PROP(T, field, type) {#field, type, offsetof(T, field), PN_PF_HIDDEN}
/* A widget's { callback, arg } pair, which every widget's opts end with. */
#define PN_CALLBACK_PROPS(T, fn)                                                                 \
    PN_HIDDEN_PROP(T, fn, PN_PROP_FN), PN_HIDDEN_PROP(T, arg, PN_PROP_ARG)
#define PN_COUNT(a) (sizeof(a) / sizeof *(a))

/* The most items a list value may have (an event's JSON array; a setter's list). */
#define PN_MAX_LIST 1024

/* A value from outside (an event) or a setter, before validation. */
struct pn_value {
    enum { PN_V_NONE, PN_V_BOOL, PN_V_NUM, PN_V_STR, PN_V_STRS, PN_V_NUMS } type;
    bool b;
    double num;
    const char *str; /* NUL-terminated; copied by pn__node_set */
    /* PN_V_STRS: n strings (NUL-terminated). For a PN_PROP_STRS prop, pn__node_set hands the
     * kind's check a heap copy of the array, which the check rewrites into strings the node
     * owns (its options), in the kind's order, and may shorten (n). */
    const char **strs;
    const double *nums; /* PN_V_NUMS: n finite numbers (RangeSlider's [start, end]) */
    size_t n;
};

/* What an event asks the server to run: the widget's callback, or nothing. */
struct pn_call {
    pn_callback fn;
    void *arg;
};

/*
 * A component kind: everything pane knows of it, in one place (src/kinds/NAME.c), as a widget
 * class is in lvgl. doc, render and the server reach a kind only through this table; none of
 * them names a kind. Hooks left NULL take the generic behaviour described with each.
 */
struct pn_kind {
    const char *name;      /* Panel's name, and data-pn-kind: "Number" */
    const char *css_class; /* "pn-number" */
    size_t opts_size;      /* its pn_..._opts */
    size_t state_size;     /* state the kind keeps beside its options (Button: clicks) */
    const struct pn_prop *props;
    size_t nprops;
    bool container; /* has children */
    /* Defaults and build-time checks, after the options were copied into the arena (strings
     * valid UTF-8). given is what the app passed (NULL: all defaults). Misuse at here. */
    void (*init)(pn_node *n, const void *given, pn_here here);
    /* A value for p is about to be stored (from a setter or an event): 0, possibly after
     * adjusting *v (sliders clamp), or PN_EINVAL with why. NULL: any value of p's type. */
    int (*check)(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why);
    /* An event from the client for prop: NULL with what to run in *call, or an error code
     * ("bad-prop", "bad-value") with why. A disabled widget must take no event (NULL, nothing
     * to run). NULL hook: a PN_PF_EVENT prop set through pn__node_set, without echoing it,
     * then the kind's callback. */
    const char *(*event)(pn_node *n, pn_str prop, const struct pn_value *v, struct pn_call *call,
                         const char **why);
    /* Server-side HTML: a leaf whole, or a container up to its children (html_close after
     * them). The outer element carries id="pn-ID" and data-pn-kind (render.md). */
    int (*html)(struct pn_buf *out, const pn_node *n);
    int (*html_close)(struct pn_buf *out, const pn_node *n);
    /* Patch encoding: the wire values of the props in mask (changed since the last patch) into
     * the JSON object changes (a json_t *), keyed as the client module reads them: a slot the
     * server rendered ("text") or a prop by name. 0, or an error code. NULL: each changed
     * prop that is not hidden, by name. */
    int (*patch)(const pn_node *n, uint32_t mask, void *changes);
    /* Extra values for the doc's props (a json_t *): Button's clicks. NULL: none. */
    int (*doc)(const pn_node *n, void *props);
    /* Kinds with data that travels in binary messages (Plot): appends one record of what the
     * client has not got to bin (docs/internals/protocol.md, "Data messages"), or nothing.
     * mode: PN_DATA_SEND (what is new, or the whole window when the client missed some),
     * PN_DATA_SNAPSHOT (the whole window: a new doc was sent), PN_DATA_DROP (nobody listens:
     * forget what is pending). 0 or an error code. */
    int (*data)(pn_node *n, int mode, struct pn_buf *bin);
    /* Frees what the node holds on the heap besides its strings (a Plot's window). */
    void (*fini)(pn_node *n);
    /* Kinds that can show a value feed (Number, Markdown; pn__session_watch_feed at init):
     * feed_key is what of the node's options its encoding of a feed's value depends on (a
     * Number's format and colours), owned by the node: nodes with equal keys get the same
     * bytes. feed_encode writes the JSON object of changes that shows the value (num for a
     * number feed, text for a text feed) into out, as its patch hook would. 0 or an error. */
    const char *(*feed_key)(const pn_node *n);
    int (*feed_encode)(const pn_node *n, double num, const struct pn_blob *text,
                       struct pn_buf *out);
    /* A container's extra attributes for one of its children's outer element (Tabs: the panel's
     * role, and whether it is the active one), or NULL. */
    const char *(*child_attrs)(const pn_node *parent, const pn_node *child);
    /* A container's wrapper around each child (Accordion: a <details> with the child's title),
     * written before and after the child's own HTML; the wrapper's element carries
     * data-pn-wrap, so that the client removes it with its child. NULL: none. */
    int (*child_open)(struct pn_buf *out, const pn_node *parent, const pn_node *child);
    /* A child was added to or removed from the shown page, or shown or hidden (pn_set_visible,
     * also while building: parent->s->shown says which) (Tabs: its tab buttons follow). */
    void (*children_changed)(pn_node *parent);
    int (*child_close)(struct pn_buf *out, const pn_node *parent, const pn_node *child);
    /* A client library the page must load for this kind ("plot": client/plot.js and .css),
     * before pane.js. NULL: none. */
    const char *lib;
};
enum { PN_DATA_SEND, PN_DATA_SNAPSHOT, PN_DATA_DROP };

/* The kinds pane has (src/kinds/kinds.c), for lookups by name. */
extern const struct pn_kind *const pn__kind_list[];
extern const size_t pn__kind_count;
/* Looks a kind up by its Panel name ("Number"); NULL if unknown. */
const struct pn_kind *pn__kind_find(pn_str name);

/* The deepest a tree may be: the session's servables are level 1, their children 2, and so
 * on. A child that would go deeper is refused (misuse with the caller's file and line), so no
 * walk over the tree ever depends on a depth the app's data controls. */
#define PN_MAX_DEPTH 256

struct pn_node {
    const struct pn_kind *desc;
    uint32_t id; /* unique within the session, 1-based, in creation order */
    pn_session *s;
    pn_node *parent, *first, *last, *next; /* children list */
    pn_here here;                          /* where the app made it */
    uint32_t heap_mask;  /* bit i: string prop i is heap-owned by this node */
    uint32_t dirty_mask; /* bit i: prop i changed since the last patch */
    pn_node *dirty_next; /* in the session's dirty list while dirty_mask != 0 */
    bool dirty_listed;   /* on the session's dirty list (even if its mask was cleared since) */
    uint16_t height;     /* levels in this node's subtree below it (0: no children) */
    bool hidden;         /* pn_set_visible(n, false): rendered with the hidden attribute */
    const pn_size_opts *size; /* pn_size: in its arena; NULL: none */
    bool own;            /* made after the page was shown: its own allocation and arena (mem),
                            freed by pn_remove; else in the session's arena until its end */
    struct pn_arena mem; /* own nodes: its options' copies (pn__node_arena) */
    bool inserted;       /* added to a shown tree since the last patch (PN_DIRTY_INSERT) */
    uint32_t insert_batch; /* the patch whose insert op carried it (its subtree too) */
    pn_node *data_next;  /* the session's nodes of kinds with a data hook */
    /* the kind's options (desc->opts_size bytes; copied into the arena at build time, .items
     * cleared: use the children; a string a setter changed is on the heap, see heap_mask),
     * then its state (desc->state_size bytes, zeroed) */
    _Alignas(max_align_t) unsigned char o[];
};

/* Where a node's copies of what it was given go (strings, lists): its own arena for a node made
 * after the page was shown (pn_remove frees it), the session's otherwise. */
struct pn_arena *pn__node_arena(pn_node *n);
/* Whether n is one of the session's roots (the main area's, the sidebar's). */
bool pn__is_root(const pn_node *n);

/* A node's options, as its kind's pn_..._opts. */
#define PN_OPTS(n, T) ((T *)(void *)(n)->o)
#define PN_COPTS(n, T) ((const T *)(const void *)(n)->o)
/* A node's kind state (desc->state_size bytes after the options). */
static inline void *pn__node_state(const pn_node *n)
{
    size_t a = _Alignof(max_align_t);
    return (void *)(uintptr_t)(n->o + (n->desc->opts_size + a - 1) / a * a);
}

/* Misuse recorded while building: shown in logs (and, later, as an error card in --dev). */
struct pn_misuse {
    struct pn_misuse *next;
    pn_here here;
    const char *msg;
};

/* A block of pn_alloc: the app's memory follows the link. */
struct pn_block {
    struct pn_block *next;
    _Alignas(max_align_t) unsigned char data[];
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
    const char *prefix;   /* the URL prefix its pages are served under (--prefix); NULL: "" */
    pn_str query;         /* raw query string, no '?' */
    const pn_request *req; /* during pn_app only; may be NULL (tests) */
    const char *user;      /* the logged-in user (--basic-auth), or NULL */
};

struct pn_session {
    struct pn_arena arena;   /* the tree and what pn_app asked for: freed with the session */
    struct pn_arena scratch; /* what a callback asks for (pn_fmt …): reset after each callback */
    unsigned in_callback;    /* depth of pn__session_enter */
    pthread_t owner;         /* the thread that made it (its loop's): the only one that may
                                change it */
    const char *app_name;
    const char *prefix; /* "" or "/dash": URLs a kind writes start with it (an Image's) */
    const char *query;  /* raw, NUL-terminated copy */
    const char *user;   /* pn_session_user: arena copy, or NULL without --basic-auth */
    const pn_request *req;
    pn_template_opts tmpl; /* strings in the arena; NULL fields mean the defaults */
    pn_here tmpl_here;     /* where pn_template was called (the server checks the name) */
    pn_node *root;         /* an unattached container holding the servables */
    pn_node *sidebar;      /* another one holding the sidebar's nodes (pn_sidebar) */
    uint32_t next_id;
    struct pn_misuse *misuse, **misuse_tail;
    unsigned nmisuse;
    pn_node *dirty;      /* nodes changed since the last patch, most recent first */
    bool title_dirty;    /* pn_title_set since the last patch */
    bool shown;          /* a client has the tree (a doc was made): changes to it go out as
                            ops (insert, hidden) */
    uint32_t patches;    /* patches made (insert_batch) */
    char *title_heap;    /* the title a setter gave (heap) */
    /* Set by the server for a live session: called when a node first becomes dirty, so the
     * server can schedule a patch. NULL while building or for a page-only session. */
    void (*on_dirty)(pn_session *s);
    /* Set by the server for a live session: node n of it shows feed f (pn__session_watch_feed);
     * node n is being removed (pn_remove): it shows nothing any more. */
    void (*watch_feed)(pn_session *s, pn_feed *f, pn_node *n);
    void (*unwatch_node)(pn_session *s, pn_node *n);
    uint32_t *removed; /* ids of nodes the client has that were removed since the last patch */
    size_t nremoved, removed_cap;
    void *live; /* the server's per-session state (timers, socket); doc never looks inside */
    const char *cookies; /* "Set-Cookie: …\r\n" lines from pn_set_cookie (arena), or NULL */
    pn_node **by_id; /* heap array, index = id */
    size_t by_id_cap;
    struct pn_hook *hooks; /* pn_on_session_destroyed, most recent first (heap) */
    struct pn_block *blocks; /* pn_alloc's, most recent first (heap): freed after the hooks */
    pn_node *data_nodes;   /* nodes whose kind has a data hook, most recent first */
    const char *libs[4];   /* the client libraries its kinds need (struct pn_kind.lib) */
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
const struct pn_prop *pn__prop_find(const struct pn_kind *d, pn_str name);
/* Index of a prop in its kind's table (for the masks). */
static inline unsigned pn__prop_index(const struct pn_kind *d, const struct pn_prop *p)
{
    return (unsigned)(p - d->props);
}
/* Address of a prop's value in a node. */
static inline void *pn__prop_ptr(pn_node *n, const struct pn_prop *p)
{
    return n->o + p->offset;
}
static inline const void *pn__prop_cptr(const pn_node *n, const struct pn_prop *p)
{
    return n->o + p->offset;
}

/* A new node of kind k in s's arena, its options copied from opts (NULL: all zero), made valid
 * (strings UTF-8, colours checked, .items linked as children) and then given to k->init. NULL
 * (nothing touched) only when called from another thread than the session's. */
pn_node *pn__node_new(pn_session *s, const struct pn_kind *k, const void *opts, pn_here here);

/* Validates v for prop (by type, then the kind's check) and, if it is acceptable, sets it
 * (strings copied to the heap), marks the prop dirty and notifies the session. Returns 0, or
 * PN_EINVAL with a reason in *why. */
int pn__node_set(pn_node *n, const struct pn_prop *p, const struct pn_value *v,
                 const char **why);
/* A public setter's body: sets prop `name` of n to v when n is of one of kinds (NULL-terminated;
 * NULL: any kind with that prop) and the caller is n's session's thread; misuse at here (the
 * setter's call, named api) otherwise, and n keeps its value. */
void pn__setter(pn_node *n, const struct pn_kind *const *kinds, const char *name,
                struct pn_value v, const char *api, pn_here here);
#define PN_NUM(x) ((struct pn_value){.type = PN_V_NUM, .num = (x)})
#define PN_STR(x) ((struct pn_value){.type = PN_V_STR, .str = (x) ? (x) : ""})
#define PN_BOOL(x) ((struct pn_value){.type = PN_V_BOOL, .b = (x)})
/* A NULL-terminated list as a value (NULL: empty; more than PN_MAX_LIST: refused by the set). */
static inline struct pn_value pn__value_strs(const char *const *list)
{
    size_t n = 0;
    while (list && list[n] && n <= PN_MAX_LIST)
        n++;
    return (struct pn_value){.type = PN_V_STRS, .strs = (const char **)(uintptr_t)list, .n = n};
}
/* True when n is a node of kind k (NULL n: false). */
static inline bool pn__is(const pn_node *n, const struct pn_kind *k)
{
    return n && n->desc == k;
}

/* Applies an event from the client to n: the kind's event hook, or the generic one (a
 * PN_PF_EVENT prop set and not echoed). Returns NULL with what to run in *call (fn NULL:
 * nothing, e.g. a disabled widget), or an error code for the client ("not-a-widget",
 * "bad-prop", "bad-value") with why. */
const char *pn__node_event(pn_node *n, pn_str prop, const struct pn_value *v,
                           struct pn_call *call, const char **why);
/* True for a kind that takes events (it has a callback). */
bool pn__kind_is_widget(const struct pn_kind *k);
/* A widget's "disabled" prop (false for kinds without one). */
bool pn__node_disabled(pn_node *n);
/* A widget's { callback, arg } (its PN_PROP_FN and PN_PROP_ARG props). */
struct pn_call pn__node_callback(pn_node *n);
/* Takes the session's dirty list (linked by dirty_next) and empties it. The caller encodes
 * each node's dirty_mask and then clears it. */
pn_node *pn__session_take_dirty(pn_session *s);

/* Every node of the session: calls fn on each, depth first, root's children first. */
void pn__session_walk(pn_session *s, void (*fn)(pn_node *n, void *ud), void *ud);
/* Finds a node by id; NULL if none (ids come from outside: never trust them). */
pn_node *pn__session_find(pn_session *s, uint32_t id);
/* The page title in effect (setter, template, app name). */
const char *pn__session_title(const pn_session *s);

/* ---- JSON (json.c): the doc's tree and the patches, through the kinds' tables and hooks ---- */

/* The JSON array of root's children: [{"id", "kind", "props", "children"?}, ...] (a json_t *);
 * NULL when a value could not be encoded. Walks without recursion. */
void *pn__doc_tree_json(const pn_node *root);
/* The ops of the session's changes since the last call, appended to ops (a json_t * array):
 * ["title", TEXT] and [ID, {changes}] in the order of the changes; the dirty list is emptied.
 * Returns 0 or the first error (the ops then are incomplete and must not be sent). */
int pn__doc_patch_ops(pn_session *s, void *ops);
/* A doc of the whole tree is being sent: from now on nodes added to it go out as insert ops,
 * and those added before are in the doc (their pending inserts are dropped). */
void pn__doc_shown(pn_session *s);
/* The same, rendering the nodes added to the shown tree with render (render.h's
 * pn__render_node: doc does not reach render) into ["insert", …] ops (protocol.md); without a
 * renderer, nodes added are left out. */
int pn__doc_patch_ops_r(pn_session *s, void *ops,
                        int (*render)(struct pn_buf *out, const pn_node *n));
/* The binary data message of everything the session's data nodes have not sent (mode as the
 * kinds' data hook) into bin: empty when there is nothing. 0 or the first error. */
int pn__doc_data(pn_session *s, int mode, struct pn_buf *bin);
/* Marks n's data changed (PN_DIRTY_DATA in its dirty mask: a Plot's appended points), so
 * that the session flushes; the kind's patch hook sees the bit, its data hook sends the data. */
void pn__node_touch(pn_node *n);
#define PN_DIRTY_DATA (1u << 31) /* a kind has at most 29 props */
#define PN_DIRTY_HIDDEN (1u << 30) /* pn_set_visible changed it: {"hidden": bool} */
#define PN_DIRTY_INSERT (1u << 29) /* added to the shown tree: an insert op carries it */
#define PN_DIRTY_SIZE (1u << 28)   /* pn_size changed it: {"size": {CSS property: value}} */
/* n's size (pn_size) as CSS declarations ("width:300px;grid-column:span 2;"), and the
 * data-pn-stretch value ("w", "h", "w h"; "" for none). */
int pn__size_css(const pn_node *n, struct pn_buf *out);
const char *pn__size_stretch(const pn_node *n);
/* Marks bit idx of n's dirty mask (a prop's index, or one of the PN_DIRTY_ bits' positions). */
void pn__node_mark(pn_node *n, unsigned idx);
/* A prop's value as JSON (a json_t *, new reference); NULL for what is never encoded. */
void *pn__prop_json(const pn_node *n, const struct pn_prop *p);
/* Appends j (a json_t *, not taken) to out, compact: 0, PN_ETOOBIG or PN_EINVAL (out as
 * before). */
int pn__json_dump(void *j, struct pn_buf *out);
/* Sets obj[name] = value (a json_t * taken); -1 when value is NULL or it could not be set. */
int pn__json_set(void *obj, const char *name, void *value);

/* ---- feeds (feed.c): values and series the process shares; the public side is pane.h's
 * pn_feed_* ---- */

/* Immutable bytes shared between threads by reference count (NUL-terminated). */
struct pn_blob {
    atomic_uint refs;
    size_t len;
    char data[];
};
struct pn_blob *pn__blob_new(const char *data, size_t len);
struct pn_blob *pn__blob_ref(struct pn_blob *b);
void pn__blob_unref(struct pn_blob *b); /* NULL: nothing */

enum { PN_FEED_SERIES, PN_FEED_NUMBER, PN_FEED_TEXT };
int pn__feed_type(const pn_feed *f);
/* A value feed's version (publishes so far) and, when asked, its value (*text: a reference,
 * for pn__blob_unref). */
uint64_t pn__feed_value(pn_feed *f, double *num, struct pn_blob **text);
uint64_t pn__feed_version(pn_feed *f);
/* A value feed's version and value at one moment (text: a reference), so that every node
 * a loop updates in one go shows the same version. */
struct pn_feed_snap {
    uint64_t version;
    uint64_t published_ns; /* when that version was published (CLOCK_MONOTONIC) */
    double num;
    struct pn_blob *text;
};
void pn__feed_snap(pn_feed *f, struct pn_feed_snap *snap);
void pn__feed_snap_fini(struct pn_feed_snap *snap);
/* The encoding (n's kind's feed_encode, JSON changes) of snap's value under key (n's
 * feed_key): made by the first caller for that version and key, shared by the others (the
 * feed keeps the newest version's per key). A reference, or NULL when it could not be
 * encoded. */
struct pn_blob *pn__feed_encoded(pn_feed *f, const struct pn_feed_snap *snap, const char *key,
                                 const pn_node *n);
/* Value encodings made by this process so far (the bench's encodings per publish). */
uint64_t pn__feed_encodings(void);

/* Its shape, fixed at creation. */
const char *pn__feed_name(const pn_feed *f);
int pn__feed_nseries(const pn_feed *f);
size_t pn__feed_cap(const pn_feed *f);
/* Points appended in all. */
uint64_t pn__feed_seq(pn_feed *f);
/* Calls fn(ud) after each append, from the appending thread, under the feed's lock: it must
 * only note it and wake a loop. After pn__feed_unwatch returns, fn is not called again. */
void pn__feed_watch(pn_feed *f, void (*fn)(void *ud), void *ud);
void pn__feed_unwatch(pn_feed *f, void (*fn)(void *ud), void *ud);
/* Writes the data record node id needs into bin: the points after *sent as they were encoded
 * when appended (op 1), or the window (op 2) when whole or when the chunks kept do not reach
 * back to *sent; nothing when nothing is new. *sent becomes the feed's sequence number.
 * 0 or PN_ETOOBIG. */
int pn__feed_record(pn_feed *f, uint32_t id, bool whole, uint64_t *sent, struct pn_buf *bin);
/* A copy of the window (heap: x[n], then y[n] for each series); returns n. */
size_t pn__feed_copy(pn_feed *f, double **x, double **y);
/* The mirror (runtime/redis.c): what carries a shared feed's updates (pn_feed_redis) to
 * every process and back. publish is called under the feed's lock with an update (a number:
 * its double; a text: its bytes; a series: u32 n, u32 k, x[n], y[n * k], host order) and
 * returns true when it took it: the update is not applied here, the mirror brings it back
 * through pn__feed_apply in the one order every process sees. shared is called (under no
 * feed's lock) for each feed that becomes shared while the mirror is set, and for the ones
 * shared before; it returns the feed's link, passed to publish. */
struct pn_feed_mirror {
    bool (*publish)(pn_feed *f, void *link, const void *update, size_t len);
    void *(*shared)(pn_feed *f);
};
void pn__feed_set_mirror(const struct pn_feed_mirror *m);
bool pn__feed_shared(const pn_feed *f);
/* Applies an update that came through the mirror: 0, or PN_EINVAL when it is not one of this
 * feed's (its size, series count or point count): nothing changes. */
int pn__feed_apply(pn_feed *f, const void *update, size_t len);
/* A series feed's window emptied, before the mirror replays the state it keeps. */
void pn__feed_reset(pn_feed *f);
/* Frees every feed: for tests only. A process keeps its feeds to its end (a program's thread
 * may publish to one after its server stopped; the registry keeps them reachable). */
void pn__feeds_free(void);
/* Node n shows feed f: asks the session's server to send n what is published to f (a Plot's
 * new points, a Number's new value): s->watch_feed, when the server set it. */
static inline void pn__session_watch_feed(pn_session *s, pn_feed *f, pn_node *n)
{
    if (s->watch_feed)
        s->watch_feed(s, f, n);
}

/* ---- values (format.c) ---- */

/* Formats value with a format string ("{value}", "{value:.1f}"; NULL is "{value}") into out.
 * Unknown placeholders are copied as text. On failure out is as it was. 0 or PN_ETOOBIG. */
int pn__value_format(const char *format, double value, struct pn_buf *out);
/* Checks a Number/FloatSlider format: every "{…}" must be {value} or {value:.Nf} (N 0..20);
 * "{{" and "}}" stand for literal braces. Returns NULL, or why not (static text). */
const char *pn__number_format_check(const char *format);
/* Validation shared by builders and setters. */
bool pn__css_color_ok(const char *s);  /* #rgb, #rrggbb, #rrggbbaa, named, rgb()/hsl() */
bool pn__css_length_ok(const char *s); /* 12px, 1.5em, 54pt, 80%, 2rem, 0 */

#endif
