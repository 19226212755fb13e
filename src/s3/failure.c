/* failure.c - what an S3 attempt that went wrong means (see request.h): the
 * reason shown to people, whether to try again, and how long to wait first.
 * Pure functions: no curl handle, no clock, no server.
 */
#include "s3/request.h"

#include <stdio.h>
#include <string.h>

#include "model/redact.h"
#include "util/sanitize.h"

#define S3_BACKOFF_BASE_MS 200
#define S3_BACKOFF_CAP_MS  5000

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

bool s3_failure_retryable(const struct s3_failure *f)
{
	/* A resumed GET that finds the object changed (If-Match) must not
	 * glue two objects together. */
	if (f->resumed && f->status == 412)
		return false;
	return !f->cancelled && !f->caller_stopped && !f->reply_truncated &&
	       (f->code == CURLE_OK ? http_status_retryable(f->status, &f->error)
	                            : curl_code_retryable(f->code));
}

void s3_failure_describe(const char *what, const struct s3_failure *f, char *out, size_t outlen)
{
	char detail[400];
	const struct s3_xml_error *e = &f->error;
	if (f->cancelled) {
		snprintf(detail, sizeof(detail), "%s",
		         f->abandoned ? "given up (interrupted again)" : "cancelled");
	} else if (f->caller_stopped) {
		snprintf(detail, sizeof(detail), "stopped by the receiver of the data");
	} else if (f->reply_truncated) {
		snprintf(detail, sizeof(detail), "reply larger than %zu MiB", S3_REPLY_LIMIT >> 20);
	} else if (f->deadline_hit) {
		snprintf(detail, sizeof(detail), "no answer before the deadline (timed out)");
	} else if (f->code == CURLE_OPERATION_TIMEDOUT) {
		snprintf(detail, sizeof(detail), "no progress for %ld ms (timed out)",
		         f->timeout_ms);
	} else if (f->code != CURLE_OK) {
		snprintf(detail, sizeof(detail), "%s",
		         f->curl_err && f->curl_err[0] ? f->curl_err : curl_easy_strerror(f->code));
	} else if (e->code[0]) {
		snprintf(detail, sizeof(detail), "HTTP %ld %s%s%s", f->status, e->code,
		         e->message[0] ? ": " : "", e->message);
	} else {
		snprintf(detail, sizeof(detail), "HTTP %ld", f->status);
	}
	char clean[sizeof(detail)];
	sanitize_text(clean, sizeof(clean), detail);
	snprintf(out, outlen, "%s: %s", what, clean);
	redact_text(out, outlen);
}

bool s3_failure_complete_retryable(const char *xml, size_t len)
{
	struct s3_xml_error e;
	if (!s3_xml_parse_error(xml, len, &e))
		return false;
	return strcmp(e.code, "InternalError") == 0 || strcmp(e.code, "SlowDown") == 0 ||
	       strcmp(e.code, "ServiceUnavailable") == 0;
}

long s3_backoff_ms(int retry, uint64_t *seed)
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
