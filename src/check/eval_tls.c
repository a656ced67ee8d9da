/* eval_tls: findings about protocol versions, TLS 1.3 session tickets and a prober stopped by 421 (tls.*, tls13.*). */
#include "check/eval.h"

#include <stdio.h>
#include <string.h>

/* Index of each version in tls_scan_facts.v (tls_version_index). */
enum { V_SSL2, V_SSL3, V_TLS10, V_TLS11, V_TLS12, V_TLS13 };

static void
add(struct report *r, const char *id, enum severity sev, const char *host,
    const struct addr_result *a, const char *ev, const char *msg)
{
	report_add_finding(r, id, sev, host, a->address, a->port, ev, NULL,
	    "%s", msg);
}

static const char *
detail_of(const struct tls_version_fact *v)
{
	return v->detail != NULL ? v->detail : v->verdict ? v->verdict : "?";
}

/* speaks_tls_below: an older version works, or TLS 1.2 was refused for
 * its version: otherwise no suite was shared (tls.handshake_failed,
 * cipher.*), which says nothing about versions. */
static bool
speaks_tls_below(const struct addr_result *a)
{
	const struct tls_version_fact *v = a->scan.v;

	return v[V_SSL2].accepted || v[V_SSL3].accepted ||
	    v[V_TLS10].accepted || v[V_TLS11].accepted ||
	    (v[V_TLS12].detail != NULL &&
	    strstr(v[V_TLS12].detail, "protocol_version") != NULL);
}

static void
eval_versions(struct report *r, const char *host, const struct addr_result *a)
{
	const struct tls_version_fact *v = a->scan.v;
	bool modern = v[V_TLS12].accepted || v[V_TLS13].accepted;
	char ev[512];

	if (v[V_SSL2].accepted)
		add(r, "tls.sslv2", SEV_ERROR, host, a, detail_of(&v[V_SSL2]),
		    "The server accepts SSLv2");
	if (v[V_SSL3].accepted)
		add(r, "tls.sslv3", SEV_ERROR, host, a, detail_of(&v[V_SSL3]),
		    "The server accepts SSLv3");
	if (v[V_TLS10].accepted || v[V_TLS11].accepted) {
		snprintf(ev, sizeof(ev), "%s%s%s accepted",
		    v[V_TLS10].accepted ? "TLSv1" : "",
		    v[V_TLS10].accepted && v[V_TLS11].accepted ? " and " : "",
		    v[V_TLS11].accepted ? "TLSv1.1" : "");
		/* Alongside TLS 1.2+ it harms no sender (a client that can
		 * do better gets better; one that cannot would send in
		 * clear): Postfix's sound default for opportunistic TLS. */
		add(r, "tls.legacy_protocol", modern ? SEV_INFO : SEV_WARNING,
		    host, a, ev, "The server accepts TLS 1.0 or 1.1");
	}
	if (v[V_TLS12].tested && !v[V_TLS12].accepted &&
	    v[V_TLS13].tested && !v[V_TLS13].accepted && speaks_tls_below(a)) {
		snprintf(ev, sizeof(ev), "TLSv1.2: %s; TLSv1.3: %s",
		    detail_of(&v[V_TLS12]), detail_of(&v[V_TLS13]));
		add(r, "tls.no_tls12_or_newer", SEV_ERROR, host, a, ev,
		    "The server accepts neither TLS 1.2 nor TLS 1.3");
	}
	if (v[V_TLS13].tested && !v[V_TLS13].accepted &&
	    (v[V_TLS12].accepted || !v[V_TLS12].tested))
		add(r, "tls.no_tls13", SEV_INFO, host, a, detail_of(&v[V_TLS13]),
		    "The server does not accept TLS 1.3");
}

static void
eval_tickets(struct report *r, const char *host, const struct addr_result *a)
{
	char ev[256];

	if (!a->tls.tickets_known || a->tls.tickets <= 0)
		return;
	snprintf(ev, sizeof(ev), "%d TLS 1.3 NewSessionTicket message%s %s",
	    a->tls.tickets, a->tls.tickets == 1 ? "" : "s",
	    a->tls.tickets_early ? "in the server's first flight, before the "
	    "client's Finished" : "after the client's Finished, before the "
	    "EHLO reply");
	if (a->tls.tickets_early)
		add(r, "tls13.ticket_interop", SEV_WARNING, host, a, ev,
		    "The server sends TLS 1.3 session tickets before the handshake is complete, the pattern Exchange Online's client aborts on");
	else
		add(r, "tls13.ticket_interop", SEV_INFO, host, a, ev,
		    "The server sends TLS 1.3 session tickets right after the handshake");
}

void
eval_tls(struct report *r, const char *host, const struct addr_result *a)
{
	if (a->scan.tried)
		eval_versions(r, host, a);
	eval_tickets(r, host, a);
	if (a->scan.rate_limited && a->smtp.error_code != 421)
		add(r, "smtp.rate_limited", SEV_WARNING, host, a,
		    a->scan.stopped ? a->scan.stopped : "421",
		    "The server answered 421 to a probe connection: probing stopped (this is not a TLS failure)");
}
