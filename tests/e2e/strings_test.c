/*
 * strings_test: what an app puts in its tree must never take pane down (issue 10, items 2, 3
 * and 8), against the real `pane serve` with three apps of tests/apps/:
 *   utf8.c    "%.12s" of ?city=aéééééé (an é cut in half) and Latin-1 bytes: the page is
 *             served and the live doc arrives with U+FFFD in their place (pane aborted
 *             encoding the doc)
 *   deep.c    rows nested 30,000 deep: the tree stops at 256 levels (misuse), the page and the
 *             doc are served (the stack overflowed encoding the doc)
 *   bigdoc.c  a ~10 MB page whose doc is ~20 MB, over the 16 MiB bound: the page is served,
 *             the socket gets error "too-big" and close 4413 with a reason (every hello was
 *             dropped without a close frame, and the client retried forever)
 * After each case a fresh socket must still get a doc; at the end SIGTERM must exit 0.
 *
 *     strings_test PANE_BIN SOURCE_DIR [FILTER]
 */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e.h"
#include "wsclient.h"

#define T 10000 /* ms: one expected message (a 10 MB page is rendered first) */
#define FFFD "\xef\xbf\xbd"

static struct e2e_server S = {.name = "strings"};

static struct wsc *ws_open(const char *path)
{
    char err[256];
    int status = -1;
    struct wsc *w = wsc_connect(&(struct wsc_opts){.port = S.port,
                                                   .path = path,
                                                   .headers = S.origin,
                                                   .timeout_ms = 5000},
                                &status, err, sizeof err);
    if (!w)
        e2e_fail("connect %s: %s (status %d)", path, err, status);
    return w;
}

static bool hello(struct wsc *w, const char *token, const char *query)
{
    char msg[512];
    int n = snprintf(msg, sizeof msg, "{\"t\":\"hello\",\"v\":2,\"token\":%s%s%s,\"query\":\"%s\"}",
                     token && *token ? "\"" : "", token && *token ? token : "null",
                     token && *token ? "\"" : "", query);
    return wsc_send_text(w, msg, (size_t)n) == 0 || e2e_fail("send hello failed");
}

/* The next message as JSON (a close or a timeout: NULL with e2e_why; *close_code set if a
 * close came). */
static json_t *next_json(struct wsc *w, int *close_code)
{
    struct wsc_msg m;
    int rc = wsc_recv(w, T * e2e.tscale, &m);
    if (rc != 1)
        return e2e_fail("%s", rc == 0 ? "no message in time" : "connection over"), NULL;
    json_t *j = NULL;
    if (m.opcode == WSC_CLOSE) {
        if (close_code)
            *close_code = m.code;
        e2e_fail("close %u (%s)", m.code, m.data);
    } else if (!(j = json_loadb(m.data, m.len, 0, NULL))) {
        e2e_fail("not JSON: %s", e2e_shown(m.data, m.len));
    }
    wsc_msg_free(&m);
    return j;
}

static const char *jstr(json_t *j, const char *key)
{
    const char *s = json_string_value(json_object_get(j, key));
    return s ? s : "";
}

/* A page, then its socket's doc; NULL with e2e_why. */
static json_t *page_and_doc(const char *path, const char *query, struct e2e_page *p, struct wsc **w)
{
    *w = NULL;
    if (!e2e_get_page(&S, path, p))
        return NULL;
    if (!(*w = ws_open(p->ws)) || !hello(*w, p->token, query))
        return NULL;
    json_t *doc = next_json(*w, NULL);
    if (doc && strcmp(jstr(doc, "t"), "doc")) {
        e2e_fail("want a doc, got %s", jstr(doc, "t"));
        json_decref(doc);
        return NULL;
    }
    return doc;
}

static bool case_utf8(void)
{
    const char *query = "city=a%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9%C3%A9";
    const char *want_title = "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9" FFFD;
    char path[256];
    snprintf(path, sizeof path, "/utf8?%s", query);
    struct e2e_page p;
    struct wsc *w;
    json_t *doc = page_and_doc(path, query, &p, &w); /* pane used to abort here */
    bool ok = doc != NULL;
    if (ok && (strcmp(p.title, want_title) || !strstr(p.main, "Z" FFFD "rich caf" FFFD)))
        ok = e2e_fail("page: title %s, main %s", e2e_shown(p.title, strlen(p.title)),
                      e2e_shown(p.main, strlen(p.main)));
    if (ok && (strcmp(jstr(doc, "title"), want_title) || strcmp(jstr(doc, "html"), p.main)))
        ok = e2e_fail("doc: title %s, html %s the page's", jstr(doc, "title"),
                      strcmp(jstr(doc, "html"), p.main) ? "differs from" : "equals");
    json_decref(doc);
    if (w)
        wsc_free(w);
    e2e_page_fini(&p);
    return ok;
}

static bool case_deep(void)
{
    struct e2e_page p;
    struct wsc *w;
    json_t *doc = page_and_doc("/deep", "", &p, &w);
    bool ok = doc != NULL;
    int depth = 0;
    for (json_t *k = json_object_get(doc, "root"); json_array_size(k) && depth < 100000; depth++)
        k = json_object_get(json_array_get(k, 0), "children");
    if (ok && (depth < 1 || depth > 256 || !strstr(p.main, "after the rows") ||
               strcmp(jstr(doc, "html"), p.main)))
        ok = e2e_fail("doc depth %d, page %s its second servable, doc html %s the page's", depth,
                      strstr(p.main, "after the rows") ? "with" : "without",
                      strcmp(jstr(doc, "html"), p.main) ? "differs from" : "equals");
    json_decref(doc);
    if (w)
        wsc_free(w);
    e2e_page_fini(&p);
    return ok;
}

static bool case_too_big(void)
{
    struct e2e_resp r;
    bool ok = e2e_get(S.port, "/bigdoc", NULL, &r);
    if (ok && (r.status != 200 || r.body.len < (8u << 20)))
        ok = e2e_fail("GET /bigdoc: status %d, %zu bytes", r.status, r.body.len);
    e2e_resp_fini(&r);
    if (!ok)
        return false;
    size_t mark = e2e_log_mark(&S);
    struct wsc *w = ws_open("/bigdoc/ws");
    if (!w || !hello(w, NULL, "")) {
        if (w)
            wsc_free(w);
        return false;
    }
    json_t *e = next_json(w, NULL);
    if (!e || strcmp(jstr(e, "t"), "error") || strcmp(jstr(e, "code"), "too-big"))
        ok = e && e2e_fail("want error too-big, got %s %s", jstr(e, "t"), jstr(e, "code"));
    json_decref(e);
    struct wsc_msg m;
    int rc = ok ? wsc_recv(w, T * e2e.tscale, &m) : 0;
    if (ok && rc != 1) {
        ok = e2e_fail("no close frame after the error");
    } else if (ok) {
        if (m.opcode != WSC_CLOSE || m.code != 4413 || !strstr(m.data, "too large"))
            ok = e2e_fail("want close 4413 \"document too large\", got opcode %d, code %u, %s",
                          m.opcode, m.code, e2e_shown(m.data, m.len));
        wsc_msg_free(&m);
    }
    wsc_free(w);
    /* the log names the app and the bound */
    if (ok && !e2e_log_wait(&S, mark, "app bigdoc: its live document is larger than 16 MiB",
                            2000 * e2e.tscale))
        ok = e2e_fail("no log line naming the app and the bound");
    return ok;
}

/* A fresh socket still gets a doc. */
static bool healthy(void)
{
    if (!e2e_server_alive(&S))
        return false;
    struct wsc *w = ws_open("/utf8/ws");
    json_t *doc = w && hello(w, NULL, "") ? next_json(w, NULL) : NULL;
    bool ok = doc && !strcmp(jstr(doc, "t"), "doc") && !strcmp(jstr(doc, "title"), "Berlin");
    if (doc && !ok)
        e2e_fail("health: %s %s", jstr(doc, "t"), jstr(doc, "title"));
    json_decref(doc);
    if (w)
        wsc_free(w);
    return ok;
}

int main(int argc, char **argv)
{
    e2e_init("strings", argc, argv, 240);
    signal(SIGPIPE, SIG_IGN);
    const char *args[] = {e2e_src("tests/apps/utf8.c"), e2e_src("tests/apps/deep.c"),
                          e2e_src("tests/apps/bigdoc.c"), NULL};
    if (!e2e_server_start(&S, &(struct e2e_spawn){.args = args, .napps = 3})) {
        e2e_report("start", false);
        return e2e_finish();
    }
    static const struct {
        const char *name;
        bool (*fn)(void);
    } cases[] = {
        {"utf8", case_utf8},
        {"deep", case_deep},
        {"too-big", case_too_big},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (!e2e_selected(cases[i].name))
            continue;
        e2e_report(cases[i].name, cases[i].fn());
        char after[128];
        snprintf(after, sizeof after, "%s (after: a fresh socket gets a doc)", cases[i].name);
        e2e_report(after, healthy());
    }
    e2e_report("sigterm", e2e_server_stop(&S, SIGTERM, 10000) == 0);
    return e2e_finish();
}
