/* x509: certificate chain analysis: trust, name, dates, key, signature, completeness. */
#ifndef MXD_TLS_X509_H
#define MXD_TLS_X509_H

#include <stdbool.h>
#include <time.h>
#include <openssl/x509.h>

#include "util/str.h"

/* One certificate, summarised for reports.  All strings owned, escaped
 * where they come from the certificate (safe to print) and capped in
 * length; NULL when the field is missing or cannot be parsed (then its
 * time_t is 0). */
struct cert_summary {
	char		*subject;	/* RFC 2253 one-line */
	char		*issuer;
	char		*serial;	/* hex */
	char		*not_before;	/* ISO 8601 UTC, "2026-01-01T00:00:00Z" */
	char		*not_after;
	time_t		 not_before_t;
	time_t		 not_after_t;
	struct strvec	 san_dns;	/* DNS names from subjectAltName, lower-cased, first 100 */
	char		*cn;		/* subject CN, or NULL */
	char		*key_type;	/* "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA", ...
					 * (the OID for keys OpenSSL cannot load) */
	int		 key_bits;	/* 0 if unknown */
	char		*sig_alg;	/* e.g. "sha256WithRSAEncryption" */
	char		*sha256;	/* fingerprint, hex with colons */
	/* issuer == subject and signature verifies with its own key
	 * (keyUsage is not consulted, unlike OpenSSL's notion) */
	bool		 self_signed;
	bool		 is_ca;		/* X509_check_ca() != 0 */
	char		*aia_ca_issuers;/* first caIssuers URI, or NULL */
};

/* The verdict on a chain as sent by a server, for one host name. */
struct chain_report {
	struct cert_summary	*certs;		/* as sent, leaf first (at most 32) */
	size_t			 ncerts;
	/* trusted: a path to a trust anchor was built, for purpose TLS
	 * server; dates, key sizes and digests are NOT part of this verdict
	 * (see expired, weak_key, weak_sig). */
	bool			 trusted;
	int			 verify_error;	/* X509_V_OK or the first X509_V_ERR_* */
	char			*verify_error_str;	/* "ok" or OpenSSL's text */
	bool			 self_signed_leaf;	/* also when trusted (pinned) */
	bool			 untrusted_root;/* chain ends in a self-signed CA not in the store */
	/* incomplete: the path needs an issuer the server did not send; the
	 * verdict needs evidence: the issuer was found in the extra pool
	 * (other servers' chains) or the last sent certificate names an AIA
	 * caIssuers URL. */
	bool			 incomplete;
	/* issuer DN (escaped) of the certificate path building stopped at
	 * (the last sent one for an ordered chain), if incomplete */
	char			*missing_issuer;
	bool			 name_ok;
	char			*matched_name;	/* the SAN/CN that matched, or NULL */
	bool			 expired;
	bool			 not_yet_valid;
	/* floor((notAfter - now) / 1 day) of the leaf (negative if past);
	 * an unparsable leaf date leaves expired/not_yet_valid false and
	 * days_left 0 (certs[0].not_after is NULL then) */
	long			 days_left;
	bool			 weak_key;	/* RSA/DSA < 2048, EC < 224 in any sent cert */
	char			*weak_key_detail;	/* "leaf RSA 1024 bits; certificate 2 ..." */
	bool			 weak_sig;	/* MD2/MD4/MD5/SHA-1 signature on a cert that is not a self-signed CA */
	char			*weak_sig_detail;	/* "leaf sha1WithRSAEncryption" */
};

struct x509_trust;

/* x509_trust_new: the trust store: system default unless ca_file/ca_path
 * are given (then only those).  Returns NULL and sets *err (static). */
struct x509_trust *x509_trust_new(const char *ca_file, const char *ca_path,
    const char **err);
void x509_trust_free(struct x509_trust *t);
/* x509_trust_store: the store itself, borrowed (valid until
 * x509_trust_free()), for callers that build paths of their own
 * (`fix chain`); NULL for a NULL t. */
X509_STORE *x509_trust_store(struct x509_trust *t);

/* x509_analyze: fills *out for the chain (leaf first, as sent) and host
 * name, at time now.  pool: extra certificates seen elsewhere (may be
 * NULL), used only to detect incomplete chains.  host NULL: name_ok
 * false.  Returns 0, or -1 if the chain is empty or NULL (or t is NULL);
 * *out is then zeroed and needs no clearing.  Free with
 * chain_report_clear().  Neither chain nor pool is modified. */
int x509_analyze(struct x509_trust *t, STACK_OF(X509) *chain,
    STACK_OF(X509) *pool, const char *host, time_t now,
    struct chain_report *out);
void chain_report_clear(struct chain_report *r);

void cert_summary_fill(X509 *x, struct cert_summary *out);
void cert_summary_clear(struct cert_summary *s);

/* x509_name_match: RFC 6125 matching of one presented identifier against a
 * reference host name: case-insensitive, trailing dots ignored, a wildcard
 * only as the whole left-most label ("*.example.com"), matching exactly one
 * label, never a public-suffix-like two-label pattern ("*.com"), never
 * IDNA A-labels partially ("xn--*").  Further: partial wildcards
 * ("f*.example.com") never match (RFC 6125 6.4.3 leaves them optional); a
 * wildcard never matches an "xn--" label or an IP address; names must be
 * letters, digits, '-', '_' in non-empty labels (escaped certificate junk
 * never matches); no public suffix list ("*.co.uk" is allowed). */
bool x509_name_match(const char *pattern, const char *host);

#endif
