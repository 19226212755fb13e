/* fuzz_ini.c - feeds arbitrary text to ini_parse().
 *
 * Beyond not crashing: an error comes with a message naming the input and
 * leaves both lists empty; a success gives keys and section names of the
 * allowed characters, line numbers that never go back, and entries that
 * survive a round trip (written back with quoted values, parsed again, they
 * come out the same). */
#include "fuzz.h"

#include "config/ini.h"
#include "util/strbuf.h"

static bool is_name(const char *s, bool empty_ok)
{
	if (!*s)
		return empty_ok;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return false;
	return true;
}

/* The entries written back as INI, every value quoted. */
static void write_back(struct strbuf *out, const struct ini_file *f)
{
	const char *section = "";
	for (size_t i = 0; i < f->count; i++) {
		const struct ini_entry *e = &f->entries[i];
		if (strcmp(e->section, section) != 0)
			strbuf_printf(out, "[%s]\n", e->section);
		section = e->section;
		strbuf_printf(out, "%s = \"", e->key);
		for (const char *c = e->value; *c; c++) {
			if (*c == '"' || *c == '\\')
				strbuf_append(out, "\\", 1);
			strbuf_append(out, c, 1);
		}
		strbuf_append(out, "\"\n", 2);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct ini_file f;
	struct ini_file_sections sections;
	char err[256] = "";
	if (ini_parse("fuzz.conf", text, &f, &sections, err, sizeof(err)) < 0) {
		FUZZ_CHECK(strncmp(err, "fuzz.conf:", 10) == 0);
		FUZZ_CHECK(f.count == 0 && sections.count == 0);
		ini_file_free(&f, &sections);
		free(text);
		return 0;
	}
	int line = 0;
	for (size_t i = 0; i < f.count; i++) {
		const struct ini_entry *e = &f.entries[i];
		FUZZ_CHECK(is_name(e->key, false));
		FUZZ_CHECK(is_name(e->section, true));
		FUZZ_CHECK(e->line > line);
		line = e->line;
	}
	for (size_t i = 0; i < sections.count; i++)
		FUZZ_CHECK(is_name(sections.items[i].name, false) && sections.items[i].line > 0);

	struct strbuf again;
	strbuf_init(&again, 1 << 20);
	write_back(&again, &f);
	struct ini_file g;
	FUZZ_CHECK(ini_parse("again.conf", strbuf_str(&again), &g, NULL, err, sizeof(err)) == 0);
	FUZZ_CHECK(g.count == f.count);
	for (size_t i = 0; i < f.count; i++) {
		FUZZ_CHECK(strcmp(g.entries[i].section, f.entries[i].section) == 0);
		FUZZ_CHECK(strcmp(g.entries[i].key, f.entries[i].key) == 0);
		FUZZ_CHECK(strcmp(g.entries[i].value, f.entries[i].value) == 0);
	}
	ini_file_free(&g, NULL);
	strbuf_free(&again);
	ini_file_free(&f, &sections);
	free(text);
	return 0;
}
