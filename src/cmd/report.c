/* report.c - `opsdeck report [--since DUR|TIME] [--until TIME] [--json |
 * --markdown | --html]`: the incident timeline of a range, from the history
 * that `opsdeck record` writes and the audit log (out/report.h).
 *
 * Each issue open in the range with its start, end (none while still open),
 * duration, worst severity and peak; the deploys; the backups and recovery
 * actions from the audit log with their outcome; the gaps when nothing was
 * recording. --since takes a duration back from now (30m, 2h, 1d) or an
 * RFC 3339 time; default 24h. --until takes an RFC 3339 time; default now.
 *
 * Exit status: 0; 1 when the history cannot be read (none yet: say how to
 * start the recorder); 2 for usage and configuration errors.
 */
#include "cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "history/store.h"
#include "history/timeline.h"
#include "job/audit.h"
#include "out/report.h"
#include "util/clock.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

enum { OPT_SINCE = 2000, OPT_UNTIL, OPT_JSON, OPT_MARKDOWN, OPT_HTML };

enum report_form { FORM_TEXT, FORM_JSON, FORM_MARKDOWN, FORM_HTML };

struct report_options {
	int64_t from_ms;
	int64_t until_ms;
	enum report_form form;
	bool form_set;
};

static void report_usage(FILE *f)
{
	fprintf(f, "usage: opsdeck report [-c FILE] [--since DUR|TIME] [--until TIME]\n"
	           "                      [--json | --markdown | --html]\n"
	           "The incident timeline of a range from the history (`opsdeck record`) and\n"
	           "the audit log: each issue with start, end, duration, severity and peak;\n"
	           "deploys; backups and recovery actions; gaps in the recording.\n"
	           "  --since DUR|TIME  30m, 2h, 1d back from now, or an RFC 3339 time such as\n"
	           "                    2026-12-05T03:00:00Z (default: 24h)\n"
	           "  --until TIME      an RFC 3339 time (default: now)\n"
	           "  --json            for programs (doc/report-json.md)\n"
	           "  --markdown        to paste into an incident ticket\n"
	           "  --html            one self-contained page with charts\n");
}

/* A duration back from now, or an RFC 3339 time. */
static int report_time_arg(const char *option, const char *arg, bool duration_ok, int64_t *ms)
{
	int64_t back;
	if (duration_ok && text_parse_duration_ms(arg, &back) == 0 && back > 0) {
		*ms = clock_wall_ms() - back;
		return 0;
	}
	if (clock_parse_iso8601(arg, ms) == 0)
		return 0;
	fprintf(stderr, "opsdeck: report: %s '%s' is not %s\n", option, arg,
	        duration_ok ? "a duration (30m, 2h, 1d) or an RFC 3339 time "
	                      "(2026-12-05T03:00:00Z)"
	                    : "an RFC 3339 time (2026-12-05T03:00:00Z)");
	return -1;
}

static int report_option(int opt, const char *arg, void *ctx)
{
	struct report_options *ro = ctx;
	static const struct {
		int opt;
		enum report_form form;
	} FORMS[] = {{OPT_JSON, FORM_JSON}, {OPT_MARKDOWN, FORM_MARKDOWN}, {OPT_HTML, FORM_HTML}};
	for (size_t i = 0; i < sizeof(FORMS) / sizeof(FORMS[0]); i++) {
		if (opt != FORMS[i].opt)
			continue;
		if (ro->form_set && ro->form != FORMS[i].form) {
			fprintf(stderr,
			        "opsdeck: report: --json, --markdown and --html go one at a "
			        "time\n");
			return -1;
		}
		ro->form = FORMS[i].form;
		ro->form_set = true;
		return 0;
	}
	if (opt == OPT_SINCE)
		return report_time_arg("--since", arg, true, &ro->from_ms);
	if (opt == OPT_UNTIL)
		return report_time_arg("--until", arg, false, &ro->until_ms);
	return -1;
}

struct audit_lists {
	int64_t from_ms, until_ms;
	struct audit_entry *actions, *backups;
	size_t action_count, backup_count, action_cap, backup_cap;
};

static int audit_take(const struct audit_entry *e, void *ctx)
{
	struct audit_lists *l = ctx;
	if (!audit_entry_told(e) || e->at_ms < l->from_ms || e->at_ms > l->until_ms)
		return 0;
	bool backup = report_is_backup(e);
	struct audit_entry **list = backup ? &l->backups : &l->actions;
	size_t *count = backup ? &l->backup_count : &l->action_count;
	size_t *cap = backup ? &l->backup_cap : &l->action_cap;
	if (*count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*list = xrealloc(*list, *cap * sizeof(**list));
	}
	(*list)[(*count)++] = *e;
	return 0;
}

static void report_render(const struct report *r, enum report_form form, struct strbuf *out)
{
	switch (form) {
	case FORM_TEXT:
		report_text(r, out);
		break;
	case FORM_JSON:
		report_json(r, out);
		break;
	case FORM_MARKDOWN:
		report_markdown(r, out);
		break;
	case FORM_HTML:
		report_html(r, out);
		break;
	}
}

int cmd_report(int argc, char **argv, struct cli_options *opts)
{
	static const struct option longopts[] = {
	    CLI_COMMON_LONG,
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"markdown", no_argument, NULL, OPT_MARKDOWN},
	    {"html", no_argument, NULL, OPT_HTML},
	    {NULL, 0, NULL, 0},
	};
	struct report_options ro = {.from_ms = clock_wall_ms() - 86400 * 1000LL,
	                            .until_ms = clock_wall_ms()};
	int parsed =
	    cli_parse(argc, argv, opts, longopts, NULL, report_option, &ro, report_usage, 0);
	if (parsed != 0)
		return parsed > 0 ? 0 : EXIT_USAGE;
	if (ro.from_ms >= ro.until_ms) {
		fprintf(stderr, "opsdeck: report: --since must be before --until\n");
		return EXIT_USAGE;
	}
	struct config cfg;
	if (cli_load_config(opts, &cfg) < 0)
		return EXIT_USAGE;
	int rc = 1;
	struct history_store *store = NULL;
	struct timeline t;
	timeline_init(&t);
	struct audit_lists lists = {.from_ms = ro.from_ms, .until_ms = ro.until_ms};
	struct report r = {.from_ms = ro.from_ms,
	                   .until_ms = ro.until_ms,
	                   .app = cfg.app.name,
	                   .environment = opts->env_name ? opts->env_name : "",
	                   .timeline = &t};
	struct strbuf out;
	strbuf_init(&out, 0);
	char warning[512], err[1024];
	if (history_store_open(&store, cfg.history.dir, HISTORY_OPEN_READ, warning, sizeof(warning),
	                       err, sizeof(err)) < 0) {
		fprintf(stderr,
		        "opsdeck: report: no history to read in %s (%s); `opsdeck record` "
		        "(opsdeck-record.service) writes it\n",
		        cfg.history.dir, err);
		goto done;
	}
	if (history_store_records(store, ro.from_ms, ro.until_ms, timeline_take, &t) < 0) {
		fprintf(stderr, "opsdeck: report: %s\n", history_store_error(store));
		goto done;
	}
	timeline_finish(&t);
	r.skipped = history_store_skipped(store);
	if (audit_each_entry(cfg.recovery.audit_log, audit_take, &lists, err, sizeof(err)) < 0)
		fprintf(stderr, "opsdeck: report: %s; actions and backups left out\n", err);
	r.actions = lists.actions;
	r.action_count = lists.action_count;
	r.backups = lists.backups;
	r.backup_count = lists.backup_count;
	static const struct {
		const char *figure, *title, *unit;
	} SERIES[REPORT_SERIES_COUNT] = {
#define SERIES_ROW(figure, title, unit) {figure, title, unit},
	    REPORT_SERIES_LIST(SERIES_ROW)
#undef SERIES_ROW
	};
	for (int i = 0; i < REPORT_SERIES_COUNT; i++) {
		r.series[i].figure = SERIES[i].figure;
		r.series[i].title = SERIES[i].title;
		r.series[i].unit = SERIES[i].unit;
		if (ro.form == FORM_HTML) {
			r.series[i].count = history_store_series(
			    store, SERIES[i].figure, ro.from_ms, ro.until_ms, &r.series[i].points);
			if (r.series[i].count < 0)
				r.series[i].count = 0;
		}
	}
	report_render(&r, ro.form, &out);
	rc = cli_write_stdout(strbuf_str(&out), strlen(strbuf_str(&out))) == 0 ? 0 : 1;
done:
	for (int i = 0; i < REPORT_SERIES_COUNT; i++)
		free(r.series[i].points);
	strbuf_free(&out);
	free(lists.actions);
	free(lists.backups);
	timeline_free(&t);
	history_store_close(store);
	config_free(&cfg);
	return rc;
}
