/* test_fix_chain: fix_chain() on certificates made here: root -> intermediate -> leaf, in every order and with parts missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fix/fix.h"

/*
 * The PKI: a self-signed root, an intermediate it signs, a leaf the
 * intermediate signs (with an AIA caIssuers URL naming the intermediate),
 * an unrelated self-signed leaf, all RSA 2048, valid for a day.
 */

struct pki {
	char		 dir[64];
	EVP_PKEY	*key;		/* one key for all: fast, and enough here */
	X509		*root, *inter, *leaf, *selfsigned;
};

static struct pki pki;

static void
add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	assert_non_null(ext);
	assert_int_equal(X509_add_ext(x, ext, -1), 1);
	X509_EXTENSION_free(ext);
}

static X509 *
make_cert(const char *cn, X509 *issuer, bool ca, const char *aia, long serial)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();

	assert_non_null(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : name);
	X509_set_pubkey(x, pki.key);
	add_ext(x, issuer ? issuer : x, NID_subject_key_identifier, "hash");
	if (issuer != NULL)
		add_ext(x, issuer, NID_authority_key_identifier, "keyid:always");
	if (ca) {
		add_ext(x, issuer ? issuer : x, NID_basic_constraints,
		    "critical,CA:TRUE");
		add_ext(x, issuer ? issuer : x, NID_key_usage,
		    "critical,keyCertSign,cRLSign");
	} else {
		add_ext(x, issuer ? issuer : x, NID_basic_constraints,
		    "CA:FALSE");
		add_ext(x, issuer ? issuer : x, NID_ext_key_usage, "serverAuth");
		add_ext(x, issuer ? issuer : x, NID_subject_alt_name,
		    "DNS:mx.example.test");
	}
	if (aia != NULL)
		add_ext(x, issuer, NID_info_access, aia);
	assert_true(X509_sign(x, pki.key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	return x;
}

/* Writes the certificates (and the key first, with_key) to dir/name. */
static const char *
pem_file(const char *name, bool with_key, X509 *a, X509 *b, X509 *c)
{
	static char path[8][128];
	static int next;
	X509 *list[3] = { a, b, c };
	FILE *f;
	char *p = path[next++ % 8];
	size_t i;

	snprintf(p, 128, "%s/%s", pki.dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	if (with_key)
		assert_int_equal(PEM_write_PrivateKey(f, pki.key, NULL, NULL, 0,
		    NULL, NULL), 1);
	for (i = 0; i < 3; i++)
		if (list[i] != NULL)
			assert_int_equal(PEM_write_X509(f, list[i]), 1);
	fclose(f);
	return p;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(pki.dir, sizeof(pki.dir), "/tmp/mxd-fix-chain-XXXXXX");
	if (mkdtemp(pki.dir) == NULL)
		return -1;
	pki.key = EVP_RSA_gen(2048);
	if (pki.key == NULL)
		return -1;
	pki.root = make_cert("Test Root CA", NULL, true, NULL, 1);
	pki.inter = make_cert("Test Intermediate CA", pki.root, true, NULL, 2);
	pki.leaf = make_cert("mx.example.test", pki.inter, false,
	    "caIssuers;URI:http://ca.example.test/inter.der", 3);
	pki.selfsigned = make_cert("self.example.test", NULL, false, NULL, 4);
	pem_file("root.pem", false, pki.root, NULL, NULL);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	X509_free(pki.root);
	X509_free(pki.inter);
	X509_free(pki.leaf);
	X509_free(pki.selfsigned);
	EVP_PKEY_free(pki.key);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", pki.dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The subjects' CNs of a PEM text, in order, "a|b|c". */
static void
subjects(const char *pem, char *out, size_t size)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x;
	char cn[128];
	size_t o = 0;

	out[0] = '\0';
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		X509_NAME_get_text_by_NID(X509_get_subject_name(x),
		    NID_commonName, cn, sizeof(cn));
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? "|" : "",
		    cn);
		X509_free(x);
	}
	BIO_free(bio);
}

struct chain_case {
	const char	*name;
	int		 leaf;		/* which file layout, see files() */
	int		 extra;
	bool		 add_root;
	const char	*want;		/* CNs in order; NULL: an error */
	const char	*err;		/* substrings of the error */
	const char	*err2;
};

enum {
	F_NONE, F_LEAF, F_LEAF_INTER, F_LEAF_ROOT_INTER, F_INTER, F_ROOT_INTER,
	F_KEY_LEAF_INTER, F_SELF, F_MISSING, F_GARBAGE, F_ROOT_LEAF_INTER
};

static const char *
file_for(int which)
{
	static char garbage[128];

	switch (which) {
	case F_LEAF:
		return pem_file("leaf.pem", false, pki.leaf, NULL, NULL);
	case F_LEAF_INTER:
		return pem_file("leaf-inter.pem", false, pki.leaf, pki.inter, NULL);
	case F_LEAF_ROOT_INTER:
		return pem_file("leaf-root-inter.pem", false, pki.leaf, pki.root,
		    pki.inter);
	case F_INTER:
		return pem_file("inter.pem", false, pki.inter, NULL, NULL);
	case F_ROOT_LEAF_INTER:
		return pem_file("root-leaf-inter.pem", true, pki.root, pki.leaf,
		    pki.inter);
	case F_ROOT_INTER:
		return pem_file("root-inter.pem", false, pki.root, pki.inter, NULL);
	case F_KEY_LEAF_INTER:
		return pem_file("key-leaf-inter.pem", true, pki.leaf, pki.inter,
		    NULL);
	case F_SELF:
		return pem_file("self.pem", false, pki.selfsigned, NULL, NULL);
	case F_MISSING:
		return "/nonexistent/mxd-fix-chain.pem";
	case F_GARBAGE: {
		FILE *f;

		snprintf(garbage, sizeof(garbage), "%s/garbage.pem", pki.dir);
		f = fopen(garbage, "w");
		assert_non_null(f);
		fputs("-----BEGIN CERTIFICATE-----\nnot base64\n"
		    "-----END CERTIFICATE-----\n", f);
		fclose(f);
		return garbage;
	}
	}
	return NULL;
}

static const struct chain_case chain_cases[] = {
	{ "leaf + intermediate given apart", F_LEAF, F_INTER, false,
	  "mx.example.test|Test Intermediate CA", NULL, NULL },
	{ "leaf and intermediate in one file", F_LEAF_INTER, F_NONE, false,
	  "mx.example.test|Test Intermediate CA", NULL, NULL },
	{ "wrong order in the leaf file", F_LEAF_ROOT_INTER, F_NONE, false,
	  "mx.example.test|Test Intermediate CA", NULL, NULL },
	{ "wrong order in the extra file", F_LEAF, F_ROOT_INTER, false,
	  "mx.example.test|Test Intermediate CA", NULL, NULL },
	{ "bundle starting with the root (and a key)", F_ROOT_LEAF_INTER,
	  F_NONE, false, "mx.example.test|Test Intermediate CA", NULL, NULL },
	{ "with the root", F_LEAF, F_INTER, true,
	  "mx.example.test|Test Intermediate CA|Test Root CA", NULL, NULL },
	{ "a private key is skipped", F_KEY_LEAF_INTER, F_NONE, false,
	  "mx.example.test|Test Intermediate CA", NULL, NULL },
	{ "missing intermediate", F_LEAF, F_NONE, false, NULL,
	  "CN=Test Intermediate CA", "http://ca.example.test/inter.der" },
	{ "self-signed leaf", F_SELF, F_NONE, false, NULL, "self-signed", NULL },
	{ "unreadable leaf", F_MISSING, F_NONE, false, NULL,
	  "/nonexistent/mxd-fix-chain.pem", "No such file" },
	{ "unreadable extra", F_LEAF, F_MISSING, false, NULL,
	  "/nonexistent/mxd-fix-chain.pem", NULL },
	{ "no certificate in the file", F_GARBAGE, F_NONE, false, NULL,
	  "no PEM certificate", NULL },
};

static void
test_chain(void **state)
{
	char rootpath[128];
	const char *terr = NULL;
	struct x509_trust *t;
	size_t i;

	(void)state;
	snprintf(rootpath, sizeof(rootpath), "%s/root.pem", pki.dir);
	t = x509_trust_new(rootpath, NULL, &terr);
	assert_non_null(t);
	for (i = 0; i < sizeof(chain_cases) / sizeof(chain_cases[0]); i++) {
		const struct chain_case *cc = &chain_cases[i];
		struct strvec info = { NULL, 0, 0 };
		const char *extra[1];
		char *pem = NULL, *err = NULL, got[512];
		const char *leaf = file_for(cc->leaf);
		size_t nextra = 0;
		int r;

		if (cc->extra != F_NONE)
			extra[nextra++] = file_for(cc->extra);
		r = fix_chain(leaf, extra, nextra, t, cc->add_root, &pem, &info,
		    &err);
		if (cc->want != NULL) {
			if (r != 0)
				fail_msg("%s: %s", cc->name, err);
			subjects(pem, got, sizeof(got));
			if (strcmp(got, cc->want) != 0)
				fail_msg("%s: got %s, want %s", cc->name, got,
				    cc->want);
			assert_null(strstr(pem, "PRIVATE KEY"));
			assert_int_equal(info.n, 3);
			assert_non_null(strstr(info.v[2], "trust anchor"));
		} else {
			if (r == 0)
				fail_msg("%s: succeeded", cc->name);
			assert_null(pem);
			if (err == NULL || strstr(err, cc->err) == NULL ||
			    (cc->err2 && strstr(err, cc->err2) == NULL))
				fail_msg("%s: error '%s'", cc->name,
				    err ? err : "(none)");
		}
		free(pem);
		free(err);
		strvec_clear(&info);
	}
	x509_trust_free(t);
}

/* Without the right root in the store the chain ends at an unknown
 * root, and the error says so. */
static void
test_chain_wrong_store(void **state)
{
	const char *terr = NULL, *extra[1];
	char *pem = NULL, *err = NULL;
	struct x509_trust *t;
	const char *other = pem_file("other-root.pem", false, pki.selfsigned,
	    NULL, NULL);

	(void)state;
	t = x509_trust_new(other, NULL, &terr);
	assert_non_null(t);
	extra[0] = file_for(F_ROOT_INTER);
	assert_int_equal(fix_chain(file_for(F_LEAF), extra, 1, t, false, &pem,
	    NULL, &err), -1);
	assert_non_null(strstr(err, "Test Root CA"));
	assert_non_null(strstr(err, "not in the trust store"));
	free(err);
	assert_int_equal(fix_chain(file_for(F_LEAF), NULL, 0, NULL, false, &pem,
	    NULL, &err), -1);
	free(err);
	x509_trust_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_chain_wrong_store),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
