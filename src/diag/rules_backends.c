/* rules_backends.c - the rules on backends that are down or full (see rule.h). */
#include "diag/rule.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

void rule_database_down(const struct rule_context *ctx)
{
	const struct pg_status *pg = &ctx->now->database;
	if (pg->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_DATABASE_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "PostgreSQL is unhealthy: %s", pg->check.error);
	RECOMMEND(i, "Check that PostgreSQL is running and reachable (pg_isready), and read its "
	             "log; if the server is fine, the app's pool may hold broken connections.");
}

void rule_redis_down(const struct rule_context *ctx)
{
	const struct redis_status *r = &ctx->now->redis;
	if (r->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_REDIS_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "Redis is unhealthy: %s", r->check.error);
	RECOMMEND(i, "Check that redis-server is running (systemctl status redis-server) and read "
	             "its log; the app serves from the database without its cache, slower.");
}

void rule_app_down(const struct rule_context *ctx)
{
	const struct http_status *h = &ctx->now->health;
	if (h->check.state != CHECK_UNHEALTHY)
		return;
	struct issue *i = rule_add_issue(ctx, ISSUE_APP_DOWN, SEVERITY_HIGH, NULL);
	if (!i)
		return;
	MESSAGE(i, "The app's health check failed: %s", h->check.error);
	RECOMMEND(i, "Read the app's log (pm2 logs); if it is stuck, restart it. If the health "
	             "check itself reports the database or cache, fix that first.");
}

/* health_url lists several instances and some, not all, fail: the app
 * still serves, from fewer machines. One issue per instance down, named;
 * high when half or more are down. */
void rule_app_instance_down(const struct rule_context *ctx)
{
	const struct http_status *h = &ctx->now->health;
	if (h->instance_count <= 1 || h->check.state != CHECK_OK)
		return;
	enum issue_severity severity =
	    h->instances_up * 2 <= h->instance_count ? SEVERITY_HIGH : SEVERITY_MEDIUM;
	for (int k = 0; k < h->instance_count; k++) {
		const struct app_instance *inst = &h->instances[k];
		if (inst->state == CHECK_OK)
			continue;
		struct issue *i = rule_add_issue(ctx, ISSUE_APP_INSTANCE_DOWN, severity, inst->url);
		if (!i)
			return;
		MESSAGE(i, "App instance %s is down: %s (%d of %d up)", inst->url, inst->error,
		        h->instances_up, h->instance_count);
		RECOMMEND(i, "Read that instance's log and restart it there; the load balancer "
		             "should stop sending it requests meanwhile.");
	}
}

void rule_storage_full(const struct rule_context *ctx)
{
	const struct storage_status *st = &ctx->now->storage;
	for (int p = 0; p < st->path_count; p++) {
		const struct disk_status *d = &st->paths[p];
		if (d->state != CHECK_UNHEALTHY)
			continue;
		struct issue *i = rule_add_issue(ctx, ISSUE_STORAGE_FULL, SEVERITY_HIGH, d->path);
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
