/* fleet.c - every environment probed at once (fleet.h). */
#include "check/fleet.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "check/check.h"
#include "diag/diagnose.h"
#include "util/parallel.h"
#include "util/text.h"
#include "util/xalloc.h"

static void *fleet_probe_one(void *arg)
{
	struct fleet_row *row = arg;
	char err[1024];
	char *path = envs_path(row->name, err, sizeof(err));
	struct config cfg;
	if (path == NULL || config_load_file(&cfg, path, err, sizeof(err)) < 0) {
		row->state = OVERALL_UNKNOWN;
		text_printf(row->top_issue, sizeof(row->top_issue), "configuration: %s", err);
		free(path);
		return NULL;
	}
	free(path);
	struct snapshot *snap = xmalloc(sizeof(*snap));
	struct diagnosis *d = xmalloc(sizeof(*d));
	check_probe_all(&cfg, snap);
	diagnose(snap, NULL, &cfg, d);
	row->state = overall_state(snap, d);
	if (snap->version.check.state == CHECK_OK)
		text_copy(row->version, snap->version.version, sizeof(row->version));
	const struct issue *worst = overall_worst_issue(d);
	if (worst)
		text_copy(row->top_issue, worst->message, sizeof(row->top_issue));
	free(d);
	free(snap);
	config_free(&cfg);
	return NULL;
}

void fleet_probe(struct fleet_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		rows[i].state = OVERALL_UNKNOWN;
		rows[i].version[0] = rows[i].top_issue[0] = '\0';
	}
	parallel_each(rows, n, sizeof(rows[0]), fleet_probe_one);
}

int fleet_state_rank(enum overall_state state)
{
	switch (state) {
	case OVERALL_OK:
		return 0;
	case OVERALL_WARNING:
		return 1;
	case OVERALL_UNKNOWN:
		return 2;
	case OVERALL_CRITICAL:
		return 3;
	}
	return 2;
}
