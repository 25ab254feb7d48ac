/*
 * fuzz_message: one client message of the live protocol (pn__msg_parse) on arbitrary bytes.
 *
 * Checked:
 *   - every refusal says why;
 *   - a parsed message is of a known type and carries what handle_hello/handle_event rely on:
 *     hello has a version and a query without NUL of bounded length; event has an id >= 1, a
 *     prop string, and a value that is none, a boolean, a finite number, a string without
 *     NUL, or a list of at most PN_MAX_LIST strings without NUL or finite numbers; every slice
 *     is readable (ASan checks the bytes);
 *   - the answer to a ping is JSON {"t":"pong","n":<the ping's n, equal>};
 *   - the parse reads nothing past len: the same bytes followed by junk give the same result.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "fuzz_message: check failed: %s (line %d)\n", #cond, __LINE__);        \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

static size_t touch(pn_str s)
{
    size_t sum = 0;
    for (size_t i = 0; i < s.len; i++)
        sum += (unsigned char)s.ptr[i];
    return sum;
}

static void check_parsed(const struct pn_msg *m)
{
    volatile size_t sum = 0;
    switch (m->type) {
    case PN_MSG_HELLO:
        CHECK(m->query.len <= 8192); /* MAX_QUERY */
        CHECK(!m->query.len || !memchr(m->query.ptr, '\0', m->query.len));
        CHECK(!m->token.len || m->token.ptr);
        sum += touch(m->token) + touch(m->query);
        break;
    case PN_MSG_EVENT:
        CHECK(m->id >= 1);
        CHECK(m->prop.ptr);
        sum += touch(m->prop);
        switch (m->value.type) {
        case PN_V_NONE:
        case PN_V_BOOL:
            break;
        case PN_V_NUM:
            CHECK(isfinite(m->value.num));
            break;
        case PN_V_STR:
            CHECK(m->value.str);
            sum += strlen(m->value.str);
            break;
        case PN_V_STRS: /* a list of strings without NUL, bounded */
            CHECK(m->value.n <= PN_MAX_LIST);
            CHECK(m->value.n == 0 || m->value.strs);
            for (size_t i = 0; i < m->value.n; i++) {
                CHECK(m->value.strs[i]);
                sum += strlen(m->value.strs[i]);
            }
            break;
        case PN_V_NUMS: /* a list of finite numbers, bounded */
            CHECK(m->value.n >= 1 && m->value.n <= PN_MAX_LIST && m->value.nums);
            for (size_t i = 0; i < m->value.n; i++)
                CHECK(isfinite(m->value.nums[i]));
            break;
        default:
            CHECK(!"a value of an unknown type");
        }
        break;
    case PN_MSG_PING: {
        size_t n = 0;
        char *pong = pn__msg_pong(m->ping, &n);
        CHECK(pong && n == strlen(pong));
        json_t *j = json_loadb(pong, n, 0, NULL);
        CHECK(j && json_is_object(j));
        CHECK(!strcmp(json_string_value(json_object_get(j, "t")), "pong"));
        json_t *back = json_object_get(j, "n");
        CHECK(m->ping ? back && json_equal(back, (json_t *)m->ping) : !back || json_is_null(back));
        json_decref(j);
        free(pong);
        break;
    }
    default:
        CHECK(!"a message of an unknown type");
    }
    (void)sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pn_msg m;
    const char *why = NULL;
    int rc = pn__msg_parse((const char *)data, size, &m, &why);
    if (rc == 0)
        check_parsed(&m);
    else
        CHECK(why && *why); /* every refusal says why */
    enum pn_msg_type type = m.type;
    pn__msg_free(&m);

    /* nothing past len is read: the same bytes with junk after them parse the same */
    char *junk = malloc(size + 8);
    memcpy(junk, data, size);
    memcpy(junk + size, "}]\"x\":1,", 8);
    const char *why2 = NULL;
    int rc2 = pn__msg_parse(junk, size, &m, &why2);
    CHECK(rc2 == rc);
    CHECK(rc2 != 0 || m.type == type);
    CHECK(rc2 == 0 || (why2 && !strcmp(why2, why)));
    pn__msg_free(&m);
    free(junk);
    return 0;
}
