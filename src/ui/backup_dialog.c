/* backup_dialog.c - the backup menu's steps, keys and text (see
 * backup_dialog.h). */
#include "ui/backup_dialog.h"

#include <stdarg.h>
#include <stdio.h>

#include "model/snapshot.h"
#include "util/text.h"

static const char *const KIND_TITLES[] = {"backup db", "backup files", "backup list",
                                          "backup verify"};

const char *backup_kind_title(enum backup_kind kind)
{
	return KIND_TITLES[kind];
}

const char *backup_dialog_target(const struct config *cfg)
{
	return cfg->backup.target && *cfg->backup.target ? cfg->backup.target
	                                                 : "not configured (set [backup] target)";
}

void backup_dialog_show(struct backup_dialog *d, struct ui_state *st, const char *footer,
                        const char *fmt, ...)
{
	d->shown = true;
	st->dialog = DIALOG_TEXT;
	text_copy(st->dialog_title, "Backups", sizeof(st->dialog_title));
	text_copy(st->dialog_footer, footer, sizeof(st->dialog_footer));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->dialog_text, sizeof(st->dialog_text), fmt, ap);
	va_end(ap);
}

void backup_dialog_hide(struct backup_dialog *d, struct ui_state *st)
{
	d->shown = false;
	st->dialog = DIALOG_NONE;
	st->dialog_footer[0] = '\0';
}

void backup_dialog_last(const struct backup_status *b, const struct drill_status *drill,
                        int64_t now_ms, char *dst, size_t size)
{
	dst[0] = '\0';
	if (!b->listed)
		return;
	char newest[64], last[SNAPSHOT_TEXT + 64];
	if (b->error[0])
		text_printf(newest, sizeof(newest), "Backups cannot be listed");
	else if (b->newest_ms <= 0)
		text_printf(newest, sizeof(newest), "No complete database backup");
	else {
		char ago[32];
		text_format_duration(ago, sizeof(ago),
		                     now_ms > b->newest_ms ? now_ms - b->newest_ms : 0);
		text_printf(newest, sizeof(newest), "Newest backup %s ago", ago);
	}
	if (drill->check.state == CHECK_OK)
		drill_result_summary(&drill->last, now_ms, last, sizeof(last));
	else
		text_printf(last, sizeof(last), "unknown");
	text_printf(dst, size, "%s; last drill %s", newest, last);
}

void backup_dialog_menu(struct backup_dialog *d, struct ui_state *st)
{
	d->step = BACKUP_STEP_MENU;
	backup_dialog_show(d, st, "d/f/l/v/r choose  Esc close",
	                   "Target: %s\n%s%s\n"
	                   "  d  back up the database (pg_dump, gzip, streamed to the target)\n"
	                   "  f  back up the files of %s\n"
	                   "  l  list the backups at the target\n"
	                   "  v  verify the newest database backup (download, SHA-256, gunzip)\n"
	                   "  r  %s\n"
	                   "%s",
	                   backup_dialog_target(d->cfg), d->last, d->last[0] ? "\n" : "",
	                   d->cfg->backup.files_source && *d->cfg->backup.files_source
	                       ? d->cfg->backup.files_source
	                       : "[backup] files_source (not configured)",
	                   d->cfg->recovery.read_only
	                       ? "restore... refused in read-only mode: it creates a database"
	                       : "restore... a database backup into a new database",
	                   d->cfg->recovery.read_only
	                       ? "\nRead-only mode: backups still run (they only add objects "
	                         "at the target); recovery actions are dry runs only.\n"
	                       : "");
}

void backup_dialog_running(struct backup_dialog *d, struct ui_state *st, const char *line,
                           uint64_t done, uint64_t total)
{
	char pct[32] = "";
	if (total)
		snprintf(pct, sizeof(pct), " (about %d%%)",
		         (int)(done * 100 / total > 99 ? 99 : done * 100 / total));
	backup_dialog_show(d, st, "c cancel the backup  Esc hide (keeps running)",
	                   "%s %s %s\n\n%s%s\n", KIND_TITLES[d->kind],
	                   d->kind == BACKUP_KIND_VERIFY || d->kind == BACKUP_KIND_LIST ? "from"
	                                                                                : "to",
	                   backup_dialog_target(d->cfg), line[0] ? line : "starting", pct);
}

/* A choice in the menu: the confirmation with the target (none for a
 * listing, which only reads), or why there is nothing to do. */
static enum backup_effect dialog_choose(struct backup_dialog *d, struct ui_state *st,
                                        enum backup_kind kind)
{
	d->kind = kind;
	if (!d->cfg->backup.target || !*d->cfg->backup.target) {
		d->step = BACKUP_STEP_DONE;
		backup_dialog_show(d, st, "Esc close",
		                   "No backup target: set [backup] target in the "
		                   "configuration (s3://bucket/prefix or file:///dir).");
		return BACKUP_EFFECT_NONE;
	}
	d->step = BACKUP_STEP_CONFIRM;
	if (kind == BACKUP_KIND_LIST)
		return BACKUP_EFFECT_START; /* no confirmation for reading */
	const char *what = kind == BACKUP_KIND_DB ? "Back up the database"
	                   : kind == BACKUP_KIND_FILES
	                       ? "Back up the files of [backup] files_source"
	                       : "Download and verify the newest backup";
	/* verify reads the target: it is where the backup comes from */
	backup_dialog_show(
	    d, st, "y start  Esc back", "%s\n\n%s %s\n\nStart? (y / Esc)", what,
	    kind == BACKUP_KIND_VERIFY ? "from:" : "to:", backup_dialog_target(d->cfg));
	return BACKUP_EFFECT_NONE;
}

enum backup_effect backup_dialog_key(struct backup_dialog *d, const struct ui_key_event *ev,
                                     struct ui_state *st)
{
	bool esc = ev->key == UI_KEY_ESCAPE;
	unsigned int ch = ev->key == UI_KEY_CHAR ? ev->ch : 0;
	if (ev->key == UI_KEY_UP || ev->key == UI_KEY_DOWN) {
		st->dialog_scroll += ev->key == UI_KEY_UP ? -1 : 1;
		if (st->dialog_scroll < 0)
			st->dialog_scroll = 0;
		return BACKUP_EFFECT_NONE;
	}
	switch (d->step) {
	case BACKUP_STEP_MENU:
		if (esc || ch == 'q') {
			d->step = BACKUP_STEP_IDLE;
			backup_dialog_hide(d, st);
		} else if (ch == 'r') {
			d->step = BACKUP_STEP_RESTORE;
			return BACKUP_EFFECT_RESTORE;
		} else if (ch == 'd' || ch == 'f' || ch == 'l' || ch == 'v') {
			return dialog_choose(d, st,
			                     ch == 'd'   ? BACKUP_KIND_DB
			                     : ch == 'f' ? BACKUP_KIND_FILES
			                     : ch == 'l' ? BACKUP_KIND_LIST
			                                 : BACKUP_KIND_VERIFY);
		}
		break;
	case BACKUP_STEP_CONFIRM:
		if (ch == 'y' || ch == 'Y')
			return BACKUP_EFFECT_START;
		if (esc || ch == 'n')
			backup_dialog_menu(d, st);
		break;
	case BACKUP_STEP_RUNNING:
		if (ch == 'c') {
			d->step = BACKUP_STEP_CANCEL_ASK;
			backup_dialog_show(
			    d, st, "y cancel it  n/Esc keep running",
			    "Cancel the running %s?\n\npg_dump is stopped and the upload "
			    "aborted. If the target refuses that cleanup, the result names what "
			    "is left there.\n\nCancel? (y / n)",
			    KIND_TITLES[d->kind]);
		} else if (esc || ch == 'q') {
			backup_dialog_hide(d, st);
		}
		break;
	case BACKUP_STEP_CANCEL_ASK:
		if (ch == 'y' || ch == 'Y') {
			d->step = BACKUP_STEP_RUNNING;
			return BACKUP_EFFECT_CANCEL_JOB;
		}
		if (esc || ch == 'n') {
			d->step = BACKUP_STEP_RUNNING;
			return BACKUP_EFFECT_SHOW_RUNNING;
		}
		break;
	case BACKUP_STEP_DONE:
	case BACKUP_STEP_IDLE:
	default:
		if (esc || ch == 'q' || ev->key == UI_KEY_ENTER) {
			d->step = BACKUP_STEP_IDLE;
			backup_dialog_hide(d, st);
		}
		break;
	}
	return BACKUP_EFFECT_NONE;
}
