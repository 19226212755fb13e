/* dashboard.c - the dashboard's main loop and state (dashboard.h); its keys
 * are in dashboard_keys.c.
 * Curses stays in term.c, drawing in panels.c, probing in workers.c. */
#include "ui/dashboard.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "history/backfill.h"
#include "ui/history_read.h"
#include "history/timeline.h"
#include "probe/probe.h"
#include "ui/dashboard_impl.h"
#include "util/clock.h"
#include "util/message.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

bool dashboard_terminal_usable(void)
{
	const char *term = getenv("TERM");
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && term != NULL && *term != '\0' &&
	       strcmp(term, "dumb") != 0;
}

/* ---------------------------------------------------------------- signals */

static int signal_pipe[2] = {-1, -1};
/* The first signal ends the loop; one more, while a backup still cleans up
 * on the way out, makes it give the cleanup up (lock-free atomics: safe in
 * a handler). */
static atomic_int signals_seen;
static atomic_int signal_abandon;

static void dashboard_on_signal(int signo)
{
	int saved = errno;
	if (atomic_fetch_add(&signals_seen, 1) > 0)
		atomic_store(&signal_abandon, signo);
	unsigned char byte = (unsigned char)signo;
	if (write(signal_pipe[1], &byte, 1) < 0) {
		/* the pipe is full: a signal is already pending */
	}
	errno = saved;
}

static int dashboard_pipe(int fds[2])
{
	if (pipe(fds) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		fcntl(fds[i], F_SETFD, FD_CLOEXEC);
		fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
	}
	return 0;
}

static void dashboard_drain(int fd, int *last)
{
	unsigned char buf[64];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		if (last != NULL)
			*last = buf[n - 1];
}

/* ---------------------------------------------------------------- state */

_Static_assert(sizeof(((struct ui_state *)0)->message) <= UI_NOTICE_TEXT_MAX,
               "the notice clock holds a whole key bar notice");

void dashboard_message(struct dashboard *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->state.message, sizeof(d->state.message), fmt, ap);
	va_end(ap);
}

void dashboard_apply_theme(struct dashboard *d, const char *name)
{
	char err[512] = "";
	if (theme_load(&d->theme, name, err, sizeof(err)) < 0) {
		dashboard_message(d, "theme: %s; using default", err);
		activity_add(&d->activity, clock_wall_ms(), UI_WARNING, "theme: %s", err);
	}
	text_copy(d->state.theme_name, d->theme.name, sizeof(d->state.theme_name));
	theme_set_banner_color(&d->theme, d->cfg->ui.banner_color);
	if (d->term != NULL)
		term_set_theme(d->term, &d->theme);
}

static enum ui_element dashboard_state_element(enum check_state s)
{
	return s == CHECK_OK ? UI_OK : s == CHECK_UNHEALTHY ? UI_CRITICAL : UI_DIM;
}

/* One record per round of the probes, while this dashboard writes the
 * history (history/writer.h): once every polled row has published since
 * the last record, or 1.5 intervals after it with at least one new (so a
 * hung probe holds up no record; its row keeps what it had). */
static void dashboard_record(struct dashboard *d)
{
	if (d->writer == NULL)
		return;
	int64_t now = clock_monotonic_ms();
	bool any = false, all = true;
	for (int c = 0; c < CHECK_COUNT; c++) {
		if (d->view.generation[c] == 0)
			continue; /* no worker, or none published yet */
		if (d->view.generation[c] != d->recorded_generation[c])
			any = true;
		else
			all = false;
	}
	if (!any || (!all && now - d->recorded_at_ms < d->state.interval_ms * 3 / 2))
		return;
	memcpy(d->recorded_generation, d->view.generation, sizeof(d->recorded_generation));
	d->recorded_at_ms = now;
	check_history_record(&d->record, &d->view.snap, &d->diag, now);
	history_writer_submit(d->writer, &d->record);
}

/* Takes the workers' latest parts: history, activity, diagnosis. */
static void dashboard_update(struct dashboard *d)
{
	struct snapshot before = d->view.snap;
	workers_copy(d->workers, &d->view);
	struct snapshot *s = &d->view.snap;
	backup_menu_status(d->backups, &s->backup);
	text_copy(s->app_name, d->cfg->app.name, sizeof(s->app_name));
	s->taken_at_ms = d->view.published_at_ms;
	int64_t now = clock_wall_ms();
	bool changed = false;
	for (int c = 0; c < CHECK_COUNT; c++) {
		const struct check_common *check = check_common_of(CHECKS[c], s);
		if (check == NULL || d->view.generation[c] == d->seen_generation[c])
			continue;
		changed = true;
		bool first = d->seen_generation[c] == 0;
		d->seen_generation[c] = d->view.generation[c];
		static const int LATENCY[CHECK_COUNT] = {
		    [CHECK_ID_DATABASE] = HISTORY_LATENCY_DATABASE,
		    [CHECK_ID_REDIS] = HISTORY_LATENCY_REDIS,
		    [CHECK_ID_HEALTH] = HISTORY_LATENCY_HEALTH,
		    [CHECK_ID_REQUESTS] = -1,
		    [CHECK_ID_SLOW_QUERIES] = -1,
		    [CHECK_ID_STORAGE] = HISTORY_LATENCY_STORAGE,
		    [CHECK_ID_VERSION] = HISTORY_LATENCY_VERSION,
		    [CHECK_ID_BACKUP] = -1};
		if (LATENCY[c] >= 0)
			history_record_latency(&d->history, (enum history_series)LATENCY[c], check);
		if (c == CHECK_ID_DATABASE)
			history_record_requests(&d->history, &s->requests);
		if (first || check->state != d->seen_state[c]) {
			if (first)
				activity_add(&d->activity, now,
				             dashboard_state_element(check->state), "%s %s%s%s",
				             CHECKS[c]->key, check_state_name(check->state),
				             check->error[0] ? ": " : "", check->error);
			else
				activity_add(&d->activity, now,
				             dashboard_state_element(check->state),
				             "%s %s -> %s%s%s", CHECKS[c]->key,
				             check_state_name(d->seen_state[c]),
				             check_state_name(check->state),
				             check->error[0] ? ": " : "", check->error);
			d->seen_state[c] = check->state;
		}
	}
	if (!changed)
		return;
	struct diagnosis old = d->diag;
	deploy_track(&d->deploy, &before, s, &old);
	diagnose(s, d->have_previous ? &d->previous : NULL, d->cfg, &d->diag);
	deploy_note_problems(&d->deploy, &d->diag, s->taken_at_ms);
	notifier_observe(d->notifier, &d->diag);
	activity_log_issues(&d->activity, &old, &d->diag, now);
	d->previous = before;
	d->have_previous = true;
	dashboard_record(d);
}

void dashboard_fill_view(struct dashboard *d, struct ui_view *v)
{
	memset(v, 0, sizeof(*v));
	v->snap = &d->view.snap;
	v->diag = &d->diag;
	v->hist = &d->history;
	v->activity = &d->activity;
	v->state = &d->state;
	v->now_ms = clock_wall_ms();
	v->last_refresh_ms = d->view.published_at_ms;
	v->environment = d->environment;
	v->banner = d->cfg->ui.banner;
	v->program_version = PACKAGE_VERSION;
	v->utf8 = d->utf8;
	for (int c = 0; c < CHECK_COUNT; c++)
		v->waiting_ms[c] = d->view.running_ms[c];
	if (graph_span_graphs(&d->span) != NULL) {
		v->hist = graph_span_graphs(&d->span);
		v->graph_span = graph_span_name(&d->span);
	}
	if (d->replay.on) { /* every panel as the record has it */
		v->snap = d->replay.snap;
		v->diag = d->replay.diag;
		v->hist = d->replay.graphs;
		v->graph_span = NULL;
		/* the environment's banner stays: it says where this happened */
		text_printf(d->banner_view, sizeof(d->banner_view), "%s%s%s", d->cfg->ui.banner,
		            d->cfg->ui.banner[0] ? " | " : "", d->replay.banner);
		v->banner = d->banner_view;
		v->last_refresh_ms = d->replay.record->at_ms;
		memset(v->waiting_ms, 0, sizeof(v->waiting_ms));
	}
}

static void dashboard_draw(struct dashboard *d)
{
	int w, h;
	term_size(d->term, &w, &h);
	if (w <= 0 || h <= 0)
		return;
	if (d->grid.width != w || d->grid.height != h) {
		grid_free(&d->grid);
		if (grid_init(&d->grid, w, h) < 0)
			return;
	}
	/* the in-flight timers move without a publish */
	struct workers_view fresh;
	workers_copy(d->workers, &fresh);
	memcpy(d->view.running_ms, fresh.running_ms, sizeof(fresh.running_ms));
	struct ui_view v;
	dashboard_fill_view(d, &v);
	panels_draw(&d->grid, &v);
	term_draw(d->term, &d->grid);
}

/* The configuration file changed on disk: say what the new one is worth.
 * The loaded configuration stays in use whatever the file now holds. */
static bool dashboard_check_config(struct dashboard *d)
{
	char msg[sizeof(d->state.message)];
	enum config_watch_event event = config_watch_check(&d->watch, msg, sizeof(msg));
	if (event == CONFIG_WATCH_UNCHANGED)
		return false;
	activity_add(&d->activity, clock_wall_ms(),
	             event == CONFIG_WATCH_INVALID ? UI_WARNING : UI_NORMAL, "%s", msg);
	dashboard_message(d, "%s", msg);
	return true;
}

/* ---------------------------------------------------------------- loop */

/* Notes from library code (util/message.h) while the screen is ours: to
 * Activity, sanitised. */
static void dashboard_take_messages(struct dashboard *d)
{
	char lines[MESSAGE_QUEUE_MAX][MESSAGE_LINE_MAX];
	size_t dropped = 0;
	size_t n = message_queue_take(lines, MESSAGE_QUEUE_MAX, &dropped);
	int64_t now = clock_wall_ms();
	if (dropped)
		activity_add(&d->activity, now, UI_WARNING, "%zu earlier notes were dropped",
		             dropped);
	for (size_t i = 0; i < n; i++) {
		char clean[MESSAGE_LINE_MAX];
		sanitize_text(clean, sizeof(clean), lines[i]);
		activity_add(&d->activity, now, UI_WARNING, "%s", clean);
	}
}

/* The environment's background threads that stand in for a missing
 * recorder: the notifier and the history writer; why either is off is
 * said in Activity. */
static void dashboard_stand_ins_start(struct dashboard *d)
{
	char why[512];
	d->notifier = notifier_start(d->cfg, d->env_name, NOTIFIER_WATCHER, why, sizeof(why));
	if (d->notifier == NULL && why[0])
		activity_add(&d->activity, clock_wall_ms(), UI_WARNING, "%s", why);
	d->writer = history_writer_start(&d->cfg->history, why, sizeof(why));
	if (d->writer == NULL && why[0])
		activity_add(&d->activity, clock_wall_ms(), UI_WARNING, "%s", why);
}

/* Ends them: `wait` for a delivery or a write in flight (at the exit), or
 * leaves them to end on their own (switching environments). */
static void dashboard_stand_ins_stop(struct dashboard *d, bool wait)
{
	if (wait) {
		notifier_stop(d->notifier); /* a delivery in flight ends at [notify] timeout */
		history_writer_stop(d->writer);
	} else {
		notifier_release(d->notifier);
		history_writer_release(d->writer);
	}
	d->notifier = NULL;
	d->writer = NULL;
}

/* What the notifier and the history writer have to say, to Activity. */
static void dashboard_take_stand_in_logs(struct dashboard *d)
{
	char line[512], clean[512];
	while (notifier_take_log(d->notifier, line, sizeof(line))) {
		sanitize_text(clean, sizeof(clean), line);
		activity_add(&d->activity, clock_wall_ms(),
		             strstr(clean, "not delivered") ? UI_WARNING : UI_NORMAL, "%s", clean);
	}
	while (history_writer_take_log(d->writer, line, sizeof(line))) {
		sanitize_text(clean, sizeof(clean), line);
		activity_add(&d->activity, clock_wall_ms(),
		             strstr(clean, "cannot") || strstr(clean, "not recorded") ? UI_WARNING
		                                                                      : UI_NORMAL,
		             "%s", clean);
	}
}

/* The sparklines' last hour from the history, when a recorder keeps one:
 * a dashboard opened mid-incident shows what led up to it at once. */
static void dashboard_backfill(struct dashboard *d)
{
	history_read_free(d->backfill);
	d->backfill = NULL;
	if (!d->cfg->history.enabled || !d->cfg->history.dir[0])
		return;
	/* and the last deploy, so a problem after it is linked at once */
	d->backfill =
	    history_read_start(d->cfg->history.dir, HISTORY_BACKFILL_SPAN_MS, true, d->wake_fd);
}

/* The backfill's result, once read: the past before the values the polls
 * brought meanwhile, and the deploy unless a newer one was seen. */
static void dashboard_take_backfill(struct dashboard *d)
{
	if (d->backfill == NULL || !history_read_done(d->backfill))
		return;
	const struct history *past;
	const struct deploy_status *deploy;
	int filled = history_read_result(d->backfill, &past, &deploy);
	if (filled >= 0) {
		history_prepend(&d->history, past);
		if (deploy->at_ms > d->deploy.at_ms)
			d->deploy = *deploy;
	}
	history_read_free(d->backfill);
	d->backfill = NULL;
	if (filled > 0)
		activity_add(&d->activity, clock_wall_ms(), UI_NORMAL,
		             "graphs: the last hour from the history (%d values)", filled);
	else if (filled < 0)
		activity_add(&d->activity, clock_wall_ms(), UI_WARNING,
		             "graphs: the history in %s cannot be read", d->cfg->history.dir);
}

static int dashboard_loop(struct dashboard *d, int wake_fd)
{
	dashboard_draw(d);
	int64_t last_second = clock_monotonic_ms() / 1000;
	while (!d->quit) {
		int64_t now = clock_monotonic_ms();
		int timeout = (int)(1000 - now % 1000) + 1;
		struct pollfd fds[3] = {
		    {.fd = term_fd(d->term), .events = POLLIN},
		    {.fd = wake_fd, .events = POLLIN},
		    {.fd = signal_pipe[0], .events = POLLIN},
		};
		int n = poll(fds, 3, timeout);
		if (n < 0 && errno != EINTR)
			return 1;
		bool dirty = false;
		if (n > 0 && (fds[2].revents & POLLIN)) {
			int signo = 0;
			dashboard_drain(signal_pipe[0], &signo);
			if (signo != 0)
				return 128 + signo;
		}
		if (n > 0 && (fds[1].revents & POLLIN)) {
			dashboard_drain(wake_fd, NULL);
			dashboard_take_messages(d);
			dashboard_update(d);
			dashboard_take_stand_in_logs(d);
			dashboard_take_backfill(d);
			if (recovery_poll(d->recovery, &d->state, &d->activity))
				workers_refresh(d->workers);
			backup_menu_poll(d->backups, &d->state, &d->activity);
			graph_span_poll(&d->span, d->cfg->history.dir, d->wake_fd);
			env_picker_poll(d->envs, &d->state);
			dirty = true;
		}
		if (n > 0 && (fds[0].revents & (POLLHUP | POLLERR)) && !(fds[0].revents & POLLIN))
			return 128 + SIGHUP; /* the terminal went away */
		/* keys, and KEY_RESIZE after a SIGWINCH interrupted poll */
		struct ui_key_event ev;
		while (!d->quit && term_read_key(d->term, &ev) == 1) {
			dashboard_key(d, &ev);
			ui_notice_restart(&d->notice);
			dirty = true;
		}
		if (dashboard_check_config(d))
			dirty = true;
		if (ui_notice_expire(&d->notice, d->state.message, clock_monotonic_ms()))
			dirty = true;
		int64_t second = clock_monotonic_ms() / 1000;
		if (second != last_second) {
			last_second = second;
			dirty = true;
		}
		if (dirty && !d->quit)
			dashboard_draw(d);
	}
	return 0;
}

/* What probe threads that did not stop in time still use when
 * dashboard_run returns: kept until the process exits. */
static struct {
	struct config *cfg;
	struct dashboard *d;
} dashboard_left_running;

/* Nothing seen yet: no copy of the workers' view, no diagnosis, no
 * history. At the start and after switching environments. */
static void dashboard_forget(struct dashboard *d)
{
	memset(&d->view, 0, sizeof(d->view));
	snapshot_init(&d->view.snap);
	snapshot_init(&d->previous);
	d->have_previous = false;
	memset(d->seen_generation, 0, sizeof(d->seen_generation));
	memset(d->seen_state, 0, sizeof(d->seen_state));
	memset(&d->diag, 0, sizeof(d->diag));
	history_init(&d->history);
	memset(d->recorded_generation, 0, sizeof(d->recorded_generation));
	d->recorded_at_ms = 0;
	memset(&d->deploy, 0, sizeof(d->deploy));
}

/* Configurations of environments switched away from whose probe threads
 * were still in a probe: kept, reachable, to the exit. */
static struct config *dashboard_left_configs[8];

static void dashboard_park_config(struct config *cfg)
{
	for (size_t i = 0; i < sizeof(dashboard_left_configs) / sizeof(dashboard_left_configs[0]);
	     i++)
		if (dashboard_left_configs[i] == NULL) {
			dashboard_left_configs[i] = cfg;
			return;
		}
	/* more than that: leaked, which the exit ends */
}

/* The environment's configuration on the heap, or NULL with why in err. */
static struct config *dashboard_load_env(const char *name, bool read_only, char *err, size_t errlen)
{
	char *path = envs_path(name, err, errlen);
	if (path == NULL)
		return NULL;
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	int rc = config_load_file(cfg, path, err, errlen);
	free(path);
	if (rc < 0) {
		free(cfg);
		return NULL;
	}
	envs_own_history(cfg, name);
	if (read_only)
		cfg->recovery.read_only = true;
	return cfg;
}

void dashboard_switch_env(struct dashboard *d, const char *name)
{
	char err[1024];
	if (backup_menu_running(d->backups) || recovery_running(d->recovery)) {
		dashboard_message(d,
		                  "a backup or recovery action is running on %s: let it end "
		                  "(b shows it) before switching",
		                  d->env_name[0] ? d->env_name : "this environment");
		return;
	}
	struct config *cfg = dashboard_load_env(name, d->force_read_only, err, sizeof(err));
	struct workers *workers = NULL;
	if (cfg != NULL && workers_start(&workers, cfg, d->state.interval_ms, 0, d->wake_fd, err,
	                                 sizeof(err)) < 0) {
		config_free(cfg);
		free(cfg);
		cfg = NULL;
	}
	if (cfg == NULL) {
		char clean[sizeof(err)];
		sanitize_text(clean, sizeof(clean), err);
		activity_add(&d->activity, clock_wall_ms(), UI_WARNING,
		             "environment %s not loaded: %s", name, clean);
		dashboard_message(d, "environment %s not loaded: %s", name, clean);
		return;
	}
	/* everything that reads the old configuration ends before it goes; the
	 * notifier and the writer end on their own, after what is in flight */
	dashboard_stand_ins_stop(d, false);
	replay_leave(&d->replay); /* the old environment's history */
	graph_span_leave(&d->span);
	history_read_free(d->backfill);
	d->backfill = NULL;
	recovery_free(d->recovery);
	backup_menu_free(d->backups);
	struct config *old = d->cfg_owned;
	if (workers_stop(d->workers, 300) == 0) {
		config_free(old);
		free(old);
	} else {
		dashboard_park_config(old);
	}
	d->cfg = d->cfg_owned = cfg;
	d->workers = workers;
	d->recovery = recovery_new(cfg, d->wake_fd);
	d->backups = backup_menu_new(cfg, d->wake_fd);
	backup_menu_set_abandon(d->backups, &signal_abandon);
	d->state.read_only = cfg->recovery.read_only;
	dashboard_forget(d); /* what was seen of the old environment is not this one's */
	dashboard_backfill(d);
	text_copy(d->env_name, name, sizeof(d->env_name));
	d->environment = d->env_name;
	dashboard_apply_theme(d, d->no_color != NULL ? "mono" : d->state.theme_name);
	config_watch_free(&d->watch);
	config_watch_init(&d->watch, cfg);
	activity_add(&d->activity, clock_wall_ms(), UI_NORMAL, "environment %s (%s)", name,
	             cfg->path);
	dashboard_stand_ins_start(d);
	dashboard_message(d, "environment %s", name);
}

int dashboard_run(struct config *cfg, const struct dashboard_options *opts)
{
	int status = 1;
	bool cfg_in_use = false;
	int wake[2] = {-1, -1};
	struct dashboard *d = calloc(1, sizeof(*d));
	char err[512] = "";
	struct sigaction sa, old_int, old_term, old_hup;
	bool handlers = false;
	if (d == NULL) {
		fprintf(stderr, "opsdeck: out of memory\n");
		goto done;
	}
	d->cfg = cfg;
	d->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	d->cfg_owned = cfg;
	d->force_read_only = opts->read_only;
	if (opts->environment != NULL) {
		text_copy(d->env_name, opts->environment, sizeof(d->env_name));
		d->environment = d->env_name;
	}
	if (d->environment == NULL)
		d->environment = config_lookup(cfg, "NODE_ENV");
	if (d->environment == NULL)
		d->environment = "";
	d->state.interval_ms = cfg->ui.interval_ms > 0 ? cfg->ui.interval_ms : 2000;
	d->state.focus = PANEL_HEALTH;
	dashboard_forget(d);
	activity_init(&d->activity);
	d->no_color = theme_no_color_reason(opts->no_color, getenv("NO_COLOR"));
	dashboard_apply_theme(d, d->no_color != NULL ? "mono" : cfg->ui.theme);

	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		goto done;
	}
	if (dashboard_pipe(wake) < 0 || dashboard_pipe(signal_pipe) < 0) {
		fprintf(stderr, "opsdeck: cannot create a pipe: %s\n", strerror(errno));
		goto done;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = dashboard_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	handlers = true;
	d->wake_fd = wake[1];
	dashboard_backfill(d);
	d->recovery = recovery_new(cfg, wake[1]);
	d->backups = backup_menu_new(cfg, wake[1]);
	d->envs = env_picker_new(wake[1]);
	backup_menu_set_abandon(d->backups, &signal_abandon);
	d->state.read_only = cfg->recovery.read_only;

	if (term_open(&d->term, err, sizeof(err)) < 0) {
		fprintf(stderr, "opsdeck: %s; try `opsdeck status`\n", err);
		status = DASHBOARD_EXIT_USAGE;
		goto done;
	}
	term_set_theme(d->term, &d->theme);
	message_queue_start(wake[1]); /* stderr is the screen now */
	char interval[32];
	text_format_duration(interval, sizeof(interval), d->state.interval_ms);
	activity_add(&d->activity, clock_wall_ms(), UI_NORMAL,
	             "opsdeck %s started, refresh every %s", PACKAGE_VERSION, interval);
	if (workers_start(&d->workers, cfg, d->state.interval_ms, 0, wake[1], err, sizeof(err)) <
	    0) {
		term_close(d->term);
		d->term = NULL;
		message_queue_stop();
		fprintf(stderr, "opsdeck: %s\n", err);
		goto done;
	}
	cfg_in_use = true;
	config_watch_init(&d->watch, cfg);
	dashboard_stand_ins_start(d);
	status = dashboard_loop(d, wake[0]);
	cfg = d->cfg_owned; /* the environment in use now */
	/* the terminal first, so the operator has the prompt back at once */
	term_close(d->term);
	d->term = NULL;
	message_queue_stop();
	dashboard_stand_ins_stop(d, true);
	replay_leave(&d->replay);
	graph_span_leave(&d->span);
	history_read_free(d->backfill);
	d->backfill = NULL;
	/* a running action is asked to stop and waited for: it uses cfg */
	recovery_free(d->recovery);
	d->recovery = NULL;
	/* an interrupted backup says what it left behind, on the terminal */
	char stopped[UI_DIALOG_TEXT], clean[UI_DIALOG_TEXT];
	backup_menu_stop(d->backups, stopped, sizeof(stopped));
	if (stopped[0]) {
		sanitize_text(clean, sizeof(clean), stopped);
		fprintf(stderr, "opsdeck: %s\n", clean);
	}
	backup_menu_free(d->backups);
	d->backups = NULL;
	env_picker_free(d->envs);
	d->envs = NULL;
	if (workers_stop(d->workers, 300) == 0)
		cfg_in_use = false;
	d->workers = NULL;

done:
	if (handlers) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	if (d != NULL) {
		term_close(d->term);
		message_queue_stop();
		grid_free(&d->grid);
		config_watch_free(&d->watch);
		recovery_free(d->recovery);
		d->recovery = NULL;
		backup_menu_free(d->backups);
		d->backups = NULL;
		env_picker_free(d->envs);
		d->envs = NULL;
		dashboard_stand_ins_stop(d, true);
	}
	if (cfg_in_use) {
		/* Threads still inside a probe read cfg, wake[1] and d: those are
		 * left to the process exit, reachable from here meanwhile. */
		dashboard_left_running.cfg = cfg;
		dashboard_left_running.d = d;
	} else {
		free(d);
		for (int i = 0; i < 2; i++) {
			if (wake[i] >= 0)
				close(wake[i]);
		}
		config_free(cfg);
		free(cfg);
		probe_global_cleanup();
	}
	return status;
}
