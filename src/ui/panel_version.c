/* panel_version.c - the Version panel: what the app says is deployed, its
 * build and commit, and where the version came from (panel.h). */
#include "ui/panel.h"

#include <string.h>

static void panel_version_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                               bool focused)
{
	const struct version_status *ver = &v->snap->version;
	int end = a.x + a.w, y = a.y;
	(void)focused;
	if (panel_draw_placeholder(g, v, a, CHECK_ID_VERSION, &ver->check, NULL))
		return;
	enum ui_severity sev = panel_check_severity(v, CHECK_ID_VERSION, ver->check.state);
	int n = panel_draw_mark(g, v, a.x, y, end, sev);
	grid_printf(g, a.x + n + 1, y, end, UI_TITLE, "%s", ver->version);
	n += 2 + (int)strlen(ver->version);
	if (ver->build_number[0] != '\0')
		n += grid_printf(g, a.x + n, y, end, UI_NORMAL, "  build %s", ver->build_number);
	y++;
	if (y >= a.y + a.h)
		return;
	grid_printf(g, a.x, y++, end, UI_NORMAL, "commit %s%sbuilt %s",
	            ver->commit_hash[0] ? ver->commit_hash : "-", panel_dot(v),
	            ver->build_date[0] ? ver->build_date : "-");
	if (y >= a.y + a.h)
		return;
	const char *source = ver->source == VERSION_SOURCE_URL    ? "version_url"
	                     : ver->source == VERSION_SOURCE_FILE ? "version_file"
	                                                          : "nowhere";
	if (ver->file_version[0] != '\0' && ver->source == VERSION_SOURCE_URL &&
	    strcmp(ver->file_version, ver->version) != 0)
		grid_printf(g, a.x, y, end, UI_WARNING, "! version_file says %s: half-done deploy?",
		            ver->file_version);
	else if (ver->check.state != CHECK_OK)
		grid_printf(g, a.x, y, end, UI_CRITICAL, "%s",
		            ver->url_error[0] ? ver->url_error : ver->check.error);
	else if (ver->source == VERSION_SOURCE_FILE && ver->url_error[0] != '\0')
		grid_printf(g, a.x, y, end, UI_WARNING, "from version_file; version_url: %s",
		            ver->url_error);
	else
		grid_printf(g, a.x, y, end, UI_DIM, "from %s", source);
}

const struct ui_panel_class panel_version = {
    .id = PANEL_VERSION,
    .title = "Version",
    .draw = panel_version_draw,
};
