/* A parameter explorer: sliders drive a damped oscillator, x(t) = A e^(-zeta w t) cos(w t),
 * drawn over 20 seconds, with its envelope and the time it takes to settle within 5 %. */
#include <math.h>
#include <pane.h>
#include <stdlib.h>

#define POINTS 800
struct explorer { pn_node *amp, *freq, *damp, *plot, *settle; };

static void draw(pn_session *s, pn_node *changed, void *arg)
{
    struct explorer *e = arg;
    double a = pn_float_slider_value(e->amp), w = 2 * M_PI * pn_float_slider_value(e->freq);
    double z = pn_float_slider_value(e->damp), t[POINTS], y[POINTS][2];
    for (int i = 0; i < POINTS; i++) {
        t[i] = 20.0 * i / (POINTS - 1);
        y[i][1] = a * exp(-z * w * t[i]);      /* the envelope */
        y[i][0] = y[i][1] * cos(w * t[i]);     /* the oscillator */
    }
    pn_plot_set_data(e->plot, t, &y[0][0], POINTS);
    pn_number_set_value(e->settle, z > 0 ? log(20) / (z * w) : INFINITY); /* e^(-z w t) = 5 % */
    (void)s, (void)changed;
}

static void bye(pn_session *s, void *e) { (void)s, free(e); }

void pn_app(pn_session *s)
{
    struct explorer *e = calloc(1, sizeof *e);
    pn_on_session_destroyed(s, bye, e);
    pn_template(s, .name = "material", .title = "Damped oscillator");
    e->amp = pn_float_slider(s, .name = "Amplitude", .start = 0.1, .end = 2, .value = 1,
                             .step = 0.1, .format = "{value:.1f}", .on_change = draw, .arg = e);
    e->freq = pn_float_slider(s, .name = "Frequency", .start = 0.05, .end = 1, .value = 0.3,
                              .step = 0.05, .format = "{value:.2f} Hz", .on_change = draw, .arg = e);
    e->damp = pn_float_slider(s, .name = "Damping ratio", .start = 0, .end = 1, .value = 0.1,
                              .step = 0.01, .format = "{value:.2f}", .on_change = draw, .arg = e);
    e->settle = pn_number(s, .name = "Settles within 5 % after", .format = "{value:.1f} s",
                          .font_size = "36pt");
    e->plot = pn_plot(s, .title = "x(t)", .x_label = "t (s)", .rollover = POINTS, .height = 360,
                      .series = PN_SERIES({"x(t)", "#1f77b4"}, {"envelope", "#bbbbbb"}));
    pn_servable(s, pn_row(s, pn_card(s, .title = "Parameters",
                                     .items = PN_ITEMS(e->amp, e->freq, e->damp, e->settle)),
                          pn_card(s, .hide_header = true, .items = PN_ITEMS(e->plot))));
    draw(s, NULL, e); /* the first paint already shows the curve */
}
