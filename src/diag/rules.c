/* rules.c - the diagnosis rules: a Snapshot and the thresholds in, Issues out
 * (see diagnose.h).
 *
 * Each rule is one function in the `rules` table; it looks at one part of the
 * snapshot and adds zero or more issues. Severity follows the seed: a backend
 * that is down is high, as is an error rate over the limit; slowness is
 * medium; what only limits opsdeck's own view (no index, no statistics) is
 * low. Rules never do I/O and never read the clock, so the same snapshot
 * always gives the same issues.
 */
#include "diag/diagnose.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"

struct rule_context {
	const struct snapshot *now;
	const struct snapshot *previous; /* may be NULL */
	const struct config *cfg;
	struct diagnosis *out;
};

/* Adds an issue; `subject` makes the id unique when one rule can fire more
 * than once (a storage path). The message and recommendation are formatted
 * from snapshot text that is already sanitised. */
static struct issue *add_issue(const struct rule_context *ctx, enum issue_type type,
                               enum issue_severity severity, const char *subject)
{
	struct diagnosis *d = ctx->out;
	if (d->count >= ISSUE_MAX)
		return NULL;
	struct issue *issue = &d->issues[d->count++];
	memset(issue, 0, sizeof(*issue));
	issue->type = type;
	issue->severity = severity;
	if (subject && *subject)
		snprintf(issue->id, sizeof(issue->id), "%s:%s", ISSUE_TYPES[type].name, subject);
	else
		snprintf(issue->id, sizeof(issue->id), "%s", ISSUE_TYPES[type].name);
	const struct config_actions *actions = &ctx->cfg->actions;
	for (size_t i = 0; i < actions->counts[type] && i < ISSUE_MAX_ACTIONS; i++)
		text_copy(issue->actions[issue->action_count++], actions->names[type][i],
		          sizeof(issue->actions[0]));
	return issue;
}

static void say(char *dst, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

#define MESSAGE(issue, ...) say((issue)->message, sizeof((issue)->message), __VA_ARGS__)
#define RECOMMEND(issue, ...)                                                                      \
	say((issue)->recommendation, sizeof((issue)->recommendation), __VA_ARGS__)

static void window_text(char *dst, size_t size, int64_t window_ms)
{
	text_format_duration(dst, size, window_ms);
}

/* ------------------------------------------------------------ backends */

static void rule_database_down(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	if (pg->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = add_issue(ctx, ISSUE_DATABASE_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "PostgreSQL is unhealthy: %s", pg->check.error);
	RECOMMEND(i, "Check that PostgreSQL is running and reachable (pg_isready), and read its "
	             "log; if the server is fine, the app's pool may hold broken connections.");
}

static void rule_redis_down(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	if (r->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = add_issue(ctx, ISSUE_REDIS_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "Redis is unhealthy: %s", r->check.error);
	RECOMMEND(i, "Check that redis-server is running (systemctl status redis-server) and read "
	             "its log; the app serves from the database without its cache, slower.");
}

static void rule_app_down(const struct rule_context *ctx)
{
	const struct http_status *h = &ctx->now->health;
	if (h->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = add_issue(ctx, ISSUE_APP_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "The app's health check failed: %s", h->check.error);
	RECOMMEND(i, "Read the app's log (pm2 logs); if it is stuck, restart it. If the health "
	             "check itself reports the database or cache, fix that first.");
}

static void rule_storage_full(const struct rule_context *ctx)
{
	const struct storage_status *st = &ctx->now->storage;
	for (int p = 0; p < st->path_count; p++) {
		const struct disk_status *d = &st->paths[p];
		if (d->state != CHECK_UNHEALTHY)
			continue;
		struct issue *i = add_issue(ctx, ISSUE_STORAGE_FULL, SEVERITY_HIGH, d->path);
		if (!i)
			return;
		if (d->error[0]) {
			MESSAGE(i, "Storage %s cannot be checked: %s", d->path, d->error);
			RECOMMEND(i,
			          "Check that %s exists and its filesystem is mounted and "
			          "responding.",
			          d->path);
		} else {
			char avail[32];
			text_format_bytes(avail, sizeof(avail), d->avail_bytes);
			MESSAGE(i, "Storage %s is %.1f%% full (limit %.0f%%), %s available",
			        d->path, d->used_percent, st->max_used_percent, avail);
			RECOMMEND(i,
			          "Free space on %s: old logs (journalctl --vacuum-size), old "
			          "local backups, build caches; or grow the filesystem.",
			          d->path);
		}
	}
}

/* ------------------------------------------------------------ performance */

static void rule_error_rate(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	double limit = ctx->cfg->thresholds.error_rate;
	if (m->check.state != CHECK_OK || m->error_rate < 0 || m->error_rate <= limit)
		return;
	struct issue *i = add_issue(ctx, ISSUE_ERROR_RATE, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	char window[32];
	window_text(window, sizeof(window), m->window_ms);
	MESSAGE(i,
	        "Error rate %.1f%% over the last %s (limit %.1f%%): %lld of %lld requests "
	        "answered 5xx",
	        m->error_rate * 100, window, limit * 100, (long long)m->errors,
	        (long long)m->requests);
	RECOMMEND(i, "Find the failing routes in the app's log; a recent deploy is the usual "
	             "suspect (compare the version). Restart the app if it is stuck.");
}

static void rule_slow_response(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	int64_t limit = ctx->cfg->thresholds.avg_response_ms;
	if (m->check.state != CHECK_OK || m->avg_ms < 0 || m->avg_ms <= (double)limit)
		return;
	struct issue *i = add_issue(ctx, ISSUE_SLOW_RESPONSE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char window[32];
	window_text(window, sizeof(window), m->window_ms);
	MESSAGE(i, "Average response %.0f ms over the last %s (limit %lld ms)", m->avg_ms, window,
	        (long long)limit);
	RECOMMEND(i, "Look at the slow queries and the cache hit rate; a cold or flushed cache "
	             "and missing indexes are the usual causes.");
}

static void rule_p95_response(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	int64_t limit = ctx->cfg->thresholds.p95_response_ms;
	if (m->check.state != CHECK_OK || m->p95_ms < 0 || m->p95_ms <= (double)limit)
		return;
	struct issue *i = add_issue(ctx, ISSUE_P95_RESPONSE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "p95 response %.0f ms (limit %lld ms); p99 %.0f ms", m->p95_ms, (long long)limit,
	        m->p99_ms);
	RECOMMEND(i, "One in twenty requests is slow: look for slow queries, lock waits and "
	             "slow external calls on the app's heaviest routes.");
}

/* A statement that touches fewer shared buffers a call than this (800 KB)
 * did not spend its time reading: an index cannot make it faster. It waited
 * on a lock, on the client or in a function such as pg_sleep.
 * pg_stat_statements has no lock time, so the buffers per call are what
 * tell waiting from working. */
#define SLOW_QUERY_READING_BLOCKS 100

static void rule_slow_queries(const struct rule_context *ctx)
{
	const struct slow_query_status *sq = &ctx->now->slow_queries;
	if (sq->check.state != CHECK_OK || sq->count == 0)
		return;
	struct issue *i = add_issue(ctx, ISSUE_SLOW_QUERIES, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	const struct slow_query *worst = &sq->items[0];
	char span[48] = "since the statistics were reset";
	if (sq->span == SLOW_SPAN_WINDOW) {
		char since[32];
		window_text(since, sizeof(since), sq->span_ms);
		snprintf(span, sizeof(span), "in the last %s", since);
	}
	MESSAGE(i, "%d %s averaged over %lld ms %s; slowest %.0f ms over %lld %s: %.80s", sq->count,
	        text_plural(sq->count, "query", "queries"), (long long)sq->threshold_ms, span,
	        worst->mean_ms, (long long)worst->calls, text_plural(worst->calls, "call", "calls"),
	        worst->text_hidden ? "(text hidden)" : worst->query);
	if (worst->blocks_per_call < SLOW_QUERY_READING_BLOCKS)
		RECOMMEND(i,
		          "The slowest reads only %.0f buffers a call, so an index will not help: "
		          "its time went to waiting (a lock, the client, a function such as "
		          "pg_sleep). If sessions wait on a lock, end the one holding it; cancel "
		          "a runaway call.",
		          worst->blocks_per_call);
	else
		RECOMMEND(i,
		          "The slowest reads %.0f buffers a call: EXPLAIN (ANALYZE, BUFFERS) it "
		          "and add the index it lacks; cancel a runaway one.",
		          worst->blocks_per_call);
}

static void rule_query_stats(const struct rule_context *ctx)
{
	const struct slow_query_status *sq = &ctx->now->slow_queries;
	if (sq->check.state != CHECK_UNHEALTHY && sq->problem == SLOW_QUERY_OK)
		return;
	if (ctx->now->database.check.state != CHECK_OK)
		return; /* the database issue says it all */
	struct issue *i = add_issue(ctx, ISSUE_QUERY_STATS, SEVERITY_LOW, NULL);
	if (!i)
		return;
	MESSAGE(i, "Slow queries cannot be read: %s",
	        sq->check.error[0] ? sq->check.error : "pg_stat_statements gave nothing");
	switch (sq->problem) {
	case SLOW_QUERY_NOT_INSTALLED:
		RECOMMEND(i, "Run CREATE EXTENSION pg_stat_statements; in the app's database.");
		break;
	case SLOW_QUERY_NOT_PRELOADED:
		RECOMMEND(i, "Add pg_stat_statements to shared_preload_libraries in "
		             "postgresql.conf and restart PostgreSQL.");
		break;
	case SLOW_QUERY_NO_PRIVILEGE:
		RECOMMEND(i, "GRANT pg_read_all_stats TO the user opsdeck connects as, to see "
		             "other users' query texts.");
		break;
	case SLOW_QUERY_OK:
	case SLOW_QUERY_FAILED:
		RECOMMEND(i, "Check the error above; opsdeck reads pg_stat_statements.");
		break;
	}
}

static void rule_request_log(const struct rule_context *ctx)
{
	const struct request_metrics *m = &ctx->now->requests;
	if (ctx->now->database.check.state != CHECK_OK)
		return;
	if (m->check.state == CHECK_UNHEALTHY) {
		struct issue *i = add_issue(ctx, ISSUE_REQUEST_LOG, SEVERITY_LOW, NULL);
		if (!i)
			return;
		MESSAGE(i, "No request metrics: %s", m->check.error);
		RECOMMEND(i, "Set [database] request_log to the app's request log table (Prisma "
		             "model RequestLog, columns \"timestamp\", \"duration\", "
		             "\"statusCode\").");
	} else if (m->check.state == CHECK_OK && m->timestamp_index_missing) {
		struct issue *i = add_issue(ctx, ISSUE_REQUEST_LOG, SEVERITY_LOW, "index");
		if (!i)
			return;
		MESSAGE(i, "The request log has no index on \"timestamp\": every poll scans it");
		RECOMMEND(i, "%s",
		          m->index_hint[0] ? m->index_hint
		                           : "Create an index on the \"timestamp\" column.");
	}
}

/* ------------------------------------------------------------ redis */

static void rule_redis_memory(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	double limit = ctx->cfg->thresholds.redis_memory_ratio;
	if (r->check.state != CHECK_OK || r->maxmemory <= 0)
		return;
	double ratio = (double)r->used_memory / (double)r->maxmemory;
	if (ratio <= limit)
		return;
	struct issue *i = add_issue(ctx, ISSUE_REDIS_MEMORY, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char used[32], max[32];
	text_format_bytes(used, sizeof(used), (uint64_t)r->used_memory);
	text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
	MESSAGE(i, "Redis uses %s of its %s maxmemory (%.0f%%, limit %.0f%%)", used, max,
	        ratio * 100, limit * 100);
	RECOMMEND(i, "Raise maxmemory, give cache keys a TTL, or clear the cache; at the limit "
	             "Redis evicts keys or refuses writes, depending on maxmemory-policy.");
}

static void rule_redis_evictions(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	if (r->check.state != CHECK_OK || r->evicted_keys <= 0)
		return;
	const struct redis_status *before = ctx->previous ? &ctx->previous->redis : NULL;
	bool have_trend =
	    before && before->check.state == CHECK_OK && before->evicted_keys <= r->evicted_keys;
	if (have_trend && before->evicted_keys == r->evicted_keys)
		return; /* nothing evicted since the last poll */
	struct issue *i = add_issue(ctx, ISSUE_REDIS_EVICTIONS,
	                            have_trend ? SEVERITY_MEDIUM : SEVERITY_LOW, NULL);
	if (!i)
		return;
	if (have_trend)
		MESSAGE(i, "Redis is evicting keys: %lld since the last poll (%lld in all)",
		        (long long)(r->evicted_keys - before->evicted_keys),
		        (long long)r->evicted_keys);
	else
		MESSAGE(i, "Redis has evicted %lld %s since it started", (long long)r->evicted_keys,
		        text_plural(r->evicted_keys, "key", "keys"));
	RECOMMEND(i, "The cache is too small for its working set: raise maxmemory or shorten "
	             "TTLs.");
}

static void rule_redis_bgsave(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	if (r->check.state != CHECK_OK || r->last_bgsave_ok)
		return;
	struct issue *i = add_issue(ctx, ISSUE_REDIS_BGSAVE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "Redis's last background save failed");
	RECOMMEND(i, "Read the Redis log: usually a full disk or a permission problem on its "
	             "dir; with stop-writes-on-bgsave-error Redis refuses writes until a save "
	             "succeeds.");
}

/* ------------------------------------------------------------ database */

static void rule_connections(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	double ratio = ctx->cfg->thresholds.connections_ratio;
	if (pg->check.state != CHECK_OK || pg->max_connections <= 0)
		return;
	if ((double)pg->connections_total <= ratio * pg->max_connections)
		return;
	struct issue *i = add_issue(ctx, ISSUE_CONNECTIONS, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i,
	        "%d of %d PostgreSQL connections in use (limit %.0f%%): %d active, %d idle, %d "
	        "idle in transaction",
	        pg->connections_total, pg->max_connections, ratio * 100, pg->connections_active,
	        pg->connections_idle, pg->connections_idle_in_tx);
	RECOMMEND(i, "Lower the app's pool size (connection_limit) or put PgBouncer in front; "
	             "sessions idle in transaction hold connections for nothing.");
}

static void rule_idle_in_transaction(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	int64_t limit = ctx->cfg->thresholds.idle_in_tx_ms;
	if (pg->check.state != CHECK_OK || pg->longest_idle_in_tx_s * 1000 <= (double)limit)
		return;
	struct issue *i = add_issue(ctx, ISSUE_IDLE_IN_TRANSACTION, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char age[32], lim[32];
	text_format_duration(age, sizeof(age), (int64_t)(pg->longest_idle_in_tx_s * 1000));
	text_format_duration(lim, sizeof(lim), limit);
	MESSAGE(i, "A session has been idle in transaction for %s (limit %s); %d such %s", age, lim,
	        pg->connections_idle_in_tx,
	        text_plural(pg->connections_idle_in_tx, "session", "sessions"));
	RECOMMEND(i, "It holds locks and blocks vacuum: end it so the app's pool reconnects, "
	             "and set idle_in_transaction_session_timeout.");
}

static void rule_lock_waiters(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	int64_t limit = ctx->cfg->thresholds.lock_waiters;
	if (pg->check.state != CHECK_OK || pg->lock_waiters < limit)
		return;
	struct issue *i = add_issue(ctx, ISSUE_LOCK_WAITERS, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "%d backend%s waiting on a lock", pg->lock_waiters,
	        pg->lock_waiters == 1 ? " is" : "s are");
	RECOMMEND(i, "Find the blocker with pg_blocking_pids() (listed first when you pick a "
	             "pid); a long transaction or a migration is the usual cause. End it with "
	             "terminate-query if it is safe to: cancelling does nothing to a session "
	             "idle in transaction.");
}

/* ------------------------------------------------------------ version */

static void rule_version(const struct rule_context *ctx)
{
	const struct version_status *v = &ctx->now->version;
	if (v->check.state == CHECK_UNHEALTHY) {
		struct issue *i = add_issue(ctx, ISSUE_VERSION_UNKNOWN, SEVERITY_LOW, NULL);
		if (!i)
			return;
		MESSAGE(i, "The deployed version is unknown: %s", v->check.error);
		RECOMMEND(i, "Run opsdeck version-file in the build, and check that the app serves "
		             "/api/version.");
		return;
	}
	if (v->check.state != CHECK_OK || v->source != VERSION_SOURCE_URL || !v->file_version[0])
		return;
	bool version_differs = strcmp(v->version, v->file_version) != 0;
	bool commit_differs = v->commit_hash[0] && v->file_commit_hash[0] &&
	                      strcmp(v->commit_hash, v->file_commit_hash) != 0;
	if (!version_differs && !commit_differs)
		return;
	struct issue *i = add_issue(ctx, ISSUE_VERSION_MISMATCH, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	MESSAGE(i, "The app serves %s (%s) but version_file says %s (%s): a half-done deploy?",
	        v->version, v->commit_hash[0] ? v->commit_hash : "-", v->file_version,
	        v->file_commit_hash[0] ? v->file_commit_hash : "-");
	RECOMMEND(i, "Finish the deploy or restart the app so it serves the build on disk.");
}

/* ------------------------------------------------------------ backups */

#define BACKUP_MAX_AGE_MS (24 * 3600 * 1000LL)

/* No successful database backup in the last 24 h (or none at all, or the
 * target cannot be listed), when a target is configured and was listed. */
static void rule_backup_stale(const struct rule_context *ctx)
{
	const struct backup_status *b = &ctx->now->backup;
	if (!b->listed)
		return;
	if (b->error[0]) {
		struct issue *i = add_issue(ctx, ISSUE_BACKUP_STALE, SEVERITY_MEDIUM, NULL);
		if (!i)
			return;
		MESSAGE(i, "Backup freshness unknown: the backups at %s cannot be listed: %s",
		        b->target, b->error);
		RECOMMEND(i, "Check the target, its credentials (AWS_*) and the endpoint; then run "
		             "opsdeck backup list.");
		return;
	}
	if (b->newest_ms <= 0) {
		struct issue *i = add_issue(ctx, ISSUE_BACKUP_STALE, SEVERITY_MEDIUM, NULL);
		if (!i)
			return;
		MESSAGE(i, "No complete database backup at %s", b->target);
		RECOMMEND(i, "Run opsdeck backup db (or press b), and schedule it (cron, a systemd "
		             "timer) at least daily.");
		return;
	}
	int64_t age = ctx->now->taken_at_ms - b->newest_ms;
	if (age <= BACKUP_MAX_AGE_MS)
		return;
	struct issue *i = add_issue(ctx, ISSUE_BACKUP_STALE, SEVERITY_MEDIUM, NULL);
	if (!i)
		return;
	char when[32];
	text_format_duration(when, sizeof(when), age);
	MESSAGE(i, "No successful database backup in the last 24 h: the newest, %s, is %s old",
	        b->newest_key, when);
	RECOMMEND(i, "Run opsdeck backup db now, then find out why the scheduled backup stopped "
	             "(its log, the audit log).");
}

#define UNFINISHED_MAX_AGE_MS (3600 * 1000LL)

/* Writes left unfinished at the target for over an hour (a kill, an S3 or
 * disk failure): S3 keeps charging for the parts of a multipart upload until
 * it is aborted, and .partial files take disk space. Low: no backup is lost. */
static void rule_backup_unfinished(const struct rule_context *ctx)
{
	const struct backup_status *b = &ctx->now->backup;
	if (!b->listed || b->unfinished == 0 || b->unfinished_oldest_ms <= 0)
		return;
	int64_t age = ctx->now->taken_at_ms - b->unfinished_oldest_ms;
	/* one a backup's cleanup recorded as left behind is known dead now */
	if (age <= UNFINISHED_MAX_AGE_MS && b->left_behind == 0)
		return;
	struct issue *i = add_issue(ctx, ISSUE_BACKUP_UNFINISHED, SEVERITY_LOW, NULL);
	if (!i)
		return;
	char when[32];
	text_format_duration(when, sizeof(when), age);
	bool s3 = strncmp(b->target, "s3://", 5) == 0;
	const char *what = s3 ? (b->unfinished == 1 ? "upload" : "uploads")
	                      : (b->unfinished == 1 ? "partial file" : "partial files");
	if (b->left_behind)
		MESSAGE(i,
		        "%u unfinished %s at %s; %s, left behind by a backup whose cleanup "
		        "failed (see opsdeck audit), will never complete",
		        b->unfinished, what, b->target, b->left_behind_key);
	else
		MESSAGE(i, "%u unfinished %s at %s; the oldest, %s, began %s ago", b->unfinished,
		        what, b->target, b->unfinished_oldest_key, when);
	if (s3 && b->left_behind)
		RECOMMEND(i, "Abort it (opsdeck backup list shows the upload id; aws s3api "
		             "abort-multipart-upload) and give the bucket a lifecycle rule "
		             "AbortIncompleteMultipartUpload.");
	else if (s3)
		RECOMMEND(i,
		          "If no backup has been running that long, abort them (opsdeck backup "
		          "list shows the upload ids; aws s3api abort-multipart-upload) and give "
		          "the bucket a lifecycle rule AbortIncompleteMultipartUpload.");
	else
		RECOMMEND(i, "If no backup has been running that long, remove the .partial files "
		             "(opsdeck backup list shows them): they are never a usable backup.");
}

/* ------------------------------------------------------------ engine */

static void (*const rules[])(const struct rule_context *) = {
    rule_database_down,     rule_redis_down,   rule_app_down,
    rule_storage_full,      rule_error_rate,   rule_slow_response,
    rule_p95_response,      rule_slow_queries, rule_query_stats,
    rule_request_log,       rule_redis_memory, rule_redis_evictions,
    rule_redis_bgsave,      rule_connections,  rule_idle_in_transaction,
    rule_lock_waiters,      rule_version,      rule_backup_stale,
    rule_backup_unfinished,
};

/* Most severe first; equal severities keep rule order (a stable sort). */
static void sort_by_severity(struct diagnosis *d)
{
	for (int a = 1; a < d->count; a++) {
		struct issue moving = d->issues[a];
		int b = a;
		while (b > 0 && d->issues[b - 1].severity < moving.severity) {
			d->issues[b] = d->issues[b - 1];
			b--;
		}
		d->issues[b] = moving;
	}
}

void diagnose(const struct snapshot *now, const struct snapshot *previous, const struct config *cfg,
              struct diagnosis *out)
{
	memset(out, 0, sizeof(*out));
	struct rule_context ctx = {now, previous, cfg, out};
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++)
		rules[r](&ctx);
	sort_by_severity(out);
	out->status = DIAGNOSIS_OK;
	for (int i = 0; i < out->count; i++) {
		if (out->issues[i].severity == SEVERITY_HIGH)
			out->status = DIAGNOSIS_ERROR;
		else if (out->status == DIAGNOSIS_OK)
			out->status = DIAGNOSIS_WARNING;
	}
}
