/*
 * pane.h — the one header a pane app includes.
 *
 * GUIDE
 * =====
 * A pane app is a C file that exports `void pn_app(pn_session *s)`. `pane serve app.c`
 * compiles it into a shared object, loads it, and calls pn_app once for every new session
 * (every page view; later, every browser tab). pn_app builds the page out of components:
 *
 *     #include <pane.h>
 *
 *     void pn_app(pn_session *s)
 *     {
 *         pn_template(s, .name = "material", .title = "Hello");
 *         pn_servable(s, pn_card(s, .title = "Answer", .items = PN_ITEMS(
 *             pn_number(s, .name = "The answer", .value = 42))));
 *     }
 *
 * Components are made with option structs written as designated initialisers, where a field
 * left out (zero) means its default. Containers take their children in
 * `.items = PN_ITEMS(a, b, ...)`; pure layouts have a short form, `pn_row(s, a, b)`.
 *
 * BUILDERS NEVER FAIL. Every builder returns a usable node. Misuse — a NULL child, a node
 * that already has a parent, a child that would make the tree deeper than 256 levels (it is not
 * added), an unknown template name, a malformed font size — is recorded on
 * the session with the file and line of the call, logged, and the page is still served. App
 * code has no error checks to write.
 *
 * MEMORY. Everything a builder is given is copied into the session's arena: strings from the
 * app's stack buffers never dangle. Nodes live as long as the session and are freed with it.
 * Strings pane makes for the app (pn_fmt, pn_session_arg) live as long as the session when
 * asked for in pn_app, and until the callback returns when asked for in a callback (a timer,
 * a widget's callback, a destroy hook): a session whose timer formats a string every 100 ms
 * stays flat. A setter copies its string into the node's own storage (freeing the previous
 * copy), so `pn_number_set_name(n, pn_fmt(s, "%d sensors", k))` in a callback is right; to
 * keep a callback's string for later, copy it (strdup) and free it in a destroy hook. The
 * app's own state for a session comes from pn_alloc: zeroed, freed with the session after its
 * destroy hooks. Never free() what pane returns.
 *
 * STRINGS ARE UTF-8. Bytes that are not (a multibyte character cut by "%.12s", Latin-1 data)
 * are replaced by U+FFFD (one per ill-formed sequence, as browsers decode) where a builder,
 * setter or pn_template copies them; what you pass is never changed.
 *
 * TEXT IS TEXT. Every string option is escaped when rendered: a title taken from a query
 * argument (`?city=<script>`) shows as text. HTML reaches the page only through pn_html's
 * `.html` field, and Markdown through md4c with raw HTML turned off.
 *
 * THREADS. Each declaration's comment ends with `Thread:` — `session` (only from pn_app and
 * the session's callbacks), `loop` or `any`. A `session` call made from another thread (say a
 * sampler thread the app started) is refused: it changes nothing and logs an error naming the
 * file and line of the call. (Most calls are macros that pass __FILE__ and __LINE__ to a
 * function named ..._at.) A builder refused this way returns NULL.
 *
 * SESSION KEYS. With `pane serve --reuse-sessions`, the first page a visitor gets comes from a
 * cache keyed by a session key. By default the key is the app's path; an app whose page
 * depends on the request (a title from `?city=`) exports pn_session_key to add those parts.
 *
 * LOGIN. With `pane serve --basic-auth` every page and socket needs a login (PREFIX/login);
 * pn_session_user(s) names the user (NULL without a login). The reuse cache then keys every page
 * by its user as well, so no user is ever served a page made for another, unless the key
 * function calls pn_key_shared (the page is the same for everyone).
 *
 * C++. pane.h is a C++20 header as well: the same builders, with the designated initialisers
 * in the order of the fields. See the end of this file, and examples/embed/sim.cpp.
 *
 * The full example is examples/weather.c.
 */
#ifndef PANE_H
#define PANE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PANE_VERSION_MAJOR 0
#define PANE_VERSION_MINOR 1
#define PANE_VERSION_PATCH 0
#define PANE_VERSION_STRING "0.1.0"

#if defined(__GNUC__) || defined(__clang__)
#define PN_API __attribute__((visibility("default")))
#define PN_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define PN_API
#define PN_PRINTF(fmt, args)
#endif

/* ---- basic types -------------------------------------------------------------------------- */

/* A feed: a value or a series of points the whole process shares, published from any thread
 * (pn_feed_number, pn_feed_text, pn_feed_series). Opaque; lives as long as the process. */
typedef struct pn_feed pn_feed;

/* A session: one page view's component tree and state. Opaque. */
typedef struct pn_session pn_session;
/* A component in a session's tree. Opaque; lives in the session's arena. */
typedef struct pn_node pn_node;
/* The HTTP request a session or a key is made from. Opaque; valid during the call only. */
typedef struct pn_request pn_request;
/* A session key under construction (see pn_session_key). Opaque. */
typedef struct pn_key pn_key;

/* A string slice: a view into bytes owned by someone else, not NUL-terminated. */
typedef struct pn_str {
    const char *ptr;
    size_t len;
} pn_str;

/* Where in the app a builder was called; filled by the builder macros. */
typedef struct pn_here {
    const char *file;
    int line;
} pn_here;
#define PN_HERE ((pn_here){__FILE__, __LINE__})

/* A type-checked list of children: `.items = PN_ITEMS(a, b, c)`. It ends with PN_ITEMS_END,
 * not NULL, so that a child that is NULL is recorded as misuse instead of silently ending the
 * list. (C++ callers building the array by hand end it with PN_ITEMS_END.) */
PN_API extern const char pn_items_end;
#define PN_ITEMS_END ((pn_node *)(void *)&pn_items_end)
#define PN_ITEMS(...) ((pn_node *const[]){__VA_ARGS__, PN_ITEMS_END})

/* ---- the app's entry points ----------------------------------------------------------------- */

/*
 * pn_app — builds a session's page. Exported by every app; called once per new session.
 * Example: examples/weather.c
 * Thread: session
 */
void pn_app(pn_session *s);

/*
 * pn_session_key — optional. Adds the parts of the request the page depends on to the key
 * that `--reuse-sessions` caches pages under (the seed's session_key_func). Requests with equal
 * keys get the same cached first page. Without it the key is the app's path (or the
 * `--session-key` spec). Keep it cheap: it runs for every request.
 *
 *     void pn_session_key(const pn_request *r, pn_key *k)
 *     {
 *         pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
 *     }
 *
 * Example: examples/weather.c
 * Thread: loop
 */
void pn_session_key(const pn_request *r, pn_key *k);

/* What pn_app_init and pn_app_cleanup are told. */
typedef struct pn_app_ctx {
    const char *name; /* the app's name: "monitor" for monitor.c */
    int argc;         /* what follows `pane serve … --args` (argv[0] is the app's path), as a */
    char **argv;      /* program's main gets them; 0 and NULL in an embedding program */
} pn_app_ctx;

/*
 * pn_app_init — optional. Runs once per process that serves the app (each worker of
 * `pane serve`; a reload's new workers too), before its first session: load shared data, start
 * a thread that samples a device and publishes to feeds. pn_app_cleanup — optional. Runs once,
 * after the app's last session ended (its destroy hooks ran) and its server stopped: stop and
 * join what init started.
 *     void pn_app_init(pn_app_ctx *ctx) { pthread_create(&sampler, NULL, sample, NULL); }
 * Example: examples/monitor.c
 * Thread: the process's main thread, no loop running yet (init) or any more (cleanup)
 */
void pn_app_init(pn_app_ctx *ctx);
void pn_app_cleanup(pn_app_ctx *ctx);

/*
 * pn_key_add — appends one part to a session key. Parts are length-delimited, so ("ab", "c")
 * and ("a", "bc") are different keys. NULL adds an "absent" part distinct from "".
 * Thread: loop
 */
PN_API void pn_key_add(pn_key *k, const char *part);
/*
 * pn_key_shared — says that the first page of this key is the same for every user. With
 * `--basic-auth` the logged-in user is otherwise always part of the key, so that a page cached
 * for one user is never served to another (whatever the key function adds). Call it only when
 * pn_app shows nothing that depends on pn_session_user (the page's live session is still the
 * user's own: the cached shell is only the first paint). `--session-key` says it with `shared`.
 * Without `--basic-auth` it changes nothing.
 *     void pn_session_key(const pn_request *r, pn_key *k)
 *     {
 *         pn_key_add(k, pn_request_arg(r, "city", "Berlin"));
 *         pn_key_shared(k); // the city's page greets nobody by name
 *     }
 * Example: examples/weather.c
 * Thread: loop
 */
PN_API void pn_key_shared(pn_key *k);

/* ---- request and session helpers ------------------------------------------------------------ */

/*
 * pn_request_arg — the first value of query argument `name`, percent-decoded, or `def` when
 * the request has none (or its value is not valid UTF-8). The result lives as long as the
 * request.
 *     const char *city = pn_request_arg(r, "city", "Berlin");
 * Thread: loop
 */
PN_API const char *pn_request_arg(const pn_request *r, const char *name, const char *def);
/* pn_request_header — the value of header `name` (case-insensitive), or `def`. Thread: loop */
PN_API const char *pn_request_header(const pn_request *r, const char *name, const char *def);
/* pn_request_cookie — the value of cookie `name`, or `def`. Thread: loop */
PN_API const char *pn_request_cookie(const pn_request *r, const char *name, const char *def);
/* pn_request_path — the request's path without the query, e.g. "/weather". Thread: loop */
PN_API const char *pn_request_path(const pn_request *r);

/*
 * pn_session_user — the user who logged in to the page (`--basic-auth`), or NULL when the
 * server has no login. Owned by the session, valid for its life. A session made for the reuse
 * cache's page runs with the user of the request that filled it (see pn_key_shared); the live
 * session of every page runs with its own visitor's.
 *     const char *user = pn_session_user(s);
 *     if (user)
 *         pn_markdown(s, .text = pn_fmt(s, "Hello, **%s**", user));
 * Example: examples/hello.c
 * Thread: session
 */
PN_API const char *pn_session_user(pn_session *s);

/*
 * pn_session_arg — the first value of query argument `name` of the request that made this
 * session (Panel's pn.state.session_args), percent-decoded, or `def`. The result is a copy in
 * the session's memory (as pn_fmt's). It is plain text: pane escapes it wherever it is rendered.
 *     const char *city = pn_session_arg(s, "city", "Berlin");
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_session_arg(s, name, def) pn_session_arg_at((s), (name), (def), PN_HERE)
PN_API const char *pn_session_arg_at(pn_session *s, const char *name, const char *def,
                                     pn_here here);

/*
 * pn_fmt — printf into the session's memory. Called in pn_app, the result lives as long as the
 * session; called in a callback, until the callback returns (see MEMORY above).
 *     pn_fmt(s, "%s Weather", city)
 * Thread: session
 */
#define pn_fmt(s, ...) pn_fmt_at((s), PN_HERE, __VA_ARGS__)
PN_API const char *pn_fmt_at(pn_session *s, pn_here here, const char *fmt, ...) PN_PRINTF(3, 4);

/*
 * pn_alloc — size bytes of zeroed memory owned by the session, for the app's state: it lives
 * until the session is freed, after its destroy hooks have run (they may still use it), so
 * nothing needs freeing. Each call keeps its memory until then, in pn_app or in a callback
 * alike: allocate in pn_app, not on every tick. NULL only if the memory could not be allocated
 * (recorded as misuse at the caller's line).
 *     struct top *t = pn_alloc(s, sizeof *t);
 * Example: examples/processes.c
 * Thread: session
 */
#define pn_alloc(s, size) pn_alloc_at((s), (size), PN_HERE)
PN_API void *pn_alloc_at(pn_session *s, size_t size, pn_here here);

/*
 * pn_set_cookie — adds a Set-Cookie header to the page being built (call from pn_app only:
 * once the page is sent, the headers are gone). `attributes` is appended as is, e.g.
 * "Path=/; Max-Age=3600; SameSite=Lax". A page that sets a cookie is private to its visitor:
 * `--reuse-sessions` serves it but never caches it. A name or value with characters RFC 6265
 * does not allow is recorded as misuse and not sent.
 *     pn_set_cookie(s, "lang", "de", "Path=/; SameSite=Lax");
 * Thread: session
 */
#define pn_set_cookie(s, name, value, attributes)                                               \
    pn_set_cookie_at((s), (name), (value), (attributes), PN_HERE)
PN_API void pn_set_cookie_at(pn_session *s, const char *name, const char *value,
                             const char *attributes, pn_here here);

/* ---- page ------------------------------------------------------------------------------------ */

typedef struct pn_template_opts {
    const char *name;  /* "default" (no header), "material", "bootstrap" or "fast".
                          default: "default" */
    const char *title; /* <title> and the header bar. default: the app's name */
    const char *header_background; /* CSS colour of the header bar. default: the theme's
                                      (#0072b5 in light) */
    const char *header_color;      /* CSS colour of the header text. default: white */
    const char *theme;             /* "auto" (the visitor's system setting), "light" or "dark":
                                      the theme a page opens in. default: "auto" */
    bool hide_theme_toggle; /* no light/dark switch in the header. The switch (material,
                               bootstrap, fast) remembers the visitor's choice in the browser */
} pn_template_opts;

/*
 * pn_template — chooses the page template and its title. Call at most once per session
 * (a later call replaces the earlier one).
 *     pn_template(s, .name = "material", .title = pn_fmt(s, "%s Weather", city));
 * Every template comes in light and dark: the page follows the visitor's system setting
 * unless .theme fixes one, and the header's switch lets the visitor choose (kept in the
 * browser, so a cached page is the same for everyone). Colours, plots and widgets follow. An
 * unknown name or theme is misuse; the page is served with "default" and "auto".
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_template(s, ...) pn_template_set((s), &(const pn_template_opts){__VA_ARGS__}, PN_HERE)
PN_API void pn_template_set(pn_session *s, const pn_template_opts *o, pn_here here);

/*
 * pn_servable — adds a node to the page's main area (Panel's .servable()). Call as often as
 * needed; nodes appear in order. From a callback or a timer too: the page follows live.
 *     pn_servable(s, pn_row(s, a, b));
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_servable(s, node) pn_servable_add((s), (node), PN_HERE)
PN_API void pn_servable_add(pn_session *s, pn_node *node, pn_here here);

/*
 * pn_sidebar — adds a node to the page's sidebar (Panel's template.sidebar): a column beside
 * the main area, on the left (above it on a narrow screen). The page has one once something is
 * added, from pn_app or later.
 *     pn_sidebar(s, pn_select(s, .name = "City", .options = cities, .on_change = pick));
 * Thread: session
 */
#define pn_sidebar(s, node) pn_sidebar_add((s), (node), PN_HERE)
PN_API void pn_sidebar_add(pn_session *s, pn_node *node, pn_here here);

/*
 * pn_append — appends a child to a Row, Column or Card after it was made (for children built
 * in a loop). A child can have one parent only. In a callback or a timer the open page follows:
 * the new child arrives rendered, and nothing else on the page is touched (focus, a slider
 * being dragged, a plot's points stay).
 *     pn_append(log, pn_markdown(s, .text = pn_fmt(s, "%s: done", job)));
 * Thread: session
 */
#define pn_append(parent, child) pn_append_at((parent), (child), PN_HERE)
PN_API void pn_append_at(pn_node *parent, pn_node *child, pn_here here);
/* pn_insert — as pn_append, at position index among parent's children (0: first; past the
 * end: last). Thread: session */
#define pn_insert(parent, index, child) pn_insert_at((parent), (index), (child), PN_HERE)
PN_API void pn_insert_at(pn_node *parent, size_t index, pn_node *child, pn_here here);
/*
 * pn_remove — removes n and everything in it from its parent and the page, and frees them: like
 * free(), n and its children must not be used afterwards (a callback's arg that points to one
 * must go too). A feed or a plot it showed is left. Removing is how a log keeps its last lines:
 *     pn_append(log, line); if (++lines > 100) pn_remove(first_line_of(log));
 * Thread: session
 */
#define pn_remove(n) pn_remove_at((n), PN_HERE)
PN_API void pn_remove_at(pn_node *n, pn_here here);
/* pn_replace — puts by where old is (same parent, same place) and removes old (as pn_remove).
 * Thread: session */
#define pn_replace(old, by) pn_replace_at((old), (by), PN_HERE)
PN_API void pn_replace_at(pn_node *old, pn_node *by, pn_here here);
/* The size of any component (pn_size). Pixels; 0 leaves it to the component and its parent. */
typedef struct pn_size_opts {
    int width, height;
    int min_width, max_width, min_height, max_height;
    bool stretch_width;  /* take the width the parent gives: in a Row, share its width with the
                            other stretched children (so a card does not jump when its content
                            grows); in a Column or a Card, span it */
    bool stretch_height; /* the same for the height (a Column or a Grid with a height) */
    int col_span, row_span; /* in a Grid: the columns and rows it covers. default: 1 */
} pn_size_opts;

/*
 * pn_size — sizes any component, Panel's width, height, min_/max_ and sizing_mode: returns n,
 * so it wraps a builder. Later calls replace the earlier size (the page follows live).
 *     pn_size(pn_row(s, pn_size(cpu_card, .stretch_width = true),
 *                       pn_size(mem_card, .stretch_width = true)), .stretch_width = true)
 *     pn_size(pn_plot(s, .title = "Load"), .width = 600, .min_width = 300)
 * A Row or Column is as wide as its content: stretch it too (as above) for its children to
 * share the page's width.
 * Thread: session
 */
#define pn_size(n, ...) pn_size_set((n), &(const pn_size_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_size_set(pn_node *n, const pn_size_opts *o, pn_here here);

/* pn_set_visible — shows or hides any component (a hidden one keeps its place in the tree and
 * its state, and takes no room on the page). Thread: session */
#define pn_set_visible(n, visible) pn_set_visible_at((n), (visible), PN_HERE)
PN_API void pn_set_visible_at(pn_node *n, bool visible, pn_here here);
/* pn_visible — whether n is shown (pn_set_visible). Thread: session */
PN_API bool pn_visible(const pn_node *n);

/* ---- layouts --------------------------------------------------------------------------------- */

typedef struct pn_row_opts {
    pn_node *const *items; /* children, PN_ITEMS(...). default: none */
} pn_row_opts;

/*
 * pn_row / pn_column — lay children out side by side / one below the other.
 *     pn_row(s, a, b)                         short form
 *     pn_row_ex(s, .items = PN_ITEMS(a, b))   full form
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_row(s, ...) pn_row_new((s), &(const pn_row_opts){.items = PN_ITEMS(__VA_ARGS__)}, PN_HERE)
#define pn_row_ex(s, ...) pn_row_new((s), &(const pn_row_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_row_new(pn_session *s, const pn_row_opts *o, pn_here here);

typedef pn_row_opts pn_column_opts;
#define pn_column(s, ...)                                                                        \
    pn_column_new((s), &(const pn_column_opts){.items = PN_ITEMS(__VA_ARGS__)}, PN_HERE)
#define pn_column_ex(s, ...) pn_column_new((s), &(const pn_column_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_column_new(pn_session *s, const pn_column_opts *o, pn_here here);

typedef struct pn_card_opts {
    pn_node *const *items; /* children, PN_ITEMS(...). default: none */
    const char *title;     /* text in the card's header. default: no title */
    bool hide_header;      /* no header at all. default: false */
    bool collapsed;        /* start collapsed (header stays, body hidden). default: false */
} pn_card_opts;

/*
 * pn_card — a box with an optional header, holding its children in a column.
 *     pn_card(s, .title = "Sensors", .items = PN_ITEMS(a, b))
 *     pn_card(s, .hide_header = true, .items = PN_ITEMS(a))
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_card(s, ...) pn_card_new((s), &(const pn_card_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_card_new(pn_session *s, const pn_card_opts *o, pn_here here);

/* ---- indicators ------------------------------------------------------------------------------ */

/* One colour stop of a Number: the colour used while value < below. */
typedef struct pn_color_stop {
    double below;
    const char *color;
} pn_color_stop;
/* A colour-stop list: `.colors = PN_COLORS({0, "blue"}, {30, "green"}, {1e9, "red"})`. */
#define PN_COLORS(...) ((const pn_color_stop[]){__VA_ARGS__, {0, NULL}})

typedef struct pn_number_opts {
    const char *name;     /* label above the value. default: none */
    double value;         /* default: 0 */
    const char *format;   /* "{value}" is replaced by the value; "{value:.1f}" gives 1 decimal
                             (0..20). Any other "{name}" or "{name:spec}" is misuse.
                             default: "{value}" (shortest form: 21, 3.5) */
    const pn_color_stop *colors; /* colour by threshold, first stop with value < below wins.
                                    default: none (default_color) */
    const char *default_color;   /* CSS colour when no stop matches. default: inherited text */
    const char *font_size;       /* CSS length of the value, e.g. "54pt". default: "54pt" */
    const char *title_size;      /* CSS length of the name, e.g. "18pt". default: "18pt" */
    pn_feed *feed;               /* show this number feed's value (pn_feed_number) in every
                                    session; value and pn_number_set_value are then ignored
                                    (misuse). default: the node's own value */
} pn_number_opts;

/*
 * pn_number — a large number with a label (Panel's pn.indicators.Number).
 *     pn_number(s, .name = "Humidity", .value = 21, .format = "{value}%")
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_number(s, ...) pn_number_new((s), &(const pn_number_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_number_new(pn_session *s, const pn_number_opts *o, pn_here here);

typedef struct pn_progress_opts {
    const char *name;      /* label above the bar. default: none */
    double value;          /* 0..max (above max: full); below 0: indeterminate, a sliding bar.
                              default: 0 */
    double max;            /* the value of a full bar, above 0. default: 100 */
    const char *bar_color; /* "primary", "secondary", "success", "info", "warning", "danger",
                              "light" or "dark". default: "primary" */
} pn_progress_opts;

/*
 * pn_progress — a progress bar (Panel's pn.indicators.Progress), role="progressbar" with
 * aria-valuenow; a value below 0 shows work of unknown length (an animated bar).
 *     pn_node *p = pn_progress(s, .name = "Upload", .value = 40, .bar_color = "success");
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_progress(s, ...) pn_progress_new((s), &(const pn_progress_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_progress_new(pn_session *s, const pn_progress_opts *o, pn_here here);
/*
 * pn_progress_set_value — moves the bar (above max: full; below 0: indeterminate); a value that
 * is not finite is misuse. pn_progress_set_max, _set_name and _set_bar_color change the others.
 *     pn_progress_set_value(p, done * 100.0 / total);
 * Thread: session
 */
#define pn_progress_set_value(n, v) pn_progress_set_value_at((n), (v), PN_HERE)
PN_API void pn_progress_set_value_at(pn_node *progress, double value, pn_here here);
#define pn_progress_set_max(n, v) pn_progress_set_max_at((n), (v), PN_HERE)
PN_API void pn_progress_set_max_at(pn_node *progress, double max, pn_here here);
#define pn_progress_set_name(n, v) pn_progress_set_name_at((n), (v), PN_HERE)
PN_API void pn_progress_set_name_at(pn_node *progress, const char *name, pn_here here);
#define pn_progress_set_bar_color(n, v) pn_progress_set_bar_color_at((n), (v), PN_HERE)
PN_API void pn_progress_set_bar_color_at(pn_node *progress, const char *bar_color, pn_here here);
/* pn_progress_value — a Progress's value (0 for another node). Thread: session */
PN_API double pn_progress_value(const pn_node *progress);

typedef struct pn_loading_spinner_opts {
    const char *name;  /* label beside the ring. default: none ("Loading" to screen readers) */
    bool value;        /* spinning. default: false (a still, faint ring) */
    int size;          /* the ring's width in pixels, 8..1000. default: 40 */
    const char *color; /* a theme colour name, as pn_progress's bar_color. default: "primary" */
} pn_loading_spinner_opts;

/*
 * pn_loading_spinner — a ring that spins while value is true (Panel's
 * pn.indicators.LoadingSpinner), role="status" with aria-busy; under prefers-reduced-motion it
 * fades slowly instead of turning.
 *     pn_node *busy = pn_loading_spinner(s, .value = true, .size = 24, .name = "Fetching");
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_loading_spinner(s, ...)                                                               \
    pn_loading_spinner_new((s), &(const pn_loading_spinner_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_loading_spinner_new(pn_session *s, const pn_loading_spinner_opts *o,
                                       pn_here here);
/*
 * pn_loading_spinner_set_value — starts (true) or stops (false) the spinning;
 * pn_loading_spinner_set_name changes the label.
 *     pn_loading_spinner_set_value(busy, false);
 * Thread: session
 */
#define pn_loading_spinner_set_value(n, v) pn_loading_spinner_set_value_at((n), (v), PN_HERE)
PN_API void pn_loading_spinner_set_value_at(pn_node *spinner, bool value, pn_here here);
#define pn_loading_spinner_set_name(n, v) pn_loading_spinner_set_name_at((n), (v), PN_HERE)
PN_API void pn_loading_spinner_set_name_at(pn_node *spinner, const char *name, pn_here here);

typedef struct pn_boolean_status_opts {
    const char *name;  /* label beside the dot. default: none */
    bool value;        /* the dot is filled. default: false (an outline) */
    const char *color; /* a theme colour name, as pn_progress's bar_color. default: "dark" */
} pn_boolean_status_opts;

/*
 * pn_boolean_status — a coloured dot, filled while value is true (Panel's
 * pn.indicators.BooleanStatus); screen readers hear "NAME: on" or "NAME: off".
 *     pn_node *up = pn_boolean_status(s, .name = "Database", .value = true, .color = "success");
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_boolean_status(s, ...)                                                                \
    pn_boolean_status_new((s), &(const pn_boolean_status_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_boolean_status_new(pn_session *s, const pn_boolean_status_opts *o,
                                      pn_here here);
/*
 * pn_boolean_status_set_value — fills (true) or empties the dot; pn_boolean_status_set_color
 * changes its colour (a name that is not a theme colour is misuse).
 *     pn_boolean_status_set_value(up, ping_ok), pn_boolean_status_set_color(up, "danger");
 * Thread: session
 */
#define pn_boolean_status_set_value(n, v) pn_boolean_status_set_value_at((n), (v), PN_HERE)
PN_API void pn_boolean_status_set_value_at(pn_node *status, bool value, pn_here here);
#define pn_boolean_status_set_color(n, v) pn_boolean_status_set_color_at((n), (v), PN_HERE)
PN_API void pn_boolean_status_set_color_at(pn_node *status, const char *color, pn_here here);

typedef struct pn_trend_opts {
    const char *name;   /* label above the value. default: none */
    const double *data; /* the first values, oldest first (copied; values that are not finite
                           are left out, as misuse). default: none */
    size_t n;           /* how many data holds */
    const char *format; /* the last value's text, as pn_number's. default: "{value}" */
    int rollover;       /* values kept for the sparkline, 2..10000. default: 50 */
} pn_trend_opts;

/*
 * pn_trend — a value, its change since the one before ("▲ +2.50%"), and a sparkline of the
 * last values (Panel's pn.indicators.Trend), drawn by the server as SVG.
 *     const double rate[] = {12, 14, 13, 17};
 *     pn_node *t = pn_trend(s, .name = "Requests/s", .data = rate, .n = 4, .rollover = 60);
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_trend(s, ...) pn_trend_new((s), &(const pn_trend_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_trend_new(pn_session *s, const pn_trend_opts *o, pn_here here);
/*
 * pn_trend_push — appends a value (the oldest goes once there are rollover of them); a value
 * that is not finite is misuse. pn_trend_set_name changes the label; pn_trend_len tells how
 * many values it keeps now.
 *     pn_trend_push(t, requests_per_second);
 * Thread: session
 */
#define pn_trend_push(n, v) pn_trend_push_at((n), (v), PN_HERE)
PN_API void pn_trend_push_at(pn_node *trend, double value, pn_here here);
#define pn_trend_set_name(n, v) pn_trend_set_name_at((n), (v), PN_HERE)
PN_API void pn_trend_set_name_at(pn_node *trend, const char *name, pn_here here);
/* pn_trend_len — the values a Trend keeps now (0 for another node). Thread: session */
PN_API size_t pn_trend_len(const pn_node *trend);

typedef struct pn_gauge_opts {
    const char *name;            /* label under the arc. default: none */
    double value;                /* outside min..max: drawn at the nearer end. default: 0 */
    double min, max;             /* the arc's ends, min < max. default: 0 and 100 (both 0) */
    const char *format;          /* the value's text, as pn_number's. default: "{value}" */
    const pn_color_stop *colors; /* the arc's colour by threshold, as pn_number's.
                                    default: the theme's accent */
} pn_gauge_opts;

/*
 * pn_gauge — a value on a 270° arc (Panel's pn.indicators.Gauge), an SVG drawn by the server,
 * role="meter" with aria-valuenow.
 *     pn_node *g = pn_gauge(s, .name = "CPU", .value = 42, .format = "{value}%",
 *                           .colors = PN_COLORS({60, "green"}, {85, "orange"}, {1e9, "red"}));
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_gauge(s, ...) pn_gauge_new((s), &(const pn_gauge_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_gauge_new(pn_session *s, const pn_gauge_opts *o, pn_here here);
/*
 * pn_gauge_set_value — moves the arc (a value that is not finite is misuse); pn_gauge_set_name
 * changes the label.
 *     pn_gauge_set_value(g, cpu_percent);
 * Thread: session
 */
#define pn_gauge_set_value(n, v) pn_gauge_set_value_at((n), (v), PN_HERE)
PN_API void pn_gauge_set_value_at(pn_node *gauge, double value, pn_here here);
#define pn_gauge_set_name(n, v) pn_gauge_set_name_at((n), (v), PN_HERE)
PN_API void pn_gauge_set_name_at(pn_node *gauge, const char *name, pn_here here);

/* ---- data ------------------------------------------------------------------------------------ */

/* How a Plot draws its series. */
typedef enum pn_plot_type {
    PN_LINE,    /* lines through the points (the default) */
    PN_AREA,    /* lines, filled down to zero */
    PN_SCATTER, /* points only */
    PN_BAR,     /* a bar per point */
    PN_STEP,    /* a step after each point */
} pn_plot_type;

/* One series of a Plot. */
typedef struct pn_series {
    const char *label; /* legend text. default: "y1", "y2", … */
    const char *color; /* CSS colour. default: the next of the palette (Panel's Category10) */
} pn_series;
/* A series list: `.series = PN_SERIES({"CPU", "#1e88e5"}, {"Memory"})`. */
PN_API extern const char pn_series_end;
#define PN_SERIES(...) ((const pn_series[]){__VA_ARGS__, {&pn_series_end, NULL}})

typedef struct pn_plot_opts {
    const char *title;         /* above the plot. default: none */
    pn_plot_type type;         /* default: PN_LINE */
    const pn_series *series;   /* PN_SERIES(...), 1 to 16. default: one series, "y1" */
    bool time_x;               /* x is Unix time in seconds, shown as times. default: numbers */
    const char *x_label;       /* axis labels. default: none */
    const char *y_label;
    double y_min, y_max;       /* a fixed y range when y_min < y_max. default: from the data */
    int rollover;              /* points kept per series: the window. default: 1000; at most
                                  1,000,000 */
    int height;                /* pixels, title and legend included. default: 300 */
    bool hide_legend;          /* default: a legend with each series' value under the pointer */
    pn_feed *feed;             /* show this feed's window (its series count and rollover; the
                                  plot's own appends are misuse). default: the plot's own data */
} pn_plot_opts;

/*
 * pn_plot — a chart of one or more series over a shared x, drawn by uPlot in the browser and,
 * in the first paint (a cached page too), as SVG by the server. It keeps the last `rollover`
 * points; only new points travel to the browser.
 *     pn_node *p = pn_plot(s, .title = "Load", .time_x = true, .rollover = 300,
 *                          .series = PN_SERIES({"1 min"}, {"5 min"}));
 *     pn_plot_push(p, now, load1, load5);          // one point: x, then a y per series
 * Example: examples/monitor.c
 * Thread: session
 */
#define pn_plot(s, ...) pn_plot_new((s), &(const pn_plot_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_plot_new(pn_session *s, const pn_plot_opts *o, pn_here here);
/*
 * pn_plot_append — appends n points: x[0..n), and for each point the y of every series,
 * point by point (y[i * nseries + k] is series k at x[i]; a `double y[n][nseries]` array).
 * x must not go back (points that do are dropped as misuse); a y that is not finite leaves a
 * gap. The appends of one callback reach the browser as one message.
 * Thread: session
 */
#define pn_plot_append(p, x, y, n) pn_plot_append_at((p), (x), (y), (n), PN_HERE)
PN_API void pn_plot_append_at(pn_node *plot, const double *x, const double *y, size_t n,
                              pn_here here);
/* pn_plot_push — appends one point: pn_plot_push(p, x, y1, y2, …), a y per series. */
#define pn_plot_push(p, x, ...)                                                                  \
    pn_plot_push_at((p), (x), (const double[]){__VA_ARGS__},                                     \
                    sizeof((const double[]){__VA_ARGS__}) / sizeof(double), PN_HERE)
PN_API void pn_plot_push_at(pn_node *plot, double x, const double *y, size_t ny, pn_here here);
/* pn_plot_set_data — replaces the data with n points (as pn_plot_append; 0 clears it). */
#define pn_plot_set_data(p, x, y, n) pn_plot_set_data_at((p), (x), (y), (n), PN_HERE)
PN_API void pn_plot_set_data_at(pn_node *plot, const double *x, const double *y, size_t n,
                                pn_here here);
/* pn_plot_len — the points a Plot holds now (at most its rollover). Thread: session */
PN_API size_t pn_plot_len(const pn_node *plot);

/*
 * pn_feed_series — the process's series feed called name: made on the first call with nseries
 * (1..16) series and a window of rollover points; later calls with the same name and shape
 * return the same feed (another shape, or bad arguments: NULL, with a warning). It lives as
 * long as the process. Plots bound to it (pn_plot(s, .feed = f)) show its window in every
 * session, and what is appended is encoded once and sent, the same bytes, to each of them.
 *     static pn_feed *load;  ...  load = pn_feed_series("load", 2, 300);
 *     pn_feed_push(load, now, cpu, mem);
 * Example: examples/monitor.c
 * Thread: any
 */
PN_API pn_feed *pn_feed_series(const char *name, int nseries, int rollover);
/* pn_feed_append — appends n points to a feed, laid out as pn_plot_append's; x must not go back
 * (points that do are dropped, with a warning). Thread: any: it takes the feed's lock briefly
 * and wakes the loops whose sessions show it. */
PN_API void pn_feed_append(pn_feed *f, const double *x, const double *y, size_t n);
/* pn_feed_push — one point: pn_feed_push(f, x, y1, y2, …), a y per series. Thread: any */
#define pn_feed_push(f, x, ...)                                                                  \
    pn_feed_push_n((f), (x), (const double[]){__VA_ARGS__},                                      \
                   sizeof((const double[]){__VA_ARGS__}) / sizeof(double))
PN_API void pn_feed_push_n(pn_feed *f, double x, const double *y, size_t ny);

/*
 * pn_feed_number — the process's number feed called name (made on the first call; later calls
 * return the same feed; a name taken by a feed of another type: NULL, with a warning). Numbers
 * bound to it (pn_number(s, .feed = f)) show its value in every session. A publish is encoded
 * once for all of them (once per distinct format and colours), and a loop that falls behind
 * sends only the latest value: no session ever gets a backlog. Its value is 0 until set.
 *     static pn_feed *temp;  ...  temp = pn_feed_number("temperature");
 *     pn_feed_set(temp, celsius);                          // from any thread
 * Example: examples/embed/sim.c
 * Thread: any
 */
PN_API pn_feed *pn_feed_number(const char *name);
/* pn_feed_set — publishes v to a number feed (a value that is not finite is shown as the format
 * shows it: "nan", "inf"). Thread: any: it takes the feed's lock briefly and wakes the loops
 * whose sessions show it; it never waits for them. */
PN_API void pn_feed_set(pn_feed *f, double v);
/* pn_feed_get — a number feed's current value. Thread: any */
PN_API double pn_feed_get(pn_feed *f);
/*
 * pn_feed_text — the process's text feed called name, as pn_feed_number; Markdowns bound to it
 * (pn_markdown(s, .feed = f)) show it, rendered once per publish. Its text is "" until set.
 * Thread: any
 */
PN_API pn_feed *pn_feed_text(const char *name);
/* pn_feed_set_text — publishes text (copied; invalid UTF-8 repaired, as everywhere) to a text
 * feed. Thread: any */
PN_API void pn_feed_set_text(pn_feed *f, const char *text);
/*
 * pn_feed_redis — shares feed f with every process that shares a feed of the same name and type
 * through the same Redis (`pane serve --redis URL`, pn_server_options.redis): a publish in any
 * of them reaches the sessions of all, one message per process, in the one order Redis gives
 * them. Redis keeps the latest state (a value, or a series' window), so a process that starts
 * late or lost its connection catches up. While Redis cannot be reached a process's publishes
 * are shown by its own sessions and sent when it is back; sessions keep the last value. A
 * shared feed's publish is shown once it has come back from Redis (pn_feed_get returns the
 * previous value until then, usually well under a millisecond). A series should have one
 * producer at a time: points that go back are dropped, as always. Without --redis this does
 * nothing. Call it once, before or after the server starts.
 *     pn_feed *price = pn_feed_number("price");  pn_feed_redis(price);
 * Example: examples/announce.c
 * Thread: any
 */
PN_API void pn_feed_redis(pn_feed *f);

/* ---- panes ----------------------------------------------------------------------------------- */

typedef struct pn_markdown_opts {
    const char *text; /* Markdown (CommonMark + tables, strikethrough); raw HTML is shown as
                         text. default: "" */
    pn_feed *feed;    /* show this text feed (pn_feed_text) in every session; text and
                         pn_markdown_set_text are then ignored (misuse). default: own text */
} pn_markdown_opts;

/*
 * pn_markdown — Markdown rendered to HTML on the server by md4c, with raw HTML turned off.
 *     pn_markdown(s, .text = "# Status\nAll **good**.")
 * Thread: session
 */
#define pn_markdown(s, ...) pn_markdown_new((s), &(const pn_markdown_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_markdown_new(pn_session *s, const pn_markdown_opts *o, pn_here here);

typedef struct pn_html_opts {
    const char *html; /* raw HTML, inserted as is: never pass outside input here. default: "" */
} pn_html_opts;

/*
 * pn_html — raw HTML, the one way to put markup on the page unescaped.
 *     pn_html(s, .html = "<hr>")
 * Thread: session
 */
#define pn_html(s, ...) pn_html_new((s), &(const pn_html_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_html_new(pn_session *s, const pn_html_opts *o, pn_here here);

typedef struct pn_alert_opts {
    const char *text;       /* Markdown, as pn_markdown's (raw HTML is shown as text).
                               default: "" */
    const char *alert_type; /* "primary", "secondary", "success", "info", "warning", "danger",
                               "light" or "dark". default: "primary" */
} pn_alert_opts;

/*
 * pn_alert — a coloured box of Markdown that draws attention (Panel's pn.pane.Alert), with
 * role="alert": a screen reader announces it, and what a setter changes in it.
 *     pn_node *a = pn_alert(s, .text = "**Disk** almost full", .alert_type = "warning");
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_alert(s, ...) pn_alert_new((s), &(const pn_alert_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_alert_new(pn_session *s, const pn_alert_opts *o, pn_here here);
/*
 * pn_alert_set_text — new Markdown for the alert; pn_alert_set_type changes its colour (a type
 * that is not one of the eight is misuse).
 *     pn_alert_set_text(a, pn_fmt(s, "Saved **%d** rows", n)), pn_alert_set_type(a, "success");
 * Thread: session
 */
#define pn_alert_set_text(n, v) pn_alert_set_text_at((n), (v), PN_HERE)
PN_API void pn_alert_set_text_at(pn_node *alert, const char *text, pn_here here);
#define pn_alert_set_type(n, v) pn_alert_set_type_at((n), (v), PN_HERE)
PN_API void pn_alert_set_type_at(pn_node *alert, const char *alert_type, pn_here here);

typedef struct pn_pre_opts {
    const char *text; /* shown as it is, in a monospaced font: spaces and newlines kept.
                         default: "" */
} pn_pre_opts;

/*
 * pn_pre — preformatted text (Panel's pn.pane.Str), in a <pre>, escaped: a log line, a
 * program's output, a table made with printf.
 *     pn_node *log = pn_pre(s, .text = "step  loss\n   1  0.93\n   2  0.71");
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_pre(s, ...) pn_pre_new((s), &(const pn_pre_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_pre_new(pn_session *s, const pn_pre_opts *o, pn_here here);
/*
 * pn_pre_set_text — replaces the text.
 *     pn_pre_set_text(log, pn_fmt(s, "%s%4d  %.2f\n", pn_pre_text(log), step, loss));
 * Thread: session
 */
#define pn_pre_set_text(n, v) pn_pre_set_text_at((n), (v), PN_HERE)
PN_API void pn_pre_set_text_at(pn_node *pre, const char *text, pn_here here);
/* pn_pre_text — the text shown (owned by the node; valid until the next change); "" for
 * another node. Thread: session */
PN_API const char *pn_pre_text(const pn_node *pre);

typedef struct pn_json_opts {
    const char *json; /* a JSON text (any value: an object, an array, a number, …); text that
                         is not JSON is misuse and shown as it is. default: none, an empty box
                         (until pn_json_set_text) */
    int depth;        /* levels shown open: 1 the top object's keys, -1 every level.
                         default: 1 (0 means the default) */
} pn_json_opts;

/*
 * pn_json — a JSON document as a tree of keys and typed, coloured values (Panel's
 * pn.pane.JSON), rendered on the server: objects and arrays open and close with a click (no
 * script needed). Nesting deeper than 64 levels is misuse: below the 64th, values are shown as
 * their JSON text.
 *     pn_json(s, .json = "{\"city\": \"Berlin\", \"temp\": [3.5, 4, 6]}", .depth = 2)
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_json(s, ...) pn_json_new((s), &(const pn_json_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_json_new(pn_session *s, const pn_json_opts *o, pn_here here);
/*
 * pn_json_set_text — shows another JSON text (copied; text that is not JSON is misuse at this
 * line, and shown as it is); pn_json_set_depth opens that many levels (0: all closed, -1: all
 * open).
 *     pn_json_set_text(tree, json_text_from_your_library);
 * Thread: session
 */
#define pn_json_set_text(n, v) pn_json_set_text_at((n), (v), PN_HERE)
PN_API void pn_json_set_text_at(pn_node *json, const char *text, pn_here here);
#define pn_json_set_depth(n, v) pn_json_set_depth_at((n), (v), PN_HERE)
PN_API void pn_json_set_depth_at(pn_node *json, int depth, pn_here here);

typedef struct pn_image_opts {
    const void *data;    /* the picture's bytes (copied when the node is made)… */
    size_t len;          /* … and how many: at most 16 MiB */
    const char *path;    /* … or a file to read them from, relative to the process's working
                            directory (read when the node is made, on the session's loop: a
                            big file read for every session costs each page view its read).
                            One of data and path */
    const char *alt;     /* the text that stands for the picture (screen readers, and while
                            there is none). default: "" */
    const char *caption; /* shown under it. default: none */
    const char *mime;    /* the bytes' type, for those pane does not recognise by their magic:
                            "image/avif", "image/bmp", "image/x-icon" (PNG, JPEG, GIF, WebP and
                            SVG are recognised). default: what the bytes are */
} pn_image_opts;

/*
 * pn_image — a picture (Panel's pn.pane.PNG, JPG, GIF, SVG, Image): PNG, JPEG, GIF, WebP or SVG
 * bytes from memory or from a file, in a <figure> with its alt text and an optional caption.
 * The bytes are served by their SHA-256 at PREFIX/_pane/img/<hash>.<ext>, cacheable for a
 * year: equal bytes are kept and sent once however many sessions show them (memory holds
 * 64 MiB of pictures no node shows; every picture is also written once to <cache>/img, where
 * every worker process finds it). The <img> carries the width and height the header gives
 * (PNG, JPEG, GIF, WebP; an SVG's numeric width and height), so the page does not jump when
 * it arrives; it is never wider than its box, and a width or height given by pn_size is the
 * picture's (its proportions kept; both: it is contained in that box). An SVG is served with a
 * policy that runs none of its scripts, also when opened on its own. Misuse, at the caller's
 * line, shows the alt text instead of a picture: both data and path or neither, no bytes, a
 * file that cannot be read (or is not a regular file), more than 16 MiB, bytes that are no
 * picture pane recognises and no .mime. A .mime pane does not serve, or one the bytes
 * contradict, is misuse too, and the bytes decide.
 *     static const unsigned char logo[] = { 0x89, 'P', 'N', 'G', … };
 *     pn_image(s, .data = logo, .len = sizeof logo, .alt = "Logo")
 *     pn_size(pn_image(s, .path = "plots/loss.svg", .caption = "Loss per epoch"), .width = 480)
 * Example: examples/gallery.c
 * Thread: session
 */
#define pn_image(s, ...) pn_image_new((s), &(const pn_image_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_image_new(pn_session *s, const pn_image_opts *o, pn_here here);
/*
 * pn_image_set — shows other bytes (copied; the same rules as the builder's, with the node's
 * .mime for bytes pane does not recognise); pn_image_set(n, NULL, 0) shows none (the alt text).
 * pn_image_set_path reads them from a file. The page follows live (a new URL). Misuse keeps the
 * picture shown. pn_image_set_alt and pn_image_set_caption change the texts ("": none).
 *     pn_image_set(chart, png_bytes, png_len);
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_image_set(n, data, len) pn_image_set_at((n), (data), (len), PN_HERE)
PN_API void pn_image_set_at(pn_node *image, const void *data, size_t len, pn_here here);
#define pn_image_set_path(n, path) pn_image_set_path_at((n), (path), PN_HERE)
PN_API void pn_image_set_path_at(pn_node *image, const char *path, pn_here here);
#define pn_image_set_alt(n, v) pn_image_set_alt_at((n), (v), PN_HERE)
PN_API void pn_image_set_alt_at(pn_node *image, const char *alt, pn_here here);
#define pn_image_set_caption(n, v) pn_image_set_caption_at((n), (v), PN_HERE)
PN_API void pn_image_set_caption_at(pn_node *image, const char *caption, pn_here here);

typedef struct pn_divider_opts {
    const char *color; /* CSS colour of the line. default: the theme's line colour */
} pn_divider_opts;

/*
 * pn_divider — a horizontal rule across its Column or Card (Panel's pn.layout.Divider), an
 * <hr> with role="separator".
 *     pn_column(s, a, pn_divider(s), b)
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_divider(s, ...) pn_divider_new((s), &(const pn_divider_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_divider_new(pn_session *s, const pn_divider_opts *o, pn_here here);

typedef struct pn_spacer_opts {
    int width;  /* pixels, 0..100000. default: 0, grow to fill the Row */
    int height; /* pixels, 0..100000. default: 0, grow to fill the Column */
} pn_spacer_opts;

/*
 * pn_spacer — empty space (Panel's pn.Spacer): a fixed box, or, where .width or .height is 0,
 * one that grows and pushes what follows it to the end of its Row or Column.
 *     pn_size(pn_row(s, title, pn_spacer(s), button), .stretch_width = true)
 *                                                     the button at the right end of the page
 *     pn_spacer(s, .height = 24)                      24 px between two things in a Column
 * Example: tests/apps/panes.c
 * Thread: session
 */
#define pn_spacer(s, ...) pn_spacer_new((s), &(const pn_spacer_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_spacer_new(pn_session *s, const pn_spacer_opts *o, pn_here here);


/* ---- widgets ----------------------------------------------------------------------------------
 *
 * Widgets send what the visitor does to the app's callbacks. A callback runs on the session's
 * loop, one at a time per session, after the widget's value has been updated; what it changes
 * through setters reaches the page as a patch within the same loop turn. `arg` is passed back
 * as given. Read a widget's current value with its getter (pn_int_slider_value …).
 */

/* A callback of a widget: s is its session, n the widget, arg the opts' .arg. */
typedef void (*pn_callback)(pn_session *s, pn_node *n, void *arg);

typedef struct pn_button_opts {
    const char *label;       /* default: "Button" */
    const char *button_type; /* "default", "primary", "success", "warning", "danger".
                                default: "default" */
    bool disabled;           /* default: false */
    pn_callback on_click;    /* default: none */
    void *arg;
} pn_button_opts;

/*
 * pn_button — a push button; on_click runs on every click.
 *     pn_button(s, .label = "Add one", .button_type = "primary", .on_click = add, .arg = count)
 * Example: examples/widgets.c
 * Thread: session
 */
#define pn_button(s, ...) pn_button_new((s), &(const pn_button_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_button_new(pn_session *s, const pn_button_opts *o, pn_here here);
/* pn_button_clicks — how often the button was clicked in this session. Thread: session */
PN_API long pn_button_clicks(const pn_node *button);

typedef struct pn_toggle_opts {
    const char *label;       /* default: "Toggle" */
    bool value;              /* pressed. default: false */
    const char *button_type; /* as pn_button. default: "default" */
    bool disabled;
    pn_callback on_change;
    void *arg;
} pn_toggle_opts;

/* pn_toggle — a button that stays pressed. Example: examples/widgets.c. Thread: session */
#define pn_toggle(s, ...) pn_toggle_new((s), &(const pn_toggle_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_toggle_new(pn_session *s, const pn_toggle_opts *o, pn_here here);

typedef struct pn_checkbox_opts {
    const char *label; /* default: none */
    bool value;        /* checked. default: false */
    bool disabled;
    pn_callback on_change;
    void *arg;
} pn_checkbox_opts;

/* pn_checkbox — a labelled checkbox. Thread: session */
#define pn_checkbox(s, ...) pn_checkbox_new((s), &(const pn_checkbox_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_checkbox_new(pn_session *s, const pn_checkbox_opts *o, pn_here here);
/* The state of a Toggle or Checkbox. Thread: session */
PN_API bool pn_toggle_value(const pn_node *toggle_or_checkbox);
#define pn_checkbox_value pn_toggle_value
/* Sets a Toggle or Checkbox (no on_change: the app made the change). Thread: session */
#define pn_toggle_set_value(n, value) pn_toggle_set_value_at((n), (value), PN_HERE)
PN_API void pn_toggle_set_value_at(pn_node *toggle_or_checkbox, bool value, pn_here here);
#define pn_checkbox_set_value pn_toggle_set_value

typedef struct pn_text_input_opts {
    const char *name;        /* label above the field. default: none */
    const char *value;       /* default: "" */
    const char *placeholder; /* default: none */
    int max_length;          /* characters. default: 1000 (at most 100000) */
    bool disabled;
    pn_callback on_change; /* runs when the visitor commits (Enter or leaving the field) */
    void *arg;
} pn_text_input_opts;

/* pn_text_input — a one-line text field. Thread: session */
#define pn_text_input(s, ...)                                                                    \
    pn_text_input_new((s), &(const pn_text_input_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_text_input_new(pn_session *s, const pn_text_input_opts *o, pn_here here);
/* The current text (owned by the node; valid until the next change). Thread: session */
PN_API const char *pn_text_input_value(const pn_node *text_input);
#define pn_text_input_set_value(n, value) pn_text_input_set_value_at((n), (value), PN_HERE)
PN_API void pn_text_input_set_value_at(pn_node *text_input, const char *value, pn_here here);

typedef struct pn_int_slider_opts {
    const char *name; /* label, shown with the value. default: none */
    long value;       /* default: start */
    long start, end;  /* inclusive range. default: 0 and 100 (when both are 0) */
    long step;        /* default: 1 */
    bool disabled;
    pn_callback on_change; /* runs as the slider moves (throttled by the client) */
    void *arg;
} pn_int_slider_opts;

/* pn_int_slider — a slider over whole numbers. Example: examples/widgets.c. Thread: session */
#define pn_int_slider(s, ...)                                                                    \
    pn_int_slider_new((s), &(const pn_int_slider_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_int_slider_new(pn_session *s, const pn_int_slider_opts *o, pn_here here);
PN_API long pn_int_slider_value(const pn_node *slider);
/* Clamped to the range. */
#define pn_int_slider_set_value(n, value) pn_int_slider_set_value_at((n), (value), PN_HERE)
PN_API void pn_int_slider_set_value_at(pn_node *slider, long value, pn_here here);

typedef struct pn_float_slider_opts {
    const char *name;
    double value;       /* default: start */
    double start, end;  /* default: 0 and 1 (when both are 0) */
    double step;        /* default: (end - start) / 100 */
    const char *format; /* how the value is shown, as pn_number's. default: "{value}" */
    bool disabled;
    pn_callback on_change;
    void *arg;
} pn_float_slider_opts;

/* pn_float_slider — a slider over real numbers. Thread: session */
#define pn_float_slider(s, ...)                                                                  \
    pn_float_slider_new((s), &(const pn_float_slider_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_float_slider_new(pn_session *s, const pn_float_slider_opts *o, pn_here here);
PN_API double pn_float_slider_value(const pn_node *slider);
/* Clamped to the range. */
#define pn_float_slider_set_value(n, value) pn_float_slider_set_value_at((n), (value), PN_HERE)
PN_API void pn_float_slider_set_value_at(pn_node *slider, double value, pn_here here);

typedef struct pn_range_slider_opts {
    const char *name;               /* label, shown with the values. default: none */
    double value_start, value_end;  /* the range chosen. default: start and end (both 0) */
    double start, end;              /* default: 0 and 1 (when both are 0) */
    double step;                    /* default: (end - start) / 100 */
    const char *format;             /* how the values are shown, as pn_number's. default:
                                       "{value}" */
    bool disabled;
    pn_callback on_change; /* runs as either handle moves (throttled by the client) */
    void *arg;
} pn_range_slider_opts;

/*
 * pn_range_slider — a slider with two handles over real numbers (Panel's RangeSlider);
 * value_start <= value_end always.
 *     pn_range_slider(s, .name = "Hours", .start = 0, .end = 24, .step = 1,
 *                     .value_start = 9, .value_end = 17, .on_change = f)
 * Thread: session
 */
#define pn_range_slider(s, ...)                                                                  \
    pn_range_slider_new((s), &(const pn_range_slider_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_range_slider_new(pn_session *s, const pn_range_slider_opts *o, pn_here here);
/* pn_range_slider_value_start, _end — the range's ends. Thread: session */
PN_API double pn_range_slider_value_start(const pn_node *range_slider);
PN_API double pn_range_slider_value_end(const pn_node *range_slider);
/* pn_range_slider_set_value — sets the range, put in order and clamped to start..end (not
 * finite: misuse); no on_change.
 *     pn_range_slider_set_value(hours, 8, 18)
 * Thread: session */
#define pn_range_slider_set_value(n, lo, hi) pn_range_slider_set_value_at((n), (lo), (hi), PN_HERE)
PN_API void pn_range_slider_set_value_at(pn_node *range_slider, double lo, double hi,
                                         pn_here here);

/* A NULL-terminated list of strings: `.options = PN_OPTIONS("Berlin", "Paris")`. */
#define PN_OPTIONS(...) ((const char *const[]){__VA_ARGS__, NULL})

typedef struct pn_select_opts {
    const char *name;            /* label. default: none */
    const char *const *options;  /* PN_OPTIONS(...). default: none */
    const char *value;           /* one of options. default: the first option */
    bool disabled;
    pn_callback on_change;
    void *arg;
} pn_select_opts;

/* pn_select — a drop-down of strings. Thread: session */
#define pn_select(s, ...) pn_select_new((s), &(const pn_select_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_select_new(pn_session *s, const pn_select_opts *o, pn_here here);
/* The selected option (one of the node's own copies). Thread: session */
PN_API const char *pn_select_value(const pn_node *select);
/* Selects value if it is one of the options; otherwise records misuse. Thread: session */
#define pn_select_set_value(n, value) pn_select_set_value_at((n), (value), PN_HERE)
PN_API void pn_select_set_value_at(pn_node *select, const char *value, pn_here here);

/* A file a FileDownload is making (pn_download_write). Opaque; valid during make only. */
typedef struct pn_download pn_download;
/* What makes a FileDownload's file, when the visitor clicks it: write its bytes with
 * pn_download_write (nothing written: no download). */
typedef void (*pn_download_fn)(pn_session *s, pn_node *n, pn_download *d, void *arg);

typedef struct pn_file_download_opts {
    const char *label;       /* the button's text. default: "Download" */
    const char *filename;    /* the name the browser saves it under. default: "download" */
    const char *mime;        /* its type ("text/csv"). default: "application/octet-stream" */
    const char *button_type; /* as pn_button's. default: "default" */
    bool disabled;
    pn_download_fn make;     /* makes the file on each click. required */
    void *arg;               /* passed to make */
} pn_file_download_opts;

/*
 * pn_file_download — a button that saves a file the app makes when it is clicked (Panel's
 * FileDownload with a callback): make runs on the session's loop and writes the bytes, which
 * travel in the click's patch (at most 8 MiB) and are saved by the browser under .filename.
 *     static void csv(pn_session *s, pn_node *n, pn_download *d, void *rows) { … write … }
 *     pn_file_download(s, .label = "Export CSV", .filename = "rows.csv", .mime = "text/csv",
 *                      .make = csv, .arg = rows)
 * Thread: session
 */
#define pn_file_download(s, ...)                                                                 \
    pn_file_download_new((s), &(const pn_file_download_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_file_download_new(pn_session *s, const pn_file_download_opts *o, pn_here here);
/* pn_download_write — appends n bytes to the file being made; past 8 MiB in all the download
 * fails (misuse) and nothing is saved. Thread: session (in make) */
#define pn_download_write(d, bytes, n) pn_download_write_at((d), (bytes), (n), PN_HERE)
PN_API void pn_download_write_at(pn_download *d, const void *bytes, size_t n, pn_here here);

/* ---- grid and tabs ---------------------------------------------------------------------------- */

typedef struct pn_grid_opts {
    pn_node *const *items; /* PN_ITEMS(...): placed row by row; pn_size(.col_span, .row_span)
                              makes one cover more cells */
    int columns;           /* equal columns. default: 2; 1..24 */
    int row_height;        /* pixels. default: each row as tall as its content */
} pn_grid_opts;

/*
 * pn_grid — a CSS grid of equal columns (Panel's GridSpec / GridBox).
 *     pn_grid(s, .columns = 3, .items = PN_ITEMS(pn_size(plot, .col_span = 2), cpu, mem, disk))
 * Thread: session
 */
#define pn_grid(s, ...) pn_grid_new((s), &(const pn_grid_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_grid_new(pn_session *s, const pn_grid_opts *o, pn_here here);

typedef struct pn_tabs_opts {
    pn_node *const *items;      /* PN_ITEMS(...): one panel per tab */
    const char *const *titles;  /* PN_OPTIONS(...): the tabs' titles, in order. default: "Tab 1",
                                   "Tab 2", … */
    int active;                 /* the tab shown first (0-based). default: 0 */
    pn_callback on_change;      /* the visitor picked a tab: pn_tabs_active tells which */
    void *arg;
} pn_tabs_opts;

/*
 * pn_tabs — panels one at a time behind a row of tabs (Panel's Tabs; the WAI-ARIA tabs pattern:
 * the arrow keys move between tabs). The tabs are the children given when it is built. A
 * hidden panel (pn_set_visible) hides its tab too; when the tab shown is hidden, the first
 * visible one is shown instead (and pn_tabs_active says so).
 *     pn_tabs(s, .titles = PN_OPTIONS("Overview", "Processes"), .items = PN_ITEMS(a, b))
 * Thread: session
 */
#define pn_tabs(s, ...) pn_tabs_new((s), &(const pn_tabs_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_tabs_new(pn_session *s, const pn_tabs_opts *o, pn_here here);
typedef struct pn_accordion_opts {
    pn_node *const *items;     /* PN_ITEMS(...): one item each */
    const char *const *titles; /* PN_OPTIONS(...): the items' titles. default: "Item 1", … */
    int active;                /* the item open at first; -1: none. default: 0 */
} pn_accordion_opts;

/*
 * pn_accordion — items one below the other, each opened and closed by its title (Panel's
 * Accordion). Which are open is the visitor's.
 *     pn_accordion(s, .titles = PN_OPTIONS("Disks", "Network"), .items = PN_ITEMS(d, n))
 * Thread: session
 */
#define pn_accordion(s, ...)                                                                     \
    pn_accordion_new((s), &(const pn_accordion_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_accordion_new(pn_session *s, const pn_accordion_opts *o, pn_here here);

/* pn_tabs_active — the tab shown (0-based). Thread: session */
PN_API int pn_tabs_active(const pn_node *tabs);
/* pn_tabs_set_active — shows tab i (the page follows); a hidden one is refused (misuse).
 * Thread: session */
#define pn_tabs_set_active(t, i) pn_tabs_set_active_at((t), (i), PN_HERE)
PN_API void pn_tabs_set_active_at(pn_node *tabs, int i, pn_here here);

/* ---- tables ---------------------------------------------------------------------------------- */

/* How a Table column's cells are read, shown and sorted. */
typedef enum pn_column_type {
    PN_TEXT,   /* pn_cell.text; sorted as text (byte order), left-aligned */
    PN_NUMBER, /* pn_cell.num through .format; sorted as numbers, right-aligned */
} pn_column_type;

/* One column of a Table. */
typedef struct pn_column {
    const char *title;   /* header text. required */
    pn_column_type type; /* default: PN_TEXT */
    const char *format;  /* PN_NUMBER: as pn_number's ("{value:.1f} MB"). default: "{value}" */
    int width;           /* pixels. default: shared out by the browser */
} pn_column;
/* A column list: `.columns = PN_COLUMNS({"PID", PN_NUMBER}, {"Command"})`. */
PN_API extern const char pn_columns_end;
#define PN_COLUMNS(...) ((const pn_column[]){__VA_ARGS__, {&pn_columns_end}})

/* What a Table's cell function fills in for one cell: .text for a PN_TEXT column (it must stay
 * valid until the function is called again: a static buffer is fine), .num for PN_NUMBER. */
typedef struct pn_cell {
    const char *text;
    double num;
} pn_cell;
/* Reads cell (row, col) of the app's data: row 0..rows-1 in the app's own order. Called on the
 * session's thread, for the rows a visitor sees, and for every row of one column when the table
 * is sorted or filtered; it must not call pane. */
typedef void (*pn_cell_fn)(void *data, size_t row, int col, pn_cell *cell);

typedef struct pn_table_opts {
    const pn_column *columns; /* PN_COLUMNS(...): 1 to 64. required */
    size_t rows;              /* rows 0..rows-1 of the app's data (at most 4,294,967,295) */
    pn_cell_fn cell;          /* reads a cell. required when rows > 0 */
    void *data;               /* passed to cell */
    int page_size;            /* rows shown at once; the rest scroll. default: 15; 1..200 */
    int sort;                 /* the first sort: column index + 1, negative for descending.
                                 default: 0, the app's order */
    bool filter;              /* a filter box: rows with a text cell containing what is typed
                                 (any case). default: none */
    int key_column;           /* the column that identifies a row (a process's PID): the
                                 selection follows that key across pn_table_set_rows. column
                                 index + 1. default: 0, the selection is a row index */
    pn_callback on_select;    /* a row was selected (a click, or the arrow keys in the table):
                                 pn_table_selected tells which. NULL: rows are not selectable */
    void *arg;                /* passed to on_select */
} pn_table_opts;

/*
 * pn_table — a table over rows the app keeps in its own C data. pane reads them cell by cell
 * through .cell and sends the browser only the rows it shows: the first page is in the page
 * itself, scrolling asks for the rows it reaches, a click on a header sorts (stably, on the
 * server: ascending, then descending, then the app's order), and the filter box and selection
 * run on the server too. A million rows cost the session 4 bytes a row while sorted or
 * filtered, nothing otherwise.
 *     static void cell(void *data, size_t row, int col, pn_cell *c)
 *     {
 *         const struct proc *p = (const struct proc *)data + row;
 *         if (col == 0) c->num = p->pid; else c->text = p->name;
 *     }
 *     pn_table(s, .columns = PN_COLUMNS({"PID", PN_NUMBER}, {"Command"}), .rows = n,
 *              .cell = cell, .data = procs, .filter = true, .on_select = show_details);
 * Example: examples/processes.c
 * Thread: session
 */
#define pn_table(s, ...) pn_table_new((s), &(const pn_table_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_table_new(pn_session *s, const pn_table_opts *o, pn_here here);
/* pn_table_set_rows — the app's data changed and now has rows rows (data may move too: NULL
 * keeps it): the table reads what it shows again, sorted and filtered as the visitor left it,
 * and the selection follows its key (.key_column). Thread: session */
#define pn_table_set_rows(t, rows, data) pn_table_set_rows_at((t), (rows), (data), PN_HERE)
PN_API void pn_table_set_rows_at(pn_node *table, size_t rows, void *data, pn_here here);
/* PN_NO_ROW: no row (pn_table_selected when none is selected). */
#define PN_NO_ROW ((size_t)-1)
/* pn_table_selected — the selected row (an index into the app's data), or PN_NO_ROW.
 * Thread: session */
PN_API size_t pn_table_selected(const pn_node *table);
typedef struct pn_int_input_opts {
    const char *name; /* label above the field. default: none */
    long value;       /* default: 0, or the nearest bound */
    long start, end;  /* inclusive bounds. default: none (both 0); one bound: LONG_MIN or
                         LONG_MAX for the other */
    long step;        /* what the field's arrows add. default: 1 */
    bool disabled;
    pn_callback on_change; /* runs when the visitor commits (Enter, leaving the field, arrows) */
    void *arg;
} pn_int_input_opts;

/*
 * pn_int_input — a number field for whole numbers (Panel's IntInput).
 *     pn_int_input(s, .name = "Copies", .value = 1, .start = 1, .end = 99, .on_change = f)
 * Thread: session
 */
#define pn_int_input(s, ...)                                                                     \
    pn_int_input_new((s), &(const pn_int_input_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_int_input_new(pn_session *s, const pn_int_input_opts *o, pn_here here);
/* pn_int_input_value — the current value. Thread: session */
PN_API long pn_int_input_value(const pn_node *int_input);
/* pn_int_input_set_value — clamped to the bounds; no on_change.
 *     pn_int_input_set_value(copies, 3)
 * Thread: session */
#define pn_int_input_set_value(n, value) pn_int_input_set_value_at((n), (value), PN_HERE)
PN_API void pn_int_input_set_value_at(pn_node *int_input, long value, pn_here here);

typedef struct pn_float_input_opts {
    const char *name;  /* label above the field. default: none */
    double value;      /* default: 0, or the nearest bound */
    double start, end; /* inclusive bounds. default: none (both 0); one bound: -INFINITY or
                          INFINITY for the other */
    double step;       /* what the field's arrows add. default: 0.1 */
    bool disabled;
    pn_callback on_change; /* runs when the visitor commits (Enter, leaving the field, arrows) */
    void *arg;
} pn_float_input_opts;

/*
 * pn_float_input — a number field for real numbers (Panel's FloatInput); a value must be
 * finite.
 *     pn_float_input(s, .name = "Gain", .value = 0.5, .start = 0, .end = 2, .step = 0.05)
 * Thread: session
 */
#define pn_float_input(s, ...)                                                                   \
    pn_float_input_new((s), &(const pn_float_input_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_float_input_new(pn_session *s, const pn_float_input_opts *o, pn_here here);
/* pn_float_input_value — the current value. Thread: session */
PN_API double pn_float_input_value(const pn_node *float_input);
/* pn_float_input_set_value — clamped to the bounds (not finite: misuse); no on_change.
 *     pn_float_input_set_value(gain, 1.25)
 * Thread: session */
#define pn_float_input_set_value(n, value) pn_float_input_set_value_at((n), (value), PN_HERE)
PN_API void pn_float_input_set_value_at(pn_node *float_input, double value, pn_here here);

typedef struct pn_text_area_input_opts {
    const char *name;        /* label above the field. default: none */
    const char *value;       /* default: "" */
    const char *placeholder; /* default: none */
    int rows;                /* visible lines. default: 2 (at most 100) */
    int max_length;          /* characters. default: 5000 (at most 100000) */
    bool disabled;
    pn_callback on_change; /* runs when the visitor commits (leaving the field, Ctrl+Enter) */
    void *arg;
} pn_text_area_input_opts;

/*
 * pn_text_area_input — a text field of several lines (Panel's TextAreaInput).
 *     pn_text_area_input(s, .name = "Notes", .rows = 4, .placeholder = "…", .on_change = f)
 * Thread: session
 */
#define pn_text_area_input(s, ...)                                                               \
    pn_text_area_input_new((s), &(const pn_text_area_input_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_text_area_input_new(pn_session *s, const pn_text_area_input_opts *o,
                                       pn_here here);
/* pn_text_area_input_value — the current text (owned by the node; valid until the next
 * change). Thread: session */
PN_API const char *pn_text_area_input_value(const pn_node *text_area);
/* pn_text_area_input_set_value — copies value; longer than max_length: misuse.
 *     pn_text_area_input_set_value(notes, "")
 * Thread: session */
#define pn_text_area_input_set_value(n, value)                                                   \
    pn_text_area_input_set_value_at((n), (value), PN_HERE)
PN_API void pn_text_area_input_set_value_at(pn_node *text_area, const char *value, pn_here here);

typedef struct pn_radio_group_opts {
    const char *name;           /* label above the group. default: none */
    const char *const *options; /* PN_OPTIONS(...). default: none */
    const char *value;          /* one of options. default: the first option */
    bool horizontal;            /* the options in a line (Panel's inline). default: a column */
    bool disabled;
    pn_callback on_change;
    void *arg;
} pn_radio_group_opts;

/*
 * pn_radio_group — one of a list of strings, as radio buttons (Panel's RadioBoxGroup and
 * RadioButtonGroup); arrow keys move the choice.
 *     pn_radio_group(s, .name = "Unit", .options = PN_OPTIONS("°C", "°F"), .horizontal = true)
 * Thread: session
 */
#define pn_radio_group(s, ...)                                                                   \
    pn_radio_group_new((s), &(const pn_radio_group_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_radio_group_new(pn_session *s, const pn_radio_group_opts *o, pn_here here);
/* pn_radio_group_value — the chosen option (one of the node's own copies, valid for the
 * session). Thread: session */
PN_API const char *pn_radio_group_value(const pn_node *radio_group);
/* pn_radio_group_set_value — chooses value if it is one of the options; otherwise misuse.
 *     pn_radio_group_set_value(unit, "°F")
 * Thread: session */
#define pn_radio_group_set_value(n, value) pn_radio_group_set_value_at((n), (value), PN_HERE)
PN_API void pn_radio_group_set_value_at(pn_node *radio_group, const char *value, pn_here here);

typedef struct pn_checkbox_group_opts {
    const char *name;           /* label above the group. default: none */
    const char *const *options; /* PN_OPTIONS(...). default: none */
    const char *const *value;   /* the checked ones, PN_OPTIONS(...), each one of options.
                                   default: none */
    bool horizontal;            /* the options in a line (Panel's inline). default: a column */
    bool disabled;
    pn_callback on_change; /* runs on every check and uncheck */
    void *arg;
} pn_checkbox_group_opts;

/*
 * pn_checkbox_group — any number of a list of strings, as checkboxes (Panel's CheckBoxGroup).
 *     pn_checkbox_group(s, .name = "Days", .options = PN_OPTIONS("Mon", "Tue", "Wed"),
 *                       .value = PN_OPTIONS("Mon"), .on_change = f)
 * Thread: session
 */
#define pn_checkbox_group(s, ...)                                                                \
    pn_checkbox_group_new((s), &(const pn_checkbox_group_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_checkbox_group_new(pn_session *s, const pn_checkbox_group_opts *o,
                                      pn_here here);
/*
 * pn_checkbox_group_value — copies the checked options, in the order of the options, into
 * out (at most max of them) and returns how many are checked (more than max: out holds the
 * first max). The strings are the node's own copies of its options, valid for the session;
 * out is yours. Ask with max 0 for the count.
 *     const char *days[7];
 *     size_t n = pn_checkbox_group_value(group, days, 7);
 * Thread: session
 */
PN_API size_t pn_checkbox_group_value(const pn_node *checkbox_group, const char **out,
                                      size_t max);
/* pn_checkbox_group_set_value — checks exactly the options in value (NULL-terminated, NULL:
 * none); an item that is not an option, or one there twice: misuse. No on_change.
 *     pn_checkbox_group_set_value(group, PN_OPTIONS("Mon", "Wed"))
 * Thread: session */
#define pn_checkbox_group_set_value(n, value) pn_checkbox_group_set_value_at((n), (value), PN_HERE)
PN_API void pn_checkbox_group_set_value_at(pn_node *checkbox_group, const char *const *value,
                                           pn_here here);

typedef struct pn_multi_select_opts {
    const char *name;           /* label above the list. default: none */
    const char *const *options; /* PN_OPTIONS(...). default: none */
    const char *const *value;   /* the selected ones, PN_OPTIONS(...). default: none */
    int size;                   /* visible rows. default: the options', 2 to 10 */
    bool disabled;
    pn_callback on_change; /* runs on every change of the selection */
    void *arg;
} pn_multi_select_opts;

/*
 * pn_multi_select — any number of a list of strings, as a list box (Panel's MultiSelect):
 * Ctrl+click adds one, Shift+click or Shift+arrows a range.
 *     pn_multi_select(s, .name = "Cities", .options = PN_OPTIONS("Berlin", "Paris", "Rome"))
 * Thread: session
 */
#define pn_multi_select(s, ...)                                                                  \
    pn_multi_select_new((s), &(const pn_multi_select_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_multi_select_new(pn_session *s, const pn_multi_select_opts *o, pn_here here);
/* pn_multi_select_value — the selected options, as pn_checkbox_group_value.
 *     const char *cities[8];
 *     size_t n = pn_multi_select_value(list, cities, 8);
 * Thread: session */
PN_API size_t pn_multi_select_value(const pn_node *multi_select, const char **out, size_t max);
/* pn_multi_select_set_value — as pn_checkbox_group_set_value.
 *     pn_multi_select_set_value(list, PN_OPTIONS("Paris"))
 * Thread: session */
#define pn_multi_select_set_value(n, value) pn_multi_select_set_value_at((n), (value), PN_HERE)
PN_API void pn_multi_select_set_value_at(pn_node *multi_select, const char *const *value,
                                         pn_here here);

typedef struct pn_date_picker_opts {
    const char *name;  /* label above the field. default: none */
    const char *value; /* "YYYY-MM-DD", or "" for none. default: "" */
    const char *start; /* the earliest date one may pick, "YYYY-MM-DD". default: none */
    const char *end;   /* the latest. default: none */
    bool disabled;
    pn_callback on_change; /* runs when the visitor picks or types a whole date, or clears it */
    void *arg;
} pn_date_picker_opts;

/*
 * pn_date_picker — a date field with the browser's calendar (Panel's DatePicker). A value is
 * a real date as "YYYY-MM-DD" (years 0001 to 9999), clamped to start..end, or "" (none).
 *     pn_date_picker(s, .name = "Day", .value = "2026-12-02", .start = "2026-01-01")
 * Thread: session
 */
#define pn_date_picker(s, ...)                                                                   \
    pn_date_picker_new((s), &(const pn_date_picker_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_date_picker_new(pn_session *s, const pn_date_picker_opts *o, pn_here here);
/* pn_date_picker_value — "YYYY-MM-DD" or "" (owned by the node; valid until the next change).
 * Thread: session */
PN_API const char *pn_date_picker_value(const pn_node *date_picker);
/* pn_date_picker_set_value — a date (clamped to start..end) or ""; anything else: misuse.
 *     pn_date_picker_set_value(day, "2026-12-24")
 * Thread: session */
#define pn_date_picker_set_value(n, value) pn_date_picker_set_value_at((n), (value), PN_HERE)
PN_API void pn_date_picker_set_value_at(pn_node *date_picker, const char *value, pn_here here);

typedef struct pn_color_picker_opts {
    const char *name;  /* label above the swatch. default: none */
    const char *value; /* "#rrggbb". default: "#000000" */
    bool disabled;
    pn_callback on_change; /* runs when the visitor closes the chooser with a new colour */
    void *arg;
} pn_color_picker_opts;

/*
 * pn_color_picker — a colour swatch opening the browser's colour chooser (Panel's
 * ColorPicker). A value is "#rrggbb" (six hex digits).
 *     pn_color_picker(s, .name = "Line colour", .value = "#1e88e5", .on_change = f)
 * Thread: session
 */
#define pn_color_picker(s, ...)                                                                  \
    pn_color_picker_new((s), &(const pn_color_picker_opts){__VA_ARGS__}, PN_HERE)
PN_API pn_node *pn_color_picker_new(pn_session *s, const pn_color_picker_opts *o, pn_here here);
/* pn_color_picker_value — "#rrggbb" (owned by the node; valid until the next change).
 * Thread: session */
PN_API const char *pn_color_picker_value(const pn_node *color_picker);
/* pn_color_picker_set_value — "#rrggbb"; anything else: misuse.
 *     pn_color_picker_set_value(line, "#e53935")
 * Thread: session */
#define pn_color_picker_set_value(n, value) pn_color_picker_set_value_at((n), (value), PN_HERE)
PN_API void pn_color_picker_set_value_at(pn_node *color_picker, const char *value, pn_here here);

/* ---- changing the page: setters ---------------------------------------------------------------
 *
 * Setters change a property of a node; the change reaches the browser as a patch. Strings are
 * copied (the node owns the copy on the heap and frees the previous one), so a session that
 * updates a value every 100 ms does not grow. A value a setter cannot take (a NaN or an
 * infinity, a format with an unknown placeholder, a setter for another kind of node) is recorded
 * as misuse with the file and line of the setter's call, and the node keeps its value. Each
 * setter is a macro passing that file and line to its ..._at function.
 */

/* Thread: session. Example: examples/weather.c */
#define pn_number_set_value(n, v) pn_number_set_value_at((n), (v), PN_HERE)
PN_API void pn_number_set_value_at(pn_node *number, double value, pn_here here);
#define pn_number_set_name(n, v) pn_number_set_name_at((n), (v), PN_HERE)
PN_API void pn_number_set_name_at(pn_node *number, const char *name, pn_here here);
#define pn_number_set_format(n, v) pn_number_set_format_at((n), (v), PN_HERE)
PN_API void pn_number_set_format_at(pn_node *number, const char *format, pn_here here);
#define pn_markdown_set_text(n, v) pn_markdown_set_text_at((n), (v), PN_HERE)
PN_API void pn_markdown_set_text_at(pn_node *markdown, const char *text, pn_here here);
#define pn_html_set_html(n, v) pn_html_set_html_at((n), (v), PN_HERE)
PN_API void pn_html_set_html_at(pn_node *node, const char *html, pn_here here);
#define pn_card_set_title(n, v) pn_card_set_title_at((n), (v), PN_HERE)
PN_API void pn_card_set_title_at(pn_node *card, const char *title, pn_here here);
#define pn_card_set_collapsed(n, v) pn_card_set_collapsed_at((n), (v), PN_HERE)
PN_API void pn_card_set_collapsed_at(pn_node *card, bool collapsed, pn_here here);
#define pn_button_set_label(n, v) pn_button_set_label_at((n), (v), PN_HERE)
PN_API void pn_button_set_label_at(pn_node *button_or_toggle, const char *label, pn_here here);
/* Enables or disables any widget. */
#define pn_widget_set_disabled(n, v) pn_widget_set_disabled_at((n), (v), PN_HERE)
PN_API void pn_widget_set_disabled_at(pn_node *widget, bool disabled, pn_here here);
/* The page title (<title> and the header bar). */
#define pn_title_set(s, title) pn_title_set_at((s), (title), PN_HERE)
PN_API void pn_title_set_at(pn_session *s, const char *title, pn_here here);

/* ---- time and lifetime -------------------------------------------------------------------------- */

/* A timer made by pn_every or pn_timeout; owned by the session. */
typedef struct pn_timer pn_timer;
typedef void (*pn_timer_fn)(pn_session *s, void *arg);

/*
 * pn_every — runs fn(s, arg) every ms milliseconds on the session's loop, while the session
 * lives. The first run is ms from now, or, when called before the session's page has connected
 * (in pn_app), ms from when it connects: a page that never connects (a crawler, curl) runs no
 * timers.
 *     pn_every(s, 2000, tick, temp);
 * Example: examples/weather.c
 * Thread: session
 */
#define pn_every(s, ms, fn, arg) pn_every_at((s), (ms), (fn), (arg), PN_HERE)
PN_API pn_timer *pn_every_at(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg,
                             pn_here here);
/*
 * pn_every_now — pn_every with a first run now, before it returns: called in pn_app, what that
 * run sets is in the page pn_app builds (a first paint with real data, not zeros). That run is
 * a callback like the later ones (what it asks pn_fmt for lasts until it returns). Then
 * fn(s, arg) runs every ms milliseconds, counted as for pn_every. A page-only session (one
 * made for the --reuse-sessions cache or --warm) runs fn once and returns NULL, as it runs no
 * timers.
 *     pn_every_now(s, 2000, scan, top);
 * Example: examples/processes.c
 * Thread: session
 */
#define pn_every_now(s, ms, fn, arg) pn_every_now_at((s), (ms), (fn), (arg), PN_HERE)
PN_API pn_timer *pn_every_now_at(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg,
                                 pn_here here);
/* pn_timeout — runs fn(s, arg) once, ms milliseconds from now (counted as for pn_every). The
 * timer's small record stays with the session until it ends (so a late pn_timer_cancel is always
 * safe): for periodic work use pn_every rather than re-arming pn_timeout forever.
 * Thread: session */
#define pn_timeout(s, ms, fn, arg) pn_timeout_at((s), (ms), (fn), (arg), PN_HERE)
PN_API pn_timer *pn_timeout_at(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg,
                               pn_here here);
/* pn_timer_cancel — stops a timer; it is freed with the session. Thread: session */
#define pn_timer_cancel(t) pn_timer_cancel_at((t), PN_HERE)
PN_API void pn_timer_cancel_at(pn_timer *t, pn_here here);

/*
 * pn_on_session_destroyed — runs fn(s, arg) when the session ends: release what the app holds
 * for it. Every session that ran pn_app ends, and its hooks run once, on its loop, before its
 * timers are stopped: a live session when its visitor left and the unused-session lifetime
 * passed, when it is dropped (--max-unused-sessions) or when the server stops; a page-only
 * session (a page rendered for the --reuse-sessions cache or --warm, which never gets a
 * socket) right after its page is rendered. So "allocate in pn_app, free in the hook" never
 * leaks. A hook runs as a callback (pn_fmt's results last until it returns).
 * Thread: session
 */
#define pn_on_session_destroyed(s, fn, arg) pn_on_session_destroyed_at((s), (fn), (arg), PN_HERE)
PN_API void pn_on_session_destroyed_at(pn_session *s, pn_timer_fn fn, void *arg, pn_here here);

/* ---- from other threads: posts -----------------------------------------------------------------
 *
 * A session's calls are for its own loop's thread. Another thread (a simulation, a device
 * reader, a thread an app started) asks the session's loop to run a function instead: posts
 * run in order, as callbacks of the session (their changes reach the page), and a session is
 * addressed by an id that stays harmless after it ended, never by a pointer.
 */

/* A session's id for posts (0: none: a page-only session). */
typedef uint64_t pn_session_id;
/* pn_session_id_of — s's id. Thread: session */
PN_API pn_session_id pn_session_id_of(pn_session *s);
typedef void (*pn_post_fn)(pn_session *s, void *data);
/*
 * pn_post — runs fn(s, data) on the loop of session id, after what this thread posted before.
 * When the session has ended (or ends first, or its server stops), fn is not run and
 * fallback(data) is called instead (if not NULL; on this thread or the loop's), so data can be
 * freed either way. Returns false when the post could not be queued (fallback already ran).
 *     pn_post(id, show_reading, reading, free);
 * Example: tests/e2e/embed_test.c
 * Thread: any
 */
PN_API bool pn_post(pn_session_id id, pn_post_fn fn, void *data, void (*fallback)(void *data));
/*
 * pn_post_app — runs fn(s, data) on every live session of the app called app, on every loop of
 * every server of the process; done(data) (if not NULL) runs once after the last of them, on
 * one of the loops' threads (or this one when no loop took it).
 * Thread: any
 */
PN_API void pn_post_app(const char *app, pn_post_fn fn, void *data, void (*done)(void *data));

/* ---- embedding: a dashboard inside your own program -------------------------------------------
 *
 * A program with its own main() serves its apps without the `pane` command: the apps are
 * functions of the program, the server runs its loops on threads of its own, and the program's
 * threads publish to feeds (pn_feed_append) while the dashboard is served.
 */

/* One app of an embedding program: served at /name, built by app for every session. */
typedef struct pn_app_def {
    const char *name;                                   /* URL segment, e.g. "sim" */
    void (*app)(pn_session *s);                         /* as an app file's pn_app */
    void (*session_key)(const pn_request *r, pn_key *k); /* as pn_session_key, or NULL */
    void (*init)(pn_app_ctx *ctx);                      /* as pn_app_init, or NULL */
    void (*cleanup)(pn_app_ctx *ctx);                   /* as pn_app_cleanup, or NULL */
} pn_app_def;
/* The apps: `.apps = PN_APPS({.name = "sim", .app = sim_app}, {.name = "log", .app = log_app})`
 * (named fields: -Wextra warns of the ones a positional entry leaves out). */
#define PN_APPS(...) ((const pn_app_def[]){__VA_ARGS__, {NULL, NULL, NULL, NULL, NULL}})
/* .port for a free port the system picks (pn_server_url tells which). */
#define PN_ANY_PORT (-1)

/* What `pane serve`'s flags set, as fields (zero is the command's default). */
typedef struct pn_server_options {
    const pn_app_def *apps;     /* PN_APPS(...): at least one */
    const char *address;        /* default: all interfaces ("0.0.0.0"), as `pane serve` */
    int port;                   /* default: 5006; PN_ANY_PORT: any free one */
    const char *prefix;         /* URL prefix ("/dash"). default: none */
    const char *index;          /* the app served at "/". default: the only one, else a list */
    int num_threads;            /* loops, each on a thread. default: 1 */
    bool reuse_sessions;        /* --reuse-sessions */
    bool reuse_sessions_warm;   /* --reuse-sessions warm: with reuse_sessions, each visitor's
                                   live session is made while the cached page loads */
    bool global_loading_spinner; /* --global-loading-spinner */
    bool warm;                  /* --warm */
    const char *secret_key;     /* --secret-key. default: random, made at start */
    const char *const *allow_websocket_origin; /* NULL-terminated. default: the page's Host */
    int unused_session_lifetime_ms; /* default: 15000 */
    int max_connections;        /* default: no limit */
    bool admin;                 /* --admin: the live page PREFIX/admin, PREFIX/metrics
                                   (Prometheus) and PREFIX/_pane/stats */
    const char *root_path;      /* --root-path: what a proxy in front strips. default: none */
    bool use_xheaders;          /* --use-xheaders: client and host from the proxy's headers */
    const char *redis;          /* --redis: the Redis of shared feeds (pn_feed_redis),
                                   "redis://HOST[:PORT][/DB]" or "unix:PATH". default: none */
    /* --basic-auth: a login in front of every page and socket. A path to a users file
     * (`user:HASH` a line, HASH from `mkpasswd` or `openssl passwd -6`), or, when no such file
     * exists, one password for any user name. pn_server_start fails (logged, naming file:line)
     * on a bad file. default: no login */
    const char *basic_auth;
    const char *cookie_secret; /* --cookie-secret (>= 32 chars). default: from secret_key */
    int login_expiration_s;    /* --login-expiration: how long a login lasts. default: 7 days */
    /* --ssl-certfile, --ssl-keyfile: PEM certificate chain and its private key; both given,
     * every connection speaks TLS (1.2 or 1.3) and pn_server_url says https://. A file that
     * cannot be read or a key that is not the certificate's fails pn_server_start.
     * default: none (plain HTTP) */
    const char *ssl_certfile;
    const char *ssl_keyfile;
} pn_server_options;

/* A running server of an embedding program. */
typedef struct pn_runtime pn_server;

/*
 * pn_server_start — starts serving the apps: returns once the port listens, with the loops
 * running on threads of the server's own; NULL on an error (logged: a port in use, no apps, a
 * bad option). SIGPIPE is ignored from then on unless the program handles it. Several servers
 * may run in one process.
 *     pn_server *srv = pn_server_start(
 *         &(pn_server_options){.apps = PN_APPS({.name = "sim", .app = sim_app})});
 * Example: examples/embed/sim.c
 * Thread: any, not a server's own loop
 */
PN_API pn_server *pn_server_start(const pn_server_options *o);
/* pn_server_url — "http://127.0.0.1:PORT" plus the prefix (the address if one was given);
 * https:// with ssl_certfile.
 * Thread: any, while the server runs */
PN_API const char *pn_server_url(const pn_server *srv);
/*
 * pn_server_stop — stops gracefully (no more accepting, the requests under way finish, pages
 * are told the server is going away), runs every session's destroy hooks, waits for the loops'
 * threads and frees the server. A browser answers the close at once; a peer that does not is
 * given 2 s, and a response still being written at most 5 s. Feeds live as long as the
 * process (a thread may publish after the stop: nothing reads it).
 * Thread: any but the server's own loops (a callback must not stop its own server)
 */
PN_API void pn_server_stop(pn_server *srv);

#ifdef __cplusplus
}

/* ---- C++ --------------------------------------------------------------------------------------
 *
 * pane.h is a C++20 header too (examples/embed/sim.cpp). Builders and lists are written as in C,
 * with the designated initialisers in the order of the fields (C++ requires it):
 *     pn_card(s, .items = PN_ITEMS(a, b), .hide_header = true)
 * C's compound literals (`&(const pn_card_opts){...}`, `(pn_node *const[]){...}`) are not C++, so
 * the macros that use them are defined again below, on temporaries: pn__cxx_ptr(T{...}) and
 * pn__cxx_list<T>({...}) (pn_plot_push and pn_feed_push: function templates over their y's).
 * A temporary lives until the end of the full expression it is made in (a compound literal:
 * until the end of its block), so a list is for the call it is written in: after
 * `const pn_series *ser = PN_SERIES(...);` a later `.series = ser` reads an array that is gone
 * (declare an array instead). For the same reason pn_server_start also takes its options by
 * reference, in the call:
 *     pn_server *srv = pn_server_start({.apps = PN_APPS({.name = "sim", .app = sim_app})});
 * and not `pn_server_options o{.apps = PN_APPS(...)}; pn_server_start(&o);` (o.apps is gone).
 * What follows is a system header to the compiler: g++'s -Wextra warns of every field a
 * designated initialiser leaves out, which is how pane's options take their defaults. The
 * builders' initialisers are exempt; initialisers in your own code (pn_server_start's options)
 * are not: with g++ add -Wno-missing-field-initializers, as pane's own build does.
 */
#ifdef __GNUC__
#pragma GCC system_header
#endif

template <class T> inline const T *pn__cxx_ptr(const T &t) { return &t; }
template <class T, size_t N> inline const T *pn__cxx_list(const T (&list)[N]) { return list; }
template <class... Y> inline void pn__cxx_plot_push(pn_node *p, double x, pn_here here, Y... y)
{
    const double ys[] = {static_cast<double>(y)...};
    pn_plot_push_at(p, x, ys, sizeof...(Y), here);
}
template <class... Y> inline void pn__cxx_feed_push(pn_feed *f, double x, Y... y)
{
    const double ys[] = {static_cast<double>(y)...};
    pn_feed_push_n(f, x, ys, sizeof...(Y));
}
inline pn_server *pn_server_start(const pn_server_options &o) { return pn_server_start(&o); }

#undef PN_HERE
#define PN_HERE (pn_here{__FILE__, __LINE__})
#undef PN_ITEMS_END
#define PN_ITEMS_END (reinterpret_cast<pn_node *>(const_cast<char *>(&pn_items_end)))
#undef PN_ITEMS
#define PN_ITEMS(...) pn__cxx_list<pn_node *>({__VA_ARGS__, PN_ITEMS_END})
#undef PN_COLORS
#define PN_COLORS(...) pn__cxx_list<pn_color_stop>({__VA_ARGS__, {}})
#undef PN_SERIES
#define PN_SERIES(...) pn__cxx_list<pn_series>({__VA_ARGS__, {&pn_series_end, nullptr}})
#undef PN_COLUMNS
#define PN_COLUMNS(...) pn__cxx_list<pn_column>({__VA_ARGS__, {&pn_columns_end}})
#undef PN_OPTIONS
#define PN_OPTIONS(...) pn__cxx_list<const char *>({__VA_ARGS__, nullptr})
#undef PN_APPS
#define PN_APPS(...) pn__cxx_list<pn_app_def>({__VA_ARGS__, {}})

#undef pn_template
#define pn_template(s, ...)                                                                      \
    pn_template_set((s), pn__cxx_ptr(pn_template_opts{__VA_ARGS__}), PN_HERE)
#undef pn_row
#define pn_row(s, ...)                                                                           \
    pn_row_new((s), pn__cxx_ptr(pn_row_opts{.items = PN_ITEMS(__VA_ARGS__)}), PN_HERE)
#undef pn_row_ex
#define pn_row_ex(s, ...) pn_row_new((s), pn__cxx_ptr(pn_row_opts{__VA_ARGS__}), PN_HERE)
#undef pn_column
#define pn_column(s, ...)                                                                        \
    pn_column_new((s), pn__cxx_ptr(pn_column_opts{.items = PN_ITEMS(__VA_ARGS__)}), PN_HERE)
#undef pn_column_ex
#define pn_column_ex(s, ...) pn_column_new((s), pn__cxx_ptr(pn_column_opts{__VA_ARGS__}), PN_HERE)
#undef pn_card
#define pn_card(s, ...) pn_card_new((s), pn__cxx_ptr(pn_card_opts{__VA_ARGS__}), PN_HERE)
#undef pn_number
#define pn_number(s, ...) pn_number_new((s), pn__cxx_ptr(pn_number_opts{__VA_ARGS__}), PN_HERE)
#undef pn_progress
#define pn_progress(s, ...)                                                                      \
    pn_progress_new((s), pn__cxx_ptr(pn_progress_opts{__VA_ARGS__}), PN_HERE)
#undef pn_loading_spinner
#define pn_loading_spinner(s, ...)                                                               \
    pn_loading_spinner_new((s), pn__cxx_ptr(pn_loading_spinner_opts{__VA_ARGS__}), PN_HERE)
#undef pn_boolean_status
#define pn_boolean_status(s, ...)                                                                \
    pn_boolean_status_new((s), pn__cxx_ptr(pn_boolean_status_opts{__VA_ARGS__}), PN_HERE)
#undef pn_trend
#define pn_trend(s, ...) pn_trend_new((s), pn__cxx_ptr(pn_trend_opts{__VA_ARGS__}), PN_HERE)
#undef pn_gauge
#define pn_gauge(s, ...) pn_gauge_new((s), pn__cxx_ptr(pn_gauge_opts{__VA_ARGS__}), PN_HERE)
#undef pn_plot
#define pn_plot(s, ...) pn_plot_new((s), pn__cxx_ptr(pn_plot_opts{__VA_ARGS__}), PN_HERE)
#undef pn_table
#define pn_table(s, ...) pn_table_new((s), pn__cxx_ptr(pn_table_opts{__VA_ARGS__}), PN_HERE)
#undef pn_grid
#define pn_grid(s, ...) pn_grid_new((s), pn__cxx_ptr(pn_grid_opts{__VA_ARGS__}), PN_HERE)
#undef pn_tabs
#define pn_tabs(s, ...) pn_tabs_new((s), pn__cxx_ptr(pn_tabs_opts{__VA_ARGS__}), PN_HERE)
#undef pn_file_download
#define pn_file_download(s, ...)                                                                 \
    pn_file_download_new((s), pn__cxx_ptr(pn_file_download_opts{__VA_ARGS__}), PN_HERE)
#undef pn_accordion
#define pn_accordion(s, ...)                                                                     \
    pn_accordion_new((s), pn__cxx_ptr(pn_accordion_opts{__VA_ARGS__}), PN_HERE)
#undef pn_size
#define pn_size(n, ...) pn_size_set((n), pn__cxx_ptr(pn_size_opts{__VA_ARGS__}), PN_HERE)
#undef pn_plot_push
#define pn_plot_push(p, x, ...) pn__cxx_plot_push((p), (x), PN_HERE, __VA_ARGS__)
#undef pn_feed_push
#define pn_feed_push(f, x, ...) pn__cxx_feed_push((f), (x), __VA_ARGS__)
#undef pn_markdown
#define pn_markdown(s, ...)                                                                      \
    pn_markdown_new((s), pn__cxx_ptr(pn_markdown_opts{__VA_ARGS__}), PN_HERE)
#undef pn_html
#define pn_html(s, ...) pn_html_new((s), pn__cxx_ptr(pn_html_opts{__VA_ARGS__}), PN_HERE)
#undef pn_button
#define pn_button(s, ...) pn_button_new((s), pn__cxx_ptr(pn_button_opts{__VA_ARGS__}), PN_HERE)
#undef pn_toggle
#define pn_toggle(s, ...) pn_toggle_new((s), pn__cxx_ptr(pn_toggle_opts{__VA_ARGS__}), PN_HERE)
#undef pn_checkbox
#define pn_checkbox(s, ...)                                                                      \
    pn_checkbox_new((s), pn__cxx_ptr(pn_checkbox_opts{__VA_ARGS__}), PN_HERE)
#undef pn_text_input
#define pn_text_input(s, ...)                                                                    \
    pn_text_input_new((s), pn__cxx_ptr(pn_text_input_opts{__VA_ARGS__}), PN_HERE)
#undef pn_int_slider
#define pn_int_slider(s, ...)                                                                    \
    pn_int_slider_new((s), pn__cxx_ptr(pn_int_slider_opts{__VA_ARGS__}), PN_HERE)
#undef pn_float_slider
#define pn_float_slider(s, ...)                                                                  \
    pn_float_slider_new((s), pn__cxx_ptr(pn_float_slider_opts{__VA_ARGS__}), PN_HERE)
#undef pn_select
#define pn_select(s, ...) pn_select_new((s), pn__cxx_ptr(pn_select_opts{__VA_ARGS__}), PN_HERE)
#undef pn_alert
#define pn_alert(s, ...) pn_alert_new((s), pn__cxx_ptr(pn_alert_opts{__VA_ARGS__}), PN_HERE)
#undef pn_pre
#define pn_pre(s, ...) pn_pre_new((s), pn__cxx_ptr(pn_pre_opts{__VA_ARGS__}), PN_HERE)
#undef pn_json
#define pn_json(s, ...) pn_json_new((s), pn__cxx_ptr(pn_json_opts{__VA_ARGS__}), PN_HERE)
#undef pn_image
#define pn_image(s, ...) pn_image_new((s), pn__cxx_ptr(pn_image_opts{__VA_ARGS__}), PN_HERE)
#undef pn_divider
#define pn_divider(s, ...) pn_divider_new((s), pn__cxx_ptr(pn_divider_opts{__VA_ARGS__}), PN_HERE)
#undef pn_spacer
#define pn_spacer(s, ...) pn_spacer_new((s), pn__cxx_ptr(pn_spacer_opts{__VA_ARGS__}), PN_HERE)
#undef pn_int_input
#define pn_int_input(s, ...)                                                                     \
    pn_int_input_new((s), pn__cxx_ptr(pn_int_input_opts{__VA_ARGS__}), PN_HERE)
#undef pn_float_input
#define pn_float_input(s, ...)                                                                   \
    pn_float_input_new((s), pn__cxx_ptr(pn_float_input_opts{__VA_ARGS__}), PN_HERE)
#undef pn_text_area_input
#define pn_text_area_input(s, ...)                                                               \
    pn_text_area_input_new((s), pn__cxx_ptr(pn_text_area_input_opts{__VA_ARGS__}), PN_HERE)
#undef pn_radio_group
#define pn_radio_group(s, ...)                                                                   \
    pn_radio_group_new((s), pn__cxx_ptr(pn_radio_group_opts{__VA_ARGS__}), PN_HERE)
#undef pn_checkbox_group
#define pn_checkbox_group(s, ...)                                                                \
    pn_checkbox_group_new((s), pn__cxx_ptr(pn_checkbox_group_opts{__VA_ARGS__}), PN_HERE)
#undef pn_multi_select
#define pn_multi_select(s, ...)                                                                  \
    pn_multi_select_new((s), pn__cxx_ptr(pn_multi_select_opts{__VA_ARGS__}), PN_HERE)
#undef pn_range_slider
#define pn_range_slider(s, ...)                                                                  \
    pn_range_slider_new((s), pn__cxx_ptr(pn_range_slider_opts{__VA_ARGS__}), PN_HERE)
#undef pn_date_picker
#define pn_date_picker(s, ...)                                                                   \
    pn_date_picker_new((s), pn__cxx_ptr(pn_date_picker_opts{__VA_ARGS__}), PN_HERE)
#undef pn_color_picker
#define pn_color_picker(s, ...)                                                                  \
    pn_color_picker_new((s), pn__cxx_ptr(pn_color_picker_opts{__VA_ARGS__}), PN_HERE)
#endif /* __cplusplus */
#endif /* PANE_H */
