/* panels.c - layout, panels, header, key bar and dialogs drawn into a grid
 * (panels.h). Pure: everything comes from the view. */
#include "ui/panels.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/text.h"

static const char *const PANEL_TITLES[PANEL_COUNT] = {
    "Version", "Health", "Performance", "Slow queries", "Issues", "Activity",
};

const char *ui_panel_title(enum ui_panel panel)
{
	return (int)panel >= 0 && panel < PANEL_COUNT ? PANEL_TITLES[panel] : "?";
}

/* ---------------------------------------------------------------- layout */

static void ui_rect_set(struct ui_rect *r, int x, int y, int w, int h)
{
	r->x = x;
	r->y = y;
	r->w = w;
	r->h = h;
}

void ui_layout_compute(int width, int height, enum ui_panel focus, struct ui_layout *out)
{
	memset(out, 0, sizeof(*out));
	if (width < UI_MIN_WIDTH || height < UI_MIN_HEIGHT) {
		out->too_small = true;
		return;
	}
	int body_y = 1, body_h = height - 2;
	if (width < UI_FULL_WIDTH || height < UI_FULL_HEIGHT) {
		out->compact = true;
		ui_rect_set(&out->panels[focus], 0, body_y, width, body_h);
		return;
	}
	int extra = body_h - 22;
	int band1 = 12 + extra / 3;
	int band3 = 4 + extra / 4;
	int band2 = body_h - band1 - band3;
	int left = width / 2, right = width - left;
	int version_h = 5;
	ui_rect_set(&out->panels[PANEL_HEALTH], 0, body_y, left, band1);
	ui_rect_set(&out->panels[PANEL_VERSION], left, body_y, right, version_h);
	ui_rect_set(&out->panels[PANEL_PERFORMANCE], left, body_y + version_h, right,
	            band1 - version_h);
	ui_rect_set(&out->panels[PANEL_ISSUES], 0, body_y + band1, left, band2);
	ui_rect_set(&out->panels[PANEL_SLOW_QUERIES], left, body_y + band1, right, band2);
	ui_rect_set(&out->panels[PANEL_ACTIVITY], 0, body_y + band1 + band2, width, band3);
}

int ui_layout_hit(const struct ui_layout *layout, int x, int y)
{
	if (layout->too_small)
		return -1;
	for (int p = 0; p < PANEL_COUNT; p++) {
		const struct ui_rect *r = &layout->panels[p];
		if (r->w > 0 && x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return p;
	}
	return -1;
}

/* ---------------------------------------------------------------- states */

enum ui_severity { UI_SEV_NONE, UI_SEV_PENDING, UI_SEV_OK, UI_SEV_WARN, UI_SEV_CRIT };

struct ui_mark {
	enum ui_element element;
	const char *symbol_utf8;
	const char *symbol_ascii;
	const char *word;
};

static const struct ui_mark MARKS[] = {
    [UI_SEV_NONE] = {UI_DIM, "-", "-", "N/A"},
    [UI_SEV_PENDING] = {UI_UNKNOWN, "\xe2\x80\xa6", ".", "WAIT"},
    [UI_SEV_OK] = {UI_OK, "\xe2\x9c\x93", "+", "OK"},
    [UI_SEV_WARN] = {UI_WARNING, "!", "!", "WARN"},
    [UI_SEV_CRIT] = {UI_CRITICAL, "\xe2\x9c\x97", "x", "CRIT"},
};

static enum ui_severity ui_severity_of_state(enum check_state s)
{
	switch (s) {
	case CHECK_OK:
		return UI_SEV_OK;
	case CHECK_UNHEALTHY:
		return UI_SEV_CRIT;
	case CHECK_PENDING:
		return UI_SEV_PENDING;
	case CHECK_NOT_CONFIGURED:
	default:
		return UI_SEV_NONE;
	}
}

static enum ui_severity ui_severity_of_issue(enum issue_severity s)
{
	return s == SEVERITY_HIGH ? UI_SEV_CRIT : UI_SEV_WARN;
}

/* Which check an issue type is about, or -1. */
static int ui_issue_check(enum issue_type type)
{
	switch (type) {
	case ISSUE_DATABASE_DOWN:
	case ISSUE_CONNECTIONS:
	case ISSUE_IDLE_IN_TRANSACTION:
	case ISSUE_LOCK_WAITERS:
		return CHECK_ID_DATABASE;
	case ISSUE_REDIS_DOWN:
	case ISSUE_REDIS_MEMORY:
	case ISSUE_REDIS_EVICTIONS:
	case ISSUE_REDIS_BGSAVE:
		return CHECK_ID_REDIS;
	case ISSUE_APP_DOWN:
		return CHECK_ID_HEALTH;
	case ISSUE_STORAGE_FULL:
		return CHECK_ID_STORAGE;
	case ISSUE_VERSION_UNKNOWN:
	case ISSUE_VERSION_MISMATCH:
		return CHECK_ID_VERSION;
	default:
		return -1;
	}
}

/* The row's severity: the check's state, raised by the issues about it.
 * An unknown version is a warning, as for `check` and the Issues panel: the
 * app may serve fine, opsdeck only cannot tell what is deployed. */
static enum ui_severity ui_check_severity(const struct ui_view *v, enum check_id check,
                                          enum check_state state)
{
	enum ui_severity sev = ui_severity_of_state(state);
	if (check == CHECK_ID_VERSION && sev == UI_SEV_CRIT)
		sev = UI_SEV_WARN;
	if (v->diag == NULL || sev != UI_SEV_OK)
		return sev;
	for (int i = 0; i < v->diag->count; i++)
		if (ui_issue_check(v->diag->issues[i].type) == (int)check) {
			enum ui_severity s = ui_severity_of_issue(v->diag->issues[i].severity);
			if (s > sev)
				sev = s;
		}
	return sev;
}

/* Draws "✓ OK  " (symbol, word) and returns the columns used. */
static int ui_draw_mark(struct grid *g, const struct ui_view *v, int x, int y, int end,
                        enum ui_severity sev)
{
	const struct ui_mark *m = &MARKS[sev];
	int n = grid_put(g, x, y, end, v->utf8 ? m->symbol_utf8 : m->symbol_ascii, m->element);
	n += grid_put(g, x + n, y, end, " ", UI_NORMAL);
	n += grid_printf(g, x + n, y, end, m->element, "%-4s", m->word);
	return n;
}

/* ---------------------------------------------------------------- helpers */

static const char *ui_ellipsis(const struct ui_view *v)
{
	return v->utf8 ? "\xe2\x80\xa6" : "...";
}

static const char *ui_dot(const struct ui_view *v)
{
	return v->utf8 ? " \xc2\xb7 " : ", ";
}

static void ui_format_ms(char *dst, size_t size, double ms)
{
	if (ms < 0)
		snprintf(dst, size, "-");
	else if (ms < 10)
		snprintf(dst, size, "%.1f ms", ms);
	else if (ms < 10000)
		snprintf(dst, size, "%.0f ms", ms);
	else
		snprintf(dst, size, "%.1f s", ms / 1000.0);
}

static void ui_format_clock(char *dst, size_t size, int64_t wall_ms)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL || strftime(dst, size, "%H:%M:%S", &tm) == 0)
		snprintf(dst, size, "--:--:--");
}

/* A sparkline of n values over `width` columns; each column shows the
 * largest value it covers; negative values (no data) are blank. */
static void ui_draw_sparkline(struct grid *g, const struct ui_view *v, int x, int y, int width,
                              const double *values, int n)
{
	static const char *const BLOCKS[8] = {
	    "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	    "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
	};
	static const char ASCII[] = "_.-~=+*#";
	if (width <= 0 || n <= 0)
		return;
	int cols = n < width ? n : width;
	double max = 0;
	for (int i = 0; i < n; i++)
		if (values[i] > max)
			max = values[i];
	for (int c = 0; c < cols; c++) {
		int from = c * n / cols, to = (c + 1) * n / cols;
		double value = -1;
		for (int i = from; i < to; i++)
			if (values[i] > value)
				value = values[i];
		if (value < 0)
			continue;
		int level = max > 0 ? (int)lround(value / max * 7.0) : 0;
		if (level < 0)
			level = 0;
		if (level > 7)
			level = 7;
		char one[2] = {ASCII[level], '\0'};
		grid_put(g, x + c, y, x + width, v->utf8 ? BLOCKS[level] : one, UI_SPARKLINE);
	}
}

/* A usage bar: [#####.....] */
static void ui_draw_bar(struct grid *g, const struct ui_view *v, int x, int y, int width,
                        double percent, enum ui_element element)
{
	if (width < 3)
		return;
	int inner = width - 2;
	int filled = (int)lround(percent / 100.0 * inner);
	if (filled < 0)
		filled = 0;
	if (filled > inner)
		filled = inner;
	grid_put(g, x, y, x + width, "[", UI_DIM);
	grid_fill(g, x + 1, y, filled, 1, v->utf8 ? 0x2588 : '#', element);
	grid_fill(g, x + 1 + filled, y, inner - filled, 1, v->utf8 ? 0x00b7 : '.', UI_DIM);
	grid_put(g, x + width - 1, y, x + width, "]", UI_DIM);
}

/* Word-wraps text into lines of at most `width` columns (UTF-8 aware:
 * counts code points). Calls back for each line. */
struct ui_wrap_out {
	struct grid *g;
	int x, y, end, first, max_lines, line;
	enum ui_element element;
};

static int ui_utf8_columns(const char *s, size_t len)
{
	int cols = 0;
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	return cols;
}

static void ui_wrap_emit(struct ui_wrap_out *o, const char *s, size_t len)
{
	int visible = o->line - o->first;
	if (visible >= 0 && visible < o->max_lines) {
		char buf[1024];
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, s, len);
		buf[len] = '\0';
		grid_put(o->g, o->x, o->y + visible, o->end, buf, o->element);
	}
	o->line++;
}

/* Returns the number of wrapped lines; draws those from `first` on. */
static int ui_wrap(struct ui_wrap_out *o, const char *text, int width)
{
	if (width < 1)
		width = 1;
	const char *p = text;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t para = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (para == 0)
			ui_wrap_emit(o, "", 0);
		size_t pos = 0;
		while (pos < para) {
			/* take as many bytes as fit in width columns */
			size_t take = 0, last_space = 0;
			int cols = 0;
			while (pos + take < para && cols < width) {
				size_t clen = 1;
				while (pos + take + clen < para &&
				       ((unsigned char)p[pos + take + clen] & 0xc0) == 0x80)
					clen++;
				if (p[pos + take] == ' ')
					last_space = take;
				take += clen;
				cols++;
			}
			if (pos + take < para && p[pos + take] != ' ' && last_space > 0)
				take = last_space;
			ui_wrap_emit(o, p + pos, take);
			pos += take;
			while (pos < para && p[pos] == ' ')
				pos++;
		}
		p += para + (nl != NULL ? 1 : 0);
	}
	(void)ui_utf8_columns;
	return o->line;
}

/* The first row to show so that `selected` is visible in `rows` rows. */
static int ui_scroll_first(int selected, int rows, int count)
{
	if (rows <= 0 || count <= rows)
		return 0;
	int first = selected - rows + 1;
	if (first < 0)
		first = 0;
	if (first > count - rows)
		first = count - rows;
	return first;
}

/* ---------------------------------------------------------------- panels */

struct ui_area {
	int x, y, w, h; /* inside the border */
};

/* What a panel shows before it has figures: "waiting N s..." while its
 * probe is slow, "waiting for the first poll", "not configured: why", and,
 * when unhealthy_default is given, the error wrapped over the panel.
 * Returns true when it drew one of these (the panel has nothing else to
 * show). */
static bool ui_draw_placeholder(struct grid *g, const struct ui_view *v, struct ui_area a,
                                enum check_id which, const struct check_common *c,
                                const char *unhealthy_default)
{
	int end = a.x + a.w;
	if (c->state == CHECK_PENDING && v->waiting_ms[which] > 1000) {
		grid_printf(g, a.x, a.y, end, UI_WARNING, "waiting %.1f s%s",
		            (double)v->waiting_ms[which] / 1000.0, ui_ellipsis(v));
		return true;
	}
	switch (c->state) {
	case CHECK_PENDING:
		grid_printf(g, a.x, a.y, end, UI_UNKNOWN, "waiting for the first poll%s",
		            ui_ellipsis(v));
		return true;
	case CHECK_NOT_CONFIGURED:
		grid_printf(g, a.x, a.y, end, UI_DIM, "not configured: %s", c->error);
		return true;
	case CHECK_UNHEALTHY:
		if (!unhealthy_default)
			return false;
		struct ui_wrap_out o = {g, a.x, a.y, end, 0, a.h, 0, UI_WARNING};
		ui_wrap(&o, c->error[0] ? c->error : unhealthy_default, a.w);
		return true;
	case CHECK_OK:
		break;
	}
	return false;
}

static void ui_draw_version(struct grid *g, const struct ui_view *v, struct ui_area a)
{
	const struct version_status *ver = &v->snap->version;
	int end = a.x + a.w, y = a.y;
	if (ui_draw_placeholder(g, v, a, CHECK_ID_VERSION, &ver->check, NULL))
		return;
	enum ui_severity sev = ui_check_severity(v, CHECK_ID_VERSION, ver->check.state);
	int n = ui_draw_mark(g, v, a.x, y, end, sev);
	grid_printf(g, a.x + n + 1, y, end, UI_TITLE, "%s", ver->version);
	n += 2 + (int)strlen(ver->version);
	if (ver->build_number[0] != '\0')
		n += grid_printf(g, a.x + n, y, end, UI_NORMAL, "  build %s", ver->build_number);
	y++;
	if (y >= a.y + a.h)
		return;
	grid_printf(g, a.x, y++, end, UI_NORMAL, "commit %s%sbuilt %s",
	            ver->commit_hash[0] ? ver->commit_hash : "-", ui_dot(v),
	            ver->build_date[0] ? ver->build_date : "-");
	if (y >= a.y + a.h)
		return;
	const char *source = ver->source == VERSION_SOURCE_URL    ? "version_url"
	                     : ver->source == VERSION_SOURCE_FILE ? "version_file"
	                                                          : "nowhere";
	if (ver->file_version[0] != '\0' && ver->source == VERSION_SOURCE_URL &&
	    strcmp(ver->file_version, ver->version) != 0)
		grid_printf(g, a.x, y, end, UI_WARNING, "! version_file says %s: half-done deploy?",
		            ver->file_version);
	else if (ver->check.state != CHECK_OK)
		grid_printf(g, a.x, y, end, UI_CRITICAL, "%s",
		            ver->url_error[0] ? ver->url_error : ver->check.error);
	else if (ver->source == VERSION_SOURCE_FILE && ver->url_error[0] != '\0')
		grid_printf(g, a.x, y, end, UI_WARNING, "from version_file; version_url: %s",
		            ver->url_error);
	else
		grid_printf(g, a.x, y, end, UI_DIM, "from %s", source);
}

/* One Health row: mark, name, then latency and detail (or "waiting"). */
static void ui_health_row(struct grid *g, const struct ui_view *v, struct ui_area a, int y,
                          enum check_id check, const char *name, const struct check_common *c,
                          const char *detail)
{
	int end = a.x + a.w;
	enum ui_severity sev = ui_check_severity(v, check, c->state);
	int n = ui_draw_mark(g, v, a.x, y, end, sev);
	n += grid_printf(g, a.x + n, y, end, UI_NORMAL, " %-9.9s", name);
	int64_t waiting = v->waiting_ms[check];
	if (waiting > 1000) {
		grid_printf(g, a.x + n, y, end, UI_WARNING, " waiting %.1f s%s",
		            (double)waiting / 1000.0, ui_ellipsis(v));
		return;
	}
	char latency[32] = "";
	if (c->state == CHECK_OK || c->latency_ms >= 0)
		ui_format_ms(latency, sizeof(latency), c->latency_ms);
	n += grid_printf(g, a.x + n, y, end, UI_DIM, " %8s ", latency);
	if (c->state == CHECK_OK)
		grid_printf(g, a.x + n, y, end, UI_NORMAL, " %s", detail);
	else if (c->state == CHECK_PENDING)
		grid_printf(g, a.x + n, y, end, UI_UNKNOWN, " waiting for the first poll%s",
		            ui_ellipsis(v));
	else
		grid_printf(g, a.x + n, y, end, sev == UI_SEV_NONE ? UI_DIM : MARKS[sev].element,
		            " %s", c->error[0] ? c->error : check_state_name(c->state));
}

static void ui_draw_health(struct grid *g, const struct ui_view *v, struct ui_area a)
{
	const struct snapshot *s = v->snap;
	char detail[512];
	int y = a.y, bottom = a.y + a.h;
	const char *dot = ui_dot(v);

	const struct pg_status *pg = &s->database;
	snprintf(detail, sizeof(detail), "%d/%d conn%s%d active %d idle %d idle-in-tx",
	         pg->connections_total, pg->max_connections, dot, pg->connections_active,
	         pg->connections_idle, pg->connections_idle_in_tx);
	if (y < bottom)
		ui_health_row(g, v, a, y++, CHECK_ID_DATABASE, "database", &pg->check, detail);

	const struct redis_status *r = &s->redis;
	char used[32], max[32];
	text_format_bytes(used, sizeof(used), (uint64_t)(r->used_memory > 0 ? r->used_memory : 0));
	if (r->maxmemory > 0) {
		text_format_bytes(max, sizeof(max), (uint64_t)r->maxmemory);
		snprintf(detail, sizeof(detail), "mem %s / %s (%.0f%%)%s%lld clients", used, max,
		         100.0 * (double)r->used_memory / (double)r->maxmemory, dot,
		         (long long)r->connected_clients);
	} else {
		snprintf(detail, sizeof(detail), "mem %s (no maxmemory)%s%lld clients", used, dot,
		         (long long)r->connected_clients);
	}
	if (y < bottom)
		ui_health_row(g, v, a, y++, CHECK_ID_REDIS, "redis", &r->check, detail);

	const struct http_status *h = &s->health;
	snprintf(detail, sizeof(detail), "HTTP %ld", h->status_code);
	if (y < bottom)
		ui_health_row(g, v, a, y++, CHECK_ID_HEALTH, "app", &h->check, detail);

	const struct storage_status *st = &s->storage;
	if (st->check.state != CHECK_OK || st->path_count == 0) {
		if (y < bottom)
			ui_health_row(g, v, a, y++, CHECK_ID_STORAGE, "storage", &st->check, "");
		return;
	}
	for (int i = 0; i < st->path_count && y < bottom; i++, y++) {
		const struct disk_status *d = &st->paths[i];
		struct check_common c = st->check;
		c.state = d->state;
		text_copy(c.error, d->error, sizeof(c.error));
		if (i > 0)
			c.latency_ms = -1;
		int end = a.x + a.w;
		if (d->state != CHECK_OK || v->waiting_ms[CHECK_ID_STORAGE] > 1000) {
			ui_health_row(g, v, a, y, CHECK_ID_STORAGE, d->path, &c, "");
			continue;
		}
		/* only this path's issue ("storage_full:/srv") raises its row */
		enum ui_severity sev = ui_severity_of_state(d->state);
		for (int k = 0; v->diag != NULL && k < v->diag->count; k++) {
			const char *colon = strchr(v->diag->issues[k].id, ':');
			if (v->diag->issues[k].type == ISSUE_STORAGE_FULL && colon != NULL &&
			    strcmp(colon + 1, d->path) == 0 &&
			    ui_severity_of_issue(v->diag->issues[k].severity) > sev)
				sev = ui_severity_of_issue(v->diag->issues[k].severity);
		}
		if (d->used_percent >= st->max_used_percent && sev < UI_SEV_WARN)
			sev = UI_SEV_WARN;
		int n = ui_draw_mark(g, v, a.x, y, end, sev);
		n += grid_printf(g, a.x + n, y, end, UI_NORMAL, " %-9.9s", d->path);
		char latency[32] = "";
		if (i == 0)
			ui_format_ms(latency, sizeof(latency), c.latency_ms);
		n += grid_printf(g, a.x + n, y, end, UI_DIM, " %8s ", latency);
		int bar = a.w - n - 22;
		if (bar > 22)
			bar = 22;
		if (bar >= 5) {
			ui_draw_bar(g, v, a.x + n + 1, y, bar, d->used_percent,
			            sev >= UI_SEV_WARN ? MARKS[sev].element : UI_OK);
			n += bar + 1;
		}
		char total[32];
		text_format_bytes(total, sizeof(total), d->total_bytes);
		grid_printf(g, a.x + n, y, end, UI_NORMAL, " %.0f%% of %s", d->used_percent, total);
	}
}

static void ui_draw_performance(struct grid *g, const struct ui_view *v, struct ui_area a)
{
	const struct request_metrics *m = &v->snap->requests;
	int end = a.x + a.w, y = a.y, bottom = a.y + a.h;
	char window[32];
	text_format_duration(window, sizeof(window), m->window_ms);
	if (ui_draw_placeholder(g, v, a, CHECK_ID_DATABASE, &m->check, "request log unreadable"))
		return;
	if (m->requests == 0) {
		grid_printf(g, a.x, y++, end, UI_DIM, "no traffic in the last %s", window);
	} else {
		double minutes = (double)m->window_ms / 60000.0;
		int n = grid_printf(g, a.x, y, end, UI_NORMAL, "requests %lld/%s (%.1f/min)",
		                    (long long)m->requests, window,
		                    minutes > 0 ? (double)m->requests / minutes : 0);
		const struct diagnosis *d = v->diag;
		enum ui_element err_el = UI_OK;
		for (int i = 0; d != NULL && i < d->count; i++)
			if (d->issues[i].type == ISSUE_ERROR_RATE)
				err_el = d->issues[i].severity == SEVERITY_HIGH ? UI_CRITICAL
				                                                 : UI_WARNING;
		grid_printf(g, a.x + n, y, end, err_el, "%serrors %.1f%% (%lld)", ui_dot(v),
		            m->error_rate >= 0 ? m->error_rate * 100.0 : 0.0,
		            (long long)m->errors);
		y++;
		if (y < bottom) {
			char avg[32], p95[32], p99[32];
			ui_format_ms(avg, sizeof(avg), m->avg_ms);
			ui_format_ms(p95, sizeof(p95), m->p95_ms);
			ui_format_ms(p99, sizeof(p99), m->p99_ms);
			grid_printf(g, a.x, y++, end, UI_NORMAL, "avg %s%sp95 %s%sp99 %s", avg,
			            ui_dot(v), p95, ui_dot(v), p99);
		}
	}
	double values[SNAPSHOT_BUCKETS > HISTORY_LEN ? SNAPSHOT_BUCKETS : HISTORY_LEN];
	int count = m->bucket_count < SNAPSHOT_BUCKETS ? m->bucket_count : SNAPSHOT_BUCKETS;
	struct {
		const char *label;
		int kind;
	} lines[] = {{"req", 0}, {"avg", 1}, {"err", 2}, {"p95", 3}};
	for (size_t l = 0; l < sizeof(lines) / sizeof(lines[0]) && y < bottom; l++) {
		int n = 0;
		if (lines[l].kind == 3) {
			n = history_values(v->hist, HISTORY_P95, values, a.w - 5);
		} else {
			for (int i = 0; i < count; i++) {
				const struct request_bucket *b = &m->buckets[i];
				values[i] = lines[l].kind == 0   ? (double)b->requests
				            : lines[l].kind == 1 ? b->avg_ms
				                                 : (double)b->errors;
			}
			n = count;
		}
		if (n == 0)
			continue;
		grid_printf(g, a.x, y, end, UI_DIM, "%-4s", lines[l].label);
		ui_draw_sparkline(g, v, a.x + 4, y, a.w - 4, values, n);
		y++;
	}
	if (y < bottom && m->timestamp_index_missing)
		grid_printf(g, a.x, y, end, UI_WARNING, "! no index on \"timestamp\": %s",
		            m->index_hint);
}

static void ui_draw_slow_queries(struct grid *g, const struct ui_view *v, struct ui_area a,
                                 bool focused)
{
	const struct slow_query_status *sq = &v->snap->slow_queries;
	int end = a.x + a.w, y = a.y;
	if (ui_draw_placeholder(g, v, a, CHECK_ID_DATABASE, &sq->check,
	                        "pg_stat_statements unreadable"))
		return;
	if (sq->count == 0) {
		grid_printf(g, a.x, y, end, UI_OK, "no statement slower than %lld ms on average",
		            (long long)sq->threshold_ms);
		return;
	}
	grid_printf(g, a.x, y++, end, UI_DIM, "%9s %8s  %s", "mean", "calls", "query");
	int rows = a.h - 1;
	int sel = v->state->selected[PANEL_SLOW_QUERIES];
	int first = ui_scroll_first(sel, rows, sq->count);
	for (int i = first; i < sq->count && y < a.y + a.h; i++, y++) {
		const struct slow_query *q = &sq->items[i];
		char mean[32];
		ui_format_ms(mean, sizeof(mean), q->mean_ms);
		enum ui_element el = focused && i == sel ? UI_SELECTION : UI_NORMAL;
		grid_fill(g, a.x, y, a.w, 1, ' ', el);
		grid_printf(g, a.x, y, end, el, "%9s %8lld  %s", mean, (long long)q->calls,
		            q->text_hidden ? "<insufficient privilege>" : q->query);
	}
}

static void ui_draw_issues(struct grid *g, const struct ui_view *v, struct ui_area a,
                           bool focused)
{
	const struct diagnosis *d = v->diag;
	int end = a.x + a.w, y = a.y;
	if (d == NULL || d->count == 0) {
		if (v->last_refresh_ms == 0)
			grid_printf(g, a.x, y, end, UI_UNKNOWN, "waiting for the first poll%s",
			            ui_ellipsis(v));
		else
			grid_printf(g, a.x, y, end, UI_OK, "%s no issues",
			            v->utf8 ? MARKS[UI_SEV_OK].symbol_utf8 : "+");
		return;
	}
	int per = a.h >= 4 ? 2 : 1;
	int rows = a.h / per;
	int sel = v->state->selected[PANEL_ISSUES];
	int first = ui_scroll_first(sel, rows, d->count);
	for (int i = first; i < d->count && y + per <= a.y + a.h; i++) {
		const struct issue *is = &d->issues[i];
		enum ui_severity sev = ui_severity_of_issue(is->severity);
		bool selected = focused && i == sel;
		if (selected)
			grid_fill(g, a.x, y, a.w, 1, ' ', UI_SELECTION);
		int n = ui_draw_mark(g, v, a.x, y, end, sev);
		grid_printf(g, a.x + n, y, end, selected ? UI_SELECTION : UI_NORMAL, " %s",
		            is->message);
		y++;
		if (per == 2) {
			grid_printf(g, a.x, y, end, UI_DIM, "     %s %s", v->utf8 ? "\xe2\x86\x92" : "->",
			            is->recommendation);
			y++;
		}
	}
}

static void ui_draw_activity(struct grid *g, const struct ui_view *v, struct ui_area a)
{
	int end = a.x + a.w;
	if (v->activity == NULL || v->activity->count == 0) {
		grid_printf(g, a.x, a.y, end, UI_DIM, "no events yet");
		return;
	}
	int first = v->state->selected[PANEL_ACTIVITY];
	for (int row = 0; row < a.h; row++) {
		const struct activity_entry *e = activity_newest(v->activity, first + row);
		if (e == NULL)
			break;
		char clock[16];
		ui_format_clock(clock, sizeof(clock), e->at_ms);
		int n = grid_printf(g, a.x, a.y + row, end, UI_DIM, "%s  ", clock);
		grid_put(g, a.x + n, a.y + row, end, e->text, e->element);
	}
}

static void ui_draw_panel(struct grid *g, const struct ui_view *v, enum ui_panel p,
                          struct ui_rect r)
{
	bool focused = v->state->focus == p;
	char title[64];
	snprintf(title, sizeof(title), "%s%s", focused ? (v->utf8 ? "\xe2\x96\xb8 " : "> ") : "",
	         ui_panel_title(p));
	grid_fill(g, r.x, r.y, r.w, r.h, ' ', UI_NORMAL);
	grid_box(g, r.x, r.y, r.w, r.h, title, focused ? UI_FOCUS : UI_BORDER,
	         focused ? UI_FOCUS : UI_TITLE, v->utf8);
	struct ui_area a = {r.x + 2, r.y + 1, r.w - 4, r.h - 2};
	if (a.w <= 0 || a.h <= 0)
		return;
	switch (p) {
	case PANEL_VERSION:
		ui_draw_version(g, v, a);
		break;
	case PANEL_HEALTH:
		ui_draw_health(g, v, a);
		break;
	case PANEL_PERFORMANCE:
		ui_draw_performance(g, v, a);
		break;
	case PANEL_SLOW_QUERIES:
		ui_draw_slow_queries(g, v, a, focused);
		break;
	case PANEL_ISSUES:
		ui_draw_issues(g, v, a, focused);
		break;
	case PANEL_ACTIVITY:
		ui_draw_activity(g, v, a);
		break;
	case PANEL_COUNT:
		break;
	}
}

/* ---------------------------------------------------------------- frame */

static void ui_draw_header(struct grid *g, const struct ui_view *v)
{
	const struct snapshot *s = v->snap;
	const struct version_status *ver = &s->version;
	int end = g->width;
	grid_fill(g, 0, 0, g->width, 1, ' ', UI_HEADER);
	char text[512], age[32];
	const char *sep = v->utf8 ? " \xe2\x94\x82 " : " | ";
	int n = snprintf(text, sizeof(text), " opsdeck %s%s%s", v->program_version, sep,
	                 s->app_name[0] ? s->app_name : "app");
	if (v->environment != NULL && v->environment[0] != '\0' && n > 0 && n < (int)sizeof(text))
		n += snprintf(text + n, sizeof(text) - (size_t)n, " (%s)", v->environment);
	if (n > 0 && n < (int)sizeof(text) && ver->check.state == CHECK_OK)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%s%s%s%s%s%s%.10s", sep,
		              ver->version, ver->build_number[0] ? " #" : "", ver->build_number,
		              ver->commit_hash[0] ? " " : "", ver->commit_hash,
		              ver->build_date[0] ? " " : "");
	if (n > 0 && n < (int)sizeof(text) && ver->check.state == CHECK_OK && ver->build_date[0])
		n += snprintf(text + n, sizeof(text) - (size_t)n, "%.10s", ver->build_date);
	if (v->last_refresh_ms > 0) {
		int64_t ms = v->now_ms - v->last_refresh_ms;
		if (ms < 0)
			ms = 0;
		text_format_duration(age, sizeof(age), ms / 1000 * 1000);
		if (ms < 1000)
			snprintf(age, sizeof(age), "0 s");
	} else {
		snprintf(age, sizeof(age), "never");
	}
	char right[96];
	snprintf(right, sizeof(right), "%supdated %s%s ", v->state->paused ? "PAUSED  " : "",
	         age, v->last_refresh_ms > 0 ? " ago" : "");
	/* the age of the data matters more than the tail of the version */
	int rlen = (int)strlen(right);
	int left_end = g->width - rlen > g->width / 2 ? g->width - rlen - 1 : end;
	grid_put(g, 0, 0, left_end, text, UI_HEADER);
	if (left_end < end)
		grid_put(g, g->width - rlen, 0, end, right, UI_HEADER);
}

static void ui_draw_keybar(struct grid *g, const struct ui_view *v)
{
	int y = g->height - 1;
	grid_fill(g, 0, y, g->width, 1, ' ', UI_KEYBAR);
	if (v->state->message[0] != '\0') {
		grid_printf(g, 0, y, g->width, UI_KEYBAR, " %s", v->state->message);
		return;
	}
	char interval[32];
	text_format_duration(interval, sizeof(interval), v->state->interval_ms);
	struct {
		const char *key, *what;
	} keys[] = {
	    {"q", "Quit"},     {"?", "Help"},     {"Tab", "Focus"},   {"Enter", "Details"},
	    {"r", v->state->read_only ? "Recover(off)" : "Recover"},  {"b", "Backup"},   {"Spc", "Refresh"}, {"p", v->state->paused ? "Resume" : "Pause"},
	    {"+-", interval},  {"t", v->state->theme_name},
	};
	int x = 0;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		int need = (int)strlen(keys[i].key) + (int)strlen(keys[i].what) + 2;
		if (x + need > g->width)
			break;
		x += grid_printf(g, x, y, g->width, UI_KEYBAR, " %s", keys[i].key);
		x += grid_printf(g, x, y, g->width, UI_KEYBAR, " %s", keys[i].what);
	}
}

static void ui_draw_dialog(struct grid *g, const struct ui_view *v)
{
	const struct ui_state *st = v->state;
	const char *title = st->dialog == DIALOG_HELP ? "Help" : st->dialog_title;
	const char *text = st->dialog == DIALOG_HELP ? panels_help_text(v->utf8) : st->dialog_text;
	char help[UI_DIALOG_TEXT];
	if (st->dialog == DIALOG_HELP && st->read_only) {
		/* The r line says it is disabled, and why. */
		const char *line = strstr(text, "guided recovery for the selected issue");
		if (line != NULL) {
			snprintf(help, sizeof(help), "%.*sDISABLED (read-only mode): %s", (int)(line - text),
			         text, line);
			text = help;
		}
	}
	int w = g->width - 4 < 78 ? g->width - 4 : 78;
	if (w < 20)
		w = g->width;
	/* count the wrapped lines without drawing */
	struct ui_wrap_out count = {g, 0, 0, 0, 0, 0, 0, UI_DIALOG};
	int lines = ui_wrap(&count, text, w - 4);
	int h = lines + 4;
	if (h > g->height - 2)
		h = g->height - 2;
	int x = (g->width - w) / 2, y = (g->height - h) / 2;
	grid_fill(g, x, y, w, h, ' ', UI_DIALOG);
	grid_box(g, x, y, w, h, title, UI_DIALOG, UI_DIALOG, v->utf8);
	int rows = h - 4;
	int first = st->dialog_scroll;
	if (first > lines - rows)
		first = lines - rows;
	if (first < 0)
		first = 0;
	struct ui_wrap_out o = {g, x + 2, y + 1, x + w - 2, first, rows, 0, UI_DIALOG};
	ui_wrap(&o, text, w - 4);
	const char *footer = lines > rows ? "Esc close  Up/Down scroll" : "Esc close";
	if (st->dialog == DIALOG_TEXT && st->dialog_footer[0] != '\0')
		footer = st->dialog_footer;
	grid_printf(g, x + 2, y + h - 2, x + w - 2, UI_DIALOG, "%s", footer);
}

void panels_draw(struct grid *g, const struct ui_view *v)
{
	grid_clear(g, UI_NORMAL);
	struct ui_layout layout;
	ui_layout_compute(g->width, g->height, v->state->focus, &layout);
	if (layout.too_small) {
		grid_printf(g, 0, 0, g->width, UI_WARNING, "terminal too small");
		grid_printf(g, 0, 1, g->width, UI_NORMAL, "%dx%d, need %dx%d", g->width, g->height,
		            UI_MIN_WIDTH, UI_MIN_HEIGHT);
		grid_printf(g, 0, 2, g->width, UI_DIM, "q quits");
		return;
	}
	ui_draw_header(g, v);
	for (int p = 0; p < PANEL_COUNT; p++)
		if (layout.panels[p].w > 0)
			ui_draw_panel(g, v, (enum ui_panel)p, layout.panels[p]);
	ui_draw_keybar(g, v);
	if (v->state->dialog != DIALOG_NONE)
		ui_draw_dialog(g, v);
}

int panels_row_count(const struct ui_view *v, enum ui_panel panel)
{
	switch (panel) {
	case PANEL_SLOW_QUERIES:
		return v->snap->slow_queries.check.state == CHECK_OK ? v->snap->slow_queries.count
		                                                     : 0;
	case PANEL_ISSUES:
		return v->diag != NULL ? v->diag->count : 0;
	case PANEL_ACTIVITY:
		return v->activity != NULL ? v->activity->count : 0;
	default:
		return 0;
	}
}

int panels_details(const struct ui_view *v, char *title, size_t title_size, char *text,
                   size_t text_size)
{
	int sel = v->state->selected[v->state->focus];
	switch (v->state->focus) {
	case PANEL_SLOW_QUERIES: {
		const struct slow_query_status *sq = &v->snap->slow_queries;
		if (sq->check.state != CHECK_OK || sel < 0 || sel >= sq->count)
			return -1;
		const struct slow_query *q = &sq->items[sel];
		snprintf(title, title_size, "Slow query %d of %d", sel + 1, sq->count);
		snprintf(text, text_size, "mean %.1f ms, %lld calls, %.0f ms in total\n\n%s",
		         q->mean_ms, (long long)q->calls, q->total_ms,
		         q->text_hidden ? "<insufficient privilege: the server hides the text>"
		                        : q->query);
		return 0;
	}
	case PANEL_ISSUES: {
		if (v->diag == NULL || sel < 0 || sel >= v->diag->count)
			return -1;
		const struct issue *is = &v->diag->issues[sel];
		snprintf(title, title_size, "Issue: %s", ISSUE_TYPES[is->type].name);
		char actions[128] = "";
		for (int i = 0; i < is->action_count; i++) {
			size_t len = strlen(actions);
			snprintf(actions + len, sizeof(actions) - len, "%s%s", i ? ", " : "",
			         is->actions[i]);
		}
		snprintf(text, text_size, "Severity: %s\n\n%s\n\nWhat to do: %s\n\nSuggested actions: %s",
		         issue_severity_name(is->severity), is->message, is->recommendation,
		         actions[0] ? actions : "none");
		return 0;
	}
	case PANEL_ACTIVITY: {
		const struct activity_entry *e =
		    v->activity != NULL ? activity_newest(v->activity, sel) : NULL;
		if (e == NULL)
			return -1;
		char clock[16];
		ui_format_clock(clock, sizeof(clock), e->at_ms);
		snprintf(title, title_size, "Activity at %s", clock);
		snprintf(text, text_size, "%s", e->text);
		return 0;
	}
	default:
		return -1;
	}
}

const char *panels_help_text(bool utf8)
{
	if (utf8)
		return "q          quit (in a dialog: close it)\n"
		       "?          this help\n"
		       "Tab        focus the next panel; Shift-Tab the previous one\n"
		       "\xe2\x86\x91 \xe2\x86\x93        move in the focused panel; PgUp/PgDn a page\n"
		       "Enter      details: a slow query's full text, an issue's recommendation\n"
		       "r          guided recovery for the selected issue\n"
		       "b          backup menu\n"
		       "space      refresh every check now\n"
		       "p          pause or resume refreshing\n"
		       "+ / -      refresh less / more often\n"
		       "t          next theme\n"
		       "Esc        close a dialog\n"
		       "mouse      click a panel to focus it\n"
		       "\n"
		       "States: \xe2\x9c\x93 OK  ! WARN  \xe2\x9c\x97 CRIT  \xe2\x80\xa6 WAIT (first poll)  - N/A "
		       "(not configured)";
	return "q          quit (in a dialog: close it)\n"
	       "?          this help\n"
	       "Tab        focus the next panel; Shift-Tab the previous one\n"
	       "Up/Down    move in the focused panel; PgUp/PgDn a page\n"
	       "Enter      details: a slow query's full text, an issue's recommendation\n"
	       "r          guided recovery for the selected issue\n"
	       "b          backup menu\n"
	       "space      refresh every check now\n"
	       "p          pause or resume refreshing\n"
	       "+ / -      refresh less / more often\n"
	       "t          next theme\n"
	       "Esc        close a dialog\n"
	       "mouse      click a panel to focus it\n"
	       "\n"
	       "States: + OK  ! WARN  x CRIT  . WAIT (first poll)  - N/A (not configured)";
}
