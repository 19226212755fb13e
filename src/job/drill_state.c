/* drill_state.c - the last backup drill's state file (see drill_state.h). */
#include "job/drill_state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util/clock.h"
#include "util/file.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

#define DRILL_STATE_VERSION 1

char *drill_state_path(const struct config *cfg)
{
	const char *log = cfg->recovery.audit_log;
	if (!log || !*log)
		return NULL;
	const char *slash = strrchr(log, '/');
	if (!slash)
		return xstrdup(DRILL_STATE_FILE);
	return xasprintf("%.*s/%s", (int)(slash - log), log, DRILL_STATE_FILE);
}

static void add_string(json_object *o, const char *name, const char *value)
{
	json_object_object_add(o, name, json_object_new_string(value));
}

static void add_int(json_object *o, const char *name, int64_t value)
{
	json_object_object_add(o, name, json_object_new_int64(value));
}

char *drill_state_to_json(const struct drill_result *r)
{
	json_object *root = json_object_new_object();
	add_int(root, "drill_state_version", DRILL_STATE_VERSION);
	json_object *last = json_object_new_object();
	char when[32];
	clock_format_iso8601(when, sizeof(when), r->at_ms);
	add_string(last, "time", when);
	add_int(last, "time_ms", r->at_ms);
	add_string(last, "key", r->key);
	add_string(last, "result", r->ok ? "ok" : "failed");
	add_string(last, "why", r->why);
	add_int(last, "rto_ms", r->rto_ms);
	add_int(last, "size_bytes", (int64_t)r->size_bytes);
	json_object_object_add(last, "tables_compared",
	                       r->tables_compared == DRILL_TABLES_NOT_COMPARED
	                           ? NULL
	                           : json_object_new_int(r->tables_compared));
	add_string(last, "newest_migration", r->newest_migration);
	json_object_object_add(root, "last", last);
	add_int(root, "last_success_ms", r->last_success_ms);
	char *text = xasprintf("%s\n", json_object_to_json_string_ext(
	                                   root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                                             JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
	return text;
}

static void get_text(json_object *o, const char *name, char *dst, size_t size)
{
	json_object *v;
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string))
		sanitize_text(dst, size, json_object_get_string(v));
	else
		dst[0] = '\0';
}

/* A non-negative integer member; -1 when missing or not one. */
static int64_t get_count(json_object *o, const char *name)
{
	json_object *v;
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) >= 0)
		return json_object_get_int64(v);
	return -1;
}

int drill_state_parse(const char *text, size_t len, struct drill_result *r, char *err,
                      size_t errlen)
{
	memset(r, 0, sizeof(*r));
	json_tokener *tok = json_tokener_new();
	json_object *root = tok ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
	bool parsed = tok && json_tokener_get_error(tok) == json_tokener_success;
	json_tokener_free(tok);
	json_object *last = NULL, *result = NULL;
	int rc = -1;
	if (!parsed || !root || !json_object_is_type(root, json_type_object) ||
	    get_count(root, "drill_state_version") != DRILL_STATE_VERSION ||
	    !json_object_object_get_ex(root, "last", &last) ||
	    !json_object_is_type(last, json_type_object) ||
	    !json_object_object_get_ex(last, "result", &result) ||
	    !json_object_is_type(result, json_type_string)) {
		text_printf(err, errlen, "not a drill state file (version %d)",
		            DRILL_STATE_VERSION);
		goto done;
	}
	int64_t at = get_count(last, "time_ms"), rto = get_count(last, "rto_ms");
	int64_t size = get_count(last, "size_bytes"), success = get_count(root, "last_success_ms");
	if (at <= 0 || rto < 0 || size < 0 || success < 0) {
		text_printf(err, errlen, "the drill state file lacks a time, RTO or size");
		goto done;
	}
	r->at_ms = at;
	r->rto_ms = rto;
	r->size_bytes = (uint64_t)size;
	r->last_success_ms = success;
	r->ok = strcmp(json_object_get_string(result), "ok") == 0;
	int64_t tables = get_count(last, "tables_compared");
	r->tables_compared =
	    tables < 0 || tables > INT32_MAX ? DRILL_TABLES_NOT_COMPARED : (int)tables;
	get_text(last, "key", r->key, sizeof(r->key));
	get_text(last, "why", r->why, sizeof(r->why));
	get_text(last, "newest_migration", r->newest_migration, sizeof(r->newest_migration));
	rc = 0;
done:
	json_object_put(root);
	return rc;
}

/* The file's result; 1 when there is no file yet, -1 with the reason. */
static int state_load(const char *path, struct drill_result *r, char *err, size_t errlen)
{
	char *text = NULL;
	size_t len = 0;
	char why[512];
	memset(r, 0, sizeof(*r));
	int got = file_read_text(path, NULL, DRILL_STATE_MAX, FILE_READ_NONBLOCK | FILE_READ_TEXT,
	                         &text, &len, NULL, why, sizeof(why));
	if (got != 0) {
		if (got == -1 && errno == ENOENT)
			return 1;
		text_printf(err, errlen, "drill state %s: %s", path,
		            got == FILE_TOO_LARGE ? "too large" : why);
		return -1;
	}
	char perr[256];
	int rc = drill_state_parse(text, len, r, perr, sizeof(perr));
	if (rc != 0)
		text_printf(err, errlen, "drill state %s: %s", path, perr);
	free(text);
	return rc;
}

void drill_state_read(const struct config *cfg, struct drill_status *out)
{
	int64_t t0 = clock_monotonic_ms();
	memset(out, 0, sizeof(*out));
	out->max_age_ms = cfg->backup.drill_max_age_ms;
	char *path = cfg->backup.target && *cfg->backup.target ? drill_state_path(cfg) : NULL;
	if (!path) {
		out->check.state = CHECK_NOT_CONFIGURED;
		text_printf(out->check.error, sizeof(out->check.error), "%s",
		            cfg->backup.target && *cfg->backup.target
		                ? "no audit log ([recovery] audit_log) to keep drills beside"
		                : "no backup target ([backup] target)");
		return;
	}
	sanitize_text(out->check.target, sizeof(out->check.target), path);
	char err[1024];
	if (state_load(path, &out->last, err, sizeof(err)) < 0) {
		out->check.state = CHECK_UNHEALTHY;
		sanitize_text(out->check.error, sizeof(out->check.error), err);
	} else {
		out->check.state = CHECK_OK;
	}
	out->check.latency_ms = (double)(clock_monotonic_ms() - t0);
	out->check.checked_at_ms = clock_wall_ms();
	free(path);
}

int drill_state_record(const struct config *cfg, struct drill_result *r, char *err, size_t errlen)
{
	char *path = drill_state_path(cfg);
	if (!path) {
		text_printf(err, errlen,
		            "no audit log ([recovery] audit_log) to keep the drill beside");
		return -1;
	}
	struct drill_result before;
	char ignored[256];
	if (r->ok)
		r->last_success_ms = r->at_ms;
	else if (state_load(path, &before, ignored, sizeof(ignored)) == 0)
		r->last_success_ms = before.last_success_ms;
	char *text = drill_state_to_json(r);
	int rc = file_replace(path, text, err, errlen);
	free(text);
	free(path);
	return rc;
}
