/* eval_cipher: findings about cipher suites, judged by what a real sending client could negotiate (cipher.*). */
#include "check/eval.h"

#include <stdio.h>

/*
 * Only non-anonymous offers count: anonymous suites are Postfix's
 * deliberate default for opportunistic TLS and only clients that verify
 * nothing offer them, so a sound default is never reported.  The probes
 * behind these facts (probe_tls.c) never offer anonymous suites.
 */

static void
eval_overlap(struct report *r, const char *host, const struct addr_result *a)
{
	const struct tls_scan_facts *f = &a->scan;
	char ev[512];

	if (!f->no_overlap)
		return;
	snprintf(ev, sizeof(ev), "profile %s: %s", f->profile ? f->profile :
	    "?", f->profile_reason ? f->profile_reason : "no shared suite");
	report_add_finding(r, "cipher.no_overlap", SEV_ERROR, host, a->address,
	    a->port, ev, NULL,
	    "No cipher suite is shared with the %s profile in any version both speak",
	    f->profile ? f->profile : "receiver");
}

static void
eval_weak(struct report *r, const char *host, const struct addr_result *a)
{
	const struct tls_scan_facts *f = &a->scan;
	char ev[512];

	if (f->typical_weak) {
		snprintf(ev, sizeof(ev), "%s: a client offering strong suites first gets %s",
		    f->typical_version, f->typical_suite);
		report_add_finding(r, "cipher.weak", SEV_ERROR, host,
		    a->address, a->port, ev, NULL,
		    "The server picks a weak cipher suite even when strong ones are offered");
	} else if (f->weak.accepted) {
		snprintf(ev, sizeof(ev), "%s: offered only weak suites, the server accepted %s",
		    f->weak.version ? f->weak.version : "?",
		    f->weak.suite ? f->weak.suite : "?");
		report_add_finding(r, "cipher.weak", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The server accepts a weak cipher suite (RC4, 3DES, DES, EXPORT or NULL) from clients that offer one");
	}
}

static void
eval_fs(struct report *r, const char *host, const struct addr_result *a)
{
	const struct tls_scan_facts *f = &a->scan;
	bool tls13 = f->v[5].accepted;
	char ev[512];

	if (f->typical_suite == NULL || f->typical_fs)
		return;
	if (f->fs.tested && !f->fs.accepted)
		snprintf(ev, sizeof(ev), "%s: %s; offered only ECDHE/DHE suites: %s",
		    f->typical_version, f->typical_suite,
		    f->fs.detail ? f->fs.detail : "refused");
	else
		snprintf(ev, sizeof(ev), "%s: a client offering ECDHE first gets %s",
		    f->typical_version, f->typical_suite);
	report_add_finding(r, "cipher.no_forward_secrecy",
	    tls13 ? SEV_INFO : SEV_WARNING, host, a->address, a->port, ev,
	    NULL, f->fs.tested && !f->fs.accepted ?
	    "The server offers no forward-secret key exchange up to TLS 1.2" :
	    "The server picks a suite without forward secrecy up to TLS 1.2");
}

static void
eval_dh(struct report *r, const char *host, const struct addr_result *a)
{
	const struct tls_scan_facts *f = &a->scan;
	char ev[256];

	if (!f->dhe.accepted || f->dhe.dh_bits <= 0 || f->dhe.dh_bits >= 2048)
		return;
	snprintf(ev, sizeof(ev), "%s %s: DH group of %d bits",
	    f->dhe.version ? f->dhe.version : "?",
	    f->dhe.suite ? f->dhe.suite : "?", f->dhe.dh_bits);
	report_add_finding(r, "cipher.weak_dh", SEV_WARNING, host, a->address,
	    a->port, ev, NULL,
	    "The server's DHE suites use a Diffie-Hellman group under 2048 bits");
}

void
eval_cipher(struct report *r, const char *host, const struct addr_result *a)
{
	if (!a->scan.tried)
		return;
	eval_overlap(r, host, a);
	eval_weak(r, host, a);
	eval_fs(r, host, a);
	eval_dh(r, host, a);
}
