/* test_restore_files.c - what a files restore accepts as KEY and which
 * manifests it refuses before writing anything. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "job/restore_files.h"
#include "repo/manifest.h"

#define KEY "2026-12-04T10-00-00-000Z_1a2b3c4d"
#define SUM "59869db34853933b239f1e2219cf7d431da006aa919635478511fabbfc8849d2"

static void test_key_forms(void **state)
{
	(void)state;
	char key[512], err[256];
	assert_int_equal(restore_files_key(KEY, key, sizeof(key), err, sizeof(err)), 0);
	assert_string_equal(key, KEY);
	assert_int_equal(restore_files_key(KEY "/", key, sizeof(key), err, sizeof(err)), 0);
	assert_string_equal(key, KEY);
	assert_int_equal(restore_files_key(KEY ".files.json", key, sizeof(key), err, sizeof(err)),
	                 0);
	assert_string_equal(key, KEY);
	assert_int_equal(restore_files_key("daily/" KEY, key, sizeof(key), err, sizeof(err)), 0);
	assert_string_equal(key, "daily/" KEY);
	assert_int_equal(restore_files_key("", key, sizeof(key), err, sizeof(err)), -1);
	assert_int_equal(restore_files_key("/", key, sizeof(key), err, sizeof(err)), -1);
	assert_int_equal(restore_files_key("../" KEY, key, sizeof(key), err, sizeof(err)), -1);
	assert_int_equal(restore_files_key("/abs", key, sizeof(key), err, sizeof(err)), -1);
	assert_int_equal(restore_files_key(".files.json", key, sizeof(key), err, sizeof(err)), -1);
}

/* A manifest of one file, good unless a test changes it. */
static struct manifest_file file;
static struct manifest m;

static int setup(void **state)
{
	(void)state;
	memset(&m, 0, sizeof(m));
	memset(&file, 0, sizeof(file));
	strcpy(m.kind, "files");
	strcpy(m.key, KEY);
	file.path = (char *)"a/b.txt";
	file.key = (char *)KEY "/a/b.txt.gz";
	strcpy(file.sha256, SUM);
	m.files = &file;
	m.file_count = 1;
	return 0;
}

static void refused(const char *why)
{
	char err[512] = "";
	assert_int_equal(restore_files_check_manifest(&m, KEY, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("'%s' does not say '%s'", err, why);
}

static void test_good_manifest(void **state)
{
	(void)state;
	char err[256] = "";
	assert_int_equal(restore_files_check_manifest(&m, KEY, err, sizeof(err)), 0);
	m.file_count = 0; /* an empty backup restores nothing, and is no error */
	assert_int_equal(restore_files_check_manifest(&m, KEY, err, sizeof(err)), 0);
}

static void test_hostile_paths(void **state)
{
	(void)state;
	const char *bad[] = {"../x", "/etc/x", "a/../../x", "", "a//b", "./a", "a/.."};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		file.path = (char *)bad[i];
		refused("not below the directory");
	}
	file.path = NULL;
	refused("not below the directory");
}

static void test_objects_outside_the_backup(void **state)
{
	(void)state;
	const char *bad[] = {"other/a.gz", KEY "x/a.gz", KEY, KEY "/../other/a.gz",
	                     "/" KEY "/a.gz"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		file.key = (char *)bad[i];
		refused("outside " KEY "/");
	}
}

static void test_kind_key_failures_checksum(void **state)
{
	(void)state;
	strcpy(m.kind, "db");
	refused("is a db backup, not a files backup");
	strcpy(m.kind, "files");
	strcpy(m.key, "2020-01-01T00-00-00-000Z_00000000");
	refused("describes another backup");
	strcpy(m.key, KEY);
	m.failures = 2;
	refused("an incomplete backup");
	m.failures = 0;
	file.sha256[0] = '\0';
	refused("no SHA-256 for 'a/b.txt'");
	strcpy(file.sha256, SUM);
	file.sha256[3] = 'G';
	refused("no SHA-256");
	strcpy(file.sha256, SUM);
	m.files_dropped = 1;
	refused("1 malformed file entries");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_forms),
	    cmocka_unit_test_setup(test_good_manifest, setup),
	    cmocka_unit_test_setup(test_hostile_paths, setup),
	    cmocka_unit_test_setup(test_objects_outside_the_backup, setup),
	    cmocka_unit_test_setup(test_kind_key_failures_checksum, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
