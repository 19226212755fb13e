/* test_sigv4.c - the SigV4 signer against the AWS test suite and S3 cases.
 *
 * The AWS cases are the published aws-sig-v4-test-suite requests
 * (AKIDEXAMPLE, us-east-1, service "service", 20150830T123600Z); every
 * expected signature below was also recomputed with botocore, independently
 * of this code, by tests/unit/s3/sigv4_vectors.py, and agrees with the suite.
 * The S3 cases (?uploads, UploadPart, ListObjectsV2 with an unsorted query,
 * UNSIGNED-PAYLOAD, a session token) come from that script alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "s3/sigv4.h"
#include "util/strbuf.h"

#define ACCESS_KEY "AKIDEXAMPLE"
#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define DATE       "20150830T123600Z"
#define UNRESERVED "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define STS_TOKEN                                                                                  \
	"AQoDYXdzEPT//////////"                                                                    \
	"wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YU" \
	"u"                                                                                        \
	"wthAx7mSEI/qkPpKPi/"                                                                      \
	"kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75"                   \
	"YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+"                   \
	"scqKmlzm8FDrypNC9Yjc"                                                                     \
	"8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="
#define S3_TOKEN "IQoJb3JpZ2luX2VjEXAMPLETOKEN//+="

struct vector {
	const char *name;
	const char *service;
	const char *method;
	const char *uri;
	const char *query;
	struct sigv4_header headers[5];
	const char *body;         /* hashed for the payload hash, unless payload_hash */
	const char *payload_hash; /* given as is (S3's x-amz-content-sha256) */
	const char *signed_headers;
	const char *signature;
};

/* One vector per block reads better than clang-format's one field a line. */
/* clang-format off */
#define HOST_AND_DATE {"Host", "example.amazonaws.com"}, {"X-Amz-Date", DATE}
#define S3_HOST_AND_DATE {"Host", "examplebucket.s3.amazonaws.com"}, {"X-Amz-Date", DATE}
#define HELLO_SHA256 "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"

static const struct vector VECTORS[] = {
    {"get-vanilla", "service", "GET", "/", "", {HOST_AND_DATE}, "", NULL, "host;x-amz-date",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
    {"get-vanilla-query-order-key-case", "service", "GET", "/", "Param2=value2&Param1=value1",
     {HOST_AND_DATE}, "", NULL, "host;x-amz-date",
     "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
    {"get-vanilla-empty-query-key", "service", "GET", "/", "Param1=value1", {HOST_AND_DATE}, "",
     NULL, "host;x-amz-date", "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
    {"get-unreserved", "service", "GET", "/" UNRESERVED, "", {HOST_AND_DATE}, "", NULL,
     "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
    {"get-vanilla-query-unreserved", "service", "GET", "/", UNRESERVED "=" UNRESERVED,
     {HOST_AND_DATE}, "", NULL, "host;x-amz-date",
     "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
    {"get-utf8", "service", "GET", "/%E1%88%B4", "", {HOST_AND_DATE}, "", NULL,
     "host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
    {"get-vanilla-utf8-query", "service", "GET", "/", "\xE1\x88\xB4=bar", {HOST_AND_DATE}, "",
     NULL, "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
    {"get-space", "service", "GET", "/example%20space/", "", {HOST_AND_DATE}, "", NULL,
     "host;x-amz-date", "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
    {"post-vanilla", "service", "POST", "/", "", {HOST_AND_DATE}, "", NULL, "host;x-amz-date",
     "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
    {"post-vanilla-query", "service", "POST", "/", "Param1=value1", {HOST_AND_DATE}, "", NULL,
     "host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
    {"post-header-key-sort", "service", "POST", "/", "",
     {HOST_AND_DATE, {"My-Header1", "value1"}}, "", NULL, "host;my-header1;x-amz-date",
     "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
    {"post-header-value-case", "service", "POST", "/", "",
     {HOST_AND_DATE, {"My-Header1", "VALUE1"}}, "", NULL, "host;my-header1;x-amz-date",
     "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
    {"get-header-value-trim", "service", "GET", "/", "",
     {HOST_AND_DATE, {"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\"  "}}, "", NULL,
     "host;my-header1;my-header2;x-amz-date",
     "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
    {"post-x-www-form-urlencoded", "service", "POST", "/", "",
     {{"Content-Type", "application/x-www-form-urlencoded"}, HOST_AND_DATE}, "Param1=value1",
     NULL, "content-type;host;x-amz-date",
     "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
    {"post-x-www-form-urlencoded-parameters", "service", "POST", "/", "",
     {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}, HOST_AND_DATE},
     "Param1=value1", NULL, "content-type;host;x-amz-date",
     "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"},
    {"post-sts-header-before", "service", "POST", "/", "",
     {HOST_AND_DATE, {"X-Amz-Security-Token", STS_TOKEN}}, "", NULL,
     "host;x-amz-date;x-amz-security-token",
     "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
    /* S3: CreateMultipartUpload signs "uploads" as "uploads=" (libcurl
     * 7.88's CURLOPT_AWS_SIGV4 does not). */
    {"s3-initiate-uploads", "s3", "POST", "/db%20dump.sql.gz", "uploads",
     {S3_HOST_AND_DATE, {"x-amz-content-sha256", SIGV4_EMPTY_SHA256},
      {"Content-Type", "application/gzip"}},
     NULL, SIGV4_EMPTY_SHA256, "content-type;host;x-amz-content-sha256;x-amz-date",
     "a1dd247ffa3d0d4c73cc8669b8448e96f0e6786801c9b467f31fb9567f614db2"},
    {"s3-upload-part", "s3", "PUT", "/shop/db.sql.gz",
     "uploadId=VXBsb2FkIElE%2Bab%2F%3D&partNumber=1",
     {S3_HOST_AND_DATE, {"x-amz-content-sha256", HELLO_SHA256},
      {"Content-MD5", "XUFAKrxLKna5cZ2REBfFkg=="}},
     NULL, HELLO_SHA256, "content-md5;host;x-amz-content-sha256;x-amz-date",
     "fe1463f7da1592f3da749bc24deda18b4d205c4a79d6c3271e4964e141e8c3a0"},
    {"s3-list-v2", "s3", "GET", "/",
     "prefix=shop%2Fdb_&list-type=2&continuation-token=1%2Fabc%2B%3D%3D&max-keys=2",
     {S3_HOST_AND_DATE, {"x-amz-content-sha256", SIGV4_EMPTY_SHA256}}, NULL, SIGV4_EMPTY_SHA256,
     "host;x-amz-content-sha256;x-amz-date",
     "95f5318f62d2539eabd1291b64cf1cff529edc9692bb31b4486d7856a47e5f4f"},
    {"s3-unsigned-payload", "s3", "PUT", "/a/b", "",
     {S3_HOST_AND_DATE, {"x-amz-content-sha256", SIGV4_UNSIGNED_PAYLOAD}}, NULL,
     SIGV4_UNSIGNED_PAYLOAD, "host;x-amz-content-sha256;x-amz-date",
     "189b939a2e88a28cc1c384a9c1cb879579c0803a766a83adf1127b8652c8475e"},
    {"s3-session-token", "s3", "GET", "/key", "",
     {S3_HOST_AND_DATE, {"x-amz-content-sha256", SIGV4_EMPTY_SHA256},
      {"x-amz-security-token", S3_TOKEN}},
     NULL, SIGV4_EMPTY_SHA256, "host;x-amz-content-sha256;x-amz-date;x-amz-security-token",
     "6ca2f0f665db2c40468a2522bb2fd4673b9c2d7002feba62f74ba4d5e20bec0e"},
};
/* clang-format on */

static size_t header_count(const struct vector *v)
{
	size_t n = 0;
	while (n < 5 && v->headers[n].name)
		n++;
	return n;
}

static void check_vector(const struct vector *v)
{
	char payload[SIGV4_SHA256_HEX_LEN + 1];
	if (v->payload_hash)
		snprintf(payload, sizeof(payload), "%s", v->payload_hash);
	else
		sigv4_sha256_hex(v->body, strlen(v->body), payload);
	struct sigv4_request req = {.method = v->method,
	                            .canonical_uri = v->uri,
	                            .query = v->query,
	                            .headers = v->headers,
	                            .header_count = header_count(v),
	                            .payload_hash = payload};
	struct sigv4_credentials cred = {ACCESS_KEY, SECRET_KEY, "us-east-1", v->service};
	char auth[1024], expect[1024];
	assert_int_equal(sigv4_sign(&req, &cred, DATE, auth, sizeof(auth), NULL), 0);
	snprintf(expect, sizeof(expect),
	         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/%s/aws4_request, "
	         "SignedHeaders=%s, Signature=%s",
	         v->service, v->signed_headers, v->signature);
	if (strcmp(auth, expect) != 0)
		fail_msg("%s:\n  got    %s\n  expect %s", v->name, auth, expect);
}

static void test_vectors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(VECTORS) / sizeof(VECTORS[0]); i++)
		check_vector(&VECTORS[i]);
}

static void test_get_vanilla_steps(void **state)
{
	(void)state;
	struct sigv4_header headers[] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", DATE}};
	struct sigv4_request req = {"GET", "/", "", headers, 2, SIGV4_EMPTY_SHA256};
	struct strbuf canonical, signed_headers, to_sign;
	strbuf_init(&canonical, 0);
	strbuf_init(&signed_headers, 0);
	strbuf_init(&to_sign, 0);
	sigv4_canonical_request(&canonical, &signed_headers, &req);
	assert_string_equal(strbuf_str(&canonical), "GET\n/\n\n"
	                                            "host:example.amazonaws.com\n"
	                                            "x-amz-date:20150830T123600Z\n\n"
	                                            "host;x-amz-date\n" SIGV4_EMPTY_SHA256);
	assert_string_equal(strbuf_str(&signed_headers), "host;x-amz-date");
	sigv4_string_to_sign(&to_sign, DATE, "us-east-1", "service", strbuf_str(&canonical));
	assert_string_equal(
	    strbuf_str(&to_sign),
	    "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
	    "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63");
	strbuf_free(&canonical);
	strbuf_free(&signed_headers);
	strbuf_free(&to_sign);
}

/* AWS's documented derived key for 20150830/us-east-1/iam. */
static void test_signing_key(void **state)
{
	(void)state;
	unsigned char key[32];
	char hex[65];
	sigv4_signing_key(SECRET_KEY, "20150830", "us-east-1", "iam", key);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	assert_string_equal(hex,
	                    "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

static void check_query(const char *in, const char *expect)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	sigv4_canonical_query(&b, in);
	assert_string_equal(strbuf_str(&b), expect);
	strbuf_free(&b);
}

static void test_canonical_query(void **state)
{
	(void)state;
	check_query(NULL, "");
	check_query("", "");
	check_query("uploads", "uploads=");
	check_query("uploads=", "uploads=");
	check_query("b=2&a=1&a=0", "a=0&a=1&b=2");
	check_query("prefix=a/b c", "prefix=a%2Fb%20c");
	check_query("k=%2f%2F", "k=%2F%2F");
	check_query("x=a+b", "x=a%2Bb");
	check_query("&&a=1&", "a=1");
	check_query("Z=1&a=2&_=3", "Z=1&_=3&a=2"); /* byte order: upper < '_' < lower */
	check_query("uploadId=abc%3D&partNumber=10", "partNumber=10&uploadId=abc%3D");
}

static void test_sha256(void **state)
{
	(void)state;
	char hex[65];
	sigv4_sha256_hex("", 0, hex);
	assert_string_equal(hex, SIGV4_EMPTY_SHA256);
	sigv4_sha256_hex("hello", 5, hex);
	assert_string_equal(hex, HELLO_SHA256);
}

static void test_rejects_bad_input(void **state)
{
	(void)state;
	struct sigv4_header headers[] = {{"host", "h"}};
	struct sigv4_request req = {"GET", "/", "", headers, 1, SIGV4_EMPTY_SHA256};
	struct sigv4_credentials cred = {ACCESS_KEY, SECRET_KEY, "us-east-1", "s3"};
	char auth[512];
	assert_int_equal(sigv4_sign(&req, &cred, "2015-08-30T12:36:00Z", auth, sizeof(auth), NULL),
	                 -1);
	assert_int_equal(sigv4_sign(&req, &cred, "20150830T1236", auth, sizeof(auth), NULL), -1);
	char small[40];
	assert_int_equal(sigv4_sign(&req, &cred, DATE, small, sizeof(small), NULL), -1);
	assert_string_equal(small, "");
	/* The secret never appears in what the signer returns. */
	assert_int_equal(sigv4_sign(&req, &cred, DATE, auth, sizeof(auth), NULL), 0);
	assert_null(strstr(auth, SECRET_KEY));
}

static void test_format_date(void **state)
{
	(void)state;
	char out[17];
	sigv4_format_date(1440938160, out); /* 2015-08-30 12:36:00 UTC */
	assert_string_equal(out, DATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),     cmocka_unit_test(test_get_vanilla_steps),
	    cmocka_unit_test(test_signing_key), cmocka_unit_test(test_canonical_query),
	    cmocka_unit_test(test_sha256),      cmocka_unit_test(test_rejects_bad_input),
	    cmocka_unit_test(test_format_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
