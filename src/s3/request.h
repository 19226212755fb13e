/* request.h - what the parts of the S3 client share; internal to src/s3/
 * (everything else uses s3/s3.h).
 *
 * Every operation is one "call": a method, a key (or the bucket), a canonical
 * query, optional body and headers. s3_call_run() (request.c) sends it,
 * retries it, and turns what went wrong into one line; object.c, multipart.c
 * and list.c only build calls and read replies. What an attempt's outcome
 * means - a reason for people, worth another try or not, how long to wait -
 * is decided in one place, failure.c, by pure functions over struct
 * s3_failure, so that it is tested without a server.
 */
#ifndef OPSDECK_S3_REQUEST_H
#define OPSDECK_S3_REQUEST_H

#include <curl/curl.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s3/s3.h"
#include "s3/sigv4.h"
#include "s3/xml.h"
#include "util/strbuf.h"

#define S3_REPLY_LIMIT ((size_t)16 * 1024 * 1024) /* an XML reply: a list page */
#define S3_ETAG_MAX    256

struct s3_client {
	char *base;        /* "http://127.0.0.1:9000", "https://b.s3.r.amazonaws.com" */
	char *host;        /* the Host header, as signed */
	char *path_prefix; /* "/bucket" (path style) or "" (virtual host) */
	char *region;
	char *bucket;
	char *access_key;
	char *secret_key;
	char *session_token; /* NULL when none */
	long timeout_ms;
	int max_attempts;
	int list_page_size;
	void (*log)(void *ctx, const char *line);
	void *log_ctx;
	const atomic_int *cancel;
	const atomic_int *abandon;
	int64_t deadline_ms; /* monotonic; 0: none */
};

/* One logical request, across its attempts. */
struct s3_call {
	struct s3_client *client;
	const char *method;       /* GET PUT POST DELETE */
	const char *key;          /* NULL for the bucket itself */
	const char *query;        /* canonical (sigv4_canonical_query), or NULL */
	const char *content_type; /* or NULL */
	const char *content_md5;  /* base64, or NULL */
	const void *body;         /* PUT/POST body, or NULL */
	size_t body_len;
	char payload_hash[SIGV4_SHA256_HEX_LEN + 1];
	const char *what; /* "PUT b/k": how errors name the call */
	int (*on_data)(void *ctx, const void *data, size_t len); /* streams a 2xx body */
	void *data_ctx;
	bool uncancellable;  /* the cleanup (abort) runs even when cancelled */
	int64_t deadline_ms; /* monotonic; 0: none. No attempt or wait past it */
	long stall_ms;       /* how long nothing may move before an attempt ends;
	                        0: the client's timeout */
	/* results */
	long status;
	struct strbuf reply; /* a 2xx body when there is no on_data */
	char etag[S3_ETAG_MAX];
	char object_etag[S3_ETAG_MAX]; /* of the first body streamed: If-Match on resume */
	uint64_t delivered;            /* bytes given to on_data, over all attempts */
	int attempts;
};

/* ------------------------------------------------------------ client.c */

/* Whether the client's cancel (abandon) flag is set; false without one. */
bool s3_client_cancelled(const struct s3_client *c);
bool s3_client_abandoned(const struct s3_client *c);

/* ------------------------------------------------------------ request.c */

/* Starts a call of method on key (NULL: the bucket), named what in errors
 * (borrowed, as key is: both must outlive the call). No body, the empty
 * payload's hash, the client's deadline. Free call->reply when done. */
void s3_call_init(struct s3_call *call, struct s3_client *c, const char *method, const char *key,
                  const char *what);

/* Sets the body (borrowed, never copied), its SHA-256 and, when md5_b64 is
 * not NULL, its Content-MD5 into md5_b64 (at least 32 bytes), which the
 * call then borrows. Without MD5 (a FIPS provider) there is no Content-MD5:
 * x-amz-content-sha256 still guards the body. */
void s3_call_set_body(struct s3_call *call, const void *data, size_t len, char *md5_b64);

/* Sends call until it succeeds (a 2xx), fails for good, or runs out of
 * attempts. Returns 0, or -1 with the reason in err. The 2xx body is in
 * call->reply (or went to on_data); call->status is the last status. */
int s3_call_run(struct s3_call *call, char *err, size_t errlen);

/* Sleeps ms, waking early when the client is cancelled (unless
 * uncancellable) or abandoned. Returns -1 then, else 0. */
int s3_wait_ms(const struct s3_client *c, bool uncancellable, long ms);

/* "VERB bucket/key", how errors name a call on key; the caller frees it. */
char *s3_call_describe(const struct s3_client *c, const char *verb, const char *key);

/* Whether key is one S3 takes (1..1024 bytes); false with why in err. */
bool s3_key_valid(const char *key, char *err, size_t errlen);

/* ------------------------------------------------------------ failure.c */

/* What one attempt that did not succeed ended with. */
struct s3_failure {
	CURLcode code;             /* curl's result; CURLE_OK when S3 answered */
	const char *curl_err;      /* curl's error buffer ("" when empty) */
	long status;               /* the HTTP status; 0 without an answer */
	long timeout_ms;           /* the call's stall limit, for the message */
	struct s3_xml_error error; /* S3's <Error> of a non-2xx reply, or empty */
	bool cancelled;            /* stopped by the cancel or abandon flag */
	bool abandoned;            /* the abandon flag is set */
	bool caller_stopped;       /* on_data asked to stop */
	bool reply_truncated;      /* a reply over S3_REPLY_LIMIT */
	bool deadline_hit;         /* the call's deadline cut the attempt short */
	bool resumed;              /* a GET resumed with Range and If-Match */
};

/* Whether another attempt may succeed: 5xx but 501 (an answer), 429, a 400
 * RequestTimeout, timeouts and broken connections; never a cancel, a stop
 * by the receiver, a reply too large, another 4xx, or a resumed GET that
 * found the object changed (412). */
bool s3_failure_retryable(const struct s3_failure *f);

/* The one place where curl's codes and S3's replies become reasons: writes
 * "WHAT: reason" into out, one line, sanitised and passed through
 * redact_text(). */
void s3_failure_describe(const char *what, const struct s3_failure *f, char *out, size_t outlen);

/* A CompleteMultipartUpload that answered 200 with an <Error> inside: S3
 * documents that InternalError (and its kin) there are worth a retry. */
bool s3_failure_complete_retryable(const char *xml, size_t len);

/* Full jitter before retry number retry (1, 2, ...): a uniform wait in
 * [0, min(5 s, 200 ms * 2^(retry-1))), drawn from *seed (xorshift64; not 0),
 * which it advances. */
long s3_backoff_ms(int retry, uint64_t *seed);

#endif
