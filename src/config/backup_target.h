/* backup_target.h - the grammar of backup targets.
 *
 * A backup target is "s3://bucket[/prefix]" (an S3 bucket, at the endpoint
 * of [backup] s3_endpoint) or "file:///dir" / "file://localhost/dir" (a
 * local directory). The configuration, `backup --target` and sink_open
 * (repo/sink.h) all read a target through backup_target_check, so they
 * accept and refuse the same ones.
 *
 * Pure functions; results are owned by the caller.
 */
#ifndef OPSDECK_CONFIG_BACKUP_TARGET_H
#define OPSDECK_CONFIG_BACKUP_TARGET_H

#include <stdbool.h>
#include <stddef.h>

struct backup_target_s3 {
	char *bucket; /* validated: 3..63 of a-z 0-9 . - */
	char *prefix; /* "" or the key prefix, without a leading '/' */
};

/* Parses "s3://bucket[/prefix]". Leading '/'s of the prefix are dropped; a
 * trailing '/' is kept (it is part of the key). Returns 0, or -1 with a
 * reason in err, phrased to follow the quoted target ("does not name ...");
 * on failure both members are NULL. */
int backup_target_parse_s3(const char *url, struct backup_target_s3 *target, char *err,
                           size_t errlen);
void backup_target_s3_free(struct backup_target_s3 *target);

/* Whether a bucket name is one S3 accepts (3..63 bytes of lowercase letters,
 * digits, '.' and '-', starting and ending with a letter or digit). */
bool backup_target_bucket_valid(const char *bucket);

/* The directory of a "file:///dir" or "file://localhost/dir" backup target:
 * a pointer into url starting with '/', or NULL if url is not one. */
const char *backup_target_file_dir(const char *url);

/* Checks a backup target: backup_target_parse_s3 for s3://,
 * backup_target_file_dir for file://. Returns 0, or -1 with a reason in err
 * phrased to follow the quoted target ("is not a backup target ..."). */
int backup_target_check(const char *url, char *err, size_t errlen);

#endif
