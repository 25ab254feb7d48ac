/*
 * fuzz_ws: a client's byte stream through a server-side WebSocket with no socket
 * (pn__ws_feed_for_fuzz: the same wslay context, callbacks, limits and UTF-8 check as a live
 * connection). The first input byte picks the read size, so frames are split at every offset,
 * and the limits (a small max_message, a small max_outbuf); the rest is the stream. Messages
 * are echoed and every 7th asks for a close, so the send and close paths run too. Checks what
 * must always hold: a delivered message is valid UTF-8, NUL-terminated and within max_message;
 * on_close runs once, with the code returned; what the server wrote parses as unmasked server
 * frames of known opcodes, at most one close frame and nothing after it, whose code is the
 * connection's; and a protocol error always leaves with its close frame.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "net/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
    size_t max_message;
    unsigned messages, closes;
    uint16_t close_code;
};

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_ws: %s\n", what);
        abort();
    }
}

static void on_message(struct pn_ws *ws, const char *data, size_t len, void *ud)
{
    struct state *st = ud;
    check(len <= st->max_message, "message over max_message");
    check(data[len] == '\0', "message not NUL-terminated");
    check(pn__utf8_valid(data, len), "message not valid UTF-8");
    check(st->closes == 0, "message after on_close");
    if (++st->messages % 7 == 0)
        pn__ws_close(ws, (uint16_t)(len % 2 ? 1000 : 4000 + len % 999), data);
    else
        pn__ws_send(ws, data, len);
}

static void on_close(struct pn_ws *ws, uint16_t code, void *ud)
{
    (void)ws;
    struct state *st = ud;
    st->closes++;
    st->close_code = code;
}

/* Walks the server's output: returns the code of its close frame (1005 if empty), 0 if it has
 * none, and checks the framing on the way. */
static unsigned parse_output(const uint8_t *p, size_t n)
{
    size_t i = 0;
    unsigned close_code = 0;
    for (int frames = 0; i < n; frames++) {
        check(frames < 1000000, "too many frames");
        check(close_code == 0, "a frame after the close frame");
        check(n - i >= 2, "truncated frame header");
        uint8_t b0 = p[i], b1 = p[i + 1];
        unsigned op = b0 & 0xf;
        check((b0 & 0x80) && !(b0 & 0x70), "server frame not final or with RSV bits");
        check(op == 1 || op == 8 || op == 9 || op == 10, "server frame with an odd opcode");
        check(!(b1 & 0x80), "server frame masked");
        uint64_t len = b1 & 0x7f;
        i += 2;
        if (len == 126) {
            check(n - i >= 2, "truncated length");
            len = (uint64_t)p[i] << 8 | p[i + 1];
            check(len >= 126, "non-minimal length");
            i += 2;
        } else if (len == 127) {
            check(n - i >= 8, "truncated length");
            len = 0;
            for (int k = 0; k < 8; k++)
                len = len << 8 | p[i + (size_t)k];
            check(len >= 65536, "non-minimal length");
            i += 8;
        }
        check(len <= n - i, "truncated payload");
        if (op >= 8)
            check(len <= 125, "control frame over 125 bytes");
        if (op == 8) {
            check(len != 1, "close frame with a 1-byte payload");
            close_code = len >= 2 ? (unsigned)p[i] << 8 | p[i + 1] : 1005;
            check(pn__utf8_valid(p + i + (len >= 2 ? 2 : 0), len >= 2 ? len - 2 : 0),
                  "close reason not UTF-8");
        }
        if (op == 1)
            check(pn__utf8_valid(p + i, len), "text frame not UTF-8");
        i += len;
    }
    return close_code;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    pn__log_level = PN_LOG_ERROR;
    uint8_t cfg = data[0];
    static const size_t chunks[8] = {0, 1, 2, 3, 7, 64, 1000, 4096};
    struct pn_ws_opts o = {
        .max_message = (size_t)16 << ((cfg >> 3) & 7), /* 16 … 2048 */
        .max_outbuf = cfg & 0x40 ? 300 : 1 << 20,
    };
    struct state st = {.max_message = o.max_message};
    struct pn_buf out;
    pn__buf_init(&out, 4 << 20);
    const struct pn_ws_handler h = {on_message, on_close};
    uint16_t code = pn__ws_feed_for_fuzz(&o, &h, &st, data + 1, size - 1, chunks[cfg & 7], &out);
    check(st.closes == 1, "on_close not called exactly once");
    check(st.close_code == (code ? code : 1006), "on_close code differs from the result");
    unsigned sent = parse_output((const uint8_t *)out.data, out.len);
    if (sent)
        check(sent == code || sent == 1005 || code == 1008,
              "the close frame sent differs from the connection's code");
    /* (with the small max_outbuf a close frame may not fit behind unwritten echoes: the
     * connection is then dropped without one) */
    if ((code == 1002 || code == 1003 || code == 1007 || code == 1009) && !(cfg & 0x40))
        check(sent == code, "a protocol error without its close frame");
    pn__buf_fini(&out);
    return 0;
}
