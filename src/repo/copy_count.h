/* copy_count.h - the data rows of each table in a plain pg_dump, counted
 * while the dump streams (for the manifest's "tables", which a drill
 * compares with count(*) after restoring).
 *
 * A plain dump holds each table's data as
 *     COPY schema.table (col, ...) FROM stdin;
 *     one line per row (a newline inside a value is written \n)
 *     \.
 * so the rows are the lines between the COPY line and the line "\.".
 * The counter is fed the dump in chunks of any size, split anywhere (in a
 * line, in the COPY line, in "\."); it keeps only the start and end of the
 * current line, never a whole line. The table's name is kept as the dump
 * spells it (`public."User"`): a qualified name pg_dump quoted as needed.
 * Pure: no I/O; allocation through util/xalloc.h.
 */
#ifndef OPSDECK_REPO_COPY_COUNT_H
#define OPSDECK_REPO_COPY_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest table name kept; a longer one (never pg_dump's: identifiers
 * are at most 63 bytes) makes the counter invalid. */
#define COPY_COUNT_NAME_MAX 512

struct copy_count_table {
	char *name; /* as the dump spells it; owned by the counter */
	uint64_t rows;
};

struct copy_count;

/* A new counter; never NULL. */
struct copy_count *copy_count_new(void);

/* Feeds the next len bytes of the dump. */
void copy_count_feed(struct copy_count *c, const void *data, size_t len);

/* True when the dump fed so far ended outside a COPY block and every COPY
 * line named its table in a form copy_count_name_valid accepts: only then
 * are the counts worth recording. */
bool copy_count_complete(const struct copy_count *c);

/* The tables in the order their data appeared; borrowed, valid until the
 * next feed or free. */
const struct copy_count_table *copy_count_tables(const struct copy_count *c, size_t *count);

void copy_count_free(struct copy_count *c);

/* True when name is a table name as pg_dump writes it: one or two
 * identifiers joined by '.', each either plain (a letter or '_', then
 * letters, digits, '_' or '$') or double-quoted ("" for a quote, no
 * control characters). Such a name is safe to put in SQL as it is
 * (`SELECT count(*) FROM name`); a manifest's names are checked with it
 * before a drill uses them. */
bool copy_count_name_valid(const char *name);

#endif
