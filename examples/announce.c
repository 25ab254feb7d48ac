/* An announcement every visitor sees, on every machine: the text feed is shared through Redis,
 * so a message posted in a tab served by one pane process reaches the tabs of all of them.
 *     pane serve examples/announce.c --num-procs 4 --redis redis://127.0.0.1:6379
 * (and more machines with the same --redis behind one load balancer: docs/deploy.md). Without
 * --redis it is one process's announcement. */
#include <pane.h>
#include <stdio.h>

static pn_feed *board, *posts;

void pn_app_init(pn_app_ctx *ctx) /* once per process */
{
    (void)ctx;
    pn_feed_redis(board = pn_feed_text("announcement"));
    pn_feed_redis(posts = pn_feed_number("announcements"));
}

static void post(pn_session *s, pn_node *button, void *input)
{
    (void)s, (void)button;
    char md[700];
    snprintf(md, sizeof md, "### %.600s", pn_text_input_value(input));
    pn_feed_set_text(board, md);
    pn_feed_set(posts, pn_feed_get(posts) + 1); /* a count, not a lock: two at once count once */
}

void pn_app(pn_session *s)
{
    pn_template(s, .name = "material", .title = "Announcements");
    pn_node *input = pn_text_input(s, .name = "Message", .placeholder = "Doors close at six");
    pn_servable(s, pn_card(s, .title = "Now", .items = PN_ITEMS(pn_markdown(s, .feed = board))));
    pn_servable(s, pn_row(s,
        pn_card(s, .title = "Post", .items = PN_ITEMS(input,
                   pn_button(s, .label = "Announce", .button_type = "primary", .on_click = post,
                             .arg = input))),
        pn_card(s, .hide_header = true,
                .items = PN_ITEMS(pn_number(s, .name = "Posted", .feed = posts)))));
}
