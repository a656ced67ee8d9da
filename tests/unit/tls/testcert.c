/* testcert: keys and certificates made in-process with the OpenSSL API, for the tls tests. */
#include "testcert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

static void
testcert_die(const char *what)
{
	fprintf(stderr, "testcert: %s failed\n", what);
	ERR_print_errors_fp(stderr);
	abort();
}

EVP_PKEY *
testcert_rsa(int bits)
{
	EVP_PKEY *k;

	if ((k = EVP_RSA_gen((unsigned int)bits)) == NULL)
		testcert_die("EVP_RSA_gen");
	return k;
}

EVP_PKEY *
testcert_ec(const char *curve)
{
	EVP_PKEY *k;

	if ((k = EVP_EC_gen(curve)) == NULL)
		testcert_die("EVP_EC_gen");
	return k;
}

static void
testcert_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ext;

	if (value == NULL)
		return;
	if ((ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value)) == NULL)
		testcert_die(value);
	if (X509_add_ext(x, ext, -1) != 1)
		testcert_die("X509_add_ext");
	X509_EXTENSION_free(ext);
}

static void
testcert_name(X509 *x, const struct testcert_spec *spec)
{
	X509_NAME *name = X509_get_subject_name(x);

	if (spec->org != NULL && X509_NAME_add_entry_by_txt(name, "O",
	    MBSTRING_ASC, (const unsigned char *)spec->org, -1, -1, 0) != 1)
		testcert_die("O");
	if (spec->cn != NULL && X509_NAME_add_entry_by_txt(name, "CN",
	    MBSTRING_ASC, (const unsigned char *)spec->cn, -1, -1, 0) != 1)
		testcert_die("CN");
}

static void
testcert_exts(X509 *x, const struct testcert_spec *spec)
{
	X509V3_CTX ctx;

	if (spec->no_ext)
		return;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, spec->issuer != NULL ? spec->issuer : x, x,
	    NULL, NULL, 0);
	testcert_ext(x, &ctx, NID_basic_constraints,
	    spec->ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	testcert_ext(x, &ctx, NID_key_usage, spec->ku != NULL ? spec->ku :
	    spec->ca ? "critical,keyCertSign,cRLSign" :
	    "critical,digitalSignature,keyEncipherment");
	if (!spec->ca)
		testcert_ext(x, &ctx, NID_ext_key_usage, spec->eku != NULL ?
		    spec->eku : "serverAuth");
	testcert_ext(x, &ctx, NID_subject_key_identifier, "hash");
	if (spec->issuer != NULL)
		testcert_ext(x, &ctx, NID_authority_key_identifier,
		    "keyid:always");
	testcert_ext(x, &ctx, NID_subject_alt_name, spec->san);
	testcert_ext(x, &ctx, NID_info_access, spec->aia);
}

X509 *
testcert_make(const struct testcert_spec *spec)
{
	X509 *x;
	time_t nb, na;

	nb = spec->not_before != 0 ? spec->not_before :
	    TESTCERT_NOW - 30 * TESTCERT_DAY;
	na = spec->not_after != 0 ? spec->not_after :
	    TESTCERT_NOW + 90 * TESTCERT_DAY;
	if ((x = X509_new()) == NULL)
		testcert_die("X509_new");
	if (X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x),
	    spec->serial != 0 ? spec->serial : 1) != 1 ||
	    ASN1_TIME_set(X509_getm_notBefore(x), nb) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), na) == NULL)
		testcert_die("X509 fields");
	testcert_name(x, spec);
	if (X509_set_issuer_name(x, spec->issuer != NULL ?
	    X509_get_subject_name(spec->issuer) :
	    X509_get_subject_name(x)) != 1 ||
	    X509_set_pubkey(x, spec->key) != 1)
		testcert_die("X509 names");
	testcert_exts(x, spec);
	if (X509_sign(x, spec->issuer_key != NULL ? spec->issuer_key :
	    spec->key, spec->md != NULL ? spec->md : EVP_sha256()) <= 0)
		testcert_die("X509_sign");
	return x;
}

char *
testcert_pem_file(X509 *const *certs)
{
	char path[] = "/tmp/mxd-testcert-XXXXXX";
	FILE *fp;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (fp = fdopen(fd, "w")) == NULL)
		testcert_die("mkstemp");
	for (; *certs != NULL; certs++)
		if (PEM_write_X509(fp, *certs) != 1)
			testcert_die("PEM_write_X509");
	if (fclose(fp) != 0)
		testcert_die("fclose");
	return strdup(path);
}

STACK_OF(X509) *
testcert_chain(X509 *const *certs)
{
	STACK_OF(X509) *sk;

	if ((sk = sk_X509_new_null()) == NULL)
		testcert_die("sk_X509_new_null");
	for (; *certs != NULL; certs++)
		if (X509_up_ref(*certs) != 1 || sk_X509_push(sk, *certs) <= 0)
			testcert_die("sk_X509_push");
	return sk;
}
