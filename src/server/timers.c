/*
 * timers: pn_every, pn_every_now, pn_timeout and pn_timer_cancel (pane.h) on a live session's
 * loop.
 *
 * Lifetimes. A timer is a uv_timer_t inside a small record owned by its session. The record
 * and its handle live until the session ends, even once the timer has fired (pn_timeout) or
 * been cancelled: the app may still hold the pointer, and a late pn_timer_cancel must be safe.
 * Stopping a timer only stops it; its handle stays open. When the session ends every handle is
 * closed with uv_close, and the record is freed in the close callback, never before (libuv
 * keeps an open handle in the loop's handle queue: freeing it there corrupts the heap). Each
 * open handle holds a reference on the session (pn__live_ref), so the session's memory
 * outlives its handles' close callbacks (pn__live_unref frees it after the last).
 *
 * Timers made before the session's first socket attached start when it attaches
 * (pn__timers_start): a page nobody opens runs none. pn_every_now's first run is not the
 * timer's: it runs at once, as a callback (what it asks pn_fmt for does not outlast it), inside
 * whatever called it (pn_app: the page rendered next shows it; a callback: its patch).
 */
#include <stdlib.h>

#include "base/record.h"
#include "server/live.h"

struct pn_timer {
    uv_timer_t t;
    struct pn_live *live;
    pn_timer_fn fn;
    void *arg;
    unsigned ms;
    bool repeat;
    bool stopped; /* fired (pn_timeout) or cancelled: never started again */
    struct pn_timer *next;
};

static void on_app_timer(uv_timer_t *t)
{
    struct pn_timer *tm = t->data;
    struct pn_live *live = tm->live;
    if (!tm->repeat)
        tm->stopped = true; /* libuv has stopped it; it stays listed so a late cancel is safe */
    pn__live_run_begin(live);
    pn__entry_enter(PN_ENTRY_TIMER, live->app->name, 0, "session %016llx",
                    (unsigned long long)live->sid);
    tm->fn(live->s, tm->arg);
    pn__entry_leave();
    pn__live_run_end(live);
}

static void timer_start(struct pn_timer *tm)
{
    uv_timer_start(&tm->t, on_app_timer, tm->ms, tm->repeat ? tm->ms : 0);
}

void pn__timers_start(struct pn_live *live)
{
    for (struct pn_timer *tm = live->timers; tm; tm = tm->next)
        if (!tm->stopped)
            timer_start(tm);
}

static void on_timer_closed(uv_handle_t *h)
{
    struct pn_timer *tm = h->data;
    struct pn_live *live = tm->live;
    free(tm);
    pn__live_unref(live);
}

void pn__timers_close(struct pn_live *live)
{
    struct pn_timer *list = live->timers;
    live->timers = NULL;
    for (struct pn_timer *tm = list, *next; tm; tm = next) {
        next = tm->next;
        tm->stopped = true;
        uv_close((uv_handle_t *)&tm->t, on_timer_closed); /* stops it too */
    }
}

/* Made now, started now if the session has had a socket, else when its first one attaches. */
static pn_timer *timer_new(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg, bool repeat,
                           pn_here here, const char *api)
{
    if (!s || !pn__session_owned(s, here, api))
        return NULL;
    struct pn_live *live = s->live;
    if (!live || !fn)
        return NULL; /* a page-only session (the reuse cache) runs no timers */
    if (live->destroying) {
        pn__session_misuse(s, here, "%s while the session ends: ignored", api);
        return NULL;
    }
    struct pn_timer *tm = pn__xcalloc(1, sizeof *tm);
    tm->live = live;
    tm->fn = fn;
    tm->arg = arg;
    tm->repeat = repeat;
    uv_timer_init(live->tab->loop, &tm->t);
    tm->t.data = tm;
    pn__live_ref(live); /* dropped in on_timer_closed */
    tm->ms = ms ? ms : 1;
    if (live->connected_once)
        timer_start(tm);
    tm->next = live->timers;
    live->timers = tm;
    return tm;
}

pn_timer *pn_every_at(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg, pn_here here)
{
    return timer_new(s, ms, fn, arg, true, here, "pn_every");
}

pn_timer *pn_every_now_at(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg, pn_here here)
{
    if (!s || !pn__session_owned(s, here, "pn_every_now") || !fn)
        return NULL;
    if (s->ended) {
        pn__session_misuse(s, here, "pn_every_now while the session ends: ignored");
        return NULL;
    }
    pn__session_enter(s);
    fn(s, arg);
    pn__session_leave(s);
    return timer_new(s, ms, fn, arg, true, here, "pn_every_now");
}

pn_timer *pn_timeout_at(pn_session *s, unsigned ms, pn_timer_fn fn, void *arg, pn_here here)
{
    return timer_new(s, ms, fn, arg, false, here, "pn_timeout");
}

void pn_timer_cancel_at(pn_timer *t, pn_here here)
{
    if (!t || !pn__session_owned(t->live->s, here, "pn_timer_cancel"))
        return;
    if (!t->stopped) {
        t->stopped = true;
        uv_timer_stop(&t->t);
    }
}
