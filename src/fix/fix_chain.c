/* fix_chain: the complete certificate chain file for a leaf, in order, from the files given and the trust store. */
#include "fix/fix.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

/*
 * Path building is OpenSSL's (X509_verify_cert with the user's
 * certificates as the untrusted pool), so the order written is the order
 * a client validates: whatever order the input had.  Nothing is fetched
 * from the network: when an issuer is missing the error names it and the
 * AIA caIssuers URL the certificate gives, for the user to download.
 */

#define CHAIN_FILE_MAX	(1024 * 1024)	/* a PEM bundle is a few KiB */
#define CHAIN_CERTS_MAX	256		/* certificates read in all */

/* Appends every certificate of a PEM file to sk (PEM_read_bio_X509
 * skips other objects, private keys included).  -1 with *err on a file
 * that cannot be read. */
static int
read_certs(const char *path, STACK_OF(X509) *sk, char **err)
{
	struct stat st;
	BIO *bio = NULL;
	X509 *x;
	char *p = str_escape(path, strlen(path), 300);
	int n = 0, ret = -1;

	if (stat(path, &st) == -1) {
		*err = xasprintf("%s: %s", p, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > CHAIN_FILE_MAX) {
		*err = xasprintf("%s: not a regular file of at most %d bytes",
		    p, CHAIN_FILE_MAX);
		goto out;
	}
	ERR_clear_error();
	if ((bio = BIO_new_file(path, "r")) == NULL) {
		*err = xasprintf("%s: cannot open: %s", p, strerror(errno));
		goto out;
	}
	while (sk_X509_num(sk) < CHAIN_CERTS_MAX) {
		ERR_clear_error();
		if ((x = PEM_read_bio_X509(bio, NULL, NULL, (void *)"")) == NULL)
			break;
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			break;
		}
		n++;
	}
	if (n == 0) {
		*err = xasprintf("%s: no PEM certificate in it", p);
		goto out;
	}
	ret = 0;
out:
	ERR_clear_error();
	BIO_free(bio);
	free(p);
	return ret;
}

static char *
name_of(X509 *x, bool issuer)
{
	struct cert_summary s;
	char *n;

	memset(&s, 0, sizeof(s));
	cert_summary_fill(x, &s);
	n = issuer ? s.issuer : s.subject;
	if (issuer)
		s.issuer = NULL;
	else
		s.subject = NULL;
	cert_summary_clear(&s);
	return n ? n : xstrdup("(unreadable name)");
}

static char *
aia_of(X509 *x)
{
	struct cert_summary s;
	char *u;

	memset(&s, 0, sizeof(s));
	cert_summary_fill(x, &s);
	u = s.aia_ca_issuers;
	s.aia_ca_issuers = NULL;
	cert_summary_clear(&s);
	return u;
}

/* "subject (until notAfter) -> issuer" */
static void
info_line(struct strvec *info, X509 *x, int depth, bool anchor)
{
	struct cert_summary s;

	if (info == NULL)
		return;
	memset(&s, 0, sizeof(s));
	cert_summary_fill(x, &s);
	strvec_add_owned(info, xasprintf("%d: %s (until %s)%s -> %s", depth,
	    s.subject ? s.subject : "?", s.not_after ? s.not_after : "?",
	    anchor ? " [trust anchor]" : "", s.issuer ? s.issuer : "?"));
	cert_summary_clear(&s);
}

/* Why no path was built, one sentence naming the certificate. */
static char *
path_error(X509_STORE_CTX *ctx, int error, X509 *leaf)
{
	X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
	char *subj, *iss, *aia, *e;

	if (cur == NULL)
		cur = leaf;
	subj = name_of(cur, false);
	iss = name_of(cur, true);
	switch (error) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
		aia = aia_of(cur);
		e = xasprintf("the issuer of \"%s\" is missing: \"%s\" is in "
		    "neither the files given nor the trust store; %s%s%s and "
		    "give it with --intermediate", subj, iss, aia ?
		    "download it from " : "get it from the CA",
		    aia ? aia : "", aia ? " (DER: openssl x509 -inform DER "
		    "-in FILE -out FILE.pem)" : "");
		free(aia);
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		e = xasprintf("\"%s\" is self-signed: there is no chain to "
		    "build (get a certificate from a CA)", subj);
		break;
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
		e = xasprintf("the chain ends at \"%s\", a root that is not in "
		    "the trust store (give the right one with --ca-file)", subj);
		break;
	default:
		e = xasprintf("no path for \"%s\": %s", subj,
		    X509_verify_cert_error_string(error));
		break;
	}
	free(subj);
	free(iss);
	return e;
}

static int
write_pem(STACK_OF(X509) *path, int n, char **pem, char **err)
{
	BIO *mem = NULL;
	char *data;
	long len;
	int i, ret = -1;

	ERR_clear_error();
	if ((mem = BIO_new(BIO_s_mem())) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		if (PEM_write_bio_X509(mem, sk_X509_value(path, i)) != 1)
			goto out;
	if ((len = BIO_get_mem_data(mem, &data)) <= 0)
		goto out;
	*pem = xstrndup(data, (size_t)len);
	ret = 0;
out:
	if (ret == -1)
		*err = xstrdup("cannot write the chain as PEM");
	BIO_free(mem);
	ERR_clear_error();
	return ret;
}

int
fix_chain(const char *leaf_file, const char *const *extra_files,
    size_t nextra, struct x509_trust *t, bool add_root, char **pem,
    struct strvec *info, char **err)
{
	STACK_OF(X509) *in = NULL, *untrusted = NULL, *path = NULL;
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	X509_STORE *store = x509_trust_store(t);
	X509 *leaf, *top;
	int i, n, nleaf, error, ret = -1;
	size_t k;

	*pem = NULL;
	*err = NULL;
	if (store == NULL) {
		*err = xstrdup("no trust store");
		return -1;
	}
	if ((in = sk_X509_new_null()) == NULL ||
	    (untrusted = sk_X509_new_null()) == NULL) {
		*err = xstrdup("out of memory");
		goto out;
	}
	if (read_certs(leaf_file, in, err) == -1)
		goto out;
	/* The leaf: the first certificate of the file that is not a CA
	 * (a bundle may start with its root), else the first. */
	nleaf = sk_X509_num(in);
	leaf = sk_X509_value(in, 0);
	for (i = 0; i < nleaf; i++)
		if (X509_check_ca(sk_X509_value(in, i)) == 0) {
			leaf = sk_X509_value(in, i);
			break;
		}
	for (k = 0; k < nextra; k++)
		if (read_certs(extra_files[k], in, err) == -1)
			goto out;
	for (i = 0; i < sk_X509_num(in); i++)
		if (sk_X509_value(in, i) != leaf)
			sk_X509_push(untrusted, sk_X509_value(in, i));
	ERR_clear_error();
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1 ||
	    X509_STORE_CTX_set_default(ctx, "ssl_server") != 1) {
		*err = xstrdup("cannot set up path building");
		goto out;
	}
	/* Dates are not this command's business (renewal is): an expired
	 * chain still assembles, and the info lines show the dates. */
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_USE_CHECK_TIME);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	X509_VERIFY_PARAM_set_auth_level(param, 0);
	ERR_clear_error();
	if (X509_verify_cert(ctx) != 1) {
		error = X509_STORE_CTX_get_error(ctx);
		*err = path_error(ctx, error == X509_V_OK ?
		    X509_V_ERR_UNSPECIFIED : error, leaf);
		goto out;
	}
	if ((path = X509_STORE_CTX_get1_chain(ctx)) == NULL ||
	    (n = sk_X509_num(path)) <= 0) {
		*err = xstrdup("no path was built");
		goto out;
	}
	/* The last certificate is the trust anchor: a client has it, so it
	 * is not sent unless asked for. */
	top = sk_X509_value(path, n - 1);
	for (i = 0; i < n; i++)
		info_line(info, sk_X509_value(path, i), i, i == n - 1);
	if (!add_root && n > 1 && X509_check_issued(top, top) == X509_V_OK)
		n--;
	ret = write_pem(path, n, pem, err);
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(path, X509_free);
	sk_X509_free(untrusted);
	sk_X509_pop_free(in, X509_free);
	ERR_clear_error();
	return ret;
}
