/*
 * transport: a connection's socket under HTTP and WebSocket, plain TCP or TLS (chosen per
 * listening server). It owns the TCP handle: reading, writing, the count of bytes queued that
 * backpressure looks at, shutdown and close; every handle is freed in its close callback.
 *
 * Plain TCP passes libuv's stream calls through. TLS puts an SSL object between the socket and
 * the reader with two memory BIOs, as h2o does: libuv reads ciphertext into a per-thread
 * buffer, it goes into the read BIO, and SSL_read_ex turns it into plaintext in the reader's
 * own buffer (from its alloc callback), as long as the reader reads; writes are encrypted when
 * queued (SSL_write_ex into the write BIO), and the ciphertext taken out of the BIO is one
 * uv_write. Whatever SSL has to say by itself (the handshake, session tickets, alerts, a
 * close_notify) leaves the same way, in order. The handshake is driven by the reads: the
 * reader gets a read of 0 bytes when it is done (so a server can tell a connection that has
 * not finished its handshake from an idle one) and UV_EPROTO if it fails (logged here: a
 * plaintext request to a TLS port, garbage, an old protocol). What is buffered is bounded: one
 * socket read of ciphertext at a time goes into SSL, and the socket is read only while the
 * reader reads; plaintext decrypted but not yet taken waits in SSL and is delivered on the next
 * loop turn once reading starts again (the pump, an idle handle).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <stdio.h>
#include <unistd.h>

#include "net/internal.h"

#define TLS_READ_BUF (32 * 1024) /* ciphertext read at once: two full records */
#define TLS_RECORD (16 * 1024)   /* the most plaintext a record holds */

static struct pn_tp *tp_of(uv_handle_t *h)
{
    return h->data;
}

void pn__tp_init(struct pn_tp *t, uv_loop_t *loop, struct pn_tls_ctx *tls)
{
    memset(t, 0, sizeof *t);
    uv_tcp_init(loop, &t->tcp);
    t->tcp.data = t;
    t->open_handles = 1;
    t->ready = true;
    if (tls) {
        uv_idle_init(loop, &t->pump);
        t->pump.data = t;
        t->open_handles = 2;
        t->ready = false;
        t->ssl = SSL_new(tls->ctx);
        if (!t->ssl) {
            pn__error("tls: SSL_new: out of memory");
            abort();
        }
        BIO *rb = BIO_new(BIO_s_mem()), *wb = BIO_new(BIO_s_mem());
        if (!rb || !wb) {
            pn__error("tls: BIO_new: out of memory");
            abort();
        }
        BIO_set_mem_eof_return(rb, -1); /* empty: "retry", not EOF */
        SSL_set_bio(t->ssl, rb, wb);
        SSL_set_accept_state(t->ssl);
    }
}

int pn__tp_open(struct pn_tp *t, struct pn_net_sock *sock)
{
    if (sock->tls) {
        /* a session that comes from another loop (its handshake done) replaces the new one */
        if (t->ssl)
            SSL_free(t->ssl);
        t->ssl = sock->tls;
        sock->tls = NULL;
        t->ready = SSL_is_init_finished(t->ssl);
    }
    int rc = uv_tcp_open(&t->tcp, sock->fd);
    if (rc != 0) {
        close(sock->fd);
        sock->fd = -1;
        return rc;
    }
    uv_tcp_nodelay(&t->tcp, 1);
    return 0;
}

void pn__net_sock_close(struct pn_net_sock *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    SSL_free(s->tls); /* NULL: nothing */
    s->tls = NULL;
}

void pn__tp_peer(const struct pn_tp *t, char *out, size_t len)
{
    struct sockaddr_storage ss;
    int sl = sizeof ss;
    snprintf(out, len, "?");
    if (uv_tcp_getpeername(&t->tcp, (struct sockaddr *)&ss, &sl) != 0)
        return;
    char ip[48] = "?";
    int port = 0;
    if (ss.ss_family == AF_INET6) {
        uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof ip);
        port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    } else {
        uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof ip);
        port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    }
    snprintf(out, len, "%s:%d", ip, port);
}

size_t pn__tp_write_queued(const struct pn_tp *t)
{
    return uv_stream_get_write_queue_size((const uv_stream_t *)&t->tcp);
}

/* ---- closing ---- */

static void on_closed(uv_handle_t *h)
{
    struct pn_tp *t = tp_of(h);
    if (--t->open_handles > 0)
        return;
    if (t->ssl) {
        SSL_free(t->ssl);
        t->ssl = NULL;
    }
    t->close_cb(t);
}

void pn__tp_close(struct pn_tp *t, pn_tp_close_cb cb)
{
    if (t->closing)
        return;
    t->closing = true;
    t->reading = false;
    t->close_cb = cb;
    if (t->open_handles == 2) {
        uv_idle_stop(&t->pump);
        uv_close((uv_handle_t *)&t->pump, on_closed);
    }
    uv_close((uv_handle_t *)&t->tcp, on_closed);
}

int pn__tp_detach(struct pn_tp *t, struct pn_net_sock *out)
{
    uv_os_fd_t ofd;
    if (uv_fileno((const uv_handle_t *)&t->tcp, &ofd) != 0)
        return PN_EIO;
    int nfd = fcntl(ofd, F_DUPFD_CLOEXEC, 0);
    if (nfd < 0)
        return PN_EIO;
    pn__tp_read_stop(t);
    out->fd = nfd;
    out->tls = t->ssl; /* what it has read and not yet delivered goes along */
    t->ssl = NULL;
    return 0;
}

/* ---- plain TCP ---- */

static void plain_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    struct pn_tp *t = tp_of(h);
    t->alloc_cb(t, buf);
}

static void plain_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct pn_tp *t = tp_of((uv_handle_t *)s);
    t->read_cb(t, n, buf);
}

static void on_written(uv_write_t *req, int status)
{
    struct pn_tp_write *w = (struct pn_tp_write *)req;
    free(w->cipher);
    w->cipher = NULL;
    w->cb(w, status);
}

/* ---- TLS ---- */

/* The reason of the last OpenSSL error (and the thread's error queue emptied: SSL_get_error
 * needs it empty before the next call). */
static const char *tls_reason(void)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    ERR_clear_error();
    return r ? r : "protocol error";
}

static void on_flushed(uv_write_t *req, int status)
{
    (void)status; /* a failed write shows again in the reader's next read or write */
    free(req->data);
    free(req);
}

/* Writes whatever SSL has put into the write BIO, as one write of its own (req) or of ours. */
static int tls_flush(struct pn_tp *t, struct pn_tp_write *w)
{
    BIO *wb = SSL_get_wbio(t->ssl);
    size_t n = BIO_ctrl_pending(wb);
    if (!w && n == 0)
        return 0;
    char *buf = n ? pn__xmalloc(n) : NULL;
    if (n && BIO_read(wb, buf, (int)n) != (int)n) {
        free(buf);
        return UV_EPROTO;
    }
    uv_buf_t b = uv_buf_init(buf, (unsigned)n);
    if (w) {
        w->cipher = buf;
        return uv_write(&w->w, (uv_stream_t *)&t->tcp, &b, 1, on_written);
    }
    uv_write_t *req = pn__xmalloc(sizeof *req);
    req->data = buf;
    int rc = uv_write(req, (uv_stream_t *)&t->tcp, &b, 1, on_flushed);
    if (rc != 0) {
        free(buf);
        free(req);
    }
    return rc;
}

static void tls_fail(struct pn_tp *t, const char *what)
{
    char peer[64];
    pn__tp_peer(t, peer, sizeof peer);
    pn__info("%s: TLS %s failed: %s", peer, what, tls_reason());
    t->failed = true;
}

/* Runs SSL over what has been read: the handshake, then plaintext into the reader's buffers
 * while it reads. Every callback may stop reading or close t: checked after each. */
static void tls_pump(struct pn_tp *t)
{
    while (!t->ready && !t->failed && !t->closing) {
        int r = SSL_do_handshake(t->ssl);
        int e = r == 1 ? SSL_ERROR_NONE : SSL_get_error(t->ssl, r);
        if (e != SSL_ERROR_NONE && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE)
            tls_fail(t, "handshake");
        if (tls_flush(t, NULL) != 0)
            t->failed = true;
        if (t->failed)
            break;
        if (r != 1) {
            if (!t->eof)
                return; /* more ciphertext is needed */
            break;
        }
        t->ready = true;
        if (t->reading) {
            uv_buf_t none = uv_buf_init(NULL, 0);
            t->read_cb(t, 0, &none); /* the handshake is done */
        }
    }
    while (t->reading && !t->closing) {
        uv_buf_t b;
        if (t->failed || (!t->ready && t->eof)) {
            if (t->eof_told)
                return;
            t->eof_told = true;
            b = uv_buf_init(NULL, 0);
            t->read_cb(t, t->failed ? UV_EPROTO : t->eof, &b);
            return;
        }
        t->alloc_cb(t, &b);
        if (b.len == 0) {
            t->read_cb(t, UV_ENOBUFS, &b);
            return;
        }
        size_t got = 0;
        int r = SSL_read_ex(t->ssl, b.base, b.len, &got);
        if (r == 1) {
            t->read_cb(t, (ssize_t)got, &b);
            continue;
        }
        int e = SSL_get_error(t->ssl, r);
        if (tls_flush(t, NULL) != 0) /* a key update's answer, an alert */
            t->failed = true;
        if (e == SSL_ERROR_WANT_READ && !t->failed) {
            if (!t->eof)
                return;
        } else if (e == SSL_ERROR_ZERO_RETURN) { /* the peer's close_notify */
            if (!t->eof)
                t->eof = UV_EOF;
        } else if (e != SSL_ERROR_WANT_WRITE && !t->failed) {
            tls_fail(t, "read");
        }
        if (t->eof_told)
            return;
        t->eof_told = true;
        t->read_cb(t, t->failed ? UV_EPROTO : t->eof ? t->eof : UV_EOF, &b);
        return;
    }
}

static void tls_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    (void)suggested;
    static _Thread_local char rbuf[TLS_READ_BUF];
    *buf = uv_buf_init(rbuf, sizeof rbuf);
}

static void tls_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
    struct pn_tp *t = tp_of((uv_handle_t *)s);
    if (n == 0)
        return;
    if (n < 0) {
        uv_read_stop(s);
        t->eof = (int)n;
    } else if (BIO_write(SSL_get_rbio(t->ssl), buf->base, (int)n) != (int)n) {
        pn__error("tls: BIO_write: out of memory");
        abort();
    }
    tls_pump(t);
    if (!t->reading && !t->closing)
        uv_read_stop(s); /* the reader stopped in a callback: nothing more is read */
}

static void on_pump(uv_idle_t *h)
{
    struct pn_tp *t = tp_of((uv_handle_t *)h);
    uv_idle_stop(h);
    tls_pump(t);
}

/* ---- reading, writing, shutdown ---- */

int pn__tp_read_start(struct pn_tp *t, pn_tp_alloc_cb alloc, pn_tp_read_cb read)
{
    if (t->closing)
        return UV_EINVAL;
    t->alloc_cb = alloc;
    t->read_cb = read;
    if (!t->ssl) {
        t->reading = true;
        return uv_read_start((uv_stream_t *)&t->tcp, plain_alloc, plain_read);
    }
    if (t->reading)
        uv_read_stop((uv_stream_t *)&t->tcp);
    t->reading = true;
    int rc = 0;
    if (!t->eof)
        rc = uv_read_start((uv_stream_t *)&t->tcp, tls_alloc, tls_read);
    if (rc != 0) {
        t->reading = false;
        return rc;
    }
    /* bytes SSL already holds would wait for a socket read that may never come */
    if (SSL_has_pending(t->ssl) || BIO_ctrl_pending(SSL_get_rbio(t->ssl)) > 0 || t->eof ||
        t->failed)
        uv_idle_start(&t->pump, on_pump);
    return 0;
}

void pn__tp_read_stop(struct pn_tp *t)
{
    t->reading = false;
    if (t->closing)
        return;
    uv_read_stop((uv_stream_t *)&t->tcp);
    if (t->ssl)
        uv_idle_stop(&t->pump);
}

/* Encrypts n bytes into the write BIO. 0, or -1 (the session failed). */
static int tls_write(struct pn_tp *t, const char *p, size_t n)
{
    size_t done;
    if (SSL_write_ex(t->ssl, p, n, &done) == 1)
        return 0;
    tls_fail(t, "write");
    tls_flush(t, NULL);
    return -1;
}

int pn__tp_write(struct pn_tp *t, struct pn_tp_write *w, const uv_buf_t *bufs, unsigned nbufs,
                 pn_tp_write_cb cb)
{
    w->t = t;
    w->cb = cb;
    w->cipher = NULL;
    if (t->closing)
        return UV_ECANCELED;
    if (!t->ssl)
        return uv_write(&w->w, (uv_stream_t *)&t->tcp, bufs, nbufs, on_written);
    if (!t->ready || t->failed)
        return UV_EPROTO;
    /* small pieces (a status line, a head, a page) are gathered into full records: one
     * SSL_write_ex per buffer would make a record, and its seal, of each */
    static _Thread_local char gather[TLS_RECORD];
    size_t have = 0;
    for (unsigned i = 0; i <= nbufs; i++) {
        const char *p = i < nbufs ? bufs[i].base : NULL;
        size_t n = i < nbufs ? bufs[i].len : 0;
        while (n > 0 && have + n >= TLS_RECORD && have > 0) { /* fill the record, send it */
            size_t k = TLS_RECORD - have;
            memcpy(gather + have, p, k);
            if (tls_write(t, gather, TLS_RECORD) != 0)
                return UV_EPROTO;
            have = 0;
            p += k;
            n -= k;
        }
        if (n >= TLS_RECORD) { /* big: as it is (SSL cuts it into records) */
            if (tls_write(t, p, n) != 0)
                return UV_EPROTO;
            n = 0;
        }
        if (n > 0) {
            memcpy(gather + have, p, n);
            have += n;
        }
        if (i == nbufs && have > 0 && tls_write(t, gather, have) != 0)
            return UV_EPROTO;
    }
    return tls_flush(t, w);
}

int pn__tp_try_write(struct pn_tp *t, const char *buf, size_t len)
{
    if (t->closing)
        return UV_ECANCELED;
    uv_buf_t b = uv_buf_init((char *)buf, (unsigned)len);
    if (!t->ssl) {
        int n = uv_try_write((uv_stream_t *)&t->tcp, &b, 1);
        return n == (int)len ? 0 : n < 0 ? n : UV_EAGAIN;
    }
    size_t done;
    if (!t->ready || t->failed || SSL_write_ex(t->ssl, buf, len, &done) != 1)
        return UV_EPROTO;
    return tls_flush(t, NULL);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
    struct pn_tp *t = tp_of((uv_handle_t *)req->handle);
    t->shutdown_cb(t, status);
}

int pn__tp_shutdown(struct pn_tp *t, pn_tp_shutdown_cb cb)
{
    if (t->closing)
        return UV_ECANCELED;
    t->shutdown_cb = cb;
    if (t->ssl && t->ready && !t->failed) {
        SSL_shutdown(t->ssl); /* our close_notify; the peer's is not waited for here */
        ERR_clear_error();
        tls_flush(t, NULL);
    }
    return uv_shutdown(&t->sreq, (uv_stream_t *)&t->tcp, on_shutdown);
}
