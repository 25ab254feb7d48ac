/* Number and text feeds for tests/browser/feeds.test.mjs: every tab shows number feed "count"
 * in two Numbers (one with colours) and text feed "note" in a Markdown. A thread of the app
 * (started by pn_app_init) publishes 1..300 to "count", 100 a second, and "**step N**" to
 * "note" every 50th, once a tab's Start button has been clicked (the callback reaches the
 * thread through an atomic flag); Start again publishes 301..600, and so on. */
#include <pane.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static pn_feed *count, *note;
static atomic_int rounds_asked;
static atomic_bool stopping;
static pthread_t publisher;

static void *publish(void *arg)
{
    (void)arg;
    for (int done = 0, v = 0; !atomic_load(&stopping); usleep(5000))
        for (; done < atomic_load(&rounds_asked) && !atomic_load(&stopping); done++)
            for (int i = 0; i < 300; i++) {
                pn_feed_set(count, ++v);
                if (v % 50 == 0) {
                    char md[64];
                    snprintf(md, sizeof md, "**step %d**", v);
                    pn_feed_set_text(note, md);
                }
                usleep(10000);
            }
    return NULL;
}

void pn_app_init(pn_app_ctx *ctx)
{
    (void)ctx;
    count = pn_feed_number("count");
    note = pn_feed_text("note");
    pn_feed_set_text(note, "*waiting*");
    pthread_create(&publisher, NULL, publish, NULL);
}

void pn_app_cleanup(pn_app_ctx *ctx)
{
    (void)ctx;
    atomic_store(&stopping, true);
    pthread_join(publisher, NULL);
}

static void start(pn_session *s, pn_node *button, void *arg)
{
    (void)s, (void)button, (void)arg;
    atomic_fetch_add(&rounds_asked, 1);
}

void pn_app(pn_session *s)
{
    pn_template(s, .title = "Values");
    pn_servable(s, pn_card(s, .title = "Shared values", .items = PN_ITEMS(
        pn_number(s, .name = "Count", .format = "{value:.0f}", .feed = count),
        pn_number(s, .name = "Level", .format = "{value:.0f} %", .feed = count,
                  .colors = PN_COLORS({150, "#1e88e5"}, {1e9, "#e53935"})),
        pn_markdown(s, .feed = note),
        pn_button(s, .label = "Start", .on_click = start))));
}
