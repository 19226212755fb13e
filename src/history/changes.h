/* changes.h - what changed from one record to the next, as the lines the
 * recorder logs: a check changing state, an issue opened, cleared or
 * changing severity, a new deployed version. Pure: no I/O, no clock.
 */
#ifndef OPSDECK_HISTORY_CHANGES_H
#define OPSDECK_HISTORY_CHANGES_H

#include "history/record.h"
#include "util/strbuf.h"

/* Appends one line per change from prev to cur to out, each ending in
 * '\n': "check redis: ok -> unhealthy", "issue opened: error_rate (high):
 * MESSAGE", "issue cleared: error_rate", "issue error_rate: medium -> high",
 * "version: 2.4.1 -> 2.4.2". With prev NULL (the first poll) every check
 * that is not OK and every open issue is listed, as if from nothing.
 * Returns how many lines were added. */
int history_changes(const struct history_record *prev, const struct history_record *cur,
                    struct strbuf *out);

#endif
