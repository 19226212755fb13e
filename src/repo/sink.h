/* sink.h - where backups go: a storage driver behind a table of functions,
 * so the local directory (file://) and S3 are interchangeable (as
 * pgBackRest's StorageInterface).
 *
 * A sink is opened on a target URL (s3://bucket/prefix, file:///dir). Keys
 * are relative to the target's prefix ("shop_2026-...sql.gz",
 * "2026-.../uploads/a.png.gz"); the driver adds the prefix.
 *
 * Writing an object: open(key) -> writer; write() any number of times;
 * finish() returns 0 only once the target has confirmed the whole object
 * (file: written, fsynced and renamed from NAME.partial, never over an
 * existing file; S3: single PUT answered 200, or CompleteMultipartUpload
 * accepted). A file writer never touches a NAME.partial it did not create:
 * two writers of one key fail rather than mix their bytes. S3 has no such
 * guard (the last writer wins), so callers pick names nobody uses: see
 * taken(). abort() throws away
 * whatever was written (partial file removed, multipart upload aborted) and
 * frees the writer; finish() frees it too, whatever its result — after a
 * failed finish nothing of the object is left. Several writers may be open
 * at once, each used from one thread at a time.
 *
 * Errors are one line in err, never holding a secret.
 */
#ifndef OPSDECK_REPO_SINK_H
#define OPSDECK_REPO_SINK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

struct sink;
struct sink_writer;

/* What a failed cleanup left at the target (see sink_leftover). */
struct sink_leftover {
	char key[512];  /* the first one, relative to the prefix, as unfinished lists it */
	char text[768]; /* "the unfinished upload s3://bucket/KEY (upload id U) could not
	                 * be removed: why", sanitised, never a credential */
	size_t count;   /* how many writes were left */
};

struct sink_entry {
	char *key; /* relative to the prefix */
	uint64_t size;
	int64_t modified_ms; /* wall clock */
	char *upload_id;     /* unfinished S3 uploads only, else NULL */
};

struct sink_ops {
	const char *scheme; /* "file", "s3" */
	struct sink_writer *(*open)(struct sink *s, const char *key, char *err, size_t errlen);
	int (*write)(struct sink_writer *w, const void *data, size_t len, char *err, size_t errlen);
	int (*finish)(struct sink_writer *w, char *err, size_t errlen);
	void (*abort)(struct sink_writer *w);
	/* Every object under the prefix (recursively), any order. */
	int (*list)(struct sink *s, struct sink_entry **entries, size_t *count, char *err,
	            size_t errlen);
	/* May be NULL: writes begun and neither finished nor aborted under the
	 * prefix, any order: S3 multipart uploads (upload_id set, modified_ms
	 * when the upload began, size 0), file NAME.partial files (key NAME,
	 * modified_ms the last write). A kill or a crash leaves them behind. */
	int (*unfinished)(struct sink *s, struct sink_entry **entries, size_t *count, char *err,
	                  size_t errlen);
	/* Streams one object to on_data (non-zero from it stops: an error). */
	int (*get)(struct sink *s, const char *key,
	           int (*on_data)(void *ctx, const void *data, size_t len), void *ctx, char *err,
	           size_t errlen);
	int (*remove)(struct sink *s, const char *key, char *err, size_t errlen);
	/* Whether name is in use: an object is named name or starts with it
	 * (name.json, name/..., a name.partial being written). 0 with *taken
	 * set, -1 with why. */
	int (*taken)(struct sink *s, const char *name, bool *taken, char *err, size_t errlen);
	/* May be NULL: makes the target ready for writing (file: creates a
	 * missing directory 0700, with its parents). note gets one line saying
	 * what was done, or "" when nothing was needed. 0, or -1 with why. */
	int (*prepare)(struct sink *s, char *note, size_t notelen, char *err, size_t errlen);
	void (*free)(struct sink *s);
	/* May be NULL: see sink_set_cancel. */
	void (*set_cancel)(struct sink *s, const atomic_int *flag);
	/* May be NULL: see sink_set_log. */
	void (*set_log)(struct sink *s, void (*log)(void *ctx, const char *line), void *ctx);
	/* May be NULL: see sink_set_abandon. */
	void (*set_abandon)(struct sink *s, const atomic_int *flag);
	/* May be NULL: every request ends by deadline_ms (CLOCK_MONOTONIC). */
	void (*set_deadline)(struct sink *s, int64_t deadline_ms);
	/* May be NULL: see sink_set_expected_size. */
	void (*set_expected_size)(struct sink *s, uint64_t bytes);
	/* May be NULL: see sink_leftover. */
	bool (*leftover)(struct sink *s, struct sink_leftover *out);
};

struct sink {
	const struct sink_ops *ops;
	char *url;     /* the target as given (no secrets in it) */
	char *display; /* what to show people: the URL */
};

/* Opens the sink for `url` (file:///dir or s3://bucket/prefix), with the S3
 * endpoint, region and credentials from cfg (config_lookup for AWS_*).
 * NULL with a reason on an unknown scheme, a file:// path that exists and
 * is not a directory, missing credentials. A missing directory is no error
 * here: sink_prepare creates it, reading from it fails. */
struct sink *sink_open(const char *url, const struct config *cfg, char *err, size_t errlen);
/* The same for a quick look (a listing for the diagnosis): each request is
 * tried twice at most, and all of them together end within [app] timeout
 * of the opening, so a hung server costs no more than the timeout. */
struct sink *sink_open_quick(const char *url, const struct config *cfg, char *err, size_t errlen);
void sink_free(struct sink *s);

/* A flag that, once non-zero, makes transfers in flight stop early with an
 * error (S3: requests and backoff waits end "cancelled"), so a SIGTERM or the
 * dashboard's cancel takes effect at once; abort still cleans up (it runs
 * its own requests without the flag, 10 s at most once the flag is set).
 * Borrowed; it must outlive the sink.
 * Set it before writers are opened. */
void sink_set_cancel(struct sink *s, const atomic_int *flag);

/* A second flag, for a second signal: once non-zero, the cleanup stops
 * too (S3: the abort of a multipart upload ends at once). What is left
 * behind is then named by sink_leftover. Borrowed; set it before writers
 * are opened. */
void sink_set_abandon(struct sink *s, const atomic_int *flag);

/* What a failed cleanup left at the target, for the result, the audit log
 * and the diagnosis: an S3 upload that could not be aborted, a file://
 * NAME.partial that could not be removed; the first one and how many. false,
 * and out zeroed, when nothing was left. From any thread. */
bool sink_leftover(struct sink *s, struct sink_leftover *out);

/* Where retries are reported (S3: "UploadPart 3 of k: HTTP 503 ...; retry 2
 * of 5 in 340 ms"), one redacted line each, from any thread: log must be
 * thread-safe. Set it before writers are opened. */
void sink_set_log(struct sink *s, void (*log)(void *ctx, const char *line), void *ctx);

/* How large the next objects written are expected to be (a database dump:
 * pg_database_size; 0 when unknown), so a driver that buffers parts (S3)
 * picks their size once for the whole stream and its memory stays flat
 * (s3/s3.h s3_part_size). Applies to writers opened after it. */
void sink_set_expected_size(struct sink *s, uint64_t bytes);

/* Before the first write: sink_ops.prepare, when the driver has one. */
int sink_prepare(struct sink *s, char *note, size_t notelen, char *err, size_t errlen);

/* One small object in one go (manifests): open, write, finish. */
int sink_put(struct sink *s, const char *key, const void *data, size_t len, char *err,
             size_t errlen);

void sink_entries_free(struct sink_entry *entries, size_t count);

/* A small object read whole (a manifest): at most SINK_TEXT_MAX bytes,
 * NUL-terminated (data is NULL when the object is empty). */
#define SINK_TEXT_MAX (64 * 1024 * 1024)
struct sink_text {
	char *data; /* owned: free() it, on success and on failure */
	size_t len;
	const char *refused; /* why the read stopped on this side ("larger than
	                      * 64 MiB", "out of memory"), or NULL */
};

/* Reads key whole into text (zeroed by the caller). 0, or -1 with why in
 * err (and text->refused set when the limit or memory stopped it). */
int sink_get_text(struct sink *s, const char *key, struct sink_text *text, char *err,
                  size_t errlen);

/* The drivers (sink_file.c, sink_s3.c). The path / bucket and prefix are
 * already split out of the URL. */
struct sink *sink_file_new(const char *url, const char *dir, char *err, size_t errlen);
struct sink *sink_s3_new(const char *url, const char *bucket, const char *prefix,
                         const struct config *cfg, long timeout_ms, int max_attempts, char *err,
                         size_t errlen);

/* Whether key is acceptable as an object name under a target: relative, no
 * "." or ".." segment, no empty segment, no NUL. */
bool sink_key_valid(const char *key);
/* The same, 0 or -1 with "invalid object name '...'" in err. */
int sink_key_check(const char *key, char *err, size_t errlen);

/* For drivers: a zeroed writer of size bytes for key, or NULL with why
 * (an invalid key, no memory). The driver frees it. */
void *sink_writer_alloc(const char *key, size_t size, char *err, size_t errlen);

#endif
