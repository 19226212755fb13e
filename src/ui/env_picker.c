/* env_picker.c - the environment picker (env_picker.h). */
#include "ui/env_picker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/fleet.h"
#include "job/runner.h"
#include "util/sanitize.h"
#include "util/text.h"
#include "util/xalloc.h"

/* What the job fills: its own copy of the names, so it needs nothing of
 * the picker's once started. */
struct env_probe {
	size_t count;
	struct fleet_row rows[ENVS_MAX];
};

struct env_picker {
	int wake_fd;
	bool open;
	size_t count;
	char names[ENVS_MAX][ENVS_NAME_MAX];
	char current[ENVS_NAME_MAX];
	size_t selected;
	struct job *job;
	struct env_probe *probe; /* the job's, read once it has ended */
	bool probed;             /* probe holds results */
};

/* The worst issue, on the line under its row: cut to one line of the
 * dialog at the smallest screen. */
#define ENV_PICKER_ISSUE 66

/* Jobs left probing when their picker was freed: reachable to the exit. */
static struct job *env_picker_left[4];

static int env_probe_work(struct job *job, void *arg)
{
	(void)job;
	struct env_probe *probe = arg;
	fleet_probe(probe->rows, probe->count);
	return 0;
}

struct env_picker *env_picker_new(int wake_fd)
{
	struct env_picker *p = xcalloc(1, sizeof(*p));
	p->wake_fd = wake_fd;
	return p;
}

static bool env_picker_job_done(const struct env_picker *p)
{
	struct job_progress progress;
	job_progress(p->job, &progress);
	return progress.state != JOB_RUNNING;
}

void env_picker_free(struct env_picker *p)
{
	if (p == NULL)
		return;
	if (p->job != NULL && !env_picker_job_done(p)) {
		for (size_t i = 0; i < sizeof(env_picker_left) / sizeof(env_picker_left[0]); i++)
			if (env_picker_left[i] == NULL) {
				env_picker_left[i] = p->job;
				break;
			}
		/* the probe stays with its job */
	} else {
		job_free(p->job);
		free(p->probe);
	}
	free(p);
}

/* The row of environment i: the probe's, once it is in. */
static const struct fleet_row *env_picker_row(const struct env_picker *p, size_t i)
{
	if (!p->probed)
		return NULL;
	for (size_t k = 0; k < p->probe->count; k++)
		if (strcmp(p->probe->rows[k].name, p->names[i]) == 0)
			return &p->probe->rows[k];
	return NULL;
}

static void env_picker_render(struct env_picker *p, struct ui_state *st)
{
	st->dialog = DIALOG_TEXT;
	text_copy(st->dialog_title, "Environments", sizeof(st->dialog_title));
	text_copy(st->dialog_footer, "Up/Down choose  Enter switch  Esc close",
	          sizeof(st->dialog_footer));
	size_t used = 0, size = sizeof(st->dialog_text);
	char *text = st->dialog_text;
	text[0] = '\0';
	for (size_t i = 0; i < p->count && used < size; i++) {
		const struct fleet_row *row = env_picker_row(p, i);
		char issue[ENV_PICKER_ISSUE + 4] = "";
		if (row != NULL && row->top_issue[0] != '\0') {
			sanitize_text(issue, sizeof(issue), row->top_issue);
			if (strlen(row->top_issue) > ENV_PICKER_ISSUE)
				strcpy(issue + ENV_PICKER_ISSUE - 3, "...");
		}
		used += (size_t)snprintf(text + used, size - used, "%s %-16s %-8s %-10s %s\n",
		                         i == p->selected ? ">" : " ", p->names[i],
		                         row ? overall_state_word(row->state) : "probing",
		                         row && row->version[0] ? row->version : "-",
		                         strcmp(p->names[i], p->current) == 0 ? "in use" : "");
		if (issue[0] != '\0' && used < size)
			used += (size_t)snprintf(text + used, size - used, "    %s\n", issue);
	}
	if (!p->probed && used < size)
		snprintf(text + used, size - used, "\nprobing every environment at once...\n");
}

void env_picker_open(struct env_picker *p, struct ui_state *st, const char *current)
{
	p->count = envs_list(p->names, ENVS_MAX);
	if (p->count == 0) {
		snprintf(st->message, sizeof(st->message),
		         "no environments: put NAME.conf in ~/.config/opsdeck/envs/ or "
		         "/etc/opsdeck/envs/");
		return;
	}
	text_copy(p->current, current ? current : "", sizeof(p->current));
	p->selected = 0;
	for (size_t i = 0; i < p->count; i++)
		if (strcmp(p->names[i], p->current) == 0)
			p->selected = i;
	p->open = true;
	/* a probe still running from the last opening goes on; else a new one */
	if (p->job == NULL || env_picker_job_done(p)) {
		job_free(p->job);
		p->job = NULL;
		struct env_probe *probe = xcalloc(1, sizeof(*probe));
		probe->count = p->count;
		for (size_t i = 0; i < p->count; i++)
			memcpy(probe->rows[i].name, p->names[i], ENVS_NAME_MAX);
		free(p->probe);
		p->probe = NULL;
		p->probed = false;
		p->job = job_start("environments", env_probe_work, probe, NULL, p->wake_fd);
		if (p->job == NULL)
			free(probe);
		else
			p->probe = probe;
	}
	env_picker_render(p, st);
}

bool env_picker_active(const struct env_picker *p)
{
	return p->open;
}

bool env_picker_key(struct env_picker *p, const struct ui_key_event *ev, struct ui_state *st,
                    char chosen[ENVS_NAME_MAX])
{
	bool quit = ev->key == UI_KEY_ESCAPE ||
	            (ev->key == UI_KEY_CHAR && (ev->ch == 'q' || ev->ch == 'e'));
	if (quit) {
		p->open = false;
		st->dialog = DIALOG_NONE;
		st->dialog_footer[0] = '\0';
		return false;
	}
	if (ev->key == UI_KEY_UP && p->selected > 0)
		p->selected--;
	else if (ev->key == UI_KEY_DOWN && p->selected + 1 < p->count)
		p->selected++;
	else if (ev->key == UI_KEY_ENTER) {
		if (strcmp(p->names[p->selected], p->current) == 0) {
			snprintf(st->message, sizeof(st->message), "%s is the environment in use",
			         p->current);
			return false;
		}
		text_copy(chosen, p->names[p->selected], ENVS_NAME_MAX);
		p->open = false;
		st->dialog = DIALOG_NONE;
		st->dialog_footer[0] = '\0';
		return true;
	}
	env_picker_render(p, st);
	return false;
}

void env_picker_poll(struct env_picker *p, struct ui_state *st)
{
	if (p->job == NULL || p->probed || !env_picker_job_done(p))
		return;
	p->probed = p->probe != NULL;
	if (p->open)
		env_picker_render(p, st);
}
