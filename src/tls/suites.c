/* suites: the cipher-suite registry (data/tls-suites.tsv, compiled in) and protocol versions. */
#include "tls/suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The rows come from the generated files, in the file's (code) order. */
static const struct tls_suite suites[] = {
#include "tls_suites.inc"
};
static const struct tls_suite ssl2_kinds[] = {
#include "ssl2_kinds.inc"
};

#define NSUITES		(sizeof(suites) / sizeof(suites[0]))
#define NSSL2_KINDS	(sizeof(ssl2_kinds) / sizeof(ssl2_kinds[0]))

static const uint16_t versions[TLS_NVERSIONS] = {
	TLS_V_SSL2, TLS_V_SSL3, TLS_V_TLS10, TLS_V_TLS11, TLS_V_TLS12,
	TLS_V_TLS13
};
static const char *const version_names[TLS_NVERSIONS] = {
	"SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"
};

int
tls_version_index(uint16_t v)
{
	int i;

	for (i = 0; i < TLS_NVERSIONS; i++)
		if (versions[i] == v)
			return i;
	return -1;
}

uint16_t
tls_version_at(int i)
{
	return i >= 0 && i < TLS_NVERSIONS ? versions[i] : 0;
}

unsigned
tls_version_bit(uint16_t v)
{
	int i = tls_version_index(v);

	return i < 0 ? 0 : 1u << i;
}

const char *
tls_version_name(uint16_t v)
{
	int i = tls_version_index(v);

	return i < 0 ? NULL : version_names[i];
}

uint16_t
tls_version_parse(const char *s)
{
	int i;

	if (strcasecmp(s, "TLSv1.0") == 0)
		return TLS_V_TLS10;
	for (i = 0; i < TLS_NVERSIONS; i++)
		if (strcasecmp(s, version_names[i]) == 0)
			return versions[i];
	return 0;
}

const struct tls_suite *
tls_suites(size_t *n)
{
	*n = NSUITES;
	return suites;
}

const struct tls_suite *
tls_ssl2_kinds(size_t *n)
{
	*n = NSSL2_KINDS;
	return ssl2_kinds;
}

/* The table is sorted by code (the generator keeps the file's order and
 * the suites test checks it), so a binary search will do. */
static const struct tls_suite *
suite_search(const struct tls_suite *t, size_t n, uint32_t code)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t[mid].code == code)
			return &t[mid];
		if (t[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct tls_suite *
tls_suite_by_code(uint16_t code)
{
	return suite_search(suites, NSUITES, code);
}

const struct tls_suite *
tls_ssl2_kind_by_code(uint32_t code)
{
	return suite_search(ssl2_kinds, NSSL2_KINDS, code);
}

const struct tls_suite *
tls_suite_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < NSUITES; i++) {
		if (strcasecmp(suites[i].name, name) == 0)
			return &suites[i];
		if (suites[i].openssl != NULL &&
		    strcasecmp(suites[i].openssl, name) == 0)
			return &suites[i];
	}
	return NULL;
}

bool
tls_suite_usable(const struct tls_suite *s, uint16_t v)
{
	if (s->flags & TLS_SUITE_SCSV)
		return false;
	if (s->min_version == TLS_V_SSL2 || v == TLS_V_SSL2)
		return s->min_version == v;
	if (s->flags & TLS_SUITE_TLS13)
		return v == TLS_V_TLS13;
	return v >= s->min_version && v <= TLS_V_TLS12;
}

bool
tls_suite_needs_setup(const struct tls_suite *s)
{
	static const char *const kx[] = {
		"PSK", "DHE_PSK", "RSA_PSK", "ECDHE_PSK", "SRP", "KRB5",
		"ECCPWD"
	};
	size_t i;

	for (i = 0; i < sizeof(kx) / sizeof(kx[0]); i++)
		if (strcmp(s->kx, kx[i]) == 0)
			return true;
	return false;
}

/*
 * Offer order.  Only servers that follow the client's order see it, and
 * for them it decides what we learn first; real clients put forward
 * secret AEAD suites first and legacy ones last, and so do we.  It also
 * decides what a capped offer (the versions scan) keeps, so suites that
 * servers actually run (ECDHE, DHE, RSA key exchange, legacy ciphers
 * included) come before anonymous, static-DH, non-standard, export and
 * NULL suites.
 */

static int
rank_class(const struct tls_suite *s)
{
	if (s->flags & TLS_SUITE_NULL)
		return 5;
	if (s->flags & TLS_SUITE_EXPORT)
		return 4;
	if (s->flags & TLS_SUITE_NONSTD)
		return 3;
	if (strcmp(s->kx, "DH") == 0 || strcmp(s->kx, "ECDH") == 0)
		return 2;
	if (s->flags & TLS_SUITE_ANON)
		return 1;
	return 0;
}

static int
rank_kx(const char *kx)
{
	static const char *const order[] = {
		"ANY", "ECDHE", "DHE", "RSA", "ECDH", "DH", "RSA_EXPORT"
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(kx, order[i]) == 0)
			return (int)i;
	return (int)i;
}

static int
rank_cipher(const char *c)
{
	static const char *const order[] = {
		"AES_", "CHACHA20", "CAMELLIA", "ARIA", "SEED", "IDEA", "SM4",
		"AEGIS", "3DES", "RC4", "RC2", "DES", "NULL"
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strncmp(c, order[i], strlen(order[i])) == 0)
			return (int)i;
	return (int)i;
}

static int
rank_mac(const char *m)
{
	static const char *const order[] = {
		"AEAD", "SHA384", "SHA256", "SHA1", "MD5"
	};
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(m, order[i]) == 0)
			return (int)i;
	return (int)i;
}

/* Smaller is offered earlier. */
static long
suite_rank(const struct tls_suite *s)
{
	long r = rank_class(s);

	r = r * 2 + ((s->flags & (TLS_SUITE_RC4 | TLS_SUITE_DES |
	    TLS_SUITE_3DES)) != 0);
	r = r * 16 + rank_kx(s->kx);
	r = r * 8 + rank_mac(s->mac);
	r = r * 16 + rank_cipher(s->cipher);
	r = r * 2 + (s->bits < 256);
	return r;
}

static int
rank_cmp(const void *a, const void *b)
{
	const struct tls_suite *x = *(const struct tls_suite *const *)a;
	const struct tls_suite *y = *(const struct tls_suite *const *)b;
	long rx = suite_rank(x), ry = suite_rank(y);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return x->code < y->code ? -1 : x->code > y->code;
}

size_t
tls_suites_for_version(uint16_t v, bool with_setup, uint16_t *out,
    size_t max)
{
	const struct tls_suite *sorted[NSUITES];
	size_t i, n = 0, k;

	for (i = 0; i < NSUITES; i++) {
		if (!tls_suite_usable(&suites[i], v))
			continue;
		if (!with_setup && tls_suite_needs_setup(&suites[i]))
			continue;
		sorted[n++] = &suites[i];
	}
	qsort(sorted, n, sizeof(sorted[0]), rank_cmp);
	for (k = 0; k < n && k < max; k++)
		out[k] = (uint16_t)sorted[k]->code;
	return k;
}

const char *
tls_suite_label(uint16_t code, char *out, size_t outlen)
{
	const struct tls_suite *s = tls_suite_by_code(code);

	if (s != NULL)
		return s->name;
	(void)snprintf(out, outlen, "0x%04X", code);
	return out;
}
