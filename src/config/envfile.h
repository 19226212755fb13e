/* envfile.h - read an app's .env file (the dotenv format).
 *
 * Lines are NAME=VALUE, with an optional leading "export ", "#" comments,
 * and values that may be 'single quoted' (literal), "double quoted" (\n, \",
 * \\ escapes) or bare (trailing whitespace and " #comment" removed). Nothing
 * is expanded and nothing is written to the process environment.
 */
#ifndef OPSDECK_CONFIG_ENVFILE_H
#define OPSDECK_CONFIG_ENVFILE_H

#include <stddef.h>

struct envfile;

/* Parses text that came from `name` (used in messages). Returns NULL on a
 * syntax error, with "name:line: reason" in err. */
struct envfile *envfile_parse(const char *name, const char *text, char *err, size_t errlen);

/* Reads and parses a file; NULL with "path: reason" or "path:line: reason". */
struct envfile *envfile_load(const char *path, char *err, size_t errlen);

/* The value of NAME (the last assignment wins), or NULL. Borrowed. */
const char *envfile_get(const struct envfile *env, const char *name);

/* Whether any value looks like a secret: a URL with a password, or a name
 * containing PASSWORD, SECRET, TOKEN or KEY (any case) with a non-empty
 * value. Returns the line of the first one, or 0 when there is none. */
int envfile_holds_secret(const struct envfile *env);

void envfile_free(struct envfile *env);

#endif
