/*
 * test_server: the app-facing request accessors (pn_request_arg, _header, _cookie, _path) on
 * requests made by the real parser, and session keys (pn_key_add): parts are length-delimited,
 * NULL is distinct from "", and a key that hits its limit never collides with another key. And
 * pn_every_now (timers.c) on a live session of a real loop: its first run is in pn_app.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "render/render.h"
#include "server/live.h"

/* A parsed request and its pn_request wrapper. */
struct fx {
    struct pn_arena arena;
    struct pn_http_req http;
    pn_request req;
    char raw[4096];
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);
    pn__arena_init(&f->arena, 1024);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    pn__arena_fini(&f->arena);
    free(f);
    return 0;
}

/* Parses "GET <target> HTTP/1.1\r\nHost: x\r\n<headers>\r\n" and wraps it. */
static const pn_request *req(struct fx *f, const char *target, const char *headers)
{
    snprintf(f->raw, sizeof f->raw, "GET %s HTTP/1.1\r\nHost: x\r\n%s\r\n", target,
             headers ? headers : "");
    struct pn_http_limits lim = {0};
    size_t consumed;
    int rc = pn__http_parse(f->raw, strlen(f->raw), &lim, &f->arena, &f->http, &consumed);
    if (rc != 0)
        fail_msg("test request did not parse: %s", pn__strerror(rc));
    f->req = (pn_request){.http = &f->http, .arena = &f->arena};
    return &f->req;
}

/* ---- pn_request_arg ---- */

static void test_request_arg_returns_first_decoded_value(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/weather?city=New+York&city=Rome&x=%C3%A9%21", NULL);
    assert_string_equal(pn_request_arg(r, "city", "Berlin"), "New York");
    assert_string_equal(pn_request_arg(r, "x", NULL), "\xc3\xa9!");
}

static void test_request_arg_missing_gives_default(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/weather?cityx=1", NULL);
    const char *def = "Berlin";
    assert_ptr_equal(pn_request_arg(r, "city", def), def);
    assert_null(pn_request_arg(r, "city", NULL));
    assert_ptr_equal(pn_request_arg(NULL, "city", def), def);
    assert_ptr_equal(pn_request_arg(r, NULL, def), def);
    const pn_request *none = req(f, "/weather", NULL);
    assert_ptr_equal(pn_request_arg(none, "city", def), def);
}

static void test_request_arg_invalid_utf8_or_escape_gives_default(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/w?a=%FF&b=%C0%AF&c=%zz&d=%00", NULL);
    assert_string_equal(pn_request_arg(r, "a", "def"), "def");
    assert_string_equal(pn_request_arg(r, "b", "def"), "def");
    assert_string_equal(pn_request_arg(r, "c", "def"), "def");
    assert_string_equal(pn_request_arg(r, "d", "def"), "def");
}

static void test_request_arg_present_but_empty_is_empty_not_default(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/w?a=&b", NULL);
    assert_string_equal(pn_request_arg(r, "a", "def"), "");
    assert_string_equal(pn_request_arg(r, "b", "def"), "");
}

static void test_request_arg_result_outlives_the_read_buffer(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/w?a=value", NULL);
    const char *v = pn_request_arg(r, "a", NULL);
    memset(f->raw, 'X', sizeof f->raw - 1); /* the connection reuses its buffer */
    assert_string_equal(v, "value");
}

/* ---- pn_request_header ---- */

static void test_request_header_is_case_insensitive_and_trimmed(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "User-Agent:   curl/8  \r\nX-Empty:\r\n");
    assert_string_equal(pn_request_header(r, "user-agent", NULL), "curl/8");
    assert_string_equal(pn_request_header(r, "USER-AGENT", NULL), "curl/8");
    assert_string_equal(pn_request_header(r, "x-empty", "def"), "");
    assert_string_equal(pn_request_header(r, "x-missing", "def"), "def");
    assert_string_equal(pn_request_header(r, "host", NULL), "x");
    assert_string_equal(pn_request_header(NULL, "host", "d"), "d");
    assert_string_equal(pn_request_header(r, NULL, "d"), "d");
}

static void test_request_header_is_a_nul_terminated_copy(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "A: one\r\nB: two\r\n");
    const char *a = pn_request_header(r, "a", NULL);
    assert_int_equal(strlen(a), 3); /* not "one\r\nB: two…" */
    memset(f->raw, 'X', sizeof f->raw - 1);
    assert_string_equal(a, "one");
}

/* ---- pn_request_cookie ---- */

static void test_request_cookie_finds_each_pair(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: a=1; b=two; c=3\r\n");
    assert_string_equal(pn_request_cookie(r, "a", NULL), "1");
    assert_string_equal(pn_request_cookie(r, "b", NULL), "two");
    assert_string_equal(pn_request_cookie(r, "c", NULL), "3");
    assert_string_equal(pn_request_cookie(r, "d", "def"), "def");
}

static void test_request_cookie_name_must_match_exactly(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: session_id=1; xsession=2; Session=3\r\n");
    assert_string_equal(pn_request_cookie(r, "session", "def"), "def");
    assert_string_equal(pn_request_cookie(r, "session_id", NULL), "1");
    assert_string_equal(pn_request_cookie(r, "Session", NULL), "3"); /* names are case-sensitive */
}

static void test_request_cookie_strips_double_quotes(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: q=\"quoted value\"; e=\"\"; one=\"; x=a\"b\r\n");
    assert_string_equal(pn_request_cookie(r, "q", NULL), "quoted value");
    assert_string_equal(pn_request_cookie(r, "e", NULL), "");
    assert_string_equal(pn_request_cookie(r, "one", NULL), "\""); /* a lone quote stays */
    assert_string_equal(pn_request_cookie(r, "x", NULL), "a\"b");
}

static void test_request_cookie_tolerates_extra_separators(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: ;;  a=1;;;   b=2 ;\r\n");
    assert_string_equal(pn_request_cookie(r, "a", NULL), "1");
    const pn_request *r2 = req(f, "/", "Cookie: flag; a=1\r\n");
    assert_string_equal(pn_request_cookie(r2, "a", NULL), "1");
    assert_string_equal(pn_request_cookie(r2, "flag", "def"), "def");
}

/* Browsers send "a=1; b=2", but hand-written clients and proxies add blanks: "a = 1",
 * "a=1 ; b=2". Tornado (Panel's server) strips whitespace around names and values; pane
 * should find the same cookies with the same values. */
static void test_request_cookie_trims_blanks_around_name_and_value(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: a=1 ; b = 2;\tc=3\r\n");
    assert_string_equal(pn_request_cookie(r, "a", "def"), "1");
    assert_string_equal(pn_request_cookie(r, "b", "def"), "2");
    assert_string_equal(pn_request_cookie(r, "c", "def"), "3");
}

static void test_request_cookie_value_keeps_inner_equals(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: tok=abc==; e=\r\n");
    assert_string_equal(pn_request_cookie(r, "tok", NULL), "abc==");
    assert_string_equal(pn_request_cookie(r, "e", "def"), "");
}

static void test_request_cookie_searches_every_cookie_header(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: a=1\r\nX-Other: b=9\r\ncookie: b=2\r\n");
    assert_string_equal(pn_request_cookie(r, "a", NULL), "1");
    assert_string_equal(pn_request_cookie(r, "b", NULL), "2");
    const pn_request *none = req(f, "/", NULL);
    assert_string_equal(pn_request_cookie(none, "a", "def"), "def");
    assert_string_equal(pn_request_cookie(NULL, "a", "def"), "def");
    assert_string_equal(pn_request_cookie(r, NULL, "def"), "def");
}

static void test_request_cookie_first_of_duplicates_wins(void **state)
{
    struct fx *f = *state;
    const pn_request *r = req(f, "/", "Cookie: a=first; a=second\r\n");
    assert_string_equal(pn_request_cookie(r, "a", NULL), "first");
}

/* ---- pn_request_path ---- */

static void test_request_path_excludes_the_query(void **state)
{
    struct fx *f = *state;
    assert_string_equal(pn_request_path(req(f, "/weather?city=Rome", NULL)), "/weather");
    assert_string_equal(pn_request_path(req(f, "/", NULL)), "/");
    assert_string_equal(pn_request_path(req(f, "http://h:1/abs/p?q", NULL)), "/abs/p");
    assert_string_equal(pn_request_path(NULL), "");
}

/* ---- pn_key_add ---- */

struct key2 {
    pn_key a, b;
};

static int key_setup(void **state)
{
    struct key2 *k = calloc(1, sizeof *k);
    pn__buf_init(&k->a.buf, 1024);
    pn__buf_init(&k->b.buf, 1024);
    *state = k;
    return 0;
}

static int key_teardown(void **state)
{
    struct key2 *k = *state;
    pn__buf_fini(&k->a.buf);
    pn__buf_fini(&k->b.buf);
    free(k);
    return 0;
}

static bool key_eq(const pn_key *a, const pn_key *b)
{
    assert_false(a->overflow);
    assert_false(b->overflow);
    return a->buf.len == b->buf.len &&
           (a->buf.len == 0 || memcmp(a->buf.data, b->buf.data, a->buf.len) == 0);
}

static void test_key_add_same_parts_give_equal_keys(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, "Rome");
    pn_key_add(&k->a, "metric");
    pn_key_add(&k->b, "Rome");
    pn_key_add(&k->b, "metric");
    assert_true(key_eq(&k->a, &k->b));
    assert_true(k->a.buf.len > 0);
}

static void test_key_add_parts_are_length_delimited(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, "ab");
    pn_key_add(&k->a, "c");
    pn_key_add(&k->b, "a");
    pn_key_add(&k->b, "bc");
    assert_false(key_eq(&k->a, &k->b));
}

static void test_key_add_part_containing_a_delimiter_cannot_forge_two_parts(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, "1:a");
    pn_key_add(&k->b, "1");
    pn_key_add(&k->b, "a");
    assert_false(key_eq(&k->a, &k->b));
    pn__buf_reset(&k->a.buf);
    pn__buf_reset(&k->b.buf);
    pn_key_add(&k->a, "a1:b"); /* "1:a1:b" vs "1:a" + "1:b" */
    pn_key_add(&k->b, "a");
    pn_key_add(&k->b, "b");
    assert_false(key_eq(&k->a, &k->b));
}

static void test_key_add_null_differs_from_empty(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, NULL);
    pn_key_add(&k->b, "");
    assert_false(key_eq(&k->a, &k->b));
    assert_true(k->a.buf.len > 0);
    assert_true(k->b.buf.len > 0);
}

static void test_key_add_null_differs_from_no_part_and_from_two_nulls(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, NULL);
    assert_false(key_eq(&k->a, &k->b)); /* b has no parts */
    pn_key_add(&k->b, NULL);
    assert_true(key_eq(&k->a, &k->b));
    pn_key_add(&k->b, NULL);
    assert_false(key_eq(&k->a, &k->b));
}

static void test_key_add_null_differs_from_a_string_of_ff(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, NULL);
    pn_key_add(&k->a, "x");
    pn_key_add(&k->b, "\xff");
    pn_key_add(&k->b, "x");
    assert_false(key_eq(&k->a, &k->b));
}

static void test_key_add_order_matters(void **state)
{
    struct key2 *k = *state;
    pn_key_add(&k->a, "x");
    pn_key_add(&k->a, "y");
    pn_key_add(&k->b, "y");
    pn_key_add(&k->b, "x");
    assert_false(key_eq(&k->a, &k->b));
}

static void test_key_add_to_null_key_is_ignored(void **state)
{
    (void)state;
    pn_key_add(NULL, "x");
    pn_key_add(NULL, NULL);
}

/* Keys are bounded like every buffer. A part that does not fit must not leave a key that
 * could equal the key of different parts (two requests with different long city names would
 * share one cached page): the key is marked overflowed, and the cache does not use it. */
static void test_key_add_over_limit_marks_the_key_unusable(void **state)
{
    (void)state;
    char long1[200], long2[200];
    memset(long1, 'a', sizeof long1 - 1);
    long1[sizeof long1 - 1] = '\0';
    memset(long2, 'b', sizeof long2 - 1);
    long2[sizeof long2 - 1] = '\0';

    pn_key a = {0}, b = {0}, c = {0};
    pn__buf_init(&a.buf, 128);
    pn__buf_init(&b.buf, 128);
    pn__buf_init(&c.buf, 128);
    pn_key_add(&a, long1);
    pn_key_add(&a, "x");
    pn_key_add(&b, long2);
    pn_key_add(&b, "x");
    pn_key_add(&c, "x");
    pn_key_add(&c, NULL);
    bool ao = a.overflow, bo = b.overflow, co = c.overflow;
    size_t alen = a.buf.len;
    pn__buf_fini(&a.buf);
    pn__buf_fini(&b.buf);
    pn__buf_fini(&c.buf);
    assert_true(ao);
    assert_true(bo);
    assert_false(co);
    assert_true(alen <= 128);
}

static void test_key_add_part_that_just_fits_keeps_the_key_usable(void **state)
{
    (void)state;
    pn_key k = {0};
    pn__buf_init(&k.buf, 10);
    pn_key_add(&k, "abcdefgh"); /* "8:abcdefgh" is exactly 10 bytes */
    bool fits = !k.overflow && k.buf.len == 10;
    pn_key_add(&k, NULL); /* one more byte: over */
    bool over = k.overflow;
    pn__buf_fini(&k.buf);
    assert_true(fits);
    assert_true(over);
}

/* ---- pn_every_now ---- */

static int now_runs;
static pn_timer *now_timer;

static void now_tick(pn_session *s, void *number)
{
    assert_true(s->in_callback > 0); /* run as a callback: pn_fmt's results end with it */
    pn_number_set_value(number, ++now_runs);
}

static void now_app(pn_session *s)
{
    pn_node *n = pn_number(s, .name = "Runs", .value = 0);
    pn_servable(s, n);
    now_timer = pn_every_now(s, 5, now_tick, n);
    assert_int_equal(now_runs, 1); /* at once, before it returned */
}

static void on_guard(uv_timer_t *t)
{
    *(bool *)t->data = true;
}

/* Runs the loop until now_runs reaches want, or for at most ms. */
static void run_until(uv_loop_t *loop, int want, unsigned ms)
{
    bool late = false;
    uv_timer_t guard;
    uv_timer_init(loop, &guard);
    guard.data = &late;
    uv_timer_start(&guard, on_guard, ms, 0);
    while (!late && now_runs < want)
        uv_run(loop, UV_RUN_ONCE);
    uv_close((uv_handle_t *)&guard, NULL);
    uv_run(loop, UV_RUN_NOWAIT);
}

/* A live session as the server makes one for a page: pn_every_now ran in pn_app, so the page
 * rendered next shows its first run; then, once the page's socket came, every 5 ms. */
static void test_every_now_runs_in_pn_app_for_the_page_then_every_ms(void **state)
{
    (void)state;
    uv_loop_t loop;
    assert_int_equal(uv_loop_init(&loop), 0);
    struct pn_live_opts o = {0};
    char err[128];
    assert_int_equal(pn__token_key_init(&o.key, NULL, err, sizeof err), 0);
    pn__live_opts_default(&o);
    struct pn_live_table *t = pn__live_table_new(&loop, &o);
    struct pn_app app = {.name = "now", .build = now_app};
    now_runs = 0;
    struct pn_live *live = pn__live_create(t, &app, (pn_str){0}, NULL, NULL);
    assert_int_equal(now_runs, 1);
    assert_non_null(now_timer);
    struct pn_buf page;
    pn__buf_init(&page, 1 << 16);
    assert_int_equal(pn__render_node(&page, live->s->root->first), 0);
    assert_non_null(strstr(page.data, ">1</div>")); /* the first paint: the first run's value */
    pn__buf_fini(&page);
    run_until(&loop, 2, 50); /* no socket yet: the timer waits for one */
    assert_int_equal(now_runs, 1);
    live->connected_once = true; /* what the page's socket does when it attaches */
    pn__timers_start(live);
    run_until(&loop, 3, 5000);
    assert_true(now_runs >= 3);
    pn__live_table_free(t);
    assert_int_equal(uv_run(&loop, UV_RUN_DEFAULT), 0);
    assert_int_equal(uv_loop_close(&loop), 0);
}

static void count_run(pn_session *s, void *runs)
{
    (void)s;
    ++*(int *)runs;
}

static void every_now_in_a_hook(pn_session *s, void *runs)
{
    unsigned m = s->nmisuse;
    assert_null(pn_every_now(s, 10, count_run, runs)); /* the session ends: refused */
    assert_int_equal(s->nmisuse, m + 1);
}

struct off_thread {
    pn_session *s;
    int runs;
    pn_timer *timer;
    void *mem;
};

static void *from_another_thread(void *arg)
{
    struct off_thread *o = arg;
    o->timer = pn_every_now(o->s, 10, count_run, &o->runs);
    o->mem = pn_alloc(o->s, 16);
    return NULL;
}

/* A page-only session (the --reuse-sessions cache, --warm) runs no timers: fn runs once, for
 * its page. Another thread is refused (fn not run, nothing allocated), and so is a session
 * that ends. */
static void test_every_now_on_a_page_only_session_runs_once(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "page"});
    int runs = 0, late = 0;
    assert_null(pn_every_now(s, 10, count_run, &runs));
    assert_int_equal(runs, 1);
    assert_null(pn_every_now(s, 10, NULL, &runs)); /* nothing to run */
    struct off_thread o = {.s = s};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, from_another_thread, &o), 0);
    pthread_join(th, NULL);
    assert_null(o.timer);
    assert_int_equal(o.runs, 0);
    assert_null(o.mem);
    pn_on_session_destroyed(s, every_now_in_a_hook, &late);
    pn__session_free(s);
    assert_int_equal(late, 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
#define K(name) cmocka_unit_test_setup_teardown(name, key_setup, key_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_request_arg_returns_first_decoded_value),
        T(test_request_arg_missing_gives_default),
        T(test_request_arg_invalid_utf8_or_escape_gives_default),
        T(test_request_arg_present_but_empty_is_empty_not_default),
        T(test_request_arg_result_outlives_the_read_buffer),
        T(test_request_header_is_case_insensitive_and_trimmed),
        T(test_request_header_is_a_nul_terminated_copy),
        T(test_request_cookie_finds_each_pair),
        T(test_request_cookie_name_must_match_exactly),
        T(test_request_cookie_strips_double_quotes),
        T(test_request_cookie_tolerates_extra_separators),
        T(test_request_cookie_trims_blanks_around_name_and_value),
        T(test_request_cookie_value_keeps_inner_equals),
        T(test_request_cookie_searches_every_cookie_header),
        T(test_request_cookie_first_of_duplicates_wins),
        T(test_request_path_excludes_the_query),
        K(test_key_add_same_parts_give_equal_keys),
        K(test_key_add_parts_are_length_delimited),
        K(test_key_add_part_containing_a_delimiter_cannot_forge_two_parts),
        K(test_key_add_null_differs_from_empty),
        K(test_key_add_null_differs_from_no_part_and_from_two_nulls),
        K(test_key_add_null_differs_from_a_string_of_ff),
        K(test_key_add_order_matters),
        K(test_key_add_to_null_key_is_ignored),
        K(test_key_add_over_limit_marks_the_key_unusable),
        K(test_key_add_part_that_just_fits_keeps_the_key_usable),
        cmocka_unit_test(test_every_now_runs_in_pn_app_for_the_page_then_every_ms),
        cmocka_unit_test(test_every_now_on_a_page_only_session_runs_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
