# test_sigv4's expected values come from tests/unit/s3/sigv4_vectors.py (botocore).
UNIT_TESTS += tests/unit/s3/test_sigv4 tests/unit/s3/test_s3_xml tests/unit/s3/test_s3_url \
	tests/unit/s3/test_s3_client tests/unit/s3/test_s3_failure tests/unit/s3/test_s3_part_size
EXTRA_DIST += tests/unit/s3/sigv4_vectors.py
tests_unit_s3_test_s3_failure_SOURCES = tests/unit/s3/test_s3_failure.c $(unit_fixture)
