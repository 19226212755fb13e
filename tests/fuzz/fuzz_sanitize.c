/* fuzz_sanitize.c - feeds arbitrary bytes to sanitize_bytes() and
 * sanitize_text(), into buffers of several sizes and in place.
 *
 * Beyond not crashing: the output is always terminated within the buffer,
 * valid UTF-8 with no C0 control, DEL or C1 control; it is never longer than
 * the input and never longer than the buffer allows; text that is already
 * clean and fits comes out unchanged; sanitising twice changes nothing; and
 * sanitising in place gives what sanitising into another buffer gives. */
#include "fuzz.h"

#include "util/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t sizes[] = {1, 2, 3, 4, 5, 7, 16, 64, 256, 4096};
	char *text = fuzz_string(data, size);
	size_t text_len = strlen(text);
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		size_t cap = sizes[k];
		char *out = malloc(cap);
		FUZZ_CHECK(out != NULL);
		sanitize_bytes(out, cap, (const char *)data, size);
		size_t len = strnlen(out, cap);
		FUZZ_CHECK(len < cap);
		FUZZ_CHECK(len <= text_len);
		FUZZ_CHECK(fuzz_text_is_clean(out));

		char *twice = malloc(cap);
		FUZZ_CHECK(twice != NULL);
		sanitize_text(twice, cap, out);
		FUZZ_CHECK(strcmp(twice, out) == 0);

		/* The same through sanitize_text, and in place. */
		sanitize_text(twice, cap, text);
		FUZZ_CHECK(strcmp(twice, out) == 0);
		char *inplace = malloc(text_len + 1 > cap ? text_len + 1 : cap);
		FUZZ_CHECK(inplace != NULL);
		memcpy(inplace, text, text_len + 1);
		sanitize_text(inplace, cap, inplace);
		FUZZ_CHECK(strcmp(inplace, out) == 0);

		if (fuzz_text_is_clean(text) && text_len < cap)
			FUZZ_CHECK(strcmp(out, text) == 0);
		free(inplace);
		free(twice);
		free(out);
	}
	free(text);
	return 0;
}
