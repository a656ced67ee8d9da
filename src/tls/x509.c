/* x509: certificate chain analysis: trust, name, dates, key, signature, completeness. */
#include "tls/x509.h"
#include "util/addr.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

/*
 * Everything read from a certificate is hostile input: every string goes
 * through str_escape() with a cap, lists are capped, and a missing or
 * malformed field gives NULL (or 0), never a crash.
 */
#define X509_NAME_TEXT_MAX	1024	/* escaped subject/issuer DN */
#define X509_SAN_TEXT_MAX	256	/* one escaped SAN DNS name */
#define X509_SAN_MAX		100	/* SAN DNS names kept per certificate */
#define X509_CN_TEXT_MAX	256
#define X509_URI_TEXT_MAX	512
#define X509_SERIAL_TEXT_MAX	128	/* RFC 5280 allows 20 octets: 40 hex digits */
#define X509_OID_TEXT_MAX	128
#define X509_CHAIN_MAX		32	/* certificates summarised per chain */
#define X509_DETAIL_MAX		512	/* weak_key_detail, weak_sig_detail */

#define DNS_NAME_MAX		253
#define DNS_LABEL_MAX		63

#define SECS_PER_DAY		86400

struct x509_trust {
	X509_STORE	*store;
};

struct x509_trust *
x509_trust_new(const char *ca_file, const char *ca_path, const char **err)
{
	struct x509_trust *t;

	t = xcalloc(1, sizeof(*t));
	ERR_clear_error();
	if ((t->store = X509_STORE_new()) == NULL) {
		*err = "cannot create the certificate store";
		goto err;
	}
	if (ca_file != NULL || ca_path != NULL) {
		ERR_clear_error();
		if (X509_STORE_load_locations(t->store, ca_file,
		    ca_path) != 1) {
			*err = "cannot load the CA file or directory";
			goto err;
		}
	} else {
		ERR_clear_error();
		if (X509_STORE_set_default_paths(t->store) != 1) {
			*err = "cannot load the system trust store";
			goto err;
		}
	}
	ERR_clear_error();
	return t;
err:
	ERR_clear_error();
	x509_trust_free(t);
	return NULL;
}

void
x509_trust_free(struct x509_trust *t)
{
	if (t == NULL)
		return;
	X509_STORE_free(t->store);
	free(t);
}

X509_STORE *
x509_trust_store(struct x509_trust *t)
{
	return t != NULL ? t->store : NULL;
}

/*
 * cert_summary_fill and its helpers.
 */

/* The DN as RFC 2253 text (OpenSSL escapes non-ASCII there), escaped
 * again for printing.  NULL if OpenSSL cannot render it. */
static char *
x509_name_text(const X509_NAME *name)
{
	BIO *bio = NULL;
	char *data, *text = NULL;
	long len;

	if (name == NULL)
		goto err;
	ERR_clear_error();
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		goto err;
	ERR_clear_error();
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) < 0)
		goto err;
	len = BIO_get_mem_data(bio, &data);
	if (len < 0)
		goto err;
	text = str_escape(data, (size_t)len, X509_NAME_TEXT_MAX);
err:
	BIO_free(bio);
	ERR_clear_error();
	return text;
}

static char *
x509_serial_text(const X509 *x)
{
	const ASN1_INTEGER *serial;
	BIGNUM *bn = NULL;
	char *hex = NULL, *text = NULL;

	ERR_clear_error();
	if ((serial = X509_get0_serialNumber(x)) == NULL)
		goto err;
	ERR_clear_error();
	if ((bn = ASN1_INTEGER_to_BN(serial, NULL)) == NULL)
		goto err;
	ERR_clear_error();
	if ((hex = BN_bn2hex(bn)) == NULL)
		goto err;
	text = str_escape(hex, strlen(hex), X509_SERIAL_TEXT_MAX);
err:
	OPENSSL_free(hex);
	BN_free(bn);
	ERR_clear_error();
	return text;
}

/* An ASN.1 time as ISO 8601 UTC text and time_t; -1 if malformed. */
static int
x509_time(const ASN1_TIME *at, char **text, time_t *t)
{
	struct tm tm;
	char out[32];

	if (at == NULL)
		return -1;
	memset(&tm, 0, sizeof(tm));
	ERR_clear_error();
	if (ASN1_TIME_to_tm(at, &tm) != 1) {
		ERR_clear_error();
		return -1;
	}
	if (strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return -1;
	*t = timegm(&tm);
	*text = xstrdup(out);
	return 0;
}

/* Adds the DNS names of one subjectAltName extension, escaped and
 * lower-cased, until the vector holds X509_SAN_MAX names. */
static void
x509_san_add(GENERAL_NAMES *names, struct strvec *out)
{
	const GENERAL_NAME *gn;
	const ASN1_IA5STRING *dns;
	char *s;
	int i, n;

	n = sk_GENERAL_NAME_num(names);
	for (i = 0; i < n && out->n < X509_SAN_MAX; i++) {
		gn = sk_GENERAL_NAME_value(names, i);
		if (gn == NULL || gn->type != GEN_DNS)
			continue;
		dns = gn->d.dNSName;
		if (dns == NULL || dns->data == NULL || dns->length <= 0)
			continue;
		s = str_escape(dns->data, (size_t)dns->length,
		    X509_SAN_TEXT_MAX);
		str_lower(s);
		strvec_add_owned(out, s);
	}
}

/* Walks every subjectAltName extension itself: X509_get_ext_d2i() gives
 * up when the extension occurs twice, and falling back to the CN then
 * would be wrong. */
static void
x509_san_fill(X509 *x, struct strvec *out)
{
	X509_EXTENSION *ext;
	GENERAL_NAMES *names;
	int pos = -1;

	for (;;) {
		ERR_clear_error();
		pos = X509_get_ext_by_NID(x, NID_subject_alt_name, pos);
		if (pos < 0)
			break;
		if ((ext = X509_get_ext(x, pos)) == NULL)
			continue;
		ERR_clear_error();
		if ((names = X509V3_EXT_d2i(ext)) == NULL)
			continue;
		x509_san_add(names, out);
		GENERAL_NAMES_free(names);
	}
	ERR_clear_error();
}

/* The most specific (last) CN of the subject, escaped. */
static char *
x509_cn_text(X509 *x)
{
	const X509_NAME *name;
	const X509_NAME_ENTRY *e;
	const ASN1_STRING *data;
	int i, last = -1;

	if ((name = X509_get_subject_name(x)) == NULL)
		return NULL;
	i = -1;
	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return NULL;
	if ((e = X509_NAME_get_entry(name, last)) == NULL ||
	    (data = X509_NAME_ENTRY_get_data(e)) == NULL ||
	    ASN1_STRING_length(data) <= 0)
		return NULL;
	return str_escape(ASN1_STRING_get0_data(data),
	    (size_t)ASN1_STRING_length(data), X509_CN_TEXT_MAX);
}

static char *
x509_oid_text(const ASN1_OBJECT *obj)
{
	char oid[X509_OID_TEXT_MAX];
	int n;

	if (obj == NULL)
		return NULL;
	n = OBJ_obj2txt(oid, sizeof(oid), obj, 0);
	if (n <= 0)
		return NULL;
	return str_escape(oid, strlen(oid), X509_OID_TEXT_MAX);
}

static void
x509_key_fill(X509 *x, struct cert_summary *out)
{
	ASN1_OBJECT *alg = NULL;
	EVP_PKEY *pkey;

	ERR_clear_error();
	if ((pkey = X509_get0_pubkey(x)) == NULL) {
		/* Unknown algorithm or malformed key: name the OID. */
		ERR_clear_error();
		if (X509_PUBKEY_get0_param(&alg, NULL, NULL,
		    NULL, X509_get_X509_PUBKEY(x)) == 1)
			out->key_type = x509_oid_text(alg);
		ERR_clear_error();
		return;
	}
	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		out->key_type = xstrdup("RSA");
		break;
	case EVP_PKEY_RSA_PSS:
		out->key_type = xstrdup("RSA-PSS");
		break;
	case EVP_PKEY_EC:
		out->key_type = xstrdup("EC");
		break;
	case EVP_PKEY_ED25519:
		out->key_type = xstrdup("Ed25519");
		break;
	case EVP_PKEY_ED448:
		out->key_type = xstrdup("Ed448");
		break;
	case EVP_PKEY_DSA:
		out->key_type = xstrdup("DSA");
		break;
	default:
		out->key_type = xstrdup(EVP_PKEY_get0_type_name(pkey) ?
		    EVP_PKEY_get0_type_name(pkey) : "unknown");
		break;
	}
	out->key_bits = EVP_PKEY_get_bits(pkey);
	ERR_clear_error();
}

static char *
x509_sig_alg_text(const X509 *x)
{
	const X509_ALGOR *alg = NULL;
	const ASN1_OBJECT *obj = NULL;
	int nid;

	nid = X509_get_signature_nid(x);
	if (nid != NID_undef && OBJ_nid2ln(nid) != NULL)
		return xstrdup(OBJ_nid2ln(nid));
	X509_get0_signature(NULL, &alg, x);
	if (alg == NULL)
		return NULL;
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	return x509_oid_text(obj);
}

static char *
x509_fingerprint(const X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int i, n = 0;
	static const char hex[] = "0123456789ABCDEF";
	char *s;

	ERR_clear_error();
	if (X509_digest(x, EVP_sha256(), md, &n) != 1 || n == 0) {
		ERR_clear_error();
		return NULL;
	}
	s = xmalloc(n * 3);
	for (i = 0; i < n; i++) {
		s[i * 3] = hex[md[i] >> 4];
		s[i * 3 + 1] = hex[md[i] & 15];
		s[i * 3 + 2] = (i + 1 < n) ? ':' : '\0';
	}
	return s;
}

/* Self-signed as the header defines it: issuer DN equals subject DN and
 * the signature verifies with the certificate's own key.  Deliberately
 * not X509_check_issued(x, x): that also demands keyCertSign in keyUsage,
 * which real self-signed server certificates often lack. */
static bool
x509_is_self_signed(X509 *x)
{
	EVP_PKEY *pkey;
	bool ss = false;

	ERR_clear_error();
	if (X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)) != 0)
		goto out;
	ERR_clear_error();
	if ((pkey = X509_get0_pubkey(x)) == NULL)
		goto out;
	ERR_clear_error();
	ss = X509_verify(x, pkey) == 1;
out:
	ERR_clear_error();
	return ss;
}

static char *
x509_aia_ca_issuers(X509 *x)
{
	AUTHORITY_INFO_ACCESS *aia;
	const ACCESS_DESCRIPTION *ad;
	const ASN1_IA5STRING *uri;
	char *s = NULL;
	int i;

	ERR_clear_error();
	if ((aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL)) == NULL)
		goto out;
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ad = sk_ACCESS_DESCRIPTION_value(aia, i);
		if (ad == NULL || ad->location == NULL ||
		    OBJ_obj2nid(ad->method) != NID_ad_ca_issuers ||
		    ad->location->type != GEN_URI)
			continue;
		uri = ad->location->d.uniformResourceIdentifier;
		if (uri == NULL || uri->data == NULL || uri->length <= 0)
			continue;
		s = str_escape(uri->data, (size_t)uri->length,
		    X509_URI_TEXT_MAX);
		break;
	}
	AUTHORITY_INFO_ACCESS_free(aia);
out:
	ERR_clear_error();
	return s;
}

void
cert_summary_fill(X509 *x, struct cert_summary *out)
{
	memset(out, 0, sizeof(*out));
	if (x == NULL)
		return;
	out->subject = x509_name_text(X509_get_subject_name(x));
	out->issuer = x509_name_text(X509_get_issuer_name(x));
	out->serial = x509_serial_text(x);
	if (x509_time(X509_get0_notBefore(x), &out->not_before,
	    &out->not_before_t) == -1)
		out->not_before_t = 0;
	if (x509_time(X509_get0_notAfter(x), &out->not_after,
	    &out->not_after_t) == -1)
		out->not_after_t = 0;
	x509_san_fill(x, &out->san_dns);
	out->cn = x509_cn_text(x);
	x509_key_fill(x, out);
	out->sig_alg = x509_sig_alg_text(x);
	out->sha256 = x509_fingerprint(x);
	out->self_signed = x509_is_self_signed(x);
	ERR_clear_error();
	out->is_ca = X509_check_ca(x) != 0;
	out->aia_ca_issuers = x509_aia_ca_issuers(x);
	ERR_clear_error();
}

void
cert_summary_clear(struct cert_summary *s)
{
	if (s == NULL)
		return;
	free(s->subject);
	free(s->issuer);
	free(s->serial);
	free(s->not_before);
	free(s->not_after);
	strvec_clear(&s->san_dns);
	free(s->cn);
	free(s->key_type);
	free(s->sig_alg);
	free(s->sha256);
	free(s->aia_ca_issuers);
	memset(s, 0, sizeof(*s));
}

/*
 * Chain verification.
 */

/* One path validation of leaf with the given untrusted certificates, as a
 * TLS client would do it (purpose "ssl_server"), but: no time checks
 * (dates are judged separately, so an expired chain still says whether
 * it is trusted) and authentication level 0 (weak keys and SHA-1 are
 * judged separately too).  Returns X509_V_OK or the first error; *errcert
 * (if not NULL) gets a reference to the certificate the error is about. */
static int
x509_verify_path(X509_STORE *store, X509 *leaf, STACK_OF(X509) *untrusted,
    X509 **errcert)
{
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	X509 *cur;
	int error = X509_V_ERR_UNSPECIFIED;

	if (errcert != NULL)
		*errcert = NULL;
	ERR_clear_error();
	if ((ctx = X509_STORE_CTX_new()) == NULL)
		goto out;
	ERR_clear_error();
	if (X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1)
		goto out;
	ERR_clear_error();
	if (X509_STORE_CTX_set_default(ctx, "ssl_server") != 1)
		goto out;
	/* No X509_VERIFY_PARAM_set_time(param, now): its flag
	 * X509_V_FLAG_USE_CHECK_TIME takes precedence over NO_CHECK_TIME
	 * in OpenSSL 3.0 and would bring date errors back in. */
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_USE_CHECK_TIME);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	X509_VERIFY_PARAM_clear_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_auth_level(param, 0);
	ERR_clear_error();
	if (X509_verify_cert(ctx) == 1) {
		error = X509_V_OK;
		goto out;
	}
	error = X509_STORE_CTX_get_error(ctx);
	if (error == X509_V_OK)		/* failed without saying why */
		error = X509_V_ERR_UNSPECIFIED;
	cur = X509_STORE_CTX_get_current_cert(ctx);
	if (errcert != NULL && cur != NULL && X509_up_ref(cur) == 1)
		*errcert = cur;
out:
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return error;
}

/* The sent chain minus the leaf, plus pool (NULL: none).  The stack holds
 * borrowed pointers: free it with sk_X509_free() only. */
static STACK_OF(X509) *
x509_untrusted(STACK_OF(X509) *chain, STACK_OF(X509) *pool)
{
	STACK_OF(X509) *sk;
	int i;

	ERR_clear_error();
	if ((sk = sk_X509_new_null()) == NULL)
		return NULL;
	for (i = 1; i < sk_X509_num(chain); i++)
		if (sk_X509_push(sk, sk_X509_value(chain, i)) <= 0)
			goto err;
	for (i = 0; pool != NULL && i < sk_X509_num(pool); i++)
		if (sk_X509_push(sk, sk_X509_value(pool, i)) <= 0)
			goto err;
	return sk;
err:
	sk_X509_free(sk);
	ERR_clear_error();
	return NULL;
}

static bool
x509_issuer_in(X509 *x, STACK_OF(X509) *pool)
{
	int i;

	for (i = 0; pool != NULL && i < sk_X509_num(pool); i++) {
		ERR_clear_error();
		if (X509_check_issued(sk_X509_value(pool, i), x) == X509_V_OK)
			return true;
	}
	ERR_clear_error();
	return false;
}

/* The verdict "incomplete" needs evidence that the server simply failed
 * to send an issuer that exists: top (the certificate whose issuer could
 * not be found) names an AIA caIssuers URL, or its issuer is in the pool
 * and the chain then verifies. */
static bool
x509_is_incomplete(struct x509_trust *t, STACK_OF(X509) *chain,
    STACK_OF(X509) *pool, X509 *top)
{
	STACK_OF(X509) *untrusted;
	char *aia;
	bool incomplete = false;

	if (x509_is_self_signed(top))
		return false;
	if ((aia = x509_aia_ca_issuers(top)) != NULL) {
		free(aia);
		return true;
	}
	if (pool == NULL || !x509_issuer_in(top, pool))
		return false;
	if ((untrusted = x509_untrusted(chain, pool)) == NULL)
		return false;
	incomplete = x509_verify_path(t->store, sk_X509_value(chain, 0),
	    untrusted, NULL) == X509_V_OK;
	sk_X509_free(untrusted);
	return incomplete;
}

static void
x509_trust_verdict(struct x509_trust *t, STACK_OF(X509) *chain,
    STACK_OF(X509) *pool, struct chain_report *out)
{
	STACK_OF(X509) *untrusted;
	X509 *errcert = NULL, *top;
	int error = X509_V_ERR_UNSPECIFIED;

	if ((untrusted = x509_untrusted(chain, NULL)) != NULL)
		error = x509_verify_path(t->store, sk_X509_value(chain, 0),
		    untrusted, &errcert);
	out->trusted = error == X509_V_OK;
	out->verify_error = error;
	out->verify_error_str = xstrdup(error == X509_V_OK ? "ok" :
	    X509_verify_cert_error_string(error));
	out->self_signed_leaf = error == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT
	    || out->certs[0].self_signed;
	out->untrusted_root = error == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN;
	if (error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	    error == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) {
		/* The certificate OpenSSL got stuck at; with an ordered
		 * chain that is the last one sent. */
		top = errcert != NULL ? errcert :
		    sk_X509_value(chain, sk_X509_num(chain) - 1);
		if (x509_is_incomplete(t, chain, pool, top)) {
			out->incomplete = true;
			out->missing_issuer = x509_name_text(
			    X509_get_issuer_name(top));
		}
	}
	X509_free(errcert);
	sk_X509_free(untrusted);
}

/*
 * Name, dates, weak keys and signatures.
 */

static void
x509_name_verdict(const struct cert_summary *leaf, const char *host,
    struct chain_report *out)
{
	size_t i;

	if (host == NULL)
		return;
	/* RFC 6125 6.4.4: the CN only when there is no DNS-ID at all. */
	if (leaf->san_dns.n > 0) {
		for (i = 0; i < leaf->san_dns.n; i++) {
			if (x509_name_match(leaf->san_dns.v[i], host)) {
				out->name_ok = true;
				out->matched_name = xstrdup(leaf->san_dns.v[i]);
				return;
			}
		}
		return;
	}
	if (leaf->cn != NULL && x509_name_match(leaf->cn, host)) {
		out->name_ok = true;
		out->matched_name = xstrdup(leaf->cn);
	}
}

/* floor(delta / 1 day), also for negative delta. */
static long
x509_days_floor(time_t delta)
{
	long days = (long)(delta / SECS_PER_DAY);

	if (delta % SECS_PER_DAY < 0)
		days--;
	return days;
}

/* notAfter is the last valid second (RFC 5280 4.1.2.5). An unparsable
 * date leaves the flags false and days_left 0; the summary's NULL date
 * shows why. */
static void
x509_date_verdict(const struct cert_summary *leaf, time_t now,
    struct chain_report *out)
{
	if (leaf->not_after != NULL) {
		out->expired = now > leaf->not_after_t;
		out->days_left = x509_days_floor(leaf->not_after_t - now);
	}
	if (leaf->not_before != NULL)
		out->not_yet_valid = now < leaf->not_before_t;
}

static const char *
x509_position(size_t i, char *tmp, size_t len)
{
	if (i == 0)
		return "leaf";
	(void)snprintf(tmp, len, "certificate %zu", i + 1);
	return tmp;
}

static bool
x509_key_is_weak(const struct cert_summary *s)
{
	if (s->key_type == NULL || s->key_bits <= 0)
		return false;
	if (strcmp(s->key_type, "RSA") == 0 ||
	    strcmp(s->key_type, "RSA-PSS") == 0 ||
	    strcmp(s->key_type, "DSA") == 0)
		return s->key_bits < 2048;
	if (strcmp(s->key_type, "EC") == 0)
		return s->key_bits < 224;
	return false;
}

/* The signature's digest NID, also for RSA-PSS (parameters). */
static int
x509_sig_md(X509 *x)
{
	int md = NID_undef, pk = NID_undef;

	ERR_clear_error();
	if (X509_get_signature_info(x, &md, &pk, NULL, NULL) != 1) {
		md = NID_undef;
		(void)OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk);
	}
	ERR_clear_error();
	return md;
}

static bool
x509_sig_is_weak(X509 *x)
{
	switch (x509_sig_md(x)) {
	case NID_md2:
	case NID_md4:
	case NID_md5:
	case NID_sha1:
		return true;
	default:
		return false;
	}
}

/* Joins one more "<position> <what>" to a detail buffer. */
static void
x509_detail_add(struct buf **b, size_t i, const char *what, int bits)
{
	char tmp[32];

	if (*b == NULL)
		*b = buf_new(X509_DETAIL_MAX);
	else
		(void)buf_adds(*b, "; ");
	if (bits > 0)
		(void)buf_printf(*b, "%s %s %d bits",
		    x509_position(i, tmp, sizeof(tmp)), what, bits);
	else
		(void)buf_printf(*b, "%s %s",
		    x509_position(i, tmp, sizeof(tmp)), what);
}

static char *
x509_detail_steal(struct buf *b)
{
	char *s;

	if (b == NULL)
		return NULL;
	s = buf_steal(b);
	buf_free(b);
	return s;
}

static void
x509_weak_verdict(STACK_OF(X509) *chain, struct chain_report *out)
{
	const struct cert_summary *s;
	struct buf *keys = NULL, *sigs = NULL;
	size_t i;

	for (i = 0; i < out->ncerts; i++) {
		s = &out->certs[i];
		if (x509_key_is_weak(s))
			x509_detail_add(&keys, i, s->key_type, s->key_bits);
		/* A root's own signature is never relied upon. */
		if (s->self_signed && s->is_ca)
			continue;
		if (x509_sig_is_weak(sk_X509_value(chain, (int)i)))
			x509_detail_add(&sigs, i, s->sig_alg != NULL ?
			    s->sig_alg : "unknown", 0);
	}
	out->weak_key = keys != NULL;
	out->weak_key_detail = x509_detail_steal(keys);
	out->weak_sig = sigs != NULL;
	out->weak_sig_detail = x509_detail_steal(sigs);
}

int
x509_analyze(struct x509_trust *t, STACK_OF(X509) *chain,
    STACK_OF(X509) *pool, const char *host, time_t now,
    struct chain_report *out)
{
	size_t i, n;

	memset(out, 0, sizeof(*out));
	if (t == NULL || chain == NULL || sk_X509_num(chain) <= 0)
		return -1;
	for (i = 0; i < (size_t)sk_X509_num(chain); i++)
		if (sk_X509_value(chain, (int)i) == NULL)
			return -1;
	n = (size_t)sk_X509_num(chain);
	if (n > X509_CHAIN_MAX)
		n = X509_CHAIN_MAX;
	out->certs = xcalloc(n, sizeof(*out->certs));
	out->ncerts = n;
	for (i = 0; i < n; i++)
		cert_summary_fill(sk_X509_value(chain, (int)i), &out->certs[i]);

	x509_trust_verdict(t, chain, pool, out);
	x509_name_verdict(&out->certs[0], host, out);
	x509_date_verdict(&out->certs[0], now, out);
	x509_weak_verdict(chain, out);
	return 0;
}

void
chain_report_clear(struct chain_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->ncerts; i++)
		cert_summary_clear(&r->certs[i]);
	free(r->certs);
	free(r->verify_error_str);
	free(r->missing_issuer);
	free(r->matched_name);
	free(r->weak_key_detail);
	free(r->weak_sig_detail);
	memset(r, 0, sizeof(*r));
}

/*
 * RFC 6125 name matching.
 */

/* Length of a DNS name without one trailing dot. */
static size_t
name_len(const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '.')
		n--;
	return n;
}

/* Non-empty labels of letters, digits, '-' and '_' (seen in real SANs),
 * within DNS length limits.  Escaped junk from a certificate (a
 * backslash, a NUL written as \x00) never passes. */
static bool
name_valid(const char *s, size_t len)
{
	size_t i, label = 0;
	unsigned char c;

	if (len == 0 || len > DNS_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && c != '_')
			return false;
		if (++label > DNS_LABEL_MAX)
			return false;
	}
	return label > 0;
}

static bool
name_is_ip(const char *host, size_t hlen)
{
	char tmp[DNS_NAME_MAX + 1];
	struct addr a;

	if (hlen >= sizeof(tmp))
		return false;
	memcpy(tmp, host, hlen);
	tmp[hlen] = '\0';
	return addr_parse(tmp, &a) == 0;
}

bool
x509_name_match(const char *pattern, const char *host)
{
	const char *rest, *dot;
	size_t plen, hlen, rlen, first;

	if (pattern == NULL || host == NULL)
		return false;
	plen = name_len(pattern);
	hlen = name_len(host);
	if (!name_valid(host, hlen))
		return false;

	/* No wildcard: the whole name, case-insensitively.  A partial
	 * wildcard ("f*.example.com", "*foo.example.com", "xn--*") fails
	 * name_valid() here: RFC 6125 6.4.3 allows them only optionally,
	 * and browsers and libtls refuse them. */
	if (plen < 2 || pattern[0] != '*' || pattern[1] != '.')
		return plen == hlen && name_valid(pattern, plen) &&
		    strncasecmp(pattern, host, plen) == 0;

	/* "*." + at least two labels: "*.com" is refused, "*.co.uk" is
	 * not (no public suffix list here). */
	rest = pattern + 2;
	rlen = plen - 2;
	if (!name_valid(rest, rlen) || memchr(rest, '.', rlen) == NULL)
		return false;
	/* The wildcard covers exactly one non-empty label, never an IDNA
	 * A-label, never an IP address. */
	if ((dot = memchr(host, '.', hlen)) == NULL)
		return false;
	first = (size_t)(dot - host);
	if (first == 0 || (first >= 4 && strncasecmp(host, "xn--", 4) == 0))
		return false;
	if (name_is_ip(host, hlen))
		return false;
	return hlen - first - 1 == rlen &&
	    strncasecmp(dot + 1, rest, rlen) == 0;
}
