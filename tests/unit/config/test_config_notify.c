/* test_config_notify.c - the [notify] section: its defaults, each key's
 * mistakes named with file and line, and webhook URLs kept secret: never
 * in an error, registered for redaction, and a file holding one refused
 * when others can read it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "model/redact.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/opsdeck-notify-conf-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/opsdeck.conf", dir);
	setenv("HOME", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	redact_clear();
	return 0;
}

/* Writes text as the configuration file (mode `mode`) and loads it. */
static int load(struct config *cfg, const char *text, mode_t mode, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
	return config_load_file(cfg, path, err, errlen);
}

static void test_defaults(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024];
	assert_int_equal(load(&cfg, "[app]\n", 0600, err, sizeof(err)), 0);
	assert_string_equal(cfg.notify.webhook_url, "");
	assert_string_equal(cfg.notify.format, "json");
	assert_string_equal(cfg.notify.min_severity, "medium");
	assert_int_equal(cfg.notify.max_per_hour, 30);
	assert_int_equal(cfg.notify.flap_window_ms, 10 * 60 * 1000);
	assert_int_equal(cfg.notify.timeout_ms, 5000);
	config_free(&cfg);
}

static void test_values_and_secret_urls(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024];
	assert_int_equal(load(&cfg,
	                      "[notify]\nwebhook_url = https://hooks.example.org/services/T1/B2/"
	                      "tok3n, http://127.0.0.1:9/hook\nformat = slack\nmin_severity = "
	                      "high\nmax_per_hour = 5\nflap_window = 0\ntimeout = 2s\n",
	                      0600, err, sizeof(err)),
	                 0);
	assert_string_equal(cfg.notify.format, "slack");
	assert_string_equal(cfg.notify.min_severity, "high");
	assert_int_equal(cfg.notify.max_per_hour, 5);
	assert_int_equal(cfg.notify.flap_window_ms, 0);
	assert_int_equal(cfg.notify.timeout_ms, 2000);
	/* each URL, and a long path alone, is masked wherever it appears */
	char text[256] = "posting to https://hooks.example.org/services/T1/B2/tok3n failed; "
	                 "path /services/T1/B2/tok3n";
	redact_text(text, sizeof(text));
	assert_null(strstr(text, "tok3n"));
	config_free(&cfg);
}

static void test_mistakes_name_file_and_line(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024], want[1024];
	assert_int_equal(load(&cfg, "[notify]\n\nformat = xml\n", 0600, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
	         "%s:3: format: 'xml' is not a notification format (use json or slack)", path);
	assert_string_equal(err, want);
	assert_int_equal(load(&cfg, "[notify]\nmin_severity = urgent\n", 0600, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, ":2: min_severity: 'urgent' is not a severity"));
	assert_int_equal(load(&cfg, "[notify]\nmax_per_hour = 0\n", 0600, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: max_per_hour"));
	/* a URL that is not http(s) is named by its place, not shown */
	assert_int_equal(load(&cfg,
	                      "[notify]\nwebhook_url = http://127.0.0.1/a ftp://h/secr3tpath\n",
	                      0600, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, ":2: webhook_url: URL 2 is not an http:// or https:// URL"));
	assert_null(strstr(err, "secr3t"));
	assert_int_equal(load(&cfg,
	                      "[notify]\nwebhook_url = http://a/1 http://a/2 http://a/3 http://a/4 "
	                      "http://a/5 http://a/6 http://a/7 http://a/8 http://a/9\n",
	                      0600, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "9 URLs, at most 8 webhooks"));
}

static void test_readable_file_with_a_webhook_is_refused(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024];
	assert_int_equal(load(&cfg, "[notify]\nwebhook_url = https://hooks.example.org/T/B/x\n",
	                      0644, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "holds a password (line 2)"));
	assert_int_equal(load(&cfg, "[notify]\nformat = slack\n", 0644, err, sizeof(err)), 0);
	config_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values_and_secret_urls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mistakes_name_file_and_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_readable_file_with_a_webhook_is_refused, setup,
	                                    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
