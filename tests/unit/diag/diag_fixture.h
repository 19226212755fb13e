/* diag_fixture.h - what the diag tests share: the configuration the rules read
 * (defaults, set up and freed around each group), a healthy snapshot and the
 * look-up of an issue by type in a diagnosis (include after cmocka.h and
 * diag/diagnose.h). */
#ifndef OPSDECK_TESTS_DIAG_FIXTURE_H
#define OPSDECK_TESTS_DIAG_FIXTURE_H

static struct config cfg;

static int setup(void **state)
{
	(void)state;
	config_defaults(&cfg);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	config_free(&cfg);
	return 0;
}

static inline const struct issue *find(const struct diagnosis *d, enum issue_type type)
{
	for (int i = 0; i < d->count; i++)
		if (d->issues[i].type == type)
			return &d->issues[i];
	return NULL;
}

/* The issue of that type; fails the test (and returns an empty issue, never
 * NULL) when there is none. */
static inline const struct issue *must_find(const struct diagnosis *d, enum issue_type type)
{
	static const struct issue none;
	const struct issue *i = find(d, type);
	if (!i) {
		fail_msg("no issue of type %s", ISSUE_TYPES[type].name);
		return &none;
	}
	return i;
}

/* Everything healthy and quiet: no rule may fire (version 1.4.2, commit
 * a1b2c3d). */
static inline void diag_fixture_healthy(struct snapshot *s)
{
	snapshot_init(s);
	s->version.check.state = CHECK_OK;
	s->version.source = VERSION_SOURCE_URL;
	snprintf(s->version.version, sizeof(s->version.version), "1.4.2");
	snprintf(s->version.commit_hash, sizeof(s->version.commit_hash), "a1b2c3d");
	s->database.check.state = CHECK_OK;
	s->database.max_connections = 100;
	s->database.connections_total = 10;
	s->redis.check.state = CHECK_OK;
	s->redis.last_bgsave_ok = true;
	s->redis.maxmemory = 1000;
	s->redis.used_memory = 100;
	s->health.check.state = CHECK_OK;
	s->health.status_code = 200;
	s->storage.check.state = CHECK_OK;
	s->storage.max_used_percent = 90;
	s->storage.path_count = 1;
	snprintf(s->storage.paths[0].path, sizeof(s->storage.paths[0].path), "/");
	s->storage.paths[0].state = CHECK_OK;
	s->storage.paths[0].used_percent = 40;
	s->requests.check.state = CHECK_OK;
	s->requests.window_ms = 3600000;
	s->requests.requests = 1000;
	s->requests.errors = 10;
	s->requests.error_rate = 0.01;
	s->requests.avg_ms = 120;
	s->requests.p95_ms = 400;
	s->requests.p99_ms = 900;
	s->slow_queries.check.state = CHECK_OK;
	s->slow_queries.threshold_ms = 1000;
}

#endif
