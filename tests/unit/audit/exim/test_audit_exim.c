/* test_audit_exim: the Exim reader on configuration fixtures (hostile ones too), its GnuTLS expansion, the fix plans and their fragment (golden files, read back by the reader). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/audit_gnutls.h"
#include "check/result.h"
#include "fix/fix.h"
#include "../fixtest.h"
#include "report/fix_render.h"
#include "tls/profile.h"
#include "tls/suites.h"
#include "util/xalloc.h"

#define V12	(1u << 4)
#define V13	(1u << 5)
#define V10	(1u << 2)
#define V11	(1u << 3)

static char *
fixture(const char *name)
{
	return xasprintf("%s/%s", getenv("MXD_EXIM_FIXTURES"), name);
}

static bool
has(const struct report *r, const char *id)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return true;
	return false;
}

static const char *
setting(const struct audit_result *a, const char *name)
{
	const struct audit_setting *s = audit_setting_get(a, name);

	return s != NULL ? s->value : NULL;
}

/*
 * The reader, one fixture per row.
 */

struct rcase {
	const char		*file;
	const char		*program;	/* fixture script or NULL */
	int			 rc;
	const char		*lib;		/* tls_library setting */
	enum audit_tls_use	 server_use;
	enum audit_tls_use	 client_use;	/* UNKNOWN: client absent */
	int			 versions_known;	/* server: -1 don't care */
	unsigned		 must;		/* server versions that must be on */
	unsigned		 mustnot;
	int			 client_suites_known;
	unsigned		 cmustnot;	/* client versions that must be off */
	const char		*hostname;
	size_t			 ncerts;
	const char		*findings[3];	/* must be there */
	const char		*absent;	/* must not */
};

static const struct rcase rcases[] = {
	{ .file = "debian.conf", .lib = "gnutls",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 1,
	  .must = V12 | V13 | V11, .mustnot = V10, .client_suites_known = 1,
	  .hostname = "mx.example.org", .ncerts = 1,
	  .absent = "config.invalid" },
	{ .file = "openssl.conf", .lib = "openssl",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .client_use = AUDIT_TLS_OFF,
	  .versions_known = 1, .must = V12 | V13, .mustnot = V10 | V11,
	  .client_suites_known = 0, .hostname = "mail.example.com",
	  .ncerts = 2, .absent = "config.invalid" },
	{ .file = "openssl-no12.conf", .lib = "openssl",
	  .server_use = AUDIT_TLS_OFF, .client_use = AUDIT_TLS_MANDATORY,
	  .versions_known = 0, .cmustnot = V12 | V13,
	  .client_suites_known = 1 },
	{ .file = "openssl-bad-option.conf", .lib = "openssl",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 0,
	  .findings = { "config.invalid" } },
	{ .file = "openssl-nosign.conf", .lib = "openssl",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 0,
	  .findings = { "config.invalid" } },
	{ .file = "gnutls-bad-priority.conf", .lib = "gnutls",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 1,
	  .mustnot = V12 | V13, .client_suites_known = 1,
	  .findings = { "config.invalid" } },
	{ .file = "gnutls-openssl-options.conf", .lib = "gnutls",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 1,
	  .must = V12, .findings = { "config.invalid" } },
	{ .file = "expanded.conf", .lib = "gnutls",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 0,
	  .ncerts = 0, .absent = "config.invalid" },
	{ .file = "some-hosts.conf", .lib = "unknown",
	  .server_use = AUDIT_TLS_UNKNOWN,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 0,
	  .client_suites_known = 0 },
	{ .file = "quoted.conf", .lib = "gnutls",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 1,
	  .must = V12 | V13, .mustnot = V10 | V11 },
	{ .file = "unbalanced.conf", .versions_known = -1,
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .hostname = "b.example",
	  .findings = { "config.invalid" } },
	{ .file = "twice.conf", .versions_known = -1,
	  .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .hostname = "three.example", .findings = { "config.invalid" } },
	{ .file = "loop.conf", .versions_known = -1,
	  .server_use = AUDIT_TLS_OPPORTUNISTIC, .hostname = "loop.example",
	  .findings = { "config.invalid" } },
	{ .file = "loop-a.conf", .versions_known = -1,
	  .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .findings = { "config.invalid" } },
	{ .file = "missing-include.conf", .versions_known = -1,
	  .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .findings = { "config.invalid" } },
	{ .file = "macro-bomb.conf", .versions_known = -1,
	  .server_use = AUDIT_TLS_OPPORTUNISTIC },
	/* the program decides the library, version and host name */
	{ .file = "openssl.conf", .program = "fake-exim-openssl.sh",
	  .lib = "openssl", .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OFF, .versions_known = 1,
	  .must = V12 | V13, .hostname = "mail.example.com", .ncerts = 2 },
	{ .file = "some-hosts.conf", .program = "fake-exim-openssl.sh",
	  .lib = "openssl", .server_use = AUDIT_TLS_UNKNOWN,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 1,
	  .must = V12 | V13, .client_suites_known = 1,
	  .hostname = "fake.example.net" },
	{ .file = "debian.conf", .program = "fake-exim-gnutls.sh",
	  .lib = "gnutls", .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .versions_known = 1,
	  .must = V12, .client_suites_known = 1, .hostname = "mx.example.org",
	  .ncerts = 1, .findings = { "config.invalid" } },
	{ .file = "debian.conf", .program = "fake-not-exim.sh", .rc = -1 },
	{ .file = "no-such-file.conf", .rc = -1 },
};

static int
read_one(const char *file, const char *program, struct audit_result *a,
    struct report *r, char **err)
{
	struct audit_opts o;
	char *path = fixture(file), *prog = program ? fixture(program) : NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_EXIM;
	o.config = path;
	o.program = prog;
	o.no_program = prog == NULL;
	rc = audit_read_exim(&o, a, r, err);
	free(path);
	free(prog);
	return rc;
}

static void
test_reader(void **state)
{
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		const struct rcase *c = &rcases[i];
		struct audit_result *a = audit_result_new(AUDIT_EXIM);
		struct report *r = report_new();
		char *err = NULL;
		int rc = read_one(c->file, c->program, a, r, &err);

		print_message("# %s%s%s\n", c->file, c->program ? " with " : "",
		    c->program ? c->program : "");
		assert_int_equal(rc, c->rc);
		if (rc == -1) {
			assert_non_null(err);
			free(err);
			goto next;
		}
		assert_null(err);
		if (c->lib != NULL)
			assert_string_equal(setting(a, "tls_library"), c->lib);
		assert_true(a->server.present);
		assert_int_equal(a->server.use, c->server_use);
		if (c->client_use != AUDIT_TLS_UNKNOWN) {
			assert_true(a->client.present);
			assert_int_equal(a->client.use, c->client_use);
			assert_int_equal(a->client.suites_known,
			    c->client_suites_known);
			if (c->cmustnot != 0) {
				assert_true(a->client.versions_known);
				assert_int_equal(a->client.versions &
				    c->cmustnot, 0);
			}
		}
		if (c->versions_known >= 0) {
			assert_int_equal(a->server.versions_known,
			    c->versions_known);
			if (c->versions_known) {
				assert_int_equal(a->server.versions & c->must,
				    c->must);
				assert_int_equal(a->server.versions & c->mustnot,
				    0);
				assert_non_null(a->server.versions_from);
			}
		}
		if (c->hostname != NULL) {
			assert_non_null(a->hostname);
			assert_string_equal(a->hostname, c->hostname);
		}
		assert_int_equal(a->server.ncerts, c->ncerts);
		for (k = 0; k < 3 && c->findings[k] != NULL; k++)
			if (!has(r, c->findings[k]))
				fail_msg("%s: no %s", c->file, c->findings[k]);
		if (c->absent != NULL && has(r, c->absent))
			fail_msg("%s: unexpected %s", c->file, c->absent);
next:
		audit_result_free(a);
		report_free(r);
	}
}

/* What debian.conf says in detail: macros, includes, continuations. */
static void
test_debian_details(void **state)
{
	struct audit_result *a = audit_result_new(AUDIT_EXIM);
	struct report *r = report_new();
	char *err = NULL;
	const struct audit_setting *s;

	(void)state;
	assert_int_equal(read_one("debian.conf", NULL, a, r, &err), 0);
	assert_string_equal(setting(a, "tls_certificate"),
	    "/etc/exim4/tls/exim.crt");
	assert_string_equal(setting(a, "tls_privatekey"),
	    "/etc/exim4/tls/exim.key");
	assert_string_equal(setting(a, "remote_smtp.tls_require_ciphers"),
	    "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2");
	assert_string_equal(setting(a, "remote_smtp.hosts_require_tls"),
	    "*.example.net");
	/* the included file, with its own origin */
	s = audit_setting_get(a, "tls_require_ciphers");
	assert_non_null(s);
	assert_non_null(strstr(s->origin, "inc/ciphers.conf:2"));
	assert_string_equal(setting(a, "audit.client_transport"),
	    "remote_smtp");
	/* the client's priority string has no TLS 1.1 */
	assert_int_equal(a->client.versions & (V11 | V10), 0);
	assert_int_equal(a->client.versions & (V12 | V13), V12 | V13);
	assert_non_null(a->client.sni);
	assert_non_null(strstr(a->client.sni, "$host"));
	/* the acl and appendfile's lines are not the smtp transport's */
	assert_null(setting(a, "acl_check_rcpt.tls_require_ciphers"));
	assert_string_equal(a->server.certs[0].cert_file,
	    "/etc/exim4/tls/exim.crt");
	audit_result_free(a);
	report_free(r);
}

/* Hostile inputs made at run time: a 1 MB line, NUL bytes, a file
 * including itself a thousand times over two names. */
static void
test_hostile(void **state)
{
	char tmpl[] = "/tmp/mxd-exim-test.XXXXXX", *dir, *p;
	struct audit_result *a;
	struct report *r;
	struct audit_opts o;
	char *err = NULL;
	FILE *fp;
	size_t i;

	(void)state;
	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_EXIM;
	o.no_program = true;

	p = xasprintf("%s/long.conf", dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("tls_require_ciphers = NORMAL", fp);
	for (i = 0; i < 1024 * 1024; i++)
		fputc(i % 64 == 0 ? ':' : 'A', fp);
	fputs("\nprimary_hostname = after.example\n", fp);
	fclose(fp);
	o.config = p;
	a = audit_result_new(AUDIT_EXIM);
	r = report_new();
	assert_int_equal(audit_read_exim(&o, a, r, &err), 0);
	assert_string_equal(a->hostname, "after.example");
	audit_result_free(a);
	report_free(r);
	unlink(p);
	free(p);

	p = xasprintf("%s/binary.conf", dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fwrite("primary_hostname = x\0\x01\xff\n", 1, 24, fp);
	fclose(fp);
	o.config = p;
	a = audit_result_new(AUDIT_EXIM);
	r = report_new();
	assert_int_equal(audit_read_exim(&o, a, r, &err), -1);
	assert_non_null(strstr(err, "NUL"));
	free(err);
	err = NULL;
	audit_result_free(a);
	report_free(r);
	unlink(p);
	free(p);

	/* a directory is not a configuration file */
	o.config = dir;
	a = audit_result_new(AUDIT_EXIM);
	r = report_new();
	assert_int_equal(audit_read_exim(&o, a, r, &err), -1);
	free(err);
	audit_result_free(a);
	report_free(r);
	rmdir(dir);
}

/*
 * GnuTLS priority strings.
 */

static void
test_gnutls(void **state)
{
	struct audit_gnutls_result g;
	const struct tls_suite *s;
	char *err = NULL;
	size_t i;
	bool gcm256 = false;

	(void)state;
	assert_int_equal(audit_gnutls_expand("NORMAL:-VERS-ALL:+VERS-TLS1.3:"
	    "+VERS-TLS1.2", &g, &err), 0);
	assert_int_equal(g.versions, V12 | V13);
	assert_true(g.nsuites > 0);
	assert_true(g.nsuites13 > 0);
	for (i = 0; i < g.nsuites; i++) {
		s = tls_suite_by_code(g.suites[i]);
		assert_non_null(s);
		assert_false(s->flags & TLS_SUITE_TLS13);
		if (g.suites[i] == 0xc030)	/* ECDHE_RSA_AES_256_GCM_SHA384 */
			gcm256 = true;
	}
	assert_true(gcm256);
	for (i = 0; i < g.nsuites13; i++)
		assert_int_equal(g.suites13[i] >> 8, 0x13);

	assert_int_equal(audit_gnutls_expand("NORMAL:-VERS-ALL:+VERS-TLS1.3",
	    &g, &err), 0);
	assert_int_equal(g.versions, V13);
	assert_int_equal(g.nsuites, 0);

	assert_int_equal(audit_gnutls_expand(NULL, &g, &err), 0);
	assert_true(g.versions & V12);

	assert_int_equal(audit_gnutls_expand("NORMAL:+NO-SUCH", &g, &err), -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "NO-SUCH"));
	free(err);
}

/*
 * Fix plans and the fragment.
 */





static char *
render(const struct fix_plan *p, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	assert_int_equal(fix_render_exim(p, fp), 0);
	fclose(fp);
	*len = n;
	return buf;
}

/* The GnuTLS version in reason texts is this machine's: golden files
 * say "GnuTLS X". */
static void
normalise(char *s)
{
	char *p = s;

	while ((p = strstr(p, "GnuTLS ")) != NULL) {
		char *q = p + 7, *e = q;

		while (*e == '.' || (*e >= '0' && *e <= '9'))
			e++;
		if (e > q) {
			*q = 'X';
			memmove(q + 1, e, strlen(e) + 1);
		}
		p = q;
	}
}

static void
golden(const char *name, char *got)
{
	normalise(got);
	fixtest_golden(name, got, strlen(got));
}

/* Every line is a comment, blank, or "[  ]name = value". */
static void
check_lines(const char *s)
{
	const char *line = s;

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t n, i;

		assert_non_null(nl);
		n = (size_t)(nl - line);
		for (i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 ||
			    (unsigned char)line[i] > 0x7e)
				fail_msg("byte %#x in %.*s", line[i], (int)n, line);
		if (n > 0 && line[0] != '#') {
			const char *t = line;

			if (strncmp(t, "  ", 2) == 0)
				t += 2;
			for (i = 0; t[i] >= 'a' && t[i] <= 'z'; i++)
				;
			if (i == 0 || strstr(t, " = ") == NULL ||
			    memchr(line, '$', n) != NULL)
				fail_msg("unexpected line: %.*s", (int)n, line);
		}
		line = nl + 1;
	}
}

/* The fragment, put into a configuration and read back by the reader,
 * sets what the plan sets. */
static void
readback(const struct fix_plan *p, const char *frag)
{
	char path[] = "/tmp/mxd-exim-frag.XXXXXX";
	const char *tr = strstr(frag, "# in your smtp transport (");
	struct audit_result *a = audit_result_new(AUDIT_EXIM);
	struct report *r = report_new();
	struct audit_opts o;
	char *err = NULL;
	size_t i;
	int fd = mkstemp(path);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	if (tr != NULL) {
		fwrite(frag, 1, (size_t)(tr - frag), fp);
		fputs("\nbegin transports\nremote_smtp:\n  driver = smtp\n", fp);
		fputs(tr, fp);
	} else
		fputs(frag, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_EXIM;
	o.config = path;
	o.no_program = true;
	assert_int_equal(audit_read_exim(&o, a, r, &err), 0);
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];
		char *name;
		const char *v;

		if (it->kind != FIX_SET && it->kind != FIX_UNSET)
			continue;
		name = strcmp(it->section, "main") == 0 ? xstrdup(it->name) :
		    xasprintf("%s.%s", it->section + 10, it->name);
		v = setting(a, name);
		if (it->kind == FIX_UNSET)
			assert_null(v);
		else {
			if (v == NULL)
				fail_msg("%s not read back", name);
			assert_string_equal(v, it->value);
		}
		free(name);
	}
	unlink(path);
	audit_result_free(a);
	report_free(r);
}

static void
plan_out(const char *gname, struct fix_plan *p)
{
	size_t len;
	char *out = render(p, &len);

	check_lines(out);
	readback(p, out);
	golden(gname, out);
	free(out);
}

static void
test_fix_full(void **state)
{
	static const char *const openssl[] = { "tls_library", "openssl", NULL };
	static const char *const gnutls[] = { "tls_library", "gnutls", NULL };
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_EXIM, .profile = prof };
	struct fixtest_ctx t;
	struct fix_plan *p;

	(void)state;
	fixtest_ctx_init(&t, &o, NULL);
	t.c.setting = NULL;
	p = fix_plan_new(&o);
	fix_full(p, &o);
	plan_out("full.exim", p);
	fix_plan_free(p);

	fixtest_ctx_init(&t, &o, gnutls);
	p = fix_plan_new(&o);
	p->full = true;
	fix_exim_full(p, &t.c);
	plan_out("full-gnutls.exim", p);
	fix_plan_free(p);

	fixtest_ctx_init(&t, &o, openssl);
	p = fix_plan_new(&o);
	p->full = true;
	fix_exim_full(p, &t.c);
	plan_out("full-openssl.exim", p);
	fix_plan_free(p);
	tls_profile_free(prof);
}

struct fcase {
	const char	*id;
	const char	*host;
	const char	*evidence;
	const char *const *kv;
	const char	*section;	/* an item that must be there */
	const char	*name;
	enum fix_kind	 kind;
	const char	*value;		/* NULL: any */
};

static const char *const kv_gnu[] = { "tls_library", "gnutls",
	"audit.client_transport", "out_smtp",
	"out_smtp.tls_require_ciphers", "NORMAL:-VERS-ALL:+VERS-TLS1.0",
	NULL };
static const char *const kv_ossl[] = { "tls_library", "openssl",
	"openssl_options", "+no_tlsv1 +no_tlsv1_2 +no_tlsv1_3 +no_compression",
	NULL };
static const char *const kv_ossl_only12[] = { "tls_library", "openssl",
	"openssl_options", "+no_tlsv1_2", NULL };
static const char *const kv_hostile[] = { "tls_library", "gnutls",
	"audit.client_transport", "evil\ntransport = x", NULL };

static const struct fcase fcases[] = {
	{ "config.server_no_tls12", "server", NULL, kv_gnu, "main",
	  "tls_require_ciphers", FIX_UNSET, NULL },
	{ "config.client_no_tls12", "client", NULL, kv_gnu,
	  "transport out_smtp", "tls_require_ciphers", FIX_UNSET, NULL },
	{ "config.client_tls_off", "client", NULL, kv_gnu,
	  "transport out_smtp", "tls_require_ciphers", FIX_UNSET, NULL },
	{ "config.client_tls_off", "client", NULL, kv_gnu,
	  "transport out_smtp", "hosts_avoid_tls", FIX_UNSET, NULL },
	{ "config.old_protocols", "server", NULL, kv_gnu, "main",
	  "tls_require_ciphers", FIX_SET,
	  "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2" },
	{ "config.server_no_tls12", "server", NULL, kv_ossl, "main",
	  "openssl_options", FIX_SET, "+no_tlsv1 +no_compression" },
	{ "config.server_no_tls12", "server", NULL, kv_ossl_only12, "main",
	  "openssl_options", FIX_UNSET, NULL },
	{ "config.old_protocols", "client", NULL, kv_ossl, "main",
	  "openssl_options", FIX_SET, "+no_sslv2 +no_sslv3 +single_dh_use "
	  "+no_ticket +no_renegotiation +no_tlsv1 +no_tlsv1_1" },
	{ "config.server_no_shared_cipher", "server", NULL, kv_ossl, "main",
	  "tls_require_ciphers", FIX_UNSET, NULL },
	{ "config.invalid", "server", "openssl_options = +no_tlsv1 (x:1); GnuTLS",
	  kv_gnu, "main", "openssl_options", FIX_UNSET, NULL },
	{ "config.server_tls_off", "server", NULL, kv_gnu, "main",
	  "tls_advertise_hosts", FIX_SET, "*" },
	{ "starttls.not_offered", "mx.example.org", NULL, NULL, "main",
	  "tls_advertise_hosts", FIX_SET, "*" },
	{ "cipher.no_overlap", "mx.example.org", NULL, NULL, "main",
	  "tls_require_ciphers", FIX_SET, NULL },
	{ "tls.handshake_failed", "mx.example.org", NULL, NULL, NULL,
	  "handshake failed", FIX_ACTION, NULL },
	{ "config.client_no_tls12", "client", NULL, kv_hostile,
	  "transport remote_smtp", "tls_require_ciphers", FIX_UNSET, NULL },
};

static const struct fix_item *
find_item(const struct fix_plan *p, const char *section, const char *name,
    enum fix_kind kind)
{
	size_t i;

	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];

		if (it->kind != kind || strcmp(it->name, name) != 0)
			continue;
		if ((section == NULL) != (it->section == NULL))
			continue;
		if (section != NULL && strcmp(section, it->section) != 0)
			continue;
		return it;
	}
	return NULL;
}

static void
test_fix_findings(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_EXIM, .profile = prof };
	struct fix_plan *all = fix_plan_new(&o);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		const struct fcase *c = &fcases[i];
		struct fix_finding f = { .id = c->id, .host = c->host,
		    .evidence = c->evidence, .severity = "error" };
		struct fix_plan *p = fix_plan_new(&o);
		const struct fix_item *it;
		struct fixtest_ctx t;

		fixtest_ctx_init(&t, &o, c->kv);
		assert_true(fix_exim_finding(p, &t.c, &f));
		it = find_item(p, c->section, c->name, c->kind);
		if (it == NULL)
			fail_msg("case %zu (%s): no %s item", i, c->id, c->name);
		if (c->value != NULL)
			assert_string_equal(it->value, c->value);
		assert_non_null(it->why);
		assert_non_null(it->source);
		assert_string_equal(it->finding, c->id);
		if (c->kv == kv_gnu && i < 4)
			fix_exim_finding(all, &t.c, &f);
		fix_plan_free(p);
	}
	{
		struct fix_finding f = { .id = "dns.no_mx" };
		struct fixtest_ctx t;

		fixtest_ctx_init(&t, &o, NULL);
		assert_false(fix_exim_finding(all, &t.c, &f));
	}
	plan_out("findings-gnutls.exim", all);
	fix_plan_free(all);
	tls_profile_free(prof);
}

/* Values a renderer must never write as configuration. */
static void
test_render_hostile(void **state)
{
	struct fix_opts o = { .mta = AUDIT_EXIM };
	struct fix_plan *p = fix_plan_new(&o);
	size_t len;
	char *out;

	(void)state;
	fix_add(p, FIX_SET, "main", "tls_require_ciphers",
	    "NORMAL\n.include /etc/shadow", "why\nnot", "src", NULL);
	fix_add(p, FIX_SET, "main", "tls_certificate", "${run{/bin/sh}}",
	    "expansion", "src", NULL);
	fix_add(p, FIX_SET, "main", "Bad-Name", "x", "name", "src", NULL);
	fix_add(p, FIX_SET, "transport a b", "tls_sni", "x", "section", "src",
	    NULL);
	fix_add(p, FIX_SET, "main", "tls_dhparam", " \"quoted\\\" ",
	    "quoting", "src", NULL);
	fix_add(p, FIX_SET, "transport remote_smtp", "tls_sni", "",
	    "empty", "src", NULL);
	out = render(p, &len);
	check_lines(out);
	assert_null(strstr(out, "\n.include"));
	assert_null(strstr(out, "\ntls_certificate ="));
	assert_non_null(strstr(out, "tls_dhparam = \" \\\"quoted\\\\\\\" \"\n"));
	assert_non_null(strstr(out, "  tls_sni = \"\"\n"));
	golden("hostile.exim", out);
	free(out);
	fix_plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_debian_details),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_gnutls),
		cmocka_unit_test(test_fix_full),
		cmocka_unit_test(test_fix_findings),
		cmocka_unit_test(test_render_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
