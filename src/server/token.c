/*
 * token: session tokens. A token names a session and when it stops being accepted, and is
 * signed with HMAC-SHA256 under the server's secret, so any process that shares the secret
 * (--num-procs workers, machines behind a load balancer) can check it without shared state:
 *
 *     base64url(sid:8 bytes ‖ expiry:8 bytes, big-endian Unix seconds) "." base64url(HMAC)
 *
 * Checking is constant-time in the signature. docs/internals/tokens.md has the reasoning.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/server.h"

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t pn__b64url_encode(const unsigned char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = b64url[(v >> 18) & 63];
        out[o++] = b64url[(v >> 12) & 63];
        if (i + 1 < n)
            out[o++] = b64url[(v >> 6) & 63];
        if (i + 2 < n)
            out[o++] = b64url[v & 63];
    }
    out[o] = '\0';
    return o;
}

static bool b64url_decode(pn_str s, unsigned char *out, size_t want);

static int b64url_val(char c)
{
    const char *p = c ? strchr(b64url, c) : NULL;
    return p ? (int)(p - b64url) : -1;
}

bool pn__b64url_decode(pn_str s, unsigned char *out, size_t max, size_t *n)
{
    if (s.len % 4 == 1 || s.len / 4 * 3 + (s.len % 4 ? s.len % 4 - 1 : 0) > max)
        return false;
    size_t want = s.len / 4 * 3 + (s.len % 4 ? s.len % 4 - 1 : 0);
    if (!b64url_decode(s, out, want))
        return false;
    *n = want;
    return true;
}

/* Decodes exactly want bytes from s; false on any other length or a bad character. */
static bool b64url_decode(pn_str s, unsigned char *out, size_t want)
{
    if (s.len != (want * 4 + 2) / 3)
        return false;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < s.len; i++) {
        int v = b64url_val(s.ptr[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o < want)
                out[o++] = (unsigned char)(acc >> bits);
        }
    }
    /* the unused low bits of the last character must be zero (one canonical encoding) */
    return o == want && (acc & ((1u << bits) - 1)) == 0;
}

int pn__token_key_init(struct pn_token_key *k, const char *secret, char *err, size_t errlen)
{
    if (secret) {
        size_t n = strlen(secret);
        if (n < 32) {
            snprintf(err, errlen, "the secret key must be at least 32 characters (got %zu)", n);
            return PN_EINVAL;
        }
        /* derive a fixed-size key: SHA-256 of the secret */
        unsigned int len = 0;
        EVP_Digest(secret, n, k->key, &len, EVP_sha256(), NULL);
    } else if (RAND_bytes(k->key, sizeof k->key) != 1) {
        snprintf(err, errlen, "no randomness for the session key");
        return PN_EIO;
    }
    /* keyed once: the one-shot HMAC() looks the algorithm up and derives the key pads on every
     * call, five times the cost of the MAC of a token */
    k->mac = pn__mac_new("HMAC", "SHA256", 0, k->key, sizeof k->key);
    return 0;
}

void pn__token_key_fini(struct pn_token_key *k)
{
    pn__mac_free(k->mac);
    k->mac = NULL;
}

static void sign(const struct pn_token_key *k, const char *body, size_t n, unsigned char mac[32])
{
    pn__mac(k->mac, body, n, mac, 32);
}

void pn__token_make(const struct pn_token_key *k, uint64_t sid, uint64_t expiry,
                    char out[PN_TOKEN_LEN + 1])
{
    unsigned char raw[16];
    for (int i = 0; i < 8; i++) {
        raw[i] = (unsigned char)(sid >> (56 - 8 * i));
        raw[8 + i] = (unsigned char)(expiry >> (56 - 8 * i));
    }
    size_t n = pn__b64url_encode(raw, sizeof raw, out);
    out[n++] = '.';
    unsigned char mac[32];
    sign(k, out, n - 1, mac);
    pn__b64url_encode(mac, sizeof mac, out + n);
}

int pn__token_check(const struct pn_token_key *k, pn_str token, uint64_t now, uint64_t *sid)
{
    const char *dot = token.ptr ? memchr(token.ptr, '.', token.len) : NULL;
    if (!dot || token.len != PN_TOKEN_LEN)
        return PN_EPARSE;
    pn_str body = {token.ptr, (size_t)(dot - token.ptr)};
    pn_str sig = {dot + 1, token.len - body.len - 1};
    unsigned char raw[16], mac[32], want[32];
    if (!b64url_decode(body, raw, sizeof raw) || !b64url_decode(sig, mac, sizeof mac))
        return PN_EPARSE;
    sign(k, body.ptr, body.len, want);
    if (CRYPTO_memcmp(mac, want, sizeof mac) != 0)
        return PN_EPARSE;
    uint64_t s = 0, exp = 0;
    for (int i = 0; i < 8; i++) {
        s = (s << 8) | raw[i];
        exp = (exp << 8) | raw[8 + i];
    }
    if (exp <= now)
        return PN_ETIMEDOUT;
    *sid = s;
    return 0;
}

uint64_t pn__random_u64(void)
{
    uint64_t v = 0;
    if (RAND_bytes((unsigned char *)&v, sizeof v) != 1) {
        pn__error("no randomness");
        abort();
    }
    return v;
}

void pn__secret_random(char out[65])
{
    unsigned char raw[32];
    for (size_t i = 0; i < sizeof raw; i += 8) {
        uint64_t v = pn__random_u64();
        memcpy(raw + i, &v, 8);
    }
    pn__hex(raw, sizeof raw, out);
}
