/*
 * kinds: the component kinds, one file each (src/kinds/NAME.c): a kind's option table and
 * defaults, its checks, how its events are applied, its server-side HTML and its patch
 * encoding, next to its builder, setters and getters of pane.h. Its browser behaviour is one
 * client module (web/client/kinds/NAME.js). Adding a kind: that C file with its
 * `const struct pn_kind pn__kind_NAME`, a line in kinds.c's list, the client module, a golden
 * test and a line in an example (docs/internals/kinds.md).
 *
 * This header is for the kinds' files only: doc, render and the server reach a kind through
 * its struct pn_kind and never name one.
 */
#ifndef PN_KINDS_H
#define PN_KINDS_H

#include <jansson.h>

#include "doc/doc.h"
#include "render/render.h"

extern const struct pn_kind pn__kind_row, pn__kind_column, pn__kind_card, pn__kind_number,
    pn__kind_markdown, pn__kind_html, pn__kind_button, pn__kind_toggle, pn__kind_checkbox,
    pn__kind_text_input, pn__kind_int_slider, pn__kind_float_slider, pn__kind_select, pn__kind_plot,
    pn__kind_divider, pn__kind_spacer, pn__kind_progress, pn__kind_loading_spinner,
    pn__kind_boolean_status, pn__kind_alert, pn__kind_pre, pn__kind_json, pn__kind_trend,
    pn__kind_gauge, pn__kind_table, pn__kind_grid, pn__kind_tabs, pn__kind_accordion,
    pn__kind_file_download, pn__kind_int_input, pn__kind_float_input, pn__kind_text_area_input,
    pn__kind_radio_group, pn__kind_checkbox_group, pn__kind_multi_select, pn__kind_range_slider,
    pn__kind_date_picker, pn__kind_color_picker, pn__kind_image;

/* Builders' checks: val when ok(val) (or NULL), else misuse naming kind.field and NULL (the
 * default). */
const char *pn__kind_check_str(pn_session *s, pn_here here, const char *kind, const char *field,
                               const char *val, bool (*ok)(const char *));
/* A format with a placeholder pane does not know ("{val:.2f}") would show as text: misuse
 * and NULL ("{value}"). */
const char *pn__kind_check_format(pn_session *s, pn_here here, const char *kind,
                                  const char *format);
/* Button and Toggle: one of default, primary, success, warning, danger, light (NULL: default);
 * misuse otherwise. */
const char *pn__kind_button_type(pn_session *s, pn_here here, const char *type);
/* The theme's colour names a kind takes for .bar_color, .color, .alert_type (Panel's): primary,
 * secondary, success, info, warning, danger, light, dark; the page shows each through the class
 * pn-color-NAME (pane.css). _ok: c is one of them. pn__kind_theme_color: c, or def when c is
 * NULL; misuse naming kind.field and def when c is not one of them. */
bool pn__kind_theme_color_ok(const char *c);
const char *pn__kind_theme_color(pn_session *s, pn_here here, const char *kind, const char *field,
                                 const char *c, const char *def);
/* ` ATTR="V"` with v in its shortest form, as a Number shows it ("0.1", "42"): ARIA values. */
int pn__kind_attr_number(struct pn_buf *out, const char *attr, double v);
/* A prop's name is name (for checks keyed by prop). */
static inline bool pn__prop_is(const struct pn_prop *p, const char *name)
{
    return strcmp(p->name, name) == 0;
}
/* TextInput and TextAreaInput: max_length in 1..100,000 characters (def when 0; misuse and def
 * otherwise) and a value that fits it (NULL: ""; longer: misuse and ""). */
void pn__kind_text_init(pn_node *n, pn_here here, const char *kind, int *max_length, int def,
                        const char **value);
/* Their check of a value from a setter or an event: PN_EINVAL with why when it has more
 * characters (not bytes) than max_length. */
int pn__kind_text_fits(const char *value, int max_length, const char **why);
/* Select and RadioBoxGroup: the node's own copy of the option equal to v, or NULL. */
const char *pn__kind_option(const char *const *options, const char *v);
/* CheckBoxGroup and RadioBoxGroup: `<div class="CLS" … role="ROLE"` with the name as the
 * group's label, up to `<div class="pn-choices[ pn-inline]">` (the choices follow). */
int pn__kind_choices_open(struct pn_buf *out, const pn_node *n, const char *cls, const char *role,
                          const char *name, bool horizontal);
/* A widget's `<label class="pn-widget-label" for="pn-N-input">NAME` (not closed). */
int pn__kind_label(struct pn_buf *out, const pn_node *n, const char *name);
/* Button and Toggle: <button type="button" class="CLS pn-button-TYPE" … [aria-pressed]>LABEL
 * (pressed < 0: not a toggle). */
int pn__kind_button_html(struct pn_buf *out, const pn_node *n, const char *cls, const char *type,
                         const char *label, bool disabled, int pressed);
/* IntSlider and FloatSlider: the label with the shown value, then the range input. */
int pn__kind_slider_html(struct pn_buf *out, const pn_node *n, const char *name, const char *shown,
                         const char *min, const char *max, const char *step, const char *value,
                         bool disabled);
/* v as the shortest text that reads back as v ("0.05", not %.17g's "0.050000000000000003"; "10",
 * not "1e+01"), as the client writes it (ctx.fmt(null, v)). size: 32 or more. */
void pn__kind_num_str(char *buf, size_t size, double v);
/* IntInput and FloatInput: the label (when named), then <input type="number"> with min and max
 * when given (NULL: unbounded on that side). */
int pn__kind_number_input_html(struct pn_buf *out, const pn_node *n, const char *name,
                               const char *value, const char *min, const char *max,
                               const char *step, bool disabled);
/* CheckBoxGroup and MultiSelect: a list value (PN_V_STRS, the check's copy) made of the node's
 * own options, in their order: 0, or PN_EINVAL with why (more items than options, an item
 * that is not an option, one there twice). */
int pn__kind_check_choices(const char *const *options, struct pn_value *v, const char **why);
/* Their init: options (none: misuse, and an empty list) and value checked as above (misuse:
 * nothing selected), value made the node's own NULL-terminated list (arena). */
void pn__kind_init_choices(pn_node *n, pn_here here, const char *const **options,
                           const char *const **value);
/* Their getters: the first max items of list into out; how many it has. */
size_t pn__kind_list_copy(const char *const *list, const char **out, size_t max);

#endif
