/* request.c - the S3 client's one request runner (see request.h): signs and
 * sends a call over libcurl, retries it with backoff, resumes a GET that
 * broke off mid-body, and reports why it failed (failure.c).
 *
 * Bodies are read by curl straight from the caller's buffer (read_body), so
 * a part is never copied; the payload SHA-256 and Content-MD5 are computed
 * once per call, and the signature once per attempt (a fresh x-amz-date).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "s3/request.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "model/redact.h"
#include "s3/url.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define S3_ERROR_BODY_LIMIT ((size_t)64 * 1024)

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

static bool call_cancelled(const struct s3_call *call)
{
	return s3_client_abandoned(call->client) ||
	       (!call->uncancellable && s3_client_cancelled(call->client));
}

/* Milliseconds left before the call's deadline; LONG_MAX without one. */
static long call_time_left(const struct s3_call *call)
{
	if (!call->deadline_ms)
		return LONG_MAX;
	int64_t left = call->deadline_ms - clock_monotonic_ms();
	return left > 0 ? (long)left : 0;
}

/* How long nothing may move before an attempt ends: the call's own limit
 * when it has a longer one, else the client's timeout. */
static long call_stall_ms(const struct s3_call *call)
{
	long client = call->client->timeout_ms;
	return call->stall_ms > client ? call->stall_ms : client;
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
	long stall_s = (call_stall_ms(call) + 999) / 1000;
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

/* Sleeps ms, waking early when the client is cancelled (unless
 * uncancellable) or abandoned. Returns -1 then. */
int s3_wait_ms(const struct s3_client *c, bool uncancellable, long ms)
{
	while (ms > 0) {
		if (s3_client_abandoned(c) || (!uncancellable && s3_client_cancelled(c)))
			return -1;
		long slice = ms < 50 ? ms : 50;
		struct timespec ts = {.tv_sec = 0, .tv_nsec = slice * 1000000L};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
		}
		ms -= slice;
	}
	return s3_client_abandoned(c) || (!uncancellable && s3_client_cancelled(c)) ? -1 : 0;
}

/* Sends call until it succeeds (a 2xx), fails for good, or runs out of
 * attempts. Returns 0, or -1 with the reason in err. The 2xx body is in
 * call->reply (or went to on_data). */
int s3_call_run(struct s3_call *call, char *err, size_t errlen)
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
		bool ok = code == CURLE_OK && call->status >= 200 && call->status <= 299;
		if (ok) {
			strbuf_free(&t.error_body);
			rc = 0;
			goto done;
		}
		struct s3_failure f = {.code = code,
		                       .curl_err = curl_err,
		                       .status = call->status,
		                       .timeout_ms = call_stall_ms(call),
		                       .cancelled = t.cancelled,
		                       .caller_stopped = t.caller_stopped,
		                       .reply_truncated = t.reply_truncated,
		                       .deadline_hit = t.deadline_hit,
		                       .resumed = t.resumed};
		if (code == CURLE_OK)
			s3_xml_parse_error(t.error_body.data, t.error_body.len, &f.error);
		bool retry = s3_failure_retryable(&f);
		f.abandoned = s3_client_abandoned(c);
		s3_failure_describe(call->what, &f, err, errlen);
		strbuf_free(&t.error_body);
		long delay = s3_backoff_ms(call->attempts, &seed);
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
		if (s3_wait_ms(c, call->uncancellable, delay) < 0) {
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

void s3_call_init(struct s3_call *call, struct s3_client *c, const char *method, const char *key,
                  const char *what)
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

void s3_call_set_body(struct s3_call *call, const void *data, size_t len, char *md5_b64)
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

char *s3_call_describe(const struct s3_client *c, const char *verb, const char *key)
{
	return xasprintf("%s %s/%s", verb, c->bucket, key ? key : "");
}

bool s3_key_valid(const char *key, char *err, size_t errlen)
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
