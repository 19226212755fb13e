/* s3.h - a small S3 client on libcurl: what opsdeck's backups need.
 *
 * S3 API READY: put, multipart begin/part/complete/abort, get, list and
 * delete work end to end against the stack's s3rver (which does not
 * implement AbortMultipartUpload: it answers 405; tests/stack/s3proxy.py
 * in front of it does, and verifies every signature).
 *
 * Requests are signed with AWS Signature V4 (s3/sigv4.h) by opsdeck itself,
 * over a canonical query it builds, so ?uploads and list queries sign the way
 * AWS checks them. Path-style URLs (http://endpoint/bucket/key) when an
 * endpoint is configured (MinIO, s3rver, Ceph), virtual-host style
 * (https://bucket.s3.REGION.amazonaws.com/key) for AWS.
 *
 * Every attempt is bounded by timeout_ms: to connect, and for any stall (no
 * byte moving either way for that long); requests without a body (list,
 * delete, initiate, abort) also in total. Attempts are retried on 5xx (but
 * 501 NotImplemented, an answer), 429,
 * a 400 RequestTimeout, timeouts and connection resets with exponential
 * backoff and full jitter (200 ms base, 5 s cap), signed anew for each try
 * (so a long retry never meets RequestTimeTooSkewed); never on other 4xx.
 * A GET that fails mid-body resumes with a Range (and If-Match on the ETag).
 * Errors are one line for people ("PUT shop/db.sql.gz: HTTP 403
 * AccessDenied: ..."), never containing a key, a signature or a token, and
 * passed through redact_text(). All functions are safe to call from several
 * threads on one client (each call uses its own curl easy handle); the
 * caller runs curl_global_init() (probe_global_init()) before any thread.
 *
 * Bodies are sent from the caller's memory, never copied: each part carries
 * x-amz-content-sha256 (its real SHA-256) and Content-MD5.
 */
#ifndef OPSDECK_S3_S3_H
#define OPSDECK_S3_S3_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct s3_config {
	const char *endpoint; /* "" or NULL for AWS; else e.g. http://127.0.0.1:9000 */
	const char *region;   /* e.g. us-east-1 */
	const char *bucket;
	const char *access_key;
	const char *secret_key;    /* a secret: never printed */
	const char *session_token; /* "" or NULL when none; a secret */
	long timeout_ms;           /* per attempt; default 30 s when 0 */
	int max_attempts;          /* default 5 when 0 */
};

struct s3_client;

/* S3's limits for multipart uploads: every part but the last at least
 * S3_MIN_PART_SIZE, part numbers 1..S3_MAX_PARTS, an object at most 5 TiB. */
#define S3_MIN_PART_SIZE ((size_t)5 * 1024 * 1024)
#define S3_MAX_PARTS     10000

/* The parts opsdeck uploads: one size for the first S3_PARTS_FIXED parts,
 * at least S3_PART_BASE and enough for `expected` bytes (the size a caller
 * expects, such as pg_database_size; 0 when unknown) rounded up to 1 MiB,
 * so the buffers of a stream of the expected size never grow; past those,
 * the size doubles every S3_PARTS_PER_STEP parts (at most S3_PART_MAX, S3's
 * limit), so a stream larger than expected still fits in S3_MAX_PARTS. An
 * unknown stream of up to 40 GiB goes up in 8 MiB parts, one of up to about
 * 6 TiB fits. Pure. */
#define S3_PART_BASE      ((uint64_t)8 * 1024 * 1024)
#define S3_PART_MAX       ((uint64_t)5 * 1024 * 1024 * 1024)
#define S3_PARTS_FIXED    5000
#define S3_PARTS_PER_STEP 500
size_t s3_part_size(uint64_t expected, int number);

/* Copies what it needs from cfg. NULL with a reason on a bad configuration. */
struct s3_client *s3_client_new(const struct s3_config *cfg, char *err, size_t errlen);
void s3_client_free(struct s3_client *c);

/* Optional: where retries are reported ("UploadPart 3 of b/k: HTTP 503
 * SlowDown; retry 2 of 5 in 340 ms"), one redacted line each, from the
 * calling thread (so log must be thread-safe). NULL to stop. Set it before
 * sharing the client between threads. */
void s3_client_set_log(struct s3_client *c, void (*log)(void *ctx, const char *line), void *ctx);

/* Optional: a flag that, once non-zero, makes every transfer in flight and
 * every backoff wait stop with an error ("cancelled"), e.g. from a SIGTERM
 * handler (atomic_int is lock-free here, so safe to store to from one) or
 * the dashboard's cancel. s3_multipart_abort is the exception: it is the
 * cleanup after a cancel, so it runs whatever the flag says, but once the
 * flag is set all of it (its retries included) ends within 10 s, so a hung
 * server cannot hold up a shutdown. Borrowed; it must outlive the client. */
void s3_client_set_cancel(struct s3_client *c, const atomic_int *cancel);

/* Optional: a flag that, once non-zero, stops everything at once, the
 * cleanup too (a second SIGTERM: the operator will not wait for the abort).
 * An upload left behind is then the caller's to report. Borrowed. */
void s3_client_set_abandon(struct s3_client *c, const atomic_int *abandon);

/* Optional: a CLOCK_MONOTONIC time (clock_monotonic_ms) by which every call
 * ends, its attempts and waits included ("... no answer before the deadline
 * (timed out)"); 0 for none. For a quick look bounded as a whole. Set it
 * before sharing the client between threads. */
void s3_client_set_deadline(struct s3_client *c, int64_t deadline_ms);

/* Optional: the page size of s3_list_objects (max-keys, 1..1000; 0 for the
 * server's default of 1000). Tests use small pages to exercise paging. */
void s3_client_set_list_page_size(struct s3_client *c, int max_keys);

/* The URL requests for key go to: http://endpoint/bucket/key (path style)
 * with an endpoint, https://bucket.s3.REGION.amazonaws.com/key on AWS (path
 * style on s3.REGION.amazonaws.com for a bucket with dots, which the
 * certificate does not cover). The key is percent-encoded, '/' kept. For
 * messages and tests; holds no secret. The caller frees it. */
char *s3_object_url(const struct s3_client *c, const char *key);

/* One PUT of a whole object (small objects, manifests). */
int s3_put_object(struct s3_client *c, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen);

/* Multipart upload: begin, upload parts (1..10000, any order, from several
 * threads at once), then complete — or abort. complete fails on an <Error>
 * inside a 200 reply. abort failing is reported, and the caller logs it. */
struct s3_multipart;
struct s3_multipart *s3_multipart_begin(struct s3_client *c, const char *key,
                                        const char *content_type, char *err, size_t errlen);
int s3_multipart_upload_part(struct s3_multipart *m, int part_number, const void *data, size_t len,
                             char *err, size_t errlen);
int s3_multipart_complete(struct s3_multipart *m, char *err, size_t errlen);
int s3_multipart_abort(struct s3_multipart *m, char *err, size_t errlen);
/* The server's id of the upload: what an operator needs (with the bucket
 * and the key) to abort one left behind. Not a secret. */
const char *s3_multipart_upload_id(const struct s3_multipart *m);
void s3_multipart_free(struct s3_multipart *m);

/* Streams an object to on_data (return non-zero to stop: an error). */
int s3_get_object(struct s3_client *c, const char *key,
                  int (*on_data)(void *ctx, const void *data, size_t len), void *ctx, char *err,
                  size_t errlen);

struct s3_object {
	char *key;
	uint64_t size;
	int64_t last_modified_ms; /* wall clock, ms since the epoch */
};

/* Lists every object under prefix (following continuation tokens), with
 * encoding-type=url so that any key survives the XML (s3/xml.h): keys come
 * back as stored, any byte but NUL. The caller frees with s3_objects_free. */
int s3_list_objects(struct s3_client *c, const char *prefix, struct s3_object **objects,
                    size_t *count, char *err, size_t errlen);
void s3_objects_free(struct s3_object *objects, size_t count);

/* A multipart upload begun and neither completed nor aborted. */
struct s3_upload {
	char *key;
	char *upload_id;
	int64_t initiated_ms; /* wall clock, ms since the epoch */
};

/* Lists every such upload under prefix (ListMultipartUploads, following
 * the markers, encoding-type=url as above). The caller frees with
 * s3_uploads_free. */
int s3_list_uploads(struct s3_client *c, const char *prefix, struct s3_upload **uploads,
                    size_t *count, char *err, size_t errlen);
void s3_uploads_free(struct s3_upload *uploads, size_t count);

int s3_delete_object(struct s3_client *c, const char *key, char *err, size_t errlen);

#endif
