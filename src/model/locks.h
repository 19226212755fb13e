/* locks.h - who blocks whom in PostgreSQL, and what runs right now: plain
 * data plus the pure forest builder. No I/O.
 *
 * The probe (probe/pg_locks.c) fills the sessions of one poll, one row per
 * backend that waits on a lock or that another backend waits on, with its
 * blocked_by pids (pg_blocking_pids()); locks_build() then links them into
 * a forest. A *root blocker* blocks at least one session and does not wait
 * on a lock itself; its waiters are every session that waits on it,
 * directly or through another waiter (counted once each). Sessions that
 * wait on one another in a cycle with no root (a deadlock the server has
 * not broken yet) are marked in_cycle and belong to no root. Every string
 * has been sanitised (sanitize_text) and cut by the probe, so a renderer
 * prints it as is. All members are fixed-size: memcpy copies a lock_status.
 */
#ifndef OPSDECK_MODEL_LOCKS_H
#define OPSDECK_MODEL_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOCKS_MAX_SESSIONS   32 /* sessions kept per poll (the probe's LIMIT) */
#define LOCKS_MAX_BLOCKED_BY 8  /* blocking pids kept per session */
#define LOCKS_MAX_ROOTS      8  /* root blockers kept, most waiters first */
#define LOCKS_MAX_RUNNING    8  /* "running now": longest active queries */
#define LOCKS_QUERY_TEXT     160
#define LOCKS_NAME_TEXT      64

/* The grant that lets the configured role see other roles' sessions. */
#define LOCKS_HIDDEN_GRANT "GRANT pg_read_all_stats TO"

/* One backend involved in a lock: it waits, or is waited on, or both. */
struct lock_session {
	int pid;
	char application_name[LOCKS_NAME_TEXT]; /* "" when unset */
	char user[LOCKS_NAME_TEXT];
	char client_addr[LOCKS_NAME_TEXT]; /* "10.0.0.5", "local" for a socket */
	char state[32];                    /* "active", "idle in transaction"... */
	char backend_type[32];             /* "client backend", "autovacuum worker"... */
	int64_t backend_start_us;          /* µs since the epoch: identifies the backend */
	double xact_age_s;                 /* -1 when not in a transaction */
	double query_age_s;           /* since query_start (state change when idle), -1 unknown */
	double wait_age_s;            /* waiting on a lock for (pg_locks.waitstart,
	                                 PG >= 14); -1 unknown or not waiting */
	char wait_event_type[32];     /* "Lock", "" when none */
	char wait_event[32];          /* "transactionid", "tuple"... */
	char query[LOCKS_QUERY_TEXT]; /* sanitised, cut; "" when hidden */
	bool hidden;                  /* "<insufficient privilege>": the role may not see it */
	bool superuser;               /* the session's role is a superuser (rolsuper) */
	int blocked_by_count;
	int blocked_by[LOCKS_MAX_BLOCKED_BY]; /* pids it waits on, as pg_blocking_pids() */
	/* Set by locks_build(): */
	int blocks_count;  /* sessions waiting on it directly */
	int waiters_total; /* root only: sessions held up transitively */
	int root_pid;      /* the root this session waits behind, its own pid for a
	                      root, 0 for none (a cycle or an unseen blocker) */
	int depth;         /* 0 for a root, 1 for its direct waiters... */
	bool in_cycle;     /* waits in a cycle with no root */
};

/* A root blocker: index into sessions[], with what it holds up. */
struct lock_root {
	int session; /* index into lock_status.sessions */
	int pid;
	int waiters_total;    /* sessions held up, transitively */
	int direct;           /* of which waiting on it directly */
	double oldest_wait_s; /* longest wait_age_s (else query_age_s) among its
	                         waiters; -1 unknown */
};

/* One of the longest-running active queries, longest first. */
struct running_query {
	int pid;
	double duration_s; /* now - query_start */
	char application_name[LOCKS_NAME_TEXT];
	char user[LOCKS_NAME_TEXT];
	char wait_event_type[32];
	char wait_event[32];
	char query[LOCKS_QUERY_TEXT]; /* sanitised, cut; "" when hidden */
	bool hidden;
};

struct lock_status {
	bool probed;                /* false: not probed (no database, or the probe failed) */
	char error[256];            /* why the probe failed, or "" */
	int own_pid;                /* opsdeck's own backend, left out of everything */
	bool role_superuser;        /* the configured role is a superuser */
	bool role_sees_all;         /* superuser or member of pg_read_all_stats */
	char role[LOCKS_NAME_TEXT]; /* the configured role, for the grant to show */
	int session_count;
	bool sessions_truncated; /* more sessions than LOCKS_MAX_SESSIONS */
	struct lock_session sessions[LOCKS_MAX_SESSIONS];
	/* Set by locks_build(): */
	int waiting;    /* sessions waiting on a lock (blocked_by_count > 0) */
	int root_count; /* roots found (all of them, even past LOCKS_MAX_ROOTS) */
	struct lock_root roots[LOCKS_MAX_ROOTS]; /* most waiters first, then oldest wait */
	int cycle_sessions;                      /* sessions in a cycle with no root */
	int hidden_blockers;   /* waiting sessions whose blocker is hidden or unseen */
	int hidden;            /* sessions (all of pg_stat_activity's client backends)
	                          whose query text the role may not see */
	double longest_wait_s; /* over every waiting session; 0 when none */
	/* Deadlocks from pg_stat_database.deadlocks (this database). */
	int64_t deadlocks_total; /* -1 unknown */
	int64_t deadlocks_delta; /* since the previous poll; -1 without one */
	/* Running now. */
	int running_count;
	struct running_query running[LOCKS_MAX_RUNNING];
};

/* Clears s: not probed, figures zero, deadlocks unknown. */
void locks_init(struct lock_status *s);

/* Links s->sessions: fills the "set by locks_build" members of every
 * session and of s (roots, waiting, cycle_sessions, hidden_blockers,
 * longest_wait_s). Any depth and any number of chains; a cycle ends the
 * walk (no loop). Idempotent. */
void locks_build(struct lock_status *s);

/* The session with `pid`, or NULL. */
const struct lock_session *locks_find(const struct lock_status *s, int pid);

/* The root blocker with the most waiters, or NULL when there is none. */
const struct lock_root *locks_top_root(const struct lock_status *s);

/* Whether session `w` waits, directly or through others, behind `root_pid`. */
bool locks_waits_behind(const struct lock_status *s, const struct lock_session *w, int root_pid);

/* "pid 4242 (worker, app@10.0.0.5, idle in transaction 3m12s)": the
 * application ("-" when unset), user@client, state and the transaction's age
 * (the query's when none). Into dst, cut to size. */
void locks_describe_session(const struct lock_session *x, char *dst, size_t size);

/* The session as above, then "blocks 3 sessions, oldest waiting 47s". */
void locks_describe_root(const struct lock_status *s, const struct lock_root *r, char *dst,
                         size_t size);

/* Sets deadlocks_delta from the previous poll's total (NULL or unknown: -1). */
void locks_deadlocks_since(struct lock_status *now, const struct lock_status *previous);

#endif
