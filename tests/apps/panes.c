/* Every pane and indicator once (tests/browser/panes.test.mjs): Divider, Spacer, Progress,
   LoadingSpinner, BooleanStatus, Alert, Str, JSON and Image. The "Advance" button changes them
   from the app: the upload goes 25 points further, the spinner stops, the dots flip, the alert
   and the text say which step it is. "Repaint" draws another PNG in C and shows it. */
#include <pane.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct panes {
    pn_node *upload, *spinner, *db, *cache, *status, *log, *json, *trend, *gauge, *picture;
    int step, paints;
};

/* ---- a PNG drawn in C: RGB, its rows stored in one uncompressed deflate block ---- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c >> 1 ^ (0xedb88320u & (0u - (c & 1)));
    }
    return ~c;
}

static unsigned char *put32(unsigned char *o, uint32_t v)
{
    o[0] = (unsigned char)(v >> 24), o[1] = (unsigned char)(v >> 16);
    o[2] = (unsigned char)(v >> 8), o[3] = (unsigned char)v;
    return o + 4;
}

/* A chunk of type t with n bytes of data at o + 8 (already there): its length and CRC. */
static unsigned char *chunk(unsigned char *o, const char *t, size_t n)
{
    put32(o, (uint32_t)n);
    memcpy(o + 4, t, 4);
    return put32(o + 8 + n, crc32_of(o + 4, n + 4));
}

/* w×h (w * h * 3 + h at most 65535 bytes) bars of colour rgb on white, into out (big enough:
 * 100 + 65535 bytes); returns the PNG's length. */
static size_t draw_png(unsigned char *out, int w, int h, uint32_t rgb, int seed)
{
    unsigned char *o = out;
    memcpy(o, "\x89PNG\r\n\x1a\n", 8);
    o += 8;
    unsigned char *d = o + 8;
    d = put32(d, (uint32_t)w), d = put32(d, (uint32_t)h);
    memcpy(d, "\x08\x02\x00\x00\x00", 5); /* 8 bits, RGB */
    o = chunk(o, "IHDR", 13);
    size_t raw = (size_t)h * (1 + 3 * (size_t)w);
    unsigned char *z = o + 8, *r = z + 7;
    z[0] = 0x78, z[1] = 0x01;                         /* zlib, no dictionary */
    z[2] = 1;                                          /* the last block, stored */
    z[3] = (unsigned char)raw, z[4] = (unsigned char)(raw >> 8);
    z[5] = (unsigned char)~raw, z[6] = (unsigned char)(~raw >> 8);
    uint32_t a = 1, b = 0;
    for (int y = 0; y < h; y++) {
        *r++ = 0; /* no filter */
        for (int x = 0; x < w; x++) {
            int bar = x / 8, top = h - 4 - (bar * 7 + seed * 5) % (h - 6);
            bool on = x % 8 < 6 && y >= top && y < h - 2;
            for (int c = 0; c < 3; c++)
                *r++ = on ? (unsigned char)(rgb >> (16 - 8 * c)) : 0xff;
        }
    }
    for (unsigned char *p = z + 7; p < r; p++)
        a = (a + *p) % 65521, b = (b + a) % 65521;
    put32(r, b << 16 | a);
    o = chunk(o, "IDAT", 7 + raw + 4);
    return (size_t)(chunk(o, "IEND", 0) - out);
}

static void repaint(pn_session *s, pn_node *button, void *arg)
{
    (void)button;
    struct panes *p = arg;
    static const uint32_t colours[] = {0x0072b5, 0x2e7d32, 0xed6c02, 0xc62828};
    unsigned char *png = malloc(100 + 65535);
    if (!png)
        return;
    p->paints++;
    size_t n = draw_png(png, 96 + 16 * (p->paints % 4), 48, colours[p->paints % 4], p->paints);
    pn_image_set(p->picture, png, n); /* copied: the buffer is ours to free */
    free(png);
    pn_image_set_alt(p->picture, pn_fmt(s, "Bars, painted %d times", p->paints));
    pn_image_set_caption(p->picture, pn_fmt(s, "Painted in C, %d", p->paints));
}

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

    unsigned char *png = malloc(100 + 65535);
    if (!png)
        return;
    size_t n = draw_png(png, 96, 48, 0x0072b5, 0);
    p->picture = pn_image(s, .data = png, .len = n, .alt = "Bars", .caption = "Painted in C");
    n = draw_png(png, 96, 48, 0x2e7d32, 2); /* the builder copied the first */
    pn_node *tall = pn_size(pn_image(s, .data = png, .len = n, .alt = "Tall bars"), .height = 120);
    free(png);
    static const char svg[] =
        "<svg xmlns='http://www.w3.org/2000/svg' width='120' height='48' viewBox='0 0 120 48'>"
        "<polyline points='4,40 30,22 56,30 82,10 116,16' fill='none' stroke='#0072b5' "
        "stroke-width='3'/><script>document.title = 'pwned'</script></svg>";
    pn_node *pictures = pn_card(s, .title = "Pictures", .items = PN_ITEMS(
        pn_row(s, p->picture, pn_image(s, .data = svg, .len = sizeof svg - 1, .alt = "A line")),
        pn_row(s, pn_size(pn_image(s, .data = svg, .len = sizeof svg - 1, .alt = "A wide line"),
                          .width = 240), tall),
        pn_button(s, .label = "Repaint", .on_click = repaint, .arg = p)));
    pn_servable(s, pictures);
}
