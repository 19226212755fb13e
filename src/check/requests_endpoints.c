/* requests_endpoints.c - the breakdown by path in the outputs (see
 * requests_endpoints.h). */
#include "check/requests_endpoints.h"

#include <json-c/json.h>
#include <stdio.h>

#include "util/text.h"

void endpoints_render_text(const struct endpoint_breakdown *e, struct strbuf *b)
{
	if (e->state == ENDPOINTS_NOT_AVAILABLE || e->state == ENDPOINTS_FAILED) {
		strbuf_printf(b, "%31s%s\n", "", e->why);
		return;
	}
	char line[256];
	endpoints_errors_text(e, 1, line, sizeof(line));
	if (line[0])
		strbuf_printf(b, "%31smost 5xx: %s\n", "", line);
	endpoints_slowest_text(e, line, sizeof(line));
	if (line[0])
		strbuf_printf(b, "%31sslowest: %s\n", "", line);
}

static json_object *endpoint_list_json(const struct endpoint_stat *list, int count,
                                       int64_t all_errors)
{
	json_object *a = json_object_new_array();
	for (int i = 0; i < count; i++) {
		const struct endpoint_stat *s = &list[i];
		json_object *j = json_object_new_object();
		json_object_object_add(j, "path", json_object_new_string(s->path));
		render_json_add_int(j, "requests", s->requests);
		render_json_add_int(j, "errors", s->errors);
		json_object_object_add(
		    j, "error_share",
		    render_json_figure(all_errors > 0 ? (double)s->errors / (double)all_errors
		                                      : -1));
		json_object_object_add(j, "p95_ms", render_json_figure(s->p95_ms));
		json_object_array_add(a, j);
	}
	return a;
}

json_object *endpoints_render_json(const struct endpoint_breakdown *e)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "state", json_object_new_string(endpoints_state_name(e->state)));
	json_object_object_add(o, "column", render_json_string_or_null(e->column));
	json_object_object_add(o, "reason", render_json_string_or_null(e->why));
	if (e->state != ENDPOINTS_OK)
		return o;
	render_json_add_int(o, "requests", e->requests);
	render_json_add_int(o, "errors", e->errors);
	render_json_add_int(o, "paths", e->paths);
	json_object_object_add(o, "most_errors",
	                       endpoint_list_json(e->by_errors, e->error_count, e->errors));
	json_object_object_add(o, "slowest",
	                       endpoint_list_json(e->by_p95, e->slow_count, e->errors));
	return o;
}

static const struct prom_family F_ENDPOINT_ERRORS = {
    "opsdeck_endpoint_errors_in_window", "gauge",
    "Requests answered 5xx in the window, for the endpoints with the most (top 5)."};
static const struct prom_family F_ENDPOINT_P95 = {
    "opsdeck_endpoint_duration_p95_seconds", "gauge",
    "p95 request duration over the window, for the slowest endpoints (top 5)."};

void endpoints_render_prometheus(const struct endpoint_breakdown *e, struct prom *p)
{
	if (e->state != ENDPOINTS_OK)
		return;
	for (int i = 0; i < e->error_count && i < ENDPOINTS_TOP; i++) {
		const char *labels[] = {"path", e->by_errors[i].path, NULL};
		prom_sample(p, &F_ENDPOINT_ERRORS, labels, (double)e->by_errors[i].errors);
	}
	for (int i = 0; i < e->slow_count && i < ENDPOINTS_TOP; i++) {
		const char *labels[] = {"path", e->by_p95[i].path, NULL};
		prom_sample(p, &F_ENDPOINT_P95, labels, e->by_p95[i].p95_ms / 1000.0);
	}
}
