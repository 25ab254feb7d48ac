/*
 * static: the --static-dirs files, PREFIX/<name>/<path>, and the pictures of pn_image,
 * PREFIX/_pane/img/<sha256 hex>.<ext>.
 *
 * A file is served only when it is a regular file inside its directory: the path is decoded
 * and refused if it has "..", ".", empty or backslash segments; realpath must stay under the
 * directory (no symlink out of it); anything but a regular file (a FIFO, a device, a
 * directory) is 404 before it is opened, and it is opened O_NONBLOCK | O_NOFOLLOW and checked
 * again with fstat (the same inode, still regular), so that no open() can block the loop.
 *
 * The body is streamed by net (pn_http_resp.file: 64 KiB chunks read on the thread pool as the
 * client reads), so memory per connection does not depend on the file's size, and it is sent
 * as it is, never compressed on the loop. ETag ("size-mtime") and Last-Modified give 304
 * (If-None-Match, else If-Modified-Since); HEAD gets the head alone; a single
 * "Range: bytes=a-b" gets 206 with Content-Range (416 when it is outside the file); several
 * ranges, or an If-Range that does not match, get the whole file.
 *
 * A picture (base/images.h) is named by its content, so it never changes: Cache-Control
 * immutable for a year, its hash as the ETag (If-None-Match: 304), nosniff, and for an SVG a
 * Content-Security-Policy that sandboxes it (no script runs in one opened on its own). Its
 * bytes come from the store's memory when it has them, else from the image folder, opened as
 * a static file is (the same checks) and streamed. A name that is not 64 hex digits and an
 * extension pane serves, or that neither has, is 404.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/images.h"
#include "server/server.h"

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *mime;
    } types[] = {
        {".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
        {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
        {".gif", "image/gif"}, {".svg", "image/svg+xml"}, {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"}, {".csv", "text/csv; charset=utf-8"},
        {".wasm", "application/wasm"}, {".woff2", "font/woff2"}, {".pdf", "application/pdf"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].mime;
    return "application/octet-stream";
}

/* Decodes rel and rejects anything that could leave the directory: "..", ".", empty or
 * backslash segments, NUL. */
static int safe_rel_path(pn_str rel, struct pn_buf *out)
{
    if (pn__url_decode(rel.ptr, rel.len, out) != 0)
        return PN_EPARSE;
    const char *p = out->data ? out->data : "";
    if (out->len == 0 || strchr(p, '\\') || p[0] == '/')
        return PN_EPARSE;
    const char *seg = p;
    for (;;) {
        const char *end = strchr(seg, '/');
        size_t n = end ? (size_t)(end - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return PN_EPARSE;
        if (!end)
            break;
        seg = end + 1;
    }
    return 0;
}

/* Opens the regular file at path without ever blocking: 0 with *fd and *st, or the status to
 * answer (404: absent, not a regular file, a symbolic link; 500: another error). */
static int open_file(const char *path, int *fd, struct stat *st)
{
    /* stat first: a FIFO or a device is never opened (open blocks on some, acts on others) */
    struct stat pre;
    if (stat(path, &pre) != 0 || !S_ISREG(pre.st_mode))
        return 404;
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0)
        return errno == ENOENT || errno == ELOOP || errno == EACCES ? 404 : 500;
    /* the path may have been swapped between stat and open: the opened file is what counts */
    if (fstat(*fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_ino != pre.st_ino ||
        st->st_dev != pre.st_dev) {
        close(*fd);
        return 404;
    }
    return 0;
}

/* Opens the regular file rel under root without ever blocking: 0 with *fd and *st, or the
 * status to answer (404: absent, outside, not a regular file; 500: another error). *real is
 * the resolved path (heap) when 0. */
static int open_regular(const char *root, pn_str rel, int *fd, struct stat *st, char **real)
{
    struct pn_buf relbuf, path;
    pn__buf_init(&relbuf, 4096);
    pn__buf_init(&path, 8192);
    int status = 404;
    *real = NULL;
    if (safe_rel_path(rel, &relbuf) != 0 ||
        pn__buf_printf(&path, "%s/%s", root, relbuf.data) != 0)
        goto out;
    *real = realpath(path.data, NULL);
    size_t rootlen = strlen(root);
    if (!*real || strncmp(*real, root, rootlen) != 0 || (*real)[rootlen] != '/')
        goto out; /* missing, or a symlink out of the directory */
    status = open_file(*real, fd, st);
out:
    if (status != 0) {
        free(*real);
        *real = NULL;
    }
    pn__buf_fini(&relbuf);
    pn__buf_fini(&path);
    return status;
}

/* An IMF-fixdate (RFC 9110 §5.6.7) of t. */
static void http_date_of(time_t t, char out[40])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 40, "%a, %d %b %Y %H:%M:%S GMT", &tm);
}

/* If-Modified-Since at or after mtime (only an IMF-fixdate is understood). */
static bool not_modified_since(const struct pn_http_req *r, time_t mtime)
{
    pn_str ims = pn__http_header(r, "if-modified-since");
    char z[64];
    if (!ims.ptr || ims.len >= sizeof z)
        return false;
    memcpy(z, ims.ptr, ims.len);
    z[ims.len] = '\0';
    struct tm tm = {0};
    const char *end = strptime(z, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (!end || *end)
        return false;
    return mtime <= timegm(&tm);
}

/* Reads an unsigned decimal from *p (at least one digit, no overflow). */
static bool read_u64(const char **p, const char *end, uint64_t *out)
{
    const char *s = *p;
    uint64_t v = 0;
    while (s < end && *s >= '0' && *s <= '9') {
        if (v > (UINT64_MAX - 9) / 10)
            return false;
        v = v * 10 + (uint64_t)(*s - '0');
        s++;
    }
    if (s == *p)
        return false;
    *p = s;
    *out = v;
    return true;
}

/* The single range of "Range: bytes=a-b" / "a-" / "-n" over size bytes: 1 with *off, *len;
 * 0 to send the whole file (no Range, or one we do not handle); -1 when unsatisfiable (416). */
static int byte_range(pn_str range, uint64_t size, uint64_t *off, uint64_t *len)
{
    if (!range.ptr || !pn__str_has_prefix(range, PN_STRLIT("bytes=")))
        return 0;
    const char *p = range.ptr + 6, *end = range.ptr + range.len;
    if (memchr(p, ',', (size_t)(end - p)))
        return 0; /* several ranges: the whole file is a valid answer */
    uint64_t a, b;
    if (p < end && *p == '-') { /* the last n bytes */
        p++;
        if (!read_u64(&p, end, &b) || p != end)
            return 0;
        if (b == 0 || size == 0)
            return -1;
        *len = b < size ? b : size;
        *off = size - *len;
        return 1;
    }
    if (!read_u64(&p, end, &a) || p >= end || *p != '-')
        return 0;
    p++;
    if (p == end)
        b = size ? size - 1 : 0;
    else if (!read_u64(&p, end, &b) || p != end || b < a)
        return 0;
    if (a >= size)
        return -1;
    if (b >= size)
        b = size - 1;
    *off = a;
    *len = b - a + 1;
    return 1;
}

void pn__static_serve(struct pn_http_conn *c, const struct pn_http_req *r, const char *root,
                      pn_str rel)
{
    int fd = -1;
    struct stat st;
    char *real = NULL;
    int status = open_regular(root, rel, &fd, &st, &real);
    if (status != 0) {
        pn__http_respond_text(c, status, NULL);
        return;
    }
    char etag[64], modified[40];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    http_date_of(st.st_mtime, modified);
    const char *mime = mime_of(real);
    free(real);
    uint64_t size = (uint64_t)st.st_size, off = 0, len = size;
    /* 304: If-None-Match decides when present (net checks it), else If-Modified-Since */
    if (!pn__http_header(r, "if-none-match").ptr && not_modified_since(r, st.st_mtime)) {
        close(fd);
        pn__http_respond(c, &(struct pn_http_resp){
                                .status = 304, .etag = etag, .cache_control = "no-cache"});
        return;
    }
    status = 200;
    pn_str if_range = pn__http_header(r, "if-range");
    int ranged = if_range.ptr && !pn__str_eq(if_range, pn__str(etag))
                     ? 0
                     : byte_range(pn__http_header(r, "range"), size, &off, &len);
    char extra[256];
    int n;
    if (ranged < 0) {
        close(fd);
        snprintf(extra, sizeof extra, "Content-Range: bytes */%" PRIu64 "\r\n", size);
        pn__http_respond_text(c, 416, extra);
        return;
    }
    if (ranged > 0) {
        status = 206;
        n = snprintf(extra, sizeof extra,
                     "Accept-Ranges: bytes\r\nLast-Modified: %s\r\n"
                     "X-Content-Type-Options: nosniff\r\n"
                     "Content-Range: bytes %" PRIu64 "-%" PRIu64 "/%" PRIu64 "\r\n",
                     modified, off, off + len - 1, size);
    } else
        n = snprintf(extra, sizeof extra,
                     "Accept-Ranges: bytes\r\nLast-Modified: %s\r\n"
                     "X-Content-Type-Options: nosniff\r\n",
                     modified);
    (void)n; /* fits: a date and three numbers */
    pn__http_respond(c, &(struct pn_http_resp){.status = status,
                                                .content_type = mime,
                                                .headers = extra,
                                                .etag = etag,
                                                .cache_control = "no-cache",
                                                .file = &(struct pn_http_file){fd, off, len}});
}

/* ---- PREFIX/_pane/img/<key> ---- */

void pn__static_serve_image(struct pn_http_conn *c, pn_str key)
{
    if (!pn__image_key_ok(key)) {
        pn__http_respond_text(c, 404, NULL);
        return;
    }
    const char *mime = pn__image_mime((pn_str){key.ptr + 65, key.len - 65});
    char etag[80];
    snprintf(etag, sizeof etag, "\"%.64s\"", key.ptr);
    struct pn_http_resp resp = {
        .status = 200,
        .content_type = mime,
        .headers = strcmp(mime, "image/svg+xml") == 0
                       ? "X-Content-Type-Options: nosniff\r\n"
                         "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; "
                         "sandbox\r\n"
                       : "X-Content-Type-Options: nosniff\r\n",
        .etag = etag,
        .cache_control = "public, max-age=31536000, immutable",
    };
    struct pn_image_bytes *b = pn__images_get(key);
    if (b) {
        resp.body = b->data;
        resp.body_len = b->len;
        resp.release = pn__image_bytes_unref;
        resp.release_ud = b;
        pn__http_respond(c, &resp);
        return;
    }
    char path[4400];
    int fd = -1;
    struct stat st;
    int status = pn__images_path(key, path, sizeof path) == 0 ? open_file(path, &fd, &st) : 404;
    if (status != 0) {
        pn__http_respond_text(c, status, NULL);
        return;
    }
    resp.file = &(struct pn_http_file){fd, 0, (uint64_t)st.st_size};
    pn__http_respond(c, &resp);
}
