/* An app whose pn_app takes about 200 ms of CPU before it builds its page (tests/e2e/http_test.c:
   the access log must show the time a synchronous handler took, not the loop's cached clock). */
#include <pane.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

void pn_app(pn_session *s)
{
    double end = now_ms() + 200;
    volatile unsigned spin = 0;
    while (now_ms() < end)
        spin++;
    pn_template(s, .title = "Busy");
    pn_servable(s, pn_markdown(s, .text = "done"));
}
