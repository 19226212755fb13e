/* expand.c - ${NAME} expansion in configuration values (see expand.h).
 *
 * Deliberately small: no defaults (${X:-y}), no nesting, and a value that
 * came from a variable is never expanded again, so a '$' inside a password
 * stays a '$'.
 */
#include "config/expand.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/text.h"

/* A name longer than this is surely a mistake (and keeps messages short). */
#define EXPAND_MAX_NAME 128

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

int expand_vars(const char *in, expand_lookup_fn lookup, void *ctx, char **out, char *unset_name,
                size_t unset_len, char *err, size_t errlen)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	*out = NULL;
	if (unset_name && unset_len)
		unset_name[0] = '\0';
	const char *p = in;
	while (*p) {
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
			strbuf_puts(&b, "${");
			p += 3;
			continue;
		}
		if (p[0] != '$' || p[1] != '{') {
			strbuf_putc(&b, *p++);
			continue;
		}
		const char *name = p + 2;
		const char *close = strchr(name, '}');
		if (!close) {
			snprintf(err, errlen,
			         "unterminated ${ (close it with }, or write $${ for a "
			         "literal ${)");
			goto fail;
		}
		size_t n = (size_t)(close - name);
		if (n > EXPAND_MAX_NAME || !valid_name(name, n)) {
			const char *shell = strpbrk(name, ":-+?=");
			/* Shown without what follows the operator: a default is
			 * often the very URL or password the variable stands for. */
			if (shell && shell < close && valid_name(name, (size_t)(shell - name)))
				snprintf(
				    err, errlen,
				    "${%.*s%.*s...}: only plain ${NAME} is supported (no defaults "
				    "or other shell forms)",
				    (int)(shell - name), name, (int)strspn(shell, ":-+?="), shell);
			else
				snprintf(err, errlen,
				         "${%.*s} is not a valid variable name (use letters, "
				         "digits and _, "
				         "not starting with a digit)",
				         (int)(n < 60 ? n : 60), name);
			goto fail;
		}
		char var[EXPAND_MAX_NAME + 1];
		memcpy(var, name, n);
		var[n] = '\0';
		const char *value = lookup ? lookup(ctx, var) : NULL;
		if (value)
			strbuf_puts(&b, value);
		else if (unset_name && unset_len && !unset_name[0])
			text_copy(unset_name, var, unset_len);
		p = close + 1;
	}
	*out = strbuf_take(&b);
	strbuf_free(&b);
	return 0;
fail:
	strbuf_free(&b);
	return -1;
}
