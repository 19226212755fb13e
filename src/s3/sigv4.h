/* sigv4.h - AWS Signature Version 4, as pure functions.
 *
 * No I/O and no clock: the caller gives the request, the credentials and the
 * time (an ISO 8601 basic "20150830T123600Z"), and gets back the
 * Authorization header value. The pieces (canonical query, canonical request,
 * string to sign, signing key) are exposed so tests can check each one against
 * the published AWS test-suite vectors.
 *
 * What is signed is exactly what the caller sends: the canonical URI is taken
 * as given (S3 wants it encoded once, not normalised), and the query goes
 * through sigv4_canonical_query(), whose output the caller should also put on
 * the wire, so the two can never disagree (libcurl 7.88's CURLOPT_AWS_SIGV4
 * signs "?uploads" and unsorted queries differently from AWS).
 *
 * Nothing here keeps a secret beyond the call; outputs that hold one (the
 * signing key) are the caller's to wipe.
 */
#ifndef OPSDECK_S3_SIGV4_H
#define OPSDECK_S3_SIGV4_H

#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

#define SIGV4_SHA256_HEX_LEN   64 /* without the NUL */
#define SIGV4_UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
/* SHA-256 of the empty string, the payload hash of a request without a body. */
#define SIGV4_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

struct sigv4_header {
	const char *name;  /* any case; lowercased when signed */
	const char *value; /* trimmed, inner runs of spaces folded, when signed */
};

struct sigv4_request {
	const char *method;        /* "GET", "PUT"... */
	const char *canonical_uri; /* the path as sent, already URI-encoded ("/" when empty) */
	const char *query;         /* as sent, without '?'; NULL or "" when none */
	const struct sigv4_header *headers; /* every header to sign; must include host */
	size_t header_count;
	const char *payload_hash; /* lowercase hex SHA-256 of the body, or UNSIGNED-PAYLOAD */
};

struct sigv4_credentials {
	const char *access_key;
	const char *secret_key; /* a secret */
	const char *region;     /* "us-east-1" */
	const char *service;    /* "s3" ("service" in the AWS test suite) */
};

/* Lowercase hex SHA-256 of data into hex[65]. */
void sigv4_sha256_hex(const void *data, size_t len, char hex[SIGV4_SHA256_HEX_LEN + 1]);

/* HMAC-SHA256 of data under key into out[32]. */
void sigv4_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       unsigned char out[32]);

/* The query in canonical form: each name and value percent-decoded then
 * encoded again (every byte but A-Z a-z 0-9 - _ . ~), "name" without a value
 * becoming "name=", pairs sorted by name then value. Appends to out. */
void sigv4_canonical_query(struct strbuf *out, const char *query);

/* The canonical request (method, URI, query, headers, signed header list,
 * payload hash, joined by newlines). Appends to out; also appends the signed
 * header list ("host;x-amz-date") to signed_headers. */
void sigv4_canonical_request(struct strbuf *out, struct strbuf *signed_headers,
                             const struct sigv4_request *req);

/* "AWS4-HMAC-SHA256\nDATE\nSCOPE\nHEX(SHA256(canonical))". amz_date is
 * "YYYYMMDDTHHMMSSZ". Appends to out. */
void sigv4_string_to_sign(struct strbuf *out, const char *amz_date, const char *region,
                          const char *service, const char *canonical_request);

/* The signing key: HMAC chain over "AWS4"+secret, date, region, service,
 * "aws4_request". key[32] is a secret. */
void sigv4_signing_key(const char *secret_key, const char *date8, const char *region,
                       const char *service, unsigned char key[32]);

/* Signs req: writes the Authorization header value ("AWS4-HMAC-SHA256
 * Credential=..., SignedHeaders=..., Signature=...") into authorization, and,
 * when canonical_out is not NULL, the canonical request into it (for tests and
 * debugging; never logged). Returns 0, or -1 when amz_date is malformed or
 * authorization is too small. */
int sigv4_sign(const struct sigv4_request *req, const struct sigv4_credentials *cred,
               const char *amz_date, char *authorization, size_t authorization_len,
               struct strbuf *canonical_out);

/* Formats a UNIX time (seconds) as "YYYYMMDDTHHMMSSZ" into out[17]. */
void sigv4_format_date(int64_t unix_seconds, char out[17]);

#endif
