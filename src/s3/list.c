/* list.c - listings (see s3.h): ListObjectsV2 and ListMultipartUploads, one
 * page loop for both, following continuation tokens or markers. Pages are
 * asked for with encoding-type=url and read (keys decoded) by s3/xml.c.
 */
#include "s3/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "s3/url.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

void s3_objects_free(struct s3_object *objects, size_t count)
{
	if (!objects)
		return;
	for (size_t i = 0; i < count; i++)
		free(objects[i].key);
	free(objects);
}

/* GET on the bucket with raw_query (canonicalised here) for a listing; then
 * parse(ctx, reply) on a 2xx reply. 0, or -1 with why in err. */
static int bucket_list_call(struct s3_client *c, const char *what, const char *raw_query,
                            int (*parse)(void *ctx, const char *xml, size_t len, char *err,
                                         size_t errlen),
                            void *ctx, char *err, size_t errlen)
{
	struct strbuf query;
	strbuf_init(&query, 0);
	sigv4_canonical_query(&query, raw_query);
	struct s3_call call;
	s3_call_init(&call, c, "GET", NULL, what);
	call.query = strbuf_str(&query);
	int rc = s3_call_run(&call, err, errlen);
	if (rc == 0 && parse(ctx, call.reply.data, call.reply.len, err, errlen) < 0) {
		char reason[256];
		sanitize_text(reason, sizeof(reason), err);
		snprintf(err, errlen, "%s: %s", what, reason);
		redact_text(err, errlen);
		rc = -1;
	}
	strbuf_free(&call.reply);
	strbuf_free(&query);
	return rc;
}

/* Appends "&name=value" (value percent-encoded) to raw. */
static void query_add(struct strbuf *raw, const char *name, const char *value)
{
	strbuf_printf(raw, "&%s=", name);
	s3_uri_encode(raw, value, strlen(value), false);
}

/* What differs between ListObjectsV2 and ListMultipartUploads: the query
 * that names the operation, where the next page starts, how a page reads. */
struct list_kind {
	const char *operation; /* the query before the markers and the prefix */
	void (*add_markers)(const struct s3_client *c, const void *page, struct strbuf *raw);
	int (*parse)(void *page, const char *xml, size_t len, char *err, size_t errlen);
	bool (*truncated)(const void *page);
};

/* Reads every page of a listing under prefix into page (kind's page
 * type), following its markers. 0, or -1 with why in err. */
static int list_pages(struct s3_client *c, const char *prefix, const char *what,
                      const struct list_kind *kind, void *page, char *err, size_t errlen)
{
	int rc = -1;
	struct strbuf raw;
	strbuf_init(&raw, 0);
	for (int pages = 0;; pages++) {
		strbuf_reset(&raw);
		strbuf_puts(&raw, kind->operation);
		kind->add_markers(c, page, &raw);
		if (prefix && *prefix)
			query_add(&raw, "prefix", prefix);
		if (bucket_list_call(c, what, strbuf_str(&raw), kind->parse, page, err, errlen) < 0)
			goto done;
		if (!kind->truncated(page))
			break;
		if (pages > 1000000) {
			snprintf(err, errlen, "%s: the listing does not end", what);
			goto done;
		}
	}
	rc = 0;
done:
	strbuf_free(&raw);
	return rc;
}

static void objects_markers(const struct s3_client *c, const void *page, struct strbuf *raw)
{
	const struct s3_xml_list_page *p = page;
	if (p->next_token)
		query_add(raw, "continuation-token", p->next_token);
	if (c->list_page_size > 0)
		strbuf_printf(raw, "&max-keys=%d", c->list_page_size);
}

static int objects_parse(void *page, const char *xml, size_t len, char *err, size_t errlen)
{
	return s3_xml_parse_list(xml, len, page, err, errlen);
}

static bool objects_truncated(const void *page)
{
	return ((const struct s3_xml_list_page *)page)->truncated;
}

static const struct list_kind LIST_OBJECTS = {
    .operation = "list-type=2&encoding-type=url",
    .add_markers = objects_markers,
    .parse = objects_parse,
    .truncated = objects_truncated,
};

static void uploads_markers(const struct s3_client *c, const void *page, struct strbuf *raw)
{
	(void)c;
	const struct s3_xml_uploads_page *p = page;
	if (p->next_key_marker)
		query_add(raw, "key-marker", p->next_key_marker);
	if (p->next_upload_id_marker)
		query_add(raw, "upload-id-marker", p->next_upload_id_marker);
}

static int uploads_parse(void *page, const char *xml, size_t len, char *err, size_t errlen)
{
	return s3_xml_parse_uploads(xml, len, page, err, errlen);
}

static bool uploads_truncated(const void *page)
{
	return ((const struct s3_xml_uploads_page *)page)->truncated;
}

static const struct list_kind LIST_UPLOADS = {
    .operation = "uploads=&encoding-type=url",
    .add_markers = uploads_markers,
    .parse = uploads_parse,
    .truncated = uploads_truncated,
};

int s3_list_objects(struct s3_client *c, const char *prefix, struct s3_object **objects,
                    size_t *count, char *err, size_t errlen)
{
	struct s3_xml_list_page page = {0};
	char *what = xasprintf("LIST %s/%s", c->bucket, prefix ? prefix : "");
	int rc = list_pages(c, prefix, what, &LIST_OBJECTS, &page, err, errlen);
	*objects = rc == 0 ? page.objects : NULL;
	*count = rc == 0 ? page.count : 0;
	if (rc != 0)
		s3_objects_free(page.objects, page.count);
	free(page.next_token);
	free(what);
	return rc;
}

int s3_list_uploads(struct s3_client *c, const char *prefix, struct s3_upload **uploads,
                    size_t *count, char *err, size_t errlen)
{
	struct s3_xml_uploads_page page = {0};
	char *what = xasprintf("ListMultipartUploads %s/%s", c->bucket, prefix ? prefix : "");
	int rc = list_pages(c, prefix, what, &LIST_UPLOADS, &page, err, errlen);
	*uploads = rc == 0 ? page.uploads : NULL;
	*count = rc == 0 ? page.count : 0;
	if (rc != 0)
		s3_uploads_free(page.uploads, page.count);
	free(page.next_key_marker);
	free(page.next_upload_id_marker);
	free(what);
	return rc;
}

void s3_uploads_free(struct s3_upload *uploads, size_t count)
{
	if (!uploads)
		return;
	for (size_t i = 0; i < count; i++) {
		free(uploads[i].key);
		free(uploads[i].upload_id);
	}
	free(uploads);
}
