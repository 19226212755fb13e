# Unit tests: cmocka, one program per module, in tests/unit/<dir>/ as the
# module is in src/<dir>/. They link against libopsdeck.a (LDADD) and find
# their fixtures in $(FIXTURES) (AM_CPPFLAGS). fixture.c and pg_rows.c are
# helpers some of them share.
LDADD = libopsdeck.a $(DEPS_LIBS) $(CMOCKA_LIBS)
unit_fixture = tests/unit/fixture.c tests/unit/fixture.h
unit_pg_rows = tests/unit/pg_rows.c tests/unit/pg_rows.h
UNIT_TESTS =
