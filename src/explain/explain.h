/* explain: reads mail logs and bounces, classifies every TLS/delivery failure to a root cause. */
#ifndef MXD_EXPLAIN_EXPLAIN_H
#define MXD_EXPLAIN_EXPLAIN_H

/*
 * The explain layer depends on util only.  It never prints: it fills the
 * plain result structs below, which report/ renders (explain_report.h).
 *
 *	struct explain_patterns *ps = explain_patterns_load(path, err, sizeof(err));
 *	struct explain_run *run = explain_run_new(ps, &opts);
 *	explain_run_input(run, "mail.log.1.gz");	   (repeat; "-" is stdin)
 *	struct explain_result *res = explain_run_finish(run);   (frees run)
 *	...render res...
 *	explain_result_free(res);
 *	explain_patterns_free(ps);	(after res: res borrows its texts)
 *
 * Memory stays bounded whatever the input size: lines are capped
 * (EXPLAIN_LINE_MAX), open events, groups and unknown shapes are capped.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "explain/patterns.h"

#define EXPLAIN_LINE_MAX	65536	/* longer lines are cut here and counted */
#define EXPLAIN_EXAMPLE_MAX	1024	/* escaped example text kept per group */
#define EXPLAIN_GROUPS_MAX	10000	/* beyond: one "(other hosts)" group per cause */
#define EXPLAIN_UNKNOWN_MAX	200	/* distinct unknown line shapes kept */
#define EXPLAIN_TIME_LEN	32

/* A time stamp as read from a log line.  text is ISO 8601 without zone for
 * local-time formats (syslog, Exim) and with "Z" when the line gave an
 * offset; key orders stamps (seconds, the zone ignored for local ones). */
struct explain_time {
	bool	 valid;
	int64_t	 key;
	char	 text[EXPLAIN_TIME_LEN];
};

/* One input as read. */
struct explain_input {
	char		*name;		/* path, or "-" for standard input */
	bool		 compressed;	/* gzip */
	bool		 binary;	/* NUL bytes seen (replaced by spaces) */
	bool		 complete;	/* read to its end without error */
	char		*error;		/* why not, one line; NULL if complete */
	uint64_t	 bytes;		/* uncompressed bytes read */
	uint64_t	 lines;
	uint64_t	 long_lines;	/* cut at EXPLAIN_LINE_MAX */
};

/* One group: failures with the same cause and remote host (or address). */
struct explain_group {
	const struct explain_cause	*cause;		/* borrowed from the pattern set */
	const struct explain_pattern	*pattern;	/* the group's most frequent deciding pattern */
	char		*remote_host;	/* NULL if no line named it */
	char		*remote_ip;
	char		*recipient_domain;
	char		*sending_ip;	/* the address a receiver complained about */
	char		*logger_host;	/* syslog host that wrote the lines */
	const char	*side;		/* "local", "remote", "either", "server", "client" */
	const char	*direction;	/* "in", "out" or NULL */
	char		*check_command;	/* `mxdoctor check ...` that confirms it; NULL if none */
	bool		 other_hosts;	/* the overflow group (EXPLAIN_GROUPS_MAX reached) */
	uint64_t	 count;		/* failures (events), not lines */
	struct explain_time first, last;
	char		*example;	/* the deciding line of the first failure, escaped */
	char		*example_input;	/* borrowed input name */
	uint64_t	 example_line;
	/* every pattern that decided a failure here, with its count */
	const struct explain_pattern **patterns;
	uint64_t	*pattern_counts;
	size_t		 npatterns;
};

/* Recognised lines that are not failures, counted per pattern. */
struct explain_info {
	const struct explain_pattern	*pattern;
	uint64_t			 count;
};

/* Lines that look like failures (a suspect matched) but no pattern did,
 * grouped by shape (digits folded), with the first example. */
struct explain_unknown {
	uint64_t	 count;
	char		*example;	/* escaped */
	char		*input;		/* borrowed input name */
	uint64_t	 line;
};

struct explain_result {
	const struct explain_patterns	*patterns;	/* borrowed */
	struct explain_input	*inputs;
	size_t			 ninputs;
	uint64_t		 lines;		/* all lines read */
	uint64_t		 failure_lines;	/* lines a failure pattern matched */
	uint64_t		 failures;	/* failures after joining related lines */
	uint64_t		 info_lines;
	uint64_t		 unknown_lines;
	uint64_t		 ignored_lines;
	uint64_t		 long_lines;
	struct explain_group	*groups;	/* most frequent first */
	size_t			 ngroups;
	struct explain_info	*info;		/* most frequent first */
	size_t			 ninfo;
	struct explain_unknown	*unknown;	/* most frequent first; only with want_unknown */
	size_t			 nunknown;
	uint64_t		 unknown_other;	/* unknown lines beyond EXPLAIN_UNKNOWN_MAX shapes */
	bool			 incomplete;	/* an input could not be read to its end */
};

struct explain_opts {
	bool	want_unknown;	/* keep unknown line shapes */
	time_t	now;		/* for the year of syslog stamps; 0 = time(NULL) */
};

struct explain_run;

/* explain_run_new: borrows ps (which must outlive the result). */
struct explain_run *explain_run_new(const struct explain_patterns *ps,
    const struct explain_opts *o);
/* explain_run_input: reads one input to its end ("-" = standard input).
 * Returns 0, or -1 when it could not be read completely: the reason is in
 * the input's error (the lines before it still count). */
int explain_run_input(struct explain_run *run, const char *path);
/* explain_run_input_fd: the same for an open descriptor (not closed). */
int explain_run_input_fd(struct explain_run *run, int fd, const char *name);
/* explain_run_finish: the result; frees run. */
struct explain_result *explain_run_finish(struct explain_run *run);
void explain_result_free(struct explain_result *res);	/* NULL is a no-op */

/* explain_run_last_input: the input read last (its error, binary flag),
 * for the caller's messages; NULL before any. */
const struct explain_input *explain_run_last_input(const struct explain_run *run);

#endif
