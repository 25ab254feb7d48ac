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

int pn__gzip(const void *in, size_t n, int level, char **out, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    /* windowBits 15 + 16: a gzip header and trailer instead of zlib's */
    if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return PN_ENOMEM;
    size_t cap = deflateBound(&z, (uLong)n) + 32;
    unsigned char *buf = pn__xmalloc(cap);
    z.next_in = (unsigned char *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t len = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(buf);
        return PN_EIO;
    }
    *out = (char *)buf;
    *out_len = len;
    return 0;
}
