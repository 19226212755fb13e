/* store.h - the history store: what every poll saw, kept in one SQLite
 * database (DIR/history.db, WAL mode; format in doc/history.md).
 *
 * One writer at a time per directory (history/lock.h says who), any number
 * of readers. A record is one row; its order is `seq`, which rises by one
 * per record whatever the wall clock does (an NTP step moves at_ms back,
 * never the order). Time ranges select on the wall clock, as people ask.
 *
 * Damage is never fatal: a writer that finds the database unreadable
 * (SQLITE_CORRUPT, SQLITE_NOTADB, a failed quick_check) moves it aside as
 * history.db.corrupt-TIME, copies every record that can still be read into
 * a new one and says so in its warning; a reader skips a row whose packed
 * columns do not decode and counts it (history_store_skipped).
 *
 * Errors: functions return 0 (or a count) on success and -1 with one line in
 * the store's error text (history_store_error) otherwise.
 */
#ifndef OPSDECK_HISTORY_STORE_H
#define OPSDECK_HISTORY_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "history/record.h"

/* The schema this build reads and writes (PRAGMA user_version). */
#define HISTORY_SCHEMA_VERSION 1

struct history_store;

enum history_open_mode {
	HISTORY_OPEN_READ,  /* an existing database, read-only; missing: error */
	HISTORY_OPEN_WRITE, /* creates DIR (0700) and the database (0600) when missing,
	                       checks it and recovers it when damaged */
};

/* Opens DIR/history.db. On success returns 0 with *out set (the caller
 * frees it with history_store_close) and warning either "" or one line
 * saying what was recovered (the damaged file moved aside, how many records
 * were copied). On error returns -1 with *out NULL and one line in err. A
 * database written by a newer schema is refused, for both modes. */
int history_store_open(struct history_store **out, const char *dir, enum history_open_mode mode,
                       char *warning, size_t warning_size, char *err, size_t err_size);

/* Closes the database (a writer checkpoints its WAL). NULL is a no-op. */
void history_store_close(struct history_store *s);

/* The path of the database file. Borrowed. */
const char *history_store_path(const struct history_store *s);

/* Why the last call failed, "" when it did not. Borrowed. */
const char *history_store_error(const struct history_store *s);

/* Appends r as the newest record, in one transaction; sets r->seq. A
 * database found damaged on the way is recovered as history_store_open
 * does (warning then says so) and the record written into the new one.
 * warning may be NULL (size 0) when the caller does not show it. */
int history_store_append(struct history_store *s, struct history_record *r, char *warning,
                         size_t warning_size);

struct history_prune_result {
	int64_t deleted;        /* records deleted */
	int64_t labels_deleted; /* labels no record uses any more, deleted with them */
	int64_t size_before;    /* bytes of the database file (and its WAL) before */
	int64_t size_after;     /* ... and after */
};

/* Deletes the records older than now_ms - retention_ms (retention_ms 0:
 * none by age), then the oldest until the records take at most max_bytes
 * (0: no limit), and gives the freed pages back to the file system
 * (incremental vacuum, a WAL checkpoint). */
int history_store_prune(struct history_store *s, int64_t now_ms, int64_t retention_ms,
                        int64_t max_bytes, struct history_prune_result *result);

/* Records with from_ms <= at_ms <= until_ms, in seq order, each given to
 * `each` (return non-zero to stop). Returns how many were given, or -1. */
int64_t history_store_records(struct history_store *s, int64_t from_ms, int64_t until_ms,
                              int (*each)(const struct history_record *r, void *ctx), void *ctx);

struct history_point {
	int64_t seq;
	int64_t at_ms;
	double value;
};

/* The figure `name` over from_ms..until_ms, in seq order: *points
 * (allocated, the caller frees it) and their count; a record without
 * that figure adds no point. Returns the count, or -1. */
int64_t history_store_series(struct history_store *s, const char *name, int64_t from_ms,
                             int64_t until_ms, struct history_point **points);

/* The record in force at at_ms: the newest written at or before it (by
 * wall clock, latest seq first). Returns 1 with *out filled, 0 when there is
 * none, -1 on error. */
int history_store_state_at(struct history_store *s, int64_t at_ms, struct history_record *out);

/* The record next to seq in writing order: the one before it (direction
 * < 0) or after it (> 0). Returns 1 with *out filled, 0 when there is
 * none, -1 on error. A row that does not decode is passed over. */
int history_store_step(struct history_store *s, int64_t seq, int direction,
                       struct history_record *out);

struct history_span {
	int64_t count;    /* records */
	int64_t first_ms; /* at_ms of the oldest and newest (by seq); 0 when empty */
	int64_t last_ms;
	int64_t last_seq;
};

/* How many records there are and the time they cover. */
int history_store_span(struct history_store *s, struct history_span *out);

/* Rows skipped since the store was opened because a packed column did not
 * decode. */
int64_t history_store_skipped(const struct history_store *s);

#endif
