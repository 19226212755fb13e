/* test_pgurl.c - PostgreSQL URLs as Prisma and libpq write them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "config/pgurl.h"

#define SECRET "S3cr3tPW"

/* The value libpq would get for `keyword`, or NULL. */
static const char *kw(const struct pgurl *u, const char *keyword)
{
	for (size_t i = 0; i < u->count; i++)
		if (strcmp(u->keywords[i], keyword) == 0)
			return u->values[i];
	return NULL;
}

static void parse_ok(const char *url, long timeout_ms, struct pgurl *u)
{
	char err[512] = "";
	int rc = pgurl_parse(url, timeout_ms, u, err, sizeof(err));
	if (rc != 0)
		fail_msg("pgurl_parse(%s) failed: %s", url, err);
	assert_null(u->keywords[u->count]);
	assert_null(u->values[u->count]);
}

/* Parses a URL that must fail; returns the message in err. */
static void parse_fails(const char *url, char *err, size_t errlen)
{
	struct pgurl u;
	err[0] = '\0';
	assert_int_equal(pgurl_parse(url, 3000, &u, err, errlen), -1);
	assert_true(err[0] != '\0');
	assert_null(u.redacted); /* freed on error */
	assert_int_equal(u.count, 0);
}

static void test_prisma_full_documented_url(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://johndoe:randompassword@localhost:5432/mydb?schema=public&connection_"
	         "limit=5&pool_timeout=10&sslmode=require&sslcert=./ca.pem",
	         3000, &u);
	assert_string_equal(u.host, "localhost");
	assert_string_equal(u.port, "5432");
	assert_string_equal(u.user, "johndoe");
	assert_string_equal(u.password, "randompassword");
	assert_string_equal(u.dbname, "mydb");
	assert_string_equal(u.schema, "public");
	assert_string_equal(kw(&u, "host"), "localhost");
	assert_string_equal(kw(&u, "port"), "5432");
	assert_string_equal(kw(&u, "user"), "johndoe");
	assert_string_equal(kw(&u, "password"), "randompassword");
	assert_string_equal(kw(&u, "dbname"), "mydb");
	assert_string_equal(kw(&u, "sslmode"), "require");
	/* Prisma's sslcert is the CA, relative to ./prisma */
	assert_string_equal(kw(&u, "sslrootcert"), "prisma/ca.pem");
	assert_null(kw(&u, "sslcert"));
	assert_string_equal(kw(&u, "options"), "-c search_path=\"public\"");
	assert_string_equal(kw(&u, "connect_timeout"), "3");
	assert_string_equal(kw(&u, "application_name"), "opsdeck");
	assert_null(kw(&u, "schema"));
	assert_null(kw(&u, "connection_limit"));
	assert_null(kw(&u, "pool_timeout"));
	assert_string_equal(u.redacted,
	                    "postgresql://johndoe:***@localhost:5432/mydb?schema=public&"
	                    "connection_limit=5&pool_timeout=10&sslmode=require&sslcert=."
	                    "/ca.pem");
	pgurl_free(&u);
}

static void test_prisma_schema_url(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://johndoe:mypassword@localhost:5432/mydb?schema=public", 3000, &u);
	assert_string_equal(u.schema, "public");
	assert_string_equal(kw(&u, "options"), "-c search_path=\"public\"");
	assert_string_equal(u.redacted,
	                    "postgresql://johndoe:***@localhost:5432/mydb?schema=public");
	pgurl_free(&u);
}

static void test_redacted_shape(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://app:" SECRET "@db:5432/shop?schema=public", 3000, &u);
	assert_string_equal(u.redacted, "postgresql://app:***@db:5432/shop?schema=public");
	pgurl_free(&u);
	parse_ok("postgres://app@db/shop", 3000, &u);
	assert_string_equal(u.redacted, "postgres://app@db/shop");
	assert_string_equal(u.password, "");
	assert_null(kw(&u, "password"));
	pgurl_free(&u);
}

static void test_every_prisma_parameter_is_dropped(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok(
	    "postgresql://u:p@h/db?connection_limit=1&pool_timeout=2&socket_timeout=3&pgbouncer="
	    "true&statement_cache_size=0&sslaccept=strict&sslidentity=id.p12&sslpassword=" SECRET
	    "&max_connection_lifetime=5&max_idle_connection_lifetime=6",
	    3000, &u);
	const char *dropped[] = {"connection_limit",
	                         "pool_timeout",
	                         "socket_timeout",
	                         "pgbouncer",
	                         "statement_cache_size",
	                         "sslaccept",
	                         "sslidentity",
	                         "sslpassword",
	                         "max_connection_lifetime",
	                         "max_idle_connection_lifetime"};
	for (size_t i = 0; i < sizeof(dropped) / sizeof(dropped[0]); i++)
		assert_null(kw(&u, dropped[i]));
	/* Only the target and opsdeck's two defaults remain. */
	assert_int_equal(u.count, 6);
	/* Prisma's identity password is a secret too. */
	assert_null(strstr(u.redacted, SECRET));
	assert_non_null(strstr(u.redacted, "sslpassword=***"));
	pgurl_free(&u);
}

static void test_percent_encoded_password(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://app:p%40ss%3Aw%2Frd@db/shop", 3000, &u);
	assert_string_equal(u.password, "p@ss:w/rd");
	assert_string_equal(kw(&u, "password"), "p@ss:w/rd");
	assert_string_equal(u.redacted, "postgresql://app:***@db/shop");
	pgurl_free(&u);

	parse_ok("postgresql://us%65r:p%40ss@db/shop", 3000, &u);
	assert_string_equal(u.user, "user");
	assert_string_equal(u.password, "p@ss");
	pgurl_free(&u);
}

static void test_unencoded_at_in_password(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://app:p@ss@db/shop", 3000, &u);
	assert_string_equal(u.password, "p@ss");
	assert_string_equal(u.host, "db");
	assert_string_equal(u.redacted, "postgresql://app:***@db/shop");
	pgurl_free(&u);
}

static void test_postgres_scheme_and_case(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgres://a:b@h:6543/d", 3000, &u);
	assert_string_equal(u.port, "6543");
	pgurl_free(&u);
	parse_ok("PostgreSQL://a:b@h/d", 3000, &u);
	assert_string_equal(u.dbname, "d");
	pgurl_free(&u);
}

static void test_multiple_hosts(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://u:p@host1:5432,host2:5433/db?target_session_attrs=read-write", 3000,
	         &u);
	assert_string_equal(kw(&u, "host"), "host1,host2");
	assert_string_equal(kw(&u, "port"), "5432,5433");
	assert_string_equal(kw(&u, "target_session_attrs"), "read-write");
	pgurl_free(&u);

	/* A host without a port gets libpq's "default" (an empty list item). */
	parse_ok("postgresql://u:p@host1,host2:5433/db", 3000, &u);
	assert_string_equal(kw(&u, "host"), "host1,host2");
	assert_string_equal(kw(&u, "port"), ",5433");
	pgurl_free(&u);

	parse_ok("postgresql://u:p@host1,host2/db", 3000, &u);
	assert_string_equal(kw(&u, "host"), "host1,host2");
	assert_null(kw(&u, "port"));
	pgurl_free(&u);
}

static void test_ipv6_hosts(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://u:p@[::1]:5433/db", 3000, &u);
	assert_string_equal(u.host, "::1");
	assert_string_equal(u.port, "5433");
	pgurl_free(&u);
	parse_ok("postgresql://u:p@[2001:db8::7],[::1]:5434/db", 3000, &u);
	assert_string_equal(u.host, "2001:db8::7,::1");
	assert_string_equal(u.port, ",5434");
	pgurl_free(&u);
	parse_ok("postgresql://[fe80::1]/db", 3000, &u);
	assert_string_equal(u.host, "fe80::1");
	assert_string_equal(u.port, "");
	pgurl_free(&u);
}

static void test_socket_hosts(void **state)
{
	(void)state;
	struct pgurl u;
	/* Prisma's form for a Unix socket: the host query parameter. */
	parse_ok("postgresql://u:p@localhost/db?host=/var/run/postgresql/", 3000, &u);
	assert_string_equal(kw(&u, "host"), "/var/run/postgresql/");
	pgurl_free(&u);
	/* libpq's form: a percent-encoded directory as the host. */
	parse_ok("postgresql://%2Fvar%2Frun%2Fpostgresql/db", 3000, &u);
	assert_string_equal(kw(&u, "host"), "/var/run/postgresql");
	pgurl_free(&u);
	/* No host at all: libpq's default socket. */
	parse_ok("postgresql:///db", 3000, &u);
	assert_string_equal(u.host, "");
	assert_null(kw(&u, "host"));
	assert_string_equal(kw(&u, "dbname"), "db");
	pgurl_free(&u);
	parse_ok("postgresql://", 3000, &u);
	assert_null(kw(&u, "host"));
	assert_null(kw(&u, "dbname"));
	assert_string_equal(u.redacted, "postgresql://");
	pgurl_free(&u);
}

static void test_connect_timeout(void **state)
{
	(void)state;
	struct {
		long timeout_ms;
		const char *expect;
	} cases[] = {{1, "2"},    {999, "2"},  {1000, "2"}, {2000, "2"},
	             {2001, "3"}, {2500, "3"}, {3000, "3"}, {10000, "10"}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pgurl u;
		parse_ok("postgresql://h/db", cases[i].timeout_ms, &u);
		assert_string_equal(kw(&u, "connect_timeout"), cases[i].expect);
		pgurl_free(&u);
	}
	struct pgurl u;
	parse_ok("postgresql://h/db?connect_timeout=10", 3000, &u);
	assert_string_equal(kw(&u, "connect_timeout"), "10");
	pgurl_free(&u);
	parse_ok("postgresql://h/db", 0, &u);
	assert_null(kw(&u, "connect_timeout"));
	pgurl_free(&u);
}

static void test_application_name(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://h/db", 3000, &u);
	assert_string_equal(kw(&u, "application_name"), "opsdeck");
	pgurl_free(&u);
	parse_ok("postgresql://h/db?application_name=my+shop%21", 3000, &u);
	assert_string_equal(kw(&u, "application_name"), "my shop!");
	pgurl_free(&u);
}

static void test_schema_escaping_and_existing_options(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://h/db?options=-c%20statement_timeout%3D5000&schema=my%20schema", 3000,
	         &u);
	assert_string_equal(u.schema, "my schema");
	assert_string_equal(kw(&u, "options"),
	                    "-c statement_timeout=5000 -c search_path=\"my\\ schema\"");
	pgurl_free(&u);

	parse_ok("postgresql://h/db?schema=a%5Cb%22c", 3000, &u);
	assert_string_equal(u.schema, "a\\b\"c");
	assert_string_equal(kw(&u, "options"), "-c search_path=\"a\\\\b\"\"c\"");
	pgurl_free(&u);

	/* Options without a schema pass through untouched. */
	parse_ok("postgresql://h/db?options=-c%20geqo%3Doff", 3000, &u);
	assert_string_equal(kw(&u, "options"), "-c geqo=off");
	assert_string_equal(u.schema, "");
	pgurl_free(&u);
}

static void test_sslcert_mapping(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://h/db?sslcert=/etc/ssl/ca.pem&sslmode=verify-full", 3000, &u);
	assert_string_equal(kw(&u, "sslrootcert"), "/etc/ssl/ca.pem");
	assert_string_equal(kw(&u, "sslmode"), "verify-full");
	pgurl_free(&u);
	parse_ok("postgresql://h/db?sslcert=../server-ca.pem", 3000, &u);
	assert_string_equal(kw(&u, "sslrootcert"), "prisma/../server-ca.pem");
	pgurl_free(&u);
	/* libpq's own keys keep their libpq meaning. */
	parse_ok("postgresql://h/db?sslrootcert=ca.pem&sslkey=k.pem", 3000, &u);
	assert_string_equal(kw(&u, "sslrootcert"), "ca.pem");
	assert_string_equal(kw(&u, "sslkey"), "k.pem");
	pgurl_free(&u);
}

static void test_libpq_parameters_pass_through(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://h/db?keepalives=1&keepalives_idle=30&channel_binding=require&"
	         "gssencmode=disable&sslmode=disable&&",
	         3000, &u);
	assert_string_equal(kw(&u, "keepalives"), "1");
	assert_string_equal(kw(&u, "keepalives_idle"), "30");
	assert_string_equal(kw(&u, "channel_binding"), "require");
	assert_string_equal(kw(&u, "gssencmode"), "disable");
	assert_string_equal(kw(&u, "sslmode"), "disable");
	pgurl_free(&u);
	/* A repeated parameter: the last one wins, once. */
	parse_ok("postgresql://h/db?sslmode=disable&sslmode=require", 3000, &u);
	assert_string_equal(kw(&u, "sslmode"), "require");
	pgurl_free(&u);
}

static void test_query_overrides_target(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://app:old@h:1111/db?user=other&password=" SECRET "&port=2222&dbname=x",
	         3000, &u);
	assert_string_equal(u.user, "other");
	assert_string_equal(u.password, SECRET);
	assert_string_equal(kw(&u, "password"), SECRET);
	assert_string_equal(kw(&u, "port"), "2222");
	assert_string_equal(kw(&u, "dbname"), "x");
	assert_null(strstr(u.redacted, SECRET));
	assert_non_null(strstr(u.redacted, "password=***"));
	pgurl_free(&u);
}

static void test_unknown_parameter_is_named(void **state)
{
	(void)state;
	char err[512];
	parse_fails("postgresql://u:" SECRET "@h/db?schema=public&colour=blue", err, sizeof(err));
	assert_non_null(strstr(err, "'colour'"));
	assert_null(strstr(err, SECRET));
}

static void test_bad_urls(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "mysql://u:" SECRET "@h/db",
	    "postgresql://u:" SECRET "@h:54x32/db",
	    "postgresql://u:" SECRET "@h:0/db",
	    "postgresql://u:" SECRET "@h:65536/db",
	    "postgresql://u:" SECRET "@h:/db",
	    "postgresql://u:" SECRET "%zz@h/db",
	    "postgresql://u:" SECRET "%00@h/db",
	    "postgresql://u:" SECRET "%4@h/db",
	    "postgresql://u:" SECRET "@[::1/db",
	    "postgresql://u:" SECRET "@[]:5432/db",
	    "postgresql://u:" SECRET "@[::1]x/db",
	    "postgresql://u:" SECRET "@h1,,h2/db",
	    "postgresql://u:" SECRET "@h1,/db",
	    "postgresql://u:" SECRET "@h/d%zzb",
	    "postgresql://u:" SECRET "@h/db?sslmode",
	    "postgresql://u:" SECRET "@h/db?sslmode=sometimes",
	    "postgresql://u:" SECRET "@h/db?a%zz=1",
	    "postgresql://u:" SECRET "@h/db?port=x",
	    "postgresql://u:" SECRET " x@h/db",
	    "postgresql://u:" SECRET "\t@h/db",
	    /* a port, a host or a database name may be a misplaced password */
	    "postgresql://u:S3cr3tPW/db",
	    "postgresql://u:S3cr3tPW",
	    "postgresql://app:ab@cd:S3cr3tPW/x",
	    "postgresql://u:p@h/db?port=S3cr3tPW",
	    /* an '@' in the query: the password may run on into it */
	    "postgresql://u:S3cr@3tPW@h/db?application_name=a@b",
	    "postgresql://u:S3cr?sslmode=3tPW@h/db",
	    "postgresql://u:S3cr@h?x=3tPW@h2/db",
	    "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[512];
		struct pgurl u;
		err[0] = '\0';
		if (pgurl_parse(bad[i], 3000, &u, err, sizeof(err)) == 0)
			fail_msg("accepted bad URL #%zu", i);
		assert_true(strlen(err) > 10);
		/* Never the password, nor a piece of it. */
		if (strstr(err, SECRET) || strstr(err, "S3cr") || strstr(err, "3tPW"))
			fail_msg("error for URL #%zu shows the password: %s", i, err);
	}
}

static void test_error_messages(void **state)
{
	(void)state;
	char err[512];
	parse_fails("postgresql://u:p@h:54x32/db", err, sizeof(err));
	assert_string_equal(err, "invalid port in the URL's host (use 1 to 65535)");
	parse_fails("http://h/db", err, sizeof(err));
	assert_string_equal(
	    err, "not a PostgreSQL URL (it must start with postgresql:// or postgres://)");
	parse_fails("postgresql://h/db?sslmode", err, sizeof(err));
	assert_string_equal(err, "query parameter 'sslmode' has no value (use name=value)");
	parse_fails("postgresql://u:p%zz@h/db", err, sizeof(err));
	assert_string_equal(err, "invalid percent-encoding in the URL's password");
	/* An '@' in the query string: refused, quoting nothing. */
	parse_fails("postgresql://u:pw@h/db?application_name=me@there", err, sizeof(err));
	assert_string_equal(err, "the URL has an '@' in its query string, so where its password "
	                         "ends is ambiguous (percent-encode '@' as %40 in the password "
	                         "and in query values)");
	parse_fails("postgresql://h/db?application_name=me@there", err, sizeof(err));
	assert_non_null(strstr(err, "%40"));
	/* More than one '@': nothing from the URL is quoted. */
	parse_fails("postgresql://u:a@b@h/db?sslmode=bogus", err, sizeof(err));
	assert_non_null(strstr(err, "'(not shown)'"));
	assert_null(strstr(err, "bogus"));
}

/* Passwords holding every reserved character, unencoded: the user
 * information ends at the last '@' before the query string. */
static void test_reserved_characters_in_password(void **state)
{
	(void)state;
	static const char *const passwords[] = {
	    "hunter2@SECRETPART/xyz",
	    "ab@cd:TOPSECRET99/x",
	    "p@ss",
	    "pa/ss",
	    "pa:ss",
	    "pa?ss",
	    "pa#ss",
	    "pa?ss&x",
	    "/@:?#",
	    "a/b?c#d:e@f",
	    "x@y?z@w",
	    "@@@",
	    "end?",
	    "1234/5678",
	    "h:5432/db?",
	};
	for (size_t i = 0; i < sizeof(passwords) / sizeof(passwords[0]); i++) {
		char url[256];
		struct pgurl u;
		snprintf(url, sizeof(url),
		         "postgresql://app:%s@127.0.0.1:5432/shop?sslmode=disable", passwords[i]);
		parse_ok(url, 3000, &u);
		assert_string_equal(u.user, "app");
		assert_string_equal(u.password, passwords[i]);
		assert_string_equal(u.host, "127.0.0.1");
		assert_string_equal(u.port, "5432");
		assert_string_equal(u.dbname, "shop");
		assert_string_equal(kw(&u, "sslmode"), "disable");
		assert_string_equal(u.redacted,
		                    "postgresql://app:***@127.0.0.1:5432/shop?sslmode=disable");
		pgurl_free(&u);
		/* without a query, a port or a database too */
		snprintf(url, sizeof(url), "postgres://app:%s@db.internal", passwords[i]);
		parse_ok(url, 3000, &u);
		assert_string_equal(u.password, passwords[i]);
		assert_string_equal(u.host, "db.internal");
		assert_string_equal(u.port, "");
		assert_string_equal(u.dbname, "");
		assert_string_equal(u.redacted, "postgres://app:***@db.internal");
		pgurl_free(&u);
	}
}

/* The issue's example, field by field. */
static void test_password_with_at_and_slash(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://app:hunter2@SECRETPART/xyz@127.0.0.1:5432/shop", 3000, &u);
	assert_string_equal(u.user, "app");
	assert_string_equal(u.password, "hunter2@SECRETPART/xyz");
	assert_string_equal(u.host, "127.0.0.1");
	assert_string_equal(u.port, "5432");
	assert_string_equal(u.dbname, "shop");
	assert_string_equal(kw(&u, "host"), "127.0.0.1");
	assert_string_equal(kw(&u, "password"), "hunter2@SECRETPART/xyz");
	assert_string_equal(u.redacted, "postgresql://app:***@127.0.0.1:5432/shop");
	pgurl_free(&u);
}

/* A '?' that is not followed by "name=" is part of the user information
 * when an '@' comes after it; one that is starts the query. */
static void test_where_the_query_starts(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://u:p@h/db?schema=a?b&sslmode=require", 3000, &u);
	assert_string_equal(u.password, "p");
	assert_string_equal(u.schema, "a?b");
	pgurl_free(&u);
	parse_ok("postgresql://u:p?x@h/db?schema=s", 3000, &u);
	assert_string_equal(u.password, "p?x");
	assert_string_equal(u.host, "h");
	assert_string_equal(u.schema, "s");
	pgurl_free(&u);
	/* No '@' at all: no user information, the query as before. */
	parse_ok("postgresql:///shop?host=/var/run/postgresql", 3000, &u);
	assert_string_equal(u.host, "/var/run/postgresql");
	assert_string_equal(u.dbname, "shop");
	pgurl_free(&u);
}

static void test_slash_in_password_that_parses_is_still_hidden(void **state)
{
	(void)state;
	struct pgurl u;
	/* "12" looks like a port, but the user information runs to the '@'. */
	parse_ok("postgresql://u:12/3tPW@h/db", 3000, &u);
	assert_string_equal(u.password, "12/3tPW");
	assert_string_equal(u.host, "h");
	assert_string_equal(u.redacted, "postgresql://u:***@h/db");
	pgurl_free(&u);
}

static void test_redacted_query_keeps_its_last_byte(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://h/db?", 3000, &u);
	assert_string_equal(u.redacted, "postgresql://h/db");
	pgurl_free(&u);
	/* A '?' ending the last value is part of it, not an empty query. */
	parse_ok("postgresql://h/db?schema=a?", 3000, &u);
	assert_string_equal(u.schema, "a?");
	assert_string_equal(u.redacted, "postgresql://h/db?schema=a?");
	pgurl_free(&u);
	parse_ok("postgresql://h/db?application_name=a?&password=secretpw&sslmode=require", 3000,
	         &u);
	assert_string_equal(u.redacted,
	                    "postgresql://h/db?application_name=a?&password=***&sslmode=require");
	pgurl_free(&u);
}

static void test_too_many_parameters(void **state)
{
	(void)state;
	char url[2048] = "postgresql://h/db?";
	for (int i = 0; i < PGURL_MAX_PARAMS; i++) {
		/* A repeated keyword counts once, so these are all different. */
		static const char *const many[] = {"hostaddr",
		                                   "passfile",
		                                   "channel_binding",
		                                   "client_encoding",
		                                   "fallback_application_name",
		                                   "keepalives",
		                                   "keepalives_idle",
		                                   "keepalives_interval",
		                                   "keepalives_count",
		                                   "tcp_user_timeout",
		                                   "replication",
		                                   "gssencmode",
		                                   "sslnegotiation",
		                                   "requiressl",
		                                   "sslcompression",
		                                   "sslkey",
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
		                                   "sslmode"};
		char piece[64];
		snprintf(piece, sizeof(piece), "%s%s=%s", i ? "&" : "", many[i],
		         strcmp(many[i], "sslmode") == 0 ? "prefer" : "1");
		strcat(url, piece);
	}
	char err[512];
	parse_fails(url, err, sizeof(err));
	assert_string_equal(err, "too many query parameters in the URL");
}

static void test_pgurl_set(void **state)
{
	(void)state;
	struct pgurl u;
	parse_ok("postgresql://h/db?sslmode=prefer", 3000, &u);
	size_t count = u.count;
	pgurl_set(&u, "sslmode", "disable");
	assert_int_equal(u.count, count);
	assert_string_equal(kw(&u, "sslmode"), "disable");
	pgurl_set(&u, "options", "-c x=y");
	assert_int_equal(u.count, count + 1);
	assert_string_equal(kw(&u, "options"), "-c x=y");
	assert_null(u.keywords[u.count]);
	assert_null(u.values[u.count]);
	pgurl_free(&u);
	pgurl_free(&u); /* safe twice */
	pgurl_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_prisma_full_documented_url),
	    cmocka_unit_test(test_prisma_schema_url),
	    cmocka_unit_test(test_redacted_shape),
	    cmocka_unit_test(test_every_prisma_parameter_is_dropped),
	    cmocka_unit_test(test_percent_encoded_password),
	    cmocka_unit_test(test_unencoded_at_in_password),
	    cmocka_unit_test(test_postgres_scheme_and_case),
	    cmocka_unit_test(test_multiple_hosts),
	    cmocka_unit_test(test_ipv6_hosts),
	    cmocka_unit_test(test_socket_hosts),
	    cmocka_unit_test(test_connect_timeout),
	    cmocka_unit_test(test_application_name),
	    cmocka_unit_test(test_schema_escaping_and_existing_options),
	    cmocka_unit_test(test_sslcert_mapping),
	    cmocka_unit_test(test_libpq_parameters_pass_through),
	    cmocka_unit_test(test_query_overrides_target),
	    cmocka_unit_test(test_unknown_parameter_is_named),
	    cmocka_unit_test(test_bad_urls),
	    cmocka_unit_test(test_error_messages),
	    cmocka_unit_test(test_reserved_characters_in_password),
	    cmocka_unit_test(test_password_with_at_and_slash),
	    cmocka_unit_test(test_where_the_query_starts),
	    cmocka_unit_test(test_slash_in_password_that_parses_is_still_hidden),
	    cmocka_unit_test(test_redacted_query_keeps_its_last_byte),
	    cmocka_unit_test(test_too_many_parameters),
	    cmocka_unit_test(test_pgurl_set),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
