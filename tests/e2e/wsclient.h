/*
 * wsclient: a small blocking WebSocket client for the e2e tests, on wslay's client API. Every
 * wait (connect, handshake, each read) has a timeout, and the hostile cases can bypass wslay
 * with raw bytes (wsc_frame builds any frame, wsc_send_raw writes it).
 *
 *     char err[256];
 *     int status;
 *     struct wsc *w = wsc_connect(&(struct wsc_opts){.port = port, .path = "/ws",
 *                                 .headers = "Origin: http://127.0.0.1\r\n"},
 *                                 &status, err, sizeof err);
 *     wsc_send_text(w, "hi", 2);
 *     struct wsc_msg m;
 *     if (wsc_recv(w, 2000, &m) == 1 && m.opcode == WSC_TEXT) ...
 *     wsc_msg_free(&m);
 *     wsc_free(w);
 */
#ifndef PN_TEST_WSCLIENT_H
#define PN_TEST_WSCLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum { WSC_CONT = 0, WSC_TEXT = 1, WSC_BINARY = 2, WSC_CLOSE = 8, WSC_PING = 9, WSC_PONG = 10 };

struct wsc;

struct wsc_opts {
    const char *host; /* default "127.0.0.1" */
    int port;
    const char *path;    /* default "/" */
    const char *headers; /* extra header lines, each ending in "\r\n" (Origin: …); may be NULL */
    const void *early;   /* bytes sent in the same write as the request (frames); may be NULL */
    size_t early_len;
    int timeout_ms; /* connect, the handshake, and the default for reads. default 5000 */
    bool tls;       /* over TLS (any certificate is taken: the tests make their own) */
};

struct wsc_msg {
    int opcode; /* WSC_TEXT, WSC_BINARY, WSC_CLOSE or WSC_PONG */
    char *data; /* malloc'ed, NUL-terminated (the close reason for WSC_CLOSE) */
    size_t len;
    uint16_t code; /* WSC_CLOSE: the status code, 1005 if the frame had none */
};

/* TLS on a connected socket, for the e2e clients: a client session (SSL *) after its
 * handshake (TLS 1.2 or 1.3, ALPN http/1.1; the certificate is not verified), or NULL with err
 * filled. The wsc_io_* calls then read and write through it (ssl NULL: the plain socket). */
void *wsc_tls_connect(int fd, int timeout_ms, char *err, size_t errlen);
void wsc_tls_free(void *ssl);
/* Up to len bytes: > 0, 0 on EOF, -1 on an error (errno EAGAIN/EINTR: try again). */
ssize_t wsc_io_recv(int fd, void *ssl, void *buf, size_t len);
/* All n bytes: 0 or -1. */
int wsc_io_send_all(int fd, void *ssl, const void *p, size_t n);
/* Bytes already decrypted and waiting (no poll needed before the next wsc_io_recv). */
bool wsc_io_pending(void *ssl);

/* A TCP connection to host:port (blocking, TCP_NODELAY), or -1 after timeout_ms. */
int wsc_tcp_connect(const char *host, int port, int timeout_ms);

/* Sends request (raw bytes) on a new connection and reads the response head. Returns the
 * status (-1 on error or timeout); head gets the head, NUL-terminated, if not NULL. */
int wsc_http(const char *host, int port, const void *request, size_t len, int timeout_ms,
             char *head, size_t headlen);

/* Connects and upgrades, checking the 101 and its Sec-WebSocket-Accept. Returns the client,
 * or NULL with err filled and *status (if not NULL) the HTTP status (-1 if none came). */
struct wsc *wsc_connect(const struct wsc_opts *o, int *status, char *err, size_t errlen);
void wsc_free(struct wsc *w);
int wsc_fd(const struct wsc *w);

/* Sending through wslay (masked, well-formed). 0 or -1. */
int wsc_send_text(struct wsc *w, const char *data, size_t len);
int wsc_send_ping(struct wsc *w, const void *data, size_t len);
int wsc_send_close(struct wsc *w, uint16_t code, const char *reason);
/* Writes bytes as they are (hostile frames). 0 or -1. */
int wsc_send_raw(struct wsc *w, const void *bytes, size_t len);
/* Builds one frame into out (room for len + 14 bytes): rsv is the 3 RSV bits (0–7), opcode
 * any 4-bit value; masked with a random key if mask. Returns the frame's size. */
size_t wsc_frame(uint8_t *out, bool fin, unsigned rsv, unsigned opcode, bool mask,
                 const void *payload, size_t len);

/* The next message within timeout_ms (pings are answered by wslay and counted, not returned).
 * 1: *m filled (free with wsc_msg_free); 0: timeout; -1: the connection ended (EOF, reset,
 * or a close frame was already returned). */
int wsc_recv(struct wsc *w, int timeout_ms, struct wsc_msg *m);
void wsc_msg_free(struct wsc_msg *m);
/* Reads until a close frame (skipping messages) and returns its code (1005: none in it), or
 * -1 if the connection ended or timeout_ms passed first. */
int wsc_expect_close(struct wsc *w, int timeout_ms);
/* Reads and drops raw bytes until the server closes the TCP connection: 0 on EOF or reset,
 * -1 if still open after timeout_ms. *total (if not NULL) gets the bytes read. */
int wsc_drain(struct wsc *w, int timeout_ms, size_t *total);
/* Pings received so far. */
unsigned wsc_pings(const struct wsc *w);

#endif
