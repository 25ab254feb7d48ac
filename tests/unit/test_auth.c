/*
 * test_auth: --basic-auth's users (files of crypt(3) hashes and a shared password), the signed
 * login cookie, the login form, the `next` check and the count of failed logins (auth.h).
 */
#include <crypt.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/render.h"
#include "server/auth.h"
#include "server/server.h"

/* A crypt(3) hash of password with prefix's method ("$6$", "$y$", "$2b$") at its lowest cost. */
static char *make_hash(const char *prefix, const char *password)
{
    char setting[CRYPT_GENSALT_OUTPUT_SIZE];
    assert_non_null(crypt_gensalt_rn(prefix, 0, NULL, 0, setting, sizeof setting));
    struct crypt_data *cd = calloc(1, sizeof *cd);
    const char *h = crypt_rn(password, setting, cd, sizeof *cd);
    assert_non_null(h);
    char *out = strdup(h);
    free(cd);
    return out;
}

static struct pn_auth_users *parse_ok(const char *text)
{
    struct pn_auth_users *u = NULL;
    char err[300] = "";
    int rc = pn__auth_users_parse(text, strlen(text), "users.txt", &u, err, sizeof err);
    if (rc)
        fail_msg("%s", err);
    return u;
}

static void parse_fails(const char *text, const char *want)
{
    struct pn_auth_users *u = NULL;
    char err[300] = "";
    assert_int_equal(pn__auth_users_parse(text, strlen(text), "users.txt", &u, err, sizeof err),
                     PN_EINVAL);
    assert_null(u);
    if (!strstr(err, want))
        fail_msg("error \"%s\" does not say \"%s\"", err, want);
}

static void test_users_file_checks_each_method_and_refuses_wrong_passwords(void **state)
{
    (void)state;
    char *y = make_hash("$y$", "alpha pass"), *six = make_hash("$6$", "beta"),
         *b = make_hash("$2b$", "gamma");
    char text[1024];
    snprintf(text, sizeof text, "# users\n\nalice:%s\r\n  bob:%s  \ncarol:%s", y, six, b);
    struct pn_auth_users *u = parse_ok(text);
    assert_int_equal(u->n, 3);
    assert_true(pn__auth_users_check(u, "alice", "alpha pass"));
    assert_true(pn__auth_users_check(u, "bob", "beta"));
    assert_true(pn__auth_users_check(u, "carol", "gamma"));
    assert_false(pn__auth_users_check(u, "alice", "beta"));
    assert_false(pn__auth_users_check(u, "alice", "alpha pas"));
    assert_false(pn__auth_users_check(u, "alice", ""));
    assert_false(pn__auth_users_check(u, "bob", "alpha pass"));
    /* an unknown user never logs in, not even with a known user's password */
    assert_false(pn__auth_users_check(u, "mallory", "alpha pass"));
    assert_false(pn__auth_users_check(u, "alice\n", "alpha pass"));
    assert_true(pn__auth_users_has(u, "bob"));
    assert_false(pn__auth_users_has(u, "mallory"));
    pn__auth_users_free(u);
    free(y);
    free(six);
    free(b);
}

static void test_users_file_errors_name_the_line(void **state)
{
    (void)state;
    char *six = make_hash("$6$", "x");
    char text[600];
    parse_fails("alice:secret\n", "users.txt:1: a plaintext password");
    snprintf(text, sizeof text, "# c\nalice:%s\nbob\n", six);
    parse_fails(text, "users.txt:3: not user:HASH");
    snprintf(text, sizeof text, "alice:%s\nalice:%s\n", six, six);
    parse_fails(text, "users.txt:2: user \"alice\" is listed twice");
    parse_fails("alice:$1$abcdefgh$abcdefghijklmnopqrstuv\n", "users.txt:1: a legacy hash");
    parse_fails("alice:$apr1$abcdefgh$abcdefghijklmnopqrstuv\n", "users.txt:1: not a hash");
    parse_fails("alice:$6$salt\n", "users.txt:1:");
    parse_fails("alice:\n", "users.txt:1: no hash");
    snprintf(text, sizeof text, "al:ce:%s\n", six);
    parse_fails(text, "users.txt:1:");
    snprintf(text, sizeof text, "alice:%s:1000:1000\n", six);
    parse_fails(text, "users.txt:1: not one crypt(3) hash");
    parse_fails("# only comments\n\n", "no user");
    snprintf(text, sizeof text, "al\xffice:%s\n", six);
    parse_fails(text, "users.txt:1: the user name");
    free(six);
}

static void test_users_load_reads_a_file_else_takes_a_shared_password(void **state)
{
    (void)state;
    char path[] = "/tmp/pane-test-users-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    char *six = make_hash("$6$", "pw");
    dprintf(fd, "dana:%s\n", six);
    close(fd);
    struct pn_auth_users *u = NULL;
    char err[300];
    assert_int_equal(pn__auth_users_load(path, &u, err, sizeof err), 0);
    assert_false(u->shared);
    assert_true(pn__auth_users_check(u, "dana", "pw"));
    pn__auth_users_free(u);
    chmod(path, 0);
    if (geteuid() != 0) { /* an unreadable file is an error, never a password */
        assert_int_equal(pn__auth_users_load(path, &u, err, sizeof err), PN_EIO);
        assert_non_null(strstr(err, path));
    }
    unlink(path);
    assert_int_equal(pn__auth_users_load("correct horse", &u, err, sizeof err), 0);
    assert_true(u->shared);
    assert_true(pn__auth_users_check(u, "anyone", "correct horse"));
    assert_true(pn__auth_users_check(u, "someone else", "correct horse"));
    assert_false(pn__auth_users_check(u, "anyone", "correct hors"));
    assert_false(pn__auth_users_check(u, "bad\nname", "correct horse"));
    pn__auth_users_free(u);
    assert_int_equal(pn__auth_users_load("/tmp", &u, err, sizeof err), PN_EIO);
    free(six);
}

static void test_user_names_exclude_controls_and_invalid_utf8(void **state)
{
    (void)state;
    assert_true(pn__auth_user_valid(pn__str("alice")));
    assert_true(pn__auth_user_valid(pn__str("Zoë Ødegaard")));
    assert_false(pn__auth_user_valid(pn__str("")));
    assert_false(pn__auth_user_valid(pn__str("a\nb")));
    assert_false(pn__auth_user_valid(pn__str("a\rb")));
    assert_false(pn__auth_user_valid(pn__str("a:b")));
    assert_false(pn__auth_user_valid(pn__str("a\x7f")));
    assert_false(pn__auth_user_valid(pn__str("\xc2\x85")));       /* NEL */
    assert_false(pn__auth_user_valid(pn__str("a\xe2\x80\xa8z"))); /* U+2028 */
    assert_false(pn__auth_user_valid(pn__str("\xff\xfe")));
    assert_false(pn__auth_user_valid(pn__str("\xc3")));
    char big[PN_AUTH_MAX_USER + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_false(pn__auth_user_valid(pn__str(big)));
    big[PN_AUTH_MAX_USER] = '\0';
    assert_true(pn__auth_user_valid(pn__str(big)));
}

struct keys {
    struct pn_auth_key a, b, c;
};

static int keys_setup(void **state)
{
    struct keys *k = calloc(1, sizeof *k);
    char err[200];
    assert_int_equal(
        pn__auth_key_init(&k->a, NULL, "0123456789abcdef0123456789abcdef", err, sizeof err), 0);
    assert_int_equal(
        pn__auth_key_init(&k->b, NULL, "0123456789abcdef0123456789abcdeX", err, sizeof err), 0);
    assert_int_equal(pn__auth_key_init(&k->c, "a cookie secret of at least 32 chars", "ignored",
                                       err, sizeof err),
                     0);
    *state = k;
    return 0;
}

static int keys_teardown(void **state)
{
    struct keys *k = *state;
    pn__auth_key_fini(&k->a);
    pn__auth_key_fini(&k->b);
    pn__auth_key_fini(&k->c);
    free(k);
    return 0;
}

static void test_cookie_round_trips_and_expires(void **state)
{
    struct keys *k = *state;
    char v[PN_AUTH_MAX_COOKIE + 1], user[PN_AUTH_MAX_USER + 1];
    pn__auth_cookie_make(&k->a, "Zoë", 1000, v);
    assert_int_equal(pn__auth_cookie_check(&k->a, pn__str(v), 999, user), 0);
    assert_string_equal(user, "Zoë");
    assert_int_equal(pn__auth_cookie_check(&k->a, pn__str(v), 1000, user), PN_ETIMEDOUT);
    /* a maximal name fits the bound */
    char big[PN_AUTH_MAX_USER + 1];
    memset(big, 'x', PN_AUTH_MAX_USER);
    big[PN_AUTH_MAX_USER] = '\0';
    pn__auth_cookie_make(&k->a, big, 2000, v);
    assert_true(strlen(v) <= PN_AUTH_MAX_COOKIE);
    assert_int_equal(pn__auth_cookie_check(&k->a, pn__str(v), 10, user), 0);
    assert_string_equal(user, big);
}

static void test_cookie_refuses_another_secret_and_any_change(void **state)
{
    struct keys *k = *state;
    char v[PN_AUTH_MAX_COOKIE + 1], user[PN_AUTH_MAX_USER + 1] = "untouched";
    pn__auth_cookie_make(&k->a, "alice", 5000, v);
    assert_int_equal(pn__auth_cookie_check(&k->b, pn__str(v), 1, user), PN_EPARSE);
    assert_int_equal(pn__auth_cookie_check(&k->c, pn__str(v), 1, user), PN_EPARSE);
    for (size_t i = 0; v[i]; i++) { /* every single character changed */
        char t[sizeof v];
        snprintf(t, sizeof t, "%s", v);
        t[i] = t[i] == 'A' ? 'B' : 'A';
        assert_int_not_equal(pn__auth_cookie_check(&k->a, pn__str(t), 1, user), 0);
    }
    assert_string_equal(user, "untouched");
    /* a forged body that names another user, with the old signature */
    char other[PN_AUTH_MAX_COOKIE + 1];
    pn__auth_cookie_make(&k->a, "admin", 5000, other);
    char forged[400];
    snprintf(forged, sizeof forged, "%.*s%s", (int)(strchr(other, '.') - other), other,
             strchr(v, '.'));
    assert_int_equal(pn__auth_cookie_check(&k->a, pn__str(forged), 1, user), PN_EPARSE);
}

static void test_cookie_refuses_malformed_huge_and_invalid_names(void **state)
{
    struct keys *k = *state;
    char user[PN_AUTH_MAX_USER + 1];
    const char *bad[] = {"", ".", "abc", "abc.", ".abc", "a.b.c", "AAAAAAAAAAAA.====", "\xff.\xfe"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(pn__auth_cookie_check(&k->a, pn__str(bad[i]), 1, user), PN_EPARSE);
    assert_int_equal(pn__auth_cookie_check(&k->a, (pn_str){NULL, 0}, 1, user), PN_EPARSE);
    size_t n = 100 * 1024;
    char *huge = malloc(n + 1);
    memset(huge, 'A', n);
    huge[n / 2] = '.';
    huge[n] = '\0';
    assert_int_equal(pn__auth_cookie_check(&k->a, (pn_str){huge, n}, 1, user), PN_EPARSE);
    free(huge);
    /* a correctly signed cookie whose name is invalid (a newline, invalid UTF-8) is refused */
    const char *names[] = {"a\nb", "\xff", "a:b"};
    for (size_t i = 0; i < 3; i++) {
        unsigned char raw[16] = {0, 0, 0, 0, 0, 0, 0x10, 0};
        size_t nl = strlen(names[i]);
        memcpy(raw + 8, names[i], nl);
        char v[PN_AUTH_MAX_COOKIE + 1];
        size_t len = pn__b64url_encode(raw, 8 + nl, v);
        /* sign with the real key through a cookie made for a valid name of this length:
         * impossible from outside, so build it by hand */
        unsigned char mac[32];
        pn__mac(k->a.mac, v, len, mac, sizeof mac);
        v[len++] = '.';
        pn__b64url_encode(mac, sizeof mac, v + len);
        assert_int_equal(pn__auth_cookie_check(&k->a, pn__str(v), 1, user), PN_EPARSE);
    }
}

static void test_cookie_is_bound_to_the_password(void **state)
{
    struct keys *k = *state;
    char *h1 = make_hash("$6$", "one"), *h2 = make_hash("$6$", "two"), text[600];
    snprintf(text, sizeof text, "alice:%s\nbob:%s\n", h1, h1);
    struct pn_auth_users *u1 = parse_ok(text);
    snprintf(text, sizeof text, "alice:%s\nbob:%s\n", h2, h1); /* alice's password changed */
    struct pn_auth_users *u2 = parse_ok(text);
    snprintf(text, sizeof text, "bob:%s\n", h1); /* alice removed */
    struct pn_auth_users *u3 = parse_ok(text);
    char va[PN_AUTH_MAX_COOKIE + 1], vb[PN_AUTH_MAX_COOKIE + 1], user[PN_AUTH_MAX_USER + 1];
    pn__auth_cookie_make_for(&k->a, u1, "alice", 5000, va);
    pn__auth_cookie_make_for(&k->a, u1, "bob", 5000, vb);
    assert_int_equal(pn__auth_cookie_check_for(&k->a, u1, pn__str(va), 1, user), 0);
    assert_string_equal(user, "alice");
    assert_int_equal(pn__auth_cookie_check_for(&k->a, u2, pn__str(va), 1, user), PN_EPARSE);
    assert_int_equal(pn__auth_cookie_check_for(&k->a, u3, pn__str(va), 1, user), PN_EPARSE);
    assert_int_equal(pn__auth_cookie_check_for(&k->a, u2, pn__str(vb), 1, user), 0);
    assert_string_equal(user, "bob");
    /* an unbound cookie is not a bound one */
    char plain[PN_AUTH_MAX_COOKIE + 1];
    pn__auth_cookie_make(&k->a, "alice", 5000, plain);
    assert_int_equal(pn__auth_cookie_check_for(&k->a, u1, pn__str(plain), 1, user), PN_EPARSE);
    /* a shared password: a new one ends the old logins */
    struct pn_auth_users *s1 = NULL, *s2 = NULL;
    char err[200];
    assert_int_equal(pn__auth_users_load("first shared password", &s1, err, sizeof err), 0);
    assert_int_equal(pn__auth_users_load("second shared password", &s2, err, sizeof err), 0);
    pn__auth_cookie_make_for(&k->a, s1, "anyone", 5000, va);
    assert_int_equal(pn__auth_cookie_check_for(&k->a, s1, pn__str(va), 1, user), 0);
    assert_int_equal(pn__auth_cookie_check_for(&k->a, s2, pn__str(va), 1, user), PN_EPARSE);
    pn__auth_users_free(u1);
    pn__auth_users_free(u2);
    pn__auth_users_free(u3);
    pn__auth_users_free(s1);
    pn__auth_users_free(s2);
    free(h1);
    free(h2);
}

static void test_cookie_secret_must_be_long(void **state)
{
    (void)state;
    struct pn_auth_key k;
    char err[200];
    assert_int_equal(pn__auth_key_init(&k, "short", NULL, err, sizeof err), PN_EINVAL);
    assert_non_null(strstr(err, "--cookie-secret"));
}

static void test_form_parses_and_bounds_fields(void **state)
{
    (void)state;
    struct pn_auth_form f;
    assert_int_equal(pn__auth_form_parse(
                         pn__str("user=Zo%C3%AB&password=a+b%26c&next=%2Fweather%3Fcity%3DX"), &f),
                     0);
    assert_string_equal(f.user, "Zoë");
    assert_string_equal(f.password, "a b&c");
    assert_string_equal(f.next, "/weather?city=X");
    assert_int_equal(pn__auth_form_parse(pn__str("password=x"), &f), 0);
    assert_string_equal(f.user, "");
    assert_string_equal(f.next, "");
    assert_int_equal(pn__auth_form_parse(pn__str("user=%ff"), &f), PN_EPARSE);
    assert_int_equal(pn__auth_form_parse(pn__str("user=%00"), &f), PN_EPARSE);
    assert_int_equal(pn__auth_form_parse(pn__str("user=%zz"), &f), PN_EPARSE);
    char body[PN_AUTH_MAX_FORM + 10];
    int n = snprintf(body, sizeof body, "user=");
    memset(body + n, 'a', 200);
    body[n + 200] = '\0';
    assert_int_equal(pn__auth_form_parse(pn__str(body), &f), PN_EPARSE); /* over the bound */
    memset(body, 'a', sizeof body - 1);
    body[sizeof body - 1] = '\0';
    assert_int_equal(pn__auth_form_parse(pn__str(body), &f), PN_EPARSE);
}

static void test_next_is_only_ever_a_local_path(void **state)
{
    (void)state;
    assert_true(pn__auth_next_ok(pn__str("/")));
    assert_true(pn__auth_next_ok(pn__str("/weather?city=Paris&x=%2F%2F")));
    assert_false(pn__auth_next_ok(pn__str("")));
    assert_false(pn__auth_next_ok(pn__str("//evil.example")));
    assert_false(pn__auth_next_ok(pn__str("//evil.example/weather")));
    assert_false(pn__auth_next_ok(pn__str("/\\evil.example")));
    assert_false(pn__auth_next_ok(pn__str("/a\\b")));
    assert_false(pn__auth_next_ok(pn__str("https://evil.example/")));
    assert_false(pn__auth_next_ok(pn__str("javascript:alert(1)")));
    assert_false(pn__auth_next_ok(pn__str("evil.example")));
    assert_false(pn__auth_next_ok(pn__str("/\t/evil.example")));
    assert_false(pn__auth_next_ok(pn__str("/a\r\nSet-Cookie: x=1")));
    assert_false(pn__auth_next_ok(pn__str("/caf\xc3\xa9")));
}

static void test_failed_logins_are_bounded_per_address(void **state)
{
    (void)state;
    struct pn_auth_fails *f = calloc(1, sizeof *f);
    for (int i = 0; i < PN_AUTH_FAIL_MAX; i++) {
        assert_int_equal(pn__auth_fails_wait(f, "10.0.0.1", 1000), 0);
        pn__auth_fails_add(f, "10.0.0.1", 1000 + (uint64_t)i);
    }
    assert_int_equal(pn__auth_fails_wait(f, "10.0.0.1", 2000), PN_AUTH_FAIL_WINDOW_MS - 1000);
    assert_int_equal(pn__auth_fails_wait(f, "10.0.0.2", 2000), 0); /* others carry on */
    assert_int_equal(pn__auth_fails_wait(f, "10.0.0.1", 1000 + PN_AUTH_FAIL_WINDOW_MS), 0);
    /* thousands of addresses: the table stays the same size and still counts the busy one */
    for (int i = 0; i < 5000; i++) {
        char a[48];
        snprintf(a, sizeof a, "192.0.2.%d:%d", i % 256, i);
        pn__auth_fails_add(f, a, 5000);
    }
    for (int i = 0; i < PN_AUTH_FAIL_MAX; i++)
        pn__auth_fails_add(f, "10.0.0.9", 6000);
    assert_true(pn__auth_fails_wait(f, "10.0.0.9", 6000) > 0);
    pn__auth_fails_clear(f, "10.0.0.9");
    assert_int_equal(pn__auth_fails_wait(f, "10.0.0.9", 6000), 0);
    free(f);
}

static void test_login_page_escapes_what_it_shows(void **state)
{
    (void)state;
    char err[256];
    assert_int_equal(pn__render_init(err, sizeof err), 0);
    struct pn_buf out;
    pn__buf_init(&out, 1 << 20);
    assert_int_equal(pn__render_login(&out,
                                      &(struct pn_login_page){
                                          .prefix = "/da\"sh",
                                          .css_url = "/static/x/pane.css",
                                          .next = "/w?a=1&b=\"<x>",
                                          .user = "\"><script>alert(1)</script>",
                                          .message = "<b>bad</b>",
                                      }),
                     0);
    assert_null(strstr(out.data, "<script>alert"));
    assert_null(strstr(out.data, "<b>bad"));
    assert_non_null(strstr(out.data, "&lt;script&gt;"));
    assert_non_null(strstr(out.data, "action=\"/da&quot;sh/login\""));
    assert_non_null(strstr(out.data, "value=\"/w?a=1&amp;b=&quot;&lt;x&gt;\""));
    assert_non_null(strstr(out.data, "type=\"password\""));
    pn__buf_fini(&out);
    pn__render_fini();
}

#define K(name) cmocka_unit_test_setup_teardown(name, keys_setup, keys_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_users_file_checks_each_method_and_refuses_wrong_passwords),
        cmocka_unit_test(test_users_file_errors_name_the_line),
        cmocka_unit_test(test_users_load_reads_a_file_else_takes_a_shared_password),
        cmocka_unit_test(test_user_names_exclude_controls_and_invalid_utf8),
        K(test_cookie_round_trips_and_expires),
        K(test_cookie_refuses_another_secret_and_any_change),
        K(test_cookie_refuses_malformed_huge_and_invalid_names),
        K(test_cookie_is_bound_to_the_password),
        cmocka_unit_test(test_cookie_secret_must_be_long),
        cmocka_unit_test(test_form_parses_and_bounds_fields),
        cmocka_unit_test(test_next_is_only_ever_a_local_path),
        cmocka_unit_test(test_failed_logins_are_bounded_per_address),
        cmocka_unit_test(test_login_page_escapes_what_it_shows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
