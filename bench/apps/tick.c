/* bench/sessions.sh's latency app: a Number set every second to the wall-clock time (ms, with
   the fraction) at which its pn_every callback ran; the load client subtracts it from the time
   the patch arrives. */
#include <pane.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void tick(pn_session *s, void *n)
{
    (void)s;
    pn_number_set_value(n, now_ms());
}

void pn_app(pn_session *s)
{
    pn_template(s, .title = "Tick");
    pn_node *n = pn_number(s, .name = "Sent at (ms)", .value = now_ms());
    pn_servable(s, n);
    pn_every(s, 1000, tick, n);
}
