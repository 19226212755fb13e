/* fuzz_s3url.c - feeds arbitrary text to the S3 address parsers: as a
 * backup target (s3_target_parse, repo_url_check) and as an
 * endpoint (s3_endpoint_parse), and through the key encoder.
 *
 * Beyond not crashing: an error has a message; a parsed target has a valid
 * bucket and a prefix without a leading '/', '?' or '#', and
 * "s3://BUCKET/PREFIX" parses back to the same; the target check agrees
 * with the parser; a parsed endpoint's base parses back to the same
 * endpoint; s3_uri_encode() gives only unreserved bytes and '%XX' (and '/'
 * when kept) and s3_uri_decode() restores the input. */
#include "fuzz.h"

#include "repo/url.h"
#include "s3/url.h"
#include "util/strbuf.h"

static void check_target(const char *url)
{
	struct s3_target t;
	char err[256] = "";
	int parsed = s3_target_parse(url, &t, err, sizeof(err));
	char check_err[256] = "";
	int checked = repo_url_check(url, check_err, sizeof(check_err));
	if (strncmp(url, "s3://", 5) == 0)
		FUZZ_CHECK(parsed == checked);
	else
		FUZZ_CHECK(checked == (repo_url_file_dir(url) ? 0 : -1));
	FUZZ_CHECK(checked == 0 || check_err[0] != '\0');
	if (parsed < 0) {
		FUZZ_CHECK(err[0] != '\0' && t.bucket == NULL && t.prefix == NULL);
		return;
	}
	FUZZ_CHECK(s3_bucket_name_valid(t.bucket));
	FUZZ_CHECK(t.prefix[0] != '/' && !strchr(t.prefix, '?') && !strchr(t.prefix, '#'));
	struct strbuf again;
	strbuf_init(&again, 0);
	strbuf_printf(&again, "s3://%s/%s", t.bucket, t.prefix);
	struct s3_target u;
	FUZZ_CHECK(s3_target_parse(strbuf_str(&again), &u, err, sizeof(err)) == 0);
	FUZZ_CHECK(strcmp(u.bucket, t.bucket) == 0 && strcmp(u.prefix, t.prefix) == 0);
	s3_target_free(&u);
	strbuf_free(&again);
	s3_target_free(&t);
}

static void check_endpoint(const char *url)
{
	struct s3_endpoint e;
	char err[256] = "";
	if (s3_endpoint_parse(url, &e, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0] != '\0');
		return;
	}
	FUZZ_CHECK(*e.host_port != '\0');
	FUZZ_CHECK(strncmp(e.base, e.https ? "https://" : "http://", e.https ? 8 : 7) == 0);
	struct s3_endpoint again;
	FUZZ_CHECK(s3_endpoint_parse(e.base, &again, err, sizeof(err)) == 0);
	FUZZ_CHECK(again.https == e.https);
	FUZZ_CHECK(strcmp(again.host_port, e.host_port) == 0);
	FUZZ_CHECK(strcmp(again.base, e.base) == 0);
	s3_endpoint_free(&again);
	s3_endpoint_free(&e);
}

static void check_encoding(const uint8_t *data, size_t size, bool keep_slash)
{
	struct strbuf encoded, decoded;
	strbuf_init(&encoded, 0);
	strbuf_init(&decoded, 0);
	s3_uri_encode(&encoded, (const char *)data, size, keep_slash);
	const char *s = strbuf_str(&encoded);
	for (size_t i = 0; i < encoded.len; i++) {
		char c = s[i];
		bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		             (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
		             c == '~' || (keep_slash && c == '/');
		if (c == '%') {
			FUZZ_CHECK(i + 2 < encoded.len);
			FUZZ_CHECK(strchr("0123456789ABCDEF", s[i + 1]) && s[i + 1]);
			FUZZ_CHECK(strchr("0123456789ABCDEF", s[i + 2]) && s[i + 2]);
		} else {
			FUZZ_CHECK(plain);
		}
	}
	s3_uri_decode(&decoded, s, encoded.len);
	FUZZ_CHECK(decoded.len == size && memcmp(strbuf_str(&decoded), data, size) == 0);
	strbuf_free(&encoded);
	strbuf_free(&decoded);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	check_target(text);
	check_endpoint(text);
	check_encoding(data, size, true);
	check_encoding(data, size, false);
	free(text);
	return 0;
}
