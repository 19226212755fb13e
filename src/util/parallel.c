/* parallel.c - one thread per item (parallel.h). */
#include "util/parallel.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "util/xalloc.h"

void parallel_each(void *items, size_t n, size_t size, void *(*run)(void *item))
{
	if (n == 0)
		return;
	pthread_t *threads = xcalloc(n, sizeof(*threads));
	bool *started = xcalloc(n, sizeof(*started));
	for (size_t i = 0; i < n; i++) {
		void *item = (char *)items + i * size;
		started[i] = pthread_create(&threads[i], NULL, run, item) == 0;
		if (!started[i]) /* no thread to spare: run it here */
			run(item);
	}
	for (size_t i = 0; i < n; i++)
		if (started[i])
			pthread_join(threads[i], NULL);
	free(started);
	free(threads);
}
