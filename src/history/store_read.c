/* store_read.c - reading the history: records in a time range, one figure
 * over a range, the state at a moment, the span (store.h).
 *
 * A row whose packed columns do not decode is skipped and counted
 * (history_store_skipped), never fatal.
 */
#include "history/store_impl.h"

#include <stdlib.h>
#include <string.h>

#include "history/pack.h"
#include "util/text.h"
#include "util/xalloc.h"

#define RECORD_COLUMNS                                                                             \
	"seq, at_ms, monotonic_ms, duration_ms, version, commit_hash, figures, checks, issues"

/* The label's text, reading the table again once when it is not known (a
 * writer may have added it since). */
static const char *label_or_reload(struct history_store *s, int64_t id, int *reloaded)
{
	const char *text = store_label_text(s, id);
	if (!text && !*reloaded) {
		*reloaded = 1;
		if (store_load_labels(s) == 0)
			text = store_label_text(s, id);
	}
	return text;
}

static struct pack_reader column_reader(sqlite3_stmt *row, int column)
{
	struct pack_reader r = {sqlite3_column_blob(row, column),
	                        (size_t)sqlite3_column_bytes(row, column), 0};
	return r;
}

/* The issue's message as of seq, "" when none was stored. */
static void issue_message_at(struct history_store *s, int64_t issue, int64_t seq, char *dst,
                             size_t size)
{
	dst[0] = '\0';
	if (!s->message_at &&
	    sqlite3_prepare_v2(s->db,
	                       "SELECT message FROM issue_message WHERE issue = ?1 AND seq <= ?2"
	                       " ORDER BY seq DESC LIMIT 1",
	                       -1, &s->message_at, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(s->message_at, 1, issue);
	sqlite3_bind_int64(s->message_at, 2, seq);
	if (sqlite3_step(s->message_at) == SQLITE_ROW) {
		const char *text = (const char *)sqlite3_column_text(s->message_at, 0);
		text_copy(dst, text ? text : "", size);
	}
	sqlite3_reset(s->message_at);
}

static int decode_figures(struct history_store *s, sqlite3_stmt *row, int column,
                          struct history_record *r, int *reloaded)
{
	struct pack_reader in = column_reader(row, column);
	while (!pack_done(&in)) {
		uint64_t label;
		double value;
		if (pack_read_figure(&in, &label, &value) < 0)
			return -1;
		const char *name = label_or_reload(s, (int64_t)label, reloaded);
		if (!name)
			return -1;
		history_record_add_figure(r, name, value);
	}
	return 0;
}

static int decode_checks(struct history_store *s, sqlite3_stmt *row, int column,
                         struct history_record *r, int *reloaded)
{
	struct pack_reader in = column_reader(row, column);
	while (!pack_done(&in)) {
		uint64_t label, state;
		if (pack_read_varint(&in, &label) < 0 || pack_read_varint(&in, &state) < 0 ||
		    state > CHECK_UNHEALTHY)
			return -1;
		const char *key = label_or_reload(s, (int64_t)label, reloaded);
		if (!key)
			return -1;
		history_record_add_check(r, key, (enum check_state)state);
	}
	return 0;
}

static int decode_issues(struct history_store *s, sqlite3_stmt *row, int column,
                         struct history_record *r, int *reloaded)
{
	struct pack_reader in = column_reader(row, column);
	while (!pack_done(&in)) {
		uint64_t label, type, severity;
		if (pack_read_varint(&in, &label) < 0 || pack_read_varint(&in, &type) < 0 ||
		    pack_read_varint(&in, &severity) < 0 || severity < SEVERITY_LOW ||
		    severity > SEVERITY_HIGH)
			return -1;
		const char *id = label_or_reload(s, (int64_t)label, reloaded);
		const char *type_name = id ? label_or_reload(s, (int64_t)type, reloaded) : NULL;
		if (!type_name)
			return -1;
		if (r->issue_count >= HISTORY_MAX_ISSUES)
			continue;
		struct history_issue *i = &r->issues[r->issue_count++];
		text_copy(i->id, id, sizeof(i->id));
		text_copy(i->type, type_name, sizeof(i->type));
		i->severity = (enum issue_severity)severity;
		issue_message_at(s, (int64_t)label, r->seq, i->message, sizeof(i->message));
	}
	return 0;
}

int store_decode(struct history_store *s, sqlite3_stmt *row, int first_column,
                 struct history_record *r)
{
	int reloaded = 0;
	if (decode_figures(s, row, first_column, r, &reloaded) < 0 ||
	    decode_checks(s, row, first_column + 1, r, &reloaded) < 0 ||
	    decode_issues(s, row, first_column + 2, r, &reloaded) < 0)
		return -1;
	return 0;
}

/* Fills r from a row of RECORD_COLUMNS; -1 (counted) when it is damaged. */
static int record_from_row(struct history_store *s, sqlite3_stmt *row, struct history_record *r)
{
	history_record_init(r);
	r->seq = sqlite3_column_int64(row, 0);
	r->at_ms = sqlite3_column_int64(row, 1);
	r->monotonic_ms = sqlite3_column_int64(row, 2);
	r->duration_ms = sqlite3_column_int64(row, 3);
	int reloaded = 0;
	const char *version = NULL, *commit = NULL;
	if (sqlite3_column_type(row, 4) != SQLITE_NULL)
		version = label_or_reload(s, sqlite3_column_int64(row, 4), &reloaded);
	if (sqlite3_column_type(row, 5) != SQLITE_NULL)
		commit = label_or_reload(s, sqlite3_column_int64(row, 5), &reloaded);
	text_copy(r->version, version ? version : "", sizeof(r->version));
	text_copy(r->commit, commit ? commit : "", sizeof(r->commit));
	if (store_decode(s, row, 6, r) < 0) {
		s->skipped++;
		return -1;
	}
	return 0;
}

int64_t history_store_records(struct history_store *s, int64_t from_ms, int64_t until_ms,
                              int (*each)(const struct history_record *r, void *ctx), void *ctx)
{
	s->error[0] = '\0';
	sqlite3_stmt *st = NULL;
	struct history_record *r = xmalloc(sizeof(*r));
	int64_t given = 0;
	int rc = sqlite3_prepare_v2(s->db,
	                            "SELECT " RECORD_COLUMNS " FROM poll"
	                            " WHERE at_ms BETWEEN ?1 AND ?2 ORDER BY seq",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, from_ms);
		sqlite3_bind_int64(st, 2, until_ms);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (record_from_row(s, st, r) < 0)
				continue;
			given++;
			if (each(r, ctx) != 0) {
				rc = SQLITE_DONE;
				break;
			}
		}
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, "cannot read the records");
		given = -1;
	}
	sqlite3_finalize(st);
	free(r);
	return given;
}

/* The id of a label by its text, or -1. */
static int64_t label_find(struct history_store *s, const char *text)
{
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->label_slots; i++)
			if (s->labels[i] && strcmp(s->labels[i], text) == 0)
				return (int64_t)i;
		if (pass == 0 && store_load_labels(s) < 0)
			break;
	}
	return -1;
}

int64_t history_store_series(struct history_store *s, const char *name, int64_t from_ms,
                             int64_t until_ms, struct history_point **points)
{
	s->error[0] = '\0';
	*points = NULL;
	int64_t wanted = label_find(s, name);
	if (wanted < 0)
		return 0;
	sqlite3_stmt *st = NULL;
	size_t count = 0, slots = 0;
	int rc = sqlite3_prepare_v2(s->db,
	                            "SELECT seq, at_ms, figures FROM poll"
	                            " WHERE at_ms BETWEEN ?1 AND ?2 ORDER BY seq",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, from_ms);
		sqlite3_bind_int64(st, 2, until_ms);
	}
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		rc = SQLITE_OK;
		struct pack_reader in = column_reader(st, 2);
		while (!pack_done(&in)) {
			uint64_t label;
			double value;
			if (pack_read_figure(&in, &label, &value) < 0) {
				s->skipped++;
				break;
			}
			if ((int64_t)label != wanted)
				continue;
			if (count == slots) {
				slots = slots ? slots * 2 : 256;
				*points = xrealloc(*points, slots * sizeof(**points));
			}
			(*points)[count++] = (struct history_point){
			    sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), value};
			break;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_fail(s, "cannot read the series");
		free(*points);
		*points = NULL;
		return -1;
	}
	return (int64_t)count;
}

/* The first row of `sql` (one int64 parameter) that decodes, into out:
 * 1, 0 when none does, -1 (with `what` in the error) on failure. */
static int first_record(struct history_store *s, const char *sql, int64_t param,
                        struct history_record *out, const char *what)
{
	s->error[0] = '\0';
	sqlite3_stmt *st = NULL;
	int found = -1;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, param);
		found = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			if (record_from_row(s, st, out) == 0) {
				found = 1;
				break;
			}
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			found = -1;
	}
	sqlite3_finalize(st);
	if (found < 0)
		store_fail(s, what);
	return found;
}

int history_store_state_at(struct history_store *s, int64_t at_ms, struct history_record *out)
{
	/* the newest row that decodes */
	return first_record(s,
	                    "SELECT " RECORD_COLUMNS " FROM poll WHERE at_ms <= ?1"
	                    " ORDER BY at_ms DESC, seq DESC LIMIT 8",
	                    at_ms, out, "cannot read the state");
}

int history_store_step(struct history_store *s, int64_t seq, int direction,
                       struct history_record *out)
{
	/* the nearest row that decodes */
	return first_record(s,
	                    direction < 0 ? "SELECT " RECORD_COLUMNS " FROM poll WHERE seq < ?1"
	                                    " ORDER BY seq DESC LIMIT 8"
	                                  : "SELECT " RECORD_COLUMNS " FROM poll WHERE seq > ?1"
	                                    " ORDER BY seq LIMIT 8",
	                    seq, out, "cannot read a record");
}

int history_store_span(struct history_store *s, struct history_span *out)
{
	memset(out, 0, sizeof(*out));
	s->error[0] = '\0';
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(s->db,
	                            "SELECT count(*), max(seq),"
	                            " (SELECT at_ms FROM poll ORDER BY seq LIMIT 1),"
	                            " (SELECT at_ms FROM poll ORDER BY seq DESC LIMIT 1) FROM poll",
	                            -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->count = sqlite3_column_int64(st, 0);
		out->last_seq = sqlite3_column_int64(st, 1);
		out->first_ms = sqlite3_column_int64(st, 2);
		out->last_ms = sqlite3_column_int64(st, 3);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_OK) {
		store_fail(s, "cannot read the span");
		return -1;
	}
	return 0;
}
