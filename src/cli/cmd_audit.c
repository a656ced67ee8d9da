/* cmd_audit: `mxdoctor audit MTA`: read the user's own mail-server TLS settings and judge them. */
#include "audit/audit.h"
#include "check/check.h"
#include "cli/cli.h"
#include "report/report.h"
#include "tls/profile.h"
#include "tls/x509.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char audit_usage[] =
"usage: mxdoctor audit postfix  [--config-dir DIR] [OPTIONS]\n"
"       mxdoctor audit exim     [--config FILE] [OPTIONS]\n"
"       mxdoctor audit sendmail [--config FILE] [OPTIONS]\n"
"       mxdoctor audit schannel FILE.reg [--windows VERSION] [OPTIONS]\n"
"\n"
"Reads your own mail server's TLS configuration from inside and judges both\n"
"directions against the receiver profile: sending (your MTA as a client of\n"
"Microsoft's servers) and receiving (Microsoft's servers connecting to\n"
"yours): TLS use, protocol versions, cipher suites, SNI, certificate, key and\n"
"chain files, and the TLS library the MTA really links.\n"
"\n"
"  postfix    Postfix's effective settings from `postconf -c DIR` (defaults\n"
"             and master.cf overrides included); DIR default /etc/postfix\n"
"  exim       Exim's configuration file (default: the Debian or upstream one)\n"
"  sendmail   sendmail.cf or sendmail.mc (default /etc/mail/sendmail.cf)\n"
"  schannel   a `reg export` of HKLM\\SYSTEM\\CurrentControlSet\\Control\\\n"
"             SecurityProviders\\SCHANNEL (and the .NET Framework keys:\n"
"             reg export writes one key per file; join them with\n"
"             `copy /b schannel.reg+dotnet.reg all.reg`)\n"
"\n"
"Options:\n"
"  --config-dir DIR, --config FILE   what to read (see above)\n"
"  --program PATH          the MTA's tool to ask (postconf, exim, sendmail)\n"
"  --no-program            read files only; never run the MTA's tools\n"
"  --hostname NAME         the MX host name the certificate must match\n"
"                          (default: the MTA's own name, e.g. myhostname)\n"
"  --windows VERSION       schannel: 2008r2, 2012, 2012r2, 2016 (default),\n"
"                          2019, 2022 or a build number: the defaults apply\n"
"  --profile NAME|FILE     receiver profile (default microsoft)\n"
"  --ca-file FILE          trust anchors (PEM) instead of the system store\n"
"  --ca-path DIR           hashed directory of trust anchors\n"
"  --json                  one JSON document (docs/json.md, \"Audit\")\n"
"  --no-color              no colours (also when NO_COLOR is set, or not a TTY)\n"
"  -v, --verbose           every setting read, with its origin\n"
"  -h, --help              this help\n"
"\n"
"Then `mxdoctor fix --mta MTA REPORT.json` writes the changes.\n"
"Exit status: 0 nothing above info, 1 warnings, 2 errors, 3 bad usage or\n"
"nothing could be read.\n";

enum {
	OPT_JSON = 256, OPT_CONFIG, OPT_PROGRAM, OPT_NOPROGRAM, OPT_HOSTNAME,
	OPT_WINDOWS, OPT_PROFILE, OPT_CAFILE, OPT_CAPATH, OPT_NOCOLOR
};

static const struct option audit_longopts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "config-dir", required_argument, NULL, OPT_CONFIG },
	{ "program", required_argument, NULL, OPT_PROGRAM },
	{ "no-program", no_argument, NULL, OPT_NOPROGRAM },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "windows", required_argument, NULL, OPT_WINDOWS },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "ca-file", required_argument, NULL, OPT_CAFILE },
	{ "ca-path", required_argument, NULL, OPT_CAPATH },
	{ "no-color", no_argument, NULL, OPT_NOCOLOR },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* --windows: a release name or a build number. */
static int
parse_windows(const char *s, unsigned *out)
{
	static const struct { const char *name; unsigned build; } rel[] = {
		{ "2008r2", AUDIT_WIN_2008R2 }, { "7", AUDIT_WIN_2008R2 },
		{ "2012", AUDIT_WIN_2012 }, { "8", AUDIT_WIN_2012 },
		{ "2012r2", 9600 }, { "8.1", 9600 },
		{ "2016", AUDIT_WIN_2016 }, { "10", AUDIT_WIN_2016 },
		{ "2019", 17763 }, { "2022", AUDIT_WIN_2022 },
		{ "11", 22000 }, { "2025", 26100 },
	};
	long v;
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++)
		if (strcasecmp(s, rel[i].name) == 0) {
			*out = rel[i].build;
			return 0;
		}
	if (str_to_long(s, 6000, 99999, &v) == 0) {
		*out = (unsigned)v;
		return 0;
	}
	return -1;
}

static bool
want_color(bool no_color)
{
	const char *nc = getenv("NO_COLOR");

	if (no_color || (nc != NULL && nc[0] != '\0'))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

int
cmd_audit(int argc, char **argv)
{
	struct audit_opts o;
	struct audit_result *a = NULL;
	struct report *r = NULL;
	struct tls_profile *profile = NULL;
	struct x509_trust *trust = NULL;
	struct report_text_opts to;
	const char *profile_arg = "microsoft", *ca_file = NULL, *ca_path = NULL;
	const char *terr;
	bool json = false, no_color = false, verbose = false;
	char *err = NULL;
	int ch, mta, ret = EXIT_UNKNOWN, rc;

	memset(&o, 0, sizeof(o));
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hv", audit_longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(audit_usage, stdout);
			return EXIT_OK;
		case 'v':		verbose = true; break;
		case OPT_JSON:		json = true; break;
		case OPT_CONFIG:	o.config = optarg; break;
		case OPT_PROGRAM:	o.program = optarg; break;
		case OPT_NOPROGRAM:	o.no_program = true; break;
		case OPT_HOSTNAME:	o.hostname = optarg; break;
		case OPT_PROFILE:	profile_arg = optarg; break;
		case OPT_CAFILE:	ca_file = optarg; break;
		case OPT_CAPATH:	ca_path = optarg; break;
		case OPT_NOCOLOR:	no_color = true; break;
		case OPT_WINDOWS:
			if (parse_windows(optarg, &o.windows) == -1)
				return cli_usage_error("audit", "--windows: unknown "
				    "version '%.40s'", optarg);
			break;
		case ':':
			return cli_usage_error("audit", "option '%.40s' needs a "
			    "value", argv[optind - 1]);
		default:
			return cli_usage_error("audit", "unknown option '%.40s'",
			    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error("audit", "which MTA? postfix, exim, "
		    "sendmail or schannel");
	if ((mta = audit_mta_parse(argv[optind])) == -1) {
		char *e = str_escape(argv[optind], strlen(argv[optind]), 40);

		ret = cli_usage_error("audit", "unknown MTA '%s' (postfix, exim, "
		    "sendmail, schannel)", e);
		free(e);
		return ret;
	}
	o.mta = (enum audit_mta)mta;
	optind++;
	if (o.mta == AUDIT_SCHANNEL && optind < argc && o.config == NULL)
		o.config = argv[optind++];
	if (optind < argc)
		return cli_usage_error("audit", "unexpected argument '%.40s'",
		    argv[optind]);
	if (o.mta == AUDIT_SCHANNEL && o.config == NULL)
		return cli_usage_error("audit", "schannel needs the .reg file "
		    "(reg export HKLM\\SYSTEM\\CurrentControlSet\\Control\\"
		    "SecurityProviders\\SCHANNEL FILE.reg)");
	if (o.windows == 0)
		o.windows = AUDIT_WIN_2016;
	o.now = time(NULL);

	if ((profile = check_profile_load(profile_arg, &err)) == NULL) {
		fprintf(stderr, "mxdoctor: --profile %.80s: %s\n", profile_arg,
		    err ? err : "cannot load");
		free(err);
		return EXIT_UNKNOWN;
	}
	if ((trust = x509_trust_new(ca_file, ca_path, &terr)) == NULL) {
		fprintf(stderr, "mxdoctor: trust store: %s\n", terr);
		goto out;
	}
	a = audit_result_new(o.mta);
	r = report_new();
	r->version = xstrdup(MXD_VERSION);
	r->profile = xstrdup(tls_profile_name(profile));
	r->started = o.now;
	switch (o.mta) {
	case AUDIT_POSTFIX:	rc = audit_read_postfix(&o, a, r, &err); break;
	case AUDIT_EXIM:	rc = audit_read_exim(&o, a, r, &err); break;
	case AUDIT_SENDMAIL:	rc = audit_read_sendmail(&o, a, r, &err); break;
	case AUDIT_SCHANNEL:	rc = audit_read_schannel(&o, a, r, &err); break;
	default:		rc = -1; break;
	}
	if (rc == -1) {
		char *e = err ? str_escape(err, strlen(err), 300) : NULL;

		fprintf(stderr, "mxdoctor: audit %s: %s\n", audit_mta_name(o.mta),
		    e ? e : "nothing could be read");
		free(e);
		goto out;
	}
	if (o.mta == AUDIT_SCHANNEL && a->windows == 0)
		a->windows = o.windows;
	audit_judge(r, a, profile, trust, o.now);
	report_sort_findings(r);
	r->audit = a;
	memset(&to, 0, sizeof(to));
	to.color = want_color(no_color);
	to.verbose = verbose;
	if (json)
		report_render_json(r, stdout);
	else
		report_render_text(r, &to, stdout);
	ret = report_exit_status(r);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "mxdoctor: writing the report: %s\n",
		    strerror(errno));
		ret = EXIT_UNKNOWN;
	}
out:
	free(err);
	report_free(r);
	audit_result_free(a);
	x509_trust_free(trust);
	tls_profile_free(profile);
	return ret;
}
