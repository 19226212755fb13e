/* redact.c - keep secrets out of everything opsdeck prints (see redact.h).
 *
 * Two guards: a pattern one (the password part of any scheme://user:pass@
 * URL, and the value of a conninfo-style "password=" setting) and a registry
 * of exact secret strings collected when the configuration is loaded. Both
 * err on the side of masking too much: a garbled error message is an
 * inconvenience, a leaked password is an incident.
 */
#include "model/redact.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strbuf.h"
#include "util/text.h"
#include "util/xalloc.h"

/* Shorter secrets are not worth masking: "ab" would turn up everywhere. */
#define REDACT_MIN_SECRET 3

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static char **registry;       /* sorted longest first, so a secret that */
static size_t registry_count; /* contains another is masked whole */
static size_t registry_alloc;

void redact_register(const char *secret)
{
	if (!secret)
		return;
	size_t len = strlen(secret);
	if (len < REDACT_MIN_SECRET)
		return;
	pthread_mutex_lock(&registry_lock);
	size_t pos = 0;
	for (; pos < registry_count; pos++) {
		if (strcmp(registry[pos], secret) == 0)
			goto done; /* already known */
		if (strlen(registry[pos]) < len)
			break;
	}
	if (registry_count == registry_alloc) {
		registry_alloc = registry_alloc ? registry_alloc * 2 : 8;
		registry = xrealloc(registry, registry_alloc * sizeof(*registry));
	}
	memmove(registry + pos + 1, registry + pos, (registry_count - pos) * sizeof(*registry));
	registry[pos] = xstrdup(secret);
	registry_count++;
done:
	pthread_mutex_unlock(&registry_lock);
}

void redact_clear(void)
{
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < registry_count; i++)
		free(registry[i]);
	free(registry);
	registry = NULL;
	registry_count = 0;
	registry_alloc = 0;
	pthread_mutex_unlock(&registry_lock);
}

/* Every secret is at least as long as the mask, so replacing shrinks or keeps
 * the length: the text never grows and cannot overflow its buffer. */
void redact_text(char *s, size_t size)
{
	if (!s || size == 0)
		return;
	size_t len = strnlen(s, size);
	if (len == size) {
		len = size - 1;
		s[len] = '\0';
	}
	const size_t mask_len = strlen(REDACT_MASK);
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < registry_count; i++) {
		const char *secret = registry[i];
		size_t secret_len = strlen(secret);
		char *p = s;
		while ((p = strstr(p, secret)) != NULL) {
			memcpy(p, REDACT_MASK, mask_len);
			memmove(p + mask_len, p + secret_len,
			        len - (size_t)(p - s) - secret_len + 1);
			len -= secret_len - mask_len;
			p += mask_len;
		}
	}
	pthread_mutex_unlock(&registry_lock);
}

static bool is_scheme_char(char c)
{
	return isalnum((unsigned char)c) || c == '+' || c == '-' || c == '.';
}

/* Where a URL token ends in running text. */
static bool ends_token(char c)
{
	return c == '\0' || isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' ||
	       c == '>' || c == '`';
}

/* Whether a '?' at q starts a query string: a parameter name, then '='. */
static bool starts_query(const char *q)
{
	const char *c = q + 1;
	while (isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '.' || *c == '~' ||
	       *c == '%')
		c++;
	return c > q + 1 && *c == '=';
}

const char *url_userinfo_end(const char *rest, const char **query_at)
{
	const char *query = rest;
	while ((query = strchr(query, '?')) != NULL && !starts_query(query))
		query++;
	const char *at = NULL;
	for (const char *c = rest; *c && c != query; c++)
		if (*c == '@')
			at = c;
	*query_at = query ? strchr(query, '@') : NULL;
	return at;
}

int url_split_authority(const char *rest, struct url_authority *out)
{
	const char *query_at;
	out->at = url_userinfo_end(rest, &query_at);
	out->host = out->at ? out->at + 1 : rest;
	out->host_end = out->host + strcspn(out->host, "/?");
	out->several_at = out->at && memchr(rest, '@', (size_t)(out->at - rest));
	return query_at ? -1 : 0;
}

/* For a URL whose "://" is at `sep` (scheme starting at `scheme`), finds the
 * password: sets [*pass, *pass_end) and returns true when there is one. The
 * user information is taken to end at the last '@' of the URL token, even
 * one in its query string: the parsers refuse such a URL as ambiguous
 * (url_userinfo_end), and here masking too much is the safe side. For
 * redis:// (and rediss://, unix://, which redisurl.c reads the same way) the
 * form "redis://secret@host" has no user name: the whole user information is
 * the password. */
static bool find_url_password(const char *scheme, const char *sep, const char **pass,
                              const char **pass_end)
{
	const char *auth = sep + 3;
	const char *at = NULL;
	for (const char *p = auth; !ends_token(*p); p++)
		if (*p == '@')
			at = p;
	if (!at)
		return false;
	const char *colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon) {
		*pass = colon + 1;
		*pass_end = at;
		return *pass < *pass_end;
	}
	size_t scheme_len = (size_t)(sep - scheme);
	if ((scheme_len == 5 && strncasecmp(scheme, "redis", 5) == 0) ||
	    (scheme_len == 6 && strncasecmp(scheme, "rediss", 6) == 0) ||
	    (scheme_len == 4 && strncasecmp(scheme, "unix", 4) == 0)) {
		*pass = auth;
		*pass_end = at;
		return *pass < *pass_end;
	}
	return false;
}

/* Finds the next URL password in text at or after `from`. */
static bool next_url_password(const char *text, const char *from, const char **pass,
                              const char **pass_end)
{
	const char *sep = from;
	while ((sep = strstr(sep, "://")) != NULL) {
		const char *scheme = sep;
		while (scheme > text && is_scheme_char(scheme[-1]))
			scheme--;
		if (scheme < sep && isalpha((unsigned char)*scheme) &&
		    find_url_password(scheme, sep, pass, pass_end))
			return true;
		sep += 3;
	}
	return false;
}

/* Finds a conninfo-style "password = value" (also sslpassword=, PGPASSWORD=)
 * at or after `from`: sets the value's extent. A quoted value ends at its
 * closing quote, a bare one at whitespace. */
static bool next_conninfo_password(const char *from, const char **value, const char **value_end)
{
	for (const char *p = from; *p; p++) {
		if (strncasecmp(p, "password", 8) != 0)
			continue;
		const char *q = p + 8;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '\'') {
			const char *start = ++q;
			while (*q && *q != '\'') {
				if (*q == '\\' && q[1])
					q++;
				q++;
			}
			*value = start;
			*value_end = q;
		} else {
			const char *start = q;
			while (*q && !isspace((unsigned char)*q))
				q++;
			*value = start;
			*value_end = q;
		}
		if (*value < *value_end)
			return true;
	}
	return false;
}

/* Whether a query parameter's name says its value is a credential. */
static bool secret_parameter_name(const char *name, size_t len)
{
	static const char *const words[] = {"token",     "secret", "passw",      "key",
	                                    "signature", "auth",   "credential", "sig"};
	char lower[64];
	if (len >= sizeof(lower))
		len = sizeof(lower) - 1;
	for (size_t i = 0; i < len; i++)
		lower[i] = (char)tolower((unsigned char)name[i]);
	lower[len] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(lower, words[i]))
			return true;
	return false;
}

/* Finds the value of a URL query parameter that carries a credential
 * (?token=..., &api_key=..., &X-Amz-Signature=...) at or after `from`: the
 * value runs to the next '&', '#' or the end of the URL. */
static bool next_query_secret(const char *from, const char **value, const char **value_end)
{
	for (const char *p = from; *p; p++) {
		if (*p != '?' && *p != '&')
			continue;
		const char *name = p + 1;
		const char *q = name;
		while (isalnum((unsigned char)*q) || *q == '_' || *q == '-' || *q == '.')
			q++;
		if (q == name || *q != '=' || !secret_parameter_name(name, (size_t)(q - name)))
			continue;
		const char *start = ++q;
		while (*q != '&' && *q != '#' && !ends_token(*q))
			q++;
		if (start < q) {
			*value = start;
			*value_end = q;
			return true;
		}
	}
	return false;
}

int url_has_password(const char *text)
{
	const char *pass, *pass_end;
	return text && next_url_password(text, text, &pass, &pass_end);
}

int text_has_credential(const char *text)
{
	const char *value, *value_end;
	return text && (next_url_password(text, text, &value, &value_end) ||
	                next_conninfo_password(text, &value, &value_end) ||
	                next_query_secret(text, &value, &value_end));
}

/* A stretch of text to mask. */
struct redact_span {
	const char *start, *end;
};

static int span_compare(const void *a, const void *b)
{
	const struct redact_span *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Adds every match of one kind of credential in text to *spans: kind 0 URL
 * passwords, 1 conninfo passwords, 2 query-string credentials. */
static void collect_spans(const char *text, int kind, struct redact_span **spans, size_t *count,
                          size_t *alloc)
{
	const char *from = text, *start, *end;
	for (;;) {
		bool found = kind == 0   ? next_url_password(text, from, &start, &end)
		             : kind == 1 ? next_conninfo_password(from, &start, &end)
		                         : next_query_secret(from, &start, &end);
		if (!found)
			return;
		if (*count == *alloc) {
			*alloc = *alloc ? 2 * *alloc : 8;
			*spans = xrealloc(*spans, *alloc * sizeof(**spans));
		}
		(*spans)[(*count)++] = (struct redact_span){start, end};
		from = end;
	}
}

void url_redact(char *dst, size_t size, const char *url)
{
	if (!dst || size == 0)
		return;
	if (!url)
		url = "";
	/* Every credential of each kind is found on the whole text, and the
	 * union of them is masked: one kind's match may overlap or precede
	 * another's (a "&password=" inside a URL's user information), and
	 * masking one must not hide the other from the search. */
	struct redact_span *spans = NULL;
	size_t count = 0, alloc = 0;
	for (int kind = 0; kind < 3; kind++)
		collect_spans(url, kind, &spans, &count, &alloc);
	if (count > 1)
		qsort(spans, count, sizeof(*spans), span_compare);

	struct strbuf out;
	strbuf_init(&out, 0);
	const char *p = url;
	for (size_t i = 0; i < count;) {
		const char *start = spans[i].start, *end = spans[i].end;
		for (i++; i < count && spans[i].start <= end; i++)
			if (spans[i].end > end)
				end = spans[i].end;
		if (start < p) /* inside the previous mask */
			start = p;
		strbuf_append(&out, p, (size_t)(start - p));
		strbuf_puts(&out, REDACT_MASK);
		p = end > p ? end : p;
	}
	strbuf_puts(&out, p);
	free(spans);
	/* Mask registered secrets before truncating, so that a cut cannot leave
	 * the start of a secret behind. */
	char *full = strbuf_take(&out);
	redact_text(full, strlen(full) + 1);
	text_copy(dst, full, size);
	free(full);
	strbuf_free(&out);
}
