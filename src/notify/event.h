/* event.h - one notification: what happened, and the body a webhook gets.
 *
 * Pure: no I/O, no clock. Texts come from the diagnosis and the audit log,
 * which are sanitised and redacted already; the body is redacted once more
 * (model/redact.h), so no registered secret reaches a webhook.
 */
#ifndef OPSDECK_NOTIFY_EVENT_H
#define OPSDECK_NOTIFY_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "model/issue.h"
#include "util/strbuf.h"

enum notify_kind {
	NOTIFY_ISSUE_OPENED,    /* an issue at or above min_severity appeared */
	NOTIFY_ISSUE_CLEARED,   /* ... and is gone (or fell below min_severity) */
	NOTIFY_ISSUE_ESCALATED, /* an open issue's severity rose */
	NOTIFY_ACTION_ENDED,    /* a backup, drill, restore or recovery action ended */
	NOTIFY_HELD_BACK,       /* messages dropped by [notify] max_per_hour */
};

/* The name in the JSON body's "event": "issue_opened", ... */
const char *notify_kind_name(enum notify_kind kind);

struct notify_event {
	enum notify_kind kind;
	int64_t at_ms; /* wall clock */
	/* issue events */
	char issue_id[64];
	char issue_type[32];
	enum issue_severity severity;     /* the issue's, now (cleared: the last one seen) */
	enum issue_severity old_severity; /* escalated: before */
	char message[256];
	int64_t open_ms;  /* cleared: how long it was open, or -1 when not known */
	int held_changes; /* changes of this issue not sent while it flapped */
	/* action events (an audit outcome record) */
	char action[32];  /* "backup-db", "clear-cache", ... */
	char result[24];  /* "ok", "failed", "refused", "cancelled", ... */
	char target[256]; /* redacted */
	char detail[512];
	char user[64];
	int64_t duration_ms; /* -1 when not recorded */
	/* held-back events */
	int held_count;
};

/* Who is speaking: the app's name, the environment (-e NAME, or ""), the
 * host name. */
struct notify_origin {
	const char *app;
	const char *environment;
	const char *host;
};

enum notify_format {
	NOTIFY_FORMAT_JSON,  /* the event as an object (doc/notifications.md) */
	NOTIFY_FORMAT_SLACK, /* {"text": "..."}: Slack's, Mattermost's and Rocket.Chat's */
};

/* "json" or "slack"; returns 0, or -1 for anything else. */
int notify_format_parse(const char *name, enum notify_format *format);

/* One line for people: "shop (production): issue opened: redis_down
 * (high): Redis is not answering". Appended to out. */
void notify_event_text(const struct notify_event *ev, const struct notify_origin *origin,
                       struct strbuf *out);

/* The request body for format, appended to out (JSON, redacted). */
void notify_event_body(const struct notify_event *ev, const struct notify_origin *origin,
                       enum notify_format format, struct strbuf *out);

/* An audit log line (job/audit.h) as an action event: 1 when it is the
 * outcome of a run worth telling (not a dry run, not declined) and ev is
 * filled (at_ms from its time, 0 when it has none); 0 when the line is
 * another record; -1 when it is not a JSON object. */
int notify_event_from_audit(const char *line, struct notify_event *ev);

#endif
