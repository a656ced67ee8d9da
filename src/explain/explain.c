/* explain: runs inputs through reader, matcher, joiner and aggregator into a result. */
#include "explain/explain.h"
#include "explain/explain_int.h"
#include "explain/match.h"
#include "explain/reader.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct explain_run {
	const struct explain_patterns	*ps;
	struct explain_opts		 o;
	struct explain_matcher		*matcher;
	char				*matcher_err;	/* why there is no matcher */
	struct aggregator		*agg;
	struct joiner		*joiner;
	struct explain_result		*res;
	char				*scratch;	/* one line, NUL-terminated */
	size_t				 input;		/* current input index */
	unsigned			 suspect_base, mark_base;
};

struct explain_run *
explain_run_new(const struct explain_patterns *ps, const struct explain_opts *o)
{
	struct explain_run *run = xcalloc(1, sizeof(*run));
	char err[512];

	run->ps = ps;
	run->o = *o;
	if (run->o.now == 0)
		run->o.now = time(NULL);
	run->res = xcalloc(1, sizeof(*run->res));
	run->res->patterns = ps;
	run->matcher = explain_matcher_new(ps, READER_BLOCK + 1, err, sizeof(err));
	if (run->matcher == NULL) {
		run->matcher_err = xstrdup(err);
	} else {
		run->suspect_base = explain_matcher_suspect_base(run->matcher);
		run->mark_base = explain_matcher_mark_base(run->matcher);
	}
	run->agg = agg_new(ps, o->want_unknown);
	run->joiner = joiner_new(run->agg, &run->res->inputs);
	run->scratch = xmalloc(EXPLAIN_LINE_MAX + 1);
	return run;
}

static const char *
copy_line(struct explain_run *run, const char *line, size_t len)
{
	memcpy(run->scratch, line, len);
	run->scratch[len] = '\0';
	return run->scratch;
}

/* best_of: the highest-priority pattern among ids (failures before info);
 * the file's order breaks ties. */
static const struct explain_pattern *
best_of(struct explain_run *run, const unsigned *ids, size_t nids, bool info)
{
	const struct explain_pattern *best = NULL, *p;
	size_t i;

	for (i = 0; i < nids && ids[i] < run->suspect_base; i++) {
		p = explain_patterns_get(run->ps, ids[i]);
		if (p->info == info && (best == NULL || p->priority > best->priority))
			best = p;
	}
	return best;
}

static void
on_line(const char *line, size_t len, uint64_t lineno, const unsigned *ids,
    size_t nids, void *arg)
{
	struct explain_run *run = arg;
	struct explain_result *res = run->res;
	const struct explain_pattern *p;
	struct explain_line li;
	size_t i;

	if (ids[nids - 1] >= run->mark_base) {
		for (i = 0; i < nids; i++)
			if (ids[i] >= run->mark_base)
				joiner_message_field(run->joiner, (int)(ids[i] - run->mark_base),
				    copy_line(run, line, len), lineno);
	}
	if ((p = best_of(run, ids, nids, false)) != NULL) {
		res->failure_lines++;
		explain_line_parse(copy_line(run, line, len), run->o.now, &li);
		joiner_failure(run->joiner, run->scratch, &li, p, lineno);
	} else if ((p = best_of(run, ids, nids, true)) != NULL) {
		res->info_lines++;
		agg_info(run->agg, p);
	} else if (ids[0] >= run->suspect_base && ids[0] < run->mark_base) {
		res->unknown_lines++;
		agg_unknown(run->agg, copy_line(run, line, len), len,
		    res->inputs[run->input].name, lineno);
	}
}

/* looks_like_message: the input starts like a mail message (a bounce): an
 * mbox "From " line or a header field every message has. */
static bool
looks_like_message(const char *block, size_t len)
{
	static const char *const fields[] = {
		"From ", "Return-Path:", "Received:", "Delivered-To:", "From:",
		"Date:", "Message-ID:", "MIME-Version:", "Content-Type:", "Subject:",
		"To:", "X-"
	};
	size_t i, n;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		n = strlen(fields[i]);
		if (len >= n && strncasecmp(block, fields[i], n) == 0)
			return true;
	}
	return false;
}

static struct explain_input *
add_input(struct explain_run *run, const char *name)
{
	struct explain_result *res = run->res;
	struct explain_input *in;

	res->inputs = xreallocarray(res->inputs, res->ninputs + 1, sizeof(*res->inputs));
	in = &res->inputs[res->ninputs];
	memset(in, 0, sizeof(*in));
	in->name = xstrdup(name);
	run->input = res->ninputs++;
	return in;
}

/* unfold: in a mail message, a line starting with white space continues
 * the one above (folded header fields such as Diagnostic-Code, and the
 * indented reply text of Postfix bounces): join them, up to
 * EXPLAIN_LINE_MAX, so that a reply and its host are one line.  Line
 * numbers then count the joined lines. */
static void
unfold(char *block, size_t len)
{
	size_t i, start = 0;

	for (i = 0; i + 1 < len; i++) {
		if (block[i] != '\n')
			continue;
		if ((block[i + 1] == ' ' || block[i + 1] == '\t') && i > start) {
			const char *next = memchr(block + i + 1, '\n', len - i - 1);
			size_t end = next != NULL ? (size_t)(next - block) : len;

			if (end - start <= EXPLAIN_LINE_MAX) {
				block[i] = ' ';
				continue;
			}
		}
		start = i + 1;
	}
}

/* read_all: the reader's blocks through the matcher; 0 or -1 (error set). */
static int
read_all(struct explain_run *run, struct explain_reader *rd, struct explain_input *in)
{
	char *block;
	size_t len;
	uint64_t nlines, lineno = 1;
	char err[256];
	int rc;
	bool first = true, message = false;

	while ((rc = explain_reader_next(rd, &block, &len, &nlines)) == 1) {
		if (first) {
			message = looks_like_message(block, len);
			joiner_begin_input(run->joiner, run->input, message);
			first = false;
		}
		if (message)
			unfold(block, len);
		if (explain_matcher_scan(run->matcher, block, len, lineno, on_line, run,
		    err, sizeof(err)) == -1) {
			in->error = xstrdup(err);
			return -1;
		}
		lineno += nlines;
		in->lines += nlines;
	}
	if (rc == -1) {
		in->error = xstrdup(explain_reader_error(rd));
		return -1;
	}
	return 0;
}

static int
run_reader(struct explain_run *run, struct explain_reader *rd,
    struct explain_input *in)
{
	int rc;

	joiner_begin_input(run->joiner, run->input, false);
	rc = read_all(run, rd, in);
	joiner_end_input(run->joiner);
	in->compressed = explain_reader_compressed(rd);
	in->binary = explain_reader_binary(rd);
	in->long_lines = explain_reader_long_lines(rd);
	in->bytes = explain_reader_bytes(rd);
	in->complete = rc == 0;
	run->res->lines += in->lines;
	run->res->long_lines += in->long_lines;
	if (rc == -1)
		run->res->incomplete = true;
	explain_reader_close(rd);
	return rc;
}

static int
open_failed(struct explain_run *run, struct explain_input *in, const char *err)
{
	in->error = xstrdup(err);
	run->res->incomplete = true;
	return -1;
}

int
explain_run_input(struct explain_run *run, const char *path)
{
	struct explain_input *in = add_input(run, path);
	struct explain_reader *rd;
	char err[256];

	if (run->matcher == NULL)
		return open_failed(run, in, run->matcher_err);
	if ((rd = explain_reader_open(path, err, sizeof(err))) == NULL)
		return open_failed(run, in, err);
	return run_reader(run, rd, in);
}

int
explain_run_input_fd(struct explain_run *run, int fd, const char *name)
{
	struct explain_input *in = add_input(run, name);
	struct explain_reader *rd;
	char err[256];

	if (run->matcher == NULL)
		return open_failed(run, in, run->matcher_err);
	if ((rd = explain_reader_open_fd(fd, err, sizeof(err))) == NULL)
		return open_failed(run, in, err);
	return run_reader(run, rd, in);
}

const struct explain_input *
explain_run_last_input(const struct explain_run *run)
{
	return run->res->ninputs > 0 ? &run->res->inputs[run->res->ninputs - 1] : NULL;
}

struct explain_result *
explain_run_finish(struct explain_run *run)
{
	struct explain_result *res = run->res;

	agg_finish(run->agg, res);
	res->ignored_lines = res->lines - res->failure_lines - res->info_lines -
	    res->unknown_lines;
	joiner_free(run->joiner);
	explain_matcher_free(run->matcher);
	free(run->matcher_err);
	free(run->scratch);
	free(run);
	return res;
}

void
explain_result_free(struct explain_result *res)
{
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->ninputs; i++) {
		free(res->inputs[i].name);
		free(res->inputs[i].error);
	}
	free(res->inputs);
	for (i = 0; i < res->ngroups; i++) {
		struct explain_group *g = &res->groups[i];

		free(g->remote_host);
		free(g->remote_ip);
		free(g->recipient_domain);
		free(g->sending_ip);
		free(g->logger_host);
		free(g->check_command);
		free(g->example);
		free(g->patterns);
		free(g->pattern_counts);
	}
	free(res->groups);
	free(res->info);
	for (i = 0; i < res->nunknown; i++)
		free(res->unknown[i].example);
	free(res->unknown);
	free(res);
}
