/* tls.c - a TLS client connection against a deadline (tls.h). Every
 * OpenSSL call is in this file. */
#include "client/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "util/xalloc.h"

struct tls_conn {
	SSL_CTX *ctx;
	SSL *ssl;
	bool certificate_asked; /* the server asked for a client certificate we lack */
};

/* Called when the server asks for a client certificate and none is
 * configured: noted, so that the failure that follows says why. */
static int tls_no_client_certificate(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
	(void)x509;
	(void)pkey;
	struct tls_conn *t = SSL_get_app_data(ssl);
	if (t)
		t->certificate_asked = true;
	return 0; /* go on without one: the server decides */
}

/* OpenSSL's reason for the newest error on this thread's queue, or
 * fallback; the queue is emptied. */
static const char *tls_reason(const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	ERR_clear_error();
	return reason ? reason : fallback;
}

static bool tls_is_ip(const char *host)
{
	unsigned char addr[sizeof(struct in6_addr)];
	return inet_pton(AF_INET, host, addr) == 1 || inet_pton(AF_INET6, host, addr) == 1;
}

static bool tls_set(const char *s)
{
	return s && s[0];
}

/* The context: TLS 1.2 or later, the trust store, the client's pair. */
static SSL_CTX *tls_context(const struct tls_options *o, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL) {
		snprintf(err, errlen, "cannot start TLS: %s", tls_reason("out of memory"));
		return NULL;
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		snprintf(err, errlen, "cannot require TLS 1.2: %s", tls_reason("unknown"));
		goto fail;
	}
	SSL_CTX_set_verify(ctx, o->verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, NULL);
	if (tls_set(o->ca_file)) {
		if (SSL_CTX_load_verify_locations(ctx, o->ca_file, NULL) != 1) {
			snprintf(err, errlen, "cannot load tls_ca %s: %s", o->ca_file,
			         tls_reason("not a PEM certificate"));
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		snprintf(err, errlen, "cannot load the system's trusted certificates: %s",
		         tls_reason("unknown"));
		goto fail;
	}
	if (!tls_set(o->cert_file))
		SSL_CTX_set_client_cert_cb(ctx, tls_no_client_certificate);
	if (tls_set(o->cert_file)) {
		if (SSL_CTX_use_certificate_chain_file(ctx, o->cert_file) != 1) {
			snprintf(err, errlen, "cannot load tls_cert %s: %s", o->cert_file,
			         tls_reason("not a PEM certificate"));
			goto fail;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, o->key_file ? o->key_file : "",
		                                SSL_FILETYPE_PEM) != 1) {
			snprintf(err, errlen, "cannot load tls_key %s: %s",
			         o->key_file ? o->key_file : "",
			         tls_reason("not a PEM private key"));
			goto fail;
		}
		if (SSL_CTX_check_private_key(ctx) != 1) {
			snprintf(err, errlen, "tls_key %s is not the key of tls_cert %s",
			         o->key_file, o->cert_file);
			ERR_clear_error();
			goto fail;
		}
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* The connection's name checks and SNI. */
static int tls_name(SSL *ssl, const char *host, bool verify, char *err, size_t errlen)
{
	bool ip = tls_is_ip(host);
	if (!ip && SSL_set_tlsext_host_name(ssl, host) != 1) {
		snprintf(err, errlen, "cannot send the server name %s: %s", host,
		         tls_reason("unknown"));
		return -1;
	}
	if (!verify)
		return 0;
	X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
	int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host) : SSL_set1_host(ssl, host);
	if (ok != 1) {
		snprintf(err, errlen, "cannot check the certificate's name %s: %s", host,
		         tls_reason("unknown"));
		return -1;
	}
	return 0;
}

/* Explains a failed SSL call: returns TLS_FAILED with why in err, or 0
 * after waiting for the socket as the call asked (TLS_TIMED_OUT at the
 * deadline). what: "TLS handshake", "TLS read", "TLS write". */
static int tls_explain(struct tls_conn *t, int rc, const char *what, int64_t deadline_ms, char *err,
                       size_t errlen)
{
	int fd = SSL_get_fd(t->ssl);
	int code = SSL_get_error(t->ssl, rc);
	if (code == SSL_ERROR_WANT_READ || code == SSL_ERROR_WANT_WRITE) {
		int ready =
		    client_wait_fd(fd, code == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline_ms);
		if (ready > 0)
			return 0;
		if (ready == 0)
			return TLS_TIMED_OUT;
		snprintf(err, errlen, "poll: %s", strerror(errno));
		return TLS_FAILED;
	}
	long verify = SSL_get_verify_result(t->ssl);
	if (code == SSL_ERROR_SSL && verify != X509_V_OK) {
		snprintf(err, errlen, "certificate verify failed: %s",
		         X509_verify_cert_error_string(verify));
		ERR_clear_error();
		return TLS_FAILED;
	}
	if (code == SSL_ERROR_SSL) {
		snprintf(err, errlen, "%s failed: %s", what, tls_reason("protocol error"));
		return TLS_FAILED;
	}
	if (code == SSL_ERROR_ZERO_RETURN || (code == SSL_ERROR_SYSCALL && errno == 0)) {
		snprintf(err, errlen, "%s failed: the server closed the connection", what);
		ERR_clear_error();
		return TLS_FAILED;
	}
	snprintf(err, errlen, "%s failed: %s", what,
	         code == SSL_ERROR_SYSCALL ? strerror(errno) : tls_reason("unknown"));
	ERR_clear_error();
	return TLS_FAILED;
}

/* tls_explain, and when the server asked for a client certificate that
 * is not configured, a failure says so: the server's own alert may be lost
 * when it resets the connection. */
static int tls_wait_or_fail(struct tls_conn *t, int rc, const char *what, int64_t deadline_ms,
                            char *err, size_t errlen)
{
	int result = tls_explain(t, rc, what, deadline_ms, err, errlen);
	if (result == TLS_FAILED && t->certificate_asked) {
		size_t used = strlen(err);
		snprintf(err + used, errlen - used,
		         " (the server asked for a client certificate, and none is configured)");
	}
	return result;
}

int tls_open(struct tls_conn **out, int fd, const char *host, const struct tls_options *o,
             int64_t deadline_ms, char *err, size_t errlen)
{
	*out = NULL;
	ERR_clear_error();
	struct tls_conn *t = xcalloc(1, sizeof(*t));
	int rc = TLS_FAILED;
	t->ctx = tls_context(o, err, errlen);
	if (t->ctx == NULL)
		goto done;
	t->ssl = SSL_new(t->ctx);
	if (t->ssl == NULL || SSL_set_fd(t->ssl, fd) != 1 || SSL_set_app_data(t->ssl, t) != 1) {
		snprintf(err, errlen, "cannot start TLS: %s", tls_reason("out of memory"));
		goto done;
	}
	if (tls_name(t->ssl, host, o->verify, err, errlen) < 0)
		goto done;
	for (;;) {
		errno = 0;
		int r = SSL_connect(t->ssl);
		if (r == 1)
			break;
		rc = tls_wait_or_fail(t, r, "TLS handshake", deadline_ms, err, errlen);
		if (rc < 0)
			goto done;
	}
	*out = t;
	return 0;
done:
	tls_close(t);
	return rc;
}

int tls_write_all(struct tls_conn *t, const void *buf, size_t len, int64_t deadline_ms, char *err,
                  size_t errlen)
{
	const char *p = buf;
	ERR_clear_error();
	while (len > 0) {
		size_t n = 0;
		errno = 0;
		int r = SSL_write_ex(t->ssl, p, len, &n);
		if (r == 1) {
			p += n;
			len -= n;
			continue;
		}
		int rc = tls_wait_or_fail(t, r, "TLS write", deadline_ms, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

ssize_t tls_read_some(struct tls_conn *t, void *buf, size_t len, int64_t deadline_ms, char *err,
                      size_t errlen)
{
	ERR_clear_error();
	for (;;) {
		size_t n = 0;
		errno = 0;
		int r = SSL_read_ex(t->ssl, buf, len, &n);
		if (r == 1)
			return (ssize_t)n;
		if (SSL_get_error(t->ssl, r) == SSL_ERROR_ZERO_RETURN) {
			ERR_clear_error();
			return 0; /* close_notify: the server ended the connection */
		}
		int rc = tls_wait_or_fail(t, r, "TLS read", deadline_ms, err, errlen);
		if (rc < 0)
			return rc;
	}
}

const char *tls_describe(const struct tls_conn *t, char *buf, size_t len)
{
	const SSL_CIPHER *cipher = SSL_get_current_cipher(t->ssl);
	snprintf(buf, len, "%s %s", SSL_get_version(t->ssl),
	         cipher ? SSL_CIPHER_get_name(cipher) : "");
	return buf;
}

void tls_close(struct tls_conn *t)
{
	if (t == NULL)
		return;
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	free(t);
}
