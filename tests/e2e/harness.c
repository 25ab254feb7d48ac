/*
 * e2e harness: runs the real `pane serve` and talks raw HTTP/1.1 and WebSocket to it over TCP.
 *
 *     pane_e2e PANE_BIN SOURCE_DIR [CASE_FILTER]
 *
 * It starts `PANE_BIN serve --port 0 --address 127.0.0.1 --header-timeout 1000
 * --websocket-max-message-size 65536 --static-dirs files=SOURCE_DIR/tests/e2e/static
 * SOURCE_DIR/examples/weather.c` with stdout on a pipe, waits (up to 60 s: the first run
 * compiles the app) for the line `pane: serving http://127.0.0.1:PORT/weather`, and then:
 *
 *   (a) runs every data-file case SOURCE_DIR/tests/e2e/cases/NNN-name.txt, in sorted order,
 *       each on a fresh connection, and after EACH case checks that a plain GET of the app on
 *       a new connection still answers 200 (a case that kills the server is reported, and the
 *       server is started again so that later cases still run); after a WebSocket case, a new
 *       socket's hello must also still get its `doc`;
 *   (b) runs the built-in checks written in C below (keep-alive, pipelining, HEAD, gzip,
 *       static asset caching, 404, 405, query arguments, escaping, slowloris);
 *   (c) sends SIGTERM and expects exit status 0.
 *
 * Every read has a timeout (READ_TIMEOUT_MS), the whole run has one (GLOBAL_TIMEOUT_S), and the
 * server is always killed on the way out. Output: one line per case or check, `ok NAME` or
 * `FAIL NAME: why`, then `e2e: N passed, N failed`; the exit status is 1 if anything failed.
 * A third argument runs only the cases and checks whose name contains it. Spawning pane, its
 * log, HTTP and the results are the shared e2e library's (tests/e2e/e2e.h).
 *
 * Environment: PANE_WRAPPER (e.g. "valgrind --tool=memcheck --error-exitcode=1") is split on
 * spaces and put in front of the pane command (tests/valgrind.sh uses it); PANE_TIMEOUT_SCALE
 * (1..100; 10 by default when PANE_WRAPPER is set, else 1) multiplies every timeout.
 *
 * CASE FILE FORMAT (also in tests/e2e/cases/README.md)
 * ---------------------------------------------------
 * A case is a text file `NNN-name.txt`. Above a line that is exactly `---` are directives, one
 * per line; below it is the raw request.
 *
 *   # text                   a comment (also blank lines)
 *   expect: 400              the status the response must have; several allowed: `expect: 400 505`.
 *                            `none` means the server closes without any response (it may be
 *                            listed with statuses: `expect: 400 none`). Required for HTTP cases.
 *   expect-contains: TEXT    the response (header block + decoded body) contains TEXT (repeatable)
 *   expect-absent: TEXT      the response does not contain TEXT (repeatable)
 *   expect-header: NAME      the response has header NAME (name case-insensitive)
 *   expect-header: NAME: V   ... and its value contains V (case-insensitive)
 *   expect-no-header: NAME   the response has no header NAME (repeatable)
 *   expect-close: yes|no     yes: the server closes the connection after the response (within
 *                            CLOSE_TIMEOUT_MS); no: it is still open and answers a further GET
 *
 * The request below `---` is decoded as follows, so that hostile bytes are exact:
 *   - literal line breaks in the file are ignored (write `\r\n` where the request has one);
 *   - escapes: `\r` `\n` `\t` `\0` `\\` `\xHH` (two hex digits), `\}` (a literal `}`);
 *   - repetition: `\{N*TEXT}` is TEXT (itself decoded, escapes and nested repeats allowed)
 *     repeated N times, so `GET /\{9000*a} HTTP/1.1` is a 9 KB URL in a one-line file;
 *   - any other backslash escape is a format error, which fails the case.
 * TEXT in expect-contains/-absent/-header/-no-header uses the same escapes.
 * A request starting with `HEAD ` is read as a response without a body.
 *
 * WEBSOCKET CASES. The directive `websocket: PATH` (e.g. `/weather/ws`) makes a WebSocket case:
 * the harness sends the upgrade request itself (GET PATH, Host 127.0.0.1:PORT, a valid key,
 * version 13, `Origin: http://127.0.0.1:PORT` as a browser on the page would send, and any
 * ws-header lines), checks the 101 and its Sec-WebSocket-Accept, then sends the steps in file
 * order and finally the decoded bytes below `---` (may be empty), exactly as they are:
 *
 *   websocket: PATH          the socket's path (query allowed)
 *   ws-origin: ORIGIN        the Origin header instead of the page's own; `none` sends none
 *   ws-header: NAME: VALUE   one more header line in the upgrade request (repeatable)
 *   ws-send: TEXT            a step: TEXT as one well-formed masked text frame (repeatable)
 *   ws-raw: BYTES            a step: BYTES written as they are (hostile frames; repeatable)
 *   expect: 101              the default; any other status (`expect: 403`) means the upgrade
 *                            must be refused, and the case is then checked as an HTTP case
 *                            (expect-contains/-absent/-header/-no-header, expect-close yes|no)
 *   expect-close: 1002       the server's close frame carries one of these codes (`1002 1007`
 *                            for several), and the TCP connection then ends
 *   expect-close: yes        the server closes (any code, or no close frame)
 *   expect-close: no         the socket stays open: it still answers a protocol ping
 *   expect-message-contains: TEXT   some text message from the server contains TEXT (repeatable;
 *                            each TEXT may be matched by a different message)
 *   expect-message-absent: TEXT     no text message from the server contains TEXT (repeatable)
 *
 * Messages are collected until the close (expect-close: CODES or yes), or, otherwise, until
 * the answer to `{"t":"ping","n":"pane-e2e-sync-N"}`, sent after the steps: everything the
 * steps provoked has arrived by then. In ws-send, ws-origin, ws-header and expect-message-*,
 * after decoding, `$PORT` is the server's port and `$TOKEN` the token of a page just fetched
 * (GET /weather, its `#pn-data` block); `$TOKEN_FORGED` is such a token with one character of
 * its signature changed; `$TOKEN_HELD` is a page's token whose session another socket of the
 * harness holds (hello done) during the case, and that socket must still answer a ping after
 * it (a replayed token must not take the session over). Raw frames are easy to write with the
 * all-zero masking key: `\x81\x85\0\0\0\0hello` is a masked text frame "hello". An expired
 * token is not reachable from a data file (--session-token-expiration is global): see
 * tests/e2e/live_test.c.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <zlib.h>

#include "base/base.h"
#include "e2e.h"
#include "wsclient.h"

/* Timeouts, multiplied by tscale (PANE_TIMEOUT_SCALE) for slow runs such as valgrind. */
#define tscale (e2e.tscale)
#define READ_TIMEOUT_MS (5000 * tscale)   /* one response */
#define CLOSE_TIMEOUT_MS (3000 * tscale)  /* waiting for the server to close */
#define STOP_TIMEOUT_MS (10000 * tscale)  /* SIGTERM to exit */
#define GLOBAL_TIMEOUT_S 280              /* below ctest's 300; e2e_init scales it */
#define HEADER_TIMEOUT_MS (1000 * tscale) /* passed as --header-timeout */
#define IDLE_TIMEOUT_MS (4000 * tscale)   /* --idle-timeout (the write timeout) of slow-reader's server */

enum {
    MAX_CASE_FILE = 1 << 20,
    MAX_REQUEST = 8 << 20,
    MAX_RESPONSE = 16 << 20,
    MAX_LIST = 32,
    MAX_STEPS = 64,
    MAX_WS_MESSAGE = 65536, /* passed as --websocket-max-message-size */
};

/* ---- the server (tests/e2e/e2e.h) ---------------------------------------------------------- */

static struct e2e_server S_MAIN = {.name = "pane"}, S_SLOW = {.name = "slow-reader"};
static struct e2e_server *srv = &S_MAIN; /* the one the cases and checks talk to */
static int idle_timeout_arg; /* > 0: server_start passes --idle-timeout (ms) */
static bool wrapped;         /* pane runs under PANE_WRAPPER (valgrind) */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1 /* the harness is built as pane is: the asan preset */
#else
#define SANITIZED 0
#endif

/* Copies e2e_why into the caller's why. Returns rc. */
static int why_from_e2e(int rc, char *why, size_t whylen)
{
    if (rc != 0)
        snprintf(why, whylen, "%s", e2e_why);
    e2e_why[0] = '\0';
    return rc;
}

/* Starts srv: `pane serve --port 0 --address 127.0.0.1 --header-timeout … --static-dirs
 * files=SOURCE_DIR/tests/e2e/static examples/weather.c`, under PANE_WRAPPER if set. */
static int server_start(char *why, size_t whylen)
{
    char hdr_timeout[16], idle_timeout[16], maxmsg[16], statics[PATH_MAX + 32];
    snprintf(hdr_timeout, sizeof hdr_timeout, "%d", HEADER_TIMEOUT_MS);
    snprintf(idle_timeout, sizeof idle_timeout, "%d", idle_timeout_arg);
    snprintf(maxmsg, sizeof maxmsg, "%d", MAX_WS_MESSAGE);
    snprintf(statics, sizeof statics, "files=%s/tests/e2e/static", e2e.source_dir);
    const char *args[16] = {"--header-timeout", hdr_timeout, "--websocket-max-message-size",
                            maxmsg, "--static-dirs", statics, e2e_src("examples/weather.c")};
    int n = 7;
    if (idle_timeout_arg > 0) {
        args[n++] = "--idle-timeout";
        args[n++] = idle_timeout;
    }
    args[n] = NULL;
    if (!e2e_server_start(srv, &(struct e2e_spawn){.args = args, .wrapper = getenv("PANE_WRAPPER")}))
        return why_from_e2e(-1, why, whylen);
    if (strcmp(srv->path, "/weather") != 0) {
        snprintf(why, whylen, "unexpected app path '%s' (want /weather)", srv->path);
        e2e_server_stop(srv, SIGKILL, STOP_TIMEOUT_MS);
        return -1;
    }
    return 0;
}

static bool server_alive(char *why, size_t whylen)
{
    return why_from_e2e(e2e_server_alive(srv) ? 0 : -1, why, whylen) == 0;
}

/* SIGTERM and wait (see e2e_server_stop). */
static int server_stop(int sig)
{
    return e2e_server_stop(srv, sig, STOP_TIMEOUT_MS);
}

/* 127.0.0.1 at the server's port, for raw sockets. */
static struct sockaddr_in server_addr(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int conn_open(struct e2e_conn *c)
{
    return e2e_conn_open(c, srv->port);
}

static int read_response(struct e2e_conn *c, bool is_head, struct e2e_resp *r, int timeout_ms,
                         char *why, size_t whylen)
{
    return why_from_e2e(e2e_read_response(c, is_head, r, timeout_ms), why, whylen);
}

static int wait_closed(struct e2e_conn *c, int timeout_ms, char *why, size_t whylen)
{
    int rc = e2e_wait_closed(c, timeout_ms);
    why_from_e2e(rc < 0 ? -1 : 0, why, whylen);
    return rc;
}

/* One request on a new connection, one response. Returns 0 or -1 (why). */
static int fetch(const char *req, struct e2e_resp *r, char *why, size_t whylen)
{
    return why_from_e2e(e2e_fetch(srv->port, req, r), why, whylen);
}

static int fetch_get(const char *target, const char *extra_headers, struct e2e_resp *r, char *why,
                     size_t whylen)
{
    return why_from_e2e(e2e_get(srv->port, target, extra_headers, r) ? 0 : -1, why, whylen);
}

static void report(const char *name, bool ok, const char *why)
{
    snprintf(e2e_why, sizeof e2e_why, "%s", why);
    e2e_report(name, ok);
}

/* After a case or check: the server still serves the app. Restarts it if it died. */
static void health_check(const char *after)
{
    char why[512], name[300];
    snprintf(name, sizeof name, "%s/server-still-serves", after);
    struct e2e_resp r;
    int rc = fetch_get(srv->path, NULL, &r, why, sizeof why);
    if (rc == 0 && r.status != 200) {
        snprintf(why, sizeof why, "GET %s gave %d", srv->path, r.status);
        rc = -1;
    }
    e2e_resp_fini(&r);
    if (rc == 0)
        return; /* a passing health check is not printed: it would double the output */
    char dead[256];
    bool alive = true;
    for (int i = 0; i < 20 && (alive = server_alive(dead, sizeof dead)); i++)
        e2e_sleep_ms(50); /* a dying process may not be reapable yet */
    if (!alive) {
        char msg[900];
        snprintf(msg, sizeof msg, "%s; %s; restarting it", why, dead);
        report(name, false, msg);
        if (server_start(why, sizeof why) != 0) {
            report("restart", false, why);
            exit(e2e_finish());
        }
        return;
    }
    report(name, false, why);
}

/* ---- case files ---------------------------------------------------------------------------- */

struct kase {
    int expect[8];
    int n_expect;
    bool expect_none;
    struct pn_buf contains[MAX_LIST], absent[MAX_LIST], header[MAX_LIST], noheader[MAX_LIST];
    int n_contains, n_absent, n_header, n_noheader;
    int close; /* -1 unspecified, 0 no, 1 yes */
    struct pn_buf req;
    /* WebSocket cases */
    bool ws;
    struct pn_buf ws_path, ws_origin, ws_headers; /* ws_headers: "Name: value\r\n" lines */
    bool ws_origin_set;
    struct {
        bool raw; /* ws-raw: written as is; ws-send: one text frame */
        struct pn_buf data;
    } steps[MAX_STEPS];
    int n_steps;
    struct pn_buf msg_contains[MAX_LIST], msg_absent[MAX_LIST];
    int n_msg_contains, n_msg_absent;
    int close_codes[8]; /* expect-close: CODES */
    int n_close_codes;
};

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Decodes [*pp, end) into out. In a repeat (depth > 0) it stops after the closing '}'.
 * Returns 0 or -1 with why. */
static int decode(const char **pp, const char *end, struct pn_buf *out, int depth, char *why,
                  size_t whylen)
{
    const char *p = *pp;
    while (p < end) {
        char ch = *p++;
        if (ch == '\n' || ch == '\r')
            continue; /* literal line breaks are layout only */
        if (ch == '}' && depth > 0) {
            *pp = p;
            return 0;
        }
        if (ch != '\\') {
            if (pn__buf_putc(out, ch) != 0)
                goto toobig;
            continue;
        }
        if (p >= end) {
            snprintf(why, whylen, "backslash at end of input");
            return -1;
        }
        char e = *p++;
        char v;
        switch (e) {
        case 'r': v = '\r'; break;
        case 'n': v = '\n'; break;
        case 't': v = '\t'; break;
        case '0': v = '\0'; break;
        case '\\': v = '\\'; break;
        case '}': v = '}'; break;
        case 'x': {
            int h = p < end ? hexval((unsigned char)p[0]) : -1;
            int l = p + 1 < end ? hexval((unsigned char)p[1]) : -1;
            if (h < 0 || l < 0) {
                snprintf(why, whylen, "bad \\x escape (need two hex digits)");
                return -1;
            }
            v = (char)(h * 16 + l);
            p += 2;
            break;
        }
        case '{': {
            char *e2;
            long cnt = strtol(p, &e2, 10);
            if (e2 == p || cnt < 0 || cnt > MAX_REQUEST || e2 >= end || *e2 != '*') {
                snprintf(why, whylen, "bad repeat: want \\{N*TEXT}");
                return -1;
            }
            p = e2 + 1;
            if (depth > 8) {
                snprintf(why, whylen, "repeats nested too deep");
                return -1;
            }
            struct pn_buf unit;
            pn__buf_init(&unit, MAX_REQUEST);
            if (decode(&p, end, &unit, depth + 1, why, whylen) != 0) {
                pn__buf_fini(&unit);
                return -1;
            }
            if (p > end || p[-1] != '}') {
                pn__buf_fini(&unit);
                snprintf(why, whylen, "unterminated repeat \\{N*...}");
                return -1;
            }
            for (long i = 0; i < cnt && unit.len > 0; i++)
                if (pn__buf_append(out, unit.data, unit.len) != 0) {
                    pn__buf_fini(&unit);
                    goto toobig;
                }
            pn__buf_fini(&unit);
            continue;
        }
        default:
            snprintf(why, whylen, "unknown escape \\%c", e);
            return -1;
        }
        if (pn__buf_putc(out, v) != 0)
            goto toobig;
    }
    if (depth > 0) {
        snprintf(why, whylen, "unterminated repeat \\{N*...}");
        return -1;
    }
    *pp = p;
    return 0;
toobig:
    snprintf(why, whylen, "decoded request larger than %d bytes", MAX_REQUEST);
    return -1;
}

static int decode_value(const char *s, size_t n, struct pn_buf *out, char *why, size_t whylen)
{
    pn__buf_init(out, 64 * 1024);
    const char *p = s;
    return decode(&p, s + n, out, 0, why, whylen);
}

static void kase_fini(struct kase *k)
{
    for (int i = 0; i < k->n_contains; i++)
        pn__buf_fini(&k->contains[i]);
    for (int i = 0; i < k->n_absent; i++)
        pn__buf_fini(&k->absent[i]);
    for (int i = 0; i < k->n_header; i++)
        pn__buf_fini(&k->header[i]);
    for (int i = 0; i < k->n_noheader; i++)
        pn__buf_fini(&k->noheader[i]);
    pn__buf_fini(&k->req);
    pn__buf_fini(&k->ws_path);
    pn__buf_fini(&k->ws_origin);
    pn__buf_fini(&k->ws_headers);
    for (int i = 0; i < k->n_steps; i++)
        pn__buf_fini(&k->steps[i].data);
    for (int i = 0; i < k->n_msg_contains; i++)
        pn__buf_fini(&k->msg_contains[i]);
    for (int i = 0; i < k->n_msg_absent; i++)
        pn__buf_fini(&k->msg_absent[i]);
}

/* Parses a case file's text. Returns 0 or -1 (why). */
static int kase_parse(const char *text, size_t len, struct kase *k, char *why, size_t whylen)
{
    memset(k, 0, sizeof *k);
    k->close = -1;
    pn__buf_init(&k->req, MAX_REQUEST);
    const char *p = text, *end = text + len;
    bool sep = false;
    int lineno = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        const char *next = eol ? eol + 1 : end;
        if (!eol)
            eol = end;
        lineno++;
        const char *le = eol;
        if (le > p && le[-1] == '\r')
            le--;
        size_t n = (size_t)(le - p);
        if (n == 3 && memcmp(p, "---", 3) == 0) {
            p = next;
            sep = true;
            break;
        }
        if (n == 0 || *p == '#') {
            p = next;
            continue;
        }
        const char *colon = memchr(p, ':', n);
        if (!colon) {
            snprintf(why, whylen, "line %d: want 'directive: value' or '---'", lineno);
            return -1;
        }
        size_t klen = (size_t)(colon - p);
        const char *v = colon + 1;
        while (v < le && (*v == ' ' || *v == '\t'))
            v++;
        size_t vlen = (size_t)(le - v);
        while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
            vlen--;
#define KEY(s) (klen == sizeof(s) - 1 && memcmp(p, s, klen) == 0)
        if (KEY("expect")) {
            char tmp[128];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(vlen < 127 ? vlen : 127), v);
            char *save = NULL;
            for (char *t = strtok_r(tmp, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
                if (strcmp(t, "none") == 0) {
                    k->expect_none = true;
                    continue;
                }
                char *e;
                long st = strtol(t, &e, 10);
                if (*e || st < 100 || st > 599 || k->n_expect == 8) {
                    snprintf(why, whylen, "line %d: bad status '%s'", lineno, t);
                    return -1;
                }
                k->expect[k->n_expect++] = (int)st;
            }
        } else if (KEY("expect-contains") || KEY("expect-absent") || KEY("expect-header") ||
                   KEY("expect-no-header")) {
            struct pn_buf *list = KEY("expect-contains") ? k->contains
                                  : KEY("expect-absent") ? k->absent
                                  : KEY("expect-header") ? k->header
                                                         : k->noheader;
            int *cnt = KEY("expect-contains") ? &k->n_contains
                       : KEY("expect-absent") ? &k->n_absent
                       : KEY("expect-header") ? &k->n_header
                                              : &k->n_noheader;
            if (*cnt == MAX_LIST || vlen == 0) {
                snprintf(why, whylen, "line %d: too many or empty", lineno);
                return -1;
            }
            if (decode_value(v, vlen, &list[*cnt], why, whylen) != 0) {
                pn__buf_fini(&list[*cnt]);
                return -1;
            }
            (*cnt)++;
        } else if (KEY("expect-close")) {
            if (vlen == 3 && memcmp(v, "yes", 3) == 0)
                k->close = 1;
            else if (vlen == 2 && memcmp(v, "no", 2) == 0)
                k->close = 0;
            else if (vlen > 0 && isdigit((unsigned char)v[0])) {
                char tmp[128];
                snprintf(tmp, sizeof tmp, "%.*s", (int)(vlen < 127 ? vlen : 127), v);
                char *save = NULL;
                for (char *t = strtok_r(tmp, " ,", &save); t; t = strtok_r(NULL, " ,", &save)) {
                    char *e;
                    long code = strtol(t, &e, 10);
                    if (*e || code < 0 || code > 65535 || k->n_close_codes == 8) {
                        snprintf(why, whylen, "line %d: bad close code '%s'", lineno, t);
                        return -1;
                    }
                    k->close_codes[k->n_close_codes++] = (int)code;
                }
                k->close = 1;
            } else {
                snprintf(why, whylen, "line %d: expect-close: yes|no|CLOSE-CODES", lineno);
                return -1;
            }
        } else if (KEY("websocket") || KEY("ws-origin")) {
            struct pn_buf *b = KEY("websocket") ? &k->ws_path : &k->ws_origin;
            if (vlen == 0 || b->len) {
                snprintf(why, whylen, "line %d: empty or repeated", lineno);
                return -1;
            }
            pn__buf_fini(b);
            if (decode_value(v, vlen, b, why, whylen) != 0)
                return -1;
            if (KEY("websocket"))
                k->ws = true;
            else
                k->ws_origin_set = true;
        } else if (KEY("ws-header")) {
            struct pn_buf h;
            pn__buf_init(&h, 0);
            if (vlen == 0 || decode_value(v, vlen, &h, why, whylen) != 0) {
                if (vlen == 0)
                    snprintf(why, whylen, "line %d: empty ws-header", lineno);
                pn__buf_fini(&h);
                return -1;
            }
            if (!k->ws_headers.max)
                pn__buf_init(&k->ws_headers, 64 * 1024);
            int rc = pn__buf_append(&k->ws_headers, h.data, h.len) |
                     pn__buf_puts(&k->ws_headers, "\r\n");
            pn__buf_fini(&h);
            if (rc != 0) {
                snprintf(why, whylen, "line %d: ws-header lines too long", lineno);
                return -1;
            }
        } else if (KEY("ws-send") || KEY("ws-raw")) {
            if (k->n_steps == MAX_STEPS || vlen == 0) {
                snprintf(why, whylen, "line %d: too many steps or empty", lineno);
                return -1;
            }
            k->steps[k->n_steps].raw = KEY("ws-raw");
            pn__buf_init(&k->steps[k->n_steps].data, MAX_REQUEST);
            if (decode(&(const char *){v}, v + vlen, &k->steps[k->n_steps].data, 0, why,
                       whylen) != 0) {
                pn__buf_fini(&k->steps[k->n_steps].data);
                return -1;
            }
            k->n_steps++;
        } else if (KEY("expect-message-contains") || KEY("expect-message-absent")) {
            bool c = KEY("expect-message-contains");
            struct pn_buf *list = c ? k->msg_contains : k->msg_absent;
            int *cnt = c ? &k->n_msg_contains : &k->n_msg_absent;
            if (*cnt == MAX_LIST || vlen == 0) {
                snprintf(why, whylen, "line %d: too many or empty", lineno);
                return -1;
            }
            if (decode_value(v, vlen, &list[*cnt], why, whylen) != 0) {
                pn__buf_fini(&list[*cnt]);
                return -1;
            }
            (*cnt)++;
        } else {
            snprintf(why, whylen, "line %d: unknown directive '%.*s'", lineno, (int)klen, p);
            return -1;
        }
#undef KEY
        p = next;
    }
    if (!sep) {
        snprintf(why, whylen, "no '---' line before the request");
        return -1;
    }
    if (k->ws && k->n_expect == 0 && !k->expect_none)
        k->expect[k->n_expect++] = 101;
    if (k->n_expect == 0 && !k->expect_none) {
        snprintf(why, whylen, "no 'expect:' directive");
        return -1;
    }
    if (decode(&p, end, &k->req, 0, why, whylen) != 0)
        return -1;
    if (k->req.len == 0 && !k->ws) {
        snprintf(why, whylen, "empty request");
        return -1;
    }
    bool ws_only =
        k->n_steps || k->n_msg_contains || k->n_msg_absent || k->ws_headers.len || k->ws_origin_set;
    if (!k->ws && (ws_only || k->n_close_codes)) {
        snprintf(why, whylen, "ws-*, expect-message-* and close codes need 'websocket:'");
        return -1;
    }
    bool upgrade = false;
    for (int i = 0; i < k->n_expect; i++)
        upgrade |= k->expect[i] == 101;
    if (k->ws && upgrade && (k->n_expect > 1 || k->expect_none)) {
        snprintf(why, whylen, "a WebSocket case expects 101 or a refusal, not both");
        return -1;
    }
    if (k->ws && upgrade && (k->n_contains || k->n_absent || k->n_header || k->n_noheader)) {
        snprintf(why, whylen, "expect-contains/-absent/-header apply to HTTP responses: use "
                              "expect-message-contains/-absent");
        return -1;
    }
    if (k->ws && !upgrade &&
        (k->n_steps || k->n_msg_contains || k->n_msg_absent || k->n_close_codes)) {
        snprintf(why, whylen, "a refused upgrade sends no frames: ws-send/ws-raw, "
                              "expect-message-* and close codes need expect: 101");
        return -1;
    }
    return 0;
}

static bool run_kase(const struct kase *k, char *why, size_t whylen)
{
    struct e2e_conn c;
    struct e2e_resp r;
    if (conn_open(&c) != 0) {
        snprintf(why, whylen, "connect: %s", strerror(errno));
        return false;
    }
    r = (struct e2e_resp){0};
    bool ok = false;
    e2e_conn_send(&c, k->req.data, k->req.len); /* a server may answer before taking it all */
    bool is_head = k->req.len >= 5 && memcmp(k->req.data, "HEAD ", 5) == 0;
    if (read_response(&c, is_head, &r, READ_TIMEOUT_MS, why, whylen) != 0)
        goto out;
    if (k->expect_none && (r.status == 0 || k->n_expect == 0)) {
        if (r.status != 0) {
            snprintf(why, whylen, "expected no response, got %d", r.status);
            goto out;
        }
        ok = true;
        goto out;
    }
    if (r.status == 0) {
        snprintf(why, whylen, "connection closed without a response%s",
                 c.reset ? " (reset)" : "");
        goto out;
    }
    bool st_ok = false;
    for (int i = 0; i < k->n_expect; i++)
        st_ok |= r.status == k->expect[i];
    if (!st_ok) {
        size_t l = strcspn(r.head.data, "\r");
        char list[64] = "";
        int o = 0;
        for (int i = 0; i < k->n_expect && o < 50; i++)
            o += snprintf(list + o, sizeof list - (size_t)o, "%s%d", i ? " or " : "", k->expect[i]);
        if (k->expect_none && o < 50)
            snprintf(list + o, sizeof list - (size_t)o, " or no response");
        snprintf(why, whylen, "status %d ('%s'), expected %s", r.status, e2e_shown(r.head.data, l),
                 list);
        goto out;
    }
    for (int i = 0; i < k->n_contains; i++)
        if (!e2e_find(r.all.data, r.all.len, k->contains[i].data)) {
            snprintf(why, whylen, "response lacks '%s'",
                     e2e_shown(k->contains[i].data, k->contains[i].len));
            goto out;
        }
    for (int i = 0; i < k->n_absent; i++)
        if (e2e_find(r.all.data, r.all.len, k->absent[i].data)) {
            snprintf(why, whylen, "response contains '%s'",
                     e2e_shown(k->absent[i].data, k->absent[i].len));
            goto out;
        }
    for (int i = 0; i < k->n_header; i++) {
        char name[256];
        const char *spec = k->header[i].data;
        const char *colon = strchr(spec, ':');
        size_t nl = colon ? (size_t)(colon - spec) : strlen(spec);
        snprintf(name, sizeof name, "%.*s", (int)nl, spec);
        const char *want = NULL;
        if (colon) {
            want = colon + 1;
            while (*want == ' ')
                want++;
        }
        if (!e2e_header_has(&r, name, want)) {
            snprintf(why, whylen, "no header '%s' in '%s'", e2e_shown(spec, strlen(spec)),
                     e2e_shown(r.head.data, r.head.len));
            goto out;
        }
    }
    for (int i = 0; i < k->n_noheader; i++)
        if (e2e_header_has(&r, k->noheader[i].data, NULL)) {
            snprintf(why, whylen, "the response has a header '%s'", k->noheader[i].data);
            goto out;
        }
    if (k->close == 1) {
        int w = wait_closed(&c, CLOSE_TIMEOUT_MS, why, whylen);
        if (w < 0)
            goto out;
        if (w == 0) {
            snprintf(why, whylen, "connection still open %d ms after the response",
                     CLOSE_TIMEOUT_MS);
            goto out;
        }
    } else if (k->close == 0) {
        if (c.eof || c.in.len > c.off) {
            snprintf(why, whylen, c.eof ? "connection closed after the response"
                                        : "unexpected bytes after the response");
            goto out;
        }
        char req[512];
        snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", srv->path);
        struct e2e_resp r2;
        r2 = (struct e2e_resp){0};
        int rc = e2e_conn_send_str(&c, req);
        if (rc == 0)
            rc = read_response(&c, false, &r2, READ_TIMEOUT_MS, why, whylen);
        int st = r2.status;
        e2e_resp_fini(&r2);
        if (rc != 0 || st != 200) {
            if (rc == 0)
                snprintf(why, whylen, "connection not reusable: second request got %s%d",
                         st ? "" : "no response ", st);
            goto out;
        }
    }
    ok = true;
out:
    e2e_resp_fini(&r);
    e2e_conn_close(&c);
    return ok;
}

#define FAILF(...)                                                                             \
    do {                                                                                       \
        snprintf(why, whylen, __VA_ARGS__);                                                    \
        goto out;                                                                              \
    } while (0)

/* ---- WebSocket cases ----------------------------------------------------------------------- */

struct tokens {
    char page[160];   /* $TOKEN */
    char forged[160]; /* $TOKEN_FORGED */
    char held[160];   /* $TOKEN_HELD */
    struct wsc *holder;
};

static bool buf_has(const struct pn_buf *b, const char *needle)
{
    return b->data && e2e_find(b->data, b->len, needle);
}

/* Copies b into out with $PORT and the $TOKEN* names replaced. */
static void subst(const struct pn_buf *in, const struct tokens *t, struct pn_buf *out)
{
    pn__buf_init(out, MAX_REQUEST + 4096);
    char port[16];
    snprintf(port, sizeof port, "%d", srv->port);
    static const char *const names[] = {"$TOKEN_FORGED", "$TOKEN_HELD", "$TOKEN", "$PORT"};
    const char *vals[] = {t->forged, t->held, t->page, port};
    for (size_t i = 0; i < in->len;) {
        size_t j = 0, n = 0;
        if (in->data[i] == '$')
            for (j = 0; j < 4; j++) {
                n = strlen(names[j]);
                if (i + n <= in->len && memcmp(in->data + i, names[j], n) == 0)
                    break;
            }
        if (in->data[i] == '$' && j < 4) {
            pn__buf_puts(out, vals[j]);
            i += n;
        } else {
            pn__buf_putc(out, in->data[i++]);
        }
    }
}

/* The session token in a freshly fetched page's #pn-data block. */
static bool page_token(char *out, size_t outlen, char *why, size_t whylen)
{
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    if (fetch_get(srv->path, NULL, &r, why, whylen) != 0)
        goto out;
    const char *data = e2e_find(r.body.data, r.body.len, "id=\"pn-data\">");
    const char *tok =
        data ? e2e_find(data, (size_t)(r.body.data + r.body.len - data), "\"token\":\"") : NULL;
    const char *q = tok ? memchr(tok + 9, '"', (size_t)(r.body.data + r.body.len - tok - 9)) : NULL;
    if (r.status != 200 || !q || (size_t)(q - tok - 9) >= outlen || q == tok + 9)
        FAILF("no \"token\":\"...\" in the page's #pn-data block (status %d)", r.status);
    snprintf(out, outlen, "%.*s", (int)(q - tok - 9), tok + 9);
    ok = true;
out:
    e2e_resp_fini(&r);
    return ok;
}

/* Opens a socket on path with the page's Origin (origin NULL) or the given header lines. */
static struct wsc *ws_open(const char *path, const char *headers, int *status, char *why,
                           size_t whylen)
{
    char origin[128], err[256];
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%d\r\n", srv->port);
    struct wsc *w = wsc_connect(&(struct wsc_opts){.port = srv->port,
                                                   .path = path,
                                                   .headers = headers ? headers : origin,
                                                   .timeout_ms = READ_TIMEOUT_MS},
                                status, err, sizeof err);
    if (!w)
        snprintf(why, whylen, "upgrade of %s failed: %s", path, err);
    return w;
}

/* Reads text messages until one contains needle; other messages are skipped. 1: found;
 * 0: the socket closed first (*code: the close code, -1 without a close frame); -1: timeout. */
static int ws_wait_for(struct wsc *w, const char *needle, int timeout_ms, int *code)
{
    long long deadline = e2e_now_ms() + timeout_ms;
    *code = -1;
    for (int i = 0; i < 100000; i++) {
        long long left = deadline - e2e_now_ms();
        struct wsc_msg m;
        int rc = left > 0 ? wsc_recv(w, (int)left, &m) : 0;
        if (rc == 0)
            return -1;
        if (rc < 0)
            return 0;
        bool hit = m.opcode == WSC_TEXT && e2e_find(m.data, m.len, needle);
        bool closed = m.opcode == WSC_CLOSE;
        if (closed)
            *code = m.code;
        wsc_msg_free(&m);
        if (hit)
            return 1;
        if (closed)
            return 0;
    }
    return -1;
}

/* A socket whose hello (with token, or none) got its doc. */
static struct wsc *ws_hello(const char *token, char *why, size_t whylen)
{
    char path[160], hello[300];
    snprintf(path, sizeof path, "%s/ws", srv->path);
    struct wsc *w = ws_open(path, NULL, NULL, why, whylen);
    if (!w)
        return NULL;
    int n = token ? snprintf(hello, sizeof hello,
                             "{\"t\":\"hello\",\"v\":2,\"token\":\"%s\",\"query\":\"\"}", token)
                  : snprintf(hello, sizeof hello, "{\"t\":\"hello\",\"v\":2,\"token\":null}");
    int code;
    int rc = wsc_send_text(w, hello, (size_t)n) == 0
                 ? ws_wait_for(w, "\"t\":\"doc\"", READ_TIMEOUT_MS, &code)
                 : -2;
    if (rc != 1) {
        snprintf(why, whylen, "hello on %s: %s", path,
                 rc == -2  ? "send failed"
                 : rc == 0 ? "closed before the doc"
                           : "no doc within the timeout");
        wsc_free(w);
        return NULL;
    }
    return w;
}

/* Does w still answer a protocol ping? */
static bool ws_alive(struct wsc *w, char *why, size_t whylen)
{
    static unsigned seq;
    char ping[96], marker[64];
    snprintf(marker, sizeof marker, "\"pane-e2e-alive-%u\"", ++seq);
    int n = snprintf(ping, sizeof ping, "{\"t\":\"ping\",\"n\":%s}", marker);
    int code;
    int rc = wsc_send_text(w, ping, (size_t)n) == 0 ? ws_wait_for(w, marker, READ_TIMEOUT_MS, &code)
                                                    : -2;
    if (rc == 1)
        return true;
    snprintf(why, whylen, "%s", rc == -2 ? "send failed" : rc == 0 ? "closed" : "no pong");
    return false;
}

/* After a WebSocket case: a new socket still gets its doc. */
static void ws_health_check(const char *after)
{
    char why[512], name[300];
    struct wsc *w = ws_hello(NULL, why, sizeof why);
    if (w) {
        wsc_free(w);
        return;
    }
    snprintf(name, sizeof name, "%s/websocket-still-serves", after);
    report(name, false, why);
}

/* The refused-upgrade form: the upgrade request as raw bytes, checked as an HTTP case. */
static bool run_ws_refused(const struct kase *k, const struct tokens *t, char *why, size_t whylen)
{
    struct pn_buf path, origin, headers;
    subst(&k->ws_path, t, &path);
    subst(&k->ws_origin, t, &origin);
    subst(&k->ws_headers, t, &headers);
    struct kase k2 = *k;
    pn__buf_init(&k2.req, MAX_REQUEST + 65536);
    pn__buf_printf(&k2.req,
                   "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   "Sec-WebSocket-Version: 13\r\n",
                   path.data, srv->port);
    if (!k->ws_origin_set)
        pn__buf_printf(&k2.req, "Origin: http://127.0.0.1:%d\r\n", srv->port);
    else if (strcmp(origin.data, "none") != 0)
        pn__buf_printf(&k2.req, "Origin: %s\r\n", origin.data);
    pn__buf_append(&k2.req, headers.data, headers.len);
    pn__buf_puts(&k2.req, "\r\n");
    pn__buf_append(&k2.req, k->req.data, k->req.len);
    bool ok = run_kase(&k2, why, whylen);
    pn__buf_fini(&k2.req);
    pn__buf_fini(&path);
    pn__buf_fini(&origin);
    pn__buf_fini(&headers);
    return ok;
}

/* Does any text that gets $-replacements hold needle? */
static bool kase_uses(const struct kase *k, const char *needle)
{
    bool hit = buf_has(&k->ws_path, needle) || buf_has(&k->ws_origin, needle) ||
               buf_has(&k->ws_headers, needle);
    for (int i = 0; i < k->n_steps; i++)
        hit |= !k->steps[i].raw && buf_has(&k->steps[i].data, needle);
    for (int i = 0; i < k->n_msg_contains; i++)
        hit |= buf_has(&k->msg_contains[i], needle);
    for (int i = 0; i < k->n_msg_absent; i++)
        hit |= buf_has(&k->msg_absent[i], needle);
    return hit;
}

static bool run_ws_kase(const struct kase *k, char *why, size_t whylen)
{
    struct tokens t;
    memset(&t, 0, sizeof t);
    bool need = kase_uses(k, "$TOKEN"), held = kase_uses(k, "$TOKEN_HELD");
    if (need && !page_token(t.page, sizeof t.page, why, whylen))
        return false;
    if (need) { /* one character of the signature (after the '.') changed */
        snprintf(t.forged, sizeof t.forged, "%s", t.page);
        char *dot = strchr(t.forged, '.');
        if (!dot || strlen(dot) < 22) {
            snprintf(why, whylen, "token '%s' has no signature part", t.page);
            return false;
        }
        dot[20] = dot[20] == 'A' ? 'B' : 'A';
    }
    if (held) {
        if (!page_token(t.held, sizeof t.held, why, whylen))
            return false;
        char w2[512];
        if (!(t.holder = ws_hello(t.held, w2, sizeof w2))) {
            snprintf(why, whylen, "holding $TOKEN_HELD's session: %s", w2);
            return false;
        }
    }
    if (k->expect[0] != 101 || k->expect_none) {
        bool ok = run_ws_refused(k, &t, why, whylen);
        wsc_free(t.holder);
        return ok;
    }

    bool ok = false;
    struct wsc *w = NULL;
    struct pn_buf path, origin, headers, sendbuf;
    subst(&k->ws_path, &t, &path);
    subst(&k->ws_origin, &t, &origin);
    subst(&k->ws_headers, &t, &headers);
    pn__buf_init(&sendbuf, MAX_REQUEST + 4096);
    struct pn_buf hl;
    pn__buf_init(&hl, 128 * 1024);
    if (!k->ws_origin_set)
        pn__buf_printf(&hl, "Origin: http://127.0.0.1:%d\r\n", srv->port);
    else if (strcmp(origin.data, "none") != 0)
        pn__buf_printf(&hl, "Origin: %s\r\n", origin.data);
    pn__buf_append(&hl, headers.data, headers.len);
    int status = -1;
    w = ws_open(path.data, hl.data ? hl.data : "", &status, why, whylen);
    if (!w)
        goto out;

    bool send_failed = false; /* the server may close before taking every step */
    for (int i = 0; i < k->n_steps && !send_failed; i++) {
        if (k->steps[i].raw) {
            send_failed = wsc_send_raw(w, k->steps[i].data.data, k->steps[i].data.len) != 0;
        } else {
            pn__buf_fini(&sendbuf);
            subst(&k->steps[i].data, &t, &sendbuf);
            send_failed = wsc_send_text(w, sendbuf.data ? sendbuf.data : "", sendbuf.len) != 0;
        }
    }
    if (!send_failed && k->req.len)
        send_failed = wsc_send_raw(w, k->req.data, k->req.len) != 0;

    /* collect messages until the close, or until the answer to our sync ping */
    static unsigned sync_seq;
    char marker[64];
    snprintf(marker, sizeof marker, "\"pane-e2e-sync-%u\"", ++sync_seq);
    bool wait_close = k->close == 1;
    if (!wait_close && !send_failed) {
        char ping[96];
        int n = snprintf(ping, sizeof ping, "{\"t\":\"ping\",\"n\":%s}", marker);
        wsc_send_text(w, ping, (size_t)n); /* a failure shows up as the close below */
    }
    bool sat[MAX_LIST] = {false};
    char summary[600] = "", absent_hit[300] = "";
    size_t slen = 0;
    int nmsg = 0, close_code = -2; /* -2: open; -1: ended without a close frame */
    bool synced = false;
    long long deadline = e2e_now_ms() + READ_TIMEOUT_MS;
    while (close_code == -2 && !synced) {
        long long left = deadline - e2e_now_ms();
        struct wsc_msg m;
        int rc = left > 0 ? wsc_recv(w, (int)left, &m) : 0;
        if (rc == 0)
            break;
        if (rc < 0) {
            close_code = -1;
            break;
        }
        if (m.opcode == WSC_CLOSE) {
            close_code = m.code;
        } else if (m.opcode == WSC_TEXT) {
            nmsg++;
            if (!wait_close && e2e_find(m.data, m.len, marker)) {
                synced = true;
            } else {
                if (slen + 80 < sizeof summary)
                    slen += (size_t)snprintf(summary + slen, sizeof summary - slen, "%s'%s'",
                                             slen ? ", " : "", e2e_shown(m.data, m.len));
                for (int i = 0; i < k->n_msg_contains; i++) {
                    struct pn_buf s;
                    subst(&k->msg_contains[i], &t, &s);
                    sat[i] |= e2e_find(m.data, m.len, s.data) != NULL;
                    pn__buf_fini(&s);
                }
                for (int i = 0; i < k->n_msg_absent && !absent_hit[0]; i++) {
                    struct pn_buf s;
                    subst(&k->msg_absent[i], &t, &s);
                    if (e2e_find(m.data, m.len, s.data))
                        snprintf(absent_hit, sizeof absent_hit, "a message contains '%s': '%s'",
                                 e2e_shown(s.data, s.len), e2e_shown(m.data, m.len));
                    pn__buf_fini(&s);
                }
            }
        }
        wsc_msg_free(&m);
    }
    if (!summary[0])
        snprintf(summary, sizeof summary, "none");

    if (wait_close) {
        if (close_code == -2)
            FAILF("no close within %d ms (messages: %s)", READ_TIMEOUT_MS, summary);
        bool code_ok = k->n_close_codes == 0;
        for (int i = 0; i < k->n_close_codes; i++)
            code_ok |= close_code == k->close_codes[i];
        if (!code_ok) {
            char list[64] = "";
            for (int i = 0, o = 0; i < k->n_close_codes && o < 50; i++)
                o += snprintf(list + o, sizeof list - (size_t)o, "%s%d", i ? " or " : "",
                              k->close_codes[i]);
            if (close_code == -1)
                FAILF("connection ended without a close frame, want close %s (messages: %s)", list,
                      summary);
            FAILF("close code %d, want %s (messages: %s)", close_code, list, summary);
        }
        if (close_code >= 0 && wsc_drain(w, CLOSE_TIMEOUT_MS, NULL) != 0)
            FAILF("TCP connection still open %d ms after the close frame %d", CLOSE_TIMEOUT_MS,
                  close_code);
    } else {
        if (close_code != -2 && k->close == 0)
            FAILF("socket closed (%s%d), want it open (messages: %s)",
                  close_code == -1 ? "no close frame" : "code ", close_code == -1 ? 0 : close_code,
                  summary);
        if (close_code == -2 && !synced)
            FAILF("no answer to the sync ping within %d ms (messages: %s)", READ_TIMEOUT_MS,
                  summary);
    }
    for (int i = 0; i < k->n_msg_contains; i++)
        if (!sat[i])
            FAILF("no message contains '%s' (%d messages: %s%s)",
                  e2e_shown(k->msg_contains[i].data, k->msg_contains[i].len), nmsg, summary,
                  close_code >= 0 ? "; then closed" : "");
    if (absent_hit[0])
        FAILF("%s", absent_hit);
    if (t.holder) {
        char w2[512];
        if (!ws_alive(t.holder, w2, sizeof w2))
            FAILF("the socket holding $TOKEN_HELD's session lost it: %s", w2);
    }
    ok = true;
out:
    wsc_free(w);
    wsc_free(t.holder);
    pn__buf_fini(&path);
    pn__buf_fini(&origin);
    pn__buf_fini(&headers);
    pn__buf_fini(&sendbuf);
    pn__buf_fini(&hl);
    return ok;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_case_files(void)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/tests/e2e/cases", e2e.source_dir);
    DIR *d = opendir(dir);
    if (!d) {
        char why[PATH_MAX + 64];
        snprintf(why, sizeof why, "cannot open %s: %s", dir, strerror(errno));
        report("cases", false, why);
        return;
    }
    char *names[1024];
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 1024) {
        size_t l = strlen(e->d_name);
        if (l > 8 && isdigit((unsigned char)e->d_name[0]) && strcmp(e->d_name + l - 4, ".txt") == 0)
            names[n++] = pn__xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, name_cmp);
    if (n == 0)
        report("cases", false, "no case files found");
    for (size_t i = 0; i < n; i++) {
        char name[256], path[PATH_MAX + 300], why[1024] = "";
        snprintf(name, sizeof name, "%.*s", (int)(strlen(names[i]) - 4), names[i]);
        free(names[i]);
        if (!e2e_selected(name))
            continue;
        snprintf(path, sizeof path, "%s/%s.txt", dir, name);
        FILE *f = fopen(path, "rb");
        if (!f) {
            snprintf(why, sizeof why, "cannot open: %s", strerror(errno));
            report(name, false, why);
            continue;
        }
        char *text = pn__xmalloc(MAX_CASE_FILE);
        size_t len = fread(text, 1, MAX_CASE_FILE, f);
        fclose(f);
        struct kase k;
        if (kase_parse(text, len, &k, why, sizeof why) != 0) {
            char msg[1100];
            snprintf(msg, sizeof msg, "case file format: %s", why);
            report(name, false, msg);
        } else {
            report(name, k.ws ? run_ws_kase(&k, why, sizeof why) : run_kase(&k, why, sizeof why),
                   why);
        }
        bool ws = k.ws;
        kase_fini(&k);
        free(text);
        health_check(name);
        if (ws)
            ws_health_check(name);
    }
}

/* ---- built-in checks ----------------------------------------------------------------------- */

/* Does the class attribute starting at p (just after `class="`) have the token cls? */
static bool class_has(const char *p, const char *end, const char *cls)
{
    const char *q = memchr(p, '"', (size_t)(end - p));
    if (!q)
        return false;
    size_t cl = strlen(cls);
    while (p < q) {
        while (p < q && *p == ' ')
            p++;
        const char *t = p;
        while (p < q && *p != ' ')
            p++;
        if ((size_t)(p - t) == cl && memcmp(t, cls, cl) == 0)
            return true;
    }
    return false;
}

/* Position just after the `>` of the nth (from 0) element whose class has cls, from start.
 * NULL if none. */
static const char *nth_class(const char *s, size_t n, const char *cls, int nth)
{
    const char *p = s, *end = s + n;
    for (;;) {
        const char *c = e2e_find(p, (size_t)(end - p), "class=\"");
        if (!c)
            return NULL;
        c += 7;
        if (class_has(c, end, cls) && nth-- == 0) {
            const char *gt = memchr(c, '>', (size_t)(end - c));
            return gt ? gt + 1 : NULL;
        }
        p = c;
    }
}

static int count_class(const char *s, size_t n, const char *cls)
{
    int k = 0;
    while (nth_class(s, n, cls, k))
        k++;
    return k;
}

/* The text from p to the next '<', copied into out (NUL-terminated). */
static void text_at(const char *p, const char *end, char *out, size_t outlen)
{
    const char *lt = memchr(p, '<', (size_t)(end - p));
    size_t l = lt ? (size_t)(lt - p) : 0;
    if (l >= outlen)
        l = outlen - 1;
    memcpy(out, p, l);
    out[l] = 0;
}

/* "N<suffix>" with lo <= N <= hi */
static bool number_with_unit(const char *text, const char *suffix, long lo, long hi)
{
    char *e;
    errno = 0;
    long v = strtol(text, &e, 10);
    return e != text && errno == 0 && v >= lo && v <= hi && strcmp(e, suffix) == 0 &&
           (isdigit((unsigned char)text[0]) || text[0] == '-');
}

/* Checks the weather page for the given city (already HTML-escaped as it should appear). */
static bool check_page(const struct e2e_resp *r, const char *city_html, char *why, size_t whylen)
{
    const char *b = r->body.data;
    size_t n = r->body.len;
    const char *end = b + n;
    char want[1024], text[256];
    if (r->status != 200)
        FAILF("status %d", r->status);
    if (!e2e_header_has(r, "content-type", "text/html"))
        FAILF("Content-Type is not text/html");
    if (!e2e_header_has(r, "date", NULL))
        FAILF("no Date header");
    if (!e2e_header_has(r, "server", "pane"))
        FAILF("no 'Server: pane' header");
    snprintf(want, sizeof want, "<title>%s Weather</title>", city_html);
    if (!e2e_find(b, n, want))
        FAILF("no %s", want);
    /* <header class="pn-header" ...> (other attributes allowed) holding exactly the h1 */
    const char *hdr = e2e_find(b, n, "<header");
    const char *hdr_gt = hdr ? memchr(hdr, '>', (size_t)(end - hdr)) : NULL;
    const char *hdr_cls = hdr_gt ? e2e_find(hdr, (size_t)(hdr_gt - hdr), "class=\"") : NULL;
    if (!hdr_gt || !hdr_cls || !class_has(hdr_cls + 7, hdr_gt, "pn-header"))
        FAILF("no <header class=\"pn-header\">");
    /* the title, then the theme switch (a button and nothing else) */
    snprintf(want, sizeof want, "<h1 class=\"pn-header-title\">%s Weather</h1>", city_html);
    static const char toggle[] = "<button type=\"button\" class=\"pn-theme-toggle\"";
    const char *after = hdr_gt + 1 + strlen(want);
    const char *btn_end = after < end ? e2e_find(after, (size_t)(end - after), "</button>") : NULL;
    if ((size_t)(end - hdr_gt - 1) < strlen(want) + sizeof toggle ||
        memcmp(hdr_gt + 1, want, strlen(want)) != 0 ||
        memcmp(after, toggle, sizeof toggle - 1) != 0 || !btn_end ||
        (size_t)(end - btn_end) < 18 || memcmp(btn_end, "</button></header>", 18) != 0)
        FAILF("<header class=\"pn-header\"> does not hold exactly %s and the theme switch: "
              "'%s'", want, e2e_shown(hdr_gt + 1, (size_t)(end - hdr_gt - 1)));
    const char *main_at = e2e_find(b, n, "<main class=\"pn-main\" id=\"pn-main\">");
    const char *main_end = e2e_find(b, n, "</main>");
    if (!main_at || !main_end || main_end < main_at)
        FAILF("no <main class=\"pn-main\" id=\"pn-main\">...</main>");
    size_t mlen = (size_t)(main_end - main_at);
    if (count_class(main_at, mlen, "pn-row") < 1)
        FAILF("no .pn-row in main");
    if (count_class(main_at, mlen, "pn-card") != 2)
        FAILF("%d .pn-card in main, want 2", count_class(main_at, mlen, "pn-card"));
    const char *row = nth_class(main_at, mlen, "pn-row", 0);
    const char *card1 = nth_class(main_at, mlen, "pn-card", 0);
    const char *card2 = nth_class(main_at, mlen, "pn-card", 1);
    static const char *const names[2] = {"Temperature", "Humidity"};
    const char *at[2];
    for (int i = 0; i < 2; i++) {
        const char *nm = nth_class(main_at, mlen, "pn-number-name", i);
        const char *val = nth_class(main_at, mlen, "pn-number-value", i);
        if (!nm || !val)
            FAILF("number %d lacks .pn-number-name or .pn-number-value", i + 1);
        text_at(nm, end, text, sizeof text);
        if (strcmp(text, names[i]) != 0)
            FAILF("number %d is named '%s', want '%s'", i + 1, text, names[i]);
        text_at(val, end, text, sizeof text);
        bool ok = i == 0 ? number_with_unit(text, " \xc2\xb0" "C", -20, 45)
                         : number_with_unit(text, "%", 0, 100);
        if (!ok)
            FAILF("%s value '%s' is not %s", names[i], e2e_shown(text, strlen(text)),
                  i == 0 ? "an integer in -20..45 then ' \xc2\xb0" "C'"
                         : "an integer in 0..100 then '%'");
        at[i] = nm;
    }
    if (count_class(main_at, mlen, "pn-number") != 2)
        FAILF("%d .pn-number in main, want 2", count_class(main_at, mlen, "pn-number"));
    if (!(row < card1 && card1 < at[0] && at[0] < card2 && card2 < at[1]))
        FAILF("order is not row > card(Temperature), card(Humidity)");
    return true;
out:
    return false;
}

/* Finds /static/<16 hex>/pane.css in the page. */
static bool css_path(const struct e2e_resp *r, char *out, size_t outlen)
{
    const char *p = r->body.data, *end = p + r->body.len;
    while ((p = e2e_find(p, (size_t)(end - p), "/static/"))) {
        const char *h = p + 8;
        int k = 0;
        while (h + k < end && k < 17 && isxdigit((unsigned char)h[k]))
            k++;
        if (k == 16 && end - h > 25 && memcmp(h + 16, "/pane.css", 9) == 0) {
            snprintf(out, outlen, "%.*s", (int)(h + 25 - p), p);
            return true;
        }
        p = h;
    }
    return false;
}

static int gunzip(const char *in, size_t n, struct pn_buf *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return -1;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)n;
    int rc;
    do {
        char b[16384];
        z.next_out = (Bytef *)b;
        z.avail_out = sizeof b;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        if (pn__buf_append(out, b, sizeof b - z.avail_out) != 0) {
            rc = Z_MEM_ERROR;
            break;
        }
    } while (rc != Z_STREAM_END);
    bool ok = rc == Z_STREAM_END && z.avail_in == 0;
    inflateEnd(&z);
    return ok ? 0 : -1;
}

/* Copies s with every word ([A-Za-z0-9_-]+) that contains a digit or is 16 bytes or longer
 * replaced by '#': two renders of the page differ in their random numbers and their session
 * tokens (base64url), not in anything else. */
static void mask_numbers(const char *s, size_t n, struct pn_buf *out)
{
    size_t i = 0;
    while (i < n) {
        if (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_') {
            size_t j = i;
            bool digit = false;
            while (j < n && (isalnum((unsigned char)s[j]) || s[j] == '-' || s[j] == '_'))
                digit |= isdigit((unsigned char)s[j++]) != 0;
            if (digit || j - i >= 16)
                pn__buf_putc(out, '#');
            else
                pn__buf_append(out, s + i, j - i);
            i = j;
        } else {
            pn__buf_putc(out, s[i++]);
        }
    }
}

static bool chk_page(char *why, size_t whylen)
{
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    if (fetch_get(srv->path, NULL, &r, why, whylen) != 0)
        goto out;
    ok = check_page(&r, "Berlin", why, whylen);
out:
    e2e_resp_fini(&r);
    return ok;
}

static bool chk_city_paris(char *why, size_t whylen)
{
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    char t[300];
    snprintf(t, sizeof t, "%s?city=Paris", srv->path);
    if (fetch_get(t, NULL, &r, why, whylen) != 0)
        goto out;
    ok = check_page(&r, "Paris", why, whylen);
out:
    e2e_resp_fini(&r);
    return ok;
}

static bool xss_one(const char *payload_enc, const char *escaped_part, char *why, size_t whylen)
{
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    char t[600];
    snprintf(t, sizeof t, "%s?city=%s", srv->path, payload_enc);
    if (fetch_get(t, NULL, &r, why, whylen) != 0)
        goto out;
    if (r.status != 200)
        FAILF("%s: status %d", payload_enc, r.status);
    const char *b = r.body.data;
    size_t n = r.body.len;
    /* (the page's own <svg>s are the theme switch's icons, without attributes but these) */
    static const char *const bad[] = {"<script>alert", "<img", "<svg onload",
                                      "onerror=alert(1)>", "</title><script"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (e2e_find(b, n, bad[i]))
            FAILF("%s: body contains '%s'", payload_enc, bad[i]);
    const char *title = e2e_find(b, n, "<title>");
    const char *title_end = title ? e2e_find(title, (size_t)(b + n - title), "</title>") : NULL;
    if (!title || !title_end || !e2e_find(title, (size_t)(title_end - title), escaped_part))
        FAILF("%s: title does not show the payload as text (want '%s' in it)", payload_enc,
              escaped_part);
    const char *h1 = e2e_find(b, n, "class=\"pn-header-title\">");
    const char *h1_end = h1 ? e2e_find(h1, (size_t)(b + n - h1), "</h1>") : NULL;
    if (!h1 || !h1_end || !e2e_find(h1, (size_t)(h1_end - h1), escaped_part))
        FAILF("%s: header does not show the payload as text", payload_enc);
    ok = true;
out:
    e2e_resp_fini(&r);
    return ok;
}

static bool chk_xss(char *why, size_t whylen)
{
    return xss_one("%3Cscript%3Ealert(1)%3C%2Fscript%3E", "&lt;script&gt;alert(1)&lt;", why,
                   whylen) &&
           xss_one("%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E", "&lt;img src=x", why,
                   whylen) &&
           xss_one("%3C%2Ftitle%3E%3Cscript%3Ealert(2)%3C%2Fscript%3E", "&lt;/title&gt;", why,
                   whylen) &&
           xss_one("%27%22%3E%3Csvg%20onload%3Dalert(3)%3E", "&gt;&lt;svg", why, whylen);
}

static bool chk_keepalive(char *why, size_t whylen)
{
    struct e2e_conn c;
    struct e2e_resp r1, r2;
    r1 = (struct e2e_resp){0};
    r2 = (struct e2e_resp){0};
    bool ok = false;
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", srv->path);
    if (conn_open(&c) != 0) {
        snprintf(why, whylen, "connect failed");
        goto out0;
    }
    if (e2e_conn_send_str(&c, req) || read_response(&c, false, &r1, READ_TIMEOUT_MS, why, whylen))
        goto out;
    if (r1.status != 200)
        FAILF("first: %d", r1.status);
    if (e2e_header_has(&r1, "connection", "close"))
        FAILF("first response says Connection: close");
    if (!r1.has_body_framing)
        FAILF("first response has neither Content-Length nor chunked");
    if (e2e_conn_send_str(&c, req))
        FAILF("second send failed: %s", strerror(errno));
    if (read_response(&c, false, &r2, READ_TIMEOUT_MS, why, whylen))
        goto out;
    if (r2.status != 200)
        FAILF("second: %s", r2.status ? "not 200" : "connection was closed");
    ok = check_page(&r2, "Berlin", why, whylen);
out:
    e2e_conn_close(&c);
out0:
    e2e_resp_fini(&r1);
    e2e_resp_fini(&r2);
    return ok;
}

static bool chk_http10_keepalive(char *why, size_t whylen)
{
    struct e2e_conn c;
    struct e2e_resp r1, r2;
    r1 = (struct e2e_resp){0};
    r2 = (struct e2e_resp){0};
    bool ok = false;
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", srv->path);
    if (conn_open(&c) != 0) {
        snprintf(why, whylen, "connect failed");
        goto out0;
    }
    if (e2e_conn_send_str(&c, req) || read_response(&c, false, &r1, READ_TIMEOUT_MS, why, whylen))
        goto out;
    if (r1.status != 200)
        FAILF("first: %d", r1.status);
    if (!e2e_header_has(&r1, "content-length", NULL))
        FAILF("no Content-Length in a kept-alive HTTP/1.0 response");
    if (e2e_conn_send_str(&c, req) || read_response(&c, false, &r2, READ_TIMEOUT_MS, why, whylen))
        goto out;
    if (r2.status != 200)
        FAILF("second request: %s", r2.status ? "not 200" : "connection was closed");
    ok = true;
out:
    e2e_conn_close(&c);
out0:
    e2e_resp_fini(&r1);
    e2e_resp_fini(&r2);
    return ok;
}

static bool chk_pipelining(char *why, size_t whylen)
{
    struct e2e_conn c;
    struct e2e_resp r[3];
    for (int i = 0; i < 3; i++)
        r[i] = (struct e2e_resp){0};
    bool ok = false;
    char req[1024];
    snprintf(req, sizeof req,
             "GET %s?city=Oslo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET /no-such-page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
             "GET %s?city=Paris HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
             srv->path, srv->path);
    if (conn_open(&c) != 0) {
        snprintf(why, whylen, "connect failed");
        goto out0;
    }
    if (e2e_conn_send_str(&c, req)) /* one write: three requests */
        FAILF("send failed");
    for (int i = 0; i < 3; i++) {
        char w2[512] = "";
        if (read_response(&c, false, &r[i], READ_TIMEOUT_MS, w2, sizeof w2))
            FAILF("response %d: %s", i + 1, w2);
        if (r[i].status == 0)
            FAILF("connection closed after %d of 3 responses", i);
    }
    if (r[0].status != 200 || r[1].status != 404 || r[2].status != 200)
        FAILF("statuses %d %d %d, want 200 404 200", r[0].status, r[1].status, r[2].status);
    if (!check_page(&r[0], "Oslo", why, whylen))
        goto out;
    if (!check_page(&r[2], "Paris", why, whylen))
        goto out;
    ok = true;
out:
    e2e_conn_close(&c);
out0:
    for (int i = 0; i < 3; i++)
        e2e_resp_fini(&r[i]);
    return ok;
}

static bool chk_head(char *why, size_t whylen)
{
    struct e2e_conn c;
    struct e2e_resp r1, r2;
    r1 = (struct e2e_resp){0};
    r2 = (struct e2e_resp){0};
    bool ok = false;
    char req[512];
    if (conn_open(&c) != 0) {
        snprintf(why, whylen, "connect failed");
        goto out0;
    }
    snprintf(req, sizeof req, "HEAD %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", srv->path);
    if (e2e_conn_send_str(&c, req) || read_response(&c, true, &r1, READ_TIMEOUT_MS, why, whylen))
        goto out;
    if (r1.status != 200)
        FAILF("HEAD: %d", r1.status);
    size_t n;
    const char *cl = e2e_resp_header(&r1, "content-length", &n);
    if (!cl || strtol(cl, NULL, 10) <= 0)
        FAILF("HEAD: no positive Content-Length");
    if (!e2e_header_has(&r1, "content-type", "text/html"))
        FAILF("HEAD: Content-Type is not text/html");
    /* no body may follow: nothing arrives, and the next response starts right away */
    int f = e2e_conn_fill(&c, e2e_now_ms() + 300);
    if (f == 1 || c.in.len > c.off)
        FAILF("HEAD: body bytes followed: '%s'", e2e_shown(c.in.data + c.off, c.in.len - c.off));
    if (f == 0)
        FAILF("HEAD: connection closed after the response");
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", srv->path);
    if (e2e_conn_send_str(&c, req) || read_response(&c, false, &r2, READ_TIMEOUT_MS, why, whylen))
        goto out;
    ok = check_page(&r2, "Berlin", why, whylen);
out:
    e2e_conn_close(&c);
out0:
    e2e_resp_fini(&r1);
    e2e_resp_fini(&r2);
    return ok;
}

static bool chk_gzip_page(char *why, size_t whylen)
{
    struct e2e_resp plain, gz;
    struct pn_buf html, m1, m2;
    plain = (struct e2e_resp){0};
    gz = (struct e2e_resp){0};
    pn__buf_init(&html, MAX_RESPONSE);
    pn__buf_init(&m1, MAX_RESPONSE);
    pn__buf_init(&m2, MAX_RESPONSE);
    bool ok = false;
    if (fetch_get(srv->path, NULL, &plain, why, whylen))
        goto out;
    if (e2e_header_has(&plain, "content-encoding", NULL))
        FAILF("Content-Encoding sent to a client that did not ask for gzip");
    if (fetch_get(srv->path, "Accept-Encoding: gzip, deflate, br\r\n", &gz, why, whylen))
        goto out;
    if (gz.status != 200)
        FAILF("status %d", gz.status);
    if (!e2e_header_has(&gz, "content-encoding", "gzip"))
        FAILF("no Content-Encoding: gzip");
    if (gunzip(gz.body.data, gz.body.len, &html) != 0)
        FAILF("body does not inflate as gzip");
    mask_numbers(plain.body.data, plain.body.len, &m1);
    mask_numbers(html.data, html.len, &m2);
    if (!pn__str_eq((pn_str){m1.data, m1.len}, (pn_str){m2.data, m2.len})) {
        size_t i = 0;
        while (i < m1.len && i < m2.len && m1.data[i] == m2.data[i])
            i++;
        FAILF("inflated page differs from the identity page (beyond numbers) at byte %zu: '%s' "
              "vs '%s'",
              i, e2e_shown(m1.data + i, m1.len - i), e2e_shown(m2.data + i, m2.len - i));
    }
    /* also a real page */
    struct e2e_resp fake = gz;
    fake.body = html;
    ok = check_page(&fake, "Berlin", why, whylen);
out:
    e2e_resp_fini(&plain);
    e2e_resp_fini(&gz);
    pn__buf_fini(&html);
    pn__buf_fini(&m1);
    pn__buf_fini(&m2);
    return ok;
}

static char css_url[128];

static bool get_css_url(char *why, size_t whylen)
{
    if (css_url[0])
        return true;
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    if (fetch_get(srv->path, NULL, &r, why, whylen))
        goto out;
    if (!css_path(&r, css_url, sizeof css_url))
        FAILF("page has no /static/<16 hex>/pane.css");
    ok = true;
out:
    e2e_resp_fini(&r);
    return ok;
}

static bool chk_static_css(char *why, size_t whylen)
{
    struct e2e_resp r, r304, gz;
    struct pn_buf css;
    r = (struct e2e_resp){0};
    r304 = (struct e2e_resp){0};
    gz = (struct e2e_resp){0};
    pn__buf_init(&css, MAX_RESPONSE);
    bool ok = false;
    if (!get_css_url(why, whylen))
        goto out;
    if (fetch_get(css_url, NULL, &r, why, whylen))
        goto out;
    if (r.status != 200)
        FAILF("GET %s: %d", css_url, r.status);
    if (!e2e_header_has(&r, "content-type", "text/css"))
        FAILF("Content-Type is not text/css");
    if (r.body.len == 0)
        FAILF("empty stylesheet");
    if (!e2e_header_has(&r, "cache-control", "immutable") ||
        !e2e_header_has(&r, "cache-control", "max-age=31536000"))
        FAILF("Cache-Control lacks 'max-age=31536000' and 'immutable'");
    size_t n;
    const char *etag = e2e_resp_header(&r, "etag", &n);
    if (!etag || n == 0 || n > 100)
        FAILF("no ETag");
    char hdr[256];
    snprintf(hdr, sizeof hdr, "If-None-Match: %.*s\r\n", (int)n, etag);
    if (fetch_get(css_url, hdr, &r304, why, whylen))
        goto out;
    if (r304.status != 304)
        FAILF("If-None-Match with its ETag gave %d, want 304", r304.status);
    if (!e2e_header_has(&r304, "etag", NULL))
        FAILF("304 without ETag");
    /* gzip variant: exactly the same bytes once inflated */
    if (fetch_get(css_url, "Accept-Encoding: gzip\r\n", &gz, why, whylen))
        goto out;
    if (gz.status != 200 || !e2e_header_has(&gz, "content-encoding", "gzip"))
        FAILF("Accept-Encoding: gzip gave %d without Content-Encoding: gzip", gz.status);
    if (gunzip(gz.body.data, gz.body.len, &css) != 0)
        FAILF("gzip body does not inflate");
    if (css.len != r.body.len || memcmp(css.data, r.body.data, css.len) != 0)
        FAILF("inflated CSS (%zu bytes) differs from identity CSS (%zu bytes)", css.len,
              r.body.len);
    ok = true;
out:
    e2e_resp_fini(&r);
    e2e_resp_fini(&r304);
    e2e_resp_fini(&gz);
    pn__buf_fini(&css);
    return ok;
}

/* RFC 9110 §12.5.5: a response that depends on Accept-Encoding carries Vary: Accept-Encoding,
 * or shared caches hand gzip to clients that did not ask for it. */
static bool chk_vary(char *why, size_t whylen)
{
    struct e2e_resp r, p;
    r = (struct e2e_resp){0};
    p = (struct e2e_resp){0};
    bool ok = false;
    if (!get_css_url(why, whylen))
        goto out;
    if (fetch_get(css_url, "Accept-Encoding: gzip\r\n", &r, why, whylen))
        goto out;
    if (!e2e_header_has(&r, "vary", "accept-encoding"))
        FAILF("%s with gzip: no 'Vary: Accept-Encoding'", css_url);
    if (fetch_get(srv->path, "Accept-Encoding: gzip\r\n", &p, why, whylen))
        goto out;
    if (e2e_header_has(&p, "content-encoding", "gzip") && !e2e_header_has(&p, "vary", "accept-encoding"))
        FAILF("%s with gzip: no 'Vary: Accept-Encoding'", srv->path);
    ok = true;
out:
    e2e_resp_fini(&r);
    e2e_resp_fini(&p);
    return ok;
}

static bool chk_404(char *why, size_t whylen)
{
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    if (fetch_get("/definitely/not/here", NULL, &r, why, whylen))
        goto out;
    if (r.status != 404)
        FAILF("status %d, want 404", r.status);
    ok = true;
out:
    e2e_resp_fini(&r);
    return ok;
}

static bool chk_405(char *why, size_t whylen)
{
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    bool ok = false;
    char req[512];
    snprintf(req, sizeof req,
             "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\n\r\na=1", srv->path);
    if (fetch(req, &r, why, whylen))
        goto out;
    if (r.status != 405)
        FAILF("POST: status %d, want 405", r.status);
    size_t n;
    const char *allow = e2e_resp_header(&r, "allow", &n);
    if (!allow || n != 9 || memcmp(allow, "GET, HEAD", 9) != 0)
        FAILF("Allow is '%s', want 'GET, HEAD'", allow ? e2e_shown(allow, n) : "(none)");
    ok = true;
out:
    e2e_resp_fini(&r);
    return ok;
}

/* A client that trickles its headers more slowly than --header-timeout is cut off, and the
 * server keeps serving others meanwhile. */
static bool chk_slowloris(char *why, size_t whylen)
{
    struct e2e_conn c;
    bool ok = false;
    if (conn_open(&c) != 0) {
        snprintf(why, whylen, "connect failed");
        return false;
    }
    long long t0 = e2e_now_ms();
    char first[300];
    snprintf(first, sizeof first, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n", srv->path);
    e2e_conn_send_str(&c, first);
    const char drip[] = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    bool closed = false, served_other = false;
    long long limit = t0 + HEADER_TIMEOUT_MS + CLOSE_TIMEOUT_MS;
    for (size_t i = 0; e2e_now_ms() < limit; i++) {
        if (send(c.fd, &drip[i % (sizeof drip - 1)], 1, MSG_NOSIGNAL) != 1) {
            closed = true; /* reset by the server */
            break;
        }
        int f = e2e_conn_fill(&c, e2e_now_ms() + 200);
        if (f == 0) {
            closed = true;
            break;
        }
        if (!served_other && e2e_now_ms() - t0 > HEADER_TIMEOUT_MS / 2) {
            struct e2e_resp r;
            r = (struct e2e_resp){0};
            char w2[512];
            if (fetch_get(srv->path, NULL, &r, w2, sizeof w2) == 0 && r.status == 200)
                served_other = true;
            e2e_resp_fini(&r);
            if (!served_other)
                FAILF("a normal request failed while a slow client was connected: %s", w2);
        }
    }
    long long took = e2e_now_ms() - t0;
    if (!closed)
        FAILF("slow client still connected after %lld ms (--header-timeout %d)", took,
              HEADER_TIMEOUT_MS);
    if (!served_other)
        FAILF("closed before the other request was tried (after %lld ms)", took);
    if (took < HEADER_TIMEOUT_MS / 2)
        FAILF("closed after only %lld ms", took);
    if (c.in.len > c.off && strncmp(c.in.data + c.off, "HTTP/1.1 408", 12) != 0)
        FAILF("sent '%s' rather than nothing or 408", e2e_shown(c.in.data + c.off, c.in.len - c.off));
    ok = true;
out:
    e2e_conn_close(&c);
    return ok;
}

/* /proc figures of the server: its open descriptors and resident memory (KiB), summed over
 * its processes; -1 if unknown. */
static long server_fds(void)
{
    return e2e_server_fds(srv);
}

static long server_rss_kib(void)
{
    return e2e_server_rss_kib(srv);
}

/* A client that pipelines requests (for the stylesheet) and never reads a response: the kernel's
 * buffers fill, then pane's write waits; pane answers one request at a time, so
 * what it holds for the connection is bounded (the input buffer pauses reading when full, one
 * response is in flight); others are served meanwhile; and once the response has not been read
 * for --idle-timeout the connection is closed and its descriptor freed. */
static bool slow_reader(char *why, size_t whylen)
{
    bool ok = false;
    long fd0 = server_fds(), rss0 = server_rss_kib();
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small); /* before connect: the window */
    struct sockaddr_in a = server_addr();
    if (fd < 0 || (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS))
        FAILF("connect: %s", strerror(errno));
    struct pollfd pw = {fd, POLLOUT, 0};
    if (poll(&pw, 1, READ_TIMEOUT_MS) != 1)
        FAILF("connect did not complete");
    char req[256];
    int rl = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", css_url);
    /* pipeline until the connection takes no more bytes for 500 ms (pane's read-ahead and the
     * kernel's buffers on both sides are full), or 100,000 requests, or 5 s */
    long sent = 0, max_sent = 100000L * rl;
    long long t0 = e2e_now_ms(), last_progress = t0;
    while (sent < max_sent && e2e_now_ms() - t0 < 5000 && e2e_now_ms() - last_progress < 500) {
        ssize_t w = send(fd, req + sent % rl, (size_t)(rl - sent % rl), MSG_NOSIGNAL);
        if (w > 0) {
            sent += w;
            last_progress = e2e_now_ms();
        } else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = {fd, POLLOUT, 0};
            poll(&p, 1, 50);
        } else {
            FAILF("send: %s after %ld bytes", w < 0 ? strerror(errno) : "0", sent);
        }
    }
    long rss1 = server_rss_kib();
    if (sent >= max_sent)
        FAILF("the connection took 100,000 pipelined requests (%ld bytes) without a response "
              "being read (pane RSS %+ld KiB)",
              sent, rss1 - rss0);
    /* read-ahead is 16 KiB; the buffer could hold 1 MiB. Checked in plain builds: under a
     * wrapper RSS is the wrapper's (valgrind's translations and shadow memory grow as new code
     * runs), and under ASan freed memory waits in its quarantine. */
    if (!wrapped && !SANITIZED && rss0 > 0 && rss1 - rss0 > 512)
        FAILF("pane grew by %ld KiB for one client that does not read", rss1 - rss0);
    struct e2e_resp r;
    r = (struct e2e_resp){0};
    char w2[1024] = "";
    bool served = fetch_get(srv->path, NULL, &r, w2, sizeof w2) == 0 &&
                  check_page(&r, "Berlin", w2, sizeof w2);
    e2e_resp_fini(&r);
    if (!served)
        FAILF("a page while a client does not read: %s", w2);
    /* the unread response: closed after --idle-timeout (the write timeout). Once that has
     * passed, the client, reading at last, finds the end of the stream (a reset: pane closed with
     * requests unread) after at most what was already written; were the connection still open,
     * reading would let pane answer the tens of thousands of requests still queued */
    long fd1 = server_fds();
    e2e_sleep_ms(IDLE_TIMEOUT_MS + 1000 * tscale);
    long fd2 = server_fds();
    long drained = 0;
    bool end = false;
    for (long long until = e2e_now_ms() + READ_TIMEOUT_MS; !end && e2e_now_ms() < until;) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 200) <= 0)
            continue;
        char buf[65536];
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n > 0)
            drained += n;
        else if (n == 0 || (errno != EAGAIN && errno != EINTR))
            end = true; /* FIN, or RST */
        if (drained > 64L << 20)
            break;
    }
    if (!end)
        FAILF("no end of stream after %ld bytes read, %d ms after the client stopped "
              "(--idle-timeout %d; pane's descriptors %ld -> %ld -> %ld)",
              drained, IDLE_TIMEOUT_MS + 1000 * tscale, IDLE_TIMEOUT_MS, fd0, fd1, fd2);
    printf("# slow reader: the connection took %ld bytes (%ld requests) before it stopped; pane "
           "RSS %+ld KiB; closed after --idle-timeout (descriptors %ld -> %ld -> %ld), then %ld "
           "bytes of responses and the end\n",
           sent, sent / rl, rss1 - rss0, fd0, fd1, fd2, drained);
    ok = true;
out:
    if (fd >= 0)
        close(fd);
    return ok;
}

/* On a server of its own with a short --idle-timeout (the main one keeps the default 30 s, which
 * idle-5000 relies on): srv points at it for the check, then back. */
static bool chk_slow_reader(char *why, size_t whylen)
{
    if (!get_css_url(why, whylen)) /* the stylesheet: a response of some KiB, no session */
        return false;
    srv = &S_SLOW;
    idle_timeout_arg = IDLE_TIMEOUT_MS;
    bool ok = server_start(why, whylen) == 0;
    idle_timeout_arg = 0;
    if (ok) {
        ok = slow_reader(why, whylen);
        int st = server_stop(SIGTERM);
        if (ok && st != 0) {
            snprintf(why, whylen, "its server's exit status after SIGTERM: %d", st);
            ok = false;
        }
    }
    srv = &S_MAIN;
    return ok;
}

/* 5,000 idle connections held open (connected, nothing sent: the idle timeout, 30 s, applies;
 * a trickled head is the slowloris check's): pane accepts and holds them all, a normal client
 * still gets pages meanwhile, and the idle ones still work when they finally send a request. */
#define IDLE_CONNS 5000
static bool chk_idle_5000(char *why, size_t whylen)
{
    static int fds[IDLE_CONNS];
    int n = 0;
    bool ok = false;
    long fd0 = server_fds(), rss0 = server_rss_kib();
    long long t0 = e2e_now_ms();
    for (; n < IDLE_CONNS; n++) {
        int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            FAILF("socket %d: %s (raise ulimit -n: this check needs %d descriptors)", n,
                  strerror(errno), IDLE_CONNS + 100);
        struct sockaddr_in a = server_addr();
        if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
            int e = errno;
            close(fd);
            FAILF("connect %d: %s", n, strerror(e));
        }
        fds[n] = fd;
    }
    long long opened = e2e_now_ms() - t0;
    /* pane has accepted them all (not just the kernel's backlog): its descriptors (with a few
     * of slack: a connection of an earlier check may still be closing when fd0 is counted) */
    long fd1 = -1;
    for (long long until = e2e_now_ms() + READ_TIMEOUT_MS; e2e_now_ms() < until; e2e_sleep_ms(20))
        if ((fd1 = server_fds()) >= fd0 + IDLE_CONNS)
            break;
    if (fd0 < 0 || fd1 < fd0 + IDLE_CONNS - 8)
        FAILF("pane holds %ld descriptors with %d idle connections open (%ld before)", fd1,
              IDLE_CONNS, fd0);
    /* a normal client gets pages meanwhile */
    char w2[1024] = "";
    long long worst = 0;
    for (int i = 0; i < 20; i++) {
        struct e2e_resp r;
        r = (struct e2e_resp){0};
        long long t = e2e_now_ms();
        bool got = fetch_get(srv->path, NULL, &r, w2, sizeof w2) == 0 &&
                   check_page(&r, "Berlin", w2, sizeof w2);
        e2e_resp_fini(&r);
        if (!got)
            FAILF("page %d with %d idle connections open: %s", i, IDLE_CONNS, w2);
        if (e2e_now_ms() - t > worst)
            worst = e2e_now_ms() - t;
    }
    /* idle connections that finally speak are served (every 100th) */
    for (int i = 0; i < IDLE_CONNS; i += 100) {
        struct e2e_conn c;
        memset(&c, 0, sizeof c);
        c.fd = fds[i];
        pn__buf_init(&c.in, MAX_RESPONSE);
        char req[256];
        snprintf(req, sizeof req, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
        struct e2e_resp r;
        r = (struct e2e_resp){0};
        int rc = e2e_conn_send_str(&c, req) == 0
                     ? read_response(&c, false, &r, READ_TIMEOUT_MS, w2, sizeof w2)
                     : -1;
        int status = r.status;
        e2e_resp_fini(&r);
        pn__buf_fini(&c.in);
        if (rc != 0 || (status != 200 && status != 302 && status != 307))
            FAILF("idle connection %d, when it finally sent its request: %s (status %d)", i,
                  rc ? w2 : "", status);
    }
    long rss1 = server_rss_kib();
    printf("# %d idle connections: opened in %lld ms, pane +%ld descriptors, RSS %ld -> %ld KiB "
           "(%.1f KiB per connection); slowest of 20 pages meanwhile %lld ms\n",
           IDLE_CONNS, opened, fd1 - fd0, rss0, rss1,
           rss0 > 0 && rss1 > 0 ? (double)(rss1 - rss0) / IDLE_CONNS : -1.0, worst);
    ok = true;
out:
    for (int i = 0; i < n; i++)
        close(fds[i]);
    return ok;
}

/* ---- main ---------------------------------------------------------------------------------- */

struct check {
    const char *name;
    bool (*fn)(char *why, size_t whylen);
};

static const struct check checks[] = {
    {"page-content", chk_page},
    {"keep-alive", chk_keepalive},
    {"http10-keep-alive", chk_http10_keepalive},
    {"pipelining", chk_pipelining},
    {"head", chk_head},
    {"gzip-page", chk_gzip_page},
    {"static-css-etag-304-gzip", chk_static_css},
    {"gzip-vary", chk_vary},
    {"not-found-404", chk_404},
    {"post-405-allow", chk_405},
    {"query-city-paris", chk_city_paris},
    {"xss-city-escaped", chk_xss},
    {"slowloris", chk_slowloris},
    {"slow-reader", chk_slow_reader},
    {"idle-5000", chk_idle_5000},
};

int main(int argc, char **argv)
{
    e2e_init("e2e", argc, argv, GLOBAL_TIMEOUT_S);
    const char *wrapper = getenv("PANE_WRAPPER");
    wrapped = wrapper && *wrapper;
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct rlimit nofile; /* idle-5000 holds 5,000 sockets, and pane inherits the limit */
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur < nofile.rlim_max) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
    }


    char why[1024];
    long long t0 = e2e_now_ms();
    if (server_start(why, sizeof why) != 0) {
        report("start", false, why);
        return e2e_finish();
    }
    printf("# pane listening on 127.0.0.1:%d%s after %lld ms\n", srv->port, srv->path,
           e2e_now_ms() - t0);

    run_case_files();
    for (size_t i = 0; i < sizeof checks / sizeof *checks; i++) {
        if (!e2e_selected(checks[i].name))
            continue;
        why[0] = 0;
        report(checks[i].name, checks[i].fn(why, sizeof why), why);
        health_check(checks[i].name);
    }

    int st = server_stop(SIGTERM);
    if (st == 0)
        report("sigterm-exit-0", true, "");
    else if (st == -1)
        report("sigterm-exit-0", false, "still running 10 s after SIGTERM (killed)");
    else {
        snprintf(why, sizeof why, st >= 256 ? "died of signal %d" : "exit status %d",
                 st >= 256 ? st - 256 : st);
        report("sigterm-exit-0", false, why);
    }
    return e2e_finish();
}
