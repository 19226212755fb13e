/* backup_verify.c - the verify verb: a backup downloaded and checked
 * against its manifest (see backup.h). */
#include "job/backup.h"

#include <stdlib.h>
#include <string.h>

#include "codec/codec.h"
#include "model/redact.h"
#include "job/backup_common.h"
#include "repo/backup_codec.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/clock.h"
#include "util/text.h"

struct verify_run {
	struct sha256 *hash;
	struct codec *gz;
	bool gz_failed; /* the stream is corrupt: no more decoding */
	char gz_err[128];
	uint64_t stored;
	uint64_t plain;
	const struct backup_hooks *hooks;
	int64_t t0;
	int64_t last;
	uint64_t total;
};

static int verify_plain(void *ctx, const void *data, size_t len, char *err, size_t errlen)
{
	(void)data;
	(void)err;
	(void)errlen;
	struct verify_run *v = ctx;
	v->plain += len;
	return 0;
}

static int verify_data(void *ctx, const void *data, size_t len)
{
	struct verify_run *v = ctx;
	sha256_update(v->hash, data, len);
	v->stored += len;
	/* a corrupt stream is reported after the size and the hash: keep reading */
	if (!v->gz_failed && codec_feed(v->gz, data, len, v->gz_err, sizeof(v->gz_err)) != 0)
		v->gz_failed = true;
	int64_t now = clock_monotonic_ms();
	if (v->hooks && now - v->last >= BACKUP_PROGRESS_EVERY_MS) {
		v->last = now;
		/* the download is what takes the time: the estimate follows it */
		struct backup_progress p = {.phase = "verifying",
		                            .bytes_in = v->stored,
		                            .bytes_out = v->plain,
		                            .total = v->total,
		                            .elapsed_ms = now - v->t0};
		backup_hooks_progress(v->hooks, &p);
	}
	if (backup_hooks_cancelled(v->hooks))
		return -1;
	return 0;
}

/* Downloads one object and checks it; 0 or -1 with why. */
static int verify_object(struct sink *sink, const struct codec_ops *codec, const char *key,
                         const char *sha256, uint64_t stored, uint64_t plain,
                         const struct backup_hooks *hooks, char *err, size_t errlen)
{
	struct verify_run v;
	memset(&v, 0, sizeof(v));
	v.hash = sha256_new();
	v.hooks = hooks;
	v.t0 = clock_monotonic_ms();
	v.total = stored;
	int rc = -1;
	v.gz = codec_new(codec->name, CODEC_DECODE, -1, verify_plain, &v, err, errlen);
	if (!v.gz)
		goto done;
	if (sink->ops->get(sink, key, verify_data, &v, err, errlen) != 0) {
		if (backup_hooks_cancelled(hooks))
			text_printf(err, errlen, "cancelled");
		goto done;
	}
	char hex[SHA256_HEX_SIZE];
	sha256_finish_hex(v.hash, hex);
	v.hash = NULL;
	if (v.stored != stored) {
		text_printf(err, errlen, "%s: %llu bytes stored, the manifest says %llu", key,
		            (unsigned long long)v.stored, (unsigned long long)stored);
		goto done;
	}
	if (strcmp(hex, sha256) != 0) {
		text_printf(err, errlen, "%s: SHA-256 %s does not match the manifest's %s", key,
		            hex, sha256);
		goto done;
	}
	if (v.gz_failed || codec_finish(v.gz, v.gz_err, sizeof(v.gz_err)) != 0) {
		text_printf(err, errlen, "%s: %s", key, v.gz_err);
		goto done;
	}
	if (v.plain != plain) {
		text_printf(err, errlen, "%s: decompresses to %llu bytes, the manifest says %llu",
		            key, (unsigned long long)v.plain, (unsigned long long)plain);
		goto done;
	}
	rc = 0;
done:
	codec_free(v.gz);
	sha256_free(v.hash);
	return rc;
}

int backup_verify(const struct config *cfg, const char *target, const char *key,
                  const struct backup_hooks *hooks, char *message, size_t msglen)
{
	char err[1024] = "";
	char mkey[1200];
	int rc = -1;
	struct sink_text text = {0};
	struct manifest m;
	memset(&m, 0, sizeof(m));
	struct sink *sink = sink_open(backup_target_of(cfg, target), cfg, err, sizeof(err));
	if (!sink)
		goto done;
	if (hooks && hooks->cancel)
		sink_set_cancel(sink, hooks->cancel);
	/* the manifest's key from any of: object, directory, manifest */
	if (text_ends_with(key, ".json"))
		text_printf(mkey, sizeof(mkey), "%s", key);
	else if (backup_db_key(key))
		text_printf(mkey, sizeof(mkey), "%s.json", key);
	else
		text_printf(mkey, sizeof(mkey), "%s.files.json", key);
	if (sink_get_text(sink, mkey, &text, err, sizeof(err)) != 0) {
		char why[1024];
		if (text.refused)
			text_printf(why, sizeof(why), "cannot read the manifest %s: %s", mkey,
			            text.refused);
		else
			text_printf(why, sizeof(why), "no manifest %s (an incomplete backup?): %s",
			            mkey, err);
		text_printf(err, sizeof(err), "%s", why);
		goto done;
	}
	if (manifest_parse(text.data ? text.data : "", text.len, &m, err, sizeof(err)) != 0)
		goto done;
	const struct codec_ops *codec = codec_for_manifest(&m, err, sizeof(err));
	if (!codec)
		goto done;
	if (strcmp(m.kind, "db") == 0) {
		if (verify_object(sink, codec, m.key, m.sha256, m.bytes_out, m.bytes_in, hooks, err,
		                  sizeof(err)) != 0)
			goto done;
		text_printf(
		    message, msglen,
		    "%s: OK (SHA-256 %.12s... matches, %llu bytes stored, decompresses to %llu "
		    "bytes)",
		    m.key, m.sha256, (unsigned long long)m.bytes_out,
		    (unsigned long long)m.bytes_in);
	} else {
		for (size_t i = 0; i < m.file_count; i++)
			if (verify_object(sink, codec, m.files[i].key, m.files[i].sha256,
			                  m.files[i].stored, m.files[i].size, hooks, err,
			                  sizeof(err)) != 0)
				goto done;
		text_printf(message, msglen, "%s: OK (%zu %s, SHA-256 and gzip checked)%s", m.key,
		            m.file_count, text_plural((int64_t)m.file_count, "file", "files"),
		            m.failures ? "; note: this backup recorded failed files" : "");
	}
	rc = 0;
done:
	if (rc != 0)
		text_printf(message, msglen, "verify failed: %s", err);
	redact_text(message, msglen);
	manifest_free_files(&m);
	free(text.data);
	sink_free(sink);
	return rc;
}
