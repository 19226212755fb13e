/* backup_drill.c - the drill verb: restore a backup into a scratch
 * database, check it, drop it (see backup_drill.h). */
#include "job/backup_drill.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/pg_session.h"
#include "config/pgurl.h"
#include "job/audit.h"
#include "job/backup_common.h"
#include "job/drill_check.h"
#include "job/drill_state.h"
#include "job/restore_db.h"
#include "model/redact.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/text.h"

#define DRILL_ACTION          "backup-drill"
#define DRILL_DROP_TIMEOUT_MS (60 * 1000LL)

struct drill_run {
	const struct config *cfg;
	const struct backup_hooks *hooks;
	struct sink *sink;
	struct manifest m;
	char key[1024];
	char id[AUDIT_ID_SIZE];
	bool audited;
	struct strbuf details;
};

void drill_scratch_name(char *dst, size_t size, int64_t wall_ms)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;
	gmtime_r(&secs, &tm);
	text_printf(dst, size, DRILL_DATABASE_PREFIX "%04d%02d%02d_%02d%02d%02d_%03d",
	            tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	            (int)(wall_ms % 1000));
}

void drill_report_free(struct drill_report *r)
{
	free(r->details);
	r->details = NULL;
}

/* KEY, or the newest complete database backup, into run->key. */
static int pick_key(struct drill_run *run, const char *key, char *err, size_t errlen)
{
	if (key && *key) {
		text_printf(run->key, sizeof(run->key), "%s", key);
		return 0;
	}
	struct backup_entry *e = NULL;
	size_t n = 0;
	if (catalog_list(run->sink, true, &e, &n, err, errlen) != 0)
		return -1;
	int rc = -1;
	for (size_t i = 0; i < n && rc != 0; i++)
		if (e[i].complete && strcmp(e[i].kind, "db") == 0) {
			text_printf(run->key, sizeof(run->key), "%s", e[i].key);
			rc = 0;
		}
	if (rc != 0)
		text_printf(err, errlen, "no complete database backup at %s", run->sink->display);
	backup_entries_free(e, n);
	return rc;
}

/* The manifest of run->key, which must be a database backup with a
 * checksum (manifest_parse insists on it for kind db). */
static int read_manifest(struct drill_run *run, char *err, size_t errlen)
{
	char mkey[1100], why[256];
	struct sink_text text = {0};
	text_printf(mkey, sizeof(mkey), "%s.json", run->key);
	if (sink_get_text(run->sink, mkey, &text, why, sizeof(why)) != 0) {
		text_printf(err, errlen, "%s has no readable manifest (%s): not a complete backup",
		            run->key, why);
		free(text.data);
		return -1;
	}
	int rc = manifest_parse(text.data ? text.data : "", text.len, &run->m, why, sizeof(why));
	free(text.data);
	if (rc != 0) {
		text_printf(err, errlen, "%s: %s", run->key, why);
		return -1;
	}
	if (strcmp(run->m.kind, "db") != 0) {
		text_printf(err, errlen, "%s is a files backup: a drill restores a database backup",
		            run->key);
		return -1;
	}
	return 0;
}

/* A session to database dbname as the restore role, its deadline
 * timeout_ms from now. */
static int drill_connect(struct drill_run *run, struct pg_session *s, const char *dbname,
                         int64_t timeout_ms, char *err, size_t errlen)
{
	struct pgurl url;
	char why[512];
	pg_session_init(s, "", timeout_ms); /* closable whatever happens below */
	const char *restore_url = run->cfg->backup.restore_url && *run->cfg->backup.restore_url
	                              ? run->cfg->backup.restore_url
	                              : run->cfg->database.url;
	if (pgurl_parse(restore_url, run->cfg->app.timeout_ms, &url, why, sizeof(why)) != 0) {
		text_printf(err, errlen, "%s", why);
		return -1;
	}
	if (dbname)
		pgurl_set(&url, "dbname", dbname);
	pg_session_init(s, url.password, timeout_ms);
	int rc = pg_session_connect(s, &url, err, errlen);
	pgurl_free(&url);
	return rc;
}

/* DROP DATABASE IF EXISTS scratch WITH (FORCE), from the role's own
 * database: whatever happened before, the scratch database goes. */
static int drop_scratch(struct drill_run *run, const char *scratch, char *err, size_t errlen)
{
	struct pg_session s;
	int rc = -1;
	if (drill_connect(run, &s, NULL, DRILL_DROP_TIMEOUT_MS, err, errlen) == 0) {
		char *quoted = pg_session_quote(&s, scratch, err, errlen);
		PGresult *rows = NULL;
		/* no NOTICE when the restore never created it; the DROP on its
		 * own: it cannot run inside the transaction of a multi-statement
		 * query */
		if (quoted && pg_session_query(&s, "SET client_min_messages TO warning", 0, NULL,
		                               &rows, NULL, err, errlen) == 0) {
			char sql[256];
			text_printf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
			            quoted);
			PQclear(rows);
			rows = NULL;
			rc = pg_session_query(&s, sql, 0, NULL, &rows, NULL, err, errlen);
		}
		PQclear(rows);
		if (quoted)
			PQfreemem(quoted);
	}
	pg_session_close(&s);
	return rc;
}

/* Restores run->key into scratch with the restore engine (job/restore_db.h;
 * its own audit records off: the drill writes the drill's); *bytes the dump
 * restored (uncompressed). 0, or -1 with why (the engine has dropped what
 * it created). */
static int drill_restore(struct drill_run *run, const char *target, const char *scratch,
                         uint64_t *bytes, char *err, size_t errlen)
{
	struct restore_db_options o = {
	    .target = target,
	    .key = run->key,
	    .into = scratch,
	    .quiet = true,
	};
	struct restore_db_result res;
	int rc = restore_db(run->cfg, &o, run->hooks, &res);
	*bytes = res.plain;
	if (rc != 0)
		text_printf(err, errlen, "%s", res.message);
	return rc;
}

static void audit_record(struct drill_run *run, const char *result, const char *detail,
                         int64_t duration_ms, char *err, size_t errlen)
{
	char clean[1024];
	text_printf(clean, sizeof(clean), "%s", detail ? detail : "");
	redact_text(clean, sizeof(clean));
	struct audit_record rec = {
	    .id = run->id,
	    .phase = result ? "outcome" : "attempt",
	    .action = DRILL_ACTION,
	    .target = run->sink->display,
	    .arguments = run->key,
	    .result = result,
	    .detail = detail ? clean : NULL,
	    .duration_ms = result ? duration_ms : -1,
	};
	if (audit_write(run->cfg->recovery.audit_log, &rec, err, errlen) == 0 && !result)
		run->audited = true;
}

/* Restore, check: fills out->result; 0 when everything matched. */
static int drill_body(struct drill_run *run, const char *target, struct drill_report *out,
                      int64_t t0)
{
	char err[1024] = "";
	struct drill_result *r = &out->result;
	uint64_t bytes = 0;
	if (drill_restore(run, target, out->scratch, &bytes, err, sizeof(err)) != 0) {
		sanitize_text(r->why, sizeof(r->why), err);
		strbuf_printf(&run->details, "  FAILED restore: %s\n", r->why);
		return -1;
	}
	r->size_bytes = bytes ? bytes : run->m.bytes_in;
	char size[32], took[32];
	text_format_bytes(size, sizeof(size), r->size_bytes);
	text_format_duration(took, sizeof(took), clock_monotonic_ms() - t0);
	strbuf_printf(&run->details, "  restored %s (%s) into %s in %s\n", run->key, size,
	              out->scratch, took);
	struct pg_session s;
	if (drill_connect(run, &s, out->scratch, DRILL_QUERY_TIMEOUT_MS, err, sizeof(err)) != 0) {
		pg_session_close(&s);
		sanitize_text(r->why, sizeof(r->why), err);
		strbuf_printf(&run->details, "  FAILED connecting to %s: %s\n", out->scratch,
		              r->why);
		return -1;
	}
	const atomic_int *cancel = run->hooks ? run->hooks->cancel : NULL;
	s.cancel = cancel; /* a long count or drill_sql query ends at once */
	int rc = drill_check_run(&s, &run->m, run->cfg->backup.drill_sql, cancel, r, &run->details);
	pg_session_close(&s);
	return rc;
}

/* out->message from the result. */
static void drill_summary(struct drill_report *out, const struct drill_run *run)
{
	const struct drill_result *r = &out->result;
	char rto[32], size[32], tables[64];
	text_format_duration(rto, sizeof(rto), r->rto_ms);
	text_format_bytes(size, sizeof(size), r->size_bytes);
	if (r->tables_compared == DRILL_TABLES_NOT_COMPARED)
		text_printf(tables, sizeof(tables), "row counts not compared");
	else
		text_printf(tables, sizeof(tables), "%d %s compared", r->tables_compared,
		            text_plural(r->tables_compared, "table", "tables"));
	if (r->ok)
		text_printf(out->message, sizeof(out->message),
		            "drill passed: %s restored and checked in %s (RTO), %s, %s, newest "
		            "migration %s; %s dropped",
		            run->key, rto, size, tables,
		            r->newest_migration[0] ? r->newest_migration : "(none)", out->scratch);
	else
		text_printf(out->message, sizeof(out->message), "drill failed%s: %s (%s; %s %s)",
		            out->cancelled ? " (cancelled)" : "", r->why, run->key, out->scratch,
		            out->left_behind ? "could NOT be dropped: drop it by hand" : "dropped");
}

int backup_drill(const struct config *cfg, const char *target, const char *key,
                 const struct backup_hooks *hooks, struct drill_report *out)
{
	memset(out, 0, sizeof(*out));
	struct drill_run run = {.cfg = cfg, .hooks = hooks};
	strbuf_init(&run.details, 64 * 1024);
	char err[1024] = "";
	int64_t t0 = clock_monotonic_ms(), wall0 = clock_wall_ms();
	int rc = -1;
	out->refused = true;
	if (!cfg->database.url || !*cfg->database.url) {
		text_printf(err, sizeof(err), "no database configured: set [database] url");
		goto done;
	}
	run.sink = sink_open(backup_target_of(cfg, target), cfg, err, sizeof(err));
	if (!run.sink)
		goto done;
	backup_hooks_to_sink(hooks, run.sink);
	if (pick_key(&run, key, err, sizeof(err)) != 0 ||
	    read_manifest(&run, err, sizeof(err)) != 0)
		goto done;
	drill_scratch_name(out->scratch, sizeof(out->scratch), wall0);
	audit_new_id(run.id);
	char audit_err[512];
	audit_record(&run, NULL, out->scratch, -1, audit_err, sizeof(audit_err));
	if (!run.audited) {
		text_printf(err, sizeof(err), "refusing to drill: cannot write the audit log: %s",
		            audit_err);
		goto done;
	}
	out->refused = false;

	struct drill_result *r = &out->result;
	sanitize_text(r->key, sizeof(r->key), run.key);
	r->tables_compared = DRILL_TABLES_NOT_COMPARED;
	rc = drill_body(&run, target, out, t0);
	r->rto_ms = clock_monotonic_ms() - t0;
	out->cancelled = hooks && hooks->cancel && atomic_load(hooks->cancel);
	/* always, whatever happened: a scratch database never stays */
	char drop_err[512];
	if (drop_scratch(&run, out->scratch, drop_err, sizeof(drop_err)) != 0) {
		out->left_behind = true;
		strbuf_printf(&run.details, "  FAILED dropping %s: %s\n", out->scratch, drop_err);
		if (!r->why[0])
			sanitize_text(r->why, sizeof(r->why), drop_err);
		rc = -1;
	}
	r->ok = rc == 0;
	r->at_ms = clock_wall_ms();
	drill_summary(out, &run);
	char state_err[512];
	if (drill_state_record(cfg, r, state_err, sizeof(state_err)) != 0)
		strbuf_printf(&run.details, "  the result could not be kept: %s\n", state_err);
	audit_record(&run, rc == 0 ? "ok" : (out->cancelled ? "cancelled" : "failed"), out->message,
	             r->rto_ms, audit_err, sizeof(audit_err));
done:
	if (out->refused) {
		redact_text(err, sizeof(err));
		sanitize_text(out->message, sizeof(out->message), err);
	}
	out->details = strbuf_take(&run.details);
	manifest_free_files(&run.m);
	sink_free(run.sink);
	return rc;
}
