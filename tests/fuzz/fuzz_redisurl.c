/* fuzz_redisurl.c - feeds arbitrary text to redisurl_parse() as REDIS_URL.
 *
 * Beyond not crashing: an error has a message, leaves the struct empty and
 * quotes nothing from before the URL's last '@'; a success gives a port in
 * 1..65535, a non-negative db, either a host or a socket, a redacted URL
 * that shows the password fewer times than the input did, also when it
 * holds '@', '/', ':', '?' or '#' unencoded (url_redact() on the input too,
 * when it is one token), and fields that round-trip: the redacted URL parses
 * again to the same host, port, socket, user, db and TLS flag, with "***"
 * for the password (or nothing, when there was none). */
#include "fuzz.h"

#include "model/redact.h"
#include "config/redisurl.h"

/* The redacted URL parses back to the same fields. */
static void check_round_trip(const struct redisurl *u)
{
	char err[512];
	struct redisurl again;
	if (redisurl_parse(u->redacted, &again, err, sizeof(err)) < 0) {
		fprintf(stderr, "redacted URL does not parse: %s\n", err);
		abort();
	}
	FUZZ_CHECK(strcmp(again.host, u->host) == 0);
	FUZZ_CHECK(again.port == u->port);
	FUZZ_CHECK(strcmp(again.socket, u->socket) == 0);
	FUZZ_CHECK(strcmp(again.username, u->username) == 0);
	FUZZ_CHECK(again.db == u->db && again.tls == u->tls);
	/* An empty "password=" in the query is masked too (masking more is
	 * allowed), so it comes back as "***". */
	FUZZ_CHECK(strcmp(again.password, "***") == 0 || (!*u->password && !*again.password));
	redisurl_free(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = fuzz_string(data, size);
	struct redisurl u;
	char err[512] = "";
	if (redisurl_parse(url, &u, err, sizeof(err)) < 0) {
		FUZZ_CHECK(err[0] != '\0');
		fuzz_check_error_quotes(url, err);
		FUZZ_CHECK(u.redacted == NULL && u.password == NULL);
		redisurl_free(&u);
		free(url);
		return 0;
	}
	FUZZ_CHECK(u.port >= 1 && u.port <= 65535);
	FUZZ_CHECK(u.db >= 0);
	FUZZ_CHECK((*u.host != '\0') != (*u.socket != '\0'));
	fuzz_check_masked(url, u.redacted, u.password);
	fuzz_check_hidden(url, u.redacted, u.password);
	char shown[4096];
	url_redact(shown, sizeof(shown), url);
	if (strlen(url) < sizeof(shown) / 2 && fuzz_one_token(url)) {
		fuzz_check_masked(url, shown, u.password);
		fuzz_check_hidden(url, shown, u.password);
	}

	check_round_trip(&u);
	redisurl_free(&u);
	free(url);
	return 0;
}
