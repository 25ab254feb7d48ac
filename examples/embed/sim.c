/* A program with its own main and a dashboard (sim.cpp: the same in C++): a thread simulates a
 * driven, damped oscillator and publishes its trace and energy to feeds that every tab shows; a
 * Pause button reaches it through an atomic flag.   cc sim.c -o sim <pane's flags> && ./sim */
#include <math.h>
#include <pane.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_bool paused;
static pn_feed *trace, *energy; /* t, x and v; the energy: every tab shows them */

static void *simulate(void *arg)
{
    for (double x = 1, v = 0, t = 0, dt = 0.002;; usleep(20000)) /* 50 frames a second */
        if (!atomic_load(&paused)) {
            for (int i = 0; i < 10; i++, t += dt)
                v += (-x - 0.1 * v + 0.5 * cos(1.3 * t)) * dt, x += v * dt;
            pn_feed_push(trace, t, x, v);
            pn_feed_set(energy, 0.5 * (v * v + x * x));
        }
    return arg;
}

static void pause_or_go(pn_session *s, pn_node *button, void *arg)
{
    atomic_store(&paused, !atomic_load(&paused)); /* the simulation sees it on its next frame */
    pn_button_set_label(button, atomic_load(&paused) ? "Resume" : "Pause");
    (void)s, (void)arg;
}

static void sim_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Oscillator");
    pn_node *e = pn_number(s, .name = "Energy", .format = "{value:.3f} J", .feed = energy);
    pn_node *b = pn_button(s, .label = paused ? "Resume" : "Pause", .on_click = pause_or_go);
    pn_node *p = pn_plot(s, .title = "x and v", .feed = trace, .x_label = "t (s)",
                         .series = PN_SERIES({.label = "x"}, {.label = "v"}));
    pn_servable(s, pn_row(s, pn_card(s, .hide_header = true, .items = PN_ITEMS(e, b)),
                          pn_card(s, .hide_header = true, .items = PN_ITEMS(p))));
}

int main(void)
{
    sigset_t stop;
    sigemptyset(&stop), sigaddset(&stop, SIGINT), sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL); /* every thread: only main waits for them */
    trace = pn_feed_series("trace", 2, 2000), energy = pn_feed_number("energy");
    pthread_t sim;
    pthread_create(&sim, NULL, simulate, NULL);
    pn_server *srv =
        pn_server_start(&(pn_server_options){.apps = PN_APPS({.name = "sim", .app = sim_app})});
    if (!srv) return 1;
    printf("dashboard: %s/sim\n", pn_server_url(srv)), fflush(stdout);
    int sig;
    sigwait(&stop, &sig); /* Ctrl-C or SIGTERM: stop the server; the process ends with it */
    pn_server_stop(srv);
}
