/* config.c - find, read, expand and apply opsdeck's configuration (see
 * config.h and doc/opsdeck.conf.5). The keys are a table (keys.h); each
 * value is read into its field and checked by validate.h.
 *
 * Loading is two passes over the parsed file: first [app] env_file (it may
 * appear anywhere, and every ${NAME} may need it), then every value, which is
 * expanded, parsed and range-checked. Any mistake stops the load with one
 * line naming the file and line, because an operator at 3 a.m. needs the
 * exact place, not a list.
 */
#include "config/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/expand.h"
#include "config/ini.h"
#include "config/keys.h"
#include "config/paths.h"
#include "model/redact.h"
#include "config/validate.h"
#include "util/file.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define CONFIG_MAX_SIZE         (1024 * 1024)
#define CONFIG_SYSTEM_PATH      PATHS_SYSTEM_CONFIG_DIR "/opsdeck.conf"
#define CONFIG_DEFAULT_ENV_FILE "./.env"

/* Secrets taken from the environment or env_file, masked wherever they
 * might turn up (a library's error message, a child's output). */
static const char *const secret_variables[] = {
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "PGPASSWORD",
    "REDISCLI_AUTH",
};

static const char *lookup_config(void *ctx, const char *name)
{
	return config_lookup(ctx, name);
}

static const char *lookup_environment(void *ctx, const char *name)
{
	(void)ctx;
	return getenv(name);
}

static const char *lookup_nothing(void *ctx, const char *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

/* ------------------------------------------------------------ reading */

/* Opens and reads a whole text file. Returns 1 when read, 0 when it does not
 * exist and `absent_ok`, -1 on error ("PREFIXpath: reason"). The mode comes
 * from fstat on the same descriptor, so the permission check looks at the
 * file that was read. The open does not block: a FIFO (or any other file
 * that is not a regular one) is refused, where reading it would hang. */
static int read_text_file(const char *path, bool absent_ok, const char *prefix, char **text,
                          struct stat *st, char *err, size_t errlen)
{
	char *name = xasprintf("%s%s", prefix, path);
	int rc = file_read_text(path, name, CONFIG_MAX_SIZE, FILE_READ_TEXT | FILE_READ_NONBLOCK,
	                        text, NULL, st, err, errlen);
	if (rc == FILE_TOO_LARGE)
		snprintf(err, errlen, "%s: larger than %d bytes; is it the right file?", name,
		         CONFIG_MAX_SIZE);
	bool absent = rc == -1 && (errno == ENOENT || errno == ENOTDIR);
	free(name);
	if (rc == 0)
		return 1;
	return absent && absent_ok ? 0 : -1;
}

static bool readable_by_others(const struct stat *st)
{
	return (st->st_mode & (S_IRGRP | S_IROTH)) != 0;
}

/* ------------------------------------------------------------ applying */

/* Where a value came from, for messages: "path:line", or the default. */
static void describe_origin(char *dst, size_t size, const struct config *cfg,
                            const struct config_key *k, const struct ini_entry *e)
{
	if (e)
		snprintf(dst, size, "%s:%d: %s", cfg->path, e->line, k->key);
	else
		snprintf(dst, size, "%s.%s (default %s)", k->section, k->key, k->def ? k->def : "");
}

/* Why a URL is empty, so the dashboard can say "not configured: ...". */
static void set_unset_reason(struct config *cfg, const struct config_key *k,
                             const struct ini_entry *e, const char *value, const char *unset)
{
	if (!k->reason_offset)
		return;
	char **reason = config_field(cfg, k->reason_offset);
	char text[512] = ""; /* a value needs no reason */
	if (!*value) {
		if (*unset)
			snprintf(text, sizeof(text), "%s is not set", unset);
		else if (e && !*e->value)
			snprintf(text, sizeof(text), "%s.%s is empty in %s", k->section, k->key,
			         cfg->path);
		else if (e)
			snprintf(text, sizeof(text), "%s.%s in %s expands to an empty value",
			         k->section, k->key, cfg->path);
		else
			snprintf(text, sizeof(text), "%s.%s is empty", k->section, k->key);
	}
	config_string_set(reason, text);
}

/* Expands and applies one key from its file entry or its default. */
static int apply_key(struct config *cfg, const struct config_key *k, const struct ini_entry *e,
                     expand_lookup_fn lookup, char *err, size_t errlen)
{
	const char *raw = e ? e->value : k->def;
	if (!raw)
		return 0;
	char origin[1024];
	describe_origin(origin, sizeof(origin), cfg, k, e);
	char unset[160], why[256];
	char *value;
	if (expand_vars(raw, lookup, cfg, &value, unset, sizeof(unset), why, sizeof(why)) < 0) {
		snprintf(err, errlen, "%s: %s", origin, why);
		return -1;
	}
	int rc = config_value_apply(cfg, k, value, unset, origin, err, errlen);
	if (rc == 0)
		set_unset_reason(cfg, k, e, value, unset);
	free(value);
	return rc;
}

/* "pm2 restart all" when pm2 is installed, which is how the seed's app is
 * run; found by walking PATH ourselves, since nothing here uses a shell. */
static bool on_path(const char *program)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		if (len > 0 && path[0] == '/') { /* relative entries: not trusted */
			char *candidate = xasprintf("%.*s/%s", (int)len, path, program);
			struct stat st;
			bool found = access(candidate, X_OK) == 0 && stat(candidate, &st) == 0 &&
			             S_ISREG(st.st_mode);
			free(candidate);
			if (found)
				return true;
		}
		path += len;
		if (*path == ':')
			path++;
	}
	return false;
}

/* ------------------------------------------------------------ loading */

struct load_state {
	struct ini_file ini;
	struct ini_file_sections sections;
	const struct ini_entry **entries; /* by row of config_keys */
	char *text;
	struct stat st;
};

/* The first line holding a password written out in the file (a ${NAME}
 * reference is not one: the secret then lives elsewhere), or 0. */
static int literal_secret_line(const struct load_state *ls)
{
	for (size_t i = 0; i < ls->ini.count; i++) {
		const struct ini_entry *e = &ls->ini.entries[i];
		char *literal = NULL;
		char why[64];
		if (expand_vars(e->value, NULL, NULL, &literal, NULL, 0, why, sizeof(why)) < 0)
			literal = xstrdup(e->value);
		/* user:pass@ in a URL, libpq's password= / sslpassword=, a
		 * credential in a URL's query string (?token=), or a webhook
		 * URL, whose path is its token */
		bool webhook = strcmp(e->section, "notify") == 0 &&
		               strcmp(e->key, "webhook_url") == 0 && literal[0] != '\0';
		bool secret =
		    webhook || text_has_credential(literal) || strstr(literal, "password=") != NULL;
		free(literal);
		if (secret)
			return e->line;
	}
	return 0;
}

/* Loads env_file (or ./.env) into cfg->env and checks its permissions. */
static int load_env_file(struct config *cfg, const struct ini_entry *e, char *err, size_t errlen)
{
	char *path = NULL;
	char *text = NULL;
	char prefix[1024] = "";
	struct stat st;
	int rc = -1;
	bool explicit = e != NULL;
	if (e) {
		char why[256];
		if (expand_vars(e->value, lookup_environment, NULL, &path, NULL, 0, why,
		                sizeof(why)) < 0) {
			snprintf(err, errlen, "%s:%d: env_file: %s", cfg->path, e->line, why);
			goto done;
		}
		if (!*path) { /* "env_file =" turns the ./.env default off */
			rc = 0;
			goto done;
		}
		snprintf(prefix, sizeof(prefix), "%s:%d: env_file ", cfg->path, e->line);
	} else {
		path = xstrdup(CONFIG_DEFAULT_ENV_FILE);
	}
	int found = read_text_file(path, !explicit, prefix, &text, &st, err, errlen);
	if (found <= 0) {
		rc = found;
		goto done;
	}
	struct envfile *env = envfile_parse(path, text, err, errlen);
	if (!env)
		goto done;
	cfg->env = env;
	config_string_set(&cfg->app.env_file, path);
	int secret_line = envfile_holds_secret(env);
	if (secret_line && readable_by_others(&st)) {
		snprintf(
		    err, errlen,
		    "%s: holds a secret (line %d) but is readable by group or others; run: chmod "
		    "600 %s",
		    path, secret_line, path);
		goto done;
	}
	rc = 0;
done:
	free(path);
	free(text);
	return rc;
}

/* Registers the secrets the app shares through the environment. */
static void register_variable_secrets(const struct config *cfg)
{
	for (size_t i = 0; i < sizeof(secret_variables) / sizeof(secret_variables[0]); i++)
		redact_register(config_lookup(cfg, secret_variables[i]));
}

/* Loads `path` (NULL: no file, defaults and environment only) into cfg.
 * Returns 1 when loaded, 0 when the file does not exist and must_exist is
 * false (cfg untouched), -1 on error (cfg freed-and-empty). */
static int load(struct config *cfg, const char *path, bool must_exist, char *err, size_t errlen)
{
	struct config c;
	struct load_state ls;
	memset(&ls, 0, sizeof(ls));
	ls.entries = xcalloc(config_key_count, sizeof(*ls.entries));
	config_defaults(&c);
	int rc = -1;

	if (path) {
		int found = read_text_file(path, !must_exist, "", &ls.text, &ls.st, err, errlen);
		if (found == 0) {
			rc = 0;
			goto done;
		}
		if (found < 0)
			goto done;
		config_string_set(&c.path, path);
		if (ini_parse(path, ls.text, &ls.ini, &ls.sections, err, errlen) < 0)
			goto done;
		if (config_keys_check_names(path, &ls.ini, &ls.sections, ls.entries, err, errlen) <
		    0)
			goto done;
		int secret_line = literal_secret_line(&ls);
		if (secret_line && readable_by_others(&ls.st)) {
			snprintf(err, errlen,
			         "%s: holds a password (line %d) but is readable by group or "
			         "others; run: chmod 600 %s",
			         path, secret_line, path);
			goto done;
		}
	}

	const struct config_key *env_key = config_key_find("app", "env_file");
	if (load_env_file(&c, ls.entries[env_key - config_keys], err, errlen) < 0)
		goto done;

	for (size_t i = 0; i < config_key_count; i++) {
		if (&config_keys[i] == env_key)
			continue;
		if (apply_key(&c, &config_keys[i], ls.entries[i], lookup_config, err, errlen) < 0)
			goto done;
	}
	/* Checks that need every value (a URL check needs the timeout). */
	for (size_t i = 0; i < config_key_count; i++) {
		char origin[1024];
		describe_origin(origin, sizeof(origin), &c, &config_keys[i], ls.entries[i]);
		if (config_value_check(&c, &config_keys[i], origin, err, errlen) < 0)
			goto done;
	}
	if (!ls.entries[config_key_find("recovery", "restart_command") - config_keys])
		config_string_set(&c.recovery.restart_command,
		                  on_path("pm2") ? "pm2 restart all" : "");
	if (!*c.backup.region) {
		const char *region = config_lookup(&c, "AWS_DEFAULT_REGION");
		config_string_set(&c.backup.region, region && *region ? region : "us-east-1");
	}
	register_variable_secrets(&c);

	*cfg = c;
	memset(&c, 0, sizeof(c));
	rc = 1;
done:
	ini_file_free(&ls.ini, &ls.sections);
	free(ls.entries);
	free(ls.text);
	config_free(&c);
	if (rc < 0) {
		memset(cfg, 0, sizeof(*cfg));
		/* The message quotes the file's path and text: no control (C0
		 * or C1) reaches the operator's terminal or a monitoring system. */
		sanitize_text(err, errlen, err);
	}
	return rc;
}

/* ------------------------------------------------------------ public */

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->path = xstrdup("");
	for (size_t i = 0; i < config_key_count; i++) {
		const struct config_key *k = &config_keys[i];
		if (k->type == TYPE_STRING)
			config_string_set(config_string(cfg, k), "");
		if (k->reason_offset)
			config_string_set(config_field(cfg, k->reason_offset), "");
		char err[256];
		/* The table's defaults are valid by construction. */
		if (apply_key(cfg, k, NULL, lookup_nothing, err, sizeof(err)) < 0)
			abort();
	}
	if (!*cfg->backup.region)
		config_string_set(&cfg->backup.region, "us-east-1");
	char *audit_log = paths_default_audit_log();
	config_string_set(&cfg->recovery.audit_log, audit_log ? audit_log : "");
	free(audit_log);
	char *history_dir = paths_default_history_dir();
	config_string_set(&cfg->history.dir, history_dir ? history_dir : "");
	free(history_dir);
}

int config_load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	return load(cfg, path, true, err, errlen) < 0 ? -1 : 0;
}

/* $XDG_CONFIG_HOME/opsdeck/opsdeck.conf, or ~/.config/...; NULL when there
 * is no home to look in. */
static char *user_config_path(void)
{
	char *dir = paths_user_config_dir();
	if (dir == NULL)
		return NULL;
	char *path = xasprintf("%s/opsdeck.conf", dir);
	free(dir);
	return path;
}

int config_load(struct config *cfg, const char *explicit_path, char *err, size_t errlen)
{
	if (explicit_path)
		return config_load_file(cfg, explicit_path, err, errlen);
	char *user = user_config_path();
	int rc = user ? load(cfg, user, false, err, errlen) : 0;
	free(user);
	if (rc == 0)
		rc = load(cfg, CONFIG_SYSTEM_PATH, false, err, errlen);
	if (rc == 0)
		rc = load(cfg, NULL, true, err, errlen);
	return rc < 0 ? -1 : 0;
}

const char *config_lookup(const struct config *cfg, const char *name)
{
	const char *value = getenv(name);
	if (value)
		return value;
	return cfg ? envfile_get(cfg->env, name) : NULL;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < config_key_count; i++) {
		const struct config_key *k = &config_keys[i];
		if (k->type == TYPE_STRING) {
			char **s = config_string(cfg, k);
			free(*s);
			*s = NULL;
		} else if (k->type == TYPE_LIST) {
			config_list_free(cfg, k);
		}
		if (k->reason_offset) {
			char **reason = config_field(cfg, k->reason_offset);
			free(*reason);
			*reason = NULL;
		}
	}
	free(cfg->path);
	envfile_free(cfg->env);
	memset(cfg, 0, sizeof(*cfg));
}
