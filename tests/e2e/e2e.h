/*
 * e2e: what every end-to-end test program shares — the run (arguments, filter, one global
 * alarm, results), the real `pane serve` (spawned, its log kept, stopped by PID), and raw
 * HTTP/1.1 over TCP to it, and live sessions (a page, its socket, the protocol's messages) on
 * the WebSocket client of wsclient.h.
 *
 *     int main(int argc, char **argv)
 *     {
 *         e2e_init("mytest", argc, argv, 280);          // PANE_BIN SOURCE_DIR [FILTER]
 *         static struct e2e_server s = {.name = "main"};
 *         const char *args[] = {e2e_src("examples/weather.c"), "--admin", NULL};
 *         if (!e2e_server_start(&s, &(struct e2e_spawn){.args = args}))
 *             return e2e_report("start", false), e2e_finish();
 *         struct e2e_resp r;
 *         bool ok = e2e_get(s.port, "/weather", NULL, &r) && r.status == 200;
 *         e2e_resp_fini(&r);
 *         e2e_report("page", ok);                      // "ok page" or "FAIL page: <e2e_why>"
 *         e2e_report("exit", e2e_server_stop(&s, SIGTERM, 10000) == 0);
 *         return e2e_finish();                          // "mytest: N passed, N failed"
 *     }
 *
 * Failures are described in one buffer, e2e_why (e2e_fail fills it and returns false), which
 * e2e_report prints and clears. Every wait has a timeout; the alarm kills every server started.
 *
 * Live sessions (the end of this header) are a page's token and a socket that says hello with
 * it, on wsclient.h: every socket a test holds is read while it waits on another one, so that
 * keep-alive pings are answered and nothing is dropped for silence.
 *
 *     struct e2e_page p;
 *     struct e2e_cl *c = NULL;
 *     json_t *doc = NULL;
 *     bool ok = e2e_get_page(&s, "/widgets", &p) && (c = e2e_cl_open(&s, p.ws)) &&
 *               (doc = e2e_hello_doc(c, p.token, ""));
 *     long button = ok ? e2e_doc_id(doc, "Button", "Add one") : -1;
 *     ok = ok && e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", button);
 *     json_t *patch = ok ? e2e_expect_msg(c, "patch", "pong", 3000) : NULL;
 *     json_decref(patch), json_decref(doc), e2e_cl_free(c), e2e_page_fini(&p);
 */
#ifndef PN_TEST_E2E_H
#define PN_TEST_E2E_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/base.h"
#include "wsclient.h"

/* ---- the run ------------------------------------------------------------------------------- */

struct e2e_run {
    const char *name;       /* the program's, for the summary line */
    const char *pane_bin;   /* argv[1] */
    const char *source_dir; /* argv[2] */
    const char *filter;     /* argv[3]: run only the cases whose name contains it */
    int tscale;             /* PANE_TIMEOUT_SCALE (1..100; 10 under PANE_WRAPPER) */
    int n_pass, n_fail;
};
extern struct e2e_run e2e;
extern char e2e_why[2048];

/* Reads PANE_BIN SOURCE_DIR [FILTER] (usage and exit 2 otherwise), arms an alarm of
 * global_timeout_s (times tscale) that kills every server and exits 1, and when XDG_CACHE_HOME
 * is unset points it at a temporary folder (removed by e2e_finish) so that compiled apps stay
 * out of the user's cache. */
void e2e_init(const char *name, int argc, char **argv, int global_timeout_s);
bool e2e_selected(const char *case_name);
/* Prints `ok NAME` or `FAIL NAME: e2e_why`, counts it, clears e2e_why. */
void e2e_report(const char *case_name, bool ok);
/* Runs fn() and reports it as NAME when NAME is selected. */
#define E2E_CASE(name, fn)                                                                         \
    do {                                                                                           \
        if (e2e_selected(name))                                                                    \
            e2e_report(name, fn());                                                                \
    } while (0)
/* Prints `NAME: N passed, N failed`; the exit status for main. */
int e2e_finish(void);
bool e2e_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Puts "CONTEXT: " in front of e2e_why. Returns false. */
bool e2e_failw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

long long e2e_now_ms(void);
void e2e_sleep_ms(int ms);
/* SOURCE_DIR/rel, in storage that lives as long as the run. */
const char *e2e_src(const char *rel);
/* memmem with a NUL-terminated needle; the same ignoring ASCII case. */
const char *e2e_find(const char *hay, size_t n, const char *needle);
const char *e2e_find_ci(const char *hay, size_t n, const char *needle);
/* Up to 60 bytes of s, non-printables as \xHH, for failure messages (4 rotating buffers). */
const char *e2e_shown(const char *s, size_t n);

/* ---- servers ------------------------------------------------------------------------------- */

struct e2e_log;

struct e2e_server {
    const char *name;
    pid_t pid;      /* -1 when not running */
    int port;
    char path[128]; /* the first app's path from its URL line, e.g. "/weather" */
    /* the Origin line its sockets send: "Origin: http://127.0.0.1:PORT\r\n" as a page's socket
     * would, unless the test set another before starting it */
    char origin[128];
    struct e2e_log *log;
    bool tls; /* its URL line says https: e2e_conn_open and its sockets speak TLS to its port */
};

struct e2e_spawn {
    /* after `pane serve --port 0 --address 127.0.0.1`; NULL-terminated */
    const char *const *args;
    int napps;            /* URL lines to wait for. default 1 */
    const char *wrapper;  /* put in front of the command, split on spaces (valgrind …) */
    long nofile;          /* > 0: RLIMIT_NOFILE (soft and hard) of the server */
    const char *const *env; /* NAME=VALUE entries added to the environment; NULL-terminated */
    /* Another service instead of pane (HAProxy, redis-server): this argv is run as it is, and
     * it is ready once 127.0.0.1:ready_port accepts a connection (then s->port is that) */
    const char *const *command;
    int ready_port;
};
/* A port that was free a moment ago on 127.0.0.1 (for a service that needs one given), or 0. */
int e2e_free_port(void);

/* Starts the server with stdout and stderr on a pipe, copied to this program's stderr and
 * kept (e2e_log_*), and waits for its URL lines. False with e2e_why on failure (the process is
 * killed). */
bool e2e_server_start(struct e2e_server *s, const struct e2e_spawn *sp);
/* Sends sig (if not 0) and waits for the exit: 0..255, 256 + the signal that ended it, -1 if
 * it had to be killed after timeout_ms, -2 if it was not running. Its log stays readable. */
int e2e_server_stop(struct e2e_server *s, int sig, int timeout_ms);
/* True while it runs; otherwise false with how it ended in e2e_why. */
bool e2e_server_alive(struct e2e_server *s);
/* The server's process and its children (pane's workers), up to max. Returns how many. */
int e2e_server_pids(const struct e2e_server *s, pid_t *out, int max);
/* VmRSS in KiB and open descriptors, summed over the process and its children; -1 if gone. */
long e2e_server_rss_kib(const struct e2e_server *s);
long e2e_server_fds(const struct e2e_server *s);

/* The log: everything the server printed (the first 8 MiB). A mark is an offset into it. */
size_t e2e_log_mark(const struct e2e_server *s);
/* Does the log after mark contain needle? e2e_log_wait waits up to timeout_ms for it. */
bool e2e_log_has(const struct e2e_server *s, size_t mark, const char *needle);
bool e2e_log_wait(const struct e2e_server *s, size_t mark, const char *needle, int timeout_ms);
/* A copy of the log's line (without its newline) that contains needle after mark, into out. */
bool e2e_log_line(const struct e2e_server *s, size_t mark, const char *needle, char *out,
                  size_t outlen);
/* The first complete line (one that has its newline) after mark that contains needle, copied
 * into out as e2e_log_line does; returns the mark just past it, to look for the next one, or 0
 * if there is none. */
size_t e2e_log_next_line(const struct e2e_server *s, size_t mark, const char *needle, char *out,
                         size_t outlen);

/* ---- HTTP ---------------------------------------------------------------------------------- */

#define E2E_MAX_RESPONSE (16u << 20)

struct e2e_conn {
    int fd;
    void *ssl;        /* TLS (the port is a TLS server's, e2e_tls_port), or NULL */
    struct pn_buf in; /* bytes received; those not yet consumed start at off */
    size_t off;
    bool eof;   /* the peer closed (FIN or RST) */
    bool reset; /* ... with RST */
    bool send_failed;
};

/* Marks port as a TLS server's (e2e_server_start does it for a server whose URL is https):
 * e2e_conn_open and e2e_cl_open then speak TLS to it. */
void e2e_tls_port(int port, bool on);
bool e2e_is_tls_port(int port);
/* A blocking connection to 127.0.0.1:port (TCP_NODELAY, sends bounded by a timeout), over TLS
 * if port is marked so (the handshake done here). 0 or -1. */
int e2e_conn_open(struct e2e_conn *c, int port);
void e2e_conn_close(struct e2e_conn *c);
/* Sends all bytes, or as many as the server takes before it closes. 0 or -1. */
int e2e_conn_send(struct e2e_conn *c, const void *p, size_t n);
int e2e_conn_send_str(struct e2e_conn *c, const char *s);
/* Waits until deadline (e2e_now_ms) for more bytes. 1 got some, 0 EOF, -1 timeout, -2 full. */
int e2e_conn_fill(struct e2e_conn *c, long long deadline);

struct e2e_resp {
    int status;         /* 0: the connection closed before any byte */
    struct pn_buf head; /* status line and headers, up to and including the blank line */
    struct pn_buf body; /* de-chunked, not inflated; data is NUL-terminated */
    struct pn_buf all;  /* head + body, for substring checks */
    bool has_body_framing;
};
void e2e_resp_init(struct e2e_resp *r);
void e2e_resp_fini(struct e2e_resp *r);
/* The first header called name (any case), trimmed, with its length in *len; or NULL. */
const char *e2e_resp_header(const struct e2e_resp *r, const char *name, size_t *len);
/* Has header name, whose value contains value_part (any case; NULL: any value)? */
bool e2e_header_has(const struct e2e_resp *r, const char *name, const char *value_part);
/* Copies header name's value into out. */
bool e2e_header_copy(const struct e2e_resp *r, const char *name, char *out, size_t outlen);
int e2e_header_count(const struct e2e_resp *r, const char *name);
/* Reads one response (Content-Length, chunked or until close; none for HEAD, 1xx, 204, 304)
 * into r, which it initialises (e2e_resp_fini it in any case). 0 with r->status set, or -1
 * with e2e_why. */
int e2e_read_response(struct e2e_conn *c, bool is_head, struct e2e_resp *r, int timeout_ms);
/* After a response: 1 the server closed within timeout_ms, 0 still open, -1 more bytes came. */
int e2e_wait_closed(struct e2e_conn *c, int timeout_ms);
/* One raw request on a new connection; r is set here in any case (e2e_resp_fini it after).
 * 0, or -1 with e2e_why (also when the server closed without answering). */
int e2e_fetch(int port, const char *request, struct e2e_resp *r);
/* GET target (Host 127.0.0.1:port, plus header lines that each end in \r\n). True or e2e_why. */
bool e2e_get(int port, const char *target, const char *headers, struct e2e_resp *r);
/* method target, as e2e_get. */
bool e2e_request(int port, const char *method, const char *target, const char *headers,
                 struct e2e_resp *r);

/* ---- login (--basic-auth) ----------------------------------------------------------------- */

/* POSTs the login form to PREFIX/login (prefix NULL: none): user, password and next (NULL: not
 * sent) form-encoded here, plus header lines (NULL: the Origin of the server's port). r is set
 * in any case. True once a response came, whatever its status, or false with e2e_why. */
bool e2e_login(int port, const char *prefix, const char *user, const char *password,
               const char *next, const char *headers, struct e2e_resp *r);
/* The login cookie a response sets, as "pane_login=VALUE" (what a Cookie header sends) into
 * out: true if it sets one with a value (a logout's empty one is false). */
bool e2e_login_cookie(const struct e2e_resp *r, char *out, size_t outlen);

/* ---- live sessions ------------------------------------------------------------------------- */

/* A page's bootstrap data (#pn-data) and main area. */
struct e2e_page {
    char token[160]; /* "" when null */
    char ws[160];
    char title[256];
    char *main; /* inner HTML of #pn-main (malloc'ed) */
};
/* GET path: 200 with #pn-data and #pn-main, or false with e2e_why. e2e_page_fini it in any
 * case. */
bool e2e_get_page(const struct e2e_server *s, const char *path, struct e2e_page *p);
/* The same with header lines sent along (a Cookie: the page of a logged-in user). */
bool e2e_get_page_ex(const struct e2e_server *s, const char *path, const char *headers,
                     struct e2e_page *p);
void e2e_page_fini(struct e2e_page *p);

/* A socket and the messages received on it not yet looked at. */
#define E2E_QCAP 1024
struct e2e_cl {
    struct wsc *w;
    const struct e2e_server *srv;
    struct wsc_msg q[E2E_QCAP];
    size_t qh, qn;
    bool ended;         /* the connection is over (after a close frame, EOF or an error) */
    long long close_at; /* when the close frame arrived (e2e_now_ms), 0 before */
    bool silent;        /* not read while other sockets are waited on (a keep-alive test) */
};
/* Every message sent and received on stderr (a program sets it, e.g. from LIVE_TEST_VERBOSE). */
extern bool e2e_ws_verbose;

/* Opens a socket on path (headers NULL: the server's Origin line; early: bytes sent with the
 * upgrade request). NULL with e2e_why set and *status (if given) the HTTP status. At most 128
 * are open at once. */
struct e2e_cl *e2e_cl_open_ex(const struct e2e_server *s, const char *path, const char *headers,
                              const void *early, size_t early_len, int *status);
struct e2e_cl *e2e_cl_open(const struct e2e_server *s, const char *path);
void e2e_cl_free(struct e2e_cl *c);
/* Reads one message into c's queue within timeout_ms. 1, 0 (timeout) or -1 (over). */
int e2e_pump_one(struct e2e_cl *c, int timeout_ms);
/* Reads what has arrived on every open socket but self (and the silent ones). */
void e2e_pump_others(const struct e2e_cl *self);
/* Waits ms while every open socket is read (pings answered, messages queued). */
void e2e_idle(int ms);
/* The next message within timeout_ms: 1 (*m filled; wsc_msg_free it), 0 timeout, -1 over. */
int e2e_cl_next(struct e2e_cl *c, int timeout_ms, struct wsc_msg *m);
/* Sends one text message. True, or false with e2e_why. */
bool e2e_sendf(struct e2e_cl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A message's "t", or "?". */
const char *e2e_msg_type(json_t *j);
/* The next text message of type `type` as JSON, skipping those whose type is in skip (a list
 * like "patch,pong"; NULL: none). NULL with e2e_why on anything else, a close or the timeout. */
json_t *e2e_expect_msg(struct e2e_cl *c, const char *type, const char *skip, int timeout_ms);
/* The close frame, with code want (skipping the message types in skip). */
bool e2e_expect_close(struct e2e_cl *c, int want, const char *skip, int timeout_ms);
/* Nothing arrives for ms (other than the types in skip). */
bool e2e_expect_quiet(struct e2e_cl *c, int ms, const char *skip);
/* hello with token (NULL: null) and query; e2e_hello_doc then waits 3 s (times tscale) for
 * the doc. */
bool e2e_send_hello(struct e2e_cl *c, const char *token, const char *query);
json_t *e2e_hello_doc(struct e2e_cl *c, const char *token, const char *query);
/* A socket on path with a fresh session (hello without a token); *doc its doc. */
struct e2e_cl *e2e_open_session(const struct e2e_server *s, const char *path, const char *query,
                                json_t **doc);
/* Closes a socket as a browser does (close 1000, the server's answer, EOF), and frees it. */
void e2e_close_nicely(struct e2e_cl *c);

/* JSON helpers: a string member ("" if none); the first node of kind (and props.name or
 * props.label, unless name is NULL), depth first; its id (-1) or one of its props; the changes
 * of node id in a patch (the {…} of its [id, {…}] op: {"text"} for a Number, {"html"} for
 * Markdown, props by name for widgets); a patch's number of ops; a compact dump for messages
 * (4 rotating buffers of 600 bytes). */
const char *e2e_jstr(json_t *j, const char *key);
/* One record of a data message (protocol.md, "Data messages"): node id, op (1 append, 2
 * window), k series, n points; x[n] and y[i][n] point into the message. */
struct e2e_rec {
    unsigned id, op, k, n;
    const double *x, *y[16];
};
/* Decodes a data message as pane.js does into recs (at most max): how many, or -1 with e2e_why
 * on any defect (not binary, a version other than 1, a record past the message). */
int e2e_data_records(const struct wsc_msg *m, struct e2e_rec *recs, int max);
json_t *e2e_tree_find(json_t *nodes, const char *kind, const char *name);
long e2e_doc_id(json_t *doc, const char *kind, const char *name);
json_t *e2e_doc_prop(json_t *doc, const char *kind, const char *name, const char *prop);
json_t *e2e_patch_changes(json_t *patch, long id);
/* The number a patch shows in Number id (its "text", read as far as it is a number: "21 °C" is
 * 21), or NAN when the patch does not change it; *text (if not NULL) is the text ("" if none). */
double e2e_patch_number(json_t *patch, long id, const char **text);
size_t e2e_patch_nops(json_t *patch);
char *e2e_dumps(json_t *j);

#endif
