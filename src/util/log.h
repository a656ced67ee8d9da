/* log: diagnostics and progress on stderr (never results: report/ renders those). */
#ifndef MXD_UTIL_LOG_H
#define MXD_UTIL_LOG_H

/* log_init: verbosity 0 = quiet (errors only), 1 = progress, 2 = debug.
 * Progress lines go to stderr only when it is a terminal or verbosity > 1. */
void log_init(int verbosity);
int log_verbosity(void);
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
