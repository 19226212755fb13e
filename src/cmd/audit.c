/* audit.c - `opsdeck audit [--since DUR] [--json]`: the audit log
 * ([recovery] audit_log, see job/audit.h) read back.
 *
 * Text: one line per record, oldest first. --json: the records as one JSON
 * array. --since keeps the records of the last DUR (e.g. 1h, 2d). Lines that
 * are not records (a torn write, an edit by hand) are skipped and counted on
 * stderr. Every field is sanitised before it is printed, in both forms:
 * the file is data. --path prints the log's file name and nothing else.
 * A missing log is an empty one. A log that actions would refuse (a mode
 * looser than 0600, not a regular file) is read and reported on stderr.
 * Exit 0; 1 when the log cannot be read (or stdout not written); 2 for a
 * usage or configuration error.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "job/audit.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

static void audit_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck audit [-c FILE] [--since DUR] [--json] [--path]\n"
	           "Prints the audit log of recovery actions and backups, oldest first;\n"
	           "--path prints which file that is.\n");
}

static const char *field(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return "";
	return json_object_get_string(v);
}

/* A copy of v with every string (keys included) sanitised, for --json:
 * json-c escapes C0 controls but passes C1 controls, bidirectional
 * controls and invalid UTF-8 through as they are. Returns a new reference. */
static json_object *audit_clean(json_object *v)
{
	if (json_object_is_type(v, json_type_string)) {
		const char *text = json_object_get_string(v);
		size_t size = strlen(text) + 1;
		char *clean = xmalloc(size);
		sanitize_text(clean, size, text);
		json_object *copy = json_object_new_string(clean);
		free(clean);
		return copy;
	}
	if (json_object_is_type(v, json_type_array)) {
		json_object *copy = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(v); i++)
			json_object_array_add(copy, audit_clean(json_object_array_get_idx(v, i)));
		return copy;
	}
	if (json_object_is_type(v, json_type_object)) {
		json_object *copy = json_object_new_object();
		json_object_object_foreach(v, key, value)
		{
			char name[256];
			sanitize_text(name, sizeof(name), key);
			json_object_object_add(copy, name, audit_clean(value));
		}
		return copy;
	}
	return json_object_get(v); /* numbers, booleans, null */
}

/* "2026-11-27T09:29:25.123Z" to epoch milliseconds, or -1. */
static int64_t parse_time_ms(const char *text)
{
	int64_t ms;
	return clock_parse_iso8601(text, &ms) == 0 ? ms : -1;
}

/* One readable line for a record. */
static void audit_line(json_object *o, struct strbuf *out)
{
	char clean[1024];
	const char *keys[] = {"time",   "user",   "ssh_client", "action", "phase",
	                      "result", "target", "arguments",  "detail", "id"};
	char v[10][1024];
	for (size_t i = 0; i < 10; i++)
		sanitize_text(v[i], sizeof(v[i]), field(o, keys[i]));
	strbuf_printf(out, "%s %s%s%s %s %s", v[0], v[1], v[2][0] ? "@" : "", v[2], v[3], v[4]);
	json_object *dry;
	if (json_object_object_get_ex(o, "dry_run", &dry) && json_object_get_boolean(dry))
		strbuf_puts(out, " (dry run)");
	if (v[5][0])
		strbuf_printf(out, " %s", v[5]);
	const char *dur = field(o, "duration_ms");
	if (dur[0]) {
		int64_t ms = 0;
		(void)text_parse_int64(dur, &ms);
		text_format_duration(clean, sizeof(clean), ms);
		strbuf_printf(out, " in %s", clean);
	}
	if (v[6][0])
		strbuf_printf(out, " target=%s", v[6]);
	if (v[7][0])
		strbuf_printf(out, " args=%s", v[7]);
	if (v[8][0])
		strbuf_printf(out, " - %s", v[8]);
	strbuf_printf(out, " [%.8s]\n", v[9]);
}

/* A line of the log as a record. A line that is not one counts as skipped;
 * a record glued to the end of a torn one (a short write of an older
 * opsdeck) is still read, and only the torn part is skipped. NULL when the
 * line holds no record. */
static json_object *audit_parse_line(const char *line, int *skipped)
{
	const char *start = line;
	for (;;) {
		json_object *o = json_tokener_parse(start);
		if (o && json_object_is_type(o, json_type_object)) {
			if (start != line)
				(*skipped)++;
			return o;
		}
		json_object_put(o);
		start = strstr(start + 1, "{\"time\":");
		if (!start) {
			(*skipped)++;
			return NULL;
		}
	}
}

/* Reports on stderr a log that actions would refuse (audit_inspect): it is
 * still read, but someone has to look at it. */
static void audit_warn(const char *path)
{
	char problem[1024], clean[1024];
	if (audit_inspect(path, problem, sizeof(problem)) == 0)
		return;
	sanitize_text(clean, sizeof(clean), problem);
	fprintf(stderr, "opsdeck: warning: %s; actions and backups are refused until it is fixed\n",
	        clean);
}

enum { OPT_JSON = 2000, OPT_SINCE, OPT_PATH };

struct audit_options {
	bool json;
	bool path;
	int64_t since_ms;
};

static int audit_option(int opt, const char *arg, void *ctx)
{
	struct audit_options *ao = ctx;
	if (opt == OPT_JSON) {
		ao->json = true;
		return 0;
	}
	if (opt == OPT_PATH) {
		ao->path = true;
		return 0;
	}
	if (opt != OPT_SINCE)
		return -1;
	if (text_parse_duration_ms(arg, &ao->since_ms) < 0 || ao->since_ms <= 0) {
		fprintf(stderr, "opsdeck: --since: '%s' is not a duration (e.g. 1h, 30m, 2d)\n",
		        arg);
		return -1;
	}
	return 0;
}

int cmd_audit(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"json", no_argument, NULL, OPT_JSON},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"path", no_argument, NULL, OPT_PATH},
	    {NULL, 0, NULL, 0},
	};
	struct audit_options ao = {false, false, 0};
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, audit_option, &ao, audit_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	bool json = ao.json;
	int64_t since_ms = ao.since_ms;

	struct config cfg;
	if (cli_load_config(opts, &cfg) < 0)
		return EXIT_USAGE;
	int rc = EXIT_USAGE;
	const char *path = cfg.recovery.audit_log ? cfg.recovery.audit_log : "";
	if (ao.path) {
		/* The file actions append to, whether it exists yet or not. */
		if (!path[0]) {
			fprintf(stderr, "opsdeck: no audit log: [recovery] audit_log is empty and "
			                "there is no home directory for the default\n");
			config_free(&cfg);
			return EXIT_USAGE;
		}
		char clean[4096];
		sanitize_text(clean, sizeof(clean), path);
		audit_warn(path);
		rc = cli_write_stdout(clean, strlen(clean)) < 0 || cli_write_stdout("\n", 1) < 0;
		config_free(&cfg);
		return rc;
	}
	FILE *fp = NULL;
	char *line = NULL;
	size_t cap = 0;
	int skipped = 0;
	int64_t cutoff = since_ms > 0 ? clock_wall_ms() - since_ms : 0;
	json_object *array = json_object_new_array();
	struct strbuf out;
	strbuf_init(&out, 0);

	rc = 1; /* from here on, a failure to read or to print */
	fp = path[0] ? fopen(path, "r") : NULL;
	if (!fp && path[0] && errno != ENOENT) {
		fprintf(stderr, "opsdeck: cannot read the audit log %s: %s\n", path,
		        strerror(errno));
		goto done;
	}
	while (fp && getline(&line, &cap, fp) >= 0) {
		if (!text_trim(line)[0])
			continue;
		json_object *o = audit_parse_line(line, &skipped);
		if (!o)
			continue;
		if (cutoff > 0 && parse_time_ms(field(o, "time")) < cutoff) {
			json_object_put(o);
			continue;
		}
		if (json) {
			json_object_array_add(array, audit_clean(o));
			json_object_put(o);
		} else {
			audit_line(o, &out);
			json_object_put(o);
		}
	}
	if (fp && ferror(fp)) {
		fprintf(stderr, "opsdeck: cannot read the audit log %s: %s\n", path,
		        strerror(errno));
		goto done;
	}
	if (fp)
		audit_warn(path);
	if (skipped)
		fprintf(stderr, "opsdeck: %s: skipped %d line%s that %s not audit records\n", path,
		        skipped, skipped == 1 ? "" : "s", skipped == 1 ? "is" : "are");
	if (json) {
		strbuf_puts(&out, json_object_to_json_string_ext(
		                      array, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		                                 JSON_C_TO_STRING_NOSLASHESCAPE));
		strbuf_putc(&out, '\n');
	} else if (!fp) {
		fprintf(stderr, "opsdeck: no audit log at %s yet\n", path[0] ? path : "(none set)");
	}
	rc = cli_write_stdout(strbuf_str(&out), out.len) < 0 ? 1 : 0;
done:
	if (fp)
		fclose(fp);
	free(line);
	json_object_put(array);
	strbuf_free(&out);
	config_free(&cfg);
	return rc;
}
