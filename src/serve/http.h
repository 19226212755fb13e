/* http.h - a small read-only HTTP server over Debian's libmicrohttpd: a
 * table of exact paths, each answered by a function, GET and HEAD only.
 *
 * Bounded by construction: at most HTTP_MAX_CONNECTIONS at once (more are
 * refused by the library), a connection idle for HTTP_IDLE_TIMEOUT_S is
 * closed (a slow client cannot hold a slot), and the request line and
 * headers must fit in HTTP_REQUEST_MEMORY bytes (414 / 431 past that). One
 * thread serves every connection with poll(2), so a slow client never
 * blocks another. Any other method is answered 405 with "Allow: GET,
 * HEAD", any other path (a directory, "/metrics/", "/../") 404, a request
 * with a body 413.
 *
 * Answers run on the server's thread: they must be quick and must not
 * block on a backend.
 */
#ifndef OPSDECK_SERVE_HTTP_H
#define OPSDECK_SERVE_HTTP_H

#include <stddef.h>

#include "util/strbuf.h"

#define HTTP_MAX_CONNECTIONS 32
#define HTTP_IDLE_TIMEOUT_S  5
#define HTTP_REQUEST_MEMORY  8192

/* What an answer fills: the status (200 unless changed), the content type
 * and the body (empty, uncapped). */
struct http_reply {
	unsigned status;
	const char *content_type; /* static text */
	struct strbuf body;
};

struct http_route {
	const char *path; /* exact: "/metrics" */
	void (*answer)(void *ctx, struct http_reply *reply);
};

struct http_server;

/* Serves `routes` (count rows, kept by the caller while the server runs)
 * on the listening socket fd, which it takes: closed by http_server_stop,
 * or here on failure. ctx is handed to every answer. Returns 0, or -1
 * with why in err. */
int http_server_start(struct http_server **out, int fd, const struct http_route *routes,
                      size_t count, void *ctx, char *err, size_t errlen);

/* Stops serving, closes the connections and the socket, frees s;
 * NULL is a no-op. */
void http_server_stop(struct http_server *s);

#endif
