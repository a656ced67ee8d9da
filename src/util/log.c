/* log: diagnostics and progress on stderr (never results: report/ renders those). */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static int log_level = 1;
static int log_tty;

void
log_init(int verbosity)
{
	log_level = verbosity;
	log_tty = isatty(STDERR_FILENO);
}

int
log_verbosity(void)
{
	return log_level;
}

static void
log_emit(const char *prefix, const char *fmt, va_list ap)
{
	fputs("mxdoctor: ", stderr);
	if (prefix)
		fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_emit(NULL, fmt, ap);
	va_end(ap);
}

void
log_progress(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1 || (!log_tty && log_level < 2))
		return;
	va_start(ap, fmt);
	log_emit(NULL, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 2)
		return;
	va_start(ap, fmt);
	log_emit("debug: ", fmt, ap);
	va_end(ap);
}
