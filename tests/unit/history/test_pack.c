/* Unit tests for history/pack: varints and figures round-trip, damage is
 * detected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "history/pack.h"

static void test_figures_round_trip(void **state)
{
	(void)state;
	const double values[] = {
	    0, 1, -1, 42, 123456789012.0, 0.05, -3.25, 1e300, 9007199254740993.0};
	struct strbuf b;
	strbuf_init(&b, 0);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		pack_figure(&b, i * 37, values[i]);
	struct pack_reader r = {(const unsigned char *)b.data, b.len, 0};
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		uint64_t label;
		double value;
		assert_int_equal(pack_read_figure(&r, &label, &value), 0);
		assert_int_equal(label, i * 37);
		assert_true(value == values[i]);
	}
	assert_true(pack_done(&r));
	strbuf_free(&b);
}

static void test_whole_numbers_are_small(void **state)
{
	(void)state;
	struct strbuf b;
	strbuf_init(&b, 0);
	pack_figure(&b, 5, 12);
	assert_int_equal(b.len, 2); /* label and value, one byte each */
	strbuf_reset(&b);
	pack_figure(&b, 5, 0.5);
	assert_int_equal(b.len, 9);
	strbuf_free(&b);
}

static void test_damage_is_detected(void **state)
{
	(void)state;
	struct strbuf b;
	strbuf_init(&b, 0);
	pack_figure(&b, 3, 0.25);
	uint64_t label;
	double value;
	/* cut inside the double */
	struct pack_reader r = {(const unsigned char *)b.data, b.len - 1, 0};
	assert_int_equal(pack_read_figure(&r, &label, &value), -1);
	/* a varint that never ends */
	const unsigned char endless[12] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                   0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	struct pack_reader e = {endless, sizeof(endless), 0};
	uint64_t v;
	assert_int_equal(pack_read_varint(&e, &v), -1);
	strbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_figures_round_trip),
	    cmocka_unit_test(test_whole_numbers_are_small),
	    cmocka_unit_test(test_damage_is_detected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
