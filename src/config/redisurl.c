/* redisurl.c - parse Redis URLs (see redisurl.h).
 *
 * Accepted forms, as the common clients write them:
 *   redis://[[user]:password@]host[:port][/db][?db=N]
 *   redis://password@host...          (no ':' in the user part: a password)
 *   rediss://...                      (TLS, when hiredis has it)
 *   unix://[[user]:password@]/path/to/redis.sock[?db=N][&password=...]
 * The user information ends at the last '@' before the query string
 * (url_userinfo_end in redact.h, as for PostgreSQL URLs), so a password may
 * hold '@', '/', ':', '#' or '?' unencoded; a URL with an '@' inside its
 * query string is refused as ambiguous. Errors never quote the password
 * back, nor a port or database number (a misplaced password lands there).
 */
#ifdef HAVE_CONFIG_H
/* Angle brackets: the build's config.h, not this directory's config/config.h. */
#include <config.h>
#endif

#include "config/redisurl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/redact.h"
#include "util/percent.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define REDIS_DEFAULT_PORT 6379

/* A decimal number in [min, max] with nothing else around it. */
static bool parse_number(const char *s, size_t n, long min, long max, long *out)
{
	if (n == 0 || n > 10)
		return false;
	long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

struct parse {
	struct redisurl *out;
	char *err;
	size_t errlen;
	bool quiet; /* more than one '@': quote nothing (see pgurl.c) */
};

static void fail(struct parse *p, const char *msg)
{
	snprintf(p->err, p->errlen, "%s", msg);
}

/* A reason quoting one piece of the URL at the "%s" in `pattern`; the piece
 * is not shown when the URL is malformed in a way that may have put a
 * password there. */
static void fail_quoting(struct parse *p, const char *pattern, const char *piece)
{
	char msg[256];
	const char *at = strstr(pattern, "%s");
	snprintf(msg, sizeof(msg), "%.*s%.40s%s", (int)(at - pattern), pattern,
	         p->quiet ? "(not shown)" : piece, at + 2);
	fail(p, msg);
}

static void replace(char **field, char *value)
{
	free(*field);
	*field = value;
}

/* "user:password" or "password" (the pass-only form). */
static int parse_userinfo(struct parse *p, const char *s, size_t n, struct strbuf *redacted)
{
	const char *colon = memchr(s, ':', n);
	if (colon) {
		char *user = percent_decode(s, (size_t)(colon - s), false);
		char *pass = percent_decode(colon + 1, (size_t)(s + n - colon - 1), false);
		if (!user || !pass) {
			free(user);
			free(pass);
			fail(p,
			     "invalid percent-encoding in the Redis URL's user name or password");
			return -1;
		}
		replace(&p->out->username, user);
		replace(&p->out->password, pass);
		strbuf_append(redacted, s, (size_t)(colon - s));
		strbuf_puts(redacted, *p->out->password ? ":" REDACT_MASK "@" : ":@");
		return 0;
	}
	char *pass = percent_decode(s, n, false);
	if (!pass) {
		fail(p, "invalid percent-encoding in the Redis URL's password");
		return -1;
	}
	replace(&p->out->password, pass);
	strbuf_puts(redacted, *pass ? REDACT_MASK "@" : "@");
	return 0;
}

/* host[:port] or [v6][:port]. */
static int parse_hostport(struct parse *p, const char *s, size_t n)
{
	const char *end = s + n, *host = s, *host_end, *port = NULL;
	if (n > 0 && *s == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || close == s + 1) {
			fail(p, "malformed IPv6 address in the Redis URL (write it as [::1]:6379)");
			return -1;
		}
		host = s + 1;
		host_end = close;
		if (close + 1 < end) {
			if (close[1] != ':') {
				fail(p, "unexpected text after ']' in the Redis URL");
				return -1;
			}
			port = close + 2;
		}
	} else {
		host_end = memchr(s, ':', n);
		if (host_end)
			port = host_end + 1;
		else
			host_end = end;
	}
	if (host_end == host) {
		fail(p, "no host in the Redis URL (e.g. redis://127.0.0.1:6379)");
		return -1;
	}
	char *decoded = percent_decode(host, (size_t)(host_end - host), false);
	if (!decoded) {
		fail(p, "invalid percent-encoding in the Redis URL's host");
		return -1;
	}
	replace(&p->out->host, decoded);
	if (port) {
		long v;
		if (!parse_number(port, (size_t)(end - port), 1, 65535, &v)) {
			fail(p, "invalid port in the Redis URL (use 1 to 65535)");
			return -1;
		}
		p->out->port = (int)v;
	}
	return 0;
}

static int parse_db(struct parse *p, const char *s, size_t n)
{
	long v;
	if (!parse_number(s, n, 0, 2147483647L, &v)) {
		fail(p, "invalid database number in the Redis URL (use e.g. /0 or ?db=0)");
		return -1;
	}
	p->out->db = (int)v;
	return 0;
}

/* db=N, password=..., username=... */
static int parse_query(struct parse *p, const char *q, struct strbuf *redacted)
{
	strbuf_putc(redacted, '?');
	bool first = true;
	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		if (len == 0) {
			q++;
			continue;
		}
		char name[48];
		size_t name_len = eq ? (size_t)(eq - q) : len;
		snprintf(name, sizeof(name), "%.*s", (int)(name_len < 40 ? name_len : 40), q);
		if (!eq) {
			fail_quoting(
			    p,
			    "query parameter '%s' in the Redis URL has no value (use name=value)",
			    name);
			return -1;
		}
		const char *value = eq + 1;
		size_t value_len = len - name_len - 1;
		if (!first)
			strbuf_putc(redacted, '&');
		first = false;
		if (strcmp(name, "password") == 0) {
			strbuf_puts(redacted, "password=" REDACT_MASK);
			char *pass = percent_decode(value, value_len, false);
			if (!pass) {
				fail(p, "invalid percent-encoding in the Redis URL's password");
				return -1;
			}
			replace(&p->out->password, pass);
		} else {
			strbuf_append(redacted, q, len);
			if (strcmp(name, "db") == 0) {
				if (parse_db(p, value, value_len) < 0)
					return -1;
			} else if (strcmp(name, "username") == 0) {
				char *user = percent_decode(value, value_len, false);
				if (!user) {
					fail(p, "invalid percent-encoding in the Redis URL's user "
					        "name");
					return -1;
				}
				replace(&p->out->username, user);
			} else {
				fail_quoting(p,
				             "unknown query parameter '%s' in the Redis URL "
				             "(known: db, username, "
				             "password)",
				             name);
				return -1;
			}
		}
		q += len;
		if (*q == '&')
			q++;
	}
	return 0;
}

int redisurl_parse(const char *url, struct redisurl *out, char *err, size_t errlen)
{
	struct parse p = {.out = out, .err = err, .errlen = errlen, .quiet = false};
	struct strbuf redacted;
	strbuf_init(&redacted, 0);
	memset(out, 0, sizeof(*out));
	out->host = xstrdup("");
	out->socket = xstrdup("");
	out->username = xstrdup("");
	out->password = xstrdup("");
	out->port = REDIS_DEFAULT_PORT;
	int rc = -1;

	if (!url) {
		fail(&p, "no Redis URL");
		goto done;
	}
	size_t scheme_len;
	bool is_unix = false;
	if (strncasecmp(url, "redis://", 8) == 0)
		scheme_len = 8;
	else if (strncasecmp(url, "rediss://", 9) == 0) {
		scheme_len = 9;
		out->tls = true;
	} else if (strncasecmp(url, "unix://", 7) == 0) {
		scheme_len = 7;
		is_unix = true;
	} else {
		fail(&p, "not a Redis URL (it must start with redis://, rediss:// or unix://)");
		goto done;
	}
	for (const char *c = url; *c; c++) {
		if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
			fail(&p,
			     "the Redis URL contains a space or control character (percent-encode "
			     "it)");
			goto done;
		}
	}
	strbuf_append(&redacted, url, scheme_len);
	const char *auth = url + scheme_len;
	struct url_authority split;
	if (url_split_authority(auth, &split) < 0) {
		fail(&p, "the Redis URL " URL_AMBIGUOUS_REASON);
		goto done;
	}
	p.quiet = split.several_at;
	const char *at = split.at, *hostpart = split.host, *auth_end = split.host_end;
	if (at && parse_userinfo(&p, auth, (size_t)(at - auth), &redacted) < 0)
		goto done;
	const char *rest = auth_end;
	if (is_unix) {
		if (hostpart != auth_end) {
			fail(&p,
			     "a unix:// Redis URL takes no host: write unix:///path/to/redis.sock");
			goto done;
		}
		size_t path_len = strcspn(rest, "?");
		char *path = path_len ? percent_decode(rest, path_len, false) : NULL;
		if (!path || path[0] != '/' || path[1] == '\0') {
			free(path);
			fail(&p, "no socket path in the unix:// Redis URL (e.g. "
			         "unix:///run/redis/redis.sock)");
			goto done;
		}
		replace(&out->socket, path);
		strbuf_append(&redacted, rest, path_len);
		rest += path_len;
	} else {
		if (parse_hostport(&p, hostpart, (size_t)(auth_end - hostpart)) < 0)
			goto done;
		strbuf_append(&redacted, hostpart, (size_t)(auth_end - hostpart));
		if (*rest == '/') {
			size_t db_len = strcspn(rest + 1, "?");
			if (db_len > 0 && parse_db(&p, rest + 1, db_len) < 0)
				goto done;
			strbuf_append(&redacted, rest, db_len + 1);
			rest += db_len + 1;
		}
	}
	if (*rest == '?' && parse_query(&p, rest + 1, &redacted) < 0)
		goto done;

	out->redacted = strbuf_take(&redacted);
	rc = 0;
done:
	strbuf_free(&redacted);
	if (rc < 0)
		redisurl_free(out);
	return rc;
}

void redisurl_free(struct redisurl *u)
{
	if (!u)
		return;
	free(u->host);
	free(u->socket);
	free(u->username);
	free(u->password);
	free(u->redacted);
	memset(u, 0, sizeof(*u));
}
