/* gen_findings: mxd-gen-findings [FILE]: writes docs/findings.md (to FILE, or stdout); not installed. */
#include "report/report.h"

#include <stdio.h>

int
main(int argc, char **argv)
{
	FILE *out = stdout;

	if (argc > 2) {
		fputs("usage: mxd-gen-findings [FILE]\n", stderr);
		return 2;
	}
	if (argc == 2 && (out = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if (report_render_catalogue(out) == -1 ||
	    (out != stdout && fclose(out) == EOF)) {
		fputs("mxd-gen-findings: write error\n", stderr);
		return 1;
	}
	return 0;
}
