/*
 * fuzz_image: pn__image_sniff (src/base/sniff.c) on arbitrary bytes, then an Image node
 * (src/kinds/image.c) made of them and rendered. Checks that a recognised picture is one of
 * the five types with its own magic (a PNG starts with the PNG signature, …), that its MIME
 * type and extension agree, that a size is both dimensions or neither, and that the node
 * renders the pane's own markup only (figure, img, figcaption: the bytes never reach the
 * HTML). ASan checks that nothing past the bytes is read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/images.h"
#include "kinds/kinds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool starts(const uint8_t *d, size_t n, const char *magic, size_t k)
{
    return n >= k && memcmp(d, magic, k) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn__log_level = PN_LOG_CRITICAL; /* misuse is expected: most inputs are no picture */
    struct pn_image_info info;
    int rc = pn__image_sniff(data, size, &info);
    if (rc != 0 && rc != PN_ENOTFOUND)
        abort();
    if (rc == 0) {
        if (!info.mime || !info.ext || pn__image_mime(pn__str(info.ext)) != info.mime ||
            strcmp(pn__image_ext(info.mime), info.ext) != 0)
            abort();
        if ((info.width == 0) != (info.height == 0) || info.width > 1000000 ||
            info.height > 1000000)
            abort();
        bool magic =
            strcmp(info.ext, "png") == 0   ? starts(data, size, "\x89PNG\r\n\x1a\n", 8)
            : strcmp(info.ext, "jpg") == 0 ? starts(data, size, "\xff\xd8\xff", 3)
            : strcmp(info.ext, "gif") == 0 ? starts(data, size, "GIF8", 4)
            : strcmp(info.ext, "webp") == 0
                ? starts(data, size, "RIFF", 4) && size >= 12 && memcmp(data + 8, "WEBP", 4) == 0
                : strcmp(info.ext, "svg") == 0 && memmem(data, size, "<svg", 4);
        if (!magic)
            abort();
    }
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "fuzz"});
    pn_node *img = pn_image(s, .data = size ? data : NULL, .len = size, .alt = "a <picture>");
    pn_servable(s, img);
    struct pn_buf b;
    pn__buf_init(&b, 1u << 16);
    if (pn__render_node(&b, img) != 0)
        abort();
    static const char *const tags[] = {"<figure ", "<img ", "<img>", "</figure>"};
    size_t tagged = 0;
    for (size_t i = 0; i < b.len; i++) {
        if (b.data[i] != '<')
            continue;
        size_t k = 0;
        while (k < PN_COUNT(tags) && strncmp(b.data + i, tags[k], strlen(tags[k])) != 0)
            k++;
        if (k == PN_COUNT(tags))
            abort(); /* a tag that is not the node's own */
        tagged++;
    }
    if (tagged != 3 || (rc == 0) != (strstr(b.data, " src=\"/_pane/img/") != NULL))
        abort();
    pn__buf_fini(&b);
    pn__session_free(s);
    return 0;
}
