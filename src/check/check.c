/* check: runs the whole diagnosis in one event loop: MX and address lookups, then per-address probes. */
#include "check/check.h"
#include "check/eval.h"
#include "check/run.h"
#include "tls/profile.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <event2/event.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A host's pending A and AAAA lookups. */
struct host_job {
	struct run		*run;
	struct target_result	*t;
	struct host_result	*h;
	int			 waiting;
	struct addr		 v4[RUN_MAX_ADDRS], v6[RUN_MAX_ADDRS];
	size_t			 n4, n6;
};

struct target_job {
	struct run		*run;
	struct target_result	*t;
};

void
run_hold(struct run *run)
{
	run->pending++;
}

void
run_release(struct run *run)
{
	if (--run->pending == 0)
		event_base_loopexit(run->base, NULL);
}

void
run_query(struct run *run, const char *name, int type, dns_cb *cb, void *arg)
{
	run_hold(run);
	if (dns_query(run->dns, name, type, cb, arg) == -1) {
		struct dns_answer none = { .status = DNS_ERROR,
		    .why = (char *)"invalid name" };

		cb(arg, &none);
	}
}

void
run_progress(struct run *run, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (run->o->progress == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	run->o->progress(msg, run->o->progress_arg);
}

static void
mark_incomplete(struct run *run, const char *what, enum dns_status st)
{
	if (st != DNS_TIMEOUT && st != DNS_ERROR)
		return;
	if (!run->r->incomplete) {
		run->r->incomplete = true;
		run->r->incomplete_why = xasprintf(
		    "DNS lookup of %s failed (%s): the resolver may be unreachable",
		    what, dns_status_name(st));
	}
}

static void
addr_result_init(struct addr_result *a, const struct addr *ip,
    const struct target_result *t)
{
	char buf[ADDR_STRLEN];

	memset(a, 0, sizeof(*a));
	a->addr = *ip;
	a->address = xstrdup(addr_format(ip, buf, sizeof(buf)));
	a->port = t->port;
	a->mode = t->mode;
}

/* start_addresses: every address of h gets its DNS probes and a session. */
static void
start_addresses(struct run *run, struct host_result *h)
{
	size_t i;

	for (i = 0; i < h->naddrs; i++) {
		probe_addr_dns(run, &h->addrs[i]);
		probe_session_queue(run, &h->addrs[i], h->name);
	}
	probe_session_kick(run);
}

static void
collect_addrs(struct host_job *hj, const struct dns_answer *ans, int family)
{
	size_t i, j, *n = family == AF_INET ? &hj->n4 : &hj->n6;
	struct addr *v = family == AF_INET ? hj->v4 : hj->v6;

	for (i = 0; i < ans->nrrs && *n < RUN_MAX_ADDRS; i++) {
		if (ans->rrs[i].addr.family != family)
			continue;
		for (j = 0; j < *n; j++)
			if (addr_equal(&v[j], &ans->rrs[i].addr))
				break;
		if (j == *n)
			v[(*n)++] = ans->rrs[i].addr;
	}
}

static void
host_job_done(struct host_job *hj)
{
	struct host_result *h = hj->h;
	size_t i;

	h->naddrs = hj->n4 + hj->n6;
	h->addrs = xcalloc(h->naddrs ? h->naddrs : 1, sizeof(*h->addrs));
	for (i = 0; i < hj->n4; i++)
		addr_result_init(&h->addrs[i], &hj->v4[i], hj->t);
	for (i = 0; i < hj->n6; i++)
		addr_result_init(&h->addrs[hj->n4 + i], &hj->v6[i], hj->t);
	if (hj->t->kind == TARGET_HOST && h->naddrs == 0) {
		mark_incomplete(hj->run, h->name, h->a_status);
		mark_incomplete(hj->run, h->name, h->aaaa_status);
	}
	start_addresses(hj->run, h);
}

static void
host_a_cb(void *arg, const struct dns_answer *ans)
{
	struct host_job *hj = arg;
	struct run *run = hj->run;

	hj->h->a_status = ans->status;
	collect_addrs(hj, ans, AF_INET);
	if (--hj->waiting == 0) {
		host_job_done(hj);
		free(hj);
	}
	run_release(run);
}

static void
host_aaaa_cb(void *arg, const struct dns_answer *ans)
{
	struct host_job *hj = arg;
	struct run *run = hj->run;

	hj->h->aaaa_status = ans->status;
	collect_addrs(hj, ans, AF_INET6);
	if (--hj->waiting == 0) {
		host_job_done(hj);
		free(hj);
	}
	run_release(run);
}

static void
start_host(struct run *run, struct target_result *t, struct host_result *h)
{
	struct host_job *hj = xcalloc(1, sizeof(*hj));

	hj->run = run;
	hj->t = t;
	hj->h = h;
	hj->waiting = 2;
	h->a_status = h->aaaa_status = DNS_ERROR;
	run_progress(run, "looking up %s", h->name);
	run_query(run, h->name, DNS_T_A, host_a_cb, hj);
	run_query(run, h->name, DNS_T_AAAA, host_aaaa_cb, hj);
}

static int
mx_cmp(const void *pa, const void *pb)
{
	const struct dns_rr *a = pa, *b = pb;

	if (a->pref != b->pref)
		return a->pref - b->pref;
	return strcmp(a->name, b->name);
}

static bool
is_null_mx(const struct dns_answer *ans)
{
	const char *n;

	if (ans->nrrs != 1)
		return false;
	n = ans->rrs[0].name;
	return n == NULL || n[0] == '\0' || strcmp(n, ".") == 0;
}

/* set_mx_hosts: the MX set, sorted by preference then name, without
 * duplicates or empty names, capped at RUN_MAX_MX. */
static void
set_mx_hosts(struct target_result *t, const struct dns_answer *ans)
{
	struct dns_rr *rrs = xcalloc(ans->nrrs ? ans->nrrs : 1, sizeof(*rrs));
	size_t i, j, n = 0;

	for (i = 0; i < ans->nrrs; i++)
		if (ans->rrs[i].name != NULL && ans->rrs[i].name[0] != '\0' &&
		    strcmp(ans->rrs[i].name, ".") != 0)
			rrs[n++] = ans->rrs[i];
	qsort(rrs, n, sizeof(*rrs), mx_cmp);
	t->hosts = xcalloc(n ? n : 1, sizeof(*t->hosts));
	for (i = 0; i < n && t->nhosts < RUN_MAX_MX; i++) {
		for (j = 0; j < t->nhosts; j++)
			if (strcmp(t->hosts[j].name, rrs[i].name) == 0)
				break;
		if (j < t->nhosts)
			continue;
		t->hosts[t->nhosts].name = xstrdup(rrs[i].name);
		t->hosts[t->nhosts].preference = rrs[i].pref;
		t->nhosts++;
	}
	free(rrs);
}

static void
single_host(struct target_result *t, const char *name)
{
	t->hosts = xcalloc(1, sizeof(*t->hosts));
	t->nhosts = 1;
	t->hosts[0].name = name ? xstrdup(name) : NULL;
	t->hosts[0].preference = -1;
}

/* parent_mx_cb: the parent domain's MX set names this target: it is a
 * mail host, checked as such; otherwise it is a domain without MX and
 * RFC 5321's fallback applies. */
static void
parent_mx_cb(void *arg, const struct dns_answer *ans)
{
	struct target_job *tj = arg;
	struct target_result *t = tj->t;
	struct run *run = tj->run;
	size_t i;

	for (i = 0; ans->status == DNS_OK && i < ans->nrrs; i++)
		if (ans->rrs[i].name && strcmp(ans->rrs[i].name, t->domain) == 0)
			t->kind = TARGET_HOST;
	if (t->kind == TARGET_DOMAIN)
		t->mx_fallback = true;
	single_host(t, t->domain);
	start_host(run, t, &t->hosts[0]);
	free(tj);
	run_release(run);
}

static bool
start_parent_mx(struct run *run, struct target_job *tj)
{
	const char *parent = strchr(tj->t->domain, '.');

	if (parent == NULL || strchr(parent + 1, '.') == NULL)
		return false;	/* never ask a top-level domain */
	run_hold(run);
	if (dns_query(run->dns, parent + 1, DNS_T_MX, parent_mx_cb, tj) == -1) {
		run_release(run);
		return false;
	}
	return true;
}

static void
mx_cb(void *arg, const struct dns_answer *ans)
{
	struct target_job *tj = arg;
	struct target_result *t = tj->t;
	struct run *run = tj->run;
	size_t i;

	t->mx_status = ans->status;
	if (ans->status == DNS_OK && is_null_mx(ans)) {
		t->null_mx = true;
	} else if (ans->status == DNS_OK) {
		set_mx_hosts(t, ans);
		if (t->nhosts == 0)
			t->null_mx = true;
	} else if (ans->status == DNS_NODATA) {
		/* A name without MX may be a mail host given by name rather
		 * than a domain without MX: ask its parent first. */
		if (start_parent_mx(run, tj)) {
			run_release(run);
			return;
		}
		t->mx_fallback = true;
		single_host(t, t->domain);
	} else {
		mark_incomplete(run, t->domain, ans->status);
	}
	for (i = 0; i < t->nhosts; i++)
		start_host(run, t, &t->hosts[i]);
	free(tj);
	run_release(run);
}

static void
start_target(struct run *run, struct target_result *t,
    const struct target_spec *s)
{
	struct target_job *tj;

	if (s->kind == TARGET_ADDRESS) {
		single_host(t, NULL);
		t->hosts[0].a_status = t->hosts[0].aaaa_status = DNS_OK;
		t->hosts[0].naddrs = 1;
		t->hosts[0].addrs = xcalloc(1, sizeof(struct addr_result));
		addr_result_init(&t->hosts[0].addrs[0], &s->addr, t);
		start_addresses(run, &t->hosts[0]);
		return;
	}
	if (s->kind == TARGET_HOST) {
		single_host(t, s->name);
		start_host(run, t, &t->hosts[0]);
		return;
	}
	tj = xcalloc(1, sizeof(*tj));
	tj->run = run;
	tj->t = t;
	run_progress(run, "looking up MX of %s", s->name);
	run_query(run, s->name, DNS_T_MX, mx_cb, tj);
}

static void
init_targets(struct report *r, const struct target_spec *specs, size_t n)
{
	char buf[ADDR_STRLEN];
	size_t i;

	r->targets = xcalloc(n ? n : 1, sizeof(*r->targets));
	r->ntargets = n;
	for (i = 0; i < n; i++) {
		struct target_result *t = &r->targets[i];

		t->kind = specs[i].kind;
		t->port = specs[i].port;
		t->mode = specs[i].mode;
		t->mx_status = DNS_OK;
		if (specs[i].kind == TARGET_ADDRESS) {
			addr_format(&specs[i].addr, buf, sizeof(buf));
			t->target = xstrdup(buf);
		} else {
			t->target = xstrdup(specs[i].name);
			t->domain = xstrdup(specs[i].name);
		}
	}
}

static void
init_sending(struct run *run, struct report *r, const struct check_opts *o)
{
	char buf[ADDR_STRLEN];
	size_t i;

	r->sending = xcalloc(o->nsending_ips ? o->nsending_ips : 1,
	    sizeof(*r->sending));
	for (i = 0; i < o->nsending_ips; i++) {
		struct addr ip;

		if (addr_parse(o->sending_ips[i], &ip) == -1)
			continue;	/* validated by the caller */
		r->sending[r->nsending].addr = ip;
		r->sending[r->nsending].address =
		    xstrdup(addr_format(&ip, buf, sizeof(buf)));
		probe_addr_dns(run, &r->sending[r->nsending]);
		r->nsending++;
	}
}

static long
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long)(t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void
count_connections(struct report *r)
{
	size_t i, j, k;

	for (i = 0; i < r->ntargets; i++)
		for (j = 0; j < r->targets[i].nhosts; j++)
			for (k = 0; k < r->targets[i].hosts[j].naddrs; k++)
				r->connections +=
				    r->targets[i].hosts[j].addrs[k].connections;
}

struct tls_profile *
check_profile_load(const char *arg, char **err)
{
	const char *env = getenv("MXDOCTOR_PROFILE_DIR");
	struct tls_profile *p;
	char *ignored = NULL;

	*err = NULL;
	if (strchr(arg, '/') != NULL)
		return tls_profile_load(arg, err);
	if (env != NULL && env[0] != '\0')
		return tls_profile_load_named(arg, env, err);
	if ((p = tls_profile_load_named(arg, NULL, err)) != NULL)
		return p;
#ifdef MXD_SOURCE_PROFILE_DIR
	if ((p = tls_profile_load_named(arg, MXD_SOURCE_PROFILE_DIR,
	    &ignored)) != NULL) {
		free(*err);
		*err = NULL;
		return p;
	}
	free(ignored);
#endif
	return NULL;
}

int
check_run(const struct check_opts *o, const struct target_spec *specs,
    size_t nspecs, struct report *r, char **err)
{
	struct run run;
	struct timespec t0;
	const char *terr = NULL;
	size_t i;
	int ret = -1;

	memset(&run, 0, sizeof(run));
	run.o = o;
	run.r = r;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r->started = time(NULL);
	r->timeout_ms = o->timeout_ms;
	r->greeting_timeout_ms = o->greeting_timeout_ms;
	if ((run.base = event_base_new()) == NULL) {
		*err = xstrdup("cannot create the event loop");
		goto out;
	}
	if ((run.trust = x509_trust_new(o->ca_file, o->ca_path, &terr)) == NULL) {
		*err = xasprintf("trust store: %s", terr ? terr : "cannot load");
		goto out;
	}
	if ((run.dns = dns_ctx_new(run.base, o->resolver, o->timeout_ms,
	    err)) == NULL)
		goto out;

	init_targets(r, specs, nspecs);
	run_hold(&run);		/* until every start below is issued */
	for (i = 0; i < nspecs; i++)
		start_target(&run, &r->targets[i], &specs[i]);
	init_sending(&run, r, o);
	run_release(&run);
	if (run.pending > 0)
		event_base_dispatch(run.base);

	probe_session_finish(&run);
	r->dns_queries = dns_ctx_queries(run.dns);
	count_connections(r);
	eval_all(r);
	r->elapsed_ms = elapsed_ms(&t0);
	ret = 0;
out:
	dns_ctx_free(run.dns);
	x509_trust_free(run.trust);
	if (run.base)
		event_base_free(run.base);
	return ret;
}
