/*
 * hash: FNV-1a for internal tables, SHA-256 (OpenSSL) for content hashes and ETags, hex
 * encoding, and gzip (libdeflate) for response bodies.
 */
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <libdeflate.h>

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

EVP_MAC_CTX *pn__mac_new(const char *alg, const char *digest, size_t outlen, const void *key,
                         size_t keylen)
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, alg, NULL);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
    EVP_MAC_free(mac); /* the context holds its own reference */
    OSSL_PARAM params[2], *p = params;
    if (digest)
        *p++ = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    else if (outlen)
        *p++ = OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &outlen);
    *p = OSSL_PARAM_construct_end();
    if (!ctx || !EVP_MAC_init(ctx, key, keylen, params)) {
        pn__error("OpenSSL has no %s%s%s", alg, digest ? "-" : "", digest ? digest : "");
        abort();
    }
    return ctx;
}

void pn__mac(EVP_MAC_CTX *ctx, const void *in, size_t n, unsigned char *out, size_t outlen)
{
    size_t len = 0;
    /* init with no key: restart with the key given at creation */
    if (!EVP_MAC_init(ctx, NULL, 0, NULL) || !EVP_MAC_update(ctx, in, n) ||
        !EVP_MAC_final(ctx, out, &len, outlen) || len != outlen) {
        pn__error("MAC failed");
        abort();
    }
}

void pn__mac_free(EVP_MAC_CTX *ctx)
{
    EVP_MAC_CTX_free(ctx);
}

/* gzip with libdeflate: whole-buffer compression, which is all pane needs (a page or an asset is
 * in memory when it is compressed). For a page of a few KiB it is faster than zlib's streaming
 * deflate (no window to slide, no state to reset). One compressor per level and thread, made on
 * first use and kept: allocating one costs more than compressing a page. Freed by
 * pn__gzip_thread_fini. Levels are libdeflate's 1..12 (12 = smallest output). */
static _Thread_local struct libdeflate_compressor *compressors[13];

void pn__gzip_thread_fini(void)
{
    for (size_t i = 0; i < sizeof compressors / sizeof compressors[0]; i++) {
        libdeflate_free_compressor(compressors[i]);
        compressors[i] = NULL;
    }
}

int pn__gzip(const void *in, size_t n, int level, char **out, size_t *out_len)
{
    if (level < 1 || level > 12)
        return PN_EINVAL;
    struct libdeflate_compressor *c = compressors[level];
    if (!c && !(c = compressors[level] = libdeflate_alloc_compressor(level)))
        return PN_ENOMEM;
    size_t cap = libdeflate_gzip_compress_bound(c, n);
    char *buf = pn__xmalloc(cap);
    size_t len = libdeflate_gzip_compress(c, in, n, buf, cap);
    if (len == 0) { /* cannot happen with the bound's capacity */
        free(buf);
        return PN_EIO;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

int pn__base64(const void *in, size_t n, struct pn_buf *out)
{
    const unsigned char *p = in;
    for (size_t i = 0; i < n; i += 3 * 1024) { /* EVP_EncodeBlock takes an int length */
        size_t chunk = n - i < 3 * 1024 ? n - i : 3 * 1024;
        unsigned char enc[4 * 1024 + 1];
        int k = EVP_EncodeBlock(enc, p + i, (int)chunk);
        int rc = pn__buf_append(out, enc, (size_t)k);
        if (rc)
            return rc;
    }
    return 0;
}
