/* freshness.c - the backup freshness probe (see freshness.h). */
#include "repo/freshness.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "model/redact.h"
#include "model/snapshot.h"
#include "repo/catalog.h"
#include "repo/sink.h"
#include "util/sanitize.h"
#include "util/text.h"

/* The newest complete db backup that matches its manifest, into out. */
static int probe_newest(struct sink *sink, struct backup_entry *e, size_t n,
                        struct backup_status *out, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		if (!e[i].complete || strcmp(e[i].kind, "db") != 0)
			continue;
		if (catalog_check(sink, &e[i], NULL, 0, err, errlen) != 0)
			return -1;
		if (!e[i].complete)
			continue;
		out->newest_ms = e[i].modified_ms > 0 ? e[i].modified_ms : 1;
		text_printf(out->newest_key, sizeof(out->newest_key), "%s", e[i].key);
		break;
	}
	return 0;
}

/* The unfinished writes at the target, into out: how many and the oldest.
 * A listing refused (S3 permissions lacking s3:ListBucketMultipartUploads)
 * reports none: it must not hide the backups' freshness. */
static void probe_unfinished(struct sink *sink, const char (*left_behind)[512], size_t left_count,
                             struct backup_status *out)
{
	char err[256];
	struct sink_entry *u = NULL;
	size_t n = 0;
	if (catalog_unfinished(sink, &u, &n, err, sizeof(err)) != 0)
		return;
	if (n == 0) {
		sink_entries_free(u, n); /* the empty listing's array */
		return;
	}
	out->unfinished = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	out->unfinished_oldest_ms = u[0].modified_ms > 0 ? u[0].modified_ms : 1;
	sanitize_text(out->unfinished_oldest_key, sizeof(out->unfinished_oldest_key), u[0].key);
	for (size_t k = 0; k < left_count; k++) {
		bool listed = false;
		for (size_t i = 0; i < n && !listed; i++) {
			char clean[512];
			sanitize_text(clean, sizeof(clean), u[i].key);
			listed = strcmp(clean, left_behind[k]) == 0;
		}
		if (listed && out->left_behind++ == 0)
			text_copy(out->left_behind_key, left_behind[k],
			          sizeof(out->left_behind_key));
	}
	sink_entries_free(u, n);
}

void backup_probe(const struct config *cfg, const atomic_int *cancel,
                  const char (*left_behind)[512], size_t left_count, struct backup_status *out)
{
	memset(out, 0, sizeof(*out));
	if (!cfg->backup.target || !*cfg->backup.target)
		return;
	out->listed = true;
	url_redact(out->target, sizeof(out->target), cfg->backup.target);
	char err[512] = "";
	struct backup_entry *e = NULL;
	size_t n = 0;
	struct sink *sink = sink_open_quick(cfg->backup.target, cfg, err, sizeof(err));
	if (sink && cancel)
		sink_set_cancel(sink, cancel);
	if (!sink || catalog_list(sink, false, &e, &n, err, sizeof(err)) != 0 ||
	    probe_newest(sink, e, n, out, err, sizeof(err)) != 0) {
		redact_text(err, sizeof(err));
		char clean[sizeof(err)];
		sanitize_text(clean, sizeof(clean), err[0] ? err : "listing failed");
		text_printf(out->error, sizeof(out->error), "%s", clean);
		out->newest_ms = 0;
		out->newest_key[0] = '\0';
		backup_entries_free(e, n);
		sink_free(sink);
		return;
	}
	char clean[sizeof(out->newest_key)];
	sanitize_text(clean, sizeof(clean), out->newest_key);
	text_printf(out->newest_key, sizeof(out->newest_key), "%s", clean);
	probe_unfinished(sink, left_behind, left_count, out);
	backup_entries_free(e, n);
	sink_free(sink);
}
