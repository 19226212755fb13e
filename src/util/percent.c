/* percent.c - URL percent-decoding (see percent.h). */
#include "util/percent.h"

#include <stdlib.h>

#include "util/xalloc.h"

int percent_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *percent_decode(const char *s, size_t n, bool plus_is_space)
{
	char *out = xmalloc(n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			int high = i + 2 < n ? percent_hex_value(s[i + 1]) : -1;
			int low = high < 0 ? -1 : percent_hex_value(s[i + 2]);
			if (high < 0 || low < 0 || (high == 0 && low == 0)) {
				free(out);
				return NULL;
			}
			out[o++] = (char)(high * 16 + low);
			i += 2;
		} else if (plus_is_space && s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}
