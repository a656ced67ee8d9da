/* test_ptr: ptr_is_generic on ISP-style names and on the traps around them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "dns/ptr.h"

struct ptr_case {
	const char	*name;
	const char	*ip;
	bool		 generic;
	const char	*why;		/* expected reason when generic */
};

static const struct ptr_case cases[] = {
	/* Address embedded, as ISPs spell it. */
	{ "dsl-187-156-74-12-dyn.prod-infinitum.com.mx", "187.156.74.12",
	    true, "embeds the address" },
	{ "c-73-162-10-5.hsd1.ca.comcast.net", "73.162.10.5", true,
	    "embeds the address" },
	{ "host86-150-2-1.range86-150.btcentralplus.com", "86.150.2.1", true,
	    "embeds the address" },
	{ "pool-71-105-200-5.nycmny.fios.verizon.net", "71.105.200.5", true,
	    "embeds the address" },
	{ "cpe-74-72-10-5.nyc.res.rr.com", "74.72.10.5", true,
	    "embeds the address" },
	{ "5.10.162.73.dynamic.example.net", "73.162.10.5", true,
	    "embeds the address" },
	{ "4-3-2-1.example.org", "1.2.3.4", true, "embeds the address" },
	{ "001-002-003-004.example.net", "1.2.3.4", true,
	    "embeds the address" },
	{ "host001002003004.example.net", "1.2.3.4", true,
	    "embeds the address (zero-padded)" },
	{ "ip004003002001.example.net", "1.2.3.4", true,
	    "embeds the address (zero-padded, reversed)" },
	{ "p5B0C1A2D.dip0.t-ipconnect.de", "91.12.26.45", true,
	    "embeds the address (hex)" },
	{ "162-10-5.example.net", "73.162.10.5", true,
	    "embeds three octets of the address" },
	{ "IP-198-51-100-7.Example.NET.", "198.51.100.7", true,
	    "embeds the address" },
	/* Tokens. */
	{ "adsl-dyn.example.net", "198.51.100.7", true, "token 'adsl'" },
	{ "dynamic-pool.example.net", "198.51.100.7", true,
	    "token 'dynamic'" },
	{ "ppp123.isp.example", "198.51.100.7", true, "token 'ppp'" },
	{ "dhcp-77.example.net", "198.51.100.7", true, "token 'dhcp'" },
	{ "customer.example-isp.net", "198.51.100.7", true,
	    "token 'customer'" },
	{ "cust-12.example.net", "198.51.100.7", true, "token 'cust'" },
	{ "host-1234.example.net", "198.51.100.7", true, "token 'host-'" },
	{ "ip-7.example.net", "198.51.100.7", true, "token 'ip-'" },
	{ "static-ip.example.net", "198.51.100.7", true,
	    "token 'static-ip'" },
	{ "dial-up.example.net", "198.51.100.7", true, "token 'dial-up'" },
	{ "mail.res.example.com", "198.51.100.7", true, "token 'res'" },
	{ "broadband.corp.example.co.uk", "198.51.100.7", true,
	    "token 'broadband'" },
	/* IPv6. */
	{ "2001-db8--25.ip6.example.net", "2001:db8::25", true,
	    "embeds the address" },
	{ "2001-0db8-0000-0000-0000-0000-0000-0025.example.net",
	    "2001:db8::25", true, "embeds the address" },
	{ "1319-8a2e-370-7348.example.net",
	    "2001:db8:85a3:8d3:1319:8a2e:370:7348", true,
	    "embeds the address" },
	{ "x20010db8000000000000000000000025.example.net", "2001:db8::25",
	    true, "embeds the address (hex digits)" },
	{ "dyn6.example.net", "2001:db8::25", true, "token 'dyn'" },
	/* Not generic: a mail server's own names and the traps. */
	{ "mail.example.com", "192.0.2.1", false, NULL },
	{ "mx1.static.example.net", "1.2.3.4", false, NULL },
	{ "smtp.example.org", "192.0.2.1", false, NULL },
	{ "static.example.net", "192.0.2.1", false, NULL },
	{ "ns1.example.com", "192.0.2.1", false, NULL },
	{ "host.example.com", "192.0.2.1", false, NULL },
	{ "hostmaster.example.com", "192.0.2.1", false, NULL },
	{ "custom-mail.example.com", "192.0.2.1", false, NULL },
	{ "mx.poolside-resort.example.com", "192.0.2.1", false, NULL },
	{ "mail-1.example.com", "1.2.3.4", false, NULL },
	{ "mx-1-2.example.com", "1.2.3.4", false, NULL },
	{ "mx10.example.com", "10.10.10.10", false, NULL },
	{ "mail.home.pl", "1.2.3.4", false, NULL },
	{ "ip6.example.com", "192.0.2.1", false, NULL },
	{ "res1.example.com", "192.0.2.1", false, NULL },
	{ "smtp.user.example", "192.0.2.1", false, NULL },
	{ "mail.example.com", "2001:db8::25", false, NULL },
	{ "mx-0-0-0-0.example.com", "2001:db8::1", false, NULL },
	{ "outbound-2001.example.com", "2001:db8::1", false, NULL },
	{ "mail-0000000000000000.example.com", "2001:db8::1", false, NULL },
};

static void
test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct ptr_case *c = &cases[i];
		struct addr a;
		char why[128];
		bool g;

		assert_int_equal(addr_parse(c->ip, &a), 0);
		memset(why, 'X', sizeof(why));
		g = ptr_is_generic(c->name, &a, why, sizeof(why));
		if (g != c->generic)
			fail_msg("%s (%s): generic %d, want %d (%s)", c->name,
			    c->ip, g, c->generic, why);
		if (g && strcmp(why, c->why) != 0)
			fail_msg("%s: why \"%s\", want \"%s\"", c->name, why,
			    c->why);
		if (!g && why[0] != '\0')
			fail_msg("%s: why not cleared", c->name);
	}
}

static void
test_edges(void **state)
{
	char big[2048], why[8];
	struct addr a;

	(void)state;
	assert_int_equal(addr_parse("192.0.2.1", &a), 0);
	/* Longer than any DNS name: refused, not overrun. */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_false(ptr_is_generic(big, &a, why, sizeof(why)));
	assert_false(ptr_is_generic(NULL, &a, why, sizeof(why)));
	assert_false(ptr_is_generic("dsl.example.net", NULL, why,
	    sizeof(why)));
	/* why is optional and cut to its size. */
	assert_true(ptr_is_generic("dsl.example.net", &a, NULL, 0));
	assert_true(ptr_is_generic("dsl.example.net", &a, why, sizeof(why)));
	assert_int_equal(strlen(why), sizeof(why) - 1);
	/* Escaped bytes from the wire decoder are just text here. */
	assert_false(ptr_is_generic("mail\\x20x.example.com", &a, why,
	    sizeof(why)));
	assert_false(ptr_is_generic(".", &a, why, sizeof(why)));
	assert_false(ptr_is_generic("", &a, why, sizeof(why)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
