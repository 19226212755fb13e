/* sigv4.c - AWS Signature Version 4 (see sigv4.h). SHA-256 and HMAC come
 * from libcrypto (OpenSSL 3's EVP interfaces), the rest is string work. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "s3/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "s3/url.h"
#include "util/message.h"
#include "util/xalloc.h"

static void hex_encode(const unsigned char *bytes, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[bytes[i] >> 4];
		out[2 * i + 1] = hex[bytes[i] & 15];
	}
	out[2 * n] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t len, char hex[SIGV4_SHA256_HEX_LEN + 1])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int digest_len = 0;
	/* EVP_Digest fails only on allocation failure or a missing provider:
	 * nothing a caller could recover from, and a wrong hash would send a
	 * bad signature, so say so and stop. */
	if (!EVP_Digest(data, len, digest, &digest_len, EVP_sha256(), NULL) || digest_len != 32) {
		message_emit("libcrypto cannot compute SHA-256");
		abort();
	}
	hex_encode(digest, 32, hex);
}

void sigv4_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len,
                       unsigned char out[32])
{
	unsigned int out_len = 0;
	if (!HMAC(EVP_sha256(), key, (int)key_len, data, len, out, &out_len) || out_len != 32) {
		message_emit("libcrypto cannot compute HMAC-SHA256");
		abort();
	}
}

/* ------------------------------------------------------------ query */

struct query_pair {
	char *name;  /* canonical (encoded) */
	char *value; /* canonical (encoded) */
};

static int compare_pairs(const void *a, const void *b)
{
	const struct query_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->value, y->value);
}

/* Decodes then encodes s[0..n), so "%2f", "%2F" and "/" all sign as "%2F". */
static char *canonical_component(const char *s, size_t n)
{
	struct strbuf raw, enc;
	strbuf_init(&raw, 0);
	strbuf_init(&enc, 0);
	s3_uri_decode(&raw, s, n);
	s3_uri_encode(&enc, strbuf_str(&raw), raw.len, false);
	strbuf_free(&raw);
	return strbuf_take(&enc);
}

void sigv4_canonical_query(struct strbuf *out, const char *query)
{
	if (!query || !*query)
		return;
	size_t count = 0, cap = 8;
	struct query_pair *pairs = xmalloc(cap * sizeof(*pairs));
	const char *p = query;
	while (*p) {
		size_t n = strcspn(p, "&");
		if (n > 0) {
			const char *eq = memchr(p, '=', n);
			size_t name_len = eq ? (size_t)(eq - p) : n;
			if (count == cap) {
				cap *= 2;
				pairs = xrealloc(pairs, cap * sizeof(*pairs));
			}
			pairs[count].name = canonical_component(p, name_len);
			pairs[count].value =
			    eq ? canonical_component(eq + 1, n - name_len - 1) : xstrdup("");
			count++;
		}
		p += n;
		if (*p == '&')
			p++;
	}
	qsort(pairs, count, sizeof(*pairs), compare_pairs);
	for (size_t i = 0; i < count; i++) {
		if (i)
			strbuf_putc(out, '&');
		strbuf_puts(out, pairs[i].name);
		strbuf_putc(out, '=');
		strbuf_puts(out, pairs[i].value);
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);
}

/* ------------------------------------------------------------ headers */

struct canonical_header {
	char *name;  /* lowercase */
	char *value; /* trimmed, spaces folded */
};

static int compare_headers(const void *a, const void *b)
{
	const struct canonical_header *x = a, *y = b;
	return strcmp(x->name, y->name);
}

static char *lowercase(const char *s)
{
	char *copy = xstrdup(s);
	for (char *p = copy; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return copy;
}

/* Trims both ends and folds each run of spaces (and tabs) into one space. */
static char *trim_value(const char *s)
{
	struct strbuf b;
	strbuf_init(&b, 0);
	bool pending_space = false;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t') {
			pending_space = b.len > 0;
			continue;
		}
		if (pending_space)
			strbuf_putc(&b, ' ');
		pending_space = false;
		strbuf_putc(&b, *s);
	}
	return strbuf_take(&b);
}

void sigv4_canonical_request(struct strbuf *out, struct strbuf *signed_headers,
                             const struct sigv4_request *req)
{
	strbuf_puts(out, req->method);
	strbuf_putc(out, '\n');
	strbuf_puts(out, req->canonical_uri && *req->canonical_uri ? req->canonical_uri : "/");
	strbuf_putc(out, '\n');
	sigv4_canonical_query(out, req->query);
	strbuf_putc(out, '\n');

	size_t n = req->header_count;
	struct canonical_header *headers = xcalloc(n ? n : 1, sizeof(*headers));
	for (size_t i = 0; i < n; i++) {
		headers[i].name = lowercase(req->headers[i].name);
		headers[i].value = trim_value(req->headers[i].value ? req->headers[i].value : "");
	}
	qsort(headers, n, sizeof(*headers), compare_headers);
	/* Repeated names sign as one line with comma-joined values. */
	for (size_t i = 0; i < n; i++) {
		bool repeat = i > 0 && strcmp(headers[i].name, headers[i - 1].name) == 0;
		if (repeat) {
			strbuf_putc(out, ',');
		} else {
			if (i > 0)
				strbuf_putc(out, '\n');
			strbuf_puts(out, headers[i].name);
			strbuf_putc(out, ':');
			if (signed_headers->len > 0)
				strbuf_putc(signed_headers, ';');
			strbuf_puts(signed_headers, headers[i].name);
		}
		strbuf_puts(out, headers[i].value);
	}
	strbuf_puts(out, "\n\n");
	strbuf_puts(out, strbuf_str(signed_headers));
	strbuf_putc(out, '\n');
	strbuf_puts(out, req->payload_hash);
	for (size_t i = 0; i < n; i++) {
		free(headers[i].name);
		free(headers[i].value);
	}
	free(headers);
}

void sigv4_string_to_sign(struct strbuf *out, const char *amz_date, const char *region,
                          const char *service, const char *canonical_request)
{
	char hash[SIGV4_SHA256_HEX_LEN + 1];
	sigv4_sha256_hex(canonical_request, strlen(canonical_request), hash);
	strbuf_printf(out, "AWS4-HMAC-SHA256\n%s\n%.8s/%s/%s/aws4_request\n%s", amz_date, amz_date,
	              region, service, hash);
}

void sigv4_signing_key(const char *secret_key, const char *date8, const char *region,
                       const char *service, unsigned char key[32])
{
	size_t secret_len = strlen(secret_key);
	char *seed = xmalloc(secret_len + 5);
	memcpy(seed, "AWS4", 4);
	memcpy(seed + 4, secret_key, secret_len + 1);
	unsigned char k_date[32], k_region[32], k_service[32];
	sigv4_hmac_sha256(seed, secret_len + 4, date8, 8, k_date);
	sigv4_hmac_sha256(k_date, 32, region, strlen(region), k_region);
	sigv4_hmac_sha256(k_region, 32, service, strlen(service), k_service);
	sigv4_hmac_sha256(k_service, 32, "aws4_request", 12, key);
	OPENSSL_cleanse(seed, secret_len + 5);
	OPENSSL_cleanse(k_date, sizeof(k_date));
	OPENSSL_cleanse(k_region, sizeof(k_region));
	OPENSSL_cleanse(k_service, sizeof(k_service));
	free(seed);
}

static bool amz_date_valid(const char *d)
{
	if (!d || strlen(d) != 16 || d[8] != 'T' || d[15] != 'Z')
		return false;
	for (int i = 0; i < 15; i++)
		if (i != 8 && (d[i] < '0' || d[i] > '9'))
			return false;
	return true;
}

int sigv4_sign(const struct sigv4_request *req, const struct sigv4_credentials *cred,
               const char *amz_date, char *authorization, size_t authorization_len,
               struct strbuf *canonical_out)
{
	int rc = -1;
	struct strbuf canonical, signed_headers, to_sign;
	strbuf_init(&canonical, 0);
	strbuf_init(&signed_headers, 0);
	strbuf_init(&to_sign, 0);
	unsigned char key[32], signature[32];
	char signature_hex[65];

	if (!amz_date_valid(amz_date))
		goto done;
	sigv4_canonical_request(&canonical, &signed_headers, req);
	sigv4_string_to_sign(&to_sign, amz_date, cred->region, cred->service,
	                     strbuf_str(&canonical));
	sigv4_signing_key(cred->secret_key, amz_date, cred->region, cred->service, key);
	sigv4_hmac_sha256(key, sizeof(key), to_sign.data, to_sign.len, signature);
	hex_encode(signature, 32, signature_hex);
	int n = snprintf(authorization, authorization_len,
	                 "AWS4-HMAC-SHA256 Credential=%s/%.8s/%s/%s/aws4_request, "
	                 "SignedHeaders=%s, Signature=%s",
	                 cred->access_key, amz_date, cred->region, cred->service,
	                 strbuf_str(&signed_headers), signature_hex);
	if (n < 0 || (size_t)n >= authorization_len) {
		if (authorization_len)
			authorization[0] = '\0';
		goto done;
	}
	if (canonical_out)
		strbuf_puts(canonical_out, strbuf_str(&canonical));
	rc = 0;
done:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(signature_hex, sizeof(signature_hex));
	strbuf_free(&canonical);
	strbuf_free(&signed_headers);
	strbuf_free(&to_sign);
	return rc;
}

void sigv4_format_date(int64_t unix_seconds, char out[17])
{
	time_t t = (time_t)unix_seconds;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}
