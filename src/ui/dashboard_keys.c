/* dashboard_keys.c - what each dashboard key does, and UI_KEYS[], the one
 * table the dispatch, the help screen and the key bar read (keys.h). */
#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

#include "ui/dashboard_impl.h"
#include "ui/locks_view.h"
#include "util/clock.h"
#include "util/text.h"

static const int64_t INTERVALS_MS[] = {500, 1000, 2000, 5000, 10000, 30000, 60000};
#define INTERVAL_COUNT ((int)(sizeof(INTERVALS_MS) / sizeof(INTERVALS_MS[0])))

static bool dashboard_in_dialog(const struct dashboard *d)
{
	return d->state.dialog != DIALOG_NONE;
}

/* Whether the dashboard replays the past, where no action may start (the
 * key bar says how to return). */
static bool dashboard_replaying(struct dashboard *d)
{
	if (!d->replay.on)
		return false;
	dashboard_message(d, "%s: Esc returns to live before any action", d->replay.banner);
	return true;
}

static void dashboard_key_quit(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	if (dashboard_in_dialog(d))
		d->state.dialog = DIALOG_NONE;
	else
		d->quit = true;
}

static void dashboard_key_help(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	d->state.dialog = d->state.dialog == DIALOG_HELP ? DIALOG_NONE : DIALOG_HELP;
	d->state.dialog_scroll = 0;
}

static void dashboard_key_focus(struct dashboard *d, const struct ui_key_event *ev)
{
	if (!dashboard_in_dialog(d))
		d->state.focus = ui_panel_next(d->state.focus, ev->key == UI_KEY_TAB ? 1 : -1);
}

/* Arrows, pages, Home and End: scroll a dialog, or move the selection of
 * the focused panel. */
static void dashboard_key_move(struct dashboard *d, const struct ui_key_event *ev)
{
	int delta = ev->key == UI_KEY_UP || ev->key == UI_KEY_HOME ? -1
	            : ev->key == UI_KEY_PAGE_UP                    ? -5
	            : ev->key == UI_KEY_PAGE_DOWN                  ? 5
	                                                           : 1;
	bool to_end = ev->key == UI_KEY_HOME || ev->key == UI_KEY_END;
	struct ui_state *st = &d->state;
	if (dashboard_in_dialog(d)) {
		st->dialog_scroll += delta;
		if (st->dialog_scroll < 0 || (to_end && delta < 0))
			st->dialog_scroll = 0;
		if (st->dialog_scroll > 500)
			st->dialog_scroll = 500;
		return;
	}
	struct ui_view v;
	dashboard_fill_view(d, &v);
	int count = panels_row_count(&v, st->focus);
	int *sel = &st->selected[st->focus];
	if (to_end)
		*sel = delta < 0 ? 0 : count - 1;
	else
		*sel += delta;
	if (*sel >= count)
		*sel = count - 1;
	if (*sel < 0)
		*sel = 0;
}

static void dashboard_key_details(struct dashboard *d, const struct ui_key_event *ev)
{
	struct ui_state *st = &d->state;
	(void)ev;
	if (dashboard_in_dialog(d)) {
		st->dialog = DIALOG_NONE;
		return;
	}
	struct ui_view v;
	dashboard_fill_view(d, &v);
	if (panels_details(&v, st->dialog_title, sizeof(st->dialog_title), st->dialog_text,
	                   sizeof(st->dialog_text)) == 0) {
		st->dialog = DIALOG_TEXT;
		st->dialog_scroll = 0;
	}
}

/* r: the actions suggested for the selected issue (from the Slow queries
 * panel: cancel-query / terminate-query of a pid), through recovery.c. */
static void dashboard_key_recover(struct dashboard *d, const struct ui_key_event *ev)
{
	const struct issue *is = NULL;
	int sel = d->state.selected[PANEL_ISSUES];
	(void)ev;
	if (dashboard_replaying(d))
		return;
	if (d->state.focus != PANEL_SLOW_QUERIES) {
		if (d->diag.count == 0) {
			dashboard_message(d, "no issue is open: nothing to recover from");
			return;
		}
		is = &d->diag.issues[sel >= 0 && sel < d->diag.count ? sel : 0];
	}
	char why[256];
	if (recovery_open(d->recovery, is, &d->view.snap, &d->diag, &d->state, &d->activity, why,
	                  sizeof(why)) < 0)
		dashboard_message(d, "%s", why);
}

/* l: the Locks view (locks_view.h), its first row selected. */
static void dashboard_key_locks(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	if (dashboard_in_dialog(d) || dashboard_replaying(d))
		return;
	d->state.locks = (struct ui_locks_state){.open = !d->state.locks.open};
}

/* The open issue about `pid` as a root blocker, or NULL. */
static const struct issue *dashboard_root_issue(const struct dashboard *d, int pid)
{
	char id[64];
	snprintf(id, sizeof(id), "%s:%d", ISSUE_TYPES[ISSUE_ROOT_BLOCKER].name, pid);
	for (int i = 0; i < d->diag.count; i++)
		if (strcmp(d->diag.issues[i].id, id) == 0)
			return &d->diag.issues[i];
	return NULL;
}

/* t, c and Enter on the selected row of the Locks view: the dry run of
 * the action for its pid in the recovery dialog, or its details. */
static void dashboard_locks_act(struct dashboard *d, char key)
{
	const struct lock_status *l = &d->view.snap.locks;
	struct locks_row rows[LOCKS_VIEW_ROWS];
	int n = locks_view_rows(l, rows, LOCKS_VIEW_ROWS);
	int at = locks_view_selected(rows, n, &d->state.locks);
	if (at < 0) {
		dashboard_message(d, "no session waits on a lock and no query runs");
		return;
	}
	struct ui_state *st = &d->state;
	if (key == '\n') {
		locks_view_details(l, &rows[at], st->dialog_title, sizeof(st->dialog_title),
		                   st->dialog_text, sizeof(st->dialog_text));
		st->dialog = DIALOG_TEXT;
		st->dialog_scroll = 0;
		st->dialog_footer[0] = '\0';
		return;
	}
	const char *action = NULL;
	char why[256];
	if (locks_view_action(l, &rows[at], key, &action, why, sizeof(why)) < 0 ||
	    recovery_open_pid(d->recovery, action, rows[at].pid,
	                      dashboard_root_issue(d, rows[at].pid), &d->view.snap, &d->diag, st,
	                      &d->activity, why, sizeof(why)) < 0)
		dashboard_message(d, "%s", why);
}

/* A key of the open Locks view with no dialog over it: true when it took
 * it (the others run their UI_KEYS row: space, p, +/-, ?). */
static bool dashboard_locks_key(struct dashboard *d, const struct ui_key_event *ev)
{
	struct ui_locks_state *sel = &d->state.locks;
	const struct lock_status *l = &d->view.snap.locks;
	switch (ev->key) {
	case UI_KEY_ESCAPE:
		sel->open = false;
		return true;
	case UI_KEY_UP:
	case UI_KEY_DOWN:
	case UI_KEY_PAGE_UP:
	case UI_KEY_PAGE_DOWN:
	case UI_KEY_HOME:
	case UI_KEY_END: {
		int delta = ev->key == UI_KEY_UP || ev->key == UI_KEY_HOME ? -1
		            : ev->key == UI_KEY_PAGE_UP                    ? -5
		            : ev->key == UI_KEY_PAGE_DOWN                  ? 5
		                                                           : 1;
		locks_view_move(l, sel, delta, ev->key == UI_KEY_HOME || ev->key == UI_KEY_END);
		return true;
	}
	case UI_KEY_ENTER:
		dashboard_locks_act(d, '\n');
		return true;
	case UI_KEY_CHAR:
		if (ev->ch == 'q' || ev->ch == 'Q' || ev->ch == 'l') {
			sel->open = false;
			return true;
		}
		if (ev->ch == 't' || ev->ch == 'c') {
			dashboard_locks_act(d, (char)ev->ch);
			return true;
		}
		return false;
	default:
		return false;
	}
}

static void dashboard_key_backup(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	if (dashboard_replaying(d))
		return;
	backup_menu_open(d->backups, &d->state);
}

static void dashboard_key_refresh(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	workers_refresh(d->workers);
	dashboard_message(d, "refreshing every check");
}

static void dashboard_key_pause(struct dashboard *d, const struct ui_key_event *ev)
{
	struct ui_state *st = &d->state;
	(void)ev;
	st->paused = !st->paused;
	workers_set_paused(d->workers, st->paused);
	activity_add(&d->activity, clock_wall_ms(), UI_NORMAL, "%s by the operator",
	             st->paused ? "paused" : "resumed");
}

/* + and -: the next longer or shorter of INTERVALS_MS. */
static void dashboard_key_interval(struct dashboard *d, const struct ui_key_event *ev)
{
	struct ui_state *st = &d->state;
	int i = 0;
	while (i < INTERVAL_COUNT - 1 && INTERVALS_MS[i] < st->interval_ms)
		i++;
	if (ev->ch == '+' && i < INTERVAL_COUNT - 1 && INTERVALS_MS[i] <= st->interval_ms)
		i++;
	else if (ev->ch == '-' && i > 0)
		i--;
	st->interval_ms = INTERVALS_MS[i];
	workers_set_interval(d->workers, st->interval_ms);
	char text[32];
	text_format_duration(text, sizeof(text), st->interval_ms);
	dashboard_message(d, "refresh every %s", text);
}

/* e: the environment picker. */
static void dashboard_key_envs(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	if (dashboard_in_dialog(d) || dashboard_replaying(d))
		return;
	env_picker_open(d->envs, &d->state, d->env_name);
}

/* t: the next theme found, except under NO_COLOR or --no-color, where
 * mono stays and the key bar says why. */
static void dashboard_key_theme(struct dashboard *d, const struct ui_key_event *ev)
{
	char names[THEME_LIST_MAX][THEME_NAME_MAX];
	(void)ev;
	if (d->no_color != NULL) {
		dashboard_message(d, "%s: themes have no colour; %s kept", d->no_color,
		                  d->state.theme_name);
		return;
	}
	int n = theme_list(names, THEME_LIST_MAX);
	int next = 0;
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], d->state.theme_name) == 0)
			next = (i + 1) % n;
	dashboard_apply_theme(d, names[next]);
	if (d->state.message[0] == '\0')
		dashboard_message(d, "theme %s", d->state.theme_name);
}

static void dashboard_key_close(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	if (!dashboard_in_dialog(d) && d->replay.on) {
		replay_leave(&d->replay);
		dashboard_message(d, "live");
		return;
	}
	d->state.dialog = DIALOG_NONE;
}

/* [ ] { }: the time cursor over the history (replay.h). */
static void dashboard_key_replay(struct dashboard *d, const struct ui_key_event *ev)
{
	static const struct {
		unsigned int ch;
		enum replay_move move;
	} MOVES[] = {{'[', REPLAY_BACK},
	             {']', REPLAY_FORWARD},
	             {'{', REPLAY_PREV_CHANGE},
	             {'}', REPLAY_NEXT_CHANGE}};
	if (dashboard_in_dialog(d))
		return;
	for (size_t i = 0; i < sizeof(MOVES) / sizeof(MOVES[0]); i++) {
		if (ev->ch != MOVES[i].ch)
			continue;
		char why[256];
		int moved = replay_move(&d->replay, d->cfg->history.dir, d->cfg->app.name,
		                        MOVES[i].move, why, sizeof(why));
		if (moved > 0)
			dashboard_message(d,
			                  "%s: [ ] a record, { } where the issues change, Esc live",
			                  d->replay.banner);
		else if (moved == 0)
			dashboard_message(d, "%s", why);
		else
			dashboard_message(d, "cannot look back: %s", why);
	}
}

/* g: the graphs' span, live polls -> 15m -> 1h -> 24h of the history. */
static void dashboard_key_graph_span(struct dashboard *d, const struct ui_key_event *ev)
{
	(void)ev;
	if (dashboard_in_dialog(d))
		return;
	char msg[sizeof(d->state.message)];
	graph_span_next(&d->span, d->cfg->history.dir, d->cfg->history.enabled, d->wake_fd, msg,
	                sizeof(msg));
	dashboard_message(d, "%s", msg);
}

static void dashboard_key_click(struct dashboard *d, const struct ui_key_event *ev)
{
	if (dashboard_in_dialog(d))
		return;
	int w, h;
	term_size(d->term, &w, &h);
	struct ui_layout layout;
	ui_layout_compute(w, h, d->state.focus, &layout);
	int p = ui_layout_hit(&layout, ev->x, ev->y);
	if (p >= 0)
		d->state.focus = (enum ui_panel)p;
}

static const char *dashboard_label_pause(const struct ui_state *st, char *buf, size_t size)
{
	(void)buf;
	(void)size;
	return st->paused ? "Resume" : "Pause";
}

static const char *dashboard_label_interval(const struct ui_state *st, char *buf, size_t size)
{
	text_format_duration(buf, size, st->interval_ms);
	return buf;
}

static const char *dashboard_label_theme(const struct ui_state *st, char *buf, size_t size)
{
	(void)buf;
	(void)size;
	return st->theme_name;
}

#define CH(c)                                                                                      \
	{                                                                                          \
		UI_KEY_CHAR, (c)                                                                   \
	}
#define KEY(k)                                                                                     \
	{                                                                                          \
		(k), 0                                                                             \
	}

/* In the order of the help screen and the key bar. */
const struct ui_key_binding UI_KEYS[] = {
    {.codes = {CH('q'), CH('Q')},
     .help_key = "q",
     .description = "quit (in a dialog: close it)",
     .bar_key = "q",
     .bar_label = "Quit",
     .run = dashboard_key_quit},
    {.codes = {CH('?'), CH('h')},
     .help_key = "?",
     .description = "this help",
     .bar_key = "?",
     .bar_label = "Help",
     .run = dashboard_key_help},
    {.codes = {KEY(UI_KEY_TAB), KEY(UI_KEY_BACKTAB)},
     .help_key = "Tab",
     .description = "focus the next panel in reading order; Shift-Tab the previous",
     .bar_key = "Tab",
     .bar_label = "Focus",
     .run = dashboard_key_focus},
    {.codes = {KEY(UI_KEY_UP), KEY(UI_KEY_DOWN), KEY(UI_KEY_PAGE_UP), KEY(UI_KEY_PAGE_DOWN),
               KEY(UI_KEY_HOME), KEY(UI_KEY_END)},
     .help_key = "Up/Down",
     .help_key_utf8 = "\xe2\x86\x91 \xe2\x86\x93",
     .description = "move in the focused panel; PgUp/PgDn a page",
     .run = dashboard_key_move},
    {.codes = {KEY(UI_KEY_ENTER)},
     .help_key = "Enter",
     .description = "details: the full text of the focused panel or row",
     .bar_key = "Enter",
     .bar_label = "Details",
     .run = dashboard_key_details},
    {.codes = {CH('r')},
     .help_key = "r",
     .description = "guided recovery for the selected issue",
     .description_read_only = "guided recovery: dry runs only (read-only mode)",
     .bar_key = "r",
     .bar_label = "Recover",
     .bar_label_read_only = "Recover(dry)",
     .run = dashboard_key_recover},
    {.codes = {CH('l')},
     .help_key = "l",
     .description = "locks: blocking chains, running queries; t ends, c cancels",
     .description_read_only = "locks: blocking chains, running queries; t, c dry runs",
     .bar_key = "l",
     .bar_label = "Locks",
     .run = dashboard_key_locks},
    {.codes = {CH('b')},
     .help_key = "b",
     .description = "backup menu: back up, list, verify, restore into a new database",
     .description_read_only = "backup menu (backups still run; restore is refused)",
     .bar_key = "b",
     .bar_label = "Backup",
     .run = dashboard_key_backup},
    {.codes = {CH(' ')},
     .help_key = "space",
     .description = "refresh every check now",
     .bar_key = "Spc",
     .bar_label = "Refresh",
     .run = dashboard_key_refresh},
    {.codes = {CH('p')},
     .help_key = "p",
     .description = "pause or resume refreshing",
     .bar_key = "p",
     .bar_label_of = dashboard_label_pause,
     .run = dashboard_key_pause},
    {.codes = {CH('+'), CH('-')},
     .help_key = "+ / -",
     .description = "refresh less / more often",
     .bar_key = "+-",
     .bar_label_of = dashboard_label_interval,
     .run = dashboard_key_interval},
    {.codes = {CH('t')},
     .help_key = "t",
     .description = "next theme (mono stays under NO_COLOR or --no-color)",
     .bar_key = "t",
     .bar_label_of = dashboard_label_theme,
     .run = dashboard_key_theme},
    {.codes = {CH('e')},
     .help_key = "e",
     .description = "environments and their states; Enter switches",
     .run = dashboard_key_envs},
    {.codes = {CH('['), CH(']'), CH('{'), CH('}')},
     .help_key = "[ ] { }",
     .description = "look back over the history: a record, or where issues change",
     .run = dashboard_key_replay},
    {.codes = {CH('g')},
     .help_key = "g",
     .description = "graphs: the last 15 min, hour or day of the history, or live",
     .run = dashboard_key_graph_span},
    {.codes = {KEY(UI_KEY_ESCAPE)},
     .help_key = "Esc",
     .description = "close a dialog; while looking back, return to live",
     .run = dashboard_key_close},
    {.codes = {KEY(UI_KEY_CLICK)},
     .help_key = "mouse",
     .description = "click a panel to focus it",
     .run = dashboard_key_click},
};
const size_t UI_KEY_COUNT = sizeof(UI_KEYS) / sizeof(UI_KEYS[0]);

void dashboard_key(struct dashboard *d, const struct ui_key_event *ev)
{
	struct ui_state *st = &d->state;
	if (ev->key == UI_KEY_RESIZE)
		return;
	st->message[0] = '\0';
	if (recovery_active(d->recovery)) {
		recovery_key(d->recovery, ev, st, &d->activity);
		return;
	}
	if (backup_menu_active(d->backups)) {
		backup_menu_key(d->backups, ev, st, &d->activity);
		return;
	}
	if (env_picker_active(d->envs)) {
		char chosen[ENVS_NAME_MAX];
		if (env_picker_key(d->envs, ev, st, chosen))
			dashboard_switch_env(d, chosen);
		return;
	}
	if (st->locks.open && !dashboard_in_dialog(d) && dashboard_locks_key(d, ev))
		return;
	const struct ui_key_binding *b = ui_keys_find(ev);
	if (b != NULL)
		b->run(d, ev);
}
