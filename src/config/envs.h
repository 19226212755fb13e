/* envs.h - named environments: one configuration file each, NAME.conf in
 * an envs/ directory beside the configuration files, searched in order:
 *
 *   $XDG_CONFIG_HOME/opsdeck/envs/   (default ~/.config/opsdeck/envs/)
 *   /etc/opsdeck/envs/
 *
 * An environment's file is a whole configuration (as with -c FILE), so
 * staging and production cannot leak into each other. A name in the
 * user's directory hides the same name in /etc. `-e NAME` selects one;
 * `opsdeck envs` lists them all.
 */
#ifndef OPSDECK_CONFIG_ENVS_H
#define OPSDECK_CONFIG_ENVS_H

#include <stdbool.h>
#include <stddef.h>

struct config;

#define ENVS_NAME_MAX 64 /* with the NUL */
#define ENVS_MAX      64 /* environments listed at most */

/* A name: a letter or digit, then letters, digits, '.', '_' or '-', at
 * most ENVS_NAME_MAX - 1 bytes (never a path). */
bool envs_name_valid(const char *name);

/* The file of environment name (owned by the caller), or NULL with one
 * line in err: "unknown environment 'x' (known: prod, staging)", "no
 * environments are configured (put NAME.conf in DIR or DIR)", or "'a/b'
 * is not an environment name (...)". */
char *envs_path(const char *name, char *err, size_t errlen);

/* An environment's own history: when cfg, loaded from environment name's
 * file, keeps the default [history] dir, it becomes that directory's NAME/
 * (.../history/prod), so two environments never share a history, its
 * writer's lock or what their notifications told. A dir the file sets
 * stays. */
void envs_own_history(struct config *cfg, const char *name);

/* Every environment's name, sorted, at most ENVS_MAX: names[i] written
 * with ENVS_NAME_MAX bytes each. Returns the count. Files whose names are
 * not valid names are left out. */
size_t envs_list(char (*names)[ENVS_NAME_MAX], size_t max);

#endif
