/* Tutorial step 4: time. A clock with pn_every_now, a pretend job with pn_every that a button
 * starts and cancels, a pn_timeout that calms the alert down, and a destroy hook. */
#include <pane.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct job {
    pn_node *clock, *bar, *spinner, *status, *alert, *start;
    pn_timer *work;  /* the running job's timer, NULL when idle */
    int *history;    /* something of our own on the heap: freed by the destroy hook */
    int runs;
};

static void tick_clock(pn_session *s, void *arg)
{
    struct job *j = arg;
    char now[16];
    time_t t = time(NULL);
    strftime(now, sizeof now, "%H:%M:%S", localtime(&t));
    pn_markdown_set_text(j->clock, pn_fmt(s, "It is **%s** on the server.", now));
}

static void calm(pn_session *s, void *arg) /* a pn_timeout: runs once */
{
    struct job *j = arg;
    pn_alert_set_type(j->alert, "secondary");
    pn_alert_set_text(j->alert, "Idle. Press **Start** again.");
    (void)s;
}

static void finish(pn_session *s, struct job *j, const char *how, const char *type)
{
    pn_timer_cancel(j->work); /* stops it; pane frees it with the session */
    j->work = NULL;
    pn_loading_spinner_set_value(j->spinner, false);
    pn_loading_spinner_set_name(j->spinner, "Idle");
    pn_boolean_status_set_value(j->status, false);
    pn_boolean_status_set_color(j->status, "secondary");
    pn_alert_set_type(j->alert, type);
    pn_alert_set_text(j->alert, pn_fmt(s, "Job %d **%s** at %.0f of %.0f.", j->runs, how,
                                       pn_progress_value(j->bar), 40.0));
    pn_button_set_label(j->start, "Start");
    pn_timeout(s, 3000, calm, j);
}

static void work(pn_session *s, void *arg) /* every 100 ms while the job runs */
{
    struct job *j = arg;
    double v = pn_progress_value(j->bar) + 1;
    pn_progress_set_value(j->bar, v);
    if (v >= 30)
        pn_progress_set_bar_color(j->bar, "warning"); /* nearly there */
    if (v >= 40)
        finish(s, j, "done", "success");
}

static void start_or_cancel(pn_session *s, pn_node *button, void *arg)
{
    struct job *j = arg;
    if (j->work) {
        finish(s, j, "cancelled", "danger");
        return;
    }
    j->history[j->runs++ % 100] = (int)time(NULL);
    pn_progress_set_max(j->bar, 40);
    pn_progress_set_value(j->bar, 0);
    pn_progress_set_bar_color(j->bar, "primary");
    pn_progress_set_name(j->bar, pn_fmt(s, "Job %d", j->runs));
    pn_loading_spinner_set_value(j->spinner, true);
    pn_loading_spinner_set_name(j->spinner, "Working");
    pn_boolean_status_set_color(j->status, "success");
    pn_boolean_status_set_value(j->status, true);
    pn_alert_set_type(j->alert, "info");
    pn_alert_set_text(j->alert, "Working…");
    pn_button_set_label(button, "Cancel");
    j->work = pn_every(s, 100, work, j);
}

static void goodbye(pn_session *s, void *arg) /* the session ended: release what is ours */
{
    struct job *j = arg; /* pn_alloc memory is still there during the hook */
    fprintf(stderr, "04-timers: a session ended after %d jobs\n", j->runs);
    free(j->history);
    (void)s;
}

void pn_app(pn_session *s)
{
    struct job *j = pn_alloc(s, sizeof *j);
    j->history = calloc(100, sizeof *j->history);
    pn_on_session_destroyed(s, goodbye, j);
    pn_template(s, .name = "material", .title = "Timers");
    j->clock = pn_markdown(s, .text = "");
    j->bar = pn_progress(s, .name = "No job yet", .max = 40);
    j->spinner = pn_loading_spinner(s, .name = "Idle", .size = 24);
    j->status = pn_boolean_status(s, .name = "Running", .color = "secondary");
    j->alert = pn_alert(s, .text = "Press **Start**.", .alert_type = "secondary");
    j->start = pn_button(s, .label = "Start", .button_type = "primary",
                         .on_click = start_or_cancel, .arg = j);
    pn_servable(s, pn_card(s, .title = "Clock", .items = PN_ITEMS(j->clock)));
    pn_servable(s, pn_card(s, .title = "Job", .items = PN_ITEMS(
        pn_row(s, j->start, j->spinner, j->status), j->bar, j->alert)));
    pn_every_now(s, 1000, tick_clock, j); /* runs now, so the first page shows the time */
}
