/* notice.h - how long the key bar's one-line notice (ui_state.message)
 * stays: a few seconds, longer for a longer text, then the key hints come
 * back without a key press. Pure: the caller passes the time; the
 * dashboard's loop, which wakes at least once a second, calls
 * ui_notice_expire on every turn.
 */
#ifndef OPSDECK_UI_NOTICE_H
#define OPSDECK_UI_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_NOTICE_MS       3000 /* a short notice stays this long */
#define UI_NOTICE_CHARS    40   /* ... up to this many characters */
#define UI_NOTICE_EXTRA_MS 1000 /* and this much more per UI_NOTICE_CHARS beyond */
#define UI_NOTICE_MAX_MS   8000
#define UI_NOTICE_TEXT_MAX 256

/* What the notice clock last saw. Zeroed: nothing seen yet. */
struct ui_notice_clock {
	char seen[UI_NOTICE_TEXT_MAX];
	int64_t since_ms;
};

/* How long a notice of `length` characters stays. */
int64_t ui_notice_duration_ms(size_t length);

/* Follows `message` (ui_state.message, UI_NOTICE_TEXT_MAX bytes at most): a
 * text it has not seen starts its time at now_ms; a text shown for its
 * duration is cleared ("" in message). Returns true when it cleared one. */
bool ui_notice_expire(struct ui_notice_clock *clock, char *message, int64_t now_ms);

/* The next ui_notice_expire takes the message as new: a key press may set
 * the same text again, and it then stays its whole time again. */
void ui_notice_restart(struct ui_notice_clock *clock);

#endif
