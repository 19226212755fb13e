/* clock.h - time for measuring (monotonic) and for showing (wall, UTC). */
#ifndef OPSDECK_UTIL_CLOCK_H
#define OPSDECK_UTIL_CLOCK_H

#include <stddef.h>
#include <stdint.h>

/* Milliseconds from CLOCK_MONOTONIC: for latencies and deadlines. */
int64_t clock_monotonic_ms(void);
/* Microseconds from CLOCK_MONOTONIC. */
int64_t clock_monotonic_us(void);
/* Milliseconds since the Unix epoch: for timestamps people read. */
int64_t clock_wall_ms(void);

/* "2026-11-27T09:29:25.123Z" (ISO-8601 UTC, millisecond precision), as
 * JavaScript's Date.toISOString() writes it; size >= 25. */
void clock_format_iso8601(char *dst, size_t size, int64_t wall_ms);

/* An RFC 3339 time ("2026-11-27T09:29:25.123Z", "...25+01:00"; fractions
 * of a second optional, beyond milliseconds ignored) to epoch milliseconds
 * in *ms; returns 0, or -1 when text is not one (a blank, a sign, a
 * missing zone). */
int clock_parse_iso8601(const char *text, int64_t *ms);

#endif
