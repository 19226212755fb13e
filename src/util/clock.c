/* clock.c - monotonic and wall-clock time (see clock.h). */
#include "util/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t clock_monotonic_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t clock_monotonic_ms(void)
{
	return clock_monotonic_us() / 1000;
}

int64_t clock_wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_format_iso8601(char *dst, size_t size, int64_t wall_ms)
{
	time_t secs = (time_t)(wall_ms / 1000);
	struct tm tm;
	if (!gmtime_r(&secs, &tm)) {
		snprintf(dst, size, "invalid-time");
		return;
	}
	snprintf(dst, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(wall_ms % 1000));
}

int clock_parse_iso8601(const char *text, int64_t *ms)
{
	/* sscanf's %d would also take a sign or blanks ("+009", " 1"). */
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	for (size_t i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd' ? !(text[i] >= '0' && text[i] <= '9') : text[i] != form[i])
			return -1;
	int year, month, day, hour, minute, second, used = 0;
	if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month, &day, &hour, &minute, &second,
	           &used) != 6 ||
	    used != 19)
		return -1;
	const char *p = text + used;
	int64_t millis = 0;
	if (*p == '.') {
		int digits = 0;
		p++;
		while (*p >= '0' && *p <= '9') {
			if (digits < 3)
				millis = millis * 10 + (*p - '0');
			digits++;
			p++;
		}
		if (digits == 0)
			return -1;
		for (; digits < 3; digits++)
			millis *= 10;
	}
	int64_t offset_s = 0;
	if ((p[0] == '+' || p[0] == '-') && p[1] >= '0' && p[1] <= '2' && p[2] >= '0' &&
	    p[2] <= '9' && p[3] == ':' && p[4] >= '0' && p[4] <= '5' && p[5] >= '0' &&
	    p[5] <= '9' && p[6] == '\0') {
		offset_s = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600 +
		           ((p[4] - '0') * 10 + (p[5] - '0')) * 60;
		if (p[0] == '-')
			offset_s = -offset_s;
	} else if (strcmp(p, "Z") != 0) {
		return -1;
	}
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 ||
	    second > 60)
		return -1;
	struct tm tm = {.tm_year = year - 1900,
	                .tm_mon = month - 1,
	                .tm_mday = day,
	                .tm_hour = hour,
	                .tm_min = minute,
	                .tm_sec = second};
	time_t t = timegm(&tm);
	*ms = ((int64_t)t - offset_s) * 1000 + millis;
	return 0;
}
