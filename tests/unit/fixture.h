/* fixture.h - read the unit tests' fixture files (tests/fixtures). */
#ifndef OPSDECK_TESTS_FIXTURE_H
#define OPSDECK_TESTS_FIXTURE_H

#include <stddef.h>

/* Reads FIXTURES/relpath whole and NUL-terminated; the caller frees it.
 * A missing or empty fixture fails the test. *len may be NULL. */
char *fixture_read(const char *relpath, size_t *len);

#endif
