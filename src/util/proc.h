/* proc: run a local program with a deadline and bounded output (postconf, exim -bV, sendmail -d0.1). */
#ifndef MXD_UTIL_PROC_H
#define MXD_UTIL_PROC_H

#include <stddef.h>

/*
 * proc_run: runs argv[0] (looked up in PATH when it has no slash) with
 * argv, stdin from /dev/null, without a shell.  Collects stdout (and
 * stderr too when merge_stderr, else stderr is discarded) up to max_out
 * bytes; more is read and dropped (*truncated set).  The child is killed
 * (SIGKILL) when timeout_ms passes.  *out is NUL-terminated, malloc'd,
 * and may contain NUL bytes (use *outlen).
 *
 * Returns the exit status (0-255) of a program that exited; -1 with *err
 * (static text) when it could not be started, was killed by a signal or
 * timed out (*out then holds what came).
 */
int proc_run(const char *const argv[], int timeout_ms, size_t max_out,
    int merge_stderr, char **out, size_t *outlen, int *truncated,
    const char **err);

/* proc_find: the first executable among candidates (absolute paths or
 * names searched in PATH, then /usr/sbin and /usr/lib/sendmail-like
 * absolute names as given), malloc'd, or NULL. */
char *proc_find(const char *const candidates[]);

#endif
