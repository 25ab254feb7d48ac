/*
 * Table: rows the app keeps in its own C data, read cell by cell through its cell function; only
 * the rows the visitor sees travel (a server-side viewport, protocol.md "Table").
 *
 *   <div class="pn-table" id="pn-N" data-pn-kind="Table" style="--pn-table-page:P">
 *     <div class="pn-table-bar">[<input type="search" class="pn-table-filter" id="pn-N-input"
 *       placeholder="Filter" aria-label="Filter rows">]<span class="pn-table-count">1–15 of
 *       1,000</span></div>
 *     <div class="pn-table-scroll" tabindex="0"><div class="pn-table-sticky">
 *       <table [role="grid"] aria-rowcount="T+1"><thead><tr><th scope="col" aria-sort="none"
 *         [class="pn-table-num"] [style="width:Wpx"]><button type="button" class="pn-table-sort"
 *         data-col="C">TITLE</button></th>…</tr></thead>
 *       <tbody><tr aria-rowindex="I" data-row="D" [aria-selected="true"]><td>CELL</td>…</tr>…
 *     </tbody></table></div></div></div>
 *
 * The page holds the first page of rows; the client adds the scroll space (its own element)
 * and asks for rows as the visitor scrolls. The server keeps the view: the data rows in the
 * order shown (NULL while that is the app's order unfiltered), the sort, the filter, the
 * selection and the first row the client shows.
 *
 * Events: {"prop":"view","value":FIRST} (the client shows rows from FIRST: the reply carries
 * the rows around it), "sort" (±(column+1), 0: the app's order), "filter" (the text), "select"
 * (a data row the client shows; on_select runs). Patches: {"rows": {"from", "total", "rows":
 * [[DATA_ROW, CELL…]…]}} whenever what the client shows changed, {"sort"}, {"selected": DATA_ROW
 * or null}, {"filter"}. Client: web/client/kinds/table.js.
 */
#include <math.h>
#include <stdlib.h>

#include "base/record.h"
#include "kinds/kinds.h"

#define MAX_COLUMNS 64
#define MAX_CELL 1000   /* bytes of a cell's text sent; longer ends in "…" */
#define MAX_FILTER 256  /* bytes of filter text */
#define PAGE_DEFAULT 15 /* rows */
#define PAGE_MAX 200
#define OVERSCAN 2 /* pages sent on each side of what the client shows */

const char pn_columns_end; /* its address ends PN_COLUMNS lists (pane.h) */

static const struct pn_prop table_props[] = {
    PN_PROP(pn_table_opts, page_size, PN_PROP_INT),
    PN_PROP(pn_table_opts, filter, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_table_opts, on_select),
};

struct state {
    int ncols;
    size_t rows;      /* the app's */
    uint32_t *view;   /* view index -> data row; NULL: the app's order, every row */
    size_t nview;     /* rows in the view */
    size_t first;     /* the first row the client shows (view index) */
    int sort;         /* ±(column+1); 0: the app's order */
    char *filter;     /* heap; NULL: none */
    size_t selected;  /* data row, or PN_NO_ROW */
    char *key;        /* the selected row's key (key_column): its text, heap */
    double key_num;   /* or its number (a PN_NUMBER key column; key is "" then) */
    uint32_t changed; /* what the next patch carries (C_*) */
};
enum { C_ROWS = 1, C_SORT = 2, C_SELECTED = 4 };

static struct state *st(const pn_node *n)
{
    return pn__node_state(n);
}

static pn_table_opts *opts(const pn_node *n)
{
    return PN_OPTS((pn_node *)n, pn_table_opts);
}

static size_t data_row(const struct state *t, size_t v)
{
    return t->view ? t->view[v] : v;
}

/* ---- reading the app's cells ---- */

/* Brackets the app's cell function, so that a crash or a stall in it is named (record.h). */
static void enter(const pn_node *n)
{
    pn__entry_enter(PN_ENTRY_CELL, n->s->app_name, n->id, "a Table's cell function");
}

static void read_cell(const pn_node *n, size_t row, int col, pn_cell *c)
{
    *c = (pn_cell){0};
    const pn_table_opts *o = opts(n);
    if (o->cell)
        o->cell(o->data, row, col, c);
}

/* The cell as shown: its text (valid UTF-8, at most MAX_CELL bytes) or its number through the
 * column's format, into out. */
static int cell_text(const pn_node *n, size_t row, int col, struct pn_buf *out)
{
    const pn_column *c = &opts(n)->columns[col];
    pn_cell v;
    read_cell(n, row, col, &v);
    if (c->type == PN_NUMBER)
        return pn__value_format(c->format, v.num, out);
    if (!v.text)
        return 0;
    size_t len = strnlen(v.text, MAX_CELL + 1), keep = len > MAX_CELL ? MAX_CELL : len;
    char tmp[3 * MAX_CELL];
    size_t w = pn__utf8_sanitize(v.text, keep, tmp);
    int rc = pn__buf_append(out, tmp, w);
    return rc == 0 && len > keep ? pn__buf_append(out, "\xe2\x80\xa6", 3) : rc;
}

/* ---- the view: sorting and filtering, on the server ---- */

struct key {
    double num;
    const char *text; /* in the keys' text buffer */
    uint32_t row;
};

static _Thread_local int sort_dir; /* 1 ascending, -1 descending: for the comparators */

static int by_row(const struct key *x, const struct key *y) /* ties keep the app's order */
{
    return x->row < y->row ? -1 : x->row > y->row;
}

static int by_num(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    if (isnan(x->num) || isnan(y->num)) /* NaN last, whichever the direction */
        return isnan(x->num) && isnan(y->num) ? by_row(x, y) : isnan(x->num) ? 1 : -1;
    if (x->num != y->num)
        return (x->num < y->num ? -1 : 1) * sort_dir;
    return by_row(x, y);
}

static int by_text(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? (c < 0 ? -1 : 1) * sort_dir : by_row(x, y);
}

static bool contains_ci(const char *hay, const char *needle)
{
    return hay && strcasestr(hay, needle) != NULL;
}

/* Makes the view from the data: the rows that pass the filter, sorted. */
static void rebuild(pn_node *n)
{
    struct state *t = st(n);
    const pn_table_opts *o = opts(n);
    free(t->view);
    t->view = NULL;
    t->nview = t->rows;
    if (!t->sort && !t->filter)
        return;
    enter(n); /* the filter's and the sort key's cells */
    uint32_t *view = pn__xmalloc((t->rows ? t->rows : 1) * sizeof *view);
    size_t nv = 0;
    for (size_t r = 0; r < t->rows; r++) {
        bool keep = !t->filter;
        for (int c = 0; !keep && c < t->ncols; c++) {
            if (o->columns[c].type != PN_TEXT)
                continue;
            pn_cell v;
            read_cell(n, r, c, &v);
            keep = contains_ci(v.text, t->filter);
        }
        if (keep)
            view[nv++] = (uint32_t)r;
    }
    if (t->sort && nv > 1) {
        int col = abs(t->sort) - 1;
        bool text = o->columns[col].type == PN_TEXT;
        struct key *keys = pn__xmalloc(nv * sizeof *keys);
        struct pn_buf texts;
        pn__buf_init(&texts, SIZE_MAX);
        size_t *offs = text ? pn__xmalloc(nv * sizeof *offs) : NULL;
        for (size_t i = 0; i < nv; i++) {
            pn_cell v;
            read_cell(n, view[i], col, &v);
            keys[i] = (struct key){.num = v.num, .row = view[i]};
            if (text) { /* copied: the app's text is valid until its next call only */
                offs[i] = texts.len;
                const char *s = v.text ? v.text : "";
                pn__buf_append(&texts, s, strnlen(s, MAX_CELL));
                pn__buf_append(&texts, "", 1);
            }
        }
        pn__entry_leave(); /* the sort itself is pane's */
        if (text)
            for (size_t i = 0; i < nv; i++)
                keys[i].text = texts.data + offs[i];
        sort_dir = t->sort > 0 ? 1 : -1;
        qsort(keys, nv, sizeof *keys, text ? by_text : by_num);
        for (size_t i = 0; i < nv; i++)
            view[i] = keys[i].row;
        free(keys);
        free(offs);
        pn__buf_fini(&texts);
    } else {
        pn__entry_leave();
    }
    t->view = view;
    t->nview = nv;
}

/* The selection's key (key_column's text of the selected row), kept to find the row again. */
static void keep_key(pn_node *n)
{
    struct state *t = st(n);
    int kc = opts(n)->key_column - 1;
    free(t->key);
    t->key = NULL;
    if (kc < 0 || t->selected == PN_NO_ROW)
        return;
    enter(n);
    pn_cell v;
    read_cell(n, t->selected, kc, &v);
    pn__entry_leave();
    bool text = opts(n)->columns[kc].type == PN_TEXT;
    t->key = pn__xstrdup(text && v.text ? v.text : "");
    t->key_num = v.num;
}

static void find_key(pn_node *n)
{
    struct state *t = st(n);
    int kc = opts(n)->key_column - 1;
    if (t->selected == PN_NO_ROW)
        return;
    if (kc < 0 || !t->key) { /* a row index: it stays while it exists */
        if (t->selected >= t->rows)
            t->selected = PN_NO_ROW, t->changed |= C_SELECTED;
        return;
    }
    size_t found = PN_NO_ROW;
    bool text = opts(n)->columns[kc].type == PN_TEXT;
    enter(n);
    for (size_t r = 0; r < t->rows && found == PN_NO_ROW; r++) {
        pn_cell v;
        read_cell(n, r, kc, &v);
        if (text ? v.text && strcmp(v.text, t->key) == 0 : v.num == t->key_num)
            found = r;
    }
    pn__entry_leave();
    if (found != t->selected)
        t->changed |= C_SELECTED;
    t->selected = found;
    if (found == PN_NO_ROW) {
        free(t->key);
        t->key = NULL;
    }
}

/* What the view shows changed: the client gets its rows again (kept in range). */
static void view_changed(pn_node *n)
{
    struct state *t = st(n);
    int page = opts(n)->page_size;
    if (t->first + (size_t)page > t->nview)
        t->first = t->nview > (size_t)page ? t->nview - (size_t)page : 0;
    t->changed |= C_ROWS;
    pn__node_touch(n);
}

/* ---- building ---- */

static void init(pn_node *n, const void *given, pn_here here)
{
    const pn_table_opts *g = given;
    pn_table_opts *o = opts(n);
    struct state *t = st(n);
    pn_session *s = n->s;
    int k = 0;
    while (g && g->columns && g->columns[k].title != &pn_columns_end && k <= MAX_COLUMNS)
        k++;
    if (k == 0 || k > MAX_COLUMNS) {
        pn__session_misuse(s, here, "Table: %s columns (PN_COLUMNS(...), 1 to %d); showing one",
                           k ? "more than 64" : "no", MAX_COLUMNS);
        k = k ? MAX_COLUMNS : 0;
    }
    pn_column *cols = pn__arena_alloc(pn__node_arena(n), (size_t)(k ? k : 1) * sizeof *cols);
    for (int i = 0; i < k; i++) {
        const pn_column *in = &g->columns[i];
        cols[i] = (pn_column){
            .title = pn__arena_strdup_utf8(pn__node_arena(n), in->title ? in->title : ""),
            .type = in->type == PN_NUMBER ? PN_NUMBER : PN_TEXT,
            .format = in->type == PN_NUMBER
                          ? pn__kind_check_format(s, here, "Table column", in->format)
                          : NULL,
            .width = in->width > 0 && in->width <= 4000 ? in->width : 0,
        };
        if (cols[i].format)
            cols[i].format = pn__arena_strdup_utf8(pn__node_arena(n), cols[i].format);
        if (in->type != PN_TEXT && in->type != PN_NUMBER)
            pn__session_misuse(s, here, "Table column %d: type %d is not PN_TEXT or PN_NUMBER", i,
                               (int)in->type);
    }
    if (k == 0) {
        cols[0] = (pn_column){.title = ""};
        k = 1;
    }
    o->columns = cols;
    t->ncols = k;
    if (o->rows > UINT32_MAX) {
        pn__session_misuse(s, here, "Table: %zu rows; at most %u are shown", o->rows,
                           (unsigned)UINT32_MAX);
        o->rows = UINT32_MAX;
    }
    if (o->rows && !o->cell) {
        pn__session_misuse(s, here, "Table: %zu rows and no .cell function; showing none", o->rows);
        o->rows = 0;
    }
    if (o->page_size == 0)
        o->page_size = PAGE_DEFAULT;
    if (o->page_size < 1 || o->page_size > PAGE_MAX) {
        pn__session_misuse(s, here, "Table.page_size %d is not in 1..%d; using %d", o->page_size,
                           PAGE_MAX, PAGE_DEFAULT);
        o->page_size = PAGE_DEFAULT;
    }
    if (o->sort && (abs(o->sort) > k)) {
        pn__session_misuse(s, here, "Table.sort %d: there are %d columns; unsorted", o->sort, k);
        o->sort = 0;
    }
    if (o->key_column && (o->key_column < 1 || o->key_column > k)) {
        pn__session_misuse(s, here,
                           "Table.key_column %d is not a column (1..%d); the "
                           "selection is a row index",
                           o->key_column, k);
        o->key_column = 0;
    }
    t->rows = o->rows;
    t->sort = o->sort;
    t->selected = PN_NO_ROW;
    rebuild(n);
}

static void fini(pn_node *n)
{
    struct state *t = st(n);
    free(t->view);
    free(t->filter);
    free(t->key);
}

/* ---- HTML ---- */

/* v with a comma every three digits ("1,000,000"), in buf. */
static const char *thousands(size_t v, char *buf, size_t len)
{
    char digits[32];
    int n = snprintf(digits, sizeof digits, "%zu", v), o = 0;
    for (int i = 0; i < n && (size_t)o + 2 < len; i++) {
        if (i && (n - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}

/* "1–15 of 1,000" (or "No rows", "… of 3 (filtered from 1,000)"). */
static int count_text(struct pn_buf *out, const struct state *t, int page)
{
    char a[32], b[32], c[32];
    if (!t->nview)
        return t->filter && t->rows
                   ? pn__buf_printf(out, "No rows match (of %s)", thousands(t->rows, c, sizeof c))
                   : PN_PUT(out, "No rows");
    size_t last = t->first + (size_t)page < t->nview ? t->first + (size_t)page : t->nview;
    int rc = pn__buf_printf(out, "%s\xe2\x80\x93%s of %s", thousands(t->first + 1, a, sizeof a),
                            thousands(last, b, sizeof b), thousands(t->nview, c, sizeof c));
    if (rc == 0 && t->nview != t->rows)
        rc = pn__buf_printf(out, " (filtered from %s)", thousands(t->rows, c, sizeof c));
    return rc;
}

static int row_html(struct pn_buf *out, const pn_node *n, size_t v)
{
    const struct state *t = st(n);
    const pn_table_opts *o = opts(n);
    size_t r = data_row(t, v);
    int rc = pn__buf_printf(out, "<tr aria-rowindex=\"%zu\" data-row=\"%zu\"%s>", v + 2, r,
                            r == t->selected ? " aria-selected=\"true\"" : "");
    struct pn_buf cell;
    pn__buf_init(&cell, 1u << 16);
    for (int c = 0; rc == 0 && c < t->ncols; c++) {
        cell.len = 0;
        rc = o->columns[c].type == PN_NUMBER ? PN_PUT(out, "<td class=\"pn-table-num\">")
                                             : PN_PUT(out, "<td>");
        if (rc == 0)
            rc = cell_text(n, r, c, &cell);
        if (rc == 0)
            rc = pn__html_escape(out, cell.data ? cell.data : "", cell.len);
        if (rc == 0)
            rc = PN_PUT(out, "</td>");
    }
    pn__buf_fini(&cell);
    return rc ? rc : PN_PUT(out, "</tr>");
}

static const char *aria_sort(int sort, int col)
{
    if (abs(sort) != col + 1)
        return "none";
    return sort > 0 ? "ascending" : "descending";
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_table_opts *o = opts(n);
    const struct state *t = st(n);
    int rc;
    char page[32];
    snprintf(page, sizeof page, "--pn-table-page:%d", o->page_size);
    if ((rc = pn__html_open_style(out, "div", "pn-table", n, page)) ||
        (rc = PN_PUT(out, "><div class=\"pn-table-bar\">")))
        return rc;
    if (o->filter &&
        ((rc = pn__buf_printf(out,
                              "<input type=\"search\" class=\"pn-table-filter\" id=\"pn-%u-input\" "
                              "placeholder=\"Filter\" aria-label=\"Filter rows\" value=\"",
                              (unsigned)n->id)) ||
         (rc = pn__html_text(out, t->filter ? t->filter : "")) || (rc = PN_PUT(out, "\">"))))
        return rc;
    if ((rc = PN_PUT(out, "<span class=\"pn-table-count\" aria-live=\"polite\">")) ||
        (rc = count_text(out, t, o->page_size)) ||
        (rc = PN_PUT(out, "</span></div><div class=\"pn-table-scroll\" tabindex=\"0\">"
                          "<div class=\"pn-table-sticky\"><table")) ||
        (rc = pn__buf_printf(out, "%s aria-rowcount=\"%zu\"><thead><tr>",
                             o->on_select ? " role=\"grid\"" : "", t->nview + 1)))
        return rc;
    for (int c = 0; c < t->ncols; c++) {
        const pn_column *col = &o->columns[c];
        if ((rc = pn__buf_printf(out, "<th scope=\"col\" aria-sort=\"%s\"%s", aria_sort(t->sort, c),
                                 col->type == PN_NUMBER ? " class=\"pn-table-num\"" : "")) ||
            (col->width && (rc = pn__buf_printf(out, " style=\"width:%dpx\"", col->width))) ||
            (rc = pn__buf_printf(out,
                                 "><button type=\"button\" class=\"pn-table-sort\" "
                                 "data-col=\"%d\">",
                                 c)) ||
            (rc = pn__html_text(out, col->title)) || (rc = PN_PUT(out, "</button></th>")))
            return rc;
    }
    if ((rc = PN_PUT(out, "</tr></thead><tbody>")))
        return rc;
    size_t end = t->first + (size_t)o->page_size;
    enter(n);
    for (size_t v = t->first; rc == 0 && v < end && v < t->nview; v++)
        rc = row_html(out, n, v);
    pn__entry_leave();
    return rc ? rc : PN_PUT(out, "</tbody></table></div></div></div>");
}

/* ---- events ---- */

static bool is_int(const struct pn_value *v)
{
    return v->type == PN_V_NUM && isfinite(v->num) && v->num == floor(v->num);
}

static const char *event(pn_node *n, pn_str prop, const struct pn_value *v, struct pn_call *call,
                         const char **why)
{
    struct state *t = st(n);
    const pn_table_opts *o = opts(n);
    if (pn__str_eq(prop, PN_STRLIT("view"))) {
        if (!is_int(v) || v->num < 0)
            return *why = "view: the first row shown, an integer from 0", "bad-value";
        t->first = v->num >= (double)t->nview ? t->nview : (size_t)v->num;
        view_changed(n);
        return NULL;
    }
    if (pn__str_eq(prop, PN_STRLIT("sort"))) {
        if (!is_int(v) || fabs(v->num) > t->ncols)
            return *why = "sort: ±(column + 1), or 0", "bad-value";
        t->sort = (int)v->num;
        t->first = 0;
        rebuild(n);
        t->changed |= C_SORT;
        view_changed(n);
        return NULL;
    }
    if (pn__str_eq(prop, PN_STRLIT("filter"))) {
        if (!o->filter)
            return *why = "this Table has no filter", "bad-prop";
        if (v->type != PN_V_STR || strlen(v->str) > MAX_FILTER)
            return *why = "filter: a string of at most 256 bytes", "bad-value";
        free(t->filter);
        t->filter = *v->str ? pn__xstrdup(v->str) : NULL;
        t->first = 0;
        rebuild(n);
        view_changed(n);
        return NULL;
    }
    if (pn__str_eq(prop, PN_STRLIT("select"))) {
        if (!o->on_select)
            return *why = "this Table's rows are not selectable", "bad-prop";
        if (!is_int(v) || v->num < 0 || v->num >= (double)t->rows)
            return *why = "select: a row of the table", "bad-value";
        size_t r = (size_t)v->num;
        bool shown = !t->view;
        for (size_t i = 0; !shown && i < t->nview; i++)
            shown = t->view[i] == r;
        if (!shown)
            return *why = "select: that row is filtered out", "bad-value";
        t->selected = r;
        keep_key(n);
        t->changed |= C_SELECTED;
        pn__node_touch(n);
        *call = pn__node_callback(n);
        return NULL;
    }
    return *why = "a Table takes view, sort, filter and select", "bad-prop";
}

/* ---- patches and the doc ---- */

/* The rows around what the client shows: OVERSCAN pages before and after. */
static int rows_json(const pn_node *n, json_t **out)
{
    const struct state *t = st(n);
    size_t page = (size_t)opts(n)->page_size, back = OVERSCAN * page;
    size_t from = t->first > back ? t->first - back : 0;
    size_t to = t->first + page + OVERSCAN * page;
    if (to > t->nview)
        to = t->nview;
    json_t *rows = json_array(), *o = json_object();
    struct pn_buf cell;
    pn__buf_init(&cell, 1u << 16);
    int rc = 0;
    enter(n);
    for (size_t v = from; rc == 0 && v < to; v++) {
        size_t r = data_row(t, v);
        json_t *row = json_array();
        json_array_append_new(row, json_integer((json_int_t)r));
        for (int c = 0; rc == 0 && c < t->ncols; c++) {
            cell.len = 0;
            rc = cell_text(n, r, c, &cell);
            json_t *s = rc ? NULL : json_stringn(cell.data ? cell.data : "", cell.len);
            if (!s || json_array_append_new(row, s))
                rc = rc ? rc : PN_EINVAL;
        }
        json_array_append_new(rows, row);
    }
    pn__entry_leave();
    pn__buf_fini(&cell);
    struct pn_buf count;
    pn__buf_init(&count, 256);
    count_text(&count, t, (int)page);
    json_object_set_new(o, "from", json_integer((json_int_t)from));
    json_object_set_new(o, "first", json_integer((json_int_t)t->first));
    json_object_set_new(o, "total", json_integer((json_int_t)t->nview));
    json_object_set_new(o, "count", json_stringn(count.data ? count.data : "", count.len));
    json_object_set_new(o, "rows", rows);
    pn__buf_fini(&count);
    if (rc) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    struct state *t = st(n);
    (void)mask;
    int rc = 0;
    if (t->changed & C_ROWS) {
        json_t *rows = NULL;
        rc = rows_json(n, &rows);
        if (rc == 0 && pn__json_set(changes, "rows", rows))
            rc = PN_EINVAL;
    }
    if (rc == 0 && (t->changed & C_SORT) && pn__json_set(changes, "sort", json_integer(t->sort)))
        rc = PN_EINVAL;
    if (rc == 0 && (t->changed & C_SELECTED) &&
        pn__json_set(changes, "selected",
                     t->selected == PN_NO_ROW ? json_null()
                                              : json_integer((json_int_t)t->selected)))
        rc = PN_EINVAL;
    t->changed = 0;
    return rc;
}

static int doc(const pn_node *n, void *props)
{
    const struct state *t = st(n);
    const pn_table_opts *o = opts(n);
    json_t *cols = json_array();
    for (int c = 0; c < t->ncols; c++)
        json_array_append_new(cols, json_pack("{s:s,s:s}", "title", o->columns[c].title, "type",
                                              o->columns[c].type == PN_NUMBER ? "number" : "text"));
    int rc = pn__json_set(props, "columns", cols) ||
             pn__json_set(props, "total", json_integer((json_int_t)t->nview)) ||
             pn__json_set(props, "first", json_integer((json_int_t)t->first)) ||
             pn__json_set(props, "sort", json_integer(t->sort)) ||
             pn__json_set(props, "selectable", json_boolean(o->on_select != NULL)) ||
             pn__json_set(props, "selected",
                          t->selected == PN_NO_ROW ? json_null()
                                                   : json_integer((json_int_t)t->selected));
    return rc ? PN_EINVAL : 0;
}

const struct pn_kind pn__kind_table = {
    .name = "Table",
    .css_class = "pn-table",
    .opts_size = sizeof(pn_table_opts),
    .state_size = sizeof(struct state),
    .props = table_props,
    .nprops = PN_COUNT(table_props),
    .init = init,
    .event = event,
    .html = html,
    .patch = patch,
    .doc = doc,
    .fini = fini,
};

/* ---- pane.h ---- */

pn_node *pn_table_new(pn_session *s, const pn_table_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_table, o, here);
}

void pn_table_set_rows_at(pn_node *n, size_t rows, void *data, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, "pn_table_set_rows"))
        return;
    if (!pn__is(n, &pn__kind_table)) {
        pn__session_misuse(n->s, here, "pn_table_set_rows called on a %s (made at %s:%d)",
                           n->desc->name, n->here.file ? n->here.file : "?", n->here.line);
        return;
    }
    pn_table_opts *o = opts(n);
    if (rows > UINT32_MAX) {
        pn__session_misuse(n->s, here, "pn_table_set_rows: %zu rows; at most %u are shown", rows,
                           (unsigned)UINT32_MAX);
        rows = UINT32_MAX;
    }
    if (data)
        o->data = data;
    if (rows && !o->cell) {
        pn__session_misuse(n->s, here, "pn_table_set_rows: the Table has no .cell function");
        rows = 0;
    }
    struct state *t = st(n);
    o->rows = t->rows = rows;
    find_key(n);
    rebuild(n);
    view_changed(n);
}

size_t pn_table_selected(const pn_node *n)
{
    return n && pn__is(n, &pn__kind_table) ? st(n)->selected : PN_NO_ROW;
}
