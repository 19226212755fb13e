/* xml.c - S3's XML replies, read with expat (see xml.h).
 *
 * Why expat and not a hand parser: keys in a listing come back with entities
 * (&amp;, &lt;, &#x2603;) and may sit in CDATA; getting every such case right
 * by hand is the kind of code that breaks on the first odd file name, and
 * expat is small, everywhere, and already guards against entity expansion
 * attacks. A document type declaration is refused outright: S3 never sends
 * one.
 *
 * One walker does the work: it keeps the path of open elements by local name
 * (any "prefix:" dropped), collects the text of the current element, and
 * calls a per-reply handler at each end tag.
 *
 * Past 600 lines on purpose: every reader below is a handler of that one
 * walker, and both listings share its recovery from raw control bytes;
 * apart, the walker would be exported for these readers alone.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "s3/xml.h"

#include <errno.h>
#include <expat.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/clock.h"
#include "util/percent.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define XML_MAX_DEPTH 8
#define XML_NAME_MAX  64
#define XML_TEXT_MAX  65536

struct xml_walk {
	XML_Parser parser;
	char path[XML_MAX_DEPTH][XML_NAME_MAX]; /* path[0] is the root */
	int depth;                              /* elements open */
	int too_deep;                           /* elements open beyond XML_MAX_DEPTH */
	struct strbuf text;
	char root[XML_NAME_MAX];
	/* name: the element just closed; depth: its depth (1 = root). */
	void (*on_end)(struct xml_walk *w, const char *name, int depth, const char *text);
	void *ctx;
	char failure[128]; /* set by a handler to stop with a reason */
};

static const char *local_name(const char *name)
{
	const char *colon = strrchr(name, ':');
	return colon ? colon + 1 : name;
}

static void XMLCALL on_start(void *data, const XML_Char *name, const XML_Char **attrs)
{
	(void)attrs;
	struct xml_walk *w = data;
	if (w->depth >= XML_MAX_DEPTH) {
		w->too_deep++;
		return;
	}
	snprintf(w->path[w->depth], XML_NAME_MAX, "%s", local_name(name));
	if (w->depth == 0)
		snprintf(w->root, sizeof(w->root), "%s", w->path[0]);
	w->depth++;
	strbuf_reset(&w->text);
}

static void XMLCALL on_end(void *data, const XML_Char *name)
{
	(void)name;
	struct xml_walk *w = data;
	if (w->too_deep > 0) {
		w->too_deep--;
		return;
	}
	if (w->on_end)
		w->on_end(w, w->path[w->depth - 1], w->depth, strbuf_str(&w->text));
	w->depth--;
	strbuf_reset(&w->text);
	if (w->failure[0])
		XML_StopParser(w->parser, XML_FALSE);
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct xml_walk *w = data;
	if (w->too_deep == 0)
		strbuf_append(&w->text, s, (size_t)len);
}

static void XMLCALL on_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	struct xml_walk *w = data;
	snprintf(w->failure, sizeof(w->failure), "a document type declaration");
	XML_StopParser(w->parser, XML_FALSE);
}

/* Parses xml[0..len) through w's handler. Returns 0, or -1 with a reason
 * in err (a syntax error, a handler's failure, or a missing root). */
static int xml_walk_run(struct xml_walk *w, const char *xml, size_t len, char *err, size_t errlen)
{
	int rc = -1;
	w->parser = XML_ParserCreate("UTF-8");
	w->depth = 0;
	w->too_deep = 0;
	w->root[0] = '\0';
	w->failure[0] = '\0';
	strbuf_init(&w->text, XML_TEXT_MAX);
	if (!w->parser) {
		snprintf(err, errlen, "out of memory for the XML parser");
		goto done;
	}
	XML_SetUserData(w->parser, w);
	XML_SetElementHandler(w->parser, on_start, on_end);
	XML_SetCharacterDataHandler(w->parser, on_text);
	XML_SetStartDoctypeDeclHandler(w->parser, on_doctype);
	if (len > INT32_MAX) {
		snprintf(err, errlen, "XML reply too large");
		goto done;
	}
	if (XML_Parse(w->parser, xml, (int)len, XML_TRUE) != XML_STATUS_OK) {
		if (w->failure[0])
			snprintf(err, errlen, "bad XML reply: %s", w->failure);
		else
			snprintf(err, errlen, "bad XML reply: %s at line %lu",
			         XML_ErrorString(XML_GetErrorCode(w->parser)),
			         (unsigned long)XML_GetCurrentLineNumber(w->parser));
		goto done;
	}
	if (w->failure[0]) {
		snprintf(err, errlen, "bad XML reply: %s", w->failure);
		goto done;
	}
	rc = 0;
done:
	if (w->parser)
		XML_ParserFree(w->parser);
	w->parser = NULL;
	strbuf_free(&w->text);
	return rc;
}

/* ------------------------------------------------------------ <Error> */

static void error_end(struct xml_walk *w, const char *name, int depth, const char *text)
{
	struct s3_xml_error *e = w->ctx;
	if (depth != 2 || strcmp(w->path[0], "Error") != 0)
		return;
	if (strcmp(name, "Code") == 0)
		snprintf(e->code, sizeof(e->code), "%s", text);
	else if (strcmp(name, "Message") == 0)
		snprintf(e->message, sizeof(e->message), "%s", text);
}

/* The text of the first <name>...</name> in xml[0..len), into out, when it
 * is there and holds no markup. */
static bool find_element_text(const char *xml, size_t len, const char *name, char *out,
                              size_t outlen)
{
	char open[32], close[32];
	snprintf(open, sizeof(open), "<%s>", name);
	snprintf(close, sizeof(close), "</%s>", name);
	const char *end = xml + len;
	const char *start = memmem(xml, len, open, strlen(open));
	if (!start)
		return false;
	start += strlen(open);
	const char *stop = memmem(start, (size_t)(end - start), close, strlen(close));
	if (!stop || memchr(start, '<', (size_t)(stop - start)))
		return false;
	snprintf(out, outlen, "%.*s", (int)(stop - start), start);
	return true;
}

/* Some servers (s3rver) escape keys in an <Error> with HTML entities
 * (&uuml;) that XML does not define, so expat rightly refuses the document.
 * The reason is still worth showing: take Code and Message by plain search
 * when the document is plainly an <Error>. */
static int parse_error_leniently(const char *xml, size_t len, struct s3_xml_error *e)
{
	if (!memmem(xml, len, "<Error>", 7) ||
	    !find_element_text(xml, len, "Code", e->code, sizeof(e->code)) ||
	    strspn(e->code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.") !=
	        strlen(e->code) ||
	    !e->code[0]) {
		e->code[0] = '\0';
		return 0;
	}
	if (!find_element_text(xml, len, "Message", e->message, sizeof(e->message)))
		e->message[0] = '\0';
	return 1;
}

int s3_xml_parse_error(const char *xml, size_t len, struct s3_xml_error *e)
{
	char err[128];
	struct xml_walk w = {.on_end = error_end, .ctx = e};
	e->code[0] = '\0';
	e->message[0] = '\0';
	if (!xml || len == 0)
		return 0;
	if (xml_walk_run(&w, xml, len, err, sizeof(err)) < 0) {
		e->code[0] = '\0';
		e->message[0] = '\0';
		return parse_error_leniently(xml, len, e);
	}
	if (strcmp(w.root, "Error") != 0) {
		e->code[0] = '\0';
		e->message[0] = '\0';
		return 0;
	}
	return 1;
}

/* ------------------------------------------------------------ UploadId */

static void upload_id_end(struct xml_walk *w, const char *name, int depth, const char *text)
{
	char **id = w->ctx;
	if (depth == 2 && strcmp(name, "UploadId") == 0 && !*id)
		*id = xstrdup(text);
}

/* The reason for a document that has the wrong root: S3's own words when it
 * is an <Error>. */
static void describe_unexpected(const char *xml, size_t len, const char *root, const char *wanted,
                                char *err, size_t errlen)
{
	struct s3_xml_error e;
	if (s3_xml_parse_error(xml, len, &e))
		snprintf(err, errlen, "%s%s%s", e.code[0] ? e.code : "Error",
		         e.message[0] ? ": " : "", e.message);
	else
		snprintf(err, errlen, "expected %s in the reply, got <%s>", wanted,
		         root[0] ? root : "nothing");
}

int s3_xml_parse_upload_id(const char *xml, size_t len, char **upload_id, char *err, size_t errlen)
{
	*upload_id = NULL;
	char *id = NULL;
	struct xml_walk w = {.on_end = upload_id_end, .ctx = &id};
	if (xml_walk_run(&w, xml, len, err, errlen) < 0)
		goto fail;
	if (strcmp(w.root, "InitiateMultipartUploadResult") != 0) {
		describe_unexpected(xml, len, w.root, "InitiateMultipartUploadResult", err, errlen);
		goto fail;
	}
	if (!id || !id[0]) {
		snprintf(err, errlen, "no UploadId in InitiateMultipartUploadResult");
		goto fail;
	}
	*upload_id = id;
	return 0;
fail:
	free(id);
	return -1;
}

/* ------------------------------------------------------------ Complete */

int s3_xml_check_complete(const char *xml, size_t len, char *err, size_t errlen)
{
	struct xml_walk w = {0};
	if (len == 0) {
		snprintf(err, errlen, "empty reply to CompleteMultipartUpload");
		return -1;
	}
	if (xml_walk_run(&w, xml, len, err, errlen) < 0)
		return -1;
	if (strcmp(w.root, "CompleteMultipartUploadResult") != 0) {
		describe_unexpected(xml, len, w.root, "CompleteMultipartUploadResult", err, errlen);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ listing */

/* Replaces *text, url-encoded as S3 sends it with encoding-type=url ('+' for
 * a space, %XX for anything else), by its decoded form. 0, or -1 (text kept)
 * on a malformed escape or %00. */
static int url_decode_in_place(char **text)
{
	char *decoded = percent_decode(*text, strlen(*text), true);
	if (!decoded)
		return -1;
	free(*text);
	*text = decoded;
	return 0;
}

static bool is_raw_control(unsigned char c)
{
	return c != 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

/* A server that ignores encoding-type=url (s3rver does) sends a key's C0
 * control bytes raw; XML 1.0 cannot hold them, so no parser accepts the
 * reply, and one uploaded file's name would hide every backup. Such a reply
 * is read again as a copy with every '%' and every such byte written %XX;
 * raw_unescape restores the text fields. NULL when xml holds no such byte
 * (nothing a second reading would change). The caller frees the copy. */
static char *raw_controls_escape(const char *xml, size_t len, size_t *out_len)
{
	size_t controls = 0;
	for (size_t i = 0; i < len; i++)
		controls += is_raw_control((unsigned char)xml[i]);
	if (controls == 0)
		return NULL;
	struct strbuf out;
	strbuf_init(&out, 0);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)xml[i];
		if (c == '%' || is_raw_control(c))
			strbuf_printf(&out, "%%%02X", c);
		else
			strbuf_putc(&out, (char)c);
	}
	*out_len = out.len;
	return strbuf_take(&out);
}

/* Undoes raw_controls_escape on one field (NULL stays NULL). */
static void raw_unescape(char **text)
{
	if (!*text)
		return;
	/* The copy holds no %00, and a '%' only as %25 (but one made by an
	 * entity, &#37;: such a field then stays as it was read). */
	char *decoded = percent_decode(*text, strlen(*text), false);
	if (decoded) {
		free(*text);
		*text = decoded;
	}
}

static int bad_encoding(const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "bad XML reply: a url-encoded %s that does not decode", what);
	return -1;
}

struct list_parse {
	struct s3_xml_list_page *page;
	char *key;
	uint64_t size;
	int64_t modified_ms;
	bool have_size;
	bool url_encoded; /* <EncodingType>url</EncodingType> */
};

static int parse_u64(const char *s, uint64_t *out)
{
	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, NULL, 10);
	if (errno == ERANGE)
		return -1;
	*out = v;
	return 0;
}

static void list_end(struct xml_walk *w, const char *name, int depth, const char *text)
{
	struct list_parse *lp = w->ctx;
	struct s3_xml_list_page *page = lp->page;
	if (strcmp(w->path[0], "ListBucketResult") != 0)
		return;
	if (depth == 3 && strcmp(w->path[1], "Contents") == 0) {
		if (strcmp(name, "Key") == 0) {
			free(lp->key);
			lp->key = xstrdup(text);
		} else if (strcmp(name, "Size") == 0) {
			if (parse_u64(text, &lp->size) < 0)
				snprintf(w->failure, sizeof(w->failure), "bad Size '%.32s'", text);
			lp->have_size = true;
		} else if (strcmp(name, "LastModified") == 0) {
			if (clock_parse_iso8601(text, &lp->modified_ms) < 0)
				snprintf(w->failure, sizeof(w->failure), "bad LastModified '%.40s'",
				         text);
		}
		return;
	}
	if (depth != 2)
		return;
	if (strcmp(name, "Contents") == 0) {
		if (!lp->key || !lp->have_size) {
			snprintf(w->failure, sizeof(w->failure), "a Contents without Key or Size");
			return;
		}
		if (page->count == page->cap) {
			page->cap = page->cap ? page->cap * 2 : 64;
			page->objects = xrealloc(page->objects, page->cap * sizeof(*page->objects));
		}
		page->objects[page->count++] = (struct s3_object){
		    .key = lp->key, .size = lp->size, .last_modified_ms = lp->modified_ms};
		lp->key = NULL;
		lp->size = 0;
		lp->modified_ms = 0;
		lp->have_size = false;
	} else if (strcmp(name, "IsTruncated") == 0) {
		page->truncated = strcmp(text, "true") == 0;
	} else if (strcmp(name, "NextContinuationToken") == 0) {
		free(page->next_token);
		page->next_token = text[0] ? xstrdup(text) : NULL;
	} else if (strcmp(name, "EncodingType") == 0) {
		lp->url_encoded = strcmp(text, "url") == 0;
	}
}

/* One reading of a ListBucketResult; escaped: xml is raw_controls_escape's
 * copy. */
static int parse_list(const char *xml, size_t len, bool escaped, struct s3_xml_list_page *page,
                      char *err, size_t errlen)
{
	struct list_parse lp = {.page = page};
	struct xml_walk w = {.on_end = list_end, .ctx = &lp};
	size_t first = page->count;
	page->truncated = false;
	free(page->next_token);
	page->next_token = NULL;
	int rc = xml_walk_run(&w, xml, len, err, errlen);
	free(lp.key);
	if (rc < 0)
		return -1;
	if (strcmp(w.root, "ListBucketResult") != 0) {
		describe_unexpected(xml, len, w.root, "ListBucketResult", err, errlen);
		return -1;
	}
	if (page->truncated && !page->next_token) {
		snprintf(err, errlen, "a truncated listing without NextContinuationToken");
		return -1;
	}
	for (size_t i = first; escaped && i < page->count; i++)
		raw_unescape(&page->objects[i].key);
	if (escaped)
		raw_unescape(&page->next_token);
	/* The continuation token is opaque: S3 never url-encodes it. */
	for (size_t i = first; lp.url_encoded && i < page->count; i++)
		if (url_decode_in_place(&page->objects[i].key) < 0)
			return bad_encoding("Key", err, errlen);
	return 0;
}

/* ------------------------------------------------------------ uploads */

struct uploads_parse {
	struct s3_xml_uploads_page *page;
	struct s3_upload current;
	bool url_encoded;
};

static void upload_clear(struct s3_upload *u)
{
	free(u->key);
	free(u->upload_id);
	memset(u, 0, sizeof(*u));
}

static void uploads_end(struct xml_walk *w, const char *name, int depth, const char *text)
{
	struct uploads_parse *up = w->ctx;
	struct s3_xml_uploads_page *page = up->page;
	if (strcmp(w->path[0], "ListMultipartUploadsResult") != 0)
		return;
	if (depth == 3 && strcmp(w->path[1], "Upload") == 0) {
		if (strcmp(name, "Key") == 0) {
			free(up->current.key);
			up->current.key = xstrdup(text);
		} else if (strcmp(name, "UploadId") == 0) {
			free(up->current.upload_id);
			up->current.upload_id = xstrdup(text);
		} else if (strcmp(name, "Initiated") == 0) {
			if (clock_parse_iso8601(text, &up->current.initiated_ms) < 0)
				snprintf(w->failure, sizeof(w->failure), "bad Initiated '%.40s'",
				         text);
		}
		return;
	}
	if (depth != 2)
		return;
	if (strcmp(name, "Upload") == 0) {
		if (!up->current.key || !up->current.upload_id) {
			snprintf(w->failure, sizeof(w->failure),
			         "an Upload without Key or UploadId");
			return;
		}
		if (page->count == page->cap) {
			page->cap = page->cap ? page->cap * 2 : 16;
			page->uploads = xrealloc(page->uploads, page->cap * sizeof(*page->uploads));
		}
		page->uploads[page->count++] = up->current;
		memset(&up->current, 0, sizeof(up->current));
	} else if (strcmp(name, "IsTruncated") == 0) {
		page->truncated = strcmp(text, "true") == 0;
	} else if (strcmp(name, "NextKeyMarker") == 0) {
		free(page->next_key_marker);
		page->next_key_marker = xstrdup(text);
	} else if (strcmp(name, "NextUploadIdMarker") == 0) {
		free(page->next_upload_id_marker);
		page->next_upload_id_marker = xstrdup(text);
	} else if (strcmp(name, "EncodingType") == 0) {
		up->url_encoded = strcmp(text, "url") == 0;
	}
}

/* One reading of a ListMultipartUploadsResult; escaped as for parse_list. */
static int parse_uploads(const char *xml, size_t len, bool escaped,
                         struct s3_xml_uploads_page *page, char *err, size_t errlen)
{
	struct uploads_parse up = {.page = page};
	struct xml_walk w = {.on_end = uploads_end, .ctx = &up};
	size_t first = page->count;
	page->truncated = false;
	free(page->next_key_marker);
	free(page->next_upload_id_marker);
	page->next_key_marker = NULL;
	page->next_upload_id_marker = NULL;
	int rc = xml_walk_run(&w, xml, len, err, errlen);
	upload_clear(&up.current);
	if (rc < 0)
		return -1;
	if (strcmp(w.root, "ListMultipartUploadsResult") != 0) {
		describe_unexpected(xml, len, w.root, "ListMultipartUploadsResult", err, errlen);
		return -1;
	}
	if (page->truncated && (!page->next_key_marker || !page->next_key_marker[0])) {
		snprintf(err, errlen, "a truncated upload listing without NextKeyMarker");
		return -1;
	}
	for (size_t i = first; escaped && i < page->count; i++) {
		raw_unescape(&page->uploads[i].key);
		raw_unescape(&page->uploads[i].upload_id);
	}
	if (escaped) {
		raw_unescape(&page->next_key_marker);
		raw_unescape(&page->next_upload_id_marker);
	}
	for (size_t i = first; up.url_encoded && i < page->count; i++)
		if (url_decode_in_place(&page->uploads[i].key) < 0)
			return bad_encoding("Key", err, errlen);
	/* NextKeyMarker is a key: encoded like the keys (the upload id is not) */
	if (up.url_encoded && page->next_key_marker &&
	    url_decode_in_place(&page->next_key_marker) < 0)
		return bad_encoding("NextKeyMarker", err, errlen);
	return 0;
}

int s3_xml_parse_list(const char *xml, size_t len, struct s3_xml_list_page *page, char *err,
                      size_t errlen)
{
	size_t first = page->count, escaped_len = 0;
	if (parse_list(xml, len, false, page, err, errlen) == 0)
		return 0;
	char *escaped = raw_controls_escape(xml, len, &escaped_len);
	if (!escaped)
		return -1;
	/* drop what the first reading appended, then read the copy */
	for (size_t i = first; i < page->count; i++)
		free(page->objects[i].key);
	page->count = first;
	int rc = parse_list(escaped, escaped_len, true, page, err, errlen);
	free(escaped);
	return rc;
}

int s3_xml_parse_uploads(const char *xml, size_t len, struct s3_xml_uploads_page *page, char *err,
                         size_t errlen)
{
	size_t first = page->count, escaped_len = 0;
	if (parse_uploads(xml, len, false, page, err, errlen) == 0)
		return 0;
	char *escaped = raw_controls_escape(xml, len, &escaped_len);
	if (!escaped)
		return -1;
	for (size_t i = first; i < page->count; i++)
		upload_clear(&page->uploads[i]);
	page->count = first;
	int rc = parse_uploads(escaped, escaped_len, true, page, err, errlen);
	free(escaped);
	return rc;
}
