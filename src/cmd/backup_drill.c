/* backup_drill.c - `opsdeck backup drill [--target URL] [KEY]`: restore a
 * backup into a scratch database, check it, drop it (job/backup_drill.h).
 *
 * What was checked goes to stdout, one line each, then the result line
 * (stdout when it passed, stderr when not). SIGINT, SIGTERM and SIGHUP
 * stop the drill: the restore or the check in progress ends, the scratch
 * database is dropped, and the drill is recorded as failed (cancelled).
 *
 * Exit status: 0 when the backup restored and every check matched, 1 when
 * not, 2 for a usage or configuration error or a drill refused before it
 * began (no such backup, no manifest, the audit log).
 */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "cmd/cli_term.h"
#include "job/backup_drill.h"

enum { OPT_TARGET = 2000 };

static void drill_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck backup drill [--target URL] [KEY]\n"
	           "Restores KEY (default: the newest complete database backup) into a scratch\n"
	           "database, compares each table's rows with the manifest, reports the newest\n"
	           "migration, runs [backup] drill_sql, and drops the scratch database.\n"
	           "Exit 0 when everything matched, 1 when not, 2 usage or configuration.\n");
}

static int drill_option(int opt, const char *arg, void *ctx)
{
	if (opt != OPT_TARGET)
		return -1;
	*(const char **)ctx = arg;
	return 0;
}

static bool drill_cancelled(void *ctx)
{
	(void)ctx;
	return atomic_load(&cli_interrupted) != 0;
}

int cmd_backup_drill(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"target", required_argument, NULL, OPT_TARGET},
	    {NULL, 0, NULL, 0},
	};
	const char *target = NULL;
	int parsed =
	    cli_parse(argc, argv, opts, longopts, NULL, drill_option, &target, drill_usage, 1);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	const char *key = optind < argc ? argv[optind] : NULL;
	struct config cfg;
	int ready = cli_load_backup_config(opts, "backup drill", target, &cfg);
	if (ready != 0)
		return ready;
	cli_catch_interrupts();
	struct backup_hooks hooks = {
	    .cancelled = drill_cancelled, .cancel = &cli_interrupted, .abandon = &cli_abandoned};
	struct drill_report r;
	int ok = backup_drill(&cfg, target, key, &hooks, &r);
	int rc = ok == 0 ? 0 : (r.refused ? EXIT_USAGE : 1);
	if (r.details && *r.details)
		fputs(r.details, stdout);
	fflush(stdout);
	if (atomic_load(&cli_interrupted))
		fprintf(stderr, "opsdeck: interrupted by signal %d\n",
		        atomic_load(&cli_interrupted));
	cli_print_clean(ok == 0 ? stdout : stderr, ok == 0 ? "" : "opsdeck: ", r.message);
	drill_report_free(&r);
	config_free(&cfg);
	return rc;
}
