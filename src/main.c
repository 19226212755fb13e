/* main.c - option parsing and verb dispatch. */
#include <getopt.h>
#include <locale.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

struct verb {
	const char *name;
	int (*run)(int argc, char **argv, struct cli_options *opts);
};

static const struct verb VERBS[] = {
    {"status", cmd_status},     {"check", cmd_check},
    {"diagnose", cmd_diagnose}, {"version-file", cmd_version_file},
    {"recover", cmd_recover},   {"audit", cmd_audit},
    {"backup", cmd_backup},     {"restore", cmd_restore},
    {"record", cmd_record},     {"exporter", cmd_exporter},
    {"envs", cmd_envs},         {"report", cmd_report},
};

/* Where the usage's second column starts, and how wide its lines may be. */
#define USAGE_INDENT 50
#define USAGE_WRAP   90

/* The names of the recovery actions, comma-separated, wrapped in the
 * usage's second column. */
static void usage_action_names(FILE *f)
{
	int col = 0;
	for (size_t i = 0; i < ACTION_COUNT; i++) {
		bool last = i + 1 == ACTION_COUNT;
		int len = (int)strlen(ACTIONS[i].name) + (last ? 0 : 1);
		if (col && col + 1 + len > USAGE_WRAP) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0)
			col = fprintf(f, "%*s", USAGE_INDENT, "");
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%s%s", ACTIONS[i].name, last ? "" : ",");
	}
	fputc('\n', f);
}

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: opsdeck [-c FILE | -e ENV] [--read-only] [--theme NAME] [--interval DUR] "
	    "[--no-color]\n"
	    "       opsdeck status   [--json | --prometheus]   one snapshot of every check\n"
	    "       opsdeck check                              monitoring-plugins line; exit "
	    "0/1/2/3\n"
	    "       opsdeck diagnose [--json]                  issues with recommendations; exit "
	    "0/1/2\n"
	    "       opsdeck version-file [--package FILE] [--out FILE]\n"
	    "       opsdeck recover ACTION [--dry-run] [--yes] [--pid N]\n");
	usage_action_names(f);
	fprintf(
	    f,
	    "       opsdeck recover --list                     actions and whether each can "
	    "run\n"
	    "       opsdeck audit [--since DUR] [--json] [--path]   the audit log of actions\n"
	    "       opsdeck backup db    [--target URL]      pg_dump -> gzip -> S3 or file://\n"
	    "       opsdeck backup files [--target URL] [--source DIR] [--pattern GLOB]...\n"
	    "       opsdeck backup list  [--json] | backup verify KEY\n"
	    "       opsdeck restore KEY --into DB [--any-database] [--dry-run] [--yes]\n"
	    "       opsdeck restore files KEY --into DIR [--overwrite] [--dry-run] [--yes]\n"
	    "       opsdeck backup prune [--dry-run | --yes]  delete what [backup] keep_* does "
	    "not keep\n"
	    "       opsdeck record [--interval DUR]            poll and write the history "
	    "(a daemon)\n"
	    "       opsdeck exporter [--listen ADDR:PORT]      Prometheus /metrics from the "
	    "latest poll\n"
	    "       opsdeck envs [--json]                      every environment's state, at "
	    "once\n"
	    "       opsdeck report [--since DUR|TIME] [--until TIME] [--json|--markdown|--html]\n"
	    "                                                  the incident timeline from the "
	    "history\n"
	    "       opsdeck --help | --version\n"
	    "\n"
	    "  -c, --config FILE   configuration file (default: $XDG_CONFIG_HOME/opsdeck/"
	    "opsdeck.conf,\n"
	    "                      then /etc/opsdeck/opsdeck.conf, then built-in defaults)\n"
	    "  -e, --env ENV       the environment ENV: ENV.conf in $XDG_CONFIG_HOME/opsdeck/"
	    "envs/\n"
	    "                      or /etc/opsdeck/envs/, used as -c would use it\n"
	    "      --read-only     refuse to run recovery actions; their dry runs are\n"
	    "                      still shown, and backups still run (they only add\n"
	    "                      objects at the target)\n"
	    "      --no-color      no colour in the dashboard, as NO_COLOR=1: the mono\n"
	    "                      theme, which t keeps\n"
	    "      --interval DUR  refresh interval of the dashboard (e.g. 2s)\n"
	    "\n"
	    "Without a verb, opsdeck opens the live dashboard (it needs a terminal).\n"
	    "See opsdeck(1) and opsdeck.conf(5).\n");
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	/* A closed pipe (opsdeck status | head) must give EPIPE, not kill us. */
	signal(SIGPIPE, SIG_IGN);

	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_options opts = {0};
	int opt;
	/* '+': stop at the verb; its own options are parsed by the verb. */
	while ((opt = getopt_long(argc, argv, "+" CLI_COMMON_SHORT "V", longopts, NULL)) != -1) {
		int common = cli_common_option(&opts, opt, optarg);
		if (common < 0)
			return EXIT_USAGE;
		if (common > 0)
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("opsdeck %s\n", PACKAGE_VERSION);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}

	if (optind >= argc) {
		/* No verb: the dashboard, which needs a terminal. */
		return cmd_dashboard(&opts);
	}
	const char *name = argv[optind];
	for (size_t i = 0; i < sizeof(VERBS) / sizeof(VERBS[0]); i++)
		if (strcmp(name, VERBS[i].name) == 0)
			return VERBS[i].run(argc - optind, argv + optind, &opts);
	fprintf(stderr, "opsdeck: unknown command '%s' (try opsdeck --help)\n", name);
	return EXIT_USAGE;
}
