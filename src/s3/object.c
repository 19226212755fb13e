/* object.c - whole objects (see s3.h): PUT, GET (streamed to the caller,
 * resumed by the runner when it breaks off) and DELETE, each one call of
 * request.c.
 */
#include "s3/request.h"

#include <stdlib.h>

#include "util/strbuf.h"

int s3_put_object(struct s3_client *c, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen)
{
	if (!s3_key_valid(key, err, errlen))
		return -1;
	char md5[32];
	char *what = s3_call_describe(c, "PUT", key);
	struct s3_call call;
	s3_call_init(&call, c, "PUT", key, what);
	call.content_type = content_type && *content_type ? content_type : NULL;
	s3_call_set_body(&call, data, len, md5);
	int rc = s3_call_run(&call, err, errlen);
	strbuf_free(&call.reply);
	free(what);
	return rc;
}

int s3_get_object(struct s3_client *c, const char *key,
                  int (*on_data)(void *ctx, const void *data, size_t len), void *ctx, char *err,
                  size_t errlen)
{
	if (!s3_key_valid(key, err, errlen))
		return -1;
	char *what = s3_call_describe(c, "GET", key);
	struct s3_call call;
	s3_call_init(&call, c, "GET", key, what);
	call.on_data = on_data;
	call.data_ctx = ctx;
	int rc = s3_call_run(&call, err, errlen);
	strbuf_free(&call.reply);
	free(what);
	return rc;
}

int s3_delete_object(struct s3_client *c, const char *key, char *err, size_t errlen)
{
	if (!s3_key_valid(key, err, errlen))
		return -1;
	char *what = s3_call_describe(c, "DELETE", key);
	struct s3_call call;
	s3_call_init(&call, c, "DELETE", key, what);
	int rc = s3_call_run(&call, err, errlen);
	strbuf_free(&call.reply);
	free(what);
	return rc;
}
