/* action_redis.c - clear-cache: SCAN MATCH <cache_prefix>* + UNLINK in
 * batches, or, only when asked for with cache_prefix = * (never for an empty
 * prefix, which action_available() refuses), FLUSHDB ASYNC of the selected
 * database. Never a command that empties every database.
 *
 * The prefix's glob metacharacters are escaped, so the pattern matches
 * exactly the keys that start with it. Each Redis call gets app.timeout of
 * its own (the deadline moves on per batch): a large cache takes as many
 * round trips as it needs, but a hung server stops the action.
 */
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/redisurl.h"
#include "job/action_impl.h"
#include "client/redis_session.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/text.h"

/* Keys asked for per SCAN call, and so at most per UNLINK. */
#define SCAN_COUNT "500"
/* Keys shown by name in a dry run. */
#define SHOW_KEYS 10

struct cache_conn {
	struct redisurl url;
	bool parsed;
	struct redis_session session;
	char pattern[1024];
	bool whole_db; /* cache_prefix = *: FLUSHDB ASYNC, no pattern */
	int64_t timeout_ms;
};

static int cache_open(struct action_run *run, struct cache_conn *c, char *err, size_t errlen)
{
	const struct config *cfg = run->cfg;
	memset(c, 0, sizeof(*c));
	c->timeout_ms = cfg->app.timeout_ms;
	if (redisurl_parse(cfg->redis.url, &c->url, err, errlen) < 0)
		return -1;
	c->parsed = true;
	const char *prefix = cfg->redis.cache_prefix ? cfg->redis.cache_prefix : "";
	if (!prefix[0]) { /* refused before: never read as "everything" */
		snprintf(err, errlen, "cache_prefix is empty: no key is removed");
		return -1;
	}
	c->whole_db = strcmp(prefix, CONFIG_CACHE_PREFIX_ALL) == 0;
	if (!c->whole_db) {
		if (action_glob_escape(prefix, c->pattern, sizeof(c->pattern) - 1) < 0) {
			snprintf(err, errlen, "cache_prefix is too long");
			return -1;
		}
		strcat(c->pattern, "*");
	}
	char why[512];
	if (redis_session_open(&c->session, &c->url, &cfg->redis, c->timeout_ms, why, sizeof(why)) <
	    0) {
		snprintf(err, errlen, "redis %s: %s", c->url.redacted, why);
		return -1;
	}
	return 0;
}

static void cache_close(struct cache_conn *c)
{
	redis_session_close(&c->session);
	if (c->parsed)
		redisurl_free(&c->url);
}

/* One command with a fresh deadline. */
static redisReply *cache_call(struct cache_conn *c, int argc, const char **argv,
                              const size_t *argvlen, char *err, size_t errlen)
{
	c->session.deadline_ms = clock_monotonic_ms() + c->timeout_ms;
	return redis_session_call_len(&c->session, argc, argv, argvlen, err, errlen);
}

/* One SCAN step from *cursor (text, updated). Returns the reply (array of
 * cursor and keys, checked), or NULL with err. */
static redisReply *cache_scan(struct cache_conn *c, char cursor[32], char *err, size_t errlen)
{
	const char *argv[] = {"SCAN", cursor, "MATCH", c->pattern, "COUNT", SCAN_COUNT};
	redisReply *r = cache_call(c, 6, argv, NULL, err, errlen);
	if (!r)
		return NULL;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING || r->element[1]->type != REDIS_REPLY_ARRAY) {
		snprintf(err, errlen, "SCAN returned an unexpected reply");
		freeReplyObject(r);
		return NULL;
	}
	snprintf(cursor, 32, "%s", r->element[0]->str);
	return r;
}

static long long cache_dbsize(struct cache_conn *c)
{
	const char *argv[] = {"DBSIZE"};
	char why[256];
	redisReply *r = cache_call(c, 1, argv, NULL, why, sizeof(why));
	long long n = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
	if (r)
		freeReplyObject(r);
	return n;
}

/* cache_prefix = *: FLUSHDB ASYNC of the selected database, or (dry run)
 * what it would remove. */
static int cache_flush(struct action_run *run, struct cache_conn *c, bool dry_run, char *err,
                       size_t errlen)
{
	long long n = cache_dbsize(c);
	if (dry_run) {
		action_say(run,
		           "cache_prefix = " CONFIG_CACHE_PREFIX_ALL ": would run FLUSHDB ASYNC on "
		           "database %d of %s, removing every key in it (%lld %s), cache or not; "
		           "other databases are not touched",
		           c->url.db, c->url.redacted, n, text_plural((int64_t)n, "key", "keys"));
		snprintf(run->summary, sizeof(run->summary), "would flush database %d (%lld %s)",
		         c->url.db, n, text_plural((int64_t)n, "key", "keys"));
		return 0;
	}
	const char *argv[] = {"FLUSHDB", "ASYNC"};
	redisReply *r = cache_call(c, 2, argv, NULL, err, errlen);
	if (!r)
		return -1;
	freeReplyObject(r);
	action_say(run,
	           "cache_prefix = " CONFIG_CACHE_PREFIX_ALL
	           ": FLUSHDB ASYNC on database %d: %lld %s removed",
	           c->url.db, n, text_plural((int64_t)n, "key", "keys"));
	snprintf(run->summary, sizeof(run->summary), "flushed database %d (%lld %s)", c->url.db, n,
	         text_plural((int64_t)n, "key", "keys"));
	return 0;
}

/* The dry run under a prefix: the keys SCAN MATCH finds, the first few by
 * name. */
static int cache_preview(struct action_run *run, struct cache_conn *c, char *err, size_t errlen)
{
	int rc = -1;
	redisReply *r = NULL;
	char cursor[32] = "0";
	uint64_t matched = 0;
	action_say(run, "would UNLINK the keys matching %s in database %d of %s:", c->pattern,
	           c->url.db, c->url.redacted);
	do {
		if (!(r = cache_scan(c, cursor, err, errlen)))
			goto done;
		for (size_t i = 0; i < r->element[1]->elements; i++) {
			const redisReply *k = r->element[1]->element[i];
			if (matched < SHOW_KEYS && k->type == REDIS_REPLY_STRING) {
				char name[256];
				sanitize_bytes(name, sizeof(name), k->str, k->len);
				action_say(run, "  %s", name);
			}
			matched++;
		}
		freeReplyObject(r);
		r = NULL;
		if (action_cancelled(run))
			goto done;
	} while (strcmp(cursor, "0") != 0);
	if (matched > SHOW_KEYS)
		action_say(run, "  ... and %" PRIu64 " more", matched - SHOW_KEYS);
	action_say(run,
	           "%" PRIu64 " %s matched; keys outside the prefix and other databases "
	           "are not touched",
	           matched, text_plural((int64_t)matched, "key", "keys"));
	snprintf(run->summary, sizeof(run->summary), "would remove %" PRIu64 " %s", matched,
	         text_plural((int64_t)matched, "key", "keys"));
	run->done = matched;
	rc = 0;
done:
	if (r)
		freeReplyObject(r);
	return rc;
}

/* UNLINK the keys of one SCAN reply; adds the number removed. */
static int cache_unlink(struct cache_conn *c, const redisReply *keys, uint64_t *removed, char *err,
                        size_t errlen)
{
	size_t n = keys->elements;
	if (n == 0)
		return 0;
	const char **argv = calloc(n + 1, sizeof(*argv));
	size_t *lens = calloc(n + 1, sizeof(*lens));
	int rc = -1;
	if (!argv || !lens) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	argv[0] = "UNLINK";
	lens[0] = 6;
	for (size_t i = 0; i < n; i++) {
		argv[i + 1] = keys->element[i]->str;
		lens[i + 1] = keys->element[i]->len;
	}
	redisReply *r = cache_call(c, (int)(n + 1), argv, lens, err, errlen);
	if (!r)
		goto done;
	if (r->type == REDIS_REPLY_INTEGER && r->integer > 0)
		*removed += (uint64_t)r->integer;
	freeReplyObject(r);
	rc = 0;
done:
	free(argv);
	free(lens);
	return rc;
}

/* The run under a prefix: SCAN MATCH and UNLINK, batch by batch. */
static int cache_remove(struct action_run *run, struct cache_conn *c, char *err, size_t errlen)
{
	int rc = -1;
	redisReply *r = NULL;
	char cursor[32] = "0";
	uint64_t removed = 0;
	action_say(run, "removing the keys matching %s in database %d", c->pattern, c->url.db);
	do {
		if (action_cancelled(run)) {
			snprintf(err, errlen, "cancelled after removing %" PRIu64 " %s", removed,
			         text_plural((int64_t)removed, "key", "keys"));
			goto done;
		}
		if (!(r = cache_scan(c, cursor, err, errlen)))
			goto done;
		if (cache_unlink(c, r->element[1], &removed, err, errlen) < 0)
			goto done;
		freeReplyObject(r);
		r = NULL;
		run->done = removed;
		action_say(run, "%" PRIu64 " %s removed so far", removed,
		           text_plural((int64_t)removed, "key", "keys"));
	} while (strcmp(cursor, "0") != 0);
	action_say(run, "removed %" PRIu64 " %s under '%s'", removed,
	           text_plural((int64_t)removed, "key", "keys"), run->cfg->redis.cache_prefix);
	snprintf(run->summary, sizeof(run->summary), "removed %" PRIu64 " %s", removed,
	         text_plural((int64_t)removed, "key", "keys"));
	rc = 0;
done:
	if (r)
		freeReplyObject(r);
	return rc;
}

static int clear_cache(struct action_run *run, bool dry_run, char *err, size_t errlen)
{
	struct cache_conn c;
	int rc = -1;
	if (cache_open(run, &c, err, errlen) == 0) {
		if (c.whole_db)
			rc = cache_flush(run, &c, dry_run, err, errlen);
		else if (dry_run)
			rc = cache_preview(run, &c, err, errlen);
		else
			rc = cache_remove(run, &c, err, errlen);
	}
	cache_close(&c);
	return rc;
}

int clear_cache_dry_run(struct action_run *run, char *err, size_t errlen)
{
	return clear_cache(run, true, err, errlen);
}

int clear_cache_run(struct action_run *run, char *err, size_t errlen)
{
	return clear_cache(run, false, err, errlen);
}
