/* s3_tool.c - drives src/s3/ from the command line, for the integration
 * tests (tests/integration/s3_client.sh). Not installed.
 *
 *   s3_tool put KEY FILE [CONTENT_TYPE]
 *   s3_tool get KEY FILE|-
 *   s3_tool list [PREFIX]                    "SIZE LAST_MODIFIED_MS KEY" lines
 *   s3_tool delete KEY
 *   s3_tool multipart KEY FILE PART_SIZE [THREADS]
 *                                            parts uploaded by THREADS threads
 *   s3_tool multipart-abort KEY FILE PART_SIZE PARTS
 *                                            uploads PARTS parts, then aborts
 *
 * The client is configured from the environment: S3_ENDPOINT, S3_BUCKET,
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_SESSION_TOKEN,
 * and S3_TIMEOUT_MS, S3_MAX_ATTEMPTS, S3_LIST_PAGE_SIZE. Retries are logged
 * to stderr as "retry: ..."; a failure prints "s3_tool: REASON" and exits 1.
 * SIGTERM or SIGINT cancels what is in flight (s3_client_set_cancel); a
 * multipart upload is then aborted.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s3/s3.h"
#include "util/xalloc.h"

#define ERR_LEN 1024

static atomic_int cancel_requested;

static void on_signal(int sig)
{
	(void)sig;
	atomic_store(&cancel_requested, 1);
}

static void die(const char *reason)
{
	fprintf(stderr, "s3_tool: %s\n", reason);
	exit(1);
}

static void log_retry(void *ctx, const char *line)
{
	(void)ctx;
	fprintf(stderr, "retry: %s\n", line);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die("cannot open the input file");
	size_t cap = 1 << 20, n = 0;
	char *data = xmalloc(cap);
	for (;;) {
		if (n == cap) {
			cap *= 2;
			data = xrealloc(data, cap);
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		die("cannot read the input file");
	fclose(f);
	*len = n;
	return data;
}

static int write_out(void *ctx, const void *data, size_t len)
{
	return fwrite(data, 1, len, ctx) == len ? 0 : -1;
}

struct part_job {
	struct s3_multipart *m;
	const char *data;
	size_t len;
	size_t part_size;
	int parts;
	int next; /* the next part to take, under lock */
	pthread_mutex_t lock;
	int failed;
	char err[ERR_LEN];
};

static void *upload_parts(void *arg)
{
	struct part_job *job = arg;
	char err[ERR_LEN];
	for (;;) {
		pthread_mutex_lock(&job->lock);
		int part = job->failed ? 0 : ++job->next;
		pthread_mutex_unlock(&job->lock);
		if (part < 1 || part > job->parts)
			return NULL;
		size_t offset = (size_t)(part - 1) * job->part_size;
		size_t n = job->len - offset < job->part_size ? job->len - offset : job->part_size;
		if (s3_multipart_upload_part(job->m, part, job->data + offset, n, err,
		                             sizeof(err)) < 0) {
			pthread_mutex_lock(&job->lock);
			if (!job->failed)
				snprintf(job->err, sizeof(job->err), "%s", err);
			job->failed = 1;
			pthread_mutex_unlock(&job->lock);
			return NULL;
		}
	}
}

/* Uploads the file in parts; with abort_after > 0, uploads that many parts
 * and aborts instead of completing. */
static int multipart(struct s3_client *c, const char *key, const char *path, size_t part_size,
                     int threads, int abort_after)
{
	char err[ERR_LEN];
	size_t len;
	char *data = read_file(path, &len);
	struct part_job job = {.data = data, .len = len, .part_size = part_size};
	pthread_mutex_init(&job.lock, NULL);
	job.parts = len ? (int)((len + part_size - 1) / part_size) : 1;
	if (abort_after > 0 && abort_after < job.parts)
		job.parts = abort_after;
	job.m = s3_multipart_begin(c, key, "application/octet-stream", err, sizeof(err));
	if (!job.m)
		die(err);
	printf("begun %s\n", key);
	if (threads < 1)
		threads = 1;
	pthread_t *tids = xcalloc((size_t)threads, sizeof(*tids));
	for (int i = 0; i < threads; i++)
		if (pthread_create(&tids[i], NULL, upload_parts, &job) != 0)
			die("cannot start a thread");
	for (int i = 0; i < threads; i++)
		pthread_join(tids[i], NULL);
	free(tids);
	int rc = 0;
	if (job.failed || abort_after > 0) {
		if (job.failed)
			fprintf(stderr, "s3_tool: %s\n", job.err);
		if (s3_multipart_abort(job.m, err, sizeof(err)) < 0) {
			fprintf(stderr, "s3_tool: abort failed: %s\n", err);
			rc = 1;
		} else {
			printf("aborted %s after %d parts\n", key, job.parts);
		}
		if (job.failed)
			rc = 1;
	} else if (s3_multipart_complete(job.m, err, sizeof(err)) < 0) {
		fprintf(stderr, "s3_tool: %s\n", err);
		if (s3_multipart_abort(job.m, err, sizeof(err)) < 0)
			fprintf(stderr, "s3_tool: abort failed: %s\n", err);
		else
			printf("aborted %s\n", key);
		rc = 1;
	} else {
		printf("completed %s: %d parts, %zu bytes\n", key, job.parts, len);
	}
	s3_multipart_free(job.m);
	pthread_mutex_destroy(&job.lock);
	free(data);
	return rc;
}

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v ? v : "";
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage: s3_tool put|get|list|delete|multipart|multipart-abort ...");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		die("curl_global_init failed");
	char err[ERR_LEN];
	struct s3_config cfg = {
	    .endpoint = env("S3_ENDPOINT"),
	    .region = env("AWS_REGION"),
	    .bucket = env("S3_BUCKET"),
	    .access_key = env("AWS_ACCESS_KEY_ID"),
	    .secret_key = env("AWS_SECRET_ACCESS_KEY"),
	    .session_token = env("AWS_SESSION_TOKEN"),
	    .timeout_ms = atol(env("S3_TIMEOUT_MS")),
	    .max_attempts = atoi(env("S3_MAX_ATTEMPTS")),
	};
	struct s3_client *c = s3_client_new(&cfg, err, sizeof(err));
	if (!c)
		die(err);
	s3_client_set_log(c, log_retry, NULL);
	s3_client_set_cancel(c, &cancel_requested);
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	s3_client_set_list_page_size(c, atoi(env("S3_LIST_PAGE_SIZE")));
	const char *verb = argv[1];
	int rc = 0;
	if (strcmp(verb, "put") == 0 && (argc == 4 || argc == 5)) {
		size_t len;
		char *data = read_file(argv[3], &len);
		rc = s3_put_object(c, argv[2], data, len, argc == 5 ? argv[4] : NULL, err,
		                   sizeof(err));
		free(data);
		if (rc == 0)
			printf("put %s: %zu bytes\n", argv[2], len);
	} else if (strcmp(verb, "get") == 0 && argc == 4) {
		FILE *out = strcmp(argv[3], "-") == 0 ? stdout : fopen(argv[3], "wb");
		if (!out)
			die("cannot open the output file");
		rc = s3_get_object(c, argv[2], write_out, out, err, sizeof(err));
		if (out != stdout && fclose(out) != 0 && rc == 0) {
			snprintf(err, sizeof(err), "cannot write the output file");
			rc = -1;
		}
	} else if (strcmp(verb, "list") == 0 && (argc == 2 || argc == 3)) {
		struct s3_object *objects;
		size_t count;
		rc = s3_list_objects(c, argc == 3 ? argv[2] : "", &objects, &count, err,
		                     sizeof(err));
		if (rc == 0) {
			for (size_t i = 0; i < count; i++)
				printf("%llu %lld %s\n", (unsigned long long)objects[i].size,
				       (long long)objects[i].last_modified_ms, objects[i].key);
			s3_objects_free(objects, count);
		}
	} else if (strcmp(verb, "delete") == 0 && argc == 3) {
		rc = s3_delete_object(c, argv[2], err, sizeof(err));
		if (rc == 0)
			printf("deleted %s\n", argv[2]);
	} else if (strcmp(verb, "multipart") == 0 && (argc == 5 || argc == 6)) {
		int code = multipart(c, argv[2], argv[3], (size_t)atol(argv[4]),
		                     argc == 6 ? atoi(argv[5]) : 1, 0);
		s3_client_free(c);
		curl_global_cleanup();
		return code;
	} else if (strcmp(verb, "multipart-abort") == 0 && argc == 6) {
		int code = multipart(c, argv[2], argv[3], (size_t)atol(argv[4]), 1, atoi(argv[5]));
		s3_client_free(c);
		curl_global_cleanup();
		return code;
	} else {
		die("bad arguments (see tests/s3_tool.c)");
	}
	s3_client_free(c);
	curl_global_cleanup();
	if (rc < 0)
		die(err);
	return 0;
}
