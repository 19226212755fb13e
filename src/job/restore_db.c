/* restore_db.c - a database dump restored into a new database (see
 * restore_db.h). */
#include "job/restore_db.h"

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client/pg_session.h"
#include "config/pgurl.h"
#include "job/audit.h"
#include "job/backup_common.h"
#include "job/backup_fetch.h"
#include "job/pg_load.h"
#include "job/restore_swap.h"
#include "model/redact.h"
#include "repo/backup_codec.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/text.h"

#define RESTORE_ACTION     "restore-db"
#define MANIFEST_SUFFIX_DB ".json"
#define RESTORE_DROP_MS    30000

int restore_db_name_check(const char *name, char *err, size_t errlen)
{
	size_t n = name ? strlen(name) : 0;
	bool ok = n > 0 && n <= RESTORE_DB_NAME_MAX &&
	          (isalpha((unsigned char)name[0]) || name[0] == '_');
	for (size_t i = 0; ok && i < n; i++)
		ok = isalnum((unsigned char)name[i]) || name[i] == '_' || name[i] == '$';
	if (ok)
		return 0;
	text_printf(err, errlen,
	            "'%.80s' is not a database name opsdeck creates: letters, digits, _ and $, "
	            "starting with a letter or _, at most %d bytes",
	            name ? name : "", RESTORE_DB_NAME_MAX);
	return -1;
}

int restore_db_key(const char *given, char *key, size_t size, char *err, size_t errlen)
{
	size_t n = given ? strlen(given) : 0;
	size_t s = strlen(MANIFEST_SUFFIX_DB);
	if (n > s && strcmp(given + n - s, MANIFEST_SUFFIX_DB) == 0)
		n -= s;
	if (n == 0 || n >= size) {
		text_printf(err, errlen, "no backup key given (one of `opsdeck backup list`)");
		return -1;
	}
	memcpy(key, given, n);
	key[n] = '\0';
	if (!sink_key_valid(key)) {
		text_printf(err, errlen, "'%s' is not a backup key", key);
		return -1;
	}
	return 0;
}

static bool sha256_valid(const char *hex)
{
	size_t n = strspn(hex, "0123456789abcdef");
	return n == SHA256_HEX_SIZE - 1 && hex[n] == '\0';
}

/* Reads the manifest of key and checks that it may be restored. */
static int load_manifest(struct sink *sink, const char *key, const char *dbname, bool any,
                         struct manifest *m, char *err, size_t errlen)
{
	char mkey[1200];
	struct sink_text text = {0};
	text_printf(mkey, sizeof(mkey), "%s%s", key, MANIFEST_SUFFIX_DB);
	int rc = -1;
	if (sink_get_text(sink, mkey, &text, err, errlen) != 0) {
		char why[1024];
		text_printf(why, sizeof(why),
		            "no manifest %s (no such backup, or an incomplete one): %s", mkey,
		            text.refused ? text.refused : err);
		text_printf(err, errlen, "%s", why);
	} else if (manifest_parse(text.data ? text.data : "", text.len, m, err, errlen) != 0) {
		/* err says why */
	} else if (strcmp(m->kind, "db") != 0) {
		text_printf(err, errlen, "%s is a %s backup, not a database dump", key, m->kind);
	} else if (strcmp(m->key, key) != 0) {
		text_printf(err, errlen, "the manifest %s names another object (%s)", mkey, m->key);
	} else if (!sha256_valid(m->sha256)) {
		text_printf(err, errlen,
		            "the manifest %s has no checksum: the dump cannot be checked", mkey);
	} else if (!codec_for_manifest(m, err, errlen)) {
		/* err names the codec this build does not know */
	} else if (!any && dbname && strcmp(m->database, dbname) != 0) {
		text_printf(err, errlen,
		            "%s is a backup of database %s, not of %s ([database] url); give "
		            "--any-database to restore it anyway",
		            key, m->database, dbname);
	} else {
		rc = 0;
	}
	free(text.data);
	return rc;
}

/* The URL the restore connects with: [backup] restore_url, else the app's. */
static const char *restore_url_of(const struct config *cfg)
{
	const char *u = cfg->backup.restore_url;
	return u && *u ? u : cfg->database.url;
}

/* One statement on a fresh session to the restore URL's own database. */
static int admin_query(const struct pgurl *url, int64_t timeout_ms, const char *sql, int nparams,
                       const char *const *params, PGresult **rows, char sqlstate[6], char *err,
                       size_t errlen)
{
	struct pg_session s;
	pg_session_init(&s, url->password ? url->password : "", timeout_ms);
	int rc = pg_session_connect(&s, url, err, errlen);
	if (rc == 0)
		rc = pg_session_query(&s, sql, nparams, params, rows, sqlstate, err, errlen);
	pg_session_close(&s);
	return rc;
}

/* A quoted identifier for name (already checked: letters, digits, _, $). */
static void quote_name(char *dst, size_t size, const char *name)
{
	text_printf(dst, size, "\"%s\"", name);
}

/* Refuses an existing database, a role that cannot create one and, for
 * --replace, a live database that is not there. */
static int preflight(const struct pgurl *url, int64_t timeout_ms, const char *into,
                     const char *live, char *err, size_t errlen)
{
	PGresult *rows = NULL;
	const char *params[2] = {into, live ? live : into};
	int rc = admin_query(url, timeout_ms,
	                     "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1),"
	                     " (SELECT rolcreatedb OR rolsuper FROM pg_roles"
	                     "  WHERE rolname = current_user), current_user,"
	                     " EXISTS (SELECT 1 FROM pg_database WHERE datname = $2)",
	                     2, params, &rows, NULL, err, errlen);
	if (rc != 0) {
		char why[512];
		text_printf(why, sizeof(why), "%s", err);
		text_printf(err, errlen, "cannot connect with [backup] restore_url: %s", why);
	} else if (!rows || PQntuples(rows) != 1) {
		text_printf(err, errlen, "the database check returned no row");
		rc = -1;
	} else if (strcmp(PQgetvalue(rows, 0, 0), "t") == 0) {
		text_printf(err, errlen,
		            "database %s exists: restore creates a new database (choose another "
		            "name, or drop it first)",
		            into);
		rc = -1;
	} else if (strcmp(PQgetvalue(rows, 0, 1), "t") != 0) {
		text_printf(err, errlen,
		            "role %s cannot create databases: ALTER ROLE %s CREATEDB, or set "
		            "[backup] restore_url to a role that can",
		            PQgetvalue(rows, 0, 2), PQgetvalue(rows, 0, 2));
		rc = -1;
	} else if (live && strcmp(PQgetvalue(rows, 0, 3), "t") != 0) {
		text_printf(err, errlen, "database %s does not exist: nothing to replace", live);
		rc = -1;
	}
	PQclear(rows);
	return rc;
}

static int create_database(const struct pgurl *url, int64_t timeout_ms, const char *into, char *err,
                           size_t errlen)
{
	char quoted[RESTORE_DB_NAME_MAX + 3], sql[128];
	quote_name(quoted, sizeof(quoted), into);
	/* template0: a dump restores into an empty database, as pg_dump says */
	text_printf(sql, sizeof(sql), "CREATE DATABASE %s TEMPLATE template0", quoted);
	PGresult *rows = NULL;
	char sqlstate[6] = "";
	int rc = admin_query(url, timeout_ms, sql, 0, NULL, &rows, sqlstate, err, errlen);
	PQclear(rows);
	if (rc != 0) {
		char why[512];
		text_printf(why, sizeof(why), "%s", err);
		text_printf(err, errlen, "cannot create database %s: %s", into, why);
	}
	return rc;
}

/* Drops into, ending its sessions; 0, or -1 with why. */
static int drop_database(const struct pgurl *url, const char *into, char *err, size_t errlen)
{
	char quoted[RESTORE_DB_NAME_MAX + 3], sql[160];
	quote_name(quoted, sizeof(quoted), into);
	text_printf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", quoted);
	PGresult *rows = NULL;
	int rc = admin_query(url, RESTORE_DROP_MS, sql, 0, NULL, &rows, NULL, err, errlen);
	PQclear(rows);
	return rc;
}

/* --replace: the restore goes into LIVE_restoring_STAMP, and LIVE becomes
 * LIVE_before_STAMP. */
static int replace_names(const char *live, const char *admin_db, int64_t wall_ms, char *into,
                         char *before, size_t size, char *err, size_t errlen)
{
	if (!live || !*live) {
		text_printf(err, errlen, "--replace needs [database] url: it names the database");
		return -1;
	}
	if (admin_db && strcmp(admin_db, live) == 0) {
		text_printf(err, errlen,
		            "[backup] restore_url connects to %s itself, which --replace renames: "
		            "point it at another database (postgres)",
		            live);
		return -1;
	}
	char stamp[32];
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	text_printf(into, size, "%s_restoring_%s", live, stamp);
	text_printf(before, size, "%s_before_%s", live, stamp);
	if (restore_db_name_check(live, err, errlen) != 0 ||
	    restore_db_name_check(before, err, errlen) != 0 ||
	    restore_db_name_check(into, err, errlen) != 0) {
		char why[512];
		text_printf(why, sizeof(why), "%s", err);
		text_printf(err, errlen, "--replace: %s", why);
		return -1;
	}
	return 0;
}

struct feed {
	struct pg_load *load;
	const struct restore_db_options *o;
	uint64_t plain;
};

static int feed_out(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct feed *f = ctx;
	if (f->o->observe && f->o->observe(f->o->observe_ctx, data, len, err, errlen) != 0)
		return -1;
	if (pg_load_write(f->load, data, len, err, errlen) != 0)
		return -1;
	f->plain += len;
	return 0;
}

/* Creates the database and streams the dump into it; on any failure the
 * loader is killed (its transaction never commits) and the database
 * dropped. */
static int restore_into(struct sink *sink, const char *key, const struct manifest *m,
                        const struct pgurl *url, int64_t timeout_ms, const char *into,
                        const struct restore_db_options *o, const struct backup_hooks *hooks,
                        struct restore_db_result *r, char *err, size_t errlen)
{
	if (create_database(url, timeout_ms, into, err, errlen) != 0)
		return -1;
	r->refused = false;
	struct feed f = {.o = o};
	bool custom = strcmp(m->format, "custom") == 0;
	int rc = -1;
	if (!(f.load = pg_load_start(url, into, custom, hooks ? hooks->cancel : NULL, err, errlen)))
		goto failed;
	const struct codec_ops *codec = codec_for_manifest(m, err, errlen);
	if (!codec)
		goto failed;
	struct backup_progress progress = {.phase = "restoring", .total = m->bytes_out};
	struct backup_fetch fetch = {.codec = codec->name,
	                             .sha256 = m->sha256,
	                             .stored = m->bytes_out,
	                             .plain = m->bytes_in,
	                             .out = feed_out,
	                             .ctx = &f,
	                             .hooks = hooks,
	                             .progress = &progress};
	if (backup_fetch_object(sink, key, &fetch, err, errlen) != 0)
		goto failed;
	if (pg_load_finish(f.load, err, errlen) != 0)
		goto failed;
	rc = 0;
	r->stored = m->bytes_out;
	r->plain = f.plain;
	goto done;
failed:
	r->cancelled = backup_hooks_cancelled(hooks);
	pg_load_free(f.load); /* killed before it could commit */
	f.load = NULL;
	char drop_err[512];
	if (drop_database(url, into, drop_err, sizeof(drop_err)) != 0) {
		size_t n = strlen(err);
		text_printf(err + n, errlen - n,
		            "; and database %s could not be dropped (%s): drop it by hand", into,
		            drop_err);
	} else {
		size_t n = strlen(err);
		text_printf(err + n, errlen - n, "; database %s was dropped", into);
	}
done:
	pg_load_free(f.load);
	return rc;
}

/* The audit record's arguments: "KEY into DB", or "KEY replacing LIVE". */
static void db_args(const struct restore_db_options *o, const char *key, const char *live,
                    char *args, size_t size)
{
	if (o->replace)
		text_printf(args, size, "%s replacing %s", key, live ? live : "");
	else
		text_printf(args, size, "%s into %s", key, o->into ? o->into : "");
}

int restore_db_declined(const struct config *cfg, const struct restore_db_options *o, char *err,
                        size_t errlen)
{
	char key[512], id[AUDIT_ID_SIZE], args[1200];
	struct pgurl app = {0};
	bool have_app = cfg->database.url && *cfg->database.url &&
	                pgurl_parse(cfg->database.url, cfg->app.timeout_ms, &app, err, errlen) == 0;
	int rc = -1;
	if (restore_db_key(o->key, key, sizeof(key), err, errlen) != 0)
		goto done;
	db_args(o, key, have_app ? app.dbname : NULL, args, sizeof(args));
	audit_new_id(id);
	struct audit_record run = {.id = id,
	                           .action = RESTORE_ACTION,
	                           .target = backup_target_of(cfg, o->target),
	                           .arguments = args};
	rc = audit_write_not_run(cfg->recovery.audit_log, &run, "declined",
	                         "not confirmed by the operator: nothing created", err, errlen);
done:
	if (have_app)
		pgurl_free(&app);
	return rc;
}

int restore_db(const struct config *cfg, const struct restore_db_options *o,
               const struct backup_hooks *hooks, struct restore_db_result *r)
{
	memset(r, 0, sizeof(*r));
	char err[1024] = "", key[512], id[AUDIT_ID_SIZE], args[1200], audit_err[512];
	char into[RESTORE_DB_NAME_MAX + 1] = "", before[RESTORE_DB_NAME_MAX + 1] = "";
	int64_t t0 = clock_monotonic_ms();
	const char *url = backup_target_of(cfg, o->target);
	struct manifest m;
	memset(&m, 0, sizeof(m));
	struct sink *sink = NULL;
	struct pgurl app = {0}, admin = {0};
	bool have_app = false, have_admin = false, audited = false;
	int rc = -1;
	r->refused = true; /* until the database is created */

	if (!url || !*url) {
		text_printf(err, sizeof(err),
		            "no target: set [backup] target or give --target URL");
		goto done;
	}
	if (restore_db_key(o->key, key, sizeof(key), err, sizeof(err)) != 0 ||
	    (!o->replace && restore_db_name_check(o->into, err, sizeof(err)) != 0))
		goto done;
	if (cfg->database.url && *cfg->database.url &&
	    pgurl_parse(cfg->database.url, cfg->app.timeout_ms, &app, err, sizeof(err)) == 0)
		have_app = true;
	const char *restore_url = restore_url_of(cfg);
	if (!restore_url || !*restore_url) {
		text_printf(
		    err, sizeof(err),
		    "no database to connect to: set [backup] restore_url or [database] url");
		goto done;
	}
	if (pgurl_parse(restore_url, cfg->app.timeout_ms, &admin, err, sizeof(err)) != 0)
		goto done;
	have_admin = true;
	const char *live = o->replace ? (have_app ? app.dbname : "") : NULL;
	if (o->replace) {
		if (replace_names(live, admin.dbname, clock_wall_ms(), into, before, sizeof(into),
		                  err, sizeof(err)) != 0)
			goto done;
	} else {
		text_printf(into, sizeof(into), "%s", o->into);
	}
	if (!(sink = sink_open(url, cfg, err, sizeof(err))))
		goto done;
	backup_hooks_to_sink(hooks, sink);
	db_args(o, key, live, args, sizeof(args));
	if (load_manifest(sink, key, have_app ? app.dbname : NULL, o->any_database, &m, err,
	                  sizeof(err)) != 0)
		goto done;
	text_printf(r->database, sizeof(r->database), "%s", m.database);
	text_printf(r->created, sizeof(r->created), "%s", m.created);
	text_printf(r->format, sizeof(r->format), "%s", m.format);

	audit_new_id(id);
	/* quiet: the caller (the drill) writes its own records */
	const char *log = cfg->recovery.audit_log;
	struct audit_record run = {.id = id,
	                           .action = RESTORE_ACTION,
	                           .target = url,
	                           .arguments = args,
	                           .dry_run = o->dry_run};
	if (!o->dry_run && cfg->recovery.read_only) {
		text_printf(err, sizeof(err),
		            "read-only mode: restore creates database %s and is not run (--dry-run "
		            "shows what it would do)",
		            into);
		if (!o->quiet)
			(void)audit_write_not_run(log, &run, "refused", err, audit_err,
			                          sizeof(audit_err));
		goto done;
	}
	if (!o->quiet &&
	    audit_write_phase(log, &run, NULL, NULL, -1, audit_err, sizeof(audit_err)) != 0) {
		text_printf(err, sizeof(err), "refusing to restore: cannot write the audit log: %s",
		            audit_err);
		goto done;
	}
	audited = !o->quiet;
	if (preflight(&admin, cfg->app.timeout_ms, into, live, err, sizeof(err)) != 0)
		goto done;
	char stored[32], plain[32];
	text_format_bytes(stored, sizeof(stored), m.bytes_out);
	text_format_bytes(plain, sizeof(plain), m.bytes_in);
	if (o->dry_run && o->replace) {
		text_printf(
		    r->message, sizeof(r->message),
		    "would restore %s (a %s dump of %s taken %s, %s stored) into a new "
		    "database %s on %s, then end the sessions on %s and rename it to %s and "
		    "%s to %s",
		    key, m.format, m.database, m.created, stored, into, admin.redacted, live,
		    before, into, live);
		rc = 0;
		goto done;
	}
	if (o->dry_run) {
		text_printf(
		    r->message, sizeof(r->message),
		    "would create database %s on %s and restore %s into it: a %s dump of %s "
		    "taken %s, %s stored (%s of SQL), checked against its SHA-256",
		    into, admin.redacted, key, m.format, m.database, m.created, stored, plain);
		rc = 0;
		goto done;
	}
	if (restore_into(sink, key, &m, &admin, cfg->app.timeout_ms, into, o, hooks, r, err,
	                 sizeof(err)) != 0)
		goto done;
	r->duration_ms = clock_monotonic_ms() - t0;
	char took[32];
	text_format_duration(took, sizeof(took), r->duration_ms);
	if (o->replace) {
		int ended = 0;
		if (restore_swap(&admin, cfg->app.timeout_ms, live, into, before, &ended, err,
		                 sizeof(err)) != 0) {
			char drop_err[512];
			size_t n = strlen(err);
			if (drop_database(&admin, into, drop_err, sizeof(drop_err)) != 0)
				text_printf(
				    err + n, sizeof(err) - n,
				    "; %s is left as it was; the restored copy %s could not be "
				    "dropped (%s)",
				    live, into, drop_err);
			else
				text_printf(
				    err + n, sizeof(err) - n,
				    "; %s is left as it was and the restored copy was dropped",
				    live);
			goto done;
		}
		text_printf(r->message, sizeof(r->message),
		            "replaced database %s with the restore of %s in %s (%d %s ended); the "
		            "previous one is %s. To roll back: ALTER DATABASE %s RENAME TO %s; "
		            "ALTER DATABASE %s RENAME TO %s",
		            live, key, took, ended, text_plural(ended, "session", "sessions"),
		            before, live, into, before, live);
		rc = 0;
		goto done;
	}
	text_printf(r->message, sizeof(r->message),
	            "restored %s into database %s in %s: %s downloaded and checked, %s of %s fed "
	            "to %s",
	            key, into, took, stored, plain,
	            strcmp(m.format, "custom") == 0 ? "custom dump" : "SQL",
	            strcmp(m.format, "custom") == 0 ? "pg_restore" : "psql");
	rc = 0;
done:
	r->duration_ms = clock_monotonic_ms() - t0;
	if (rc != 0 && r->cancelled && strncmp(err, "cancelled", 9) == 0)
		text_printf(r->message, sizeof(r->message), "restore %s", err);
	else if (rc != 0)
		text_printf(r->message, sizeof(r->message), "restore %s: %s",
		            r->cancelled ? "cancelled"
		            : r->refused ? "refused"
		                         : "failed",
		            err);
	redact_text(r->message, sizeof(r->message));
	if (audited) {
		const char *result = rc == 0        ? "ok"
		                     : r->cancelled ? "cancelled"
		                     : r->refused   ? "refused"
		                                    : "failed";
		if (audit_write_outcome(log, &run, result, r->duration_ms, r->message,
		                        sizeof(r->message)) != 0)
			rc = -1;
	}
	manifest_free_files(&m);
	sink_free(sink);
	if (have_app)
		pgurl_free(&app);
	if (have_admin)
		pgurl_free(&admin);
	return rc;
}
