/* expand.c - ${NAME} expansion in configuration values (see expand.h).
 *
 * Deliberately small: ${NAME} and ${NAME:-default} only, no nesting, and a
 * value that came from a variable (or a default) is never expanded again,
 * so a '$' inside a password stays a '$'.
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
/* Longest part of a bad reference quoted back in a message. */
#define EXPAND_SHOWN 60

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static bool valid_name(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!is_name_char(s[i]))
			return false;
	return true;
}

/* The message for a reference that is neither ${NAME} nor ${NAME:-...};
 * `after` is where the name's characters end, `close` its '}'. */
static void explain_bad_reference(const char *name, const char *after, const char *close,
                                  bool has_default, char *err, size_t errlen)
{
	size_t n = (size_t)(after - name);
	if (!has_default && after < close && strchr(":-+?=", *after) && valid_name(name, n)) {
		/* Shown without what follows the operator: a default is
		 * often the very URL or password the variable stands for. */
		snprintf(err, errlen,
		         "${%.*s%.*s...}: only ${NAME} and ${NAME:-default} are supported (no "
		         "other shell forms)",
		         (int)n, name, (int)strspn(after, ":-+?="), after);
		return;
	}
	/* With a default, only the name is quoted back, for the same reason. */
	size_t shown = has_default ? n : (size_t)(close - name);
	snprintf(err, errlen,
	         "${%.*s%s} is not a valid variable name (use letters, digits and _, not starting "
	         "with a digit)",
	         (int)(shown < EXPAND_SHOWN ? shown : EXPAND_SHOWN), name,
	         has_default ? ":-..." : "");
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
		const char *after = name;
		while (after < close && is_name_char(*after))
			after++;
		size_t n = (size_t)(after - name);
		bool has_default = after[0] == ':' && after[1] == '-';
		if ((after != close && !has_default) || n > EXPAND_MAX_NAME ||
		    !valid_name(name, n)) {
			explain_bad_reference(name, after, close, has_default, err, errlen);
			goto fail;
		}
		char var[EXPAND_MAX_NAME + 1];
		memcpy(var, name, n);
		var[n] = '\0';
		const char *value = lookup ? lookup(ctx, var) : NULL;
		if (has_default && (!value || !*value)) {
			const char *def = after + 2;
			strbuf_append(&b, def, (size_t)(close - def));
			if (!value && unset_name && unset_len && !unset_name[0])
				text_copy(unset_name, var, unset_len);
		} else if (value) {
			strbuf_puts(&b, value);
		} else if (lookup) {
			snprintf(err, errlen,
			         "${%s} is not set (write ${%s:-} to allow an empty value, or "
			         "${%s:-default})",
			         var, var, var);
			goto fail;
		}
		p = close + 1;
	}
	*out = strbuf_take(&b);
	strbuf_free(&b);
	return 0;
fail:
	strbuf_free(&b);
	return -1;
}
