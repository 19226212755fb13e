/* envs.c - `opsdeck envs [--json]`: every environment (config/envs.h)
 * probed at once, one line each: name, overall state, deployed version and
 * the most severe issue.
 *
 * All at once (check/fleet.h): the whole takes about as long as the
 * slowest environment's slowest probe (its [app] timeout), however many
 * there are. A broken environment (a configuration error) is listed as
 * unknown with the error, never hiding the others.
 *
 * Exit status: the worst state, ranked ok < warning < unknown < critical,
 * with the codes of `check` (0 ok, 1 warning, 2 critical, 3 unknown); 3
 * when no environment is configured; 2 for usage errors.
 */
#include "cmd/cmd.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "check/fleet.h"
#include "probe/probe.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { OPT_JSON = 2000 };

static void envs_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck envs [--json]\n"
	           "Probes every environment (NAME.conf in $XDG_CONFIG_HOME/opsdeck/envs/ and\n"
	           "/etc/opsdeck/envs/) at once and lists each one's state, version and most\n"
	           "severe issue. Exit status: the worst state (0 ok, 1 warning, 2 critical,\n"
	           "3 unknown). Select one with opsdeck -e NAME.\n");
}

static int envs_option(int opt, const char *arg, void *ctx)
{
	(void)arg;
	if (opt != OPT_JSON)
		return -1;
	*(bool *)ctx = true;
	return 0;
}

static void envs_text(const struct fleet_row *rows, size_t n, struct strbuf *out)
{
	int width = (int)strlen("ENVIRONMENT");
	for (size_t i = 0; i < n; i++)
		if ((int)strlen(rows[i].name) > width)
			width = (int)strlen(rows[i].name);
	strbuf_printf(out, "%-*s  %-8s  %-16s  %s\n", width, "ENVIRONMENT", "STATE", "VERSION",
	              "TOP ISSUE");
	for (size_t i = 0; i < n; i++) {
		char issue[sizeof(rows[i].top_issue)];
		sanitize_text(issue, sizeof(issue), rows[i].top_issue);
		strbuf_printf(out, "%-*s  %-8s  %-16s  %s\n", width, rows[i].name,
		              overall_state_word(rows[i].state),
		              rows[i].version[0] ? rows[i].version : "-", issue[0] ? issue : "-");
	}
}

static void envs_json(const struct fleet_row *rows, size_t n, struct strbuf *out)
{
	json_object *doc = json_object_new_object();
	json_object *list = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(rows[i].name));
		json_object_object_add(o, "state",
		                       json_object_new_string(overall_state_name(rows[i].state)));
		json_object_object_add(o, "version",
		                       rows[i].version[0] ? json_object_new_string(rows[i].version)
		                                          : NULL);
		json_object_object_add(
		    o, "top_issue",
		    rows[i].top_issue[0] ? json_object_new_string(rows[i].top_issue) : NULL);
		json_object_array_add(list, o);
	}
	json_object_object_add(doc, "environments", list);
	strbuf_puts(out, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
	                                                         JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_puts(out, "\n");
	json_object_put(doc);
}

int cmd_envs(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"json", no_argument, NULL, OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
	bool json = false;
	int parsed = cli_parse(argc, argv, opts, longopts, NULL, envs_option, &json, envs_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;

	char(*names)[ENVS_NAME_MAX] = xcalloc(ENVS_MAX, sizeof(*names));
	size_t n = envs_list(names, ENVS_MAX);
	if (n == 0) {
		fprintf(stderr, "opsdeck: envs: no environment is configured (put NAME.conf in "
		                "$XDG_CONFIG_HOME/opsdeck/envs/ or /etc/opsdeck/envs/)\n");
		free(names);
		return (int)OVERALL_UNKNOWN;
	}
	if (probe_global_init() < 0) {
		fprintf(stderr, "opsdeck: cannot initialise libcurl\n");
		free(names);
		return (int)OVERALL_UNKNOWN;
	}
	struct fleet_row *rows = xcalloc(n, sizeof(*rows));
	for (size_t i = 0; i < n; i++)
		memcpy(rows[i].name, names[i], sizeof(rows[i].name));
	fleet_probe(rows, n);
	enum overall_state worst = OVERALL_OK;
	for (size_t i = 0; i < n; i++)
		if (fleet_state_rank(rows[i].state) > fleet_state_rank(worst))
			worst = rows[i].state;
	probe_global_cleanup();

	struct strbuf out;
	strbuf_init(&out, 0);
	if (json)
		envs_json(rows, n, &out);
	else
		envs_text(rows, n, &out);
	if (cli_write_stdout(strbuf_str(&out), out.len) < 0)
		worst = OVERALL_UNKNOWN;
	strbuf_free(&out);
	free(rows);
	free(names);
	return (int)worst;
}
