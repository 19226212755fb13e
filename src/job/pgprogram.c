/* pgprogram.c - conninfo and environment of PostgreSQL's client programs
 * (see pgprogram.h). */
#include "job/pgprogram.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

const char *pgprogram_path(const char *env_name, const char *fallback)
{
	const char *p = getenv(env_name);
	return p && *p ? p : fallback;
}

/* conninfo value quoting: 'value' with \ and ' escaped. */
static void conninfo_add(struct strbuf *b, const char *keyword, const char *value)
{
	if (b->len)
		strbuf_putc(b, ' ');
	strbuf_puts(b, keyword);
	strbuf_puts(b, "='");
	for (const char *p = value; *p; p++) {
		if (*p == '\'' || *p == '\\')
			strbuf_putc(b, '\\');
		strbuf_putc(b, *p);
	}
	strbuf_putc(b, '\'');
}

void pgprogram_conninfo(struct strbuf *b, const struct pgurl *url, const char *application,
                        const char *dbname)
{
	bool named = false;
	for (size_t i = 0; i < url->count; i++) {
		const char *k = url->keywords[i], *v = url->values[i];
		if (strcmp(k, "password") == 0)
			continue;
		if (application && strcmp(k, "application_name") == 0)
			v = application;
		if (dbname && strcmp(k, "dbname") == 0) {
			v = dbname;
			named = true;
		}
		conninfo_add(b, k, v);
	}
	if (dbname && !named)
		conninfo_add(b, "dbname", dbname);
}

void pgprogram_environment_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++) {
		/* the password is in here: do not leave it in freed memory */
		memset(env[i], 0, strlen(env[i]));
		free(env[i]);
	}
	free(env);
}

char **pgprogram_environment(const struct pgurl *url)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = calloc(n + 2, sizeof(*env));
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (strncmp(environ[i], "PGPASSWORD=", 11) == 0)
			continue;
		if (!(env[k] = strdup(environ[i])))
			goto fail;
		k++;
	}
	if (url->password && *url->password &&
	    asprintf(&env[k], "PGPASSWORD=%s", url->password) < 0) {
		env[k] = NULL;
		goto fail;
	}
	return env;
fail:
	pgprogram_environment_free(env);
	return NULL;
}
