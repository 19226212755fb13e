/* test_url.c - backup target URLs (src/repo/url.c): the configuration,
 * --target and sink_open read a target the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "config/config.h"
#include "repo/sink.h"
#include "repo/url.h"
#include "s3/url.h"

/* config validation and sink_open read backup targets the same way */
static void test_backup_targets(void **state)
{
	(void)state;
	char err[256];
	assert_string_equal(repo_url_file_dir("file://localhost/x"), "/x");
	assert_string_equal(repo_url_file_dir("file:///x"), "/x");
	assert_null(repo_url_file_dir("file://relative/x"));
	assert_null(repo_url_file_dir("s3://bucket"));
	assert_int_equal(repo_url_check("file://localhost/x", err, sizeof(err)), 0);
	assert_int_equal(repo_url_check("file:///x", err, sizeof(err)), 0);
	assert_int_equal(repo_url_check("s3://bucket", err, sizeof(err)), 0);
	assert_int_equal(repo_url_check("s3://bucket/prefix/", err, sizeof(err)), 0);
	assert_int_equal(repo_url_check("file://relative/x", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is not a backup target"));
	assert_int_equal(repo_url_check("s3://Bad_Bucket/x", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "valid S3 bucket"));

	struct s3_target t;
	assert_int_equal(s3_target_parse("s3://bucket/prefix/", &t, err, sizeof(err)), 0);
	assert_string_equal(t.bucket, "bucket");
	assert_string_equal(t.prefix, "prefix/");
	s3_target_free(&t);

	/* --target reaches sink_open without the configuration's check */
	struct config cfg;
	config_defaults(&cfg);
	assert_null(sink_open("s3://Bad_Bucket/x", &cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "valid S3 bucket"));
	assert_null(sink_open("file://relative/x", &cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "is not a backup target"));
	struct sink *sink = sink_open("file://localhost/tmp", &cfg, err, sizeof(err));
	assert_non_null(sink);
	sink_free(sink);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_backup_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
