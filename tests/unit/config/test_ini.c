/* test_ini.c - the strict INI reader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config/ini.h"

static void parse_ok(const char *text, struct ini_file *f, struct ini_file_sections *s)
{
	char err[512] = "";
	if (ini_parse("t.conf", text, f, s, err, sizeof(err)) != 0)
		fail_msg("ini_parse failed: %s", err);
}

static void check_error(const char *text, const char *expect)
{
	struct ini_file f;
	struct ini_file_sections s;
	char err[512] = "";
	assert_int_equal(ini_parse("t.conf", text, &f, &s, err, sizeof(err)), -1);
	assert_string_equal(err, expect);
	/* Nothing is left allocated and freeing again is harmless. */
	assert_int_equal(f.count, 0);
	assert_null(f.entries);
	assert_int_equal(s.count, 0);
	ini_file_free(&f, &s);
}

static void check_entry(const struct ini_entry *e, const char *section, const char *key,
                        const char *value, int line)
{
	assert_string_equal(e->section, section);
	assert_string_equal(e->key, key);
	assert_string_equal(e->value, value);
	assert_int_equal(e->line, line);
}

static void test_sections_keys_and_lines(void **state)
{
	(void)state;
	struct ini_file f;
	struct ini_file_sections s;
	parse_ok("[app]\n"
	         "name = shop\n"
	         "\n"
	         "timeout=3s\n"
	         "[database]\n"
	         "  url   =   postgres://h/db   \n",
	         &f, &s);
	assert_int_equal(f.count, 3);
	check_entry(&f.entries[0], "app", "name", "shop", 2);
	check_entry(&f.entries[1], "app", "timeout", "3s", 4);
	check_entry(&f.entries[2], "database", "url", "postgres://h/db", 6);
	assert_int_equal(s.count, 2);
	assert_string_equal(s.items[0].name, "app");
	assert_int_equal(s.items[0].line, 1);
	assert_string_equal(s.items[1].name, "database");
	assert_int_equal(s.items[1].line, 5);
	ini_file_free(&f, &s);
}

static void test_comments(void **state)
{
	(void)state;
	struct ini_file f;
	parse_ok("; a comment\n"
	         "# another\n"
	         "   ; indented\n"
	         "[app] ; after a section\n"
	         "a = value ; trailing\n"
	         "b = value # trailing\n"
	         "c = pass#word;x\n"
	         "d = ; only a comment\n"
	         "e =\n"
	         "f=#fff\n",
	         &f, NULL);
	assert_int_equal(f.count, 6);
	check_entry(&f.entries[0], "app", "a", "value", 5);
	check_entry(&f.entries[1], "app", "b", "value", 6);
	check_entry(&f.entries[2], "app", "c", "pass#word;x", 7);
	check_entry(&f.entries[3], "app", "d", "", 8);
	check_entry(&f.entries[4], "app", "e", "", 9);
	check_entry(&f.entries[5], "app", "f", "#fff", 10);
	assert_false(f.entries[0].quoted);
	ini_file_free(&f, NULL);
}

static void test_quoted_values(void **state)
{
	(void)state;
	struct ini_file f;
	parse_ok("[x]\n"
	         "a = \"keep ; and # here\"\n"
	         "b = \"say \\\"hi\\\" \\\\ done\"  ; comment\n"
	         "c = \"C:\\dir\"\n"
	         "d = \"  spaced  \"\n"
	         "e = \"\"\n",
	         &f, NULL);
	assert_int_equal(f.count, 5);
	check_entry(&f.entries[0], "x", "a", "keep ; and # here", 2);
	check_entry(&f.entries[1], "x", "b", "say \"hi\" \\ done", 3);
	check_entry(&f.entries[2], "x", "c", "C:\\dir", 4);
	check_entry(&f.entries[3], "x", "d", "  spaced  ", 5);
	check_entry(&f.entries[4], "x", "e", "", 6);
	for (size_t i = 0; i < f.count; i++)
		assert_true(f.entries[i].quoted);
	ini_file_free(&f, NULL);
}

static void test_crlf_and_bom(void **state)
{
	(void)state;
	struct ini_file f;
	parse_ok("\xEF\xBB\xBF[app]\r\nname = shop\r\n\r\n[ui]\r\ntheme = \"dark\"\r\n", &f, NULL);
	assert_int_equal(f.count, 2);
	check_entry(&f.entries[0], "app", "name", "shop", 2);
	check_entry(&f.entries[1], "ui", "theme", "dark", 5);
	ini_file_free(&f, NULL);
	/* A last line without a newline. */
	parse_ok("[a]\nk = v", &f, NULL);
	check_entry(&f.entries[0], "a", "k", "v", 2);
	ini_file_free(&f, NULL);
}

static void test_keys_before_any_section(void **state)
{
	(void)state;
	struct ini_file f;
	parse_ok("k = v\n[s]\n", &f, NULL);
	check_entry(&f.entries[0], "", "k", "v", 1);
	ini_file_free(&f, NULL);
}

static void test_empty_sections_are_reported(void **state)
{
	(void)state;
	struct ini_file f;
	struct ini_file_sections s;
	parse_ok("[empty]\n[ spaced ]\n[app]\nk=v\n[app]\n", &f, &s);
	assert_int_equal(s.count, 4);
	assert_string_equal(s.items[0].name, "empty");
	assert_string_equal(s.items[1].name, "spaced");
	assert_int_equal(s.items[1].line, 2);
	assert_int_equal(s.items[3].line, 5);
	assert_int_equal(f.count, 1);
	ini_file_free(&f, &s);
}

static void test_names(void **state)
{
	(void)state;
	struct ini_file f;
	parse_ok("[a.b-c_1]\nkey.sub-x_2 = 1\n", &f, NULL);
	check_entry(&f.entries[0], "a.b-c_1", "key.sub-x_2", "1", 2);
	ini_file_free(&f, NULL);
}

static void test_errors(void **state)
{
	(void)state;
	check_error("[app]\nname = \"shop\n", "t.conf:2: unterminated quote in the value of 'name' "
	                                      "(close it with \")");
	check_error("[app]\nname = \"sh\\\"\n",
	            "t.conf:2: unterminated quote in the value of 'name' (close it with \")");
	check_error("[app]\nname = \"shop\" extra\n",
	            "t.conf:2: unexpected text after the closing quote of 'name'");
	check_error("\n[app\n", "t.conf:2: malformed section header (expected [name])");
	check_error("[]\n",
	            "t.conf:1: invalid section name [] (use letters, digits, '_', '.', '-')");
	check_error("[a b]\n",
	            "t.conf:1: invalid section name [a b] (use letters, digits, '_', '.', '-')");
	check_error("[app] junk\n", "t.conf:1: unexpected text after [app]");
	/* A bad name is quoted without its controls or invalid bytes: C1 as
	 * UTF-8 and raw, DEL, the RTL override; and never cut in a character. */
	check_error("[app\xc2\x9b\x9b\xff\x7f]\n", "t.conf:1: invalid section name [app????] (use "
	                                           "letters, digits, '_', '.', '-')");
	check_error("[\xe2\x80\xaex]\n",
	            "t.conf:1: invalid section name [?x] (use letters, digits, '_', '.', '-')");
	check_error("[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\xc3\xa9]\n",
	            "t.conf:1: invalid section name [aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa] (use "
	            "letters, digits, '_', '.', '-')");
	check_error("[app]\njust words\n", "t.conf:2: expected 'key = value' or '[section]'");
	check_error("[app]\n= value\n", "t.conf:2: missing key name before '='");
	check_error("[app]\nmy key = value\n",
	            "t.conf:2: invalid key name before '=' (use letters, digits, '_', '.', '-')");
	check_error("[app]\nname = a\001b\n",
	            "t.conf:2: control character (byte 0x01) in the line");
	check_error("[app]\nname = a\rb\n", "t.conf:2: control character (byte 0x0d) in the line");
}

static void test_stray_password_is_not_quoted_back(void **state)
{
	(void)state;
	struct ini_file f;
	char err[512];
	assert_int_equal(ini_parse("t.conf", "[database]\npostgres://app:Hunter2Pw@db/shop\n", &f,
	                           NULL, err, sizeof(err)),
	                 -1);
	assert_null(strstr(err, "Hunter2Pw"));
	assert_int_equal(
	    ini_parse("t.conf", "[database]\napp:Hunter2Pw@db = x\n", &f, NULL, err, sizeof(err)),
	    -1);
	assert_null(strstr(err, "Hunter2Pw"));
}

static void test_line_length_cap(void **state)
{
	(void)state;
	size_t n = 65536;
	char *text = malloc(n + 64);
	strcpy(text, "[app]\nname = ");
	size_t used = strlen(text);
	/* Exactly at the cap is fine. */
	memset(text + used, 'x', n - strlen("name = "));
	text[used + n - strlen("name = ")] = '\0';
	struct ini_file f;
	parse_ok(text, &f, NULL);
	assert_int_equal(strlen(f.entries[0].value), n - strlen("name = "));
	ini_file_free(&f, NULL);
	/* One byte more is not. */
	strcat(text, "x\n");
	check_error(text, "t.conf:2: line is longer than 65536 bytes");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sections_keys_and_lines),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_quoted_values),
	    cmocka_unit_test(test_crlf_and_bom),
	    cmocka_unit_test(test_keys_before_any_section),
	    cmocka_unit_test(test_empty_sections_are_reported),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_stray_password_is_not_quoted_back),
	    cmocka_unit_test(test_line_length_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
