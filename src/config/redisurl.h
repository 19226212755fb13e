/* redisurl.h - Redis connection URLs.
 *
 * redis://[[user]:password@]host[:port][/db][?db=N] and
 * unix://[[user]:password@]/path/to.sock[?db=N]. A user part without ':'
 * (redis://secret@host) is a password, as many clients read it; username and
 * password may also be query parameters. rediss://... is the same over TLS
 * (tls set; client/tls.h, with the [redis] tls_* keys).
 */
#ifndef OPSDECK_CONFIG_REDISURL_H
#define OPSDECK_CONFIG_REDISURL_H

#include <stdbool.h>
#include <stddef.h>

struct redisurl {
	char *host;     /* "" for a unix socket */
	int port;       /* default 6379 */
	char *socket;   /* unix socket path, or "" */
	char *username; /* "" when none: AUTH password (or the "default" user) */
	char *password; /* "" when none; a secret: never print it */
	int db;         /* default 0 */
	bool tls;       /* rediss:// */
	char *redacted; /* the URL with the password replaced by "***" */
};

/* Returns 0, or -1 with a reason in err that never contains the password
 * (out is then freed-and-empty). */
int redisurl_parse(const char *url, struct redisurl *out, char *err, size_t errlen);
void redisurl_free(struct redisurl *u);

#endif
