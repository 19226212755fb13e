/* diag_fixture.h - what the diag tests share: the configuration the rules read
 * (defaults, set up and freed around each group) and the look-up of an
 * issue by type in a diagnosis (include after cmocka.h and
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

#endif
