/* health.c - the "health" check: the app's health endpoint over HTTP. */
#include <json-c/json.h>
#include <stdio.h>

#include "check/check.h"
#include "probe/probe.h"

static void health_probe(const struct config *cfg, const struct check_probe_context *ctx,
                         struct snapshot *out)
{
	(void)ctx;
	probe_health(cfg, &out->health);
}

static void health_text(const struct snapshot *s, struct strbuf *b)
{
	const struct http_status *h = &s->health;
	render_check_line(b, "health", &h->check);
	if (h->instance_count > 1) {
		strbuf_printf(b, "%31s%d/%d instances up\n", "", h->instances_up,
		              h->instance_count);
		for (int i = 0; i < h->instance_count; i++) {
			const struct app_instance *inst = &h->instances[i];
			if (inst->state == CHECK_OK)
				strbuf_printf(b, "%31s%s  HTTP %ld, %.1f ms\n", "", inst->url,
				              inst->status_code, inst->latency_ms);
			else
				strbuf_printf(b, "%31s%s  DOWN: %s\n", "", inst->url, inst->error);
		}
	}
	if (h->status_code == 0)
		return;
	strbuf_printf(b, "%31sHTTP %ld%s%s%s\n", "", h->status_code, h->body[0] ? "  " : "",
	              h->body, h->body_truncated ? "..." : "");
}

/* "instances": one object per URL of health_url, when it lists several. */
static void health_json_instances(const struct http_status *h, json_object *o)
{
	if (h->instance_count <= 1)
		return;
	json_object *list = json_object_new_array();
	for (int i = 0; i < h->instance_count; i++) {
		const struct app_instance *inst = &h->instances[i];
		json_object *e = json_object_new_object();
		json_object_object_add(e, "url", json_object_new_string(inst->url));
		json_object_object_add(e, "state",
		                       json_object_new_string(check_state_name(inst->state)));
		render_json_add_int(e, "status_code", inst->status_code);
		json_object_object_add(e, "latency_ms", render_json_figure(inst->latency_ms));
		json_object_object_add(e, "error", render_json_string_or_null(inst->error));
		json_object_array_add(list, e);
	}
	render_json_add_int(o, "instances_up", h->instances_up);
	json_object_object_add(o, "instances", list);
}

static json_object *health_json(const struct snapshot *s)
{
	const struct http_status *h = &s->health;
	json_object *o = render_json_frame(&h->check);
	health_json_instances(h, o);
	if (h->status_code == 0)
		return o;
	render_json_add_int(o, "status_code", h->status_code);
	json_object_object_add(o, "body", json_object_new_string(h->body));
	json_object_object_add(o, "body_truncated", json_object_new_boolean(h->body_truncated));
	return o;
}

static const struct prom_family F_HTTP_STATUS = {"opsdeck_http_status_code", "gauge",
                                                 "HTTP status of the health endpoint's answer."};

static void health_prometheus(const struct snapshot *s, struct prom *p)
{
	if (!s->health.status_code)
		return;
	const char *labels[] = {"check", "health", NULL};
	prom_sample(p, &F_HTTP_STATUS, labels, s->health.status_code);
}

/* An OK answer that took this long or longer is marked slow in the Health
 * row: a health endpoint answers from memory, so a second is already a
 * sign of trouble, and it stays well under the default app.timeout (3 s). */
#define HEALTH_SLOW_MS 1000.0

/* "slow 2.0 s" first when the answer was slow, then "HTTP 200". */
static int health_summary(const struct snapshot *s, struct check_figure *figures)
{
	const struct check_common *c = &s->health.check;
	int n = 0;
	if (s->health.instance_count > 1) {
		snprintf(figures[n].text, sizeof(figures[n].text), "%d/%d up",
		         s->health.instances_up, s->health.instance_count);
		snprintf(figures[n].brief, sizeof(figures[n].brief), "%d/%d",
		         s->health.instances_up, s->health.instance_count);
		figures[n].rank = 0;
		n++;
	}
	if (c->state == CHECK_OK && c->latency_ms >= HEALTH_SLOW_MS) {
		snprintf(figures[n].text, sizeof(figures[n].text), "slow %.1f s",
		         c->latency_ms / 1000.0);
		snprintf(figures[n].brief, sizeof(figures[n].brief), "slow");
		figures[n].rank = 0;
		n++;
	}
	snprintf(figures[n].text, sizeof(figures[n].text), "HTTP %ld", s->health.status_code);
	figures[n].brief[0] = '\0';
	figures[n].rank = n;
	return n + 1;
}

const struct check_class check_health = {
    .key = "health",
    .title = "App",
    .section = "app",
    .offset = offsetof(struct snapshot, health),
    .size = sizeof(struct http_status),
    .has_common = true,
    .group = CHECK_GROUP_HEALTH,
    .schedule = CHECK_EVERY_POLL,
    .probe = health_probe,
    .text = health_text,
    .json = health_json,
    .prometheus = health_prometheus,
    .panel_label = "app",
    .summary = health_summary,
};
