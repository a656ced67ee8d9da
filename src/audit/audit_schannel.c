/* audit_schannel: a .reg export of Schannel and .NET Framework keys, as the versions and suites Windows will use. */
#include "audit/audit.h"
#include "audit/regfile.h"
#include "tls/suites.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Input: `reg export HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders
 * \SCHANNEL`, optionally with the cipher suite order keys and the .NET
 * Framework keys in the same file (see docs and `mxdoctor audit --help`).
 *
 * What the registry says is combined with what Windows does when a value
 * is absent, which depends on the build (o->windows, AUDIT_WIN_2016 when
 * 0).  Both directions are the same machine: Exchange Server, IIS and the
 * SMTP service are the server when Microsoft delivers to them and the
 * client when they send.  Whether they use STARTTLS at all lives in
 * Exchange's connectors, not in the registry: use stays unknown.
 *
 * Protocol states (Microsoft, "Transport Layer Security (TLS) registry
 * settings", section "TLS, DTLS and SSL Protocol Version Settings",
 * MicrosoftDocs/windowsserverdocs:WindowsServerDocs/security/tls/
 * tls-registry-settings.md):
 *   Enabled = 0                     disabled whatever the caller asks;
 *   Enabled != 0 (1 or 0xffffffff)  enabled;
 *   DisabledByDefault != 0          "disabled by default": only callers
 *                                   that name the version explicitly in
 *                                   SCHANNEL_CRED get it.
 * Exchange Server 2013 and later (with SystemDefaultTlsVersions = 1, see
 * config.dotnet_old_tls) and IIS/http.sys take the system defaults and
 * name no versions, so a version that is disabled by default is counted
 * here as not used.  An old .NET application that names TLS 1.0 itself
 * would still get it; that case is reported by the .NET check instead.
 */

#define K_HKLM		"HKEY_LOCAL_MACHINE\\"
#define K_SCHANNEL	K_HKLM "SYSTEM\\CurrentControlSet\\Control\\" \
			"SecurityProviders\\SCHANNEL"
/* Group Policy "SSL Cipher Suite Order", then the local list that the
 * TLS cmdlets (Enable-TlsCipherSuite) write; the first present wins. */
#define K_ORDER_GP	K_HKLM "SOFTWARE\\Policies\\Microsoft\\Cryptography\\" \
			"Configuration\\SSL\\00010002"
#define K_ORDER_LOCAL	K_HKLM "SYSTEM\\CurrentControlSet\\Control\\" \
			"Cryptography\\Configuration\\Local\\SSL\\00010002"

#define SCH_SUITES_MAX	128

enum proto_state {
	P_NOTSUP = 0,	/* this build has no such protocol */
	P_ON,		/* enabled */
	P_DBD		/* supported, disabled by default */
};

static const struct {
	const char	*name;		/* registry subkey */
	uint16_t	 v;
} sch_versions[] = {
	{ "SSL 2.0", TLS_V_SSL2 },
	{ "SSL 3.0", TLS_V_SSL3 },
	{ "TLS 1.0", TLS_V_TLS10 },
	{ "TLS 1.1", TLS_V_TLS11 },
	{ "TLS 1.2", TLS_V_TLS12 },
	{ "TLS 1.3", TLS_V_TLS13 },
};
#define SCH_NVERSIONS	(sizeof(sch_versions) / sizeof(sch_versions[0]))

/*
 * Protocol defaults: Microsoft, "Protocols in TLS/SSL (Schannel SSP)"
 * (MicrosoftDocs/win32:desktop-src/SecAuthN/protocols-in-tls-ssl--
 * schannel-ssp-.md, revision of 2021-01-20), one row per range of builds.
 * The page's "Disabled" is the disabled-by-default state (Windows 7 could
 * use TLS 1.2 when an application asked for it).  Builds before 7601 are
 * read as Windows 7; Windows 10 1507/1511 as Windows 8 (the same row).
 * Newer builds that switch TLS 1.0/1.1 off by default (Windows 11 24H2,
 * Server 2025) are not in that revision and get the 2022 row.
 */
static const struct {
	unsigned	 build;		/* first build the row applies to */
	const char	*label;
	unsigned char	 client[SCH_NVERSIONS];
	unsigned char	 server[SCH_NVERSIONS];
} proto_defaults[] = {
	{ 0, "Windows 7 / Server 2008 R2",
	  { P_DBD, P_ON, P_ON, P_DBD, P_DBD, P_NOTSUP },
	  { P_ON, P_ON, P_ON, P_DBD, P_DBD, P_NOTSUP } },
	{ AUDIT_WIN_2012, "Windows 8 / Server 2012 to Windows 10 1511",
	  { P_DBD, P_ON, P_ON, P_ON, P_ON, P_NOTSUP },
	  { P_DBD, P_ON, P_ON, P_ON, P_ON, P_NOTSUP } },
	{ AUDIT_WIN_2016, "Windows 10 1607 / Server 2016 / Server 2019",
	  { P_NOTSUP, P_DBD, P_ON, P_ON, P_ON, P_NOTSUP },
	  { P_NOTSUP, P_DBD, P_ON, P_ON, P_ON, P_NOTSUP } },
	{ AUDIT_WIN_2022, "Windows Server 2022 / Windows 11",
	  { P_NOTSUP, P_DBD, P_ON, P_ON, P_ON, P_ON },
	  { P_NOTSUP, P_DBD, P_ON, P_ON, P_ON, P_ON } },
};

/*
 * Default cipher suite order per build, from Microsoft's "TLS Cipher
 * Suites in Windows ..." pages (MicrosoftDocs/win32:desktop-src/SecAuthN/
 * tls-cipher-suites-in-windows-7.md, -windows-8.md, -windows-8-1.md,
 * -windows-10-v1607.md, -windows-10-v1809.md, -windows-server-2022.md),
 * the "enabled and in this priority order by default" tables.  Curve
 * suffixes (_P256, _P384) are merged into one suite, first place kept.
 * Left out: the NULL suites ("only used when application explicitly
 * requests"), the PSK suites ("no PSK cipher suites are enabled by
 * default") and the SSL 2.0 kinds.  Windows 7 and 8.1 have the same list
 * (after updates 3042058 and 2919355); 10 1507/1511 are read as 1607.
 */
#define S(x)	"TLS_" #x
static const char *const suites_win7[] = {	/* also 8.1 / 2012 R2 */
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA384), S(ECDHE_RSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA), S(ECDHE_RSA_WITH_AES_128_CBC_SHA),
	S(DHE_RSA_WITH_AES_256_GCM_SHA384), S(DHE_RSA_WITH_AES_128_GCM_SHA256),
	S(DHE_RSA_WITH_AES_256_CBC_SHA), S(DHE_RSA_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_AES_256_GCM_SHA384), S(RSA_WITH_AES_128_GCM_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA256), S(RSA_WITH_AES_128_CBC_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA), S(RSA_WITH_AES_128_CBC_SHA),
	S(ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), S(ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA384), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
	S(DHE_DSS_WITH_AES_256_CBC_SHA256), S(DHE_DSS_WITH_AES_128_CBC_SHA256),
	S(DHE_DSS_WITH_AES_256_CBC_SHA), S(DHE_DSS_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_3DES_EDE_CBC_SHA), S(DHE_DSS_WITH_3DES_EDE_CBC_SHA),
	S(RSA_WITH_RC4_128_SHA), S(RSA_WITH_RC4_128_MD5),
	NULL
};
static const char *const suites_win8[] = {	/* 8 / 2012: no DHE_RSA CBC */
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA384), S(ECDHE_RSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA), S(ECDHE_RSA_WITH_AES_128_CBC_SHA),
	S(DHE_RSA_WITH_AES_256_GCM_SHA384), S(DHE_RSA_WITH_AES_128_GCM_SHA256),
	S(RSA_WITH_AES_256_GCM_SHA384), S(RSA_WITH_AES_128_GCM_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA256), S(RSA_WITH_AES_128_CBC_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA), S(RSA_WITH_AES_128_CBC_SHA),
	S(ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), S(ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA384), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
	S(DHE_DSS_WITH_AES_256_CBC_SHA256), S(DHE_DSS_WITH_AES_128_CBC_SHA256),
	S(DHE_DSS_WITH_AES_256_CBC_SHA), S(DHE_DSS_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_3DES_EDE_CBC_SHA), S(DHE_DSS_WITH_3DES_EDE_CBC_SHA),
	S(RSA_WITH_RC4_128_SHA), S(RSA_WITH_RC4_128_MD5),
	NULL
};
static const char *const suites_1607[] = {	/* 10 1607 / 2016 */
	S(ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), S(ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
	S(ECDHE_RSA_WITH_AES_256_GCM_SHA384), S(ECDHE_RSA_WITH_AES_128_GCM_SHA256),
	S(DHE_RSA_WITH_AES_256_GCM_SHA384), S(DHE_RSA_WITH_AES_128_GCM_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA384), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA384), S(ECDHE_RSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA), S(ECDHE_RSA_WITH_AES_128_CBC_SHA),
	S(DHE_RSA_WITH_AES_256_CBC_SHA), S(DHE_RSA_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_AES_256_GCM_SHA384), S(RSA_WITH_AES_128_GCM_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA256), S(RSA_WITH_AES_128_CBC_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA), S(RSA_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_3DES_EDE_CBC_SHA),
	S(DHE_DSS_WITH_AES_256_CBC_SHA256), S(DHE_DSS_WITH_AES_128_CBC_SHA256),
	S(DHE_DSS_WITH_AES_256_CBC_SHA), S(DHE_DSS_WITH_AES_128_CBC_SHA),
	S(DHE_DSS_WITH_3DES_EDE_CBC_SHA),
	S(RSA_WITH_RC4_128_SHA), S(RSA_WITH_RC4_128_MD5),
	NULL
};
static const char *const suites_1809[] = {	/* 10 1809 / 2019; 2022 below TLS 1.3 */
	S(ECDHE_ECDSA_WITH_AES_256_GCM_SHA384), S(ECDHE_ECDSA_WITH_AES_128_GCM_SHA256),
	S(ECDHE_RSA_WITH_AES_256_GCM_SHA384), S(ECDHE_RSA_WITH_AES_128_GCM_SHA256),
	S(DHE_RSA_WITH_AES_256_GCM_SHA384), S(DHE_RSA_WITH_AES_128_GCM_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA384), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA384), S(ECDHE_RSA_WITH_AES_128_CBC_SHA256),
	S(ECDHE_ECDSA_WITH_AES_256_CBC_SHA), S(ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
	S(ECDHE_RSA_WITH_AES_256_CBC_SHA), S(ECDHE_RSA_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_AES_256_GCM_SHA384), S(RSA_WITH_AES_128_GCM_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA256), S(RSA_WITH_AES_128_CBC_SHA256),
	S(RSA_WITH_AES_256_CBC_SHA), S(RSA_WITH_AES_128_CBC_SHA),
	S(RSA_WITH_3DES_EDE_CBC_SHA),
	NULL
};
static const char *const suites13_2022[] = {
	S(AES_256_GCM_SHA384), S(AES_128_GCM_SHA256), NULL
};
#undef S

static const struct {
	unsigned		 build;
	const char		*page;
	const char *const	*suites;
	const char *const	*suites13;
} suite_defaults[] = {
	{ 0, "TLS Cipher Suites in Windows 7", suites_win7, NULL },
	{ AUDIT_WIN_2012, "TLS Cipher Suites in Windows 8", suites_win8, NULL },
	{ 9600, "TLS Cipher Suites in Windows 8.1", suites_win7, NULL },
	{ 10240, "TLS Cipher Suites in Windows 10 v1607", suites_1607, NULL },
	{ 17763, "TLS Cipher Suites in Windows 10 v1809", suites_1809, NULL },
	{ AUDIT_WIN_2022, "TLS Cipher Suites in Windows Server 2022",
	  suites_1809, suites13_2022 },
};

/*
 * SCHANNEL\Ciphers\<name>\Enabled = 0 and SCHANNEL\KeyExchangeAlgorithms
 * \<name>\Enabled = 0 remove every suite with that bulk cipher or key
 * exchange (Microsoft KB 245030, "How to restrict the use of certain
 * cryptographic algorithms and protocols in Schannel.dll").  A match
 * string ending in '_' is a prefix of the suite table's cipher column.
 * Whether Windows applies these keys to TLS 1.3 suites is not documented;
 * they are applied to all suites here (the cautious reading).  PKCS is
 * read as RSA key exchange only, not RSA signatures.
 */
static const struct {
	const char	*name;
	const char	*match[3];
} sch_ciphers[] = {
	{ "NULL", { "NULL" } },
	{ "DES 56/56", { "DES_CBC" } },
	{ "RC2 40/128", { "RC2_CBC_40" } },
	{ "RC2 56/128", { "RC2_CBC_56" } },
	{ "RC2 128/128", { "RC2_CBC_128" } },
	{ "RC4 40/128", { "RC4_40" } },
	{ "RC4 56/128", { "RC4_56" } },
	{ "RC4 64/128", { "RC4_64" } },
	{ "RC4 128/128", { "RC4_128" } },
	{ "Triple DES 168", { "3DES_EDE_CBC" } },
	{ "Triple DES 168/168", { "3DES_EDE_CBC" } },
	{ "AES 128/128", { "AES_128_" } },
	{ "AES 256/256", { "AES_256_" } },
}, sch_kx[] = {
	{ "PKCS", { "RSA", "RSA_EXPORT" } },
	{ "Diffie-Hellman", { "DHE", "DH" } },
	{ "ECDH", { "ECDHE", "ECDH" } },
};

/* .NET Framework keys (dotnet/docs: docs/framework/network-programming/
 * tls.md; the Exchange Health Checker reads the same four). */
static const char *const dotnet_keys[] = {
	"SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319",
	"SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319",
	"SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727",
	"SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v2.0.50727",
};

/* What one reader run works with. */
struct sch {
	const struct regfile	*rf;
	const char		*file;		/* base name, for origins */
	unsigned		 build;
	struct audit_result	*a;
	struct report		*r;
};

/* One side of one version, as decided. */
struct sch_proto {
	enum proto_state	 dflt;
	bool			 has_enabled, has_dbd;
	uint32_t		 enabled, dbd;
	bool			 on;		/* used by Exchange/IIS */
	char			 desc[160];	/* "Enabled=0 (x.reg:12)" */
};

/* Printable ASCII only, \xNN otherwise, backslashes kept (paths). */
static char *
sanitize(const char *s)
{
	return str_printable(s, 4096);
}

static char *
origin(const struct sch *s, unsigned line)
{
	return xasprintf("%s:%u", s->file, line);
}

/* value_text: a value's data as the settings show it (malloc'd). */
static char *
value_text(const struct regfile *rf, const struct regfile_value *v)
{
	struct strvec sv = { 0 };
	struct buf *b;
	uint32_t d;
	size_t i;
	char *out;

	if (v->deleted)
		return xstrdup("(deleted)");
	if (regfile_dword(v, &d) == 0)
		return xasprintf("dword:%08x", d);
	b = buf_new(8192);
	if (regfile_strings(rf, v, &sv) == 0) {
		for (i = 0; i < sv.n; i++)
			if (buf_printf(b, "%s%s", i ? "," : "", sv.v[i]) == -1) {
				buf_adds(b, ",...");
				break;
			}
		strvec_clear(&sv);
	} else {
		buf_printf(b, "hex(%x):", v->type);
		for (i = 0; i < v->len && i < 64; i++)
			buf_printf(b, "%s%02x", i ? "," : "", v->data[i]);
		if (v->len > 64)
			buf_adds(b, ",...");
	}
	out = buf_steal(b);
	buf_free(b);
	return out;
}

static int
build_row(unsigned build)
{
	int i, row = 0;

	for (i = 0; i < (int)(sizeof(proto_defaults) /
	    sizeof(proto_defaults[0])); i++)
		if (build >= proto_defaults[i].build)
			row = i;
	return row;
}

/*
 * Settings.
 */

/* setting_name: the name a value is recorded under: "SCHANNEL\..." for
 * the Schannel tree (version and side spelt canonically, so that fix/
 * finds them), the path below HKLM\SOFTWARE or HKLM\SYSTEM otherwise;
 * NULL for values this reader does not look at. */
static char *
setting_name(const struct regfile_value *v)
{
	const char *rest, *vn = v->name[0] != '\0' ? v->name : "(default)";
	size_t i, j, n = strlen(K_SCHANNEL);

	if (strncasecmp(v->key, K_SCHANNEL, n) == 0 &&
	    (v->key[n] == '\0' || v->key[n] == '\\')) {
		rest = v->key + n;
		for (i = 0; i < SCH_NVERSIONS; i++)
			for (j = 0; j < 2; j++) {
				char want[64];

				snprintf(want, sizeof(want), "\\Protocols\\%s\\%s",
				    sch_versions[i].name, j ? "Server" : "Client");
				if (strcasecmp(rest, want) != 0)
					continue;
				if (strcasecmp(vn, "Enabled") == 0)
					vn = "Enabled";
				else if (strcasecmp(vn, "DisabledByDefault") == 0)
					vn = "DisabledByDefault";
				return xasprintf("SCHANNEL%s\\%s", want, vn);
			}
		return xasprintf("SCHANNEL%s\\%s", rest, vn);
	}
	if (strcasecmp(v->key, K_ORDER_GP) == 0 ||
	    strcasecmp(v->key, K_ORDER_LOCAL) == 0)
		return xasprintf("%s\\%s", v->key + strlen(K_HKLM), vn);
	for (i = 0; i < sizeof(dotnet_keys) / sizeof(dotnet_keys[0]); i++)
		if (strcasecmp(v->key + strlen(K_HKLM), dotnet_keys[i]) == 0)
			return xasprintf("%s\\%s", dotnet_keys[i], vn);
	return NULL;
}

/* record_settings: every value this reader reads, as the import leaves
 * it (a value written twice is recorded once, where it takes effect). */
static void
record_settings(struct sch *s)
{
	size_t i, n = regfile_nvalues(s->rf);

	for (i = 0; i < n; i++) {
		const struct regfile_value *v = regfile_value_at(s->rf, i);
		char *name, *val, *org;

		if (regfile_get(s->rf, v->key, v->name) != v)
			continue;
		if ((name = setting_name(v)) == NULL)
			continue;
		val = value_text(s->rf, v);
		org = origin(s, v->line);
		audit_setting_add(s->a, name, val, org);
		free(name);
		free(val);
		free(org);
	}
}

/*
 * Protocols.
 */

/* get_dword: a DWORD value of key\name; a value of another type is what
 * Schannel cannot read (it is ignored, and reported as config.invalid). */
static bool
get_dword(struct sch *s, const char *key, const char *name, uint32_t *out,
    unsigned *line)
{
	const struct regfile_value *v = regfile_get(s->rf, key, name);
	char *ev, *sk;

	if (v == NULL)
		return false;
	if (regfile_dword(v, out) == 0) {
		*line = v->line;
		return true;
	}
	sk = sanitize(key + strlen(K_HKLM));
	ev = xasprintf("HKLM\\%s\\%s is of type %u, not REG_DWORD (%s:%u)",
	    sk, name, v->type, s->file, v->line);
	report_add_finding(s->r, "config.invalid", SEV_WARNING, NULL, NULL, 0,
	    ev, "Write the value as a DWORD (\"Enabled\"=dword:00000001); "
	    "`mxdoctor fix --mta schannel` writes it.",
	    "Windows ignores %s: it is not a DWORD, so the default applies",
	    name);
	free(sk);
	free(ev);
	return false;
}

/* num: a DWORD as the desc strings show it: 0, 1, 0xffffffff. */
static const char *
num(char *buf, size_t len, uint32_t v)
{
	snprintf(buf, len, v <= 9 ? "%u" : "0x%x", v);
	return buf;
}

/* proto_read: one side of one version. */
static void
proto_read(struct sch *s, size_t vi, bool server, struct sch_proto *p)
{
	int row = build_row(s->build);
	char key[256], n1[16], n2[16];
	unsigned le = 0, ld = 0;
	bool dbd;

	memset(p, 0, sizeof(*p));
	p->dflt = server ? proto_defaults[row].server[vi] :
	    proto_defaults[row].client[vi];
	snprintf(key, sizeof(key), "%s\\Protocols\\%s\\%s", K_SCHANNEL,
	    sch_versions[vi].name, server ? "Server" : "Client");
	p->has_enabled = get_dword(s, key, "Enabled", &p->enabled, &le);
	p->has_dbd = get_dword(s, key, "DisabledByDefault", &p->dbd, &ld);
	if (p->has_enabled && p->has_dbd)
		snprintf(p->desc, sizeof(p->desc),
		    "Enabled=%s (%s:%u) DisabledByDefault=%s (%s:%u)",
		    num(n1, sizeof(n1), p->enabled), s->file, le,
		    num(n2, sizeof(n2), p->dbd), s->file, ld);
	else if (p->has_enabled)
		snprintf(p->desc, sizeof(p->desc), "Enabled=%s (%s:%u)",
		    num(n1, sizeof(n1), p->enabled), s->file, le);
	else if (p->has_dbd)
		snprintf(p->desc, sizeof(p->desc),
		    "DisabledByDefault=%s (%s:%u)",
		    num(n2, sizeof(n2), p->dbd), s->file, ld);
	if (p->dflt == P_NOTSUP)
		return;
	if (p->has_enabled && p->enabled == 0)
		return;
	dbd = p->has_dbd ? p->dbd != 0 : p->dflt == P_DBD;
	p->on = !dbd;
}

static const char *
proto_word(const struct sch_proto *p)
{
	if (p->dflt == P_NOTSUP)
		return "not supported by this Windows";
	if (p->on)
		return "enabled";
	if (p->has_enabled && p->enabled == 0)
		return "disabled";
	return "disabled by default";
}

/* mismatch: config.schannel_mismatch when Client and Server differ for a
 * version, at least one of them set in the registry, and Windows' own
 * defaults agree for it (they differ for SSL 2.0 on Windows 7, whose
 * default export has SSL 2.0\Client DisabledByDefault=1: not the user's
 * doing).  The finding's host is the side that does not get the
 * version. */
static void
mismatch(struct sch *s, size_t vi, const struct sch_proto *c,
    const struct sch_proto *sv)
{
	bool explicit_ = c->has_enabled || c->has_dbd || sv->has_enabled ||
	    sv->has_dbd;
	char *ev;

	if (c->on == sv->on || !explicit_ || c->dflt == P_NOTSUP ||
	    sv->dflt == P_NOTSUP || c->dflt != sv->dflt)
		return;
	ev = xasprintf("%s: Client %s%s%s%s; Server %s%s%s%s",
	    sch_versions[vi].name, proto_word(c),
	    c->desc[0] ? " (" : " (Windows default", c->desc, ")",
	    proto_word(sv),
	    sv->desc[0] ? " (" : " (Windows default", sv->desc, ")");
	report_add_finding(s->r, "config.schannel_mismatch", SEV_WARNING,
	    c->on ? "server" : "client", NULL, 0, ev, NULL,
	    "Schannel %s is %s for the client side but %s for the server "
	    "side", sch_versions[vi].name, proto_word(c), proto_word(sv));
	free(ev);
}

/* side_note: one version's registry values for a *_from text. */
static void
side_note(struct buf *b, size_t vi, const struct sch_proto *p)
{
	if (p->desc[0] == '\0')
		return;
	if (p->dflt == P_NOTSUP)
		buf_printf(b, "; %s keys ignored (not in this Windows)",
		    sch_versions[vi].name);
	else
		buf_printf(b, "; %s %s", sch_versions[vi].name, p->desc);
}

static void
read_protocols(struct sch *s)
{
	struct buf *bc = buf_new(4096), *bs = buf_new(4096);
	struct sch_proto c, sv;
	int row = build_row(s->build);
	size_t vi;

	s->a->client.versions = s->a->server.versions = 0;
	for (vi = 0; vi < SCH_NVERSIONS; vi++) {
		proto_read(s, vi, false, &c);
		proto_read(s, vi, true, &sv);
		if (c.on)
			s->a->client.versions |= tls_version_bit(sch_versions[vi].v);
		if (sv.on)
			s->a->server.versions |= tls_version_bit(sch_versions[vi].v);
		side_note(bc, vi, &c);
		side_note(bs, vi, &sv);
		mismatch(s, vi, &c, &sv);
	}
	s->a->client.versions_known = s->a->server.versions_known = true;
	s->a->client.versions_from = xasprintf("Windows build %u defaults "
	    "(%s)%s; DisabledByDefault=1 counts as off (Exchange and IIS take "
	    "the system defaults)", s->build, proto_defaults[row].label,
	    buf_str(bc));
	s->a->server.versions_from = xasprintf("Windows build %u defaults "
	    "(%s)%s; DisabledByDefault=1 counts as off (Exchange and IIS take "
	    "the system defaults)", s->build, proto_defaults[row].label,
	    buf_str(bs));
	buf_free(bc);
	buf_free(bs);
}

/*
 * Suites.
 */

/* suite_from_name: a Windows cipher suite name (IANA, with an optional
 * _P256/_P384/_P521 curve suffix) to a table row, or NULL. */
static const struct tls_suite *
suite_from_name(const char *name)
{
	char buf[128];
	size_t n;

	while (*name == ' ' || *name == '\t')
		name++;
	n = strlen(name);
	while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	if (n > 5 && (strcasecmp(buf + n - 5, "_P256") == 0 ||
	    strcasecmp(buf + n - 5, "_P384") == 0 ||
	    strcasecmp(buf + n - 5, "_P521") == 0))
		buf[n - 5] = '\0';
	if (strncasecmp(buf, "TLS_", 4) != 0)
		return NULL;	/* SSL_CK_* kinds, OpenSSL names: not Windows' */
	return tls_suite_by_name(buf);
}

struct suite_list {
	uint16_t	 v[SCH_SUITES_MAX];
	size_t		 n;
	uint16_t	 v13[SCH_SUITES_MAX];
	size_t		 n13;
};

static void
list_add(struct suite_list *l, const struct tls_suite *ts)
{
	uint16_t *arr = (ts->flags & TLS_SUITE_TLS13) ? l->v13 : l->v;
	size_t *n = (ts->flags & TLS_SUITE_TLS13) ? &l->n13 : &l->n;
	size_t i;

	for (i = 0; i < *n; i++)
		if (arr[i] == ts->code)
			return;
	if (*n < SCH_SUITES_MAX)
		arr[(*n)++] = (uint16_t)ts->code;
}

/* order_list: the configured order (Group Policy, else local), as suites;
 * unknown names listed in unknown.  Returns the value used, or NULL. */
static const struct regfile_value *
order_list(struct sch *s, struct suite_list *l, struct buf *unknown)
{
	const struct regfile_value *v;
	struct strvec sv = { 0 };
	size_t i;

	if ((v = regfile_get(s->rf, K_ORDER_GP, "Functions")) == NULL &&
	    (v = regfile_get(s->rf, K_ORDER_LOCAL, "Functions")) == NULL)
		return NULL;
	if (regfile_strings(s->rf, v, &sv) == -1)
		return NULL;
	for (i = 0; i < sv.n; i++) {
		char *tok, *save = NULL, *p = sv.v[i];

		/* Group Policy writes one REG_SZ, comma-separated; the
		 * local key one name per REG_MULTI_SZ element. */
		for (tok = strtok_r(p, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			const struct tls_suite *ts = suite_from_name(tok);

			if (ts != NULL)
				list_add(l, ts);
			else if (buf_len(unknown) < 512) {
				char *e = sanitize(tok);

				buf_printf(unknown, "%s%s",
				    buf_len(unknown) ? ", " : "", e);
				free(e);
			}
		}
	}
	strvec_clear(&sv);
	return v;
}

static void
default_list(unsigned build, struct suite_list *l, const char **page)
{
	size_t i, row = 0;

	for (i = 0; i < sizeof(suite_defaults) / sizeof(suite_defaults[0]); i++)
		if (build >= suite_defaults[i].build)
			row = i;
	*page = suite_defaults[row].page;
	for (i = 0; suite_defaults[row].suites[i] != NULL; i++) {
		const struct tls_suite *ts =
		    tls_suite_by_name(suite_defaults[row].suites[i]);

		if (ts != NULL)
			list_add(l, ts);
	}
	for (i = 0; suite_defaults[row].suites13 != NULL &&
	    suite_defaults[row].suites13[i] != NULL; i++) {
		const struct tls_suite *ts =
		    tls_suite_by_name(suite_defaults[row].suites13[i]);

		if (ts != NULL)
			list_add(l, ts);
	}
}

static bool
cipher_matches(const char *col, const char *const *match)
{
	size_t i, n;

	for (i = 0; i < 3 && match[i] != NULL; i++) {
		n = strlen(match[i]);
		if (match[i][n - 1] == '_' ? strncmp(col, match[i], n) == 0 :
		    strcmp(col, match[i]) == 0)
			return true;
	}
	return false;
}

/* drop: removes from l the suites whose column matches. */
static void
drop(struct suite_list *l, bool kx, const char *const *match)
{
	uint16_t *arrs[2] = { l->v, l->v13 };
	size_t *ns[2] = { &l->n, &l->n13 };
	size_t a, i, o;

	for (a = 0; a < 2; a++) {
		for (i = o = 0; i < *ns[a]; i++) {
			const struct tls_suite *ts = tls_suite_by_code(arrs[a][i]);

			if (ts != NULL && cipher_matches(kx ? ts->kx : ts->cipher,
			    match))
				continue;
			arrs[a][o++] = arrs[a][i];
		}
		*ns[a] = o;
	}
}

/* disabled_algorithms: applies Ciphers and KeyExchangeAlgorithms keys
 * with Enabled = 0; names them in b. */
static void
disabled_algorithms(struct sch *s, struct suite_list *l, struct buf *b)
{
	char key[256];
	uint32_t d;
	unsigned line;
	size_t i;

	for (i = 0; i < sizeof(sch_ciphers) / sizeof(sch_ciphers[0]); i++) {
		snprintf(key, sizeof(key), "%s\\Ciphers\\%s", K_SCHANNEL,
		    sch_ciphers[i].name);
		if (get_dword(s, key, "Enabled", &d, &line) && d == 0) {
			drop(l, false, sch_ciphers[i].match);
			buf_printf(b, "; without %s (Ciphers, %s:%u)",
			    sch_ciphers[i].name, s->file, line);
		}
	}
	for (i = 0; i < sizeof(sch_kx) / sizeof(sch_kx[0]); i++) {
		snprintf(key, sizeof(key), "%s\\KeyExchangeAlgorithms\\%s",
		    K_SCHANNEL, sch_kx[i].name);
		if (get_dword(s, key, "Enabled", &d, &line) && d == 0) {
			drop(l, true, sch_kx[i].match);
			buf_printf(b, "; without %s key exchange "
			    "(KeyExchangeAlgorithms, %s:%u)", sch_kx[i].name,
			    s->file, line);
		}
	}
}

static void
read_suites(struct sch *s)
{
	struct suite_list *l = xcalloc(1, sizeof(*l));
	struct buf *from = buf_new(4096), *unknown = buf_new(1024);
	const struct regfile_value *ov;
	const char *page;

	if ((ov = order_list(s, l, unknown)) != NULL) {
		char *k = sanitize(ov->key + strlen(K_HKLM));

		buf_printf(from, "cipher suite order HKLM\\%s\\Functions "
		    "(%s:%u)", k, s->file, ov->line);
		free(k);
		if (buf_len(unknown) > 0)
			buf_printf(from, "; names not known: %s",
			    buf_str(unknown));
	} else {
		default_list(s->build, l, &page);
		buf_printf(from, "Windows build %u default order (Microsoft, "
		    "\"%s\")", s->build, page);
	}
	disabled_algorithms(s, l, from);
	audit_side_set_suites(&s->a->client, l->v, l->n, l->v13, l->n13);
	audit_side_set_suites(&s->a->server, l->v, l->n, l->v13, l->n13);
	s->a->client.suites_known = s->a->server.suites_known = true;
	s->a->client.suites_from = xstrdup(buf_str(from));
	s->a->server.suites_from = xstrdup(buf_str(from));
	/* Schannel servers pick by their own priority list. */
	s->a->server.server_order = true;
	buf_free(from);
	buf_free(unknown);
	free(l);
}

/*
 * .NET Framework.
 */

/* read_dotnet: config.dotnet_old_tls for each .NET key in the export
 * whose SchUseStrongCrypto or SystemDefaultTlsVersions is not 1 (absent
 * counts: .NET then defaults to its own, older choice). */
static void
read_dotnet(struct sch *s)
{
	static const char *const names[] = { "SchUseStrongCrypto",
	    "SystemDefaultTlsVersions" };
	char key[256];
	size_t i, j;

	for (i = 0; i < sizeof(dotnet_keys) / sizeof(dotnet_keys[0]); i++) {
		struct buf *ev;
		bool bad = false;

		snprintf(key, sizeof(key), "%s%s", K_HKLM, dotnet_keys[i]);
		if (!regfile_has_key(s->rf, key))
			continue;
		ev = buf_new(1024);
		buf_printf(ev, "HKLM\\%s:", dotnet_keys[i]);
		for (j = 0; j < 2; j++) {
			uint32_t d;
			unsigned line;

			if (get_dword(s, key, names[j], &d, &line)) {
				buf_printf(ev, " %s=dword:%08x (%s:%u)",
				    names[j], d, s->file, line);
				bad |= d != 1;
			} else {
				buf_printf(ev, " %s absent", names[j]);
				bad = true;
			}
			buf_adds(ev, j == 0 ? "," : "");
		}
		if (bad)
			report_add_finding(s->r, "config.dotnet_old_tls",
			    SEV_WARNING, "client", NULL, 0, buf_str(ev), NULL,
			    ".NET Framework %s may not use the system's TLS "
			    "versions (TLS 1.2)", dotnet_keys[i] +
			    strlen("SOFTWARE\\"));
		buf_free(ev);
	}
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	if (s == NULL)
		s = strrchr(path, '\\');
	return s != NULL ? s + 1 : path;
}

int
audit_read_schannel(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err)
{
	struct regfile *rf;
	struct sch s;
	char *file;

	*err = NULL;
	if (o->config == NULL) {
		*err = xstrdup("audit schannel needs the .reg file: "
		    "--config FILE.reg (from `reg export HKLM\\SYSTEM\\"
		    "CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL "
		    "FILE.reg`)");
		return -1;
	}
	if ((rf = regfile_load(o->config, AUDIT_FILE_MAX, err)) == NULL)
		return -1;
	file = sanitize(base_name(o->config));
	memset(&s, 0, sizeof(s));
	s.rf = rf;
	s.file = file;
	s.build = o->windows != 0 ? o->windows : AUDIT_WIN_2016;
	s.a = a;
	s.r = r;

	a->windows = s.build;
	a->source = sanitize(o->config);
	a->tls_library = xstrdup("Schannel");
	a->tls_library_from = xasprintf("Windows build %u (%s)", s.build,
	    o->windows != 0 ? "--windows" : "assumed: Windows Server 2016; "
	    "set --windows BUILD");
	if (o->hostname != NULL)
		a->hostname = xstrdup(o->hostname);
	a->client.present = a->server.present = true;
	a->client.use = a->server.use = AUDIT_TLS_UNKNOWN;
	a->client.use_from = xstrdup("not in the registry: Exchange's "
	    "connectors decide whether STARTTLS is used");
	a->server.use_from = xstrdup(a->client.use_from);
	/* Schannel sends the name the application gives it; Exchange's
	 * choice is not in the registry (and Microsoft's MX serves one
	 * certificate to all). */
	a->client.sni = xstrdup("whatever name the application (Exchange) "
	    "passes to Schannel; not in the registry");

	record_settings(&s);
	/* An export without the SCHANNEL key is still read (everything at
	 * Windows' defaults), but it is most likely the wrong key: say so
	 * where the settings are listed. */
	if (!regfile_has_key(rf, K_SCHANNEL))
		audit_setting_add(a, "SCHANNEL", "(not in the export: Windows "
		    "defaults apply to every protocol)", file);
	read_protocols(&s);
	read_suites(&s);
	read_dotnet(&s);

	free(file);
	regfile_free(rf);
	return 0;
}
