/* redis_slowlog.c - SLOWLOG GET and LATENCY LATEST replies into a
 * redis_load (see redis_slowlog.h). The replies come from the network: every
 * element's type is checked and every string sanitised and cut. */
#include "probe/redis_slowlog.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/redact.h"
#include "util/sanitize.h"
#include "util/text.h"

/* Commands whose first argument is not a key: a password (AUTH, HELLO), a
 * host (MIGRATE, REPLICAOF), a subcommand (CONFIG, ACL, CLIENT, DEBUG...),
 * a pattern for all keys, or nothing. Their arguments are never shown. */
static const char *const KEYLESS[] = {
    "acl",      "auth",    "bgrewriteaof", "bgsave",       "client",    "cluster", "command",
    "config",   "dbsize",  "debug",        "discard",      "echo",      "exec",    "failover",
    "flushall", "flushdb", "function",     "hello",        "info",      "keys",    "lastsave",
    "latency",  "memory",  "migrate",      "module",       "monitor",   "multi",   "object",
    "ping",     "psync",   "quit",         "replconf",     "replicaof", "reset",   "role",
    "save",     "scan",    "script",       "select",       "shutdown",  "slaveof", "slowlog",
    "swapdb",   "sync",    "time",         "wait",         "xinfo",     "xread",   "xreadgroup",
    "xgroup",   "pubsub",  "waitaof",      "sunsubscribe",
};

/* EVAL script numkeys key...: the first key is the fourth element. */
static const char *const SCRIPTED[] = {"eval",       "evalsha", "eval_ro",
                                       "evalsha_ro", "fcall",   "fcall_ro"};

static bool is_string(const redisReply *r)
{
	return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

static bool in_list(const char *name, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strcasecmp(name, list[i]) == 0)
			return true;
	return false;
}

/* The command's name, lower case and sanitised, into dst. */
static void command_name(const redisReply *r, char *dst, size_t size)
{
	sanitize_bytes(dst, size, r->str, r->len);
	for (char *p = dst; *p; p++)
		*p = (char)tolower((unsigned char)*p);
}

size_t redis_slowlog_key_index(const redisReply *args)
{
	if (!args || args->type != REDIS_REPLY_ARRAY || args->elements < 2 ||
	    !is_string(args->element[0]))
		return 0;
	char name[REDIS_LOAD_NAME_TEXT];
	command_name(args->element[0], name, sizeof(name));
	if (in_list(name, KEYLESS, sizeof(KEYLESS) / sizeof(KEYLESS[0])))
		return 0;
	if (in_list(name, SCRIPTED, sizeof(SCRIPTED) / sizeof(SCRIPTED[0]))) {
		/* numkeys is the third element; the key, when there is one, the fourth. */
		if (args->elements < 4 || !is_string(args->element[2]) ||
		    args->element[2]->len > 10)
			return 0;
		char buf[16];
		int64_t numkeys;
		memcpy(buf, args->element[2]->str, args->element[2]->len);
		buf[args->element[2]->len] = '\0';
		if (text_parse_int64(buf, &numkeys) < 0 || numkeys < 1)
			return 0;
		return is_string(args->element[3]) ? 3 : 0;
	}
	return is_string(args->element[1]) ? 1 : 0;
}

static bool read_int(const redisReply *r, int64_t *v)
{
	if (!r || r->type != REDIS_REPLY_INTEGER || r->integer < 0)
		return false;
	*v = r->integer;
	return true;
}

/* One entry: [id, start time, duration µs, [argv...], client, name]. */
static bool read_entry(const redisReply *r, struct redis_slow_entry *e)
{
	if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 4)
		return false;
	const redisReply *args = r->element[3];
	if (!read_int(r->element[0], &e->id) || !read_int(r->element[1], &e->started_s) ||
	    !read_int(r->element[2], &e->duration_us) || !args || args->type != REDIS_REPLY_ARRAY ||
	    args->elements < 1 || !is_string(args->element[0]))
		return false;
	command_name(args->element[0], e->command, sizeof(e->command));
	e->first_key[0] = '\0';
	size_t k = redis_slowlog_key_index(args);
	if (k > 0) {
		sanitize_bytes(e->first_key, sizeof(e->first_key), args->element[k]->str,
		               args->element[k]->len);
		redact_text(e->first_key, sizeof(e->first_key));
	}
	return true;
}

int redis_slowlog_parse(const redisReply *reply, struct redis_load *out)
{
	out->slowlog_count = 0;
	out->slowlog_newest_id = -1;
	if (!reply || reply->type != REDIS_REPLY_ARRAY)
		return -1;
	for (size_t i = 0; i < reply->elements && out->slowlog_count < REDIS_LOAD_SLOWLOG_MAX;
	     i++) {
		struct redis_slow_entry *e = &out->slowlog[out->slowlog_count];
		if (!read_entry(reply->element[i], e))
			continue;
		if (e->id > out->slowlog_newest_id)
			out->slowlog_newest_id = e->id;
		out->slowlog_count++;
	}
	return out->slowlog_count;
}

int redis_latency_parse(const redisReply *reply, struct redis_load *out)
{
	out->latency_count = 0;
	if (!reply || reply->type != REDIS_REPLY_ARRAY)
		return -1;
	for (size_t i = 0; i < reply->elements && out->latency_count < REDIS_LOAD_LATENCY_MAX;
	     i++) {
		const redisReply *r = reply->element[i];
		struct redis_latency_event *e = &out->latency[out->latency_count];
		if (!r || r->type != REDIS_REPLY_ARRAY || r->elements < 4 ||
		    !is_string(r->element[0]) || !read_int(r->element[1], &e->at_s) ||
		    !read_int(r->element[2], &e->latest_ms) || !read_int(r->element[3], &e->max_ms))
			continue;
		sanitize_bytes(e->event, sizeof(e->event), r->element[0]->str, r->element[0]->len);
		out->latency_count++;
	}
	return out->latency_count;
}
