/* audit_exim_int: internal to audit/: Exim's configuration file as read by audit_exim_conf.c, for audit_exim.c. */
#ifndef MXD_AUDIT_AUDIT_EXIM_INT_H
#define MXD_AUDIT_AUDIT_EXIM_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "audit/audit.h"
#include "util/buf.h"

#define EX_DEPTH_MAX	8		/* .include nesting */
#define EX_MACROS_MAX	1000
#define EX_COND_MAX	32		/* nested conditionals */
#define EX_LINE_MAX	(64 * 1024)	/* bytes of one logical line */
#define EX_TOTAL_MAX	(32 * 1024 * 1024)	/* bytes read over all files */
#define EX_OPTS_MAX	4096
#define EX_TRANSPORTS_MAX	256
#define EX_RUN_MS	15000
#define EX_RUN_OUT	(256 * 1024)
#define EX_SUITES_MAX	512

/* Exim's default openssl_options (spec, 4.96: "+no_sslv2 +no_sslv3
 * +single_dh_use +no_ticket +no_renegotiation"; tls-openssl.c
 * tls_openssl_options_parse() starts from it, items add or remove). */
#define EX_OSSL_DEFAULT	"+no_sslv2 +no_sslv3 +single_dh_use +no_ticket +no_renegotiation"

enum ex_lib { EX_LIB_UNKNOWN, EX_LIB_GNUTLS, EX_LIB_OPENSSL };
enum ex_sec { EX_SEC_MAIN, EX_SEC_TRANSPORTS, EX_SEC_OTHER };

struct ex_macro {
	char	*name;
	char	*value;
};

struct ex_opt {
	char	*scope;		/* NULL: main section; else transport name */
	char	*name;
	char	*value;
	char	*origin;	/* "FILE:LINE" */
};

struct ex_transport {
	char	*name;
	char	*driver;
};

struct ex_cond {
	bool	 parent;	/* the enclosing block is active */
	bool	 taken;		/* a branch was taken */
	bool	 active;
};

struct ex {
	struct audit_result	*a;
	struct report		*r;
	struct ex_macro		 m[EX_MACROS_MAX];
	size_t			 nm;
	struct ex_cond		 cond[EX_COND_MAX];
	int			 ncond;
	int			 skipped_deep;	/* conditionals past EX_COND_MAX */
	enum ex_sec		 sec;
	char			*cur;		/* current transport */
	struct ex_opt		*opt;
	size_t			 nopt;
	struct ex_transport	 tr[EX_TRANSPORTS_MAX];
	size_t			 ntr;
	/* the logical line being built from continued physical lines */
	struct buf		*line;
	bool			 cont;
	char			 origin[512];
	char			*def;		/* macro name being defined */
	bool			 redef;
	char			*stack[EX_DEPTH_MAX + 1];	/* files being read */
	int			 depth;
	size_t			 total;
	bool			 line_cut;
	bool			 debian;	/* written by Debian's exim4-config */
};

/*
 * audit_exim_conf.c: the configuration file.  ex_file() reads one file
 * (and its .includes) into x's options; ex_flush() ends the last logical
 * line; ex_unbalanced() reports open conditionals; ex_get() is the
 * option of that name in scope (NULL: main section), or NULL.  Problems
 * with the file become config.invalid findings (ex_invalid()).
 */
void ex_file(struct ex *x, const char *path, bool must_exist);
void ex_flush(struct ex *x);
void ex_free(struct ex *x);
const struct ex_opt *ex_get(const struct ex *x, const char *scope, const char *name);
void ex_macro_set(struct ex *x, const char *name, const char *value, bool redef);
void ex_unbalanced(struct ex *x, const char *what);
void ex_invalid(struct ex *x, const char *host, const char *evidence,
    const char *msg);

#endif
