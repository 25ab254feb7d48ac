/*
 * Unit tests of net/transport.c (and net/tls.c's contexts): a TLS transport on a real loopback
 * socket, its client played here on memory BIOs so that the test decides when each byte moves.
 * The reader gets plaintext in pieces of its own alloc's size, nothing while it does not read
 * (what SSL already holds waits and comes on the next turn once it reads again, with no new
 * byte on the socket), writes leave in order, a plaintext request is a protocol error, and a
 * write before the handshake is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/internal.h"

static char dir[] = "/tmp/pane-tp-XXXXXX";
static char cert[300], key[300], key2[300];

/* A P-256 key into path; its EVP_PKEY if keep. */
static EVP_PKEY *write_key(const char *path)
{
    EVP_PKEY *k = EVP_EC_gen("P-256");
    FILE *f = fopen(path, "w");
    assert_non_null(k);
    assert_non_null(f);
    assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
    fclose(f);
    return k;
}

static int setup_files(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    snprintf(key2, sizeof key2, "%s/key2.pem", dir);
    EVP_PKEY *k = write_key(key);
    EVP_PKEY_free(write_key(key2));
    X509 *x = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, k);
    X509_NAME *name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1,
                               0);
    X509_set_issuer_name(x, name);
    X509_sign(x, k, EVP_sha256());
    FILE *f = fopen(cert, "w");
    PEM_write_X509(f, x);
    fclose(f);
    X509_free(x);
    EVP_PKEY_free(k);
    return 0;
}

static int teardown_files(void **state)
{
    (void)state;
    remove(cert);
    remove(key);
    remove(key2);
    rmdir(dir);
    return 0;
}

/* ---- a transport and a client on one loop ---- */

struct fixture {
    uv_loop_t loop;
    struct pn_tls_ctx *ctx;
    struct pn_tp tp;
    int cfd; /* the client's socket (non-blocking) */
    SSL_CTX *cctx;
    SSL *cssl;
    /* what the reader saw */
    char got[65536];
    size_t total, max_piece, stop_at, alloc_size;
    int zero_reads, errors, last_error;
    bool closed;
    int writes_done, write_status;
};

static void on_alloc(struct pn_tp *t, uv_buf_t *buf)
{
    struct fixture *f = t->data;
    size_t room = sizeof f->got - f->total;
    if (room > f->alloc_size)
        room = f->alloc_size;
    *buf = uv_buf_init(f->got + f->total, (unsigned)room);
}

static void on_read(struct pn_tp *t, ssize_t n, const uv_buf_t *buf)
{
    (void)buf;
    struct fixture *f = t->data;
    if (n == 0) {
        f->zero_reads++;
        return;
    }
    if (n < 0) {
        f->errors++;
        f->last_error = (int)n;
        pn__tp_read_stop(t);
        return;
    }
    f->total += (size_t)n;
    if ((size_t)n > f->max_piece)
        f->max_piece = (size_t)n;
    if (f->stop_at && f->total >= f->stop_at)
        pn__tp_read_stop(t);
}

static void on_closed(struct pn_tp *t)
{
    struct fixture *f = t->data;
    f->closed = true;
}

static void on_written(struct pn_tp_write *w, int status)
{
    struct fixture *f = w->data;
    f->writes_done++;
    f->write_status = status;
}

static struct fixture *fixture_new(void)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    char err[256];
    f->ctx = pn__tls_ctx_new(cert, key, err, sizeof err);
    assert_non_null(f->ctx);
    uv_loop_init(&f->loop);
    int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(l, 1), 0);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &len), 0);
    f->cfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_int_equal(connect(f->cfd, (struct sockaddr *)&a, sizeof a), 0);
    int sfd = accept4(l, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    assert_true(sfd >= 0);
    close(l);
    fcntl(f->cfd, F_SETFL, O_NONBLOCK);
    pn__tp_init(&f->tp, &f->loop, f->ctx);
    f->tp.data = f;
    assert_int_equal(pn__tp_open(&f->tp, &(struct pn_net_sock){.fd = sfd}), 0);
    f->cctx = SSL_CTX_new(TLS_client_method());
    f->cssl = SSL_new(f->cctx);
    SSL_set_bio(f->cssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
    SSL_set_connect_state(f->cssl);
    f->alloc_size = 100;
    return f;
}

/* Moves the client's bytes both ways and runs the loop once, n times. */
static void turn(struct fixture *f, int n)
{
    for (int i = 0; i < n; i++) {
        char b[65536];
        BIO *wb = SSL_get_wbio(f->cssl);
        int k;
        while ((k = BIO_read(wb, b, sizeof b)) > 0)
            assert_int_equal(send(f->cfd, b, (size_t)k, MSG_NOSIGNAL), k);
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(1000);
        ssize_t r;
        while ((r = recv(f->cfd, b, sizeof b, 0)) > 0)
            BIO_write(SSL_get_rbio(f->cssl), b, (int)r);
        if (!SSL_is_init_finished(f->cssl)) {
            SSL_do_handshake(f->cssl);
            ERR_clear_error();
        }
    }
}

static void handshake(struct fixture *f)
{
    for (int i = 0; i < 200 && !(SSL_is_init_finished(f->cssl) && f->tp.ready); i++)
        turn(f, 1);
    assert_true(SSL_is_init_finished(f->cssl));
    assert_true(f->tp.ready);
}

static void fixture_free(struct fixture *f)
{
    pn__tp_close(&f->tp, on_closed);
    for (int i = 0; i < 100 && !f->closed; i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
    assert_true(f->closed);
    assert_int_equal(uv_loop_close(&f->loop), 0);
    SSL_free(f->cssl);
    SSL_CTX_free(f->cctx);
    close(f->cfd);
    pn__tls_ctx_free(f->ctx);
    free(f);
}

/* ---- tests ---- */

static void test_tp_tls_plaintext_comes_in_reader_sized_pieces_and_waits_while_stopped(void **s)
{
    (void)s;
    struct fixture *f = fixture_new();
    f->stop_at = 3000;
    assert_int_equal(pn__tp_read_start(&f->tp, on_alloc, on_read), 0);
    handshake(f);
    assert_int_equal(f->zero_reads, 1); /* the handshake is done: one read of 0 */
    char msg[10000];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (char)('a' + i % 26);
    size_t done;
    assert_int_equal(SSL_write_ex(f->cssl, msg, sizeof msg, &done), 1);
    for (int i = 0; i < 50 && f->total < 3000; i++)
        turn(f, 1);
    assert_int_equal(f->total, 3000); /* stopped at 3000, in pieces of at most 100 */
    assert_true(f->max_piece <= 100);
    turn(f, 20);
    assert_int_equal(f->total, 3000); /* nothing while it does not read */
    /* reading again: the rest comes from what SSL holds, with no new byte on the socket */
    f->stop_at = 0;
    f->alloc_size = 4096;
    assert_int_equal(pn__tp_read_start(&f->tp, on_alloc, on_read), 0);
    for (int i = 0; i < 5 && f->total < sizeof msg; i++)
        uv_run(&f->loop, UV_RUN_NOWAIT);
    assert_int_equal(f->total, sizeof msg);
    assert_memory_equal(f->got, msg, sizeof msg);
    assert_int_equal(f->errors, 0);
    fixture_free(f);
}

static void test_tp_tls_writes_arrive_in_order_and_the_queue_empties(void **s)
{
    (void)s;
    struct fixture *f = fixture_new();
    assert_int_equal(pn__tp_read_start(&f->tp, on_alloc, on_read), 0);
    handshake(f);
    struct pn_tp_write w1 = {.data = f}, w2 = {.data = f};
    uv_buf_t a[2] = {uv_buf_init("hello ", 6), uv_buf_init("over ", 5)};
    uv_buf_t b = uv_buf_init("tls", 3);
    assert_int_equal(pn__tp_write(&f->tp, &w1, a, 2, on_written), 0);
    assert_int_equal(pn__tp_write(&f->tp, &w2, &b, 1, on_written), 0);
    turn(f, 10);
    assert_int_equal(f->writes_done, 2);
    assert_int_equal(f->write_status, 0);
    assert_int_equal(pn__tp_write_queued(&f->tp), 0);
    char out[64] = "";
    size_t got = 0, n;
    while (got < 14 && SSL_read_ex(f->cssl, out + got, sizeof out - 1 - got, &n) == 1)
        got += n;
    ERR_clear_error();
    assert_int_equal(got, 14);
    assert_string_equal(out, "hello over tls");
    fixture_free(f);
}

/* TLS 1.3 KeyUpdate (update_requested): the transport answers it with its own, from inside its
 * read, and what either side writes after goes on to be read. */
static void test_tp_tls_key_update_is_answered_and_data_goes_on(void **s)
{
    (void)s;
    struct fixture *f = fixture_new();
    assert_int_equal(pn__tp_read_start(&f->tp, on_alloc, on_read), 0);
    handshake(f);
    assert_int_equal(SSL_version(f->cssl), TLS1_3_VERSION);
    assert_int_equal(SSL_key_update(f->cssl, SSL_KEY_UPDATE_REQUESTED), 1);
    size_t done;
    assert_int_equal(SSL_write_ex(f->cssl, "after", 5, &done), 1);
    for (int i = 0; i < 50 && f->total < 5; i++)
        turn(f, 1);
    assert_int_equal(f->total, 5);
    assert_memory_equal(f->got, "after", 5);
    struct pn_tp_write w = {.data = f};
    uv_buf_t b = uv_buf_init("reply", 5);
    assert_int_equal(pn__tp_write(&f->tp, &w, &b, 1, on_written), 0);
    turn(f, 10);
    char out[16] = "";
    size_t n = 0;
    assert_int_equal(SSL_read_ex(f->cssl, out, sizeof out - 1, &n), 1);
    assert_int_equal(n, 5);
    assert_memory_equal(out, "reply", 5);
    assert_int_equal(f->errors, 0);
    fixture_free(f);
}

static void test_tp_tls_plaintext_http_is_a_protocol_error(void **s)
{
    (void)s;
    struct fixture *f = fixture_new();
    assert_int_equal(pn__tp_read_start(&f->tp, on_alloc, on_read), 0);
    static const char req[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    assert_int_equal(send(f->cfd, req, sizeof req - 1, MSG_NOSIGNAL), (ssize_t)sizeof req - 1);
    for (int i = 0; i < 50 && !f->errors; i++) {
        uv_run(&f->loop, UV_RUN_NOWAIT);
        usleep(1000);
    }
    assert_int_equal(f->errors, 1);
    assert_int_equal(f->last_error, UV_EPROTO);
    assert_int_equal(f->total, 0);
    assert_false(f->tp.ready);
    fixture_free(f);
}

static void test_tp_tls_write_before_the_handshake_is_refused(void **s)
{
    (void)s;
    struct fixture *f = fixture_new();
    struct pn_tp_write w = {.data = f};
    uv_buf_t b = uv_buf_init("early", 5);
    assert_int_equal(pn__tp_write(&f->tp, &w, &b, 1, on_written), UV_EPROTO);
    assert_int_equal(pn__tp_try_write(&f->tp, "early", 5), UV_EPROTO);
    fixture_free(f);
}

static void test_tls_ctx_says_which_file_is_wrong(void **s)
{
    (void)s;
    char err[512];
    assert_null(pn__tls_ctx_new(cert, key2, err, sizeof err));
    assert_non_null(strstr(err, "is not the key of --ssl-certfile"));
    assert_null(pn__tls_ctx_new("/nonexistent/cert.pem", key, err, sizeof err));
    assert_non_null(strstr(err, "--ssl-certfile /nonexistent/cert.pem: No such file"));
    assert_null(pn__tls_ctx_new(key, key, err, sizeof err));
    assert_non_null(strstr(err, "--ssl-certfile"));
    assert_null(pn__tls_ctx_new(cert, NULL, err, sizeof err));
    struct pn_tls_ctx *t = pn__tls_ctx_new(cert, key, err, sizeof err);
    assert_non_null(t);
    char fp[100];
    pn__tls_ctx_fingerprint(t, fp, sizeof fp);
    assert_int_equal(strlen(fp), 32 * 3 - 1); /* AA:BB:...: 32 bytes */
    pn__tls_ctx_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_tp_tls_plaintext_comes_in_reader_sized_pieces_and_waits_while_stopped),
        cmocka_unit_test(test_tp_tls_writes_arrive_in_order_and_the_queue_empties),
        cmocka_unit_test(test_tp_tls_key_update_is_answered_and_data_goes_on),
        cmocka_unit_test(test_tp_tls_plaintext_http_is_a_protocol_error),
        cmocka_unit_test(test_tp_tls_write_before_the_handshake_is_refused),
        cmocka_unit_test(test_tls_ctx_says_which_file_is_wrong),
    };
    return cmocka_run_group_tests(tests, setup_files, teardown_files);
}
