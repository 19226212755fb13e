/* replay.c - runs a fuzz target without libFuzzer: feeds every file of the
 * directories (or the files) named on the command line to
 * LLVMFuzzerTestOneInput, so `make check` replays the seed corpora and every
 * crash input kept there with an ordinary compiler. With no argument it
 * replays its own corpus, $OPSDECK_SRCDIR/tests/fuzz/corpus/NAME for a
 * program called fuzz_NAME. A target that finds an invariant broken aborts,
 * which fails the test. */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Feeds one file; returns 0, or -1 when it cannot be read. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	uint8_t *data = malloc(cap);
	size_t got;
	while (data && (got = fread(data + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			data = realloc(data, cap *= 2);
	}
	int failed = !data || ferror(f);
	fclose(f);
	if (failed) {
		fprintf(stderr, "%s: cannot read\n", path);
		free(data);
		return -1;
	}
	/* A copy of exactly the file's size, so ASan sees reads past the end. */
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact)
		abort();
	memcpy(exact, data, len);
	free(data);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	return 0;
}

/* Feeds every regular file of dir, in name order. Returns the number fed,
 * or -1. */
static int replay_directory(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t count = 0;
	struct dirent *entry;
	while ((entry = readdir(d)) != NULL) {
		if (entry->d_name[0] == '.')
			continue;
		names = realloc(names, (count + 1) * sizeof(*names));
		if (!names || !(names[count] = strdup(entry->d_name)))
			abort();
		count++;
	}
	closedir(d);
	qsort(names, count, sizeof(*names), compare_names);
	int fed = 0;
	for (size_t i = 0; i < count; i++) {
		size_t size = strlen(dir) + strlen(names[i]) + 2;
		char *path = malloc(size);
		if (!path)
			abort();
		snprintf(path, size, "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (replay_file(path) < 0)
				fed = -1;
			else if (fed >= 0)
				fed++;
		}
		free(path);
		free(names[i]);
	}
	free(names);
	return fed;
}

/* $OPSDECK_SRCDIR/tests/fuzz/corpus/NAME for a program named fuzz_NAME
 * (allocated), or NULL. */
static char *own_corpus(const char *argv0)
{
	const char *srcdir = getenv("OPSDECK_SRCDIR");
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	if (!srcdir || !*srcdir || strncmp(base, "fuzz_", 5) != 0)
		return NULL;
	size_t size = strlen(srcdir) + strlen(base) + 32;
	char *dir = malloc(size);
	if (!dir)
		abort();
	snprintf(dir, size, "%s/tests/fuzz/corpus/%s", srcdir, base + 5);
	return dir;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		char *dir = own_corpus(argv[0]);
		if (!dir) {
			fprintf(stderr, "usage: %s DIR|FILE... (or set OPSDECK_SRCDIR)\n", argv[0]);
			return 2;
		}
		char *args[] = {argv[0], dir, NULL};
		int status = main(2, args);
		free(dir);
		return status;
	}
	int status = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
			status = 1;
		} else if (S_ISDIR(st.st_mode)) {
			int fed = replay_directory(argv[i]);
			if (fed < 0)
				status = 1;
			else if (fed == 0) {
				fprintf(stderr, "%s: no inputs\n", argv[i]);
				status = 1;
			} else
				printf("%s: %d inputs replayed\n", argv[i], fed);
		} else if (replay_file(argv[i]) < 0) {
			status = 1;
		} else {
			printf("%s: replayed\n", argv[i]);
		}
	}
	return status;
}
