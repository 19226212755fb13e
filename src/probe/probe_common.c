/* probe_common.c - the process-wide set-up and the small helpers the probe
 * files share (see probe.h). */
#include "probe/probe.h"

#include <curl/curl.h>
#include <string.h>

int probe_global_init(void)
{
	/* Not thread-safe, and needed before any easy handle exists: the
	 * caller does this once, before it starts any thread. */
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void probe_global_cleanup(void)
{
	curl_global_cleanup();
}

void probe_check_begin(struct check_common *c)
{
	memset(c, 0, sizeof(*c));
	c->state = CHECK_PENDING;
	c->latency_ms = -1;
}
