/* proc: run a local program with a deadline and bounded output. */
#include "util/proc.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int
proc_run(const char *const argv[], int timeout_ms, size_t max_out,
    int merge_stderr, char **out, size_t *outlen, int *truncated,
    const char **err)
{
	int fds[2], status = 0, devnull;
	size_t len = 0, cap = max_out + 1;
	char *buf = xmalloc(cap), chunk[4096];
	long deadline = now_ms() + timeout_ms;
	pid_t pid;
	int done = 0, timed_out = 0;

	*out = NULL;
	*outlen = 0;
	*truncated = 0;
	*err = NULL;
	if (pipe2(fds, O_CLOEXEC) == -1) {
		free(buf);
		*err = "pipe failed";
		return -1;
	}
	pid = fork();
	if (pid == -1) {
		close(fds[0]);
		close(fds[1]);
		free(buf);
		*err = "fork failed";
		return -1;
	}
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		if (devnull != -1)
			dup2(devnull, 0);
		dup2(fds[1], 1);
		if (merge_stderr)
			dup2(fds[1], 2);
		else if (devnull != -1)
			dup2(devnull, 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fds[1]);
	while (!done) {
		struct pollfd pfd = { .fd = fds[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0) {
			timed_out = 1;
			break;
		}
		if (poll(&pfd, 1, (int)left) == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents == 0)
			continue;
		n = read(fds[0], chunk, sizeof(chunk));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			done = 1;
			break;
		}
		if (len < max_out) {
			size_t take = (size_t)n;

			if (take > max_out - len) {
				take = max_out - len;
				*truncated = 1;
			}
			memcpy(buf + len, chunk, take);
			len += take;
		} else
			*truncated = 1;
	}
	close(fds[0]);
	if (!done)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	if (timed_out) {
		*err = "timed out";
		return -1;
	}
	if (!WIFEXITED(status)) {
		*err = "killed by a signal";
		return -1;
	}
	if (WEXITSTATUS(status) == 127 && len == 0) {
		*err = "could not be started";
		return -1;
	}
	return WEXITSTATUS(status);
}

char *
proc_find(const char *const candidates[])
{
	const char *path = getenv("PATH");
	char full[4096];
	size_t i;

	for (i = 0; candidates[i] != NULL; i++) {
		const char *c = candidates[i];
		const char *p, *e;

		if (strchr(c, '/') != NULL) {
			if (access(c, X_OK) == 0)
				return xstrdup(c);
			continue;
		}
		for (p = path ? path : "/usr/bin:/bin"; *p != '\0'; p = e) {
			size_t dl;

			e = strchr(p, ':');
			if (e == NULL)
				e = p + strlen(p);
			dl = (size_t)(e - p);
			if (dl > 0 && (size_t)snprintf(full, sizeof(full),
			    "%.*s/%s", (int)dl, p, c) < sizeof(full)) {
				struct stat st;

				if (stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
				    access(full, X_OK) == 0)
					return xstrdup(full);
			}
			if (*e == ':')
				e++;
		}
		snprintf(full, sizeof(full), "/usr/sbin/%s", c);
		if (access(full, X_OK) == 0)
			return xstrdup(full);
	}
	return NULL;
}
