/* test_audit_sendmail: the Sendmail reader on .cf and .mc fixtures (hostile ones too), the fix plans and their sendmail.mc lines (golden files, read back by the reader). */
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
#include "check/result.h"
#include "fix/fix.h"
#include "../fixtest.h"
#include "report/fix_render.h"
#include "tls/profile.h"
#include "tls/suites.h"
#include "util/xalloc.h"

#define V10	(1u << 2)
#define V11	(1u << 3)
#define V12	(1u << 4)
#define V13	(1u << 5)

static char *
fixture(const char *name)
{
	return xasprintf("%s/%s", getenv("MXD_SENDMAIL_FIXTURES"), name);
}

static size_t
count(const struct report *r, const char *id)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		n += strcmp(r->findings[i].id, id) == 0;
	return n;
}

static const char *
setting(const struct audit_result *a, const char *name)
{
	const struct audit_setting *s = audit_setting_get(a, name);

	return s != NULL ? s->value : NULL;
}

struct rcase {
	const char		*file;
	const char		*program;
	int			 rc;
	enum audit_tls_use	 server_use;
	enum audit_tls_use	 client_use;
	unsigned		 smust, smustnot, cmust, cmustnot;
	bool			 server_order;
	const char		*hostname;
	size_t			 ncerts;
	size_t			 ninvalid;	/* config.invalid findings */
	const char		*version;
	const char		*library;	/* prefix */
};

static const struct rcase rcases[] = {
	{ .file = "good.cf", .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .smust = V12 | V13,
	  .smustnot = V10 | V11, .cmust = V12 | V13, .server_order = true,
	  .hostname = "mx.example.org", .ncerts = 2 },
	{ .file = "no12.cf", .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .smustnot = V12 | V13,
	  .cmustnot = V12 | V13, .ncerts = 1, .hostname = "mx.example.org" },
	{ .file = "unknown-option.cf", .server_use = AUDIT_TLS_OFF,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .smustnot = V10,
	  .cmustnot = V10, .ninvalid = 3 },
	{ .file = "nocert.cf", .server_use = AUDIT_TLS_OFF,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .ncerts = 1 },
	{ .file = "daemon-s.cf", .server_use = AUDIT_TLS_OFF,
	  .client_use = AUDIT_TLS_OFF, .ncerts = 1 },
	{ .file = "debian.mc", .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .cmustnot = V10,
	  .cmust = V12, .hostname = "mx.example.org", .ncerts = 1 },
	{ .file = "unterminated.mc", .server_use = AUDIT_TLS_OFF,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC },
	{ .file = "loop.mc", .server_use = AUDIT_TLS_OFF,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .ncerts = 1, .ninvalid = 1 },
	{ .file = "good.cf", .program = "fake-sendmail.sh",
	  .server_use = AUDIT_TLS_OFF, .client_use = AUDIT_TLS_OFF,
	  .server_order = true, .hostname = "mx.example.org", .ncerts = 2,
	  .ninvalid = 1, .version = "8.18.1" },
	{ .file = "nocert.cf", .program = "fake-sendmail.sh",
	  .server_use = AUDIT_TLS_OFF, .client_use = AUDIT_TLS_OFF,
	  .hostname = "fake.example.net", .ncerts = 1, .ninvalid = 1 },
	{ .file = "good.cf", .program = "fake-sendmail-tls.sh",
	  .server_use = AUDIT_TLS_OPPORTUNISTIC,
	  .client_use = AUDIT_TLS_OPPORTUNISTIC, .smust = V12,
	  .server_order = true, .hostname = "mx.example.org", .ncerts = 2,
	  .version = "8.17.1.9", .library = "OpenSSL 1.1.1w" },
	{ .file = "good.cf", .program = "no-such-program", .rc = -1 },
	{ .file = "missing.cf", .rc = -1 },
};

static int
read_one(const char *file, const char *program, struct audit_result *a,
    struct report *r, char **err)
{
	struct audit_opts o;
	char *path = fixture(file), *prog = program ? fixture(program) : NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_SENDMAIL;
	o.config = path;
	o.program = prog;
	o.no_program = prog == NULL;
	rc = audit_read_sendmail(&o, a, r, err);
	free(path);
	free(prog);
	return rc;
}

static void
test_reader(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rcases) / sizeof(rcases[0]); i++) {
		const struct rcase *c = &rcases[i];
		struct audit_result *a = audit_result_new(AUDIT_SENDMAIL);
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
		assert_string_equal(setting(a, "tls_library"), "openssl");
		assert_true(a->server.present && a->client.present);
		assert_int_equal(a->server.use, c->server_use);
		assert_int_equal(a->client.use, c->client_use);
		assert_true(a->server.versions_known && a->client.versions_known);
		assert_int_equal(a->server.versions & c->smust, c->smust);
		assert_int_equal(a->server.versions & c->smustnot, 0);
		assert_int_equal(a->client.versions & c->cmust, c->cmust);
		assert_int_equal(a->client.versions & c->cmustnot, 0);
		assert_int_equal(a->server.server_order, c->server_order);
		if (c->hostname != NULL) {
			assert_non_null(a->hostname);
			assert_string_equal(a->hostname, c->hostname);
		}
		assert_int_equal(a->server.ncerts, c->ncerts);
		if (count(r, "config.invalid") != c->ninvalid)
			fail_msg("%s: %zu config.invalid, want %zu", c->file,
			    count(r, "config.invalid"), c->ninvalid);
		if (c->version != NULL)
			assert_string_equal(a->mta_version, c->version);
		if (c->library != NULL)
			assert_string_equal(a->tls_library, c->library);
next:
		audit_result_free(a);
		report_free(r);
	}
}

static void
test_details(void **state)
{
	struct audit_result *a = audit_result_new(AUDIT_SENDMAIL);
	struct report *r = report_new();
	char *err = NULL;

	(void)state;
	assert_int_equal(read_one("good.cf", NULL, a, r, &err), 0);
	/* a continuation line joins the one before */
	assert_string_equal(setting(a, "CipherList"),
	    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256: HIGH:!aNULL");
	assert_true(a->server.suites_known);
	assert_true(a->server.nsuites >= 2);
	assert_int_equal(a->server.suites[0], 0xc030);
	assert_int_equal(a->server.suites[1], 0xc02f);
	assert_string_equal(a->server.certs[1].cert_file, "/etc/mail/tls/ecdsa.pem");
	assert_string_equal(a->server.certs[1].key_file, "/etc/mail/tls/ecdsa.key");
	assert_string_equal(a->server.ca_file, "/etc/ssl/certs/ca-certificates.crt");
	assert_non_null(strstr(a->client.use_from, "TLSFallbacktoClear"));
	assert_int_equal(a->client.ncerts, 1);
	audit_result_free(a);
	report_free(r);

	a = audit_result_new(AUDIT_SENDMAIL);
	r = report_new();
	assert_int_equal(read_one("debian.mc", NULL, a, r, &err), 0);
	/* the commented define and the one in the comment do not count;
	 * LOCAL_CONFIG's O line does; inner quotes are m4's, not the
	 * value's; undefine() removes */
	assert_string_equal(setting(a, "CipherList"), "HIGH:!aNULL");
	assert_string_equal(setting(a, "ServerSSLOptions"), "+SSL_OP_NO_SSLv3");
	assert_string_equal(setting(a, "ClientSSLOptions"),
	    "+SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1");
	assert_string_equal(setting(a, "TLSSrvOptions"), "V");
	assert_non_null(strstr(audit_setting_get(a, "ServerCertFile")->origin,
	    "starttls.m4:4"));
	assert_string_equal(a->server.certs[0].key_file,
	    "/etc/mail/tls/sendmail-common.key");
	assert_true(a->server.versions & V12);
	audit_result_free(a);
	report_free(r);
}

static void
test_hostile(void **state)
{
	char tmpl[] = "/tmp/mxd-sm-test.XXXXXX", *dir, *p;
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
	o.mta = AUDIT_SENDMAIL;
	o.no_program = true;

	/* a 1 MB option line, then a 1 MB continuation, then a real one */
	p = xasprintf("%s/long.cf", dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("O CipherList=", fp);
	for (i = 0; i < 1024 * 1024; i++)
		fputc('A', fp);
	fputs("\n\t", fp);
	for (i = 0; i < 1024 * 1024; i++)
		fputc('B', fp);
	fputs("\nDjafter.example\n", fp);
	fclose(fp);
	o.config = p;
	a = audit_result_new(AUDIT_SENDMAIL);
	r = report_new();
	assert_int_equal(audit_read_sendmail(&o, a, r, &err), 0);
	assert_string_equal(a->hostname, "after.example");
	audit_result_free(a);
	report_free(r);
	unlink(p);
	free(p);

	/* an .mc of nothing but open quotes and parentheses */
	p = xasprintf("%s/quotes.mc", dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	for (i = 0; i < 200000; i++)
		fputs(i % 3 ? "define(`" : "((", fp);
	fclose(fp);
	o.config = p;
	a = audit_result_new(AUDIT_SENDMAIL);
	r = report_new();
	assert_int_equal(audit_read_sendmail(&o, a, r, &err), 0);
	audit_result_free(a);
	report_free(r);
	unlink(p);
	free(p);

	p = xasprintf("%s/binary.cf", dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fwrite("O CipherList=\0\xff\n", 1, 16, fp);
	fclose(fp);
	o.config = p;
	a = audit_result_new(AUDIT_SENDMAIL);
	r = report_new();
	assert_int_equal(audit_read_sendmail(&o, a, r, &err), -1);
	assert_non_null(strstr(err, "NUL"));
	free(err);
	audit_result_free(a);
	report_free(r);
	unlink(p);
	free(p);
	rmdir(dir);
}

/*
 * Fix plans and the sendmail.mc lines.
 */





static char *
render(const struct fix_plan *p)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&buf, &n);

	assert_non_null(fp);
	assert_int_equal(fix_render_sendmail(p, fp), 0);
	fclose(fp);
	return buf;
}

static void
golden(const char *name, const char *got)
{
	fixtest_golden(name, got, strlen(got));
}

/* Every line is blank, a dnl comment, or one define/undefine whose
 * quotes balance. */
static void
check_lines(const char *s)
{
	const char *line = s;

	while (*line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t n, i;
		int q = 0;

		assert_non_null(nl);
		n = (size_t)(nl - line);
		for (i = 0; i < n; i++)
			if ((unsigned char)line[i] < 0x20 ||
			    (unsigned char)line[i] > 0x7e)
				fail_msg("byte %#x in %.*s", line[i], (int)n, line);
		if (n == 0 || strncmp(line, "dnl", 3) == 0) {
			line = nl + 1;
			continue;
		}
		if (strncmp(line, "define(`conf", 12) != 0 &&
		    strncmp(line, "undefine(`conf", 14) != 0)
			fail_msg("unexpected line: %.*s", (int)n, line);
		for (i = 0; i < n; i++) {
			if (line[i] == '`')
				q++;
			else if (line[i] == '\'' && --q < 0)
				fail_msg("quotes: %.*s", (int)n, line);
		}
		assert_int_equal(q, 0);
		if (n < 5 || strncmp(line + n - 5, "')dnl", 5) != 0)
			fail_msg("not one call: %.*s", (int)n, line);
		line = nl + 1;
	}
}

/* The lines, read back by the .mc reader, set what the plan sets. */
static void
readback(const struct fix_plan *p, const char *mc)
{
	static const struct { const char *mc, *cf; } names[] = {
		{ "confCIPHER_LIST", "CipherList" },
		{ "confSERVER_SSL_OPTIONS", "ServerSSLOptions" },
		{ "confCLIENT_SSL_OPTIONS", "ClientSSLOptions" },
	};
	char path[] = "/tmp/mxd-sm-frag.XXXXXX.mc";
	struct audit_result *a = audit_result_new(AUDIT_SENDMAIL);
	struct report *r = report_new();
	struct audit_opts o;
	char *err = NULL;
	size_t i, k;
	int fd = mkstemps(path, 3);
	FILE *fp;

	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	fputs("define(`confCIPHER_LIST', `3DES')dnl\n", fp);
	fputs(mc, fp);
	fclose(fp);
	memset(&o, 0, sizeof(o));
	o.mta = AUDIT_SENDMAIL;
	o.config = path;
	o.no_program = true;
	assert_int_equal(audit_read_sendmail(&o, a, r, &err), 0);
	for (i = 0; i < p->nitems; i++) {
		const struct fix_item *it = &p->items[i];
		const struct audit_setting *s;

		if (it->kind != FIX_SET && it->kind != FIX_UNSET)
			continue;
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			if (strcmp(names[k].mc, it->name) == 0)
				break;
		if (k == sizeof(names) / sizeof(names[0]))
			continue;
		s = audit_setting_get(a, names[k].cf);
		if (it->kind == FIX_SET) {
			assert_non_null(s);
			assert_string_equal(s->value, it->value);
		} else
			/* undefined after the define: the model has the
			 * library's default list */
			assert_true(a->server.nsuites > 10);
	}
	unlink(path);
	audit_result_free(a);
	report_free(r);
}

static void
plan_out(const char *gname, const struct fix_plan *p)
{
	char *out = render(p);

	check_lines(out);
	readback(p, out);
	golden(gname, out);
	free(out);
}

static void
test_fix_full(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_SENDMAIL, .profile = prof };
	struct fix_plan *p = fix_plan_new(&o);

	(void)state;
	fix_full(p, &o);
	plan_out("full.sendmail", p);
	fix_plan_free(p);
	tls_profile_free(prof);
}

struct fcase {
	const char	*id;
	const char	*host;
	const char	*evidence;
	const char *const *kv;
	const char	*name;
	enum fix_kind	 kind;
	const char	*value;
};

static const char *const kv_no12[] = {
	"ServerSSLOptions", "+SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1_2,+SSL_OP_NO_TLSv1_3",
	"ClientSSLOptions", "0x08000000", NULL };

static const struct fcase fcases[] = {
	{ "config.server_no_tls12", "server", NULL, kv_no12,
	  "confSERVER_SSL_OPTIONS", FIX_SET, "+SSL_OP_NO_SSLv3" },
	{ "config.client_no_tls12", "client", NULL, kv_no12,
	  "confCLIENT_SSL_OPTIONS", FIX_SET,
	  "+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1" },
	{ "config.server_no_tls12", "server", NULL, NULL,
	  "confCIPHER_LIST", FIX_UNSET, NULL },
	{ "config.old_protocols", "client", NULL, NULL,
	  "confCLIENT_SSL_OPTIONS", FIX_SET,
	  "+SSL_OP_NO_SSLv2 +SSL_OP_NO_SSLv3 +SSL_OP_NO_TLSv1 +SSL_OP_NO_TLSv1_1" },
	{ "config.server_no_shared_cipher", "server", NULL, NULL,
	  "confCIPHER_LIST", FIX_UNSET, NULL },
	{ "config.weak_ciphers", "client", NULL, NULL,
	  "confCIPHER_LIST", FIX_UNSET, NULL },
	{ "config.invalid", "server",
	  "ServerSSLOptions=+SSL_OP_FOO (x.cf:3): SSL_OP_FOO", NULL,
	  "confSERVER_SSL_OPTIONS", FIX_SET, NULL },
	{ "config.invalid", "server", "sendmail -bt: x.cf: line 3: readcf: x",
	  NULL, "invalid setting", FIX_ACTION, NULL },
	{ "config.server_tls_off", "server", NULL, NULL,
	  "server certificate", FIX_ACTION, NULL },
	{ "config.client_tls_off", "client", NULL, NULL,
	  "client port options", FIX_ACTION, NULL },
	{ "starttls.not_offered", "mx.example.org", NULL, NULL,
	  "daemon port options", FIX_ACTION, NULL },
	{ "tls.no_tls12_or_newer", "mx.example.org", NULL, NULL,
	  "confSERVER_SSL_OPTIONS", FIX_SET, NULL },
	{ "cipher.no_overlap", "mx.example.org", NULL, NULL,
	  "confCIPHER_LIST", FIX_UNSET, NULL },
	{ "tls.handshake_failed", "mx.example.org", NULL, NULL,
	  "handshake failed", FIX_ACTION, NULL },
};

static void
test_fix_findings(void **state)
{
	struct tls_profile *prof = fixtest_profile("microsoft");
	struct fix_opts o = { .mta = AUDIT_SENDMAIL, .profile = prof };
	struct fix_plan *all = fix_plan_new(&o);
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		const struct fcase *c = &fcases[i];
		struct fix_finding f = { .id = c->id, .host = c->host,
		    .evidence = c->evidence, .severity = "error" };
		struct fix_plan *p = fix_plan_new(&o);
		const struct fix_item *it = NULL;
		struct fixtest_ctx t;

		fixtest_ctx_init(&t, &o, c->kv);
		assert_true(fix_sendmail_finding(p, &t.c, &f));
		for (k = 0; k < p->nitems && it == NULL; k++)
			if (p->items[k].kind == c->kind &&
			    strcmp(p->items[k].name, c->name) == 0)
				it = &p->items[k];
		if (it == NULL)
			fail_msg("case %zu (%s): no %s", i, c->id, c->name);
		if (c->value != NULL)
			assert_string_equal(it->value, c->value);
		assert_non_null(it->why);
		assert_non_null(it->source);
		if (i < 2)
			fix_sendmail_finding(all, &t.c, &f);
		fix_plan_free(p);
	}
	plan_out("findings.sendmail", all);
	fix_plan_free(all);
	tls_profile_free(prof);
}

static void
test_render_hostile(void **state)
{
	struct fix_opts o = { .mta = AUDIT_SENDMAIL };
	struct fix_plan *p = fix_plan_new(&o);
	char *out;

	(void)state;
	fix_add(p, FIX_SET, "mc", "confCIPHER_LIST", "HIGH')dnl\nsyscmd(`id')",
	    "quote", "src", NULL);
	fix_add(p, FIX_SET, "mc", "confSERVER_CERT", "/a'b", "quote", "src",
	    NULL);
	fix_add(p, FIX_SET, "mc", "syscmd", "id", "name", "src", NULL);
	fix_add(p, FIX_SET, "cf", "confCRL", "/x", "section", "src", NULL);
	fix_add(p, FIX_SET, "mc", "confDH_PARAMETERS", "/etc/mail/dh.pem, x)",
	    "commas and parentheses stay inside the quotes", "src\nnewline",
	    NULL);
	out = render(p);
	check_lines(out);
	assert_null(strstr(out, "\nsyscmd"));
	assert_null(strstr(out, "define(`syscmd"));
	assert_non_null(strstr(out,
	    "define(`confDH_PARAMETERS', `/etc/mail/dh.pem, x)')dnl\n"));
	golden("hostile.sendmail", out);
	free(out);
	fix_plan_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader),
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_fix_full),
		cmocka_unit_test(test_fix_findings),
		cmocka_unit_test(test_render_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
