/*
 * reuse_test: end-to-end checks of --reuse-sessions (the page cache, DESIGN.md §1 step 4;
 * docs/internals/page-cache.md) against the real `pane serve`.
 *
 *     reuse_test PANE_BIN SOURCE_DIR [FILTER]
 *
 * Starts `PANE_BIN serve --port 0 --address 127.0.0.1 --reuse-sessions --admin ...` with the
 * packaged examples/weather.c (a pn_session_key on ?city=), tests/apps/weather_nokey.c (the
 * same app without a key function) and tests/apps/cookie.c (calls pn_set_cookie), reads the
 * `pane: serving http://127.0.0.1:PORT/...` lines from its stdout (as tests/e2e/harness.c
 * does), talks raw HTTP/1.1 to it and reads GET PREFIX/_pane/stats (--admin) for the cache's
 * counters. Servers, each started for the cases that need its flags:
 *
 *   main   --warm --warm-url /weather?city=Paris, all three apps
 *   flood  --reuse-sessions-max 500, weather only: 20,000 distinct ?city= values
 *   spec   --session-key arg:city, weather_nokey only
 *
 * Every case prints `ok NAME` or `FAIL NAME: e2e_why`; the flood prints its measurements as
 * `# ...` lines; the last line is `reuse: N passed, N failed` and the exit status is 1 if
 * anything failed. Every read has a timeout (READ_TIMEOUT_MS), the run has one
 * (GLOBAL_TIMEOUT_S, below ctest's 300), and every server is stopped by its PID (SIGTERM, then
 * SIGKILL after STOP_TIMEOUT_MS) — also on the global timeout. Network: 127.0.0.1 only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"
#include <jansson.h>

#if __has_include("wsclient.h")
#include "wsclient.h"
#define HAVE_WSCLIENT 1
#endif

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

enum {
    START_TIMEOUT_MS = 90000, /* the first start compiles the apps */
    READ_TIMEOUT_MS = 10000,
    STOP_TIMEOUT_MS = 10000,
    GLOBAL_TIMEOUT_S = 285,
    MAX_RESP = 4 << 20,
    FLOOD_KEYS = 20000,
    FLOOD_MAX = 500,
    CONCURRENT = 64,
};

/* ---- HTTP ---------------------------------------------------------------------------------- */

static bool cache_is(const struct e2e_resp *r, const char *want)
{
    char v[64];
    return e2e_header_copy(r, "X-Pane-Cache", v, sizeof v) && !strcmp(v, want);
}

static const char *cache_of(const struct e2e_resp *r)
{
    static char v[64];
    return e2e_header_copy(r, "X-Pane-Cache", v, sizeof v) ? v : "(none)";
}

/* The <title> of a page, into out. */
static const char *title_of(const struct e2e_resp *r, char *out, size_t outlen)
{
    const char *a = r->body.data ? strstr(r->body.data, "<title>") : NULL;
    const char *b = a ? strstr(a, "</title>") : NULL;
    if (!a || !b)
        snprintf(out, outlen, "(no title)");
    else
        snprintf(out, outlen, "%.*s", (int)(b - a - 7), a + 7);
    return out;
}

/* ---- stats --------------------------------------------------------------------------------- */

struct stats {
    long long hits, misses, bypasses, inserts, evictions, too_big, entries, bytes, max_entries;
};

static int stats(int port, struct stats *st)
{
    struct e2e_resp r;
    if (!e2e_get(port, "/_pane/stats", NULL, &r))
        return -1;
    json_error_t e;
    json_t *j = r.status == 200 ? json_loads(r.body.data, 0, &e) : NULL;
    json_t *c = j ? json_object_get(j, "cache") : NULL;
    if (!c) {
        e2e_fail("/_pane/stats: status %d, body %.200s", r.status, r.body.data ? r.body.data : "");
        json_decref(j);
        e2e_resp_fini(&r);
        return -1;
    }
#define F(n) st->n = json_integer_value(json_object_get(c, #n))
    F(hits), F(misses), F(bypasses), F(inserts), F(evictions), F(too_big), F(entries), F(bytes),
        F(max_entries);
#undef F
    json_decref(j);
    e2e_resp_fini(&r);
    return 0;
}

/* ---- results ------------------------------------------------------------------------------- */

#define CASE(name, fn, port)                                                                       \
    do {                                                                                           \
        if (e2e_selected(name))                                                                    \
            e2e_report(name, fn(port));                                                            \
    } while (0)

#define OK(expr)                                                                                   \
    do {                                                                                           \
        if (!(expr))                                                                               \
            return false;                                                                          \
    } while (0)

#define TRY(expr)                                                                                  \
    do {                                                                                           \
        if ((expr) != 0)                                                                           \
            return false;                                                                          \
    } while (0)

/* ---- cases: the main server (--warm --warm-url /weather?city=Paris) ------------------------ */

/* These two must be the main server's first page requests. */
static bool warm_first_is_hit(int port)
{
    struct stats s0;
    TRY(stats(port, &s0));
    if (s0.inserts != 3 || s0.entries != 3 || s0.hits || s0.misses)
        return e2e_fail("after --warm and one --warm-url: inserts %lld, entries %lld (want 3, 3: "
                        "weather, weather_nokey and weather?city=Paris; the cookie app is not "
                        "cacheable)",
                        s0.inserts, s0.entries);
    struct e2e_resp r;
    OK(e2e_get(port, "/weather", NULL, &r));
    char t[128];
    bool ok = r.status == 200 && cache_is(&r, "hit") &&
              !strcmp(title_of(&r, t, sizeof t), "Berlin Weather");
    if (!ok)
        e2e_fail("first GET /weather: %d, X-Pane-Cache %s, title %s", r.status, cache_of(&r), t);
    e2e_resp_fini(&r);
    return ok;
}

static bool warm_url_first_is_hit(int port)
{
    struct e2e_resp r;
    OK(e2e_get(port, "/weather?city=Paris", NULL, &r));
    char t[128];
    bool ok = r.status == 200 && cache_is(&r, "hit") &&
              !strcmp(title_of(&r, t, sizeof t), "Paris Weather");
    if (!ok)
        e2e_fail("first GET /weather?city=Paris: %d, X-Pane-Cache %s, title %s", r.status,
                 cache_of(&r), t);
    e2e_resp_fini(&r);
    return ok;
}

static bool same_key_identical(int port)
{
    struct e2e_resp a, b, c;
    OK(e2e_get(port, "/weather?city=Rome", NULL, &a));
    OK(e2e_get(port, "/weather?city=Rome", NULL, &b));
    OK(e2e_get(port, "/weather?city=Rome&unrelated=1", NULL, &c)); /* the key is the city alone */
    bool ok = false;
    char ea[64] = "", eb[64] = "";
    e2e_header_copy(&a, "ETag", ea, sizeof ea);
    e2e_header_copy(&b, "ETag", eb, sizeof eb);
    if (a.status != 200 || b.status != 200 || c.status != 200)
        e2e_fail("statuses %d %d %d", a.status, b.status, c.status);
    else if (!cache_is(&a, "miss") || !cache_is(&b, "hit") || !cache_is(&c, "hit"))
        e2e_fail("X-Pane-Cache: %s, then %s, then %s (want miss, hit, hit)", cache_of(&a),
                 cache_of(&b), cache_of(&c));
    else if (a.body.len != b.body.len || memcmp(a.body.data, b.body.data, a.body.len) != 0 ||
             c.body.len != b.body.len || memcmp(c.body.data, b.body.data, b.body.len) != 0)
        e2e_fail("bodies differ (%zu, %zu, %zu bytes)", a.body.len, b.body.len, c.body.len);
    else if (!*ea || strcmp(ea, eb) != 0)
        e2e_fail("ETags differ: '%s' '%s'", ea, eb);
    else
        ok = true;
    e2e_resp_fini(&a), e2e_resp_fini(&b), e2e_resp_fini(&c);
    return ok;
}

static bool different_cities_titles(int port)
{
    struct e2e_resp a, b, c;
    OK(e2e_get(port, "/weather?city=Oslo", NULL, &a));
    OK(e2e_get(port, "/weather?city=Lima", NULL, &b));
    OK(e2e_get(port, "/weather?city=Oslo", NULL, &c));
    char ta[128], tb[128], tc[128];
    title_of(&a, ta, sizeof ta), title_of(&b, tb, sizeof tb), title_of(&c, tc, sizeof tc);
    bool ok = !strcmp(ta, "Oslo Weather") && !strcmp(tb, "Lima Weather") &&
              !strcmp(tc, "Oslo Weather") &&
              strstr(a.body.data, "pn-header-title\">Oslo Weather<") &&
              strstr(b.body.data, "pn-header-title\">Lima Weather<") && cache_is(&b, "miss") &&
              cache_is(&c, "hit");
    if (!ok)
        e2e_fail("titles '%s' (%s), '%s' (%s), '%s' (%s)", ta, cache_of(&a), tb, cache_of(&b), tc,
                 cache_of(&c));
    e2e_resp_fini(&a), e2e_resp_fini(&b), e2e_resp_fini(&c);
    return ok;
}

static bool check_private(const struct e2e_resp *r, const char *what)
{
    if (!strstr(r->body.data, "\"token\":null"))
        return e2e_fail("%s: #pn-data has no \"token\":null", what);
    const char *d = strstr(r->body.data, "id=\"pn-data\">");
    const char *e = d ? strstr(d, "</script>") : NULL;
    if (!d || !e || memmem(d, (size_t)(e - d), "\"token\":\"", 9))
        return e2e_fail("%s: #pn-data carries a token string", what);
    if (e2e_header_count(r, "Set-Cookie"))
        return e2e_fail("%s: a Set-Cookie header", what);
    char cc[128];
    if (!e2e_header_copy(r, "Cache-Control", cc, sizeof cc) || strcmp(cc, "no-cache") != 0)
        return e2e_fail("%s: Cache-Control '%s' (want no-cache: revalidate with the ETag)", what,
                        cc);
    return true;
}

static bool no_token_no_cookie(int port)
{
    struct e2e_resp a, b;
    OK(e2e_get(port, "/weather?city=Kyiv", NULL, &a));
    OK(e2e_get(port, "/weather?city=Kyiv", NULL, &b));
    bool ok = cache_is(&a, "miss") && cache_is(&b, "hit");
    if (!ok)
        e2e_fail("X-Pane-Cache %s then %s", cache_of(&a), cache_of(&b));
    ok = ok && check_private(&a, "miss") && check_private(&b, "hit");
    e2e_resp_fini(&a), e2e_resp_fini(&b);
    return ok;
}

static bool xss_one(int port, const char *enc, const char *raw, const char *escaped_frag)
{
    char target[512];
    snprintf(target, sizeof target, "/weather?city=%s", enc);
    struct e2e_resp r[2];
    OK(e2e_get(port, target, NULL, &r[0]));
    if (!e2e_get(port, target, NULL, &r[1])) {
        e2e_resp_fini(&r[0]);
        return false;
    }
    bool ok = true;
    if (!cache_is(&r[0], "miss") || !cache_is(&r[1], "hit"))
        ok = e2e_fail("%s: X-Pane-Cache %s then %s", enc, cache_of(&r[0]), cache_of(&r[1]));
    for (int i = 0; ok && i < 2; i++) {
        const char *what = i ? "hit" : "miss";
        if (strstr(r[i].body.data, raw))
            ok = e2e_fail("%s: the raw text '%s' is in the page", what, raw);
        else if (strstr(r[i].body.data, "<script>alert") || strstr(r[i].body.data, "<img src=x"))
            ok = e2e_fail("%s: markup from the query is in the page", what);
        else if (!strstr(r[i].body.data, escaped_frag))
            ok = e2e_fail("%s: the escaped city '%s' is not in the page", what, escaped_frag);
    }
    e2e_resp_fini(&r[0]), e2e_resp_fini(&r[1]);
    return ok;
}

static bool xss_escaped(int port)
{
    return xss_one(port, "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "<script>alert(1)</script>",
                   "&lt;script&gt;alert(1)&lt;/script&gt; Weather") &&
           xss_one(port, "%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
                   "\"><img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;");
}

static bool cookie_bypass(int port)
{
    struct stats s0, s1;
    TRY(stats(port, &s0));
    for (int i = 0; i < 3; i++) {
        struct e2e_resp r;
        OK(e2e_get(port, i == 2 ? "/cookie?lang=de" : "/cookie", NULL, &r));
        char cc[128] = "";
        e2e_header_copy(&r, "Cache-Control", cc, sizeof cc);
        bool ok = r.status == 200 && cache_is(&r, "bypass") &&
                  strstr(r.head.data, "\r\nSet-Cookie: visited=1; Path=/; SameSite=Lax\r\n") &&
                  (i < 2 || strstr(r.head.data, "\r\nSet-Cookie: lang=de; Path=/; Max-Age=3600")) &&
                  !strcmp(cc, "no-store") && !strstr(r.head.data, "ETag:");
        if (!ok)
            e2e_fail("request %d: status %d, X-Pane-Cache %s, Cache-Control '%s', head: %.600s",
                     i + 1, r.status, cache_of(&r), cc, r.head.data);
        e2e_resp_fini(&r);
        if (!ok)
            return false;
    }
    TRY(stats(port, &s1));
    if (s1.bypasses - s0.bypasses != 3 || s1.inserts != s0.inserts || s1.hits != s0.hits ||
        s1.misses != s0.misses)
        return e2e_fail("counters moved: bypasses +%lld, inserts +%lld, hits +%lld, misses +%lld",
                        s1.bypasses - s0.bypasses, s1.inserts - s0.inserts, s1.hits - s0.hits,
                        s1.misses - s0.misses);
    return true;
}

/* Without a key function and without --session-key the key is the app's name: every city gets
 * the page --warm rendered for the default request (Berlin). The browser converges it to the
 * visitor's city once the live doc arrives (tests/browser/reuse.test.mjs; socket_converges
 * below checks the doc the socket sends). */
static bool nokey_shares_default_page(int port)
{
    struct e2e_resp r;
    OK(e2e_get(port, "/weather_nokey?city=Paris", NULL, &r));
    char t[128];
    bool ok = r.status == 200 && cache_is(&r, "hit") &&
              !strcmp(title_of(&r, t, sizeof t), "Berlin Weather");
    if (!ok)
        e2e_fail("GET /weather_nokey?city=Paris: %d, X-Pane-Cache %s, title '%s' (want hit, "
                 "Berlin Weather)",
                 r.status, cache_of(&r), t);
    e2e_resp_fini(&r);
    return ok;
}

/* A response head on one line, for messages: CRLF shown as " | ". */
static const char *one_line(const char *head)
{
    static char out[1024];
    size_t j = 0;
    for (const char *p = head; *p && j + 4 < sizeof out; p++) {
        if (p[0] == '\r' && p[1] == '\n') {
            if (p[2] == '\r')
                break;
            memcpy(out + j, " | ", 3), j += 3, p++;
        } else
            out[j++] = *p;
    }
    out[j] = 0;
    return out;
}

static bool etag_304(int port)
{
    struct e2e_resp r;
    OK(e2e_get(port, "/weather?city=Paris", NULL, &r));
    char etag[64] = "", vary[64] = "";
    e2e_header_copy(&r, "ETag", etag, sizeof etag);
    e2e_header_copy(&r, "Vary", vary, sizeof vary);
    e2e_resp_fini(&r);
    if (!*etag)
        return e2e_fail("no ETag on a hit");
    /* on one keep-alive connection: the 304 must have no body, so the next response parses */
    struct e2e_conn c;
    if (e2e_conn_open(&c, port) != 0)
        return e2e_fail("connect");
    char req[1024];
    snprintf(req, sizeof req,
             "GET /weather?city=Paris HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nIf-None-Match: %s\r\n\r\n"
             "GET /weather?city=Paris HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
             "If-None-Match: \"0000000000000000\", W/%s\r\n\r\n"
             "GET /weather?city=Paris HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nIf-None-Match: "
             "\"0000000000000000\"\r\n\r\n",
             port, etag, port, etag, port);
    struct e2e_resp a = {0}, b = {0}, d = {0};
    bool ok = e2e_conn_send_str(&c, req) == 0 &&
              e2e_read_response(&c, false, &a, READ_TIMEOUT_MS) == 0 &&
              e2e_read_response(&c, false, &b, READ_TIMEOUT_MS) == 0 &&
              e2e_read_response(&c, false, &d, READ_TIMEOUT_MS) == 0;
    e2e_conn_close(&c);
    char cl[32] = "", etag2[64] = "", cc[64] = "", vary2[64] = "";
    if (!ok) {
        /* e2e_why is set */
    } else if (a.status != 304 || a.body.len != 0)
        ok = e2e_fail("If-None-Match with the entry's ETag: %d (want 304)", a.status);
    else if (e2e_header_copy(&a, "Content-Length", cl, sizeof cl) && strcmp(cl, "0") != 0)
        ok = e2e_fail("the 304 has Content-Length %s", cl);
    else if (!e2e_header_copy(&a, "ETag", etag2, sizeof etag2) || strcmp(etag2, etag) != 0)
        ok = e2e_fail("the 304's ETag '%s' is not the entry's '%s'", etag2, etag);
    else if (b.status != 304)
        ok = e2e_fail("If-None-Match: a list with W/ETAG: %d (want 304: weak comparison, RFC 9110 "
                      "13.1.2)",
                      b.status);
    else if (d.status != 200 || !cache_is(&d, "hit"))
        ok = e2e_fail("If-None-Match with another ETag: %d %s (want 200 hit)", d.status,
                      cache_of(&d));
    else if (!e2e_header_copy(&a, "Cache-Control", cc, sizeof cc) |
             !e2e_header_copy(&a, "Vary", vary2, sizeof vary2))
        ok = e2e_fail("the 304 lacks%s%s (RFC 9110 15.4.5: a 304 MUST carry the Cache-Control and "
                      "Vary a 200 would have, here 'no-cache' and '%s'); its head: %s",
                      *cc ? "" : " Cache-Control", *vary2 ? "" : " Vary", vary,
                      one_line(a.head.data));
    e2e_resp_fini(&a), e2e_resp_fini(&b), e2e_resp_fini(&d);
    return ok;
}

static bool head_on_hit(int port)
{
    struct e2e_resp g;
    OK(e2e_get(port, "/weather?city=Paris", NULL, &g));
    struct e2e_conn c;
    if (e2e_conn_open(&c, port) != 0) {
        e2e_resp_fini(&g);
        return e2e_fail("connect");
    }
    char req[512];
    snprintf(req, sizeof req,
             "HEAD /weather?city=Paris HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
             "GET /weather?city=Paris HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n",
             port, port);
    struct e2e_resp h = {0}, g2 = {0};
    bool ok = e2e_conn_send_str(&c, req) == 0 &&
              e2e_read_response(&c, true, &h, READ_TIMEOUT_MS) == 0 &&
              e2e_read_response(&c, false, &g2, READ_TIMEOUT_MS) == 0;
    e2e_conn_close(&c);
    char cl[32] = "", e1[64] = "", e2[64] = "";
    if (!ok) {
    } else if (h.status != 200 || !cache_is(&h, "hit"))
        ok = e2e_fail("HEAD: %d %s", h.status, cache_of(&h));
    else if (!e2e_header_copy(&h, "Content-Length", cl, sizeof cl) ||
             strtoul(cl, NULL, 10) != g.body.len)
        ok = e2e_fail("HEAD Content-Length '%s', the GET's body is %zu bytes", cl, g.body.len);
    else if (!e2e_header_copy(&h, "ETag", e1, sizeof e1) ||
             !e2e_header_copy(&g, "ETag", e2, sizeof e2) || strcmp(e1, e2))
        ok = e2e_fail("HEAD ETag '%s' vs GET '%s'", e1, e2);
    else if (g2.status != 200 || g2.body.len != g.body.len ||
             memcmp(g2.body.data, g.body.data, g.body.len) != 0)
        ok = e2e_fail("the GET after the HEAD on the same connection: %d, %zu bytes (body bytes "
                      "after the HEAD?)",
                      g2.status, g2.body.len);
    e2e_resp_fini(&g), e2e_resp_fini(&h), e2e_resp_fini(&g2);
    return ok;
}

static bool gzip_variant(int port)
{
    struct e2e_resp p, z;
    OK(e2e_get(port, "/weather?city=Paris", NULL, &p));
    if (!e2e_get(port, "/weather?city=Paris", "Accept-Encoding: gzip\r\n", &z)) {
        e2e_resp_fini(&p);
        return false;
    }
    char ce[32] = "";
    e2e_header_copy(&z, "Content-Encoding", ce, sizeof ce);
    bool ok = cache_is(&z, "hit") && !strcmp(ce, "gzip") && z.body.len > 10 &&
              (unsigned char)z.body.data[0] == 0x1f && (unsigned char)z.body.data[1] == 0x8b &&
              z.body.len < p.body.len;
    if (!ok)
        e2e_fail("gzip hit: %s, Content-Encoding '%s', %zu bytes (plain %zu)", cache_of(&z), ce,
                 z.body.len, p.body.len);
    e2e_resp_fini(&p), e2e_resp_fini(&z);
    return ok;
}

/*
 * Concurrent misses on one key: CONCURRENT connections send the same new-key request at once.
 * pane runs a loop's requests one at a time, and serve_page renders a miss synchronously —
 * key, lookup, render, pn__cache_put and the response are one callback, with no await in
 * between. Whichever of the N requests the loop reads first renders and stores the page; every
 * later one finds it. So: exactly 1 miss and 1 insert, N-1 hits, and N identical bodies. There
 * is no "thundering herd" to collapse because nothing yields during a render.
 *
 * With --num-threads T there are T loops, each with its OWN cache (no locks; the kernel spreads
 * connections over the loops with SO_REUSEPORT). Then up to T of the N requests miss — one per
 * loop — and store T equal-keyed copies with different random numbers; bodies are identical
 * only within a loop, and /_pane/stats reports the counters of whichever loop answered it.
 */
static bool concurrent_misses(int port)
{
    struct stats s0, s1;
    TRY(stats(port, &s0));
    struct e2e_conn c[CONCURRENT];
    int opened = 0;
    for (; opened < CONCURRENT; opened++)
        if (e2e_conn_open(&c[opened], port) != 0)
            break;
    bool ok = opened == CONCURRENT;
    if (!ok)
        e2e_fail("opened only %d connections", opened);
    char req[256];
    snprintf(req, sizeof req,
             "GET /weather?city=Concurrent-%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n",
             (int)getpid(), port);
    e2e_sleep_ms(100); /* let the loop accept them all: the requests then arrive together */
    for (int i = 0; ok && i < opened; i++)
        if (e2e_conn_send_str(&c[i], req) != 0)
            ok = e2e_fail("send on connection %d", i);
    struct e2e_resp first = {0};
    int misses = 0, hits = 0;
    for (int i = 0; ok && i < opened; i++) {
        struct e2e_resp r;
        if (e2e_read_response(&c[i], false, &r, READ_TIMEOUT_MS) != 0) {
            ok = false;
            break;
        }
        misses += cache_is(&r, "miss");
        hits += cache_is(&r, "hit");
        if (r.status != 200)
            ok = e2e_fail("connection %d: status %d", i, r.status);
        else if (!first.status) {
            first = r; /* taken over: r is zeroed so that freeing it frees nothing */
            memset(&r, 0, sizeof r);
        } else if (r.body.len != first.body.len ||
                   memcmp(r.body.data, first.body.data, r.body.len) != 0)
            ok = e2e_fail("connection %d got another body (%zu vs %zu bytes)", i, r.body.len,
                          first.body.len);
        e2e_resp_fini(&r);
    }
    for (int i = 0; i < opened; i++)
        e2e_conn_close(&c[i]);
    e2e_resp_fini(&first);
    if (!ok)
        return false;
    TRY(stats(port, &s1));
    if (s1.inserts - s0.inserts != 1 || s1.misses - s0.misses != 1 ||
        s1.hits - s0.hits != CONCURRENT - 1 || misses != 1 || hits != CONCURRENT - 1)
        return e2e_fail(
            "%d requests: inserts +%lld, misses +%lld, hits +%lld; headers: %d miss, %d "
            "hit (want 1, 1, %d)",
            CONCURRENT, s1.inserts - s0.inserts, s1.misses - s0.misses, s1.hits - s0.hits, misses,
            hits, CONCURRENT - 1);
    return true;
}

/* A long city (7000 bytes, under the 8 KiB URL limit) is a key like any other. */
static bool long_key_cached(int port)
{
    static char target[12000];
    int n = snprintf(target, sizeof target, "/weather?city=");
    memset(target + n, 'q', 7000);
    target[n + 7000] = 0;
    struct e2e_resp a, b;
    OK(e2e_get(port, target, NULL, &a));
    if (!e2e_get(port, target, NULL, &b)) {
        e2e_resp_fini(&a);
        return false;
    }
    /* 7000 bytes fit the 16 KiB key: miss, then hit */
    bool ok = a.status == 200 && cache_is(&a, "miss") && cache_is(&b, "hit");
    if (!ok)
        e2e_fail("7000-byte city: %d %s, then %s", a.status, cache_of(&a), cache_of(&b));
    e2e_resp_fini(&a), e2e_resp_fini(&b);
    return ok;
}

#ifdef HAVE_WSCLIENT
/* The socket of a cached page (token null): hello's query makes the fresh session. */
static bool ws_doc_title(int port, const char *path, const char *query, const char *want)
{
    char err[256];
    int status = 0;
    char origin[64];
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%d\r\n", port);
    struct wsc *w = wsc_connect(&(struct wsc_opts){.port = port, .path = path, .headers = origin},
                                &status, err, sizeof err);
    if (!w)
        return e2e_fail("%s: upgrade failed (%d): %s", path, status, err);
    char hello[512];
    snprintf(hello, sizeof hello, "{\"t\":\"hello\",\"v\":2,\"token\":null,\"query\":\"%s\"}",
             query);
    bool ok = wsc_send_text(w, hello, strlen(hello)) == 0;
    if (!ok)
        e2e_fail("send hello");
    struct wsc_msg m = {0};
    json_t *j = NULL;
    for (int i = 0; ok && i < 5; i++) { /* the doc, maybe after something else */
        if (wsc_recv(w, READ_TIMEOUT_MS, &m) != 1) {
            ok = e2e_fail("%s: no doc within %d ms", path, READ_TIMEOUT_MS);
            break;
        }
        j = m.opcode == WSC_TEXT ? json_loads(m.data, 0, NULL) : NULL;
        const char *t = j ? json_string_value(json_object_get(j, "t")) : NULL;
        if (t && !strcmp(t, "doc"))
            break;
        json_decref(j), j = NULL;
        wsc_msg_free(&m);
    }
    if (ok && j) {
        const char *title = json_string_value(json_object_get(j, "title"));
        const char *token = json_string_value(json_object_get(j, "token"));
        if (!title || strcmp(title, want) != 0)
            ok = e2e_fail("%s hello query '%s': doc title '%s' (want '%s')", path, query,
                          title ? title : "(none)", want);
        else if (!token || strlen(token) < 20)
            ok = e2e_fail("the doc of a fresh session has no token of its own");
    } else if (ok)
        ok = e2e_fail("no doc");
    json_decref(j);
    wsc_msg_free(&m);
    wsc_send_close(w, 1000, "");
    wsc_free(w);
    return ok;
}

static bool socket_converges(int port)
{
    /* the Berlin page was served for ?city=Paris (nokey_shares_default_page); its socket */
    return ws_doc_title(port, "/weather_nokey/ws?city=Paris", "city=Paris", "Paris Weather") &&
           /* the hello's query is what counts */
           ws_doc_title(port, "/weather_nokey/ws", "city=Lyon", "Lyon Weather") &&
           ws_doc_title(port, "/weather/ws?city=Paris", "city=Paris", "Paris Weather");
}
#endif

/* ---- the flood: 20,000 keys, --reuse-sessions-max 500 ------------------------------------- */

static long flood_rss[3];
static struct stats flood_stats;

static int flood_range(int port, int from, int to)
{
    struct e2e_conn c;
    if (e2e_conn_open(&c, port) != 0)
        return e2e_fail("connect"), -1;
    char req[256];
    int served = 0;
    /* keep-alive, 16 requests in flight */
    enum { DEPTH = 16 };
    int sent = from, got = from;
    while (got < to) {
        while (sent < to && sent - got < DEPTH) {
            snprintf(req, sizeof req,
                     "GET /weather?city=City-%06d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", sent,
                     port);
            if (e2e_conn_send_str(&c, req) != 0) {
                e2e_conn_close(&c);
                return e2e_fail("send at %d: %s", sent, strerror(errno)), -1;
            }
            sent++;
        }
        struct e2e_resp r;
        if (e2e_read_response(&c, false, &r, READ_TIMEOUT_MS) != 0) {
            e2e_conn_close(&c);
            char w2[sizeof e2e_why];
            memcpy(w2, e2e_why, sizeof w2);
            return e2e_fail("response %d: %.900s", got, w2), -1;
        }
        bool ok = r.status == 200 && cache_is(&r, "miss");
        char want[64], t[128];
        snprintf(want, sizeof want, "City-%06d Weather", got);
        ok = ok && !strcmp(title_of(&r, t, sizeof t), want);
        if (!ok) {
            e2e_fail("response %d: %d %s title '%s'", got, r.status, cache_of(&r), t);
            e2e_resp_fini(&r);
            e2e_conn_close(&c);
            return -1;
        }
        e2e_resp_fini(&r);
        got++;
        served++;
    }
    e2e_conn_close(&c);
    return served == to - from ? 0 : -1;
}

static const struct e2e_server *flood_srv;

static bool flood_bounded(int port)
{
    struct e2e_resp r;
    OK(e2e_get(port, "/weather", NULL, &r)); /* one page rendered: the allocator's first blocks */
    e2e_resp_fini(&r);
    flood_rss[0] = e2e_server_rss_kib(flood_srv);
    long long t0 = e2e_now_ms();
    TRY(flood_range(port, 0, FLOOD_MAX));
    flood_rss[1] = e2e_server_rss_kib(flood_srv);
    struct stats full;
    TRY(stats(port, &full));
    TRY(flood_range(port, FLOOD_MAX, FLOOD_KEYS));
    long long ms = e2e_now_ms() - t0;
    flood_rss[2] = e2e_server_rss_kib(flood_srv);
    TRY(stats(port, &flood_stats));
    const struct stats *s = &flood_stats;
    printf("# flood: %d distinct ?city= keys in %lld ms (%.0f req/s), --reuse-sessions-max %d\n",
           FLOOD_KEYS, ms, ms ? FLOOD_KEYS * 1000.0 / (double)ms : 0.0, FLOOD_MAX);
    printf("# flood: cache after %d keys: entries %lld, bytes %lld (%.1f KiB/entry)\n", FLOOD_MAX,
           full.entries, full.bytes,
           full.entries ? (double)full.bytes / 1024.0 / (double)full.entries : 0.0);
    printf("# flood: cache after %d keys: entries %lld, bytes %lld, inserts %lld, evictions "
           "%lld, misses %lld, hits %lld\n",
           FLOOD_KEYS, s->entries, s->bytes, s->inserts, s->evictions, s->misses, s->hits);
    printf("# flood: server VmRSS: %ld KiB before, %ld KiB after %d keys, %ld KiB after %d keys "
           "(+%ld KiB over the last %d)%s\n",
           flood_rss[0], flood_rss[1], FLOOD_MAX, flood_rss[2], FLOOD_KEYS,
           flood_rss[2] - flood_rss[1], FLOOD_KEYS - FLOOD_MAX,
#ifdef UNDER_ASAN
           " [ASan build: freed memory sits in quarantine]"
#else
           ""
#endif
    );
    fflush(stdout);
    if (s->entries > FLOOD_MAX || s->max_entries != FLOOD_MAX)
        return e2e_fail("entries %lld > %d (max_entries %lld)", s->entries, FLOOD_MAX,
                        s->max_entries);
    if (s->entries != FLOOD_MAX || s->evictions < FLOOD_KEYS - FLOOD_MAX)
        return e2e_fail("entries %lld, evictions %lld (want %d, >= %d)", s->entries, s->evictions,
                        FLOOD_MAX, FLOOD_KEYS - FLOOD_MAX);
    /* the cache's own bytes: 500 pages of ~1.3 KiB plain + ~0.6 KiB gzip + 2 header blocks */
    if (s->bytes > 4LL * 1024 * 1024)
        return e2e_fail("cache bytes %lld for %lld entries", s->bytes, s->entries);
    if (flood_rss[0] <= 0 || flood_rss[2] <= 0)
        return e2e_fail("cannot read /proc/%d/status", (int)flood_srv->pid);
#ifdef UNDER_ASAN
    const long slack_kib = 512 * 1024; /* quarantine (256 MiB by default) and shadow memory */
#else
    const long slack_kib = 8 * 1024;
#endif
    if (flood_rss[2] - flood_rss[1] > slack_kib)
        return e2e_fail("RSS grew by %ld KiB over %d further keys with the cache full (bound %ld)",
                        flood_rss[2] - flood_rss[1], FLOOD_KEYS - FLOOD_MAX, slack_kib);
    /* the newest key is still there, the oldest long gone */
    char t[64];
    snprintf(t, sizeof t, "/weather?city=City-%06d", FLOOD_KEYS - 1);
    OK(e2e_get(port, t, NULL, &r));
    bool newest = cache_is(&r, "hit");
    e2e_resp_fini(&r);
    OK(e2e_get(port, "/weather?city=City-000000", NULL, &r));
    bool oldest = cache_is(&r, "miss");
    e2e_resp_fini(&r);
    if (!newest || !oldest)
        return e2e_fail("the newest key is %sa hit, the oldest %sa miss", newest ? "" : "not ",
                        oldest ? "" : "not ");
    return true;
}

/* ---- --session-key arg:city on an app without a key function ------------------------------ */

static bool spec_keys_by_city(int port)
{
    struct e2e_resp a, b, c, d, e;
    OK(e2e_get(port, "/weather_nokey?city=Paris", NULL, &a));
    OK(e2e_get(port, "/weather_nokey?city=Paris", NULL, &b));
    OK(e2e_get(port, "/weather_nokey?city=Rome", NULL, &c));
    OK(e2e_get(port, "/weather_nokey", NULL, &d));
    OK(e2e_get(port, "/weather_nokey?city=", NULL, &e));
    char ta[128], tb[128], tc[128], td[128], te[128];
    title_of(&a, ta, sizeof ta), title_of(&b, tb, sizeof tb), title_of(&c, tc, sizeof tc);
    title_of(&d, td, sizeof td), title_of(&e, te, sizeof te);
    bool ok = cache_is(&a, "miss") && cache_is(&b, "hit") && cache_is(&c, "miss") &&
              cache_is(&d, "miss") && cache_is(&e, "miss") && !strcmp(ta, "Paris Weather") &&
              !strcmp(tb, "Paris Weather") && !strcmp(tc, "Rome Weather") &&
              !strcmp(td, "Berlin Weather") && !strcmp(te, " Weather") &&
              a.body.len == b.body.len && !memcmp(a.body.data, b.body.data, a.body.len);
    if (!ok)
        e2e_fail("Paris %s '%s', Paris %s '%s', Rome %s '%s', no city %s '%s', empty city %s '%s'",
                 cache_of(&a), ta, cache_of(&b), tb, cache_of(&c), tc, cache_of(&d), td,
                 cache_of(&e), te);
    e2e_resp_fini(&a), e2e_resp_fini(&b), e2e_resp_fini(&c), e2e_resp_fini(&d), e2e_resp_fini(&e);
    return ok;
}

/* A key over the 16 KiB key buffer (the spec names X-Pad twice: 2 x 9000 bytes) is unusable:
 * the page is served with X-Pane-Cache: bypass and never stored. */
static bool overflowing_key_bypasses(int port)
{
    static char extra[9100];
    int n = snprintf(extra, sizeof extra, "X-Pad: ");
    memset(extra + n, 'p', 9000);
    memcpy(extra + n + 9000, "\r\n", 3);
    struct stats s0, s1;
    TRY(stats(port, &s0));
    for (int i = 0; i < 2; i++) {
        struct e2e_resp r;
        OK(e2e_get(port, "/weather_nokey?city=Pad", extra, &r));
        char t[64];
        bool ok = r.status == 200 && cache_is(&r, "bypass") &&
                  !strcmp(title_of(&r, t, sizeof t), "Pad Weather");
        if (!ok)
            e2e_fail("request %d: %d %s '%s'", i + 1, r.status, cache_of(&r), t);
        e2e_resp_fini(&r);
        if (!ok)
            return false;
    }
    TRY(stats(port, &s1));
    if (s1.inserts != s0.inserts || s1.bypasses - s0.bypasses != 2)
        return e2e_fail("inserts +%lld, bypasses +%lld", s1.inserts - s0.inserts,
                        s1.bypasses - s0.bypasses);
    return true;
}

/* ---- CLI: a bad --session-key is refused at start ----------------------------------------- */

static bool bad_spec_refused(int unused)
{
    (void)unused;
    int p[2];
    if (pipe(p) != 0)
        return e2e_fail("pipe");
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 2);
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        char app[4096];
        snprintf(app, sizeof app, "%s/examples/weather.c", e2e.source_dir);
        execl(e2e.pane_bin, e2e.pane_bin, "serve", "--port", "0", "--address", "127.0.0.1",
              "--reuse-sessions", "--session-key", "arg:city,foo:x", app, (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char out[2048];
    size_t n = 0;
    long long deadline = e2e_now_ms() + READ_TIMEOUT_MS;
    for (;;) {
        struct pollfd pfd = {p[0], POLLIN, 0};
        long long left = deadline - e2e_now_ms();
        if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
            break;
        ssize_t k = read(p[0], out + n, sizeof out - 1 - n);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    close(p[0]);
    out[n] = 0;
    int st = 0;
    for (int i = 0; i < 100 && waitpid(pid, &st, WNOHANG) == 0; i++)
        e2e_sleep_ms(50);
    if (waitpid(pid, &st, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &st, 0);
        return e2e_fail("pane kept running with a bad --session-key");
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 2 ||
        !strstr(out, "--session-key: \"foo:x\" is not arg:NAME"))
        return e2e_fail("exit %d, output: %.300s", WIFEXITED(st) ? WEXITSTATUS(st) : -1, out);
    return true;
}

/* ---- main ---------------------------------------------------------------------------------- */

/* SIGTERM must end the server with status 0 (under ASan, LSan's leak check runs then). */
static void stop_and_check(struct e2e_server *s)
{
    char name[64];
    snprintf(name, sizeof name, "stop-%s", s->name);
    int st = e2e_server_stop(s, SIGTERM, STOP_TIMEOUT_MS);
    if (st != 0)
        e2e_fail("exit status %d after SIGTERM", st);
    e2e_report(name, st == 0);
}

#ifdef HAVE_WSCLIENT
/* --reuse-sessions warm: a hit names the visitor's session, made after the page went, in a
 * cookie; the page's socket sends it and its hello (no token: a cached page has none) gets
 * that session, on whichever loop it lands; a stale or foreign cookie is a fresh session. */
static bool warm_sessions(const struct e2e_server *s)
{
    struct e2e_resp r;
    bool ok = e2e_get(s->port, "/weather", NULL, &r); /* the miss that fills a loop's cache */
    e2e_resp_fini(&r);
    ok = ok && e2e_get(s->port, "/weather", NULL, &r); /* and the other loop's */
    e2e_resp_fini(&r);
    for (int round = 0; ok && round < 6; round++) {
        ok = e2e_get(s->port, "/weather", NULL, &r);
        if (ok && !e2e_resp_header(&r, "Set-Cookie", NULL)) { /* a loop's first: a miss */
            e2e_resp_fini(&r);
            ok = e2e_get(s->port, "/weather", NULL, &r);
        }
        ok = ok && cache_is(&r, "hit") &&
             (e2e_header_has(&r, "Set-Cookie", "HttpOnly") || e2e_fail("no warm cookie")) &&
             (e2e_header_has(&r, "Set-Cookie", "Path=/weather;") || e2e_fail("cookie path")) &&
             (e2e_header_has(&r, "Cache-Control", "no-store") || e2e_fail("cacheable")) &&
             (!e2e_find(r.body.data, r.body.len, "\"token\":\"") ||
              e2e_fail("a token in the cached bytes"));
        char cookie[300] = "", hdr[400], *tok;
        ok = ok && e2e_header_copy(&r, "Set-Cookie", cookie, sizeof cookie) &&
             (tok = strstr(cookie, "pane_warm=")) != NULL;
        e2e_resp_fini(&r);
        if (!ok)
            return ok || e2e_fail("no pane_warm cookie");
        tok += 10;
        tok[strcspn(tok, ";")] = '\0';
        snprintf(hdr, sizeof hdr, "Cookie: other=1; pane_warm=%s\r\n", tok);
        int st = 0;
        struct e2e_cl *c = e2e_cl_open_ex(s, "/weather/ws", hdr, NULL, 0, &st);
        json_t *doc = c ? e2e_hello_doc(c, NULL, "") : NULL;
        ok = doc && (!strcmp(e2e_jstr(doc, "token"), tok) ||
                     e2e_fail("round %d: the socket got another session than its cookie's", round));
        json_decref(doc);
        e2e_cl_free(c);
    }
    /* a cookie whose session is taken, or that is not a token: a fresh session, no error */
    const char *bad[] = {"Cookie: pane_warm=AAAA\r\n", "Cookie: pane_warm=\r\n", ""};
    for (size_t i = 0; ok && i < sizeof bad / sizeof *bad; i++) {
        int st = 0;
        struct e2e_cl *c = e2e_cl_open_ex(s, "/weather/ws", bad[i], NULL, 0, &st);
        json_t *doc = c ? e2e_hello_doc(c, NULL, "") : NULL;
        ok = (doc && strlen(e2e_jstr(doc, "token")) > 0) || e2e_failw("a bad warm cookie");
        json_decref(doc);
        e2e_cl_free(c);
    }
    return ok;
}
#endif

/* Starts `pane serve` with args; a path ending in .c is relative to the source dir. */
static bool start(struct e2e_server *s, int napps, const char *const *args)
{
    const char *argv[64];
    int n = 0;
    for (int i = 0; args[i] && n < 63; i++) {
        size_t l = strlen(args[i]);
        argv[n++] = l > 2 && !strcmp(args[i] + l - 2, ".c") ? e2e_src(args[i]) : args[i];
    }
    argv[n] = NULL;
    char name[64];
    snprintf(name, sizeof name, "start-%s", s->name);
    bool ok = e2e_server_start(s, &(struct e2e_spawn){.args = argv, .napps = napps});
    if (!ok)
        e2e_report(name, false);
    return ok;
}

int main(int argc, char **argv)
{
    e2e_init("reuse", argc, argv, GLOBAL_TIMEOUT_S);

    /* the main server */
    static struct e2e_server main_srv = {.name = "main"};
    struct e2e_server *m = &main_srv;
    const char *main_args[] = {"--reuse-sessions",
                               "--admin",
                               "--warm",
                               "--warm-url",
                               "/weather?city=Paris",
                               "--log-level",
                               "warning",
                               "examples/weather.c",
                               "tests/apps/weather_nokey.c",
                               "tests/apps/cookie.c",
                               NULL};
    if (start(m, 3, main_args)) {
        int port = m->port;
        CASE("warm-first-request-is-hit", warm_first_is_hit, port);
        CASE("warm-url-first-request-is-hit", warm_url_first_is_hit, port);
        CASE("same-key-byte-identical", same_key_identical, port);
        CASE("different-city-different-title", different_cities_titles, port);
        CASE("cached-page-has-no-token-no-cookie", no_token_no_cookie, port);
        CASE("xss-city-escaped-on-miss-and-hit", xss_escaped, port);
        CASE("set-cookie-app-bypasses", cookie_bypass, port);
        CASE("nokey-app-shares-default-page", nokey_shares_default_page, port);
        CASE("if-none-match-304", etag_304, port);
        CASE("head-on-hit", head_on_hit, port);
        CASE("gzip-hit", gzip_variant, port);
        CASE("concurrent-misses-one-insert", concurrent_misses, port);
        CASE("long-key-cached", long_key_cached, port);
#ifdef HAVE_WSCLIENT
        CASE("cached-page-socket-converges", socket_converges, port);
#else
        printf("# skipped cached-page-socket-converges: no tests/e2e/wsclient.h\n");
#endif
        stop_and_check(m);
    }

    if (e2e_selected("flood-20000-keys-bounded")) {
        static struct e2e_server flood = {.name = "flood"};
        struct e2e_server *f = &flood;
        char max[16];
        snprintf(max, sizeof max, "%d", FLOOD_MAX);
        const char *flood_args[] = {"--reuse-sessions", "--admin", "--reuse-sessions-max", max,
                                    "--log-level",      "warning", "examples/weather.c",   NULL};
        if (start(f, 1, flood_args)) {
            flood_srv = f;
            CASE("flood-20000-keys-bounded", flood_bounded, f->port);
            stop_and_check(f);
        }
    }

    if (e2e_selected("session-key-spec-keys-by-city") || e2e_selected("overflowing-key-bypasses")) {
        static struct e2e_server spec = {.name = "spec"};
        struct e2e_server *s = &spec;
        const char *spec_args[] = {"--reuse-sessions",
                                   "--admin",
                                   "--session-key",
                                   "arg:city, header:X-Pad, header:X-Pad",
                                   "--log-level",
                                   "warning",
                                   "tests/apps/weather_nokey.c",
                                   NULL};
        if (start(s, 1, spec_args)) {
            CASE("session-key-spec-keys-by-city", spec_keys_by_city, s->port);
            CASE("overflowing-key-bypasses", overflowing_key_bypasses, s->port);
            stop_and_check(s);
        }
    }
    CASE("bad-session-key-spec-refused", bad_spec_refused, 0);

#ifdef HAVE_WSCLIENT
    if (e2e_selected("warm-sessions")) {
        static struct e2e_server w = {.name = "warm"};
        const char *warm_args[] = {"--reuse-sessions", "warm",    "--num-threads",      "2",
                                   "--log-level",      "warning", "examples/weather.c", NULL};
        if (start(&w, 1, warm_args)) {
            e2e_report("warm-sessions", warm_sessions(&w));
            stop_and_check(&w);
        }
    }
#endif

    return e2e_finish();
}
