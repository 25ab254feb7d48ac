/* A counter that ticks every 100 ms: tests/e2e/live_test.c checks that a session's timers start
   when its page connects (not when the page is rendered). */
#include <pane.h>
#include <stdlib.h>

struct ticks {
    pn_node *number;
    int count;
};

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
}

void pn_app(pn_session *s)
{
    struct ticks *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    pn_template(s, .title = "Ticks");
    t->number = pn_number(s, .name = "Ticks", .value = 0);
    pn_servable(s, t->number);
    pn_every(s, 100, tick, t);
    pn_on_session_destroyed(s, done, t);
}
