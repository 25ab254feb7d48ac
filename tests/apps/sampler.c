/* What a user tries first for a sampler thread (issue 10, item 17): pn_app starts a thread that
   calls a setter. Until a thread-safe post exists the call is refused, and the log names the
   line of the call (SAMPLER_SET_LINE, checked by tests/e2e/live_test.c). pn_app waits for the
   thread, so the page shows whether the setter changed anything: it must still show 0. */
#include <pane.h>
#include <pthread.h>
#include <stdlib.h>

static void *sample(void *arg)
{
    pn_node *n = arg;
    pn_number_set_value(n, 42); /* SAMPLER_SET_LINE: keep this on line 12 */
    return NULL;
}

void pn_app(pn_session *s)
{
    pn_node *n = pn_number(s, .name = "Sample", .value = 0);
    pn_servable(s, n);
    pthread_t t;
    if (pthread_create(&t, NULL, sample, n) == 0)
        pthread_join(t, NULL);
}
