/*
 * fuzz_feed_update: what a process takes from Redis for its shared feeds (src/runtime/redis.c,
 * src/doc/feed.c), where any program with access to the Redis can publish anything: the first
 * byte chooses
 *   0: a --redis URL (pn__redis_parse_url): when it is taken, its host or path and its port
 *      are sane;
 *   1: a channel message, "VERSION:UPDATE" (pn__redis_parse_message): the update lies within
 *      the message;
 *   2, 3, 4: an update applied to a number, a text or a series feed of 1 + (byte 2 % 3)
 *      series and a rollover of 8 (pn__feed_apply): a text is valid UTF-8 after it, a
 *      series' window holds at most 8 points in an order that never goes back, and an update
 *      that is refused changes nothing.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"
#include "runtime/redis.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn__log_level = PN_LOG_CRITICAL;
    if (size < 2)
        return 0;
    const uint8_t op = data[0] % 5, arg = data[1];
    data += 2, size -= 2;
    if (op == 0) {
        char url[600], err[300];
        size_t n = size < sizeof url - 1 ? size : sizeof url - 1;
        memcpy(url, data, n);
        url[n] = '\0';
        struct pn_redis_url u;
        if (pn__redis_parse_url(url, &u, err, sizeof err) == 0) {
            if (u.path[0] ? u.path[0] != '/' : !u.host[0] || u.port < 1 || u.port > 65535)
                abort();
            if (strlen(u.host) >= sizeof u.host || strlen(u.path) >= sizeof u.path)
                abort();
        } else if (!err[0]) {
            abort(); /* a refusal says why */
        }
        return 0;
    }
    if (op == 1) {
        uint64_t v;
        const char *u;
        size_t ulen;
        if (pn__redis_parse_message((const char *)data, size, &v, &u, &ulen) &&
            (u < (const char *)data || u + ulen != (const char *)data + size))
            abort();
        return 0;
    }
    static int made;
    char name[64];
    snprintf(name, sizeof name, "fuzz-%d-%d", op, made++ % 64);
    pn_feed *f = op == 2   ? pn_feed_number(name)
                 : op == 3 ? pn_feed_text(name)
                           : pn_feed_series(name, 1 + arg % 3, 8);
    if (!f)
        return 0; /* the name is another type's from an earlier input */
    uint64_t seq = op == 4 ? pn__feed_seq(f) : pn__feed_version(f);
    int rc = pn__feed_apply(f, data, size);
    uint64_t after = op == 4 ? pn__feed_seq(f) : pn__feed_version(f);
    if (rc != 0 && after != seq)
        abort(); /* refused, yet something changed */
    if (op == 3) {
        struct pn_blob *text;
        pn__feed_value(f, NULL, &text);
        if (!pn__utf8_valid(text->data, text->len))
            abort();
        pn__blob_unref(text);
    }
    if (op == 4) {
        double *x, *y;
        size_t n = pn__feed_copy(f, &x, &y);
        if (n > 8)
            abort();
        for (size_t i = 1; i < n; i++)
            if (!(x[i] >= x[i - 1]) || !isfinite(x[i]))
                abort();
        free(x);
        free(y);
    }
    return 0;
}
