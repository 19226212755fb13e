/* version.c - the "version" row: what is deployed, from version_url or
 * version_file. Not a health check: it heads the documents. */
#include <json-c/json.h>

#include "check/check.h"
#include "probe/probe.h"

static void version_probe(const struct config *cfg, const struct check_probe_context *ctx,
                          struct snapshot *out)
{
	(void)ctx;
	probe_version(cfg, &out->version);
}

static const char *version_source_name(enum version_source source)
{
	return source == VERSION_SOURCE_URL    ? "version_url"
	       : source == VERSION_SOURCE_FILE ? "version_file"
	                                       : NULL;
}

static void version_text(const struct snapshot *s, struct strbuf *b)
{
	const struct version_status *v = &s->version;
	if (v->check.state == CHECK_NOT_CONFIGURED) {
		strbuf_printf(b, "version   not configured\n");
		return;
	}
	if (v->check.state != CHECK_OK) {
		strbuf_printf(b, "version   unknown\n");
		if (v->check.error[0])
			strbuf_printf(b, "          %s\n", v->check.error);
		return;
	}
	strbuf_printf(b, "version   %s  build %s  commit %s  built %s  (from %s)\n", v->version,
	              v->build_number[0] ? v->build_number : "-",
	              v->commit_hash[0] ? v->commit_hash : "-",
	              v->build_date[0] ? v->build_date : "-",
	              v->source == VERSION_SOURCE_URL ? "version_url" : "version_file");
	if (v->url_error[0])
		strbuf_printf(b, "          version_url: %s\n", v->url_error);
}

static json_object *version_json(const struct snapshot *s)
{
	const struct version_status *v = &s->version;
	json_object *o = render_json_frame(&v->check);
	json_object_object_add(o, "source",
	                       render_json_string_or_null(version_source_name(v->source)));
	json_object_object_add(o, "version", json_object_new_string(v->version));
	json_object_object_add(o, "build_number", render_json_string_or_null(v->build_number));
	json_object_object_add(o, "commit_hash", render_json_string_or_null(v->commit_hash));
	json_object_object_add(o, "build_date", render_json_string_or_null(v->build_date));
	json_object_object_add(o, "url_error", render_json_string_or_null(v->url_error));
	json_object_object_add(o, "file_error", render_json_string_or_null(v->file_error));
	if (v->instance_count > 1) {
		json_object *list = json_object_new_array();
		for (int i = 0; i < v->instance_count; i++) {
			const struct version_instance *inst = &v->instances[i];
			json_object *e = json_object_new_object();
			json_object_object_add(e, "url", json_object_new_string(inst->url));
			json_object_object_add(e, "version",
			                       render_json_string_or_null(inst->version));
			json_object_object_add(e, "commit_hash",
			                       render_json_string_or_null(inst->commit_hash));
			json_object_object_add(e, "error", render_json_string_or_null(inst->error));
			json_object_array_add(list, e);
		}
		json_object_object_add(o, "instances", list);
	}
	return o;
}

static const struct prom_family F_VERSION_INFO = {"opsdeck_version_info", "gauge",
                                                  "The deployed version; the value is always 1."};

static void version_prometheus(const struct snapshot *s, struct prom *p)
{
	const struct version_status *v = &s->version;
	if (v->check.state != CHECK_OK)
		return;
	const char *labels[] = {"version",       v->version,    "build_number",
	                        v->build_number, "commit_hash", v->commit_hash,
	                        "build_date",    v->build_date, NULL};
	prom_sample(p, &F_VERSION_INFO, labels, 1);
}

static void version_nagios_summary(const struct snapshot *s, struct strbuf *b)
{
	const struct version_status *v = &s->version;
	if (v->check.state == CHECK_OK)
		strbuf_printf(b, "; version %s", v->version);
	else if (v->check.state == CHECK_UNHEALTHY)
		strbuf_printf(b, "; version unknown");
}

const struct check_class check_version = {
    .key = "version",
    .title = "Version",
    .section = "app",
    .offset = offsetof(struct snapshot, version),
    .size = sizeof(struct version_status),
    .has_common = true,
    .group = CHECK_GROUP_IDENTITY,
    .schedule = CHECK_EVERY_POLL,
    .probe = version_probe,
    .text = version_text,
    .json = version_json,
    .prometheus = version_prometheus,
    .nagios_summary = version_nagios_summary,
};
