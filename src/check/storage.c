/* storage.c - the "storage" check: free space of the configured paths. */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "check/check.h"
#include "probe/probe.h"
#include "util/text.h"

static void storage_probe(const struct config *cfg, const struct check_probe_context *ctx,
                          struct snapshot *out)
{
	(void)ctx;
	probe_storage(cfg, &out->storage);
}

static void storage_text(const struct snapshot *s, struct strbuf *b)
{
	const struct storage_status *st = &s->storage;
	char limit[64];
	snprintf(limit, sizeof(limit), "used below %.0f%%", st->max_used_percent);
	struct check_common common = st->check;
	if (common.state != CHECK_NOT_CONFIGURED && !common.target[0])
		text_copy(common.target, limit, sizeof(common.target));
	render_check_line(b, "storage", &common);
	for (int i = 0; i < st->path_count; i++) {
		const struct disk_status *d = &st->paths[i];
		if (d->error[0]) {
			strbuf_printf(b, "%31s%s: %s\n", "", d->path, d->error);
			continue;
		}
		char total[32], avail[32];
		text_format_bytes(total, sizeof(total), d->total_bytes);
		text_format_bytes(avail, sizeof(avail), d->avail_bytes);
		strbuf_printf(b, "%31s%-4s %s %.1f%% used of %s (%s available)", "",
		              d->state == CHECK_OK ? "ok" : "FULL", d->path, d->used_percent, total,
		              avail);
		if (d->inodes_used_percent >= 0)
			strbuf_printf(b, "; inodes %.1f%% used", d->inodes_used_percent);
		strbuf_putc(b, '\n');
	}
}

static json_object *storage_path_json(const struct disk_status *d)
{
	json_object *p = json_object_new_object();
	json_object_object_add(p, "path", json_object_new_string(d->path));
	json_object_object_add(p, "state", json_object_new_string(check_state_name(d->state)));
	json_object_object_add(p, "error", render_json_string_or_null(d->error));
	if (d->error[0])
		return p;
	render_json_add_int(p, "total_bytes", (int64_t)d->total_bytes);
	render_json_add_int(p, "free_bytes", (int64_t)d->free_bytes);
	render_json_add_int(p, "available_bytes", (int64_t)d->avail_bytes);
	json_object_object_add(p, "used_percent", json_object_new_double(d->used_percent));
	render_json_add_int(p, "inodes_total", (int64_t)d->inodes_total);
	render_json_add_int(p, "inodes_free", (int64_t)d->inodes_free);
	json_object_object_add(p, "inodes_used_percent",
	                       render_json_figure(d->inodes_used_percent));
	return p;
}

static json_object *storage_json(const struct snapshot *s)
{
	const struct storage_status *st = &s->storage;
	json_object *o = render_json_frame(&st->check);
	json_object_object_add(o, "max_used_percent", json_object_new_double(st->max_used_percent));
	json_object *paths = json_object_new_array();
	for (int i = 0; i < st->path_count; i++)
		json_object_array_add(paths, storage_path_json(&st->paths[i]));
	json_object_object_add(o, "paths", paths);
	return o;
}

static const struct prom_family F_STORAGE_SIZE = {"opsdeck_storage_size_bytes", "gauge",
                                                  "Size of the filesystem holding the path."};
static const struct prom_family F_STORAGE_FREE = {"opsdeck_storage_free_bytes", "gauge",
                                                  "Free bytes, including those reserved for root."};
static const struct prom_family F_STORAGE_AVAIL = {"opsdeck_storage_available_bytes", "gauge",
                                                   "Bytes available to unprivileged users."};
static const struct prom_family F_STORAGE_USED = {
    "opsdeck_storage_used_ratio", "gauge", "Used fraction of the filesystem, as df computes it."};
static const struct prom_family F_STORAGE_INODES = {"opsdeck_storage_inodes", "gauge",
                                                    "Inodes of the filesystem holding the path."};
static const struct prom_family F_STORAGE_INODES_FREE = {
    "opsdeck_storage_inodes_free", "gauge", "Free inodes of the filesystem holding the path."};

static void storage_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct storage_status *st = &s->storage;
	const struct prom_family *families[] = {&F_STORAGE_SIZE,   &F_STORAGE_FREE,
	                                        &F_STORAGE_AVAIL,  &F_STORAGE_USED,
	                                        &F_STORAGE_INODES, &F_STORAGE_INODES_FREE};
	for (size_t f = 0; f < sizeof(families) / sizeof(families[0]); f++) {
		for (int i = 0; i < st->path_count; i++) {
			const struct disk_status *d = &st->paths[i];
			if (d->error[0])
				continue;
			const char *labels[] = {"path", d->path, NULL};
			const double values[] = {(double)d->total_bytes,  (double)d->free_bytes,
			                         (double)d->avail_bytes,  d->used_percent / 100.0,
			                         (double)d->inodes_total, (double)d->inodes_free};
			prom_sample(p, families[f], labels, values[f]);
		}
	}
}

/* A perfdata label, quoted when it holds anything but [A-Za-z0-9_]. */
static void storage_put_label(struct strbuf *b, const char *prefix, const char *name)
{
	bool plain = true;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '_'))
			plain = false;
	strbuf_puts(b, plain ? "" : "'");
	strbuf_puts(b, prefix);
	for (const char *c = name; *c; c++) {
		if (*c == '\'')
			strbuf_puts(b, "''");
		else if (*c != '=' && *c != '|')
			strbuf_putc(b, *c);
	}
	strbuf_puts(b, plain ? "" : "'");
}

static void storage_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	for (int i = 0; i < s->storage.path_count; i++) {
		const struct disk_status *d = &s->storage.paths[i];
		if (d->error[0])
			continue;
		strbuf_putc(b, ' ');
		storage_put_label(b, "storage_", d->path);
		strbuf_printf(b, "=%.1f%%;;%.0f;0;100", d->used_percent,
		              s->storage.max_used_percent);
	}
}

/* Without paths to show, the storage row has no figure; with paths, the
 * panel draws one row per path instead. */
static int storage_summary(const struct snapshot *s, struct check_figure *figures)
{
	(void)s;
	(void)figures;
	return 0;
}

const struct check_class check_storage = {
    .key = "storage",
    .title = "Storage",
    .section = "storage",
    .offset = offsetof(struct snapshot, storage),
    .size = sizeof(struct storage_status),
    .has_common = true,
    .group = CHECK_GROUP_HEALTH,
    .schedule = CHECK_EVERY_POLL,
    .probe = storage_probe,
    .text = storage_text,
    .json = storage_json,
    .prometheus = storage_prometheus,
    .nagios_perfdata = storage_nagios_perfdata,
    .panel_label = "storage",
    .summary = storage_summary,
};
