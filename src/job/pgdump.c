/* pgdump.c - run pg_dump and stream its output (see pgdump.h). */
#include "job/pgdump.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "model/redact.h"
#include "client/pg_session.h"
#include "job/pgchild.h"
#include "job/pgprogram.h"
#include "util/spawn.h"
#include "util/strbuf.h"

struct pgdump {
	struct pgchild child;
	int out_fd;
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
	pgchild_init(&d->child, "pg_dump", PGDUMP_STDERR_CAP);
	d->out_fd = -1;
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
	if (spawn_start(argv, NULL, env, true, out_pipe[1], err_pipe[1], &d->child.pid, err,
	                errlen) < 0) {
		d->child.pid = -1;
		goto fail;
	}
	close(out_pipe[1]);
	close(err_pipe[1]);
	d->out_fd = out_pipe[0];
	d->child.err_fd = err_pipe[0];
	fcntl(d->out_fd, F_SETFL, O_NONBLOCK);
	/* a deeper pipe: pg_dump keeps writing while we compress (best effort) */
	fcntl(d->out_fd, F_SETPIPE_SZ, 1024 * 1024);
	fcntl(d->child.err_fd, F_SETFL, O_NONBLOCK);
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
	pgchild_stop(&d->child);
	free(d);
	return NULL;
}

ssize_t pgdump_read(struct pgdump *d, void *buf, size_t len, int timeout_ms, char *err,
                    size_t errlen)
{
	for (;;) {
		if (d->out_fd < 0)
			return 0;
		struct pollfd fds[2] = {{.fd = d->out_fd, .events = POLLIN},
		                        {.fd = d->child.err_fd, .events = POLLIN}};
		int rc = poll(fds, d->child.err_fd >= 0 ? 2 : 1, timeout_ms);
		if (rc < 0 && errno == EINTR)
			return PGDUMP_AGAIN;
		if (rc < 0) {
			snprintf(err, errlen, "reading pg_dump: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			return PGDUMP_AGAIN;
		if (d->child.err_fd >= 0 && fds[1].revents)
			pgchild_read_stderr(&d->child);
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

int pgdump_wait(struct pgdump *d, char *err, size_t errlen)
{
	/* the rest of stderr, then the exit status */
	pgchild_drain_stderr(&d->child);
	pgchild_reap(&d->child, -1);
	if (pgchild_succeeded(&d->child))
		return 0;
	pgchild_describe(&d->child, err, errlen);
	return -1;
}

void pgdump_free(struct pgdump *d)
{
	if (!d)
		return;
	if (d->out_fd >= 0)
		close(d->out_fd);
	pgchild_stop(&d->child);
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
