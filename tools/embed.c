/*
 * embed: the build-time asset generator (lwan's bin2hex, mongoose's pack.c). The build runs
 *
 *     pane_embed OUT.c SOURCE_DIR FILE...
 *
 * where a FILE may be PATH=FILE to store a file made by the build (the client bundle) under
 * PATH.
 * and gets one C file holding every web asset (client JS and CSS, templates) and
 * include/pane.h as byte arrays, each with a gzip variant made here by zlib (level 9), an etag
 * (the first 16 hex digits of its SHA-256) and a mime type, plus the table
 * `pn__assets[]` sorted by path that pn__asset_find searches. Paths are relative to
 * SOURCE_DIR/web/ ("client/pane.css"), except include/pane.h which keeps that path. Every
 * array ends with a 0 byte that `len` does not count, so text assets are NUL-terminated.
 * Nothing this writes is committed. Any failure exits non-zero naming the file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zlib.h>

struct asset {
    char *path; /* as stored in the table */
    const char *mime;
    char etag[17];
    unsigned char *data, *gz;
    size_t len, gz_len;
};

static void die(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void die(const char *file, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "pane_embed: %s: ", file);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("(memory)", "out of memory");
    return p;
}

static const char *mime_of(const char *path)
{
    static const struct {
        const char *ext, *mime;
    } map[] = {
        {".html", "text/html; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".json", "application/json"},
        {".h", "text/x-c; charset=utf-8"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},
    };
    size_t n = strlen(path);
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        size_t e = strlen(map[i].ext);
        if (n > e && strcmp(path + n - e, map[i].ext) == 0)
            return map[i].mime;
    }
    return NULL;
}

/* The table path of file: relative to SOURCE_DIR/web/, or SOURCE_DIR/include/pane.h as
 * "include/pane.h". */
static char *table_path(const char *src_dir, const char *file)
{
    size_t d = strlen(src_dir);
    while (d > 1 && src_dir[d - 1] == '/')
        d--;
    if (strncmp(file, src_dir, d) != 0 || file[d] != '/')
        die(file, "not under the source directory %s", src_dir);
    const char *rel = file + d + 1;
    if (strcmp(rel, "include/pane.h") == 0)
        return strdup(rel);
    if (strncmp(rel, "web/", 4) != 0 || rel[4] == '\0')
        die(file, "not under %.*s/web/ (nor include/pane.h)", (int)d, src_dir);
    return strdup(rel + 4);
}

static void read_file(const char *file, struct asset *a)
{
    FILE *f = fopen(file, "rb");
    if (!f)
        die(file, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            unsigned char *nb = realloc(buf, cap);
            if (!nb)
                die(file, "out of memory");
            buf = nb;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    if (ferror(f))
        die(file, "read error: %s", strerror(errno));
    fclose(f);
    a->data = buf;
    a->len = len;
}

static void make_etag(const char *file, struct asset *a)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(a->data, a->len, md, &mdlen, EVP_sha256(), NULL) || mdlen < 8)
        die(file, "SHA-256 failed");
    for (int i = 0; i < 8; i++)
        snprintf(a->etag + 2 * i, 3, "%02x", md[i]);
}

static void make_gzip(const char *file, struct asset *a)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip header with mtime 0, so the output is reproducible */
    if (deflateInit2(&z, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        die(file, "deflateInit2 failed");
    uLong cap = deflateBound(&z, (uLong)a->len) + 32;
    a->gz = xmalloc(cap);
    z.next_in = a->data;
    z.avail_in = (uInt)a->len;
    z.next_out = a->gz;
    z.avail_out = (uInt)cap;
    if (deflate(&z, Z_FINISH) != Z_STREAM_END)
        die(file, "gzip failed: %s", z.msg ? z.msg : "deflate did not finish");
    a->gz_len = z.total_out;
    deflateEnd(&z);
}

static int by_path(const void *x, const void *y)
{
    return strcmp(((const struct asset *)x)->path, ((const struct asset *)y)->path);
}

static void put_cstring(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x7f || c == '?' || c == '*')
            fprintf(f, "\\%03o", c); /* octal: never runs on, no trigraphs, no comment end */
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void put_bytes(FILE *f, const char *name, size_t i, const unsigned char *p, size_t n)
{
    fprintf(f, "static const unsigned char a%zu_%s[%zu] = {", i, name, n + 1);
    for (size_t k = 0; k < n; k++)
        fprintf(f, "%s0x%02x,", k % 16 ? "" : "\n    ", p[k]);
    fprintf(f, "\n    0x00,\n};\n");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: pane_embed OUT.c SOURCE_DIR FILE...\n");
        return 2;
    }
    const char *out_path = argv[1];
    const char *src_dir = argv[2];
    size_t n = (size_t)(argc - 3);
    struct asset *assets = xmalloc(n * sizeof *assets);
    for (size_t i = 0; i < n; i++) {
        const char *file = argv[3 + i];
        struct asset *a = &assets[i];
        memset(a, 0, sizeof *a);
        const char *eq = strchr(file, '=');
        if (eq) { /* PATH=FILE */
            a->path = strndup(file, (size_t)(eq - file));
            file = eq + 1;
        } else {
            a->path = table_path(src_dir, file);
        }
        if (!a->path)
            die(file, "out of memory");
        a->mime = mime_of(a->path);
        if (!a->mime)
            die(file, "unknown file type (add its extension to mime_of in tools/embed.c)");
        read_file(file, a);
        make_etag(file, a);
        make_gzip(file, a);
    }
    qsort(assets, n, sizeof *assets, by_path);
    for (size_t i = 1; i < n; i++)
        if (strcmp(assets[i - 1].path, assets[i].path) == 0)
            die(assets[i].path, "given twice");

    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", out_path) >= (int)sizeof tmp)
        die(out_path, "path too long");
    FILE *f = fopen(tmp, "w");
    if (!f)
        die(tmp, "cannot create: %s", strerror(errno));
    fprintf(f, "/* Generated by tools/embed.c at build time from web/ and include/pane.h. "
               "Do not edit, do not commit. */\n#include \"base/base.h\"\n\n");
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "/* %zu: ", i);
        put_cstring(f, assets[i].path);
        fprintf(f, " */\n");
        put_bytes(f, "data", i, assets[i].data, assets[i].len);
        put_bytes(f, "gz", i, assets[i].gz, assets[i].gz_len);
    }
    fprintf(f, "\nconst struct pn_asset pn__assets[%zu] = {\n", n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        const struct asset *a = &assets[i];
        fprintf(f, "    {");
        put_cstring(f, a->path);
        fprintf(f, ", \"%s\", \"%s\", a%zu_data, %zu, a%zu_gz, %zu},\n", a->mime, a->etag, i,
                a->len, i, a->gz_len);
    }
    if (n == 0)
        fprintf(f, "    {0},\n");
    fprintf(f, "};\nconst size_t pn__assets_count = %zu;\n", n);
    if (ferror(f) | fclose(f))
        die(tmp, "write error: %s", strerror(errno));
    if (rename(tmp, out_path) != 0)
        die(out_path, "cannot rename %s: %s", tmp, strerror(errno));

    for (size_t i = 0; i < n; i++) {
        free(assets[i].path);
        free(assets[i].data);
        free(assets[i].gz);
    }
    free(assets);
    return 0;
}
