/* test_manifest.c - manifests round-trip through JSON, bad ones are refused,
 * and SHA-256 matches the published test vector. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "repo/backup_codec.h"
#include "repo/manifest.h"

#define SHA "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#include "util/sanitize.h"

static void test_sha256_vectors(void **state)
{
	(void)state;
	char hex[SHA256_HEX_SIZE];
	struct sha256 *h = sha256_new();
	sha256_update(h, "abc", 3);
	sha256_finish_hex(h, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	h = sha256_new();
	sha256_finish_hex(h, hex);
	assert_string_equal(hex,
	                    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* in pieces */
	h = sha256_new();
	sha256_update(h, "a", 1);
	sha256_update(h, "bc", 2);
	sha256_finish_hex(h, hex);
	assert_string_equal(hex,
	                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256_free(NULL);
}

static void test_db_round_trip(void **state)
{
	(void)state;
	struct manifest m;
	memset(&m, 0, sizeof(m));
	strcpy(m.kind, "db");
	strcpy(m.key, "shop_2026-11-27T10-25-02-123Z.sql.gz");
	strcpy(m.database, "shop");
	strcpy(m.format, "plain");
	strcpy(m.created, "2026-11-27T10:25:02.123Z");
	m.duration_ms = 1234;
	m.bytes_in = 5000000000ull; /* past 32 bits */
	m.bytes_out = 700000000ull;
	strcpy(m.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	m.compression_level = 6;
	m.compression_threads = 4;
	strcpy(m.pg_dump_version, "pg_dump (PostgreSQL) 15.8");
	strcpy(m.server_version, "15.8");
	strcpy(m.opsdeck_version, "0.1.0");
	char *text = manifest_to_json(&m);
	struct manifest back;
	char err[256];
	assert_int_equal(manifest_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_string_equal(back.kind, "db");
	assert_string_equal(back.key, m.key);
	assert_string_equal(back.database, "shop");
	assert_string_equal(back.sha256, m.sha256);
	assert_int_equal(back.bytes_in, m.bytes_in);
	assert_int_equal(back.bytes_out, m.bytes_out);
	assert_int_equal(back.duration_ms, 1234);
	assert_int_equal(back.compression_level, 6);
	assert_string_equal(back.compression, "gzip"); /* not set: gzip */
	assert_string_equal(back.server_version, "15.8");
	assert_string_equal(back.pg_dump_version, "pg_dump (PostgreSQL) 15.8");
	assert_false(back.tables_recorded); /* none written: an older manifest */
	assert_int_equal(back.table_count, 0);
	manifest_free_files(&back);
	free(text);
	strcpy(m.compression, "zstd");
	text = manifest_to_json(&m);
	assert_non_null(strstr(text, "\"algorithm\": \"zstd\""));
	assert_int_equal(manifest_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_string_equal(back.compression, "zstd");
	assert_int_equal(back.compression_level, 6);
	assert_int_equal(back.compression_threads, 4);
	manifest_free_files(&back);
	free(text);
}

/* Which codec reads a backup back: the manifest's, gzip when it names none
 * (written before zstd), and none for a name this opsdeck does not know. */
static void test_codec_for_manifest(void **state)
{
	(void)state;
	static const char *const texts[] = {
	    /* no "compression" at all */
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"a.sql.gz\", "
	    "\"bytes_in\": 1, \"bytes_out\": 1, \"sha256\": \"" SHA "\"}",
	    /* the object without "algorithm" */
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"a.sql.gz\", "
	    "\"bytes_in\": 1, \"bytes_out\": 1, \"sha256\": \"" SHA "\", "
	    "\"compression\": {\"level\": 6}}",
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"a.sql.zst\", "
	    "\"bytes_in\": 1, \"bytes_out\": 1, \"sha256\": \"" SHA "\", "
	    "\"compression\": {\"algorithm\": \"zstd\", \"level\": 3}}",
	    /* a bare name */
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"a.sql.zst\", "
	    "\"bytes_in\": 1, \"bytes_out\": 1, \"sha256\": \"" SHA "\", "
	    "\"compression\": \"zstd\"}",
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"a.sql.lz\", "
	    "\"bytes_in\": 1, \"bytes_out\": 1, \"sha256\": \"" SHA "\", "
	    "\"compression\": {\"algorithm\": \"lz4\\u001b\"}}",
	};
	static const char *const want[] = {"gzip", "gzip", "zstd", "zstd", NULL};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct manifest m;
		char err[256] = "";
		assert_int_equal(manifest_parse(texts[i], strlen(texts[i]), &m, err, sizeof(err)),
		                 0);
		const struct codec_ops *ops = codec_for_manifest(&m, err, sizeof(err));
		if (want[i]) {
			assert_non_null(ops);
			assert_string_equal(ops->name, want[i]);
		} else {
			assert_null(ops);
			/* the name as read, without its control character */
			assert_null(strchr(err, '\x1b'));
			assert_non_null(strstr(err, "unknown compression 'lz4"));
		}
		manifest_free_files(&m);
	}
}

/* The rows of each table round-trip, an empty table included; a table
 * count that is not a number is refused. */
static void test_db_tables(void **state)
{
	(void)state;
	struct manifest m;
	memset(&m, 0, sizeof(m));
	strcpy(m.kind, "db");
	strcpy(m.key, "shop_2026-11-27T10-25-02-123Z.sql.gz");
	strcpy(m.format, "plain");
	strcpy(m.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	struct manifest_table tables[] = {{.name = "public.\"User\"", .rows = 12},
	                                  {.name = "public.empty", .rows = 0},
	                                  {.name = "public.big", .rows = 5000000000ull}};
	m.tables_recorded = true;
	m.tables = tables;
	m.table_count = 3;
	char *text = manifest_to_json(&m);
	assert_non_null(strstr(text, "\"public.\\\"User\\\"\": 12"));
	struct manifest back;
	char err[256];
	assert_int_equal(manifest_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_true(back.tables_recorded);
	assert_int_equal(back.table_count, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(back.tables[i].name, tables[i].name);
		assert_int_equal(back.tables[i].rows, tables[i].rows);
	}
	manifest_free_files(&back);
	assert_null(back.tables);
	free(text);

	/* an empty object: recorded, no tables (a database without data) */
	m.table_count = 0;
	text = manifest_to_json(&m);
	assert_int_equal(manifest_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_true(back.tables_recorded);
	assert_int_equal(back.table_count, 0);
	manifest_free_files(&back);
	free(text);

	const char *bad = "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"k\", "
	                  "\"bytes_in\": 1, \"bytes_out\": 1, \"sha256\": "
	                  "\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\", "
	                  "\"tables\": {\"public.t\": \"12\"}}";
	assert_int_equal(manifest_parse(bad, strlen(bad), &back, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "row count"));
	assert_null(back.tables);
}

/* A files manifest of run "T" listing files. */
static void files_manifest(struct manifest *m, struct manifest_file *files, size_t count)
{
	memset(m, 0, sizeof(*m));
	strcpy(m->kind, "files");
	strcpy(m->key, "T");
	m->files = files;
	m->file_count = count;
}

static void test_files_round_trip(void **state)
{
	(void)state;
	struct manifest_file files[2] = {
	    {.path = "a b/ü+%.txt", .key = "T/a b/ü+%.txt.gz", .size = 10, .stored = 30},
	    {.path = "x", .key = "T/x.gz", .size = 0, .stored = 20},
	};
	strcpy(files[0].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	strcpy(files[1].sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	struct manifest m;
	files_manifest(&m, files, 2);
	m.failures = 1;
	char *text = manifest_to_json(&m);
	struct manifest back;
	char err[256];
	assert_int_equal(manifest_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_int_equal(back.file_count, 2);
	assert_int_equal(back.failures, 1);
	assert_string_equal(back.files[0].path, "a b/ü+%.txt");
	assert_string_equal(back.files[0].key, "T/a b/ü+%.txt.gz");
	assert_int_equal(back.files[0].stored, 30);
	manifest_free_files(&back);
	free(text);
}

/* Whether all of text is valid UTF-8, as JSON text must be. */
static int valid_utf8(const char *text)
{
	size_t len = strlen(text);
	uint32_t cp;
	for (size_t i = 0, n; i < len; i += n)
		if ((n = sanitize_decode(text + i, len - i, &cp)) == 0)
			return 0;
	return 1;
}

/* Names are bytes: one with 0xff (not UTF-8), one with control characters
 * and one with a '%' next to 0xfe make a manifest of valid UTF-8 that gives
 * back the exact bytes. */
static void test_files_names_not_utf8(void **state)
{
	(void)state;
	struct manifest_file files[3] = {
	    {.path = "bad\xff name", .key = "T/bad\xff name.gz"},
	    {.path = "ctl\x01\x1b[31m\ttab", .key = "T/ctl\x01\x1b[31m\ttab.gz"},
	    {.path = "d/%41\xfe\xc3", .key = "T/d/%41\xfe\xc3.gz"},
	};
	struct manifest m;
	files_manifest(&m, files, 3);
	char *text = manifest_to_json(&m);
	assert_non_null(text);
	assert_true(valid_utf8(text));
	/* for people: the invalid byte shown as U+FFFD; the bytes exactly */
	assert_non_null(strstr(text, "\"path\": \"bad\xef\xbf\xbd name\""));
	assert_non_null(strstr(text, "\"path_bytes\": \"bad%FF%20name\""));
	assert_non_null(strstr(text, "\"key_bytes\": \"T/d/%2541%FE%C3.gz\""));
	/* valid UTF-8 with controls: escaped by JSON, no _bytes needed */
	assert_non_null(strstr(text, "\"path\": \"ctl\\u0001\\u001b[31m\\ttab\""));
	assert_null(strstr(text, "\"path_bytes\": \"ctl"));
	struct manifest back;
	char err[256];
	assert_int_equal(manifest_parse(text, strlen(text), &back, err, sizeof(err)), 0);
	assert_int_equal(back.file_count, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(back.files[i].path, files[i].path);
		assert_string_equal(back.files[i].key, files[i].key);
	}
	manifest_free_files(&back);
	free(text);
}

static void test_bad_manifests_refused(void **state)
{
	(void)state;
	struct manifest m;
	char err[256];
	static const char *bad[] = {
	    "",
	    "[]",
	    "{\"manifest_version\": 2, \"kind\": \"db\"}",
	    "{\"manifest_version\": 1, \"kind\": \"other\", \"key\": \"k\", \"bytes_in\": 1, "
	    "\"bytes_out\": 1}",
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"k\", \"bytes_in\": 1, "
	    "\"bytes_out\": 1, \"sha256\": \"XYZ\"}",
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": \"k\", \"bytes_in\": 1}",
	    "{\"manifest_version\": 1, \"kind\": \"db\", \"key\": ",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(manifest_parse(bad[i], strlen(bad[i]), &m, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sha256_vectors),
	    cmocka_unit_test(test_db_round_trip),
	    cmocka_unit_test(test_codec_for_manifest),
	    cmocka_unit_test(test_db_tables),
	    cmocka_unit_test(test_files_round_trip),
	    cmocka_unit_test(test_files_names_not_utf8),
	    cmocka_unit_test(test_bad_manifests_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
