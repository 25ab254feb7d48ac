/*
 * hash: FNV-1a for internal tables, SHA-256 (OpenSSL) for content hashes and ETags, hex
 * encoding, and gzip (zlib) for response bodies.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <zlib.h>

#include "base/base.h"

uint64_t pn__hash_fnv1a(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 14695981039346656037ull; /* 0xcbf29ce484222325 */
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

void pn__hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

void pn__sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        pn__error("SHA-256 failed");
        abort();
    }
    pn__hex(md, 32, out);
}

/* One deflate state per thread, reset between calls: deflateInit allocates and deflateReset
 * clears its tables, which for zlib's defaults (32 KiB window, 64 KiB hash) costs more than
 * compressing a page. An 8 KiB window and a 4K-entry hash compress pages (a few KiB of HTML)
 * about as well, and make the reset cheap. Freed by pn__gzip_thread_fini. */
static _Thread_local z_stream zs;
static _Thread_local int zs_level = -1;

void pn__gzip_thread_fini(void)
{
    if (zs_level >= 0)
        deflateEnd(&zs);
    zs_level = -1;
}

int pn__gzip(const void *in, size_t n, int level, char **out, size_t *out_len)
{
    if (level < 0 || level > 9)
        return PN_EINVAL;
    if (zs_level < 0) {
        memset(&zs, 0, sizeof zs);
        /* windowBits 13 + 16: an 8 KiB window, with a gzip header and trailer */
        if (deflateInit2(&zs, level, Z_DEFLATED, 13 + 16, 5, Z_DEFAULT_STRATEGY) != Z_OK)
            return PN_ENOMEM;
        zs_level = level;
    } else if (deflateReset(&zs) != Z_OK ||
               (zs_level != level && deflateParams(&zs, level, Z_DEFAULT_STRATEGY) != Z_OK)) {
        pn__gzip_thread_fini();
        return PN_EIO;
    }
    zs_level = level;
    size_t cap = deflateBound(&zs, (uLong)n) + 32;
    unsigned char *buf = pn__xmalloc(cap);
    zs.next_in = (unsigned char *)(uintptr_t)in;
    zs.avail_in = (uInt)n;
    zs.next_out = buf;
    zs.avail_out = (uInt)cap;
    int rc = deflate(&zs, Z_FINISH);
    size_t len = cap - zs.avail_out;
    if (rc != Z_STREAM_END) {
        free(buf);
        pn__gzip_thread_fini();
        return PN_EIO;
    }
    *out = (char *)buf;
    *out_len = len;
    return 0;
}
