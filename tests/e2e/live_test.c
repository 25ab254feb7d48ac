/*
 * live_test: end-to-end checks of live sessions (docs/internals/protocol.md, sessions.md)
 * against the real `pane serve`, with the wsclient library.
 *
 *     live_test PANE_BIN SOURCE_DIR [FILTER]      run the cases (those whose name contains FILTER)
 *     LIVE_TEST_VERBOSE=1 live_test ...           also log every message sent and received
 *     PANE_WRAPPER="valgrind ..." live_test ...   the life server (the lifetimes cases) runs
 *                                                 under this command (tests/valgrind.sh)
 *
 * Four servers run side by side, each `pane serve --port 0 --address 127.0.0.1` with small
 * limits so that the run is fast:
 *   main  examples/widgets.c, examples/weather.c; --admin, secret K1,
 *         --unused-session-lifetime 1500 --check-unused-sessions 300 --keep-alive 500
 *         --websocket-max-message-size 4096
 *   exp   examples/widgets.c; secret K2, --session-token-expiration 1, two allowed origins
 *   mt    examples/weather.c, examples/widgets.c; secret K1, --num-threads 2, --admin
 *   form  tests/apps/live_form.c, examples/widgets.c; the small lifetimes of main. A server of
 *         its own, so that a case that hangs it does not take the other cases with it.
 *   bound tests/apps/ticks.c, examples/widgets.c; --admin, --max-unused-sessions 4
 *   life  tests/apps/{timers,ticks,sampler}.c, examples/widgets.c; --admin, --reuse-sessions
 *         --session-key arg:k, --max-unused-sessions 4, lifetime 200 ms swept every 100 ms.
 *         Sessions' lifetimes (issue 10): timer handles closed before their memory is freed,
 *         destroy hooks of page-only sessions, setters called from another thread.
 * Every case prints `ok NAME` or `FAIL NAME: why`, and is followed by a fresh handshake and
 * hello on its server that must still get a doc (reported as `NAME (after: ...)`). At the
 * end every server gets SIGTERM with sockets open: the sockets must see close 1001 and the
 * server must exit 0 (under ASan, LeakSanitizer makes that fail on a leak).
 *
 * While a case waits on one socket, every other open socket is read too (so that the 500 ms
 * keep-alive pings are answered and nothing is dropped for silence), except the one the
 * keep-alive case keeps silent on purpose; the socket that never says hello (opened first,
 * checked near the end) is read by a thread of its own. Every read has a timeout, every loop a
 * bound, and the whole run one alarm (GLOBAL_TIMEOUT_S) that kills the servers.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include "wsclient.h"

#define GLOBAL_TIMEOUT_S 280
#define T 3000    /* ms: one expected message */
#define QUIET 300 /* ms: how long "nothing came" is watched */
#define LIFETIME_MS 1500
#define SWEEP_MS 300
#define KEEPALIVE_MS 500
#define MAX_MESSAGE 4096
#define K1 "live-test-secret-key-one-0123456789abcdef"
#define K2 "live-test-secret-key-two-0123456789abcdef"

/* ---- the servers ---- */

static struct e2e_server S_MAIN = {.name = "main"}, S_EXP = {.name = "exp"},
                         S_MT = {.name = "mt"}, S_FORM = {.name = "form"},
                         S_BOUND = {.name = "bound"}, S_LIFE = {.name = "life"};
static struct e2e_server *const all_servers[] = {&S_MAIN, &S_EXP, &S_MT, &S_FORM, &S_BOUND,
                                                 &S_LIFE};
#define MAX_UNUSED 4

static bool srv_start(struct e2e_server *s, const char *const *args)
{
    return e2e_server_start(s, &(struct e2e_spawn){.args = args});
}

/* GET path: the response with its body (r->body.data, NUL-terminated). */
static bool http_get(const struct e2e_server *s, const char *path, const char *headers,
                     struct e2e_resp *r)
{
    return e2e_get(s->port, path, headers, r);
}

struct stats {
    long live, sockets, created, destroyed, resumed, unused, dropped;
};

static bool get_stats(const struct e2e_server *s, struct stats *st)
{
    struct e2e_resp r;
    if (!http_get(s, "/_pane/stats", NULL, &r))
        return false;
    json_t *j = r.status == 200 ? json_loads(r.body.data, 0, NULL) : NULL;
    json_t *ss = json_object_get(j, "sessions");
    bool ok = ss != NULL;
    if (ok) {
        st->live = (long)json_integer_value(json_object_get(ss, "live"));
        st->sockets = (long)json_integer_value(json_object_get(ss, "sockets"));
        st->created = (long)json_integer_value(json_object_get(ss, "created"));
        st->destroyed = (long)json_integer_value(json_object_get(ss, "destroyed"));
        st->resumed = (long)json_integer_value(json_object_get(ss, "resumed"));
        st->unused = (long)json_integer_value(json_object_get(ss, "unused"));
        st->dropped = (long)json_integer_value(json_object_get(ss, "dropped"));
    } else {
        e2e_fail("GET /_pane/stats: status %d, body %.200s", r.status, r.body.data ? r.body.data : "");
    }
    json_decref(j);
    e2e_resp_fini(&r);
    return ok;
}

/* Status of a raw upgrade request (Host and Origin as given; origin NULL: no Origin). */
static int upgrade_status(const struct e2e_server *s, const char *path, const char *host,
                          const char *origin)
{
    char req[2048], hostbuf[64];
    if (!host) {
        snprintf(hostbuf, sizeof hostbuf, "127.0.0.1:%d", s->port);
        host = hostbuf;
    }
    char ol[512] = "";
    if (origin)
        snprintf(ol, sizeof ol, "Origin: %s\r\n", origin);
    int n = snprintf(
        req, sizeof req,
        "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n%s\r\n",
        path, host, ol);
    return wsc_http("127.0.0.1", s->port, req, (size_t)n, 5000, NULL, 0);
}

/* An error with this code (and id, unless id < 0). */
static bool expect_error(struct e2e_cl *c, const char *code, long id, const char *skip)
{
    json_t *e = e2e_expect_msg(c, "error", skip, T);
    if (!e)
        return false;
    const char *got = json_string_value(json_object_get(e, "code"));
    json_t *jid = json_object_get(e, "id");
    bool ok = got && !strcmp(got, code) && (id < 0 || (jid && json_integer_value(jid) == id));
    if (!ok) {
        char *s = json_dumps(e, JSON_COMPACT);
        e2e_fail("want error %s (id %ld), got %s", code, id, s);
        free(s);
    }
    json_decref(e);
    return ok;
}

/* ---- the component tree and patches ---- */

/* The next patch must hold exactly one op: Number id showing value (and, if text_is, exactly
 * that text). */
static bool expect_number_patch(struct e2e_cl *c, long id, double value, const char *text_is)
{
    json_t *p = e2e_expect_msg(c, "patch", NULL, T);
    if (!p)
        return false;
    const char *text;
    double v = e2e_patch_number(p, id, &text);
    bool ok = e2e_patch_nops(p) == 1 && v == value && (!text_is || !strcmp(text, text_is));
    if (!ok)
        e2e_fail("want one op showing %g in #%ld (text %s), got %s", value, id,
                 text_is ? text_is : "-", e2e_dumps(p));
    json_decref(p);
    return ok;
}

/* ---- small helpers ---- */

static int b64url_val(char ch)
{
    const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const char *p = ch ? strchr(a, ch) : NULL;
    return p ? (int)(p - a) : -1;
}

static char b64url_chr(int v)
{
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[v & 63];
}

/* The expiry (Unix seconds) in a token's body: bytes 8..15 of the 22-character base64url. */
static long long token_expiry(const char *tok)
{
    unsigned char raw[17] = {0};
    unsigned acc = 0;
    int bits = 0, o = 0;
    for (int i = 0; i < 22 && o < 16; i++) {
        int v = b64url_val(tok[i]);
        if (v < 0)
            return -1;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            raw[o++] = (unsigned char)(acc >> bits);
        }
    }
    long long e = 0;
    for (int i = 8; i < 16; i++)
        e = (e << 8) | raw[i];
    return e;
}

/* Polls the stats until sockets == want (3 s at most). */
static bool wait_sockets(const struct e2e_server *s, long want)
{
    struct stats st = {0};
    for (int i = 0; i < 60; i++) {
        if (!get_stats(s, &st))
            return false;
        if (st.sockets == want)
            return true;
        e2e_idle(50);
    }
    return e2e_fail("%s: %ld sockets, want %ld", s->name, st.sockets, want);
}

/* ---- the cases ---- */

static bool case_page_hello(void)
{
    struct e2e_page p;
    if (!e2e_get_page(&S_MAIN, "/widgets", &p))
        return false;
    bool ok = false;
    json_t *doc = NULL;
    struct e2e_cl *c = NULL;
    if (strcmp(p.ws, "/widgets/ws") || strlen(p.token) != 66) {
        e2e_fail("#pn-data: ws %s, token %s", p.ws, p.token);
        goto out;
    }
    if (!(c = e2e_cl_open(&S_MAIN, p.ws)) || !(doc = e2e_hello_doc(c, p.token, "")))
        goto out;
    if (strcmp(e2e_jstr(doc, "token"), p.token) ||
        json_integer_value(json_object_get(doc, "v")) != 2 ||
        strcmp(e2e_jstr(doc, "title"), "Widgets") ||
        strcmp(e2e_jstr(doc, "template"), "material")) {
        e2e_fail("doc: token %s (page %s), v, title %s, template %s", e2e_jstr(doc, "token"),
                 p.token, e2e_jstr(doc, "title"), e2e_jstr(doc, "template"));
        goto out;
    }
    if (strcmp(e2e_jstr(doc, "html"), p.main)) {
        e2e_fail("doc.html differs from the page's #pn-main:\n  doc  %.300s\n  page %.300s",
                 e2e_jstr(doc, "html"), p.main);
        goto out;
    }
    json_decref(doc);
    doc = NULL;
    e2e_cl_free(c);
    c = NULL;
    e2e_page_fini(&p);

    /* weather: the page's random numbers come back in the doc of the same session */
    if (!e2e_get_page(&S_MAIN, "/weather?city=Paris", &p))
        goto out;
    if (!(c = e2e_cl_open(&S_MAIN, p.ws)) || !(doc = e2e_hello_doc(c, p.token, "city=Paris")))
        goto out;
    json_t *temp = e2e_doc_prop(doc, "Number", "Temperature", "value");
    json_t *hum = e2e_doc_prop(doc, "Number", "Humidity", "value");
    char t_html[64], h_html[64];
    snprintf(t_html, sizeof t_html, ">%g °C<", json_number_value(temp));
    snprintf(h_html, sizeof h_html, ">%g%%<", json_number_value(hum));
    if (strcmp(e2e_jstr(doc, "token"), p.token) ||
        strcmp(e2e_jstr(doc, "title"), "Paris Weather") || strcmp(p.title, "Paris Weather") ||
        !json_is_number(temp) || !json_is_number(hum) || !strstr(p.main, t_html) ||
        !strstr(p.main, h_html)) {
        e2e_fail(
            "weather doc: token %s (page %s), title %s / %s, temperature %s, humidity %s vs page "
            "%.400s",
            e2e_jstr(doc, "token"), p.token, e2e_jstr(doc, "title"), p.title, e2e_dumps(temp),
            e2e_dumps(hum), p.main);
        goto out;
    }
    if (strcmp(e2e_jstr(doc, "html"), p.main)) {
        e2e_fail("weather doc.html differs from the page (a timer tick in between?)");
        goto out;
    }
    ok = true;
out:
    json_decref(doc);
    e2e_cl_free(c);
    e2e_page_fini(&p);
    return ok;
}

static bool case_origin(void)
{
    char same[64], wrong_port[64];
    snprintf(same, sizeof same, "http://127.0.0.1:%d", S_MAIN.port);
    snprintf(wrong_port, sizeof wrong_port, "http://127.0.0.1:%d", S_MAIN.port == 1 ? 2 : 1);
    struct {
        const char *origin;
        int want;
    } v[] = {{same, 101},       {NULL, 101},   {"http://evil.example", 403},
             {wrong_port, 403}, {"null", 403}, {"https://127.0.0.1", 403}};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        int st = upgrade_status(&S_MAIN, "/widgets/ws", NULL, v[i].origin);
        if (st != v[i].want)
            return e2e_fail("Origin %s: status %d, want %d", v[i].origin ? v[i].origin : "(none)", st,
                         v[i].want);
    }
    /* a refused origin gets no socket; the allowed one gets a working session */
    int st = 0;
    struct e2e_cl *c =
        e2e_cl_open_ex(&S_MAIN, "/widgets/ws", "Origin: http://evil.example\r\n", NULL, 0, &st);
    if (c || st != 403) {
        e2e_cl_free(c);
        return e2e_fail("wsc with a bad origin: status %d", st);
    }
    json_t *doc;
    if (!(c = e2e_open_session(&S_MAIN, "/widgets/ws", "", &doc)))
        return false;
    json_decref(doc);
    e2e_cl_free(c);
    return true;
}

/* A page served over HTTPS through a proxy: Host has no port, Origin is https. Same origin. */
static bool case_origin_https_same_host(void)
{
    int st = upgrade_status(&S_MAIN, "/widgets/ws", "app.example.com", "https://app.example.com");
    if (st != 101)
        return e2e_fail("Host: app.example.com, Origin: https://app.example.com (the same origin, "
                     "served over https): status %d, want 101",
                     st);
    return true;
}

static bool case_origin_allowed(void)
{
    char host_origin[64];
    snprintf(host_origin, sizeof host_origin, "http://127.0.0.1:%d", S_EXP.port);
    struct {
        const char *origin;
        int want;
    } v[] = {{"https://app.example.com:8443", 101},
             {"http://plain.example.com", 101},
             {"http://PLAIN.example.com:80", 101},
             {host_origin, 403}, /* the list replaces the default */
             {"https://app.example.com", 403},
             {"https://evil.example.com:8443", 403},
             {NULL, 101}};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        int st = upgrade_status(&S_EXP, "/widgets/ws", NULL, v[i].origin);
        if (st != v[i].want)
            return e2e_fail(
                "--allow-websocket-origin app.example.com:8443 plain.example.com: Origin %s "
                "status %d, want %d",
                v[i].origin ? v[i].origin : "(none)", st, v[i].want);
    }
    json_t *doc;
    struct e2e_cl *c = e2e_open_session(&S_EXP, "/widgets/ws", "", &doc);
    if (!c)
        return false;
    json_decref(doc);
    e2e_cl_free(c);
    return true;
}

/* --allow-websocket-origin HOST without a port, page on https://HOST (as Bokeh/Panel match it:
 * a host without a port is HOST:80 on both sides). */
static bool case_origin_allowed_https(void)
{
    int st = upgrade_status(&S_EXP, "/widgets/ws", NULL, "https://plain.example.com");
    if (st != 101)
        return e2e_fail(
            "--allow-websocket-origin plain.example.com, Origin https://plain.example.com: "
            "status %d, want 101 (Panel accepts it)",
            st);
    return true;
}

static bool bad_token_one(const char *tok, const char *desc)
{
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    if (!c)
        return false;
    bool ok = e2e_send_hello(c, tok, "") && expect_error(c, "bad-token", -1, NULL) &&
              e2e_expect_close(c, 1008, NULL, T);
    e2e_cl_free(c);
    if (!ok)
        e2e_failw("%s", desc);
    return ok;
}

static bool case_token_forged(void)
{
    struct e2e_page p;
    if (!e2e_get_page(&S_MAIN, "/widgets", &p))
        return false;
    bool ok = false;
    char t[160];
    /* a flipped character in the signature, in the body, and in the unused low bits of the
     * signature's last character (one canonical encoding) */
    snprintf(t, sizeof t, "%s", p.token);
    t[40] = t[40] == 'A' ? 'B' : 'A';
    if (!bad_token_one(t, "flipped signature char"))
        goto out;
    snprintf(t, sizeof t, "%s", p.token);
    t[3] = t[3] == 'A' ? 'B' : 'A';
    if (!bad_token_one(t, "flipped body char"))
        goto out;
    snprintf(t, sizeof t, "%s", p.token);
    t[65] = b64url_chr(b64url_val(t[65]) ^ 1);
    if (!bad_token_one(t, "non-canonical last char"))
        goto out;
    snprintf(t, sizeof t, "%s", p.token);
    t[22] = 'A'; /* no dot */
    if (!bad_token_one(t, "no dot"))
        goto out;
    if (!bad_token_one("x", "short") || !bad_token_one("", "empty"))
        goto out;
    snprintf(t, sizeof t, "%.65s", p.token);
    if (!bad_token_one(t, "one char short"))
        goto out;
    /* the real token still works after all that */
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    json_t *doc = c ? e2e_hello_doc(c, p.token, "") : NULL;
    ok = doc && !strcmp(e2e_jstr(doc, "token"), p.token);
    if (doc && !ok)
        e2e_fail("the real token got doc token %s", e2e_jstr(doc, "token"));
    json_decref(doc);
    e2e_cl_free(c);
out:
    e2e_page_fini(&p);
    return ok;
}

static bool case_token_expired(void)
{
    struct e2e_page p;
    if (!e2e_get_page(&S_EXP, "/widgets", &p))
        return false;
    long long exp = token_expiry(p.token);
    bool ok = false;
    struct e2e_cl *c = NULL;
    if (exp <= 0 || exp > (long long)time(NULL) + 2) {
        e2e_fail("token expiry %lld, now %lld (--session-token-expiration 1)", exp,
              (long long)time(NULL));
        goto out;
    }
    for (int i = 0; i < 300 && (long long)time(NULL) < exp; i++)
        e2e_idle(20);
    if (!(c = e2e_cl_open(&S_EXP, "/widgets/ws")))
        goto out;
    ok = e2e_send_hello(c, p.token, "") && expect_error(c, "expired-token", -1, NULL) &&
         e2e_expect_close(c, 1008, NULL, T);
out:
    e2e_cl_free(c);
    e2e_page_fini(&p);
    return ok;
}

static bool case_token_unexpired_control(void)
{
    /* the same server's fresh token, used at once, resumes (3 tries: the second may tick) */
    for (int attempt = 0; attempt < 3; attempt++) {
        struct e2e_page p;
        if (!e2e_get_page(&S_EXP, "/widgets", &p))
            return false;
        if ((long long)time(NULL) >= token_expiry(p.token)) {
            e2e_page_fini(&p);
            continue;
        }
        struct e2e_cl *c = e2e_cl_open(&S_EXP, "/widgets/ws");
        json_t *m = NULL;
        if (c && e2e_send_hello(c, p.token, ""))
            m = e2e_expect_msg(c, "doc", NULL, T);
        bool ok = m && !strcmp(e2e_jstr(m, "token"), p.token);
        bool expired_meanwhile = !m && strstr(e2e_why, "expired-token");
        json_decref(m);
        e2e_cl_free(c);
        e2e_page_fini(&p);
        if (ok)
            return true;
        if (!expired_meanwhile)
            return false;
    }
    return e2e_fail("no attempt within the token's second");
}

static bool case_token_other_key(void)
{
    struct e2e_page p;
    if (!e2e_get_page(&S_EXP, "/widgets", &p)) /* signed with K2 */
        return false;
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws"); /* checks with K1 */
    bool ok = c && e2e_send_hello(c, p.token, "") && expect_error(c, "bad-token", -1, NULL) &&
              e2e_expect_close(c, 1008, NULL, T);
    e2e_cl_free(c);
    e2e_page_fini(&p);
    return ok;
}

static bool case_token_same_key_other_process(void)
{
    struct e2e_page p;
    struct stats a, b;
    if (!e2e_get_page(&S_MT, "/widgets", &p) || !get_stats(&S_MAIN, &a))
        return false;
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    json_t *doc = c ? e2e_hello_doc(c, p.token, "") : NULL;
    bool ok = doc && get_stats(&S_MAIN, &b);
    if (ok && (!strcmp(e2e_jstr(doc, "token"), p.token) || strlen(e2e_jstr(doc, "token")) != 66 ||
               b.created != a.created + 1 || b.resumed != a.resumed))
        ok = e2e_fail("valid token of another process: doc token %s (page's %s), created %ld→%ld, "
                      "resumed %ld→%ld",
                      e2e_jstr(doc, "token"), p.token, a.created, b.created, a.resumed, b.resumed);
    json_decref(doc);
    e2e_cl_free(c);
    e2e_page_fini(&p);
    return ok;
}

static bool case_token_none(void)
{
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    json_t *doc = c ? e2e_hello_doc(c, NULL, "") : NULL;
    bool ok = doc != NULL;
    if (ok && (strlen(e2e_jstr(doc, "token")) != 66 ||
               json_number_value(e2e_doc_prop(doc, "Number", "Clicks", "value")) != 0))
        ok = e2e_fail("fresh doc: token %s, clicks %s", e2e_jstr(doc, "token"),
                      e2e_dumps(e2e_doc_prop(doc, "Number", "Clicks", "value")));
    json_decref(doc);
    e2e_cl_free(c);
    if (!ok)
        return false;
    /* no token field and no query at all */
    c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    doc = c && e2e_sendf(c, "{\"t\":\"hello\",\"v\":2}") ? e2e_expect_msg(c, "doc", NULL, T) : NULL;
    ok = doc != NULL;
    json_decref(doc);
    e2e_cl_free(c);
    if (!ok)
        return false;
    /* the hello's query makes the fresh session (percent-decoded) */
    c = e2e_cl_open(&S_MAIN, "/weather/ws");
    doc = c ? e2e_hello_doc(c, NULL, "city=S%C3%A3o+Paulo") : NULL;
    ok = doc && !strcmp(e2e_jstr(doc, "title"), "São Paulo Weather");
    if (doc && !ok)
        e2e_fail("title %s, want São Paulo Weather", e2e_jstr(doc, "title"));
    json_decref(doc);
    e2e_cl_free(c);
    return ok;
}

static bool case_token_other_app(void)
{
    struct e2e_page p;
    if (!e2e_get_page(&S_MAIN, "/widgets", &p))
        return false;
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/weather/ws");
    json_t *doc = c ? e2e_hello_doc(c, p.token, "") : NULL;
    bool ok = doc != NULL;
    if (ok && (!strcmp(e2e_jstr(doc, "token"), p.token) ||
               strcmp(e2e_jstr(doc, "title"), "Berlin Weather")))
        ok = e2e_fail("widgets token on /weather/ws: doc token %s title %s", e2e_jstr(doc, "token"),
                      e2e_jstr(doc, "title"));
    json_decref(doc);
    e2e_cl_free(c);
    if (ok) { /* the widgets session was not touched: its token still resumes it */
        c = e2e_cl_open(&S_MAIN, "/widgets/ws");
        doc = c ? e2e_hello_doc(c, p.token, "") : NULL;
        ok = doc && !strcmp(e2e_jstr(doc, "token"), p.token);
        if (doc && !ok)
            e2e_fail("widgets token on /widgets/ws afterwards: doc token %s",
                     e2e_jstr(doc, "token"));
        json_decref(doc);
        e2e_cl_free(c);
    }
    e2e_page_fini(&p);
    return ok;
}

static bool case_hello_version(void)
{
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    bool ok = c && e2e_sendf(c, "{\"t\":\"hello\",\"v\":1,\"token\":null,\"query\":\"\"}") &&
              expect_error(c, "version", -1, NULL) && e2e_expect_close(c, 1008, NULL, T);
    e2e_cl_free(c);
    if (!ok)
        return false;
    c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    ok = c && e2e_sendf(c, "{\"t\":\"hello\",\"v\":\"1\",\"token\":null}") &&
         expect_error(c, "bad-message", -1, NULL);
    e2e_cl_free(c);
    return ok;
}

/* A widgets session and its ids. */
struct widgets {
    struct e2e_cl *c;
    json_t *doc;
    long button, clicks, slider, level;
};

static bool widgets_open(const struct e2e_server *s, struct widgets *w)
{
    memset(w, 0, sizeof *w);
    if (!(w->c = e2e_open_session(s, "/widgets/ws", "", &w->doc)))
        return false;
    w->button = e2e_doc_id(w->doc, "Button", "Add one");
    w->clicks = e2e_doc_id(w->doc, "Number", "Clicks");
    w->slider = e2e_doc_id(w->doc, "IntSlider", "Level");
    w->level = e2e_doc_id(w->doc, "Number", "Level");
    if (w->button < 0 || w->clicks < 0 || w->slider < 0 || w->level < 0)
        return e2e_fail("widgets doc without the expected nodes: %s",
                        e2e_dumps(json_object_get(w->doc, "root")));
    return true;
}

static void widgets_close(struct widgets *w)
{
    json_decref(w->doc);
    e2e_cl_free(w->c);
    memset(w, 0, sizeof *w);
}

static bool click(struct widgets *w)
{
    return e2e_sendf(w->c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", w->button);
}

static bool click_expect(struct widgets *w, int count)
{
    char text[32];
    snprintf(text, sizeof text, "%d", count);
    return click(w) && expect_number_patch(w->c, w->clicks, count, text);
}

static bool case_hello_twice(void)
{
    struct widgets w;
    bool ok = widgets_open(&S_MAIN, &w) && e2e_send_hello(w.c, NULL, "") &&
              expect_error(w.c, "bad-message", -1, NULL) && click_expect(&w, 1);
    widgets_close(&w);
    return ok;
}

static bool case_event_click(void)
{
    struct widgets w;
    bool ok = widgets_open(&S_MAIN, &w) && click_expect(&w, 1) && click_expect(&w, 2) &&
              click_expect(&w, 3);
    widgets_close(&w);
    return ok;
}

static bool case_event_slider(void)
{
    struct widgets w;
    bool ok = widgets_open(&S_MAIN, &w);
    /* the slider's own value is not echoed: the one op is the driven number's */
    ok = ok &&
         e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":73}", w.slider) &&
         expect_number_patch(w.c, w.level, 73, "73%");
    ok = ok &&
         e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":0}", w.slider) &&
         expect_number_patch(w.c, w.level, 0, "0%");
    /* out of range: clamped to the end */
    ok = ok &&
         e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":1000}", w.slider);
    json_t *p = ok ? e2e_expect_msg(w.c, "patch", NULL, T) : NULL;
    if (ok && e2e_patch_number(p, w.level, NULL) != 100)
        ok = e2e_fail("slider 1000 (range 0..100): want Level 100, got %s", e2e_dumps(p));
    json_decref(p);
    widgets_close(&w);
    return ok;
}

static bool case_event_unknown_id(void)
{
    struct widgets w;
    bool ok =
        widgets_open(&S_MAIN, &w) &&
        e2e_sendf(w.c, "{\"t\":\"event\",\"id\":999,\"prop\":\"clicks\"}") &&
        expect_error(w.c, "unknown-id", 999, NULL) && click_expect(&w, 1) &&
        e2e_sendf(w.c, "{\"t\":\"event\",\"id\":4294967295,\"prop\":\"value\",\"value\":1}") &&
        expect_error(w.c, "unknown-id", 4294967295L, NULL) && click_expect(&w, 2);
    widgets_close(&w);
    return ok;
}

static bool case_event_not_widget_bad_prop(void)
{
    struct widgets w;
    bool ok =
        widgets_open(&S_MAIN, &w) &&
        e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":5}", w.clicks) &&
        expect_error(w.c, "not-a-widget", w.clicks, NULL) &&
        e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":5}", w.button) &&
        expect_error(w.c, "bad-prop", w.button, NULL) &&
        e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"name\",\"value\":\"x\"}",
                  w.slider) &&
        expect_error(w.c, "bad-prop", w.slider, NULL) &&
        e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", w.slider) &&
        expect_error(w.c, "bad-prop", w.slider, NULL) && click_expect(&w, 1);
    widgets_close(&w);
    return ok;
}

static bool case_event_bad_value(void)
{
    struct widgets w;
    if (!widgets_open(&S_MAIN, &w))
        return false;
    const char *bad[] = {"\"abc\"", "50.5", "true", "null", "\"50\"", "[50]", "[\"50\"]", "[]"};
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof bad / sizeof *bad; i++) {
        ok = e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":%s}",
                       w.slider, bad[i]) &&
             expect_error(w.c, "bad-value", w.slider, NULL);
        if (!ok)
            e2e_failw("slider value %s", bad[i]);
    }
    /* nothing was applied: the session carries on from 50 */
    ok = ok &&
         e2e_sendf(w.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":10}", w.slider) &&
         expect_number_patch(w.c, w.level, 10, "10%");
    widgets_close(&w);
    return ok;
}

static bool case_event_before_hello(void)
{
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    bool ok = c && e2e_sendf(c, "{\"t\":\"event\",\"id\":3,\"prop\":\"clicks\"}") &&
              expect_error(c, "no-session", -1, NULL);
    json_t *doc = ok ? e2e_hello_doc(c, NULL, "") : NULL;
    ok = ok && doc;
    if (ok) {
        struct widgets w = {.c = c, .doc = doc};
        w.button = e2e_doc_id(doc, "Button", "Add one");
        w.clicks = e2e_doc_id(doc, "Number", "Clicks");
        ok = click_expect(&w, 1);
    }
    json_decref(doc);
    e2e_cl_free(c);
    return ok;
}

static bool case_message_bad(void)
{
    struct widgets w;
    if (!widgets_open(&S_MAIN, &w))
        return false;
    const char *bad[] = {
        "hello there",
        "[1,2]",
        "{}",
        "\"str\"",
        "{\"t\":\"nope\"}",
        "{\"t\":5}",
        "{\"t\":\"event\",\"id\":3}",
        "{\"t\":\"event\",\"id\":0,\"prop\":\"clicks\"}",
        "{\"t\":\"event\",\"id\":-3,\"prop\":\"clicks\"}",
        "{\"t\":\"event\",\"id\":3.5,\"prop\":\"clicks\"}",
        "{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":{\"a\":1}}",
        "{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":[1,\"a\"]}",
        "{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":[[1]]}",
        "{\"t\":\"ping\",\"t\":\"ping\"}",
        "{\"t\":\"ping\"} trailing",
        "{\"t\":\"ping\",\"n\":1e999}",
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof bad / sizeof *bad; i++) {
        ok = wsc_send_text(w.c->w, bad[i], strlen(bad[i])) == 0 &&
             expect_error(w.c, "bad-message", -1, NULL);
        if (!ok)
            e2e_failw("message %s", bad[i]);
    }
    ok = ok && click_expect(&w, 1);
    widgets_close(&w);
    return ok;
}

static bool ping_depth(struct e2e_cl *c, int depth, bool want_pong)
{
    /* depth levels in all: the message object and depth - 1 arrays */
    char msg[512];
    int n = snprintf(msg, sizeof msg, "{\"t\":\"ping\",\"n\":");
    for (int i = 0; i < depth - 1; i++)
        msg[n++] = '[';
    for (int i = 0; i < depth - 1; i++)
        msg[n++] = ']';
    msg[n++] = '}';
    msg[n] = '\0';
    if (wsc_send_text(c->w, msg, (size_t)n) != 0)
        return e2e_fail("send");
    if (!want_pong)
        return expect_error(c, "bad-message", -1, NULL) || e2e_failw("depth %d", depth);
    json_t *p = e2e_expect_msg(c, "pong", NULL, T);
    if (!p)
        return e2e_failw("depth %d", depth);
    json_t *sent = json_loads(msg, 0, NULL);
    bool ok = json_equal(json_object_get(p, "n"), json_object_get(sent, "n"));
    if (!ok)
        e2e_fail("depth %d: pong n %s", depth, e2e_dumps(json_object_get(p, "n")));
    json_decref(sent);
    json_decref(p);
    return ok;
}

static bool case_message_nested(void)
{
    struct widgets w;
    if (!widgets_open(&S_MAIN, &w))
        return false;
    bool ok = ping_depth(w.c, 40, false) && ping_depth(w.c, 33, false) && ping_depth(w.c, 32, true);
    /* brackets inside strings do not count */
    char msg[256];
    int n = snprintf(msg, sizeof msg, "{\"t\":\"ping\",\"n\":\"\\\"%s\"}",
                     "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[");
    json_t *p = NULL;
    ok = ok && wsc_send_text(w.c->w, msg, (size_t)n) == 0 &&
         (p = e2e_expect_msg(w.c, "pong", NULL, T));
    json_decref(p);
    ok = ok && click_expect(&w, 1);
    widgets_close(&w);
    return ok;
}

/* {"t":"ping","n":"xxx…"} of exactly len bytes */
static char *ping_of_size(size_t len)
{
    char *m = malloc(len + 1);
    const char *head = "{\"t\":\"ping\",\"n\":\"";
    size_t hl = strlen(head);
    memcpy(m, head, hl);
    memset(m + hl, 'x', len - hl - 2);
    memcpy(m + len - 2, "\"}", 2);
    m[len] = '\0';
    return m;
}

static bool case_message_too_big(void)
{
    struct widgets w;
    if (!widgets_open(&S_MAIN, &w))
        return false;
    char *at = ping_of_size(MAX_MESSAGE), *over = ping_of_size(MAX_MESSAGE + 1);
    json_t *p = NULL;
    bool ok =
        wsc_send_text(w.c->w, at, MAX_MESSAGE) == 0 && (p = e2e_expect_msg(w.c, "pong", NULL, T));
    if (!ok)
        e2e_failw("a message of exactly --websocket-max-message-size");
    ok = ok && wsc_send_text(w.c->w, over, MAX_MESSAGE + 1) == 0 &&
         e2e_expect_close(w.c, 1009, NULL, T);
    json_decref(p);
    widgets_close(&w);
    /* in fragments whose sum is over the limit */
    if (ok && widgets_open(&S_MAIN, &w)) {
        uint8_t *f = malloc(2 * (MAX_MESSAGE + 14));
        size_t half = (MAX_MESSAGE + 1) / 2 + 1;
        size_t n = wsc_frame(f, false, 0, WSC_TEXT, true, over, half);
        n += wsc_frame(f + n, true, 0, WSC_CONT, true, over + half, MAX_MESSAGE + 1 - half);
        ok = wsc_send_raw(w.c->w, f, n) == 0 && e2e_expect_close(w.c, 1009, NULL, T);
        free(f);
        widgets_close(&w);
    } else {
        ok = false;
    }
    free(at);
    free(over);
    return ok;
}

static bool case_message_rate(void)
{
    struct widgets other, w;
    if (!widgets_open(&S_MAIN, &other))
        return false;
    if (!widgets_open(&S_MAIN, &w)) {
        widgets_close(&other);
        return false;
    }
    /* 200 pings in one write */
    size_t cap = 200 * 64, n = 0;
    uint8_t *buf = malloc(cap);
    for (int i = 0; i < 200; i++) {
        char m[48];
        int k = snprintf(m, sizeof m, "{\"t\":\"ping\",\"n\":%d}", i);
        n += wsc_frame(buf + n, true, 0, WSC_TEXT, true, m, (size_t)k);
    }
    long long t0 = e2e_now_ms();
    bool ok = wsc_send_raw(w.c->w, buf, n) == 0;
    free(buf);
    int pongs = 0;
    for (int i = 0; ok && i < 200; i++) {
        struct wsc_msg m;
        if (e2e_cl_next(w.c, T, &m) != 1) {
            ok = e2e_fail("after %d pongs: no error/close", pongs);
            break;
        }
        json_t *j = m.opcode == WSC_TEXT ? json_loadb(m.data, m.len, 0, NULL) : NULL;
        if (j && !strcmp(e2e_msg_type(j), "pong") &&
            json_integer_value(json_object_get(j, "n")) == pongs) {
            pongs++;
        } else if (j && !strcmp(e2e_msg_type(j), "error") && !strcmp(e2e_jstr(j, "code"), "rate")) {
            json_decref(j);
            wsc_msg_free(&m);
            break;
        } else {
            ok = e2e_fail("after %d pongs: %s", pongs, m.opcode == WSC_CLOSE ? "a close" : m.data);
        }
        json_decref(j);
        wsc_msg_free(&m);
    }
    /* the hello counts too: 99 or 100 pongs fit in the first second */
    if (ok && (pongs < 98 || pongs > 100))
        ok = e2e_fail("%d pongs before the rate error, want 99 (100 messages a second, hello "
                   "included)",
                   pongs);
    ok = ok && e2e_expect_close(w.c, 1008, NULL, T);
    long long took = e2e_now_ms() - t0;
    if (ok && took > 1000)
        ok = e2e_fail("the flood took %lld ms to be refused", took);
    /* the other session is not affected */
    ok = ok && click_expect(&other, 1);
    json_t *p = NULL;
    ok = ok && e2e_sendf(other.c, "{\"t\":\"ping\",\"n\":7}") &&
         (p = e2e_expect_msg(other.c, "pong", NULL, T));
    json_decref(p);
    widgets_close(&w);
    widgets_close(&other);
    return ok;
}

static bool pong_of(struct e2e_cl *c, const char *n_json)
{
    bool ok = n_json ? e2e_sendf(c, "{\"t\":\"ping\",\"n\":%s}", n_json)
                     : e2e_sendf(c, "{\"t\":\"ping\"}");
    json_t *p = ok ? e2e_expect_msg(c, "pong", NULL, T) : NULL;
    if (!p)
        return false;
    json_t *want = n_json ? json_loads(n_json, JSON_DECODE_ANY, NULL) : NULL;
    json_t *got = json_object_get(p, "n");
    ok = n_json ? json_equal(got, want) || (json_is_null(want) && !got) : got == NULL;
    if (!ok)
        e2e_fail("ping n %s: pong %s", n_json ? n_json : "(none)", e2e_dumps(p));
    json_decref(want);
    json_decref(p);
    return ok;
}

static bool case_ping(void)
{
    struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
    bool ok = c && pong_of(c, "1"); /* before hello too */
    json_t *doc = ok ? e2e_hello_doc(c, NULL, "") : NULL;
    ok = ok && doc && pong_of(c, "42") && pong_of(c, "\"abc\"") && pong_of(c, "1.5") &&
         pong_of(c, "{\"a\":[1,2,{\"b\":null}]}") && pong_of(c, "null") && pong_of(c, NULL) &&
         pong_of(c, "[]");
    json_decref(doc);
    e2e_cl_free(c);
    return ok;
}

static bool case_weather_periodic(void)
{
    json_t *doc;
    struct e2e_cl *c = e2e_open_session(&S_MAIN, "/weather/ws", "", &doc);
    if (!c)
        return false;
    long t = e2e_doc_id(doc, "Number", "Temperature"), h = e2e_doc_id(doc, "Number", "Humidity");
    long long t0 = e2e_now_ms();
    bool ok = true;
    /* two ticks, 2 s apart; a tick that draws the value shown already sends nothing (1 in 66),
     * so a patch may take two ticks */
    for (int i = 0; ok && i < 2; i++) {
        json_t *p = e2e_expect_msg(c, "patch", NULL, 5000);
        const char *text = "";
        double v = p ? e2e_patch_number(p, t, &text) : NAN;
        char want[64];
        snprintf(want, sizeof want, "%g °C", v);
        if (!p)
            ok = false;
        else if (isnan(v) || strcmp(text, want) || e2e_patch_changes(p, h) ||
                 e2e_patch_nops(p) != 1)
            ok = e2e_fail("tick %d: want one op setting Temperature #%ld, got %s", i, t,
                          e2e_dumps(p));
        json_decref(p);
    }
    long long took = e2e_now_ms() - t0;
    if (ok && (took < 2500 || took > 8500))
        ok = e2e_fail("two patches took %lld ms (pn_every 2000)", took);
    json_decref(doc);
    e2e_cl_free(c);
    return ok;
}

/* A session's timers start when its page connects: a page rendered 700 ms before its socket
 * comes has ticked 0 times (ticks.c counts every 100 ms), and ticks once connected. */
static bool case_timers_start_on_connect(void)
{
    struct e2e_page p;
    if (!e2e_get_page(&S_BOUND, "/ticks", &p))
        return false;
    bool ok = true;
    if (!strstr(p.main, ">0</div>"))
        ok = e2e_fail("the page does not show Ticks 0: %.300s", p.main);
    e2e_idle(700);
    struct e2e_cl *c = ok ? e2e_cl_open(&S_BOUND, p.ws) : NULL;
    json_t *doc = c ? e2e_hello_doc(c, p.token, "") : NULL;
    ok = ok && doc;
    json_t *v = ok ? e2e_doc_prop(doc, "Number", "Ticks", "value") : NULL;
    if (ok && strcmp(e2e_jstr(doc, "token"), p.token))
        ok = e2e_fail("the page's token did not resume its session");
    else if (ok && (!json_is_number(v) || json_number_value(v) != 0))
        ok = e2e_fail("700 ms after the page, before its socket: Ticks %s (want 0: no timer runs "
                      "before the page connects)",
                      e2e_dumps(v));
    if (ok) {
        long id = e2e_doc_id(doc, "Number", "Ticks");
        json_t *patch = e2e_expect_msg(c, "patch", NULL, 1000);
        if (!patch)
            ok = e2e_failw("no tick within 1 s of connecting");
        else if (e2e_patch_number(patch, id, NULL) != 1)
            ok = e2e_fail("first tick after connecting: %s (want Ticks 1)", e2e_dumps(patch));
        json_decref(patch);
    }
    json_decref(doc);
    e2e_close_nicely(c);
    e2e_page_fini(&p);
    return ok;
}

/* --max-unused-sessions: pages whose socket has not come are bounded; the oldest is dropped, and
 * a socket that comes for it later gets a new session, while a kept one resumes. */
static bool case_unused_bound(void)
{
    enum { PAGES = 12 };
    struct stats a, b, c0;
    if (!wait_sockets(&S_BOUND, 0) || !get_stats(&S_BOUND, &a))
        return false;
    char tokens[PAGES][160];
    for (int i = 0; i < PAGES; i++) {
        struct e2e_page p;
        if (!e2e_get_page(&S_BOUND, "/ticks", &p))
            return e2e_failw("page %d", i);
        snprintf(tokens[i], sizeof tokens[i], "%s", p.token);
        e2e_page_fini(&p);
    }
    if (!get_stats(&S_BOUND, &b))
        return false;
    long want_dropped = a.unused + PAGES - MAX_UNUSED;
    if (b.unused != MAX_UNUSED || b.dropped - a.dropped != want_dropped ||
        b.live - a.live != PAGES - want_dropped)
        return e2e_fail("after %d pages with no socket (max %d): unused %ld, dropped %ld→%ld (want "
                     "+%ld), live %ld→%ld",
                     PAGES, MAX_UNUSED, b.unused, a.dropped, b.dropped, want_dropped, a.live,
                     b.live);
    /* the first page's session was dropped: its socket gets a new one */
    struct e2e_cl *c1 = e2e_cl_open(&S_BOUND, "/ticks/ws");
    json_t *d1 = c1 ? e2e_hello_doc(c1, tokens[0], "") : NULL;
    bool ok = d1 != NULL;
    if (ok && !strcmp(e2e_jstr(d1, "token"), tokens[0]))
        ok = e2e_fail("a dropped session's token resumed it");
    /* the last page's session was kept: it resumes */
    struct e2e_cl *c2 = ok ? e2e_cl_open(&S_BOUND, "/ticks/ws") : NULL;
    json_t *d2 = c2 ? e2e_hello_doc(c2, tokens[PAGES - 1], "") : NULL;
    ok = ok && d2;
    if (ok && strcmp(e2e_jstr(d2, "token"), tokens[PAGES - 1]))
        ok = e2e_fail("the newest page's session did not resume (token %s)", e2e_jstr(d2, "token"));
    ok = ok && get_stats(&S_BOUND, &c0);
    if (ok && (c0.created != b.created + 1 || c0.resumed != b.resumed + 1 ||
               c0.unused != MAX_UNUSED - 1 || c0.sockets != 2))
        ok = e2e_fail("stats after two sockets: created %ld→%ld (want +1), resumed %ld→%ld (want "
                   "+1), unused %ld (want %d), sockets %ld",
                   b.created, c0.created, b.resumed, c0.resumed, c0.unused, MAX_UNUSED - 1,
                   c0.sockets);
    json_decref(d1);
    json_decref(d2);
    e2e_close_nicely(c1);
    e2e_close_nicely(c2);
    return ok;
}

static char resumed_token[160];

static bool case_resume(void)
{
    struct stats a, b;
    struct e2e_page p;
    if (!get_stats(&S_MAIN, &a) || !e2e_get_page(&S_MAIN, "/widgets", &p))
        return false;
    struct widgets w = {0};
    bool ok = (w.c = e2e_cl_open(&S_MAIN, p.ws)) && (w.doc = e2e_hello_doc(w.c, p.token, ""));
    if (ok) {
        w.button = e2e_doc_id(w.doc, "Button", "Add one");
        w.clicks = e2e_doc_id(w.doc, "Number", "Clicks");
        ok = click_expect(&w, 1) && click_expect(&w, 2) && click_expect(&w, 3);
    }
    json_decref(w.doc);
    w.doc = NULL;
    e2e_close_nicely(w.c);
    w.c = NULL;
    ok = ok && wait_sockets(&S_MAIN, a.sockets);
    if (ok)
        e2e_idle(300); /* well within the lifetime */
    ok = ok && (w.c = e2e_cl_open(&S_MAIN, p.ws)) && (w.doc = e2e_hello_doc(w.c, p.token, ""));
    if (ok) {
        json_t *v = e2e_doc_prop(w.doc, "Number", "Clicks", "value");
        json_t *cl = e2e_doc_prop(w.doc, "Button", "Add one", "clicks");
        if (strcmp(e2e_jstr(w.doc, "token"), p.token) || json_number_value(v) != 3 ||
            json_integer_value(cl) != 3 || !strstr(e2e_jstr(w.doc, "html"), ">3<"))
            ok = e2e_fail("resumed doc: token %s (want %s), Clicks %s, button clicks %s",
                          e2e_jstr(w.doc, "token"), p.token, e2e_dumps(v), e2e_dumps(cl));
    }
    ok = ok && get_stats(&S_MAIN, &b);
    /* "resumed" counts every attach to a session that exists (protocol.md calls the first
     * attach of a page's session a resume too): the page's socket and the reconnect */
    if (ok && (b.resumed != a.resumed + 2 || b.created != a.created + 1))
        ok = e2e_fail("stats: resumed %ld→%ld, created %ld→%ld (want +2: first attach and reconnect; "
                   "+1: the page's session)",
                   a.resumed, b.resumed, a.created, b.created);
    ok = ok && click_expect(&w, 4);
    json_decref(w.doc);
    e2e_close_nicely(w.c);
    if (ok)
        snprintf(resumed_token, sizeof resumed_token, "%s", p.token);
    e2e_page_fini(&p);
    return ok;
}

static bool case_resume_after_sweep(void)
{
    if (!resumed_token[0])
        return e2e_fail("needs the resume case");
    struct stats a, b, c0;
    if (!get_stats(&S_MAIN, &a) || !wait_sockets(&S_MAIN, 0))
        return false;
    /* lifetime + sweep period + margin */
    e2e_idle(LIFETIME_MS + SWEEP_MS + 700);
    if (!get_stats(&S_MAIN, &b))
        return false;
    if (b.live != 0 || b.destroyed <= a.destroyed || b.destroyed - a.destroyed < a.live)
        return e2e_fail("after lifetime + sweep with no socket open: live %ld (want 0), destroyed "
                     "%ld→%ld (%ld were live)",
                     b.live, a.destroyed, b.destroyed, a.live);
    struct widgets w = {0};
    bool ok = (w.c = e2e_cl_open(&S_MAIN, "/widgets/ws")) &&
              (w.doc = e2e_hello_doc(w.c, resumed_token, ""));
    if (ok) {
        json_t *v = e2e_doc_prop(w.doc, "Number", "Clicks", "value");
        if (!strcmp(e2e_jstr(w.doc, "token"), resumed_token) || json_number_value(v) != 0)
            ok = e2e_fail(
                "after the sweep the old token got token %s, Clicks %s (want a fresh session)",
                e2e_jstr(w.doc, "token"), e2e_dumps(v));
    }
    ok = ok && get_stats(&S_MAIN, &c0);
    if (ok &&
        (c0.created != b.created + 1 || c0.resumed != b.resumed || c0.live != 1 || c0.sockets != 1))
        ok = e2e_fail("stats after: created %ld→%ld, resumed %ld→%ld, live %ld, sockets %ld",
                   b.created, c0.created, b.resumed, c0.resumed, c0.live, c0.sockets);
    json_decref(w.doc);
    e2e_cl_free(w.c);
    return ok;
}

static bool case_resume_replay(void)
{
    struct stats a, b;
    struct e2e_page p;
    if (!get_stats(&S_MAIN, &a) || !e2e_get_page(&S_MAIN, "/widgets", &p))
        return false;
    struct widgets w = {0}, r = {0};
    bool ok = (w.c = e2e_cl_open(&S_MAIN, p.ws)) && (w.doc = e2e_hello_doc(w.c, p.token, ""));
    if (ok) {
        w.button = e2e_doc_id(w.doc, "Button", "Add one");
        w.clicks = e2e_doc_id(w.doc, "Number", "Clicks");
        ok = click_expect(&w, 1);
    }
    /* the same token on a second socket while the first is attached */
    ok = ok && (r.c = e2e_cl_open(&S_MAIN, p.ws)) && (r.doc = e2e_hello_doc(r.c, p.token, ""));
    if (ok) {
        r.button = e2e_doc_id(r.doc, "Button", "Add one");
        r.clicks = e2e_doc_id(r.doc, "Number", "Clicks");
        if (!strcmp(e2e_jstr(r.doc, "token"), p.token) ||
            json_number_value(e2e_doc_prop(r.doc, "Number", "Clicks", "value")) != 0)
            ok = e2e_fail("replayed token: doc token %s (the attached one is %s), Clicks %s",
                          e2e_jstr(r.doc, "token"), p.token,
                          e2e_dumps(e2e_doc_prop(r.doc, "Number", "Clicks", "value")));
    }
    ok = ok && click_expect(&w, 2) && click_expect(&r, 1) && click_expect(&w, 3) &&
         e2e_expect_quiet(r.c, QUIET, NULL);
    ok = ok && get_stats(&S_MAIN, &b);
    if (ok && (b.resumed != a.resumed + 1 || b.created != a.created + 2))
        ok = e2e_fail("stats: resumed %ld→%ld (want +1: the first socket only), created %ld→%ld "
                   "(want +2: the page's and the replay's)",
                   a.resumed, b.resumed, a.created, b.created);
    json_decref(w.doc);
    json_decref(r.doc);
    e2e_cl_free(w.c);
    e2e_cl_free(r.c);
    e2e_page_fini(&p);
    return ok;
}

static bool case_keepalive(void)
{
    /* a socket that answers pings stays; one that does not is dropped after 2 × --keep-alive,
     * and its session can be resumed */
    json_t *doc1 = NULL, *doc2 = NULL, *doc3 = NULL;
    struct e2e_cl *live = e2e_open_session(&S_MAIN, "/widgets/ws", "", &doc1);
    struct e2e_cl *mute = live ? e2e_open_session(&S_MAIN, "/widgets/ws", "", &doc2) : NULL;
    bool ok = live && mute;
    char tok[160] = "";
    if (ok) {
        snprintf(tok, sizeof tok, "%s", e2e_jstr(doc2, "token"));
        mute->silent = true;
        long long t0 = e2e_now_ms();
        e2e_idle(3 * KEEPALIVE_MS + 300);
        size_t got = 0;
        int rc = wsc_drain(mute->w, 2000, &got); /* 0: the server closed it */
        long long took = e2e_now_ms() - t0;
        if (rc != 0)
            ok = e2e_fail("a socket that never answers pings is still open after %lld ms", took);
        else if (wsc_pings(live->w) == 0)
            ok = e2e_fail("no ping reached the answering socket in %lld ms (--keep-alive %d)", took,
                       KEEPALIVE_MS);
        else if (!pong_of(live, "5"))
            ok = false;
    }
    e2e_cl_free(mute);
    if (ok) { /* the dropped socket's session resumes */
        struct e2e_cl *c = e2e_cl_open(&S_MAIN, "/widgets/ws");
        doc3 = c ? e2e_hello_doc(c, tok, "") : NULL;
        ok = doc3 && !strcmp(e2e_jstr(doc3, "token"), tok);
        if (doc3 && !ok)
            e2e_fail("after a keep-alive drop the token got %s, want a resume",
                     e2e_jstr(doc3, "token"));
        e2e_cl_free(c);
    }
    json_decref(doc1);
    json_decref(doc2);
    json_decref(doc3);
    e2e_cl_free(live);
    return ok;
}

/* ---- the form app (tests/apps/live_form.c) ---- */

struct form {
    struct e2e_cl *c;
    json_t *doc;
    long name, hello, shout, city, ratio, percent, tens, lock, count, count_n, later, later_n,
        submit, submitted, check, check_n;
};

static bool form_open(struct form *f)
{
    memset(f, 0, sizeof *f);
    if (!(f->c = e2e_open_session(&S_FORM, "/live_form/ws", "", &f->doc)))
        return false;
    f->name = e2e_doc_id(f->doc, "TextInput", "Name");
    f->hello = e2e_doc_id(f->doc, "Markdown", NULL);
    f->shout = e2e_doc_id(f->doc, "TextInput", "Shout");
    f->city = e2e_doc_id(f->doc, "Select", "City");
    f->ratio = e2e_doc_id(f->doc, "FloatSlider", "Ratio");
    f->percent = e2e_doc_id(f->doc, "Number", "Percent");
    f->tens = e2e_doc_id(f->doc, "IntSlider", "Tens");
    f->lock = e2e_doc_id(f->doc, "Toggle", "Lock");
    f->count = e2e_doc_id(f->doc, "Button", "Count");
    f->count_n = e2e_doc_id(f->doc, "Number", "Count");
    f->later = e2e_doc_id(f->doc, "Button", "Later");
    f->later_n = e2e_doc_id(f->doc, "Number", "Later");
    f->submit = e2e_doc_id(f->doc, "Button", "Submit");
    f->check = e2e_doc_id(f->doc, "Checkbox", "Check");
    f->check_n = e2e_doc_id(f->doc, "Number", "Checked");
    /* the second Markdown: "Nothing yet" */
    json_t *root = json_object_get(f->doc, "root");
    json_t *col = json_array_get(root, 0);
    size_t i;
    json_t *n;
    f->submitted = -1;
    json_array_foreach(json_object_get(col, "children"), i, n)
    {
        if (!strcmp(e2e_jstr(n, "kind"), "Markdown") &&
            json_integer_value(json_object_get(n, "id")) != f->hello)
            f->submitted = (long)json_integer_value(json_object_get(n, "id"));
    }
    long *ids[] = {&f->name,   &f->hello,     &f->shout, &f->city,    &f->ratio, &f->percent,
                   &f->tens,   &f->lock,      &f->count, &f->count_n, &f->later, &f->later_n,
                   &f->submit, &f->submitted, &f->check, &f->check_n};
    for (size_t k = 0; k < sizeof ids / sizeof *ids; k++)
        if (*ids[k] < 0)
            return e2e_fail("live_form doc without node %zu: %s", k, e2e_dumps(root));
    return true;
}

static void form_close(struct form *f)
{
    json_decref(f->doc);
    e2e_cl_free(f->c);
}

static json_t *event_patch(struct e2e_cl *c, long id, const char *prop, const char *value_json)
{
    if (!e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"%s\"%s%s}", id, prop,
                   value_json ? ",\"value\":" : "", value_json ? value_json : ""))
        return NULL;
    return e2e_expect_msg(c, "patch", NULL, T);
}

static bool bad_value(struct e2e_cl *c, long id, const char *value_json)
{
    bool ok = e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":%s}", id,
                        value_json) &&
              expect_error(c, "bad-value", id, NULL);
    if (!ok)
        e2e_failw("value %s for #%ld", value_json, id);
    return ok;
}

/* An event whose callback sets Number number_id to value: exactly that one op comes back. */
static bool expect_number_patch_ev(struct e2e_cl *c, long id, const char *value_json,
                                   long number_id, double value)
{
    bool ok = e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":%s}", id,
                        value_json) &&
              expect_number_patch(c, number_id, value, NULL);
    return ok || e2e_failw("value %s for #%ld", value_json, id);
}

static bool expect_number_patch_ev_click(struct e2e_cl *c, long id, long number_id, double value)
{
    bool ok = e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", id) &&
              expect_number_patch(c, number_id, value, NULL);
    return ok || e2e_failw("click on #%ld", id);
}

/* Runs last on the form server: a callback that changes the widget whose event it handles
 * puts that node on the session's dirty list a second time (handle_event cleared the node's
 * dirty bit but left it listed), the list becomes a cycle and pn__msg_patch never returns. */
static bool case_form_echo(void)
{
    struct form f;
    if (!form_open(&f))
        return false;
    /* a callback that leaves the value as the event set it: no echo, no patch at all */
    bool ok =
        e2e_sendf(f.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":40}", f.tens) &&
        e2e_expect_quiet(f.c, QUIET, NULL);
    /* one that moves it: 47 snaps to 40, and that change is echoed */
    json_t *p = NULL, *op = NULL;
    if (ok) {
        p = event_patch(f.c, f.tens, "value", "47");
        op = p ? e2e_patch_changes(p, f.tens) : NULL;
        ok = op && e2e_patch_nops(p) == 1 && json_integer_value(json_object_get(op, "value")) == 40;
        if (p && !ok)
            e2e_fail("tens 47 (the callback snaps it to 40): want one op #%ld value 40, got %s",
                     f.tens, e2e_dumps(p));
        json_decref(p);
    }
    /* a text field whose callback uppercases it */
    if (ok) {
        p = event_patch(f.c, f.shout, "value", "\"bob\"");
        op = p ? e2e_patch_changes(p, f.shout) : NULL;
        ok = op && !strcmp(e2e_jstr(op, "value"), "BOB");
        if (p && !ok)
            e2e_fail("shout \"bob\" (the callback uppercases it): want #%ld = BOB, got %s", f.shout,
                     e2e_dumps(p));
        json_decref(p);
    }
    if (!ok && strstr(e2e_why, "no \"patch\"")) {
        char saved[sizeof e2e_why];
        snprintf(saved, sizeof saved, "%s", e2e_why);
        struct e2e_resp r;
        bool answers = http_get(&S_FORM, "/widgets", NULL, &r) && r.status == 200;
        e2e_resp_fini(&r);
        snprintf(e2e_why, sizeof e2e_why, "%s%s", saved,
                 answers ? "" : "; and the server no longer answers HTTP: it is hung");
    }
    form_close(&f);
    return ok;
}

static bool case_form_values(void)
{
    struct form f;
    if (!form_open(&f))
        return false;
    bool ok = true;
    json_t *p = NULL;
    /* Select: the title op; an unknown option is refused */
    p = event_patch(f.c, f.city, "value", "\"Paris\"");
    json_t *op0 = json_array_get(json_object_get(p, "ops"), 0);
    if (!p || e2e_patch_nops(p) != 1 || strcmp(json_string_value(json_array_get(op0, 0)), "title") ||
        strcmp(json_string_value(json_array_get(op0, 1)), "Paris form"))
        ok = p ? e2e_fail("city Paris: want one title op \"Paris form\", got %s", e2e_dumps(p))
               : false;
    json_decref(p);
    ok = ok && bad_value(f.c, f.city, "\"Nowhere\"") && bad_value(f.c, f.city, "1");
    /* FloatSlider: a number (an integer too), clamped; not a string */
    ok = ok && expect_number_patch_ev(f.c, f.ratio, "0.25", f.percent, 25) &&
         expect_number_patch_ev(f.c, f.ratio, "1", f.percent, 100) &&
         expect_number_patch_ev(f.c, f.ratio, "0", f.percent, 0) &&
         expect_number_patch_ev(f.c, f.ratio, "5", f.percent, 100) &&
         bad_value(f.c, f.ratio, "\"0.3\"") && bad_value(f.c, f.ratio, "false");
    /* TextInput: max_length 8 characters; its own value is not echoed */
    ok = ok && bad_value(f.c, f.name, "\"abcdefghi\"") && bad_value(f.c, f.name, "12");
    if (ok) {
        p = event_patch(f.c, f.name, "value", "\"abcdefgh\"");
        json_t *hop = p ? e2e_patch_changes(p, f.hello) : NULL;
        ok = hop && e2e_patch_nops(p) == 1 && strstr(e2e_jstr(hop, "html"), "Hello, abcdefgh");
        if (p && !ok)
            e2e_fail("name of 8 characters: want one op for the greeting #%ld, got %s", f.hello,
                     e2e_dumps(p));
        json_decref(p);
    }
    /* Checkbox: a boolean */
    ok = ok && expect_number_patch_ev(f.c, f.check, "true", f.check_n, 1) &&
         bad_value(f.c, f.check, "1") && bad_value(f.c, f.check, "\"yes\"");
    form_close(&f);
    return ok;
}

static bool case_form_utf8_length(void)
{
    struct form f;
    if (!form_open(&f))
        return false;
    /* max_length counts characters: 8 two-byte characters fit */
    json_t *p = NULL;
    bool ok =
        e2e_sendf(f.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":\"éééééééé\"}",
                  f.name) &&
        (p = e2e_expect_msg(f.c, "patch", NULL, T)) != NULL;
    if (!ok)
        e2e_failw("8 characters (16 bytes) for a TextInput of max_length 8");
    json_decref(p);
    form_close(&f);
    return ok;
}

static bool case_form_disabled(void)
{
    struct form f;
    if (!form_open(&f))
        return false;
    /* Lock disables Count and Name; the toggle's own value is not echoed */
    json_t *p = event_patch(f.c, f.lock, "value", "true");
    json_t *cop = p ? e2e_patch_changes(p, f.count) : NULL;
    json_t *nop = p ? e2e_patch_changes(p, f.name) : NULL;
    bool ok = p && cop && nop && !e2e_patch_changes(p, f.lock) &&
              json_is_true(json_object_get(cop, "disabled")) &&
              json_is_true(json_object_get(nop, "disabled"));
    if (p && !ok)
        e2e_fail("lock: want disabled ops for #%ld and #%ld only, got %s", f.count, f.name,
                 e2e_dumps(p));
    json_decref(p);
    /* a click on the disabled button does nothing */
    ok = ok && e2e_sendf(f.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", f.count) &&
         e2e_expect_quiet(f.c, QUIET, NULL);
    if (ok) { /* unlock: the click before did not count */
        p = event_patch(f.c, f.lock, "value", "false");
        json_decref(p);
        ok = p && expect_number_patch_ev_click(f.c, f.count, f.count_n, 1);
    }
    form_close(&f);
    return ok;
}

static bool case_form_disabled_value(void)
{
    struct form f;
    if (!form_open(&f))
        return false;
    json_t *p = event_patch(f.c, f.lock, "value", "true");
    bool ok = p != NULL;
    json_decref(p);
    /* a value sent for the disabled field must not change what the app reads */
    if (ok)
        ok = e2e_sendf(f.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":\"evil\"}",
                       f.name);
    json_t *e = NULL;
    if (ok) { /* an error or nothing: both are fine */
        struct wsc_msg m;
        if (e2e_cl_next(f.c, QUIET, &m) == 1) {
            e = json_loadb(m.data, m.len, 0, NULL);
            wsc_msg_free(&m);
        }
    }
    if (ok) {
        p = event_patch(f.c, f.submit, "clicks", NULL);
        json_t *op = p ? e2e_patch_changes(p, f.submitted) : NULL;
        if (!op)
            ok = e2e_fail("submit: %s", p ? e2e_dumps(p) : e2e_why);
        else if (strstr(e2e_jstr(op, "html"), "evil"))
            ok = e2e_fail("the disabled TextInput took the client's value: after Lock (disabled) "
                          "{\"t\":\"event\",\"id\":%ld,\"prop\":\"value\",\"value\":\"evil\"} "
                          "(answer: %s), Submit reads \"evil\": %s",
                          f.name, e ? e2e_dumps(e) : "none", e2e_jstr(op, "html"));
        json_decref(p);
    }
    json_decref(e);
    form_close(&f);
    return ok;
}

static bool case_form_timeout(void)
{
    struct form f;
    if (!form_open(&f))
        return false;
    long long t0 = e2e_now_ms();
    bool ok = e2e_sendf(f.c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", f.later) &&
              expect_number_patch(f.c, f.later_n, 1, "1");
    long long took = e2e_now_ms() - t0;
    if (ok && (took < 150 || took > 1500))
        ok = e2e_fail("pn_timeout(200) from a callback fired after %lld ms", took);
    ok = ok && e2e_expect_quiet(f.c, 400, NULL); /* once */
    form_close(&f);
    return ok;
}

/* ---- --num-threads 2 ---- */

static bool case_threads(void)
{
    enum { N = 20, NW = 4 };
    struct e2e_page pages[N + NW];
    struct e2e_cl *cs[N + NW] = {0};
    json_t *docs[N + NW] = {0};
    int on_loop[2] = {0, 0};
    bool ok = true;
    int got = 0;
    for (int i = 0; i < N + NW; i++)
        memset(&pages[i], 0, sizeof pages[i]);
    for (int i = 0; ok && i < N + NW; i++) {
        ok = e2e_get_page(&S_MT, i < N ? "/weather" : "/widgets", &pages[i]);
        const char *hint = ok ? strrchr(pages[i].ws, '/') : NULL;
        if (ok && (!hint || (strcmp(hint, "/0") && strcmp(hint, "/1"))))
            ok = e2e_fail("page %d: ws %s (want /APP/ws/LOOP)", i, pages[i].ws);
        if (ok)
            on_loop[hint[1] - '0']++;
    }
    /* all sockets open at once; every other one sends its hello with the upgrade request */
    for (int i = 0; ok && i < N + NW; i++) {
        if (i % 2) {
            char hello[256];
            int n = snprintf(hello, sizeof hello,
                             "{\"t\":\"hello\",\"v\":2,\"token\":\"%s\",\"query\":\"\"}",
                             pages[i].token);
            uint8_t frame[300];
            size_t fl = wsc_frame(frame, true, 0, WSC_TEXT, true, hello, (size_t)n);
            cs[i] = e2e_cl_open_ex(&S_MT, pages[i].ws, "", frame, fl, NULL);
            ok = cs[i] != NULL;
        } else {
            cs[i] = e2e_cl_open_ex(&S_MT, pages[i].ws, "", NULL, 0, NULL);
            ok = cs[i] && e2e_send_hello(cs[i], pages[i].token, "");
        }
    }
    for (int i = 0; ok && i < N + NW; i++) {
        docs[i] = e2e_expect_msg(cs[i], "doc", "patch", T);
        if (!docs[i]) {
            ok = e2e_failw("socket %d (%s)", i, pages[i].ws);
            break;
        }
        if (strcmp(e2e_jstr(docs[i], "token"), pages[i].token) ||
            strcmp(e2e_jstr(docs[i], "html"), pages[i].main)) {
            /* a weather tick between page and hello changes the html: only the token counts then */
            bool tick = i < N && !strcmp(e2e_jstr(docs[i], "token"), pages[i].token);
            if (!tick) {
                ok = e2e_fail("socket %d (%s): doc of another session: token %s, page's %s", i,
                              pages[i].ws, e2e_jstr(docs[i], "token"), pages[i].token);
                break;
            }
        }
        for (int j = 0; j < i; j++)
            if (!strcmp(e2e_jstr(docs[i], "token"), e2e_jstr(docs[j], "token")))
                ok = e2e_fail("sockets %d and %d got the same session", i, j);
        got++;
    }
    /* the widgets sessions take events on their own loop */
    for (int i = N; ok && i < N + NW; i++) {
        struct widgets w = {.c = cs[i], .doc = docs[i]};
        w.button = e2e_doc_id(docs[i], "Button", "Add one");
        w.clicks = e2e_doc_id(docs[i], "Number", "Clicks");
        ok = click_expect(&w, 1) && click_expect(&w, 2);
    }
    fprintf(stderr, "threads: pages on loop 0: %d, loop 1: %d; %d docs\n", on_loop[0], on_loop[1],
            got);
    if (ok && (on_loop[0] == 0 || on_loop[1] == 0))
        ok = e2e_fail("every page came from one loop (%d, %d): the hand-over was not exercised",
                   on_loop[0], on_loop[1]);
    for (int i = 0; i < N + NW; i++) {
        json_decref(docs[i]);
        e2e_cl_free(cs[i]);
        e2e_page_fini(&pages[i]);
    }
    return ok;
}

static bool case_threads_bad_hint(void)
{
    const char *paths[] = {"/weather/ws/9", "/weather/ws/x1", "/weather/ws/00", "/weather/ws/-1"};
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        struct e2e_cl *c = e2e_cl_open_ex(&S_MT, paths[i], "", NULL, 0, NULL);
        json_t *doc = c ? e2e_hello_doc(c, NULL, "") : NULL;
        bool ok = doc != NULL;
        json_decref(doc);
        e2e_cl_free(c);
        if (!ok)
            return e2e_failw("%s", paths[i]);
    }
    return true;
}

/* ---- the hello timeout and shutdown ---- */

/* A socket that never says hello, opened at the start and read by a thread of its own (the
 * main thread blocks in connects and GETs, which would skew the timing). */
static struct {
    struct wsc *w;
    pthread_t thread;
    bool started;
    long long opened, error_at, close_at;
    int close_code;
    char error[64], close_reason[64];
} nh;

static void *no_hello_reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 60; i++) { /* 30 s at most */
        struct wsc_msg m;
        int rc = wsc_recv(nh.w, 500, &m);
        if (rc < 0)
            break;
        if (rc == 0)
            continue;
        if (m.opcode == WSC_TEXT && !nh.error_at) {
            json_t *j = json_loadb(m.data, m.len, 0, NULL);
            snprintf(nh.error, sizeof nh.error, "%s %s", e2e_msg_type(j), e2e_jstr(j, "code"));
            nh.error_at = e2e_now_ms();
            json_decref(j);
        } else if (m.opcode == WSC_CLOSE) {
            nh.close_at = e2e_now_ms();
            nh.close_code = m.code;
            snprintf(nh.close_reason, sizeof nh.close_reason, "%s", m.data);
            wsc_msg_free(&m);
            break;
        }
        wsc_msg_free(&m);
    }
    return NULL;
}

static void no_hello_start(void)
{
    char err[256];
    nh.w = wsc_connect(
        &(struct wsc_opts){
            .port = S_EXP.port, .path = "/widgets/ws", .headers = S_EXP.origin, .timeout_ms = 5000},
        NULL, err, sizeof err);
    nh.opened = e2e_now_ms();
    if (nh.w && pthread_create(&nh.thread, NULL, no_hello_reader, NULL) == 0)
        nh.started = true;
}

static void no_hello_stop(void)
{
    if (nh.started)
        pthread_join(nh.thread, NULL);
    nh.started = false;
    wsc_free(nh.w);
    nh.w = NULL;
}

static bool case_hello_timeout(void)
{
    if (!nh.started)
        return e2e_fail("the socket opened at the start is missing");
    no_hello_stop(); /* the reader ends at the close, or after 30 s */
    if (!nh.error_at || strcmp(nh.error, "error bad-message"))
        return e2e_fail("no error bad-message before the close (got \"%s\")", nh.error);
    if (!nh.close_at || nh.close_code != 1008)
        return e2e_fail("no close 1008 (got %d \"%s\")", nh.close_code, nh.close_reason);
    long long at = nh.close_at - nh.opened;
    if (at < 9500 || at > 11500)
        return e2e_fail("closed %lld ms after the upgrade, want 10 s", at);
    return true;
}

static bool sigterm_with(struct e2e_server *s, struct e2e_cl **cs, int n, const char *what)
{
    int st = e2e_server_stop(s, SIGTERM, 10000);
    bool ok = true;
    for (int i = 0; i < n; i++) {
        if (!cs[i])
            continue;
        if (ok && !e2e_expect_close(cs[i], 1001, "patch", 3000))
            ok = e2e_failw("%s socket %d", what, i);
        e2e_cl_free(cs[i]);
    }
    if (st != 0 && ok)
        ok = e2e_fail("%s: exit status %d after SIGTERM (256+N: signal N, -1: killed after 10 s)",
                   s->name, st);
    else if (st != 0)
        ok = e2e_failw("%s: exit status %d after SIGTERM; and", s->name, st);
    return ok;
}

static bool case_sigterm_main(void)
{
    json_t *d1 = NULL, *d2 = NULL;
    struct e2e_cl *cs[2] = {e2e_open_session(&S_MAIN, "/widgets/ws", "", &d1),
                            e2e_open_session(&S_MAIN, "/weather/ws", "", &d2)};
    json_decref(d1);
    json_decref(d2);
    if (!cs[0] || !cs[1]) {
        e2e_cl_free(cs[0]);
        e2e_cl_free(cs[1]);
        return false;
    }
    return sigterm_with(&S_MAIN, cs, 2, "attached");
}

static bool case_sigterm_prehello(void)
{
    /* a socket that has not said hello yet, on the exp server */
    struct e2e_cl *c = e2e_cl_open(&S_EXP, "/widgets/ws");
    if (!c)
        return false;
    e2e_idle(100);
    return sigterm_with(&S_EXP, &c, 1, "pre-hello");
}

static bool case_sigterm_threads(void)
{
    struct e2e_cl *cs[6] = {0};
    bool ok = true;
    for (int i = 0; ok && i < 6; i++) {
        struct e2e_page p;
        ok = e2e_get_page(&S_MT, "/widgets", &p);
        json_t *doc = NULL;
        if (ok)
            ok = (cs[i] = e2e_cl_open_ex(&S_MT, p.ws, "", NULL, 0, NULL)) &&
                 (doc = e2e_hello_doc(cs[i], p.token, ""));
        json_decref(doc);
        e2e_page_fini(&p);
    }
    if (!ok) {
        for (int i = 0; i < 6; i++)
            e2e_cl_free(cs[i]);
        e2e_server_stop(&S_MT, SIGTERM, 10000);
        return false;
    }
    return sigterm_with(&S_MT, cs, 6, "--num-threads 2");
}

/* SIGTERM to a server with one socket open on path: it closes 1001 and the server exits 0. */
static bool sigterm_one(struct e2e_server *s, const char *path)
{
    json_t *doc = NULL;
    struct e2e_cl *c = s->pid > 0 ? e2e_open_session(s, path, "", &doc) : NULL;
    json_decref(doc);
    if (!c) {
        int st = e2e_server_stop(s, SIGTERM, 10000);
        return e2e_failw("%s server (exit status %d after SIGTERM)", s->name, st);
    }
    return sigterm_with(s, &c, 1, s->name);
}

static bool case_sigterm_form(void)
{
    return sigterm_one(&S_FORM, "/widgets/ws");
}

/* The bound server stops with unused sessions (whose ticks.c state the destroy hook frees: under
 * ASan a leak fails the exit status) and a socket open. */
static bool case_sigterm_bound(void)
{
    return sigterm_one(&S_BOUND, "/ticks/ws");
}

/* ---- lifetimes (issue 10) ---- */

/* The value shown by the Number named name in a page's HTML, or -1. */
static double number_in_html(const char *html, const char *name)
{
    char tag[128];
    snprintf(tag, sizeof tag, ">%s</div>", name);
    const char *p = html ? strstr(html, tag) : NULL;
    p = p ? strstr(p, "pn-number-value") : NULL;
    p = p ? strstr(p, "\">") : NULL;
    return p ? strtod(p + 2, NULL) : -1;
}

/* Waits for patches until the Number id shows want (10 patches, 2 s each at most). */
static bool expect_value(struct e2e_cl *c, long id, double want)
{
    double got = -1;
    for (int i = 0; i < 10 && got != want; i++) {
        json_t *patch = e2e_expect_msg(c, "patch", NULL, 2000);
        if (!patch)
            return e2e_failw("no patch with %g (last seen %g)", want, got);
        double v = e2e_patch_number(patch, id, NULL);
        if (!isnan(v))
            got = v;
        json_decref(patch);
    }
    return got == want ? true : e2e_fail("value %g, want %g", got, want);
}

/* ~200 sessions whose timers were stopped (a pn_timeout that fired, a pn_every cancelled in its
 * run, a pn_timeout cancelled before it fired) end by drop and sweep, with page requests in
 * between. On main each such timer's record was freed while libuv still linked its handle into
 * the loop's handle queue, and later queue operations wrote into freed (or reused) memory: the
 * release build aborted after about a hundred such sessions, or crashed at SIGTERM walking the
 * queue. Whether a plain build crashes depends on the allocator's luck; memcheck sees every such
 * write: tests/valgrind.sh runs these cases with the life server under it (PANE_WRAPPER), and
 * its exit status at SIGTERM (sigterm.lifetimes) carries memcheck's verdict. */
static bool case_timers_churn(void)
{
    enum { SESSIONS = 200 };
    struct stats a, b;
    if (!get_stats(&S_LIFE, &a))
        return false;
    bool ok = true;
    for (int i = 0; ok && i < SESSIONS; i++) {
        json_t *doc = NULL;
        struct e2e_cl *c = e2e_open_session(&S_LIFE, "/timers/ws", "", &doc);
        if (!c) {
            ok = e2e_failw("session %d", i);
            break;
        }
        long id = e2e_doc_id(doc, "Number", "Fired");
        json_decref(doc);
        if (!expect_value(c, id, 2))
            ok = e2e_failw("session %d: its timers did not both fire", i);
        if (i % 2)
            e2e_close_nicely(c);
        else
            e2e_cl_free(c); /* and half go away without a close */
        char path[64]; /* and ordinary page traffic in between, as on a real server */
        snprintf(path, sizeof path, "/ticks?k=churn-%d", i % 50);
        struct e2e_page p;
        if (ok && !e2e_get_page(&S_LIFE, path, &p))
            ok = e2e_failw("page %s after session %d", path, i);
        else if (ok)
            e2e_page_fini(&p);
        if (ok && i % 25 == 24)
            ok = e2e_server_alive(&S_LIFE);
    }
    e2e_idle(600); /* the sweep ends what the drop left (lifetime 200 ms, swept every 100 ms) */
    ok = ok && e2e_server_alive(&S_LIFE) && get_stats(&S_LIFE, &b);
    if (ok && (b.destroyed - a.destroyed < SESSIONS || b.created - a.created < SESSIONS))
        ok = e2e_fail("after %d sessions: created +%ld, destroyed +%ld (want +%d each)", SESSIONS,
                      b.created - a.created, b.destroyed - a.destroyed, SESSIONS);
    return ok;
}

/* --reuse-sessions with distinct keys: every first page is a cache miss rendered in a page-only
 * session. Its destroy hook must run (ticks.c frees its state there): on main it never did, so
 * "Held" (states allocated and not freed when the page was built) grew by one per key, and
 * LeakSanitizer failed the asan run's exit status at SIGTERM (16 B per key). */
static bool case_page_only_hooks(void)
{
    bool ok = true;
    for (int i = 0; ok && i < 40; i++) {
        char path[64];
        snprintf(path, sizeof path, "/ticks?k=hooks-%d", i);
        struct e2e_page p;
        if (!e2e_get_page(&S_LIFE, path, &p))
            return e2e_failw("page %d", i);
        double held = number_in_html(p.main, "Held");
        if (held != 1)
            ok = e2e_fail("page %d (a cache miss): Held %g, want 1 (its own state only: the "
                          "earlier pages' destroy hooks ran)",
                          i, held);
        e2e_page_fini(&p);
    }
    return ok;
}

/* pn_app starts a thread that calls a setter (tests/apps/sampler.c line 12): the call is refused
 * with an error naming that line, and the page and the live doc still show 0. On main the setter
 * silently wrote from the other thread (the page showed 42) and nothing was logged. */
static bool case_sampler_thread(void)
{
    static const char named[] = "sampler.c:12: pn_number_set_value called from another thread";
    size_t mark = e2e_log_mark(&S_LIFE);
    struct e2e_page p;
    if (!e2e_get_page(&S_LIFE, "/sampler?k=one", &p))
        return false;
    bool ok = true;
    double v = number_in_html(p.main, "Sample");
    if (v != 0)
        ok = e2e_fail("the page shows Sample %g, want 0: the other thread's setter changed it", v);
    e2e_page_fini(&p);
    if (ok && !e2e_log_wait(&S_LIFE, mark, named, 2000))
        ok = e2e_fail("the log does not name the setter's call (want \"%s\")", named);
    mark = e2e_log_mark(&S_LIFE);
    json_t *doc = NULL;
    struct e2e_cl *c = ok ? e2e_open_session(&S_LIFE, "/sampler/ws", "", &doc) : NULL;
    json_t *dv = doc ? e2e_doc_prop(doc, "Number", "Sample", "value") : NULL;
    if (ok && (!c || json_number_value(dv) != 0))
        ok = e2e_fail("live doc: Sample %s, want 0", dv ? e2e_dumps(dv) : "(none)");
    json_decref(doc);
    e2e_close_nicely(c);
    if (ok && !e2e_log_wait(&S_LIFE, mark, named, 2000)) /* the socket's session too */
        ok = e2e_fail("the live session's pn_app: the log does not name the setter's call");
    return ok;
}

/* SIGTERM with sessions holding fired and cancelled timers, attached: exit 0 (under ASan,
 * LeakSanitizer; under valgrind, memcheck's error exit status). */
static bool case_sigterm_life(void)
{
    struct e2e_cl *cs[3] = {0};
    bool ok = true;
    for (int i = 0; ok && i < 3; i++) {
        json_t *doc = NULL;
        cs[i] = e2e_open_session(&S_LIFE, "/timers/ws", "", &doc);
        ok = cs[i] && expect_value(cs[i], e2e_doc_id(doc, "Number", "Fired"), 2);
        json_decref(doc);
    }
    if (!ok) {
        for (int i = 0; i < 3; i++)
            e2e_cl_free(cs[i]);
        e2e_server_stop(&S_LIFE, SIGTERM, 10000);
        return e2e_failw("sessions before SIGTERM");
    }
    return sigterm_with(&S_LIFE, cs, 3, "timers");
}

/* ---- --num-threads: several loops in one process (servers of their own) ---- */

static char mt_widgets[4096];

/* A server of its own: pane serve ARGS... examples/widgets.c. */
static bool mt_start(struct e2e_server *s, const char *const *args, long nofile)
{
    const char *argv[24];
    int n = 0;
    for (; args[n] && n < 22; n++)
        argv[n] = args[n];
    argv[n++] = mt_widgets;
    argv[n] = NULL;
    return e2e_server_start(s, &(struct e2e_spawn){.args = argv, .nofile = nofile});
}

/* CPU seconds (user + system) pid has used, from /proc/PID/stat; -1 if unreadable. */
static double cpu_seconds(pid_t pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')'); /* the command may hold spaces */
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A connection that has sent `GET path` (keep-alive) and read the response's status line. */
static int held_get(const struct e2e_server *s, const char *path, int *status)
{
    *status = -1;
    int fd = wsc_tcp_connect("127.0.0.1", s->port, 5000);
    if (fd < 0)
        return -1;
    char req[256];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", path,
                     s->port);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        close(fd);
        return -1;
    }
    char buf[64];
    size_t len = 0;
    long long deadline = e2e_now_ms() + 5000;
    while (len < 13 && e2e_now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0)
            continue;
        ssize_t k = recv(fd, buf + len, sizeof buf - 1 - len, 0);
        if (k <= 0)
            break;
        len += (size_t)k;
    }
    buf[len] = '\0';
    if (sscanf(buf, "HTTP/1.%*d %d", status) != 1)
        *status = -1;
    return fd;
}

/* One of the 4 flooding threads of case_mt_emfile: 2 s of new connections, each replacing the
 * oldest of the 50 it holds. */
struct flood {
    int port;
    int fds[50];
    int opened;
};

static void *flood_run(void *arg)
{
    struct flood *f = arg;
    for (int i = 0; i < 50; i++)
        f->fds[i] = -1;
    long long deadline = e2e_now_ms() + 2000;
    for (int i = 0; i < 100000 && e2e_now_ms() < deadline; i++) {
        int fd = wsc_tcp_connect("127.0.0.1", f->port, 500);
        if (fd < 0)
            continue;
        f->opened++;
        if (f->fds[i % 50] >= 0)
            close(f->fds[i % 50]);
        f->fds[i % 50] = fd;
    }
    return NULL;
}

/*
 * Out of descriptors with two loops: a hard limit of 64 open files and, from 4 threads, 2 s of
 * new connections with 200 held. Once they are all gone the server must serve again and be
 * idle. (libuv retries a failing accept at once, in a loop; its reserve descriptor, freed to
 * shed the backlog, was taken by the other loop's thread: both loops spun there forever and
 * never got to close the connections that would have freed descriptors.)
 */
static bool case_mt_emfile(void)
{
    enum { NT = 4 };
    static struct e2e_server s = {.name = "mt-emfile"};
    const char *args[] = {"--num-threads", "2", "--log-level", "error", NULL};
    bool ok = mt_start(&s, args, 64);
    if (!ok)
        return false;
    struct flood fl[NT];
    pthread_t th[NT];
    int opened = 0;
    for (int i = 0; i < NT; i++) {
        fl[i] = (struct flood){.port = s.port};
        if (pthread_create(&th[i], NULL, flood_run, &fl[i]) != 0)
            fl[i].port = 0;
    }
    for (int i = 0; i < NT; i++) {
        if (!fl[i].port)
            continue;
        pthread_join(th[i], NULL);
        opened += fl[i].opened;
        for (int k = 0; k < 50; k++)
            if (fl[i].fds[k] >= 0)
                close(fl[i].fds[k]);
    }
    /* it serves again: the first GET may wait behind the backlog of closed connections */
    struct e2e_resp r = {0};
    bool served = false;
    for (int i = 0; i < 8 && !served; i++) {
        served = http_get(&s, "/widgets", NULL, &r) && r.status == 200;
        e2e_resp_fini(&r);
        if (!served)
            e2e_sleep_ms(250);
    }
    if (!served)
        ok = e2e_fail("%d connections opened and closed under a 64-descriptor limit: no 200 for "
                   "GET /widgets afterwards",
                   opened);
    e2e_sleep_ms(500); /* what was queued is drained */
    double c0 = cpu_seconds(s.pid);
    e2e_sleep_ms(1000);
    double c1 = cpu_seconds(s.pid);
    fprintf(stderr, "mt-emfile: %d connections; CPU over 1 s idle afterwards: %.2f s\n", opened,
            c1 - c0);
    if (ok && (c0 < 0 || c1 < 0))
        ok = e2e_fail("cannot read /proc/%d/stat", (int)s.pid);
    else if (ok && c1 - c0 > 0.3) /* idle is ~0; a loop spinning in accept takes a core */
        ok = e2e_fail("%.2f s of CPU in 1 s with no client: spinning", c1 - c0);
    int st = e2e_server_stop(&s, SIGTERM, 10000);
    if (ok && st != 0)
        ok = e2e_fail("exit status %d after SIGTERM", st);
    return ok;
}

/*
 * --max-connections is the process's, whichever loop takes a connection, and a WebSocket
 * handed to another loop is counted once: with 4 loops and a bound of 5, five held
 * connections (three HTTP, two live sockets) make every further one a 503.
 */
static bool case_mt_max_connections(void)
{
    static struct e2e_server s = {.name = "mt-maxconn"};
    const char *args[] = {"--num-threads", "4", "--max-connections", "5", "--secret-key", K1,
                          "--log-level", "warning", NULL};
    if (!mt_start(&s, args, 0))
        return false;
    int held[3] = {-1, -1, -1};
    struct e2e_cl *ws[2] = {0};
    bool ok = true;
    for (int i = 0; ok && i < 2; i++) {
        struct e2e_page p;
        json_t *doc = NULL;
        ok = e2e_get_page(&s, "/widgets", &p) && (ws[i] = e2e_cl_open(&s, p.ws)) &&
             (doc = e2e_hello_doc(ws[i], p.token, ""));
        json_decref(doc);
        e2e_page_fini(&p);
    }
    for (int i = 0; ok && i < 3; i++) {
        int st;
        held[i] = held_get(&s, "/widgets", &st);
        if (held[i] < 0 || st != 200)
            ok = e2e_fail("held connection %d: status %d", i, st);
    }
    int got200 = 0;
    for (int i = 0; ok && i < 12; i++) { /* fresh connections, on any of the 4 loops */
        struct e2e_resp r;
        if (!http_get(&s, "/widgets", NULL, &r))
            ok = e2e_failw("connection %d over the bound", 6 + i);
        else if (r.status != 503)
            got200++;
        e2e_resp_fini(&r);
    }
    if (ok && got200)
        ok = e2e_fail("%d of 12 connections beyond 5 held were served (want 503 for all)", got200);
    /* one goes: a new one is served (the count went down) */
    close(held[0]);
    held[0] = -1;
    bool served = false;
    for (int i = 0; ok && i < 50 && !served; i++) {
        struct e2e_resp r;
        served = http_get(&s, "/widgets", NULL, &r) && r.status == 200;
        e2e_resp_fini(&r);
        if (!served)
            e2e_sleep_ms(50);
    }
    if (ok && !served)
        ok = e2e_fail("no 200 after one of the 5 held connections closed");
    for (int i = 0; i < 3; i++)
        if (held[i] >= 0)
            close(held[i]);
    for (int i = 0; i < 2; i++)
        e2e_cl_free(ws[i]);
    int st = e2e_server_stop(&s, SIGTERM, 10000);
    if (ok && st != 0)
        ok = e2e_fail("exit status %d after SIGTERM", st);
    return ok;
}

/*
 * --reuse-sessions with 4 loops: the cached page names /widgets/ws (no loop), so a reconnect
 * lands on any loop; its hello's token names the session's loop and the socket goes there.
 * All 20 reconnects resume their session.
 */
static bool case_mt_reuse(void)
{
    enum { N = 20 };
    static struct e2e_server s = {.name = "mt-reuse"};
    const char *args[] = {"--num-threads", "4", "--reuse-sessions", "--secret-key", K1,
                          "--log-level", "warning", NULL};
    if (!mt_start(&s, args, 0))
        return false;
    bool ok = true;
    int resumed = 0;
    for (int i = 0; ok && i < N; i++) {
        struct e2e_page p;
        json_t *doc = NULL, *again = NULL;
        struct e2e_cl *c = NULL;
        ok = e2e_get_page(&s, "/widgets", &p);
        if (ok && (p.token[0] || strcmp(p.ws, "/widgets/ws")))
            ok = e2e_fail("page %d: token \"%s\", ws %s: not the cached page", i, p.token, p.ws);
        ok = ok && (c = e2e_cl_open(&s, p.ws)) && (doc = e2e_hello_doc(c, NULL, ""));
        char token[160] = "";
        if (ok)
            snprintf(token, sizeof token, "%s", e2e_jstr(doc, "token"));
        e2e_close_nicely(c);
        c = NULL;
        if (ok)
            e2e_idle(50); /* the server has seen the close */
        ok = ok && (c = e2e_cl_open(&s, p.ws)) && (again = e2e_hello_doc(c, token, ""));
        if (ok && !strcmp(e2e_jstr(again, "token"), token))
            resumed++;
        json_decref(doc);
        json_decref(again);
        e2e_close_nicely(c);
        e2e_page_fini(&p);
    }
    fprintf(stderr, "mt-reuse: %d of %d reconnects resumed\n", resumed, N);
    if (ok && resumed != N)
        ok = e2e_fail("%d of %d reconnects with a valid token resumed their session", resumed, N);
    int st = e2e_server_stop(&s, SIGTERM, 10000);
    if (ok && st != 0)
        ok = e2e_fail("exit status %d after SIGTERM", st);
    return ok;
}

/* Writes an upgrade request for path with a hello frame after it, reading nothing. */
static int raw_upgrade_hello(const struct e2e_server *s, const char *path, const char *token)
{
    int fd = wsc_tcp_connect("127.0.0.1", s->port, 2000);
    if (fd < 0)
        return -1;
    char req[1024], hello[256];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                     "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                     "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                     path, s->port);
    int h = snprintf(hello, sizeof hello, "{\"t\":\"hello\",\"v\":2,\"token\":\"%s\",\"query\":\"\"}",
                     token);
    n += (int)wsc_frame((uint8_t *)req + n, true, 0, WSC_TEXT, true, hello, (size_t)h);
    if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        close(fd);
        return -1;
    }
    return fd;
}

/*
 * SIGTERM with 4 loops while sockets are being handed between them: upgrades whose URL names
 * another loop (handed before the 101) and hellos whose token names another loop (handed after
 * it), all written at once and SIGTERM right behind them. The server must exit 0 (under ASan
 * and UBSan: no report), 20 times. (A loop's server used to be freed while another still
 * handed it sockets.)
 */
static bool case_mt_sigterm(void)
{
    enum { RUNS = 20, N = 32 };
    bool ok = true;
    for (int run = 0; ok && run < RUNS; run++) {
        static struct e2e_server s = {.name = "mt-sigterm"};
        const char *args[] = {"--num-threads", "4", "--secret-key", K1, "--log-level", "error",
                              NULL};
        if (!mt_start(&s, args, 0))
            return e2e_failw("run %d", run);
        struct e2e_page pages[N];
        int fds[N];
        int npages = 0;
        for (int i = 0; ok && i < N; i++, npages++)
            ok = e2e_get_page(&s, "/widgets", &pages[i]);
        for (int i = 0; ok && i < N; i++) /* odd: no loop in the URL, the hello routes it */
            fds[i] = raw_upgrade_hello(&s, i % 2 ? "/widgets/ws" : pages[i].ws, pages[i].token);
        kill(s.pid, SIGTERM);
        for (int i = 0; ok && i < N; i++) /* no close handshake to wait 2 s for */
            if (fds[i] >= 0)
                close(fds[i]);
        int st = e2e_server_stop(&s, 0, 10000);
        for (int i = 0; i < npages; i++)
            e2e_page_fini(&pages[i]);
        if (ok && st != 0)
            ok = e2e_fail("run %d: exit status %d after SIGTERM (256+N: signal N, -1: killed after "
                       "10 s)",
                       run, st);
    }
    return ok;
}

/* ---- main ---- */

struct kase {
    const char *name;
    bool (*fn)(void);
    struct e2e_server *srv; /* where the health check runs afterwards (NULL: none) */
    bool own;        /* runs only when FILTER names it (e2e.threads): servers of its own */
};

static const struct kase cases[] = {
    {"page.hello", case_page_hello, &S_MAIN},
    {"origin", case_origin, &S_MAIN},
    {"origin.https-same-host", case_origin_https_same_host, &S_MAIN},
    {"origin.allowed", case_origin_allowed, &S_EXP},
    {"origin.allowed-https-default-port", case_origin_allowed_https, &S_EXP},
    {"token.forged", case_token_forged, &S_MAIN},
    {"token.expired", case_token_expired, &S_EXP},
    {"token.unexpired", case_token_unexpired_control, &S_EXP},
    {"token.other-key", case_token_other_key, &S_MAIN},
    {"token.same-key-other-process", case_token_same_key_other_process, &S_MAIN},
    {"token.none", case_token_none, &S_MAIN},
    {"token.other-app", case_token_other_app, &S_MAIN},
    {"hello.version", case_hello_version, &S_MAIN},
    {"hello.twice", case_hello_twice, &S_MAIN},
    {"event.click", case_event_click, &S_MAIN},
    {"event.slider", case_event_slider, &S_MAIN},
    {"event.unknown-id", case_event_unknown_id, &S_MAIN},
    {"event.not-a-widget-bad-prop", case_event_not_widget_bad_prop, &S_MAIN},
    {"event.bad-value", case_event_bad_value, &S_MAIN},
    {"event.before-hello", case_event_before_hello, &S_MAIN},
    {"message.bad", case_message_bad, &S_MAIN},
    {"message.nested", case_message_nested, &S_MAIN},
    {"message.too-big", case_message_too_big, &S_MAIN},
    {"message.rate", case_message_rate, &S_MAIN},
    {"ping", case_ping, &S_MAIN},
    {"weather.periodic", case_weather_periodic, &S_MAIN},
    {"form.values", case_form_values, &S_FORM},
    {"form.utf8-length", case_form_utf8_length, &S_FORM},
    {"form.disabled", case_form_disabled, &S_FORM},
    {"form.disabled-value", case_form_disabled_value, &S_FORM},
    {"form.timeout", case_form_timeout, &S_FORM},
    {"form.echo", case_form_echo, &S_FORM}, /* last: see the note at case_form_echo */
    {"timers.start-on-connect", case_timers_start_on_connect, &S_BOUND},
    {"unused.bound", case_unused_bound, &S_BOUND},
    {"resume.replay", case_resume_replay, &S_MAIN},
    {"keepalive", case_keepalive, &S_MAIN},
    {"resume", case_resume, NULL},
    {"resume.after-sweep", case_resume_after_sweep, &S_MAIN},
    {"threads", case_threads, &S_MT},
    {"threads.bad-hint", case_threads_bad_hint, &S_MT},
    {"hello.timeout", case_hello_timeout, &S_EXP},
    {"sigterm.main", case_sigterm_main, NULL},
    {"sigterm.prehello", case_sigterm_prehello, NULL},
    {"sigterm.threads", case_sigterm_threads, NULL},
    {"sigterm.form", case_sigterm_form, NULL},
    {"sigterm.bound", case_sigterm_bound, NULL},
    {"mt-emfile", case_mt_emfile, NULL, true},
    {"mt-max-connections", case_mt_max_connections, NULL, true},
    {"mt-reuse", case_mt_reuse, NULL, true},
    {"mt-sigterm", case_mt_sigterm, NULL, true},
    {"lifetimes.timers-churn", case_timers_churn, &S_LIFE},
    {"lifetimes.page-only-hooks", case_page_only_hooks, &S_LIFE},
    {"lifetimes.sampler-thread", case_sampler_thread, &S_LIFE},
    {"sigterm.lifetimes", case_sigterm_life, NULL},
};

static bool health(struct e2e_server *s)
{
    if (!e2e_server_alive(s))
        return false;
    struct e2e_cl *c = e2e_cl_open(s, "/widgets/ws");
    json_t *doc = c ? e2e_hello_doc(c, NULL, "") : NULL;
    bool ok = doc && !strcmp(e2e_jstr(doc, "title"), "Widgets");
    if (doc && !ok)
        e2e_fail("doc title %s", e2e_jstr(doc, "title"));
    json_decref(doc);
    e2e_cl_free(c);
    return ok;
}

int main(int argc, char **argv)
{
    e2e_init("live", argc, argv, GLOBAL_TIMEOUT_S);
    setvbuf(stdout, NULL, _IOLBF, 0);
    e2e_ws_verbose = getenv("LIVE_TEST_VERBOSE") && *getenv("LIVE_TEST_VERBOSE") == '1';
    char widgets[4096], weather[4096], form[4096], ticks[4096];
    snprintf(widgets, sizeof widgets, "%s/examples/widgets.c", e2e.source_dir);
    snprintf(weather, sizeof weather, "%s/examples/weather.c", e2e.source_dir);
    snprintf(form, sizeof form, "%s/tests/apps/live_form.c", e2e.source_dir);
    snprintf(ticks, sizeof ticks, "%s/tests/apps/ticks.c", e2e.source_dir);
    snprintf(mt_widgets, sizeof mt_widgets, "%s", widgets);
    const char *timers = e2e_src("tests/apps/timers.c"), *sampler = e2e_src("tests/apps/sampler.c");
    char lifetime[16], sweep[16], keepalive[16], maxmsg[16];
    snprintf(lifetime, sizeof lifetime, "%d", LIFETIME_MS);
    snprintf(sweep, sizeof sweep, "%d", SWEEP_MS);
    snprintf(keepalive, sizeof keepalive, "%d", KEEPALIVE_MS);
    snprintf(maxmsg, sizeof maxmsg, "%d", MAX_MESSAGE);
    const char *main_args[] = {"--admin", "--secret-key",
                               K1,        "--unused-session-lifetime",
                               lifetime,  "--check-unused-sessions",
                               sweep,     "--keep-alive",
                               keepalive, "--websocket-max-message-size",
                               maxmsg,    widgets,
                               weather,   NULL};
    const char *exp_args[] = {"--secret-key",
                              K2,
                              "--session-token-expiration",
                              "1",
                              "--allow-websocket-origin",
                              "app.example.com:8443",
                              "--allow-websocket-origin",
                              "plain.example.com",
                              widgets,
                              NULL};
    const char *mt_args[] = {"--secret-key", K1,      "--num-threads", "2",
                             "--admin",      weather, widgets,         NULL};
    const char *form_args[] = {"--unused-session-lifetime",
                               lifetime,
                               "--check-unused-sessions",
                               sweep,
                               "--keep-alive",
                               keepalive,
                               form,
                               widgets,
                               NULL};
    char max_unused[16];
    snprintf(max_unused, sizeof max_unused, "%d", MAX_UNUSED);
    const char *bound_args[] = {"--admin", "--max-unused-sessions", max_unused, ticks, widgets,
                                NULL};
    const char *life_args[] = {"--admin", "--reuse-sessions", "--session-key", "arg:k",
                               "--max-unused-sessions", max_unused,
                               "--unused-session-lifetime", "200", "--check-unused-sessions",
                               "100", timers, ticks, sampler, widgets, NULL};
    snprintf(S_EXP.origin, sizeof S_EXP.origin, "Origin: https://app.example.com:8443\r\n");
    if (!srv_start(&S_MAIN, main_args) || !srv_start(&S_EXP, exp_args) ||
        !srv_start(&S_MT, mt_args) || !srv_start(&S_FORM, form_args) ||
        !srv_start(&S_BOUND, bound_args) ||
        !e2e_server_start(&S_LIFE, &(struct e2e_spawn){.args = life_args, .napps = 4,
                                                       .wrapper = getenv("PANE_WRAPPER")})) {
        e2e_report("start", false);
        goto out;
    }
    if (!e2e.filter || strstr("hello.timeout", e2e.filter))
        no_hello_start();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (e2e.filter && !strstr(cases[i].name, e2e.filter) &&
            !(strstr(e2e.filter, "resume") && !strcmp(cases[i].name, "resume")))
            continue;
        if (cases[i].own && !e2e.filter)
            continue;
        e2e_report(cases[i].name, cases[i].fn());
        if (cases[i].srv) {
            char name[128];
            snprintf(name, sizeof name, "%s (after: a fresh handshake + hello on %s)",
                     cases[i].name, cases[i].srv->name);
            e2e_report(name, health(cases[i].srv));
        }
    }
out:
    no_hello_stop();
    for (size_t i = 0; i < sizeof all_servers / sizeof *all_servers; i++)
        if (all_servers[i]->pid > 0)
            e2e_server_stop(all_servers[i], SIGTERM, 10000);
    return e2e_finish();
}
