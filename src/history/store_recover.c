/* store_recover.c - a damaged history database is moved aside and what can
 * still be read of it is copied into a new one (store_impl.h
 * store_recover).
 *
 * The copy goes table by table in key order. Where a read fails (a damaged
 * page), it seeks past the damage in growing steps and goes on, so records
 * on both sides of a damaged page survive; only the unreadable ones are
 * lost.
 */
#include "history/store_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/text.h"
#include "util/xalloc.h"

/* Consecutive failed seeks before a table is given up. */
#define SALVAGE_MAX_SEEKS 48

struct salvage_table {
	const char *select_sql; /* rows with the key (column 0) >= ?1, in key order */
	const char *insert_sql;
	int columns;
};

static const struct salvage_table SALVAGE_TABLES[] = {
    {"SELECT id, text FROM label WHERE id >= ?1 ORDER BY id",
     "INSERT OR IGNORE INTO label VALUES (?1, ?2)", 2},
    {"SELECT seq, at_ms, monotonic_ms, duration_ms, version, commit_hash, figures, checks,"
     " issues FROM poll WHERE seq >= ?1 ORDER BY seq",
     "INSERT OR IGNORE INTO poll VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", 9},
    {"SELECT issue, seq, message FROM issue_message WHERE issue >= ?1 ORDER BY issue, seq",
     "INSERT OR IGNORE INTO issue_message VALUES (?1, ?2, ?3)", 3},
};

/* Copies the rows of one table that can be read; returns how many. */
static int64_t salvage_copy(sqlite3 *old, sqlite3 *db, const struct salvage_table *t)
{
	sqlite3_stmt *insert = NULL;
	if (sqlite3_prepare_v2(db, t->insert_sql, -1, &insert, NULL) != SQLITE_OK)
		return 0;
	int64_t copied = 0, from = 0, step = 1;
	for (int failures = 0; failures <= SALVAGE_MAX_SEEKS;) {
		sqlite3_stmt *select = NULL;
		int rc = sqlite3_prepare_v2(old, t->select_sql, -1, &select, NULL);
		if (rc != SQLITE_OK)
			break;
		sqlite3_bind_int64(select, 1, from);
		while ((rc = sqlite3_step(select)) == SQLITE_ROW) {
			for (int c = 0; c < t->columns; c++)
				sqlite3_bind_value(insert, c + 1, sqlite3_column_value(select, c));
			if (sqlite3_step(insert) == SQLITE_DONE)
				copied++;
			sqlite3_reset(insert);
			from = sqlite3_column_int64(select, 0) + 1;
			failures = 0;
			step = 1;
		}
		sqlite3_finalize(select);
		if (rc == SQLITE_DONE)
			break;
		failures++;
		from += step;
		step *= 2;
	}
	sqlite3_finalize(insert);
	return copied;
}

/* Copies what can be read from the file at `aside` into s; returns the
 * number of records copied, or -1 when the file cannot be opened at all. */
static int64_t salvage(struct history_store *s, const char *aside)
{
	sqlite3 *old = NULL;
	if (sqlite3_open_v2(aside, &old, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close_v2(old);
		return -1;
	}
	int64_t records = 0;
	if (store_exec(s, "BEGIN IMMEDIATE") == SQLITE_OK) {
		for (size_t i = 0; i < sizeof(SALVAGE_TABLES) / sizeof(SALVAGE_TABLES[0]); i++) {
			int64_t n = salvage_copy(old, s->db, &SALVAGE_TABLES[i]);
			if (i == 1)
				records = n;
		}
		if (store_exec(s, "COMMIT") != SQLITE_OK) {
			store_exec(s, "ROLLBACK");
			records = 0;
		}
	}
	sqlite3_close_v2(old);
	return records;
}

/* Renames from to to; a missing file is no error. */
static int move_aside(const char *from, const char *to)
{
	if (rename(from, to) == 0 || errno == ENOENT)
		return 0;
	return -1;
}

int store_recover(struct history_store *s, const char *why, char *warning, size_t warning_size)
{
	int rc = -1;
	char *aside = NULL, *from_wal = NULL, *to_wal = NULL, *shm = NULL;
	sqlite3_finalize(s->message_at);
	s->message_at = NULL;
	if (s->db)
		sqlite3_close_v2(s->db);
	s->db = NULL;
	s->message_count = 0;

	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	aside = xasprintf("%s.corrupt-%s", s->path, stamp);
	from_wal = xasprintf("%s-wal", s->path);
	to_wal = xasprintf("%s-wal", aside);
	shm = xasprintf("%s-shm", s->path);
	if (move_aside(s->path, aside) < 0 || move_aside(from_wal, to_wal) < 0) {
		text_printf(s->error, sizeof(s->error),
		            "%s is damaged (%s) and cannot be moved: %s", s->path, why,
		            strerror(errno));
		goto done;
	}
	if (unlink(shm) < 0 && errno != ENOENT) {
		text_printf(s->error, sizeof(s->error), "cannot remove %s: %s", shm,
		            strerror(errno));
		goto done;
	}
	/* A new, empty database in its place. */
	if (store_connect(s) != SQLITE_OK) {
		store_fail(s, "cannot create a new database");
		goto done;
	}
	int64_t records = salvage(s, aside);
	if (records < 0)
		text_printf(warning, warning_size,
		            "%s was damaged (%s): moved aside to %s, nothing in it could be read; "
		            "a new history starts",
		            s->path, why, aside);
	else
		text_printf(warning, warning_size,
		            "%s was damaged (%s): moved aside to %s; %lld record%s before the "
		            "damage kept in a new one",
		            s->path, why, aside, (long long)records, records == 1 ? "" : "s");
	rc = store_load_labels(s);
done:
	free(aside);
	free(from_wal);
	free(to_wal);
	free(shm);
	return rc;
}
