/* eval_smtp: findings about the SMTP session and STARTTLS (smtp.*, starttls.*, tls.handshake_failed). */
#include "check/eval.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* smtp_evidence: the failure detail (which names the step's reply or
 * error), or the step and class when there is none. */
static char *
smtp_evidence(const struct smtp_facts *s)
{
	if (s->error_detail != NULL && s->error_detail[0] != '\0')
		return xstrdup(s->error_detail);
	return xasprintf("%s failed (%s)", s->error_step ? s->error_step : "?",
	    s->error_class ? s->error_class : "?");
}

static bool
step_is(const struct smtp_facts *s, const char *step)
{
	return s->error_step != NULL && strcmp(s->error_step, step) == 0;
}

static bool
class_is(const struct smtp_facts *s, const char *cls)
{
	return s->error_class != NULL && strcmp(s->error_class, cls) == 0;
}

/* greeting_message: what went wrong before STARTTLS, in words. */
static const char *
greeting_message(const struct smtp_facts *s)
{
	bool greeting = step_is(s, "greeting");

	if (class_is(s, "timeout"))
		return greeting ? "No complete SMTP greeting arrived within the time limit" :
		    "No reply to EHLO arrived within the time limit";
	if (class_is(s, "resp"))
		return greeting ? "The server refused the session in its greeting" :
		    "The server refused both EHLO and HELO";
	if (class_is(s, "closed"))
		return greeting ? "The server closed the connection before or during its greeting" :
		    "The server closed the connection after EHLO";
	if (class_is(s, "proto"))
		return greeting ? "The server's greeting is not valid SMTP" :
		    "The server's reply to EHLO is not valid SMTP";
	return "The SMTP session failed before STARTTLS";
}

static void
eval_smtp_failure(struct report *r, const char *host,
    const struct addr_result *a, const struct smtp_facts *s)
{
	char *ev = smtp_evidence(s);

	if (!s->connected) {
		report_add_finding(r, "smtp.connect_failed", SEV_ERROR, host,
		    a->address, a->port, ev, NULL,
		    "Cannot connect to %s port %d", a->address, a->port);
	} else if (s->error_code == 421) {
		report_add_finding(r, "smtp.rate_limited", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The server answered 421 at %s: it is limiting connections or shutting down (this is not a TLS failure)",
		    s->error_step ? s->error_step : "?");
	} else if (step_is(s, "greeting") || step_is(s, "ehlo") ||
	    step_is(s, "helo")) {
		report_add_finding(r, "smtp.greeting_failed", SEV_ERROR, host,
		    a->address, a->port, ev, NULL, "%s", greeting_message(s));
	} else if (step_is(s, "starttls")) {
		report_add_finding(r, "starttls.refused", SEV_ERROR, host,
		    a->address, a->port, ev, NULL,
		    "The server advertises STARTTLS but refused it (reply %d)",
		    s->error_code);
	} else if (step_is(s, "tls")) {
		report_add_finding(r, "tls.handshake_failed", SEV_ERROR, host,
		    a->address, a->port, ev, NULL,
		    "The TLS handshake failed although every protocol version and cipher suite was offered");
	}
	/* Failures after TLS (EHLO over TLS, QUIT) do not stop delivery
	 * decisions here; they stay visible in the facts. */
	free(ev);
}

void
eval_smtp(struct report *r, const char *host, const struct addr_result *a)
{
	const struct smtp_facts *s = &a->smtp;

	if (!s->tried)
		return;
	if (s->error_class != NULL && !(step_is(s, "ehlo_tls") ||
	    step_is(s, "quit"))) {
		eval_smtp_failure(r, host, a, s);
		return;
	}
	if (a->mode == MODE_STARTTLS && !s->starttls_offered &&
	    s->ehlo_code >= 200 && s->ehlo_code < 300) {
		char ev[128];

		snprintf(ev, sizeof(ev), "EHLO reply lists %zu keywords, no STARTTLS",
		    s->capabilities.n);
		report_add_finding(r, "starttls.not_offered", SEV_WARNING, host,
		    a->address, a->port, ev, NULL,
		    "The server does not offer STARTTLS: mail to it travels unencrypted");
	}
}
