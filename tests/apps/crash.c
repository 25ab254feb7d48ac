/* An app that takes its worker down on purpose (tests/e2e/workers_test.c, `pane serve
   --num-procs N`), from each place where pane calls app code:
   - the page shows the pid of the worker that made the session ("pid 12345") and a Number
     "Ticks" that counts every 100 ms once the page has connected (a live session keeps
     receiving patches);
   - Button "Crash": its callback writes through a NULL pointer;
   - Button "Slow": its callback holds its loop for 800 ms (the watchdog's case);
   - Button "Fault in a timer": its callback arms a 50 ms timer that writes through NULL;
   - Button "Fault at the end": its callback relabels it "Armed", and the session's destroy hook
     then writes through NULL;
   - ?crash=1: pn_app itself writes through NULL (a page request, or a socket's hello with that
     query); ?crashkey=1: pn_session_key does (with --reuse-sessions);
   - ?exit=N: pn_app starts a thread that ends the process with _exit(N) 300 ms later, while
     its loop runs no app code.
   The pointer is volatile so that the compiler keeps the store; the supervisor must see SIGSEGV
   (under ASan, with ASAN_OPTIONS=handle_segv=0). */
#include <pane.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct crash {
    pn_node *ticks;
    int count;
    bool crash_at_end;
};

static int *volatile nowhere; /* NULL, read at the moment of the store */

static void segv(void)
{
    *nowhere = 1;
}

static bool asked(const char *v)
{
    return !strcmp(v, "1");
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

static void crash_timer(pn_session *s, void *arg)
{
    (void)s, (void)arg;
    segv();
}

static void crash_later(pn_session *s, pn_node *n, void *arg)
{
    (void)n, (void)arg;
    pn_timeout(s, 50, crash_timer, NULL);
}

static void arm(pn_session *s, pn_node *n, void *arg)
{
    (void)s;
    struct crash *c = arg;
    c->crash_at_end = true;
    pn_button_set_label(n, "Armed");
}

static void done(pn_session *s, void *arg)
{
    (void)s;
    struct crash *c = arg;
    bool crash_now = c->crash_at_end;
    free(c);
    if (crash_now)
        segv();
}

static void *exit_later(void *arg)
{
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL);
    _exit((int)(intptr_t)arg);
}

void pn_session_key(const pn_request *r, pn_key *k)
{
    if (asked(pn_request_arg(r, "crashkey", "0")))
        segv();
    pn_key_add(k, pn_request_arg(r, "crash", "0"));
    pn_key_add(k, pn_request_arg(r, "exit", "0"));
}

void pn_app(pn_session *s)
{
    if (asked(pn_session_arg(s, "crash", "0")))
        segv();
    int code = atoi(pn_session_arg(s, "exit", "0"));
    pthread_t th;
    if (code > 0 && pthread_create(&th, NULL, exit_later, (void *)(intptr_t)code) == 0)
        pthread_detach(th);
    struct crash *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    pn_on_session_destroyed(s, done, c);
    pn_template(s, .title = "Crash");
    pn_servable(s, pn_markdown(s, .text = pn_fmt(s, "pid %ld", (long)getpid())));
    c->ticks = pn_number(s, .name = "Ticks", .value = 0);
    pn_servable(s, c->ticks);
    pn_servable(s, pn_row(s, pn_button(s, .label = "Crash", .on_click = crash),
                          pn_button(s, .label = "Slow", .on_click = slow),
                          pn_button(s, .label = "Fault in a timer", .on_click = crash_later),
                          pn_button(s, .label = "Fault at the end", .on_click = arm, .arg = c)));
    pn_every(s, 100, tick, c);
}
