/* test_version_json.c - version_json_parse on the seed's version.json, on
 * what a broken or hostile app might send instead (tests/fixtures/version),
 * and on oversized input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../fixture.h"
#include "model/snapshot.h"
#include "probe/version_json.h"

/* Reads FIXTURES/version/NAME; the caller frees it. */
static char *read_fixture(const char *name, size_t *len)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "version/%s", name);
	return fixture_read(rel, len);
}

/* Parses a fixture into a version_status pre-filled with "unknown". */
static int parse_fixture(const char *name, struct version_status *v, char *err, size_t errlen)
{
	size_t len;
	char *text = read_fixture(name, &len);
	memset(v, 0, sizeof(*v));
	strcpy(v->version, "unknown");
	err[0] = '\0';
	int rc = version_json_parse(text, len, v, err, errlen);
	free(text);
	return rc;
}

static void test_good(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("good.json", &v, err, sizeof(err)), 0);
	assert_string_equal(v.version, "1.4.2");
	assert_string_equal(v.build_number, "87");
	assert_string_equal(v.commit_hash, "a1b2c3d");
	assert_string_equal(v.build_date, "2026-11-27T09:29:25.123Z");
	assert_string_equal(err, "");
}

static void test_build_number_is_a_number(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("build_number_number.json", &v, err, sizeof(err)), 0);
	assert_string_equal(v.version, "2.0.0");
	assert_string_equal(v.build_number, "1234");
	assert_string_equal(v.commit_hash, "0badf00");
}

/* Only version is required; the others are left empty. */
static void test_version_only(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("version_only.json", &v, err, sizeof(err)), 0);
	assert_string_equal(v.version, "0.9.0");
	assert_string_equal(v.build_number, "");
	assert_string_equal(v.commit_hash, "");
	assert_string_equal(v.build_date, "");
}

static void test_no_version(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("no_version.json", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "no \"version\" field");
	assert_string_equal(v.version, "unknown"); /* untouched on error */
	assert_string_equal(v.commit_hash, "");
}

static void test_version_not_string(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("version_not_string.json", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "\"version\" is not a string");
}

/* The seed's /api/version answers {"error": ...} with a 500. */
static void test_app_error(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("error.json", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "the app reported an error: Failed to read version info");

	const char *odd = "{\"error\": {\"code\": 7}}";
	assert_int_equal(version_json_parse(odd, strlen(odd), &v, err, sizeof(err)), -1);
	assert_string_equal(err, "the app reported an error: {\"code\":7}");

	const char *evil = "{\"error\": \"disk \\u001b[31mfull\\r\\nX\"}";
	assert_int_equal(version_json_parse(evil, strlen(evil), &v, err, sizeof(err)), -1);
	assert_string_equal(err, "the app reported an error: disk ?[31mfull  X");
}

static void test_garbage(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("html.txt", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not a JSON object");

	const char *cases[] = {"[1, 2]",
	                       "\"1.0\"",
	                       "42",
	                       "null",
	                       "{version: 1}",
	                       "{\"version\": 'x'}",
	                       "{\"version\": \"1\",}"};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		assert_int_equal(
		    version_json_parse(cases[i], strlen(cases[i]), &v, err, sizeof(err)), -1);
		assert_true(strlen(err) > 0);
	}
	assert_int_equal(version_json_parse("", 0, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "empty");
	assert_int_equal(version_json_parse(" \r\n\t ", 5, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "empty");
	assert_int_equal(version_json_parse(NULL, 0, &v, err, sizeof(err)), -1);
	assert_string_equal(v.version, "unknown");
}

static void test_truncated(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("truncated.json", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not JSON: truncated");

	/* A complete text cut short by the length given. */
	const char *good = "{\"version\": \"1.0.0\"}";
	assert_int_equal(version_json_parse(good, strlen(good) - 1, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not JSON: truncated");
	assert_int_equal(version_json_parse(good, strlen(good), &v, err, sizeof(err)), 0);
}

/* A second object (or anything but blanks) after the first is refused, so
 * a concatenated or corrupted file is not half-believed. */
static void test_trailing_junk(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("trailing.json", &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not JSON: unexpected character at offset 42");
	assert_string_equal(v.version, "unknown");

	const char *blanks = "  {\"version\": \"1.0.0\"}\r\n\t \n";
	assert_int_equal(version_json_parse(blanks, strlen(blanks), &v, err, sizeof(err)), 0);
	assert_string_equal(v.version, "1.0.0");

	const char *junk = "{\"version\": \"1.0.0\"} x";
	assert_int_equal(version_json_parse(junk, strlen(junk), &v, err, sizeof(err)), -1);

	/* a NUL inside the given length is not the end of the text */
	const char nul[] = "{\"version\": \"1.0.0\"}\0junk";
	assert_int_equal(version_json_parse(nul, sizeof(nul) - 1, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not JSON: NUL byte at offset 20");
}

/* Terminal escapes, C1 controls, newlines and NULs in values are made
 * harmless before they can reach a screen. */
static void test_control_characters(void **state)
{
	(void)state;
	struct version_status v;
	char err[256];
	assert_int_equal(parse_fixture("control.json", &v, err, sizeof(err)), 0);
	assert_string_equal(v.version, "1.0.0?]0;pwned??[2J");
	assert_string_equal(v.build_number, "1 2");
	assert_string_equal(v.commit_hash, "?31m");
	assert_string_equal(v.build_date, "ok?tail");
	for (const char *p = v.version; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
}

/* Strings far longer than the fields are cut, terminated, and never split
 * a UTF-8 character. */
static void test_huge_strings(void **state)
{
	(void)state;
	size_t n = 1u << 20;
	char *text = malloc(n + 64);
	assert_non_null(text);
	size_t len = (size_t)sprintf(text, "{\"version\": \"");
	for (size_t i = 0; i < n; i += 2) {
		memcpy(text + len, "\xc3\xa9", 2); /* é */
		len += 2;
	}
	len += (size_t)sprintf(text + len, "\", \"commitHash\": \"abc\"}");

	struct version_status v;
	char err[256];
	memset(&v, 0, sizeof(v));
	assert_int_equal(version_json_parse(text, len, &v, err, sizeof(err)), 0);
	/* 63 bytes available: 31 whole "é", the 32nd does not fit */
	assert_int_equal(strlen(v.version), 62);
	assert_memory_equal(v.version, "\xc3\xa9\xc3\xa9", 4);
	assert_string_equal(v.commit_hash, "abc");
	free(text);

	/* a small err buffer is never overrun */
	char small[8];
	assert_int_equal(version_json_parse("[]", 2, &v, small, sizeof(small)), -1);
	assert_string_equal(small, "not a J");
}

/* Deep nesting is refused by json-c's depth limit, not by a crash. */
static void test_deep_nesting(void **state)
{
	(void)state;
	size_t depth = 100000;
	char *text = malloc(depth * 2 + 2);
	assert_non_null(text);
	text[0] = '{';
	size_t len = 1;
	const char *key = "\"a\":";
	for (size_t i = 0; i < depth && len + 8 < depth * 2; i++) {
		memcpy(text + len, key, 4);
		len += 4;
		text[len++] = '{';
	}
	struct version_status v;
	char err[256];
	memset(&v, 0, sizeof(v));
	assert_int_equal(version_json_parse(text, len, &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not JSON"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_build_number_is_a_number),
	    cmocka_unit_test(test_version_only),
	    cmocka_unit_test(test_no_version),
	    cmocka_unit_test(test_version_not_string),
	    cmocka_unit_test(test_app_error),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_trailing_junk),
	    cmocka_unit_test(test_control_characters),
	    cmocka_unit_test(test_huge_strings),
	    cmocka_unit_test(test_deep_nesting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
