/* test_s3_xml.c - reading S3's XML replies (src/s3/xml.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "s3/xml.h"
#include "util/clock.h"

#define NS "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\""

static void test_error_document(void **state)
{
	(void)state;
	const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                  "<Error><Code>NoSuchKey</Code><Message>The resource you requested does "
	                  "not exist</Message><Resource>/mybucket/myfoto.jpg</Resource>"
	                  "<RequestId>4442587FB7D0A2F9</RequestId></Error>";
	struct s3_xml_error e;
	assert_int_equal(s3_xml_parse_error(xml, strlen(xml), &e), 1);
	assert_string_equal(e.code, "NoSuchKey");
	assert_string_equal(e.message, "The resource you requested does not exist");
}

static void test_error_signature_fields_ignored(void **state)
{
	(void)state;
	/* AWS's SignatureDoesNotMatch carries the signature we sent and the
	 * string to sign: only Code and Message are ever read. */
	const char *xml = "<Error><Code>SignatureDoesNotMatch</Code><Message>The request "
	                  "signature we calculated does not match</Message>"
	                  "<SignatureProvided>deadbeef</SignatureProvided>"
	                  "<StringToSign>AWS4-HMAC-SHA256</StringToSign></Error>";
	struct s3_xml_error e;
	assert_int_equal(s3_xml_parse_error(xml, strlen(xml), &e), 1);
	assert_string_equal(e.code, "SignatureDoesNotMatch");
	assert_null(strstr(e.message, "deadbeef"));
}

static void test_error_with_html_entity(void **state)
{
	(void)state;
	/* s3rver escapes keys with HTML entities XML does not know. */
	const char *xml =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
	    "<Message>The specified key does not exist.</Message>"
	    "<Key>it/small &amp; &uuml;.bin</Key></Error>";
	struct s3_xml_error e;
	assert_int_equal(s3_xml_parse_error(xml, strlen(xml), &e), 1);
	assert_string_equal(e.code, "NoSuchKey");
	assert_string_equal(e.message, "The specified key does not exist.");
	const char *odd = "<Error><Code>No Such<b>Key</b></Code></Error>&uuml;";
	assert_int_equal(s3_xml_parse_error(odd, strlen(odd), &e), 0);
	assert_string_equal(e.code, "");
}

static void test_not_an_error(void **state)
{
	(void)state;
	struct s3_xml_error e;
	const char *other = "<ListBucketResult><Code>x</Code></ListBucketResult>";
	assert_int_equal(s3_xml_parse_error(other, strlen(other), &e), 0);
	assert_string_equal(e.code, "");
	assert_int_equal(s3_xml_parse_error("not xml", 7, &e), 0);
	assert_int_equal(s3_xml_parse_error("", 0, &e), 0);
	assert_int_equal(s3_xml_parse_error(NULL, 0, &e), 0);
	const char *html = "<html><body>502 Bad Gateway</body></html>";
	assert_int_equal(s3_xml_parse_error(html, strlen(html), &e), 0);
}

static void test_upload_id(void **state)
{
	(void)state;
	const char *xml =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult " NS ">"
	    "<Bucket>example-bucket</Bucket><Key>example-object</Key>"
	    "<UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA&amp;x</UploadId>"
	    "</InitiateMultipartUploadResult>";
	char *id = NULL;
	char err[256];
	assert_int_equal(s3_xml_parse_upload_id(xml, strlen(xml), &id, err, sizeof(err)), 0);
	assert_string_equal(id, "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA&x");
	free(id);
}

static void test_upload_id_missing_or_error(void **state)
{
	(void)state;
	char *id = NULL;
	char err[256];
	const char *empty = "<InitiateMultipartUploadResult><Bucket>b</Bucket>"
	                    "</InitiateMultipartUploadResult>";
	assert_int_equal(s3_xml_parse_upload_id(empty, strlen(empty), &id, err, sizeof(err)), -1);
	assert_null(id);
	assert_non_null(strstr(err, "no UploadId"));
	const char *error =
	    "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>";
	assert_int_equal(s3_xml_parse_upload_id(error, strlen(error), &id, err, sizeof(err)), -1);
	assert_string_equal(err, "AccessDenied: Access Denied");
	assert_int_equal(s3_xml_parse_upload_id("<a>", 3, &id, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad XML"));
}

static void test_complete_ok(void **state)
{
	(void)state;
	/* AWS sends whitespace while it works, before the document. */
	const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                  "<CompleteMultipartUploadResult " NS ">"
	                  "<Location>http://b.s3.amazonaws.com/k</Location><Bucket>b</Bucket>"
	                  "<Key>k</Key><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag>"
	                  "</CompleteMultipartUploadResult>";
	char err[256];
	assert_int_equal(s3_xml_check_complete(xml, strlen(xml), err, sizeof(err)), 0);
}

static void test_complete_error_in_200(void **state)
{
	(void)state;
	const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n\n"
	                  "<Error><Code>InternalError</Code><Message>We encountered an internal "
	                  "error. Please try again.</Message><RequestId>656c76696e6727732072657175"
	                  "</RequestId></Error>";
	char err[256];
	assert_int_equal(s3_xml_check_complete(xml, strlen(xml), err, sizeof(err)), -1);
	assert_string_equal(err, "InternalError: We encountered an internal error. Please try "
	                         "again.");
	assert_int_equal(s3_xml_check_complete("", 0, err, sizeof(err)), -1);
	assert_int_equal(s3_xml_check_complete("<Other/>", 8, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "<Other>"));
	/* cut short: the connection dropped mid-document */
	const char *cut = "<CompleteMultipartUploadResult><Bucket>b</Bu";
	assert_int_equal(s3_xml_check_complete(cut, strlen(cut), err, sizeof(err)), -1);
}

static void test_list_page(void **state)
{
	(void)state;
	const char *xml =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult " NS ">"
	    "<Name>bucket</Name><Prefix>shop/</Prefix><KeyCount>2</KeyCount>"
	    "<MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>"
	    "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</"
	    "NextContinuationToken>"
	    "<Contents><Key>shop/db_2024.sql.gz</Key><LastModified>2009-10-12T17:50:30.000Z"
	    "</LastModified><ETag>\"fba9dede5f27731c9771645a39863328\"</ETag><Size>434234</Size>"
	    "<StorageClass>STANDARD</StorageClass><Owner><ID>x</ID><Key>not a key</Key></Owner>"
	    "</Contents>"
	    "<Contents><Key>shop/a &amp; b &lt;c&gt; &#x2603;.gz</Key>"
	    "<LastModified>2024-02-29T00:00:01Z</LastModified><Size>0</Size></Contents>"
	    "</ListBucketResult>";
	struct s3_xml_list_page page = {0};
	char err[256];
	assert_int_equal(s3_xml_parse_list(xml, strlen(xml), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 2);
	assert_true(page.truncated);
	assert_string_equal(page.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
	assert_string_equal(page.objects[0].key, "shop/db_2024.sql.gz");
	assert_int_equal(page.objects[0].size, 434234);
	assert_int_equal(page.objects[0].last_modified_ms, 1255369830000LL);
	assert_string_equal(page.objects[1].key, "shop/a & b <c> \xE2\x98\x83.gz");
	assert_int_equal(page.objects[1].size, 0);
	assert_int_equal(page.objects[1].last_modified_ms, 1709164801000LL);

	/* the next page appends and clears the token */
	const char *last = "<ListBucketResult><IsTruncated>false</IsTruncated><Contents>"
	                   "<Key>shop/z</Key><Size>18446744073709551615</Size></Contents>"
	                   "</ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(last, strlen(last), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 3);
	assert_false(page.truncated);
	assert_null(page.next_token);
	assert_int_equal(page.objects[2].size, UINT64_MAX);
	s3_objects_free(page.objects, page.count);
}

static void test_list_empty_and_bad(void **state)
{
	(void)state;
	struct s3_xml_list_page page = {0};
	char err[256];
	const char *empty = "<ListBucketResult><Name>b</Name><KeyCount>0</KeyCount>"
	                    "<IsTruncated>false</IsTruncated></ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(empty, strlen(empty), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 0);

	const char *no_token =
	    "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(no_token, strlen(no_token), &page, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "NextContinuationToken"));

	const char *bad_size = "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size>"
	                       "</Contents></ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(bad_size, strlen(bad_size), &page, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "Size"));

	const char *no_key = "<ListBucketResult><Contents><Size>1</Size></Contents>"
	                     "</ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(no_key, strlen(no_key), &page, err, sizeof(err)), -1);

	const char *error = "<Error><Code>NoSuchBucket</Code><Message>gone</Message></Error>";
	assert_int_equal(s3_xml_parse_list(error, strlen(error), &page, err, sizeof(err)), -1);
	assert_string_equal(err, "NoSuchBucket: gone");

	/* entity expansion is refused, not expanded */
	const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaa\">"
	                   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
	                   "<ListBucketResult><Contents><Key>&b;</Key><Size>1</Size></Contents>"
	                   "</ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(bomb, strlen(bomb), &page, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "document type"));
	s3_objects_free(page.objects, page.count);
	free(page.next_token);
}

/* Keys that XML 1.0 cannot carry (ESC, other controls), sent raw by a
 * server that ignores encoding-type=url (s3rver): the reply is still read
 * and the keys come back exact, '%' and "]]>" in CDATA too; a reply broken
 * for another reason still fails, with its reason. */
static void test_list_raw_control_keys(void **state)
{
	(void)state;
	const char xml[] =
	    "<ListBucketResult><IsTruncated>true</IsTruncated>"
	    "<NextContinuationToken>t%2F=</NextContinuationToken>"
	    "<Contents><Key>shop/up/\x1b[2Jx\x01.png.gz</Key><Size>1</Size>"
	    "</Contents>"
	    "<Contents><Key>shop/100%25 %zz\x7f\x1f.gz</Key><Size>2</Size></Contents>"
	    "<Contents><Key><![CDATA[shop/a]]]]><![CDATA[>b\x1b]]></Key>"
	    "<Size>3</Size></Contents>"
	    "<Contents><Key>shop/x]]&gt;&amp;\a</Key><Size>4</Size></Contents>"
	    "</ListBucketResult>";
	struct s3_xml_list_page page = {0};
	char err[256] = "";
	assert_int_equal(s3_xml_parse_list(xml, sizeof(xml) - 1, &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 4);
	assert_string_equal(page.objects[0].key, "shop/up/\x1b[2Jx\x01.png.gz");
	assert_string_equal(page.objects[1].key, "shop/100%25 %zz\x7f\x1f.gz");
	assert_string_equal(page.objects[2].key, "shop/a]]>b\x1b");
	assert_string_equal(page.objects[3].key, "shop/x]]>&\a");
	assert_int_equal(page.objects[3].size, 4);
	assert_true(page.truncated);
	assert_string_equal(page.next_token, "t%2F=");

	const char bad_size[] = "<ListBucketResult><Contents><Key>\x1b</Key><Size>x</Size>"
	                        "</Contents></ListBucketResult>";
	assert_int_equal(s3_xml_parse_list(bad_size, sizeof(bad_size) - 1, &page, err, sizeof(err)),
	                 -1);
	assert_non_null(strstr(err, "Size"));
	const char cut[] = "<ListBucketResult><Contents><Key>\x1b";
	assert_int_equal(s3_xml_parse_list(cut, sizeof(cut) - 1, &page, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad XML reply"));
	assert_int_equal(page.count, 4);

	struct s3_xml_uploads_page up = {0};
	const char uploads[] = "<ListMultipartUploadsResult><Upload><Key>k\x1b%</Key>"
	                       "<UploadId>u%1</UploadId></Upload></ListMultipartUploadsResult>";
	assert_int_equal(s3_xml_parse_uploads(uploads, sizeof(uploads) - 1, &up, err, sizeof(err)),
	                 0);
	assert_int_equal(up.count, 1);
	assert_string_equal(up.uploads[0].key, "k\x1b%");
	assert_string_equal(up.uploads[0].upload_id, "u%1");
	s3_uploads_free(up.uploads, up.count);
	free(up.next_key_marker);
	free(up.next_upload_id_marker);
	s3_objects_free(page.objects, page.count);
	free(page.next_token);
}

static void test_list_url_encoded_keys(void **state)
{
	(void)state;
	/* as S3 answers encoding-type=url: control characters, invalid UTF-8,
	 * "]]>", '+' for a space and %2B for a plus; EncodingType may come
	 * after the Contents */
	const char *xml =
	    "<ListBucketResult " NS "><Name>b</Name><Prefix>shop%2F</Prefix>"
	    "<IsTruncated>false</IsTruncated>"
	    "<Contents><Key>shop/up/%1B%5B2Jx.png.gz</Key><Size>1</Size></Contents>"
	    "<Contents><Key>shop/up/%FF%FE%C3%28bad.gz</Key><Size>2</Size></Contents>"
	    "<Contents><Key>shop/up/a%5D%5D%3Eb%3C%21%5BCDATA%5B.gz</Key><Size>3</Size>"
	    "</Contents>"
	    "<Contents><Key>shop/up/a+b%2Bc%25d%07%0A%0D%7F%C2%9B.gz</Key><Size>4</Size>"
	    "</Contents>"
	    "<EncodingType>url</EncodingType></ListBucketResult>";
	struct s3_xml_list_page page = {0};
	char err[256];
	assert_int_equal(s3_xml_parse_list(xml, strlen(xml), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 4);
	assert_string_equal(page.objects[0].key, "shop/up/\x1b[2Jx.png.gz");
	assert_string_equal(page.objects[1].key, "shop/up/\xff\xfe\xc3(bad.gz");
	assert_string_equal(page.objects[2].key, "shop/up/a]]>b<![CDATA[.gz");
	assert_string_equal(page.objects[3].key, "shop/up/a b+c%d\a\n\r\x7f\xc2\x9b.gz");
	assert_int_equal(page.objects[3].size, 4);
	s3_objects_free(page.objects, page.count);
}

static void test_list_not_encoded_keys_kept(void **state)
{
	(void)state;
	/* a server that ignores encoding-type=url (no EncodingType): keys are
	 * taken as they are, '%' and '+' included */
	const char *xml = "<ListBucketResult><IsTruncated>true</IsTruncated>"
	                  "<NextContinuationToken>a%2Bb+c</NextContinuationToken>"
	                  "<Contents><Key>shop/50%25+off.gz</Key><Size>1</Size></Contents>"
	                  "<Contents><Key>shop/]]&gt;.gz</Key><Size>1</Size></Contents>"
	                  "<Contents><Key><![CDATA[shop/<cdata>&.gz]]></Key><Size>1</Size>"
	                  "</Contents></ListBucketResult>";
	struct s3_xml_list_page page = {0};
	char err[256];
	assert_int_equal(s3_xml_parse_list(xml, strlen(xml), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 3);
	assert_string_equal(page.objects[0].key, "shop/50%25+off.gz");
	assert_string_equal(page.objects[1].key, "shop/]]>.gz");
	assert_string_equal(page.objects[2].key, "shop/<cdata>&.gz");
	/* the continuation token is opaque: never decoded */
	assert_string_equal(page.next_token, "a%2Bb+c");

	/* with EncodingType url, a malformed escape or %00 is an error */
	const char *bad[] = {
	    "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>a%zz</Key>"
	    "<Size>1</Size></Contents></ListBucketResult>",
	    "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>a%00b</Key>"
	    "<Size>1</Size></Contents></ListBucketResult>",
	    "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>a%4</Key>"
	    "<Size>1</Size></Contents></ListBucketResult>",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(s3_xml_parse_list(bad[i], strlen(bad[i]), &page, err, sizeof(err)),
		                 -1);
		assert_non_null(strstr(err, "url-encoded Key"));
	}
	s3_objects_free(page.objects, page.count);
	free(page.next_token);
}

static void test_uploads_page(void **state)
{
	(void)state;
	const char *xml =
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListMultipartUploadsResult " NS ">"
	    "<Bucket>b</Bucket><KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>"
	    "<NextKeyMarker>shop/%1Bz</NextKeyMarker><NextUploadIdMarker>id-2</NextUploadIdMarker>"
	    "<EncodingType>url</EncodingType><Prefix>shop/</Prefix><MaxUploads>2</MaxUploads>"
	    "<IsTruncated>true</IsTruncated>"
	    "<Upload><Key>shop/db_2024.sql.gz</Key><UploadId>id-1</UploadId>"
	    "<Initiator><ID>x</ID></Initiator><StorageClass>STANDARD</StorageClass>"
	    "<Initiated>2010-11-10T20:48:33.000Z</Initiated></Upload>"
	    "<Upload><Key>shop/%1Bz</Key><UploadId>id-2</UploadId>"
	    "<Initiated>2010-11-10T20:49:33.000Z</Initiated></Upload>"
	    "</ListMultipartUploadsResult>";
	struct s3_xml_uploads_page page = {0};
	char err[256];
	assert_int_equal(s3_xml_parse_uploads(xml, strlen(xml), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 2);
	assert_true(page.truncated);
	assert_string_equal(page.next_key_marker, "shop/\x1bz");
	assert_string_equal(page.next_upload_id_marker, "id-2");
	assert_string_equal(page.uploads[0].key, "shop/db_2024.sql.gz");
	assert_string_equal(page.uploads[0].upload_id, "id-1");
	assert_int_equal(page.uploads[0].initiated_ms, 1289422113000LL);
	assert_string_equal(page.uploads[1].key, "shop/\x1bz");

	const char *last = "<ListMultipartUploadsResult><IsTruncated>false</IsTruncated>"
	                   "</ListMultipartUploadsResult>";
	assert_int_equal(s3_xml_parse_uploads(last, strlen(last), &page, err, sizeof(err)), 0);
	assert_int_equal(page.count, 2);
	assert_false(page.truncated);
	assert_null(page.next_key_marker);

	const char *bad[] = {
	    "<ListMultipartUploadsResult><Upload><Key>k</Key></Upload>"
	    "</ListMultipartUploadsResult>",
	    "<ListMultipartUploadsResult><IsTruncated>true</IsTruncated>"
	    "</ListMultipartUploadsResult>",
	    "<ListBucketResult></ListBucketResult>",
	    "<ListMultipartUploadsResult><Upload><Key>k</Key><UploadId>i</UploadId>"
	    "<Initiated>yesterday</Initiated></Upload></ListMultipartUploadsResult>",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		    s3_xml_parse_uploads(bad[i], strlen(bad[i]), &page, err, sizeof(err)), -1);
	s3_uploads_free(page.uploads, page.count);
	free(page.next_key_marker);
	free(page.next_upload_id_marker);
}

static void test_parse_time(void **state)
{
	(void)state;
	int64_t ms = 0;
	assert_int_equal(clock_parse_iso8601("1970-01-01T00:00:00.000Z", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30.5Z", &ms), 0);
	assert_int_equal(ms, 1255369830500LL);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30.123456Z", &ms), 0);
	assert_int_equal(ms, 1255369830123LL);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30", &ms), -1);
	assert_int_equal(clock_parse_iso8601("2009-10-12 17:50:30Z", &ms), -1);
	assert_int_equal(clock_parse_iso8601("2009-13-12T17:50:30Z", &ms), -1);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30.Z", &ms), -1);
	assert_int_equal(clock_parse_iso8601("", &ms), -1);
	/* digits only where digits belong: no sign, no blank */
	assert_int_equal(clock_parse_iso8601("+009-10-12T17:50:30.000Z", &ms), -1);
	assert_int_equal(clock_parse_iso8601("2009-10-12T 7:50:30Z", &ms), -1);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:-5:30Z", &ms), -1);
	/* RFC 3339 offsets: the same moment */
	int64_t utc = 0;
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30Z", &utc), 0);
	assert_int_equal(clock_parse_iso8601("2009-10-12T19:50:30+02:00", &ms), 0);
	assert_int_equal(ms, utc);
	assert_int_equal(clock_parse_iso8601("2009-10-12T12:20:30-05:30", &ms), 0);
	assert_int_equal(ms, utc);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30+2:00", &ms), -1);
	assert_int_equal(clock_parse_iso8601("2009-10-12T17:50:30+02:00x", &ms), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_error_document),
	    cmocka_unit_test(test_error_signature_fields_ignored),
	    cmocka_unit_test(test_error_with_html_entity),
	    cmocka_unit_test(test_not_an_error),
	    cmocka_unit_test(test_upload_id),
	    cmocka_unit_test(test_upload_id_missing_or_error),
	    cmocka_unit_test(test_complete_ok),
	    cmocka_unit_test(test_complete_error_in_200),
	    cmocka_unit_test(test_list_page),
	    cmocka_unit_test(test_list_empty_and_bad),
	    cmocka_unit_test(test_list_raw_control_keys),
	    cmocka_unit_test(test_list_url_encoded_keys),
	    cmocka_unit_test(test_list_not_encoded_keys_kept),
	    cmocka_unit_test(test_uploads_page),
	    cmocka_unit_test(test_parse_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
