/* pg_rows.c - COPY-text fixture rows for the PostgreSQL parser tests
 * (see pg_rows.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "pg_rows.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char unescape(const char **p)
{
	char c = *(*p)++;
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'v':
		return '\v';
	case 'x': {
		int v = hex_digit((*p)[0]);
		assert_true(v >= 0);
		(*p)++;
		int w = hex_digit((*p)[0]);
		if (w < 0)
			return (char)v;
		(*p)++;
		return (char)(v * 16 + w);
	}
	default:
		return c;
	}
}

void rows_parse(struct rows *r, const char *data, int columns)
{
	size_t len = strlen(data);
	r->text = calloc(len + 1, 1);
	r->values = calloc(len + 1, sizeof(*r->values));
	r->count = 0;
	assert_non_null(r->text);
	assert_non_null(r->values);
	char *out = r->text;
	size_t cells = 0;
	const char *p = data;
	while (*p) {
		int column = 0;
		for (;;) {
			char *start = out;
			bool null =
			    strncmp(p, "\\N", 2) == 0 && (p[2] == '\t' || p[2] == '\n' || !p[2]);
			if (null)
				p += 2;
			while (!null && *p && *p != '\t' && *p != '\n') {
				if (*p == '\\') {
					p++;
					*out++ = unescape(&p);
				} else {
					*out++ = *p++;
				}
			}
			*out++ = '\0';
			r->values[cells++] = null ? NULL : start;
			column++;
			if (*p != '\t')
				break;
			p++;
		}
		assert_int_equal(column, columns);
		r->count++;
		if (*p == '\n')
			p++;
	}
}

void rows_load(struct rows *r, const char *name, int columns)
{
	char rel[256];
	snprintf(rel, sizeof(rel), "pg/%s", name);
	char *data = fixture_read(rel, NULL);
	rows_parse(r, data, columns);
	free(data);
}

void rows_free(struct rows *r)
{
	free(r->text);
	free(r->values);
}
