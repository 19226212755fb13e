/* fuzz.h - what the fuzz targets share: the libFuzzer entry point, a check
 * that aborts (so libFuzzer and the replay driver both report the input),
 * and the invariants several targets assert on their output. */
#ifndef OPSDECK_TESTS_FUZZ_H
#define OPSDECK_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts with the failed condition when an invariant does not hold. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The input as a NUL-terminated string (it may hold NULs of its own, which
 * then end it early, as they would for the C string the program has). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An exact-size copy of the input (not terminated), so that ASan sees any
 * read past its end; one byte is allocated for an empty input. */
static inline char *fuzz_bytes(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);
	if (!s)
		abort();
	s[0] = '\0';
	if (size)
		memcpy(s, data, size);
	return s;
}

/* Whether s is what sanitize_text() promises: valid UTF-8 (no overlong
 * forms, surrogates or code points above U+10FFFF) with no C0 control, DEL,
 * C1 control or bidirectional control. */
static inline bool fuzz_text_is_clean(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	while (*s) {
		uint32_t cp;
		size_t n;
		if (*s < 0x80)
			cp = *s, n = 1;
		else if ((*s & 0xE0) == 0xC0)
			cp = *s & 0x1F, n = 2;
		else if ((*s & 0xF0) == 0xE0)
			cp = *s & 0x0F, n = 3;
		else if ((*s & 0xF8) == 0xF0)
			cp = *s & 0x07, n = 4;
		else
			return false;
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
		if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			return false;
		/* bidirectional controls reorder what follows on the screen */
		if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
		    cp == 0x200E || cp == 0x200F || cp == 0x061C)
			return false;
		s += n;
	}
	return true;
}

/* Whether a fixed-size field holds a terminated string. */
#define FUZZ_TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

/* How many times needle occurs in haystack (overlapping ones counted). */
static inline size_t fuzz_count(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Whether url_redact() sees text as one URL: it reads running text, where a
 * quote, backtick, '<', '>' or blank ends a URL, so a user name holding one
 * of those hides the password's URL from it (the registered secrets still
 * mask the password then, see redact_text). */
static inline bool fuzz_one_token(const char *text)
{
	return strpbrk(text, "\"'`<> \t\n\v\f\r") == NULL;
}

/* Whether a password is worth looking for in output: long enough not to
 * turn up by chance, and written the same encoded or not (so counting it
 * in the input counts where it was written). */
static inline bool fuzz_secret_traceable(const char *password)
{
	if (strlen(password) < 4 || strcmp(password, "***") == 0)
		return false;
	for (const char *c = password; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		      (*c >= '0' && *c <= '9') || *c == '_' || *c == '-' || *c == '.' || *c == '~'))
			return false;
	return true;
}

/* Checks that a redacted form of input shows the password fewer times than
 * the input does (the input's own occurrences elsewhere, in a host name say,
 * may stay). */
static inline void fuzz_check_masked(const char *input, const char *redacted, const char *password)
{
	if (!fuzz_secret_traceable(password))
		return;
	size_t before = fuzz_count(input, password);
	if (before == 0)
		return;
	if (fuzz_count(redacted, password) >= before) {
		fprintf(stderr, "password shown in \"%s\"\n", redacted);
		abort();
	}
}

/* Checks that a redacted form of a URL shows its password fewer times than
 * the URL does, for a password that may hold any reserved character ('@',
 * '/', ':', '?', '#'...) written unencoded: checked when the URL holds no
 * '%', so that the password is written in it as it is, and the password no
 * '*' (the mask, "***", next to an '@' would show "***@" again). */
static inline void fuzz_check_hidden(const char *url, const char *redacted, const char *password)
{
	if (strchr(url, '%') || strlen(password) < 4 || strchr(password, '*'))
		return;
	size_t before = fuzz_count(url, password);
	if (before > 0 && fuzz_count(redacted, password) >= before) {
		fprintf(stderr, "password \"%s\" shown in \"%s\"\n", password, redacted);
		abort();
	}
}

/* Whether needle occurs in s read as a query string (%XX decoded, '+' as a
 * space), as parsers decode the names they quote. */
static inline bool fuzz_in_decoded(const char *s, const char *needle)
{
	char *decoded = malloc(strlen(s) + 1);
	if (!decoded)
		abort();
	size_t n = 0;
	for (const char *c = s; *c; c++) {
		unsigned hex;
		if (c[0] == '%' && c[1] && c[2] && sscanf(c + 1, "%2x", &hex) == 1 && hex) {
			decoded[n++] = (char)hex;
			c += 2;
		} else {
			decoded[n++] = *c == '+' ? ' ' : *c;
		}
	}
	decoded[n] = '\0';
	bool found = strstr(decoded, needle) != NULL;
	free(decoded);
	return found;
}

/* Checks that an error about a URL quotes nothing that could be its
 * password: every piece it quotes ('...') comes from the part of the URL
 * from its last '@' on, which no reading of the URL puts in a password
 * (the whole URL after "://" when it has no '@'). The messages' own quoted
 * punctuation ('[', ']', '@') is not a piece of the URL. */
static inline void fuzz_check_error_quotes(const char *url, const char *err)
{
	const char *tail = strrchr(url, '@');
	if (!tail)
		tail = strstr(url, "://") ? strstr(url, "://") + 3 : url;
	for (const char *open = strchr(err, '\''); open; open = strchr(open, '\'')) {
		const char *close = strchr(open + 1, '\'');
		if (!close)
			break;
		size_t len = (size_t)(close - open - 1);
		char piece[128];
		snprintf(piece, sizeof(piece), "%.*s", (int)(len < 127 ? len : 127), open + 1);
		if (piece[strspn(piece, "[]@")] && strcmp(piece, "(not shown)") != 0 &&
		    !strstr(tail, piece) && !fuzz_in_decoded(tail, piece)) {
			fprintf(stderr, "error quotes '%s' from before the last '@': %s\n", piece,
			        err);
			abort();
		}
		open = close + 1;
	}
}

#endif
