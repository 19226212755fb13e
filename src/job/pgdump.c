/* pgdump.c - run pg_dump and stream its output (see pgdump.h). */
#include "job/pgdump.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "model/redact.h"
#include "client/pg_session.h"
#include "job/pgprogram.h"
#include "util/clock.h"
#include "util/spawn.h"
#include "util/sanitize.h"
#include "util/strbuf.h"

struct pgdump {
	pid_t pid;
	int out_fd;
	int err_fd;
	bool reaped;
	int status;
	struct strbuf stderr_text;
};

static const char *program(void)
{
	return pgprogram_path("OPSDECK_PG_DUMP", "pg_dump");
}

struct pgdump *pgdump_start(const struct pgurl *url, bool custom, char *err, size_t errlen)
{
	struct strbuf conninfo;
	strbuf_init(&conninfo, 0);
	/* the dump's sessions say who they are */
	pgprogram_conninfo(&conninfo, url, "opsdeck-backup", NULL);
	char *argv[8];
	int argc = 0;
	argv[argc++] = (char *)program();
	argv[argc++] = "--no-password";
	if (custom) {
		argv[argc++] = "--format=custom";
		argv[argc++] = "--compress=0";
	}
	argv[argc++] = "--dbname";
	argv[argc++] = (char *)strbuf_str(&conninfo);
	argv[argc] = NULL;

	struct pgdump *d = calloc(1, sizeof(*d));
	if (!d) {
		snprintf(err, errlen, "cannot run pg_dump: out of memory");
		strbuf_free(&conninfo);
		return NULL;
	}
	d->pid = -1;
	d->out_fd = d->err_fd = -1;
	strbuf_init(&d->stderr_text, PGDUMP_STDERR_CAP);
	int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
	char **env = NULL;
	if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "cannot run pg_dump: %s", strerror(errno));
		goto fail;
	}
	env = pgprogram_environment(url);
	if (!env) {
		snprintf(err, errlen, "cannot run pg_dump: out of memory");
		goto fail;
	}
	/* its own process group: pgdump_free stops pg_dump and anything it started */
	if (spawn_start(argv, NULL, env, true, out_pipe[1], err_pipe[1], &d->pid, err, errlen) <
	    0) {
		d->pid = -1;
		goto fail;
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	d->out_fd = out_pipe[0];
	d->err_fd = err_pipe[0];
	fcntl(d->out_fd, F_SETFL, O_NONBLOCK);
	/* a deeper pipe: pg_dump keeps writing while we compress (best effort) */
	fcntl(d->out_fd, F_SETPIPE_SZ, 1024 * 1024);
	fcntl(d->err_fd, F_SETFL, O_NONBLOCK);
	pgprogram_environment_free(env);
	strbuf_free(&conninfo);
	return d;

fail:
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	pgprogram_environment_free(env);
	strbuf_free(&conninfo);
	strbuf_free(&d->stderr_text);
	free(d);
	return NULL;
}

static void read_stderr(struct pgdump *d)
{
	char chunk[2048];
	for (;;) {
		ssize_t n = read(d->err_fd, chunk, sizeof(chunk));
		if (n > 0) {
			/* keep the start: pg_dump's first error line is the reason */
			strbuf_append(&d->stderr_text, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || errno != EAGAIN) {
			close(d->err_fd);
			d->err_fd = -1;
		}
		return;
	}
}

ssize_t pgdump_read(struct pgdump *d, void *buf, size_t len, int timeout_ms, char *err,
                    size_t errlen)
{
	for (;;) {
		if (d->out_fd < 0)
			return 0;
		struct pollfd fds[2] = {{.fd = d->out_fd, .events = POLLIN},
		                        {.fd = d->err_fd, .events = POLLIN}};
		int rc = poll(fds, d->err_fd >= 0 ? 2 : 1, timeout_ms);
		if (rc < 0 && errno == EINTR)
			return PGDUMP_AGAIN;
		if (rc < 0) {
			snprintf(err, errlen, "reading pg_dump: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			return PGDUMP_AGAIN;
		if (d->err_fd >= 0 && fds[1].revents)
			read_stderr(d);
		if (fds[0].revents) {
			ssize_t n = read(d->out_fd, buf, len);
			if (n > 0)
				return n;
			if (n == 0) {
				close(d->out_fd);
				d->out_fd = -1;
				return 0;
			}
			if (errno != EINTR && errno != EAGAIN) {
				snprintf(err, errlen, "reading pg_dump: %s", strerror(errno));
				return -1;
			}
		}
	}
}

static int reap(struct pgdump *d, int64_t timeout_ms)
{
	int64_t deadline = clock_monotonic_ms() + timeout_ms;
	while (!d->reaped) {
		pid_t r = waitpid(d->pid, &d->status, timeout_ms < 0 ? 0 : WNOHANG);
		if (r == d->pid) {
			d->reaped = true;
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

int pgdump_wait(struct pgdump *d, char *err, size_t errlen)
{
	/* the rest of stderr, then the exit status */
	if (d->err_fd >= 0) {
		fcntl(d->err_fd, F_SETFL, 0);
		while (d->err_fd >= 0)
			read_stderr(d);
	}
	reap(d, -1);
	if (WIFEXITED(d->status) && WEXITSTATUS(d->status) == 0)
		return 0;
	char text[1024];
	snprintf(text, sizeof(text), "%s", strbuf_str(&d->stderr_text));
	/* one line for people: newlines become "; " */
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		text[--n] = '\0';
	/* pg_dump relays server messages and object names: data, not
	 * terminal input. Newlines become spaces, controls '?'. */
	sanitize_text(text, sizeof(text), text);
	redact_text(text, sizeof(text));
	if (WIFEXITED(d->status))
		snprintf(err, errlen, "pg_dump exited with status %d%s%s", WEXITSTATUS(d->status),
		         *text ? ": " : "", text);
	else if (WIFSIGNALED(d->status))
		snprintf(err, errlen, "pg_dump was killed by signal %d%s%s", WTERMSIG(d->status),
		         *text ? ": " : "", text);
	else
		snprintf(err, errlen, "pg_dump failed");
	return -1;
}

void pgdump_free(struct pgdump *d)
{
	if (!d)
		return;
	if (d->out_fd >= 0)
		close(d->out_fd);
	if (d->err_fd >= 0)
		close(d->err_fd);
	if (d->pid > 0 && !d->reaped) {
		/* the whole group: pg_dump and anything it started */
		kill(-d->pid, SIGTERM);
		if (reap(d, 2000) != 0) {
			kill(-d->pid, SIGKILL);
			reap(d, -1);
		}
	}
	strbuf_free(&d->stderr_text);
	free(d);
}

void pgdump_program_version(char *buf, size_t len)
{
	char *argv[] = {(char *)program(), "--version", NULL};
	struct strbuf out;
	strbuf_init(&out, 4096);
	struct spawn_result result;
	char err[256];
	buf[0] = '\0';
	if (spawn_capture(argv, NULL, 10000, NULL, &out, NULL, &result, err, sizeof(err)) == 0 &&
	    result.exit_status == 0) {
		snprintf(buf, len, "%s", strbuf_str(&out));
		char *nl = strchr(buf, '\n');
		if (nl)
			*nl = '\0';
	}
	strbuf_free(&out);
}

int pgdump_server_info(const struct pgurl *url, int64_t timeout_ms, char *version, size_t vlen,
                       uint64_t *db_size, char *err, size_t errlen)
{
	version[0] = '\0';
	*db_size = 0;
	struct pg_session session;
	PGresult *rows = NULL;
	char why[512];
	int rc = -1;
	pg_session_init(&session, url->password ? url->password : "", timeout_ms);
	if (pg_session_connect(&session, url, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "cannot connect to the database: %s", why);
		goto done;
	}
	if (pg_session_query(&session,
	                     "SELECT current_setting('server_version'), "
	                     "pg_database_size(current_database())",
	                     0, NULL, &rows, NULL, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "database: %s", why);
		goto done;
	}
	if (!rows || PQntuples(rows) != 1) {
		snprintf(err, errlen, "database: no server version returned");
		goto done;
	}
	snprintf(version, vlen, "%s", PQgetvalue(rows, 0, 0));
	*db_size = strtoull(PQgetvalue(rows, 0, 1), NULL, 10);
	rc = 0;
done:
	PQclear(rows);
	pg_session_close(&session);
	if (rc != 0)
		redact_text(err, errlen);
	return rc;
}
