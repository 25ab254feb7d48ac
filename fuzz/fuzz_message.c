/* libFuzzer target: one client message of the live protocol (pn__msg_parse). */
#include <stdint.h>
#include <stdlib.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pn_msg m;
    const char *why = NULL;
    if (pn__msg_parse((const char *)data, size, &m, &why) == 0) {
        /* every slice of a parsed message must be readable */
        volatile size_t sum = m.token.len + m.query.len + m.prop.len;
        if (m.token.len)
            sum += (unsigned char)m.token.ptr[m.token.len - 1];
        if (m.value.type == PN_V_STR)
            sum += strlen(m.value.str);
        (void)sum;
    } else if (!why) {
        abort(); /* every refusal says why */
    }
    pn__msg_free(&m);
    return 0;
}
