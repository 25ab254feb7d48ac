/*
 * images: the pictures pn_image shows, for every session of the process.
 *
 *   - sniff.c: what a picture's bytes are (PNG, JPEG, GIF, WebP, SVG) by their magic, and its
 *     size in pixels where the header says it, without reading outside the bytes (a pure
 *     function, fuzzed by fuzz/fuzz_image.c).
 *   - images.c: a content-addressed store, keyed "<sha256 hex>.<ext>". Equal bytes are kept
 *     once however many nodes show them (1,000 sessions of one logo: one copy). Each node holds
 *     a reference; the bytes stay in memory at least while a node holds them and is not yet
 *     written to disk, and an entry no node holds stays while the memory bound allows (least
 *     recently used dropped first). Every picture is also written, once, to the image folder
 *     (`<cache>/img/<key>`, a temporary file renamed into place, by a thread of the store's
 *     own: never on a loop), so that another worker process, or a page cached long ago, finds
 *     it after the memory has let it go. Thread: any (one lock).
 *
 * The server serves them at PREFIX/_pane/img/<key> (server/static.c).
 */
#ifndef PN_IMAGES_H
#define PN_IMAGES_H

#include <stdatomic.h>

#include "base/base.h"

#define PN_IMAGE_MAX (16u << 20)     /* the largest picture: bigger ones are the app's misuse */
#define PN_IMAGES_MEMORY (64u << 20) /* bytes of pictures kept in memory by default */
#define PN_IMAGE_KEY_MAX (64 + 1 + 4 + 1) /* "<64 hex>.<ext>" and its NUL */
/* What a picture in memory costs besides its bytes (its entry, its allocations), counted
 * against the bound: a million tiny pictures are bounded too. */
#define PN_IMAGE_OVERHEAD 256

/* ---- what the bytes are (sniff.c) ---------------------------------------------------------- */

struct pn_image_info {
    const char *mime;       /* "image/png" */
    const char *ext;        /* "png": the key's, and the URL's */
    uint32_t width, height; /* pixels; 0 when the bytes do not say (an SVG without them) */
};
/* The type of p[0, n) by its magic — PNG (with its IHDR), JPEG, GIF, WebP (VP8, VP8L, VP8X),
 * SVG (text starting with `<svg`, or with `<?xml`, `<!--` or `<!DOCTYPE` and an `<svg` element
 * in its first 4 KiB, after an optional BOM and white space) — with the size the header gives
 * (JPEG: its first SOF segment; SVG: numeric width and height attributes). 0 with *out, or
 * PN_ENOTFOUND (*out untouched). Reads nothing outside p[0, n). */
int pn__image_sniff(const void *p, size_t n, struct pn_image_info *out);
/* The image types pane serves: the extension of a MIME type ("image/jpeg" → "jpg"; NULL for
 * one that is not served), and the MIME type of an extension ("svg" → "image/svg+xml"; NULL). */
const char *pn__image_ext(const char *mime);
const char *pn__image_mime(pn_str ext);
/* The list of those MIME types, for messages ("image/png, image/jpeg, …"). */
const char *pn__image_types(void);

/* ---- the store (images.c) ----------------------------------------------------------------- */

struct pn_images_opts {
    size_t max_memory; /* bytes of pictures no node holds, or already on disk, kept in memory
                          at most (with PN_IMAGE_OVERHEAD each). default PN_IMAGES_MEMORY */
    const char *dir;   /* the image folder (made and checked by the caller); NULL: memory
                          only */
};
/* Sets the store's bound and folder (copied); the pictures it holds stay. The runtime calls it
 * once a process uses pane; tests call it again. */
void pn__images_init(const struct pn_images_opts *o);
/* Waits for the writes under way, stops the writer thread and frees every picture no node
 * holds (for the runtime's end and for tests). */
void pn__images_fini(void);

struct pn_image; /* an entry of the store */
/* A reference to the picture of p[0, n) (n <= PN_IMAGE_MAX; info from pn__image_sniff, or the
 * app's MIME type with no size): the equal entry, or a new one holding a copy of the bytes,
 * queued to be written to the folder. Hashes outside the lock. Never fails. */
struct pn_image *pn__images_put(const void *p, size_t n, const struct pn_image_info *info);
/* Another reference to img (a node made with the same picture). */
struct pn_image *pn__images_ref(struct pn_image *img);
/* Drops a reference (NULL: nothing). The last one leaves the entry to the memory bound. */
void pn__images_release(struct pn_image *img);
/* Its key "<sha256 hex>.<ext>", its type and size. Valid while the reference is held. */
const char *pn__image_key(const struct pn_image *img);
const struct pn_image_info *pn__image_info(const struct pn_image *img);

/* Bytes being served: a reference that keeps them while a response is written. */
struct pn_image_bytes {
    atomic_uint refs;
    size_t len;
    unsigned char data[];
};
/* The bytes of key when they are in memory (a reference, counted as a use for the LRU order),
 * else NULL: look in the folder (pn__images_path). */
struct pn_image_bytes *pn__images_get(pn_str key);
void pn__image_bytes_unref(void *b); /* a pn_http_resp.release */
/* The path of key's file in the folder into out: 0, or PN_ENOTFOUND without a folder,
 * PN_ETOOBIG when it does not fit. key must already be checked (hex and a served ext). */
int pn__images_path(pn_str key, char *out, size_t outlen);
/* A key as the URL gives it: 64 lower-case hex digits, a dot, an extension pane serves. */
bool pn__image_key_ok(pn_str key);

/* Waits until every write queued so far is done (tests, and a worker's end). */
void pn__images_flush(void);

struct pn_images_stats {
    size_t entries;   /* in the table */
    size_t held;      /* entries some node holds */
    size_t refs;      /* references held, summed */
    size_t in_memory; /* entries whose bytes are in memory */
    size_t memory;    /* their bytes, and PN_IMAGE_OVERHEAD for each */
    uint64_t written; /* files written to the folder */
    uint64_t found;   /* files already there (another worker, an earlier run) */
    uint64_t write_failed;
};
void pn__images_stats(struct pn_images_stats *out);

#endif
