/* text.c - string helpers: bounded copy, trim, strict number and duration
 * parsing, human-readable formatting (see text.h). */
#include "util/text.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xalloc.h"

size_t text_copy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size == 0)
		return len;
	size_t n = len < size - 1 ? len : size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return len;
}

char *text_trim(char *s)
{
	char *start = s;
	while (*start && isspace((unsigned char)*start))
		start++;
	size_t len = strlen(start);
	while (len > 0 && isspace((unsigned char)start[len - 1]))
		len--;
	memmove(s, start, len);
	s[len] = '\0';
	return s;
}

bool text_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool text_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

void text_printf(char *dst, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(dst, size, fmt, ap);
	va_end(ap);
}

int text_parse_int64(const char *s, int64_t *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

int text_parse_double(const char *s, double *out)
{
	if (!s || !*s || isspace((unsigned char)*s))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* The number at the start of a duration or a size: not negative, no sign,
 * no leading space; *end after it. Returns 0 or -1. */
static int parse_leading_amount(const char *s, double *v, char **end)
{
	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtod(s, end);
	if (errno || *end == s || !isfinite(*v) || *v < 0)
		return -1;
	return 0;
}

int text_parse_duration_ms(const char *s, int64_t *out_ms)
{
	char *end;
	double v;
	if (parse_leading_amount(s, &v, &end) < 0)
		return -1;
	double scale;
	if (*end == '\0' || strcmp(end, "s") == 0)
		scale = 1000;
	else if (strcmp(end, "ms") == 0)
		scale = 1;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		scale = 60 * 1000;
	else if (strcmp(end, "h") == 0)
		scale = 3600 * 1000;
	else if (strcmp(end, "d") == 0)
		scale = 86400 * 1000;
	else
		return -1;
	double ms = v * scale;
	if (ms > 9.0e15) /* beyond int64 milliseconds with room to add */
		return -1;
	*out_ms = (int64_t)llround(ms);
	return 0;
}

int text_parse_bytes(const char *s, int64_t *out)
{
	static const char *const units[] = {"K", "M", "G", "T"};
	char *end;
	double v;
	if (parse_leading_amount(s, &v, &end) < 0)
		return -1;
	double scale = 1;
	if (*end && strcasecmp(end, "B") != 0) {
		size_t i = 0;
		while (i < 4 && toupper((unsigned char)*end) != units[i][0])
			i++;
		if (i == 4)
			return -1;
		const char *rest = end + 1;
		if (strcasecmp(rest, "") != 0 && strcasecmp(rest, "B") != 0 &&
		    strcasecmp(rest, "iB") != 0)
			return -1;
		for (size_t j = 0; j <= i; j++)
			scale *= 1024;
	}
	double bytes = v * scale;
	if (bytes > 9.0e18)
		return -1;
	*out = (int64_t)llround(bytes);
	return 0;
}

const char *text_plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

void text_format_bytes(char *dst, size_t size, uint64_t bytes)
{
	static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (bytes < 1024) {
		snprintf(dst, size, "%" PRIu64 " B", bytes);
		return;
	}
	double v = (double)bytes;
	size_t unit = 0;
	while (v >= 1024 && unit + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		unit++;
	}
	snprintf(dst, size, v < 10 ? "%.1f %s" : "%.0f %s", v, units[unit]);
}

void text_format_duration(char *dst, size_t size, int64_t ms)
{
	if (ms < 0) {
		snprintf(dst, size, "-");
		return;
	}
	if (ms < 1000) {
		snprintf(dst, size, "%" PRId64 " ms", ms);
		return;
	}
	if (ms < 60 * 1000) {
		snprintf(dst, size, "%.1f s", (double)ms / 1000);
		return;
	}
	int64_t s = ms / 1000;
	if (s < 3600)
		snprintf(dst, size, "%" PRId64 "m%02" PRId64 "s", s / 60, s % 60);
	else if (s < 86400)
		snprintf(dst, size, "%" PRId64 "h%02" PRId64 "m", s / 3600, (s % 3600) / 60);
	else
		snprintf(dst, size, "%" PRId64 "d%02" PRId64 "h", s / 86400, (s % 86400) / 3600);
}

void text_format_count(char *dst, size_t size, int64_t n)
{
	char digits[32], out[48];
	uint64_t v = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	int len = snprintf(digits, sizeof(digits), "%" PRIu64, v);
	size_t o = 0;
	if (n < 0)
		out[o++] = '-';
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	snprintf(dst, size, "%s", out);
}

int text_split_words(const char *s, const char *seps, char **out, int max)
{
	int n = 0;
	while (*s) {
		s += strspn(s, seps);
		size_t len = strcspn(s, seps);
		if (len == 0)
			break;
		if (n < max)
			out[n] = xstrndup(s, len);
		n++;
		s += len;
	}
	return n;
}
