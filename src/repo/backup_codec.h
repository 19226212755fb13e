/* backup_codec.h - which codec reads a backup back: the one its manifest
 * names ("compression": {"algorithm": ...}), gzip for a manifest written
 * before zstd existed. For verify, restore and drill.
 */
#ifndef OPSDECK_REPO_BACKUP_CODEC_H
#define OPSDECK_REPO_BACKUP_CODEC_H

#include <stddef.h>

#include "codec/codec.h"
#include "repo/manifest.h"

/* The codec of m's objects, or NULL with why ("the manifest names an
 * unknown compression 'lz4'"): a manifest from a newer opsdeck. */
const struct codec_ops *codec_for_manifest(const struct manifest *m, char *err, size_t errlen);

#endif
