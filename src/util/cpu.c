/* cpu.c - physical CPU cores (see cpu.h). */
#include "util/cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CPU_MAX_CORES 4096

/* The number after "key<tabs/spaces>:" on a line that starts with key, or
 * -1 when the line is not that key's. */
static long field_value(const char *line, const char *key)
{
	size_t n = strlen(key);
	if (strncmp(line, key, n) != 0)
		return -1;
	const char *p = line + n;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != ':')
		return -1;
	char *end = NULL;
	long v = strtol(p + 1, &end, 10);
	return end == p + 1 || v < 0 ? -1 : v;
}

int cpu_count_physical(const char *cpuinfo)
{
	static const long none = -1;
	long seen[CPU_MAX_CORES][2];
	int count = 0;
	long physical = none;
	for (const char *line = cpuinfo; line && *line;) {
		const char *next = strchr(line, '\n');
		long v;
		if ((v = field_value(line, "physical id")) >= 0) {
			physical = v;
		} else if ((v = field_value(line, "core id")) >= 0 && physical != none) {
			int i = 0;
			while (i < count && !(seen[i][0] == physical && seen[i][1] == v))
				i++;
			if (i == count && count < CPU_MAX_CORES) {
				seen[count][0] = physical;
				seen[count][1] = v;
				count++;
			}
		}
		line = next ? next + 1 : NULL;
	}
	return count;
}

int cpu_physical_cores(void)
{
	int cores = 0;
	FILE *f = fopen("/proc/cpuinfo", "re");
	if (f) {
		size_t cap = 1 << 20, len = 0;
		char *text = malloc(cap + 1);
		if (text) {
			size_t got;
			while (len < cap && (got = fread(text + len, 1, cap - len, f)) > 0)
				len += got;
			text[len] = '\0';
			cores = cpu_count_physical(text);
			free(text);
		}
		fclose(f);
	}
	if (cores <= 0) {
		long online = sysconf(_SC_NPROCESSORS_ONLN);
		cores = online > 0 ? (int)online : 1;
	}
	return cores;
}
