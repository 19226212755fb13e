/* status.c - `opsdeck status [--json | --prometheus]`: one snapshot of every
 * check, then exit.
 *
 * Exit status: 0 when the snapshot was printed, whatever it shows (`check`
 * is the verb whose exit status follows the state), 2 for usage and
 * configuration errors, 1 if the output could not be written.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <stdio.h>

#include "diag/diagnose.h"
#include "out/out.h"
#include "probe/probe.h"

enum status_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };

static void status_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck status [-c FILE] [--json | --prometheus]\n"
	           "Probes every configured backend once and prints the snapshot:\n"
	           "  (default)     for people\n"
	           "  --json        as JSON (schema: doc/status-json.md)\n"
	           "  --prometheus  in Prometheus text format, for node_exporter's textfile "
	           "collector\n");
}

int cmd_status(int argc, char **argv, struct cli_options *opts)
{
	enum { OPT_JSON = 2000, OPT_PROMETHEUS };
	static const struct option longopts[] = {
		CLI_COMMON_LONG,
		{"json", no_argument, NULL, OPT_JSON},
		{"prometheus", no_argument, NULL, OPT_PROMETHEUS},
		{NULL, 0, NULL, 0},
	};
	enum status_format format = FORMAT_TEXT;
	int opt, formats = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, CLI_COMMON_SHORT, longopts, NULL)) != -1) {
		int common = cli_common_option(opts, opt, optarg);
		if (common < 0)
			return EXIT_USAGE;
		if (common > 0)
			continue;
		switch (opt) {
		case OPT_JSON:
			format = FORMAT_JSON;
			formats++;
			break;
		case OPT_PROMETHEUS:
			format = FORMAT_PROMETHEUS;
			formats++;
			break;
		case 'h':
			status_usage(stdout);
			return 0;
		default:
			status_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc || formats > 1) {
		fprintf(stderr, "opsdeck: status: %s\n",
		        formats > 1 ? "--json and --prometheus exclude each other"
		                    : "unexpected argument");
		status_usage(stderr);
		return EXIT_USAGE;
	}

	struct config cfg;
	if (cli_load_config(opts, &cfg) < 0)
		return EXIT_USAGE;
	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		config_free(&cfg);
		return 1;
	}
	struct snapshot snap;
	struct diagnosis diagnosis;
	probe_all(&cfg, &snap);
	diagnose(&snap, NULL, &cfg, &diagnosis);

	struct strbuf out;
	strbuf_init(&out, 0);
	if (format == FORMAT_JSON)
		out_json(&snap, &diagnosis, &out);
	else if (format == FORMAT_PROMETHEUS)
		out_prometheus(&snap, &diagnosis, &out);
	else
		out_text(&snap, &diagnosis, &out);
	int rc = cli_write_stdout(strbuf_str(&out), out.len) < 0 ? 1 : 0;
	strbuf_free(&out);
	probe_global_cleanup();
	config_free(&cfg);
	return rc;
}
