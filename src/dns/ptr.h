/* ptr: reverse-DNS judgements: generic/dynamic-looking PTR names. */
#ifndef MXD_DNS_PTR_H
#define MXD_DNS_PTR_H

#include <stdbool.h>
#include <stddef.h>

#include "util/addr.h"

/* ptr_is_generic: whether name looks like an ISP's generic or dynamic PTR
 * for address a: it embeds the address's digits (e.g. "1-2-3-4", "1.2.3.4",
 * "001002003004", reversed forms, hex forms for IPv6), or has a label
 * token such as dyn, dynamic, pool, dsl, adsl, cable, dhcp, ppp, dialup,
 * client, customer, host-, broadband, static-ip ("static" alone is not
 * generic).  On true, writes the reason ("embeds the address",
 * "token 'dsl'") into why.  Never true for names that only share a single
 * octet with the address. */
bool ptr_is_generic(const char *name, const struct addr *a, char *why,
    size_t whylen);

#endif
