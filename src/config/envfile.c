/* envfile.c - read an app's .env file (see envfile.h).
 *
 * The file belongs to the app, so the syntax follows what the app's dotenv
 * library accepts (NAME=value, "export", quotes that may span lines), but a
 * line that is none of these is an error with its line number rather than
 * being skipped: a skipped DATABASE_URL would surface later as a baffling
 * "not configured".
 */
#include "config/envfile.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/redact.h"
#include "util/file.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define ENVFILE_MAX_LINE 65536
#define ENVFILE_MAX_SIZE (4 * 1024 * 1024)

struct envfile_var {
	char *name;
	char *value;
	int line;
};

struct envfile {
	struct envfile_var *vars;
	size_t count;
};

struct env_parser {
	const char *name;
	const char *p;
	int line;
	char *err;
	size_t errlen;
};

static void fail_at(struct env_parser *ps, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_at(struct env_parser *ps, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->name, line, msg);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool at_eol(const char *p)
{
	return *p == '\0' || *p == '\n' || (p[0] == '\r' && p[1] == '\n');
}

static void skip_blanks(struct env_parser *ps)
{
	while (is_blank(*ps->p))
		ps->p++;
}

/* Moves past the end of the current line. */
static void next_line(struct env_parser *ps)
{
	while (*ps->p && *ps->p != '\n')
		ps->p++;
	if (*ps->p == '\n') {
		ps->p++;
		ps->line++;
	}
}

/* Checks the physical lines once, before parsing: length, and control
 * characters other than tab (a CR only as part of CRLF). */
static int check_lines(struct env_parser *ps, const char *text)
{
	int line = 1;
	size_t len = 0;
	for (const char *c = text; *c; c++) {
		if (*c == '\n') {
			line++;
			len = 0;
			continue;
		}
		if (++len > ENVFILE_MAX_LINE) {
			fail_at(ps, line, "line is longer than %d bytes", ENVFILE_MAX_LINE);
			return -1;
		}
		if (*c == '\r' && c[1] == '\n')
			continue;
		if ((unsigned char)*c < 0x20 && *c != '\t') {
			fail_at(ps, line, "control character (byte 0x%02x) in the line",
			        (unsigned char)*c);
			return -1;
		}
	}
	return 0;
}

/* A quoted value, which may span lines. Double quotes take \n, \r, \t,
 * \" and \\ escapes; single quotes and backticks are literal. */
static int parse_quoted(struct env_parser *ps, const char *name, struct strbuf *value)
{
	char quote = *ps->p++;
	int opened = ps->line;
	for (;;) {
		char c = *ps->p;
		if (c == '\0') {
			fail_at(ps, opened, "unterminated %s quote in the value of %s",
			        quote == '"'    ? "double"
			        : quote == '\'' ? "single"
			                        : "back",
			        name);
			return -1;
		}
		ps->p++;
		if (c == quote)
			break;
		if (c == '\r' && *ps->p == '\n')
			continue; /* CRLF inside a multi-line value becomes LF */
		if (c == '\n')
			ps->line++;
		if (c == '\\' && quote == '"') {
			char e = *ps->p;
			if (e == 'n' || e == 'r' || e == 't' || e == '"' || e == '\\') {
				ps->p++;
				strbuf_putc(value, e == 'n'   ? '\n'
				                   : e == 'r' ? '\r'
				                   : e == 't' ? '\t'
				                              : e);
				continue;
			}
		}
		strbuf_putc(value, c);
	}
	skip_blanks(ps);
	if (!at_eol(ps->p) && *ps->p != '#') {
		fail_at(ps, ps->line, "unexpected text after the closing quote of %s", name);
		return -1;
	}
	return 0;
}

/* A bare value: up to the end of the line, without a " #comment" and
 * without trailing blanks. */
static void parse_bare(struct env_parser *ps, struct strbuf *value)
{
	const char *start = ps->p;
	const char *end = start;
	while (!at_eol(end)) {
		if (*end == '#' && (end == start || is_blank(end[-1])))
			break;
		end++;
	}
	while (end > start && is_blank(end[-1]))
		end--;
	strbuf_append(value, start, (size_t)(end - start));
}

static int parse_assignment(struct env_parser *ps, struct envfile *env)
{
	int line = ps->line;
	if (strncmp(ps->p, "export", 6) == 0 && is_blank(ps->p[6])) {
		ps->p += 6;
		skip_blanks(ps);
	}
	const char *name_start = ps->p;
	if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
		while (isalnum((unsigned char)*ps->p) || *ps->p == '_' || *ps->p == '.' ||
		       *ps->p == '-')
			ps->p++;
	}
	size_t name_len = (size_t)(ps->p - name_start);
	if (name_len == 0) {
		/* The line is not quoted back: it might be a stray secret. */
		fail_at(ps, line, "expected NAME=value");
		return -1;
	}
	char *name = xstrndup(name_start, name_len);
	skip_blanks(ps);
	if (*ps->p != '=') {
		/* Nor is a name without '=': it might be a stray secret too. */
		fail_at(ps, line, "expected NAME=value");
		free(name);
		return -1;
	}
	ps->p++;
	skip_blanks(ps);
	struct strbuf value;
	strbuf_init(&value, 0);
	if (*ps->p == '"' || *ps->p == '\'' || *ps->p == '`') {
		if (parse_quoted(ps, name, &value) < 0) {
			strbuf_free(&value);
			free(name);
			return -1;
		}
	} else {
		parse_bare(ps, &value);
	}
	env->vars = xrealloc(env->vars, (env->count + 1) * sizeof(*env->vars));
	env->vars[env->count].name = name;
	env->vars[env->count].value = strbuf_take(&value);
	env->vars[env->count].line = line;
	env->count++;
	strbuf_free(&value);
	next_line(ps);
	return 0;
}

struct envfile *envfile_parse(const char *name, const char *text, char *err, size_t errlen)
{
	struct env_parser ps = {.name = name, .p = text, .line = 1, .err = err, .errlen = errlen};
	struct envfile *env = xcalloc(1, sizeof(*env));
	if (strncmp(ps.p, "\xEF\xBB\xBF", 3) == 0)
		ps.p += 3; /* UTF-8 byte order mark */
	if (check_lines(&ps, ps.p) < 0)
		goto fail;
	while (*ps.p) {
		skip_blanks(&ps);
		if (at_eol(ps.p) || *ps.p == '#') {
			next_line(&ps);
			continue;
		}
		if (parse_assignment(&ps, env) < 0)
			goto fail;
	}
	return env;
fail:
	envfile_free(env);
	return NULL;
}

struct envfile *envfile_load(const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	int rc = file_read_text(path, path, ENVFILE_MAX_SIZE, FILE_READ_TEXT, &text, NULL, NULL,
	                        err, errlen);
	if (rc == FILE_TOO_LARGE)
		snprintf(err, errlen, "%s: larger than %d bytes; is it really a .env file?", path,
		         ENVFILE_MAX_SIZE);
	if (rc != 0)
		return NULL;
	struct envfile *env = envfile_parse(path, text, err, errlen);
	free(text);
	return env;
}

const char *envfile_get(const struct envfile *env, const char *name)
{
	if (!env)
		return NULL;
	for (size_t i = env->count; i > 0; i--)
		if (strcmp(env->vars[i - 1].name, name) == 0)
			return env->vars[i - 1].value;
	return NULL;
}

static bool name_looks_secret(const char *name)
{
	static const char *const words[] = {"PASSWORD", "SECRET", "TOKEN", "KEY"};
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(name, words[i]))
			return true;
	return false;
}

int envfile_holds_secret(const struct envfile *env)
{
	if (!env)
		return 0;
	for (size_t i = 0; i < env->count; i++) {
		const struct envfile_var *v = &env->vars[i];
		if ((*v->value && name_looks_secret(v->name)) || text_has_credential(v->value))
			return v->line;
	}
	return 0;
}

void envfile_free(struct envfile *env)
{
	if (!env)
		return;
	for (size_t i = 0; i < env->count; i++) {
		free(env->vars[i].name);
		free(env->vars[i].value);
	}
	free(env->vars);
	free(env);
}
