/* store_write.c - appending records to the history and pruning it
 * (store.h history_store_append, history_store_prune).
 */
#include "history/store_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "history/pack.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The id of the label `text`, added to the table when new; -1 on error. */
static int64_t store_label(struct history_store *s, const char *text)
{
	for (size_t i = 0; i < s->label_slots; i++)
		if (s->labels[i] && strcmp(s->labels[i], text) == 0)
			return (int64_t)i;
	sqlite3_stmt *st = NULL;
	int64_t id = -1;
	if (sqlite3_prepare_v2(s->db, "INSERT INTO label (text) VALUES (?1)", -1, &st, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_DONE)
			id = sqlite3_last_insert_rowid(s->db);
	}
	sqlite3_finalize(st);
	if (id < 0 || id > STORE_MAX_LABEL)
		return -1;
	store_label_set(s, id, text);
	return id;
}

/* The writer's last message for an issue, or NULL. */
static struct store_message *store_message_find(struct history_store *s, int64_t issue)
{
	for (size_t i = 0; i < s->message_count; i++)
		if (s->messages[i].issue == issue)
			return &s->messages[i];
	return NULL;
}

/* Stores the issue's message at seq when it differs from the last one
 * stored; returns the SQLite code. */
static int store_message(struct history_store *s, int64_t issue, int64_t seq, const char *text)
{
	struct store_message *m = store_message_find(s, issue);
	if (m && strcmp(m->text, text) == 0)
		return SQLITE_OK;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    s->db, "INSERT OR REPLACE INTO issue_message VALUES (?1, ?2, ?3)", -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, issue);
		sqlite3_bind_int64(st, 2, seq);
		sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK)
		return rc;
	if (!m) {
		if (s->message_count == s->message_slots) {
			s->message_slots = s->message_slots ? s->message_slots * 2 : 16;
			s->messages =
			    xrealloc(s->messages, s->message_slots * sizeof(*s->messages));
		}
		m = &s->messages[s->message_count++];
		m->issue = issue;
	}
	text_copy(m->text, text, sizeof(m->text));
	return SQLITE_OK;
}

/* Packs the record's figures, checks and issues; -1 when a label could not
 * be stored. */
static int store_pack(struct history_store *s, const struct history_record *r,
                      struct strbuf *figures, struct strbuf *checks, struct strbuf *issues,
                      int64_t *issue_labels)
{
	for (int i = 0; i < r->figure_count; i++) {
		int64_t id = store_label(s, r->figures[i].name);
		if (id < 0)
			return -1;
		pack_figure(figures, (uint64_t)id, r->figures[i].value);
	}
	for (int i = 0; i < r->check_count; i++) {
		int64_t id = store_label(s, r->checks[i].key);
		if (id < 0)
			return -1;
		pack_varint(checks, (uint64_t)id);
		pack_varint(checks, (uint64_t)r->checks[i].state);
	}
	for (int i = 0; i < r->issue_count; i++) {
		int64_t id = store_label(s, r->issues[i].id);
		int64_t type = store_label(s, r->issues[i].type);
		if (id < 0 || type < 0)
			return -1;
		issue_labels[i] = id;
		pack_varint(issues, (uint64_t)id);
		pack_varint(issues, (uint64_t)type);
		pack_varint(issues, (uint64_t)r->issues[i].severity);
	}
	return 0;
}

static void bind_label_or_null(struct history_store *s, sqlite3_stmt *st, int column,
                               const char *text)
{
	int64_t id = *text ? store_label(s, text) : -1;
	if (id >= 0)
		sqlite3_bind_int64(st, column, id);
	else
		sqlite3_bind_null(st, column);
}

/* One attempt at appending r; returns the SQLite code. */
static int store_append_once(struct history_store *s, struct history_record *r)
{
	struct strbuf figures, checks, issues;
	strbuf_init(&figures, 0);
	strbuf_init(&checks, 0);
	strbuf_init(&issues, 0);
	int64_t issue_labels[HISTORY_MAX_ISSUES];
	sqlite3_stmt *st = NULL;
	int rc = store_exec(s, "BEGIN IMMEDIATE");
	if (rc != SQLITE_OK)
		goto done;
	if (store_pack(s, r, &figures, &checks, &issues, issue_labels) < 0) {
		rc = sqlite3_errcode(s->db);
		goto rollback;
	}
	rc = sqlite3_prepare_v2(s->db,
	                        "INSERT INTO poll (at_ms, monotonic_ms, duration_ms, version,"
	                        " commit_hash, figures, checks, issues)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	                        -1, &st, NULL);
	if (rc != SQLITE_OK)
		goto rollback;
	sqlite3_bind_int64(st, 1, r->at_ms);
	sqlite3_bind_int64(st, 2, r->monotonic_ms);
	sqlite3_bind_int64(st, 3, r->duration_ms);
	bind_label_or_null(s, st, 4, r->version);
	bind_label_or_null(s, st, 5, r->commit);
	sqlite3_bind_blob(st, 6, figures.data ? figures.data : "", (int)figures.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, checks.data ? checks.data : "", (int)checks.len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 8, issues.data ? issues.data : "", (int)issues.len, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		goto rollback;
	int64_t seq = sqlite3_last_insert_rowid(s->db);
	for (int i = 0; i < r->issue_count; i++) {
		rc = store_message(s, issue_labels[i], seq, r->issues[i].message);
		if (rc != SQLITE_OK)
			goto rollback;
	}
	rc = store_exec(s, "COMMIT");
	if (rc != SQLITE_OK)
		goto rollback;
	r->seq = seq;
	goto done;
rollback:
	store_fail(s, "cannot append a record");
	store_exec(s, "ROLLBACK");
	/* labels and messages cached in this transaction are gone with it */
	s->message_count = 0;
	store_load_labels(s);
	if (rc == SQLITE_OK)
		rc = SQLITE_ERROR;
done:
	sqlite3_finalize(st);
	strbuf_free(&figures);
	strbuf_free(&checks);
	strbuf_free(&issues);
	return rc;
}

int history_store_append(struct history_store *s, struct history_record *r, char *warning,
                         size_t warning_size)
{
	char ignored[16];
	if (!warning || !warning_size) {
		warning = ignored;
		warning_size = sizeof(ignored);
	}
	warning[0] = '\0';
	s->error[0] = '\0';
	if (s->mode != HISTORY_OPEN_WRITE) {
		text_printf(s->error, sizeof(s->error), "%s: opened for reading", s->path);
		return -1;
	}
	int rc = store_append_once(s, r);
	if (rc != SQLITE_OK && store_is_damage(rc)) {
		char why[256];
		text_copy(why, sqlite3_errstr(rc), sizeof(why));
		if (store_recover(s, why, warning, warning_size) < 0)
			return -1;
		rc = store_append_once(s, r);
	}
	return rc == SQLITE_OK ? 0 : -1;
}

/* Bytes of a file, 0 when it does not exist. */
static int64_t file_bytes(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (int64_t)st.st_size : 0;
}

static int64_t store_file_bytes(const struct history_store *s)
{
	char wal[4096];
	snprintf(wal, sizeof(wal), "%s-wal", s->path);
	return file_bytes(s->path) + file_bytes(wal);
}

/* Bytes the database's pages hold (free pages not counted); -1 on error. */
static int64_t store_used_bytes(struct history_store *s)
{
	sqlite3_stmt *st = NULL;
	int64_t used = -1;
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT (p.page_count - f.freelist_count) * s.page_size"
	                       " FROM pragma_page_count p, pragma_freelist_count f,"
	                       " pragma_page_size s",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		used = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return used;
}

/* Runs a DELETE with one integer parameter; returns the rows deleted or -1. */
static int64_t store_delete(struct history_store *s, const char *sql, int64_t param)
{
	sqlite3_stmt *st = NULL;
	int64_t deleted = -1;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, param);
		if (sqlite3_step(st) == SQLITE_DONE)
			deleted = sqlite3_changes(s->db);
	}
	sqlite3_finalize(st);
	return deleted;
}

/* Deletes the oldest records until the pages in use fit max_bytes; returns
 * how many were deleted, or -1. */
static int64_t store_prune_size(struct history_store *s, int64_t max_bytes)
{
	int64_t deleted = 0;
	for (int round = 0; round < 200; round++) {
		int64_t used = store_used_bytes(s);
		if (used < 0)
			return -1;
		if (used <= max_bytes)
			break;
		/* a share of the records proportional to the excess, at least 100 */
		int64_t count = 0;
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM poll", -1, &st, NULL) ==
		        SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			count = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (count == 0)
			break;
		int64_t batch =
		    (int64_t)((double)count * (double)(used - max_bytes) / (double)used) + 100;
		int64_t n = store_delete(
		    s, "DELETE FROM poll WHERE seq IN (SELECT seq FROM poll ORDER BY seq LIMIT ?1)",
		    batch);
		if (n < 0)
			return -1;
		deleted += n;
		/* the pages freed only count once they are free: vacuum them */
		if (store_exec(s, "PRAGMA incremental_vacuum") != SQLITE_OK)
			return -1;
	}
	return deleted;
}

int history_store_prune(struct history_store *s, int64_t now_ms, int64_t retention_ms,
                        int64_t max_bytes, struct history_prune_result *result)
{
	memset(result, 0, sizeof(*result));
	s->error[0] = '\0';
	result->size_before = store_file_bytes(s);
	if (retention_ms > 0) {
		int64_t n =
		    store_delete(s, "DELETE FROM poll WHERE at_ms < ?1", now_ms - retention_ms);
		if (n < 0)
			goto fail;
		result->deleted += n;
	}
	if (max_bytes > 0) {
		int64_t n = store_prune_size(s, max_bytes);
		if (n < 0)
			goto fail;
		result->deleted += n;
	}
	/* Messages older than the oldest record, except each issue's latest
	 * (an issue open since then still needs it). */
	if (store_exec(s, "DELETE FROM issue_message WHERE seq < (SELECT min(seq) FROM poll)"
	                  " AND seq < (SELECT max(seq) FROM issue_message m"
	                  " WHERE m.issue = issue_message.issue"
	                  " AND m.seq <= (SELECT min(seq) FROM poll))") != SQLITE_OK)
		goto fail;
	if (result->deleted > 0 && store_prune_labels(s, &result->labels_deleted) < 0)
		goto fail;
	if (store_exec(s, "PRAGMA incremental_vacuum") != SQLITE_OK)
		goto fail;
	/* TRUNCATE: the WAL shrinks too; BUSY (a reader) only delays that */
	store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)");
	result->size_after = store_file_bytes(s);
	return 0;
fail:
	store_fail(s, "cannot prune");
	return -1;
}
