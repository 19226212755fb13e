/* env_picker.h - the dashboard's `e`: every environment (config/envs.h)
 * with its state, version and worst issue, probed at once on a job of its
 * own (check/fleet.h) so that a hung environment never holds the screen;
 * Up/Down choose, Enter switches the dashboard to the one chosen, Esc
 * closes. The list shows "probing" until the job ends; closing it leaves
 * the job to finish on its own.
 *
 * All functions are for the UI thread.
 */
#ifndef OPSDECK_UI_ENV_PICKER_H
#define OPSDECK_UI_ENV_PICKER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/envs.h"
#include "ui/panels.h"
#include "ui/term.h"

struct env_picker;

/* wake_fd gets a byte when the probes end. Never NULL. */
struct env_picker *env_picker_new(int wake_fd);
/* Frees p; a job still probing is left to end on its own (it holds
 * nothing of the dashboard's). NULL is a no-op. */
void env_picker_free(struct env_picker *p);

/* e: lists the environments (the one in use, current, marked) and starts
 * probing them; with none configured, says where to put one in the key
 * bar's notice and stays closed. */
void env_picker_open(struct env_picker *p, struct ui_state *st, const char *current);
/* Whether the picker owns the dialog and the keys. */
bool env_picker_active(const struct env_picker *p);
/* A key while active; always consumed. Returns true when Enter chose an
 * environment other than the current one: its name is in chosen (the
 * picker is then closed). */
bool env_picker_key(struct env_picker *p, const struct ui_key_event *ev, struct ui_state *st,
                    char chosen[ENVS_NAME_MAX]);
/* After a wake-up: shows the probes' results once they are in. */
void env_picker_poll(struct env_picker *p, struct ui_state *st);

#endif
