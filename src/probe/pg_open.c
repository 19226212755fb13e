/* pg_open.c - opening [database] url for a probe, shared by the probes
 * that have a PostgreSQL connection of their own (see probe.h). */
#include "probe/probe.h"

#include "client/pg_session.h"
#include "config/pgurl.h"

int probe_pg_open(const struct config *cfg, struct check_common *c, struct pgurl *u, bool *parsed,
                  struct pg_session *s)
{
	const char *why = cfg->database.url_unset_reason;
	return probe_pg_open_url(cfg, cfg->database.url,
	                         why && why[0] ? why : "database url is not set", c, u, parsed, s);
}

int probe_pg_open_url(const struct config *cfg, const char *url, const char *unset,
                      struct check_common *c, struct pgurl *u, bool *parsed, struct pg_session *s)
{
	char err[SNAPSHOT_TEXT];

	*parsed = false;
	if (!url || !url[0]) {
		check_set_error(c, CHECK_NOT_CONFIGURED, "%s", unset);
		return -1;
	}
	check_set_target(c, url);
	if (pgurl_parse(url, (long)cfg->app.timeout_ms, u, err, sizeof(err)) < 0) {
		check_set_error(c, CHECK_UNHEALTHY, "%s", err);
		return -1;
	}
	*parsed = true;
	check_set_target(c, u->redacted);
	pg_session_init(s, u->password, cfg->app.timeout_ms);
	if (pg_session_connect(s, u, err, sizeof(err)) < 0) {
		check_set_error(c, CHECK_UNHEALTHY, "%s", err);
		return -1;
	}
	return 0;
}
