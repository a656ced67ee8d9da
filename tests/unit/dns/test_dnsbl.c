/* test_dnsbl: DNSBL query names, the default zones and the meaning of answers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dns/dns.h"
#include "dns/dnsbl.h"
#include "util/xalloc.h"

static void
test_query_names(void **state)
{
	static const struct {
		const char	*ip;
		const char	*zone;
		const char	*want;
	} rows[] = {
		{ "192.0.2.1", "zen.spamhaus.org", "1.2.0.192.zen.spamhaus.org" },
		{ "127.0.0.2", "bl.spamcop.net", "2.0.0.127.bl.spamcop.net" },
		{ "2001:db8::1", "zen.spamhaus.org",
		    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0."
		    "8.b.d.0.1.0.0.2.zen.spamhaus.org" },
		{ "2a01:111:f400::5", "zen.spamhaus.org",
		    "5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.4.f."
		    "1.1.1.0.1.0.a.2.zen.spamhaus.org" },
	};
	char out[256];
	struct addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(addr_parse(rows[i].ip, &a), 0);
		assert_int_equal(dnsbl_query_name(&a, rows[i].zone, out,
		    sizeof(out)), 0);
		assert_string_equal(out, rows[i].want);
		assert_true(dns_name_valid(out));
	}
	assert_int_equal(dnsbl_query_name(&a, "zen.spamhaus.org", out, 20), -1);
	assert_int_equal(dnsbl_query_name(&a, "", out, sizeof(out)), -1);
	assert_int_equal(dnsbl_query_name(NULL, "x.org", out, sizeof(out)), -1);
}

static void
test_default_zones(void **state)
{
	const struct dnsbl_zone *z;
	size_t n, i, ms = 0;

	(void)state;
	z = dnsbl_default_zones(&n);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		assert_true(dns_name_valid(z[i].zone));
		assert_true(strncmp(z[i].info_url, "https://", 8) == 0);
		assert_null(strstr(z[i].zone, "sorbs"));
		if (z[i].microsoft_uses)
			ms++;
	}
	assert_string_equal(z[0].zone, "zen.spamhaus.org");
	assert_true(z[0].microsoft_uses);
	assert_true(z[0].ipv6);
	assert_int_equal(ms, 1);
}

struct interp_case {
	const char		*zone;
	const char		*answer;	/* NULL: NXDOMAIN */
	enum dnsbl_verdict	 verdict;
	const char		*meaning;	/* substring */
};

static const struct interp_case interp[] = {
	{ "zen.spamhaus.org", NULL, DNSBL_NOT_LISTED, "not listed" },
	{ "zen.spamhaus.org", "127.0.0.2", DNSBL_LISTED, "SBL" },
	{ "zen.spamhaus.org", "127.0.0.3", DNSBL_LISTED, "CSS" },
	{ "zen.spamhaus.org", "127.0.0.4", DNSBL_LISTED, "XBL" },
	{ "zen.spamhaus.org", "127.0.0.7", DNSBL_LISTED, "XBL" },
	{ "zen.spamhaus.org", "127.0.0.9", DNSBL_LISTED, "DROP" },
	{ "zen.spamhaus.org", "127.0.0.10", DNSBL_LISTED, "PBL" },
	{ "zen.spamhaus.org", "127.0.0.11", DNSBL_LISTED, "PBL" },
	{ "ZEN.Spamhaus.ORG.", "127.0.0.11", DNSBL_LISTED, "set by Spamhaus" },
	{ "sbl.spamhaus.org", "127.0.0.2", DNSBL_LISTED, "SBL" },
	{ "key.zen.dq.spamhaus.net", "127.0.0.4", DNSBL_LISTED, "XBL" },
	{ "zen.spamhaus.org", "127.255.255.252", DNSBL_UNUSABLE, "typing" },
	{ "zen.spamhaus.org", "127.255.255.254", DNSBL_UNUSABLE,
	    "public/open resolver" },
	{ "zen.spamhaus.org", "127.255.255.255", DNSBL_UNUSABLE,
	    "excessive" },
	{ "zen.spamhaus.org", "127.255.255.1", DNSBL_UNUSABLE,
	    "refused the query (code 127.255.255.1)" },
	{ "zen.spamhaus.org", "127.0.0.99", DNSBL_LISTED,
	    "listed (code 127.0.0.99)" },
	{ "zen.spamhaus.org", "192.0.2.1", DNSBL_ERROR, "outside 127.0.0.0/8" },
	{ "zen.spamhaus.org", "2001:db8::1", DNSBL_ERROR, "not an IPv4" },
	{ "notspamhaus.org", "127.0.0.10", DNSBL_LISTED,
	    "listed (code 127.0.0.10)" },
	{ "b.barracudacentral.org", "127.0.0.2", DNSBL_LISTED, "Barracuda" },
	{ "bl.spamcop.net", "127.0.0.2", DNSBL_LISTED, "SpamCop" },
	{ "psbl.surriel.com", "127.0.0.2", DNSBL_LISTED, "PSBL" },
	{ "bl.mailspike.net", "127.0.0.2", DNSBL_LISTED, "zero-hour" },
	{ "bl.mailspike.net", "127.0.0.10", DNSBL_LISTED, "L5" },
	{ "bl.spamcop.net", "127.255.255.254", DNSBL_UNUSABLE, "refused" },
	{ "bl.spamcop.net", "198.51.100.1", DNSBL_ERROR, "wildcard" },
	{ "dnsbl.example.org", "127.0.0.2", DNSBL_LISTED,
	    "listed (code 127.0.0.2)" },
	{ "dnsbl.example.org", "127.0.0.1", DNSBL_UNUSABLE, "RFC 5782" },
	{ "dnsbl.example.org", NULL, DNSBL_NOT_LISTED, "not listed" },
};

static void
test_interpret(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(interp) / sizeof(interp[0]); i++) {
		const struct interp_case *c = &interp[i];
		char meaning[256];
		struct addr a;
		enum dnsbl_verdict v;

		if (c->answer != NULL)
			assert_int_equal(addr_parse(c->answer, &a), 0);
		v = dnsbl_interpret(c->zone, c->answer ? &a : NULL, meaning,
		    sizeof(meaning));
		if (v != c->verdict || strstr(meaning, c->meaning) == NULL)
			fail_msg("%s %s: %s \"%s\", want %s \"%s\"", c->zone,
			    c->answer ? c->answer : "NXDOMAIN",
			    dnsbl_verdict_name(v), meaning,
			    dnsbl_verdict_name(c->verdict), c->meaning);
	}
}

static void
answer_add_a(struct dns_answer *ans, const char *ip)
{
	struct dns_rr *rr;

	ans->rrs = xreallocarray(ans->rrs, ans->nrrs + 1, sizeof(*ans->rrs));
	rr = &ans->rrs[ans->nrrs++];
	memset(rr, 0, sizeof(*rr));
	rr->type = DNS_T_A;
	assert_int_equal(addr_parse(ip, &rr->addr), 0);
}

static void
test_interpret_answer(void **state)
{
	struct dns_answer ans;
	char m[256];

	(void)state;
	memset(&ans, 0, sizeof(ans));
	ans.status = DNS_NXDOMAIN;
	assert_int_equal(dnsbl_interpret_answer("zen.spamhaus.org", &ans, m,
	    sizeof(m)), DNSBL_NOT_LISTED);
	ans.status = DNS_NODATA;
	assert_int_equal(dnsbl_interpret_answer("zen.spamhaus.org", &ans, m,
	    sizeof(m)), DNSBL_NOT_LISTED);
	ans.status = DNS_TIMEOUT;
	ans.why = xstrdup("no answer within 5 ms");
	assert_int_equal(dnsbl_interpret_answer("zen.spamhaus.org", &ans, m,
	    sizeof(m)), DNSBL_ERROR);
	assert_string_equal(m, "query failed: timeout: no answer within 5 ms");
	dns_answer_clear(&ans);

	/* SBL and PBL at once: both meanings, listed. */
	ans.status = DNS_OK;
	answer_add_a(&ans, "127.0.0.2");
	answer_add_a(&ans, "127.0.0.10");
	assert_int_equal(dnsbl_interpret_answer("zen.spamhaus.org", &ans, m,
	    sizeof(m)), DNSBL_LISTED);
	assert_non_null(strstr(m, "SBL"));
	assert_non_null(strstr(m, "; PBL"));
	/* An error code among them makes the check unusable. */
	answer_add_a(&ans, "127.255.255.254");
	assert_int_equal(dnsbl_interpret_answer("zen.spamhaus.org", &ans, m,
	    sizeof(m)), DNSBL_UNUSABLE);
	/* A non-127 answer means the zone is broken. */
	answer_add_a(&ans, "198.51.100.7");
	assert_int_equal(dnsbl_interpret_answer("zen.spamhaus.org", &ans, m,
	    10), DNSBL_ERROR);
	assert_int_equal(strlen(m), 9);
	dns_answer_clear(&ans);
}

static void
test_verdict_names(void **state)
{
	(void)state;
	assert_string_equal(dnsbl_verdict_name(DNSBL_NOT_LISTED), "not_listed");
	assert_string_equal(dnsbl_verdict_name(DNSBL_LISTED), "listed");
	assert_string_equal(dnsbl_verdict_name(DNSBL_UNUSABLE), "unusable");
	assert_string_equal(dnsbl_verdict_name(DNSBL_ERROR), "error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_names),
		cmocka_unit_test(test_default_zones),
		cmocka_unit_test(test_interpret),
		cmocka_unit_test(test_interpret_answer),
		cmocka_unit_test(test_verdict_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
