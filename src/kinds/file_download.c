/*
 * FileDownload: a button whose click makes a file in the app (its make function, on the
 * session's loop) that the browser saves (Panel's FileDownload with a callback).
 *
 *     <button type="button" class="pn-button pn-file-download pn-button-TYPE" id="pn-N"
 *       data-pn-kind="FileDownload" [disabled]>LABEL</button>
 *
 * Events: {"prop": "clicks"}: make runs (as the widget's callback), writing the bytes with
 * pn_download_write. Patches: {"file": {"name", "mime", "data": BASE64}} once per click that
 * wrote something (at most 8 MiB of file: its base64 stays under the 16 MiB patch bound), and
 * label, button_type, disabled by name. Client: web/client/kinds/file_download.js.
 */
#include "kinds/kinds.h"

#define MAX_FILE (8u << 20)

static const struct pn_prop file_download_props[] = {
    PN_PROP(pn_file_download_opts, label, PN_PROP_STR),
    PN_PROP(pn_file_download_opts, filename, PN_PROP_STR),
    PN_PROP(pn_file_download_opts, mime, PN_PROP_STR),
    PN_PROP(pn_file_download_opts, button_type, PN_PROP_STR),
    PN_PROP(pn_file_download_opts, disabled, PN_PROP_BOOL),
};

struct pn_download {
    pn_node *n;
    struct pn_buf bytes;
    bool failed;
};

struct state {
    struct pn_buf file; /* the last click's file, base64, until the patch takes it */
};

static void init(pn_node *n, const void *given, pn_here here)
{
    (void)given;
    pn_file_download_opts *o = PN_OPTS(n, pn_file_download_opts);
    if (!o->label)
        o->label = "Download";
    if (!o->filename || !*o->filename)
        o->filename = "download";
    if (!o->mime || !*o->mime)
        o->mime = "application/octet-stream";
    o->button_type = pn__kind_button_type(n->s, here, o->button_type);
    if (!o->make)
        pn__session_misuse(n->s, here, "FileDownload without .make: its clicks save nothing");
}

/* The click's callback: make writes the file, which the patch that follows carries. */
static void make(pn_session *s, pn_node *n, void *arg)
{
    (void)arg;
    const pn_file_download_opts *o = PN_COPTS(n, pn_file_download_opts);
    if (!o->make)
        return;
    struct pn_download d = {.n = n};
    pn__buf_init(&d.bytes, MAX_FILE);
    o->make(s, n, &d, o->arg);
    struct state *st = pn__node_state(n);
    pn__buf_fini(&st->file);
    pn__buf_init(&st->file, PN_MAX_DOC);
    if (!d.failed && d.bytes.len && pn__base64(d.bytes.data, d.bytes.len, &st->file) == 0)
        pn__node_touch(n);
    else
        pn__buf_fini(&st->file);
    pn__buf_fini(&d.bytes);
}

static const char *event(pn_node *n, pn_str prop, const struct pn_value *v, struct pn_call *call,
                         const char **why)
{
    (void)v;
    if (!pn__str_eq(prop, PN_STRLIT("clicks")))
        return *why = "a FileDownload sends \"clicks\"", "bad-prop";
    if (PN_COPTS(n, pn_file_download_opts)->disabled)
        return NULL;
    *call = (struct pn_call){.fn = make, .arg = NULL};
    return NULL;
}

static int html(struct pn_buf *out, const pn_node *n)
{
    const pn_file_download_opts *o = PN_COPTS(n, pn_file_download_opts);
    return pn__kind_button_html(out, n, "pn-button pn-file-download", o->button_type, o->label,
                                o->disabled, -1);
}

static int patch(const pn_node *n, uint32_t mask, void *changes)
{
    struct state *st = pn__node_state(n);
    for (size_t i = 0; i < PN_COUNT(file_download_props); i++)
        if ((mask & (1u << i)) && pn__json_set(changes, file_download_props[i].name,
                                               pn__prop_json(n, &file_download_props[i])))
            return PN_EINVAL;
    if ((mask & PN_DIRTY_DATA) && st->file.len) {
        const pn_file_download_opts *o = PN_COPTS(n, pn_file_download_opts);
        json_t *f = json_pack("{ssssss#}", "name", o->filename, "mime", o->mime, "data",
                              st->file.data, (int)st->file.len);
        pn__buf_fini(&st->file);
        if (pn__json_set(changes, "file", f))
            return PN_EINVAL;
    }
    return 0;
}

static void fini(pn_node *n)
{
    pn__buf_fini(&((struct state *)pn__node_state(n))->file);
}

const struct pn_kind pn__kind_file_download = {
    .name = "FileDownload",
    .css_class = "pn-file-download",
    .opts_size = sizeof(pn_file_download_opts),
    .state_size = sizeof(struct state),
    .props = file_download_props,
    .nprops = PN_COUNT(file_download_props),
    .init = init,
    .event = event,
    .html = html,
    .patch = patch,
    .fini = fini,
};

pn_node *pn_file_download_new(pn_session *s, const pn_file_download_opts *o, pn_here here)
{
    return pn__node_new(s, &pn__kind_file_download, o, here);
}

void pn_download_write_at(pn_download *d, const void *bytes, size_t n, pn_here here)
{
    if (!d || d->failed || !n)
        return;
    if (!pn__session_owned(d->n->s, here, "pn_download_write"))
        return;
    if (!bytes || pn__buf_append(&d->bytes, bytes, n) != 0) {
        pn__session_misuse(d->n->s, here, "pn_download_write: %s; nothing is saved",
                           bytes ? "the file is over 8 MiB" : "NULL bytes");
        d->failed = true;
    }
}
