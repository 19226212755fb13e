/* client.c - the helpers the backend clients share (client.h). */
#include "client/client.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "model/redact.h"
#include "util/clock.h"

int client_wait_fd(int fd, short events, int64_t deadline_ms)
{
	for (;;) {
		int64_t left = deadline_ms - clock_monotonic_ms();
		if (left <= 0)
			return 0;
		struct pollfd pfd = {.fd = fd, .events = events};
		int n = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 1;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

void client_format_seconds(char *dst, size_t size, int64_t ms)
{
	snprintf(dst, size, "%.1f s", (double)ms / 1000.0);
}

void client_mask_secret(char *s, size_t size, const char *secret)
{
	if (!s || size == 0 || !secret)
		return;
	size_t secret_len = strlen(secret);
	if (secret_len < 3)
		return;
	const size_t mask_len = strlen(REDACT_MASK);
	size_t len = strnlen(s, size - 1);
	s[len] = '\0';
	char *p = s;
	while ((p = strstr(p, secret)) != NULL) {
		/* A secret is at least as long as the mask, so the text never grows. */
		memcpy(p, REDACT_MASK, mask_len);
		memmove(p + mask_len, p + secret_len, len - (size_t)(p - s) - secret_len + 1);
		len -= secret_len - mask_len;
		p += mask_len;
	}
}
