/* backup_verify.c - the verify verb: a backup downloaded and checked
 * against its manifest (see backup.h). */
#include "job/backup.h"

#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "job/backup_common.h"
#include "job/backup_fetch.h"
#include "repo/manifest.h"
#include "repo/sink.h"
#include "util/text.h"

/* Downloads one object and checks it; 0 or -1 with why. */
static int verify_object(struct sink *sink, const char *key, const char *sha256, uint64_t stored,
                         uint64_t plain, const struct backup_hooks *hooks, char *err, size_t errlen)
{
	/* the download is what takes the time: the estimate follows it */
	struct backup_progress p = {.phase = "verifying", .total = stored};
	struct backup_fetch f = {.codec = "gzip",
	                         .sha256 = sha256,
	                         .stored = stored,
	                         .plain = plain,
	                         .hooks = hooks,
	                         .progress = hooks ? &p : NULL};
	return backup_fetch_object(sink, key, &f, err, errlen);
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
	else if (text_ends_with(key, ".sql.gz") || text_ends_with(key, ".dump.gz"))
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
	if (strcmp(m.kind, "db") == 0) {
		if (verify_object(sink, m.key, m.sha256, m.bytes_out, m.bytes_in, hooks, err,
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
			if (verify_object(sink, m.files[i].key, m.files[i].sha256,
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
