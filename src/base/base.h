/*
 * base: the building blocks every other module uses — string slices, the error
 * table, allocation that aborts on OOM, arenas, bounded growable buffers, the
 * log, and hashing. base depends on nothing else in pane.
 */
#ifndef PN_BASE_H
#define PN_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "pane.h"

/* ---- error codes ------------------------------------------------------------------------ */

/* XX(name, value, text). 0 is success; PN_EAGAIN (positive) means "incomplete, read more". */
#define PN_ERRNO_MAP(XX)                                                                       \
    XX(EINVAL, -1, "invalid argument")                                                         \
    XX(ENOMEM, -2, "out of memory")                                                            \
    XX(ETOOBIG, -3, "limit exceeded")                                                          \
    XX(EPARSE, -4, "malformed input")                                                          \
    XX(ENOTFOUND, -5, "not found")                                                             \
    XX(EIO, -6, "input/output error")                                                          \
    XX(ECOMPILE, -7, "compile error")                                                          \
    XX(ELOAD, -8, "cannot load")                                                               \
    XX(ECLOSED, -9, "closed")                                                                  \
    XX(ETIMEDOUT, -10, "timed out")                                                            \
    XX(EMETHOD, -11, "method not allowed")                                                     \
    XX(EURI, -12, "URI too long")                                                              \
    XX(EHEADERS, -13, "header fields too large")                                               \
    XX(EBODY, -14, "payload too large")                                                        \
    XX(EVERSION, -15, "unsupported version")                                                   \
    XX(EEXPECT, -16, "expectation failed")

enum {
    PN_OK = 0,
    PN_EAGAIN = 1,
#define XX(name, val, text) PN_##name = val,
    PN_ERRNO_MAP(XX)
#undef XX
};

const char *pn__strerror(int err);

/* ---- string slices ---------------------------------------------------------------------- */

/* pn_str is declared in pane.h: { const char *ptr; size_t len; } — a view, never owned. */
#define PN_STRLIT(lit) ((pn_str){(lit), sizeof(lit) - 1})
static inline pn_str pn__str(const char *z)
{
    return (pn_str){z, z ? strlen(z) : 0};
}
static inline bool pn__str_eq(pn_str a, pn_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}
bool pn__str_ieq(pn_str a, pn_str b); /* ASCII case-insensitive */
bool pn__str_has_prefix(pn_str s, pn_str prefix);
/* Case-insensitive search for a comma-separated token (e.g. "gzip" in Accept-Encoding,
 * "keep-alive" in Connection). A token with ";q=0" does not count. */
bool pn__str_list_has(pn_str list, pn_str token);

/* Strict UTF-8 (RFC 3629): no overlong forms, no surrogates (U+D800–DFFF), nothing above
 * U+10FFFF, no truncated sequence. U+0000 is valid UTF-8 and is accepted. */
bool pn__utf8_valid(const void *p, size_t n);
/* Length of the valid UTF-8 sequence at p (1–4 bytes; n > 0), or 0 if the bytes there (at
 * most n) are not one: overlong forms, surrogates, > U+10FFFF and truncated sequences give 0. */
size_t pn__utf8_seq_len(const unsigned char *p, size_t n);
/* How many bytes at the start of p[0, n) are valid UTF-8 (n when all are). */
size_t pn__utf8_valid_prefix(const void *p, size_t n);
/* Repairs p[0, n) into valid UTF-8 as WHATWG's decoder (and Unicode's "U+FFFD substitution of
 * maximal subparts") does: each maximal subpart of an ill-formed sequence — a lone
 * continuation byte, an overlong or surrogate or > U+10FFFF lead with what may follow it, a
 * sequence cut short — becomes one U+FFFD (EF BF BD); valid bytes are copied. out has room for
 * pn__utf8_sanitize_len(p, n) bytes (at most 3n); returns the bytes written (no NUL). */
size_t pn__utf8_sanitize(const void *p, size_t n, char *out);
size_t pn__utf8_sanitize_len(const void *p, size_t n);

/* ---- allocation ------------------------------------------------------------------------- */

/* Internal allocation never fails: on OOM the process logs and aborts (h2o, redis). */
void *pn__xmalloc(size_t n);
void *pn__xcalloc(size_t n, size_t size);
void *pn__xrealloc(void *p, size_t n);
char *pn__xstrdup(const char *s);
char *pn__xstrndup(const char *s, size_t n);

/* ---- arena ------------------------------------------------------------------------------ */

/* A chain of blocks; everything allocated from it is freed together by pn__arena_fini or
 * reset by pn__arena_reset (keeps the first block). Allocations are 16-byte aligned. */
struct pn_arena_block;
struct pn_arena {
    struct pn_arena_block *head;
    size_t block_size; /* default 4096 */
    size_t total;      /* bytes handed out, for tests and accounting */
};
void pn__arena_init(struct pn_arena *a, size_t block_size);
void pn__arena_fini(struct pn_arena *a);
void pn__arena_reset(struct pn_arena *a);
void *pn__arena_alloc(struct pn_arena *a, size_t n);  /* zeroed */
char *pn__arena_strdup(struct pn_arena *a, const char *s); /* NULL stays NULL */
char *pn__arena_strndup(struct pn_arena *a, const char *s, size_t n);
char *pn__arena_vfmt(struct pn_arena *a, const char *fmt, va_list ap);
char *pn__arena_fmt(struct pn_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies of a C string made valid UTF-8 (pn__utf8_sanitize); the arena's keeps NULL. Every
 * string an app gives the session's tree enters through one of these (doc/). */
char *pn__arena_strdup_utf8(struct pn_arena *a, const char *s);
char *pn__xstrdup_utf8(const char *s);

/* ---- bounded buffer (curl's dynbuf) ----------------------------------------------------- */

/* A growable byte buffer with a hard maximum set at init. Appends past the maximum fail with
 * PN_ETOOBIG and leave the buffer as it was. The data is always NUL-terminated (not counted). */
struct pn_buf {
    char *data;
    size_t len, cap, max;
};
void pn__buf_init(struct pn_buf *b, size_t max);
/* A buffer over caller-owned memory of cap bytes that never grows (max = cap - 1): appends
 * that do not fit fail with PN_ETOOBIG. Do not pn__buf_fini it. */
void pn__buf_init_fixed(struct pn_buf *b, char *mem, size_t cap);
void pn__buf_fini(struct pn_buf *b);
void pn__buf_reset(struct pn_buf *b); /* len = 0, keeps the memory */
int pn__buf_append(struct pn_buf *b, const void *p, size_t n);
int pn__buf_puts(struct pn_buf *b, const char *s);
int pn__buf_putc(struct pn_buf *b, char c);
int pn__buf_printf(struct pn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Takes the bytes out: the caller owns the returned pointer (free()); the buffer is empty. */
char *pn__buf_steal(struct pn_buf *b, size_t *len);

/* ---- log -------------------------------------------------------------------------------- */

enum pn_log_level { PN_LOG_DEBUG, PN_LOG_INFO, PN_LOG_WARN, PN_LOG_ERROR, PN_LOG_CRITICAL };
extern enum pn_log_level pn__log_level;
int pn__log_level_parse(const char *name, enum pn_log_level *out);
/* --log-format and --log-file (NULL: stderr). An error (the file cannot be opened) is said in
 * err. pn__log_reopen opens the file again (log rotation, SIGHUP). */
enum pn_log_format { PN_LOG_TEXT, PN_LOG_JSON };
int pn__log_setup(enum pn_log_format fmt, const char *path, char *err, size_t errlen);
int pn__log_reopen(void);
void pn__log(enum pn_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define pn__debug(...) (pn__log_level <= PN_LOG_DEBUG ? pn__log(PN_LOG_DEBUG, __VA_ARGS__) : (void)0)
#define pn__info(...) (pn__log_level <= PN_LOG_INFO ? pn__log(PN_LOG_INFO, __VA_ARGS__) : (void)0)
#define pn__warn(...) pn__log(PN_LOG_WARN, __VA_ARGS__)
#define pn__error(...) pn__log(PN_LOG_ERROR, __VA_ARGS__)

/* ---- latency histograms (hist.c) --------------------------------------------------------- */

/* What an HTTP server answered, for /metrics (net counts, the record carries, admin prints):
 * responses by status (pn__http_count_statuses: the codes pane sends; the last slot is any
 * other), the time from a request to its response head by upper bound in seconds
 * (pn__http_count_le: the last is +Inf; not counted for 101), and WebSocket messages. Every
 * field is a uint64_t count, so that counts add up field by field. */
#define PN_HTTP_NSTATUS 20
#define PN_HTTP_NDURATION 14
struct pn_http_counts {
    uint64_t status[PN_HTTP_NSTATUS];
    uint64_t duration[PN_HTTP_NDURATION]; /* per bucket, not cumulative */
    uint64_t duration_us;                 /* their sum */
    uint64_t ws_received, ws_sent;        /* text and binary messages */
};
extern const int pn__http_count_statuses[PN_HTTP_NSTATUS];
extern const double pn__http_count_le[PN_HTTP_NDURATION];
void pn__http_count(struct pn_http_counts *c, int status, uint64_t us);

/* Counts of microsecond values in PN_HIST_BUCKETS buckets, 4 per power of two (within 25 %),
 * from 0 to about 2 s (the last bucket takes everything above): what the stats sum per loop. */
#define PN_HIST_BUCKETS 80
void pn__hist_add(uint64_t *h, uint64_t us);
/* Bucket b holds values below this (µs). */
uint64_t pn__hist_upper(int b);
/* The upper bound (µs) of the bucket holding the q-quantile (0 < q <= 1) of h; 0 if empty. */
uint64_t pn__hist_quantile(const uint64_t *h, double q);

/* ---- hashing and encoding --------------------------------------------------------------- */

uint64_t pn__hash_fnv1a(const void *p, size_t n); /* not keyed: never for outside keys */
/* Lower-case hex of n bytes into out (2n+1 bytes, NUL-terminated). */
void pn__hex(const unsigned char *in, size_t n, char *out);
/* Base64 (RFC 4648, padded) of n bytes appended to out: 0 or PN_ETOOBIG. */
struct pn_buf;
int pn__base64(const void *in, size_t n, struct pn_buf *out);
/* SHA-256 of the bytes as 64 hex digits + NUL. */
void pn__sha256_hex(const void *p, size_t n, char out[65]);

/* A keyed MAC of OpenSSL ("HMAC" with a digest, "SIPHASH" with an output size), keyed once and
 * used for many messages: pn__mac restarts from the keyed state, so no algorithm lookup and no
 * key set-up per message. Aborts when OpenSSL cannot make it. Owned by one thread at a time. */
struct evp_mac_ctx_st; /* OpenSSL's EVP_MAC_CTX */
struct evp_mac_ctx_st *pn__mac_new(const char *alg, const char *digest, size_t outlen,
                                   const void *key, size_t keylen);
/* outlen bytes of MAC of in; aborts on an OpenSSL failure (only out of memory). */
void pn__mac(struct evp_mac_ctx_st *ctx, const void *in, size_t n, unsigned char *out,
             size_t outlen);
void pn__mac_free(struct evp_mac_ctx_st *ctx);

/* gzip (RFC 1952) of in into a new heap buffer with libdeflate at level 1 (fastest) .. 12
 * (smallest); returns 0, or PN_EINVAL for another level, PN_ENOMEM/PN_EIO. */
int pn__gzip(const void *in, size_t n, int level, char **out, size_t *out_len);
/* Frees this thread's compressors (call before a thread that used pn__gzip ends). */
void pn__gzip_thread_fini(void);

/* URL query helpers. Decoding turns %XX and '+' into bytes; a bad escape gives PN_EPARSE.
 * Decoded bytes that are not valid UTF-8 or contain NUL give PN_EPARSE. */
int pn__url_decode(const char *in, size_t n, struct pn_buf *out);
/* Finds the first value of name in a query string ("a=1&b=2", no leading '?'), decoded into
 * out. Returns 0, PN_ENOTFOUND, or PN_EPARSE for a bad escape. */
int pn__query_get(pn_str query, const char *name, struct pn_buf *out);
/* The raw (still percent-encoded) value of the first argument whose decoded name is name;
 * no allocation. Returns 0 or PN_ENOTFOUND. */
int pn__query_find(pn_str query, const char *name, pn_str *raw_value);

/* ---- embedded assets (generated by tools/embed.c into build/gen/assets.c) --------------- */

/* One file of web/ (client JS/CSS, templates) or include/pane.h, compiled into the binary. */
struct pn_asset {
    const char *path; /* relative to web/ ("client/pane.js", "templates/material.html"), or
                         "include/pane.h" */
    const char *mime; /* "text/javascript; charset=utf-8" … */
    const char *etag; /* first 16 hex digits of the SHA-256 of data */
    const unsigned char *data;
    size_t len;
    const unsigned char *gz; /* gzip of data, made at build time */
    size_t gz_len;
};
extern const struct pn_asset pn__assets[]; /* sorted by path */
extern const size_t pn__assets_count;
/* Binary search by path; NULL if absent. */
const struct pn_asset *pn__asset_find(pn_str path);

#endif
