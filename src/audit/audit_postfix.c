/* audit_postfix: Postfix's effective TLS settings (postconf, or main.cf read directly) into the audit model. */
#include "audit/audit.h"
#include "tls/suites.h"
#include "util/buf.h"
#include "util/proc.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <openssl/opensslconf.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/*
 * Where the values come from, best first:
 *  1. `postconf -c DIR -x` (every parameter, defaults included, $names
 *     expanded), `postconf -n` (which ones main.cf sets), `postconf -P -x`
 *     (master.cf -o overrides per service) and `postconf -M` (services):
 *     Postfix's own reading, so there is nothing to get wrong;
 *  2. with --no-program, or no postconf on this machine: DIR/main.cf read
 *     here, over the defaults of Postfix 3.6-3.9 (below), $names expanded
 *     here; master.cf is then not read (said in the source line).
 *
 * Which values apply (Postfix src/smtp/smtp_tls_policy.c and
 * src/smtpd/smtpd.c): at security level "may" the client uses
 * smtp_tls_protocols, smtp_tls_ciphers and smtp_tls_exclude_ciphers; at
 * the mandatory levels (encrypt, fingerprint, verify, secure, dane-only)
 * smtp_tls_mandatory_protocols, smtp_tls_mandatory_ciphers and both
 * exclusion lists.  The server likewise with smtpd_* at "may" and
 * "encrypt".  A grade (high, medium, low, export, null) names the
 * tls_<grade>_cipherlist; each exclusion is appended as ":!X".
 */

#define PF_OUT_MAX	(4 * 1024 * 1024)
#define PF_TIMEOUT_MS	20000
#define PF_LINE_MAX	(64 * 1024)
#define PF_EXPAND_DEPTH	16
#define PF_SUITES_MAX	512

struct pf_param {
	char	*name;
	char	*value;
	char	*origin;
};

struct pf {
	struct pf_param	*p;
	size_t		 n;
	struct pf_param	*over;		/* master.cf: name is "service/type/param" */
	size_t		 nover;
	char		*dir;
	bool		 from_postconf;
	struct report	*r;
};

/* Defaults of Postfix 3.6-3.9 (postconf -d), for main.cf read without
 * postconf.  Only what the audit looks at. */
static const char *const pf_defaults[][2] = {
	{ "smtp_tls_security_level", "" },
	{ "smtpd_tls_security_level", "" },
	{ "smtp_use_tls", "no" },
	{ "smtp_enforce_tls", "no" },
	{ "smtpd_use_tls", "no" },
	{ "smtpd_enforce_tls", "no" },
	{ "smtp_tls_protocols", ">=TLSv1" },
	{ "smtp_tls_mandatory_protocols", ">=TLSv1" },
	{ "smtpd_tls_protocols", ">=TLSv1" },
	{ "smtpd_tls_mandatory_protocols", ">=TLSv1" },
	{ "smtp_tls_ciphers", "medium" },
	{ "smtp_tls_mandatory_ciphers", "medium" },
	{ "smtpd_tls_ciphers", "medium" },
	{ "smtpd_tls_mandatory_ciphers", "medium" },
	{ "smtp_tls_exclude_ciphers", "" },
	{ "smtp_tls_mandatory_exclude_ciphers", "" },
	{ "smtpd_tls_exclude_ciphers", "" },
	{ "smtpd_tls_mandatory_exclude_ciphers", "" },
	{ "tls_high_cipherlist", "aNULL:-aNULL:HIGH:@STRENGTH" },
	{ "tls_medium_cipherlist", "aNULL:-aNULL:HIGH:MEDIUM:+RC4:@STRENGTH" },
	{ "tls_low_cipherlist", "aNULL:-aNULL:HIGH:MEDIUM:LOW:+RC4:@STRENGTH" },
	{ "tls_export_cipherlist", "aNULL:-aNULL:HIGH:MEDIUM:LOW:EXPORT:+RC4:@STRENGTH" },
	{ "tls_null_cipherlist", "eNULL:!aNULL" },
	{ "tls_preempt_cipherlist", "no" },
	{ "smtp_tls_servername", "" },
	{ "smtpd_tls_cert_file", "" },
	{ "smtpd_tls_key_file", "$smtpd_tls_cert_file" },
	{ "smtpd_tls_eccert_file", "" },
	{ "smtpd_tls_eckey_file", "$smtpd_tls_eccert_file" },
	{ "smtpd_tls_dcert_file", "" },
	{ "smtpd_tls_dkey_file", "$smtpd_tls_dcert_file" },
	{ "smtpd_tls_chain_files", "" },
	{ "smtpd_tls_CAfile", "" },
	{ "tls_server_sni_maps", "" },
	{ "smtp_tls_policy_maps", "" },
	{ "smtpd_tls_wrappermode", "no" },
	{ "myhostname", "" },
	{ "daemon_directory", "/usr/lib/postfix/sbin" },
	{ "default_transport", "smtp" },
	{ "relay_transport", "relay" },
};

/* The TLS parameters recorded as settings (besides anything main.cf
 * sets with "tls" in its name). */
static const char *const pf_recorded[] = {
	"mail_version", "myhostname", "smtp_tls_security_level",
	"smtp_use_tls", "smtp_enforce_tls", "smtp_tls_protocols",
	"smtp_tls_mandatory_protocols", "smtp_tls_ciphers",
	"smtp_tls_mandatory_ciphers", "smtp_tls_exclude_ciphers",
	"smtp_tls_mandatory_exclude_ciphers", "smtp_tls_servername",
	"smtp_tls_policy_maps", "smtpd_tls_security_level", "smtpd_use_tls",
	"smtpd_enforce_tls", "smtpd_tls_protocols",
	"smtpd_tls_mandatory_protocols", "smtpd_tls_ciphers",
	"smtpd_tls_mandatory_ciphers", "smtpd_tls_exclude_ciphers",
	"smtpd_tls_mandatory_exclude_ciphers", "smtpd_tls_chain_files",
	"smtpd_tls_cert_file", "smtpd_tls_key_file", "smtpd_tls_eccert_file",
	"smtpd_tls_eckey_file", "smtpd_tls_dcert_file", "smtpd_tls_dkey_file",
	"smtpd_tls_CAfile", "tls_server_sni_maps", "tls_preempt_cipherlist",
	"tls_high_cipherlist", "tls_medium_cipherlist", "tls_null_cipherlist",
	"tls_low_cipherlist", "tls_export_cipherlist", "tls_ssl_options",
	"smtpd_tls_wrappermode", "smtp_tls_wrappermode",
};

static void
pf_set(struct pf_param **arr, size_t *n, const char *name, const char *value,
    const char *origin)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*arr)[i].name, name) == 0) {
			free((*arr)[i].value);
			free((*arr)[i].origin);
			(*arr)[i].value = xstrdup(value);
			(*arr)[i].origin = xstrdup(origin);
			return;
		}
	if (*n >= AUDIT_SETTINGS_MAX * 2)
		return;
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[*n].name = xstrdup(name);
	(*arr)[*n].value = xstrdup(value);
	(*arr)[*n].origin = xstrdup(origin);
	(*n)++;
}

static const struct pf_param *
pf_find(const struct pf_param *arr, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(arr[i].name, name) == 0)
			return &arr[i];
	return NULL;
}

static void
pf_free(struct pf *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		free(pf->p[i].name);
		free(pf->p[i].value);
		free(pf->p[i].origin);
	}
	for (i = 0; i < pf->nover; i++) {
		free(pf->over[i].name);
		free(pf->over[i].value);
		free(pf->over[i].origin);
	}
	free(pf->p);
	free(pf->over);
	free(pf->dir);
}

/* "name = value" (value may be empty); blanks around '=' trimmed.
 * Returns false for anything else. */
static bool
split_assign(char *line, char **name, char **value)
{
	char *eq = strchr(line, '='), *e;

	if (eq == NULL || eq == line)
		return false;
	for (e = eq; e > line && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	*name = line;
	for (e = eq + 1; *e == ' ' || *e == '\t'; e++)
		;
	*value = e;
	for (e = *value + strlen(*value); e > *value &&
	    isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	return **name != '\0' && strspn(*name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./-:[]") ==
	    strlen(*name);
}

/* Calls fn on every line of text (NUL bytes end a line too). */
static void
each_line(char *text, size_t len, void (*fn)(struct pf *, char *, void *),
    struct pf *pf, void *arg)
{
	size_t i, start = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n' && text[i] != '\0')
			continue;
		text[i] = '\0';
		if (i - start < PF_LINE_MAX)
			fn(pf, text + start, arg);
		start = i + 1;
	}
}

static void
line_param(struct pf *pf, char *line, void *arg)
{
	char *name, *value;

	if (split_assign(line, &name, &value))
		pf_set(&pf->p, &pf->n, name, value, arg);
}

static void
line_explicit(struct pf *pf, char *line, void *arg)
{
	char *name, *value;
	size_t i;

	(void)arg;
	if (!split_assign(line, &name, &value))
		return;
	for (i = 0; i < pf->n; i++)
		if (strcmp(pf->p[i].name, name) == 0) {
			free(pf->p[i].origin);
			pf->p[i].origin = xstrdup("main.cf");
		}
}

static void
line_override(struct pf *pf, char *line, void *arg)
{
	char *name, *value, origin[256];
	const char *slash;

	(void)arg;
	if (!split_assign(line, &name, &value))
		return;
	/* service/type/param; the service may itself hold a colon
	 * (127.0.0.1:smtp) but no slash. */
	slash = strrchr(name, '/');
	if (slash == NULL)
		return;
	snprintf(origin, sizeof(origin), "master.cf %.*s -o",
	    (int)(slash - name), name);
	pf_set(&pf->over, &pf->nover, name, value, origin);
}

static int
run_postconf(const char *prog, const char *dir, const char *flags,
    char **out, size_t *len, char **err)
{
	const char *argv[6];
	const char *perr;
	int trunc, st, i = 0;

	argv[i++] = prog;
	argv[i++] = "-c";
	argv[i++] = dir;
	if (flags != NULL)
		argv[i++] = flags;
	argv[i] = NULL;
	st = proc_run(argv, PF_TIMEOUT_MS, PF_OUT_MAX, 1, out, len, &trunc,
	    &perr);
	if (st != 0) {
		char *first = *out != NULL ? *out : "";
		char *nl = strchr(first, '\n');

		if (nl != NULL)
			*nl = '\0';
		*err = xasprintf("%s -c %s %s: %s%s%.200s", prog, dir,
		    flags ? flags : "", st == -1 ? perr : "failed",
		    *first ? ": " : "", first);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

/* Service names (master.cf) of the inet smtpd listeners on port 25, and
 * the smtpd behind a postscreen on port 25 ("smtpd/pass"). */
static void
find_server_service(char *mtext, size_t mlen, char *svc, size_t svcsize)
{
	size_t i, start = 0;

	snprintf(svc, svcsize, "smtp/inet");
	for (i = 0; i <= mlen; i++) {
		char *line, name[256], type[32], cmd[64];
		const char *port;

		if (i < mlen && mtext[i] != '\n')
			continue;
		mtext[i] = '\0';
		line = mtext + start;
		start = i + 1;
		if (sscanf(line, "%255s %31s %*s %*s %*s %*s %*s %63s", name,
		    type, cmd) != 3)
			continue;
		port = strrchr(name, ':');
		port = port != NULL ? port + 1 : name;
		if (strcmp(type, "inet") != 0 || (strcmp(port, "smtp") != 0 &&
		    strcmp(port, "25") != 0))
			continue;
		if (strcmp(cmd, "postscreen") == 0) {
			snprintf(svc, svcsize, "smtpd/pass");
			return;
		}
		if (strcmp(cmd, "smtpd") == 0) {
			snprintf(svc, svcsize, "%s/inet", name);
			return;
		}
	}
}

/*
 * main.cf read here.
 */

/* One logical line ends: record "name = value" with the line it began on. */
static void
main_cf_assign(struct pf *pf, struct buf *logical, int startno)
{
	char *text, *name, *value, origin[64];

	if (buf_len(logical) == 0)
		return;
	text = xstrdup(buf_str(logical));
	if (split_assign(text, &name, &value)) {
		snprintf(origin, sizeof(origin), "main.cf:%d", startno);
		pf_set(&pf->p, &pf->n, name, value, origin);
	}
	free(text);
	buf_reset(logical);
}

static int
read_main_cf(struct pf *pf, char **err)
{
	char path[4096], why[256], *data, *line, *next;
	struct buf *logical;
	int lineno = 0, startno = 0;
	size_t len, i;

	for (i = 0; i < sizeof(pf_defaults) / sizeof(pf_defaults[0]); i++)
		pf_set(&pf->p, &pf->n, pf_defaults[i][0], pf_defaults[i][1],
		    "default");
	snprintf(path, sizeof(path), "%s/main.cf", pf->dir);
	if (audit_read_text(path, &data, &len, why, sizeof(why)) == -1) {
		*err = xasprintf("%s: %s", path, why);
		return -1;
	}
	/* Logical lines (postconf(5)): a line starting with white space
	 * continues the previous one; '#' lines and blank lines are
	 * skipped.  A logical line longer than PF_LINE_MAX is cut. */
	logical = buf_new(PF_LINE_MAX);
	for (line = data; line != NULL; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		line[strcspn(line, "\r")] = '\0';
		if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
			continue;
		if (line[0] == ' ' || line[0] == '\t') {
			if (buf_len(logical) > 0) {
				(void)buf_adds(logical, " ");
				(void)buf_adds(logical, line + strspn(line, " \t"));
			}
			continue;
		}
		main_cf_assign(pf, logical, startno);
		(void)buf_adds(logical, line);
		startno = lineno;
	}
	main_cf_assign(pf, logical, startno);
	buf_free(logical);
	free(data);
	return 0;
}

/* $name and ${name} expansion for main.cf read here (postconf -x does it
 * otherwise); unknown names expand to nothing, as in Postfix. */
static char *
expand(const struct pf *pf, const char *v, int depth)
{
	struct { char *s; size_t n, cap; } o = { NULL, 0, 0 };
	const char *p;

	for (p = v; *p != '\0'; p++) {
		char name[128];
		size_t k = 0;
		const char *add = NULL;
		char *sub = NULL;

		if (*p == '$' && depth < PF_EXPAND_DEPTH &&
		    (p[1] == '{' || p[1] == '(' || isalnum((unsigned char)p[1]) || p[1] == '_')) {
			const char *q = p + 1;
			char close = 0;
			const struct pf_param *pp;

			if (*q == '{' || *q == '(') {
				close = *q == '{' ? '}' : ')';
				q++;
			}
			while ((isalnum((unsigned char)*q) || *q == '_') &&
			    k < sizeof(name) - 1)
				name[k++] = *q++;
			name[k] = '\0';
			if (close != 0) {
				/* ${name?value} and ${name:value}: skip */
				while (*q != '\0' && *q != close)
					q++;
				if (*q == close)
					q++;
			}
			pp = pf_find(pf->p, pf->n, name);
			if (pp != NULL)
				add = sub = expand(pf, pp->value, depth + 1);
			p = q - 1;
		}
		if (add == NULL) {
			if (o.n + 2 > o.cap) {
				o.cap = o.cap ? o.cap * 2 : 64;
				o.s = xrealloc(o.s, o.cap);
			}
			o.s[o.n++] = *p;
		} else {
			size_t al = strlen(add);

			if (o.n + al + 1 > PF_LINE_MAX)
				al = 0;
			if (o.n + al + 2 > o.cap) {
				o.cap = o.n + al + 64;
				o.s = xrealloc(o.s, o.cap);
			}
			memcpy(o.s + o.n, add, al);
			o.n += al;
		}
		free(sub);
	}
	if (o.s == NULL)
		return xstrdup("");
	o.s[o.n] = '\0';
	return o.s;
}

static void
expand_all(struct pf *pf)
{
	size_t i;

	for (i = 0; i < pf->n; i++) {
		char *e = expand(pf, pf->p[i].value, 0);

		free(pf->p[i].value);
		pf->p[i].value = e;
	}
}

/*
 * Effective values.
 */

/* The value a service sees: its master.cf override, else main.cf. */
static const struct pf_param *
pf_get(const struct pf *pf, const char *svc, const char *name)
{
	const struct pf_param *p;
	char key[512];

	if (svc != NULL) {
		snprintf(key, sizeof(key), "%s/%s", svc, name);
		if ((p = pf_find(pf->over, pf->nover, key)) != NULL)
			return p;
	}
	return pf_find(pf->p, pf->n, name);
}

static const char *
pf_val(const struct pf *pf, const char *svc, const char *name)
{
	const struct pf_param *p = pf_get(pf, svc, name);

	return p != NULL ? p->value : "";
}

static bool
pf_yes(const struct pf *pf, const char *svc, const char *name)
{
	return strcasecmp(pf_val(pf, svc, name), "yes") == 0;
}

/* "name = value (origin)" into buf for evidence and *_from fields. */
static char *
pf_describe(const struct pf *pf, const char *svc, const char *name)
{
	const struct pf_param *p = pf_get(pf, svc, name);

	if (p == NULL)
		return xasprintf("%s (not set)", name);
	return xasprintf("%s = %s (%s)", name, p->value, p->origin);
}

/* The cipher list Postfix builds for a grade and its exclusions. */
static char *
cipherlist(const struct pf *pf, const char *svc, const char *grade,
    const char *excl1, const char *excl2, struct report *r, bool server)
{
	char key[64], *list, *w, *save = NULL, *ex;
	const char *ev[2] = { excl1, excl2 };
	size_t i;

	snprintf(key, sizeof(key), "tls_%s_cipherlist", grade);
	if (pf_get(pf, svc, key) == NULL) {
		char msg[256];

		snprintf(msg, sizeof(msg), "cipher grade \"%.64s\" is not one of "
		    "high, medium, low, export, null", grade);
		report_add_finding(r, "config.invalid", SEV_ERROR,
		    server ? "server" : "client", NULL, 0, msg, NULL,
		    "Postfix rejects the %s cipher grade", server ? "server" : "client");
		return NULL;
	}
	list = xstrdup(pf_val(pf, svc, key));
	for (i = 0; i < 2; i++) {
		if (ev[i] == NULL)
			continue;
		ex = xstrdup(ev[i]);
		for (w = strtok_r(ex, " \t,:", &save); w != NULL;
		    w = strtok_r(NULL, " \t,:", &save)) {
			char *n = xasprintf("%s:!%s", list, w);

			free(list);
			list = n;
		}
		free(ex);
	}
	return list;
}

/* What the linked OpenSSL can speak at all: SSLv2 left in 1.1.0, SSLv3
 * is compiled out of Debian's (and of the one mxdoctor links, when
 * OPENSSL_NO_SSL3_METHOD says so: the same system library). */
static unsigned
library_versions(const char *lib)
{
	unsigned modern = TLS_VERSIONS_ALL & ~tls_version_bit(0x0002);
	int maj = 0, min = 0, pat = 0;

#ifdef OPENSSL_NO_SSL3_METHOD
	modern &= ~tls_version_bit(0x0300);
#endif
	if (lib == NULL || sscanf(lib, "OpenSSL %d.%d.%d", &maj, &min,
	    &pat) < 2)
		return modern;
	if (maj >= 3 || (maj == 1 && min >= 1 && pat >= 1))
		return modern;
	if (maj == 0 || (maj == 1 && min == 0 && pat < 1))
		return tls_version_bit(0x0300) | tls_version_bit(0x0301);
	if (maj == 1 && (min == 0 || (min == 1 && pat < 1)))
		return TLS_VERSIONS_ALL & ~tls_version_bit(0x0304);
	return TLS_VERSIONS_ALL;
}

/* Fills one side's versions and suites. */
static void
side_tls(struct pf *pf, struct audit_side *s, const char *svc, bool server,
    unsigned libmask, struct report *r)
{
	const char *px = server ? "smtpd" : "smtp";
	bool mand = s->use == AUDIT_TLS_MANDATORY;
	char pname[64], gname[64], e1[64], e2[64];
	char *list = NULL, *d1, *d2;
	uint16_t suites[PF_SUITES_MAX], s13[64];
	unsigned mask;
	int n, n13;

	snprintf(pname, sizeof(pname), "%s_tls_%sprotocols", px,
	    mand ? "mandatory_" : "");
	if (audit_postfix_protocols(pf_val(pf, svc, pname), &mask) == -1) {
		char *d = pf_describe(pf, svc, pname);

		report_add_finding(r, "config.invalid", SEV_ERROR,
		    server ? "server" : "client", NULL, 0, d, NULL,
		    "Postfix rejects a protocol name in %s", pname);
		free(d);
	}
	s->versions_known = true;
	s->versions = mask & libmask;
	s->versions_from = pf_describe(pf, svc, pname);

	snprintf(gname, sizeof(gname), "%s_tls_%sciphers", px,
	    mand ? "mandatory_" : "");
	snprintf(e1, sizeof(e1), "%s_tls_exclude_ciphers", px);
	snprintf(e2, sizeof(e2), "%s_tls_mandatory_exclude_ciphers", px);
	list = cipherlist(pf, svc, pf_val(pf, svc, gname),
	    pf_val(pf, svc, e1), mand ? pf_val(pf, svc, e2) : NULL, r, server);
	if (list == NULL)
		return;
	n = audit_openssl_suites(list, suites, PF_SUITES_MAX);
	n13 = audit_openssl_suites13(NULL, s13, 64);
	if (n <= 0) {
		/* OpenSSL refuses a list that selects nothing; it cannot
		 * tell an unknown word from an empty selection. */
		char *e = xasprintf("%s_tls_%sciphers = %s -> \"%s\"", px,
		    mand ? "mandatory_" : "", pf_val(pf, svc, gname), list);

		report_add_finding(r, "config.invalid", SEV_ERROR,
		    server ? "server" : "client", NULL, 0, e, NULL,
		    "OpenSSL selects no cipher suite from the %s cipher list: "
		    "Postfix cannot do TLS 1.2 or older", server ? "server" :
		    "client");
		free(e);
	} else {
		s->suites_known = true;
		audit_side_set_suites(s, suites, (size_t)n, s13,
		    n13 > 0 ? (size_t)n13 : 0);
	}
	d1 = pf_describe(pf, svc, gname);
	d2 = pf_describe(pf, svc, e1);
	s->suites_from = xasprintf("%s; %s%s%s -> \"%s\"", d1, d2,
	    mand ? "; " : "", mand ? e2 : "", list);
	free(d1);
	free(d2);
	free(list);
	if (server)
		s->server_order = pf_yes(pf, svc, "tls_preempt_cipherlist");
}

static enum audit_tls_use
level_use(const char *level, bool server)
{
	if (*level == '\0' || strcasecmp(level, "none") == 0)
		return AUDIT_TLS_OFF;
	if (strcasecmp(level, "may") == 0 || (!server &&
	    strcasecmp(level, "dane") == 0))
		return AUDIT_TLS_OPPORTUNISTIC;
	return AUDIT_TLS_MANDATORY;
}

static void
side_use(struct pf *pf, struct audit_side *s, const char *svc, bool server)
{
	const char *px = server ? "smtpd" : "smtp";
	char lname[64], uname[64], ename[64];
	const char *level;

	snprintf(lname, sizeof(lname), "%s_tls_security_level", px);
	snprintf(uname, sizeof(uname), "%s_use_tls", px);
	snprintf(ename, sizeof(ename), "%s_enforce_tls", px);
	level = pf_val(pf, svc, lname);
	if (*level != '\0') {
		s->use = level_use(level, server);
		s->use_from = pf_describe(pf, svc, lname);
		return;
	}
	/* The obsolete booleans apply when the level is empty. */
	if (pf_yes(pf, svc, ename)) {
		s->use = AUDIT_TLS_MANDATORY;
		s->use_from = pf_describe(pf, svc, ename);
	} else if (pf_yes(pf, svc, uname)) {
		s->use = AUDIT_TLS_OPPORTUNISTIC;
		s->use_from = pf_describe(pf, svc, uname);
	} else {
		s->use = AUDIT_TLS_OFF;
		s->use_from = xasprintf("%s is empty and %s = no",
		    lname, uname);
	}
	if (server && pf_yes(pf, svc, "smtpd_tls_wrappermode") &&
	    s->use == AUDIT_TLS_OFF)
		s->use = AUDIT_TLS_MANDATORY;
}

/* A PEM file's kinds: 1 key, 2 certificate(s), 3 both; 0 none or
 * unreadable (the judge says why). */
static int
pem_kinds(const char *path)
{
	char buf[8192];
	int kinds = 0;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return 0;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		if (strncmp(buf, "-----BEGIN ", 11) != 0)
			continue;
		if (strstr(buf, "PRIVATE KEY") != NULL)
			kinds |= 1;
		else if (strstr(buf, "CERTIFICATE") != NULL)
			kinds |= 2;
	}
	fclose(f);
	return kinds;
}

static void
side_certs(struct pf *pf, struct audit_side *s, const char *svc)
{
	const char *chain = pf_val(pf, svc, "smtpd_tls_chain_files");
	static const char *const pairs[][2] = {
		{ "smtpd_tls_cert_file", "smtpd_tls_key_file" },
		{ "smtpd_tls_eccert_file", "smtpd_tls_eckey_file" },
		{ "smtpd_tls_dcert_file", "smtpd_tls_dkey_file" },
	};
	size_t i;

	if (*chain != '\0') {
		/* Postfix 3.4+: keys each followed by their chain, in one
		 * file or several; it replaces the older parameters. */
		char *list = xstrdup(chain), *w, *save = NULL, *key = NULL;
		char *from = pf_describe(pf, svc, "smtpd_tls_chain_files");

		for (w = strtok_r(list, " \t,", &save); w != NULL;
		    w = strtok_r(NULL, " \t,", &save)) {
			int k = pem_kinds(w);

			if (k == 1) {
				free(key);
				key = xstrdup(w);
				continue;
			}
			audit_side_add_cert(s, key != NULL ? key : w, w, from);
			free(key);
			key = NULL;
		}
		if (key != NULL)	/* a key without a chain after it */
			audit_side_add_cert(s, key, key, from);
		free(key);
		free(list);
		free(from);
	} else {
		for (i = 0; i < 3; i++) {
			const char *cert = pf_val(pf, svc, pairs[i][0]);
			const char *key = pf_val(pf, svc, pairs[i][1]);
			char *from;

			if (*cert == '\0')
				continue;
			from = xasprintf("%s, %s", pairs[i][0], pairs[i][1]);
			audit_side_add_cert(s, *key ? key : cert, cert, from);
			free(from);
		}
	}
	if (*pf_val(pf, svc, "smtpd_tls_CAfile") != '\0')
		s->ca_file = xstrdup(pf_val(pf, svc, "smtpd_tls_CAfile"));
}

/* The source file of an indexed Postfix map ("hash:/etc/postfix/x" ->
 * "/etc/postfix/x", the text postmap reads), or NULL for other types. */
static const char *
map_source(const char *map)
{
	static const char *const types[] = { "hash:", "lmdb:", "btree:",
	    "cdb:", "texthash:", "dbm:" };
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strncmp(map, types[i], strlen(types[i])) == 0 &&
		    map[strlen(types[i])] == '/')
			return map + strlen(types[i]);
	return NULL;
}

/* tls_server_sni_maps: for the indexed types the source file beside the
 * map is read (name, then key and chain files); other types are only
 * recorded. */
static void
side_sni_certs(struct pf *pf, struct audit_side *s)
{
	const char *maps = pf_val(pf, NULL, "tls_server_sni_maps");
	char *list, *w, *save = NULL;

	if (*maps == '\0')
		return;
	list = xstrdup(maps);
	for (w = strtok_r(list, " \t,", &save); w != NULL;
	    w = strtok_r(NULL, " \t,", &save)) {
		const char *path = map_source(w);
		char line[4096];
		FILE *f;
		int nl = 0;

		if (path == NULL || (f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL && nl++ < 1000) {
			char *name, *files, *f1, *f2, *s2 = NULL, *from;

			if (line[0] == '#' || isspace((unsigned char)line[0]))
				continue;
			name = strtok_r(line, " \t\r\n", &s2);
			files = strtok_r(NULL, "\r\n", &s2);
			if (name == NULL || files == NULL)
				continue;
			f1 = strtok_r(files, " \t,", &s2);
			f2 = strtok_r(NULL, " \t,", &s2);
			if (f1 == NULL)
				continue;
			from = xasprintf("tls_server_sni_maps %s: %s", path, name);
			audit_side_add_cert_sni(s, f1, f2 != NULL ? f2 : f1, from);
			free(from);
		}
		fclose(f);
	}
	free(list);
}


/*
 * smtp_tls_policy_maps: per-destination levels and protocols override
 * main.cf for those destinations (smtp_tls_policy.c).  For the indexed
 * map types the source file beside the map is read; each entry's
 * effective protocols are judged here for TLS 1.2, since the model has
 * one client side only.
 */
static void
policy_entry(struct pf *pf, const char *svc, const char *path, int lineno,
    char *line, struct report *r)
{
	char *dest, *level, *w, *save = NULL, *proto = NULL;
	const char *use_proto;
	unsigned mask;
	enum audit_tls_use use;
	char ev[1024];

	dest = strtok_r(line, " \t\r\n", &save);
	level = strtok_r(NULL, " \t\r\n", &save);
	if (dest == NULL || level == NULL)
		return;
	while ((w = strtok_r(NULL, " \t\r\n", &save)) != NULL)
		if (strncasecmp(w, "protocols=", 10) == 0)
			proto = w + 10;
	use = level_use(level, false);
	if (use == AUDIT_TLS_OFF)
		return;
	if (proto != NULL)
		use_proto = proto;
	else
		use_proto = pf_val(pf, svc, use == AUDIT_TLS_MANDATORY ?
		    "smtp_tls_mandatory_protocols" : "smtp_tls_protocols");
	if (audit_postfix_protocols(use_proto, &mask) == -1 ||
	    (mask & tls_version_bit(0x0303)))
		return;
	snprintf(ev, sizeof(ev), "%.300s:%d: %.200s %.40s%s%.200s -> no TLSv1.2",
	    path, lineno, dest, level, proto ? " protocols=" : "; main.cf protocols ",
	    use_proto);
	report_add_finding(r, "config.client_no_tls12",
	    use == AUDIT_TLS_MANDATORY ? SEV_ERROR : SEV_WARNING, "client",
	    NULL, 0, ev, NULL,
	    "A per-destination TLS policy keeps TLS 1.2 from mail to %.200s", dest);
}

static void
policy_maps(struct pf *pf, const char *svc, struct audit_result *a,
    struct report *r)
{
	const char *maps = pf_val(pf, svc, "smtp_tls_policy_maps");
	char *list, *w, *save = NULL;

	if (*maps == '\0')
		return;
	list = xstrdup(maps);
	for (w = strtok_r(list, " \t,", &save); w != NULL;
	    w = strtok_r(NULL, " \t,", &save)) {
		const char *path = map_source(w);
		char line[4096], origin[512];
		FILE *f;
		int nl = 0;

		if (path == NULL || (f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL && nl++ < 100000) {
			char copy[4096];

			if (line[0] == '#' || isspace((unsigned char)line[0]))
				continue;
			snprintf(origin, sizeof(origin), "%.400s:%d", path, nl);
			line[strcspn(line, "\r\n")] = '\0';
			snprintf(copy, sizeof(copy), "%s", line);
			audit_setting_add(a, "smtp_tls_policy_maps entry", copy,
			    origin);
			policy_entry(pf, svc, path, nl, line, r);
		}
		fclose(f);
	}
	free(list);
}

/* The OpenSSL the Postfix daemons really load: ldd on the smtp daemon,
 * then the version string inside that libcrypto. */
static void
find_library(struct pf *pf, struct audit_result *a)
{
	const char *dd = pf_val(pf, NULL, "daemon_directory");
	char bin[4096], *out = NULL, *p, *lib = NULL, *save = NULL;
	const char *argv[3], *perr;
	size_t len;
	int trunc;

	snprintf(bin, sizeof(bin), "%s/smtp", *dd ? dd : "/usr/lib/postfix/sbin");
	argv[0] = "ldd";
	argv[1] = bin;
	argv[2] = NULL;
	if (proc_run(argv, 10000, 64 * 1024, 0, &out, &len, &trunc, &perr) != 0)
		goto out;
	for (p = strtok_r(out, "\n", &save); p != NULL;
	    p = strtok_r(NULL, "\n", &save)) {
		char name[256], path[1024];

		if (sscanf(p, " %255s => %1023s", name, path) == 2 &&
		    strncmp(name, "libcrypto.so", 12) == 0) {
			lib = xstrdup(path);
			break;
		}
	}
	if (lib != NULL) {
		FILE *f = fopen(lib, "rb");
		char buf[65536 + 64];
		size_t n, keep = 0, total = 0;

		while (f != NULL && total < 16 * 1024 * 1024 &&
		    (n = fread(buf + keep, 1, 65536, f)) > 0) {
			size_t i, end = keep + n;

			total += n;
			for (i = 0; i + 12 < end; i++) {
				int maj, min, pat;
				char tail[4];

				if (memcmp(buf + i, "OpenSSL ", 8) != 0 ||
				    !isdigit((unsigned char)buf[i + 8]))
					continue;
				if (sscanf(buf + i, "OpenSSL %d.%d.%d%3[a-z ]", &maj,
				    &min, &pat, tail) >= 3) {
					char v[80];
					size_t k;

					for (k = 0; k < sizeof(v) - 1 && i + k < end &&
					    buf[i + k] >= 0x20 && buf[i + k] < 0x7f; k++)
						v[k] = buf[i + k];
					v[k] = '\0';
					/* "OpenSSL 3.0.17 1 Jul 2025": the
					 * version banner has a date */
					if (strlen(v) >= 20 && isdigit((unsigned char)v[k - 1])) {
						a->tls_library = xstrdup(v);
						break;
					}
				}
			}
			if (a->tls_library != NULL)
				break;
			keep = end < 64 ? end : 64;
			memmove(buf, buf + end - keep, keep);
		}
		if (f != NULL)
			fclose(f);
		if (a->tls_library != NULL)
			a->tls_library_from = xasprintf("ldd %s -> %s", bin, lib);
	}
out:
	free(lib);
	free(out);
}

int
audit_read_postfix(const struct audit_opts *o, struct audit_result *a,
    struct report *r, char **err)
{
	static const char *const names[] = { "postconf", "/usr/sbin/postconf",
	    NULL };
	struct pf pf;
	char *prog = NULL, *out = NULL, svc_server[300];
	const char *svc_client;
	const char *ver;
	unsigned libmask;
	size_t len, i;
	struct stat st;
	char ttrans[128], csvc[160];

	memset(&pf, 0, sizeof(pf));
	pf.r = r;
	pf.dir = xstrdup(o->config != NULL ? o->config : "/etc/postfix");
	if (stat(pf.dir, &st) == -1 || !S_ISDIR(st.st_mode)) {
		*err = xasprintf("%s: %s", pf.dir, stat(pf.dir, &st) == -1 ?
		    strerror(errno) : "not a directory");
		pf_free(&pf);
		return -1;
	}
	snprintf(svc_server, sizeof(svc_server), "smtp/inet");
	if (!o->no_program) {
		if (o->program != NULL) {
			const char *one[] = { o->program, NULL };

			prog = proc_find(one);
			if (prog == NULL) {
				*err = xasprintf("%s: not an executable program",
				    o->program);
				pf_free(&pf);
				return -1;
			}
		} else
			prog = proc_find(names);
	}
	if (prog != NULL) {
		if (run_postconf(prog, pf.dir, "-x", &out, &len, err) == -1)
			goto fail;
		each_line(out, len, line_param, &pf, "default");
		free(out);
		if (run_postconf(prog, pf.dir, "-nx", &out, &len, err) == -1)
			goto fail;
		each_line(out, len, line_explicit, &pf, NULL);
		free(out);
		if (run_postconf(prog, pf.dir, "-Px", &out, &len, err) == -1)
			goto fail;
		each_line(out, len, line_override, &pf, NULL);
		free(out);
		if (run_postconf(prog, pf.dir, "-M", &out, &len, err) == -1)
			goto fail;
		find_server_service(out, len, svc_server, sizeof(svc_server));
		free(out);
		out = NULL;
		pf.from_postconf = true;
		a->source = xasprintf("%s -c %s (-x, -n, -P, -M)", prog, pf.dir);
	} else {
		if (read_main_cf(&pf, err) == -1)
			goto fail;
		expand_all(&pf);
		a->source = xasprintf("%s/main.cf (read directly: master.cf "
		    "overrides not applied, defaults of Postfix 3.6+ assumed)",
		    pf.dir);
	}

	/* The client's service: the default transport's master.cf entry. */
	snprintf(ttrans, sizeof(ttrans), "%s", pf_val(&pf, NULL, "default_transport"));
	ttrans[strcspn(ttrans, ":")] = '\0';
	snprintf(csvc, sizeof(csvc), "%s/unix", *ttrans ? ttrans : "smtp");
	svc_client = csvc;

	ver = pf_val(&pf, NULL, "mail_version");
	if (*ver != '\0')
		a->mta_version = xstrdup(ver);
	if (*pf_val(&pf, NULL, "myhostname") != '\0')
		a->hostname = xstrdup(pf_val(&pf, NULL, "myhostname"));
	if (o->hostname != NULL) {
		free(a->hostname);
		a->hostname = xstrdup(o->hostname);
	}
	if (!o->no_program)
		find_library(&pf, a);
	libmask = library_versions(a->tls_library);
	if (a->tls_library != NULL && !(libmask & tls_version_bit(0x0303))) {
		report_add_finding(r, "config.tls_library_old", SEV_ERROR,
		    "client", NULL, 0, a->tls_library, NULL,
		    "Postfix links %s, which cannot speak TLS 1.2", a->tls_library);
	}
	audit_setting_add(a, "tls_library", a->tls_library ? a->tls_library :
	    "unknown", a->tls_library_from ? a->tls_library_from : "not found");

	/* Settings: the TLS ones Postfix uses, with their origin. */
	for (i = 0; i < sizeof(pf_recorded) / sizeof(pf_recorded[0]); i++) {
		const struct pf_param *p = pf_find(pf.p, pf.n, pf_recorded[i]);

		if (p != NULL)
			audit_setting_add(a, p->name, p->value, p->origin);
	}
	/* master.cf overrides: the parameter's own name, the service in
	 * the origin ("master.cf 127.0.0.1:25/inet -o"), as fix/ expects. */
	for (i = 0; i < pf.nover; i++) {
		const char *param = strrchr(pf.over[i].name, '/');

		if (param != NULL && strstr(param, "tls") != NULL)
			audit_setting_add(a, param + 1, pf.over[i].value,
			    pf.over[i].origin);
	}

	a->client.present = true;
	side_use(&pf, &a->client, svc_client, false);
	if (a->client.use != AUDIT_TLS_OFF)
		side_tls(&pf, &a->client, svc_client, false, libmask, r);
	policy_maps(&pf, svc_client, a, r);
	{
		const char *sn = pf_val(&pf, svc_client, "smtp_tls_servername");

		if (*sn != '\0')
			a->client.sni = xasprintf("%s (smtp_tls_servername)", sn);
	}

	a->server.present = true;
	side_use(&pf, &a->server, svc_server, true);
	if (a->server.use != AUDIT_TLS_OFF) {
		side_tls(&pf, &a->server, svc_server, true, libmask, r);
		side_certs(&pf, &a->server, svc_server);
		side_sni_certs(&pf, &a->server);
	}
	audit_setting_add(a, "audit.server_service", svc_server,
	    pf.from_postconf ? "postconf -M" : "assumed");
	audit_setting_add(a, "audit.client_service", svc_client,
	    "default_transport");
	free(prog);
	pf_free(&pf);
	return 0;
fail:
	free(prog);
	free(out);
	pf_free(&pf);
	return -1;
}
