/* drill_sql.c - splitting and judging [backup] drill_sql (see drill_sql.h). */
#include "job/drill_sql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "util/xalloc.h"

/* The length of the dollar-quote tag at s ("$$", "$body$"), 0 when none. */
static size_t dollar_tag(const char *s)
{
	if (s[0] != '$')
		return 0;
	size_t i = 1;
	while (isalnum((unsigned char)s[i]) || s[i] == '_')
		i++;
	return s[i] == '$' ? i + 1 : 0;
}

/* Where the statement starting at p ends (its ';' or the NUL); NULL when a
 * quote is left open. */
static const char *statement_end(const char *p)
{
	while (*p && *p != ';') {
		size_t tag = dollar_tag(p);
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			while (*p && !(*p == q && p[1] != q))
				p += *p == q ? 2 : 1;
			if (!*p)
				return NULL;
			p++;
		} else if (tag) {
			char *open = xstrndup(p, tag);
			const char *close = strstr(p + tag, open);
			free(open);
			if (!close)
				return NULL;
			p = close + tag;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
		} else {
			p++;
		}
	}
	return p;
}

int drill_sql_split(const char *text, char **out, size_t max, char *err, size_t errlen)
{
	size_t n = 0;
	const char *p = text ? text : "";
	while (*p) {
		const char *end = statement_end(p);
		if (!end) {
			text_printf(err, errlen, "a quote is left open");
			goto fail;
		}
		const char *s = p, *e = end;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e > s) {
			if (n == max) {
				text_printf(err, errlen, "more than %zu queries", max);
				goto fail;
			}
			out[n++] = xstrndup(s, (size_t)(e - s));
		}
		p = *end ? end + 1 : end;
	}
	return (int)n;
fail:
	while (n)
		free(out[--n]);
	return -1;
}

bool drill_sql_passes(int rows, const char *first_value)
{
	return rows > 0 && first_value && strcmp(first_value, "f") != 0;
}
