/* explain_int: the parts of the explain layer that talk to each other (private to src/explain). */
#ifndef MXD_EXPLAIN_EXPLAIN_INT_H
#define MXD_EXPLAIN_EXPLAIN_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "explain/explain.h"
#include "explain/line.h"

/*
 * One failure: the lines one delivery attempt (or one bounce) logs about
 * it, joined (join.c), then counted into its group (aggregate.c).
 */
struct event {
	bool				 used;
	char				 key[LINE_KEY_MAX];
	const struct explain_pattern	*best;		/* highest priority so far */
	enum explain_direction		 dir_line;	/* from the writing program */
	enum explain_direction		 dir_pattern;	/* from the wordings */
	int				 dir_priority;	/* of the pattern that gave dir_pattern */
	char				 host[LINE_NAME_MAX];
	char				 ip[LINE_IP_MAX];
	char				 sending_ip[LINE_IP_MAX];
	char				 recipient[LINE_NAME_MAX];
	char				 logger[LINE_NAME_MAX];
	struct explain_time		 first, last;
	size_t				 input;		/* index into the run's inputs */
	uint64_t			 last_line;
	char				*example;	/* the best line, escaped */
	uint64_t			 example_line;
	uint64_t			 seq;		/* for evicting the oldest */
};

/* aggregate.c */
struct aggregator;
struct aggregator *agg_new(const struct explain_patterns *ps, bool want_unknown);
/* agg_failure: counts ev (takes its example); input_name is borrowed. */
void agg_failure(struct aggregator *g, struct event *ev, char *input_name);
void agg_info(struct aggregator *g, const struct explain_pattern *p);
void agg_unknown(struct aggregator *g, const char *line, size_t len,
    char *input_name, uint64_t lineno);
/* agg_finish: moves the groups, info and unknown shapes into res; frees g. */
void agg_finish(struct aggregator *g, struct explain_result *res);

/* join.c */
struct joiner;
struct joiner *joiner_new(struct aggregator *g, struct explain_input **inputs);
void joiner_free(struct joiner *a);
/* joiner_begin_input: a new input; message_mode if it is a mail message. */
void joiner_begin_input(struct joiner *a, size_t input, bool message_mode);
/* joiner_failure: one line a failure pattern matched (best is the line's). */
void joiner_failure(struct joiner *a, const char *line,
    const struct explain_line *li, const struct explain_pattern *best,
    uint64_t lineno);
/* joiner_message_field: a bounce's Remote-MTA, Reporting-MTA,
 * Final-Recipient or Date line (mark from match.h), or an mbox separator. */
void joiner_message_field(struct joiner *a, int mark, const char *line,
    uint64_t lineno);
/* joiner_end_input: every open failure of the input is counted. */
void joiner_end_input(struct joiner *a);

#endif
