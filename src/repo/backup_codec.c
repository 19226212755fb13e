/* backup_codec.c - the codec a backup was written with (see
 * backup_codec.h). */
#include "repo/backup_codec.h"

#include "util/sanitize.h"
#include "util/text.h"

const struct codec_ops *codec_for_manifest(const struct manifest *m, char *err, size_t errlen)
{
	const char *name = m->compression[0] ? m->compression : "gzip";
	const struct codec_ops *ops = codec_find(name);
	if (!ops) {
		char shown[64]; /* the manifest is read from the target: no controls */
		sanitize_text(shown, sizeof(shown), name);
		text_printf(err, errlen, "the manifest names an unknown compression '%s'", shown);
	}
	return ops;
}
