/* panel_version.c - the Version panel: what the app says is deployed, its
 * build and commit, and where the version came from (panel.h). The build
 * and the commit keep their figures on a narrow panel (the date without its
 * time, the commit without its label); Enter shows every field whole. */
#include "ui/panel.h"

#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/text.h"

/* Where the version came from, or what is wrong with it, and its element. */
static const char *panel_version_source(const struct version_status *ver, char *dst, size_t size,
                                        enum ui_element *element)
{
	const char *source = ver->source == VERSION_SOURCE_URL       ? "version_url"
	                     : ver->source == VERSION_SOURCE_FILE    ? "version_file"
	                     : ver->source == VERSION_SOURCE_HISTORY ? "the history"
	                                                             : "nowhere";
	*element = UI_DIM;
	if (ver->file_version[0] != '\0' && ver->source == VERSION_SOURCE_URL &&
	    strcmp(ver->file_version, ver->version) != 0) {
		*element = UI_WARNING;
		text_printf(dst, size, "! version_file says %s: half-done deploy?",
		            ver->file_version);
	} else if (ver->check.state != CHECK_OK) {
		*element = UI_CRITICAL;
		text_copy(dst, ver->url_error[0] ? ver->url_error : ver->check.error, size);
	} else if (ver->source == VERSION_SOURCE_FILE && ver->url_error[0] != '\0') {
		*element = UI_WARNING;
		text_printf(dst, size, "from version_file; version_url: %s", ver->url_error);
	} else {
		text_printf(dst, size, "from %s", source);
	}
	return dst;
}

static void panel_version_draw(struct grid *g, const struct ui_view *v, struct ui_area a,
                               bool focused)
{
	const struct version_status *ver = &v->snap->version;
	int end = a.x + a.w, y = a.y;
	(void)focused;
	if (panel_draw_placeholder(g, v, a, CHECK_ID_VERSION, &ver->check, NULL))
		return;
	enum ui_severity sev = panel_check_severity(v, CHECK_ID_VERSION, ver->check.state);
	int n = panel_draw_mark(g, v, a.x, y, end, sev) + 1;
	char build[64] = "", build_brief[48] = "";
	if (ver->build_number[0] != '\0') {
		text_printf(build, sizeof(build), "build %s", ver->build_number);
		text_printf(build_brief, sizeof(build_brief), "#%s", ver->build_number);
	}
	const struct fit_field first[] = {
	    {ver->version, NULL, 2, 0, true, UI_TITLE, NULL},
	    {build, build_brief, 1, 2, false, UI_NORMAL, NULL},
	    {"", NULL, FIT_KEEP, 0, true, UI_NORMAL, NULL}, /* the room left */
	};
	panel_draw_fields(g, v, a.x + n, y, a.w - n, first, 3, NULL);
	if (++y >= a.y + a.h)
		return;
	char commit[64], built[96], date[16];
	text_printf(commit, sizeof(commit), "commit %s",
	            ver->commit_hash[0] ? ver->commit_hash : "-");
	text_printf(built, sizeof(built), "built %s", ver->build_date[0] ? ver->build_date : "-");
	text_printf(date, sizeof(date), "%.10s", ver->build_date[0] ? ver->build_date : "-");
	const struct fit_field second[] = {
	    {commit, ver->commit_hash[0] ? ver->commit_hash : "-", 2, 0, false, UI_NORMAL, NULL},
	    {built, date, 1, fit_text_width(panel_dot(v)), false, UI_NORMAL, panel_dot(v)},
	};
	panel_draw_fields(g, v, a.x, y, a.w, second, 2, NULL);
	if (++y >= a.y + a.h)
		return;
	char source[512];
	enum ui_element element;
	panel_version_source(ver, source, sizeof(source), &element);
	const struct fit_field third = {source, NULL, 0, 0, true, element, NULL};
	panel_draw_fields(g, v, a.x, y, a.w, &third, 1, NULL);
}

static int panel_version_details(const struct ui_view *v, int selected, char *title,
                                 size_t title_size, char *text, size_t text_size)
{
	const struct version_status *ver = &v->snap->version;
	(void)selected;
	char source[512];
	enum ui_element element;
	snprintf(title, title_size, "Version");
	struct strbuf b;
	strbuf_init(&b, text_size);
	strbuf_printf(&b, "Deployed: %s\nBuild: %s\nCommit: %s\nBuilt: %s\n",
	              ver->version[0] ? ver->version : "unknown",
	              ver->build_number[0] ? ver->build_number : "-",
	              ver->commit_hash[0] ? ver->commit_hash : "-",
	              ver->build_date[0] ? ver->build_date : "-");
	if (ver->file_version[0] != '\0')
		strbuf_printf(&b, "version_file says: %s\n", ver->file_version);
	if (ver->url_error[0] != '\0')
		strbuf_printf(&b, "version_url: %s\n", ver->url_error);
	strbuf_printf(&b, "\n%s\n", panel_version_source(ver, source, sizeof(source), &element));
	text_copy(text, strbuf_str(&b), text_size);
	strbuf_free(&b);
	return 0;
}

const struct ui_panel_class panel_version = {
    .id = PANEL_VERSION,
    .title = "Version",
    .draw = panel_version_draw,
    .details = panel_version_details,
};
