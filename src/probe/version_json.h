/* version_json.h - parse the app's version.json / GET /api/version reply. Pure.
 *
 * The seed's format: {"version", "buildNumber", "commitHash", "buildDate"},
 * all strings (a number for buildNumber is accepted). */
#ifndef OPSDECK_PROBE_VERSION_JSON_H
#define OPSDECK_PROBE_VERSION_JSON_H

#include <stddef.h>

#include "model/snapshot.h"

/* Fills version/build_number/commit_hash/build_date of out (sanitised, cut
 * to their fields). The text must be exactly one JSON object (blanks around
 * it are fine) with a non-empty "version" string; the other members are
 * optional and left "" when absent or of the wrong type. Returns 0, or -1
 * with a reason in err ("not JSON: truncated", "not a JSON object",
 * "no \"version\" field", "the app reported an error: <its error member>")
 * and out untouched. text need not be NUL-terminated. */
int version_json_parse(const char *text, size_t len, struct version_status *out, char *err,
                       size_t errlen);

#endif
