/* probe_tls: the TLS prober per address after the main session: versions, the suites the diagnosis needs (or all, --ciphers), the profile's view, the certificate without SNI. */
#include "check/run.h"
#include "tls/handshake.h"
#include "tls/probe.h"
#include "tls/profile.h"
#include "tls/suites.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Budget of a default check, per address: the main session (1), the
 * versions it did not prove (at most 5), the profile's own offer in TLS
 * 1.3 and in the best older version both speak (at most 2), weak suites
 * only (1), DHE only (1),
 * forward-secret only when a typical client gets no forward secrecy (1),
 * and one handshake without SNI (1): at most 12.  Nothing is asked twice:
 * the main handshake's version counts as accepted.
 */

#define PROBE_SUITES_MAX	512

struct tls_job;

/* One targeted probe: an offer in one version, the server's pick. */
struct probe_task {
	struct tls_job		*job;
	struct tconn		*tc;
	struct tls_pick_fact	*out;
	uint16_t		 version;
	uint16_t		 suites[PROBE_SUITES_MAX];
	size_t			 nsuites;
	bool			 wait_flight;
	bool			 no_sni;	/* the profile's client sends none */
	uint16_t		*picked;	/* where the suite code goes, or NULL */
};

struct tls_job {
	struct run		*run;
	struct addr_result	*a;
	char			*host;
	struct tconn_pool	*pool;
	struct tls_scan		*vscan;
	struct tls_scan		*cscan;
	int			 outstanding;	/* tasks not finished */
	unsigned		 accepted;	/* tls_version_bit mask */
	uint16_t		 main_version;
	uint16_t		 main_suite;
	uint16_t		 best12;	/* best accepted version <= TLS 1.2 */
	uint16_t		 profile_codes[TLS_NVERSIONS];
	/* older profile versions judged by a newer one's probe: its index
	 * + 1, or 0 */
	int			 profile_from[TLS_NVERSIONS];
	/* the provider's one pending request (scans ask one at a time) */
	struct tls_conn_req	*prov_req;
	struct tconn		*prov_tc;
};

static char *
dup_or_null(const char *s)
{
	return s != NULL ? xstrdup(s) : NULL;
}

static char *
suite_name(uint16_t code)
{
	char buf[16];

	return xstrdup(tls_suite_label(code, buf, sizeof(buf)));
}

static void job_task_done(struct tls_job *j);

/*
 * The connection provider the tls/ scans use.
 */

static void
prov_ready(struct tconn *tc, struct bufferevent *raw, const char *why,
    void *arg)
{
	struct tls_job *j = arg;
	struct tls_conn_req *req = j->prov_req;

	j->prov_req = NULL;
	j->prov_tc = NULL;
	if (req == NULL) {	/* cancelled meanwhile: cannot happen */
		if (raw != NULL)
			tconn_put(tc);
		return;
	}
	if (raw != NULL)
		tls_conn_ready(req, raw, tc);
	else
		tls_conn_failed(req, why);
}

static void
prov_get(struct tls_conn_req *req, void *arg)
{
	struct tls_job *j = arg;
	struct tconn *tc;

	j->prov_req = req;
	tc = tconn_get(j->pool, prov_ready, j);
	if (j->prov_req == req)		/* not answered from inside */
		j->prov_tc = tc;
}

static void
prov_put(struct bufferevent *bev, void *conn_arg, void *arg)
{
	(void)bev;
	(void)arg;
	tconn_put(conn_arg);
}

static void
prov_cancel(struct tls_conn_req *req, void *arg)
{
	struct tls_job *j = arg;

	(void)req;
	if (j->prov_tc != NULL)
		tconn_cancel(j->prov_tc);
	j->prov_req = NULL;
	j->prov_tc = NULL;
}

static void
job_provider(struct tls_job *j, struct tls_conn_provider *p)
{
	p->get = prov_get;
	p->put = prov_put;
	p->cancel = prov_cancel;
	p->arg = j;
}

static void
job_scan_params(struct tls_job *j, struct tls_scan_params *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->sni = j->host;
	sp->timeout_ms = j->run->o->timeout_ms;
}

/*
 * Targeted probes.
 */

static void
task_done(struct tls_probe *p, const struct tls_probe_result *res, void *arg)
{
	struct probe_task *t = arg;
	struct tls_pick_fact *out = t->out;
	const char *g;

	out->accepted = res->verdict == TLS_VERDICT_ACCEPTED;
	out->tested = out->accepted || tls_verdict_rejected(res->verdict);
	if (out->accepted) {
		out->suite = suite_name(res->reply.suite);
		if ((g = tls_group_name(res->reply.group)) != NULL)
			out->group = xstrdup(g);
		out->dh_bits = res->reply.dh_bits;
		if (t->picked != NULL)
			*t->picked = res->reply.suite;
	}
	out->detail = res->detail ? str_escape(res->detail,
	    strlen(res->detail), 256) : NULL;
	tls_probe_free(p);
	tconn_put(t->tc);
	job_task_done(t->job);
	free(t);
}

static void
task_ready(struct tconn *tc, struct bufferevent *raw, const char *why,
    void *arg)
{
	struct probe_task *t = arg;
	struct tls_probe_params pp;
	const char *err = NULL;

	t->tc = tc;
	if (raw == NULL) {
		t->out->detail = dup_or_null(why);
		job_task_done(t->job);
		free(t);
		return;
	}
	memset(&pp, 0, sizeof(pp));
	pp.version = t->version;
	pp.suites = t->suites;
	pp.nsuites = t->nsuites;
	pp.sni = t->no_sni ? NULL : t->job->host;
	pp.timeout_ms = t->job->run->o->timeout_ms;
	pp.wait_flight = t->wait_flight;
	if (tls_probe_start(t->job->run->base, raw, &pp, task_done, t,
	    &err) == NULL) {
		t->out->detail = xstrdup(err ? err : "cannot build the hello");
		tconn_put(tc);
		job_task_done(t->job);
		free(t);
	}
}

/* task_queue: a probe of version v with suites (n > 0), result into
 * out; task_start() sends it. */
static struct probe_task *
task_queue(struct tls_job *j, struct tls_pick_fact *out, uint16_t v,
    const uint16_t *suites, size_t n, bool wait_flight, uint16_t *picked)
{
	struct probe_task *t = xcalloc(1, sizeof(*t));

	t->job = j;
	t->out = out;
	t->version = v;
	t->nsuites = n < PROBE_SUITES_MAX ? n : PROBE_SUITES_MAX;
	memcpy(t->suites, suites, t->nsuites * sizeof(*suites));
	t->wait_flight = wait_flight;
	t->picked = picked;
	out->version = xstrdup(tls_version_name(v));
	return t;
}

static void
task_start(struct tls_job *j, struct probe_task *t)
{
	j->outstanding++;
	(void)tconn_get(j->pool, task_ready, t);
}

/* suites_where: the usable suites of v (no set-up, never anonymous)
 * with at least one of the flags in any (0: no condition), none of deny,
 * and key exchange kx (NULL: any), in tls_suites_for_version() order. */
static size_t
suites_where(uint16_t v, unsigned any, unsigned deny, const char *kx,
    uint16_t *out, size_t max)
{
	uint16_t all[PROBE_SUITES_MAX];
	size_t i, n = tls_suites_for_version(v, false, all, PROBE_SUITES_MAX),
	    k = 0;

	for (i = 0; i < n && k < max; i++) {
		const struct tls_suite *s = tls_suite_by_code(all[i]);

		if (s == NULL || (s->flags & TLS_SUITE_ANON) ||
		    (any != 0 && (s->flags & any) == 0) ||
		    (s->flags & deny) != 0 ||
		    (kx != NULL && strcmp(s->kx, kx) != 0))
			continue;
		out[k++] = all[i];
	}
	return k;
}

/*
 * The no-SNI handshake.
 */

struct nosni {
	struct tls_job		*job;
	struct tconn		*tc;
};

static void
nosni_done(struct tls_handshake *h, const struct tls_handshake_info *info,
    void *arg)
{
	struct nosni *ns = arg;
	struct tls_scan_facts *f = &ns->job->a->scan;
	struct run *run = ns->job->run;

	f->nosni_ok = info->ok;
	if (!info->ok)
		f->nosni_error = str_escape(info->error, strlen(info->error),
		    512);
	else if (info->chain != NULL && sk_X509_num(info->chain) > 0 &&
	    x509_analyze(run->trust, info->chain, NULL, ns->job->host,
	    time(NULL), &f->nosni_chain) == 0)
		f->nosni_have_chain = true;
	tls_handshake_free(h);
	tconn_put(ns->tc);
	job_task_done(ns->job);
	free(ns);
}

static void
nosni_ready(struct tconn *tc, struct bufferevent *raw, const char *why,
    void *arg)
{
	struct nosni *ns = arg;
	struct tls_scan_facts *f = &ns->job->a->scan;
	struct tls_handshake_params hp;
	const char *err = NULL;

	ns->tc = tc;
	if (raw == NULL) {
		f->nosni_tried = false;		/* no verdict: no connection */
		f->nosni_error = dup_or_null(why);
		job_task_done(ns->job);
		free(ns);
		return;
	}
	memset(&hp, 0, sizeof(hp));
	hp.timeout_ms = ns->job->run->o->timeout_ms;
	hp.insecure_all_versions = true;
	if (tls_handshake_start(ns->job->run->base, raw, &hp, nosni_done, ns,
	    &err) == NULL) {
		f->nosni_tried = false;
		f->nosni_error = xstrdup(err ? err : "TLS set-up failed");
		tconn_put(tc);
		job_task_done(ns->job);
		free(ns);
	}
}

static void
nosni_queue(struct tls_job *j)
{
	struct nosni *ns = xcalloc(1, sizeof(*ns));

	ns->job = j;
	j->a->scan.nosni_tried = true;
	j->outstanding++;
	(void)tconn_get(j->pool, nosni_ready, ns);
}

/*
 * Plans.
 */

static void
record_versions(struct tls_job *j, const struct tls_versions_result *vr)
{
	struct tls_scan_facts *f = &j->a->scan;
	int i;

	for (i = 0; i < TLS_NVERSIONS; i++) {
		const struct tls_version_probe *vp = &vr->v[i];
		struct tls_version_fact *vf = &f->v[i];

		if (tls_version_at(i) == j->main_version) {
			vf->tested = vf->accepted = vf->from_session = true;
			vf->verdict = xstrdup("accepted");
			vf->detail = xstrdup("negotiated by the main handshake");
			vf->suite = j->main_suite ? suite_name(j->main_suite) :
			    NULL;
			continue;
		}
		if (!vp->tested)
			continue;
		vf->tested = vp->accepted ||
		    tls_verdict_rejected(vp->result.verdict);
		vf->accepted = vp->accepted;
		vf->verdict = xstrdup(tls_verdict_name(vp->result.verdict));
		vf->detail = vp->result.detail ? str_escape(vp->result.detail,
		    strlen(vp->result.detail), 256) : NULL;
		if (vp->accepted && vp->version != TLS_V_SSL2)
			vf->suite = suite_name(vp->result.reply.suite);
	}
	j->accepted = vr->accepted | tls_version_bit(j->main_version);
	if (!vr->complete && vr->error != NULL && vr->error[0] != '\0')
		f->stopped = str_escape(vr->error, strlen(vr->error), 256);
}

/* plan_typical: what a client offering strong suites first gets in the
 * best version up to TLS 1.2. */
static void
plan_typical(struct tls_job *j, const struct tls_versions_result *vr)
{
	struct tls_scan_facts *f = &j->a->scan;
	const struct tls_suite *s;
	uint16_t code = 0;
	int i;

	for (i = tls_version_index(TLS_V_TLS12); i >= 1; i--)
		if (j->accepted & (1u << i))
			break;
	if (i < 1)
		return;
	j->best12 = tls_version_at(i);
	if (j->best12 == j->main_version)
		code = j->main_suite;
	else if (vr->v[i].accepted)
		code = vr->v[i].result.reply.suite;
	if (code == 0 || (s = tls_suite_by_code(code)) == NULL)
		return;
	f->typical_version = xstrdup(tls_version_name(j->best12));
	f->typical_suite = suite_name(code);
	f->typical_fs = (s->flags & TLS_SUITE_FS) != 0;
	f->typical_weak = (s->flags & TLS_SUITE_WEAK) != 0;
}

/* plan_profile: the profile's own offer in TLS 1.3 and in the best
 * older version both speak; older versions still are judged by the
 * latter (the same server configuration, their suites a subset), which
 * keeps the default within its connection budget. */
static void
plan_profile(struct tls_job *j)
{
	const struct tls_profile *p = j->run->o->profile;
	struct tls_scan_facts *f = &j->a->scan;
	const uint16_t *suites;
	struct probe_task *t;
	int i, legacy = -1;
	size_t n;

	if (p == NULL)
		return;
	for (i = TLS_NVERSIONS - 1; i >= 0; i--) {
		uint16_t v = tls_version_at(i);

		if (!(tls_profile_versions(p) & j->accepted & (1u << i)))
			continue;
		if (v != TLS_V_TLS13 && legacy >= 0) {
			j->profile_from[i] = legacy + 1;
			continue;
		}
		if (v != TLS_V_TLS13)
			legacy = i;
		suites = tls_profile_suites(p, v, &n);
		if (n == 0) {	/* nothing to offer: nothing shared */
			f->profile_pick[i].tested = true;
			f->profile_pick[i].version = xstrdup(tls_version_name(v));
			continue;
		}
		t = task_queue(j, &f->profile_pick[i], v, suites, n, false,
		    &j->profile_codes[i]);
		/* as the profile's client does: Microsoft's is unknown, so
		 * with SNI (sni.* findings cover the other case) */
		t->no_sni = tls_profile_sni(p) == TLS_PROFILE_SNI_NO;
		task_start(j, t);
	}
}

static void
plan_suites(struct tls_job *j)
{
	struct tls_scan_facts *f = &j->a->scan;
	uint16_t s[PROBE_SUITES_MAX];
	size_t n;

	if (j->best12 == 0)
		return;
	/* weak: RC4, 3DES, DES, EXPORT, NULL, without anonymous ones */
	if ((n = suites_where(j->best12, TLS_SUITE_WEAK, 0, NULL, s, 128)) > 0)
		task_start(j, task_queue(j, &f->weak, j->best12, s, n, false,
		    NULL));
	if ((n = suites_where(j->best12, TLS_SUITE_FS, 0, "DHE", s, 128)) > 0)
		task_start(j, task_queue(j, &f->dhe, j->best12, s, n, true,
		    NULL));
	if (f->typical_suite != NULL && !f->typical_fs &&
	    (n = suites_where(j->best12, TLS_SUITE_FS, 0, NULL, s, 128)) > 0)
		task_start(j, task_queue(j, &f->fs, j->best12, s, n, false,
		    NULL));
}

static void
cscan_done(struct tls_scan *s, void *arg)
{
	(void)s;
	job_task_done(arg);
}

static void
plan_ciphers(struct tls_job *j)
{
	struct tls_scan_params sp;
	struct tls_ciphers_params cp;
	struct tls_conn_provider prov;

	job_scan_params(j, &sp);
	memset(&cp, 0, sizeof(cp));
	cp.versions = j->accepted;
	cp.known = tls_scan_versions_result(j->vscan);
	cp.detect_order = true;
	job_provider(j, &prov);
	j->outstanding++;
	j->cscan = tls_scan_ciphers(j->run->base, &sp, &cp, &prov, cscan_done,
	    j);
}

static void
vscan_done(struct tls_scan *s, void *arg)
{
	struct tls_job *j = arg;
	const struct tls_versions_result *vr = tls_scan_versions_result(s);

	record_versions(j, vr);
	plan_typical(j, vr);
	if (!tconn_pool_rate_limited(j->pool)) {
		plan_profile(j);
		plan_suites(j);
		if (j->run->o->ciphers)
			plan_ciphers(j);
	}
	job_task_done(j);
}

/*
 * The end.
 */

static void
finish_ciphers(struct tls_job *j)
{
	const struct tls_ciphers_result *cr = tls_scan_ciphers_result(j->cscan);
	struct tls_scan_facts *f = &j->a->scan;
	size_t i, k;

	if (cr == NULL)
		return;
	f->lists = xcalloc(TLS_NVERSIONS, sizeof(*f->lists));
	for (i = TLS_NVERSIONS; i-- > 0;) {
		const struct tls_version_ciphers *vc = &cr->v[i];
		struct tls_cipher_list *l;

		if (!vc->tested)
			continue;
		l = &f->lists[f->nlists++];
		l->version = xstrdup(tls_version_name(tls_version_at((int)i)));
		for (k = 0; k < vc->nsuites; k++)
			strvec_add_owned(&l->suites,
			    suite_name(vc->suites[k].suite));
		for (k = 0; k < vc->nssl2_kinds; k++) {
			const struct tls_suite *s =
			    tls_ssl2_kind_by_code(vc->ssl2_kinds[k]);

			strvec_add_owned(&l->suites, s != NULL ?
			    xstrdup(s->name) : xasprintf("0x%06x",
			    (unsigned)vc->ssl2_kinds[k]));
		}
		l->order = xstrdup(tls_order_name(vc->order));
		l->complete = vc->complete;
		if (vc->error != NULL && vc->error[0] != '\0')
			l->error = str_escape(vc->error, strlen(vc->error),
			    256);
	}
}

/* view_from_probe: version i as the profile's probes saw it: its own
 * probe, or (profile_from) a newer version's, when the suite picked
 * there exists in i, or nothing was accepted there. */
static void
view_from_probe(struct tls_job *j, struct tls_server_view *view, int i)
{
	const struct tls_scan_facts *f = &j->a->scan;
	int src = j->profile_from[i] ? j->profile_from[i] - 1 : i;
	const struct tls_pick_fact *pf = &f->profile_pick[src];
	const struct tls_suite *s;

	if (!pf->tested)
		return;
	if (src != i && pf->accepted &&
	    ((s = tls_suite_by_code(j->profile_codes[src])) == NULL ||
	    !tls_suite_usable(s, tls_version_at(i))))
		return;
	view->v[i].known = true;
	view->v[i].suites = &j->profile_codes[src];
	view->v[i].n = pf->accepted ? 1 : 0;
}

/* common_known: the server and the profile share a version, and the
 * suites of every shared version were tested: only then does "no
 * overlap" mean something. */
static bool
common_known(const struct tls_job *j, const struct tls_server_view *view)
{
	unsigned common = tls_profile_versions(j->run->o->profile) &
	    j->accepted;
	int i;

	for (i = 0; i < TLS_NVERSIONS; i++)
		if ((common & (1u << i)) && !view->v[i].known)
			return false;
	return common != 0;
}

/* finish_profile: the profile's verdict; with --ciphers from the full
 * lists, otherwise from what its own offers got. */
static void
finish_profile(struct tls_job *j)
{
	const struct tls_profile *p = j->run->o->profile;
	struct tls_scan_facts *f = &j->a->scan;
	struct tls_server_view view;
	struct tls_negotiation neg;
	char buf[16];
	int i;

	if (p == NULL)
		return;
	memset(&view, 0, sizeof(view));
	if (j->cscan != NULL)
		tls_server_view_fill(&view, tls_scan_versions_result(j->vscan),
		    tls_scan_ciphers_result(j->cscan));
	view.versions |= j->accepted;
	for (i = 0; j->cscan == NULL && i < TLS_NVERSIONS; i++)
		view_from_probe(j, &view, i);
	tls_profile_negotiate(p, &view, &neg);
	f->profile = xstrdup(tls_profile_name(p));
	f->profile_status = xstrdup(neg.status == TLS_NEG_OK ? "ok" :
	    neg.status == TLS_NEG_NO_VERSION ? "no_version" :
	    neg.status == TLS_NEG_NO_SUITE ? "no_suite" : "unknown");
	if (neg.version != 0)
		f->profile_version = xstrdup(tls_version_name(neg.version));
	if (neg.status == TLS_NEG_OK)
		f->profile_suite = xstrdup(tls_suite_label(neg.suite, buf,
		    sizeof(buf)));
	f->profile_reason = str_escape(neg.reason, strlen(neg.reason), 256);
	f->no_overlap = neg.overlap == 0 && common_known(j, &view);
}

static void
job_free(void *arg)
{
	struct tls_job *j = arg;
	struct run *run = j->run;

	tls_scan_free(j->cscan);
	tls_scan_free(j->vscan);
	free(j->host);
	free(j);
	run_release(run);
}

static void
job_task_done(struct tls_job *j)
{
	struct tls_scan_facts *f = &j->a->scan;

	if (--j->outstanding > 0)
		return;
	if (j->cscan != NULL)
		finish_ciphers(j);
	if (!tconn_pool_rate_limited(j->pool))
		finish_profile(j);
	f->rate_limited = tconn_pool_rate_limited(j->pool);
	if (f->rate_limited && f->stopped == NULL)
		f->stopped = dup_or_null(tconn_pool_stop_why(j->pool));
	tconn_pool_close(j->pool, job_free, j);
}

/* worth_probing: the main session reached the TLS handshake. */
static bool
worth_probing(const struct addr_result *a)
{
	return a->tls.tried && (a->smtp.error_code != 421);
}

void
probe_tls_start(struct run *run, struct addr_result *a, const char *host)
{
	struct tls_job *j;
	struct tls_scan_params sp;
	struct tls_conn_provider prov;
	const struct tls_suite *s;
	unsigned mask;

	if (!worth_probing(a))
		return;
	j = xcalloc(1, sizeof(*j));
	j->run = run;
	j->a = a;
	j->host = host ? xstrdup(host) : NULL;
	j->pool = tconn_pool_new(run, a);
	a->scan.tried = true;
	if (a->tls.ok && a->tls.version != NULL)
		j->main_version = tls_version_parse(a->tls.version);
	if (a->tls.ok && a->tls.cipher != NULL &&
	    (s = tls_suite_by_name(a->tls.cipher)) != NULL)
		j->main_suite = (uint16_t)s->code;
	run_hold(run);
	j->outstanding = 1;	/* the versions scan */
	mask = TLS_VERSIONS_ALL & ~tls_version_bit(j->main_version);
	job_scan_params(j, &sp);
	job_provider(j, &prov);
	run_progress(run, "probing TLS versions of %s", a->address);
	if (a->tls.ok && a->tls.sni != NULL)
		nosni_queue(j);
	j->vscan = tls_scan_versions(run->base, &sp, mask, &prov, vscan_done,
	    j);
}
