/* backup_target.c - the grammar of backup targets (backup_target.h). */
#include "config/backup_target.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

bool backup_target_bucket_valid(const char *bucket)
{
	size_t n = strlen(bucket);
	if (n < 3 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = bucket[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && c != '.' && c != '-')
			return false;
		if ((i == 0 || i == n - 1) && !alnum)
			return false;
	}
	return true;
}

int backup_target_parse_s3(const char *url, struct backup_target_s3 *target, char *err,
                           size_t errlen)
{
	target->bucket = NULL;
	target->prefix = NULL;
	if (strncmp(url, "s3://", 5) != 0) {
		snprintf(err, errlen, "is not an s3:// target");
		return -1;
	}
	const char *bucket = url + 5;
	const char *slash = strchr(bucket, '/');
	size_t bucket_len = slash ? (size_t)(slash - bucket) : strlen(bucket);
	char *name = xstrndup(bucket, bucket_len);
	if (!backup_target_bucket_valid(name)) {
		snprintf(err, errlen,
		         "does not name a valid S3 bucket (3 to 63 characters: "
		         "lowercase letters, digits, '.' and '-')");
		free(name);
		return -1;
	}
	const char *prefix = slash ? slash + 1 : "";
	while (*prefix == '/')
		prefix++;
	if (strchr(prefix, '?') || strchr(prefix, '#')) {
		snprintf(err, errlen, "may not hold '?' or '#' in its s3:// prefix");
		free(name);
		return -1;
	}
	target->bucket = name;
	target->prefix = xstrdup(prefix);
	return 0;
}

void backup_target_s3_free(struct backup_target_s3 *target)
{
	if (!target)
		return;
	free(target->bucket);
	free(target->prefix);
	target->bucket = NULL;
	target->prefix = NULL;
}

/* A host name or IPv4 address, or an IPv6 address in brackets: what may
 * go into a Host header and a signed request. */
const char *backup_target_file_dir(const char *url)
{
	if (strncmp(url, "file:///", 8) == 0)
		return url + 7;
	if (strncmp(url, "file://localhost/", 17) == 0)
		return url + 16;
	return NULL;
}

int backup_target_check(const char *url, char *err, size_t errlen)
{
	if (strncmp(url, "s3://", 5) == 0) {
		struct backup_target_s3 t;
		if (backup_target_parse_s3(url, &t, err, errlen) < 0)
			return -1;
		backup_target_s3_free(&t);
		return 0;
	}
	if (backup_target_file_dir(url))
		return 0;
	snprintf(err, errlen, "is not a backup target (use s3://bucket/prefix or file:///dir)");
	return -1;
}
