/* glob.c - glob matching with ** (see glob.h). Recursive backtracking; the
 * depth is bounded by the number of wildcards in the pattern, and the work
 * by remembering which (pattern, path) positions already failed: without
 * that, "*a*a*a*a*a*a*a*a*b" against a long run of a's tries every way of
 * splitting the run, which takes longer than any backup may. */
#include "job/glob.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

struct glob_match_state {
	const char *pattern;
	const char *path;
	size_t path_len;
	unsigned char *failed; /* one bit per (pattern, path) position pair */
};

/* Matches a [...] class at *pp against c; advances *pp past the ']'.
 * Returns 1 match, 0 no match, -1 not a class (no closing ']'). */
static int class_match(const char **pp, char c)
{
	const char *p = *pp + 1;
	bool negate = false;
	if (*p == '!' || *p == '^') {
		negate = true;
		p++;
	}
	bool matched = false;
	bool first = true;
	while (*p && (*p != ']' || first)) {
		char lo = *p;
		if (lo == '\\' && p[1])
			lo = *++p;
		char hi = lo;
		if (p[1] == '-' && p[2] && p[2] != ']') {
			hi = p[2];
			if (hi == '\\' && p[3])
				hi = p[3], p++;
			p += 2;
		}
		if ((unsigned char)c >= (unsigned char)lo && (unsigned char)c <= (unsigned char)hi)
			matched = true;
		p++;
		first = false;
	}
	if (*p != ']')
		return -1;
	*pp = p + 1;
	return matched != negate;
}

static bool match_from(struct glob_match_state *st, const char *p, const char *s);

/* Whether path from s matches pattern from p; a position pair that failed
 * once fails again without being tried. */
static bool match_here(struct glob_match_state *st, const char *p, const char *s)
{
	size_t at = (size_t)(p - st->pattern) * (st->path_len + 1) + (size_t)(s - st->path);
	if (st->failed[at / 8] & (1u << (at % 8)))
		return false;
	bool matched = match_from(st, p, s);
	if (!matched)
		st->failed[at / 8] |= (unsigned char)(1u << (at % 8));
	return matched;
}

static bool match_from(struct glob_match_state *st, const char *p, const char *s)
{
	for (;;) {
		switch (*p) {
		case '\0':
			return *s == '\0';
		case '*':
			if (p[1] == '*') {
				const char *rest = p + 2;
				while (*rest == '*')
					rest++;
				if (*rest == '\0')
					return true; /* trailing **: everything below */
				if (*rest == '/') {
					/* "**" + "/": zero or more whole segments */
					rest++;
					if (match_here(st, rest, s))
						return true;
					for (const char *t = s; *t; t++)
						if (*t == '/' && match_here(st, rest, t + 1))
							return true;
					return false;
				}
				/* "a**b": like * but crossing '/' */
				for (const char *t = s;; t++) {
					if (match_here(st, rest, t))
						return true;
					if (!*t)
						return false;
				}
			}
			for (const char *t = s;; t++) {
				if (match_here(st, p + 1, t))
					return true;
				if (!*t || *t == '/')
					return false;
			}
		case '?':
			if (!*s || *s == '/')
				return false;
			p++;
			s++;
			break;
		case '[': {
			if (!*s || *s == '/')
				return false;
			const char *q = p;
			int r = class_match(&q, *s);
			if (r < 0) {
				/* no closing ']': a literal '[' */
				if (*s != '[')
					return false;
				p++;
				s++;
				break;
			}
			if (!r)
				return false;
			p = q;
			s++;
			break;
		}
		case '\\':
			if (p[1])
				p++;
			/* fall through */
		default:
			if (*p != *s)
				return false;
			p++;
			s++;
			break;
		}
	}
}

bool glob_match(const char *pattern, const char *path)
{
	if (!pattern || !path)
		return false;
	struct glob_match_state st = {.pattern = pattern, .path = path, .path_len = strlen(path)};
	size_t bits = (strlen(pattern) + 1) * (st.path_len + 1);
	st.failed = xcalloc(bits / 8 + 1, 1);
	bool matched = match_here(&st, pattern, path);
	free(st.failed);
	return matched;
}
