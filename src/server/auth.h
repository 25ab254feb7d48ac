/*
 * auth: --basic-auth and --cookie-secret. The users (a file of crypt(3) hashes, or one shared
 * password), the signed login cookie, the login form's fields, the `next` check and the
 * per-address count of failed logins. Everything that reads outside input here is a pure
 * function (unit tests, fuzz/fuzz_login.c); the routes that use it are in server.c.
 */
#ifndef PN_SERVER_AUTH_H
#define PN_SERVER_AUTH_H

#include "base/base.h"

#define PN_AUTH_COOKIE "pane_login"
#define PN_AUTH_MAX_USER 64       /* bytes of a user name */
#define PN_AUTH_MAX_PASSWORD 1024 /* bytes of a password typed into the form */
#define PN_AUTH_MAX_NEXT 2048     /* bytes of the form's or the URL's next */
#define PN_AUTH_MAX_FORM 8192     /* bytes of a login POST's body: more is 413 */
/* the cookie's value: base64url(expiry ‖ user), '.', base64url(HMAC-SHA256): at most 143 */
#define PN_AUTH_MAX_COOKIE 160
#define PN_AUTH_DEFAULT_EXPIRATION (7 * 24 * 3600) /* seconds a login lasts: a week */

struct pn_auth_user {
    char *name;
    char *hash;           /* crypt(3) "$y$…", "$6$…", "$2b$…" */
    unsigned char fp[32]; /* what its login cookies are bound to: SHA-256 of a label and hash */
};

/* The users of --basic-auth: read once at start, then read-only (shared by every loop). */
struct pn_auth_users {
    bool shared;                /* one password for any user name (no file) */
    unsigned char password[32]; /* shared: SHA-256 of the password */
    unsigned char fp[32];       /* shared: what login cookies are bound to (from password) */
    struct pn_auth_user *users; /* a file's, sorted by name */
    size_t n;
};

/*
 * --basic-auth VALUE: if VALUE names a file (a path that exists), its users: `user:HASH` a line,
 * '#' comments and blank lines skipped, HASH a crypt(3) hash libxcrypt supports and does not
 * call legacy (yescrypt, SHA-512, bcrypt, …). Otherwise VALUE is the shared password. 0 with
 * *out (pn__auth_users_free), or PN_EINVAL / PN_EIO with err naming file:line: an unreadable
 * file, a malformed line, a plaintext password, an unsupported hash, a name twice, no users.
 */
int pn__auth_users_load(const char *value, struct pn_auth_users **out, char *err, size_t errlen);
/* The same from a file's text (pure; tests): name is what err calls it. */
int pn__auth_users_parse(const char *text, size_t len, const char *name, struct pn_auth_users **out,
                         char *err, size_t errlen);
void pn__auth_users_free(struct pn_auth_users *u);
/* Whether user (a valid name) may log in with password: constant time in the password
 * (CRYPTO_memcmp); an unknown user costs one crypt(3) of the first user's hash, as a known one
 * does. Thread: any. */
bool pn__auth_users_check(const struct pn_auth_users *u, const char *user, const char *password);
/* Whether a login cookie's user is still one of the file's (always true for a shared
 * password). */
bool pn__auth_users_has(const struct pn_auth_users *u, const char *user);

/* A user name pane accepts: 1..PN_AUTH_MAX_USER bytes of valid UTF-8, no control characters
 * (so no newline reaches a log line) and no ':'. */
bool pn__auth_user_valid(pn_str user);

/* The key that signs login cookies: SHA-256 over a label and --cookie-secret, or without one
 * over a label and the server's token secret (--secret-key or the supervisor's random one: every
 * worker and every machine with the same secret accepts the cookie), never the token key itself.
 * One per loop (its HMAC context is not shared). */
struct pn_auth_key {
    struct evp_mac_ctx_st *mac;
};
int pn__auth_key_init(struct pn_auth_key *k, const char *cookie_secret, const char *secret_key,
                      char *err, size_t errlen);
void pn__auth_key_fini(struct pn_auth_key *k);
/* The cookie value for user (valid) until expiry (Unix seconds): NUL-terminated in out. */
void pn__auth_cookie_make(const struct pn_auth_key *k, const char *user, uint64_t expiry,
                          char out[PN_AUTH_MAX_COOKIE + 1]);
/* Checks a cookie value (pure but for the key; fuzzed): 0 with user (NUL-terminated) set;
 * PN_EPARSE for anything malformed, oversized, forged or naming an invalid user;
 * PN_ETIMEDOUT when expired (expiry <= now). */
int pn__auth_cookie_check(const struct pn_auth_key *k, pn_str value, uint64_t now,
                          char user[PN_AUTH_MAX_USER + 1]);
/* The same bound to the user's credentials in u: the signature also covers a fingerprint of
 * the user's hash (a file's) or of the shared password, so changing a password logs that user
 * out everywhere, and a user removed from the file has no valid cookie. check fails
 * (PN_EPARSE) for a user u does not have. */
void pn__auth_cookie_make_for(const struct pn_auth_key *k, const struct pn_auth_users *u,
                              const char *user, uint64_t expiry, char out[PN_AUTH_MAX_COOKIE + 1]);
int pn__auth_cookie_check_for(const struct pn_auth_key *k, const struct pn_auth_users *u,
                              pn_str value, uint64_t now, char user[PN_AUTH_MAX_USER + 1]);

/* The login form (application/x-www-form-urlencoded): user, password and next, each decoded
 * (valid UTF-8, no NUL) and NUL-terminated. PN_EPARSE for a bad escape or a field over its
 * bound; absent fields are "". Pure; fuzzed. */
struct pn_auth_form {
    char user[PN_AUTH_MAX_USER + 1];
    char password[PN_AUTH_MAX_PASSWORD + 1];
    char next[PN_AUTH_MAX_NEXT + 1];
};
int pn__auth_form_parse(pn_str body, struct pn_auth_form *out);
/* Whether next may be redirected to: a local path ("/…", not "//…" nor "/\…"), printable
 * ASCII without backslashes, at most PN_AUTH_MAX_NEXT bytes. Anything else could leave the
 * site (an open redirect). */
bool pn__auth_next_ok(pn_str next);

/* Failed logins per client address: a fixed table (no allocation per address, so a flood of
 * addresses costs nothing more), PN_AUTH_FAIL_MAX failures per address within
 * PN_AUTH_FAIL_WINDOW_MS; past them the address waits out the window. One per loop. */
#define PN_AUTH_FAIL_SLOTS 1024
#define PN_AUTH_FAIL_MAX 10
#define PN_AUTH_FAIL_WINDOW_MS 60000
struct pn_auth_fail_slot {
    char addr[48];
    unsigned count;
    uint64_t since; /* ms: the window's first failure */
};
struct pn_auth_fails {
    uint64_t seed;
    struct pn_auth_fail_slot slot[PN_AUTH_FAIL_SLOTS];
};
/* 0 when addr may try, else the ms it has to wait. */
uint64_t pn__auth_fails_wait(struct pn_auth_fails *f, const char *addr, uint64_t now_ms);
void pn__auth_fails_add(struct pn_auth_fails *f, const char *addr, uint64_t now_ms);
void pn__auth_fails_clear(struct pn_auth_fails *f, const char *addr);

#endif
