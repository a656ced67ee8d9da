/* catalogue: the stable finding ids, their default severity, meaning, fix and source. */
#ifndef MXD_CHECK_CATALOGUE_H
#define MXD_CHECK_CATALOGUE_H

#include <stddef.h>

#include "check/result.h"

/* One entry per finding id.  The text is what docs/findings.md says;
 * `mxdoctor findings` prints the table, so code and docs cannot drift. */
struct catalogue_entry {
	const char	*id;
	enum severity	 severity;	/* default; a check may raise or lower it, documented in `severity_rule` */
	const char	*title;		/* short, for the text report */
	const char	*meaning;	/* what it means */
	const char	*microsoft;	/* why Microsoft (the profile) cares */
	const char	*fix;		/* default fix hint */
	const char	*severity_rule;	/* when the severity differs from the default, or NULL */
	const char	*source;	/* where the Microsoft fact comes from */
};

const struct catalogue_entry *catalogue_all(size_t *n);
/* NULL for an unknown id. */
const struct catalogue_entry *catalogue_find(const char *id);

#endif
