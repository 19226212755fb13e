/* actions.c - the functions behind the recovery action registry, their
 * execution with audit records, and the pure helpers they share (see
 * actions.h).
 */
#include "job/actions.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "job/action_impl.h"
#include "job/audit.h"
#include "job/recheck.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The functions behind each row of ACTIONS[] (model/action.h). */
static const struct action_ops ACTION_OPS[ACTION_COUNT] = {
    [ACTION_CLEAR_CACHE] = {clear_cache_dry_run, clear_cache_run},
    [ACTION_RESTART_APP] = {restart_app_dry_run, restart_app_run},
    [ACTION_RECONNECT_DB] = {reconnect_db_dry_run, reconnect_db_run},
    [ACTION_CANCEL_QUERY] = {cancel_query_dry_run, cancel_query_run},
    [ACTION_TERMINATE_QUERY] = {terminate_query_dry_run, terminate_query_run},
    [ACTION_TERMINATE_BLOCKER] = {terminate_blocker_dry_run, terminate_blocker_run},
};

const struct action_ops *action_ops_of(enum action_id id)
{
	return &ACTION_OPS[id];
}

static bool config_set(const char *value)
{
	return value && value[0];
}

bool action_available(const struct action *a, const struct config *cfg, char *why, size_t whylen)
{
	const char *reason = NULL;
	if ((a->needs & ACTION_NEEDS_REDIS) && !config_set(cfg->redis.url))
		reason = config_set(cfg->redis.url_unset_reason)
		             ? cfg->redis.url_unset_reason
		             : "the redis url is not configured";
	else if ((a->needs & ACTION_NEEDS_DATABASE) && !config_set(cfg->database.url))
		reason = config_set(cfg->database.url_unset_reason)
		             ? cfg->database.url_unset_reason
		             : "the database url is not configured";
	else if ((a->needs & ACTION_NEEDS_CACHE_PREFIX) && !config_set(cfg->redis.cache_prefix))
		reason = "[redis] cache_prefix is empty, so no key is known to be cache; set it to "
		         "the cache keys' prefix (e.g. cache:), or to " CONFIG_CACHE_PREFIX_ALL
		         " to flush the whole selected database (FLUSHDB ASYNC)";
	else if ((a->needs & ACTION_NEEDS_RESTART_COMMAND) &&
	         !config_set(cfg->recovery.restart_command))
		reason = "[recovery] restart_command is not configured (and pm2 is not on PATH)";
	char split_err[256];
	char **argv = NULL;
	if (!reason && (a->needs & ACTION_NEEDS_RESTART_COMMAND)) {
		if (action_split_command(cfg->recovery.restart_command, &argv, split_err,
		                         sizeof(split_err)) < 0)
			reason = split_err;
		action_argv_free(argv);
	}
	if (why && whylen) {
		if (reason == split_err)
			snprintf(why, whylen, "[recovery] restart_command: %s", split_err);
		else
			text_copy(why, reason ? reason : "", whylen);
	}
	return reason == NULL;
}

void action_target(const struct action *a, const struct config *cfg, char *dst, size_t size)
{
	switch (a->backend) {
	case ACTION_BACKEND_REDIS:
		url_redact(dst, size, cfg->redis.url ? cfg->redis.url : "");
		return;
	case ACTION_BACKEND_DATABASE:
		url_redact(dst, size, cfg->database.url ? cfg->database.url : "");
		return;
	case ACTION_BACKEND_APP:
		text_copy(dst, cfg->app.name ? cfg->app.name : "app", size);
		return;
	}
	dst[0] = '\0';
}

/* The audit record's arguments: what parameterises this run. */
static void action_arguments(const struct action *a, const struct action_run *run, char *dst,
                             size_t size)
{
	const struct config *cfg = run->cfg;
	char dur[32];
	dst[0] = '\0';
	if (a->needs & ACTION_NEEDS_PID)
		snprintf(dst, size, "pid=%d", run->pid);
	else if (a->needs & ACTION_TAKES_PID)
		snprintf(dst, size, "%s%.0d%s",
		         run->pid > 0 ? "pid=" : "pid=root with most waiters",
		         run->pid > 0 ? run->pid : 0, run->force ? " force" : "");
	else if (a->backend == ACTION_BACKEND_REDIS)
		snprintf(dst, size, "cache_prefix=%s",
		         cfg->redis.cache_prefix ? cfg->redis.cache_prefix : "");
	else if (a->backend == ACTION_BACKEND_APP)
		snprintf(dst, size, "%s",
		         cfg->recovery.restart_command ? cfg->recovery.restart_command : "");
	else if (a->backend == ACTION_BACKEND_DATABASE) {
		text_format_duration(dur, sizeof(dur), cfg->thresholds.idle_in_tx_ms);
		snprintf(dst, size, "idle_in_tx=%s", dur);
	}
}

const char *action_status_word(enum action_status st)
{
	switch (st) {
	case ACTION_OK:
		return "ok";
	case ACTION_FAILED:
		return "failed";
	case ACTION_REFUSED:
		return "refused";
	case ACTION_CANCELLED:
		return "cancelled";
	case ACTION_STILL_PRESENT:
		return "still-present";
	}
	return "failed";
}

const char *action_status_outcome(enum action_status st)
{
	return st == ACTION_STILL_PRESENT ? "ran, issue still present" : "done";
}

/* The size of an audit record's target and arguments. */
#define ACTION_AUDIT_FIELD 512
/* The size of an outcome's detail: the summary and the re-check. */
#define ACTION_AUDIT_DETAIL 1024

/* Re-checks a run that worked (run->recheck set): ACTION_OK, or
 * ACTION_STILL_PRESENT when an issue it addresses is left. */
static enum action_status action_recheck_run(const struct action *a, struct action_run *run)
{
	struct action_recheck *rc = run->recheck;
	if (run->job)
		job_report(run->job, run->done, 0, "re-checking");
	rc->still_present = recheck_run(run->cfg, rc->probe, a->name, rc->focus_id, rc->before,
	                                rc->before_issues, rc->attempts, rc->out);
	return rc->still_present ? ACTION_STILL_PRESENT : ACTION_OK;
}

/* The outcome's detail of a run that went through: "ran, issue still
 * present: " when it is, the summary, then the re-check's lines joined by
 * "; " (the "now:" lines left out). */
static void action_outcome_detail(enum action_status st, const struct action_run *run, char *dst,
                                  size_t size)
{
	struct strbuf b;
	strbuf_init(&b, size - 1);
	if (st == ACTION_STILL_PRESENT)
		strbuf_printf(&b, "%s: ", action_status_outcome(st));
	strbuf_puts(&b, run->summary);
	const char *p = run->recheck && run->recheck->out ? strbuf_str(run->recheck->out) : "";
	for (bool first = true; *p;) {
		size_t n = strcspn(p, "\n");
		if (n && p[0] != ' ') {
			strbuf_printf(&b, "%s%.*s", first ? "; re-check: " : "; ", (int)n, p);
			first = false;
		}
		p += n;
		p += *p == '\n';
	}
	text_copy(dst, strbuf_str(&b), size);
	strbuf_free(&b);
}

/* The audit record of one attempt at `a`: a fresh id, the target and the
 * arguments, in the caller's buffers (AUDIT_ID_SIZE and ACTION_AUDIT_FIELD
 * bytes). */
static struct audit_record action_audit_attempt(const struct action *a,
                                                const struct action_run *run, bool dry_run,
                                                char *id, char *target, char *args)
{
	audit_new_id(id);
	action_target(a, run->cfg, target, ACTION_AUDIT_FIELD);
	action_arguments(a, run, args, ACTION_AUDIT_FIELD);
	return (struct audit_record){
	    .id = id,
	    .phase = "attempt",
	    .action = a->name,
	    .target = target,
	    .arguments = args,
	    .dry_run = dry_run,
	    .result = NULL,
	    .detail = NULL,
	    .duration_ms = -1,
	};
}

void action_read_only_reason(const struct action *a, char *dst, size_t size)
{
	snprintf(dst, size, "read-only mode (--read-only or [recovery] read_only): %s refused",
	         a->name);
}

enum action_status action_execute(const struct action *a, struct action_run *run, bool dry_run,
                                  char *err, size_t errlen)
{
	const struct config *cfg = run->cfg;
	const char *log = cfg->recovery.audit_log ? cfg->recovery.audit_log : "";
	char id[AUDIT_ID_SIZE], target[ACTION_AUDIT_FIELD], args[ACTION_AUDIT_FIELD], why[512],
	    audit_err[512], detail[ACTION_AUDIT_DETAIL];
	enum action_status st;
	int64_t start_ms = clock_monotonic_ms();

	err[0] = '\0';
	run->summary[0] = '\0';
	run->done = 0;
	struct audit_record rec = action_audit_attempt(a, run, dry_run, id, target, args);

	why[0] = '\0';
	if (!dry_run && cfg->recovery.read_only)
		action_read_only_reason(a, why, sizeof(why));
	else if (!action_available(a, cfg, why, sizeof(why)))
		; /* why is set */
	else if ((a->needs & ACTION_NEEDS_PID) && run->pid <= 0)
		snprintf(why, sizeof(why), "%s needs the pid of a backend (--pid N)", a->name);
	if (why[0]) {
		/* On record if the log can take it; refused either way. */
		(void)audit_write_not_run(log, &rec, "refused", why, audit_err, sizeof(audit_err));
		snprintf(err, errlen, "%s", why);
		return ACTION_REFUSED;
	}

	if (audit_write(log, &rec, audit_err, sizeof(audit_err)) < 0) {
		snprintf(err, errlen,
		         "%s; %s not run: an action nobody can account for does not happen",
		         audit_err, a->name);
		return ACTION_REFUSED;
	}

	const struct action_ops *ops = action_ops_of(a->id);
	int rc = dry_run ? ops->dry_run(run, err, errlen) : ops->run(run, err, errlen);
	if (rc == 0)
		st = ACTION_OK;
	else if (rc == ACTION_RUN_REFUSED)
		st = ACTION_REFUSED;
	else if (action_cancelled(run))
		st = ACTION_CANCELLED;
	else
		st = ACTION_FAILED;
	if (st != ACTION_OK && !err[0])
		snprintf(err, errlen, "%s %s", a->name, action_status_word(st));
	if (st == ACTION_OK && !dry_run && run->recheck)
		st = action_recheck_run(a, run);
	bool went_through = st == ACTION_OK || st == ACTION_STILL_PRESENT;
	if (went_through)
		action_outcome_detail(st, run, detail, sizeof(detail));

	rec.phase = "outcome";
	rec.result = action_status_word(st);
	rec.detail = went_through ? detail : err;
	rec.duration_ms = clock_monotonic_ms() - start_ms;
	if (audit_write(log, &rec, audit_err, sizeof(audit_err)) < 0) {
		/* It ran, but nobody can account for how it ended: not a success. */
		action_say(run, "warning: the outcome could not be recorded: %s", audit_err);
		if (went_through) {
			snprintf(
			    err, errlen,
			    "%s ran, but its outcome could not be recorded in the audit log: %s",
			    a->name, audit_err);
			st = ACTION_FAILED;
		}
	}
	return st;
}

int action_record_declined(const struct action *a, struct action_run *run, char *err, size_t errlen)
{
	const struct config *cfg = run->cfg;
	const char *log = cfg->recovery.audit_log ? cfg->recovery.audit_log : "";
	char id[AUDIT_ID_SIZE], target[ACTION_AUDIT_FIELD], args[ACTION_AUDIT_FIELD];
	struct audit_record rec = action_audit_attempt(a, run, false, id, target, args);
	return audit_write_not_run(log, &rec, "declined", "not confirmed by the operator: not run",
	                           err, errlen);
}

void action_say(struct action_run *run, const char *fmt, ...)
{
	char raw[1024], line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	sanitize_text(line, sizeof(line), raw);
	redact_text(line, sizeof(line));
	if (run->out) {
		strbuf_puts(run->out, line);
		strbuf_putc(run->out, '\n');
	}
	if (run->job)
		job_report(run->job, run->done, 0, "%s", line);
	if (run->on_line)
		run->on_line(line, run->on_line_arg);
}

bool action_cancelled(const struct action_run *run)
{
	return (run->job && job_cancelled(run->job)) || (run->cancel && atomic_load(run->cancel));
}

/* ------------------------------------------------------------ pure helpers */

int action_split_command(const char *line, char ***argv_out, char *err, size_t errlen)
{
	char **argv = NULL;
	int argc = 0;
	struct strbuf word;
	bool in_word = false;
	const char *p = line ? line : "";

	*argv_out = NULL;
	strbuf_init(&word, 0);
	for (;;) {
		char c = *p;
		if (c == '\0' || c == ' ' || c == '\t' || c == '\n') {
			if (in_word) {
				argv = xrealloc(argv, sizeof(*argv) * (size_t)(argc + 2));
				argv[argc++] = xstrdup(strbuf_str(&word));
				argv[argc] = NULL;
				strbuf_reset(&word);
				in_word = false;
			}
			if (c == '\0')
				break;
			p++;
		} else if (c == '\'') {
			const char *end = strchr(p + 1, '\'');
			if (!end) {
				snprintf(err, errlen,
				         "unbalanced single quote in the command line");
				goto fail;
			}
			strbuf_append(&word, p + 1, (size_t)(end - p - 1));
			in_word = true;
			p = end + 1;
		} else if (c == '"') {
			p++;
			for (;;) {
				if (*p == '\0') {
					snprintf(err, errlen,
					         "unbalanced double quote in the command line");
					goto fail;
				}
				if (*p == '"')
					break;
				if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1])) {
					if (p[1] != '\n')
						strbuf_putc(&word, p[1]);
					p += 2;
					continue;
				}
				strbuf_putc(&word, *p++);
			}
			in_word = true;
			p++;
		} else if (c == '\\') {
			if (p[1] == '\0') {
				snprintf(err, errlen, "trailing backslash in the command line");
				goto fail;
			}
			if (p[1] != '\n') {
				strbuf_putc(&word, p[1]);
				in_word = true;
			}
			p += 2;
		} else {
			strbuf_putc(&word, c);
			in_word = true;
			p++;
		}
	}
	strbuf_free(&word);
	if (argc == 0) {
		snprintf(err, errlen, "the command line is empty");
		return -1;
	}
	*argv_out = argv;
	return argc;
fail:
	strbuf_free(&word);
	action_argv_free(argv);
	return -1;
}

void action_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

void action_argv_format(char *const argv[], char *dst, size_t size)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	for (size_t i = 0; argv[i]; i++) {
		const char *w = argv[i];
		if (i)
			strbuf_putc(&b, ' ');
		bool plain = w[0] != '\0';
		for (const char *q = w; *q; q++)
			if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			            "@%_-+=:,./",
			            *q))
				plain = false;
		if (plain) {
			strbuf_puts(&b, w);
			continue;
		}
		strbuf_putc(&b, '\'');
		for (const char *q = w; *q; q++) {
			if (*q == '\'')
				strbuf_puts(&b, "'\\''");
			else
				strbuf_putc(&b, *q);
		}
		strbuf_putc(&b, '\'');
	}
	text_copy(dst, strbuf_str(&b), size);
	strbuf_free(&b);
}

int action_glob_escape(const char *prefix, char *dst, size_t size)
{
	size_t n = 0;
	for (const char *p = prefix; *p; p++) {
		/* A cut pattern would match more than the prefix: refuse. */
		if (n + 3 > size)
			return -1;
		if (strchr("*?[]\\^", *p))
			dst[n++] = '\\';
		dst[n++] = *p;
	}
	dst[n] = '\0';
	return 0;
}
