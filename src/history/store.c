/* store.c - opening, creating and recovering the history database
 * (store.h). SQLite's result codes are mapped to the store's errors here
 * and nowhere else (store_fail, store_is_damage).
 */
#include "history/store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/file.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Version 1 (doc/history.md). auto_vacuum = INCREMENTAL is set before it
 * (store_connect), so the file can shrink after a prune. */
static const char SCHEMA[] =
    "CREATE TABLE label (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);"
    "CREATE TABLE poll (seq INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL,"
    " monotonic_ms INTEGER NOT NULL, duration_ms INTEGER NOT NULL,"
    " version INTEGER, commit_hash INTEGER,"
    " figures BLOB NOT NULL, checks BLOB NOT NULL, issues BLOB NOT NULL);"
    "CREATE INDEX poll_at ON poll (at_ms);"
    "CREATE TABLE issue_message (issue INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " message TEXT NOT NULL, PRIMARY KEY (issue, seq)) WITHOUT ROWID;";

void store_fail(struct history_store *s, const char *what)
{
	text_printf(s->error, sizeof(s->error), "%s: %s: %s", s->path, what,
	            s->db ? sqlite3_errmsg(s->db) : "cannot open");
}

int store_is_damage(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

int store_exec(struct history_store *s, const char *sql)
{
	return sqlite3_exec(s->db, sql, NULL, NULL, NULL);
}

const char *store_label_text(const struct history_store *s, int64_t id)
{
	if (id < 0 || (size_t)id >= s->label_slots)
		return NULL;
	return s->labels[id];
}

void store_label_set(struct history_store *s, int64_t id, const char *text)
{
	if ((size_t)id >= s->label_slots) {
		size_t slots = s->label_slots ? s->label_slots : 64;
		while (slots <= (size_t)id)
			slots *= 2;
		s->labels = xrealloc(s->labels, slots * sizeof(*s->labels));
		memset(s->labels + s->label_slots, 0,
		       (slots - s->label_slots) * sizeof(*s->labels));
		s->label_slots = slots;
	}
	free(s->labels[id]);
	s->labels[id] = xstrdup(text);
}

static void store_free_labels(struct history_store *s)
{
	for (size_t i = 0; i < s->label_slots; i++)
		free(s->labels[i]);
	free(s->labels);
	s->labels = NULL;
	s->label_slots = 0;
}

int store_load_labels(struct history_store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "SELECT id, text FROM label", -1, &st, NULL);
	if (rc != SQLITE_OK) {
		store_fail(s, "cannot read the labels");
		return -1;
	}
	store_free_labels(s);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		if (id < 0 || id > STORE_MAX_LABEL || !text)
			continue;
		store_label_set(s, id, text);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, "cannot read the labels");
		return -1;
	}
	return 0;
}

/* Reads an integer pragma; returns the SQLite result code. */
static int store_pragma_int(struct history_store *s, const char *sql, int64_t *value)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*value = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* PRAGMA quick_check: SQLITE_OK when it says "ok", SQLITE_CORRUPT when it
 * lists a problem, or the code of the failure. */
static int store_quick_check(struct history_store *s)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(st, 0);
			rc = text && strcmp(text, "ok") == 0 ? SQLITE_OK : SQLITE_CORRUPT;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int store_connect(struct history_store *s)
{
	int flags = s->mode == HISTORY_OPEN_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
	                                          : SQLITE_OPEN_READONLY;
	/* 0600: the umask cannot loosen a file SQLite creates with 0644. */
	mode_t old_mask = umask(077);
	int rc = sqlite3_open_v2(s->path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	umask(old_mask);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	if (s->mode == HISTORY_OPEN_READ)
		return SQLITE_OK;
	int64_t version = 0;
	rc = store_pragma_int(s, "PRAGMA user_version", &version);
	if (rc != SQLITE_OK)
		return rc;
	if (version > HISTORY_SCHEMA_VERSION)
		return SQLITE_OK; /* refused by store_check_schema */
	rc = store_quick_check(s);
	if (rc != SQLITE_OK)
		return rc;
	/* before the first table, and outside a transaction, or it is
	 * ignored */
	if (version == 0 && store_exec(s, "PRAGMA auto_vacuum = INCREMENTAL") != SQLITE_OK)
		return sqlite3_errcode(s->db);
	sqlite3_stmt *st = NULL;
	rc = sqlite3_prepare_v2(s->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_ROW ? SQLITE_OK : sqlite3_errcode(s->db);
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rc;
	/* NORMAL in WAL mode: a power cut may lose the last records, never
	 * the database; a killed process loses nothing that was committed. */
	rc = store_exec(s, "PRAGMA synchronous = NORMAL");
	if (rc == SQLITE_OK && version == 0) {
		rc = store_exec(s, "BEGIN IMMEDIATE");
		if (rc == SQLITE_OK)
			rc = store_exec(s, SCHEMA);
		if (rc == SQLITE_OK)
			rc = store_exec(s, "PRAGMA user_version = 1; COMMIT");
		if (rc != SQLITE_OK)
			store_exec(s, "ROLLBACK");
	}
	return rc;
}

/* A schema newer than this build's is not ours to read or write. */
static int store_check_schema(struct history_store *s)
{
	int64_t version = 0;
	int rc = store_pragma_int(s, "PRAGMA user_version", &version);
	if (rc != SQLITE_OK) {
		store_fail(s, "cannot read the schema version");
		return rc;
	}
	if (version != HISTORY_SCHEMA_VERSION) {
		text_printf(s->error, sizeof(s->error),
		            "%s: schema version %lld, this opsdeck reads version %d", s->path,
		            (long long)version, HISTORY_SCHEMA_VERSION);
		return SQLITE_ERROR;
	}
	return SQLITE_OK;
}

static void store_disconnect(struct history_store *s)
{
	sqlite3_finalize(s->message_at);
	s->message_at = NULL;
	if (s->db)
		sqlite3_close_v2(s->db);
	s->db = NULL;
}

int history_store_open(struct history_store **out, const char *dir, enum history_open_mode mode,
                       char *warning, size_t warning_size, char *err, size_t err_size)
{
	*out = NULL;
	if (warning_size)
		warning[0] = '\0';
	if (mode == HISTORY_OPEN_WRITE && file_make_dir(dir, true, err, err_size) < 0)
		return -1;
	struct history_store *s = xcalloc(1, sizeof(*s));
	s->mode = mode;
	s->dir = xstrdup(dir);
	s->path = xasprintf("%s/history.db", dir);
	if (mode == HISTORY_OPEN_READ && access(s->path, R_OK) < 0) {
		text_printf(err, err_size, "cannot read %s: %s", s->path, strerror(errno));
		goto fail;
	}
	int rc = store_connect(s);
	if (rc != SQLITE_OK && mode == HISTORY_OPEN_WRITE && store_is_damage(rc)) {
		char why[256];
		text_copy(why, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc), sizeof(why));
		if (rc == SQLITE_CORRUPT && s->db && sqlite3_errcode(s->db) == SQLITE_OK)
			text_copy(why, "quick_check found damage", sizeof(why));
		if (store_recover(s, why, warning, warning_size) == 0)
			rc = SQLITE_OK;
		else
			goto fail_with_store_error;
	}
	if (rc != SQLITE_OK) {
		store_fail(s, "cannot open");
		goto fail_with_store_error;
	}
	if (store_check_schema(s) != SQLITE_OK || store_load_labels(s) < 0)
		goto fail_with_store_error;
	*out = s;
	return 0;
fail_with_store_error:
	text_copy(err, s->error, err_size);
fail:
	history_store_close(s);
	return -1;
}

void history_store_close(struct history_store *s)
{
	if (!s)
		return;
	store_disconnect(s);
	store_free_labels(s);
	free(s->messages);
	free(s->dir);
	free(s->path);
	free(s);
}

const char *history_store_path(const struct history_store *s)
{
	return s->path;
}

const char *history_store_error(const struct history_store *s)
{
	return s->error;
}

int64_t history_store_skipped(const struct history_store *s)
{
	return s->skipped;
}
