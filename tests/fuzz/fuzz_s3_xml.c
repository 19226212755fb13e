/* fuzz_s3_xml.c - feeds arbitrary bytes, as the body of an S3 reply, to
 * every reader of S3's XML: s3_xml_parse_error, s3_xml_parse_upload_id,
 * s3_xml_check_complete, s3_xml_parse_list and s3_xml_parse_uploads (each
 * twice into one page, as the client does for each page of a listing); and
 * the same bytes as a LastModified to clock_parse_iso8601.
 *
 * Beyond not crashing or leaking: Code and Message are terminated and
 * empty when the body is not an <Error>; an error always has a reason; an
 * UploadId is non-empty when found and NULL otherwise; a listing that says
 * it is truncated has a continuation token (an upload listing, a key
 * marker), every object has a key (and every upload an id), and a second
 * parse appends the same objects again: the url-decoding of keys
 * (<EncodingType>url</EncodingType>) touches only the page just read, never
 * decodes a key twice, and no hostile key (controls, invalid UTF-8, "]]>",
 * %00) makes two parses disagree; a time is accepted only in
 * the exact form YYYY-MM-DDTHH:MM:SS[.fff]Z, digits where digits belong. */
#include "fuzz.h"

#include "s3/s3.h"
#include "s3/xml.h"
#include "util/clock.h"

static void check_time(const char *text)
{
	int64_t ms;
	if (clock_parse_iso8601(text, &ms) < 0)
		return;
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	for (size_t i = 0; i < sizeof(form) - 1; i++) {
		if (form[i] == 'd')
			FUZZ_CHECK(text[i] >= '0' && text[i] <= '9');
		else
			FUZZ_CHECK(text[i] == form[i]);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *xml = fuzz_bytes(data, size);
	char err[512];

	struct s3_xml_error e;
	int is_error = s3_xml_parse_error(xml, size, &e);
	FUZZ_CHECK(is_error == 0 || is_error == 1);
	FUZZ_CHECK(FUZZ_TERMINATED(e.code) && FUZZ_TERMINATED(e.message));
	if (!is_error)
		FUZZ_CHECK(e.code[0] == '\0' && e.message[0] == '\0');

	char *upload_id = (char *)"unset";
	err[0] = '\0';
	if (s3_xml_parse_upload_id(xml, size, &upload_id, err, sizeof(err)) == 0)
		FUZZ_CHECK(upload_id && upload_id[0]);
	else
		FUZZ_CHECK(upload_id == NULL && err[0]);
	free(upload_id);

	err[0] = '\0';
	if (s3_xml_check_complete(xml, size, err, sizeof(err)) < 0)
		FUZZ_CHECK(err[0] != '\0');
	else
		FUZZ_CHECK(!is_error);

	struct s3_xml_list_page page = {0};
	err[0] = '\0';
	if (s3_xml_parse_list(xml, size, &page, err, sizeof(err)) == 0) {
		FUZZ_CHECK(!page.truncated || page.next_token);
		size_t first = page.count;
		for (size_t i = 0; i < page.count; i++)
			FUZZ_CHECK(page.objects[i].key != NULL);
		FUZZ_CHECK(s3_xml_parse_list(xml, size, &page, err, sizeof(err)) == 0);
		FUZZ_CHECK(page.count == 2 * first);
		for (size_t i = 0; i < first; i++) {
			FUZZ_CHECK(strcmp(page.objects[i].key, page.objects[first + i].key) == 0);
			FUZZ_CHECK(page.objects[i].size == page.objects[first + i].size);
		}
	} else {
		FUZZ_CHECK(err[0] != '\0');
	}
	s3_objects_free(page.objects, page.count);
	free(page.next_token);

	struct s3_xml_uploads_page uploads = {0};
	err[0] = '\0';
	if (s3_xml_parse_uploads(xml, size, &uploads, err, sizeof(err)) == 0) {
		FUZZ_CHECK(!uploads.truncated ||
		           (uploads.next_key_marker && uploads.next_key_marker[0]));
		size_t first = uploads.count;
		for (size_t i = 0; i < first; i++)
			FUZZ_CHECK(uploads.uploads[i].key && uploads.uploads[i].upload_id);
		FUZZ_CHECK(s3_xml_parse_uploads(xml, size, &uploads, err, sizeof(err)) == 0);
		FUZZ_CHECK(uploads.count == 2 * first);
		for (size_t i = 0; i < first; i++) {
			const struct s3_upload *a = &uploads.uploads[i],
			                       *b = &uploads.uploads[first + i];
			FUZZ_CHECK(strcmp(a->key, b->key) == 0);
			FUZZ_CHECK(strcmp(a->upload_id, b->upload_id) == 0);
			FUZZ_CHECK(a->initiated_ms == b->initiated_ms);
		}
	} else {
		FUZZ_CHECK(err[0] != '\0');
	}
	s3_uploads_free(uploads.uploads, uploads.count);
	free(uploads.next_key_marker);
	free(uploads.next_upload_id_marker);

	char *text = fuzz_string(data, size);
	check_time(text);
	free(text);
	free(xml);
	return 0;
}
