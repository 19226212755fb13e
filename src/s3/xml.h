/* xml.h - reading S3's XML replies (with expat).
 *
 * Only what the client needs: the UploadId of InitiateMultipartUploadResult,
 * a ListBucketResult page, a ListMultipartUploadsResult page, an <Error>'s
 * Code and Message, and whether a
 * CompleteMultipartUpload reply really is a CompleteMultipartUploadResult (S3
 * can answer 200 and still put an <Error> in the body). Elements are matched by
 * local name, so a namespace (xmlns="http://s3.amazonaws.com/doc/2006-03-01/")
 * or none both work; entities (&amp; in a key) are decoded by expat.
 *
 * Keys: the client asks for encoding-type=url, because a key may hold bytes
 * that XML 1.0 cannot carry (ESC, other controls): S3 then sends every Key
 * (and NextKeyMarker) percent-encoded, '+' for a space, and says so with
 * <EncodingType>url</EncodingType>. Only when a reply says so are they
 * decoded (a server that ignores the parameter sends keys as they are); a
 * decoded key may hold any byte but NUL, so whoever shows one sanitises it.
 *
 * Pure functions over a buffer; results are owned by the caller. A reply that
 * is not well-formed XML, or has another root than expected, is an error.
 */
#ifndef OPSDECK_S3_XML_H
#define OPSDECK_S3_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "s3/s3.h"

struct s3_xml_error {
	char code[64];     /* "NoSuchKey"; "" when none */
	char message[256]; /* S3's sentence; "" when none */
};

/* When xml is an <Error> document, fills e and returns 1; else 0 (e is then
 * emptied). Never fails: a body that is not XML is simply not an Error. */
int s3_xml_parse_error(const char *xml, size_t len, struct s3_xml_error *e);

/* The UploadId of an InitiateMultipartUploadResult, into *upload_id
 * (caller frees). Returns 0, or -1 with a reason in err. */
int s3_xml_parse_upload_id(const char *xml, size_t len, char **upload_id, char *err, size_t errlen);

/* Whether a CompleteMultipartUpload reply confirms the object: 0 for a
 * CompleteMultipartUploadResult; -1 for an <Error> (err gets "Code: Message")
 * or anything else. */
int s3_xml_check_complete(const char *xml, size_t len, char *err, size_t errlen);

struct s3_xml_list_page {
	struct s3_object *objects; /* grown by the parser */
	size_t count;
	size_t cap;
	bool truncated;   /* IsTruncated was "true" */
	char *next_token; /* NextContinuationToken, or NULL */
};

/* Appends the Contents of one ListBucketResult (ListObjectsV2) page to
 * page->objects and sets truncated/next_token (next_token is freed and
 * replaced). A reply that is not XML only because a key holds raw control
 * bytes (a server that ignores encoding-type=url) is read all the same, the
 * keys exact. Returns 0, or -1 with a reason in err; objects already in page
 * stay there either way (free with s3_objects_free). */
int s3_xml_parse_list(const char *xml, size_t len, struct s3_xml_list_page *page, char *err,
                      size_t errlen);

struct s3_xml_uploads_page {
	struct s3_upload *uploads; /* grown by the parser */
	size_t count;
	size_t cap;
	bool truncated;              /* IsTruncated was "true" */
	char *next_key_marker;       /* NextKeyMarker (decoded), or NULL */
	char *next_upload_id_marker; /* NextUploadIdMarker, or NULL */
};

/* Appends the Uploads of one ListMultipartUploadsResult page to
 * page->uploads and sets truncated and the markers (replaced). Returns 0, or
 * -1 with a reason in err; uploads already in page stay there either way
 * (free with s3_uploads_free). */
int s3_xml_parse_uploads(const char *xml, size_t len, struct s3_xml_uploads_page *page, char *err,
                         size_t errlen);

#endif
