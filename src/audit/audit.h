/* audit: a mail server's own TLS configuration, read from inside, judged against a profile. */
#ifndef MXD_AUDIT_AUDIT_H
#define MXD_AUDIT_AUDIT_H

/*
 * An audit has two halves.  A reader (audit_postfix.c, audit_exim.c,
 * audit_sendmail.c, audit_schannel.c) turns one MTA's configuration into
 * the neutral model below: the settings it read, and for each direction
 * (client: the MTA sending to Microsoft; server: the MTA receiving from
 * Microsoft) whether TLS is used, which versions and suites it allows and
 * which certificate files it serves.  The judge (audit_judge.c) then
 * compares the model with the receiver profile and adds findings to a
 * struct report, in the same id/severity/evidence/fix form as `check`.
 *
 * Readers never judge and the judge never reads files other than the
 * certificate files the model names.  Every string in the model is owned;
 * setting names, values and origins have bytes outside printable ASCII
 * written as \xNN (backslashes kept: registry paths), certificate and
 * key paths are kept raw because they are opened: renderers escape them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "check/result.h"
#include "tls/profile.h"
#include "tls/x509.h"

#define AUDIT_FILE_MAX		(4 * 1024 * 1024)	/* bytes read from one config file */
#define AUDIT_SETTINGS_MAX	4096			/* settings kept per audit */
#define AUDIT_CERTS_MAX		8			/* certificate pairs per server */

enum audit_mta {
	AUDIT_POSTFIX,
	AUDIT_EXIM,
	AUDIT_SENDMAIL,
	AUDIT_SCHANNEL
};
const char *audit_mta_name(enum audit_mta m);	/* "postfix", ... */
/* -1 for an unknown name */
int audit_mta_parse(const char *s);

/* What the reader is told.  Paths may be NULL (the MTA's default). */
struct audit_opts {
	enum audit_mta	 mta;
	const char	*config;	/* --config-dir (postfix) or --config FILE */
	const char	*program;	/* --program: postconf, exim, sendmail binary; NULL: search PATH and /usr/sbin */
	bool		 no_program;	/* --no-program: read files only, never run the MTA's tools */
	const char	*hostname;	/* --hostname: overrides the MTA's own name */
	unsigned	 windows;	/* schannel: Windows build the defaults come from (AUDIT_WIN_*) */
	time_t		 now;
};

/* Schannel defaults differ by Windows version. */
#define AUDIT_WIN_2008R2	7601	/* Windows 7 / Server 2008 R2: TLS 1.1/1.2 off by default for clients */
#define AUDIT_WIN_2012		9200	/* Windows 8 / Server 2012: TLS 1.2 on */
#define AUDIT_WIN_2016		14393	/* the default assumption */
#define AUDIT_WIN_2022		20348	/* first with TLS 1.3 */

/* One configuration setting as the MTA uses it. */
struct audit_setting {
	char	*name;		/* "smtp_tls_protocols", "tls_require_ciphers",
				 * "SCHANNEL\\Protocols\\TLS 1.2\\Client\\Enabled" */
	char	*value;		/* effective value */
	char	*origin;	/* "main.cf:12", "master.cf smtp/inet -o",
				 * "default", "postconf", "file.reg:40" */
};

enum audit_tls_use {
	AUDIT_TLS_UNKNOWN = 0,
	AUDIT_TLS_OFF,		/* never uses TLS (client) / never offers STARTTLS (server) */
	AUDIT_TLS_OPPORTUNISTIC,/* uses TLS when offered; plaintext otherwise */
	AUDIT_TLS_MANDATORY	/* client: refuses to send without TLS; server: refuses mail without STARTTLS */
};
const char *audit_tls_use_name(enum audit_tls_use u);	/* "unknown", "off", "opportunistic", "mandatory" */

/* A key and its certificate (chain) file, as configured.  key_file may
 * equal cert_file (one PEM file with both, e.g. smtpd_tls_chain_files). */
struct audit_cert {
	char	*key_file;
	char	*cert_file;
	char	*from;		/* the setting(s) naming them */
};

/* One direction of one MTA. */
struct audit_side {
	bool			 present;	/* the reader knows this direction */
	enum audit_tls_use	 use;
	char			*use_from;	/* "smtp_tls_security_level = may" */
	/* Versions the side allows (tls_version_bit mask), already limited
	 * to what the TLS library can do; versions_known false: could not
	 * tell. */
	bool			 versions_known;
	unsigned		 versions;
	char			*versions_from;	/* settings that decided it */
	/* Suites for TLS 1.2 and below, in the side's order, and the TLS 1.3
	 * suites; suites_known false: could not tell (then the judge stays
	 * silent about ciphers). */
	bool			 suites_known;
	uint16_t		*suites;
	size_t			 nsuites;
	uint16_t		*suites13;
	size_t			 nsuites13;
	char			*suites_from;	/* "smtpd_tls_ciphers = medium -> tls_medium_cipherlist" */
	bool			 server_order;	/* server: picks by its own order */
	/* client: the SNI it sends: NULL none, else a description
	 * ("the next-hop host name") */
	char			*sni;
	struct audit_cert	 certs[AUDIT_CERTS_MAX];
	size_t			 ncerts;
	/* Extra certificate files served by SNI (tls_server_sni_maps):
	 * the name each is for, in certs_sni[i].from. */
	struct audit_cert	 certs_sni[AUDIT_CERTS_MAX];
	size_t			 ncerts_sni;
	/* A CA file the side names (Postfix smtpd_tls_CAfile, Sendmail
	 * CACertFile), raw path or NULL: its certificates help to tell an
	 * incomplete chain from an untrusted one. */
	char			*ca_file;
	/* Set by the judge: what the profile's peer gets with this side, one
	 * sentence ("microsoft would deliver over TLSv1.3 with ..."), or
	 * NULL when the side does not use TLS or versions are unknown. */
	char			*verdict;
};

struct audit_result {
	enum audit_mta		 mta;
	char			*source;	/* what was read: "postconf -c /etc/postfix", a file */
	char			*mta_version;	/* NULL if unknown */
	char			*tls_library;	/* "OpenSSL 3.0.15 3 Sep 2024", "GnuTLS 3.7.9" */
	char			*tls_library_from;	/* how we know it */
	/* The name the server's certificate must match (Postfix
	 * myhostname, Exim primary_hostname, --hostname); NULL: unknown,
	 * the name is not checked. */
	char			*hostname;
	struct audit_setting	*settings;
	size_t			 nsettings;
	struct audit_side	 client;
	struct audit_side	 server;
	/* Schannel: the Windows build the defaults were taken from. */
	unsigned		 windows;
};

struct audit_result *audit_result_new(enum audit_mta mta);
void audit_result_free(struct audit_result *a);	/* NULL is a no-op */
/* Appends a setting (strings copied and escaped); NULL value means "".
 * Silently drops settings beyond AUDIT_SETTINGS_MAX. */
void audit_setting_add(struct audit_result *a, const char *name,
    const char *value, const char *origin);
/* The last setting of that name, or NULL. */
const struct audit_setting *audit_setting_get(const struct audit_result *a,
    const char *name);
/* Copies suites into a side (replacing what was there). */
void audit_side_set_suites(struct audit_side *s, const uint16_t *v, size_t n,
    const uint16_t *v13, size_t n13);
/* Adds a certificate pair (copied); ignored beyond AUDIT_CERTS_MAX. */
void audit_side_add_cert(struct audit_side *s, const char *key_file,
    const char *cert_file, const char *from);
void audit_side_add_cert_sni(struct audit_side *s, const char *key_file,
    const char *cert_file, const char *from);

/* audit_sendmail_cf_option: the sendmail.cf option a sendmail.mc confX
 * macro becomes (cf/m4/proto.m4: confCIPHER_LIST -> CipherList), or NULL
 * for a macro the audit does not read. */
const char *audit_sendmail_cf_option(const char *mc);

/* audit_read_text: a whole configuration file for the readers: a regular
 * file of at most AUDIT_FILE_MAX bytes without NUL bytes, NUL-terminated
 * in *data (malloc'd), its length in *len.  -1 with why (one phrase)
 * otherwise. */
int audit_read_text(const char *path, char **data, size_t *len, char *why,
    size_t whysize);

/*
 * Readers.  Each fills *a from the MTA's configuration.  Problems with the
 * configuration itself (a file it names that is missing, a value the MTA
 * would reject) become findings in *r; -1 with *err (malloc'd, one line)
 * only when nothing could be read at all (the config file or directory is
 * missing or unreadable, the program failed).
 */
int audit_read_postfix(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err);
int audit_read_exim(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err);
int audit_read_sendmail(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err);
int audit_read_schannel(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err);

/*
 * OpenSSL cipher strings: what a side really offers.
 */

/* audit_openssl_suites: expands an OpenSSL cipher string as the MTA's
 * OpenSSL would for TLS 1.2 and below (this process's libssl, the
 * security level of the system configuration unless the string sets
 * @SECLEVEL), into IANA codes in OpenSSL's order.  Returns the number of
 * suites, 0 when OpenSSL selects none (it refuses such a string and
 * cannot tell an unknown word from an empty selection), -1 when the
 * string is too long or OpenSSL fails.  At most max are stored.  "" is
 * OpenSSL's default list. */
int audit_openssl_suites(const char *cipherlist, uint16_t *out, size_t max);
/* The TLS 1.3 suites of an OpenSSL ciphersuites string (NULL: the
 * library default); same return convention. */
int audit_openssl_suites13(const char *ciphersuites, uint16_t *out, size_t max);
/* audit_openssl_versions: the versions this process's libssl allows
 * under the system configuration (an MTA linking it gets the same).
 * audit_openssl_op_versions: mask less what SSL_OP_NO_* bits (Exim's
 * openssl_options, Sendmail's SSL options) switch off. */
unsigned audit_openssl_versions(void);
unsigned audit_openssl_op_versions(uint64_t ssl_op_bits, unsigned mask);
/* audit_openssl_protocols: a Postfix-style protocol list (">=TLSv1.2",
 * "!SSLv2, !SSLv3", "TLSv1.2 TLSv1.3", empty = all) into a version mask;
 * -1 on a word Postfix would reject. */
int audit_postfix_protocols(const char *spec, unsigned *mask);

/*
 * The judge.
 */

/* audit_judge: adds config.* and cert.* findings for *a against profile
 * p (certificates read from the files the model names, verified with
 * trust t at time now).  host in findings is "client" or "server" (the
 * side), address NULL, port 0.  Also sets each side's verdict. */
void audit_judge(struct report *r, struct audit_result *a,
    const struct tls_profile *p, struct x509_trust *t, time_t now);

#endif
