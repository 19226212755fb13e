/* expand.h - ${NAME} expansion in configuration values.
 *
 * "${NAME}" is replaced by the variable's value, and a variable that is not
 * set is an error: an unset variable must not quietly become an empty value
 * (an empty cache_prefix once meant "flush the whole database").
 * "${NAME:-default}" takes the default when the variable is unset or empty,
 * and "${NAME:-}" says that an empty value is intended. The default is
 * literal text up to the first '}' (no nesting, no '}' inside). "$${" stands
 * for a literal "${"; any other '$' is kept as is. An unterminated "${", a
 * name that is not [A-Za-z_][A-Za-z0-9_]* or any other shell form
 * (${NAME-x}, ${NAME:+x}, ${NAME:?}) is an error.
 */
#ifndef OPSDECK_CONFIG_EXPAND_H
#define OPSDECK_CONFIG_EXPAND_H

#include <stddef.h>

/* Returns the variable's value or NULL when unset. */
typedef const char *(*expand_lookup_fn)(void *ctx, const char *name);

/* Expands `in` into a newly allocated string (*out, owned by the caller).
 * The first variable that is unset and took its ${NAME:-default} is copied
 * into unset_name (size unset_len; may be NULL), so the caller can explain
 * an empty value. With a NULL lookup nothing is looked up and an unset
 * variable is no error: every reference becomes its default ("" for
 * ${NAME}), which leaves the text written out in the file (to look for a
 * password written there).
 * Returns 0, or -1 with *out NULL and the reason in err, naming the
 * variable (no file or line: the caller adds them). An error never quotes
 * a default: it is often the very URL or password the variable stands for. */
int expand_vars(const char *in, expand_lookup_fn lookup, void *ctx, char **out, char *unset_name,
                size_t unset_len, char *err, size_t errlen);

#endif
