/*
 * http_test: end-to-end checks of the response path (issue 10, items 10-14 and 16) against the
 * real `pane serve`, on the e2e library.
 *
 *     http_test PANE_BIN SOURCE_DIR [FILTER]
 *
 * Two servers:
 *   pages   --reuse-sessions --session-key arg:city --frame-ancestors <a valid 791-character
 *           list>, examples/weather.c and tests/apps/cookie.c: the page heads of a miss, a hit
 *           and a bypass parse and carry the whole CSP; a miss's and a hit's gzip inflate to
 *           the page
 *   files   --frame-ancestors <the same> --idle-timeout 1000 --static-dirs files=<a temporary
 *           folder with a 30 MB file and a FIFO>, examples/weather.c, tests/apps/busy.c
 *           (pn_app busy-waits 200 ms), tests/apps/bigpage.c (a 12 MiB page) and
 *           tests/apps/bigcookie.c (36 KB of Set-Cookie lines: a 500, not a cut head): the
 * non-reuse page's head; 8 clients that request the 30 MB file and read nothing leave pane's RSS
 * small; a full download has the file's bytes; a client reading the file or the big page slowly but
 * steadily for much longer than the idle timeout gets all of it; one that stops reading is cut;
 * HEAD, a byte range, 304; a FIFO is 404 and the server still answers; the access log times a 200
 * ms handler. Every read has a timeout, the run one alarm (GLOBAL_TIMEOUT_S) that kills the
 * servers. PANE_WRAPPER (e.g. "valgrind --tool=memcheck --error-exitcode=1") runs pane under it;
 * the RSS case is then skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "e2e.h"

#define GLOBAL_TIMEOUT_S 200
#define IDLE_TIMEOUT_MS 1000
#define BIG_SIZE (30u << 20)
#define RSS_BOUND_KIB (40 * 1024) /* generous: 8 whole copies of the file would be 240 MiB */
#define FA_LEN 791

static char frame_ancestors[FA_LEN + 1];
static char dir[] = "/tmp/pane-http-test.XXXXXX";
static char big_path[sizeof dir + 16], fifo_path[sizeof dir + 16], small_path[sizeof dir + 16];
static struct e2e_server pages = {.name = "pages"}, files = {.name = "files"};
static const char *wrapper; /* PANE_WRAPPER (valgrind ...): pane runs under it */

/* ---- helpers ------------------------------------------------------------------------------- */

/* The byte at offset i of the big file: a pattern that no shift or repeat of a chunk matches. */
static unsigned char big_byte(uint64_t i)
{
    uint64_t x = i * 0x9E3779B97F4A7C15ull;
    return (unsigned char)(x >> 56 ^ x >> 23 ^ i);
}

static bool make_files(void)
{
    if (!mkdtemp(dir))
        return e2e_fail("mkdtemp: %s", strerror(errno));
    snprintf(big_path, sizeof big_path, "%s/big.bin", dir);
    snprintf(fifo_path, sizeof fifo_path, "%s/fifo.txt", dir);
    snprintf(small_path, sizeof small_path, "%s/small.txt", dir);
    FILE *f = fopen(big_path, "wb");
    if (!f)
        return e2e_fail("%s: %s", big_path, strerror(errno));
    static unsigned char chunk[1 << 16];
    for (uint64_t off = 0; off < BIG_SIZE; off += sizeof chunk) {
        for (size_t i = 0; i < sizeof chunk; i++)
            chunk[i] = big_byte(off + i);
        fwrite(chunk, 1, sizeof chunk, f);
    }
    if (fclose(f) != 0)
        return e2e_fail("writing %s", big_path);
    f = fopen(small_path, "w");
    if (!f)
        return e2e_fail("%s: %s", small_path, strerror(errno));
    fputs("pane-small-ok\n", f);
    fclose(f);
    if (mkfifo(fifo_path, 0600) != 0)
        return e2e_fail("mkfifo: %s", strerror(errno));
    return true;
}

static void remove_files(void)
{
    unlink(big_path);
    unlink(small_path);
    unlink(fifo_path);
    rmdir(dir);
}

/* A valid CSP source list of exactly FA_LEN characters. */
static void make_frame_ancestors(void)
{
    size_t n = 0;
    for (int i = 0; n < FA_LEN; i++) {
        int k = snprintf(frame_ancestors + n, sizeof frame_ancestors - n,
                         "%shttps://app%03d.example.com", i ? " " : "", i);
        n += (size_t)k;
        if (n >= FA_LEN)
            break;
    }
    frame_ancestors[FA_LEN] = '\0';
    if (frame_ancestors[FA_LEN - 1] == ' ')
        frame_ancestors[FA_LEN - 1] = 'x';
}

/* The response's head is whole: its Content-Security-Policy ends with the whole list, and the
 * X-Pane-Cache it should have (NULL: none) is there. */
static bool head_whole(const struct e2e_resp *r, const char *cache)
{
    if (r->status != 200)
        return e2e_fail("status %d", r->status);
    size_t n;
    const char *csp = e2e_resp_header(r, "content-security-policy", &n);
    if (!csp)
        return e2e_fail("no Content-Security-Policy");
    if (n < FA_LEN || memcmp(csp + n - FA_LEN, frame_ancestors, FA_LEN) != 0 ||
        !e2e_find(csp, n, "frame-ancestors https://app000"))
        return e2e_fail("the CSP is not whole (%zu bytes, ends \"%s\")", n,
                        e2e_shown(csp + (n > 40 ? n - 40 : 0), n > 40 ? 40 : n));
    if (cache && !e2e_header_has(r, "x-pane-cache", cache))
        return e2e_fail("no X-Pane-Cache: %s", cache);
    if (!cache && e2e_resp_header(r, "x-pane-cache", &n))
        return e2e_fail("an X-Pane-Cache on a page without the cache");
    if (!e2e_header_has(r, "content-type", "text/html") || !e2e_header_has(r, "vary", NULL))
        return e2e_fail("Content-Type or Vary missing after the CSP");
    if (r->body.len == 0 || !e2e_header_has(r, "content-length", NULL))
        return e2e_fail("no body");
    return true;
}

static bool get_whole(int port, const char *target, const char *headers, const char *cache)
{
    struct e2e_resp r;
    bool ok = e2e_get(port, target, headers, &r) && head_whole(&r, cache);
    e2e_resp_fini(&r);
    return ok || e2e_failw("GET %s", target);
}

static int inflate_all(const char *p, size_t n, struct pn_buf *out)
{
    z_stream z = {0};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return -1;
    z.next_in = (unsigned char *)p;
    z.avail_in = (unsigned)n;
    int rc;
    do {
        unsigned char b[65536];
        z.next_out = b;
        z.avail_out = sizeof b;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        pn__buf_append(out, b, sizeof b - z.avail_out);
    } while (rc != Z_STREAM_END);
    inflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

/* A connection whose receive buffer is small, so that the server's writes wait for our reads
 * (set before connect: the window is chosen then). */
static int connect_small(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int rcv = 32 * 1024;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof rcv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *s)
{
    size_t n = strlen(s);
    return send(fd, s, n, MSG_NOSIGNAL) == (ssize_t)n;
}

/* Reads a response to GET of the big file on fd: its head, then its body checked against the
 * file byte by byte. pace_ms > 0: at most `step` bytes per read and a pause of pace_ms between
 * reads (a slow, steady reader). Returns the body bytes that matched; *eof_early is set when
 * the server closed before the whole body came. */
static uint64_t read_big(int fd, int pace_ms, size_t step, long long deadline, bool *eof_early,
                         bool *mismatch)
{
    static char buf[1 << 16];
    char head[4096];
    size_t hl = 0;
    uint64_t got = 0;
    bool in_body = false;
    *eof_early = *mismatch = false;
    while (e2e_now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        int pr = poll(&p, 1, 200);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr == 0)
            continue;
        size_t want = step && step < sizeof buf ? step : sizeof buf;
        ssize_t n = recv(fd, buf, want, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *eof_early = got < BIG_SIZE;
            return got;
        }
        size_t off = 0;
        if (!in_body) {
            size_t before = hl;
            size_t take = (size_t)n < sizeof head - 1 - hl ? (size_t)n : sizeof head - 1 - hl;
            memcpy(head + hl, buf, take);
            hl += take;
            head[hl] = '\0';
            char *end = strstr(head, "\r\n\r\n");
            if (!end) {
                if (hl >= sizeof head - 1)
                    return *mismatch = true, got;
                continue;
            }
            off = (size_t)(end + 4 - head) - before; /* where the body starts in buf */
            in_body = true;
        }
        for (size_t i = off; i < (size_t)n; i++, got++)
            if (got >= BIG_SIZE || (unsigned char)buf[i] != big_byte(got)) {
                *mismatch = true;
                return got;
            }
        if (got == BIG_SIZE)
            return got;
        if (pace_ms)
            e2e_sleep_ms(pace_ms);
    }
    return got;
}

/* ---- pages: item 10 (one writer for a page's head) and 11 (the miss's gzip) ---------------- */

static bool case_csp_miss_hit(void)
{
    int port = pages.port;
    return get_whole(port, "/weather?city=Lyon", NULL, "miss") &&
           get_whole(port, "/weather?city=Lyon", NULL, "hit") &&
           get_whole(port, "/weather?city=Nice", "Accept-Encoding: gzip\r\n", "miss") &&
           get_whole(port, "/weather?city=Nice", "Accept-Encoding: gzip\r\n", "hit");
}

static bool case_csp_bypass(void)
{
    /* a page that sets a cookie is served, never stored: bypass, with its Set-Cookie lines */
    struct e2e_resp r;
    bool ok = e2e_get(pages.port, "/cookie?lang=fr", NULL, &r) && head_whole(&r, "bypass") &&
              (e2e_header_count(&r, "set-cookie") == 2 ||
               e2e_fail("%d Set-Cookie lines, want 2", e2e_header_count(&r, "set-cookie")));
    e2e_resp_fini(&r);
    return ok;
}

/* A miss's gzip (made at level 1) and a later hit's (level 12 once recompressed) are the same
 * page as the identity response. */
static bool case_gzip_miss_then_hit(void)
{
    int port = pages.port;
    struct e2e_resp plain, miss, hit; /* each e2e_get sets its response in any case */
    struct pn_buf a, b;
    pn__buf_init(&a, 1 << 24);
    pn__buf_init(&b, 1 << 24);
    bool ok = e2e_get(port, "/weather?city=Gap", "Accept-Encoding: gzip\r\n", &miss);
    ok &= e2e_get(port, "/weather?city=Gap", NULL, &plain);
    e2e_sleep_ms(300); /* let the recompression finish (either answer is right) */
    ok &= e2e_get(port, "/weather?city=Gap", "Accept-Encoding: gzip\r\n", &hit);
    if (ok && (!e2e_header_has(&miss, "x-pane-cache", "miss") ||
               !e2e_header_has(&miss, "content-encoding", "gzip") ||
               !e2e_header_has(&hit, "x-pane-cache", "hit") ||
               !e2e_header_has(&hit, "content-encoding", "gzip")))
        ok = e2e_fail("want a gzip miss then a gzip hit");
    if (ok && (inflate_all(miss.body.data, miss.body.len, &a) != 0 ||
               inflate_all(hit.body.data, hit.body.len, &b) != 0))
        ok = e2e_fail("a gzip body does not inflate");
    if (ok && (a.len != plain.body.len || memcmp(a.data, plain.body.data, a.len) != 0 ||
               b.len != plain.body.len || memcmp(b.data, plain.body.data, b.len) != 0))
        ok = e2e_fail("the inflated bodies differ from the identity page (%zu, %zu, %zu bytes)",
                      a.len, b.len, plain.body.len);
    e2e_resp_fini(&plain);
    e2e_resp_fini(&miss);
    e2e_resp_fini(&hit);
    pn__buf_fini(&a);
    pn__buf_fini(&b);
    return ok;
}

/* ---- files: the non-reuse page, items 12, 13, 14 and 16 ------------------------------------ */

static bool case_csp_no_cache(void)
{
    return get_whole(files.port, "/weather", NULL, NULL) &&
           get_whole(files.port, "/weather", "Accept-Encoding: gzip\r\n", NULL);
}

static bool case_idle_clients_rss(void)
{
    if (wrapper && *wrapper) {
        printf("# idle-clients: skipped under PANE_WRAPPER (the RSS would be the wrapper's)\n");
        return true;
    }
    long before = e2e_server_rss_kib(&files);
    int fds[8];
    int n = 0;
    char req[256];
    snprintf(req, sizeof req, "GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n",
             files.port);
    for (; n < 8; n++) {
        fds[n] = connect_small(files.port);
        if (fds[n] < 0 || !send_all(fds[n], req))
            break;
    }
    long peak = before;
    /* while the responses wait for readers (the idle timeout cuts them after ~1 s) */
    for (int i = 0; i < 6; i++) {
        e2e_sleep_ms(100);
        long now = e2e_server_rss_kib(&files);
        if (now > peak)
            peak = now;
    }
    for (int i = 0; i < n; i++)
        close(fds[i]);
    if (n < 8)
        return e2e_fail("only %d of 8 clients connected", n);
    printf("# idle-clients: pane's VmRSS %ld KiB before, %ld KiB at most with 8 clients not "
           "reading a 30 MiB file\n",
           before, peak);
    if (before < 0 || peak - before > RSS_BOUND_KIB)
        return e2e_fail("RSS grew by %ld KiB (bound %d)", peak - before, RSS_BOUND_KIB);
    return true;
}

static bool case_full_download(void)
{
    int fd = connect_small(files.port);
    char req[256];
    snprintf(req, sizeof req,
             "GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
             files.port);
    if (fd < 0 || !send_all(fd, req)) {
        if (fd >= 0)
            close(fd);
        return e2e_fail("cannot send the request");
    }
    bool early, bad;
    uint64_t got = read_big(fd, 0, 0, e2e_now_ms() + 30000, &early, &bad);
    close(fd);
    if (bad)
        return e2e_fail("the body differs from the file at byte %llu", (unsigned long long)got);
    if (got != BIG_SIZE)
        return e2e_fail("%llu of %u bytes", (unsigned long long)got, BIG_SIZE);
    return true;
}

/* Item 12: a client that reads steadily, 32 KiB every 4 ms (about 3 s in all, three idle
 * timeouts), gets all of it. */
static bool case_slow_steady_reader(void)
{
    int fd = connect_small(files.port);
    char req[256];
    snprintf(req, sizeof req, "GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n",
             files.port);
    if (fd < 0 || !send_all(fd, req)) {
        if (fd >= 0)
            close(fd);
        return e2e_fail("cannot send the request");
    }
    long long t0 = e2e_now_ms();
    bool early, bad;
    uint64_t got = read_big(fd, 4, 32 * 1024, t0 + 60000, &early, &bad);
    close(fd);
    long long took = e2e_now_ms() - t0;
    printf("# slow-steady-reader: %llu bytes in %lld ms (idle timeout %d ms)\n",
           (unsigned long long)got, took, IDLE_TIMEOUT_MS);
    if (bad)
        return e2e_fail("the body differs from the file at byte %llu", (unsigned long long)got);
    if (got != BIG_SIZE)
        return e2e_fail("cut after %llu of %u bytes (%lld ms)", (unsigned long long)got, BIG_SIZE,
                        took);
    return true;
}

/* The same for a page (a body in memory, written by one uv_write: progress is seen as the bytes
 * still queued shrinking): 12 MiB read at 32 KiB every 8 ms, about three idle timeouts. */
static bool case_slow_steady_page(void)
{
    int fd = connect_small(files.port);
    char req[256];
    snprintf(req, sizeof req,
             "GET /bigpage HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n\r\n",
             files.port);
    if (fd < 0 || !send_all(fd, req)) {
        if (fd >= 0)
            close(fd);
        return e2e_fail("cannot send the request");
    }
    static char buf[32 * 1024];
    size_t got = 0, clen = 0, head_len = 0;
    char head[4096];
    bool eof = false;
    long long t0 = e2e_now_ms(), deadline = t0 + 60000;
    while (e2e_now_ms() < deadline) {
        struct pollfd p = {fd, POLLIN, 0};
        int pr = poll(&p, 1, 200);
        if (pr <= 0)
            continue;
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            eof = true;
            break;
        }
        if (!head_len) {
            size_t take = (size_t)n < sizeof head - 1 ? (size_t)n : sizeof head - 1;
            memcpy(head, buf, take);
            head[take] = '\0';
            char *end = strstr(head, "\r\n\r\n"), *cl = strcasestr(head, "content-length:");
            if (!end || !cl) {
                close(fd);
                return e2e_fail("the page's head did not come in one read");
            }
            head_len = (size_t)(end + 4 - head);
            clen = strtoul(cl + 15, NULL, 10);
        }
        got += (size_t)n;
        if (clen && got >= head_len + clen)
            break;
        e2e_sleep_ms(8);
    }
    close(fd);
    long long took = e2e_now_ms() - t0;
    printf("# slow-steady-page: %zu of %zu body bytes in %lld ms (idle timeout %d ms)\n",
           got > head_len ? got - head_len : 0, clen, took, IDLE_TIMEOUT_MS);
    if (!clen || got < head_len + clen)
        return e2e_fail("cut after %zu of %zu body bytes (%lld ms, eof %d)",
                        got > head_len ? got - head_len : 0, clen, took, eof);
    return true;
}

/* ... and one that stops reading is still cut. */
static bool case_stalled_reader_cut(void)
{
    int fd = connect_small(files.port);
    char req[256];
    snprintf(req, sizeof req, "GET /files/big.bin HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n",
             files.port);
    if (fd < 0 || !send_all(fd, req)) {
        if (fd >= 0)
            close(fd);
        return e2e_fail("cannot send the request");
    }
    e2e_sleep_ms(IDLE_TIMEOUT_MS * 3); /* cut within 1.25 timeouts of the last progress */
    bool early, bad;
    uint64_t got = read_big(fd, 0, 0, e2e_now_ms() + 10000, &early, &bad);
    close(fd);
    if (bad)
        return e2e_fail("the body differs from the file at byte %llu", (unsigned long long)got);
    if (!early)
        return e2e_fail("not cut: %llu bytes came", (unsigned long long)got);
    return true;
}

static bool case_head_range_304(void)
{
    int port = files.port;
    struct e2e_resp h, r, inm, ims, past; /* each e2e_get sets its response in any case */
    bool ok = e2e_request(port, "HEAD", "/files/big.bin", NULL, &h);
    char etag[128] = "", lm[128] = "", hdr[300];
    if (ok &&
        (h.status != 200 || h.body.len != 0 || !e2e_header_has(&h, "content-length", "31457280") ||
         !e2e_header_copy(&h, "etag", etag, sizeof etag) ||
         !e2e_header_copy(&h, "last-modified", lm, sizeof lm)))
        ok = e2e_fail("HEAD: status %d, %zu body bytes, want 200 with Content-Length, ETag and "
                      "Last-Modified and no body",
                      h.status, h.body.len);
    ok &= e2e_get(port, "/files/big.bin", "Range: bytes=1000-1009\r\n", &r);
    if (ok) {
        bool same = r.body.len == 10;
        for (size_t i = 0; same && i < 10; i++)
            same = (unsigned char)r.body.data[i] == big_byte(1000 + i);
        if (r.status != 206 || !same ||
            !e2e_header_has(&r, "content-range", "bytes 1000-1009/31457280"))
            ok = e2e_fail("Range: status %d, %zu bytes", r.status, r.body.len);
    }
    snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
    ok &= e2e_get(port, "/files/big.bin", hdr, &inm);
    if (ok && (inm.status != 304 || inm.body.len != 0))
        ok = e2e_fail("If-None-Match: status %d", inm.status);
    snprintf(hdr, sizeof hdr, "If-Modified-Since: %s\r\n", lm);
    ok &= e2e_get(port, "/files/big.bin", hdr, &ims);
    if (ok && ims.status != 304)
        ok = e2e_fail("If-Modified-Since: status %d", ims.status);
    ok &= e2e_get(port, "/files/big.bin", "Range: bytes=40000000-\r\n", &past);
    if (ok && past.status != 416)
        ok = e2e_fail("a range past the end: status %d, want 416", past.status);
    /* the last bytes, as a suffix and as an open range */
    const char *tails[] = {"Range: bytes=-7\r\n", "Range: bytes=31457273-\r\n"};
    for (size_t t = 0; ok && t < 2; t++) {
        struct e2e_resp tail;
        ok = e2e_get(port, "/files/big.bin", tails[t], &tail);
        bool same = ok && tail.status == 206 && tail.body.len == 7 &&
                    e2e_header_has(&tail, "content-range", "bytes 31457273-31457279/31457280");
        for (size_t i = 0; same && i < 7; i++)
            same = (unsigned char)tail.body.data[i] == big_byte(BIG_SIZE - 7 + i);
        if (ok && !same)
            ok = e2e_fail("%s: status %d, %zu bytes", tails[t], tail.status, tail.body.len);
        e2e_resp_fini(&tail);
    }
    e2e_resp_fini(&h);
    e2e_resp_fini(&r);
    e2e_resp_fini(&inm);
    e2e_resp_fini(&ims);
    e2e_resp_fini(&past);
    return ok;
}

/* Item 14: a FIFO is never opened (open() would wait for a writer, and the loop with it). */
static bool case_fifo(void)
{
    struct e2e_resp r, after;
    bool ok = e2e_get(files.port, "/files/fifo.txt", NULL, &r);
    if (ok && r.status != 404)
        ok = e2e_fail("FIFO: status %d, want 404", r.status);
    if (!ok) {
        /* unblock a server stuck in open() so that the cases after this one still run */
        int w = open(fifo_path, O_WRONLY | O_NONBLOCK);
        if (w >= 0)
            close(w);
    }
    bool ok2 = e2e_get(files.port, "/files/small.txt", NULL, &after) && after.status == 200 &&
               e2e_find(after.body.data, after.body.len, "pane-small-ok");
    if (ok && !ok2)
        ok = e2e_failw("a file after the FIFO");
    e2e_resp_fini(&r);
    e2e_resp_fini(&after);
    return ok;
}

/* Item 16: the access log times what a synchronous handler took (200 ms of pn_app). */
static bool case_access_log_time(void)
{
    size_t mark = e2e_log_mark(&files);
    struct e2e_resp r;
    bool ok = e2e_get(files.port, "/busy", NULL, &r) && r.status == 200;
    e2e_resp_fini(&r);
    if (!ok)
        return e2e_failw("GET /busy");
    char line[1024];
    if (!e2e_log_wait(&files, mark, "\"GET /busy\"", 5000) ||
        !e2e_log_line(&files, mark, "\"GET /busy\"", line, sizeof line))
        return e2e_fail("no access log line for GET /busy");
    const char *ms = strstr(line, "ms");
    const char *p = ms;
    while (p && p > line && p[-1] >= '0' && p[-1] <= '9')
        p--;
    long v = p && p < ms ? strtol(p, NULL, 10) : -1;
    printf("# access-log: %s\n", line);
    if (v < 150)
        return e2e_fail("the log says %ld ms for a 200 ms handler: %s", v, line);
    return true;
}

/* A head over the bound (36 KB of cookies) is a 500 and an error line, not a head cut short;
 * the server goes on. */
static bool case_head_over_bound(void)
{
    size_t mark = e2e_log_mark(&files);
    struct e2e_resp r, after;
    bool ok = e2e_get(files.port, "/bigcookie", NULL, &r);
    if (ok && (r.status != 500 || e2e_header_count(&r, "set-cookie") != 0))
        ok = e2e_fail("status %d with %d Set-Cookie lines, want 500 and none", r.status,
                      e2e_header_count(&r, "set-cookie"));
    if (ok && !e2e_log_wait(&files, mark, "response head was not made", 5000))
        ok = e2e_fail("no error line in the log");
    bool ok2 = e2e_get(files.port, "/weather", NULL, &after) && after.status == 200;
    if (ok && !ok2)
        ok = e2e_failw("the page after");
    e2e_resp_fini(&r);
    e2e_resp_fini(&after);
    return ok;
}

/* ---- apps that link libraries (--pkg, --libs) and include local headers ---------------------- */

static bool write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    bool ok = f && fputs(text, f) >= 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    return ok ? true : e2e_fail("cannot write %s", path);
}

/* Serves the app in adir with flags; the page must show want. */
static bool serve_zapp(const char *app, const char *flag, const char *val, const char *want,
                       const char *log_has)
{
    static struct e2e_server zs[2]; /* the run keeps every server it started (e2e_finish) */
    static int nz;
    struct e2e_server *z = &zs[nz++ % 2];
    *z = (struct e2e_server){.name = "zapp"};
    const char *args[] = {flag, val, app, NULL};
    if (!e2e_server_start(z, &(struct e2e_spawn){.args = flag ? args : args + 2}))
        return false;
    struct e2e_resp r;
    bool ok = e2e_get(z->port, "/zapp", NULL, &r) && r.status == 200 && strstr(r.body.data, want);
    if (!ok && !e2e_why[0])
        e2e_fail("GET /zapp: %d, want \"%s\"", r.status, want);
    e2e_resp_fini(&r);
    if (ok && log_has && !e2e_log_has(z, 0, log_has))
        ok = e2e_fail("no `%s` in the log", log_has);
    return e2e_server_stop(z, SIGTERM, 10000) == 0 && ok;
}

static bool case_build_flags(void)
{
    char adir[] = "/tmp/pane-zapp.XXXXXX", app[64], hdr[64];
    if (!mkdtemp(adir))
        return e2e_fail("mkdtemp: %s", strerror(errno));
    snprintf(app, sizeof app, "%s/zapp.c", adir);
    snprintf(hdr, sizeof hdr, "%s/greeting.h", adir);
    bool ok = write_text(app, "#include <pane.h>\n#include <zlib.h>\n#include \"greeting.h\"\n"
                              "void pn_app(pn_session *s) { pn_servable(s, pn_markdown(s, .text = "
                              "pn_fmt(s, \"zlib %s %s\", zlibVersion(), GREETING))); }\n") &&
              write_text(hdr, "#define GREETING \"one\"\n");
    /* pkg-config's flags link zlib; the page says its version */
    ok = ok && serve_zapp(app, "--pkg", "zlib", "zlib 1.", NULL);
    /* the header changes, the flags do not: compiled again */
    ok = ok && write_text(hdr, "#define GREETING \"two\"\n") &&
         serve_zapp(app, "--pkg", "zlib", " two", "a header it includes changed");
    /* without them the app cannot load: a clear error, the command fails */
    if (ok) {
        static struct e2e_server z = {.name = "zapp-nolibs"};
        const char *args[] = {app, NULL};
        if (e2e_server_start(&z, &(struct e2e_spawn){.args = args}))
            ok = e2e_fail("served without -lz");
        if (ok && !e2e_log_has(&z, 0, "undefined symbol: zlibVersion"))
            ok = e2e_fail("no `undefined symbol: zlibVersion` in the log");
        e2e_server_stop(&z, SIGKILL, 1000);
    }
    unlink(app), unlink(hdr), rmdir(adir);
    return ok;
}

/* ---- the run ------------------------------------------------------------------------------- */

static void stop(struct e2e_server *s)
{
    char name[64];
    snprintf(name, sizeof name, "stop-%s", s->name);
    int st = e2e_server_stop(s, SIGTERM, 10000);
    if (st != 0)
        e2e_fail("exit status %d after SIGTERM", st);
    e2e_report(name, st == 0);
}

int main(int argc, char **argv)
{
    e2e_init("http", argc, argv, GLOBAL_TIMEOUT_S);
    wrapper = getenv("PANE_WRAPPER");
    make_frame_ancestors();

    const char *pages_args[] = {"--reuse-sessions",
                                "--session-key",
                                "arg:city",
                                "--frame-ancestors",
                                frame_ancestors,
                                e2e_src("examples/weather.c"),
                                e2e_src("tests/apps/cookie.c"),
                                NULL};
    bool up = e2e_server_start(
        &pages, &(struct e2e_spawn){.args = pages_args, .napps = 2, .wrapper = wrapper});
    e2e_report("start-pages", up);
    if (up) {
        E2E_CASE("csp-miss-hit", case_csp_miss_hit);
        E2E_CASE("csp-bypass", case_csp_bypass);
        E2E_CASE("gzip-miss-then-hit", case_gzip_miss_then_hit);
        stop(&pages);
    }

    E2E_CASE("build-flags", case_build_flags);

    if (!make_files()) {
        e2e_report("make-files", false);
        remove_files();
        return e2e_finish();
    }
    char statics[sizeof dir + 16], idle[16];
    snprintf(statics, sizeof statics, "files=%s", dir);
    snprintf(idle, sizeof idle, "%d", IDLE_TIMEOUT_MS);
    const char *files_args[] = {"--frame-ancestors",
                                frame_ancestors,
                                "--idle-timeout",
                                idle,
                                "--static-dirs",
                                statics,
                                e2e_src("examples/weather.c"),
                                e2e_src("tests/apps/busy.c"),
                                e2e_src("tests/apps/bigpage.c"),
                                e2e_src("tests/apps/bigcookie.c"),
                                NULL};
    up = e2e_server_start(&files,
                          &(struct e2e_spawn){.args = files_args, .napps = 4, .wrapper = wrapper});
    e2e_report("start-files", up);
    if (up) {
        E2E_CASE("csp-no-cache", case_csp_no_cache);
        E2E_CASE("idle-clients-rss", case_idle_clients_rss);
        E2E_CASE("full-download", case_full_download);
        E2E_CASE("slow-steady-reader", case_slow_steady_reader);
        E2E_CASE("slow-steady-page", case_slow_steady_page);
        E2E_CASE("stalled-reader-cut", case_stalled_reader_cut);
        E2E_CASE("head-range-304", case_head_range_304);
        E2E_CASE("access-log-time", case_access_log_time);
        E2E_CASE("head-over-bound-500", case_head_over_bound);
        E2E_CASE("fifo", case_fifo);
        stop(&files);
    }
    remove_files();
    return e2e_finish();
}
