/*
 * e2e.lb: three `pane serve` processes behind HAProxy (Debian's haproxy) in round robin, with
 * no affinity of any kind, as an operator runs pane on several machines: one --secret-key, the
 * proxy strips the /dash it is served under (--root-path /dash) and says who the client is
 * (--use-xheaders). Pages, static files, the probes, live sockets and their resumes all go
 * through the proxy; a socket that lands on another process than its session's gets a fresh
 * session; a process killed with SIGKILL costs its visitors one reconnect, through the proxy,
 * to a fresh session on another process, and nobody else anything; a process stopped with
 * SIGTERM drains while the others answer every page.
 *
 *     lb_test PANE_BIN SOURCE_DIR [FILTER]
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "e2e.h"

#define NPANE 3
#define SECRET "lb-test-secret-0123456789abcdef0123456789"

static struct e2e_server panes[NPANE] = {{.name = "pane-1"}, {.name = "pane-2"}, {.name = "pane-3"}};
static struct e2e_server lb = {.name = "haproxy"};
static char cfg_path[256];

/* What HAProxy is given: no stickiness, health checks on /readiness every 200 ms, a request
 * to a dead server retried on another (redispatch), the client's address added. */
static bool write_config(int lb_port)
{
    FILE *f = fopen(cfg_path, "w");
    if (!f)
        return e2e_fail("cannot write %s", cfg_path);
    fprintf(f,
            "global\n"
            "    maxconn 2000\n"
            "defaults\n"
            "    mode http\n"
            "    timeout connect 1s\n"
            "    timeout client 30s\n"
            "    timeout server 30s\n"
            "    timeout tunnel 120s\n"
            "    option forwardfor\n"
            "    option redispatch\n"
            "    retries 3\n"
            "frontend web\n"
            "    bind 127.0.0.1:%d\n"
            "    http-request deny deny_status 404 unless { path_beg /dash/ }\n"
            "    http-request replace-path /dash(/.*) \\1\n"
            "    default_backend panes\n"
            "backend panes\n"
            "    balance roundrobin\n"
            "    option httpchk GET /readiness\n"
            "    http-check expect status 200\n"
            "    default-server check inter 200ms fall 1 rise 2\n",
            lb_port);
    for (int i = 0; i < NPANE; i++)
        fprintf(f, "    server p%d 127.0.0.1:%d\n", i + 1, panes[i].port);
    return fclose(f) == 0 || e2e_fail("writing %s failed", cfg_path);
}

static bool start_all(void)
{
    const char *args[] = {e2e_src("examples/widgets.c"), "--secret-key", SECRET, "--root-path",
                          "/dash", "--use-xheaders", NULL};
    for (int i = 0; i < NPANE; i++)
        if (!e2e_server_start(&panes[i], &(struct e2e_spawn){.args = args}))
            return e2e_failw("%s", panes[i].name);
    int port = e2e_free_port();
    if (port <= 0)
        return e2e_fail("no free port for HAProxy");
    snprintf(cfg_path, sizeof cfg_path, "%s/lb_test_%d.cfg",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    if (!write_config(port))
        return false;
    const char *cmd[] = {"haproxy", "-db", "-f", cfg_path, NULL};
    if (!e2e_server_start(&lb, &(struct e2e_spawn){.command = cmd, .ready_port = port}))
        return e2e_failw("haproxy");
    e2e_sleep_ms(600); /* two health checks: every server up */
    return true;
}

static bool get_ok(const char *target, const char *headers, struct e2e_resp *r)
{
    if (!e2e_get(lb.port, target, headers, r))
        return e2e_failw("GET %s through HAProxy", target);
    return r->status == 200 || e2e_fail("GET %s through HAProxy: %d", target, r->status);
}

/* Each process served some of twelve pages, every page's URLs start with /dash, and what they
 * name (the stylesheet) is served through the proxy too. */
static bool case_pages(void)
{
    size_t mark[NPANE];
    for (int i = 0; i < NPANE; i++)
        mark[i] = e2e_log_mark(&panes[i]);
    for (int n = 0; n < 12; n++) {
        struct e2e_resp r;
        bool ok = get_ok("/dash/widgets", NULL, &r);
        const char *css = ok ? e2e_find(r.body.data, r.body.len, "href=\"/dash/static/") : NULL;
        char url[160] = "";
        if (css)
            sscanf(css + 6, "%159[^\"]", url);
        ok = ok && (css || e2e_fail("no /dash/static/ stylesheet in the page")) &&
             e2e_find(r.body.data, r.body.len, "\"ws\":\"/dash/widgets/ws") &&
             e2e_find(r.body.data, r.body.len, "data-pn-app=\"/dash/widgets\"");
        e2e_resp_fini(&r);
        if (ok && n == 0) {
            ok = get_ok(url, NULL, &r) && e2e_header_has(&r, "content-type", "text/css");
            e2e_resp_fini(&r);
        }
        if (!ok)
            return e2e_failw("page %d", n);
    }
    for (int i = 0; i < NPANE; i++)
        if (!e2e_log_has(&panes[i], mark[i], "\"GET /widgets\" 200"))
            return e2e_fail("%s served no page of twelve: not round robin", panes[i].name);
    return true;
}

static bool case_probes(void)
{
    struct e2e_resp r;
    bool ok = get_ok("/dash/liveness", NULL, &r) && !strcmp(r.body.data, "ok\n");
    e2e_resp_fini(&r);
    ok = ok && get_ok("/dash/readiness", NULL, &r) && !strcmp(r.body.data, "ok\n") &&
         e2e_header_has(&r, "cache-control", "no-store");
    e2e_resp_fini(&r);
    return ok;
}

/* The log names the client HAProxy saw (127.0.0.1, no port), not the proxy's socket, and not
 * an address the client made up (HAProxy's own header comes last and is the one believed). */
static bool case_xheaders(void)
{
    size_t mark[NPANE];
    for (int i = 0; i < NPANE; i++)
        mark[i] = e2e_log_mark(&panes[i]);
    struct e2e_resp r;
    bool ok = get_ok("/dash/widgets?xff=1", "X-Forwarded-For: 203.0.113.7\r\n", &r);
    e2e_resp_fini(&r);
    if (!ok)
        return false;
    char line[512] = "";
    for (int i = 0; i < NPANE && !line[0]; i++)
        if (e2e_log_wait(&panes[i], mark[i], "GET /widgets?xff=1", 200))
            e2e_log_line(&panes[i], mark[i], "GET /widgets?xff=1", line, sizeof line);
    if (!line[0])
        return e2e_fail("no process logged GET /widgets?xff=1");
    if (!strstr(line, " 127.0.0.1 \"GET") || strstr(line, "203.0.113.7"))
        return e2e_fail("the log names the wrong client: %s", line);
    return true;
}

struct visit {
    struct e2e_cl *c;
    json_t *doc;
    long button, clicks;
    char token[160];
};

static void visit_end(struct visit *v)
{
    json_decref(v->doc);
    e2e_cl_free(v->c);
    memset(v, 0, sizeof *v);
}

/* A socket through the proxy that says hello with token (NULL: none) and gets a doc. */
static bool visit_open(struct visit *v, const char *ws, const char *token)
{
    memset(v, 0, sizeof *v);
    if (!(v->c = e2e_cl_open(&lb, ws)) || !(v->doc = e2e_hello_doc(v->c, token, "")))
        return e2e_failw("socket through HAProxy");
    v->button = e2e_doc_id(v->doc, "Button", "Add one");
    v->clicks = e2e_doc_id(v->doc, "Number", "Clicks");
    snprintf(v->token, sizeof v->token, "%s", e2e_jstr(v->doc, "token"));
    return (v->button >= 0 && v->clicks >= 0 && v->token[0]) ||
           e2e_fail("a doc without the widgets or a token: %s", e2e_dumps(v->doc));
}

static bool click_to(struct visit *v, int want)
{
    if (!e2e_sendf(v->c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", v->button))
        return false;
    json_t *p = e2e_expect_msg(v->c, "patch", "pong", 3000 * e2e.tscale);
    double got = p ? e2e_patch_number(p, v->clicks, NULL) : NAN;
    json_decref(p);
    return got == want || e2e_failw("click: Clicks %g, want %d", got, want);
}

static double doc_clicks(struct visit *v)
{
    return json_number_value(e2e_doc_prop(v->doc, "Number", "Clicks", "value"));
}

/* A page's socket and a reconnect with its session's token, through the proxy: where the
 * socket lands on the session's process it resumes (the clicks kept), elsewhere it gets a
 * fresh session; either way the page works. With k requests between the two sockets the
 * round robin sends the reconnect to each process in turn, so both happen. */
static bool case_sockets_and_resumes(void)
{
    int resumed = 0, fresh = 0;
    for (int i = 0; i < 6; i++) {
        struct e2e_page p;
        struct visit v = {0};
        bool ok = e2e_get_page(&lb, "/dash/widgets", &p) && visit_open(&v, p.ws, p.token) &&
                  click_to(&v, 1) && click_to(&v, 2);
        char token[160], ws[160];
        snprintf(token, sizeof token, "%s", v.token);
        snprintf(ws, sizeof ws, "%s", p.ws);
        e2e_page_fini(&p);
        if (v.c)
            e2e_close_nicely(v.c), v.c = NULL;
        visit_end(&v);
        for (int k = 0; ok && k < i % 3; k++) {
            struct e2e_resp r;
            ok = get_ok("/dash/liveness", NULL, &r);
            e2e_resp_fini(&r);
        }
        ok = ok && visit_open(&v, ws, token);
        double had = ok ? doc_clicks(&v) : NAN;
        ok = ok && (had == 2 || had == 0 || e2e_fail("reconnected with Clicks %g", had)) &&
             click_to(&v, (int)had + 1);
        resumed += ok && had == 2;
        fresh += ok && had == 0;
        visit_end(&v);
        if (!ok)
            return e2e_failw("visit %d", i);
    }
    printf("# through HAProxy: %d reconnects resumed their session, %d got a fresh one\n",
           resumed, fresh);
    return (resumed > 0 && fresh > 0) ||
           e2e_fail("%d resumed, %d fresh: both should happen in round robin", resumed, fresh);
}

/* SIGKILL one pane (supervisor and worker): its visitors' sockets end, each reconnects through the proxy with its
 * token and gets a fresh session elsewhere; the other visitors never notice; pages go on. */
static bool case_killed_process(void)
{
    struct visit v[9];
    int n = 0;
    bool ok = true;
    for (; ok && n < 9; n++)
        ok = visit_open(&v[n], "/dash/widgets/ws", NULL) && click_to(&v[n], 1);
    if (!ok) {
        for (int i = 0; i < n; i++)
            visit_end(&v[i]);
        return false;
    }
    /* the machine goes: the supervisor and its worker at once; the supervisor first, or it
     * could start a new worker for the one killed before it dies itself (an orphan) */
    pid_t pids[8];
    int np = e2e_server_pids(&panes[1], pids, 8);
    kill(panes[1].pid, SIGKILL);
    for (int i = 0; i < np; i++)
        if (pids[i] != panes[1].pid)
            kill(pids[i], SIGKILL);
    int rc = e2e_server_stop(&panes[1], SIGKILL, 5000);
    ok = rc == 256 + SIGKILL || e2e_fail("%s did not die of SIGKILL: %d", panes[1].name, rc);
    e2e_idle(1000 * e2e.tscale);
    int lost = 0;
    for (int i = 0; ok && i < n; i++) {
        if (!v[i].c->ended) {
            ok = click_to(&v[i], 2); /* on a live process: untouched */
            continue;
        }
        lost++;
        char token[160];
        snprintf(token, sizeof token, "%s", v[i].token);
        visit_end(&v[i]);
        ok = visit_open(&v[i], "/dash/widgets/ws", token) &&
             (doc_clicks(&v[i]) == 0 || e2e_fail("a session of the dead process came back")) &&
             click_to(&v[i], 1);
    }
    for (int i = 0; i < n; i++)
        visit_end(&v[i]);
    if (!ok)
        return false;
    if (lost != 3)
        return e2e_fail("%d of 9 sockets ended with the killed process, want 3", lost);
    for (int i = 0; i < 12; i++) {
        struct e2e_resp r;
        ok = get_ok("/dash/widgets", NULL, &r);
        e2e_resp_fini(&r);
        if (!ok)
            return e2e_failw("page %d after the kill", i);
    }
    return true;
}

/* SIGTERM to a pane behind the proxy while pages keep being asked for: it drains (readiness
 * 503, no new connections, sockets closed with 1001), every page is still answered by the
 * others, its visitors reconnect through the proxy to a fresh session, and it exits 0. */
static bool case_graceful_stop(void)
{
    struct visit v[4];
    int n = 0;
    bool ok = true;
    for (; ok && n < 4; n++)
        ok = visit_open(&v[n], "/dash/widgets/ws", NULL) && click_to(&v[n], 1);
    if (ok)
        kill(panes[2].pid, SIGTERM);
    for (int i = 0; ok && i < 40; i++) {
        struct e2e_resp r;
        ok = get_ok("/dash/widgets", NULL, &r) || e2e_failw("page %d during the stop", i);
        e2e_resp_fini(&r);
        e2e_idle(25);
    }
    int rc = ok ? e2e_server_stop(&panes[2], 0, 10000 * e2e.tscale) : 0;
    ok = ok && (rc == 0 || e2e_fail("%s exited %d after SIGTERM", panes[2].name, rc));
    int moved = 0;
    for (int i = 0; ok && i < n; i++) {
        if (!v[i].c->ended) {
            ok = click_to(&v[i], 2);
            continue;
        }
        moved++;
        char token[160];
        snprintf(token, sizeof token, "%s", v[i].token);
        visit_end(&v[i]);
        ok = visit_open(&v[i], "/dash/widgets/ws", token) && click_to(&v[i], 1);
    }
    for (int i = 0; i < n; i++)
        visit_end(&v[i]);
    return ok && (moved > 0 || e2e_fail("no socket was on the stopped process"));
}

int main(int argc, char **argv)
{
    e2e_init("lb", argc, argv, 240);
    bool up = start_all();
    e2e_report("start", up);
    if (up) {
        E2E_CASE("pages", case_pages);
        E2E_CASE("probes", case_probes);
        E2E_CASE("xheaders", case_xheaders);
        E2E_CASE("sockets-and-resumes", case_sockets_and_resumes);
        E2E_CASE("killed-process", case_killed_process); /* these two stop one each */
        E2E_CASE("graceful-stop", case_graceful_stop);
    }
    e2e_server_stop(&lb, SIGTERM, 5000);
    for (int i = 0; i < NPANE; i++)
        if (panes[i].pid > 0)
            e2e_report(panes[i].name, e2e_server_stop(&panes[i], SIGTERM, 10000) == 0);
    if (cfg_path[0])
        unlink(cfg_path);
    return e2e_finish();
}
