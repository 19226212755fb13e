/* cmd.h - the verbs of the command line (DESIGN.md "Command line").
 *
 * Each verb gets the arguments after its name (argv[0] is the verb) and the
 * options given before it, and returns the process exit status.
 */
#ifndef OPSDECK_CMD_CMD_H
#define OPSDECK_CMD_CMD_H

#include <stdbool.h>
#include <stdint.h>

#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

#include "config/config.h"
#include "model/issue.h"
#include "model/snapshot.h"
#include "notify/notifier.h"

/* Usage and configuration errors, for every verb. */
#define EXIT_USAGE 2

struct cli_options {
	const char *config_path; /* -c FILE, -e NAME's file, or NULL for the search order */
	const char *env_name;    /* -e NAME, or NULL */
	bool read_only;          /* --read-only */
	const char *theme;       /* --theme NAME, or NULL */
	int64_t interval_ms;     /* --interval DUR, or 0 */
	bool no_color;           /* --no-color */
};

/* Options every verb accepts as well as the top level, so that
 * "opsdeck status -c FILE" works like "opsdeck -c FILE status". */
#define CLI_COMMON_SHORT "c:e:h"
enum { CLI_OPT_READ_ONLY = 1000, CLI_OPT_THEME, CLI_OPT_INTERVAL, CLI_OPT_NO_COLOR };
#define CLI_COMMON_LONG                                                                            \
	{"config", required_argument, NULL, 'c'}, {"env", required_argument, NULL, 'e'},           \
	    {"help", no_argument, NULL, 'h'}, {"read-only", no_argument, NULL, CLI_OPT_READ_ONLY}, \
	    {"theme", required_argument, NULL, CLI_OPT_THEME},                                     \
	    {"interval", required_argument, NULL, CLI_OPT_INTERVAL},                               \
	{                                                                                          \
		"no-color", no_argument, NULL, CLI_OPT_NO_COLOR                                    \
	}

/* Applies one of the common options; returns 1 if `opt` was one, 0 if not,
 * -1 (after printing why) if its argument is bad. */
int cli_common_option(struct cli_options *opts, int opt, const char *arg);

/* Loads the configuration as the options say and applies the command-line
 * overrides. On error prints one line to stderr and returns -1. */
int cli_load_config(const struct cli_options *opts, struct config *cfg);

/* For the verbs that work on a backup target (backup, backup drill,
 * backup prune, restore): --target (may be NULL) checked, the
 * configuration loaded into cfg, a target required (--target or [backup]
 * target), libcurl initialised. 0 when ready (config_free cfg after);
 * else the exit status (EXIT_USAGE, or 1 when the host fails), said on
 * stderr as "opsdeck: VERB: ...", cfg already freed. */
int cli_load_backup_config(const struct cli_options *opts, const char *verb, const char *target,
                           struct config *cfg);

/* Parses a verb's argv: the common options, the verb's own `longopts`
 * (which must start with CLI_COMMON_LONG) and short options `extra_short`
 * (getopt syntax, or NULL), before or after the operands, handing each of
 * the verb's options to on_option (0 ok, -1 to reject it). Accepts at most
 * max_arguments operands, left at argv[optind..]. Returns 0 to go on,
 * 1 when --help was shown (exit 0), -1 on a usage error (already printed
 * with the usage; exit EXIT_USAGE). */
int cli_parse(int argc, char **argv, struct cli_options *opts, const struct option *longopts,
              const char *extra_short, int (*on_option)(int opt, const char *arg, void *ctx),
              void *ctx, void (*usage)(FILE *f), int max_arguments);

/* One poll for the one-shot verbs: every probe and the listing of the
 * backups (for their freshness), all in parallel and each bounded by [app]
 * timeout, a look at the history and its recorder, then the diagnosis. Returns 0, or -1 (after
 * printing why) if libcurl cannot start. */
int cli_probe_once(const struct config *cfg, struct snapshot *snap, struct diagnosis *diagnosis);

/* cli_load_config, then cli_probe_once: the start of the one-shot report
 * verbs. Returns 0 with cfg loaded (the caller frees it), -1 when the
 * configuration did not load, or -2 when the poll could not start (cfg
 * already freed); why is printed. */
int cli_load_and_probe(const struct cli_options *opts, struct config *cfg, struct snapshot *snap,
                       struct diagnosis *diagnosis);

/* The signal (SIGINT, SIGTERM or SIGHUP) that asked the running work to
 * stop, or 0 — once cli_catch_interrupts() is installed. Long work (a
 * backup, a recovery action) takes &cli_interrupted as its cancel flag, so
 * Ctrl-C or a dropped SSH session stops it cleanly and its outcome is still
 * recorded. A later signal goes to cli_abandoned: the work gives up its
 * cleanup too (an S3 abort in flight) and ends at once, naming what it left
 * behind. */
extern atomic_int cli_interrupted;
extern atomic_int cli_abandoned;
void cli_catch_interrupts(void);

/* One line on stderr with the wall clock in front ("2026-12-04T03:12:44.120Z
 * ..."): the log of the daemons (record, exporter). */
void cli_daemon_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The daemons' notifier (notify/notifier.h), or NULL when [notify] has no
 * webhook; why it is off, when it is, is logged. */
struct notifier *cli_notifier_start(const struct config *cfg, const struct cli_options *opts,
                                    enum notifier_role role);
/* Logs what the notifier has to say (cli_daemon_log). */
void cli_notifier_drain(struct notifier *n);
/* Stops it, logging what it has to say and what it could not deliver. */
void cli_notifier_stop(struct notifier *n);

/* Blocks SIGTERM, SIGINT and SIGHUP in the calling thread, and so in the
 * threads it starts after, and fills signals with them: a daemon takes
 * them on one thread (sigtimedwait, signalfd), never inside a probe. */
void cli_block_daemon_signals(sigset_t *signals);

/* Writes the whole text to stdout; returns 0, or -1 (after printing why) if
 * stdout could not take it (a closed pipe, a full disk). */
int cli_write_stdout(const char *text, size_t len);

int cmd_status(int argc, char **argv, struct cli_options *opts);
int cmd_check(int argc, char **argv, struct cli_options *opts);
int cmd_diagnose(int argc, char **argv, struct cli_options *opts);
int cmd_version_file(int argc, char **argv, struct cli_options *opts);
int cmd_recover(int argc, char **argv, struct cli_options *opts);
int cmd_audit(int argc, char **argv, struct cli_options *opts);
int cmd_backup(int argc, char **argv, struct cli_options *opts);
int cmd_backup_drill(int argc, char **argv, struct cli_options *opts); /* backup drill */
int cmd_restore(int argc, char **argv, struct cli_options *opts);
/* `restore files ...` (argv[0] is "files"), dispatched by cmd_restore. */
int cmd_restore_files(int argc, char **argv, struct cli_options *opts);
/* `restore KEY --into DB`, dispatched by cmd_restore. */
int cmd_restore_db(int argc, char **argv, struct cli_options *opts);
/* `backup prune` (argv[0] is "prune"), from cmd_backup. */
int cmd_backup_prune(int argc, char **argv, struct cli_options *opts);

/* `record`: poll and write the history until SIGTERM (cmd/record.c). */
int cmd_record(int argc, char **argv, struct cli_options *opts);

/* `exporter`: serve Prometheus metrics until SIGTERM (cmd/exporter.c). */
int cmd_exporter(int argc, char **argv, struct cli_options *opts);
int cmd_envs(int argc, char **argv, struct cli_options *opts);

/* `report`: the incident timeline from the history (cmd/report.c). */
int cmd_report(int argc, char **argv, struct cli_options *opts);

/* No verb: the live dashboard (ui/dashboard.h). */
int cmd_dashboard(struct cli_options *opts);

#endif
