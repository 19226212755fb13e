/* manifest.h - the manifest written next to a backup once it is confirmed.
 *
 * A backup is complete only when its manifest exists (as pgBackRest's
 * backup.manifest): `PREFIX/DB_TIMESTAMP.sql.gz.json` for a database dump,
 * `PREFIX/TIMESTAMP.files.json` for a file backup. It records what a restore
 * or a verification needs: sizes, the SHA-256 of the compressed object(s),
 * how long it took, which pg_dump and server produced it, and which opsdeck.
 * manifest_to_json/manifest_parse are pure; the SHA-256 helpers wrap
 * libcrypto's EVP.
 */
#ifndef OPSDECK_REPO_MANIFEST_H
#define OPSDECK_REPO_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MANIFEST_VERSION 1
#define SHA256_HEX_SIZE  65

struct manifest_file {
	char *path;      /* relative to files_source, the exact bytes */
	char *key;       /* relative to the target, the exact bytes */
	uint64_t size;   /* uncompressed */
	uint64_t stored; /* compressed */
	char sha256[SHA256_HEX_SIZE];
};

/* A table's data rows in a plain dump, counted as it streamed. */
struct manifest_table {
	char *name; /* as the dump spells it: public."User" */
	uint64_t rows;
};

struct manifest {
	char kind[8];       /* "db" or "files" */
	char key[512];      /* the object (db) or the directory (files), relative */
	char database[128]; /* db only */
	char format[16];    /* "plain" or "custom" (db); "gzip-each" (files) */
	char created[32];   /* ISO-8601 UTC, when the backup started */
	int64_t duration_ms;
	uint64_t bytes_in;            /* uncompressed */
	uint64_t bytes_out;           /* compressed, as stored */
	char sha256[SHA256_HEX_SIZE]; /* of the compressed object (db) */
	char compression[8];          /* "gzip" or "zstd"; "" reads as gzip (older manifests) */
	int compression_level;
	int compression_threads;
	char pg_dump_version[128];
	char server_version[64];
	char opsdeck_version[32];
	/* files only: borrowed array when writing, owned after manifest_parse */
	struct manifest_file *files;
	size_t file_count;
	size_t failures;
	/* db, plain format: "tables", the data rows of each table the dump
	 * held (repo/copy_count.h). tables_recorded is false in older
	 * manifests and for custom dumps. Borrowed when writing, owned after
	 * manifest_parse. */
	bool tables_recorded;
	struct manifest_table *tables;
	size_t table_count;
	size_t files_dropped; /* after manifest_parse: malformed entries left out */
};

/* The manifest as pretty JSON text, never NULL (util/xalloc.h); the caller
 * frees it. File names are bytes and JSON text is UTF-8: a file's "path" and
 * "key" hold the name when it is valid UTF-8; otherwise they hold it with
 * each invalid byte replaced by U+FFFD, and "path_bytes" and "key_bytes"
 * hold the exact bytes, percent-encoded (every byte outside printable ASCII,
 * and '%', as %XX), which manifest_parse prefers. */
char *manifest_to_json(const struct manifest *m);

/* Parses a manifest; 0, or -1 with a reason. Files and tables (if any) are
 * owned by m: free with manifest_free_files. A "tables" member that is not
 * an object of counts is refused. */
int manifest_parse(const char *text, size_t len, struct manifest *m, char *err, size_t errlen);
void manifest_free_files(struct manifest *m);

/* Incremental SHA-256; sha256_new never returns NULL (util/xalloc.h). */
struct sha256;
struct sha256 *sha256_new(void);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes 64 lowercase hex digits and frees h. */
void sha256_finish_hex(struct sha256 *h, char hex[SHA256_HEX_SIZE]);
void sha256_free(struct sha256 *h);

#endif
