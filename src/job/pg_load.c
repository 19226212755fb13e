/* pg_load.c - psql or pg_restore fed through a pipe (see pg_load.h). */
#include "job/pg_load.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "job/pgchild.h"
#include "job/pgprogram.h"
#include "util/spawn.h"
#include "util/strbuf.h"

struct pg_load {
	struct pgchild child;
	int in_fd;
	const atomic_int *cancel;
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
	pgchild_init(&l->child, name, PG_LOAD_STDERR_CAP);
	l->cancel = cancel;
	l->in_fd = -1;
	if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0 ||
	    (null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot run %s: %s", name, strerror(errno));
		goto fail;
	}
	if (!(env = pgprogram_environment(url))) {
		snprintf(err, errlen, "cannot run %s: out of memory", name);
		goto fail;
	}
	if (spawn_start_fed(argv, NULL, env, true, in_pipe[0], null_fd, err_pipe[1], &l->child.pid,
	                    err, errlen) < 0) {
		l->child.pid = -1;
		goto fail;
	}
	close_fd(&in_pipe[0]);
	close_fd(&err_pipe[1]);
	close_fd(&null_fd);
	l->in_fd = in_pipe[1];
	l->child.err_fd = err_pipe[0];
	fcntl(l->in_fd, F_SETFL, O_NONBLOCK);
	fcntl(l->in_fd, F_SETPIPE_SZ, 1024 * 1024); /* best effort */
	fcntl(l->child.err_fd, F_SETFL, O_NONBLOCK);
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
	pgchild_stop(&l->child);
	free(l);
	return NULL;
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
			                        {.fd = l->child.err_fd, .events = POLLIN}};
			if (poll(fds, l->child.err_fd >= 0 ? 2 : 1, 1000) < 0 && errno != EINTR) {
				snprintf(err, errlen, "feeding %s: %s", l->child.name,
				         strerror(errno));
				return -1;
			}
			if (l->child.err_fd >= 0 && fds[1].revents)
				pgchild_read_stderr(&l->child);
			continue;
		}
		/* EPIPE: it stopped reading; its exit status and stderr say why */
		close_fd(&l->in_fd);
		pgchild_drain_stderr(&l->child);
		pgchild_reap(&l->child, 5000);
		pgchild_describe(&l->child, err, errlen);
		return -1;
	}
	pgchild_read_stderr(&l->child);
	return 0;
}

int pg_load_finish(struct pg_load *l, char *err, size_t errlen)
{
	close_fd(&l->in_fd);
	/* it commits and exits; a cancel meanwhile stops the wait (and
	 * pg_load_free the loader, before it commits) */
	while (!l->child.reaped) {
		if (cancelled(l)) {
			snprintf(err, errlen, "cancelled");
			return -1;
		}
		if (l->child.err_fd >= 0) {
			struct pollfd fd = {.fd = l->child.err_fd, .events = POLLIN};
			if (poll(&fd, 1, 100) > 0)
				pgchild_read_stderr(&l->child);
		}
		pgchild_reap(&l->child, l->child.err_fd >= 0 ? 0 : 100);
	}
	pgchild_drain_stderr(&l->child);
	if (pgchild_succeeded(&l->child))
		return 0;
	pgchild_describe(&l->child, err, errlen);
	return -1;
}

void pg_load_free(struct pg_load *l)
{
	if (!l)
		return;
	close_fd(&l->in_fd);
	pgchild_stop(&l->child);
	free(l);
}
