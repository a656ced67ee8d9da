/* eval: turns collected facts into findings, one file per cause; pure functions, no I/O. */
#ifndef MXD_CHECK_EVAL_H
#define MXD_CHECK_EVAL_H

#include "check/result.h"

/* Each adds findings to r for the facts given.  host may be NULL (address
 * literal targets).  sending: the address is a --sending-ip (judged as the
 * address Microsoft sees when the user sends). */
void eval_dns_target(struct report *r, const struct target_result *t);
void eval_dns_host(struct report *r, const struct target_result *t,
    const struct host_result *h);
void eval_smtp(struct report *r, const char *host, const struct addr_result *a);
void eval_cert(struct report *r, const char *host, const struct addr_result *a);
void eval_ptr(struct report *r, const char *host, const struct addr_result *a,
    bool sending);
void eval_dnsbl(struct report *r, const char *host, const struct addr_result *a);
void eval_tls(struct report *r, const char *host, const struct addr_result *a);
void eval_cipher(struct report *r, const char *host, const struct addr_result *a);
void eval_sni(struct report *r, const char *host, const struct addr_result *a);

/* eval_all: every evaluator over every target, host and address of r,
 * then the sending addresses; sorts the findings. */
void eval_all(struct report *r);

#endif
