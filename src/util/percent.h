/* percent.h - URL percent-encoding (RFC 3986), shared by every URL parser. */
#ifndef OPSDECK_UTIL_PERCENT_H
#define OPSDECK_UTIL_PERCENT_H

#include <stdbool.h>
#include <stddef.h>

/* The value of one hex digit, or -1. */
int percent_hex_value(char c);

/* Decodes %XX escapes in s[0..n) into a new string (the caller frees it);
 * with plus_is_space, '+' becomes ' ' as in form encoding. Returns NULL on a
 * malformed escape or one that decodes to NUL (%00), which no URL part here
 * may hold. */
char *percent_decode(const char *s, size_t n, bool plus_is_space);

#endif
