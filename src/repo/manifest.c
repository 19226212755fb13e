/* manifest.c - backup manifests as JSON (json-c) and SHA-256 (libcrypto). */
#include "repo/manifest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "util/percent.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#define REPLACEMENT_CHARACTER "\xef\xbf\xbd" /* U+FFFD in UTF-8 */

struct sha256 {
	EVP_MD_CTX *ctx;
};

struct sha256 *sha256_new(void)
{
	struct sha256 *h = xcalloc(1, sizeof(*h));
	h->ctx = EVP_MD_CTX_new();
	if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		abort(); /* only when out of memory */
	return h;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void sha256_finish_hex(struct sha256 *h, char hex[SHA256_HEX_SIZE])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	EVP_DigestFinal_ex(h->ctx, md, &n);
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
	sha256_free(h);
}

void sha256_free(struct sha256 *h)
{
	if (!h)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

static void add_string(json_object *o, const char *name, const char *value)
{
	json_object_object_add(o, name, json_object_new_string(value ? value : ""));
}

static void add_int(json_object *o, const char *name, int64_t value)
{
	json_object_object_add(o, name, json_object_new_int64(value));
}

/* A file name as JSON: the name is bytes, JSON text is UTF-8. NAME holds the
 * name when it is valid UTF-8 (json-c escapes its control characters);
 * otherwise NAME holds it with each invalid byte replaced by U+FFFD, for
 * people, and NAME_bytes the exact bytes, every byte outside printable
 * ASCII and '%' written %XX. */
static void add_name(json_object *o, const char *name, const char *value)
{
	size_t len = strlen(value), valid = 0;
	uint32_t cp;
	for (size_t n; valid < len && (n = sanitize_decode(value + valid, len - valid, &cp));)
		valid += n;
	if (valid == len) {
		add_string(o, name, value);
		return;
	}
	char *lossy = xmalloc(3 * len + 1), *bytes = xmalloc(3 * len + 1);
	char *field = xasprintf("%s_bytes", name);
	size_t l = 0, b = 0;
	for (size_t i = 0; i < len;) {
		size_t n = sanitize_decode(value + i, len - i, &cp);
		if (n) {
			memcpy(lossy + l, value + i, n);
			l += n;
		} else {
			memcpy(lossy + l, REPLACEMENT_CHARACTER, 3);
			l += 3;
		}
		for (size_t end = i + (n ? n : 1); i < end; i++) {
			unsigned char c = (unsigned char)value[i];
			if (c > 0x20 && c < 0x7f && c != '%')
				bytes[b++] = (char)c;
			else
				b += (size_t)sprintf(bytes + b, "%%%02X", c);
		}
	}
	lossy[l] = bytes[b] = '\0';
	add_string(o, name, lossy);
	add_string(o, field, bytes);
	free(lossy);
	free(bytes);
	free(field);
}

char *manifest_to_json(const struct manifest *m)
{
	json_object *o = json_object_new_object();
	add_int(o, "manifest_version", MANIFEST_VERSION);
	add_string(o, "kind", m->kind);
	add_string(o, "key", m->key);
	if (strcmp(m->kind, "db") == 0)
		add_string(o, "database", m->database);
	add_string(o, "format", m->format);
	add_string(o, "created", m->created);
	add_int(o, "duration_ms", m->duration_ms);
	add_int(o, "bytes_in", (int64_t)m->bytes_in);
	add_int(o, "bytes_out", (int64_t)m->bytes_out);
	if (m->sha256[0])
		add_string(o, "sha256", m->sha256);
	json_object *c = json_object_new_object();
	add_string(c, "algorithm", m->compression[0] ? m->compression : "gzip");
	add_int(c, "level", m->compression_level);
	add_int(c, "threads", m->compression_threads);
	json_object_object_add(o, "compression", c);
	if (strcmp(m->kind, "db") == 0) {
		add_string(o, "pg_dump_version", m->pg_dump_version);
		add_string(o, "server_version", m->server_version);
	}
	add_string(o, "opsdeck_version", m->opsdeck_version);
	if (strcmp(m->kind, "files") == 0) {
		add_int(o, "file_count", (int64_t)m->file_count);
		add_int(o, "failures", (int64_t)m->failures);
		json_object *files = json_object_new_array();
		for (size_t i = 0; i < m->file_count; i++) {
			const struct manifest_file *f = &m->files[i];
			json_object *fo = json_object_new_object();
			add_name(fo, "path", f->path);
			add_name(fo, "key", f->key);
			add_int(fo, "size", (int64_t)f->size);
			add_int(fo, "stored", (int64_t)f->stored);
			add_string(fo, "sha256", f->sha256);
			json_object_array_add(files, fo);
		}
		json_object_object_add(o, "files", files);
	}
	if (m->tables_recorded) {
		json_object *tables = json_object_new_object();
		for (size_t i = 0; i < m->table_count; i++)
			add_int(tables, m->tables[i].name, (int64_t)m->tables[i].rows);
		json_object_object_add(o, "tables", tables);
	}
	char *text = xstrdup(json_object_to_json_string_ext(
	    o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return text;
}

static void get_string(json_object *o, const char *name, char *dst, size_t size)
{
	json_object *v;
	dst[0] = '\0';
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string))
		snprintf(dst, size, "%s", json_object_get_string(v));
}

/* A file name written by add_name, as a new string: NAME_bytes decoded
 * when present, else NAME. NULL when missing, malformed or out of memory. */
static char *get_name(json_object *o, const char *name)
{
	json_object *v;
	char field[64];
	snprintf(field, sizeof(field), "%s_bytes", name);
	if (json_object_object_get_ex(o, field, &v) && json_object_is_type(v, json_type_string))
		return percent_decode(json_object_get_string(v),
		                      (size_t)json_object_get_string_len(v), false);
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_string))
		return strdup(json_object_get_string(v));
	return NULL;
}

static int64_t get_int(json_object *o, const char *name)
{
	json_object *v;
	if (json_object_object_get_ex(o, name, &v) && json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	return -1;
}

static int is_hex64(const char *s)
{
	if (strlen(s) != 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* "tables": {"name": rows, ...} into m; -1 when it is there but malformed. */
static int get_tables(json_object *o, struct manifest *m, char *err, size_t errlen)
{
	json_object *tables;
	if (!json_object_object_get_ex(o, "tables", &tables))
		return 0;
	if (!json_object_is_type(tables, json_type_object)) {
		snprintf(err, errlen, "manifest: tables is not an object");
		return -1;
	}
	size_t n = (size_t)json_object_object_length(tables);
	m->tables = xcalloc(n ? n : 1, sizeof(*m->tables));
	m->tables_recorded = true;
	json_object_object_foreach(tables, name, count)
	{
		if (!json_object_is_type(count, json_type_int) ||
		    json_object_get_int64(count) < 0) {
			snprintf(err, errlen, "manifest: a table's row count is not a number");
			return -1;
		}
		m->tables[m->table_count].name = xstrdup(name);
		m->tables[m->table_count].rows = (uint64_t)json_object_get_int64(count);
		m->table_count++;
	}
	return 0;
}

int manifest_parse(const char *text, size_t len, struct manifest *m, char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	json_tokener *tok = json_tokener_new();
	json_object *o = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error jerr = json_tokener_get_error(tok);
	json_tokener_free(tok);
	if (!o || jerr != json_tokener_success || !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "manifest is not a JSON object");
		json_object_put(o);
		return -1;
	}
	int rc = -1;
	if (get_int(o, "manifest_version") != MANIFEST_VERSION) {
		snprintf(err, errlen, "manifest: unknown manifest_version");
		goto done;
	}
	get_string(o, "kind", m->kind, sizeof(m->kind));
	get_string(o, "key", m->key, sizeof(m->key));
	get_string(o, "database", m->database, sizeof(m->database));
	get_string(o, "format", m->format, sizeof(m->format));
	get_string(o, "created", m->created, sizeof(m->created));
	get_string(o, "sha256", m->sha256, sizeof(m->sha256));
	get_string(o, "pg_dump_version", m->pg_dump_version, sizeof(m->pg_dump_version));
	get_string(o, "server_version", m->server_version, sizeof(m->server_version));
	get_string(o, "opsdeck_version", m->opsdeck_version, sizeof(m->opsdeck_version));
	m->duration_ms = get_int(o, "duration_ms");
	int64_t in = get_int(o, "bytes_in"), out = get_int(o, "bytes_out");
	if (strcmp(m->kind, "db") != 0 && strcmp(m->kind, "files") != 0) {
		snprintf(err, errlen, "manifest: kind is neither db nor files");
		goto done;
	}
	if (!m->key[0] || in < 0 || out < 0) {
		snprintf(err, errlen, "manifest: key, bytes_in or bytes_out missing");
		goto done;
	}
	m->bytes_in = (uint64_t)in;
	m->bytes_out = (uint64_t)out;
	if (strcmp(m->kind, "db") == 0 && !is_hex64(m->sha256)) {
		snprintf(err, errlen, "manifest: sha256 missing or malformed");
		goto done;
	}
	json_object *c;
	/* "compression": {"algorithm": "zstd", ...}, or just "zstd"; absent: gzip */
	snprintf(m->compression, sizeof(m->compression), "gzip");
	if (json_object_object_get_ex(o, "compression", &c)) {
		if (json_object_is_type(c, json_type_string)) {
			snprintf(m->compression, sizeof(m->compression), "%s",
			         json_object_get_string(c));
		} else {
			get_string(c, "algorithm", m->compression, sizeof(m->compression));
			if (!m->compression[0])
				snprintf(m->compression, sizeof(m->compression), "gzip");
			m->compression_level = (int)get_int(c, "level");
			m->compression_threads = (int)get_int(c, "threads");
		}
	}
	json_object *files;
	if (json_object_object_get_ex(o, "files", &files) &&
	    json_object_is_type(files, json_type_array)) {
		size_t n = json_object_array_length(files);
		m->files = xcalloc(n ? n : 1, sizeof(*m->files));
		for (size_t i = 0; i < n; i++) {
			json_object *fo = json_object_array_get_idx(files, i);
			struct manifest_file *f = &m->files[m->file_count];
			get_string(fo, "sha256", f->sha256, sizeof(f->sha256));
			int64_t size = get_int(fo, "size"), stored = get_int(fo, "stored");
			if (size < 0 || stored < 0) {
				m->files_dropped++;
				continue;
			}
			/* the path is informative (a restore writes it); the key is
			 * what verify fetches */
			f->path = get_name(fo, "path");
			if (!f->path)
				f->path = xstrdup("");
			f->key = get_name(fo, "key");
			if (!f->path || !f->key || !f->key[0]) {
				free(f->path);
				free(f->key);
				f->path = f->key = NULL;
				m->files_dropped++;
				continue;
			}
			f->size = (uint64_t)size;
			f->stored = (uint64_t)stored;
			m->file_count++;
		}
		int64_t failures = get_int(o, "failures");
		m->failures = failures > 0 ? (size_t)failures : 0;
	}
	if (get_tables(o, m, err, errlen) != 0)
		goto done;
	rc = 0;
done:
	json_object_put(o);
	if (rc != 0)
		manifest_free_files(m);
	return rc;
}

void manifest_free_files(struct manifest *m)
{
	for (size_t i = 0; i < m->file_count; i++) {
		free(m->files[i].path);
		free(m->files[i].key);
	}
	free(m->files);
	m->files = NULL;
	m->file_count = 0;
	for (size_t i = 0; i < m->table_count; i++)
		free(m->tables[i].name);
	free(m->tables);
	m->tables = NULL;
	m->table_count = 0;
	m->tables_recorded = false;
}
