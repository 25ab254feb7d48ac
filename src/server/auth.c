/*
 * auth: the users of --basic-auth, the login cookie, the login form and the count of failed
 * logins (auth.h). Passwords are checked with libxcrypt's crypt_rn (thread-safe, its work area
 * on the heap) and compared with CRYPTO_memcmp; a shared password is kept only as its SHA-256.
 *
 * The login cookie is stateless, like a session token (token.c), so any process with the same
 * secret accepts it:
 *
 *     base64url(expiry: 8 bytes, big-endian Unix seconds ‖ user name) "." base64url(HMAC-SHA256)
 *
 * signed under SHA-256("pane login cookie v1\n" ‖ secret): never the token key, so a token can
 * never pass for a cookie. The MAC also covers a fingerprint of the user's credentials (their
 * hash in the users file, or the shared password), so a changed password ends old logins.
 * docs/deploy.md (Login) says what users see.
 */
#include <crypt.h>
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "server/auth.h"
#include "server/server.h"

#define COOKIE_LABEL "pane login cookie v1\n"
#define MAX_FILE (16u << 20) /* a users file larger than this is refused */
#define FP_LABEL "pane login fingerprint v1\n"

/* What a user's cookies are bound to: SHA-256 of a label and secret (a hash, a digest). */
static void fingerprint(const void *secret, size_t n, unsigned char out[32])
{
    unsigned char buf[sizeof FP_LABEL + 512];
    size_t m = n > 512 ? 512 : n;
    memcpy(buf, FP_LABEL, sizeof FP_LABEL - 1);
    memcpy(buf + sizeof FP_LABEL - 1, secret, m);
    unsigned int len = 0;
    EVP_Digest(buf, sizeof FP_LABEL - 1 + m, out, &len, EVP_sha256(), NULL);
    OPENSSL_cleanse(buf, sizeof buf);
}

/* ---- users ---- */

bool pn__auth_user_valid(pn_str user)
{
    if (!user.ptr || user.len == 0 || user.len > PN_AUTH_MAX_USER ||
        !pn__utf8_valid(user.ptr, user.len))
        return false;
    for (size_t i = 0; i < user.len; i++) {
        unsigned char c = (unsigned char)user.ptr[i];
        if (c < 0x20 || c == 0x7f || c == ':')
            return false;
    }
    /* C1 controls (U+0080..U+009F) and the line separators U+2028/2029 are controls too */
    for (size_t i = 0; i + 1 < user.len; i++) {
        unsigned char a = (unsigned char)user.ptr[i], b = (unsigned char)user.ptr[i + 1];
        if (a == 0xc2 && b >= 0x80 && b <= 0x9f)
            return false;
        if (a == 0xe2 && b == 0x80 && i + 2 < user.len &&
            ((unsigned char)user.ptr[i + 2] == 0xa8 || (unsigned char)user.ptr[i + 2] == 0xa9))
            return false;
    }
    return true;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const struct pn_auth_user *)a)->name, ((const struct pn_auth_user *)b)->name);
}

void pn__auth_users_free(struct pn_auth_users *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->n; i++) {
        free(u->users[i].name);
        OPENSSL_cleanse(u->users[i].hash, strlen(u->users[i].hash));
        free(u->users[i].hash);
    }
    free(u->users);
    OPENSSL_cleanse(u, sizeof *u);
    free(u);
}

/* crypt_rn of password under setting (a stored hash): the hash, in *data, or NULL. */
static const char *hash_with(const char *password, const char *setting, struct crypt_data *data)
{
    const char *h = crypt_rn(password, setting, data, (int)sizeof *data);
    return h && h[0] != '*' ? h : NULL;
}

/* Why a stored hash is refused, or NULL when libxcrypt takes it as a current method. */
static const char *hash_problem(const char *hash)
{
    if (hash[0] != '$')
        return "a plaintext password (or a DES hash): store a hash made with `mkpasswd` or "
               "`openssl passwd -6`";
    switch (crypt_checksalt(hash)) {
    case CRYPT_SALT_OK:
        break;
    case CRYPT_SALT_METHOD_LEGACY:
        return "a legacy hash method (MD5, DES …): use yescrypt ($y$), SHA-512 ($6$) or bcrypt "
               "($2b$)";
    case CRYPT_SALT_METHOD_DISABLED:
        return "a hash method this system's libxcrypt has disabled";
    default:
        return "not a hash libxcrypt can check (yescrypt $y$, SHA-512 $6$, bcrypt $2b$ …; "
               "Apache's $apr1$ is not one)";
    }
    struct crypt_data *cd = pn__xcalloc(1, sizeof *cd);
    const char *h = hash_with("pane", hash, cd);
    bool ok = h && strlen(h) == strlen(hash); /* a whole hash gives one as long back */
    free(cd);
    return ok ? NULL : "a malformed hash";
}

int pn__auth_users_parse(const char *text, size_t len, const char *name, struct pn_auth_users **out,
                         char *err, size_t errlen)
{
    struct pn_auth_users *u = pn__xcalloc(1, sizeof *u);
    size_t cap = 0;
    unsigned line = 0;
    size_t i = 0;
    while (i < len) {
        line++;
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        pn_str l = {text + i, j - i};
        i = j + 1;
        if (l.len && l.ptr[l.len - 1] == '\r')
            l.len--;
        while (l.len && (l.ptr[0] == ' ' || l.ptr[0] == '\t'))
            l.ptr++, l.len--;
        while (l.len && (l.ptr[l.len - 1] == ' ' || l.ptr[l.len - 1] == '\t'))
            l.len--;
        if (l.len == 0 || l.ptr[0] == '#')
            continue;
        const char *colon = memchr(l.ptr, ':', l.len);
        const char *why = NULL;
        pn_str user = {l.ptr, colon ? (size_t)(colon - l.ptr) : l.len};
        pn_str hash = colon ? (pn_str){colon + 1, l.len - user.len - 1} : (pn_str){"", 0};
        char hbuf[512];
        if (!colon)
            why = "not user:HASH";
        else if (!pn__auth_user_valid(user))
            why = "the user name must be 1 to 64 bytes of UTF-8 without controls or ':'";
        else if (hash.len == 0)
            why = "no hash after the ':'";
        else if (hash.len >= sizeof hbuf || memchr(hash.ptr, '\0', hash.len) ||
                 memchr(hash.ptr, ':', hash.len))
            why = "not one crypt(3) hash after the ':' (htpasswd's extra fields are not taken)";
        if (!why) {
            memcpy(hbuf, hash.ptr, hash.len);
            hbuf[hash.len] = '\0';
            why = hash_problem(hbuf);
        }
        if (why) {
            snprintf(err, errlen, "--basic-auth %s:%u: %s", name, line, why);
            OPENSSL_cleanse(hbuf, sizeof hbuf);
            pn__auth_users_free(u);
            return PN_EINVAL;
        }
        if (u->n == cap)
            u->users = pn__xrealloc(u->users, (cap = cap ? cap * 2 : 16) * sizeof *u->users);
        u->users[u->n].name = pn__xstrndup(user.ptr, user.len);
        u->users[u->n].hash = pn__xstrdup(hbuf);
        fingerprint(hbuf, hash.len, u->users[u->n].fp);
        OPENSSL_cleanse(hbuf, sizeof hbuf);
        for (size_t k = 0; k < u->n; k++)
            if (!strcmp(u->users[k].name, u->users[u->n].name)) {
                snprintf(err, errlen, "--basic-auth %s:%u: user \"%s\" is listed twice", name, line,
                         u->users[k].name);
                u->n++;
                pn__auth_users_free(u);
                return PN_EINVAL;
            }
        u->n++;
    }
    if (u->n == 0) {
        snprintf(err, errlen, "--basic-auth %s: no user in the file (user:HASH a line)", name);
        pn__auth_users_free(u);
        return PN_EINVAL;
    }
    qsort(u->users, u->n, sizeof *u->users, by_name);
    *out = u;
    return 0;
}

int pn__auth_users_load(const char *value, struct pn_auth_users **out, char *err, size_t errlen)
{
    struct stat st;
    if (!value || !*value) {
        snprintf(err, errlen, "--basic-auth: a password or a users file, not nothing");
        return PN_EINVAL;
    }
    if (stat(value, &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG) {
            snprintf(err, errlen, "--basic-auth %s: %s", value, strerror(errno));
            return PN_EIO;
        }
        /* not a file: the shared password (as panel serve --basic-auth) */
        struct pn_auth_users *u = pn__xcalloc(1, sizeof *u);
        u->shared = true;
        unsigned int n = 0;
        EVP_Digest(value, strlen(value), u->password, &n, EVP_sha256(), NULL);
        fingerprint(u->password, sizeof u->password, u->fp);
        *out = u;
        return 0;
    }
    FILE *f = S_ISREG(st.st_mode) ? fopen(value, "rb") : NULL;
    if (!f || st.st_size > (off_t)MAX_FILE) {
        snprintf(err, errlen, "--basic-auth %s: %s", value,
                 !S_ISREG(st.st_mode) ? "not a regular file"
                 : !f                 ? strerror(errno)
                                      : "larger than 16 MiB");
        if (f)
            fclose(f);
        return PN_EIO;
    }
    char *text = pn__xmalloc((size_t)st.st_size + 1);
    size_t len = fread(text, 1, (size_t)st.st_size, f);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "--basic-auth %s: cannot read it", value);
        free(text);
        return PN_EIO;
    }
    int rc = pn__auth_users_parse(text, len, value, out, err, errlen);
    OPENSSL_cleanse(text, len);
    free(text);
    return rc;
}

static const struct pn_auth_user *find_user(const struct pn_auth_users *u, const char *user)
{
    struct pn_auth_user key = {.name = (char *)user};
    return bsearch(&key, u->users, u->n, sizeof *u->users, by_name);
}

bool pn__auth_users_has(const struct pn_auth_users *u, const char *user)
{
    return u->shared || find_user(u, user) != NULL;
}

bool pn__auth_users_check(const struct pn_auth_users *u, const char *user, const char *password)
{
    if (!pn__auth_user_valid(pn__str(user)) || strlen(password) > PN_AUTH_MAX_PASSWORD)
        return false;
    if (u->shared) {
        unsigned char got[32];
        unsigned int n = 0;
        EVP_Digest(password, strlen(password), got, &n, EVP_sha256(), NULL);
        bool ok = CRYPTO_memcmp(got, u->password, sizeof got) == 0;
        OPENSSL_cleanse(got, sizeof got);
        return ok;
    }
    const struct pn_auth_user *known = find_user(u, user);
    /* an unknown user costs the same work: the first user's hash, thrown away */
    const char *stored = known ? known->hash : u->users[0].hash;
    struct crypt_data *cd = pn__xcalloc(1, sizeof *cd);
    const char *h = hash_with(password, stored, cd);
    size_t n = strlen(stored);
    bool ok = h && strlen(h) == n && CRYPTO_memcmp(h, stored, n) == 0 && known;
    OPENSSL_cleanse(cd, sizeof *cd);
    free(cd);
    return ok;
}

/* ---- the cookie ---- */

int pn__auth_key_init(struct pn_auth_key *k, const char *cookie_secret, const char *secret_key,
                      char *err, size_t errlen)
{
    const char *secret = cookie_secret ? cookie_secret : secret_key;
    unsigned char key[32];
    if (cookie_secret && strlen(cookie_secret) < 32) {
        snprintf(err, errlen, "--cookie-secret must be at least 32 characters (got %zu)",
                 strlen(cookie_secret));
        return PN_EINVAL;
    }
    if (!secret) { /* no secret at all (a test's server): a random key, this process only */
        if (RAND_bytes(key, sizeof key) != 1) {
            snprintf(err, errlen, "no randomness for the login cookie key");
            return PN_EIO;
        }
    } else {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        unsigned int n = 0;
        if (!md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1 ||
            EVP_DigestUpdate(md, COOKIE_LABEL, strlen(COOKIE_LABEL)) != 1 ||
            EVP_DigestUpdate(md, secret, strlen(secret)) != 1 ||
            EVP_DigestFinal_ex(md, key, &n) != 1) {
            EVP_MD_CTX_free(md);
            snprintf(err, errlen, "SHA-256 failed");
            return PN_EIO;
        }
        EVP_MD_CTX_free(md);
    }
    k->mac = pn__mac_new("HMAC", "SHA256", 0, key, sizeof key);
    OPENSSL_cleanse(key, sizeof key);
    return 0;
}

void pn__auth_key_fini(struct pn_auth_key *k)
{
    pn__mac_free(k->mac);
    k->mac = NULL;
}

/* The fingerprint user's cookies are bound to in u, or NULL (u NULL: none); *known false for a
 * user u does not have. */
static const unsigned char *fp_of(const struct pn_auth_users *u, const char *user, bool *known)
{
    *known = true;
    if (!u)
        return NULL;
    if (u->shared)
        return u->fp;
    const struct pn_auth_user *f = find_user(u, user);
    *known = f != NULL;
    return f ? f->fp : NULL;
}

/* HMAC-SHA256 of the cookie's body text (and the fingerprint, if any). */
static void sign(const struct pn_auth_key *k, const char *body, size_t n, const unsigned char *fp,
                 unsigned char mac[32])
{
    char buf[PN_AUTH_MAX_COOKIE + 32];
    if (n > PN_AUTH_MAX_COOKIE)
        n = PN_AUTH_MAX_COOKIE; /* never: bodies are bounded before */
    memcpy(buf, body, n);
    if (fp)
        memcpy(buf + n, fp, 32);
    pn__mac(k->mac, buf, n + (fp ? 32 : 0), mac, 32);
}

void pn__auth_cookie_make_for(const struct pn_auth_key *k, const struct pn_auth_users *u,
                              const char *user, uint64_t expiry, char out[PN_AUTH_MAX_COOKIE + 1])
{
    unsigned char raw[8 + PN_AUTH_MAX_USER];
    size_t n = strlen(user);
    if (n > PN_AUTH_MAX_USER)
        n = PN_AUTH_MAX_USER; /* never: callers pass valid names */
    for (int i = 0; i < 8; i++)
        raw[i] = (unsigned char)(expiry >> (56 - 8 * i));
    memcpy(raw + 8, user, n);
    size_t len = pn__b64url_encode(raw, 8 + n, out);
    bool known;
    unsigned char mac[32];
    sign(k, out, len, fp_of(u, user, &known), mac);
    out[len++] = '.';
    pn__b64url_encode(mac, sizeof mac, out + len);
}

void pn__auth_cookie_make(const struct pn_auth_key *k, const char *user, uint64_t expiry,
                          char out[PN_AUTH_MAX_COOKIE + 1])
{
    pn__auth_cookie_make_for(k, NULL, user, expiry, out);
}

int pn__auth_cookie_check_for(const struct pn_auth_key *k, const struct pn_auth_users *u,
                              pn_str value, uint64_t now, char user[PN_AUTH_MAX_USER + 1])
{
    if (!value.ptr || value.len > PN_AUTH_MAX_COOKIE)
        return PN_EPARSE;
    const char *dot = memchr(value.ptr, '.', value.len);
    if (!dot)
        return PN_EPARSE;
    pn_str body = {value.ptr, (size_t)(dot - value.ptr)};
    pn_str sig = {dot + 1, value.len - body.len - 1};
    unsigned char raw[8 + PN_AUTH_MAX_USER], mac[32], want[32];
    size_t n = 0, m = 0;
    if (!pn__b64url_decode(body, raw, sizeof raw, &n) || n < 9 ||
        !pn__b64url_decode(sig, mac, sizeof mac, &m) || m != sizeof mac)
        return PN_EPARSE;
    pn_str name = {(const char *)raw + 8, n - 8};
    if (!pn__auth_user_valid(name))
        return PN_EPARSE;
    char who[PN_AUTH_MAX_USER + 1];
    memcpy(who, name.ptr, name.len);
    who[name.len] = '\0';
    bool known;
    const unsigned char *fp = fp_of(u, who, &known);
    sign(k, body.ptr, body.len, fp, want);
    if (CRYPTO_memcmp(mac, want, sizeof mac) != 0 || !known)
        return PN_EPARSE;
    uint64_t exp = 0;
    for (int i = 0; i < 8; i++)
        exp = (exp << 8) | raw[i];
    if (exp <= now)
        return PN_ETIMEDOUT;
    memcpy(user, who, name.len + 1);
    return 0;
}

int pn__auth_cookie_check(const struct pn_auth_key *k, pn_str value, uint64_t now,
                          char user[PN_AUTH_MAX_USER + 1])
{
    return pn__auth_cookie_check_for(k, NULL, value, now, user);
}

/* ---- the form ---- */

static int field(pn_str body, const char *name, char *out, size_t cap)
{
    struct pn_buf b;
    pn__buf_init_fixed(&b, out, cap);
    int rc = pn__query_get(body, name, &b);
    if (rc == PN_ENOTFOUND) {
        out[0] = '\0';
        return 0;
    }
    if (rc != 0)
        out[0] = '\0';
    return rc == 0 ? 0 : PN_EPARSE;
}

int pn__auth_form_parse(pn_str body, struct pn_auth_form *out)
{
    if (body.len > PN_AUTH_MAX_FORM)
        return PN_EPARSE;
    int rc = field(body, "user", out->user, sizeof out->user);
    if (rc == 0)
        rc = field(body, "password", out->password, sizeof out->password);
    if (rc == 0)
        rc = field(body, "next", out->next, sizeof out->next);
    return rc;
}

bool pn__auth_next_ok(pn_str next)
{
    if (!next.ptr || next.len == 0 || next.len > PN_AUTH_MAX_NEXT || next.ptr[0] != '/')
        return false;
    if (next.len > 1 && (next.ptr[1] == '/' || next.ptr[1] == '\\'))
        return false; /* "//host" and "/\host" are other sites to a browser */
    for (size_t i = 0; i < next.len; i++) {
        unsigned char c = (unsigned char)next.ptr[i];
        if (c <= 0x20 || c >= 0x7f || c == '\\')
            return false;
    }
    return true;
}

/* ---- failed logins ---- */

#define WAYS 4 /* an address lives in one of 4 slots from its hash */

static size_t slot_of(const struct pn_auth_fails *f, const char *addr)
{
    return (size_t)((pn__hash_fnv1a(addr, strlen(addr)) ^ f->seed) * 0x9e3779b97f4a7c15ull >> 40) %
           PN_AUTH_FAIL_SLOTS;
}

static struct pn_auth_fail_slot *find_slot(struct pn_auth_fails *f, const char *addr)
{
    size_t s = slot_of(f, addr);
    for (size_t w = 0; w < WAYS; w++) {
        struct pn_auth_fail_slot *sl = &f->slot[(s + w) % PN_AUTH_FAIL_SLOTS];
        if (sl->count && !strcmp(sl->addr, addr))
            return sl;
    }
    return NULL;
}

uint64_t pn__auth_fails_wait(struct pn_auth_fails *f, const char *addr, uint64_t now_ms)
{
    struct pn_auth_fail_slot *sl = find_slot(f, addr);
    if (!sl || sl->count < PN_AUTH_FAIL_MAX)
        return 0;
    uint64_t end = sl->since + PN_AUTH_FAIL_WINDOW_MS;
    return end > now_ms ? end - now_ms : 0;
}

void pn__auth_fails_add(struct pn_auth_fails *f, const char *addr, uint64_t now_ms)
{
    struct pn_auth_fail_slot *sl = find_slot(f, addr);
    if (sl && now_ms - sl->since >= PN_AUTH_FAIL_WINDOW_MS) {
        sl->count = 0; /* a new window */
        sl->since = now_ms;
    }
    if (!sl) { /* a free slot, else the one whose window began first */
        size_t s = slot_of(f, addr);
        for (size_t w = 0; w < WAYS; w++) {
            struct pn_auth_fail_slot *c = &f->slot[(s + w) % PN_AUTH_FAIL_SLOTS];
            if (!sl || !c->count || (sl->count && c->since < sl->since))
                sl = c;
            if (!c->count)
                break;
        }
        snprintf(sl->addr, sizeof sl->addr, "%s", addr);
        sl->count = 0;
        sl->since = now_ms;
    }
    if (sl->count < UINT32_MAX)
        sl->count++;
}

void pn__auth_fails_clear(struct pn_auth_fails *f, const char *addr)
{
    struct pn_auth_fail_slot *sl = find_slot(f, addr);
    if (sl)
        sl->count = 0;
}
