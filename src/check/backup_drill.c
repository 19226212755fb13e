/* backup_drill.c - the "backup_drill" row: the last backup drill as the
 * state file beside the audit log keeps it (job/drill_state.h). Reading it
 * is one small file, so it is read every poll; the diagnosis judges its
 * age and result (diag/rules_backup_drill.c). */
#include <inttypes.h>
#include <json-c/json.h>

#include "check/check.h"
#include "job/drill_state.h"
#include "util/text.h"

static void backup_drill_probe(const struct config *cfg, const struct check_probe_context *ctx,
                               struct snapshot *out)
{
	(void)ctx;
	drill_state_read(cfg, &out->backup_drill);
}

static void backup_drill_text(const struct snapshot *s, struct strbuf *b)
{
	const struct drill_status *d = &s->backup_drill;
	render_check_line(b, "drill", &d->check);
	if (d->check.state != CHECK_OK)
		return;
	char summary[SNAPSHOT_TEXT + 64];
	drill_result_summary(&d->last, s->taken_at_ms, summary, sizeof(summary));
	strbuf_printf(b, "%31slast drill: %s\n", "", summary);
	if (d->last.at_ms <= 0)
		return;
	char size[32];
	text_format_bytes(size, sizeof(size), d->last.size_bytes);
	strbuf_printf(b, "%31s  %s, %s restored", "", d->last.key, size);
	if (d->last.tables_compared == DRILL_TABLES_NOT_COMPARED)
		strbuf_printf(b, ", row counts not compared");
	else
		strbuf_printf(b, ", %d %s compared", d->last.tables_compared,
		              text_plural(d->last.tables_compared, "table", "tables"));
	if (d->last.newest_migration[0])
		strbuf_printf(b, ", newest migration %s", d->last.newest_migration);
	strbuf_printf(b, "\n");
}

static json_object *backup_drill_json(const struct snapshot *s)
{
	const struct drill_status *d = &s->backup_drill;
	json_object *o = render_json_frame(&d->check);
	if (d->check.state != CHECK_OK)
		return o;
	render_json_add_int(o, "max_age_s", d->max_age_ms / 1000);
	json_object_object_add(o, "last_success", render_json_time(d->last.last_success_ms));
	if (d->last.at_ms <= 0) {
		json_object_object_add(o, "last", NULL);
		return o;
	}
	const struct drill_result *r = &d->last;
	json_object *l = json_object_new_object();
	json_object_object_add(l, "time", render_json_time(r->at_ms));
	json_object_object_add(l, "ok", json_object_new_boolean(r->ok));
	json_object_object_add(l, "key", json_object_new_string(r->key));
	json_object_object_add(l, "why", render_json_string_or_null(r->why));
	json_object_object_add(l, "rto_s", json_object_new_double((double)r->rto_ms / 1000.0));
	render_json_add_int(l, "size_bytes", (int64_t)r->size_bytes);
	json_object_object_add(l, "tables_compared",
	                       r->tables_compared == DRILL_TABLES_NOT_COMPARED
	                           ? NULL
	                           : json_object_new_int(r->tables_compared));
	json_object_object_add(l, "newest_migration",
	                       render_json_string_or_null(r->newest_migration));
	json_object_object_add(o, "last", l);
	return o;
}

static const struct prom_family F_LAST_SUCCESS = {
    "opsdeck_backup_drill_last_success_timestamp_seconds", "gauge",
    "When a backup drill last passed (Unix time; 0: never)."};
static const struct prom_family F_OK = {"opsdeck_backup_drill_ok", "gauge",
                                        "1 when the last backup drill passed, 0 when it failed."};
static const struct prom_family F_RTO = {
    "opsdeck_backup_drill_rto_seconds", "gauge",
    "How long the last backup drill took to restore and check the backup."};

static void backup_drill_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct drill_status *d = &s->backup_drill;
	if (d->check.state != CHECK_OK)
		return;
	prom_sample(p, &F_LAST_SUCCESS, NULL, (double)d->last.last_success_ms / 1000.0);
	if (d->last.at_ms <= 0)
		return;
	prom_sample(p, &F_OK, NULL, d->last.ok ? 1 : 0);
	prom_sample(p, &F_RTO, NULL, (double)d->last.rto_ms / 1000.0);
}

static void backup_drill_nagios_perfdata(const struct snapshot *s, struct strbuf *b)
{
	const struct drill_status *d = &s->backup_drill;
	if (d->check.state == CHECK_OK && d->last.at_ms > 0)
		strbuf_printf(b, " drill_rto=%.3fs;;;0", (double)d->last.rto_ms / 1000.0);
}

const struct check_class check_backup_drill = {
    .key = "backup_drill",
    .title = "Backup drill",
    .section = "backup",
    .offset = offsetof(struct snapshot, backup_drill),
    .size = sizeof(struct drill_status),
    .has_common = true,
    .group = CHECK_GROUP_METRICS,
    .schedule = CHECK_EVERY_POLL,
    .probe = backup_drill_probe,
    .text = backup_drill_text,
    .json = backup_drill_json,
    .prometheus = backup_drill_prometheus,
    .nagios_perfdata = backup_drill_nagios_perfdata,
};
