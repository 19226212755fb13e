/* restore_files.c - `opsdeck restore files KEY --into DIR [--target URL]
 * [--overwrite] [--dry-run] [--yes]`: a files backup written back into a
 * directory (the work is job/restore_files.c).
 *
 * Without --yes, on a terminal, it shows the dry run and asks for the
 * directory's name to be typed; without --yes and without a terminal it
 * refuses. Progress (files, bytes) goes to stderr; the result is one line
 * on stdout (success) or stderr (failure, with the files that failed).
 * SIGINT, SIGTERM and SIGHUP stop it between and within files: the file
 * being written is thrown away, those written stay.
 *
 * Exit status (opsdeck(1) EXIT STATUS): 0 restored (or the dry run found
 * nothing in the way), 1 the restore failed or was refused once it began
 * (no manifest, a hostile path, existing files, a tampered object), 2 a
 * usage or configuration error or a refusal before it began (read-only
 * mode, no audit record, not confirmed, no terminal to confirm on).
 */
#include "cmd/cmd.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cli_term.h"
#include "job/restore_files.h"
#include "util/text.h"

#define RESTORE_FAILED_SHOWN 20

struct restore_cli {
	const char *target;
	const char *into;
	bool overwrite, dry_run, yes;
	struct cli_progress progress;
};

enum { OPT_TARGET = 1100, OPT_INTO, OPT_OVERWRITE, OPT_DRY_RUN, OPT_YES };

static void restore_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck restore files KEY --into DIR [--target URL] [--overwrite]\n"
	           "                             [--dry-run] [--yes]\n"
	           "KEY is a files backup as `opsdeck backup list` shows it. Existing files are\n"
	           "refused unless --overwrite; nothing is ever written outside DIR.\n"
	           "  --dry-run   list what would be written, write nothing\n"
	           "  --yes       do not ask (needed without a terminal)\n"
	           "Exit 0 restored, 1 failed or refused, 2 usage, configuration or not run.\n");
}

static int restore_option(int opt, const char *arg, void *ctx)
{
	struct restore_cli *c = ctx;
	switch (opt) {
	case OPT_TARGET:
		c->target = arg;
		return 0;
	case OPT_INTO:
		c->into = arg;
		return 0;
	case OPT_OVERWRITE:
		c->overwrite = true;
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

static void plan_line(void *ctx, const char *line)
{
	(void)ctx;
	cli_print_clean(stdout, "", line);
}

/* Files and bytes (cmd/cli_term.h). */
static void restore_progress(void *ctx, const struct backup_progress *p)
{
	struct restore_cli *c = ctx;
	if (!cli_progress_due(&c->progress))
		return;
	char in[32], total[32];
	text_format_bytes(in, sizeof(in), p->bytes_in);
	text_format_bytes(total, sizeof(total), p->total);
	cli_progress_show(&c->progress, "%llu of %llu files, %s of %s downloaded",
	                  (unsigned long long)p->files_done, (unsigned long long)p->files_total, in,
	                  total);
}

static void restore_log(void *ctx, const char *line)
{
	struct restore_cli *c = ctx;
	cli_progress_log(&c->progress, line);
}

/* Each failed file, RESTORE_FAILED_SHOWN of them at most. */
static void print_failed(const struct restore_files_result *r, const char *prefix)
{
	for (size_t i = 0; i < r->failures && i < RESTORE_FAILED_SHOWN; i++)
		cli_print_clean(stderr, prefix, r->failed[i]);
	if (r->failures > RESTORE_FAILED_SHOWN)
		fprintf(stderr, "  ... and %zu more\n", r->failures - RESTORE_FAILED_SHOWN);
}

/* Shows the dry run and asks for the directory: 1 confirmed, 0 declined,
 * -1 the dry run refused it (said). */
static int confirm(const struct config *cfg, struct restore_files_options *o,
                   const struct backup_hooks *hooks)
{
	struct restore_files_result r;
	o->dry_run = true;
	int ok = restore_files(cfg, o, hooks, &r);
	o->dry_run = false;
	cli_print_clean(ok == 0 ? stdout : stderr, ok == 0 ? "" : "opsdeck: ", r.message);
	print_failed(&r, "  refused: ");
	restore_files_result_free(&r);
	if (ok != 0)
		return -1;
	char answer[4096];
	cli_print_clean(
	    stdout,
	    "Type the directory to restore into to go on, anything else cancels: ", o->into);
	return cli_read_answer(answer, sizeof(answer)) && strcmp(answer, o->into) == 0;
}

/* argv[0] is "files". */
int cmd_restore_files(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"target", required_argument, NULL, OPT_TARGET},
	    {"into", required_argument, NULL, OPT_INTO},
	    {"overwrite", no_argument, NULL, OPT_OVERWRITE},
	    {"dry-run", no_argument, NULL, OPT_DRY_RUN},
	    {"yes", no_argument, NULL, OPT_YES},
	    {NULL, 0, NULL, 0},
	};
	struct restore_cli c = {0};
	int parsed =
	    cli_parse(argc, argv, opts, longopts, NULL, restore_option, &c, restore_usage, 1);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	if (optind + 1 != argc || !c.into || !*c.into) {
		restore_usage(stderr);
		return EXIT_USAGE;
	}
	struct config cfg;
	int rc = cli_load_backup_config(opts, "restore files", c.target, &cfg);
	if (rc != 0)
		return rc;
	rc = 1;
	char why[256];
	cli_catch_interrupts();
	cli_progress_init(&c.progress, "restore files");
	struct backup_hooks hooks = {.progress = restore_progress,
	                             .ctx = &c,
	                             .cancel = &cli_interrupted,
	                             .abandon = &cli_abandoned,
	                             .log = restore_log};
	struct restore_files_options o = {.target = c.target,
	                                  .key = argv[optind],
	                                  .into = c.into,
	                                  .overwrite = c.overwrite,
	                                  .dry_run = c.dry_run,
	                                  .on_line = plan_line};
	if (!c.dry_run && !c.yes && !cfg.recovery.read_only) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr,
			        "opsdeck: restore files writes into %s and there is no "
			        "terminal to confirm on; run it with --yes (or --dry-run to "
			        "see what it would write)\n",
			        c.into);
			rc = EXIT_USAGE;
			goto done;
		}
		int confirmed = confirm(&cfg, &o, &hooks);
		if (confirmed == 0) {
			printf("not confirmed: nothing restored\n");
			if (restore_files_declined(&cfg, &o, why, sizeof(why)) != 0)
				cli_print_clean(stderr,
				                "opsdeck: the audit log was not written: ", why);
		}
		if (confirmed != 1) {
			rc = EXIT_USAGE;
			goto done;
		}
		o.on_line = NULL;
	}
	struct restore_files_result r;
	int ok = restore_files(&cfg, &o, &hooks, &r);
	cli_progress_end(&c.progress);
	if (atomic_load(&cli_interrupted))
		fprintf(stderr, "opsdeck: interrupted by signal %d\n",
		        atomic_load(&cli_interrupted));
	cli_print_clean(ok == 0 ? stdout : stderr, ok == 0 ? "" : "opsdeck: ", r.message);
	print_failed(&r, r.refused ? "  refused: " : "  failed: ");
	restore_files_result_free(&r);
	rc = ok == 0 ? 0 : r.not_begun ? EXIT_USAGE : 1;
done:
	fflush(stdout);
	config_free(&cfg);
	return rc;
}
