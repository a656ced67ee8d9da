/* fix: the configuration changes that clear a report's findings, or a complete recommended TLS set-up, as a plan. */
#ifndef MXD_FIX_FIX_H
#define MXD_FIX_FIX_H

/*
 * fix/ decides WHAT to change; report/fix_render*.c writes it in the MTA's
 * own syntax (postconf -e lines, Exim and Sendmail fragments, a .reg file
 * and PowerShell).  A plan is a list of items, each one setting (or one
 * action a person must take), each with the reason and its source, so the
 * rendered output can comment every value.
 *
 * Inputs: the profile, the MTA, optionally a report from `check --json`
 * or `audit --json` (parsed with jansson; untrusted: every string taken
 * from it is bounded and escaped before it reaches a plan).
 */

#include <stdbool.h>
#include <stddef.h>

#include "audit/audit.h"
#include "tls/profile.h"
#include "tls/x509.h"
#include "util/str.h"

struct json_t;

/* Bounds on a report (untrusted input): bytes of the document, nesting
 * depth, findings and settings looked at, bytes kept of one string. */
#define FIX_REPORT_MAX		(16 * 1024 * 1024)
#define FIX_DEPTH_MAX		64
#define FIX_FINDINGS_MAX	2000
#define FIX_SETTINGS_MAX	4096
#define FIX_STR_MAX		1024

enum fix_kind {
	FIX_SET,	/* set `name` to `value` (in `section`) */
	FIX_UNSET,	/* remove `name` (back to the MTA's default) */
	FIX_ACTION,	/* a step for a person: `value` says what, exactly */
	FIX_FILE	/* write a file: `name` is its path, `value` its content
			 * or the command that produces it */
};

struct fix_item {
	enum fix_kind	 kind;
	/* where the setting lives: Postfix "main.cf" or a master.cf service
	 * ("smtp/inet"); Exim "main" or "transport remote_smtp"; Sendmail
	 * "mc" or "cf"; Schannel the registry key path below HKLM; NULL: not
	 * applicable */
	char		*section;
	char		*name;
	char		*value;
	char		*why;		/* one or two sentences */
	char		*source;	/* where the requirement comes from */
	/* finding id(s) it clears, ", "-separated when one item answers
	 * several; NULL in a full configuration */
	char		*finding;
};

struct fix_plan {
	enum audit_mta	 mta;
	char		*profile;	/* profile name */
	bool		 full;		/* a complete configuration, not a diff */
	char		*config_dir;	/* postfix: -c DIR to put in commands, or NULL */
	/* --mta-version, else the audit report's, else NULL: unknown
	 * (generators then pick syntax every supported release accepts) */
	char		*mta_version;
	/* what the plan was made from, one line for the rendered header
	 * ("check report: example.com"); NULL for a full configuration */
	char		*made_from;
	struct fix_item	*items;
	size_t		 nitems;
	struct strvec	 notes;		/* printed after the items (reboot, reload) */
	/* findings in the report that no item answers (unknown ids,
	 * informational ones), "id: message" each */
	struct strvec	 untouched;
};

struct fix_opts {
	enum audit_mta		 mta;
	const struct tls_profile *profile;
	const char		*config_dir;	/* postfix only */
	const char		*mta_version;	/* --mta-version, overrides the report's */
	/* also act on informational findings (config.old_protocols,
	 * config.weak_ciphers, tls.legacy_protocol as info, ...); without
	 * it they go to untouched */
	bool			 include_info;
};

struct fix_plan *fix_plan_new(const struct fix_opts *o);
void fix_plan_free(struct fix_plan *p);	/* NULL is a no-op */
/* Appends an item; strings copied (NULL stays NULL).  An item for the
 * same section/name as an earlier one replaces it: a set and an unset of
 * one setting are one slot, actions and files are keyed by name (one
 * value per setting, the later reason wins, the findings add up); an
 * action or file without a name is dropped when an identical one is
 * there.  Returns the item, or NULL when the plan is full (a note says
 * so). */
struct fix_item *fix_add(struct fix_plan *p, enum fix_kind kind,
    const char *section, const char *name, const char *value,
    const char *why, const char *source, const char *finding);

/* fix_version_at_least: the plan's mta_version ("3.7.11", "Postfix
 * 3.6.4", "4.97") is at least major.minor; false when unknown. */
bool fix_version_at_least(const struct fix_plan *p, int major, int minor);

/* fix_full: a complete recommended TLS configuration for the plan's MTA
 * and profile. */
void fix_full(struct fix_plan *p, const struct fix_opts *o);

/* fix_report_parse: a report document (len bytes, not NUL-terminated)
 * as JSON: at most FIX_REPORT_MAX bytes, nesting at most FIX_DEPTH_MAX,
 * no duplicate keys, an object at the top.  Returns a new reference, or
 * NULL with *err (malloc'd, one line). */
struct json_t *fix_report_parse(const char *data, size_t len, char **err);
/* Helpers for generators reading a check report.  fix_report_address:
 * the address object (docs/json.md "Address") of that address, first
 * match among the targets' hosts, then the sending_ips; *host gets its
 * host object (NULL for a sending address).  Borrowed from report;
 * NULL when absent.  fix_report_text: the string member key of obj,
 * cut at max bytes and made printable (\xNN; backslashes kept), owned;
 * NULL when missing or not a string. */
struct json_t *fix_report_address(struct json_t *report,
    const char *address, struct json_t **host);
char *fix_report_text(struct json_t *obj, const char *key, size_t max);
/* fix_report_mta: for an audit report, its "audit"."mta" ("postfix",
 * ...) if it names a known MTA; NULL for a check report or none.
 * Static string. */
const char *fix_report_mta(struct json_t *report);
/* fix_from_report: the minimal items that clear the findings of a
 * `check` or `audit` JSON report (schema 1; "command" "check", absent,
 * or "audit" with an "audit" object of this plan's MTA).  Informational
 * findings (unless o->include_info) and unknown ids go to untouched.
 * Returns 0, or -1 with *err (malloc'd, one line) when the document is
 * not such a report. */
int fix_from_report(struct fix_plan *p, const struct fix_opts *o,
    struct json_t *report, char **err);

/* A finding as fix/ sees it (from the JSON report; strings escaped,
 * bounded; any may be NULL but id). */
struct fix_finding {
	const char	*id;
	const char	*severity;
	const char	*host;		/* audit: "client" or "server" */
	const char	*address;
	const char	*evidence;
	const char	*message;
};

/* A setting recorded by an audit report (strings escaped and bounded,
 * never NULL): origin as audit.h describes it ("main.cf:12", "default",
 * "master.cf smtp/inet -o"). */
struct fix_setting {
	const char	*name;
	const char	*value;
	const char	*origin;
};

/* What the per-MTA generators see: the options and, for an audit
 * report, the settings it recorded.  setting(): the value of the last
 * setting of that name whose origin is not a Postfix master.cf
 * override (those are in settings[] for the generator that cares), or
 * NULL if absent.  report is the whole document (check or audit). */
struct fix_ctx {
	const struct fix_opts	*o;
	struct json_t		*report;	/* NULL for fix_full */
	const char		*(*setting)(const struct fix_ctx *c, const char *name);
	const struct fix_setting *settings;	/* audit only; else NULL, 0 */
	size_t			 nsettings;
	/* lowest and highest version the profile speaks (tls_version codes) */
	uint16_t		 vmin;
	uint16_t		 vmax;
};

/* Per MTA: fix_<mta>_full() adds the complete configuration;
 * fix_<mta>_finding() adds the items for one finding and returns true,
 * or false when the finding is not about this MTA's configuration (the
 * generic actions in fix.c then apply: PTR, DNSBL, DNS, certificates). */
void fix_postfix_full(struct fix_plan *p, const struct fix_ctx *c);
bool fix_postfix_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f);
void fix_exim_full(struct fix_plan *p, const struct fix_ctx *c);
bool fix_exim_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f);
void fix_sendmail_full(struct fix_plan *p, const struct fix_ctx *c);
bool fix_sendmail_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f);
void fix_schannel_full(struct fix_plan *p, const struct fix_ctx *c);
bool fix_schannel_finding(struct fix_plan *p, const struct fix_ctx *c,
    const struct fix_finding *f);

/*
 * fix chain: the complete chain file for a leaf.
 */

/* fix_chain: reads the leaf (the first certificate of leaf_file that
 * is not a CA certificate, else its first; the others there are
 * candidates too), builds the path to a trust
 * anchor from those, extra_files (intermediates the user has) and the
 * trust store t, and writes PEM to *pem (malloc'd): leaf first, then each
 * issuer in order, without the root (add_root: with it).  *info gets one
 * line per certificate ("subject -> issuer").  Returns 0, or -1 with *err
 * (malloc'd): unreadable file, no certificate, or no path (the missing
 * issuer's name said, and the AIA caIssuers URL to download it from when
 * the certificate names one: nothing is fetched).  Only certificates
 * are read from the files (a private key in them is skipped, never
 * copied); dates are not checked (an expired chain still assembles; its
 * info lines show notAfter). */
int fix_chain(const char *leaf_file, const char *const *extra_files,
    size_t nextra, struct x509_trust *t, bool add_root, char **pem,
    struct strvec *info, char **err);

#endif
