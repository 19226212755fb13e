/* store_fixture.h - what the history store's unit tests share: a private
 * directory, records with known contents, raw SQL on the database file. */
#ifndef OPSDECK_TESTS_HISTORY_STORE_FIXTURE_H
#define OPSDECK_TESTS_HISTORY_STORE_FIXTURE_H

#include <stdint.h>

#include "history/store.h"

/* A new empty directory under $TMPDIR (or /tmp); the caller frees the
 * path after store_fixture_remove. */
char *store_fixture_dir(void);

/* Removes dir and everything in it (one level: the store's files). */
void store_fixture_remove(const char *dir);

/* A record at at_ms whose figures, checks and issues derive from n: the
 * figure "requests.p95_ms" is n * 10, "database.connections_total" n,
 * "requests.error_rate" n / 1000.0; check "database" OK, "redis" unhealthy
 * when n is odd; issue "error_rate" (medium, "errors N") when n % 4 == 0. */
void store_fixture_record(struct history_record *r, int64_t n, int64_t at_ms);

/* Appends store_fixture_record 1..n at 1000 ms steps (at_ms = n * 1000),
 * failing the test on error. */
void store_fixture_append(struct history_store *s, int n);

/* Opens a writer on dir, failing the test on error. */
struct history_store *store_fixture_open(const char *dir);

/* Runs SQL on DIR/history.db with a connection of its own. */
void store_fixture_sql(const char *dir, const char *sql);

/* The first column of the first row of SQL on DIR/history.db. */
int64_t store_fixture_int(const char *dir, const char *sql);

/* Copies DIR/history.db (and -wal when present) to the directory to. */
void store_fixture_copy(const char *dir, const char *to);

#endif
