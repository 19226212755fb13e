/* tracker.c - what was notified, and what to notify next (tracker.h). */
#include "notify/tracker.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/xalloc.h"

/* Messages an issue may have within one flap window. */
#define FLAP_MESSAGES 2

struct tracked {
	char id[64];
	char type[32];
	char message[256];
	bool open;                      /* notified as open */
	enum issue_severity severity;   /* as notified */
	int64_t opened_ms;              /* when notified open; -1 when not known */
	bool wanted_open;               /* open in the last poll (at or above the minimum) */
	int64_t sent_ms[FLAP_MESSAGES]; /* the last messages' times, oldest first */
	int sent_count;                 /* how many of them there are */
	int held;                       /* changes not told since the last message */
};

struct notify_tracker {
	int count;
	struct tracked items[NOTIFY_TRACKED_MAX];
	bool dirty;
};

struct notify_tracker *notify_tracker_new(void)
{
	return xcalloc(1, sizeof(struct notify_tracker));
}

void notify_tracker_free(struct notify_tracker *t)
{
	free(t);
}

bool notify_tracker_dirty(const struct notify_tracker *t)
{
	return t->dirty;
}

static struct tracked *tracker_find(struct notify_tracker *t, const char *id)
{
	for (int i = 0; i < t->count; i++)
		if (strcmp(t->items[i].id, id) == 0)
			return &t->items[i];
	return NULL;
}

static struct tracked *tracker_add(struct notify_tracker *t, const char *id)
{
	if (t->count == NOTIFY_TRACKED_MAX)
		return NULL;
	struct tracked *e = &t->items[t->count++];
	memset(e, 0, sizeof(*e));
	text_copy(e->id, id, sizeof(e->id));
	e->opened_ms = -1;
	return e;
}

/* The issue of this poll for e, at or above min, or NULL. */
static const struct issue *wanted_issue(const struct tracked *e, const struct issue *issues,
                                        int count, enum issue_severity min)
{
	for (int i = 0; i < count; i++)
		if (issues[i].severity >= min && strcmp(issues[i].id, e->id) == 0)
			return &issues[i];
	return NULL;
}

/* The change e wants told, applied to e as notified; false when none. */
static bool tracker_change(struct tracked *e, const struct issue *now_issue, int64_t now_ms,
                           struct notify_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->at_ms = now_ms;
	ev->open_ms = -1;
	ev->duration_ms = -1;
	if (now_issue && !e->open) {
		ev->kind = NOTIFY_ISSUE_OPENED;
		e->open = true;
		e->opened_ms = now_ms;
	} else if (!now_issue && e->open) {
		ev->kind = NOTIFY_ISSUE_CLEARED;
		ev->open_ms = e->opened_ms >= 0 ? now_ms - e->opened_ms : -1;
		e->open = false;
	} else if (now_issue && now_issue->severity > e->severity) {
		ev->kind = NOTIFY_ISSUE_ESCALATED;
		ev->old_severity = e->severity;
	} else {
		return false;
	}
	if (now_issue) {
		e->severity = now_issue->severity;
		text_copy(e->type, ISSUE_TYPES[now_issue->type].name, sizeof(e->type));
		text_copy(e->message, now_issue->message, sizeof(e->message));
	}
	text_copy(ev->issue_id, e->id, sizeof(ev->issue_id));
	text_copy(ev->issue_type, e->type, sizeof(ev->issue_type));
	text_copy(ev->message, e->message, sizeof(ev->message));
	ev->severity = e->severity;
	return true;
}

/* Whether e may have a message now: fewer than FLAP_MESSAGES went within
 * the last flap window (a sliding one, so no burst fits across an edge). */
static bool tracker_window_open(const struct tracked *e, int64_t flap_window_ms, int64_t now_ms)
{
	return flap_window_ms <= 0 || e->sent_count < FLAP_MESSAGES ||
	       now_ms - e->sent_ms[0] >= flap_window_ms;
}

static void tracker_sent(struct tracked *e, int64_t now_ms)
{
	if (e->sent_count == FLAP_MESSAGES) {
		memmove(&e->sent_ms[0], &e->sent_ms[1],
		        sizeof(e->sent_ms[0]) * (FLAP_MESSAGES - 1));
		e->sent_count--;
	}
	e->sent_ms[e->sent_count++] = now_ms;
	e->held = 0;
}

/* Drops what no longer needs keeping: closed, nothing held, window over. */
static void tracker_forget(struct notify_tracker *t, int64_t flap_window_ms, int64_t now_ms)
{
	int kept = 0;
	for (int i = 0; i < t->count; i++) {
		struct tracked *e = &t->items[i];
		bool settled = !e->open && !e->wanted_open && e->held == 0 &&
		               tracker_window_open(e, flap_window_ms, now_ms);
		if (!settled)
			t->items[kept++] = *e;
	}
	t->count = kept;
}

int notify_tracker_update(struct notify_tracker *t, const struct issue *issues, int count,
                          enum issue_severity min, int64_t flap_window_ms, int64_t now_ms,
                          struct notify_event *out, int max)
{
	for (int i = 0; i < count; i++)
		if (issues[i].severity >= min && !tracker_find(t, issues[i].id))
			tracker_add(t, issues[i].id);
	int n = 0;
	for (int i = 0; i < t->count; i++) {
		struct tracked *e = &t->items[i];
		const struct issue *now_issue = wanted_issue(e, issues, count, min);
		bool changed = (now_issue != NULL) != e->wanted_open;
		e->wanted_open = now_issue != NULL;
		bool wants = (now_issue != NULL) != e->open ||
		             (now_issue && now_issue->severity > e->severity);
		bool may = tracker_window_open(e, flap_window_ms, now_ms);
		if (!may && changed)
			e->held++;
		if (now_issue && e->open && now_issue->severity < e->severity) {
			e->severity = now_issue->severity; /* a fall is not told */
			t->dirty = true;
		}
		if (may && !wants)
			e->held = 0; /* settled where it was last told: nothing to say */
		if (!wants || !may || n == max)
			continue; /* held changes stay for the message that goes */
		int held = e->held;
		tracker_change(e, now_issue, now_ms, &out[n]);
		out[n++].held_changes = held;
		tracker_sent(e, now_ms);
		t->dirty = true;
	}
	tracker_forget(t, flap_window_ms, now_ms);
	return n;
}

void notify_tracker_save(struct notify_tracker *t, struct strbuf *out)
{
	json_object *list = json_object_new_array();
	for (int i = 0; i < t->count; i++) {
		const struct tracked *e = &t->items[i];
		if (!e->open)
			continue;
		json_object *o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(e->id));
		json_object_object_add(o, "type", json_object_new_string(e->type));
		json_object_object_add(o, "severity",
		                       json_object_new_string(issue_severity_name(e->severity)));
		json_object_object_add(o, "message", json_object_new_string(e->message));
		json_object_object_add(o, "opened_at_ms", json_object_new_int64(e->opened_ms));
		json_object_array_add(list, o);
	}
	strbuf_puts(out, json_object_to_json_string_ext(list, JSON_C_TO_STRING_PLAIN));
	json_object_put(list);
	t->dirty = false;
}

static const char *string_of(json_object *o, const char *key)
{
	json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int notify_tracker_load(struct notify_tracker *t, const char *json, char *err, size_t errlen)
{
	t->count = 0;
	t->dirty = false;
	json_object *list = json_tokener_parse(json);
	if (list == NULL || !json_object_is_type(list, json_type_array)) {
		json_object_put(list);
		snprintf(err, errlen, "not a JSON array of issues");
		return -1;
	}
	int rc = 0;
	size_t n = json_object_array_length(list);
	for (size_t i = 0; i < n && rc == 0; i++) {
		json_object *o = json_object_array_get_idx(list, i);
		const char *id = string_of(o, "id"), *sev = string_of(o, "severity");
		int severity = sev ? issue_severity_from_name(sev) : -1;
		struct tracked *e = id && severity > 0 ? tracker_add(t, id) : NULL;
		if (e == NULL) {
			snprintf(err, errlen, "entry %zu is not an issue with an id and a severity",
			         i + 1);
			rc = -1;
			break;
		}
		const char *type = string_of(o, "type"), *message = string_of(o, "message");
		text_copy(e->type, type ? type : "", sizeof(e->type));
		text_copy(e->message, message ? message : "", sizeof(e->message));
		e->open = e->wanted_open = true;
		e->severity = (enum issue_severity)severity;
		json_object *at;
		if (json_object_object_get_ex(o, "opened_at_ms", &at))
			e->opened_ms = json_object_get_int64(at);
		/* a loaded issue has no recent message: its next change goes */
		e->sent_count = 0;
	}
	json_object_put(list);
	if (rc < 0)
		t->count = 0;
	return rc;
}
