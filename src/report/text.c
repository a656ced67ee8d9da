/* text: the human report: header, targets, MX hosts, addresses with facts and findings, sending IPs, summary. */
#include "report/report.h"
#include "audit/audit.h"
#include "tls/suites.h"
#include "report/render.h"
#include "util/buf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HEADER_MAX	1024	/* bytes of the "checked ..." list in the header */

/* Where findings are printed: every finding is printed once, under the
 * first place it concerns (target, host or address) in report order, and
 * whatever concerns no place shown ends up under "Other findings". */
struct text_ctx {
	struct text_out		 out;
	const struct report	*r;
	bool			 verbose;
	const struct finding	**fv;		/* worst first */
	size_t			 nf;
	unsigned		*shown_in;	/* per fv: place that printed it, 0 = none */
	unsigned		 place;		/* number of the current place */
	const struct finding	*first_error;	/* first error printed */
};

enum place_kind {
	PLACE_TARGET,	/* findings about the domain: host is the domain */
	PLACE_HOST,	/* findings about a host name: no address */
	PLACE_ADDR	/* findings about one address (host NULL for literals and --sending-ip) */
};

struct place {
	enum place_kind			 kind;
	const char			*name;
	const struct addr_result	*a;
};

static bool
name_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

static bool
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static bool
place_match(const struct place *p, const struct finding *f)
{
	if (p->kind != PLACE_ADDR)
		return f->address == NULL && p->name != NULL &&
		    name_eq(f->host, p->name);
	/* A finding names its port only when a connection is concerned. */
	return f->address != NULL && str_eq(f->address, p->a->address) &&
	    name_eq(f->host, p->name) &&
	    (f->port == 0 || f->port == p->a->port);
}

/* The same host can appear under two targets (two domains sharing an MX)
 * and then carries two equal findings: print one under each. */
static bool
shown_here(const struct text_ctx *c, const struct finding *f)
{
	size_t i;

	for (i = 0; i < c->nf; i++)
		if (c->shown_in[i] == c->place &&
		    strcmp(c->fv[i]->id, f->id) == 0 &&
		    str_eq(c->fv[i]->message, f->message) &&
		    str_eq(c->fv[i]->evidence, f->evidence))
			return true;
	return false;
}

static void
show(struct text_ctx *c, size_t i, int ind)
{
	text_finding(&c->out, ind, c->fv[i]);
	c->shown_in[i] = c->place;
	if (c->first_error == NULL && c->fv[i]->severity == SEV_ERROR)
		c->first_error = c->fv[i];
}

/* print_findings: the findings of place p not printed yet, worst first;
 * returns how many. */
static size_t
print_findings(struct text_ctx *c, const struct place *p, int ind)
{
	size_t i, n = 0;

	c->place++;
	for (i = 0; i < c->nf; i++) {
		if (c->shown_in[i] != 0 || !place_match(p, c->fv[i]) ||
		    shown_here(c, c->fv[i]))
			continue;
		show(c, i, ind);
		n++;
	}
	return n;
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* checked_list: what was checked, for the header: "example.com,
 * smtp://mx.example.net; sending IP 192.0.2.1", ending in "..." when it
 * would pass HEADER_MAX. */
static char *
checked_list(const struct report *r)
{
	struct buf *b = buf_new(HEADER_MAX);
	int rc = 0;
	size_t i;
	char *s;

	for (i = 0; i < r->ntargets && rc == 0; i++)
		rc = buf_printf(b, "%s%s", i ? ", " : "",
		    r->targets[i].target ? r->targets[i].target : "?");
	if (r->nsending > 0 && rc == 0)
		rc = buf_printf(b, "%ssending IP%s ", r->ntargets ? "; " : "",
		    plural(r->nsending, "", "s"));
	for (i = 0; i < r->nsending && rc == 0; i++)
		rc = buf_printf(b, "%s%s", i ? ", " : "",
		    r->sending[i].address ? r->sending[i].address : "?");
	if (rc == -1)
		s = xasprintf("%s...", buf_str(b));
	else
		s = xstrdup(buf_len(b) ? buf_str(b) : "nothing");
	buf_free(b);
	return s;
}

static void
print_header(struct text_ctx *c)
{
	const struct report *r = c->r;
	char ts[RENDER_TIME_LEN];
	const char *started = render_time(r->started, ts);
	char *checked;

	if (r->audit != NULL) {
		text_line(&c->out, 0, "mxdoctor %s, profile %s: audit of %s",
		    r->version ? r->version : MXD_VERSION,
		    r->profile ? r->profile : "?",
		    audit_mta_name(r->audit->mta));
		return;
	}
	checked = checked_list(r);
	text_line(&c->out, 0, "mxdoctor %s, profile %s: checked %s",
	    r->version ? r->version : MXD_VERSION,
	    r->profile ? r->profile : "?", checked);
	free(checked);
	text_line(&c->out, 0, "%s%s%stook %ld.%02ld s, %u connection%s, "
	    "%u DNS quer%s", started ? "started " : "", started ? started : "",
	    started ? ", " : "", r->elapsed_ms / 1000, r->elapsed_ms % 1000 / 10,
	    r->connections, plural(r->connections, "", "s"), r->dns_queries,
	    plural(r->dns_queries, "y", "ies"));
	if (c->verbose)
		text_line(&c->out, 0, "EHLO name %s, resolver %s, timeout %d ms, "
		    "greeting timeout %d ms", r->ehlo_name ? r->ehlo_name : "?",
		    r->resolver ? r->resolver : "system (resolv.conf)",
		    r->timeout_ms, r->greeting_timeout_ms);
}

static void
print_address(struct text_ctx *c, const char *host,
    const struct addr_result *a, int ind)
{
	struct place p = { PLACE_ADDR, host, a };

	text_blank(&c->out);
	text_line(&c->out, ind, "%s port %d", a->address ? a->address : "?",
	    a->port);
	text_facts_addr(&c->out, ind + 2, a, host, c->verbose);
	if (print_findings(c, &p, ind + 2) == 0 && a->smtp.tried)
		text_line(&c->out, ind + 2, "no problems found");
}

static void
print_host(struct text_ctx *c, const struct host_result *h)
{
	struct place p = { PLACE_HOST, h->name, NULL };
	size_t i;

	if (h->name != NULL) {
		text_blank(&c->out);
		if (h->preference >= 0)
			text_line(&c->out, 2, "MX %d %s", h->preference, h->name);
		else
			text_line(&c->out, 2, "Host %s", h->name);
		print_findings(c, &p, 4);
		if (h->naddrs == 0 || c->verbose)
			text_line(&c->out, 4, "%saddresses: A %s, AAAA %s",
			    h->naddrs == 0 ? "no " : "",
			    dns_status_name(h->a_status),
			    dns_status_name(h->aaaa_status));
	}
	for (i = 0; i < h->naddrs; i++)
		print_address(c, h->name, &h->addrs[i], 4);
}

static void
print_mx_note(struct text_ctx *c, const struct target_result *t)
{
	if (t->kind != TARGET_DOMAIN)
		return;
	if (t->null_mx)
		text_fact(&c->out, 2, "MX", "null MX (MX 0 .): the domain "
		    "accepts no mail");
	else if (t->mx_fallback)
		text_fact(&c->out, 2, "MX", "none: the domain's own address is "
		    "used (RFC 5321 implicit MX)");
	else if (t->mx_status == DNS_NXDOMAIN)
		text_fact(&c->out, 2, "MX", "none: the domain does not exist");
	else if (t->mx_status != DNS_OK)
		text_fact(&c->out, 2, "MX", "lookup failed (%s)",
		    dns_status_name(t->mx_status));
	else if (c->verbose)
		text_fact(&c->out, 2, "MX", "%zu host%s", t->nhosts,
		    plural(t->nhosts, "", "s"));
}

static void
print_target(struct text_ctx *c, const struct target_result *t)
{
	static const char *kinds[] = { "Domain", "Host", "Address" };
	struct place p = { PLACE_TARGET, t->domain, NULL };
	const char *name = t->domain ? t->domain : t->target;
	bool given = t->target && t->domain && strcmp(t->target, t->domain);
	size_t i;

	text_blank(&c->out);
	text_line(&c->out, 0, "%s %s, port %d, %s%s%s%s",
	    kinds[t->kind <= TARGET_ADDRESS ? t->kind : TARGET_ADDRESS],
	    name ? name : "?", t->port,
	    t->mode == MODE_IMPLICIT_TLS ? "implicit TLS" : "STARTTLS",
	    given ? " (given as " : "", given ? t->target : "",
	    given ? ")" : "");
	print_mx_note(c, t);
	/* A host target's findings belong to its one host line. */
	if (t->kind == TARGET_DOMAIN)
		print_findings(c, &p, 2);
	for (i = 0; i < t->nhosts; i++)
		print_host(c, &t->hosts[i]);
}

static void
print_sending(struct text_ctx *c)
{
	size_t i;

	if (c->r->nsending == 0)
		return;
	text_blank(&c->out);
	text_line(&c->out, 0, "Sending IP%s (the address%s Microsoft sees when "
	    "you send)", plural(c->r->nsending, "", "s"),
	    plural(c->r->nsending, "", "es"));
	for (i = 0; i < c->r->nsending; i++) {
		const struct addr_result *a = &c->r->sending[i];
		struct place p = { PLACE_ADDR, NULL, a };

		text_blank(&c->out);
		text_line(&c->out, 2, "%s", a->address ? a->address : "?");
		text_facts_ptr(&c->out, 4, &a->ptr);
		text_facts_dnsbl(&c->out, 4, a, c->verbose);
		if (print_findings(c, &p, 4) == 0)
			text_line(&c->out, 4, "no problems found");
	}
}

static void
print_leftovers(struct text_ctx *c)
{
	bool first = true;
	size_t i;

	c->place++;
	for (i = 0; i < c->nf; i++) {
		const struct finding *f = c->fv[i];

		if (c->shown_in[i] != 0)
			continue;
		if (first) {
			text_blank(&c->out);
			text_line(&c->out, 0, "Other findings");
			first = false;
		}
		if (f->host == NULL && f->address == NULL) {
			show(c, i, 2);
			continue;
		}
		text_line(&c->out, 2, "%s%s%s", f->host ? f->host : "",
		    f->host && f->address ? " " : "",
		    f->address ? f->address : "");
		show(c, i, 4);
	}
}

static void
print_summary(struct text_ctx *c)
{
	const struct report *r = c->r;
	size_t nerr = report_count(r, SEV_ERROR);
	size_t nwarn = report_count(r, SEV_WARNING);
	size_t ninfo = report_count(r, SEV_INFO);

	text_blank(&c->out);
	if (r->incomplete)
		text_line(&c->out, 0, "The check is incomplete: %s. The findings "
		    "above may not be all there is.", r->incomplete_why ?
		    r->incomplete_why : "see the messages before this report");
	/* Our own text, printed as is: the guard would eat the dash. */
	fprintf(c->out.fp, "%zu error%s, %zu warning%s, %zu note%s \u2014 "
	    "exit status %d\n", nerr, plural(nerr, "", "s"), nwarn,
	    plural(nwarn, "", "s"), ninfo, plural(ninfo, "", "s"),
	    report_exit_status(r));
	/* The first error the reader met is where to start. */
	if (c->first_error != NULL) {
		const struct finding *f = c->first_error;

		text_line(&c->out, 0, "What to do first%s%s%s%s: %s",
		    f->host || f->address ? ", for " : "",
		    f->host ? f->host : "", f->host && f->address ? " " : "",
		    f->address ? f->address : "", f->fix ? f->fix : "");
	}
}


/*
 * mxdoctor audit: the configuration model, per side.
 */

static void
versions_line(char *out, size_t size, unsigned mask)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = TLS_NVERSIONS - 1; i >= 0; i--)
		if (mask & (1u << i))
			o += (size_t)snprintf(out + o, o < size ? size - o : 0,
			    "%s%s", o ? " " : "",
			    tls_version_name(tls_version_at(i)));
	if (o == 0)
		snprintf(out, size, "none");
}

static void
print_side(struct text_ctx *c, const struct audit_side *s, bool server)
{
	struct place p = { PLACE_HOST, server ? "server" : "client", NULL };
	char vt[128];
	size_t i;

	text_blank(&c->out);
	text_line(&c->out, 0, "%s", server ?
	    "Receiving: your MTA as the server Microsoft connects to" :
	    "Sending: your MTA as the client that connects to Microsoft");
	if (!s->present) {
		text_line(&c->out, 2, "not audited for this MTA");
		return;
	}
	text_fact(&c->out, 2, "TLS", "%s%s%s%s", audit_tls_use_name(s->use),
	    s->use_from ? " (" : "", s->use_from ? s->use_from : "",
	    s->use_from ? ")" : "");
	if (s->versions_known) {
		versions_line(vt, sizeof(vt), s->versions);
		text_fact(&c->out, 2, "versions", "%s", vt);
		if (c->verbose && s->versions_from)
			text_fact(&c->out, 4, "from", "%s", s->versions_from);
	} else if (s->use != AUDIT_TLS_OFF)
		text_fact(&c->out, 2, "versions", "not known");
	if (s->suites_known) {
		const struct tls_suite *t = s->nsuites > 0 ?
		    tls_suite_by_code(s->suites[0]) : NULL;

		text_fact(&c->out, 2, "suites", "%zu up to TLS 1.2%s%s%s, %zu "
		    "for TLS 1.3%s", s->nsuites, t ? " (first " : "",
		    t ? t->name : "", t ? ")" : "", s->nsuites13,
		    server && s->server_order ? "; server order" : "");
		if (c->verbose && s->suites_from)
			text_fact(&c->out, 4, "from", "%s", s->suites_from);
	}
	if (s->verdict != NULL)
		text_fact(&c->out, 2, "verdict", "%s", s->verdict);
	if (!server)
		text_fact(&c->out, 2, "SNI", "%s", s->sni ? s->sni : "not sent");
	for (i = 0; i < s->ncerts; i++)
		text_fact(&c->out, 2, "certificate", "%s%s%s",
		    s->certs[i].cert_file ? s->certs[i].cert_file : "?",
		    s->certs[i].key_file && s->certs[i].cert_file &&
		    strcmp(s->certs[i].key_file, s->certs[i].cert_file) ?
		    ", key " : "",
		    s->certs[i].key_file && s->certs[i].cert_file &&
		    strcmp(s->certs[i].key_file, s->certs[i].cert_file) ?
		    s->certs[i].key_file : "");
	for (i = 0; i < s->ncerts_sni; i++)
		text_fact(&c->out, 2, "SNI certificate", "%s (%s)",
		    s->certs_sni[i].cert_file ? s->certs_sni[i].cert_file : "?",
		    s->certs_sni[i].from ? s->certs_sni[i].from : "");
	if (print_findings(c, &p, 2) == 0)
		text_line(&c->out, 2, "no problems found");
}

static void
print_audit(struct text_ctx *c)
{
	const struct audit_result *a = c->r->audit;
	size_t i;

	if (a == NULL)
		return;
	text_blank(&c->out);
	text_line(&c->out, 0, "%s%s%s, read from %s", audit_mta_name(a->mta),
	    a->mta_version ? " " : "", a->mta_version ? a->mta_version : "",
	    a->source ? a->source : "?");
	if (a->tls_library)
		text_fact(&c->out, 2, "TLS library", "%s%s%s%s", a->tls_library,
		    c->verbose && a->tls_library_from ? " (" : "",
		    c->verbose && a->tls_library_from ? a->tls_library_from : "",
		    c->verbose && a->tls_library_from ? ")" : "");
	if (a->hostname)
		text_fact(&c->out, 2, "host name", "%s", a->hostname);
	if (c->verbose)
		for (i = 0; i < a->nsettings; i++)
			text_fact(&c->out, 2, a->settings[i].name, "%s (%s)",
			    a->settings[i].value, a->settings[i].origin ?
			    a->settings[i].origin : "?");
	print_side(c, &a->client, false);
	print_side(c, &a->server, true);
}

int
report_render_text(const struct report *r, const struct report_text_opts *o,
    FILE *out)
{
	struct text_ctx c;
	size_t i;

	memset(&c, 0, sizeof(c));
	c.out.fp = out;
	c.out.color = o != NULL && o->color;
	c.verbose = o != NULL && o->verbose;
	c.r = r;
	c.fv = render_findings_sorted(r, &c.nf);
	c.shown_in = xcalloc(c.nf + 1, sizeof(*c.shown_in));
	print_header(&c);
	for (i = 0; i < r->ntargets; i++)
		print_target(&c, &r->targets[i]);
	print_sending(&c);
	print_audit(&c);
	print_leftovers(&c);
	print_summary(&c);
	free(c.shown_in);
	free(c.fv);
	return fflush(out) == EOF || ferror(out) ? -1 : 0;
}
