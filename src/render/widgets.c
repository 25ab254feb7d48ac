/*
 * widgets: server-side HTML of the widgets. They are native form elements, so they render,
 * take focus and are usable by keyboard and screen readers before any script runs; the client
 * only wires their events to the session. Markup (the client relies on it):
 *
 *   Button     <button type="button" class="pn-button pn-button-TYPE" …>LABEL</button>
 *   Toggle     <button type="button" class="pn-toggle pn-button-TYPE" aria-pressed="…" …>
 *   Checkbox   <label class="pn-checkbox" …><input type="checkbox"> <span>LABEL</span></label>
 *   TextInput  <div class="pn-text-input" …><label …>NAME</label><input type="text" …></div>
 *   IntSlider, FloatSlider
 *              <div class="pn-slider" …><label …>NAME <span class="pn-slider-value">V</span>
 *              </label><input type="range" …></div>
 *   Select     <div class="pn-select" …><label …>NAME</label><select …><option>…</select></div>
 *
 * The inner control of a labelled widget has id "pn-N-input".
 */
#include <stdio.h>

#include "render/render.h"

#define PUT(out, lit) pn__buf_append((out), (lit), sizeof(lit) - 1)

static int text(struct pn_buf *out, const char *s)
{
    return s ? pn__html_escape(out, s, strlen(s)) : 0;
}

static int open_tag(struct pn_buf *out, const char *tag, const char *cls, const pn_node *n)
{
    return pn__buf_printf(out, "<%s class=\"%s\" id=\"pn-%u\" data-pn-kind=\"%s\"", tag, cls,
                          (unsigned)n->id, n->desc->name);
}

static int label(struct pn_buf *out, const pn_node *n, const char *name)
{
    int rc = pn__buf_printf(out, "<label class=\"pn-widget-label\" for=\"pn-%u-input\">",
                            (unsigned)n->id);
    if (rc || (rc = text(out, name)))
        return rc;
    return 0;
}

static int button(struct pn_buf *out, const pn_node *n, const char *cls, const char *type,
                  const char *lbl, bool disabled, int pressed)
{
    char klass[96];
    snprintf(klass, sizeof klass, "%s pn-button-%s", cls, type ? type : "default");
    int rc;
    if ((rc = open_tag(out, "button", klass, n)) || (rc = PUT(out, " type=\"button\"")))
        return rc;
    if (pressed >= 0 && (rc = pn__buf_printf(out, " aria-pressed=\"%s\"", pressed ? "true" : "false")))
        return rc;
    if ((disabled && (rc = PUT(out, " disabled"))) || (rc = PUT(out, ">")) || (rc = text(out, lbl)))
        return rc;
    return PUT(out, "</button>");
}

static int checkbox(struct pn_buf *out, const pn_node *n)
{
    const pn_checkbox_opts *o = &n->o.checkbox;
    int rc;
    if ((rc = open_tag(out, "label", "pn-checkbox", n)) ||
        (rc = pn__buf_printf(out, "><input type=\"checkbox\" id=\"pn-%u-input\"%s%s> <span>",
                             (unsigned)n->id, o->value ? " checked" : "",
                             o->disabled ? " disabled" : "")) ||
        (rc = text(out, o->label)))
        return rc;
    return PUT(out, "</span></label>");
}

static int text_input(struct pn_buf *out, const pn_node *n)
{
    const pn_text_input_opts *o = &n->o.text_input;
    int rc;
    if ((rc = open_tag(out, "div", "pn-text-input", n)) || (rc = PUT(out, ">")))
        return rc;
    if (o->name && ((rc = label(out, n, o->name)) || (rc = PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out, "<input type=\"text\" id=\"pn-%u-input\" maxlength=\"%d\" value=\"",
                             (unsigned)n->id, o->max_length)) ||
        (rc = text(out, o->value)) || (rc = PUT(out, "\"")))
        return rc;
    if (o->placeholder && ((rc = PUT(out, " placeholder=\"")) || (rc = text(out, o->placeholder)) ||
                           (rc = PUT(out, "\""))))
        return rc;
    if (o->disabled && (rc = PUT(out, " disabled")))
        return rc;
    return PUT(out, "></div>");
}

/* Shared by both sliders: the label with the shown value, then the range input. */
static int slider(struct pn_buf *out, const pn_node *n, const char *name, const char *shown,
                  const char *min, const char *max, const char *step, const char *value,
                  bool disabled)
{
    int rc;
    if ((rc = open_tag(out, "div", "pn-slider", n)) || (rc = PUT(out, ">")) ||
        (rc = label(out, n, name)) || (name && (rc = PUT(out, ": "))) ||
        (rc = PUT(out, "<span class=\"pn-slider-value\">")) || (rc = text(out, shown)) ||
        (rc = PUT(out, "</span></label>")))
        return rc;
    if ((rc = pn__buf_printf(out,
                             "<input type=\"range\" id=\"pn-%u-input\" min=\"%s\" max=\"%s\" "
                             "step=\"%s\" value=\"%s\"%s></div>",
                             (unsigned)n->id, min, max, step, value, disabled ? " disabled" : "")))
        return rc;
    return 0;
}

static int int_slider(struct pn_buf *out, const pn_node *n)
{
    const pn_int_slider_opts *o = &n->o.int_slider;
    char v[32], mn[32], mx[32], st[32];
    snprintf(v, sizeof v, "%ld", o->value);
    snprintf(mn, sizeof mn, "%ld", o->start);
    snprintf(mx, sizeof mx, "%ld", o->end);
    snprintf(st, sizeof st, "%ld", o->step);
    return slider(out, n, o->name, v, mn, mx, st, v, o->disabled);
}

static int float_slider(struct pn_buf *out, const pn_node *n)
{
    const pn_float_slider_opts *o = &n->o.float_slider;
    char v[40], mn[40], mx[40], st[40];
    snprintf(v, sizeof v, "%.17g", o->value);
    snprintf(mn, sizeof mn, "%.17g", o->start);
    snprintf(mx, sizeof mx, "%.17g", o->end);
    snprintf(st, sizeof st, "%.17g", o->step);
    struct pn_buf shown;
    pn__buf_init(&shown, 4096);
    pn_number_opts fmt = {.format = o->format, .value = o->value};
    int rc = pn__number_format(&fmt, o->value, &shown);
    if (rc == 0)
        rc = slider(out, n, o->name, shown.data ? shown.data : "", mn, mx, st, v, o->disabled);
    pn__buf_fini(&shown);
    return rc;
}

static int select_(struct pn_buf *out, const pn_node *n)
{
    const pn_select_opts *o = &n->o.select;
    int rc;
    if ((rc = open_tag(out, "div", "pn-select", n)) || (rc = PUT(out, ">")))
        return rc;
    if (o->name && ((rc = label(out, n, o->name)) || (rc = PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out, "<select id=\"pn-%u-input\"%s>", (unsigned)n->id,
                             o->disabled ? " disabled" : "")))
        return rc;
    for (const char *const *opt = o->options; opt && *opt; opt++) {
        bool sel = o->value && strcmp(*opt, o->value) == 0;
        if ((rc = PUT(out, "<option value=\"")) || (rc = text(out, *opt)) ||
            (rc = sel ? PUT(out, "\" selected>") : PUT(out, "\">")) || (rc = text(out, *opt)) ||
            (rc = PUT(out, "</option>")))
            return rc;
    }
    return PUT(out, "</select></div>");
}

int pn__render_widget(struct pn_buf *out, const pn_node *n)
{
    switch (n->desc->kind) {
    case PN_KIND_BUTTON:
        return button(out, n, "pn-button", n->o.button.button_type, n->o.button.label,
                      n->o.button.disabled, -1);
    case PN_KIND_TOGGLE:
        return button(out, n, "pn-toggle", n->o.toggle.button_type, n->o.toggle.label,
                      n->o.toggle.disabled, n->o.toggle.value);
    case PN_KIND_CHECKBOX:
        return checkbox(out, n);
    case PN_KIND_TEXT_INPUT:
        return text_input(out, n);
    case PN_KIND_INT_SLIDER:
        return int_slider(out, n);
    case PN_KIND_FLOAT_SLIDER:
        return float_slider(out, n);
    case PN_KIND_SELECT:
        return select_(out, n);
    default:
        return PN_EINVAL;
    }
}
