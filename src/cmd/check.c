/* check.c - `opsdeck check`: one monitoring-plugins line with perfdata.
 *
 * Exit status 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, as Nagios, Icinga and
 * the monitoring-plugins expect. A configuration error is UNKNOWN (3), not
 * the usual 2: to a monitoring system 2 would mean the service is down.
 */
#include "cmd/cmd.h"

#include "out/out.h"

static void check_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck check [-c FILE]\n"
	           "Prints one line: OPSDECK OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata\n"
	           "and exits 0, 1, 2 or 3 accordingly.\n");
}

int cmd_check(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {CLI_COMMON_LONG, {NULL, 0, NULL, 0}};
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, NULL, NULL, check_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : PLUGIN_UNKNOWN;

	struct config cfg;
	char err[1024];
	if (config_load(&cfg, opts->config_path, err, sizeof(err)) < 0) {
		printf("OPSDECK UNKNOWN - configuration: %s\n", err);
		return PLUGIN_UNKNOWN;
	}
	struct snapshot snap;
	struct diagnosis diagnosis;
	if (cli_probe_once(&cfg, &snap, &diagnosis) < 0) {
		printf("OPSDECK UNKNOWN - cannot initialise libcurl\n");
		config_free(&cfg);
		return PLUGIN_UNKNOWN;
	}
	struct strbuf out;
	strbuf_init(&out, 0);
	enum plugin_state state = out_nagios(&snap, &diagnosis, &out);
	if (cli_write_stdout(strbuf_str(&out), out.len) < 0)
		state = PLUGIN_UNKNOWN;
	strbuf_free(&out);
	config_free(&cfg);
	return (int)state;
}
