/* validate.h - one configuration value read into its field and checked;
 * internal to src/config/ (everything else uses config/config.h).
 *
 * A value is applied as soon as it is expanded (its syntax and the key's
 * range), and checked once every value is known (the key's check: a URL
 * check needs [app] timeout). Messages start with origin ("path:line: key"
 * or "section.key (default ...)"), quote a value at most 60 characters
 * long with any URL password masked and controls replaced, and never hold
 * a secret. Passwords found in URLs are registered with redact_register().
 */
#ifndef OPSDECK_CONFIG_VALIDATE_H
#define OPSDECK_CONFIG_VALIDATE_H

#include <stddef.h>

#include "config/config.h"
#include "config/keys.h"

/* Parses value (already expanded; unset names the variable that expanded
 * to nothing, or is "") into k's field in cfg, within k's range. Returns 0,
 * or -1 with one line in err. */
int config_value_apply(struct config *cfg, const struct config_key *k, const char *value,
                       const char *unset, const char *origin, char *err, size_t errlen);

/* Runs k's check (k->check) on its field in cfg. Returns 0, or -1 with one
 * line in err. */
int config_value_check(struct config *cfg, const struct config_key *k, const char *origin,
                       char *err, size_t errlen);

#endif
