/* fuzz_config.c - feeds arbitrary text to config_load_file() as a whole
 * opsdeck.conf. The input is split at a line "#--- .env": what follows is
 * written beside it as app.env, so ${VAR} expansion from env_file is
 * reached too. Both files are written 0600 into a private directory that
 * is also the working directory (the default ./.env lives there).
 *
 * Beyond not crashing or leaking: an error is one line, and leaves the
 * config freed-and-empty; a success gives every URL, path and pattern as a
 * string, at most CONFIG_MAX_* paths and patterns, sane numbers (timeouts
 * and intervals positive, 1..9 compression), and registers the database and
 * Redis passwords so that redact_text() masks them. Inputs that point
 * env_file into /dev, /proc or /sys, or build it from ${...}, are skipped:
 * reading a device is not what this target is about. */
#include "fuzz.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "config/pgurl.h"
#include "model/redact.h"
#include "config/redisurl.h"

static char directory[] = "/tmp/opsdeck-fuzz-config-XXXXXX";
static char conf_path[64], env_path[64];

static void write_file(const char *path, const char *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_CHECK(fd >= 0);
	FUZZ_CHECK(size == 0 || write(fd, data, size) == (ssize_t)size);
	FUZZ_CHECK(close(fd) == 0);
}

static void remove_directory(void)
{
	unlink(conf_path);
	unlink(env_path);
	rmdir(directory);
}

static void check_masked(const char *text, const char *password)
{
	if (!fuzz_secret_traceable(password))
		return;
	char buf[4096];
	snprintf(buf, sizeof(buf), "connecting with %s failed", text);
	redact_text(buf, sizeof(buf));
	FUZZ_CHECK(strstr(buf, password) == NULL);
}

static void check_loaded(const struct config *cfg)
{
	FUZZ_CHECK(cfg->app.timeout_ms > 0 && cfg->ui.interval_ms > 0);
	FUZZ_CHECK(cfg->storage.path_count <= CONFIG_MAX_PATHS);
	for (size_t i = 0; i < cfg->storage.path_count; i++)
		FUZZ_CHECK(cfg->storage.paths[i] != NULL);
	FUZZ_CHECK(cfg->backup.files_pattern_count <= CONFIG_MAX_PATTERNS);
	for (size_t i = 0; i < cfg->backup.files_pattern_count; i++)
		FUZZ_CHECK(cfg->backup.files_patterns[i] != NULL);
	FUZZ_CHECK(cfg->backup.compression_level >= 1 &&
	           cfg->backup.compression_level <=
	               (strcmp(cfg->backup.compression, "zstd") == 0 ? 19 : 9));
	FUZZ_CHECK(cfg->database.url && cfg->redis.url && cfg->backup.target);
	char err[512];
	struct pgurl pg;
	if (*cfg->database.url && pgurl_parse(cfg->database.url, 0, &pg, err, sizeof(err)) == 0) {
		check_masked(cfg->database.url, pg.password);
		pgurl_free(&pg);
	}
	struct redisurl redis;
	if (*cfg->redis.url && redisurl_parse(cfg->redis.url, &redis, err, sizeof(err)) == 0) {
		check_masked(cfg->redis.url, redis.password);
		redisurl_free(&redis);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!conf_path[0]) {
		FUZZ_CHECK(mkdtemp(directory) != NULL);
		snprintf(conf_path, sizeof(conf_path), "%s/opsdeck.conf", directory);
		snprintf(env_path, sizeof(env_path), "%s/app.env", directory);
		FUZZ_CHECK(chdir(directory) == 0);
		atexit(remove_directory);
	}
	char *text = fuzz_string(data, size);
	const char *env_file = strstr(text, "env_file");
	if (env_file && (strstr(env_file, "/dev") || strstr(env_file, "/proc") ||
	                 strstr(env_file, "/sys") || strstr(env_file, "${"))) {
		free(text);
		return 0;
	}
	char *split = strstr(text, "#--- .env\n");
	unlink(env_path);
	if (split) {
		const char *env = split + 10;
		write_file(env_path, env, strlen(env));
		*split = '\0';
	}
	write_file(conf_path, text, strlen(text));

	redact_clear();
	struct config cfg;
	char err[1024] = "";
	if (config_load_file(&cfg, conf_path, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0] != '\0' && strchr(err, '\n') == NULL);
		FUZZ_CHECK(cfg.path == NULL && cfg.env == NULL && cfg.database.url == NULL);
	} else {
		FUZZ_CHECK(strcmp(cfg.path, conf_path) == 0);
		check_loaded(&cfg);
	}
	config_free(&cfg);
	redact_clear();
	free(text);
	return 0;
}
