/* test_s3_client.c - the S3 client's configuration, addressing and failure
 * paths that need no server (src/s3/client.c, src/s3/request.c); the rest
 * is in tests/integration/s3_client.sh. The retry test only talks to a
 * closed loopback port. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "s3/s3.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

static struct s3_config config(const char *endpoint, const char *bucket, const char *region)
{
	struct s3_config cfg = {.endpoint = endpoint,
	                        .region = region,
	                        .bucket = bucket,
	                        .access_key = "AKIDEXAMPLE",
	                        .secret_key = SECRET};
	return cfg;
}

static void check_url(const char *endpoint, const char *bucket, const char *region, const char *key,
                      const char *expect)
{
	char err[256];
	struct s3_config cfg = config(endpoint, bucket, region);
	struct s3_client *c = s3_client_new(&cfg, err, sizeof(err));
	assert_non_null(c);
	char *url = s3_object_url(c, key);
	assert_string_equal(url, expect);
	free(url);
	s3_client_free(c);
}

static void test_addressing(void **state)
{
	(void)state;
	/* AWS: virtual-host style */
	check_url(NULL, "shop-backups", "eu-west-1", "db/x y.sql.gz",
	          "https://shop-backups.s3.eu-west-1.amazonaws.com/db/x%20y.sql.gz");
	check_url("", "shop-backups", "", "k", "https://shop-backups.s3.us-east-1.amazonaws.com/k");
	/* a dotted bucket: path style on the regional host */
	check_url(NULL, "my.backups", "eu-west-1", "k+1",
	          "https://s3.eu-west-1.amazonaws.com/my.backups/k%2B1");
	/* an endpoint: path style */
	check_url("http://127.0.0.1:9000", "shop", "us-east-1", "a/b&c",
	          "http://127.0.0.1:9000/shop/a/b%26c");
	check_url("https://minio.example.com:443/", "shop", "us-east-1", "k",
	          "https://minio.example.com/shop/k");
}

static void check_config_error(struct s3_config cfg, const char *want)
{
	char err[256] = "";
	struct s3_client *c = s3_client_new(&cfg, err, sizeof(err));
	assert_null(c);
	assert_non_null(strstr(err, want));
	assert_null(strstr(err, SECRET));
}

static void test_bad_configs(void **state)
{
	(void)state;
	check_config_error(config(NULL, "Bad_Bucket", "us-east-1"), "bucket");
	check_config_error(config(NULL, NULL, "us-east-1"), "bucket");
	check_config_error(config("127.0.0.1:9000", "shop", "us-east-1"), "http://");
	check_config_error(config("http://u:" SECRET "@h", "shop", "us-east-1"), "password");
	check_config_error(config(NULL, "shop", "us east"), "region");
	struct s3_config no_secret = config(NULL, "shop", NULL);
	no_secret.secret_key = "";
	check_config_error(no_secret, "credentials");
	s3_client_free(NULL);
	s3_multipart_free(NULL);
	s3_objects_free(NULL, 0);
}

static int lines_logged;

static void count_line(void *ctx, const char *line)
{
	(void)ctx;
	assert_null(strstr(line, SECRET));
	assert_non_null(strstr(line, "retry 1 of 1"));
	lines_logged++;
}

static void test_unreachable_is_retried_then_reported(void **state)
{
	(void)state;
	char err[512];
	struct s3_config cfg = config("http://127.0.0.1:1", "shop", "us-east-1");
	cfg.max_attempts = 2;
	cfg.timeout_ms = 2000;
	struct s3_client *c = s3_client_new(&cfg, err, sizeof(err));
	assert_non_null(c);
	s3_client_set_log(c, count_line, NULL);
	lines_logged = 0;
	assert_int_equal(s3_put_object(c, "k", "data", 4, NULL, err, sizeof(err)), -1);
	assert_int_equal(lines_logged, 1);
	assert_non_null(strstr(err, "PUT shop/k: "));
	assert_non_null(strstr(err, "(after 2 attempts)"));
	assert_null(strstr(err, SECRET));
	assert_null(strchr(err, '\n'));
	s3_client_free(c);
}

static void test_cancelled_calls_stop(void **state)
{
	(void)state;
	char err[512];
	struct s3_config cfg = config("http://127.0.0.1:1", "shop", "us-east-1");
	struct s3_client *c = s3_client_new(&cfg, err, sizeof(err));
	atomic_int cancel = 1;
	s3_client_set_cancel(c, &cancel);
	assert_int_equal(s3_delete_object(c, "k", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cancelled"));
	s3_client_free(c);
}

static void test_bad_keys(void **state)
{
	(void)state;
	char err[256];
	struct s3_config cfg = config("http://127.0.0.1:1", "shop", "us-east-1");
	struct s3_client *c = s3_client_new(&cfg, err, sizeof(err));
	assert_int_equal(s3_put_object(c, "", "x", 1, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, "empty S3 key");
	char long_key[1100];
	memset(long_key, 'k', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	assert_int_equal(s3_delete_object(c, long_key, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "1024"));
	assert_null(s3_multipart_begin(c, NULL, NULL, err, sizeof(err)));
	s3_client_free(c);
}

static int setup(void **state)
{
	(void)state;
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	curl_global_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_addressing),
	    cmocka_unit_test(test_bad_configs),
	    cmocka_unit_test(test_unreachable_is_retried_then_reported),
	    cmocka_unit_test(test_cancelled_calls_stop),
	    cmocka_unit_test(test_bad_keys),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
