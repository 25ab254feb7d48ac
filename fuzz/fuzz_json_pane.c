/*
 * fuzz_json_pane: the JSON pane (src/kinds/json.c) on arbitrary text: built with every depth
 * the first byte picks, then its text replaced by the setter, each rendered into a bounded
 * buffer. Checks that the render succeeds or fails cleanly (PN_ETOOBIG, the buffer as it was),
 * that no markup of the input survives (every '<' in the output opens or closes one of the
 * pane's own tags), and that the tree never nests deeper than its bound of 64 levels.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kinds/kinds.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const tags[] = {"div",      "/div", "details", "/details", "summary",
                                   "/summary", "span", "/span",   "pre",      "/pre"};

static void check(const pn_node *n, size_t max)
{
    struct pn_buf b;
    pn__buf_init(&b, max);
    int rc = pn__render_node(&b, n);
    if (rc != 0 && (rc != PN_ETOOBIG || b.len != 0))
        abort();
    int open = 0;
    for (size_t i = 0; rc == 0 && i < b.len; i++) {
        if (b.data[i] != '<')
            continue;
        size_t k = 0;
        while (k < PN_COUNT(tags)) {
            size_t l = strlen(tags[k]);
            if (i + 1 + l < b.len && memcmp(b.data + i + 1, tags[k], l) == 0 &&
                (b.data[i + 1 + l] == '>' || b.data[i + 1 + l] == ' '))
                break;
            k++;
        }
        if (k == PN_COUNT(tags))
            abort(); /* a tag that is not the pane's own */
        open += strcmp(tags[k], "details") == 0 ? 1 : strcmp(tags[k], "/details") == 0 ? -1 : 0;
        if (open > 64)
            abort();
    }
    pn__buf_fini(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn__log_level = PN_LOG_CRITICAL; /* misuse is expected: not JSON, too deep */
    int depth = size ? (int)(data[0] % 70) - 2 : 1;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* a NUL inside ends the app's C string, as it would */
    pn_session *s = pn__session_new(&(struct pn_session_init){.app_name = "fuzz"});
    pn_node *j = pn_json(s, .json = text, .depth = depth);
    pn_servable(s, j);
    check(j, 1u << 20);
    check(j, 256); /* a tight bound: the render must fail cleanly */
    pn_json_set_text(j, size > 1 ? text + 1 : "{}");
    pn_json_set_depth(j, -1);
    check(j, 1u << 20);
    pn__session_free(s);
    free(text);
    return 0;
}
