/*
 * test_panes: the panes and indicators (src/kinds/divider.c, spacer.c, progress.c, …) beyond
 * their markup (goldens are in test_render): what their builders refuse, at the app's line; what
 * their setters accept, adjust or refuse; and what their patches carry.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kinds/kinds.h"

static pn_session *new_session(void)
{
    return pn__session_new(&(struct pn_session_init){.app_name = "t"});
}

/* The latest misuse (the list is most recent last: walk to the end). */
static const struct pn_misuse *last_misuse(pn_session *s)
{
    const struct pn_misuse *m = s->misuse;
    while (m && m->next)
        m = m->next;
    return m;
}

/* Asserts one more misuse than *count was recorded, at line of this file, containing text. */
static void assert_misuse_at(pn_session *s, unsigned *count, int line, const char *text)
{
    assert_int_equal(s->nmisuse, ++*count);
    const struct pn_misuse *m = last_misuse(s);
    assert_non_null(m);
    if (!strstr(m->msg, text))
        fail_msg("misuse \"%s\", want it to contain \"%s\"", m->msg, text);
    assert_non_null(strstr(m->here.file, "test_panes.c"));
    assert_int_equal(m->here.line, line);
}

/* The node's HTML. */
static char *html_of(const pn_node *n)
{
    struct pn_buf b;
    pn__buf_init(&b, 1 << 22);
    assert_int_equal(pn__render_node(&b, n), 0);
    return pn__buf_steal(&b, NULL);
}

static bool html_has(const pn_node *n, const char *text)
{
    char *h = html_of(n);
    bool has = strstr(h, text) != NULL;
    if (!has)
        print_error("want %s in %s\n", text, h);
    free(h);
    return has;
}

/* The changes of node n in the session's next patch (a new reference; NULL: none). */
static json_t *changes_of(pn_session *s, const pn_node *n)
{
    json_t *ops = json_array(), *found = NULL;
    assert_int_equal(pn__doc_patch_ops(s, ops), 0);
    size_t i;
    json_t *op;
    json_array_foreach(ops, i, op)
    {
        if (json_is_integer(json_array_get(op, 0)) &&
            json_integer_value(json_array_get(op, 0)) == (json_int_t)n->id)
            found = json_incref(json_array_get(op, 1));
    }
    json_decref(ops);
    return found;
}

static void test_divider_and_spacer_check_their_options(void **state)
{
    (void)state;
    pn_session *s = new_session();
    unsigned m = 0;
    pn_node *d = pn_divider(s, .color = "red;background:url(x)");
    assert_misuse_at(s, &m, __LINE__ - 1, "Divider.color");
    assert_false(html_has(d, "style="));
    pn_node *sp = pn_spacer(s, .width = -5, .height = 30);
    assert_misuse_at(s, &m, __LINE__ - 1, "Spacer.width");
    assert_true(html_has(sp, "pn-spacer pn-spacer-flex"));
    assert_true(html_has(sp, "style=\"height:30px;\""));
    pn_spacer(s, .height = 100001);
    assert_misuse_at(s, &m, __LINE__ - 1, "Spacer.height");
    assert_null(changes_of(s, d)); /* nothing to patch: neither has a setter */
    pn__session_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_divider_and_spacer_check_their_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
