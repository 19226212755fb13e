/* render.h - the pieces the check renderers and the outputs share: the text
 * "check line", the JSON frame every check has, and the Prometheus family
 * writer. Pure: they append to a strbuf or build json-c objects.
 */
#ifndef OPSDECK_CHECK_RENDER_H
#define OPSDECK_CHECK_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "model/snapshot.h"
#include "util/strbuf.h"

struct json_object;

/* ---- text */

/* "OK", "UNHEALTHY", "PENDING", or "-" when not configured. */
const char *render_state_word(enum check_state state);

/* "database  OK         1.2 ms  target" and, when there is one, the reason
 * on the next line under the target. */
void render_check_line(struct strbuf *b, const char *name, const struct check_common *c);

/* A duration in milliseconds: "-" when negative (unknown), "3.4 ms" under
 * ten, else as text_format_duration writes it. */
void render_duration_ms(char *dst, size_t size, double ms);

/* ---- JSON (json-c); each returns a new reference, or NULL for null */

/* {state, healthy, latency_ms, target, error, checked_at} */
struct json_object *render_json_frame(const struct check_common *c);
struct json_object *render_json_string_or_null(const char *s);
struct json_object *render_json_time(int64_t wall_ms); /* ISO 8601; null when <= 0 */
struct json_object *render_json_figure(double v);      /* null when negative */
void render_json_add_int(struct json_object *o, const char *key, int64_t v);

/* ---- Prometheus text exposition */

/* A writer: the family whose HELP and TYPE were written last. */
struct prom {
	struct strbuf *b;
	const char *family;
};

struct prom_family {
	const char *name;
	const char *type; /* gauge | counter */
	const char *help;
};

/* One sample; the family's HELP and TYPE first when it changes. labels is a
 * NULL-terminated name, value, name, value, ... list (may be NULL); values
 * are escaped as the format requires and numbers written exactly. */
void prom_sample(struct prom *p, const struct prom_family *f, const char *const *labels,
                 double value);

#endif
