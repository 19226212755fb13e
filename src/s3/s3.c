/* s3.c - the S3 client on libcurl (see s3.h).
 *
 * Every operation is one "call": a method, a key (or the bucket), a canonical
 * query, optional body and headers. s3_call_run() sends it, retries it, and
 * turns what went wrong into one line; the public functions only build calls
 * and read replies. libcurl's codes and S3's <Error> replies are mapped to
 * reasons in one place, describe_failure().
 *
 * Bodies are read by curl straight from the caller's buffer (read_body), so
 * a part is never copied; the payload SHA-256 and Content-MD5 are computed
 * once per call, and the signature once per attempt (a fresh x-amz-date).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "s3/s3.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/redact.h"
#include "s3/sigv4.h"
#include "s3/url.h"
#include "s3/xml.h"
#include "util/clock.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define S3_DEFAULT_TIMEOUT_MS 30000L
#define S3_DEFAULT_ATTEMPTS   5
#define S3_BACKOFF_BASE_MS    200
#define S3_BACKOFF_CAP_MS     5000
#define S3_REPLY_LIMIT        ((size_t)16 * 1024 * 1024) /* an XML reply: a list page */
#define S3_ERROR_BODY_LIMIT   ((size_t)64 * 1024)
#define S3_ETAG_MAX           256
/* What an abort after a cancel may take in all, its retries included: a
 * shutdown waits no longer than this for a server that does not answer. */
#define S3_CLEANUP_DEADLINE_MS 10000

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

struct s3_multipart {
	struct s3_client *client;
	char *key;
	char *upload_id;
	pthread_mutex_t lock;
	char **etags; /* etags[n - 1] for part n; NULL when not uploaded */
	size_t etag_cap;
	bool completed;
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
	/* results */
	long status;
	struct strbuf reply; /* a 2xx body when there is no on_data */
	char etag[S3_ETAG_MAX];
	char object_etag[S3_ETAG_MAX]; /* of the first body streamed: If-Match on resume */
	uint64_t delivered;            /* bytes given to on_data, over all attempts */
	int attempts;
};

/* One attempt's transfer state, for the curl callbacks. */
struct s3_transfer {
	struct s3_call *call;
	CURL *curl;
	size_t read_offset;
	bool resumed;     /* sent with a Range from call->delivered */
	bool status_seen; /* the first body byte decided what the body is */
	uint64_t skip;    /* bytes to drop: a resumed GET answered 200 */
	bool caller_stopped;
	bool reply_truncated;
	bool cancelled;
	bool deadline_hit; /* the attempt was cut short by call->deadline_ms */
	struct strbuf error_body;
};

/* ------------------------------------------------------------ client */

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

struct s3_client *s3_client_new(const struct s3_config *cfg, char *err, size_t errlen)
{
	if (!cfg->bucket || !s3_bucket_name_valid(cfg->bucket)) {
		snprintf(err, errlen, "bad S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
		return NULL;
	}
	if (!cfg->access_key || !*cfg->access_key || !cfg->secret_key || !*cfg->secret_key) {
		snprintf(err, errlen, "no S3 credentials (access key and secret key)");
		return NULL;
	}
	const char *region = cfg->region && *cfg->region ? cfg->region : "us-east-1";
	if (strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region)) {
		snprintf(err, errlen, "bad S3 region '%.40s'", region);
		return NULL;
	}
	struct s3_client *c = xcalloc(1, sizeof(*c));
	if (cfg->endpoint && *cfg->endpoint) {
		struct s3_endpoint ep;
		if (s3_endpoint_parse(cfg->endpoint, &ep, err, errlen) < 0) {
			free(c);
			return NULL;
		}
		c->base = ep.base;
		c->host = ep.host_port;
		c->path_prefix = xasprintf("/%s", cfg->bucket);
	} else if (strchr(cfg->bucket, '.')) {
		/* A dotted bucket does not match the *.s3 certificate: path style. */
		c->host = xasprintf("s3.%s.amazonaws.com", region);
		c->base = xasprintf("https://%s", c->host);
		c->path_prefix = xasprintf("/%s", cfg->bucket);
	} else {
		c->host = xasprintf("%s.s3.%s.amazonaws.com", cfg->bucket, region);
		c->base = xasprintf("https://%s", c->host);
		c->path_prefix = xstrdup("");
	}
	c->region = xstrdup(region);
	c->bucket = xstrdup(cfg->bucket);
	c->access_key = xstrdup(cfg->access_key);
	c->secret_key = xstrdup(cfg->secret_key);
	c->session_token = dup_or_null(cfg->session_token);
	c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : S3_DEFAULT_TIMEOUT_MS;
	c->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : S3_DEFAULT_ATTEMPTS;
	/* A second guard: whatever text reaches an error, these never do. */
	redact_register(c->secret_key);
	if (c->session_token)
		redact_register(c->session_token);
	return c;
}

static void free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	free(c->base);
	free(c->host);
	free(c->path_prefix);
	free(c->region);
	free(c->bucket);
	free(c->access_key);
	free_secret(c->secret_key);
	free_secret(c->session_token);
	free(c);
}

void s3_client_set_log(struct s3_client *c, void (*log)(void *ctx, const char *line), void *ctx)
{
	c->log = log;
	c->log_ctx = ctx;
}

void s3_client_set_cancel(struct s3_client *c, const atomic_int *cancel)
{
	c->cancel = cancel;
}

void s3_client_set_abandon(struct s3_client *c, const atomic_int *abandon)
{
	c->abandon = abandon;
}

void s3_client_set_deadline(struct s3_client *c, int64_t deadline_ms)
{
	c->deadline_ms = deadline_ms;
}

void s3_client_set_list_page_size(struct s3_client *c, int max_keys)
{
	c->list_page_size = max_keys < 0 ? 0 : max_keys > 1000 ? 1000 : max_keys;
}

char *s3_object_url(const struct s3_client *c, const char *key)
{
	struct strbuf url;
	strbuf_init(&url, 0);
	strbuf_puts(&url, c->base);
	strbuf_puts(&url, c->path_prefix);
	strbuf_putc(&url, '/');
	if (key)
		s3_uri_encode(&url, key, strlen(key), true);
	return strbuf_take(&url);
}

static bool cancelled(const struct s3_client *c)
{
	return c->cancel && atomic_load(c->cancel) != 0;
}

static bool abandoned(const struct s3_client *c)
{
	return c->abandon && atomic_load(c->abandon) != 0;
}

static bool call_cancelled(const struct s3_call *call)
{
	return abandoned(call->client) || (!call->uncancellable && cancelled(call->client));
}

/* Milliseconds left before the call's deadline; LONG_MAX without one. */
static long call_time_left(const struct s3_call *call)
{
	if (!call->deadline_ms)
		return LONG_MAX;
	int64_t left = call->deadline_ms - clock_monotonic_ms();
	return left > 0 ? (long)left : 0;
}

/* ------------------------------------------------------------ curl callbacks */

static size_t read_body(char *buffer, size_t size, size_t nitems, void *userdata)
{
	struct s3_transfer *t = userdata;
	size_t room = size * nitems;
	size_t left = t->call->body_len - t->read_offset;
	size_t n = left < room ? left : room;
	if (n) {
		memcpy(buffer, (const char *)t->call->body + t->read_offset, n);
		t->read_offset += n;
	}
	return n;
}

/* curl rewinds when it must send the body again (a redirect, an auth
 * round, a reused connection that died): start over from the caller's
 * buffer. */
static int seek_body(void *userdata, curl_off_t offset, int origin)
{
	struct s3_transfer *t = userdata;
	if (origin != SEEK_SET || offset < 0 || (uint64_t)offset > t->call->body_len)
		return CURL_SEEKFUNC_FAIL;
	t->read_offset = (size_t)offset;
	return CURL_SEEKFUNC_OK;
}

static size_t write_reply(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct s3_transfer *t = userdata;
	struct s3_call *call = t->call;
	size_t n = size * nmemb;
	long status = 0;
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status < 200 || status > 299) {
		size_t room = S3_ERROR_BODY_LIMIT - t->error_body.len;
		strbuf_append(&t->error_body, data, n < room ? n : room);
		return n;
	}
	if (!call->on_data) {
		strbuf_append(&call->reply, data, n);
		if (call->reply.truncated) {
			t->reply_truncated = true;
			return 0;
		}
		return n;
	}
	if (!t->status_seen) {
		t->status_seen = true;
		/* A server that ignored our Range sends the whole object again. */
		if (t->resumed && status == 200)
			t->skip = call->delivered;
		if (!t->resumed)
			memcpy(call->object_etag, call->etag, sizeof(call->object_etag));
	}
	if (t->skip) {
		size_t drop = t->skip < n ? (size_t)t->skip : n;
		t->skip -= drop;
		data += drop;
		n -= drop;
		if (!n)
			return size * nmemb;
	}
	if (call->on_data(call->data_ctx, data, n) != 0) {
		t->caller_stopped = true;
		return 0;
	}
	call->delivered += n;
	return size * nmemb;
}

/* Keeps the ETag of the final reply (not of a "100 Continue"). */
static size_t read_header(char *line, size_t size, size_t nitems, void *userdata)
{
	struct s3_transfer *t = userdata;
	size_t n = size * nitems;
	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		t->call->etag[0] = '\0';
	} else if (n > 5 && strncasecmp(line, "ETag:", 5) == 0) {
		const char *v = line + 5;
		size_t len = n - 5;
		while (len && (*v == ' ' || *v == '\t')) {
			v++;
			len--;
		}
		while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
			len--;
		if (len < S3_ETAG_MAX) {
			memcpy(t->call->etag, v, len);
			t->call->etag[len] = '\0';
		}
	}
	return n;
}

static int on_progress(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	struct s3_transfer *t = userdata;
	if (call_cancelled(t->call)) {
		t->cancelled = true;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ one attempt */

/* The path as sent and signed: "/bucket/enc/oded%20key" or "/enc/key". */
static void call_path(struct strbuf *out, const struct s3_call *call)
{
	strbuf_puts(out, call->client->path_prefix);
	if (call->key) {
		strbuf_putc(out, '/');
		s3_uri_encode(out, call->key, strlen(call->key), true);
	} else if (!call->client->path_prefix[0]) {
		strbuf_putc(out, '/');
	}
}

static struct curl_slist *add_header(struct curl_slist *list, const char *name, const char *value,
                                     bool *failed)
{
	char *line = xasprintf("%s: %s", name, value);
	struct curl_slist *next = curl_slist_append(list, line);
	OPENSSL_cleanse(line, strlen(line));
	free(line);
	if (!next) {
		*failed = true;
		return list;
	}
	return next;
}

/* Sends the call once. Returns curl's code; the HTTP status is in
 * call->status. */
static CURLcode transfer_once(struct s3_call *call, struct s3_transfer *t, char *curl_err)
{
	struct s3_client *c = call->client;
	CURLcode rc = CURLE_OUT_OF_MEMORY;
	struct curl_slist *headers = NULL;
	bool failed = false;
	struct strbuf path, url;
	strbuf_init(&path, 0);
	strbuf_init(&url, 0);
	char authorization[512];
	char date[17];
	char range[64] = "";
	sigv4_format_date(clock_wall_ms() / 1000, date);

	call_path(&path, call);
	strbuf_puts(&url, c->base);
	strbuf_puts(&url, strbuf_str(&path));
	if (call->query && *call->query) {
		strbuf_putc(&url, '?');
		strbuf_puts(&url, call->query);
	}

	struct sigv4_header signed_list[8];
	size_t n = 0;
	signed_list[n++] = (struct sigv4_header){"host", c->host};
	signed_list[n++] = (struct sigv4_header){"x-amz-date", date};
	signed_list[n++] = (struct sigv4_header){"x-amz-content-sha256", call->payload_hash};
	if (c->session_token)
		signed_list[n++] = (struct sigv4_header){"x-amz-security-token", c->session_token};
	if (call->content_type)
		signed_list[n++] = (struct sigv4_header){"content-type", call->content_type};
	if (call->content_md5)
		signed_list[n++] = (struct sigv4_header){"content-md5", call->content_md5};
	if (t->resumed) {
		snprintf(range, sizeof(range), "bytes=%" PRIu64 "-", call->delivered);
		signed_list[n++] = (struct sigv4_header){"range", range};
		if (call->object_etag[0])
			signed_list[n++] = (struct sigv4_header){"if-match", call->object_etag};
	}
	struct sigv4_request req = {.method = call->method,
	                            .canonical_uri = strbuf_str(&path),
	                            .query = call->query,
	                            .headers = signed_list,
	                            .header_count = n,
	                            .payload_hash = call->payload_hash};
	struct sigv4_credentials cred = {.access_key = c->access_key,
	                                 .secret_key = c->secret_key,
	                                 .region = c->region,
	                                 .service = "s3"};
	if (sigv4_sign(&req, &cred, date, authorization, sizeof(authorization), NULL) < 0) {
		snprintf(curl_err, CURL_ERROR_SIZE, "cannot sign the request");
		rc = CURLE_BAD_FUNCTION_ARGUMENT;
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		headers = add_header(headers, signed_list[i].name, signed_list[i].value, &failed);
	headers = add_header(headers, "Authorization", authorization, &failed);
	OPENSSL_cleanse(authorization, sizeof(authorization));
	/* No "Expect: 100-continue" round trip: parts are at most a few MiB
	 * and the proxy in the tests need not speak it. */
	headers = curl_slist_append(headers, "Expect:");
	/* Nor curl's default form type on a POST: CreateMultipartUpload would
	 * give it to the object. */
	if (headers && !call->content_type && strcmp(call->method, "POST") == 0)
		headers = curl_slist_append(headers, "Content-Type:");
	if (failed || !headers)
		goto done;

	CURL *curl = t->curl;
	curl_easy_reset(curl);
	curl_easy_setopt(curl, CURLOPT_URL, strbuf_str(&url));
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	/* after a timeout, leave a resolver thread stuck in getaddrinfo() to end
	 * alone instead of waiting for it, as the probes' HTTP client does */
	curl_easy_setopt(curl, CURLOPT_QUICK_EXIT, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	/* A stall of timeout_ms (nothing moving either way) ends the attempt;
	 * a large body may take longer than that in total, but never longer
	 * than the call's deadline. */
	long left = call_time_left(call);
	long total =
	    !call->body && !call->on_data && strcmp(call->method, "POST") != 0 ? c->timeout_ms : 0;
	if (left < LONG_MAX && (total == 0 || left < total)) {
		total = left > 0 ? left : 1;
		t->deadline_hit = true; /* if it times out, the deadline did it */
	}
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	                 total && total < c->timeout_ms ? total : c->timeout_ms);
	long stall_s = (c->timeout_ms + 999) / 1000;
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, stall_s);
	if (total)
		curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, total);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, write_reply);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, t);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, t);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(curl, CURLOPT_USERAGENT, "opsdeck/" PACKAGE_VERSION);
	if (strcmp(call->method, "PUT") == 0) {
		curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_body);
		curl_easy_setopt(curl, CURLOPT_READDATA, t);
		curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, seek_body);
		curl_easy_setopt(curl, CURLOPT_SEEKDATA, t);
		curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)call->body_len);
	} else if (strcmp(call->method, "POST") == 0) {
		curl_easy_setopt(curl, CURLOPT_POST, 1L);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, call->body ? call->body : "");
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)call->body_len);
	} else if (strcmp(call->method, "GET") != 0) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, call->method);
	}
	curl_err[0] = '\0';
	rc = curl_easy_perform(curl);
	if (rc != CURLE_OPERATION_TIMEDOUT || call_time_left(call) > 0)
		t->deadline_hit = false;
	call->status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &call->status);
done:
	curl_slist_free_all(headers);
	strbuf_free(&path);
	strbuf_free(&url);
	return rc;
}

/* ------------------------------------------------------------ retries */

static bool curl_code_retryable(CURLcode rc)
{
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool http_status_retryable(long status, const struct s3_xml_error *e)
{
	/* 501 NotImplemented is an answer (s3rver's to ListMultipartUploads),
	 * not a passing failure. */
	if ((status >= 500 && status != 501) || status == 429)
		return true;
	/* S3 closes a request whose body stalls with 400 RequestTimeout; every
	 * AWS SDK sends it again. */
	return status == 400 && strcmp(e->code, "RequestTimeout") == 0;
}

/* Full jitter: a uniform wait in [0, min(cap, base * 2^retry)). */
static long backoff_ms(int retry, uint64_t *seed)
{
	long ceiling = S3_BACKOFF_BASE_MS;
	for (int i = 1; i < retry && ceiling < S3_BACKOFF_CAP_MS; i++)
		ceiling *= 2;
	if (ceiling > S3_BACKOFF_CAP_MS)
		ceiling = S3_BACKOFF_CAP_MS;
	/* xorshift64: good enough to spread threads apart */
	*seed ^= *seed << 13;
	*seed ^= *seed >> 7;
	*seed ^= *seed << 17;
	return (long)(*seed % (uint64_t)ceiling);
}

/* Sleeps ms, waking early when the client is cancelled (unless
 * uncancellable) or abandoned. Returns -1 then. */
static int wait_ms(const struct s3_client *c, bool uncancellable, long ms)
{
	while (ms > 0) {
		if (abandoned(c) || (!uncancellable && cancelled(c)))
			return -1;
		long slice = ms < 50 ? ms : 50;
		struct timespec ts = {.tv_sec = 0, .tv_nsec = slice * 1000000L};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
		}
		ms -= slice;
	}
	return abandoned(c) || (!uncancellable && cancelled(c)) ? -1 : 0;
}

/* The one place where curl's codes and S3's replies become reasons. */
static void describe_failure(const struct s3_call *call, CURLcode rc, const char *curl_err,
                             const struct s3_transfer *t, const struct s3_xml_error *e, char *out,
                             size_t outlen)
{
	char detail[400];
	if (t->cancelled) {
		snprintf(detail, sizeof(detail), "%s",
		         abandoned(call->client) ? "given up (interrupted again)" : "cancelled");
	} else if (t->caller_stopped) {
		snprintf(detail, sizeof(detail), "stopped by the receiver of the data");
	} else if (t->reply_truncated) {
		snprintf(detail, sizeof(detail), "reply larger than %zu MiB", S3_REPLY_LIMIT >> 20);
	} else if (t->deadline_hit) {
		snprintf(detail, sizeof(detail), "no answer before the deadline (timed out)");
	} else if (rc == CURLE_OPERATION_TIMEDOUT) {
		snprintf(detail, sizeof(detail), "no progress for %ld ms (timed out)",
		         call->client->timeout_ms);
	} else if (rc != CURLE_OK) {
		snprintf(detail, sizeof(detail), "%s",
		         curl_err[0] ? curl_err : curl_easy_strerror(rc));
	} else if (e->code[0]) {
		snprintf(detail, sizeof(detail), "HTTP %ld %s%s%s", call->status, e->code,
		         e->message[0] ? ": " : "", e->message);
	} else {
		snprintf(detail, sizeof(detail), "HTTP %ld", call->status);
	}
	char clean[sizeof(detail)];
	sanitize_text(clean, sizeof(clean), detail);
	snprintf(out, outlen, "%s: %s", call->what, clean);
	redact_text(out, outlen);
}

/* Sends call until it succeeds (a 2xx), fails for good, or runs out of
 * attempts. Returns 0, or -1 with the reason in err. The 2xx body is in
 * call->reply (or went to on_data). */
static int s3_call_run(struct s3_call *call, char *err, size_t errlen)
{
	struct s3_client *c = call->client;
	int rc = -1;
	char *curl_err = xcalloc(1, CURL_ERROR_SIZE);
	uint64_t seed = (uint64_t)clock_monotonic_us() ^ (uint64_t)(uintptr_t)call;
	seed |= 1;
	CURL *curl = curl_easy_init();
	if (!curl) {
		snprintf(err, errlen, "%s: cannot start a transfer (out of memory)", call->what);
		goto done;
	}
	for (call->attempts = 1;; call->attempts++) {
		struct s3_transfer t = {.call = call, .curl = curl};
		strbuf_init(&t.error_body, 0);
		t.resumed = call->on_data && call->delivered > 0;
		strbuf_reset(&call->reply);
		CURLcode code = transfer_once(call, &t, curl_err);
		struct s3_xml_error e = {{0}, {0}};
		bool ok = code == CURLE_OK && call->status >= 200 && call->status <= 299;
		if (ok) {
			strbuf_free(&t.error_body);
			rc = 0;
			goto done;
		}
		if (code == CURLE_OK)
			s3_xml_parse_error(t.error_body.data, t.error_body.len, &e);
		bool retry = !t.cancelled && !t.caller_stopped && !t.reply_truncated &&
		             (code == CURLE_OK ? http_status_retryable(call->status, &e)
		                               : curl_code_retryable(code));
		/* A resumed GET that finds the object changed (If-Match) must not
		 * glue two objects together. */
		if (t.resumed && call->status == 412)
			retry = false;
		describe_failure(call, code, curl_err, &t, &e, err, errlen);
		strbuf_free(&t.error_body);
		long delay = backoff_ms(call->attempts, &seed);
		if (retry && call_time_left(call) <= delay)
			retry = false; /* no time for another try */
		if (!retry || call->attempts >= c->max_attempts) {
			if (call->attempts > 1) {
				size_t used = strlen(err);
				snprintf(err + used, errlen - used, " (after %d attempts)",
				         call->attempts);
			}
			goto done;
		}
		if (c->log) {
			char line[600];
			snprintf(line, sizeof(line), "%s; retry %d of %d in %ld ms", err,
			         call->attempts, c->max_attempts - 1, delay);
			redact_text(line, sizeof(line));
			c->log(c->log_ctx, line);
		}
		if (wait_ms(c, call->uncancellable, delay) < 0) {
			snprintf(err, errlen, "%s: cancelled", call->what);
			goto done;
		}
	}
done:
	if (curl)
		curl_easy_cleanup(curl);
	free(curl_err);
	return rc;
}

static void call_init(struct s3_call *call, struct s3_client *c, const char *method,
                      const char *key, const char *what)
{
	memset(call, 0, sizeof(*call));
	call->client = c;
	call->method = method;
	call->key = key;
	call->what = what;
	call->deadline_ms = c->deadline_ms;
	snprintf(call->payload_hash, sizeof(call->payload_hash), "%s", SIGV4_EMPTY_SHA256);
	strbuf_init(&call->reply, S3_REPLY_LIMIT);
}

/* Sets the body, its SHA-256 and (when md5) its Content-MD5 into md5_b64. */
static void call_set_body(struct s3_call *call, const void *data, size_t len, char *md5_b64)
{
	call->body = data ? data : "";
	call->body_len = len;
	sigv4_sha256_hex(call->body, len, call->payload_hash);
	if (md5_b64) {
		unsigned char digest[EVP_MAX_MD_SIZE];
		unsigned int digest_len = 0;
		if (!EVP_Digest(call->body, len, digest, &digest_len, EVP_md5(), NULL)) {
			/* No MD5 (a FIPS provider): x-amz-content-sha256 still
			 * guards the body. */
			return;
		}
		EVP_EncodeBlock((unsigned char *)md5_b64, digest, (int)digest_len);
		call->content_md5 = md5_b64;
	}
}

static char *describe_key(const struct s3_client *c, const char *verb, const char *key)
{
	return xasprintf("%s %s/%s", verb, c->bucket, key ? key : "");
}

static bool key_valid(const char *key, char *err, size_t errlen)
{
	if (!key || !*key) {
		snprintf(err, errlen, "empty S3 key");
		return false;
	}
	if (strlen(key) > 1024) {
		snprintf(err, errlen, "S3 key longer than 1024 bytes");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------ objects */

int s3_put_object(struct s3_client *c, const char *key, const void *data, size_t len,
                  const char *content_type, char *err, size_t errlen)
{
	if (!key_valid(key, err, errlen))
		return -1;
	char md5[32];
	char *what = describe_key(c, "PUT", key);
	struct s3_call call;
	call_init(&call, c, "PUT", key, what);
	call.content_type = content_type && *content_type ? content_type : NULL;
	call_set_body(&call, data, len, md5);
	int rc = s3_call_run(&call, err, errlen);
	strbuf_free(&call.reply);
	free(what);
	return rc;
}

int s3_get_object(struct s3_client *c, const char *key,
                  int (*on_data)(void *ctx, const void *data, size_t len), void *ctx, char *err,
                  size_t errlen)
{
	if (!key_valid(key, err, errlen))
		return -1;
	char *what = describe_key(c, "GET", key);
	struct s3_call call;
	call_init(&call, c, "GET", key, what);
	call.on_data = on_data;
	call.data_ctx = ctx;
	int rc = s3_call_run(&call, err, errlen);
	strbuf_free(&call.reply);
	free(what);
	return rc;
}

int s3_delete_object(struct s3_client *c, const char *key, char *err, size_t errlen)
{
	if (!key_valid(key, err, errlen))
		return -1;
	char *what = describe_key(c, "DELETE", key);
	struct s3_call call;
	call_init(&call, c, "DELETE", key, what);
	int rc = s3_call_run(&call, err, errlen);
	strbuf_free(&call.reply);
	free(what);
	return rc;
}

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
	call_init(&call, c, "GET", NULL, what);
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

/* ------------------------------------------------------------ multipart */

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
	if (!key_valid(key, err, errlen))
		return NULL;
	struct s3_multipart *m = NULL;
	char *upload_id = NULL;
	char *what = describe_key(c, "CreateMultipartUpload", key);
	struct s3_call call;
	call_init(&call, c, "POST", key, what);
	call.query = "uploads=";
	call.content_type = content_type && *content_type ? content_type : NULL;
	call_set_body(&call, NULL, 0, NULL);
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
	call_init(&call, c, "PUT", m->key, what);
	call.query = query;
	call_set_body(&call, data, len, md5);
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

static void xml_escape(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			strbuf_puts(out, "&amp;");
			break;
		case '<':
			strbuf_puts(out, "&lt;");
			break;
		case '>':
			strbuf_puts(out, "&gt;");
			break;
		case '"':
			strbuf_puts(out, "&quot;");
			break;
		case '\'':
			strbuf_puts(out, "&apos;");
			break;
		default:
			strbuf_putc(out, *s);
		}
	}
}

/* A CompleteMultipartUpload that answered 200 with an <Error> inside: S3
 * documents that InternalError (and its kin) there are worth a retry. */
static bool complete_error_retryable(const char *xml, size_t len)
{
	struct s3_xml_error e;
	if (!s3_xml_parse_error(xml, len, &e))
		return false;
	return strcmp(e.code, "InternalError") == 0 || strcmp(e.code, "SlowDown") == 0 ||
	       strcmp(e.code, "ServiceUnavailable") == 0;
}

int s3_multipart_complete(struct s3_multipart *m, char *err, size_t errlen)
{
	struct s3_client *c = m->client;
	int rc = -1;
	struct strbuf body;
	strbuf_init(&body, 0);
	char *what = describe_key(c, "CompleteMultipartUpload", m->key);
	char *query = upload_query(m, 0);
	size_t parts = 0;

	pthread_mutex_lock(&m->lock);
	strbuf_puts(&body, "<CompleteMultipartUpload "
	                   "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
	for (size_t i = 0; i < m->etag_cap; i++) {
		if (!m->etags[i])
			continue;
		strbuf_printf(&body, "<Part><PartNumber>%zu</PartNumber><ETag>", i + 1);
		xml_escape(&body, m->etags[i]);
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
		call_init(&call, c, "POST", m->key, what);
		call.query = query;
		call.content_type = "application/xml";
		call_set_body(&call, body.data, body.len, NULL);
		int call_rc = s3_call_run(&call, err, errlen);
		char reason[300];
		bool again = false;
		if (call_rc == 0 && s3_xml_check_complete(call.reply.data, call.reply.len, reason,
		                                          sizeof(reason)) < 0) {
			call_rc = -1;
			again = complete_error_retryable(call.reply.data, call.reply.len) &&
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
		if (wait_ms(c, false, backoff_ms(attempt, &seed)) < 0) {
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

int s3_multipart_abort(struct s3_multipart *m, char *err, size_t errlen)
{
	struct s3_client *c = m->client;
	char *what = describe_key(c, "AbortMultipartUpload", m->key);
	char *query = upload_query(m, 0);
	struct s3_call call;
	call_init(&call, c, "DELETE", m->key, what);
	call.query = query;
	call.uncancellable = true;
	/* After a cancel (a shutdown), the cleanup is bounded as a whole. */
	if (cancelled(c)) {
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
