/* prometheus.c - the snapshot in Prometheus text exposition format, for
 * node_exporter's textfile collector or any scraper.
 *
 * Names are opsdeck_*, values in base units (seconds, bytes, ratios). A
 * family's HELP and TYPE are written once, just before its first sample, so
 * a family with nothing to report (a check that is down) is left out rather
 * than exported as a misleading zero.
 *
 * The document: the overall state (check/overall.h), the families every check has (configured, up,
 * latency) over the health and identity rows in table order; then each row's own families
 * (check/check.h): the health checks, the metrics, the rows kept for the diagnosis (the
 * backups' age), the diagnosis, the identity rows (version_info); the
 * history and its recorder (when looked at); then the snapshot's time and
 * duration.
 */
#include "out/out.h"

#include "check/check.h"
#include "check/overall.h"

static const struct prom_family F_CHECK_CONFIGURED = {
    "opsdeck_check_configured", "gauge", "Whether the check is configured (1) or not (0)."};
static const struct prom_family F_CHECK_UP = {
    "opsdeck_check_up", "gauge", "Whether a configured check is healthy (1) or not (0)."};
static const struct prom_family F_CHECK_LATENCY = {"opsdeck_check_latency_seconds", "gauge",
                                                   "Round-trip time of the check's probe."};
static const struct prom_family F_ISSUES = {"opsdeck_issues", "gauge",
                                            "Issues the diagnosis found, by severity."};
static const struct prom_family F_DIAGNOSIS = {"opsdeck_diagnosis_status", "gauge",
                                               "Overall diagnosis: 0 ok, 1 warning, 2 error."};
static const struct prom_family F_OVERALL = {
    "opsdeck_overall_state", "gauge",
    "The checks and the diagnosis together: 0 ok, 1 warning, 2 critical, 3 unknown."};
static const struct prom_family F_SNAPSHOT_TIME = {"opsdeck_snapshot_timestamp_seconds", "gauge",
                                                   "When the snapshot was taken (Unix time)."};
static const struct prom_family F_SNAPSHOT_DURATION = {"opsdeck_snapshot_duration_seconds", "gauge",
                                                       "How long taking the snapshot took."};

static const struct prom_family F_HISTORY_RECORDING = {
    "opsdeck_history_recording", "gauge",
    "Whether an `opsdeck record` holds the history directory (1) or not (0)."};
static const struct prom_family F_HISTORY_WRITABLE = {
    "opsdeck_history_writable", "gauge",
    "Whether the history can be written (1) or not (0): permissions, free space."};
static const struct prom_family F_HISTORY_RECORDS = {"opsdeck_history_records", "gauge",
                                                     "Records in the history."};
static const struct prom_family F_HISTORY_NEWEST = {
    "opsdeck_history_newest_record_timestamp_seconds", "gauge",
    "When the newest record was taken (Unix time)."};

/* The rows with a `check` label: health checks and identity rows. */
static const struct check_common *prom_labelled(const struct snapshot *s, size_t i)
{
	if (CHECKS[i]->group != CHECK_GROUP_HEALTH && CHECKS[i]->group != CHECK_GROUP_IDENTITY)
		return NULL;
	return check_common_of(CHECKS[i], s);
}

static void prom_checks(struct prom *p, const struct snapshot *s)
{
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = prom_labelled(s, i);
		const char *labels[] = {"check", CHECKS[i]->key, NULL};
		if (c)
			prom_sample(p, &F_CHECK_CONFIGURED, labels,
			            c->state != CHECK_NOT_CONFIGURED);
	}
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = prom_labelled(s, i);
		const char *labels[] = {"check", CHECKS[i]->key, NULL};
		if (c && (c->state == CHECK_OK || c->state == CHECK_UNHEALTHY))
			prom_sample(p, &F_CHECK_UP, labels, c->state == CHECK_OK);
	}
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		const struct check_common *c = prom_labelled(s, i);
		const char *labels[] = {"check", CHECKS[i]->key, NULL};
		if (c && c->latency_ms >= 0)
			prom_sample(p, &F_CHECK_LATENCY, labels, c->latency_ms / 1000.0);
	}
}

static void prom_group(struct prom *p, const struct snapshot *s, enum check_group group)
{
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->group == group && CHECKS[i]->prometheus)
			CHECKS[i]->prometheus(s, p);
}

static void prom_diagnosis(struct prom *p, const struct diagnosis *d)
{
	const enum issue_severity severities[] = {SEVERITY_HIGH, SEVERITY_MEDIUM, SEVERITY_LOW};
	for (size_t s = 0; s < sizeof(severities) / sizeof(severities[0]); s++) {
		int n = 0;
		for (int i = 0; i < d->count; i++)
			n += d->issues[i].severity == severities[s];
		const char *labels[] = {"severity", issue_severity_name(severities[s]), NULL};
		prom_sample(p, &F_ISSUES, labels, n);
	}
	prom_sample(p, &F_DIAGNOSIS, NULL, d->status);
}

static void prom_history(struct prom *p, const struct history_status *h)
{
	if (!h->looked || !h->enabled)
		return;
	prom_sample(p, &F_HISTORY_RECORDING, NULL, h->recorder_pid != 0);
	prom_sample(p, &F_HISTORY_WRITABLE, NULL, h->problem[0] == '\0');
	prom_sample(p, &F_HISTORY_RECORDS, NULL, (double)h->records);
	if (h->newest_ms > 0)
		prom_sample(p, &F_HISTORY_NEWEST, NULL, (double)h->newest_ms / 1000.0);
}

void out_prometheus(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b)
{
	struct prom p = {b, NULL};
	prom_sample(&p, &F_OVERALL, NULL, overall_state(s, d));
	prom_checks(&p, s);
	prom_group(&p, s, CHECK_GROUP_HEALTH);
	prom_group(&p, s, CHECK_GROUP_METRICS);
	prom_group(&p, s, CHECK_GROUP_RECORD);
	if (d)
		prom_diagnosis(&p, d);
	prom_group(&p, s, CHECK_GROUP_IDENTITY);
	prom_history(&p, &s->history);
	prom_sample(&p, &F_SNAPSHOT_TIME, NULL, (double)s->taken_at_ms / 1000.0);
	prom_sample(&p, &F_SNAPSHOT_DURATION, NULL, (double)s->duration_ms / 1000.0);
}
