/* restore_db.c - `opsdeck restore KEY --into DB [--target URL]
 * [--any-database] [--dry-run] [--yes]`: a database dump restored into a
 * new database (the work is job/restore_db.c).
 *
 * Without --yes, on a terminal, it shows the dry run and asks for the new
 * database's name to be typed; without --yes and without a terminal it
 * refuses. Progress (bytes, rate, ETA) goes to stderr; the result is one
 * line on stdout (success) or stderr (failure). SIGINT, SIGTERM and SIGHUP
 * stop it: the loader is killed and the new database dropped.
 *
 * Exit status: 0 restored (or the dry run found nothing in the way), 1 the
 * restore failed or was refused (no manifest, the database exists,
 * read-only mode, not confirmed), 2 a usage or configuration error.
 */
#include "cmd/cmd.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli_term.h"
#include "config/pgurl.h"
#include "job/restore_db.h"
#include "util/clock.h"
#include "util/text.h"

struct restore_db_cli {
	const char *target;
	const char *into;
	bool any_database, replace, dry_run, yes;
	struct cli_progress progress;
};

enum { OPT_TARGET = 1100, OPT_INTO, OPT_ANY, OPT_REPLACE, OPT_DRY_RUN, OPT_YES };

static void usage(FILE *f)
{
	fprintf(f, "usage: opsdeck restore KEY --into DB [--target URL] [--any-database]\n"
	           "                       [--dry-run] [--yes]\n"
	           "       opsdeck restore KEY --replace [--target URL] [--dry-run] [--yes]\n"
	           "       opsdeck restore files KEY --into DIR [--target URL] [--overwrite]\n"
	           "                       [--dry-run] [--yes]\n"
	           "KEY is a database backup as `opsdeck backup list` shows it. DB is created\n"
	           "(it must not exist) and dropped again if anything fails.\n"
	           "  --replace       restore into a new database, then swap it with [database]\n"
	           "                  url's; the live one is kept as DB_before_TIMESTAMP\n"
	           "  --any-database  restore a backup of another database than [database] url's\n"
	           "  --dry-run       say what would be created, create nothing\n"
	           "  --yes           do not ask (needed without a terminal)\n"
	           "Exit 0 restored, 1 failed or refused, 2 usage or configuration.\n");
}

static int on_option(int opt, const char *arg, void *ctx)
{
	struct restore_db_cli *c = ctx;
	switch (opt) {
	case OPT_TARGET:
		c->target = arg;
		return 0;
	case OPT_INTO:
		c->into = arg;
		return 0;
	case OPT_ANY:
		c->any_database = true;
		return 0;
	case OPT_REPLACE:
		c->replace = true;
		return 0;
	case OPT_DRY_RUN:
		c->dry_run = true;
		return 0;
	case OPT_YES:
		c->yes = true;
		return 0;
	}
	return -1;
}

/* Bytes, rate and ETA (cmd/cli_term.h). */
static void progress(void *ctx, const struct backup_progress *p)
{
	struct restore_db_cli *c = ctx;
	if (!cli_progress_due(&c->progress))
		return;
	char in[32], total[32], rate[32], eta[32] = "?";
	double seconds = (double)(c->progress.last_ms - c->progress.t0_ms) / 1000.0;
	double per_s = seconds > 0 ? (double)p->bytes_in / seconds : 0;
	text_format_bytes(in, sizeof(in), p->bytes_in);
	text_format_bytes(total, sizeof(total), p->total);
	text_format_bytes(rate, sizeof(rate), (uint64_t)per_s);
	if (per_s > 0 && p->total > p->bytes_in)
		text_format_duration(eta, sizeof(eta),
		                     (int64_t)((double)(p->total - p->bytes_in) / per_s * 1000));
	cli_progress_show(&c->progress, "%s of %s at %s/s, %s left", in, total, rate, eta);
}

static void log_line(void *ctx, const char *line)
{
	struct restore_db_cli *c = ctx;
	cli_progress_log(&c->progress, line);
}

/* Shows the dry run and asks for the database's name (the new one, or
 * with --replace the live one: name): 1 confirmed, 0 declined, -1 the
 * dry run refused it (said). */
static int confirm(const struct config *cfg, struct restore_db_options *o, const char *name,
                   const struct backup_hooks *hooks)
{
	struct restore_db_result r;
	o->dry_run = true;
	int ok = restore_db(cfg, o, hooks, &r);
	o->dry_run = false;
	cli_print_clean(ok == 0 ? stdout : stderr, ok == 0 ? "" : "opsdeck: ", r.message);
	if (ok != 0)
		return -1;
	char answer[256];
	cli_print_clean(stdout,
	                o->replace ? "Type the name of the database to replace to go on, "
	                             "anything else cancels: "
	                           : "Type the new database's name to go on, anything else "
	                             "cancels: ",
	                name);
	return cli_read_answer(answer, sizeof(answer)) && strcmp(answer, name) == 0;
}

int cmd_restore_db(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"target", required_argument, NULL, OPT_TARGET},
	    {"into", required_argument, NULL, OPT_INTO},
	    {"any-database", no_argument, NULL, OPT_ANY},
	    {"replace", no_argument, NULL, OPT_REPLACE},
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    {"yes", no_argument, NULL, OPT_YES},
	    {NULL, 0, NULL, 0},
	};
	struct restore_db_cli c = {0};
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, on_option, &c, usage, 1);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	if (optind + 1 != argc || c.replace == (c.into && *c.into)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	struct config cfg;
	int rc = cli_load_backup_config(opts, "restore", c.target, &cfg);
	if (rc != 0)
		return rc;
	rc = 1;
	char why[256];
	cli_catch_interrupts();
	cli_progress_init(&c.progress, "restore");
	struct backup_hooks hooks = {.progress = progress,
	                             .ctx = &c,
	                             .cancel = &cli_interrupted,
	                             .abandon = &cli_abandoned,
	                             .log = log_line};
	struct restore_db_options o = {.target = c.target,
	                               .key = argv[optind],
	                               .into = c.into,
	                               .any_database = c.any_database,
	                               .replace = c.replace,
	                               .dry_run = c.dry_run};
	/* what the operator types: the new database, or the one replaced */
	char name[128], url_err[256];
	struct pgurl app;
	text_printf(name, sizeof(name), "%s", c.into ? c.into : "");
	if (c.replace && cfg.database.url &&
	    pgurl_parse(cfg.database.url, cfg.app.timeout_ms, &app, url_err, sizeof(url_err)) ==
	        0) {
		text_printf(name, sizeof(name), "%s", app.dbname ? app.dbname : "");
		pgurl_free(&app);
	}
	if (!c.dry_run && !c.yes && !cfg.recovery.read_only) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr,
			        "opsdeck: restore %s database %s and there is no terminal to "
			        "confirm on; run it with --yes (or --dry-run to see what it would "
			        "do)\n",
			        c.replace ? "replaces" : "creates", name);
			goto done;
		}
		int confirmed = confirm(&cfg, &o, name, &hooks);
		if (confirmed == 0) {
			printf("not confirmed: nothing restored\n");
			if (restore_db_declined(&cfg, &o, why, sizeof(why)) != 0)
				cli_print_clean(stderr,
				                "opsdeck: the audit log was not written: ", why);
		}
		if (confirmed != 1)
			goto done;
	}
	struct restore_db_result r;
	int ok = restore_db(&cfg, &o, &hooks, &r);
	cli_progress_end(&c.progress);
	if (atomic_load(&cli_interrupted))
		fprintf(stderr, "opsdeck: interrupted by signal %d\n",
		        atomic_load(&cli_interrupted));
	cli_print_clean(ok == 0 ? stdout : stderr, ok == 0 ? "" : "opsdeck: ", r.message);
	rc = ok == 0 ? 0 : 1;
done:
	fflush(stdout);
	config_free(&cfg);
	return rc;
}
