/* drill.c - the last backup drill in words (see drill.h). */
#include "model/drill.h"

#include <stdio.h>

#include "util/text.h"

void drill_result_summary(const struct drill_result *r, int64_t now_ms, char *dst, size_t size)
{
	if (r->at_ms <= 0) {
		text_printf(dst, size, "no drill yet");
		return;
	}
	char ago[32], rto[32];
	text_format_duration(ago, sizeof(ago), now_ms > r->at_ms ? now_ms - r->at_ms : 0);
	text_format_duration(rto, sizeof(rto), r->rto_ms);
	if (r->ok)
		text_printf(dst, size, "ok %s ago, RTO %s", ago, rto);
	else
		text_printf(dst, size, "FAILED %s ago: %s", ago, r->why);
}
