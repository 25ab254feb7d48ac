/*
 * Image: a picture (Panel's pn.pane.PNG, JPG, GIF, SVG, Image) from bytes or a file, served
 * by its content's hash from the process's image store (base/images.h).
 *
 *     <figure class="pn-image" id="pn-N" data-pn-kind="Image"><img
 *       src="PREFIX/_pane/img/HASH.EXT" alt="ALT" width="W" height="H"><figcaption
 *       class="pn-image-caption">CAPTION</figcaption></figure>
 *
 * width and height when the bytes' header gives them; no src while there is no picture (misuse,
 * or pn_image_set(n, NULL, 0)): the browser shows the alt text; no figcaption without a
 * caption. The node holds a reference to its store entry (dropped by pn_image_set, pn_remove
 * and the session's end); the app's pointers (.data, .path) are not kept. Patches: {"src",
 * "width", "height"} when the picture changed ("" and 0: none), alt and caption by name.
 * Client: web/client/kinds/image.js.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/images.h"
#include "kinds/kinds.h"

/* .data, .len and .path are read by init from what the app gave, never kept: not props. */
static const struct pn_prop image_props[] = {
    PN_PROP(pn_image_opts, alt, PN_PROP_STR),
    PN_PROP(pn_image_opts, caption, PN_PROP_STR),
    PN_HIDDEN_PROP(pn_image_opts, mime, PN_PROP_STR),
};

struct state {
    struct pn_image *img; /* the picture shown (a reference), or NULL */
};

/* The store's entry for bytes p[0, n) as node's picture (a reference), or misuse naming api and
 * NULL. */
static struct pn_image *picture(pn_node *node, const void *p, size_t n, const char *api,
                                pn_here here)
{
    pn_session *s = node->s;
    const pn_image_opts *o = PN_COPTS(node, pn_image_opts);
    if (!p || n == 0) {
        pn__session_misuse(s, here, "%s: %s", api, p ? "no bytes (the length is 0)" : "NULL bytes");
        return NULL;
    }
    if (n > PN_IMAGE_MAX) {
        pn__session_misuse(s, here, "%s: %zu bytes, over the 16 MiB a picture may have", api, n);
        return NULL;
    }
    struct pn_image_info info;
    const char *given = o->mime ? pn__image_ext(o->mime) : NULL;
    if (pn__image_sniff(p, n, &info) == 0) {
        if (given && strcmp(given, info.ext) != 0)
            pn__session_misuse(s, here, "%s: .mime is %s but the bytes are %s: served as %s", api,
                               o->mime, info.mime, info.mime);
    } else if (given) {
        info = (struct pn_image_info){.mime = pn__image_mime(pn__str(given)), .ext = given};
    } else {
        pn__session_misuse(s, here,
                           "%s: the bytes are not a PNG, JPEG, GIF, WebP or SVG picture (for "
                           "another type pane serves, give .mime)",
                           api);
        return NULL;
    }
    return pn__images_put(p, n, &info);
}

/* A setter's new picture (a reference; NULL: none): the page follows when it is another one. */
static void show(pn_node *n, struct pn_image *img)
{
    struct state *st = pn__node_state(n);
    if (img == st->img) {
        pn__images_release(img); /* the same picture again: nothing changes */
        return;
    }
    pn__images_release(st->img);
    st->img = img;
    pn__node_touch(n);
}

/* The picture in the file at path (regular, at most PN_IMAGE_MAX bytes: anything else is
 * never opened, and the open does not block), as picture's; misuse naming api and NULL
 * otherwise. */
static struct pn_image *picture_file(pn_node *node, const char *path, const char *api, pn_here here)
{
    struct pn_image *img = NULL;
    const char *why = NULL;
    char *bytes = NULL;
    size_t len = 0;
    struct stat sb;
    int fd = -1;
    if (stat(path, &sb) != 0)
        why = strerror(errno);
    else if (!S_ISREG(sb.st_mode))
        why = "not a regular file"; /* a FIFO or a device is not opened */
    else if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0 || fstat(fd, &sb) != 0)
        why = strerror(errno);
    else if (!S_ISREG(sb.st_mode))
        why = "not a regular file";
    else if ((uint64_t)sb.st_size > PN_IMAGE_MAX)
        why = "over the 16 MiB a picture may have";
    else {
        bytes = pn__xmalloc((size_t)sb.st_size + 1);
        while (len < (size_t)sb.st_size) {
            ssize_t k = read(fd, bytes + len, (size_t)sb.st_size - len);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                why = strerror(errno);
            if (k <= 0)
                break; /* an error, or the file shrank: what was read */
            len += (size_t)k;
        }
        if (!why && len == 0)
            why = "an empty file";
    }
    if (fd >= 0)
        close(fd);
    if (why) {
        char *shown = pn__xstrdup_utf8(path); /* the message is text */
        pn__session_misuse(node->s, here, "%s: \"%.200s\": %s", api, shown, why);
        free(shown);
    } else {
        img = picture(node, bytes, len, api, here);
    }
    free(bytes);
    return img;
}

static void init(pn_node *n, const void *given, pn_here here)
{
    pn_image_opts *o = PN_OPTS(n, pn_image_opts);
    const pn_image_opts *g = given;
    const void *data = g ? g->data : NULL;
    size_t len = g ? g->len : 0;
    const char *path = g ? g->path : NULL;
    o->data = NULL, o->len = 0, o->path = NULL; /* the node keeps its picture, not these */
    if (!o->alt)
        o->alt = "";
    if (o->mime && !pn__image_ext(o->mime)) {
        pn__session_misuse(n->s, here, "Image.mime: \"%.60s\" is not a type pane serves (%s)",
                           o->mime, pn__image_types());
        o->mime = NULL;
    }
    struct state *st = pn__node_state(n);
    if (data && path)
        pn__session_misuse(n->s, here, "Image: both .data and .path; it shows neither (its alt)");
    else if (path)
        st->img = picture_file(n, path, "Image.path", here);
    else if (data || len)
        st->img = picture(n, data, len, "Image", here);
    else
        pn__session_misuse(n->s, here, "Image without .data or .path: it shows its alt text");
}

/* PREFIX/_pane/img/KEY, escaped, as src's value. */
static int put_src(struct pn_buf *out, const pn_node *n, const struct pn_image *img)
{
    int rc = pn__html_text(out, n->s->prefix);
    if (rc == 0)
        rc = PN_PUT(out, "/_pane/img/");
    return rc ? rc : pn__buf_puts(out, pn__image_key(img));
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_image_opts *o = PN_COPTS(n, pn_image_opts);
    const struct state *st = pn__node_state(n);
    int rc;
    if ((rc = pn__html_open(out, "figure", "pn-image", n)) || (rc = PN_PUT(out, "><img")))
        return rc;
    if (st->img) {
        const struct pn_image_info *i = pn__image_info(st->img);
        if ((rc = PN_PUT(out, " src=\"")) || (rc = put_src(out, n, st->img)) ||
            (rc = PN_PUT(out, "\"")))
            return rc;
        if (i->width && (rc = pn__buf_printf(out, " width=\"%u\" height=\"%u\"", (unsigned)i->width,
                                             (unsigned)i->height)))
            return rc;
    }
    if ((rc = PN_PUT(out, " alt=\"")) || (rc = pn__html_text(out, o->alt)) ||
        (rc = PN_PUT(out, "\">")))
        return rc;
    if (o->caption && *o->caption &&
        ((rc = PN_PUT(out, "<figcaption class=\"pn-image-caption\">")) ||
         (rc = pn__html_text(out, o->caption)) || (rc = PN_PUT(out, "</figcaption>"))))
        return rc;
    return PN_PUT(out, "</figure>");
}

/* {"src", "width", "height"} of the picture shown into obj. */
static int picture_json(const pn_node *n, void *obj)
{
    const struct state *st = pn__node_state(n);
    struct pn_buf src;
    pn__buf_init(&src, 4096);
    int rc = 0;
    uint32_t w = 0, h = 0;
    if (st->img) {
        rc = pn__buf_puts(&src, n->s->prefix);
        rc = rc ? rc : PN_PUT(&src, "/_pane/img/");
        rc = rc ? rc : pn__buf_puts(&src, pn__image_key(st->img));
        w = pn__image_info(st->img)->width;
        h = pn__image_info(st->img)->height;
    }
    if (rc == 0 && (pn__json_set(obj, "src", json_stringn(src.data ? src.data : "", src.len)) ||
                    pn__json_set(obj, "width", json_integer(w)) ||
                    pn__json_set(obj, "height", json_integer(h))))
        rc = PN_EINVAL;
    pn__buf_fini(&src);
    return rc;
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    for (size_t i = 0; i < PN_COUNT(image_props); i++)
        if ((mask & (1u << i)) && !(image_props[i].flags & PN_PF_HIDDEN) &&
            pn__json_set(changes, image_props[i].name, pn__prop_json(n, &image_props[i])))
            return PN_EINVAL;
    return mask & PN_DIRTY_DATA ? picture_json(n, changes) : 0;
}

static int doc(const pn_node *n, void *props)
{
    return picture_json(n, props);
}

static void fini(pn_node *n)
{
    struct state *st = pn__node_state(n);
    pn__images_release(st->img);
    st->img = NULL;
}

const struct pn_kind pn__kind_image = {
    .name = "Image",
    .css_class = "pn-image",
    .opts_size = sizeof(pn_image_opts),
    .state_size = sizeof(struct state),
    .props = image_props,
    .nprops = PN_COUNT(image_props),
    .init = init,
    .html = html,
    .patch = patch,
    .doc = doc,
    .fini = fini,
};

pn_node *pn_image_new(pn_session *s, const pn_image_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_image, o, here);
}

/* n is an Image the caller's thread may change; misuse naming api otherwise. */
static bool image_of(pn_node *n, const char *api, pn_here here)
{
    if (!n || !pn__session_owned(n->s, here, api))
        return false;
    if (pn__is(n, &pn__kind_image))
        return true;
    pn__session_misuse(n->s, here, "%s called on a %s (made at %s:%d)", api, n->desc->name,
                       n->here.file ? n->here.file : "?", n->here.line);
    return false;
}

void pn_image_set_at(pn_node *n, const void *data, size_t len, pn_here here)
{
    if (!image_of(n, "pn_image_set", here))
        return;
    if (!data && !len) {
        show(n, NULL); /* none: the alt text */
        return;
    }
    struct pn_image *img = picture(n, data, len, "pn_image_set", here);
    if (img)
        show(n, img);
}

void pn_image_set_path_at(pn_node *n, const char *path, pn_here here)
{
    if (!image_of(n, "pn_image_set_path", here))
        return;
    struct pn_image *img = NULL;
    if (!path)
        pn__session_misuse(n->s, here, "pn_image_set_path: NULL path");
    else
        img = picture_file(n, path, "pn_image_set_path", here);
    if (img)
        show(n, img);
}

static const struct pn_kind *const images[] = {&pn__kind_image, NULL};

void pn_image_set_alt_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, images, "alt", PN_STR(v), "pn_image_set_alt", here);
}
void pn_image_set_caption_at(pn_node *n, const char *v, pn_here here)
{
    pn__setter(n, images, "caption", PN_STR(v), "pn_image_set_caption", here);
}
