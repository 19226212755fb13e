/* backup.c - `opsdeck backup db|files|list|verify|prune`: backups from the
 * command line (DESIGN.md "Backups"; the work is in job/backup.c).
 *
 * Progress goes to stderr: a progress bar (bytes, rate, ETA) on a tty, a
 * plain log line every few seconds otherwise. The result is one line on
 * stdout (success) or stderr (failure). SIGINT, SIGTERM and SIGHUP cancel a running
 * backup: pg_dump is stopped, the upload aborted (10 s at most), and the exit
 * status is 1. A second signal gives up the abort: the upload left behind is
 * named in the result (and the audit record).
 *
 * Exit status (opsdeck(1) EXIT STATUS): 0 success, 1 the backup (or the
 * verification, or the listing) failed, 2 a usage or configuration error or
 * a backup refused before it began (no database or source configured, a bad
 * target, an audit log that cannot take the attempt record).
 */
#include "cmd/cmd.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cmd/cli_term.h"
#include "job/backup.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"

#define LOG_EVERY_MS 5000

static bool cli_cancelled(void *ctx)
{
	return atomic_load(&cli_interrupted) != 0;
}

static void format_bytes(char *dst, size_t size, uint64_t n)
{
	if (n >= 1000ull * 1000 * 1000)
		snprintf(dst, size, "%.2f GB", (double)n / 1e9);
	else if (n >= 1000ull * 1000)
		snprintf(dst, size, "%.1f MB", (double)n / 1e6);
	else
		snprintf(dst, size, "%.1f kB", (double)n / 1e3);
}

static void show_progress(void *ctx, const struct backup_progress *p)
{
	struct cli_progress *c = ctx;
	int64_t now = clock_monotonic_ms();
	if (!c->tty && strcmp(p->phase, "starting") == 0) {
		char total[32];
		format_bytes(total, sizeof(total), p->total);
		fprintf(stderr, "opsdeck: %s: starting%s%s\n", c->what,
		        p->total ? ", database size " : "", p->total ? total : "");
		return;
	}
	/* a log line every LOG_EVERY_MS from the start: a run shorter than that
	 * prints no progress, only its result */
	if (!c->tty && now - c->last_ms < LOG_EVERY_MS && strcmp(p->phase, "finishing") != 0)
		return;
	if (c->tty && now - c->last_ms < 200)
		return;
	c->last_ms = now;
	char in[32], out[32], rate[32], eta[32] = "";
	format_bytes(in, sizeof(in), p->bytes_in);
	format_bytes(out, sizeof(out), p->bytes_out);
	double secs = p->elapsed_ms > 0 ? (double)p->elapsed_ms / 1000.0 : 0.001;
	double bps = (double)p->bytes_in / secs;
	format_bytes(rate, sizeof(rate), (uint64_t)bps);
	double frac = p->total ? (double)p->bytes_in / (double)p->total : 0.0;
	if (frac > 0.99)
		frac = 0.99; /* the size is an estimate: never claim 100% early */
	bool running = strcmp(p->phase, "dumping") == 0 || strcmp(p->phase, "files") == 0 ||
	               strcmp(p->phase, "verifying") == 0;
	if (running && p->total && bps > 0 && p->bytes_in < p->total) {
		long left = (long)((double)(p->total - p->bytes_in) / bps);
		snprintf(eta, sizeof(eta), " ETA %ld:%02ld", left / 60, left % 60);
	}
	char files[64] = "";
	if (p->files_total)
		snprintf(files, sizeof(files), " %llu/%llu %s", (unsigned long long)p->files_done,
		         (unsigned long long)p->files_total,
		         text_plural((int64_t)p->files_total, "file", "files"));
	if (c->tty) {
		char bar[31];
		int filled = p->total ? (int)(frac * 30) : 0;
		for (int i = 0; i < 30; i++)
			bar[i] = p->total ? (i < filled ? '#' : '.')
			                  : (i == (p->elapsed_ms / 200) % 30 ? '#' : '.');
		bar[30] = '\0';
		fprintf(stderr, "\r\033[K%s [%s] %s -> %s  %s/s%s%s", c->what, bar, in, out, rate,
		        files, eta);
		c->drew = true;
	} else if (strcmp(p->phase, "verifying") == 0) {
		char total[32];
		format_bytes(total, sizeof(total), p->total);
		fprintf(stderr, "opsdeck: %s: verifying: %s of %s downloaded, %s/s%s%s\n", c->what,
		        in, total, rate, files, eta);
	} else {
		fprintf(stderr, "opsdeck: %s: %s: %s read, %s stored, %s/s%s%s\n", c->what,
		        p->phase, in, out, rate, files, eta);
	}
	fflush(stderr);
}

/* Retries from the S3 client, from any thread: one fprintf is atomic. */
static void cli_log(void *ctx, const char *line)
{
	cli_progress_log(ctx, line);
}

static void backup_usage(FILE *f)
{
	fprintf(f,
	        "usage: opsdeck backup db    [--target URL]\n"
	        "       opsdeck backup files [--target URL] [--source DIR] [--pattern GLOB]...\n"
	        "       opsdeck backup list  [--target URL] [--json]\n"
	        "       opsdeck backup verify [--target URL] KEY\n"
	        "       opsdeck backup prune [--dry-run | --yes] [--target URL]\n"
	        "       opsdeck backup drill [--target URL] [KEY]\n"
	        "Targets: s3://bucket/prefix or file:///dir ([backup] target by default).\n"
	        "Exit 0 success, 1 the backup or verification failed, 2 usage or configuration.\n");
}

/* An age from a wall-clock time, in seconds, never negative: a time in the
 * future (the target's clock ahead of ours) gives 0 and sets *skew. */
static int64_t age_seconds(int64_t now_ms, int64_t when_ms, bool *skew)
{
	int64_t age = (now_ms - when_ms) / 1000;
	*skew = age < 0;
	return age < 0 ? 0 : age;
}

static void format_age(char *dst, size_t size, int64_t age, bool skew)
{
	if (skew)
		snprintf(dst, size, "future");
	else if (age < 3600)
		snprintf(dst, size, "%lldm", (long long)(age / 60));
	else if (age < 86400 * 2)
		snprintf(dst, size, "%lldh%02lldm", (long long)(age / 3600),
		         (long long)(age % 3600 / 60));
	else
		snprintf(dst, size, "%lldd", (long long)(age / 86400));
}

/* Adds the members every listed thing has: its time and its age. */
static void json_add_time(json_object *o, const char *name, int64_t when_ms, int64_t now_ms)
{
	char when[32];
	bool skew = false;
	clock_format_iso8601(when, sizeof(when), when_ms);
	json_object_object_add(o, name, json_object_new_string(when));
	json_object_object_add(o, "age_seconds",
	                       json_object_new_int64(age_seconds(now_ms, when_ms, &skew)));
	json_object_object_add(o, "clock_skew", json_object_new_boolean(skew));
}

/* A JSON string of a name from outside: as it is when it is valid UTF-8
 * (json-c escapes controls), else sanitised, so the document stays JSON. */
static json_object *json_name(const char *name)
{
	for (const char *p = name; *p;) {
		uint32_t cp;
		size_t used = sanitize_decode(p, strlen(p), &cp);
		if (used == 0) {
			char clean[1024];
			sanitize_text(clean, sizeof(clean), name);
			return json_object_new_string(clean);
		}
		p += used;
	}
	return json_object_new_string(name);
}

static json_object *list_json(const char *target, const struct backup_entry *e, size_t n,
                              const struct sink_entry *u, size_t un, int64_t now)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		char problem[sizeof(e[i].problem)];
		sanitize_text(problem, sizeof(problem), e[i].problem);
		json_object_object_add(o, "key", json_name(e[i].key));
		json_object_object_add(o, "kind", json_object_new_string(e[i].kind));
		json_object_object_add(o, "size", json_object_new_int64((int64_t)e[i].size));
		json_add_time(o, "modified", e[i].modified_ms, now);
		json_object_object_add(o, "complete", json_object_new_boolean(e[i].complete));
		json_object_object_add(o, "problem",
		                       problem[0] ? json_object_new_string(problem) : NULL);
		json_object_array_add(arr, o);
	}
	json_object *left = json_object_new_array();
	for (size_t i = 0; i < un; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "key", json_name(u[i].key));
		json_object_object_add(o, "upload_id",
		                       u[i].upload_id ? json_name(u[i].upload_id) : NULL);
		json_add_time(o, "started", u[i].modified_ms, now);
		json_object_array_add(left, o);
	}
	json_object *doc = json_object_new_object();
	json_object_object_add(doc, "target", json_object_new_string(target));
	json_object_object_add(doc, "backups", arr);
	json_object_object_add(doc, "unfinished", left);
	return doc;
}

static void list_text(struct strbuf *out, const struct backup_entry *e, size_t n,
                      const struct sink_entry *u, size_t un, int64_t now)
{
	if (n == 0)
		strbuf_puts(out, "no backups found\n");
	else
		strbuf_printf(out, "%-10s %-5s %10s %-10s %s\n", "AGE", "KIND", "SIZE", "STATE",
		              "KEY");
	for (size_t i = 0; i < n; i++) {
		bool skew = false;
		char age[32], size[32], key[1024], problem[300] = "";
		int64_t seconds = age_seconds(now, e[i].modified_ms, &skew);
		format_age(age, sizeof(age), seconds, skew);
		format_bytes(size, sizeof(size), e[i].size);
		sanitize_text(key, sizeof(key), e[i].key);
		if (e[i].problem[0]) {
			char clean[sizeof(e[i].problem)];
			sanitize_text(clean, sizeof(clean), e[i].problem);
			snprintf(problem, sizeof(problem), " (%s)", clean);
		}
		strbuf_printf(out, "%-10s %-5s %10s %-10s %s%s\n", age, e[i].kind, size,
		              e[i].complete ? "complete"
		                            : (e[i].problem[0] ? "DAMAGED" : "INCOMPLETE"),
		              key, problem);
	}
	if (un == 0)
		return;
	strbuf_printf(out, "\nunfinished (begun, neither completed nor aborted):\n%-10s %s\n",
	              "AGE", "KEY");
	for (size_t i = 0; i < un; i++) {
		bool skew = false;
		char age[32], key[1024], id[300] = "";
		int64_t seconds = age_seconds(now, u[i].modified_ms, &skew);
		format_age(age, sizeof(age), seconds, skew);
		sanitize_text(key, sizeof(key), u[i].key);
		if (u[i].upload_id) {
			char clean[256];
			sanitize_text(clean, sizeof(clean), u[i].upload_id);
			snprintf(id, sizeof(id), " (upload id %s)", clean);
		}
		strbuf_printf(out, "%-10s %s%s%s\n", age, key, u[i].upload_id ? "" : ".partial",
		              id);
	}
}

static int run_list(const struct config *cfg, const char *target, bool json)
{
	struct backup_entry *e = NULL;
	struct sink_entry *u = NULL;
	size_t n = 0, un = 0;
	char err[1024];
	if (backup_list(cfg, target, &e, &n, err, sizeof(err)) != 0) {
		cli_print_clean(stderr, "opsdeck: backup list: ", err);
		return 1;
	}
	if (backup_list_unfinished(cfg, target, &u, &un, err, sizeof(err)) != 0) {
		/* the backups are listed; what is left over is a note */
		cli_print_clean(stderr,
		                "opsdeck: backup list: unfinished uploads not listed: ", err);
		u = NULL;
		un = 0;
	}
	int64_t now = clock_wall_ms();
	struct strbuf out;
	strbuf_init(&out, 0);
	if (json) {
		json_object *doc =
		    list_json(target && *target ? target : cfg->backup.target, e, n, u, un, now);
		strbuf_puts(&out, json_object_to_json_string_ext(
		                      doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		                               JSON_C_TO_STRING_NOSLASHESCAPE));
		strbuf_putc(&out, '\n');
		json_object_put(doc);
	} else {
		list_text(&out, e, n, u, un, now);
	}
	int rc = cli_write_stdout(strbuf_str(&out), out.len) == 0 ? 0 : 1;
	strbuf_free(&out);
	backup_entries_free(e, n);
	sink_entries_free(u, un);
	return rc;
}

enum { OPT_TARGET = 2000, OPT_SOURCE, OPT_PATTERN, OPT_JSON };

struct backup_options {
	const char *target, *source;
	char *patterns[CONFIG_MAX_PATTERNS];
	size_t pattern_count;
	bool json;
};

static int backup_option(int opt, const char *arg, void *ctx)
{
	struct backup_options *bo = ctx;
	switch (opt) {
	case OPT_TARGET:
		bo->target = arg;
		return 0;
	case OPT_SOURCE:
		bo->source = arg;
		return 0;
	case OPT_PATTERN:
		if (bo->pattern_count == CONFIG_MAX_PATTERNS) {
			fprintf(stderr, "opsdeck: backup: at most %d --pattern\n",
			        CONFIG_MAX_PATTERNS);
			return -1;
		}
		bo->patterns[bo->pattern_count++] = (char *)arg;
		return 0;
	case OPT_JSON:
		bo->json = true;
		return 0;
	}
	return -1;
}

int cmd_backup(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"target", required_argument, NULL, OPT_TARGET},
	    {"source", required_argument, NULL, OPT_SOURCE},
	    {"pattern", required_argument, NULL, OPT_PATTERN},
	    {"json", no_argument, NULL, OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
	if (argc < 2) {
		backup_usage(stderr);
		return EXIT_USAGE;
	}
	const char *sub = argv[1];
	if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0) {
		backup_usage(stdout);
		return 0;
	}
	if (strcmp(sub, "prune") == 0)
		return cmd_backup_prune(argc - 1, argv + 1, opts);
	if (strcmp(sub, "drill") == 0)
		return cmd_backup_drill(argc - 1, argv + 1, opts);
	if (strcmp(sub, "db") != 0 && strcmp(sub, "files") != 0 && strcmp(sub, "list") != 0 &&
	    strcmp(sub, "verify") != 0) {
		fprintf(stderr,
		        "opsdeck: backup: unknown action '%s' (db, files, list, verify, prune, "
		        "drill)\n",
		        sub);
		return EXIT_USAGE;
	}
	struct backup_options bo = {0};
	argc--;
	argv++;
	int parsed =
	    cli_parse(argc, argv, opts, longopts, NULL, backup_option, &bo, backup_usage, 1);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	const char *target = bo.target, *source = bo.source;
	char **patterns = bo.patterns;
	size_t pattern_count = bo.pattern_count;
	bool json = bo.json;
	bool is_db = strcmp(sub, "db") == 0, is_files = strcmp(sub, "files") == 0;
	bool is_list = strcmp(sub, "list") == 0, is_verify = strcmp(sub, "verify") == 0;
	if ((is_verify && optind + 1 != argc) || (!is_verify && optind != argc) ||
	    (json && !is_list) || ((source || pattern_count) && !is_files)) {
		backup_usage(stderr);
		return EXIT_USAGE;
	}
	struct config cfg;
	int ready = cli_load_backup_config(opts, "backup", target, &cfg);
	if (ready != 0)
		return ready;
	if (!is_list)
		cli_catch_interrupts(); /* a listing is short: Ctrl-C just ends it */
	struct cli_progress progress;
	cli_progress_init(&progress, is_db ? "backup db" : (is_files ? "backup files" : "verify"));
	struct backup_hooks hooks = {.progress = show_progress,
	                             .cancelled = cli_cancelled,
	                             .ctx = &progress,
	                             .cancel = &cli_interrupted,
	                             .abandon = &cli_abandoned,
	                             .log = cli_log};
	int rc = 1;
	if (is_list) {
		rc = run_list(&cfg, target, json);
	} else if (is_verify) {
		char message[1200];
		rc =
		    backup_verify(&cfg, target, argv[optind], &hooks, message, sizeof(message)) == 0
		        ? 0
		        : 1;
		cli_progress_end(&progress);
		cli_print_clean(rc == 0 ? stdout : stderr, rc == 0 ? "" : "opsdeck: ", message);
	} else {
		struct backup_result r;
		int ok = is_db ? backup_db(&cfg, target, &hooks, &r)
		               : backup_files(&cfg, target, source, pattern_count ? patterns : NULL,
		                              pattern_count, &hooks, &r);
		cli_progress_end(&progress);
		if (ok == 0) {
			cli_print_clean(stdout, "", r.message);
			rc = 0;
		} else {
			if (atomic_load(&cli_interrupted))
				fprintf(stderr, "opsdeck: interrupted by signal %d\n",
				        atomic_load(&cli_interrupted));
			if (atomic_load(&cli_abandoned))
				fprintf(
				    stderr,
				    "opsdeck: interrupted again by signal %d: cleanup given up\n",
				    atomic_load(&cli_abandoned));
			cli_print_clean(stderr, "opsdeck: ", r.message);
			for (size_t i = 0; i < r.failures && i < 20; i++)
				cli_print_clean(stderr, "  failed: ", r.failed[i]);
			if (r.failures > 20)
				fprintf(stderr, "  ... and %zu more\n", r.failures - 20);
			rc = r.refused ? EXIT_USAGE : 1;
		}
		backup_result_free(&r);
	}
	fflush(stdout);
	config_free(&cfg);
	return rc;
}
