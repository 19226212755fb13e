/* dashboard_impl.h - the dashboard's state, shared by its main loop
 * (dashboard.c) and its keys (dashboard_keys.c) and by nothing else. All of
 * it belongs to the UI thread.
 */
#ifndef OPSDECK_UI_DASHBOARD_IMPL_H
#define OPSDECK_UI_DASHBOARD_IMPL_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "config/watch.h"
#include "diag/diagnose.h"
#include "history/writer.h"
#include "model/history.h"
#include "notify/notifier.h"
#include "ui/activity.h"
#include "ui/backup_menu.h"
#include "ui/env_picker.h"
#include "ui/graph_span.h"
#include "ui/history_read.h"
#include "ui/notice.h"
#include "ui/panels.h"
#include "ui/recovery.h"
#include "ui/replay.h"
#include "ui/term.h"
#include "ui/theme.h"
#include "ui/workers.h"

/* Everything the loop keeps; large, so it lives on the heap. */
struct dashboard {
	const struct config *cfg;
	struct config *cfg_owned; /* the same, freed at the exit (or left to it) */
	int wake_fd;              /* the workers' and jobs' wake-ups */
	struct term *term;
	struct workers *workers;
	struct workers_view view; /* the latest copy */
	struct snapshot previous; /* the copy before, for diagnose's trends */
	bool have_previous;
	uint64_t seen_generation[CHECK_COUNT];
	enum check_state seen_state[CHECK_COUNT];
	struct diagnosis diag;
	struct deploy_status deploy; /* the last deploy (model/deploy.h) */
	struct history history;
	struct activity_log activity;
	struct recovery *recovery;     /* the guided recovery flow (recovery.h) */
	struct backup_menu *backups;   /* the b menu (backup_menu.h) */
	struct env_picker *envs;       /* the e picker (env_picker.h) */
	struct notifier *notifier;     /* [notify]: sends while no recorder runs, or NULL */
	struct history_writer *writer; /* records while no recorder runs, or NULL */
	struct history_record record;  /* the one being made */
	uint64_t recorded_generation[CHECK_COUNT]; /* the rows' generations in it */
	int64_t recorded_at_ms;                    /* monotonic time it was made */
	struct replay replay;                      /* looking back over the history (replay.h) */
	struct graph_span span;           /* the graphs' span of the history (graph_span.h) */
	struct history_read *backfill;    /* the last hour being read at a start, or NULL */
	char banner_view[UI_BANNER_TEXT]; /* [ui] banner and the replay's, while replaying */
	struct ui_state state;
	struct ui_notice_clock notice; /* when state.message goes (notice.h) */
	struct theme theme;
	struct grid grid;
	struct config_watch watch; /* the config file on disk (watch.h) */
	bool utf8;
	const char *no_color; /* why the theme stays mono (theme_no_color_reason), or NULL */
	bool quit;
	int exit_status;
	const char *environment;
	char env_name[ENVS_NAME_MAX]; /* -e NAME or the one switched to; "" */
	bool force_read_only;         /* --read-only: every environment is */
};

/* The one-line notice of the key bar. */
void dashboard_message(struct dashboard *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Loads theme `name` (the default one, with a notice, when it cannot). */
void dashboard_apply_theme(struct dashboard *d, const char *name);

/* The view of the current state, for panels.h. */
void dashboard_fill_view(struct dashboard *d, struct ui_view *v);

/* Switches the dashboard to environment name: its configuration loaded,
 * new probe threads, recovery and backup menus on it, the history and
 * issues of the old one dropped. Refused (with a notice) while a backup or
 * recovery action runs, or when the file does not load: the environment in
 * use stays. */
void dashboard_switch_env(struct dashboard *d, const char *name);

/* Handles one key (dashboard_keys.c): an open recovery flow or backup
 * menu first, then the row of UI_KEYS that the key runs. */
void dashboard_key(struct dashboard *d, const struct ui_key_event *ev);

#endif
