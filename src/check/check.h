/* check.h - the check registry: what every check declares, and the one
 * table of them (CHECKS, registry.c).
 *
 * A check is one row: its key ("redis": the JSON member, the Prometheus
 * `check` label, the Nagios name), its title, the configuration section it
 * reads, the member of struct snapshot it fills, the probe that fills it and
 * how it renders into text, JSON, Prometheus and Nagios. Runners (the
 * one-shot verbs, the dashboard's workers) and the outputs iterate the
 * table; nothing else spells a check's name.
 *
 * Rows are const and live for the whole program. Probes run on their own
 * thread and write only the members of their row and of the rows they fill
 * (filled_by); renderers are pure and only read the snapshot, whose strings
 * are already sanitised and redacted.
 */
#ifndef OPSDECK_CHECK_CHECK_H
#define OPSDECK_CHECK_CHECK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "check/render.h"
#include "config/config.h"
#include "history/record.h"
#include "model/snapshot.h"
#include "util/strbuf.h"

struct json_object;
struct request_window;
struct slow_queries_baseline;

/* Where a check stands in the documents the outputs assemble. */
enum check_group {
	CHECK_GROUP_HEALTH,   /* a backend that is up or down: counts in the overall
	                         state; JSON "checks" */
	CHECK_GROUP_METRICS,  /* figures read beside a health check; JSON "metrics" */
	CHECK_GROUP_IDENTITY, /* what is deployed (the version): the document's header */
	CHECK_GROUP_RECORD,   /* known to the diagnosis; only Prometheus renders it */
};

/* How often a check is probed. */
enum check_schedule {
	CHECK_EVERY_POLL, /* every poll, counted in the snapshot's duration */
	CHECK_SELDOM,     /* costs requests: one-shot verbs probe it once beside the
	                     poll (not counted in its duration); the dashboard leaves
	                     it to the component that owns it (the backup menu) */
};

/* What a caller keeps across the probes of one row. */
struct check_probe_context {
	struct request_window *window;               /* the request log's state; NULL: one-shot */
	struct slow_queries_baseline *slow_baseline; /* earlier polls' statement
	                                                counters; NULL: one-shot */
	const atomic_int *cancel;                    /* non-zero ends a long probe; may be NULL */
};

/* One figure of a check's Health row: its text with room ("1 idle-in-tx"),
 * the same figure under a shorter label ("1 idle-tx") or "" for none, and
 * its rank: a narrow row keeps the figures of lower rank longer and never
 * shows part of one. */
struct check_figure {
	char text[64];
	char brief[32];
	int rank;
};

#define CHECK_FIGURES_MAX 6

struct check_class {
	const char *key;     /* "redis" */
	const char *title;   /* "Redis" */
	const char *section; /* the configuration section it reads */
	size_t offset;       /* of its member in struct snapshot */
	size_t size;         /* of that member */
	bool has_common;     /* the member starts with struct check_common */
	enum check_group group;
	enum check_schedule schedule;
	/* Fills the row's member of *out (and those of the rows it fills).
	 * NULL when another row's probe fills it: filled_by is that row. */
	void (*probe)(const struct config *cfg, const struct check_probe_context *ctx,
	              struct snapshot *out);
	const struct check_class *filled_by;
	/* Renderers; NULL where the check has no such output. */
	void (*text)(const struct snapshot *s, struct strbuf *b);
	struct json_object *(*json)(const struct snapshot *s); /* caller owns it */
	void (*prometheus)(const struct snapshot *s, struct prom *p);
	void (*nagios_summary)(const struct snapshot *s, struct strbuf *b); /* after the
	                                                                   health list */
	void (*nagios_perfdata)(const struct snapshot *s, struct strbuf *b);
	/* The dashboard's Health panel: the row's name there (at most 9
	 * columns; NULL: not on the panel) and its figures while it is OK, at
	 * most CHECK_FIGURES_MAX in display order; returns how many. */
	const char *panel_label;
	int (*summary)(const struct snapshot *s, struct check_figure *figures);
};

/* The rows of the table, one line each: ID names its index CHECK_ID_<ID>,
 * name its check_class, check_<name>, defined in src/check/<name>.c. The
 * order is the order every output iterates: within each group it is the
 * order of the text blocks, JSON members and Prometheus families; the Nagios
 * perfdata follows it as a whole (the storage paths come after the request
 * figures). */
#define CHECK_LIST(X)                                                                              \
	X(DATABASE, database)                                                                      \
	X(REDIS, redis)                                                                            \
	X(HEALTH, health)                                                                          \
	X(REQUESTS, requests)                                                                      \
	X(SLOW_QUERIES, slow_queries)                                                              \
	X(PG_UPKEEP, pg_upkeep)                                                                    \
	X(CONNECTIONS, connections)                                                                \
	X(LOCKS, locks)                                                                            \
	X(PGBOUNCER, pgbouncer)                                                                    \
	X(REDIS_LOAD, redis_load)                                                                  \
	X(STORAGE, storage)                                                                        \
	X(VERSION, version)                                                                        \
	X(BACKUP, backup)                                                                          \
	X(BACKUP_DRILL, backup_drill)

/* Not laid out by clang-format, which reads the X-macro and the member after
 * it as one expression. */
/* clang-format off */
enum check_id {
#define CHECK_ID_ENUM(id, name) CHECK_ID_##id,
	CHECK_LIST(CHECK_ID_ENUM)
#undef CHECK_ID_ENUM
	CHECK_COUNT
};
/* clang-format on */

#define CHECK_CLASS_EXTERN(id, name) extern const struct check_class check_##name;
CHECK_LIST(CHECK_CLASS_EXTERN)
#undef CHECK_CLASS_EXTERN

extern const struct check_class *const CHECKS[CHECK_COUNT];

/* The row with that key, or NULL. */
const struct check_class *check_find(const char *key);

/* The row's state, latency, target and error in s; NULL when it has none. */
const struct check_common *check_common_of(const struct check_class *c, const struct snapshot *s);

/* Copies from src into dst the member of row c and of every row c fills. */
void check_publish(const struct check_class *c, struct snapshot *dst, const struct snapshot *src);

/* The overall state of the health checks (CHECK_GROUP_HEALTH): UNHEALTHY if
 * any is, else OK if any is OK, else NOT_CONFIGURED. */
enum check_state check_overall(const struct snapshot *s);

/* Fills r with one poll as the history keeps it (history/record.h): the
 * snapshot's figures, version and issues, and the state of each check the
 * panels show (CHECK_GROUP_RECORD rows are the diagnosis' alone). */
void check_history_record(struct history_record *r, const struct snapshot *s,
                          const struct diagnosis *d, int64_t monotonic_ms);

/* Runs every probe of the table, each on its own thread, and waits for all
 * of them, so a poll takes about as long as the slowest probe. The
 * snapshot's duration counts the CHECK_EVERY_POLL probes only.
 * probe_global_init() must have been called. */
void check_probe_all(const struct config *cfg, struct snapshot *out);

/* The same without the CHECK_SELDOM rows (their members stay empty): for a
 * before/after comparison that must not list the backups. */
void check_probe_every_poll(const struct config *cfg, struct snapshot *out);

/* What a caller that polls again and again keeps across its polls, as the
 * dashboard's workers do: each row's probe context (the request log's
 * window, read a minute at a time after the first poll; the statements'
 * baseline, so slow queries are those of the last interval, not since the
 * statistics were reset). _free(NULL) is a no-op. */
struct check_poll_state;
struct check_poll_state *check_poll_state_new(void);
void check_poll_state_free(struct check_poll_state *state);

/* How often check_probe_polling probes the CHECK_SELDOM rows (the backup
 * listing costs requests); the exporter's workers use it too. */
#define CHECK_SELDOM_INTERVAL_MS (5 * 60 * 1000)

/* check_probe_every_poll with the contexts kept in state, and the
 * CHECK_SELDOM rows probed at the first poll and then every
 * CHECK_SELDOM_INTERVAL_MS (beside the poll, not counted in its
 * duration); in between, their members are those of the last probe, so
 * the backups' freshness never flickers between polls. */
void check_probe_polling(const struct config *cfg, struct check_poll_state *state,
                         struct snapshot *out);

#endif
