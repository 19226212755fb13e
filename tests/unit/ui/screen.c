/* screen.c - see screen.h. */
#include "screen.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ui/grid.h"

#define SCREEN_NOW 1795000000000LL

void screen_view_quiet(struct ui_view *v, struct screen_parts *parts)
{
	memset(parts, 0, sizeof(*parts));
	snapshot_init(&parts->snap);
	snprintf(parts->snap.app_name, sizeof(parts->snap.app_name), "shop");
	history_init(&parts->hist);
	activity_init(&parts->activity);
	parts->state.focus = PANEL_HEALTH;
	parts->state.interval_ms = 2000;
	snprintf(parts->state.theme_name, sizeof(parts->state.theme_name), "default");

	memset(v, 0, sizeof(*v));
	v->snap = &parts->snap;
	v->diag = &parts->diag;
	v->hist = &parts->hist;
	v->activity = &parts->activity;
	v->state = &parts->state;
	v->now_ms = SCREEN_NOW;
	v->last_refresh_ms = SCREEN_NOW - 3000;
	v->environment = "production";
	v->program_version = "0.1.0";
}

void screen_set_string(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	assert_non_null(*field);
}

void screen_check_golden(const struct ui_view *v, int w, int h, const char *name)
{
	struct grid g;
	assert_int_equal(grid_init(&g, w, h), 0);
	panels_draw(&g, v);
	char *text = grid_to_text(&g);
	assert_non_null(text);
	char path[512];
	snprintf(path, sizeof(path), "%s/ui/%s.txt", FIXTURES, name);
	const char *update = getenv("OPSDECK_UPDATE_GOLDEN");
	if (update != NULL && strcmp(update, "1") == 0) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		assert_int_equal(fclose(f), 0);
	}
	FILE *f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s is missing (run with OPSDECK_UPDATE_GOLDEN=1)", path);
	static char want[65536];
	size_t n = fread(want, 1, sizeof(want) - 1, f);
	fclose(f);
	want[n] = '\0';
	if (strcmp(want, text) != 0) {
		fprintf(stderr, "--- %s differs; got:\n%s", path, text);
		fail_msg("%s differs from the rendering", name);
	}
	free(text);
	grid_free(&g);
}
