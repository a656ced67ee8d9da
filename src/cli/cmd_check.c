/* cmd_check: `mxdoctor check`: options, target parsing, running the check, rendering. */
#include "check/check.h"
#include "check/target.h"
#include "cli/cli.h"
#include "report/report.h"
#include "tls/profile.h"
#include "util/addr.h"
#include "util/log.h"
#include "util/str.h"
#include "util/xalloc.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_usage[] =
"usage: mxdoctor check [OPTIONS] TARGET...\n"
"\n"
"Checks mail servers the way Microsoft's servers meet them: every MX host and\n"
"address of a domain, its SMTP greeting and STARTTLS, the TLS handshake and\n"
"certificate chain, reverse DNS and DNS blocklists.\n"
"\n"
"TARGET is one of:\n"
"  example.com            a mail domain: its MX hosts in preference order\n"
"  mx1.example.com:25     one host and port (no MX lookup)\n"
"  smtp://host[:port]     STARTTLS (default port 25; 587 for submission)\n"
"  smtps://host[:port]    implicit TLS (default port 465)\n"
"  192.0.2.1, [2001:db8::1]:25   an address\n"
"\n"
"Options:\n"
"  --json                  print one JSON document (schema: docs/json.md)\n"
"  --ehlo NAME             name to send in EHLO (default: this machine's FQDN)\n"
"  --resolver ADDR[@PORT]  DNS resolver to use instead of /etc/resolv.conf\n"
"  --timeout SECONDS       deadline of each connect, reply, handshake and DNS\n"
"                          query (default 10)\n"
"  --greeting-timeout SECONDS  how long to wait for the 220 greeting (default 30:\n"
"                          servers delay it on purpose)\n"
"  --ca-file FILE          trust anchors (PEM) instead of the system store\n"
"  --ca-path DIR           hashed directory of trust anchors\n"
"  --sending-ip IP         also check an address you send mail from (PTR,\n"
"                          DNSBL): what Microsoft judges when you send; repeatable\n"
"  --dnsbl ZONE            query this DNS blocklist (repeatable; replaces the\n"
"                          default list, see mxdoctor(1))\n"
"  --no-dnsbl              query no DNS blocklist\n"
"  --port N                port for domain and host targets (default 25)\n"
"  --parallel N            SMTP sessions at once in all (default 8)\n"
"  --profile NAME|FILE     receiver profile to judge against: microsoft\n"
"                          (default), gmail, mozilla-intermediate,\n"
"                          mozilla-modern, or a profile file\n"
"  --ciphers               list every accepted cipher suite per version, in\n"
"                          the server's order (more connections)\n"
"  --max-conn N            connections at once per address (default 2)\n"
"  --delay SECONDS         pause between connections to one address\n"
"  --no-color              no colours (also when NO_COLOR is set, or not a TTY)\n"
"  -v, --verbose           progress and debug lines on stderr; more facts\n"
"  -q, --quiet             no progress lines\n"
"  -h, --help              this help\n"
"\n"
"Exit status: 0 nothing above info, 1 warnings, 2 errors, 3 the check could\n"
"not be done (bad usage, unreadable file, DNS unreachable).\n";

enum {
	OPT_JSON = 256, OPT_EHLO, OPT_RESOLVER, OPT_TIMEOUT, OPT_GREETING,
	OPT_CAFILE, OPT_CAPATH, OPT_SENDING, OPT_DNSBL, OPT_NODNSBL, OPT_PORT,
	OPT_PARALLEL, OPT_NOCOLOR, OPT_PROFILE, OPT_CIPHERS, OPT_MAXCONN,
	OPT_DELAY
};

static const struct option check_longopts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "ehlo", required_argument, NULL, OPT_EHLO },
	{ "resolver", required_argument, NULL, OPT_RESOLVER },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "greeting-timeout", required_argument, NULL, OPT_GREETING },
	{ "ca-file", required_argument, NULL, OPT_CAFILE },
	{ "ca-path", required_argument, NULL, OPT_CAPATH },
	{ "sending-ip", required_argument, NULL, OPT_SENDING },
	{ "dnsbl", required_argument, NULL, OPT_DNSBL },
	{ "no-dnsbl", no_argument, NULL, OPT_NODNSBL },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "parallel", required_argument, NULL, OPT_PARALLEL },
	{ "no-color", no_argument, NULL, OPT_NOCOLOR },
	{ "profile", required_argument, NULL, OPT_PROFILE },
	{ "ciphers", no_argument, NULL, OPT_CIPHERS },
	{ "max-conn", required_argument, NULL, OPT_MAXCONN },
	{ "delay", required_argument, NULL, OPT_DELAY },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct check_cli {
	struct check_opts	 o;
	bool			 json;
	bool			 no_color;
	int			 verbosity;
	int			 port;
	struct strvec		 dnsbl;
	struct strvec		 sending;
	char			*ehlo;
	const char		*profile_arg;	/* NULL: microsoft */
	struct tls_profile	*profile;
};

/* parse_seconds: "10", "2.5"; 0.05 to 3600 s; returns ms or -1. */
static int
parse_seconds(const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) ||
	    v < 0.05 || v > 3600)
		return -1;
	return (int)(v * 1000 + 0.5);
}

/* default_ehlo: this machine's FQDN: the host name if it has a dot,
 * else its canonical name from the system resolver (files first). */
static char *
default_ehlo(void)
{
	char host[256];
	struct addrinfo hints, *res = NULL;
	char *name;

	if (gethostname(host, sizeof(host)) == -1)
		return xstrdup("localhost.localdomain");
	host[sizeof(host) - 1] = '\0';
	if (strchr(host, '.') != NULL)
		return xstrdup(host);
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_CANONNAME;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, NULL, &hints, &res) == 0 && res &&
	    res->ai_canonname && strchr(res->ai_canonname, '.') != NULL)
		name = xstrdup(res->ai_canonname);
	else
		name = xstrdup(host);
	if (res)
		freeaddrinfo(res);
	return name;
}

static int
check_file(const char *opt, const char *path, int mode)
{
	if (access(path, mode) == -1) {
		fprintf(stderr, "mxdoctor: %s %s: %s\n", opt, path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
parse_option(struct check_cli *cli, int ch, const char *arg)
{
	char err[256];
	struct addr ip;
	long v;
	int ms;

	switch (ch) {
	case OPT_JSON:		cli->json = true; break;
	case OPT_NOCOLOR:	cli->no_color = true; break;
	case OPT_NODNSBL:	cli->o.use_default_dnsbl = false; strvec_clear(&cli->dnsbl); break;
	case 'v':		cli->verbosity = 2; break;
	case 'q':		cli->verbosity = 0; break;
	case OPT_EHLO:
		if (addr_parse(arg, &ip) == -1 &&
		    target_valid_name(arg, err, sizeof(err)) == -1)
			return cli_usage_error("check", "--ehlo: %s", err);
		free(cli->ehlo);
		cli->ehlo = xstrdup(arg);
		break;
	case OPT_RESOLVER:	cli->o.resolver = arg; break;
	case OPT_TIMEOUT:
	case OPT_GREETING:
		if ((ms = parse_seconds(arg)) == -1)
			return cli_usage_error("check",
			    "%s: '%.20s' is not a number of seconds (0.05-3600)",
			    ch == OPT_TIMEOUT ? "--timeout" : "--greeting-timeout", arg);
		if (ch == OPT_TIMEOUT)
			cli->o.timeout_ms = ms;
		else
			cli->o.greeting_timeout_ms = ms;
		break;
	case OPT_CAFILE:
		if (check_file("--ca-file", arg, R_OK) == -1)
			return EXIT_UNKNOWN;
		cli->o.ca_file = arg;
		break;
	case OPT_CAPATH:
		if (check_file("--ca-path", arg, R_OK | X_OK) == -1)
			return EXIT_UNKNOWN;
		cli->o.ca_path = arg;
		break;
	case OPT_SENDING:
		if (addr_parse(arg, &ip) == -1)
			return cli_usage_error("check",
			    "--sending-ip: '%.60s' is not an IP address", arg);
		strvec_add(&cli->sending, arg);
		break;
	case OPT_DNSBL:
		if (target_valid_name(arg, err, sizeof(err)) == -1)
			return cli_usage_error("check", "--dnsbl: %s", err);
		cli->o.use_default_dnsbl = false;
		strvec_add(&cli->dnsbl, arg);
		break;
	case OPT_PORT:
		if (str_to_long(arg, 1, 65535, &v) == -1)
			return cli_usage_error("check", "--port: '%.20s' is not a port (1-65535)", arg);
		cli->port = (int)v;
		break;
	case OPT_PROFILE:	cli->profile_arg = arg; break;
	case OPT_CIPHERS:	cli->o.ciphers = true; break;
	case OPT_MAXCONN:
		if (str_to_long(arg, 1, 16, &v) == -1)
			return cli_usage_error("check", "--max-conn: '%.20s' is not 1-16", arg);
		cli->o.max_conn = (int)v;
		break;
	case OPT_DELAY:
		if ((ms = parse_seconds(arg)) == -1)
			return cli_usage_error("check",
			    "--delay: '%.20s' is not a number of seconds (0.05-3600)", arg);
		cli->o.delay_ms = ms;
		break;
	case OPT_PARALLEL:
		if (str_to_long(arg, 1, 256, &v) == -1)
			return cli_usage_error("check", "--parallel: '%.20s' is not 1-256", arg);
		cli->o.max_sessions = (int)v;
		break;
	default:
		return EXIT_UNKNOWN;
	}
	return -1;	/* go on */
}

/* load_profile: --profile, or microsoft (see check_profile_load). */
static int
load_profile(struct check_cli *cli)
{
	const char *arg = cli->profile_arg ? cli->profile_arg : "microsoft";
	char *err = NULL;

	if ((cli->profile = check_profile_load(arg, &err)) == NULL) {
		fprintf(stderr, "mxdoctor: --profile %.80s: %s\n", arg,
		    err ? err : "cannot load");
		free(err);
		return -1;
	}
	cli->o.profile = cli->profile;
	return 0;
}

static void
progress_cb(const char *what, void *arg)
{
	log_progress("%s", what);
}

static bool
want_color(const struct check_cli *cli)
{
	const char *nc = getenv("NO_COLOR");

	if (cli->no_color || (nc != NULL && nc[0] != '\0'))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

static int
run_check(struct check_cli *cli, struct target_spec *specs, size_t n)
{
	struct report *r = report_new();
	struct report_text_opts to;
	char *err = NULL;
	int status;

	cli->o.ehlo_name = cli->ehlo;
	cli->o.dnsbl_zones = (const char **)cli->dnsbl.v;
	cli->o.ndnsbl_zones = cli->dnsbl.n;
	cli->o.sending_ips = (const char **)cli->sending.v;
	cli->o.nsending_ips = cli->sending.n;
	r->version = xstrdup(MXD_VERSION);
	r->profile = xstrdup(tls_profile_name(cli->profile));
	r->ehlo_name = xstrdup(cli->ehlo);
	r->resolver = cli->o.resolver ? xstrdup(cli->o.resolver) : NULL;
	log_debug("EHLO name %s", cli->ehlo);
	if (check_run(&cli->o, specs, n, r, &err) == -1) {
		fprintf(stderr, "mxdoctor: %s\n", err ? err : "check failed");
		free(err);
		report_free(r);
		return EXIT_UNKNOWN;
	}
	if (r->incomplete)
		log_error("%s", r->incomplete_why);
	memset(&to, 0, sizeof(to));
	to.color = want_color(cli);
	to.verbose = cli->verbosity > 1;
	if (cli->json)
		report_render_json(r, stdout);
	else
		report_render_text(r, &to, stdout);
	status = report_exit_status(r);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "mxdoctor: writing the report: %s\n", strerror(errno));
		status = EXIT_UNKNOWN;
	}
	report_free(r);
	return status;
}

int
cmd_check(int argc, char **argv)
{
	struct check_cli cli;
	struct target_spec *specs = NULL;
	char err[256];
	int ch, ret = EXIT_UNKNOWN, i, n;

	memset(&cli, 0, sizeof(cli));
	cli.o.timeout_ms = 10000;
	cli.o.greeting_timeout_ms = 30000;
	cli.o.use_default_dnsbl = true;
	cli.o.max_sessions = 8;
	cli.o.progress = progress_cb;
	cli.verbosity = 1;
	cli.port = 25;
	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":hvq", check_longopts, NULL)) != -1) {
		if (ch == 'h') {
			fputs(check_usage, stdout);
			ret = EXIT_OK;
			goto out;
		}
		if (ch == '?') {
			ret = cli_usage_error("check", "unknown option '%.40s'",
			    argv[optind - 1]);
			goto out;
		}
		if (ch == ':') {
			ret = cli_usage_error("check", "option '%.40s' needs a value",
			    argv[optind - 1]);
			goto out;
		}
		if ((ret = parse_option(&cli, ch, optarg)) != -1)
			goto out;
	}
	ret = EXIT_UNKNOWN;
	n = argc - optind;
	if (n <= 0) {
		ret = cli_usage_error("check", "no target given");
		goto out;
	}
	if (n > 256) {
		ret = cli_usage_error("check", "too many targets (at most 256)");
		goto out;
	}
	log_init(cli.verbosity);
	specs = xcalloc((size_t)n, sizeof(*specs));
	for (i = 0; i < n; i++)
		if (target_parse(argv[optind + i], cli.port, &specs[i], err,
		    sizeof(err)) == -1) {
			char *e = str_escape(argv[optind + i],
			    strlen(argv[optind + i]), 80);

			ret = cli_usage_error("check", "target '%s': %s", e, err);
			free(e);
			goto out;
		}
	if (cli.ehlo == NULL)
		cli.ehlo = default_ehlo();
	if (load_profile(&cli) == -1)
		goto out;
	ret = run_check(&cli, specs, (size_t)n);
out:
	free(specs);
	free(cli.ehlo);
	tls_profile_free(cli.profile);
	strvec_clear(&cli.dnsbl);
	strvec_clear(&cli.sending);
	return ret;
}
