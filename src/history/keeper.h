/* keeper.h - writing the history as a poller does: each record appended,
 * the store pruned by [history] retention and max_size every 10 minutes,
 * and what goes wrong said once, through the caller's log: an append that
 * fails is said when it starts failing and when it works again (polling
 * goes on meanwhile). `opsdeck record` and a recording dashboard
 * (writer.h) write through one.
 */
#ifndef OPSDECK_HISTORY_KEEPER_H
#define OPSDECK_HISTORY_KEEPER_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "history/record.h"
#include "history/store.h"

/* How often the store is pruned. */
#define HISTORY_PRUNE_EVERY_MS (10 * 60 * 1000)

/* Takes one line (no newline) to log. */
typedef void history_log_fn(void *ctx, const char *line);

struct history_keeper {
	struct history_store *store; /* open for writing; the caller's */
	int64_t retention_ms;        /* [history] retention, 0: none */
	int64_t max_size;            /* [history] max_size, 0: none */
	history_log_fn *log;
	void *log_ctx;
	int64_t next_prune_ms; /* monotonic; 0: with the next record */
	bool write_failing;    /* the last append failed (said once) */
};

/* Sets k up to write into store with cfg's retention and size. */
void history_keeper_init(struct history_keeper *k, struct history_store *store,
                         const struct config_history *cfg, history_log_fn *log, void *log_ctx);

/* Appends r (setting r->seq), then prunes when it is due. */
void history_keeper_write(struct history_keeper *k, struct history_record *r);

#endif
