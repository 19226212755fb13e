/* snapshot.c - helpers over the plain Snapshot data (see snapshot.h). */
#include "model/snapshot.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "model/redact.h"
#include "util/sanitize.h"
#include "util/text.h"

const char *check_state_name(enum check_state state)
{
	switch (state) {
	case CHECK_NOT_CONFIGURED:
		return "not configured";
	case CHECK_PENDING:
		return "pending";
	case CHECK_OK:
		return "ok";
	case CHECK_UNHEALTHY:
		return "unhealthy";
	}
	return "unknown";
}

static void check_init(struct check_common *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CHECK_PENDING;
	c->latency_ms = -1;
}

void snapshot_init(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	check_init(&s->version.check);
	check_init(&s->database.check);
	check_init(&s->redis.check);
	check_init(&s->health.check);
	check_init(&s->storage.check);
	check_init(&s->connections.check);
	check_init(&s->backup_drill.check);
	s->connections.connection_limit = -1;
	s->redis.hit_rate = -1;
	pg_upkeep_reset(&s->pg_upkeep);
	locks_init(&s->locks);
	pgbouncer_reset(&s->pgbouncer);
	redis_load_init(&s->redis_load);
	snprintf(s->version.version, sizeof(s->version.version), "unknown");
}

void check_set_target(struct check_common *c, const char *target)
{
	char redacted[sizeof(c->target) * 2];
	url_redact(redacted, sizeof(redacted), target ? target : "");
	sanitize_text(c->target, sizeof(c->target), redacted);
}

void check_set_error(struct check_common *c, enum check_state state, const char *fmt, ...)
{
	char raw[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	redact_text(raw, sizeof(raw));
	sanitize_text(c->error, sizeof(c->error), raw);
	c->state = state;
}

double request_metrics_per_minute(const struct request_metrics *m)
{
	double minutes = m->window_ms > 0 ? (double)m->window_ms / 60000.0 : 0;
	return minutes > 0 ? (double)m->requests / minutes : 0;
}

double redis_memory_percent(const struct redis_status *r)
{
	return r->maxmemory > 0 ? 100.0 * (double)r->used_memory / (double)r->maxmemory : -1;
}

void slow_query_span_text(const struct slow_query_status *sq, bool brief, char *dst, size_t size)
{
	char last[32];
	switch (sq->span) {
	case SLOW_SPAN_WINDOW:
		text_format_duration(last, sizeof(last), sq->span_ms);
		snprintf(dst, size, brief ? "last %s" : "in the last %s", last);
		return;
	case SLOW_SPAN_BASELINE:
		snprintf(dst, size, "%s", brief ? "from now" : "since this poll");
		return;
	case SLOW_SPAN_SINCE_RESET:
		break;
	}
	snprintf(dst, size, "%s", brief ? "since reset" : "since the statistics were reset");
}

bool disk_over_limit(const struct disk_status *d, double max_used_percent)
{
	return d->used_percent >= max_used_percent;
}
