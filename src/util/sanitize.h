/* sanitize.h - make text from a backend safe to print.
 *
 * Whatever a server sends (an error message, a version string, a query text)
 * is data, not terminal input: an ESC in it could move the cursor or retitle
 * the operator's terminal. Every string that comes from outside goes through
 * sanitize_text() before it is stored in a Snapshot.
 */
#ifndef OPSDECK_UTIL_SANITIZE_H
#define OPSDECK_UTIL_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Copies src into dst (size > 0), always terminated, replacing every C0
 * control (including ESC, CR, LF, TAB, BEL), DEL, every C1 control
 * (U+0080..U+009F), every bidirectional control (U+202A..U+202E,
 * U+2066..U+2069, U+200E, U+200F, U+061C: they reorder what follows on the
 * line) and every byte of invalid UTF-8 by '?'. Newlines and tabs
 * become a single space so the result is one line. A multi-byte character is
 * never cut in half at the end of dst. dst may be src (in place). Returns dst. */
char *sanitize_text(char *dst, size_t size, const char *src);

/* The same for a buffer that is not NUL-terminated. */
char *sanitize_bytes(char *dst, size_t size, const char *src, size_t len);

/* The classification above, one character at a time, for code that keeps
 * text as code points (the dashboard's grid). Decodes the UTF-8 sequence at
 * s (at most `left` bytes) into *cp and returns its length; returns 0 when
 * the bytes there are not valid UTF-8 (overlong forms, surrogates and code
 * points above U+10FFFF included). */
size_t sanitize_decode(const char *s, size_t left, uint32_t *cp);

/* Whether a code point is one that sanitize_text replaces: a C0 or C1
 * control, DEL, or a bidirectional control. */
bool sanitize_is_control(uint32_t cp);

#endif
