/* store_impl.h - what the files of the history store share (store.c opens
 * and recovers, store_write.c appends and prunes, store_read.c reads);
 * nothing outside src/history/store*.c includes it.
 */
#ifndef OPSDECK_HISTORY_STORE_IMPL_H
#define OPSDECK_HISTORY_STORE_IMPL_H

#include <sqlite3.h>

#include "history/store.h"

/* The last message written for an issue (by label), so that a message is
 * stored only when it changes. */
struct store_message {
	int64_t issue;
	char text[HISTORY_MESSAGE_TEXT];
};

struct history_store {
	sqlite3 *db;
	enum history_open_mode mode;
	char *dir;
	char *path;
	char error[512];
	int64_t skipped;
	/* The label table: texts by id (index = id; NULL where none). */
	char **labels;
	size_t label_slots;
	size_t labels_kept; /* labels after the last store_prune_labels, 0: none yet */
	/* The writer's last message per issue. */
	struct store_message *messages;
	size_t message_count;
	size_t message_slots;
	sqlite3_stmt *message_at; /* a reader's query of an issue's message */
};

/* Sets the store's error text: "what: SQLite's message". */
void store_fail(struct history_store *s, const char *what);

/* Whether an SQLite result code means the file is damaged (not a full disk
 * or a permission). */
int store_is_damage(int rc);

/* Runs SQL without rows; returns the SQLite result code. */
int store_exec(struct history_store *s, const char *sql);

/* Opens s->path as s->mode says and sets the connection up: a writer
 * checks the file (quick_check), turns WAL on and creates the schema in an
 * empty file. Returns the SQLite result code (s->db may be open either
 * way). */
int store_connect(struct history_store *s);

/* Label ids past this are taken for damage (the table holds a few hundred
 * names). */
#define STORE_MAX_LABEL 10000000

/* Sets the text of label id in s->labels (a copy), growing the array. */
void store_label_set(struct history_store *s, int64_t id, const char *text);

/* (Re)reads the label table into s->labels; returns 0 or -1. */
int store_load_labels(struct history_store *s);

/* The label table is pruned once it holds this many and twice as many as
 * after the last pruning (store_labels.c). */
#define STORE_LABELS_PRUNE_MIN 1024

/* Deletes the labels no record and no stored message uses, when the table
 * is due (above); *deleted says how many. Returns 0, or -1 with nothing
 * deleted. For a writer, after records were deleted. */
int store_prune_labels(struct history_store *s, int64_t *deleted);

/* The text of label id, or NULL when there is none. Borrowed. */
const char *store_label_text(const struct history_store *s, int64_t id);

/* Moves the damaged database aside, creates a new one and copies into it
 * what can still be read; warning says what happened. Returns 0 when the
 * new database is open, -1 otherwise. */
int store_recover(struct history_store *s, const char *why, char *warning, size_t warning_size);

/* Decodes the row's packed columns into r (times and version set by the
 * caller); returns 0, or -1 when a column is damaged. */
int store_decode(struct history_store *s, sqlite3_stmt *row, int first_column,
                 struct history_record *r);

#endif
