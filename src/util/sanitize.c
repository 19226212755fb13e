/* sanitize.c - strip terminal controls and invalid UTF-8 from backend text
 * (see sanitize.h). */
#include "util/sanitize.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (at most `left` bytes), or 0 when
 * the bytes there are not one. Overlong forms, surrogates and code points
 * above U+10FFFF are invalid. *cp receives the code point. */
static size_t utf8_sequence(const unsigned char *s, size_t left, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (left < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

bool sanitize_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E ||
	       cp == 0x200F || cp == 0x061C;
}

size_t sanitize_decode(const char *s, size_t left, uint32_t *cp)
{
	return left == 0 ? 0 : utf8_sequence((const unsigned char *)s, left, cp);
}

char *sanitize_bytes(char *dst, size_t size, const char *src, size_t len)
{
	if (size == 0)
		return dst;
	const unsigned char *s = (const unsigned char *)src;
	size_t out = 0, i = 0;
	while (i < len && s[i] != '\0') {
		uint32_t cp = 0;
		size_t n = utf8_sequence(s + i, len - i, &cp);
		const char *emit;
		size_t emit_len;
		if (n == 0) {
			emit = "?", emit_len = 1, n = 1;
		} else if (cp == '\n' || cp == '\t' || cp == '\r') {
			emit = " ", emit_len = 1;
		} else if (sanitize_is_control(cp)) {
			emit = "?", emit_len = 1;
		} else {
			emit = (const char *)s + i, emit_len = n;
		}
		if (out + emit_len > size - 1)
			break;                      /* never cut a character in half */
		memmove(dst + out, emit, emit_len); /* dst may be src */
		out += emit_len;
		i += n;
	}
	dst[out] = '\0';
	return dst;
}

char *sanitize_text(char *dst, size_t size, const char *src)
{
	return sanitize_bytes(dst, size, src ? src : "", src ? strlen(src) : 0);
}
