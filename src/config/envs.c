/* envs.c - named environments (envs.h). */
#include "config/envs.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "config/paths.h"
#include "util/xalloc.h"

#define ENVS_SUFFIX ".conf"

bool envs_name_valid(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= ENVS_NAME_MAX || !isalnum((unsigned char)name[0]))
		return false;
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '_' && *c != '-')
			return false;
	return true;
}

/* The envs/ directories in search order, into dirs (owned by the caller,
 * free each); returns how many (1 or 2). */
static size_t envs_dirs(char *dirs[2])
{
	size_t n = 0;
	char *user = paths_user_config_dir();
	if (user) {
		dirs[n++] = xasprintf("%s/envs", user);
		free(user);
	}
	dirs[n++] = xstrdup(PATHS_SYSTEM_CONFIG_DIR "/envs");
	return n;
}

static void envs_dirs_free(char *dirs[2], size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(dirs[i]);
}

static int envs_compare(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Adds dir's environments to names (count so far in *n), skipping those
 * already there. */
static void envs_scan(const char *dir, char (*names)[ENVS_NAME_MAX], size_t max, size_t *n)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL && *n < max) {
		size_t len = strlen(e->d_name), suffix = strlen(ENVS_SUFFIX);
		if (len <= suffix || strcmp(e->d_name + len - suffix, ENVS_SUFFIX) != 0 ||
		    len - suffix >= ENVS_NAME_MAX)
			continue;
		char name[ENVS_NAME_MAX];
		memcpy(name, e->d_name, len - suffix);
		name[len - suffix] = '\0';
		bool seen = !envs_name_valid(name);
		for (size_t i = 0; i < *n && !seen; i++)
			seen = strcmp(names[i], name) == 0;
		if (!seen)
			memcpy(names[(*n)++], name, sizeof(name));
	}
	closedir(d);
}

size_t envs_list(char (*names)[ENVS_NAME_MAX], size_t max)
{
	char *dirs[2];
	size_t ndirs = envs_dirs(dirs), n = 0;
	for (size_t i = 0; i < ndirs; i++)
		envs_scan(dirs[i], names, max, &n);
	envs_dirs_free(dirs, ndirs);
	qsort(names, n, sizeof(names[0]), envs_compare);
	return n;
}

char *envs_path(const char *name, char *err, size_t errlen)
{
	if (!envs_name_valid(name)) {
		snprintf(err, errlen,
		         "'%.80s' is not an environment name (letters, digits, '.', '_' and '-')",
		         name);
		return NULL;
	}
	char *dirs[2];
	size_t ndirs = envs_dirs(dirs);
	for (size_t i = 0; i < ndirs; i++) {
		char *path = xasprintf("%s/%s" ENVS_SUFFIX, dirs[i], name);
		struct stat st;
		if (stat(path, &st) == 0) {
			envs_dirs_free(dirs, ndirs);
			return path;
		}
		free(path);
	}
	char(*names)[ENVS_NAME_MAX] = xcalloc(ENVS_MAX, sizeof(*names));
	size_t n = envs_list(names, ENVS_MAX);
	if (n == 0) {
		snprintf(err, errlen,
		         "unknown environment '%s': none is configured (put %s.conf in %s%s%s)",
		         name, name, dirs[0], ndirs > 1 ? " or " : "", ndirs > 1 ? dirs[1] : "");
	} else {
		size_t used =
		    (size_t)snprintf(err, errlen, "unknown environment '%s' (known:", name);
		for (size_t i = 0; i < n && used < errlen; i++)
			used += (size_t)snprintf(err + used, errlen - used, "%s %s", i ? "," : "",
			                         names[i]);
		if (used < errlen)
			snprintf(err + used, errlen - used, ")");
	}
	free(names);
	envs_dirs_free(dirs, ndirs);
	return NULL;
}

void envs_own_history(struct config *cfg, const char *name)
{
	char *shared = paths_default_history_dir();
	if (shared && cfg->history.dir && strcmp(cfg->history.dir, shared) == 0) {
		free(cfg->history.dir);
		cfg->history.dir = xasprintf("%s/%s", shared, name);
	}
	free(shared);
}
