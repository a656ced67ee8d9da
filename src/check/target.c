/* target: parsing and validation of command-line targets. */
#include "check/target.h"
#include "util/str.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int
target_valid_name(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name), label = 0, i;

	if (len == 0 || len > TARGET_NAME_MAX) {
		snprintf(err, errlen, "a host or domain name must be 1 to %d characters",
		    TARGET_NAME_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c == '.') {
			if (label == 0) {
				snprintf(err, errlen, "empty label in name");
				return -1;
			}
			label = 0;
			continue;
		}
		if (c >= 0x80) {
			snprintf(err, errlen,
			    "internationalised names must be given in their xn-- (A-label) form");
			return -1;
		}
		if (!isalnum(c) && c != '-' && c != '_') {
			snprintf(err, errlen, "invalid character '%c' in name",
			    isprint(c) ? c : '?');
			return -1;
		}
		if (++label > 63) {
			snprintf(err, errlen, "a label is longer than 63 characters");
			return -1;
		}
	}
	return 0;
}

static int
parse_port(const char *s, int *port, char *err, size_t errlen)
{
	long v;

	if (str_to_long(s, 1, 65535, &v) == -1) {
		snprintf(err, errlen, "invalid port '%.20s' (1-65535)", s);
		return -1;
	}
	*port = (int)v;
	return 0;
}

/* split_host_port: "[v6]:p", "[v6]", "host:p", "host", or a bare IPv6
 * literal (two or more colons, no brackets). */
static int
split_host_port(char *hp, char **host, char **port, char *err, size_t errlen)
{
	char *p;

	*port = NULL;
	if (hp[0] == '[') {
		p = strchr(hp, ']');
		if (p == NULL) {
			snprintf(err, errlen, "missing ']' after IPv6 address");
			return -1;
		}
		if (p[1] == ':')
			*port = p + 2;
		else if (p[1] != '\0') {
			snprintf(err, errlen, "unexpected text after ']'");
			return -1;
		}
		p[1] = '\0';
		*host = hp;
		return 0;
	}
	p = strchr(hp, ':');
	if (p != NULL && strchr(p + 1, ':') == NULL) {
		*p = '\0';
		*port = p + 1;
	}
	*host = hp;
	return 0;
}

int
target_parse(const char *s, int default_port, struct target_spec *out,
    char *err, size_t errlen)
{
	char tmp[TARGET_NAME_MAX + 64], *host, *port;
	const char *rest = s;
	bool explicit_scheme = false;

	memset(out, 0, sizeof(*out));
	out->mode = MODE_STARTTLS;
	out->port = default_port;
	if (strncasecmp(s, "smtp://", 7) == 0) {
		rest = s + 7;
		explicit_scheme = true;
		out->port = 25;
	} else if (strncasecmp(s, "smtps://", 8) == 0) {
		rest = s + 8;
		explicit_scheme = true;
		out->mode = MODE_IMPLICIT_TLS;
		out->port = 465;
	} else if (strstr(s, "://") != NULL) {
		snprintf(err, errlen, "unsupported scheme (use smtp:// or smtps://)");
		return -1;
	}
	if (str_copy(tmp, rest, sizeof(tmp)) >= sizeof(tmp)) {
		snprintf(err, errlen, "target is too long");
		return -1;
	}
	/* Allow a trailing slash after a URL authority, nothing more. */
	if (explicit_scheme) {
		size_t n = strlen(tmp);

		if (n > 0 && tmp[n - 1] == '/')
			tmp[n - 1] = '\0';
		if (strchr(tmp, '/') != NULL || strchr(tmp, '@') != NULL) {
			snprintf(err, errlen, "a target URL takes only host[:port]");
			return -1;
		}
	}
	if (tmp[0] == '\0') {
		snprintf(err, errlen, "empty target");
		return -1;
	}
	if (split_host_port(tmp, &host, &port, err, errlen) == -1)
		return -1;
	if (port != NULL && parse_port(port, &out->port, err, errlen) == -1)
		return -1;
	if (addr_parse(host, &out->addr) == 0) {
		out->kind = TARGET_ADDRESS;
		return 0;
	}
	if (host[0] == '[') {
		snprintf(err, errlen, "invalid IPv6 address '%.60s'", host);
		return -1;
	}
	str_trim_dot(host);
	if (target_valid_name(host, err, errlen) == -1)
		return -1;
	str_copy(out->name, host, sizeof(out->name));
	str_lower(out->name);
	out->kind = (explicit_scheme || port != NULL) ? TARGET_HOST :
	    TARGET_DOMAIN;
	return 0;
}
