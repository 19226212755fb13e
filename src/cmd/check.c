/* check.c - `opsdeck check`: one monitoring-plugins line with perfdata.
 *
 * Exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, as Nagios, Icinga and
 * the monitoring-plugins expect. A configuration error is UNKNOWN (3), not
 * the usual 2: to a monitoring system 2 would mean the service is down.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "diag/diagnose.h"
#include "out/out.h"
#include "probe/probe.h"

static void check_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck check [-c FILE]\n"
	           "Prints one line: OPSDECK OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata\n"
	           "and exits 0, 1, 2 or 3 accordingly.\n");
}

int cmd_check(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {CLI_COMMON_LONG, {NULL, 0, NULL, 0}};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts, NULL)) != -1) {
		int common = cli_common_option(opts, opt, optarg);
		if (common < 0)
			return PLUGIN_UNKNOWN;
		if (common > 0)
			continue;
		if (opt == 'h') {
			check_usage(stdout);
			return 0;
		}
		check_usage(stderr);
		return PLUGIN_UNKNOWN;
	}
	if (optind < argc) {
		fprintf(stdout, "OPSDECK UNKNOWN - unexpected argument '%s'\n", argv[optind]);
		return PLUGIN_UNKNOWN;
	}

	struct config cfg;
	char err[1024];
	if (config_load(&cfg, opts->config_path, err, sizeof(err)) < 0) {
		printf("OPSDECK UNKNOWN - configuration: %s\n", err);
		return PLUGIN_UNKNOWN;
	}
	if (probe_global_init() < 0) {
		printf("OPSDECK UNKNOWN - cannot initialise libcurl\n");
		config_free(&cfg);
		return PLUGIN_UNKNOWN;
	}
	struct snapshot snap;
	struct diagnosis diagnosis;
	probe_all(&cfg, &snap);
	diagnose(&snap, NULL, &cfg, &diagnosis);
	struct strbuf out;
	strbuf_init(&out, 0);
	enum plugin_state state = out_nagios(&snap, &diagnosis, &out);
	if (cli_write_stdout(strbuf_str(&out), out.len) < 0)
		state = PLUGIN_UNKNOWN;
	strbuf_free(&out);
	probe_global_cleanup();
	config_free(&cfg);
	return (int)state;
}
