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
/* How often the wait looks at the child and the cancel flag. */
#define POLL_TICK_MS 100
/* What is read after the command exits, if something it left running
 * keeps its output open. */
#define DRAIN_AFTER_EXIT_MS 200

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
	return spawn_start_fed(argv, cwd, envp, new_process_group, -1, out_fd, err_fd, pid, errbuf,
	                       errlen);
}

int spawn_start_fed(char *const argv[], const char *cwd, char *const envp[], bool new_process_group,
                    int in_fd, int out_fd, int err_fd, pid_t *pid, char *errbuf, size_t errlen)
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
	if (!rc && in_fd >= 0)
		rc = posix_spawn_file_actions_adddup2(&actions, in_fd, STDIN_FILENO);
	else if (!rc)
		rc = posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY,
		                                      0);
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

/* Signals the child's whole process group: what it started goes too. */
static void kill_group(pid_t pid, int signo)
{
	if (kill(-pid, signo) < 0)
		kill(pid, signo);
}

int spawn_capture(char *const argv[], const char *cwd, int64_t timeout_ms, const atomic_int *cancel,
                  struct strbuf *out, struct strbuf *err, struct spawn_result *result, char *errbuf,
                  size_t errlen)
{
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	pid_t pid = -1;
	int ret = -1, status = 0;
	bool reaped = false;

	memset(result, 0, sizeof(*result));
	result->exit_status = -1;
	int64_t started = clock_monotonic_ms();

	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		snprintf(errbuf, errlen, "cannot run %s: pipe: %s", argv[0], strerror(errno));
		goto fail;
	}
	if (spawn_start(argv, cwd, NULL, true, out_pipe[1], err_pipe[1], &pid, errbuf, errlen) < 0)
		goto fail;
	close_fd(&out_pipe[1]);
	close_fd(&err_pipe[1]);

	int64_t deadline = timeout_ms > 0 ? started + timeout_ms : -1;
	int64_t kill_at = -1;   /* SIGKILL time once SIGTERM went out */
	int64_t exited_at = -1; /* when the child itself ended */
	while (out_pipe[0] >= 0 || err_pipe[0] >= 0) {
		int64_t now = clock_monotonic_ms();
		if (!reaped && waitpid(pid, &status, WNOHANG) == pid) {
			reaped = true;
			exited_at = now;
		}
		/* A daemon the command left behind may hold the pipes open: once
		 * the command has exited, take what is already there and stop. */
		if (exited_at >= 0 && now - exited_at >= DRAIN_AFTER_EXIT_MS)
			break;
		bool stop = (deadline >= 0 && now >= deadline) || (cancel && atomic_load(cancel));
		if (stop && kill_at < 0 && !reaped) {
			if (deadline >= 0 && now >= deadline)
				result->timed_out = 1;
			else
				result->cancelled = 1;
			kill_group(pid, SIGTERM);
			kill_at = now + KILL_GRACE_MS;
		}
		if (kill_at >= 0 && now >= kill_at) {
			kill_group(pid, SIGKILL);
			break;
		}
		int wait_ms = POLL_TICK_MS;
		if (deadline >= 0 && kill_at < 0 && deadline - now < wait_ms)
			wait_ms = (int)(deadline - now > 0 ? deadline - now : 0);
		struct pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
		int n = poll(fds, 2, wait_ms);
		if (n < 0 && errno != EINTR) {
			snprintf(errbuf, errlen, "%s: poll: %s", argv[0], strerror(errno));
			kill_group(pid, SIGKILL);
			break;
		}
		if (n > 0) {
			if (fds[0].revents)
				drain(&out_pipe[0], out);
			if (fds[1].revents)
				drain(&err_pipe[0], err);
		}
	}

	while (!reaped && waitpid(pid, &status, 0) < 0) {
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
