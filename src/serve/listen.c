/* listen.c - parsing "ADDR:PORT" and opening the listening socket
 * (listen.h). */
#include "serve/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util/text.h"

/* Connections the kernel queues before the server accepts them. */
#define LISTEN_BACKLOG 64

int listen_split(const char *spec, char *host, size_t hostlen, unsigned *port, char *err,
                 size_t errlen)
{
	const char *colon;
	const char *host_start = spec;
	size_t host_len;
	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');
		if (close == NULL || close[1] != ':') {
			snprintf(err, errlen, "'%s': want [ADDRESS]:PORT for an IPv6 address",
			         spec);
			return -1;
		}
		host_start = spec + 1;
		host_len = (size_t)(close - host_start);
		colon = close + 1;
	} else {
		colon = strrchr(spec, ':');
		if (colon == NULL) {
			snprintf(err, errlen, "'%s': want ADDRESS:PORT (e.g. 127.0.0.1:9877)",
			         spec);
			return -1;
		}
		if (memchr(spec, ':', (size_t)(colon - spec)) != NULL) {
			snprintf(err, errlen, "'%s': write an IPv6 address in brackets: [::1]:9877",
			         spec);
			return -1;
		}
		host_len = (size_t)(colon - spec);
	}
	if (host_len == 0) {
		snprintf(err, errlen, "'%s': no address before the port (e.g. 127.0.0.1:9877)",
		         spec);
		return -1;
	}
	if (host_len >= hostlen) {
		snprintf(err, errlen, "'%s': the address is too long", spec);
		return -1;
	}
	int64_t value;
	if (text_parse_int64(colon + 1, &value) < 0 || value < 0 || value > 65535 ||
	    colon[1] < '0' || colon[1] > '9') {
		snprintf(err, errlen, "'%s': the port is not a number from 0 to 65535", spec);
		return -1;
	}
	memcpy(host, host_start, host_len);
	host[host_len] = '\0';
	*port = (unsigned)value;
	return 0;
}

/* The socket's own address as "HOST:PORT" / "[HOST]:PORT". */
static void listen_describe(int fd, char *bound, size_t boundlen)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN] = "?";
	unsigned port = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET6) {
			const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
			port = ntohs(a->sin6_port);
			snprintf(bound, boundlen, "[%s]:%u", host, port);
			return;
		}
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
		inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
		port = ntohs(a->sin_port);
	}
	snprintf(bound, boundlen, "%s:%u", host, port);
}

int listen_open(const char *spec, char *bound, size_t boundlen, char *err, size_t errlen)
{
	char host[LISTEN_ADDRESS_TEXT], service[8];
	unsigned port;
	struct addrinfo *found = NULL;
	int fd = -1;
	if (listen_split(spec, host, sizeof(host), &port, err, errlen) < 0)
		goto fail;
	snprintf(service, sizeof(service), "%u", port);
	struct addrinfo hints;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	int gai = getaddrinfo(host, service, &hints, &found);
	if (gai != 0) {
		snprintf(err, errlen, "%s: %s", spec, gai_strerror(gai));
		goto fail;
	}
	fd = socket(found->ai_family, found->ai_socktype | SOCK_CLOEXEC, found->ai_protocol);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot make a socket: %s", spec, strerror(errno));
		goto fail;
	}
	int on = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(fd, found->ai_addr, found->ai_addrlen) < 0 || listen(fd, LISTEN_BACKLOG) < 0) {
		snprintf(err, errlen, "%s: %s", spec, strerror(errno));
		goto fail;
	}
	listen_describe(fd, bound, boundlen);
	freeaddrinfo(found);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	if (found)
		freeaddrinfo(found);
	return -1;
}
