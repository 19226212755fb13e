/* fuzz_version_json.c - feeds arbitrary bytes to version_json_parse() as
 * the body of GET /api/version or the content of version.json (not
 * NUL-terminated).
 *
 * Beyond not crashing or reading past the body: an error has a reason that
 * is sanitised text (it quotes the app) and leaves the status untouched; a success gives a
 * non-empty version, and every field is terminated, sanitised text (valid UTF-8, no controls). */
#include "fuzz.h"

#include "model/snapshot.h"
#include "probe/version_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_bytes(data, size);
	struct version_status v, before;
	memset(&v, 0x5a, sizeof(v));
	memcpy(v.version, "untouched", 10);
	memcpy(v.build_number, "untouched", 10);
	memcpy(v.commit_hash, "untouched", 10);
	memcpy(v.build_date, "untouched", 10);
	before = v;
	char err[256] = "";
	if (version_json_parse(text, size, &v, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0] != '\0' && fuzz_text_is_clean(err));
		FUZZ_CHECK(memcmp(&v, &before, sizeof(v)) == 0);
		free(text);
		return 0;
	}
	FUZZ_CHECK(FUZZ_TERMINATED(v.version) && v.version[0] != '\0');
	FUZZ_CHECK(FUZZ_TERMINATED(v.build_number) && FUZZ_TERMINATED(v.commit_hash));
	FUZZ_CHECK(FUZZ_TERMINATED(v.build_date));
	FUZZ_CHECK(fuzz_text_is_clean(v.version) && fuzz_text_is_clean(v.build_number));
	FUZZ_CHECK(fuzz_text_is_clean(v.commit_hash) && fuzz_text_is_clean(v.build_date));
	free(text);
	return 0;
}
