/* glob.c - glob matching with ** (see glob.h). Recursive backtracking; the
 * depth is bounded by the number of wildcards in the pattern. */
#include "job/glob.h"

#include <stddef.h>

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

static bool match_here(const char *p, const char *s)
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
					if (match_here(rest, s))
						return true;
					for (const char *t = s; *t; t++)
						if (*t == '/' && match_here(rest, t + 1))
							return true;
					return false;
				}
				/* "a**b": like * but crossing '/' */
				for (const char *t = s;; t++) {
					if (match_here(rest, t))
						return true;
					if (!*t)
						return false;
				}
			}
			for (const char *t = s;; t++) {
				if (match_here(p + 1, t))
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
	return match_here(pattern, path);
}
