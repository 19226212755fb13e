/* test_config_history.c - the [history] section: its defaults (the state
 * directory's history/, 14 days, 512 MiB, on), sizes such as "2G", and
 * mistakes named with file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/opsdeck-history-conf-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/opsdeck.conf", dir);
	setenv("HOME", dir, 1);
	unsetenv("XDG_STATE_HOME");
	unsetenv("STATE_DIRECTORY");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Writes text as the configuration file and loads it; returns
 * config_load_file's result, err filled. */
static int load(struct config *cfg, const char *text, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return config_load_file(cfg, path, err, errlen);
}

static void test_defaults(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024];
	assert_int_equal(load(&cfg, "[app]\n", err, sizeof(err)), 0);
	assert_true(cfg.history.enabled);
	assert_int_equal(cfg.history.retention_ms, 14LL * 86400 * 1000);
	assert_int_equal(cfg.history.max_size, 512LL << 20);
	char want[256];
	if (geteuid() == 0)
		snprintf(want, sizeof(want), "/var/lib/opsdeck/history");
	else
		snprintf(want, sizeof(want), "%s/.local/state/opsdeck/history", dir);
	assert_string_equal(cfg.history.dir, want);
	config_free(&cfg);
	/* systemd's StateDirectory= comes first */
	setenv("STATE_DIRECTORY", "/var/lib/opsdeck-unit", 1);
	assert_int_equal(load(&cfg, "[app]\n", err, sizeof(err)), 0);
	assert_string_equal(cfg.history.dir, "/var/lib/opsdeck-unit/history");
	config_free(&cfg);
	unsetenv("STATE_DIRECTORY");
}

static void test_values(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024];
	assert_int_equal(load(&cfg,
	                      "[history]\ndir = /srv/history\nretention = 30d\nmax_size = 2G\n"
	                      "enabled = false\n",
	                      err, sizeof(err)),
	                 0);
	assert_string_equal(cfg.history.dir, "/srv/history");
	assert_int_equal(cfg.history.retention_ms, 30LL * 86400 * 1000);
	assert_int_equal(cfg.history.max_size, 2LL << 30);
	assert_false(cfg.history.enabled);
	config_free(&cfg);
}

static void test_mistakes_name_file_and_line(void **state)
{
	(void)state;
	struct config cfg;
	char err[1024], want[1024];
	assert_int_equal(load(&cfg, "[history]\n\nmax_size = lots\n", err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: max_size: 'lots' is not a size (use e.g. 512M, 2G)",
	         path);
	assert_string_equal(err, want);
	assert_int_equal(load(&cfg, "[history]\nmax_size = 10k\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: max_size: 10k is out of range"));
	assert_int_equal(load(&cfg, "[history]\nretention = 1s\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: retention: 1s is too short"));
	assert_int_equal(load(&cfg, "[history]\nretension = 1d\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "did you mean 'retention'?"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_values, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mistakes_name_file_and_line, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
