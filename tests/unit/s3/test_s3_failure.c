/* test_s3_failure.c - what an S3 attempt's failure means (src/s3/failure.c):
 * the reason shown, retry or not, the backoff; and the replies the client
 * reads (listings with encoding-type=url, CompleteMultipartUpload) from
 * fixtures in tests/fixtures/s3/, as S3 and its look-alikes send them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "../fixture.h"
#include "model/redact.h"
#include "s3/request.h"

#define WHAT "PUT shop/db.sql.gz"

/* A reply of status with the body of fixture (NULL: none), as s3_call_run
 * builds the failure from it. */
static struct s3_failure answered(long status, const char *fixture)
{
	struct s3_failure f = {
	    .code = CURLE_OK, .curl_err = "", .status = status, .timeout_ms = 30000};
	if (fixture) {
		size_t len;
		char *body = fixture_read(fixture, &len);
		s3_xml_parse_error(body, len, &f.error);
		free(body);
	}
	return f;
}

static void check_reason(const struct s3_failure *f, const char *want)
{
	char out[512];
	s3_failure_describe(WHAT, f, out, sizeof(out));
	assert_string_equal(out, want);
}

static void test_s3_errors(void **state)
{
	(void)state;
	struct s3_failure f = answered(503, "s3/error_slowdown.xml");
	check_reason(&f, WHAT ": HTTP 503 SlowDown: Please reduce your request rate.");
	assert_true(s3_failure_retryable(&f));

	f = answered(400, "s3/error_request_timeout.xml");
	assert_string_equal(f.error.code, "RequestTimeout");
	assert_true(s3_failure_retryable(&f));

	/* 501 is an answer (s3rver's to ListMultipartUploads), not a glitch */
	f = answered(501, "s3/error_not_implemented.xml");
	check_reason(&f, WHAT ": HTTP 501 NotImplemented: A header you provided implies "
	                      "functionality that is not implemented");
	assert_false(s3_failure_retryable(&f));

	/* a proxy's HTML page is no <Error>: the status alone */
	f = answered(502, "s3/proxy_502.html");
	check_reason(&f, WHAT ": HTTP 502");
	assert_true(s3_failure_retryable(&f));

	f = answered(429, NULL);
	check_reason(&f, WHAT ": HTTP 429");
	assert_true(s3_failure_retryable(&f));

	f = answered(404, NULL);
	assert_false(s3_failure_retryable(&f));
	f = answered(400, NULL);
	assert_false(s3_failure_retryable(&f));
}

static void test_hostile_message(void **state)
{
	(void)state;
	redact_register("s3cr3t-t0ken-EXAMPLE");
	struct s3_failure f = answered(403, "s3/error_access_denied.xml");
	assert_string_equal(f.error.code, "AccessDenied");
	char out[512];
	s3_failure_describe(WHAT, &f, out, sizeof(out));
	/* controls (a C1 CSI, bidirectional overrides) replaced, the secret
	 * masked, the signature S3 echoes never quoted */
	assert_string_equal(out, WHAT ": HTTP 403 AccessDenied: Access Denied ?31m to ?yek? ***");
	assert_null(strstr(out, "5d672d79"));
	assert_false(s3_failure_retryable(&f));
}

static void test_transport_errors(void **state)
{
	(void)state;
	struct s3_failure f = {
	    .code = CURLE_OPERATION_TIMEDOUT, .curl_err = "", .timeout_ms = 2000};
	check_reason(&f, WHAT ": no progress for 2000 ms (timed out)");
	assert_true(s3_failure_retryable(&f));

	f.deadline_hit = true;
	check_reason(&f, WHAT ": no answer before the deadline (timed out)");

	f = (struct s3_failure){.code = CURLE_COULDNT_CONNECT,
	                        .curl_err = "Failed to connect to 127.0.0.1 port 1"};
	check_reason(&f, WHAT ": Failed to connect to 127.0.0.1 port 1");
	assert_true(s3_failure_retryable(&f));

	/* without curl's own words, its code's */
	f = (struct s3_failure){.code = CURLE_RECV_ERROR, .curl_err = ""};
	char want[256];
	snprintf(want, sizeof(want), WHAT ": %s", curl_easy_strerror(CURLE_RECV_ERROR));
	check_reason(&f, want);
	assert_true(s3_failure_retryable(&f));

	f = (struct s3_failure){.code = CURLE_URL_MALFORMAT, .curl_err = "bad URL"};
	assert_false(s3_failure_retryable(&f));
}

static void test_stops_are_final(void **state)
{
	(void)state;
	/* a 503 that would be retried, but for why the attempt ended */
	struct s3_failure f = answered(503, "s3/error_slowdown.xml");
	f.cancelled = true;
	check_reason(&f, WHAT ": cancelled");
	assert_false(s3_failure_retryable(&f));
	f.abandoned = true;
	check_reason(&f, WHAT ": given up (interrupted again)");

	f = answered(503, NULL);
	f.caller_stopped = true;
	check_reason(&f, WHAT ": stopped by the receiver of the data");
	assert_false(s3_failure_retryable(&f));

	f = answered(200, NULL);
	f.code = CURLE_WRITE_ERROR;
	f.reply_truncated = true;
	check_reason(&f, WHAT ": reply larger than 16 MiB");
	assert_false(s3_failure_retryable(&f));
}

static void test_resumed_get_changed(void **state)
{
	(void)state;
	struct s3_failure f = answered(412, NULL);
	f.resumed = true;
	assert_false(s3_failure_retryable(&f));
	/* a resumed GET that meets a passing 503 tries again */
	f = answered(503, "s3/error_slowdown.xml");
	f.resumed = true;
	assert_true(s3_failure_retryable(&f));
}

static void test_backoff(void **state)
{
	(void)state;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 200; round++) {
		for (int retry = 1; retry <= 12; retry++) {
			long ceiling = retry >= 6 ? 5000 : 200L << (retry - 1);
			long ms = s3_backoff_ms(retry, &seed);
			assert_true(ms >= 0);
			assert_true(ms < ceiling);
		}
	}
	/* the same seed, the same waits */
	uint64_t a = 42, b = 42;
	assert_int_equal(s3_backoff_ms(3, &a), s3_backoff_ms(3, &b));
	assert_int_equal(a, b);
	assert_int_not_equal(a, 42);
}

static void test_complete_replies(void **state)
{
	(void)state;
	size_t len;
	char *xml = fixture_read("s3/complete_internal_error.xml", &len);
	char err[256];
	assert_int_equal(s3_xml_check_complete(xml, len, err, sizeof(err)), -1);
	assert_true(s3_failure_complete_retryable(xml, len));
	free(xml);

	xml = fixture_read("s3/error_access_denied.xml", &len);
	assert_false(s3_failure_complete_retryable(xml, len));
	free(xml);

	xml = fixture_read("s3/complete_ok.xml", &len);
	assert_int_equal(s3_xml_check_complete(xml, len, err, sizeof(err)), 0);
	assert_false(s3_failure_complete_retryable(xml, len));
	free(xml);
}

static void test_list_page_decoded(void **state)
{
	(void)state;
	size_t len;
	char *xml = fixture_read("s3/list_page_encoded.xml", &len);
	struct s3_xml_list_page page = {0};
	char err[256];
	assert_int_equal(s3_xml_parse_list(xml, len, &page, err, sizeof(err)), 0);
	assert_true(page.truncated);
	assert_string_equal(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
	assert_int_equal(page.count, 3);
	assert_string_equal(page.objects[0].key, "db/2026-01-01 00:00.sql.gz");
	assert_int_equal(page.objects[0].size, 1048576);
	assert_int_equal(page.objects[0].last_modified_ms, 1767225605000LL);
	/* any byte but NUL comes back as stored: whoever shows it sanitises */
	assert_string_equal(page.objects[1].key, "db/esc\x1b[31m.sql.gz");
	assert_string_equal(page.objects[2].key, "db/\xc3\xa9t\xc3\xa9 & co.sql.gz");
	assert_int_equal(page.objects[2].last_modified_ms, 1767443400250LL);
	s3_objects_free(page.objects, page.count);
	free(page.next_token);
	free(xml);
}

static void test_uploads_page_decoded(void **state)
{
	(void)state;
	size_t len;
	char *xml = fixture_read("s3/uploads_page_encoded.xml", &len);
	struct s3_xml_uploads_page page = {0};
	char err[256];
	assert_int_equal(s3_xml_parse_uploads(xml, len, &page, err, sizeof(err)), 0);
	assert_true(page.truncated);
	assert_string_equal(page.next_key_marker, "db/b c.sql.gz");
	assert_string_equal(page.next_upload_id_marker, "upload-2");
	assert_int_equal(page.count, 2);
	assert_string_equal(page.uploads[1].key, "db/b c.sql.gz");
	assert_string_equal(page.uploads[1].upload_id, "upload-2");
	assert_int_equal(page.uploads[1].initiated_ms, 1767225660000LL);
	s3_uploads_free(page.uploads, page.count);
	free(page.next_key_marker);
	free(page.next_upload_id_marker);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_s3_errors),
	    cmocka_unit_test(test_hostile_message),
	    cmocka_unit_test(test_transport_errors),
	    cmocka_unit_test(test_stops_are_final),
	    cmocka_unit_test(test_resumed_get_changed),
	    cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_complete_replies),
	    cmocka_unit_test(test_list_page_decoded),
	    cmocka_unit_test(test_uploads_page_decoded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
