/* spawn.c - run a program with posix_spawnp and an argv, never a shell, and
 * collect its output under a deadline (see spawn.h). */
#include "util/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/clock.h"

extern char **environ;

#define KILL_GRACE_MS 1000

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* Reads what is available on *fd into buf (NULL: discard); closes it at EOF. */
static void drain(int *fd, struct strbuf *buf)
{
	char chunk[4096];
	ssize_t n = read(*fd, chunk, sizeof(chunk));
	if (n > 0) {
		if (buf)
			strbuf_append(buf, chunk, (size_t)n);
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		close_fd(fd);
	}
}

int spawn_start(char *const argv[], const char *cwd, char *const envp[], bool new_process_group,
                int out_fd, int err_fd, pid_t *pid, char *errbuf, size_t errlen)
{
	posix_spawn_file_actions_t actions;
	posix_spawnattr_t attr;
	int rc = posix_spawn_file_actions_init(&actions);
	if (rc) {
		snprintf(errbuf, errlen, "cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	rc = posix_spawnattr_init(&attr);
	if (rc) {
		posix_spawn_file_actions_destroy(&actions);
		snprintf(errbuf, errlen, "cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	/* The child starts with default signal handling (we ignore SIGPIPE,
	 * and ignored signals would otherwise survive exec) and no mask. */
	sigset_t defaults, empty;
	sigemptyset(&empty);
	sigfillset(&defaults);
	sigdelset(&defaults, SIGKILL);
	sigdelset(&defaults, SIGSTOP);
	rc = posix_spawnattr_setsigdefault(&attr, &defaults);
	if (!rc)
		rc = posix_spawnattr_setsigmask(&attr, &empty);
	short flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
	if (!rc && new_process_group) {
		rc = posix_spawnattr_setpgroup(&attr, 0);
		flags |= POSIX_SPAWN_SETPGROUP;
	}
	if (!rc)
		rc = posix_spawnattr_setflags(&attr, flags);
	if (!rc)
		rc = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&actions, out_fd, STDOUT_FILENO);
	if (!rc)
		rc = posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
	if (!rc && cwd)
		rc = posix_spawn_file_actions_addchdir_np(&actions, cwd);
	if (!rc)
		rc = posix_spawnp(pid, argv[0], &actions, &attr, argv, envp ? envp : environ);
	posix_spawn_file_actions_destroy(&actions);
	posix_spawnattr_destroy(&attr);
	if (rc) {
		snprintf(errbuf, errlen, "cannot run %s: %s", argv[0], strerror(rc));
		return -1;
	}
	return 0;
}

int spawn_capture(char *const argv[], const char *cwd, int64_t timeout_ms, struct strbuf *out,
                  struct strbuf *err, struct spawn_result *result, char *errbuf, size_t errlen)
{
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	pid_t pid = -1;
	int ret = -1;

	memset(result, 0, sizeof(*result));
	result->exit_status = -1;
	int64_t started = clock_monotonic_ms();

	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		snprintf(errbuf, errlen, "cannot run %s: pipe: %s", argv[0], strerror(errno));
		goto fail;
	}
	if (spawn_start(argv, cwd, NULL, false, out_pipe[1], err_pipe[1], &pid, errbuf, errlen) < 0)
		goto fail;
	close_fd(&out_pipe[1]);
	close_fd(&err_pipe[1]);

	int64_t deadline = timeout_ms > 0 ? started + timeout_ms : -1;
	int64_t kill_at = -1;
	while (out_pipe[0] >= 0 || err_pipe[0] >= 0) {
		struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
		int wait_ms = -1;
		int64_t now = clock_monotonic_ms();
		if (deadline >= 0 && !result->timed_out) {
			if (now >= deadline) {
				result->timed_out = 1;
				kill(pid, SIGTERM);
				kill_at = now + KILL_GRACE_MS;
			} else {
				wait_ms = (int)(deadline - now);
			}
		}
		if (kill_at >= 0) {
			if (now >= kill_at) {
				kill(pid, SIGKILL);
				break; /* a grandchild may hold the pipes open */
			}
			wait_ms = (int)(kill_at - now);
		}
		int n = poll(fds, 2, wait_ms);
		if (n < 0 && errno != EINTR) {
			snprintf(errbuf, errlen, "%s: poll: %s", argv[0], strerror(errno));
			kill(pid, SIGKILL);
			break;
		}
		if (n > 0) {
			if (fds[0].revents)
				drain(&out_pipe[0], out);
			if (fds[1].revents)
				drain(&err_pipe[0], err);
		}
	}

	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			snprintf(errbuf, errlen, "%s: waitpid: %s", argv[0], strerror(errno));
			goto fail;
		}
	}
	if (WIFEXITED(status))
		result->exit_status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		result->signal = WTERMSIG(status);
	ret = 0;
fail:
	result->duration_ms = clock_monotonic_ms() - started;
	close_fd(&out_pipe[0]);
	close_fd(&out_pipe[1]);
	close_fd(&err_pipe[0]);
	close_fd(&err_pipe[1]);
	return ret;
}
