/* notifier.c - the sender's thread: the lock, what was notified, the audit
 * log's tail, and the deliveries with their retries (notifier.h). */
#include "notify/notifier.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "client/http_client.h"
#include "history/lock.h"
#include "model/redact.h"
#include "notify/event.h"
#include "notify/limit.h"
#include "notify/tracker.h"
#include "util/clock.h"
#include "util/file.h"
#include "util/line_queue.h"
#include "util/text.h"
#include "util/xalloc.h"

#define STATE_NAME        "notify.json"
#define RECORDER_MARK     "notify.recorder"
#define STATE_MAX_BYTES   (1024 * 1024)
#define AUDIT_READ_MAX    (256 * 1024) /* of the audit log per step */
#define STEP_MS           500          /* the thread looks at least this often */
#define RESPONSE_BODY_CAP 512

static const int64_t RETRY_DELAYS_MS[] = NOTIFY_RETRY_DELAYS_MS;
#define ATTEMPTS_MAX ((int)(sizeof(RETRY_DELAYS_MS) / sizeof(RETRY_DELAYS_MS[0])) + 1)

/* One body on its way to one webhook. */
struct delivery {
	char *body;
	int webhook;
	int attempts; /* made so far */
	int64_t due_ms;
};

struct notifier {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t wake;
	/* under mu */
	bool stopping;
	bool detached; /* notifier_release: the thread frees n */
	bool have_issues;
	int issue_count;
	struct issue issues[ISSUE_MAX];
	struct line_queue log;

	/* the configuration, copied */
	enum notifier_role role;
	char *dir;
	char *audit_log;
	int webhook_count;
	char *webhooks[CONFIG_WEBHOOKS_MAX];
	char hosts[CONFIG_WEBHOOKS_MAX][128];
	enum notify_format format;
	enum issue_severity min_severity;
	int64_t flap_window_ms;
	int64_t timeout_ms;
	char app[64];
	char environment[64];
	char host[256];

	/* the thread's own */
	atomic_bool sender;
	int lock_fd;
	bool lock_error_said;
	struct notify_tracker *tracker;
	struct notify_limit limit;
	uint64_t audit_inode; /* 0: no log seen yet */
	int64_t audit_offset;
	bool state_dirty;
	int delivery_count;
	struct delivery deliveries[NOTIFY_OUTBOX_MAX];
	struct issue work[ISSUE_MAX];
};

static void notifier_log(struct notifier *n, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void notifier_log(struct notifier *n, const char *fmt, ...)
{
	char line[LINE_QUEUE_SIZE];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	redact_text(line, sizeof(line));
	pthread_mutex_lock(&n->mu);
	line_queue_push(&n->log, line);
	pthread_mutex_unlock(&n->mu);
}

/* --- what was notified, kept in DIR/notify.json ------------------------- */

static void state_save(struct notifier *n)
{
	struct strbuf issues, doc;
	strbuf_init(&issues, 0);
	strbuf_init(&doc, 0);
	notify_tracker_save(n->tracker, &issues);
	strbuf_printf(
	    &doc, "{\"version\":1,\"issues\":%s,\"audit\":{\"inode\":%llu,\"offset\":%lld}}\n",
	    strbuf_str(&issues), (unsigned long long)n->audit_inode, (long long)n->audit_offset);
	char *path = xasprintf("%s/%s", n->dir, STATE_NAME);
	char err[512];
	if (file_replace(path, strbuf_str(&doc), err, sizeof(err)) < 0)
		notifier_log(n, "notify: cannot keep what was notified: %s", err);
	else
		n->state_dirty = false;
	free(path);
	strbuf_free(&issues);
	strbuf_free(&doc);
}

/* Where the audit log ends now: where a first sender starts reading it. */
static void audit_start_at_end(struct notifier *n)
{
	struct stat st;
	if (stat(n->audit_log, &st) == 0) {
		n->audit_inode = (uint64_t)st.st_ino;
		n->audit_offset = (int64_t)st.st_size;
	} else {
		n->audit_inode = 0;
		n->audit_offset = 0;
	}
}

/* Loads what the last sender kept; with nothing kept, every issue open now
 * is told and the audit log is read from its end. */
static void state_load(struct notifier *n)
{
	char *path = xasprintf("%s/%s", n->dir, STATE_NAME);
	char *text = NULL, err[512], why[256];
	int rc = file_read_text(path, STATE_NAME, STATE_MAX_BYTES, FILE_READ_NONBLOCK, &text, NULL,
	                        NULL, err, sizeof(err));
	bool loaded = false;
	if (rc == 0) {
		json_object *doc = json_tokener_parse(text);
		json_object *issues, *audit, *inode, *offset;
		if (doc && json_object_object_get_ex(doc, "issues", &issues) &&
		    json_object_object_get_ex(doc, "audit", &audit) &&
		    json_object_object_get_ex(audit, "inode", &inode) &&
		    json_object_object_get_ex(audit, "offset", &offset) &&
		    notify_tracker_load(n->tracker, json_object_to_json_string(issues), why,
		                        sizeof(why)) == 0) {
			n->audit_inode = (uint64_t)json_object_get_int64(inode);
			n->audit_offset = json_object_get_int64(offset);
			loaded = true;
		} else {
			notifier_log(n, "notify: %s is not readable (%s); starting afresh", path,
			             doc ? why : "not JSON");
		}
		json_object_put(doc);
	} else if (errno != ENOENT) {
		notifier_log(n, "notify: %s; starting afresh", err);
	}
	if (!loaded)
		audit_start_at_end(n);
	free(text);
	free(path);
}

/* --- the sender's role --------------------------------------------------- */

/* DIR/notify.recorder holds the pid of the `opsdeck record` that sends
 * notifications: a watcher yields to a recorder only when that recorder
 * sends them too (one started without [notify] does not). */
static char *recorder_mark_path(const struct notifier *n)
{
	return xasprintf("%s/%s", n->dir, RECORDER_MARK);
}

static void recorder_mark(struct notifier *n, bool set)
{
	char *path = recorder_mark_path(n), text[32], err[512];
	if (set) {
		text_printf(text, sizeof(text), "%ld\n", (long)getpid());
		if (file_replace(path, text, err, sizeof(err)) < 0)
			notifier_log(n, "notify: %s", err);
	} else {
		(void)unlink(path);
	}
	free(path);
}

/* Whether the recorder holding DIR's history (pid holder) sends
 * notifications: its pid is the one it marked. */
static bool recorder_sends(const struct notifier *n, pid_t holder)
{
	char *path = recorder_mark_path(n), *text = NULL, err[256];
	bool sends = false;
	if (file_read_text(path, NULL, 64, FILE_READ_NONBLOCK, &text, NULL, NULL, err,
	                   sizeof(err)) == 0)
		sends = holder > 0 && strtol(text, NULL, 10) == (long)holder;
	free(text);
	free(path);
	return sends;
}

/* Takes or gives up the role: a watcher yields to a running recorder that
 * sends notifications. */
static void role_update(struct notifier *n)
{
	char err[512];
	struct history_lock_holder holder;
	bool sender = atomic_load(&n->sender);
	if (n->role == NOTIFIER_WATCHER &&
	    history_lock_probe(n->dir, HISTORY_RECORD_LOCK, &holder, err, sizeof(err)) == 1 &&
	    recorder_sends(n, holder.pid)) {
		if (sender) {
			if (n->state_dirty)
				state_save(n);
			history_lock_release(n->lock_fd);
			n->lock_fd = -1;
			atomic_store(&n->sender, false);
			notifier_log(n,
			             "notify: opsdeck record (pid %ld) sends the notifications now",
			             (long)holder.pid);
		}
		return;
	}
	if (sender)
		return;
	int rc =
	    history_lock_acquire(n->dir, HISTORY_NOTIFY_LOCK,
	                         n->role == NOTIFIER_RECORDER ? HISTORY_ROLE_RECORDER : "watcher",
	                         &n->lock_fd, &holder, err, sizeof(err));
	if (rc < 0) {
		/* said once: the step runs twice a second */
		if (!n->lock_error_said)
			notifier_log(n, "notify: %s", err);
		n->lock_error_said = true;
		return;
	}
	n->lock_error_said = false;
	if (rc > 0)
		return;
	state_load(n);
	atomic_store(&n->sender, true);
	notifier_log(n, "notify: this process sends the notifications (%d webhook%s)",
	             n->webhook_count, n->webhook_count == 1 ? "" : "s");
}

/* --- from events to deliveries ------------------------------------------- */

static void outbox_add(struct notifier *n, const char *body, int webhook)
{
	if (n->delivery_count == NOTIFY_OUTBOX_MAX) {
		notifier_log(n, "notify: %d messages wait for delivery; the oldest is dropped",
		             NOTIFY_OUTBOX_MAX);
		free(n->deliveries[0].body);
		memmove(&n->deliveries[0], &n->deliveries[1],
		        sizeof(n->deliveries[0]) * (NOTIFY_OUTBOX_MAX - 1));
		n->delivery_count--;
	}
	n->deliveries[n->delivery_count++] =
	    (struct delivery){.body = xstrdup(body), .webhook = webhook, .due_ms = 0};
}

static void send_event(struct notifier *n, const struct notify_event *ev)
{
	struct notify_origin origin = {
	    .app = n->app, .environment = n->environment, .host = n->host};
	struct strbuf body;
	strbuf_init(&body, 0);
	notify_event_body(ev, &origin, n->format, &body);
	for (int w = 0; w < n->webhook_count; w++)
		outbox_add(n, strbuf_str(&body), w);
	strbuf_free(&body);
}

/* Through [notify] max_per_hour: held back, or sent after a word on what
 * was held back before it. */
static void notify(struct notifier *n, const struct notify_event *ev)
{
	if (!notify_limit_take(&n->limit, ev->at_ms))
		return;
	int held = notify_limit_held(&n->limit);
	if (held > 0) {
		struct notify_event summary = {
		    .kind = NOTIFY_HELD_BACK, .at_ms = ev->at_ms, .held_count = held};
		send_event(n, &summary);
	}
	send_event(n, ev);
}

static void issues_step(struct notifier *n, int count)
{
	struct notify_event events[16];
	int64_t now = clock_wall_ms();
	int got;
	do {
		got = notify_tracker_update(n->tracker, n->work, count, n->min_severity,
		                            n->flap_window_ms, now, events, 16);
		for (int i = 0; i < got; i++)
			notify(n, &events[i]);
	} while (got == 16);
	if (notify_tracker_dirty(n->tracker))
		n->state_dirty = true;
}

/* The outcomes appended to the audit log since the last look. */
static void audit_step(struct notifier *n)
{
	int fd = open(n->audit_log, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return;
	}
	if ((uint64_t)st.st_ino != n->audit_inode || st.st_size < n->audit_offset) {
		/* a new log (rotated, or created): all of it is new */
		n->audit_inode = (uint64_t)st.st_ino;
		n->audit_offset = 0;
		n->state_dirty = true;
	}
	int64_t left = (int64_t)st.st_size - n->audit_offset;
	if (left <= 0) {
		close(fd);
		return;
	}
	size_t want = left > AUDIT_READ_MAX ? AUDIT_READ_MAX : (size_t)left;
	char *buf = xmalloc(want + 1);
	ssize_t got = pread(fd, buf, want, n->audit_offset);
	close(fd);
	if (got <= 0) {
		free(buf);
		return;
	}
	buf[got] = '\0';
	char *line = buf, *end;
	while ((end = memchr(line, '\n', (size_t)(buf + got - line))) != NULL) {
		*end = '\0';
		struct notify_event ev;
		if (notify_event_from_audit(line, &ev) == 1) {
			ev.at_ms = clock_wall_ms(); /* the limit counts sends, not runs */
			notify(n, &ev);
		}
		line = end + 1;
	}
	/* a line longer than a whole read is skipped */
	if (line == buf && (size_t)got == AUDIT_READ_MAX)
		line = buf + got;
	n->audit_offset += (int64_t)(line - buf);
	n->state_dirty = n->state_dirty || line != buf;
	free(buf);
}

/* One attempt of the first delivery that is due; false when none is. */
static bool deliver_one(struct notifier *n)
{
	int64_t now = clock_monotonic_ms();
	int i = 0;
	while (i < n->delivery_count && n->deliveries[i].due_ms > now)
		i++;
	if (i == n->delivery_count)
		return false;
	struct delivery *d = &n->deliveries[i];
	struct http_response resp;
	char err[512];
	int rc = http_post_json(n->webhooks[d->webhook], d->body, (long)n->timeout_ms,
	                        RESPONSE_BODY_CAP, &resp, err, sizeof(err));
	strbuf_free(&resp.body);
	d->attempts++;
	long status = rc == 0 ? resp.status_code : 0;
	if (rc == 0 && status >= 200 && status <= 299)
		goto done;
	if (rc == 0)
		snprintf(err, sizeof(err), "HTTP %ld", status);
	bool retry = rc < 0 || status == 429 || status >= 500;
	if (retry && d->attempts < ATTEMPTS_MAX) {
		d->due_ms = clock_monotonic_ms() + RETRY_DELAYS_MS[d->attempts - 1];
		return true;
	}
	notifier_log(
	    n, "notify: a message was not delivered to webhook %d (%s) after %d attempt%s: %s",
	    d->webhook + 1, n->hosts[d->webhook], d->attempts, d->attempts == 1 ? "" : "s", err);
done:
	free(d->body);
	memmove(d, d + 1, sizeof(*d) * (size_t)(n->delivery_count - i - 1));
	n->delivery_count--;
	return true;
}

/* Milliseconds until the next delivery is due, at most STEP_MS. */
static int64_t next_due_in(const struct notifier *n)
{
	int64_t now = clock_monotonic_ms(), wait = STEP_MS;
	for (int i = 0; i < n->delivery_count; i++)
		if (n->deliveries[i].due_ms - now < wait)
			wait = n->deliveries[i].due_ms - now;
	return wait < 0 ? 0 : wait;
}

static void notifier_free(struct notifier *n);

static void *notifier_main(void *arg)
{
	struct notifier *n = arg;
	pthread_mutex_lock(&n->mu);
	while (!n->stopping) {
		int64_t wait = next_due_in(n);
		if (wait > 0 && !n->have_issues) {
			struct timespec until;
			clock_gettime(CLOCK_MONOTONIC, &until);
			until.tv_sec += (time_t)(wait / 1000);
			until.tv_nsec += (long)(wait % 1000) * 1000000L;
			if (until.tv_nsec >= 1000000000L) {
				until.tv_sec++;
				until.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&n->wake, &n->mu, &until);
			if (n->stopping)
				break;
		}
		bool have = n->have_issues;
		int count = n->issue_count;
		if (have)
			memcpy(n->work, n->issues, sizeof(n->issues[0]) * (size_t)count);
		n->have_issues = false;
		pthread_mutex_unlock(&n->mu);

		role_update(n);
		if (atomic_load(&n->sender)) {
			if (have)
				issues_step(n, count);
			audit_step(n);
			if (n->state_dirty)
				state_save(n);
		}
		deliver_one(n);
		pthread_mutex_lock(&n->mu);
	}
	bool detached = n->detached;
	pthread_mutex_unlock(&n->mu);
	/* what was told is kept, and the role is free for the next sender */
	if (atomic_load(&n->sender) && n->state_dirty)
		state_save(n);
	history_lock_release(n->lock_fd);
	n->lock_fd = -1;
	if (n->role == NOTIFIER_RECORDER)
		recorder_mark(n, false);
	if (detached)
		notifier_free(n);
	return NULL;
}

/* --- the caller's side --------------------------------------------------- */

/* The host of a URL, for the log (the rest of it is secret). */
static void webhook_host(const char *url, char *dst, size_t size)
{
	const char *rest = strstr(url, "://");
	struct url_authority a;
	if (rest == NULL || url_split_authority(rest + 3, &a) < 0) {
		text_copy(dst, "?", size);
		return;
	}
	size_t len = (size_t)(a.host_end - a.host);
	snprintf(dst, size, "%.*s", (int)len, a.host);
	char *port = strrchr(dst, ':');
	if (port && !strchr(dst, ']'))
		*port = '\0';
}

static void notifier_free(struct notifier *n)
{
	for (int i = 0; i < n->webhook_count; i++)
		free(n->webhooks[i]);
	for (int i = 0; i < n->delivery_count; i++)
		free(n->deliveries[i].body);
	notify_tracker_free(n->tracker);
	free(n->dir);
	free(n->audit_log);
	pthread_mutex_destroy(&n->mu);
	pthread_cond_destroy(&n->wake);
	free(n);
}

struct notifier *notifier_start(const struct config *cfg, const char *environment,
                                enum notifier_role role, char *why, size_t why_size)
{
	why[0] = '\0';
	const struct config_notify *c = &cfg->notify;
	if (c->webhook_url == NULL || c->webhook_url[0] == '\0')
		return NULL;
	if (cfg->history.dir == NULL || cfg->history.dir[0] == '\0') {
		snprintf(why, why_size,
		         "notifications are off: [history] dir is not set, and the "
		         "sender keeps what it told there");
		return NULL;
	}
	char err[512];
	if (file_make_dir(cfg->history.dir, true, err, sizeof(err)) < 0) {
		snprintf(why, why_size, "notifications are off: [history] dir: %s", err);
		return NULL;
	}
	struct notifier *n = xcalloc(1, sizeof(*n));
	pthread_mutex_init(&n->mu, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&n->wake, &attr);
	pthread_condattr_destroy(&attr);
	n->role = role;
	n->dir = xstrdup(cfg->history.dir);
	n->audit_log = xstrdup(cfg->recovery.audit_log ? cfg->recovery.audit_log : "");
	n->webhook_count = text_split_words(c->webhook_url, ", ", n->webhooks, CONFIG_WEBHOOKS_MAX);
	if (n->webhook_count > CONFIG_WEBHOOKS_MAX)
		n->webhook_count = CONFIG_WEBHOOKS_MAX;
	for (int i = 0; i < n->webhook_count; i++)
		webhook_host(n->webhooks[i], n->hosts[i], sizeof(n->hosts[i]));
	if (notify_format_parse(c->format, &n->format) < 0)
		n->format = NOTIFY_FORMAT_JSON;
	int min = issue_severity_from_name(c->min_severity);
	n->min_severity = min > 0 ? (enum issue_severity)min : SEVERITY_MEDIUM;
	n->flap_window_ms = c->flap_window_ms;
	n->timeout_ms = c->timeout_ms;
	notify_limit_init(&n->limit, c->max_per_hour);
	text_copy(n->app, cfg->app.name, sizeof(n->app));
	text_copy(n->environment, environment ? environment : "", sizeof(n->environment));
	if (gethostname(n->host, sizeof(n->host)) != 0)
		text_copy(n->host, "unknown", sizeof(n->host));
	n->host[sizeof(n->host) - 1] = '\0';
	n->lock_fd = -1;
	n->tracker = notify_tracker_new();
	atomic_init(&n->sender, false);
	if (role == NOTIFIER_RECORDER)
		recorder_mark(n, true);
	int started = pthread_create(&n->thread, NULL, notifier_main, n);
	if (started != 0) {
		snprintf(why, why_size, "notifications are off: cannot start a thread: %s",
		         strerror(started));
		if (role == NOTIFIER_RECORDER)
			recorder_mark(n, false);
		notifier_free(n);
		return NULL;
	}
	return n;
}

void notifier_observe(struct notifier *n, const struct diagnosis *d)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->mu);
	n->issue_count = d->count;
	memcpy(n->issues, d->issues, sizeof(d->issues[0]) * (size_t)d->count);
	n->have_issues = true;
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->mu);
}

int notifier_take_log(struct notifier *n, char *buf, size_t size)
{
	if (n == NULL)
		return 0;
	pthread_mutex_lock(&n->mu);
	int got = line_queue_take(&n->log, buf, size);
	pthread_mutex_unlock(&n->mu);
	return got;
}

int notifier_stop(struct notifier *n)
{
	if (n == NULL)
		return 0;
	pthread_mutex_lock(&n->mu);
	n->stopping = true;
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->mu);
	pthread_join(n->thread, NULL);
	int left = n->delivery_count;
	notifier_free(n);
	return left;
}

void notifier_release(struct notifier *n)
{
	if (n == NULL)
		return;
	pthread_mutex_lock(&n->mu);
	n->stopping = true;
	n->detached = true;
	pthread_detach(n->thread);
	pthread_cond_signal(&n->wake);
	pthread_mutex_unlock(&n->mu);
}
