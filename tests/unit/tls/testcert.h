/* testcert: keys and certificates made in-process with the OpenSSL API, for the tls tests. */
#ifndef MXD_TESTS_TLS_TESTCERT_H
#define MXD_TESTS_TLS_TESTCERT_H

#include <stdbool.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

/* 2026-01-01T00:00:00Z: every test judges dates at this fixed time. */
#define TESTCERT_NOW	((time_t)1767225600)
#define TESTCERT_DAY	((time_t)86400)

struct testcert_spec {
	const char	*cn;		/* NULL: no CN (and no other RDN either
					 * unless org is set) */
	const char	*org;		/* O=, or NULL */
	const char	*san;		/* "DNS:a,DNS:b" or NULL */
	const char	*aia;		/* "caIssuers;URI:http://..." or NULL */
	const char	*ku;		/* keyUsage or NULL (default by role) */
	const char	*eku;		/* extendedKeyUsage or NULL (leaf: serverAuth) */
	bool		 ca;
	bool		 no_ext;	/* no extensions at all */
	EVP_PKEY	*key;		/* subject key */
	X509		*issuer;	/* NULL: self-signed */
	EVP_PKEY	*issuer_key;
	time_t		 not_before;	/* 0: NOW - 30 days */
	time_t		 not_after;	/* 0: NOW + 90 days */
	const EVP_MD	*md;		/* NULL: SHA-256 */
	long		 serial;	/* 0: 1 */
};

EVP_PKEY *testcert_rsa(int bits);
EVP_PKEY *testcert_ec(const char *curve);	/* e.g. "P-256" */
/* testcert_make: aborts the test program on failure. */
X509 *testcert_make(const struct testcert_spec *spec);
/* testcert_pem_file: writes the certificates (NULL-terminated) to a new
 * temporary file; returns its malloc'd path. */
char *testcert_pem_file(X509 *const *certs);
/* testcert_chain: a stack of up-ref'd certificates (NULL-terminated). */
STACK_OF(X509) *testcert_chain(X509 *const *certs);

#endif
