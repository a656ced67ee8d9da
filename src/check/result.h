/* result: the plain data a check collects: findings and per-target, per-host, per-address facts. */
#ifndef MXD_CHECK_RESULT_H
#define MXD_CHECK_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "dns/dns.h"
#include "dns/dnsbl.h"
#include "tls/x509.h"
#include "util/addr.h"
#include "util/str.h"

struct audit_result;

/* Results are plain structs filled by check/ and read by report/: no
 * behaviour, no I/O.  Every string is owned by the struct that holds it
 * and is already escaped where it came from the network (safe to print).
 * NULL means "not known / not applicable". */

enum severity {
	SEV_INFO = 0,
	SEV_WARNING = 1,
	SEV_ERROR = 2
};
const char *severity_name(enum severity s);	/* "info", "warning", "error" */

struct finding {
	const char	*id;		/* stable id from the catalogue, e.g. "cert.expired" */
	enum severity	 severity;
	char		*host;		/* host name (MX host or target); NULL for none */
	char		*address;	/* IP address text; NULL for host/domain-level */
	int		 port;		/* 0 when no connection is concerned */
	char		*message;	/* one sentence: what is wrong */
	char		*evidence;	/* what we saw (escaped) */
	char		*fix;		/* what to do */
};

struct dnsbl_result {
	char			*zone;
	char			*query;
	enum dnsbl_verdict	 verdict;
	enum dns_status		 status;
	char			*answer;	/* returned address, or NULL */
	char			*meaning;
	char			*txt;		/* TXT reason (escaped), or NULL */
};

struct ptr_result {
	enum dns_status	 status;	/* of the PTR query */
	struct strvec	 names;		/* PTR targets */
	/* forward-confirmed: one of the names resolves back to the address */
	bool		 forward_confirmed;
	char		*confirmed_name;
	bool		 generic;
	char		*generic_why;
};

enum smtp_mode {
	MODE_STARTTLS,		/* smtp://, port 25/587 */
	MODE_IMPLICIT_TLS	/* smtps://, port 465 */
};
const char *smtp_mode_name(enum smtp_mode m);	/* "starttls", "implicit_tls" */

struct smtp_facts {
	bool		 tried;
	bool		 connected;
	int		 greeting_code;		/* 0: none read */
	char		*greeting;		/* escaped, lines joined by "\n" */
	char		*greeting_name;		/* first word of the greeting */
	long		 greeting_ms;
	int		 ehlo_code;
	struct strvec	 capabilities;		/* before TLS */
	struct strvec	 capabilities_tls;	/* after TLS */
	bool		 starttls_offered;
	int		 starttls_code;
	char		*starttls_reply;	/* escaped */
	/* failure: class and step names from smtp/client.h, detail escaped */
	char		*error_class;
	char		*error_step;
	char		*error_detail;
	int		 error_code;		/* reply code of a 4xx/5xx failure, else 0 */
};

struct tls_facts {
	bool			 tried;
	bool			 ok;
	char			*sni;		/* sent SNI, NULL if none */
	char			*version;
	char			*cipher;	/* IANA */
	char			*cipher_openssl;
	int			 bits;
	char			*group;
	char			*error;
	/* chain verdict for the host name; valid when have_chain */
	bool			 have_chain;
	struct chain_report	 chain;
	/* TLS 1.3 NewSessionTickets received by the time the post-TLS EHLO
	 * reply arrived (tickets_known false: not read that far or not
	 * TLS 1.3); early: some came before our Finished (handshake.h) */
	bool			 tickets_known;
	int			 tickets;
	bool			 tickets_early;
};

/* One protocol version as the scan saw it (index: tls_version_index). */
struct tls_version_fact {
	bool		 tested;
	bool		 accepted;
	bool		 from_session;	/* proven by the main handshake */
	char		*verdict;	/* tls_verdict_name(), "accepted" */
	char		*detail;	/* escaped, one line */
	char		*suite;		/* IANA name the server picked, or NULL */
};

/* One targeted probe: which suite the server picked from an offer. */
struct tls_pick_fact {
	bool		 tested;	/* a verdict came (accepted or refused) */
	bool		 accepted;
	char		*version;	/* asked */
	char		*suite;		/* IANA, when accepted */
	char		*group;		/* curve or group name, or NULL */
	int		 dh_bits;	/* DHE prime size, or 0 */
	char		*detail;
};

/* --ciphers: the full list of one version, in the order the server
 * picked them. */
struct tls_cipher_list {
	char		*version;
	struct strvec	 suites;	/* IANA names */
	char		*order;		/* tls_order_name() */
	bool		 complete;
	char		*error;		/* why incomplete, or NULL */
};

/* Everything the TLS prober learnt about one address beyond the main
 * session.  Strings owned, escaped. */
struct tls_scan_facts {
	bool			 tried;
	int			 connections;	/* of the scan, also in addr_result */
	bool			 rate_limited;	/* a 421 stopped the scan */
	char			*stopped;	/* why incomplete, or NULL */
	struct tls_version_fact	 v[6];		/* SSLv2 .. TLS 1.3 */
	/* What a typical client (strong suites first, non-anonymous) gets
	 * in the best version up to TLS 1.2, from the scan or the main
	 * session. */
	char			*typical_version;
	char			*typical_suite;
	bool			 typical_fs;
	bool			 typical_weak;
	/* Default-mode probes in that version: weak suites only, DHE only,
	 * forward-secret only (when the typical pick is not). */
	struct tls_pick_fact	 weak;
	struct tls_pick_fact	 dhe;
	struct tls_pick_fact	 fs;
	/* The receiver profile: per profile version, its client's offer. */
	struct tls_pick_fact	 profile_pick[6];
	char			*profile;	/* name */
	char			*profile_status;/* "ok", "no_version", "no_suite", "unknown" */
	char			*profile_version;
	char			*profile_suite;
	char			*profile_reason;
	bool			 no_overlap;	/* no shared suite in any profile version */
	/* Without SNI (only when the main session sent SNI). */
	bool			 nosni_tried;
	bool			 nosni_ok;
	char			*nosni_error;
	bool			 nosni_have_chain;
	struct chain_report	 nosni_chain;
	bool			 nosni_same_leaf;
	/* --ciphers */
	struct tls_cipher_list	*lists;
	size_t			 nlists;
};

struct addr_result {
	struct addr		 addr;
	char			*address;	/* text */
	int			 port;
	enum smtp_mode		 mode;
	unsigned		 connections;	/* TCP connections made to it */
	struct ptr_result	 ptr;
	struct dnsbl_result	*dnsbl;
	size_t			 ndnsbl;
	struct smtp_facts	 smtp;
	struct tls_facts	 tls;
	struct tls_scan_facts	 scan;
};

struct host_result {
	char			*name;		/* NULL for an address literal target */
	int			 preference;	/* MX preference, -1 if not from MX */
	enum dns_status		 a_status;
	enum dns_status		 aaaa_status;
	struct addr_result	*addrs;
	size_t			 naddrs;
};

enum target_kind {
	TARGET_DOMAIN,		/* MX lookup */
	TARGET_HOST,		/* host name, host:port, smtp:// or smtps:// */
	TARGET_ADDRESS		/* IPv4 or [IPv6] literal */
};
const char *target_kind_name(enum target_kind k);	/* "domain", "host", "address" */

struct target_result {
	char			*target;	/* as given on the command line (escaped) */
	enum target_kind	 kind;
	char			*domain;	/* domain or host name, lower case */
	int			 port;
	enum smtp_mode		 mode;
	enum dns_status		 mx_status;	/* TARGET_DOMAIN only */
	bool			 null_mx;
	bool			 mx_fallback;	/* no MX: the domain's A/AAAA used (RFC 5321 5.1) */
	struct host_result	*hosts;		/* MX preference order */
	size_t			 nhosts;
};

struct report {
	/* run facts */
	char			*version;
	char			*profile;
	char			*ehlo_name;
	char			*resolver;	/* NULL: system resolv.conf */
	int			 timeout_ms;
	int			 greeting_timeout_ms;
	time_t			 started;
	long			 elapsed_ms;
	unsigned		 connections;
	unsigned		 dns_queries;
	bool			 incomplete;	/* the check could not be done (exit 3) */
	char			*incomplete_why;

	struct target_result	*targets;
	size_t			 ntargets;
	struct addr_result	*sending;	/* --sending-ip addresses: PTR, DNSBL */
	size_t			 nsending;
	struct finding		*findings;
	size_t			 nfindings;

	/* mxdoctor audit: the configuration model (audit/audit.h), borrowed,
	 * freed by whoever made it; NULL for a check. */
	const struct audit_result	*audit;
};

struct report *report_new(void);
void report_free(struct report *r);	/* NULL is a no-op */

/* report_add_finding: appends a finding; host/address may be NULL; evidence
 * and fix are copied (fix NULL: the catalogue's fix text).  message is a
 * printf format. */
struct finding *report_add_finding(struct report *r, const char *id,
    enum severity sev, const char *host, const char *address, int port,
    const char *evidence, const char *fix, const char *fmt, ...)
    __attribute__((format(printf, 9, 10)));
/* report_sort_findings: worst first, then host, address, id. */
void report_sort_findings(struct report *r);
/* Highest severity present, or -1 if there are no findings. */
int report_worst(const struct report *r);
/* Nagios exit status: 0 OK (nothing above info), 1 warnings, 2 errors,
 * 3 incomplete. */
int report_exit_status(const struct report *r);
size_t report_count(const struct report *r, enum severity sev);

#endif
