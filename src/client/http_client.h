/* http_client.h - one bounded HTTP request with libcurl.
 *
 * GET for the health and version probes and the backup heartbeat; a JSON
 * POST for the webhooks (notify/notifier.h). The whole transfer (DNS, connect,
 * TLS, body) is bounded by timeout_ms; the body is kept up to body_cap bytes
 * and the transfer is stopped there (body_truncated is set, and that is not
 * an error). TLS peers are verified. Redirects are not followed: a health
 * endpoint that redirects is reported as such.
 */
#ifndef OPSDECK_CLIENT_HTTP_CLIENT_H
#define OPSDECK_CLIENT_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

struct http_response {
	long status_code;   /* 0 when no response arrived */
	struct strbuf body; /* capped at body_cap */
	bool body_truncated;
	double latency_ms; /* until the whole (capped) body arrived */
};

/* Returns 0 when a response arrived (whatever its status), or -1 with a
 * short reason in err ("timed out after 3.0 s connecting", "timed out after
 * 3.0 s waiting for a reply", "connection refused", "could not resolve host
 * example.org", "TLS certificate verification failed: ..."); a password in
 * the URL never appears in it. Only http:// and https:// are fetched.
 * timeout_ms below 1 counts as 1 (curl would read 0 as "no limit").
 * resp->body must be freed with strbuf_free in both cases. */
int http_get(const char *url, long timeout_ms, size_t body_cap, struct http_response *resp,
             char *err, size_t errlen);

/* The same with POST and body as application/json. */
int http_post_json(const char *url, const char *body, long timeout_ms, size_t body_cap,
                   struct http_response *resp, char *err, size_t errlen);

#endif
