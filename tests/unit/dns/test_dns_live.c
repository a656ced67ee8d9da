/* test_dns_live: dns_query against a real unbound started on loopback by the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/dns.h"
#include "dns/dnsbl.h"
#include "util/xalloc.h"

/*
 * The group setup starts "unbound -d" with a static zone lab.example (and
 * a PTR under 127.in-addr.arpa, whose built-in local zone is turned off)
 * on a free loopback port, and binds a UDP socket that never answers for
 * the timeout tests.  Without unbound the setup fails, and so does every
 * test: this suite must not pass silently.
 */

struct lab {
	char	 dir[64];
	char	 conf[128];
	char	 log[128];
	pid_t	 pid;
	int	 port;
	int	 hole_fd;	/* bound, never read */
	int	 hole_port;
	char	 resolver[32];
	char	 hole[32];
};

static struct lab lab = { .pid = -1, .hole_fd = -1 };

static const char lab_zone[] =
    "	local-zone: \"127.in-addr.arpa.\" nodefault\n"
    "	local-zone: \"0.0.127.in-addr.arpa.\" static\n"
    "	local-data: \"5.0.0.127.in-addr.arpa. 3600 IN PTR mail.lab.example.\"\n"
    "	local-zone: \"lab.example.\" static\n"
    "	local-data: \"mail.lab.example. 300 IN A 127.0.0.5\"\n"
    "	local-data: \"mail.lab.example. 300 IN A 127.0.0.6\"\n"
    "	local-data: \"mail.lab.example. 300 IN AAAA 2001:db8::25\"\n"
    "	local-data: \"lab.example. 300 IN MX 10 mail.lab.example.\"\n"
    "	local-data: \"lab.example. 300 IN MX 20 backup.lab.example.\"\n"
    "	local-data: 'lab.example. 300 IN TXT \"v=spf1 \" \"ip4:127.0.0.5 -all\"'\n"
    "	local-data: 'odd.lab.example. 300 IN TXT \"tab\\009nul\\000end\"'\n"
    "	local-zone: \"bl.lab.example.\" static\n"
    "	local-data: \"2.0.0.127.bl.lab.example. 300 IN A 127.0.0.2\"\n"
    "	local-data: \"2.0.0.127.bl.lab.example. 300 IN A 127.0.0.10\"\n"
    "	local-zone: \"test.\" nodefault\n"
    "	local-zone: \"mxd.test.\" static\n"
    "	local-data: \"mxd.test. 300 IN A 127.0.0.7\"\n";

/* A port free for both UDP and TCP on 127.0.0.1. */
static int
lab_free_port(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	int u, t, port = -1, tries;

	for (tries = 0; tries < 20 && port == -1; tries++) {
		u = socket(AF_INET, SOCK_DGRAM, 0);
		t = socket(AF_INET, SOCK_STREAM, 0);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (bind(u, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
		    getsockname(u, (struct sockaddr *)&sin, &sl) == 0 &&
		    bind(t, (struct sockaddr *)&sin, sizeof(sin)) == 0)
			port = ntohs(sin.sin_port);
		close(u);
		close(t);
	}
	return port;
}

static int
lab_write_conf(void)
{
	FILE *f = fopen(lab.conf, "w");

	if (f == NULL)
		return -1;
	fprintf(f, "server:\n"
	    "	interface: 127.0.0.1\n"
	    "	port: %d\n"
	    "	do-daemonize: no\n"
	    "	username: \"\"\n"
	    "	chroot: \"\"\n"
	    "	directory: \"%s\"\n"
	    "	pidfile: \"\"\n"
	    "	use-syslog: no\n"
	    "	logfile: \"\"\n"
	    "	verbosity: 1\n"
	    "	num-threads: 1\n"
	    "	module-config: \"iterator\"\n"
	    "	access-control: 127.0.0.0/8 allow\n"
	    "	do-not-query-localhost: no\n"
	    "	do-ip6: no\n"
	    "%s", lab.port, lab.dir, lab_zone);
	return fclose(f) == 0 ? 0 : -1;
}

/* unbound answers on TCP once it has loaded its zones. */
static int
lab_wait_ready(void)
{
	struct sockaddr_in sin;
	int i, fd, status;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons((unsigned short)lab.port);
	for (i = 0; i < 200; i++) {
		if (waitpid(lab.pid, &status, WNOHANG) == lab.pid) {
			lab.pid = -1;
			return -1;
		}
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
			close(fd);
			return 0;
		}
		close(fd);
		usleep(50 * 1000);
	}
	return -1;
}

static void
lab_print_log(void)
{
	char line[512];
	FILE *f = fopen(lab.log, "r");

	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		fprintf(stderr, "unbound: %s", line);
	fclose(f);
}

static int
lab_start_unbound(const char *unbound)
{
	int fd;

	if ((lab.pid = fork()) == -1)
		return -1;
	if (lab.pid == 0) {
		fd = open(lab.log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl(unbound, "unbound", "-d", "-c", lab.conf, (char *)NULL);
		_exit(127);
	}
	return lab_wait_ready();
}

static int
lab_hole(void)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	lab.hole_fd = socket(AF_INET, SOCK_DGRAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lab.hole_fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(lab.hole_fd, (struct sockaddr *)&sin, &sl) == -1)
		return -1;
	lab.hole_port = ntohs(sin.sin_port);
	snprintf(lab.hole, sizeof(lab.hole), "127.0.0.1@%d", lab.hole_port);
	return 0;
}

static int
lab_teardown(void **state)
{
	int status;

	(void)state;
	if (lab.pid > 0) {
		kill(lab.pid, SIGTERM);
		waitpid(lab.pid, &status, 0);
		lab.pid = -1;
	}
	if (lab.hole_fd != -1)
		close(lab.hole_fd);
	lab.hole_fd = -1;
	if (lab.dir[0] != '\0') {
		unlink(lab.conf);
		unlink(lab.log);
		rmdir(lab.dir);
	}
	return 0;
}

static int
lab_setup(void **state)
{
	const char *unbound = getenv("MXD_UNBOUND");

	(void)state;
	if (unbound == NULL || unbound[0] == '\0' ||
	    access(unbound, X_OK) == -1) {
		fprintf(stderr, "test_dns_live: unbound not found (MXD_UNBOUND="
		    "\"%s\"): install unbound; this test needs a real "
		    "server\n", unbound ? unbound : "");
		return -1;
	}
	snprintf(lab.dir, sizeof(lab.dir), "/tmp/mxd-dns-XXXXXX");
	if (mkdtemp(lab.dir) == NULL) {
		lab.dir[0] = '\0';
		return -1;
	}
	snprintf(lab.conf, sizeof(lab.conf), "%s/unbound.conf", lab.dir);
	snprintf(lab.log, sizeof(lab.log), "%s/unbound.log", lab.dir);
	if ((lab.port = lab_free_port()) == -1 || lab_write_conf() == -1 ||
	    lab_hole() == -1)
		goto err;
	snprintf(lab.resolver, sizeof(lab.resolver), "127.0.0.1@%d", lab.port);
	if (lab_start_unbound(unbound) == -1) {
		fprintf(stderr, "test_dns_live: unbound did not start\n");
		lab_print_log();
		goto err;
	}
	return 0;

 err:
	lab_teardown(state);
	return -1;
}

/* ---- collecting answers ---- */

struct got {
	int			 calls;
	bool			 inside_query;	/* called during dns_query */
	enum dns_status		 status;
	size_t			 nrrs;
	char			 first[256];	/* text of one record (see got_rr) */
	int			 pref;
	char			 dnsbl[256];
	struct timeval		 at;
	int			*pending;
	struct event_base	*base;
	struct dns_ctx		*free_ctx;	/* freed from inside the callback */
};

static bool querying;

/* The record to show: the lowest MX preference, the lowest address. */
static void
got_rr(struct got *g, const struct dns_answer *a)
{
	char t[ADDR_STRLEN];
	size_t i;

	g->first[0] = '\0';
	for (i = 0; i < a->nrrs; i++) {
		const struct dns_rr *rr = &a->rrs[i];
		const char *s = rr->name ? rr->name : rr->txt;

		if (rr->type == DNS_T_A || rr->type == DNS_T_AAAA)
			s = addr_format(&rr->addr, t, sizeof(t));
		if (rr->type == DNS_T_MX && g->first[0] != '\0' &&
		    rr->pref > g->pref)
			continue;
		if (rr->type != DNS_T_MX && g->first[0] != '\0' &&
		    strcmp(s, g->first) > 0)
			continue;
		snprintf(g->first, sizeof(g->first), "%s", s);
		g->pref = rr->pref;
	}
}

static void
got_cb(void *arg, const struct dns_answer *a)
{
	struct got *g = arg;

	g->calls++;
	g->inside_query = querying;
	g->status = a->status;
	g->nrrs = a->nrrs;
	gettimeofday(&g->at, NULL);
	if (a->status == DNS_OK)
		got_rr(g, a);
	dnsbl_interpret_answer("bl.lab.example", a, g->dnsbl,
	    sizeof(g->dnsbl));
	if (g->free_ctx != NULL) {
		dns_ctx_free(g->free_ctx);
		g->free_ctx = NULL;
	}
	if (g->pending != NULL && --*g->pending == 0)
		event_base_loopbreak(g->base);
}

static int
query(struct dns_ctx *ctx, const char *name, int type, struct got *g)
{
	int r;

	querying = true;
	r = dns_query(ctx, name, type, got_cb, g);
	querying = false;
	return r;
}

static void
run_stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	event_base_loopbreak(arg);
}

/* Runs the loop for at most ms, leaving no event of its own behind. */
static void
run_for(struct event_base *base, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
	struct event *ev = evtimer_new(base, run_stop, base);

	evtimer_add(ev, &tv);
	event_base_dispatch(base);
	event_free(ev);
}

static long
ms_since(const struct timeval *t0, const struct timeval *t1)
{
	return (t1->tv_sec - t0->tv_sec) * 1000 +
	    (t1->tv_usec - t0->tv_usec) / 1000;
}

static struct dns_ctx *
lab_ctx(struct event_base *base, const char *resolver, int timeout_ms)
{
	struct dns_ctx *ctx;
	char *err = NULL;

	ctx = dns_ctx_new(base, resolver, timeout_ms, &err);
	if (ctx == NULL)
		fail_msg("dns_ctx_new(%s): %s", resolver ? resolver : "system",
		    err ? err : "?");
	return ctx;
}

/* ---- tests ---- */

struct live_case {
	const char		*name;
	int			 type;
	enum dns_status		 status;
	size_t			 nrrs;
	const char		*first;
	const char		*dnsbl;		/* substring of the DNSBL meaning */
};

static const struct live_case live[] = {
	{ "mail.lab.example", DNS_T_A, DNS_OK, 2, "127.0.0.5", NULL },
	{ "MAIL.Lab.Example.", DNS_T_A, DNS_OK, 2, "127.0.0.5", NULL },
	{ "mail.lab.example", DNS_T_AAAA, DNS_OK, 1, "2001:db8::25", NULL },
	{ "lab.example", DNS_T_MX, DNS_OK, 2, "mail.lab.example", NULL },
	{ "5.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_OK, 1, "mail.lab.example",
	    NULL },
	{ "lab.example", DNS_T_TXT, DNS_OK, 1, "v=spf1 ip4:127.0.0.5 -all",
	    NULL },
	{ "odd.lab.example", DNS_T_TXT, DNS_OK, 1, "tab\\tnul\\x00end", NULL },
	{ "nope.lab.example", DNS_T_A, DNS_NXDOMAIN, 0, NULL, "not listed" },
	{ "6.0.0.127.in-addr.arpa", DNS_T_PTR, DNS_NXDOMAIN, 0, NULL, NULL },
	{ "lab.example", DNS_T_AAAA, DNS_NODATA, 0, NULL, NULL },
	{ "mxd.test", DNS_T_A, DNS_OK, 1, "127.0.0.7", NULL },
	{ "2.0.0.127.bl.lab.example", DNS_T_A, DNS_OK, 2, "127.0.0.10",
	    "listed (code 127.0.0.2)" },
};

#define NLIVE (sizeof(live) / sizeof(live[0]))

static void
test_answers(void **state)
{
	struct event_base *base = event_base_new();
	struct dns_ctx *ctx = lab_ctx(base, lab.resolver, 3000);
	struct got got[NLIVE];
	int pending = (int)NLIVE;
	size_t i;

	(void)state;
	memset(got, 0, sizeof(got));
	for (i = 0; i < NLIVE; i++) {
		got[i].pending = &pending;
		got[i].base = base;
		assert_int_equal(query(ctx, live[i].name, live[i].type,
		    &got[i]), 0);
	}
	run_for(base, 5000);
	for (i = 0; i < NLIVE; i++) {
		const struct live_case *c = &live[i];
		const struct got *g = &got[i];

		if (g->calls != 1 || g->inside_query || g->status != c->status ||
		    g->nrrs != c->nrrs)
			fail_msg("%s/%d: calls %d inside %d status %s nrrs %zu",
			    c->name, c->type, g->calls, g->inside_query,
			    dns_status_name(g->status), g->nrrs);
		if (c->first != NULL && strcmp(g->first, c->first) != 0)
			fail_msg("%s/%d: \"%s\", want \"%s\"", c->name, c->type,
			    g->first, c->first);
		if (c->dnsbl != NULL && strstr(g->dnsbl, c->dnsbl) == NULL)
			fail_msg("%s: dnsbl \"%s\"", c->name, g->dnsbl);
	}
	assert_int_equal(got[3].pref, 10);
	/* Both codes, in the order the server chose. */
	assert_non_null(strstr(got[NLIVE - 1].dnsbl, "listed (code 127.0.0.10)"));
	assert_non_null(strstr(got[NLIVE - 1].dnsbl, "; "));
	assert_int_equal(dns_ctx_queries(ctx), NLIVE);
	dns_ctx_free(ctx);
	assert_int_equal(event_base_get_num_events(base,
	    EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE), 0);
	event_base_free(base);
}

/* libunbound answers from its cache and from "localhost." before
 * ub_resolve_event returns; the callback must still come later. */
static void
test_sync_answers_deferred(void **state)
{
	struct event_base *base = event_base_new();
	struct dns_ctx *ctx = lab_ctx(base, lab.resolver, 3000);
	struct got g1, g2, g3;
	int pending = 1;

	(void)state;
	memset(&g1, 0, sizeof(g1));
	g1.pending = &pending;
	g1.base = base;
	assert_int_equal(query(ctx, "mail.lab.example", DNS_T_A, &g1), 0);
	run_for(base, 5000);
	assert_int_equal(g1.calls, 1);
	assert_int_equal(g1.status, DNS_OK);

	g2 = g1;
	g2.calls = 0;
	g3 = g2;
	pending = 2;
	assert_int_equal(query(ctx, "mail.lab.example", DNS_T_A, &g2), 0);
	assert_int_equal(query(ctx, "localhost", DNS_T_A, &g3), 0);
	assert_int_equal(g2.calls, 0);
	assert_int_equal(g3.calls, 0);
	run_for(base, 5000);
	assert_int_equal(g2.calls, 1);
	assert_false(g2.inside_query);
	assert_int_equal(g2.status, DNS_OK);
	assert_int_equal(g3.calls, 1);
	assert_false(g3.inside_query);
	assert_int_equal(g3.status, DNS_OK);
	assert_string_equal(g3.first, "127.0.0.1");
	assert_int_equal(dns_ctx_queries(ctx), 3);
	dns_ctx_free(ctx);
	event_base_free(base);
}

static void
test_timeout(void **state)
{
	struct event_base *base = event_base_new();
	struct dns_ctx *ctx = lab_ctx(base, lab.hole, 300);
	struct timeval t0;
	struct got g;
	int pending = 1;
	long ms;

	(void)state;
	memset(&g, 0, sizeof(g));
	g.pending = &pending;
	g.base = base;
	gettimeofday(&t0, NULL);
	assert_int_equal(query(ctx, "mail.lab.example", DNS_T_A, &g), 0);
	run_for(base, 3000);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.status, DNS_TIMEOUT);
	ms = ms_since(&t0, &g.at);
	if (ms < 280 || ms > 1500)
		fail_msg("timeout after %ld ms, want about 300", ms);
	/* libunbound keeps retrying the cancelled query: no second call. */
	run_for(base, 1000);
	assert_int_equal(g.calls, 1);
	dns_ctx_free(ctx);
	assert_int_equal(event_base_get_num_events(base,
	    EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE), 0);
	event_base_free(base);
}

static void
test_free_in_flight(void **state)
{
	struct event_base *base = event_base_new();
	struct dns_ctx *ctx = lab_ctx(base, lab.hole, 5000);
	struct got g[3];
	size_t i;

	(void)state;
	memset(g, 0, sizeof(g));
	for (i = 0; i < 3; i++)
		assert_int_equal(query(ctx, i == 2 ? "localhost" :
		    "mail.lab.example", i == 1 ? DNS_T_MX : DNS_T_A, &g[i]), 0);
	/* g[2] is answered at once but not yet delivered. */
	run_for(base, 0);
	run_for(base, 200);
	assert_int_equal(g[2].calls, 1);
	assert_int_equal(query(ctx, "localhost", DNS_T_AAAA, &g[2]), 0);
	dns_ctx_free(ctx);
	run_for(base, 300);
	for (i = 0; i < 3; i++)
		assert_int_equal(g[i].calls, i == 2 ? 1 : 0);
	assert_int_equal(event_base_get_num_events(base,
	    EVENT_BASE_COUNT_ADDED | EVENT_BASE_COUNT_ACTIVE), 0);
	event_base_free(base);
}

/* A callback frees the context: the other answer is never delivered. */
static void
test_free_from_callback(void **state)
{
	struct event_base *base = event_base_new();
	struct dns_ctx *ctx = lab_ctx(base, lab.resolver, 3000);
	struct got a, b;

	(void)state;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	a.free_ctx = ctx;
	b.free_ctx = ctx;
	assert_int_equal(query(ctx, "mail.lab.example", DNS_T_A, &a), 0);
	assert_int_equal(query(ctx, "lab.example", DNS_T_MX, &b), 0);
	run_for(base, 1000);
	assert_int_equal(a.calls + b.calls, 1);
	event_base_free(base);
}

static void
test_bad_input(void **state)
{
	static const char *bad_names[] = {
		"", "a..b", "with space.example", "x\n.example", NULL,
	};
	static const char *bad_resolvers[] = {
		"not-an-address", "127.0.0.1@", "127.0.0.1@0",
		"127.0.0.1@70000", "@53", "127.0.0.1@53x", "[::1]:53",
	};
	static const char *good_resolvers[] = {
		"127.0.0.1", "::1@5353", "[::1]@5353", "192.0.2.1@53",
	};
	struct event_base *base = event_base_new();
	struct dns_ctx *ctx;
	struct got g;
	char *err;
	size_t i;

	(void)state;
	memset(&g, 0, sizeof(g));
	ctx = lab_ctx(base, lab.resolver, 1000);
	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++)
		assert_int_equal(query(ctx, bad_names[i], DNS_T_A, &g), -1);
	assert_int_equal(query(ctx, "lab.example", 0, &g), -1);
	assert_int_equal(query(ctx, "lab.example", 65536, &g), -1);
	assert_int_equal(dns_ctx_queries(ctx), 0);
	dns_ctx_free(ctx);
	run_for(base, 50);
	assert_int_equal(g.calls, 0);

	for (i = 0; i < sizeof(bad_resolvers) / sizeof(bad_resolvers[0]);
	    i++) {
		err = NULL;
		assert_null(dns_ctx_new(base, bad_resolvers[i], 1000, &err));
		assert_non_null(err);
		free(err);
	}
	err = NULL;
	assert_null(dns_ctx_new(base, lab.resolver, 0, &err));
	free(err);
	for (i = 0; i < sizeof(good_resolvers) / sizeof(good_resolvers[0]);
	    i++)
		dns_ctx_free(lab_ctx(base, good_resolvers[i], 1000));
	/* The system resolver: created and freed, nothing sent. */
	dns_ctx_free(lab_ctx(base, NULL, 1000));
	dns_ctx_free(NULL);
	event_base_free(base);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_sync_answers_deferred),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_free_in_flight),
		cmocka_unit_test(test_free_from_callback),
		cmocka_unit_test(test_bad_input),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, lab_setup, lab_teardown);
}
