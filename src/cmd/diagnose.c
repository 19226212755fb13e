/* diagnose.c - `opsdeck diagnose [--json]`: the issues, most severe first,
 * each with its recommendation and the recovery actions that fit it.
 *
 * Exit status: the overall state (check/overall.h), as `check` exits: 0 ok,
 * 1 warning (low or medium issues only), 2 critical (a high issue or a
 * backend down), 3 unknown (nothing configured). Usage and configuration
 * errors and an output that could not be written are 3 too, with one line
 * on stderr, since there is then no diagnosis to trust.
 */
#include "cmd/cmd.h"

#include <json-c/json.h>

#include "check/overall.h"
#include "out/out.h"

enum { OPT_JSON = 2000 };

static void diagnose_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck diagnose [-c FILE] [--json]\n"
	           "Probes every backend once and prints the issues found, most severe first,\n"
	           "with a recommendation for each. Exit 0 ok, 1 warning, 2 critical,\n"
	           "3 unknown (nothing configured, or a configuration error).\n");
}

static int diagnose_option(int opt, const char *arg, void *ctx)
{
	if (opt != OPT_JSON)
		return -1;
	*(bool *)ctx = true;
	return 0;
}

int cmd_diagnose(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"json", no_argument, NULL, OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
	bool json = false;
	int parsed =
	    cli_parse(argc, argv, opts, longopts, NULL, diagnose_option, &json, diagnose_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : (int)OVERALL_UNKNOWN;

	struct config cfg;
	struct snapshot snap;
	struct diagnosis diagnosis;
	if (cli_load_and_probe(opts, &cfg, &snap, &diagnosis) < 0)
		return (int)OVERALL_UNKNOWN;
	enum overall_state overall = overall_state(&snap, &diagnosis);

	struct strbuf out;
	strbuf_init(&out, 0);
	if (json) {
		json_object *doc = out_diagnosis_json(&diagnosis);
		json_object_object_add(doc, "app", json_object_new_string(snap.app_name));
		json_object_object_add(doc, "overall",
		                       json_object_new_string(overall_state_name(overall)));
		out_json_take(doc, &out);
	} else {
		strbuf_printf(&out, "%s: %s, %d issue%s\n", snap.app_name,
		              overall_state_name(overall), diagnosis.count,
		              diagnosis.count == 1 ? "" : "s");
		out_issues_text(&diagnosis, &out);
	}
	int rc = (int)overall;
	if (cli_write_stdout(strbuf_str(&out), out.len) < 0)
		rc = (int)OVERALL_UNKNOWN;
	strbuf_free(&out);
	config_free(&cfg);
	return rc;
}
