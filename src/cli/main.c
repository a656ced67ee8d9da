/* main: mxdoctor's entry point: global options and subcommand dispatch. */
#include "cli/cli.h"

#include <openssl/ssl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
"usage: mxdoctor [--version] [--help] COMMAND [ARGS]\n"
"\n"
"Finds out why mail exchanged with Microsoft (Outlook.com, Hotmail,\n"
"Exchange Online) fails with SSL/TLS errors, and says how to fix it.\n"
"\n"
"Commands:\n"
"  check TARGET...   check a domain's MX hosts (or given servers) as Microsoft\n"
"                    sees them: SMTP, STARTTLS, TLS, certificate, PTR, DNSBL\n"
"  explain [FILE...] explain TLS and delivery failures in mail logs, bounces\n"
"                    or a pasted error line: cause, who must act, the fix\n"
"  audit MTA         read your own mail server's TLS settings (postfix, exim,\n"
"                    sendmail, or a Windows schannel .reg export) and judge\n"
"                    them against the profile\n"
"  fix --mta MTA [REPORT.json]\n"
"                    the configuration that clears a report's findings, or a\n"
"                    complete recommended TLS set-up; 'fix chain' builds a\n"
"                    certificate chain file\n"
"  findings          list every finding id with its meaning and fix\n"
"\n"
"Run 'mxdoctor COMMAND --help' for a command's options; see mxdoctor(1).\n"
"Exit status: 0 ok, 1 warnings, 2 errors, 3 could not check or bad usage.\n";

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("mxdoctor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'mxdoctor %s%s--help')\n", cmd ? cmd : "",
	    cmd ? " " : "");
	return EXIT_UNKNOWN;
}

int
main(int argc, char **argv)
{
	const char *cmd;

	/* A peer that closes mid-write must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	OPENSSL_init_ssl(0, NULL);
	if (argc < 2)
		return cli_usage_error(NULL, "no command given");
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
		printf("mxdoctor %s (%s)\n", MXD_VERSION,
		    OpenSSL_version(OPENSSL_VERSION));
		return EXIT_OK;
	}
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "audit") == 0)
		return cmd_audit(argc - 1, argv + 1);
	if (strcmp(cmd, "fix") == 0)
		return cmd_fix(argc - 1, argv + 1);
	if (strcmp(cmd, "findings") == 0)
		return cmd_findings(argc - 1, argv + 1);
	if (strcmp(cmd, "explain") == 0)
		return cmd_explain(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return cli_usage_error(NULL, "unknown option '%.40s'", cmd);
	return cli_usage_error(NULL, "unknown command '%.40s'", cmd);
}
