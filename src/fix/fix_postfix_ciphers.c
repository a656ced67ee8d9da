/* fix_postfix_ciphers: the smallest Postfix cipher-list change that gives a side a suite in common with the profile. */
#include "fix/fix_postfix_int.h"
#include "tls/suites.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Cipher lists: the smallest change that gives the side a suite in
 * common with the profile.
 */



/* Postfix exclusion lists: names separated by whitespace and/or
 * commas. */
void
pf_tokens_split(const char *s, struct pf_tokens *t)
{
	size_t n;

	if (s == NULL)
		return;
	while (*s != '\0' && t->n < PF_TOKENS_MAX) {
		s += strspn(s, " \t,");
		if ((n = strcspn(s, " \t,")) == 0)
			break;
		t->v[t->n] = xstrndup(s, n);
		t->drop[t->n] = false;
		t->n++;
		s += n;
	}
}

void
pf_tokens_free(struct pf_tokens *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	t->n = 0;
}

/* An exclusion OpenSSL may see: cipher names and properties only. */
static bool
pf_token_ok(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '+' && *s != '-' &&
		    *s != '_' && *s != '.')
			return false;
	return true;
}

/* How many suites of target the list keeps after the exclusions not
 * dropped (and the extra ones, appended as Postfix does). */
static size_t
pf_kept(const char *list, const struct pf_tokens *a,
    const struct pf_tokens *b, const uint16_t *target, size_t ntarget)
{
	uint16_t got[PF_SUITES_MAX];
	char buf[4096];
	size_t i, j, k = 0;
	int o, n;
	const struct pf_tokens *sets[2] = { a, b };

	o = snprintf(buf, sizeof(buf), "%s", list);
	for (j = 0; j < 2; j++)
		for (i = 0; sets[j] != NULL && i < sets[j]->n; i++) {
			if (sets[j]->drop[i] || !pf_token_ok(sets[j]->v[i]))
				continue;
			if (o > 0 && (size_t)o < sizeof(buf))
				o += snprintf(buf + o, sizeof(buf) - (size_t)o,
				    ":!%s", sets[j]->v[i]);
		}
	if (o < 0 || (size_t)o >= sizeof(buf))
		return 0;
	if ((n = audit_openssl_suites(buf, got, PF_SUITES_MAX)) <= 0)
		return 0;
	for (i = 0; i < ntarget; i++)
		for (j = 0; j < (size_t)n; j++)
			if (got[j] == target[i]) {
				k++;
				break;
			}
	return k;
}

/* Drops exclusions of t (others: the fixed ones applied too) until the
 * list keeps a suite of target: each time the one whose removal keeps
 * the most.  When no single one helps, every exclusion that removes a
 * target suite on its own goes.  Returns whether anything was dropped. */
static bool
pf_drop(const char *list, struct pf_tokens *t, const struct pf_tokens *others,
    const uint16_t *target, size_t ntarget)
{
	struct pf_tokens none;
	size_t i, k, best_k, all;
	int best;
	bool dropped = false;

	while (pf_kept(list, t, others, target, ntarget) == 0) {
		best = -1;
		best_k = 0;
		for (i = 0; i < t->n; i++) {
			if (t->drop[i])
				continue;
			t->drop[i] = true;
			k = pf_kept(list, t, others, target, ntarget);
			t->drop[i] = false;
			if (k > best_k) {
				best_k = k;
				best = (int)i;
			}
		}
		if (best == -1)
			break;
		t->drop[best] = true;
		dropped = true;
	}
	if (pf_kept(list, t, others, target, ntarget) > 0)
		return dropped;
	memset(&none, 0, sizeof(none));
	all = pf_kept(list, &none, NULL, target, ntarget);
	for (i = 0; i < t->n; i++) {
		struct pf_tokens one;

		if (t->drop[i])
			continue;
		memset(&one, 0, sizeof(one));
		one.v[0] = t->v[i];
		one.n = 1;
		if (pf_kept(list, &one, NULL, target, ntarget) < all) {
			t->drop[i] = true;
			dropped = true;
		}
	}
	return dropped;
}

char *
pf_tokens_join(const struct pf_tokens *t)
{
	char buf[2048];
	size_t i;
	int o = 0;

	buf[0] = '\0';
	for (i = 0; i < t->n; i++) {
		if (t->drop[i])
			continue;
		if (o >= 0 && (size_t)o < sizeof(buf))
			o += snprintf(buf + o, sizeof(buf) - (size_t)o, "%s%s",
			    o ? ", " : "", t->v[i]);
	}
	return xstrdup(buf);
}

/* Writes the exclusion list back when something was dropped. */
static void
pf_tokens_apply(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *name, const struct pf_tokens *t, bool changed,
    const char *why, const char *finding)
{
	char *v;

	if (!changed)
		return;
	v = pf_tokens_join(t);
	if (*v == '\0')
		pf_unset(p, c, server, name, why, PF_EXCL, finding);
	else
		pf_set(p, c, server, name, v, why, PF_EXCL, finding);
	free(v);
}

/* The profile's TLS 1.2 suites (forward-secret ones only with fs). */
static size_t
pf_target(const struct fix_ctx *c, bool fs, uint16_t *out, size_t max)
{
	const uint16_t *s;
	size_t i, n, k = 0;

	if (c->o->profile == NULL)
		return 0;
	s = tls_profile_suites(c->o->profile, TLS_V_TLS12, &n);
	for (i = 0; i < n && k < max; i++) {
		const struct tls_suite *t = tls_suite_by_code(s[i]);

		if (fs && (t == NULL || !(t->flags & TLS_SUITE_FS)))
			continue;
		out[k++] = s[i];
	}
	return k;
}

/* The cipher list of a grade, and whether it fails the target (then it
 * is reset to the default). */
static const char *
pf_grade_list(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *grade, const uint16_t *target, size_t ntarget,
    const char *finding)
{
	bool high = strcmp(grade, "high") == 0;
	const char *name = high ? "tls_high_cipherlist" : "tls_medium_cipherlist";
	const char *list = c->setting(c, name);
	const char *def = high ? PF_DEFAULT_HIGH : PF_DEFAULT_MEDIUM;

	if (list == NULL || *list == '\0' ||
	    pf_kept(list, NULL, NULL, target, ntarget) > 0)
		return list && *list ? list : def;
	pf_unset(p, c, server, name,
	    "This cipher list has none of the suites needed; Postfix's default has them all (changing it is discouraged).",
	    PF_CIPHERS, finding);
	return def;
}

/* Makes the side's grades medium or high (else medium). */
static void
pf_grades(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding, const char *grades[2])
{
	const char *names[2];
	size_t i;

	names[0] = server ? "smtpd_tls_ciphers" : "smtp_tls_ciphers";
	names[1] = server ? "smtpd_tls_mandatory_ciphers" :
	    "smtp_tls_mandatory_ciphers";
	for (i = 0; i < 2; i++) {
		const char *g = pf_value(p, c, server, names[i]);

		if (g != NULL && (strcmp(g, "medium") == 0 ||
		    strcmp(g, "high") == 0)) {
			grades[i] = g;
			continue;
		}
		grades[i] = "medium";
		pf_set_rec(p, c, names[i], NULL, finding);
	}
}

/* A check report says only that no suite is shared: reset what is known
 * to break it, each reset a no-op where the setting is already right. */
static void
pf_ciphers_blind(struct fix_plan *p, const struct fix_ctx *c, bool server,
    const char *finding)
{
	const char *pre = server ? "smtpd" : "smtp", *v;
	char name[64];

	pf_set_rec(p, c, server ? "smtpd_tls_ciphers" : "smtp_tls_ciphers",
	    NULL, finding);
	pf_set_rec(p, c, server ? "smtpd_tls_mandatory_ciphers" :
	    "smtp_tls_mandatory_ciphers", NULL, finding);
	snprintf(name, sizeof(name), "%s_tls_exclude_ciphers", pre);
	/* A value a handler computed (cipher.weak's exclusions) stays. */
	if (!pf_planned(p, "main.cf", name, &v) || v == NULL)
		pf_unset(p, c, server, name,
	    "Exclusions are how the suites Microsoft needs are usually lost; without an audit report mxdoctor cannot tell which one, so the list goes (Postfix's default excludes nothing the grade needs).",
	    PF_EXCL, finding);
	snprintf(name, sizeof(name), "%s_tls_mandatory_exclude_ciphers", pre);
	pf_unset(p, c, server, name, "The same for mandatory TLS.", PF_EXCL,
	    finding);
	pf_unset(p, c, server, "tls_medium_cipherlist",
	    "Back to Postfix's own \"medium\" list, which has every suite Microsoft documents (a no-op if it was never changed).",
	    PF_CIPHERS, finding);
}

/* The server's certificate is ECDSA only (check report): Microsoft's
 * suites all need RSA. */
static void
pf_rsa_needed(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f)
{
	json_t *h, *a = fix_report_address(c->report, f->address, &h);
	json_t *chain = json_object_get(json_object_get(json_object_get(a,
	    "tls"), "certificate"), "chain");
	const char *kt = json_string_value(json_object_get(json_array_get(chain,
	    0), "key_type"));

	if (kt == NULL || strcmp(kt, "EC") != 0)
		return;
	fix_add(p, FIX_ACTION, NULL, "rsa certificate",
	    "The server's certificate has an ECDSA key, and every suite Microsoft documents is RSA-authenticated: add an RSA certificate next to it. Postfix 3.4+ serves both: smtpd_tls_chain_files = /etc/postfix/rsa-chain.pem /etc/postfix/ecdsa-chain.pem (each file: key, then certificate, then intermediates).",
	    "No suite is shared until the server has an RSA certificate.",
	    PF_CHAIN "; " MS_ENC, f->id);
}

void
pf_ciphers(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f, bool server, bool fs)
{
	uint16_t target[64];
	size_t nt;
	const char *grades[2], *pre = server ? "smtpd" : "smtp", *list;
	struct pf_tokens ex, mex;
	char n_ex[64], n_mex[64];
	bool ch_ex, ch_mex;
	const char *why = fs ?
	    "This exclusion removes the ECDHE suites a Microsoft-like client offers first, leaving RSA key exchange without forward secrecy." :
	    "This exclusion removes every suite Microsoft documents (ECDHE-RSA and RSA with AES): no suite is left in common.";

	if (server)
		pf_rsa_needed(p, c, f);
	if (c->nsettings == 0) {
		pf_ciphers_blind(p, c, server, f->id);
		return;
	}
	if ((nt = pf_target(c, fs, target, 64)) == 0)
		return;
	pf_grades(p, c, server, f->id, grades);
	memset(&ex, 0, sizeof(ex));
	memset(&mex, 0, sizeof(mex));
	snprintf(n_ex, sizeof(n_ex), "%s_tls_exclude_ciphers", pre);
	snprintf(n_mex, sizeof(n_mex), "%s_tls_mandatory_exclude_ciphers", pre);
	pf_tokens_split(pf_value(p, c, server, n_ex), &ex);
	pf_tokens_split(pf_value(p, c, server, n_mex), &mex);
	/* Opportunistic TLS: the grade minus the exclusions; mandatory
	 * TLS: minus both lists. */
	list = pf_grade_list(p, c, server, grades[0], target, nt, f->id);
	ch_ex = pf_drop(list, &ex, NULL, target, nt);
	list = pf_grade_list(p, c, server, grades[1], target, nt, f->id);
	ch_mex = pf_drop(list, &mex, &ex, target, nt);
	if (pf_kept(list, &ex, &mex, target, nt) == 0)
		ch_ex = pf_drop(list, &ex, &mex, target, nt) || ch_ex;
	pf_tokens_apply(p, c, server, n_ex, &ex, ch_ex, why, f->id);
	pf_tokens_apply(p, c, server, n_mex, &mex, ch_mex, why, f->id);
	pf_tokens_free(&ex);
	pf_tokens_free(&mex);
}
