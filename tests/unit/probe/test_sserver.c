/* test_sserver: the versions and cipher scans against a real `openssl s_server` on loopback, checked against its configuration. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <cmocka.h>

#include <event2/event.h>

#include "harness.h"
#include "tls/probe.h"
#include "tls/profile.h"

#define VB(v)	(tls_version_bit(v))
#define MAX_ARGS	32

static const char *openssl;	/* $MXD_OPENSSL */
static char tmpdir[] = "/tmp/mxd-sserver-XXXXXX";
static char rsa_cert[256], rsa_key[256], ec_cert[256], ec_key[256];
static char dh1024[256];

/* Runs a command (argv NULL-terminated) quietly; returns its status. */
static int
run(char *const argv[])
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int
setup_group(void **state)
{
	char subj[] = "/CN=localhost";

	(void)state;
	openssl = getenv("MXD_OPENSSL");
	if (openssl == NULL || *openssl == '\0')
		return 0;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(rsa_cert, sizeof(rsa_cert), "%s/rsa.pem", tmpdir);
	snprintf(rsa_key, sizeof(rsa_key), "%s/rsa.key", tmpdir);
	snprintf(ec_cert, sizeof(ec_cert), "%s/ec.pem", tmpdir);
	snprintf(ec_key, sizeof(ec_key), "%s/ec.key", tmpdir);
	snprintf(dh1024, sizeof(dh1024), "%s/dh1024.pem", tmpdir);
	{
		char *rsa[] = { (char *)openssl, "req", "-x509", "-newkey",
		    "rsa:2048", "-nodes", "-keyout", rsa_key, "-out", rsa_cert,
		    "-subj", subj, "-days", "2", NULL };
		char *ec[] = { (char *)openssl, "req", "-x509", "-newkey",
		    "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
		    "-keyout", ec_key, "-out", ec_cert, "-subj", subj, "-days",
		    "2", NULL };
		char *dh[] = { (char *)openssl, "dhparam", "-out", dh1024,
		    "1024", NULL };

		if (run(rsa) != 0 || run(ec) != 0 || run(dh) != 0)
			return -1;
	}
	return 0;
}

static int
teardown_group(void **state)
{
	char *rm[] = { "/bin/rm", "-rf", tmpdir, NULL };

	(void)state;
	if (openssl != NULL && *openssl != '\0')
		(void)run(rm);
	return 0;
}

/*
 * The server.
 */

struct sserver {
	pid_t		 pid;
	int		 stdin_w;	/* kept open: s_server must not see EOF */
	uint16_t	 port;
};

static uint16_t
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	close(fd);
	return ntohs(sin.sin_port);
}

static bool
port_open(uint16_t port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM, 0), rc;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	rc = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	return rc == 0;
}

/* Starts s_server with the extra arguments (NULL-terminated); a probe
 * connection is made only once it listens. */
static void
sserver_start(struct sserver *s, const char *cert, const char *key,
    const char *const *extra)
{
	char accept[32], *argv[MAX_ARGS];
	int fds[2], i, n = 0, tries;

	s->port = free_port();
	snprintf(accept, sizeof(accept), "127.0.0.1:%u", s->port);
	argv[n++] = (char *)openssl;
	argv[n++] = "s_server";
	argv[n++] = "-accept";
	argv[n++] = accept;
	argv[n++] = "-www";
	argv[n++] = "-quiet";
	if (cert != NULL) {
		argv[n++] = "-cert";
		argv[n++] = (char *)cert;
		argv[n++] = "-key";
		argv[n++] = (char *)key;
	}
	for (i = 0; extra[i] != NULL && n < MAX_ARGS - 1; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	assert_int_equal(pipe(fds), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fds[0], 0);
		close(fds[1]);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[0]);
	s->stdin_w = fds[1];
	for (tries = 0; tries < 200 && !port_open(s->port); tries++)
		usleep(25000);
	if (tries == 200)
		fail_msg("s_server did not start on %u", s->port);
}

static void
sserver_stop(struct sserver *s)
{
	kill(s->pid, SIGTERM);
	waitpid(s->pid, NULL, 0);
	close(s->stdin_w);
}

/* What `openssl ciphers -s` says a cipher string allows for a version:
 * the independent reference for the scan's findings. */
static size_t
openssl_ciphers(const char *version_flag, const char *spec, uint16_t *out,
    size_t max)
{
	char cmd[512], line[512];
	unsigned hi, lo;
	size_t n = 0;
	FILE *fp;

	snprintf(cmd, sizeof(cmd), "'%s' ciphers -V -s %s '%s'", openssl,
	    version_flag, spec);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp) != NULL && n < max)
		if (sscanf(line, " 0x%x,0x%x", &hi, &lo) == 2)
			out[n++] = (uint16_t)(hi << 8 | lo);
	pclose(fp);
	return n;
}

static bool
same_set(const uint16_t *a, size_t na, const uint16_t *b, size_t nb)
{
	size_t i, k;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++) {
		for (k = 0; k < nb && b[k] != a[i]; k++)
			;
		if (k == nb)
			return false;
	}
	return true;
}

/*
 * Scans.
 */

struct outcome {
	struct tls_scan	*versions;
	struct tls_scan	*ciphers;
	const struct tls_versions_result *vr;
	const struct tls_ciphers_result *cr;
};

static void
scan_both(struct event_base *base, uint16_t port, struct outcome *o)
{
	struct tls_scan_params sp = { .timeout_ms = 5000,
	    .sni = "localhost" };
	struct tls_ciphers_params cp = { .detect_order = true };
	struct tprov t;
	int i;

	tprov_init(&t, base, port);
	o->versions = tls_scan_versions(base, &sp, 0, &t.prov,
	    scan_done_break, base);
	run_loop(base);
	o->vr = tls_scan_versions_result(o->versions);
	cp.known = o->vr;
	o->ciphers = tls_scan_ciphers(base, &sp, &cp, &t.prov,
	    scan_done_break, base);
	run_loop(base);
	o->cr = tls_scan_ciphers_result(o->ciphers);
	for (i = TLS_NVERSIONS - 1; i >= 0; i--)
		print_message("  %-8s %s\n", tls_version_name(tls_version_at(i)),
		    o->vr->v[i].result.detail);
	for (i = TLS_NVERSIONS - 1; i >= 0; i--) {
		const struct tls_version_ciphers *c = &o->cr->v[i];
		size_t k;

		if (!c->tested)
			continue;
		print_message("  %s: %zu suites, %s order, %d connections\n",
		    tls_version_name(c->version), c->nsuites,
		    tls_order_name(c->order), c->connections);
		for (k = 0; k < c->nsuites; k++)
			print_message("    %s\n",
			    tls_suite_by_code(c->codes[k])->name);
	}
	print_message("  connections: versions %d, ciphers %d, total %d\n",
	    o->vr->connections, o->cr->connections, t.gets);
	assert_int_equal(t.gets, t.puts);
}

static void
outcome_free(struct outcome *o)
{
	tls_scan_free(o->ciphers);
	tls_scan_free(o->versions);
}

#define SKIP_WITHOUT_OPENSSL() do {					\
	if (openssl == NULL || *openssl == '\0')			\
		skip();							\
} while (0)

static const struct tls_version_ciphers *
vc(const struct outcome *o, uint16_t v)
{
	return &o->cr->v[tls_version_index(v)];
}

/* TLS 1.2 only, two suites, server preference. */
static void
test_tls12_serverpref(void **state)
{
	static const char spec[] = "ECDHE-RSA-AES128-GCM-SHA256:AES256-SHA";
	const char *const args[] = { "-tls1_2", "-cipher", spec,
	    "-serverpref", NULL };
	uint16_t expect[16];
	size_t nexpect;
	struct sserver s;
	struct outcome o;
	int i;

	SKIP_WITHOUT_OPENSSL();
	nexpect = openssl_ciphers("-tls1_2", spec, expect, 16);
	assert_int_equal(nexpect, 2);
	sserver_start(&s, rsa_cert, rsa_key, args);
	scan_both(*state, s.port, &o);
	assert_true(o.vr->complete);
	assert_int_equal(o.vr->accepted, VB(TLS_V_TLS12));
	assert_int_equal(o.vr->connections, 6);
	for (i = 0; i < TLS_NVERSIONS; i++)
		if (tls_version_at(i) != TLS_V_TLS12)
			assert_true(tls_verdict_rejected(
			    o.vr->v[i].result.verdict));
	assert_int_equal(o.vr->v[tls_version_index(TLS_V_TLS12)].result.nchain,
	    1);
	assert_true(same_set(vc(&o, TLS_V_TLS12)->codes,
	    vc(&o, TLS_V_TLS12)->nsuites, expect, nexpect));
	assert_int_equal(vc(&o, TLS_V_TLS12)->codes[0], 0xc02f);
	assert_int_equal(vc(&o, TLS_V_TLS12)->order, TLS_ORDER_SERVER);
	/* accepted + 1, + 1 to tell the order */
	assert_int_equal(vc(&o, TLS_V_TLS12)->connections, 2 + 1 + 1);
	assert_int_equal(o.cr->connections, 4);
	assert_true(o.cr->complete);
	assert_int_equal(vc(&o, TLS_V_TLS12)->suites[0].group, 0x001d);
	outcome_free(&o);
	sserver_stop(&s);
}

/* TLS 1.3 only, two suites, OpenSSL's default: the client's order. */
static void
test_tls13_clientorder(void **state)
{
	const char *const args[] = { "-tls1_3", "-ciphersuites",
	    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256", NULL };
	struct sserver s;
	struct outcome o;
	struct tls_server_view view;
	struct tls_negotiation neg;
	struct tls_profile *p;
	char *err = NULL;

	SKIP_WITHOUT_OPENSSL();
	sserver_start(&s, rsa_cert, rsa_key, args);
	scan_both(*state, s.port, &o);
	assert_int_equal(o.vr->accepted, VB(TLS_V_TLS13));
	assert_int_equal(vc(&o, TLS_V_TLS13)->nsuites, 2);
	assert_int_equal(vc(&o, TLS_V_TLS13)->codes[0], 0x1302);
	assert_int_equal(vc(&o, TLS_V_TLS13)->codes[1], 0x1303);
	assert_int_equal(vc(&o, TLS_V_TLS13)->order, TLS_ORDER_CLIENT);
	assert_int_equal(vc(&o, TLS_V_TLS13)->connections, 2 + 1 + 1);
	/* Microsoft (TLS 1.2/1.3, AES-GCM) gets TLS_AES_256_GCM_SHA384,
	 * mozilla-modern too; Microsoft alone has no TLS 1.2 to fall to. */
	p = tls_profile_load_named("microsoft", PROBE_DATADIR "/profiles",
	    &err);
	assert_non_null(p);
	tls_server_view_fill(&view, o.vr, o.cr);
	tls_profile_negotiate(p, &view, &neg);
	print_message("  %s\n", neg.reason);
	assert_int_equal(neg.status, TLS_NEG_OK);
	assert_int_equal(neg.suite, 0x1302);
	tls_profile_free(p);
	outcome_free(&o);
	sserver_stop(&s);
}

/* TLS 1.0 and 1.1 with a 1024-bit DH group: old protocol, weak DH. */
static void
test_legacy_dh1024(void **state)
{
	static const char spec[] = "DHE-RSA-AES128-SHA:AES128-SHA:@SECLEVEL=0";
	const char *const args[] = { "-min_protocol", "TLSv1",
	    "-max_protocol", "TLSv1.1", "-cipher", spec, "-dhparam", dh1024,
	    NULL };
	uint16_t expect[16];
	size_t nexpect, k;
	struct sserver s;
	struct outcome o;
	const struct tls_version_ciphers *c;

	SKIP_WITHOUT_OPENSSL();
	nexpect = openssl_ciphers("-tls1", spec, expect, 16);
	assert_int_equal(nexpect, 2);
	sserver_start(&s, rsa_cert, rsa_key, args);
	scan_both(*state, s.port, &o);
	assert_int_equal(o.vr->accepted, VB(TLS_V_TLS10) | VB(TLS_V_TLS11));
	assert_int_equal(o.vr->v[tls_version_index(TLS_V_TLS12)].result.verdict,
	    TLS_VERDICT_OTHER_VERSION);
	c = vc(&o, TLS_V_TLS10);
	assert_true(same_set(c->codes, c->nsuites, expect, nexpect));
	for (k = 0; k < c->nsuites; k++)
		if (c->codes[k] == 0x0033)
			assert_int_equal(c->suites[k].dh_bits, 1024);
	c = vc(&o, TLS_V_TLS11);
	assert_true(same_set(c->codes, c->nsuites, expect, nexpect));
	assert_false(vc(&o, TLS_V_TLS12)->tested);
	outcome_free(&o);
	sserver_stop(&s);
}

/* No certificate, anonymous DH only: accepted, no chain. */
static void
test_anonymous(void **state)
{
	const char *const args[] = { "-nocert", "-tls1_2", "-cipher",
	    "ADH-AES256-SHA:@SECLEVEL=0", NULL };
	const struct tls_version_probe *v;
	struct sserver s;
	struct outcome o;

	SKIP_WITHOUT_OPENSSL();
	sserver_start(&s, NULL, NULL, args);
	scan_both(*state, s.port, &o);
	v = &o.vr->v[tls_version_index(TLS_V_TLS12)];
	assert_true(v->accepted);
	assert_int_equal(v->result.reply.suite, 0x003a);
	assert_int_equal(v->result.nchain, 0);
	assert_true(v->result.reply.dh_bits >= 2048);
	assert_int_equal(vc(&o, TLS_V_TLS12)->nsuites, 1);
	assert_true(tls_suite_by_code(0x003a)->flags & TLS_SUITE_ANON);
	outcome_free(&o);
	sserver_stop(&s);
}

/* An ECDSA-only server: what Microsoft's RSA-only list cannot reach. */
static void
test_ecdsa_no_overlap(void **state)
{
	const char *const args[] = { "-tls1_2", "-cipher",
	    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256", NULL };
	struct tls_server_view view;
	struct tls_negotiation neg;
	struct tls_profile *p;
	struct sserver s;
	struct outcome o;
	char *err = NULL;

	SKIP_WITHOUT_OPENSSL();
	sserver_start(&s, ec_cert, ec_key, args);
	scan_both(*state, s.port, &o);
	assert_int_equal(o.vr->accepted, VB(TLS_V_TLS12));
	assert_int_equal(vc(&o, TLS_V_TLS12)->nsuites, 1);
	assert_int_equal(vc(&o, TLS_V_TLS12)->codes[0], 0xc02b);
	p = tls_profile_load_named("microsoft", PROBE_DATADIR "/profiles",
	    &err);
	assert_non_null(p);
	tls_server_view_fill(&view, o.vr, o.cr);
	tls_profile_negotiate(p, &view, &neg);
	print_message("  %s\n", neg.reason);
	assert_int_equal(neg.status, TLS_NEG_NO_SUITE);
	assert_int_equal(neg.overlap, 0);
	tls_profile_free(p);
	p = tls_profile_load_named("mozilla-intermediate",
	    PROBE_DATADIR "/profiles", &err);
	assert_non_null(p);
	tls_profile_negotiate(p, &view, &neg);
	assert_int_equal(neg.status, TLS_NEG_OK);
	assert_int_equal(neg.suite, 0xc02b);
	tls_profile_free(p);
	outcome_free(&o);
	sserver_stop(&s);
}

/* OpenSSL's defaults (TLS 1.2 and 1.3, its whole default list): the
 * scan finds exactly what `openssl ciphers -s` says, in both versions. */
static void
test_defaults(void **state)
{
	const char *const args[] = { NULL };
	uint16_t expect[256];
	size_t nexpect;
	struct sserver s;
	struct outcome o;
	const struct tls_version_ciphers *c;
	size_t k, n;

	SKIP_WITHOUT_OPENSSL();
	sserver_start(&s, rsa_cert, rsa_key, args);
	scan_both(*state, s.port, &o);
	assert_int_equal(o.vr->accepted, VB(TLS_V_TLS12) | VB(TLS_V_TLS13));
	c = vc(&o, TLS_V_TLS12);
	nexpect = openssl_ciphers("-tls1_2", "DEFAULT", expect, 256);
	/* with an RSA certificate only aRSA (and PSK/SRP, not offered)
	 * suites can be chosen */
	for (k = n = 0; k < nexpect; k++) {
		const struct tls_suite *t = tls_suite_by_code(expect[k]);

		if (t != NULL && strcmp(t->auth, "RSA") == 0 &&
		    !tls_suite_needs_setup(t) && !(t->flags & TLS_SUITE_TLS13))
			expect[n++] = expect[k];
	}
	assert_true(same_set(c->codes, c->nsuites, expect, n));
	assert_int_equal(c->connections, (int)c->nsuites + 1 +
	    (c->order != TLS_ORDER_SERVER));
	c = vc(&o, TLS_V_TLS13);
	assert_int_equal(c->nsuites, 3);
	assert_true(o.cr->complete);
	outcome_free(&o);
	sserver_stop(&s);
}

static int
setup(void **state)
{
	*state = event_base_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	event_base_free(*state);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tls12_serverpref, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_tls13_clientorder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_legacy_dh1024, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_anonymous, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ecdsa_no_overlap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
