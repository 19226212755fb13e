/* test_audit.c - audit records: fields, redaction, one line each, mode 0600,
 * and refusal when the log cannot be written. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "model/redact.h"
#include "job/audit.h"

struct fixture {
	char dir[64];
	char path[128];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_audit.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/audit.jsonl", f->dir);
	*state = f;
	redact_clear();
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	unlink(f->path);
	rmdir(f->dir);
	free(f);
	redact_clear();
	return 0;
}

/* Reads the file's lines; returns how many, each parsed into objs. */
static int read_records(const char *path, json_object **objs, int max)
{
	FILE *fp = fopen(path, "r");
	assert_non_null(fp);
	char line[8192];
	int n = 0;
	while (n < max && fgets(line, sizeof(line), fp)) {
		assert_non_null(strchr(line, '\n'));
		objs[n] = json_tokener_parse(line);
		assert_non_null(objs[n]);
		n++;
	}
	fclose(fp);
	return n;
}

static const char *field(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

static void test_new_id_is_uuid_v4(void **state)
{
	(void)state;
	char a[AUDIT_ID_SIZE], b[AUDIT_ID_SIZE];
	audit_new_id(a);
	audit_new_id(b);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[8], '-');
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
	assert_string_not_equal(a, b);
}

static void test_attempt_and_outcome(void **state)
{
	struct fixture *f = *state;
	char id[AUDIT_ID_SIZE], err[256];
	audit_new_id(id);
	setenv("SUDO_USER", "alice", 1);
	setenv("SSH_CONNECTION", "203.0.113.7 52044 10.0.0.2 22", 1);
	struct audit_record attempt = {
	    .id = id,
	    .phase = "attempt",
	    .action = "clear-cache",
	    .target = "redis://app:pw12345@127.0.0.1:6379/0",
	    .arguments = "prefix=cache:",
	    .dry_run = false,
	    .result = NULL,
	    .detail = NULL,
	    .duration_ms = -1,
	};
	assert_int_equal(audit_write(f->path, &attempt, err, sizeof(err)), 0);
	struct audit_record outcome = attempt;
	outcome.phase = "outcome";
	outcome.result = "ok";
	outcome.detail = "removed 27 keys\nsecond line";
	outcome.duration_ms = 12;
	assert_int_equal(audit_write(f->path, &outcome, err, sizeof(err)), 0);
	unsetenv("SUDO_USER");
	unsetenv("SSH_CONNECTION");

	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	json_object *recs[4];
	assert_int_equal(read_records(f->path, recs, 4), 2);
	assert_string_equal(field(recs[0], "phase"), "attempt");
	assert_string_equal(field(recs[0], "id"), id);
	assert_string_equal(field(recs[1], "id"), id);
	assert_string_equal(field(recs[0], "user"), "alice");
	assert_string_equal(field(recs[0], "ssh_client"), "203.0.113.7");
	assert_string_equal(field(recs[0], "action"), "clear-cache");
	assert_string_equal(field(recs[0], "target"), "redis://app:***@127.0.0.1:6379/0");
	assert_string_equal(field(recs[0], "arguments"), "prefix=cache:");
	assert_null(field(recs[0], "result"));
	assert_null(field(recs[0], "duration_ms"));
	assert_string_equal(field(recs[0], "dry_run"), "false");
	assert_non_null(field(recs[0], "time"));
	assert_non_null(field(recs[0], "host"));
	assert_non_null(field(recs[0], "uid"));
	assert_string_equal(field(recs[1], "result"), "ok");
	assert_string_equal(field(recs[1], "detail"), "removed 27 keys second line");
	assert_string_equal(field(recs[1], "duration_ms"), "12");
	json_object_put(recs[0]);
	json_object_put(recs[1]);
}

static void test_registered_secret_redacted(void **state)
{
	struct fixture *f = *state;
	char err[256];
	redact_register("sekrit-token");
	struct audit_record r = {
	    .id = "x",
	    .phase = "attempt",
	    .action = "restart-app",
	    .target = "app",
	    .arguments = "deploy --token sekrit-token",
	    .duration_ms = -1,
	};
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	json_object *recs[1];
	assert_int_equal(read_records(f->path, recs, 1), 1);
	assert_string_equal(field(recs[0], "arguments"), "deploy --token ***");
	json_object_put(recs[0]);
}

static void test_unwritable_refused(void **state)
{
	struct fixture *f = *state;
	char err[256], path[256];
	struct audit_record r = {.id = "x", .phase = "attempt", .action = "a", .duration_ms = -1};
	/* A configured log whose directory's parent is missing: one clear error
	 * naming the key and the path, and nothing created. */
	snprintf(path, sizeof(path), "%s/missing/deeper/audit.jsonl", f->dir);
	assert_int_equal(audit_write(path, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "[recovery] audit_log"));
	snprintf(path, sizeof(path), "%s/missing", f->dir);
	assert_int_equal(access(path, F_OK), -1);
	/* a directory */
	assert_int_equal(audit_write(f->dir, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, f->dir));
	assert_int_equal(audit_write("", &r, err, sizeof(err)), -1);
}

/* A run's phases from one description: the attempt and the outcome of a
 * run that never started carry its id and arguments; an outcome that
 * cannot be written is said in the message and fails. */
static void test_phases(void **state)
{
	struct fixture *f = *state;
	char err[256], message[256] = "restore refused";
	struct audit_record run = {.id = "r1",
	                           .action = "restore-db",
	                           .target = "file:///b",
	                           .arguments = "k into d",
	                           .detail = "the plan",
	                           .left_behind = ""};
	assert_int_equal(
	    audit_write_not_run(f->path, &run, "declined", "not confirmed", err, sizeof(err)), 0);
	assert_int_equal(audit_write_outcome(f->path, &run, "ok", 42, message, sizeof(message)), 0);
	json_object *o[4];
	assert_int_equal(read_records(f->path, o, 4), 3);
	assert_string_equal(field(o[0], "phase"), "attempt");
	assert_string_equal(field(o[0], "detail"), "the plan");
	assert_null(field(o[0], "result"));
	assert_null(field(o[0], "duration_ms"));
	assert_string_equal(field(o[1], "phase"), "outcome");
	assert_string_equal(field(o[1], "result"), "declined");
	assert_string_equal(field(o[1], "detail"), "not confirmed");
	assert_string_equal(field(o[1], "duration_ms"), "0");
	assert_string_equal(field(o[2], "result"), "ok");
	assert_string_equal(field(o[2], "detail"), "restore refused");
	assert_string_equal(field(o[2], "duration_ms"), "42");
	for (int i = 0; i < 3; i++) {
		assert_string_equal(field(o[i], "id"), "r1");
		assert_string_equal(field(o[i], "arguments"), "k into d");
		assert_null(field(o[i], "left_behind")); /* "" is none */
		json_object_put(o[i]);
	}
	assert_int_equal(audit_write_outcome(f->dir, &run, "ok", 1, message, sizeof(message)), -1);
	assert_non_null(strstr(message, "restore refused; the audit log was not written: "));
	assert_non_null(strstr(message, f->dir));
}

static void record_attempt(struct audit_record *r)
{
	memset(r, 0, sizeof(*r));
	r->id = "0123";
	r->phase = "attempt";
	r->action = "clear-cache";
	r->target = "redis";
	r->duration_ms = -1;
}

/* A missing directory whose parent exists is created 0700, whatever the
 * umask; the log in it 0600. */
static void test_missing_dir_created(void **state)
{
	struct fixture *f = *state;
	char err[256], dir[256], path[300];
	struct audit_record r;
	record_attempt(&r);
	snprintf(dir, sizeof(dir), "%s/logs", f->dir);
	snprintf(path, sizeof(path), "%s/audit.jsonl", dir);
	mode_t old = umask(0);
	int rc = audit_write(path, &r, err, sizeof(err));
	umask(old);
	assert_int_equal(rc, 0);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	unlink(path);
	rmdir(dir);
}

/* A log others may read is refused and left as it is, not tightened. */
static void test_loose_mode_refused(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct audit_record r;
	record_attempt(&r);
	FILE *fp = fopen(f->path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(chmod(f->path, 0644), 0);
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "0644"));
	assert_non_null(strstr(err, "chmod 600"));
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(st.st_size, 0);
}

/* audit_write under a file size limit of `limit` bytes (as a full disk
 * would cut it: SIGXFSZ ignored, so the write fails or comes back short). */
static int write_with_size_limit(const char *path, const struct audit_record *r, off_t limit,
                                 char *err, size_t errlen)
{
	struct rlimit old, small;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = (rlim_t)limit;
	void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	int rc = audit_write(path, r, err, errlen);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, old_handler);
	return rc;
}

/* A short write (here: the file size limit, as a full disk would) is
 * refused and taken back: no torn line is left, and the next record starts
 * on a line of its own. */
static void test_short_write_taken_back(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct audit_record r;
	record_attempt(&r);
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	struct stat before;
	assert_int_equal(stat(f->path, &before), 0);

	int rc = write_with_size_limit(f->path, &r, before.st_size + 20, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "short write"));
	struct stat after;
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_equal(after.st_size, before.st_size);

	r.phase = "outcome";
	r.result = "ok";
	r.duration_ms = 5;
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	json_object *recs[2];
	assert_int_equal(read_records(f->path, recs, 2), 2);
	assert_string_equal(field(recs[1], "phase"), "outcome");
	json_object_put(recs[0]);
	json_object_put(recs[1]);
}

/* A write that fails outright (no byte fits: EFBIG here, ENOSPC on a full
 * disk) is refused with the file and the reason, and the log is left as it
 * was. */
static void test_write_error_refused(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct audit_record r;
	record_attempt(&r);
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	struct stat before, after;
	assert_int_equal(stat(f->path, &before), 0);
	assert_int_equal(write_with_size_limit(f->path, &r, before.st_size, err, sizeof(err)), -1);
	assert_non_null(strstr(err, f->path));
	assert_non_null(strstr(err, strerror(EFBIG)));
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_equal(after.st_size, before.st_size);
}

/* What is not a regular file (/dev/full, a directory, a symbolic link) is
 * no audit log: audit_write refuses it, audit_inspect reports it. */
static void test_not_a_log_refused(void **state)
{
	struct fixture *f = *state;
	char err[512], link[256];
	struct audit_record r;
	record_attempt(&r);
	assert_int_equal(audit_write("/dev/full", &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/full is not a regular file"));
	assert_int_equal(audit_inspect("/dev/full", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/full is not a regular file"));
	assert_int_equal(audit_inspect(f->dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, f->dir));

	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	snprintf(link, sizeof(link), "%s/link.jsonl", f->dir);
	assert_int_equal(symlink(f->path, link), 0);
	assert_int_equal(audit_inspect(link, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "symbolic link"));
	assert_int_equal(audit_write(link, &r, err, sizeof(err)), -1);
	unlink(link);
}

/* audit_inspect creates and changes nothing: a missing log is fine (the
 * first record creates it), a 0600 one too; one with a looser mode is
 * reported with its name and mode, and keeps that mode. */
static void test_inspect(void **state)
{
	struct fixture *f = *state;
	char problem[512], err[256];
	struct audit_record r;
	record_attempt(&r);
	assert_int_equal(audit_inspect(f->path, problem, sizeof(problem)), 0);
	assert_int_equal(access(f->path, F_OK), -1);
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	assert_int_equal(audit_inspect(f->path, problem, sizeof(problem)), 0);

	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(audit_inspect(f->path, problem, sizeof(problem)), -1);
	assert_non_null(strstr(problem, f->path));
	assert_non_null(strstr(problem, "mode 0640"));
	struct stat st;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);

	assert_int_equal(audit_inspect("", problem, sizeof(problem)), -1);
	assert_non_null(strstr(problem, "[recovery] audit_log"));
}

/* Backup outcomes that name a write left behind: read back newest first,
 * once each, for their target only; other records and junk lines skipped. */
static void test_left_behind(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct audit_record r = {
	    .id = "x",
	    .phase = "outcome",
	    .action = "backup-db",
	    .target = "s3://bucket/shop",
	    .result = "cancelled",
	    .duration_ms = 5,
	};
	char keys[4][512];
	assert_int_equal(audit_left_behind(f->path, "s3://bucket/shop", keys, 4), 0);
	const char *const lefts[] = {"shop_a.sql.gz", NULL, "shop_b.sql.gz", "shop_a.sql.gz"};
	for (size_t i = 0; i < sizeof(lefts) / sizeof(lefts[0]); i++) {
		r.left_behind = lefts[i];
		assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	}
	r.target = "s3://bucket/other";
	r.left_behind = "other_c.sql.gz";
	assert_int_equal(audit_write(f->path, &r, err, sizeof(err)), 0);
	FILE *fp = fopen(f->path, "a");
	assert_non_null(fp);
	fputs("{\"left_behind\": torn\n", fp);
	fclose(fp);

	assert_int_equal(audit_left_behind(f->path, "s3://bucket/shop", keys, 4), 2);
	assert_string_equal(keys[0], "shop_a.sql.gz");
	assert_string_equal(keys[1], "shop_b.sql.gz");
	assert_int_equal(audit_left_behind(f->path, "s3://bucket/shop", keys, 1), 1);
	assert_int_equal(audit_left_behind(f->path, "s3://bucket/other", keys, 4), 1);
	assert_string_equal(keys[0], "other_c.sql.gz");
	assert_int_equal(audit_left_behind(f->path, "file:///nowhere", keys, 4), 0);
	assert_int_equal(audit_left_behind("/nonexistent/audit.jsonl", "s3://bucket/shop", keys, 4),
	                 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_new_id_is_uuid_v4),
	    cmocka_unit_test_setup_teardown(test_attempt_and_outcome, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_registered_secret_redacted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unwritable_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_phases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_dir_created, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_loose_mode_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_write_taken_back, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_error_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_log_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_inspect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_left_behind, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
