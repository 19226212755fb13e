/* redact.h - keep secrets out of everything opsdeck prints.
 *
 * Two tools: url_redact() masks the password of any scheme://user:pass@host
 * URL, and a process-wide registry of secret strings (passwords, keys,
 * tokens, registered when the config is loaded) that redact_text() masks
 * wherever they appear — in a library's error message, say. Output code runs
 * every backend string through redact_text() as a second guard.
 */
#ifndef OPSDECK_CONFIG_REDACT_H
#define OPSDECK_CONFIG_REDACT_H

#include <stddef.h>

#define REDACT_MASK "***"

/* Writes url with its password (if any) replaced by "***" into dst; text
 * that is not a URL is copied unchanged (but still passed through
 * redact_text()). Works on running text too: every URL in it is masked, and
 * so is the value of a conninfo-style "password=..." (or sslpassword=...)
 * and of a query parameter whose name says it holds a credential (?token=,
 * &api_key=, &secret=, &auth=, &X-Amz-Signature=, ...).
 * When in doubt it masks more (a password with an unencoded '/' hides the
 * rest of the URL). Always terminates dst. */
void url_redact(char *dst, size_t size, const char *url);

/* Whether text holds a URL with a password in it (scheme://user:pass@host,
 * or redis://pass@host). The config loader uses it to find a secret written
 * literally in a file. Returns 1 or 0. */
int url_has_password(const char *text);

/* Whether text holds anything url_redact() would mask: a URL's password,
 * a conninfo-style password= value or a credential in a URL's query string
 * (?token=...). The config loader uses it to find a secret written
 * literally in a file. Returns 1 or 0. */
int text_has_credential(const char *text);

/* Takes a URL in an allocated string and returns it (allocated, owned by
 * the caller) with any password masked; `text` is freed. */
char *url_redact_take(char *text);

/* Remembers a secret; values shorter than 3 bytes are ignored (masking "a"
 * everywhere would garble text and hide nothing). Thread-safe. */
void redact_register(const char *secret);

/* Replaces every registered secret in s (in place, NUL-terminated, buffer
 * of `size` bytes) with "***". Thread-safe. */
void redact_text(char *s, size_t size);

/* Forgets every secret (for tests). */
void redact_clear(void);

#endif
