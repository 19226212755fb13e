/* client.h - what the backend clients (pg_session, redis_session,
 * http_client, resolve) share: waiting on a socket against a deadline,
 * durations and secrets in their messages.
 *
 * Clients sit above model/ and config/ and below probe/ and job/: probes and
 * recovery actions both talk to the backends through them.
 */
#ifndef OPSDECK_CLIENT_CLIENT_H
#define OPSDECK_CLIENT_CLIENT_H

#include <stddef.h>
#include <stdint.h>

/* Waits until fd is ready for `events` (POLLIN and/or POLLOUT) or the
 * CLOCK_MONOTONIC deadline (clock_monotonic_ms) passes, retrying on EINTR.
 * Returns 1 when ready (an error or hang-up also counts: the caller's next
 * read or write reports it), 0 when the deadline passed, -1 if poll failed. */
int client_wait_fd(int fd, short events, int64_t deadline_ms);

/* Writes a duration as the clients' messages show it: "3.0 s". */
void client_format_seconds(char *dst, size_t size, int64_t ms);

/* Replaces every occurrence of `secret` in s (NUL-terminated, in a buffer of
 * `size` bytes) with "***", as a first guard before check_set_error's
 * redact_text: the client knows the password it used even when nobody
 * registered it. Secrets shorter than 3 bytes are left alone, as
 * redact_register does. NULL or "" does nothing. */
void client_mask_secret(char *s, size_t size, const char *secret);

#endif
