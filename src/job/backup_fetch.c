/* backup_fetch.c - one stored object read back and checked against its
 * manifest (see backup_fetch.h). */
#include "job/backup_fetch.h"

#include <stdbool.h>
#include <string.h>

#include "job/backup_common.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/text.h"

struct fetch_run {
	const struct backup_fetch *f;
	struct sha256 *hash;
	struct codec *dec;
	bool dec_failed; /* corrupt or refused by out: no more decoding */
	char dec_err[256];
	uint64_t stored;
	uint64_t plain;
	int64_t t0;
	int64_t last;
};

static int fetch_plain(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	struct fetch_run *r = ctx;
	r->plain += len;
	return r->f->out ? r->f->out(r->f->ctx, data, len, err, errlen) : 0;
}

static void fetch_progress(struct fetch_run *r)
{
	int64_t now = clock_monotonic_ms();
	if (!r->f->progress || now - r->last < BACKUP_PROGRESS_EVERY_MS)
		return;
	r->last = now;
	struct backup_progress p = *r->f->progress;
	p.bytes_in += r->stored;
	p.bytes_out += r->plain;
	if (!p.elapsed_ms)
		p.elapsed_ms = now - r->t0;
	backup_hooks_progress(r->f->hooks, &p);
}

static int fetch_data(void *ctx, const void *data, size_t len)
{
	struct fetch_run *r = ctx;
	sha256_update(r->hash, data, len);
	r->stored += len;
	if (!r->dec_failed && codec_feed(r->dec, data, len, r->dec_err, sizeof(r->dec_err)) != 0)
		r->dec_failed = true;
	fetch_progress(r);
	return backup_hooks_cancelled(r->f->hooks) ? -1 : 0;
}

int backup_fetch_object(struct sink *sink, const char *key, const struct backup_fetch *f, char *err,
                        size_t errlen)
{
	struct fetch_run r;
	memset(&r, 0, sizeof(r));
	r.f = f;
	r.t0 = clock_monotonic_ms();
	r.hash = sha256_new();
	int rc = -1;
	r.dec = codec_new(f->codec, CODEC_DECODE, -1, fetch_plain, &r, err, errlen);
	if (!r.dec)
		goto done;
	if (sink->ops->get(sink, key, fetch_data, &r, err, errlen) != 0) {
		if (backup_hooks_cancelled(f->hooks))
			text_printf(err, errlen, "cancelled");
		goto done;
	}
	char hex[SHA256_HEX_SIZE];
	sha256_finish_hex(r.hash, hex);
	r.hash = NULL;
	if (r.stored != f->stored) {
		text_printf(err, errlen, "%s: %llu bytes stored, the manifest says %llu", key,
		            (unsigned long long)r.stored, (unsigned long long)f->stored);
		goto done;
	}
	if (strcmp(hex, f->sha256) != 0) {
		text_printf(err, errlen, "%s: SHA-256 %s does not match the manifest's %s", key,
		            hex, f->sha256);
		goto done;
	}
	if (r.dec_failed || codec_finish(r.dec, r.dec_err, sizeof(r.dec_err)) != 0) {
		text_printf(err, errlen, "%s: %s", key, r.dec_err);
		goto done;
	}
	if (r.plain != f->plain) {
		text_printf(err, errlen, "%s: decompresses to %llu bytes, the manifest says %llu",
		            key, (unsigned long long)r.plain, (unsigned long long)f->plain);
		goto done;
	}
	rc = 0;
done:
	codec_free(r.dec);
	sha256_free(r.hash);
	return rc;
}
