/* parallel.h - one thread per item, for work that waits on the network
 * (several app instances, several environments): n slow items cost one
 * item's time.
 */
#ifndef OPSDECK_UTIL_PARALLEL_H
#define OPSDECK_UTIL_PARALLEL_H

#include <stddef.h>

/* Calls run(&items[i]) for each of the n items (each `size` bytes) at
 * once, one thread each; an item whose thread cannot be started runs on
 * the caller's thread instead. Returns when every call has. */
void parallel_each(void *items, size_t n, size_t size, void *(*run)(void *item));

#endif
