/* suites: the cipher-suite registry (data/tls-suites.tsv, compiled in) and protocol versions. */
#ifndef MXD_TLS_SUITES_H
#define MXD_TLS_SUITES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Protocol versions as they appear on the wire (SSLv2: its hello's
 * version field). */
#define TLS_V_SSL2	0x0002
#define TLS_V_SSL3	0x0300
#define TLS_V_TLS10	0x0301
#define TLS_V_TLS11	0x0302
#define TLS_V_TLS12	0x0303
#define TLS_V_TLS13	0x0304
#define TLS_NVERSIONS	6

/* tls_version_index: 0 (SSLv2) .. 5 (TLS 1.3), or -1 for anything else.
 * tls_version_at: the inverse (0 for an index out of range). */
int tls_version_index(uint16_t v);
uint16_t tls_version_at(int i);
/* tls_version_bit: 1 << index, the unit of version masks; 0 if unknown. */
unsigned tls_version_bit(uint16_t v);
#define TLS_VERSIONS_ALL	0x3fu
/* tls_version_name: OpenSSL's spelling, "SSLv2" "SSLv3" "TLSv1" "TLSv1.1"
 * "TLSv1.2" "TLSv1.3", or NULL for an unknown version. */
const char *tls_version_name(uint16_t v);
/* tls_version_parse: the names above, also "TLSv1.0" (any case); returns
 * 0 for anything else. */
uint16_t tls_version_parse(const char *s);

/* Flags, from the table's flags and tls13 columns. */
#define TLS_SUITE_EXPORT	0x001u	/* export-grade (40/56-bit, 512-bit RSA/DH) */
#define TLS_SUITE_NULL		0x002u	/* no encryption */
#define TLS_SUITE_ANON		0x004u	/* no server authentication */
#define TLS_SUITE_RC4		0x008u
#define TLS_SUITE_3DES		0x010u
#define TLS_SUITE_DES		0x020u	/* single DES, DES40 */
#define TLS_SUITE_FS		0x040u	/* ephemeral key exchange */
#define TLS_SUITE_SCSV		0x080u	/* a signal, not a suite */
#define TLS_SUITE_NONSTD	0x100u	/* never assigned by IANA */
#define TLS_SUITE_TLS13		0x200u	/* a TLS 1.3 suite */
/* What cipher.weak means: RC4, 3DES, DES, EXPORT or NULL. */
#define TLS_SUITE_WEAK		(TLS_SUITE_EXPORT | TLS_SUITE_NULL | \
				 TLS_SUITE_RC4 | TLS_SUITE_3DES | TLS_SUITE_DES)

/* One row of the table.  Strings are static; kx/auth/cipher/mac use the
 * table's vocabulary (see data/tls-suites.tsv); openssl is NULL when
 * OpenSSL never had the suite. */
struct tls_suite {
	uint32_t	 code;		/* 2 bytes (TLS) or 3 (SSLv2 kind) */
	const char	*name;		/* IANA */
	const char	*openssl;
	const char	*kx;
	const char	*auth;
	const char	*cipher;
	const char	*mac;
	int		 bits;		/* effective symmetric strength */
	uint16_t	 min_version;	/* oldest version it is offered in */
	unsigned	 flags;
};

/* The whole table, ordered by code; *n set to its length. */
const struct tls_suite *tls_suites(size_t *n);
const struct tls_suite *tls_ssl2_kinds(size_t *n);
/* Look-ups; NULL when unknown. by_name takes the IANA or the OpenSSL
 * name, ignoring case (TLS suites only). */
const struct tls_suite *tls_suite_by_code(uint16_t code);
const struct tls_suite *tls_suite_by_name(const char *name);
const struct tls_suite *tls_ssl2_kind_by_code(uint32_t code);

/* tls_suite_usable: whether we offer s in a hello for version v: TLS 1.3
 * suites only in TLS 1.3, SSLv2 kinds only in SSLv2, the others from
 * their min_version up to TLS 1.2.  Never an SCSV. */
bool tls_suite_usable(const struct tls_suite *s, uint16_t v);
/* tls_suite_needs_setup: PSK, SRP, KRB5 and ECCPWD suites, which a server
 * only picks for a client holding the matching secret or extension. */
bool tls_suite_needs_setup(const struct tls_suite *s);

/* tls_suites_for_version: writes the codes of every usable suite for v
 * (without those that need set-up unless with_setup) to out, at most
 * max, and returns how many.  Order: ECDHE, DHE and RSA key exchange
 * first, forward secret AEAD before CBC before legacy ciphers (RC4, 3DES,
 * DES); then anonymous, static DH/ECDH, non-standard, export and NULL
 * suites.  A cut list thus keeps what servers actually run. */
size_t tls_suites_for_version(uint16_t v, bool with_setup, uint16_t *out,
    size_t max);

/* tls_suite_label: the IANA name, or "0xHHHH" for an unknown code, in
 * out (at least 12 bytes).  Returns out, or the static name. */
const char *tls_suite_label(uint16_t code, char *out, size_t outlen);

#endif
