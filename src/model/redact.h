/* redact.h - keep secrets out of everything opsdeck prints.
 *
 * Two tools: url_redact() masks the password of any scheme://user:pass@host
 * URL, and a process-wide registry of secret strings (passwords, keys,
 * tokens, registered when the config is loaded) that redact_text() masks
 * wherever they appear — in a library's error message, say. Output code runs
 * every backend string through redact_text() as a second guard.
 */
#ifndef OPSDECK_MODEL_REDACT_H
#define OPSDECK_MODEL_REDACT_H

#include <stdbool.h>
#include <stddef.h>

#define REDACT_MASK "***"

/* Writes url with its password (if any) replaced by "***" into dst; text
 * that is not a URL is copied unchanged (but still passed through
 * redact_text()). Works on running text too: every URL in it is masked, and
 * so is the value of a conninfo-style "password=..." (or sslpassword=...)
 * and of a query parameter whose name says it holds a credential (?token=,
 * &api_key=, &secret=, &auth=, &X-Amz-Signature=, ...).
 * A URL's password runs from the ':' in its user information to the last '@'
 * of the URL, wherever that is: when in doubt it masks more (an '@' in a
 * query string hides what comes before it). Always terminates dst. */
void url_redact(char *dst, size_t size, const char *url);

/* Where the user information of a URL ends. `rest` is the URL after its
 * "scheme://". The rule, shared by every URL parser (opsdeck.conf(5), "URLs"):
 * the query string starts at the first '?' followed by a parameter name and
 * '=' ("?sslmode=", "?db="); the user information ends at the last '@' before
 * it. So a password may hold '@', '/', ':', '#' and a '?' that does not start
 * "?name=", all unencoded, and the host is what follows the last such '@'.
 * Returns that '@', or NULL when there is none. *query_at is set to the first
 * '@' after the start of the query string, or NULL: with one there, the
 * password might run on into the query, so the URL is ambiguous and its
 * parser refuses it without guessing a host. */
const char *url_userinfo_end(const char *rest, const char **query_at);

/* How a parser says it refuses an ambiguous URL, after "the URL". */
#define URL_AMBIGUOUS_REASON                                                                       \
	"has an '@' in its query string, so where its password ends is ambiguous "                 \
	"(percent-encode '@' as %40 in the password and in query values)"

/* A URL's authority, split by url_userinfo_end()'s rule. */
struct url_authority {
	const char *at;       /* the '@' ending the user information, or NULL */
	const char *host;     /* where the host part starts (after `at`) */
	const char *host_end; /* the first '/' or '?' after it, or the end */
	bool several_at;      /* the user information holds an '@' too: error
	                       * messages then quote nothing from the URL */
};

/* Splits `rest`, the URL after its "scheme://". Returns 0, or -1 when the
 * URL is ambiguous (an '@' inside its query string). */
int url_split_authority(const char *rest, struct url_authority *out);

/* Whether text holds a URL with a password in it (scheme://user:pass@host,
 * or redis://pass@host). The config loader uses it to find a secret written
 * literally in a file. Returns 1 or 0. */
int url_has_password(const char *text);

/* Whether text holds anything url_redact() would mask: a URL's password,
 * a conninfo-style password= value or a credential in a URL's query string
 * (?token=...). The config loader uses it to find a secret written
 * literally in a file. Returns 1 or 0. */
int text_has_credential(const char *text);

/* Remembers a secret; values shorter than 3 bytes are ignored (masking "a"
 * everywhere would garble text and hide nothing). Thread-safe. */
void redact_register(const char *secret);

/* Replaces every registered secret in s (in place, NUL-terminated, buffer
 * of `size` bytes) with "***". Thread-safe. */
void redact_text(char *s, size_t size);

/* Forgets every secret (for tests). */
void redact_clear(void);

#endif
