/*
 * key: the session key of a request — what the reuse cache stores pages under. It is always
 * the app's name followed by, in order of precedence, what the app's pn_session_key adds,
 * or the parts of the --session-key spec, or nothing (the app's path alone: one page per app).
 * Parts are length-prefixed (pn_key_add), so no two different part lists give the same bytes.
 *
 * With --basic-auth the logged-in user is the last part unless the key says it is shared
 * (pn_key_shared, or `shared` in the spec): a cached page is never served across users.
 *
 * The spec is a comma list of `arg:NAME`, `cookie:NAME`, `header:NAME`, `path` and `shared`,
 * parsed once
 * at start by a pure function (fuzzed: fuzz/fuzz_key_spec.c).
 */
#include <ctype.h>
#include <stdio.h>

#include "base/record.h"
#include "server/server.h"

static bool name_char(char c)
{
    /* header and cookie names are RFC 9110 tokens; arg names as browsers send them */
    return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~[]", c));
}

int pn__key_spec_parse(const char *spec, size_t len, struct pn_key_spec *out, char *err,
                       size_t errlen)
{
    struct pn_key_spec s = {0};
    size_t i = 0;
    if (len == 0) {
        snprintf(err, errlen, "--session-key: empty (use e.g. arg:city,cookie:lang)");
        return PN_EPARSE;
    }
    while (i <= len) {
        size_t j = i;
        while (j < len && spec[j] != ',')
            j++;
        size_t a = i, b = j;
        while (a < b && spec[a] == ' ')
            a++;
        while (b > a && spec[b - 1] == ' ')
            b--;
        pn_str part = {spec + a, b - a};
        if (s.n == PN_KEY_MAX_PARTS) {
            snprintf(err, errlen, "--session-key: more than %d parts", PN_KEY_MAX_PARTS);
            return PN_EPARSE;
        }
        struct pn_key_part *p = &s.parts[s.n];
        static const struct {
            const char *prefix;
            enum pn_key_part_kind kind;
        } kinds[] = {{"arg:", PN_KEY_ARG}, {"cookie:", PN_KEY_COOKIE}, {"header:", PN_KEY_HEADER}};
        bool known = false;
        if (pn__str_eq(part, PN_STRLIT("path"))) {
            p->kind = PN_KEY_PATH;
            known = true;
        } else if (pn__str_eq(part, PN_STRLIT("shared"))) {
            p->kind = PN_KEY_SHARED;
            known = true;
        }
        for (size_t k = 0; !known && k < sizeof kinds / sizeof *kinds; k++) {
            pn_str prefix = pn__str(kinds[k].prefix);
            if (!pn__str_has_prefix(part, prefix))
                continue;
            pn_str name = {part.ptr + prefix.len, part.len - prefix.len};
            if (name.len == 0 || name.len >= sizeof p->name) {
                snprintf(err, errlen, "--session-key: \"%.*s\" needs a name of 1 to %zu characters",
                         (int)part.len, part.ptr, sizeof p->name - 1);
                return PN_EPARSE;
            }
            for (size_t c = 0; c < name.len; c++)
                if (!name_char(name.ptr[c])) {
                    snprintf(err, errlen, "--session-key: bad character in \"%.*s\"",
                             (int)(part.len > 80 ? 80 : part.len), part.ptr);
                    return PN_EPARSE;
                }
            p->kind = kinds[k].kind;
            memcpy(p->name, name.ptr, name.len);
            p->name[name.len] = '\0';
            known = true;
        }
        if (!known) {
            snprintf(
                err, errlen,
                "--session-key: \"%.*s\" is not arg:NAME, cookie:NAME, header:NAME, path or shared",
                (int)(part.len > 80 ? 80 : part.len), part.ptr);
            return PN_EPARSE;
        }
        s.n++;
        i = j + 1;
    }
    *out = s;
    return 0;
}

/* With login on, the user ends the key unless it is shared: after a byte no part starts with
 * (a part is "<length>:" or the absent mark \xff), so no list of parts an app adds can make the
 * same bytes as another user's key. */
static void add_user(pn_key *k, const char *user)
{
    if (!user || k->shared)
        return;
    k->overflow |= pn__buf_append(&k->buf, "\xfe", 1) != 0;
    pn_key_add(k, user);
}

void pn__key_compute(const struct pn_app *app, const struct pn_key_spec *spec, const pn_request *r,
                     const char *user, pn_key *k)
{
    pn__buf_reset(&k->buf);
    k->overflow = false;
    k->shared = false;
    pn_key_add(k, app->name);
    if (app->key) {
        pn__entry_enter(PN_ENTRY_KEY, app->name, 0, "request \"%.*s %.*s\"",
                        (int)r->http->method_name.len, r->http->method_name.ptr,
                        (int)r->http->url.len, r->http->url.ptr);
        app->key(r, k);
        pn__entry_leave();
        add_user(k, user);
        return;
    }
    for (int i = 0; spec && i < spec->n; i++) {
        const struct pn_key_part *p = &spec->parts[i];
        switch (p->kind) {
        case PN_KEY_ARG:
            pn_key_add(k, pn_request_arg(r, p->name, NULL));
            break;
        case PN_KEY_COOKIE:
            pn_key_add(k, pn_request_cookie(r, p->name, NULL));
            break;
        case PN_KEY_HEADER:
            pn_key_add(k, pn_request_header(r, p->name, NULL));
            break;
        case PN_KEY_PATH:
            pn_key_add(k, pn_request_path(r));
            break;
        case PN_KEY_SHARED:
            k->shared = true;
            break;
        }
    }
    add_user(k, user);
}
