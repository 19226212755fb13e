/* audit.c - append-only JSON lines of every action (see audit.h).
 *
 * A record is built with json-c, redacted field by field, and written with
 * one write(2) on a descriptor opened O_APPEND: the kernel appends the whole
 * line atomically with respect to other appenders, so two opsdeck processes
 * never interleave. The file is opened per record (no descriptor kept open
 * across a fork, none to reopen after logrotate).
 */
#include "job/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "config/paths.h"
#include "model/redact.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/file.h"
#include "util/text.h"
#include "util/xalloc.h"

/* A field's text as it goes into the log: one line, no terminal controls,
 * no URL password, no registered secret. */
static json_object *audit_string(const char *text, size_t cap)
{
	char *clean = xmalloc(cap);
	char *masked = xmalloc(cap);
	sanitize_text(clean, cap, text);
	url_redact(masked, cap, clean);
	redact_text(masked, cap);
	json_object *o = json_object_new_string(masked);
	free(clean);
	free(masked);
	return o;
}

static void audit_add_string(json_object *obj, const char *key, const char *text, size_t cap)
{
	json_object_object_add(obj, key, text ? audit_string(text, cap) : NULL);
}

/* SUDO_USER (the person behind sudo), else the login name, else the name of
 * the real uid, else the uid as text. */
static void audit_user(char *dst, size_t size)
{
	const char *sudo = getenv("SUDO_USER");
	if (sudo && sudo[0]) {
		text_copy(dst, sudo, size);
		return;
	}
	if (getlogin_r(dst, size) == 0 && dst[0])
		return;
	struct passwd pw, *found = NULL;
	char buf[1024];
	if (getpwuid_r(getuid(), &pw, buf, sizeof(buf), &found) == 0 && found) {
		text_copy(dst, found->pw_name, size);
		return;
	}
	snprintf(dst, size, "%u", (unsigned)getuid());
}

/* The first field of SSH_CONNECTION ("client_ip client_port server_ip
 * server_port"), or "" when not over SSH. */
static void audit_ssh_client(char *dst, size_t size)
{
	const char *conn = getenv("SSH_CONNECTION");
	dst[0] = '\0';
	if (!conn)
		return;
	size_t n = strcspn(conn, " ");
	if (n >= size)
		n = size - 1;
	memcpy(dst, conn, n);
	dst[n] = '\0';
}

void audit_new_id(char id[AUDIT_ID_SIZE])
{
	unsigned char b[16];
	size_t got = 0;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		while (got < sizeof(b)) {
			ssize_t n = read(fd, b + got, sizeof(b) - got);
			if (n <= 0 && errno != EINTR)
				break;
			if (n > 0)
				got += (size_t)n;
		}
		/* A read-only descriptor: a failing close loses nothing. */
		(void)close(fd);
	}
	if (got < sizeof(b)) {
		/* No /dev/urandom: unique enough from time and pid. */
		uint64_t seed = (uint64_t)clock_monotonic_us() ^ ((uint64_t)getpid() << 32) ^
		                (uint64_t)clock_wall_ms();
		for (size_t i = 0; i < sizeof(b); i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			b[i] = (unsigned char)(seed >> 56);
		}
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10 */
	snprintf(id, AUDIT_ID_SIZE,
	         "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
	         b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
	         b[15]);
}

/* Creates the log's directory (0700) when it is missing: with its parents
 * for the default location (config/paths.h), otherwise only when its parent
 * exists, so that a mistyped audit_log is an error and not a new tree. */
static int audit_make_dir(const char *path, char *err, size_t errlen)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	int rc = 0;
	if (slash && slash != dir) {
		*slash = '\0';
		char *default_log = paths_default_audit_log();
		bool is_default = default_log && strcmp(default_log, path) == 0;
		free(default_log);
		char why[512];
		if (file_make_dir(dir, is_default, why, sizeof(why)) < 0) {
			if (errno == ENOENT)
				snprintf(
				    err, errlen,
				    "cannot create the directory of the audit log %s ([recovery] "
				    "audit_log): %s does not exist",
				    path, dir);
			else
				snprintf(err, errlen, "audit log %s ([recovery] audit_log): %s",
				         path, why);
			rc = -1;
		}
	}
	free(dir);
	return rc;
}

/* A log that is not a regular file, or that group or others may read or
 * write: -1 with why (naming the file and its mode) in err. Such a log is
 * refused, not tightened: someone made it so, and records of who did what
 * must not leak or be forged. */
static int audit_mode_problem(const char *path, const struct stat *st, char *err, size_t errlen)
{
	if (!S_ISREG(st->st_mode)) {
		snprintf(err, errlen, "the audit log %s is not a regular file", path);
		return -1;
	}
	if (st->st_mode & 077) {
		snprintf(err, errlen,
		         "the audit log %s has mode %04o: group or others may read or change it "
		         "(chmod 600 %s)",
		         path, (unsigned)(st->st_mode & 07777), path);
		return -1;
	}
	return 0;
}

/* Opens the log for appending, creating it 0600 (and its directory 0700);
 * see audit_mode_problem for the logs it refuses. Returns the descriptor,
 * or -1 with the reason in err. */
static int audit_open(const char *path, char *err, size_t errlen)
{
	const int flags = O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW;
	int fd = open(path, flags, 0600);
	if (fd < 0 && errno == ENOENT) {
		if (audit_make_dir(path, err, errlen) < 0)
			return -1;
		fd = open(path, flags, 0600);
	}
	if (fd < 0) {
		snprintf(err, errlen, "cannot open the audit log %s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot stat the audit log %s: %s", path, strerror(errno));
		(void)close(fd);
		return -1;
	}
	if (audit_mode_problem(path, &st, err, errlen) < 0) {
		(void)close(fd); /* opened only to be refused: nothing written */
		return -1;
	}
	return fd;
}

int audit_inspect(const char *path, char *problem, size_t len)
{
	struct stat st;
	problem[0] = '\0';
	if (!path || !path[0]) {
		snprintf(problem, len, "no audit log configured ([recovery] audit_log)");
		return -1;
	}
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0; /* the first record creates it */
		snprintf(problem, len, "cannot stat the audit log %s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(problem, len, "the audit log %s is a symbolic link", path);
		return -1;
	}
	if (audit_mode_problem(path, &st, problem, len) < 0)
		return -1;
	if (access(path, W_OK) != 0) {
		snprintf(problem, len, "cannot write the audit log %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Appends one whole line with a single write(2). A short write (a full
 * disk, a file size limit) is taken back with ftruncate, so that no torn
 * line is left for the next record to be glued to — unless another process
 * appended after it, whose record must not be cut. Returns 0 or -1. */
static int audit_append(int fd, const char *path, const char *line, size_t len, char *err,
                        size_t errlen)
{
	ssize_t n;
	do
		n = write(fd, line, len);
	while (n < 0 && errno == EINTR);
	if (n >= 0 && (size_t)n == len)
		return 0;
	int saved = errno;
	if (n > 0) {
		off_t end = lseek(fd, 0, SEEK_CUR);
		struct stat st;
		if (end >= n && fstat(fd, &st) == 0 && st.st_size == end)
			(void)ftruncate(fd, end - n);
		snprintf(err, errlen, "cannot write the audit log %s: short write (disk full?)",
		         path);
	} else {
		snprintf(err, errlen, "cannot write the audit log %s: %s", path,
		         n < 0 ? strerror(saved) : "nothing written");
	}
	return -1;
}

int audit_write(const char *path, const struct audit_record *r, char *err, size_t errlen)
{
	int rc = -1, fd = -1;
	json_object *obj = NULL;
	char *line = NULL;

	if (!path || !path[0]) {
		snprintf(err, errlen, "no audit log configured ([recovery] audit_log)");
		goto done;
	}
	char now[32], user[256], ssh[128], host[256];
	clock_format_iso8601(now, sizeof(now), clock_wall_ms());
	audit_user(user, sizeof(user));
	audit_ssh_client(ssh, sizeof(ssh));
	if (gethostname(host, sizeof(host)) != 0)
		text_copy(host, "unknown", sizeof(host));
	host[sizeof(host) - 1] = '\0';

	obj = json_object_new_object();
	json_object_object_add(obj, "time", json_object_new_string(now));
	audit_add_string(obj, "user", user, sizeof(user));
	json_object_object_add(obj, "uid", json_object_new_int64((int64_t)getuid()));
	audit_add_string(obj, "ssh_client", ssh[0] ? ssh : NULL, sizeof(ssh));
	audit_add_string(obj, "host", host, sizeof(host));
	audit_add_string(obj, "action", r->action ? r->action : "", 128);
	audit_add_string(obj, "target", r->target, 1024);
	audit_add_string(obj, "arguments", r->arguments, 2048);
	json_object_object_add(obj, "dry_run", json_object_new_boolean(r->dry_run));
	audit_add_string(obj, "phase", r->phase ? r->phase : "", 32);
	audit_add_string(obj, "result", r->result, 64);
	audit_add_string(obj, "detail", r->detail, 2048);
	json_object_object_add(obj, "duration_ms",
	                       r->duration_ms >= 0 ? json_object_new_int64(r->duration_ms) : NULL);
	audit_add_string(obj, "id", r->id ? r->id : "", AUDIT_ID_SIZE);
	if (r->left_behind)
		audit_add_string(obj, "left_behind", r->left_behind, 1024);

	const char *json = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
	                                                           JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(json);
	line = malloc(len + 2);
	if (!line) {
		snprintf(err, errlen, "audit log %s: out of memory", path);
		goto done;
	}
	memcpy(line, json, len);
	line[len++] = '\n';
	line[len] = '\0';

	fd = audit_open(path, err, errlen);
	if (fd < 0)
		goto done;
	if (audit_append(fd, path, line, len, err, errlen) < 0)
		goto done;
	rc = 0;
done:
	if (fd >= 0 && close(fd) != 0 && rc == 0) {
		snprintf(err, errlen, "cannot write the audit log %s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	json_object_put(obj);
	return rc;
}

/* One line of the log: its left_behind key into keys[*n] when it is a
 * backup outcome on target that names one not listed yet. */
static void left_behind_take(const char *line, const char *target, char (*keys)[512], size_t max,
                             size_t *n)
{
	json_object *o = json_tokener_parse(line);
	json_object *key = NULL, *tgt = NULL;
	if (o && json_object_object_get_ex(o, "left_behind", &key) &&
	    json_object_is_type(key, json_type_string) &&
	    json_object_object_get_ex(o, "target", &tgt) &&
	    json_object_is_type(tgt, json_type_string) &&
	    strcmp(json_object_get_string(tgt), target) == 0) {
		char clean[512];
		sanitize_text(clean, sizeof(clean), json_object_get_string(key));
		bool seen = false;
		for (size_t i = 0; i < *n && !seen; i++)
			seen = strcmp(keys[i], clean) == 0;
		if (!seen && *n < max)
			text_copy(keys[(*n)++], clean, sizeof(keys[0]));
	}
	json_object_put(o);
}

size_t audit_left_behind(const char *path, const char *target, char (*keys)[512], size_t max)
{
	size_t n = 0;
	char *buf = NULL;
	if (!path || !*path || !target || max == 0)
		return 0;
	char redacted[1024];
	url_redact(redacted, sizeof(redacted), target); /* as audit_write stores it */
	target = redacted;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	off_t end = lseek(fd, 0, SEEK_END);
	off_t start = end > AUDIT_TAIL_BYTES ? end - AUDIT_TAIL_BYTES : 0;
	buf = malloc(AUDIT_TAIL_BYTES + 1);
	if (end < 0 || !buf || lseek(fd, start, SEEK_SET) < 0)
		goto done;
	size_t len = 0;
	while (len < AUDIT_TAIL_BYTES) {
		ssize_t got = read(fd, buf + len, AUDIT_TAIL_BYTES - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	buf[len] = '\0';
	/* newest first: the lines from the end; a line cut by the tail's start
	 * does not parse and is skipped */
	char *stop = buf + len;
	while (stop > buf) {
		char *line = stop - 1;
		while (line > buf && line[-1] != '\n')
			line--;
		*stop = '\0';
		if (strstr(line, "\"left_behind\""))
			left_behind_take(line, target, keys, max, &n);
		stop = line > buf ? line - 1 : buf;
	}
done:
	free(buf);
	(void)close(fd); /* read only: nothing is lost */
	return n;
}

int audit_write_phase(const char *path, const struct audit_record *run, const char *result,
                      const char *detail, int64_t duration_ms, char *err, size_t errlen)
{
	struct audit_record rec = *run;
	rec.phase = result ? "outcome" : "attempt";
	rec.result = result;
	rec.detail = detail;
	rec.duration_ms = result ? duration_ms : -1;
	if (rec.left_behind && !*rec.left_behind)
		rec.left_behind = NULL;
	return audit_write(path, &rec, err, errlen);
}

int audit_write_outcome(const char *path, const struct audit_record *run, const char *result,
                        int64_t duration_ms, char *message, size_t size)
{
	char why[512];
	if (audit_write_phase(path, run, result, message, duration_ms, why, sizeof(why)) == 0)
		return 0;
	size_t len = strlen(message);
	snprintf(message + len, size - len, "; the audit log was not written: %s", why);
	return -1;
}

int audit_write_not_run(const char *path, const struct audit_record *run, const char *result,
                        const char *detail, char *err, size_t errlen)
{
	if (audit_write_phase(path, run, NULL, run->detail, -1, err, errlen) != 0)
		return -1;
	return audit_write_phase(path, run, result, detail, 0, err, errlen);
}
