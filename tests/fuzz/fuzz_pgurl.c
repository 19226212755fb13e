/* fuzz_pgurl.c - feeds arbitrary text to pgurl_parse() as DATABASE_URL.
 *
 * Beyond not crashing: an error has a message, leaves the struct empty and
 * quotes nothing from before the URL's last '@' (where any reading of the
 * URL may have put the password); a success gives NULL-terminated
 * keyword/value arrays within the limit, a redacted URL that shows the
 * password fewer times than the input did, also when it holds '@', '/',
 * ':', '?' or '#' unencoded (and url_redact() on the input does the same
 * when it is one token), room for the keywords the probe adds, and fields
 * that round-trip: the redacted URL parses again to the same host, port,
 * user, database and schema, with "***" for the password (or nothing, when
 * there was none). */
#include "fuzz.h"

#include "config/pgurl.h"
#include "model/redact.h"

/* The redacted URL parses back to the same fields. */
static void check_round_trip(const struct pgurl *u)
{
	char err[512];
	struct pgurl again;
	if (pgurl_parse(u->redacted, 3000, &again, err, sizeof(err)) < 0) {
		fprintf(stderr, "redacted URL does not parse: %s\n", err);
		abort();
	}
	FUZZ_CHECK(strcmp(again.host, u->host) == 0);
	FUZZ_CHECK(strcmp(again.port, u->port) == 0);
	FUZZ_CHECK(strcmp(again.user, u->user) == 0);
	FUZZ_CHECK(strcmp(again.dbname, u->dbname) == 0);
	FUZZ_CHECK(strcmp(again.schema, u->schema) == 0);
	/* An empty "password=" in the query is masked too (masking more is
	 * allowed), so it comes back as "***". */
	FUZZ_CHECK(strcmp(again.password, "***") == 0 || (!*u->password && !*again.password));
	pgurl_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = fuzz_string(data, size);
	struct pgurl u;
	char err[512] = "";
	if (pgurl_parse(url, 3000, &u, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0] != '\0');
		fuzz_check_error_quotes(url, err);
		FUZZ_CHECK(u.count == 0 && u.redacted == NULL && u.password == NULL);
		pgurl_free(&u);
		free(url);
		return 0;
	}
	FUZZ_CHECK(u.count <= PGURL_MAX_PARAMS);
	FUZZ_CHECK(u.keywords[u.count] == NULL && u.values[u.count] == NULL);
	for (size_t i = 0; i < u.count; i++)
		FUZZ_CHECK(u.keywords[i] && u.values[i]);
	fuzz_check_masked(url, u.redacted, u.password);
	fuzz_check_hidden(url, u.redacted, u.password);
	char shown[4096];
	url_redact(shown, sizeof(shown), url);
	if (strlen(url) < sizeof(shown) / 2 && fuzz_one_token(url)) {
		fuzz_check_masked(url, shown, u.password);
		fuzz_check_hidden(url, shown, u.password);
	}

	/* Room for what the probe adds. */
	pgurl_set(&u, "options", "-c statement_timeout=5000");

	check_round_trip(&u);
	pgurl_free(&u);
	free(url);
	return 0;
}
