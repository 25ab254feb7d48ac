/*
 * kinds.c: the list of every kind (for lookups by name: tests, the catalogue) and the helpers
 * several kinds share.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "kinds/kinds.h"

const struct pn_kind *const pn__kind_list[] = {
    &pn__kind_row,
    &pn__kind_column,
    &pn__kind_card,
    &pn__kind_number,
    &pn__kind_markdown,
    &pn__kind_html,
    &pn__kind_button,
    &pn__kind_toggle,
    &pn__kind_checkbox,
    &pn__kind_text_input,
    &pn__kind_int_slider,
    &pn__kind_float_slider,
    &pn__kind_select,
    &pn__kind_plot,
    &pn__kind_divider,
    &pn__kind_spacer,
    &pn__kind_progress,
    &pn__kind_loading_spinner,
    &pn__kind_boolean_status,
    &pn__kind_alert,
    &pn__kind_pre,
    &pn__kind_json,
    &pn__kind_trend,
    &pn__kind_gauge,
    &pn__kind_table,
    &pn__kind_grid,
    &pn__kind_tabs,
    &pn__kind_accordion,
    &pn__kind_file_download,
    &pn__kind_int_input,
    &pn__kind_float_input,
    &pn__kind_text_area_input,
    &pn__kind_radio_group,
    &pn__kind_checkbox_group,
    &pn__kind_multi_select,
    &pn__kind_range_slider,
    &pn__kind_date_picker,
    &pn__kind_color_picker,
    &pn__kind_image,
};
const size_t pn__kind_count = PN_COUNT(pn__kind_list);

const char *pn__kind_option(const char *const *options, const char *v)
{
    for (const char *const *p = options; v && p && *p; p++)
        if (strcmp(*p, v) == 0)
            return *p;
    return NULL;
}

int pn__kind_choices_open(struct pn_buf *out, const pn_node *n, const char *cls, const char *role,
                          const char *name, bool horizontal)
{
    unsigned id = (unsigned)n->id;
    int rc;
    if ((rc = pn__html_open(out, "div", cls, n)) ||
        (rc = pn__buf_printf(out, " role=\"%s\"", role)))
        return rc;
    if (name && ((rc = pn__buf_printf(out,
                                      " aria-labelledby=\"pn-%u-label\"><div "
                                      "class=\"pn-widget-label\" id=\"pn-%u-label\">",
                                      id, id)) ||
                 (rc = pn__html_text(out, name)) || (rc = PN_PUT(out, "</div"))))
        return rc;
    return pn__buf_printf(out, "><div class=\"pn-choices%s\">", horizontal ? " pn-inline" : "");
}

#define TEXT_MAX 100000 /* characters a text field may hold */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

void pn__kind_text_init(pn_node *n, pn_here here, const char *kind, int *max_length, int def,
                        const char **value)
{
    if (*max_length <= 0 || *max_length > TEXT_MAX) {
        if (*max_length)
            pn__session_misuse(n->s, here, "%s.max_length %d is not in 1..%d", kind, *max_length,
                               TEXT_MAX);
        *max_length = def;
    }
    if (!*value)
        *value = "";
    if (utf8_chars(*value) > (size_t)*max_length) {
        pn__session_misuse(n->s, here, "%s: value is longer than max_length %d", kind, *max_length);
        *value = "";
    }
}

int pn__kind_text_fits(const char *value, int max_length, const char **why)
{
    if (utf8_chars(value) > (size_t)max_length)
        return *why = "longer than max_length", PN_EINVAL;
    return 0;
}

const char *pn__kind_check_str(pn_session *s, pn_here here, const char *kind, const char *field,
                               const char *val, bool (*ok)(const char *))
{
    if (!val || ok(val))
        return val;
    pn__session_misuse(s, here, "%s.%s: \"%.60s\" is not valid; using the default", kind, field,
                       val);
    return NULL;
}

const char *pn__kind_check_format(pn_session *s, pn_here here, const char *kind, const char *format)
{
    const char *why = pn__number_format_check(format);
    if (!why)
        return format;
    pn__session_misuse(s, here, "%s.format: \"%.60s\": %s; using \"{value}\"", kind, format, why);
    return NULL;
}

const char *pn__kind_button_type(pn_session *s, pn_here here, const char *t)
{
    static const char *const types[] = {"default", "primary", "success",
                                        "warning", "danger",  "light"};
    if (!t)
        return "default";
    for (size_t i = 0; i < PN_COUNT(types); i++)
        if (strcmp(t, types[i]) == 0)
            return t;
    pn__session_misuse(s, here,
                       "button_type \"%.40s\" is not one of default, primary, success, "
                       "warning, danger, light",
                       t);
    return "default";
}

static const char *const theme_colors[] = {"primary", "secondary", "success", "info",
                                           "warning", "danger",    "light",   "dark"};

bool pn__kind_theme_color_ok(const char *c)
{
    for (size_t i = 0; c && i < PN_COUNT(theme_colors); i++)
        if (strcmp(c, theme_colors[i]) == 0)
            return true;
    return false;
}

const char *pn__kind_theme_color(pn_session *s, pn_here here, const char *kind, const char *field,
                                 const char *c, const char *def)
{
    if (!c)
        return def;
    if (pn__kind_theme_color_ok(c))
        return c;
    pn__session_misuse(s, here,
                       "%s.%s: \"%.40s\" is not one of primary, secondary, success, info, "
                       "warning, danger, light, dark; using \"%s\"",
                       kind, field, c, def);
    return def;
}

int pn__kind_attr_number(struct pn_buf *out, const char *attr, double v)
{
    int rc = pn__buf_printf(out, " %s=\"", attr);
    if (rc == 0)
        rc = pn__value_format(NULL, v, out);
    return rc ? rc : PN_PUT(out, "\"");
}

int pn__kind_label(struct pn_buf *out, const pn_node *n, const char *name)
{
    int rc = pn__buf_printf(out, "<label class=\"pn-widget-label\" for=\"pn-%u-input\">",
                            (unsigned)n->id);
    return rc ? rc : pn__html_text(out, name);
}

int pn__kind_button_html(struct pn_buf *out, const pn_node *n, const char *cls, const char *type,
                         const char *label, bool disabled, int pressed)
{
    char klass[96];
    snprintf(klass, sizeof klass, "%s pn-button-%s", cls, type ? type : "default");
    int rc;
    if ((rc = pn__html_open(out, "button", klass, n)) || (rc = PN_PUT(out, " type=\"button\"")))
        return rc;
    if (pressed >= 0 &&
        (rc = pn__buf_printf(out, " aria-pressed=\"%s\"", pressed ? "true" : "false")))
        return rc;
    if ((disabled && (rc = PN_PUT(out, " disabled"))) || (rc = PN_PUT(out, ">")) ||
        (rc = pn__html_text(out, label)))
        return rc;
    return PN_PUT(out, "</button>");
}

int pn__kind_slider_html(struct pn_buf *out, const pn_node *n, const char *name, const char *shown,
                         const char *min, const char *max, const char *step, const char *value,
                         bool disabled)
{
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-slider", n)) || (rc = PN_PUT(out, ">")) ||
        (rc = pn__kind_label(out, n, name)) || (name && (rc = PN_PUT(out, ": "))) ||
        (rc = PN_PUT(out, "<span class=\"pn-slider-value\">")) ||
        (rc = pn__html_text(out, shown)) || (rc = PN_PUT(out, "</span></label>")))
        return rc;
    return pn__buf_printf(out,
                          "<input type=\"range\" id=\"pn-%u-input\" min=\"%s\" max=\"%s\" "
                          "step=\"%s\" value=\"%s\"%s></div>",
                          (unsigned)n->id, min, max, step, value, disabled ? " disabled" : "");
}

void pn__kind_num_str(char *buf, size_t size, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v == 0 ? 0.0 : v);
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(buf, size, "%.*g", p, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int pn__kind_number_input_html(struct pn_buf *out, const pn_node *n, const char *name,
                               const char *value, const char *min, const char *max,
                               const char *step, bool disabled)
{
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-number-input", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (name && ((rc = pn__kind_label(out, n, name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    if ((rc = pn__buf_printf(out, "<input type=\"number\" id=\"pn-%u-input\" value=\"%s\"",
                             (unsigned)n->id, value)))
        return rc;
    if ((min && (rc = pn__buf_printf(out, " min=\"%s\"", min))) ||
        (max && (rc = pn__buf_printf(out, " max=\"%s\"", max))))
        return rc;
    return pn__buf_printf(out, " step=\"%s\"%s></div>", step, disabled ? " disabled" : "");
}

int pn__kind_check_choices(const char *const *options, struct pn_value *v, const char **why)
{
    size_t k = 0;
    while (options && options[k])
        k++;
    if (v->n > k)
        return *why = "more items than options", PN_EINVAL;
    if (v->n == 0)
        return 0;
    bool *picked = pn__xcalloc(k, sizeof *picked);
    int rc = 0;
    for (size_t i = 0; i < v->n && rc == 0; i++) {
        size_t j = 0;
        while (j < k && strcmp(options[j], v->strs[i]) != 0)
            j++;
        if (j == k)
            *why = "an item is not one of the options", rc = PN_EINVAL;
        else if (picked[j])
            *why = "an item is there twice", rc = PN_EINVAL;
        else
            picked[j] = true;
    }
    if (rc == 0) { /* the node's own strings, in the options' order */
        size_t m = 0;
        for (size_t j = 0; j < k; j++)
            if (picked[j])
                v->strs[m++] = options[j];
    }
    free(picked);
    return rc;
}

void pn__kind_init_choices(pn_node *n, pn_here here, const char *const **options,
                           const char *const **value)
{
    static const char *const none[] = {NULL};
    if (!*options || !**options) {
        pn__session_misuse(n->s, here, "%s without options", n->desc->name);
        *options = none;
    }
    if (!*value) {
        *value = none;
        return;
    }
    size_t c = 0;
    while ((*value)[c])
        c++;
    const char **own = pn__arena_alloc(pn__node_arena(n), (c + 1) * sizeof *own);
    for (size_t i = 0; i < c; i++)
        own[i] = (*value)[i];
    struct pn_value v = {.type = PN_V_STRS, .strs = own, .n = c};
    const char *why = NULL;
    if (pn__kind_check_choices(*options, &v, &why) != 0) {
        pn__session_misuse(n->s, here, "%s.value: %s; nothing is selected", n->desc->name, why);
        v.n = 0;
    }
    own[v.n] = NULL;
    *value = own;
}

size_t pn__kind_list_copy(const char *const *list, const char **out, size_t max)
{
    size_t n = 0;
    for (; list && list[n]; n++)
        if (n < max)
            out[n] = list[n];
    return n;
}

/* Enables or disables any widget (every kind with a "disabled" prop). */
void pn_widget_set_disabled_at(pn_node *n, bool v, pn_here here)
{
    pn__setter(n, NULL, "disabled", PN_BOOL(v), "pn_widget_set_disabled", here);
}
