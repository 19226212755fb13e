/* prometheus.c - the snapshot in Prometheus text exposition format, for
 * node_exporter's textfile collector or any scraper.
 *
 * Names are opsdeck_*, values in base units (seconds, bytes, ratios). A
 * family's HELP and TYPE are written once, just before its first sample, so
 * a family with nothing to report (a check that is down) is left out rather
 * than exported as a misleading zero.
 *
 * Values are written exactly: integers in full, other values with the
 * fewest digits that read back to the same double (a Unix time in seconds
 * keeps its milliseconds), NaN and infinities as the format spells them.
 */
#include "out/out.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct prom {
	struct strbuf *b;
	const char *family; /* the family whose header was written last */
};

struct prom_family {
	const char *name;
	const char *type; /* gauge | counter */
	const char *help;
};

static const struct prom_family F_CHECK_CONFIGURED = {
	"opsdeck_check_configured", "gauge", "Whether the check is configured (1) or not (0)."};
static const struct prom_family F_CHECK_UP = {
	"opsdeck_check_up", "gauge", "Whether a configured check is healthy (1) or not (0)."};
static const struct prom_family F_CHECK_LATENCY = {
	"opsdeck_check_latency_seconds", "gauge", "Round-trip time of the check's probe."};
static const struct prom_family F_PG_CONNECTIONS = {
	"opsdeck_pg_connections", "gauge", "PostgreSQL client backends by state."};
static const struct prom_family F_PG_MAX_CONNECTIONS = {
	"opsdeck_pg_max_connections", "gauge", "PostgreSQL max_connections."};
static const struct prom_family F_PG_IDLE_IN_TX = {
	"opsdeck_pg_idle_in_transaction_longest_seconds", "gauge",
	"Age of the longest idle-in-transaction session."};
static const struct prom_family F_PG_QUERY = {
	"opsdeck_pg_query_longest_seconds", "gauge", "Age of the longest running query."};
static const struct prom_family F_PG_LOCK_WAITERS = {
	"opsdeck_pg_lock_waiters", "gauge", "Backends waiting on a lock."};
static const struct prom_family F_REDIS_USED = {
	"opsdeck_redis_memory_used_bytes", "gauge", "Redis used_memory."};
static const struct prom_family F_REDIS_MAX = {
	"opsdeck_redis_memory_max_bytes", "gauge", "Redis maxmemory (0: no limit)."};
static const struct prom_family F_REDIS_FRAG = {
	"opsdeck_redis_memory_fragmentation_ratio", "gauge", "Redis mem_fragmentation_ratio."};
static const struct prom_family F_REDIS_CLIENTS = {
	"opsdeck_redis_connected_clients", "gauge", "Redis connected_clients."};
static const struct prom_family F_REDIS_EVICTED = {
	"opsdeck_redis_evicted_keys_total", "counter", "Keys Redis evicted since it started."};
static const struct prom_family F_REDIS_HITS = {
	"opsdeck_redis_keyspace_hits_total", "counter", "Successful Redis key lookups."};
static const struct prom_family F_REDIS_MISSES = {
	"opsdeck_redis_keyspace_misses_total", "counter", "Failed Redis key lookups."};
static const struct prom_family F_REDIS_BGSAVE = {
	"opsdeck_redis_last_bgsave_ok", "gauge", "Whether Redis's last background save succeeded."};
static const struct prom_family F_REDIS_UPTIME = {
	"opsdeck_redis_uptime_seconds", "gauge", "Seconds since Redis started."};
static const struct prom_family F_HTTP_STATUS = {
	"opsdeck_http_status_code", "gauge", "HTTP status of the health endpoint's answer."};
static const struct prom_family F_STORAGE_SIZE = {
	"opsdeck_storage_size_bytes", "gauge", "Size of the filesystem holding the path."};
static const struct prom_family F_STORAGE_FREE = {
	"opsdeck_storage_free_bytes", "gauge", "Free bytes, including those reserved for root."};
static const struct prom_family F_STORAGE_AVAIL = {
	"opsdeck_storage_available_bytes", "gauge", "Bytes available to unprivileged users."};
static const struct prom_family F_STORAGE_USED = {
	"opsdeck_storage_used_ratio", "gauge", "Used fraction of the filesystem, as df computes it."};
static const struct prom_family F_STORAGE_INODES = {
	"opsdeck_storage_inodes", "gauge", "Inodes of the filesystem holding the path."};
static const struct prom_family F_STORAGE_INODES_FREE = {
	"opsdeck_storage_inodes_free", "gauge", "Free inodes of the filesystem holding the path."};
static const struct prom_family F_REQUEST_WINDOW = {
	"opsdeck_request_window_seconds", "gauge", "Length of the request-log window measured."};
static const struct prom_family F_REQUESTS = {
	"opsdeck_requests_in_window", "gauge", "Requests the app logged in the window."};
static const struct prom_family F_REQUEST_ERRORS = {
	"opsdeck_request_errors_in_window", "gauge", "Requests answered 5xx in the window."};
static const struct prom_family F_REQUEST_ERROR_RATIO = {
	"opsdeck_request_error_ratio", "gauge", "Share of requests answered 5xx in the window."};
static const struct prom_family F_REQUEST_DURATION = {
	"opsdeck_request_duration_seconds", "gauge",
	"Request duration over the window: average, p95 and p99."};
static const struct prom_family F_SLOW_QUERIES = {
	"opsdeck_slow_queries", "gauge", "Statements whose mean time exceeds slow_query_ms."};
static const struct prom_family F_ISSUES = {
	"opsdeck_issues", "gauge", "Issues the diagnosis found, by severity."};
static const struct prom_family F_DIAGNOSIS = {
	"opsdeck_diagnosis_status", "gauge", "Overall diagnosis: 0 ok, 1 warning, 2 error."};
static const struct prom_family F_VERSION_INFO = {
	"opsdeck_version_info", "gauge", "The deployed version; the value is always 1."};
static const struct prom_family F_SNAPSHOT_TIME = {
	"opsdeck_snapshot_timestamp_seconds", "gauge", "When the snapshot was taken (Unix time)."};
static const struct prom_family F_SNAPSHOT_DURATION = {
	"opsdeck_snapshot_duration_seconds", "gauge", "How long taking the snapshot took."};

/* A label value with \, " and newline escaped, as the format requires. */
static void put_label_value(struct strbuf *b, const char *v)
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
static void put_value(struct strbuf *b, double value)
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

/* labels: NULL-terminated name, value, name, value, ... list (may be NULL). */
static void sample(struct prom *p, const struct prom_family *f, const char *const *labels,
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
			put_label_value(p->b, labels[i + 1]);
			strbuf_putc(p->b, '"');
		}
		strbuf_putc(p->b, '}');
	}
	strbuf_putc(p->b, ' ');
	put_value(p->b, value);
	strbuf_putc(p->b, '\n');
}

struct named_check {
	const char *name;
	const struct check_common *check;
};

static void checks(struct prom *p, const struct snapshot *s)
{
	const struct named_check all[] = {
		{"database", &s->database.check}, {"redis", &s->redis.check},
		{"health", &s->health.check},     {"storage", &s->storage.check},
		{"version", &s->version.check},
	};
	const size_t n = sizeof(all) / sizeof(all[0]);
	for (size_t i = 0; i < n; i++) {
		const char *labels[] = {"check", all[i].name, NULL};
		sample(p, &F_CHECK_CONFIGURED, labels, all[i].check->state != CHECK_NOT_CONFIGURED);
	}
	for (size_t i = 0; i < n; i++) {
		const char *labels[] = {"check", all[i].name, NULL};
		if (all[i].check->state == CHECK_OK || all[i].check->state == CHECK_UNHEALTHY)
			sample(p, &F_CHECK_UP, labels, all[i].check->state == CHECK_OK);
	}
	for (size_t i = 0; i < n; i++) {
		const char *labels[] = {"check", all[i].name, NULL};
		if (all[i].check->latency_ms >= 0)
			sample(p, &F_CHECK_LATENCY, labels, all[i].check->latency_ms / 1000.0);
	}
}

static void database(struct prom *p, const struct pg_status *pg)
{
	if (pg->check.state != CHECK_OK)
		return;
	const struct {
		const char *state;
		int count;
	} by_state[] = {{"active", pg->connections_active},
	                {"idle", pg->connections_idle},
	                {"idle_in_transaction", pg->connections_idle_in_tx},
	                {"other", pg->connections_other}};
	for (size_t i = 0; i < sizeof(by_state) / sizeof(by_state[0]); i++) {
		const char *labels[] = {"state", by_state[i].state, NULL};
		sample(p, &F_PG_CONNECTIONS, labels, by_state[i].count);
	}
	sample(p, &F_PG_MAX_CONNECTIONS, NULL, pg->max_connections);
	sample(p, &F_PG_IDLE_IN_TX, NULL, pg->longest_idle_in_tx_s);
	sample(p, &F_PG_QUERY, NULL, pg->longest_query_s);
	sample(p, &F_PG_LOCK_WAITERS, NULL, pg->lock_waiters);
}

static void redis(struct prom *p, const struct redis_status *r)
{
	if (r->check.state != CHECK_OK)
		return;
	sample(p, &F_REDIS_USED, NULL, (double)r->used_memory);
	sample(p, &F_REDIS_MAX, NULL, (double)r->maxmemory);
	sample(p, &F_REDIS_FRAG, NULL, r->fragmentation_ratio);
	sample(p, &F_REDIS_CLIENTS, NULL, (double)r->connected_clients);
	sample(p, &F_REDIS_EVICTED, NULL, (double)r->evicted_keys);
	sample(p, &F_REDIS_HITS, NULL, (double)r->keyspace_hits);
	sample(p, &F_REDIS_MISSES, NULL, (double)r->keyspace_misses);
	sample(p, &F_REDIS_BGSAVE, NULL, r->last_bgsave_ok);
	sample(p, &F_REDIS_UPTIME, NULL, (double)r->uptime_s);
}

static void storage(struct prom *p, const struct storage_status *st)
{
	const struct prom_family *families[] = {&F_STORAGE_SIZE,  &F_STORAGE_FREE,
	                                        &F_STORAGE_AVAIL, &F_STORAGE_USED,
	                                        &F_STORAGE_INODES, &F_STORAGE_INODES_FREE};
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		for (int i = 0; i < st->path_count; i++) {
			const struct disk_status *d = &st->paths[i];
			if (d->error[0])
				continue;
			const char *labels[] = {"path", d->path, NULL};
			const double values[] = {(double)d->total_bytes,  (double)d->free_bytes,
			                         (double)d->avail_bytes,  d->used_percent / 100.0,
			                         (double)d->inodes_total, (double)d->inodes_free};
			sample(p, families[f], labels, values[f]);
		}
	}
}

static void requests(struct prom *p, const struct request_metrics *m)
{
	if (m->check.state != CHECK_OK)
		return;
	sample(p, &F_REQUEST_WINDOW, NULL, (double)m->window_ms / 1000.0);
	sample(p, &F_REQUESTS, NULL, (double)m->requests);
	sample(p, &F_REQUEST_ERRORS, NULL, (double)m->errors);
	if (m->error_rate >= 0)
		sample(p, &F_REQUEST_ERROR_RATIO, NULL, m->error_rate);
	const struct {
		const char *stat;
		double ms;
	} stats[] = {{"avg", m->avg_ms}, {"p95", m->p95_ms}, {"p99", m->p99_ms}};
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++) {
		const char *labels[] = {"stat", stats[i].stat, NULL};
		if (stats[i].ms >= 0)
			sample(p, &F_REQUEST_DURATION, labels, stats[i].ms / 1000.0);
	}
}

static void diagnosis(struct prom *p, const struct diagnosis *d)
{
	const enum issue_severity severities[] = {SEVERITY_HIGH, SEVERITY_MEDIUM, SEVERITY_LOW};
	for (size_t s = 0; s < sizeof(severities) / sizeof(severities[0]); s++) {
		int n = 0;
		for (int i = 0; i < d->count; i++)
			n += d->issues[i].severity == severities[s];
		const char *labels[] = {"severity", issue_severity_name(severities[s]), NULL};
		sample(p, &F_ISSUES, labels, n);
	}
	sample(p, &F_DIAGNOSIS, NULL, d->status);
}

void out_prometheus(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	struct prom p = {b, NULL};
	checks(&p, s);
	database(&p, &s->database);
	redis(&p, &s->redis);
	if (s->health.status_code) {
		const char *labels[] = {"check", "health", NULL};
		sample(&p, &F_HTTP_STATUS, labels, s->health.status_code);
	}
	storage(&p, &s->storage);
	requests(&p, &s->requests);
	if (s->slow_queries.check.state == CHECK_OK)
		sample(&p, &F_SLOW_QUERIES, NULL, s->slow_queries.count);
	if (d)
		diagnosis(&p, d);
	if (s->version.check.state == CHECK_OK) {
		const struct version_status *v = &s->version;
		const char *labels[] = {"version",     v->version,     "build_number", v->build_number,
		                        "commit_hash", v->commit_hash, "build_date",   v->build_date,
		                        NULL};
		sample(&p, &F_VERSION_INFO, labels, 1);
	}
	sample(&p, &F_SNAPSHOT_TIME, NULL, (double)s->taken_at_ms / 1000.0);
	sample(&p, &F_SNAPSHOT_DURATION, NULL, (double)s->duration_ms / 1000.0);
}
