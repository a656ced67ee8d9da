/* cli: subcommand entry points and shared command-line conventions. */
#ifndef MXD_CLI_CLI_H
#define MXD_CLI_CLI_H

/* Exit statuses (Nagios plugin convention). */
#define EXIT_OK		0
#define EXIT_WARNING	1
#define EXIT_CRITICAL	2
#define EXIT_UNKNOWN	3	/* bad usage, unreadable input, check impossible */

/* Each returns the process exit status. argv[0] is the subcommand name. */
int cmd_check(int argc, char **argv);
int cmd_findings(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_fix(int argc, char **argv);

/* cli_usage_error: prints "mxdoctor: <msg>" and a hint to stderr; returns
 * EXIT_UNKNOWN. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
