/* version_json.c - parse the seed's version.json (see version_json.h) with
 * json-c. Pure. The text comes from the app or from a file anyone may have
 * edited, so it is checked strictly (one JSON object, nothing after it) and
 * every string is sanitised before it is stored. */
#include "probe/version_json.h"

#include <inttypes.h>
#include <limits.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "util/sanitize.h"

/* Copies a JSON string's bytes, sanitised. A string may hold "\u0000" and
 * json-c keeps it; sanitize_bytes would end the text there, so a NUL is
 * shown as '?' like any other control. Only the head that can fit in dst
 * (plus room for one multi-byte character) is looked at. */
static void copy_string(char *dst, size_t size, struct json_object *s)
{
	char head[SNAPSHOT_TEXT + 8];
	const char *src = json_object_get_string(s);
	size_t len = (size_t)json_object_get_string_len(s);
	if (len > size + 4)
		len = size + 4;
	if (len > sizeof(head))
		len = sizeof(head);
	for (size_t i = 0; i < len; i++)
		head[i] = src[i] == '\0' ? '\x7f' : src[i];
	sanitize_bytes(dst, size, head, len);
}

/* An optional string member: "" when absent or not a string, since a missing
 * commit hash should not hide the version that was read. */
static void copy_member(char *dst, size_t size, struct json_object *obj, const char *key)
{
	struct json_object *v;
	dst[0] = '\0';
	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string))
		copy_string(dst, size, v);
}

/* The offset of the first non-blank byte at or after pos (len when none);
 * bounded by len, as the text need not be NUL-terminated. */
static size_t skip_blanks(const char *text, size_t pos, size_t len)
{
	while (pos < len && strchr(" \t\r\n", text[pos]) && text[pos] != '\0')
		pos++;
	return pos;
}

/* Turns an {"error": ...} reply (the seed's 500 answer) into the reason. */
static void describe_app_error(struct json_object *error, char *err, size_t errlen)
{
	char text[192];
	if (json_object_is_type(error, json_type_string))
		copy_string(text, sizeof(text), error);
	else
		sanitize_text(text, sizeof(text),
		              json_object_to_json_string_ext(error, JSON_C_TO_STRING_PLAIN));
	snprintf(err, errlen, "the app reported an error: %s", text);
}

int version_json_parse(const char *text, size_t len, struct version_status *out, char *err,
                       size_t errlen)
{
	int rc = -1;
	struct json_tokener *tok = NULL;
	struct json_object *root = NULL;
	struct json_object *v;
	struct version_status parsed = *out;

	if (!text || len == 0) {
		snprintf(err, errlen, "empty");
		goto done;
	}
	/* json-c would stop at a NUL as if the text ended there. */
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		snprintf(err, errlen, "not JSON: NUL byte at offset %zu", (size_t)(nul - text));
		goto done;
	}
	size_t start = skip_blanks(text, 0, len);
	if (start == len) {
		snprintf(err, errlen, "empty");
		goto done;
	}
	if (text[start] != '{') {
		snprintf(err, errlen, "not a JSON object");
		goto done;
	}

	tok = json_tokener_new();
	if (!tok) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* json-c takes an int length; version.json is capped far below that
	 * by the callers, but a direct caller might not be. */
	if (len > (size_t)INT_MAX) {
		snprintf(err, errlen, "too large");
		goto done;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_continue) {
		snprintf(err, errlen, "not JSON: truncated");
		goto done;
	}
	if (jerr != json_tokener_success || !root) {
		snprintf(err, errlen, "not JSON: %s at offset %zu", json_tokener_error_desc(jerr),
		         json_tokener_get_parse_end(tok));
		goto done;
	}
	size_t trailing = skip_blanks(text, json_tokener_get_parse_end(tok), len);
	if (trailing < len) {
		snprintf(err, errlen, "not JSON: unexpected text after the object at offset %zu",
		         trailing);
		goto done;
	}

	if (!json_object_object_get_ex(root, "version", &v)) {
		struct json_object *error;
		if (json_object_object_get_ex(root, "error", &error))
			describe_app_error(error, err, errlen);
		else
			snprintf(err, errlen, "no \"version\" field");
		goto done;
	}
	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errlen, "\"version\" is not a string");
		goto done;
	}
	if (json_object_get_string_len(v) == 0) {
		snprintf(err, errlen, "\"version\" is empty");
		goto done;
	}
	copy_string(parsed.version, sizeof(parsed.version), v);
	copy_member(parsed.commit_hash, sizeof(parsed.commit_hash), root, "commitHash");
	copy_member(parsed.build_date, sizeof(parsed.build_date), root, "buildDate");
	/* The seed writes BUILD_NUMBER as a string, but a CI system that fills
	 * the file itself may well write a number. */
	parsed.build_number[0] = '\0';
	if (json_object_object_get_ex(root, "buildNumber", &v)) {
		if (json_object_is_type(v, json_type_string))
			copy_string(parsed.build_number, sizeof(parsed.build_number), v);
		else if (json_object_is_type(v, json_type_int))
			snprintf(parsed.build_number, sizeof(parsed.build_number), "%" PRId64,
			         json_object_get_int64(v));
	}

	*out = parsed;
	rc = 0;
done:
	json_object_put(root);
	if (tok)
		json_tokener_free(tok);
	return rc;
}
