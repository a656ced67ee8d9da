/* audit_sendmail: sendmail.cf (or sendmail.mc) and sendmail -d0.15 -bt into the audit model. */
#include "audit/audit.h"
#include "tls/suites.h"
#include "util/buf.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <openssl/ssl.h>

/*
 * NAME
 *	audit_read_sendmail -- Sendmail's STARTTLS set-up as the audit model
 *
 * DESCRIPTION
 *	Reads o->config, else /etc/mail/sendmail.cf.  A .cf file: "O Name=
 *	value" options (a line starting with white space continues the one
 *	before), "Dj" / "Dw" host names.  A .mc file (name ending in ".mc"):
 *	define(`confX', `value') with m4 quotes, undefine(), include() of
 *	site files (not the m4 library, cf.m4 and friends), DAEMON_OPTIONS
 *	and CLIENT_OPTIONS, and raw "O Name=value" lines after
 *	LOCAL_CONFIG; each confX is mapped to the option cf/m4/proto.m4
 *	writes for it.
 *
 *	Sendmail links OpenSSL only.  CipherList applies to both sides
 *	(SSL_CTX_set_cipher_list, expanded by audit_openssl_suites());
 *	ServerSSLOptions and ClientSSLOptions are SSL_OP_* names or numbers
 *	with + (set, the default) or - (clear) over readcf.c's defaults
 *	(server SSL_OP_ALL, client SSL_OP_ALL | SSL_OP_NO_SSLv2 |
 *	SSL_OP_NO_TICKET): the SSL_OP_NO_TLSv1* ones decide the versions.
 *	The server offers STARTTLS when ServerCertFile and ServerKeyFile are
 *	set (cf/README, STARTTLS) and no port-25 DaemonPortOptions has
 *	modifier S; the client uses STARTTLS when offered unless
 *	ClientPortOptions has modifier S.  Per-host rules in the access map
 *	(TLS_Srv:, Try_TLS:) are not read.
 *
 *	sendmail -d0.15 -bt (stdin /dev/null, 15 s) says whether STARTTLS is
 *	compiled in, the linked OpenSSL ("OpenSSL: linked 0x30000160") and
 *	the version; without the program the library is this process's
 *	OpenSSL, marked as assumed.
 *
 * DIAGNOSTICS
 *	config.invalid for an SSL option name this Sendmail does not know
 *	(it logs "option value ... unrecognized" and ignores it), a
 *	CipherList OpenSSL rejects, and the readcf errors sendmail prints.
 */

#define SM_LINE_MAX	(64 * 1024)
#define SM_OPTS_MAX	4096
#define SM_DEPTH_MAX	4		/* include() nesting in a .mc */
#define SM_RUN_MS	15000
#define SM_RUN_OUT	(256 * 1024)
#define SM_SUITES_MAX	512
#define SM_README	"sendmail cf/README and doc/op (Sendmail 8.17)"

struct sm_opt {
	char	*name;		/* cf option name: "CipherList" */
	char	*value;
	char	*origin;	/* "sendmail.cf:12", "sendmail.mc:30 confCIPHER_LIST" */
};

struct sm {
	struct audit_result	*a;
	struct report		*r;
	struct sm_opt		*opt;
	size_t			 nopt;
	int			 depth;
	bool			 cut;
	struct strvec		 readcf;	/* errors sendmail itself printed */
};

/* confX macros of sendmail.mc and the cf options proto.m4 makes of them
 * (_OPTION(CipherList, `confCIPHER_LIST', ...) and so on). */
static const struct {
	const char	*mc;
	const char	*cf;
} sm_map[] = {
	{ "confCIPHER_LIST",		"CipherList" },
	{ "confSERVER_SSL_OPTIONS",	"ServerSSLOptions" },
	{ "confCLIENT_SSL_OPTIONS",	"ClientSSLOptions" },
	{ "confSERVER_CERT",		"ServerCertFile" },
	{ "confSERVER_KEY",		"ServerKeyFile" },
	{ "confCLIENT_CERT",		"ClientCertFile" },
	{ "confCLIENT_KEY",		"ClientKeyFile" },
	{ "confCACERT",			"CACertFile" },
	{ "confCACERT_PATH",		"CACertPath" },
	{ "confTLS_SRV_OPTIONS",	"TLSSrvOptions" },
	{ "confDH_PARAMETERS",		"DHParameters" },
	{ "confCRL",			"CRLFile" },
	{ "confCRL_PATH",		"CRLPath" },
	{ "confTLS_FALLBACK_TO_CLEAR",	"TLSFallbacktoClear" },
	{ "confDANE",			"DANE" },
	{ "confSSL_ENGINE",		"SSLEngine" },
	{ "confDOMAIN_NAME",		"Dj" },
	{ "confCLIENT_OPTIONS",		"ClientPortOptions" },
};

const char *
audit_sendmail_cf_option(const char *mc)
{
	size_t i;

	for (i = 0; i < sizeof(sm_map) / sizeof(sm_map[0]); i++)
		if (strcmp(sm_map[i].mc, mc) == 0)
			return sm_map[i].cf;
	return NULL;
}

/* Options kept from a .cf. */
static bool
sm_wanted(const char *name)
{
	static const char *const extra[] = { "DaemonPortOptions",
	    "ClientPortOptions", "Dj", "Dw", NULL };
	size_t i;

	for (i = 0; i < sizeof(sm_map) / sizeof(sm_map[0]); i++)
		if (strcasecmp(name, sm_map[i].cf) == 0)
			return true;
	for (i = 0; extra[i] != NULL; i++)
		if (strcasecmp(name, extra[i]) == 0)
			return true;
	return false;
}

static void
sm_add(struct sm *s, const char *name, const char *value, const char *origin)
{
	struct sm_opt *o;
	size_t i;

	if (s->nopt >= SM_OPTS_MAX)
		return;
	/* Canonical spelling: sendmail's option names ignore case. */
	for (i = 0; i < sizeof(sm_map) / sizeof(sm_map[0]); i++)
		if (strcasecmp(name, sm_map[i].cf) == 0)
			name = sm_map[i].cf;
	if (strcasecmp(name, "DaemonPortOptions") == 0)
		name = "DaemonPortOptions";
	if (strcasecmp(name, "ClientPortOptions") == 0)
		name = "ClientPortOptions";
	s->opt = xreallocarray(s->opt, s->nopt + 1, sizeof(*s->opt));
	o = &s->opt[s->nopt++];
	o->name = xstrdup(name);
	o->value = xstrdup(value);
	o->origin = xstrdup(origin);
}

/* The last value of an option, or NULL; an undefine() leaves value NULL
 * through a NULL entry. */
static const struct sm_opt *
sm_get(const struct sm *s, const char *name)
{
	size_t i;

	for (i = s->nopt; i > 0; i--)
		if (strcmp(s->opt[i - 1].name, name) == 0)
			return s->opt[i - 1].value[0] == '\0' &&
			    strcmp(s->opt[i - 1].origin, "undefine") == 0 ?
			    NULL : &s->opt[i - 1];
	return NULL;
}

/*
 * sendmail.cf
 */

/* One logical .cf line (continuations joined). */
static void
sm_cf_line(struct sm *s, char *t, const char *origin)
{
	if (t[0] == 'D' && (t[1] == 'j' || t[1] == 'w')) {
		char name[3] = { 'D', t[1], '\0' };

		sm_add(s, name, str_trim_space(t + 2), origin);
		return;
	}
	if (t[0] == 'O' && (t[1] == ' ' || t[1] == '\t')) {
		char *name = str_trim_space(t + 1), *eq = strchr(name, '='), *v = "";

		if (eq != NULL) {
			*eq = '\0';
			v = str_trim_space(eq + 1);
		}
		name = str_trim_space(name);
		if (sm_wanted(name))
			sm_add(s, name, v, origin);
	}
}

static void
sm_read_cf(struct sm *s, char *data, size_t len, const char *path,
    size_t first_line)
{
	struct buf *line = buf_new(SM_LINE_MAX);
	char *p, *nl, origin[PATH_MAX + 32];
	size_t lineno = first_line - 1, start = 0;

	for (p = data; p < data + len; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(data + len - p));
		if (nl == NULL)
			nl = data + len;
		*nl = '\0';
		lineno++;
		if (*p == ' ' || *p == '\t') {
			/* continuation of the line before: its leading
			 * blanks and the line break become one space */
			if (buf_len(line) > 0 && (buf_adds(line, " ") == -1 ||
			    buf_adds(line, str_trim_space(p)) == -1))
				s->cut = true;
			continue;
		}
		if (buf_len(line) > 0) {
			char *t = buf_steal(line);

			snprintf(origin, sizeof(origin), "%s:%zu", path, start);
			sm_cf_line(s, t, origin);
			free(t);
		}
		if (*p == '#' || *p == '\0')
			continue;
		start = lineno;
		if (buf_adds(line, p) == -1)
			s->cut = true;
	}
	if (buf_len(line) > 0) {
		char *t = buf_steal(line);

		snprintf(origin, sizeof(origin), "%s:%zu", path, start);
		sm_cf_line(s, t, origin);
		free(t);
	}
	buf_free(line);
}

/*
 * sendmail.mc: the m4 that matters.
 */

/* An m4 argument at *pp: `quoted' (nested quotes kept inside) or bare up
 * to ',' or ')'.  Returns it (malloc'd), *pp after it; NULL on a
 * quote that never closes. */
static char *
m4_arg(const char **pp)
{
	const char *p = *pp;
	struct buf *b = buf_new(SM_LINE_MAX);
	char *r;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	for (;;) {
		if (*p == '`') {
			int depth = 1;

			p++;
			/* Inner quotes are kept by m4 here and removed
			 * when proto.m4 expands the value: drop them. */
			while (*p != '\0' && depth > 0) {
				if (*p == '`')
					depth++;
				else if (*p == '\'' && --depth == 0)
					break;
				if (*p != '`' && *p != '\'')
					buf_add(b, p, 1);
				p++;
			}
			if (*p == '\0') {
				buf_free(b);
				return NULL;
			}
			p++;
			continue;
		}
		/* a bare argument ends at a line's end too: m4 would
		 * read on, but no option this reader wants is written
		 * so, and it keeps a hostile file linear */
		if (*p == '\0' || *p == ',' || *p == ')' || *p == '\n' ||
		    *p == '(')
			break;
		buf_add(b, p, 1);
		p++;
	}
	*pp = p;
	r = buf_steal(b);
	buf_free(b);
	return r;
}

/* Arguments of a macro call whose '(' is at *pp; at most max.  Returns
 * the count, -1 on a malformed call, -2 on a quote still open at the
 * end of the file (m4 stops there too); *pp after the ')'. */
static int
m4_args(const char **pp, char **args, int max)
{
	const char *p = *pp + 1;
	int n = 0;

	for (;;) {
		char *a = m4_arg(&p);

		if (a == NULL) {
			while (n > 0)
				free(args[--n]);
			return -2;
		}
		if (n < max)
			args[n++] = a;
		else
			free(a);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == ')') {
			*pp = p + 1;
			return n;
		}
		goto bad;
	}
bad:
	while (n > 0)
		free(args[--n]);
	return -1;
}

static void sm_read_mc(struct sm *s, const char *path);

/* Port 25 daemons and the client: "Name=MTA, Port=smtp, M=Ea". */
static void
sm_mc_call(struct sm *s, const char *name, char **args, int n,
    const char *origin, const char *path)
{
	char org[PATH_MAX + 64];
	size_t i;

	if (strcmp(name, "define") == 0 && n >= 1) {
		for (i = 0; i < sizeof(sm_map) / sizeof(sm_map[0]); i++)
			if (strcmp(args[0], sm_map[i].mc) == 0) {
				snprintf(org, sizeof(org), "%s %s", origin,
				    args[0]);
				sm_add(s, sm_map[i].cf, n >= 2 ? args[1] : "",
				    org);
			}
	} else if (strcmp(name, "undefine") == 0 && n >= 1) {
		for (i = 0; i < sizeof(sm_map) / sizeof(sm_map[0]); i++)
			if (strcmp(args[0], sm_map[i].mc) == 0)
				sm_add(s, sm_map[i].cf, "", "undefine");
	} else if (strcmp(name, "DAEMON_OPTIONS") == 0 && n >= 1) {
		snprintf(org, sizeof(org), "%s DAEMON_OPTIONS", origin);
		sm_add(s, "DaemonPortOptions", args[0], org);
	} else if (strcmp(name, "CLIENT_OPTIONS") == 0 && n >= 1) {
		snprintf(org, sizeof(org), "%s CLIENT_OPTIONS", origin);
		sm_add(s, "ClientPortOptions", args[0], org);
	} else if ((strcmp(name, "include") == 0 ||
	    strcmp(name, "sinclude") == 0) && n >= 1) {
		const char *f = args[0], *base = strrchr(f, '/');
		char full[PATH_MAX];

		/* The m4 library (cf.m4, proto.m4...) holds no site
		 * settings. */
		if (strstr(f, "/cf/m4/") != NULL || (base != NULL &&
		    strcmp(base, "/cf.m4") == 0) || strcmp(f, "cf.m4") == 0)
			return;
		if (*f != '/') {
			const char *slash = strrchr(path, '/');

			snprintf(full, sizeof(full), "%.*s%s", slash ?
			    (int)(slash - path + 1) : 0, path, f);
			f = full;
		}
		sm_read_mc(s, f);
	}
}

/* Macro calls that matter, in order; dnl comments skipped; after
 * LOCAL_CONFIG, lines are sendmail.cf text. */
static void
sm_scan_mc(struct sm *s, char *data, size_t len, const char *path)
{
	static const char *const calls[] = { "define", "undefine",
	    "DAEMON_OPTIONS", "CLIENT_OPTIONS", "include", "sinclude", NULL };
	const char *p = data, *lstart = data;
	char origin[PATH_MAX + 32];
	size_t lineno = 1, i;

	while (p < data + len && *p != '\0') {
		if (*p == '\n') {
			lineno++;
			lstart = ++p;
			continue;
		}
		/* "dnl" and "#" comments run to the end of the line */
		if ((strncmp(p, "dnl", 3) == 0 && !isalnum((unsigned char)p[3]) &&
		    p[3] != '_' && (p == data || !isalnum((unsigned char)p[-1]))) ||
		    (*p == '#' && p == lstart)) {
			p += strcspn(p, "\n");
			continue;
		}
		if (strncmp(p, "LOCAL_CONFIG", 12) == 0 && p == lstart) {
			const char *rest = p + strcspn(p, "\n");

			if (*rest == '\n')
				rest++;
			/* Up to the next LOCAL_* or MAILER line. */
			sm_read_cf(s, (char *)rest, strlen(rest), path,
			    lineno + 1);
			return;
		}
		if (!isalpha((unsigned char)*p) || (p > data &&
		    (isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			p++;
			continue;
		}
		for (i = 0; calls[i] != NULL; i++) {
			size_t n = strlen(calls[i]);

			if (strncmp(p, calls[i], n) == 0 && p[n] == '(')
				break;
		}
		if (calls[i] == NULL) {
			while (isalnum((unsigned char)*p) || *p == '_')
				p++;
			continue;
		} else {
			char *args[4];
			const char *q = p + strlen(calls[i]);
			size_t lines_in = 0;
			int n, k;

			snprintf(origin, sizeof(origin), "%s:%zu", path, lineno);
			n = m4_args(&q, args, 4);
			if (n == -2) {
				audit_setting_add(s->a, "audit.note", "a quote "
				    "opened here is never closed: the rest of "
				    "the file is not read (m4 fails on it too)",
				    origin);
				return;
			}
			if (n < 0) {
				p += strlen(calls[i]);
				continue;
			}
			for (const char *c = p; c < q; c++)
				if (*c == '\n')
					lines_in++;
			sm_mc_call(s, calls[i], args, n, origin, path);
			for (k = 0; k < n; k++)
				free(args[k]);
			lineno += lines_in;
			p = q;
		}
	}
}

static void
sm_read_mc(struct sm *s, const char *path)
{
	char *data, why[256], ev[PATH_MAX + 300];
	size_t len;

	if (s->depth >= SM_DEPTH_MAX) {
		snprintf(ev, sizeof(ev), "include(%.300s)", path);
		report_add_finding(s->r, "config.invalid", SEV_ERROR, "server",
		    NULL, 0, ev, NULL, "sendmail.mc includes nested deeper "
		    "than mxdoctor follows (4), or including themselves");
		return;
	}
	if (audit_read_text(path, &data, &len, why, sizeof(why)) == -1) {
		audit_setting_add(s->a, "audit.note", why, path);
		return;
	}
	s->depth++;
	sm_scan_mc(s, data, len, path);
	s->depth--;
	free(data);
}

/*
 * SSL options.
 */

/* The names Sendmail 8.17.1.9 (Debian 12) accepts, checked against the
 * binary: readcf.c SSL_Option[] and the newer SSL_OP_NO_TLSv1_3 and
 * friends.  It rejects SSL_OP_IGNORE_UNEXPECTED_EOF,
 * SSL_OP_SAFARI_ECDHE_ECDSA_BUG, SSL_OP_NO_EXTENDED_MASTER_SECRET,
 * SSL_OP_CLEANSE_PLAINTEXT and SSL_OP_ENABLE_KTLS. */
static const struct {
	const char	*name;
	uint64_t	 bits;
} sm_ssl_names[] = {
	{ "SSL_OP_MICROSOFT_SESS_ID_BUG", 0 },
	{ "SSL_OP_NETSCAPE_CHALLENGE_BUG", 0 },
	{ "SSL_OP_LEGACY_SERVER_CONNECT", SSL_OP_LEGACY_SERVER_CONNECT },
	{ "SSL_OP_NETSCAPE_REUSE_CIPHER_CHANGE_BUG", 0 },
	{ "SSL_OP_SSLREF2_REUSE_CERT_TYPE_BUG", 0 },
	{ "SSL_OP_MICROSOFT_BIG_SSLV3_BUFFER", 0 },
	{ "SSL_OP_MSIE_SSLV2_RSA_PADDING", 0 },
	{ "SSL_OP_SSLEAY_080_CLIENT_DH_BUG", 0 },
	{ "SSL_OP_TLS_D5_BUG", 0 },
	{ "SSL_OP_TLS_BLOCK_PADDING_BUG", 0 },
	{ "SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS", SSL_OP_DONT_INSERT_EMPTY_FRAGMENTS },
	{ "SSL_OP_ALL", SSL_OP_ALL },
	{ "SSL_OP_NO_QUERY_MTU", SSL_OP_NO_QUERY_MTU },
	{ "SSL_OP_COOKIE_EXCHANGE", SSL_OP_COOKIE_EXCHANGE },
	{ "SSL_OP_NO_TICKET", SSL_OP_NO_TICKET },
	{ "SSL_OP_CISCO_ANYCONNECT", SSL_OP_CISCO_ANYCONNECT },
	{ "SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION", SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION },
	{ "SSL_OP_NO_COMPRESSION", SSL_OP_NO_COMPRESSION },
	{ "SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION", SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION },
	{ "SSL_OP_SINGLE_ECDH_USE", 0 },
	{ "SSL_OP_SINGLE_DH_USE", 0 },
	{ "SSL_OP_EPHEMERAL_RSA", 0 },
	{ "SSL_OP_CIPHER_SERVER_PREFERENCE", SSL_OP_CIPHER_SERVER_PREFERENCE },
	{ "SSL_OP_TLS_ROLLBACK_BUG", SSL_OP_TLS_ROLLBACK_BUG },
	{ "SSL_OP_NO_SSLv2", 0 },
	{ "SSL_OP_NO_SSLv3", SSL_OP_NO_SSLv3 },
	{ "SSL_OP_NO_TLSv1", SSL_OP_NO_TLSv1 },
	{ "SSL_OP_NO_TLSv1_2", SSL_OP_NO_TLSv1_2 },
	{ "SSL_OP_NO_TLSv1_1", SSL_OP_NO_TLSv1_1 },
	{ "SSL_OP_NO_TLSv1_3", SSL_OP_NO_TLSv1_3 },
	{ "SSL_OP_PKCS1_CHECK_1", 0 },
	{ "SSL_OP_PKCS1_CHECK_2", 0 },
	{ "SSL_OP_NETSCAPE_CA_DN_BUG", 0 },
	{ "SSL_OP_NETSCAPE_DEMO_CIPHER_CHANGE_BUG", 0 },
	{ "SSL_OP_CRYPTOPRO_TLSEXT_BUG", SSL_OP_CRYPTOPRO_TLSEXT_BUG },
	{ "SSL_OP_TLSEXT_PADDING", SSL_OP_TLSEXT_PADDING },
	{ "SSL_OP_NO_RENEGOTIATION", SSL_OP_NO_RENEGOTIATION },
	{ "SSL_OP_PRIORITIZE_CHACHA", SSL_OP_PRIORITIZE_CHACHA },
	{ "SSL_OP_NO_ENCRYPT_THEN_MAC", SSL_OP_NO_ENCRYPT_THEN_MAC },
	{ "SSL_OP_ENABLE_MIDDLEBOX_COMPAT", SSL_OP_ENABLE_MIDDLEBOX_COMPAT },
	{ "SSL_OP_NO_ANTI_REPLAY", SSL_OP_NO_ANTI_REPLAY },
	{ "SSL_OP_ALLOW_NO_DHE_KEX", SSL_OP_ALLOW_NO_DHE_KEX },
};

/* readcf.c readssloptions(): words separated by blanks or commas, each
 * an optional + or - and a name (any case) or a number (strtoul base
 * 0).  Unknown names are skipped (sendmail logs them); the first is
 * copied to bad and -1 returned. */
static int
sm_ssl_apply(const char *spec, uint64_t *bits, char *bad, size_t badsize)
{
	const char *p = spec;
	int rc = 0;

	while (*p != '\0') {
		char word[80];
		uint64_t v = 0;
		bool clear = false;
		size_t n, i;

		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '+' || *p == '-')
			clear = *p++ == '-';
		n = strcspn(p, " \t,");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		p += n;
		if (isdigit((unsigned char)word[0])) {
			char *end;

			v = strtoull(word, &end, 0);
			if (end == word)
				v = 0;
		} else {
			for (i = 0; i < sizeof(sm_ssl_names) /
			    sizeof(sm_ssl_names[0]); i++)
				if (strcasecmp(word, sm_ssl_names[i].name) == 0)
					break;
			if (i == sizeof(sm_ssl_names) / sizeof(sm_ssl_names[0])) {
				if (rc == 0)
					snprintf(bad, badsize, "%s", word);
				rc = -1;
				continue;
			}
			v = sm_ssl_names[i].bits;
		}
		if (clear)
			*bits &= ~v;
		else
			*bits |= v;
	}
	return rc;
}

/* Whether sendmail's own readcf errors already name it. */
static bool
sm_program_said(const struct sm *s, const char *what)
{
	size_t i;

	for (i = 0; i < s->readcf.n; i++)
		if (strstr(s->readcf.v[i], what) != NULL)
			return true;
	return false;
}



static char *
sm_describe(const struct sm_opt *o, const char *name, const char *dflt)
{
	if (o == NULL)
		return xasprintf("%s unset: %s", name, dflt);
	return xasprintf("%s=%s (%s)", o->name, o->value, o->origin);
}

/* "Name=MTA, Port=smtp, M=Ea" -> whether modifier S ("no STARTTLS")
 * is set, and whether the entry is a port-25 listener. */
static void
sm_port_options(const char *v, bool *no_tls, bool *port25)
{
	char *copy = xstrdup(v), *w, *save = NULL;

	*no_tls = false;
	*port25 = true;		/* Port defaults to smtp */
	for (w = strtok_r(copy, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '='), *k, *val;

		if (eq == NULL)
			continue;
		*eq = '\0';
		k = str_trim_space(w);
		val = str_trim_space(eq + 1);
		if (strcasecmp(k, "M") == 0 || strcasecmp(k, "Modifiers") == 0 ||
		    strcasecmp(k, "Modifier") == 0)
			*no_tls = strchr(val, 'S') != NULL;
		else if (strcasecmp(k, "Port") == 0 || strcasecmp(k, "P") == 0)
			*port25 = strcmp(val, "smtp") == 0 ||
			    strcmp(val, "25") == 0;
	}
	free(copy);
}

static void
sm_side_tls(struct sm *s, struct audit_side *side, bool server,
    unsigned libmask)
{
	const char *host = server ? "server" : "client";
	const struct sm_opt *opts = sm_get(s, server ? "ServerSSLOptions" :
	    "ClientSSLOptions");
	const struct sm_opt *cl = sm_get(s, "CipherList");
	uint64_t bits = server ? SSL_OP_ALL : SSL_OP_ALL | SSL_OP_NO_TICKET;
	uint16_t v[SM_SUITES_MAX], v13[SM_SUITES_MAX];
	char bad[80], ev[1024], *d;
	int n, n13;

	d = sm_describe(opts, server ? "ServerSSLOptions" : "ClientSSLOptions",
	    server ? "readcf.c default SSL_OP_ALL" :
	    "readcf.c default SSL_OP_ALL +SSL_OP_NO_SSLv2 +SSL_OP_NO_TICKET");
	if (opts != NULL && sm_ssl_apply(opts->value, &bits, bad,
	    sizeof(bad)) == -1 && !sm_program_said(s, bad)) {
		snprintf(ev, sizeof(ev), "%s: %s", d, bad);
		report_add_finding(s->r, "config.invalid", SEV_ERROR, host,
		    NULL, 0, ev, NULL, "Sendmail does not know the SSL option "
		    "%s and ignores it", bad);
	}
	side->versions_known = true;
	side->versions = audit_openssl_op_versions(bits, libmask);
	side->versions_from = xasprintf("%s -> OpenSSL", d);
	side->server_order = server &&
	    (bits & SSL_OP_CIPHER_SERVER_PREFERENCE) != 0;
	free(d);

	d = sm_describe(cl, "CipherList", "the OpenSSL library's default list");
	n = audit_openssl_suites(cl != NULL ? cl->value : "", v, SM_SUITES_MAX);
	n13 = audit_openssl_suites13(NULL, v13, SM_SUITES_MAX);
	if (n <= 0) {
		snprintf(ev, sizeof(ev), "%s", d);
		report_add_finding(s->r, "config.invalid", SEV_ERROR, host,
		    NULL, 0, ev, NULL, "OpenSSL selects no cipher suite from "
		    "Sendmail's CipherList: STARTTLS with TLS 1.2 and older "
		    "fails");
		n = 0;
	}
	side->suites_known = true;
	audit_side_set_suites(side, v, (size_t)n, v13, n13 > 0 ? (size_t)n13 : 0);
	side->suites_from = xasprintf("%s (TLS 1.3: the library's default "
	    "suites)", d);
	free(d);
}

static void
sm_certs(struct sm *s, struct audit_side *side, const char *cname,
    const char *kname)
{
	const struct sm_opt *c = sm_get(s, cname), *k = sm_get(s, kname);
	char *cl, *kl, *cw, *kw, *cs = NULL, *ks = NULL, *from;
	int i;

	if (c == NULL || *c->value == '\0')
		return;
	from = k != NULL ? xasprintf("%s (%s), %s (%s)", c->name, c->origin,
	    k->name, k->origin) : xasprintf("%s (%s)", c->name, c->origin);
	cl = xstrdup(c->value);
	kl = xstrdup(k != NULL ? k->value : c->value);
	/* A second pair after a comma (RSA and ECDSA, Sendmail 8.15+). */
	for (i = 0, cw = strtok_r(cl, ",", &cs), kw = strtok_r(kl, ",", &ks);
	    cw != NULL && i < 2; i++, cw = strtok_r(NULL, ",", &cs),
	    kw = kw ? strtok_r(NULL, ",", &ks) : NULL) {
		if (strchr(cw, '$') != NULL)
			continue;	/* a sendmail macro: not evaluated */
		audit_side_add_cert(side, kw != NULL ? str_trim_space(kw) : str_trim_space(cw),
		    str_trim_space(cw), from);
	}
	free(cl);
	free(kl);
	free(from);
}

/*
 * The program.
 */

struct sm_prog {
	char	*version;	/* "8.17.1.9" */
	char	*openssl;	/* "OpenSSL 3.0.22" */
	char	*hostname;	/* $j */
	int	 starttls;	/* -1 unknown, 0 no, 1 yes */
};

/* OPENSSL_VERSION_NUMBER as sendmail prints it. */
static char *
sm_openssl_name(unsigned long v)
{
	unsigned maj = (unsigned)(v >> 28) & 0xf, min = (unsigned)(v >> 20) & 0xff;
	unsigned fix = (unsigned)(v >> 12) & 0xff, patch = (unsigned)(v >> 4) & 0xff;

	if (maj >= 3)
		return xasprintf("OpenSSL %u.%u.%u", maj, min, patch);
	if (patch > 0 && patch <= 26)
		return xasprintf("OpenSSL %u.%u.%u%c", maj, min, fix,
		    'a' + patch - 1);
	return xasprintf("OpenSSL %u.%u.%u", maj, min, fix);
}

static void
sm_parse_out(struct sm *s, char *out, struct sm_prog *pr)
{
	char *line, *save = NULL;
	bool compiled = false;

	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *t = str_trim_space(line), *p;

		if (strncmp(t, "Version ", 8) == 0 && pr->version == NULL &&
		    isdigit((unsigned char)t[8]))
			pr->version = xstrndup(t + 8, strcspn(t + 8, " "));
		else if (strncmp(t, "Compiled with:", 14) == 0)
			compiled = true;
		else if (compiled && (strchr(line, ':') == NULL ||
		    line[0] == '\t')) {
			/* the "Compiled with:" list goes on */
		} else
			compiled = false;
		if (compiled && pr->starttls != 1)
			pr->starttls = strstr(t, "STARTTLS") != NULL ? 1 : 0;
		if ((p = strstr(t, "OpenSSL: linked")) != NULL) {
			unsigned long v = strtoul(p + 15, NULL, 16);

			free(pr->openssl);
			pr->openssl = sm_openssl_name(v);
		}
		if ((p = strstr(t, "(canonical domain name) $j = ")) != NULL) {
			free(pr->hostname);
			pr->hostname = xstrdup(str_trim_space(p + 29));
		}
		if (strstr(t, "readcf: ") != NULL) {
			char ev[1024];

			snprintf(ev, sizeof(ev), "sendmail -bt: %.900s", t);
			strvec_add(&s->readcf, t);
			report_add_finding(s->r, "config.invalid", SEV_ERROR,
			    "server", NULL, 0, ev, NULL, "Sendmail reports an "
			    "error in its configuration");
		}
	}
}

static int
sm_program(const struct audit_opts *o, const char *cf, struct sm_prog *pr,
    struct sm *s, char **err)
{
	/* Debian 12 (/usr/libexec/sendmail), older Debian, the usual
	 * alternatives name, then PATH: /usr/sbin/sendmail is often
	 * Postfix's or Exim's, which the output tells apart. */
	static const char *const names[] = { "/usr/libexec/sendmail/sendmail",
	    "/usr/lib/sm.bin/sendmail", "/usr/sbin/sendmail.sendmail",
	    "sendmail", NULL };
	const char *argv[6], *perr = NULL;
	char *prog, *out = NULL;
	size_t len;
	int n = 0, trunc, st;

	if (o->program != NULL) {
		const char *one[] = { o->program, NULL };

		if ((prog = proc_find(one)) == NULL) {
			*err = xasprintf("%s: not an executable program",
			    o->program);
			return -1;
		}
	} else if ((prog = proc_find(names)) == NULL)
		return 1;
	argv[n++] = prog;
	argv[n++] = "-d0.15";
	argv[n++] = "-bt";
	if (cf != NULL) {
		argv[n++] = "-C";
		argv[n++] = cf;
	}
	argv[n] = NULL;
	st = proc_run(argv, SM_RUN_MS, SM_RUN_OUT, 1, &out, &len, &trunc,
	    &perr);
	(void)st;
	if (out == NULL || strstr(out, "Compiled with:") == NULL) {
		if (o->program != NULL) {
			*err = xasprintf("%s -d0.15 -bt: %s", prog, perr ?
			    perr : "not Sendmail's answer");
			free(out);
			free(prog);
			return -1;
		}
		audit_setting_add(s->a, "audit.note", "not Sendmail (Postfix "
		    "or Exim compatibility program?), not used", prog);
		free(out);
		free(prog);
		return 1;
	}
	sm_parse_out(s, out, pr);
	free(out);
	free(s->a->source);
	s->a->source = xasprintf("%s -d0.15 -bt", prog);
	free(prog);
	return 0;
}

static bool
sm_is_mc(const char *path)
{
	size_t n = strlen(path);

	return n > 3 && strcmp(path + n - 3, ".mc") == 0;
}

static void
sm_settings(struct sm *s)
{
	size_t i;

	for (i = 0; i < s->nopt; i++)
		if (strcmp(s->opt[i].origin, "undefine") != 0)
			audit_setting_add(s->a, s->opt[i].name, s->opt[i].value,
			    s->opt[i].origin);
}

static void
sm_server(struct sm *s, const struct sm_prog *pr, unsigned libmask)
{
	struct audit_side *side = &s->a->server;
	const struct sm_opt *c = sm_get(s, "ServerCertFile");
	const struct sm_opt *k = sm_get(s, "ServerKeyFile");
	size_t i, n25 = 0, nots = 0;
	char *d1, *d2;

	side->present = true;
	for (i = 0; i < s->nopt; i++) {
		bool no_tls, p25;

		if (strcmp(s->opt[i].name, "DaemonPortOptions") != 0)
			continue;
		sm_port_options(s->opt[i].value, &no_tls, &p25);
		if (p25) {
			n25++;
			nots += no_tls;
		}
	}
	d1 = sm_describe(c, "ServerCertFile", "no server certificate");
	d2 = sm_describe(k, "ServerKeyFile", "no server key");
	if (pr->starttls == 0) {
		side->use = AUDIT_TLS_OFF;
		side->use_from = xstrdup("sendmail is built without STARTTLS "
		    "(\"Compiled with:\" lacks it)");
	} else if (c == NULL || k == NULL || *c->value == '\0' ||
	    *k->value == '\0') {
		side->use = AUDIT_TLS_OFF;
		side->use_from = xasprintf("%s; %s: Sendmail offers STARTTLS "
		    "only with both", d1, d2);
	} else if (n25 > 0 && nots == n25) {
		side->use = AUDIT_TLS_OFF;
		side->use_from = xstrdup("every port-25 DaemonPortOptions has "
		    "modifier S (no STARTTLS)");
	} else {
		side->use = AUDIT_TLS_OPPORTUNISTIC;
		side->use_from = xasprintf("%s; %s%s", d1, d2,
		    pr->starttls == -1 ? " (STARTTLS compiled in: not "
		    "checked, no program asked)" : "");
	}
	free(d1);
	free(d2);
	sm_side_tls(s, side, true, libmask);
	sm_certs(s, side, "ServerCertFile", "ServerKeyFile");
	if ((c = sm_get(s, "CACertFile")) != NULL && *c->value != '\0' &&
	    strchr(c->value, '$') == NULL)
		side->ca_file = xstrdup(c->value);
}

static void
sm_client(struct sm *s, const struct sm_prog *pr, unsigned libmask)
{
	struct audit_side *side = &s->a->client;
	const struct sm_opt *cpo = sm_get(s, "ClientPortOptions");
	const struct sm_opt *fb = sm_get(s, "TLSFallbacktoClear");
	bool no_tls = false, p25;

	side->present = true;
	if (cpo != NULL)
		sm_port_options(cpo->value, &no_tls, &p25);
	if (pr->starttls == 0) {
		side->use = AUDIT_TLS_OFF;
		side->use_from = xstrdup("sendmail is built without STARTTLS");
	} else if (no_tls) {
		side->use = AUDIT_TLS_OFF;
		side->use_from = sm_describe(cpo, "", "");
	} else {
		side->use = AUDIT_TLS_OPPORTUNISTIC;
		side->use_from = xasprintf("STARTTLS when the server offers it "
		    "(Sendmail's default; access map Try_TLS:/TLS_Srv: rules "
		    "not read)%s", fb != NULL && strcasecmp(fb->value,
		    "true") == 0 ? "; TLSFallbacktoClear=true: retried "
		    "without TLS after a failed handshake" : "");
	}
	sm_side_tls(s, side, false, libmask);
	sm_certs(s, side, "ClientCertFile", "ClientKeyFile");
}

static void
sm_free(struct sm *s)
{
	size_t i;

	for (i = 0; i < s->nopt; i++) {
		free(s->opt[i].name);
		free(s->opt[i].value);
		free(s->opt[i].origin);
	}
	free(s->opt);
	strvec_clear(&s->readcf);
}

int
audit_read_sendmail(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err)
{
	struct sm s;
	struct sm_prog pr;
	const char *path = o->config != NULL ? o->config :
	    "/etc/mail/sendmail.cf";
	const struct sm_opt *dj;
	char why[256], *data;
	size_t len;
	unsigned libmask;
	bool mc = sm_is_mc(path);

	memset(&s, 0, sizeof(s));
	memset(&pr, 0, sizeof(pr));
	pr.starttls = -1;
	*err = NULL;
	s.a = a;
	s.r = r;
	if (audit_read_text(path, &data, &len, why, sizeof(why)) == -1) {
		*err = xasprintf("%s: %s", path, why);
		return -1;
	}
	if (!o->no_program && sm_program(o, mc ? NULL : o->config, &pr, &s,
	    err) == -1) {
		free(data);
		return -1;
	}
	if (a->source == NULL)
		a->source = xstrdup(path);
	else {
		char *src = xasprintf("%s; %s", path, a->source);

		free(a->source);
		a->source = src;
	}
	if (mc) {
		s.depth = 1;
		sm_scan_mc(&s, data, len, path);
	} else
		sm_read_cf(&s, data, len, path, 1);
	free(data);
	if (s.cut)
		audit_setting_add(a, "audit.note", "lines longer than 64 KiB "
		    "were cut", path);

	a->mta_version = pr.version;
	if (pr.openssl != NULL) {
		a->tls_library = pr.openssl;
		a->tls_library_from = xstrdup("sendmail -d0.15 (\"OpenSSL: "
		    "linked\")");
	} else {
		a->tls_library = xasprintf("%s (assumed: the one mxdoctor "
		    "links)", OpenSSL_version(OPENSSL_VERSION));
		a->tls_library_from = xstrdup("assumed: Sendmail links "
		    "OpenSSL; the version was not asked of the program");
	}
	audit_setting_add(a, "tls_library", "openssl", a->tls_library_from);
	sm_settings(&s);
	libmask = audit_openssl_versions();
	sm_server(&s, &pr, libmask);
	sm_client(&s, &pr, libmask);

	dj = sm_get(&s, "Dj");
	if (o->hostname != NULL)
		a->hostname = xstrdup(o->hostname);
	else if (dj != NULL && *dj->value != '\0' &&
	    strchr(dj->value, '$') == NULL)
		a->hostname = xstrdup(dj->value);
	else if (pr.hostname != NULL)
		a->hostname = xstrdup(pr.hostname);
	free(pr.hostname);
	sm_free(&s);
	return 0;
}
