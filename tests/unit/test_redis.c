/* runtime/redis.c and the feeds' mirror (doc/feed.c) without a Redis: the --redis URL, the
 * channel's messages, and what a shared feed does with its publishes (the mirror takes them;
 * they are shown when they come back through pn__feed_apply, and never twice). The way through
 * a real redis-server is tests/e2e/redis_test.c. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "doc/doc.h"
#include "runtime/redis.h"

static void test_urls(void **state)
{
    (void)state;
    struct pn_redis_url u;
    char err[300];
    assert_int_equal(pn__redis_parse_url("redis://127.0.0.1", &u, err, sizeof err), 0);
    assert_string_equal(u.host, "127.0.0.1");
    assert_int_equal(u.port, 6379);
    assert_int_equal(u.db, 0);
    assert_int_equal(
        pn__redis_parse_url("redis://:s3cret@cache.internal:6380/4", &u, err, sizeof err), 0);
    assert_string_equal(u.host, "cache.internal");
    assert_string_equal(u.pass, "s3cret");
    assert_string_equal(u.user, "");
    assert_int_equal(u.port, 6380);
    assert_int_equal(u.db, 4);
    assert_int_equal(pn__redis_parse_url("redis://pane:pw@[::1]:7000", &u, err, sizeof err), 0);
    assert_string_equal(u.host, "::1");
    assert_string_equal(u.user, "pane");
    assert_int_equal(u.port, 7000);
    assert_int_equal(pn__redis_parse_url("unix:/run/redis/redis.sock", &u, err, sizeof err), 0);
    assert_string_equal(u.path, "/run/redis/redis.sock");
    assert_int_equal(pn__redis_parse_url("unix:///tmp/r.sock", &u, err, sizeof err), 0);
    assert_string_equal(u.path, "/tmp/r.sock");
    const char *bad[] = {"",
                         "127.0.0.1:6379",
                         "http://127.0.0.1",
                         "redis://",
                         "redis://:6379",
                         "redis://h:0",
                         "redis://h:65536",
                         "redis://h:12x",
                         "redis://h/db",
                         "redis://[::1",
                         "redis://[::1]x",
                         "redis://user:@h",
                         "unix:relative.sock"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        err[0] = '\0';
        assert_int_equal(pn__redis_parse_url(bad[i], &u, err, sizeof err), PN_EINVAL);
        assert_true(strstr(err, "redis") != NULL); /* says what is expected */
    }
    char longhost[400] = "redis://";
    memset(longhost + 8, 'h', 300);
    assert_int_equal(pn__redis_parse_url(longhost, &u, err, sizeof err), PN_EINVAL);
}

static void test_messages(void **state)
{
    (void)state;
    uint64_t v;
    const char *u;
    size_t n;
    const char m[] = "42:\x01\x02:x";
    assert_true(pn__redis_parse_message(m, sizeof m - 1, &v, &u, &n));
    assert_int_equal(v, 42);
    assert_ptr_equal(u, m + 3);
    assert_int_equal(n, sizeof m - 4);
    assert_true(pn__redis_parse_message("7:", 2, &v, &u, &n));
    assert_int_equal(n, 0);
    assert_true(pn__redis_parse_message("18446744073709551615:x", 22, &v, &u, &n));
    assert_true(v == UINT64_MAX);
    const char *bad[] = {
        "", ":x", "x:1", "12", "-1:x", "1 :x", "184467440737095516150:x", "99999999999999999999:x"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(pn__redis_parse_message(bad[i], strlen(bad[i]), &v, &u, &n));
}

/* A mirror that keeps the last update it took. */
static struct {
    int taken, shared;
    unsigned char last[256];
    size_t len;
    pn_feed *feed;
} M;

static bool take(pn_feed *f, void *link, const void *update, size_t len)
{
    assert_ptr_equal(link, &M);
    M.taken++;
    M.feed = f;
    M.len = len < sizeof M.last ? len : sizeof M.last;
    memcpy(M.last, update, M.len);
    return true;
}

static void *shared(pn_feed *f)
{
    (void)f;
    M.shared++;
    return &M;
}

static const struct pn_feed_mirror mirror = {take, shared};

static void test_shared_feeds_go_through_the_mirror(void **state)
{
    (void)state;
    pn_feed *before = pn_feed_number("r-before"), *local = pn_feed_number("r-local");
    pn_feed_redis(before); /* shared before the mirror: linked when it comes */
    assert_true(pn__feed_shared(before));
    pn__feed_set_mirror(&mirror);
    assert_int_equal(M.shared, 1);
    pn_feed *t = pn_feed_text("r-text"), *s = pn_feed_series("r-series", 2, 4);
    pn_feed_redis(t);
    pn_feed_redis(s);
    pn_feed_redis(s); /* once is enough */
    pn_feed_redis(NULL);
    assert_int_equal(M.shared, 3);

    /* a number: taken, not shown until it comes back */
    pn_feed_set(before, 21.5);
    assert_int_equal(M.taken, 1);
    assert_ptr_equal(M.feed, before);
    assert_int_equal(M.len, sizeof(double));
    assert_true(pn_feed_get(before) == 0);
    assert_int_equal(pn__feed_version(before), 0);
    assert_int_equal(pn__feed_apply(before, M.last, M.len), 0);
    assert_true(pn_feed_get(before) == 21.5);
    assert_int_equal(pn__feed_version(before), 1);
    assert_int_equal(pn__feed_apply(before, "abc", 3), PN_EINVAL); /* not a double */
    assert_int_equal(pn__feed_version(before), 1);

    /* an unshared feed is shown at once, the mirror never sees it */
    pn_feed_set(local, 3);
    assert_int_equal(M.taken, 1);
    assert_true(pn_feed_get(local) == 3);

    /* a text: repaired before it leaves; repaired again when it comes (any program may
     * publish on the channel) */
    pn_feed_set_text(t, "caf\xc3\xa9 \xff");
    assert_int_equal(M.taken, 2);
    assert_true(pn__utf8_valid(M.last, M.len));
    struct pn_blob *b;
    assert_int_equal(pn__feed_apply(t, "a\xffz\0tail", 8), 0);
    pn__feed_value(t, NULL, &b);
    assert_true(pn__utf8_valid(b->data, b->len));
    assert_null(strstr(b->data, "tail")); /* a C string, as published here */
    pn__blob_unref(b);

    /* a series: the points that may follow, in the mirror's layout */
    double x[3] = {1, NAN, 2}, y[6] = {10, -10, 0, 0, 20, -20};
    pn_feed_append(s, x, y, 3);
    assert_int_equal(M.taken, 3);
    uint32_t h[2];
    memcpy(h, M.last, 8);
    assert_int_equal(h[0], 2); /* the NaN x is dropped */
    assert_int_equal(h[1], 2);
    assert_int_equal(M.len, 8 + 2 * 3 * sizeof(double));
    assert_int_equal(pn__feed_seq(s), 0); /* not shown yet */
    unsigned char echo[256];
    size_t elen = M.len;
    memcpy(echo, M.last, elen);
    assert_int_equal(pn__feed_apply(s, echo, elen), 0);
    assert_int_equal(pn__feed_seq(s), 2);
    double *cx, *cy;
    assert_int_equal(pn__feed_copy(s, &cx, &cy), 2);
    assert_true(cx[0] == 1 && cx[1] == 2 && cy[0] == 10 && cy[1] == 20 && cy[2] == -10);
    free(cx), free(cy);
    assert_int_equal(pn__feed_apply(s, echo, elen), 0); /* again: x = 1 goes back, dropped */
    assert_int_equal(pn__feed_copy(s, &cx, &cy), 3);
    free(cx), free(cy);
    /* refused: too short, another series count, more points than the rollover, a size that
     * does not match the count */
    uint32_t wrong[2] = {1, 3};
    unsigned char buf[8 + 5 * 3 * 8] = {0};
    memcpy(buf, wrong, 8);
    assert_int_equal(pn__feed_apply(s, buf, 4), PN_EINVAL);
    assert_int_equal(pn__feed_apply(s, buf, 8 + 4 * 8), PN_EINVAL);
    uint32_t many[2] = {5, 2};
    memcpy(buf, many, 8);
    assert_int_equal(pn__feed_apply(s, buf, 8 + 5 * 3 * 8), PN_EINVAL);
    uint32_t one[2] = {1, 2};
    memcpy(buf, one, 8);
    assert_int_equal(pn__feed_apply(s, buf, 8 + 3 * 8 + 1), PN_EINVAL);
    assert_int_equal(pn__feed_seq(s), 3);
    /* reset: the window empties, the count goes on (every client gets the window) */
    pn__feed_reset(s);
    assert_int_equal(pn__feed_copy(s, &cx, &cy), 0);
    free(cx), free(cy);
    assert_int_equal(pn__feed_seq(s), 3);

    /* the mirror gone: publishes are shown here again */
    pn__feed_set_mirror(NULL);
    pn_feed_set(before, 7);
    assert_int_equal(M.taken, 3);
    assert_true(pn_feed_get(before) == 7);
}

static int free_feeds(void **state)
{
    (void)state;
    pn__feeds_free();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urls),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_shared_feeds_go_through_the_mirror),
    };
    return cmocka_run_group_tests(tests, NULL, free_feeds);
}
