/* probe_addr: DNS probes of one address: PTR with forward confirmation, and DNSBL listings. */
#include "check/run.h"
#include "dns/dnsbl.h"
#include "dns/ptr.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

struct ptr_job {
	struct run		*run;
	struct addr_result	*a;
	int			 waiting;	/* forward lookups outstanding */
};

struct fwd_job {
	struct ptr_job		*pj;
	char			*name;
};

struct dnsbl_job {
	struct run		*run;
	struct dnsbl_result	*d;
};

static void
ptr_job_finish(struct ptr_job *pj)
{
	struct ptr_result *p = &pj->a->ptr;
	const char *name = p->confirmed_name ? p->confirmed_name :
	    (p->names.n ? p->names.v[0] : NULL);
	char why[256];

	if (name != NULL && ptr_is_generic(name, &pj->a->addr, why, sizeof(why))) {
		p->generic = true;
		p->generic_why = xstrdup(why);
	}
	free(pj);
}

static void
fwd_cb(void *arg, const struct dns_answer *ans)
{
	struct fwd_job *fj = arg;
	struct ptr_job *pj = fj->pj;
	struct run *run = pj->run;
	size_t i;

	for (i = 0; i < ans->nrrs; i++) {
		if (addr_equal(&ans->rrs[i].addr, &pj->a->addr) &&
		    !pj->a->ptr.forward_confirmed) {
			pj->a->ptr.forward_confirmed = true;
			pj->a->ptr.confirmed_name = xstrdup(fj->name);
		}
	}
	free(fj->name);
	free(fj);
	if (--pj->waiting == 0)
		ptr_job_finish(pj);
	run_release(run);
}

static void
ptr_cb(void *arg, const struct dns_answer *ans)
{
	struct ptr_job *pj = arg;
	struct run *run = pj->run;
	int type = pj->a->addr.family == AF_INET ? DNS_T_A : DNS_T_AAAA;
	size_t i;

	pj->a->ptr.status = ans->status;
	for (i = 0; i < ans->nrrs && pj->a->ptr.names.n < RUN_MAX_PTR_NAMES; i++)
		if (ans->rrs[i].name && ans->rrs[i].name[0] &&
		    !strvec_contains_ci(&pj->a->ptr.names, ans->rrs[i].name))
			strvec_add(&pj->a->ptr.names, ans->rrs[i].name);
	pj->waiting = 1;	/* held by this function until the loop below ends */
	for (i = 0; i < pj->a->ptr.names.n; i++) {
		struct fwd_job *fj = xcalloc(1, sizeof(*fj));

		fj->pj = pj;
		fj->name = xstrdup(pj->a->ptr.names.v[i]);
		pj->waiting++;
		run_query(run, fj->name, type, fwd_cb, fj);
	}
	if (--pj->waiting == 0)
		ptr_job_finish(pj);
	run_release(run);
}

static void
dnsbl_txt_cb(void *arg, const struct dns_answer *ans)
{
	struct dnsbl_job *dj = arg;
	struct run *run = dj->run;

	if (ans->status == DNS_OK && ans->nrrs > 0 && ans->rrs[0].txt)
		dj->d->txt = xstrdup(ans->rrs[0].txt);
	free(dj);
	run_release(run);
}

static void
dnsbl_a_cb(void *arg, const struct dns_answer *ans)
{
	struct dnsbl_job *dj = arg;
	struct run *run = dj->run;
	struct dnsbl_result *d = dj->d;
	char meaning[256] = "", buf[ADDR_STRLEN];

	d->status = ans->status;
	d->verdict = dnsbl_interpret_answer(d->zone, ans, meaning,
	    sizeof(meaning));
	if (ans->status == DNS_OK && ans->nrrs > 0)
		d->answer = xstrdup(addr_format(&ans->rrs[0].addr, buf,
		    sizeof(buf)));
	if (meaning[0])
		d->meaning = xstrdup(meaning);
	if (d->verdict == DNSBL_LISTED)
		run_query(run, d->query, DNS_T_TXT, dnsbl_txt_cb, dj);
	else
		free(dj);
	run_release(run);
}

/* zones_for: the zones to query for a, from the options. */
static size_t
zones_for(struct run *run, const struct addr *a, const char **out, size_t max)
{
	const struct check_opts *o = run->o;
	size_t i, n = 0, nz;

	if (o->use_default_dnsbl) {
		const struct dnsbl_zone *z = dnsbl_default_zones(&nz);

		for (i = 0; i < nz && n < max; i++)
			if (a->family == AF_INET || z[i].ipv6)
				out[n++] = z[i].zone;
		return n;
	}
	for (i = 0; i < o->ndnsbl_zones && n < max; i++)
		out[n++] = o->dnsbl_zones[i];
	return n;
}

static void
start_dnsbl(struct run *run, struct addr_result *a)
{
	const char *zones[32];
	char q[512];
	size_t i, n = zones_for(run, &a->addr, zones, 32);

	a->dnsbl = xcalloc(n ? n : 1, sizeof(*a->dnsbl));
	for (i = 0; i < n; i++) {
		struct dnsbl_result *d = &a->dnsbl[a->ndnsbl];
		struct dnsbl_job *dj;

		if (dnsbl_query_name(&a->addr, zones[i], q, sizeof(q)) == -1)
			continue;
		a->ndnsbl++;
		d->zone = xstrdup(zones[i]);
		d->query = xstrdup(q);
		d->verdict = DNSBL_ERROR;
		dj = xcalloc(1, sizeof(*dj));
		dj->run = run;
		dj->d = d;
		run_query(run, q, DNS_T_A, dnsbl_a_cb, dj);
	}
}

void
probe_addr_dns(struct run *run, struct addr_result *a)
{
	struct ptr_job *pj = xcalloc(1, sizeof(*pj));
	char name[128];

	pj->run = run;
	pj->a = a;
	a->ptr.status = DNS_ERROR;
	addr_reverse_name(&a->addr, NULL, name, sizeof(name));
	run_query(run, name, DNS_T_PTR, ptr_cb, pj);
	start_dnsbl(run, a);
}
