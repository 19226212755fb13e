/* sanitize.h - make text from a backend safe to print.
 *
 * Whatever a server sends (an error message, a version string, a query text)
 * is data, not terminal input: an ESC in it could move the cursor or retitle
 * the operator's terminal. Every string that comes from outside goes through
 * sanitize_text() before it is stored in a Snapshot.
 */
#ifndef OPSDECK_UTIL_SANITIZE_H
#define OPSDECK_UTIL_SANITIZE_H

#include <stddef.h>

/* Copies src into dst (size > 0), always terminated, replacing every C0
 * control (including ESC, CR, LF, TAB, BEL), DEL, every C1 control
 * (U+0080..U+009F) and every byte of invalid UTF-8 by '?'. Newlines and tabs
 * become a single space so the result is one line. A multi-byte character is
 * never cut in half at the end of dst. dst may be src (in place). Returns dst. */
char *sanitize_text(char *dst, size_t size, const char *src);

/* The same for a buffer that is not NUL-terminated. */
char *sanitize_bytes(char *dst, size_t size, const char *src, size_t len);

#endif
