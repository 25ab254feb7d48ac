/* Every pane and indicator once (tests/browser/panes.test.mjs): Divider, Spacer, Progress,
   LoadingSpinner, BooleanStatus, Alert, Str and JSON. The "Advance" button changes them from
   the app: the upload goes 25 points further, the spinner stops, the dots flip, the alert and
   the text say which step it is. */
#include <pane.h>
#include <stdlib.h>

struct panes {
    pn_node *upload, *spinner, *db, *cache, *status, *log, *json, *trend, *gauge;
    int step;
};

static void advance(pn_session *s, pn_node *button, void *arg)
{
    (void)s, (void)button;
    struct panes *p = arg;
    p->step++;
    pn_progress_set_value(p->upload, pn_progress_value(p->upload) + 25);
    pn_loading_spinner_set_value(p->spinner, false);
    pn_loading_spinner_set_name(p->spinner, "Fetched");
    pn_boolean_status_set_value(p->db, p->step % 2 == 0);
    pn_boolean_status_set_value(p->cache, p->step % 2 == 1);
    pn_alert_set_text(p->status, pn_fmt(s, "Step **%d** done: upload at %g %%", p->step,
                                        pn_progress_value(p->upload)));
    pn_alert_set_type(p->status, pn_progress_value(p->upload) >= 100 ? "success" : "info");
    pn_json_set_text(p->json, pn_fmt(s, "{\"step\": %d, \"upload\": {\"percent\": %g, "
                                        "\"done\": %s}, \"tags\": [\"a\", \"b\"]}",
                                        p->step, pn_progress_value(p->upload),
                                        pn_progress_value(p->upload) >= 100 ? "true" : "false"));
    pn_trend_push(p->trend, 17 + 4 * p->step);
    pn_gauge_set_value(p->gauge, p->step < 3 ? 42 + 20 * p->step : 97);
    pn_pre_set_text(p->log, pn_fmt(s, "%s\n%4d  %5.1f  <ok>", pn_pre_text(p->log), p->step,
                                   pn_progress_value(p->upload)));
}

static void done(pn_session *s, void *arg)
{
    (void)s;
    free(arg);
}

void pn_app(pn_session *s)
{
    struct panes *p = calloc(1, sizeof *p);
    if (!p)
        return;
    pn_on_session_destroyed(s, done, p);
    pn_template(s, .name = "material", .title = "Panes");

    p->upload = pn_progress(s, .name = "Upload", .value = 40);
    pn_node *progress = pn_card(s, .title = "Progress", .items = PN_ITEMS(
        p->upload,
        pn_progress(s, .name = "Disk", .value = 75, .bar_color = "success"),
        pn_progress(s, .name = "Quota", .value = 9, .max = 10, .bar_color = "danger"),
        pn_progress(s, .name = "Waiting", .value = -1, .bar_color = "info"),
        pn_spacer(s, .height = 4),
        pn_button(s, .label = "Advance", .button_type = "primary", .on_click = advance,
                  .arg = p)));

    p->spinner = pn_loading_spinner(s, .name = "Fetching", .value = true);
    p->db = pn_boolean_status(s, .name = "Database", .value = true, .color = "success");
    p->cache = pn_boolean_status(s, .name = "Cache", .color = "warning");
    pn_node *indicators = pn_card(s, .title = "Indicators", .items = PN_ITEMS(
        pn_row(s, p->spinner, pn_loading_spinner(s, .name = "Idle", .color = "secondary")),
        pn_divider(s),
        pn_row(s, p->db, p->cache,
               pn_boolean_status(s, .name = "Queue", .value = true, .color = "danger"))));

    static const double rate[] = {12, 14, 13, 15, 14, 16, 15, 18, 17, 19, 21, 20, 17};
    p->trend = pn_trend(s, .name = "Requests", .data = rate, .n = sizeof rate / sizeof *rate,
                        .format = "{value:.1f}/s", .rollover = 30);
    pn_node *errors = pn_trend(s, .name = "Errors", .data = (const double[]){9, 7, 8, 5, 6, 4, 3},
                               .n = 7);
    p->gauge = pn_gauge(s, .name = "CPU", .value = 42, .format = "{value}%",
                        .colors = PN_COLORS({60, "#2e7d32"}, {85, "#ed6c02"}, {1e9, "#c62828"}));
    pn_node *gauges = pn_card(s, .title = "Trend and gauge", .items = PN_ITEMS(
        pn_row(s, p->trend, errors), pn_divider(s), pn_row(s, p->gauge,
        pn_gauge(s, .name = "Memory", .value = 7.5, .min = 0, .max = 16,
                 .format = "{value:.1f} GB"))));
    pn_servable(s, pn_row(s, progress, indicators, gauges));

    p->status = pn_alert(s, .text = "Press **Advance** to start.", .alert_type = "info");
    pn_node *alerts = pn_card(s, .title = "Alerts", .items = PN_ITEMS(
        p->status,
        pn_alert(s, .text = "Backups are **on** for this project.", .alert_type = "success"),
        pn_alert(s, .text = "Disk is *almost* full: `/var` at 92 %.", .alert_type = "warning"),
        pn_alert(s, .text = "Two jobs **failed**; see the log. <b>raw</b> stays text.",
                 .alert_type = "danger")));
    p->log = pn_pre(s, .text = "step  upload  state\n   0   40.0  <start>");
    p->json = pn_json(s, .json = "{\"step\": 0, \"upload\": {\"percent\": 40, \"done\": false},"
                                 " \"tags\": [\"a\", \"b\"]}");
    pn_node *config = pn_json(s, .json = "{\"city\": \"Berlin\", \"units\": \"metric\", "
                                         "\"sensors\": [{\"id\": 1, \"name\": \"roof\", "
                                         "\"offset\": -0.5}, {\"id\": 2, \"name\": \"cellar\","
                                         " \"offset\": null}], \"retries\": 3, "
                                         "\"debug\": false}", .depth = 2);
    pn_node *text = pn_card(s, .title = "Text", .items = PN_ITEMS(p->log, p->json, config));
    pn_servable(s, pn_row(s, alerts, text));
}
