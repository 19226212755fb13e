/* sink_tool.c - streams BYTES of incompressible data through the backup
 * sink (repo/sink.h) to [backup] target, as a dump's compressed output
 * would go, and prints the peak RSS, for bench/sink_rss. Not installed;
 * built by `make tests/sink_tool`.
 *
 *   tests/sink_tool CONFIG KEY BYTES [EXPECTED]
 *
 * EXPECTED is what the caller tells the sink to expect
 * (sink_set_expected_size; default 0, unknown). The object is removed
 * afterwards. Prints "bytes=N seconds=S max_rss_kib=K"; exits 1 with why.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "config/config.h"
#include "repo/sink.h"
#include "util/clock.h"

#define CHUNK (256 * 1024)

/* xorshift64: bytes no compressor and no deduplication shrinks. */
static void fill(uint64_t *state, unsigned char *buf, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t x = *state;
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		*state = x;
		memcpy(buf + i, &x, 8);
	}
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: sink_tool CONFIG KEY BYTES [EXPECTED]\n");
		return 2;
	}
	char err[512];
	struct config cfg;
	config_defaults(&cfg);
	if (config_load_file(&cfg, argv[1], err, sizeof(err)) < 0) {
		fprintf(stderr, "sink_tool: %s\n", err);
		return 1;
	}
	uint64_t total = strtoull(argv[3], NULL, 10);
	uint64_t expected = argc == 5 ? strtoull(argv[4], NULL, 10) : 0;
	struct sink *sink = sink_open(cfg.backup.target, &cfg, err, sizeof(err));
	if (!sink) {
		fprintf(stderr, "sink_tool: %s\n", err);
		return 1;
	}
	int rc = 1;
	static unsigned char buf[CHUNK];
	uint64_t state = 0x9e3779b97f4a7c15u;
	int64_t t0 = clock_monotonic_ms();
	char note[256];
	struct sink_writer *w = NULL;
	if (sink_prepare(sink, note, sizeof(note), err, sizeof(err)) != 0)
		goto done;
	sink_set_expected_size(sink, expected);
	if (!(w = sink->ops->open(sink, argv[2], err, sizeof(err))))
		goto done;
	for (uint64_t sent = 0; sent < total;) {
		size_t n = total - sent < CHUNK ? (size_t)(total - sent) : CHUNK;
		fill(&state, buf, n);
		if (sink->ops->write(w, buf, n, err, sizeof(err)) != 0) {
			sink->ops->abort(w);
			goto done;
		}
		sent += n;
	}
	if (sink->ops->finish(w, err, sizeof(err)) != 0)
		goto done;
	double seconds = (double)(clock_monotonic_ms() - t0) / 1000.0;
	if (sink->ops->remove(sink, argv[2], err, sizeof(err)) != 0)
		fprintf(stderr, "sink_tool: removing %s: %s\n", argv[2], err);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("bytes=%" PRIu64 " seconds=%.1f max_rss_kib=%ld\n", total, seconds, ru.ru_maxrss);
	rc = 0;
done:
	if (rc != 0)
		fprintf(stderr, "sink_tool: %s\n", err);
	sink_free(sink);
	config_free(&cfg);
	return rc;
}
