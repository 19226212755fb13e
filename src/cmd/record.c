/* record.c - `opsdeck record [--interval DUR]`: the flight recorder, a
 * foreground daemon (systemd: opsdeck-record.service).
 *
 * It polls as the dashboard does (check_probe_polling: every check of the
 * table in parallel, each bounded by [app] timeout, the request log read a
 * minute at a time and slow queries counted per interval), diagnoses with the
 * previous poll (so trend rules fire), appends one record per poll to the
 * history store and logs one line per change to stderr. One recorder per
 * history directory (history/lock.h); a dashboard that was recording there
 * hands it over. With [notify] webhook_url set it is
 * the one that sends the notifications (notify/notifier.h). SIGTERM and SIGINT end it (exit 0)
 * after the poll in flight; SIGHUP reloads the configuration. A record that
 * cannot be written (disk full, permissions) is logged, once until writing
 * works again, and polling goes on.
 *
 * Exit status: 0 after SIGTERM/SIGINT; 1 when another recorder holds the
 * directory or the history cannot be opened; 2 for usage and configuration
 * errors, a history directory that cannot be created or written included.
 */
#include "cmd/cmd.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check/check.h"
#include "diag/diagnose.h"
#include "history/changes.h"
#include "history/keeper.h"
#include "history/lock.h"
#include "history/store.h"
#include "history/timeline.h"
#include "probe/probe.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/xalloc.h"

/* How long a recorder waits for a dashboard writing the history to let
 * go of it (history_lock_claim). */
#define RECORD_CLAIM_WAIT_MS 5000

struct recorder {
	struct config cfg;
	struct history_store *store;
	struct history_keeper keeper; /* writes and prunes store */
	struct check_poll_state *poll_state;
	struct snapshot *snap;
	struct snapshot *prev_snap; /* NULL before the first poll */
	struct history_record *record;
	struct history_record *prev_record; /* NULL before the first record */
	struct notifier *notifier;          /* NULL without [notify] webhook_url */
	struct deploy_status deploy;        /* the last deploy (model/deploy.h) */
	struct diagnosis last_diagnosis;    /* of prev_snap */
};

static void record_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck record [-c FILE] [--interval DUR]\n"
	           "Polls every configured backend each interval (default: [ui] interval) and\n"
	           "writes what it saw to the history ([history] dir), one record per poll.\n"
	           "Logs one line per change (a check, an issue, the version) to stderr.\n"
	           "Runs in the foreground until SIGTERM or SIGINT; SIGHUP reloads the\n"
	           "configuration. One recorder per history directory; a dashboard that\n"
	           "records there while none runs hands it over.\n");
}

/* Creates the history directory and checks that it can be written; prints
 * one line naming [history] dir when not. */
static int record_prepare_dir(const struct config *cfg)
{
	const char *dir = cfg->history.dir;
	char err[1024];
	if (!*dir) {
		fprintf(stderr, "opsdeck: [history] dir is not set and there is no home directory "
		                "to keep the history in\n");
		return -1;
	}
	if (file_make_dir(dir, true, err, sizeof(err)) < 0) {
		fprintf(stderr, "opsdeck: [history] dir: %s\n", err);
		return -1;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		fprintf(stderr, "opsdeck: [history] dir: cannot write to %s: %s\n", dir,
		        strerror(errno));
		return -1;
	}
	return 0;
}

static void record_log_line(void *ctx, const char *line)
{
	(void)ctx;
	cli_daemon_log("%s", line);
}

/* Logs the changes of the new record, each line on its own. */
static void record_log_changes(const struct recorder *r)
{
	struct strbuf lines;
	strbuf_init(&lines, 0);
	history_changes(r->prev_record, r->record, &lines);
	const char *text = strbuf_str(&lines);
	while (*text) {
		const char *end = strchr(text, '\n');
		size_t len = end ? (size_t)(end - text) : strlen(text);
		cli_daemon_log("%.*s", (int)len, text);
		text += len + (end ? 1 : 0);
	}
	strbuf_free(&lines);
}

/* One poll: probe, diagnose, append, log what changed. */
static void record_poll(struct recorder *r)
{
	struct diagnosis diagnosis;
	check_probe_polling(&r->cfg, r->poll_state, r->snap);
	deploy_track(&r->deploy, r->prev_snap, r->snap, &r->last_diagnosis);
	diagnose(r->snap, r->prev_snap, &r->cfg, &diagnosis);
	deploy_note_problems(&r->deploy, &diagnosis, r->snap->taken_at_ms);
	r->last_diagnosis = diagnosis;
	notifier_observe(r->notifier, &diagnosis);
	check_history_record(r->record, r->snap, &diagnosis, clock_monotonic_ms());
	history_keeper_write(&r->keeper, r->record);
	record_log_changes(r);
	cli_notifier_drain(r->notifier);

	/* this poll becomes the previous one */
	struct snapshot *snap = r->prev_snap ? r->prev_snap : xmalloc(sizeof(*snap));
	r->prev_snap = r->snap;
	r->snap = snap;
	struct history_record *rec = r->prev_record ? r->prev_record : xmalloc(sizeof(*rec));
	r->prev_record = r->record;
	r->record = rec;
}

/* SIGHUP: the configuration again; on error the running one stays. */
static void record_reload(struct recorder *r, const struct cli_options *opts)
{
	struct config fresh;
	if (cli_load_config(opts, &fresh) < 0) {
		cli_daemon_log("configuration not reloaded; the running one stays");
		return;
	}
	if (strcmp(fresh.history.dir, r->cfg.history.dir) != 0)
		cli_daemon_log("[history] dir changed to %s: the recorder writes to %s until it is "
		               "restarted",
		               fresh.history.dir, r->cfg.history.dir);
	config_free(&r->cfg);
	r->cfg = fresh;
	cli_notifier_stop(r->notifier);
	r->notifier = cli_notifier_start(&r->cfg, opts, NOTIFIER_RECORDER);
	/* the backends may be others now: windows and baselines start again */
	check_poll_state_free(r->poll_state);
	r->poll_state = check_poll_state_new();
	cli_daemon_log("configuration reloaded from %s", *r->cfg.path ? r->cfg.path : "defaults");
	history_keeper_init(&r->keeper, r->store, &r->cfg.history, record_log_line, NULL);
}

/* Polls until SIGTERM or SIGINT; the signals are blocked and taken here
 * with sigtimedwait, so none interrupts a poll half-way. */
static void record_run(struct recorder *r, const struct cli_options *opts, const sigset_t *signals)
{
	for (;;) {
		int64_t started = clock_monotonic_ms();
		record_poll(r);
		int64_t due = started + r->cfg.ui.interval_ms;
		for (;;) {
			int64_t left = due - clock_monotonic_ms();
			if (left <= 0)
				break;
			struct timespec wait = {.tv_sec = (time_t)(left / 1000),
			                        .tv_nsec = (long)(left % 1000) * 1000000L};
			int signo = sigtimedwait(signals, NULL, &wait);
			if (signo == SIGTERM || signo == SIGINT) {
				cli_daemon_log("stopping (%s)",
				               signo == SIGTERM ? "SIGTERM" : "SIGINT");
				return;
			}
			if (signo == SIGHUP)
				record_reload(r, opts);
		}
	}
}

int cmd_record(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {NULL, 0, NULL, 0},
	};
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, NULL, NULL, record_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;

	struct recorder r = {0};
	int rc = EXIT_USAGE, lock_fd = -1;
	if (cli_load_config(opts, &r.cfg) < 0)
		return EXIT_USAGE;
	if (!r.cfg.history.enabled) {
		fprintf(stderr, "opsdeck: record: the history is turned off ([history] enabled = "
		                "false)\n");
		goto done;
	}
	if (record_prepare_dir(&r.cfg) < 0)
		goto done;
	char err[1024], warning[1024];
	struct history_lock_holder holder;
	int locked = history_lock_claim(r.cfg.history.dir, RECORD_CLAIM_WAIT_MS, &lock_fd, &holder,
	                                err, sizeof(err));
	if (locked != 0) {
		if (locked > 0 && strcmp(holder.role, HISTORY_ROLE_DASHBOARD) == 0)
			fprintf(stderr,
			        "opsdeck: a dashboard (pid %ld) is writing %s and did not let go "
			        "within %d s\n",
			        (long)holder.pid, r.cfg.history.dir, RECORD_CLAIM_WAIT_MS / 1000);
		else if (locked > 0)
			fprintf(stderr, "opsdeck: another opsdeck record (pid %ld) is writing %s\n",
			        (long)holder.pid, r.cfg.history.dir);
		else
			fprintf(stderr, "opsdeck: [history] dir: %s\n", err);
		rc = locked > 0 ? 1 : EXIT_USAGE;
		goto done;
	}
	rc = 1;
	if (history_store_open(&r.store, r.cfg.history.dir, HISTORY_OPEN_WRITE, warning,
	                       sizeof(warning), err, sizeof(err)) < 0) {
		fprintf(stderr, "opsdeck: record: %s\n", err);
		goto done;
	}
	if (warning[0])
		cli_daemon_log("%s", warning);
	history_keeper_init(&r.keeper, r.store, &r.cfg.history, record_log_line, NULL);
	if (history_last_deploy(r.cfg.history.dir, clock_wall_ms(), &r.deploy) > 0)
		cli_daemon_log("the last deploy, %s -> %s, is %lld s old: problems after it are "
		               "linked to it",
		               r.deploy.from, r.deploy.to,
		               (long long)((clock_wall_ms() - r.deploy.at_ms) / 1000));
	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		goto done;
	}
	/* Blocked before the probe threads exist, so they inherit the mask
	 * and only sigtimedwait takes the signals. */
	sigset_t signals;
	cli_block_daemon_signals(&signals);
	r.poll_state = check_poll_state_new();
	r.snap = xmalloc(sizeof(*r.snap));
	r.record = xmalloc(sizeof(*r.record));
	r.notifier = cli_notifier_start(&r.cfg, opts, NOTIFIER_RECORDER);
	cli_daemon_log("recording every %lld ms into %s", (long long)r.cfg.ui.interval_ms,
	               history_store_path(r.store));
	record_run(&r, opts, &signals);
	cli_notifier_stop(r.notifier);
	probe_global_cleanup();
	rc = 0;
done:
	history_store_close(r.store);
	history_lock_release(lock_fd);
	check_poll_state_free(r.poll_state);
	free(r.snap);
	free(r.prev_snap);
	free(r.record);
	free(r.prev_record);
	config_free(&r.cfg);
	return rc;
}
