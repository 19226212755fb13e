/* expand.h - ${NAME} expansion in configuration values.
 *
 * "${NAME}" is replaced by the variable's value; "$${" stands for a literal
 * "${"; any other '$' is kept as is. An unterminated "${" or a name that is
 * not [A-Za-z_][A-Za-z0-9_]* is an error.
 */
#ifndef OPSDECK_CONFIG_EXPAND_H
#define OPSDECK_CONFIG_EXPAND_H

#include <stddef.h>

/* Returns the variable's value or NULL when unset. */
typedef const char *(*expand_lookup_fn)(void *ctx, const char *name);

/* Expands `in` into a newly allocated string (*out, owned by the caller).
 * Unset variables expand to "", and the first such name is copied into
 * unset_name (size unset_len) so the caller can explain an empty value.
 * Returns 0, or -1 with the reason in err (no file or line: the caller adds them). */
int expand_vars(const char *in, expand_lookup_fn lookup, void *ctx, char **out, char *unset_name,
                size_t unset_len, char *err, size_t errlen);

#endif
