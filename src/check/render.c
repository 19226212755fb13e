/* render.c - shared rendering pieces (render.h). */
#include "check/render.h"

#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/clock.h"
#include "util/text.h"

const char *render_state_word(enum check_state state)
{
	switch (state) {
	case CHECK_OK:
		return "OK";
	case CHECK_UNHEALTHY:
		return "UNHEALTHY";
	case CHECK_PENDING:
		return "PENDING";
	case CHECK_NOT_CONFIGURED:
		break;
	}
	return "-";
}

void render_check_line(struct strbuf *b, const char *name, const struct check_common *c)
{
	char latency[32] = "";
	if (c->latency_ms >= 0) {
		if (c->latency_ms < 10)
			snprintf(latency, sizeof(latency), "%.1f ms", c->latency_ms);
		else
			text_format_duration(latency, sizeof(latency), (int64_t)c->latency_ms);
	}
	strbuf_printf(b, "%-9s %-10s %9s  %s\n", name, render_state_word(c->state), latency,
	              c->state == CHECK_NOT_CONFIGURED ? "not configured" : c->target);
	if (c->error[0])
		strbuf_printf(b, "%31s%s\n", "", c->error);
}

void render_duration_ms(char *dst, size_t size, double ms)
{
	if (ms < 0)
		snprintf(dst, size, "-");
	else if (ms < 10)
		snprintf(dst, size, "%.1f ms", ms);
	else
		text_format_duration(dst, size, (int64_t)ms);
}

json_object *render_json_string_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

json_object *render_json_time(int64_t wall_ms)
{
	if (wall_ms <= 0)
		return NULL;
	char buf[32];
	clock_format_iso8601(buf, sizeof(buf), wall_ms);
	return json_object_new_string(buf);
}

json_object *render_json_figure(double v)
{
	return v >= 0 ? json_object_new_double(v) : NULL;
}

void render_json_add_int(json_object *o, const char *key, int64_t v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

json_object *render_json_frame(const struct check_common *c)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(check_state_name(c->state)));
	json_object_object_add(o, "healthy", json_object_new_boolean(c->state == CHECK_OK));
	json_object_object_add(o, "latency_ms",
	                       c->latency_ms >= 0 ? json_object_new_double(c->latency_ms) : NULL);
	json_object_object_add(o, "target", render_json_string_or_null(c->target));
	json_object_object_add(o, "error", render_json_string_or_null(c->error));
	json_object_object_add(o, "checked_at", render_json_time(c->checked_at_ms));
	return o;
}

/* A label value with \, " and newline escaped, as the format requires. */
static void prom_put_label_value(struct strbuf *b, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\')
			strbuf_puts(b, "\\\\");
		else if (*v == '"')
			strbuf_puts(b, "\\\"");
		else if (*v == '\n')
			strbuf_puts(b, "\\n");
		else
			strbuf_putc(b, *v);
	}
}

/* value as the exposition format reads it, with no precision lost: %.0f
 * for an integer that a double holds exactly (up to 2^53), else the
 * shortest of %.15g, %.16g and %.17g that strtod reads back unchanged. */
static void prom_put_value(struct strbuf *b, double value)
{
	if (isnan(value)) {
		strbuf_puts(b, "NaN");
		return;
	}
	if (isinf(value)) {
		strbuf_puts(b, value > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (value == floor(value) && fabs(value) <= 9007199254740992.0) {
		strbuf_printf(b, "%.0f", value);
		return;
	}
	char text[32];
	for (int digits = 15; digits <= 17; digits++) {
		snprintf(text, sizeof(text), "%.*g", digits, value);
		if (strtod(text, NULL) == value)
			break;
	}
	strbuf_puts(b, text);
}

void prom_sample(struct prom *p, const struct prom_family *f, const char *const *labels,
                 double value)
{
	if (!p->family || strcmp(p->family, f->name) != 0) {
		strbuf_printf(p->b, "# HELP %s %s\n# TYPE %s %s\n", f->name, f->help, f->name,
		              f->type);
		p->family = f->name;
	}
	strbuf_puts(p->b, f->name);
	if (labels && labels[0]) {
		strbuf_putc(p->b, '{');
		for (size_t i = 0; labels[i]; i += 2) {
			strbuf_printf(p->b, "%s%s=\"", i ? "," : "", labels[i]);
			prom_put_label_value(p->b, labels[i + 1]);
			strbuf_putc(p->b, '"');
		}
		strbuf_putc(p->b, '}');
	}
	strbuf_putc(p->b, ' ');
	prom_put_value(p->b, value);
	strbuf_putc(p->b, '\n');
}
