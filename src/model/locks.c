/* locks.c - the blocking forest: roots, transitive waiters, cycles (see locks.h). */
#include "model/locks.h"

#include <stdio.h>
#include <string.h>

#include "util/text.h"

void locks_init(struct lock_status *s)
{
	memset(s, 0, sizeof(*s));
	s->deadlocks_total = -1;
	s->deadlocks_delta = -1;
}

static int locks_index(const struct lock_status *s, int pid)
{
	for (int i = 0; i < s->session_count; i++)
		if (s->sessions[i].pid == pid)
			return i;
	return -1;
}

const struct lock_session *locks_find(const struct lock_status *s, int pid)
{
	int i = locks_index(s, pid);
	return i < 0 ? NULL : &s->sessions[i];
}

/* Whether `blocker` is among the pids session w waits on. */
static bool locks_waits_on(const struct lock_session *w, int blocker)
{
	for (int k = 0; k < w->blocked_by_count; k++)
		if (w->blocked_by[k] == blocker)
			return true;
	return false;
}

/* Marks, breadth first, every session waiting behind sessions[root] (once
 * each: `seen` stops cycles) and returns how many; sets their depth and
 * root_pid when they have none yet, and the oldest wait into *oldest. */
static int locks_walk(struct lock_status *s, int root, double *oldest)
{
	bool seen[LOCKS_MAX_SESSIONS] = {false};
	int queue[LOCKS_MAX_SESSIONS];
	int depth[LOCKS_MAX_SESSIONS];
	int head = 0;
	int tail = 0;
	int count = 0;

	seen[root] = true;
	queue[tail] = root;
	depth[tail++] = 0;
	*oldest = -1;
	while (head < tail) {
		int at = queue[head];
		int d = depth[head++];
		for (int i = 0; i < s->session_count; i++) {
			struct lock_session *w = &s->sessions[i];
			if (seen[i] || !locks_waits_on(w, s->sessions[at].pid))
				continue;
			seen[i] = true;
			queue[tail] = i;
			depth[tail++] = d + 1;
			count++;
			if (w->root_pid == 0) {
				w->root_pid = s->sessions[root].pid;
				w->depth = d + 1;
			}
			double age = w->wait_age_s >= 0 ? w->wait_age_s : w->query_age_s;
			if (age > *oldest)
				*oldest = age;
		}
	}
	return count;
}

/* Whether root a goes before root b: more waiters, then the older wait. */
static bool locks_root_before(const struct lock_root *a, const struct lock_root *b)
{
	if (a->waiters_total != b->waiters_total)
		return a->waiters_total > b->waiters_total;
	return a->oldest_wait_s > b->oldest_wait_s;
}

/* Keeps the LOCKS_MAX_ROOTS best roots, sorted, as they come. */
static void locks_keep_root(struct lock_status *s, const struct lock_root *r)
{
	int n = s->root_count < LOCKS_MAX_ROOTS ? s->root_count : LOCKS_MAX_ROOTS;
	int at = n;
	while (at > 0 && locks_root_before(r, &s->roots[at - 1]))
		at--;
	if (at >= LOCKS_MAX_ROOTS) {
		s->root_count++;
		return;
	}
	int last = n < LOCKS_MAX_ROOTS ? n : LOCKS_MAX_ROOTS - 1;
	memmove(&s->roots[at + 1], &s->roots[at], (size_t)(last - at) * sizeof(s->roots[0]));
	s->roots[at] = *r;
	s->root_count++;
}

void locks_build(struct lock_status *s)
{
	if (s->session_count > LOCKS_MAX_SESSIONS)
		s->session_count = LOCKS_MAX_SESSIONS;
	s->waiting = 0;
	s->root_count = 0;
	s->cycle_sessions = 0;
	s->hidden_blockers = 0;
	s->longest_wait_s = 0;
	memset(s->roots, 0, sizeof(s->roots));
	for (int i = 0; i < s->session_count; i++) {
		struct lock_session *x = &s->sessions[i];
		x->blocks_count = 0;
		x->waiters_total = 0;
		x->root_pid = 0;
		x->depth = 0;
		x->in_cycle = false;
		if (x->blocked_by_count > LOCKS_MAX_BLOCKED_BY)
			x->blocked_by_count = LOCKS_MAX_BLOCKED_BY;
		if (x->blocked_by_count < 0)
			x->blocked_by_count = 0;
	}
	for (int i = 0; i < s->session_count; i++) {
		struct lock_session *w = &s->sessions[i];
		if (w->blocked_by_count == 0)
			continue;
		s->waiting++;
		double age = w->wait_age_s >= 0 ? w->wait_age_s : w->query_age_s;
		if (age > s->longest_wait_s)
			s->longest_wait_s = age;
		bool unseen = false;
		for (int k = 0; k < w->blocked_by_count; k++) {
			int b = locks_index(s, w->blocked_by[k]);
			if (b < 0 || s->sessions[b].hidden)
				unseen = true;
			if (b >= 0)
				s->sessions[b].blocks_count++;
		}
		if (unseen)
			s->hidden_blockers++;
	}
	for (int i = 0; i < s->session_count; i++) {
		struct lock_session *x = &s->sessions[i];
		if (x->blocked_by_count > 0 || x->blocks_count == 0)
			continue;
		x->root_pid = x->pid;
		struct lock_root r = {.session = i, .pid = x->pid};
		r.waiters_total = locks_walk(s, i, &r.oldest_wait_s);
		x->waiters_total = r.waiters_total;
		r.direct = x->blocks_count;
		locks_keep_root(s, &r);
	}
	/* A waiter no root reaches waits in a cycle, or behind a blocker not
	 * among the sessions (counted in hidden_blockers). */
	for (int i = 0; i < s->session_count; i++) {
		struct lock_session *w = &s->sessions[i];
		if (w->blocked_by_count == 0 || w->root_pid != 0)
			continue;
		bool all_seen = true;
		for (int k = 0; k < w->blocked_by_count; k++)
			if (locks_index(s, w->blocked_by[k]) < 0)
				all_seen = false;
		if (all_seen) {
			w->in_cycle = true;
			s->cycle_sessions++;
		}
	}
}

const struct lock_root *locks_top_root(const struct lock_status *s)
{
	return s->root_count > 0 ? &s->roots[0] : NULL;
}

bool locks_waits_behind(const struct lock_status *s, const struct lock_session *w, int root_pid)
{
	/* Bounded walk up the blocked_by links: at most every session once. */
	bool seen[LOCKS_MAX_SESSIONS] = {false};
	int stack[LOCKS_MAX_SESSIONS];
	int top = 0;
	int start = locks_index(s, w->pid);
	if (start < 0)
		return false;
	seen[start] = true;
	stack[top++] = start;
	while (top > 0) {
		const struct lock_session *x = &s->sessions[stack[--top]];
		for (int k = 0; k < x->blocked_by_count; k++) {
			if (x->blocked_by[k] == root_pid)
				return true;
			int b = locks_index(s, x->blocked_by[k]);
			if (b >= 0 && !seen[b]) {
				seen[b] = true;
				stack[top++] = b;
			}
		}
	}
	return false;
}

void locks_deadlocks_since(struct lock_status *now, const struct lock_status *previous)
{
	if (!previous || previous->deadlocks_total < 0 || now->deadlocks_total < 0 ||
	    now->deadlocks_total < previous->deadlocks_total) {
		now->deadlocks_delta = -1;
		return;
	}
	now->deadlocks_delta = now->deadlocks_total - previous->deadlocks_total;
}

void locks_describe_session(const struct lock_session *x, char *dst, size_t size)
{
	char age[32] = "";
	double secs = x->xact_age_s >= 0 ? x->xact_age_s : x->query_age_s;
	if (secs >= 0) {
		age[0] = ' ';
		text_format_duration(age + 1, sizeof(age) - 1, (int64_t)(secs * 1000));
	}
	if (x->hidden && !x->state[0])
		snprintf(dst, size, "pid %d (%s, %s, hidden from this role)", x->pid,
		         x->application_name[0] ? x->application_name : "-",
		         x->user[0] ? x->user : "?");
	else
		snprintf(dst, size, "pid %d (%s, %s@%s, %s%s)", x->pid,
		         x->application_name[0] ? x->application_name : "-",
		         x->user[0] ? x->user : "?", x->client_addr[0] ? x->client_addr : "?",
		         x->state[0] ? x->state : "?", age);
}

void locks_describe_root(const struct lock_status *s, const struct lock_root *r, char *dst,
                         size_t size)
{
	char who[192], oldest[48] = "";
	locks_describe_session(&s->sessions[r->session], who, sizeof(who));
	if (r->oldest_wait_s >= 0) {
		char d[24];
		text_format_duration(d, sizeof(d), (int64_t)(r->oldest_wait_s * 1000));
		snprintf(oldest, sizeof(oldest), ", oldest waiting %s", d);
	}
	snprintf(dst, size, "%s blocks %d session%s%s", who, r->waiters_total,
	         r->waiters_total == 1 ? "" : "s", oldest);
}
