/* fuzz_glob.c - feeds glob_match() a pattern and a path: the input up to
 * its first newline is the pattern, the rest the path.
 *
 * Beyond not crashing (or running away on patterns full of '*' and '**'):
 * "**" matches every path; the path with every character escaped matches
 * itself and only itself among the paths tried; a pattern free of
 * wildcards matches exactly the path equal to it; "*" matches exactly the
 * paths without a '/'. */
#include "fuzz.h"

#include "job/glob.h"

static bool has_wildcard(const char *s)
{
	return strpbrk(s, "*?[\\") != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char *newline = strchr(text, '\n');
	const char *pattern = text;
	const char *path = "";
	if (newline) {
		*newline = '\0';
		path = newline + 1;
	}
	bool matched = glob_match(pattern, path);
	FUZZ_CHECK(glob_match("**", path));
	FUZZ_CHECK(glob_match("*", path) == (strchr(path, '/') == NULL));
	if (!has_wildcard(pattern))
		FUZZ_CHECK(matched == (strcmp(pattern, path) == 0));

	size_t n = strlen(path);
	char *escaped = malloc(2 * n + 1);
	FUZZ_CHECK(escaped != NULL);
	for (size_t i = 0; i < n; i++) {
		escaped[2 * i] = '\\';
		escaped[2 * i + 1] = path[i];
	}
	escaped[2 * n] = '\0';
	FUZZ_CHECK(glob_match(escaped, path));
	if (strcmp(pattern, path) != 0)
		FUZZ_CHECK(!glob_match(escaped, pattern));
	free(escaped);
	free(text);
	return 0;
}
