/*
 * sniff: what a picture's bytes are, by their magic, and its size in pixels where its header
 * says it (images.h). Every read is checked against the length first: the bytes come from an
 * app's file or buffer, and fuzz/fuzz_image.c feeds this anything.
 */
#include "base/images.h"

static const struct {
    const char *ext, *mime;
} types[] = {
    {"png", "image/png"},     {"jpg", "image/jpeg"},  {"gif", "image/gif"}, {"webp", "image/webp"},
    {"svg", "image/svg+xml"}, {"avif", "image/avif"}, {"bmp", "image/bmp"}, {"ico", "image/x-icon"},
};

const char *pn__image_ext(const char *mime)
{
    if (!mime)
        return NULL;
    if (strcmp(mime, "image/vnd.microsoft.icon") == 0)
        return "ico";
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(mime, types[i].mime) == 0)
            return types[i].ext;
    return NULL;
}

const char *pn__image_mime(pn_str ext)
{
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (pn__str_eq(ext, pn__str(types[i].ext)))
            return types[i].mime;
    return NULL;
}

const char *pn__image_types(void)
{
    return "image/png, image/jpeg, image/gif, image/webp, image/svg+xml, image/avif, image/bmp, "
           "image/x-icon";
}

static uint32_t be16(const unsigned char *p)
{
    return (uint32_t)p[0] << 8 | p[1];
}
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static uint32_t le16(const unsigned char *p)
{
    return (uint32_t)p[1] << 8 | p[0];
}
static uint32_t le24(const unsigned char *p)
{
    return (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static int found(struct pn_image_info *out, const char *ext, uint32_t w, uint32_t h)
{
    if (w == 0 || h == 0 || w > 1000000 || h > 1000000)
        w = h = 0; /* not a size to lay a page out by */
    *out = (struct pn_image_info){
        .mime = pn__image_mime(pn__str(ext)), .ext = ext, .width = w, .height = h};
    return 0;
}

/* PNG: the signature, then the IHDR chunk (always first) with width and height. */
static int png(const unsigned char *p, size_t n, struct pn_image_info *out)
{
    if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
        return PN_ENOTFOUND; /* a signature alone is not a picture */
    uint32_t w = be32(p + 16), h = be32(p + 20);
    return found(out, "png", w >> 31 ? 0 : w, h >> 31 ? 0 : h);
}

/* JPEG: the segments after SOI up to the first SOFn (its height and width), or to the scan. */
static int jpeg(const unsigned char *p, size_t n, struct pn_image_info *out)
{
    size_t i = 2;
    while (i < n) {
        if (p[i] != 0xFF)
            break; /* not a marker where one must be: keep the type, not a size */
        while (i < n && p[i] == 0xFF)
            i++; /* fill bytes */
        if (i >= n)
            break;
        unsigned m = p[i++];
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8))
            continue; /* no length */
        if (m == 0xD9 || m == 0xDA || i + 2 > n)
            break; /* the end, or the scan, before any frame header */
        size_t len = be16(p + i);
        if (len < 2)
            break;
        bool sof = m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (sof) {
            if (len < 7 || i + 7 > n)
                break;
            return found(out, "jpg", be16(p + i + 5), be16(p + i + 3));
        }
        i += len;
    }
    return found(out, "jpg", 0, 0);
}

/* WebP: RIFF, WEBP, then the first chunk: VP8 (lossy), VP8L (lossless) or VP8X (extended). */
static int webp(const unsigned char *p, size_t n, struct pn_image_info *out)
{
    if (n >= 30 && memcmp(p + 12, "VP8 ", 4) == 0 && p[23] == 0x9d && p[24] == 0x01 &&
        p[25] == 0x2a)
        return found(out, "webp", le16(p + 26) & 0x3fff, le16(p + 28) & 0x3fff);
    if (n >= 25 && memcmp(p + 12, "VP8L", 4) == 0 && p[20] == 0x2f) {
        uint32_t b = p[21] | (uint32_t)p[22] << 8 | (uint32_t)p[23] << 16 | (uint32_t)p[24] << 24;
        return found(out, "webp", (b & 0x3fff) + 1, (b >> 14 & 0x3fff) + 1);
    }
    if (n >= 30 && memcmp(p + 12, "VP8X", 4) == 0)
        return found(out, "webp", le24(p + 24) + 1, le24(p + 27) + 1);
    return found(out, "webp", 0, 0);
}

static bool space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* A number of pixels as an SVG attribute gives it ("120", "120.5", "120px"; not "50%", "2em"):
 * rounded, or 0. */
static uint32_t svg_length(const unsigned char *v, size_t n)
{
    size_t i = 0;
    double x = 0;
    while (i < n && v[i] >= '0' && v[i] <= '9' && x < 1e7)
        x = x * 10 + (v[i++] - '0');
    if (i == 0)
        return 0;
    if (i < n && v[i] == '.') {
        double f = 0.1;
        for (i++; i < n && v[i] >= '0' && v[i] <= '9'; i++, f /= 10)
            x += f * (v[i] - '0');
    }
    if (n - i == 2 && v[i] == 'p' && v[i + 1] == 'x')
        i += 2;
    return i == n && x >= 0.5 && x < 1e7 ? (uint32_t)(x + 0.5) : 0;
}

/* The <svg start tag at p[i] ("<svg" and a delimiter already seen): its width and height
 * attributes, read up to its '>' (or the end of the bytes). */
static int svg_tag(const unsigned char *p, size_t n, size_t i, struct pn_image_info *out)
{
    uint32_t w = 0, h = 0;
    i += 4;
    while (i < n && p[i] != '>') {
        if (space(p[i]) || p[i] == '/') {
            i++;
            continue;
        }
        size_t name = i;
        while (i < n && !space(p[i]) && p[i] != '=' && p[i] != '>' && p[i] != '/')
            i++;
        size_t name_len = i - name;
        while (i < n && space(p[i]))
            i++;
        if (i >= n || p[i] != '=') {
            if (name_len == 0)
                i++;  /* a stray byte: step over it */
            continue; /* an attribute without a value */
        }
        i++;
        while (i < n && space(p[i]))
            i++;
        if (i >= n || (p[i] != '"' && p[i] != '\''))
            break; /* an unquoted value: XML has none */
        unsigned char q = p[i++];
        size_t v = i;
        while (i < n && p[i] != q)
            i++;
        if (i >= n)
            break;
        if (name_len == 5 && memcmp(p + name, "width", 5) == 0)
            w = svg_length(p + v, i - v);
        else if (name_len == 6 && memcmp(p + name, "height", 6) == 0)
            h = svg_length(p + v, i - v);
        i++; /* the closing quote */
    }
    return found(out, "svg", w && h ? w : 0, w && h ? h : 0);
}

/* "<svg" followed by white space, '>' or '/' at p[i]. */
static bool svg_open(const unsigned char *p, size_t n, size_t i)
{
    return i + 5 <= n && memcmp(p + i, "<svg", 4) == 0 &&
           (space(p[i + 4]) || p[i + 4] == '>' || p[i + 4] == '/');
}

static bool starts(const unsigned char *p, size_t n, size_t i, const char *lit)
{
    size_t k = strlen(lit);
    return i + k <= n && memcmp(p + i, lit, k) == 0;
}

static int svg(const unsigned char *p, size_t n, struct pn_image_info *out)
{
    size_t i = 0;
    if (starts(p, n, 0, "\xEF\xBB\xBF"))
        i = 3;
    while (i < n && space(p[i]))
        i++;
    if (svg_open(p, n, i))
        return svg_tag(p, n, i, out);
    if (!starts(p, n, i, "<?xml") && !starts(p, n, i, "<!--") && !starts(p, n, i, "<!DOCTYPE"))
        return PN_ENOTFOUND;
    size_t end = n < 4096 ? n : 4096;
    for (size_t k = i; k < end; k++)
        if (p[k] == '<' && svg_open(p, end, k))
            return svg_tag(p, n, k, out);
    return PN_ENOTFOUND;
}

int pn__image_sniff(const void *bytes, size_t n, struct pn_image_info *out)
{
    const unsigned char *p = bytes;
    if (!p || n == 0)
        return PN_ENOTFOUND;
    if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
        return png(p, n, out);
    if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
        return jpeg(p, n, out);
    if (n >= 10 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
        return found(out, "gif", le16(p + 6), le16(p + 8));
    if (n >= 16 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
        return webp(p, n, out);
    return svg(p, n, out);
}
