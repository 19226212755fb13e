/* locks_view.c - the Locks view: rows, actions and drawing (locks_view.h). */
#include "ui/locks_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/action.h"
#include "ui/header.h"
#include "ui/panel.h"
#include "util/strbuf.h"
#include "util/text.h"

#define TREE_LEVELS_DRAWN 12 /* deeper levels keep the indent of this one */
#define QUERY_MIN_COLUMNS 24 /* the query column's share before narrower columns go */

/* ---------------------------------------------------------------- rows */

struct rows_out {
	const struct lock_status *l;
	struct locks_row *rows;
	int n, max;
	bool seen[LOCKS_MAX_SESSIONS];
};

static bool waits_on(const struct lock_session *x, int pid)
{
	for (int k = 0; k < x->blocked_by_count && k < LOCKS_MAX_BLOCKED_BY; k++)
		if (x->blocked_by[k] == pid)
			return true;
	return false;
}

static void rows_push(struct rows_out *o, enum locks_row_kind kind, int index, int pid, int depth,
                      uint32_t open, bool last)
{
	if (o->n >= o->max)
		return;
	o->rows[o->n++] = (struct locks_row){kind, index, pid, depth, open, last};
}

/* The waiters of sessions[parent] at the next depth behind the same root,
 * each once, depth first. */
static void rows_children(struct rows_out *o, int parent, int root_pid, int depth, uint32_t open)
{
	const struct lock_status *l = o->l;
	int kids[LOCKS_MAX_SESSIONS], count = 0;
	int n = l->session_count < LOCKS_MAX_SESSIONS ? l->session_count : LOCKS_MAX_SESSIONS;
	for (int j = 0; j < n; j++) {
		const struct lock_session *x = &l->sessions[j];
		if (!o->seen[j] && x->root_pid == root_pid && x->depth == depth + 1 &&
		    waits_on(x, l->sessions[parent].pid)) {
			o->seen[j] = true;
			kids[count++] = j;
		}
	}
	for (int k = 0; k < count; k++) {
		bool last = k == count - 1;
		rows_push(o, LOCKS_ROW_CHAIN, kids[k], l->sessions[kids[k]].pid, depth + 1, open,
		          last);
		uint32_t below = open;
		if (!last && depth + 1 < 32)
			below |= 1u << (depth + 1);
		rows_children(o, kids[k], root_pid, depth + 1, below);
	}
}

int locks_view_rows(const struct lock_status *l, struct locks_row *rows, int max)
{
	struct rows_out o = {.l = l, .rows = rows, .max = max};
	if (!l->probed)
		return 0;
	int roots = l->root_count < LOCKS_MAX_ROOTS ? l->root_count : LOCKS_MAX_ROOTS;
	for (int r = 0; r < roots; r++) {
		int at = l->roots[r].session;
		if (at < 0 || at >= LOCKS_MAX_SESSIONS || o.seen[at])
			continue;
		o.seen[at] = true;
		rows_push(&o, LOCKS_ROW_CHAIN, at, l->roots[r].pid, 0, 0, true);
		rows_children(&o, at, l->roots[r].pid, 0, 0);
	}
	int n = l->session_count < LOCKS_MAX_SESSIONS ? l->session_count : LOCKS_MAX_SESSIONS;
	for (int j = 0; j < n; j++)
		if (!o.seen[j] && l->sessions[j].blocked_by_count > 0)
			rows_push(&o, LOCKS_ROW_LOOSE, j, l->sessions[j].pid, 0, 0, true);
	for (int i = 0; i < l->running_count && i < LOCKS_MAX_RUNNING; i++)
		rows_push(&o, LOCKS_ROW_RUNNING, i, l->running[i].pid, 0, 0, true);
	return o.n;
}

int locks_view_selected(const struct locks_row *rows, int n, const struct ui_locks_state *sel)
{
	for (int i = 0; i < n; i++)
		if (rows[i].pid == sel->pid && (rows[i].kind == LOCKS_ROW_RUNNING) == sel->running)
			return i;
	return n > 0 ? 0 : -1;
}

void locks_view_move(const struct lock_status *l, struct ui_locks_state *sel, int delta,
                     bool to_end)
{
	struct locks_row rows[LOCKS_VIEW_ROWS];
	int n = locks_view_rows(l, rows, LOCKS_VIEW_ROWS);
	if (n == 0)
		return;
	int at = locks_view_selected(rows, n, sel);
	if (to_end)
		at = delta < 0 ? 0 : n - 1;
	else
		at += delta;
	if (at >= n)
		at = n - 1;
	if (at < 0)
		at = 0;
	sel->pid = rows[at].pid;
	sel->running = rows[at].kind == LOCKS_ROW_RUNNING;
}

/* ---------------------------------------------------------------- actions */

/* The state of a row's session ("active" for a running query). */
static const char *row_state(const struct lock_status *l, const struct locks_row *row)
{
	return row->kind == LOCKS_ROW_RUNNING ? "active" : l->sessions[row->index].state;
}

int locks_view_action(const struct lock_status *l, const struct locks_row *row, char key,
                      const char **action, char *why, size_t why_size)
{
	if (key == 't') {
		bool root = row->kind == LOCKS_ROW_CHAIN && row->depth == 0;
		*action = root ? ACTION_NAME_TERMINATE_BLOCKER : ACTION_NAME_TERMINATE_QUERY;
		return 0;
	}
	const char *state = row_state(l, row);
	if (strcmp(state, "active") != 0) {
		snprintf(why, why_size,
		         "pid %d is %s and runs no query: cancelling does nothing; t terminates it",
		         row->pid, state[0] ? state : "in an unknown state");
		return -1;
	}
	*action = ACTION_NAME_CANCEL_QUERY;
	return 0;
}

/* "47s" from seconds; "-" when negative (unknown). */
static void format_age(char *dst, size_t size, double seconds)
{
	if (seconds < 0)
		text_copy(dst, "-", size);
	else
		text_format_duration(dst, size, (int64_t)(seconds * 1000));
}

void locks_view_details(const struct lock_status *l, const struct locks_row *row, char *title,
                        size_t title_size, char *text, size_t text_size)
{
	struct strbuf b;
	strbuf_init(&b, text_size);
	char age[32];
	snprintf(title, title_size, "pid %d", row->pid);
	if (row->kind == LOCKS_ROW_RUNNING) {
		const struct running_query *q = &l->running[row->index];
		format_age(age, sizeof(age), q->duration_s);
		strbuf_printf(&b, "pid %d (%s, %s) running for %s", q->pid,
		              q->application_name[0] ? q->application_name : "-", q->user, age);
		if (q->wait_event[0])
			strbuf_printf(&b, ", waiting on %s:%s", q->wait_event_type, q->wait_event);
		strbuf_printf(&b, "\n\n%s\n", q->hidden ? "<insufficient privilege>" : q->query);
	} else {
		const struct lock_session *x = &l->sessions[row->index];
		char line[256];
		locks_describe_session(x, line, sizeof(line));
		strbuf_printf(&b, "%s\n", line);
		if (x->blocks_count > 0)
			strbuf_printf(&b, "Blocks %d %s directly", x->blocks_count,
			              text_plural(x->blocks_count, "session", "sessions"));
		if (x->root_pid == x->pid && x->waiters_total > 0)
			strbuf_printf(&b, ", %d in all", x->waiters_total);
		if (x->blocks_count > 0)
			strbuf_puts(&b, ".\n");
		if (x->blocked_by_count > 0) {
			format_age(age, sizeof(age), x->wait_age_s);
			strbuf_printf(&b, "Waits %s on %s:%s behind pid", age, x->wait_event_type,
			              x->wait_event);
			for (int k = 0; k < x->blocked_by_count && k < LOCKS_MAX_BLOCKED_BY; k++)
				strbuf_printf(&b, "%s %d", k ? "," : "", x->blocked_by[k]);
			strbuf_puts(&b, x->in_cycle ? " (a cycle: a deadlock not broken yet).\n"
			                            : ".\n");
		}
		strbuf_printf(&b, "\n%s\n", x->hidden ? "<insufficient privilege>" : x->query);
	}
	text_copy(text, strbuf_str(&b), text_size);
	strbuf_free(&b);
}

/* ---------------------------------------------------------------- columns */

enum { COL_PID, COL_APP, COL_USER, COL_CLIENT, COL_STATE, COL_XACT, COL_WAIT, COL_QUERY, COLS };

struct column {
	const char *name;
	int priority;
	int cap; /* widest it gets (text cut to it), 0: its widest cell (figures) */
};

static const struct column CHAIN_COLUMNS[COLS] = {
    [COL_PID] = {"pid", FIT_KEEP, 0}, [COL_APP] = {"application", 60, 16},
    [COL_USER] = {"user", 40, 12},    [COL_CLIENT] = {"client", 30, 15},
    [COL_STATE] = {"state", 90, 0},   [COL_XACT] = {"xact", 70, 0},
    [COL_WAIT] = {"wait", 80, 24},    [COL_QUERY] = {"query", 50, 0},
};

/* A row's cells, the texts the columns show, and a cell's shorter form
 * (the wait's age without its event) or "" for none. */
struct cells {
	char text[COLS][LOCKS_QUERY_TEXT];
	char brief[COLS][32];
};

/* The state, with "idle in transaction" shortened as psql's users say it. */
static void short_state(char *dst, size_t size, const char *state)
{
	if (text_starts_with(state, "idle in transaction"))
		snprintf(dst, size, "idle in tx%s", state + strlen("idle in transaction"));
	else
		text_copy(dst, state[0] ? state : "-", size);
}

/* The tree before a pid: "│ ├─ " (UTF-8) or "| |- " (ASCII). */
static void tree_prefix(char *dst, size_t size, const struct locks_row *row, bool utf8)
{
	size_t len = 0;
	dst[0] = '\0';
	int depth = row->depth < TREE_LEVELS_DRAWN ? row->depth : TREE_LEVELS_DRAWN;
	for (int k = 1; k <= depth && len + 8 < size; k++) {
		const char *piece;
		if (k < depth)
			piece = row->open & (1u << k) ? (utf8 ? "\xe2\x94\x82 " : "| ") : "  ";
		else if (row->last)
			piece = utf8 ? "\xe2\x94\x94\xe2\x94\x80" : "`-";
		else
			piece = utf8 ? "\xe2\x94\x9c\xe2\x94\x80" : "|-";
		len += (size_t)snprintf(dst + len, size - len, "%s", piece);
	}
	if (depth > 0 && len + 1 < size)
		snprintf(dst + len, size - len, " ");
}

static void chain_cells(const struct lock_status *l, const struct locks_row *row, bool utf8,
                        struct cells *c)
{
	const struct lock_session *x = &l->sessions[row->index];
	char prefix[64], age[32];
	memset(c, 0, sizeof(*c));
	tree_prefix(prefix, sizeof(prefix), row, utf8);
	snprintf(c->text[COL_PID], sizeof(c->text[COL_PID]), "%s%d", prefix, x->pid);
	text_copy(c->text[COL_APP], x->application_name[0] ? x->application_name : "-",
	          sizeof(c->text[COL_APP]));
	text_copy(c->text[COL_USER], x->user[0] ? x->user : "-", sizeof(c->text[COL_USER]));
	text_copy(c->text[COL_CLIENT], x->client_addr[0] ? x->client_addr : "-",
	          sizeof(c->text[COL_CLIENT]));
	short_state(c->text[COL_STATE], sizeof(c->text[COL_STATE]), x->state);
	format_age(c->text[COL_XACT], sizeof(c->text[COL_XACT]), x->xact_age_s);
	if (x->in_cycle)
		snprintf(c->text[COL_WAIT], sizeof(c->text[COL_WAIT]), "cycle");
	else if (x->blocked_by_count > 0) {
		format_age(age, sizeof(age), x->wait_age_s);
		snprintf(c->text[COL_WAIT], sizeof(c->text[COL_WAIT]), "%s %s", age,
		         x->wait_event[0] ? x->wait_event : "lock");
		text_copy(c->brief[COL_WAIT], age, sizeof(c->brief[COL_WAIT]));
	} else if (x->blocks_count > 0)
		snprintf(c->text[COL_WAIT], sizeof(c->text[COL_WAIT]), "blocks %d",
		         x->root_pid == x->pid && x->waiters_total > 0 ? x->waiters_total
		                                                       : x->blocks_count);
	else
		text_copy(c->text[COL_WAIT], "-", sizeof(c->text[COL_WAIT]));
	text_copy(c->text[COL_QUERY], x->hidden ? "<insufficient privilege>" : x->query,
	          sizeof(c->text[COL_QUERY]));
}

/* The widest cell of column c (its brief forms when `brief`, the full
 * text of a cell that has none), at least its name's width. */
static int column_width(const struct column *col, const struct cells *cells, int nrows, int c,
                        bool brief, bool *has_brief)
{
	int w = fit_text_width(col->name);
	for (int r = 0; r < nrows; r++) {
		bool b = brief && cells[r].brief[c][0] != '\0';
		int cw = fit_text_width(b ? cells[r].brief[c] : cells[r].text[c]);
		if (cells[r].brief[c][0] != '\0')
			*has_brief = true;
		if (cw > w)
			w = cw;
	}
	return col->cap > 0 && w > col->cap ? col->cap : w;
}

/* The columns' x and width for the rows: the header's fields fitted into
 * `width` (fit.h), each as wide as its widest cell (text capped), so a
 * figure is whole or its column is gone; a column with brief cells goes
 * brief (brief[c]) before any column goes. */
static void fit_columns(const struct column *cols, int ncols, const struct cells *cells, int nrows,
                        int width, struct fit_place *places, bool *brief)
{
	char heads[COLS][LOCKS_QUERY_TEXT], briefs[COLS][LOCKS_QUERY_TEXT];
	struct fit_field fields[COLS];
	for (int c = 0; c < ncols; c++) {
		bool has_brief = false, query = c == ncols - 1;
		int w = query ? QUERY_MIN_COLUMNS
		              : column_width(&cols[c], cells, nrows, c, false, &has_brief);
		snprintf(heads[c], sizeof(heads[c]), "%-*s", w, cols[c].name);
		snprintf(briefs[c], sizeof(briefs[c]), "%-*s",
		         has_brief ? column_width(&cols[c], cells, nrows, c, true, &has_brief) : 0,
		         cols[c].name);
		fields[c] = (struct fit_field){heads[c],
		                               has_brief ? briefs[c] : NULL,
		                               cols[c].priority,
		                               query ? 2 : 1,
		                               query,
		                               UI_DIM,
		                               NULL};
	}
	fit_fields(fields, ncols, width, places);
	for (int c = 0; c < ncols; c++)
		brief[c] = places[c].shown && places[c].text == fields[c].brief;
}

/* One cell into its place: whole, or cut with an ellipsis (only text is
 * ever wider than its column). */
static void draw_cell(struct grid *g, const struct ui_view *v, int x, int y,
                      const struct fit_place *p, const char *text, enum ui_element el)
{
	if (!p->shown || p->width <= 0)
		return;
	struct fit_field f = {text, NULL, 0, 0, true, el, NULL};
	panel_draw_fields(g, v, x + p->x, y, p->width, &f, 1, NULL);
}

/* ---------------------------------------------------------------- drawing */

/* The view's lines: text, a column heading, or a row. */
enum line_kind { LINE_TEXT, LINE_CHAIN_HEAD, LINE_RUN_HEAD, LINE_ROW };

struct line {
	enum line_kind kind;
	enum ui_element element;
	char text[256];
	int row; /* LINE_ROW: index into the rows */
};

#define MAX_LINES (LOCKS_VIEW_ROWS + 16)

struct doc {
	struct line lines[MAX_LINES];
	int n;
};

static void doc_line(struct doc *d, enum line_kind kind, enum ui_element el, int row,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void doc_line(struct doc *d, enum line_kind kind, enum ui_element el, int row,
                     const char *fmt, ...)
{
	if (d->n >= MAX_LINES)
		return;
	struct line *ln = &d->lines[d->n++];
	ln->kind = kind;
	ln->element = el;
	ln->row = row;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ln->text, sizeof(ln->text), fmt, ap);
	va_end(ap);
}

static void doc_build(struct doc *d, const struct lock_status *l, const struct locks_row *rows,
                      int n)
{
	char age[32];
	d->n = 0;
	int chains = 0, running = 0;
	for (int i = 0; i < n; i++)
		rows[i].kind == LOCKS_ROW_RUNNING ? running++ : chains++;
	if (l->waiting == 0 && chains == 0)
		doc_line(d, LINE_TEXT, UI_OK, -1, "no session waits on a lock");
	else {
		format_age(age, sizeof(age), l->longest_wait_s);
		doc_line(d, LINE_TEXT, UI_WARNING, -1,
		         "%d %s waiting on a lock, longest %s; %d root %s", l->waiting,
		         text_plural(l->waiting, "session", "sessions"), age, l->root_count,
		         text_plural(l->root_count, "blocker", "blockers"));
		doc_line(d, LINE_CHAIN_HEAD, UI_DIM, -1, "%s", "");
	}
	bool loose_said = false;
	for (int i = 0; i < n; i++) {
		if (rows[i].kind == LOCKS_ROW_RUNNING)
			continue;
		if (rows[i].kind == LOCKS_ROW_LOOSE && !loose_said) {
			loose_said = true;
			doc_line(d, LINE_TEXT, UI_WARNING, -1,
			         "No visible root: %d in a cycle (a deadlock not broken yet), %d "
			         "behind a blocker the role cannot see",
			         l->cycle_sessions, l->hidden_blockers);
		}
		doc_line(d, LINE_ROW, UI_NORMAL, i, "%s", "");
	}
	if (l->deadlocks_total >= 0)
		doc_line(d, LINE_TEXT, l->deadlocks_delta > 0 ? UI_WARNING : UI_DIM, -1,
		         "Deadlocks: %lld in all, %lld since the last poll",
		         (long long)l->deadlocks_total,
		         (long long)(l->deadlocks_delta > 0 ? l->deadlocks_delta : 0));
	doc_line(d, LINE_TEXT, UI_NORMAL, -1, "%s", "");
	if (running == 0)
		doc_line(d, LINE_TEXT, UI_TITLE, -1, "Running now: no query is running");
	else {
		doc_line(d, LINE_TEXT, UI_TITLE, -1, "Running now: the %d longest %s", running,
		         text_plural(running, "query", "queries"));
		doc_line(d, LINE_RUN_HEAD, UI_DIM, -1, "%s", "");
		for (int i = 0; i < n; i++)
			if (rows[i].kind == LOCKS_ROW_RUNNING)
				doc_line(d, LINE_ROW, UI_NORMAL, i, "%s", "");
	}
	if (l->hidden > 0 && !l->role_sees_all)
		doc_line(d, LINE_TEXT, UI_WARNING, -1, "%d %s hidden from this role: %s %s;",
		         l->hidden, text_plural(l->hidden, "session", "sessions"),
		         LOCKS_HIDDEN_GRANT, l->role);
	if (l->sessions_truncated)
		doc_line(d, LINE_TEXT, UI_DIM, -1, "More sessions wait than the %d shown",
		         LOCKS_MAX_SESSIONS);
}

static void running_cells(const struct lock_status *l, const struct locks_row *row, struct cells *c)
{
	const struct running_query *q = &l->running[row->index];
	memset(c, 0, sizeof(*c));
	snprintf(c->text[0], sizeof(c->text[0]), "%d", q->pid);
	format_age(c->text[1], sizeof(c->text[1]), q->duration_s);
	if (q->wait_event[0])
		snprintf(c->text[2], sizeof(c->text[2]), "%s:%s", q->wait_event_type,
		         q->wait_event);
	else
		text_copy(c->text[2], "-", sizeof(c->text[2]));
	text_copy(c->text[3], q->application_name[0] ? q->application_name : "-",
	          sizeof(c->text[3]));
	text_copy(c->text[4], q->hidden ? "<insufficient privilege>" : q->query,
	          sizeof(c->text[4]));
}

static const struct column RUN_COLUMNS[5] = {
    {"pid", FIT_KEEP, 0},    {"duration", 90, 0}, {"wait", 70, 24},
    {"application", 40, 16}, {"query", 50, 0},
};

/* The key bar of the view, or the state's message. */
static void draw_keybar(struct grid *g, const struct ui_view *v, const struct lock_status *l,
                        const struct locks_row *sel)
{
	int y = g->height - 1;
	grid_fill(g, 0, y, g->width, 1, ' ', UI_KEYBAR);
	if (v->state->message[0] != '\0') {
		grid_printf(g, 0, y, g->width, UI_KEYBAR, " %s", v->state->message);
		return;
	}
	const char *dry = v->state->read_only ? "(dry)" : "";
	bool can_cancel = sel != NULL && strcmp(row_state(l, sel), "active") == 0;
	int x = grid_printf(g, 0, y, g->width, UI_KEYBAR, " Esc Close %s Select",
	                    v->utf8 ? "\xe2\x86\x91\xe2\x86\x93" : "Up/Down");
	if (sel == NULL)
		return;
	x += grid_printf(g, x, y, g->width, UI_KEYBAR, " t Terminate%s", dry);
	x += grid_printf(g, x, y, g->width, can_cancel ? UI_KEYBAR : UI_DIM, " c Cancel%s", dry);
	grid_printf(g, x, y, g->width, UI_KEYBAR, " Enter Details");
}

void locks_view_draw(struct grid *g, const struct ui_view *v)
{
	const struct lock_status *l = &v->snap->locks;
	int top = 1, bottom = g->height - 1; /* the box's rows: [top, bottom) */
	grid_fill(g, 0, top, g->width, bottom - top, ' ', UI_NORMAL);
	grid_box(g, 0, top, g->width, bottom - top, "Locks", UI_FOCUS, UI_FOCUS, v->utf8);
	int x = 2, width = g->width - 4, y0 = top + 1, rows_shown = bottom - top - 2;
	struct locks_row rows[LOCKS_VIEW_ROWS];
	int n = locks_view_rows(l, rows, LOCKS_VIEW_ROWS);
	int sel = locks_view_selected(rows, n, &v->state->locks);
	draw_keybar(g, v, l, sel >= 0 ? &rows[sel] : NULL);
	if (width <= 0 || rows_shown <= 0)
		return;
	if (!l->probed) {
		const struct check_common *db = &v->snap->database.check;
		if (db->state == CHECK_NOT_CONFIGURED)
			grid_printf(g, x, y0, x + width, UI_DIM, "no database is configured");
		else if (l->error[0] || db->state == CHECK_UNHEALTHY)
			grid_printf(g, x, y0, x + width, UI_CRITICAL, "not probed: %s",
			            l->error[0] ? l->error : db->error);
		else
			grid_printf(g, x, y0, x + width, UI_DIM,
			            "waiting for the first poll of the database");
		return;
	}
	static struct cells cells[LOCKS_VIEW_ROWS]; /* the UI thread's only */
	int nchain = 0;
	for (int i = 0; i < n; i++) {
		if (rows[i].kind == LOCKS_ROW_RUNNING)
			running_cells(l, &rows[i], &cells[i]);
		else {
			chain_cells(l, &rows[i], v->utf8, &cells[i]);
			nchain = i + 1;
		}
	}
	struct fit_place chain_at[COLS], run_at[COLS];
	bool chain_brief[COLS], run_brief[COLS];
	fit_columns(CHAIN_COLUMNS, COLS, cells, nchain, width, chain_at, chain_brief);
	fit_columns(RUN_COLUMNS, 5, cells + nchain, n - nchain, width, run_at, run_brief);
	static struct doc doc;
	doc_build(&doc, l, rows, n);
	int sel_line = 0;
	for (int i = 0; i < doc.n; i++)
		if (doc.lines[i].kind == LINE_ROW && doc.lines[i].row == sel)
			sel_line = i;
	int first = panel_scroll_first(sel_line, rows_shown, doc.n);
	for (int i = first, y = y0; i < doc.n && y < y0 + rows_shown; i++, y++) {
		const struct line *ln = &doc.lines[i];
		if (ln->kind == LINE_TEXT) {
			grid_printf(g, x, y, x + width, ln->element, "%s", ln->text);
			continue;
		}
		bool run = ln->kind == LINE_RUN_HEAD ||
		           (ln->kind == LINE_ROW && rows[ln->row].kind == LOCKS_ROW_RUNNING);
		const struct column *cols = run ? RUN_COLUMNS : CHAIN_COLUMNS;
		const struct fit_place *at = run ? run_at : chain_at;
		const bool *brief = run ? run_brief : chain_brief;
		int ncols = run ? 5 : COLS;
		enum ui_element el = ln->kind == LINE_ROW && ln->row == sel ? UI_SELECTION
		                     : ln->kind == LINE_ROW                 ? UI_NORMAL
		                                                            : UI_DIM;
		if (el == UI_SELECTION)
			grid_fill(g, x, y, width, 1, ' ', el);
		for (int c = 0; c < ncols; c++) {
			const struct cells *cell = ln->kind == LINE_ROW ? &cells[ln->row] : NULL;
			const char *text = cell == NULL                            ? cols[c].name
			                   : brief[c] && cell->brief[c][0] != '\0' ? cell->brief[c]
			                                                           : cell->text[c];
			draw_cell(g, v, x, y, &at[c], text, el);
		}
	}
}
