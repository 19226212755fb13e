/* fleet.h - every environment (config/envs.h) probed at once: for each,
 * its overall state, deployed version and most severe issue. Used by
 * `opsdeck envs` and by the dashboard's environment picker.
 *
 * Each environment is loaded and probed on its own thread, and its probes
 * on threads of their own (check_probe_all), so the whole takes about as
 * long as the slowest environment's slowest probe, however many there are.
 * An environment whose file does not load is UNKNOWN with the error.
 */
#ifndef OPSDECK_CHECK_FLEET_H
#define OPSDECK_CHECK_FLEET_H

#include <stddef.h>

#include "check/overall.h"
#include "config/envs.h"

struct fleet_row {
	char name[ENVS_NAME_MAX]; /* set by the caller */
	enum overall_state state;
	char version[64];     /* "" when not read */
	char top_issue[1100]; /* the worst issue's message, "configuration: ..."; or "" */
};

/* Probes rows[0..n) (their names set) at once and returns when every one is
 * done. probe_global_init() must have been called. */
void fleet_probe(struct fleet_row *rows, size_t n);

/* The order of "worse": ok < warning < unknown < critical. */
int fleet_state_rank(enum overall_state state);

#endif
