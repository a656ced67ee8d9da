/* cmd_findings: `mxdoctor findings`: the finding catalogue, as docs/findings.md has it. */
#include "cli/cli.h"
#include "report/report.h"

#include <stdio.h>
#include <string.h>

int
cmd_findings(int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		fputs("usage: mxdoctor findings\n\n"
		    "Prints every finding id with its severity, meaning, why Microsoft\n"
		    "cares, the fix and the source (Markdown, as docs/findings.md).\n",
		    stdout);
		return EXIT_OK;
	}
	if (argc > 1)
		return cli_usage_error("findings", "unexpected argument '%.40s'",
		    argv[1]);
	if (report_render_catalogue(stdout) == -1 || fflush(stdout) == EOF)
		return EXIT_UNKNOWN;
	return EXIT_OK;
}
