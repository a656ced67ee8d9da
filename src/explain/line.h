/* line: what one log line says besides its wording: time, writer, remote host, recipient. */
#ifndef MXD_EXPLAIN_LINE_H
#define MXD_EXPLAIN_LINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "explain/explain.h"
#include "explain/patterns.h"

#define LINE_NAME_MAX	256	/* host names, domains (253 + NUL, rounded) */
#define LINE_IP_MAX	48	/* an IPv6 address as text */
#define LINE_KEY_MAX	128

/* Everything is validated before it is stored: host names and domains are
 * lower-case LDH names, addresses parse; anything else is left empty, so
 * these strings are safe to put into a suggested command line. */
struct explain_line {
	struct explain_time	time;
	char	key[LINE_KEY_MAX];	/* "host prog[pid]" (syslog) or an Exim message id; "" if none */
	char	logger[LINE_NAME_MAX];	/* the syslog host that wrote it */
	enum explain_direction dir;	/* from the writing program: smtpd in, smtp out */
	char	host[LINE_NAME_MAX];	/* the remote host the line names */
	char	ip[LINE_IP_MAX];	/* its address */
	char	sending_ip[LINE_IP_MAX]; /* another address a reply complains about */
	char	recipient[LINE_NAME_MAX]; /* the recipient's domain */
	bool	closes;			/* a Postfix delivery status line (status=) */
};

/* explain_line_parse: line is NUL-terminated (its '\n' removed); now gives
 * the year of syslog stamps, which have none. */
void explain_line_parse(const char *line, time_t now, struct explain_line *out);

/* explain_parse_time: the stamp at the start of s (syslog "Nov 29 06:33:21",
 * ISO 8601 "2026-11-29T06:33:21.123+00:00", Exim "2026-11-29 06:33:21");
 * returns the number of bytes it took, 0 if none. */
size_t explain_parse_time(const char *s, time_t now, struct explain_time *t);
/* explain_parse_rfc5322_date: "Sat, 29 Nov 2026 06:33:21 +0000"; 0 or -1. */
int explain_parse_rfc5322_date(const char *s, struct explain_time *t);

/* explain_valid_host: a DNS name safe to print and to put on a command
 * line (LDH, '_', dots); lower-cases and drops a trailing dot in place. */
bool explain_valid_host(char *s);
/* explain_copy_host / _ip: validated copies; return false (out empty) if
 * s[0..n) is not one. */
bool explain_copy_host(char *out, size_t outlen, const char *s, size_t n);
bool explain_copy_ip(char *out, size_t outlen, const char *s, size_t n);

#endif
