/* result: constructors, destructors and ordering of the collected results. */
#include "check/result.h"
#include "check/catalogue.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_ERROR:		return "error";
	case SEV_WARNING:	return "warning";
	default:		return "info";
	}
}

const char *
smtp_mode_name(enum smtp_mode m)
{
	return m == MODE_IMPLICIT_TLS ? "implicit_tls" : "starttls";
}

const char *
target_kind_name(enum target_kind k)
{
	switch (k) {
	case TARGET_DOMAIN:	return "domain";
	case TARGET_HOST:	return "host";
	default:		return "address";
	}
}

struct report *
report_new(void)
{
	return xcalloc(1, sizeof(struct report));
}

static void
pick_clear(struct tls_pick_fact *p)
{
	free(p->version);
	free(p->suite);
	free(p->group);
	free(p->detail);
}

/* scan_facts_clear: everything a tls_scan_facts owns. */
static void
scan_facts_clear(struct tls_scan_facts *s)
{
	size_t i;

	free(s->stopped);
	for (i = 0; i < 6; i++) {
		free(s->v[i].verdict);
		free(s->v[i].detail);
		free(s->v[i].suite);
		pick_clear(&s->profile_pick[i]);
	}
	free(s->typical_version);
	free(s->typical_suite);
	pick_clear(&s->weak);
	pick_clear(&s->dhe);
	pick_clear(&s->fs);
	free(s->profile);
	free(s->profile_status);
	free(s->profile_version);
	free(s->profile_suite);
	free(s->profile_reason);
	free(s->nosni_error);
	if (s->nosni_have_chain)
		chain_report_clear(&s->nosni_chain);
	for (i = 0; i < s->nlists; i++) {
		free(s->lists[i].version);
		strvec_clear(&s->lists[i].suites);
		free(s->lists[i].order);
		free(s->lists[i].error);
	}
	free(s->lists);
}

static void
addr_result_clear(struct addr_result *a)
{
	size_t i;

	free(a->address);
	strvec_clear(&a->ptr.names);
	free(a->ptr.confirmed_name);
	free(a->ptr.generic_why);
	for (i = 0; i < a->ndnsbl; i++) {
		free(a->dnsbl[i].zone);
		free(a->dnsbl[i].query);
		free(a->dnsbl[i].answer);
		free(a->dnsbl[i].meaning);
		free(a->dnsbl[i].txt);
	}
	free(a->dnsbl);
	free(a->smtp.greeting);
	free(a->smtp.greeting_name);
	strvec_clear(&a->smtp.capabilities);
	strvec_clear(&a->smtp.capabilities_tls);
	free(a->smtp.starttls_reply);
	free(a->smtp.error_class);
	free(a->smtp.error_step);
	free(a->smtp.error_detail);
	free(a->tls.sni);
	free(a->tls.version);
	free(a->tls.cipher);
	free(a->tls.cipher_openssl);
	free(a->tls.group);
	free(a->tls.error);
	if (a->tls.have_chain)
		chain_report_clear(&a->tls.chain);
	scan_facts_clear(&a->scan);
}

static void
finding_clear(struct finding *f)
{
	free(f->host);
	free(f->address);
	free(f->message);
	free(f->evidence);
	free(f->fix);
}

void
report_free(struct report *r)
{
	size_t i, j, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->ntargets; i++) {
		struct target_result *t = &r->targets[i];

		for (j = 0; j < t->nhosts; j++) {
			for (k = 0; k < t->hosts[j].naddrs; k++)
				addr_result_clear(&t->hosts[j].addrs[k]);
			free(t->hosts[j].addrs);
			free(t->hosts[j].name);
		}
		free(t->hosts);
		free(t->target);
		free(t->domain);
	}
	free(r->targets);
	for (i = 0; i < r->nsending; i++)
		addr_result_clear(&r->sending[i]);
	free(r->sending);
	for (i = 0; i < r->nfindings; i++)
		finding_clear(&r->findings[i]);
	free(r->findings);
	free(r->version);
	free(r->profile);
	free(r->ehlo_name);
	free(r->resolver);
	free(r->incomplete_why);
	free(r);
}

struct finding *
report_add_finding(struct report *r, const char *id, enum severity sev,
    const char *host, const char *address, int port, const char *evidence,
    const char *fix, const char *fmt, ...)
{
	const struct catalogue_entry *ce = catalogue_find(id);
	struct finding *f;
	va_list ap;

	if (ce == NULL) {
		/* A programming error: every id must be in the catalogue. */
		fprintf(stderr, "mxdoctor: internal error: unknown finding id %s\n", id);
		abort();
	}
	r->findings = xreallocarray(r->findings, r->nfindings + 1,
	    sizeof(*r->findings));
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	f->id = ce->id;
	f->severity = sev;
	f->host = host ? xstrdup(host) : NULL;
	f->address = address ? xstrdup(address) : NULL;
	f->port = port;
	f->evidence = xstrdup(evidence ? evidence : "");
	f->fix = xstrdup(fix ? fix : ce->fix);
	va_start(ap, fmt);
	if (vasprintf(&f->message, fmt, ap) < 0)
		f->message = xstrdup(ce->title);
	va_end(ap);
	return f;
}

static int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int
finding_cmp(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c;

	if (a->severity != b->severity)
		return (int)b->severity - (int)a->severity;
	if ((c = strcmp_null(a->host, b->host)) != 0)
		return c;
	if ((c = strcmp_null(a->address, b->address)) != 0)
		return c;
	if (a->port != b->port)
		return a->port - b->port;
	return strcmp(a->id, b->id);
}

void
report_sort_findings(struct report *r)
{
	if (r->nfindings > 1)
		qsort(r->findings, r->nfindings, sizeof(*r->findings),
		    finding_cmp);
}

int
report_worst(const struct report *r)
{
	int worst = -1;
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		if ((int)r->findings[i].severity > worst)
			worst = (int)r->findings[i].severity;
	return worst;
}

int
report_exit_status(const struct report *r)
{
	int worst;

	if (r->incomplete)
		return 3;
	worst = report_worst(r);
	if (worst == SEV_ERROR)
		return 2;
	if (worst == SEV_WARNING)
		return 1;
	return 0;
}

size_t
report_count(const struct report *r, enum severity sev)
{
	size_t i, n = 0;

	for (i = 0; i < r->nfindings; i++)
		if (r->findings[i].severity == sev)
			n++;
	return n;
}
