# make install DESTDIR=..., checked (tests/package/install_layout.sh); the
# Debian package is built and installed by scripts/test (tests/package/deb.sh).
PACKAGE_TESTS = tests/package/install_layout.sh tests/package/bash_completion.sh \
	tests/package/audit_logrotate.sh
TESTS += $(PACKAGE_TESTS)
EXTRA_DIST += $(PACKAGE_TESTS) tests/package/deb.sh
