/* requests_endpoints.h - the "requests" row's breakdown by path
 * (model/endpoints.h) in the text, JSON and Prometheus outputs; requests.c
 * calls these. */
#ifndef OPSDECK_CHECK_REQUESTS_ENDPOINTS_H
#define OPSDECK_CHECK_REQUESTS_ENDPOINTS_H

#include "check/render.h"
#include "model/endpoints.h"
#include "util/strbuf.h"

/* Lines under the requests row: the worst endpoint by 5xx and by p95, or
 * why there is no breakdown; nothing without traffic. */
void endpoints_render_text(const struct endpoint_breakdown *e, struct strbuf *b);

/* The "endpoints" member of metrics.requests (doc/status-json.md). Owned by
 * the caller. */
struct json_object *endpoints_render_json(const struct endpoint_breakdown *e);

/* opsdeck_endpoint_errors_in_window{path} and
 * opsdeck_endpoint_duration_p95_seconds{path}: at most ENDPOINTS_TOP paths
 * each, so the label set stays bounded. Nothing without a breakdown. */
void endpoints_render_prometheus(const struct endpoint_breakdown *e, struct prom *p);

#endif
