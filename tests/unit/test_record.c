/*
 * test_record: the record a supervisor reads its workers from (base/record.c). Notes are
 * written around app code and read by another process: a forked child's note is what the
 * parent reads after the child died in the middle of "app code"; nested entries keep the
 * outer note; a note is cleared on leave; descriptions name the entry point; a slot released
 * is clean for the next worker; counters published are read back whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/base.h"
#include "base/record.h"

static void test_note_survives_the_writer(void **state)
{
    (void)state;
    struct pn_record *r = pn__record_new(2, 3);
    assert_non_null(r);
    assert_int_equal(pn__record_slots(r), 2);
    assert_int_equal(pn__record_loops(r), 3);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        pn__record_use(r, 1);
        pn__record_bind_thread(2);
        pn__entry_enter(PN_ENTRY_CALLBACK, "crash", 7, "session %016llx", 0x5c1eULL);
        _exit(0); /* "dies" inside app code: the note stays */
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    pn__record_claim(r, 1, pid, 2);
    int worker;
    assert_int_equal(pn__record_pid(r, 1, &worker), pid);
    assert_int_equal(worker, 2);
    struct pn_note n;
    assert_true(pn__note_read(pn__record_line(r, 1, 2), &n));
    assert_int_equal(n.kind, PN_ENTRY_CALLBACK);
    assert_int_equal(n.node, 7);
    assert_string_equal(n.app, "crash");
    char what[300];
    pn__note_describe(&n, what, sizeof what);
    assert_string_equal(what, "callback of node 7 (session 0000000000005c1e)");
    assert_true(atomic_load(&pn__record_line(r, 1, 2)->used));
    /* the other lines were never written */
    assert_true(pn__note_read(pn__record_line(r, 1, 0), &n));
    assert_int_equal(n.kind, PN_ENTRY_NONE);
    assert_true(pn__note_read(pn__record_line(r, 0, 2), &n));
    assert_int_equal(n.kind, PN_ENTRY_NONE);
    /* released: clean for the next worker */
    pn__record_release(r, 1);
    assert_int_equal(pn__record_pid(r, 1, NULL), 0);
    assert_true(pn__note_read(pn__record_line(r, 1, 2), &n));
    assert_int_equal(n.kind, PN_ENTRY_NONE);
    assert_false(atomic_load(&pn__record_line(r, 1, 2)->used));
}

static void test_nesting_and_leave(void **state)
{
    (void)state;
    struct pn_record *r = pn__record_new(1, 1);
    assert_non_null(r);
    pn__record_use(r, 0);
    pn__record_bind_thread(0);
    struct pn_record_line *l = pn__record_line(r, 0, 0);
    struct pn_note n;
    pn__entry_enter(PN_ENTRY_TIMER, "ticks", 0, "session %s", "ab");
    pn__entry_enter(PN_ENTRY_DESTROY, "other", 0, "a session's end"); /* inner: ignored */
    assert_true(pn__note_read(l, &n));
    assert_int_equal(n.kind, PN_ENTRY_TIMER);
    assert_string_equal(n.app, "ticks");
    pn__entry_leave();
    assert_true(pn__note_read(l, &n));
    assert_int_equal(n.kind, PN_ENTRY_TIMER); /* still inside the outer one */
    pn__entry_leave();
    assert_true(pn__note_read(l, &n));
    assert_int_equal(n.kind, PN_ENTRY_NONE);
    pn__entry_leave(); /* unbalanced: nothing happens */
    assert_true(pn__note_read(l, &n));
    assert_int_equal(n.kind, PN_ENTRY_NONE);
    /* the sequence number moved on every write: odd never stays */
    assert_int_equal(atomic_load(&l->note_seq) % 2, 0);
    pn__record_use(NULL, 0);
    pn__record_bind_thread(0);
}

static void test_long_strings_are_cut(void **state)
{
    (void)state;
    struct pn_record *r = pn__record_new(1, 1);
    assert_non_null(r);
    pn__record_use(r, 0);
    pn__record_bind_thread(0);
    char url[1000];
    memset(url, 'x', sizeof url - 1);
    url[sizeof url - 1] = '\0';
    char app[200];
    memset(app, 'a', sizeof app - 1);
    app[sizeof app - 1] = '\0';
    pn__entry_enter(PN_ENTRY_APP, app, 0, "request \"GET /%s\"", url);
    struct pn_note n;
    assert_true(pn__note_read(pn__record_line(r, 0, 0), &n));
    assert_int_equal(strlen(n.app), sizeof n.app - 1);
    assert_int_equal(strlen(n.what), sizeof n.what - 1);
    char what[300];
    pn__note_describe(&n, what, sizeof what);
    assert_memory_equal(what, "pn_app for request \"GET /xxx", 28);
    pn__entry_leave();
    pn__record_use(NULL, 0);
    pn__record_bind_thread(0);
}

static void test_describe_every_kind(void **state)
{
    (void)state;
    struct pn_note n = {.kind = PN_ENTRY_KEY, .app = "w", .what = "request \"GET /w\""};
    char out[300];
    pn__note_describe(&n, out, sizeof out);
    assert_string_equal(out, "pn_session_key for request \"GET /w\"");
    n.kind = PN_ENTRY_TIMER;
    snprintf(n.what, sizeof n.what, "session 01");
    pn__note_describe(&n, out, sizeof out);
    assert_string_equal(out, "a timer (session 01)");
    n.kind = PN_ENTRY_DESTROY;
    pn__note_describe(&n, out, sizeof out);
    assert_string_equal(out, "a destroy hook (session 01)");
    n.kind = PN_ENTRY_APP;
    pn__note_describe(&n, out, sizeof out);
    assert_string_equal(out, "pn_app (session 01)");
}

static void test_without_a_record(void **state)
{
    (void)state;
    pn__record_use(NULL, 0);
    pn__record_bind_thread(0);
    int slot = -1;
    assert_null(pn__record_current(&slot));
    /* notes go to the thread's own line: harmless */
    pn__entry_enter(PN_ENTRY_CALLBACK, "x", 1, "session %d", 1);
    pn__entry_leave();
}

static void test_stats_round_trip(void **state)
{
    (void)state;
    struct pn_record *r = pn__record_new(1, 2);
    assert_non_null(r);
    struct pn_loop_stats st = {.hits = 5, .misses = 1, .created = 3, .dropped = 9}, back;
    pn__stats_publish(pn__record_line(r, 0, 1), &st);
    pn__stats_read(pn__record_line(r, 0, 1), &back);
    assert_memory_equal(&st, &back, sizeof st);
    pn__stats_read(pn__record_line(r, 0, 0), &back);
    assert_int_equal(back.hits, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_note_survives_the_writer),
        cmocka_unit_test(test_nesting_and_leave),
        cmocka_unit_test(test_long_strings_are_cut),
        cmocka_unit_test(test_describe_every_kind),
        cmocka_unit_test(test_without_a_record),
        cmocka_unit_test(test_stats_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
