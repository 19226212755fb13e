/* keys.h - the table of configuration keys; internal to src/config/
 * (everything else uses config/config.h).
 *
 * Every key is one row of config_keys (keys.c): its section, its type,
 * where it lands in struct config, its default (written as it would be in
 * the file, so defaults go through the same parsing as the file does), its
 * limits and the check its value gets once every value is known
 * (validate.h). Adding a key means adding a row, a struct field and a
 * paragraph in opsdeck.conf.5. The rows are in the order of the man page.
 */
#ifndef OPSDECK_CONFIG_KEYS_H
#define OPSDECK_CONFIG_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "config/ini.h"

enum config_type {
	TYPE_STRING,
	TYPE_DURATION, /* int64_t milliseconds */
	TYPE_INT64,
	TYPE_INT,
	TYPE_RATIO,   /* double 0..1, "5%" accepted */
	TYPE_PERCENT, /* double 0..100, "90%" accepted */
	TYPE_BOOL,
	TYPE_SIZE, /* int64_t bytes, "512M" accepted */
	TYPE_LIST, /* char *[max], with a size_t count */
};

/* Checks on a string beyond its syntax, done once every value is known. */
enum config_check {
	CHECK_NONE,
	CHECK_PG_URL,
	CHECK_REDIS_URL,
	CHECK_HTTP_URL,
	CHECK_HTTP_URLS, /* one or more, separated by spaces or commas (app instances) */
	CHECK_BACKUP_TARGET,
	CHECK_BACKUP_FORMAT,
	CHECK_BACKUP_COMPRESSION, /* gzip or zstd */
	CHECK_COMPRESSION_LEVEL,  /* an int: within [backup] compression's range */
	CHECK_TABLE_NAME,
	CHECK_COLUMN_NAME,
	CHECK_ACTION_NAMES,  /* a list of recovery action names */
	CHECK_TLS_FILE,      /* a readable file, or "" */
	CHECK_TLS_PAIR,      /* the same, [redis] tls_cert and tls_key: both or neither */
	CHECK_BANNER,        /* [ui] banner: one short line */
	CHECK_BANNER_COLOR,  /* one of CONFIG_BANNER_COLORS, or "" */
	CHECK_WEBHOOK_URLS,  /* [notify] webhook_url: http(s) URLs, each a secret */
	CHECK_NOTIFY_FORMAT, /* json or slack */
	CHECK_SEVERITY,      /* low, medium or high */
};

struct config_key {
	const char *section;
	const char *key;
	enum config_type type;
	size_t offset;       /* of the field in struct config */
	size_t count_offset; /* lists: of the size_t count */
	size_t max_items;    /* lists */
	const char *def;     /* default as written in a file; NULL: computed */
	double min, max;     /* numbers and durations (ms): inclusive range */
	enum config_check check;
	size_t reason_offset; /* URLs: of the *_unset_reason field, or 0 */
};

extern const struct config_key config_keys[];
extern const size_t config_key_count;

/* The row of [section] key, or NULL. */
const struct config_key *config_key_find(const char *section, const char *key);

/* Checks the names in a parsed file: every section and key known, none
 * twice, none outside a section. entries (config_key_count of them, all
 * NULL on entry) gets each key's entry, by row. Returns 0, or -1 with one
 * line in err naming path and the line, with the closest known name when
 * one is within two edits ("did you mean 'timeout'?") or the section a
 * misplaced key belongs in. */
int config_keys_check_names(const char *path, const struct ini_file *ini,
                            const struct ini_file_sections *sections,
                            const struct ini_entry **entries, char *err, size_t errlen);

/* The field at offset in cfg (a row's offset, count_offset or
 * reason_offset). */
static inline void *config_field(struct config *cfg, size_t offset)
{
	return (char *)cfg + offset;
}

/* The char * field of a TYPE_STRING key. */
static inline char **config_string(struct config *cfg, const struct config_key *k)
{
	return config_field(cfg, k->offset);
}

/* Replaces the string *field (freed) with a copy of value. */
void config_string_set(char **field, const char *value);

/* Frees the items of a TYPE_LIST key's field and sets its count to 0. */
void config_list_free(struct config *cfg, const struct config_key *k);

#endif
