/* action_app.c - restart-app: [recovery] restart_command, split into argv
 * as a shell would split it but started with posix_spawn (util/spawn.h),
 * never by a shell; bounded by restart_timeout; stdout and stderr captured
 * (capped) and shown; the exit status decides.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "job/action_impl.h"
#include "util/spawn.h"
#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Bytes of each stream kept. */
#define OUTPUT_CAP 16384
/* Lines of each stream shown. */
#define SHOW_LINES 20

/* Where argv[0] would be found, as posix_spawnp looks: a path with '/' as
 * is, else the first executable in PATH. Returns 0 or -1. */
static int app_resolve(const char *name, char *dst, size_t size)
{
	if (strchr(name, '/')) {
		text_copy(dst, name, size);
		return access(name, X_OK) == 0 ? 0 : -1;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		snprintf(dst, size, "%.*s/%s", (int)n, n ? path : ".", name);
		struct stat st;
		if (stat(dst, &st) == 0 && S_ISREG(st.st_mode) && access(dst, X_OK) == 0)
			return 0;
		path += n;
		if (*path == ':')
			path++;
	}
	return -1;
}

int restart_app_dry_run(struct action_run *run, char *err, size_t errlen)
{
	char **argv = NULL;
	char line[2048], where[1024], dur[32];
	int argc = action_split_command(run->cfg->recovery.restart_command, &argv, err, errlen);
	if (argc < 0)
		return -1;
	action_argv_format(argv, line, sizeof(line));
	text_format_duration(dur, sizeof(dur), run->cfg->recovery.restart_timeout_ms);
	action_say(run, "would run (no shell, timeout %s): %s", dur, line);
	for (int i = 0; i < argc; i++)
		action_say(run, "  argv[%d] = %s", i, argv[i]);
	if (app_resolve(argv[0], where, sizeof(where)) == 0)
		action_say(run, "  program: %s", where);
	else
		action_say(run, "  warning: %s is not an executable on PATH", argv[0]);
	snprintf(run->summary, sizeof(run->summary), "would run %.240s", line);
	action_argv_free(argv);
	return 0;
}

/* Shows the last SHOW_LINES lines of a captured stream. */
static void app_show(struct action_run *run, const char *name, const struct strbuf *b)
{
	const char *text = strbuf_str(b);
	if (!text[0])
		return;
	int lines = 0;
	for (const char *p = text; *p; p++)
		if (*p == '\n')
			lines++;
	const char *start = text;
	for (int skip = lines - SHOW_LINES; skip > 0 && *start; start++)
		if (*start == '\n')
			skip--;
	action_say(run, "%s%s:", name, b->truncated ? " (truncated)" : "");
	while (*start) {
		size_t n = strcspn(start, "\n");
		action_say(run, "  %.*s", (int)n, start);
		start += n;
		if (*start == '\n')
			start++;
	}
}

int restart_app_run(struct action_run *run, char *err, size_t errlen)
{
	char **argv = NULL;
	char line[2048], why[512], dur[32];
	struct strbuf out, errout;
	struct spawn_result res;
	int rc = -1;

	strbuf_init(&out, OUTPUT_CAP);
	strbuf_init(&errout, OUTPUT_CAP);
	if (action_split_command(run->cfg->recovery.restart_command, &argv, err, errlen) < 0)
		goto done;
	action_argv_format(argv, line, sizeof(line));
	action_say(run, "running %s", line);
	if (spawn_capture(argv, NULL, run->cfg->recovery.restart_timeout_ms, run->cancel, &out,
	                  &errout, &res, why, sizeof(why)) < 0) {
		snprintf(err, errlen, "cannot run %s: %s", argv[0], why);
		goto done;
	}
	app_show(run, "stdout", &out);
	app_show(run, "stderr", &errout);
	text_format_duration(dur, sizeof(dur), res.duration_ms);
	if (res.timed_out) {
		char limit[32];
		text_format_duration(limit, sizeof(limit), run->cfg->recovery.restart_timeout_ms);
		snprintf(err, errlen, "%s timed out after %s and was killed", argv[0], limit);
	} else if (res.cancelled) {
		snprintf(err, errlen, "%s was stopped: opsdeck was interrupted", argv[0]);
	} else if (res.signal) {
		snprintf(err, errlen, "%s was killed by signal %d", argv[0], res.signal);
	} else if (res.exit_status != 0) {
		snprintf(err, errlen, "%s exited with status %d", argv[0], res.exit_status);
	} else {
		snprintf(run->summary, sizeof(run->summary), "%s exited 0 after %s", argv[0], dur);
		action_say(run, "%s", run->summary);
		rc = 0;
	}
done:
	action_argv_free(argv);
	strbuf_free(&out);
	strbuf_free(&errout);
	return rc;
}
