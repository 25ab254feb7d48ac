/*
 * ws_test: end-to-end checks of pane's WebSocket (net/ws.c) against tests/e2e/ws_echo, with
 * the wsclient library (wslay as the client, raw bytes for hostile frames).
 *
 *     ws_test WS_ECHO_BIN [FILTER]          run the cases (those whose name contains FILTER)
 *     ws_test WS_ECHO_BIN --measure N       print the RSS per idle WebSocket, N sockets open
 *
 * Starts three echo servers: the main one (--max-message 4096 --max-outbuf 1 MiB), one with
 * a 200 ms ping interval for the keep-alive cases, and one that moves every upgrade request to
 * a second loop (pn__http_conn_detach / pn__http_server_adopt) for the hand-off cases. After every
 * case a fresh connection must still handshake and echo. At the end the servers get SIGTERM and
 * must exit 0 (ws_echo checks that on_close ran once per upgrade; under ASan, LSan checks for
 * leaks). Every read has a timeout and the whole run has one (GLOBAL_TIMEOUT_S). Output: `ok NAME`
 * or `FAIL NAME: why` per case, then `ws: N passed, N failed`.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wsclient.h"

#define GLOBAL_TIMEOUT_S 240
#define T 3000 /* ms: every read */
#define MAX_MESSAGE 4096
#define MAX_OUTBUF (1 << 20)

static pid_t children[3];
static int port, ka_port, ho_port;
static char why[512];

static void on_alarm(int sig)
{
    (void)sig;
    for (int i = 0; i < 3; i++)
        if (children[i] > 0)
            kill(children[i], SIGKILL);
    static const char msg[] = "ws: global timeout\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(1);
}

static bool failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static bool failf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return false;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* ---- the server ---- */

static pid_t start_echo(const char *bin, const char *const *args, int *out_port)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        const char *argv[16] = {bin};
        for (int i = 0; args[i] && i < 14; i++)
            argv[i + 1] = args[i];
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(p[1]);
    char line[128] = {0};
    size_t len = 0;
    /* the first line, within 10 s (SO_RCVTIMEO does not apply to pipes: poll) */
    for (int i = 0; i < 100 && len + 1 < sizeof line && !strchr(line, '\n'); i++) {
        struct timespec ts = {0, 100 * 1000000L};
        fd_set fds;
        FD_ZERO(&fds);
        FD_SET(p[0], &fds);
        struct timeval tv = {0, 100000};
        if (select(p[0] + 1, &fds, NULL, NULL, &tv) <= 0) {
            nanosleep(&ts, NULL);
            continue;
        }
        ssize_t n = read(p[0], line + len, sizeof line - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    close(p[0]);
    if (sscanf(line, "listening %d", out_port) != 1) {
        fprintf(stderr, "ws: %s did not print `listening PORT` (got \"%s\")\n", bin, line);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

/* SIGTERM, then the exit status within 10 s (-1: had to be killed). */
static int stop_echo(pid_t pid)
{
    kill(pid, SIGTERM);
    for (int i = 0; i < 200; i++) {
        int st;
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        sleep_ms(50);
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    return -1;
}

/* ---- helpers ---- */

static struct wsc *open_ws(int p, const void *early, size_t early_len)
{
    char err[256];
    int status;
    struct wsc *w = wsc_connect(&(struct wsc_opts){.port = p,
                                                   .path = "/ws",
                                                   .headers = "Origin: http://127.0.0.1\r\n",
                                                   .early = early,
                                                   .early_len = early_len,
                                                   .timeout_ms = T},
                                &status, err, sizeof err);
    if (!w)
        failf("handshake: %s", err);
    return w;
}

/* Expects the next message to be a text message equal to want. */
static bool expect_text(struct wsc *w, const char *want, size_t len)
{
    struct wsc_msg m;
    int rc = wsc_recv(w, T, &m);
    if (rc != 1)
        return failf("no message (%s)", rc == 0 ? "timeout" : "closed");
    bool ok = m.opcode == WSC_TEXT && m.len == len && memcmp(m.data, want, len) == 0;
    if (!ok)
        failf("got opcode %d, %zu bytes \"%.60s\", want text \"%.60s\"", m.opcode, m.len, m.data,
              want);
    wsc_msg_free(&m);
    return ok;
}

static bool echo_roundtrip(int p, const char *text)
{
    struct wsc *w = open_ws(p, NULL, 0);
    if (!w)
        return false;
    bool ok = wsc_send_text(w, text, strlen(text)) == 0 ? expect_text(w, text, strlen(text))
                                                        : failf("send failed");
    wsc_free(w);
    return ok;
}

/* Sends raw bytes after a good handshake and expects a close frame with code want, then the
 * server closing the TCP connection. */
static bool expect_close_after(const void *bytes, size_t len, int want)
{
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return false;
    bool ok = true;
    if (wsc_send_raw(w, bytes, len) != 0) {
        ok = failf("send failed");
    } else {
        int code = wsc_expect_close(w, T);
        if (code != want)
            ok = failf("close code %d, want %d", code, want);
        else if (wsc_drain(w, T, NULL) != 0)
            ok = failf("the server did not close the TCP connection after the close frame");
    }
    wsc_free(w);
    return ok;
}

static size_t frame(uint8_t *out, bool fin, unsigned rsv, unsigned op, bool mask, const char *p,
                    size_t n)
{
    return wsc_frame(out, fin, rsv, op, mask, p, n);
}

static bool expect_http_on(int p, const char *request, int want_status)
{
    int st = wsc_http("127.0.0.1", p, request, strlen(request), T, NULL, 0);
    return st == want_status ? true : failf("status %d, want %d", st, want_status);
}

static bool expect_http(const char *request, int want_status, const char *want_in_head)
{
    char head[4096];
    int st = wsc_http("127.0.0.1", port, request, strlen(request), T, head, sizeof head);
    if (st != want_status)
        return failf("status %d, want %d", st, want_status);
    if (want_in_head && !strstr(head, want_in_head))
        return failf("response head lacks \"%s\": %.200s", want_in_head, head);
    return true;
}

#define REQ(extra) "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" extra "\r\n"
#define UPG "Upgrade: websocket\r\nConnection: Upgrade\r\n"
#define KEY "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
#define V13 "Sec-WebSocket-Version: 13\r\n"

/* ---- cases ---- */

static bool c_handshake_and_echo(void)
{
    return echo_roundtrip(port, "hello") &&
           echo_roundtrip(port, "h\xc3\xa9llo \xe2\x82\xac \xf0\x9d\x84\x9e");
}

static bool c_handshake_accept_key_rfc_vector(void)
{
    return expect_http(REQ(UPG KEY V13), 101, "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

static bool c_frames_sent_with_the_request_are_handled(void)
{
    uint8_t f[64];
    size_t n = frame(f, true, 0, WSC_TEXT, true, "early", 5);
    struct wsc *w = open_ws(port, f, n);
    if (!w)
        return false;
    bool ok = expect_text(w, "early", 5);
    wsc_free(w);
    return ok;
}

static bool c_fragmented_text_with_ping_between(void)
{
    uint8_t f[256];
    size_t n = frame(f, false, 0, WSC_TEXT, true, "Hel", 3);
    n += frame(f + n, true, 0, WSC_PING, true, "p", 1);
    n += frame(f + n, true, 0, WSC_CONT, true, "lo", 2);
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return false;
    bool ok = wsc_send_raw(w, f, n) == 0;
    struct wsc_msg m;
    int rc = ok ? wsc_recv(w, T, &m) : -1;
    if (rc != 1)
        ok = failf("no pong \"p\" first (%d)", rc);
    else {
        if (m.opcode != WSC_PONG || strcmp(m.data, "p") != 0)
            ok = failf("got opcode %d \"%s\", want pong \"p\" first", m.opcode, m.data);
        wsc_msg_free(&m);
    }
    ok = ok && expect_text(w, "Hello", 5);
    wsc_free(w);
    return ok;
}

static bool c_wrong_version_is_426(void)
{
    return expect_http(REQ(UPG KEY "Sec-WebSocket-Version: 8\r\n"), 426,
                       "Sec-WebSocket-Version: 13");
}

static bool c_missing_version_is_426(void)
{
    return expect_http(REQ(UPG KEY), 426, "Sec-WebSocket-Version: 13");
}

static bool c_missing_key_is_400(void)
{
    return expect_http(REQ(UPG V13), 400, NULL);
}

static bool c_short_key_is_400(void)
{
    return expect_http(REQ(UPG "Sec-WebSocket-Key: dGhlIHNhbXBsZQ==\r\n" V13), 400, NULL);
}

static bool c_no_upgrade_header_is_400(void)
{
    return expect_http(REQ("Connection: Upgrade\r\n" KEY V13), 400, NULL) &&
           expect_http(REQ("Upgrade: websocket\r\nConnection: keep-alive\r\n" KEY V13), 400, NULL);
}

static bool c_upgrade_on_other_path_is_404(void)
{
    return expect_http("GET /nope HTTP/1.1\r\nHost: x\r\n" UPG KEY V13 "\r\n", 404, NULL);
}

static bool c_invalid_utf8_is_1007(void)
{
    static const char *const bad[] = {"\xff", "a\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                                      "ok\xe2\x82"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint8_t f[64];
        size_t n = frame(f, true, 0, WSC_TEXT, true, bad[i], strlen(bad[i]));
        if (!expect_close_after(f, n, 1007))
            return failf("case %zu: %s", i, why);
    }
    return true;
}

static bool c_invalid_utf8_across_fragments_is_1007(void)
{
    uint8_t f[64];
    size_t n = frame(f, false, 0, WSC_TEXT, true, "\xe2\x82", 2);
    n += frame(f + n, true, 0, WSC_CONT, true, "(", 1);
    return expect_close_after(f, n, 1007);
}

static bool c_oversized_frame_is_1009(void)
{
    static char big[MAX_MESSAGE + 100];
    memset(big, 'a', sizeof big);
    static uint8_t f[sizeof big + 14];
    size_t n = frame(f, true, 0, WSC_TEXT, true, big, sizeof big);
    return expect_close_after(f, n, 1009);
}

static bool c_oversized_fragmented_message_is_1009(void)
{
    static char half[MAX_MESSAGE / 2 + 10];
    memset(half, 'b', sizeof half);
    static uint8_t f[2 * (sizeof half + 14)];
    size_t n = frame(f, false, 0, WSC_TEXT, true, half, sizeof half);
    n += frame(f + n, true, 0, WSC_CONT, true, half, sizeof half);
    return expect_close_after(f, n, 1009);
}

static bool c_huge_length_header_alone_is_1009(void)
{
    /* 1 GiB announced; wslay looks at a frame once its first payload byte is there, and
     * nothing is allocated for the announced size */
    uint8_t f[16] = {0x81, 0x80 | 127, 0, 0, 0, 0x40, 0, 0, 0, 0, 1, 2, 3, 4, 'a', 'b'};
    return expect_close_after(f, sizeof f, 1009);
}

static bool c_unmasked_frame_is_1002(void)
{
    uint8_t f[16];
    size_t n = frame(f, true, 0, WSC_TEXT, false, "hi", 2);
    return expect_close_after(f, n, 1002);
}

static bool c_reserved_bits_are_1002(void)
{
    for (unsigned rsv = 1; rsv <= 4; rsv *= 2) {
        uint8_t f[16];
        size_t n = frame(f, true, rsv, WSC_TEXT, true, "hi", 2);
        if (!expect_close_after(f, n, 1002))
            return failf("rsv %u: %s", rsv, why);
    }
    return true;
}

static bool c_fragmented_control_frame_is_1002(void)
{
    uint8_t f[16];
    size_t n = frame(f, false, 0, WSC_PING, true, "x", 1);
    return expect_close_after(f, n, 1002);
}

static bool c_control_frame_over_125_bytes_is_1002(void)
{
    char p[126];
    memset(p, 'p', sizeof p);
    uint8_t f[160];
    size_t n = frame(f, true, 0, WSC_PING, true, p, sizeof p);
    return expect_close_after(f, n, 1002);
}

static bool c_reserved_opcodes_are_1002(void)
{
    static const unsigned ops[] = {3, 7, 0xb, 0xf};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        uint8_t f[16];
        size_t n = frame(f, true, 0, ops[i], true, "x", 1);
        if (!expect_close_after(f, n, 1002))
            return failf("opcode %u: %s", ops[i], why);
    }
    return true;
}

static bool c_continuation_without_start_is_1002(void)
{
    uint8_t f[16];
    size_t n = frame(f, true, 0, WSC_CONT, true, "x", 1);
    return expect_close_after(f, n, 1002);
}

static bool c_new_message_inside_fragmented_is_1002(void)
{
    uint8_t f[32];
    size_t n = frame(f, false, 0, WSC_TEXT, true, "a", 1);
    n += frame(f + n, true, 0, WSC_TEXT, true, "b", 1);
    return expect_close_after(f, n, 1002);
}

static bool c_non_minimal_length_is_1002(void)
{
    uint8_t f[16] = {0x81, 0x80 | 126, 0, 5, 1, 2, 3, 4}; /* 5 in the 16-bit form */
    size_t n = 8;
    for (int i = 0; i < 5; i++)
        f[n++] = (uint8_t)('a' ^ f[4 + i % 4]);
    return expect_close_after(f, n, 1002);
}

static bool c_bad_close_frames_are_1002(void)
{
    static const struct {
        const char *p;
        size_t n;
    } bad[] = {{"\x03\xe7", 2}, {"\x03\xed", 2}, {"\x03\xee", 2},
               {"\x13\x88", 2}, {"\x03", 1},     {"\x03\xe8\xff", 3}};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint8_t f[16];
        size_t n = frame(f, true, 0, WSC_CLOSE, true, bad[i].p, bad[i].n);
        int want = i == 5 ? 1007 : 1002; /* a reason that is not UTF-8: 1007 */
        if (!expect_close_after(f, n, want))
            return failf("close payload %zu: %s", i, why);
    }
    return true;
}

static bool c_binary_message_is_1003(void)
{
    uint8_t f[16];
    size_t n = frame(f, true, 0, WSC_BINARY, true, "\x01\x02", 2);
    return expect_close_after(f, n, 1003);
}

static bool c_ping_gets_pong_with_payload(void)
{
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return false;
    bool ok = wsc_send_ping(w, "abc", 3) == 0;
    struct wsc_msg m;
    if (!ok || wsc_recv(w, T, &m) != 1)
        ok = failf("no pong");
    else {
        if (m.opcode != WSC_PONG || m.len != 3 || memcmp(m.data, "abc", 3) != 0)
            ok = failf("got opcode %d \"%s\", want pong \"abc\"", m.opcode, m.data);
        wsc_msg_free(&m);
    }
    ok = ok && wsc_send_text(w, "after", 5) == 0 && expect_text(w, "after", 5);
    wsc_free(w);
    return ok;
}

static bool c_client_close_is_answered_and_tcp_closed(void)
{
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return false;
    bool ok = wsc_send_close(w, 1000, "done") == 0;
    int code = ok ? wsc_expect_close(w, T) : -1;
    if (code != 1000)
        ok = failf("close code %d, want 1000 echoed", code);
    else if (wsc_drain(w, T, NULL) != 0)
        ok = failf("the server did not close the TCP connection");
    wsc_free(w);
    return ok;
}

static bool c_server_close_sends_code_and_reason(void)
{
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return false;
    bool ok = wsc_send_text(w, "close", 5) == 0;
    struct wsc_msg m;
    if (!ok || wsc_recv(w, T, &m) != 1)
        return wsc_free(w), failf("no close frame");
    if (m.opcode != WSC_CLOSE || m.code != 1000 || strcmp(m.data, "bye") != 0)
        ok = failf("got opcode %d code %u \"%s\", want close 1000 \"bye\"", m.opcode, m.code,
                   m.data);
    wsc_msg_free(&m);
    /* wsc_recv answered the close; the server closes the TCP connection */
    if (ok && wsc_drain(w, T, NULL) != 0)
        ok = failf("the server did not close the TCP connection");
    wsc_free(w);
    return ok;
}

static bool stats(int p, unsigned *opens, unsigned *closes, unsigned *last)
{
    struct wsc *w = open_ws(p, NULL, 0);
    if (!w)
        return false;
    struct wsc_msg m;
    bool ok = wsc_send_text(w, "stats", 5) == 0 && wsc_recv(w, T, &m) == 1;
    if (ok) {
        unsigned live;
        ok = sscanf(m.data, "opens=%u closes=%u last=%u live=%u", opens, closes, last, &live) == 4;
        wsc_msg_free(&m);
    }
    wsc_free(w);
    return ok ? true : failf("no stats");
}

static bool c_peer_that_stops_reading_is_dropped_over_max_outbuf(void)
{
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return false;
    const size_t count = 4096, size = 16384; /* 64 MiB, against a 1 MiB max_outbuf */
    char cmd[64];
    snprintf(cmd, sizeof cmd, "flood:%zu:%zu", count, size);
    bool ok = wsc_send_text(w, cmd, strlen(cmd)) == 0;
    sleep_ms(300); /* not reading */
    size_t total = 0;
    if (ok && wsc_drain(w, 10000, &total) != 0)
        ok = failf("still open after %zu bytes", total);
    else if (ok && total >= count * size)
        ok = failf("all %zu bytes arrived: never over max_outbuf", total);
    wsc_free(w);
    unsigned opens, closes, last = 0;
    for (int i = 0; ok && i < 50 && last != 1008; i++) {
        if (!stats(port, &opens, &closes, &last))
            return false;
        if (last != 1008)
            sleep_ms(50);
    }
    if (ok && last != 1008)
        ok = failf("on_close code %u, want 1008", last);
    return ok;
}

static bool c_keepalive_answering_peer_stays(void)
{
    struct wsc *w = open_ws(ka_port, NULL, 0);
    if (!w)
        return false;
    struct wsc_msg m;
    int rc = wsc_recv(w, 1200, &m); /* answers the pings meanwhile */
    bool ok = true;
    if (rc != 0)
        ok = failf("wsc_recv gave %d, want a timeout (pings only)", rc);
    if (rc == 1)
        wsc_msg_free(&m);
    if (ok && wsc_pings(w) < 2)
        ok = failf("%u pings in 1.2 s at a 200 ms interval", wsc_pings(w));
    ok = ok && wsc_send_text(w, "still", 5) == 0 && expect_text(w, "still", 5);
    wsc_free(w);
    return ok;
}

static bool c_keepalive_silent_peer_is_dropped(void)
{
    struct wsc *w = open_ws(ka_port, NULL, 0);
    if (!w)
        return false;
    sleep_ms(1200); /* ping at 200 ms, no pong by 600 ms */
    bool ok = true;
    if (wsc_drain(w, 2000, NULL) != 0)
        ok = failf("a peer that never answered pings is still connected");
    wsc_free(w);
    return ok;
}

static bool c_handoff_to_another_loop_keeps_the_request_and_early_frames(void)
{
    uint8_t f[64];
    size_t n = frame(f, true, 0, WSC_TEXT, true, "early", 5);
    n += frame(f + n, false, 0, WSC_TEXT, true, "frag", 4);
    bool ok = echo_roundtrip(ho_port, "moved") && echo_roundtrip(ho_port, "moved again");
    struct wsc *w = ok ? open_ws(ho_port, f, n) : NULL;
    if (!w)
        return false;
    ok = expect_text(w, "early", 5);
    n = frame(f, true, 0, WSC_CONT, true, "ment", 4);
    ok = ok && wsc_send_raw(w, f, n) == 0 && expect_text(w, "fragment", 8);
    ok = ok && wsc_send_close(w, 1000, NULL) == 0 && wsc_expect_close(w, T) == 1000;
    wsc_free(w);
    if (ok && !expect_http_on(ho_port, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404))
        return false;
    if (ok && !expect_http_on(ho_port, REQ(UPG KEY "Sec-WebSocket-Version: 7\r\n"), 426))
        return false;
    unsigned opens = 0, closes = 0, last;
    for (int i = 0; ok && i < 60; i++) {
        if (!stats(ho_port, &opens, &closes, &last))
            return false;
        if (opens == closes + 1)
            break;
        sleep_ms(100);
    }
    if (ok && (opens != 4 || closes != 3))
        ok = failf("after 3 sockets and a 4th asking: opens=%u closes=%u", opens, closes);
    return ok;
}

static bool c_on_close_ran_once_per_socket(void)
{
    unsigned opens = 0, closes = 0, last;
    /* lingering closes finish within 2 s; the stats connection itself is live */
    for (int i = 0; i < 60; i++) {
        if (!stats(port, &opens, &closes, &last))
            return false;
        if (opens == closes + 1)
            return true;
        sleep_ms(100);
    }
    return failf("opens=%u closes=%u (want closes = opens - 1)", opens, closes);
}

static const struct {
    const char *name;
    bool (*fn)(void);
} cases[] = {
#define C(n)                                                                                       \
    {                                                                                              \
#n, c_##n                                                                                  \
    }
    C(handshake_and_echo),
    C(handshake_accept_key_rfc_vector),
    C(frames_sent_with_the_request_are_handled),
    C(fragmented_text_with_ping_between),
    C(wrong_version_is_426),
    C(missing_version_is_426),
    C(missing_key_is_400),
    C(short_key_is_400),
    C(no_upgrade_header_is_400),
    C(upgrade_on_other_path_is_404),
    C(invalid_utf8_is_1007),
    C(invalid_utf8_across_fragments_is_1007),
    C(oversized_frame_is_1009),
    C(oversized_fragmented_message_is_1009),
    C(huge_length_header_alone_is_1009),
    C(unmasked_frame_is_1002),
    C(reserved_bits_are_1002),
    C(fragmented_control_frame_is_1002),
    C(control_frame_over_125_bytes_is_1002),
    C(reserved_opcodes_are_1002),
    C(continuation_without_start_is_1002),
    C(new_message_inside_fragmented_is_1002),
    C(non_minimal_length_is_1002),
    C(bad_close_frames_are_1002),
    C(binary_message_is_1003),
    C(ping_gets_pong_with_payload),
    C(client_close_is_answered_and_tcp_closed),
    C(server_close_sends_code_and_reason),
    C(peer_that_stops_reading_is_dropped_over_max_outbuf),
    C(keepalive_answering_peer_stays),
    C(keepalive_silent_peer_is_dropped),
    C(handoff_to_another_loop_keeps_the_request_and_early_frames),
    C(on_close_ran_once_per_socket),
#undef C
};

/* ---- memory per idle WebSocket ---- */

static long server_rss(void)
{
    struct wsc *w = open_ws(port, NULL, 0);
    if (!w)
        return -1;
    struct wsc_msg m;
    long kb = -1;
    if (wsc_send_text(w, "rss", 3) == 0 && wsc_recv(w, T, &m) == 1) {
        sscanf(m.data, "rss=%ld", &kb);
        wsc_msg_free(&m);
    }
    wsc_free(w);
    return kb;
}

static int measure(int n)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    struct wsc **ws = calloc((size_t)n, sizeof *ws);
    /* warm up allocator and buffers with a first batch, then measure a second one */
    long base = server_rss();
    int open = 0;
    for (int i = 0; i < n; i++) {
        ws[i] = open_ws(port, NULL, 0);
        if (!ws[i]) {
            fprintf(stderr, "ws: socket %d: %s\n", i, why);
            break;
        }
        open++;
    }
    sleep_ms(500);
    long after = server_rss();
    printf("ws: %d idle websockets: server RSS %ld KiB -> %ld KiB, %.1f KiB each\n", open, base,
           after, open ? (double)(after - base) / open : 0.0);
    for (int i = 0; i < open; i++)
        wsc_free(ws[i]);
    free(ws);
    return open == n ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ws_test WS_ECHO_BIN [FILTER | --measure N]\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm(GLOBAL_TIMEOUT_S);
    const char *filter = argc > 2 && strcmp(argv[2], "--measure") != 0 ? argv[2] : NULL;
    static const char *const main_args[] = {"--max-message", "4096", "--max-outbuf", "1048576",
                                            NULL};
    static const char *const ka_args[] = {"--ping-ms", "200", "--pong-ms", "400", NULL};
    children[0] = start_echo(argv[1], main_args, &port);
    if (children[0] < 0)
        return 1;
    if (argc > 3 && strcmp(argv[2], "--measure") == 0) {
        long n = strtol(argv[3], NULL, 10);
        int rc = n > 0 && n <= 10000 ? measure((int)n) : 2;
        stop_echo(children[0]);
        return rc;
    }
    static const char *const ho_args[] = {"--handoff", "1", NULL};
    children[1] = start_echo(argv[1], ka_args, &ka_port);
    children[2] = start_echo(argv[1], ho_args, &ho_port);
    if (children[1] < 0 || children[2] < 0) {
        for (int i = 0; i < 3; i++)
            if (children[i] > 0)
                stop_echo(children[i]);
        return 1;
    }
    int passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        if (filter && !strstr(cases[i].name, filter))
            continue;
        why[0] = '\0';
        bool ok = cases[i].fn();
        if (ok && !echo_roundtrip(port, "alive")) {
            ok = false;
            char w2[sizeof why + 64];
            snprintf(w2, sizeof w2, "a new connection does not echo afterwards: %.400s", why);
            snprintf(why, sizeof why, "%.500s", w2);
        }
        if (ok) {
            printf("ok %s\n", cases[i].name);
            passed++;
        } else {
            printf("FAIL %s: %s\n", cases[i].name, why);
            failed++;
        }
        fflush(stdout);
    }
    for (int i = 0; i < 3; i++) {
        int st = stop_echo(children[i]);
        children[i] = 0;
        if (st != 0) {
            printf("FAIL echo server %d exit status %d, want 0\n", i, st);
            failed++;
        }
    }
    printf("ws: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
