/* bench/feed.sh's server: a program that embeds pane (one loop, --admin) and, between two
 * SIGUSR1 (the load client's --signal-ready: while it records), publishes to one number feed
 * from a thread of its own RATE times a second, the value being the wall-clock ms of the
 * publish; every session of /feed shows it in a Number, so the client's latency mode measures
 * publish -> received, and pane's own stats (/_pane/stats "feeds") publish -> written. On
 * SIGTERM or SIGINT it stops the server and prints the publishes and the encodings made.
 *     feed_embed RATE           prints "pane: serving http://127.0.0.1:PORT/feed" */
#include <pane.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint64_t pn__feed_encodings(void); /* libpane's count, linked statically */

static pn_feed *latency;
static double rate;
static atomic_bool stopping, go;
static atomic_long counted; /* publishes */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void *publish(void *arg)
{
    (void)arg;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    long step = (long)(1e9 / rate);
    while (!atomic_load(&stopping)) {
        next.tv_nsec += step;
        while (next.tv_nsec >= 1000000000L)
            next.tv_nsec -= 1000000000L, next.tv_sec++;
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        if (!atomic_load(&go))
            continue;
        atomic_fetch_add(&counted, 1);
        pn_feed_set(latency, now_ms());
    }
    return NULL;
}

static void app(pn_session *s)
{
    pn_template(s, .title = "Feed");
    pn_servable(s, pn_number(s, .name = "published at", .format = "{value:.3f}", .feed = latency));
}

int main(int argc, char **argv)
{
    rate = argc > 1 ? atof(argv[1]) : 1;
    if (!(rate > 0 && rate <= 1000))
        return fprintf(stderr, "usage: feed_embed RATE (1..1000 a second)\n"), 2;
    sigset_t stop;
    sigemptyset(&stop), sigaddset(&stop, SIGINT), sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    latency = pn_feed_number("latency");
    pn_server *srv = pn_server_start(&(pn_server_options){
        .apps = PN_APPS({.name = "feed", .app = app}), .address = "127.0.0.1",
        .port = PN_ANY_PORT, .unused_session_lifetime_ms = 60000, .admin = true});
    if (!srv)
        return 1;
    pthread_t th;
    pthread_create(&th, NULL, publish, NULL);
    printf("pane: serving %s/feed\n", pn_server_url(srv));
    fflush(stdout);
    int sig;
    while (sigwait(&stop, &sig) == 0 && sig == SIGUSR1)
        atomic_store(&go, !atomic_load(&go));
    atomic_store(&stopping, true);
    pthread_join(th, NULL);
    pn_server_stop(srv);
    fprintf(stderr, "publishes=%ld encodings=%llu\n", atomic_load(&counted),
            (unsigned long long)pn__feed_encodings());
    return 0;
}
