/* xalloc.h - allocation that cannot return NULL.
 *
 * opsdeck is a console: when memory runs out there is nothing sensible left to
 * show, so these print one line and exit 70 (quick_exit: the handlers
 * registered with at_quick_exit run) instead of returning NULL. Use
 * them for ordinary allocations; code that handles a huge, attacker-sized
 * allocation itself should call malloc() and check.
 */
#ifndef OPSDECK_UTIL_XALLOC_H
#define OPSDECK_UTIL_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Formatted allocation; the result is owned by the caller. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
