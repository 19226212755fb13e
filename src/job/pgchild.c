/* pgchild.c - a PostgreSQL client program as a child (see pgchild.h). */
#include "job/pgchild.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "model/redact.h"
#include "util/clock.h"
#include "util/sanitize.h"

#define PGCHILD_STOP_MS 2000

void pgchild_init(struct pgchild *c, const char *name, size_t stderr_cap)
{
	c->name = name;
	c->pid = -1;
	c->err_fd = -1;
	c->reaped = false;
	c->status = 0;
	strbuf_init(&c->stderr_text, stderr_cap);
}

static void close_stderr(struct pgchild *c)
{
	if (c->err_fd >= 0)
		close(c->err_fd);
	c->err_fd = -1;
}

void pgchild_read_stderr(struct pgchild *c)
{
	char chunk[2048];
	while (c->err_fd >= 0) {
		ssize_t n = read(c->err_fd, chunk, sizeof(chunk));
		if (n > 0) {
			strbuf_append(&c->stderr_text, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN)
			close_stderr(c);
		return;
	}
}

void pgchild_drain_stderr(struct pgchild *c)
{
	if (c->err_fd < 0)
		return;
	fcntl(c->err_fd, F_SETFL, 0);
	while (c->err_fd >= 0)
		pgchild_read_stderr(c);
}

int pgchild_reap(struct pgchild *c, int64_t timeout_ms)
{
	int64_t deadline = clock_monotonic_ms() + timeout_ms;
	while (!c->reaped && c->pid > 0) {
		pid_t r = waitpid(c->pid, &c->status, timeout_ms < 0 ? 0 : WNOHANG);
		if (r == c->pid) {
			c->reaped = true;
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
	return c->reaped ? 0 : -1;
}

bool pgchild_succeeded(const struct pgchild *c)
{
	return c->reaped && WIFEXITED(c->status) && WEXITSTATUS(c->status) == 0;
}

void pgchild_describe(const struct pgchild *c, char *err, size_t errlen)
{
	char text[1024];
	snprintf(text, sizeof(text), "%s", strbuf_str(&c->stderr_text));
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	/* it relays server messages and object names: data, not terminal
	 * input (newlines become spaces, controls '?') */
	sanitize_text(text, sizeof(text), text);
	redact_text(text, sizeof(text));
	const char *sep = *text ? ": " : "";
	if (!c->reaped)
		snprintf(err, errlen, "%s stopped reading the dump%s%s", c->name, sep, text);
	else if (WIFEXITED(c->status))
		snprintf(err, errlen, "%s exited with status %d%s%s", c->name,
		         WEXITSTATUS(c->status), sep, text);
	else if (WIFSIGNALED(c->status))
		snprintf(err, errlen, "%s was killed by signal %d%s%s", c->name,
		         WTERMSIG(c->status), sep, text);
	else
		snprintf(err, errlen, "%s failed", c->name);
}

void pgchild_stop(struct pgchild *c)
{
	close_stderr(c);
	if (c->pid > 0 && !c->reaped) {
		/* the whole group: the program and anything it started */
		kill(-c->pid, SIGTERM);
		if (pgchild_reap(c, PGCHILD_STOP_MS) != 0) {
			kill(-c->pid, SIGKILL);
			pgchild_reap(c, -1);
		}
	}
	strbuf_free(&c->stderr_text);
}
