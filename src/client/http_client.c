/* http_client.c - one bounded HTTP GET with libcurl (see http_client.h).
 * libcurl's error codes are turned into short reasons here, in one place,
 * and no reason ever carries a password from the URL. */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "client/http_client.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "model/redact.h"
#include "client/client.h"
#include "util/clock.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

struct body_sink {
	struct http_response *resp;
	size_t cap;
};

/* Keeps the body up to the cap, then stops the transfer: returning less than
 * was offered makes curl end with CURLE_WRITE_ERROR, which http_get reads as
 * "complete, truncated" because body_truncated is set. */
static size_t write_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct body_sink *sink = userdata;
	size_t n = size * nmemb;
	size_t room = sink->cap - sink->resp->body.len;
	if (n > room) {
		strbuf_append(&sink->resp->body, data, room);
		sink->resp->body_truncated = true;
		return 0;
	}
	strbuf_append(&sink->resp->body, data, n);
	return n;
}

/* libcurl's own message for this transfer, else the generic one for code. */
static const char *curl_detail(CURLcode code, const char *errbuf)
{
	return errbuf[0] ? errbuf : curl_easy_strerror(code);
}

/* One part of url (CURLUPART_HOST, CURLUPART_PASSWORD...), decoded, or ""
 * when it has none or cannot be parsed. */
static void url_part(const char *url, CURLUPart part, char *dst, size_t size)
{
	dst[0] = '\0';
	CURLU *u = curl_url();
	char *value = NULL;
	if (u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, part, &value, CURLU_URLDECODE) == CURLUE_OK && value)
		snprintf(dst, size, "%s", value);
	curl_free(value);
	curl_url_cleanup(u);
}

/* Maps a failed transfer to the reason operators read. */
static void describe_error(CURL *curl, const char *url, CURLcode code, const char *errbuf,
                           long timeout_ms, char *err, size_t errlen)
{
	char secs[32];
	long os_errno = 0;
	client_format_seconds(secs, sizeof(secs), timeout_ms);
	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);

	switch (code) {
	case CURLE_OPERATION_TIMEDOUT: {
		/* Say how far it got: a server that accepts and never answers
		 * (a hung app) is a different problem from one that never
		 * accepts (down, or a firewall dropping packets). */
		curl_off_t connected_us = 0;
		curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_us);
		snprintf(err, errlen, "timed out after %s %s", secs,
		         connected_us > 0 ? "waiting for a reply" : "connecting");
		break;
	}
	case CURLE_COULDNT_CONNECT:
		if (os_errno == ECONNREFUSED)
			snprintf(err, errlen, "connection refused");
		else if (os_errno)
			snprintf(err, errlen, "could not connect: %s", strerror((int)os_errno));
		else
			snprintf(err, errlen, "could not connect: %s", curl_detail(code, errbuf));
		break;
	case CURLE_COULDNT_RESOLVE_HOST: {
		char host[128];
		url_part(url, CURLUPART_HOST, host, sizeof(host));
		snprintf(err, errlen, "could not resolve host %s", host);
		break;
	}
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		snprintf(err, errlen, "TLS certificate verification failed: %s",
		         curl_detail(code, errbuf));
		break;
	case CURLE_SSL_CONNECT_ERROR:
		snprintf(err, errlen, "TLS handshake failed: %s", curl_detail(code, errbuf));
		break;
	case CURLE_UNSUPPORTED_PROTOCOL:
		snprintf(err, errlen, "unsupported URL scheme (only http and https)");
		break;
	case CURLE_URL_MALFORMAT:
		snprintf(err, errlen, "malformed URL");
		break;
	case CURLE_GOT_NOTHING:
		snprintf(err, errlen, "the server closed the connection without replying");
		break;
	case CURLE_RECV_ERROR:
	case CURLE_SEND_ERROR:
		if (os_errno == ECONNRESET)
			snprintf(err, errlen, "connection reset by the server");
		else
			snprintf(err, errlen, "%s", curl_detail(code, errbuf));
		break;
	default:
		snprintf(err, errlen, "%s", curl_detail(code, errbuf));
		break;
	}
}

/* Removes anything secret from a finished reason. */
static void scrub_reason(const char *url, char *err, size_t errlen)
{
	char password[256];
	char copy[512];
	/* The decoded password, as a library might quote it; url_redact then
	 * covers any user:pass@ URL text, encoded or not. */
	url_part(url, CURLUPART_PASSWORD, password, sizeof(password));
	client_mask_secret(err, errlen, password);
	snprintf(copy, sizeof(copy), "%s", err);
	url_redact(err, errlen, copy);
}

/* A GET, or a POST of post_body (JSON) when it is not NULL. */
static int http_request(const char *url, const char *post_body, long timeout_ms, size_t body_cap,
                        struct http_response *resp, char *err, size_t errlen)
{
	int rc = -1;
	CURL *curl = NULL;
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE];
	struct body_sink sink = {.resp = resp, .cap = body_cap};

	memset(resp, 0, sizeof(*resp));
	strbuf_init(&resp->body, body_cap);
	resp->latency_ms = -1;
	errbuf[0] = '\0';
	if (err && errlen)
		err[0] = '\0';
	if (timeout_ms < 1)
		timeout_ms = 1;

	curl = curl_easy_init();
	if (!curl) {
		snprintf(err, errlen, "could not create a curl handle");
		goto done;
	}
	/* Probes run on threads: NOSIGNAL keeps curl from using SIGALRM for
	 * DNS timeouts. PROTOCOLS_STR keeps a URL from a config file away from
	 * file://, gopher:// and the rest. FORBID_REUSE: each poll is a fresh
	 * look at the server, as a monitor's should be. QUICK_EXIT: after a
	 * timeout, leave a resolver thread still waiting for getaddrinfo() to
	 * finish on its own; by default the cleanup waits for it, for as long
	 * as an unresponsive resolver takes (10 s and more), whatever the
	 * timeout. */
	const struct {
		CURLoption option;
		enum { OPT_LONG, OPT_POINTER, OPT_FUNCTION } kind;
		const char *name;
		long number;
		const void *pointer;
	} options[] = {
	    {CURLOPT_URL, OPT_POINTER, "URL", 0, url},
	    {CURLOPT_NOSIGNAL, OPT_LONG, "NOSIGNAL", 1, NULL},
	    {CURLOPT_TIMEOUT_MS, OPT_LONG, "TIMEOUT_MS", timeout_ms, NULL},
	    {CURLOPT_CONNECTTIMEOUT_MS, OPT_LONG, "CONNECTTIMEOUT_MS", timeout_ms, NULL},
	    {CURLOPT_PROTOCOLS_STR, OPT_POINTER, "PROTOCOLS_STR", 0, "http,https"},
	    {CURLOPT_FOLLOWLOCATION, OPT_LONG, "FOLLOWLOCATION", 0, NULL},
	    {CURLOPT_FORBID_REUSE, OPT_LONG, "FORBID_REUSE", 1, NULL},
	    {CURLOPT_QUICK_EXIT, OPT_LONG, "QUICK_EXIT", 1, NULL},
	    {CURLOPT_USERAGENT, OPT_POINTER, "USERAGENT", 0, "opsdeck/" PACKAGE_VERSION},
	    {CURLOPT_ERRORBUFFER, OPT_POINTER, "ERRORBUFFER", 0, errbuf},
	    {CURLOPT_WRITEDATA, OPT_POINTER, "WRITEDATA", 0, &sink},
	    {CURLOPT_WRITEFUNCTION, OPT_FUNCTION, "WRITEFUNCTION", 0, NULL},
	};
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		CURLcode set;
		if (options[i].kind == OPT_LONG)
			set = curl_easy_setopt(curl, options[i].option, options[i].number);
		else if (options[i].kind == OPT_POINTER)
			set = curl_easy_setopt(curl, options[i].option, options[i].pointer);
		else
			set = curl_easy_setopt(curl, options[i].option, write_body);
		if (set != CURLE_OK) {
			snprintf(err, errlen, "libcurl refused CURLOPT_%s: %s", options[i].name,
			         curl_easy_strerror(set));
			goto done;
		}
	}
	if (post_body) {
		headers = curl_slist_append(NULL, "Content-Type: application/json");
		if (headers == NULL ||
		    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers) != CURLE_OK ||
		    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(post_body)) !=
		        CURLE_OK ||
		    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body) != CURLE_OK) {
			snprintf(err, errlen, "libcurl refused a POST body");
			goto done;
		}
	}

	int64_t start_us = clock_monotonic_us();
	CURLcode code = curl_easy_perform(curl);
	resp->latency_ms = (double)(clock_monotonic_us() - start_us) / 1000.0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &resp->status_code);

	if (code == CURLE_OK || (code == CURLE_WRITE_ERROR && resp->body_truncated)) {
		rc = 0;
		goto done;
	}
	resp->status_code = 0;
	describe_error(curl, url, code, errbuf, timeout_ms, err, errlen);
	scrub_reason(url, err, errlen);
done:
	if (curl)
		curl_easy_cleanup(curl);
	curl_slist_free_all(headers);
	return rc;
}

int http_get(const char *url, long timeout_ms, size_t body_cap, struct http_response *resp,
             char *err, size_t errlen)
{
	return http_request(url, NULL, timeout_ms, body_cap, resp, err, errlen);
}

int http_post_json(const char *url, const char *body, long timeout_ms, size_t body_cap,
                   struct http_response *resp, char *err, size_t errlen)
{
	return http_request(url, body, timeout_ms, body_cap, resp, err, errlen);
}
