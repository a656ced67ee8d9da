/* str: bounded string helpers, escaping of untrusted text, string vectors. */
#ifndef MXD_UTIL_STR_H
#define MXD_UTIL_STR_H

#include <stdbool.h>
#include <stddef.h>

/* str_escape: returns a malloc'd copy of len bytes of untrusted data in which
 * every byte outside printable ASCII (0x20-0x7e) and the backslash are written
 * as \\, \t, \r, \n or \xNN.  Output is cut after max_out bytes of escaped
 * text (never inside an escape) and then ends in "...".  Safe to print. */
char *str_escape(const void *data, size_t len, size_t max_out);

/* str_printable: a malloc'd copy of at most len bytes of s (stopping at a
 * NUL) in which bytes outside printable ASCII are written as \xNN and
 * everything else, backslashes included, is kept: for configuration text
 * shown to people (registry paths, Exim expansions), where str_escape's
 * doubled backslashes would mislead. */
char *str_printable(const char *s, size_t len);

/* str_trim_space: s without leading blanks and CRs and without trailing
 * blanks, CRs and LFs (cut in place); returns the new start. */
char *str_trim_space(char *s);

/* str_copy: strlcpy semantics; returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t dstsize);

/* str_to_long: parses all of s as a base-10 integer in [min, max];
 * returns 0 and sets *out, or -1. */
int str_to_long(const char *s, long min, long max, long *out);

void str_lower(char *s);			/* ASCII only, in place */
bool str_has_suffix_ci(const char *s, const char *suffix);
/* str_trim_dot: drops one trailing '.' from a DNS name, in place. */
void str_trim_dot(char *s);

/* A growing vector of owned strings. */
struct strvec {
	char	**v;
	size_t	  n;
	size_t	  cap;
};
void strvec_add(struct strvec *sv, const char *s);	/* copies s */
void strvec_add_owned(struct strvec *sv, char *s);	/* takes s */
bool strvec_contains_ci(const struct strvec *sv, const char *s);
void strvec_clear(struct strvec *sv);			/* frees contents */

#endif
