/*
 * fuzz_login: the login's parsers of outside input on arbitrary bytes (auth.h). The input is
 * the value of a login cookie (pn__auth_cookie_check), a login form's body
 * (pn__auth_form_parse), a `next` (pn__auth_next_ok) and a user name (pn__auth_user_valid).
 *
 * Checked:
 *   - a cookie is accepted only if it is exactly what pn__auth_cookie_make gives for the user
 *     it names (any other bytes, even with a valid signature elsewhere, are refused), and a
 *     refused one leaves the user buffer untouched; an accepted user is a valid name; the same
 *     for a cookie bound to a shared password (pn__auth_cookie_check_for), which an unbound
 *     check refuses;
 *   - the form's fields are NUL-terminated within their bounds, valid UTF-8 without NUL, and a
 *     refused form leaves nothing half-decoded that could pass for a value;
 *   - an accepted next starts with one '/', has no second '/' or '\' after it, and only
 *     printable ASCII: never a way off the site;
 *   - a name pn__auth_user_valid takes signs and checks back to itself.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/auth.h"
#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_login: check failed: %s (line %d)\n", #cond, __LINE__);          \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static struct pn_auth_key key;

static void key_once(void)
{
    if (key.mac)
        return;
    char err[128];
    CHECK(pn__auth_key_init(&key, NULL, "fuzz secret key of at least thirty-two characters", err,
                            sizeof err) == 0);
}

static void check_cookie(const char *s, size_t n)
{
    char user[PN_AUTH_MAX_USER + 1];
    memset(user, 0x5a, sizeof user);
    int rc = pn__auth_cookie_check(&key, (pn_str){s, n}, 1000, user);
    CHECK(rc == 0 || rc == PN_EPARSE || rc == PN_ETIMEDOUT);
    if (rc != 0) {
        for (size_t i = 0; i < sizeof user; i++)
            CHECK(user[i] == 0x5a);
        return;
    }
    CHECK(pn__auth_user_valid(pn__str(user)));
    /* the only accepted bytes are the ones make gives: decode the expiry back from the input */
    const char *dot = memchr(s, '.', n);
    CHECK(dot);
    unsigned char raw[8 + PN_AUTH_MAX_USER];
    size_t rn = 0;
    CHECK(pn__b64url_decode((pn_str){s, (size_t)(dot - s)}, raw, sizeof raw, &rn));
    uint64_t exp = 0;
    for (int i = 0; i < 8; i++)
        exp = (exp << 8) | raw[i];
    char again[PN_AUTH_MAX_COOKIE + 1];
    pn__auth_cookie_make(&key, user, exp, again);
    CHECK(strlen(again) == n && memcmp(again, s, n) == 0);
}

static bool utf8_no_nul(const char *s)
{
    return pn__utf8_valid(s, strlen(s));
}

/* Bound to a shared password's fingerprint: accepted only as make_for gives it. */
static void check_bound_cookie(const char *s, size_t n)
{
    static struct pn_auth_users *shared;
    char err[128], user[PN_AUTH_MAX_USER + 1];
    if (!shared)
        CHECK(pn__auth_users_load("fuzz shared password", &shared, err, sizeof err) == 0);
    int rc = pn__auth_cookie_check_for(&key, shared, (pn_str){s, n}, 1000, user);
    CHECK(rc == 0 || rc == PN_EPARSE || rc == PN_ETIMEDOUT);
    if (rc != 0)
        return;
    char unbound[PN_AUTH_MAX_USER + 1];
    CHECK(pn__auth_cookie_check(&key, (pn_str){s, n}, 1000, unbound) == PN_EPARSE);
    const char *dot = memchr(s, '.', n);
    unsigned char raw[8 + PN_AUTH_MAX_USER];
    size_t rn = 0;
    CHECK(dot && pn__b64url_decode((pn_str){s, (size_t)(dot - s)}, raw, sizeof raw, &rn));
    uint64_t exp = 0;
    for (int i = 0; i < 8; i++)
        exp = (exp << 8) | raw[i];
    char again[PN_AUTH_MAX_COOKIE + 1];
    pn__auth_cookie_make_for(&key, shared, user, exp, again);
    CHECK(strlen(again) == n && memcmp(again, s, n) == 0);
}

static void check_form(const char *s, size_t n)
{
    struct pn_auth_form f;
    memset(&f, 0x5a, sizeof f);
    int rc = pn__auth_form_parse((pn_str){s, n}, &f);
    CHECK(rc == 0 || rc == PN_EPARSE);
    if (rc != 0)
        return;
    CHECK(memchr(f.user, 0, sizeof f.user) && utf8_no_nul(f.user));
    CHECK(memchr(f.password, 0, sizeof f.password) && utf8_no_nul(f.password));
    CHECK(memchr(f.next, 0, sizeof f.next) && utf8_no_nul(f.next));
    check_cookie(f.user, strlen(f.user)); /* decoded text is outside input too */
}

static void check_next(const char *s, size_t n)
{
    if (!pn__auth_next_ok((pn_str){s, n}))
        return;
    CHECK(n >= 1 && n <= PN_AUTH_MAX_NEXT && s[0] == '/');
    CHECK(n == 1 || (s[1] != '/' && s[1] != '\\'));
    for (size_t i = 0; i < n; i++)
        CHECK(s[i] > 0x20 && s[i] < 0x7f && s[i] != '\\');
}

static void check_name(const char *s, size_t n)
{
    if (!pn__auth_user_valid((pn_str){s, n}))
        return;
    CHECK(n >= 1 && n <= PN_AUTH_MAX_USER && !memchr(s, '\n', n) && !memchr(s, 0, n));
    char name[PN_AUTH_MAX_USER + 1], user[PN_AUTH_MAX_USER + 1];
    memcpy(name, s, n);
    name[n] = '\0';
    char v[PN_AUTH_MAX_COOKIE + 1];
    pn__auth_cookie_make(&key, name, 2000, v);
    CHECK(strlen(v) <= PN_AUTH_MAX_COOKIE);
    CHECK(pn__auth_cookie_check(&key, pn__str(v), 1000, user) == 0 && !strcmp(user, name));
    CHECK(pn__auth_cookie_check(&key, pn__str(v), 2000, user) == PN_ETIMEDOUT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    key_once();
    /* a private copy: the parsers must not read past size (ASan sees the heap block's end) */
    char *s = malloc(size ? size : 1);
    if (size)
        memcpy(s, data, size);
    check_cookie(s, size);
    check_bound_cookie(s, size);
    check_form(s, size);
    check_next(s, size);
    check_name(s, size);
    free(s);
    return 0;
}
