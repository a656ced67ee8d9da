/* patterns: the explain knowledge base: causes and log wordings, loaded from a data file. */
#ifndef MXD_EXPLAIN_PATTERNS_H
#define MXD_EXPLAIN_PATTERNS_H

/*
 * The file format is described in data/explain-patterns.txt and
 * docs/explain.md.  Loading validates everything a run relies on, so a
 * pattern set that loads is safe to use: every cause named exists, every
 * regex is in the ERE/PCRE common subset and has a literal the matcher
 * can search for, ids are unique, and the matcher's database is compiled
 * (once, here: every run shares it).
 */

#include <stdbool.h>
#include <stddef.h>

#define EXPLAIN_PATTERNS_MAX	1000	/* patterns plus suspects */
#define EXPLAIN_LITERAL_MIN	3	/* each regex branch needs a literal this long */
#define EXPLAIN_GENERIC_PRIORITY 50	/* below: a wrapper wording, joins a nearby reason */

/* Who must act, as the file says it; resolved with the direction later. */
enum explain_side {
	SIDE_EITHER, SIDE_LOCAL, SIDE_REMOTE, SIDE_SERVER, SIDE_CLIENT
};

enum explain_direction {
	DIR_UNKNOWN, DIR_IN, DIR_OUT
};

/* How `mxdoctor check` confirms a cause. */
enum explain_confirm {
	CONFIRM_NONE,		/* no check covers it */
	CONFIRM_HOST,		/* check the TLS server of the connection */
	CONFIRM_SENDING_IP	/* check --sending-ip the sender's address */
};

struct explain_cause {
	char			*name;		/* "tls_version", ... (the JSON `cause`) */
	char			*title;
	char			*explain;
	char			*fix;
	char			**findings;	/* `mxdoctor findings` ids, NULL-terminated */
	enum explain_confirm	 confirm;
};

struct explain_pattern {
	char			*id;
	char			*regex;
	const struct explain_cause *cause;
	enum explain_side	 side;
	enum explain_direction	 direction;	/* DIR_UNKNOWN: the wording does not tell */
	int			 priority;
	bool			 info;		/* recognised, but not a failure */
	const char		*explain;	/* the pattern's own, else the cause's */
	const char		*fix;		/* likewise */
	char			**findings;	/* likewise (NULL-terminated) */
	char			*source;
	char			*example;	/* NULL if none */
	int			 line;		/* where it starts in the file */
	/* private to the loader */
	char			*own_explain, *own_fix, **own_findings;
};

struct explain_patterns;
struct explain_db;

/* explain_patterns_load: reads and validates the file.  Returns NULL with
 * "FILE:LINE: reason" in err on any error. */
struct explain_patterns *explain_patterns_load(const char *path, char *err,
    size_t errlen);
/* explain_patterns_parse: the same from a NUL-terminated text (name is
 * used in messages). */
struct explain_patterns *explain_patterns_parse(const char *text,
    const char *name, char *err, size_t errlen);
void explain_patterns_free(struct explain_patterns *ps);	/* NULL is a no-op */

/* explain_patterns_default_path: the installed data file, else the one in
 * the source tree the binary was built from (for uninstalled builds); NULL
 * when neither exists. */
const char *explain_patterns_default_path(void);

const char *explain_patterns_path(const struct explain_patterns *ps);
/* explain_patterns_db: the compiled matcher database (match.h). */
const struct explain_db *explain_patterns_db(const struct explain_patterns *ps);
size_t explain_patterns_count(const struct explain_patterns *ps);
const struct explain_pattern *explain_patterns_get(const struct explain_patterns *ps,
    size_t i);
size_t explain_patterns_nsuspects(const struct explain_patterns *ps);
const char *explain_patterns_suspect(const struct explain_patterns *ps, size_t i);
size_t explain_patterns_ncauses(const struct explain_patterns *ps);
const struct explain_cause *explain_patterns_cause(const struct explain_patterns *ps,
    size_t i);
const struct explain_cause *explain_patterns_find_cause(const struct explain_patterns *ps,
    const char *name);

/* explain_regex_check: is re in the common ERE/PCRE subset, with a literal
 * of EXPLAIN_LITERAL_MIN bytes in every top-level branch?  Returns 0, or
 * -1 with the reason in err.  (Exposed for tests and the bench export.) */
int explain_regex_check(const char *re, char *err, size_t errlen);

const char *explain_side_name(enum explain_side s);
const char *explain_direction_name(enum explain_direction d);

#endif
