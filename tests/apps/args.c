/* For tests/e2e/cli_test.c: pn_app_init logs the arguments `pane serve … --args …` gave it;
 * the page shows how many there were. */
#include <pane.h>
#include <stdio.h>

static int count;

void pn_app_init(pn_app_ctx *ctx)
{
    count = ctx->argc;
    fprintf(stderr, "args app: argc %d:", ctx->argc);
    for (int i = 1; i < ctx->argc; i++)
        fprintf(stderr, " [%s]", ctx->argv[i]);
    fprintf(stderr, "\n");
}

void pn_app(pn_session *s)
{
    pn_servable(s, pn_number(s, .name = "Arguments", .value = count));
}
