/* url.h - S3 addresses: targets, endpoints, and key encoding.
 *
 * An S3 backup target is written "s3://bucket/prefix" (repo/url.h reads
 * the other kinds); an endpoint (MinIO,
 * s3rver, Ceph) "http://host:port". Keys are percent-encoded the way SigV4
 * and S3 want them: every byte except A-Z a-z 0-9 - _ . ~ becomes %XX
 * (uppercase hex), and '/' is kept in object keys (it is a separator S3
 * shows as folders) but encoded in query values.
 *
 * Pure functions; results are owned by the caller.
 */
#ifndef OPSDECK_S3_URL_H
#define OPSDECK_S3_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

struct s3_target {
	char *bucket; /* validated: 3..63 of a-z 0-9 . - */
	char *prefix; /* "" or the key prefix, without a leading '/' */
};

/* Parses "s3://bucket[/prefix]". Leading '/'s of the prefix are dropped; a
 * trailing '/' is kept (it is part of the key). Returns 0, or -1 with a
 * reason in err, phrased to follow the quoted target ("does not name ..."). */
int s3_target_parse(const char *url, struct s3_target *target, char *err, size_t errlen);
void s3_target_free(struct s3_target *target);

/* Whether a bucket name is one S3 accepts (3..63 bytes of lowercase letters,
 * digits, '.' and '-', starting and ending with a letter or digit). */
bool s3_bucket_name_valid(const char *bucket);

struct s3_endpoint {
	bool https;
	char *host_port; /* the Host header: "127.0.0.1:9000", or "host" on a default port */
	char *base;      /* "http://127.0.0.1:9000", no trailing '/' */
};

/* Parses "http[s]://host[:port][/]". No path, query, user or password is
 * accepted. Returns 0, or -1 with a reason in err. */
int s3_endpoint_parse(const char *url, struct s3_endpoint *endpoint, char *err, size_t errlen);
void s3_endpoint_free(struct s3_endpoint *endpoint);

/* Appends s[0..n) percent-encoded to out; '/' is kept when keep_slash. */
void s3_uri_encode(struct strbuf *out, const char *s, size_t n, bool keep_slash);

/* Decodes %XX sequences of s[0..n) into out (a '%' not followed by two hex
 * digits is kept as is; '+' is a plus, not a space). */
void s3_uri_decode(struct strbuf *out, const char *s, size_t n);

#endif
