/* ini.c - a strict INI reader (see ini.h).
 *
 * Strict on purpose: a configuration mistake found at start-up, with its
 * line number, costs the operator a minute; one silently ignored costs an
 * outage. Meaning (which sections and keys exist) is config.c's business;
 * this file only knows the syntax.
 */
#include "config/ini.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Longer lines are refused: no configuration needs them, and a cap keeps a
 * binary file fed in by mistake from being read as one huge line. */
#define INI_MAX_LINE 65536

struct ini_parser {
	const char *name;
	int line;
	char *err;
	size_t errlen;
};

static void fail(struct ini_parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct ini_parser *ps, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s:%d: %s", ps->name, ps->line, msg);
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '-';
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_name_char(*s))
			return false;
	return true;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *trim_blanks(char *s)
{
	while (is_blank(*s))
		s++;
	size_t len = strlen(s);
	while (len > 0 && is_blank(s[len - 1]))
		s[--len] = '\0';
	return s;
}

static bool rest_is_comment(const char *s)
{
	while (is_blank(*s))
		s++;
	return *s == '\0' || *s == ';' || *s == '#';
}

static void add_section(struct ini_file_sections *sections, const char *name, int line)
{
	if (!sections)
		return;
	sections->items =
	    xrealloc(sections->items, (sections->count + 1) * sizeof(*sections->items));
	sections->items[sections->count].name = xstrdup(name);
	sections->items[sections->count].line = line;
	sections->count++;
}

/* Parses the value part of "key = value" (s starts after the '='). On
 * success *value is newly allocated. */
static int parse_value(struct ini_parser *ps, const char *key, char *s, char **value, int *quoted)
{
	const char *start = s;
	while (is_blank(*start))
		start++;
	if (*start != '"') {
		/* A comment starts at ';' or '#' after whitespace, so "pass#word"
		 * and "key=#fff" stay whole. */
		size_t end = 0;
		for (; s[end]; end++)
			if ((s[end] == ';' || s[end] == '#') && end > 0 && is_blank(s[end - 1]))
				break;
		s[end] = '\0';
		*value = xstrdup(trim_blanks(s));
		*quoted = 0;
		return 0;
	}
	struct strbuf b;
	strbuf_init(&b, 0);
	const char *p = start + 1;
	for (;;) {
		if (*p == '\0') {
			strbuf_free(&b);
			fail(ps, "unterminated quote in the value of '%s' (close it with \")", key);
			return -1;
		}
		if (*p == '"')
			break;
		if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++; /* any other backslash is kept: "C:\dir" means what it says */
		strbuf_putc(&b, *p);
		p++;
	}
	if (!rest_is_comment(p + 1)) {
		strbuf_free(&b);
		fail(ps, "unexpected text after the closing quote of '%s'", key);
		return -1;
	}
	*value = strbuf_take(&b);
	*quoted = 1;
	return 0;
}

static int parse_line(struct ini_parser *ps, char *s, char **section, struct ini_file *out,
                      struct ini_file_sections *sections)
{
	for (const char *c = s; *c; c++) {
		if ((unsigned char)*c < 0x20 && *c != '\t') {
			fail(ps, "control character (byte 0x%02x) in the line", (unsigned char)*c);
			return -1;
		}
	}
	s = trim_blanks(s);
	if (*s == '\0' || *s == ';' || *s == '#')
		return 0;
	if (*s == '[') {
		char *close = strchr(s, ']');
		if (!close) {
			fail(ps, "malformed section header (expected [name])");
			return -1;
		}
		*close = '\0';
		char *name = trim_blanks(s + 1);
		if (!valid_name(name)) {
			/* Quoted back without its controls (C0 and C1) and
			 * invalid bytes, and never cut inside a character. */
			char shown[41];
			sanitize_text(shown, sizeof(shown), name);
			fail(ps, "invalid section name [%s] (use letters, digits, '_', '.', '-')",
			     shown);
			return -1;
		}
		if (!rest_is_comment(close + 1)) {
			fail(ps, "unexpected text after [%s]", name);
			return -1;
		}
		free(*section);
		*section = xstrdup(name);
		add_section(sections, name, ps->line);
		return 0;
	}
	char *eq = strchr(s, '=');
	if (!eq) {
		/* The line is not quoted back: it might be a stray password. */
		fail(ps, "expected 'key = value' or '[section]'");
		return -1;
	}
	*eq = '\0';
	char *key = trim_blanks(s);
	if (!*key) {
		fail(ps, "missing key name before '='");
		return -1;
	}
	if (!valid_name(key)) {
		fail(ps, "invalid key name before '=' (use letters, digits, '_', '.', '-')");
		return -1;
	}
	char *value;
	int quoted;
	if (parse_value(ps, key, eq + 1, &value, &quoted) < 0)
		return -1;
	out->entries = xrealloc(out->entries, (out->count + 1) * sizeof(*out->entries));
	struct ini_entry *e = &out->entries[out->count++];
	e->section = xstrdup(*section);
	e->key = xstrdup(key);
	e->value = value;
	e->line = ps->line;
	e->quoted = quoted;
	return 0;
}

int ini_parse(const char *name, const char *text, struct ini_file *out,
              struct ini_file_sections *sections, char *err, size_t errlen)
{
	struct ini_parser ps = {.name = name, .line = 0, .err = err, .errlen = errlen};
	char *section = xstrdup("");
	int rc = -1;
	memset(out, 0, sizeof(*out));
	if (sections)
		memset(sections, 0, sizeof(*sections));

	const char *p = text;
	if (strncmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3; /* a UTF-8 byte order mark, as some editors write */
	while (*p) {
		ps.line++;
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t content = len;
		if (content > 0 && p[content - 1] == '\r')
			content--; /* CRLF */
		if (content > INI_MAX_LINE) {
			fail(&ps, "line is longer than %d bytes", INI_MAX_LINE);
			goto done;
		}
		char *line = xstrndup(p, content);
		int line_rc = parse_line(&ps, line, &section, out, sections);
		free(line);
		if (line_rc < 0)
			goto done;
		p += len;
		if (*p == '\n')
			p++;
	}
	rc = 0;
done:
	free(section);
	if (rc < 0)
		ini_file_free(out, sections);
	return rc;
}

void ini_file_free(struct ini_file *f, struct ini_file_sections *sections)
{
	if (f) {
		for (size_t i = 0; i < f->count; i++) {
			free(f->entries[i].section);
			free(f->entries[i].key);
			free(f->entries[i].value);
		}
		free(f->entries);
		memset(f, 0, sizeof(*f));
	}
	if (sections) {
		for (size_t i = 0; i < sections->count; i++)
			free(sections->items[i].name);
		free(sections->items);
		memset(sections, 0, sizeof(*sections));
	}
}
