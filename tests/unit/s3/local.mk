# test_sigv4's expected values come from tests/unit/s3/sigv4_vectors.py (botocore).
UNIT_TESTS += tests/unit/s3/test_sigv4 tests/unit/s3/test_s3_xml tests/unit/s3/test_s3_url \
	tests/unit/s3/test_s3_client
EXTRA_DIST += tests/unit/s3/sigv4_vectors.py
