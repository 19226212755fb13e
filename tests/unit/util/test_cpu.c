/* Unit tests for util/cpu.c: physical cores counted from /proc/cpuinfo text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/cpu.h"

/* Two sockets of two cores with two threads each: 4 physical cores. */
static void counts_cores_not_threads(void **state)
{
	(void)state;
	const char *text = "processor\t: 0\nphysical id\t: 0\ncore id\t\t: 0\n\n"
	                   "processor\t: 1\nphysical id\t: 0\ncore id\t\t: 1\n\n"
	                   "processor\t: 2\nphysical id\t: 0\ncore id\t\t: 0\n\n"
	                   "processor\t: 3\nphysical id\t: 0\ncore id\t\t: 1\n\n"
	                   "processor\t: 4\nphysical id\t: 1\ncore id\t\t: 0\n\n"
	                   "processor\t: 5\nphysical id\t: 1\ncore id\t\t: 1\n\n"
	                   "processor\t: 6\nphysical id\t: 1\ncore id\t\t: 0\n\n"
	                   "processor\t: 7\nphysical id\t: 1\ncore id\t\t: 1\n";
	assert_int_equal(cpu_count_physical(text), 4);
}

static void no_core_fields_counts_nothing(void **state)
{
	(void)state;
	assert_int_equal(cpu_count_physical("processor\t: 0\nmodel name\t: x\n"), 0);
	assert_int_equal(cpu_count_physical(""), 0);
	assert_true(cpu_physical_cores() >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(counts_cores_not_threads),
	    cmocka_unit_test(no_core_fields_counts_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
