/*
 * test_images: the pictures of pn_image (base/images.h).
 *
 * Sniffing: each type pane recognises, with the size its header gives; what is not a picture
 * (no bytes, a PNG signature without its IHDR, text, an XML document without <svg>); every
 * prefix of every sample from a heap block of exactly that size (ASan: nothing is read past the
 * bytes); the type tables; the keys a URL may name.
 *
 * The store: equal bytes are one entry (references counted), the type is part of the key; the
 * least recently used entry no node holds goes first when memory is over the bound, a get
 * counts as a use; held pictures stay until they are on disk; bytes a response holds outlive
 * their entry; every picture is written once to the folder (a temporary file renamed: whole,
 * 0600), one already there is not written again, a picture whose last node went while it was
 * being written is still written whole; eight threads putting and releasing at once leave
 * nothing held.
 */
#include <dirent.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/images.h"

/* ---- samples ---- */

/* A 32×32 RGBA PNG (examples/gallery.c's). */
static const unsigned char png32[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20, 0x08, 0x06, 0x00, 0x00, 0x00, 0x73,
    0x7a, 0x7a, 0xf4, 0x00, 0x00, 0x00, 0x48, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60,
    0x18, 0x05, 0x74, 0x02, 0x6f, 0x73, 0x98, 0xfe, 0x23, 0xe3, 0x51, 0x07, 0x0c, 0x23, 0x07,
    0x14, 0x6d, 0xfd, 0x8f, 0x82, 0x47, 0x1d, 0x30, 0xea, 0x00, 0x1c, 0x62, 0x43, 0xd0, 0x01,
    0x44, 0x06, 0xed, 0xa8, 0x03, 0x46, 0x98, 0x03, 0x28, 0x10, 0x1b, 0x75, 0xc0, 0x20, 0x77,
    0x00, 0x95, 0x2d, 0x1b, 0x75, 0xc0, 0xa8, 0x03, 0x46, 0x1d, 0x30, 0xea, 0x80, 0x21, 0xe8,
    0x80, 0x91, 0x0c, 0x00, 0x29, 0x0d, 0xea, 0x9e, 0xb6, 0x8a, 0x56, 0x75, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
/* A JPEG's head: SOI, an APP0 (JFIF), a DQT-sized filler segment, fill bytes, SOF2 (progressive)
 * of 640×480. */
static const unsigned char jpeg[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J',  'F',  'I',  'F',
                                     0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
                                     0xFF, 0xDB, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xC2,
                                     0x00, 0x11, 0x08, 0x01, 0xE0, 0x02, 0x80, 0x03, 0x01, 0x22,
                                     0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9};
static const unsigned char gif[] = {'G',  'I',  'F',  '8',  '9',  'a',  0x2c, 0x01, 0xc8,
                                    0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3b};
/* WebP: lossy (VP8) 300×200, lossless (VP8L) 17×5, extended (VP8X) 1024×768. */
static const unsigned char webp_vp8[30] = {
    'R', 'I', 'F', 'F', 22, 0,    0,    0,    'W',  'E',  'B',  'P',  'V',  'P',  '8',
    ' ', 10,  0,   0,   0,  0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x2c, 0x01, 0xc8, 0x00};
static const unsigned char webp_vp8l[25] = {'R', 'I', 'F',  'F', 17,  0,   0,   0, 'W',
                                            'E', 'B', 'P',  'V', 'P', '8', 'L', 5, 0,
                                            0,   0,   0x2f, 16,  0,   1,   0};
static const unsigned char webp_vp8x[30] = {
    'R', 'I', 'F', 'F', 22, 0,    0, 0, 'W', 'E',  'B',  'P',  'V',  'P',  '8',
    'X', 10,  0,   0,   0,  0x10, 0, 0, 0,   0xff, 0x03, 0x00, 0xff, 0x02, 0x00};
static const char svg_plain[] = "<svg xmlns='http://www.w3.org/2000/svg' width=\"120\" "
                                "stroke-width='9' height='40.4px'><rect/></svg>";
static const char svg_prolog[] = "\xEF\xBB\xBF \n<?xml version=\"1.0\"?>\n<!-- a comment -->\n"
                                 "<!DOCTYPE svg>\n<svg viewBox='0 0 10 10' width='50%'/>";

struct sample {
    const char *name;
    const void *p;
    size_t n;
    const char *mime;
    uint32_t w, h;
};
static const struct sample samples[] = {
    {"png", png32, sizeof png32, "image/png", 32, 32},
    {"jpeg", jpeg, sizeof jpeg, "image/jpeg", 640, 480},
    {"gif", gif, sizeof gif, "image/gif", 300, 200},
    {"webp vp8", webp_vp8, sizeof webp_vp8, "image/webp", 300, 200},
    {"webp vp8l", webp_vp8l, sizeof webp_vp8l, "image/webp", 17, 5},
    {"webp vp8x", webp_vp8x, sizeof webp_vp8x, "image/webp", 1024, 768},
    {"svg", svg_plain, sizeof svg_plain - 1, "image/svg+xml", 120, 40},
    {"svg prolog", svg_prolog, sizeof svg_prolog - 1, "image/svg+xml", 0, 0},
};

/* ---- sniffing ---- */

static void test_sniff_recognises_each_type_and_its_size(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        const struct sample *s = &samples[i];
        struct pn_image_info info = {0};
        if (pn__image_sniff(s->p, s->n, &info) != 0)
            fail_msg("%s: not recognised", s->name);
        assert_string_equal(info.mime, s->mime);
        assert_string_equal(pn__image_mime(pn__str(info.ext)), s->mime);
        if (info.width != s->w || info.height != s->h)
            fail_msg("%s: %ux%u, want %ux%u", s->name, info.width, info.height, s->w, s->h);
    }
    /* a JPEG whose scan comes before any frame header: a JPEG of no known size */
    static const unsigned char jpeg_scan[] = {0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x02, 0x00};
    struct pn_image_info info;
    assert_int_equal(pn__image_sniff(jpeg_scan, sizeof jpeg_scan, &info), 0);
    assert_string_equal(info.ext, "jpg");
    assert_int_equal(info.width, 0);
    /* an SVG whose width and height are not both pixels has no size */
    static const char em[] = "<svg width='3em' height='20'></svg>";
    assert_int_equal(pn__image_sniff(em, strlen(em), &info), 0);
    assert_int_equal(info.width + info.height, 0);
}

static void test_sniff_refuses_what_is_not_a_picture(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",
        "hello",
        "<svgx width='1'>",
        "<?xml version='1.0'?><html/>",
        "<html><body>",
        "GIF87",
        "RIFF\x10\0\0\0WAVEfmt ",
        " <!-- no picture here -->",
    };
    struct pn_image_info info = {.mime = "untouched"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        if (pn__image_sniff(texts[i], strlen(texts[i]), &info) != PN_ENOTFOUND)
            fail_msg("\"%s\" recognised as %s", texts[i], info.mime);
    assert_int_equal(pn__image_sniff(NULL, 10, &info), PN_ENOTFOUND);
    assert_int_equal(pn__image_sniff(png32, 0, &info), PN_ENOTFOUND);
    for (size_t n = 1; n < 24; n++) /* a PNG's signature and a cut IHDR */
        assert_int_equal(pn__image_sniff(png32, n, &info), PN_ENOTFOUND);
    assert_string_equal(info.mime, "untouched");
    /* an <svg> past the first 4 KiB of an XML document is not looked for */
    char big[5000];
    memcpy(big, "<?xml version='1.0'?>", 21);
    memset(big + 21, ' ', sizeof big - 21);
    memcpy(big + 4500, "<svg/>", 6);
    assert_int_equal(pn__image_sniff(big, sizeof big, &info), PN_ENOTFOUND);
}

static void test_sniff_reads_nothing_past_the_bytes(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
        for (size_t n = 0; n <= samples[i].n; n++) {
            unsigned char *copy = malloc(n ? n : 1); /* exactly n: ASan sees any read past it */
            assert_non_null(copy);
            memcpy(copy, samples[i].p, n);
            struct pn_image_info info;
            (void)pn__image_sniff(copy, n, &info);
            free(copy);
        }
}

static void test_types_and_keys(void **state)
{
    (void)state;
    assert_string_equal(pn__image_ext("image/jpeg"), "jpg");
    assert_string_equal(pn__image_ext("image/vnd.microsoft.icon"), "ico");
    assert_string_equal(pn__image_ext("image/avif"), "avif");
    assert_null(pn__image_ext("text/html"));
    assert_null(pn__image_ext("image/svg"));
    assert_null(pn__image_ext(NULL));
    assert_string_equal(pn__image_mime(PN_STRLIT("svg")), "image/svg+xml");
    assert_null(pn__image_mime(PN_STRLIT("jpeg")));
    assert_null(pn__image_mime(PN_STRLIT("")));
    const char *hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    char key[100];
    snprintf(key, sizeof key, "%s.png", hex);
    assert_true(pn__image_key_ok(pn__str(key)));
    snprintf(key, sizeof key, "%s.webp", hex);
    assert_true(pn__image_key_ok(pn__str(key)));
    static const char *const bad[] = {
        "../../etc/passwd",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeF.png",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde.png",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0.png",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg.png",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.exe",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.png/",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.pngpngpng",
        "",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (pn__image_key_ok(pn__str(bad[i])))
            fail_msg("\"%s\" accepted", bad[i]);
}

/* ---- the store ---- */

/* n bytes of a "picture" seeded by seed (the store does not look inside). */
static unsigned char *bytes_of(int seed, size_t n)
{
    unsigned char *b = malloc(n);
    assert_non_null(b);
    for (size_t i = 0; i < n; i++)
        b[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 8));
    return b;
}

static const struct pn_image_info png_info = {"image/png", "png", 1, 1};

static struct pn_images_stats stats(void)
{
    struct pn_images_stats s;
    pn__images_stats(&s);
    return s;
}

static int setup(void **state)
{
    (void)state;
    pn__images_init(&(struct pn_images_opts){0});
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pn__images_fini();
    assert_int_equal(stats().entries, 0); /* every test released what it held */
    return 0;
}

static void test_store_keeps_equal_bytes_once(void **state)
{
    (void)state;
    unsigned char *a = bytes_of(1, 1000), *b = bytes_of(1, 1000);
    struct pn_image *x = pn__images_put(a, 1000, &png_info);
    struct pn_image *y = pn__images_put(b, 1000, &png_info);
    assert_ptr_equal(x, y);
    struct pn_images_stats s = stats();
    assert_int_equal(s.entries, 1);
    assert_int_equal(s.refs, 2);
    assert_int_equal(s.memory, 1000 + PN_IMAGE_OVERHEAD);
    char want[65];
    pn__sha256_hex(a, 1000, want);
    assert_memory_equal(pn__image_key(x), want, 64);
    assert_string_equal(pn__image_key(x) + 64, ".png");
    assert_int_equal(pn__image_info(x)->width, 1);
    /* the same bytes of another type are another picture (another URL) */
    struct pn_image *z = pn__images_put(a, 1000, &(struct pn_image_info){"image/gif", "gif"});
    assert_ptr_not_equal(z, x);
    assert_int_equal(stats().entries, 2);
    assert_int_equal(stats().memory, 2 * (1000 + PN_IMAGE_OVERHEAD)); /* kept per key */
    struct pn_image_bytes *got = pn__images_get(pn__str(pn__image_key(x)));
    assert_non_null(got);
    assert_int_equal(got->len, 1000);
    assert_memory_equal(got->data, a, 1000);
    pn__image_bytes_unref(got);
    assert_null(pn__images_get(PN_STRLIT("00.png")));
    pn__images_release(x);
    pn__images_release(y);
    pn__images_release(z);
    s = stats();
    assert_int_equal(s.held, 0);
    assert_int_equal(s.entries, 2); /* no node holds them; memory allows them */
    free(a), free(b);
}

static void test_store_drops_the_least_recently_used_unheld_first(void **state)
{
    (void)state;
    pn__images_init(&(struct pn_images_opts){.max_memory = 3 * (1000 + PN_IMAGE_OVERHEAD)});
    char keys[5][PN_IMAGE_KEY_MAX];
    for (int i = 0; i < 5; i++) {
        unsigned char *b = bytes_of(10 + i, 1000);
        struct pn_image *img = pn__images_put(b, 1000, &png_info);
        memcpy(keys[i], pn__image_key(img), PN_IMAGE_KEY_MAX);
        pn__images_release(img);
        free(b);
        if (i == 2) { /* a get counts as a use: 0 is now newer than 1 */
            struct pn_image_bytes *got = pn__images_get(pn__str(keys[0]));
            assert_non_null(got);
            pn__image_bytes_unref(got);
        }
    }
    struct pn_images_stats s = stats();
    assert_true(s.memory <= 3 * (1000 + PN_IMAGE_OVERHEAD));
    assert_int_equal(s.entries, 3);
    bool kept[5];
    for (int i = 0; i < 5; i++) {
        struct pn_image_bytes *got = pn__images_get(pn__str(keys[i]));
        kept[i] = got != NULL;
        pn__image_bytes_unref(got);
    }
    assert_true(kept[0] && !kept[1] && !kept[2] && kept[3] && kept[4]);
}

static void test_store_keeps_what_nodes_hold_over_the_bound(void **state)
{
    (void)state;
    pn__images_init(
        &(struct pn_images_opts){.max_memory = 1000 + PN_IMAGE_OVERHEAD}); /* no folder */
    struct pn_image *held[3];
    unsigned char *b[3];
    for (int i = 0; i < 3; i++) {
        b[i] = bytes_of(20 + i, 1000);
        held[i] = pn__images_put(b[i], 1000, &png_info);
    }
    assert_int_equal(stats().memory, 3 * (1000 + PN_IMAGE_OVERHEAD)); /* nowhere else to be */
    assert_int_equal(stats().in_memory, 3);
    /* bytes a response holds outlive their entry */
    struct pn_image_bytes *sending = pn__images_get(pn__str(pn__image_key(held[0])));
    pn__images_release(held[0]);
    assert_int_equal(stats().entries, 2);
    assert_memory_equal(sending->data, b[0], 1000);
    pn__image_bytes_unref(sending);
    pn__images_release(held[1]);
    pn__images_release(held[2]);
    assert_int_equal(stats().memory, 1000 + PN_IMAGE_OVERHEAD);
    for (int i = 0; i < 3; i++)
        free(b[i]);
}

/* A folder of this test's own; its files are removed by rm_dir. */
static char *tmp_dir(void)
{
    char *d = strdup("/tmp/pane-test-images.XXXXXX");
    assert_non_null(d);
    assert_non_null(mkdtemp(d));
    return d;
}

static int count_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *de; (de = readdir(d));)
        n += strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void rm_dir(char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    for (struct dirent *de; (de = readdir(d));)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            unlinkat(dirfd(d), de->d_name, 0);
    closedir(d);
    assert_int_equal(rmdir(dir), 0);
    free(dir);
}

/* The file of key in dir equals p[0, n) and is 0600. */
static void assert_file(const char *dir, const char *key, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, key);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal((size_t)sb.st_size, n);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *got = malloc(n + 1);
    assert_int_equal(fread(got, 1, n + 1, f), n);
    fclose(f);
    assert_memory_equal(got, p, n);
    free(got);
    char back[512];
    assert_int_equal(pn__images_path(pn__str(key), back, sizeof back), 0);
    assert_string_equal(back, path);
}

static void test_store_writes_each_picture_once_to_its_folder(void **state)
{
    (void)state;
    char *dir = tmp_dir();
    pn__images_init(&(struct pn_images_opts){.max_memory = 1500, .dir = dir});
    struct pn_images_stats before = stats();
    unsigned char *a = bytes_of(30, 1000), *b = bytes_of(31, 1000);
    struct pn_image *x = pn__images_put(a, 1000, &png_info);
    struct pn_image *x2 = pn__images_put(a, 1000, &png_info);
    pn__images_flush();
    assert_file(dir, pn__image_key(x), a, 1000);
    assert_int_equal(stats().written, before.written + 1); /* once, for two nodes */
    /* a second held picture puts memory over the bound: the first, on disk, lets its bytes go
     * but stays (its nodes' URL is served from the folder) */
    struct pn_image *y = pn__images_put(b, 1000, &png_info);
    pn__images_flush();
    assert_file(dir, pn__image_key(y), b, 1000);
    struct pn_images_stats s = stats();
    assert_int_equal(s.entries, 2);
    assert_int_equal(s.in_memory, 1);
    assert_true(s.memory <= 1500);
    assert_null(pn__images_get(pn__str(pn__image_key(x))));
    /* the same bytes again take the entry back into memory, not written again */
    struct pn_image *x3 = pn__images_put(a, 1000, &png_info);
    assert_ptr_equal(x3, x);
    pn__images_flush();
    assert_int_equal(stats().written, before.written + 2);
    pn__images_release(x), pn__images_release(x2), pn__images_release(x3);
    pn__images_release(y);
    /* another process (a worker, an earlier run) finds the file there */
    pn__images_fini();
    pn__images_init(&(struct pn_images_opts){.dir = dir});
    before = stats();
    struct pn_image *again = pn__images_put(b, 1000, &png_info);
    pn__images_flush();
    assert_int_equal(stats().written, before.written);
    assert_int_equal(stats().found, before.found + 1);
    pn__images_release(again);
    assert_int_equal(count_files(dir), 2); /* no temporary file left */
    pn__images_fini();
    rm_dir(dir);
    free(a), free(b);
}

static void test_store_writes_a_picture_whose_nodes_went_meanwhile(void **state)
{
    (void)state;
    char *dir = tmp_dir();
    pn__images_init(&(struct pn_images_opts){.max_memory = 1, .dir = dir});
    size_t n = 12u << 20;
    unsigned char *big = bytes_of(40, n);
    struct pn_image *img = pn__images_put(big, n, &png_info);
    char key[PN_IMAGE_KEY_MAX];
    memcpy(key, pn__image_key(img), sizeof key);
    pn__images_release(img);             /* the session ends while the file is written */
    assert_int_equal(stats().memory, 0); /* dropped at once: over the bound, held by nobody */
    pn__images_flush();
    assert_file(dir, key, big, n);
    assert_int_equal(stats().entries, 0);
    pn__images_fini();
    rm_dir(dir);
    free(big);
}

static void test_store_without_a_usable_folder_keeps_pictures_in_memory(void **state)
{
    (void)state;
    pn__images_init(&(struct pn_images_opts){.max_memory = 10, .dir = "/nonexistent/pane/img"});
    struct pn_images_stats before = stats();
    unsigned char *a = bytes_of(50, 100);
    pn__log_level = PN_LOG_CRITICAL; /* the warning */
    struct pn_image *x = pn__images_put(a, 100, &png_info);
    pn__images_flush();
    pn__log_level = PN_LOG_ERROR;
    assert_int_equal(stats().write_failed, before.write_failed + 1);
    struct pn_image_bytes *got = pn__images_get(pn__str(pn__image_key(x)));
    assert_non_null(got); /* held, not on disk: kept over the bound */
    pn__image_bytes_unref(got);
    pn__images_release(x);
    assert_int_equal(stats().entries, 0);
    free(a);
}

#define THREADS 8
#define ROUNDS 3000
static unsigned char *shared[16];

static void *churn(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;
    struct pn_image *held[8] = {0};
    for (int r = 0; r < ROUNDS; r++) {
        seed = seed * 1103515245u + 12345u;
        unsigned slot = seed >> 8 & 7, which = seed >> 12 & 15;
        if (held[slot]) {
            pn__images_release(held[slot]);
            held[slot] = NULL;
        } else {
            held[slot] = pn__images_put(shared[which], 4096, &png_info);
            struct pn_image_bytes *b = pn__images_get(pn__str(pn__image_key(held[slot])));
            if (b && memcmp(b->data, shared[which], 4096) != 0)
                return "wrong bytes";
            pn__image_bytes_unref(b);
        }
    }
    for (int i = 0; i < 8; i++)
        pn__images_release(held[i]);
    return NULL;
}

static void test_store_from_many_threads(void **state)
{
    (void)state;
    char *dir = tmp_dir();
    pn__images_init(&(struct pn_images_opts){.max_memory = 5 * 4096, .dir = dir});
    for (int i = 0; i < 16; i++)
        shared[i] = bytes_of(60 + i, 4096);
    pthread_t t[THREADS];
    for (uintptr_t i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, churn, (void *)(i + 1)), 0);
    for (int i = 0; i < THREADS; i++) {
        void *why;
        pthread_join(t[i], &why);
        if (why)
            fail_msg("thread %d: %s", i, (const char *)why);
    }
    pn__images_flush();
    struct pn_images_stats s = stats();
    assert_int_equal(s.held, 0);
    assert_int_equal(s.refs, 0);
    assert_true(s.memory <= 5 * 4096);
    assert_int_equal(count_files(dir), 16);
    for (int i = 0; i < 16; i++)
        free(shared[i]);
    pn__images_fini();
    rm_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sniff_recognises_each_type_and_its_size),
        cmocka_unit_test(test_sniff_refuses_what_is_not_a_picture),
        cmocka_unit_test(test_sniff_reads_nothing_past_the_bytes),
        cmocka_unit_test(test_types_and_keys),
        cmocka_unit_test_setup_teardown(test_store_keeps_equal_bytes_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_drops_the_least_recently_used_unheld_first,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_keeps_what_nodes_hold_over_the_bound, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_writes_each_picture_once_to_its_folder, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_writes_a_picture_whose_nodes_went_meanwhile,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_without_a_usable_folder_keeps_pictures_in_memory,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_from_many_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
