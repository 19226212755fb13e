/* paths.c - default locations of the audit log and the state (paths.h). */
#include "config/paths.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

/* The first entry of a systemd directory variable, if it is absolute. */
static char *systemd_dir(const char *name)
{
	const char *value = getenv(name);
	if (!value || value[0] != '/')
		return NULL;
	return xstrndup(value, strcspn(value, ":"));
}

const char *paths_home(void)
{
	const char *home = getenv("HOME");
	if (!home || home[0] != '/') {
		struct passwd *pw = getpwuid(getuid());
		home = pw ? pw->pw_dir : NULL;
	}
	return home && home[0] == '/' ? home : NULL;
}

char *paths_user_config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && xdg[0] == '/') /* the XDG spec: relative values are ignored */
		return xasprintf("%s/opsdeck", xdg);
	const char *home = paths_home();
	return home ? xasprintf("%s/.config/opsdeck", home) : NULL;
}

/* $XDG_STATE_HOME/opsdeck, or ~/.local/state/opsdeck; NULL without a home. */
static char *user_state_dir(void)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	if (xdg && xdg[0] == '/') /* the XDG spec: relative values are ignored */
		return xasprintf("%s/opsdeck", xdg);
	const char *home = paths_home();
	return home ? xasprintf("%s/.local/state/opsdeck", home) : NULL;
}

char *paths_default_audit_log(void)
{
	char *dir = systemd_dir("LOGS_DIRECTORY");
	if (!dir && geteuid() == 0)
		dir = xstrdup("/var/log/opsdeck");
	if (!dir)
		dir = user_state_dir();
	if (!dir)
		return NULL;
	char *path = xasprintf("%s/audit.jsonl", dir);
	free(dir);
	return path;
}

char *paths_default_state_dir(void)
{
	char *dir = systemd_dir("STATE_DIRECTORY");
	if (!dir && geteuid() == 0)
		dir = xstrdup("/var/lib/opsdeck");
	if (!dir)
		dir = user_state_dir();
	return dir;
}

char *paths_default_history_dir(void)
{
	char *state = paths_default_state_dir();
	if (!state)
		return NULL;
	char *dir = xasprintf("%s/history", state);
	free(state);
	return dir;
}
