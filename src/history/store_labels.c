/* store_labels.c - labels no record uses any more, deleted (store_impl.h).
 *
 * A label is the text behind an id in the packed columns: a figure's name,
 * a check's key, an issue's id and type, a version, a commit. Most are few
 * and stay, but some carry a subject that comes and goes (a storage path,
 * an instance, a deployed version, after_deploy:2.4.2), so over months the
 * table would only grow, and with it the writer's lookups. Finding what is
 * still used means reading every record's packed columns, so it is done
 * only when the table has doubled since the last time (and holds at least
 * STORE_LABELS_PRUNE_MIN). The highest id is always kept, so SQLite never
 * hands a deleted id out again and a reader's cached name for an id stays
 * right.
 */
#include "history/store_impl.h"

#include <stdlib.h>

#include "history/pack.h"
#include "util/xalloc.h"

static void mark(unsigned char *used, size_t slots, int64_t id)
{
	if (id >= 0 && (size_t)id < slots)
		used[id] = 1;
}

/* Marks the labels of one packed column: `width` varints per entry, the
 * first the label (figures: their own encoding), `labels` of them labels. */
static int mark_column(sqlite3_stmt *row, int column, int width, int labels, unsigned char *used,
                       size_t slots)
{
	struct pack_reader in = {sqlite3_column_blob(row, column),
	                         (size_t)sqlite3_column_bytes(row, column), 0};
	while (!pack_done(&in)) {
		uint64_t v;
		if (width == 0) { /* a figure */
			double value;
			if (pack_read_figure(&in, &v, &value) < 0)
				return -1;
			mark(used, slots, (int64_t)v);
			continue;
		}
		for (int k = 0; k < width; k++) {
			if (pack_read_varint(&in, &v) < 0)
				return -1;
			if (k < labels)
				mark(used, slots, (int64_t)v);
		}
	}
	return 0;
}

/* Marks every label a record or a stored message uses; -1 on an error or a
 * damaged column (then nothing is deleted). */
static int mark_used(struct history_store *s, unsigned char *used, size_t slots)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	    s->db, "SELECT version, commit_hash, figures, checks, issues FROM poll", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < 2; c++)
			if (sqlite3_column_type(st, c) == SQLITE_INTEGER)
				mark(used, slots, sqlite3_column_int64(st, c));
		if (mark_column(st, 2, 0, 1, used, slots) < 0 ||
		    mark_column(st, 3, 2, 1, used, slots) < 0 || /* label, state */
		    mark_column(st, 4, 3, 2, used, slots) < 0) { /* id, type, severity */
			rc = SQLITE_CORRUPT;
			break;
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	st = NULL;
	rc = sqlite3_prepare_v2(s->db, "SELECT issue FROM issue_message", -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		mark(used, slots, sqlite3_column_int64(st, 0));
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_prune_labels(struct history_store *s, int64_t *deleted)
{
	*deleted = 0;
	size_t count = 0, highest = 0;
	for (size_t i = 0; i < s->label_slots; i++)
		if (s->labels[i]) {
			count++;
			highest = i;
		}
	if (count < STORE_LABELS_PRUNE_MIN || count < 2 * s->labels_kept)
		return 0;
	unsigned char *used = xcalloc(s->label_slots ? s->label_slots : 1, 1);
	int rc = store_exec(s, "BEGIN IMMEDIATE");
	if (rc == SQLITE_OK && mark_used(s, used, s->label_slots) < 0)
		rc = SQLITE_ERROR;
	used[highest] = 1;
	sqlite3_stmt *del = NULL;
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "DELETE FROM label WHERE id = ?1", -1, &del, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < s->label_slots; i++) {
		if (!s->labels[i] || used[i])
			continue;
		sqlite3_bind_int64(del, 1, (int64_t)i);
		rc = sqlite3_step(del) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
		sqlite3_reset(del);
		(*deleted)++;
	}
	sqlite3_finalize(del);
	free(used);
	if (rc == SQLITE_OK)
		rc = store_exec(s, "COMMIT");
	if (rc != SQLITE_OK) {
		store_exec(s, "ROLLBACK");
		*deleted = 0;
		store_load_labels(s);
		return -1;
	}
	/* what is cached by id may name a label gone now */
	s->message_count = 0;
	if (store_load_labels(s) < 0)
		return -1;
	s->labels_kept = count - (size_t)*deleted;
	return 0;
}
