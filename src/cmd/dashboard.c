/* dashboard.c - `opsdeck` with no verb: loads the configuration and hands
 * it to the dashboard (ui/dashboard.h). */
#include <stdio.h>
#include <stdlib.h>

#include "cmd/cmd.h"
#include "ui/dashboard.h"

_Static_assert(DASHBOARD_EXIT_USAGE == EXIT_USAGE, "the dashboard's usage status");

int cmd_dashboard(struct cli_options *opts)
{
	if (!dashboard_terminal_usable()) {
		fprintf(stderr, "opsdeck: the dashboard needs a terminal (stdin and stdout a "
		                "tty, TERM not dumb); for a one-shot report run `opsdeck "
		                "status`\n");
		return EXIT_USAGE;
	}
	/* on the heap, not the stack: probe threads that do not stop in time
	 * keep reading it after the dashboard returns */
	struct config *cfg = calloc(1, sizeof(*cfg));
	if (cfg == NULL) {
		fprintf(stderr, "opsdeck: out of memory\n");
		return 1;
	}
	if (cli_load_config(opts, cfg) < 0) {
		free(cfg);
		return EXIT_USAGE;
	}
	struct dashboard_options dashboard = {.no_color = opts->no_color,
	                                      .environment = opts->env_name,
	                                      .read_only = opts->read_only};
	return dashboard_run(cfg, &dashboard);
}
