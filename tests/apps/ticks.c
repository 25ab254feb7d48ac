/* A counter that ticks every 100 ms: tests/e2e/live_test.c checks that a session's timers start
   when its page connects (not when the page is rendered), and that every session that ran pn_app
   frees its state in its destroy hook — page-only ones too (--reuse-sessions with distinct keys,
   --warm): "Held" shows how many sessions' states were allocated and not yet freed when the page
   was built (1, its own), and LeakSanitizer fails the asan run on any that is never freed. */
#include <pane.h>
#include <stdatomic.h>
#include <stdlib.h>

struct ticks {
    pn_node *number;
    int count;
};

static atomic_long held;

static void tick(pn_session *s, void *arg)
{
    (void)s;
    struct ticks *t = arg;
    pn_number_set_value(t->number, ++t->count);
}

static void done(pn_session *s, void *arg)
{
    (void)s;
    free(arg);
    atomic_fetch_sub(&held, 1);
}

void pn_app(pn_session *s)
{
    struct ticks *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    long now = atomic_fetch_add(&held, 1) + 1;
    pn_template(s, .title = "Ticks");
    t->number = pn_number(s, .name = "Ticks", .value = 0);
    pn_servable(s, t->number);
    pn_servable(s, pn_number(s, .name = "Held", .value = (double)now));
    pn_every(s, 100, tick, t);
    pn_on_session_destroyed(s, done, t);
}
