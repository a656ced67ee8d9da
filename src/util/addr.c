/* addr: IP address literals, formatting and reverse-DNS names. */
#include "util/addr.h"
#include "util/str.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

int
addr_parse(const char *s, struct addr *out)
{
	char tmp[ADDR_STRLEN + 2];
	size_t n = strlen(s);

	memset(out, 0, sizeof(*out));
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		if (n - 2 >= sizeof(tmp))
			return -1;
		memcpy(tmp, s + 1, n - 2);
		tmp[n - 2] = '\0';
		if (inet_pton(AF_INET6, tmp, &out->u.v6) != 1)
			return -1;
		out->family = AF_INET6;
		return 0;
	}
	if (inet_pton(AF_INET, s, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

const char *
addr_format(const struct addr *a, char *out, size_t outlen)
{
	if (inet_ntop(a->family, &a->u, out, (socklen_t)outlen) == NULL)
		str_copy(out, "?", outlen);
	return out;
}

socklen_t
addr_to_sockaddr(const struct addr *a, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)port);
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)port);
		sin6->sin6_addr = a->u.v6;
		return sizeof(*sin6);
	}
}

int
addr_reverse_name(const struct addr *a, const char *suffix, char *out,
    size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	char tmp[80];
	size_t o = 0;
	int i, r;

	if (a->family == AF_INET) {
		const unsigned char *b = (const unsigned char *)&a->u.v4;

		snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", b[3], b[2], b[1],
		    b[0]);
		if (suffix == NULL)
			suffix = "in-addr.arpa";
	} else {
		const unsigned char *b = a->u.v6.s6_addr;

		for (i = 15; i >= 0; i--) {
			tmp[o++] = hex[b[i] & 15];
			tmp[o++] = '.';
			tmp[o++] = hex[b[i] >> 4];
			tmp[o++] = i ? '.' : '\0';
		}
		if (suffix == NULL)
			suffix = "ip6.arpa";
	}
	r = snprintf(out, outlen, "%s.%s", tmp, suffix);
	return (r < 0 || (size_t)r >= outlen) ? -1 : 0;
}

bool
addr_equal(const struct addr *a, const struct addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
}
