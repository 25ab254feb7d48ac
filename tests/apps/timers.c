/* Timers whose handles outlive their firing (issue 10, item 1): a pn_timeout that fires, a
   pn_every cancelled in its first run, and a pn_timeout cancelled before it fires. The session
   then ends (sweep, drop, shutdown) holding three stopped timers: tests/e2e/live_test.c churns
   ~200 such sessions and checks pane stays up (on main their records were freed while libuv still
   linked their handles, and the heap broke). "Fired" reaches 2 once both callbacks ran. */
#include <pane.h>
#include <stdlib.h>

struct state {
    pn_node *fired;
    pn_timer *every;
    int runs;
};

static void once(pn_session *s, void *arg)
{
    (void)s;
    struct state *t = arg;
    pn_number_set_value(t->fired, ++t->runs);
}

static void every(pn_session *s, void *arg)
{
    (void)s;
    struct state *t = arg;
    pn_timer_cancel(t->every); /* cancelled in its own callback */
    pn_number_set_value(t->fired, ++t->runs);
}

static void done(pn_session *s, void *arg)
{
    (void)s;
    free(arg);
}

void pn_app(pn_session *s)
{
    struct state *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->fired = pn_number(s, .name = "Fired", .value = 0);
    pn_servable(s, t->fired);
    pn_timeout(s, 1, once, t);
    t->every = pn_every(s, 2, every, t);
    pn_timer_cancel(pn_timeout(s, 60000, once, t));
    pn_on_session_destroyed(s, done, t);
}
