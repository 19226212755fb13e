/* exporter.c - the Prometheus exporter (exporter.h). */
#include "serve/exporter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"
#include "history/inspect.h"
#include "history/timeline.h"
#include "diag/diagnose.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/metrics.h"
#include "ui/workers.h"
#include "util/clock.h"
#include "util/text.h"
#include "util/xalloc.h"

/* One configuration's probe threads and what the diagnosis keeps between
 * their polls. */
struct exporter_poller {
	struct config *cfg;
	struct workers *workers;
	uint64_t seen[CHECK_COUNT]; /* generations already taken */
	struct snapshot previous;   /* the snapshot before the latest page */
	bool have_previous;
	struct deploy_status deploy; /* the last deploy (model/deploy.h) */
};

struct exporter {
	struct exporter_poller *poller;
	struct metrics_page *page;
	struct http_server *http;
	int wake[2];
	struct workers_view *view; /* scratch for exporter_publish */
	struct diagnosis *diagnosis;
	/* read by the HTTP thread (/healthz) */
	atomic_llong last_probe_ms; /* monotonic end of the newest probe, or the start */
	atomic_llong stalled_after_ms;
};

/* Pollers whose threads outlived a stop, with the configuration they
 * read: kept, reachable, until the process exits. */
static struct exporter_poller *exporter_left_running[8];

static const char METRICS_TYPE[] = "text/plain; version=0.0.4; charset=utf-8";

static void exporter_answer_metrics(void *ctx, struct http_reply *reply)
{
	struct exporter *e = ctx;
	reply->content_type = METRICS_TYPE;
	if (metrics_page_render(e->page, clock_monotonic_ms(), &reply->body) < 0) {
		reply->status = 503;
		reply->content_type = "text/plain; charset=utf-8";
		strbuf_puts(&reply->body, "no poll has completed yet\n");
	}
}

static void exporter_answer_healthz(void *ctx, struct http_reply *reply)
{
	struct exporter *e = ctx;
	int64_t quiet = clock_monotonic_ms() - atomic_load(&e->last_probe_ms);
	reply->content_type = "text/plain; charset=utf-8";
	if (quiet <= atomic_load(&e->stalled_after_ms)) {
		strbuf_puts(&reply->body, "ok\n");
		return;
	}
	reply->status = 503;
	strbuf_printf(&reply->body, "no probe has completed for %lld s\n",
	              (long long)(quiet / 1000));
}

static const struct http_route EXPORTER_ROUTES[] = {
    {"/metrics", exporter_answer_metrics},
    {"/healthz", exporter_answer_healthz},
};

static int64_t exporter_interval(const struct config *cfg)
{
	return cfg->ui.interval_ms > 0 ? cfg->ui.interval_ms : 2000;
}

static struct exporter_poller *exporter_poller_start(struct config *cfg, int wake_fd, char *err,
                                                     size_t errlen)
{
	struct exporter_poller *p = xcalloc(1, sizeof(*p));
	p->cfg = cfg;
	snapshot_init(&p->previous);
	if (cfg->history.enabled)
		history_last_deploy(cfg->history.dir, clock_wall_ms(), &p->deploy);
	if (workers_start(&p->workers, cfg, exporter_interval(cfg), EXPORTER_SELDOM_MS, wake_fd,
	                  err, errlen) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

#define EXPORTER_LEFT_MAX (sizeof(exporter_left_running) / sizeof(exporter_left_running[0]))

/* Stops p's threads, waiting up to wait_ms; frees p and its configuration,
 * or keeps them reachable when a probe is still running. */
static void exporter_poller_stop(struct exporter_poller *p, int64_t wait_ms)
{
	if (p == NULL)
		return;
	if (workers_stop(p->workers, wait_ms) < 0) {
		for (size_t i = 0; i < EXPORTER_LEFT_MAX; i++) {
			if (exporter_left_running[i] == NULL) {
				exporter_left_running[i] = p;
				return;
			}
		}
		return; /* more than that: leaked, which the exit ends */
	}
	config_free(p->cfg);
	free(p->cfg);
	free(p);
}

static void exporter_set_limits(struct exporter *e, const struct config *cfg)
{
	atomic_store(&e->stalled_after_ms,
	             2 * exporter_interval(cfg) + 2 * cfg->app.timeout_ms + 1000);
}

int exporter_start(struct exporter **out, struct config *cfg, const char *listen, char *bound,
                   size_t boundlen, char *err, size_t errlen)
{
	*out = NULL;
	struct exporter *e = xcalloc(1, sizeof(*e));
	e->wake[0] = e->wake[1] = -1;
	e->page = metrics_page_new();
	e->view = xmalloc(sizeof(*e->view));
	e->diagnosis = xmalloc(sizeof(*e->diagnosis));
	atomic_store(&e->last_probe_ms, clock_monotonic_ms());
	exporter_set_limits(e, cfg);
	if (pipe2(e->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "cannot create a pipe: %s", strerror(errno));
		goto fail;
	}
	int fd = listen_open(listen, bound, boundlen, err, errlen);
	if (fd < 0)
		goto fail;
	if (http_server_start(&e->http, fd, EXPORTER_ROUTES,
	                      sizeof(EXPORTER_ROUTES) / sizeof(EXPORTER_ROUTES[0]), e, err,
	                      errlen) < 0)
		goto fail;
	e->poller = exporter_poller_start(cfg, e->wake[1], err, errlen);
	if (e->poller == NULL)
		goto fail;
	*out = e;
	return 0;
fail:
	config_free(cfg);
	free(cfg);
	exporter_stop(e);
	return -1;
}

int exporter_wake_fd(const struct exporter *e)
{
	return e->wake[0];
}

/* Whether every row polled every time has completed a probe. */
static bool exporter_poll_complete(const struct workers_view *v)
{
	for (size_t i = 0; i < CHECK_COUNT; i++)
		if (CHECKS[i]->probe && CHECKS[i]->schedule == CHECK_EVERY_POLL &&
		    v->generation[i] == 0)
			return false;
	return true;
}

bool exporter_publish(struct exporter *e)
{
	char drain[64];
	while (read(e->wake[0], drain, sizeof(drain)) > 0)
		;
	struct exporter_poller *p = e->poller;
	struct workers_view *v = e->view;
	workers_copy(p->workers, v);
	bool changed = false;
	int64_t newest = 0, slowest = 0;
	struct metrics_probe_times times;
	for (size_t i = 0; i < CHECK_COUNT; i++) {
		changed |= v->generation[i] != p->seen[i];
		p->seen[i] = v->generation[i];
		times.finished_at_ms[i] = v->finished_at_ms[i];
		times.duration_ms[i] = v->duration_ms[i];
		if (v->finished_at_ms[i] > newest)
			newest = v->finished_at_ms[i];
		if (CHECKS[i]->schedule == CHECK_EVERY_POLL && v->duration_ms[i] > slowest)
			slowest = v->duration_ms[i];
	}
	if (newest > 0)
		atomic_store(&e->last_probe_ms, newest);
	if (!changed || !exporter_poll_complete(v))
		return false;
	struct snapshot *s = &v->snap;
	text_copy(s->app_name, p->cfg->app.name, sizeof(s->app_name));
	s->taken_at_ms = v->published_at_ms;
	s->duration_ms = slowest;
	history_inspect(p->cfg, &s->history); /* the recorder's state, for the page */
	deploy_track(&p->deploy, p->have_previous ? &p->previous : NULL, s, e->diagnosis);
	diagnose(s, p->have_previous ? &p->previous : NULL, p->cfg, e->diagnosis);
	deploy_note_problems(&p->deploy, e->diagnosis, s->taken_at_ms);
	metrics_page_update(e->page, s, e->diagnosis, &times);
	p->previous = *s;
	p->have_previous = true;
	return true;
}

const struct diagnosis *exporter_diagnosis(const struct exporter *e)
{
	return e->diagnosis;
}

int exporter_reload(struct exporter *e, struct config *cfg, char *err, size_t errlen)
{
	struct exporter_poller *fresh = exporter_poller_start(cfg, e->wake[1], err, errlen);
	if (fresh == NULL) {
		config_free(cfg);
		free(cfg);
		return -1;
	}
	struct exporter_poller *old = e->poller;
	e->poller = fresh;
	exporter_set_limits(e, cfg);
	atomic_store(&e->last_probe_ms, clock_monotonic_ms());
	exporter_poller_stop(old, old->cfg->app.timeout_ms + 1000);
	return 0;
}

int exporter_stop(struct exporter *e)
{
	if (e == NULL)
		return 0;
	http_server_stop(e->http);
	exporter_poller_stop(e->poller, 300);
	metrics_page_free(e->page);
	/* threads left in a probe still write to the pipe: it stays open for
	 * them (the exit closes it), so they never write into a reused fd */
	for (int i = 0; i < 2 && exporter_left_running[0] == NULL; i++)
		if (e->wake[i] >= 0)
			close(e->wake[i]);
	free(e->view);
	free(e->diagnosis);
	free(e);
	return exporter_left_running[0] == NULL ? 0 : -1;
}
