/* cmd_explain: `mxdoctor explain`: options, the pattern file, reading the inputs, rendering. */
#include "cli/cli.h"
#include "explain/explain.h"
#include "report/explain_report.h"
#include "util/str.h"

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char explain_usage[] =
"usage: mxdoctor explain [OPTIONS] [FILE...]\n"
"\n"
"Explains mail TLS and delivery failures from what you already have: mail\n"
"logs (Postfix, Exim, Sendmail; gzip-compressed too), bounce messages\n"
"(Microsoft NDRs, RFC 3464 reports), Exchange and Windows Schannel event\n"
"text, or one pasted line.  Reads standard input when no FILE is given.\n"
"Each failure is classified to a root cause and grouped by remote host,\n"
"with what it means, who must act, the fix and the `mxdoctor check`\n"
"command that confirms it.\n"
"\n"
"Options:\n"
"  --json            print one JSON document (schema: docs/explain.md)\n"
"  --unknown         list the lines that look like failures but match no\n"
"                    pattern (please send them to us)\n"
"  --patterns FILE   read the patterns from FILE instead of the installed\n"
"                    explain-patterns.txt\n"
"  --no-color        no colours (also when NO_COLOR is set, or not a TTY)\n"
"  -h, --help        this help\n"
"\n"
"Exit status: 0 no failure recognised, 2 failures recognised, 3 bad usage,\n"
"no usable pattern file, or an input that could not be read to its end\n"
"(missing, unreadable, truncated or corrupt gzip): 3 wins over 2, because\n"
"the answer is then incomplete; the report still covers what was read.\n";

enum { OPT_JSON = 256, OPT_UNKNOWN, OPT_PATTERNS, OPT_NOCOLOR };

static const struct option explain_longopts[] = {
	{ "json", no_argument, NULL, OPT_JSON },
	{ "unknown", no_argument, NULL, OPT_UNKNOWN },
	{ "patterns", required_argument, NULL, OPT_PATTERNS },
	{ "no-color", no_argument, NULL, OPT_NOCOLOR },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

struct explain_cli {
	bool		 json;
	bool		 unknown;
	bool		 no_color;
	const char	*patterns;
};

/* say: "mxdoctor: NAME: msg" on stderr, NAME escaped (it comes from argv). */
static void
say(const char *name, const char *msg)
{
	char *e = str_escape(name, strlen(name), 200);

	fprintf(stderr, "mxdoctor: %s: %s\n", e, msg);
	free(e);
}

static bool
want_color(const struct explain_cli *cli)
{
	const char *nc = getenv("NO_COLOR");

	if (cli->no_color || cli->json || (nc != NULL && nc[0] != '\0'))
		return false;
	return isatty(STDOUT_FILENO) == 1;
}

/* parse_args: -1 to go on, else the exit status. */
static int
parse_args(struct explain_cli *cli, int argc, char **argv)
{
	int ch;

	optind = 1;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", explain_longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(explain_usage, stdout);
			return EXIT_OK;
		case OPT_JSON:		cli->json = true; break;
		case OPT_UNKNOWN:	cli->unknown = true; break;
		case OPT_NOCOLOR:	cli->no_color = true; break;
		case OPT_PATTERNS:	cli->patterns = optarg; break;
		case ':':
			return cli_usage_error("explain", "option '%.40s' needs a value",
			    argv[optind - 1]);
		default:
			return cli_usage_error("explain", "unknown option '%.40s'",
			    argv[optind - 1]);
		}
	}
	return -1;
}

static struct explain_patterns *
load_patterns(const struct explain_cli *cli)
{
	const char *path = cli->patterns ? cli->patterns : explain_patterns_default_path();
	struct explain_patterns *ps;
	char err[512];

	if (path == NULL) {
		fputs("mxdoctor: explain: no pattern file found (is mxdoctor installed?);"
		    " give one with --patterns FILE\n", stderr);
		return NULL;
	}
	if ((ps = explain_patterns_load(path, err, sizeof(err))) == NULL)
		fprintf(stderr, "mxdoctor: explain: pattern file %s\n", err);
	return ps;
}

/* read_input: one input; its problems on stderr, one line each. */
static void
read_input(struct explain_run *run, const char *path)
{
	const struct explain_input *in;

	if (strcmp(path, "-") == 0 && isatty(STDIN_FILENO) == 1)
		fputs("mxdoctor: reading standard input: paste the lines, then Ctrl-D\n",
		    stderr);
	explain_run_input(run, path);
	in = explain_run_last_input(run);
	if (in->error != NULL)
		say(strcmp(path, "-") == 0 ? "standard input" : path, in->error);
	if (in->binary)
		say(strcmp(path, "-") == 0 ? "standard input" : path,
		    "binary data (NUL bytes): read as text, results may be incomplete");
}

static int
render(const struct explain_cli *cli, const struct explain_result *res)
{
	struct explain_text_opts to = { want_color(cli), cli->unknown };
	int rc;

	if (cli->json)
		rc = explain_render_json(res, cli->unknown, stdout);
	else
		rc = explain_render_text(res, &to, stdout);
	if (rc == -1 || fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "mxdoctor: writing the report: %s\n", strerror(errno));
		return EXIT_UNKNOWN;
	}
	return explain_exit_status(res);
}

int
cmd_explain(int argc, char **argv)
{
	struct explain_cli cli;
	struct explain_patterns *ps;
	struct explain_run *run;
	struct explain_result *res;
	struct explain_opts opts;
	int ret, i;

	memset(&cli, 0, sizeof(cli));
	if ((ret = parse_args(&cli, argc, argv)) != -1)
		return ret;
	if ((ps = load_patterns(&cli)) == NULL)
		return EXIT_UNKNOWN;
	memset(&opts, 0, sizeof(opts));
	opts.want_unknown = cli.unknown;
	run = explain_run_new(ps, &opts);
	if (optind == argc)
		read_input(run, "-");
	for (i = optind; i < argc; i++)
		read_input(run, argv[i]);
	res = explain_run_finish(run);
	ret = render(&cli, res);
	explain_result_free(res);
	explain_patterns_free(ps);
	return ret;
}
