/*
 * image_test: the pictures of pn_image against the real `pane serve`, with tests/apps/images.c
 * (a 32×32 PNG, an SVG naming the worker's pid, a 3 MiB picture, a button that shows another
 * PNG), on the e2e library.
 *
 *     image_test PANE_BIN SOURCE_DIR [FILTER]
 *
 *   page      the page's <img> tags: src PREFIX/_pane/img/<64 hex>.<ext>, the header's width
 *             and height, the alt text
 *   get       each URL: 200, its Content-Type, Cache-Control public, max-age=31536000,
 *             immutable, ETag "<hash>", nosniff, for the SVG the sandboxing CSP (for no other);
 *             the body's SHA-256 is the name and a PNG's IHDR has the page's width and height
 *   304       If-None-Match with the ETag: 304 without a body; another ETag: 200
 *   head      HEAD: 200, the Content-Length of the GET, no body
 *   404       an unknown hash, a traversal (raw and encoded), a name too long, upper-case or
 *             other non-hex digits, an extension pane does not serve, no extension, no name
 *   405       POST
 *   live      a click on Next: the patch carries another src (and the caption), which is
 *             served
 *   many      200 page views of the 3 MiB picture: the server's memory grows by far less than
 *             one copy per view
 *   restart   a new server (same cache folder) serves the URLs of the last one's pages without
 *             any page made: from the image folder (0700, files 0600, no temporary file left)
 *   prefix    --prefix /dash: src under /dash/_pane/img/, served there, 404 without the prefix
 *   workers   --num-procs 2: on a connection held by one worker (its page says its pid), the
 *             picture only the other worker made (its SVG names that worker) is served, both
 *             ways, several times
 *   threads   --num-threads 3: 60 pages on every loop, one key per picture, served by any loop
 *             (the tsan preset runs this program: the store's lock under ThreadSanitizer)
 * Every wait has a timeout, the run one alarm that kills the servers.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/images.h"
#include "e2e.h"

#define GLOBAL_TIMEOUT_S 240
#define T 10000 /* ms: one response */

static struct e2e_server S = {.name = "images"};

struct pic {
    char src[200]; /* as the page has it */
    char key[80];  /* <hash>.<ext> */
    unsigned w, h;
    char alt[64];
};

/* The value of attribute name (` name="…"`) in the tag starting at tag, into out. */
static bool attr(const char *tag, const char *name, char *out, size_t outlen)
{
    const char *end = strchr(tag, '>');
    char pat[40];
    snprintf(pat, sizeof pat, " %s=\"", name);
    const char *a = strstr(tag, pat);
    if (!a || !end || a > end)
        return false;
    a += strlen(pat);
    const char *q = strchr(a, '"');
    snprintf(out, outlen, "%.*s", (int)(q - a), a);
    return true;
}

/* The <img> tags of html (at most max). */
static int pictures(const char *html, struct pic *out, int max)
{
    int n = 0;
    for (const char *t = html; n < max && (t = strstr(t, "<img ")); t++) {
        struct pic *p = &out[n++];
        memset(p, 0, sizeof *p);
        char num[16];
        attr(t, "src", p->src, sizeof p->src);
        attr(t, "alt", p->alt, sizeof p->alt);
        if (attr(t, "width", num, sizeof num))
            p->w = (unsigned)strtoul(num, NULL, 10);
        if (attr(t, "height", num, sizeof num))
            p->h = (unsigned)strtoul(num, NULL, 10);
        const char *k = strstr(p->src, "/_pane/img/");
        if (k)
            snprintf(p->key, sizeof p->key, "%s", k + 11);
    }
    return n;
}

/* The page's pictures by alt (bars: "Bars", the worker's SVG: "Worker", the big one: "Big") and
 * its pid. */
struct page {
    struct pic bars, worker, big;
    int pid;
};

static bool parse_page(const char *html, struct page *pg, const char *prefix)
{
    struct pic all[8];
    int n = pictures(html, all, 8);
    memset(pg, 0, sizeof *pg);
    for (int i = 0; i < n; i++) {
        char want[64];
        snprintf(want, sizeof want, "%s/_pane/img/", prefix);
        if (strncmp(all[i].src, want, strlen(want)) != 0)
            return e2e_fail("src \"%s\" is not under %s", all[i].src, want);
        if (!pn__image_key_ok(pn__str(all[i].key)))
            return e2e_fail("src \"%s\": not <64 hex>.<ext>", all[i].src);
        struct pic *to = strcmp(all[i].alt, "Bars") == 0     ? &pg->bars
                         : strcmp(all[i].alt, "Worker") == 0 ? &pg->worker
                         : strcmp(all[i].alt, "Big") == 0    ? &pg->big
                                                             : NULL;
        if (to)
            *to = all[i];
    }
    const char *p = strstr(html, "pid ");
    pg->pid = p ? (int)strtol(p + 4, NULL, 10) : 0;
    if (!pg->bars.key[0] || !pg->worker.key[0] || !pg->big.key[0] || pg->pid <= 0)
        return e2e_fail("the page has %d pictures (want Bars, Worker and Big) and pid %d", n,
                        pg->pid);
    return true;
}

static bool get_page(const struct e2e_server *s, const char *path, struct page *pg,
                     const char *prefix)
{
    struct e2e_page p;
    bool ok = e2e_get_page(s, path, &p) && parse_page(p.main, pg, prefix);
    e2e_page_fini(&p);
    return ok;
}

/* r is the picture key: 200, its type, the immutable caching, the ETag, nosniff, the CSP for an
 * SVG only, a body whose SHA-256 is its name. */
static bool check_picture(const struct e2e_resp *r, const char *key)
{
    const char *ext = strchr(key, '.') + 1;
    const char *mime = pn__image_mime(pn__str(ext));
    char etag[80], hash[65];
    snprintf(etag, sizeof etag, "\"%.64s\"", key);
    if (r->status != 200)
        return e2e_fail("%s: status %d", key, r->status);
    if (!e2e_header_has(r, "Content-Type", mime))
        return e2e_fail("%s: Content-Type not %s", key, mime);
    if (!e2e_header_has(r, "Cache-Control", "public, max-age=31536000, immutable"))
        return e2e_fail("%s: not immutable", key);
    if (!e2e_header_has(r, "ETag", etag))
        return e2e_fail("%s: ETag is not %s", key, etag);
    if (!e2e_header_has(r, "X-Content-Type-Options", "nosniff"))
        return e2e_fail("%s: no nosniff", key);
    bool svg = strcmp(ext, "svg") == 0;
    if (svg != e2e_header_has(r, "Content-Security-Policy",
                              "default-src 'none'; style-src 'unsafe-inline'; sandbox"))
        return e2e_fail("%s: %s the sandboxing CSP", key, svg ? "without" : "with");
    pn__sha256_hex(r->body.data ? r->body.data : "", r->body.len, hash);
    if (strncmp(hash, key, 64) != 0)
        return e2e_fail("%s: the body (%zu bytes) hashes to %s", key, r->body.len, hash);
    return true;
}

static bool fetch_picture(int port, const char *prefix, const struct pic *p)
{
    char target[256];
    snprintf(target, sizeof target, "%s/_pane/img/%s", prefix, p->key);
    struct e2e_resp r;
    bool ok = e2e_get(port, target, NULL, &r) && check_picture(&r, p->key);
    e2e_resp_fini(&r);
    return ok;
}

static struct page first; /* the first server's page */

static bool case_page(void)
{
    if (!get_page(&S, "/images", &first, ""))
        return false;
    if (first.bars.w != 32 || first.bars.h != 32)
        return e2e_fail("bars: %ux%u, want 32x32", first.bars.w, first.bars.h);
    if (first.worker.w != 140 || first.worker.h != 30)
        return e2e_fail("worker SVG: %ux%u, want 140x30", first.worker.w, first.worker.h);
    if (first.big.w != 1000 || first.big.h != 700)
        return e2e_fail("big: %ux%u, want 1000x700", first.big.w, first.big.h);
    if (!strstr(first.bars.key, ".png") || !strstr(first.worker.key, ".svg"))
        return e2e_fail("keys %s and %s", first.bars.key, first.worker.key);
    return true;
}

static bool case_get(void)
{
    const struct pic *all[] = {&first.bars, &first.worker, &first.big};
    for (size_t i = 0; i < 3; i++) {
        char target[256];
        snprintf(target, sizeof target, "/_pane/img/%s", all[i]->key);
        struct e2e_resp r;
        bool ok = e2e_get(S.port, target, NULL, &r) && check_picture(&r, all[i]->key);
        if (ok && i != 1) { /* the PNG header's size is the page's */
            const unsigned char *b = (const unsigned char *)r.body.data;
            unsigned w = (unsigned)b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19];
            unsigned h = (unsigned)b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23];
            if (w != all[i]->w || h != all[i]->h)
                ok = e2e_fail("%s: IHDR %ux%u, the page %ux%u", all[i]->key, w, h, all[i]->w,
                              all[i]->h);
        }
        if (ok && i == 2 && r.body.len != 3u << 20)
            ok = e2e_fail("big: %zu bytes", r.body.len);
        if (ok && i == 1 && !e2e_find(r.body.data, r.body.len, "worker "))
            ok = e2e_fail("the SVG does not name its worker: %s",
                          e2e_shown(r.body.data, r.body.len));
        e2e_resp_fini(&r);
        if (!ok)
            return false;
    }
    return true;
}

static bool case_304(void)
{
    char target[256], h[128];
    snprintf(target, sizeof target, "/_pane/img/%s", first.bars.key);
    snprintf(h, sizeof h, "If-None-Match: \"%.64s\"\r\n", first.bars.key);
    struct e2e_resp r;
    bool ok = e2e_get(S.port, target, h, &r);
    if (ok && (r.status != 304 || r.body.len != 0 || !e2e_header_has(&r, "ETag", NULL)))
        ok = e2e_fail("If-None-Match: status %d, %zu bytes", r.status, r.body.len);
    e2e_resp_fini(&r);
    ok = ok && e2e_get(S.port, target, "If-None-Match: \"0000\"\r\n", &r) &&
         check_picture(&r, first.bars.key);
    e2e_resp_fini(&r);
    return ok;
}

static bool case_head(void)
{
    char target[256], len[32], want[32];
    snprintf(target, sizeof target, "/_pane/img/%s", first.big.key);
    snprintf(want, sizeof want, "%u", 3u << 20);
    struct e2e_resp r;
    bool ok = e2e_request(S.port, "HEAD", target, NULL, &r);
    if (ok && (r.status != 200 || r.body.len != 0 ||
               !e2e_header_copy(&r, "Content-Length", len, sizeof len) || strcmp(len, want)))
        ok = e2e_fail("HEAD: status %d, Content-Length %s, %zu bytes of body", r.status, len,
                      r.body.len);
    e2e_resp_fini(&r);
    return ok;
}

static bool case_404(void)
{
    char hex[65], t[16][200];
    memcpy(hex, first.bars.key, 64);
    hex[64] = '\0';
    int n = 0;
    snprintf(t[n++], 200, "/_pane/img/%064d.png", 0);
    snprintf(t[n++], 200, "/_pane/img/../../etc/passwd");
    snprintf(t[n++], 200, "/_pane/img/%%2e%%2e%%2f%%2e%%2e%%2fetc%%2fpasswd");
    snprintf(t[n++], 200, "/_pane/img/%s0.png", hex);
    snprintf(t[n++], 200, "/_pane/img/%.63s.png", hex);
    snprintf(t[n++], 200, "/_pane/img/%.63sG.png", hex);
    snprintf(t[n++], 200, "/_pane/img/%.63sx.png", hex);
    snprintf(t[n++], 200, "/_pane/img/%s.PNG", hex);
    snprintf(t[n++], 200, "/_pane/img/%s.html", hex);
    snprintf(t[n++], 200, "/_pane/img/%s", hex);
    snprintf(t[n++], 200, "/_pane/img/%s.png/", hex);
    snprintf(t[n++], 200, "/_pane/img/");
    snprintf(t[n++], 200, "/_pane/img");
    snprintf(t[n++], 200, "/_pane/img/%s.svg", hex); /* its bytes, another type: not made */
    for (int i = 0; i < n; i++) {
        struct e2e_resp r;
        bool ok = e2e_get(S.port, t[i], NULL, &r);
        if (ok && r.status != 404)
            ok = e2e_fail("GET %s: %d, want 404", t[i], r.status);
        if (ok && e2e_header_has(&r, "Cache-Control", "immutable"))
            ok = e2e_fail("GET %s: a 404 marked immutable", t[i]);
        e2e_resp_fini(&r);
        if (!ok)
            return false;
    }
    return true;
}

static bool case_405(void)
{
    char target[256];
    snprintf(target, sizeof target, "/_pane/img/%s", first.bars.key);
    struct e2e_resp r;
    bool ok = e2e_request(S.port, "POST", target, "Content-Length: 0\r\n", &r);
    if (ok && (r.status != 405 || !e2e_header_has(&r, "Allow", "GET")))
        ok = e2e_fail("POST: %d", r.status);
    e2e_resp_fini(&r);
    return ok;
}

static bool case_live(void)
{
    json_t *doc = NULL, *patch = NULL;
    struct e2e_cl *c = e2e_open_session(&S, "/images/ws", "", &doc);
    long next = c ? e2e_doc_id(doc, "Button", "Next") : -1;
    long bars = -1;
    json_t *nodes = doc ? json_object_get(doc, "root") : NULL;
    json_t *img = nodes ? e2e_tree_find(nodes, "Image", NULL) : NULL;
    if (img)
        bars = (long)json_integer_value(json_object_get(img, "id"));
    bool ok = c && next > 0 && bars > 0;
    if (c && !ok)
        e2e_fail("no Next button or Image in %s", e2e_dumps(doc));
    ok = ok && e2e_sendf(c, "{\"t\":\"event\",\"id\":%ld,\"prop\":\"clicks\"}", next) &&
         (patch = e2e_expect_msg(c, "patch", "pong", T));
    json_t *ch = ok ? e2e_patch_changes(patch, bars) : NULL;
    const char *src = ch ? json_string_value(json_object_get(ch, "src")) : NULL;
    struct pic p = {0};
    if (ok && (!src || strncmp(src, "/_pane/img/", 11) != 0 ||
               strcmp(e2e_jstr(ch, "caption"), "another one") != 0 ||
               json_integer_value(json_object_get(ch, "width")) != 32))
        ok = e2e_fail("the patch: %s", e2e_dumps(patch));
    if (ok) {
        snprintf(p.key, sizeof p.key, "%s", src + 11);
        if (strcmp(p.key, first.bars.key) == 0)
            ok = e2e_fail("the same src after pn_image_set");
    }
    ok = ok && fetch_picture(S.port, "", &p);
    json_decref(patch), json_decref(doc);
    if (c)
        e2e_close_nicely(c);
    return ok;
}

static bool case_many(void)
{
    long before = e2e_server_rss_kib(&S);
    for (int i = 0; i < 200; i++) {
        struct page pg;
        if (!get_page(&S, "/images", &pg, ""))
            return false;
        if (strcmp(pg.big.key, first.big.key) != 0)
            return e2e_fail("view %d: another key for the same bytes", i);
    }
    long after = e2e_server_rss_kib(&S);
    if (before < 0 || after < 0)
        return e2e_fail("no RSS");
    if (after - before > 100 * 1024) /* one copy per view would be 600 MiB */
        return e2e_fail("RSS grew by %ld KiB over 200 views", after - before);
    return true;
}

static const char *cache_img_dir(void)
{
    static char dir[4200];
    snprintf(dir, sizeof dir, "%s/pane/img", getenv("XDG_CACHE_HOME"));
    return dir;
}

static bool case_restart(void)
{
    if (e2e_server_stop(&S, SIGTERM, 10000) != 0)
        return e2e_fail("the first server did not exit 0");
    const char *args[] = {e2e_src("tests/apps/images.c"), NULL};
    if (!e2e_server_start(&S, &(struct e2e_spawn){.args = args}))
        return false;
    /* no page yet: the new process has nothing in memory */
    bool ok = fetch_picture(S.port, "", &first.bars) && fetch_picture(S.port, "", &first.worker) &&
              fetch_picture(S.port, "", &first.big);
    struct stat sb;
    const char *dir = cache_img_dir();
    if (ok && (stat(dir, &sb) != 0 || (sb.st_mode & 0777) != 0700))
        ok = e2e_fail("%s: not a folder of mode 0700", dir);
    DIR *d = ok ? opendir(dir) : NULL;
    for (struct dirent *de; d && ok && (de = readdir(d));) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (de->d_name[0] == '.')
            ok = e2e_fail("a temporary file left: %s", de->d_name);
        else if (fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || (sb.st_mode & 0777) != 0600)
            ok = e2e_fail("%s: mode %o", de->d_name, (unsigned)(sb.st_mode & 0777));
    }
    if (d)
        closedir(d);
    return ok;
}

static bool case_prefix(void)
{
    static struct e2e_server P = {.name = "prefix"};
    const char *args[] = {e2e_src("tests/apps/images.c"), "--prefix", "/dash", NULL};
    if (!e2e_server_start(&P, &(struct e2e_spawn){.args = args}))
        return false;
    struct page pg;
    bool ok =
        get_page(&P, "/dash/images", &pg, "/dash") && fetch_picture(P.port, "/dash", &pg.bars);
    char target[256];
    snprintf(target, sizeof target, "/_pane/img/%s", pg.bars.key);
    struct e2e_resp r;
    if (ok && e2e_get(P.port, target, NULL, &r) && r.status != 404)
        ok = e2e_fail("GET %s without the prefix: %d", target, r.status);
    e2e_resp_fini(&r);
    if (e2e_server_stop(&P, SIGTERM, 10000) != 0)
        ok = ok && e2e_fail("prefix: no exit 0");
    return ok;
}

/* --num-threads 3: sessions on every loop put the same pictures at once (one entry, served by
 * any loop); under the tsan preset, ThreadSanitizer watches the store's lock. */
static bool case_threads(void)
{
    static struct e2e_server M = {.name = "threads"};
    const char *args[] = {e2e_src("tests/apps/images.c"), "--num-threads", "3", NULL};
    if (!e2e_server_start(&M, &(struct e2e_spawn){.args = args}))
        return false;
    bool ok = true;
    struct page p0 = {0};
    for (int i = 0; ok && i < 60; i++) {
        struct page p;
        ok = get_page(&M, "/images", &p, "");
        if (ok && i == 0)
            p0 = p;
        else if (ok && (strcmp(p.bars.key, p0.bars.key) || strcmp(p.big.key, p0.big.key)))
            ok = e2e_fail("page %d: other keys for the same bytes", i);
        if (ok && i % 10 == 0)
            ok = fetch_picture(M.port, "", &p.bars) && fetch_picture(M.port, "", &p.big);
    }
    if (e2e_server_stop(&M, SIGTERM, 10000) != 0)
        ok = ok && e2e_fail("threads: no exit 0");
    return ok;
}

/* GET target on c (keep-alive), into r. */
static bool get_on(struct e2e_conn *c, int port, const char *target, struct e2e_resp *r)
{
    char req[512];
    snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", target, port);
    return e2e_conn_send_str(c, req) == 0 && e2e_read_response(c, false, r, T) == 0;
}

static bool case_workers(void)
{
    static struct e2e_server W = {.name = "workers"};
    const char *args[] = {e2e_src("tests/apps/images.c"), "--num-procs", "2", NULL};
    if (!e2e_server_start(&W, &(struct e2e_spawn){.args = args}))
        return false;
    struct page pg[2];
    int seen = 0;
    bool ok = true;
    /* the page from each worker: its pid, and its SVG (which names it) */
    for (int i = 0; ok && i < 40 && seen < 2; i++) {
        struct page p;
        ok = get_page(&W, "/images", &p, "");
        if (ok && (seen == 0 || p.pid != pg[0].pid))
            pg[seen++] = p;
    }
    if (ok && seen < 2)
        ok = e2e_fail("40 pages, all from pid %d", pg[0].pid);
    /* on a connection of one worker, the other's picture: from the folder */
    int done[2] = {0, 0};
    for (int i = 0; ok && i < 60 && (done[0] < 3 || done[1] < 3); i++) {
        struct e2e_conn c;
        if (e2e_conn_open(&c, W.port) != 0) {
            ok = e2e_fail("connect");
            break;
        }
        struct e2e_resp r;
        ok = get_on(&c, W.port, "/images", &r) && r.status == 200;
        const char *p = ok ? strstr(r.body.data, "pid ") : NULL;
        int pid = p ? (int)strtol(p + 4, NULL, 10) : 0;
        e2e_resp_fini(&r);
        int k = pid == pg[0].pid ? 0 : pid == pg[1].pid ? 1 : -1;
        if (ok && k < 0)
            ok = e2e_fail("a page from pid %d, not %d or %d", pid, pg[0].pid, pg[1].pid);
        if (ok && done[k] < 3) {
            const struct pic *other = &pg[1 - k].worker;
            char target[256], says[32];
            snprintf(target, sizeof target, "/_pane/img/%s", other->key);
            snprintf(says, sizeof says, "worker %d<", pg[1 - k].pid);
            ok = get_on(&c, W.port, target, &r) && check_picture(&r, other->key);
            if (ok && !e2e_find(r.body.data, r.body.len, says))
                ok = e2e_fail("%s does not say %s", other->key, says);
            if (!ok)
                e2e_failw("pid %d serving pid %d's picture", pid, pg[1 - k].pid);
            e2e_resp_fini(&r);
            done[k]++;
        }
        e2e_conn_close(&c);
    }
    if (ok && (done[0] < 3 || done[1] < 3))
        ok = e2e_fail("60 connections: %d on pid %d, %d on pid %d", done[0], pg[0].pid, done[1],
                      pg[1].pid);
    if (e2e_server_stop(&W, SIGTERM, 10000) != 0)
        ok = ok && e2e_fail("workers: no exit 0");
    return ok;
}

int main(int argc, char **argv)
{
    e2e_init("images", argc, argv, GLOBAL_TIMEOUT_S);
    signal(SIGPIPE, SIG_IGN);
    const char *args[] = {e2e_src("tests/apps/images.c"), NULL};
    if (!e2e_server_start(&S, &(struct e2e_spawn){.args = args})) {
        e2e_report("start", false);
        return e2e_finish();
    }
    e2e_report("page", case_page()); /* the others use its URLs */
    E2E_CASE("get", case_get);
    E2E_CASE("304", case_304);
    E2E_CASE("head", case_head);
    E2E_CASE("404", case_404);
    E2E_CASE("405", case_405);
    E2E_CASE("live", case_live);
    E2E_CASE("many", case_many);
    E2E_CASE("restart", case_restart);
    E2E_CASE("prefix", case_prefix);
    E2E_CASE("workers", case_workers);
    E2E_CASE("threads", case_threads);
    e2e_report("sigterm", e2e_server_stop(&S, SIGTERM, 10000) == 0);
    return e2e_finish();
}
