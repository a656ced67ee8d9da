/* cmd_fix: `mxdoctor fix` (a configuration plan from a report, or a complete one) and `mxdoctor fix chain`. */
#include "check/check.h"
#include "cli/cli.h"
#include "fix/fix.h"
#include "report/fix_render.h"
#include "tls/profile.h"
#include "tls/x509.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char fix_usage[] =
"usage: mxdoctor fix --mta MTA [OPTIONS] [REPORT.json|-]\n"
"       mxdoctor fix chain --cert LEAF.pem [OPTIONS]\n"
"\n"
"With a report from 'mxdoctor check --json' or 'mxdoctor audit --json'\n"
"(a file, or - for standard input), writes the smallest configuration\n"
"change that clears its findings; without one, a complete recommended TLS\n"
"configuration for the MTA and profile.  Every value is commented with why\n"
"and its source.  What no setting can fix (reverse DNS, blocklists, DNS,\n"
"certificates) is written as steps for you.  Output on standard output:\n"
"  postfix   a sh script of postconf commands, then postfix check and reload\n"
"  exim      configuration fragments for the main section and the transport\n"
"  sendmail  sendmail.mc lines\n"
"  schannel  a .reg file (or PowerShell with --powershell); needs a reboot\n"
"\n"
"Options:\n"
"  --mta MTA               postfix, exim, sendmail or schannel (may be left\n"
"                          out with an audit report: its MTA is used)\n"
"  --profile NAME|FILE     receiver profile: microsoft (default), gmail,\n"
"                          mozilla-intermediate, mozilla-modern, or a file\n"
"  --config-dir DIR        postfix: configuration directory (postconf -c DIR)\n"
"  --mta-version V         the MTA's version (e.g. 3.7.11), when the report\n"
"                          does not say; decides the syntax used\n"
"  --include-info          also act on informational findings\n"
"  --powershell            schannel: PowerShell instead of a .reg file\n"
"  -h, --help              this help\n"
"\n"
"fix chain: writes the certificate chain file for a server certificate:\n"
"the leaf, then each intermediate in order (not the root), built from the\n"
"files given and the trust store.  Nothing is downloaded: a missing issuer\n"
"is named with the URL to fetch it from.\n"
"  --cert FILE             the server certificate (PEM; further certificates\n"
"                          in it are used as candidates; keys are ignored)\n"
"  --intermediate FILE     more candidate certificates (repeatable)\n"
"  --ca-file FILE          trust anchors (PEM) instead of the system store\n"
"  --ca-path DIR           hashed directory of trust anchors\n"
"  --with-root             write the root certificate too\n"
"  -o, --output FILE       write the chain to FILE instead of standard output\n"
"\n"
"Exit status: 0 the plan (or chain) was written; 3 bad usage, an unreadable\n"
"or malformed report, or no chain could be built.\n";

enum {
	OPT_MTA = 256, OPT_PROFILE, OPT_CONFIG_DIR, OPT_MTA_VERSION,
	OPT_INCLUDE_INFO, OPT_POWERSHELL, OPT_CERT, OPT_INTERMEDIATE,
	OPT_CAFILE, OPT_CAPATH, OPT_WITH_ROOT
};

static const struct option fix_longopts[] = {
	{ "mta", required_argument, NULL, OPT_MTA },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "config-dir", required_argument, NULL, OPT_CONFIG_DIR },
	{ "mta-version", required_argument, NULL, OPT_MTA_VERSION },
	{ "include-info", no_argument, NULL, OPT_INCLUDE_INFO },
	{ "powershell", no_argument, NULL, OPT_POWERSHELL },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static const struct option chain_longopts[] = {
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "intermediate", required_argument, NULL, OPT_INTERMEDIATE },
	{ "ca-file", required_argument, NULL, OPT_CAFILE },
	{ "ca-path", required_argument, NULL, OPT_CAPATH },
	{ "with-root", no_argument, NULL, OPT_WITH_ROOT },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

#define CHAIN_EXTRA_MAX	32

struct fix_cli {
	const char	*mta;
	const char	*profile;
	const char	*config_dir;
	const char	*mta_version;
	const char	*report;
	bool		 include_info;
	bool		 powershell;
};

/* say: "mxdoctor: fix: NAME: msg" on stderr, NAME escaped (from argv). */
static void
say(const char *name, const char *msg)
{
	char *e = str_escape(name, strlen(name), 200);

	fprintf(stderr, "mxdoctor: fix: %s: %s\n", e, msg);
	free(e);
}

/* A word from the command line that ends up in the output: printable
 * ASCII, bounded. */
static bool
arg_ok(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n] != '\0'; n++)
		if ((unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f)
			return false;
	return n > 0 && n <= max;
}

static int
parse_args(struct fix_cli *cli, int argc, char **argv)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", fix_longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(fix_usage, stdout);
			return EXIT_OK;
		case OPT_MTA:		cli->mta = optarg; break;
		case OPT_PROFILE:	cli->profile = optarg; break;
		case OPT_CONFIG_DIR:
			if (!arg_ok(optarg, 1024))
				return cli_usage_error("fix",
				    "--config-dir: not a usable directory name");
			cli->config_dir = optarg;
			break;
		case OPT_MTA_VERSION:
			if (!arg_ok(optarg, 40) || optarg[0] < '0' ||
			    optarg[0] > '9')
				return cli_usage_error("fix",
				    "--mta-version: '%.40s' is not a version number",
				    optarg);
			cli->mta_version = optarg;
			break;
		case OPT_INCLUDE_INFO:	cli->include_info = true; break;
		case OPT_POWERSHELL:	cli->powershell = true; break;
		case ':':
			return cli_usage_error("fix", "option '%.40s' needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error("fix", "unknown option '%.40s'",
			    argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return cli_usage_error("fix", "one report at most ('%.60s' is extra)",
		    argv[optind + 1]);
	if (argc - optind == 1)
		cli->report = argv[optind];
	return -1;
}

/* Reads the whole report, at most FIX_REPORT_MAX bytes. */
static char *
read_report(const char *path, size_t *len, const char **why)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 64 * 1024, n = 0, r;
	char *buf;

	*why = NULL;
	if (f == NULL) {
		*why = strerror(errno);
		return NULL;
	}
	buf = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			if (cap > FIX_REPORT_MAX) {
				*why = "larger than 16 MB: not a report";
				break;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
		if (r == 0) {
			if (ferror(f))
				*why = strerror(errno ? errno : EIO);
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (*why == NULL && n > FIX_REPORT_MAX)
		*why = "larger than 16 MB: not a report";
	if (*why != NULL) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static json_t *
load_report(const char *path)
{
	const char *why;
	char *data, *err = NULL;
	json_t *j;
	size_t len = 0;

	if ((data = read_report(path, &len, &why)) == NULL) {
		say(strcmp(path, "-") ? path : "standard input", why);
		return NULL;
	}
	if ((j = fix_report_parse(data, len, &err)) == NULL) {
		say(strcmp(path, "-") ? path : "standard input", err);
		free(err);
	}
	free(data);
	return j;
}

/* The MTA: --mta, or the audit report's; both given must agree. */
static int
pick_mta(const struct fix_cli *cli, json_t *report, enum audit_mta *out)
{
	const char *from = report ? fix_report_mta(report) : NULL;
	int m = -1;

	if (cli->mta != NULL && (m = audit_mta_parse(cli->mta)) == -1)
		return cli_usage_error("fix", "--mta: '%.40s' is not postfix, "
		    "exim, sendmail or schannel", cli->mta);
	if (m != -1 && from != NULL && audit_mta_parse(from) != m) {
		fprintf(stderr, "mxdoctor: fix: the report is an audit of %s, "
		    "but --mta says %s\n", from,
		    audit_mta_name((enum audit_mta)m));
		return EXIT_UNKNOWN;
	}
	if (m == -1 && from != NULL)
		m = audit_mta_parse(from);
	if (m == -1)
		return cli_usage_error("fix", "--mta is needed%s",
		    report ? " with a check report" : "");
	*out = (enum audit_mta)m;
	return -1;
}

static int
run_fix(const struct fix_cli *cli)
{
	struct tls_profile *prof = NULL;
	struct fix_plan *plan = NULL;
	struct fix_opts o;
	json_t *report = NULL;
	char *err = NULL;
	const char *parg = cli->profile ? cli->profile : "microsoft";
	int ret = EXIT_UNKNOWN, st;

	memset(&o, 0, sizeof(o));
	if (cli->report != NULL && (report = load_report(cli->report)) == NULL)
		goto out;
	if ((st = pick_mta(cli, report, &o.mta)) != -1) {
		ret = st;
		goto out;
	}
	if (cli->powershell && o.mta != AUDIT_SCHANNEL) {
		ret = cli_usage_error("fix", "--powershell is for --mta schannel");
		goto out;
	}
	if (cli->config_dir != NULL && o.mta != AUDIT_POSTFIX) {
		ret = cli_usage_error("fix", "--config-dir is for --mta postfix");
		goto out;
	}
	if ((prof = check_profile_load(parg, &err)) == NULL) {
		fprintf(stderr, "mxdoctor: fix: --profile %.80s: %s\n", parg,
		    err ? err : "cannot load");
		goto out;
	}
	o.profile = prof;
	o.config_dir = cli->config_dir;
	o.mta_version = cli->mta_version;
	o.include_info = cli->include_info;
	plan = fix_plan_new(&o);
	if (report == NULL)
		fix_full(plan, &o);
	else if (fix_from_report(plan, &o, report, &err) == -1) {
		say(strcmp(cli->report, "-") ? cli->report : "standard input",
		    err);
		goto out;
	}
	errno = 0;
	if (fix_render(plan, cli->powershell, stdout) == -1 ||
	    fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "mxdoctor: fix: writing the plan: %s\n",
		    ferror(stdout) && errno ? strerror(errno) :
		    "the renderer failed");
		goto out;
	}
	ret = EXIT_OK;
out:
	free(err);
	fix_plan_free(plan);
	tls_profile_free(prof);
	json_decref(report);
	return ret;
}

/*
 * fix chain
 */

struct chain_cli {
	const char	*cert;
	const char	*extra[CHAIN_EXTRA_MAX];
	size_t		 nextra;
	const char	*ca_file;
	const char	*ca_path;
	const char	*output;
	bool		 with_root;
};

static int
parse_chain_args(struct chain_cli *cli, int argc, char **argv)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":ho:", chain_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(fix_usage, stdout);
			return EXIT_OK;
		case OPT_CERT:		cli->cert = optarg; break;
		case OPT_INTERMEDIATE:
			if (cli->nextra == CHAIN_EXTRA_MAX)
				return cli_usage_error("fix chain",
				    "--intermediate: at most %d files",
				    CHAIN_EXTRA_MAX);
			cli->extra[cli->nextra++] = optarg;
			break;
		case OPT_CAFILE:	cli->ca_file = optarg; break;
		case OPT_CAPATH:	cli->ca_path = optarg; break;
		case OPT_WITH_ROOT:	cli->with_root = true; break;
		case 'o':		cli->output = optarg; break;
		case ':':
			return cli_usage_error("fix chain",
			    "option '%.40s' needs a value", argv[optind - 1]);
		default:
			return cli_usage_error("fix chain",
			    "unknown option '%.40s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("fix chain", "unexpected argument '%.60s'",
		    argv[optind]);
	if (cli->cert == NULL)
		return cli_usage_error("fix chain", "--cert LEAF.pem is needed");
	return -1;
}

static int
write_chain(const char *output, const char *pem)
{
	FILE *f = stdout;

	if (output != NULL && strcmp(output, "-") != 0 &&
	    (f = fopen(output, "w")) == NULL) {
		say(output, strerror(errno));
		return -1;
	}
	fputs(pem, f);
	if (fflush(f) == EOF || ferror(f)) {
		say(f == stdout ? "standard output" : output, strerror(errno ?
		    errno : EIO));
		if (f != stdout)
			fclose(f);
		return -1;
	}
	if (f != stdout && fclose(f) == EOF) {
		say(output, strerror(errno));
		return -1;
	}
	return 0;
}

static int
cmd_fix_chain(int argc, char **argv)
{
	struct chain_cli cli;
	struct x509_trust *t;
	struct strvec info = { NULL, 0, 0 };
	const char *terr = NULL;
	char *pem = NULL, *err = NULL;
	size_t i;
	int ret;

	memset(&cli, 0, sizeof(cli));
	if ((ret = parse_chain_args(&cli, argc, argv)) != -1)
		return ret;
	if ((t = x509_trust_new(cli.ca_file, cli.ca_path, &terr)) == NULL) {
		fprintf(stderr, "mxdoctor: fix chain: %s\n", terr);
		return EXIT_UNKNOWN;
	}
	ret = EXIT_UNKNOWN;
	if (fix_chain(cli.cert, cli.extra, cli.nextra, t, cli.with_root, &pem,
	    &info, &err) == -1) {
		fprintf(stderr, "mxdoctor: fix chain: %s\n", err);
		goto out;
	}
	if (write_chain(cli.output, pem) == -1)
		goto out;
	for (i = 0; i < info.n; i++)
		fprintf(stderr, "mxdoctor: chain %s\n", info.v[i]);
	ret = EXIT_OK;
out:
	free(pem);
	free(err);
	strvec_clear(&info);
	x509_trust_free(t);
	return ret;
}

int
cmd_fix(int argc, char **argv)
{
	struct fix_cli cli;
	int ret;

	if (argc > 1 && strcmp(argv[1], "chain") == 0)
		return cmd_fix_chain(argc - 1, argv + 1);
	memset(&cli, 0, sizeof(cli));
	if ((ret = parse_args(&cli, argc, argv)) != -1)
		return ret;
	return run_fix(&cli);
}
