/* fuzz_envfile.c - feeds arbitrary text to envfile_parse() as an app's .env.
 *
 * Beyond not crashing: an error names the file and a line; on success every
 * NAME= the text seems to assign is looked up, and each value found survives
 * a round trip (written back double-quoted with escapes, parsed again, it
 * reads the same); envfile_holds_secret() gives a line of the text or 0. */
#include "fuzz.h"

#include "config/envfile.h"
#include "util/strbuf.h"

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* name = "value" with \n, \r, \" and \\ escaped. */
static void write_back(struct strbuf *out, const char *name, const char *value)
{
	strbuf_printf(out, "%s=\"", name);
	for (const char *c = value; *c; c++) {
		if (*c == '\n')
			strbuf_puts(out, "\\n");
		else if (*c == '\r')
			strbuf_puts(out, "\\r");
		else if (*c == '"' || *c == '\\') {
			strbuf_putc(out, '\\');
			strbuf_putc(out, *c);
		} else
			strbuf_putc(out, *c);
	}
	strbuf_puts(out, "\"\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	char err[256] = "";
	struct envfile *env = envfile_parse("fuzz.env", text, err, sizeof(err));
	if (!env) {
		FUZZ_CHECK(strncmp(err, "fuzz.env:", 9) == 0);
		free(text);
		return 0;
	}
	int lines = 1;
	for (const char *c = text; *c; c++)
		lines += *c == '\n';
	int secret = envfile_holds_secret(env);
	FUZZ_CHECK(secret >= 0 && secret <= lines);

	/* Every run of name characters before a '=' is a candidate name. */
	for (const char *p = text; *p;) {
		const char *start = p;
		while (is_name_char(*p))
			p++;
		if (p == start) {
			p++;
			continue;
		}
		if (*p != '=')
			continue;
		char *name = strndup(start, (size_t)(p - start));
		const char *value = envfile_get(env, name);
		if (value && strlen(value) < 4096) {
			struct strbuf again;
			strbuf_init(&again, 1 << 16);
			write_back(&again, name, value);
			char err2[256] = "";
			struct envfile *env2 =
			    envfile_parse("again.env", strbuf_str(&again), err2, sizeof(err2));
			if (!env2)
				fprintf(stderr, "%s\n", err2);
			FUZZ_CHECK(env2 != NULL);
			const char *value2 = envfile_get(env2, name);
			FUZZ_CHECK(value2 && strcmp(value, value2) == 0);
			envfile_free(env2);
			strbuf_free(&again);
		}
		free(name);
	}
	envfile_free(env);
	free(text);
	return 0;
}
