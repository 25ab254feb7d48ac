/*
 * Unit tests of the live-session protocol: signed tokens, client message parsing and
 * validation, and doc/patch encoding (src/server/token.c, protocol.c, doc/setters.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "doc/doc.h"
#include "server/server.h"

/* Every key made by key() is freed by the group's teardown. */
static struct pn_token_key made[32];
static size_t nmade;

static struct pn_token_key key(const char *secret)
{
    struct pn_token_key k;
    char err[200];
    assert_int_equal(pn__token_key_init(&k, secret, err, sizeof err), 0);
    assert_true(nmade < sizeof made / sizeof *made);
    made[nmade++] = k;
    return k;
}

#define SECRET "0123456789abcdef0123456789abcdef"

static void test_token_round_trips_session_id(void **state)
{
    (void)state;
    struct pn_token_key k = key(SECRET);
    char tok[PN_TOKEN_LEN + 1];
    pn__token_make(&k, 0x1122334455667788ull, 2000, tok);
    assert_int_equal(strlen(tok), PN_TOKEN_LEN);
    uint64_t sid = 0;
    assert_int_equal(pn__token_check(&k, pn__str(tok), 1999, &sid), 0);
    assert_true(sid == 0x1122334455667788ull);
}

static void test_token_past_expiry_is_refused(void **state)
{
    (void)state;
    struct pn_token_key k = key(SECRET);
    char tok[PN_TOKEN_LEN + 1];
    pn__token_make(&k, 42, 1000, tok);
    uint64_t sid = 0;
    assert_int_equal(pn__token_check(&k, pn__str(tok), 1000, &sid), PN_ETIMEDOUT);
    assert_int_equal(pn__token_check(&k, pn__str(tok), 5000, &sid), PN_ETIMEDOUT);
    assert_true(sid == 0);
}

static void test_token_with_any_flipped_character_is_refused(void **state)
{
    (void)state;
    struct pn_token_key k = key(SECRET);
    char tok[PN_TOKEN_LEN + 1];
    pn__token_make(&k, 7, 4000000000ull, tok);
    for (size_t i = 0; i < PN_TOKEN_LEN; i++) {
        char forged[PN_TOKEN_LEN + 1];
        memcpy(forged, tok, sizeof forged);
        forged[i] = forged[i] == 'A' ? 'B' : 'A';
        uint64_t sid = 0;
        assert_int_not_equal(pn__token_check(&k, pn__str(forged), 1, &sid), 0);
    }
}

static void test_token_signed_with_another_key_is_refused(void **state)
{
    (void)state;
    struct pn_token_key a = key(SECRET), b = key("another secret of at least 32 chars!");
    char tok[PN_TOKEN_LEN + 1];
    pn__token_make(&a, 7, 4000000000ull, tok);
    uint64_t sid;
    assert_int_equal(pn__token_check(&b, pn__str(tok), 1, &sid), PN_EPARSE);
    /* the same secret in another process accepts it (scale-out) */
    struct pn_token_key a2 = key(SECRET);
    assert_int_equal(pn__token_check(&a2, pn__str(tok), 1, &sid), 0);
}

/* The signature is HMAC-SHA256 under SHA-256(secret), as the one-shot HMAC() computes it, for
 * tokens made with two keyed contexts in turn, and with a key made again. */
static void expected_token(const char *secret, uint64_t sid, uint64_t expiry, char *out)
{
    unsigned char k[32], raw[16], mac[32];
    unsigned int n = 0;
    EVP_Digest(secret, strlen(secret), k, &n, EVP_sha256(), NULL);
    for (int i = 0; i < 8; i++) {
        raw[i] = (unsigned char)(sid >> (56 - 8 * i));
        raw[8 + i] = (unsigned char)(expiry >> (56 - 8 * i));
    }
    unsigned char b[128];
    int len = EVP_EncodeBlock(b, raw, sizeof raw); /* standard base64 with padding */
    size_t o = 0;
    for (int i = 0; i < len && b[i] != '='; i++)
        out[o++] = b[i] == '+' ? '-' : b[i] == '/' ? '_' : (char)b[i];
    out[o] = '\0';
    HMAC(EVP_sha256(), k, 32, (unsigned char *)out, o, mac, &n);
    out[o++] = '.';
    len = EVP_EncodeBlock(b, mac, sizeof mac);
    for (int i = 0; i < len && b[i] != '='; i++)
        out[o++] = b[i] == '+' ? '-' : b[i] == '/' ? '_' : (char)b[i];
    out[o] = '\0';
}

static void test_token_signature_is_hmac_sha256_across_key_switches(void **state)
{
    (void)state;
    const char *other = "another secret of at least 32 chars!";
    struct pn_token_key a = key(SECRET), b = key(other);
    for (int i = 0; i < 4; i++) {
        const char *secret = i % 2 ? other : SECRET;
        char tok[PN_TOKEN_LEN + 1], want[PN_TOKEN_LEN + 8];
        pn__token_make(i % 2 ? &b : &a, 0x0102030405060708ull + (uint64_t)i, 1700000000ull, tok);
        expected_token(secret, 0x0102030405060708ull + (uint64_t)i, 1700000000ull, want);
        assert_string_equal(tok, want);
    }
    struct pn_token_key again = key(SECRET);
    char tok[PN_TOKEN_LEN + 1], want[PN_TOKEN_LEN + 8];
    pn__token_make(&again, 9, 1700000000ull, tok);
    expected_token(SECRET, 9, 1700000000ull, want);
    assert_string_equal(tok, want);
}

static void test_token_malformed_inputs_are_refused(void **state)
{
    (void)state;
    struct pn_token_key k = key(SECRET);
    const char *bad[] = {"", ".", "abc", "abc.def",
                         "AAAAAAAAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        uint64_t sid;
        assert_int_equal(pn__token_check(&k, pn__str(bad[i]), 1, &sid), PN_EPARSE);
    }
    uint64_t sid;
    assert_int_equal(pn__token_check(&k, (pn_str){NULL, 0}, 1, &sid), PN_EPARSE);
}

static void test_token_key_shorter_than_32_is_an_error(void **state)
{
    (void)state;
    struct pn_token_key k;
    char err[200] = "";
    assert_int_equal(pn__token_key_init(&k, "short", err, sizeof err), PN_EINVAL);
    assert_non_null(strstr(err, "32"));
}

/* ---- messages ---- */

static int parse(const char *s, struct pn_msg *m, const char **why)
{
    return pn__msg_parse(s, strlen(s), m, why);
}

static void test_hello_is_parsed_with_token_and_query(void **state)
{
    (void)state;
    struct pn_msg m;
    const char *why = NULL;
    assert_int_equal(parse("{\"t\":\"hello\",\"v\":1,\"token\":\"abc\",\"query\":\"city=Paris\"}",
                           &m, &why),
                     0);
    assert_int_equal(m.type, PN_MSG_HELLO);
    assert_int_equal(m.version, 1);
    assert_true(pn__str_eq(m.token, PN_STRLIT("abc")));
    assert_true(pn__str_eq(m.query, PN_STRLIT("city=Paris")));
    pn__msg_free(&m);
    assert_int_equal(parse("{\"t\":\"hello\",\"v\":1,\"token\":null}", &m, &why), 0);
    assert_null(m.token.ptr);
    pn__msg_free(&m);
}

static void test_event_values_keep_their_json_types(void **state)
{
    (void)state;
    struct pn_msg m;
    const char *why;
    assert_int_equal(parse("{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":true}", &m, &why), 0);
    assert_int_equal(m.value.type, PN_V_BOOL);
    assert_true(m.value.b);
    pn__msg_free(&m);
    assert_int_equal(parse("{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":2.5}", &m, &why), 0);
    assert_int_equal(m.value.type, PN_V_NUM);
    assert_true(m.value.num == 2.5);
    pn__msg_free(&m);
    assert_int_equal(parse("{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":\"x\"}", &m, &why), 0);
    assert_int_equal(m.value.type, PN_V_STR);
    assert_string_equal(m.value.str, "x");
    pn__msg_free(&m);
    assert_int_equal(parse("{\"t\":\"event\",\"id\":3,\"prop\":\"clicks\"}", &m, &why), 0);
    assert_int_equal(m.value.type, PN_V_NONE);
    pn__msg_free(&m);
}

/* A list value: all strings (or empty) or all numbers, at most PN_MAX_LIST items. */
static void test_event_lists_are_strings_or_numbers_and_bounded(void **state)
{
    (void)state;
    struct pn_msg m;
    const char *why = NULL;
    assert_int_equal(
        parse("{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":[\"a\",\"b\"]}", &m, &why),
        0);
    assert_int_equal(m.value.type, PN_V_STRS);
    assert_int_equal(m.value.n, 2);
    assert_string_equal(m.value.strs[0], "a");
    assert_string_equal(m.value.strs[1], "b");
    pn__msg_free(&m);
    assert_int_equal(parse("{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":[]}", &m, &why),
                     0);
    assert_int_equal(m.value.type, PN_V_STRS);
    assert_int_equal(m.value.n, 0);
    pn__msg_free(&m);
    assert_int_equal(
        parse("{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":[2.5,-1]}", &m, &why), 0);
    assert_int_equal(m.value.type, PN_V_NUMS);
    assert_int_equal(m.value.n, 2);
    assert_true(m.value.nums[0] == 2.5 && m.value.nums[1] == -1);
    pn__msg_free(&m);
    /* PN_MAX_LIST items pass, one more does not */
    for (int extra = 0; extra <= 1; extra++) {
        size_t items = PN_MAX_LIST + (size_t)extra, cap = 64 + items * 4;
        char *big = malloc(cap);
        size_t k = (size_t)snprintf(big, cap,
                                    "{\"t\":\"event\",\"id\":3,\"prop\":\"value\",\"value\":[");
        for (size_t i = 0; i < items; i++)
            k += (size_t)snprintf(big + k, cap - k, "%s\"x\"", i ? "," : "");
        snprintf(big + k, cap - k, "]}");
        int rc = parse(big, &m, &why);
        assert_int_equal(rc, extra ? PN_EPARSE : 0);
        if (extra)
            assert_non_null(strstr(why, "items"));
        pn__msg_free(&m);
        free(big);
    }
}

static void test_bad_messages_are_refused_with_a_reason(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "not json", "[1,2]", "42", "{}", "{\"t\":1}", "{\"t\":\"nope\"}",
        "{\"t\":\"hello\"}", "{\"t\":\"hello\",\"v\":\"1\"}", "{\"t\":\"hello\",\"v\":1,\"token\":5}",
        "{\"t\":\"event\",\"prop\":\"value\"}", "{\"t\":\"event\",\"id\":0,\"prop\":\"value\"}",
        "{\"t\":\"event\",\"id\":-4,\"prop\":\"value\"}",
        "{\"t\":\"event\",\"id\":99999999999,\"prop\":\"value\"}",
        "{\"t\":\"event\",\"id\":1,\"prop\":7}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":[1,\"a\"]}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":[\"a\",2]}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":[null]}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":[[\"a\"]]}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":[true]}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":[\"a\\u0000\"]}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":{}}",
        "{\"t\":\"event\",\"id\":1,\"prop\":\"v\",\"value\":\"a\\u0000b\"}",
        "{\"t\":\"ping\",\"t\":\"ping\"}", /* duplicate keys */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct pn_msg m;
        const char *why = NULL;
        int rc = parse(bad[i], &m, &why);
        if (rc == 0)
            fail_msg("accepted: %s", bad[i]);
        assert_non_null(why);
        pn__msg_free(&m);
    }
}

static void test_deep_nesting_is_refused_before_parsing(void **state)
{
    (void)state;
    char deep[200];
    size_t n = 0;
    n += (size_t)snprintf(deep, sizeof deep, "{\"t\":\"ping\",\"n\":");
    for (int i = 0; i < 40; i++)
        deep[n++] = '[';
    for (int i = 0; i < 40; i++)
        deep[n++] = ']';
    deep[n++] = '}';
    deep[n] = '\0';
    struct pn_msg m;
    const char *why = NULL;
    assert_int_equal(pn__msg_parse(deep, n, &m, &why), PN_EPARSE);
    assert_string_equal(why, "nested too deep");
    pn__msg_free(&m);
}

/* ---- patches ---- */

static pn_node *num, *slider, *md;
static void build(pn_session *s)
{
    num = pn_number(s, .name = "T", .value = 1, .format = "{value} °C");
    slider = pn_int_slider(s, .name = "n", .start = 0, .end = 10, .value = 3);
    md = pn_markdown(s, .text = "# hi");
    pn_servable(s, pn_column(s, num, slider, md));
}

/* The patch (NULL: nothing changed) or doc, asserting that encoding succeeded. */
static char *patch_of(pn_session *s)
{
    char *out;
    size_t len;
    assert_int_equal(pn__msg_patch(s, PN_MAX_DOC, &out, &len), 0);
    assert_true(out == NULL || strlen(out) == len);
    return out;
}

static char *doc_of(pn_session *s, const char *token)
{
    char *out;
    size_t len;
    assert_int_equal(pn__msg_doc(s, token, PN_MAX_DOC, &out, &len), 0);
    assert_int_equal(strlen(out), len);
    return out;
}

static json_t *load(char *s)
{
    json_error_t e;
    json_t *j = json_loads(s, 0, &e);
    free(s);
    assert_non_null(j);
    return j;
}

/* An op of a patch: [ID, {changes}] for a node, ["title", TEXT] for the title. */
static json_t *op_changes(json_t *op, json_int_t id)
{
    assert_true(json_is_array(op) && json_array_size(op) == 2);
    assert_int_equal(json_integer_value(json_array_get(op, 0)), id);
    return json_array_get(op, 1);
}

static void test_patch_carries_what_the_server_rendered(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    build(s);
    assert_null(patch_of(s)); /* nothing changed yet */
    pn_number_set_value(num, 21);
    pn_markdown_set_text(md, "*new*");
    pn_int_slider_set_value(slider, 7);
    json_t *p = load(patch_of(s));
    assert_string_equal(json_string_value(json_object_get(p, "t")), "patch");
    json_t *ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 3);
    json_t *c0 = op_changes(json_array_get(ops, 0), num->id);
    assert_int_equal(json_object_size(c0), 1); /* the formatted value only: no props, no HTML */
    assert_string_equal(json_string_value(json_object_get(c0, "text")), "21 °C");
    json_t *c1 = op_changes(json_array_get(ops, 1), md->id);
    assert_string_equal(json_string_value(json_object_get(c1, "html")), "<p><em>new</em></p>\n");
    json_t *c2 = op_changes(json_array_get(ops, 2), slider->id);
    assert_int_equal(json_integer_value(json_object_get(c2, "value")), 7); /* a prop by name */
    json_decref(p);
    assert_null(patch_of(s)); /* clean again */
    pn__session_free(s);
}

/* Issue 13: a tree that changes after its doc was sent. Nodes added before a doc are in it and
 * get no op; after, each gets one ["insert", PARENT, BEFORE, HTML, [NODE]] (a subtree in one, its
 * later changes in the same patch carried by it); pn_insert names the sibling it goes before;
 * pn_set_visible is {"hidden"}. */
static const char *tab_title(json_t *list, size_t i)
{
    return json_string_value(json_object_get(json_array_get(list, i), "title"));
}

static void test_tree_changes_go_out_as_insert_and_hidden_ops(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *log = pn_column(s, pn_markdown(s, .text = "first"));
    pn_servable(s, log);
    pn_append(log, pn_markdown(s, .text = "before the doc"));
    char *doc;
    size_t len;
    assert_int_equal(pn__msg_doc(s, NULL, 1 << 20, &doc, &len), 0);
    assert_non_null(strstr(doc, "before the doc"));
    free(doc);
    assert_null(patch_of(s)); /* it was in the doc */
    pn_node *a = pn_markdown(s, .text = "*a*");
    pn_append(log, a);
    pn_node *card = pn_card(s, .title = "C");
    pn_insert(log, 0, card);
    pn_node *inner = pn_number(s, .name = "n", .value = 1);
    pn_append(card, inner);      /* inside a node inserted in this patch: carried by it */
    pn_number_set_value(inner, 2); /* and so is its change */
    pn_servable(s, pn_markdown(s, .text = "at the end"));
    pn_set_visible(a, false); /* carried by a's insert too */
    json_t *p = load(patch_of(s)), *ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 3);
    json_t *o0 = json_array_get(ops, 0), *o1 = json_array_get(ops, 1), *o2 = json_array_get(ops, 2);
    assert_string_equal(json_string_value(json_array_get(o0, 0)), "insert");
    assert_int_equal(json_integer_value(json_array_get(o0, 1)), log->id);
    assert_int_equal(json_integer_value(json_array_get(o0, 2)), 0); /* last */
    assert_non_null(strstr(json_string_value(json_array_get(o0, 3)), "<em>a</em>"));
    assert_non_null(strstr(json_string_value(json_array_get(o0, 3)), " hidden")); /* as it is now */
    assert_int_equal(json_integer_value(json_array_get(o1, 1)), log->id);
    assert_int_equal(json_integer_value(json_array_get(o1, 2)), log->first->next->id);
    const char *card_html = json_string_value(json_array_get(o1, 3));
    assert_non_null(strstr(card_html, "pn-card"));
    assert_non_null(strstr(card_html, ">2</div>")); /* the Number as it is now, inside */
    json_t *tree = json_array_get(json_array_get(o1, 4), 0);
    assert_string_equal(json_string_value(json_object_get(tree, "kind")), "Card");
    assert_int_equal(json_array_size(json_object_get(tree, "children")), 1);
    assert_int_equal(json_integer_value(json_array_get(o2, 1)), 0); /* the main area */
    json_decref(p);
    assert_null(patch_of(s));
    pn_set_visible(a, true);
    pn_set_visible(a, true); /* no change: no op */
    p = load(patch_of(s));
    ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 1);
    assert_true(json_is_false(json_object_get(op_changes(json_array_get(ops, 0), a->id), "hidden")));
    json_decref(p);
    pn_set_visible(log, false);
    p = load(patch_of(s));
    ops = json_object_get(p, "ops");
    assert_true(json_is_true(json_object_get(op_changes(json_array_get(ops, 0), log->id), "hidden")));
    json_decref(p);
    assert_false(pn_visible(log));
    pn__session_free(s);
}

/* pn_remove and pn_replace once the page is shown: ["remove", ID] for a node the client has
 * (first in the patch), nothing for one it never got; the replacement goes where the old one
 * was; a removed id is unknown to events; nodes made and removed in callbacks give their
 * memory back (the session's arena does not grow over 10,000 of them). */
static void test_remove_and_replace_go_out_as_ops_and_free(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *a = pn_markdown(s, .text = "a"), *b = pn_markdown(s, .text = "b");
    pn_node *c = pn_card(s, .title = "c", .items = PN_ITEMS(pn_number(s, .name = "n")));
    pn_node *log = pn_column(s, a, b, c);
    pn_servable(s, log);
    char *doc;
    size_t len;
    assert_int_equal(pn__msg_doc(s, NULL, 1 << 20, &doc, &len), 0);
    free(doc);
    uint32_t a_id = a->id, c_id = c->id;
    pn_remove(a);
    pn_node *fresh = pn_markdown(s, .text = "made and gone");
    pn_append(log, fresh);
    pn_remove(fresh); /* the client never had it: no op */
    pn_replace(c, pn_markdown(s, .text = "*instead*"));
    json_t *p = load(patch_of(s)), *ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 3);
    json_t *o0 = json_array_get(ops, 0), *o1 = json_array_get(ops, 1), *o2 = json_array_get(ops, 2);
    assert_string_equal(json_string_value(json_array_get(o0, 0)), "remove");
    assert_int_equal(json_integer_value(json_array_get(o0, 1)), a_id);
    assert_int_equal(json_integer_value(json_array_get(o1, 1)), c_id);
    assert_string_equal(json_string_value(json_array_get(o2, 0)), "insert");
    assert_int_equal(json_integer_value(json_array_get(o2, 2)), 0); /* last, where c was */
    assert_non_null(strstr(json_string_value(json_array_get(o2, 3)), "<em>instead</em>"));
    json_decref(p);
    assert_null(pn__session_find(s, a_id));
    assert_null(pn__session_find(s, c_id - 1)); /* c's Number (made before c) went with it */
    assert_ptr_equal(log->first, b);
    /* a log that keeps one line: the arena stays as it was */
    size_t before = s->arena.total;
    pn_node *prev = NULL;
    for (int i = 0; i < 10000; i++) {
        pn_node *line = pn_markdown(s, .text = "a line of the log, long enough to count");
        pn_append(log, line);
        if (prev)
            pn_remove(prev);
        prev = line;
        char *m = patch_of(s);
        assert_non_null(strstr(m, i ? "\"remove\"" : "\"insert\""));
        free(m);
    }
    assert_int_equal(s->arena.total, before);
    assert_ptr_equal(log->first, b);
    assert_ptr_equal(log->last, prev);
    unsigned m = s->nmisuse;
    pn_replace(pn_markdown(s, .text = "not in the page"), b); /* not in the page */
    pn_replace(b, prev);                                       /* prev has a parent */
    pn_replace(b, b);
    assert_int_equal(s->nmisuse, m + 3);
    pn__session_free(s);
}

/* Tabs on a shown page: a panel added or removed sends the row of tabs again (titles kept by
 * panel, a later one "Tab N") and the tab shown, clamped. */
static void test_tabs_follow_panels_added_and_removed(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *a = pn_markdown(s, .text = "a"), *b = pn_markdown(s, .text = "b");
    pn_node *tabs = pn_tabs(s, .titles = PN_OPTIONS("A", "B"), .active = 1, .items = PN_ITEMS(a, b));
    pn_servable(s, tabs);
    char *doc;
    size_t len;
    assert_int_equal(pn__msg_doc(s, NULL, 1 << 20, &doc, &len), 0);
    free(doc);
    pn_insert(tabs, 0, pn_markdown(s, .text = "new"));
    json_t *p = load(patch_of(s)), *ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 2); /* the panel, then the tabs */
    json_t *c = op_changes(json_array_get(ops, 1), tabs->id), *list = json_object_get(c, "tabs");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(tab_title(list, 0), "Tab 1");
    assert_string_equal(tab_title(list, 1), "A");
    assert_string_equal(tab_title(list, 2), "B");
    assert_int_equal(json_integer_value(json_object_get(c, "active")), 1);
    json_decref(p);
    pn_tabs_set_active(tabs, 2);
    free(patch_of(s));
    pn_remove(b); /* the tab shown goes: the last one is shown */
    p = load(patch_of(s));
    ops = json_object_get(p, "ops");
    c = op_changes(json_array_get(ops, 1), tabs->id);
    assert_int_equal(json_array_size(json_object_get(c, "tabs")), 2);
    assert_int_equal(json_integer_value(json_object_get(c, "active")), 1);
    assert_int_equal(pn_tabs_active(tabs), 1);
    json_decref(p);
    pn__session_free(s);
}

static void on_change(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)n, (void)arg;
}

/* The tab of a hidden panel is hidden: in the page (the hidden attribute), and live (the row of
 * tabs again, with "hidden"); a hidden tab shown gives way to the first visible one, and
 * neither the app nor the client can show a hidden tab. */
static void test_tabs_hide_the_tab_of_a_hidden_panel(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *a = pn_markdown(s, .text = "a"), *b = pn_markdown(s, .text = "b");
    pn_node *c = pn_markdown(s, .text = "c");
    pn_set_visible(a, false);
    pn_node *tabs = pn_tabs(s, .titles = PN_OPTIONS("A", "B", "C"), .on_change = on_change,
                            .items = PN_ITEMS(a, b, c));
    assert_int_equal(pn_tabs_active(tabs), 1); /* the first visible one */
    pn_set_visible(c, false);
    pn_set_visible(b, false); /* none visible: the tab shown stays */
    assert_int_equal(pn_tabs_active(tabs), 1);
    pn_set_visible(c, true); /* in pn_app, before the page: the first visible one */
    assert_int_equal(pn_tabs_active(tabs), 2);
    pn_set_visible(b, true);
    pn_servable(s, tabs);
    char *doc;
    size_t len;
    assert_int_equal(pn__msg_doc(s, NULL, 1 << 20, &doc, &len), 0);
    char tab[64];
    snprintf(tab, sizeof tab, "id=\\\"pn-%u-tab-0\\\"", (unsigned)tabs->id);
    const char *t0 = strstr(doc, tab);
    assert_non_null(t0);
    assert_non_null(strstr(t0, "tabindex=\\\"-1\\\" hidden>A</button>"));
    assert_non_null(strstr(t0, "tabindex=\\\"0\\\">C</button>"));
    free(doc);
    pn__session_clear_dirty(s); /* as the server does once the doc is sent */
    pn_set_visible(c, false);   /* live: the tab shown goes, B is shown */
    json_t *p = load(patch_of(s)), *ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 2); /* the panel hidden, then the tabs */
    assert_true(json_is_true(json_object_get(op_changes(json_array_get(ops, 0), c->id), "hidden")));
    json_t *ch = op_changes(json_array_get(ops, 1), tabs->id), *list = json_object_get(ch, "tabs");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(tab_title(list, 1), "B");
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(json_is_true(json_object_get(json_array_get(list, i), "hidden")), i != 1);
    assert_int_equal(json_integer_value(json_object_get(ch, "active")), 1);
    assert_int_equal(pn_tabs_active(tabs), 1);
    json_decref(p);
    unsigned m = s->nmisuse;
    pn_tabs_set_active(tabs, 0); /* hidden: refused */
    assert_int_equal(s->nmisuse, m + 1);
    assert_int_equal(pn_tabs_active(tabs), 1);
    struct pn_call call;
    const char *why;
    struct pn_value v = {.type = PN_V_NUM, .num = 2};
    assert_string_equal(pn__node_event(tabs, PN_STRLIT("active"), &v, &call, &why), "bad-value");
    assert_int_equal(pn_tabs_active(tabs), 1);
    pn_set_visible(a, true); /* shown again: its tab too; the tab shown stays */
    p = load(patch_of(s));
    ops = json_object_get(p, "ops");
    ch = op_changes(json_array_get(ops, 1), tabs->id);
    assert_true(
        json_is_false(json_object_get(json_array_get(json_object_get(ch, "tabs"), 0), "hidden")));
    assert_int_equal(json_integer_value(json_object_get(ch, "active")), 1);
    json_decref(p);
    v.num = 0;
    assert_null(pn__node_event(tabs, PN_STRLIT("active"), &v, &call, &why));
    assert_ptr_equal(call.fn, on_change);
    assert_int_equal(pn_tabs_active(tabs), 0);
    pn__session_free(s);
}

/* Issue 11: a Number value update costs at most 60 bytes on the wire, the WebSocket frame's
 * 2-byte header (a server frame under 126 bytes) included. */
static void test_number_update_fits_in_60_bytes_on_the_wire(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *t = pn_number(s, .name = "Temperature", .value = 21, .format = "{value:.1f} °C",
                           .colors = PN_COLORS({0, "#1e88e5"}, {30, "#43a047"}, {1e9, "#e53935"}));
    pn_servable(s, pn_row(s, t));
    for (int i = 0; i < 200; i++)
        pn_number_set_value(t, i % 30); /* ends at 19: the green stop */
    free(patch_of(s));
    pn_number_set_value(t, 23.4);
    char *m = patch_of(s);
    assert_string_equal(m, "{\"t\":\"patch\",\"ops\":[[1,{\"text\":\"23.4 °C\"}]]}");
    assert_true(2 + strlen(m) <= 60);
    free(m);
    pn_number_set_value(t, 31); /* crosses a stop: the colour comes too */
    m = patch_of(s);
    assert_string_equal(m, "{\"t\":\"patch\",\"ops\":[[1,{\"text\":\"31.0 °C\",\"color\":\"#e53935\"}]]}");
    free(m);
    pn_number_set_value(t, 32); /* the same stop: no colour */
    m = patch_of(s);
    assert_null(strstr(m, "color"));
    free(m);
    pn__session_free(s);
}

static void test_setting_the_same_value_sends_nothing(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    build(s);
    pn_number_set_value(num, 1);
    pn_int_slider_set_value(slider, 3);
    assert_null(patch_of(s));
    pn__session_free(s);
}

static void test_slider_values_are_clamped_and_typed(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    build(s);
    pn_int_slider_set_value(slider, 99);
    assert_int_equal(pn_int_slider_value(slider), 10);
    const struct pn_prop *p = pn__prop_find(slider->desc, PN_STRLIT("value"));
    const char *why = NULL;
    struct pn_value v = {.type = PN_V_NUM, .num = 2.5};
    assert_int_equal(pn__node_set(slider, p, &v, &why), PN_EINVAL);
    assert_non_null(why);
    v = (struct pn_value){.type = PN_V_STR, .str = "4"};
    assert_int_equal(pn__node_set(slider, p, &v, &why), PN_EINVAL);
    v = (struct pn_value){.type = PN_V_NUM, .num = 4};
    assert_int_equal(pn__node_set(slider, p, &v, &why), 0);
    assert_int_equal(pn_int_slider_value(slider), 4);
    pn__session_free(s);
}

/* A RangeSlider's pair from the client is not echoed when the server kept it as sent, and is
 * (both ends) when it put it in order or clamped it, even when nothing changed on the server;
 * a list value travels as a JSON array. */
static void test_range_slider_echoes_only_what_the_server_changed(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *r = pn_range_slider(s, .start = 0, .end = 10, .value_start = 2, .value_end = 4);
    pn_node *g = pn_checkbox_group(s, .options = PN_OPTIONS("a", "b", "c"));
    pn_servable(s, pn_row(s, r, g));
    free(patch_of(s));
    struct pn_call call;
    const char *why;
    double pair[2] = {3, 8};
    struct pn_value v = {.type = PN_V_NUMS, .nums = pair, .n = 2};
    assert_null(pn__node_event(r, PN_STRLIT("value"), &v, &call, &why));
    assert_null(patch_of(s)); /* as sent: the client has it */
    pair[0] = 9, pair[1] = 3; /* reversed: both go back, in order */
    assert_null(pn__node_event(r, PN_STRLIT("value"), &v, &call, &why));
    json_t *p = load(patch_of(s));
    json_t *c = op_changes(json_array_get(json_object_get(p, "ops"), 0), r->id);
    assert_true(json_number_value(json_object_get(c, "value_start")) == 3);
    assert_true(json_number_value(json_object_get(c, "value_end")) == 9);
    json_decref(p);
    for (int i = 0; i < 2; i++) { /* clamped to 10: a change, then none; echoed both times */
        pair[0] = 3, pair[1] = 50 + i;
        assert_null(pn__node_event(r, PN_STRLIT("value"), &v, &call, &why));
        assert_true(pn_range_slider_value_end(r) == 10);
        p = load(patch_of(s));
        c = op_changes(json_array_get(json_object_get(p, "ops"), 0), r->id);
        assert_true(json_number_value(json_object_get(c, "value_start")) == 3);
        assert_true(json_number_value(json_object_get(c, "value_end")) == 10);
        json_decref(p);
    }
    pn_checkbox_group_set_value(g, PN_OPTIONS("c", "a"));
    p = load(patch_of(s));
    json_t *ops = json_object_get(p, "ops");
    assert_int_equal(json_array_size(ops), 1);
    c = op_changes(json_array_get(ops, 0), g->id);
    char *list = json_dumps(json_object_get(c, "value"), JSON_COMPACT);
    assert_string_equal(list, "[\"a\",\"c\"]");
    free(list);
    json_decref(p);
    pn__session_free(s);
}

static void test_doc_has_title_tree_and_html(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_template(s, .name = "material", .title = "<b>T</b>");
    build(s);
    json_t *d = load(doc_of(s, "tok"));
    assert_string_equal(json_string_value(json_object_get(d, "t")), "doc");
    assert_string_equal(json_string_value(json_object_get(d, "title")), "<b>T</b>");
    assert_string_equal(json_string_value(json_object_get(d, "token")), "tok");
    assert_non_null(strstr(json_string_value(json_object_get(d, "html")), "1 °C"));
    json_t *col = json_array_get(json_object_get(d, "root"), 0);
    assert_string_equal(json_string_value(json_object_get(col, "kind")), "Column");
    assert_int_equal(json_array_size(json_object_get(col, "children")), 3);
    json_t *sl = json_array_get(json_object_get(col, "children"), 1);
    assert_null(json_object_get(json_object_get(sl, "props"), "on_change")); /* hidden */
    json_decref(d);
    pn__session_free(s);
}

static void test_doc_of_invalid_utf8_strings_encodes_with_fffd(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    const char *city = "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    pn_template(s, .title = pn_fmt(s, "%.12s", city));
    pn_node *m = pn_markdown(s, .text = pn_fmt(s, "%.12s", city));
    pn_servable(s, pn_column(s, m, pn_number(s, .name = "Z\xfcrich")));
    json_t *d = load(doc_of(s, NULL));
    assert_string_equal(json_string_value(json_object_get(d, "title")),
                        "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xef\xbf\xbd");
    assert_non_null(strstr(json_string_value(json_object_get(d, "html")), "Z\xef\xbf\xbdrich"));
    json_decref(d);
    pn_markdown_set_text(m, "caf\xe9");
    json_t *p = load(patch_of(s));
    json_t *op = json_array_get(json_object_get(p, "ops"), 0);
    assert_string_equal(json_string_value(json_object_get(op_changes(op, m->id), "html")),
                        "<p>caf\xef\xbf\xbd</p>\n");
    json_decref(p);
    pn__session_free(s);
}

static void test_doc_of_rows_nested_30000_deep_encodes(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    pn_node *n = pn_number(s, .value = 7);
    for (int i = 0; i < 30000; i++)
        n = pn_row(s, n);
    pn_servable(s, n);
    assert_true(s->nmisuse > 0);
    json_t *d = load(doc_of(s, NULL));
    int depth = 0; /* the tree as sent: one chain of rows */
    for (json_t *k = json_object_get(d, "root"); json_array_size(k); depth++)
        k = json_object_get(json_array_get(k, 0), "children");
    assert_true(depth >= 1 && depth <= PN_MAX_DEPTH);
    json_decref(d);
    pn__session_free(s);
}

static void test_doc_or_patch_over_the_bound_is_refused(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    char *big = malloc(300000);
    memset(big, 'x', 299999);
    big[299999] = '\0';
    pn_node *m = pn_markdown(s, .text = big);
    pn_servable(s, m);
    char *out = (char *)1;
    size_t len = 1;
    assert_int_equal(pn__msg_doc(s, NULL, 500000, &out, &len), PN_ETOOBIG); /* text twice */
    assert_null(out);
    assert_int_equal(len, 0);
    assert_int_equal(pn__msg_doc(s, NULL, 700000, &out, &len), 0);
    free(out);
    big[0] = 'y';
    pn_markdown_set_text(m, big);
    assert_int_equal(pn__msg_patch(s, 100000, &out, &len), PN_ETOOBIG);
    assert_null(out);
    assert_null(patch_of(s)); /* taken: the session is clean again */
    free(big);
    pn__session_free(s);
}

static void test_title_set_makes_a_title_op(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    build(s);
    pn_title_set(s, "Live");
    json_t *p = load(patch_of(s));
    json_t *op = json_array_get(json_object_get(p, "ops"), 0);
    assert_string_equal(json_string_value(json_array_get(op, 0)), "title");
    assert_string_equal(json_string_value(json_array_get(op, 1)), "Live");
    json_decref(p);
    pn__session_free(s);
}

static void test_ten_thousand_updates_do_not_grow_the_session(void **state)
{
    (void)state;
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "t"});
    build(s);
    char text[64];
    pn_markdown_set_text(md, "warm up");
    free(patch_of(s));
    size_t arena = s->arena.total;
    for (int i = 0; i < 10000; i++) {
        snprintf(text, sizeof text, "tick %d", i);
        pn_markdown_set_text(md, text);
        pn_number_set_value(num, i);
        free(patch_of(s));
    }
    assert_int_equal(s->arena.total, arena); /* setters own their values on the heap */
    assert_string_equal(PN_COPTS(md, pn_markdown_opts)->text, "tick 9999");
    pn__session_free(s); /* LeakSanitizer (asan preset) checks the heap copies are freed */
}

static int group_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < nmade; i++)
        pn__token_key_fini(&made[i]);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_token_round_trips_session_id),
        cmocka_unit_test(test_token_past_expiry_is_refused),
        cmocka_unit_test(test_token_with_any_flipped_character_is_refused),
        cmocka_unit_test(test_token_signed_with_another_key_is_refused),
        cmocka_unit_test(test_token_signature_is_hmac_sha256_across_key_switches),
        cmocka_unit_test(test_token_malformed_inputs_are_refused),
        cmocka_unit_test(test_token_key_shorter_than_32_is_an_error),
        cmocka_unit_test(test_hello_is_parsed_with_token_and_query),
        cmocka_unit_test(test_event_values_keep_their_json_types),
        cmocka_unit_test(test_event_lists_are_strings_or_numbers_and_bounded),
        cmocka_unit_test(test_range_slider_echoes_only_what_the_server_changed),
        cmocka_unit_test(test_bad_messages_are_refused_with_a_reason),
        cmocka_unit_test(test_deep_nesting_is_refused_before_parsing),
        cmocka_unit_test(test_patch_carries_what_the_server_rendered),
        cmocka_unit_test(test_tree_changes_go_out_as_insert_and_hidden_ops),
        cmocka_unit_test(test_remove_and_replace_go_out_as_ops_and_free),
        cmocka_unit_test(test_tabs_follow_panels_added_and_removed),
        cmocka_unit_test(test_tabs_hide_the_tab_of_a_hidden_panel),
        cmocka_unit_test(test_number_update_fits_in_60_bytes_on_the_wire),
        cmocka_unit_test(test_doc_of_invalid_utf8_strings_encodes_with_fffd),
        cmocka_unit_test(test_doc_of_rows_nested_30000_deep_encodes),
        cmocka_unit_test(test_doc_or_patch_over_the_bound_is_refused),
        cmocka_unit_test(test_setting_the_same_value_sends_nothing),
        cmocka_unit_test(test_slider_values_are_clamped_and_typed),
        cmocka_unit_test(test_doc_has_title_tree_and_html),
        cmocka_unit_test(test_title_set_makes_a_title_op),
        cmocka_unit_test(test_ten_thousand_updates_do_not_grow_the_session),
    };
    return cmocka_run_group_tests(tests, NULL, group_teardown);
}
