/* For bench/warm.mjs: an app whose pn_app takes 100 ms (a slow query, a big file read), and
 * whose page is the same for everyone (cached by --reuse-sessions). */
#include <pane.h>
#include <time.h>

void pn_app(pn_session *s)
{
    nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
    pn_template(s, .name = "material", .title = "Slow");
    pn_servable(s, pn_number(s, .name = "Answer", .value = 42));
}
