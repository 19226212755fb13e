/* ini.h - a strict INI reader.
 *
 * Syntax: "[section]" lines, "key = value" lines, comments starting with ';'
 * or '#' at the start of a line or after whitespace in a value, blank lines.
 * A value may be "double quoted" (then ; and # are literal, \" and \\ are
 * escapes) — an unterminated quote is an error. Keys and section names are
 * [A-Za-z0-9_.-]. Errors carry the line number.
 */
#ifndef OPSDECK_CONFIG_INI_H
#define OPSDECK_CONFIG_INI_H

#include <stddef.h>

struct ini_entry {
	char *section; /* "" before the first [section] */
	char *key;
	char *value; /* unquoted, trimmed; not yet expanded */
	int line;
	int quoted; /* the value was written in quotes */
};

struct ini_file {
	struct ini_entry *entries;
	size_t count;
};

/* Parses text; on error returns -1 with "name:line: reason" in err, and
 * `out` and `sections` left empty. Every "[name]" seen is also listed in
 * `sections` (with its line; may be NULL), so that the caller can reject an
 * unknown section even when it holds no keys. Free both with
 * ini_file_free(). */
struct ini_section_ref {
	char *name;
	int line;
};
struct ini_file_sections {
	struct ini_section_ref *items;
	size_t count;
};

int ini_parse(const char *name, const char *text, struct ini_file *out,
              struct ini_file_sections *sections, char *err, size_t errlen);
void ini_file_free(struct ini_file *f, struct ini_file_sections *sections);

#endif
