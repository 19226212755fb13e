/* test_drill_state.c - the drill state file: a result round-trips through
 * its JSON, a failed drill keeps the last success, a damaged file is
 * reported, and the file sits beside the audit log with mode 0600. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "job/drill_state.h"
#include "util/xalloc.h"

static struct drill_result sample(bool ok, int64_t at_ms)
{
	struct drill_result r;
	memset(&r, 0, sizeof(r));
	r.at_ms = at_ms;
	r.ok = ok;
	snprintf(r.key, sizeof(r.key), "shop_2026-12-04T10-00-00-000Z.sql.gz");
	if (!ok)
		snprintf(r.why, sizeof(r.why), "public.\"User\": 11 rows, the manifest says 12");
	r.rto_ms = 4200;
	r.size_bytes = 5000000000ull;
	r.tables_compared = 7;
	snprintf(r.newest_migration, sizeof(r.newest_migration), "20261101_add_orders");
	return r;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct drill_result r = sample(false, 1764842400123), back;
	r.last_success_ms = 1764000000000;
	char *text = drill_state_to_json(&r);
	char err[256];
	assert_int_equal(drill_state_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_int_equal(back.at_ms, r.at_ms);
	assert_false(back.ok);
	assert_string_equal(back.key, r.key);
	assert_string_equal(back.why, r.why);
	assert_int_equal(back.rto_ms, 4200);
	assert_int_equal(back.size_bytes, 5000000000ull);
	assert_int_equal(back.tables_compared, 7);
	assert_string_equal(back.newest_migration, "20261101_add_orders");
	assert_int_equal(back.last_success_ms, 1764000000000);
	free(text);

	r.tables_compared = DRILL_TABLES_NOT_COMPARED;
	text = drill_state_to_json(&r);
	assert_non_null(strstr(text, "\"tables_compared\": null"));
	assert_int_equal(drill_state_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_int_equal(back.tables_compared, DRILL_TABLES_NOT_COMPARED);
	free(text);
}

static void test_bad_files(void **state)
{
	(void)state;
	struct drill_result r;
	char err[256];
	const char *bad[] = {
	    "",
	    "[]",
	    "{\"drill_state_version\": 2, \"last\": {\"result\": \"ok\"}}",
	    "{\"drill_state_version\": 1}",
	    ("{\"drill_state_version\": 1, \"last\": {\"result\": \"ok\", \"time_ms\": 5}, "
	     "\"last_success_ms\": 5}"),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(drill_state_parse(bad[i], strlen(bad[i]), &r, err, sizeof(err)),
		                 -1);
		assert_true(err[0] != '\0');
	}
	/* text from the file is sanitised before it reaches a terminal */
	const char *hostile = "{\"drill_state_version\": 1, \"last\": {\"result\": \"failed\", "
	                      "\"time_ms\": 5, \"rto_ms\": 1, \"size_bytes\": 1, \"why\": "
	                      "\"a\\u001b[2Jb\"}, \"last_success_ms\": 0}";
	assert_int_equal(drill_state_parse(hostile, strlen(hostile), &r, err, sizeof(err)), 0);
	assert_null(strchr(r.why, '\x1b'));
}

static void test_record_beside_the_audit_log(void **state)
{
	(void)state;
	char dir[] = "/tmp/opsdeck-drill-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct config cfg;
	config_defaults(&cfg);
	char *log = xasprintf("%s/audit.jsonl", dir);
	free(cfg.recovery.audit_log);
	cfg.recovery.audit_log = log;
	free(cfg.backup.target);
	cfg.backup.target = xstrdup("file:///nowhere");
	char *path = drill_state_path(&cfg);
	char *expected = xasprintf("%s/backup-drill.json", dir);
	assert_string_equal(path, expected);

	/* no file yet: known, no drill */
	struct drill_status st;
	drill_state_read(&cfg, &st);
	assert_int_equal(st.check.state, CHECK_OK);
	assert_int_equal(st.last.at_ms, 0);

	char err[256];
	struct drill_result ok = sample(true, 1000000);
	assert_int_equal(drill_state_record(&cfg, &ok, err, sizeof(err)), 0);
	struct drill_result failed = sample(false, 2000000);
	assert_int_equal(drill_state_record(&cfg, &failed, err, sizeof(err)), 0);
	assert_int_equal(failed.last_success_ms, 1000000);
	drill_state_read(&cfg, &st);
	assert_int_equal(st.check.state, CHECK_OK);
	assert_false(st.last.ok);
	assert_int_equal(st.last.at_ms, 2000000);
	assert_int_equal(st.last.last_success_ms, 1000000);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	/* a damaged file is reported, not taken for "no drill" */
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{broken", f);
	fclose(f);
	drill_state_read(&cfg, &st);
	assert_int_equal(st.check.state, CHECK_UNHEALTHY);
	assert_non_null(strstr(st.check.error, "not a drill state file"));

	/* no target: not configured */
	cfg.backup.target[0] = '\0';
	drill_state_read(&cfg, &st);
	assert_int_equal(st.check.state, CHECK_NOT_CONFIGURED);

	unlink(path);
	rmdir(dir);
	free(path);
	free(expected);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_bad_files),
	    cmocka_unit_test(test_record_beside_the_audit_log),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
