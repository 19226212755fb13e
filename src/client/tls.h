/* tls.h - a TLS client connection over a socket the caller has connected,
 * driven against a deadline (OpenSSL's libssl). Used where a client library
 * speaks plain TCP only: Redis over rediss:// (hiredis 0.14 has no TLS; the
 * Redis session formats and parses with hiredis and moves the bytes here).
 *
 * The socket is non-blocking; every wait is a poll() against deadline_ms
 * (CLOCK_MONOTONIC), so a server that stops in the middle of a handshake or
 * a reply never holds the caller past it. TLS 1.2 or later; the server's
 * certificate is verified against tls_ca (the system's store when unset)
 * and its name against the host (a DNS name, or an IP address against the
 * certificate's IP SANs); SNI is sent for a DNS name. With verify false
 * the chain and name are not checked (the connection is still encrypted).
 *
 * Messages are one line, the host and file paths at most: never a key's
 * contents. Call with SIGPIPE blocked (a write to a closed connection).
 */
#ifndef OPSDECK_CLIENT_TLS_H
#define OPSDECK_CLIENT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct tls_options {
	const char *ca_file;   /* PEM; NULL or "": the system's trust store */
	const char *cert_file; /* PEM client certificate (chain); NULL or "": none */
	const char *key_file;  /* its private key; set with cert_file */
	bool verify;           /* check the chain and the name (default true) */
};

/* What tls_write_all and tls_read_some return besides a count. */
enum {
	TLS_FAILED = -1,    /* why in err */
	TLS_TIMED_OUT = -2, /* the deadline passed */
};

struct tls_conn;

/* Starts TLS on fd (connected, non-blocking; borrowed: the caller closes it
 * after tls_close) to host, handshake included, by deadline_ms. Returns 0,
 * TLS_TIMED_OUT, or TLS_FAILED with why in err: "certificate verify
 * failed: <OpenSSL's reason>", "the server's certificate does not match
 * <host>", "TLS handshake failed: <reason>", "cannot load tls_ca <path>:
 * <reason>". *out is NULL unless 0 is returned. */
int tls_open(struct tls_conn **out, int fd, const char *host, const struct tls_options *o,
             int64_t deadline_ms, char *err, size_t errlen);

/* Writes all len bytes by deadline_ms: 0, TLS_TIMED_OUT or TLS_FAILED. */
int tls_write_all(struct tls_conn *t, const void *buf, size_t len, int64_t deadline_ms, char *err,
                  size_t errlen);

/* Reads what has arrived, at most len bytes, waiting by deadline_ms for the
 * first: the count (> 0), 0 when the server closed the connection,
 * TLS_TIMED_OUT or TLS_FAILED. */
ssize_t tls_read_some(struct tls_conn *t, void *buf, size_t len, int64_t deadline_ms, char *err,
                      size_t errlen);

/* "TLSv1.3 TLS_AES_256_GCM_SHA384", for a check's detail. */
const char *tls_describe(const struct tls_conn *t, char *buf, size_t len);

/* Frees t (no close_notify is waited for); NULL is a no-op. */
void tls_close(struct tls_conn *t);

#endif
