/*
 * request: the app-facing accessors of pn_request (query arguments, headers, cookies, path)
 * and pn_key. Values are decoded into the request's arena and live as long as the request.
 */
#include "server/server.h"


static const char *copy(const pn_request *r, pn_str v)
{
    return pn__arena_strndup(r->arena, v.ptr ? v.ptr : "", v.len);
}

const char *pn_request_arg(const pn_request *r, const char *name, const char *def)
{
    if (!r || !name)
        return def;
    pn_str raw;
    if (pn__query_find(r->http->query, name, &raw) != 0)
        return def;
    /* decoding never lengthens: decode straight into the request's arena (no malloc once the
     * loop's arena has its block, which matters on the reuse cache's hit path) */
    char *mem = pn__arena_alloc(r->arena, raw.len + 1);
    struct pn_buf v;
    pn__buf_init_fixed(&v, mem, raw.len + 1);
    return pn__url_decode(raw.ptr, raw.len, &v) == 0 ? mem : def;
}

const char *pn_request_header(const pn_request *r, const char *name, const char *def)
{
    if (!r || !name)
        return def;
    pn_str v = pn__http_header(r->http, name);
    return v.ptr ? copy(r, v) : def;
}

static pn_str blank_trim(pn_str s)
{
    while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t'))
        s.ptr++, s.len--;
    while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
        s.len--;
    return s;
}

bool pn__cookie_each(const struct pn_http_req *r, const char *name,
                     bool (*fn)(void *ud, pn_str value), void *ud)
{
    pn_str want = pn__str(name);
    for (size_t h = 0; h < r->nheaders; h++) {
        if (!pn__str_ieq(r->headers[h].name, PN_STRLIT("cookie")))
            continue;
        pn_str c = r->headers[h].value;
        size_t i = 0;
        while (i < c.len) {
            while (i < c.len && (c.ptr[i] == ' ' || c.ptr[i] == ';'))
                i++;
            size_t j = i;
            while (j < c.len && c.ptr[j] != ';')
                j++;
            const char *eq = memchr(c.ptr + i, '=', j - i);
            if (eq && pn__str_eq(blank_trim((pn_str){c.ptr + i, (size_t)(eq - c.ptr) - i}), want)) {
                pn_str v = blank_trim((pn_str){eq + 1, (size_t)(c.ptr + j - (eq + 1))});
                if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
                    v.ptr++, v.len -= 2;
                if (fn(ud, v))
                    return true;
            }
            i = j;
        }
    }
    return false;
}

struct first_cookie {
    pn_str v;
    bool found;
};

static bool take_first(void *ud, pn_str value)
{
    struct first_cookie *f = ud;
    f->v = value;
    f->found = true;
    return true;
}

const char *pn_request_cookie(const pn_request *r, const char *name, const char *def)
{
    if (!r || !name)
        return def;
    struct first_cookie f = {{NULL, 0}, false};
    pn__cookie_each(r->http, name, take_first, &f);
    return f.found ? copy(r, f.v) : def;
}

const char *pn_request_path(const pn_request *r)
{
    return r ? copy(r, r->http->path) : "";
}

void pn_key_add(pn_key *k, const char *part)
{
    if (!k)
        return;
    if (!part) {
        /* "absent": distinct from any length prefix */
        k->overflow |= pn__buf_append(&k->buf, "\xff", 1) != 0;
        return;
    }
    size_t n = strlen(part);
    char len[24];
    int m = snprintf(len, sizeof len, "%zu:", n);
    k->overflow |= pn__buf_append(&k->buf, len, (size_t)m) != 0 ||
                   pn__buf_append(&k->buf, part, n) != 0;
}

void pn_key_shared(pn_key *k)
{
    if (k)
        k->shared = true;
}
