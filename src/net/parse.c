/*
 * parse: one HTTP/1.x request out of a byte buffer, with Debian's libhttp-parser doing the
 * lexing. The parser is incremental; we feed it bytes as they arrive and record where the URL
 * and headers sit as offsets into the connection's read buffer, so a buffer that grows (and
 * moves) between reads never leaves a dangling pointer. Limits (URL, header bytes, header
 * count, body) are checked as bytes arrive, before anything is allocated for them.
 */
#include <arpa/inet.h>
#include <http_parser.h>

#include "net/internal.h"

static struct pn_http_parse *state_of(http_parser *p)
{
    return p->data;
}

static size_t off(struct pn_http_parse *st, const char *at)
{
    return (size_t)(at - st->base);
}

static int on_message_begin(http_parser *p)
{
    struct pn_http_parse *st = state_of(p);
    st->url_off = st->url_len = 0;
    st->nhdr = 0;
    st->in_value = false;
    st->headers_done = st->complete = false;
    st->expect_continue = st->sent_continue = false;
    pn__buf_reset(&st->body);
    return 0;
}

static int on_url(http_parser *p, const char *at, size_t len)
{
    struct pn_http_parse *st = state_of(p);
    if (st->url_len == 0)
        st->url_off = off(st, at);
    st->url_len += len;
    if (st->url_len > st->lim->max_url) {
        st->err = PN_EURI;
        return 1;
    }
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    struct pn_http_parse *st = state_of(p);
    if (st->headers_done)
        return 0; /* a trailer field: dropped, never merged into the headers (RFC 9110 §6.5.1) */
    if (st->nhdr == 0 || st->in_value) {
        if (st->nhdr >= st->lim->max_headers) {
            st->err = PN_EHEADERS;
            return 1;
        }
        if (!st->hdr) /* on the first header, so an idle connection does not hold the table */
            st->hdr = pn__xcalloc(st->lim->max_headers + 1, sizeof *st->hdr);
        struct pn_http_hdr_off *h = &st->hdr[st->nhdr++];
        h->name_off = off(st, at);
        h->name_len = 0;
        h->val_off = h->val_len = 0;
        st->in_value = false;
    }
    st->hdr[st->nhdr - 1].name_len += len;
    return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    struct pn_http_parse *st = state_of(p);
    if (st->headers_done)
        return 0; /* trailer */
    struct pn_http_hdr_off *h = &st->hdr[st->nhdr - 1];
    if (!st->in_value) {
        h->val_off = off(st, at);
        h->val_len = 0;
        st->in_value = true;
    }
    h->val_len += len;
    return 0;
}

static bool value_ok(const char *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false; /* NUL, CR, LF (obs-fold) and other controls */
    }
    return true;
}

/* RFC 9110 §5.1: a field name is a token; whitespace in or after it is a 400 (RFC 9112 §5.1). */
static bool name_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c && strchr("!#$%&'*+-.^_`|~", c))))
            return false;
    }
    return true;
}

/* http-parser 2.9 is lenient about the protocol name ("HTXP/1.1" passes): the request line
 * must end in exactly "HTTP/1.0" or "HTTP/1.1". */
static bool request_line_ok(const struct pn_http_parse *st)
{
    const char *line = st->base + st->msg_start;
    const char *nl = memchr(line, '\n', st->url_off + st->url_len + 11 - st->msg_start);
    if (!nl)
        return false;
    const char *end = nl > line && nl[-1] == '\r' ? nl - 1 : nl;
    return end - line >= 8 && (memcmp(end - 8, "HTTP/1.1", 8) == 0 ||
                               memcmp(end - 8, "HTTP/1.0", 8) == 0);
}

static int on_headers_complete(http_parser *p)
{
    struct pn_http_parse *st = state_of(p);
    st->headers_done = true;
    if (p->http_major != 1) {
        st->err = PN_EVERSION;
        return -1;
    }
    if (!request_line_ok(st)) {
        st->err = PN_EPARSE;
        return -1;
    }
    int hosts = 0;
    for (size_t i = 0; i < st->nhdr; i++) {
        const struct pn_http_hdr_off *h = &st->hdr[i];
        if (!name_ok(st->base + h->name_off, h->name_len) ||
            !value_ok(st->base + h->val_off, h->val_len) ||
            (h->val_len && !value_ok(st->base + h->name_off + h->name_len,
                                     h->val_off - (h->name_off + h->name_len)))) {
            /* the last test: a value that begins on a continuation line ("Content-Length:\r\n
             * 5") is obs-fold too, hidden from the value itself */
            st->err = PN_EPARSE;
            return -1;
        }
        if (pn__str_ieq((pn_str){st->base + h->name_off, h->name_len}, PN_STRLIT("host")))
            hosts++;
    }
    /* RFC 9112 §3.2: a 1.1 request without Host, or any request with two, is 400 */
    if ((p->http_minor >= 1 && hosts == 0) || hosts > 1) {
        st->err = PN_EPARSE;
        return -1;
    }
    if ((p->flags & F_CONTENTLENGTH) && p->content_length > st->lim->max_body) {
        st->err = PN_EBODY;
        return -1;
    }
    for (size_t i = 0; i < st->nhdr; i++) {
        const struct pn_http_hdr_off *h = &st->hdr[i];
        if (!pn__str_ieq((pn_str){st->base + h->name_off, h->name_len}, PN_STRLIT("expect")))
            continue;
        if (!pn__str_ieq((pn_str){st->base + h->val_off, h->val_len}, PN_STRLIT("100-continue"))) {
            st->err = PN_EEXPECT; /* 417: the only expectation is 100-continue */
            return -1;
        }
        st->expect_continue = (p->flags & F_CHUNKED) || ((p->flags & F_CONTENTLENGTH) &&
                                                          p->content_length > 0);
    }
    return 0;
}

/* A chunk that would take the body over its limit is refused when announced, not after
 * waiting for its bytes. */
static int on_chunk_header(http_parser *p)
{
    struct pn_http_parse *st = state_of(p);
    if (p->content_length > st->lim->max_body - st->body.len) {
        st->err = PN_EBODY;
        return -1;
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    struct pn_http_parse *st = state_of(p);
    if (pn__buf_append(&st->body, at, len) != 0) {
        st->err = PN_EBODY;
        return 1;
    }
    return 0;
}

static int on_message_complete(http_parser *p)
{
    struct pn_http_parse *st = state_of(p);
    st->complete = true;
    http_parser_pause(p, 1); /* one request at a time: the rest waits in the buffer */
    return 0;
}

static const http_parser_settings settings = {
    .on_message_begin = on_message_begin,
    .on_url = on_url,
    .on_header_field = on_header_field,
    .on_header_value = on_header_value,
    .on_headers_complete = on_headers_complete,
    .on_body = on_body,
    .on_message_complete = on_message_complete,
    .on_chunk_header = on_chunk_header,
};

void pn__http_limits_default(struct pn_http_limits *l)
{
    if (!l->max_header_bytes)
        l->max_header_bytes = 16 * 1024;
    if (!l->max_url)
        l->max_url = 8 * 1024;
    if (!l->max_body)
        l->max_body = 1024 * 1024;
    if (!l->max_headers)
        l->max_headers = 100;
    if (!l->header_timeout_ms)
        l->header_timeout_ms = 10 * 1000;
    if (!l->idle_timeout_ms)
        l->idle_timeout_ms = 30 * 1000;
}

void pn__http_parse_init(struct pn_http_parse *st, const struct pn_http_limits *lim)
{
    memset(st, 0, sizeof *st);
    st->lim = lim;
    pn__buf_init(&st->body, lim->max_body); /* st->hdr is made on the first header */
    http_parser_init(&st->p, HTTP_REQUEST);
    st->p.data = st;
}

void pn__http_parse_fini(struct pn_http_parse *st)
{
    free(st->hdr);
    pn__buf_fini(&st->body);
}

void pn__http_parse_next(struct pn_http_parse *st)
{
    if (HTTP_PARSER_ERRNO(&st->p) == HPE_PAUSED)
        http_parser_pause(&st->p, 0);
    st->complete = false;
    st->headers_done = false;
    st->expect_continue = st->sent_continue = false;
    st->msg_start = 0;
}

/* Splits the request target into path and query (origin-form, or absolute-form whose
 * authority is ignored). Returns false for anything else but "*". */
static bool split_target(pn_str url, pn_str *path, pn_str *query)
{
    *query = (pn_str){url.ptr + url.len, 0};
    if (url.len && url.ptr[0] != '/') {
        struct http_parser_url u;
        http_parser_url_init(&u);
        if (url.len == 1 && url.ptr[0] == '*') {
            *path = url;
            return true;
        }
        if (http_parser_parse_url(url.ptr, url.len, 0, &u) != 0 || !(u.field_set & (1 << UF_SCHEMA)))
            return false;
        if (u.field_set & (1 << UF_PATH)) {
            url.ptr += u.field_data[UF_PATH].off;
            url.len -= u.field_data[UF_PATH].off;
        } else {
            *path = PN_STRLIT("/");
            if (u.field_set & (1 << UF_QUERY))
                *query = (pn_str){url.ptr + u.field_data[UF_QUERY].off, u.field_data[UF_QUERY].len};
            return true;
        }
    }
    size_t i = 0;
    while (i < url.len && url.ptr[i] != '?' && url.ptr[i] != '#')
        i++;
    *path = (pn_str){url.ptr, i};
    if (i < url.len && url.ptr[i] == '?') {
        size_t j = i + 1;
        while (j < url.len && url.ptr[j] != '#')
            j++;
        *query = (pn_str){url.ptr + i + 1, j - i - 1};
    }
    return path->len > 0;
}

/* An HTTP/0.9 request line ("GET /weather\r\n": no version) makes http-parser wait for a
 * header block that will not come: once the first line is complete, it must end in
 * "HTTP/d.d" (the version itself is checked at the end of the head). */
static bool http09_line(const char *p, size_t n)
{
    const char *nl = memchr(p, '\n', n);
    if (!nl)
        return false;
    const char *end = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
    size_t len = (size_t)(end - p);
    if (len == 0)
        return false; /* a leading empty line is tolerated (RFC 9112 §2.2) */
    return len < 9 || memcmp(end - 8, "HTTP/", 5) != 0 || end[-2] != '.' ||
           end[-3] < '0' || end[-3] > '9' || end[-1] < '0' || end[-1] > '9' || end[-9] != ' ';
}

int pn__http_parse_feed(struct pn_http_parse *st, const char *base, size_t len, size_t *parsed,
                        struct pn_arena *arena, struct pn_http_req *out)
{
    st->base = base;
    /* The parser never sees more than max_header_bytes of a head: a head not complete within
     * them is 431 however its bytes arrive (one read or many). The body, if any, is fed
     * once the head is complete. */
    size_t end = len;
    if (!st->headers_done && end - st->msg_start > st->lim->max_header_bytes)
        end = st->msg_start + st->lim->max_header_bytes;
    size_t n = http_parser_execute(&st->p, &settings, base + *parsed, end - *parsed);
    *parsed += n;
    if (end < len && !st->err && HTTP_PARSER_ERRNO(&st->p) == HPE_OK && st->headers_done &&
        !st->complete) {
        n = http_parser_execute(&st->p, &settings, base + *parsed, len - *parsed);
        *parsed += n;
    }
    enum http_errno e = HTTP_PARSER_ERRNO(&st->p);
    if (st->err)
        return st->err;
    if (e == HPE_HEADER_OVERFLOW)
        return PN_EHEADERS;
    if (e != HPE_OK && e != HPE_PAUSED)
        return PN_EPARSE;
    if (!st->complete) {
        if (!st->headers_done && *parsed - st->msg_start >= st->lim->max_header_bytes)
            return PN_EHEADERS;
        if (!st->headers_done && http09_line(base + st->msg_start, *parsed - st->msg_start))
            return PN_EPARSE;
        return PN_EAGAIN;
    }
    http_parser *p = &st->p;
    struct pn_http_req r = {0};
    r.method = (int)p->method;
    r.method_name = pn__str(http_method_str((enum http_method)p->method));
    r.url = (pn_str){base + st->url_off, st->url_len};
    if (!split_target(r.url, &r.path, &r.query))
        return PN_EPARSE;
    r.http_major = p->http_major;
    r.http_minor = p->http_minor;
    r.nheaders = st->nhdr;
    r.headers = pn__arena_alloc(arena, (st->nhdr + 1) * sizeof *r.headers);
    for (size_t i = 0; i < st->nhdr; i++) {
        r.headers[i].name = (pn_str){base + st->hdr[i].name_off, st->hdr[i].name_len};
        r.headers[i].value = (pn_str){base + st->hdr[i].val_off, st->hdr[i].val_len};
        /* trim trailing whitespace of values (http-parser keeps it) */
        while (r.headers[i].value.len &&
               (r.headers[i].value.ptr[r.headers[i].value.len - 1] == ' ' ||
                r.headers[i].value.ptr[r.headers[i].value.len - 1] == '\t'))
            r.headers[i].value.len--;
    }
    r.body = (pn_str){st->body.data ? st->body.data : "", st->body.len};
    r.keep_alive = http_should_keep_alive(p) != 0;
    r.upgrade = p->upgrade != 0;
    pn_str ae = pn__http_header(&r, "accept-encoding");
    r.accept_gzip = ae.ptr && pn__str_list_has(ae, PN_STRLIT("gzip"));
    *out = r;
    return 0;
}

pn_str pn__http_header(const struct pn_http_req *r, const char *name)
{
    pn_str n = pn__str(name);
    for (size_t i = 0; i < r->nheaders; i++)
        if (pn__str_ieq(r->headers[i].name, n))
            return r->headers[i].value;
    return (pn_str){NULL, 0};
}

int pn__http_parse(const char *buf, size_t len, const struct pn_http_limits *limits,
                   struct pn_arena *arena, struct pn_http_req *out, size_t *consumed)
{
    struct pn_http_limits lim = *limits;
    pn__http_limits_default(&lim);
    struct pn_http_parse st;
    pn__http_parse_init(&st, &lim);
    size_t parsed = 0;
    int rc = pn__http_parse_feed(&st, buf, len, &parsed, arena, out);
    if (rc == 0) {
        /* the body lives in the parse state: copy it to the arena before fini */
        out->body = (pn_str){pn__arena_strndup(arena, out->body.ptr, out->body.len), out->body.len};
        *consumed = parsed;
    }
    pn__http_parse_fini(&st);
    return rc;
}

int pn__http_error_status(int err)
{
    switch (err) {
    case PN_EURI:
        return 414;
    case PN_EHEADERS:
        return 431;
    case PN_EBODY:
        return 413;
    case PN_EVERSION:
        return 505;
    case PN_EEXPECT:
        return 417;
    default:
        return 400;
    }
}

const char *pn__http_reason(int status)
{
    switch (status) {
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 417: return "Expectation Failed";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 426: return "Upgrade Required";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

/* ---- what a proxy says: Forwarded, X-Forwarded-* ---- */

/* The last value of the last header called name: after its last comma, trimmed. */
static pn_str last_value(const struct pn_http_req *r, const char *name)
{
    pn_str n = pn__str(name), v = {NULL, 0};
    for (size_t i = 0; i < r->nheaders; i++)
        if (pn__str_ieq(r->headers[i].name, n))
            v = r->headers[i].value;
    if (!v.ptr || !v.len)
        return v;
    const char *comma = memrchr(v.ptr, ',', v.len);
    if (comma)
        v = (pn_str){comma + 1, v.len - (size_t)(comma + 1 - v.ptr)};
    while (v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t'))
        v.ptr++, v.len--;
    while (v.len && (v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t'))
        v.len--;
    return v;
}

/* An IPv4 or IPv6 address, alone, "[v6]" or "[v6]:port" or "v4:port" (Forwarded's for=). */
static void take_address(pn_str v, char *out, size_t outlen)
{
    char buf[64];
    unsigned char bin[16];
    if (!v.ptr || !v.len)
        return;
    if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
        v.ptr++, v.len -= 2;
    if (v.len && v.ptr[0] == '[') {
        const char *close = memchr(v.ptr, ']', v.len);
        if (!close)
            return;
        v = (pn_str){v.ptr + 1, (size_t)(close - v.ptr - 1)};
    } else if (memchr(v.ptr, '.', v.len) && memchr(v.ptr, ':', v.len)) {
        v.len = (size_t)((const char *)memchr(v.ptr, ':', v.len) - v.ptr); /* v4:port */
    }
    if (v.len == 0 || v.len >= sizeof buf)
        return;
    memcpy(buf, v.ptr, v.len);
    buf[v.len] = '\0';
    if ((inet_pton(AF_INET, buf, bin) == 1 || inet_pton(AF_INET6, buf, bin) == 1) &&
        v.len < outlen)
        memcpy(out, buf, v.len + 1);
}

static void take_proto(pn_str v, char *out)
{
    if (!v.ptr)
        return;
    if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
        v.ptr++, v.len -= 2;
    if (pn__str_ieq(v, PN_STRLIT("https")) || pn__str_ieq(v, PN_STRLIT("wss")))
        memcpy(out, "https", 6);
    else if (pn__str_ieq(v, PN_STRLIT("http")) || pn__str_ieq(v, PN_STRLIT("ws")))
        memcpy(out, "http", 5);
}

/* host[:port]: letters, digits, '.', '-', ':', '[', ']' and nothing else, at most 255 */
static pn_str plausible_host(pn_str v)
{
    if (!v.ptr)
        return v;
    if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"')
        v.ptr++, v.len -= 2;
    if (v.len == 0 || v.len > 255)
        return (pn_str){NULL, 0};
    for (size_t i = 0; i < v.len; i++) {
        char c = v.ptr[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
            return (pn_str){NULL, 0};
    }
    return v;
}

void pn__http_forwarded(const struct pn_http_req *r, struct pn_http_forwarded *out)
{
    *out = (struct pn_http_forwarded){0};
    pn_str fwd = last_value(r, "forwarded"); /* the last element: for=…;proto=…;host=… */
    while (fwd.len) {
        const char *semi = memchr(fwd.ptr, ';', fwd.len);
        pn_str pair = {fwd.ptr, semi ? (size_t)(semi - fwd.ptr) : fwd.len};
        fwd = semi ? (pn_str){semi + 1, fwd.len - pair.len - 1} : (pn_str){NULL, 0};
        while (pair.len && pair.ptr[0] == ' ')
            pair.ptr++, pair.len--;
        const char *eq = memchr(pair.ptr, '=', pair.len);
        if (!eq)
            continue;
        pn_str k = {pair.ptr, (size_t)(eq - pair.ptr)};
        pn_str v = {eq + 1, pair.len - k.len - 1};
        if (pn__str_ieq(k, PN_STRLIT("for")))
            take_address(v, out->client, sizeof out->client);
        else if (pn__str_ieq(k, PN_STRLIT("proto")))
            take_proto(v, out->proto);
        else if (pn__str_ieq(k, PN_STRLIT("host")))
            out->host = plausible_host(v);
    }
    if (!out->client[0]) {
        take_address(last_value(r, "x-forwarded-for"), out->client, sizeof out->client);
        if (!out->client[0])
            take_address(last_value(r, "x-real-ip"), out->client, sizeof out->client);
    }
    if (!out->proto[0]) {
        take_proto(last_value(r, "x-forwarded-proto"), out->proto);
        if (!out->proto[0])
            take_proto(last_value(r, "x-scheme"), out->proto);
    }
    if (!out->host.ptr)
        out->host = plausible_host(last_value(r, "x-forwarded-host"));
}
