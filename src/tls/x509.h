/* x509: certificate chain analysis: trust, name, dates, key, signature, completeness. */
#ifndef MXD_TLS_X509_H
#define MXD_TLS_X509_H

#include <stdbool.h>
#include <time.h>
#include <openssl/x509.h>

#include "util/str.h"

/* One certificate, summarised for reports.  All strings owned, escaped
 * where they come from the certificate (safe to print). */
struct cert_summary {
	char		*subject;	/* RFC 2253 one-line */
	char		*issuer;
	char		*serial;	/* hex */
	char		*not_before;	/* ISO 8601 UTC, "2026-01-01T00:00:00Z" */
	char		*not_after;
	time_t		 not_before_t;
	time_t		 not_after_t;
	struct strvec	 san_dns;	/* DNS names from subjectAltName */
	char		*cn;		/* subject CN, or NULL */
	char		*key_type;	/* "RSA", "EC", "Ed25519", "DSA", ... */
	int		 key_bits;
	char		*sig_alg;	/* e.g. "sha256WithRSAEncryption" */
	char		*sha256;	/* fingerprint, hex with colons */
	bool		 self_signed;	/* issuer == subject and signature verifies */
	bool		 is_ca;
	char		*aia_ca_issuers;/* first caIssuers URI, or NULL */
};

/* The verdict on a chain as sent by a server, for one host name. */
struct chain_report {
	struct cert_summary	*certs;		/* as sent, leaf first */
	size_t			 ncerts;
	bool			 trusted;	/* a path to a trust anchor was built */
	int			 verify_error;	/* X509_V_OK or the first X509_V_ERR_* */
	char			*verify_error_str;
	bool			 self_signed_leaf;
	bool			 untrusted_root;/* chain ends in a self-signed CA not in the store */
	/* incomplete: the path needs an issuer the server did not send; the
	 * verdict needs evidence: the issuer was found in the extra pool
	 * (other servers' chains) or the last sent certificate names an AIA
	 * caIssuers URL. */
	bool			 incomplete;
	char			*missing_issuer;	/* issuer DN of the last sent cert, if incomplete */
	bool			 name_ok;
	char			*matched_name;	/* the SAN/CN that matched, or NULL */
	bool			 expired;
	bool			 not_yet_valid;
	long			 days_left;	/* until the leaf's notAfter (negative if past) */
	bool			 weak_key;	/* RSA/DSA < 2048, EC < 224 in any sent cert */
	char			*weak_key_detail;
	bool			 weak_sig;	/* MD5 or SHA-1 signature on a non-root cert */
	char			*weak_sig_detail;
};

struct x509_trust;

/* x509_trust_new: the trust store: system default unless ca_file/ca_path
 * are given (then only those).  Returns NULL and sets *err (static). */
struct x509_trust *x509_trust_new(const char *ca_file, const char *ca_path,
    const char **err);
void x509_trust_free(struct x509_trust *t);

/* x509_analyze: fills *out for the chain (leaf first, as sent) and host
 * name, at time now.  pool: extra certificates seen elsewhere (may be
 * NULL), used only to detect incomplete chains.  Returns 0, or -1 if the
 * chain is empty.  Free with chain_report_clear(). */
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
 * IDNA A-labels partially ("xn--*"). */
bool x509_name_match(const char *pattern, const char *host);

#endif
