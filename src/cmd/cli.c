/* cli.c - what every verb shares: common options, loading the configuration,
 * writing results to stdout without losing an error. */
#include "cmd/cmd.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "config/backup_target.h"
#include "config/envs.h"
#include "diag/diagnose.h"
#include "history/inspect.h"
#include "history/timeline.h"
#include "probe/probe.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/text.h"
#include "util/xalloc.h"

/* -e NAME's file: kept to the exit, as the options that point at it. */
static char *cli_env_path;

/* -e NAME: its file becomes the configuration. -1 after saying why. */
static int cli_env_option(struct cli_options *opts, const char *name)
{
	if (opts->config_path && !opts->env_name) {
		fprintf(stderr, "opsdeck: -e and -c cannot be used together (an environment is a "
		                "configuration file)\n");
		return -1;
	}
	char err[1024];
	char *path = envs_path(name, err, sizeof(err));
	if (path == NULL) {
		fprintf(stderr, "opsdeck: -e: %s\n", err);
		return -1;
	}
	free(cli_env_path);
	cli_env_path = path;
	opts->config_path = path;
	opts->env_name = name;
	return 1;
}

int cli_common_option(struct cli_options *opts, int opt, const char *arg)
{
	switch (opt) {
	case 'c':
		if (opts->env_name) {
			fprintf(stderr,
			        "opsdeck: -c and -e cannot be used together (an environment "
			        "is a configuration file)\n");
			return -1;
		}
		opts->config_path = arg;
		return 1;
	case 'e':
		return cli_env_option(opts, arg);
	case CLI_OPT_READ_ONLY:
		opts->read_only = true;
		return 1;
	case CLI_OPT_THEME:
		opts->theme = arg;
		return 1;
	case CLI_OPT_NO_COLOR:
		opts->no_color = true;
		return 1;
	case CLI_OPT_INTERVAL:
		if (text_parse_duration_ms(arg, &opts->interval_ms) < 0 ||
		    opts->interval_ms < 250) {
			fprintf(stderr,
			        "opsdeck: --interval: '%s' is not a duration of at least 250ms "
			        "(use e.g. 2s, 500ms, 1m)\n",
			        arg);
			return -1;
		}
		return 1;
	}
	return 0;
}

int cli_load_backup_config(const struct cli_options *opts, const char *verb, const char *target,
                           struct config *cfg)
{
	char why[256];
	if (target && backup_target_check(target, why, sizeof(why)) < 0) {
		fprintf(stderr, "opsdeck: %s: --target '%s' %s\n", verb, target, why);
		return EXIT_USAGE;
	}
	if (cli_load_config(opts, cfg) < 0)
		return EXIT_USAGE;
	int rc = 0;
	const char *effective = target && *target ? target : cfg->backup.target;
	if (!effective || !*effective) {
		fprintf(stderr,
		        "opsdeck: %s: no target: set [backup] target or give --target URL\n", verb);
		rc = EXIT_USAGE;
	} else if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		rc = 1; /* a failure of the host, not of the command line */
	}
	if (rc != 0)
		config_free(cfg);
	return rc;
}

int cli_load_config(const struct cli_options *opts, struct config *cfg)
{
	char err[1024];
	if (config_load(cfg, opts->config_path, err, sizeof(err)) < 0) {
		fprintf(stderr, "opsdeck: %s\n", err);
		return -1;
	}
	if (opts->env_name)
		envs_own_history(cfg, opts->env_name);
	if (opts->read_only)
		cfg->recovery.read_only = true;
	if (opts->interval_ms > 0)
		cfg->ui.interval_ms = opts->interval_ms;
	if (opts->theme) {
		free(cfg->ui.theme);
		cfg->ui.theme = xstrdup(opts->theme);
	}
	return 0;
}

void cli_daemon_log(const char *fmt, ...)
{
	char when[32];
	clock_format_iso8601(when, sizeof(when), clock_wall_ms());
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s ", when);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

struct notifier *cli_notifier_start(const struct config *cfg, const struct cli_options *opts,
                                    enum notifier_role role)
{
	char why[1024];
	struct notifier *n =
	    notifier_start(cfg, opts->env_name ? opts->env_name : "", role, why, sizeof(why));
	if (n == NULL && why[0])
		cli_daemon_log("%s", why);
	return n;
}

void cli_notifier_drain(struct notifier *n)
{
	char line[1024];
	while (notifier_take_log(n, line, sizeof(line)))
		cli_daemon_log("%s", line);
}

void cli_notifier_stop(struct notifier *n)
{
	cli_notifier_drain(n);
	int left = notifier_stop(n);
	if (left > 0)
		cli_daemon_log("notify: %d message%s not delivered before the stop", left,
		               left == 1 ? "" : "s");
}

void cli_block_daemon_signals(sigset_t *signals)
{
	sigemptyset(signals);
	sigaddset(signals, SIGTERM);
	sigaddset(signals, SIGINT);
	sigaddset(signals, SIGHUP);
	pthread_sigmask(SIG_BLOCK, signals, NULL);
}

int cli_write_stdout(const char *text, size_t len)
{
	if (file_write_all(STDOUT_FILENO, text, len) < 0) {
		fprintf(stderr, "opsdeck: cannot write the output: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_options *opts, const struct option *longopts,
              const char *extra_short, int (*on_option)(int opt, const char *arg, void *ctx),
              void *ctx, void (*usage)(FILE *f), int max_arguments)
{
	char shortopts[32];
	snprintf(shortopts, sizeof(shortopts), "%s%s", CLI_COMMON_SHORT,
	         extra_short ? extra_short : "");
	int opt;
	/* 0, not 1: glibc then re-initialises fully (main() parsed with "+", which
	 * stops at the verb), so options may follow the operands. */
	optind = 0;
	while ((opt = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		int common = cli_common_option(opts, opt, optarg);
		if (common < 0)
			return -1;
		if (common > 0)
			continue;
		if (opt == 'h') {
			usage(stdout);
			return 1;
		}
		if (opt == '?' || !on_option || on_option(opt, optarg, ctx) < 0) {
			usage(stderr);
			return -1;
		}
	}
	if (argc - optind > max_arguments) {
		fprintf(stderr, "opsdeck: %s: unexpected argument '%s'\n", argv[0],
		        argv[optind + max_arguments]);
		usage(stderr);
		return -1;
	}
	return 0;
}

int cli_probe_once(const struct config *cfg, struct snapshot *snap, struct diagnosis *diagnosis)
{
	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		return -1;
	}
	/* every row, the backup listing included (the newest backup's age: "no
	 * backup in 24 h"), which is not counted in the poll's duration */
	check_probe_all(cfg, snap);
	history_inspect(cfg, &snap->history);
	if (cfg->history.enabled) /* a deploy the history saw, for after_deploy */
		history_last_deploy(cfg->history.dir, snap->taken_at_ms, &snap->deploy);
	diagnose(snap, NULL, cfg, diagnosis);
	probe_global_cleanup();
	return 0;
}

int cli_load_and_probe(const struct cli_options *opts, struct config *cfg, struct snapshot *snap,
                       struct diagnosis *diagnosis)
{
	if (cli_load_config(opts, cfg) < 0)
		return -1;
	if (cli_probe_once(cfg, snap, diagnosis) < 0) {
		config_free(cfg);
		return -2;
	}
	return 0;
}

atomic_int cli_interrupted;
atomic_int cli_abandoned;

static void cli_on_interrupt(int signo)
{
	int none = 0;
	if (!atomic_compare_exchange_strong(&cli_interrupted, &none, signo))
		atomic_store(&cli_abandoned, signo);
}

void cli_catch_interrupts(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = cli_on_interrupt;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}
