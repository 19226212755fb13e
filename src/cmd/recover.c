/* recover.c - `opsdeck recover ACTION [--dry-run] [--yes] [--pid N] [--force]` and
 * `opsdeck recover --list`: the recovery actions from the command line.
 *
 * Without --yes, on a terminal, it shows the dry run and asks as the
 * dashboard does (the action's name typed for a destructive one, y/N
 * otherwise); without --yes and without a terminal it refuses. After a run
 * it probes again and prints before → after for the issues the action
 * addresses ("done", or "ran, issue still present" when one is left).
 *
 * Exit status (opsdeck(1) EXIT STATUS): 0 done (or dry run shown, or ran
 * with the issue still present: the action itself worked), 1 the
 * action failed (or ran and its outcome could not be recorded), 2 usage or
 * configuration errors and refusals before it ran (read-only mode, not
 * configured, no audit log, a target it must never touch, not confirmed,
 * no terminal to confirm on); a target that changed between what was
 * shown and the run (terminate-blocker: gone, blocks no one, another
 * backend) is refused with 1.
 */
#include "cmd/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli_term.h"
#include "check/check.h"
#include "diag/diagnose.h"
#include "job/actions.h"
#include "probe/probe.h"
#include "util/text.h"
#include "util/xalloc.h"

/* The width of the usage column: the longest usage and a space, 16 at
 * least. */
static int recover_usage_width(void)
{
	size_t width = 16;
	for (size_t i = 0; i < ACTION_COUNT; i++)
		if (strlen(ACTIONS[i].usage) + 1 > width)
			width = strlen(ACTIONS[i].usage) + 1;
	return (int)width;
}

static void recover_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck recover ACTION [--dry-run] [--yes] [--pid N] [--force]\n"
	           "       opsdeck recover --list\n"
	           "Actions:\n");
	int width = recover_usage_width();
	for (size_t i = 0; i < ACTION_COUNT; i++)
		fprintf(f, "  %-*s %s%s\n", width, ACTIONS[i].usage, ACTIONS[i].summary,
		        ACTIONS[i].destructive ? " [destructive]" : "");
	char pid_actions[128];
	action_names_needing(ACTION_NEEDS_PID, " / ", pid_actions, sizeof(pid_actions));
	fprintf(f,
	        "  --dry-run   show exactly what it would touch, change nothing\n"
	        "  --yes       do not ask (needed without a terminal)\n"
	        "  --pid N     the backend for %s (%s: instead of the root with most "
	        "waiters)\n"
	        "  --force     %s: also a superuser's session (configured role a superuser)\n",
	        pid_actions, ACTION_NAME_TERMINATE_BLOCKER, ACTION_NAME_TERMINATE_BLOCKER);
}

static void print_line(const char *line, void *arg)
{
	(void)arg;
	printf("%s\n", line);
	fflush(stdout);
}

static int recover_list(const struct config *cfg)
{
	int width = recover_usage_width();
	printf("%-*s %-12s %-11s %s\n", width, "ACTION", "AVAILABLE", "CONFIRM", "WHY NOT / WHAT");
	for (size_t i = 0; i < ACTION_COUNT; i++) {
		const struct action *a = &ACTIONS[i];
		char why[512];
		bool ok = action_available(a, cfg, why, sizeof(why));
		const char *state = !ok ? "no" : cfg->recovery.read_only ? "read-only" : "yes";
		if (ok && cfg->recovery.read_only)
			snprintf(why, sizeof(why), "read-only mode: dry run only");
		else if (ok)
			snprintf(why, sizeof(why), "%s", a->summary);
		printf("%-*s %-12s %-11s %s\n", width, a->usage, state,
		       a->destructive ? "type name" : "y/N", why);
	}
	return 0;
}

/* Asks on the terminal; returns 1 when confirmed. */
static int recover_confirm(const struct action *a)
{
	char answer[128];
	if (a->destructive)
		printf("%s is destructive. Type its name (%s) to run it, anything else cancels: ",
		       a->name, a->name);
	else
		printf("Run %s? [y/N] ", a->name);
	if (!cli_read_answer(answer, sizeof(answer)))
		return 0;
	if (a->destructive)
		return strcmp(answer, a->name) == 0;
	return strcmp(answer, "y") == 0 || strcmp(answer, "Y") == 0 || strcmp(answer, "yes") == 0;
}

static int status_exit(enum action_status st)
{
	return st == ACTION_OK || st == ACTION_STILL_PRESENT ? 0
	       : st == ACTION_REFUSED                        ? EXIT_USAGE
	                                                     : 1;
}

enum { OPT_DRY_RUN = 2000, OPT_YES, OPT_PID, OPT_LIST, OPT_FORCE };

struct recover_options {
	bool dry_run, yes, list, force;
	int64_t pid;
};

static int recover_option(int opt, const char *arg, void *ctx)
{
	struct recover_options *ro = ctx;
	switch (opt) {
	case OPT_DRY_RUN:
		ro->dry_run = true;
		return 0;
	case 'y':
	case OPT_YES:
		ro->yes = true;
		return 0;
	case OPT_LIST:
		ro->list = true;
		return 0;
	case OPT_FORCE:
		ro->force = true;
		return 0;
	case OPT_PID:
		if (text_parse_int64(arg, &ro->pid) < 0 || ro->pid <= 0 || ro->pid > 2147483647) {
			fprintf(stderr, "opsdeck: --pid: '%s' is not a process id\n", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

int cmd_recover(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    {"yes", no_argument, NULL, OPT_YES},
	    {"pid", required_argument, NULL, OPT_PID},
	    {"list", no_argument, NULL, OPT_LIST},
	    {"force", no_argument, NULL, OPT_FORCE},
	    {NULL, 0, NULL, 0},
	};
	struct recover_options ro = {false, false, false, false, 0};
	int rc = EXIT_USAGE;
	int parsed =
	    cli_parse(argc, argv, opts, longopts, "y", recover_option, &ro, recover_usage, 1);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	bool dry_run = ro.dry_run, yes = ro.yes, list = ro.list;
	int64_t pid = ro.pid;
	if ((list && optind != argc) || (!list && optind + 1 != argc)) {
		recover_usage(stderr);
		return EXIT_USAGE;
	}

	struct config cfg;
	if (cli_load_config(opts, &cfg) < 0)
		return EXIT_USAGE;
	struct snapshot *before = NULL;
	struct diagnosis *before_issues = NULL;
	bool probes = false;
	if (list) {
		rc = recover_list(&cfg);
		goto done;
	}
	const struct action *a = action_find(argv[optind]);
	if (!a) {
		char known[256];
		action_names(known, sizeof(known));
		fprintf(stderr, "opsdeck: unknown action '%s' (one of: %s)\n", argv[optind], known);
		goto done;
	}
	if ((a->needs & ACTION_NEEDS_PID) && pid <= 0) {
		fprintf(stderr,
		        "opsdeck: %s needs --pid N (the backend's process id, see "
		        "pg_stat_activity)\n",
		        a->name);
		goto done;
	}
	if (!(a->needs & (ACTION_NEEDS_PID | ACTION_TAKES_PID)) && pid > 0) {
		char pid_actions[128];
		action_names_needing(ACTION_NEEDS_PID, " and ", pid_actions, sizeof(pid_actions));
		fprintf(stderr, "opsdeck: --pid is only for %s and %s\n", pid_actions,
		        ACTION_NAME_TERMINATE_BLOCKER);
		goto done;
	}
	if (ro.force && a->id != ACTION_TERMINATE_BLOCKER) {
		fprintf(stderr, "opsdeck: --force is only for %s\n", ACTION_NAME_TERMINATE_BLOCKER);
		goto done;
	}
	if (!dry_run && cfg.recovery.read_only) {
		/* Refused before anything else (action_execute records it). */
		char err[1024];
		struct action_run run = {.cfg = &cfg, .pid = (int)pid};
		action_execute(a, &run, false, err, sizeof(err));
		fprintf(stderr, "opsdeck: %s\n", err);
		goto done;
	}
	if (!dry_run && !yes && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr,
		        "opsdeck: %s changes things and there is no terminal to confirm "
		        "on; run it with --yes (or --dry-run to see what it would do)\n",
		        a->name);
		goto done;
	}

	char err[1024];
	struct action_run run = {.cfg = &cfg,
	                         .pid = (int)pid,
	                         .force = ro.force,
	                         .on_line = print_line,
	                         .cancel = &cli_interrupted};
	enum action_status st;
	if (dry_run || !yes) {
		printf("%s (dry run):\n", a->name);
		st = action_execute(a, &run, true, err, sizeof(err));
		if (st != ACTION_OK) {
			fprintf(stderr, "opsdeck: %s\n", err);
			rc = run.target_changed ? 1 : status_exit(st);
			goto done;
		}
		if (dry_run) {
			rc = 0;
			goto done;
		}
		if (!recover_confirm(a)) {
			printf("not confirmed: %s not run\n", a->name);
			if (action_record_declined(a, &run, err, sizeof(err)) != 0)
				fprintf(stderr, "opsdeck: warning: not recorded: %s\n", err);
			rc = EXIT_USAGE; /* declined: nothing ran */
			goto done;
		}
	}

	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		rc = 1; /* a failure of the host, not of the command line */
		goto done;
	}
	probes = true;
	before = xmalloc(sizeof(*before));
	before_issues = xmalloc(sizeof(*before_issues));
	check_probe_every_poll(&cfg, before);
	diagnose(before, NULL, &cfg, before_issues);

	printf("%s:\n", a->name);
	fflush(stdout);
	cli_catch_interrupts();
	struct strbuf out;
	strbuf_init(&out, 0);
	struct action_recheck recheck = {
	    .probe = check_probe_every_poll,
	    .before = before,
	    .before_issues = before_issues,
	    .attempts = 3,
	    .out = &out,
	};
	run.recheck = &recheck;
	st = action_execute(a, &run, false, err, sizeof(err));
	if (st == ACTION_OK || st == ACTION_STILL_PRESENT)
		printf("%s: %s\nre-check:\n%s", action_status_outcome(st), run.summary,
		       strbuf_str(&out));
	else
		fprintf(stderr, "opsdeck: %s: %s\n", a->name, err);
	strbuf_free(&out);
	rc = run.target_changed ? 1 : status_exit(st);
done:
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	free(before);
	free(before_issues);
	if (probes)
		probe_global_cleanup();
	config_free(&cfg);
	return rc;
}
