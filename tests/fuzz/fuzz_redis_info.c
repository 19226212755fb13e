/* fuzz_redis_info.c - feeds arbitrary bytes to redis_info_parse() as the
 * reply of INFO (not NUL-terminated, as hiredis hands it over).
 *
 * Beyond not crashing or reading past the reply: the count of fields
 * recognised is at most the number of lines; version and role are
 * terminated, sanitised text (valid UTF-8, no controls); every counter is
 * non-negative, the fragmentation ratio a finite non-negative number, and
 * the hit rate -1 or within 0..1. */
#include "fuzz.h"

#include <math.h>

#include "model/snapshot.h"
#include "probe/redis_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_bytes(data, size);
	struct redis_status r;
	memset(&r, 0, sizeof(r));
	r.hit_rate = -1;
	int recognised = redis_info_parse(text, size, &r);
	int lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += text[i] == '\n';
	FUZZ_CHECK(recognised >= 0 && recognised <= lines);
	FUZZ_CHECK(FUZZ_TERMINATED(r.version) && fuzz_text_is_clean(r.version));
	FUZZ_CHECK(FUZZ_TERMINATED(r.role) && fuzz_text_is_clean(r.role));
	FUZZ_CHECK(r.used_memory >= 0 && r.maxmemory >= 0 && r.connected_clients >= 0);
	FUZZ_CHECK(r.evicted_keys >= 0 && r.keyspace_hits >= 0 && r.keyspace_misses >= 0);
	FUZZ_CHECK(r.uptime_s >= 0);
	FUZZ_CHECK(isfinite(r.fragmentation_ratio) && r.fragmentation_ratio >= 0);
	FUZZ_CHECK(r.hit_rate == -1 || (r.hit_rate >= 0 && r.hit_rate <= 1));
	free(text);
	return 0;
}
