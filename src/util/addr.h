/* addr: IP address literals, formatting and reverse-DNS names. */
#ifndef MXD_UTIL_ADDR_H
#define MXD_UTIL_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address, no port. */
struct addr {
	int	family;		/* AF_INET or AF_INET6 */
	union {
		struct in_addr	v4;
		struct in6_addr	v6;
	} u;
};

#define ADDR_STRLEN	46	/* INET6_ADDRSTRLEN */

/* addr_parse: accepts "192.0.2.1", "2001:db8::1" and "[2001:db8::1]".
 * Returns 0 or -1. */
int addr_parse(const char *s, struct addr *out);
/* addr_format: canonical text (no brackets) into out[ADDR_STRLEN]. */
const char *addr_format(const struct addr *a, char *out, size_t outlen);
/* addr_to_sockaddr: fills ss for a; returns its length. */
socklen_t addr_to_sockaddr(const struct addr *a, int port,
    struct sockaddr_storage *ss);
/* addr_reverse_name: "4.3.2.1.in-addr.arpa" or the ip6.arpa nibble name,
 * without trailing dot, under suffix (NULL: the in-addr/ip6 arpa zones;
 * otherwise a DNSBL zone such as "zen.example.org").  Returns 0 or -1 if
 * out is too small (needs up to 73 + strlen(suffix) bytes). */
int addr_reverse_name(const struct addr *a, const char *suffix, char *out,
    size_t outlen);
bool addr_equal(const struct addr *a, const struct addr *b);

#endif
