/* inspect.h - the history and its recorder as `status` and `diagnose`
 * show them: the directory, whether a recorder holds it (and its pid), the
 * records and the time they cover, and why the history cannot be written.
 * Reads only: creates nothing, takes no lock.
 */
#ifndef OPSDECK_HISTORY_INSPECT_H
#define OPSDECK_HISTORY_INSPECT_H

#include "config/config.h"
#include "model/snapshot.h"

/* Free space below this on the history's file system is a problem: the
 * next records would not fit. */
#define HISTORY_MIN_FREE_BYTES (1024 * 1024)

/* Fills out (looked true) from cfg's [history]. */
void history_inspect(const struct config *cfg, struct history_status *out);

#endif
