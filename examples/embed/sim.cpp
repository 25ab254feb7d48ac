// sim.c in C++: a program with its own main and a dashboard. A thread simulates a driven, damped
// oscillator and publishes its trace and energy to feeds that every tab shows; a Pause button
// reaches it through an atomic flag. Builders are written as in C, their fields in order.
//     c++ -std=c++20 sim.cpp -o sim <pane's flags> && ./sim      then open the URL it prints
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <pane.h>
#include <pthread.h>
#include <thread>

static std::atomic<bool> paused;
static pn_feed *trace = pn_feed_series("trace", 2, 2000); // t, x and v: every tab's plot
static pn_feed *energy = pn_feed_number("energy");        // every tab's Energy

static void simulate(std::stop_token token) // 50 frames a second, until main returns
{
    double x = 1, v = 0, t = 0, dt = 0.002;
    for (; !token.stop_requested(); std::this_thread::sleep_for(std::chrono::milliseconds(20)))
        if (!paused) {
            for (int i = 0; i < 10; i++, t += dt)
                v += (-x - 0.1 * v + 0.5 * std::cos(1.3 * t)) * dt, x += v * dt;
            pn_feed_push(trace, t, x, v);
            pn_feed_set(energy, 0.5 * (v * v + x * x));
        }
}

static void pause_or_go(pn_session *, pn_node *button, void *)
{
    paused = !paused; // the simulation sees it on its next frame
    pn_button_set_label(button, paused ? "Resume" : "Pause");
}

static void sim_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Oscillator");
    pn_node *e = pn_number(s, .name = "Energy", .format = "{value:.3f} J", .feed = energy);
    pn_node *b = pn_button(s, .label = paused ? "Resume" : "Pause", .on_click = pause_or_go);
    pn_node *p = pn_plot(s, .title = "x and v", .series = PN_SERIES({.label = "x"}, {.label = "v"}),
                         .x_label = "t (s)", .feed = trace);
    pn_servable(s, pn_row(s, pn_card(s, .items = PN_ITEMS(e, b), .hide_header = true),
                          pn_card(s, .items = PN_ITEMS(p), .hide_header = true)));
}

int main()
{
    sigset_t stop;
    sigemptyset(&stop), sigaddset(&stop, SIGINT), sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr); // every thread: only main waits for them
    std::jthread sim(simulate);                   // stopped and joined when main returns
    // the options in the call: PN_APPS's array lives until the end of the statement
    pn_server *srv = pn_server_start({.apps = PN_APPS({.name = "sim", .app = sim_app})});
    if (!srv) return 1;
    std::printf("dashboard: %s/sim\n", pn_server_url(srv)), std::fflush(stdout);
    int sig;
    sigwait(&stop, &sig); // Ctrl-C or SIGTERM: stop the server, then the simulation
    pn_server_stop(srv);
}
