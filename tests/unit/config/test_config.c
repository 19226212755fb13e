/* test_config.c - loading opsdeck's configuration: search order, env_file,
 * expansion, every kind of mistake (with its file:line), defaults, and the
 * rule that refuses a secret-holding file others can read.
 *
 * Each test runs in a fresh temporary directory (also the working
 * directory, for ./.env), with HOME, XDG_CONFIG_HOME and PATH pointing into
 * it and the variables the loader reads cleared.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "config/watch.h"
#include "model/redact.h"

#define SECRET "Hunter2Pw"

static const char *const cleared_variables[] = {
    "DATABASE_URL",          "REDIS_URL",         "AWS_REGION",       "AWS_DEFAULT_REGION",
    "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "PGPASSWORD",       "REDISCLI_AUTH",
    "OPSDECK_TEST_VAR",      "DB_FROM_ENV_FILE",  "OPSDECK_FIXTURES",
};

static char *original_path;

struct fixture {
	char dir[64];
	char cwd[PATH_MAX];
};

static void make_dirs(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(buf, 0700);
			*p = '/';
		}
	}
	mkdir(buf, 0700);
}

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/opsdeck-config-XXXXXX");
	if (!mkdtemp(fx->dir) || !getcwd(fx->cwd, sizeof(fx->cwd)) || chdir(fx->dir) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(cleared_variables) / sizeof(cleared_variables[0]); i++)
		unsetenv(cleared_variables[i]);
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s/xdg", fx->dir);
	setenv("XDG_CONFIG_HOME", buf, 1);
	snprintf(buf, sizeof(buf), "%s/home", fx->dir);
	make_dirs(buf);
	setenv("HOME", buf, 1);
	snprintf(buf, sizeof(buf), "%s/bin", fx->dir);
	make_dirs(buf);
	setenv("PATH", buf, 1); /* no pm2 unless a test puts one there */
	redact_clear();
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	if (chdir(fx->cwd) < 0)
		return -1;
	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	setenv("PATH", original_path, 1);
	redact_clear();
	free(fx);
	return 0;
}

/* Writes `content` to dir/name with exactly `mode`; returns the path in a
 * static buffer (one at a time). */
static const char *write_file(const struct fixture *fx, const char *name, const char *content,
                              mode_t mode)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	char parent[PATH_MAX];
	snprintf(parent, sizeof(parent), "%s", path);
	*strrchr(parent, '/') = '\0';
	make_dirs(parent);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	size_t len = strlen(content);
	assert_int_equal(write(fd, content, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0); /* not subject to the umask */
	assert_int_equal(close(fd), 0);
	return path;
}

static void load_ok(const char *path, struct config *cfg)
{
	char err[1024] = "";
	if (config_load(cfg, path, err, sizeof(err)) != 0)
		fail_msg("config_load(%s) failed: %s", path ? path : "(search)", err);
}

/* Loads a file that must be refused; checks the one-line message and that
 * cfg is left empty. */
static void load_fails(const char *path, const char *expect)
{
	struct config cfg;
	memset(&cfg, 0xAB, sizeof(cfg)); /* garbage in: the loader must not read it */
	char err[1024] = "";
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_string_equal(err, expect);
	assert_null(strchr(err, '\n'));
	assert_null(cfg.path);
	assert_null(cfg.database.url);
	assert_null(cfg.env);
	config_free(&cfg); /* safe on the freed-and-empty config */
}

/* Writes a config file (mode 0600) and expects `message` at `line`. */
static void check_file_error(const struct fixture *fx, const char *text, int line,
                             const char *message)
{
	const char *path = write_file(fx, "opsdeck.conf", text, 0600);
	char expect[1024];
	snprintf(expect, sizeof(expect), "%s:%d: %s", path, line, message);
	char copy[PATH_MAX];
	snprintf(copy, sizeof(copy), "%s", path);
	load_fails(copy, expect);
}

/* ------------------------------------------------------------ defaults */

static void test_defaults_without_any_file(void **state)
{
	(void)state;
	if (access("/etc/opsdeck/opsdeck.conf", F_OK) == 0)
		skip(); /* this machine has a system-wide file, which would be used */
	struct config cfg;
	load_ok(NULL, &cfg);
	assert_string_equal(cfg.path, "");
	assert_string_equal(cfg.app.name, "app");
	assert_string_equal(cfg.app.env_file, "");
	assert_null(cfg.env);
	assert_string_equal(cfg.app.health_url, "http://127.0.0.1:3000/api/health");
	assert_string_equal(cfg.app.version_url, "http://127.0.0.1:3000/api/version");
	assert_string_equal(cfg.app.version_file, "./public/version.json");
	assert_int_equal(cfg.app.timeout_ms, 3000);
	assert_string_equal(cfg.database.url, "");
	assert_string_equal(cfg.database.url_unset_reason, "DATABASE_URL is not set");
	assert_string_equal(cfg.database.request_log, "RequestLog");
	assert_int_equal(cfg.database.window_ms, 3600 * 1000);
	assert_int_equal(cfg.database.slow_query_ms, 1000);
	assert_string_equal(cfg.redis.url, "");
	assert_string_equal(cfg.redis.url_unset_reason, "REDIS_URL is not set");
	assert_string_equal(cfg.redis.cache_prefix, "cache:");
	assert_int_equal(cfg.storage.path_count, 1);
	assert_string_equal(cfg.storage.paths[0], "/");
	assert_true(cfg.storage.max_used_percent == 90.0);
	assert_string_equal(cfg.backup.target, "");
	assert_string_equal(cfg.backup.s3_endpoint, "");
	assert_string_equal(cfg.backup.region, "us-east-1");
	assert_string_equal(cfg.backup.files_source, "");
	assert_int_equal(cfg.backup.files_pattern_count, 1);
	assert_string_equal(cfg.backup.files_patterns[0], "**/*");
	assert_string_equal(cfg.backup.format, "plain");
	assert_string_equal(cfg.backup.compression, "gzip");
	assert_int_equal(cfg.backup.compression_level, 6);
	assert_true(cfg.thresholds.error_rate == 0.05);
	assert_int_equal(cfg.thresholds.avg_response_ms, 1000);
	assert_true(cfg.thresholds.connections_ratio == 0.8);
	assert_int_equal(cfg.thresholds.idle_in_tx_ms, 5 * 60 * 1000);
	assert_string_equal(cfg.recovery.restart_command, ""); /* no pm2 on PATH */
	assert_string_equal(cfg.recovery.audit_log, "/var/log/opsdeck/audit.jsonl");
	assert_false(cfg.recovery.read_only);
	assert_string_equal(cfg.ui.theme, "default");
	assert_int_equal(cfg.ui.interval_ms, 2000);
	config_free(&cfg);
	config_free(&cfg);
}

static void test_config_defaults_is_pure(void **state)
{
	(void)state;
	setenv("DATABASE_URL", "postgres://h/db", 1);
	struct config cfg;
	config_defaults(&cfg);
	assert_string_equal(cfg.database.url, ""); /* no environment */
	assert_string_equal(cfg.path, "");
	assert_int_equal(cfg.app.timeout_ms, 3000);
	assert_int_equal(cfg.storage.path_count, 1);
	config_free(&cfg);
}

static void test_defaults_from_environment(void **state)
{
	(void)state;
	if (access("/etc/opsdeck/opsdeck.conf", F_OK) == 0)
		skip();
	setenv("DATABASE_URL", "postgresql://app:" SECRET "@db:5432/shop?schema=public", 1);
	setenv("REDIS_URL", "redis://:cachepw@127.0.0.1:6379/1", 1);
	setenv("AWS_REGION", "eu-central-1", 1);
	struct config cfg;
	load_ok(NULL, &cfg);
	assert_string_equal(cfg.database.url,
	                    "postgresql://app:" SECRET "@db:5432/shop?schema=public");
	assert_string_equal(cfg.database.url_unset_reason, "");
	assert_string_equal(cfg.redis.url, "redis://:cachepw@127.0.0.1:6379/1");
	assert_string_equal(cfg.backup.region, "eu-central-1");
	/* The passwords are now masked wherever they appear. */
	char text[128] = "auth failed: " SECRET " / cachepw";
	redact_text(text, sizeof(text));
	assert_string_equal(text, "auth failed: *** / ***");
	config_free(&cfg);
}

static void test_defaults_read_dotenv(void **state)
{
	struct fixture *fx = *state;
	if (access("/etc/opsdeck/opsdeck.conf", F_OK) == 0)
		skip();
	write_file(fx, ".env",
	           "DATABASE_URL=postgresql://app:" SECRET
	           "@db/shop\nAWS_DEFAULT_REGION=ap-south-1\n",
	           0600);
	struct config cfg;
	load_ok(NULL, &cfg);
	assert_string_equal(cfg.app.env_file, "./.env");
	assert_non_null(cfg.env);
	assert_string_equal(cfg.database.url, "postgresql://app:" SECRET "@db/shop");
	assert_string_equal(config_lookup(&cfg, "AWS_DEFAULT_REGION"), "ap-south-1");
	assert_string_equal(cfg.backup.region, "ap-south-1");
	config_free(&cfg);
}

static void test_malformed_default_url_names_its_origin(void **state)
{
	(void)state;
	if (access("/etc/opsdeck/opsdeck.conf", F_OK) == 0)
		skip();
	setenv("DATABASE_URL", "postgresql://app:" SECRET "@db:99999/shop", 1);
	load_fails(NULL, "database.url (default ${DATABASE_URL:-}): invalid port in the URL's "
	                 "host (use 1 to 65535)");
}

static void test_restart_command_default_follows_pm2(void **state)
{
	struct fixture *fx = *state;
	const char *conf = write_file(fx, "c.conf", "[app]\n", 0600);
	char conf_path[PATH_MAX];
	snprintf(conf_path, sizeof(conf_path), "%s", conf);
	struct config cfg;
	load_ok(conf_path, &cfg);
	assert_string_equal(cfg.recovery.restart_command, "");
	config_free(&cfg);
	/* A pm2 that is not executable does not count. */
	write_file(fx, "bin/pm2", "#!/bin/sh\n", 0644);
	load_ok(conf_path, &cfg);
	assert_string_equal(cfg.recovery.restart_command, "");
	config_free(&cfg);
	write_file(fx, "bin/pm2", "#!/bin/sh\n", 0755);
	load_ok(conf_path, &cfg);
	assert_string_equal(cfg.recovery.restart_command, "pm2 restart all");
	config_free(&cfg);
	/* An explicit value, even empty, wins. */
	conf = write_file(fx, "c.conf", "[recovery]\nrestart_command =\n", 0600);
	load_ok(conf_path, &cfg);
	assert_string_equal(cfg.recovery.restart_command, "");
	config_free(&cfg);
}

/* ------------------------------------------------------------ search order */

static void test_search_prefers_xdg(void **state)
{
	struct fixture *fx = *state;
	const char *path =
	    write_file(fx, "xdg/opsdeck/opsdeck.conf", "[app]\nname = from-xdg\n", 0600);
	char expect[PATH_MAX];
	snprintf(expect, sizeof(expect), "%s", path);
	write_file(fx, "home/.config/opsdeck/opsdeck.conf", "[app]\nname = from-home\n", 0600);
	struct config cfg;
	load_ok(NULL, &cfg);
	assert_string_equal(cfg.path, expect);
	assert_string_equal(cfg.app.name, "from-xdg");
	config_free(&cfg);
}

static void test_search_falls_back_to_home(void **state)
{
	struct fixture *fx = *state;
	const char *path =
	    write_file(fx, "home/.config/opsdeck/opsdeck.conf", "[app]\nname = from-home\n", 0600);
	char expect[PATH_MAX];
	snprintf(expect, sizeof(expect), "%s", path);
	struct config cfg;
	/* XDG set but without the file: ~/.config is not looked at (the XDG
	 * rule), the search goes on to /etc and then the defaults. */
	load_ok(NULL, &cfg);
	assert_string_not_equal(cfg.path, expect);
	config_free(&cfg);
	/* XDG unset: ~/.config. */
	unsetenv("XDG_CONFIG_HOME");
	load_ok(NULL, &cfg);
	assert_string_equal(cfg.path, expect);
	assert_string_equal(cfg.app.name, "from-home");
	config_free(&cfg);
	/* A relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	write_file(fx, "relative/dir/opsdeck/opsdeck.conf", "[app]\nname = relative\n", 0600);
	load_ok(NULL, &cfg);
	assert_string_equal(cfg.app.name, "from-home");
	config_free(&cfg);
}

static void test_present_but_unusable_file_is_an_error(void **state)
{
	struct fixture *fx = *state;
	/* A directory where the file should be: not skipped, reported. */
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/xdg/opsdeck/opsdeck.conf", fx->dir);
	make_dirs(path);
	char expect[PATH_MAX + 64];
	snprintf(expect, sizeof(expect), "%s: not a regular file", path);
	load_fails(NULL, expect);
}

static void test_explicit_file_must_exist(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX], expect[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/missing.conf", fx->dir);
	snprintf(expect, sizeof(expect), "%s: No such file or directory", path);
	load_fails(path, expect);
	/* ...even when a searched file exists. */
	write_file(fx, "xdg/opsdeck/opsdeck.conf", "[app]\n", 0600);
	load_fails(path, expect);
}

/* ------------------------------------------------------------ full file */

static void test_fixture_with_every_key(void **state)
{
	(void)state;
	setenv("OPSDECK_TEST_VAR", "from-env", 1);
	setenv("OPSDECK_FIXTURES", FIXTURES, 1);
	struct config cfg;
	load_ok(FIXTURES "/config/full.conf", &cfg);
	assert_string_equal(cfg.path, FIXTURES "/config/full.conf");
	assert_string_equal(cfg.app.name, "shop");
	assert_string_equal(cfg.app.env_file, FIXTURES "/config/noauth.env");
	assert_string_equal(cfg.app.health_url, "http://127.0.0.1:3001/api/health");
	assert_string_equal(cfg.app.version_url, "");
	assert_string_equal(cfg.app.version_file, "/srv/shop/public/version.json");
	assert_int_equal(cfg.app.timeout_ms, 1500);
	/* From the env_file, which is named after this section. */
	assert_string_equal(cfg.database.url,
	                    "postgresql://app@db.internal:5432/shop?schema=public");
	assert_string_equal(cfg.database.request_log, "AccessLog");
	assert_int_equal(cfg.database.window_ms, 30 * 60 * 1000);
	assert_int_equal(cfg.database.slow_query_ms, 500);
	assert_string_equal(cfg.redis.url, "redis://127.0.0.1:6380/2");
	assert_string_equal(cfg.redis.cache_prefix, "shop:cache:");
	assert_int_equal(cfg.storage.path_count, 3);
	assert_string_equal(cfg.storage.paths[0], "/");
	assert_string_equal(cfg.storage.paths[1], "/srv");
	assert_string_equal(cfg.storage.paths[2], "/var/lib/postgresql");
	assert_true(cfg.storage.max_used_percent == 85.0);
	assert_string_equal(cfg.backup.target, "s3://shop-backups/prod");
	assert_string_equal(cfg.backup.s3_endpoint, "http://127.0.0.1:9000");
	assert_string_equal(cfg.backup.region, "eu-west-3");
	assert_string_equal(cfg.backup.files_source, "/srv/shop/uploads");
	assert_int_equal(cfg.backup.files_pattern_count, 2);
	assert_string_equal(cfg.backup.files_patterns[0], "**/*.jpg");
	assert_string_equal(cfg.backup.files_patterns[1], "**/*.png");
	assert_string_equal(cfg.backup.format, "custom");
	assert_int_equal(cfg.backup.compression_level, 9);
	assert_int_equal(cfg.backup.keep_last, 2);
	assert_int_equal(cfg.backup.keep_daily, 7);
	assert_int_equal(cfg.backup.keep_weekly, 4);
	assert_int_equal(cfg.backup.keep_monthly, 12);
	assert_int_equal(cfg.backup.timeout_ms, 2 * 3600 * 1000);
	assert_true(cfg.thresholds.error_rate == 0.02);
	assert_int_equal(cfg.thresholds.avg_response_ms, 800);
	assert_true(cfg.thresholds.connections_ratio == 0.9);
	assert_int_equal(cfg.thresholds.idle_in_tx_ms, 90 * 1000);
	assert_string_equal(cfg.recovery.restart_command, "systemctl restart shop from-env");
	assert_string_equal(cfg.recovery.audit_log, "/var/log/shop/audit.jsonl");
	assert_true(cfg.recovery.read_only);
	assert_string_equal(cfg.ui.theme, "dark");
	assert_int_equal(cfg.ui.interval_ms, 500);
	config_free(&cfg);
}

/* doc/opsdeck.conf.example promises that its values are the defaults. */
static void test_example_file_shows_the_defaults(void **state)
{
	(void)state;
	struct config example, defaults;
	load_ok(FIXTURES "/../../doc/opsdeck.conf.example", &example);
	config_defaults(&defaults);
#define SAME_STRING(f) assert_string_equal(example.f, defaults.f)
#define SAME_NUMBER(f) assert_true(example.f == defaults.f)
	SAME_STRING(app.name);
	SAME_STRING(app.env_file);
	SAME_STRING(app.health_url);
	SAME_STRING(app.version_url);
	SAME_STRING(app.version_file);
	SAME_NUMBER(app.timeout_ms);
	SAME_STRING(database.url);
	SAME_STRING(database.url_unset_reason);
	SAME_STRING(database.request_log);
	SAME_NUMBER(database.window_ms);
	SAME_NUMBER(database.slow_query_ms);
	SAME_STRING(redis.url);
	SAME_STRING(redis.url_unset_reason);
	SAME_STRING(redis.cache_prefix);
	SAME_NUMBER(storage.path_count);
	SAME_STRING(storage.paths[0]);
	SAME_NUMBER(storage.max_used_percent);
	SAME_STRING(backup.target);
	SAME_STRING(backup.s3_endpoint);
	SAME_STRING(backup.region);
	SAME_STRING(backup.files_source);
	SAME_NUMBER(backup.files_pattern_count);
	SAME_STRING(backup.files_patterns[0]);
	SAME_STRING(backup.format);
	SAME_STRING(backup.compression);
	SAME_NUMBER(backup.compression_level);
	SAME_NUMBER(backup.keep_last);
	SAME_NUMBER(backup.keep_daily);
	SAME_NUMBER(backup.keep_weekly);
	SAME_NUMBER(backup.keep_monthly);
	SAME_NUMBER(backup.timeout_ms);
	SAME_NUMBER(thresholds.error_rate);
	SAME_NUMBER(thresholds.avg_response_ms);
	SAME_NUMBER(thresholds.connections_ratio);
	SAME_NUMBER(thresholds.idle_in_tx_ms);
	SAME_STRING(recovery.restart_command);
	SAME_STRING(recovery.audit_log);
	SAME_NUMBER(recovery.read_only);
	SAME_STRING(ui.theme);
	SAME_NUMBER(ui.interval_ms);
#undef SAME_STRING
#undef SAME_NUMBER
	config_free(&example);
	config_free(&defaults);
}

static void test_env_file_after_other_sections(void **state)
{
	struct fixture *fx = *state;
	write_file(fx, "app.env", "DB_FROM_ENV_FILE=postgres://h/from-file\n", 0600);
	const char *path = write_file(fx, "c.conf",
	                              "[database]\n"
	                              "url = ${DB_FROM_ENV_FILE}\n"
	                              "[app]\n"
	                              "env_file = app.env\n",
	                              0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.database.url, "postgres://h/from-file");
	assert_string_equal(cfg.app.env_file, "app.env");
	config_free(&cfg);
}

static void test_environment_wins_over_env_file(void **state)
{
	struct fixture *fx = *state;
	write_file(fx, ".env", "DATABASE_URL=postgres://h/from-file\n", 0600);
	setenv("DATABASE_URL", "postgres://h/from-env", 1);
	const char *path = write_file(fx, "c.conf", "[app]\n", 0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.database.url, "postgres://h/from-env");
	assert_string_equal(config_lookup(&cfg, "DATABASE_URL"), "postgres://h/from-env");
	config_free(&cfg);
	assert_null(config_lookup(NULL, "OPSDECK_TEST_VAR"));
}

static void test_env_file_env_reference(void **state)
{
	struct fixture *fx = *state;
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/deploy", fx->dir);
	setenv("OPSDECK_TEST_VAR", dir, 1);
	write_file(fx, "deploy/.env", "REDIS_URL=redis://h:6390\n", 0600);
	const char *path =
	    write_file(fx, "c.conf", "[app]\nenv_file = ${OPSDECK_TEST_VAR}/.env\n", 0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.redis.url, "redis://h:6390");
	config_free(&cfg);
}

static void test_missing_env_file_names_config_line(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app]\nname = x\n\nenv_file = /nonexistent/shop/.env\n", 4,
	                 "env_file /nonexistent/shop/.env: No such file or directory");
}

static void test_empty_env_file_turns_dotenv_off(void **state)
{
	struct fixture *fx = *state;
	write_file(fx, ".env", "DATABASE_URL=postgres://h/db\n", 0600);
	const char *path = write_file(fx, "c.conf", "[app]\nenv_file =\n", 0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_null(cfg.env);
	assert_string_equal(cfg.app.env_file, "");
	assert_string_equal(cfg.database.url, "");
	config_free(&cfg);
}

static void test_env_file_syntax_error_names_env_file(void **state)
{
	struct fixture *fx = *state;
	write_file(fx, ".env", "A=1\nB=\"open\n", 0600);
	const char *path = write_file(fx, "c.conf", "[app]\n", 0600);
	load_fails(path, "./.env:2: unterminated double quote in the value of B");
}

/* ------------------------------------------------------------ mistakes */

static void test_unknown_key_suggests(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app]\nname = shop\ntiemout = 3s\n", 3,
	                 "unknown key 'tiemout' in [app] (did you mean 'timeout'?)");
	check_file_error(fx, "[database]\nURL = x\n", 2,
	                 "unknown key 'URL' in [database] (did you mean 'url'?)");
	check_file_error(fx, "[thresholds]\nerror_rates = 1\n", 2,
	                 "unknown key 'error_rates' in [thresholds] (did you mean 'error_rate'?)");
}

static void test_unknown_key_in_wrong_section(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app]\ninterval = 2s\n", 2,
	                 "unknown key 'interval' in [app] (it belongs in [ui])");
}

static void test_unknown_key_lists_known_ones(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[redis]\nhostname = x\n", 2,
	                 "unknown key 'hostname' in [redis] (known: url, cache_prefix, tls_ca, "
	                 "tls_cert, tls_key, tls_verify)");
}

static void test_unknown_sections(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app]\n[databse]\nurl = x\n", 2,
	                 "unknown section [databse] (did you mean [database]?)");
	/* An empty unknown section is caught too. */
	check_file_error(fx, "[app]\nname = x\n[metrics]\n", 3,
	                 "unknown section [metrics] (known: app, database, redis, storage, backup, "
	                 "thresholds, actions, recovery, ui, history)");
}

static void test_key_outside_section(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "timeout = 3s\n[app]\n", 1,
	                 "'timeout' is outside any [section] (it belongs in [app])");
	check_file_error(fx, "colour = red\n", 1, "'colour' is outside any [section]");
}

static void test_duplicate_key(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[database]\nurl = a\n[app]\n[database]\nurl = b\n", 5,
	                 "duplicate key 'url' in [database] (first set on line 2)");
}

static void test_syntax_errors_from_ini(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app]\nname = \"shop\n", 2,
	                 "unterminated quote in the value of 'name' (close it with \")");
	check_file_error(fx, "[app\n", 1, "malformed section header (expected [name])");
}

static void test_bad_numbers_and_durations(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app]\n\n\n\n\n\ntimeout = 3x\n", 7,
	                 "timeout: '3x' is not a duration (use e.g. 3s, 500ms, 5m)");
	check_file_error(fx, "[app]\ntimeout = 0\n", 2, "timeout: must be greater than zero");
	check_file_error(fx, "[app]\ntimeout = -1s\n", 2,
	                 "timeout: '-1s' is not a duration (use e.g. 3s, 500ms, 5m)");
	check_file_error(fx, "[app]\ntimeout = 2h\n", 2, "timeout: 2h is too long (at most 1h)");
	check_file_error(fx, "[ui]\ninterval = 100ms\n", 2,
	                 "interval: 100ms is too short (at least 250ms)");
	check_file_error(fx, "[database]\nslow_query_ms = fast\n", 2,
	                 "slow_query_ms: 'fast' is not a whole number");
	check_file_error(fx, "[database]\nslow_query_ms = 1.5\n", 2,
	                 "slow_query_ms: '1.5' is not a whole number");
	check_file_error(fx, "[database]\nslow_query_ms = 0\n", 2,
	                 "slow_query_ms: 0 is out of range (1 to 86400000)");
	check_file_error(fx, "[backup]\ncompression_level = 10\n", 2,
	                 "compression_level: 10 is out of range for gzip (1 to 9)");
	check_file_error(fx, "[backup]\ncompression = gzip\ncompression_level = 12\n", 3,
	                 "compression_level: 12 is out of range for gzip (1 to 9)");
	check_file_error(fx, "[backup]\ncompression_level = 0\n", 2,
	                 "compression_level: 0 is out of range (1 to 19)");
	check_file_error(fx, "[backup]\n\nkeep_daily = -1\n", 3,
	                 "keep_daily: -1 is out of range (0 to 100000)");
	check_file_error(fx, "[backup]\nkeep_monthly = many\n", 2,
	                 "keep_monthly: 'many' is not a whole number");
	check_file_error(fx, "[backup]\ntimeout = soon\n", 2,
	                 "timeout: 'soon' is not a duration (use e.g. 3s, 500ms, 5m)");
	check_file_error(fx, "[backup]\ncompression = zstd\ncompression_level = 20\n", 3,
	                 "compression_level: 20 is out of range (1 to 19)");
	check_file_error(fx, "[thresholds]\nerror_rate = 1.5\n", 2,
	                 "error_rate: 1.5 is out of range (0 to 1, or 0% to 100%)");
	check_file_error(fx, "[thresholds]\nconnections_ratio = lots\n", 2,
	                 "connections_ratio: 'lots' is not a ratio (use e.g. 0.05 or 5%)");
	check_file_error(fx, "[storage]\nmax_used_percent = 101\n", 2,
	                 "max_used_percent: 101 is out of range (0 to 100)");
	check_file_error(fx, "[storage]\nmax_used_percent = ninety\n", 2,
	                 "max_used_percent: 'ninety' is not a percentage (use e.g. 90)");
	check_file_error(fx, "[recovery]\nread_only = maybe\n", 2,
	                 "read_only: 'maybe' is not a boolean (use true or false)");
	check_file_error(fx, "[app]\ntimeout =\n", 2, "timeout: the value is empty");
	check_file_error(fx, "[app]\ntimeout = ${OPSDECK_TEST_VAR:-}\n", 2,
	                 "timeout: the value is empty (OPSDECK_TEST_VAR is not set)");
}

static void test_numbers_in_other_forms(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "c.conf",
	                              "[thresholds]\n"
	                              "error_rate = 5%\n"
	                              "connections_ratio = 0\n"
	                              "idle_in_tx = 1.5m\n"
	                              "[storage]\n"
	                              "max_used_percent = 95.5%\n"
	                              "[recovery]\n"
	                              "read_only = YES\n"
	                              "[ui]\n"
	                              "interval = 250ms\n",
	                              0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_true(cfg.thresholds.error_rate > 0.0499 && cfg.thresholds.error_rate < 0.0501);
	assert_true(cfg.thresholds.connections_ratio == 0.0);
	assert_int_equal(cfg.thresholds.idle_in_tx_ms, 90000);
	assert_true(cfg.storage.max_used_percent == 95.5);
	assert_true(cfg.recovery.read_only);
	assert_int_equal(cfg.ui.interval_ms, 250);
	config_free(&cfg);
}

static void test_zstd_compression(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "z.conf",
	                              "[backup]\n"
	                              "compression = zstd\n"
	                              "compression_level = 19\n",
	                              0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.backup.compression, "zstd");
	assert_int_equal(cfg.backup.compression_level, 19);
	config_free(&cfg);
}

static void test_bad_strings(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[backup]\nformat = tar\n", 2,
	                 "format: 'tar' is not a backup format (use plain or custom)");
	check_file_error(fx, "[backup]\ncompression = lz4\n", 2,
	                 "compression: 'lz4' is not a backup compression (use gzip or zstd)");
	check_file_error(
	    fx, "[database]\nrequest_log = Request Log\n", 2,
	    "request_log: 'Request Log' is not a table name (letters, digits and _, at "
	    "most 63)");
	check_file_error(
	    fx, "[database]\nrequest_log = \"x;drop\"\n", 2,
	    "request_log: 'x;drop' is not a table name (letters, digits and _, at most "
	    "63)");
}

static void test_malformed_urls(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[database]\nurl = postgresql://app@db:54x/shop\n", 2,
	                 "url: invalid port in the URL's host (use 1 to 65535)");
	check_file_error(
	    fx, "[database]\nurl = mysql://db/shop\n", 2,
	    "url: not a PostgreSQL URL (it must start with postgresql:// or postgres://)");
	check_file_error(
	    fx, "[database]\nurl = postgresql://db/shop?colour=red\n", 2,
	    "url: unknown query parameter 'colour' in the URL (neither libpq nor Prisma "
	    "knows it)");
	check_file_error(fx, "[redis]\nurl = redis://h:0\n", 2,
	                 "url: invalid port in the Redis URL (use 1 to 65535)");
	check_file_error(fx, "[redis]\nurl = rediss://h\ntls_ca = /nonexistent/ca.pem\n", 3,
	                 "tls_ca: cannot read /nonexistent/ca.pem: No such file or directory");
	check_file_error(fx, "[redis]\nurl = rediss://h\ntls_ca = /\n", 3,
	                 "tls_ca: / is not a file");
	check_file_error(fx, "[redis]\nurl = rediss://h\ntls_key = /etc/hostname\n", 3,
	                 "tls_key: needs [redis] tls_cert too (a client certificate and its key "
	                 "go together)");
	check_file_error(fx, "[redis]\ntls_verify = maybe\n", 2,
	                 "tls_verify: 'maybe' is not a boolean (use true or false)");
	check_file_error(
	    fx, "[backup]\ntarget = ftp://host/dir\n", 2,
	    "target: 'ftp://host/dir' is not a backup target (use s3://bucket/prefix or "
	    "file:///dir)");
	check_file_error(fx, "[backup]\ntarget = s3://My_Bucket/x\n", 2,
	                 "target: 's3://My_Bucket/x' does not name a valid S3 bucket (3 to 63 "
	                 "characters: lowercase letters, digits, '.' and '-')");
	check_file_error(fx, "[backup]\ntarget = file://relative/dir\n", 2,
	                 "target: 'file://relative/dir' is not a backup target (use "
	                 "s3://bucket/prefix or file:///dir)");
	check_file_error(
	    fx, "[app]\nhealth_url = localhost:3000/api/health\n", 2,
	    "health_url: 'localhost:3000/api/health' is not an http:// or https:// URL");
	check_file_error(fx, "[app]\nversion_url = http:///api/version\n", 2,
	                 "version_url: 'http:///api/version' is not an http:// or https:// URL");
	check_file_error(fx, "[backup]\ns3_endpoint = 127.0.0.1:9000\n", 2,
	                 "s3_endpoint: '127.0.0.1:9000' is not an http:// or https:// URL");
}

static void test_good_urls(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "c.conf",
	                              "[app]\n"
	                              "health_url = https://shop.example.com/api/health\n"
	                              "version_url =\n"
	                              "[backup]\n"
	                              "target = file:///var/backups/shop\n"
	                              "[redis]\n"
	                              "url = unix:///run/redis/redis.sock?db=2\n",
	                              0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.app.version_url, "");
	assert_string_equal(cfg.backup.target, "file:///var/backups/shop");
	config_free(&cfg);
}

static void test_expansion_errors(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[database]\nurl = ${DATABASE_URL:+postgres://app:hunter2@h/db}\n", 2,
	                 "url: ${DATABASE_URL:+...}: only ${NAME} and ${NAME:-default} are "
	                 "supported (no other shell forms)");
	check_file_error(fx, "[app]\nname = ${OOPS\n", 2,
	                 "name: unterminated ${ (close it with }, or write $${ for a literal ${)");
	check_file_error(
	    fx, "[app]\nenv_file = ${BAD NAME}\n", 2,
	    "env_file: ${BAD NAME} is not a valid variable name (use letters, digits and "
	    "_, not starting with a digit)");
}

/* An unset variable is a mistake, not an empty value: with cache_prefix =
 * ${CACHE_PREFIX} unset, clear-cache once flushed the whole database. */
static void test_unset_variable_names_file_line_and_variable(void **state)
{
	struct fixture *fx = *state;
	check_file_error(
	    fx, "[app]\nname = shop\n[redis]\ncache_prefix = ${OPSDECK_TEST_VAR}\n", 4,
	    "cache_prefix: ${OPSDECK_TEST_VAR} is not set (write ${OPSDECK_TEST_VAR:-} "
	    "to allow an empty value, or ${OPSDECK_TEST_VAR:-default})");
	check_file_error(
	    fx, "[database]\nurl = ${DB_FROM_ENV_FILE}\n", 2,
	    "url: ${DB_FROM_ENV_FILE} is not set (write ${DB_FROM_ENV_FILE:-} to allow "
	    "an empty value, or ${DB_FROM_ENV_FILE:-default})");
	check_file_error(fx, "[app]\nenv_file = ${OPSDECK_TEST_VAR}/.env\n", 2,
	                 "env_file: ${OPSDECK_TEST_VAR} is not set (write ${OPSDECK_TEST_VAR:-} to "
	                 "allow an empty value, or ${OPSDECK_TEST_VAR:-default})");
	/* Set to empty is a value: the operator said so. */
	setenv("OPSDECK_TEST_VAR", "", 1);
	const char *path =
	    write_file(fx, "c.conf", "[redis]\ncache_prefix = ${OPSDECK_TEST_VAR}\n", 0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.redis.cache_prefix, "");
	config_free(&cfg);
}

static void test_default_values(void **state)
{
	struct fixture *fx = *state;
	write_file(fx, "app.env", "DB_FROM_ENV_FILE=postgres://h/from-file\n", 0600);
	const char *path = write_file(fx, "c.conf",
	                              "[app]\n"
	                              "env_file = ${OPSDECK_TEST_VAR:-app.env}\n"
	                              "[database]\n"
	                              "url = ${DB_FROM_ENV_FILE:-postgres://h/fallback}\n"
	                              "[redis]\n"
	                              "url = ${REDIS_URL:-}\n"
	                              "cache_prefix = ${OPSDECK_FIXTURES:-shop:cache:}\n",
	                              0600);
	char conf[PATH_MAX];
	snprintf(conf, sizeof(conf), "%s", path);
	struct config cfg;
	load_ok(conf, &cfg);
	assert_string_equal(cfg.app.env_file, "app.env");
	assert_string_equal(cfg.database.url, "postgres://h/from-file"); /* set: no default */
	assert_string_equal(cfg.redis.url, "");
	assert_string_equal(cfg.redis.url_unset_reason, "REDIS_URL is not set");
	assert_string_equal(cfg.redis.cache_prefix, "shop:cache:");
	config_free(&cfg);
	setenv("OPSDECK_FIXTURES", "*", 1);
	load_ok(conf, &cfg);
	assert_string_equal(cfg.redis.cache_prefix, CONFIG_CACHE_PREFIX_ALL);
	config_free(&cfg);
}

/* A FIFO (or anything else that is not a regular file) is refused at once:
 * opening one to read would wait for a writer forever. */
static void test_fifo_is_refused_without_hanging(void **state)
{
	struct fixture *fx = *state;
	char fifo[PATH_MAX], expect[PATH_MAX * 2 + 64];
	snprintf(fifo, sizeof(fifo), "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(10); /* a hang ends the test (SIGALRM) rather than the suite's patience */
	snprintf(expect, sizeof(expect), "%s: not a regular file", fifo);
	load_fails(fifo, expect);
	/* In the search path too. */
	char xdg[PATH_MAX];
	snprintf(xdg, sizeof(xdg), "%s/xdg/opsdeck", fx->dir);
	make_dirs(xdg);
	strcat(xdg, "/opsdeck.conf");
	assert_int_equal(mkfifo(xdg, 0600), 0);
	snprintf(expect, sizeof(expect), "%s: not a regular file", xdg);
	load_fails(NULL, expect);
	/* The env_file. */
	char text[PATH_MAX + 64];
	snprintf(text, sizeof(text), "[app]\nenv_file = %s\n", fifo);
	snprintf(expect, sizeof(expect), "env_file %s: not a regular file", fifo);
	check_file_error(fx, text, 2, expect);
	alarm(0);
}

/* Controls in what an error quotes back (C1 as UTF-8 and as raw bytes,
 * invalid UTF-8) are replaced, never passed to the terminal. */
static void test_errors_carry_no_control_bytes(void **state)
{
	struct fixture *fx = *state;
	check_file_error(fx, "[app\xc2\x9b\x9b\xff]\nname = x\n", 1,
	                 "invalid section name [app???] (use letters, digits, '_', '.', '-')");
	check_file_error(fx, "[\xe2\x80\xae\xc2\x85x]\n", 1,
	                 "invalid section name [??x] (use letters, digits, '_', '.', '-')");
	/* The path quoted in any message. */
	char path[PATH_MAX], expect[PATH_MAX + 64];
	snprintf(path, sizeof(path), "%s/c\xc2\x9b\x1b.conf", fx->dir);
	snprintf(expect, sizeof(expect), "%s/c??.conf: No such file or directory", fx->dir);
	load_fails(path, expect);
}

static void test_literal_dollar(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "c.conf", "[redis]\ncache_prefix = $${x}:$y\n", 0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.redis.cache_prefix, "${x}:$y");
	config_free(&cfg);
}

static void test_lists(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "c.conf",
	                              "[storage]\n"
	                              "paths = /, /srv  /data,,/tmp\t/var\n"
	                              "[backup]\n"
	                              "files_patterns =\n",
	                              0600);
	struct config cfg;
	load_ok(path, &cfg);
	assert_int_equal(cfg.storage.path_count, 5);
	assert_string_equal(cfg.storage.paths[0], "/");
	assert_string_equal(cfg.storage.paths[1], "/srv");
	assert_string_equal(cfg.storage.paths[2], "/data");
	assert_string_equal(cfg.storage.paths[3], "/tmp");
	assert_string_equal(cfg.storage.paths[4], "/var");
	assert_int_equal(cfg.backup.files_pattern_count, 0);
	config_free(&cfg);

	char text[1024] = "[storage]\npaths =";
	for (int i = 0; i <= CONFIG_MAX_PATHS; i++) {
		char item[16];
		snprintf(item, sizeof(item), " /p%d", i);
		strcat(text, item);
	}
	strcat(text, "\n");
	check_file_error(fx, text, 2, "paths: too many entries (at most 16)");
}

static void test_unset_reasons(void **state)
{
	struct fixture *fx = *state;
	const char *path =
	    write_file(fx, "c.conf", "[database]\nurl =\n[redis]\nurl = ${NO_SUCH:-}\n", 0600);
	char conf[PATH_MAX];
	snprintf(conf, sizeof(conf), "%s", path);
	struct config cfg;
	load_ok(conf, &cfg);
	assert_string_equal(cfg.database.url, "");
	char expect[PATH_MAX + 64];
	snprintf(expect, sizeof(expect), "database.url is empty in %s", conf);
	assert_string_equal(cfg.database.url_unset_reason, expect);
	assert_string_equal(cfg.redis.url, "");
	assert_string_equal(cfg.redis.url_unset_reason, "NO_SUCH is not set");
	config_free(&cfg);
}

static void test_crlf_and_bom_config(void **state)
{
	(void)state;
	struct config cfg;
	load_ok(FIXTURES "/config/crlf_bom.conf", &cfg);
	assert_string_equal(cfg.app.name, "windows-edited");
	assert_int_equal(cfg.app.timeout_ms, 5000);
	assert_string_equal(cfg.ui.theme, "dark");
	config_free(&cfg);
}

static void test_nul_byte_is_refused(void **state)
{
	struct fixture *fx = *state;
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/nul.conf", fx->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	static const char text[] = "[app]\nname = a\0b\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	char expect[PATH_MAX + 64];
	snprintf(expect, sizeof(expect), "%s:2: NUL byte in the file (is it a text file?)", path);
	load_fails(path, expect);
}

/* ------------------------------------------------------------ secrets */

static void test_literal_password_needs_private_file(void **state)
{
	(void)state;
	/* mkstemp under /tmp, as an operator's file would be anywhere. */
	char path[] = "/tmp/opsdeck-secret-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	static const char text[] = "[app]\nname = shop\n[database]\n"
	                           "url = postgresql://app:" SECRET "@db:5432/shop\n";
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	assert_int_equal(fchmod(fd, 0644), 0);
	assert_int_equal(close(fd), 0);

	char expect[512];
	snprintf(
	    expect, sizeof(expect),
	    "%s: holds a password (line 4) but is readable by group or others; run: chmod 600 %s",
	    path, path);
	load_fails(path, expect);
	assert_int_equal(chmod(path, 0640), 0);
	load_fails(path, expect);
	assert_int_equal(chmod(path, 0604), 0);
	load_fails(path, expect);

	assert_int_equal(chmod(path, 0600), 0);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.database.url, "postgresql://app:" SECRET "@db:5432/shop");
	/* ...and the password is now masked in any text. */
	char msg[64] = "FATAL: password " SECRET " rejected";
	redact_text(msg, sizeof(msg));
	assert_string_equal(msg, "FATAL: password *** rejected");
	config_free(&cfg);
	unlink(path);
}

static void test_reference_is_not_a_literal_secret(void **state)
{
	struct fixture *fx = *state;
	setenv("OPSDECK_TEST_VAR", SECRET, 1);
	const char *path = write_file(fx, "c.conf",
	                              "[database]\n"
	                              "url = postgresql://app:${OPSDECK_TEST_VAR}@db/shop\n"
	                              "[redis]\n"
	                              "url = ${REDIS_URL:-}\n",
	                              0644);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.database.url, "postgresql://app:" SECRET "@db/shop");
	config_free(&cfg);
}

/* ...but a default is written in the file: a password there is a literal
 * one, whether or not the variable is set. */
static void test_default_holding_a_password_is_a_literal_secret(void **state)
{
	struct fixture *fx = *state;
	setenv("DATABASE_URL", "postgres://h/from-env", 1);
	const char *path =
	    write_file(fx, "c.conf",
	               "[app]\nname = shop\n[database]\n"
	               "url = ${DATABASE_URL:-postgresql://app:" SECRET "@db/shop}\n",
	               0644);
	char expect[PATH_MAX * 2 + 128];
	snprintf(expect, sizeof(expect),
	         "%s: holds a password (line 4) but is readable by group or others; run: chmod "
	         "600 %s",
	         path, path);
	char conf[PATH_MAX];
	snprintf(conf, sizeof(conf), "%s", path);
	load_fails(conf, expect);
}

static void test_env_file_with_secret_needs_private_file(void **state)
{
	struct fixture *fx = *state;
	const char *env = write_file(
	    fx, "secret.env", "NODE_ENV=production\nAWS_SECRET_ACCESS_KEY=abcdEXAMPLEKEY\n", 0644);
	char env_path[PATH_MAX];
	snprintf(env_path, sizeof(env_path), "%s", env);
	char text[PATH_MAX + 64];
	snprintf(text, sizeof(text), "[app]\nenv_file = %s\n", env_path);
	const char *path = write_file(fx, "c.conf", text, 0644);
	char conf[PATH_MAX];
	snprintf(conf, sizeof(conf), "%s", path);

	char expect[PATH_MAX * 2 + 128];
	snprintf(
	    expect, sizeof(expect),
	    "%s: holds a secret (line 2) but is readable by group or others; run: chmod 600 %s",
	    env_path, env_path);
	load_fails(conf, expect);

	assert_int_equal(chmod(env_path, 0600), 0);
	struct config cfg;
	load_ok(conf, &cfg);
	/* The AWS secret is registered for masking. */
	char msg[64] = "sig abcdEXAMPLEKEY";
	redact_text(msg, sizeof(msg));
	assert_string_equal(msg, "sig ***");
	config_free(&cfg);
}

static void test_env_file_without_secret_may_be_shared(void **state)
{
	struct fixture *fx = *state;
	write_file(fx, ".env", "NODE_ENV=production\nREDIS_URL=redis://cache:6379\n", 0644);
	const char *path = write_file(fx, "c.conf", "[app]\n", 0644);
	struct config cfg;
	load_ok(path, &cfg);
	assert_string_equal(cfg.redis.url, "redis://cache:6379");
	config_free(&cfg);
}

static void test_errors_never_show_the_password(void **state)
{
	struct fixture *fx = *state;
	static const char *const texts[] = {
	    "[database]\nurl = postgresql://app:" SECRET "@db:99999/shop\n",
	    "[database]\nurl = postgresql://app:" SECRET "@db/shop?nope=1\n",
	    "[database]\nurl = postgresql://app:Hunt/er2Pw@db/shop?application_name=a@b\n",
	    "[redis]\nurl = redis://:" SECRET "@h/x\n",
	    "[app]\ntimeout = postgresql://app:" SECRET "@db/shop\n",
	    "[backup]\ntarget = ftp://u:" SECRET "@host/\n",
	    "[app]\nhealth_url = ftp://u:" SECRET "@host/\n",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		const char *path = write_file(fx, "c.conf", texts[i], 0600);
		struct config cfg;
		char err[1024] = "";
		assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
		if (strstr(err, SECRET) || strstr(err, "Hunt") || strstr(err, "er2Pw"))
			fail_msg("error for case %zu shows the password: %s", i, err);
	}
}

static void test_load_into_garbage_and_free_twice(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "c.conf", "[app]\nname = x\n", 0600);
	struct config cfg;
	memset(&cfg, 0x5A, sizeof(cfg));
	load_ok(path, &cfg);
	assert_string_equal(cfg.app.name, "x");
	config_free(&cfg);
	assert_null(cfg.app.name);
	config_free(&cfg);
	config_free(NULL);
}

/* ------------------------------------------------------------ watching */

static void test_stamp_equal(void **state)
{
	(void)state;
	struct config_stamp a = {.exists = true,
	                         .device = 1,
	                         .inode = 2,
	                         .size = 3,
	                         .mode = 0100600,
	                         .modified_ns = 4,
	                         .changed_ns = 5};
	struct config_stamp b = a;
	assert_true(config_stamp_equal(&a, &b));
	b.inode = 9; /* replaced by rename */
	assert_false(config_stamp_equal(&a, &b));
	b = a, b.size = 9; /* rewritten */
	assert_false(config_stamp_equal(&a, &b));
	b = a, b.modified_ns = 9;
	assert_false(config_stamp_equal(&a, &b));
	b = a, b.mode = 0100644, b.changed_ns = 9; /* chmod */
	assert_false(config_stamp_equal(&a, &b));
	b = a, b.device = 9;
	assert_false(config_stamp_equal(&a, &b));
	struct config_stamp gone = {.exists = false}, gone_too = {.exists = false, .size = 7};
	assert_false(config_stamp_equal(&a, &gone));
	assert_false(config_stamp_equal(&gone, &a));
	assert_true(config_stamp_equal(&gone, &gone_too)); /* nothing else counts */
}

#define WATCHED_TEXT                                                                               \
	"[app]\nname = shop\n[database]\nurl = postgresql://app:" SECRET "@db:5432/shop\n"

/* Each rewrite below changes the size, so the stamp differs even when two
 * writes fall in the same tick of the file system's clock. */
static void test_watch_reports_each_change(void **state)
{
	struct fixture *fx = *state;
	const char *path = write_file(fx, "opsdeck.conf", WATCHED_TEXT, 0600);
	char saved[PATH_MAX];
	snprintf(saved, sizeof(saved), "%s", path);
	struct config cfg;
	load_ok(saved, &cfg);
	struct config_watch w;
	config_watch_init(&w, &cfg);
	char msg[256] = "";
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_UNCHANGED);
	assert_string_equal(msg, "");

	write_file(fx, "opsdeck.conf", "[app]\nname = shop\n[database\n", 0600);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_INVALID);
	char expect[PATH_MAX + 128];
	snprintf(expect, sizeof(expect),
	         "config invalid, still using the loaded one: %s:3: malformed section header",
	         saved);
	assert_true(strncmp(msg, expect, strlen(expect)) == 0);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_UNCHANGED);

	write_file(fx, "opsdeck.conf", "[app]\nname = shop\ntiemout = 3s\n", 0600);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_INVALID);
	snprintf(expect, sizeof(expect),
	         "config invalid, still using the loaded one: %s:3: unknown key 'tiemout' in [app]",
	         saved);
	assert_true(strncmp(msg, expect, strlen(expect)) == 0);

	/* a password others may read: refused, and the password never shown */
	write_file(fx, "opsdeck.conf", WATCHED_TEXT "; shared\n", 0644);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_INVALID);
	assert_non_null(strstr(msg, "holds a password (line 4) but is readable by group"));
	assert_null(strstr(msg, SECRET));

	/* back to the text in use, then a different valid one */
	write_file(fx, "opsdeck.conf", WATCHED_TEXT, 0600);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_IN_USE);
	snprintf(expect, sizeof(expect), "config %s is valid and the same as the one in use",
	         saved);
	assert_string_equal(msg, expect);
	write_file(fx, "opsdeck.conf", WATCHED_TEXT "[nosuch]\n", 0600);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_INVALID);
	write_file(fx, "opsdeck.conf", "[app]\nname = other\n", 0600);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_VALID);
	snprintf(expect, sizeof(expect),
	         "config %s changed and is valid; restart opsdeck to apply it", saved);
	assert_string_equal(msg, expect);

	/* removed, then a FIFO in its place: reported, and nothing blocks */
	assert_int_equal(unlink(saved), 0);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_INVALID);
	assert_non_null(strstr(msg, "No such file or directory"));
	assert_int_equal(mkfifo(saved, 0600), 0);
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_INVALID);
	snprintf(expect, sizeof(expect),
	         "config invalid, still using the loaded one: %s: not a regular file", saved);
	assert_string_equal(msg, expect);

	/* the configuration in use never changed */
	assert_string_equal(cfg.app.name, "shop");
	assert_string_equal(cfg.database.url, "postgresql://app:" SECRET "@db:5432/shop");
	config_watch_free(&w);
	config_watch_free(&w);
	config_free(&cfg);
}

static void test_watch_nothing_without_a_file(void **state)
{
	(void)state;
	struct config cfg;
	load_ok(NULL, &cfg); /* no file anywhere: built-in defaults */
	assert_string_equal(cfg.path, "");
	struct config_watch w;
	config_watch_init(&w, &cfg);
	char msg[64] = "";
	assert_int_equal(config_watch_check(&w, msg, sizeof(msg)), CONFIG_WATCH_UNCHANGED);
	assert_string_equal(msg, "");
	config_watch_free(&w);
	config_free(&cfg);
}

int main(void)
{
	original_path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_defaults_without_any_file),
	    T(test_config_defaults_is_pure),
	    T(test_defaults_from_environment),
	    T(test_defaults_read_dotenv),
	    T(test_malformed_default_url_names_its_origin),
	    T(test_restart_command_default_follows_pm2),
	    T(test_search_prefers_xdg),
	    T(test_search_falls_back_to_home),
	    T(test_present_but_unusable_file_is_an_error),
	    T(test_explicit_file_must_exist),
	    T(test_fixture_with_every_key),
	    T(test_example_file_shows_the_defaults),
	    T(test_env_file_after_other_sections),
	    T(test_environment_wins_over_env_file),
	    T(test_env_file_env_reference),
	    T(test_missing_env_file_names_config_line),
	    T(test_empty_env_file_turns_dotenv_off),
	    T(test_env_file_syntax_error_names_env_file),
	    T(test_unknown_key_suggests),
	    T(test_unknown_key_in_wrong_section),
	    T(test_unknown_key_lists_known_ones),
	    T(test_unknown_sections),
	    T(test_key_outside_section),
	    T(test_duplicate_key),
	    T(test_syntax_errors_from_ini),
	    T(test_bad_numbers_and_durations),
	    T(test_numbers_in_other_forms),
	    T(test_bad_strings),
	    T(test_zstd_compression),
	    T(test_malformed_urls),
	    T(test_good_urls),
	    T(test_expansion_errors),
	    T(test_unset_variable_names_file_line_and_variable),
	    T(test_default_values),
	    T(test_fifo_is_refused_without_hanging),
	    T(test_errors_carry_no_control_bytes),
	    T(test_literal_dollar),
	    T(test_lists),
	    T(test_unset_reasons),
	    T(test_crlf_and_bom_config),
	    T(test_nul_byte_is_refused),
	    T(test_literal_password_needs_private_file),
	    T(test_reference_is_not_a_literal_secret),
	    T(test_default_holding_a_password_is_a_literal_secret),
	    T(test_env_file_with_secret_needs_private_file),
	    T(test_env_file_without_secret_may_be_shared),
	    T(test_errors_never_show_the_password),
	    T(test_load_into_garbage_and_free_twice),
	    T(test_stamp_equal),
	    T(test_watch_reports_each_change),
	    T(test_watch_nothing_without_a_file),
	};
#undef T
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(original_path);
	return failed;
}
