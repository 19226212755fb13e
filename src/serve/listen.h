/* listen.h - the address a server listens on: "ADDR:PORT" parsed, a
 * listening TCP socket made from it, and the address it was bound to.
 *
 * ADDR is an IPv4 address, a bracketed IPv6 address ("[::1]:9877") or a
 * host name that resolves locally ("localhost"); PORT is 0..65535, 0
 * letting the kernel choose (the bound address says which).
 */
#ifndef OPSDECK_SERVE_LISTEN_H
#define OPSDECK_SERVE_LISTEN_H

#include <stddef.h>

/* The room an address needs as text: "[v6 address]:65535". */
#define LISTEN_ADDRESS_TEXT 64

/* Splits "ADDR:PORT" into host (without brackets) and port. Returns 0, or
 * -1 with why in err (no port, a port out of range, an empty host,
 * an IPv6 address without brackets). Pure. */
int listen_split(const char *spec, char *host, size_t hostlen, unsigned *port, char *err,
                 size_t errlen);

/* A TCP socket bound to spec and listening (close-on-exec, SO_REUSEADDR),
 * its address as text in bound ("127.0.0.1:9877"). Returns the socket, or
 * -1 with why in err ("127.0.0.1:9877: Address already in use"). The caller
 * owns the socket. */
int listen_open(const char *spec, char *bound, size_t boundlen, char *err, size_t errlen);

#endif
