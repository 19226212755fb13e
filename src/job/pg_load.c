/* pg_load.c - psql or pg_restore fed through a pipe (see pg_load.h). */
#include "job/pg_load.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "job/pgprogram.h"
#include "model/redact.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/spawn.h"
#include "util/strbuf.h"

struct pg_load {
	const char *name; /* "psql", "pg_restore": for messages */
	pid_t pid;
	int in_fd;
	int err_fd;
	bool reaped;
	int status;
	const atomic_int *cancel;
	struct strbuf stderr_text;
};

static bool cancelled(const struct pg_load *l)
{
	return l->cancel && atomic_load(l->cancel);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

struct pg_load *pg_load_start(const struct pgurl *url, const char *dbname, bool custom,
                              const atomic_int *cancel, char *err, size_t errlen)
{
	struct strbuf conninfo;
	strbuf_init(&conninfo, 0);
	pgprogram_conninfo(&conninfo, url, "opsdeck-restore", dbname);
	char *argv[12];
	int argc = 0;
	const char *name = custom ? "pg_restore" : "psql";
	if (custom) {
		argv[argc++] = (char *)pgprogram_path("OPSDECK_PG_RESTORE", "pg_restore");
		argv[argc++] = "--no-password";
		argv[argc++] = "--exit-on-error";
		argv[argc++] = "--single-transaction";
		argv[argc++] = "--no-owner";
	} else {
		argv[argc++] = (char *)pgprogram_path("OPSDECK_PSQL", "psql");
		argv[argc++] = "--no-password";
		argv[argc++] = "-X";
		argv[argc++] = "-q";
		argv[argc++] = "-v";
		argv[argc++] = "ON_ERROR_STOP=1";
		argv[argc++] = "--single-transaction";
	}
	argv[argc++] = "--dbname";
	argv[argc++] = (char *)strbuf_str(&conninfo);
	argv[argc] = NULL;

	struct pg_load *l = calloc(1, sizeof(*l));
	int in_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1}, null_fd = -1;
	char **env = NULL;
	if (!l) {
		snprintf(err, errlen, "cannot run %s: out of memory", name);
		strbuf_free(&conninfo);
		return NULL;
	}
	l->name = name;
	l->cancel = cancel;
	l->pid = -1;
	l->in_fd = l->err_fd = -1;
	strbuf_init(&l->stderr_text, PG_LOAD_STDERR_CAP);
	if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
	    (null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot run %s: %s", name, strerror(errno));
		goto fail;
	}
	if (!(env = pgprogram_environment(url))) {
		snprintf(err, errlen, "cannot run %s: out of memory", name);
		goto fail;
	}
	if (spawn_start_fed(argv, NULL, env, true, in_pipe[0], null_fd, err_pipe[1], &l->pid, err,
	                    errlen) < 0) {
		l->pid = -1;
		goto fail;
	}
	close_fd(&in_pipe[0]);
	close_fd(&err_pipe[1]);
	close_fd(&null_fd);
	l->in_fd = in_pipe[1];
	l->err_fd = err_pipe[0];
	fcntl(l->in_fd, F_SETFL, O_NONBLOCK);
	fcntl(l->in_fd, F_SETPIPE_SZ, 1024 * 1024); /* best effort */
	fcntl(l->err_fd, F_SETFL, O_NONBLOCK);
	pgprogram_environment_free(env);
	strbuf_free(&conninfo);
	return l;
fail:
	for (int i = 0; i < 2; i++) {
		close_fd(&in_pipe[i]);
		close_fd(&err_pipe[i]);
	}
	close_fd(&null_fd);
	pgprogram_environment_free(env);
	strbuf_free(&conninfo);
	strbuf_free(&l->stderr_text);
	free(l);
	return NULL;
}

static void read_stderr(struct pg_load *l)
{
	char chunk[2048];
	while (l->err_fd >= 0) {
		ssize_t n = read(l->err_fd, chunk, sizeof(chunk));
		if (n > 0) {
			/* keep the start: the first error is the reason */
			strbuf_append(&l->stderr_text, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN)
			close_fd(&l->err_fd);
		return;
	}
}

/* "psql exited with status 3: ERROR: ..." into err. */
static void describe_exit(struct pg_load *l, char *err, size_t errlen)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s", strbuf_str(&l->stderr_text));
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	/* server messages and object names: data, not terminal input */
	sanitize_text(text, sizeof(text), text);
	redact_text(text, sizeof(text));
	if (!l->reaped)
		snprintf(err, errlen, "%s stopped reading the dump%s%s", l->name, *text ? ": " : "",
		         text);
	else if (WIFEXITED(l->status))
		snprintf(err, errlen, "%s exited with status %d%s%s", l->name,
		         WEXITSTATUS(l->status), *text ? ": " : "", text);
	else if (WIFSIGNALED(l->status))
		snprintf(err, errlen, "%s was killed by signal %d%s%s", l->name,
		         WTERMSIG(l->status), *text ? ": " : "", text);
	else
		snprintf(err, errlen, "%s failed", l->name);
}

static int reap(struct pg_load *l, int64_t timeout_ms)
{
	int64_t deadline = clock_monotonic_ms() + timeout_ms;
	while (!l->reaped) {
		pid_t r = waitpid(l->pid, &l->status, timeout_ms < 0 ? 0 : WNOHANG);
		if (r == l->pid) {
			l->reaped = true;
			break;
		}
		if (r < 0 && errno != EINTR)
			return -1;
		if (timeout_ms >= 0) {
			if (clock_monotonic_ms() >= deadline)
				return -1;
			usleep(20000);
		}
	}
	return 0;
}

int pg_load_write(struct pg_load *l, const void *data, size_t len, char *err, size_t errlen)
{
	const unsigned char *p = data;
	while (len > 0) {
		ssize_t n = write(l->in_fd, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (cancelled(l)) {
				snprintf(err, errlen, "cancelled");
				return -1;
			}
			struct pollfd fds[2] = {{.fd = l->in_fd, .events = POLLOUT},
			                        {.fd = l->err_fd, .events = POLLIN}};
			if (poll(fds, l->err_fd >= 0 ? 2 : 1, 1000) < 0 && errno != EINTR) {
				snprintf(err, errlen, "feeding %s: %s", l->name, strerror(errno));
				return -1;
			}
			if (l->err_fd >= 0 && fds[1].revents)
				read_stderr(l);
			continue;
		}
		/* EPIPE: it stopped reading; its exit status and stderr say why */
		close_fd(&l->in_fd);
		if (l->err_fd >= 0) {
			fcntl(l->err_fd, F_SETFL, 0);
			read_stderr(l);
		}
		reap(l, 5000);
		describe_exit(l, err, errlen);
		return -1;
	}
	if (l->err_fd >= 0)
		read_stderr(l);
	return 0;
}

int pg_load_finish(struct pg_load *l, char *err, size_t errlen)
{
	close_fd(&l->in_fd);
	/* it commits and exits; a cancel meanwhile stops the wait (and
	 * pg_load_free the loader, before it commits) */
	while (!l->reaped) {
		if (cancelled(l)) {
			snprintf(err, errlen, "cancelled");
			return -1;
		}
		if (l->err_fd >= 0) {
			struct pollfd fd = {.fd = l->err_fd, .events = POLLIN};
			if (poll(&fd, 1, 100) > 0)
				read_stderr(l);
		}
		reap(l, l->err_fd >= 0 ? 0 : 100);
	}
	while (l->err_fd >= 0)
		read_stderr(l);
	if (WIFEXITED(l->status) && WEXITSTATUS(l->status) == 0)
		return 0;
	describe_exit(l, err, errlen);
	return -1;
}

void pg_load_free(struct pg_load *l)
{
	if (!l)
		return;
	close_fd(&l->in_fd);
	close_fd(&l->err_fd);
	if (l->pid > 0 && !l->reaped) {
		kill(-l->pid, SIGTERM);
		if (reap(l, 2000) != 0) {
			kill(-l->pid, SIGKILL);
			reap(l, -1);
		}
	}
	strbuf_free(&l->stderr_text);
	free(l);
}
