/* client.c - an S3 client's configuration (see s3.h): the endpoint and the
 * addressing style, the credentials (registered with redact_register() and
 * wiped when freed), limits, the optional log, cancel, abandon and deadline,
 * and the URL an object lives at. Requests are in request.c.
 */
#include "s3/request.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/redact.h"
#include "s3/url.h"
#include "util/xalloc.h"

#define S3_DEFAULT_TIMEOUT_MS 30000L
#define S3_DEFAULT_ATTEMPTS   5

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

struct s3_client *s3_client_new(const struct s3_config *cfg, char *err, size_t errlen)
{
	if (!cfg->bucket || !s3_bucket_name_valid(cfg->bucket)) {
		snprintf(err, errlen, "bad S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
		return NULL;
	}
	if (!cfg->access_key || !*cfg->access_key || !cfg->secret_key || !*cfg->secret_key) {
		snprintf(err, errlen, "no S3 credentials (access key and secret key)");
		return NULL;
	}
	const char *region = cfg->region && *cfg->region ? cfg->region : "us-east-1";
	if (strspn(region, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(region)) {
		snprintf(err, errlen, "bad S3 region '%.40s'", region);
		return NULL;
	}
	struct s3_client *c = xcalloc(1, sizeof(*c));
	if (cfg->endpoint && *cfg->endpoint) {
		struct s3_endpoint ep;
		if (s3_endpoint_parse(cfg->endpoint, &ep, err, errlen) < 0) {
			free(c);
			return NULL;
		}
		c->base = ep.base;
		c->host = ep.host_port;
		c->path_prefix = xasprintf("/%s", cfg->bucket);
	} else if (strchr(cfg->bucket, '.')) {
		/* A dotted bucket does not match the *.s3 certificate: path style. */
		c->host = xasprintf("s3.%s.amazonaws.com", region);
		c->base = xasprintf("https://%s", c->host);
		c->path_prefix = xasprintf("/%s", cfg->bucket);
	} else {
		c->host = xasprintf("%s.s3.%s.amazonaws.com", cfg->bucket, region);
		c->base = xasprintf("https://%s", c->host);
		c->path_prefix = xstrdup("");
	}
	c->region = xstrdup(region);
	c->bucket = xstrdup(cfg->bucket);
	c->access_key = xstrdup(cfg->access_key);
	c->secret_key = xstrdup(cfg->secret_key);
	c->session_token = dup_or_null(cfg->session_token);
	c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : S3_DEFAULT_TIMEOUT_MS;
	c->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : S3_DEFAULT_ATTEMPTS;
	/* A second guard: whatever text reaches an error, these never do. */
	redact_register(c->secret_key);
	if (c->session_token)
		redact_register(c->session_token);
	return c;
}

static void free_secret(char *s)
{
	if (s) {
		OPENSSL_cleanse(s, strlen(s));
		free(s);
	}
}

void s3_client_free(struct s3_client *c)
{
	if (!c)
		return;
	free(c->base);
	free(c->host);
	free(c->path_prefix);
	free(c->region);
	free(c->bucket);
	free(c->access_key);
	free_secret(c->secret_key);
	free_secret(c->session_token);
	free(c);
}

void s3_client_set_log(struct s3_client *c, void (*log)(void *ctx, const char *line), void *ctx)
{
	c->log = log;
	c->log_ctx = ctx;
}

void s3_client_set_cancel(struct s3_client *c, const atomic_int *cancel)
{
	c->cancel = cancel;
}

void s3_client_set_abandon(struct s3_client *c, const atomic_int *abandon)
{
	c->abandon = abandon;
}

void s3_client_set_deadline(struct s3_client *c, int64_t deadline_ms)
{
	c->deadline_ms = deadline_ms;
}

void s3_client_set_list_page_size(struct s3_client *c, int max_keys)
{
	c->list_page_size = max_keys < 0 ? 0 : max_keys > 1000 ? 1000 : max_keys;
}

char *s3_object_url(const struct s3_client *c, const char *key)
{
	struct strbuf url;
	strbuf_init(&url, 0);
	strbuf_puts(&url, c->base);
	strbuf_puts(&url, c->path_prefix);
	strbuf_putc(&url, '/');
	if (key)
		s3_uri_encode(&url, key, strlen(key), true);
	return strbuf_take(&url);
}

bool s3_client_cancelled(const struct s3_client *c)
{
	return c->cancel && atomic_load(c->cancel) != 0;
}

bool s3_client_abandoned(const struct s3_client *c)
{
	return c->abandon && atomic_load(c->abandon) != 0;
}
