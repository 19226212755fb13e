/* header.h - the dashboard's first line, drawn at every terminal size,
 * even when only one panel or none fits: the overall state and the most
 * severe issue first ("✗ CRITICAL The app's health check failed: HTTP
 * 500"), then the app and its environment, the deployed version, opsdeck's
 * own version and the age of the data. The fields are fitted to the width
 * by priority (fit.h): the state is never dropped; the age of the data, the
 * issue, the app, how many more issues there are, the version and opsdeck's
 * version go in the reverse of that order, the issue being cut rather than
 * dropped. Pure, as the panels (panel.h).
 */
#ifndef OPSDECK_UI_HEADER_H
#define OPSDECK_UI_HEADER_H

#include "ui/panel.h"

/* The overall state of the view: the worst of the health checks and of the
 * diagnosis, as `status`, `check` and the other outputs report it;
 * UI_SEV_PENDING before the first poll, UI_SEV_NONE when nothing is
 * configured. */
enum ui_severity header_overall(const struct ui_view *v);

/* Draws the header into row y of g, across the whole width. */
void header_draw(struct grid *g, const struct ui_view *v, int y);

#endif
