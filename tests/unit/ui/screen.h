/* screen.h - the dashboard's whole screen for the ui unit tests: a quiet
 * view to draw a dialog over, the comparison of a drawing with a golden
 * file in tests/fixtures/ui (OPSDECK_UPDATE_GOLDEN=1 rewrites it), and the
 * strings of the configuration a dialog reads. */
#ifndef OPSDECK_TESTS_UI_SCREEN_H
#define OPSDECK_TESTS_UI_SCREEN_H

#include "ui/activity.h"
#include "ui/panels.h"

/* What a view borrows; owned by the test. */
struct screen_parts {
	struct snapshot snap;
	struct diagnosis diag;
	struct history hist;
	struct activity_log activity;
	struct ui_state state;
};

/* Fills v from parts: an app "shop" that has not been probed yet, no
 * issue, no history, no activity, ASCII drawing, at a fixed time. */
void screen_view_quiet(struct ui_view *v, struct screen_parts *parts);

/* Replaces a string of a test's configuration with a copy of value. */
void screen_set_string(char **field, const char *value);

/* Draws v into a w x h grid and compares the text with
 * tests/fixtures/ui/NAME.txt; fails the test when they differ. */
void screen_check_golden(const struct ui_view *v, int w, int h, const char *name);

#endif
