/* status.c - `opsdeck status [--json | --prometheus]`: one snapshot of every
 * check, with the metrics and the diagnosis, then exit.
 *
 * Exit status: 0 when the snapshot was printed, whatever it shows (`check`
 * and `diagnose` are the verbs whose exit status follows the state), 2 for
 * usage and configuration errors, 1 if the output could not be written.
 * Both forms name the audit log in use and say when actions would be
 * refused for it (a mode looser than 0600, not writable).
 */
#include "cmd/cmd.h"

#include "job/audit.h"
#include "out/out.h"
#include "util/sanitize.h"

enum status_format { FORMAT_TEXT, FORMAT_JSON, FORMAT_PROMETHEUS };
enum { OPT_JSON = 2000, OPT_PROMETHEUS };

struct status_options {
	enum status_format format;
	int formats_given;
};

static void status_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck status [-c FILE] [--json | --prometheus]\n"
	           "Probes every configured backend once and prints the snapshot:\n"
	           "  (default)     for people\n"
	           "  --json        as JSON (schema: doc/status-json.md)\n"
	           "  --prometheus  in Prometheus text format, for node_exporter's textfile "
	           "collector\n");
}

static int status_option(int opt, const char *arg, void *ctx)
{
	struct status_options *so = ctx;
	if (opt == OPT_JSON)
		so->format = FORMAT_JSON;
	else if (opt == OPT_PROMETHEUS)
		so->format = FORMAT_PROMETHEUS;
	else
		return -1;
	if (++so->formats_given > 1) {
		fprintf(stderr, "opsdeck: status: --json and --prometheus exclude each other\n");
		return -1;
	}
	return 0;
}

/* Which audit log is in use and whether it can take records. */
static void status_audit_log(const struct config *cfg, struct audit_log_status *a)
{
	const char *path = cfg->recovery.audit_log ? cfg->recovery.audit_log : "";
	char problem[1024];
	sanitize_text(a->path, sizeof(a->path), path);
	if (audit_inspect(path, problem, sizeof(problem)) < 0)
		sanitize_text(a->problem, sizeof(a->problem), problem);
	else
		a->problem[0] = '\0';
}

int cmd_status(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"json", no_argument, NULL, OPT_JSON},
	    {"prometheus", no_argument, NULL, OPT_PROMETHEUS},
	    {NULL, 0, NULL, 0},
	};
	struct status_options so = {FORMAT_TEXT, 0};
	int parsed =
	    cli_parse(argc, argv, opts, longopts, NULL, status_option, &so, status_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;

	struct config cfg;
	struct snapshot snap;
	struct diagnosis diagnosis;
	int loaded = cli_load_and_probe(opts, &cfg, &snap, &diagnosis);
	if (loaded < 0)
		return loaded == -1 ? EXIT_USAGE : 1;

	status_audit_log(&cfg, &snap.audit_log);

	struct strbuf out;
	strbuf_init(&out, 0);
	if (so.format == FORMAT_JSON)
		out_json(&snap, &diagnosis, &out);
	else if (so.format == FORMAT_PROMETHEUS)
		out_prometheus(&snap, &diagnosis, &out);
	else
		out_text(&snap, &diagnosis, &out);
	int rc = cli_write_stdout(strbuf_str(&out), out.len) < 0 ? 1 : 0;
	strbuf_free(&out);
	config_free(&cfg);
	return rc;
}
