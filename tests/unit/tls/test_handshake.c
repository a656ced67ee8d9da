/* test_handshake: real handshakes over loopback against an in-process libevent/OpenSSL server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/listener.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "testcert.h"
#include "tls/handshake.h"

#define SNI_NAME	"mail.example.test"
#define GARBAGE		"220 this is not TLS at all\r\n"

enum srv_mode {
	SRV_TLS,	/* TLS 1.2/1.3, echoes application data */
	SRV_TLS12,	/* at most TLS 1.2 */
	SRV_TLS10,	/* only TLS 1.0, security level 0 */
	SRV_GARBAGE,	/* answers anything with plaintext */
	SRV_GREET_GARBAGE,	/* sends plaintext at once, before any hello */
	SRV_SILENT,	/* accepts and never says a word */
	SRV_CLOSE	/* reads the ClientHello and closes */
};

struct server {
	struct event_base	*base;
	struct evconnlistener	*lis;
	enum srv_mode		 mode;
	SSL_CTX			*ctx;
	struct bufferevent	*conn;
	char			 sni[256];
	struct sockaddr_in	 sin;
};

struct client {
	struct event_base		*base;
	struct server			*srv;
	struct bufferevent		*raw;
	struct tls_handshake		*h;
	struct tls_handshake_params	 params;
	bool				 wait_for_data;	/* start once raw has bytes */
	bool				 free_in_done;
	bool				 in_start;
	int				 ncalls;
	bool				 called_in_start;
	bool				 ok;
	char				*version, *cipher, *cipher_openssl;
	char				*group, *error;
	int				 bits, alert, chain_len;
	X509				*leaf;
	struct bufferevent		*tls;
	char				 echo[64];
};

static EVP_PKEY *srv_key;
static X509 *srv_cert;

static int
setup(void **state)
{
	struct testcert_spec spec = {
		.cn = "localhost", .san = "DNS:localhost", .org = "mxdoctor test",
	};

	(void)state;
	srv_key = testcert_rsa(2048);
	spec.key = srv_key;
	srv_cert = testcert_make(&spec);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	X509_free(srv_cert);
	EVP_PKEY_free(srv_key);
	return 0;
}

/*
 * The server.
 */

static int
srv_servername_cb(SSL *ssl, int *alert, void *arg)
{
	struct server *srv = arg;
	const char *name;

	(void)alert;
	name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
	if (name != NULL)
		snprintf(srv->sni, sizeof(srv->sni), "%s", name);
	return SSL_TLSEXT_ERR_OK;
}

static SSL_CTX *
srv_ctx_new(struct server *srv)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	assert_non_null(ctx);
	assert_int_equal(SSL_CTX_use_certificate(ctx, srv_cert), 1);
	assert_int_equal(SSL_CTX_use_PrivateKey(ctx, srv_key), 1);
	SSL_CTX_set_tlsext_servername_callback(ctx, srv_servername_cb);
	SSL_CTX_set_tlsext_servername_arg(ctx, srv);
	if (srv->mode == SRV_TLS12)
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	if (srv->mode == SRV_TLS10) {
		SSL_CTX_set_security_level(ctx, 0);
		assert_int_equal(SSL_CTX_set_cipher_list(ctx,
		    "ALL:@SECLEVEL=0"), 1);
		SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
		SSL_CTX_set_max_proto_version(ctx, TLS1_VERSION);
	}
	return ctx;
}

static void
srv_read_cb(struct bufferevent *bev, void *arg)
{
	struct server *srv = arg;
	struct evbuffer *in = bufferevent_get_input(bev);

	switch (srv->mode) {
	case SRV_GARBAGE:
		evbuffer_drain(in, evbuffer_get_length(in));
		bufferevent_write(bev, GARBAGE, strlen(GARBAGE));
		break;
	case SRV_CLOSE:
		evbuffer_drain(in, evbuffer_get_length(in));
		bufferevent_free(bev);
		srv->conn = NULL;
		break;
	default:	/* echo */
		bufferevent_write_buffer(bev, in);
		break;
	}
}

static void
srv_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct server *srv = arg;

	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR)) {
		bufferevent_free(bev);
		srv->conn = NULL;
	}
}

static void
srv_accept_cb(struct evconnlistener *lis, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct server *srv = arg;
	SSL *ssl;

	(void)lis; (void)sa; (void)salen;
	assert_null(srv->conn);
	switch (srv->mode) {
	case SRV_TLS:
	case SRV_TLS12:
	case SRV_TLS10:
		ssl = SSL_new(srv->ctx);
		assert_non_null(ssl);
		srv->conn = bufferevent_openssl_socket_new(srv->base, fd, ssl,
		    BUFFEREVENT_SSL_ACCEPTING,
		    BEV_OPT_CLOSE_ON_FREE | BEV_OPT_DEFER_CALLBACKS);
		break;
	default:
		srv->conn = bufferevent_socket_new(srv->base, fd,
		    BEV_OPT_CLOSE_ON_FREE);
		break;
	}
	assert_non_null(srv->conn);
	bufferevent_setcb(srv->conn, srv_read_cb, NULL, srv_event_cb, srv);
	if (srv->mode == SRV_GREET_GARBAGE)
		bufferevent_write(srv->conn, GARBAGE, strlen(GARBAGE));
	if (srv->mode != SRV_SILENT)
		bufferevent_enable(srv->conn, EV_READ | EV_WRITE);
}

static void
srv_start(struct server *srv, struct event_base *base, enum srv_mode mode)
{
	socklen_t len = sizeof(srv->sin);

	memset(srv, 0, sizeof(*srv));
	srv->base = base;
	srv->mode = mode;
	srv->ctx = srv_ctx_new(srv);
	srv->sin.sin_family = AF_INET;
	srv->sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	srv->lis = evconnlistener_new_bind(base, srv_accept_cb, srv,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_REUSEABLE, -1,
	    (struct sockaddr *)&srv->sin, sizeof(srv->sin));
	assert_non_null(srv->lis);
	assert_int_equal(getsockname(evconnlistener_get_fd(srv->lis),
	    (struct sockaddr *)&srv->sin, &len), 0);
}

static void
srv_stop(struct server *srv)
{
	if (srv->conn != NULL)
		bufferevent_free(srv->conn);
	evconnlistener_free(srv->lis);
	SSL_CTX_free(srv->ctx);
}

/*
 * The client: a plain socket bufferevent, as the SMTP client would have
 * after STARTTLS, handed to tls_handshake_start().
 */

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

static void
cli_tls_read_cb(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n = strlen(c->echo);

	evbuffer_remove(in, c->echo + n, sizeof(c->echo) - 1 - n);
	if (strchr(c->echo, '\n') != NULL)
		event_base_loopexit(c->base, NULL);
}

static void
cli_done(struct tls_handshake *h, const struct tls_handshake_info *info,
    void *arg)
{
	struct client *c = arg;

	c->ncalls++;
	if (c->in_start)
		c->called_in_start = true;
	assert_ptr_equal(h, c->h);
	c->ok = info->ok;
	c->version = dup_or_null(info->version);
	c->cipher = dup_or_null(info->cipher);
	c->cipher_openssl = dup_or_null(info->cipher_openssl);
	c->group = dup_or_null(info->group);
	c->error = dup_or_null(info->error);
	c->bits = info->cipher_bits;
	c->alert = info->alert_received;
	c->chain_len = info->chain != NULL ? sk_X509_num(info->chain) : -1;
	if (c->chain_len > 0) {
		c->leaf = sk_X509_value(info->chain, 0);
		X509_up_ref(c->leaf);
	}
	if (info->ok) {
		c->tls = tls_handshake_take_bev(h);
		assert_non_null(c->tls);
		assert_null(tls_handshake_take_bev(h));	/* only once */
		bufferevent_setcb(c->tls, cli_tls_read_cb, NULL, NULL, c);
		bufferevent_enable(c->tls, EV_READ | EV_WRITE);
		bufferevent_write(c->tls, "ping\n", 5);
	} else
		event_base_loopexit(c->base, NULL);
	if (c->free_in_done) {
		tls_handshake_free(h);
		c->h = NULL;
	}
}

static void
cli_start_tls(struct client *c)
{
	const char *err = NULL;

	c->in_start = true;
	c->h = tls_handshake_start(c->base, c->raw, &c->params, cli_done, c,
	    &err);
	c->in_start = false;
	if (c->h == NULL)
		fail_msg("tls_handshake_start: %s", err);
}

static void
cli_raw_read_cb(struct bufferevent *bev, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (c->h == NULL)
		cli_start_tls(c);
}

static void
cli_raw_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct client *c = arg;

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		if (c->wait_for_data)
			bufferevent_enable(c->raw, EV_READ);
		else
			cli_start_tls(c);
		return;
	}
	fail_msg("raw connection failed: %d", what);
}

static void
cli_init(struct client *c, struct event_base *base, struct server *srv)
{
	memset(c, 0, sizeof(*c));
	c->base = base;
	c->srv = srv;
	c->params.sni = SNI_NAME;
	c->params.timeout_ms = 5000;
	c->params.insecure_all_versions = true;
	c->alert = -2;
}

static void
cli_run(struct client *c)
{
	struct timeval guard = { 10, 0 };

	c->raw = bufferevent_socket_new(c->base, -1, BEV_OPT_CLOSE_ON_FREE);
	assert_non_null(c->raw);
	bufferevent_setcb(c->raw, cli_raw_read_cb, NULL, cli_raw_event_cb, c);
	assert_int_equal(bufferevent_socket_connect(c->raw,
	    (struct sockaddr *)&c->srv->sin, sizeof(c->srv->sin)), 0);
	event_base_loopexit(c->base, &guard);
	event_base_dispatch(c->base);
}

/* Frees in the order the SMTP client might: the TLS bufferevent first
 * or raw first; both must be fine. */
static void
cli_free(struct client *c, bool raw_first)
{
	if (raw_first)
		bufferevent_free(c->raw);
	if (c->tls != NULL)
		bufferevent_free(c->tls);
	if (!raw_first)
		bufferevent_free(c->raw);
	tls_handshake_free(c->h);
	X509_free(c->leaf);
	free(c->version);
	free(c->cipher);
	free(c->cipher_openssl);
	free(c->group);
	free(c->error);
}

/* Open descriptors: equal before and after a test proves that raw, the
 * filter and the server's sockets were all really released. */
static int
count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	assert_non_null(d);
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

/* Lets finalisers and the server's last callbacks run. */
static void
drain(struct event_base *base)
{
	struct timeval tv = { 0, 50000 };

	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
}

/*
 * Tests.
 */

static void
test_success_tls13(void **state)
{
	struct event_base *base;
	struct server srv;
	struct client c;
	int fds = count_fds();

	(void)state;
	base = event_base_new();
	srv_start(&srv, base, SRV_TLS);
	cli_init(&c, base, &srv);
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_false(c.called_in_start);
	assert_true(c.ok);
	assert_string_equal(c.version, "TLSv1.3");
	assert_non_null(c.cipher);
	assert_true(strncmp(c.cipher, "TLS_", 4) == 0);
	assert_non_null(c.cipher_openssl);
	assert_true(c.bits >= 128);
	assert_non_null(c.group);
	assert_string_equal(c.error, "");
	assert_int_equal(c.alert, -1);
	assert_int_equal(c.chain_len, 1);
	assert_int_equal(X509_cmp(c.leaf, srv_cert), 0);
	assert_string_equal(srv.sni, SNI_NAME);
	/* the taken bufferevent carries data both ways */
	assert_string_equal(c.echo, "ping\n");
	print_message("TLS 1.3: %s (%s), %d bits, group %s\n", c.cipher,
	    c.cipher_openssl, c.bits, c.group);

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
	assert_int_equal(count_fds(), fds);
}

static void
test_success_tls12_no_sni(void **state)
{
	struct event_base *base;
	struct server srv;
	struct client c;
	int fds = count_fds();

	(void)state;
	base = event_base_new();
	srv_start(&srv, base, SRV_TLS12);
	cli_init(&c, base, &srv);
	c.params.sni = NULL;
	c.params.insecure_all_versions = false;
	c.free_in_done = true;
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_true(c.ok);
	assert_string_equal(c.version, "TLSv1.2");
	assert_non_null(c.cipher);
	assert_non_null(c.group);	/* ECDHE: from the peer's key */
	assert_string_equal(srv.sni, "");
	assert_string_equal(c.echo, "ping\n");
	print_message("TLS 1.2: %s (%s), group %s\n", c.cipher,
	    c.cipher_openssl, c.group);

	cli_free(&c, true);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
	assert_int_equal(count_fds(), fds);
}

/* The point of insecure_all_versions: a TLS 1.0-only server is still
 * seen, on this OpenSSL, at security level 0. */
static void
test_tls10_insecure(void **state)
{
	struct event_base *base = event_base_new();
	struct server srv;
	struct client c;

	(void)state;
	srv_start(&srv, base, SRV_TLS10);
	cli_init(&c, base, &srv);
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	if (!c.ok)
		print_error("TLS 1.0 refused: %s\n", c.error);
	assert_true(c.ok);
	assert_string_equal(c.version, "TLSv1");
	print_message("TLS 1.0: %s (%s), group %s\n", c.cipher,
	    c.cipher_openssl, c.group ? c.group : "(none)");

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
}

/* Without insecure_all_versions the same server is refused, and the
 * server's alert is reported. */
static void
test_tls10_secure(void **state)
{
	struct event_base *base = event_base_new();
	struct server srv;
	struct client c;

	(void)state;
	srv_start(&srv, base, SRV_TLS10);
	cli_init(&c, base, &srv);
	c.params.insecure_all_versions = false;
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_false(c.ok);
	assert_int_equal(c.chain_len, -1);
	assert_null(c.version);
	assert_non_null(c.error);
	print_message("TLS 1.0 server, secure client: \"%s\", alert %d\n",
	    c.error, c.alert);
	assert_non_null(strstr(c.error, "protocol version"));
	assert_int_equal(c.alert, SSL_AD_PROTOCOL_VERSION);

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
}

static void
test_garbage(void **state)
{
	struct event_base *base = event_base_new();
	struct server srv;
	struct client c;

	(void)state;
	srv_start(&srv, base, SRV_GARBAGE);
	cli_init(&c, base, &srv);
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_false(c.ok);
	assert_non_null(c.error);
	assert_true(strlen(c.error) > 0);
	print_message("garbage: \"%s\"\n", c.error);
	assert_non_null(strstr(c.error, "wrong version number"));

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
}

/* Plaintext already buffered in raw when the handshake starts is the
 * server's first TLS bytes: the failure still comes through done(),
 * from the loop, with OpenSSL's reason. */
static void
test_garbage_buffered(void **state)
{
	struct event_base *base;
	struct server srv;
	struct client c;
	int fds = count_fds();

	(void)state;
	base = event_base_new();
	srv_start(&srv, base, SRV_GREET_GARBAGE);
	cli_init(&c, base, &srv);
	c.wait_for_data = true;
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_false(c.called_in_start);
	assert_false(c.ok);
	print_message("buffered garbage: \"%s\"\n", c.error);
	assert_non_null(strstr(c.error, "wrong version number"));

	cli_free(&c, true);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
	assert_int_equal(count_fds(), fds);
}

static void
test_timeout(void **state)
{
	struct event_base *base;
	struct server srv;
	struct client c;
	int fds = count_fds();

	(void)state;
	base = event_base_new();
	srv_start(&srv, base, SRV_SILENT);
	cli_init(&c, base, &srv);
	c.params.timeout_ms = 200;
	c.free_in_done = true;
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_false(c.ok);
	assert_string_equal(c.error, "handshake timed out after 200 ms");

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
	assert_int_equal(count_fds(), fds);
}

static void
test_peer_closes(void **state)
{
	struct event_base *base = event_base_new();
	struct server srv;
	struct client c;

	(void)state;
	srv_start(&srv, base, SRV_CLOSE);
	cli_init(&c, base, &srv);
	cli_run(&c);

	assert_int_equal(c.ncalls, 1);
	assert_false(c.ok);
	print_message("peer closes: \"%s\"\n", c.error);
	assert_string_equal(c.error,
	    "unexpected eof while reading (connection closed by peer)");

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
}

static void
abort_cb(evutil_socket_t fd, short what, void *arg)
{
	struct client *c = arg;

	(void)fd; (void)what;
	tls_handshake_free(c->h);
	c->h = NULL;
	event_base_loopexit(c->base, NULL);
}

/* Freeing before done() aborts: done() never comes, nothing leaks. */
static void
test_abort(void **state)
{
	struct event_base *base;
	struct timeval tv = { 0, 100000 };
	struct server srv;
	struct client c;
	int fds = count_fds();

	(void)state;
	base = event_base_new();
	srv_start(&srv, base, SRV_SILENT);
	cli_init(&c, base, &srv);
	c.params.timeout_ms = 300;
	event_base_once(base, -1, EV_TIMEOUT, abort_cb, &c, &tv);
	cli_run(&c);
	assert_null(c.h);
	drain(base);
	tv.tv_sec = 0;
	tv.tv_usec = 400000;	/* past the handshake's own deadline */
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	assert_int_equal(c.ncalls, 0);

	cli_free(&c, false);
	srv_stop(&srv);
	drain(base);
	event_base_free(base);
	assert_int_equal(count_fds(), fds);
}

static void
test_bad_args(void **state)
{
	struct tls_handshake_params p = { .timeout_ms = 100 };
	const char *err = NULL;

	(void)state;
	assert_null(tls_handshake_start(NULL, NULL, &p, cli_done, NULL,
	    &err));
	assert_non_null(err);
	assert_null(tls_handshake_take_bev(NULL));
	tls_handshake_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success_tls13),
		cmocka_unit_test(test_success_tls12_no_sni),
		cmocka_unit_test(test_tls10_insecure),
		cmocka_unit_test(test_tls10_secure),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_garbage_buffered),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_peer_closes),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_bad_args),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
