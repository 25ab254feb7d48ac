/* An app that takes its worker down on purpose (tests/e2e/workers_test.c, `pane serve
   --num-procs N`): the page shows the pid of the worker that made the session ("pid 12345"), a
   Number "Ticks" that counts every 100 ms once the page has connected (so a live session keeps
   receiving patches), a Button "Crash" whose callback writes through a NULL pointer, a Button
   "Slow" whose callback holds its loop for 800 ms, and with ?crash=1 pn_app itself writes
   through NULL (a crash in a page request). The pointer is volatile so that the compiler keeps
   the store; the supervisor must see SIGSEGV (under ASan, with ASAN_OPTIONS=handle_segv=0). */
#include <pane.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct crash {
    pn_node *ticks;
    int count;
};

static int *volatile nowhere; /* NULL, read at the moment of the store */

static void segv(void)
{
    *nowhere = 1;
}

static void tick(pn_session *s, void *arg)
{
    (void)s;
    struct crash *c = arg;
    pn_number_set_value(c->ticks, ++c->count);
}

static void crash(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)n, (void)arg;
    segv();
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void slow(pn_session *s, pn_node *n, void *arg)
{
    (void)s, (void)n, (void)arg;
    double end = now_ms() + 800;
    volatile unsigned long spin = 0;
    while (now_ms() < end)
        spin++;
}

static void done(pn_session *s, void *arg)
{
    (void)s;
    free(arg);
}

void pn_app(pn_session *s)
{
    if (!strcmp(pn_session_arg(s, "crash", "0"), "1"))
        segv();
    struct crash *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    pn_on_session_destroyed(s, done, c);
    pn_template(s, .title = "Crash");
    pn_servable(s, pn_markdown(s, .text = pn_fmt(s, "pid %ld", (long)getpid())));
    c->ticks = pn_number(s, .name = "Ticks", .value = 0);
    pn_servable(s, c->ticks);
    pn_servable(s, pn_row(s, pn_button(s, .label = "Crash", .on_click = crash),
                          pn_button(s, .label = "Slow", .on_click = slow)));
    pn_every(s, 100, tick, c);
}
