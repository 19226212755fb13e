/* copy_count.c - rows per table in a streaming plain dump (see copy_count.h). */
#include "repo/copy_count.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

#define COPY_PREFIX "COPY "
#define COPY_SUFFIX " FROM stdin;"
#define COPY_END    "\\."
#define TAIL_SIZE   (sizeof(COPY_SUFFIX) - 1)
/* the start of a line kept: "COPY " and the longest name, then a space */
#define HEAD_SIZE (sizeof(COPY_PREFIX) - 1 + COPY_COUNT_NAME_MAX + 1)

struct copy_count {
	bool in_copy;         /* between a COPY line and its "\." */
	bool invalid;         /* a COPY line whose name we could not keep */
	char head[HEAD_SIZE]; /* the current line's first bytes */
	size_t head_len;
	char tail[TAIL_SIZE]; /* its last bytes */
	size_t line_len;      /* its length so far (saturating is not needed: size_t) */
	struct copy_count_table *tables;
	size_t count, cap;
};

struct copy_count *copy_count_new(void)
{
	return xcalloc(1, sizeof(struct copy_count));
}

void copy_count_free(struct copy_count *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->count; i++)
		free(c->tables[i].name);
	free(c->tables);
	free(c);
}

/* Adds a segment of the current line (no newline in it). Inside a COPY
 * block only the first bytes matter (is it "\."?); outside, the start (the
 * name) and the end (" FROM stdin;"). */
static void line_add(struct copy_count *c, const char *s, size_t n)
{
	size_t keep = c->in_copy ? sizeof(COPY_END) : HEAD_SIZE;
	if (c->head_len < keep) {
		size_t take = keep - c->head_len < n ? keep - c->head_len : n;
		memcpy(c->head + c->head_len, s, take);
		c->head_len += take;
	}
	if (!c->in_copy) {
		if (n >= TAIL_SIZE) {
			memcpy(c->tail, s + n - TAIL_SIZE, TAIL_SIZE);
		} else {
			memmove(c->tail, c->tail + n, TAIL_SIZE - n);
			memcpy(c->tail + TAIL_SIZE - n, s, n);
		}
	}
	c->line_len += n;
}

/* The length of the identifier at s (plain or quoted), 0 when none. */
static size_t identifier_length(const char *s, size_t len)
{
	size_t i = 0;
	if (len && s[0] == '"') {
		for (i = 1; i < len; i++) {
			unsigned char ch = (unsigned char)s[i];
			if (ch < 0x20 || ch == 0x7f)
				return 0;
			if (ch != '"')
				continue;
			if (i + 1 < len && s[i + 1] == '"')
				i++;
			else
				return i > 1 ? i + 1 : 0;
		}
		return 0;
	}
	for (; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool letter =
		    (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' || ch >= 0x80;
		bool digit = (ch >= '0' && ch <= '9') || ch == '$';
		if (!letter && !(digit && i > 0))
			break;
	}
	return i;
}

/* The length of the qualified name at s, 0 when it is not one. */
static size_t name_length(const char *s, size_t len)
{
	size_t first = identifier_length(s, len);
	if (!first)
		return 0;
	if (first < len && s[first] == '.') {
		size_t second = identifier_length(s + first + 1, len - first - 1);
		return second ? first + 1 + second : 0;
	}
	return first;
}

bool copy_count_name_valid(const char *name)
{
	size_t len = strlen(name);
	return len > 0 && len <= COPY_COUNT_NAME_MAX && name_length(name, len) == len;
}

static void table_begin(struct copy_count *c)
{
	const char *name = c->head + sizeof(COPY_PREFIX) - 1;
	size_t avail = c->head_len - (sizeof(COPY_PREFIX) - 1);
	size_t n = name_length(name, avail);
	/* the name must end inside what was kept, at a space */
	if (!n || n > COPY_COUNT_NAME_MAX || n >= avail || name[n] != ' ')
		c->invalid = true;
	if (c->count == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->tables = xrealloc(c->tables, c->cap * sizeof(*c->tables));
	}
	c->tables[c->count].name = xstrndup(name, c->invalid && !n ? 0 : n);
	c->tables[c->count].rows = 0;
	c->count++;
	c->in_copy = true;
}

/* The current line is complete: what does it mean? */
static void line_end(struct copy_count *c)
{
	if (c->in_copy) {
		if (c->line_len == sizeof(COPY_END) - 1 &&
		    memcmp(c->head, COPY_END, sizeof(COPY_END) - 1) == 0)
			c->in_copy = false;
		else
			c->tables[c->count - 1].rows++;
	} else if (c->line_len >= sizeof(COPY_PREFIX) - 1 + TAIL_SIZE &&
	           memcmp(c->head, COPY_PREFIX, sizeof(COPY_PREFIX) - 1) == 0 &&
	           memcmp(c->tail, COPY_SUFFIX, TAIL_SIZE) == 0) {
		table_begin(c);
	}
	c->head_len = 0;
	c->line_len = 0;
}

void copy_count_feed(struct copy_count *c, const void *data, size_t len)
{
	const char *p = data, *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl : end;
		/* a row's bytes past its first few need not be looked at */
		if (!c->in_copy || c->line_len < sizeof(COPY_END))
			line_add(c, p, (size_t)(stop - p));
		else
			c->line_len += (size_t)(stop - p);
		if (!nl)
			break;
		line_end(c);
		p = nl + 1;
	}
}

bool copy_count_complete(const struct copy_count *c)
{
	return !c->in_copy && !c->invalid && c->line_len == 0;
}

const struct copy_count_table *copy_count_tables(const struct copy_count *c, size_t *count)
{
	*count = c->count;
	return c->tables;
}
