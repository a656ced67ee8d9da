/* regex_check: keeps data-file regexes in the subset POSIX ERE and PCRE read alike. */
#include "explain/patterns.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * Why a subset: the same file feeds the matcher (Hyperscan, PCRE syntax)
 * and `grep -E -f` in bench/, and both must mean the same thing.  Allowed:
 * literals, '.', bracket expressions without backslashes or nested '[',
 * groups without "(?", alternation without empty branches, the quantifiers
 * * + ? {m} {m,} {m,n} once after an atom, '^' at the start and '$' at the
 * end of a branch, and a backslash only before punctuation.
 */

struct rc_state {
	const char	*re;
	size_t		 i;
	char		*err;
	size_t		 errlen;
	size_t		 run, best;	/* literal run of the current top-level branch */
};

static int
rc_fail(struct rc_state *st, const char *why)
{
	snprintf(st->err, st->errlen, "regex: %s at offset %zu", why, st->i);
	return -1;
}

static bool
is_quant(char c)
{
	return c == '*' || c == '+' || c == '?' || c == '{';
}

/* skip_bracket: from '[' to just past its ']'. */
static int
skip_bracket(struct rc_state *st)
{
	const char *re = st->re;
	size_t j = st->i + 1;

	if (re[j] == '^')
		j++;
	if (re[j] == ']')
		return rc_fail(st, "']' first in a bracket expression");
	for (; re[j] != '\0' && re[j] != ']'; j++)
		if (re[j] == '\\' || re[j] == '[')
			return rc_fail(st, "'\\' or '[' inside a bracket expression");
	if (re[j] != ']')
		return rc_fail(st, "unterminated bracket expression");
	if (j == st->i + 1 || (j == st->i + 2 && re[st->i + 1] == '^'))
		return rc_fail(st, "empty bracket expression");
	st->i = j + 1;
	return 0;
}

/* skip_quant: a quantifier at st->i, if any; returns 1 if one was there. */
static int
skip_quant(struct rc_state *st)
{
	const char *re = st->re;
	size_t j;

	if (!is_quant(re[st->i]))
		return 0;
	if (re[st->i] != '{') {
		st->i++;
	} else {
		j = st->i + 1;
		if (re[j] < '0' || re[j] > '9')
			return rc_fail(st, "'{' not starting a {m,n} repeat");
		while (re[j] >= '0' && re[j] <= '9')
			j++;
		if (re[j] == ',')
			for (j++; re[j] >= '0' && re[j] <= '9'; j++)
				;
		if (re[j] != '}')
			return rc_fail(st, "malformed {m,n} repeat");
		st->i = j + 1;
	}
	if (is_quant(re[st->i]))
		return rc_fail(st, "two quantifiers in a row");
	return 1;
}

static void
end_run(struct rc_state *st)
{
	if (st->run > st->best)
		st->best = st->run;
	st->run = 0;
}

/* branch_done: a top-level branch ended; it must have had a literal. */
static int
branch_done(struct rc_state *st)
{
	end_run(st);
	if (st->best < EXPLAIN_LITERAL_MIN)
		return rc_fail(st, "a top-level branch without a literal of 3 characters");
	st->best = 0;
	return 0;
}

/* atom: one atom at st->i; *literal says whether it is one literal byte. */
static int
atom(struct rc_state *st, int *depth, bool *literal)
{
	const char *re = st->re;
	unsigned char c = (unsigned char)re[st->i];

	*literal = false;
	if (c < 0x20 || c >= 0x7f)
		return rc_fail(st, "a byte outside printable ASCII");
	switch (c) {
	case '\\':
		if (re[st->i + 1] == '\0' ||
		    strchr(".[](){}*+?|^$\\", re[st->i + 1]) == NULL)
			return rc_fail(st, "'\\' not before punctuation");
		st->i += 2;
		*literal = true;
		return 0;
	case '[':
		return skip_bracket(st);
	case '(':
		if (re[st->i + 1] == '?')
			return rc_fail(st, "'(?' (PCRE only)");
		if (re[st->i + 1] == '|' || re[st->i + 1] == ')')
			return rc_fail(st, "empty group or branch");
		(*depth)++;
		st->i++;
		return 0;
	case ')':
		if (*depth == 0)
			return rc_fail(st, "unbalanced ')'");
		(*depth)--;
		st->i++;
		return 0;
	case '*': case '+': case '?': case '{':
		return rc_fail(st, "quantifier without an atom");
	case ']': case '}':
		return rc_fail(st, "unescaped ']' or '}'");
	default:
		st->i++;
		*literal = c != '.';
		return 0;
	}
}

int
explain_regex_check(const char *re, char *err, size_t errlen)
{
	struct rc_state st = { re, 0, err, errlen, 0, 0 };
	int depth = 0, q;
	bool literal, counts, branch_start = true;

	if (re[0] == '\0')
		return rc_fail(&st, "empty");
	while (re[st.i] != '\0') {
		char c = re[st.i];

		if (c == '|') {
			if (branch_start || re[st.i + 1] == '\0' || re[st.i + 1] == '|' ||
			    re[st.i + 1] == ')')
				return rc_fail(&st, "empty alternative");
			if (depth == 0 && branch_done(&st) == -1)
				return -1;
			end_run(&st);
			st.i++;
			branch_start = true;
			continue;
		}
		if (c == '^') {
			if (!branch_start)
				return rc_fail(&st, "'^' not at the start of a branch");
			st.i++;
			branch_start = false;
			end_run(&st);
			continue;
		}
		if (c == '$') {
			if (re[st.i + 1] != '\0' && re[st.i + 1] != '|' && re[st.i + 1] != ')')
				return rc_fail(&st, "'$' not at the end of a branch");
			st.i++;
			end_run(&st);
			continue;
		}
		/* A group's content is not a required literal (it may be one of
		 * several branches), so only depth-0 literals count. */
		if (atom(&st, &depth, &literal) == -1)
			return -1;
		branch_start = c == '(';
		if ((q = skip_quant(&st)) == -1)
			return -1;
		counts = literal && depth == 0;
		if (q == 1) {
			/* "a+" still needs one 'a'; "a?", "a*", "a{0,n}" do not. */
			if (counts && re[st.i - 1] == '+')
				st.run++;
			end_run(&st);
		} else if (counts) {
			st.run++;
		} else {
			end_run(&st);
		}
	}
	if (depth != 0)
		return rc_fail(&st, "unbalanced '('");
	return branch_done(&st);
}
