/* line: time stamps, syslog writer, remote host and address, recipient domain of one log line. */
#include "explain/line.h"
#include "util/addr.h"
#include "util/str.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * The forms read here are those of the MTAs explain knows (data file):
 * Postfix "relay=host[ip]:25", "to host[ip]:25", "from host[ip]"; Sendmail
 * "relay=host. [ip]"; Exim "H=host (helo) [ip]"; Exchange
 * "[LastAttemptedServerName=host] [LastAttemptedIP=ip:25]" and "The last
 * endpoint attempted was ip:25".  Every value is validated before use.
 */

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

/* num: exactly n digits at s; -1 if not. */
static int
num(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int
month_of(const char *s)
{
	int i;

	for (i = 0; i < 12; i++)
		if (strncasecmp(s, months + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

/* set_time: fills t from broken-down local or UTC fields; off_min is the
 * zone offset in minutes, or INT32_MIN for a local time. */
static bool
set_time(struct explain_time *t, int y, int mo, int d, int h, int mi, int s,
    int off_min)
{
	struct tm tm;
	time_t k;

	if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || s > 60 || h < 0 || mi < 0 || s < 0)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	k = timegm(&tm);
	if (off_min != INT32_MIN) {
		k -= (time_t)off_min * 60;
		if (gmtime_r(&k, &tm) == NULL)
			return false;
	}
	t->valid = true;
	t->key = (int64_t)k;
	/* The modulos only tell the compiler the widths: the fields were
	 * range-checked above (and gmtime_r keeps them so). */
	snprintf(t->text, sizeof(t->text), "%04u-%02u-%02uT%02u:%02u:%02u%s",
	    (unsigned)(tm.tm_year + 1900) % 10000u, (unsigned)(tm.tm_mon + 1) % 100u,
	    (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
	    (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u,
	    off_min != INT32_MIN ? "Z" : "");
	return true;
}

/* hms: "HH:MM:SS" at s into h, m, sec; false if not. */
static bool
hms(const char *s, int *h, int *m, int *sec)
{
	if (s[2] != ':' || s[5] != ':')
		return false;
	*h = num(s, 2);
	*m = num(s + 3, 2);
	*sec = num(s + 6, 2);
	return *h >= 0 && *m >= 0 && *sec >= 0;
}

/* syslog_time: "Nov 29 06:33:21" or "Nov  9 06:33:21"; the year is now's,
 * or the one before when that would put the stamp more than a day ahead. */
static size_t
syslog_time(const char *s, time_t now, struct explain_time *t)
{
	int mo = month_of(s), d, h, mi, sec;
	struct tm tm;

	if (mo == 0 || s[3] != ' ' || s[6] != ' ')
		return 0;
	d = s[4] == ' ' ? num(s + 5, 1) : num(s + 4, 2);
	if (d < 0 || !hms(s + 7, &h, &mi, &sec) || gmtime_r(&now, &tm) == NULL)
		return 0;
	if (!set_time(t, tm.tm_year + 1900, mo, d, h, mi, sec, INT32_MIN))
		return 0;
	if (t->key > (int64_t)now + 86400 &&
	    !set_time(t, tm.tm_year + 1899, mo, d, h, mi, sec, INT32_MIN))
		return 0;
	return 15;
}

/* zone: "Z", "+01:00", "+0100" at s; returns its length (0: none). */
static size_t
zone(const char *s, int *off_min)
{
	int hh, mm, sign;

	if (*s == 'Z') {
		*off_min = 0;
		return 1;
	}
	if (*s != '+' && *s != '-')
		return 0;
	sign = *s == '-' ? -1 : 1;
	if ((hh = num(s + 1, 2)) < 0)
		return 0;
	if (s[3] == ':' && (mm = num(s + 4, 2)) >= 0) {
		*off_min = sign * (hh * 60 + mm);
		return 6;
	}
	if ((mm = num(s + 3, 2)) >= 0) {
		*off_min = sign * (hh * 60 + mm);
		return 5;
	}
	return 0;
}

/* iso_time: "2026-11-29T06:33:21[.123][zone]" or Exim's "2026-11-29
 * 06:33:21[ +0100]". */
static size_t
iso_time(const char *s, struct explain_time *t)
{
	int y = num(s, 4), mo, d, h, mi, sec, off = INT32_MIN;
	size_t i = 19, zl;

	if (y < 0 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' '))
		return 0;
	mo = num(s + 5, 2);
	d = num(s + 8, 2);
	if (mo < 0 || d < 0 || !hms(s + 11, &h, &mi, &sec))
		return 0;
	if (s[i] == '.' || s[i] == ',')
		for (i++; isdigit((unsigned char)s[i]); i++)
			;
	if (s[10] == 'T')
		i += zone(s + i, &off);
	else if (s[i] == ' ' && (zl = zone(s + i + 1, &off)) == 5 && s[i + 6] == ' ')
		i += 1 + zl;
	return set_time(t, y, mo, d, h, mi, sec, off) ? i : 0;
}

size_t
explain_parse_time(const char *s, time_t now, struct explain_time *t)
{
	size_t n;

	memset(t, 0, sizeof(*t));
	if (isdigit((unsigned char)s[0]))
		n = iso_time(s, t);
	else
		n = syslog_time(s, now, t);
	if (n == 0)
		memset(t, 0, sizeof(*t));
	return n;
}

int
explain_parse_rfc5322_date(const char *s, struct explain_time *t)
{
	int d, mo, y, h, mi, sec = 0, off = 0;
	size_t i = 0;

	memset(t, 0, sizeof(*t));
	while (*s == ' ')
		s++;
	if (isalpha((unsigned char)s[0]) && s[3] == ',')
		s += 4;
	while (*s == ' ')
		s++;
	if ((d = num(s, 2)) >= 0)
		i = 2;
	else if ((d = num(s, 1)) >= 0)
		i = 1;
	else
		return -1;
	s += i;
	if (*s++ != ' ' || (mo = month_of(s)) == 0 || s[3] != ' ' ||
	    (y = num(s + 4, 4)) < 0 || s[8] != ' ')
		return -1;
	s += 9;
	if ((h = num(s, 2)) < 0 || s[2] != ':' || (mi = num(s + 3, 2)) < 0)
		return -1;
	s += 5;
	if (*s == ':') {
		if ((sec = num(s + 1, 2)) < 0)
			return -1;
		s += 3;
	}
	while (*s == ' ')
		s++;
	if (zone(s, &off) != 5)
		off = 0;	/* "GMT", "UT" or missing: UTC */
	return set_time(t, y, mo, d, h, mi, sec, off) ? 0 : -1;
}

static bool
name_char(unsigned char c)
{
	return isalnum(c) || c == '-' || c == '.' || c == '_';
}

bool
explain_valid_host(char *s)
{
	size_t n = strlen(s), i;

	if (n > 0 && s[n - 1] == '.')
		s[--n] = '\0';
	if (n == 0 || n > 253 || s[0] == '-' || s[0] == '.' ||
	    strcasecmp(s, "unknown") == 0 || strcasecmp(s, "none") == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!name_char((unsigned char)s[i]) || (s[i] == '.' && s[i + 1] == '.'))
			return false;
	str_lower(s);
	return true;
}

bool
explain_copy_host(char *out, size_t outlen, const char *s, size_t n)
{
	struct addr a;

	out[0] = '\0';
	if (n == 0 || n >= outlen)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	/* Postfix writes the address where a host has no name. */
	if (!explain_valid_host(out) || addr_parse(out, &a) == 0) {
		out[0] = '\0';
		return false;
	}
	return true;
}

bool
explain_copy_ip(char *out, size_t outlen, const char *s, size_t n)
{
	struct addr a;

	out[0] = '\0';
	if (n == 0 || n >= outlen || n >= ADDR_STRLEN)
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	if (addr_parse(out, &a) == -1 || addr_format(&a, out, outlen) == NULL) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* bracket_ip: "[ip]" at s; the ip into out, returns the bytes taken. */
static size_t
bracket_ip(const char *s, char *out, size_t outlen)
{
	const char *end;

	if (*s != '[' || (end = strchr(s, ']')) == NULL)
		return 0;
	return explain_copy_ip(out, outlen, s + 1, (size_t)(end - s - 1)) ?
	    (size_t)(end - s + 1) : 0;
}

/* name_len: length of the host-name characters at s. */
static size_t
name_len(const char *s)
{
	size_t n = 0;

	while (name_char((unsigned char)s[n]))
		n++;
	return n;
}

/* glued_name: is s[0..n) the host part of Postfix's "host[ip]"?  A DNS
 * name with a dot, Postfix's "unknown" (no PTR) or "localhost" (a
 * loopback client's PTR); a word glued to a bracket ("banned sender[ip]")
 * is not. */
static bool
glued_name(const char *s, size_t n)
{
	return (n == 7 && strncasecmp(s, "unknown", 7) == 0) ||
	    (n == 9 && strncasecmp(s, "localhost", 9) == 0) ||
	    (n > 2 && memchr(s, '.', n) != NULL);
}

/* host_bracket: "host[ip]" at s (Postfix). */
static bool
host_bracket(const char *s, struct explain_line *out)
{
	size_t n = name_len(s);

	if (!glued_name(s, n) || s[n] != '[' ||
	    bracket_ip(s + n, out->ip, sizeof(out->ip)) == 0)
		return false;
	explain_copy_host(out->host, sizeof(out->host), s, n);
	return true;
}

/* glued_before: does the '[' at p close a "host[" (see glued_name)? */
static bool
glued_before(const char *line, const char *p)
{
	const char *s = p;

	while (s > line && name_char((unsigned char)s[-1]))
		s--;
	return glued_name(s, (size_t)(p - s));
}

/* host_space_bracket: Exim and Sendmail "host [ip]", "host. [ip]", "(helo)
 * [ip]", "host (helo) [ip]", "[ip]". */
static bool
host_space_bracket(const char *s, struct explain_line *out)
{
	size_t n = name_len(s);
	const char *p = s + n;

	if (*s == '(')
		n = 0, p = s;
	if (n > 0 && *p == ' ')
		p++;
	if (*p == '(' && (p = strchr(p, ')')) != NULL && p[1] == ' ')
		p += 2;
	if (p == NULL || bracket_ip(p, out->ip, sizeof(out->ip)) == 0)
		return false;
	explain_copy_host(out->host, sizeof(out->host), s, n);
	return true;
}

/* after: the text after the first occurrence of key, or NULL. */
static const char *
after(const char *line, const char *key)
{
	const char *p = strstr(line, key);

	return p != NULL ? p + strlen(key) : NULL;
}

/* ip_port: "ip:port" (IPv4) or a bare address up to ']' / ' ' / ','. */
static bool
ip_port(const char *s, char *out, size_t outlen)
{
	size_t n = strcspn(s, "] ,;\"'");
	const char *colon = memrchr(s, ':', n);

	/* IPv4 with port: cut at the last colon; IPv6 has several. */
	if (colon != NULL && memchr(s, ':', (size_t)(colon - s)) == NULL)
		n = (size_t)(colon - s);
	return explain_copy_ip(out, outlen, s, n);
}

/* remote_exchange: Exchange's [LastAttemptedServerName=...] fields. */
static bool
remote_exchange(const char *line, struct explain_line *out)
{
	const char *p;
	bool found = false;

	if ((p = after(line, "LastAttemptedServerName=")) != NULL)
		found |= explain_copy_host(out->host, sizeof(out->host), p, name_len(p));
	if ((p = after(line, "LastAttemptedIP=")) != NULL ||
	    (p = after(line, "endpoint attempted was ")) != NULL)
		found |= ip_port(p, out->ip, sizeof(out->ip));
	return found;
}

/* remote_relay: Postfix and Sendmail relay=. */
static bool
remote_relay(const char *line, struct explain_line *out)
{
	const char *p = after(line, "relay=");

	if (p == NULL)
		return false;
	if (host_bracket(p, out) || host_space_bracket(p, out))
		return true;
	return explain_copy_host(out->host, sizeof(out->host), p, name_len(p));
}

/* remote_generic: the first "host[ip]"; else Exim's " H=" and "connection
 * from"/"connection to"; else "connected to host", "expecting is host". */
static bool
remote_generic(const char *line, struct explain_line *out)
{
	static const char *const exim[] = { " H=", "connection from ", "connection to " };
	static const char *const named[] = { "connected to ", "we were expecting is " };
	const char *p;
	size_t i;

	for (p = strchr(line, '['); p != NULL; p = strchr(p + 1, '['))
		if (glued_before(line, p)) {
			const char *s = p;

			while (s > line && name_char((unsigned char)s[-1]))
				s--;
			if (host_bracket(s, out))
				return true;
		}
	for (i = 0; i < sizeof(exim) / sizeof(exim[0]); i++)
		if ((p = after(line, exim[i])) != NULL && host_space_bracket(p, out))
			return true;
	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if ((p = after(line, named[i])) != NULL &&
		    explain_copy_host(out->host, sizeof(out->host), p, name_len(p)))
			return true;
	return false;
}

/* sending_ip: an address the line mentions besides the remote's: a
 * bracketed one not glued to a host name ("messages from [ip]", "Client
 * host [ip]"), else one after "messages from " / "IP address ". */
static void
sending_ip(const char *line, struct explain_line *out)
{
	static const char *const prefixes[] = {
		"messages from ", "IP address ", "IP Netblock "
	};
	char ip[LINE_IP_MAX];
	const char *p;
	size_t i, n;

	for (p = strchr(line, '['); p != NULL; p = strchr(p + 1, '[')) {
		/* "host[ip]" is the remote; "I=[ip]" (Exim) our interface */
		if (glued_before(line, p) || (p > line && p[-1] == '='))
			continue;
		if (bracket_ip(p, ip, sizeof(ip)) > 0 && strcmp(ip, out->ip) != 0) {
			memcpy(out->sending_ip, ip, sizeof(ip));
			return;
		}
	}
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		if ((p = after(line, prefixes[i])) == NULL)
			continue;
		n = strspn(p, "0123456789abcdefABCDEF:.");
		while (n > 0 && p[n - 1] == '.')
			n--;
		if (explain_copy_ip(ip, sizeof(ip), p, n) && strcmp(ip, out->ip) != 0) {
			memcpy(out->sending_ip, ip, sizeof(ip));
			return;
		}
	}
}

/* recipient: the domain of Postfix/Sendmail "to=<user@domain>" or Exim
 * "=> user@domain" (also **, ==, ->). */
static void
recipient(const char *line, struct explain_line *out)
{
	static const char *const exim[] = { " => ", " ** ", " == ", " -> " };
	const char *p = after(line, " to=<"), *at, *end;
	size_t i;

	if (p == NULL)
		p = after(line, " to=");
	for (i = 0; p == NULL && i < sizeof(exim) / sizeof(exim[0]); i++)
		p = after(line, exim[i]);
	if (p == NULL)
		return;
	end = p + strcspn(p, ">, ");
	if ((at = memchr(p, '@', (size_t)(end - p))) == NULL)
		return;
	explain_copy_host(out->recipient, sizeof(out->recipient), at + 1,
	    (size_t)(end - at - 1));
}

/* writer: after the stamp, syslog's "host prog[pid]: " or Exim's
 * "[pid] msgid "; fills key, logger and dir. */
static void
writer(const char *s, struct explain_line *out)
{
	size_t hn, pn;
	const char *prog, *base, *br;

	if (*s++ != ' ')
		return;
	if (*s == '[')			/* Exim with log_selector +pid */
		s += strcspn(s, " ") + (s[strcspn(s, " ")] == ' ');
	hn = strcspn(s, " ");
	prog = s + hn + 1;
	pn = strcspn(prog, " :");
	if (s[hn] == ' ' && prog[pn] == ':' && pn > 0 && prog[pn - 1] == ']' &&
	    hn + 1 + pn < sizeof(out->key)) {
		memcpy(out->key, s, hn + 1 + pn);
		out->key[hn + 1 + pn] = '\0';
		explain_copy_host(out->logger, sizeof(out->logger), s, hn);
		br = memchr(prog, '[', pn);
		base = prog;
		for (const char *q = prog; q < br; q++)
			if (*q == '/')
				base = q + 1;
		if (br != NULL && (size_t)(br - base) == 5 && strncmp(base, "smtpd", 5) == 0)
			out->dir = DIR_IN;
		else if (br != NULL && (size_t)(br - base) == 4 &&
		    (strncmp(base, "smtp", 4) == 0 || strncmp(base, "lmtp", 4) == 0))
			out->dir = DIR_OUT;
		return;
	}
	/* Exim message id: 6-6..11-2..4 alphanumerics. */
	if (hn >= 16 && hn < sizeof(out->key) && s[6] == '-' && strchr(s + 7, '-') != NULL &&
	    strchr(s + 7, '-') < s + hn) {
		memcpy(out->key, s, hn);
		out->key[hn] = '\0';
	}
}

void
explain_line_parse(const char *line, time_t now, struct explain_line *out)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	n = explain_parse_time(line, now, &out->time);
	if (n > 0)
		writer(line + n, out);
	if (out->dir == DIR_UNKNOWN) {
		if (strstr(line, "STARTTLS=server") != NULL)
			out->dir = DIR_IN;
		else if (strstr(line, "STARTTLS=client") != NULL)
			out->dir = DIR_OUT;
	}
	if (!remote_relay(line, out) && !remote_exchange(line, out))
		remote_generic(line, out);
	sending_ip(line, out);
	recipient(line, out);
	out->closes = strstr(line, " status=") != NULL;
}
