/* strbuf.h - a growable string with a hard size cap.
 *
 * Every buffer that holds data from outside (an HTTP body, a child's output)
 * has a cap, so a hostile or broken peer cannot make opsdeck grow without
 * bound. Appends past the cap are dropped and `truncated` is set; the text
 * stays NUL-terminated at all times.
 */
#ifndef OPSDECK_UTIL_STRBUF_H
#define OPSDECK_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *data;     /* NUL-terminated; NULL until the first append */
	size_t len;     /* bytes used, without the NUL */
	size_t alloc;   /* bytes allocated */
	size_t limit;   /* most bytes kept (0: no cap) */
	bool truncated; /* something was dropped at the cap */
};

/* An empty buffer that keeps at most `limit` bytes (0 for no cap). */
void strbuf_init(struct strbuf *b, size_t limit);
void strbuf_append(struct strbuf *b, const char *data, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with & < > " ' as character references, for XML and HTML
 * alike (the S3 multipart body, the report's HTML page). */
void strbuf_puts_markup(struct strbuf *b, const char *s);
/* The text, never NULL ("" when empty); borrowed, valid until the next append. */
const char *strbuf_str(const struct strbuf *b);
void strbuf_reset(struct strbuf *b);
/* Hands the text to the caller (never NULL) and leaves the buffer empty. */
char *strbuf_take(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
