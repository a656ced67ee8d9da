/* fix_schannel: registry changes (Schannel protocols, .NET Framework, cipher suite order) that make Windows speak the profile's TLS. */
#include "fix/fix.h"
#include "tls/suites.h"
#include "util/buf.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * Items are FIX_SET with section = the key path below HKEY_LOCAL_MACHINE,
 * name = the value name and value = "dword:" and eight hex digits for a REG_DWORD or
 * the text of a REG_SZ (report/fix_render_schannel.c writes both as .reg
 * and PowerShell); FIX_UNSET deletes a value (back to Windows' default).
 *
 * Microsoft's documented states (TLS registry settings): Enabled=1 with
 * DisabledByDefault=0 is "Enabled", Enabled=0 with DisabledByDefault=1 is
 * "Disabled"; the Exchange Health Checker accepts only 0 and 1 and wants
 * Client and Server alike, so every version is written for both sides
 * with both values.
 *
 * TLS 1.3 is never switched on: its keys exist only from Windows Server
 * 2022 / Windows 11 on, where it is enabled by default, and Exchange
 * Server does not support it (Exchange Health Checker).  It is written
 * only to settle a Client/Server mismatch, and then off.
 */

#define SCH_KEY		"SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
#define ORDER_KEY	"SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002"

#define SRC_TLSREG	"Microsoft Learn, TLS registry settings, " \
			"https://learn.microsoft.com/windows-server/security/tls/tls-registry-settings"
#define SRC_SOCKERR	"Microsoft Learn, SocketError when sending or receiving mail, " \
			"https://learn.microsoft.com/exchange/troubleshoot/email-delivery/send-receive-emails-socketerror"
#define SRC_HC		"microsoft/CSS-Exchange, Exchange Health Checker: TLS configuration check " \
			"(Client and Server must match; only 0 and 1)"
#define SRC_DOTNET	"dotnet/docs, docs/framework/network-programming/tls.md " \
			"(SchUseStrongCrypto, SystemDefaultTlsVersions)"
#define SRC_KB245030	"Microsoft KB 245030, How to restrict the use of certain cryptographic " \
			"algorithms and protocols in Schannel.dll"
#define SRC_ORDER	"Microsoft Learn, Manage TLS: Configuring TLS Cipher Suite Order, " \
			"https://learn.microsoft.com/windows-server/security/tls/manage-tls"

#define NOTE_REBOOT	"Restart Windows for Schannel changes to take effect " \
			"(Schannel reads these keys at boot; services keep their credentials until restarted)."

static const struct {
	const char	*name;
	uint16_t	 v;
} sch_versions[] = {
	{ "SSL 2.0", TLS_V_SSL2 },
	{ "SSL 3.0", TLS_V_SSL3 },
	{ "TLS 1.0", TLS_V_TLS10 },
	{ "TLS 1.1", TLS_V_TLS11 },
	{ "TLS 1.2", TLS_V_TLS12 },
};
#define SCH_NVERSIONS	(sizeof(sch_versions) / sizeof(sch_versions[0]))

static const char *const dotnet_keys[] = {
	"SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319",
	"SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319",
	"SOFTWARE\\Microsoft\\.NETFramework\\v2.0.50727",
	"SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v2.0.50727",
};

/*
 * Suites every Windows default list enables, from Windows 7 / Server 2008
 * R2 to Server 2022 (the intersection of Microsoft's "TLS Cipher Suites in
 * Windows 7", "... 8", "... 8.1", "... 10 v1607", "... 10 v1809" and "...
 * Windows Server 2022" tables; tests/unit/audit/schannel checks it against
 * audit_schannel.c's copies of those tables).  A profile that shares one of
 * them needs no suite order.
 */
static const char *const common_default[] = {
	"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
	"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
	"TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
	"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
	"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
	"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
	"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
	"TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
	"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
	"TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
	"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
	"TLS_RSA_WITH_AES_256_GCM_SHA384",
	"TLS_RSA_WITH_AES_128_GCM_SHA256",
	"TLS_RSA_WITH_AES_256_CBC_SHA256",
	"TLS_RSA_WITH_AES_128_CBC_SHA256",
	"TLS_RSA_WITH_AES_256_CBC_SHA",
	"TLS_RSA_WITH_AES_128_CBC_SHA",
	"TLS_RSA_WITH_3DES_EDE_CBC_SHA",
	NULL
};

/* Bulk ciphers config.weak_ciphers switches off (KB 245030 key names;
 * "Triple DES 168/168" is the Windows 7 spelling). */
static const char *const weak_cipher_keys[] = {
	"NULL", "DES 56/56", "RC2 40/128", "RC2 56/128", "RC2 128/128",
	"RC4 40/128", "RC4 56/128", "RC4 64/128", "RC4 128/128",
	"Triple DES 168", "Triple DES 168/168", NULL
};

static void
note(struct fix_plan *p, const char *text)
{
	if (!strvec_contains_ci(&p->notes, text))
		strvec_add(&p->notes, text);
}

/* The lowest version kept enabled: the profile's, but never above TLS 1.2
 * (Windows before Server 2022 has nothing newer). */
static uint16_t
low_version(const struct fix_ctx *c)
{
	if (c->vmin == 0 || c->vmin > TLS_V_TLS12)
		return TLS_V_TLS12;
	return c->vmin;
}

static const char *
profile_name(const struct fix_ctx *c)
{
	const char *n = c->o->profile != NULL ?
	    tls_profile_name(c->o->profile) : NULL;

	return n != NULL ? n : "?";
}

/* version_items: Client and Server of version vi, enabled or disabled;
 * each value with its own reason. */
static void
version_items(struct fix_plan *p, const struct fix_ctx *c, size_t vi,
    const char *finding)
{
	static const char *const sides[] = { "Client", "Server" };
	uint16_t low = low_version(c);
	const char *vname = sch_versions[vi].name, *lname =
	    tls_version_name(low) != NULL ? tls_version_name(low) : "TLSv1.2";
	bool on = sch_versions[vi].v >= low;
	char section[256], why[512];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(section, sizeof(section), "%s\\Protocols\\%s\\%s",
		    SCH_KEY, vname, sides[i]);
		if (on)
			snprintf(why, sizeof(why), "%s %s on: profile %s starts "
			    "at %s, and Microsoft's servers accept only TLS "
			    "1.2 and newer (without it: 421 4.4.2 SocketError). "
			    "Client and Server must match for Exchange.",
			    vname, sides[i], profile_name(c), lname);
		else
			snprintf(why, sizeof(why), "%s %s off: older than "
			    "profile %s's lowest version %s, so never used "
			    "with it. Client and Server must match for "
			    "Exchange.", vname, sides[i], profile_name(c),
			    lname);
		fix_add(p, FIX_SET, section, "Enabled",
		    on ? "dword:00000001" : "dword:00000000", why,
		    on ? SRC_TLSREG "; " SRC_SOCKERR : SRC_TLSREG, finding);
		snprintf(why, sizeof(why), on ? "%s %s: with Enabled=1, "
		    "DisabledByDefault=0 is the documented Enabled state: "
		    "Exchange and IIS, which take the system defaults, use it." :
		    "%s %s: with Enabled=0, DisabledByDefault=1 is the "
		    "documented Disabled state that Exchange's Health Checker "
		    "expects.", vname, sides[i]);
		fix_add(p, FIX_SET, section, "DisabledByDefault",
		    on ? "dword:00000000" : "dword:00000001", why,
		    SRC_TLSREG "; " SRC_HC, finding);
	}
	note(p, NOTE_REBOOT);
}

static void
tls13_note(struct fix_plan *p, const struct fix_ctx *c)
{
	if (c->vmax >= TLS_V_TLS13)
		note(p, "TLS 1.3 is left at the Windows default: its keys "
		    "exist only on Windows Server 2022 / Windows 11 and "
		    "later (enabled there by default), and Exchange Server "
		    "does not support TLS 1.3 (Exchange Health Checker). "
		    "TLS 1.2 is enough for Microsoft.");
}

/* dotnet_items: both values under the four .NET Framework keys. */
static void
dotnet_items(struct fix_plan *p, const char *finding)
{
	size_t i;
	char why[512];

	for (i = 0; i < sizeof(dotnet_keys) / sizeof(dotnet_keys[0]); i++) {
		const char *ver = strrchr(dotnet_keys[i], '\\') + 1;
		bool wow = strstr(dotnet_keys[i], "WOW6432Node") != NULL;

		snprintf(why, sizeof(why), ".NET Framework %s%s: "
		    "SystemDefaultTlsVersions=1 makes applications (Exchange "
		    "Server among them) use the versions Schannel enables "
		    "instead of .NET's own older choice (TLS 1.0).", ver,
		    wow ? " (32-bit applications)" : "");
		fix_add(p, FIX_SET, dotnet_keys[i], "SystemDefaultTlsVersions",
		    "dword:00000001", why, SRC_DOTNET, finding);
		snprintf(why, sizeof(why), ".NET Framework %s%s: "
		    "SchUseStrongCrypto=1 lets applications use TLS 1.1/1.2 "
		    "and keeps RC4 and other weak suites out.", ver,
		    wow ? " (32-bit applications)" : "");
		fix_add(p, FIX_SET, dotnet_keys[i], "SchUseStrongCrypto",
		    "dword:00000001", why, SRC_DOTNET, finding);
	}
	note(p, NOTE_REBOOT);
}

/* schannel_can: whether Schannel implements the suite at all (Microsoft's
 * pages list AES-CBC/GCM, 3DES and RC4 with RSA, DHE or ECDHE; no
 * ChaCha20, CCM, ARIA or Camellia). */
static bool
schannel_can(const struct tls_suite *s)
{
	if (s->flags & TLS_SUITE_TLS13)
		return strcmp(s->cipher, "AES_128_GCM") == 0 ||
		    strcmp(s->cipher, "AES_256_GCM") == 0;
	if (strcmp(s->kx, "RSA") != 0 && strcmp(s->kx, "DHE") != 0 &&
	    strcmp(s->kx, "ECDHE") != 0)
		return false;
	return strncmp(s->cipher, "AES_128_CBC", 11) == 0 ||
	    strncmp(s->cipher, "AES_256_CBC", 11) == 0 ||
	    strcmp(s->cipher, "AES_128_GCM") == 0 ||
	    strcmp(s->cipher, "AES_256_GCM") == 0 ||
	    strcmp(s->cipher, "3DES_EDE_CBC") == 0 ||
	    strcmp(s->cipher, "RC4_128") == 0;
}

/* audit_windows: the Windows build an audit report assumed ("audit"
 * "windows"), 0 when unknown (a check report, a full configuration). */
static long long
audit_windows(const struct fix_ctx *c)
{
	json_t *w = c->report != NULL ? json_object_get(json_object_get(
	    c->report, "audit"), "windows") : NULL;

	return json_is_integer(w) && json_integer_value(w) > 0 ?
	    json_integer_value(w) : 0;
}

/* order_item: the Group Policy cipher suite order set to the profile's
 * suites that Schannel implements, in the profile's order.  The TLS 1.3
 * names go first (as in Windows' own list) only when the audit report
 * says Windows Server 2022 or later: Windows uses only the suites in the
 * list, and whether older builds skip names they do not know is not
 * documented.  When the build is unknown a person adds them on 2022. */
static bool
order_item(struct fix_plan *p, const struct fix_ctx *c, const char *why,
    const char *finding)
{
	long long build = audit_windows(c);
	struct buf *b = buf_new(8192), *b13 = buf_new(1024);
	const uint16_t *v;
	size_t i, j, n;
	bool any = false;

	for (i = 0; i < 2 && c->o->profile != NULL; i++) {
		v = tls_profile_suites(c->o->profile, i == 0 ? TLS_V_TLS13 :
		    TLS_V_TLS12, &n);
		for (j = 0; j < n; j++) {
			const struct tls_suite *s = tls_suite_by_code(v[j]);
			struct buf *to = i == 0 ? b13 : b;

			if (s == NULL || !schannel_can(s))
				continue;
			buf_printf(to, "%s%s", buf_len(to) ? "," : "", s->name);
		}
	}
	if (buf_len(b13) > 0 && build >= 20348) {
		buf_printf(b13, "%s%s", buf_len(b) ? "," : "", buf_str(b));
		buf_reset(b);
		buf_adds(b, buf_str(b13));
	}
	if (buf_len(b) > 0) {
		fix_add(p, FIX_SET, ORDER_KEY, "Functions", buf_str(b), why,
		    SRC_ORDER, finding);
		note(p, NOTE_REBOOT);
		any = true;
	}
	if (any && buf_len(b13) > 0 && build == 0) {
		char *act = xasprintf("On Windows Server 2022 / Windows 11 "
		    "and later only: put %s (comma-separated) at the front of HKLM\\"
		    ORDER_KEY "\\Functions.", buf_str(b13));

		fix_add(p, FIX_ACTION, NULL, NULL, act, "Windows uses only "
		    "the suites in the order list, TLS 1.3 ones included; "
		    "the audit did not say which Windows this is.",
		    SRC_ORDER, finding);
		free(act);
	}
	buf_free(b);
	buf_free(b13);
	return any;
}

/* profile_shares_default: whether a TLS 1.2 suite of the profile is in
 * every Windows default list. */
static bool
profile_shares_default(const struct fix_ctx *c)
{
	const uint16_t *v;
	size_t i, j, n;

	if (c->o->profile == NULL)
		return true;
	v = tls_profile_suites(c->o->profile, TLS_V_TLS12, &n);
	for (i = 0; i < n; i++)
		for (j = 0; common_default[j] != NULL; j++) {
			const struct tls_suite *s =
			    tls_suite_by_name(common_default[j]);

			if (s != NULL && s->code == v[i])
				return true;
		}
	return n == 0;
}

void
fix_schannel_full(struct fix_plan *p, const struct fix_ctx *c)
{
	size_t i;

	for (i = 0; i < SCH_NVERSIONS; i++)
		version_items(p, c, i, NULL);
	dotnet_items(p, NULL);
	if (!profile_shares_default(c))
		order_item(p, c, "Windows' default suites share none with "
		    "the profile's: this order makes Schannel offer and "
		    "accept the profile's suites (only suites in this list "
		    "are used).", NULL);
	else
		note(p, "No cipher suite order is written: every Windows "
		    "from 7 / Server 2008 R2 on enables by default suites "
		    "that the profile offers (e.g. TLS_RSA_WITH_AES_256_GCM_"
		    "SHA384), and an order list would also restrict every "
		    "other Schannel application.");
	tls13_note(p, c);
}

/*
 * Findings.
 */

static bool
setting_is(const struct fix_ctx *c, const char *name, const char *value)
{
	const char *v = c->setting != NULL ? c->setting(c, name) : NULL;

	return v != NULL && strcasecmp(v, value) == 0;
}

static const char *
setting(const struct fix_ctx *c, const char *name)
{
	return c->setting != NULL ? c->setting(c, name) : NULL;
}

/* evidence_version: the version config.schannel_mismatch's evidence
 * starts with ("TLS 1.2: Client ..."): an index into sch_versions,
 * SCH_NVERSIONS for TLS 1.3, -1 when it names none. */
static int
evidence_version(const struct fix_finding *f)
{
	size_t i, n;

	if (f->evidence == NULL)
		return -1;
	if (strncmp(f->evidence, "TLS 1.3:", 8) == 0)
		return (int)SCH_NVERSIONS;
	for (i = 0; i < SCH_NVERSIONS; i++) {
		n = strlen(sch_versions[i].name);
		if (strncmp(f->evidence, sch_versions[i].name, n) == 0 &&
		    f->evidence[n] == ':')
			return (int)i;
	}
	return -1;
}

/* differs: whether the audit's settings for a version differ between
 * Client and Server. */
static bool
differs(const struct fix_ctx *c, const char *vname)
{
	static const char *const vals[] = { "Enabled", "DisabledByDefault" };
	char cn[160], sn[160];
	const char *cv, *sv;
	size_t j;

	for (j = 0; j < 2; j++) {
		snprintf(cn, sizeof(cn), "SCHANNEL\\Protocols\\%s\\Client\\%s",
		    vname, vals[j]);
		snprintf(sn, sizeof(sn), "SCHANNEL\\Protocols\\%s\\Server\\%s",
		    vname, vals[j]);
		cv = setting(c, cn);
		sv = setting(c, sn);
		if ((cv != NULL || sv != NULL) && (cv == NULL || sv == NULL ||
		    strcasecmp(cv, sv) != 0))
			return true;
	}
	return false;
}

static void
enable_tls12(struct fix_plan *p, const struct fix_ctx *c, const char *id)
{
	size_t i;

	for (i = 0; i < SCH_NVERSIONS; i++)
		if (sch_versions[i].v == TLS_V_TLS12)
			version_items(p, c, i, id);
}

static void
disable_old(struct fix_plan *p, const struct fix_ctx *c, const char *id)
{
	size_t i;

	for (i = 0; i < SCH_NVERSIONS; i++)
		if (sch_versions[i].v < low_version(c))
			version_items(p, c, i, id);
}

/* tls13_off: the one way to make TLS 1.3 Client and Server agree that
 * suits Exchange, which does not support TLS 1.3. */
static void
tls13_off(struct fix_plan *p, const char *id)
{
	static const char *const sides[] = { "Client", "Server" };
	char section[256];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(section, sizeof(section), "%s\\Protocols\\TLS 1.3\\%s",
		    SCH_KEY, sides[i]);
		fix_add(p, FIX_SET, section, "Enabled", "dword:00000000",
		    "TLS 1.3 Client and Server disagree; Exchange Server does "
		    "not support TLS 1.3, so both are switched off (TLS 1.2 "
		    "is enough for Microsoft).",
		    SRC_TLSREG "; " SRC_HC, id);
		fix_add(p, FIX_SET, section, "DisabledByDefault",
		    "dword:00000001", "With Enabled=0, DisabledByDefault=1 "
		    "is the documented Disabled state that Exchange's Health "
		    "Checker expects.", SRC_TLSREG "; " SRC_HC, id);
	}
	note(p, NOTE_REBOOT);
}

/* fix_mismatch: the version the evidence names (the audit reader writes
 * one finding per version); for a report from elsewhere, every version
 * whose settings differ; failing both, every version. */
static void
fix_mismatch(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	int ev = evidence_version(f);
	size_t i;
	bool any = false;

	if (ev == (int)SCH_NVERSIONS) {
		tls13_off(p, f->id);
		return;
	}
	if (ev >= 0) {
		version_items(p, c, (size_t)ev, f->id);
		return;
	}
	for (i = 0; i < SCH_NVERSIONS; i++)
		if (differs(c, sch_versions[i].name)) {
			version_items(p, c, i, f->id);
			any = true;
		}
	if (differs(c, "TLS 1.3")) {
		tls13_off(p, f->id);
		any = true;
	}
	if (!any)
		for (i = 0; i < SCH_NVERSIONS; i++)
			version_items(p, c, i, f->id);
}

static void
weak_ciphers(struct fix_plan *p, const char *id)
{
	char section[256];
	size_t i;

	for (i = 0; weak_cipher_keys[i] != NULL; i++) {
		snprintf(section, sizeof(section), "%s\\Ciphers\\%s", SCH_KEY,
		    weak_cipher_keys[i]);
		fix_add(p, FIX_SET, section, "Enabled", "dword:00000000",
		    "A weak bulk cipher (RC4, DES, 3DES, RC2 or none): "
		    "Microsoft never uses it (3DES was switched off in 2019), "
		    "so switching it off costs nothing with Microsoft.",
		    SRC_KB245030, id);
	}
	note(p, NOTE_REBOOT);
}

/* no_shared_cipher: algorithms the audit saw switched off that the
 * profile needs go back to their defaults, and the suite order becomes
 * the profile's. */
static void
no_shared_cipher(struct fix_plan *p, const struct fix_ctx *c,
    const char *id)
{
	static const char *const keys[] = {
		"Ciphers\\AES 128/128", "Ciphers\\AES 256/256",
		"KeyExchangeAlgorithms\\PKCS", "KeyExchangeAlgorithms\\ECDH",
		NULL
	};
	char name[160], section[256];
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		snprintf(name, sizeof(name), "SCHANNEL\\%s\\Enabled", keys[i]);
		if (!setting_is(c, name, "dword:00000000"))
			continue;
		snprintf(section, sizeof(section), "%s\\%s", SCH_KEY, keys[i]);
		fix_add(p, FIX_UNSET, section, "Enabled", NULL,
		    "Switched off here, but every suite Microsoft uses "
		    "needs it (AES with ECDHE or RSA key exchange); deleting "
		    "the value restores Windows' default (enabled).",
		    SRC_KB245030, id);
		note(p, NOTE_REBOOT);
	}
	order_item(p, c, "The suites Schannel may use become the profile's "
	    "that Schannel implements, in the profile's order (only suites "
	    "in this list are used).", id);
}

bool
fix_schannel_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	const char *id = f->id;

	if (strcmp(id, "config.client_no_tls12") == 0 ||
	    strcmp(id, "config.server_no_tls12") == 0 ||
	    strcmp(id, "tls.no_tls12_or_newer") == 0)
		enable_tls12(p, c, id);
	else if (strcmp(id, "config.schannel_mismatch") == 0)
		fix_mismatch(p, c, f);
	else if (strcmp(id, "config.dotnet_old_tls") == 0)
		dotnet_items(p, id);
	else if (strcmp(id, "config.old_protocols") == 0 ||
	    strcmp(id, "tls.legacy_protocol") == 0 ||
	    strcmp(id, "tls.sslv3") == 0)
		disable_old(p, c, id);
	else if (strcmp(id, "config.weak_ciphers") == 0)
		weak_ciphers(p, id);
	else if (strcmp(id, "config.client_no_shared_cipher") == 0 ||
	    strcmp(id, "config.server_no_shared_cipher") == 0 ||
	    strcmp(id, "cipher.no_overlap") == 0)
		no_shared_cipher(p, c, id);
	else
		return false;
	tls13_note(p, c);
	return true;
}
