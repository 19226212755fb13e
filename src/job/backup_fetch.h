/* backup_fetch.h - one stored object read back and checked against its
 * manifest: the one path by which verify and restore download, so a
 * tampered, truncated or corrupt object reads the same everywhere;
 * internal to job/.
 *
 * The object streams from the sink through SHA-256 and the decoder of its
 * codec to out (may be NULL: only counted). Checked, in this order, each
 * failure one line naming key: the stored size ("KEY: N bytes stored, the
 * manifest says M"), the SHA-256 ("KEY: SHA-256 X does not match the
 * manifest's Y"), the codec ("KEY: the gzip stream is corrupt" or
 * "... truncated"), the decompressed size. A corrupt stream is reported
 * after the size and the hash (a changed byte is a SHA-256 mismatch), so
 * decoding stops at the first bad byte but the download goes on. out
 * receives bytes before the checks end: write them somewhere temporary.
 */
#ifndef OPSDECK_JOB_BACKUP_FETCH_H
#define OPSDECK_JOB_BACKUP_FETCH_H

#include <stddef.h>
#include <stdint.h>

#include "codec/codec.h"
#include "job/backup.h"

struct sink;

struct backup_fetch {
	const char *codec;  /* "gzip" */
	const char *sha256; /* of the stored object, from the manifest */
	uint64_t stored;    /* its size as stored */
	uint64_t plain;     /* decompressed */
	codec_out_fn *out;  /* may be NULL */
	void *ctx;
	const struct backup_hooks *hooks; /* may be NULL: progress, cancel */
	/* Reported as progress every BACKUP_PROGRESS_EVERY_MS with this
	 * object's downloaded (bytes_in) and decompressed (bytes_out) bytes
	 * added to it; may be NULL (no progress). */
	const struct backup_progress *progress;
};

/* 0 when key matches, or -1 with why ("cancelled" after a cancel). */
int backup_fetch_object(struct sink *sink, const char *key, const struct backup_fetch *f, char *err,
                        size_t errlen);

#endif
