/* keeper.c - appending and pruning, failures said once (keeper.h). */
#include "history/keeper.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/clock.h"

static void keeper_say(const struct history_keeper *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void keeper_say(const struct history_keeper *k, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	k->log(k->log_ctx, line);
}

void history_keeper_init(struct history_keeper *k, struct history_store *store,
                         const struct config_history *cfg, history_log_fn *log, void *log_ctx)
{
	*k = (struct history_keeper){.store = store,
	                             .retention_ms = cfg->retention_ms,
	                             .max_size = cfg->max_size,
	                             .log = log,
	                             .log_ctx = log_ctx};
}

static void keeper_prune(struct history_keeper *k, int64_t now_ms)
{
	struct history_prune_result pruned;
	if (history_store_prune(k->store, clock_wall_ms(), k->retention_ms, k->max_size, &pruned) <
	    0)
		keeper_say(k, "cannot prune the history: %s", history_store_error(k->store));
	else if (pruned.deleted > 0)
		keeper_say(k, "pruned %lld old record%s ([history] retention, max_size)%s",
		           (long long)pruned.deleted, pruned.deleted == 1 ? "" : "s",
		           pruned.labels_deleted > 0 ? " and the names only they used" : "");
	k->next_prune_ms = now_ms + HISTORY_PRUNE_EVERY_MS;
}

void history_keeper_write(struct history_keeper *k, struct history_record *r)
{
	char warning[1024];
	if (history_store_append(k->store, r, warning, sizeof(warning)) < 0) {
		if (!k->write_failing)
			keeper_say(k, "cannot write the history: %s (polling goes on)",
			           history_store_error(k->store));
		k->write_failing = true;
	} else if (k->write_failing) {
		keeper_say(k, "the history is written again");
		k->write_failing = false;
	}
	if (warning[0])
		keeper_say(k, "%s", warning);
	int64_t now = clock_monotonic_ms();
	if (now >= k->next_prune_ms)
		keeper_prune(k, now);
}
