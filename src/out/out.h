/* out.h - the one-shot renderers: a Snapshot as text, JSON, Prometheus
 * exposition or a monitoring-plugins line.
 *
 * Renderers are pure: they read a Snapshot (whose strings are already
 * sanitised and redacted) and append to a strbuf; the caller writes it out.
 * That keeps them testable without a terminal or a server.
 */
#ifndef OPSDECK_OUT_OUT_H
#define OPSDECK_OUT_OUT_H

#include "model/issue.h"
#include "model/snapshot.h"
#include "util/strbuf.h"

/* The plugin states of the monitoring-plugins convention, as exit codes. */
enum plugin_state {
	PLUGIN_OK = 0,
	PLUGIN_WARNING = 1,
	PLUGIN_CRITICAL = 2,
	PLUGIN_UNKNOWN = 3,
};

/* Each renderer takes the snapshot and its diagnosis (d may be NULL when
 * there is none to show). */

/* For people: one block per check, a figure per line, no colour. */
void out_text(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b);

/* For programs: the document described in doc/status-json.md. */
void out_json(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b);

/* For Prometheus (node_exporter's textfile collector): opsdeck_* metrics in
 * base units, one HELP and TYPE per family. */
void out_prometheus(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b);

/* For Nagios/Icinga: "OPSDECK OK|WARNING|CRITICAL|UNKNOWN - summary | perfdata"
 * and a newline. Returns the state, which is also the exit status. */
enum plugin_state out_nagios(const struct snapshot *s, const struct diagnosis *d, struct strbuf *b);

/* The plugin state a snapshot maps to: its overall_state (check/overall.h),
 * the state every output shows. */
enum plugin_state out_plugin_state(const struct snapshot *s, const struct diagnosis *d);

/* The issues for people: "HIGH  message", the recommendation and the
 * suggested actions under each; "no issues" when there are none. */
void out_issues_text(const struct diagnosis *d, struct strbuf *b);

/* The diagnosis as a JSON object (json-c); the caller owns the result. */
struct json_object *out_diagnosis_json(const struct diagnosis *d);

/* Appends doc to b as the JSON documents opsdeck prints are laid out
 * (pretty, spaced, '/' unescaped) with a newline, and frees doc. */
void out_json_take(struct json_object *doc, struct strbuf *b);

#endif
