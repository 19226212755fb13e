/* catalog.c - the backups at a target, checked against their manifests
 * (see catalog.h). */
#include "repo/catalog.h"

#include <stdlib.h>
#include <string.h>

#include "repo/backup_name.h"
#include "repo/manifest.h"
#include "util/text.h"
#include "util/xalloc.h"

static int sink_entry_compare(const void *a, const void *b)
{
	return strcmp(((const struct sink_entry *)a)->key, ((const struct sink_entry *)b)->key);
}

/* The index of key in e[0..n), sorted by key (sink_entry_compare), or -1. */
static int entry_find(const struct sink_entry *e, size_t n, const char *key)
{
	struct sink_entry probe = {.key = (char *)key};
	const struct sink_entry *hit =
	    n ? bsearch(&probe, e, n, sizeof(*e), sink_entry_compare) : NULL;
	return hit ? (int)(hit - e) : -1;
}

static int backup_entry_compare(const void *a, const void *b)
{
	const struct backup_entry *x = a, *y = b;
	if (x->modified_ms != y->modified_ms)
		return x->modified_ms > y->modified_ms ? -1 : 1;
	return strcmp(y->key, x->key);
}

/* Whether the files a files manifest names are all listed (objs, sorted)
 * with the sizes it recorded; problem says which is not. */
static void files_check(const struct manifest *m, const struct sink_entry *objs, size_t n,
                        char *problem, size_t size)
{
	size_t bad = 0;
	for (size_t i = 0; i < m->file_count; i++) {
		const struct manifest_file *f = &m->files[i];
		int at = f->key ? entry_find(objs, n, f->key) : -1;
		if (at >= 0 && objs[at].size == f->stored)
			continue;
		if (bad++ > 0)
			continue;
		if (at < 0)
			text_printf(problem, size, "%s is missing", f->key ? f->key : "?");
		else
			text_printf(problem, size, "%s: %llu bytes stored, the manifest says %llu",
			            f->key, (unsigned long long)objs[at].size,
			            (unsigned long long)f->stored);
	}
	if (bad > 1) {
		char first[200];
		text_printf(first, sizeof(first), "%s", problem);
		text_printf(problem, size, "%zu of %zu files missing or cut short (first: %s)", bad,
		            m->file_count, first);
	}
}

int catalog_check(struct sink *sink, struct backup_entry *e, const struct sink_entry *objs,
                  size_t n, char *err, size_t errlen)
{
	char mkey[1200];
	struct sink_text text = {0};
	struct manifest m;
	memset(&m, 0, sizeof(m));
	bool db = strcmp(e->kind, "db") == 0;
	text_printf(mkey, sizeof(mkey), "%s%s", e->key, db ? ".json" : ".files.json");
	if (sink_get_text(sink, mkey, &text, err, errlen) != 0) {
		free(text.data);
		return -1;
	}
	char why[256];
	if (manifest_parse(text.data ? text.data : "", text.len, &m, why, sizeof(why)) != 0)
		text_printf(e->problem, sizeof(e->problem), "its manifest is unreadable: %s", why);
	else if (db && m.bytes_out != e->size)
		text_printf(e->problem, sizeof(e->problem),
		            "%llu bytes stored, the manifest says %llu",
		            (unsigned long long)e->size, (unsigned long long)m.bytes_out);
	else if (!db)
		files_check(&m, objs, n, e->problem, sizeof(e->problem));
	if (e->problem[0])
		e->complete = false;
	manifest_free_files(&m);
	free(text.data);
	return 0;
}

int catalog_list(struct sink *sink, bool check, struct backup_entry **entries, size_t *count,
                 char *err, size_t errlen)
{
	*entries = NULL;
	*count = 0;
	struct sink_entry *objs = NULL;
	size_t n = 0;
	if (sink->ops->list(sink, &objs, &n, err, errlen) != 0)
		return -1;
	if (n)
		qsort(objs, n, sizeof(*objs), sink_entry_compare);
	struct backup_entry *out = xcalloc(n ? n : 1, sizeof(*out));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *key = objs[i].key;
		char *slash = strchr(key, '/');
		if (!slash && backup_db_key(key)) {
			char mkey[1200];
			text_printf(mkey, sizeof(mkey), "%s.json", key);
			out[k].key = xstrdup(key);
			text_printf(out[k].kind, sizeof(out[k].kind), "db");
			out[k].size = objs[i].size;
			out[k].modified_ms = objs[i].modified_ms;
			out[k].complete = entry_find(objs, n, mkey) >= 0;
			k++;
		} else if (slash) {
			/* a files backup: one entry per directory */
			size_t dlen = (size_t)(slash - key);
			struct backup_entry *found = NULL;
			for (size_t j = 0; j < k; j++)
				if (strcmp(out[j].kind, "files") == 0 &&
				    strlen(out[j].key) == dlen &&
				    strncmp(out[j].key, key, dlen) == 0)
					found = &out[j];
			if (!found) {
				found = &out[k++];
				found->key = xstrndup(key, dlen);
				text_printf(found->kind, sizeof(found->kind), "files");
				char mkey[1200];
				text_printf(mkey, sizeof(mkey), "%s.files.json", found->key);
				int mi = entry_find(objs, n, mkey);
				found->complete = mi >= 0;
				found->modified_ms = mi >= 0 ? objs[mi].modified_ms : 0;
			}
			found->size += objs[i].size;
			if (!found->complete && objs[i].modified_ms > found->modified_ms)
				found->modified_ms = objs[i].modified_ms;
		}
	}
	for (size_t j = 0; check && j < k; j++) {
		char why[512];
		if (out[j].complete &&
		    catalog_check(sink, &out[j], objs, n, why, sizeof(why)) != 0) {
			out[j].complete = false;
			text_printf(out[j].problem, sizeof(out[j].problem),
			            "its manifest cannot be read: %s", why);
		}
	}
	sink_entries_free(objs, n);
	if (k)
		qsort(out, k, sizeof(*out), backup_entry_compare);
	*entries = out;
	*count = k;
	return 0;
}

static int unfinished_compare(const void *a, const void *b)
{
	const struct sink_entry *x = a, *y = b;
	if (x->modified_ms != y->modified_ms)
		return x->modified_ms < y->modified_ms ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* The unfinished writes of an open sink, oldest first (none when the
 * driver cannot tell). */
int catalog_unfinished(struct sink *sink, struct sink_entry **entries, size_t *count, char *err,
                       size_t errlen)
{
	*entries = NULL;
	*count = 0;
	if (!sink->ops->unfinished)
		return 0;
	if (sink->ops->unfinished(sink, entries, count, err, errlen) != 0)
		return -1;
	if (*count)
		qsort(*entries, *count, sizeof(**entries), unfinished_compare);
	return 0;
}

void backup_entries_free(struct backup_entry *entries, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(entries[i].key);
	free(entries);
}
