/*
 * e2e.tls: `pane serve --ssl-certfile --ssl-keyfile` (net/transport.c, net/tls.c) against the
 * real server, with a self-signed P-256 certificate made at test time by openssl(1).
 *
 *   https      a page and a static file with curl --cacert
 *   versions   openssl s_client: -tls1_2 and -tls1_3 connect (ALPN http/1.1), -tls1_1 and
 *              -no_tls1_2 -no_tls1_3 are refused (the server's log says why)
 *   wss        a page over HTTPS, its socket over TLS: the doc and a patch
 *   stall      half a ClientHello, then nothing: closed after --header-timeout; others served
 *   garbage    a plaintext HTTP request and random bytes on the TLS port: closed with no HTTP
 *              answer, while a TLS keep-alive connection opened before goes on
 *   drip       a handshake and a request sent one byte at a time
 *   bighello   a 1 MiB ClientHello: refused, the server's memory stays put
 *   noread     a 4 MiB static file not read for a while, then read whole
 *   churn      300 connections opened and dropped (before, during and after their handshake):
 *              the descriptors come back, the server serves
 *   reload     SIGHUP with a new certificate: new connections see it (SHA-256 fingerprints),
 *              a socket opened before goes on until its worker stops (close 1001); a broken
 *              certificate then fails the reload and the running workers go on
 *   badcert    a key that is not the certificate's, or a missing file: exit 1 with a clear
 *              message before any worker starts
 *   procs      --num-procs 2 --num-threads 2: pages and sockets on every worker and loop;
 *              sockets move to their session's loop with their TLS sessions, by the URL (before
 *              the 101) and by the hello (after it)
 */
#include <errno.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "e2e.h"

#define T (3000 * e2e.tscale)

static char dir[] = "/tmp/pane-tls-XXXXXX";
static char cert[300], key[300], cert2[300], key2[300], files[300], cert_live[300], key_live[300];
static struct e2e_server S = {.name = "tls"};

/* ---- helpers ---- */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return st == -1 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 256;
}

/* The output of a command (at most len - 1 bytes). */
static bool capture(char *out, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool capture(char *out, size_t len, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    FILE *f = popen(cmd, "r");
    if (!f)
        return false;
    size_t n = fread(out, 1, len - 1, f);
    out[n] = '\0';
    return pclose(f) != -1;
}

static bool make_cert(const char *crt, const char *k, const char *cn)
{
    return sh("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
              "-subj /CN=%s -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout %s -out %s "
              ">/dev/null 2>&1",
              cn, k, crt) == 0 ||
           e2e_fail("openssl req failed (is openssl installed?)");
}

static bool copy_file(const char *from, const char *to)
{
    return sh("cp %s %s.tmp && mv %s.tmp %s", from, to, to, to) == 0 ||
           e2e_fail("cp %s %s failed", from, to);
}

static void fingerprint_x509(X509 *x, char *out, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned n = 0;
    snprintf(out, len, "?");
    if (!x || X509_digest(x, EVP_sha256(), md, &n) != 1)
        return;
    for (unsigned i = 0, o = 0; i < n && o + 3 < len; i++, o += 2)
        snprintf(out + o, len - o, "%02X", md[i]);
}

static void fingerprint_file(const char *path, char *out, size_t len)
{
    FILE *f = fopen(path, "r");
    X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
    fingerprint_x509(x, out, len);
    X509_free(x);
    if (f)
        fclose(f);
}

/* The fingerprint of the certificate the server shows a new connection. */
static bool fingerprint_port(int port, char *out, size_t len)
{
    struct e2e_conn c;
    if (e2e_conn_open(&c, port) != 0)
        return e2e_failw("TLS connect");
    X509 *x = SSL_get1_peer_certificate(c.ssl);
    fingerprint_x509(x, out, len);
    X509_free(x);
    e2e_conn_close(&c);
    return true;
}

static int tcp_open(int port)
{
    int fd = wsc_tcp_connect("127.0.0.1", port, 5000 * e2e.tscale);
    if (fd < 0)
        e2e_fail("connect to %d failed", port);
    return fd;
}

/* Reads until EOF within ms: 1 closed (bytes read in *got), 0 still open. */
static int wait_eof(int fd, int ms, size_t *got)
{
    long long deadline = e2e_now_ms() + ms;
    char b[4096];
    *got = 0;
    while (e2e_now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        ssize_t n = recv(fd, b, sizeof b, 0);
        if (n <= 0)
            return 1;
        *got += (size_t)n;
    }
    return 0;
}

static bool get_ok(int port, const char *path)
{
    struct e2e_resp r;
    bool ok = e2e_get(port, path, NULL, &r) &&
              (r.status == 200 || e2e_fail("GET %s: %d", path, r.status));
    e2e_resp_fini(&r);
    return ok;
}

static bool start(struct e2e_server *s, const char *const *extra)
{
    const char *args[24] = {e2e_src("examples/weather.c"),
                            "--ssl-certfile",
                            cert_live,
                            "--ssl-keyfile",
                            key_live,
                            "--header-timeout",
                            "1500",
                            "--static-dirs",
                            NULL};
    static char static_arg[400];
    snprintf(static_arg, sizeof static_arg, "files=%s", files);
    int n = 8;
    args[n++] = static_arg;
    for (int i = 0; extra && extra[i] && n < 23; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    return e2e_server_start(s, &(struct e2e_spawn){.args = args});
}

/* ---- cases ---- */

static bool case_https(void)
{
    char out[512];
    capture(out, sizeof out,
            "curl -sS --max-time 10 --cacert %s -o /dev/null -w '%%{http_code} %%{scheme}' "
            "https://127.0.0.1:%d/weather 2>&1",
            cert, S.port);
    if (strcmp(out, "200 HTTPS") && strcmp(out, "200 https"))
        return e2e_fail("curl the page: %s", out);
    capture(out, sizeof out,
            "curl -sS --max-time 10 --cacert %s https://localhost:%d/files/hello.txt 2>&1", cert,
            S.port);
    if (strcmp(out, "hello over tls\n"))
        return e2e_fail("curl the static file: %s", e2e_shown(out, strlen(out)));
    /* the certificate is checked: without --cacert curl refuses it */
    if (sh("curl -s --max-time 10 -o /dev/null https://127.0.0.1:%d/weather", S.port) == 0)
        return e2e_fail("curl took a self-signed certificate without --cacert");
    return true;
}

static int s_client(const char *opts, char *out, size_t len)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "openssl s_client -connect 127.0.0.1:%d -servername localhost -CAfile %s %s "
             "</dev/null 2>&1; echo \"exit=$?\"",
             S.port, cert, opts);
    capture(out, len, "%s", cmd);
    return strstr(out, "exit=0") ? 0 : 1;
}

static bool case_versions(void)
{
    static char out[65536];
    const char *good[] = {"-tls1_2 -alpn http/1.1", "-tls1_3 -alpn http/1.1"};
    const char *proto[] = {"New, TLSv1.2, Cipher is ECDHE-", "New, TLSv1.3, Cipher is"};
    for (int i = 0; i < 2; i++) {
        if (s_client(good[i], out, sizeof out) != 0 || !strstr(out, proto[i]) ||
            !strstr(out, "ALPN protocol: http/1.1") || !strstr(out, "Verify return code: 0"))
            return e2e_fail("s_client %s: %s", good[i], e2e_shown(out, strlen(out)));
    }
    /* TLS 1.2 offers only ECDHE with AEAD */
    if (s_client("-tls1_2 -cipher AES128-SHA", out, sizeof out) == 0)
        return e2e_fail("TLS 1.2 with AES128-SHA (no ECDHE, no AEAD) was accepted");
    size_t mark = e2e_log_mark(&S);
    /* (SECLEVEL=0: the client would refuse TLS 1.1 on its own otherwise) */
    if (s_client("-tls1_1 -cipher DEFAULT@SECLEVEL=0", out, sizeof out) == 0)
        return e2e_fail("TLS 1.1 was accepted");
    if (!e2e_log_wait(&S, mark, "TLS handshake failed: unsupported protocol", T))
        return e2e_fail("no `TLS handshake failed: unsupported protocol` in the log");
    if (s_client("-no_tls1_2 -no_tls1_3 -cipher DEFAULT@SECLEVEL=0", out, sizeof out) == 0)
        return e2e_fail("-no_tls1_2 -no_tls1_3 connected");
    return true;
}

/* A page and its socket: the doc (and a patch). any_loop: the socket's URL without the loop
 * it names (/weather/ws/1 → /weather/ws), so that its hello moves it (--num-threads). */
static bool session_ex(const struct e2e_server *s, const char *path, bool want_patch, bool any_loop)
{
    struct e2e_page p;
    struct e2e_cl *c = NULL;
    json_t *doc = NULL, *patch = NULL;
    bool ok = e2e_get_page(s, path, &p);
    if (ok && any_loop) {
        char *slash = strrchr(p.ws, '/');
        if (slash && slash[1] >= '0' && slash[1] <= '9')
            *slash = '\0';
    }
    ok = ok && (c = e2e_cl_open(s, p.ws)) && (doc = e2e_hello_doc(c, p.token, ""));
    if (ok && want_patch)
        ok = (patch = e2e_expect_msg(c, "patch", "pong", 3 * T)) != NULL;
    json_decref(patch);
    json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    e2e_page_fini(&p);
    return ok;
}

static bool session(const struct e2e_server *s, const char *path, bool want_patch)
{
    return session_ex(s, path, want_patch, false);
}

static bool case_wss(void)
{
    struct e2e_page p;
    bool ok = e2e_get_page(&S, "/weather", &p);
    /* the client derives the socket's URL from location: a relative path keeps the scheme */
    if (ok && p.ws[0] != '/')
        ok = e2e_fail("the page's socket URL is not a path: %s", p.ws);
    e2e_page_fini(&p);
    ok = ok && session(&S, "/weather", true);
    /* the origin check knows the page is https: an http:// origin is another origin */
    char origin[128];
    snprintf(origin, sizeof origin, "Origin: http://127.0.0.1:%d\r\n", S.port);
    int st = 0;
    struct e2e_cl *c = ok ? e2e_cl_open_ex(&S, "/weather/ws", origin, NULL, 0, &st) : NULL;
    if (ok && (c || st != 403))
        ok = e2e_fail("%s on wss: status %d, want 403", origin, st);
    e2e_cl_free(c);
    e2e_why[0] = '\0';
    /* (the page's Host is 127.0.0.1: https://localhost is another host) */
    snprintf(origin, sizeof origin, "Origin: https://localhost:%d\r\n", S.port);
    c = ok ? e2e_cl_open_ex(&S, "/weather/ws", origin, NULL, 0, &st) : NULL;
    if (ok && (c || st != 403))
        ok = e2e_fail("%s: status %d, want 403", origin, st);
    e2e_cl_free(c);
    return ok;
}

static bool case_stall(void)
{
    static const unsigned char half[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc};
    int fd = tcp_open(S.port);
    if (fd < 0)
        return false;
    long long t0 = e2e_now_ms();
    bool ok = send(fd, half, sizeof half, MSG_NOSIGNAL) == (ssize_t)sizeof half;
    ok = ok && get_ok(S.port, "/weather"); /* meanwhile, others are served */
    size_t got;
    int closed = ok ? wait_eof(fd, 1500 + 3000 * e2e.tscale, &got) : 0;
    long long took = e2e_now_ms() - t0;
    close(fd);
    if (ok && !closed)
        return e2e_fail("a stalled handshake is still open after %lld ms", took);
    if (ok && took < 1300)
        return e2e_fail("a stalled handshake was closed after %lld ms, before the timeout", took);
    /* the same for a connection that says nothing at all */
    fd = tcp_open(S.port);
    closed = fd >= 0 ? wait_eof(fd, 1500 + 3000 * e2e.tscale, &got) : 0;
    if (fd >= 0)
        close(fd);
    return ok && (closed || e2e_fail("a silent connection is still open after the timeout"));
}

static bool case_garbage(void)
{
    struct e2e_conn keep;
    if (e2e_conn_open(&keep, S.port) != 0)
        return false;
    struct e2e_resp r;
    bool ok = e2e_conn_send_str(&keep, "GET /weather HTTP/1.1\r\nHost: x\r\n\r\n") == 0 &&
              e2e_read_response(&keep, false, &r, T) == 0 && r.status == 200;
    e2e_resp_fini(&r);
    const char *bad[] = {"GET /weather HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                         "\x16\x03\x01\x00\x05garbagegarbagegarbage", "\x01\x02\x03\x04hello"};
    for (int i = 0; ok && i < 3; i++) {
        int fd = tcp_open(S.port);
        if (fd < 0)
            return false;
        size_t got = 0;
        ok = send(fd, bad[i], strlen(bad[i]), MSG_NOSIGNAL) > 0 && wait_eof(fd, T, &got) == 1;
        if (!ok)
            e2e_fail("%s on the TLS port: not closed", e2e_shown(bad[i], strlen(bad[i])));
        close(fd);
    }
    /* the keep-alive connection opened before is fine */
    ok = ok && e2e_conn_send_str(&keep, "GET /weather HTTP/1.1\r\nHost: x\r\n\r\n") == 0 &&
         e2e_read_response(&keep, false, &r, T) == 0 &&
         (r.status == 200 || e2e_fail("keep-alive after garbage: %d", r.status));
    e2e_resp_fini(&r);
    e2e_conn_close(&keep);
    return ok && e2e_server_alive(&S);
}

/* A client on memory BIOs that sends every byte of its own in a write of its own. */
static bool drip_flush(int fd, SSL *ssl)
{
    BIO *wb = SSL_get_wbio(ssl);
    char b;
    while (BIO_read(wb, &b, 1) == 1) {
        if (send(fd, &b, 1, MSG_NOSIGNAL) != 1)
            return false;
        e2e_sleep_ms(0);
    }
    return true;
}

static bool drip_read(int fd, SSL *ssl)
{
    char b[16384];
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, T) <= 0)
        return false;
    ssize_t n = recv(fd, b, sizeof b, 0);
    return n > 0 && BIO_write(SSL_get_rbio(ssl), b, (int)n) == (int)n;
}

static bool case_drip(void)
{
    int fd = tcp_open(S.port);
    if (fd < 0)
        return false;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    SSL *ssl = SSL_new(ctx);
    SSL_set_bio(ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(ssl);
    bool ok = true;
    for (int i = 0; ok && i < 50; i++) {
        int r = SSL_do_handshake(ssl);
        ok = drip_flush(fd, ssl);
        if (r == 1)
            break;
        ok = ok && SSL_get_error(ssl, r) == SSL_ERROR_WANT_READ && drip_read(fd, ssl);
    }
    ok = ok && SSL_is_init_finished(ssl);
    if (!ok)
        e2e_fail("the one-byte-at-a-time handshake did not finish");
    static const char req[] = "GET /weather HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    size_t done;
    ok = ok && SSL_write_ex(ssl, req, sizeof req - 1, &done) == 1 && drip_flush(fd, ssl);
    char resp[64] = "";
    size_t got = 0;
    for (int i = 0; ok && i < 50 && got < 12; i++) {
        size_t n = 0;
        if (SSL_read_ex(ssl, resp + got, sizeof resp - 1 - got, &n) == 1)
            got += n;
        else if (!drip_read(fd, ssl))
            break;
    }
    resp[got] = '\0';
    if (ok && strncmp(resp, "HTTP/1.1 200", 12))
        ok = e2e_fail("one byte at a time: %s", e2e_shown(resp, got));
    ERR_clear_error();
    SSL_free(ssl);
    SSL_CTX_free(ctx);
    close(fd);
    return ok;
}

static bool case_bighello(void)
{
    long before = e2e_server_rss_kib(&S);
    size_t len = 1u << 20;
    unsigned char *b = calloc(1, len + 64);
    if (!b)
        return e2e_fail("out of memory");
    /* one handshake message announcing 1 MiB, in records of 16 KiB */
    size_t o = 0, body = len;
    unsigned char hs[4] = {0x01, (unsigned char)(body >> 16), (unsigned char)(body >> 8),
                           (unsigned char)body};
    size_t sent_hs = 0;
    while (o + 5 + 16384 <= len + 64 && sent_hs < body) {
        size_t n = 16384;
        b[o] = 0x16, b[o + 1] = 0x03, b[o + 2] = 0x01, b[o + 3] = (unsigned char)(n >> 8),
        b[o + 4] = (unsigned char)n;
        if (o == 0)
            memcpy(b + 5, hs, 4);
        o += 5 + n;
        sent_hs += n;
    }
    int fd = tcp_open(S.port);
    bool ok = fd >= 0;
    size_t got;
    if (ok) {
        ssize_t w = send(fd, b, o, MSG_NOSIGNAL); /* the server may close before the end */
        (void)w;
        ok = wait_eof(fd, T, &got) == 1 || e2e_fail("a 1 MiB ClientHello: not closed");
        close(fd);
    }
    free(b);
    long after = e2e_server_rss_kib(&S);
    if (ok && after - before > 16 * 1024)
        ok = e2e_fail("RSS grew by %ld KiB", after - before);
    return ok && get_ok(S.port, "/weather");
}

static bool case_noread(void)
{
    size_t size = 4u << 20;
    struct e2e_conn c;
    if (e2e_conn_open(&c, S.port) != 0)
        return false;
    bool ok = e2e_conn_send_str(&c, "GET /files/big.bin HTTP/1.1\r\nHost: x\r\n\r\n") == 0;
    e2e_sleep_ms(1500); /* reads nothing meanwhile */
    ok = ok && get_ok(S.port, "/weather");
    struct e2e_resp r;
    ok = ok && e2e_read_response(&c, false, &r, 3 * T) == 0 &&
         ((r.status == 200 && r.body.len == size) ||
          e2e_fail("big file: %d, %zu bytes", r.status, r.body.len));
    e2e_resp_fini(&r);
    e2e_conn_close(&c);
    return ok;
}

static bool case_churn(void)
{
    e2e_idle(300);
    long fds0 = e2e_server_fds(&S);
    for (int i = 0; i < 300; i++) {
        if (i % 3 == 0) { /* connect and close */
            int fd = tcp_open(S.port);
            if (fd < 0)
                return false;
            close(fd);
        } else if (i % 3 == 1) { /* half a ClientHello */
            int fd = tcp_open(S.port);
            if (fd < 0)
                return false;
            ssize_t w = send(fd, "\x16\x03\x01\x02\x00\x01", 6, MSG_NOSIGNAL);
            (void)w;
            close(fd);
        } else { /* a whole handshake, then gone */
            struct e2e_conn c;
            if (e2e_conn_open(&c, S.port) != 0)
                return false;
            e2e_conn_close(&c);
        }
    }
    bool ok = get_ok(S.port, "/weather");
    long fds = -1;
    for (int i = 0; i < 50; i++) {
        fds = e2e_server_fds(&S);
        if (fds <= fds0 + 2)
            break;
        e2e_sleep_ms(100);
    }
    return ok && (fds <= fds0 + 2 || e2e_fail("descriptors %ld before, %ld after", fds0, fds));
}

static bool case_reload(void)
{
    char want[100], have[100], first[100];
    fingerprint_file(cert2, want, sizeof want);
    bool ok = fingerprint_port(S.port, first, sizeof first);
    /* a socket opened before the reload */
    struct e2e_page p;
    struct e2e_cl *c = NULL;
    json_t *doc = NULL;
    ok = ok && e2e_get_page(&S, "/weather", &p) && (c = e2e_cl_open(&S, p.ws)) &&
         (doc = e2e_hello_doc(c, p.token, ""));
    json_decref(doc);
    e2e_page_fini(&p);
    ok = ok && copy_file(cert2, cert_live) && copy_file(key2, key_live);
    size_t mark = e2e_log_mark(&S);
    if (ok)
        kill(S.pid, SIGHUP);
    ok = ok && (e2e_log_wait(&S, mark, "reloaded: ", 30000 * e2e.tscale) ||
                e2e_fail("no `reloaded:` line after SIGHUP"));
    ok = ok && fingerprint_port(S.port, have, sizeof have);
    if (ok && strcmp(have, want))
        ok = e2e_fail("after SIGHUP the server shows %s, want the new %s (was %s)", have, want,
                      first);
    /* the socket of before: patches until its worker stops, then a clean close 1001 */
    ok = ok && (e2e_expect_close(c, 1001, "patch,pong", 15000 * e2e.tscale) ||
                e2e_failw("the socket opened before the reload"));
    e2e_cl_free(c);
    ok = ok && session(&S, "/weather", true);
    /* a broken certificate: the reload fails, the running workers go on with the one they have */
    FILE *f = ok ? fopen(cert_live, "w") : NULL;
    if (f) {
        fputs("-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n", f);
        fclose(f);
    }
    mark = e2e_log_mark(&S);
    if (ok)
        kill(S.pid, SIGHUP);
    char line[600];
    ok = ok && (e2e_log_wait(&S, mark, "reload failed: ", 10000 * e2e.tscale) ||
                e2e_fail("no `reload failed:` after SIGHUP with a broken certificate"));
    if (ok && e2e_log_line(&S, mark, "reload failed: ", line, sizeof line) &&
        (!strstr(line, "--ssl-certfile") || !strstr(line, "the running workers go on")))
        ok = e2e_fail("the reload's error: %s", line);
    ok = ok && fingerprint_port(S.port, have, sizeof have) &&
         (!strcmp(have, want) || e2e_fail("after a failed reload: %s, want %s", have, want));
    ok = ok && get_ok(S.port, "/weather");
    return ok && copy_file(cert2, cert_live);
}

/* pane serve with these TLS files must fail at once, saying `needle`. */
static bool refuses(const char *crt, const char *k, const char *needle)
{
    static struct e2e_server b = {.name = "badcert"};
    const char *args[] = {
        e2e_src("examples/weather.c"), "--ssl-certfile", crt, "--ssl-keyfile", k, NULL};
    if (e2e_server_start(&b, &(struct e2e_spawn){.args = args})) {
        e2e_server_stop(&b, SIGTERM, 10000);
        return e2e_fail("started with %s and %s", crt, k);
    }
    char why[sizeof e2e_why];
    snprintf(why, sizeof why, "%s", e2e_why);
    e2e_why[0] = '\0';
    bool ok = (strstr(why, "exited with status 1") || e2e_fail("want exit 1: %s", why)) &&
              (e2e_log_has(&b, 0, needle) || e2e_fail("no `%s` in its output", needle)) &&
              (!e2e_log_has(&b, 0, "worker 1") || e2e_fail("a worker started"));
    return ok;
}

static bool case_badcert(void)
{
    char missing[400];
    snprintf(missing, sizeof missing, "%s/nothing.pem", dir);
    return refuses(cert, key2, "is not the key of --ssl-certfile") &&
           refuses(missing, key, "No such file or directory") &&
           refuses(cert, cert, "--ssl-keyfile");
}

static bool case_procs(void)
{
    static struct e2e_server s = {.name = "procs"};
    const char *extra[] = {"--num-procs", "2", "--num-threads", "2", "--log-level", "debug", NULL};
    if (!start(&s, extra))
        return false;
    bool ok = true;
    size_t mark = e2e_log_mark(&s);
    for (int i = 0; ok && i < 24; i++)
        ok = session_ex(&s, "/weather", false, i % 2) || e2e_failw("session %d", i + 1);
    /* sockets moved to their session's loop with their TLS sessions, by URL and by hello */
    ok = ok && (e2e_log_has(&s, mark, "WebSocket handed from loop") ||
                e2e_fail("no socket moved by its URL"));
    ok = ok && (e2e_log_has(&s, mark, "after its hello") || e2e_fail("no socket moved by hello"));
    for (int i = 0; ok && i < 12; i++)
        ok = get_ok(s.port, "/weather");
    int rc = e2e_server_stop(&s, SIGTERM, 15000);
    return ok && (rc == 0 || e2e_fail("exit %d", rc));
}

int main(int argc, char **argv)
{
    e2e_init("tls_test", argc, argv, 280);
    if (!mkdtemp(dir))
        return e2e_report("setup", e2e_fail("mkdtemp: %s", strerror(errno))), e2e_finish();
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(cert2, sizeof cert2, "%s/cert2.pem", dir);
    snprintf(key2, sizeof key2, "%s/key2.pem", dir);
    snprintf(cert_live, sizeof cert_live, "%s/live-cert.pem", dir);
    snprintf(key_live, sizeof key_live, "%s/live-key.pem", dir);
    snprintf(files, sizeof files, "%s/files", dir);
    bool ok = make_cert(cert, key, "pane-one") && make_cert(cert2, key2, "pane-two") &&
              copy_file(cert, cert_live) && copy_file(key, key_live) &&
              sh("mkdir -p %s && echo 'hello over tls' > %s/hello.txt && "
                 "head -c 4194304 /dev/urandom > %s/big.bin",
                 files, files, files) == 0;
    if (!ok) {
        e2e_report("setup", false);
        return e2e_finish();
    }
    if (e2e_selected("badcert"))
        e2e_report("badcert", case_badcert());
    if (!start(&S, (const char *[]){"--num-procs", "1", NULL})) {
        e2e_report("start", false);
        sh("rm -rf %s", dir);
        return e2e_finish();
    }
    E2E_CASE("https", case_https);
    E2E_CASE("versions", case_versions);
    E2E_CASE("wss", case_wss);
    E2E_CASE("stall", case_stall);
    E2E_CASE("garbage", case_garbage);
    E2E_CASE("drip", case_drip);
    E2E_CASE("bighello", case_bighello);
    E2E_CASE("noread", case_noread);
    E2E_CASE("churn", case_churn);
    E2E_CASE("reload", case_reload);
    int rc = e2e_server_stop(&S, SIGTERM, 15000);
    e2e_report("exit", rc == 0 || e2e_fail("exit %d", rc));
    E2E_CASE("procs", case_procs);
    sh("rm -rf %s", dir);
    return e2e_finish();
}
