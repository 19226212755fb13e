/* pgurl.c - take a PostgreSQL URL apart, by hand, into libpq keywords
 * (see pgurl.h).
 *
 * libpq parses URLs itself, but refuses the query parameters Prisma adds, so
 * the app's DATABASE_URL cannot be handed to it as is. Parsing it here also
 * lets opsdeck show the URL without its password and explain a bad one
 * without ever quoting the password back.
 *
 * Where the password ends follows url_userinfo_end() (redact.h): the user
 * information runs to the last '@' before the query string, so an unencoded
 * '@', '/', ':', '#' or '?' in a password is read as the app's driver would
 * want it, and the host is never a piece of the password. An '@' inside the
 * query string could be the end of a password holding "?name=": such a URL
 * is refused, quoting nothing, and no host is looked up.
 *
 * Past 600 lines on purpose: the URL's grammar, the query parameters Prisma
 * and libpq add, and the keywords they become are one mapping, read and
 * fuzzed (tests/fuzz/fuzz_pgurl.c) as a whole.
 */
#include "config/pgurl.h"

#include <errno.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "model/redact.h"
#include "util/percent.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Room kept free after parsing, so callers can pgurl_set() a few keywords
 * (sslmode, options...) without running out of slots. */
#define PGURL_SPARE 4

/* Prisma's own parameters: libpq does not know them ("invalid URI query
 * parameter"), so they are dropped. `schema` is kept in ->schema, `sslcert`
 * is handled apart (it means the CA file). */
static const char *const prisma_only[] = {
    "connection_limit",
    "pool_timeout",
    "socket_timeout",
    "pgbouncer",
    "statement_cache_size",
    "sslaccept",
    "sslidentity",
    "sslpassword",
    "max_connection_lifetime",
    "max_idle_connection_lifetime",
};

/* libpq's connection keywords (PostgreSQL 17), which a URL may set as query
 * parameters. Keywords newer than the installed libpq are still passed on:
 * libpq then names them itself when it refuses them. */
static const char *const libpq_keywords[] = {
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "channel_binding",
    "connect_timeout",
    "client_encoding",
    "options",
    "application_name",
    "fallback_application_name",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "replication",
    "gssencmode",
    "sslmode",
    "sslnegotiation",
    "requiressl",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcertmode",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "requirepeer",
    "require_auth",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "krbsrvname",
    "gsslib",
    "gssdelegation",
    "service",
    "target_session_attrs",
    "load_balance_hosts",
};

static const char *const sslmodes[] = {
    "disable", "allow", "prefer", "require", "verify-ca", "verify-full",
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* State shared by the steps of one parse. */
struct parse {
	struct pgurl *out;
	char *err;
	size_t errlen;
	/* The URL holds more than one '@': a password with an unencoded '@'
	 * that was perhaps misplaced, so error messages quote nothing from it.
	 * Ports, hosts and database names are never quoted: "user:password"
	 * with its "@host" missing reads as "host:port". */
	bool quiet;
};

static const char *shown(const struct parse *p, const char *s)
{
	return p->quiet ? "(not shown)" : s;
}

static void fail(struct parse *p, const char *msg)
{
	snprintf(p->err, p->errlen, "%s", msg);
}

static ssize_t find_keyword(const struct pgurl *u, const char *keyword)
{
	for (size_t i = 0; i < u->count; i++)
		if (strcmp(u->keywords[i], keyword) == 0)
			return (ssize_t)i;
	return -1;
}

void pgurl_set(struct pgurl *u, const char *keyword, const char *value)
{
	ssize_t i = find_keyword(u, keyword);
	if (i >= 0) {
		free((char *)u->values[i]);
		u->values[i] = xstrdup(value);
		return;
	}
	if (u->count >= PGURL_MAX_PARAMS)
		abort(); /* pgurl_parse keeps PGURL_SPARE slots free: a caller bug */
	u->keywords[u->count] = xstrdup(keyword);
	u->values[u->count] = xstrdup(value);
	u->count++;
	u->keywords[u->count] = NULL;
	u->values[u->count] = NULL;
}

/* Query parameters in the order given, later ones replacing earlier ones. */
struct param_list {
	char *keys[PGURL_MAX_PARAMS];
	char *values[PGURL_MAX_PARAMS];
	size_t count;
};

static int param_put(struct parse *p, struct param_list *l, char *key, char *value)
{
	for (size_t i = 0; i < l->count; i++) {
		if (strcmp(l->keys[i], key) == 0) {
			free(l->values[i]);
			free(key);
			l->values[i] = value;
			return 0;
		}
	}
	if (l->count >= PGURL_MAX_PARAMS - PGURL_SPARE - 8) {
		free(key);
		free(value);
		fail(p, "too many query parameters in the URL");
		return -1;
	}
	l->keys[l->count] = key;
	l->values[l->count] = value;
	l->count++;
	return 0;
}

static void param_list_free(struct param_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->keys[i]);
		free(l->values[i]);
	}
	l->count = 0;
}

static bool valid_port(const char *s)
{
	if (!*s || strlen(s) > 5)
		return false;
	long v = 0;
	for (const char *c = s; *c; c++) {
		if (!isdigit((unsigned char)*c))
			return false;
		v = v * 10 + (*c - '0');
	}
	return v >= 1 && v <= 65535;
}

/* Parses "host[:port],[v6]:port,..." into comma lists for libpq; an empty
 * item in the port list means the default port, as libpq reads it. */
static int parse_hosts(struct parse *p, const char *s, size_t n, struct strbuf *hosts,
                       struct strbuf *ports)
{
	bool any_port = false;
	struct strbuf port_list;
	strbuf_init(&port_list, 0);
	int rc = -1;
	const char *end = s + n;
	const char *item = s;
	bool first = true;
	while (n > 0) {
		const char *host, *host_end, *port = NULL, *item_end;
		if (item < end && *item == '[') {
			const char *close = memchr(item, ']', (size_t)(end - item));
			if (!close) {
				fail(p, "'[' without ']' around an IPv6 address in the URL");
				goto done;
			}
			host = item + 1;
			host_end = close;
			if (host == host_end) {
				fail(p, "empty IPv6 address '[]' in the URL");
				goto done;
			}
			item_end = close + 1;
			if (item_end < end && *item_end == ':')
				port = item_end + 1;
			else if (item_end < end && *item_end != ',') {
				fail(p, "unexpected text after ']' in the URL's host");
				goto done;
			}
			while (item_end < end && *item_end != ',')
				item_end++;
		} else {
			item_end = item;
			while (item_end < end && *item_end != ',')
				item_end++;
			host = item;
			host_end = memchr(item, ':', (size_t)(item_end - item));
			if (host_end)
				port = host_end + 1;
			else
				host_end = item_end;
		}
		if (item == item_end) {
			fail(p, "empty entry in the URL's host list");
			goto done;
		}
		char *decoded = percent_decode(host, (size_t)(host_end - host), false);
		if (!decoded) {
			fail(p, "invalid percent-encoding in the URL's host");
			goto done;
		}
		if (!first) {
			strbuf_putc(hosts, ',');
			strbuf_putc(&port_list, ',');
		}
		strbuf_puts(hosts, decoded);
		free(decoded);
		if (port) {
			char *port_text = xstrndup(port, (size_t)(item_end - port));
			if (!valid_port(port_text)) {
				free(port_text);
				fail(p, "invalid port in the URL's host (use 1 to 65535)");
				goto done;
			}
			strbuf_puts(&port_list, port_text);
			free(port_text);
			any_port = true;
		}
		first = false;
		if (item_end >= end)
			break;
		item = item_end + 1;
	}
	if (any_port)
		strbuf_puts(ports, strbuf_str(&port_list));
	rc = 0;
done:
	strbuf_free(&port_list);
	return rc;
}

/* connection_limit and pgbouncer, kept for the pool arithmetic
 * (model/connections.h); a malformed limit counts as absent, as Prisma then
 * refuses the URL itself. */
static void prisma_pool_param(struct pgurl *out, const char *key, const char *value)
{
	if (strcmp(key, "pgbouncer") == 0) {
		out->pgbouncer = strcmp(value, "true") == 0;
		return;
	}
	if (strcmp(key, "connection_limit") != 0)
		return;
	char *end = NULL;
	errno = 0;
	long n = strtol(value, &end, 10);
	out->connection_limit =
	    (errno || end == value || *end || n <= 0 || n > 100000) ? -1 : (int)n;
}

/* Prisma resolves a relative sslcert against its schema folder, ./prisma
 * (opsdeck, like the app, runs from the app's directory). */
static char *prisma_cert_path(const char *path)
{
	if (path[0] == '/' || path[0] == '\0')
		return xstrdup(path);
	const char *rel = path;
	while (rel[0] == '.' && rel[1] == '/')
		rel += 2;
	return xasprintf("prisma/%s", rel);
}

/* "-c search_path=\"name\"": the schema quoted as an SQL identifier (Prisma
 * creates schemas with quoted, case-preserving names), then escaped for
 * libpq's options syntax, where whitespace separates arguments and a
 * backslash escapes the next character. */
static char *search_path_option(const char *schema)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	strbuf_puts(&b, "-c search_path=\"");
	for (const char *c = schema; *c; c++) {
		if (*c == '"')
			strbuf_puts(&b, "\"\"");
		else if (*c == '\\' || isspace((unsigned char)*c)) {
			strbuf_putc(&b, '\\');
			strbuf_putc(&b, *c);
		} else
			strbuf_putc(&b, *c);
	}
	strbuf_putc(&b, '"');
	return strbuf_take(&b);
}

/* Parses "k=v&k=v" into the list, mapping Prisma's parameters. */
static int parse_query(struct parse *p, const char *q, struct param_list *params,
                       struct strbuf *redacted)
{
	char msg[256];
	struct pgurl *out = p->out;
	size_t query_start = redacted->len; /* just after the '?' */
	while (*q) {
		const char *piece_end = strchr(q, '&');
		if (!piece_end)
			piece_end = q + strlen(q);
		if (piece_end == q) {
			q++; /* "&&" or a trailing '&' */
			continue;
		}
		const char *eq = memchr(q, '=', (size_t)(piece_end - q));
		if (!eq) {
			char *name = percent_decode(q, (size_t)(piece_end - q), true);
			snprintf(msg, sizeof(msg),
			         "query parameter '%.40s' has no value (use name=value)",
			         shown(p, name ? name : "?"));
			free(name);
			fail(p, msg);
			return -1;
		}
		char *key = percent_decode(q, (size_t)(eq - q), true);
		char *value = percent_decode(eq + 1, (size_t)(piece_end - eq - 1), true);
		if (!key || !value) {
			free(key);
			free(value);
			fail(p, "invalid percent-encoding in the URL's query");
			return -1;
		}
		bool secret = strcmp(key, "password") == 0 || strcmp(key, "sslpassword") == 0;
		if (redacted->len > query_start)
			strbuf_putc(redacted, '&');
		if (secret) {
			strbuf_append(redacted, q, (size_t)(eq - q));
			strbuf_puts(redacted, "=" REDACT_MASK);
		} else {
			strbuf_append(redacted, q, (size_t)(piece_end - q));
		}
		q = *piece_end ? piece_end + 1 : piece_end;

		if (strcmp(key, "schema") == 0) {
			free(out->schema);
			out->schema = value;
			free(key);
			continue;
		}
		if (in_list(prisma_only, COUNT_OF(prisma_only), key)) {
			prisma_pool_param(out, key, value);
			free(key);
			free(value);
			continue;
		}
		if (strcmp(key, "sslcert") == 0) {
			char *path = prisma_cert_path(value);
			free(key);
			free(value);
			if (param_put(p, params, xstrdup("sslrootcert"), path) < 0)
				return -1;
			continue;
		}
		if (!in_list(libpq_keywords, COUNT_OF(libpq_keywords), key)) {
			snprintf(
			    msg, sizeof(msg),
			    "unknown query parameter '%.40s' in the URL (neither libpq nor Prisma "
			    "knows it)",
			    shown(p, key));
			free(key);
			free(value);
			fail(p, msg);
			return -1;
		}
		if (strcmp(key, "sslmode") == 0 && !in_list(sslmodes, COUNT_OF(sslmodes), value)) {
			snprintf(msg, sizeof(msg),
			         "sslmode '%.20s' is not one of disable, allow, prefer, require, "
			         "verify-ca, verify-full",
			         shown(p, value));
			free(key);
			free(value);
			fail(p, msg);
			return -1;
		}
		/* These replace what the URL's authority and path said, as in
		 * libpq, where query parameters win. */
		char **field = NULL;
		if (strcmp(key, "host") == 0)
			field = &out->host;
		else if (strcmp(key, "port") == 0)
			field = &out->port;
		else if (strcmp(key, "user") == 0)
			field = &out->user;
		else if (strcmp(key, "password") == 0)
			field = &out->password;
		else if (strcmp(key, "dbname") == 0)
			field = &out->dbname;
		if (field) {
			if (field == &out->port && *value && !valid_port(value)) {
				free(key);
				free(value);
				fail(p, "invalid port in the URL's query (use 1 to 65535)");
				return -1;
			}
			free(*field);
			*field = value;
			free(key);
			continue;
		}
		if (param_put(p, params, key, value) < 0)
			return -1;
	}
	return 0;
}

static const char *param_get(const struct param_list *l, const char *key)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->keys[i], key) == 0)
			return l->values[i];
	return NULL;
}

int pgurl_parse(const char *url, long timeout_ms, struct pgurl *out, char *err, size_t errlen)
{
	struct parse p = {.out = out, .err = err, .errlen = errlen, .quiet = false};
	struct param_list params = {.count = 0};
	struct strbuf hosts, ports, redacted;
	strbuf_init(&hosts, 0);
	strbuf_init(&ports, 0);
	strbuf_init(&redacted, 0);
	memset(out, 0, sizeof(*out));
	out->user = xstrdup("");
	out->password = xstrdup("");
	out->dbname = xstrdup("");
	out->schema = xstrdup("");
	out->connection_limit = -1;
	int rc = -1;

	if (!url) {
		fail(&p, "no URL");
		goto done;
	}
	size_t scheme_len;
	if (strncasecmp(url, "postgresql://", 13) == 0)
		scheme_len = 13;
	else if (strncasecmp(url, "postgres://", 11) == 0)
		scheme_len = 11;
	else {
		fail(&p, "not a PostgreSQL URL (it must start with postgresql:// or postgres://)");
		goto done;
	}
	for (const char *c = url; *c; c++) {
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			fail(&p, "the URL contains a control character");
			goto done;
		}
		if (*c == ' ') {
			fail(&p, "the URL contains a space (percent-encode it as %20)");
			goto done;
		}
	}
	const char *auth = url + scheme_len;
	struct url_authority split;
	if (url_split_authority(auth, &split) < 0) {
		fail(&p, "the URL " URL_AMBIGUOUS_REASON);
		goto done;
	}
	p.quiet = split.several_at;
	const char *at = split.at, *hostpart = split.host, *auth_end = split.host_end;

	strbuf_append(&redacted, url, scheme_len);
	if (at) {
		const char *colon = memchr(auth, ':', (size_t)(at - auth));
		const char *user_end = colon ? colon : at;
		char *user = percent_decode(auth, (size_t)(user_end - auth), false);
		if (!user) {
			fail(&p, "invalid percent-encoding in the URL's user name");
			goto done;
		}
		free(out->user);
		out->user = user;
		strbuf_append(&redacted, auth, (size_t)(user_end - auth));
		if (colon) {
			char *password = percent_decode(colon + 1, (size_t)(at - colon - 1), false);
			if (!password) {
				fail(&p, "invalid percent-encoding in the URL's password");
				goto done;
			}
			free(out->password);
			out->password = password;
			strbuf_puts(&redacted, ":" REDACT_MASK);
		}
		strbuf_putc(&redacted, '@');
	}
	if (parse_hosts(&p, hostpart, (size_t)(auth_end - hostpart), &hosts, &ports) < 0)
		goto done;
	strbuf_append(&redacted, hostpart, (size_t)(auth_end - hostpart));
	out->host = strbuf_take(&hosts);
	out->port = strbuf_take(&ports);

	const char *rest = auth_end;
	if (*rest == '/') {
		const char *path_end = rest + 1 + strcspn(rest + 1, "?");
		char *dbname = percent_decode(rest + 1, (size_t)(path_end - rest - 1), false);
		if (!dbname) {
			fail(&p, "invalid percent-encoding in the URL's database name");
			goto done;
		}
		free(out->dbname);
		out->dbname = dbname;
		strbuf_append(&redacted, rest, (size_t)(path_end - rest));
		rest = path_end;
	}
	if (*rest == '?') {
		strbuf_putc(&redacted, '?');
		size_t query_start = redacted.len;
		if (parse_query(&p, rest + 1, &params, &redacted) < 0)
			goto done;
		if (redacted.len == query_start) /* an empty query: drop the '?' */
			redacted.data[--redacted.len] = '\0';
	}

	/* libpq keywords: connection target first, then parameters. */
	if (*out->host)
		pgurl_set(out, "host", out->host);
	if (*out->port)
		pgurl_set(out, "port", out->port);
	if (*out->user)
		pgurl_set(out, "user", out->user);
	if (*out->password)
		pgurl_set(out, "password", out->password);
	if (*out->dbname)
		pgurl_set(out, "dbname", out->dbname);
	for (size_t i = 0; i < params.count; i++)
		if (strcmp(params.keys[i], "options") != 0)
			pgurl_set(out, params.keys[i], params.values[i]);
	const char *options = param_get(&params, "options");
	if (*out->schema) {
		char *sp = search_path_option(out->schema);
		if (options && *options) {
			char *both = xasprintf("%s %s", options, sp);
			pgurl_set(out, "options", both);
			free(both);
		} else {
			pgurl_set(out, "options", sp);
		}
		free(sp);
	} else if (options) {
		pgurl_set(out, "options", options);
	}
	if (!param_get(&params, "connect_timeout") && timeout_ms > 0) {
		/* Whole seconds, rounded up; libpq treats 1 as 2, so say 2. */
		long seconds = (timeout_ms + 999) / 1000;
		if (seconds < 2)
			seconds = 2;
		char text[32];
		snprintf(text, sizeof(text), "%ld", seconds);
		pgurl_set(out, "connect_timeout", text);
	}
	if (!param_get(&params, "application_name"))
		pgurl_set(out, "application_name", "opsdeck");

	out->redacted = strbuf_take(&redacted);
	rc = 0;
done:
	param_list_free(&params);
	strbuf_free(&hosts);
	strbuf_free(&ports);
	strbuf_free(&redacted);
	if (rc < 0)
		pgurl_free(out);
	return rc;
}

void pgurl_free(struct pgurl *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->count; i++) {
		free((char *)u->keywords[i]);
		free((char *)u->values[i]);
	}
	free(u->host);
	free(u->port);
	free(u->user);
	free(u->password);
	free(u->dbname);
	free(u->schema);
	free(u->redacted);
	memset(u, 0, sizeof(*u));
}
