/* multipart.c - multipart uploads (see s3.h): begin, parts from several
 * threads (their ETags kept under a lock), complete (retried when S3 puts a
 * passing <Error> in a 200 reply) and abort (bounded after a cancel).
 */
#include "s3/request.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "s3/url.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

/* What an abort after a cancel may take in all, its retries included: a
 * shutdown waits no longer than this for a server that does not answer. */
#define S3_CLEANUP_DEADLINE_MS 10000
#define S3_COMPLETE_STALL_MS   (10L * 60 * 1000)

struct s3_multipart {
	struct s3_client *client;
	char *key;
	char *upload_id;
	pthread_mutex_t lock;
	char **etags; /* etags[n - 1] for part n; NULL when not uploaded */
	size_t etag_cap;
	bool completed;
};

static char *upload_query(const struct s3_multipart *m, int part_number)
{
	struct strbuf raw, query;
	strbuf_init(&raw, 0);
	strbuf_init(&query, 0);
	if (part_number > 0)
		strbuf_printf(&raw, "partNumber=%d&", part_number);
	strbuf_puts(&raw, "uploadId=");
	s3_uri_encode(&raw, m->upload_id, strlen(m->upload_id), false);
	sigv4_canonical_query(&query, strbuf_str(&raw));
	strbuf_free(&raw);
	return strbuf_take(&query);
}

struct s3_multipart *s3_multipart_begin(struct s3_client *c, const char *key,
                                        const char *content_type, char *err, size_t errlen)
{
	if (!s3_key_valid(key, err, errlen))
		return NULL;
	struct s3_multipart *m = NULL;
	char *upload_id = NULL;
	char *what = s3_call_describe(c, "CreateMultipartUpload", key);
	struct s3_call call;
	s3_call_init(&call, c, "POST", key, what);
	call.query = "uploads=";
	call.content_type = content_type && *content_type ? content_type : NULL;
	s3_call_set_body(&call, NULL, 0, NULL);
	if (s3_call_run(&call, err, errlen) < 0)
		goto done;
	char reason[256];
	if (s3_xml_parse_upload_id(call.reply.data, call.reply.len, &upload_id, reason,
	                           sizeof(reason)) < 0) {
		snprintf(err, errlen, "%s: %s", what, reason);
		redact_text(err, errlen);
		goto done;
	}
	m = xcalloc(1, sizeof(*m));
	m->client = c;
	m->key = xstrdup(key);
	m->upload_id = upload_id;
	upload_id = NULL;
	pthread_mutex_init(&m->lock, NULL);
done:
	free(upload_id);
	strbuf_free(&call.reply);
	free(what);
	return m;
}

int s3_multipart_upload_part(struct s3_multipart *m, int part_number, const void *data, size_t len,
                             char *err, size_t errlen)
{
	struct s3_client *c = m->client;
	if (part_number < 1 || part_number > S3_MAX_PARTS) {
		snprintf(err, errlen, "UploadPart %s/%s: part number %d outside 1..%d", c->bucket,
		         m->key, part_number, S3_MAX_PARTS);
		return -1;
	}
	char md5[32];
	char *what = xasprintf("UploadPart %d of %s/%s", part_number, c->bucket, m->key);
	char *query = upload_query(m, part_number);
	struct s3_call call;
	s3_call_init(&call, c, "PUT", m->key, what);
	call.query = query;
	s3_call_set_body(&call, data, len, md5);
	int rc = s3_call_run(&call, err, errlen);
	if (rc == 0 && !call.etag[0]) {
		snprintf(err, errlen, "%s: no ETag in the reply", what);
		rc = -1;
	}
	if (rc == 0) {
		pthread_mutex_lock(&m->lock);
		if (m->completed) {
			snprintf(err, errlen, "%s: the upload is already complete", what);
			rc = -1;
		} else {
			if ((size_t)part_number > m->etag_cap) {
				size_t cap = m->etag_cap ? m->etag_cap : 64;
				while (cap < (size_t)part_number)
					cap *= 2;
				if (cap > S3_MAX_PARTS)
					cap = S3_MAX_PARTS;
				m->etags = xrealloc(m->etags, cap * sizeof(*m->etags));
				memset(m->etags + m->etag_cap, 0,
				       (cap - m->etag_cap) * sizeof(*m->etags));
				m->etag_cap = cap;
			}
			free(m->etags[part_number - 1]);
			m->etags[part_number - 1] = xstrdup(call.etag);
		}
		pthread_mutex_unlock(&m->lock);
	}
	strbuf_free(&call.reply);
	free(query);
	free(what);
	return rc;
}

int s3_multipart_complete(struct s3_multipart *m, char *err, size_t errlen)
{
	struct s3_client *c = m->client;
	int rc = -1;
	struct strbuf body;
	strbuf_init(&body, 0);
	char *what = s3_call_describe(c, "CompleteMultipartUpload", m->key);
	char *query = upload_query(m, 0);
	size_t parts = 0;

	pthread_mutex_lock(&m->lock);
	strbuf_puts(&body, "<CompleteMultipartUpload "
	                   "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (size_t i = 0; i < m->etag_cap; i++) {
		if (!m->etags[i])
			continue;
		strbuf_printf(&body, "<Part><PartNumber>%zu</PartNumber><ETag>", i + 1);
		strbuf_puts_markup(&body, m->etags[i]);
		strbuf_puts(&body, "</ETag></Part>");
		parts++;
	}
	strbuf_puts(&body, "</CompleteMultipartUpload>");
	pthread_mutex_unlock(&m->lock);
	if (parts == 0) {
		snprintf(err, errlen, "%s: no part was uploaded", what);
		goto done;
	}

	for (int attempt = 1;; attempt++) {
		struct s3_call call;
		s3_call_init(&call, c, "POST", m->key, what);
		call.query = query;
		call.content_type = "application/xml";
		/* The server assembles the object before it answers: S3 says this
		 * "could take several minutes" and keeps the connection alive with
		 * whitespace; servers that send nothing meanwhile get as long. */
		call.stall_ms = S3_COMPLETE_STALL_MS;
		s3_call_set_body(&call, body.data, body.len, NULL);
		int call_rc = s3_call_run(&call, err, errlen);
		char reason[300];
		bool again = false;
		if (call_rc == 0 && s3_xml_check_complete(call.reply.data, call.reply.len, reason,
		                                          sizeof(reason)) < 0) {
			call_rc = -1;
			again = s3_failure_complete_retryable(call.reply.data, call.reply.len) &&
			        attempt < c->max_attempts;
			char clean[sizeof(reason)];
			sanitize_text(clean, sizeof(clean), reason);
			snprintf(err, errlen, "%s: HTTP 200 with an error: %s%s", what, clean,
			         again ? "" : (attempt > 1 ? " (after retries)" : ""));
			redact_text(err, errlen);
		}
		strbuf_free(&call.reply);
		if (call_rc == 0) {
			rc = 0;
			break;
		}
		if (!again)
			goto done;
		uint64_t seed = (uint64_t)clock_monotonic_us() | 1;
		if (s3_wait_ms(c, false, s3_backoff_ms(attempt, &seed)) < 0) {
			snprintf(err, errlen, "%s: cancelled", what);
			goto done;
		}
	}
	pthread_mutex_lock(&m->lock);
	m->completed = true;
	pthread_mutex_unlock(&m->lock);
done:
	strbuf_free(&body);
	free(query);
	free(what);
	return rc;
}

int s3_multipart_abort_id(struct s3_client *c, const char *key, const char *upload_id, char *err,
                          size_t errlen)
{
	if (!s3_key_valid(key, err, errlen))
		return -1;
	/* only what an abort reads: the client, the key and the id */
	struct s3_multipart m = {.client = c, .key = (char *)key, .upload_id = (char *)upload_id};
	return s3_multipart_abort(&m, err, errlen);
}

int s3_multipart_abort(struct s3_multipart *m, char *err, size_t errlen)
{
	struct s3_client *c = m->client;
	char *what = s3_call_describe(c, "AbortMultipartUpload", m->key);
	char *query = upload_query(m, 0);
	struct s3_call call;
	s3_call_init(&call, c, "DELETE", m->key, what);
	call.query = query;
	call.uncancellable = true;
	/* After a cancel (a shutdown), the cleanup is bounded as a whole. */
	if (s3_client_cancelled(c)) {
		int64_t by = clock_monotonic_ms() + S3_CLEANUP_DEADLINE_MS;
		if (!call.deadline_ms || by < call.deadline_ms)
			call.deadline_ms = by;
	}
	int rc = s3_call_run(&call, err, errlen);
	/* Gone already (an earlier attempt of ours went through): aborted. */
	if (rc < 0 && call.status == 404)
		rc = 0;
	strbuf_free(&call.reply);
	free(query);
	free(what);
	return rc;
}

const char *s3_multipart_upload_id(const struct s3_multipart *m)
{
	return m->upload_id;
}

void s3_multipart_free(struct s3_multipart *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->etag_cap; i++)
		free(m->etags[i]);
	free(m->etags);
	pthread_mutex_destroy(&m->lock);
	free(m->key);
	free(m->upload_id);
	free(m);
}
