/* alloc_fail.h - allocation-failure injection for the torture build.
 *
 * Never part of the installed program. `make check` builds a second program,
 * tests/alloc/opsdeck-alloc-fail, from the same sources with this header
 * included first in every file (-include, as curl's memdebug.h), so that each
 * malloc, calloc, realloc, strdup, strndup and asprintf written in opsdeck's
 * own code (xalloc.c included) goes through a counter. Allocations made
 * inside libraries (libc, libpq, libcurl, json-c, zlib, OpenSSL) are not
 * counted and never fail.
 *
 * Environment of the torture program:
 *   OPSDECK_ALLOC_FAIL=N    the Nth allocation (counted from 1, over all
 *                           threads) returns NULL with errno ENOMEM; the
 *                           others succeed. "N+" fails the Nth and every
 *                           later one, as a real exhaustion would. Unset or
 *                           0: nothing fails (a counting run).
 *   OPSDECK_ALLOC_LOG=FILE  appends "fail N FILE:LINE" when an allocation is
 *                           failed, and "total N" at a normal exit (not
 *                           xalloc's quick_exit); in a counting run,
 *                           "alloc N FILE:LINE" for every allocation.
 */
#ifndef OPSDECK_TESTS_ALLOC_FAIL_H
#define OPSDECK_TESTS_ALLOC_FAIL_H

/* The system's declarations first: the macros below must not rename them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *alloc_fail_malloc(size_t size, const char *file, int line);
void *alloc_fail_calloc(size_t count, size_t size, const char *file, int line);
void *alloc_fail_realloc(void *ptr, size_t size, const char *file, int line);
char *alloc_fail_strdup(const char *s, const char *file, int line);
char *alloc_fail_strndup(const char *s, size_t n, const char *file, int line);
int alloc_fail_asprintf(const char *file, int line, char **out, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define malloc(size)        alloc_fail_malloc(size, __FILE__, __LINE__)
#define calloc(count, size) alloc_fail_calloc(count, size, __FILE__, __LINE__)
#define realloc(ptr, size)  alloc_fail_realloc(ptr, size, __FILE__, __LINE__)
#define strdup(s)           alloc_fail_strdup(s, __FILE__, __LINE__)
#define strndup(s, n)       alloc_fail_strndup(s, n, __FILE__, __LINE__)
#define asprintf(out, ...)  alloc_fail_asprintf(__FILE__, __LINE__, out, __VA_ARGS__)

#endif
