/* A program with its own main and a dashboard: a simulation thread steps a driven, damped
 * oscillator and publishes its trace to a feed; every tab shows the trace live, the energy, and
 * a Pause button whose callback reaches the simulation through an atomic flag.
 *     cc sim.c -o sim <pane's flags> && ./sim      then open the URL it prints */
#include <math.h>
#include <pane.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_bool paused;
static _Atomic double energy; /* written by the simulation, read by the tabs' timers */
static pn_feed *trace;        /* t, x and v: every tab's plot shows it */

static void *simulate(void *arg)
{
    double x = 1, v = 0, t = 0, dt = 0.002;
    for ((void)arg;; usleep(20000)) /* 50 frames a second */
        if (!atomic_load(&paused)) {
            for (int i = 0; i < 10; i++, t += dt)
                v += (-x - 0.1 * v + 0.5 * cos(1.3 * t)) * dt, x += v * dt;
            atomic_store(&energy, 0.5 * (v * v + x * x));
            pn_feed_push(trace, t, x, v);
        }
    return NULL;
}

static void show(pn_session *s, void *n) { (void)s, pn_number_set_value(n, atomic_load(&energy)); }

static void pause_or_go(pn_session *s, pn_node *button, void *arg)
{
    bool now = !atomic_load(&paused); /* the simulation sees it on its next frame */
    atomic_store(&paused, now);
    pn_button_set_label(button, now ? "Resume" : "Pause");
    (void)s, (void)arg;
}

static void sim_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Oscillator");
    pn_node *e = pn_number(s, .name = "Energy", .format = "{value:.3f} J", .value = energy);
    pn_servable(s, pn_row(s, pn_card(s, .hide_header = true, .items = PN_ITEMS(e,
        pn_button(s, .label = atomic_load(&paused) ? "Resume" : "Pause", .on_click = pause_or_go))),
        pn_card(s, .hide_header = true, .items = PN_ITEMS(pn_plot(s, .title = "x and v",
            .feed = trace, .x_label = "t (s)",
            .series = PN_SERIES({.label = "x"}, {.label = "v"}))))));
    pn_every(s, 200, show, e);
}

int main(void)
{
    sigset_t stop;
    sigemptyset(&stop), sigaddset(&stop, SIGINT), sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread: only main waits for them */
    trace = pn_feed_series("trace", 2, 2000);
    pthread_t sim;
    pthread_create(&sim, NULL, simulate, NULL);
    pn_server *srv =
        pn_server_start(&(pn_server_options){.apps = PN_APPS({.name = "sim", .app = sim_app})});
    if (!srv) return 1;
    printf("dashboard: %s/sim\n", pn_server_url(srv));
    fflush(stdout);
    int sig;
    sigwait(&stop, &sig); /* Ctrl-C or SIGTERM: stop the server; the process ends with it */
    pn_server_stop(srv);
    return 0;
}
