/* fixture: hand-built reports for the report renderer tests. */
#ifndef MXD_TEST_REPORT_FIXTURE_H
#define MXD_TEST_REPORT_FIXTURE_H

#include "check/result.h"

/* 2026-01-01T00:00:00Z: the report's start time, fixed for golden files. */
#define FIXTURE_STARTED	((time_t)1767225600)

/* fixture_report: a realistic report: domain example.com with two MX
 * hosts (mx1: a good IPv4 address with TLS 1.3 and a trusted chain, and
 * an IPv6 address with an expired self-signed certificate, a generic PTR
 * and a DNSBL listing; mx2: a connection failure and a failed AAAA
 * lookup), a domain with a null MX, an address literal with implicit TLS
 * whose handshake fails, one --sending-ip without PTR, and findings of
 * every severity.  Some server strings are hostile (escaped
 * as check/ escapes them) and one carries a raw control byte, which the
 * renderers must neutralise.  Free with report_free(). */
struct report *fixture_report(void);

/* fixture_empty: a report of a run that checked nothing. */
struct report *fixture_empty(void);

#endif
