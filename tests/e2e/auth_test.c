/*
 * auth_test: --basic-auth, --cookie-secret and pn_session_user against the real `pane serve`
 * (docs/deploy.md, Login), with examples/hello.c (greets pn_session_user) and
 * examples/weather.c (a shared key).
 *
 *     auth_test PANE_BIN SOURCE_DIR [FILTER]
 *
 * Servers, each started for the cases that need it:
 *
 *   shared  --basic-auth PASSWORD (one password, any user name), hello and weather
 *   abuse   the same, for the cases that use up an address's failed logins
 *   users   --basic-auth FILE (alice: yescrypt, bob: SHA-512) --reuse-sessions --num-procs 2
 *           --secret-key K --log-format json
 *   twin    a second process with the same FILE and --secret-key K (a cookie of one is good
 *           for the other); other: the same file and another key (it is not)
 *
 * Cases: pages without a login go to the login page with next, sockets and other requests get
 * 401, the probes and the login page's stylesheet stay open; wrong passwords (401, logged with
 * the name made safe, no cookie), a login (the cookie's attributes, next kept), the page and
 * live socket of the user, a tampered cookie, logout; next never leaves the site; a 100 KB
 * cookie, a 10 MB login POST, names with newlines and invalid UTF-8, many failed logins (429
 * with Retry-After, even for the right password); a users file with a plaintext password or
 * a malformed line stops the start naming file:line before any worker; with --reuse-sessions
 * two users never get each other's cached page while pn_session_user names each, both workers
 * of --num-procs 2 and a second process take the cookie; SIGHUP reads the users file again (a
 * changed password ends old logins, a new user logs in, a bad file fails the reload only).
 */
#include <crypt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1 /* its quarantine holds freed memory: RSS says nothing about leaks */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

#define PASSWORD "correct horse battery"
#define SECRET "an e2e secret key of more than thirty-two characters"

static struct e2e_server shared = {.name = "shared"}, abuse = {.name = "abuse"},
                         users = {.name = "users"};
static char users_file[64];
static char ya[200], sb[200]; /* alice's and bob's hashes in it */

/* A crypt(3) hash with prefix's method at its lowest cost. */
static void make_hash(const char *prefix, const char *password, char *out, size_t n)
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    struct crypt_data *cd = calloc(1, sizeof *cd);
    const char *h = crypt_gensalt_rn(prefix, 0, NULL, 0, setting, sizeof setting)
                        ? crypt_rn(password, setting, cd, sizeof *cd)
                        : NULL;
    snprintf(out, n, "%s", h ? h : "*");
    free(cd);
}

static bool write_file(char *path, size_t n, const char *text)
{
    snprintf(path, n, "/tmp/pane-auth-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return e2e_fail("mkstemp failed");
    bool ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
    close(fd);
    return ok || e2e_fail("write %s failed", path);
}

static bool status_is(const struct e2e_resp *r, int want, const char *what)
{
    return r->status == want || e2e_fail("%s: status %d, want %d", what, r->status, want);
}

static bool location_is(const struct e2e_resp *r, const char *want, const char *what)
{
    char loc[600] = "";
    e2e_header_copy(r, "Location", loc, sizeof loc);
    return (r->status == 302 && !strcmp(loc, want)) ||
           e2e_fail("%s: %d Location \"%s\", want 302 \"%s\"", what, r->status, loc, want);
}

/* Does the whole JSON (a live doc) contain text? */
static bool json_has(json_t *j, const char *text)
{
    char *d = j ? json_dumps(j, 0) : NULL;
    bool has = d && strstr(d, text);
    free(d);
    return has;
}

static bool login_as(struct e2e_server *s, const char *user, const char *password, char *cookie,
                     size_t n)
{
    struct e2e_resp r;
    bool ok = e2e_login(s->port, NULL, user, password, NULL, NULL, &r) &&
              status_is(&r, 302, "login") &&
              (e2e_login_cookie(&r, cookie, n) || e2e_fail("login as %s: no cookie", user));
    e2e_resp_fini(&r);
    return ok;
}

/* ---- cases --------------------------------------------------------------------------------- */

static bool closed_without_login(void)
{
    struct e2e_resp r;
    bool ok = e2e_get(shared.port, "/hello?city=a%20b", NULL, &r) &&
              location_is(&r, "/login?next=/hello%3Fcity%3Da%2520b", "GET /hello");
    e2e_resp_fini(&r);
    ok = ok && e2e_get(shared.port, "/", NULL, &r) && location_is(&r, "/login?next=/", "GET /");
    e2e_resp_fini(&r);
    ok = ok && e2e_request(shared.port, "HEAD", "/weather", NULL, &r) &&
         location_is(&r, "/login?next=/weather", "HEAD /weather");
    e2e_resp_fini(&r);
    /* not pages: 401 */
    const char *targets[] = {"/hello/ws", "/hello/ws/0", "/hello/x", "/_pane/img/x.png",
                             "/nothing"};
    for (size_t i = 0; ok && i < sizeof targets / sizeof *targets; i++) {
        ok = e2e_get(shared.port, targets[i], NULL, &r) && status_is(&r, 401, targets[i]);
        e2e_resp_fini(&r);
    }
    ok = ok && e2e_request(shared.port, "POST", "/hello", "Content-Length: 0\r\n", &r) &&
         status_is(&r, 401, "POST /hello");
    e2e_resp_fini(&r);
    int status = 0;
    struct e2e_cl *c = ok ? e2e_cl_open_ex(&shared, "/hello/ws", NULL, NULL, 0, &status) : NULL;
    if (c) {
        e2e_cl_free(c);
        return e2e_fail("a WebSocket upgraded without a login");
    }
    ok = ok && (status == 401 || e2e_fail("WebSocket without a login: %d, want 401", status));
    /* open: the probes, the login page and what it links */
    ok = ok && e2e_get(shared.port, "/liveness", NULL, &r) && status_is(&r, 200, "/liveness");
    e2e_resp_fini(&r);
    ok = ok && e2e_get(shared.port, "/readiness", NULL, &r) && status_is(&r, 200, "/readiness");
    e2e_resp_fini(&r);
    ok = ok && e2e_get(shared.port, "/login?next=%2Fhello", NULL, &r) &&
         status_is(&r, 200, "/login") &&
         (e2e_find(r.body.data, r.body.len, "name=\"next\" value=\"/hello\"") ||
          e2e_fail("the form does not keep next")) &&
         (e2e_header_has(&r, "Cache-Control", "no-store") || e2e_fail("login page cacheable")) &&
         (e2e_header_has(&r, "Content-Security-Policy", "form-action 'self'") ||
          e2e_fail("login page without the page security headers"));
    char css[200] = "";
    const char *l = ok ? e2e_find(r.body.data, r.body.len, "href=\"/static/") : NULL;
    if (l)
        snprintf(css, sizeof css, "%.*s", (int)strcspn(l + 6, "\""), l + 6);
    e2e_resp_fini(&r);
    ok = ok && (css[0] || e2e_fail("the login page links no stylesheet"));
    ok = ok && e2e_get(shared.port, css, NULL, &r) && status_is(&r, 200, css);
    e2e_resp_fini(&r);
    return ok;
}

static bool wrong_passwords(void)
{
    size_t mark = e2e_log_mark(&shared);
    struct e2e_resp r;
    char cookie[300];
    bool ok = e2e_login(shared.port, NULL, "alice", "wrong", "/hello", NULL, &r) &&
              status_is(&r, 401, "wrong password") &&
              (!e2e_login_cookie(&r, cookie, sizeof cookie) || e2e_fail("a cookie for nothing")) &&
              (e2e_find(r.body.data, r.body.len, "Wrong user name or password") ||
               e2e_fail("no error on the page")) &&
              (e2e_find(r.body.data, r.body.len, "value=\"alice\"") ||
               e2e_fail("the user name is not kept"));
    e2e_resp_fini(&r);
    ok = ok && (e2e_log_wait(&shared, mark, "login failed for user \"alice\"", 3000) ||
                e2e_fail("the failed login is not logged"));
    /* a name with a newline: refused, logged on one line with the newline shown as \x0a */
    ok = ok && e2e_login(shared.port, NULL, "eve\nFAKE LINE", PASSWORD, NULL, NULL, &r) &&
         status_is(&r, 401, "a name with a newline");
    e2e_resp_fini(&r);
    ok = ok && (e2e_log_wait(&shared, mark, "user \"eve\\x0aFAKE LINE\"", 3000) ||
                e2e_fail("the name is not made safe in the log"));
    ok = ok && (!e2e_log_has(&shared, mark, "\nFAKE LINE") || e2e_fail("a forged log line"));
    /* invalid UTF-8 in the form: 400; empty and missing fields: 401 */
    ok = ok && e2e_login(shared.port, NULL, "\xff\xfe", PASSWORD, NULL, NULL, &r) &&
         status_is(&r, 400, "invalid UTF-8");
    e2e_resp_fini(&r);
    ok = ok && e2e_login(shared.port, NULL, "", PASSWORD, NULL, NULL, &r) &&
         status_is(&r, 401, "no user name");
    e2e_resp_fini(&r);
    /* a login from another site's form (login CSRF) */
    ok = ok &&
         e2e_login(shared.port, NULL, "alice", PASSWORD, NULL, "Origin: http://evil.example\r\n",
                   &r) &&
         status_is(&r, 403, "a login from another origin");
    e2e_resp_fini(&r);
    return ok;
}

static bool login_and_logout(void)
{
    struct e2e_resp r;
    char cookie[300], hdr[400];
    bool ok = e2e_login(shared.port, NULL, "Zoë", PASSWORD, "/hello?x=1", NULL, &r) &&
              location_is(&r, "/hello?x=1", "login") &&
              (e2e_login_cookie(&r, cookie, sizeof cookie) || e2e_fail("no cookie"));
    char sc[400] = "";
    e2e_header_copy(&r, "Set-Cookie", sc, sizeof sc);
    e2e_resp_fini(&r);
    ok = ok && ((strstr(sc, "; Path=/;") && strstr(sc, "HttpOnly") && strstr(sc, "SameSite=Lax") &&
                 strstr(sc, "Max-Age=604800") && !strstr(sc, "Secure")) ||
                e2e_fail("cookie attributes: %s", sc));
    snprintf(hdr, sizeof hdr, "Cookie: other=1; %s\r\n", cookie);
    struct e2e_page p;
    ok = ok && e2e_get_page_ex(&shared, "/hello", hdr, &p) &&
         (strstr(p.main, "Hello, Zoë") || e2e_fail("the page does not greet Zoë: %.200s", p.main));
    e2e_page_fini(&p);
    /* the live socket with the login: its session knows the user */
    char ws_hdr[600];
    snprintf(ws_hdr, sizeof ws_hdr, "%s%s", shared.origin, hdr);
    struct e2e_cl *c = ok ? e2e_cl_open_ex(&shared, "/hello/ws", ws_hdr, NULL, 0, NULL) : NULL;
    json_t *doc = c ? e2e_hello_doc(c, NULL, "") : NULL;
    ok = ok && doc && (json_has(doc, "Hello, Zoë") || e2e_fail("live doc: %s", e2e_dumps(doc)));
    json_decref(doc);
    e2e_close_nicely(c);
    /* already logged in: the login page goes on to next */
    ok = ok && e2e_get(shared.port, "/login?next=/weather", hdr, &r) &&
         location_is(&r, "/weather", "login page when logged in");
    e2e_resp_fini(&r);
    /* a tampered cookie is no login */
    char bad[400];
    snprintf(bad, sizeof bad, "Cookie: %.*sX\r\n", (int)strlen(cookie) - 1, cookie);
    ok = ok && e2e_get(shared.port, "/hello", bad, &r) && status_is(&r, 302, "tampered cookie");
    e2e_resp_fini(&r);
    /* logout (POST, as the example's button; GET works too) */
    ok = ok && e2e_request(shared.port, "POST", "/logout", hdr, &r) &&
         location_is(&r, "/login?out=1", "logout");
    sc[0] = '\0';
    e2e_header_copy(&r, "Set-Cookie", sc, sizeof sc);
    e2e_resp_fini(&r);
    ok = ok && ((strstr(sc, "pane_login=;") && strstr(sc, "Max-Age=0")) ||
                e2e_fail("logout cookie: %s", sc));
    ok = ok && e2e_get(shared.port, "/login?out=1", NULL, &r) &&
         (e2e_find(r.body.data, r.body.len, "You have logged out") || e2e_fail("no logout notice"));
    e2e_resp_fini(&r);
    return ok;
}

static bool next_stays_local(void)
{
    const char *bad[] = {"//evil.example",        "//evil.example/hello", "/\\evil.example",
                         "https://evil.example/", "javascript:alert(1)",  "evil.example",
                         "/\r\nSet-Cookie: x=1"};
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof bad / sizeof *bad; i++) {
        struct e2e_resp r;
        ok = e2e_login(shared.port, NULL, "a", PASSWORD, bad[i], NULL, &r) &&
             location_is(&r, "/", bad[i]) &&
             (e2e_header_count(&r, "Set-Cookie") == 1 || e2e_fail("a header injected"));
        e2e_resp_fini(&r);
    }
    struct e2e_resp r;
    ok = ok && e2e_get(shared.port, "/login?next=%2F%2Fevil.example", NULL, &r) &&
         (e2e_find(r.body.data, r.body.len, "name=\"next\" value=\"/\"") ||
          e2e_fail("the form keeps a next off the site"));
    e2e_resp_fini(&r);
    return ok;
}

static bool abuse_is_bounded(void)
{
    /* a 100 KB cookie: the header limit, the server carries on */
    size_t n = 100 * 1024;
    char *big = malloc(n + 40);
    int k = snprintf(big, 40, "Cookie: pane_login=");
    memset(big + k, 'A', n);
    memcpy(big + k + n, "\r\n", 3);
    struct e2e_resp r;
    bool ok = e2e_get(abuse.port, "/hello", big, &r) &&
              (r.status == 431 || r.status == 302 || e2e_fail("100 KB cookie: %d", r.status));
    e2e_resp_fini(&r);
    free(big);
    /* a 10 MB login POST: 413, never read into memory */
    char head[300];
    snprintf(
        head, sizeof head,
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: "
        "application/x-www-form-urlencoded\r\nContent-Length: 10485760\r\n\r\nuser=a&password=",
        abuse.port);
    ok = ok && e2e_fetch(abuse.port, head, &r) == 0 && status_is(&r, 413, "10 MB POST");
    e2e_resp_fini(&r);
    /* a 9 KB form (within net's body limit, over the form's) */
    size_t fb = 9000;
    char *form = malloc(fb + 400);
    int h = snprintf(form, 400,
                     "POST /login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: %zu\r\n\r\n",
                     abuse.port, fb);
    memset(form + h, 'a', fb);
    form[h + (int)fb] = '\0';
    ok = ok && e2e_fetch(abuse.port, form, &r) == 0 && status_is(&r, 413, "9 KB form");
    e2e_resp_fini(&r);
    free(form);
    /* failed logins from one address: past the bound, 429 with Retry-After, also for the
     * right password, without checking it */
    int i = 0;
    for (; ok && i < 30; i++) {
        ok = e2e_login(abuse.port, NULL, "mallory", "guess", NULL, NULL, &r);
        int st = r.status;
        e2e_resp_fini(&r);
        if (st == 429)
            break;
        ok = ok && (st == 401 || e2e_fail("failed login %d: %d", i, st));
    }
    ok = ok && (i == 10 || e2e_fail("429 after %d failed logins, want 10", i));
    ok = ok && e2e_login(abuse.port, NULL, "alice", PASSWORD, NULL, NULL, &r) &&
         status_is(&r, 429, "the right password while held back") &&
         (e2e_header_has(&r, "Retry-After", NULL) || e2e_fail("no Retry-After"));
    e2e_resp_fini(&r);
    /* thousands of failed logins: answered quickly, and the server's memory does not grow */
    long rss0 = e2e_server_rss_kib(&abuse);
    long long t0 = e2e_now_ms();
    for (int j = 0; ok && j < 2000; j++) {
        ok = e2e_login(abuse.port, NULL, "mallory", "guess", NULL, NULL, &r) &&
             status_is(&r, 429, "held back");
        e2e_resp_fini(&r);
    }
    long rss1 = e2e_server_rss_kib(&abuse);
    printf("# 2000 held-back logins in %lld ms, RSS %ld -> %ld KiB\n", e2e_now_ms() - t0, rss0,
           rss1);
    ok = ok &&
         (UNDER_ASAN || rss1 - rss0 < 8192 || e2e_fail("RSS grew from %ld to %ld KiB", rss0, rss1));
    ok = ok && e2e_get(abuse.port, "/liveness", NULL, &r) && status_is(&r, 200, "alive");
    e2e_resp_fini(&r);
    return ok;
}

static bool bad_users_files(void)
{
    char six[200], path[64], text[400];
    make_hash("$6$", "x", six, sizeof six);
    struct {
        const char *text, *want;
    } cases[] = {
        {"# ok\nalice:%s\nbob:plaintext\n", ":3: a plaintext password"},
        {"alice:%s\nbob\n", ":2: not user:HASH"},
        {"alice:$apr1$x$y\n%s\n", ":1: not a hash"},
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof cases / sizeof *cases; i++) {
        snprintf(text, sizeof text, cases[i].text, six);
        ok = write_file(path, sizeof path, text);
        static struct e2e_server bad = {.name = "bad"};
        const char *args[] = {e2e_src("examples/hello.c"), "--basic-auth", path, NULL};
        bool started = ok && e2e_server_start(&bad, &(struct e2e_spawn){.args = args});
        char want[128];
        snprintf(want, sizeof want, "%s%s", path, cases[i].want);
        if (started) {
            e2e_server_stop(&bad, SIGTERM, 10000);
            ok = e2e_fail("started with a bad users file (%s)", cases[i].want);
        } else {
            e2e_why[0] = '\0';
            int st = e2e_server_stop(&bad, 0, 10000);
            ok = ok && (e2e_log_has(&bad, 0, want) || e2e_fail("no \"%s\" in its log", want)) &&
                 (!e2e_log_has(&bad, 0, "worker") || e2e_fail("a worker started")) &&
                 (st == 1 || st == -2 || e2e_fail("exit status %d", st));
        }
        unlink(path);
    }
    return ok;
}

/* ---- --reuse-sessions, --num-procs 2, a second process ------------------------------------ */

static bool users_never_share_a_cached_page(void)
{
    char ca[300], cb[300], ha[400], hb[400];
    bool ok = login_as(&users, "alice", "alice pw", ca, sizeof ca) &&
              login_as(&users, "bob", "bob pw", cb, sizeof cb);
    struct e2e_resp r;
    ok = ok && e2e_login(users.port, NULL, "alice", "bob pw", NULL, NULL, &r) &&
         status_is(&r, 401, "alice with bob's password");
    e2e_resp_fini(&r);
    ok = ok && e2e_login(users.port, NULL, "carol", "alice pw", NULL, NULL, &r) &&
         status_is(&r, 401, "an unknown user");
    e2e_resp_fini(&r);
    snprintf(ha, sizeof ha, "Cookie: %s\r\n", ca);
    snprintf(hb, sizeof hb, "Cookie: %s\r\n", cb);
    /* each user several times (both workers fill and hit their caches): always their own */
    int hits = 0;
    for (int i = 0; ok && i < 12; i++) {
        const char *who = i % 2 ? "bob" : "alice", *other = i % 2 ? "alice" : "bob";
        ok = e2e_get(users.port, "/hello", i % 2 ? hb : ha, &r) && status_is(&r, 200, who);
        char want[64], not [64], cache[32] = "";
        snprintf(want, sizeof want, "Hello, %s", who);
        snprintf(not, sizeof not, "Hello, %s", other);
        e2e_header_copy(&r, "X-Pane-Cache", cache, sizeof cache);
        hits += !strcmp(cache, "hit");
        ok = ok && (e2e_header_has(&r, "Cache-Control", "private") ||
                    e2e_fail("a user's page without Cache-Control: private"));
        ok = ok && ((e2e_find(r.body.data, r.body.len, want) &&
                     !e2e_find(r.body.data, r.body.len, not )) ||
                    e2e_fail("%s got another page (cache %s)", who, cache));
        e2e_resp_fini(&r);
    }
    ok = ok && (hits >= 4 || e2e_fail("only %d cache hits in 12 pages", hits));
    /* --warm: the shared page (weather.c's pn_key_shared) was warmed and is a hit for both
     * users; hello.c's key is per user, so it was not */
    ok = ok && (e2e_log_has(&users, 0, "warmed /weather") || e2e_fail("weather not warmed")) &&
         (e2e_log_has(&users, 0, "--warm /hello: not warmed, its key is per user") ||
          e2e_fail("hello warmed without a user"));
    for (int i = 0; ok && i < 2; i++) {
        ok = e2e_get(users.port, "/weather", i ? hb : ha, &r) && status_is(&r, 200, "weather");
        char cache[32] = "";
        e2e_header_copy(&r, "X-Pane-Cache", cache, sizeof cache);
        ok = ok && (!strcmp(cache, "hit") || e2e_fail("a warmed shared page: %s", cache));
        e2e_resp_fini(&r);
    }
    /* the live sessions say who */
    char wa[600], wb[600];
    snprintf(wa, sizeof wa, "%s%s", users.origin, ha);
    snprintf(wb, sizeof wb, "%s%s", users.origin, hb);
    struct e2e_cl *a = ok ? e2e_cl_open_ex(&users, "/hello/ws", wa, NULL, 0, NULL) : NULL;
    struct e2e_cl *b = a ? e2e_cl_open_ex(&users, "/hello/ws", wb, NULL, 0, NULL) : NULL;
    json_t *da = b ? e2e_hello_doc(a, NULL, "") : NULL;
    json_t *db = da ? e2e_hello_doc(b, NULL, "") : NULL;
    ok = ok && db && (json_has(da, "Hello, alice") || e2e_fail("alice's doc")) &&
         (json_has(db, "Hello, bob") || e2e_fail("bob's doc"));
    json_decref(da);
    json_decref(db);
    e2e_close_nicely(a);
    e2e_close_nicely(b);
    return ok;
}

static bool cookie_good_on_every_worker(void)
{
    char c[300], h[400];
    bool ok = login_as(&users, "alice", "alice pw", c, sizeof c);
    snprintf(h, sizeof h, "Cookie: %s\r\n", c);
    size_t mark = e2e_log_mark(&users);
    for (int i = 0; ok && i < 40; i++) {
        struct e2e_resp r;
        ok = e2e_get(users.port, "/hello?w=1", h, &r) && status_is(&r, 200, "a worker");
        e2e_resp_fini(&r);
    }
    /* the access lines of both workers (json: each with its pid) */
    char line[600], first_pid[32] = "";
    bool two = false;
    for (size_t m = mark;
         ok && (m = e2e_log_next_line(&users, m, "GET /hello?w=1", line, sizeof line));) {
        const char *p = strstr(line, "\"pid\":");
        char pid[32] = "";
        if (p)
            snprintf(pid, sizeof pid, "%.*s", (int)strcspn(p + 6, ","), p + 6);
        if (!first_pid[0])
            snprintf(first_pid, sizeof first_pid, "%s", pid);
        else if (strcmp(pid, first_pid))
            two = true;
    }
    return ok && (two || e2e_fail("40 requests all went to one worker (pid %s)", first_pid));
}

static bool cookie_good_on_another_process(void)
{
    char c[300], h[400];
    bool ok = login_as(&users, "bob", "bob pw", c, sizeof c);
    snprintf(h, sizeof h, "Cookie: %s\r\n", c);
    static struct e2e_server twin = {.name = "twin"}, other = {.name = "other"};
    const char *ta[] = {e2e_src("examples/hello.c"),
                        "--basic-auth",
                        users_file,
                        "--secret-key",
                        SECRET,
                        "--num-threads",
                        "2",
                        "--log-level",
                        "debug",
                        NULL};
    const char *oa[] = {
        e2e_src("examples/hello.c"), "--basic-auth", users_file, "--secret-key", SECRET "X", NULL};
    ok = ok && e2e_server_start(&twin, &(struct e2e_spawn){.args = ta}) &&
         e2e_server_start(&other, &(struct e2e_spawn){.args = oa});
    struct e2e_resp r;
    ok = ok && e2e_get(twin.port, "/hello", h, &r) && status_is(&r, 200, "same --secret-key") &&
         (e2e_find(r.body.data, r.body.len, "Hello, bob") || e2e_fail("twin: not bob's page"));
    e2e_resp_fini(&r);
    ok = ok && e2e_get(other.port, "/hello", h, &r) && status_is(&r, 302, "another --secret-key");
    e2e_resp_fini(&r);
    /* tokens (no --reuse-sessions here) stay with their user, on whichever loop the socket
     * lands (--num-threads 2: a hello naming another loop's session is handed there) */
    char ca[300], ha[400], wa[600], wb[600];
    ok = ok && login_as(&twin, "alice", "alice pw", ca, sizeof ca);
    snprintf(ha, sizeof ha, "Cookie: %s\r\n", ca);
    snprintf(wa, sizeof wa, "%s%s", twin.origin, ha);
    snprintf(wb, sizeof wb, "%s%s", twin.origin, h);
    for (int i = 0; ok && i < 6; i++) {
        struct e2e_page p;
        ok = e2e_get_page_ex(&twin, "/hello", ha, &p) && (p.token[0] || e2e_fail("no token"));
        /* bob's socket with alice's token: a session of bob's own */
        struct e2e_cl *b = ok ? e2e_cl_open_ex(&twin, "/hello/ws", wb, NULL, 0, NULL) : NULL;
        json_t *db = b ? e2e_hello_doc(b, p.token, "") : NULL;
        ok = ok && db && (json_has(db, "Hello, bob") || e2e_fail("bob resumed alice's session"));
        json_decref(db);
        e2e_close_nicely(b);
        /* alice's socket on the plain path (any loop) resumes hers */
        struct e2e_cl *a = ok ? e2e_cl_open_ex(&twin, "/hello/ws", wa, NULL, 0, NULL) : NULL;
        json_t *da = a ? e2e_hello_doc(a, p.token, "") : NULL;
        ok = ok && da && (json_has(da, "Hello, alice") || e2e_fail("alice's socket: not hers"));
        json_decref(da);
        e2e_close_nicely(a);
        e2e_page_fini(&p);
    }
    int handed = 0;
    char line[600];
    for (size_t m = 0; (m = e2e_log_next_line(&twin, m, "after its hello", line, sizeof line));)
        handed++;
    printf("# %d sockets were handed to their token's loop with their login\n", handed);
    /* logins being checked (on the thread pool) when the server stops: nothing answers them,
     * nothing crashes, the exit is clean */
    struct e2e_conn pend[4];
    int npend = 0;
    for (int i = 0; ok && i < 4; i++) {
        char req[400];
        snprintf(req, sizeof req,
                 "POST /login HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 30\r\n\r\n"
                 "user=alice&password=alice+pw00",
                 twin.port);
        if (e2e_conn_open(&pend[npend], twin.port) == 0) {
            e2e_conn_send_str(&pend[npend], req);
            npend++;
        }
    }
    int st = e2e_server_stop(&twin, SIGTERM, 10000);
    for (int i = 0; i < npend; i++)
        e2e_conn_close(&pend[i]);
    ok = ok && (st == 0 || e2e_fail("stopped with logins under way: exit %d", st));
    e2e_server_stop(&other, SIGTERM, 10000);
    return ok;
}

static bool rewrite(const char *text)
{
    FILE *f = fopen(users_file, "w");
    bool ok = f && fputs(text, f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok || e2e_fail("cannot rewrite %s", users_file);
}

static int status_with(const char *path, const char *cookie)
{
    char h[400];
    snprintf(h, sizeof h, "Cookie: %s\r\n", cookie);
    struct e2e_resp r;
    int st = e2e_get(users.port, path, h, &r) ? r.status : -1;
    e2e_resp_fini(&r);
    return st;
}

static bool users_file_reload(void)
{
    char ca[300], cb[300], cc[300];
    bool ok = login_as(&users, "alice", "alice pw", ca, sizeof ca) &&
              login_as(&users, "bob", "bob pw", cb, sizeof cb);
    /* alice's password changes, carol is added; SIGHUP reads the file again */
    char text[800], ya2[200], hc[200];
    make_hash("$y$", "alice new pw", ya2, sizeof ya2);
    make_hash("$2b$", "carol pw", hc, sizeof hc);
    snprintf(text, sizeof text, "alice:%s\nbob:%s\ncarol:%s\n", ya2, sb, hc);
    size_t mark = e2e_log_mark(&users);
    ok = ok && rewrite(text) && (kill(users.pid, SIGHUP) == 0 || e2e_fail("kill")) &&
         (e2e_log_wait(&users, mark, "reloaded", 30000) || e2e_fail("no reload"));
    /* the old workers accept on the shared sockets until their SIGTERM has reached them: the
     * checks below are the new workers' once only the supervisor and two workers are left */
    pid_t pids[8];
    for (long long end = e2e_now_ms() + 10000; ok && e2e_server_pids(&users, pids, 8) != 3;) {
        if (e2e_now_ms() > end)
            ok = e2e_fail("the old workers did not stop after the reload");
        e2e_sleep_ms(20);
    }
    ok = ok && (status_with("/hello", ca) == 302 || e2e_fail("alice's old cookie still works")) &&
         (status_with("/hello", cb) == 200 || e2e_fail("bob's cookie was lost")) &&
         login_as(&users, "carol", "carol pw", cc, sizeof cc) &&
         (status_with("/hello", cc) == 200 || e2e_fail("carol's cookie")) &&
         login_as(&users, "alice", "alice new pw", ca, sizeof ca);
    /* a bad file on SIGHUP: the reload fails naming the line, the running workers go on */
    mark = e2e_log_mark(&users);
    char want[128];
    snprintf(want, sizeof want, "reload failed: --basic-auth %s:2: a plaintext", users_file);
    snprintf(text, sizeof text, "alice:%s\nbob:bob pw\n", ya2);
    ok = ok && rewrite(text) && (kill(users.pid, SIGHUP) == 0 || e2e_fail("kill")) &&
         (e2e_log_wait(&users, mark, want, 10000) || e2e_fail("no \"%s\"", want)) &&
         (status_with("/hello", cb) == 200 || e2e_fail("bob after a failed reload"));
    snprintf(text, sizeof text, "alice:%s\nbob:%s\n", ya, sb); /* as it was */
    return rewrite(text) && ok;
}

int main(int argc, char **argv)
{
    e2e_init("auth", argc, argv, 280);
    const char *sa[] = {e2e_src("examples/hello.c"), e2e_src("examples/weather.c"), "--basic-auth",
                        PASSWORD, NULL};
    bool need_shared = e2e_selected("closed-without-login") || e2e_selected("wrong-passwords") ||
                       e2e_selected("login-and-logout") || e2e_selected("next-stays-local");
    if (need_shared && !e2e_server_start(&shared, &(struct e2e_spawn){.args = sa, .napps = 2}))
        return e2e_report("start shared", false), e2e_finish();
    E2E_CASE("closed-without-login", closed_without_login);
    E2E_CASE("wrong-passwords", wrong_passwords);
    E2E_CASE("login-and-logout", login_and_logout);
    E2E_CASE("next-stays-local", next_stays_local);
    if (need_shared)
        e2e_report("shared exit", e2e_server_stop(&shared, SIGTERM, 10000) == 0);

    if (e2e_selected("abuse")) {
        if (!e2e_server_start(&abuse, &(struct e2e_spawn){.args = sa, .napps = 2}))
            return e2e_report("start abuse", false), e2e_finish();
        E2E_CASE("abuse", abuse_is_bounded);
        e2e_report("abuse exit", e2e_server_stop(&abuse, SIGTERM, 10000) == 0);
    }

    E2E_CASE("bad-users-files", bad_users_files);

    if (e2e_selected("users") || e2e_selected("worker") || e2e_selected("process")) {
        char text[600];
        make_hash("$y$", "alice pw", ya, sizeof ya);
        make_hash("$6$", "bob pw", sb, sizeof sb);
        snprintf(text, sizeof text, "# e2e users\nalice:%s\nbob:%s\n", ya, sb);
        if (!write_file(users_file, sizeof users_file, text))
            return e2e_report("users file", false), e2e_finish();
        const char *ua[] = {e2e_src("examples/hello.c"),
                            e2e_src("examples/weather.c"),
                            "--basic-auth",
                            users_file,
                            "--reuse-sessions",
                            "--warm",
                            "--num-procs",
                            "2",
                            "--secret-key",
                            SECRET,
                            "--log-format",
                            "json",
                            NULL};
        if (!e2e_server_start(&users, &(struct e2e_spawn){.args = ua, .napps = 2})) {
            unlink(users_file);
            return e2e_report("start users", false), e2e_finish();
        }
        E2E_CASE("users-never-share-a-cached-page", users_never_share_a_cached_page);
        E2E_CASE("cookie-good-on-every-worker", cookie_good_on_every_worker);
        E2E_CASE("cookie-good-on-another-process", cookie_good_on_another_process);
        E2E_CASE("users-file-reload", users_file_reload);
        e2e_report("users exit", e2e_server_stop(&users, SIGTERM, 10000) == 0);
        unlink(users_file);
    }
    return e2e_finish();
}
