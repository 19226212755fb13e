/* panel.c - the drawing helpers the panels share (panel.h): severity
 * marks, number and time formats, word wrap, sparklines, bars and the
 * placeholder of a panel whose check has no figures yet. Pure. */
#include "ui/panel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct ui_mark {
	enum ui_element element;
	const char *symbol_utf8;
	const char *symbol_ascii;
	const char *word;
	const char *overall; /* the word of the header's overall state */
	const char *legend;  /* what the help screen adds after the word */
};

static const struct ui_mark MARKS[] = {
    [UI_SEV_NONE] = {UI_DIM, "-", "-", "N/A", "NOT CONFIGURED", " (not configured)"},
    [UI_SEV_PENDING] = {UI_UNKNOWN, "\xe2\x80\xa6", ".", "WAIT", "WAITING", " (first poll)"},
    [UI_SEV_OK] = {UI_OK, "\xe2\x9c\x93", "+", "OK", "OK", ""},
    [UI_SEV_WARN] = {UI_WARNING, "!", "!", "WARN", "WARNING", ""},
    [UI_SEV_CRIT] = {UI_CRITICAL, "\xe2\x9c\x97", "x", "CRIT", "CRITICAL", ""},
};

enum ui_severity panel_severity_of_state(enum check_state s)
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

enum ui_severity panel_severity_of_issue(enum issue_severity s)
{
	return s == SEVERITY_HIGH ? UI_SEV_CRIT : UI_SEV_WARN;
}

/* Which check an issue type is about, or -1. */
static int panel_issue_check(enum issue_type type)
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

/* An unknown version is a warning, as for `check` and the Issues panel: the
 * app may serve fine, opsdeck only cannot tell what is deployed. */
enum ui_severity panel_check_severity(const struct ui_view *v, enum check_id check,
                                      enum check_state state)
{
	enum ui_severity sev = panel_severity_of_state(state);
	if (check == CHECK_ID_VERSION && sev == UI_SEV_CRIT)
		sev = UI_SEV_WARN;
	if (v->diag == NULL || sev != UI_SEV_OK)
		return sev;
	for (int i = 0; i < v->diag->count; i++)
		if (panel_issue_check(v->diag->issues[i].type) == (int)check) {
			enum ui_severity s = panel_severity_of_issue(v->diag->issues[i].severity);
			if (s > sev)
				sev = s;
		}
	return sev;
}

enum ui_element panel_mark_element(enum ui_severity sev)
{
	return MARKS[sev].element;
}

const char *panel_mark_symbol(const struct ui_view *v, enum ui_severity sev)
{
	return v->utf8 ? MARKS[sev].symbol_utf8 : MARKS[sev].symbol_ascii;
}

const char *panel_mark_word(enum ui_severity sev)
{
	return MARKS[sev].word;
}

const char *panel_mark_overall(enum ui_severity sev)
{
	return MARKS[sev].overall;
}

int panel_draw_mark(struct grid *g, const struct ui_view *v, int x, int y, int end,
                    enum ui_severity sev)
{
	const struct ui_mark *m = &MARKS[sev];
	int n = grid_put(g, x, y, end, panel_mark_symbol(v, sev), m->element);
	n += grid_put(g, x + n, y, end, " ", UI_NORMAL);
	n += grid_printf(g, x + n, y, end, m->element, "%-4s", panel_mark_word(sev));
	return n;
}

void panel_marks_legend(char *dst, size_t size, bool utf8)
{
	static const enum ui_severity ORDER[] = {UI_SEV_OK, UI_SEV_WARN, UI_SEV_CRIT,
	                                         UI_SEV_PENDING, UI_SEV_NONE};
	size_t len = 0;
	int n = snprintf(dst, size, "States:");
	for (size_t i = 0; i < sizeof(ORDER) / sizeof(ORDER[0]) && n >= 0; i++) {
		len += (size_t)n;
		if (len >= size)
			return;
		const struct ui_mark *m = &MARKS[ORDER[i]];
		n = snprintf(dst + len, size - len, "%s%s %s%s", i == 0 ? " " : "  ",
		             utf8 ? m->symbol_utf8 : m->symbol_ascii, m->word, m->legend);
	}
}

const char *panel_ellipsis(const struct ui_view *v)
{
	return v->utf8 ? "\xe2\x80\xa6" : "...";
}

const char *panel_dot(const struct ui_view *v)
{
	return v->utf8 ? " \xc2\xb7 " : ", ";
}

int panel_draw_fields(struct grid *g, const struct ui_view *v, int x, int y, int width,
                      const struct fit_field *fields, int n, struct fit_place *places)
{
	struct fit_place own[FIT_MAX_FIELDS];
	if (places == NULL)
		places = own;
	if (width <= 0)
		return 0;
	int used = fit_fields(fields, n, width, places);
	const char *ellipsis = panel_ellipsis(v);
	int ell = fit_text_width(ellipsis);
	bool any = false;
	for (int i = 0; i < n && i < FIT_MAX_FIELDS; i++) {
		const struct fit_place *p = &places[i];
		if (!p->shown)
			continue;
		int at = x + p->x, end = at + p->width;
		if (any && fields[i].separator != NULL)
			grid_put(g, at - fields[i].gap, y, at, fields[i].separator,
			         fields[i].element);
		any = true;
		if (!p->cut) {
			grid_put(g, at, y, end, p->text, fields[i].element);
			continue;
		}
		int n_text =
		    grid_put(g, at, y, end - ell > at ? end - ell : at, p->text, fields[i].element);
		grid_put(g, at + n_text, y, end, ellipsis, fields[i].element);
	}
	return used;
}

void panel_format_ms(char *dst, size_t size, double ms)
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

void panel_format_clock(char *dst, size_t size, int64_t wall_ms)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm) == NULL || strftime(dst, size, "%H:%M:%S", &tm) == 0)
		snprintf(dst, size, "--:--:--");
}

void panel_draw_sparkline(struct grid *g, const struct ui_view *v, int x, int y, int width,
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

void panel_draw_bar(struct grid *g, const struct ui_view *v, int x, int y, int width,
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

static void panel_wrap_emit(struct ui_wrap_out *o, const char *s, size_t len)
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

int panel_wrap(struct ui_wrap_out *o, const char *text, int width)
{
	if (width < 1)
		width = 1;
	const char *p = text;
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t para = nl != NULL ? (size_t)(nl - p) : strlen(p);
		if (para == 0)
			panel_wrap_emit(o, "", 0);
		size_t pos = 0;
		while (pos < para) {
			/* take as many bytes as fit in width columns */
			/* a break goes at a space after a word, never in an
			 * indent */
			size_t take = 0, last_space = 0;
			int cols = 0;
			bool word = false;
			while (pos + take < para && cols < width) {
				size_t clen = 1;
				while (pos + take + clen < para &&
				       ((unsigned char)p[pos + take + clen] & 0xc0) == 0x80)
					clen++;
				if (p[pos + take] == ' ' && word)
					last_space = take;
				word = word || p[pos + take] != ' ';
				take += clen;
				cols++;
			}
			if (pos + take < para && p[pos + take] != ' ' && last_space > 0)
				take = last_space;
			panel_wrap_emit(o, p + pos, take);
			pos += take;
			while (pos < para && p[pos] == ' ')
				pos++;
		}
		p += para + (nl != NULL ? 1 : 0);
	}
	return o->line;
}

int panel_scroll_first(int selected, int rows, int count)
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

bool panel_draw_placeholder(struct grid *g, const struct ui_view *v, struct ui_area a,
                            enum check_id which, const struct check_common *c,
                            const char *unhealthy_default)
{
	int end = a.x + a.w;
	if (c->state == CHECK_PENDING && v->waiting_ms[which] > 1000) {
		grid_printf(g, a.x, a.y, end, UI_WARNING, "waiting %.1f s%s",
		            (double)v->waiting_ms[which] / 1000.0, panel_ellipsis(v));
		return true;
	}
	switch (c->state) {
	case CHECK_PENDING:
		grid_printf(g, a.x, a.y, end, UI_UNKNOWN, "waiting for the first poll%s",
		            panel_ellipsis(v));
		return true;
	case CHECK_NOT_CONFIGURED:
		grid_printf(g, a.x, a.y, end, UI_DIM, "not configured: %s", c->error);
		return true;
	case CHECK_UNHEALTHY:
		if (!unhealthy_default)
			return false;
		struct ui_wrap_out o = {g, a.x, a.y, end, 0, a.h, 0, UI_WARNING};
		panel_wrap(&o, c->error[0] ? c->error : unhealthy_default, a.w);
		return true;
	case CHECK_OK:
		break;
	}
	return false;
}
