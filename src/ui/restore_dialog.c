/* restore_dialog.c - the Restore… steps, keys and text (see
 * restore_dialog.h). */
#include "ui/restore_dialog.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/strbuf.h"
#include "util/text.h"

/* A picker row shows the key's end (its timestamp and suffix) in this many
 * columns; the whole key is shown under the list. */
#define PICK_KEY_COLUMNS 28

/* The name typed at NAME: the engine's identifier rule, and a prompt for
 * an empty one. */
static bool name_ok(const char *name, char *err, size_t errlen)
{
	if (!*name) {
		snprintf(err, errlen, "type a name for the new database");
		return false;
	}
	return restore_db_name_check(name, err, errlen) == 0;
}

void restore_default_name(char *dst, size_t size, const char *source_db, const char *today)
{
	char suffix[32];
	snprintf(suffix, sizeof(suffix), "_restore_%s", today);
	size_t room = RESTORE_DB_NAME_MAX - strlen(suffix);
	/* a source name that is not a plain identifier gives "restore_DATE" */
	char err[256];
	bool usable =
	    source_db && *source_db && restore_db_name_check(source_db, err, sizeof(err)) == 0;
	if (!usable)
		snprintf(dst, size, "%s", suffix + 1);
	else
		snprintf(dst, size, "%.*s%s", (int)room, source_db, suffix);
}

void restore_progress_line(char *dst, size_t size, uint64_t done, uint64_t total,
                           int64_t elapsed_ms)
{
	double mb = (double)done / 1e6;
	double rate = elapsed_ms > 0 ? (double)done / 1e3 / (double)elapsed_ms : 0.0;
	if (total == 0 || done > total) {
		snprintf(dst, size, "%.1f MB, %.1f MB/s", mb, rate);
		return;
	}
	char eta[32] = "?";
	if (done > 0 && elapsed_ms > 0)
		text_format_duration(
		    eta, sizeof(eta),
		    (int64_t)((double)(total - done) * (double)elapsed_ms / (double)done));
	snprintf(dst, size, "%.1f of %.1f MB (%d%%), %.1f MB/s, ETA %s", mb, (double)total / 1e6,
	         (int)(done * 100 / total), rate, eta);
}

static bool has_target(const struct config *cfg)
{
	return cfg->backup.target && *cfg->backup.target;
}

bool restore_dialog_open(struct restore_dialog *d, const struct config *cfg, const char *source_db,
                         const char *today)
{
	memset(d, 0, sizeof(*d));
	d->cfg = cfg;
	text_copy(d->source_db, source_db ? source_db : "", sizeof(d->source_db));
	text_copy(d->today, today, sizeof(d->today));
	if (cfg->recovery.read_only) {
		d->step = RESTORE_STEP_REFUSED;
		text_copy(d->text,
		          "Restore is refused in read-only mode: it creates a database. "
		          "Backups, listing and verification still run.",
		          sizeof(d->text));
		return false;
	}
	if (!has_target(cfg)) {
		d->step = RESTORE_STEP_REFUSED;
		text_copy(d->text,
		          "No backup target: set [backup] target in the configuration "
		          "(s3://bucket/prefix or file:///dir).",
		          sizeof(d->text));
		return false;
	}
	d->step = RESTORE_STEP_LISTING;
	return true;
}

void restore_dialog_listed(struct restore_dialog *d, const struct restore_choice *choices,
                           int count, const char *err)
{
	if (d->step != RESTORE_STEP_LISTING)
		return;
	if (count < 0) {
		d->step = RESTORE_STEP_REFUSED;
		snprintf(d->text, sizeof(d->text), "The backups cannot be listed: %s", err);
		return;
	}
	d->choice_count = count < RESTORE_PICK_MAX ? count : RESTORE_PICK_MAX;
	d->more = count - d->choice_count;
	memcpy(d->choices, choices, (size_t)d->choice_count * sizeof(*choices));
	d->selected = 0;
	d->step = RESTORE_STEP_PICK;
}

/* A typing key for the prompt: a printable ASCII character added, or
 * Backspace; the error under the prompt goes. Whether it was one. */
static bool input_key(struct restore_dialog *d, const struct ui_key_event *ev)
{
	size_t n = strlen(d->input);
	if (ev->key == UI_KEY_CHAR && ev->ch >= 0x20 && ev->ch < 0x7f && n + 1 < sizeof(d->input)) {
		d->input[n] = (char)ev->ch;
		d->input[n + 1] = '\0';
	} else if (ev->key == UI_KEY_BACKSPACE && n) {
		d->input[n - 1] = '\0';
	} else if (ev->key != UI_KEY_CHAR && ev->key != UI_KEY_BACKSPACE) {
		return false;
	}
	d->notice[0] = '\0';
	return true;
}

/* Up/Down/PageUp/PageDown/Home/End in the picker. */
static void pick_move(struct restore_dialog *d, enum ui_key key)
{
	int s = d->selected;
	if (key == UI_KEY_UP)
		s--;
	else if (key == UI_KEY_DOWN)
		s++;
	else if (key == UI_KEY_PAGE_UP)
		s -= RESTORE_PICK_ROWS;
	else if (key == UI_KEY_PAGE_DOWN)
		s += RESTORE_PICK_ROWS;
	else if (key == UI_KEY_HOME)
		s = 0;
	else if (key == UI_KEY_END)
		s = d->choice_count - 1;
	if (s >= d->choice_count)
		s = d->choice_count - 1;
	d->selected = s < 0 ? 0 : s;
}

static void to_name(struct restore_dialog *d)
{
	d->step = RESTORE_STEP_NAME;
	d->notice[0] = '\0';
	if (!d->database[0])
		restore_default_name(d->database, sizeof(d->database), d->source_db, d->today);
	text_copy(d->input, d->database, sizeof(d->input));
}

static enum restore_effect key_pick(struct restore_dialog *d, const struct ui_key_event *ev)
{
	if (ev->key == UI_KEY_ESCAPE || (ev->key == UI_KEY_CHAR && ev->ch == 'q'))
		return RESTORE_EFFECT_CLOSE;
	if (ev->key == UI_KEY_ENTER && d->choice_count > 0)
		to_name(d);
	else
		pick_move(d, ev->key);
	return RESTORE_EFFECT_NONE;
}

static enum restore_effect key_name(struct restore_dialog *d, const struct ui_key_event *ev)
{
	if (ev->key == UI_KEY_ESCAPE)
		d->step = RESTORE_STEP_PICK;
	else if (!input_key(d, ev) && ev->key == UI_KEY_ENTER) {
		if (!name_ok(d->input, d->notice, sizeof(d->notice)))
			return RESTORE_EFFECT_NONE;
		if (d->source_db[0] && strcmp(d->input, d->source_db) == 0) {
			snprintf(d->notice, sizeof(d->notice),
			         "%s is the app's live database: choose a new name", d->input);
			return RESTORE_EFFECT_NONE;
		}
		text_copy(d->database, d->input, sizeof(d->database));
		d->step = RESTORE_STEP_PLANNING;
		d->text[0] = '\0';
		return RESTORE_EFFECT_DRY_RUN;
	}
	return RESTORE_EFFECT_NONE;
}

static enum restore_effect key_confirm(struct restore_dialog *d, const struct ui_key_event *ev)
{
	if (ev->key == UI_KEY_ESCAPE) {
		to_name(d);
		return RESTORE_EFFECT_DECLINED;
	}
	if (!input_key(d, ev) && ev->key == UI_KEY_ENTER) {
		if (strcmp(d->input, d->database) == 0) {
			d->step = RESTORE_STEP_RUNNING;
			d->text[0] = '\0';
			return RESTORE_EFFECT_RUN;
		}
		snprintf(d->notice, sizeof(d->notice),
		         "'%s' is not '%s': type the name exactly, or Esc to go back", d->input,
		         d->database);
		d->input[0] = '\0';
	}
	return RESTORE_EFFECT_NONE;
}

enum restore_effect restore_dialog_key(struct restore_dialog *d, const struct ui_key_event *ev)
{
	bool esc = ev->key == UI_KEY_ESCAPE;
	unsigned int ch = ev->key == UI_KEY_CHAR ? ev->ch : 0;
	switch (d->step) {
	case RESTORE_STEP_PICK:
		return key_pick(d, ev);
	case RESTORE_STEP_NAME:
		return key_name(d, ev);
	case RESTORE_STEP_PLANNING:
		if (esc)
			to_name(d); /* the dry run's answer, when it comes, is dropped */
		return RESTORE_EFFECT_NONE;
	case RESTORE_STEP_PREVIEW:
		if (esc || (ev->key == UI_KEY_ENTER && !d->ok))
			to_name(d);
		else if (ev->key == UI_KEY_ENTER) {
			d->step = RESTORE_STEP_CONFIRM;
			d->input[0] = d->notice[0] = '\0';
		}
		return RESTORE_EFFECT_NONE;
	case RESTORE_STEP_CONFIRM:
		return key_confirm(d, ev);
	case RESTORE_STEP_RUNNING:
		if (ch == 'c') {
			d->step = RESTORE_STEP_CANCEL_ASK;
			return RESTORE_EFFECT_NONE;
		}
		return esc || ch == 'q' ? RESTORE_EFFECT_HIDE : RESTORE_EFFECT_NONE;
	case RESTORE_STEP_CANCEL_ASK:
		if (ch == 'y' || ch == 'Y') {
			d->step = RESTORE_STEP_RUNNING;
			return RESTORE_EFFECT_CANCEL_JOB;
		}
		if (esc || ch == 'n')
			d->step = RESTORE_STEP_RUNNING;
		return RESTORE_EFFECT_NONE;
	case RESTORE_STEP_LISTING:
	case RESTORE_STEP_REFUSED:
	case RESTORE_STEP_DONE:
	case RESTORE_STEP_NONE:
	default:
		if (esc || ch == 'q' || ev->key == UI_KEY_ENTER)
			return RESTORE_EFFECT_CLOSE;
		return RESTORE_EFFECT_NONE;
	}
}

bool restore_dialog_planned(struct restore_dialog *d, const char *key, const char *database,
                            bool ok, const char *message)
{
	if (d->step != RESTORE_STEP_PLANNING || strcmp(database, d->database) != 0 ||
	    strcmp(key, d->choices[d->selected].key) != 0)
		return false;
	d->step = RESTORE_STEP_PREVIEW;
	d->ok = ok;
	text_copy(d->text, message, sizeof(d->text));
	return true;
}

void restore_dialog_progress(struct restore_dialog *d, const char *line)
{
	if (d->step == RESTORE_STEP_RUNNING || d->step == RESTORE_STEP_CANCEL_ASK)
		text_copy(d->text, line, sizeof(d->text));
}

void restore_dialog_ended(struct restore_dialog *d, bool ok, const char *result)
{
	d->step = RESTORE_STEP_DONE;
	d->ok = ok;
	text_copy(d->text, result, sizeof(d->text));
}

/* ------------------------------------------------------------ text */

static void format_stored(char *dst, size_t size, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	if (ms <= 0 || !gmtime_r(&t, &tm) || strftime(dst, size, "%Y-%m-%d %H:%M", &tm) == 0)
		text_copy(dst, "-", size);
}

static void format_size(char *dst, size_t size, uint64_t bytes)
{
	snprintf(dst, size, "%.1f MB", (double)bytes / 1e6);
}

/* The picked backup in one line: key (size, stored ... UTC). */
static void put_source(struct strbuf *b, const struct restore_choice *c)
{
	char when[32], sz[32];
	format_stored(when, sizeof(when), c->modified_ms);
	format_size(sz, sizeof(sz), c->size);
	strbuf_printf(b, "%s\n(%s, stored %s UTC)", c->key, sz, when);
}

static void render_pick(const struct restore_dialog *d, struct strbuf *b)
{
	if (d->choice_count == 0) {
		strbuf_printf(b,
		              "No complete database backup at %s.\n\nTake one with d in the "
		              "backup menu, or see l for incomplete ones.",
		              d->cfg->backup.target);
		return;
	}
	strbuf_printf(b, "Complete database backups at %s, newest first:\n\n",
	              d->cfg->backup.target);
	strbuf_printf(b, "    %-16s  %10s  %s\n", "stored (UTC)", "size", "key");
	int first = d->selected - RESTORE_PICK_ROWS / 2;
	if (first > d->choice_count - RESTORE_PICK_ROWS)
		first = d->choice_count - RESTORE_PICK_ROWS;
	if (first < 0)
		first = 0;
	for (int i = first; i < first + RESTORE_PICK_ROWS && i < d->choice_count; i++) {
		const struct restore_choice *c = &d->choices[i];
		char when[32], sz[32];
		format_stored(when, sizeof(when), c->modified_ms);
		format_size(sz, sizeof(sz), c->size);
		size_t n = strlen(c->key);
		if (n > PICK_KEY_COLUMNS)
			strbuf_printf(b, "  %s %-16s  %10s  ...%s\n", i == d->selected ? ">" : " ",
			              when, sz, c->key + n - (PICK_KEY_COLUMNS - 3));
		else
			strbuf_printf(b, "  %s %-16s  %10s  %s\n", i == d->selected ? ">" : " ",
			              when, sz, c->key);
	}
	strbuf_printf(b, "  %d of %d%s\n\n", d->selected + 1, d->choice_count,
	              d->more ? " (older ones: backup list)" : "");
	strbuf_printf(b, "%s", d->choices[d->selected].key);
}

/* The engine's dry run: what would be created from what, nothing changed
 * yet; or why it is refused. */
static void render_plan(const struct restore_dialog *d, struct strbuf *b)
{
	if (!d->ok) {
		strbuf_printf(b, "The dry run refuses this restore; nothing was changed:\n\n%s\n",
		              d->text);
		return;
	}
	strbuf_printf(b, "Dry run, nothing changed yet:\n\n%s.\n\nOn any failure %s is dropped.",
	              d->text, d->database);
	if (d->source_db[0])
		strbuf_printf(b, " The app's database %s is not touched.", d->source_db);
	strbuf_putc(b, '\n');
}

static const char *step_footer(const struct restore_dialog *d)
{
	switch (d->step) {
	case RESTORE_STEP_LISTING:
		return "Esc back";
	case RESTORE_STEP_PICK:
		return d->choice_count ? "Up/Down pick  Enter choose  Esc back" : "Esc back";
	case RESTORE_STEP_NAME:
		return "Enter dry run  Backspace edit  Esc back";
	case RESTORE_STEP_PLANNING:
		return "Esc back";
	case RESTORE_STEP_PREVIEW:
		return d->ok ? "Enter continue  Esc back" : "Enter/Esc back to the name";
	case RESTORE_STEP_CONFIRM:
		return "Enter restore  Esc back";
	case RESTORE_STEP_RUNNING:
		return "c cancel the restore  Esc hide (keeps running)";
	case RESTORE_STEP_CANCEL_ASK:
		return "y cancel it  n/Esc keep running";
	default:
		return "Esc close";
	}
}

void restore_dialog_render(const struct restore_dialog *d, struct ui_state *st)
{
	struct strbuf b;
	strbuf_init(&b, UI_DIALOG_TEXT - 1);
	const struct restore_choice *c = d->choice_count ? &d->choices[d->selected] : NULL;
	switch (d->step) {
	case RESTORE_STEP_LISTING:
		strbuf_printf(&b, "Reading the backups at %s...", d->cfg->backup.target);
		break;
	case RESTORE_STEP_PICK:
		render_pick(d, &b);
		break;
	case RESTORE_STEP_NAME:
		strbuf_puts(&b, "Restore ");
		put_source(&b, c);
		strbuf_printf(&b, "\n\ninto a new database (it must not exist yet):\n> %s_\n%s",
		              d->input, d->notice);
		break;
	case RESTORE_STEP_PLANNING:
		strbuf_puts(&b, "Dry run of restoring ");
		put_source(&b, c);
		strbuf_printf(&b,
		              "\ninto a new database %s: reading its manifest and asking the "
		              "server...\n",
		              d->database);
		break;
	case RESTORE_STEP_PREVIEW:
		render_plan(d, &b);
		break;
	case RESTORE_STEP_CONFIRM:
		render_plan(d, &b);
		strbuf_printf(&b,
		              "\nRestore creates a database. Type its name to run it:\n> %s_\n%s",
		              d->input, d->notice);
		break;
	case RESTORE_STEP_RUNNING:
		strbuf_printf(&b, "Restoring %s\ninto database %s\n\n%s\n", c->key, d->database,
		              d->text[0] ? d->text : "starting");
		break;
	case RESTORE_STEP_CANCEL_ASK:
		strbuf_printf(&b,
		              "Cancel the restore into %s?\n\nThe stream is stopped and %s is "
		              "dropped.\n\nCancel? (y / n)",
		              d->database, d->database);
		break;
	case RESTORE_STEP_DONE:
		if (d->ok)
			strbuf_printf(&b, "Restored into database %s.\n\n%s", d->database, d->text);
		else
			strbuf_printf(&b, "The restore into %s failed:\n\n%s", d->database,
			              d->text);
		break;
	case RESTORE_STEP_REFUSED:
	case RESTORE_STEP_NONE:
	default:
		strbuf_puts(&b, d->text);
		break;
	}
	st->dialog = DIALOG_TEXT;
	text_copy(st->dialog_title, "Restore a database backup", sizeof(st->dialog_title));
	text_copy(st->dialog_footer, step_footer(d), sizeof(st->dialog_footer));
	text_copy(st->dialog_text, strbuf_str(&b), sizeof(st->dialog_text));
	strbuf_free(&b);
}
