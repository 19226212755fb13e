/* url.c - S3 targets, endpoints and key encoding (see url.h). */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "s3/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/percent.h"
#include "util/xalloc.h"

static bool is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '~';
}

void s3_uri_encode(struct strbuf *out, const char *s, size_t n, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (is_unreserved(c) || (keep_slash && c == '/')) {
			strbuf_putc(out, (char)c);
		} else {
			char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
			strbuf_append(out, esc, 3);
		}
	}
}

void s3_uri_decode(struct strbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;
		if (s[i] == '%' && i + 2 < n && (hi = percent_hex_value(s[i + 1])) >= 0 &&
		    (lo = percent_hex_value(s[i + 2])) >= 0) {
			strbuf_putc(out, (char)(hi * 16 + lo));
			i += 2;
		} else {
			strbuf_putc(out, s[i]);
		}
	}
}

bool s3_bucket_name_valid(const char *bucket)
{
	size_t n = strlen(bucket);
	if (n < 3 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = bucket[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && c != '.' && c != '-')
			return false;
		if ((i == 0 || i == n - 1) && !alnum)
			return false;
	}
	return true;
}

int s3_target_parse(const char *url, struct s3_target *target, char *err, size_t errlen)
{
	target->bucket = NULL;
	target->prefix = NULL;
	if (strncmp(url, "s3://", 5) != 0) {
		snprintf(err, errlen, "is not an s3:// target");
		return -1;
	}
	const char *bucket = url + 5;
	const char *slash = strchr(bucket, '/');
	size_t bucket_len = slash ? (size_t)(slash - bucket) : strlen(bucket);
	char *name = xstrndup(bucket, bucket_len);
	if (!s3_bucket_name_valid(name)) {
		snprintf(err, errlen,
		         "does not name a valid S3 bucket (3 to 63 characters: "
		         "lowercase letters, digits, '.' and '-')");
		free(name);
		return -1;
	}
	const char *prefix = slash ? slash + 1 : "";
	while (*prefix == '/')
		prefix++;
	if (strchr(prefix, '?') || strchr(prefix, '#')) {
		snprintf(err, errlen, "may not hold '?' or '#' in its s3:// prefix");
		free(name);
		return -1;
	}
	target->bucket = name;
	target->prefix = xstrdup(prefix);
	return 0;
}

void s3_target_free(struct s3_target *target)
{
	if (!target)
		return;
	free(target->bucket);
	free(target->prefix);
	target->bucket = NULL;
	target->prefix = NULL;
}

/* A host name or IPv4 address, or an IPv6 address in brackets: what may
 * go into a Host header and a signed request. */
static bool endpoint_host_valid(const char *host, size_t n)
{
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		return n > 2 && strspn(host + 1, "0123456789abcdefABCDEF:.") == n - 2;
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_unreserved((unsigned char)host[i]) || host[i] == '~')
			return false;
	return true;
}

int s3_endpoint_parse(const char *url, struct s3_endpoint *endpoint, char *err, size_t errlen)
{
	endpoint->https = false;
	endpoint->host_port = NULL;
	endpoint->base = NULL;
	const char *rest;
	if (strncmp(url, "http://", 7) == 0) {
		rest = url + 7;
	} else if (strncmp(url, "https://", 8) == 0) {
		endpoint->https = true;
		rest = url + 8;
	} else {
		snprintf(err, errlen, "the S3 endpoint must start with http:// or https://");
		return -1;
	}
	size_t n = strcspn(rest, "/?#");
	if (strchr(rest, '@')) {
		snprintf(err, errlen, "the S3 endpoint may not hold a user or password");
		return -1;
	}
	if (rest[n] == '?' || rest[n] == '#' || (rest[n] == '/' && rest[n + 1] != '\0')) {
		snprintf(err, errlen, "the S3 endpoint may not have a path or query");
		return -1;
	}
	if (n == 0) {
		snprintf(err, errlen, "the S3 endpoint has no host");
		return -1;
	}
	char *host_port = xstrndup(rest, n);
	/* A default port is left out of Host, as clients (and signers) do. */
	const char *colon = strrchr(host_port, ':');
	if (colon && strchr(colon, ']'))
		colon = NULL; /* inside an IPv6 address */
	if (!endpoint_host_valid(host_port, colon ? (size_t)(colon - host_port) : n)) {
		snprintf(err, errlen, "the S3 endpoint has a bad host name");
		free(host_port);
		return -1;
	}
	if (colon) {
		const char *port = colon + 1;
		if (*port == '\0' || strspn(port, "0123456789") != strlen(port) || atol(port) < 1 ||
		    atol(port) > 65535) {
			snprintf(err, errlen, "the S3 endpoint has a bad port");
			free(host_port);
			return -1;
		}
		if ((endpoint->https && strcmp(port, "443") == 0) ||
		    (!endpoint->https && strcmp(port, "80") == 0))
			host_port[colon - host_port] = '\0';
	}
	endpoint->host_port = host_port;
	endpoint->base = xasprintf("%s://%s", endpoint->https ? "https" : "http", host_port);
	return 0;
}

void s3_endpoint_free(struct s3_endpoint *endpoint)
{
	if (!endpoint)
		return;
	free(endpoint->host_port);
	free(endpoint->base);
	endpoint->host_port = NULL;
	endpoint->base = NULL;
}
