/*
 * tls: server contexts for the TLS transport (OpenSSL 3). One context per process, made from a
 * PEM certificate chain and its key when the servers start (a reload's new workers make theirs
 * from the files again). TLS 1.2 and 1.3 only; for 1.2, ECDHE key exchange with AEAD ciphers
 * (AES-GCM, ChaCha20-Poly1305) in the server's order of preference; ALPN offers http/1.1 only;
 * no renegotiation, no compression; stateless session tickets (OpenSSL's default, keys per
 * process). Certificate and key are checked to match when loaded, so a bad pair is an error at
 * start, not at the first handshake.
 */
#include <errno.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <string.h>

#include "net/internal.h"

#define TLS12_CIPHERS                                                                              \
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"                                   \
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"                                   \
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305"

/* The last OpenSSL error as text (the queue emptied). */
static const char *ssl_error(char *buf, size_t len)
{
    unsigned long e = ERR_peek_last_error();
    if (!e)
        snprintf(buf, len, "unknown error");
    else
        ERR_error_string_n(e, buf, len);
    ERR_clear_error();
    return buf;
}

/* ALPN: http/1.1 if the client offers it; a client that offers only others (h2) goes on
 * without ALPN, as nginx without http2 does. */
static int on_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                   const unsigned char *in, unsigned int inlen, void *arg)
{
    (void)ssl;
    (void)arg;
    static const unsigned char ours[] = "\x08http/1.1";
    unsigned char *sel;
    if (SSL_select_next_proto(&sel, outlen, ours, sizeof ours - 1, in, inlen) !=
        OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_NOACK;
    *out = sel;
    return SSL_TLSEXT_ERR_OK;
}

struct pn_tls_ctx *pn__tls_ctx_new(const char *certfile, const char *keyfile, char *err,
                                   size_t errlen)
{
    char e[256];
    if (!certfile || !*certfile || !keyfile || !*keyfile) {
        snprintf(err, errlen,
                 "TLS needs both a certificate and a key file "
                 "(--ssl-certfile and --ssl-keyfile)");
        return NULL;
    }
    /* plain fopen first: a missing file is said as such, not as a PEM library error */
    const char *files[2] = {certfile, keyfile};
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f) {
            snprintf(err, errlen, "%s %s: %s", i ? "--ssl-keyfile" : "--ssl-certfile", files[i],
                     strerror(errno));
            return NULL;
        }
        fclose(f);
    }
    ERR_clear_error();
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) {
        snprintf(err, errlen, "TLS: cannot make a context: %s", ssl_error(e, sizeof e));
        return NULL;
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
    /* (OpenSSL 3 refuses a client's renegotiation unless SSL_OP_ALLOW_CLIENT_RENEGOTIATION) */
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE);
    /* an idle connection (a WebSocket) keeps no record buffers */
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_alpn_select_cb(ctx, on_alpn, NULL);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF); /* tickets: no server state */
    if (SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1) {
        snprintf(err, errlen, "TLS: ciphers: %s", ssl_error(e, sizeof e));
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_use_certificate_chain_file(ctx, certfile) != 1) {
        snprintf(err, errlen, "--ssl-certfile %s: not a PEM certificate: %s", certfile,
                 ssl_error(e, sizeof e));
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, keyfile, SSL_FILETYPE_PEM) != 1) {
        unsigned long code = ERR_peek_last_error();
        if (ERR_GET_LIB(code) == ERR_LIB_X509 && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH)
            snprintf(err, errlen, "--ssl-keyfile %s is not the key of --ssl-certfile %s", keyfile,
                     certfile);
        else
            snprintf(err, errlen, "--ssl-keyfile %s: not a PEM private key: %s", keyfile,
                     ssl_error(e, sizeof e));
        ERR_clear_error();
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        snprintf(err, errlen, "--ssl-keyfile %s is not the key of --ssl-certfile %s: %s", keyfile,
                 certfile, ssl_error(e, sizeof e));
        SSL_CTX_free(ctx);
        return NULL;
    }
    struct pn_tls_ctx *t = pn__xcalloc(1, sizeof *t);
    t->ctx = ctx;
    return t;
}

void pn__tls_ctx_free(struct pn_tls_ctx *t)
{
    if (!t)
        return;
    SSL_CTX_free(t->ctx); /* connections still open hold references of their own */
    free(t);
}

void pn__tls_ctx_fingerprint(const struct pn_tls_ctx *t, char *out, size_t len)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    X509 *x = SSL_CTX_get0_certificate(t->ctx);
    snprintf(out, len, "?");
    if (!x || X509_digest(x, EVP_sha256(), md, &n) != 1)
        return;
    size_t o = 0;
    for (unsigned i = 0; i < n && o + 4 <= len; i++)
        o += (size_t)snprintf(out + o, len - o, i ? ":%02X" : "%02X", md[i]);
}
