/* endpoints.c - the request log by path (see endpoints.h). */
#include "model/endpoints.h"

#include <stdio.h>
#include <string.h>

#include "model/redact.h"
#include "util/sanitize.h"
#include "util/text.h"

const char *endpoints_state_name(enum endpoints_state state)
{
	switch (state) {
	case ENDPOINTS_OK:
		return "ok";
	case ENDPOINTS_NOT_AVAILABLE:
		return "not_available";
	case ENDPOINTS_FAILED:
		return "failed";
	case ENDPOINTS_NOT_READ:
		break;
	}
	return "not_read";
}

void endpoints_reset(struct endpoint_breakdown *b, const char *column)
{
	memset(b, 0, sizeof(*b));
	sanitize_text(b->column, sizeof(b->column), column ? column : "");
}

void endpoint_path_set(char *dst, size_t size, const char *raw)
{
	if (size == 0)
		return;
	if (!raw) {
		snprintf(dst, size, "(no path)");
		return;
	}
	char cut[ENDPOINT_PATH * 2];
	size_t n = strcspn(raw, "?#");
	if (n >= sizeof(cut))
		n = sizeof(cut) - 1;
	memcpy(cut, raw, n);
	cut[n] = '\0';
	sanitize_text(dst, size, cut);
	redact_text(dst, size);
}

const struct endpoint_stat *endpoints_worst_errors(const struct endpoint_breakdown *b)
{
	return b->state == ENDPOINTS_OK && b->error_count > 0 ? &b->by_errors[0] : NULL;
}

const struct endpoint_stat *endpoints_slowest(const struct endpoint_breakdown *b)
{
	return b->state == ENDPOINTS_OK && b->slow_count > 0 ? &b->by_p95[0] : NULL;
}

void endpoints_errors_text(const struct endpoint_breakdown *b, int max, char *dst, size_t size)
{
	char of[32], count[32];
	size_t used = 0;
	dst[0] = '\0';
	if (!endpoints_worst_errors(b))
		return;
	text_format_count(of, sizeof(of), b->errors);
	for (int i = 0; i < b->error_count && i < max && used < size; i++) {
		text_format_count(count, sizeof(count), b->by_errors[i].errors);
		int n = snprintf(dst + used, size - used, "%s%.48s: %s of %s errors", i ? ", " : "",
		                 b->by_errors[i].path, count, of);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

void endpoints_slowest_text(const struct endpoint_breakdown *b, char *dst, size_t size)
{
	const struct endpoint_stat *e = endpoints_slowest(b);
	char count[32];
	if (!e) {
		snprintf(dst, size, "%s", "");
		return;
	}
	text_format_count(count, sizeof(count), e->requests);
	snprintf(dst, size, "%.48s (p95 %.0f ms over %s %s)", e->path, e->p95_ms, count,
	         text_plural(e->requests, "request", "requests"));
}
