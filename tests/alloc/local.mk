# Allocation failures: opsdeck built again with tests/alloc/alloc_fail.h
# included first in every file, so that the Nth allocation of its own code
# can be made to fail (OPSDECK_ALLOC_FAIL=N, as curl's CURL_MEMLIMIT);
# backup_torture.sh fails each allocation of the backup path in turn. Only
# `make check` builds it; the installed program has no such hook.
check_PROGRAMS += tests/alloc/opsdeck-alloc-fail
tests_alloc_opsdeck_alloc_fail_SOURCES = src/main.c $(libopsdeck_a_SOURCES) \
	tests/alloc/alloc_fail.c tests/alloc/alloc_fail.h
tests_alloc_opsdeck_alloc_fail_CPPFLAGS = $(AM_CPPFLAGS) -include $(top_srcdir)/tests/alloc/alloc_fail.h
tests_alloc_opsdeck_alloc_fail_LDADD = $(DEPS_LIBS)
ALLOC_TESTS = tests/alloc/backup_torture.sh
TESTS += $(ALLOC_TESTS)
EXTRA_DIST += $(ALLOC_TESTS)
