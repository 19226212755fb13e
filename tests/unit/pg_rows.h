/* pg_rows.h - fixture rows for the PostgreSQL parser tests.
 *
 * Fixtures hold rows in COPY's text format, as `COPY (query) TO STDOUT`
 * writes them from a real server: tab between fields, \N for NULL,
 * backslash escapes (\t, \n, \\, \xHH, ...). A malformed fixture fails the
 * test that loads it.
 */
#ifndef OPSDECK_TESTS_PG_ROWS_H
#define OPSDECK_TESTS_PG_ROWS_H

struct rows {
	char *text;          /* every value, NUL-terminated, one after another */
	const char **values; /* count * columns cells, row by row; NULL for \N */
	int count;           /* rows */
};

/* Parses COPY text with `columns` fields per row. */
void rows_parse(struct rows *r, const char *data, int columns);
/* Loads FIXTURES/pg/NAME. */
void rows_load(struct rows *r, const char *name, int columns);
void rows_free(struct rows *r);

#endif
