/*
 * fuzz_key_spec: the --session-key parser (pn__key_spec_parse, a pure function) on arbitrary
 * bytes, and the parsed spec used for real by pn__key_compute on a fixed request.
 *
 * Checked:
 *   - the result is 0 or PN_EPARSE, and the message is NUL-terminated inside its buffer, even
 *     when the buffer is tiny;
 *   - on error: the message starts with "--session-key: " and the output is untouched;
 *   - on success: 1..PN_KEY_MAX_PARTS parts, each of a known kind; a named part's name is 1..63
 *     bytes, NUL-terminated, and made only of the characters the parser documents (RFC 9110
 *     token characters plus [ and ]) — checked independently here, so a NUL or any other byte
 *     slipping through is caught; `path` has no name;
 *   - round trip: the spec written back as text ("arg:NAME,cookie:NAME,...,path") parses to
 *     the same parts;
 *   - the parse does not depend on anything after `len` (a copy with trailing junk gives the
 *     same answer);
 *   - pn__key_compute with the spec on a request that has query arguments, cookies and headers
 *     gives a key that starts with the app's length-prefixed name, and the same key twice.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_key_spec: check failed: %s (line %d)\n", #cond, __LINE__);       \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#define MAX_SPEC_INPUT 4096

static bool token_char(unsigned char c)
{
    static const char other[] = "!#$%&'*+-.^_`|~[]";
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return memchr(other, c, sizeof other - 1) != NULL; /* memchr: the terminator is not in */
}

static bool same_spec(const struct pn_key_spec *a, const struct pn_key_spec *b)
{
    if (a->n != b->n)
        return false;
    for (int i = 0; i < a->n; i++) {
        if (a->parts[i].kind != b->parts[i].kind)
            return false;
        if (a->parts[i].kind != PN_KEY_PATH && a->parts[i].kind != PN_KEY_SHARED &&
            strcmp(a->parts[i].name, b->parts[i].name) != 0)
            return false;
    }
    return true;
}

static void check_message(const char *err, size_t errlen)
{
    CHECK(memchr(err, 0, errlen) != NULL);
}

/* The fixed request the parsed spec is computed on. */
static struct pn_arena req_arena, val_arena; /* the parsed request; the values read from it */
static struct pn_http_req req_http;
static bool req_ready;
static const char req_raw[] = "GET /weather/?city=Paris&lang=&a%5B%5D=1&x HTTP/1.1\r\n"
                              "Host: 127.0.0.1\r\n"
                              "Cookie: lang=de; theme=\"dark\"; empty=\r\n"
                              "Accept-Language: fr-CH, fr;q=0.9\r\n"
                              "X-Tenant: acme\r\n"
                              "\r\n";

static const pn_request *fixed_request(pn_request *r)
{
    if (!req_ready) {
        pn__arena_init(&req_arena, 1024);
        pn__arena_init(&val_arena, 1024);
        struct pn_http_limits lim = {0};
        size_t used;
        CHECK(pn__http_parse(req_raw, sizeof req_raw - 1, &lim, &req_arena, &req_http, &used) == 0);
        req_ready = true;
    }
    *r = (pn_request){.http = &req_http, .arena = &val_arena};
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > MAX_SPEC_INPUT)
        return 0;
    const char *spec = (const char *)data;

    struct pn_key_spec s;
    memset(&s, 0xa5, sizeof s);
    struct pn_key_spec untouched = s;
    char err[256];
    memset(err, 'x', sizeof err);
    int rc = pn__key_spec_parse(spec, size, &s, err, sizeof err);
    CHECK(rc == 0 || rc == PN_EPARSE);

    /* the answer does not depend on bytes after len */
    char *junk = malloc(size + 8);
    if (size)
        memcpy(junk, data, size);
    memcpy(junk + size, ",foo:x\0\xff", 8);
    struct pn_key_spec s2;
    char err2[256];
    int rc2 = pn__key_spec_parse(junk, size, &s2, err2, sizeof err2);
    free(junk);
    CHECK(rc2 == rc);

    /* a one- and a 16-byte message buffer: cut, but terminated */
    char tiny[1] = {'x'}, small[16];
    memset(small, 'x', sizeof small);
    struct pn_key_spec s3;
    CHECK(pn__key_spec_parse(spec, size, &s3, tiny, sizeof tiny) == rc);
    CHECK(pn__key_spec_parse(spec, size, &s3, small, sizeof small) == rc);
    if (rc) {
        CHECK(tiny[0] == 0);
        check_message(small, sizeof small);
    }

    if (rc != 0) {
        check_message(err, sizeof err);
        CHECK(strncmp(err, "--session-key: ", 15) == 0);
        CHECK(memcmp(&s, &untouched, sizeof s) == 0);
        return 0;
    }

    CHECK(same_spec(&s, &s2));
    CHECK(s.n >= 1 && s.n <= PN_KEY_MAX_PARTS);
    char text[PN_KEY_MAX_PARTS * 80];
    size_t tl = 0;
    for (int i = 0; i < s.n; i++) {
        const struct pn_key_part *p = &s.parts[i];
        const char *prefix = NULL;
        switch (p->kind) {
        case PN_KEY_ARG:
            prefix = "arg:";
            break;
        case PN_KEY_COOKIE:
            prefix = "cookie:";
            break;
        case PN_KEY_HEADER:
            prefix = "header:";
            break;
        case PN_KEY_PATH:
        case PN_KEY_SHARED:
            break;
        default:
            CHECK(!"unknown kind");
        }
        if (prefix) {
            const char *end = memchr(p->name, 0, sizeof p->name);
            CHECK(end != NULL);
            size_t n = (size_t)(end - p->name);
            CHECK(n >= 1 && n < sizeof p->name);
            for (size_t k = 0; k < n; k++)
                CHECK(token_char((unsigned char)p->name[k]));
            /* the name really came from the input: "<prefix><name>" is in it */
            tl += (size_t)snprintf(text + tl, sizeof text - tl, "%s%s%s", i ? "," : "", prefix,
                                   p->name);
        } else {
            tl += (size_t)snprintf(text + tl, sizeof text - tl, "%s%s", i ? "," : "",
                                   p->kind == PN_KEY_PATH ? "path" : "shared");
        }
        CHECK(tl < sizeof text);
    }

    /* round trip */
    struct pn_key_spec back;
    char err3[256];
    int rc3 = pn__key_spec_parse(text, tl, &back, err3, sizeof err3);
    if (rc3 != 0)
        fprintf(stderr, "fuzz_key_spec: \"%s\" does not parse back: %s\n", text, err3);
    CHECK(rc3 == 0);
    CHECK(same_spec(&s, &back));

    /* the spec at work */
    pn_request r;
    const pn_request *req = fixed_request(&r);
    struct pn_app app = {.name = "weather"};
    pn_key k1, k2;
    pn__buf_init(&k1.buf, 16 * 1024);
    pn__buf_init(&k2.buf, 16 * 1024);
    pn__key_compute(&app, &s, req, NULL, &k1);
    pn__key_compute(&app, &s, req, NULL, &k2);
    CHECK(!k1.overflow && !k2.overflow);
    CHECK(k1.buf.len >= 9 && memcmp(k1.buf.data, "7:weather", 9) == 0);
    CHECK(k1.buf.len == k2.buf.len && memcmp(k1.buf.data, k2.buf.data, k1.buf.len) == 0);
    /* every part but `shared` adds at least one byte (\xff or a length) */
    CHECK(k1.buf.len > 9 || k1.shared);
    /* with login on, the user is in the key (after it, so it starts the same) unless shared */
    pn__key_compute(&app, &s, req, "alice", &k2);
    CHECK(k2.shared == k1.shared);
    CHECK(k2.buf.len >= k1.buf.len && memcmp(k1.buf.data, k2.buf.data, k1.buf.len) == 0);
    CHECK(k1.shared ? k2.buf.len == k1.buf.len
                    : k2.buf.len == k1.buf.len + 8 &&
                          !memcmp(k2.buf.data + k1.buf.len, "\3765:alice", 8));
    pn__buf_fini(&k1.buf);
    pn__buf_fini(&k2.buf);
    pn__arena_reset(&val_arena);
    return 0;
}
