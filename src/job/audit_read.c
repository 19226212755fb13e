/* audit_read.c - the audit log read back: one record at a time, for the
 * notifications and the incident report (audit.h). */
#include "job/audit.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"

static void entry_text(json_object *o, const char *key, char *dst, size_t size)
{
	json_object *v;
	dst[0] = '\0';
	if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		sanitize_text(dst, size, json_object_get_string(v));
}

int audit_entry_parse(const char *line, struct audit_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->duration_ms = -1;
	e->at_ms = -1;
	json_object *o = json_tokener_parse(line);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return -1;
	}
	char at[64];
	entry_text(o, "time", at, sizeof(at));
	if (clock_parse_iso8601(at, &e->at_ms) < 0)
		e->at_ms = -1;
	entry_text(o, "phase", e->phase, sizeof(e->phase));
	entry_text(o, "action", e->action, sizeof(e->action));
	entry_text(o, "result", e->result, sizeof(e->result));
	entry_text(o, "target", e->target, sizeof(e->target));
	entry_text(o, "detail", e->detail, sizeof(e->detail));
	entry_text(o, "user", e->user, sizeof(e->user));
	entry_text(o, "id", e->id, sizeof(e->id));
	json_object *v;
	e->dry_run = json_object_object_get_ex(o, "dry_run", &v) && json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "duration_ms", &v) &&
	    json_object_is_type(v, json_type_int))
		e->duration_ms = json_object_get_int64(v);
	json_object_put(o);
	return 0;
}

bool audit_entry_told(const struct audit_entry *e)
{
	return strcmp(e->phase, "outcome") == 0 && !e->dry_run && e->result[0] &&
	       strcmp(e->result, "declined") != 0;
}

int audit_each_entry(const char *path, int (*each)(const struct audit_entry *e, void *ctx),
                     void *ctx, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (f == NULL) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read the audit log %s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int count = 0;
	while (getline(&line, &cap, f) >= 0) {
		struct audit_entry e;
		if (audit_entry_parse(line, &e) < 0)
			continue; /* a torn or foreign line */
		count++;
		if (each(&e, ctx) != 0)
			break;
	}
	free(line);
	fclose(f);
	return count;
}
