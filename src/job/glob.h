/* glob.h - shell-style patterns on relative paths, for [backup] files_patterns.
 *
 * `*` matches any run of characters within one path segment, `?` one
 * character other than '/', `[abc]`, `[a-z]`, `[!a-z]` / `[^a-z]` one
 * character of a class, `\x` the character x, and `**` any number of whole
 * segments, none included: `**` alone matches every path, "**" then
 * "/" then "*.png" matches a.png and x/y/a.png, and "docs/" then "**"
 * matches everything under docs.
 * A leading dot is not special (backups want dotfiles too). Pure.
 */
#ifndef OPSDECK_JOB_GLOB_H
#define OPSDECK_JOB_GLOB_H

#include <stdbool.h>

/* Whether the relative path (segments separated by '/') matches pattern. */
bool glob_match(const char *pattern, const char *path);

#endif
