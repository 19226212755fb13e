/* probe_version.c - what is deployed: the seed's version JSON from
 * version_url, or else from version_file (see probe.h). A version that
 * cannot be read is "unknown" with both reasons; it is not a backend
 * failure, and diagnosis treats it as a warning. */
#include "probe/probe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "client/http_client.h"
#include "probe/version_json.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/parallel.h"
#include "util/text.h"
#include "util/xalloc.h"

/* version.json is four short strings; anything near this size is not one. */
#define VERSION_MAX_KIB   64
#define VERSION_MAX_BYTES ((size_t)VERSION_MAX_KIB * 1024)

/* A step's reason, with room left for a prefix ("HTTP 500: ") in the
 * SNAPSHOT_TEXT-sized field it ends up in. */
#define REASON_SIZE (SNAPSHOT_TEXT - 48)

/* Fetches and parses version_url. Returns 0, or -1 with the reason in why. */
static int version_from_url(const char *url, long timeout_ms, struct version_status *out, char *why,
                            size_t whylen)
{
	int rc = -1;
	struct http_response resp;
	char reason[REASON_SIZE];

	if (http_get(url, timeout_ms, VERSION_MAX_BYTES, &resp, reason, sizeof(reason)) < 0) {
		snprintf(why, whylen, "%s", reason);
		goto done;
	}
	if (resp.body_truncated) {
		snprintf(why, whylen, "HTTP %ld with a reply larger than %d KiB", resp.status_code,
		         VERSION_MAX_KIB);
		goto done;
	}
	if (resp.status_code != 200) {
		/* The seed's route answers 500 {"error": "..."}: show its words. */
		struct version_status scratch = *out;
		if (version_json_parse(strbuf_str(&resp.body), resp.body.len, &scratch, reason,
		                       sizeof(reason)) < 0 &&
		    text_starts_with(reason, "the app reported"))
			snprintf(why, whylen, "HTTP %ld: %s", resp.status_code, reason);
		else
			snprintf(why, whylen, "HTTP %ld", resp.status_code);
		goto done;
	}
	if (version_json_parse(strbuf_str(&resp.body), resp.body.len, out, reason, sizeof(reason)) <
	    0) {
		snprintf(why, whylen, "%s", reason);
		goto done;
	}
	out->check.latency_ms = resp.latency_ms;
	rc = 0;
done:
	strbuf_free(&resp.body);
	return rc;
}

/* Reads and parses version_file. Returns 0, or -1 with the reason in why. */
static int version_from_file(const char *path, struct version_status *out, char *why, size_t whylen)
{
	char *text = NULL;
	size_t len = 0;
	char reason[SNAPSHOT_TEXT];
	int64_t start_us = clock_monotonic_us();

	/* FILE_READ_NONBLOCK: a FIFO put where the file should be must not hang us. */
	int rc = file_read_text(path, NULL, VERSION_MAX_BYTES, FILE_READ_NONBLOCK, &text, &len,
	                        NULL, why, whylen);
	if (rc == FILE_TOO_LARGE)
		snprintf(why, whylen, "larger than %d KiB", VERSION_MAX_KIB);
	if (rc != 0)
		return -1;
	rc = -1;
	if (version_json_parse(text, len, out, reason, sizeof(reason)) < 0) {
		snprintf(why, whylen, "%s", reason);
		goto done;
	}
	out->check.latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	rc = 0;
done:
	free(text);
	return rc;
}

/* Reads version_file as well when version_url answered, so diagnosis can
 * see a half-done deploy (the app serving one build, the disk holding
 * another). A file that cannot be read leaves the fields empty: the URL's
 * answer stands and there is nothing to compare. */
static void note_file_version(const char *path, struct version_status *out)
{
	struct version_status file;
	memset(&file, 0, sizeof(file));
	char why[SNAPSHOT_TEXT];
	if (version_from_file(path, &file, why, sizeof(why)) < 0)
		return;
	memcpy(out->file_version, file.version, sizeof(out->file_version));
	memcpy(out->file_commit_hash, file.commit_hash, sizeof(out->file_commit_hash));
}

/* Stores a reason in one of the snapshot's text fields: sanitised, redacted. */
static void set_reason(char *dst, size_t size, const char *reason)
{
	sanitize_text(dst, size, reason);
	redact_text(dst, size);
}

/* One instance's version_url, on its own thread. */
struct version_task {
	const char *url;
	long timeout_ms;
	struct version_status result;
	char why[SNAPSHOT_TEXT];
	int rc;
};

static void *version_task_run(void *arg)
{
	struct version_task *t = arg;
	t->rc = version_from_url(t->url, t->timeout_ms, &t->result, t->why, sizeof(t->why));
	return NULL;
}

/* Several instances at once: each one's answer into out->instances, the
 * first that answered into out. Returns 0, or -1 with the first reason in
 * why when none answered. */
static int version_from_urls(char **urls, int n, long timeout_ms, struct version_status *out,
                             char *why, size_t whylen)
{
	struct version_task *tasks = xcalloc((size_t)n, sizeof(*tasks));
	for (int i = 0; i < n; i++) {
		tasks[i].url = urls[i];
		tasks[i].timeout_ms = timeout_ms;
		tasks[i].result = *out;
	}
	parallel_each(tasks, (size_t)n, sizeof(tasks[0]), version_task_run);
	int chosen = -1;
	out->instance_count = n;
	for (int i = 0; i < n; i++) {
		struct version_instance *inst = &out->instances[i];
		url_redact(inst->url, sizeof(inst->url), urls[i]);
		inst->version[0] = inst->commit_hash[0] = inst->error[0] = '\0';
		if (tasks[i].rc == 0) {
			text_copy(inst->version, tasks[i].result.version, sizeof(inst->version));
			text_copy(inst->commit_hash, tasks[i].result.commit_hash,
			          sizeof(inst->commit_hash));
			if (chosen < 0)
				chosen = i;
		} else {
			set_reason(inst->error, sizeof(inst->error), tasks[i].why);
		}
	}
	int rc = 0;
	if (chosen >= 0) {
		struct version_instance saved[APP_INSTANCES_MAX];
		memcpy(saved, out->instances, sizeof(saved));
		*out = tasks[chosen].result;
		out->instance_count = n;
		memcpy(out->instances, saved, sizeof(saved));
	} else {
		text_printf(why, whylen, "no instance answers: %s", tasks[0].why);
		rc = -1;
	}
	free(tasks);
	return rc;
}

void probe_version(const struct config *cfg, struct version_status *out)
{
	const char *url = cfg->app.version_url ? cfg->app.version_url : "";
	const char *path = cfg->app.version_file ? cfg->app.version_file : "";
	char why[SNAPSHOT_TEXT];
	char redacted_url[SNAPSHOT_TEXT];

	probe_check_begin(&out->check);
	out->source = VERSION_SOURCE_NONE;
	snprintf(out->version, sizeof(out->version), "unknown");
	out->build_number[0] = out->commit_hash[0] = out->build_date[0] = '\0';
	out->url_error[0] = out->file_error[0] = '\0';
	out->file_version[0] = out->file_commit_hash[0] = '\0';
	out->instance_count = 0;

	if (!url[0] && !path[0]) {
		check_set_error(&out->check, CHECK_NOT_CONFIGURED,
		                "neither version_url nor version_file is set");
		goto done;
	}
	url_redact(redacted_url, sizeof(redacted_url), url);

	char *urls[APP_INSTANCES_MAX];
	int n = url[0] ? text_split_words(url, ", ", urls, APP_INSTANCES_MAX) : 0;
	if (n > APP_INSTANCES_MAX)
		n = APP_INSTANCES_MAX; /* the configuration refuses more */
	int got = -1;
	if (n > 1)
		got = version_from_urls(urls, n, (long)cfg->app.timeout_ms, out, why, sizeof(why));
	else if (url[0])
		got = version_from_url(url, (long)cfg->app.timeout_ms, out, why, sizeof(why));
	for (int i = 0; i < n; i++)
		free(urls[i]);
	if (url[0]) {
		if (got == 0) {
			out->source = VERSION_SOURCE_URL;
			out->check.state = CHECK_OK;
			check_set_target(&out->check, redacted_url);
			if (path[0])
				note_file_version(path, out);
			goto done;
		}
		set_reason(out->url_error, sizeof(out->url_error), why);
	}
	if (path[0]) {
		if (version_from_file(path, out, why, sizeof(why)) == 0) {
			out->source = VERSION_SOURCE_FILE;
			out->check.state = CHECK_OK;
			set_reason(out->check.target, sizeof(out->check.target), path);
			goto done;
		}
		set_reason(out->file_error, sizeof(out->file_error), why);
	}

	/* Neither gave a version: say what was tried and why each failed. */
	char tried[SNAPSHOT_TEXT * 2];
	if (url[0] && path[0]) {
		snprintf(tried, sizeof(tried), "%s, %s", redacted_url, path);
		check_set_error(&out->check, CHECK_UNHEALTHY, "version_url: %s; version_file: %s",
		                out->url_error, out->file_error);
	} else if (url[0]) {
		snprintf(tried, sizeof(tried), "%s", redacted_url);
		check_set_error(&out->check, CHECK_UNHEALTHY, "version_url: %s", out->url_error);
	} else {
		snprintf(tried, sizeof(tried), "%s", path);
		check_set_error(&out->check, CHECK_UNHEALTHY, "version_file: %s", out->file_error);
	}
	set_reason(out->check.target, sizeof(out->check.target), tried);
done:
	out->check.checked_at_ms = clock_wall_ms();
}
