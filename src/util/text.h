/* text.h - small string helpers: bounded copies, trimming, number and
 * duration parsing. Pure functions, no allocation unless stated.
 */
#ifndef OPSDECK_UTIL_TEXT_H
#define OPSDECK_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies at most size-1 bytes and always terminates (size > 0). Returns
 * strlen(src), so a result >= size means the copy was truncated. */
size_t text_copy(char *dst, const char *src, size_t size);

/* Trims ASCII whitespace at both ends, in place; returns s. */
char *text_trim(char *s);

bool text_starts_with(const char *s, const char *prefix);
bool text_ends_with(const char *s, const char *suffix);

/* snprintf for one-line messages that may be cut short (long keys, long
 * errors): truncation is accepted, dst always terminated (size > 0). */
void text_printf(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parses a duration: a number followed by ms, s, m, h or d ("250ms", "3s",
 * "1.5m", "1h"); a bare number means seconds. Result in milliseconds.
 * Returns 0, or -1 if the text is not a duration or is negative/out of range. */
int text_parse_duration_ms(const char *s, int64_t *out_ms);

/* Parses a size in bytes: a number followed by nothing (bytes), K, M, G
 * or T (powers of 1024; KiB/MiB/GiB/TiB and KB/MB/GB/TB are read alike, B
 * alone means bytes): "512M", "1.5G", "4096". Returns 0, or -1 if the text
 * is not a size or is negative/out of range. */
int text_parse_bytes(const char *s, int64_t *out);

/* Parses a whole decimal integer / floating number; no trailing junk, no
 * overflow. Returns 0 or -1. */
int text_parse_int64(const char *s, int64_t *out);
int text_parse_double(const char *s, double *out);

/* The word that goes with a count: `one` for 1, `many` otherwise, for
 * "%lld %s" ("1 call", "2 calls", "0 calls"). */
const char *text_plural(int64_t n, const char *one, const char *many);

/* Formats a byte count for people: "512 B", "3.2 MiB", "1.0 TiB". */
void text_format_bytes(char *dst, size_t size, uint64_t bytes);

/* Formats a duration in milliseconds for people: "250 ms", "3.1 s", "4m12s",
 * "2h05m", "3d04h". */
void text_format_duration(char *dst, size_t size, int64_t ms);

/* Formats a count with thousands separators: "3,012", "-1,500". */
void text_format_count(char *dst, size_t size, int64_t n);

/* Splits s into the words between any of the characters of seps ("a, b c"
 * with ", " gives a, b, c), each a copy (free them), at most max into out.
 * Returns how many words s holds, which may be more than max. */
int text_split_words(const char *s, const char *seps, char **out, int max);

#endif
