/* fix_postfix_int: internal to fix/: what fix_postfix.c and fix_postfix_ciphers.c share. */
#ifndef MXD_FIX_FIX_POSTFIX_INT_H
#define MXD_FIX_FIX_POSTFIX_INT_H

#include <stdbool.h>

#include "fix/fix.h"

#define PF_PROTO	"Postfix postconf(5): smtp_tls_protocols, smtp_tls_mandatory_protocols, smtpd_tls_protocols, smtpd_tls_mandatory_protocols (\">=\" bounds since Postfix 3.6, \"!\" exclusions in every release)"
#define PF_LEVEL_C	"Postfix postconf(5): smtp_tls_security_level (\"may\": opportunistic TLS, retried without TLS after a failed handshake)"
#define PF_LEVEL_S	"Postfix postconf(5): smtpd_tls_security_level (\"encrypt\" must not be used on a publicly-referenced server, RFC 3207)"
#define PF_CIPHERS	"Postfix postconf(5): smtp_tls_ciphers, smtp_tls_mandatory_ciphers, smtpd_tls_ciphers, smtpd_tls_mandatory_ciphers (default \"medium\"), tls_medium_cipherlist"
#define PF_EXCL		"Postfix postconf(5): smtp_tls_exclude_ciphers, smtpd_tls_exclude_ciphers, *_tls_mandatory_exclude_ciphers"
#define PF_LOG		"Postfix postconf(5): smtp_tls_loglevel, smtpd_tls_loglevel (1: a summary line per TLS handshake)"
#define PF_RECV		"Postfix postconf(5): smtpd_tls_received_header"
#define PF_PREEMPT	"Postfix postconf(5): tls_preempt_cipherlist (default no); Mozilla SSL Configuration Generator, Postfix template (tls_preempt_cipherlist = no)"
#define PF_CHAIN	"Postfix postconf(5): smtpd_tls_chain_files (Postfix 3.4 and later: key, then certificate, then issuers)"
#define PF_DH		"Postfix postconf(5): smtpd_tls_dh1024_param_file (built-in 2048-bit group since Postfix 3.1; OpenSSL chooses with Postfix 3.7+ and OpenSSL 3)"
#define PF_SNI		"Postfix postconf(5): tls_server_sni_maps (certificates for the names clients send; smtpd_tls_chain_files stays the default)"
#define PF_TICKET	"Postfix postconf(5): tls_ssl_options (NO_TICKET \"not needed at all for Postfix >= 2.11\")"
#define PF_EECDH	"Postfix postconf(5): smtpd_tls_eecdh_grade (\"none\" disables ECDHE; ignored since Postfix 3.6)"
#define PF_HOST		"Postfix postconf(5): myhostname (the name in the greeting and in HELO)"
#define PF_CHECK	"Postfix postfix(1): check; postconf(5)"
#define MS_ENC		"Microsoft Learn, \"Technical reference details about encryption\" (TLS 1.2; the ECDHE-RSA and RSA AES suites)"
#define MS_TLS		"Microsoft Learn, \"How Exchange Online uses TLS to secure email connections\""
#define MS_NOFB		"Exchange Online does not fall back to plaintext after a failed STARTTLS (golang/go#70232, mjl-/mox#237, albertito/chasquid#64)"
#define MS_TICKET	"golang/go#70232, mjl-/mox#237, albertito/chasquid#64, foxcpp/maddy#730; mxdoctor lab (Postfix 3.7: NO_TICKET still sent TLS 1.3 tickets)"

/* Postfix's defaults (postconf -d, Postfix 3.7), for audits that did not
 * record them. */
#define PF_DEFAULT_MEDIUM	"aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH"
#define PF_DEFAULT_HIGH		"aNULL:-aNULL:HIGH:@STRENGTH"

#define PF_TOKENS_MAX	32
#define PF_SUITES_MAX	512

/* A Postfix exclusion list as words, each of which a plan may drop. */
struct pf_tokens {
	char	*v[PF_TOKENS_MAX];
	size_t	 n;
	bool	 drop[PF_TOKENS_MAX];
};

/*
 * fix_postfix.c: settings.  pf_planned() says whether the plan already
 * sets name in section (and its value, in *value).  pf_value() is the value a side has now (the
 * audit's record, else Postfix's default); pf_set()/pf_unset() add an
 * item in the right place (main.cf, or the master.cf service that
 * overrides it); pf_set_rec() sets a setting to its recommended row.
 *
 * fix_postfix_ciphers.c: cipher lists.  pf_ciphers() adds the smallest
 * change that gives the side a suite in common with the profile.
 */
void pf_set(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name, const char *value, const char *why,
    const char *source, const char *finding);
void pf_set_rec(struct fix_plan *p, const struct fix_ctx *c, const char *name,
    const char *why, const char *finding);
void pf_unset(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name, const char *why, const char *source,
    const char *finding);
const char *pf_value(const struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name);
bool pf_planned(const struct fix_plan *p, const char *section, const char *name,
    const char **value);
void pf_ciphers(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f, bool server, bool fs);
void pf_tokens_free(struct pf_tokens *t);
char *pf_tokens_join(const struct pf_tokens *t);
void pf_tokens_split(const char *s, struct pf_tokens *t);

#endif
