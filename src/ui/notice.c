/* notice.c - the key bar's notice expires (notice.h). */
#include "ui/notice.h"

#include <string.h>

#include "util/text.h"

int64_t ui_notice_duration_ms(size_t length)
{
	int64_t ms = UI_NOTICE_MS;
	if (length > UI_NOTICE_CHARS)
		ms +=
		    (int64_t)((length - UI_NOTICE_CHARS + UI_NOTICE_CHARS - 1) / UI_NOTICE_CHARS) *
		    UI_NOTICE_EXTRA_MS;
	return ms < UI_NOTICE_MAX_MS ? ms : UI_NOTICE_MAX_MS;
}

bool ui_notice_expire(struct ui_notice_clock *clock, char *message, int64_t now_ms)
{
	if (message[0] == '\0') {
		clock->seen[0] = '\0';
		return false;
	}
	if (strcmp(clock->seen, message) != 0) {
		text_copy(clock->seen, message, sizeof(clock->seen));
		clock->since_ms = now_ms;
		return false;
	}
	if (now_ms - clock->since_ms < ui_notice_duration_ms(strlen(message)))
		return false;
	message[0] = '\0';
	clock->seen[0] = '\0';
	return true;
}

void ui_notice_restart(struct ui_notice_clock *clock)
{
	clock->seen[0] = '\0';
}
