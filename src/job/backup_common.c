/* backup_common.c - what the backup verbs share: hooks, audit records,
 * result messages (see backup_common.h). */
#include "job/backup_common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/http_client.h"
#include "model/redact.h"
#include "job/audit.h"
#include "repo/sink.h"
#include "util/text.h"
#include "util/xalloc.h"

void backup_note_leftover(struct sink *sink, struct backup_result *r, char *err, size_t errlen)
{
	struct sink_leftover left;
	if (!sink || !sink_leftover(sink, &left))
		return;
	text_copy(r->left_behind, left.key, sizeof(r->left_behind));
	char more[64] = "";
	if (left.count > 1)
		text_printf(more, sizeof(more), " (and %zu more)", left.count - 1);
	size_t len = strlen(err);
	text_printf(err + len, errlen - len, "; %s%s; `opsdeck backup list` shows it", left.text,
	            more);
}

/* The cancel flags of the hooks, on the sink (before any writer opens). */
void backup_hooks_to_sink(const struct backup_hooks *h, struct sink *sink)
{
	if (h && h->cancel)
		sink_set_cancel(sink, h->cancel);
	if (h && h->abandon)
		sink_set_abandon(sink, h->abandon);
	if (h && h->log)
		sink_set_log(sink, h->log, h->ctx);
}

bool backup_hooks_cancelled(const struct backup_hooks *h)
{
	if (h && h->cancel && atomic_load(h->cancel))
		return true;
	return h && h->cancelled && h->cancelled(h->ctx);
}

void backup_hooks_progress(const struct backup_hooks *h, const struct backup_progress *p)
{
	if (h && h->progress)
		h->progress(h->ctx, p);
}

/* Makes the target ready for writing. What that took (a directory created)
 * goes to the log hook once, else stays in note for the result's message. */
static int target_prepare(struct sink *sink, const struct backup_hooks *hooks, char *note,
                          size_t notelen, char *err, size_t errlen)
{
	if (sink_prepare(sink, note, notelen, err, errlen) != 0)
		return -1;
	if (note[0] && hooks && hooks->log) {
		hooks->log(hooks->ctx, note);
		note[0] = '\0';
	}
	return 0;
}

/* Adds the note target_prepare kept to the result's message. */
static void message_add_note(struct backup_result *r, const char *note)
{
	size_t len = strlen(r->message);
	if (note[0])
		snprintf(r->message + len, sizeof(r->message) - len, " (%s)", note);
}

void backup_result_free(struct backup_result *r)
{
	for (size_t i = 0; i < r->failures && r->failed; i++)
		free(r->failed[i]);
	free(r->failed);
	r->failed = NULL;
}

int backup_audit(const struct config *cfg, const char *id, const char *action, const char *target,
                 const char *result, const char *detail, int64_t duration_ms,
                 const char *left_behind, char *err, size_t errlen)
{
	struct audit_record run = {
	    .id = id, .action = action, .target = target, .left_behind = left_behind};
	return audit_write_phase(cfg->recovery.audit_log, &run, result, detail, duration_ms, err,
	                         errlen);
}

const char *backup_target_of(const struct config *cfg, const char *target)
{
	return target && *target ? target : cfg->backup.target;
}

int backup_begin(const struct config *cfg, const char *id, const char *action, const char *target,
                 const char *detail, struct sink *sink, const struct backup_hooks *hooks,
                 bool *audited, char *note, size_t notelen, struct backup_result *r, char *err,
                 size_t errlen)
{
	char audit_err[512];
	if (backup_audit(cfg, id, action, target, NULL, detail, -1, NULL, audit_err,
	                 sizeof(audit_err)) != 0) {
		text_printf(err, errlen, "refusing to back up: cannot write the audit log: %s",
		            audit_err);
		r->refused = true;
		return -1;
	}
	*audited = true;
	return target_prepare(sink, hooks, note, notelen, err, errlen);
}

/* [backup] heartbeat_url: a dead-man's switch in the style of
 * healthchecks.io, pinged with GET after a backup that stored its object,
 * and at URL/fail after one that did not. A ping that does not get through
 * is said in the result and changes nothing else; its URL (which holds the
 * check's token) is never shown. */
static void backup_heartbeat(const struct config *cfg, bool ok, struct backup_result *r)
{
	const char *base = cfg->backup.heartbeat_url;
	if (base == NULL || base[0] == '\0')
		return;
	size_t len = strlen(base);
	char *url = xasprintf("%s%s", base, ok ? "" : (base[len - 1] == '/' ? "fail" : "/fail"));
	struct http_response resp;
	char err[256];
	int rc = http_get(url, cfg->app.timeout_ms, 256, &resp, err, sizeof(err));
	free(url);
	strbuf_free(&resp.body);
	size_t used = strlen(r->message);
	if (rc < 0)
		snprintf(r->message + used, sizeof(r->message) - used, "; heartbeat not sent: %s",
		         err);
	else if (resp.status_code < 200 || resp.status_code > 299)
		snprintf(r->message + used, sizeof(r->message) - used,
		         "; heartbeat answered HTTP %ld", resp.status_code);
}

int backup_end(const struct config *cfg, const char *id, const char *action, const char *target,
               bool audited, const char *note, int rc, struct backup_result *r)
{
	message_add_note(r, note);
	redact_text(r->message, sizeof(r->message));
	struct audit_record run = {
	    .id = id, .action = action, .target = target, .left_behind = r->left_behind};
	/* stored, but nobody can account for it: not a success */
	if (audited && audit_write_outcome(cfg->recovery.audit_log, &run,
	                                   rc == 0 ? "ok" : (r->cancelled ? "cancelled" : "failed"),
	                                   r->duration_ms, r->message, sizeof(r->message)) != 0)
		rc = -1;
	backup_heartbeat(cfg, rc == 0, r);
	return rc;
}
