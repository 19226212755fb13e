/* url.c - backup target URLs (see url.h). */
#include "repo/url.h"

#include <stdio.h>
#include <string.h>

#include "s3/url.h"

const char *repo_url_file_dir(const char *url)
{
	if (strncmp(url, "file:///", 8) == 0)
		return url + 7;
	if (strncmp(url, "file://localhost/", 17) == 0)
		return url + 16;
	return NULL;
}

int repo_url_check(const char *url, char *err, size_t errlen)
{
	if (strncmp(url, "s3://", 5) == 0) {
		struct s3_target t;
		if (s3_target_parse(url, &t, err, errlen) < 0)
			return -1;
		s3_target_free(&t);
		return 0;
	}
	if (repo_url_file_dir(url))
		return 0;
	snprintf(err, errlen, "is not a backup target (use s3://bucket/prefix or file:///dir)");
	return -1;
}
