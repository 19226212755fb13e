/* resolve.h - host name lookups bounded by a probe's deadline. */
#ifndef OPSDECK_CLIENT_RESOLVE_H
#define OPSDECK_CLIENT_RESOLVE_H

#include <stddef.h>
#include <stdint.h>

/* What client_resolve() returns besides a count of addresses. */
enum { CLIENT_RESOLVE_FAILED = -1, CLIENT_RESOLVE_TIMEOUT = -2 };

/* Looks host up (getaddrinfo, SOCK_STREAM, `family` AF_UNSPEC, AF_INET or
 * AF_INET6) before the CLOCK_MONOTONIC deadline and writes at most `max`
 * of its addresses, numeric and in getaddrinfo's order, comma-separated,
 * to out. A numeric host is copied as it is. Returns how many were written
 * (> 0), CLIENT_RESOLVE_FAILED with gai_strerror's text in err, or
 * CLIENT_RESOLVE_TIMEOUT when the deadline passed first.
 *
 * getaddrinfo() cannot be cancelled and waits for an unresponsive resolver
 * as long as resolv.conf says (5 s a try, twice, by default), whatever the
 * probe's timeout; libpq and hiredis call it before they go non-blocking.
 * So the lookup runs on a detached thread; one still running at the
 * deadline is left to finish and free itself. */
int client_resolve(const char *host, int family, int max, int64_t deadline_ms, char *out,
                   size_t outlen, char *err, size_t errlen);

#endif
