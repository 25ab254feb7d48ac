/*
 * DatePicker: a date field with the browser's calendar; on_change runs when the visitor picks
 * or types a whole date.
 *
 *     <div class="pn-date-picker" id="pn-N" data-pn-kind="DatePicker">
 *       <label class="pn-widget-label" for="pn-N-input">NAME</label>            (when named)
 *       <input type="date" id="pn-N-input" value="YYYY-MM-DD" [min="…"] [max="…"] [disabled]>
 *     </div>
 *
 * A value is "YYYY-MM-DD", a real date (the Gregorian calendar, years 0001 to 9999), or ""
 * (none: the visitor cleared the field); from a setter or an event it is clamped to
 * start..end (the node's own copies). Events: {"prop": "value", "value": DATE}. Patches: props
 * by name. Client: web/client/kinds/date_picker.js.
 */
#include "kinds/kinds.h"

static const struct pn_prop date_picker_props[] = {
    PN_PROP(pn_date_picker_opts, name, PN_PROP_STR),
    PN_EVENT_PROP(pn_date_picker_opts, value, PN_PROP_STR),
    PN_PROP(pn_date_picker_opts, start, PN_PROP_STR),
    PN_PROP(pn_date_picker_opts, end, PN_PROP_STR),
    PN_PROP(pn_date_picker_opts, disabled, PN_PROP_BOOL),
    PN_CALLBACK_PROPS(pn_date_picker_opts, on_change),
};

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* "YYYY-MM-DD", a day that exists. */
static bool is_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_date_picker_opts *t = PN_OPTS(n, pn_date_picker_opts);
    t->start = pn__kind_check_str(n->s, here, "DatePicker", "start", t->start, is_date);
    t->end = pn__kind_check_str(n->s, here, "DatePicker", "end", t->end, is_date);
    if (t->start && t->end && strcmp(t->end, t->start) < 0) {
        pn__session_misuse(n->s, here, "DatePicker: end %s is before start %s", t->end, t->start);
        t->end = t->start;
    }
    if (!t->value || (*t->value && !is_date(t->value))) {
        if (t->value)
            pn__session_misuse(n->s, here, "DatePicker.value: \"%.40s\" is not a date (YYYY-MM-DD)",
                               t->value);
        t->value = "";
    }
    if (*t->value && ((t->start && strcmp(t->value, t->start) < 0) ||
                      (t->end && strcmp(t->value, t->end) > 0))) {
        pn__session_misuse(n->s, here, "DatePicker: value %s is outside %s..%s", t->value,
                           t->start ? t->start : "", t->end ? t->end : "");
        t->value = t->start && strcmp(t->value, t->start) < 0 ? t->start : t->end;
    }
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    if (!pn__prop_is(p, "value") || !*v->str)
        return 0;
    if (!is_date(v->str))
        return *why = "not a date (YYYY-MM-DD)", PN_EINVAL;
    const pn_date_picker_opts *o = PN_COPTS(n, pn_date_picker_opts);
    if (o->start && strcmp(v->str, o->start) < 0) /* ISO dates compare as strings */
        v->str = o->start;
    else if (o->end && strcmp(v->str, o->end) > 0)
        v->str = o->end;
    return 0;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_date_picker_opts *o = PN_COPTS(n, pn_date_picker_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-date-picker", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && ((rc = pn__kind_label(out, n, o->name)) || (rc = PN_PUT(out, "</label>"))))
        return rc;
    /* every date here passed is_date: digits and dashes, nothing to escape */
    if ((rc = pn__buf_printf(out, "<input type=\"date\" id=\"pn-%u-input\" value=\"%s\"",
                             (unsigned)n->id, o->value)))
        return rc;
    if ((o->start && (rc = pn__buf_printf(out, " min=\"%s\"", o->start))) ||
        (o->end && (rc = pn__buf_printf(out, " max=\"%s\"", o->end))) ||
        (o->disabled && (rc = PN_PUT(out, " disabled"))))
        return rc;
    return PN_PUT(out, "></div>");
}

const struct pn_kind pn__kind_date_picker = {
    .name = "DatePicker",
    .css_class = "pn-date-picker",
    .opts_size = sizeof(pn_date_picker_opts),
    .props = date_picker_props,
    .nprops = PN_COUNT(date_picker_props),
    .init = init,
    .check = check,
    .html = html,
};

pn_node *pn_date_picker_new(pn_session *s, const pn_date_picker_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_date_picker, o, here);
}

const char *pn_date_picker_value(const pn_node *n)
{
    return pn__is(n, &pn__kind_date_picker) ? PN_COPTS(n, pn_date_picker_opts)->value : "";
}

static const struct pn_kind *const pickers[] = {&pn__kind_date_picker, NULL};

void pn_date_picker_set_value_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, pickers, "value", PN_STR(v), "pn_date_picker_set_value", here);
}
