/*
 * Number: a large number with a label (Panel's pn.indicators.Number).
 *
 *     <div class="pn-number" id="pn-N" data-pn-kind="Number">
 *       <div class="pn-number-name" style="font-size:18pt">NAME</div>       (when named)
 *       <div class="pn-number-value" style="font-size:54pt;color:C">TEXT</div></div>
 *
 * TEXT is the value through the format ("{value:.1f} °C"), C the colour of the first stop the
 * value is below (else default_color). Patches carry what the server rendered, not HTML:
 * {"text": TEXT} when the value or format changed, {"color": C or null} when the colour did,
 * {"name": NAME or null}. Client: web/client/kinds/number.js.
 *
 * Bound to a number feed (.feed), it shows the feed's value: the html and patches read it, the
 * app's own value is refused, and each publish reaches the client as {"text": TEXT} (and
 * {"color": C or null} when the Number has colours), encoded once for every Number with the
 * same format and colours (feed_key).
 */
#include "kinds/kinds.h"

static const struct pn_prop number_props[] = {
    PN_PROP(pn_number_opts, name, PN_PROP_STR),
    PN_PROP(pn_number_opts, value, PN_PROP_DOUBLE),
    PN_PROP(pn_number_opts, format, PN_PROP_STR),
    PN_PROP(pn_number_opts, colors, PN_PROP_COLORS),
    PN_PROP(pn_number_opts, default_color, PN_PROP_STR),
    PN_PROP(pn_number_opts, font_size, PN_PROP_STR),
    PN_PROP(pn_number_opts, title_size, PN_PROP_STR),
};
enum { P_NAME, P_VALUE, P_FORMAT, P_COLORS, P_DEFAULT_COLOR };
#define BIT(p) (1u << (p))

struct state {
    bool color_changed; /* a value change crossed a colour stop since the last patch */
    char *feed_key;     /* bound to a feed: its encoding's key (format and colours), made when
                           first asked, dropped when they change */
};

/* The value shown: the feed's when bound to one. */
static double value_of(const pn_number_opts *o)
{
    return o->feed ? pn_feed_get(o->feed) : o->value;
}

/* The colour shown for value: the first stop it is below, else default_color (NULL: none). */
static const char *color_of(const pn_number_opts *o, double value)
{
    for (const pn_color_stop *c = o->colors; c && c->color; c++)
        if (value < c->below)
            return c->color;
    return o->default_color;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_number_opts *o = PN_OPTS(n, pn_number_opts);
    o->default_color = pn__kind_check_str(n->s, here, "Number", "default_color", o->default_color,
                                          pn__css_color_ok);
    o->font_size =
        pn__kind_check_str(n->s, here, "Number", "font_size", o->font_size, pn__css_length_ok);
    o->title_size =
        pn__kind_check_str(n->s, here, "Number", "title_size", o->title_size, pn__css_length_ok);
    o->format = pn__kind_check_format(n->s, here, "Number", o->format);
    if (o->feed && pn__feed_type(o->feed) != PN_FEED_NUMBER) {
        pn__session_misuse(n->s, here,
                           "Number: feed \"%s\" is not a number feed "
                           "(pn_feed_number); the Number shows its own value",
                           pn__feed_name(o->feed));
        o->feed = NULL;
    }
    if (o->feed)
        pn__session_watch_feed(n->s, o->feed, n);
}

static int check(pn_node *n, const struct pn_prop *p, struct pn_value *v, const char **why)
{
    const pn_number_opts *o = PN_COPTS(n, pn_number_opts);
    struct state *st = pn__node_state(n);
    if (pn__prop_is(p, "default_color") && !pn__css_color_ok(v->str))
        return *why = "not a CSS colour", PN_EINVAL;
    if (pn__prop_is(p, "format") && (*why = pn__number_format_check(v->str)))
        return PN_EINVAL;
    if (o->feed && pn__prop_is(p, "value"))
        return *why = "the Number shows a feed; publish with pn_feed_set", PN_EINVAL;
    if (pn__prop_is(p, "format") || pn__prop_is(p, "colors") || pn__prop_is(p, "default_color")) {
        free(st->feed_key);
        st->feed_key = NULL;
    }
    if (pn__prop_is(p, "value")) {
        const char *was = color_of(o, o->value), *will = color_of(o, v->num);
        if (was != will && (!was || !will || strcmp(was, will) != 0))
            st->color_changed = true;
    }
    return 0;
}

static const char *css_length(const char *v, const char *def)
{
    return v && *v && pn__css_length_ok(v) ? v : def;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_number_opts *o = PN_COPTS(n, pn_number_opts);
    int rc;
    if ((rc = pn__html_open(out, "div", "pn-number", n)) || (rc = PN_PUT(out, ">")))
        return rc;
    if (o->name && *o->name) {
        if ((rc = PN_PUT(out, "<div class=\"pn-number-name\" style=\"font-size:")) ||
            (rc = pn__html_text(out, css_length(o->title_size, "18pt"))) ||
            (rc = PN_PUT(out, "\">")) || (rc = pn__html_text(out, o->name)) ||
            (rc = PN_PUT(out, "</div>")))
            return rc;
    }
    if ((rc = PN_PUT(out, "<div class=\"pn-number-value\" style=\"font-size:")) ||
        (rc = pn__html_text(out, css_length(o->font_size, "54pt"))))
        return rc;
    const double value = value_of(o);
    const char *color = color_of(o, value);
    if (color && *color && pn__css_color_ok(color)) {
        if ((rc = PN_PUT(out, ";color:")) || (rc = pn__html_text(out, color)))
            return rc;
    }
    if ((rc = PN_PUT(out, "\">")))
        return rc;
    struct pn_buf val;
    pn__buf_init(&val, out->max);
    rc = pn__value_format(o->format, value, &val);
    if (rc == 0)
        rc = pn__html_escape(out, val.data ? val.data : "", val.len);
    pn__buf_fini(&val);
    if (rc)
        return PN_ETOOBIG;
    return PN_PUT(out, "</div></div>");
}

static json_t *text_json(const pn_number_opts *o, double value)
{
    struct pn_buf t;
    pn__buf_init(&t, 1u << 24);
    json_t *j = pn__value_format(o->format, value, &t) == 0
                    ? json_stringn(t.data ? t.data : "", t.len)
                    : NULL;
    pn__buf_fini(&t);
    return j;
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    const pn_number_opts *o = PN_COPTS(n, pn_number_opts);
    struct state *st = pn__node_state(n);
    if ((mask & BIT(P_NAME)) &&
        pn__json_set(changes, "name", o->name && *o->name ? json_string(o->name) : json_null()))
        return PN_EINVAL;
    const double value = value_of(o);
    if ((mask & (BIT(P_VALUE) | BIT(P_FORMAT))) &&
        pn__json_set(changes, "text", text_json(o, value)))
        return PN_EINVAL;
    if (st->color_changed || (mask & (BIT(P_COLORS) | BIT(P_DEFAULT_COLOR)))) {
        const char *c = color_of(o, value);
        if (pn__json_set(changes, "color",
                         c && *c && pn__css_color_ok(c) ? json_string(c) : json_null()))
            return PN_EINVAL;
    }
    st->color_changed = false;
    return 0;
}

/* What a feed's encoding depends on: the format and the colours. */
static const char *feed_key(const pn_node *n)
{
    const pn_number_opts *o = PN_COPTS(n, pn_number_opts);
    struct state *st = pn__node_state(n);
    if (!st->feed_key) {
        struct pn_buf k;
        pn__buf_init(&k, 1u << 20);
        pn__buf_printf(&k, "%s\x1f%s", o->format ? o->format : "",
                       o->default_color ? o->default_color : "");
        for (const pn_color_stop *c = o->colors; c && c->color; c++)
            pn__buf_printf(&k, "\x1f%.17g:%s", c->below, c->color);
        st->feed_key = pn__xstrdup(k.data ? k.data : "");
        pn__buf_fini(&k);
    }
    return st->feed_key;
}

static int feed_encode(const pn_node *n, double num, const struct pn_blob *text, struct pn_buf *out)
{
    (void)text;
    const pn_number_opts *o = PN_COPTS(n, pn_number_opts);
    json_t *changes = json_object();
    int rc = pn__json_set(changes, "text", text_json(o, num)) ? PN_EINVAL : 0;
    if (rc == 0 && (o->colors || o->default_color)) {
        const char *c = color_of(o, num);
        if (pn__json_set(changes, "color",
                         c && *c && pn__css_color_ok(c) ? json_string(c) : json_null()))
            rc = PN_EINVAL;
    }
    if (rc == 0)
        rc = pn__json_dump(changes, out);
    json_decref(changes);
    return rc;
}

static void fini(pn_node *n)
{
    free(((struct state *)pn__node_state(n))->feed_key);
}

const struct pn_kind pn__kind_number = {
    .name = "Number",
    .css_class = "pn-number",
    .opts_size = sizeof(pn_number_opts),
    .state_size = sizeof(struct state),
    .props = number_props,
    .nprops = PN_COUNT(number_props),
    .init = init,
    .check = check,
    .html = html,
    .patch = patch,
    .fini = fini,
    .feed_key = feed_key,
    .feed_encode = feed_encode,
};

pn_node *pn_number_new(pn_session *s, const pn_number_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_number, o, here);
}

static const struct pn_kind *const numbers[] = {&pn__kind_number, NULL};

void pn_number_set_value_at(pn_node *n, double v, pn_here here)
{
    pn__setter(n, numbers, "value", PN_NUM(v), "pn_number_set_value", here);
}
void pn_number_set_name_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, numbers, "name", PN_STR(v), "pn_number_set_name", here);
}
void pn_number_set_format_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, numbers, "format", PN_STR(v), "pn_number_set_format", here);
}
