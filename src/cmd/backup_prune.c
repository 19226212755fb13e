/* backup_prune.c - `opsdeck backup prune [--dry-run | --yes] [--target
 * URL]`: the retention policy ([backup] keep_*) applied to the target, and
 * the writes left unfinished for more than 24 h removed (the work is in
 * job/backup_prune.c).
 *
 * It always shows the plan first: every backup with keep or delete and
 * why, every unfinished write with what happens to it. --dry-run stops
 * there. Without --yes, on a terminal, the operator types "prune" to go on;
 * without --yes and without a terminal it refuses. Read-only mode shows the
 * plan and refuses.
 *
 * Exit status (opsdeck(1) EXIT STATUS): 0 done, or the dry run shown, or
 * nothing to do; 1 a deletion failed (or the target could not be read, or
 * the outcome could not be recorded); 2 usage or configuration errors and
 * refusals (no retention policy, read-only mode, not confirmed, no
 * terminal to confirm on, an audit log that cannot take the attempt).
 */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli_term.h"
#include "job/backup_prune.h"
#include "probe/probe.h"
#include "util/clock.h"
#include "util/text.h"

#define CONFIRM_WORD "prune"

static void prune_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck backup prune [--dry-run | --yes] [--target URL]\n"
	           "Deletes the backups [backup] keep_last, keep_daily, keep_weekly and "
	           "keep_monthly do not keep,\n"
	           "and writes left unfinished for more than 24 h.\n"
	           "  --dry-run   show what would go and why each backup stays; change nothing\n"
	           "  --yes       do not ask (needed without a terminal)\n");
}

enum { OPT_DRY_RUN = 2000, OPT_YES, OPT_TARGET };

struct prune_options {
	bool dry_run, yes;
	const char *target;
};

static int prune_option(int opt, const char *arg, void *ctx)
{
	struct prune_options *po = ctx;
	switch (opt) {
	case OPT_DRY_RUN:
		po->dry_run = true;
		return 0;
	case 'y':
	case OPT_YES:
		po->yes = true;
		return 0;
	case OPT_TARGET:
		po->target = arg;
		return 0;
	}
	return -1;
}

static void prune_log(void *ctx, const char *line)
{
	(void)ctx;
	cli_print_clean(stdout, "", line);
	fflush(stdout);
}

static void plan_print(const struct prune_plan *p, int64_t now_ms)
{
	char line[2048];
	text_printf(line, sizeof(line),
	            "prune %s (keep_last %d, keep_daily %d, keep_weekly %d, keep_monthly %d):",
	            p->target, p->policy.keep_last, p->policy.keep_daily, p->policy.keep_weekly,
	            p->policy.keep_monthly);
	cli_print_clean(stdout, "", line);
	if (p->count == 0)
		printf("no backups found\n");
	for (size_t i = 0; i < p->count; i++) {
		const struct prune_backup *b = &p->backups[i];
		text_printf(line, sizeof(line), "%-6s %-5s %s (%s)", b->keep ? "keep" : "delete",
		            b->kind, b->key, b->reason);
		cli_print_clean(stdout, "", line);
	}
	for (size_t i = 0; i < p->unfinished_count; i++) {
		const struct sink_entry *u = &p->unfinished[i];
		bool stale = i < p->stale_count;
		long long hours = (long long)((now_ms - u->modified_ms) / 3600000);
		if (u->upload_id)
			text_printf(line, sizeof(line),
			            "%-6s upload %s (upload id %s), begun %lld h ago%s",
			            stale ? "abort" : "keep", u->key, u->upload_id, hours,
			            stale ? "" : ": younger than 24 h, may still be running");
		else
			text_printf(line, sizeof(line),
			            "%-6s file  %s.partial, last written %lld h ago%s",
			            stale ? "remove" : "keep", u->key, hours,
			            stale ? "" : ": younger than 24 h, may still be written");
		cli_print_clean(stdout, "", line);
	}
	printf("%zu of %zu %s to delete (%.1f MB), %zu unfinished %s to remove\n", p->delete_count,
	       p->count, text_plural((int64_t)p->count, "backup", "backups"),
	       (double)p->delete_bytes / 1e6, p->stale_count,
	       text_plural((int64_t)p->stale_count, "write", "writes"));
}

static bool prune_confirm(const struct prune_plan *p)
{
	char answer[128];
	printf("Type %s to delete %zu %s and remove %zu unfinished %s, anything else cancels: ",
	       CONFIRM_WORD, p->delete_count,
	       text_plural((int64_t)p->delete_count, "backup", "backups"), p->stale_count,
	       text_plural((int64_t)p->stale_count, "write", "writes"));
	return cli_read_answer(answer, sizeof(answer)) && strcmp(answer, CONFIRM_WORD) == 0;
}

/* After the configuration: the plan, shown, then the run. */
static int prune_with(const struct config *cfg, const struct prune_options *po)
{
	char err[1024];
	struct retention_policy policy;
	if (backup_prune_policy(cfg, &policy, err, sizeof(err)) != 0) {
		cli_print_clean(stderr, "", err);
		return EXIT_USAGE;
	}
	int rc = 1;
	struct prune_plan plan;
	int64_t now = clock_wall_ms();
	if (backup_prune_plan(cfg, po->target, now, &plan, err, sizeof(err)) != 0) {
		fprintf(stderr, "opsdeck: backup prune: ");
		cli_print_clean(stderr, "", err);
		fprintf(stderr, "opsdeck: backup prune: nothing was deleted\n");
		goto done;
	}
	plan_print(&plan, now);
	if (po->dry_run) {
		printf("dry run: nothing was deleted\n");
		rc = 0;
		goto done;
	}
	if (plan.delete_count == 0 && plan.stale_count == 0 && !cfg->recovery.read_only) {
		printf("nothing to prune\n");
		rc = 0;
		goto done;
	}
	if (!po->yes && !cfg->recovery.read_only &&
	    (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		fprintf(stderr, "opsdeck: backup prune deletes backups and there is no terminal to "
		                "confirm on; run it with --yes (or --dry-run to see what it would "
		                "do)\n");
		rc = EXIT_USAGE;
		goto done;
	}
	if (!po->yes && !cfg->recovery.read_only && !prune_confirm(&plan)) {
		printf("not confirmed: nothing was deleted\n");
		if (backup_prune_declined(cfg, po->target, &plan, err, sizeof(err)) != 0) {
			fprintf(stderr, "opsdeck: warning: not recorded: ");
			cli_print_clean(stderr, "", err);
		}
		rc = EXIT_USAGE;
		goto done;
	}
	cli_catch_interrupts();
	struct backup_hooks hooks = {
	    .cancel = &cli_interrupted, .abandon = &cli_abandoned, .log = prune_log};
	struct prune_result r;
	if (backup_prune_run(cfg, po->target, &plan, &hooks, &r) == 0) {
		cli_print_clean(stdout, "", r.message);
		rc = 0;
	} else {
		fprintf(stderr, "opsdeck: ");
		cli_print_clean(stderr, "", r.message);
		rc = r.refused ? EXIT_USAGE : 1;
	}
done:
	backup_prune_plan_free(&plan);
	probe_global_cleanup();
	return rc;
}

int cmd_backup_prune(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    {"yes", no_argument, NULL, OPT_YES},
	    {"target", required_argument, NULL, OPT_TARGET},
	    {NULL, 0, NULL, 0},
	};
	struct prune_options po = {false, false, NULL};
	int parsed = cli_parse(argc, argv, opts, longopts, "y", prune_option, &po, prune_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	if (po.dry_run && po.yes) {
		fprintf(stderr, "opsdeck: backup prune: --dry-run and --yes exclude each other\n");
		return EXIT_USAGE;
	}
	struct config cfg;
	int rc = cli_load_backup_config(opts, "backup prune", po.target, &cfg);
	if (rc != 0)
		return rc;
	rc = prune_with(&cfg, &po);
	if (fflush(stdout) != 0 && rc == 0)
		rc = 1;
	config_free(&cfg);
	return rc;
}
