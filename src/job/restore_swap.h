/* restore_swap.h - the last step of `opsdeck restore KEY --replace`: the
 * restored database takes the live one's name; internal to job/.
 *
 * On a session of the restore role to another database: the live database
 * stops taking connections (ALLOW_CONNECTIONS false), its sessions are
 * ended (pg_terminate_backend; the app reconnects once the swap is done),
 * it is renamed to `before`, the restored one to `live`, and `before`
 * takes connections again, so a rollback is one pair of renames. Any step
 * that fails undoes the ones before it: the live database is left as it
 * was, taking connections.
 */
#ifndef OPSDECK_JOB_RESTORE_SWAP_H
#define OPSDECK_JOB_RESTORE_SWAP_H

#include <stddef.h>
#include <stdint.h>

#include "config/pgurl.h"

/* Names are plain identifiers (restore_db_name_check). *ended receives how
 * many sessions were ended. 0, or -1 with why. */
int restore_swap(const struct pgurl *admin, int64_t timeout_ms, const char *live,
                 const char *restored, const char *before, int *ended, char *err, size_t errlen);

#endif
