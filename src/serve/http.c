/* http.c - the read-only HTTP server over libmicrohttpd (http.h). Every
 * libmicrohttpd call is in this file. */
#include "serve/http.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/xalloc.h"

struct http_server {
	struct MHD_Daemon *daemon;
	const struct http_route *routes;
	size_t count;
	void *ctx;
};

static const struct http_route *http_find(const struct http_server *s, const char *path)
{
	for (size_t i = 0; i < s->count; i++)
		if (strcmp(s->routes[i].path, path) == 0)
			return &s->routes[i];
	return NULL;
}

/* Queues the reply (the body copied into the response) and frees it. */
static enum MHD_Result http_send(struct MHD_Connection *connection, struct http_reply *reply,
                                 const char *allow)
{
	size_t len = reply->body.len;
	char *body = strbuf_take(&reply->body);
	struct MHD_Response *response =
	    MHD_create_response_from_buffer(len, body ? body : (char *)"", MHD_RESPMEM_MUST_COPY);
	free(body);
	if (response == NULL)
		return MHD_NO;
	enum MHD_Result rc = MHD_YES;
	if (MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type) !=
	        MHD_YES ||
	    (allow && MHD_add_response_header(response, MHD_HTTP_HEADER_ALLOW, allow) != MHD_YES))
		rc = MHD_NO;
	if (rc == MHD_YES)
		rc = MHD_queue_response(connection, reply->status, response);
	MHD_destroy_response(response);
	return rc;
}

static void http_plain(struct http_reply *reply, unsigned status, const char *text)
{
	reply->status = status;
	reply->content_type = "text/plain; charset=utf-8";
	strbuf_reset(&reply->body);
	strbuf_puts(&reply->body, text);
}

/* libmicrohttpd's access handler. A refused request (another method, a
 * body) is answered on the first call, before a body is read: the library
 * then closes the connection. Any other is answered on the second call,
 * once the request is complete, so the connection can be kept alive. */
static enum MHD_Result http_handle(void *cls, struct MHD_Connection *connection, const char *url,
                                   const char *method, const char *version, const char *upload_data,
                                   size_t *upload_data_size, void **con_cls)
{
	(void)version;
	(void)upload_data;
	static int seen; /* a marker: the first call has been made */
	struct http_server *s = cls;
	struct http_reply reply = {.status = MHD_HTTP_OK, .content_type = "text/plain"};
	const char *allow = NULL;
	const char *length = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *chunked = MHD_lookup_connection_value(connection, MHD_HEADER_KIND,
	                                                  MHD_HTTP_HEADER_TRANSFER_ENCODING);
	strbuf_init(&reply.body, 0);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
		http_plain(&reply, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
		allow = "GET, HEAD";
	} else if ((length && strcmp(length, "0") != 0) || chunked || *upload_data_size != 0) {
		http_plain(&reply, MHD_HTTP_CONTENT_TOO_LARGE, "a request body is not accepted\n");
	} else if (*con_cls == NULL) {
		*con_cls = &seen;
		return MHD_YES;
	} else {
		const struct http_route *route = http_find(s, url);
		if (route)
			route->answer(s->ctx, &reply);
		else
			http_plain(&reply, MHD_HTTP_NOT_FOUND, "not found\n");
	}
	enum MHD_Result rc = http_send(connection, &reply, allow);
	strbuf_free(&reply.body);
	return rc;
}

int http_server_start(struct http_server **out, int fd, const struct http_route *routes,
                      size_t count, void *ctx, char *err, size_t errlen)
{
	*out = NULL;
	struct http_server *s = xcalloc(1, sizeof(*s));
	s->routes = routes;
	s->count = count;
	s->ctx = ctx;
	/* one thread, poll(2): a slow connection holds a slot, never the thread */
	s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL, 0, NULL, NULL,
	                             http_handle, s, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
	                             MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_MAX_CONNECTIONS,
	                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_TIMEOUT_S,
	                             MHD_OPTION_CONNECTION_MEMORY_LIMIT,
	                             (size_t)HTTP_REQUEST_MEMORY, MHD_OPTION_END);
	if (s->daemon == NULL) {
		snprintf(err, errlen, "cannot start the HTTP server (libmicrohttpd)");
		close(fd);
		free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	/* MHD_stop_daemon closes the listening socket it was given */
	MHD_stop_daemon(s->daemon);
	free(s);
}
