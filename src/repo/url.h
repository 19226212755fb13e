/* url.h - backup target URLs: which storage driver a target names.
 *
 * A backup target is "s3://bucket/prefix" (parsed by s3/url.h) or
 * "file:///dir" / "file://localhost/dir" (a local directory). The
 * configuration, the command line and sink_open (repo/sink.h) all read a
 * target through repo_url_check, so they accept and refuse the same ones.
 *
 * Pure functions; nothing is allocated that the caller must free.
 */
#ifndef OPSDECK_REPO_URL_H
#define OPSDECK_REPO_URL_H

#include <stddef.h>

/* The directory of a "file:///dir" or "file://localhost/dir" backup target:
 * a pointer into url starting with '/', or NULL if url is not one. */
const char *repo_url_file_dir(const char *url);

/* Checks a backup target: s3_target_parse for s3://, repo_url_file_dir for
 * file://. Returns 0, or -1 with a reason in err phrased to follow the
 * quoted target ("is not a backup target ..."). */
int repo_url_check(const char *url, char *err, size_t errlen);

#endif
