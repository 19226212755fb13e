/* version_json.h - parse the app's version.json / GET /api/version reply. Pure.
 *
 * The seed's format: {"version", "buildNumber", "commitHash", "buildDate"},
 * all strings (a number for buildNumber is accepted). */
#ifndef OPSDECK_PROBE_VERSION_JSON_H
#define OPSDECK_PROBE_VERSION_JSON_H

#include <stddef.h>

#include "model/snapshot.h"

/* Fills version/build_number/commit_hash/build_date of out (sanitised).
 * Returns 0, or -1 with a reason ("not JSON", "no \"version\" string",
 * "{\"error\": ...}") in err. */
int version_json_parse(const char *text, size_t len, struct version_status *out, char *err,
                       size_t errlen);

#endif
